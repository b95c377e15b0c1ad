//! The visitor's browser key: a random value in an essential cookie, given the first time a
//! visitor starts a form. A form in progress (a draft) is bound to the key of the browser that
//! started it, so its address alone, found in the history of a shared computer, opens nothing.
//!
//! One middleware reads the cookie for every request and makes the key available to the code
//! that creates and opens drafts for the rest of that request; when a draft was started by a
//! browser that had no key yet, the middleware sets the cookie on the way out.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

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
    key: String,
    /// Whether the browser sent the key (rather than one made for this request).
    sent: bool,
    /// Whether this request bound something to the key, so the browser must keep it.
    used: AtomicBool,
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
    let sent = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            pair.trim().split_once('=').filter(|(k, v)| *k == name && (16..=100).contains(&v.len())).map(|(_, v)| v.to_string())
        });
    let visitor =
        Arc::new(VisitorKey { sent: sent.is_some(), key: sent.unwrap_or_else(new_token), used: AtomicBool::new(false) });
    let mut response = VISITOR.scope(visitor.clone(), next.run(request)).await;
    if !visitor.sent && visitor.used.load(Ordering::Relaxed) {
        let secure = if platform.settings().served_over_tls() { "; Secure" } else { "" };
        let max_age = COOKIE_DAYS * 24 * 3600;
        if let Ok(value) =
            HeaderValue::from_str(&format!("{name}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}", visitor.key))
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// The hash of this request's visitor key, to bind a new draft to; the browser is given the key.
/// `None` outside a web request (demo data, the command line): nothing to bind to.
pub fn bind() -> Option<String> {
    VISITOR
        .try_with(|visitor| {
            visitor.used.store(true, Ordering::Relaxed);
            sha256_hex(&visitor.key)
        })
        .ok()
}

/// Whether this request may open a draft bound to `bound` (a hash from [`bind`]). Drafts bound
/// to nothing (made outside a request, or before binding began) open for anyone with the link.
pub fn may_open(bound: Option<&str>) -> bool {
    let Some(bound) = bound else { return true };
    VISITOR
        .try_with(|visitor| subtle::ConstantTimeEq::ct_eq(sha256_hex(&visitor.key).as_bytes(), bound.as_bytes()).into())
        .unwrap_or(true)
}
