//! Police open data (data.police.uk): import, reference tables, honest statistics and the public
//! pages built on them.
//!
//! Rows are counted as they stream in and only the counts are kept (by force, month, LSOA and
//! crime type; outcomes; stop and search): every measure, chart and hotspot is built from them.

mod bulk;
pub mod demo;
pub mod document;
pub mod fetch;
pub mod force;
pub mod generate;
pub mod geography;
pub mod harm;
pub mod hotspots;
pub mod import;
pub(crate) use platform::charts::choropleth as map;
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

/// Crime and ASB figures as the application composes them.
pub struct CrimeData;

impl platform::capability::Capability for CrimeData {
    fn name(&self) -> &'static str {
        "crimedata"
    }
    fn migrator(&self) -> Option<&'static Migrator> {
        Some(&MIGRATOR)
    }
    fn routes(&self) -> platform::access::Routes {
        routes()
    }
    fn navigation(&self) -> Vec<platform::web::NavItem> {
        use platform::web::NavItem;
        vec![
            NavItem::new("/crime", "Crime in your area"),
            NavItem::for_staff("/staff/crime-data", "Police data", platform::access::Access::Roles(staff::MANAGERS)),
        ]
    }
    fn jobs(&self, settings: &platform::config::Settings, registry: platform::jobs::Registry) -> platform::jobs::Registry {
        let settings = settings.clone();
        registry.register(fetch::JOB, move |pool, payload| {
            fetch::run_job(pool, settings.police_data_url.clone(), settings.data_dir.clone(), payload)
        })
    }
    fn seed_demo<'a>(
        &'a self,
        pool: &'a platform::db::Pool,
        _settings: &'a platform::config::Settings,
        now: time::OffsetDateTime,
    ) -> platform::capability::Later<'a> {
        Box::pin(async move { demo::seed(pool, now).await.map(|_| ()) })
    }
}
