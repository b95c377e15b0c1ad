//! Transparency: what the office must publish and whether it has. The publication scheme and the
//! Specified Information Order's checklist are data here, each published thing with an owner, a
//! frequency and a due date, so the compliance calendar says what is overdue and the completeness
//! check what the Order asks for that nothing meets. Documents keep every version; decision
//! records go from draft to signed to published; spending over £500 is imported from the finance
//! system's file with payments to individuals redacted; the registers about people and money
//! share one form, one import and one public page each.

pub mod decision;
pub mod demo;
pub(crate) mod office;
mod pages;
pub mod personal;
pub mod registers;
pub mod remind;
pub mod scheme;
pub mod spend;
pub mod spending;
pub mod store;

use platform::access::{Access, Role, Routes};
use sqlx::migrate::Migrator;
use time::Date;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Who manages what is published: the transparency officers, and administrators.
pub const MANAGERS: &[Role] = &[Role::Administrator, Role::TransparencyOfficer];

/// The daily job that reminds owners of overdue publications.
pub const REMIND_TASK: &str = "transparency-remind";

pub fn routes() -> Routes {
    pages::routes().merge(office::routes())
}

/// A published decision, as another capability (the Panel's "decisions since the last meeting")
/// reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedDecision {
    pub number: String,
    pub title: String,
    pub decided_on: Date,
    pub published_on: Date,
    pub decision_maker: String,
    pub summary: String,
    /// Where the public read it, from the site's root: "/transparency/decisions/2026-015".
    pub path: String,
}

/// Decisions published on or after `from` and on or before `to`, oldest first.
pub async fn decisions_published_between(
    pool: &platform::db::Pool,
    from: Date,
    to: Date,
) -> Result<Vec<PublishedDecision>, sqlx::Error> {
    let mut out: Vec<PublishedDecision> = store::published_decisions(pool, Some(from), Some(to))
        .await?
        .into_iter()
        .filter_map(|d| {
            Some(PublishedDecision {
                path: format!("/transparency/decisions/{}", d.slug()),
                decided_on: platform::db::parse_date(&d.decided_on)?,
                published_on: platform::db::parse_date(d.published_on.as_deref()?)?,
                number: d.number,
                title: d.title,
                decision_maker: d.decision_maker,
                summary: d.summary,
            })
        })
        .collect();
    out.reverse();
    Ok(out)
}

/// Transparency as the application composes it.
pub struct Transparency;

impl platform::capability::Capability for Transparency {
    fn name(&self) -> &'static str {
        "transparency"
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
            NavItem::new("/transparency", "What we publish"),
            NavItem::for_staff("/staff/transparency", "Transparency", Access::Roles(MANAGERS)),
        ]
    }
    fn jobs(&self, settings: &platform::config::Settings, registry: platform::jobs::Registry) -> platform::jobs::Registry {
        let settings = settings.clone();
        registry.register(REMIND_TASK, move |pool, _| {
            let settings = settings.clone();
            async move {
                let sent = remind::run(&pool, &settings, time::OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
                tracing::info!(sent, "publication reminders queued");
                Ok(())
            }
        })
    }
    fn daily_tasks(&self) -> Vec<&'static str> {
        vec![REMIND_TASK]
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
