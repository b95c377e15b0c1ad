//! The officers' side of information requests: the queue with each request's due date and the
//! rule behind it, and the request page where the clock is paused or extended, time is logged
//! against the appropriate limit, the response is drafted, approved, sent and published.
//! Handlers check the form and call the store, which audits every change.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::calendar::{self, Nation, WorkingDayCalendar};
use platform::db;
use platform::web::forms::{Choice, Choices, FormErrors, TextInput, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use casekit::change;

use super::appeals::{self, Appeal, ICO_OUTCOMES, REVIEW_OUTCOMES};
use super::clock::{self, Due, RequestKind};
use super::disclosure::{self, OUTCOMES};
use super::release::{self, MAX_DOCUMENTS, RESPONSE_FILES, Released};
use super::store::{
    self, APPROPRIATE_LIMIT_MINUTES, ClockColumn, InformationRequest, RECORD_TYPE, Stage, TimeEntry,
    exemption_needs_public_interest_test,
};

/// The roles that handle requests: the office's transparency officers, and administrators.
pub const HANDLERS: &[Role] = &[Role::Administrator, Role::TransparencyOfficer];
const BASE: &str = "/staff/information-requests";
/// GUIDANCE (the Fees Regulations 2004): staff time is costed at £25 an hour.
pub const POUNDS_PER_HOUR: i64 = 25;

pub fn routes() -> Routes {
    Routes::new()
        .route(BASE, Access::Roles(HANDLERS), get(queue::queue))
        .route("/staff/information-requests/{reference}", Access::Roles(HANDLERS), get(request_page))
        .route("/staff/information-requests/{reference}/actions/{action}", Access::Roles(HANDLERS), post(act))
        // Uploads are bounded per file and in number by `add_files`, not by the body limit.
        .route(
            "/staff/information-requests/{reference}/documents",
            Access::Roles(HANDLERS),
            post(upload_documents).layer(DefaultBodyLimit::disable()),
        )
        .route(
            "/staff/information-requests/{reference}/documents/{file_id}",
            Access::Roles(HANDLERS),
            get(|state, staff, path| documents::download(RESPONSE_FILES, state, staff, path)),
        )
        .route(
            "/staff/information-requests/{reference}/documents/{file_id}/{action}",
            Access::Roles(HANDLERS),
            post(document_action),
        )
        .route(
            "/staff/information-requests/{reference}/files/{file_id}",
            Access::Roles(HANDLERS),
            get(|state, staff, path| documents::download(store::REQUEST_FILES, state, staff, path)),
        )
        .route("/staff/information-requests/{reference}/appeals/{appeal_id}", Access::Roles(HANDLERS), post(decide_appeal))
        .merge(casekit::letter_routes!("/staff/information-requests", Access::Roles(HANDLERS), letter_case))
        .merge(casekit::note_routes!("/staff/information-requests", Access::Roles(HANDLERS), letter_case))
        .merge(casekit::bulk_assign::routes(crate::information::service::about(), Access::Roles(HANDLERS)))
}

struct Calendars {
    foi: WorkingDayCalendar,
    local: WorkingDayCalendar,
}

async fn calendars(platform: &Platform) -> Result<Calendars, AppError> {
    Ok(Calendars {
        foi: calendar::store::freedom_of_information(platform.pool()).await?,
        local: calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?,
    })
}

async fn load(platform: &Platform, reference: &str) -> Result<InformationRequest, AppError> {
    if reference.len() > 40 {
        return Err(AppError::NotFound);
    }
    store::find(platform.pool(), reference).await?.ok_or(AppError::NotFound)
}

mod actions;
mod documents;
mod page;
mod queue;
mod reviews;

use actions::*;
use documents::*;
use page::*;
use reviews::*;

/// A request's letters, for the kit's letter pages.
async fn letter_case(
    platform: Platform,
    _staff: CurrentStaff,
    reference: String,
) -> Result<casekit::letters::LetterCase, AppError> {
    let request = load(&platform, &reference).await?;
    Ok(casekit::letters::LetterCase {
        case: (store::LETTER_CASE, request.id.clone()),
        record: (RECORD_TYPE, request.reference.clone()),
        back: format!("{BASE}/{}", request.reference),
        applicant: (request.requester_name.clone(), request.contact.postal_address.clone(), request.contact.postcode.clone()),
    })
}
