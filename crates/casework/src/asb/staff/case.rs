//! The case page: the threshold worked out, the clocks, and what partners answer; the case's
//! files and letters.

use super::*;

/// Every field any action on the case page can send.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub assignee: String,
    pub outcome: String,
    pub factors: Vec<String>,
    pub reasons: String,
    #[serde(rename = "hold-review")]
    pub hold_review: String,
    pub contact: String,
    pub question: String,
    #[serde(rename = "due-day")]
    pub due_day: String,
    #[serde(rename = "due-month")]
    pub due_month: String,
    #[serde(rename = "due-year")]
    pub due_year: String,
    #[serde(rename = "meeting-day")]
    pub meeting_day: String,
    #[serde(rename = "meeting-month")]
    pub meeting_month: String,
    #[serde(rename = "meeting-year")]
    pub meeting_year: String,
    pub chair: String,
    #[serde(rename = "chair-independent")]
    pub chair_independent: String,
    pub attendees: String,
    pub action: String,
    pub owner: String,
    #[serde(rename = "recommendation-id")]
    pub recommendation_id: String,
    pub status: String,
    #[serde(rename = "outcome-summary")]
    pub outcome_summary: String,
    pub response: String,
    #[serde(rename = "application-reference")]
    pub application_reference: String,
    pub directions: String,
    pub hearing: String,
    /// "yes" from the "Preview the letter" button: the letter is shown, nothing is sent.
    pub preview: String,
}

impl ActionForm {
    pub(super) fn due(&self) -> DateParts {
        DateParts { day: self.due_day.clone(), month: self.due_month.clone(), year: self.due_year.clone() }
    }
    pub(super) fn meeting(&self) -> DateParts {
        DateParts { day: self.meeting_day.clone(), month: self.meeting_month.clone(), year: self.meeting_year.clone() }
    }
}

pub const DISCRETION_FACTORS: [(&str, &str); 3] = [
    ("persistence", "How persistent the behaviour is"),
    ("harm", "The harm or potential harm caused"),
    ("response", "Whether the agencies’ response has been adequate"),
];

/// The incidents with the threshold worked out over them.
pub struct AssessedIncident {
    pub incident: StoredIncident,
    pub finding: Finding,
    pub explanation: String,
}

#[derive(Template)]
#[template(path = "asb/case.html")]
pub(super) struct CasePage {
    chrome: Chrome,
    /// Staff by name, for "decided by", "checked by" and the like.
    names: platform::auth::store::StaffNames,
    moves: Vec<casekit::deadlines::Moved>,
    further_answers: Vec<store::FurtherAnswer>,
    application: Application,
    incidents: Vec<AssessedIncident>,
    assessment: ThresholdAssessment,
    rule_text: String,
    steps: Vec<(Step, StepStatus)>,
    requests: Vec<InformationRequest>,
    /// The agencies' contacts a request can go to, and the documents answers came with.
    contacts: Vec<(String, String)>,
    agency_documents: Vec<(String, StoredFile)>,
    recommendations: Vec<Recommendation>,
    letters: Vec<store::Letter>,
    files: Vec<StoredFile>,
    appeals: Vec<StoredAppeal>,
    caseworkers: Vec<StaffUser>,
    is_office: bool,
    form: ActionForm,
    errors: FormErrors,
    due_marks: DatePartsInError,
    meeting_marks: DatePartsInError,
    due_parts: DateParts,
    meeting_parts: DateParts,
    assignee: String,
    response_ids: Vec<String>,
    preview: Option<letters::Preview>,
}

