//! Messages from the public, worked like cases: caseworkers and administrators only, every read
//! audited. The queue puts open messages first; a message's page shows who has it, the reply and
//! how it was closed (the steps are in `work`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::auth::store::StaffNames;
use platform::files::{self, StoredFile};
use platform::web::forms::{Choice, Choices, FormErrors, Textarea};
use platform::web::{PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};

use super::store::{self, MessageSummary, OUTCOMES, StoredMessage};
use super::work::{self, StepForm};

const PAGES: &str = "/staff/messages";

pub fn routes() -> Routes {
    Routes::new()
        .route(PAGES, Access::Roles(crate::READERS), get(list))
        .route("/staff/messages/{reference}", Access::Roles(crate::READERS), get(show))
        .route("/staff/messages/{reference}/actions/{action}", Access::Roles(crate::READERS), post(work::act))
        .route("/staff/messages/{reference}/files/{file_id}", Access::Roles(crate::READERS), get(download))
        .merge(casekit::note_routes!("/staff/messages", Access::Roles(crate::READERS), note_case))
        .merge(casekit::letter_routes!("/staff/messages", Access::Roles(crate::READERS), note_case))
}

/// What each step says once done (casekit::done).
const SAID: [(&str, &str); 3] = [("assign-to-me", "Assigned to you"), ("reply", "Reply recorded"), ("close", "Message closed")];

pub fn said_path(reference: &str, action: &str) -> String {
    casekit::done::back_to(&format!("{PAGES}/{reference}"), action)
}

#[derive(Template)]
#[template(path = "contact/staff_list.html")]
struct ListPage {
    chrome: Chrome,
    messages: Vec<MessageSummary>,
}

impl ListPage {
    fn date(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
    fn when(&self, at: &str) -> String {
        platform::calendar::time_and_date_of(at)
    }
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
    names: StaffNames,
    form: StepForm,
    errors: FormErrors,
    by_email: bool,
    letters: Vec<casekit::letters::Letter>,
    preview: Option<casekit::letters::Preview>,
}

impl MessagePage {
    fn preview_of(&self, action: &str) -> String {
        casekit::letters::Preview::in_form(&self.preview, action)
    }
    fn by_letter(&self) -> bool {
        self.message.contact.contact_method == platform::contact::ContactMethod::Post
    }
    fn reply(&self) -> Textarea<'_> {
        let hint = if self.by_email {
            "Sent to the sender by email now, in the office’s reply letter, signed and with the reference."
        } else if self.by_letter() {
            "The sender asked for a letter: it is made from the office’s reply letter, ready to print and post."
        } else {
            "The sender asked for a telephone call: call them, then record here what you said."
        };
        Textarea::new("reply", "Reply", &self.form.reply, &self.errors).rows(8).max_chars(10_000).hint(hint)
    }
    fn outcome(&self) -> Choices<'_> {
        Choices::radios(
            "outcome",
            "How was it dealt with?",
            Choice::each(&OUTCOMES),
            Some(self.form.outcome.as_str()),
            &self.errors,
        )
    }
    fn when(&self, at: &str) -> String {
        platform::calendar::time_and_date_of(at)
    }
    fn due(&self) -> String {
        platform::calendar::long_date_of(&self.message.reply_due_on)
    }
}

pub async fn render_message(
    platform: &Platform,
    chrome: Chrome,
    message: StoredMessage,
    form: StepForm,
    (errors, preview): (FormErrors, Option<casekit::letters::Preview>),
) -> Result<Response, AppError> {
    let files = files::files_of(platform.pool(), store::ATTACHMENT_OWNER, &message.reference).await?;
    let letters = casekit::letters::letters_of(platform.pool(), super::letters::LETTER_CASE, &message.id).await?;
    let names = StaffNames::load(platform.pool()).await?;
    let by_email = message.contact.contact_method == platform::contact::ContactMethod::Email && message.contact.email.is_some();
    let chrome = chrome.with_errors(!errors.is_empty());
    render(&MessagePage { chrome, message, files, names, form, errors, by_email, letters, preview })
}

async fn show(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
    Query(done): Query<casekit::done::DoneQuery>,
) -> Result<Response, AppError> {
    let message = work::load(&platform, &reference).await?;
    let event = Event { action: "viewed", record_type: "contact message", record_id: &message.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    let chrome = chrome.saying(casekit::done::said(&done.done, &SAID));
    render_message(&platform, chrome, message, StepForm::default(), (FormErrors::new(), None)).await
}

/// A message for the kit's notes and letter pages.
async fn note_case(
    platform: Platform,
    _staff: CurrentStaff,
    reference: String,
) -> Result<casekit::letters::LetterCase, AppError> {
    let message = work::load(&platform, &reference).await?;
    Ok(casekit::letters::LetterCase {
        case: (super::letters::LETTER_CASE, message.id),
        record: ("contact message", message.reference.clone()),
        back: format!("{PAGES}/{}", message.reference),
        applicant: (message.full_name, message.contact.postal_address, message.contact.postcode),
    })
}

/// Downloads an attachment, only through its message, so the message's access rule guards it.
async fn download(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let message = work::load(&platform, &reference).await?;
    let id = message.reference;
    platform::web::download_record_file(
        &platform,
        &staff.actor(),
        (store::ATTACHMENT_OWNER, &id),
        &file_id,
        ("contact message", &id),
    )
    .await
}
