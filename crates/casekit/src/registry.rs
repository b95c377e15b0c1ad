//! The registry of case services. The kit's shared parts (letter templates, drafts, the
//! applicant's tracker, reminders, retention, the search for everything held about a person)
//! work over whatever services are registered and never name one: a capability implements
//! [`CaseService`] for each of its services and hands them to [`Services::with`]. Retention and
//! the search for a person are required (a field of [`About`] and two methods), so a service that
//! holds personal data and cannot forget it or find it for a subject access request does not
//! compile.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use platform::calendar::WorkingDayCalendar;
use platform::config::Settings;
use platform::db::Pool;
use platform::postcode::Postcode;
use platform::reference::Reference;
use time::{Date, OffsetDateTime};

use crate::deadlines::Deadline;
use crate::drafts::Drafts;
use crate::letters::LetterKind;
use crate::people::{HeldRecord, PersonQuery};
use crate::reminders::Owed;
use crate::tracker::{Calendars, TrackerPage, TrackerView};

/// A service's answer, later.
pub type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, sqlx::Error>> + Send + 'a>>;

/// An answer there is nothing to wait for.
pub fn ready<'a, T: Send + 'a>(value: T) -> Pending<'a, T> {
    Box::pin(async move { Ok(value) })
}

/// What a service is, as data: its names, letters, drafts, tracker page and retention period.
pub struct About {
    /// A stable identifier: retention settings are stored under it.
    pub slug: &'static str,
    /// The service's name in the plural, as staff lists show it ("ASB case reviews").
    pub name: &'static str,
    /// The letters the service writes, with their built-in wording.
    pub letter_kinds: &'static [LetterKind],
    /// Where the public journey keeps its drafts.
    pub drafts: Option<Drafts>,
    /// The applicant's tracker look-up page, when the service has one.
    pub tracker_page: Option<&'static TrackerPage>,
    /// How long personal details are kept when the office has not said, and from when.
    pub retention: Retention,
    /// The office's roles that read every case of the service (partners, who see only their
    /// organisation's, are not among them): staff search shows these roles its cases.
    pub readers: &'static [platform::access::Role],
    /// The staff queue of the service's cases.
    pub queue: &'static str,
    /// What the privacy notice says of the service.
    pub privacy: PrivacyWords,
    /// Where its cases name whom they are assigned to, so a leaver's open cases can be handed
    /// over in one step.
    pub assigned: &'static [Assigned],
}

/// A table of cases with an `assigned_to` column, and what makes one of its cases still open.
#[derive(Debug, Clone, Copy)]
pub struct Assigned {
    pub table: &'static str,
    /// What the audit log calls one of its cases.
    pub record_type: &'static str,
    /// An SQL condition true of open cases only, such as `closed_on IS NULL`.
    pub open: &'static str,
}

/// A service's part of the privacy notice (UK GDPR Articles 13 and 14): what it holds, why and
/// on what lawful basis, and whom it is shared with. The retention period is added from the
/// office's settings.
#[derive(Debug, Clone, Copy)]
pub struct PrivacyWords {
    pub holds: &'static str,
    pub why: &'static str,
    pub shared_with: &'static str,
}

/// One case service, as the kit sees it.
pub trait CaseService: Send + Sync {
    /// What the service is.
    fn about(&self) -> &'static About;

    fn slug(&self) -> &'static str {
        self.about().slug
    }
    fn name(&self) -> &'static str {
        self.about().name
    }
    fn letter_kinds(&self) -> &'static [LetterKind] {
        self.about().letter_kinds
    }
    fn drafts(&self) -> Option<Drafts> {
        self.about().drafts
    }
    fn tracker_page(&self) -> Option<&'static TrackerPage> {
        self.about().tracker_page
    }
    fn retention(&self) -> Retention {
        self.about().retention
    }
    /// The tracker's view of the case with this reference, if its postcode matches.
    fn find_tracked<'a>(
        &'a self,
        _pool: &'a Pool,
        _calendars: &'a Calendars,
        _reference: &'a Reference,
        _postcode: &'a Postcode,
    ) -> Pending<'a, Option<TrackerView>> {
        ready(None)
    }
    /// The tracker's view of the case the private link was sent for.
    fn tracked_by_token<'a>(
        &'a self,
        _pool: &'a Pool,
        _calendars: &'a Calendars,
        _token: &'a str,
    ) -> Pending<'a, Option<TrackerView>> {
        ready(None)
    }
    /// Steps of open cases owed a reminder today.
    fn reminders_owed<'a>(&'a self, _pool: &'a Pool, _today: Date, _calendar: &'a WorkingDayCalendar) -> Pending<'a, Vec<Owed>> {
        ready(Vec::new())
    }
    /// The service's own daily work (chasing a force, drawing a sample); returns emails queued.
    fn daily<'a>(&'a self, _pool: &'a Pool, _settings: &'a Settings, _now: OffsetDateTime) -> Pending<'a, usize> {
        ready(0)
    }

    /// Every open case's next deadline as worked out with `calendars`: the kit compares two
    /// workings to tell officers which deadlines a change to the bank holidays moved. A service
    /// whose dates are all fixed when told returns none, and says so.
    fn open_deadlines<'a>(&'a self, pool: &'a Pool, calendars: &'a Calendars) -> Pending<'a, Vec<Deadline>>;
    /// Removes the personal details of every case closed before `closed_before`, keeping the
    /// dates and decisions the published figures are made from; returns how many cases.
    fn anonymise_closed<'a>(&'a self, pool: &'a Pool, closed_before: Date, now: OffsetDateTime) -> Pending<'a, usize>;
    /// Every record the service holds that matches the person asked about.
    fn find_person<'a>(&'a self, pool: &'a Pool, query: &'a PersonQuery) -> Pending<'a, Vec<HeldRecord>>;
}

