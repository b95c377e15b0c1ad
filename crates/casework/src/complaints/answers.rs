//! The complainant's answers, page by page, and the rules each page's answer must meet. Pure: the
//! journey's handlers read forms, call these and store the result.

use casekit::applying_for::ApplyingFor;
use casekit::journey::Questions;
use platform::web::forms::{DateParts, DatePartsInError, FormErrors, past_date_field};
use serde::{Deserialize, Serialize};
use time::Date;

use super::rules;
use platform::contact::{AlwaysNeeded, ContactAnswers, ContactForm, ContactWords};

/// The contact questions as the request asks them: letters and the tracker both need a
/// postcode, whatever the way of contact.
pub const CONTACT: ContactWords = ContactWords { always_needed: AlwaysNeeded::Postcode, ..ContactWords::STANDARD };

/// LOCAL: allegations one application lists; more goes in a document.
pub const MAX_ALLEGATIONS: usize = 10;
pub const MAX_TEXT_CHARS: usize = 5000;

/// What the complainant is unhappy about in an allegation's handling.
pub const UNHAPPY_WITH: [(&str, &str); 3] =
    [("handling", "How the complaint was handled"), ("outcome", "The outcome"), ("both", "Both the handling and the outcome")];

pub fn unhappy_with_name(slug: &str) -> &str {
    UNHAPPY_WITH.iter().find(|(s, _)| *s == slug).map(|(_, n)| *n).unwrap_or(slug)
}

/// One allegation the complainant wants reviewed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allegation {
    pub summary: String,
    pub unhappy_with: String,
    pub why: String,
}

/// Everything asked, as answered so far; a field is empty until its page is answered.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReviewAnswers {
    /// Who the outcome letter names as the review body: "office", "iopc" or "not-sure".
    pub stated_review_body: String,
    /// The applicant read where to go instead and chose to send their details anyway.
    pub iopc_seen: bool,
    pub force_reference: String,
    pub outcome_given_on: String,
    pub late_reason: String,
    pub applying_as: String,
    pub complainant_name: String,
    pub relationship: String,
    /// How a representative shows consent: "document" or "declaration".
    pub consent_by: String,
    pub full_name: String,
    #[serde(flatten)]
    pub contact: ContactAnswers,
    pub needs: String,
    pub allegations: Vec<Allegation>,
    pub allegations_done: bool,
    pub documents_done: bool,
}

impl ReviewAnswers {
    pub fn outcome_given(&self) -> Option<Date> {
        platform::db::parse_date(&self.outcome_given_on)
    }
    /// Whether an application sent today would be outside the 28-day window (no forwarding is
    /// known to the applicant, so none is counted here; the caseworker records it).
    pub fn late_on(&self, today: Date) -> bool {
        self.outcome_given().is_some_and(|given| !rules::timeliness(given, today, &[]).in_time())
    }
    pub fn is_representative(&self) -> bool {
        APPLYING_FOR.for_someone_else(&self.applying_as)
    }
}

/// Whether the applicant made the complaint or acts for the person who did.
pub const APPLYING_FOR: ApplyingFor = ApplyingFor {
    question: "Did you make the complaint?",
    for_self: ("complainant", "Yes, I made the complaint"),
    for_someone_else: (
        "representative",
        "No, I am acting for the person who made it",
        "For example as their relative, carer, solicitor or MP. They must agree to you acting for them.",
    ),
    unanswered: "Select whether you made the complaint or are acting for the person who did",
    relationship: ("How are you connected to them?", "For example, their son, their solicitor or their MP."),
    relationship_missing: "Enter how you are connected to the person who complained",
};

casekit::journey_pages! {
    /// The question pages, in order.
    pub enum Question {
        ReviewBody = "review-body", Iopc = "iopc", Complaint = "complaint", Late = "late",
        Applicant = "applicant", Representative = "representative", Contact = "contact",
        Allegations = "allegations", Documents = "documents", Check = "check",
    }
}

impl Questions for Question {
    type Answers = ReviewAnswers;
    const CHECK: Question = Question::Check;

    /// Whether this page is asked, given the answers so far and the day.
    fn applies(self, answers: &ReviewAnswers, today: Date) -> bool {
        match self {
            Question::Iopc => answers.stated_review_body == "iopc",
            Question::Late => answers.late_on(today),
            Question::Representative => answers.is_representative(),
            _ => true,
        }
    }

