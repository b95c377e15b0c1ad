//! Police complaint reviews as the case kit sees them (casekit::registry): letters, drafts, the
//! tracker, reminders, the force chasing and quality draw, retention and subject access.

use casekit::people::{self, Held, HeldRecord, PersonQuery};
use casekit::registry::{About, CaseService, Pending, Retention};
use casekit::retention::Anonymise;
use casekit::tracker::TrackerPage;
use platform::config::Settings;
use platform::db::{self, Pool};
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

use super::store::{self, FORCE_FILES, REVIEW_FILES};

pub struct ComplaintReviews;

/// The case type complaint reviews' letters are filed under.
pub const LETTER_CASE: &str = "complaint-review";

static TRACKER: TrackerPage = casekit::tracker_page!(
    "/police-complaint-review",
    heading: "Check the progress of your complaint review",
    example: "CRV-2026-000042",
    reference_hint: "For example, CRV-2026-000042. It is on your confirmation page and in our letters.",
    postcode_hint: "The postcode you gave us with your contact details.",
);

/// What the service is, for the kit's pieces a handler uses directly (bulk assignment).
pub fn about() -> &'static About {
    &ABOUT
}

static ABOUT: About = About {
    slug: "police-complaint-reviews",
    name: "Police complaint reviews",
    letter_kinds: &super::letters::KINDS,
    drafts: Some(store::DRAFTS),
    tracker_page: Some(&TRACKER),
    retention: Retention { years: 6, from: "from the day a review is closed" },
    readers: super::scope::OFFICE,
    queue: "/staff/complaint-reviews",
    privacy: casekit::registry::PrivacyWords {
        holds: "Your name and contact details (and your representative’s, with your consent), the force’s reference and outcome letter, what you are unhappy about and any files you send; then the complaint file the force sends us.",
        why: "To review how the force handled your complaint, as the Police Reform Act 2002 (Schedule 3) asks of the local policing body. Lawful basis: a task in the public interest (UK GDPR Article 6(1)(e)); for personal information about offences, the law enforcement and public interest conditions of the Data Protection Act 2018.",
        shared_with: "The force’s professional standards department (to ask for the complaint file and its response to any recommendation). If the review belongs to the Independent Office for Police Conduct, we pass your request to them and tell you.",
    },
    assigned: &[casekit::registry::Assigned {
        table: "casework_complaint_review",
        record_type: "complaint review",
        open: "closed_on IS NULL",
    }],
};

impl CaseService for ComplaintReviews {
    casekit::forward_case_service!(
        about: ABOUT,
        tracker: super::tracker,
        reminders: super::reminders,
        retention: self,
        people: self,
    );
    fn daily<'a>(&'a self, pool: &'a Pool, settings: &'a Settings, now: OffsetDateTime) -> Pending<'a, usize> {
        Box::pin(async move {
            let chased = super::reminders::chase_force(pool, settings, now).await?;
            // The quarter just ended is drawn for quality assurance once the new one starts.
            super::quality::draw_due(pool, now).await?;
            Ok(chased)
        })
    }
}

const REVIEW: Anonymise = Anonymise {
    record_type: "complaint review",
    table: "casework_complaint_review",
    set: "complainant_name = $1, representative_name = NULL, representative_relationship = NULL, email = NULL, \
          telephone = NULL, postal_address = NULL, postcode = NULL, force_reference = '', late_reason = NULL, needs = NULL, \
          iopc_reasons = NULL, validity_reasons = NULL, decision_summary = NULL",
    related: &[
        "UPDATE casework_complaint_allegation SET summary = $1, why = $1, reasons = NULL WHERE review_id = $2",
        "UPDATE casework_complaint_question SET question = $1, answer = NULL WHERE review_id = $2",
        "UPDATE casework_complaint_recommendation SET recommendation = $1, response_detail = NULL WHERE review_id = $2",
    ],
    by_id: &["UPDATE casework_complaint_draft SET answers = '{}' WHERE review_id = $1"],
    letters: Some(LETTER_CASE),
    files: &[REVIEW_FILES, FORCE_FILES],
};

/// Removes the personal details of every review closed before `closed_before`, with what the
/// force and the applicant wrote; stages, dates, findings and the recommendations' outcomes stay
/// for the figures.
pub async fn anonymise_closed(pool: &Pool, closed_before: Date, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let reviews: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, reference FROM casework_complaint_review WHERE closed_on IS NOT NULL AND closed_on < $1 AND anonymised_at IS NULL",
    )
    .bind(db::date(closed_before))
    .fetch_all(pool)
    .await?;
    REVIEW.each(pool, &reviews, now).await
}

type Identifying = (String, String, Option<String>, Option<String>, Option<String>, Option<String>);

/// Every review made by or for the person asked about, with everything held on it.
pub async fn find_person(pool: &Pool, query: &PersonQuery) -> Result<Vec<HeldRecord>, sqlx::Error> {
    let rows: Vec<Identifying> =
        sqlx::query_as(
            "SELECT reference, complainant_name, representative_name, email, postcode, force_reference FROM casework_complaint_review",
        )
            .fetch_all(pool)
            .await?;
    let mut found = Vec::new();
    for (reference, complainant, representative, email, postcode, force_reference) in rows {
        let held = Held::one(&reference, Some(&complainant), email.as_deref(), postcode.as_deref())
            .also_named(representative.as_deref())
            .also_referenced(force_reference.as_deref());
        let Some(matched_on) = query.matches(&held) else { continue };
        let Some(review) = store::find(pool, &reference).await? else { continue };
        found.push(HeldRecord {
            service: "Police complaint reviews",
            what: "Review",
            received_on: review.received_on.clone(),
            name: review.complainant_name.clone(),
            matched_on,
            path: format!("/staff/complaint-reviews/{}", review.reference),
            anonymised: review.anonymised_at.is_some(),
            details: details(pool, &review).await?,
            reference,
        });
    }
    Ok(found)
}

async fn details(pool: &Pool, review: &store::Review) -> Result<Value, sqlx::Error> {
    let mut files = people::file_names(pool, REVIEW_FILES, &review.id).await?;
    files.extend(people::file_names(pool, FORCE_FILES, &review.id).await?);
    Ok(json!({
        "review": review,
        "allegations": store::allegations_of(pool, &review.id).await?,
        "questions_to_the_force": store::questions_of(pool, &review.id).await?,
        "recommendations": store::recommendations_of(pool, &review.id).await?,
        "letters": casekit::letters::letters_of(pool, LETTER_CASE, &review.id).await?,
        "files": files,
    }))
}
