//! Resetting a forgotten password by an emailed one-time link.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use super::password;
use super::session::Viewer;
use super::store::{self, new_token, sha256_hex};
use crate::access::{Access, Routes};
use crate::audit::{self, Event};
use crate::config::Settings;
use crate::db::{self, Pool};
use crate::mail::{self, Email};
use crate::throttle::{self, Limit};
use crate::web::forms::{FormErrors, TextInput};
use crate::web::{AppError, Chrome, Form, PageRequest, Platform, render};

pub const LINK_LIFETIME: Duration = Duration::hours(1);

/// Reset emails asked for from one client address in an hour.
const RESETS_BY_ADDRESS: Limit = Limit { kind: "password reset from address", limit: 10, window: time::Duration::hours(1) };
/// Reset emails one account is sent in an hour.
const RESETS_BY_ACCOUNT: Limit = Limit { kind: "password reset for account", limit: 3, window: time::Duration::hours(1) };

pub fn routes() -> Routes {
    Routes::new().route("/staff/password-reset", Access::Public, get(show_ask).post(ask)).route(
        "/staff/password-reset/{token}",
        Access::Public,
        get(show_choose).post(choose),
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResetStage {
    Ask,
    Sent,
    Choose,
    Expired,
}

#[derive(Template)]
#[template(path = "staff/password_reset.html")]
struct ResetPage {
    chrome: Chrome,
    heading: &'static str,
    stage: ResetStage,
    email: String,
    errors: FormErrors,
}

impl ResetPage {
    fn new(chrome: Chrome, stage: ResetStage, errors: FormErrors) -> Self {
        let heading = match stage {
            ResetStage::Ask => "Reset your password",
            ResetStage::Sent => "Check your email",
            ResetStage::Choose => "Choose a new password",
            ResetStage::Expired => "This link cannot be used",
        };
        Self { chrome: chrome.with_errors(!errors.is_empty()), heading, stage, email: String::new(), errors }
    }
    fn email_input(&self) -> TextInput<'_> {
        super::staff_email_input(&self.email, &self.errors)
    }
    fn password_input(&self) -> TextInput<'_> {
        TextInput::new("password", "New password", "", &self.errors)
            .input_type("password")
            .autocomplete("new-password")
            .hint("At least 12 characters. A few unrelated words make a strong password that is easy to remember.")
    }
}

#[derive(Template)]
#[template(path = "email/password_reset.txt")]
struct ResetEmailText<'a> {
    name: &'a str,
    office: &'a str,
    link: &'a str,
    welcome: bool,
}

#[derive(Template)]
#[template(path = "email/password_reset.html")]
struct ResetEmailHtml<'a> {
    name: &'a str,
    office: &'a str,
    link: &'a str,
    welcome: bool,
}

/// Why a link to choose a password is sent: the person asked, or an administrator added their
/// account (or sent them a new link) so that no password is ever typed or seen by anyone else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkPurpose {
    Reset,
    Welcome,
}

impl LinkPurpose {
    pub fn lifetime(self) -> Duration {
        match self {
            LinkPurpose::Reset => LINK_LIFETIME,
            LinkPurpose::Welcome => WELCOME_LINK_LIFETIME,
        }
    }
}

/// A new account's link lasts long enough to reach someone who is away for a weekend.
pub const WELCOME_LINK_LIFETIME: Duration = Duration::days(3);

