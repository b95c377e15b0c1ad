//! Performance: the measures the governing body holds the Chief Constable and the Chief Fire
//! Officer to account by. A versioned catalogue of measures with a data-quality note beside every
//! figure; open data imports (police recorded crime, outcomes and workforce; the fire statistics
//! data tables) and the force's and fire service's own returns; control charts with verdicts in
//! words instead of red, amber and green; comparisons with most similar groups; the public
//! dashboard; Public Performance Meeting packs from locked quarters; inspections and their
//! findings tracked to completion. ADR 0010 says why it is built this way.

pub mod assemble;
pub mod compare;
pub mod datasets;
pub mod demo;
pub mod documents;
pub mod figures;
pub mod inspections;
pub mod model;
mod office;
pub mod packs;
mod pages;
pub mod reference;
pub mod returns;
pub mod snapshot;
pub mod spc;
pub mod store;

pub use office::read_table;

use platform::access::{Access, Role, Routes};
use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Who manages measures, imports, groups, packs and inspections.
pub const MANAGERS: &[Role] = &[Role::Administrator, Role::PerformanceOfficer];

pub fn routes() -> Routes {
    pages::routes().merge(office::routes()).merge(returns::routes()).merge(packs::routes()).merge(inspections::routes())
}

/// Performance as the application composes it.
pub struct Performance;

impl platform::capability::Capability for Performance {
    fn name(&self) -> &'static str {
        "performance"
    }
    fn migrator(&self) -> Option<&'static Migrator> {
        Some(&MIGRATOR)
    }
    fn routes(&self) -> Routes {
        routes()
    }
    fn navigation(&self) -> Vec<platform::web::NavItem> {
        use platform::web::NavItem;
        vec![
            NavItem::new("/performance", "Performance"),
            NavItem::for_staff("/staff/performance", "Performance", Access::Roles(MANAGERS)),
            NavItem::for_staff("/staff/performance/returns", "Performance returns", Access::Roles(returns::EVERYONE)),
        ]
    }
    fn seed_demo<'a>(
        &'a self,
        pool: &'a platform::db::Pool,
        _settings: &'a platform::config::Settings,
        now: time::OffsetDateTime,
    ) -> platform::capability::Later<'a> {
        Box::pin(async move { demo::seed(pool, now).await })
    }
}
