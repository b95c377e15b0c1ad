//! The staff entrance: sign in, the second factor (and setting it up), sign out, the staff home
//! page, and the administrator's audit log and jobs pages.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::OffsetDateTime;

use super::session::{CurrentStaff, Viewer, clear_session_cookie, session_cookie};
use super::store::{self, CodeOutcome, PasswordOutcome, SessionStage, StaffUser, WrongCode};
use super::totp;
use crate::access::{Access, Role, Routes};
use crate::audit::{self, Event};
use crate::web::forms::{FormErrors, TextInput};
use crate::web::{AppError, Chrome, Form, PageRequest, Platform, StaffPage, render};

const ADMINISTRATORS: &[Role] = &[Role::Administrator];

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff", Access::Staff, get(staff_home))
        .route("/staff/sign-in", Access::Public, get(show_sign_in).post(sign_in))
        .route("/staff/two-factor", Access::SigningIn, get(show_two_factor).post(two_factor))
        .route("/staff/sign-out", Access::SigningIn, post(sign_out))
        .route("/staff/keep-alive", Access::Staff, get(keep_alive))
        .route("/staff/admin/jobs", Access::Roles(ADMINISTRATORS), get(jobs_page))
        .route("/staff/admin/jobs/{id}/retry", Access::Roles(ADMINISTRATORS), post(retry_job))
        .merge(super::reset::routes())
        .merge(super::accounts::routes())
        .merge(super::kept::routes())
        .merge(super::audit_log::routes())
}

fn with_cookie(response: impl IntoResponse, cookie: axum::http::HeaderValue) -> Response {
    let mut response = response.into_response();
    response.headers_mut().append(header::SET_COOKIE, cookie);
    response
}

// Sign in.

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInForm {
    email: String,
    password: String,
}

#[derive(Template)]
#[template(path = "staff/sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    email: String,
    errors: FormErrors,
    notice: Option<String>,
}

