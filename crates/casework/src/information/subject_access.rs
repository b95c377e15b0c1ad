//! Subject access requests: a person asking for the personal data the office holds about them
//! (UK GDPR article 15). A journey of its own: who they are, what they want and from when, and
//! evidence of identity (a photo or scan). Never published. The one-month clock runs from receipt,
//! or from the arrival of further proof the office asks for (clock.rs).

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::calendar;
use platform::files::{self, StoredFile};
use platform::web::forms::{DateInput, DateParts, DatePartsInError, FormErrors, Textarea, past_date_field};
use platform::web::{Form, PageRequest, render};
use platform::{AppError, Chrome, Platform};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::answers::{self, MAX_REQUEST_CHARS, ReplyTo};
use super::clock::RequestKind;
use super::journey::{open_or_return, send_request, with_status};
use super::store::{self, DRAFT_FILES, NewRequest};
use casekit::applying_for::ApplyingFor;
use casekit::drafts::Draft;
use casekit::journey::{FilesPage, FilesWords, Heading, Questions};
use platform::contact::{ContactForm, ContactQuestions};

const BASE: &str = "/subject-access-request";

/// The journey's pages and drafts (casekit::journey).
const JOURNEY: casekit::journey::Journey = casekit::journey::Journey {
    base: BASE,
    drafts: store::DRAFTS,
    caption: "Subject access request",
    in_title: "subject access request",
};
/// LOCAL: identity documents a request may carry (photo identity, proof of address, one more).
pub const MAX_IDENTITY_FILES: usize = 3;
/// Identity evidence is a photo or a scan.
pub const IDENTITY_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SubjectAccessAnswers {
    /// "self", or "someone-else" for a request made with the person's authority.
    pub applying_as: String,
    /// For someone else: the person's name, and how the requester acts for them.
    pub subject_name: String,
    pub relationship: String,
    #[serde(flatten)]
    pub reply_to: ReplyTo,
    pub request_text: String,
    /// The period asked about, as ISO dates; empty for "everything".
    pub from: String,
    pub to: String,
    pub identity_done: bool,
}

casekit::journey_pages! {
    pub enum Page {
        WhoFor = "who-for", AboutYou = "about-you", What = "what", Identity = "identity", Check = "check",
    }
}

impl Questions for Page {
    type Answers = SubjectAccessAnswers;
    const CHECK: Page = Page::Check;
    fn is_answered(self, a: &SubjectAccessAnswers) -> bool {
        match self {
            Page::WhoFor => !a.applying_as.is_empty(),
            Page::AboutYou => !a.reply_to.full_name.is_empty() && !a.reply_to.contact.postal_address.is_empty(),
            Page::What => !a.request_text.is_empty(),
            Page::Identity => a.identity_done,
            Page::Check => false,
        }
    }
}

impl SubjectAccessAnswers {
    pub fn for_someone_else(&self) -> bool {
        WHO_FOR.for_someone_else(&self.applying_as)
    }
    /// The identity page's words: the requester's own proof, or the person's and the authority.
    fn identity_words(&self) -> &'static FilesWords {
        if self.for_someone_else() { &IDENTITY_AND_AUTHORITY } else { &IDENTITY }
    }
}

/// "Who is the request about?": the person themselves, or someone acting with their authority
/// (UK GDPR allows a request through another person; the office checks the authority).
pub const WHO_FOR: ApplyingFor = ApplyingFor {
    question: "Who is the request about?",
    for_self: ("self", "Me"),
    for_someone_else: (
        "someone-else",
        "Someone else, who has given me their authority",
        "For example, you are their parent or guardian, their solicitor, or you hold a lasting power of attorney for them. You will upload their proof of identity and your authority.",
    ),
    unanswered: "Select who the request is about",
    relationship: ("How do you act for them?", "For example, parent, solicitor, or attorney under a lasting power of attorney."),
    relationship_missing: "Enter how you act for them",
};

/// Longest name of the person a request is about.
const MAX_SUBJECT_NAME_CHARS: usize = 200;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WhoForForm {
    #[serde(rename = "applying-as")]
    pub applying_as: String,
    #[serde(rename = "subject-name")]
    pub subject_name: String,
    pub relationship: String,
}

