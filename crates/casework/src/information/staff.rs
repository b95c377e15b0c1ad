//! The officers' side of information requests: the queue with each request's due date and the
//! rule behind it, and the request page where the clock is paused or extended, time is logged
//! against the appropriate limit, the response is drafted, approved, sent and published.
//! Handlers check the form and call the store, which audits every change.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::calendar::{self, Nation, WorkingDayCalendar};
use platform::db;
use platform::web::forms::{Choice, Choices, ErrorSummary, FormErrors, TextInput, Textarea};
use platform::web::{Form, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use casekit::change;

use super::appeals::{self, Appeal, ICO_OUTCOMES, REVIEW_OUTCOMES};
use super::clock::{self, Due, RequestKind};
use super::disclosure::{self, OUTCOMES};
use super::release::{self, MAX_DOCUMENTS, RESPONSE_FILES, Released};
use super::store::{
    self, APPROPRIATE_LIMIT_MINUTES, ClockColumn, EXEMPTIONS, InformationRequest, RECORD_TYPE, TimeEntry,
    exemption_needs_public_interest_test,
};

/// The roles that handle requests: the office's transparency officers, and administrators.
pub const HANDLERS: &[Role] = &[Role::Administrator, Role::TransparencyOfficer];
const BASE: &str = "/staff/information-requests";
/// GUIDANCE (the Fees Regulations 2004): staff time is costed at £25 an hour.
pub const POUNDS_PER_HOUR: i64 = 25;

pub fn routes() -> Routes {
    Routes::new()
        .route(BASE, Access::Roles(HANDLERS), get(queue))
        .route("/staff/information-requests/{reference}", Access::Roles(HANDLERS), get(request_page))
        .route("/staff/information-requests/{reference}/actions/{action}", Access::Roles(HANDLERS), post(act))
        // Uploads are bounded per file and in number by `add_files`, not by the body limit.
        .route(
            "/staff/information-requests/{reference}/documents",
            Access::Roles(HANDLERS),
            post(upload_documents).layer(DefaultBodyLimit::disable()),
        )
        .route("/staff/information-requests/{reference}/documents/{file_id}", Access::Roles(HANDLERS), get(download_document))
        .route(
            "/staff/information-requests/{reference}/documents/{file_id}/{action}",
            Access::Roles(HANDLERS),
            post(document_action),
        )
        .route("/staff/information-requests/{reference}/files/{file_id}", Access::Roles(HANDLERS), get(download_request_file))
        .route("/staff/information-requests/{reference}/appeals/{appeal_id}", Access::Roles(HANDLERS), post(decide_appeal))
        .route("/staff/information-requests/{reference}/letters/{letter_id}", Access::Roles(HANDLERS), get(letter_page))
        .route("/staff/information-requests/{reference}/letters/{letter_id}/pdf", Access::Roles(HANDLERS), get(letter_pdf))
}

struct Calendars {
    foi: WorkingDayCalendar,
    local: WorkingDayCalendar,
}

async fn calendars(platform: &Platform) -> Result<Calendars, AppError> {
    Ok(Calendars {
        foi: calendar::store::freedom_of_information(platform.pool()).await?,
        local: calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?,
    })
}

pub struct QueueRow {
    pub request: InformationRequest,
    pub due: Due,
    pub overdue: bool,
}

impl QueueRow {
    fn due_text(&self) -> String {
        match &self.due {
            Due::On { due_on, .. } => calendar::long_date(*due_on),
            Due::Stopped { why } => why.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "information/queue.html")]
struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
}

impl QueuePage {
    fn stage(&self, slug: &str) -> String {
        store::stage_name(slug).to_string()
    }
    fn long_date(&self, text: &str) -> String {
        db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
}

async fn queue(State(platform): State<Platform>, chrome: Chrome, staff: CurrentStaff) -> Result<Response, AppError> {
    let calendars = calendars(&platform).await?;
    let today = calendar::uk_local_date(OffsetDateTime::now_utc());
    let mut rows: Vec<QueueRow> = store::queue(platform.pool())
        .await?
        .into_iter()
        .map(|request| {
            let due = request.due(&calendars.foi, &calendars.local);
            let overdue = request.is_open() && due.date().is_some_and(|d| d < today);
            QueueRow { request, due, overdue }
        })
        .collect();
    // Overdue first, then by due date; answered ones last.
    rows.sort_by_key(|r| (!r.request.is_open(), !r.overdue, r.due.date().unwrap_or(time::Date::MAX)));
    let detail = format!("{} requests listed", rows.len());
    audit::record_now(
        platform.pool(),
        &staff.actor(),
        Event { action: "listed", record_type: RECORD_TYPE, record_id: "-", detail: &detail },
    )
    .await?;
    render(&QueuePage { chrome, rows })
}

/// Every field any action on the request page can send.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub minutes: String,
    pub activity: String,
    pub days: String,
    pub outcome: String,
    pub exemptions: Vec<String>,
    #[serde(rename = "response-text")]
    pub response_text: String,
    pub title: String,
    pub topic: String,
    pub reason: String,
    pub grounds: String,
    #[serde(rename = "ico-reference")]
    pub ico_reference: String,
    #[serde(rename = "appeal-outcome")]
    pub appeal_outcome: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "information/staff_request.html")]