/// Writes a one-time link for `user` to choose a password, and its email, in `tx`. Only the
/// newest link works: an older one in an inbox somebody else reads is spent.
pub async fn send_link(
    tx: &mut sqlx::AnyConnection,
    settings: &Settings,
    user: &store::StaffUser,
    office: &str,
    purpose: LinkPurpose,
    now: OffsetDateTime,
) -> Result<(), db::StoreError> {
    let token = new_token();
    let link = format!("{}/staff/password-reset/{token}", settings.public_url.trim_end_matches('/'));
    let render_error = |e: askama::Error| db::StoreError::Fault(format!("password email did not render: {e}"));
    let welcome = purpose == LinkPurpose::Welcome;
    let name = user.display_name.as_str();
    let email = Email {
        to: user.email.clone(),
        subject: if welcome {
            format!("Choose a password for your {office} account")
        } else {
            format!("Reset your {office} password")
        },
        text: ResetEmailText { name, office, link: &link, welcome }.render().map_err(render_error)?,
        html: ResetEmailHtml { name, office, link: &link, welcome }.render().map_err(render_error)?,
    };
    sqlx::query("UPDATE platform_password_reset SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(db::timestamp(now))
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO platform_password_reset (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(sha256_hex(&token))
        .bind(&user.id)
        .bind(db::timestamp(now + purpose.lifetime()))
        .execute(&mut *tx)
        .await?;
    mail::enqueue(tx, settings, &email).await?;
    Ok(())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AskForm {
    email: String,
}

async fn show_ask(chrome: Chrome) -> Result<Response, AppError> {
    render(&ResetPage::new(chrome, ResetStage::Ask, FormErrors::new()))
}

async fn ask(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Form(form): Form<AskForm>,
) -> Result<Response, AppError> {
    if form.email.trim().is_empty() {
        let mut errors = FormErrors::new();
        errors.add("email", "Enter your email address");
        let page = render(&ResetPage::new(chrome, ResetStage::Ask, errors))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let now = OffsetDateTime::now_utc();
    if throttle::take(platform.pool(), RESETS_BY_ADDRESS, viewer.address(), 1, now).await?.is_none() {
        let mut errors = FormErrors::new();
        errors
            .add("email", "There have been too many requests to reset a password from your network. Wait an hour and try again");
        let page = render(&ResetPage::new(chrome, ResetStage::Ask, errors))?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    // The account is looked up, and the email written, by a background job: the page is the same,
    // in its words and in its timing, whether or not the account exists.
    let payload = serde_json::json!({ "email": form.email.trim(), "address": viewer.address() }).to_string();
    let mut conn = platform.pool().acquire().await?;
    crate::jobs::enqueue(&mut conn, REQUEST_JOB, &payload, 5, now).await?;
    render(&ResetPage::new(chrome, ResetStage::Sent, FormErrors::new()))
}

/// The job that answers a request for a reset link.
pub const REQUEST_JOB: &str = "password-reset-request";

/// Sends a reset link, if the email belongs to an enabled account that has not had its three
/// emails this hour. Only the newest link works.
pub async fn request_job(pool: Pool, settings: Settings, payload: String) -> Result<(), String> {
    let value: serde_json::Value = serde_json::from_str(&payload).map_err(|e| e.to_string())?;
    let typed = value["email"].as_str().unwrap_or_default();
    let address = value["address"].as_str().unwrap_or("unknown");
    let run = async {
        let now = OffsetDateTime::now_utc();
        let Some(user) = store::find_by_email(&pool, typed).await?.filter(|u| !u.disabled) else { return Ok(()) };
        if throttle::take(&pool, RESETS_BY_ACCOUNT, &user.id, 1, now).await?.is_none() {
            return Ok(());
        }
        let office = crate::office::load(&pool).await?.map(|o| o.name).unwrap_or_default();
        let mut tx = crate::db::begin_write(&pool).await?;
        send_link(&mut tx, &settings, &user, &office, LinkPurpose::Reset, now).await?;
        let event = Event { action: "requested password reset", record_type: "staff user", record_id: &user.id, detail: "" };
        audit::record(&mut tx, &audit::Actor::public(address), event, now).await?;
        tx.commit().await?;
        Ok(())
    };
    run.await.map_err(|e: db::StoreError| e.to_string())
}

/// The user a link belongs to, if it is unused and in date.
async fn valid_link(platform: &Platform, token: &str) -> Result<Option<String>, AppError> {
    let row: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT user_id, expires_at, used_at FROM platform_password_reset WHERE token_hash = $1")
            .bind(sha256_hex(token))
            .fetch_optional(platform.pool())
            .await?;
    let now = OffsetDateTime::now_utc();
    Ok(row.and_then(|(user_id, expires_at, used_at)| {
        let in_date = db::parse_timestamp(&expires_at).is_some_and(|expires| expires > now);
        (in_date && used_at.is_none()).then_some(user_id)
    }))
}

async fn show_choose(PageRequest { platform, chrome }: PageRequest, Path(token): Path<String>) -> Result<Response, AppError> {
    match valid_link(&platform, &token).await? {
        Some(_) => render(&ResetPage::new(chrome, ResetStage::Choose, FormErrors::new())),
        None => {
            let page = render(&ResetPage::new(chrome, ResetStage::Expired, FormErrors::new()))?;
            Ok((StatusCode::GONE, page).into_response())
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ChooseForm {
    password: String,
}

async fn choose(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Path(token): Path<String>,
    Form(form): Form<ChooseForm>,
) -> Result<Response, AppError> {
    let Some(user_id) = valid_link(&platform, &token).await? else {
        let page = render(&ResetPage::new(chrome, ResetStage::Expired, FormErrors::new()))?;
        return Ok((StatusCode::GONE, page).into_response());
    };
    let user = store::find_by_id(platform.pool(), &user_id).await?.ok_or(AppError::NotFound)?;
    if let Err(message) = password::check_new_password(&form.password, &user.email) {
        let mut errors = FormErrors::new();
        errors.add("password", message);
        let page = render(&ResetPage::new(chrome, ResetStage::Choose, errors))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let now = OffsetDateTime::now_utc();
    let hash = password::hash(&form.password, platform.settings().password_hash_cost());
    let mut tx = crate::db::begin_write(platform.pool()).await?;
    // Conditional on the link being unused, so two tabs cannot both spend it.
    let spent = sqlx::query("UPDATE platform_password_reset SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL")
        .bind(db::timestamp(now))
        .bind(sha256_hex(&token))
        .execute(&mut *tx)
        .await?;
    if spent.rows_affected() != 1 {
        tx.rollback().await?;
        let page = render(&ResetPage::new(chrome, ResetStage::Expired, FormErrors::new()))?;
        return Ok((StatusCode::GONE, page).into_response());
    }
    sqlx::query("UPDATE platform_staff_user SET password_hash = $1, failed_attempts = 0, locked_until = NULL, updated_at = $2 WHERE id = $3")
        .bind(&hash)
        .bind(db::timestamp(now))
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM platform_session WHERE user_id = $1").bind(&user.id).execute(&mut *tx).await?;
    let event = Event { action: "reset password", record_type: "staff user", record_id: &user.id, detail: "by emailed link" };
    audit::record(&mut tx, &viewer.actor(), event, now).await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/sign-in?password-changed=yes").into_response())
}
