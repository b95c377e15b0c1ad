//! The public request for information: a start page that says what can be asked and how long
//! the answer takes, the request, the published answers that look like it (so nobody waits 20
//! working days for something already public), contact details, check your answers, and a
//! confirmation with the due date. Answers are saved as a draft after every page.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::calendar::{self, Nation};
use platform::contact::{ContactForm, ContactQuestions};
use platform::web::forms::{Choice, Choices, FormErrors, Textarea};
use platform::web::{Form, PageRequest, render};
use platform::{AppError, Chrome, Platform};
use time::OffsetDateTime;

use super::answers::{self, FORMATS, MAX_REQUEST_CHARS, Page, RequestAnswers, RequestForm, format_name};
use super::clock::{self, RequestKind};
use super::disclosure;
use super::store::{self, DRAFTS};
use casekit::drafts::Draft;
use casekit::journey::{Heading, Questions};

pub const BASE: &str = "/information-request";
/// How many published answers are suggested.
const SUGGESTED: i64 = 5;

pub fn routes() -> Routes {
    Routes::new()
        .route(BASE, Access::Public, get(start))
        .route("/information-request/apply", Access::Public, post(begin))
        .route("/information-request/apply/{draft}/request", Access::Public, get(show_request).post(save_request))
        .route(
            "/information-request/apply/{draft}/published-answers",
            Access::Public,
            get(show_suggestions).post(seen_suggestions),
        )
        .route("/information-request/apply/{draft}/contact", Access::Public, get(show_contact).post(save_contact))
        .route("/information-request/apply/{draft}/check", Access::Public, get(show_check).post(send))
        .route("/information-request/apply/{draft}/sent", Access::Public, get(sent))
        .merge(casekit::come_back::routes(&JOURNEY))
}

/// The journey's pages and drafts (casekit::journey).
const JOURNEY: casekit::journey::Journey = casekit::journey::Journey {
    base: BASE,
    drafts: DRAFTS,
    caption: "Request for information",
    in_title: "request for information",
};

/// The first page still to fill in.
fn first_unanswered(answers: &RequestAnswers) -> Page {
    Page::first_unanswered(answers, calendar::uk_today())
}

/// A page's heading, back link and form address.
fn heading(draft: &Draft<RequestAnswers>, page: Page) -> Heading {
    let text = match page {
        Page::Request => "Your request",
        Page::Suggestions => "Your answer may already be published",
        Page::Contact => "Your contact details",
        Page::Check => "Check your request before sending it",
    };
    JOURNEY.heading(&draft.id, page, &draft.answers, calendar::uk_today(), text)
}

fn page_url(draft: &str, page: Page) -> String {
    format!("{BASE}/apply/{draft}/{}", page.slug())
}

/// A draft still being written, through the calling module's `JOURNEY`; a sent one sends the
/// person to its confirmation (requests for information and subject access requests share drafts).
macro_rules! open_or_return {
    ($platform:expr, $id:expr, $answers:ty) => {
        match JOURNEY.open::<$answers>(&$platform, &$id).await? {
            Ok(draft) => draft,
            Err(redirect) => return Ok(redirect),
        }
    };
}
pub(super) use open_or_return;

/// A page shown again with its errors gets 422, so tests and tools can tell it from a success.
pub(super) fn with_status(errors: &FormErrors, page: Response) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    (status, page).into_response()
}

#[derive(Template)]
#[template(path = "information/start.html")]
struct StartPage {
    chrome: Chrome,
    days: u32,
}

async fn start(chrome: Chrome) -> Result<Response, AppError> {
    render(&StartPage { chrome, days: clock::REPLY_WORKING_DAYS })
}

async fn begin(State(platform): State<Platform>) -> Result<Response, AppError> {
    JOURNEY.begin::<RequestAnswers>(&platform, Page::Request.slug()).await
}

// ---------------------------------------------------------------------------------------------
// The request.

#[derive(Template)]
#[template(path = "information/request.html")]
struct RequestPage {
    chrome: Chrome,
    page: Heading,
    form: RequestForm,
    errors: FormErrors,
}

impl RequestPage {
    fn request_text(&self) -> Textarea<'_> {
        Textarea::new("request-text", "What information do you want?", &self.form.request_text, &self.errors)
            .rows(8)
            .max_chars(MAX_REQUEST_CHARS)
            .hint("Describe the information as clearly as you can, with dates or places if they help. You do not need to say why you want it or mention the law.")
    }
    fn preferred_format(&self) -> Choices<'_> {
        Choices::radios(
            "preferred-format",
            "How would you like to receive it?",
            FORMATS.iter().map(|(slug, name, hint)| Choice::with_hint(slug, name, hint)).collect(),
            Some(self.form.preferred_format.as_str()),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--m")
    }
}

