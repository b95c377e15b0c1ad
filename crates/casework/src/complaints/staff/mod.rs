//! The office's and the force's side of a police complaint review: the queue, the case page
//! with its clocks, and each step (validity, the complaint file, findings per allegation,
//! recommendations and the force's responses). Handlers check the form, then call the store;
//! every change is audited with the letter it sends. The force's PSD reaches a review only once
//! its file has been asked for (scope.rs), and never sees the complainant's contact details.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::auth::store::StaffUser;
use platform::calendar::{self, Nation, WorkingDayCalendar, long_date_of as long, uk_today as today};
use platform::files::{self, StoredFile};
use platform::mail::Email;
use platform::web::forms::{
    Choice, Choices, DateInput, DateParts, DatePartsInError, FormErrors, TextInput, Textarea, date_field,
    required_text as required,
};
use platform::web::{Form, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::answers::unhappy_with_name;
use super::policy::{self, ComplaintPolicy};
use super::rules::{self, IopcReason, Validity, ValidityCheck};
use super::scope::{CASE_READERS, OFFICE, Scope};
use super::store::{
    self, Change, FORCE_FILES, ForceQuestion, RECORD_TYPE, REVIEW_FILES, Recommendation, Review, StoredAllegation,
};
use super::timescales::{self, Step};
use super::{Stage, ValidityOutcome, stated_review_body_name};
use casekit::change;
use casekit::clock::{StepName, StepStatus, next_step};
use casekit::letters;
use casekit::widgets::ItemForm;

const BASE: &str = "/staff/complaint-reviews";
/// LOCAL: files the force may upload to one review.
pub const MAX_FORCE_FILES: usize = 10;

pub fn routes() -> Routes {
    Routes::new()
        .route(BASE, Access::Roles(CASE_READERS), get(queue::queue))
        .route("/staff/complaint-reviews/{reference}", Access::Roles(CASE_READERS), get(case_page))
        .merge(casekit::bulk_assign::routes(crate::complaints::service::about(), Access::Roles(crate::complaints::scope::OFFICE)))
        .route("/staff/complaint-reviews/{reference}/actions/{action}", Access::Roles(OFFICE), post(act))
        .route(
            "/staff/complaint-reviews/{reference}/complaint-file",
            Access::Roles(CASE_READERS),
            post(upload_file).layer(DefaultBodyLimit::disable()),
        )
        .route("/staff/complaint-reviews/{reference}/complaint-file/complete", Access::Roles(CASE_READERS), post(file_complete))
        .route("/staff/complaint-reviews/{reference}/questions/{question_id}", Access::Roles(CASE_READERS), post(answer))
        .route(
            "/staff/complaint-reviews/{reference}/recommendations/{recommendation_id}",
            Access::Roles(CASE_READERS),
            post(respond),
        )
        .route("/staff/complaint-reviews/{reference}/files/{file_id}", Access::Roles(CASE_READERS), get(download))
        .merge(casekit::letter_routes!("/staff/complaint-reviews", Access::Roles(OFFICE), letter_case))
        .merge(casekit::note_routes!("/staff/complaint-reviews", Access::Roles(OFFICE), letter_case))
}

async fn calendar_of(platform: &Platform) -> Result<WorkingDayCalendar, AppError> {
    Ok(calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?)
}

fn case_url(review: &Review) -> String {
    format!("{BASE}/{}", review.reference)
}

/// A review the viewer may see, with their scope; one outside it is "not found".
async fn load(platform: &Platform, staff: &CurrentStaff, reference: &str) -> Result<(Review, Scope, ComplaintPolicy), AppError> {
    let reference: platform::reference::Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    let review = store::find(platform.pool(), &reference.to_string()).await?.ok_or(AppError::NotFound)?;
    let policy = policy::load(platform.pool()).await?;
    let scope = Scope::of(&staff.user, &policy);
    if !scope.allows(review.file_requested()) {
        return Err(AppError::NotFound);
    }
    Ok((review, scope, policy))
}

mod actions;
mod additions;
mod case;
mod force;
mod queue;
mod validity;
mod wording;

use actions::*;
use case::*;
use force::*;
use validity::*;
use wording::*;

/// A review's letters are the office's: its page and addressee for the kit's letter pages.
async fn letter_case(platform: Platform, staff: CurrentStaff, reference: String) -> Result<letters::LetterCase, AppError> {
    let (review, _, _) = load(&platform, &staff, &reference).await?;
    Ok(letters::LetterCase {
        case: (crate::complaints::service::LETTER_CASE, review.id.clone()),
        record: (RECORD_TYPE, review.reference.clone()),
        back: case_url(&review),
        applicant: (review.addressee(), review.contact.postal_address.clone(), review.contact.postcode.clone()),
    })
}
