//! The public request for a review: a start page that explains the 28 days and who reviews what,
//! one question per page, check your answers, and a confirmation. Answers are saved as a draft
//! after every page (casekit::drafts), so nothing typed is lost.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::calendar;
use platform::files::{self, StoredFile};
use platform::web::forms::{
    Choice, Choices, DateInput, DateParts, DatePartsInError, ErrorSummary, FileUpload, FormErrors, TextInput, Textarea,
};
use platform::web::{Form, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::answers::{
    self, AllegationForm, MAX_ALLEGATIONS, MAX_TEXT_CHARS, PageForm, Question, ReviewAnswers, UNHAPPY_WITH, first_unanswered,
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
}

fn today() -> Date {
    calendar::uk_local_date(OffsetDateTime::now_utc())
}

fn page_url(draft: &str, question: Question) -> String {
    format!("{BASE}/apply/{draft}/{}", question.slug())
}

/// Loads a draft still being filled in; a submitted one sends the applicant to its confirmation.
async fn open_draft(platform: &Platform, draft_id: &str) -> Result<Result<Draft, Response>, AppError> {
    if !platform::ids::is_well_formed(draft_id) {
        return Err(AppError::NotFound);
    }
    let draft: Draft = DRAFTS.load(platform.pool(), draft_id).await?.ok_or(AppError::NotFound)?;
    if draft.reference.is_some() {
        return Ok(Err(Redirect::to(&format!("{BASE}/apply/{draft_id}/sent")).into_response()));
    }
    Ok(Ok(draft))
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

async fn start(State(platform): State<Platform>, chrome: Chrome) -> Result<Response, AppError> {
    let policy = policy::load(platform.pool()).await?;
    render(&StartPage { chrome, policy, window: WINDOW_DAYS })
}

async fn begin(State(platform): State<Platform>) -> Result<Response, AppError> {
    let draft = DRAFTS.create::<ReviewAnswers>(platform.pool(), OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&page_url(&draft, Question::ReviewBody)).into_response())
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
}

impl QuestionPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn review_body(&self) -> Choices<'_> {
        Choices::radios(
            "review-body",
            "Who does your outcome letter say will review your complaint?",
            vec![
                Choice::new("office", "The Police and Crime Commissioner’s office (the local policing body)"),
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
        Choices::radios(
            "applying-as",
            "Did you make the complaint?",
            vec![
                Choice::new("complainant", "Yes, I made the complaint"),
                Choice::with_hint(
                    "representative",
                    "No, I am acting for the person who made it",
                    "For example as their relative, carer, solicitor or MP. They must agree to you acting for them.",
                ),
            ],
            Some(self.form.applying_as.as_str()),
            &self.errors,
        )
        .as_heading()
    }
    fn complainant_name(&self) -> TextInput<'_> {
        TextInput::new("complainant-name", "Name of the person who made the complaint", &self.form.complainant_name, &self.errors)
            .no_spellcheck()
    }
    fn relationship(&self) -> TextInput<'_> {
        TextInput::new("relationship", "How are you connected to them?", &self.form.relationship, &self.errors)
            .hint("For example, their son, their solicitor or their MP.")
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
    fn full_name(&self) -> TextInput<'_> {
        crate::asb::answers::full_name_input("Your full name", &self.form.full_name, &self.errors)
    }
    fn contact_method(&self) -> Choices<'_> {
        crate::asb::answers::contact_method_choices(&self.form.contact_method, "Letters take longer to reach you.", &self.errors)
    }
    fn email(&self) -> TextInput<'_> {
        crate::asb::answers::email_input(&self.form.email, &self.errors)
            .hint("We will send your reference and a link to check progress. Needed if you chose email.")
    }
    fn telephone(&self) -> TextInput<'_> {
        crate::asb::answers::telephone_input(&self.form.telephone, &self.errors).hint("Needed if you chose telephone.")
    }
    fn postal_address(&self) -> Textarea<'_> {
        crate::asb::answers::postal_address_input("Postal address", &self.form.postal_address, &self.errors)
            .hint("Needed if you chose letter.")
    }
    fn postcode(&self) -> TextInput<'_> {
        crate::asb::answers::postcode_input(&self.form.postcode, &self.errors)
            .hint("With your reference number, it lets you check progress online.")
    }
    fn needs(&self) -> Textarea<'_> {
        Textarea::new("needs", "Do you have any accessibility or language needs? (optional)", &self.form.needs, &self.errors)
            .rows(3)
            .max_chars(MAX_TEXT_CHARS)
            .hint("For example, large print, an interpreter or a British Sign Language interpreter.")
    }
    fn add_another(&self) -> Choices<'_> {
        Choices::radios(
            "add-another",
            "Is there something else you are unhappy about?",
            vec![Choice::new("yes", "Yes"), Choice::new("no", "No")],
            None,
            &self.errors,
        )
        .inline()
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
    let today = today();
    let back = match (changing, question.previous(&draft.answers, today)) {
        (true, _) => page_url(&draft.id, Question::Check),
        (false, Some(previous)) => page_url(&draft.id, previous),
        (false, None) => BASE.to_string(),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = QuestionPage {
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
    State(platform): State<Platform>,
    chrome: Chrome,
    Path((draft_id, slug)): Path<(String, String)>,
    Query(return_to): Query<ReturnTo>,
) -> Result<Response, AppError> {
    let question = Question::from_slug(&slug).ok_or(AppError::NotFound)?;
    let draft = open_or_return!(platform, draft_id);
    let today = today();
    if !question.applies(&draft.answers, today) {
        return Ok(Redirect::to(&page_url(&draft.id, question.next(&draft.answers, today))).into_response());
    }
    match question {
        Question::Allegations if draft.answers.allegations.is_empty() => {
            return Ok(Redirect::to(&format!("{BASE}/apply/{}/allegations/new", draft.id)).into_response());
        }
        Question::Documents => return documents_page(&platform, chrome, draft, FormErrors::new()).await,
        Question::Check => {
            let unanswered = first_unanswered(&draft.answers, today);
            if unanswered != Question::Check {
                return Ok(Redirect::to(&page_url(&draft.id, unanswered)).into_response());
            }
            return check_page(&platform, chrome, draft).await;
        }
        _ => {}
    }
    let form = PageForm::of(&draft.answers);
    question_page(chrome, draft, question, form, Default::default(), return_to.change == "yes").await
}

async fn answer_question(
    State(platform): State<Platform>,
    chrome: Chrome,
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
    let next = if question == Question::Allegations && !draft.answers.allegations_done {
        format!("{BASE}/apply/{}/allegations/new", draft.id)
    } else if changing {
        page_url(&draft.id, first_unanswered(&draft.answers, today))
    } else {
        page_url(&draft.id, question.next(&draft.answers, today))
    };
    Ok(Redirect::to(&next).into_response())
}

// ---------------------------------------------------------------------------------------------
// Allegations: the "add another" pattern.

#[derive(Template)]
#[template(path = "complaints/allegation.html")]
struct AllegationPage {
    chrome: Chrome,
    draft: String,
    number: String,
    form: AllegationForm,
    errors: FormErrors,
}

impl AllegationPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn summary(&self) -> Textarea<'_> {
        Textarea::new("summary", "What was this part of your complaint about?", &self.form.summary, &self.errors)
            .rows(3)
            .max_chars(1000)
            .hint("Your outcome letter may call it an allegation. For example, “The officer was rude to me at the front desk”.")
    }
    fn unhappy_with(&self) -> Choices<'_> {
        let items = UNHAPPY_WITH.iter().map(|(slug, name)| Choice::new(slug, name)).collect();
        Choices::radios("unhappy-with", "What are you unhappy with?", items, Some(self.form.unhappy_with.as_str()), &self.errors)
            .hint("The handling is how the force dealt with your complaint; the outcome is what it decided.")
    }
    fn why(&self) -> Textarea<'_> {
        Textarea::new("why", "Why are you unhappy with it?", &self.form.why, &self.errors).rows(6).max_chars(MAX_TEXT_CHARS)
    }
}