impl CasePage {
    fn day(&self, date: &Date) -> String {
        calendar::long_date(*date)
    }
    fn stage(&self) -> Stage {
        self.application.stage()
    }
    fn date(&self, text: &str) -> String {
        long(text)
    }
    /// The day of a stored instant, as GOV.UK writes dates.
    /// The UK day of a stored timestamp, in words.
    fn day_of(&self, instant: &str) -> String {
        match platform::db::parse_timestamp(instant) {
            Some(at) => calendar::long_date(calendar::uk_local_date(at)),
            None => long(instant.get(..10).unwrap_or(instant)),
        }
    }
    fn opt_date(&self, text: &Option<String>) -> String {
        text.as_deref().map(long).unwrap_or_default()
    }
    fn agency(&self, slug: &str) -> String {
        agency_name(slug).to_string()
    }
    fn threshold_outcome(&self) -> Choices<'_> {
        Choices::radios(
            "outcome",
            "Decision",
            vec![
                Choice::new("met", "Threshold met"),
                Choice::with_hint(
                    "met-at-discretion",
                    "Threshold met at discretion",
                    "Below the number, but met considering the factors below.",
                ),
                Choice::new("not-met", "Threshold not met"),
            ],
            Some(self.form.outcome.as_str()),
            &self.errors,
        )
    }
    fn factors(&self) -> Choices<'_> {
        let items = Choice::each(&DISCRETION_FACTORS);
        Choices::checkboxes(
            "factors",
            "Factors considered (for a decision at discretion)",
            items,
            self.form.factors.iter().map(String::as_str).collect(),
            &self.errors,
        )
    }
    fn reasons(&self) -> Textarea<'_> {
        Textarea::new("reasons", "Reasons", &self.form.reasons, &self.errors)
            .rows(4)
            .hint("These go in the letter to the applicant.")
    }
    fn hold_review(&self) -> Choices<'_> {
        Choices::radios(
            "hold-review",
            "Will a case review be held?",
            vec![Choice::new("yes", "Yes"), Choice::with_hint("no", "No", "The case closes and the applicant is told why.")],
            Some(self.form.hold_review.as_str()),
            &self.errors,
        )
        .inline()
    }
    fn assignee_choice(&self) -> Choices<'_> {
        casekit::widgets::caseworker_choice(&self.caseworkers, Some(&self.assignee), &self.errors)
    }
    fn contact_input(&self) -> Select<'_> {
        let options = std::iter::once(Choice::new("", "Choose a contact"))
            .chain(self.contacts.iter().map(|(id, described)| Choice::new(id, described)))
            .collect();
        let mut select = Select::new("contact", "Who to ask", options, &self.form.contact, &self.errors);
        select.hint =
            Some("They are emailed a secure link to read your question and answer it, with documents, without an account.");
        select
    }
    fn documents_for(&self, request_id: &str) -> Vec<&StoredFile> {
        self.agency_documents.iter().filter(|(r, _)| r == request_id).map(|(_, f)| f).collect()
    }
    fn chased(&self, request: &InformationRequest) -> String {
        match &request.chased_on {
            Some(on) => format!("{}, last on {}", casekit::chasing::Chasing::times(request.chase_count), long(on)),
            None => casekit::chasing::Chasing::times(0).to_string(),
        }
    }
    fn question(&self) -> Textarea<'_> {
        Textarea::new("question", "What do you need from them?", &self.form.question, &self.errors).rows(3)
    }
    fn due(&self) -> DateInput<'_> {
        DateInput::new("due", "Reply by", &self.due_parts, &self.errors, self.due_marks)
    }
    fn meeting_date(&self) -> DateInput<'_> {
        DateInput::new("meeting", "Date of the meeting", &self.meeting_parts, &self.errors, self.meeting_marks)
    }
    fn chair(&self) -> TextInput<'_> {
        TextInput::new("chair", "Chair", &self.form.chair, &self.errors)
    }
    fn chair_independent(&self) -> Choices<'_> {
        Choices::yes_no(
            "chair-independent",
            "Was the chair independent of the agencies involved?",
            Some(self.form.chair_independent.as_str()),
            &self.errors,
        )
    }
    fn attendees(&self) -> Textarea<'_> {
        Textarea::new("attendees", "Who attended", &self.form.attendees, &self.errors)
            .rows(3)
            .hint("Agencies and roles, one a line.")
    }
    fn action(&self) -> Textarea<'_> {
        Textarea::new("action", "Action", &self.form.action, &self.errors).rows(2)
    }
    fn owner(&self) -> TextInput<'_> {
        TextInput::new("owner", "Owner", &self.form.owner, &self.errors).hint("The agency or person who will do it.")
    }
    fn outcome_summary(&self) -> Textarea<'_> {
        Textarea::new("outcome-summary", "What the review found", &self.form.outcome_summary, &self.errors)
            .rows(5)
            .hint("This goes in the outcome letter, with the action plan.")
    }
    fn response_for(&self, index: &usize) -> String {
        let Some(id) = self.response_ids.get(*index) else { return String::new() };
        let value = if self.errors.for_field(id).is_some() { self.form.response.as_str() } else { "" };
        let mut input = Textarea::new(id, "Response", value, &self.errors).rows(4);
        input.name = "response";
        askama::Template::render(&input).unwrap_or_default()
    }
}