struct RequestPage {
    chrome: Chrome,
    request: InformationRequest,
    due: Due,
    time: Vec<TimeEntry>,
    documents: Vec<Released>,
    letters: Vec<casekit::letters::Letter>,
    /// Files sent with the request: a subject access request's proof of identity.
    sent_files: Vec<platform::files::StoredFile>,
    appeals: Vec<Appeal>,
    foi_calendar: WorkingDayCalendar,
    form: ActionForm,
    errors: FormErrors,
}

impl RequestPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn long_date(&self, text: &str) -> String {
        db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
    fn minutes_logged(&self) -> i64 {
        self.time.iter().map(|t| t.minutes).sum()
    }
    fn hours_logged(&self) -> String {
        format!("{:.1}", self.minutes_logged() as f64 / 60.0)
    }
    fn cost_logged(&self) -> i64 {
        self.minutes_logged() * POUNDS_PER_HOUR / 60
    }
    fn over_limit(&self) -> bool {
        self.minutes_logged() > APPROPRIATE_LIMIT_MINUTES
    }
    fn outcome_name(&self) -> String {
        disclosure::outcome_name(self.request.outcome.as_deref().unwrap_or_default()).to_string()
    }
    fn templates(&self) -> Vec<(&'static str, &'static str)> {
        vec![
            ("disclosed", "disclosed in full"),
            ("part-disclosed", "disclosed in part"),
            ("refused", "refused"),
            ("not-held", "not held"),
            ("cost-limit", "over the cost limit"),
        ]
    }
    fn letter_date(&self, letter: &casekit::letters::Letter) -> String {
        db::parse_timestamp(&letter.created_at).map(calendar::uk_local_date).map(calendar::long_date).unwrap_or_default()
    }
    fn appeal_due(&self, appeal: &Appeal) -> String {
        match (appeal.is_review(), appeal.received()) {
            (true, Some(received)) => {
                let (due, _, rule) = appeals::review_due(received, &self.foi_calendar);
                format!("Due by {}: {rule}", calendar::long_date(due))
            }
            _ => String::new(),
        }
    }
    /// An internal review asked for later than the 40 working days the office gives.
    fn asked_late(&self, appeal: &Appeal) -> bool {
        let responded = self.request.responded_on.as_deref().and_then(db::parse_date);
        match (appeal.is_review(), responded, appeal.received()) {
            (true, Some(responded), Some(asked)) => !appeals::asked_in_time(responded, asked, &self.foi_calendar),
            _ => false,
        }
    }
    fn appeal_outcome_name(&self, slug: &str) -> String {
        appeals::outcome_name(slug).to_string()
    }
    fn appeal_outcomes(&self, appeal: &Appeal) -> Choices<'_> {
        let list = if appeal.is_review() { &REVIEW_OUTCOMES[..] } else { &ICO_OUTCOMES[..] };
        Choices::radios(
            "appeal-outcome",
            "Outcome",
            list.iter().map(|(slug, name)| Choice::new(slug, name)).collect(),
            Some(self.form.appeal_outcome.as_str()),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--s")
    }
    fn notes(&self) -> Textarea<'_> {
        Textarea::new("notes", "Notes (optional)", &self.form.notes, &self.errors).rows(3).max_chars(5000)
    }
    fn grounds(&self) -> Textarea<'_> {
        Textarea::new("grounds", "What is the requester unhappy about?", &self.form.grounds, &self.errors).rows(4).max_chars(5000)
    }
    fn ico_reference(&self) -> TextInput<'_> {
        TextInput::new(
            "ico-reference",
            "The ICO’s case reference (for a complaint to the ICO)",
            &self.form.ico_reference,
            &self.errors,
        )
        .width("govuk-input--width-20")
    }
    fn is_sar(&self) -> bool {
        self.request.kind() == RequestKind::SubjectAccess
    }
    fn is_foi(&self) -> bool {
        self.request.kind() == RequestKind::Foi
    }
    fn regime(&self) -> &'static str {
        match self.request.kind() {
            RequestKind::Foi => "Freedom of Information Act",
            RequestKind::Eir => "Environmental Information Regulations",
            RequestKind::SubjectAccess => "Subject access (UK GDPR)",
        }
    }
    fn period(&self) -> String {
        let day = |d: &Option<String>| d.as_deref().and_then(db::parse_date).map(calendar::long_date);
        match (day(&self.request.sar_from), day(&self.request.sar_to)) {
            (None, None) => "All the time we may hold".into(),
            (Some(from), None) => format!("From {from}"),
            (None, Some(to)) => format!("Up to {to}"),
            (Some(from), Some(to)) => format!("{from} to {to}"),
        }
    }
    fn format(&self) -> &str {
        super::answers::format_name(&self.request.preferred_format)
    }
    fn due_on(&self, date: &time::Date) -> String {
        calendar::long_date(*date)
    }
    fn exemption_list(&self) -> String {
        self.request.exemption_codes().join(", ")
    }
    fn minutes(&self) -> TextInput<'_> {
        TextInput::new("minutes", "Minutes spent", &self.form.minutes, &self.errors)
            .width("govuk-input--width-4")
            .input_type("text")
    }
    fn activity(&self) -> TextInput<'_> {
        TextInput::new("activity", "What was done", &self.form.activity, &self.errors)
            .hint("For example, searched the finance system for 2025 invoices.")
    }
    fn days(&self) -> TextInput<'_> {
        TextInput::new("days", "Working days to add", &self.form.days, &self.errors)
            .width("govuk-input--width-4")
            .hint("At most 20, as the ICO expects.")
    }
    fn outcome(&self) -> Choices<'_> {
        Choices::radios(
            "outcome",
            "Outcome",
            OUTCOMES.iter().map(|(slug, name)| Choice::new(slug, name)).collect(),
            Some(self.form.outcome.as_str()),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--s")
    }
    fn exemptions(&self) -> Choices<'_> {
        Choices::checkboxes(
            "exemptions",
            "Exemptions cited (if any)",
            EXEMPTIONS
                .iter()
                .map(|(code, name, qualified)| {
                    if *qualified {
                        Choice::with_hint(code, name, "Qualified: the public interest test applies.")
                    } else {
                        Choice::new(code, name)
                    }
                })
                .collect(),
            self.form.exemptions.iter().map(String::as_str).collect(),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--s")
    }
    fn response_text(&self) -> Textarea<'_> {
        Textarea::new("response-text", "The response", &self.form.response_text, &self.errors)
            .rows(10)
            .max_chars(20_000)
            .hint("Say what is released, what is withheld and why, with the public interest test for a qualified exemption, and the right to an internal review and to complain to the ICO.")
    }
    fn title(&self) -> TextInput<'_> {
        TextInput::new("title", "Title in the disclosure log", &self.form.title, &self.errors)
    }
    fn unconfirmed(&self) -> usize {
        self.documents.iter().filter(|d| d.needs_confirming()).count()
    }
    fn topic(&self) -> TextInput<'_> {
        TextInput::new("topic", "Topic", &self.form.topic, &self.errors)
            .width("govuk-input--width-20")
            .hint("For example, Finance, Crime or Contracts.")
    }
}

