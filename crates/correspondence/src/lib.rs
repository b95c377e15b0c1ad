//! Correspondence: what members of the public send to the Commissioner's office.
//!
//! The contact form lives here. Casework capabilities will later turn a message into a case
//! (an ASB Case Review application, an information request); until then the office reads them.

pub mod contact;

use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub use contact::routes;
