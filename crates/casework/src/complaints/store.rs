//! Police complaint review records in the database. Every change is one transaction that also
//! writes the audit log (and any email or letter), so a record and its trail never disagree.

use platform::audit::{self, Actor, Event};
use platform::auth::store::sha256_hex;
use platform::db::{self, Pool};
use platform::reference::{self, Reference};
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

/// What the applicant is told after submitting.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub id: String,
    pub reference: Reference,
    pub tracker_token: String,
}

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
    let mut tx = platform::db::begin_write(pool).await?;
    let id = platform::ids::new_id();
    let reference = reference::next(&mut *tx, PREFIX, today.year()).await?;
    let token = platform::auth::store::new_token();
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
    .bind(&answers.contact_method)
    .bind(opt(&answers.email))
    .bind(opt(&answers.telephone))
    .bind(opt(&answers.postal_address))
    .bind(&answers.postcode)
    .bind(&answers.force_reference)
    .bind(&answers.outcome_given_on)
    .bind(&answers.stated_review_body)
    .bind(opt(&answers.late_reason))
    .bind(opt(&answers.needs))
    .bind(serde_json::to_string(timescales).unwrap_or_default())
    .bind(sha256_hex(&token))
    .execute(&mut *tx)
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
        .execute(&mut *tx)
        .await?;
    }
    DRAFTS.mark_submitted(&mut tx, draft_id, (REVIEW_FILES, &id), now).await?;
    let detail = format!(
        "{} allegations; outcome letter names {}; {}",
        answers.allegations.len(),
        answers.stated_review_body,
        if answers.late_on(today) { "after the 28 days" } else { "within the 28 days" }
    );
    audit::record(
        &mut tx,
        actor,
        Event { action: "applied", record_type: RECORD_TYPE, record_id: &reference.to_string(), detail: &detail },
        now,
    )
    .await?;
    if let Some(email) = confirmation(&reference, &token) {
        platform::mail::enqueue(&mut tx, settings, &email).await?;
    }
    tx.commit().await?;
    Ok(Submitted { id, reference, tracker_token: token })
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
    pub contact_method: String,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub postal_address: Option<String>,
    pub postcode: Option<String>,
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
    /// The email address letters go to, when email is how they asked to hear from us.
    pub fn letter_email(&self) -> Option<String> {
        (self.contact_method == "email").then(|| self.email.clone()).flatten()
    }
}

const SELECT: &str = "SELECT id, reference, received_at, received_on, applying_as, complainant_name, representative_name, \
    representative_relationship, consent_by, contact_method, email, telephone, postal_address, postcode, force_reference, \
    outcome_given_on, stated_review_body, late_reason, needs, timescales, stage, assigned_to, acknowledged_on, forwarded_sent_on, \
    forwarded_arrived_on, schedule_3, iopc_reasons, exceptional_circumstances, validity, validity_reasons, validity_decided_on, \
    validity_decided_by, file_requested_on, file_due_on, file_received_on, decided_on, decided_by, decision_summary, closed_on, \
    anonymised_at FROM casework_complaint_review";

pub async fn find(pool: &Pool, reference: &str) -> Result<Option<Review>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE reference = $1"))).bind(reference).fetch_optional(pool).await
}

pub async fn find_by_token(pool: &Pool, token: &str) -> Result<Option<Review>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT} WHERE tracker_token_hash = $1")))
        .bind(sha256_hex(token))
        .fetch_optional(pool)
        .await
}

/// Reviews for the queue: open ones, or all when asked.
pub async fn list(pool: &Pool, include_closed: bool) -> Result<Vec<Review>, sqlx::Error> {
    let filter = if include_closed { "" } else { " WHERE closed_on IS NULL" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{SELECT}{filter} ORDER BY received_on, reference"))).fetch_all(pool).await
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

// ---------------------------------------------------------------------------------------------
// Questions to the force

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ForceQuestion {
    pub id: String,
    pub question: String,
    pub asked_on: String,
    pub due_on: String,
    pub answer: Option<String>,
    pub answered_on: Option<String>,
    pub answered_by: Option<String>,
}

pub async fn questions_of(pool: &Pool, review_id: &str) -> Result<Vec<ForceQuestion>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, question, asked_on, due_on, answer, answered_on, answered_by FROM casework_complaint_question \
         WHERE review_id = $1 ORDER BY asked_on, id",
    )
    .bind(review_id)
    .fetch_all(pool)
    .await
}

#[allow(clippy::too_many_arguments)]
pub async fn ask_force(
    conn: &mut AnyConnection,
    review: &Review,
    question: &str,
    today: Date,
    due_on: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO casework_complaint_question (id, review_id, question, asked_on, due_on) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(platform::ids::new_id())
    .bind(&review.id)
    .bind(question)
    .bind(db::date(today))
    .bind(db::date(due_on))
    .execute(&mut *conn)
    .await?;
    audit::record(conn, actor, event(review, "asked the force", &format!("due {due_on}")), now).await?;
    Ok(())
}

