//! The applicant's status tracker, shared by every service: where a case has got to, by the
//! private link sent by email, or by reference number and postcode. It shows dates and
//! decisions, never anyone's details, and wrong guesses from one address are throttled. Each
//! service says what its cases look like (asb/tracker.rs, complaints/tracker.rs); the look-up
//! finds a case of any service, whichever service's page it was typed into.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::calendar::{self, Nation};
use platform::db::{self, Pool};
use platform::postcode::Postcode;
use platform::reference::Reference;
use platform::throttle::{self, Limit};
use platform::web::forms::{ErrorSummary, FormErrors, TextInput};
use platform::web::{Form, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

/// Wrong reference-and-postcode pairs one address may try in an hour.
pub const MAX_FAILURES_PER_HOUR: i64 = 10;

/// One line of the tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerLine {
    pub what: String,
    pub status: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerView {
    pub reference: String,
    /// What the case is, in the applicant's words ("Police complaint review").
    pub kind: &'static str,
    pub summary: String,
    pub lines: Vec<TrackerLine>,
}

/// The services with a tracker, each with its own address for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    AsbCaseReview,
    PoliceComplaintReview,
    InformationRequest,
}

impl Service {
    pub fn path(self) -> &'static str {
        match self {
            Service::AsbCaseReview => "/asb-case-review",
            Service::PoliceComplaintReview => "/police-complaint-review",
            Service::InformationRequest => "/information-request",
        }
    }
    /// The look-up form's address (route paths must be static).
    fn track_path(self) -> &'static str {
        match self {
            Service::AsbCaseReview => "/asb-case-review/track",
            Service::PoliceComplaintReview => "/police-complaint-review/track",
            Service::InformationRequest => "/information-request/track",
        }
    }
    fn link_path(self) -> &'static str {
        match self {
            Service::AsbCaseReview => "/asb-case-review/track/{token}",
            Service::PoliceComplaintReview => "/police-complaint-review/track/{token}",
            Service::InformationRequest => "/information-request/track/{token}",
        }
    }
    fn heading(self) -> &'static str {
        match self {
            Service::AsbCaseReview => "Check the progress of your case review or appeal",
            Service::PoliceComplaintReview => "Check the progress of your complaint review",
            Service::InformationRequest => "Check the progress of your request for information",
        }
    }
    fn example(self) -> &'static str {
        match self {
            Service::AsbCaseReview => "ASB-2026-000042",
            Service::PoliceComplaintReview => "CRV-2026-000042",
            Service::InformationRequest => "FOI-2026-000042",
        }
    }
    fn reference_hint(self) -> &'static str {
        match self {
            Service::AsbCaseReview => "For example, ASB-2026-000042. It is on your confirmation page and in our letters.",
            Service::PoliceComplaintReview => "For example, CRV-2026-000042. It is on your confirmation page and in our letters.",
            Service::InformationRequest => "For example, FOI-2026-000042. It is on your confirmation page and in our letters.",
        }
    }
    fn postcode_hint(self) -> &'static str {
        match self {
            Service::AsbCaseReview => {
                "Your own postcode, as you gave it with your contact details (not the postcode where the anti-social behaviour happens). If you gave no address, use the link in our email or contact us."
            }
            Service::PoliceComplaintReview => "The postcode you gave us with your contact details.",
            Service::InformationRequest => {
                "The postcode you gave for our reply by post. If you asked for a reply by email, use the link in our email."
            }
        }
    }
}

pub fn routes() -> Routes {
    let mut routes = Routes::new();
    for service in [Service::AsbCaseReview, Service::PoliceComplaintReview, Service::InformationRequest] {
        routes = routes
            .route(
                service.track_path(),
                Access::Public,
                get(move |chrome: Chrome| show_form(service, chrome)).post(
                    move |state: State<Platform>, chrome: Chrome, viewer: Viewer, form: Form<LookupForm>| {
                        look_up(service, state, chrome, viewer, form)
                    },
                ),
            )
            .route(service.link_path(), Access::Public, get(by_link));
    }
    routes
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct LookupForm {
    reference: String,
    postcode: String,
}

#[derive(Template)]
#[template(path = "tracker/form.html")]
struct FormPage {
    chrome: Chrome,
    service: Service,
    form: LookupForm,
    errors: FormErrors,
}

impl FormPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn reference(&self) -> TextInput<'_> {
        TextInput::new("reference", "Reference number", &self.form.reference, &self.errors)
            .width("govuk-input--width-20")
            .no_spellcheck()
            .hint(self.service.reference_hint())
    }
    fn postcode(&self) -> TextInput<'_> {
        TextInput::new("postcode", "Postcode", &self.form.postcode, &self.errors)
            .width("govuk-input--width-10")
            .hint(self.service.postcode_hint())
    }
}

