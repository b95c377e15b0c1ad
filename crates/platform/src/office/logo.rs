//! The office's logo, optional: an administrator uploads a PNG or JPEG image on the office page,
//! and every page's header shows it beside the office's name. It is kept as a stored file like
//! any upload (`crate::files`), checked by its content, and served at `/office/logo`.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::AppError;
use crate::access::{Access, Role, Routes};
use crate::audit::{self, Event};
use crate::files::{self, AllowedType, UploadRules};
use crate::web::{Platform, StaffPage};

/// The stored files of the logo belong to this owner.
const OWNER_TYPE: &str = "office-logo";
const OWNER_ID: &str = "office";
pub const PATH: &str = "/office/logo";
const UPLOAD: &str = "/staff/admin/office/logo";

const LOGO_TYPES: &[AllowedType] =
    &[AllowedType { mime: "image/png", extensions: &["png"] }, AllowedType { mime: "image/jpeg", extensions: &["jpg", "jpeg"] }];
pub const DESCRIBED_AS: &str = "a PNG or JPEG image";
/// A header logo needs nothing near this; more is a mistake (a photograph, a print file).
const MAX_BYTES: u64 = 512 * 1024;

pub fn routes() -> Routes {
    Routes::new().route(PATH, Access::Public, get(serve)).route(UPLOAD, Access::Roles(&[Role::Administrator]), post(change))
}

async fn serve(State(platform): State<Platform>) -> Result<Response, AppError> {
    let stored = files::files_of(platform.pool(), OWNER_TYPE, OWNER_ID).await?;
    let file = stored.last().ok_or(AppError::NotFound)?;
    let stream = platform.storage().read(&file.sha256).await.map_err(|e| AppError::Internal(e.into()))?;
    let mut response = axum::body::Body::from_stream(stream).into_response();
    let headers = response.headers_mut();
    // Only the two checked image types are ever stored here.
    let kind = if file.content_type == "image/png" { "image/png" } else { "image/jpeg" };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LogoForm {
    /// "remove" to take the logo away.
    action: String,
}

/// Replaces (or removes) the logo; the office page shows any problem in its error summary.
async fn change(StaffPage { platform, chrome, staff }: StaffPage, request: Request) -> Result<Response, AppError> {
    let rules = UploadRules {
        max_bytes: MAX_BYTES,
        max_files: 1,
        allowed: LOGO_TYPES,
        described_as: DESCRIBED_AS,
        max_text_bytes: 1000,
        max_fields: 5,
    };
    let (form, uploads, mut errors): (LogoForm, _, _) =
        crate::web::read_form_with_files(&platform, request, rules, "logo").await?;
    let removing = form.action == "remove";
    if !removing && uploads.is_empty() && errors.is_empty() {
        errors.add("logo", format!("Select {DESCRIBED_AS}"));
    }
    if !errors.is_empty() {
        return super::page::show_with_errors(&platform, chrome, errors).await;
    }
    let now = OffsetDateTime::now_utc();
    for upload in &uploads {
        platform.storage().persist(upload).await.map_err(|e| AppError::Internal(e.into()))?;
    }
    let mut tx = crate::db::begin_write(platform.pool()).await?;
    files::forget_all(&mut tx, OWNER_TYPE, OWNER_ID).await?;
    for upload in &uploads {
        files::record(&mut tx, upload, OWNER_TYPE, OWNER_ID, now).await?;
    }
    let (action, detail) = match uploads.first() {
        Some(upload) => ("changed", format!("{} ({} bytes)", upload.original_name, upload.size_bytes)),
        None => ("removed", String::new()),
    };
    let event = Event { action, record_type: "office logo", record_id: OWNER_ID, detail: &detail };
    audit::record(&mut tx, &staff.actor(), event, now).await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/admin/office?saved=yes").into_response())
}
