//! Information requests in the database. Every change is one transaction with its audit entry
//! (and any email), as in the other services. Due dates are not stored: they are worked out
//! from the clock's facts each time (clock.rs), so they follow the calendar.

use casekit::drafts::Arrived;
pub use casekit::drafts::Submitted;
use platform::audit::{self, Actor, Event};
use platform::auth::store::sha256_hex;
use platform::calendar::WorkingDayCalendar;
use platform::contact::StoredContact;
use platform::db::{self, Pool};
use platform::reference::Reference;
use time::{Date, OffsetDateTime};

use super::answers::{ReplyTo, RequestAnswers, title_of};
use super::clock::{self, ClockFacts, Due, RequestKind};
use super::disclosure::{self, NewEntry};
use casekit::drafts::Drafts;

pub const RECORD_TYPE: &str = "information request";
/// Letters of a request are filed under this case type.
pub const LETTER_CASE: &str = "information-request";
pub const DRAFT_FILES: &str = "information-request-draft";
/// Files sent with a request: a subject access request's identity evidence.
pub const REQUEST_FILES: &str = "information-request";

pub const DRAFTS: Drafts = Drafts {
    table: "casework_information_draft",
    cases: "casework_information_request",
    case_column: "request_id",
    files: DRAFT_FILES,
};

pub type Draft = casekit::drafts::Draft<RequestAnswers>;

/// GUIDANCE (FOIA s.12 and the Fees Regulations 2004): the appropriate limit for a police and
/// crime commissioner is £450, staff time costed at £25 an hour: 18 hours.
pub const APPROPRIATE_LIMIT_MINUTES: i64 = 18 * 60;

/// The sections of the Act most often cited by an office like this one, offered as a list. The
/// flag says whether the public interest test applies (a qualified exemption).
pub const EXEMPTIONS: [(&str, &str, bool); 9] = [
    ("s.12", "Section 12: cost of compliance exceeds the appropriate limit", false),
    ("s.14", "Section 14: vexatious or repeated request", false),
    ("s.21", "Section 21: information reasonably accessible by other means", false),
    ("s.22", "Section 22: information intended for future publication", true),
    ("s.30", "Section 30: investigations and proceedings", true),
    ("s.31", "Section 31: law enforcement", true),
    ("s.40(2)", "Section 40(2): personal information of someone else", false),
    ("s.41", "Section 41: information provided in confidence", false),
    ("s.43", "Section 43: commercial interests", true),
];

/// What a subject access answer may withhold, and why: the Data Protection Act 2018's
/// exemptions from the right of access (Schedule 2), and a refusal of a manifestly unfounded or
/// excessive request (UK GDPR Article 12(5)). None has a public interest test.
pub const SAR_EXEMPTIONS: [(&str, &str, bool); 7] = [
    ("dpa-s2-p2", "Schedule 2, paragraph 2: crime and taxation (prevention or detection of crime)", false),
    ("dpa-s2-p16", "Schedule 2, paragraphs 16 and 17: information about other people", false),
    ("dpa-s2-p19", "Schedule 2, paragraph 19: legal professional privilege", false),
    ("dpa-s2-p22", "Schedule 2, paragraph 22: management forecasts", false),
    ("dpa-s2-p23", "Schedule 2, paragraph 23: negotiations", false),
    ("dpa-s2-p24", "Schedule 2, paragraph 24: confidential references", false),
    ("gdpr-a12-5", "Article 12(5) UK GDPR: manifestly unfounded or excessive request", false),
];

/// The exemptions open to a request of this kind.
pub fn exemptions_for(kind: RequestKind) -> &'static [(&'static str, &'static str, bool)] {
    if kind == RequestKind::SubjectAccess { &SAR_EXEMPTIONS } else { &EXEMPTIONS }
}