/// Checks who a request is about: for someone else, their name and how the requester acts for
/// them are needed.
pub fn check_who_for(form: &WhoForForm) -> Result<(String, String, String), FormErrors> {
    let mut errors = FormErrors::new();
    let applying_as = WHO_FOR.check(&form.applying_as, &mut errors);
    let (mut name, mut relationship) = (String::new(), String::new());
    if WHO_FOR.for_someone_else(&form.applying_as) {
        name = form.subject_name.trim().to_string();
        if name.is_empty() {
            errors.add("subject-name", "Enter the full name of the person the request is about");
        } else if name.chars().count() > MAX_SUBJECT_NAME_CHARS {
            errors.add("subject-name", format!("Their name must be {MAX_SUBJECT_NAME_CHARS} characters or fewer"));
        }
        relationship = WHO_FOR.check_relationship(&form.relationship, &mut errors);
    }
    match applying_as {
        Some(applying_as) if errors.is_empty() => Ok((applying_as, name, relationship)),
        _ => Err(errors),
    }
}

/// The first page still to fill in.
fn first_unanswered(a: &SubjectAccessAnswers) -> Page {
    Page::first_unanswered(a, platform::calendar::uk_today())
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct WhatForm {
    #[serde(rename = "request-text")]
    pub request_text: String,
    #[serde(rename = "from-day")]
    pub from_day: String,
    #[serde(rename = "from-month")]
    pub from_month: String,
    #[serde(rename = "from-year")]
    pub from_year: String,
    #[serde(rename = "to-day")]
    pub to_day: String,
    #[serde(rename = "to-month")]
    pub to_month: String,
    #[serde(rename = "to-year")]
    pub to_year: String,
}

impl WhatForm {
    fn from(&self) -> DateParts {
        DateParts { day: self.from_day.clone(), month: self.from_month.clone(), year: self.from_year.clone() }
    }
    fn to(&self) -> DateParts {
        DateParts { day: self.to_day.clone(), month: self.to_month.clone(), year: self.to_year.clone() }
    }
}

/// Which parts of each date are wrong, for the inputs' red outlines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PeriodInError {
    pub from: DatePartsInError,
    pub to: DatePartsInError,
}

/// Checks what is asked for: the request, and a period whose dates are both optional, real, not
/// in the future, and in order.
/// What a subject access request asks for: the text, and the period's start and end if given.
pub type Wanted = (String, Option<Date>, Option<Date>);

pub fn check_what(form: &WhatForm, today: Date) -> Result<Wanted, (FormErrors, PeriodInError)> {
    let mut errors = FormErrors::new();
    let mut marks = PeriodInError::default();
    let text = form.request_text.replace("\r\n", "\n").trim().to_string();
    if text.is_empty() {
        errors.add("request-text", "Describe the information about you that you want");
    } else if text.chars().count() > MAX_REQUEST_CHARS {
        errors.add("request-text", format!("Your request must be {MAX_REQUEST_CHARS} characters or fewer"));
    }
    let mut date = |field: &str, parts: DateParts, what: &str, mark: &mut DatePartsInError| -> Option<Date> {
        if parts.day.trim().is_empty() && parts.month.trim().is_empty() && parts.year.trim().is_empty() {
            return None;
        }
        let (date, marks) = past_date_field(&mut errors, field, &parts, what, today);
        *mark = marks;
        date
    };
    let from = date("from", form.from(), "the start date", &mut marks.from);
    let to = date("to", form.to(), "the end date", &mut marks.to);
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add_targeted("to", "to-day", "The end date must be the same as or after the start date");
        marks.to = DatePartsInError { day: true, month: true, year: true };
    }
    if errors.is_empty() { Ok((text, from, to)) } else { Err((errors, marks)) }
}

/// The identity documents held that are not a photo or scan, by name.
pub fn wrong_identity_types(files: &[StoredFile]) -> Vec<&StoredFile> {
    files.iter().filter(|f| !IDENTITY_TYPES.contains(&f.content_type.as_str())).collect()
}

// ---------------------------------------------------------------------------------------------
// The journey.

type SarDraft = Draft<SubjectAccessAnswers>;

/// A page's heading, back link and form address.
fn heading(draft: &SarDraft, page: Page) -> Heading {
    let text = match page {
        Page::WhoFor => WHO_FOR.question,
        Page::AboutYou => "About you",
        Page::What => "What you want",
        Page::Identity => draft.answers.identity_words().heading,
        Page::Check => "Check your request before sending it",
    };
    JOURNEY.heading(&draft.id, page, &draft.answers, platform::calendar::uk_today(), text)
}

