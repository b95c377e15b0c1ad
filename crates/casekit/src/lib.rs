//! The case kit: what every case service is built from, in a crate of its own so a capability in
//! any crate can use it (ADR 0006). Clocks, drafts, guarded changes, letters, reminders, the
//! applicant's tracker, uploads, retention and the search for everything held about a person.
//! The shared parts work over the services handed to [`Services`]; none of them names a service.

#[doc(hidden)]
pub use platform;
pub use time;

pub mod applying_for;
pub mod bulk_assign;
pub mod change;
pub mod chasing;
pub mod clock;
pub mod come_back;
pub mod deadlines;
pub mod done;
pub mod drafts;
pub mod journey;
pub mod letters;
pub mod notes;
pub mod people;
pub mod queue;
pub mod registry;
pub mod reminders;
pub mod retention;
pub mod search;
pub mod tracker;
pub mod uploads;
pub mod widgets;
pub mod work;

pub use registry::{CaseService, Pending, Retention, Services, ready};

use platform::config::Settings;
use platform::jobs::Registry;
use time::OffsetDateTime;

/// The kit's pages over the registered services: letter templates, the tracker, retention
/// periods and the search for a person.
pub fn routes(services: &Services) -> platform::access::Routes {
    letters::routes(services)
        .merge(tracker::routes(services))
        .merge(people::routes(services))
        .merge(retention::routes(services))
        .merge(search::routes(services))
}

/// The kit's daily tasks.
pub const DAILY_TASKS: &[&str] = &[reminders::TASK, retention::TASK];

/// The kit's background jobs over the registered services: reminders and each service's daily
/// work, and retention.
pub fn jobs(services: &Services, settings: &Settings, registry: Registry) -> Registry {
    let (for_reminders, settings) = (services.clone(), settings.clone());
    let registry = registry.register(reminders::TASK, move |pool, _| {
        let (services, settings) = (for_reminders.clone(), settings.clone());
        async move {
            let sent = reminders::run(&services, &pool, &settings, OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
            tracing::info!(sent, "casework reminders queued");
            Ok(())
        }
    });
    [retention::TASK, retention::FORMER_TASK].into_iter().fold(registry, |registry, task| {
        let services = services.clone();
        registry.register(task, move |pool, _| {
            let services = services.clone();
            async move {
                let removed = retention::run(&services, &pool, OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
                tracing::info!(removed, "cases past their retention period anonymised");
                Ok(())
            }
        })
    })
}

/// The kit's part of the daily housekeeping: abandoned drafts and old tracker failures.
pub async fn housekeeping(services: &Services, pool: &platform::db::Pool, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    tracker::sweep_failures(pool, now).await?;
    drafts::sweep_abandoned(services, pool, now).await?;
    Ok(())
}

/// The kit as the application composes it, over the services registered with it.
pub struct Kit(pub Services);

impl platform::capability::Capability for Kit {
    fn name(&self) -> &'static str {
        "casekit"
    }
    fn routes(&self) -> platform::access::Routes {
        routes(&self.0)
    }
    fn navigation(&self) -> Vec<platform::web::NavItem> {
        use platform::access::{Access, Role};
        use platform::web::NavItem;
        vec![
            NavItem::for_staff(search::PAGE, "Search", Access::Staff),
            NavItem::for_staff("/staff/people", "Find a person", Access::Roles(people::SEARCHERS)),
            NavItem::for_staff("/staff/admin/retention", "Retention periods", Access::Roles(&[Role::Administrator])),
        ]
    }
    fn jobs(&self, settings: &Settings, registry: Registry) -> Registry {
        jobs(&self.0, settings, registry)
    }
    fn daily_tasks(&self) -> Vec<&'static str> {
        DAILY_TASKS.to_vec()
    }
    fn housekeeping<'a>(
        &'a self,
        pool: &'a platform::db::Pool,
        _settings: &'a Settings,
        now: OffsetDateTime,
    ) -> platform::capability::Later<'a> {
        Box::pin(async move { Ok(housekeeping(&self.0, pool, now).await?) })
    }
}
