//! Who is asking, decided once per request: the session cookie, the route's access rule, and
//! CSRF protection for anything that changes state. All in one middleware, [`authorise`].

use std::net::SocketAddr;

use axum::body::{Body, to_bytes};
use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use time::OffsetDateTime;

use super::store::{self, Session, SessionStage, StaffUser};
use crate::access::{Decision, ViewerKind, decide};
use crate::audit::Actor;
use crate::web::{AppError, Platform};

pub const SESSION_COOKIE: &str = "commissioner_session";
/// With TLS the cookie gets the `__Host-` prefix: browsers then insist on Secure, Path=/ and no Domain.
pub const SECURE_SESSION_COOKIE: &str = "__Host-commissioner_session";
pub const CSRF_FIELD: &str = "csrf-token";

/// The person behind a request, as the access middleware found them.
#[derive(Debug, Clone)]
pub enum Viewer {
    Public { address: String },
    Staff { session: Session, address: String },
}

impl Viewer {
    pub fn kind(&self) -> ViewerKind {
        match self {
            Viewer::Public { .. } => ViewerKind::Public,
            Viewer::Staff { session, .. } if session.stage == SessionStage::SigningIn => ViewerKind::SigningIn(session.user.role),
            Viewer::Staff { session, .. } => ViewerKind::Staff(session.user.role),
        }
    }
    pub fn address(&self) -> &str {
        match self {
            Viewer::Public { address } | Viewer::Staff { address, .. } => address,
        }
    }
    pub fn session(&self) -> Option<&Session> {
        match self {
            Viewer::Staff { session, .. } => Some(session),
            Viewer::Public { .. } => None,
        }
    }
    /// The actor to write in the audit log.
    pub fn actor(&self) -> Actor {
        match self {
            Viewer::Public { address } => Actor::public(address),
            Viewer::Staff { session, address } => Actor::staff(&session.user.id, &session.user.email, address),
        }
    }
}

/// A signed-in member of staff: for handlers on routes declared `Staff` or `Roles`.
#[derive(Debug, Clone)]
pub struct CurrentStaff {
    pub user: StaffUser,
    pub session: Session,
    pub address: String,
}

impl CurrentStaff {
    pub fn actor(&self) -> Actor {
        Actor::staff(&self.user.id, &self.user.email, &self.address)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Set by `authorise` on every declared route; absent only on a route that skipped it,
        // which is a bug to fail closed on.
        parts.extensions.get::<Viewer>().cloned().ok_or(AppError::Forbidden)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentStaff {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Viewer::from_request_parts(parts, state).await? {
            Viewer::Staff { session, address } => Ok(CurrentStaff { user: session.user.clone(), session, address }),
            Viewer::Public { .. } => Err(AppError::Forbidden),
        }
    }
}

pub(crate) fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

pub fn session_cookie_name(platform: &Platform) -> &'static str {
    if platform.settings().served_over_tls() { SECURE_SESSION_COOKIE } else { SESSION_COOKIE }
}

/// The `Set-Cookie` value that starts a session. A browser-session cookie (no Max-Age): closing
/// the browser on a shared computer forgets it; the server ends the session anyway after the
/// idle and absolute limits.
pub fn session_cookie(platform: &Platform, token: &str) -> HeaderValue {
    let settings = platform.settings();
    let secure = if settings.served_over_tls() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{}={token}; Path=/; HttpOnly; SameSite=Lax{secure}", session_cookie_name(platform)))
        .expect("token is URL-safe base64")
}

/// The `Set-Cookie` value that ends one.
pub fn clear_session_cookie(platform: &Platform) -> HeaderValue {
    let secure = if platform.settings().served_over_tls() { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}", session_cookie_name(platform)))
        .expect("ASCII")
}

fn client_address(platform: &Platform, request: &Request) -> String {
    match request.extensions().get::<ConnectInfo<SocketAddr>>() {
        Some(peer) => crate::web::client::client_address(peer.0.ip(), request.headers(), platform.trusted_proxies()).to_string(),
        None => "unknown".into(),
    }
}