pub fn routes() -> Routes {
    Routes::new()
        .route(BASE, Access::Public, get(start))
        .route("/subject-access-request/apply", Access::Public, post(begin))
        .route("/subject-access-request/apply/{draft}/who-for", Access::Public, get(show_who_for).post(save_who_for))
        .route("/subject-access-request/apply/{draft}/about-you", Access::Public, get(show_about_you).post(save_about_you))
        .route("/subject-access-request/apply/{draft}/what", Access::Public, get(show_what).post(save_what))
        .route(
            "/subject-access-request/apply/{draft}/identity",
            Access::Public,
            get(show_identity).post(upload_identity).layer(DefaultBodyLimit::disable()),
        )
        .route("/subject-access-request/apply/{draft}/identity/done", Access::Public, post(identity_done))
        .route("/subject-access-request/apply/{draft}/identity/{file_id}/remove", Access::Public, post(remove_identity))
        .route("/subject-access-request/apply/{draft}/check", Access::Public, get(show_check).post(send))
        .route("/subject-access-request/apply/{draft}/sent", Access::Public, get(sent))
        .merge(casekit::come_back::routes(&JOURNEY))
}

fn page_url(draft: &str, page: Page) -> String {
    format!("{BASE}/apply/{draft}/{}", page.slug())
}

async fn save(platform: &Platform, draft: &SarDraft) -> Result<Response, AppError> {
    store::DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&page_url(&draft.id, first_unanswered(&draft.answers))).into_response())
}

#[derive(Template)]
#[template(path = "information/sar_start.html")]
struct StartPage {
    chrome: Chrome,
}

async fn start(chrome: Chrome) -> Result<Response, AppError> {
    render(&StartPage { chrome })
}

async fn begin(State(platform): State<Platform>) -> Result<Response, AppError> {
    JOURNEY.begin::<SubjectAccessAnswers>(&platform, Page::WhoFor.slug()).await
}

#[derive(Template)]
#[template(path = "information/sar_who_for.html")]
struct WhoForPage {
    chrome: Chrome,
    page: Heading,
    form: WhoForForm,
    errors: FormErrors,
}

impl WhoForPage {
    fn question(&self) -> platform::web::forms::Choices<'_> {
        WHO_FOR.question(&self.form.applying_as, &self.errors)
    }
    fn subject_name(&self) -> platform::web::forms::TextInput<'_> {
        platform::web::forms::TextInput::new("subject-name", "Their full name", &self.form.subject_name, &self.errors)
            .autocomplete("off")
    }
    fn relationship(&self) -> platform::web::forms::TextInput<'_> {
        WHO_FOR.relationship_input(&self.form.relationship, &self.errors)
    }
}

async fn show_who_for(PageRequest { platform, chrome }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, id, SubjectAccessAnswers);
    let a = &draft.answers;
    let form = WhoForForm {
        applying_as: a.applying_as.clone(),
        subject_name: a.subject_name.clone(),
        relationship: a.relationship.clone(),
    };
    render(&WhoForPage { chrome, page: heading(&draft, Page::WhoFor), form, errors: FormErrors::new() })
}

async fn save_who_for(
    PageRequest { platform, chrome }: PageRequest,
    Path(id): Path<String>,
    Form(form): Form<WhoForForm>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, id, SubjectAccessAnswers);
    match check_who_for(&form) {
        Ok((applying_as, subject_name, relationship)) => {
            let changed = draft.answers.applying_as != applying_as;
            draft.answers.applying_as = applying_as;
            draft.answers.subject_name = subject_name;
            draft.answers.relationship = relationship;
            // Proof of identity was asked for in other words: it is looked at again.
            if changed {
                draft.answers.identity_done = false;
            }
            save(&platform, &draft).await
        }
        Err(errors) => {
            let page = WhoForPage {
                chrome: chrome.with_errors(true),
                page: heading(&draft, Page::WhoFor),
                form,
                errors: errors.clone(),
            };
            Ok(with_status(&errors, render(&page)?))
        }
    }
}

#[derive(Template)]
#[template(path = "information/sar_about_you.html")]
struct AboutYouPage {
    chrome: Chrome,
    page: Heading,
    form: ContactForm,
    errors: FormErrors,
}

impl AboutYouPage {
    fn contact(&self) -> ContactQuestions<'_> {
        answers::SUBJECT_CONTACT.questions(&self.form, &self.errors)
    }
}

async fn show_about_you(PageRequest { platform, chrome }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, id, SubjectAccessAnswers);
    let form = draft.answers.reply_to.form();
    render(&AboutYouPage { chrome, page: heading(&draft, Page::AboutYou), form, errors: FormErrors::new() })
}

