//! The office's and review bodies' side: the queue, the case page with its threshold worked
//! out, and each step of the review. Handlers check the form, then call the store; every
//! change is audited with the letter it sends.

use askama::Template;
use axum::extract::{Path, Query, State};
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
use platform::web::forms::{
    Choice, Choices, DateInput, DateParts, DatePartsInError, ErrorSummary, FormErrors, TextInput, Textarea, parse_date_parts,
};
use platform::web::{Form, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::answers::{agency_name, first_part};
use super::appeal::{self, StoredAppeal};
use super::policy::{self, ReviewBody};
use super::scope::{CASE_READERS, OFFICE, Scope};
use super::store::{self, Application, Change, InformationRequest, Recommendation, StoredIncident};
use super::threshold::{self, Finding, ThresholdAssessment};
use super::timescales::{self, Step, StepStatus};
use super::{Stage, ThresholdOutcome};
use casekit::letters::{self, AddressedLetter};

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff/asb-case-reviews", Access::Roles(CASE_READERS), get(queue))
        .route("/staff/asb-case-reviews/{reference}", Access::Roles(CASE_READERS), get(case_page))
        .route("/staff/asb-case-reviews/{reference}/actions/{action}", Access::Roles(OFFICE), post(act))
        .route(
            "/staff/asb-case-reviews/{reference}/information-requests/{request_id}",
            Access::Roles(CASE_READERS),
            post(answer_request),
        )
        .route("/staff/asb-case-reviews/{reference}/files/{file_id}", Access::Roles(CASE_READERS), get(download))
        .route(
            "/staff/asb-case-reviews/{reference}/letters/{letter_id}",
            Access::Roles(CASE_READERS),
            get(|State(p): State<Platform>, c: Chrome, s: CurrentStaff, Path(ids): Path<(String, String)>| {
                letter_page(LettersOf::Application, p, c, s, ids)
            }),
        )
        .route(
            "/staff/asb-case-reviews/{reference}/letters/{letter_id}/pdf",
            Access::Roles(CASE_READERS),
            get(|State(p): State<Platform>, s: CurrentStaff, Path(ids): Path<(String, String)>| {
                letter_pdf(LettersOf::Application, p, s, ids)
            }),
        )
        .route("/staff/asb-appeals/{reference}", Access::Roles(OFFICE), get(appeal_page))
        .route("/staff/asb-appeals/{reference}/actions/{action}", Access::Roles(OFFICE), post(act_on_appeal))
        .route("/staff/asb-appeals/{reference}/files/{file_id}", Access::Roles(OFFICE), get(download_appeal_file))
        .route(
            "/staff/asb-appeals/{reference}/letters/{letter_id}",
            Access::Roles(OFFICE),
            get(|State(p): State<Platform>, c: Chrome, s: CurrentStaff, Path(ids): Path<(String, String)>| {
                letter_page(LettersOf::Appeal, p, c, s, ids)
            }),
        )
        .route(
            "/staff/asb-appeals/{reference}/letters/{letter_id}/pdf",
            Access::Roles(OFFICE),
            get(|State(p): State<Platform>, s: CurrentStaff, Path(ids): Path<(String, String)>| {
                letter_pdf(LettersOf::Appeal, p, s, ids)
            }),
        )
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

// ---------------------------------------------------------------------------------------------
// The queue

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QueueFilters {
    district: String,
    stage: String,
    body: String,
    closed: String,
}

pub struct QueueRow {
    pub reference: String,
    pub received_on: String,
    pub district: String,
    pub review_body: String,
    pub stage: Stage,
    pub next: Option<Step>,
    pub status: Option<StepStatus>,
    pub assignee: String,
}

/// Overdue first, then the soonest due, then cases with nothing due (closed), oldest first.
pub fn queue_order(rows: &mut [QueueRow]) {
    rows.sort_by(|a, b| {
        let key = |r: &QueueRow| {
            (
                !matches!(r.status, Some(StepStatus::Overdue)),
                r.next.as_ref().map(|s| s.due_on).unwrap_or(Date::MAX),
                r.received_on.clone(),
                r.reference.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

#[derive(Template)]
#[template(path = "asb/queue.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
    appeals: Vec<(StoredAppeal, Step, StepStatus)>,
    filters: QueueFilters,
    districts: Vec<policy::District>,
    bodies: Vec<ReviewBody>,
    is_office: bool,
    is_admin: bool,
}

impl QueuePage {
    fn day(&self, date: &Date) -> String {
        calendar::long_date(*date)
    }
    fn stages(&self) -> [Stage; 6] {
        Stage::ALL
    }
    fn date(&self, text: &str) -> String {
        long(text)
    }
}

fn name_of(users: &[StaffUser], id: &Option<String>) -> String {
    id.as_ref().and_then(|id| users.iter().find(|u| &u.id == id)).map(|u| u.display_name.clone()).unwrap_or_default()
}

async fn queue(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Query(filters): Query<QueueFilters>,
) -> Result<Response, AppError> {
    let pool = platform.pool();
    let bodies = policy::review_bodies(pool).await?;
    let scope = Scope::of(&staff.user, &bodies);
    let only_body = match &scope {
        Scope::All => None,
        Scope::ReviewBody(id) => Some(id.as_str()),
        Scope::Nothing => Some(""),
    };
    let applications = store::list_applications(pool, filters.closed == "yes", only_body).await?;
    let calendar = calendar_of(&platform).await?;
    let users = platform::auth::store::assignable_users(pool).await?;
    let today = today();
    let mut rows: Vec<QueueRow> = applications
        .into_iter()
        .filter(|a| filters.district.is_empty() || a.district_id == filters.district)
        .filter(|a| filters.stage.is_empty() || a.stage == filters.stage)
        .filter(|a| filters.body.is_empty() || a.review_body_id == filters.body)
        .map(|a| {
            let steps = timescales::application_steps(&a.dates(), &a.timescales(), &calendar);
            let next = if a.is_open() { timescales::next_step(&steps).cloned() } else { None };
            let status = next.as_ref().map(|s| s.status(today, &calendar));
            QueueRow {
                assignee: name_of(&users, &a.assigned_to),
                reference: a.reference,
                received_on: a.received_on,
                district: a.district_name,
                review_body: a.review_body_name,
                stage: Stage::from_slug(&a.stage).unwrap_or(Stage::Received),
                next,
                status,
            }
        })
        .collect();
    queue_order(&mut rows);
    let appeals = if scope.is_office() {
        let mut appeals: Vec<(StoredAppeal, Step, StepStatus)> = appeal::list(pool, false, None)
            .await?
            .into_iter()
            .map(|p| {
                let step = timescales::appeal_step(p.received(), p.decided(), &p.timescales(), &calendar);
                let status = step.status(today, &calendar);
                (p, step, status)
            })
            .collect();
        appeals.sort_by_key(|(_, step, status)| (*status != StepStatus::Overdue, step.due_on));
        appeals
    } else {
        Vec::new()
    };
    let detail = format!("{} applications and {} appeals listed", rows.len(), appeals.len());
    audit::record_now(
        pool,
        &staff.actor(),
        Event { action: "listed", record_type: "ASB case review", record_id: "-", detail: &detail },
    )
    .await?;
    let districts = policy::districts(pool).await?;
    let is_admin = staff.user.role == platform::access::Role::Administrator;
    render(&QueuePage { chrome, rows, appeals, filters, districts, bodies, is_office: scope.is_office(), is_admin })
}

// ---------------------------------------------------------------------------------------------
// The case page

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
    pub agency: String,
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
}

impl ActionForm {
    fn due(&self) -> DateParts {
        DateParts { day: self.due_day.clone(), month: self.due_month.clone(), year: self.due_year.clone() }
    }
    fn meeting(&self) -> DateParts {
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
struct CasePage {
    chrome: Chrome,
    further_answers: Vec<store::FurtherAnswer>,
    application: Application,
    incidents: Vec<AssessedIncident>,
    assessment: ThresholdAssessment,
    rule_text: String,
    steps: Vec<(Step, StepStatus)>,
    requests: Vec<InformationRequest>,
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
    fn day_of(&self, instant: &str) -> String {
        long(instant.get(..10).unwrap_or(instant))
    }
    fn opt_date(&self, text: &Option<String>) -> String {
        text.as_deref().map(long).unwrap_or_default()
    }
    fn agency(&self, slug: &str) -> String {
        agency_name(slug).to_string()
    }
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
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
        let items = DISCRETION_FACTORS.iter().map(|(s, n)| Choice::new(s, n)).collect();
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
        let items = self.caseworkers.iter().map(|u| Choice::new(u.id.as_str(), u.display_name.as_str())).collect();
        Choices::radios("assignee", "Caseworker", items, Some(self.assignee.as_str()), &self.errors)
    }
    fn agency_input(&self) -> TextInput<'_> {
        TextInput::new("agency", "Agency", &self.form.agency, &self.errors)
            .hint("For example, Stafford Borough Council housing team.")
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
        Choices::radios(
            "chair-independent",
            "Was the chair independent of the agencies involved?",
            vec![Choice::new("yes", "Yes"), Choice::new("no", "No")],
            Some(self.form.chair_independent.as_str()),
            &self.errors,
        )
        .inline()
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

async fn load_case(platform: &Platform, staff: &CurrentStaff, reference: &str) -> Result<(Application, Scope), AppError> {
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
async fn render_case(
    platform: &Platform,
    chrome: Chrome,
    application: Application,
    scope: &Scope,
    form: ActionForm,
    errors: FormErrors,
    marks: (DatePartsInError, DatePartsInError),
) -> Result<Response, AppError> {
    let pool = platform.pool();
    let calendar = calendar_of(platform).await?;
    let incidents = store::incidents_of(pool, &application.id).await?;
    let rule = application.threshold_rule();
    let reported: Vec<threshold::ReportedIncident> = incidents.iter().filter_map(StoredIncident::for_threshold).collect();
    let assessment =
        threshold::assess(&rule, &reported, application.received(), application.hate_motivated(), application.continuing != 0);
    let incidents = incidents
        .into_iter()
        .zip(assessment.findings.clone())
        .map(|(incident, finding)| AssessedIncident { explanation: finding.explain(&rule), incident, finding })
        .collect();
    let today = today();
    let steps = timescales::application_steps(&application.dates(), &application.timescales(), &calendar)
        .into_iter()
        .map(|s| {
            let status = s.status(today, &calendar);
            (s, status)
        })
        .collect();
    let requests = store::information_requests_of(pool, &application.id).await?;
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
    let page = CasePage {
        chrome: chrome.with_errors(!errors.is_empty()),
        rule_text: rule.describe(),
        application,
        incidents,
        assessment,
        steps,
        requests,
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
    };
    Ok((status, render(&page)?).into_response())
}

async fn case_page(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    let (application, scope) = load_case(&platform, &staff, &reference).await?;
    let event = Event { action: "viewed", record_type: "ASB case review", record_id: &application.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    render_case(&platform, chrome, application, &scope, ActionForm::default(), FormErrors::new(), Default::default()).await
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

/// What an action changes, worked out from the form: the fields it sets, the stage it moves
/// to, and the letter it sends.
struct Planned {
    from: Vec<Stage>,
    change: Change<'static>,
    letter: Option<(&'static str, Vec<(&'static str, String)>)>,
}

fn contact_email(application: &Application) -> Option<String> {
    (application.contact_method == "email").then(|| application.email.clone()).flatten()
}

async fn act(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let (application, scope) = load_case(&platform, &staff, &reference).await?;
    let pool = platform.pool();
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let calendar = calendar_of(&platform).await?;
    let office = platform.office().await?;
    let mut errors = FormErrors::new();
    let mut marks = (DatePartsInError::default(), DatePartsInError::default());
    let common = |app: &Application| -> Vec<(&'static str, String)> {
        vec![("name", app.applicant_name.clone()), ("reference", app.reference.clone()), ("office", office.name.clone())]
    };
    let set = |column: &'static str, value: String| (column, store::Value::Text(Some(value)));
    let flag = |column: &'static str, on: bool| (column, store::Value::Number(i64::from(on)));
    let planned: Option<Planned> = match action.as_str() {
        "assign" => {
            let users = platform::auth::store::assignable_users(pool).await?;
            match users.iter().find(|u| u.id == form.assignee) {
                Some(user) => Some(Planned {
                    from: vec![Stage::Received, Stage::Acknowledged, Stage::Review, Stage::MeetingHeld, Stage::ActionPlan],
                    change: Change {
                        sets: vec![set("assigned_to", user.id.clone())],
                        action: "assigned",
                        detail: user.email.clone(),
                    },
                    letter: None,
                }),
                None => {
                    errors.add_targeted("assignee", "assignee", "Select a caseworker");
                    None
                }
            }
        }
        "acknowledge" => {
            let steps = timescales::application_steps(
                &timescales::ApplicationDates { acknowledged_on: Some(today), ..application.dates() },
                &application.timescales(),
                &calendar,
            );
            let threshold_due = steps.iter().find(|s| s.kind == timescales::StepKind::ThresholdDecision).map(|s| s.due_on);
            let mut values = common(&application);
            values.push(("received", calendar::long_date(application.received())));
            values.push(("threshold_due", threshold_due.map(calendar::long_date).unwrap_or_default()));
            values.push(("threshold_rule", application.threshold_rule().describe()));
            values.push((
                "tracker_link",
                format!(
                    "{}/asb-case-review/track (with your reference and postcode)",
                    platform.settings().public_url.trim_end_matches('/')
                ),
            ));
            Some(Planned {
                from: vec![Stage::Received],
                change: Change {
                    sets: vec![set("acknowledged_on", db::date(today)), set("stage", Stage::Acknowledged.slug().into())],
                    action: "acknowledged",
                    detail: String::new(),
                },
                letter: Some(("acknowledgement", values)),
            })
        }
        "threshold" => {
            let outcome = ThresholdOutcome::from_slug(&form.outcome);
            if outcome.is_none() {
                errors.add("outcome", "Select the threshold decision");
            }
            let factors: Vec<&str> =
                DISCRETION_FACTORS.iter().map(|(s, _)| *s).filter(|s| form.factors.iter().any(|f| f == s)).collect();
            if outcome == Some(ThresholdOutcome::MetAtDiscretion) && factors.is_empty() {
                errors.add("factors", "Select the factors that led to a decision at discretion");
            }
            let reasons = required(&mut errors, "reasons", &form.reasons, "Enter the reasons for the decision", 5000);
            if !matches!(form.hold_review.as_str(), "yes" | "no") {
                errors.add("hold-review", "Select whether a case review will be held");
            }
            let hold = form.hold_review == "yes";
            if outcome.is_some_and(|o| o != ThresholdOutcome::NotMet) && form.hold_review == "no" {
                errors.add("hold-review", "When the threshold is met, a case review must be held");
            }
            outcome.filter(|_| errors.is_empty()).map(|outcome| {
                let next_steps = if hold {
                    format!(
                        "The agencies will now review your case together. The review meeting is due by {}. We will write to you with the outcome.",
                        calendar::long_date(calendar::add_working_days(today, application.timescales().review_meeting, &calendar))
                    )
                } else {
                    format!(
                        "Your case is now closed. If you think the threshold was wrongly found not to be met, you can appeal to {} within {} working days of this letter.",
                        office.name,
                        application.timescales().appeal_window
                    )
                };
                let mut values = common(&application);
                values.push(("decision", outcome.name().to_string()));
                values.push(("reasons", reasons.clone()));
                values.push(("next_steps", next_steps));
                let mut sets = vec![
                    set("threshold_outcome", outcome.slug().into()),
                    set("threshold_factors", factors.join(",")),
                    set("threshold_reasons", reasons.clone()),
                    set("threshold_decided_on", db::date(today)),
                    set("threshold_decided_by", staff.user.email.clone()),
                    flag("review_to_be_held", hold),
                ];
                if hold {
                    sets.push(set("stage", Stage::Review.slug().into()));
                } else {
                    sets.push(set("stage", Stage::Closed.slug().into()));
                    sets.push(set("closed_on", db::date(today)));
                }
                Planned {
                    from: vec![Stage::Acknowledged],
                    change: Change {
                        sets,
                        action: "decided threshold",
                        detail: format!("{}; review {}", outcome.slug(), if hold { "to be held" } else { "not held" }),
                    },
                    letter: Some(("threshold-decision", values)),
                }
            })
        }
        "information-request" => {
            let agency = required(&mut errors, "agency", &form.agency, "Enter the agency", 200);
            let question = required(&mut errors, "question", &form.question, "Enter what you need from them", 5000);
            let (due, due_marks) = date_field(&mut errors, "due", &form.due(), "the reply-by date");
            marks.0 = due_marks;
            if let Some(due) = due
                && due < today
            {
                errors.add_targeted("due", "due-day", "The reply-by date must be today or in the future");
                marks.0 = DatePartsInError { day: true, month: true, year: true };
            }
            if application.stage() != Stage::Review {
                errors.add("agency", "Information can be requested while the review is being prepared");
            }
            if let (true, Some(due)) = (errors.is_empty(), due) {
                let mut tx = platform::db::begin_write(pool).await?;
                store::add_information_request(&mut tx, &application, &agency, &question, today, due, &staff.actor(), now)
                    .await?;
                tx.commit().await?;
                return Ok(
                    Redirect::to(&format!("/staff/asb-case-reviews/{}#information", application.reference)).into_response()
                );
            }
            None
        }
        "meeting" => {
            let (meeting_on, meeting_marks) = date_field(&mut errors, "meeting", &form.meeting(), "the date of the meeting");
            marks.1 = meeting_marks;
            if let Some(on) = meeting_on
                && on > today
            {
                errors.add_targeted(
                    "meeting",
                    "meeting-day",
                    "Record the meeting once it has been held: the date must be today or in the past",
                );
                marks.1 = DatePartsInError { day: true, month: true, year: true };
            }
            let chair = required(&mut errors, "chair", &form.chair, "Enter who chaired the meeting", 200);
            if !matches!(form.chair_independent.as_str(), "yes" | "no") {
                errors.add("chair-independent", "Select whether the chair was independent");
            }
            let attendees = required(&mut errors, "attendees", &form.attendees, "Enter who attended", 5000);
            meeting_on.filter(|_| errors.is_empty()).map(|on| Planned {
                from: vec![Stage::Review],
                change: Change {
                    sets: vec![
                        set("meeting_on", db::date(on)),
                        set("meeting_chair", chair.clone()),
                        flag("chair_independent", form.chair_independent == "yes"),
                        set("meeting_attendees", attendees.clone()),
                        set("stage", Stage::MeetingHeld.slug().into()),
                    ],
                    action: "recorded review meeting",
                    detail: format!("held {on}"),
                },
                letter: None,
            })
        }
        "recommendation" => {
            let text = required(&mut errors, "action", &form.action, "Enter the action", 2000);
            let owner = required(&mut errors, "owner", &form.owner, "Enter who owns the action", 200);
            let (due, due_marks) = date_field(&mut errors, "due", &form.due(), "the date it is due");
            marks.0 = due_marks;
            if !matches!(application.stage(), Stage::MeetingHeld | Stage::ActionPlan) {
                errors.add("action", "Actions are added after the review meeting");
            }
            if let (true, Some(due)) = (errors.is_empty(), due) {
                let mut tx = platform::db::begin_write(pool).await?;
                store::add_recommendation(&mut tx, &application, &text, &owner, due, &staff.actor(), now).await?;
                tx.commit().await?;
                return Ok(
                    Redirect::to(&format!("/staff/asb-case-reviews/{}#action-plan", application.reference)).into_response()
                );
            }
            None
        }
        "recommendation-status" => {
            if !matches!(form.status.as_str(), "open" | "done" | "not-done") {
                return Err(AppError::BadRequest("unknown status".into()));
            }
            let mut tx = platform::db::begin_write(pool).await?;
            let changed = store::set_recommendation_status(
                &mut tx,
                &application,
                &form.recommendation_id,
                &form.status,
                &staff.actor(),
                now,
            )
            .await?;
            tx.commit().await?;
            if !changed {
                return Err(AppError::NotFound);
            }
            return Ok(Redirect::to(&format!("/staff/asb-case-reviews/{}#action-plan", application.reference)).into_response());
        }
        "outcome" => {
            let summary = required(&mut errors, "outcome-summary", &form.outcome_summary, "Enter what the review found", 10_000);
            let recommendations = store::recommendations_of(pool, &application.id).await?;
            (errors.is_empty()).then(|| {
                let plan = if recommendations.is_empty() {
                    "The review made no recommendations.".to_string()
                } else {
                    recommendations
                        .iter()
                        .map(|r| format!("- {} ({}, by {})", r.action, r.owner, long(&r.due_on)))
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                let appeal_deadline = calendar::add_working_days(today, application.timescales().appeal_window, &calendar);
                let mut values = common(&application);
                values.push(("meeting_date", application.meeting_on.as_deref().map(long).unwrap_or_default()));
                values.push(("outcome", summary.clone()));
                values.push(("recommendations", plan));
                values.push(("appeal_deadline", calendar::long_date(appeal_deadline)));
                let mut sets = vec![set("outcome_summary", summary.clone()), set("outcome_sent_on", db::date(today))];
                if recommendations.iter().any(|r| r.status == "open") {
                    sets.push(set("stage", Stage::ActionPlan.slug().into()));
                } else {
                    sets.push(set("stage", Stage::Closed.slug().into()));
                    sets.push(set("closed_on", db::date(today)));
                }
                Planned {
                    from: vec![Stage::MeetingHeld],
                    change: Change { sets, action: "sent outcome", detail: format!("{} recommendations", recommendations.len()) },
                    letter: Some(("outcome", values)),
                }
            })
        }
        "close" => {
            let recommendations = store::recommendations_of(pool, &application.id).await?;
            if recommendations.iter().any(|r| r.status == "open") {
                errors.add("status", "Mark every action as done or not done before closing the case");
                None
            } else {
                Some(Planned {
                    from: vec![Stage::ActionPlan],
                    change: Change {
                        sets: vec![set("stage", Stage::Closed.slug().into()), set("closed_on", db::date(today))],
                        action: "closed",
                        detail: String::new(),
                    },
                    letter: None,
                })
            }
        }
        _ => return Err(AppError::NotFound),
    };
    let Some(planned) = planned else {
        return render_case(&platform, chrome, application, &scope, form, errors, marks).await;
    };
    let mut tx = platform::db::begin_write(pool).await?;
    let moved = store::change_application(&mut tx, &application, &planned.from, &planned.change, &staff.actor(), now).await?;
    if !moved {
        tx.rollback().await?;
        let mut errors = FormErrors::new();
        errors.add("outcome", "This case has moved on since you opened it. Check the page and try again.");
        let fresh = store::find_application(pool, &application.reference).await?.ok_or(AppError::NotFound)?;
        return render_case(&platform, chrome, fresh, &scope, form, errors, marks).await;
    }
    if let Some((kind, values)) = planned.letter {
        let letter = letters::compose(pool, &super::letters::KINDS, kind, &values).await?;
        let email = contact_email(&application);
        store::record_letter(
            &mut tx,
            platform.settings(),
            "application",
            &application.id,
            &letter,
            email.as_deref(),
            &staff.actor(),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/asb-case-reviews/{}", application.reference)).into_response())
}

async fn answer_request(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
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
    let found = store::answer_information_request(
        &mut tx,
        &application,
        &request_id,
        &response,
        calendar::uk_local_date(now),
        &staff.actor(),
        now,
    )
    .await?;
    tx.commit().await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("/staff/asb-case-reviews/{}#information", application.reference)).into_response())
}

async fn download(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (application, _) = load_case(&platform, &staff, &reference).await?;
    let owner = (store::APPLICATION_FILES, application.id.as_str());
    platform::web::download_record_file(&platform, &staff.actor(), owner, &file_id, ("ASB case review", &application.reference))
        .await
}

/// Whose letters a route shows.
#[derive(Debug, Clone, Copy)]
enum LettersOf {
    Application,
    Appeal,
}

/// A letter and its addressee, checked to belong to the case in the address (and the case to be
/// within the viewer's scope); the read is audited.
async fn addressed_letter(
    platform: &Platform,
    staff: &CurrentStaff,
    of: LettersOf,
    reference: &str,
    letter_id: &str,
) -> Result<AddressedLetter, AppError> {
    let (case_type, record_type, case_id, case_reference, back, applicant) = match of {
        LettersOf::Application => {
            let (a, _) = load_case(platform, staff, reference).await?;
            let back = format!("/staff/asb-case-reviews/{}", a.reference);
            ("application", "ASB case review", a.id, a.reference, back, (a.applicant_name, a.postal_address, a.postcode))
        }
        LettersOf::Appeal => {
            let p = load_appeal(platform, reference).await?;
            let back = format!("/staff/asb-appeals/{}", p.reference);
            ("appeal", "ASB case review appeal", p.id, p.reference, back, (p.full_name, p.postal_address, Some(p.postcode)))
        }
    };
    AddressedLetter::find(
        platform.pool(),
        &staff.actor(),
        (case_type, &case_id),
        (record_type, &case_reference),
        letter_id,
        back,
        applicant,
    )
    .await?
    .ok_or(AppError::NotFound)
}

async fn letter_page(
    of: LettersOf,
    platform: Platform,
    chrome: Chrome,
    staff: CurrentStaff,
    (reference, letter_id): (String, String),
) -> Result<Response, AppError> {
    addressed_letter(&platform, &staff, of, &reference, &letter_id).await?.page(chrome)
}

async fn letter_pdf(
    of: LettersOf,
    platform: Platform,
    staff: CurrentStaff,
    (reference, letter_id): (String, String),
) -> Result<Response, AppError> {
    addressed_letter(&platform, &staff, of, &reference, &letter_id).await?.pdf(&platform).await
}

// ---------------------------------------------------------------------------------------------
// Appeals

#[derive(Template)]
#[template(path = "asb/appeal_case.html")]
struct AppealCasePage {
    chrome: Chrome,
    appeal: StoredAppeal,
    step: Step,
    status: StepStatus,
    window_ends: String,
    files: Vec<StoredFile>,
    letters: Vec<store::Letter>,
    form: ActionForm,
    errors: FormErrors,
}

impl AppealCasePage {
    fn day(&self, date: &Date) -> String {
        calendar::long_date(*date)
    }
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn date(&self, text: &str) -> String {
        long(text)
    }
    fn may_decide(&self) -> bool {
        self.appeal.outcome.is_none() && (self.appeal.in_time != 0 || self.appeal.hearing_decision.as_deref() == Some("hear"))
    }
    fn hearing(&self) -> Choices<'_> {
        Choices::radios(
            "hearing",
            "Will the office consider this late appeal?",
            vec![Choice::new("hear", "Yes, consider it"), Choice::new("not-heard", "No, it is out of time")],
            Some(self.form.hearing.as_str()),
            &self.errors,
        )
    }
    fn outcome(&self) -> Choices<'_> {
        Choices::radios(
            "outcome",
            "Decision",
            vec![
                Choice::with_hint("upheld", "Upheld", "The review body is asked to look at the case again, with directions."),
                Choice::new("not-upheld", "Not upheld"),
            ],
            Some(self.form.outcome.as_str()),
            &self.errors,
        )
    }
    fn reasons(&self) -> Textarea<'_> {
        Textarea::new("reasons", "Reasons", &self.form.reasons, &self.errors).rows(4)
    }
    fn directions(&self) -> Textarea<'_> {
        Textarea::new("directions", "Directions to the review body (if upheld)", &self.form.directions, &self.errors).rows(3)
    }
    fn link(&self) -> TextInput<'_> {
        TextInput::new("application-reference", "Application reference", &self.form.application_reference, &self.errors)
            .width("govuk-input--width-20")
    }
}

async fn load_appeal(platform: &Platform, reference: &str) -> Result<StoredAppeal, AppError> {
    let reference: platform::reference::Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    appeal::find(platform.pool(), &reference.to_string()).await?.ok_or(AppError::NotFound)
}

async fn render_appeal(
    platform: &Platform,
    chrome: Chrome,
    appeal: StoredAppeal,
    form: ActionForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let calendar = calendar_of(platform).await?;
    let step = timescales::appeal_step(appeal.received(), appeal.decided(), &appeal.timescales(), &calendar);
    let status = step.status(today(), &calendar);
    let window_ends = db::parse_date(&appeal.decision_letter_on)
        .map(|d| calendar::long_date(timescales::appeal_window_ends(d, &appeal.timescales(), &calendar)))
        .unwrap_or_default();
    let files = files::files_of(platform.pool(), store::APPEAL_FILES, &appeal.id).await?;
    let letters = store::letters_of(platform.pool(), "appeal", &appeal.id).await?;
    let code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = AppealCasePage {
        chrome: chrome.with_errors(!errors.is_empty()),
        appeal,
        step,
        status,
        window_ends,
        files,
        letters,
        form,
        errors,
    };
    Ok((code, render(&page)?).into_response())
}

async fn appeal_page(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    let appeal = load_appeal(&platform, &reference).await?;
    let event = Event { action: "viewed", record_type: "ASB case review appeal", record_id: &appeal.reference, detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    render_appeal(&platform, chrome, appeal, ActionForm::default(), FormErrors::new()).await
}

/// A column to set, and its new value.
type Column = (&'static str, Option<String>);
/// The placeholders of a letter, filled.
type LetterValues = Vec<(&'static str, String)>;

async fn act_on_appeal(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let appeal = load_appeal(&platform, &reference).await?;
    let pool = platform.pool();
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let office = platform.office().await?;
    let mut errors = FormErrors::new();
    let undecided = "outcome IS NULL";
    let (sets, audit_action, letter): (Vec<Column>, &str, Option<LetterValues>) = match action.as_str() {
        "link" => {
            let linked = match form.application_reference.parse::<platform::reference::Reference>() {
                Ok(r) => store::find_application(pool, &r.to_string()).await?,
                Err(_) => None,
            };
            match linked {
                Some(application) => (
                    vec![
                        ("application_id", Some(application.id.clone())),
                        ("review_body_id", Some(application.review_body_id.clone())),
                    ],
                    "linked to application",
                    None,
                ),
                None => {
                    errors.add(
                        "application-reference",
                        "Enter the reference of an application in Commissioner, like ASB-2026-000042",
                    );
                    (Vec::new(), "", None)
                }
            }
        }
        "hearing" => {
            if !matches!(form.hearing.as_str(), "hear" | "not-heard") {
                errors.add("hearing", "Select whether the office will consider the appeal");
            }
            let reasons = if form.hearing == "not-heard" {
                required(&mut errors, "reasons", &form.reasons, "Enter why the appeal cannot be considered", 5000)
            } else {
                form.reasons.trim().to_string()
            };
            if appeal.in_time != 0 || appeal.hearing_decision.is_some() {
                errors.add("hearing", "This appeal does not need a decision on whether to consider it");
            }
            if form.hearing == "not-heard" {
                let mut values = vec![
                    ("name", appeal.full_name.clone()),
                    ("reference", appeal.reference.clone()),
                    ("office", office.name.clone()),
                ];
                values.push(("decision", "we cannot consider your appeal because it arrived after the time limit".into()));
                values.push(("reasons", reasons.clone()));
                values.push(("directions", String::new()));
                (
                    vec![
                        ("hearing_decision", Some("not-heard".into())),
                        ("outcome", Some("not-heard".into())),
                        ("reasons", Some(reasons)),
                        ("decided_on", Some(db::date(today))),
                        ("decided_by", Some(staff.user.email.clone())),
                    ],
                    "decided not to hear",
                    Some(values),
                )
            } else {
                (vec![("hearing_decision", Some("hear".into()))], "decided to hear", None)
            }
        }
        "decide" => {
            if !matches!(form.outcome.as_str(), "upheld" | "not-upheld") {
                errors.add("outcome", "Select the decision");
            }
            let reasons = required(&mut errors, "reasons", &form.reasons, "Enter the reasons for the decision", 5000);
            let directions = if form.outcome == "upheld" {
                required(&mut errors, "directions", &form.directions, "Enter what the review body must do again", 5000)
            } else {
                String::new()
            };
            if appeal.in_time == 0 && appeal.hearing_decision.as_deref() != Some("hear") {
                errors.add("outcome", "Decide first whether to consider this late appeal");
            }
            let mut values = vec![
                ("name", appeal.full_name.clone()),
                ("reference", appeal.reference.clone()),
                ("office", office.name.clone()),
            ];
            values.push((
                "decision",
                if form.outcome == "upheld" { "your appeal is upheld".into() } else { "your appeal is not upheld".into() },
            ));
            values.push(("reasons", reasons.clone()));
            values.push((
                "directions",
                if directions.is_empty() {
                    String::new()
                } else {
                    format!(
                        "We have asked {} to look at your case again. We have told them: {directions}",
                        appeal.review_body_name
                    )
                },
            ));
            (
                vec![
                    ("outcome", Some(form.outcome.clone())),
                    ("reasons", Some(reasons)),
                    ("directions", (!directions.is_empty()).then_some(directions)),
                    ("decided_on", Some(db::date(today))),
                    ("decided_by", Some(staff.user.email.clone())),
                ],
                "decided appeal",
                Some(values),
            )
        }
        _ => return Err(AppError::NotFound),
    };
    if !errors.is_empty() {
        return render_appeal(&platform, chrome, appeal, form, errors).await;
    }
    let mut sql = String::from("UPDATE casework_asb_appeal SET ");
    sql.push_str(&sets.iter().enumerate().map(|(i, (c, _))| format!("{c} = ${}", i + 1)).collect::<Vec<_>>().join(", "));
    sql.push_str(&format!(" WHERE id = ${} AND {undecided}", sets.len() + 1));
    let mut tx = platform::db::begin_write(pool).await?;
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (_, value) in &sets {
        query = query.bind(value.clone());
    }
    let changed = query.bind(&appeal.id).execute(&mut *tx).await?.rows_affected() == 1;
    if !changed {
        tx.rollback().await?;
        let mut errors = FormErrors::new();
        errors.add("outcome", "This appeal has been decided since you opened it.");
        let fresh = load_appeal(&platform, &appeal.reference).await?;
        return render_appeal(&platform, chrome, fresh, form, errors).await;
    }
    let detail = form.outcome.clone();
    audit::record(
        &mut tx,
        &staff.actor(),
        Event { action: audit_action, record_type: "ASB case review appeal", record_id: &appeal.reference, detail: &detail },
        now,
    )
    .await?;
    if let Some(values) = letter {
        let letter = letters::compose(pool, &super::letters::KINDS, "appeal-decision", &values).await?;
        let email = (appeal.contact_method == "email").then(|| appeal.email.clone()).flatten();
        store::record_letter(&mut tx, platform.settings(), "appeal", &appeal.id, &letter, email.as_deref(), &staff.actor(), now)
            .await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/asb-appeals/{}", appeal.reference)).into_response())
}

async fn download_appeal_file(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let appeal = load_appeal(&platform, &reference).await?;
    let owner = (store::APPEAL_FILES, appeal.id.as_str());
    platform::web::download_record_file(&platform, &staff.actor(), owner, &file_id, ("ASB case review appeal", &appeal.reference))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn row(reference: &str, due: Option<Date>, status: Option<StepStatus>) -> QueueRow {
        QueueRow {
            reference: reference.into(),
            received_on: "2026-11-01".into(),
            district: String::new(),
            review_body: String::new(),
            stage: Stage::Received,
            next: due.map(|due_on| Step { kind: timescales::StepKind::Acknowledge, due_on, done_on: None, rule: String::new() }),
            status,
            assignee: String::new(),
        }
    }

    #[test]
    fn overdue_cases_come_first_then_the_soonest_due() {
        let mut rows = vec![
            row("closed", None, None),
            row("later", Some(date!(2026 - 12 - 10)), Some(StepStatus::OnTrack)),
            row("overdue", Some(date!(2026 - 11 - 20)), Some(StepStatus::Overdue)),
            row("soon", Some(date!(2026 - 11 - 26)), Some(StepStatus::DueSoon)),
        ];
        queue_order(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.reference.as_str()).collect();
        assert_eq!(order, vec!["overdue", "soon", "later", "closed"]);
    }
}
