//! The skeleton every public journey shares: a draft started from the start page, opened by its
//! id on each page (a submitted one sends the person to its confirmation, an id that is not one
//! is "not found"), and each page's address under the journey's own.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use platform::files::StoredFile;
use platform::web::forms::{ErrorSummary, FileUpload, FormErrors};
use platform::{AppError, Chrome, Platform};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

use crate::drafts::{Draft, Drafts};

/// A public journey: where its pages live (`{base}/apply/{draft}/{page}`) and its drafts.
#[derive(Debug, Clone, Copy)]
pub struct Journey {
    /// The service's public address, e.g. "/asb-case-review".
    pub base: &'static str,
    pub drafts: Drafts,
}

impl Journey {
    /// A page of a draft's journey.
    pub fn page(&self, draft: &str, page: &str) -> String {
        format!("{}/apply/{draft}/{page}", self.base)
    }

    /// The confirmation page of a submitted draft.
    pub fn sent(&self, draft: &str) -> String {
        self.page(draft, "sent")
    }

    /// Starts a draft and sends the person to its first page.
    pub async fn begin<A: Serialize + Default>(&self, platform: &Platform, first_page: &str) -> Result<Response, AppError> {
        let draft = self.drafts.create::<A>(platform.pool(), OffsetDateTime::now_utc()).await?;
        Ok(Redirect::to(&self.page(&draft, first_page)).into_response())
    }

    /// The draft still being filled in; `Err` is where to send the person instead (a submitted
    /// draft's confirmation).
    pub async fn open<A: DeserializeOwned + Default>(
        &self,
        platform: &Platform,
        draft_id: &str,
    ) -> Result<Result<Draft<A>, Response>, AppError> {
        if !platform::ids::is_well_formed(draft_id) {
            return Err(AppError::NotFound);
        }
        let draft: Draft<A> = self.drafts.load(platform.pool(), draft_id).await?.ok_or(AppError::NotFound)?;
        if draft.reference.is_some() {
            return Ok(Err(Redirect::to(&self.sent(draft_id)).into_response()));
        }
        Ok(Ok(draft))
    }
}

/// What a journey's files page says: its service, heading and the upload's words.
#[derive(Debug, Clone, Copy)]
pub struct FilesWords {
    /// The service, as the caption and the page title say it.
    pub caption: &'static str,
    pub service: &'static str,
    pub heading: &'static str,
    pub intro: &'static str,
    /// The file input's name, and the field its errors are shown against.
    pub field: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    /// A hint to the browser's file picker; the server checks content, not this.
    pub accept: Option<&'static str>,
}

/// A journey's page for adding files to a draft: the files so far, each with a Remove button
/// posting to `{action}/{file}/remove`, an upload while there is room, and Continue.
#[derive(Template)]
#[template(path = "journey/files.html")]
pub struct FilesPage {
    pub chrome: Chrome,
    pub words: &'static FilesWords,
    pub files: Vec<StoredFile>,
    pub errors: FormErrors,
    pub back: String,
    pub action: String,
    pub continue_action: String,
    pub max: usize,
    /// Whether the journey cannot go on without a file (the heading says "optional" otherwise).
    pub required: bool,
    pub inset: Option<&'static str>,
}

impl FilesPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn upload(&self) -> FileUpload<'_> {
        let upload = FileUpload::new(self.words.field, self.words.label, &self.errors).multiple().hint(self.words.hint);
        match self.words.accept {
            Some(accept) => upload.accept(accept),
            None => upload,
        }
    }
    fn remove_action(&self, file: &StoredFile) -> String {
        format!("{}/{}/remove", self.action, file.id)
    }
    fn room_left(&self) -> usize {
        self.max.saturating_sub(self.files.len())
    }

    /// The page, with 422 when it shows errors.
    pub fn respond(self) -> Result<Response, AppError> {
        let status = if self.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        let has_errors = !self.errors.is_empty();
        let page = FilesPage { chrome: self.chrome.with_errors(has_errors), ..self };
        Ok((status, platform::web::render(&page)?).into_response())
    }
}