async fn save_about_you(
    PageRequest { platform, chrome }: PageRequest,
    Path(id): Path<String>,
    Form(form): Form<ContactForm>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, id, SubjectAccessAnswers);
    let mut errors = FormErrors::new();
    match answers::SUBJECT_CONTACT.check(&form, &mut errors) {
        Some(contact) => {
            draft.answers.reply_to.set(contact);
            save(&platform, &draft).await
        }
        None => {
            let page = render(&AboutYouPage {
                chrome: chrome.with_errors(true),
                page: heading(&draft, Page::AboutYou),
                form,
                errors: errors.clone(),
            })?;
            Ok(with_status(&errors, page))
        }
    }
}

#[derive(Template)]
#[template(path = "information/sar_what.html")]
struct WhatPage {
    chrome: Chrome,
    page: Heading,
    form: WhatForm,
    from: DateParts,
    to: DateParts,
    errors: FormErrors,
    marks: PeriodInError,
}

impl WhatPage {
    fn request_text(&self) -> Textarea<'_> {
        Textarea::new("request-text", "What information about you do you want?", &self.form.request_text, &self.errors)
            .rows(6)
            .max_chars(MAX_REQUEST_CHARS)
            .hint("For example, the records of your complaint about a police officer, or emails about your grant application. The more you tell us, the quicker we can find it.")
    }
    fn start_date(&self) -> DateInput<'_> {
        DateInput::new("from", "From (optional)", &self.from, &self.errors, self.marks.from).hint("For example, 1 1 2024.")
    }
    fn end_date(&self) -> DateInput<'_> {
        DateInput::new("to", "To (optional)", &self.to, &self.errors, self.marks.to)
            .hint("Leave both dates empty for all the time we may hold.")
    }
}

fn parts_of(iso: &str) -> DateParts {
    match platform::db::parse_date(iso) {
        Some(d) => DateParts { day: d.day().to_string(), month: u8::from(d.month()).to_string(), year: d.year().to_string() },
        None => DateParts::default(),
    }
}

async fn show_what(PageRequest { platform, chrome }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, id, SubjectAccessAnswers);
    let (from, to) = (parts_of(&draft.answers.from), parts_of(&draft.answers.to));
    let form = WhatForm { request_text: draft.answers.request_text.clone(), ..WhatForm::default() };
    render(&WhatPage {
        chrome,
        page: heading(&draft, Page::What),
        form,
        from,
        to,
        errors: FormErrors::new(),
        marks: PeriodInError::default(),
    })
}

async fn save_what(
    PageRequest { platform, chrome }: PageRequest,
    Path(id): Path<String>,
    Form(form): Form<WhatForm>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, id, SubjectAccessAnswers);
    let today = calendar::uk_local_date(OffsetDateTime::now_utc());
    match check_what(&form, today) {
        Ok((text, from, to)) => {
            draft.answers.request_text = text;
            draft.answers.from = from.map(platform::db::date).unwrap_or_default();
            draft.answers.to = to.map(platform::db::date).unwrap_or_default();
            save(&platform, &draft).await
        }
        Err((errors, marks)) => {
            let (from, to) = (form.from(), form.to());
            let page = WhatPage {
                chrome: chrome.with_errors(true),
                page: heading(&draft, Page::What),
                form,
                from,
                to,
                errors: errors.clone(),
                marks,
            };
            Ok(with_status(&errors, render(&page)?))
        }
    }
}

static IDENTITY: FilesWords = FilesWords {
    caption: "Subject access request",
    service: "subject access request",
    heading: "Proof of your identity",
    intro: "So that we only send your information to you, upload a photo or scan of a document with your photo and one showing your address. We delete them once we have checked them.",
    field: "identity",
    label: "Upload your documents",
    hint: "JPG, PNG or PDF, up to 3 files, each smaller than 128 MB.",
    accept: Some(".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"),
};

static IDENTITY_AND_AUTHORITY: FilesWords = FilesWords {
    heading: "Proof of their identity and your authority",
    intro: "So that we only send their information to someone entitled to it, upload a photo or scan of a document with their photo, and your authority to act for them: a letter from them, signed and dated, or the court order or lasting power of attorney. We delete them once we have checked them.",
    ..IDENTITY
};

async fn identity_page(platform: &Platform, chrome: Chrome, draft: &SarDraft, errors: FormErrors) -> Result<Response, AppError> {
    let action = page_url(&draft.id, Page::Identity);
    FilesPage {
        chrome,
        words: draft.answers.identity_words(),
        files: files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?,
        errors,
        back: page_url(&draft.id, Page::What),
        continue_action: format!("{action}/done"),
        action,
        max: MAX_IDENTITY_FILES,
        required: true,
        inset: None,
    }
    .respond()
}

