//! Casework: cases with a clock. ASB Case Reviews (applications and appeals), police complaint
//! reviews and information requests live here, sharing clocks, drafts, letters, reminders and the
//! applicant's tracker.

pub mod asb;
pub mod change;
pub mod clock;
pub mod complaints;
pub mod drafts;
pub mod information;
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
    asb::routes().merge(complaints::routes()).merge(information::routes()).merge(letters::routes()).merge(tracker::routes())
}
