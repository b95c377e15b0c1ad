//! The applicant's status tracker, shared by every service: where a case has got to, by the
//! private link sent by email, or by reference number and postcode. It shows dates and
//! decisions, never anyone's details, and wrong guesses from one address are throttled. Each
//! registered service says what its cases look like and gives its look-up page's wording; the
//! look-up finds a case of any service, whichever service's page it was typed into.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::db::{self, Pool};
use platform::postcode::Postcode;
use platform::reference::Reference;
use platform::throttle::{self, Limit};
use platform::web::forms::{FormErrors, TextInput};
use platform::web::{Form, PageRequest, render};
use platform::{AppError, Chrome};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use crate::registry::Services;

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
    /// Where to read what the case produced, as (link text, address): a published answer, the
    /// documents released.
    pub links: Vec<(String, String)>,
}

/// A service's [`TrackerPage`] from its public start page: the look-up form is that address
/// followed by `/track`, the private link by `/track/{token}`.
#[macro_export]
macro_rules! tracker_page {
    ($path:literal, $($field:ident: $value:expr),+ $(,)?) => {
        $crate::tracker::TrackerPage {
            path: $path,
            track_path: concat!($path, "/track"),
            link_path: concat!($path, "/track/{token}"),
            $($field: $value),+
        }
    };
}

/// How one service's tracker look-up page reads. Paths are static because routes are.
#[derive(Debug)]
pub struct TrackerPage {
    /// The service's public start page ("/asb-case-review").
    pub path: &'static str,
    /// The look-up form: `path` followed by "/track".
    pub track_path: &'static str,
    /// The private link: `path` followed by "/track/{token}".
    pub link_path: &'static str,
    pub heading: &'static str,
    /// A reference of the service's own shape ("ASB-2026-000042").
    pub example: &'static str,
    pub reference_hint: &'static str,
    pub postcode_hint: &'static str,
}

pub fn routes(services: &Services) -> Routes {
    let mut routes = Routes::new();
    for page in services.iter().filter_map(|s| s.tracker_page()) {
        let (for_look_up, for_link) = (services.clone(), services.clone());
        routes = routes
            .route(
                page.track_path,
                Access::Public,
                get(move |chrome: Chrome| show_form(page, chrome)).post(
                    move |request: PageRequest, viewer: Viewer, form: Form<LookupForm>| {
                        look_up(for_look_up.clone(), page, request, viewer, form)
                    },
                ),
            )
            .route(
                page.link_path,
                Access::Public,
                get(move |request: PageRequest, token: Path<String>| by_link(for_link.clone(), request, token)),
            );
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
    service: &'static TrackerPage,
    form: LookupForm,
    errors: FormErrors,
}

impl FormPage {
    fn reference(&self) -> TextInput<'_> {
        TextInput::new("reference", "Reference number", &self.form.reference, &self.errors)
            .width("govuk-input--width-20")
            .no_spellcheck()
            .hint(self.service.reference_hint)
    }
    fn postcode(&self) -> TextInput<'_> {
        TextInput::new("postcode", "Postcode", &self.form.postcode, &self.errors)
            .width("govuk-input--width-10")
            .hint(self.service.postcode_hint)
    }
}

#[derive(Template)]
#[template(path = "tracker/status.html")]
struct StatusPage {
    chrome: Chrome,
    view: TrackerView,
}

async fn show_form(service: &'static TrackerPage, chrome: Chrome) -> Result<Response, AppError> {
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

/// The working-day calendars a tracker's view is worked out with, loaded once per look-up: the
/// office's nation's, and the UK-wide one the Freedom of Information Act counts in.
pub struct Calendars {
    pub local: platform::calendar::WorkingDayCalendar,
    pub uk_wide: platform::calendar::WorkingDayCalendar,
}

impl Calendars {
    pub async fn load(pool: &Pool) -> Result<Calendars, sqlx::Error> {
        let local = platform::calendar::store::for_nation(pool, platform::calendar::Nation::EnglandAndWales).await?;
        let uk_wide = platform::calendar::store::freedom_of_information(pool).await?;
        Ok(Calendars { local, uk_wide })
    }
}

/// The case of whichever registered service holds the reference, whichever service's page it
/// was typed into.
async fn find_view(
    services: &Services,
    pool: &Pool,
    reference: &Reference,
    postcode: &Postcode,
) -> Result<Option<TrackerView>, sqlx::Error> {
    let calendars = Calendars::load(pool).await?;
    for service in services.iter() {
        if let Some(view) = service.find_tracked(pool, &calendars, reference, postcode).await? {
            return Ok(Some(view));
        }
    }
    Ok(None)
}

async fn look_up(
    services: Services,
    service: &'static TrackerPage,
    PageRequest { platform, chrome }: PageRequest,
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
        errors.add("reference", format!("Enter a reference number like {}", service.example));
    }
    let postcode = Postcode::parse(&form.postcode);
    if form.postcode.trim().is_empty() {
        errors.add("postcode", "Enter the postcode");
    } else if let Err(message) = postcode {
        errors.add("postcode", message);
    }
    if let (true, Ok(reference), Ok(postcode)) = (errors.is_empty(), &reference, &postcode) {
        if let Some(view) = find_view(&services, platform.pool(), reference, postcode).await? {
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

async fn by_link(
    services: Services,
    PageRequest { platform, chrome }: PageRequest,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    if token.len() > 100 {
        return Err(AppError::NotFound);
    }
    let calendars = Calendars::load(platform.pool()).await?;
    for service in services.iter() {
        if let Some(view) = service.tracked_by_token(platform.pool(), &calendars, &token).await? {
            return render(&StatusPage { chrome, view });
        }
    }
    Err(AppError::NotFound)
}