    fn is_answered(self, answers: &ReviewAnswers) -> bool {
        match self {
            Question::ReviewBody => !answers.stated_review_body.is_empty(),
            Question::Iopc => answers.iopc_seen,
            Question::Complaint => !answers.force_reference.is_empty() && answers.outcome_given().is_some(),
            Question::Late => !answers.late_reason.is_empty(),
            Question::Applicant => !answers.applying_as.is_empty(),
            Question::Representative => !answers.complainant_name.is_empty() && !answers.consent_by.is_empty(),
            Question::Contact => !answers.full_name.is_empty() && !answers.contact.postcode.is_empty(),
            Question::Allegations => answers.allegations_done && !answers.allegations.is_empty(),
            Question::Documents => answers.documents_done,
            Question::Check => false,
        }
    }
}

/// One page's form fields, as posted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PageForm {
    #[serde(rename = "review-body")]
    pub review_body: String,
    #[serde(rename = "force-reference")]
    pub force_reference: String,
    #[serde(rename = "outcome-day")]
    pub outcome_day: String,
    #[serde(rename = "outcome-month")]
    pub outcome_month: String,
    #[serde(rename = "outcome-year")]
    pub outcome_year: String,
    #[serde(rename = "late-reason")]
    pub late_reason: String,
    #[serde(rename = "applying-as")]
    pub applying_as: String,
    #[serde(rename = "complainant-name")]
    pub complainant_name: String,
    pub relationship: String,
    #[serde(rename = "consent-by")]
    pub consent_by: String,
    #[serde(flatten)]
    pub contact: ContactForm,
    pub needs: String,
    #[serde(rename = "add-another")]
    pub add_another: String,
    pub changing: String,
}

impl PageForm {
    pub fn outcome(&self) -> DateParts {
        DateParts { day: self.outcome_day.clone(), month: self.outcome_month.clone(), year: self.outcome_year.clone() }
    }

    /// The form as the answers so far fill it.
    pub fn of(answers: &ReviewAnswers) -> PageForm {
        let (outcome_year, outcome_month, outcome_day) = match answers.outcome_given() {
            Some(d) => (d.year().to_string(), u8::from(d.month()).to_string(), d.day().to_string()),
            None => Default::default(),
        };
        PageForm {
            review_body: answers.stated_review_body.clone(),
            force_reference: answers.force_reference.clone(),
            outcome_day,
            outcome_month,
            outcome_year,
            late_reason: answers.late_reason.clone(),
            applying_as: answers.applying_as.clone(),
            complainant_name: answers.complainant_name.clone(),
            relationship: answers.relationship.clone(),
            consent_by: answers.consent_by.clone(),
            contact: answers.contact.form(&answers.full_name),
            needs: answers.needs.clone(),
            add_another: String::new(),
            changing: String::new(),
        }
    }
}

fn tidy(text: &str) -> String {
    text.trim().replace("\r\n", "\n")
}

fn bounded(errors: &mut FormErrors, field: &str, value: &str, empty: &str, limit: usize) -> String {
    let value = tidy(value);
    if value.is_empty() {
        errors.add(field, empty);
    } else if value.chars().count() > limit {
        errors.add(field, format!("This must be {limit} characters or fewer"));
    }
    value
}

fn representative(form: &PageForm, answers: &mut ReviewAnswers, errors: &mut FormErrors) {
    let name = bounded(errors, "complainant-name", &form.complainant_name, "Enter the name of the person who complained", 200);
    let relationship = APPLYING_FOR.check_relationship(&form.relationship, errors);
    if !["document", "declaration"].contains(&form.consent_by.as_str()) {
        errors.add(
            "consent-by",
            "Select how you can show the person who complained agrees to you acting for them: we cannot accept a request from a representative without their consent",
        );
    }
    if errors.is_empty() {
        answers.complainant_name = name;
        answers.relationship = relationship;
        answers.consent_by = form.consent_by.clone();
    }
}

