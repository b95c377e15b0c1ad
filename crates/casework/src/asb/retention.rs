//! The retention period: personal details of a case are removed a configurable number of years
//! after it closes (LOCAL; default six), keeping the dates and decisions the published figures
//! are made from. Runs daily; each case is anonymised in one transaction with its audit entry.

use platform::audit::{self, Actor, Event};
use platform::calendar;
use platform::db::{self, Pool};
use time::{Date, OffsetDateTime};

use super::policy;
use super::store::{APPEAL_FILES, APPLICATION_FILES};

pub const TASK: &str = "casework-asb-retention";
const REMOVED: &str = "Removed";

/// The last closing date whose personal details are now past keeping.
pub fn cut_off(today: Date, retention_years: i64) -> Date {
    let years = i32::try_from(retention_years).unwrap_or(6);
    let year = today.year() - years;
    Date::from_calendar_date(year, today.month(), today.day().min(today.month().length(year))).unwrap_or(today)
}

/// Anonymises every application and appeal past the retention period; returns how many.
pub async fn run(pool: &Pool, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let policy = policy::load(pool).await?;
    let cut = db::date(cut_off(calendar::uk_local_date(now), policy.retention_years));
    let actor = Actor::system("retention period");
    let applications: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, reference FROM casework_asb_application WHERE closed_on IS NOT NULL AND closed_on < $1 AND anonymised_at IS NULL",
    )
    .bind(&cut)
    .fetch_all(pool)
    .await?;
    let appeals: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, reference FROM casework_asb_appeal WHERE decided_on IS NOT NULL AND decided_on < $1 AND anonymised_at IS NULL",
    )
    .bind(&cut)
    .fetch_all(pool)
    .await?;
    let stamp = db::timestamp(now);
    for (id, reference) in &applications {
        let mut tx = platform::db::begin_write(pool).await?;
        sqlx::query(
            "UPDATE casework_asb_application SET victim_name = $1, applicant_name = $1, relationship = NULL, email = NULL, \
             telephone = NULL, postal_address = NULL, postcode = NULL, location_address = NULL, location_postcode = '', \
             needs = NULL, threshold_reasons = NULL, meeting_attendees = NULL, outcome_summary = NULL, anonymised_at = $2 WHERE id = $3",
        )
        .bind(REMOVED)
        .bind(&stamp)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE casework_asb_incident SET description = $1, reporter = NULL, agency_reference = NULL WHERE application_id = $2")
            .bind(REMOVED)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE casework_asb_information_request SET question = $1, response = NULL WHERE application_id = $2")
            .bind(REMOVED)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "DELETE FROM casework_asb_information_answer WHERE request_id IN \
             (SELECT id FROM casework_asb_information_request WHERE application_id = $1)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE casework_letter SET body = $1 WHERE case_type = 'application' AND case_id = $2")
            .bind(REMOVED)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE casework_asb_draft SET answers = '{}' WHERE application_id = $1").bind(id).execute(&mut *tx).await?;
        let removed = platform::files::forget_all(&mut tx, APPLICATION_FILES, id).await?;
        let detail = format!("personal details removed; {removed} files forgotten");
        audit::record(
            &mut tx,
            &actor,
            Event { action: "anonymised", record_type: "ASB case review", record_id: reference, detail: &detail },
            now,
        )
        .await?;
        tx.commit().await?;
    }
    for (id, reference) in &appeals {
        let mut tx = platform::db::begin_write(pool).await?;
        sqlx::query(
            "UPDATE casework_asb_appeal SET full_name = $1, postal_address = NULL, postcode = '', email = NULL, telephone = NULL, \
             supporting_information = $1, reasons = NULL, directions = NULL, anonymised_at = $2 WHERE id = $3",
        )
        .bind(REMOVED)
        .bind(&stamp)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE casework_letter SET body = $1 WHERE case_type = 'appeal' AND case_id = $2")
            .bind(REMOVED)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let removed = platform::files::forget_all(&mut tx, APPEAL_FILES, id).await?;
        let detail = format!("personal details removed; {removed} files forgotten");
        audit::record(
            &mut tx,
            &actor,
            Event { action: "anonymised", record_type: "ASB case review appeal", record_id: reference, detail: &detail },
            now,
        )
        .await?;
        tx.commit().await?;
    }
    Ok(applications.len() + appeals.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_cut_off_is_whole_years_back_and_safe_on_leap_days() {
        assert_eq!(cut_off(date!(2032 - 11 - 24), 6), date!(2026 - 11 - 24));
        assert_eq!(cut_off(date!(2028 - 02 - 29), 1), date!(2027 - 02 - 28));
    }
}
