//! ASB Case Review records in the database. Every change is one transaction that also writes
//! the audit log (and any email), so a record and its trail never disagree.

use casekit::drafts::Arrived;
pub use casekit::drafts::Submitted;
use platform::audit::{self, Actor, Event};
use platform::auth::store::sha256_hex;
use platform::contact::StoredContact;
use platform::db::{self, Pool};
use platform::reference::Reference;
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};

use super::Stage;
use super::answers::{ApplicationAnswers, Incident};
use super::policy::Policy;
use super::threshold::{ReportedIncident, ThresholdRule};
use super::timescales::{ApplicationDates, Timescales};

pub const PREFIX: &str = "ASB";
pub const APPEAL_PREFIX: &str = "ASBA";
/// Files attached to an application are owned by it under this name.
pub const APPLICATION_FILES: &str = "asb-application";
pub const DRAFT_FILES: &str = "asb-draft";
pub const APPEAL_FILES: &str = "asb-appeal";

// ---------------------------------------------------------------------------------------------
// Drafts

pub const DRAFTS: casekit::drafts::Drafts = casekit::drafts::Drafts {
    table: "casework_asb_draft",
    cases: "casework_asb_application",
    case_column: "application_id",
    files: DRAFT_FILES,
};

pub type Draft = casekit::drafts::Draft<ApplicationAnswers>;

pub async fn create_draft(pool: &Pool, now: OffsetDateTime) -> Result<String, sqlx::Error> {
    DRAFTS.create::<ApplicationAnswers>(pool, now).await
}

pub async fn load_draft(pool: &Pool, id: &str) -> Result<Option<Draft>, sqlx::Error> {
    DRAFTS.load(pool, id).await
}

pub async fn save_draft(pool: &Pool, id: &str, answers: &ApplicationAnswers, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    DRAFTS.save(pool, id, answers, now).await
}

// ---------------------------------------------------------------------------------------------
// Applications

/// A new random tracker token; only its hash is stored.
pub fn new_tracker_token() -> String {
    platform::auth::store::new_token()
}

