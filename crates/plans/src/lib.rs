//! Plans: the Police and Crime Plan, the Fire and Rescue Plan and other strategies with action
//! plans. A plan is a tree (priorities → commitments → delivery actions); once published, every
//! change is recorded with its reason; each quarter the leads update their actions, the office
//! reviews them, and closing the quarter locks a hashed snapshot that the public pages, the
//! downloads and the Panel's update report are made from.

pub mod demo;
pub mod import;
mod leads;
pub mod model;
pub mod nudges;
mod office;
pub mod overview;
mod pages;
pub mod partners;
pub mod personal;
pub mod report;
pub mod snapshot;
pub mod store;
pub mod subscriptions;

pub use leads::nudge_all;

use platform::access::{Access, Role, Routes};
use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// Who manages plans and quarters.
pub const MANAGERS: &[Role] = &[Role::Administrator, Role::PerformanceOfficer];
/// Who may read a plan in the back office: managers, and Panel members for drafts shared with them.
pub const READERS: &[Role] = &[Role::Administrator, Role::PerformanceOfficer, Role::PanelMember];
/// Who sends quarterly updates: partners, for their own organisation's actions.
pub const LEADS: &[Role] = &[Role::Partner];

/// The daily job that reminds leads and chases late updates.
pub const NUDGE_TASK: &str = "plans-nudge-leads";

pub fn routes() -> Routes {
    pages::routes().merge(office::routes()).merge(leads::routes()).merge(subscriptions::routes())
}

/// Whether a member of staff in `role` may read `plan` in the back office. Managers read every
/// plan; Panel members read published plans and drafts shared with them.
pub fn may_read(role: Role, plan: &store::Plan) -> bool {
    MANAGERS.contains(&role) || (role == Role::PanelMember && (plan.status.is_public() || plan.shared_with_panel))
}

/// Plans as the application composes them.
pub struct Plans;

impl platform::capability::Capability for Plans {
    fn name(&self) -> &'static str {
        "plans"
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
            NavItem::new("/plans", "Plans and delivery"),
            NavItem::for_staff("/staff/plans", "Plans", Access::Roles(READERS)),
            NavItem::for_staff("/staff/plan-updates", "Plan updates", Access::Roles(LEADS)),
        ]
    }
    fn jobs(&self, settings: &platform::config::Settings, registry: platform::jobs::Registry) -> platform::jobs::Registry {
        let settings = settings.clone();
        registry.register(NUDGE_TASK, move |pool, _| {
            let settings = settings.clone();
            async move {
                let sent =
                    leads::nudge_all(&pool, &settings, time::OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
                tracing::info!(sent, "plan update reminders and chases queued");
                Ok(())
            }
        })
    }
    fn daily_tasks(&self) -> Vec<&'static str> {
        vec![NUDGE_TASK]
    }
    fn housekeeping<'a>(
        &'a self,
        pool: &'a platform::db::Pool,
        _settings: &'a platform::config::Settings,
        now: time::OffsetDateTime,
    ) -> platform::capability::Later<'a> {
        Box::pin(async move {
            let removed = subscriptions::forget_unconfirmed(pool, now).await?;
            if removed > 0 {
                tracing::info!(removed, "unconfirmed plan subscriptions removed");
            }
            Ok(())
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panel_members_read_drafts_only_when_shared() {
        use model::{PlanKind, PlanStatus};
        let mut plan = store::Plan {
            id: "p".into(),
            slug: "p".into(),
            title: "P".into(),
            kind: PlanKind::Strategy,
            starts_on: time::macros::date!(2021 - 04 - 01),
            ends_on: time::macros::date!(2024 - 03 - 31),
            status: PlanStatus::Draft,
            summary: String::new(),
            document_url: String::new(),
            shared_with_panel: false,
            version: 0,
            published_on: None,
        };
        assert!(may_read(Role::PerformanceOfficer, &plan));
        assert!(!may_read(Role::PanelMember, &plan));
        assert!(!may_read(Role::Partner, &plan));
        plan.shared_with_panel = true;
        assert!(may_read(Role::PanelMember, &plan));
        plan.shared_with_panel = false;
        plan.status = PlanStatus::Published;
        assert!(may_read(Role::PanelMember, &plan));
        assert!(!may_read(Role::Caseworker, &plan));
    }
}