fn allegation_index(number: &str, count: usize) -> Result<Option<usize>, AppError> {
    if number == "new" {
        return Ok(None);
    }
    let n: usize = number.parse().map_err(|_| AppError::NotFound)?;
    if n == 0 || n > count {
        return Err(AppError::NotFound);
    }
    Ok(Some(n - 1))
}

async fn show_allegation(
    State(platform): State<Platform>,
    chrome: Chrome,
    Path((draft_id, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, draft_id);
    let index = allegation_index(&number, draft.answers.allegations.len())?;
    if index.is_none() && draft.answers.allegations.len() >= MAX_ALLEGATIONS {
        return Ok(Redirect::to(&page_url(&draft.id, Question::Allegations)).into_response());
    }
    let form = index.map(|i| AllegationForm::of(&draft.answers.allegations[i])).unwrap_or_default();
    render(&AllegationPage { chrome, draft: draft.id, number, form, errors: FormErrors::new() })
}

async fn save_allegation(
    State(platform): State<Platform>,
    chrome: Chrome,
    Path((draft_id, number)): Path<(String, String)>,
    Form(form): Form<AllegationForm>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id);
    let index = allegation_index(&number, draft.answers.allegations.len())?;
    match form.check() {
        Ok(allegation) => {
            match index {
                Some(i) => draft.answers.allegations[i] = allegation,
                None if draft.answers.allegations.len() < MAX_ALLEGATIONS => draft.answers.allegations.push(allegation),
                None => {}
            }
            draft.answers.allegations_done = false;
            DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
            Ok(Redirect::to(&page_url(&draft.id, Question::Allegations)).into_response())
        }
        Err(errors) => {
            let page = AllegationPage { chrome: chrome.with_errors(true), draft: draft.id, number, form, errors };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
    }
}

async fn remove_allegation(
    State(platform): State<Platform>,
    Path((draft_id, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id);
    let index = allegation_index(&number, draft.answers.allegations.len())?.ok_or(AppError::NotFound)?;
    draft.answers.allegations.remove(index);
    draft.answers.allegations_done = false;
    DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&page_url(&draft.id, Question::Allegations)).into_response())
}