/// Cited exemptions as "s.31, s.40(2)" (as stored), in words for the public: "Section 31 (law
/// enforcement) and Section 40(2) (personal information of someone else)". A code this list
/// does not know is shown as stored.
pub fn exemptions_in_words(codes: &str) -> String {
    let words: Vec<String> = codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|code| match EXEMPTIONS.iter().chain(SAR_EXEMPTIONS.iter()).find(|(c, _, _)| *c == code) {
            Some((_, name, _)) => match name.split_once(": ") {
                Some((section, what)) => format!("{section} ({what})"),
                None => name.to_string(),
            },
            None => code.to_string(),
        })
        .collect();
    platform::words::and_list(&words)
}

pub fn exemption_needs_public_interest_test(code: &str) -> bool {
    EXEMPTIONS.iter().any(|(c, _, qualified)| *c == code && *qualified)
}

platform::slugged! {
    /// Where a request has got to.
    pub enum Stage {
        Received = "received",
        /// Waiting for the requester: a clarification or a fee.
        Waiting = "waiting",
        Responded = "responded", Published = "published",
    }
}

platform::stored_as_slug!(Stage);

impl Stage {
    pub fn name(self) -> &'static str {
        match self {
            Stage::Received => "Received",
            Stage::Waiting => "Waiting for the requester",
            Stage::Responded => "Answered",
            Stage::Published => "Answered and published",
        }
    }
}

fn opt(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_string())
}

/// A request as made: from the FOI journey's answers, or a subject access request's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewRequest {
    pub reply_to: ReplyTo,
    pub request_text: String,
    pub preferred_format: String,
    /// Subject access: the period asked about.
    pub sar_from: Option<String>,
    pub sar_to: Option<String>,
    /// Subject access made for someone else: whom it is about, and how the requester acts for them.
    pub acting_for: Option<(String, String)>,
}

impl From<&RequestAnswers> for NewRequest {
    fn from(a: &RequestAnswers) -> Self {
        NewRequest {
            reply_to: a.reply_to.clone(),
            request_text: a.request_text.clone(),
            preferred_format: a.preferred_format.clone(),
            sar_from: None,
            sar_to: None,
            acting_for: None,
        }
    }
}

