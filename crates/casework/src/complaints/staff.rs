//! The office's and the force's side of a police complaint review: the queue, the case page
//! with its clocks, and each step (validity, the complaint file, findings per allegation,
//! recommendations and the force's responses). Handlers check the form, then call the store;
//! every change is audited with the letter it sends. The force's PSD reaches a review only once
//! its file has been asked for (scope.rs), and never sees the complainant's contact details.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::auth::store::StaffUser;
use platform::calendar::{self, Nation, WorkingDayCalendar};
use platform::db;
use platform::files::{self, StoredFile};
use platform::mail::Email;
use platform::web::forms::{
    Choice, Choices, DateInput, DateParts, DatePartsInError, ErrorSummary, FormErrors, TextInput, Textarea, parse_date_parts,
};
use platform::web::{Form, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::answers::unhappy_with_name;
use super::policy::{self, ComplaintPolicy};
use super::rules::{self, IopcReason, Validity, ValidityCheck};
use super::scope::{CASE_READERS, OFFICE, Scope};
use super::store::{
    self, Change, FORCE_FILES, ForceQuestion, RECORD_TYPE, REVIEW_FILES, Recommendation, Review, StoredAllegation,
};
use super::timescales::{self, Step};
use super::{Stage, ValidityOutcome, stated_review_body_name};
use crate::asb::answers::first_part;
use casekit::change;
use casekit::clock::{StepName, StepStatus, next_step};
use casekit::letters::{self, AddressedLetter, LetterText};
use casekit::widgets::ItemForm;

const BASE: &str = "/staff/complaint-reviews";
/// LOCAL: files the force may upload to one review.
pub const MAX_FORCE_FILES: usize = 10;

pub fn routes() -> Routes {
    Routes::new()
        .route(BASE, Access::Roles(CASE_READERS), get(queue))
        .route("/staff/complaint-reviews/{reference}", Access::Roles(CASE_READERS), get(case_page))
        .route("/staff/complaint-reviews/{reference}/actions/{action}", Access::Roles(OFFICE), post(act))
        .route(
            "/staff/complaint-reviews/{reference}/complaint-file",
            Access::Roles(CASE_READERS),
            post(upload_file).layer(DefaultBodyLimit::disable()),
        )
        .route("/staff/complaint-reviews/{reference}/complaint-file/complete", Access::Roles(CASE_READERS), post(file_complete))
        .route("/staff/complaint-reviews/{reference}/questions/{question_id}", Access::Roles(CASE_READERS), post(answer))
        .route(
            "/staff/complaint-reviews/{reference}/recommendations/{recommendation_id}",
            Access::Roles(CASE_READERS),
            post(respond),
        )
        .route("/staff/complaint-reviews/{reference}/files/{file_id}", Access::Roles(CASE_READERS), get(download))
        .route("/staff/complaint-reviews/{reference}/letters/{letter_id}", Access::Roles(OFFICE), get(letter_page))
        .route("/staff/complaint-reviews/{reference}/letters/{letter_id}/pdf", Access::Roles(OFFICE), get(letter_pdf))
}

async fn calendar_of(platform: &Platform) -> Result<WorkingDayCalendar, AppError> {
    Ok(calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?)
}

fn today() -> Date {
    calendar::uk_local_date(OffsetDateTime::now_utc())
}

fn long(text: &str) -> String {
    db::parse_date(text).map(calendar::long_date).unwrap_or_else(|| text.to_string())
}

fn case_url(review: &Review) -> String {
    format!("{BASE}/{}", review.reference)
}

/// A review the viewer may see, with their scope; one outside it is "not found".
async fn load(platform: &Platform, staff: &CurrentStaff, reference: &str) -> Result<(Review, Scope, ComplaintPolicy), AppError> {
    let reference: platform::reference::Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    let review = store::find(platform.pool(), &reference.to_string()).await?.ok_or(AppError::NotFound)?;
    let policy = policy::load(platform.pool()).await?;
    let scope = Scope::of(&staff.user, &policy);
    if !scope.allows(review.file_requested()) {
        return Err(AppError::NotFound);
    }
    Ok((review, scope, policy))
}

// ---------------------------------------------------------------------------------------------
// The queue

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QueueFilters {
    stage: String,
    closed: String,
}

pub struct QueueRow {
    pub review: Review,
    pub next: Option<Step>,
    pub status: Option<StepStatus>,
    pub assignee: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "complaints/queue.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
    filters: QueueFilters,
    is_office: bool,
    is_admin: bool,
    awaiting_responses: usize,
}

impl QueuePage {
    fn date(&self, text: &str) -> String {
        long(text)
    }
    fn day(&self, date: &Date) -> String {
        calendar::long_date(*date)
    }
    fn stages(&self) -> [Stage; 6] {
        Stage::ALL
    }
}

async fn queue(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Query(filters): Query<QueueFilters>,
) -> Result<Response, AppError> {
    let pool = platform.pool();
    let policy = policy::load(pool).await?;
    let scope = Scope::of(&staff.user, &policy);
    let calendar = calendar_of(&platform).await?;
    let users = platform::auth::store::assignable_users(pool).await?;
    let today = today();
    let mut rows: Vec<QueueRow> = store::list(pool, filters.closed == "yes")
        .await?
        .into_iter()
        .filter(|r| scope.allows(r.file_requested()))
        .filter(|r| filters.stage.is_empty() || r.stage == filters.stage)
        .map(|review| {
            let steps = timescales::review_steps(&review.dates(), &review.timescales(), &calendar);
            let next = if review.is_open() { next_step(&steps).cloned() } else { None };
            let status = next.as_ref().map(|s| s.status(today, &calendar));
            let assignee = review
                .assigned_to
                .as_ref()
                .and_then(|id| users.iter().find(|u| &u.id == id))
                .map(|u| u.display_name.clone())
                .unwrap_or_default();
            let late = !review.timeliness().in_time();
            QueueRow { review, next, status, assignee, late }
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            !matches!(r.status, Some(StepStatus::Overdue)),
            r.next.as_ref().map(|s| s.due_on).unwrap_or(Date::MAX),
            r.review.received_on.clone(),
            r.review.reference.clone(),
        )
    });
    let awaiting_responses = store::awaited_recommendations(pool).await?.len();
    let detail = format!("{} reviews listed", rows.len());
    audit::record_now(
        pool,
        &staff.actor(),
        Event { action: "listed", record_type: RECORD_TYPE, record_id: "-", detail: &detail },
    )
    .await?;
    let is_admin = staff.user.role == platform::access::Role::Administrator;
    render(&QueuePage { chrome, rows, filters, is_office: scope.is_office(), is_admin, awaiting_responses })
}

