//! Errors a request can end in, and the GOV.UK pages that explain them.
//!
//! Which error to use: a handler returns `AppError`; `?` on a database error sorts it into
//! "the database is away" (503, the server recovers by itself) or "a fault" (500, logged with
//! its whole cause chain). Users only ever see the plain page for the status, never internals.
//! Any 4xx/5xx response that is not already a page (axum's own rejections, a panic caught by
//! the panic layer) is turned into the matching page by [`render_error_pages`].

use askama::Template;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

use super::{Chrome, Platform};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("request body too large")]
    PayloadTooLarge,
    #[error("database unavailable: {0}")]
    Unavailable(#[source] sqlx::Error),
    /// The disk that takes uploads is nearly full: the service is unavailable for files.
    #[error("too little free space for uploads")]
    StorageFull,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        if crate::db::is_unavailable(&error) { AppError::Unavailable(error) } else { AppError::Internal(error.into()) }
    }
}

impl From<crate::db::StoreError> for AppError {
    fn from(error: crate::db::StoreError) -> Self {
        match error {
            crate::db::StoreError::Database(error) => error.into(),
            crate::db::StoreError::Fault(cause) => AppError::Internal(anyhow::anyhow!(cause)),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(error: askama::Error) -> Self {
        AppError::Internal(error.into())
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) | AppError::StorageFull => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(error) => tracing::error!(error = format!("{error:#}"), "request failed"),
            AppError::Unavailable(error) => tracing::warn!(error = %error, "database unavailable"),
            AppError::BadRequest(reason) => tracing::info!(reason, "bad request"),
            AppError::StorageFull => tracing::error!("uploads refused: the disk holding them is nearly full"),
            _ => {}
        }
        // The page itself is drawn by `render_error_pages`, which has the office's name to hand.
        let mut response = self.status().into_response();
        if let AppError::Unavailable(_) | AppError::StorageFull = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
        }
        response
    }
}

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage {
    chrome: Chrome,
    heading: &'static str,
    paragraphs: Vec<&'static str>,
    show_contact: bool,
}

fn error_page(status: StatusCode, chrome: Chrome) -> ErrorPage {
    let (heading, paragraphs, show_contact): (&str, Vec<&str>, bool) = match status {
        StatusCode::NOT_FOUND => (
            "Page not found",
            vec![
                "If you typed the web address, check it is correct.",
                "If you pasted the web address, check you copied the entire address.",
            ],
            true,
        ),
        StatusCode::FORBIDDEN => (
            "You do not have permission to see this page",
            vec!["If you think you should be able to see it, ask the office’s system administrator."],
            false,
        ),
        StatusCode::PAYLOAD_TOO_LARGE => {
            ("What you sent is too large", vec!["Go back, make your answers shorter or your files smaller, and try again."], true)
        }
        StatusCode::SERVICE_UNAVAILABLE => (
            "Sorry, the service is unavailable",
            vec![
                "You will be able to use the service again in a few minutes.",
                "If you were sending a form, it has not been sent. Go back and try again shortly; your browser may have kept what you typed.",
            ],
            true,
        ),
        s if s.is_server_error() => (
            "Sorry, there is a problem with the service",
            vec![
                "Try again later.",
                "If you were sending a form, it may not have been sent. Check for a confirmation email before sending it again.",
            ],
            true,
        ),
        _ => (
            "Sorry, there is a problem with your request",
            vec!["Go back and try again. If you followed a link, it may be broken or out of date."],
            true,
        ),
    };
    ErrorPage { chrome, heading, paragraphs, show_contact }
}

/// Middleware: gives every error response without a page of its own the GOV.UK error page.
pub async fn render_error_pages(State(platform): State<Platform>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_plain =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_none_or(|ct| ct.starts_with("text/plain"));
    if !is_plain {
        return response;
    }
    let mut chrome = Chrome::without_database(&platform, &path);
    // When the database is the problem, asking it again would only wait for another timeout.
    if status != StatusCode::SERVICE_UNAVAILABLE
        && let Ok(office) = platform.office().await
    {
        chrome.office = office;
    }
    let (mut parts, _) = response.into_parts();
    match error_page(status, chrome).render() {
        Ok(html) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            let mut page = (status, Html(html)).into_response();
            for (name, value) in parts.headers.iter() {
                if name != header::CONTENT_TYPE {
                    page.headers_mut().insert(name.clone(), value.clone());
                }
            }
            page
        }
        Err(error) => {
            tracing::error!(%error, "error page failed to render");
            (status, "Sorry, there is a problem with the service.").into_response()
        }
    }
}
