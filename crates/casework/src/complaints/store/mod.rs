//! Police complaint review records in the database. Every change is one transaction that also
//! writes the audit log (and any email or letter), so a record and its trail never disagree.

use casekit::drafts::Arrived;
pub use casekit::drafts::Submitted;
use platform::audit::{self, Actor, Event};
use platform::auth::store::sha256_hex;
use platform::contact::StoredContact;
use platform::db::{self, Pool};
use platform::reference::Reference;
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};

use super::answers::ReviewAnswers;
use super::rules::{self, Forwarding, IopcReason, Timeliness};
use super::timescales::{ReviewDates, Timescales};
use super::{Stage, ValidityOutcome};
pub use casekit::change::{Change, Value};
use casekit::drafts::Drafts;

pub const PREFIX: &str = "CRV";
pub const RECORD_TYPE: &str = "police complaint review";
/// Files sent with a request for review.
pub const REVIEW_FILES: &str = "complaint-review";
pub const DRAFT_FILES: &str = "complaint-review-draft";
/// The complaint file and other papers the force's PSD uploads.
pub const FORCE_FILES: &str = "complaint-review-force";

pub const DRAFTS: Drafts = Drafts {
    table: "casework_complaint_draft",
    cases: "casework_complaint_review",
    case_column: "review_id",
    files: DRAFT_FILES,
};