// ---------------------------------------------------------------------------------------------
// Documents

#[derive(Template)]
#[template(path = "complaints/documents.html")]
struct DocumentsPage {
    chrome: Chrome,
    draft: String,
    files: Vec<StoredFile>,
    errors: FormErrors,
    back: String,
    consent_document: bool,
}

impl DocumentsPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn upload(&self) -> FileUpload<'_> {
        FileUpload::new("documents", "Upload a file", &self.errors)
            .multiple()
            .hint("PDF, Word documents or photos of letters, each smaller than 128 MB.")
    }
    fn remove_action(&self, file: &StoredFile) -> String {
        format!("{BASE}/apply/{}/documents/{}/remove", self.draft, file.id)
    }
    fn room_left(&self) -> usize {
        MAX_ATTACHMENTS.saturating_sub(self.files.len())
    }
}

async fn documents_page(platform: &Platform, chrome: Chrome, draft: Draft, errors: FormErrors) -> Result<Response, AppError> {
    let files = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?;
    let back = page_url(&draft.id, Question::Allegations);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let consent_document = draft.answers.is_representative() && draft.answers.consent_by == "document";
    let page =
        DocumentsPage { chrome: chrome.with_errors(!errors.is_empty()), draft: draft.id, files, errors, back, consent_document };
    Ok((status, render(&page)?).into_response())
}

async fn show_documents(
    State(platform): State<Platform>,
    chrome: Chrome,
    Path(draft_id): Path<String>,
) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, draft_id);
    documents_page(&platform, chrome, draft, FormErrors::new()).await
}

#[derive(Debug, Default, Deserialize)]
struct DocumentsForm {
    #[serde(default)]
    action: String,
}

async fn upload_documents(
    State(platform): State<Platform>,
    chrome: Chrome,
    Path(draft_id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id);
    let (form, errors): (DocumentsForm, _) =
        casekit::uploads::add_files(&platform, request, (DRAFT_FILES, &draft.id), MAX_ATTACHMENTS, "documents").await?;
    if form.action == "continue" {
        let held = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?.len();
        if let Some(problem) = answers::documents_problem(&draft.answers, held) {
            let mut errors = FormErrors::new();
            errors.add("documents", problem);
            return documents_page(&platform, chrome, draft, errors).await;
        }
        draft.answers.documents_done = true;
        DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
        return Ok(Redirect::to(&page_url(&draft.id, first_unanswered(&draft.answers, today()))).into_response());
    }
    documents_page(&platform, chrome, draft, errors).await
}

async fn remove_document(
    State(platform): State<Platform>,
    Path((draft_id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id);
    let mut conn = platform.pool().acquire().await?;
    files::remove(&mut conn, DRAFT_FILES, &draft.id, &file_id).await?;
    // A consent document removed must be looked at again before sending.
    draft.answers.documents_done = false;
    DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&page_url(&draft.id, Question::Documents)).into_response())
}

// ---------------------------------------------------------------------------------------------
// Check your answers, and submit.

