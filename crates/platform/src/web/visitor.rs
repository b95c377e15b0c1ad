//! The visitor's browser key: a random value in an essential cookie, given the first time a
//! visitor starts a form. A form in progress (a draft) is bound to the key of the browser that
//! started it, so its address alone, found in the history of a shared computer, opens nothing.
//!
//! One middleware reads the cookie for every request and makes the key available to the code
//! that creates and opens drafts for the rest of that request; when a draft was started by a
//! browser that had no key yet, the middleware sets the cookie on the way out.

use std::sync::{Arc, OnceLock};

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::Platform;
use crate::auth::store::{new_token, sha256_hex};

pub const VISITOR_COOKIE: &str = "commissioner_visitor";
pub const SECURE_VISITOR_COOKIE: &str = "__Host-commissioner_visitor";
/// As long as a draft is kept: coming back within it finds the form as it was left.
const COOKIE_DAYS: i64 = 30;

struct VisitorKey {
    /// The key the browser sent, if it sent one.
    sent: Option<String>,
    /// A key made for this request, only when it binds a draft and the browser had none.
    made: OnceLock<String>,
}

impl VisitorKey {
    fn key(&self) -> &str {
        self.sent.as_deref().unwrap_or_else(|| self.made.get_or_init(new_token))
    }
}

tokio::task_local! {
    static VISITOR: Arc<VisitorKey>;
}

fn cookie_name(platform: &Platform) -> &'static str {
    if platform.settings().served_over_tls() { SECURE_VISITOR_COOKIE } else { VISITOR_COOKIE }
}

/// Middleware: makes the visitor's key known for the request, and gives the browser the cookie
/// when the request bound a draft to a key it did not have yet.
pub async fn visitor_key(State(platform): State<Platform>, request: Request, next: Next) -> Response {
    let name = cookie_name(&platform);
    let sent =
        crate::auth::session::cookie_value(request.headers(), name).filter(|v| (16..=100).contains(&v.len())).map(str::to_string);
    let visitor = Arc::new(VisitorKey { sent, made: OnceLock::new() });
    let mut response = VISITOR.scope(visitor.clone(), next.run(request)).await;
    if let Some(made) = visitor.made.get() {
        let secure = if platform.settings().served_over_tls() { "; Secure" } else { "" };
        let max_age = COOKIE_DAYS * 24 * 3600;
        if let Ok(value) =
            HeaderValue::from_str(&format!("{name}={made}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"))
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The hash of this request's visitor key, to bind a new draft to; the browser is given the key.
/// `None` outside a web request (demo data, the command line): nothing to bind to.
pub fn bind() -> Option<String> {
    VISITOR.try_with(|visitor| sha256_hex(visitor.key())).ok()
}

/// Whether this request may open a draft bound to `bound` (a hash from [`bind`]). Drafts bound
/// to nothing (made outside a request, or before binding began) open for anyone with the link.
pub fn may_open(bound: Option<&str>) -> bool {
    let Some(bound) = bound else { return true };
    VISITOR
        .try_with(|visitor| match &visitor.sent {
            Some(key) => subtle::ConstantTimeEq::ct_eq(sha256_hex(key).as_bytes(), bound.as_bytes()).into(),
            // A browser with no key opens no bound draft.
            None => false,
        })
        .unwrap_or(true)
}
