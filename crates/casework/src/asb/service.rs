//! ASB case reviews as the case kit sees them (casekit::registry): letters, drafts, the tracker,
//! reminders, retention and subject access.

use casekit::registry::{About, CaseService, Pending, Retention};
use casekit::tracker::TrackerPage;
use platform::config::Settings;
use platform::db::Pool;
use time::OffsetDateTime;

pub struct AsbCaseReviews;

static TRACKER: TrackerPage = casekit::tracker_page!(
    "/asb-case-review",
    heading: "Check the progress of your case review or appeal",
    example: "ASB-2026-000042",
    reference_hint: "For example, ASB-2026-000042. It is on your confirmation page and in our letters.",
    postcode_hint: "Your own postcode, as you gave it with your contact details (not the postcode where the anti-social behaviour happens). If you gave no address, use the link in our email or contact us.",
);

/// What the service is, for the kit's pieces a handler uses directly (bulk assignment).
pub fn about() -> &'static About {
    &ABOUT
}

static ABOUT: About = About {
    slug: "asb-case-reviews",
    name: "ASB case reviews",
    letter_kinds: &super::letters::KINDS,
    drafts: Some(super::store::DRAFTS),
    tracker_page: Some(&TRACKER),
    retention: Retention { years: 6, from: "from the day an application is closed or an appeal decided" },
    readers: super::scope::OFFICE,
    queue: "/staff/asb-case-reviews",
    privacy: casekit::registry::PrivacyWords {
        holds: "Your name and contact details, and those of the person you apply for; where the anti-social behaviour happens; each incident, when and to whom it was reported; what you tell us about it and your needs; and any files you send. For an appeal, the same and your grounds.",
        why: "To carry out or hand on the case review that the Anti-social Behaviour, Crime and Policing Act 2014 (sections 104 and 105) gives victims, and to hear appeals against its outcome. Lawful basis: a task in the public interest (UK GDPR Article 6(1)(e)); for anything about health, disability or ethnicity, substantial public interest (Article 9(2)(g)).",
        shared_with: "The community safety partnership or council that carries out the review for your area, and the agencies it asks for information (the police, the council, housing providers), only as far as the review needs.",
    },
    assigned: &[
        casekit::registry::Assigned {
            table: "casework_asb_application",
            record_type: "ASB case review",
            open: "closed_on IS NULL",
        },
        casekit::registry::Assigned { table: "casework_asb_appeal", record_type: "ASB appeal", open: "decided_on IS NULL" },
    ],
};

impl CaseService for AsbCaseReviews {
    casekit::forward_case_service!(
        about: ABOUT,
        tracker: super::tracker,
        reminders: super::reminders,
        retention: super::retention,
        people: super::subject_access,
    );
    /// Chases the agencies' overdue answers.
    fn daily<'a>(&'a self, pool: &'a Pool, settings: &'a Settings, now: OffsetDateTime) -> Pending<'a, usize> {
        Box::pin(super::agency::chase(pool, settings, now))
    }
}