// ---------------------------------------------------------------------------------------------
// The case page

/// Every field any action on the case page can send.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub assignee: String,
    #[serde(rename = "schedule-3")]
    pub schedule_3: String,
    #[serde(rename = "iopc-reasons")]
    pub iopc_reasons: Vec<String>,
    pub forwarded: String,
    #[serde(rename = "sent-day")]
    pub sent_day: String,
    #[serde(rename = "sent-month")]
    pub sent_month: String,
    #[serde(rename = "sent-year")]
    pub sent_year: String,
    #[serde(rename = "arrived-day")]
    pub arrived_day: String,
    #[serde(rename = "arrived-month")]
    pub arrived_month: String,
    #[serde(rename = "arrived-year")]
    pub arrived_year: String,
    pub exceptional: String,
    pub reasons: String,
    pub question: String,
    #[serde(rename = "due-day")]
    pub due_day: String,
    #[serde(rename = "due-month")]
    pub due_month: String,
    #[serde(rename = "due-year")]
    pub due_year: String,
    #[serde(rename = "allegation-id")]
    pub allegation_id: String,
    #[serde(rename = "handling-reasonable")]
    pub handling_reasonable: String,
    #[serde(rename = "outcome-reasonable")]
    pub outcome_reasonable: String,
    pub finding: String,
    pub recommendation: String,
    #[serde(rename = "respond-by-day")]
    pub respond_by_day: String,
    #[serde(rename = "respond-by-month")]
    pub respond_by_month: String,
    #[serde(rename = "respond-by-year")]
    pub respond_by_year: String,
    #[serde(rename = "recommendation-id")]
    pub recommendation_id: String,
    pub summary: String,
    #[serde(rename = "subject-name")]
    pub subject_name: String,
    #[serde(rename = "subject-address")]
    pub subject_address: String,
    pub answer: String,
    pub response: String,
    #[serde(rename = "response-detail")]
    pub response_detail: String,
}

impl ActionForm {
    fn parts(day: &str, month: &str, year: &str) -> DateParts {
        DateParts { day: day.into(), month: month.into(), year: year.into() }
    }
    fn due(&self) -> DateParts {
        Self::parts(&self.due_day, &self.due_month, &self.due_year)
    }
    fn respond_by(&self) -> DateParts {
        Self::parts(&self.respond_by_day, &self.respond_by_month, &self.respond_by_year)
    }
    fn sent(&self) -> DateParts {
        Self::parts(&self.sent_day, &self.sent_month, &self.sent_year)
    }
    fn arrived(&self) -> DateParts {
        Self::parts(&self.arrived_day, &self.arrived_month, &self.arrived_year)
    }
}

/// Date fields in error, per date on the page.
#[derive(Debug, Clone, Copy, Default)]
struct Marks {
    due: DatePartsInError,
    respond_by: DatePartsInError,
    sent: DatePartsInError,
    arrived: DatePartsInError,
}

#[derive(Template)]
#[template(path = "complaints/case.html")]
struct CasePage {
    chrome: Chrome,
    review: Review,
    policy: ComplaintPolicy,
    timeliness: rules::Timeliness,
    steps: Vec<(Step, StepStatus)>,
    allegations: Vec<StoredAllegation>,
    questions: Vec<ForceQuestion>,
    recommendations: Vec<Recommendation>,
    letters: Vec<letters::Letter>,
    files: Vec<StoredFile>,
    force_files: Vec<StoredFile>,
    caseworkers: Vec<StaffUser>,
    is_office: bool,
    form: ActionForm,
    errors: FormErrors,
    marks: Marks,
    due_parts: DateParts,
    respond_by_parts: DateParts,
    sent_parts: DateParts,
    arrived_parts: DateParts,
    /// Which item a failed form was about (an allegation, question or recommendation id).
    failed: String,
}