impl SignInPage {
    fn email_input(&self) -> TextInput<'_> {
        super::staff_email_input(&self.email, &self.errors)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInQuery {
    #[serde(rename = "signed-out")]
    signed_out: String,
    #[serde(rename = "password-changed")]
    password_changed: String,
    codes: String,
    kept: String,
}

async fn show_sign_in(chrome: Chrome, viewer: Viewer, Query(query): Query<SignInQuery>) -> Result<Response, AppError> {
    if matches!(viewer.kind(), crate::access::ViewerKind::Staff(_)) {
        return Ok(Redirect::to("/staff").into_response());
    }
    let notice = if query.codes == "ended" {
        Some(format!(
            "You entered {} wrong codes, so we stopped that sign-in. Sign in again with your password. We have emailed you in case it was not you.",
            store::CODES_PER_SIGN_IN
        ))
    } else if query.codes == "locked" {
        Some("Your account has been locked after too many wrong codes. Your system administrator has been told and can enable it again.".to_string())
    } else if !query.kept.is_empty() {
        Some("You were signed out because you had not done anything for a while. What you were sending has been kept: sign in again to send it.".to_string())
    } else if !query.password_changed.is_empty() {
        Some("Your password has been changed. Sign in with your new password.".to_string())
    } else {
        (!query.signed_out.is_empty()).then(|| "You have signed out.".to_string())
    };
    render(&SignInPage { chrome, email: String::new(), errors: FormErrors::new(), notice })
}

/// What the sign-in page says when a password is not accepted: an error on the form, a notice
/// above it, or both. Wrong and disabled accounts read alike, so neither can be told apart.
fn refusal(outcome: &PasswordOutcome, now: OffsetDateTime) -> (Option<&'static str>, Option<String>) {
    match outcome {
        PasswordOutcome::Accepted(_) => (None, None),
        PasswordOutcome::Refused | PasswordOutcome::Disabled => (Some("Enter a correct email address and password"), None),
        PasswordOutcome::Locked { until } => {
            let minutes = ((*until - now).whole_seconds() + 59) / 60;
            let minutes = if minutes == 1 { "1 minute".to_string() } else { format!("{minutes} minutes") };
            let notice = format!(
                "There have been too many wrong passwords for this account. Try again in {minutes}, or reset your password."
            );
            (None, Some(notice))
        }
        PasswordOutcome::AddressThrottled => {
            (None, Some("There have been too many attempts to sign in from your network. Wait 15 minutes and try again.".into()))
        }
    }
}

async fn sign_in(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    if form.email.trim().is_empty() {
        errors.add("email", "Enter your email address");
    }
    if form.password.is_empty() {
        errors.add("password", "Enter your password");
    }
    let refuse = |chrome: Chrome, errors: FormErrors, notice: Option<String>| {
        let page =
            render(&SignInPage { chrome: chrome.with_errors(!errors.is_empty()), email: form.email.clone(), errors, notice })?;
        Ok::<_, AppError>((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
    };
    if !errors.is_empty() {
        return refuse(chrome, errors, None);
    }
    let now = OffsetDateTime::now_utc();
    let address = viewer.address().to_string();
    let outcome = store::check_password(platform.pool(), platform.settings(), &form.email, &form.password, &address, now).await?;
    let user = match outcome {
        PasswordOutcome::Accepted(user) => user,
        refused => {
            let (error, notice) = refusal(&refused, now);
            if let Some(error) = error {
                errors.add("email", error);
            }
            return refuse(chrome, errors, notice);
        }
    };
    // Whoever held this browser's old session, if anyone, loses it: the token is always new.
    if let Some(old) = viewer.session() {
        store::delete_session(platform.pool(), &old.token_hash).await?;
    }
    let needs_second_factor = user.totp_enabled || user.role.requires_two_factor();
    let stage = if needs_second_factor { SessionStage::SigningIn } else { SessionStage::SignedIn };
    let token = store::create_session(platform.pool(), platform.settings(), &user, stage, &address, now).await?;
    if !needs_second_factor {
        let actor = audit::Actor::staff(&user.id, &user.email, &address);
        audit::record_now(
            platform.pool(),
            &actor,
            Event { action: "signed in", record_type: "staff user", record_id: &user.id, detail: "password" },
        )
        .await?;
    }
    let next = if needs_second_factor {
        "/staff/two-factor"
    } else {
        super::kept::after_sign_in(platform.pool(), &headers, &user.id).await?
    };
    Ok(with_cookie(Redirect::to(next), session_cookie(&platform, &token)))
}

// Second factor.

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CodeForm {
    code: String,
}

#[derive(Template)]
#[template(path = "staff/two_factor.html")]
struct TwoFactorPage {
    chrome: Chrome,
    /// Present while setting up: the QR code and the secret to type instead.
    enrolment: Option<(String, String)>,
    errors: FormErrors,
}

impl TwoFactorPage {
    fn code_input(&self) -> TextInput<'_> {
        let label =
            if self.enrolment.is_some() { "Code from the app" } else { "Code from your authenticator app, or a recovery code" };
        TextInput::new("code", label, "", &self.errors)
            .autocomplete("one-time-code")
            .width("govuk-input--width-10")
            .no_spellcheck()
    }
}

async fn two_factor_page(
    platform: &Platform,
    chrome: Chrome,
    staff: &CurrentStaff,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let enrolment = if staff.user.totp_enabled {
        None
    } else {
        let secret = store::begin_totp_enrolment(platform.pool(), platform.secrets(), &staff.user.id).await?;
        let uri = totp::provisioning_uri(&secret, &chrome.office.name, &staff.user.email);
        let qr = totp::qr_svg(&uri).ok_or_else(|| AppError::Internal(anyhow::anyhow!("QR code did not render")))?;
        let spaced: String =
            secret.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ");
        Some((qr, spaced))
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = render(&TwoFactorPage { chrome: chrome.with_errors(!errors.is_empty()), enrolment, errors })?;
    Ok((status, page).into_response())
}

async fn show_two_factor(PageRequest { platform, chrome }: PageRequest, staff: CurrentStaff) -> Result<Response, AppError> {
    if staff.session.stage == SessionStage::SignedIn {
        return Ok(Redirect::to("/staff").into_response());
    }
    two_factor_page(&platform, chrome, &staff, FormErrors::new()).await
}

#[derive(Template)]
#[template(path = "staff/recovery_codes.html")]
struct RecoveryCodesPage {
    chrome: Chrome,
    codes: Vec<String>,
}

async fn two_factor(
    StaffPage { platform, chrome, staff }: StaffPage,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    if staff.session.stage == SessionStage::SignedIn {
        return Ok(Redirect::to("/staff").into_response());
    }
    let mut errors = FormErrors::new();
    if form.code.trim().is_empty() {
        errors.add("code", "Enter the code from your authenticator app");
        return two_factor_page(&platform, chrome, &staff, errors).await;
    }
    let now = OffsetDateTime::now_utc();
    let Some(tries) = store::take_code_try(platform.pool(), &staff.session).await? else {
        return Ok(ended_sign_in(&platform, "ended"));
    };
    let outcome = store::check_second_factor(platform.pool(), platform.secrets(), &staff.user.id, &form.code, now).await?;
    if outcome == CodeOutcome::Wrong {
        let office = chrome.office.name.clone();
        let wrong =
            store::record_wrong_code(platform.pool(), platform.settings(), &staff.session, tries, &staff.actor(), &office, now)
                .await?;
        match wrong {
            WrongCode::TryAgain { tries_left } => {
                let tries = if tries_left == 1 { "1 more try".to_string() } else { format!("{tries_left} more tries") };
                errors.add(
                    "code",
                    format!("The code is not right, or has already been used. Enter the newest code from your app. You have {tries} before you must sign in again"),
                );
                return two_factor_page(&platform, chrome, &staff, errors).await;
            }
            WrongCode::SignInEnded => return Ok(ended_sign_in(&platform, "ended")),
            WrongCode::AccountLocked => return Ok(ended_sign_in(&platform, "locked")),
        }
    }
    store::clear_code_rounds(platform.pool(), &staff.user.id).await?;
    let token = store::complete_sign_in(platform.pool(), platform.settings(), &staff.session, &staff.address, now).await?;
    let detail = if matches!(outcome, CodeOutcome::Enrolled { .. }) { "set up two-factor" } else { "two-factor" };
    audit::record_now(
        platform.pool(),
        &staff.actor(),
        Event { action: "signed in", record_type: "staff user", record_id: &staff.user.id, detail },
    )
    .await?;
    match outcome {
        CodeOutcome::Enrolled { recovery_codes } => {
            // Shown once, now; only their hashes are kept. The header's sign-out form would carry
            // the old session's token, so this one page goes without it.
            let chrome = Chrome { staff: None, ..chrome };
            let page = render(&RecoveryCodesPage { chrome, codes: recovery_codes })?;
            Ok(with_cookie(page, session_cookie(&platform, &token)))
        }
        _ => {
            let next = super::kept::after_sign_in(platform.pool(), &headers, &staff.user.id).await?;
            Ok(with_cookie(Redirect::to(next), session_cookie(&platform, &token)))
        }
    }
}

/// Back to the password page, the half-finished session gone, saying why.
fn ended_sign_in(platform: &Platform, why: &str) -> Response {
    with_cookie(Redirect::to(&format!("/staff/sign-in?codes={why}")), clear_session_cookie(platform))
}

async fn sign_out(State(platform): State<Platform>, staff: CurrentStaff) -> Result<Response, AppError> {
    store::delete_session(platform.pool(), &staff.session.token_hash).await?;
    audit::record_now(
        platform.pool(),
        &staff.actor(),
        Event { action: "signed out", record_type: "staff user", record_id: &staff.user.id, detail: "" },
    )
    .await?;
    Ok(with_cookie(Redirect::to("/staff/sign-in?signed-out=yes"), clear_session_cookie(&platform)))
}

/// Asked by the timeout warning's "Stay signed in": the request itself renews the session.
async fn keep_alive(_staff: CurrentStaff) -> StatusCode {
    StatusCode::NO_CONTENT
}

// The staff home page.

#[derive(Template)]
#[template(path = "staff/home.html")]
struct StaffHomePage {
    chrome: Chrome,
    user: StaffUser,
    work: Vec<crate::capability::WorkSection>,
    since: Option<String>,
}

async fn staff_home(PageRequest { platform, chrome }: PageRequest, staff: CurrentStaff) -> Result<Response, AppError> {
    let work = match platform.staff_work() {
        Some(work) => work.sections(platform.pool(), &staff.user, OffsetDateTime::now_utc()).await?,
        None => Vec::new(),
    };
    let since = staff.user.previous_signed_in_at.as_deref().map(crate::calendar::time_and_date_of);
    render(&StaffHomePage { chrome, user: staff.user, work, since })
}

// Background jobs.

#[derive(Template)]
#[template(path = "staff/jobs.html")]
struct JobsPage {
    chrome: Chrome,
    counts: Vec<(String, i64)>,
    jobs: Vec<crate::jobs::JobSummary>,
}

async fn jobs_page(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let counts = crate::jobs::count_by_status(platform.pool()).await?;
    let jobs = crate::jobs::outstanding(platform.pool(), 200).await?;
    render(&JobsPage { chrome, counts, jobs })
}

async fn retry_job(State(platform): State<Platform>, staff: CurrentStaff, Path(id): Path<String>) -> Result<Response, AppError> {
    if !crate::ids::is_well_formed(&id) || !crate::jobs::retry(platform.pool(), &id).await? {
        return Err(AppError::NotFound);
    }
    audit::record_now(
        platform.pool(),
        &staff.actor(),
        Event { action: "retried job", record_type: "job", record_id: &id, detail: "" },
    )
    .await?;
    Ok(Redirect::to("/staff/admin/jobs").into_response())
}
