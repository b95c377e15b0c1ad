//! Nothing typed is lost when a session ends: a staff form posted after its session ended is
//! kept on the server, tied to the person whose session it was, and handed back to that person
//! (and no one else) once they have signed in again, to send on with one press.

use askama::Template;
use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use time::{Duration, OffsetDateTime};

use super::session::{CurrentStaff, cookie_value};
use super::store::{new_token, sha256_hex};
use crate::access::{Access, Routes};
use crate::audit::{self, Event};
use crate::db::{self, Pool};
use crate::web::{AppError, Chrome, PageRequest, Platform, render};

const COOKIE: &str = "commissioner_kept";
/// Long enough for a lunch break or an overnight; the text is deleted then either way.
const KEPT_FOR: Duration = Duration::hours(24);
const PAGE: &str = "/staff/kept-form";

pub fn routes() -> Routes {
    Routes::new().route(PAGE, Access::Staff, get(show).post(send_on)).route(
        "/staff/kept-form/discard",
        Access::Staff,
        post(discard),
    )
}

/// Whether a refused request is a form worth keeping: a staff form of text fields.
pub fn is_keepable(path: &str, headers: &HeaderMap) -> bool {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    form && path.starts_with("/staff/") && !path.starts_with("/staff/sign-") && path != PAGE
}

/// Keeps the form `request` carries for `user_id` and answers with the sign-in page's address
/// and a cookie naming what was kept.
pub async fn keep(platform: &Platform, user: &super::StaffUser, request: Request) -> Result<Response, AppError> {
    let user_id = user.id.as_str();
    let path = request.uri().path().to_string();
    let bytes =
        to_bytes(request.into_body(), platform.settings().form_body_limit_bytes).await.map_err(|_| AppError::PayloadTooLarge)?;
    let fields = fields_of(&bytes);
    let now = OffsetDateTime::now_utc();
    let token = new_token();
    let mut tx = db::begin_write(platform.pool()).await?;
    sqlx::query("INSERT INTO platform_kept_form (token_hash, user_id, path, fields, kept_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(sha256_hex(&token))
        .bind(user_id)
        .bind(&path)
        .bind(serde_json::to_string(&fields).map_err(|e| AppError::Internal(e.into()))?)
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?;
    let actor = audit::Actor::staff(user_id, &user.email, "session ended");
    let event = Event { action: "kept a form posted after the session ended", record_type: "page", record_id: &path, detail: "" };
    audit::record(&mut tx, &actor, event, now).await?;
    tx.commit().await?;
    let cookie = format!("{COOKIE}={token}; Path=/staff; HttpOnly; SameSite=Lax; Max-Age={}", KEPT_FOR.whole_seconds());
    let mut response = Redirect::to("/staff/sign-in?kept=yes").into_response();
    response.headers_mut().append(header::SET_COOKIE, HeaderValue::from_str(&cookie).map_err(|e| AppError::Internal(e.into()))?);
    Ok(response)
}

/// The form's fields in order, without its old token against forgery.
fn fields_of(body: &[u8]) -> Vec<(String, String)> {
    let fields: Vec<(String, String)> = serde_html_form::from_bytes(body).unwrap_or_default();
    fields.into_iter().filter(|(name, _)| name != super::forgery::CSRF_FIELD).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Kept {
    path: String,
    fields: Vec<(String, String)>,
}

/// The form kept under this browser's cookie, if it is `user_id`'s and still kept.
async fn kept_for(pool: &Pool, headers: &HeaderMap, user_id: &str) -> Result<Option<(String, Kept)>, sqlx::Error> {
    let Some(token) = cookie_value(headers, COOKIE) else { return Ok(None) };
    let hash = sha256_hex(token);
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT path, fields, kept_at FROM platform_kept_form WHERE token_hash = $1 AND user_id = $2")
            .bind(&hash)
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    let Some((path, fields, kept_at)) = row else { return Ok(None) };
    let in_date = db::parse_timestamp(&kept_at).is_some_and(|at| at + KEPT_FOR > OffsetDateTime::now_utc());
    let fields = serde_json::from_str(&fields).map_err(|e| sqlx::Error::Decode(e.into()))?;
    Ok(in_date.then_some((hash, Kept { path, fields })))
}

/// Deletes forms kept longer than a day (the daily housekeeping).
pub async fn sweep(pool: &Pool, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM platform_kept_form WHERE kept_at < $1").bind(db::timestamp(now - KEPT_FOR)).execute(pool).await?;
    Ok(())
}

/// Where a person goes once signed in: back to what they were sending, if anything was kept
/// for them, or their home page.
pub async fn after_sign_in(pool: &Pool, headers: &HeaderMap, user_id: &str) -> Result<&'static str, sqlx::Error> {
    Ok(if kept_for(pool, headers, user_id).await?.is_some() { PAGE } else { "/staff" })
}

#[derive(Template)]
#[template(path = "staff/kept_form.html")]
struct KeptPage {
    chrome: Chrome,
    kept: Kept,
}

impl KeptPage {
    /// A field's name in words: "response-text" reads "Response text".
    fn label(&self, name: &str) -> String {
        let words = name.replace(['-', '_'], " ");
        let mut chars = words.chars();
        chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
    }
    /// The fields a person typed into, for reading back (hidden fields and choices included).
    fn shown(&self) -> Vec<&(String, String)> {
        self.kept.fields.iter().filter(|(_, value)| !value.trim().is_empty()).collect()
    }
}

async fn show(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    match kept_for(platform.pool(), &headers, &staff.user.id).await? {
        Some((_, kept)) => render(&KeptPage { chrome, kept }),
        None => Ok(Redirect::to("/staff").into_response()),
    }
}

/// Sends the kept form on to where it was going: the record is deleted and the browser posts
/// the same body (now with this session's token) to the original address (307 keeps the post).
async fn send_on(State(platform): State<Platform>, staff: CurrentStaff, headers: HeaderMap) -> Result<Response, AppError> {
    let Some((hash, kept)) = kept_for(platform.pool(), &headers, &staff.user.id).await? else {
        return Ok(Redirect::to("/staff").into_response());
    };
    forget(platform.pool(), &hash).await?;
    let mut response = (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, kept.path)]).into_response();
    response.headers_mut().append(header::SET_COOKIE, expired_cookie());
    Ok(response)
}