// Takes owned values, not the request: a request body is not `Sync`, so a future holding a
// borrow of the request could not move between threads.
async fn viewer_for(platform: &Platform, address: String, token: Option<String>) -> Result<Viewer, AppError> {
    let Some(token) = token else {
        return Ok(Viewer::Public { address });
    };
    match store::load_session(platform.pool(), platform.settings(), &token, OffsetDateTime::now_utc()).await? {
        Some(session) => Ok(Viewer::Staff { session, address }),
        None => Ok(Viewer::Public { address }),
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A browser always says where a form came from; a form posted from another site is refused.
fn cross_site(headers: &HeaderMap) -> bool {
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return true;
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or_default();
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => false,
        Some("null") => true,
        Some(origin) => origin.split_once("://").map(|(_, rest)| rest) != Some(host),
    }
}

fn form_field(body: &[u8], name: &str) -> Option<String> {
    body.split(|b| *b == b'&').find_map(|pair| {
        let mut parts = pair.splitn(2, |b| *b == b'=');
        let key = parts.next()?;
        (key == name.as_bytes()).then(|| {
            let value = parts.next().unwrap_or_default();
            let value = String::from_utf8_lossy(value).replace('+', " ");
            percent_encoding::percent_decode_str(&value).decode_utf8_lossy().into_owned()
        })
    })
}

/// Checks the synchronizer token a signed-in person's form carries: in the form body, or in the
/// query string for a multipart upload (whose body is streamed, never buffered).
async fn check_csrf_token(request: Request, session: &Session, limit: usize) -> Result<Request, AppError> {
    let expected = session.csrf_token.as_bytes();
    let matches = |typed: Option<String>| typed.is_some_and(|t| subtle::ConstantTimeEq::ct_eq(t.as_bytes(), expected).into());
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("multipart/form-data"));
    if is_multipart {
        let typed = request.uri().query().and_then(|q| form_field(q.as_bytes(), CSRF_FIELD));
        return if matches(typed) { Ok(request) } else { Err(AppError::Forbidden) };
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, limit).await.map_err(|_| AppError::PayloadTooLarge)?;
    if !matches(form_field(&bytes, CSRF_FIELD)) {
        tracing::warn!(path = %parts.uri.path(), "form refused: missing or wrong CSRF token");
        return Err(AppError::Forbidden);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Middleware on every route: finds the viewer, applies the route's declared rule, and checks
/// state-changing requests for forgery. The one place access is decided.
pub async fn authorise(State(platform): State<Platform>, request: Request, next: Next) -> Response {
    match authorise_inner(&platform, request).await {
        Ok(request) => next.run(request).await,
        Err(response) => response,
    }
}

async fn authorise_inner(platform: &Platform, mut request: Request) -> Result<Request, Response> {
    let path = request.extensions().get::<MatchedPath>().map(|m| m.as_str().to_string()).unwrap_or_default();
    let Some(rule) = platform.policy().rule_for(&path) else {
        tracing::error!(path, "route has no access rule; refused");
        return Err(AppError::Forbidden.into_response());
    };
    let address = client_address(platform, &request);
    let token = cookie_value(request.headers(), session_cookie_name(platform)).map(str::to_string);
    let viewer = viewer_for(platform, address, token).await.map_err(IntoResponse::into_response)?;
    match decide(rule, viewer.kind()) {
        Decision::Allow => {}
        Decision::SignIn => {
            let to = if matches!(viewer.kind(), ViewerKind::SigningIn(_)) { "/staff/two-factor" } else { "/staff/sign-in" };
            return Err(Redirect::to(to).into_response());
        }
        Decision::Forbidden => {
            if let Some(session) = viewer.session() {
                tracing::warn!(user = %session.user.email, path, "access refused");
            }
            return Err(AppError::Forbidden.into_response());
        }
    }
    if is_state_changing(request.method()) {
        if cross_site(request.headers()) {
            tracing::warn!(path, "cross-site form refused");
            return Err(AppError::Forbidden.into_response());
        }
        if let Some(session) = viewer.session() {
            request = check_csrf_token(request, session, platform.settings().form_body_limit_bytes)
                .await
                .map_err(IntoResponse::into_response)?;
        }
    }
    request.extensions_mut().insert(viewer);
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).expect("ascii"));
        }
        map
    }

    #[test]
    fn forms_from_other_sites_are_recognised() {
        assert!(!cross_site(&headers(&[("host", "office.example")])));
        assert!(!cross_site(&headers(&[("host", "office.example"), ("origin", "https://office.example")])));
        assert!(cross_site(&headers(&[("host", "office.example"), ("origin", "https://evil.example")])));
        assert!(cross_site(&headers(&[("host", "office.example"), ("origin", "null")])));
        assert!(cross_site(&headers(&[("host", "office.example"), ("sec-fetch-site", "cross-site")])));
        assert!(!cross_site(&headers(&[("host", "office.example"), ("sec-fetch-site", "same-origin")])));
    }

    #[test]
    fn the_csrf_field_is_read_from_a_form_body() {
        assert_eq!(form_field(b"a=1&csrf-token=abc-_x&b=2", "csrf-token").as_deref(), Some("abc-_x"));
        assert_eq!(form_field(b"a=1", "csrf-token"), None);
        assert_eq!(form_field(b"csrf-token=a%2Bb", "csrf-token").as_deref(), Some("a+b"));
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let map = headers(&[("cookie", "theme=dark; commissioner_session=tok123; other=x")]);
        assert_eq!(cookie_value(&map, SESSION_COOKIE), Some("tok123"));
        assert_eq!(cookie_value(&map, SECURE_SESSION_COOKIE), None);
    }
}
