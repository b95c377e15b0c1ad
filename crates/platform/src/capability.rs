//! A capability as the application composes it: its migrations, routes, navigation, background
//! jobs, daily tasks, housekeeping and demo data. Each capability crate exposes one value that
//! implements [`Capability`]; the application lists them once, and everything that used to be a
//! hand-kept list (migrators, navigation, the job registry, the daily tasks, the routes, the demo
//! seeding) is read from that one list.

use std::future::Future;
use std::pin::Pin;

use sqlx::migrate::Migrator;
use time::OffsetDateTime;

use crate::access::Routes;
use crate::audit::Actor;
use crate::config::Settings;
use crate::db::Pool;
use crate::jobs::Registry;
use crate::office::Office;
use crate::web::NavItem;

/// Work a capability does later, failing with a message for the log.
pub type Later<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + Send + 'a>>;

/// Nothing to do.
pub fn nothing<'a>() -> Later<'a> {
    Box::pin(async { Ok(()) })
}

pub trait Capability: Send + Sync {
    /// The capability's name, for logs.
    fn name(&self) -> &'static str;
    /// Its database migrations; versions are unique across every capability.
    fn migrator(&self) -> Option<&'static Migrator> {
        None
    }
    /// Its pages, each with its access rule.
    fn routes(&self) -> Routes {
        Routes::new()
    }
    /// Its links in the service navigation: public ones first, then staff ones, then those for
    /// administrators only, each group in the order the capabilities are listed.
    fn navigation(&self) -> Vec<NavItem> {
        Vec::new()
    }
    /// Adds its kinds of background job.
    fn jobs(&self, _settings: &Settings, registry: Registry) -> Registry {
        registry
    }
    /// The jobs it wants enqueued once a day.
    fn daily_tasks(&self) -> Vec<&'static str> {
        Vec::new()
    }
    /// Its figures for a financial year, for reports that gather every service's (the annual
    /// report): one function for each set it publishes.
    fn yearly_figures(&self) -> Vec<crate::figures::YearSummaryFn> {
        Vec::new()
    }
    /// Its part of the daily housekeeping (expired drafts, old counters).
    fn housekeeping<'a>(&'a self, _pool: &'a Pool, _settings: &'a Settings, _now: OffsetDateTime) -> Later<'a> {
        nothing()
    }
    /// What an office needs from its area's reference data (`crate::areas`): partners as
    /// organisations, partnerships as review bodies, the force's standards department. Run by
    /// `commissioner office set-up` and by the demo alike, and again on a second set-up, so it adds
    /// only what is missing and never changes what staff have edited.
    fn set_up_office<'a>(&'a self, _pool: &'a Pool, _office: &'a Office, _actor: &'a Actor, _now: OffsetDateTime) -> Later<'a> {
        nothing()
    }
    /// Sample data for the demo office; never called for a real office.
    fn seed_demo<'a>(&'a self, _pool: &'a Pool, _settings: &'a Settings, _now: OffsetDateTime) -> Later<'a> {
        nothing()
    }
}

/// One line of a person's work on the staff home page: a count, what it counts, and where to
/// see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkCount {
    pub count: usize,
    pub what: String,
    pub href: String,
}

/// A service's part of the staff home page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkSection {
    pub service: &'static str,
    pub queue: &'static str,
    pub counts: Vec<WorkCount>,
}

/// What fills the staff home page with each person's work.
pub trait StaffWork: Send + Sync {
    fn sections<'a>(
        &'a self,
        pool: &'a Pool,
        user: &'a crate::auth::StaffUser,
        now: OffsetDateTime,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<WorkSection>, sqlx::Error>> + Send + 'a>>;

    /// How many open cases of each service are assigned to this person (services with none are
    /// left out), for handing a leaver's work over.
    fn assigned_open<'a>(
        &'a self,
        pool: &'a Pool,
        user: &'a crate::auth::StaffUser,
    ) -> Pin<Box<dyn Future<Output = Result<Vec<WorkCount>, sqlx::Error>> + Send + 'a>>;

    /// Assigns every open case of `from` to `to`, each change audited; returns how many moved.
    fn hand_over<'a>(
        &'a self,
        pool: &'a Pool,
        from: &'a crate::auth::StaffUser,
        to: &'a crate::auth::StaffUser,
        actor: &'a Actor,
        now: OffsetDateTime,
    ) -> Pin<Box<dyn Future<Output = Result<usize, sqlx::Error>> + Send + 'a>>;
}

/// The application's capabilities, in order.
pub struct Capabilities(Vec<Box<dyn Capability>>);

impl Capabilities {
    pub fn new(list: Vec<Box<dyn Capability>>) -> Self {
        Self(list)
    }

    pub fn iter(&self) -> impl Iterator<Item = &dyn Capability> {
        self.0.iter().map(|c| c.as_ref())
    }

