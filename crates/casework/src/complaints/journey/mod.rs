//! The public request for a review: a start page that explains the 28 days and who reviews what,
//! one question per page, check your answers, and a confirmation. Answers are saved as a draft
//! after every page (casekit::drafts), so nothing typed is lost.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use casekit::journey::{Journey, Questions};
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::calendar;
use platform::files::{self, StoredFile};
use platform::web::forms::{Choice, Choices, DateInput, DateParts, DatePartsInError, FormErrors, TextInput, Textarea};
use platform::web::{Form, PageRequest, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::answers::{
    self, APPLYING_FOR, AllegationForm, MAX_ALLEGATIONS, MAX_TEXT_CHARS, PageForm, Question, ReviewAnswers, UNHAPPY_WITH,
    unhappy_with_name,
};
use super::policy::{self, ComplaintPolicy};
use super::rules::{IopcReason, WINDOW_DAYS};
use super::store::{self, DRAFT_FILES, DRAFTS, Draft};

/// LOCAL: files a request may carry (the outcome letter, a consent form, one more).
pub const MAX_ATTACHMENTS: usize = 3;
const BASE: &str = "/police-complaint-review";

pub fn routes() -> Routes {
    Routes::new()
        .route(BASE, Access::Public, get(start))
        .route("/police-complaint-review/apply", Access::Public, post(begin))
        .route("/police-complaint-review/apply/{draft}/{question}", Access::Public, get(show_question).post(answer_question))
        .route(
            "/police-complaint-review/apply/{draft}/allegations/{number}",
            Access::Public,
            get(show_allegation).post(save_allegation),
        )
        .route("/police-complaint-review/apply/{draft}/allegations/{number}/remove", Access::Public, post(remove_allegation))
        // Uploads are bounded per file and in number by `read_form_with_files`, not by the body limit.
        .route(
            "/police-complaint-review/apply/{draft}/documents",
            Access::Public,
            get(show_documents).post(upload_documents).layer(DefaultBodyLimit::disable()),
        )
        .route("/police-complaint-review/apply/{draft}/documents/{file_id}/remove", Access::Public, post(remove_document))
        .route("/police-complaint-review/apply/{draft}/sent", Access::Public, get(sent))
        .merge(casekit::come_back::routes(&JOURNEY))
}

fn today() -> Date {
    calendar::uk_local_date(OffsetDateTime::now_utc())
}

/// The journey's pages and drafts (casekit::journey).
const JOURNEY: Journey =
    Journey { base: BASE, drafts: DRAFTS, caption: "Police complaint review", in_title: "police complaint review" };

fn page_url(draft: &str, question: Question) -> String {
    JOURNEY.page(draft, question.slug())
}

/// Loads a draft still being filled in; a submitted one sends the applicant to its confirmation.
async fn open_draft(platform: &Platform, draft_id: &str) -> Result<Result<Draft, Response>, AppError> {
    JOURNEY.open(platform, draft_id).await
}

macro_rules! open_or_return {
    ($platform:expr, $id:expr) => {
        match open_draft(&$platform, &$id).await? {
            Ok(draft) => draft,
            Err(redirect) => return Ok(redirect),
        }
    };
}

#[derive(Template)]
#[template(path = "complaints/start.html")]
struct StartPage {
    chrome: Chrome,
    policy: ComplaintPolicy,
    window: i64,
}

impl StartPage {
    fn iopc_reasons(&self) -> Vec<&'static str> {
        IopcReason::ALL.iter().map(|r| r.words()).collect()
    }
}

async fn start(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let policy = policy::load(platform.pool()).await?;
    render(&StartPage { chrome, policy, window: WINDOW_DAYS })
}

async fn begin(State(platform): State<Platform>) -> Result<Response, AppError> {
    JOURNEY.begin::<ReviewAnswers>(&platform, Question::ReviewBody.slug()).await
}

#[derive(Debug, Default, Deserialize)]
struct ReturnTo {
    #[serde(default)]
    change: String,
}

#[derive(Template)]
#[template(path = "complaints/question.html")]
struct QuestionPage {
    chrome: Chrome,
    draft: String,
    question: Question,
    answers: ReviewAnswers,
    form: PageForm,
    errors: FormErrors,
    marks: DatePartsInError,
    outcome: DateParts,
    back: String,
    changing: bool,
    window: i64,
    /// The office as the outcome letter names it among who may review.
    office_choice: String,
}

