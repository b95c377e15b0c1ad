//! The Police, Fire and Crime Panel: the joint committee that scrutinises the Commissioner. Its
//! meetings are run here or imported from the host council's ModernGov; either way the office's
//! side of the Panel's business lives here: the papers it submits (some generated from the plan
//! and performance records), the public's and members' questions and the responses promised,
//! the precept by its statutory timetable, and confirmation hearings. The meetings are published
//! as pages, an iCalendar feed and an open API in the shape of OParl. The Commissioner's annual
//! report, which the Panel reviews, is made here from every capability's records.

pub mod annual;
pub mod business;
pub mod chase;
pub mod demo;
pub mod moderngov;
mod office;
pub mod oparl;
mod pages;
pub mod personal;
pub mod precept;
mod precept_pages;
pub mod rules;
pub mod store;

use platform::access::{Access, Role, Routes};
use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Who runs the Panel's business: its support officer, and administrators.
pub const OFFICERS: &[Role] = &[Role::Administrator, Role::PanelOfficer];
/// Who sees the Panel's own pages, Part 2 papers included: its officers and members.
pub const PANEL: &[Role] = &[Role::Administrator, Role::PanelOfficer, Role::PanelMember];

/// The daily job that chases promised responses and reminds the officers of precept deadlines.
pub const CHASE_TASK: &str = "panel-chase";

pub fn routes() -> Routes {
    pages::routes()
        .merge(office::routes())
        .merge(oparl::routes())
        .merge(precept_pages::routes())
        .merge(business::routes())
        .merge(annual::routes())
}

/// The Panel as the application composes it.
pub struct Panel;

impl platform::capability::Capability for Panel {
    fn name(&self) -> &'static str {
        "panel"
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
            NavItem::new("/panel", "Police, Fire and Crime Panel"),
            NavItem::for_staff("/staff/panel", "Panel", Access::Roles(PANEL)),
        ]
    }
    fn jobs(&self, settings: &platform::config::Settings, registry: platform::jobs::Registry) -> platform::jobs::Registry {
        let settings = settings.clone();
        registry.register(CHASE_TASK, move |pool, _| {
            let settings = settings.clone();
            async move {
                let sent = chase::run(&pool, &settings, time::OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
                tracing::info!(sent, "Panel chases and reminders queued");
                Ok(())
            }
        })
    }
    fn daily_tasks(&self) -> Vec<&'static str> {
        vec![CHASE_TASK]
    }
    fn seed_demo<'a>(
        &'a self,
        pool: &'a platform::db::Pool,
        settings: &'a platform::config::Settings,
        now: time::OffsetDateTime,
    ) -> platform::capability::Later<'a> {
        Box::pin(async move { demo::seed(pool, settings, now).await })
    }
}