fn contact(form: &PageForm, answers: &mut ReviewAnswers, errors: &mut FormErrors) {
    let contact = CONTACT.check(&form.contact, errors);
    let needs = tidy(&form.needs);
    if needs.chars().count() > MAX_TEXT_CHARS {
        errors.add("needs", format!("This must be {MAX_TEXT_CHARS} characters or fewer"));
    }
    if let (true, Some(contact)) = (errors.is_empty(), contact) {
        answers.full_name = answers.contact.set(contact);
        answers.needs = needs;
    }
}

/// The force's reference and the outcome date, which must not be in the future; the marks say
/// which parts of the date to highlight.
fn complaint(form: &PageForm, answers: &mut ReviewAnswers, errors: &mut FormErrors, today: Date) -> DatePartsInError {
    let reference =
        bounded(errors, "force-reference", &form.force_reference, "Enter the force’s reference for your complaint", 50);
    let (outcome, marks) = past_date_field(errors, "outcome", &form.outcome(), "the date on your outcome letter", today);
    if let (true, Some(outcome)) = (errors.is_empty(), outcome) {
        answers.force_reference = reference;
        answers.outcome_given_on = platform::db::date(outcome);
    }
    marks
}

/// Checks one page's form and, when it is right, writes it into the answers. The date marks
/// say which parts of the outcome date to highlight.
pub fn apply_page(
    question: Question,
    form: &PageForm,
    answers: &mut ReviewAnswers,
    today: Date,
) -> Result<(), (FormErrors, DatePartsInError)> {
    let mut errors = FormErrors::new();
    let mut marks = DatePartsInError::default();
    match question {
        Question::ReviewBody => {
            if !["office", "iopc", "not-sure"].contains(&form.review_body.as_str()) {
                errors.add("review-body", "Select who your outcome letter says will review your complaint");
            } else {
                answers.stated_review_body = form.review_body.clone();
            }
        }
        Question::Iopc => answers.iopc_seen = true,
        Question::Complaint => marks = complaint(form, answers, &mut errors, today),
        Question::Late => {
            let reason = bounded(
                &mut errors,
                "late-reason",
                &form.late_reason,
                "Tell us why you are asking after 28 days",
                MAX_TEXT_CHARS,
            );
            if errors.is_empty() {
                answers.late_reason = reason;
            }
        }
        Question::Applicant => {
            if let Some(answer) = APPLYING_FOR.check(&form.applying_as, &mut errors) {
                answers.applying_as = answer;
            }
        }
        Question::Representative => representative(form, answers, &mut errors),
        Question::Contact => contact(form, answers, &mut errors),
        Question::Allegations => match form.add_another.as_str() {
            "yes" => answers.allegations_done = false,
            "no" if answers.allegations.is_empty() => errors.add("add-another", "Add at least one thing you are unhappy about"),
            "no" => answers.allegations_done = true,
            _ => errors.add("add-another", "Select whether you need to add another"),
        },
        Question::Documents => answers.documents_done = true,
        Question::Check => {}
    }
    if errors.is_empty() { Ok(()) } else { Err((errors, marks)) }
}

/// The allegation page's form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AllegationForm {
    pub summary: String,
    #[serde(rename = "unhappy-with")]
    pub unhappy_with: String,
    pub why: String,
}

impl AllegationForm {
    pub fn of(allegation: &Allegation) -> Self {
        AllegationForm {
            summary: allegation.summary.clone(),
            unhappy_with: allegation.unhappy_with.clone(),
            why: allegation.why.clone(),
        }
    }

    pub fn check(&self) -> Result<Allegation, FormErrors> {
        let mut errors = FormErrors::new();
        let summary = bounded(&mut errors, "summary", &self.summary, "Enter what this part of your complaint was about", 1000);
        if !UNHAPPY_WITH.iter().any(|(s, _)| *s == self.unhappy_with) {
            errors.add("unhappy-with", "Select what you are unhappy with");
        }
        let why = bounded(&mut errors, "why", &self.why, "Tell us why you are unhappy", MAX_TEXT_CHARS);
        if errors.is_empty() { Ok(Allegation { summary, unhappy_with: self.unhappy_with.clone(), why }) } else { Err(errors) }
    }
}

