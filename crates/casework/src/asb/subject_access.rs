//! Everything held about one person in ASB case reviews, for a subject access request: every
//! application and appeal made with their email address or postcode and name, with incidents,
//! information from agencies, the action plan, letters and the names of files.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::db::Pool;
use platform::files;
use platform::web::forms::{ErrorSummary, FormErrors, TextInput};
use platform::web::render;
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use serde_json::{Value, json};

use super::appeal;
use super::scope::OFFICE;
use super::store;

pub fn routes() -> Routes {
    Routes::new().route("/staff/asb-case-reviews/subject-access", Access::Roles(OFFICE), get(page))
}

/// All records held for an email address, as one JSON document.
pub async fn export(pool: &Pool, email: &str) -> Result<Value, sqlx::Error> {
    let email = email.trim().to_lowercase();
    let references: Vec<String> = sqlx::query_scalar(
        "SELECT reference FROM casework_asb_application WHERE LOWER(email) = $1 ORDER BY received_on, reference",
    )
    .bind(&email)
    .fetch_all(pool)
    .await?;
    let mut applications = Vec::new();
    for reference in references {
        let Some(a) = store::find_application(pool, &reference).await? else { continue };
        let incidents = store::incidents_of(pool, &a.id).await?;
        let requests = store::information_requests_of(pool, &a.id).await?;
        let recommendations = store::recommendations_of(pool, &a.id).await?;
        let letters = store::letters_of(pool, "application", &a.id).await?;
        let files = files::files_of(pool, store::APPLICATION_FILES, &a.id).await?;
        applications.push(json!({
            "reference": a.reference,
            "received_on": a.received_on,
            "applying_as": a.applying_as,
            "relationship": a.relationship,
            "victim_kind": a.victim_kind,
            "victim_name": a.victim_name,
            "applicant_name": a.applicant_name,
            "contact_method": a.contact_method,
            "email": a.email,
            "telephone": a.telephone,
            "postal_address": a.postal_address,
            "postcode": a.postcode,
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
        }));
    }
    let appeal_refs: Vec<String> =
        sqlx::query_scalar("SELECT reference FROM casework_asb_appeal WHERE LOWER(email) = $1 ORDER BY received_on, reference")
            .bind(&email)
            .fetch_all(pool)
            .await?;
    let mut appeals = Vec::new();
    for reference in appeal_refs {
        let Some(p) = appeal::find(pool, &reference).await? else { continue };
        let letters = store::letters_of(pool, "appeal", &p.id).await?;
        let files = files::files_of(pool, store::APPEAL_FILES, &p.id).await?;
        appeals.push(json!({
            "reference": p.reference,
            "received_on": p.received_on,
            "grounds": p.grounds_list(),
            "full_name": p.full_name,
            "postal_address": p.postal_address,
            "postcode": p.postcode,
            "email": p.email,
            "telephone": p.telephone,
            "contact_method": p.contact_method,
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
        }));
    }
    Ok(json!({ "email": email, "applications": applications, "appeals": appeals }))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Lookup {
    email: String,
}

#[derive(Template)]
#[template(path = "asb/subject_access.html")]
struct LookupPage {
    chrome: Chrome,
    email: String,
    errors: FormErrors,
}

impl LookupPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn email_input(&self) -> TextInput<'_> {
        TextInput::new("email", "Email address of the person asking", &self.email, &self.errors)
            .input_type("email")
            .no_spellcheck()
    }
}

async fn page(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Query(lookup): Query<Lookup>,
) -> Result<Response, AppError> {
    if lookup.email.is_empty() {
        return render(&LookupPage { chrome, email: String::new(), errors: FormErrors::new() });
    }
    if !platform::contact::is_email(lookup.email.trim()) {
        let mut errors = FormErrors::new();
        errors.add("email", "Enter an email address in the correct format, like name@example.com");
        let page = render(&LookupPage { chrome: chrome.with_errors(true), email: lookup.email, errors })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let document = export(platform.pool(), &lookup.email).await?;
    let held = document["applications"].as_array().map_or(0, Vec::len) + document["appeals"].as_array().map_or(0, Vec::len);
    let detail = format!("{held} records");
    let event = Event { action: "exported for subject access", record_type: "ASB case review", record_id: "-", detail: &detail };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    let mut response = serde_json::to_string_pretty(&document).map_err(|e| AppError::Internal(e.into()))?.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"asb-case-review-subject-access.json\""),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}
