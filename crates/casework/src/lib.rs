//! Casework: cases with a clock. ASB Case Reviews (applications and appeals) and police complaint
//! reviews live here, sharing clocks, letters, reminders and the applicant's tracker;
//! information requests will reuse the same machinery.

pub mod asb;
pub mod change;
pub mod clock;
pub mod complaints;
pub mod drafts;
pub mod letters;
pub mod reminders;
pub mod tracker;
pub mod uploads;
pub mod widgets;

use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub use asb::scope::{CASE_READERS, OFFICE};

/// Every casework route: each service's, and the letter templates they share.
pub fn routes() -> platform::access::Routes {
    asb::routes().merge(complaints::routes()).merge(letters::routes()).merge(tracker::routes())
}
