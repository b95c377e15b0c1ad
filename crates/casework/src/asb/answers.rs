//! The applicant's answers, page by page, and the rules each page's answer must meet. Pure:
//! the journey's handlers only read forms, call these and store the result.

use casekit::applying_for::ApplyingFor;
use casekit::journey::Questions;
use platform::contact::{ContactAnswers, ContactForm, ContactWords};
use platform::postcode::Postcode;
use platform::web::forms::{DateParts, DatePartsInError, FormErrors, past_date_field};
use serde::{Deserialize, Serialize};
use time::Date;

/// Longest description of one incident, and of needs.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
/// More incidents than this is a sign of a pasted log: the form asks for the rest as a file.
pub const MAX_INCIDENTS: usize = 20;

/// Who the behaviour was reported to.
pub const AGENCIES: [(&str, &str); 5] = [
    ("police", "Police"),
    ("council", "Council"),
    ("housing", "Housing provider or landlord"),
    ("health", "Health service"),
    ("other", "Someone else"),
];

pub fn agency_name(slug: &str) -> &str {
    AGENCIES.iter().find(|(s, _)| *s == slug).map(|(_, n)| *n).unwrap_or(slug)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Incident {
    pub occurred_on: String,
    pub reported_on: String,
    pub reported_to: String,
    pub agency_reference: String,
    pub reporter: String,
    pub description: String,
}

impl Incident {
    pub fn occurred(&self) -> Option<Date> {
        platform::db::parse_date(&self.occurred_on)
    }
    pub fn reported(&self) -> Option<Date> {
        platform::db::parse_date(&self.reported_on)
    }
}

/// Everything asked, as answered so far; a field is empty until its page is answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplicationAnswers {
    pub applying_as: String,
    pub relationship: String,
    pub victim_consents: bool,
    pub victim_kind: String,
    pub victim_name: String,
    pub district_id: String,
    pub location_address: String,
    pub location_postcode: String,
    pub incidents: Vec<Incident>,
    pub incidents_done: bool,
    pub continuing: String,
    pub hate: String,
    pub applicant_name: String,
    #[serde(flatten)]
    pub contact: ContactAnswers,
    pub needs: String,
    pub needs_answered: bool,
    pub evidence_done: bool,
    pub consent: bool,
}

/// Whether the applicant is the victim or applies for them.
pub const APPLYING_FOR: ApplyingFor = ApplyingFor {
    question: "Are you the victim of the anti-social behaviour?",
    for_self: ("victim", "Yes, I am applying for myself, my business or my group"),
    for_someone_else: (
        "on-behalf",
        "No, I am applying for someone else",
        "For example a relative, a carer, a councillor or an MP. They must agree to you applying.",
    ),
    unanswered: "Select whether you are the victim or applying for someone else",
    relationship: (
        "How do you know the person you are applying for?",
        "For example, their daughter, their support worker or their local councillor.",
    ),
    relationship_missing: "Enter how you know the person you are applying for",
};

casekit::journey_pages! {
    /// The question pages, in order.
    pub enum Question {
        Applicant = "applicant", OnBehalf = "on-behalf", Victim = "victim", Location = "location",
        Incidents = "incidents", Continuing = "continuing", Hate = "hate", Contact = "contact",
        Needs = "needs", Evidence = "evidence", Consent = "consent", Check = "check",
    }
}

impl Questions for Question {
    type Answers = ApplicationAnswers;
    const CHECK: Question = Question::Check;

    /// Whether this page is asked, given the answers so far.
    fn applies(self, answers: &ApplicationAnswers, _today: Date) -> bool {
        self != Question::OnBehalf || APPLYING_FOR.for_someone_else(&answers.applying_as)
    }

    fn is_answered(self, answers: &ApplicationAnswers) -> bool {
        match self {
            Question::Applicant => !answers.applying_as.is_empty(),
            Question::OnBehalf => answers.victim_consents,
            Question::Victim => !answers.victim_kind.is_empty() && !answers.victim_name.is_empty(),
            Question::Location => !answers.district_id.is_empty() && !answers.location_postcode.is_empty(),
            Question::Incidents => answers.incidents_done && !answers.incidents.is_empty(),
            Question::Continuing => !answers.continuing.is_empty(),
            Question::Hate => !answers.hate.is_empty(),
            Question::Contact => !answers.applicant_name.is_empty() && !answers.contact.contact_method.is_empty(),
            Question::Needs => answers.needs_answered,
            Question::Evidence => answers.evidence_done,
            Question::Consent => answers.consent,
            Question::Check => false,
        }
    }
}

