//! Casework: cases with a clock. ASB Case Reviews (applications and appeals), police complaint
//! reviews and information requests live here, each built from the case kit (`casekit`) and
//! registered with it by [`register`].

pub mod asb;
pub mod complaints;
pub mod information;

use sqlx::migrate::Migrator;

pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

pub use asb::scope::{CASE_READERS, OFFICE};

/// Adds this crate's case services to the kit's registry.
pub fn register(services: casekit::Services) -> casekit::Services {
    services
        .with(&asb::service::AsbCaseReviews)
        .with(&complaints::service::ComplaintReviews)
        .with(&information::service::InformationRequests)
}

/// Every casework route, each service's own.
pub fn routes() -> platform::access::Routes {
    asb::routes().merge(complaints::routes()).merge(information::routes())
}

/// Casework as the application composes it; its services join the case kit through [`register`].
pub struct Casework;

impl platform::capability::Capability for Casework {
    fn name(&self) -> &'static str {
        "casework"
    }
    fn yearly_figures(&self) -> Vec<platform::figures::YearSummaryFn> {
        vec![
            platform::figures::summary::<asb::statistics::AsbCaseReviewFigures>,
            platform::figures::summary::<complaints::figures::ComplaintReviewFigures>,
            information::statistics::summary,
        ]
    }
    fn migrator(&self) -> Option<&'static Migrator> {
        Some(&MIGRATOR)
    }
    fn routes(&self) -> platform::access::Routes {
        routes()
    }
    fn navigation(&self) -> Vec<platform::web::NavItem> {
        use platform::access::Access;
        use platform::organisations::Kind;
        use platform::web::NavItem;
        vec![
            NavItem::new("/asb-case-review", "ASB case review"),
            NavItem::new("/police-complaint-review", "Complaint reviews"),
            NavItem::new("/disclosure-log", "Disclosure log"),
            NavItem::for_staff("/staff/asb-case-reviews", "ASB case reviews", Access::Roles(CASE_READERS))
                .for_partners_of(&[Kind::ReviewBody]),
            NavItem::for_staff(
                "/staff/complaint-reviews",
                "Police complaint reviews",
                Access::Roles(complaints::scope::CASE_READERS),
            )
            .for_partners_of(&[Kind::ForcePsd]),
            NavItem::for_staff(
                "/staff/information-requests",
                "Information requests",
                Access::Roles(information::staff::HANDLERS),
            ),
        ]
    }
    fn set_up_office<'a>(
        &'a self,
        pool: &'a platform::db::Pool,
        office: &'a platform::office::Office,
        actor: &'a platform::audit::Actor,
        now: time::OffsetDateTime,
    ) -> platform::capability::Later<'a> {
        Box::pin(async move {
            asb::policy::set_up(pool, office, actor, now).await?;
            complaints::policy::set_up(pool, office, actor, now).await?;
            Ok(())
        })
    }
    fn seed_demo<'a>(
        &'a self,
        pool: &'a platform::db::Pool,
        settings: &'a platform::config::Settings,
        now: time::OffsetDateTime,
    ) -> platform::capability::Later<'a> {
        Box::pin(async move {
            asb::demo::seed(pool, settings, now).await?;
            complaints::demo::seed(pool, settings, now).await?;
            information::demo::seed(pool, settings, now).await?;
            Ok(())
        })
    }
}

/// What the services' unit tests share.
#[cfg(test)]
mod testing {
    use platform::access::Role;
    use platform::auth::store::StaffUser;

    /// An account of `role`, in the organisation with that id, whatever it is called.
    pub fn user(role: Role, organisation_id: Option<&str>) -> StaffUser {
        StaffUser {
            id: "u".into(),
            email: "u@example.com".into(),
            display_name: "U".into(),
            role,
            organisation_id: organisation_id.map(str::to_string),
            organisation: Some("whatever it is called today".into()),
            totp_enabled: true,
            disabled: false,
            last_signed_in_at: None,
            previous_signed_in_at: None,
        }
    }
}
