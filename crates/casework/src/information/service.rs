//! Information requests as the case kit sees them (casekit::registry): letters, drafts, the
//! tracker, reminders of each reply's due date, retention and subject access.

use casekit::clock::{self, Step};
use casekit::deadlines::Deadline;
use casekit::people::{self, Held, HeldRecord, PersonQuery};
use casekit::registry::{About, CaseService, Pending, Retention};
use casekit::reminders::Owed;
use casekit::retention::Anonymise;
use casekit::tracker::{Calendars, TrackerPage, TrackerView};
use platform::calendar::{self, WorkingDayCalendar};
use platform::db::{self, Pool};
use platform::postcode::Postcode;
use platform::reference::Reference;
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

use super::clock::Due;
use super::release::RESPONSE_FILES;
use super::store::{self, InformationRequest, LETTER_CASE, REQUEST_FILES};

pub struct InformationRequests;

static TRACKER: TrackerPage = casekit::tracker_page!(
    "/information-request",
    heading: "Check the progress of your request for information",
    example: "FOI-2026-000042",
    reference_hint: "For example, FOI-2026-000042. It is on your confirmation page and in our letters.",
    postcode_hint: "The postcode you gave for our reply by post. If you asked for a reply by email, use the link in our email.",
);

/// What the service is, for the kit's pieces a handler uses directly (bulk assignment).
pub fn about() -> &'static About {
    &ABOUT
}

static ABOUT: About = About {
    slug: "information-requests",
    name: "Information requests",
    letter_kinds: &super::letters::KINDS,
    drafts: Some(store::DRAFTS),
    tracker_page: Some(&TRACKER),
    retention: Retention { years: 6, from: "from the day a request is answered (and any review or ICO complaint decided)" },
    readers: super::staff::HANDLERS,
    queue: "/staff/information-requests",
    privacy: casekit::registry::PrivacyWords {
        holds: "For a freedom of information or environmental information request: your name, contact details and what you ask for. For a subject access request: the same, and proof of your identity, which is deleted as soon as your identity is confirmed.",
        why: "To answer your request under the Freedom of Information Act 2000, the Environmental Information Regulations 2004 or the UK GDPR (Article 15). Lawful basis: a legal obligation (UK GDPR Article 6(1)(c)).",
        shared_with: "Nobody outside the office. Answers to information requests are published in the disclosure log without your name; answers to subject access requests are never published.",
    },
    assigned: &[casekit::registry::Assigned {
        table: "casework_information_request",
        record_type: "information request",
        open: "closed_on IS NULL",
    }],
};

impl CaseService for InformationRequests {
    casekit::forward_case_service!(about: ABOUT, retention: self, people: self);
    fn find_tracked<'a>(
        &'a self,
        pool: &'a Pool,
        calendars: &'a Calendars,
        reference: &'a Reference,
        postcode: &'a Postcode,
    ) -> Pending<'a, Option<TrackerView>> {
        Box::pin(super::tracker::find_view(pool, reference, postcode, &calendars.uk_wide, &calendars.local))
    }
    fn tracked_by_token<'a>(
        &'a self,
        pool: &'a Pool,
        calendars: &'a Calendars,
        token: &'a str,
    ) -> Pending<'a, Option<TrackerView>> {
        Box::pin(super::tracker::view_by_token(pool, token, &calendars.uk_wide, &calendars.local))
    }
    fn open_deadlines<'a>(&'a self, pool: &'a Pool, calendars: &'a Calendars) -> Pending<'a, Vec<Deadline>> {
        Box::pin(async move {
            let unanswered = store::unanswered(pool).await?;
            Ok(unanswered
                .iter()
                .filter_map(|r| match r.due(&calendars.uk_wide, &calendars.local) {
                    Due::On { due_on, .. } => Some(Deadline {
                        case_id: r.id.clone(),
                        reference: r.reference.clone(),
                        step: REPLY_STEP,
                        due_on,
                        assigned_to: r.assigned_to.clone(),
                        received_on: db::parse_date(&r.received_on).unwrap_or(due_on),
                    }),
                    Due::Stopped { .. } => None,
                })
                .collect())
        })
    }
    fn reminders_owed<'a>(&'a self, pool: &'a Pool, today: Date, local: &'a WorkingDayCalendar) -> Pending<'a, Vec<Owed>> {
        Box::pin(async move {
            let foi = calendar::store::freedom_of_information(pool).await?;
            Ok(store::unanswered(pool).await?.iter().filter_map(|r| reminder_owed(r, today, &foi, local)).collect())
        })
    }
}

/// The one step a request's clock times.
const REPLY_STEP: &str = "Reply to the request";