pub(super) async fn load_case(
    platform: &Platform,
    staff: &CurrentStaff,
    reference: &str,
) -> Result<(Application, Scope), AppError> {
    let reference: platform::reference::Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    let application = store::find_application(platform.pool(), &reference.to_string()).await?.ok_or(AppError::NotFound)?;
    let bodies = policy::review_bodies(platform.pool()).await?;
    let scope = Scope::of(&staff.user, &bodies);
    // A case outside someone's scope is "not found" to them, not "forbidden": its existence is private too.
    if !scope.allows(&application.review_body_id) {
        return Err(AppError::NotFound);
    }
    Ok((application, scope))
}

#[allow(clippy::too_many_arguments)]
/// The application's incidents, each judged against the threshold, and the judgement overall.
async fn assessed_incidents(
    pool: &platform::db::Pool,
    application: &Application,
    rule: &threshold::ThresholdRule,
) -> Result<(Vec<AssessedIncident>, threshold::ThresholdAssessment), AppError> {
    let incidents = store::incidents_of(pool, &application.id).await?;
    let reported: Vec<threshold::ReportedIncident> = incidents.iter().filter_map(StoredIncident::for_threshold).collect();
    let assessment =
        threshold::assess(rule, &reported, application.received(), application.hate_motivated(), application.continuing != 0);
    let incidents = incidents
        .into_iter()
        .zip(assessment.findings.clone())
        .map(|(incident, finding)| AssessedIncident { explanation: finding.explain(rule), incident, finding })
        .collect();
    Ok((incidents, assessment))
}

pub(super) async fn render_case(
    platform: &Platform,
    chrome: Chrome,
    application: Application,
    scope: &Scope,
    form: ActionForm,
    errors: FormErrors,
    marks: (DatePartsInError, DatePartsInError),
) -> Result<Response, AppError> {
    render_case_page(platform, chrome, application, (scope, None), form, errors, marks).await
}

/// The case page with the letter an action would send shown in its form, nothing sent.
pub(super) async fn render_preview(
    platform: &Platform,
    chrome: Chrome,
    application: Application,
    scope: &Scope,
    form: ActionForm,
    preview: letters::Preview,
) -> Result<Response, AppError> {
    let marks = Default::default();
    render_case_page(platform, chrome, application, (scope, Some(preview)), form, FormErrors::new(), marks).await
}

async fn render_case_page(
    platform: &Platform,
    chrome: Chrome,
    application: Application,
    (scope, preview): (&Scope, Option<letters::Preview>),
    form: ActionForm,
    errors: FormErrors,
    marks: (DatePartsInError, DatePartsInError),
) -> Result<Response, AppError> {
    let pool = platform.pool();
    let calendar = calendar_of(platform).await?;
    let rule = application.threshold_rule();
    let (incidents, assessment) = assessed_incidents(pool, &application, &rule).await?;
    let today = today();
    let steps = casekit::clock::as_of(
        timescales::application_steps(&application.dates(), &application.timescales(), &calendar),
        today,
        &calendar,
    );
    let requests = store::information_requests_of(pool, &application.id).await?;
    let contacts =
        platform::organisations::contacts::all(pool).await?.into_iter().map(|c| (c.id.clone(), c.described())).collect();
    let agency_documents = agency_documents(pool, &application.id).await?;
    let further_answers = store::further_answers_of(pool, &application.id).await?;
    let recommendations = store::recommendations_of(pool, &application.id).await?;
    let letters = store::letters_of(pool, "application", &application.id).await?;
    let files = files::files_of(pool, store::APPLICATION_FILES, &application.id).await?;
    let appeals = appeal::appeals_of_application(pool, &application.id).await?;
    let caseworkers = platform::auth::store::assignable_users(pool).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let due_parts = form.due();
    let meeting_parts = form.meeting();
    let assignee = application.assigned_to.clone().unwrap_or_default();
    let response_ids = requests.iter().map(|r| format!("response-{}", r.id)).collect();
    let moves = casekit::deadlines::moves_of(pool, &application.id).await?;
    let names = platform::auth::store::StaffNames::load(platform.pool()).await?;
    let page = CasePage {
        names,
        chrome: chrome.with_errors(!errors.is_empty()),
        moves,
        rule_text: rule.describe(),
        application,
        incidents,
        assessment,
        steps,
        requests,
        contacts,
        agency_documents,
        further_answers,
        recommendations,
        letters,
        files,
        appeals,
        caseworkers,
        is_office: scope.is_office(),
        form,
        errors,
        due_marks: marks.0,
        meeting_marks: marks.1,
        due_parts,
        meeting_parts,
        assignee,
        response_ids,
        preview,
    };
    Ok((status, render(&page)?).into_response())
}

