//! A request's page: its clock with the rule, the time logged, the response and its documents,
//! reviews and complaints, and the form every step is sent from.

use super::*;

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
    /// Why a subject access request needs two more months, as the requester is told.
    #[serde(rename = "extension-reason")]
    pub extension_reason: String,
    pub grounds: String,
    #[serde(rename = "ico-reference")]
    pub ico_reference: String,
    #[serde(rename = "appeal-outcome")]
    pub appeal_outcome: String,
    pub notes: String,
}

#[derive(Template)]
#[template(path = "information/staff_request.html")]
pub(super) struct RequestPage {
    chrome: Chrome,
    /// Staff by name, for "decided by", "checked by" and the like.
    names: platform::auth::store::StaffNames,
    moves: Vec<casekit::deadlines::Moved>,
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
        Choices::radios("appeal-outcome", "Outcome", Choice::each(list), Some(self.form.appeal_outcome.as_str()), &self.errors)
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
    fn extension_reason(&self) -> Textarea<'_> {
        Textarea::new("extension-reason", "Why more time is needed", &self.form.extension_reason, &self.errors)
            .rows(3)
            .max_chars(2000)
            .hint("For example, the request covers several years of records held in three systems. The requester is told this, with the new date, by email or letter.")
    }
    /// Subject access: the office asked for further proof of identity and it has not arrived.
    fn waiting_for_proof(&self) -> bool {
        let facts = self.request.facts();
        facts.identity_asked_on.is_some_and(|asked| facts.identity_received_on.is_none_or(|arrived| arrived < asked))
    }
    fn is_sar(&self) -> bool {
        self.request.kind() == RequestKind::SubjectAccess
    }
    /// Whom a subject access request is about: the requester, or the person they act for.
    fn subject(&self) -> &str {
        self.request.acting_for.as_deref().unwrap_or(&self.request.requester_name)
    }
    /// The cross-service search for the person a subject access request is about.
    fn people_search(&self) -> String {
        let mut query = vec![("name", self.subject())];
        // The requester's address and postcode identify the person only when they are the same.
        if self.request.acting_for.is_none() {
            query.extend(self.request.contact.email.as_deref().map(|e| ("email", e)));
            query.extend(self.request.contact.postcode.as_deref().map(|p| ("postcode", p)));
        }
        format!("/staff/people?{}", serde_html_form::to_string(&query).unwrap_or_default())
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
        crate::information::answers::format_name(&self.request.preferred_format)
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
        Choices::radios("outcome", "Outcome", Choice::each(&OUTCOMES), Some(self.form.outcome.as_str()), &self.errors)
            .legend_size("govuk-fieldset__legend--s")
    }
    fn exemptions(&self) -> Choices<'_> {
        Choices::checkboxes(
            "exemptions",
            "Exemptions cited (if any)",
            store::exemptions_for(self.request.kind())
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
            .hint("Say what is released, what is withheld and why, with the public interest test for a qualified exemption. The letter adds the documents released and the right to an internal review and to complain to the ICO, so do not write them here.")
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

/// What the request page says after each step (`casekit::done`).
const DONE: [(&str, &str); 19] = [
    ("assign-to-me", "You are now the request’s officer"),
    ("log-time", "Time logged"),
    ("ask-clarification", "Recorded: the requester was asked what they mean, and the clock has stopped"),
    ("clarified", "Recorded: the requester has replied, and the clock runs again"),
    ("fee-notice", "Recorded: a fees notice was sent, and the clock has stopped"),
    ("fee-paid", "Recorded: the fee is paid, and the clock runs again"),
    ("identity-confirmed", "Identity confirmed"),
    ("identity-asked", "Recorded: the requester was asked for more proof of identity"),
    ("identity-received", "Recorded: more proof of identity arrived, and the month runs from that day"),
    ("extend", "The time limit is extended"),
    ("treat-as-eir", "The request is now handled under the Environmental Information Regulations"),
    ("treat-as-foi", "The request is now handled under the Freedom of Information Act"),
    ("extend-public-interest", "Time added to consider the public interest"),
    ("response", "Response saved"),
    ("approve", "Response approved: it can be sent"),
    ("send", "Response sent to the requester"),
    ("publish", "Published in the disclosure log"),
    ("internal-review", "Internal review recorded"),
    ("ico-complaint", "Complaint to the Information Commissioner recorded"),
];

pub(super) async fn show(
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
    let moves = casekit::deadlines::moves_of(platform.pool(), &request.id).await?;
    let names = platform::auth::store::StaffNames::load(platform.pool()).await?;
    let page = RequestPage {
        names,
        chrome: chrome.with_errors(!errors.is_empty()),
        moves,
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
pub(super) struct StartFrom {
    /// A response template to start the draft from (`letters::RESPONSE_TEMPLATES`).
    template: String,
    /// The step just taken (`casekit::done`).
    done: String,
}

pub(super) async fn request_page(
    StaffPage { platform, chrome, staff }: StaffPage,
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
    if let Some(kind) = crate::information::letters::template_for(&start.template).and_then(crate::information::letters::kind) {
        form.response_text = casekit::letters::wording(platform.pool(), kind).await?.1;
        form.outcome = if start.template == "cost-limit" { "refused".into() } else { start.template.clone() };
        if start.template == "cost-limit" {
            form.exemptions = vec!["s.12".into()];
        }
    }
    let chrome = chrome.saying(casekit::done::said(&start.done, &DONE));
    show(&platform, chrome, request, form, FormErrors::new()).await
}