/// Turns a complete draft into a request, with its files, audit entry and the acknowledgement.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    pool: &Pool,
    draft_id: &str,
    answers: &NewRequest,
    kind: RequestKind,
    now: OffsetDateTime,
    today: Date,
    actor: &Actor,
    acknowledgement: impl FnOnce(&Reference, &str) -> Option<platform::mail::Email>,
    settings: &platform::config::Settings,
) -> Result<Submitted, sqlx::Error> {
    let mut arrival = DRAFTS.arrive(pool, kind.prefix(), today).await?;
    let (id, token_hash) = (arrival.id.clone(), arrival.token_hash());
    let reference = arrival.reference.clone();
    sqlx::query(
        "INSERT INTO casework_information_request (id, reference, kind, draft_id, received_at, received_on, channel, \
         requester_name, contact_method, email, postal_address, postcode, request_text, preferred_format, sar_from, sar_to, \
         tracker_token_hash, identity_received_on, acting_for, acting_as, stage) \
         VALUES ($1, $2, $3, $4, $5, $6, 'online', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 'received')",
    )
    .bind(&id)
    .bind(reference.to_string())
    .bind(kind.slug())
    .bind(draft_id)
    .bind(db::timestamp(now))
    .bind(db::date(today))
    .bind(&answers.reply_to.full_name)
    .bind(&answers.reply_to.contact.contact_method)
    .bind(opt(&answers.reply_to.contact.email))
    .bind(opt(&answers.reply_to.contact.postal_address))
    .bind(opt(&answers.reply_to.contact.postcode))
    .bind(&answers.request_text)
    .bind(&answers.preferred_format)
    .bind(&answers.sar_from)
    .bind(&answers.sar_to)
    .bind(&token_hash)
    // An online subject access request carries its proof of identity: the month runs from today.
    .bind((kind == RequestKind::SubjectAccess).then(|| db::date(today)))
    .bind(answers.acting_for.as_ref().map(|(subject, _)| subject))
    .bind(answers.acting_for.as_ref().map(|(_, as_what)| as_what))
    .execute(&mut *arrival.tx)
    .await?;
    compliance_changed(&mut arrival.tx).await?;
    let detail = format!("{} request made online: {}", kind.prefix(), title_of(&answers.request_text));
    let arrived =
        Arrived { action: "requested", record_type: RECORD_TYPE, detail: &detail, staff_pages: "/staff/information-requests" };
    arrival.finish(&DRAFTS, draft_id, REQUEST_FILES, arrived, actor, now, acknowledgement, settings).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct InformationRequest {
    pub id: String,
    pub reference: String,
    pub kind: String,
    pub received_on: String,
    pub channel: String,
    pub requester_name: String,
    #[sqlx(flatten)]
    pub contact: StoredContact,
    pub request_text: String,
    pub preferred_format: String,
    pub sar_from: Option<String>,
    pub sar_to: Option<String>,
    /// Made for someone else: whom it is about, and how the requester acts for them.
    pub acting_for: Option<String>,
    pub acting_as: Option<String>,
    pub stage: Stage,
    pub assigned_to: Option<String>,
    pub clarification_asked_on: Option<String>,
    pub clarified_on: Option<String>,
    pub fee_notice_on: Option<String>,
    pub fee_paid_on: Option<String>,
    pub identity_asked_on: Option<String>,
    pub identity_received_on: Option<String>,
    pub identity_confirmed_on: Option<String>,
    pub extended: i64,
    pub public_interest_days: i64,
    pub outcome: Option<String>,
    pub exemptions: Option<String>,
    pub response_text: Option<String>,
    /// Who saved the response as it stands (their account, and their name to show).
    pub drafted_by_id: Option<String>,
    pub drafted_by: Option<String>,
    pub approved_by: Option<String>,
    pub approved_on: Option<String>,
    pub responded_on: Option<String>,
    pub closed_on: Option<String>,
    pub anonymised_at: Option<String>,
    /// The private link's token to the documents released, when they were too large to attach.
    pub released_token: Option<String>,
}

fn date_of(text: &Option<String>) -> Option<Date> {
    text.as_deref().and_then(db::parse_date)
}

impl InformationRequest {
    pub fn kind(&self) -> RequestKind {
        RequestKind::from_slug(&self.kind).unwrap_or(RequestKind::Foi)
    }
    pub fn facts(&self) -> ClockFacts {
        ClockFacts {
            received_on: db::parse_date(&self.received_on),
            clarification_asked_on: date_of(&self.clarification_asked_on),
            clarified_on: date_of(&self.clarified_on),
            fee_notice_on: date_of(&self.fee_notice_on),
            fee_paid_on: date_of(&self.fee_paid_on),
            identity_asked_on: date_of(&self.identity_asked_on),
            identity_received_on: date_of(&self.identity_received_on),
            extended: self.extended != 0,
            public_interest_days: u32::try_from(self.public_interest_days).unwrap_or(0),
        }
    }
    pub fn due(&self, foi: &WorkingDayCalendar, local: &WorkingDayCalendar) -> Due {
        clock::due(self.kind(), &self.facts(), foi, local)
    }
    pub fn title(&self) -> String {
        title_of(&self.request_text)
    }
    pub fn exemption_codes(&self) -> Vec<String> {
        self.exemptions.as_deref().unwrap_or_default().split(',').filter(|c| !c.is_empty()).map(str::to_string).collect()
    }
    pub fn is_open(&self) -> bool {
        self.responded_on.is_none()
    }
    /// Whether the answer went out by the due date (None while open or stopped).
    pub fn answered_in_time(&self, foi: &WorkingDayCalendar, local: &WorkingDayCalendar) -> Option<bool> {
        let responded = date_of(&self.responded_on)?;
        Some(self.due(foi, local).date().is_none_or(|due| responded <= due))
    }
}

const SELECT: &str = "SELECT id, reference, kind, received_on, channel, requester_name, contact_method, email, CAST(NULL AS TEXT) AS telephone, \
    postal_address, postcode, request_text, preferred_format, sar_from, sar_to, acting_for, acting_as, stage, assigned_to, clarification_asked_on, clarified_on, fee_notice_on, \
    fee_paid_on, identity_asked_on, identity_received_on, identity_confirmed_on, extended, public_interest_days, outcome, exemptions, response_text, drafted_by_id, drafted_by, approved_by, \
    approved_on, responded_on, closed_on, anonymised_at, released_token FROM casework_information_request";

/// [`SELECT`] with the personal details and texts left out (empty or null in their place).
const CLOCK_SELECT: &str = "SELECT id, reference, kind, received_on, channel, '' AS requester_name, contact_method, \
    CAST(NULL AS TEXT) AS email, CAST(NULL AS TEXT) AS telephone, CAST(NULL AS TEXT) AS postal_address, CAST(NULL AS TEXT) AS postcode, '' AS request_text, \
    preferred_format, sar_from, sar_to, CAST(NULL AS TEXT) AS acting_for, CAST(NULL AS TEXT) AS acting_as, stage, assigned_to, clarification_asked_on, clarified_on, fee_notice_on, \
    fee_paid_on, identity_asked_on, identity_received_on, identity_confirmed_on, extended, public_interest_days, outcome, exemptions, CAST(NULL AS TEXT) AS response_text, \
    drafted_by_id, drafted_by, approved_by, approved_on, responded_on, closed_on, anonymised_at, released_token FROM casework_information_request";

impl db::Readable for InformationRequest {
    fn unreadable(&self) -> Option<String> {
        db::unreadable_date("received_on", &self.received_on).map(|p| format!("{}: {p}", self.reference))
    }
}

pub async fn find(pool: &Pool, reference: &str) -> Result<Option<InformationRequest>, sqlx::Error> {
    db::find_readable(pool, SELECT, "reference", reference).await
}

/// The request whose released documents this private link is for.
pub async fn find_by_released_token(pool: &Pool, token: &str) -> Result<Option<InformationRequest>, sqlx::Error> {
    db::find_readable(pool, SELECT, "released_token", token).await
}

pub async fn find_by_token(pool: &Pool, token: &str) -> Result<Option<InformationRequest>, sqlx::Error> {
    db::find_readable(pool, SELECT, "tracker_token_hash", &sha256_hex(token)).await
}

/// Every request not yet answered, for the reminders of their due dates.
pub async fn unanswered(pool: &Pool) -> Result<Vec<InformationRequest>, sqlx::Error> {
    let sql = format!("{CLOCK_SELECT} WHERE responded_on IS NULL ORDER BY received_on, reference");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.and_then(db::all_readable)
}

/// Open requests first, then the answered ones, oldest received first within each.
pub async fn queue(pool: &Pool) -> Result<Vec<InformationRequest>, sqlx::Error> {
    let sql = format!("{SELECT} ORDER BY CASE WHEN responded_on IS NULL THEN 0 ELSE 1 END, received_on, reference LIMIT 500");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await.and_then(db::all_readable)
}

/// Requests received in a date range (inclusive), for statistics and the compliance rate.
pub async fn received_between(pool: &Pool, from: Date, to: Date) -> Result<Vec<InformationRequest>, sqlx::Error> {
    let sql = format!("{SELECT} WHERE received_on >= $1 AND received_on <= $2 ORDER BY received_on");
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(db::date(from))
        .bind(db::date(to))
        .fetch_all(pool)
        .await
        .and_then(db::all_readable)
}

/// One entry of searches made and time spent.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct TimeEntry {
    pub logged_on: String,
    pub minutes: i64,
    pub activity: String,
    pub logged_by: String,
}