pub type Draft = casekit::drafts::Draft<ReviewAnswers>;

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Turns a complete draft into a review, in one transaction with its allegations, files, audit
/// entry and the confirmation email.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    pool: &Pool,
    draft_id: &str,
    answers: &ReviewAnswers,
    timescales: &Timescales,
    now: OffsetDateTime,
    today: Date,
    actor: &Actor,
    confirmation: impl FnOnce(&Reference, &str) -> Option<platform::mail::Email>,
    settings: &platform::config::Settings,
) -> Result<Submitted, sqlx::Error> {
    let mut arrival = DRAFTS.arrive(pool, PREFIX, today).await?;
    let (id, token_hash) = (arrival.id.clone(), arrival.token_hash());
    let reference = arrival.reference.clone();
    let representative = answers.is_representative();
    let complainant = if representative { answers.complainant_name.clone() } else { answers.full_name.clone() };
    sqlx::query(
        "INSERT INTO casework_complaint_review (id, reference, draft_id, received_at, received_on, applying_as, complainant_name, \
         representative_name, representative_relationship, consent_by, contact_method, email, telephone, postal_address, postcode, \
         force_reference, outcome_given_on, stated_review_body, late_reason, needs, timescales, tracker_token_hash, stage) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, 'received')",
    )
    .bind(&id)
    .bind(reference.to_string())
    .bind(draft_id)
    .bind(db::timestamp(now))
    .bind(db::date(today))
    .bind(&answers.applying_as)
    .bind(&complainant)
    .bind(representative.then(|| answers.full_name.clone()))
    .bind(representative.then(|| answers.relationship.clone()))
    .bind(representative.then(|| answers.consent_by.clone()))
    .bind(&answers.contact.contact_method)
    .bind(opt(&answers.contact.email))
    .bind(opt(&answers.contact.telephone))
    .bind(opt(&answers.contact.postal_address))
    .bind(&answers.contact.postcode)
    .bind(&answers.force_reference)
    .bind(&answers.outcome_given_on)
    .bind(&answers.stated_review_body)
    .bind(opt(&answers.late_reason))
    .bind(opt(&answers.needs))
    .bind(serde_json::to_string(timescales).unwrap_or_default())
    .bind(&token_hash)
    .execute(&mut *arrival.tx)
    // A second press of "Send" on the same draft breaks the draft's uniqueness: the caller takes
    // that as already sent.
    .await?;
    for (position, allegation) in answers.allegations.iter().enumerate() {
        sqlx::query(
            "INSERT INTO casework_complaint_allegation (id, review_id, position, summary, unhappy_with, why) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(platform::ids::new_id())
        .bind(&id)
        .bind(position as i64 + 1)
        .bind(&allegation.summary)
        .bind(&allegation.unhappy_with)
        .bind(&allegation.why)
        .execute(&mut *arrival.tx)
        .await?;
    }
    let detail = format!(
        "{} allegations; outcome letter names {}; {}",
        answers.allegations.len(),
        answers.stated_review_body,
        if answers.late_on(today) { "after the 28 days" } else { "within the 28 days" }
    );
    let arrived =
        Arrived { action: "applied", record_type: RECORD_TYPE, detail: &detail, staff_pages: "/staff/complaint-reviews" };
    arrival.finish(&DRAFTS, draft_id, REVIEW_FILES, arrived, actor, now, confirmation, settings).await
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Review {
    pub id: String,
    pub reference: String,
    pub received_at: String,
    pub received_on: String,
    pub applying_as: String,
    pub complainant_name: String,
    pub representative_name: Option<String>,
    pub representative_relationship: Option<String>,
    pub consent_by: Option<String>,
    #[sqlx(flatten)]
    pub contact: StoredContact,
    pub force_reference: String,
    pub outcome_given_on: String,
    pub stated_review_body: String,
    pub late_reason: Option<String>,
    pub needs: Option<String>,
    pub timescales: String,
    pub stage: Stage,
    pub assigned_to: Option<String>,
    pub acknowledged_on: Option<String>,
    pub forwarded_sent_on: Option<String>,
    pub forwarded_arrived_on: Option<String>,
    pub schedule_3: Option<i64>,
    pub iopc_reasons: Option<String>,
    pub exceptional_circumstances: Option<i64>,
    pub validity: Option<String>,
    pub validity_reasons: Option<String>,
    pub validity_decided_on: Option<String>,
    pub validity_decided_by: Option<String>,
    pub file_requested_on: Option<String>,
    pub file_due_on: Option<String>,
    pub file_received_on: Option<String>,
    pub decided_on: Option<String>,
    pub decided_by: Option<String>,
    pub decision_summary: Option<String>,
    pub closed_on: Option<String>,
    pub anonymised_at: Option<String>,
}

fn date_of(text: &Option<String>) -> Option<Date> {
    text.as_deref().and_then(db::parse_date)
}

impl db::Readable for Review {
    fn unreadable(&self) -> Option<String> {
        let problem = db::unreadable_date("received_on", &self.received_on)
            .or_else(|| db::unreadable_date("outcome_given_on", &self.outcome_given_on))
            .or_else(|| db::unreadable_json::<Timescales>("timescales", &self.timescales));
        problem.map(|p| format!("{}: {p}", self.reference))
    }
}

/// The accessors read columns checked on load (`db::Readable`); their defaults are never reached
/// for a stored row.
impl Review {
    pub fn stage(&self) -> Stage {
        self.stage
    }
    pub fn timescales(&self) -> Timescales {
        serde_json::from_str(&self.timescales).unwrap_or_default()
    }
    pub fn received(&self) -> Date {
        db::parse_date(&self.received_on).unwrap_or(Date::MIN)
    }
    pub fn outcome_given(&self) -> Date {
        db::parse_date(&self.outcome_given_on).unwrap_or(Date::MIN)
    }
    pub fn validity(&self) -> Option<ValidityOutcome> {
        self.validity.as_deref().and_then(ValidityOutcome::from_slug)
    }
    /// The recorded forwarding between the IOPC and the office, if any.
    pub fn forwarding(&self) -> Vec<Forwarding> {
        match (date_of(&self.forwarded_sent_on), date_of(&self.forwarded_arrived_on)) {
            (Some(sent_on), Some(arrived_on)) => vec![Forwarding { sent_on, arrived_on }],
            _ => Vec::new(),
        }
    }
    /// Whether the request came within the 28 days, with forwarding time excluded.
    pub fn timeliness(&self) -> Timeliness {
        rules::timeliness(self.outcome_given(), self.received(), &self.forwarding())
    }
    pub fn iopc_reasons(&self) -> Vec<IopcReason> {
        self.iopc_reasons.as_deref().unwrap_or_default().split(',').filter_map(IopcReason::from_slug).collect()
    }
    pub fn dates(&self) -> ReviewDates {
        ReviewDates {
            received_on: db::parse_date(&self.received_on),
            acknowledged_on: date_of(&self.acknowledged_on),
            file_requested_on: date_of(&self.file_requested_on),
            file_due_on: date_of(&self.file_due_on),
            file_received_on: date_of(&self.file_received_on),
            decided_on: date_of(&self.decided_on),
        }
    }
    pub fn file_requested(&self) -> bool {
        self.file_requested_on.is_some()
    }
    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }
    /// Who the office writes to: the representative when there is one.
    pub fn addressee(&self) -> String {
        self.representative_name.clone().unwrap_or_else(|| self.complainant_name.clone())
    }
}

const SELECT: &str = "SELECT id, reference, received_at, received_on, applying_as, complainant_name, representative_name, \
    representative_relationship, consent_by, contact_method, email, telephone, postal_address, postcode, force_reference, \
    outcome_given_on, stated_review_body, late_reason, needs, timescales, stage, assigned_to, acknowledged_on, forwarded_sent_on, \
    forwarded_arrived_on, schedule_3, iopc_reasons, exceptional_circumstances, validity, validity_reasons, validity_decided_on, \
    validity_decided_by, file_requested_on, file_due_on, file_received_on, decided_on, decided_by, decision_summary, closed_on, \
    anonymised_at FROM casework_complaint_review";

pub async fn find(pool: &Pool, reference: &str) -> Result<Option<Review>, sqlx::Error> {
    db::find_readable(pool, SELECT, "reference", reference).await
}

pub async fn find_by_token(pool: &Pool, token: &str) -> Result<Option<Review>, sqlx::Error> {
    db::find_readable(pool, SELECT, "tracker_token_hash", &sha256_hex(token)).await
}

/// Reviews for the queue: open ones, or all when asked.
pub async fn list(pool: &Pool, include_closed: bool) -> Result<Vec<Review>, sqlx::Error> {
    let filter = if include_closed { "" } else { " WHERE closed_on IS NULL" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT}{filter} ORDER BY received_on, reference")))
        .fetch_all(pool)
        .await
        .and_then(db::all_readable)
}

/// Applies a change in the caller's transaction, only if the review is still at one of `from`.
pub async fn change(
    conn: &mut AnyConnection,
    review: &Review,
    from: &[Stage],
    change: &Change<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let from: Vec<&str> = from.iter().map(|s| s.slug()).collect();
    let case = casekit::change::Case {
        table: "casework_complaint_review",
        id: &review.id,
        record_type: RECORD_TYPE,
        reference: &review.reference,
    };
    casekit::change::apply(conn, &case, &from, change, actor, now).await
}

fn event<'a>(review: &'a Review, action: &'a str, detail: &'a str) -> Event<'a> {
    Event { action, record_type: RECORD_TYPE, record_id: &review.reference, detail }
}