async fn show_request(PageRequest { platform, chrome }: PageRequest, Path(draft_id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, draft_id, RequestAnswers);
    let page = heading(&draft, Page::Request);
    let form = RequestForm { request_text: draft.answers.request_text, preferred_format: draft.answers.preferred_format };
    render(&RequestPage { chrome, page, form, errors: FormErrors::new() })
}

async fn save_request(
    PageRequest { platform, chrome }: PageRequest,
    Path(draft_id): Path<String>,
    Form(form): Form<RequestForm>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id, RequestAnswers);
    match answers::check_request(&form) {
        Ok((text, format)) => {
            // A changed request may match other published answers: show them again.
            if text != draft.answers.request_text {
                draft.answers.suggestions_seen = false;
            }
            draft.answers.request_text = text;
            draft.answers.preferred_format = format;
            DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
            Ok(Redirect::to(&page_url(&draft.id, first_unanswered(&draft.answers))).into_response())
        }
        Err(errors) => {
            let page = render(&RequestPage {
                chrome: chrome.with_errors(true),
                page: heading(&draft, Page::Request),
                form,
                errors: errors.clone(),
            })?;
            Ok(with_status(&errors, page))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Published answers like this request.

#[derive(Template)]
#[template(path = "information/suggestions.html")]
struct SuggestionsPage {
    chrome: Chrome,
    draft: String,
    suggestions: Vec<disclosure::Suggestion>,
}

impl SuggestionsPage {
    fn outcome(&self, slug: &str) -> String {
        disclosure::outcome_name(slug).to_string()
    }
    fn long_date(&self, text: &str) -> String {
        platform::db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
    fn shared(&self, words: &[String]) -> String {
        platform::words::and_list(words)
    }
}

async fn show_suggestions(
    PageRequest { platform, chrome }: PageRequest,
    Path(draft_id): Path<String>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id, RequestAnswers);
    if draft.answers.request_text.is_empty() {
        return Ok(Redirect::to(&page_url(&draft.id, Page::Request)).into_response());
    }
    let suggestions = disclosure::suggestions(platform.pool(), &draft.answers.request_text, SUGGESTED).await?;
    if suggestions.is_empty() {
        // Nothing like it has been published: straight on, without a page to click through.
        draft.answers.suggestions_seen = true;
        DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
        return Ok(Redirect::to(&page_url(&draft.id, first_unanswered(&draft.answers))).into_response());
    }
    render(&SuggestionsPage { chrome, draft: draft.id, suggestions })
}

async fn seen_suggestions(State(platform): State<Platform>, Path(draft_id): Path<String>) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id, RequestAnswers);
    draft.answers.suggestions_seen = true;
    DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&page_url(&draft.id, first_unanswered(&draft.answers))).into_response())
}

// ---------------------------------------------------------------------------------------------
// Contact details.

#[derive(Template)]
#[template(path = "information/contact.html")]
struct ContactPage {
    chrome: Chrome,
    page: Heading,
    form: ContactForm,
    errors: FormErrors,
}

impl ContactPage {
    fn contact(&self) -> ContactQuestions<'_> {
        answers::REQUEST_CONTACT.questions(&self.form, &self.errors)
    }
}

async fn show_contact(PageRequest { platform, chrome }: PageRequest, Path(draft_id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, draft_id, RequestAnswers);
    let form = draft.answers.reply_to.form();
    render(&ContactPage { chrome, page: heading(&draft, Page::Contact), form, errors: FormErrors::new() })
}