/// What the case page says after each step that moves the case (`casekit::done`).
const DONE: [(&str, &str); 7] = [
    ("assign", "The case is assigned"),
    ("information-request", "The request has been emailed to the contact, with a secure link to answer"),
    ("acknowledge", "Acknowledged: the applicant has been written to"),
    ("threshold", "The threshold decision is recorded"),
    ("meeting", "The review meeting is recorded"),
    ("outcome", "The outcome is recorded"),
    ("close", "The case is closed"),
];

pub(super) async fn case_page(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
    axum::extract::Query(query): axum::extract::Query<casekit::done::DoneQuery>,
) -> Result<Response, AppError> {
    let (application, scope) = load_case(&platform, &staff, &reference).await?;
    let event = Event { action: "viewed", record_type: "ASB case review", record_id: &application.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    let chrome = chrome.saying(casekit::done::said(&query.done, &DONE));
    render_case(&platform, chrome, application, &scope, ActionForm::default(), FormErrors::new(), Default::default()).await
}

pub(super) async fn answer_request(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, request_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let (application, scope) = load_case(&platform, &staff, &reference).await?;
    let mut errors = FormErrors::new();
    let field = format!("response-{request_id}");
    let response = required(&mut errors, &field, &form.response, "Enter the response", 20_000);
    if !errors.is_empty() {
        return render_case(&platform, chrome, application, &scope, form, errors, Default::default()).await;
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    let today = calendar::uk_local_date(now);
    let found =
        crate::asb::agency::store::answer(&mut tx, &application, &request_id, &response, &[], today, &staff.actor(), now).await?;
    if found {
        let work = crate::asb::agency::answer_work(&application);
        platform::office::tell_if_from_partner(&mut tx, platform.settings(), &staff.user, &work).await?;
    }
    tx.commit().await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/staff/asb-case-reviews/{}#information", application.reference)).into_response())
}

pub(super) async fn download(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (application, _) = load_case(&platform, &staff, &reference).await?;
    let owner = (store::APPLICATION_FILES, application.id.as_str());
    platform::web::download_record_file(&platform, &staff.actor(), owner, &file_id, ("ASB case review", &application.reference))
        .await
}

/// Downloads a document an agency sent with its answer, audited.
pub(super) async fn download_agency_document(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (application, _) = load_case(&platform, &staff, &reference).await?;
    let owner = (crate::asb::agency::store::ANSWER_FILES, application.id.as_str());
    platform::web::download_record_file(&platform, &staff.actor(), owner, &file_id, ("ASB case review", &application.reference))
        .await
}

/// The documents answers came with, each beside the request it answered.
async fn agency_documents(pool: &platform::db::Pool, application_id: &str) -> Result<Vec<(String, StoredFile)>, sqlx::Error> {
    let stored = files::files_of(pool, crate::asb::agency::store::ANSWER_FILES, application_id).await?;
    let listed = crate::asb::agency::store::answer_documents(pool, application_id).await?;
    Ok(listed.into_iter().filter_map(|(request, id)| stored.iter().find(|f| f.id == id).map(|f| (request, f.clone()))).collect())
}

/// An application's letters, for the kit's letter pages (a partner sees only its body's).
pub(super) async fn application_letters(
    platform: Platform,
    staff: CurrentStaff,
    reference: String,
) -> Result<letters::LetterCase, AppError> {
    let (a, _) = load_case(&platform, &staff, &reference).await?;
    Ok(letters::LetterCase {
        case: ("application", a.id),
        record: ("ASB case review", a.reference.clone()),
        back: format!("/staff/asb-case-reviews/{}", a.reference),
        applicant: (a.applicant_name, a.contact.postal_address, a.contact.postcode),
    })
}

/// An appeal's letters, for the kit's letter pages.
pub(super) async fn appeal_letters(
    platform: Platform,
    _staff: CurrentStaff,
    reference: String,
) -> Result<letters::LetterCase, AppError> {
    let p = load_appeal(&platform, &reference).await?;
    Ok(letters::LetterCase {
        case: ("appeal", p.id),
        record: ("ASB case review appeal", p.reference.clone()),
        back: format!("/staff/asb-appeals/{}", p.reference),
        applicant: (p.full_name, p.contact.postal_address, p.contact.postcode),
    })
}