#[derive(Template)]
#[template(path = "complaints/check.html")]
struct CheckPage {
    chrome: Chrome,
    draft: String,
    answers: ReviewAnswers,
    files: Vec<StoredFile>,
    late: bool,
    window_ends: String,
}

impl CheckPage {
    fn change(&self, question: &str) -> String {
        format!("{BASE}/apply/{}/{question}?change=yes", self.draft)
    }
    fn long_date(&self, text: &str) -> String {
        platform::db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
    fn review_body(&self) -> &'static str {
        super::stated_review_body_name(&self.answers.stated_review_body)
    }
    fn unhappy(&self, slug: &str) -> String {
        unhappy_with_name(slug).to_string()
    }
    fn contact_method(&self) -> &'static str {
        crate::asb::contact_method_name(&self.answers.contact_method)
    }
    fn consent(&self) -> &'static str {
        if self.answers.consent_by == "document" { "Signed consent uploaded" } else { "Declared by you" }
    }
}

async fn check_page(platform: &Platform, chrome: Chrome, draft: Draft) -> Result<Response, AppError> {
    let files = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?;
    let today = today();
    let window_ends = draft
        .answers
        .outcome_given()
        .map(|given| calendar::long_date(super::rules::timeliness(given, today, &[]).due_on))
        .unwrap_or_default();
    let late = draft.answers.late_on(today);
    render(&CheckPage { chrome, draft: draft.id, answers: draft.answers, files, late, window_ends })
}

async fn submit(platform: &Platform, chrome: Chrome, viewer: Viewer, draft: Draft) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let unanswered = first_unanswered(&draft.answers, today);
    if unanswered != Question::Check {
        return Ok(Redirect::to(&page_url(&draft.id, unanswered)).into_response());
    }
    let held = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?.len();
    if let Some(problem) = answers::documents_problem(&draft.answers, held) {
        let mut errors = FormErrors::new();
        errors.add("documents", problem);
        return documents_page(platform, chrome, draft, errors).await;
    }
    let policy = policy::load(platform.pool()).await?;
    let office = platform.office().await?;
    let public_url = platform.settings().public_url.trim_end_matches('/').to_string();
    let answers = draft.answers.clone();
    let confirmation = |reference: &platform::reference::Reference, token: &str| {
        (!answers.email.is_empty()).then(|| {
            let link = format!("{public_url}{BASE}/track/{token}");
            let text = format!(
                "Dear {},\n\nWe have your request for a review of a police complaint.\n\nYour reference: {reference}\n\nSee where your review has got to at any time (keep this link private):\n{link}\n\nWe will acknowledge your request within {} working days.\n\n{}",
                answers.full_name, policy.timescales.acknowledge, office.name
            );
            casekit::letters::LetterText { kind: "confirmation", subject: format!("Police complaint review request {reference}"), body: text }
                .email(&answers.email)
        })
    };
    let result = store::submit(
        platform.pool(),
        &draft.id,
        &draft.answers,
        &policy.timescales,
        now,
        today,
        &viewer.actor(),
        confirmation,
        platform.settings(),
    )
    .await;
    match result {
        Ok(submitted) => tracing::info!(reference = %submitted.reference, "police complaint review requested"),
        // Submitted twice at once: the other press stored it.
        Err(error) if platform::db::is_unique_violation(&error) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(&format!("{BASE}/apply/{}/sent", draft.id)).into_response())
}

#[derive(Template)]
#[template(path = "complaints/sent.html")]
struct SentPage {
    chrome: Chrome,
    reference: String,
    email: String,
    acknowledge_within: u32,
    iopc: bool,
    late: bool,
}

async fn sent(State(platform): State<Platform>, chrome: Chrome, Path(draft_id): Path<String>) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&draft_id) {
        return Err(AppError::NotFound);
    }
    let draft: Draft = DRAFTS.load(platform.pool(), &draft_id).await?.ok_or(AppError::NotFound)?;
    let Some(reference) = draft.reference else {
        return Ok(Redirect::to(&page_url(&draft_id, first_unanswered(&draft.answers, today()))).into_response());
    };
    let policy = policy::load(platform.pool()).await?;
    let review = store::find(platform.pool(), &reference).await?.ok_or(AppError::NotFound)?;
    render(&SentPage {
        chrome,
        reference,
        email: draft.answers.email,
        acknowledge_within: policy.timescales.acknowledge,
        iopc: draft.answers.stated_review_body == "iopc",
        late: !review.timeliness().in_time(),
    })
}