/// One page's form fields, all optional text as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PageForm {
    #[serde(rename = "applying-as")]
    pub applying_as: String,
    pub relationship: String,
    #[serde(rename = "victim-consents")]
    pub victim_consents: String,
    #[serde(rename = "victim-kind")]
    pub victim_kind: String,
    #[serde(rename = "victim-name")]
    pub victim_name: String,
    pub district: String,
    #[serde(rename = "location-address")]
    pub location_address: String,
    #[serde(rename = "location-postcode")]
    pub location_postcode: String,
    #[serde(rename = "add-another")]
    pub add_another: String,
    pub continuing: String,
    pub hate: String,
    #[serde(flatten)]
    pub contact: ContactForm,
    pub needs: String,
    pub consent: String,
    /// "yes" when the page was opened from the check-answers page, to go back there after.
    pub changing: String,
}

fn one_of(value: &str, allowed: &[&str]) -> bool {
    allowed.contains(&value)
}

fn tidy(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

fn on_behalf(form: &PageForm, answers: &mut ApplicationAnswers, errors: &mut FormErrors) {
    let relationship = APPLYING_FOR.check_relationship(&form.relationship, errors);
    if form.victim_consents != "yes" {
        errors.add("victim-consents", "Confirm the person you are applying for has agreed to you applying");
    }
    if errors.is_empty() {
        answers.relationship = relationship;
        answers.victim_consents = true;
    }
}

fn victim(form: &PageForm, answers: &mut ApplicationAnswers, errors: &mut FormErrors) {
    if !one_of(&form.victim_kind, &["person", "business", "community-group"]) {
        errors.add("victim-kind", "Select who is affected by the anti-social behaviour");
    }
    let name = tidy(&form.victim_name);
    if name.is_empty() {
        errors.add("victim-name", "Enter the name of the person, business or group affected");
    } else if name.chars().count() > 200 {
        errors.add("victim-name", "The name must be 200 characters or fewer");
    }
    if errors.is_empty() {
        answers.victim_kind = form.victim_kind.clone();
        answers.victim_name = name;
    }
}

fn location(form: &PageForm, answers: &mut ApplicationAnswers, errors: &mut FormErrors, district_ids: &[String]) {
    if !district_ids.contains(&form.district) {
        errors.add("district", "Select the area where the anti-social behaviour happens");
    }
    let address = tidy(&form.location_address);
    if address.chars().count() > 500 {
        errors.add("location-address", "The address must be 500 characters or fewer");
    }
    let postcode = match Postcode::parse(&form.location_postcode) {
        Ok(postcode) => Some(postcode),
        Err(message) => {
            let message = if form.location_postcode.trim().is_empty() {
                "Enter the postcode where the anti-social behaviour happens"
            } else {
                message
            };
            errors.add("location-postcode", message);
            None
        }
    };
    if let (true, Some(postcode)) = (errors.is_empty(), postcode) {
        answers.district_id = form.district.clone();
        answers.location_address = address;
        answers.location_postcode = postcode.to_string();
    }
}

/// Checks one page's form and, when it is right, writes it into the answers.
pub fn apply_page(
    question: Question,
    form: &PageForm,
    answers: &mut ApplicationAnswers,
    district_ids: &[String],
) -> Result<(), FormErrors> {
    let mut errors = FormErrors::new();
    match question {
        Question::Applicant => {
            if let Some(answer) = APPLYING_FOR.check(&form.applying_as, &mut errors) {
                answers.applying_as = answer;
            }
        }
        Question::OnBehalf => on_behalf(form, answers, &mut errors),
        Question::Victim => victim(form, answers, &mut errors),
        Question::Location => location(form, answers, &mut errors, district_ids),
        Question::Incidents => match form.add_another.as_str() {
            "yes" => answers.incidents_done = false,
            "no" if answers.incidents.is_empty() => errors.add("add-another", "Add at least one incident"),
            "no" => answers.incidents_done = true,
            _ => errors.add("add-another", "Select yes if you need to add another incident"),
        },
        Question::Continuing => {
            if !one_of(&form.continuing, &["yes", "no"]) {
                errors.add("continuing", "Select yes if the anti-social behaviour is still happening");
            } else {
                answers.continuing = form.continuing.clone();
            }
        }
        Question::Hate => {
            if !one_of(&form.hate, &["yes", "no", "not-sure"]) {
                errors.add("hate", "Select whether you think the behaviour is motivated by hate");
            } else {
                answers.hate = form.hate.clone();
            }
        }
        Question::Contact => {
            if let Some(contact) = CONTACT.check(&form.contact, &mut errors) {
                answers.applicant_name = answers.contact.set(contact);
            }
        }
        Question::Needs => {
            let needs = tidy(&form.needs);
            if needs.chars().count() > MAX_DESCRIPTION_CHARS {
                errors.add("needs", format!("Your needs must be {MAX_DESCRIPTION_CHARS} characters or fewer"));
            } else {
                answers.needs = needs;
                answers.needs_answered = true;
            }
        }
        Question::Evidence => answers.evidence_done = true,
        Question::Consent => {
            if form.consent != "yes" {
                errors.add(
                    "consent",
                    "Confirm you agree to us sharing your information with the agencies, or we cannot review your case",
                );
            } else {
                answers.consent = true;
            }
        }
        Question::Check => {}
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// The contact questions as the application asks them; the appeal asks them too.
pub const CONTACT: ContactWords = ContactWords {
    letter_hint: "Letters take longer, so your review may take longer too.",
    postcode_hint: Some("Your own postcode. With your reference number it lets you check progress online."),
    ..ContactWords::STANDARD
};

/// The incident page's form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct IncidentForm {
    #[serde(rename = "occurred-day")]
    pub occurred_day: String,
    #[serde(rename = "occurred-month")]
    pub occurred_month: String,
    #[serde(rename = "occurred-year")]
    pub occurred_year: String,
    #[serde(rename = "reported-day")]
    pub reported_day: String,
    #[serde(rename = "reported-month")]
    pub reported_month: String,
    #[serde(rename = "reported-year")]
    pub reported_year: String,
    #[serde(rename = "reported-to")]
    pub reported_to: String,
    #[serde(rename = "agency-reference")]
    pub agency_reference: String,
    pub reporter: String,
    pub description: String,
}

impl IncidentForm {
    pub fn occurred(&self) -> DateParts {
        DateParts { day: self.occurred_day.clone(), month: self.occurred_month.clone(), year: self.occurred_year.clone() }
    }
    pub fn reported(&self) -> DateParts {
        DateParts { day: self.reported_day.clone(), month: self.reported_month.clone(), year: self.reported_year.clone() }
    }
    pub fn from_incident(incident: &Incident) -> Self {
        let split = |text: &str| match platform::db::parse_date(text) {
            Some(d) => (d.day().to_string(), u8::from(d.month()).to_string(), d.year().to_string()),
            None => Default::default(),
        };
        let (occurred_day, occurred_month, occurred_year) = split(&incident.occurred_on);
        let (reported_day, reported_month, reported_year) = split(&incident.reported_on);
        Self {
            occurred_day,
            occurred_month,
            occurred_year,
            reported_day,
            reported_month,
            reported_year,
            reported_to: incident.reported_to.clone(),
            agency_reference: incident.agency_reference.clone(),
            reporter: incident.reporter.clone(),
            description: incident.description.clone(),
        }
    }
}

/// Which parts of the two dates to outline when the incident page is shown with errors.
#[derive(Debug, Clone, Copy, Default)]
pub struct IncidentDatesInError {
    pub occurred: DatePartsInError,
    pub reported: DatePartsInError,
}

/// Checks an incident against the rules for dates (nothing in the future, reported no earlier
/// than it happened) and the required answers.
pub fn check_incident(form: &IncidentForm, today: Date) -> Result<Incident, (FormErrors, IncidentDatesInError)> {
    let mut errors = FormErrors::new();
    let mut marked = IncidentDatesInError::default();
    let (occurred, occurred_marks) = past_date_field(&mut errors, "occurred", &form.occurred(), "the date it happened", today);
    let (reported, reported_marks) =
        past_date_field(&mut errors, "reported", &form.reported(), "the date you reported it", today);
    marked.occurred = occurred_marks;
    marked.reported = reported_marks;
    if let (Some(occurred), Some(reported)) = (occurred, reported)
        && reported < occurred
        && occurred <= today
    {
        errors.add_targeted(
            "reported",
            "reported-day",
            "The date you reported it must be the same as or after the date it happened",
        );
        marked.reported = DatePartsInError { day: true, month: true, year: true };
    }
    if !AGENCIES.iter().any(|(slug, _)| *slug == form.reported_to) {
        errors.add("reported-to", "Select who you reported it to");
    }
    let description = tidy(&form.description);
    if description.is_empty() {
        errors.add("description", "Enter what happened");
    } else if description.chars().count() > MAX_DESCRIPTION_CHARS {
        errors.add("description", format!("What happened must be {MAX_DESCRIPTION_CHARS} characters or fewer"));
    }
    let agency_reference = form.agency_reference.trim().to_string();
    if agency_reference.chars().count() > 100 {
        errors.add("agency-reference", "The reference must be 100 characters or fewer");
    }
    let reporter = tidy(&form.reporter);
    if reporter.chars().count() > 200 {
        errors.add("reporter", "The name must be 200 characters or fewer");
    }
    match (errors.is_empty(), occurred, reported) {
        (true, Some(occurred), Some(reported)) => Ok(Incident {
            occurred_on: platform::db::date(occurred),
            reported_on: platform::db::date(reported),
            reported_to: form.reported_to.clone(),
            agency_reference,
            reporter,
            description,
        }),
        _ => Err((errors, marked)),
    }
}

#[cfg(test)]
mod tests;