/// Turns a complete draft into an application, in one transaction with its incidents, files,
/// audit entry and the acknowledgement email.
#[allow(clippy::too_many_arguments)]
pub async fn submit_application(
    pool: &Pool,
    draft_id: &str,
    answers: &ApplicationAnswers,
    review_body_id: &str,
    policy: &Policy,
    now: OffsetDateTime,
    today: Date,
    actor: &Actor,
    confirmation: impl FnOnce(&Reference, &str) -> Option<platform::mail::Email>,
    settings: &platform::config::Settings,
) -> Result<Submitted, sqlx::Error> {
    let mut arrival = DRAFTS.arrive(pool, PREFIX, today).await?;
    let (id, token_hash) = (arrival.id.clone(), arrival.token_hash());
    let reference = arrival.reference.clone();
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    sqlx::query(
        "INSERT INTO casework_asb_application (id, reference, draft_id, received_at, received_on, applying_as, relationship, \
         victim_kind, victim_name, applicant_name, contact_method, email, telephone, postal_address, postcode, \
         location_address, location_postcode, district_id, review_body_id, continuing, hate, needs, consent, timescales, \
         threshold_rule, tracker_token_hash, stage) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, 1, $23, $24, $25, 'received')",
    )
    .bind(&id)
    .bind(reference.to_string())
    .bind(draft_id)
    .bind(db::timestamp(now))
    .bind(db::date(today))
    .bind(&answers.applying_as)
    .bind(opt(&answers.relationship))
    .bind(&answers.victim_kind)
    .bind(&answers.victim_name)
    .bind(&answers.applicant_name)
    .bind(&answers.contact.contact_method)
    .bind(opt(&answers.contact.email))
    .bind(opt(&answers.contact.telephone))
    .bind(opt(&answers.contact.postal_address))
    .bind(opt(&answers.contact.postcode))
    .bind(opt(&answers.location_address))
    .bind(&answers.location_postcode)
    .bind(&answers.district_id)
    .bind(review_body_id)
    .bind(i64::from(answers.continuing == "yes"))
    .bind(&answers.hate)
    .bind(opt(&answers.needs))
    .bind(serde_json::to_string(&policy.timescales).unwrap_or_default())
    .bind(serde_json::to_string(&policy.threshold).unwrap_or_default())
    .bind(&token_hash)
    .execute(&mut *arrival.tx)
    // A second press of "Send" on the same draft breaks the draft's uniqueness: the caller
    // takes that as already sent (the transaction rolls back as it drops).
    .await?;
    for (position, incident) in answers.incidents.iter().enumerate() {
        sqlx::query(
            "INSERT INTO casework_asb_incident (id, application_id, position, occurred_on, reported_on, reported_to, \
             agency_reference, reporter, description) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(platform::ids::new_id())
        .bind(&id)
        .bind(position as i64 + 1)
        .bind(&incident.occurred_on)
        .bind(&incident.reported_on)
        .bind(&incident.reported_to)
        .bind(opt(&incident.agency_reference))
        .bind(opt(&incident.reporter))
        .bind(&incident.description)
        .execute(&mut *arrival.tx)
        .await?;
    }
    let detail = format!("{} incidents; review body {review_body_id}", answers.incidents.len());
    let arrived =
        Arrived { action: "applied", record_type: "ASB case review", detail: &detail, staff_pages: "/staff/asb-case-reviews" };
    arrival.finish(&DRAFTS, draft_id, APPLICATION_FILES, arrived, actor, now, confirmation, settings).await
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Application {
    pub id: String,
    pub reference: String,
    pub received_at: String,
    pub received_on: String,
    pub applying_as: String,
    pub relationship: Option<String>,
    pub victim_kind: String,
    pub victim_name: String,
    pub applicant_name: String,
    #[sqlx(flatten)]
    pub contact: StoredContact,
    pub location_address: Option<String>,
    pub location_postcode: String,
    pub district_id: String,
    pub district_name: String,
    pub review_body_id: String,
    pub review_body_name: String,
    pub continuing: i64,
    pub hate: String,
    pub needs: Option<String>,
    pub timescales: String,
    pub threshold_rule: String,
    pub stage: Stage,
    pub assigned_to: Option<String>,
    pub acknowledged_on: Option<String>,
    pub threshold_outcome: Option<String>,
    pub threshold_factors: Option<String>,
    pub threshold_reasons: Option<String>,
    pub threshold_decided_on: Option<String>,
    pub threshold_decided_by: Option<String>,
    pub review_to_be_held: Option<i64>,
    pub meeting_on: Option<String>,
    pub meeting_chair: Option<String>,
    pub chair_independent: Option<i64>,
    pub meeting_attendees: Option<String>,
    pub outcome_summary: Option<String>,
    pub outcome_sent_on: Option<String>,
    pub closed_on: Option<String>,
    pub anonymised_at: Option<String>,
}

impl db::Readable for Application {
    fn unreadable(&self) -> Option<String> {
        let problem = db::unreadable_date("received_on", &self.received_on)
            .or_else(|| db::unreadable_json::<Timescales>("timescales", &self.timescales))
            .or_else(|| db::unreadable_json::<ThresholdRule>("threshold_rule", &self.threshold_rule));
        problem.map(|p| format!("{}: {p}", self.reference))
    }
}

/// The accessors read columns checked on load (`db::Readable`); their defaults are never reached
/// for a stored row.
impl Application {
    pub fn stage(&self) -> Stage {
        self.stage
    }
    pub fn timescales(&self) -> Timescales {
        serde_json::from_str(&self.timescales).unwrap_or_default()
    }
    pub fn threshold_rule(&self) -> ThresholdRule {
        serde_json::from_str(&self.threshold_rule).unwrap_or_default()
    }
    pub fn received(&self) -> Date {
        db::parse_date(&self.received_on).unwrap_or(Date::MIN)
    }
    pub fn dates(&self) -> ApplicationDates {
        let d = |v: &Option<String>| v.as_deref().and_then(db::parse_date);
        ApplicationDates {
            received_on: db::parse_date(&self.received_on),
            acknowledged_on: d(&self.acknowledged_on),
            threshold_decided_on: d(&self.threshold_decided_on),
            review_to_be_held: self.review_to_be_held.map(|v| v != 0),
            meeting_on: d(&self.meeting_on),
            outcome_sent_on: d(&self.outcome_sent_on),
        }
    }
    pub fn is_open(&self) -> bool {
        self.closed_on.is_none()
    }
    pub fn hate_motivated(&self) -> bool {
        self.hate == "yes"
    }
}

const APPLICATION_SELECT: &str = "SELECT a.id, a.reference, a.received_at, a.received_on, a.applying_as, a.relationship, a.victim_kind, \
    a.victim_name, a.applicant_name, a.contact_method, a.email, a.telephone, a.postal_address, a.postcode, a.location_address, \
    a.location_postcode, a.district_id, d.name AS district_name, a.review_body_id, b.name AS review_body_name, a.continuing, \
    a.hate, a.needs, a.timescales, a.threshold_rule, a.stage, a.assigned_to, a.acknowledged_on, a.threshold_outcome, a.threshold_factors, a.threshold_reasons, \
    a.threshold_decided_on, a.threshold_decided_by, a.review_to_be_held, a.meeting_on, a.meeting_chair, a.chair_independent, \
    a.meeting_attendees, a.outcome_summary, a.outcome_sent_on, a.closed_on, a.anonymised_at \
    FROM casework_asb_application a \
    JOIN casework_asb_district d ON d.id = a.district_id \
    JOIN casework_asb_review_body b ON b.id = a.review_body_id";

pub async fn find_application(pool: &Pool, reference: &str) -> Result<Option<Application>, sqlx::Error> {
    db::find_readable(pool, APPLICATION_SELECT, "a.reference", reference).await
}

pub async fn find_application_by_token(pool: &Pool, token: &str) -> Result<Option<Application>, sqlx::Error> {
    db::find_readable(pool, APPLICATION_SELECT, "a.tracker_token_hash", &sha256_hex(token)).await
}

/// Applications for the queue: open ones (or all, when asked), optionally for one review body.
pub async fn list_applications(
    pool: &Pool,
    include_closed: bool,
    review_body: Option<&str>,
) -> Result<Vec<Application>, sqlx::Error> {
    let mut sql = format!("{APPLICATION_SELECT} WHERE 1 = 1");
    if !include_closed {
        sql.push_str(" AND a.closed_on IS NULL");
    }
    if review_body.is_some() {
        sql.push_str(" AND a.review_body_id = $1");
    }
    sql.push_str(" ORDER BY a.received_on, a.reference");
    let query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    let query = if let Some(body) = review_body { query.bind(body.to_string()) } else { query };
    query.fetch_all(pool).await.and_then(db::all_readable)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredIncident {
    pub position: i64,
    pub occurred_on: String,
    pub reported_on: String,
    pub reported_to: String,
    pub agency_reference: Option<String>,
    pub reporter: Option<String>,
    pub description: String,
}

impl StoredIncident {
    pub fn for_threshold(&self) -> Option<ReportedIncident> {
        Some(ReportedIncident {
            occurred_on: db::parse_date(&self.occurred_on)?,
            reported_on: db::parse_date(&self.reported_on)?,
            reporter: self.reporter.clone().unwrap_or_default(),
        })
    }
    pub fn as_answer(&self) -> Incident {
        Incident {
            occurred_on: self.occurred_on.clone(),
            reported_on: self.reported_on.clone(),
            reported_to: self.reported_to.clone(),
            agency_reference: self.agency_reference.clone().unwrap_or_default(),
            reporter: self.reporter.clone().unwrap_or_default(),
            description: self.description.clone(),
        }
    }
}

pub async fn incidents_of(pool: &Pool, application_id: &str) -> Result<Vec<StoredIncident>, sqlx::Error> {
    sqlx::query_as(
        "SELECT position, occurred_on, reported_on, reported_to, agency_reference, reporter, description \
         FROM casework_asb_incident WHERE application_id = $1 ORDER BY position",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await
}

pub use super::agency::store::{FurtherAnswer, InformationRequest, further_answers_of, information_requests_of};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Recommendation {
    pub id: String,
    pub action: String,
    pub owner: String,
    pub due_on: String,
    pub status: String,
}

impl Recommendation {
    pub fn status_name(&self) -> &'static str {
        match self.status.as_str() {
            "done" => "Done",
            "not-done" => "Not done",
            _ => "Open",
        }
    }
}

pub async fn recommendations_of(pool: &Pool, application_id: &str) -> Result<Vec<Recommendation>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, action, owner, due_on, status FROM casework_asb_recommendation WHERE application_id = $1 ORDER BY created_at, id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await
}

pub use casekit::letters::{Letter, find_letter, letters_of, record_letter};

pub use casekit::change::{Change, Value};

/// Applies a change in the caller's transaction, only if the application is still at one of
/// `from` stages (so two people acting at once cannot both move it).
pub async fn change_application(
    conn: &mut AnyConnection,
    application: &Application,
    from: &[Stage],
    change: &Change<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let from: Vec<&str> = from.iter().map(|s| s.slug()).collect();
    let case = casekit::change::Case {
        table: "casework_asb_application",
        id: &application.id,
        record_type: "ASB case review",
        reference: &application.reference,
    };
    casekit::change::apply(conn, &case, &from, change, actor, now).await
}

/// Records a step on an application in the audit log, in the caller's transaction.
pub async fn audited(
    conn: &mut AnyConnection,
    application: &Application,
    actor: &Actor,
    (action, detail): (&str, &str),
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let event = Event { action, record_type: "ASB case review", record_id: &application.reference, detail };
    audit::record(conn, actor, event, now).await.map(|_| ())
}

pub async fn add_recommendation(
    conn: &mut AnyConnection,
    application: &Application,
    action: &str,
    owner: &str,
    due_on: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO casework_asb_recommendation (id, application_id, action, owner, due_on, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $6)",
    )
    .bind(platform::ids::new_id())
    .bind(&application.id)
    .bind(action)
    .bind(owner)
    .bind(db::date(due_on))
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    let detail = format!("owner {owner}, due {due_on}");
    audited(conn, application, actor, ("added recommendation", &detail), now).await?;
    Ok(())
}

pub async fn set_recommendation_status(
    conn: &mut AnyConnection,
    application: &Application,
    recommendation_id: &str,
    status: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let result =
        sqlx::query("UPDATE casework_asb_recommendation SET status = $1, updated_at = $2 WHERE id = $3 AND application_id = $4")
            .bind(status)
            .bind(db::timestamp(now))
            .bind(recommendation_id)
            .bind(&application.id)
            .execute(&mut *conn)
            .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    let detail = format!("{recommendation_id} now {status}");
    audited(conn, application, actor, ("updated recommendation", &detail), now).await?;
    Ok(true)
}