    pub fn migrators(&self) -> Vec<&'static Migrator> {
        self.iter().filter_map(|c| c.migrator()).collect()
    }

    pub fn routes(&self) -> Routes {
        self.iter().fold(Routes::new(), |routes, c| routes.merge(c.routes()))
    }

    /// Public links first, then staff links, then administrators' own, each in capability order.
    pub fn navigation(&self) -> Vec<NavItem> {
        use crate::access::{Access, Role};
        let mut items: Vec<NavItem> = self.iter().flat_map(|c| c.navigation()).collect();
        items.sort_by_key(|item| match item.access {
            Access::Public => 0,
            Access::Roles([Role::Administrator]) => 3,
            Access::Staff => 1,
            _ => 2,
        });
        items
    }

    pub fn jobs(&self, settings: &Settings, registry: Registry) -> Registry {
        self.iter().fold(registry, |registry, c| c.jobs(settings, registry))
    }

    /// Every capability's yearly figures, in the order the capabilities are listed.
    pub fn yearly_figures(&self) -> Vec<crate::figures::YearSummaryFn> {
        self.iter().flat_map(|c| c.yearly_figures()).collect()
    }
    pub fn daily_tasks(&self) -> Vec<&'static str> {
        self.iter().flat_map(|c| c.daily_tasks()).collect()
    }

    /// Every capability's housekeeping; one failing does not stop the others.
    pub async fn housekeeping(&self, pool: &Pool, settings: &Settings, now: OffsetDateTime) -> anyhow::Result<()> {
        let mut failed = Vec::new();
        for capability in self.iter() {
            if let Err(error) = capability.housekeeping(pool, settings, now).await {
                tracing::error!(capability = capability.name(), %error, "housekeeping failed");
                failed.push(format!("{}: {error}", capability.name()));
            }
        }
        if failed.is_empty() { Ok(()) } else { Err(anyhow::anyhow!(failed.join("; "))) }
    }

    /// Every capability's part of setting up the office, in order.
    pub async fn set_up_office(&self, pool: &Pool, office: &Office, actor: &Actor, now: OffsetDateTime) -> anyhow::Result<()> {
        for capability in self.iter() {
            capability.set_up_office(pool, office, actor, now).await?;
        }
        Ok(())
    }

    pub async fn seed_demo(&self, pool: &Pool, settings: &Settings, now: OffsetDateTime) -> anyhow::Result<()> {
        for capability in self.iter() {
            capability.seed_demo(pool, settings, now).await?;
        }
        Ok(())
    }
}

/// The kernel's own part: staff accounts and sign-in, the audit log, background jobs, mail and
/// stored files.
pub struct Kernel;

impl Capability for Kernel {
    fn name(&self) -> &'static str {
        "platform"
    }
    fn migrator(&self) -> Option<&'static Migrator> {
        Some(&crate::db::MIGRATOR)
    }
    fn routes(&self) -> Routes {
        crate::auth::pages::routes()
            .merge(crate::organisations::routes())
            .merge(crate::calendar::routes())
            .merge(crate::office::routes())
            .merge(crate::web::platform_routes())
    }
    fn navigation(&self) -> Vec<NavItem> {
        use crate::access::{Access, Role};
        const ADMINS: &[Role] = &[Role::Administrator];
        vec![
            NavItem::for_staff("/staff", "Staff home", Access::Staff),
            NavItem::for_staff("/staff/admin/office", "The office", Access::Roles(ADMINS)),
            NavItem::for_staff("/staff/admin/users", "Staff accounts", Access::Roles(ADMINS)),
            NavItem::for_staff("/staff/admin/organisations", "Partner organisations", Access::Roles(ADMINS)),
            NavItem::for_staff("/staff/admin/calendar", "Bank holidays", Access::Roles(ADMINS)),
            NavItem::for_staff("/staff/admin/audit", "Audit log", Access::Roles(ADMINS)),
            NavItem::for_staff("/staff/admin/jobs", "Background jobs", Access::Roles(ADMINS)),
        ]
    }
    fn jobs(&self, settings: &Settings, registry: Registry) -> Registry {
        let (mail, reset, collect) = (settings.clone(), settings.clone(), settings.clone());
        registry
            .register(crate::mail::SEND_MAIL, move |pool, payload| crate::mail::send_job(pool, mail.clone(), payload))
            .register(crate::auth::reset::REQUEST_JOB, move |pool, payload| {
                crate::auth::reset::request_job(pool, reset.clone(), payload)
            })
            .register(crate::files::COLLECT_FILES, move |pool, _| {
                let settings = collect.clone();
                async move {
                    let storage = crate::files::Storage::from_settings(&settings)?;
                    let deleted =
                        crate::files::collect_orphans(&pool, &storage, time::Duration::ZERO).await.map_err(|e| e.to_string())?;
                    tracing::info!(deleted, "stored contents no record holds deleted");
                    Ok(())
                }
            })
    }
    fn daily_tasks(&self) -> Vec<&'static str> {
        vec![crate::jobs::HOUSEKEEPING]
    }
    fn set_up_office<'a>(&'a self, pool: &'a Pool, office: &'a Office, actor: &'a Actor, now: OffsetDateTime) -> Later<'a> {
        Box::pin(async move { crate::office::setup::add_partners(pool, office, actor, now).await })
    }
    fn housekeeping<'a>(&'a self, pool: &'a Pool, settings: &'a Settings, _now: OffsetDateTime) -> Later<'a> {
        Box::pin(async move {
            // Partial uploads of a process that died; a day is far longer than any upload.
            let storage = crate::files::Storage::from_settings(settings).map_err(anyhow::Error::msg)?;
            storage.sweep_abandoned(std::time::Duration::from_secs(24 * 3600))?;
            // Contents no record holds: noted ones, then any stored before noting began (a day
            // old at least, so an upload between storing and recording is left alone).
            crate::files::collect_orphans(pool, &storage, time::Duration::ZERO).await?;
            crate::files::collect_unreferenced(pool, &storage, std::time::Duration::from_secs(24 * 3600)).await?;
            Ok(())
        })
    }
}
