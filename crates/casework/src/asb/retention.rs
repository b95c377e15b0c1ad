//! ASB case reviews' part of the retention period (casekit::retention): the personal details of
//! applications closed, and appeals decided, before the cut-off are removed, keeping the dates
//! and decisions the published figures are made from. Each case is anonymised in one transaction
//! with its audit entry.

use casekit::retention::Anonymise;
use platform::db::{self, Pool};
use time::{Date, OffsetDateTime};

use super::store::{APPEAL_FILES, APPLICATION_FILES};

const APPLICATION: Anonymise = Anonymise {
    record_type: "ASB case review",
    table: "casework_asb_application",
    set: "victim_name = $1, applicant_name = $1, relationship = NULL, email = NULL, telephone = NULL, postal_address = NULL, \
          postcode = NULL, location_address = NULL, location_postcode = '', needs = NULL, threshold_reasons = NULL, \
          meeting_attendees = NULL, outcome_summary = NULL",
    related: &[
        "UPDATE casework_asb_incident SET description = $1, reporter = NULL, agency_reference = NULL WHERE application_id = $2",
        "UPDATE casework_asb_information_request SET question = $1, response = NULL, link_hash = NULL WHERE application_id = $2",
    ],
    by_id: &[
        "DELETE FROM casework_asb_information_answer WHERE request_id IN \
         (SELECT id FROM casework_asb_information_request WHERE application_id = $1)",
        "UPDATE casework_asb_draft SET answers = '{}' WHERE application_id = $1",
    ],
    letters: Some("application"),
    files: &[APPLICATION_FILES, crate::asb::agency::store::ANSWER_FILES],
};

const APPEAL: Anonymise = Anonymise {
    record_type: "ASB case review appeal",
    table: "casework_asb_appeal",
    set: "full_name = $1, postal_address = NULL, postcode = '', email = NULL, telephone = NULL, supporting_information = $1, \
          reasons = NULL, directions = NULL",
    related: &[],
    by_id: &[],
    letters: Some("appeal"),
    files: &[APPEAL_FILES],
};

/// Anonymises every application closed and appeal decided before `closed_before`; returns how many.
pub async fn anonymise_closed(pool: &Pool, closed_before: Date, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let cut = db::date(closed_before);
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
    Ok(APPLICATION.each(pool, &applications, now).await? + APPEAL.each(pool, &appeals, now).await?)
}