async fn discard(State(platform): State<Platform>, staff: CurrentStaff, headers: HeaderMap) -> Result<Response, AppError> {
    if let Some((hash, _)) = kept_for(platform.pool(), &headers, &staff.user.id).await? {
        forget(platform.pool(), &hash).await?;
    }
    let mut response = Redirect::to("/staff").into_response();
    response.headers_mut().append(header::SET_COOKIE, expired_cookie());
    Ok(response)
}

async fn forget(pool: &Pool, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM platform_kept_form WHERE token_hash = $1").bind(hash).execute(pool).await?;
    Ok(())
}

fn expired_cookie() -> HeaderValue {
    HeaderValue::from_static("commissioner_kept=; Path=/staff; HttpOnly; SameSite=Lax; Max-Age=0")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_staff_text_forms_are_kept() {
        let form = |ct: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            h
        };
        let text = form("application/x-www-form-urlencoded");
        assert!(is_keepable("/staff/information-requests/FOI-2026-000001/actions/response", &text));
        assert!(!is_keepable("/contact", &text), "public forms never need a session");
        assert!(!is_keepable("/staff/sign-in", &text));
        assert!(!is_keepable("/staff/sign-out", &text));
        assert!(!is_keepable(PAGE, &text));
        assert!(!is_keepable("/staff/admin/office/logo", &form("multipart/form-data; boundary=x")), "files are not kept");
    }

    #[test]
    fn the_old_token_is_dropped_and_the_rest_kept_in_order() {
        let fields =
            fields_of(b"csrf-token=old&outcome=refused&exemptions=s.12&exemptions=s.40&response-text=Line+one%0D%0A%C2%A3450");
        let expected =
            [("outcome", "refused"), ("exemptions", "s.12"), ("exemptions", "s.40"), ("response-text", "Line one\r\n£450")];
        assert_eq!(fields, expected.map(|(a, b)| (a.to_string(), b.to_string())));
    }
}