/// The reminder a request's reply is owed today: two working days before it is due, and once it
/// is late. A request whose clock is stopped (waiting for clarification, a fee or identity) owes
/// none until it runs again.
pub fn reminder_owed(
    request: &InformationRequest,
    today: Date,
    foi: &WorkingDayCalendar,
    local: &WorkingDayCalendar,
) -> Option<Owed> {
    let Due::On { due_on, rule } = request.due(foi, local) else { return None };
    let step = Step { kind: (), due_on, done_on: None, rule };
    let reminder = clock::reminder_owed(&step, today, local)?;
    Some(Owed {
        case_id: request.id.clone(),
        reference: request.reference.clone(),
        step_slug: "reply",
        step_name: REPLY_STEP,
        due_on: step.due_on,
        rule: step.rule,
        reminder,
        path: format!("/staff/information-requests/{}", request.reference),
        assignee: request.assigned_to.clone(),
    })
}

const REQUEST: Anonymise = Anonymise {
    record_type: "information request",
    table: "casework_information_request",
    set: "requester_name = $1, email = NULL, postal_address = NULL, postcode = NULL, request_text = $1, response_text = NULL, released_token = NULL, \
          acting_for = CASE WHEN acting_for IS NULL THEN NULL ELSE $1 END, acting_as = NULL",
    related: &["UPDATE casework_information_appeal SET grounds = $1, notes = NULL WHERE request_id = $2"],
    by_id: &["UPDATE casework_information_draft SET answers = '{}' WHERE request_id = $1"],
    letters: Some(LETTER_CASE),
    files: &[REQUEST_FILES],
};

/// A subject access response's documents are the requester's own data, so they go too.
const SUBJECT_ACCESS: Anonymise = Anonymise { files: &[REQUEST_FILES, RESPONSE_FILES], ..REQUEST };

/// Removes the personal details of every request answered before `closed_before` with no review
/// or ICO complaint still open. What was published in the disclosure log is a copy of its own
/// and stays; released documents stay too, except a subject access response's.
pub async fn anonymise_closed(pool: &Pool, closed_before: Date, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let requests: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT r.id, r.reference, r.kind FROM casework_information_request r \
         WHERE r.responded_on IS NOT NULL AND COALESCE(r.closed_on, r.responded_on) < $1 AND r.anonymised_at IS NULL \
         AND NOT EXISTS (SELECT 1 FROM casework_information_appeal a WHERE a.request_id = r.id AND a.decided_on IS NULL)",
    )
    .bind(db::date(closed_before))
    .fetch_all(pool)
    .await?;
    let (sar, other): (Vec<_>, Vec<_>) = requests.into_iter().partition(|(_, _, kind)| kind == "sar");
    let ids =
        |cases: Vec<(String, String, String)>| cases.into_iter().map(|(id, reference, _)| (id, reference)).collect::<Vec<_>>();
    Ok(SUBJECT_ACCESS.each(pool, &ids(sar), now).await? + REQUEST.each(pool, &ids(other), now).await?)
}

type Identifying = (String, String, Option<String>, Option<String>, Option<String>);

/// Every request made by the person asked about, with everything held on it.
pub async fn find_person(pool: &Pool, query: &PersonQuery) -> Result<Vec<HeldRecord>, sqlx::Error> {
    let rows: Vec<Identifying> =
        sqlx::query_as("SELECT reference, requester_name, email, postcode, acting_for FROM casework_information_request")
            .fetch_all(pool)
            .await?;
    let mut found = Vec::new();
    for (reference, name, email, postcode, acting_for) in rows {
        // A request made for someone else holds about them too.
        let held = Held::one(&reference, Some(&name), email.as_deref(), postcode.as_deref()).also_named(acting_for.as_deref());
        let Some(matched_on) = query.matches(&held) else { continue };
        let Some(request) = store::find(pool, &reference).await? else { continue };
        found.push(HeldRecord {
            service: "Information requests",
            what: request.kind().name(),
            received_on: request.received_on.clone(),
            name: request.requester_name.clone(),
            matched_on,
            path: format!("/staff/information-requests/{reference}"),
            anonymised: request.anonymised_at.is_some(),
            details: details(pool, &request).await?,
            reference,
        });
    }
    Ok(found)
}

async fn details(pool: &Pool, request: &InformationRequest) -> Result<Value, sqlx::Error> {
    Ok(json!({
        "request": request,
        "reviews_and_complaints": super::appeals::appeals_of(pool, &request.id).await?,
        "time_spent": store::time_of(pool, &request.id).await?,
        "letters": casekit::letters::letters_of(pool, LETTER_CASE, &request.id).await?,
        "files_sent_by_the_requester": people::file_names(pool, REQUEST_FILES, &request.id).await?,
        "documents_released": people::file_names(pool, RESPONSE_FILES, &request.id).await?,
    }))
}