// ---------------------------------------------------------------------------------------------
// Allegations

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct StoredAllegation {
    pub id: String,
    pub position: i64,
    pub summary: String,
    pub unhappy_with: String,
    pub why: String,
    pub handling_reasonable: Option<i64>,
    pub outcome_reasonable: Option<i64>,
    pub finding: Option<String>,
    pub reasons: Option<String>,
}

impl StoredAllegation {
    pub fn finding_name(&self) -> &'static str {
        match self.finding.as_deref() {
            Some("upheld") => "Upheld",
            Some("not-upheld") => "Not upheld",
            _ => "Not yet decided",
        }
    }
}

pub async fn allegations_of(pool: &Pool, review_id: &str) -> Result<Vec<StoredAllegation>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, position, summary, unhappy_with, why, handling_reasonable, outcome_reasonable, finding, reasons \
         FROM casework_complaint_allegation WHERE review_id = $1 ORDER BY position",
    )
    .bind(review_id)
    .fetch_all(pool)
    .await
}

/// The review's finding on one allegation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllegationFinding {
    pub handling_reasonable: bool,
    pub outcome_reasonable: bool,
    pub upheld: bool,
    pub reasons: String,
}

pub async fn record_finding(
    conn: &mut AnyConnection,
    review: &Review,
    allegation_id: &str,
    finding: &AllegationFinding,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_allegation SET handling_reasonable = $1, outcome_reasonable = $2, finding = $3, reasons = $4 \
         WHERE id = $5 AND review_id = $6",
    )
    .bind(i64::from(finding.handling_reasonable))
    .bind(i64::from(finding.outcome_reasonable))
    .bind(if finding.upheld { "upheld" } else { "not-upheld" })
    .bind(&finding.reasons)
    .bind(allegation_id)
    .bind(&review.id)
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    let detail = format!("{allegation_id}: {}", if finding.upheld { "upheld" } else { "not upheld" });
    audit::record(conn, actor, event(review, "recorded finding", &detail), now).await?;
    Ok(true)
}

mod force;
pub use force::*;