impl CasePage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn day(&self, date: &Date) -> String {
        calendar::long_date(*date)
    }
    fn date(&self, text: &str) -> String {
        long(text)
    }
    fn stage(&self) -> Stage {
        self.review.stage()
    }
    fn unhappy(&self, slug: &str) -> String {
        unhappy_with_name(slug).to_string()
    }
    fn stated(&self) -> &'static str {
        stated_review_body_name(&self.review.stated_review_body)
    }
    fn validity_name(&self) -> &'static str {
        self.review.validity().map(ValidityOutcome::name).unwrap_or("Not yet checked")
    }
    fn iopc_reason_words(&self) -> Vec<&'static str> {
        self.review.iopc_reasons().into_iter().map(IopcReason::words).collect()
    }
    fn is_valid(&self) -> bool {
        self.review.validity() == Some(ValidityOutcome::Valid)
    }
    fn all_found(&self) -> bool {
        self.allegations.iter().all(|a| a.finding.is_some())
    }
    fn contact_method(&self) -> String {
        crate::asb::contact_method_name(&self.review.contact_method).to_lowercase()
    }
    fn yes_no(&self, value: &Option<i64>) -> &'static str {
        match value {
            Some(1) => "Yes",
            Some(_) => "No",
            None => "Not recorded",
        }
    }
    fn assignee_choice(&self) -> Choices<'_> {
        let items = self.caseworkers.iter().map(|u| Choice::new(u.id.as_str(), u.display_name.as_str())).collect();
        Choices::radios("assignee", "Caseworker", items, self.review.assigned_to.as_deref(), &self.errors)
    }
    fn schedule_3(&self) -> Choices<'_> {
        Choices::radios(
            "schedule-3",
            "Was the complaint recorded and handled under Schedule 3?",
            vec![
                Choice::new("yes", "Yes"),
                Choice::with_hint(
                    "no",
                    "No",
                    "For example, it was dealt with outside Schedule 3, or withdrawn. It cannot be reviewed.",
                ),
            ],
            Some(self.form.schedule_3.as_str()),
            &self.errors,
        )
        .inline()
    }
    fn iopc_reasons(&self) -> Choices<'_> {
        let items = IopcReason::ALL.iter().map(|r| Choice::new(r.slug(), r.words())).collect();
        Choices::checkboxes(
            "iopc-reasons",
            "Does any of these make the IOPC the review body?",
            items,
            self.form.iopc_reasons.iter().map(String::as_str).collect(),
            &self.errors,
        )
        .hint("Select all that apply. Leave all empty if none does.")
    }
    fn forwarded(&self) -> Choices<'_> {
        Choices::radios(
            "forwarded",
            "Was the request sent to the IOPC first, and passed to us?",
            vec![
                Choice::new("no", "No"),
                Choice::with_hint("yes", "Yes", "The days it spent being passed on do not count against the 28 days."),
            ],
            Some(if self.form.forwarded.is_empty() { "no" } else { self.form.forwarded.as_str() }),
            &self.errors,
        )
        .inline()
    }
    fn sent_on(&self) -> DateInput<'_> {
        DateInput::new("sent", "Date the IOPC received it (if passed on)", &self.sent_parts, &self.errors, self.marks.sent)
    }
    fn arrived_on(&self) -> DateInput<'_> {
        DateInput::new("arrived", "Date it reached us (if passed on)", &self.arrived_parts, &self.errors, self.marks.arrived)
    }
    fn exceptional(&self) -> Choices<'_> {
        Choices::radios(
            "exceptional",
            "The request arrived late. Are there exceptional circumstances?",
            vec![Choice::new("yes", "Yes, review it anyway"), Choice::new("no", "No, it is out of time")],
            Some(self.form.exceptional.as_str()),
            &self.errors,
        )
        .inline()
    }
    fn reasons(&self) -> Textarea<'_> {
        Textarea::new("reasons", "Reasons", &self.form.reasons, &self.errors)
            .rows(3)
            .hint("These go in the letter when the request cannot be reviewed here.")
    }
    fn question(&self) -> Textarea<'_> {
        Textarea::new("question", "Questions for the force (optional)", &self.form.question, &self.errors)
            .rows(3)
            .hint("They are sent with the request and answered in Commissioner.")
    }
    fn due(&self) -> DateInput<'_> {
        DateInput::new("due", "Reply by", &self.due_parts, &self.errors, self.marks.due)
    }
    fn respond_by(&self) -> DateInput<'_> {
        DateInput::new("respond-by", "The force should respond by", &self.respond_by_parts, &self.errors, self.marks.respond_by)
    }
    fn item<'a>(&'a self, item: &'a str) -> ItemForm<'a> {
        ItemForm { item, failed: &self.failed, errors: &self.errors }
    }
    fn reasonable(&self, allegation: &StoredAllegation, which: &str) -> String {
        let form = self.item(&allegation.id);
        if which == "handling" {
            form.yes_no("handling-reasonable", "Was the handling reasonable and proportionate?", &self.form.handling_reasonable)
        } else {
            form.yes_no("outcome-reasonable", "Was the outcome reasonable and proportionate?", &self.form.outcome_reasonable)
        }
    }
    fn finding(&self, allegation: &StoredAllegation) -> String {
        let choices = vec![
            Choice::with_hint("upheld", "Upheld", "The handling or outcome was not reasonable and proportionate."),
            Choice::new("not-upheld", "Not upheld"),
        ];
        self.item(&allegation.id).radios("finding", "Finding", choices, &self.form.finding, false)
    }
    fn finding_reasons(&self, allegation: &StoredAllegation) -> String {
        self.item(&allegation.id).textarea("reasons", "Reasons", &self.form.reasons, 3)
    }
    fn recommendation(&self) -> Textarea<'_> {
        Textarea::new("recommendation", "What should the force do?", &self.form.recommendation, &self.errors).rows(3)
    }
    fn summary(&self) -> Textarea<'_> {
        Textarea::new("summary", "Overall conclusion", &self.form.summary, &self.errors)
            .rows(4)
            .hint("This goes in the letters to the complainant and the force.")
    }
    fn subject_name(&self) -> TextInput<'_> {
        TextInput::new("subject-name", "Name of the person complained about (optional)", &self.form.subject_name, &self.errors)
            .hint("Where the law requires them to be told the outcome, a letter to them is written for posting. It is never shown to the complainant.")
    }
    fn subject_address(&self) -> Textarea<'_> {
        Textarea::new("subject-address", "Their address for the letter", &self.form.subject_address, &self.errors)
            .rows(3)
            .hint("Usually care of the force’s Professional Standards Department.")
    }
    fn answer_for(&self, question: &ForceQuestion) -> String {
        self.item(&question.id).textarea("answer", "Answer", &self.form.answer, 4)
    }
    fn response_for(&self, recommendation: &Recommendation) -> String {
        let choices = vec![
            Choice::new("accepted", "Accepted"),
            Choice::new("partly-accepted", "Partly accepted"),
            Choice::new("not-accepted", "Not accepted"),
        ];
        self.item(&recommendation.id).radios("response", "The force’s response", choices, &self.form.response, false)
    }
    fn response_detail_for(&self, recommendation: &Recommendation) -> String {
        let label = "What the force will do, or why not";
        self.item(&recommendation.id).textarea("response-detail", label, &self.form.response_detail, 3)
    }
}

#[derive(Default)]
struct Problem {
    form: ActionForm,
    errors: FormErrors,
    marks: Marks,
    failed: String,
}

async fn render_case(
    platform: &Platform,
    chrome: Chrome,
    (review, scope, policy): (Review, Scope, ComplaintPolicy),
    problem: Problem,
) -> Result<Response, AppError> {
    let pool = platform.pool();
    let calendar = calendar_of(platform).await?;
    let today = today();
    let steps = timescales::review_steps(&review.dates(), &review.timescales(), &calendar)
        .into_iter()
        .map(|s| {
            let status = s.status(today, &calendar);
            (s, status)
        })
        .collect();
    let is_office = scope.is_office();
    let allegations = store::allegations_of(pool, &review.id).await?;
    let questions = store::questions_of(pool, &review.id).await?;
    let recommendations = store::recommendations_of(pool, &review.id).await?;
    // The force sees its own uploads, never the complainant's documents or letters.
    let letters = if is_office { letters::letters_of(pool, super::service::LETTER_CASE, &review.id).await? } else { Vec::new() };
    let files = if is_office { files::files_of(pool, REVIEW_FILES, &review.id).await? } else { Vec::new() };
    let force_files = files::files_of(pool, FORCE_FILES, &review.id).await?;
    let caseworkers = if is_office { platform::auth::store::assignable_users(pool).await? } else { Vec::new() };
    let status = if problem.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut form = problem.form;
    if form.due_day.is_empty() && problem.errors.is_empty() {
        let due = calendar::add_working_days(today, review.timescales().complaint_file, &calendar);
        (form.due_day, form.due_month, form.due_year) =
            (due.day().to_string(), u8::from(due.month()).to_string(), due.year().to_string());
    }
    let page = CasePage {
        chrome: chrome.with_errors(!problem.errors.is_empty()),
        timeliness: review.timeliness(),
        due_parts: form.due(),
        respond_by_parts: form.respond_by(),
        sent_parts: form.sent(),
        arrived_parts: form.arrived(),
        review,
        policy,
        steps,
        allegations,
        questions,
        recommendations,
        letters,
        files,
        force_files,
        caseworkers,
        is_office,
        form,
        errors: problem.errors,
        marks: problem.marks,
        failed: problem.failed,
    };
    Ok((status, render(&page)?).into_response())
}

