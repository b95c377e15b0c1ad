//! Appeals as stored: the row an appeal arrives as, and the lookups the office's pages use.

use platform::auth::store::sha256_hex;
use platform::contact::StoredContact;
use platform::db::{self, Pool};
use platform::reference::Reference;
use time::{Date, OffsetDateTime};

use super::Appeal;
use crate::asb::timescales::Timescales;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredAppeal {
    pub id: String,
    pub reference: String,
    pub received_on: String,
    pub application_id: Option<String>,
    pub application_reference: Option<String>,
    pub grounds: String,
    pub full_name: String,
    #[sqlx(flatten)]
    pub contact: StoredContact,
    pub review_body_name: String,
    pub review_body_id: Option<String>,
    pub decision_letter_on: String,
    pub review_reference: Option<String>,
    pub supporting_information: String,
    pub timescales: String,
    pub in_time: i64,
    pub assigned_to: Option<String>,
    pub hearing_decision: Option<String>,
    pub outcome: Option<String>,
    pub directions: Option<String>,
    pub reasons: Option<String>,
    pub decided_on: Option<String>,
    pub decided_by: Option<String>,
    pub anonymised_at: Option<String>,
}

impl db::Readable for StoredAppeal {
    fn unreadable(&self) -> Option<String> {
        let problem = db::unreadable_date("received_on", &self.received_on)
            .or_else(|| db::unreadable_json::<Timescales>("timescales", &self.timescales));
        problem.map(|p| format!("{}: {p}", self.reference))
    }
}

/// The accessors read columns checked on load (`db::Readable`); their defaults are never reached
/// for a stored row.
impl StoredAppeal {
    pub fn received(&self) -> Date {
        db::parse_date(&self.received_on).unwrap_or(Date::MIN)
    }
    pub fn timescales(&self) -> Timescales {
        serde_json::from_str(&self.timescales).unwrap_or_default()
    }
    pub fn decided(&self) -> Option<Date> {
        self.decided_on.as_deref().and_then(db::parse_date)
    }
    pub fn grounds_list(&self) -> Vec<&str> {
        self.grounds.split(',').filter(|g| !g.is_empty()).map(crate::asb::ground_name).collect()
    }
    pub fn outcome_name(&self) -> &'static str {
        match self.outcome.as_deref() {
            Some("upheld") => "Upheld: referred back to the review body",
            Some("not-upheld") => "Not upheld",
            Some("not-heard") => "Not heard: out of time",
            _ => "Not decided yet",
        }
    }
}

const APPEAL_SELECT: &str = "SELECT p.id, p.reference, p.received_on, p.application_id, a.reference AS application_reference, p.grounds, \
    p.full_name, p.postal_address, p.postcode, p.email, p.telephone, p.contact_method, p.review_body_name, p.review_body_id, \
    p.decision_letter_on, p.review_reference, p.supporting_information, p.timescales, p.in_time, p.assigned_to, \
    p.hearing_decision, p.outcome, p.directions, p.reasons, p.decided_on, p.decided_by, p.anonymised_at \
    FROM casework_asb_appeal p LEFT JOIN casework_asb_application a ON a.id = p.application_id";

pub async fn find_by_submission_key(pool: &Pool, key: &str) -> Result<Option<StoredAppeal>, sqlx::Error> {
    db::find_readable(pool, APPEAL_SELECT, "p.submission_key", key).await
}

pub async fn find(pool: &Pool, reference: &str) -> Result<Option<StoredAppeal>, sqlx::Error> {
    db::find_readable(pool, APPEAL_SELECT, "p.reference", reference).await
}

pub async fn find_by_token(pool: &Pool, token: &str) -> Result<Option<StoredAppeal>, sqlx::Error> {
    db::find_readable(pool, APPEAL_SELECT, "p.tracker_token_hash", &sha256_hex(token)).await
}

pub async fn appeals_of_application(pool: &Pool, application_id: &str) -> Result<Vec<StoredAppeal>, sqlx::Error> {
    let sql = format!("{APPEAL_SELECT} WHERE p.application_id = $1 ORDER BY p.received_on");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(application_id).fetch_all(pool).await.and_then(db::all_readable)
}

/// Appeals for the queue, optionally only one review body's.
pub async fn list(pool: &Pool, include_decided: bool, review_body: Option<&str>) -> Result<Vec<StoredAppeal>, sqlx::Error> {
    let mut sql = format!("{APPEAL_SELECT} WHERE 1 = 1");
    if !include_decided {
        sql.push_str(" AND p.outcome IS NULL");
    }
    if review_body.is_some() {
        sql.push_str(" AND p.review_body_id = $1");
    }
    sql.push_str(" ORDER BY p.received_on, p.reference");
    let query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    let query = if let Some(body) = review_body { query.bind(body.to_string()) } else { query };
    query.fetch_all(pool).await.and_then(db::all_readable)
}

/// Who an arriving appeal is: its ids and the review it is linked to, if any.
pub(super) struct Arrived<'a> {
    pub id: &'a str,
    pub reference: &'a Reference,
    pub submission_key: &'a str,
    pub application_id: Option<&'a str>,
}

/// Stores an appeal as it arrived, with the timescales of its day and whether it was in time.
#[allow(clippy::too_many_arguments)]
pub(super) async fn insert(
    tx: &mut sqlx::AnyConnection,
    appeal: &Appeal,
    arrived: &Arrived<'_>,
    review_body_id: Option<String>,
    timescales: &Timescales,
    in_time: bool,
    token_hash: &str,
    now: OffsetDateTime,
    today: Date,
) -> Result<(), sqlx::Error> {
    let c = &appeal.contact;
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let timescales = serde_json::to_string(timescales).map_err(|e| sqlx::Error::Encode(e.into()))?;
    sqlx::query(
        "INSERT INTO casework_asb_appeal (id, reference, submission_key, received_at, received_on, application_id, grounds, \
         full_name, postal_address, postcode, email, telephone, contact_method, review_body_name, review_body_id, \
         decision_letter_on, review_reference, supporting_information, consent, timescales, in_time, tracker_token_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1, $19, $20, $21)",
    )
    .bind(arrived.id)
    .bind(arrived.reference.to_string())
    .bind(arrived.submission_key)
    .bind(db::timestamp(now))
    .bind(db::date(today))
    .bind(arrived.application_id)
    .bind(appeal.grounds.join(","))
    .bind(&c.full_name)
    .bind(opt(&c.postal_address))
    .bind(c.postcode_text())
    .bind(opt(&c.email))
    .bind(opt(&c.telephone))
    .bind(c.method.slug())
    .bind(&appeal.review_body)
    .bind(review_body_id)
    .bind(db::date(appeal.decision_letter_on))
    .bind(opt(&appeal.review_reference))
    .bind(&appeal.supporting)
    .bind(timescales)
    .bind(i64::from(in_time))
    .bind(token_hash)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