impl QuestionPage {
    fn review_body(&self) -> Choices<'_> {
        Choices::radios(
            "review-body",
            "Who does your outcome letter say will review your complaint?",
            vec![
                Choice::new("office", &self.office_choice),
                Choice::new("iopc", "The Independent Office for Police Conduct (IOPC)"),
                Choice::new("not-sure", "I’m not sure"),
            ],
            Some(self.form.review_body.as_str()),
            &self.errors,
        )
        .as_heading()
        .hint("The letter telling you the outcome of your complaint says who to ask for a review, usually near the end under a heading like “Your right to a review”.")
    }
    fn force_reference(&self) -> TextInput<'_> {
        TextInput::new("force-reference", "The force’s reference for your complaint", &self.form.force_reference, &self.errors)
            .width("govuk-input--width-20")
            .no_spellcheck()
            .hint("It is at the top of your outcome letter, for example CO/01234/26.")
    }
    fn outcome_date(&self) -> DateInput<'_> {
        DateInput::new("outcome", "Date on your outcome letter", &self.outcome, &self.errors, self.marks)
            .hint("For example, 27 3 2026. If the outcome was given another way, the day you were told it.")
    }
    fn late_reason(&self) -> Textarea<'_> {
        Textarea::new("late-reason", "Why are you asking now?", &self.form.late_reason, &self.errors)
            .rows(5)
            .max_chars(MAX_TEXT_CHARS)
            .hint("For example, you were in hospital, or the letter reached you late. We will decide whether we can still review your complaint.")
    }
    fn applying_as(&self) -> Choices<'_> {
        APPLYING_FOR.question(&self.form.applying_as, &self.errors)
    }
    fn complainant_name(&self) -> TextInput<'_> {
        TextInput::new("complainant-name", "Name of the person who made the complaint", &self.form.complainant_name, &self.errors)
            .no_spellcheck()
    }
    fn relationship(&self) -> TextInput<'_> {
        APPLYING_FOR.relationship_input(&self.form.relationship, &self.errors)
    }
    fn consent_by(&self) -> Choices<'_> {
        Choices::radios(
            "consent-by",
            "How can you show they agree to you acting for them?",
            vec![
                Choice::with_hint(
                    "document",
                    "I will upload their signed consent",
                    "A letter or form signed by them. You can add it on a later page.",
                ),
                Choice::with_hint(
                    "declaration",
                    "I declare that they have agreed to me acting for them",
                    "We may contact them to check before we share anything with you.",
                ),
            ],
            Some(self.form.consent_by.as_str()),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--m")
    }
    fn contact(&self) -> platform::contact::ContactQuestions<'_> {
        answers::CONTACT.questions(&self.form.contact, &self.errors)
    }
    fn needs(&self) -> Textarea<'_> {
        Textarea::new("needs", "Do you have any accessibility or language needs? (optional)", &self.form.needs, &self.errors)
            .rows(3)
            .max_chars(MAX_TEXT_CHARS)
            .hint("For example, large print, an interpreter or a British Sign Language interpreter.")
    }
    fn add_another(&self) -> Choices<'_> {
        Choices::yes_no("add-another", "Is there something else you are unhappy about?", None, &self.errors)
            .legend_size("govuk-fieldset__legend--m")
    }
    fn unhappy(&self, slug: &str) -> String {
        unhappy_with_name(slug).to_string()
    }
    fn iopc_reasons(&self) -> Vec<&'static str> {
        IopcReason::ALL.iter().map(|r| r.words()).collect()
    }
}

async fn question_page(
    chrome: Chrome,
    draft: Draft,
    question: Question,
    form: PageForm,
    (errors, marks): (FormErrors, DatePartsInError),
    changing: bool,
) -> Result<Response, AppError> {
    let back = JOURNEY.back(&draft.id, question, &draft.answers, today(), changing);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let office_choice = format!("{} (the local policing body)", chrome.office.governance.office_capitalised());
    let page = QuestionPage {
        office_choice,
        chrome: chrome.with_errors(!errors.is_empty()),
        draft: draft.id,
        question,
        answers: draft.answers,
        outcome: form.outcome(),
        form,
        errors,
        marks,
        back,
        changing,
        window: WINDOW_DAYS,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show_question(
    PageRequest { platform, chrome }: PageRequest,
    Path((draft_id, slug)): Path<(String, String)>,
    Query(return_to): Query<ReturnTo>,
) -> Result<Response, AppError> {
    let question = Question::from_slug(&slug).ok_or(AppError::NotFound)?;
    let draft = open_or_return!(platform, draft_id);
    if let Some(elsewhere) = JOURNEY.instead_of(&draft.id, question, &draft.answers, today()) {
        return Ok(elsewhere);
    }
    match question {
        Question::Allegations if draft.answers.allegations.is_empty() => {
            return Ok(Redirect::to(&format!("{BASE}/apply/{}/allegations/new", draft.id)).into_response());
        }
        Question::Documents => return documents_page(&platform, chrome, draft, FormErrors::new()).await,
        Question::Check => return check_page(&platform, chrome, draft).await,
        _ => {}
    }
    let form = PageForm::of(&draft.answers);
    question_page(chrome, draft, question, form, Default::default(), return_to.change == "yes").await
}

async fn answer_question(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Path((draft_id, slug)): Path<(String, String)>,
    Form(page): Form<PageForm>,
) -> Result<Response, AppError> {
    let question = Question::from_slug(&slug).ok_or(AppError::NotFound)?;
    let mut draft = open_or_return!(platform, draft_id);
    if question == Question::Check {
        return submit(&platform, chrome, viewer, draft).await;
    }
    let today = today();
    let changing = page.changing == "yes";
    if let Err(errors) = answers::apply_page(question, &page, &mut draft.answers, today) {
        return question_page(chrome, draft, question, page, errors, changing).await;
    }
    DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    if question == Question::Allegations && !draft.answers.allegations_done {
        return Ok(Redirect::to(&format!("{BASE}/apply/{}/allegations/new", draft.id)).into_response());
    }
    Ok(JOURNEY.after(&draft.id, question, &draft.answers, today, changing))
}

mod allegations;
mod check;
mod documents;

use allegations::*;
use check::*;
use documents::*;
