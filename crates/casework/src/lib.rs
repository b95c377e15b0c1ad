//! Casework: cases with a clock. ASB Case Reviews (applications and appeals) live here; police
//! complaint reviews and information requests will reuse the same machinery.

pub mod asb;
pub mod clock;
pub mod complaints;

use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub use asb::routes;
pub use asb::scope::{CASE_READERS, OFFICE};