pub async fn time_of(pool: &Pool, request_id: &str) -> Result<Vec<TimeEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT logged_on, minutes, activity, logged_by FROM casework_information_time WHERE request_id = $1 ORDER BY logged_on, id",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await
}

async fn audited(
    tx: &mut sqlx::AnyConnection,
    request: &InformationRequest,
    actor: &Actor,
    action: &str,
    detail: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    audit::record(tx, actor, Event { action, record_type: RECORD_TYPE, record_id: &request.reference, detail }, now).await?;
    compliance_changed(tx).await
}

/// Every change to a request can change the compliance rate: the kept figures are out of date.
async fn compliance_changed(tx: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE casework_information_compliance SET version = version + 1 WHERE id = 1").execute(&mut *tx).await?;
    Ok(())
}

/// The kept compliance figures (as JSON), if they were worked out today, after `fresh_after`, from
/// the requests as they are now; otherwise the version to work new ones out against.
pub async fn kept_compliance(pool: &Pool, today: Date, fresh_after: OffsetDateTime) -> Result<Result<String, i64>, sqlx::Error> {
    let (version, computed_version, computed_for, computed_at, figures): (i64, i64, String, String, String) = sqlx::query_as(
        "SELECT version, computed_version, computed_for, computed_at, figures FROM casework_information_compliance WHERE id = 1",
    )
    .fetch_one(pool)
    .await?;
    let fresh = computed_version == version && computed_for == db::date(today) && computed_at >= db::timestamp(fresh_after);
    Ok(if fresh { Ok(figures) } else { Err(version) })
}

