//! Everything held about one person in ASB case reviews, for the search across every service
//! (casekit::people): every application and appeal whose applicant, victim, email address,
//! postcode or reference matches, with incidents, information from agencies, the action plan,
//! letters and the names of files.

use casekit::people::{Held, HeldRecord, PersonQuery};
use platform::db::Pool;
use platform::files;
use serde_json::{Value, json};

use super::appeal::{self, StoredAppeal};
use super::store::{self, Application};

type Identifying = (String, String, String, Option<String>, Option<String>);

/// Every application and appeal made by or about the person asked about, with everything held.
pub async fn find_person(pool: &Pool, query: &PersonQuery) -> Result<Vec<HeldRecord>, sqlx::Error> {
    let mut found = Vec::new();
    let applications: Vec<Identifying> =
        sqlx::query_as("SELECT reference, applicant_name, victim_name, email, postcode FROM casework_asb_application")
            .fetch_all(pool)
            .await?;
    for (reference, applicant, victim, email, postcode) in applications {
        let held = Held::one(&reference, Some(&applicant), email.as_deref(), postcode.as_deref()).also_named(Some(&victim));
        let Some(matched_on) = query.matches(&held) else { continue };
        let Some(a) = store::find_application(pool, &reference).await? else { continue };
        found.push(HeldRecord {
            service: "ASB case reviews",
            what: "Application",
            received_on: a.received_on.clone(),
            name: a.applicant_name.clone(),
            matched_on,
            path: format!("/staff/asb-case-reviews/{reference}"),
            anonymised: a.anonymised_at.is_some(),
            details: application_details(pool, &a).await?,
            reference,
        });
    }
    let appeals: Vec<(String, String, Option<String>, String)> =
        sqlx::query_as("SELECT reference, full_name, email, postcode FROM casework_asb_appeal").fetch_all(pool).await?;
    for (reference, name, email, postcode) in appeals {
        let held = Held::one(&reference, Some(&name), email.as_deref(), Some(&postcode));
        let Some(matched_on) = query.matches(&held) else { continue };
        let Some(p) = appeal::find(pool, &reference).await? else { continue };
        found.push(HeldRecord {
            service: "ASB case reviews",
            what: "Appeal",
            received_on: p.received_on.clone(),
            name: p.full_name.clone(),
            matched_on,
            path: format!("/staff/asb-appeals/{reference}"),
            anonymised: p.anonymised_at.is_some(),
            details: appeal_details(pool, &p).await?,
            reference,
        });
    }
    Ok(found)
}

/// Everything held on an application: its details, incidents, information from agencies, the
/// action plan, letters and the names of its files.
async fn application_details(pool: &Pool, a: &Application) -> Result<Value, sqlx::Error> {
    let incidents = store::incidents_of(pool, &a.id).await?;
    let requests = store::information_requests_of(pool, &a.id).await?;
    let recommendations = store::recommendations_of(pool, &a.id).await?;
    let letters = store::letters_of(pool, "application", &a.id).await?;
    let files = files::files_of(pool, store::APPLICATION_FILES, &a.id).await?;
    Ok(json!({
        "reference": a.reference,
        "received_on": a.received_on,
        "applying_as": a.applying_as,
        "relationship": a.relationship,
        "victim_kind": a.victim_kind,
        "victim_name": a.victim_name,
        "applicant_name": a.applicant_name,
        "contact": a.contact,
        "location_address": a.location_address,
        "location_postcode": a.location_postcode,
        "district": a.district_name,
        "review_body": a.review_body_name,
        "still_happening": a.continuing != 0,
        "motivated_by_hate": a.hate,
        "needs": a.needs,
        "stage": a.stage,
        "acknowledged_on": a.acknowledged_on,
        "threshold": {
            "outcome": a.threshold_outcome,
            "factors": a.threshold_factors,
            "reasons": a.threshold_reasons,
            "decided_on": a.threshold_decided_on,
        },
        "review_held": a.review_to_be_held.map(|v| v != 0),
        "meeting": { "held_on": a.meeting_on, "chair": a.meeting_chair, "attendees": a.meeting_attendees },
        "outcome": { "summary": a.outcome_summary, "sent_on": a.outcome_sent_on },
        "closed_on": a.closed_on,
        "incidents": incidents.iter().map(|i| json!({
            "occurred_on": i.occurred_on,
            "reported_on": i.reported_on,
            "reported_to": i.reported_to,
            "agency_reference": i.agency_reference,
            "reporter": i.reporter,
            "description": i.description,
        })).collect::<Vec<_>>(),
        "information_from_agencies": requests.iter().map(|r| json!({
            "agency": r.agency, "question": r.question, "requested_on": r.requested_on, "response": r.response, "responded_on": r.responded_on,
        })).collect::<Vec<_>>(),
        "action_plan": recommendations.iter().map(|r| json!({
            "action": r.action, "owner": r.owner, "due_on": r.due_on, "status": r.status,
        })).collect::<Vec<_>>(),
        "letters": letters.iter().map(|l| json!({ "subject": l.subject, "sent": l.created_at, "by": l.channel, "text": l.body })).collect::<Vec<_>>(),
        "files": files.iter().map(|f| json!({ "name": f.original_name, "type": f.content_type, "bytes": f.size_bytes })).collect::<Vec<_>>(),
    }))
}

/// Everything held on an appeal, with its letters and the names of its files.
async fn appeal_details(pool: &Pool, p: &StoredAppeal) -> Result<Value, sqlx::Error> {
    let letters = store::letters_of(pool, "appeal", &p.id).await?;
    let files = files::files_of(pool, store::APPEAL_FILES, &p.id).await?;
    Ok(json!({
        "reference": p.reference,
        "received_on": p.received_on,
        "grounds": p.grounds_list(),
        "full_name": p.full_name,
        "contact": p.contact,
        "review_body": p.review_body_name,
        "decision_letter_on": p.decision_letter_on,
        "review_reference": p.review_reference,
        "supporting_information": p.supporting_information,
        "in_time": p.in_time != 0,
        "outcome": p.outcome,
        "reasons": p.reasons,
        "directions": p.directions,
        "decided_on": p.decided_on,
        "letters": letters.iter().map(|l| json!({ "subject": l.subject, "sent": l.created_at, "by": l.channel, "text": l.body })).collect::<Vec<_>>(),
        "files": files.iter().map(|f| json!({ "name": f.original_name, "type": f.content_type, "bytes": f.size_bytes })).collect::<Vec<_>>(),
    }))
}
