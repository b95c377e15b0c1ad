//! Who is asking, decided once per request: the session cookie, the route's access rule, and
//! CSRF protection for anything that changes state. All in one middleware, [`authorise`].

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, MatchedPath, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use time::OffsetDateTime;

use super::forgery::check_csrf_token;
use super::kept;
use super::store::{self, Session, SessionStage, StaffUser};
use crate::access::{Access, Decision, ViewerKind, decide};
use crate::audit::{self, Actor, Event};
use crate::web::{AppError, Platform};

pub const SESSION_COOKIE: &str = "commissioner_session";
/// With TLS the cookie gets the `__Host-` prefix: browsers then insist on Secure, Path=/ and no Domain.
pub const SECURE_SESSION_COOKIE: &str = "__Host-commissioner_session";
pub use super::forgery::CSRF_FIELD;

/// The person behind a request, as the access middleware found them.
#[derive(Debug, Clone)]
pub enum Viewer {
    Public { address: String },
    Staff { session: Box<Session>, address: String },
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
            Viewer::Staff { session, address } => Ok(CurrentStaff { user: session.user.clone(), session: *session, address }),
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
/// Who is asking, and, when their session ran out just now, whose it was.
async fn viewer_for(
    platform: &Platform,
    address: String,
    token: Option<String>,
) -> Result<(Viewer, Option<Box<StaffUser>>), AppError> {
    let Some(token) = token else {
        return Ok((Viewer::Public { address }, None));
    };
    Ok(match store::load_session(platform.pool(), platform.settings(), &token, OffsetDateTime::now_utc()).await? {
        store::Loaded::Current(session) => (Viewer::Staff { session, address }, None),
        store::Loaded::Ended(user) => (Viewer::Public { address }, Some(user)),
        store::Loaded::Unknown => (Viewer::Public { address }, None),
    })
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

/// Middleware on every route: finds the viewer, applies the route's declared rule, and checks
/// state-changing requests for forgery. The one place access is decided.
pub async fn authorise(State(platform): State<Platform>, request: Request, next: Next) -> Response {
    match authorise_inner(&platform, request).await {
        Ok(request) => next.run(request).await,
        Err(response) => response,
    }
}

/// Refused requests from signed-in staff go in the audit log: repeated ones are a sign of an
/// account probing beyond its role, or of a forged form.
async fn refused(platform: &Platform, viewer: &Viewer, path: &str, method: &Method, why: &str) {
    let actor = viewer.actor();
    tracing::warn!(user = %actor.label, path, why, "access refused");
    if viewer.session().is_none() {
        return;
    }
    let detail = format!("{method}: {why}");
    let event = Event { action: "was refused", record_type: "page", record_id: path, detail: &detail };
    if let Err(error) = audit::record_now(platform.pool(), &actor, event).await {
        tracing::error!(%error, "could not record a refusal in the audit log");
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
    let (mut viewer, ended) = viewer_for(platform, address, token).await.map_err(IntoResponse::into_response)?;
    match decide(rule, viewer.kind()) {
        Decision::Allow => {}
        Decision::SignIn => {
            // A form sent just after its session ran out is kept for its author to send on.
            if let Some(user) =
                ended.filter(|_| is_state_changing(request.method()) && kept::is_keepable(&path, request.headers()))
            {
                return Err(kept::keep(platform, &user, request).await.into_response());
            }
            let to = if matches!(viewer.kind(), ViewerKind::SigningIn(_)) { "/staff/two-factor" } else { "/staff/sign-in" };
            return Err(Redirect::to(to).into_response());
        }
        Decision::Forbidden => {
            refused(platform, &viewer, &path, request.method(), "not allowed for their role").await;
            return Err(AppError::Forbidden.into_response());
        }
    }
    if is_state_changing(request.method()) {
        if cross_site(request.headers()) {
            tracing::warn!(path, "cross-site form refused");
            return Err(AppError::Forbidden.into_response());
        }
        match viewer.session() {
            // A public form acts with no one's authority, so a member of staff who posts one
            // while signed in posts it as the public does, with no token to carry.
            Some(_) if rule == Access::Public => viewer = Viewer::Public { address: viewer.actor().address },
            Some(session) => {
                let method = request.method().clone();
                let limit = platform.settings().form_body_limit_bytes;
                match check_csrf_token(request, &session.csrf_token, limit).await {
                    Ok(checked) => request = checked,
                    Err(error) => {
                        if matches!(error, AppError::Forbidden) {
                            refused(platform, &viewer, &path, &method, "the form had no valid token").await;
                        }
                        return Err(error.into_response());
                    }
                }
            }
            None => {}
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
    fn the_session_cookie_is_found_among_others() {
        let map = headers(&[("cookie", "theme=dark; commissioner_session=tok123; other=x")]);
        assert_eq!(cookie_value(&map, SESSION_COOKIE), Some("tok123"));
        assert_eq!(cookie_value(&map, SECURE_SESSION_COOKIE), None);
    }
}