async fn case_page(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let event = Event { action: "viewed", record_type: RECORD_TYPE, record_id: &loaded.0.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    render_case(&platform, chrome, loaded, Problem::default()).await
}

fn required(errors: &mut FormErrors, field: &str, value: &str, message: &str, limit: usize) -> String {
    let value = value.trim().replace("\r\n", "\n");
    if value.is_empty() {
        errors.add(field, message);
    } else if value.chars().count() > limit {
        errors.add(field, format!("This must be {limit} characters or fewer"));
    }
    value
}

fn date_field(errors: &mut FormErrors, field: &str, parts: &DateParts, what: &str) -> (Option<Date>, DatePartsInError) {
    match parse_date_parts(parts, what) {
        Ok(date) => (Some(date), DatePartsInError::default()),
        Err((message, marks)) => {
            errors.add_targeted(field, &first_part(field, marks), message);
            (None, marks)
        }
    }
}

/// The IOPC's address for post, as it publishes it.
const IOPC_ADDRESS: &str = "Independent Office for Police Conduct\nPO Box 473\nSale\nM33 0BW";

/// A request as the complainant made it, for passing on to the IOPC.
fn request_text(review: &Review, allegations: &[StoredAllegation]) -> String {
    let mut lines = vec![format!("Complainant: {}", review.complainant_name)];
    if let Some(representative) = &review.representative_name {
        lines.push(format!("Represented by: {representative}"));
    }
    let contact: Vec<String> =
        [review.email.clone(), review.telephone.clone(), review.postal_address.clone(), review.postcode.clone()]
            .into_iter()
            .flatten()
            .map(|c| c.replace('\n', ", "))
            .collect();
    lines.push(format!("Contact ({}): {}", review.contact_method, contact.join("; ")));
    lines.push(format!("Force reference: {}; outcome given {}", review.force_reference, long(&review.outcome_given_on)));
    for a in allegations {
        lines.push(format!(
            "Part {} ({}): {}\nWhy: {}",
            a.position,
            unhappy_with_name(&a.unhappy_with).to_lowercase(),
            a.summary,
            a.why
        ));
    }
    lines.join("\n")
}

/// The findings and recommendations as letter text.
fn findings_text(allegations: &[StoredAllegation], with_reasons: bool) -> String {
    allegations
        .iter()
        .map(|a| {
            let mut text = format!("Part {}: {}\nOur finding: {}.", a.position, a.summary, a.finding_name());
            if with_reasons && let Some(reasons) = &a.reasons {
                text.push_str(&format!(" {reasons}"));
            }
            text
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn recommendations_text(recommendations: &[Recommendation], with_dates: bool) -> String {
    if recommendations.is_empty() {
        return "We have made no recommendations to the force.".into();
    }
    let lines: Vec<String> = recommendations
        .iter()
        .map(|r| {
            if with_dates {
                format!("- {} (response by {})", r.recommendation, calendar::long_date(r.respond_by()))
            } else {
                format!("- {}", r.recommendation)
            }
        })
        .collect();
    format!("We have recommended that the force:\n{}", lines.join("\n"))
}

/// A letter to write with a change.
struct Letter {
    kind: &'static str,
    values: Vec<(&'static str, String)>,
    /// None for the complainant; otherwise the addressee's name and lines, and an email address.
    to: Option<(String, Option<String>)>,
}

struct Planned {
    from: Vec<Stage>,
    change: Change<'static>,
    letters: Vec<Letter>,
}

async fn act(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let (review, scope, policy) = load(&platform, &staff, &reference).await?;
    let pool = platform.pool();
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let office = platform.office().await?;
    let actor = staff.actor();
    let mut errors = FormErrors::new();
    let mut marks = Marks::default();
    let mut failed = String::new();
    let base_url = platform.settings().public_url.trim_end_matches('/').to_string();
    let common = |review: &Review| -> Vec<(&'static str, String)> {
        vec![
            ("name", review.addressee()),
            ("reference", review.reference.clone()),
            ("office", office.name.clone()),
            ("force", policy.force_name.clone()),
            ("force_reference", review.force_reference.clone()),
        ]
    };
    let to_force = || Some((policy.psd_name.clone(), Some(policy.psd_email.clone()).filter(|e| !e.is_empty())));
    let set = |column: &'static str, value: String| (column, store::Value::Text(Some(value)));
    let open = vec![Stage::Received, Stage::Acknowledged, Stage::AwaitingFile, Stage::Reviewing, Stage::Recommendations];
    let planned: Option<Planned> = match action.as_str() {
        "assign" => {
            let users = platform::auth::store::assignable_users(pool).await?;
            match users.iter().find(|u| u.id == form.assignee) {
                Some(user) => Some(Planned {
                    from: open.clone(),
                    change: Change {
                        sets: vec![set("assigned_to", user.id.clone())],
                        action: "assigned",
                        detail: user.email.clone(),
                    },
                    letters: Vec::new(),
                }),
                None => {
                    errors.add("assignee", "Select a caseworker");
                    None
                }
            }
        }
        "acknowledge" => {
            let timeliness = review.timeliness();
            let timing = if timeliness.in_time() {
                "Your request arrived within the 28 days allowed.".to_string()
            } else {
                format!(
                    "The 28 days to ask for a review ended on {}. We will decide whether there are exceptional circumstances that mean we can still review your complaint, and tell you.",
                    calendar::long_date(timeliness.due_on)
                )
            };
            let mut values = common(&review);
            values.push(("received", calendar::long_date(review.received())));
            values.push(("timing", timing));
            values.push(("tracker_link", format!("{base_url}/police-complaint-review/track (with your reference and postcode)")));
            Some(Planned {
                from: vec![Stage::Received],
                change: Change {
                    sets: vec![set("acknowledged_on", db::date(today)), set("stage", Stage::Acknowledged.slug().into())],
                    action: "acknowledged",
                    detail: String::new(),
                },
                letters: vec![Letter { kind: "complaint-acknowledgement", values, to: None }],
            })
        }
        "validity" => {
            let allegations = store::allegations_of(pool, &review.id).await?;
            plan_validity(&review, &form, (today, &staff.user.email), &mut errors, &mut marks).map(|(outcome, sets, detail)| {
            let mut values = common(&review);
            let letters = match outcome {
                Validity::Accepted => Vec::new(),
                Validity::ForwardToIopc(reasons) => {
                    let words: Vec<&str> = reasons.iter().map(|r| r.words()).collect();
                    values.push(("iopc_reasons", words.join("; and ")));
                    let mut to_iopc = values.clone();
                    values.push(("forwarded_on", calendar::long_date(today)));
                    to_iopc.push(("received", calendar::long_date(review.received())));
                    to_iopc.push(("request", request_text(&review, &allegations)));
                    // Printed or saved as PDF and sent by the office: the IOPC takes requests
                    // through its own channels, not to an address Commissioner knows.
                    let iopc = Some((IOPC_ADDRESS.to_string(), None));
                    vec![
                        Letter { kind: "complaint-forwarded", values, to: None },
                        Letter { kind: "complaint-to-iopc", values: to_iopc, to: iopc },
                    ]
                }
                Validity::NotReviewable | Validity::OutOfTime { .. } | Validity::LateNeedsDecision { .. } => {
                    let why = if matches!(outcome, Validity::NotReviewable) {
                        "only complaints the force recorded and handled under Schedule 3 of the Police Reform Act 2002 can be reviewed, and yours was not.".to_string()
                    } else {
                        format!(
                            "the law allows 28 days from the day after the outcome was given to ask for a review; that ended on {}, and we did not find exceptional circumstances.",
                            calendar::long_date(review.timeliness().due_on)
                        )
                    };
                    values.push(("why", why));
                    values.push(("reasons", form.reasons.trim().to_string()));
                    vec![Letter { kind: "complaint-not-valid", values, to: None }]
                }
            };
            Planned { from: vec![Stage::Received, Stage::Acknowledged], change: Change { sets, action: "checked validity", detail }, letters }
        })
        }
        "request-file" => {
            let (due, due_marks) = date_field(&mut errors, "due", &form.due(), "the date the file is due");
            marks.due = due_marks;
            if due.is_some_and(|d| d < today) {
                errors.add_targeted("due", "due-day", "The date the file is due must be today or in the future");
                marks.due = DatePartsInError { day: true, month: true, year: true };
            }
            let question = form.question.trim().replace("\r\n", "\n");
            if question.chars().count() > 5000 {
                errors.add("question", "Questions must be 5000 characters or fewer");
            }
            if review.validity() != Some(ValidityOutcome::Valid) {
                errors.add_targeted("due", "due-day", "Record that the request is valid before asking for the file");
            }
            if policy.psd_email.is_empty() {
                errors.add_targeted(
                    "due",
                    "due-day",
                    "Add the force’s Professional Standards Department email address in the settings first",
                );
            }
            due.filter(|_| errors.is_empty()).map(|due| {
                let mut values = common(&review);
                values[0] = ("name", policy.psd_name.clone());
                values.push(("due", calendar::long_date(due)));
                values.push(("link", format!("{base_url}{}", case_url(&review))));
                values.push((
                    "questions",
                    if question.is_empty() { String::new() } else { format!("We would also like you to answer:\n{question}") },
                ));
                let mut sets = vec![
                    set("file_requested_on", db::date(today)),
                    set("file_due_on", db::date(due)),
                    set("stage", Stage::AwaitingFile.slug().into()),
                ];
                if review.acknowledged_on.is_none() {
                    sets.push(set("acknowledged_on", db::date(today)));
                }
                Planned {
                    from: vec![Stage::Acknowledged, Stage::Received],
                    change: Change { sets, action: "requested the complaint file", detail: format!("due {due}") },
                    letters: vec![Letter { kind: "complaint-file-request", values, to: to_force() }],
                }
            })
        }
        "question" => {
            let question = required(&mut errors, "question", &form.question, "Enter your question for the force", 5000);
            let (due, due_marks) = date_field(&mut errors, "due", &form.due(), "the reply-by date");
            marks.due = due_marks;
            if due.is_some_and(|d| d < today) {
                errors.add_targeted("due", "due-day", "The reply-by date must be today or in the future");
                marks.due = DatePartsInError { day: true, month: true, year: true };
            }
            if !matches!(review.stage(), Stage::AwaitingFile | Stage::Reviewing) {
                errors.add("question", "Questions can be put to the force once the complaint file has been asked for");
            }
            if let (true, Some(due)) = (errors.is_empty(), due) {
                let mut tx = platform::db::begin_write(pool).await?;
                store::ask_force(&mut tx, &review, &question, today, due, &actor, now).await?;
                if !policy.psd_email.is_empty() {
                    let link = format!("{base_url}{}#questions", case_url(&review));
                    let email = Email {
                        to: policy.psd_email.clone(),
                        subject: format!(
                            "Question about complaint review {} (your reference {})",
                            review.reference, review.force_reference
                        ),
                        text: format!(
                            "{} has a question about review {}, due {}:\n\n{question}\n\nAnswer it here: {link}\n",
                            office.name,
                            review.reference,
                            calendar::long_date(due)
                        ),
                        html: format!(
                            "<p>{} has a question about review {}, due {}.</p><p><a href=\"{link}\">Answer it in Commissioner</a></p>",
                            office.name,
                            review.reference,
                            calendar::long_date(due)
                        ),
                    };
                    platform::mail::enqueue(&mut tx, platform.settings(), &email).await?;
                }
                tx.commit().await?;
                return Ok(Redirect::to(&format!("{}#questions", case_url(&review))).into_response());
            }
            None
        }
        "file-received" => Some(Planned {
            from: vec![Stage::AwaitingFile],
            change: Change {
                sets: vec![set("file_received_on", db::date(today)), set("stage", Stage::Reviewing.slug().into())],
                action: "recorded the complaint file as received",
                detail: String::new(),
            },
            letters: Vec::new(),
        }),
        "finding" => {
            let allegations = store::allegations_of(pool, &review.id).await?;
            let Some(allegation) = allegations.iter().find(|a| a.id == form.allegation_id) else {
                return Err(AppError::NotFound);
            };
            failed = allegation.id.clone();
            let id = &allegation.id;
            let mut yes_no = |field: &str, value: &str, message: &str| {
                if !["yes", "no"].contains(&value) {
                    errors.add(&format!("{field}-{id}"), message);
                }
                value == "yes"
            };
            let handling = yes_no(
                "handling-reasonable",
                &form.handling_reasonable,
                "Select whether the handling was reasonable and proportionate",
            );
            let outcome = yes_no(
                "outcome-reasonable",
                &form.outcome_reasonable,
                "Select whether the outcome was reasonable and proportionate",
            );
            if !["upheld", "not-upheld"].contains(&form.finding.as_str()) {
                errors.add(&format!("finding-{id}"), "Select whether this part is upheld");
            }
            let reasons =
                required(&mut errors, &format!("reasons-{id}"), &form.reasons, "Enter the reasons for the finding", 5000);
            if review.stage() != Stage::Reviewing {
                errors.add(&format!("finding-{id}"), "Findings are recorded once the complaint file has arrived");
            }
            if errors.is_empty() {
                let finding = store::AllegationFinding {
                    handling_reasonable: handling,
                    outcome_reasonable: outcome,
                    upheld: form.finding == "upheld",
                    reasons,
                };
                let mut tx = platform::db::begin_write(pool).await?;
                store::record_finding(&mut tx, &review, id, &finding, &actor, now).await?;
                tx.commit().await?;
                return Ok(Redirect::to(&format!("{}#allegation-{}", case_url(&review), allegation.position)).into_response());
            }
            None
        }
        "recommendation" => {
            let text = required(&mut errors, "recommendation", &form.recommendation, "Enter what the force should do", 5000);
            let (due, due_marks) =
                date_field(&mut errors, "respond-by", &form.respond_by(), "the date the force should respond by");
            marks.respond_by = due_marks;
            if due.is_some_and(|d| d < today) {
                errors.add_targeted("respond-by", "respond-by-day", "The response date must be today or in the future");
                marks.respond_by = DatePartsInError { day: true, month: true, year: true };
            }
            if review.stage() != Stage::Reviewing {
                errors.add("recommendation", "Recommendations are made while the review is being decided");
            }
            if let (true, Some(due)) = (errors.is_empty(), due) {
                let mut tx = platform::db::begin_write(pool).await?;
                store::add_recommendation(&mut tx, &review, &text, due, &actor, now).await?;
                tx.commit().await?;
                return Ok(Redirect::to(&format!("{}#recommendations", case_url(&review))).into_response());
            }
            None
        }
        "decide" => {
            let allegations = store::allegations_of(pool, &review.id).await?;
            let recommendations = store::recommendations_of(pool, &review.id).await?;
            let summary = required(&mut errors, "summary", &form.summary, "Enter the overall conclusion", 10_000);
            if allegations.iter().any(|a| a.finding.is_none()) {
                errors.add("summary", "Record a finding on every part of the complaint before deciding");
            }
            let subject_name = form.subject_name.trim().to_string();
            let subject_address = form.subject_address.trim().replace("\r\n", "\n");
            if subject_name.chars().count() > 200 {
                errors.add("subject-name", "The name must be 200 characters or fewer");
            }
            if !subject_name.is_empty() && subject_address.is_empty() {
                errors.add("subject-address", "Enter the address for the letter to the person complained about");
            }
            if review.stage() != Stage::Reviewing {
                errors.add("summary", "A review is decided once the complaint file has arrived");
            }
            errors.is_empty().then(|| {
                let findings = findings_text(&allegations, true);
                let mut to_complainant = common(&review);
                to_complainant.push(("findings", findings.clone()));
                to_complainant.push(("summary", summary.clone()));
                to_complainant.push(("recommendations", recommendations_text(&recommendations, false)));
                let mut to_psd = common(&review);
                to_psd[0] = ("name", policy.psd_name.clone());
                to_psd.push(("findings", findings));
                to_psd.push(("summary", summary.clone()));
                to_psd.push(("recommendations", recommendations_text(&recommendations, true)));
                let earliest = recommendations.iter().map(Recommendation::respond_by).min();
                to_psd.push(("respond_by", earliest.map(calendar::long_date).unwrap_or_else(|| "no response is needed".into())));
                to_psd.push(("link", format!("{base_url}{}#recommendations", case_url(&review))));
                let mut letters = vec![
                    Letter { kind: "complaint-decision", values: to_complainant, to: None },
                    Letter { kind: "complaint-decision-force", values: to_psd, to: to_force() },
                ];
                if !subject_name.is_empty() {
                    let mut to_subject = common(&review);
                    to_subject[0] = ("name", subject_name.clone());
                    to_subject.push(("findings", findings_text(&allegations, false)));
                    to_subject.push(("recommendations", recommendations_text(&recommendations, false)));
                    letters.push(Letter {
                        kind: "complaint-decision-subject",
                        values: to_subject,
                        to: Some((format!("{subject_name}\n{subject_address}"), None)),
                    });
                }
                let upheld = allegations.iter().filter(|a| a.finding.as_deref() == Some("upheld")).count();
                let mut sets = vec![
                    set("decided_on", db::date(today)),
                    set("decided_by", staff.user.email.clone()),
                    set("decision_summary", summary.clone()),
                ];
                if recommendations.is_empty() {
                    sets.push(set("stage", Stage::Closed.slug().into()));
                    sets.push(set("closed_on", db::date(today)));
                } else {
                    sets.push(set("stage", Stage::Recommendations.slug().into()));
                }
                Planned {
                    from: vec![Stage::Reviewing],
                    change: Change {
                        sets,
                        action: "decided",
                        detail: format!("{upheld} of {} upheld; {} recommendations", allegations.len(), recommendations.len()),
                    },
                    letters,
                }
            })
        }
        "close-recommendation" => {
            let mut tx = platform::db::begin_write(pool).await?;
            let closed = store::close_recommendation(&mut tx, &review, &form.recommendation_id, today, &actor, now).await?;
            match closed {
                None => {
                    drop(tx);
                    failed = form.recommendation_id.clone();
                    errors.add(
                        &format!("response-{}", form.recommendation_id),
                        "A recommendation can be closed once the force’s response is recorded",
                    );
                    None
                }
                Some(last) => {
                    if last {
                        let change = Change {
                            sets: vec![set("stage", Stage::Closed.slug().into()), set("closed_on", db::date(today))],
                            action: "closed",
                            detail: "every recommendation answered and closed".into(),
                        };
                        // Closing is the same whoever answers last; a second close changes nothing.
                        store::change(&mut tx, &review, &[Stage::Recommendations], &change, &actor, now).await?;
                    }
                    tx.commit().await?;
                    return Ok(Redirect::to(&format!("{}#recommendations", case_url(&review))).into_response());
                }
            }
        }
        _ => return Err(AppError::NotFound),
    };
    let Some(planned) = planned else {
        let problem = Problem { form, errors, marks, failed };
        return render_case(&platform, chrome, (review, scope, policy), problem).await;
    };
    let mut tx = platform::db::begin_write(pool).await?;
    if !store::change(&mut tx, &review, &planned.from, &planned.change, &actor, now).await? {
        // Someone else moved the case on first: show it as it is now, and say so.
        tx.rollback().await?;
        let fresh = load(&platform, &staff, &reference).await?;
        let page =
            render_case(&platform, chrome, fresh, Problem { form, errors: change::moved_on(), ..Problem::default() }).await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    if action == "decide" {
        store::request_responses(&mut tx, &review, today).await?;
    }
    for letter in planned.letters {
        let text: LetterText = letters::compose(pool, &super::letters::KINDS, letter.kind, &letter.values).await?;
        match letter.to {
            None => {
                letters::record_letter(
                    &mut tx,
                    platform.settings(),
                    super::service::LETTER_CASE,
                    &review.id,
                    &text,
                    review.letter_email().as_deref(),
                    &actor,
                    now,
                )
                .await?;
            }
            Some((addressee, email)) => {
                letters::record_letter_to(
                    &mut tx,
                    platform.settings(),
                    (super::service::LETTER_CASE, &review.id),
                    &addressee,
                    &text,
                    email.as_deref(),
                    &actor,
                    now,
                )
                .await?;
            }
        }
    }
    tx.commit().await?;
    Ok(Redirect::to(&case_url(&review)).into_response())
}

/// The rule's outcome, the columns to set and the audit detail.
type PlannedValidity = (Validity, Vec<(&'static str, store::Value)>, String);

/// The validity check: what the form says, the rule's outcome, the columns to set and the audit
/// detail. Adds messages to `errors` and returns None when the form is not complete.
fn plan_validity(
    review: &Review,
    form: &ActionForm,
    (today, decided_by): (Date, &str),
    errors: &mut FormErrors,
    marks: &mut Marks,
) -> Option<PlannedValidity> {
    if !["yes", "no"].contains(&form.schedule_3.as_str()) {
        errors.add("schedule-3", "Select whether the complaint was handled under Schedule 3");
    }
    let reasons: Vec<IopcReason> = form.iopc_reasons.iter().filter_map(|s| IopcReason::from_slug(s)).collect();
    let forwarding = if form.forwarded == "yes" {
        let (sent, sent_marks) = date_field(errors, "sent", &form.sent(), "the date the IOPC received it");
        let (arrived, arrived_marks) = date_field(errors, "arrived", &form.arrived(), "the date it reached us");
        marks.sent = sent_marks;
        marks.arrived = arrived_marks;
        match (sent, arrived) {
            (Some(s), Some(a)) if a < s => {
                errors.add_targeted(
                    "arrived",
                    "arrived-day",
                    "The date it reached us must be on or after the date the IOPC received it",
                );
                marks.arrived = DatePartsInError { day: true, month: true, year: true };
                None
            }
            (Some(_), Some(a)) if a > today => {
                errors.add_targeted("arrived", "arrived-day", "The date it reached us must be today or in the past");
                marks.arrived = DatePartsInError { day: true, month: true, year: true };
                None
            }
            (Some(sent_on), Some(arrived_on)) => Some(rules::Forwarding { sent_on, arrived_on }),
            _ => None,
        }
    } else {
        None
    };
    let timeliness = rules::timeliness(review.outcome_given(), review.received(), forwarding.as_slice());
    let exceptional = match form.exceptional.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let check = ValidityCheck {
        schedule_3: form.schedule_3 == "yes",
        iopc_reasons: reasons.clone(),
        exceptional_circumstances: exceptional,
    };
    let outcome = rules::validity(&check, &timeliness);
    if let Validity::LateNeedsDecision { days_late } = outcome {
        errors.add(
            "exceptional",
            format!("The request arrived {days_late} days late: select whether there are exceptional circumstances"),
        );
    }
    let reasons_text = form.reasons.trim().replace("\r\n", "\n");
    if matches!(outcome, Validity::NotReviewable | Validity::OutOfTime { .. }) && reasons_text.is_empty() {
        errors.add("reasons", "Enter the reasons, for the letter to the complainant");
    }
    if reasons_text.chars().count() > 5000 {
        errors.add("reasons", "Reasons must be 5000 characters or fewer");
    }
    if !errors.is_empty() {
        return None;
    }
    let (slug, close) = match &outcome {
        Validity::Accepted => (ValidityOutcome::Valid, false),
        Validity::NotReviewable => (ValidityOutcome::NotReviewable, true),
        Validity::OutOfTime { .. } | Validity::LateNeedsDecision { .. } => (ValidityOutcome::OutOfTime, true),
        Validity::ForwardToIopc(_) => (ValidityOutcome::ForwardedToIopc, true),
    };
    let text = |v: String| store::Value::Text(Some(v));
    let mut sets: Vec<(&'static str, store::Value)> = vec![
        ("schedule_3", store::Value::Number(i64::from(check.schedule_3))),
        ("iopc_reasons", text(reasons.iter().map(|r| r.slug()).collect::<Vec<_>>().join(","))),
        ("validity", text(slug.slug().into())),
        ("validity_reasons", store::Value::Text((!reasons_text.is_empty()).then_some(reasons_text))),
        ("validity_decided_on", text(db::date(today))),
        ("validity_decided_by", text(decided_by.to_string())),
    ];
    if let Some(exceptional) = exceptional {
        sets.push(("exceptional_circumstances", store::Value::Number(i64::from(exceptional))));
    }
    if let Some(f) = forwarding {
        sets.push(("forwarded_sent_on", text(db::date(f.sent_on))));
        sets.push(("forwarded_arrived_on", text(db::date(f.arrived_on))));
    }
    if review.acknowledged_on.is_none() {
        sets.push(("acknowledged_on", text(db::date(today))));
    }
    if close {
        sets.push(("stage", text(Stage::Closed.slug().into())));
        sets.push(("closed_on", text(db::date(today))));
    } else {
        sets.push(("stage", text(Stage::Acknowledged.slug().into())));
    }
    let detail = format!("{}; {}", slug.slug(), if timeliness.in_time() { "in time" } else { "late" });
    Some((outcome, sets, detail))
}

// ---------------------------------------------------------------------------------------------
// The force's part: the file, answers and responses.

/// A file upload carries no other fields.
#[derive(Debug, Default, Deserialize)]
struct UploadForm {}

async fn upload_file(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path(reference): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let review = &loaded.0;
    if !matches!(review.stage(), Stage::AwaitingFile | Stage::Reviewing) {
        let mut errors = FormErrors::new();
        errors.add("complaint-file", "Files can be added while the review is open and its file has been asked for");
        return render_case(&platform, chrome, loaded, Problem { errors, ..Problem::default() }).await;
    }
    let (_form, errors): (UploadForm, _) =
        casekit::uploads::add_files(&platform, request, (FORCE_FILES, &review.id), MAX_FORCE_FILES, "complaint-file").await?;
    let event =
        Event { action: "uploaded to the complaint file", record_type: RECORD_TYPE, record_id: &review.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    if errors.is_empty() {
        return Ok(Redirect::to(&format!("{}#the-complaint-file", case_url(review))).into_response());
    }
    render_case(&platform, chrome, loaded, Problem { errors, ..Problem::default() }).await
}

async fn file_complete(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let review = &loaded.0;
    let held = files::files_of(platform.pool(), FORCE_FILES, &review.id).await?.len();
    if held == 0 {
        let mut errors = FormErrors::new();
        errors.add("complaint-file", "Upload the complaint file before saying it is complete");
        return render_case(&platform, chrome, loaded, Problem { errors, ..Problem::default() }).await;
    }
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let change = Change {
        sets: vec![
            ("file_received_on", store::Value::Text(Some(db::date(today)))),
            ("stage", store::Value::Text(Some(Stage::Reviewing.slug().into()))),
        ],
        action: "sent the complaint file",
        detail: format!("{held} files"),
    };
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    if !store::change(&mut tx, review, &[Stage::AwaitingFile], &change, &staff.actor(), now).await? {
        tx.rollback().await?;
        let fresh = load(&platform, &staff, &reference).await?;
        let page = render_case(&platform, chrome, fresh, Problem { errors: change::moved_on(), ..Problem::default() }).await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}#the-complaint-file", case_url(review))).into_response())
}

async fn answer(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, question_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let mut errors = FormErrors::new();
    let text = required(&mut errors, &format!("answer-{question_id}"), &form.answer, "Enter the answer", 20_000);
    if !errors.is_empty() {
        return render_case(&platform, chrome, loaded, Problem { form, errors, failed: question_id, ..Problem::default() }).await;
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    let found =
        store::answer_question(&mut tx, &loaded.0, &question_id, &text, calendar::uk_local_date(now), &staff.actor(), now)
            .await?;
    tx.commit().await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("{}#questions", case_url(&loaded.0))).into_response())
}

async fn respond(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, recommendation_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let mut errors = FormErrors::new();
    if !["accepted", "partly-accepted", "not-accepted"].contains(&form.response.as_str()) {
        errors.add(&format!("response-{recommendation_id}"), "Select the force’s response");
    }
    let detail = required(
        &mut errors,
        &format!("response-detail-{recommendation_id}"),
        &form.response_detail,
        "Enter what the force will do, or why it will not",
        10_000,
    );
    if loaded.0.stage() != Stage::Recommendations {
        errors.add(&format!("response-{recommendation_id}"), "Responses are recorded once the review is decided");
    }
    if !errors.is_empty() {
        return render_case(&platform, chrome, loaded, Problem { form, errors, failed: recommendation_id, ..Problem::default() })
            .await;
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    let found = store::record_response(
        &mut tx,
        &loaded.0,
        &recommendation_id,
        &form.response,
        &detail,
        calendar::uk_local_date(now),
        &staff.actor(),
        now,
    )
    .await?;
    tx.commit().await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("{}#recommendations", case_url(&loaded.0))).into_response())
}

async fn download(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (review, scope, _) = load(&platform, &staff, &reference).await?;
    let record = (RECORD_TYPE, review.reference.as_str());
    let actor = staff.actor();
    let in_force_files = files::files_of(platform.pool(), FORCE_FILES, &review.id).await?.iter().any(|f| f.id == file_id);
    if in_force_files {
        return platform::web::download_record_file(&platform, &actor, (FORCE_FILES, &review.id), &file_id, record).await;
    }
    // The complainant's own documents are the office's to read, not the force's.
    if !scope.is_office() {
        return Err(AppError::NotFound);
    }
    platform::web::download_record_file(&platform, &actor, (REVIEW_FILES, &review.id), &file_id, record).await
}

async fn addressed(
    platform: &Platform,
    staff: &CurrentStaff,
    reference: &str,
    letter_id: &str,
) -> Result<AddressedLetter, AppError> {
    let (review, _, _) = load(platform, staff, reference).await?;
    let back = case_url(&review);
    let applicant = (review.addressee(), review.postal_address.clone(), review.postcode.clone());
    AddressedLetter::find(
        platform.pool(),
        &staff.actor(),
        (super::service::LETTER_CASE, &review.id),
        (RECORD_TYPE, &review.reference),
        letter_id,
        back,
        applicant,
    )
    .await?
    .ok_or(AppError::NotFound)
}

async fn letter_page(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, letter_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    addressed(&platform, &staff, &reference, &letter_id).await?.page(chrome)
}

async fn letter_pdf(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, letter_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    addressed(&platform, &staff, &reference, &letter_id).await?.pdf(&platform).await
}
