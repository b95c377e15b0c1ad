//! ASB case reviews as the case kit sees them (casekit::registry): letters, drafts, the tracker,
//! reminders, retention and subject access.

use casekit::deadlines::Deadline;
use casekit::people::{HeldRecord, PersonQuery};
use casekit::registry::{About, CaseService, Pending, Retention};
use casekit::reminders::Owed;
use casekit::tracker::{Calendars, TrackerPage, TrackerView};
use platform::calendar::WorkingDayCalendar;
use platform::db::Pool;
use platform::postcode::Postcode;
use platform::reference::Reference;
use time::{Date, OffsetDateTime};

pub struct AsbCaseReviews;

static TRACKER: TrackerPage = casekit::tracker_page!(
    "/asb-case-review",
    heading: "Check the progress of your case review or appeal",
    example: "ASB-2026-000042",
    reference_hint: "For example, ASB-2026-000042. It is on your confirmation page and in our letters.",
    postcode_hint: "Your own postcode, as you gave it with your contact details (not the postcode where the anti-social behaviour happens). If you gave no address, use the link in our email or contact us.",
);

static ABOUT: About = About {
    slug: "asb-case-reviews",
    name: "ASB case reviews",
    letter_kinds: &super::letters::KINDS,
    drafts: Some(super::store::DRAFTS),
    tracker_page: Some(&TRACKER),
    retention: Retention { years: 6, from: "from the day an application is closed or an appeal decided" },
};

impl CaseService for AsbCaseReviews {
    fn about(&self) -> &'static About {
        &ABOUT
    }
    fn find_tracked<'a>(
        &'a self,
        pool: &'a Pool,
        calendars: &'a Calendars,
        reference: &'a Reference,
        postcode: &'a Postcode,
    ) -> Pending<'a, Option<TrackerView>> {
        Box::pin(super::tracker::find_view(pool, reference, postcode, &calendars.local))
    }
    fn tracked_by_token<'a>(
        &'a self,
        pool: &'a Pool,
        calendars: &'a Calendars,
        token: &'a str,
    ) -> Pending<'a, Option<TrackerView>> {
        Box::pin(super::tracker::view_by_token(pool, token, &calendars.local))
    }
    fn reminders_owed<'a>(&'a self, pool: &'a Pool, today: Date, calendar: &'a WorkingDayCalendar) -> Pending<'a, Vec<Owed>> {
        Box::pin(super::reminders::owed(pool, today, calendar))
    }
    fn open_deadlines<'a>(&'a self, pool: &'a Pool, calendars: &'a Calendars) -> Pending<'a, Vec<Deadline>> {
        Box::pin(super::reminders::deadlines(pool, &calendars.local))
    }
    fn anonymise_closed<'a>(&'a self, pool: &'a Pool, closed_before: Date, now: OffsetDateTime) -> Pending<'a, usize> {
        Box::pin(super::retention::anonymise_closed(pool, closed_before, now))
    }
    fn find_person<'a>(&'a self, pool: &'a Pool, query: &'a PersonQuery) -> Pending<'a, Vec<HeldRecord>> {
        Box::pin(super::subject_access::find_person(pool, query))
    }
}
