//! HTTP for the contact form: extract, call the rules and the store, render.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::calendar::{self, Nation};
use platform::contact::ContactQuestions;
use platform::web::forms::{FileUpload, FormErrors, Textarea};
use platform::web::{PageRequest, held, render};
use platform::{AppError, Chrome};
use time::OffsetDateTime;

use super::message::CONTACT;
use super::store::{self, Receipt};
use super::{ContactForm, ContactMessage, MAX_MESSAGE_CHARS, REPLY_WITHIN_WORKING_DAYS};

/// LOCAL: how many files a message may carry.
pub const MAX_ATTACHMENTS: usize = 3;

pub fn routes() -> Routes {
    Routes::new()
        // The body limit is lifted for this form only: uploads are bounded per file and in number
        // by `read_submission`, and the plain form by `form_body_limit_bytes` in `read_contact_form`.
        .route("/contact", Access::Public, get(show_form).post(submit).layer(DefaultBodyLimit::disable()))
        .route("/contact/sent/{submission_key}", Access::Public, get(show_receipt))
}

#[derive(Template)]
#[template(path = "contact/form.html")]
struct ContactPage {
    chrome: Chrome,
    form: ContactForm,
    errors: FormErrors,
    /// Files sent before with this form, kept while something else was put right.
    held: Vec<platform::files::StoredFile>,
}

impl ContactPage {
    fn contact(&self) -> ContactQuestions<'_> {
        CONTACT.questions(&self.form.contact, &self.errors)
    }
    fn attachments(&self) -> FileUpload<'_> {
        FileUpload::new("attachments", "Attach files (optional)", &self.errors)
            .multiple()
            .hint("Up to 3 files, each smaller than 128 MB: documents, photos, videos or sound recordings.")
    }
    fn message(&self) -> Textarea<'_> {
        Textarea::new("message", "Your message", &self.form.message, &self.errors)
            .rows(8)
            .max_chars(MAX_MESSAGE_CHARS)
            .hint("Do not include bank details or passwords. If you are reporting a crime, contact the police instead.")
    }
}

async fn show_form(chrome: Chrome) -> Result<Response, AppError> {
    let form = ContactForm { submission_key: platform::ids::new_id(), ..Default::default() };
    render(&ContactPage { chrome, form, errors: FormErrors::new(), held: Vec::new() })
}

async fn submit(PageRequest { platform, chrome }: PageRequest, viewer: Viewer, request: Request) -> Result<Response, AppError> {
    let rules = platform::web::evidence_rules(&platform, MAX_ATTACHMENTS);
    let (mut form, uploads, upload_errors): (ContactForm, _, _) =
        platform::web::read_form_with_files(&platform, request, rules, "attachments").await?;
    // A form without a usable key (an old page, a hand-made request) still gets through once.
    if !platform::ids::is_well_formed(&form.submission_key) {
        form.submission_key = platform::ids::new_id();
    }
    let parsed = ContactMessage::parse(&form);
    let mut errors = match &parsed {
        Ok(_) => FormErrors::new(),
        Err(errors) => errors.clone(),
    };
    platform::web::forms::merge_upload_errors(&mut errors, &upload_errors);
    let already = held::held(platform.pool(), &form.submission_key).await?.len();
    let uploads = if already + uploads.len() > MAX_ATTACHMENTS {
        errors.add(
            "attachments",
            format!("You can send up to {MAX_ATTACHMENTS} files with a message: you have added {already} already"),
        );
        Vec::new()
    } else {
        uploads
    };
    let message = match parsed {
        Ok(message) if errors.is_empty() => message,
        _ => {
            held::hold(&platform, &form.submission_key, &uploads).await?;
            let held = held::held(platform.pool(), &form.submission_key).await?;
            let page = render(&ContactPage { chrome: chrome.with_errors(true), form, errors, held })?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    for upload in &uploads {
        platform.storage().persist(upload).await.map_err(|e| AppError::Internal(e.into()))?;
    }
    let now = OffsetDateTime::now_utc();
    let working_days = calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?;
    let reply_due_on = calendar::add_working_days(calendar::uk_local_date(now), REPLY_WITHIN_WORKING_DAYS, &working_days);
    let arrived = store::Arrived { submission_key: &form.submission_key, received_at: now, reply_due_on, actor: &viewer.actor() };
    store::save(platform.pool(), platform.settings(), &message, &arrived, &uploads).await?;
    tracing::info!(method = message.contact_method.slug(), attachments = uploads.len(), "contact message received");
    Ok(Redirect::to(&format!("/contact/sent/{}", form.submission_key)).into_response())
}

#[derive(Template)]
#[template(path = "contact/sent.html")]
struct ReceiptPage {
    chrome: Chrome,
    receipt: Receipt,
}

impl ReceiptPage {
    fn reply_due(&self) -> String {
        platform::calendar::long_date(self.receipt.reply_due_on)
    }
}

async fn show_receipt(
    PageRequest { platform, chrome }: PageRequest,
    Path(submission_key): Path<String>,
) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&submission_key) {
        return Err(AppError::NotFound);
    }
    let receipt = store::find_by_submission_key(platform.pool(), &submission_key).await?.ok_or(AppError::NotFound)?;
    render(&ReceiptPage { chrome, receipt })
}