async fn load(platform: &Platform, reference: &str) -> Result<InformationRequest, AppError> {
    if reference.len() > 40 {
        return Err(AppError::NotFound);
    }
    store::find(platform.pool(), reference).await?.ok_or(AppError::NotFound)
}

async fn show(
    platform: &Platform,
    chrome: Chrome,
    request: InformationRequest,
    form: ActionForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let calendars = calendars(platform).await?;
    let due = request.due(&calendars.foi, &calendars.local);
    let time = store::time_of(platform.pool(), &request.id).await?;
    let documents = release::documents_of(platform.pool(), &request.id).await?;
    let letters = casekit::letters::letters_of(platform.pool(), store::LETTER_CASE, &request.id).await?;
    let sent_files = platform::files::files_of(platform.pool(), store::REQUEST_FILES, &request.id).await?;
    let appeals = appeals::appeals_of(platform.pool(), &request.id).await?;
    let status = if errors.for_field("case") == Some(change::MOVED_ON) {
        StatusCode::CONFLICT
    } else if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = RequestPage {
        chrome: chrome.with_errors(!errors.is_empty()),
        request,
        due,
        time,
        documents,
        letters,
        sent_files,
        appeals,
        foi_calendar: calendars.foi,
        form,
        errors,
    };
    Ok((status, render(&page)?).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StartFrom {
    /// A response template to start the draft from (`letters::RESPONSE_TEMPLATES`).
    template: String,
}

async fn request_page(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path(reference): Path<String>,
    Query(start): Query<StartFrom>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    // The requester's details are personal data: each look is recorded.
    let event = Event { action: "viewed", record_type: RECORD_TYPE, record_id: &request.reference, detail: "request page" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    let mut form = ActionForm {
        outcome: request.outcome.clone().unwrap_or_default(),
        exemptions: request.exemption_codes(),
        response_text: request.response_text.clone().unwrap_or_default(),
        title: request.title(),
        ..ActionForm::default()
    };
    // Starting from a template replaces the unsaved text only; nothing is saved until the officer does.
    if let Some(kind) = super::letters::template_for(&start.template).and_then(super::letters::kind) {
        form.response_text = casekit::letters::wording(platform.pool(), kind).await?.1;
        form.outcome = if start.template == "cost-limit" { "refused".into() } else { start.template.clone() };
        if start.template == "cost-limit" {
            form.exemptions = vec!["s.12".into()];
        }
    }
    show(&platform, chrome, request, form, FormErrors::new()).await
}

/// Checks an action's form; `Err` holds the messages to show.
fn check_minutes(form: &ActionForm) -> Result<TimeEntry, FormErrors> {
    let mut errors = FormErrors::new();
    let minutes = form.minutes.trim().parse::<i64>().ok().filter(|m| (1..=24 * 60).contains(m));
    if minutes.is_none() {
        errors.add("minutes", "Enter the minutes spent as a whole number from 1 to 1440");
    }
    let activity = form.activity.trim();
    if activity.is_empty() {
        errors.add("activity", "Enter what was done");
    } else if activity.chars().count() > 500 {
        errors.add("activity", "What was done must be 500 characters or fewer");
    }
    match minutes {
        Some(minutes) if errors.is_empty() => {
            Ok(TimeEntry { logged_on: String::new(), minutes, activity: activity.to_string(), logged_by: String::new() })
        }
        _ => Err(errors),
    }
}

fn check_response(form: &ActionForm) -> Result<store::Response, FormErrors> {
    let mut errors = FormErrors::new();
    if !OUTCOMES.iter().any(|(slug, _)| *slug == form.outcome) {
        errors.add("outcome", "Select the outcome");
    }
    let exemptions: Vec<String> =
        form.exemptions.iter().filter(|c| EXEMPTIONS.iter().any(|(code, _, _)| code == c)).cloned().collect();
    if (form.outcome == "refused" || form.outcome == "part-disclosed") && exemptions.is_empty() {
        errors.add("exemptions", "Select the exemptions that allow the information to be withheld");
    }
    if form.outcome == "disclosed" && !exemptions.is_empty() {
        errors.add(
            "exemptions",
            "Information disclosed in full cites no exemption: clear the exemptions or choose “Disclosed in part”",
        );
    }
    let text = form.response_text.replace("\r\n", "\n").trim().to_string();
    if text.is_empty() {
        errors.add("response-text", "Enter the response");
    } else if text.chars().count() > 20_000 {
        errors.add("response-text", "The response must be 20,000 characters or fewer");
    } else if exemptions.iter().any(|c| exemption_needs_public_interest_test(c))
        && !text.to_lowercase().contains("public interest")
    {
        errors
            .add("response-text", "A qualified exemption needs the public interest test: say in the response how it was weighed");
    }
    if errors.is_empty() {
        Ok(store::Response { outcome: form.outcome.clone(), exemptions, response_text: text })
    } else {
        Err(errors)
    }
}

async fn act(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    let pool = platform.pool();
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let actor = staff.actor();
    let today_text = Some(db::date(today));
    let result: Result<(), FormErrors> = match action.as_str() {
        "assign-to-me" => {
            store::assign(pool, &request, &staff.user.display_name, &actor, now).await?;
            Ok(())
        }
        "log-time" => match check_minutes(&form) {
            Ok(mut entry) => {
                entry.logged_on = db::date(today);
                entry.logged_by = staff.user.display_name.clone();
                store::log_time(pool, &request, &entry, &actor, now).await?;
                Ok(())
            }
            Err(errors) => Err(errors),
        },
        "ask-clarification" | "clarified" | "fee-notice" | "fee-paid" if request.is_open() => {
            let column = match action.as_str() {
                "ask-clarification" => ClockColumn::ClarificationAsked,
                "clarified" => ClockColumn::Clarified,
                "fee-notice" => ClockColumn::FeeNotice,
                _ => ClockColumn::FeePaid,
            };
            moved_on_unless(store::set_clock_fact(pool, &request, column, today_text, &actor, now).await?)
        }
        "identity-confirmed" if request.is_open() && request.kind() == RequestKind::SubjectAccess => {
            store::confirm_identity(pool, &request, today, &actor, now).await?;
            Ok(())
        }
        // A subject access request by two months; an EIR request to 40 working days.
        "extend" if request.is_open() && request.extended == 0 && request.kind() != RequestKind::Foi => {
            moved_on_unless(store::set_clock_fact(pool, &request, ClockColumn::Extended, Some("1".into()), &actor, now).await?)
        }
        "treat-as-eir" if request.is_open() && request.kind() == RequestKind::Foi => {
            store::set_kind(pool, &request, RequestKind::Eir, &actor, now).await?;
            Ok(())
        }
        "treat-as-foi" if request.is_open() && request.kind() == RequestKind::Eir => {
            store::set_kind(pool, &request, RequestKind::Foi, &actor, now).await?;
            Ok(())
        }
        "extend-public-interest" if request.is_open() && request.kind() == RequestKind::Foi => {
            match form
                .days
                .trim()
                .parse::<u32>()
                .map_err(|_| "Enter how many working days to extend by, from 1 to 20".to_string())
                .and_then(clock::check_public_interest_days)
            {
                Ok(days) => {
                    let days = Some(days.to_string());
                    moved_on_unless(
                        store::set_clock_fact(pool, &request, ClockColumn::PublicInterestDays, days, &actor, now).await?,
                    )
                }
                Err(message) => {
                    let mut errors = FormErrors::new();
                    errors.add("days", message);
                    Err(errors)
                }
            }
        }
        "response" if request.is_open() => match check_response(&form) {
            Ok(response) => {
                store::save_response(pool, &request, &response, &actor, now).await?;
                Ok(())
            }
            Err(errors) => Err(errors),
        },
        "approve" if request.is_open() && request.response_text.is_some() => {
            moved_on_unless(store::approve(pool, &request, &staff.user.display_name, &actor, now, today).await?)
        }
        "send" if request.is_open() && request.approved_on.is_some() => {
            let office = platform.office().await?;
            let values = [
                ("name", request.requester_name.clone()),
                ("reference", request.reference.clone()),
                ("office", office.name.clone()),
                ("received", db::parse_date(&request.received_on).map(calendar::long_date).unwrap_or_default()),
                ("response", request.response_text.clone().unwrap_or_default()),
            ];
            let letter = casekit::letters::compose(pool, &super::letters::KINDS, "information-response", &values).await?;
            moved_on_unless(store::send(pool, &request, &letter, &actor, now, today, platform.settings()).await?)
        }
        // Subject access answers are personal: never published.
        "publish"
            if request.responded_on.is_some() && request.stage != "published" && request.kind() != RequestKind::SubjectAccess =>
        {
            let mut errors = FormErrors::new();
            let title = form.title.trim();
            let topic = form.topic.trim();
            if title.is_empty() || title.chars().count() > 200 {
                errors.add("title", "Enter a title of 200 characters or fewer");
            }
            if topic.is_empty() || topic.chars().count() > 60 {
                errors.add("topic", "Enter a topic of 60 characters or fewer");
            }
            let unconfirmed = release::documents_of(pool, &request.id).await?.iter().filter(|d| d.needs_confirming()).count();
            if unconfirmed > 0 {
                errors.add(
                    "documents",
                    format!("{unconfirmed} of the documents may hide data: confirm each is safe, or remove it and upload a fixed copy, before publishing"),
                );
            }
            if errors.is_empty() {
                moved_on_unless(store::publish(pool, &request, title, topic, &actor, now).await?.is_some())
            } else {
                Err(errors)
            }
        }
        "internal-review" | "ico-complaint" if request.responded_on.is_some() => {
            let mut errors = FormErrors::new();
            let grounds = form.grounds.replace("\r\n", "\n").trim().to_string();
            if grounds.is_empty() || grounds.chars().count() > 5000 {
                errors.add("grounds", "Enter what the requester is unhappy about, in 5,000 characters or fewer");
            }
            let ico_reference = form.ico_reference.trim();
            if action == "ico-complaint" && (ico_reference.is_empty() || ico_reference.chars().count() > 40) {
                errors.add("ico-reference", "Enter the ICO’s case reference, for example IC-123456-A1B2");
            }
            if errors.is_empty() {
                let (kind, external) =
                    if action == "ico-complaint" { ("ico", Some(ico_reference)) } else { ("internal-review", None) };
                appeals::open(pool, &request, kind, today, external, &grounds, &actor, now).await?;
                Ok(())
            } else {
                Err(errors)
            }
        }
        // A step of an open request, taken after someone else answered it (or publishing what
        // someone else published): told so, not "not found".
        late if (WHILE_OPEN.contains(&late) && !request.is_open()) || (late == "publish" && request.stage == "published") => {
            Err(change::moved_on())
        }
        _ => return Err(AppError::NotFound),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("{BASE}/{}", request.reference)).into_response()),
        Err(errors) => show(&platform, chrome, request, form, errors).await,
    }
}

/// The actions taken only while a request is unanswered.
const WHILE_OPEN: [&str; 12] = [
    "ask-clarification",
    "clarified",
    "fee-notice",
    "fee-paid",
    "identity-confirmed",
    "extend",
    "treat-as-eir",
    "treat-as-foi",
    "extend-public-interest",
    "response",
    "approve",
    "send",
];

/// Done, or the request moved on before the change could be made.
fn moved_on_unless(done: bool) -> Result<(), FormErrors> {
    if done { Ok(()) } else { Err(change::moved_on()) }
}

#[derive(Debug, Default, Deserialize)]
struct NoFields {}

async fn upload_documents(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path(reference): Path<String>,
    upload: Request,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    if request.stage == "published" {
        let mut errors = FormErrors::new();
        errors.add("documents", "The response is published: documents can no longer be added");
        return show(&platform, chrome, request, ActionForm::default(), errors).await;
    }
    let (_, errors): (NoFields, _) =
        casekit::uploads::add_files(&platform, upload, (RESPONSE_FILES, &request.id), MAX_DOCUMENTS, "documents").await?;
    release::check_new(&platform, &request, &staff.actor()).await?;
    if errors.is_empty() {
        return Ok(Redirect::to(&format!("{BASE}/{}#documents-to-release", request.reference)).into_response());
    }
    show(&platform, chrome, request, ActionForm::default(), errors).await
}

async fn download_document(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    platform::web::download_record_file(
        &platform,
        &staff.actor(),
        (RESPONSE_FILES, &request.id),
        &file_id,
        (RECORD_TYPE, &request.reference),
    )
    .await
}

async fn document_action(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, file_id, action)): Path<(String, String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    let pool = platform.pool();
    let now = OffsetDateTime::now_utc();
    let actor = staff.actor();
    let done = match action.as_str() {
        "confirm" => release::confirm(pool, &request, &file_id, &staff.user.display_name, &actor, now).await?,
        "remove" if request.stage != "published" => release::remove(pool, &request, &file_id, &actor, now).await?,
        "withdraw" => {
            let reason = form.reason.trim();
            if reason.is_empty() || reason.chars().count() > 500 {
                let mut errors = FormErrors::new();
                errors.add("reason", "Enter why the document is being withdrawn, in 500 characters or fewer");
                return show(&platform, chrome, request, form, errors).await;
            }
            release::withdraw(pool, &request, &file_id, reason, &actor, now).await?
        }
        _ => false,
    };
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("{BASE}/{}#documents-to-release", request.reference)).into_response())
}

