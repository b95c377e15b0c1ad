//! The case page: the review with its clocks, findings and the force's side, and the form
//! every step is sent from.

use super::*;

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
    /// "yes" from the "Preview the letters" button: the letters are shown, nothing is sent.
    pub preview: String,
}

impl ActionForm {
    pub(super) fn parts(day: &str, month: &str, year: &str) -> DateParts {
        DateParts { day: day.into(), month: month.into(), year: year.into() }
    }
    pub(super) fn due(&self) -> DateParts {
        Self::parts(&self.due_day, &self.due_month, &self.due_year)
    }
    pub(super) fn set_due(&mut self, due: Date) {
        (self.due_day, self.due_month, self.due_year) =
            (due.day().to_string(), u8::from(due.month()).to_string(), due.year().to_string());
    }
    pub(super) fn respond_by(&self) -> DateParts {
        Self::parts(&self.respond_by_day, &self.respond_by_month, &self.respond_by_year)
    }
    pub(super) fn sent(&self) -> DateParts {
        Self::parts(&self.sent_day, &self.sent_month, &self.sent_year)
    }
    pub(super) fn arrived(&self) -> DateParts {
        Self::parts(&self.arrived_day, &self.arrived_month, &self.arrived_year)
    }
}

/// Date fields in error, per date on the page.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Marks {
    pub(super) due: DatePartsInError,
    pub(super) respond_by: DatePartsInError,
    pub(super) sent: DatePartsInError,
    pub(super) arrived: DatePartsInError,
}

#[derive(Template)]
#[template(path = "complaints/case.html")]
pub(super) struct CasePage {
    chrome: Chrome,
    /// Staff by name, for "decided by", "checked by" and the like.
    names: platform::auth::store::StaffNames,
    moves: Vec<casekit::deadlines::Moved>,
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
    preview: Option<letters::Preview>,
}

impl CasePage {
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
    fn yes_no(&self, value: &Option<i64>) -> &'static str {
        match value {
            Some(1) => "Yes",
            Some(_) => "No",
            None => "Not recorded",
        }
    }
    fn assignee_choice(&self) -> Choices<'_> {
        casekit::widgets::caseworker_choice(&self.caseworkers, self.review.assigned_to.as_deref(), &self.errors)
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
pub(super) struct Problem {
    pub(super) form: ActionForm,
    pub(super) errors: FormErrors,
    pub(super) marks: Marks,
    pub(super) failed: String,
    /// Not a problem: the letters a step would send, shown before they are.
    pub(super) preview: Option<letters::Preview>,
}

/// What the case page says after each step that moves the review.
const DONE: [(&str, &str); 6] = [
    ("assign", "The review is assigned"),
    ("acknowledge", "Acknowledged: the complainant has been written to"),
    ("validity", "The validity check is recorded, and the letters it needs are written"),
    ("request-file", "The complaint file is asked for: the force has been written to"),
    ("file-received", "The complaint file is recorded as received"),
    ("decide", "The review is decided, and its letters are written"),
];

pub(super) async fn render_case(
    platform: &Platform,
    chrome: Chrome,
    (review, scope, policy): (Review, Scope, ComplaintPolicy),
    problem: Problem,
) -> Result<Response, AppError> {
    let pool = platform.pool();
    let calendar = calendar_of(platform).await?;
    let today = today();
    let steps =
        casekit::clock::as_of(timescales::review_steps(&review.dates(), &review.timescales(), &calendar), today, &calendar);
    let is_office = scope.is_office();
    let allegations = store::allegations_of(pool, &review.id).await?;
    let questions = store::questions_of(pool, &review.id).await?;
    let recommendations = store::recommendations_of(pool, &review.id).await?;
    // The force sees its own uploads, never the complainant's documents or letters.
    let letters = if is_office {
        letters::letters_of(pool, crate::complaints::service::LETTER_CASE, &review.id).await?
    } else {
        Vec::new()
    };
    let files = if is_office { files::files_of(pool, REVIEW_FILES, &review.id).await? } else { Vec::new() };
    let force_files = files::files_of(pool, FORCE_FILES, &review.id).await?;
    let caseworkers = if is_office { platform::auth::store::assignable_users(pool).await? } else { Vec::new() };
    let status = if problem.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let mut form = problem.form;
    if form.due_day.is_empty() && problem.errors.is_empty() {
        // The force's file is asked for by default within the office's working days.
        form.set_due(calendar::add_working_days(today, review.timescales().complaint_file, &calendar));
    }
    let moves = casekit::deadlines::moves_of(platform.pool(), &review.id).await?;
    let names = platform::auth::store::StaffNames::load(platform.pool()).await?;
    let page = CasePage {
        names,
        chrome: chrome.with_errors(!problem.errors.is_empty()),
        moves,
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
        preview: problem.preview,
    };
    Ok((status, render(&page)?).into_response())
}

pub(super) async fn case_page(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
    axum::extract::Query(query): axum::extract::Query<casekit::done::DoneQuery>,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let event = Event { action: "viewed", record_type: RECORD_TYPE, record_id: &loaded.0.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    let chrome = chrome.saying(casekit::done::said(&query.done, &DONE));
    render_case(&platform, chrome, loaded, Problem::default()).await
}
