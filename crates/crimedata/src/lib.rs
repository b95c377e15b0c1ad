//! Police open data (data.police.uk): import, reference tables, honest statistics and the public
//! pages built on them.
//!
//! Rows are counted as they stream in and only the counts are kept (by force, month, LSOA and
//! crime type; outcomes; stop and search): every measure, chart and hotspot is built from them.

mod bulk;
pub mod demo;
pub mod fetch;
pub mod force;
pub mod generate;
pub mod geography;
pub mod harm;
pub mod hotspots;
pub mod import;
pub mod map;
pub mod measures;
pub mod pages;
pub mod reference;
pub mod report;
pub mod rows;
pub mod staff;
pub mod stats;

use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub fn routes() -> platform::access::Routes {
    pages::routes().merge(staff::routes())
}