/// Whether a representative who said they would send the complainant's consent has sent a file.
pub fn documents_problem(answers: &ReviewAnswers, files: usize) -> Option<&'static str> {
    (answers.is_representative() && answers.consent_by == "document" && files == 0)
        .then_some("Upload the signed consent of the person who complained, or go back and declare their consent instead")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn form() -> PageForm {
        PageForm::default()
    }

    #[test]
    fn an_outcome_date_in_the_future_or_a_missing_reference_is_refused() {
        let today = date!(2026 - 11 - 24);
        let mut answers = ReviewAnswers::default();
        let future = PageForm {
            force_reference: "CO/123/26".into(),
            outcome_day: "25".into(),
            outcome_month: "11".into(),
            outcome_year: "2026".into(),
            ..form()
        };
        let (errors, marks) = apply_page(Question::Complaint, &future, &mut answers, today).unwrap_err();
        assert_eq!(errors.for_field("outcome"), Some("The date on your outcome letter must be today or in the past"));
        assert!(marks.day && marks.month && marks.year);
        let no_reference = PageForm { force_reference: "  ".into(), outcome_day: "24".into(), ..future.clone() };
        let (errors, _) = apply_page(Question::Complaint, &no_reference, &mut answers, today).unwrap_err();
        assert_eq!(errors.for_field("force-reference"), Some("Enter the force’s reference for your complaint"));
        assert_eq!(answers, ReviewAnswers::default(), "nothing is kept from a page with errors");
        let good = PageForm { outcome_day: "24".into(), ..future };
        apply_page(Question::Complaint, &good, &mut answers, today).expect("today is allowed");
        assert_eq!(answers.outcome_given_on, "2026-11-24");
    }

    #[test]
    fn the_late_page_is_asked_only_after_the_window() {
        let mut answers = ReviewAnswers { outcome_given_on: "2026-10-27".into(), ..Default::default() };
        // 27 October + 28 days = 24 November: the last day in time.
        assert!(!Question::Late.applies(&answers, date!(2026 - 11 - 24)));
        assert!(Question::Late.applies(&answers, date!(2026 - 11 - 25)));
        answers.force_reference = "X".into();
        assert_eq!(Question::Complaint.next(&answers, date!(2026 - 11 - 25)), Question::Late);
        assert_eq!(Question::Complaint.next(&answers, date!(2026 - 11 - 24)), Question::Applicant);
    }

    #[test]
    fn a_representative_must_show_consent() {
        let today = date!(2026 - 11 - 24);
        let mut answers = ReviewAnswers { applying_as: "representative".into(), ..Default::default() };
        let no_consent = PageForm { complainant_name: "Sam".into(), relationship: "Solicitor".into(), ..form() };
        let (errors, _) = apply_page(Question::Representative, &no_consent, &mut answers, today).unwrap_err();
        assert!(errors.for_field("consent-by").is_some_and(|m| m.contains("without their consent")));
        let with_document = PageForm { consent_by: "document".into(), ..no_consent };
        apply_page(Question::Representative, &with_document, &mut answers, today).expect("consent by document");
        assert_eq!(documents_problem(&answers, 0).map(|m| m.starts_with("Upload the signed consent")), Some(true));
        assert_eq!(documents_problem(&answers, 1), None);
        answers.consent_by = "declaration".into();
        assert_eq!(documents_problem(&answers, 0), None);
    }

    #[test]
    fn the_iopc_page_follows_only_an_iopc_answer_and_every_question_is_reached() {
        let today = date!(2026 - 11 - 24);
        let mut answers = ReviewAnswers::default();
        apply_page(Question::ReviewBody, &PageForm { review_body: "iopc".into(), ..form() }, &mut answers, today).expect("ok");
        assert_eq!(Question::first_unanswered(&answers, today), Question::Iopc);
        answers.stated_review_body = "office".into();
        assert_eq!(Question::first_unanswered(&answers, today), Question::Complaint);
        assert!(
            apply_page(Question::ReviewBody, &PageForm { review_body: "police".into(), ..form() }, &mut answers, today).is_err()
        );
    }

    #[test]
    fn allegations_need_all_three_answers() {
        let errors = AllegationForm::default().check().unwrap_err();
        assert_eq!(errors.len(), 3);
        let ok =
            AllegationForm { summary: "Rude on the phone".into(), unhappy_with: "outcome".into(), why: "Not looked at".into() }
                .check()
                .expect("valid");
        assert_eq!(ok.unhappy_with, "outcome");
    }
}