/// Keeps figures worked out from the requests as of `version`, unless a request changed since.
pub async fn keep_compliance(
    pool: &Pool,
    version: i64,
    today: Date,
    now: OffsetDateTime,
    figures: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE casework_information_compliance SET computed_version = $1, computed_for = $2, computed_at = $3, figures = $4 \
         WHERE id = 1 AND version = $1",
    )
    .bind(version)
    .bind(db::date(today))
    .bind(db::timestamp(now))
    .bind(figures)
    .execute(pool)
    .await?;
    Ok(())
}

/// Requests received in a date range with only what their clocks need: no names, addresses or
/// texts, which the compliance rate never reads.
pub async fn clocks_received_between(pool: &Pool, from: Date, to: Date) -> Result<Vec<InformationRequest>, sqlx::Error> {
    let sql = format!("{CLOCK_SELECT} WHERE received_on >= $1 AND received_on <= $2 ORDER BY received_on");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(db::date(from)).bind(db::date(to)).fetch_all(pool).await
}

mod steps;
pub use steps::*;

#[cfg(test)]
impl InformationRequest {
    /// An FOI request received online on `received_on` and not yet answered, for tests to vary.
    pub fn example(received_on: &str) -> InformationRequest {
        InformationRequest {
            id: "x".into(),
            reference: "FOI-2026-000001".into(),
            kind: "foi".into(),
            received_on: received_on.into(),
            channel: "online".into(),
            requester_name: "A".into(),
            contact: StoredContact {
                contact_method: platform::contact::ContactMethod::Email,
                email: None,
                telephone: None,
                postal_address: None,
                postcode: None,
            },
            request_text: "Costs".into(),
            preferred_format: "electronic".into(),
            sar_from: None,
            sar_to: None,
            acting_for: None,
            acting_as: None,
            stage: Stage::Received,
            assigned_to: None,
            clarification_asked_on: None,
            clarified_on: None,
            fee_notice_on: None,
            fee_paid_on: None,
            identity_asked_on: None,
            identity_received_on: None,
            identity_confirmed_on: None,
            extended: 0,
            public_interest_days: 0,
            outcome: None,
            exemptions: None,
            response_text: None,
            drafted_by_id: None,
            drafted_by: None,
            approved_by: None,
            approved_on: None,
            responded_on: None,
            closed_on: None,
            anonymised_at: None,
            released_token: None,
        }
    }
}

#[cfg(test)]
mod exemption_tests {
    use super::exemptions_in_words;

    #[test]
    fn exemptions_are_named_in_words() {
        let cases = [
            ("", ""),
            ("s.31", "Section 31 (law enforcement)"),
            ("s.31, s.40(2)", "Section 31 (law enforcement) and Section 40(2) (personal information of someone else)"),
            ("s.99", "s.99"),
        ];
        for (codes, words) in cases {
            assert_eq!(exemptions_in_words(codes), words);
        }
    }
}