pub async fn answer_question(
    conn: &mut AnyConnection,
    review: &Review,
    question_id: &str,
    answer: &str,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_question SET answer = $1, answered_on = $2, answered_by = $3 \
         WHERE id = $4 AND review_id = $5 AND answer IS NULL",
    )
    .bind(answer)
    .bind(db::date(today))
    .bind(&actor.label)
    .bind(question_id)
    .bind(&review.id)
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(conn, actor, event(review, "answered a question", question_id), now).await?;
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// Recommendations to the force

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Recommendation {
    pub id: String,
    pub recommendation: String,
    pub respond_by: String,
    pub response_requested_on: Option<String>,
    pub chased_on: Option<String>,
    pub chase_count: i64,
    pub force_response: Option<String>,
    pub response_detail: Option<String>,
    pub responded_on: Option<String>,
    pub responded_by: Option<String>,
    pub closed_on: Option<String>,
}

impl Recommendation {
    pub fn respond_by(&self) -> Date {
        db::parse_date(&self.respond_by).unwrap_or(Date::MAX)
    }
    pub fn response_name(&self) -> &'static str {
        super::force_response_name(self.force_response.as_deref().unwrap_or_default())
    }
    /// Asked for, not answered, and past its date: chased daily by the reminders task.
    pub fn response_overdue(&self, today: Date) -> bool {
        self.response_requested_on.is_some()
            && self.force_response.is_none()
            && self.closed_on.is_none()
            && today > self.respond_by()
    }
}

const RECOMMENDATION_SELECT: &str = "SELECT id, recommendation, respond_by, response_requested_on, chased_on, chase_count, \
    force_response, response_detail, responded_on, responded_by, closed_on FROM casework_complaint_recommendation";

pub async fn recommendations_of(pool: &Pool, review_id: &str) -> Result<Vec<Recommendation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{RECOMMENDATION_SELECT} WHERE review_id = $1 ORDER BY created_at, id")))
        .bind(review_id)
        .fetch_all(pool)
        .await
}

/// Recommendations whose response is awaited, across every review, with their review.
pub async fn awaited_recommendations(pool: &Pool) -> Result<Vec<(String, Recommendation)>, sqlx::Error> {
    let recommendations: Vec<(String,)> = sqlx::query_as(
        "SELECT review_id FROM casework_complaint_recommendation WHERE force_response IS NULL AND closed_on IS NULL \
         AND response_requested_on IS NOT NULL ORDER BY respond_by, id",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (review_id,) in recommendations {
        if seen.contains(&review_id) {
            continue;
        }
        seen.push(review_id.clone());
        for r in recommendations_of(pool, &review_id).await? {
            if r.force_response.is_none() && r.closed_on.is_none() && r.response_requested_on.is_some() {
                out.push((review_id.clone(), r));
            }
        }
    }
    Ok(out)
}

pub async fn add_recommendation(
    conn: &mut AnyConnection,
    review: &Review,
    text: &str,
    respond_by: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO casework_complaint_recommendation (id, review_id, recommendation, respond_by, chase_count, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(platform::ids::new_id())
    .bind(&review.id)
    .bind(text)
    .bind(db::date(respond_by))
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    audit::record(conn, actor, event(review, "added recommendation", &format!("response by {respond_by}")), now).await?;
    Ok(())
}

/// Marks every recommendation not yet asked about as asked about today.
pub async fn request_responses(conn: &mut AnyConnection, review: &Review, today: Date) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_recommendation SET response_requested_on = $1 WHERE review_id = $2 AND response_requested_on IS NULL",
    )
    .bind(db::date(today))
    .bind(&review.id)
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected())
}

#[allow(clippy::too_many_arguments)]
pub async fn record_response(
    conn: &mut AnyConnection,
    review: &Review,
    recommendation_id: &str,
    response: &str,
    detail: &str,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_recommendation SET force_response = $1, response_detail = $2, responded_on = $3, responded_by = $4 \
         WHERE id = $5 AND review_id = $6 AND closed_on IS NULL",
    )
    .bind(response)
    .bind(detail)
    .bind(db::date(today))
    .bind(&actor.label)
    .bind(recommendation_id)
    .bind(&review.id)
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(conn, actor, event(review, "recorded the force's response", &format!("{recommendation_id}: {response}")), now)
        .await?;
    Ok(true)
}

/// Closes a recommendation the force has answered; true when that was the last open one.
pub async fn close_recommendation(
    conn: &mut AnyConnection,
    review: &Review,
    recommendation_id: &str,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Option<bool>, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_recommendation SET closed_on = $1 WHERE id = $2 AND review_id = $3 \
         AND force_response IS NOT NULL AND closed_on IS NULL",
    )
    .bind(db::date(today))
    .bind(recommendation_id)
    .bind(&review.id)
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(None);
    }
    audit::record(conn, actor, event(review, "closed recommendation", recommendation_id), now).await?;
    let open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM casework_complaint_recommendation WHERE review_id = $1 AND closed_on IS NULL")
            .bind(&review.id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Some(open == 0))
}

/// Records a chase of an overdue response unless it was chased on or after `not_since`; true
/// when this call chased it (so two processes never both send the chase).
pub async fn mark_chased(
    conn: &mut AnyConnection,
    recommendation_id: &str,
    today: Date,
    not_since: Date,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_recommendation SET chased_on = $1, chase_count = chase_count + 1 \
         WHERE id = $2 AND force_response IS NULL AND closed_on IS NULL AND (chased_on IS NULL OR chased_on < $3)",
    )
    .bind(db::date(today))
    .bind(recommendation_id)
    .bind(db::date(not_since))
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}
