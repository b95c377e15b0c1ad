//! What follows an answer the requester is unhappy with: the internal review (the ICO's code of
//! practice under section 45: 20 working days, 40 at most in exceptional cases) and a complaint
//! to the Information Commissioner, each linked to the original request. Pure rules first, then
//! the records.

use platform::audit::{self, Actor, Event};
use platform::calendar::{WorkingDayCalendar, add_working_days, long_date};
use platform::db::{self, Pool};
use time::{Date, OffsetDateTime};

use super::store::{InformationRequest, RECORD_TYPE};

/// GUIDANCE (section 45 code of practice): working days for an internal review, and the most.
pub const REVIEW_WORKING_DAYS: u32 = 20;
pub const REVIEW_MAX_WORKING_DAYS: u32 = 40;
/// GUIDANCE: a requester has 40 working days from the response to ask for an internal review.
pub const ASK_WITHIN_WORKING_DAYS: u32 = 40;

pub const REVIEW_OUTCOMES: [(&str, &str); 3] = [
    ("upheld", "Original response upheld"),
    ("partly-overturned", "Original response partly overturned: more released"),
    ("overturned", "Original response overturned"),
];

pub const ICO_OUTCOMES: [(&str, &str); 4] = [
    ("informal-resolution", "Resolved informally"),
    ("no-breach", "Decision notice: no breach"),
    ("breach", "Decision notice: breach, steps required"),
    ("withdrawn", "Complaint withdrawn or closed"),
];

pub fn outcome_name(slug: &str) -> &str {
    REVIEW_OUTCOMES.iter().chain(ICO_OUTCOMES.iter()).find(|(s, _)| *s == slug).map(|(_, n)| *n).unwrap_or(slug)
}

/// When an internal review received on `received` is due, and the latest it may take.
pub fn review_due(received: Date, calendar: &WorkingDayCalendar) -> (Date, Date, String) {
    let due = add_working_days(received, REVIEW_WORKING_DAYS, calendar);
    let latest = add_working_days(received, REVIEW_MAX_WORKING_DAYS, calendar);
    let rule = format!(
        "{REVIEW_WORKING_DAYS} working days after the request for review arrived ({}), as the ICO expects; {REVIEW_MAX_WORKING_DAYS} at most, by {}",
        long_date(received),
        long_date(latest)
    );
    (due, latest, rule)
}

/// Whether a request for internal review arriving on `asked` is within the time the office
/// gives (40 working days from the response). A late one may still be accepted.
pub fn asked_in_time(responded: Date, asked: Date, calendar: &WorkingDayCalendar) -> bool {
    asked <= add_working_days(responded, ASK_WITHIN_WORKING_DAYS, calendar)
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Appeal {
    pub id: String,
    pub kind: String,
    pub received_on: String,
    pub external_reference: Option<String>,
    pub grounds: String,
    pub outcome: Option<String>,
    pub decided_on: Option<String>,
    pub notes: Option<String>,
}

impl Appeal {
    pub fn is_review(&self) -> bool {
        self.kind == "internal-review"
    }
    pub fn received(&self) -> Option<Date> {
        db::parse_date(&self.received_on)
    }
}

pub async fn appeals_of(pool: &Pool, request_id: &str) -> Result<Vec<Appeal>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, received_on, external_reference, grounds, outcome, decided_on, notes FROM casework_information_appeal \
         WHERE request_id = $1 ORDER BY received_on, id",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await
}

/// Records an internal review asked for, or a complaint to the ICO, received on `received`.
#[allow(clippy::too_many_arguments)]
pub async fn open(
    pool: &Pool,
    request: &InformationRequest,
    kind: &str,
    received: Date,
    external_reference: Option<&str>,
    grounds: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO casework_information_appeal (id, request_id, kind, received_on, external_reference, grounds, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(platform::ids::new_id())
    .bind(&request.id)
    .bind(kind)
    .bind(db::date(received))
    .bind(external_reference)
    .bind(grounds)
    .bind(&actor.label)
    .execute(&mut *tx)
    .await?;
    let action = if kind == "ico" { "recorded an ICO complaint" } else { "recorded an internal review request" };
    let event = Event { action, record_type: RECORD_TYPE, record_id: &request.reference, detail: grounds };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await
}

/// Records the outcome of an open review or complaint of this request.
#[allow(clippy::too_many_arguments)]
pub async fn decide(
    pool: &Pool,
    request: &InformationRequest,
    appeal_id: &str,
    outcome: &str,
    notes: &str,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let updated = sqlx::query(
        "UPDATE casework_information_appeal SET outcome = $1, notes = $2, decided_on = $3 \
         WHERE id = $4 AND request_id = $5 AND outcome IS NULL",
    )
    .bind(outcome)
    .bind(notes)
    .bind(db::date(today))
    .bind(appeal_id)
    .bind(&request.id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    let event = Event {
        action: "recorded an outcome",
        record_type: RECORD_TYPE,
        record_id: &request.reference,
        detail: outcome_name(outcome),
    };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn an_internal_review_is_due_in_twenty_working_days_and_forty_at_most() {
        let calendar = WorkingDayCalendar::freedom_of_information(Vec::new());
        // Asked on Monday 14 December 2026. Not counted: Christmas Day (Friday), Boxing Day
        // (Saturday, so Monday 28th), New Year's Day (Friday) and Scotland's 2 January (Saturday,
        // so Monday 4 January 2027): the twentieth working day is Friday 15 January.
        let (due, latest, rule) = review_due(date!(2026 - 12 - 14), &calendar);
        assert_eq!(due, date!(2027 - 01 - 15));
        assert!(latest > due);
        assert!(rule.contains("20 working days") && rule.contains("40 at most"));
        // Asked 40 working days after the response is in time; a day later is not.
        let responded = date!(2026 - 01 - 05);
        let last = add_working_days(responded, ASK_WITHIN_WORKING_DAYS, &calendar);
        assert!(asked_in_time(responded, last, &calendar));
        assert!(!asked_in_time(responded, last.next_day().unwrap(), &calendar));
    }
}