async fn show_identity(PageRequest { platform, chrome }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, id, SubjectAccessAnswers);
    identity_page(&platform, chrome, &draft, FormErrors::new()).await
}

#[derive(Debug, Default, Deserialize)]
struct IdentityForm {
    #[serde(default)]
    action: String,
}

async fn upload_identity(
    PageRequest { platform, chrome }: PageRequest,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, id, SubjectAccessAnswers);
    let added: casekit::uploads::Added<IdentityForm> =
        casekit::uploads::add_files(&platform, request, (DRAFT_FILES, &draft.id), MAX_IDENTITY_FILES, "identity").await?;
    let going_on = added.form.action == "continue" && added.may_go_on();
    let mut errors = added.errors;
    // Allowed uploads of other kinds (a Word file, a spreadsheet) are not identity evidence.
    let held = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?;
    let wrong = wrong_identity_types(&held);
    if !wrong.is_empty() {
        let mut conn = platform.pool().acquire().await?;
        for file in &wrong {
            files::remove(&mut conn, DRAFT_FILES, &draft.id, &file.id).await?;
        }
        let names: Vec<&str> = wrong.iter().map(|f| f.original_name.as_str()).collect();
        errors = FormErrors::new();
        errors.add(
            "identity",
            format!(
                "{} {} not a photo or scan: upload a JPG, PNG or PDF of your document",
                names.join(", "),
                if names.len() == 1 { "is" } else { "are" }
            ),
        );
    }
    if going_on && wrong.is_empty() {
        return go_on_from_identity(&platform, chrome, draft).await;
    }
    draft.answers.identity_done = false;
    store::DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    identity_page(&platform, chrome, &draft, errors).await
}

async fn identity_done(PageRequest { platform, chrome }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, id, SubjectAccessAnswers);
    go_on_from_identity(&platform, chrome, draft).await
}

async fn go_on_from_identity(
    platform: &Platform,
    chrome: Chrome,
    mut draft: Draft<SubjectAccessAnswers>,
) -> Result<Response, AppError> {
    let held = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?;
    if held.is_empty() {
        let mut errors = FormErrors::new();
        errors.add("identity", "Upload a photo or scan of your identity document");
        return identity_page(platform, chrome, &draft, errors).await;
    }
    draft.answers.identity_done = true;
    save(platform, &draft).await
}

async fn remove_identity(
    State(platform): State<Platform>,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, id, SubjectAccessAnswers);
    let mut conn = platform.pool().acquire().await?;
    files::remove(&mut conn, DRAFT_FILES, &draft.id, &file_id).await?;
    draft.answers.identity_done = false;
    store::DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&page_url(&draft.id, Page::Identity)).into_response())
}

#[derive(Template)]
#[template(path = "information/sar_check.html")]
struct CheckPage {
    chrome: Chrome,
    page: casekit::journey::Heading,
    draft: String,
    answers: SubjectAccessAnswers,
    files: Vec<StoredFile>,
}

impl CheckPage {
    fn period(&self) -> String {
        let day = |iso: &str| platform::db::parse_date(iso).map(calendar::long_date);
        match (day(&self.answers.from), day(&self.answers.to)) {
            (None, None) => "All the time we may hold".into(),
            (Some(from), None) => format!("From {from}"),
            (None, Some(to)) => format!("Up to {to}"),
            (Some(from), Some(to)) => format!("{from} to {to}"),
        }
    }
}

async fn show_check(PageRequest { platform, chrome }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, id, SubjectAccessAnswers);
    let next = first_unanswered(&draft.answers);
    if next != Page::Check {
        return Ok(Redirect::to(&page_url(&draft.id, next)).into_response());
    }
    let files = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?;
    let page = heading(&draft, Page::Check);
    render(&CheckPage { chrome, page, draft: draft.id, answers: draft.answers, files })
}