async fn addressed(
    platform: &Platform,
    staff: &CurrentStaff,
    reference: &str,
    letter_id: &str,
) -> Result<casekit::letters::AddressedLetter, AppError> {
    let request = load(platform, reference).await?;
    let applicant = (request.requester_name.clone(), request.postal_address.clone(), request.postcode.clone());
    casekit::letters::AddressedLetter::find(
        platform.pool(),
        &staff.actor(),
        (store::LETTER_CASE, &request.id),
        (RECORD_TYPE, &request.reference),
        letter_id,
        format!("{BASE}/{}", request.reference),
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

async fn download_request_file(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    platform::web::download_record_file(
        &platform,
        &staff.actor(),
        (store::REQUEST_FILES, &request.id),
        &file_id,
        (RECORD_TYPE, &request.reference),
    )
    .await
}

async fn decide_appeal(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, appeal_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    let appeal = appeals::appeals_of(platform.pool(), &request.id)
        .await?
        .into_iter()
        .find(|a| a.id == appeal_id && a.outcome.is_none())
        .ok_or(AppError::NotFound)?;
    let list = if appeal.is_review() { &REVIEW_OUTCOMES[..] } else { &ICO_OUTCOMES[..] };
    let notes = form.notes.trim().to_string();
    let mut errors = FormErrors::new();
    if !list.iter().any(|(slug, _)| *slug == form.appeal_outcome) {
        errors.add("appeal-outcome", "Select the outcome");
    }
    if notes.chars().count() > 5000 {
        errors.add("notes", "Notes must be 5,000 characters or fewer");
    }
    if !errors.is_empty() {
        return show(&platform, chrome, request, form, errors).await;
    }
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    appeals::decide(platform.pool(), &request, &appeal.id, &form.appeal_outcome, &notes, today, &staff.actor(), now).await?;
    Ok(Redirect::to(&format!("{BASE}/{}#after-the-answer", request.reference)).into_response())
}
