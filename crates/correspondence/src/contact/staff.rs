//! Reading messages from the public: caseworkers and administrators only, every read audited.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::files::{self, StoredFile};
use platform::reference::Reference;
use platform::web::{PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};

use super::store::{self, MessageSummary, StoredMessage};

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff/messages", Access::Roles(crate::READERS), get(list))
        .route("/staff/messages/{reference}", Access::Roles(crate::READERS), get(show))
        .route("/staff/messages/{reference}/files/{file_id}", Access::Roles(crate::READERS), get(download))
}

#[derive(Template)]
#[template(path = "contact/staff_list.html")]
struct ListPage {
    chrome: Chrome,
    messages: Vec<MessageSummary>,
}

async fn list(PageRequest { platform, chrome }: PageRequest, staff: CurrentStaff) -> Result<Response, AppError> {
    let messages = store::list(platform.pool(), 500).await?;
    let detail = format!("{} messages listed", messages.len());
    audit::record_now(
        platform.pool(),
        &staff.actor(),
        Event { action: "listed", record_type: "contact message", record_id: "-", detail: &detail },
    )
    .await?;
    render(&ListPage { chrome, messages })
}

#[derive(Template)]
#[template(path = "contact/staff_message.html")]
struct MessagePage {
    chrome: Chrome,
    message: StoredMessage,
    files: Vec<StoredFile>,
}

async fn show(StaffPage { platform, chrome, staff }: StaffPage, Path(reference): Path<String>) -> Result<Response, AppError> {
    let reference: Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    let message = store::find_by_reference(platform.pool(), &reference).await?.ok_or(AppError::NotFound)?;
    let event = Event { action: "viewed", record_type: "contact message", record_id: &message.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    let files = files::files_of(platform.pool(), store::ATTACHMENT_OWNER, &message.reference).await?;
    render(&MessagePage { chrome, message, files })
}

/// Downloads an attachment, only through its message, so the message's access rule guards it.
async fn download(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let reference: Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    let id = reference.to_string();
    platform::web::download_record_file(
        &platform,
        &staff.actor(),
        (store::ATTACHMENT_OWNER, &id),
        &file_id,
        ("contact message", &id),
    )
    .await
}