async fn send(State(platform): State<Platform>, viewer: Viewer, Path(id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, id, SubjectAccessAnswers);
    let next = first_unanswered(&draft.answers);
    let held = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?;
    if next != Page::Check || held.is_empty() {
        return Ok(Redirect::to(&page_url(&draft.id, if held.is_empty() { Page::Identity } else { next })).into_response());
    }
    let a = &draft.answers;
    let request = NewRequest {
        reply_to: a.reply_to.clone(),
        request_text: a.request_text.clone(),
        preferred_format: "electronic".into(),
        sar_from: (!a.from.is_empty()).then(|| a.from.clone()),
        sar_to: (!a.to.is_empty()).then(|| a.to.clone()),
        acting_for: a.for_someone_else().then(|| (a.subject_name.clone(), a.relationship.clone())),
    };
    let office = platform.office().await?;
    let public_url = platform.settings().public_url.trim_end_matches('/').to_string();
    let acknowledgement = |reference: &platform::reference::Reference, token: &str| {
        let reply_to = &request.reply_to;
        (reply_to.contact.contact_method == "email" && !reply_to.contact.email.is_empty()).then(|| {
            let body = format!(
                "Dear {},\n\nWe have your subject access request. Your reference: {reference}\n\nThe law gives us one calendar month from today to answer. We will check your identity documents; if we need more proof, we will write to you, and the month then runs from the day it reaches us.\n\nSee where your request has got to at any time (keep this link private):\n{public_url}/information-request/track/{token}\n\n{}",
                reply_to.full_name,
                office.signature()
            );
            casekit::letters::LetterText { kind: "information-acknowledgement", subject: format!("Your subject access request {reference}"), body }
                .email(&reply_to.contact.email)
        })
    };
    send_request(&platform, &draft.id, &request, RequestKind::SubjectAccess, &viewer, acknowledgement, BASE).await
}

#[derive(Template)]
#[template(path = "information/sar_sent.html")]
struct SentPage {
    chrome: Chrome,
    reference: String,
    email: String,
}

async fn sent(PageRequest { platform, chrome }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    let (draft, reference) = match JOURNEY.sent_draft::<Page>(&platform, &id, platform::calendar::uk_today()).await? {
        Ok(sent) => sent,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let email = if draft.answers.reply_to.contact.contact_method == "email" {
        draft.answers.reply_to.contact.email
    } else {
        String::new()
    };
    render(&SentPage { chrome, reference, email })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn what(text: &str, from: (&str, &str, &str), to: (&str, &str, &str)) -> WhatForm {
        WhatForm {
            request_text: text.into(),
            from_day: from.0.into(),
            from_month: from.1.into(),
            from_year: from.2.into(),
            to_day: to.0.into(),
            to_month: to.1.into(),
            to_year: to.2.into(),
        }
    }

    #[test]
    fn the_period_is_optional_but_real_past_and_in_order() {
        let today = date!(2026 - 11 - 24);
        let none = ("", "", "");
        assert_eq!(check_what(&what("My records", none, none), today).unwrap(), ("My records".into(), None, None));
        let (_, from, to) = check_what(&what("My records", ("1", "1", "2024"), ("31", "12", "2024")), today).unwrap();
        assert_eq!((from, to), (Some(date!(2024 - 01 - 01)), Some(date!(2024 - 12 - 31))));
        let (errors, marks) = check_what(&what("", ("31", "2", "2024"), none), today).unwrap_err();
        assert_eq!(errors.for_field("request-text"), Some("Describe the information about you that you want"));
        assert!(errors.for_field("from").is_some_and(|m| m.contains("real date")), "{:?}", errors.for_field("from"));
        assert!(marks.from.day);
        let (errors, _) = check_what(&what("Mine", none, ("1", "1", "2027")), today).unwrap_err();
        assert_eq!(errors.for_field("to"), Some("The end date must be today or in the past"));
        let (errors, marks) = check_what(&what("Mine", ("2", "1", "2025"), ("1", "1", "2025")), today).unwrap_err();
        assert_eq!(errors.for_field("to"), Some("The end date must be the same as or after the start date"));
        assert!(marks.to.day && !marks.from.day);
    }

    #[test]
    fn identity_evidence_is_a_photo_or_a_scan() {
        let file = |name: &str, content_type: &str| StoredFile {
            id: name.into(),
            sha256: String::new(),
            size_bytes: 1,
            content_type: content_type.into(),
            original_name: name.into(),
            flagged_for_review: 0,
            flag_reason: None,
            owner_type: String::new(),
            owner_id: String::new(),
        };
        let held = [
            file("passport.jpg", "image/jpeg"),
            file("bill.pdf", "application/pdf"),
            file("licence.png", "image/png"),
            file("letter.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ];
        let wrong: Vec<&str> = wrong_identity_types(&held).iter().map(|f| f.original_name.as_str()).collect();
        assert_eq!(wrong, vec!["letter.docx"]);
    }
}