/// A service's default retention period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    pub years: i64,
    /// What the period runs from, in words ("after the case is closed").
    pub from: &'static str,
}

/// The registered services, in the order staff pages list them.
#[derive(Clone, Default)]
pub struct Services {
    list: Arc<Vec<&'static dyn CaseService>>,
}

impl Services {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a service. Two services with one slug is a programming error, found at start-up.
    #[must_use]
    pub fn with(self, service: &'static dyn CaseService) -> Self {
        assert!(self.find(service.slug()).is_none(), "case service {} registered twice", service.slug());
        let mut list = self.list.as_ref().clone();
        list.push(service);
        Self { list: Arc::new(list) }
    }

    pub fn iter(&self) -> impl Iterator<Item = &'static dyn CaseService> + '_ {
        self.list.iter().copied()
    }

    pub fn find(&self, slug: &str) -> Option<&'static dyn CaseService> {
        self.iter().find(|s| s.slug() == slug)
    }

    /// A letter kind of any registered service.
    pub fn letter_kind(&self, slug: &str) -> Option<&'static LetterKind> {
        self.iter().flat_map(|s| s.letter_kinds().iter()).find(|k| k.slug == slug)
    }
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter().map(|s| s.slug())).finish()
    }
}

/// The [`CaseService`] methods a service forwards to its own modules, written once: `about` is
/// the service's [`About`]; `tracker` names a module with `find_view` and `view_by_token` reading
/// dates with the local calendar; `reminders` one with `owed` and `deadlines`; `retention` one
/// with `anonymise_closed`; `people` one with `find_person`. Each part is optional, so a service
/// writes by hand only what is its own.
#[macro_export]
macro_rules! forward_case_service {
    (
        about: $about:expr
        $(, tracker: $($tracker:ident)::+)?
        $(, reminders: $($reminders:ident)::+)?
        $(, retention: $($retention:ident)::+)?
        $(, people: $($people:ident)::+)?
        $(,)?
    ) => {
        fn about(&self) -> &'static $crate::registry::About {
            &$about
        }
        $(
            fn find_tracked<'a>(
                &'a self,
                pool: &'a $crate::platform::db::Pool,
                calendars: &'a $crate::tracker::Calendars,
                reference: &'a $crate::platform::reference::Reference,
                postcode: &'a $crate::platform::postcode::Postcode,
            ) -> $crate::registry::Pending<'a, Option<$crate::tracker::TrackerView>> {
                Box::pin($($tracker)::+::find_view(pool, reference, postcode, &calendars.local))
            }
            fn tracked_by_token<'a>(
                &'a self,
                pool: &'a $crate::platform::db::Pool,
                calendars: &'a $crate::tracker::Calendars,
                token: &'a str,
            ) -> $crate::registry::Pending<'a, Option<$crate::tracker::TrackerView>> {
                Box::pin($($tracker)::+::view_by_token(pool, token, &calendars.local))
            }
        )?
        $(
            fn reminders_owed<'a>(
                &'a self,
                pool: &'a $crate::platform::db::Pool,
                today: $crate::time::Date,
                calendar: &'a $crate::platform::calendar::WorkingDayCalendar,
            ) -> $crate::registry::Pending<'a, Vec<$crate::reminders::Owed>> {
                Box::pin($($reminders)::+::owed(pool, today, calendar))
            }
            fn open_deadlines<'a>(
                &'a self,
                pool: &'a $crate::platform::db::Pool,
                calendars: &'a $crate::tracker::Calendars,
            ) -> $crate::registry::Pending<'a, Vec<$crate::deadlines::Deadline>> {
                Box::pin($($reminders)::+::deadlines(pool, &calendars.local))
            }
        )?
        $(
            fn anonymise_closed<'a>(
                &'a self,
                pool: &'a $crate::platform::db::Pool,
                closed_before: $crate::time::Date,
                now: $crate::time::OffsetDateTime,
            ) -> $crate::registry::Pending<'a, usize> {
                Box::pin($($retention)::+::anonymise_closed(pool, closed_before, now))
            }
        )?
        $(
            fn find_person<'a>(
                &'a self,
                pool: &'a $crate::platform::db::Pool,
                query: &'a $crate::people::PersonQuery,
            ) -> $crate::registry::Pending<'a, Vec<$crate::people::HeldRecord>> {
                Box::pin($($people)::+::find_person(pool, query))
            }
        )?
    };
}
