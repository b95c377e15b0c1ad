//! The Commissioner application: composes every capability's routes around the platform, and
//! holds the command-line tools and the demo office.

pub mod cli;
pub mod demo;
pub mod pages;
pub mod server;

use sqlx::migrate::Migrator;

/// Every capability's migrations, run together in version order.
pub fn migrators() -> [&'static Migrator; 4] {
    [&platform::db::MIGRATOR, &correspondence::MIGRATOR, &casework::MIGRATOR, &crimedata::MIGRATOR]
}