async fn save_contact(
    PageRequest { platform, chrome }: PageRequest,
    Path(draft_id): Path<String>,
    Form(form): Form<ContactForm>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id, RequestAnswers);
    let mut errors = FormErrors::new();
    match answers::REQUEST_CONTACT.check(&form, &mut errors) {
        Some(contact) => {
            draft.answers.reply_to.set(contact);
            DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
            Ok(Redirect::to(&page_url(&draft.id, first_unanswered(&draft.answers))).into_response())
        }
        None => {
            let page = render(&ContactPage {
                chrome: chrome.with_errors(true),
                page: heading(&draft, Page::Contact),
                form,
                errors: errors.clone(),
            })?;
            Ok(with_status(&errors, page))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Check your answers, and send.

#[derive(Template)]
#[template(path = "information/check.html")]
struct CheckPage {
    chrome: Chrome,
    page: casekit::journey::Heading,
    draft: String,
    answers: RequestAnswers,
    due: String,
}

impl CheckPage {
    fn format(&self) -> &str {
        format_name(&self.answers.preferred_format)
    }
}

/// The date a request sent today would be due: the same rule the officers' queue uses.
async fn due_if_sent_today(platform: &Platform) -> Result<String, AppError> {
    let foi = calendar::store::freedom_of_information(platform.pool()).await?;
    let local = calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?;
    let facts = clock::ClockFacts { received_on: Some(calendar::uk_local_date(OffsetDateTime::now_utc())), ..Default::default() };
    Ok(clock::due(RequestKind::Foi, &facts, &foi, &local).date().map(calendar::long_date).unwrap_or_default())
}

async fn show_check(PageRequest { platform, chrome }: PageRequest, Path(draft_id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, draft_id, RequestAnswers);
    let next = first_unanswered(&draft.answers);
    if next != Page::Check {
        return Ok(Redirect::to(&page_url(&draft.id, next)).into_response());
    }
    let due = due_if_sent_today(&platform).await?;
    let page = heading(&draft, Page::Check);
    render(&CheckPage { chrome, page, draft: draft.id, answers: draft.answers, due })
}

async fn send(State(platform): State<Platform>, viewer: Viewer, Path(draft_id): Path<String>) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, draft_id, RequestAnswers);
    let next = first_unanswered(&draft.answers);
    if next != Page::Check {
        return Ok(Redirect::to(&page_url(&draft.id, next)).into_response());
    }
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let office = platform.office().await?;
    let public_url = platform.settings().public_url.trim_end_matches('/').to_string();
    let due = due_if_sent_today(&platform).await?;
    let (subject, body) = casekit::letters::wording(platform.pool(), &super::letters::KINDS[0]).await?;
    let answers = draft.answers.clone();
    let received = calendar::long_date(today);
    let acknowledgement = |reference: &platform::reference::Reference, token: &str| {
        (answers.reply_to.contact.contact_method == "email" && !answers.reply_to.contact.email.is_empty()).then(|| {
            let values = [
                ("name", answers.reply_to.full_name.clone()),
                ("reference", reference.to_string()),
                ("office", office.name.clone()),
                ("signature", office.signature()),
                ("received", received.clone()),
                ("due", due.clone()),
                ("tracker_link", format!("{public_url}{BASE}/track/{token}")),
                ("request", answers.request_text.clone()),
            ];
            let fill = |text: &str| casekit::letters::fill(text, &values);
            casekit::letters::LetterText { kind: "information-acknowledgement", subject: fill(&subject), body: fill(&body) }
                .email(&answers.reply_to.contact.email)
        })
    };
    let request = store::NewRequest::from(&draft.answers);
    send_request(&platform, &draft.id, &request, RequestKind::Foi, &viewer, acknowledgement, BASE).await
}

/// Stores a complete request from a draft and sends the person to its confirmation. A second
/// press of "Send" on the same draft finds the first stored, and goes to the same place.
pub(super) async fn send_request(
    platform: &Platform,
    draft_id: &str,
    request: &store::NewRequest,
    kind: RequestKind,
    viewer: &Viewer,
    acknowledgement: impl FnOnce(&platform::reference::Reference, &str) -> Option<platform::mail::Email>,
    base: &str,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let result = store::submit(
        platform.pool(),
        draft_id,
        request,
        kind,
        now,
        today,
        &viewer.actor(),
        acknowledgement,
        platform.settings(),
    )
    .await;
    match result {
        Ok(submitted) => tracing::info!(reference = %submitted.reference, kind = kind.slug(), "information request made"),
        Err(error) if platform::db::is_unique_violation(&error) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(&format!("{base}/apply/{draft_id}/sent")).into_response())
}

#[derive(Template)]
#[template(path = "information/sent.html")]
struct SentPage {
    chrome: Chrome,
    reference: String,
    email: String,
    due: String,
}

async fn sent(PageRequest { platform, chrome }: PageRequest, Path(draft_id): Path<String>) -> Result<Response, AppError> {
    let (draft, reference) = match JOURNEY.sent_draft::<Page>(&platform, &draft_id, calendar::uk_today()).await? {
        Ok(sent) => sent,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let request = store::find(platform.pool(), &reference).await?.ok_or(AppError::NotFound)?;
    let foi = calendar::store::freedom_of_information(platform.pool()).await?;
    let local = calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?;
    let due = request.due(&foi, &local).date().map(calendar::long_date).unwrap_or_default();
    let email = if draft.answers.reply_to.contact.contact_method == "email" {
        draft.answers.reply_to.contact.email
    } else {
        String::new()
    };
    render(&SentPage { chrome, reference, email, due })
}