#[derive(Template)]
#[template(path = "tracker/status.html")]
struct StatusPage {
    chrome: Chrome,
    view: TrackerView,
}

async fn show_form(service: Service, chrome: Chrome) -> Result<Response, AppError> {
    render(&FormPage { chrome, service, form: LookupForm::default(), errors: FormErrors::new() })
}

/// Wrong guesses one address may make in an hour, counted before each look-up is made.
const GUESSES: Limit = Limit { kind: "tracker look-up", limit: MAX_FAILURES_PER_HOUR, window: Duration::hours(1) };

/// Forgets failures older than a day (daily housekeeping). Kept for databases that still hold
/// rows from before look-ups were counted by `platform::throttle`.
pub async fn sweep_failures(pool: &Pool, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM casework_tracker_failure WHERE failed_at < $1")
        .bind(db::timestamp(now - Duration::days(1)))
        .execute(pool)
        .await?;
    Ok(result.rows_affected())
}

async fn find_view(platform: &Platform, reference: &Reference, postcode: &Postcode) -> Result<Option<TrackerView>, AppError> {
    let pool = platform.pool();
    let calendar = calendar::store::for_nation(pool, Nation::EnglandAndWales).await?;
    if let Some(view) = crate::asb::tracker::find_view(pool, reference, postcode, &calendar).await? {
        return Ok(Some(view));
    }
    if let Some(view) = crate::complaints::tracker::find_view(pool, reference, postcode, &calendar).await? {
        return Ok(Some(view));
    }
    let foi = calendar::store::freedom_of_information(pool).await?;
    Ok(crate::information::tracker::find_view(pool, reference, postcode, &foi, &calendar).await?)
}

async fn look_up(
    service: Service,
    State(platform): State<Platform>,
    chrome: Chrome,
    viewer: Viewer,
    Form(form): Form<LookupForm>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let address = viewer.address().to_string();
    // The look-up is counted before it is made, so a burst of parallel guesses cannot all be tried.
    let Some(attempt) = throttle::take(platform.pool(), GUESSES, &address, 1, now).await? else {
        let mut errors = FormErrors::new();
        errors.add("reference", "You have tried too many times. Wait an hour and try again, or contact us.");
        let page = render(&FormPage { chrome: chrome.with_errors(true), service, form, errors })?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    };
    let mut errors = FormErrors::new();
    let reference = form.reference.parse::<Reference>();
    if form.reference.trim().is_empty() {
        errors.add("reference", "Enter your reference number");
    } else if reference.is_err() {
        errors.add("reference", format!("Enter a reference number like {}", service.example()));
    }
    let postcode = Postcode::parse(&form.postcode);
    if form.postcode.trim().is_empty() {
        errors.add("postcode", "Enter the postcode");
    } else if let Err(message) = postcode {
        errors.add("postcode", message);
    }
    if let (true, Ok(reference), Ok(postcode)) = (errors.is_empty(), &reference, &postcode) {
        if let Some(view) = find_view(&platform, reference, postcode).await? {
            attempt.release(platform.pool()).await?;
            return render(&StatusPage { chrome, view });
        }
        // One message for a wrong reference and a wrong postcode: neither is confirmed to a guesser.
        errors.add("reference", "We could not find a case with that reference number and postcode. Check both and try again.");
    } else {
        // A reference or postcode that is not even well formed guesses nothing.
        attempt.release(platform.pool()).await?;
    }
    let page = render(&FormPage { chrome: chrome.with_errors(true), service, form, errors })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn by_link(State(platform): State<Platform>, chrome: Chrome, Path(token): Path<String>) -> Result<Response, AppError> {
    if token.len() > 100 {
        return Err(AppError::NotFound);
    }
    let pool = platform.pool();
    let calendar = calendar::store::for_nation(pool, Nation::EnglandAndWales).await?;
    let view = match crate::asb::tracker::view_by_token(pool, &token, &calendar).await? {
        Some(view) => view,
        None => match crate::complaints::tracker::view_by_token(pool, &token, &calendar).await? {
            Some(view) => view,
            None => {
                let foi = calendar::store::freedom_of_information(pool).await?;
                crate::information::tracker::view_by_token(pool, &token, &foi, &calendar).await?.ok_or(AppError::NotFound)?
            }
        },
    };
    render(&StatusPage { chrome, view })
}
