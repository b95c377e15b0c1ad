//! The office's and review bodies' side: the queue, the case page with its threshold worked
//! out, and each step of the review. Handlers check the form, then call the store; every
//! change is audited with the letter it sends.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::auth::store::StaffUser;
use platform::calendar::{self, Nation, WorkingDayCalendar, long_date_of as long, uk_today as today};
use platform::db;
use platform::files::{self, StoredFile};
use platform::web::forms::{
    Choice, Choices, DateInput, DateParts, DatePartsInError, FormErrors, Select, TextInput, Textarea, date_field,
    required_text as required,
};
use platform::web::{Form, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::answers::agency_name;
use super::appeal::{self, StoredAppeal};
use super::policy::{self, ReviewBody};
use super::scope::{CASE_READERS, OFFICE, Scope};
use super::store::{self, Application, Change, InformationRequest, Recommendation, StoredIncident};
use super::threshold::{self, Finding, ThresholdAssessment};
use super::timescales::{self, Step, StepStatus};
use super::{Stage, ThresholdOutcome};
use casekit::change;
use casekit::letters;

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff/asb-case-reviews", Access::Roles(CASE_READERS), get(queue::queue))
        .route("/staff/asb-case-reviews/{reference}", Access::Roles(CASE_READERS), get(case_page))
        .merge(casekit::bulk_assign::routes(crate::asb::service::about(), Access::Roles(OFFICE)))
        .route("/staff/asb-case-reviews/{reference}/actions/{action}", Access::Roles(OFFICE), post(act))
        .route(
            "/staff/asb-case-reviews/{reference}/information-requests/{request_id}",
            Access::Roles(CASE_READERS),
            post(answer_request),
        )
        .route("/staff/asb-case-reviews/{reference}/files/{file_id}", Access::Roles(CASE_READERS), get(download))
        .route(
            "/staff/asb-case-reviews/{reference}/agency-documents/{file_id}",
            Access::Roles(CASE_READERS),
            get(download_agency_document),
        )
        .merge(casekit::letter_routes!("/staff/asb-case-reviews", Access::Roles(CASE_READERS), application_letters))
        .merge(casekit::note_routes!("/staff/asb-case-reviews", Access::Roles(OFFICE), application_letters))
        .route("/staff/asb-appeals/{reference}", Access::Roles(OFFICE), get(appeal_page))
        .route("/staff/asb-appeals/{reference}/actions/{action}", Access::Roles(OFFICE), post(act_on_appeal))
        .route("/staff/asb-appeals/{reference}/files/{file_id}", Access::Roles(OFFICE), get(download_appeal_file))
        .merge(casekit::letter_routes!("/staff/asb-appeals", Access::Roles(OFFICE), appeal_letters))
        .merge(casekit::note_routes!("/staff/asb-appeals", Access::Roles(OFFICE), appeal_letters))
}

async fn calendar_of(platform: &Platform) -> Result<WorkingDayCalendar, AppError> {
    Ok(calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?)
}

mod actions;
mod appeals;
mod case;
mod queue;

use actions::*;
use appeals::*;
use case::*;
pub use queue::{QueueRow, queue_order};
