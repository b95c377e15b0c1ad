//! ASB case reviews' part of the retention period (casekit::retention): the personal details of
//! applications closed, and appeals decided, before the cut-off are removed, keeping the dates
//! and decisions the published figures are made from. Each case is anonymised in one transaction
//! with its audit entry.

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use time::{Date, OffsetDateTime};

use super::store::{APPEAL_FILES, APPLICATION_FILES};

const REMOVED: &str = "Removed";

/// Anonymises every application closed and appeal decided before `closed_before`; returns how many.
pub async fn anonymise_closed(pool: &Pool, closed_before: Date, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let cut = db::date(closed_before);
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
