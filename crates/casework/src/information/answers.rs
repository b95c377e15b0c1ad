//! What a person asking for information tells us, and the checks on it. Pure: the journey
//! (journey.rs) saves these answers to a draft after each page.

use casekit::journey::Questions;
use platform::contact::{AlwaysNeeded, ContactAnswers, ContactDetails, ContactForm, ContactMethod, ContactWords};
use platform::web::forms::FormErrors;
use serde::{Deserialize, Serialize};

/// LOCAL: the longest request we take online. Longer ones are nearly always several requests,
/// which are better sent (and answered) separately; the page says so.
pub const MAX_REQUEST_CHARS: usize = 10_000;

/// The ways the Act lets a requester ask to receive the information (FOIA s.11(1)).
pub const FORMATS: [(&str, &str, &str); 4] = [
    ("electronic", "An electronic copy", "Sent by email, or on a disc by post if you asked for letters."),
    ("paper", "A paper copy", "Posted to you."),
    ("inspect", "To see the records at our office", "We will arrange a time with you."),
    ("summary", "A summary of the information", "Instead of copies of the records themselves."),
];

pub fn format_name(slug: &str) -> &str {
    FORMATS.iter().find(|(s, _, _)| *s == slug).map(|(_, n, _)| *n).unwrap_or(slug)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestAnswers {
    pub request_text: String,
    pub preferred_format: String,
    /// Set once the person has seen the published answers like theirs (or there were none).
    pub suggestions_seen: bool,
    #[serde(flatten)]
    pub reply_to: ReplyTo,
}

/// Who a request is from and how the answer goes, as both information journeys' drafts keep it
/// (flattened, so the saved answers keep their field names).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReplyTo {
    pub full_name: String,
    /// By "email" or "letter": a request and its answer are in writing (FOIA s.8).
    #[serde(flatten)]
    pub contact: ContactAnswers,
}

impl ReplyTo {
    /// The contact details as the contact page shows them.
    pub fn form(&self) -> ContactForm {
        self.contact.form(&self.full_name)
    }

    pub fn set(&mut self, contact: ContactDetails) {
        self.full_name = self.contact.set(contact);
    }
}

casekit::journey_pages! {
    /// The journey's pages, in order.
    pub enum Page {
        Request = "request", Suggestions = "published-answers", Contact = "contact", Check = "check",
    }
}

impl Questions for Page {
    type Answers = RequestAnswers;
    const CHECK: Page = Page::Check;
    fn is_answered(self, answers: &RequestAnswers) -> bool {
        match self {
            Page::Request => !answers.request_text.is_empty() && !answers.preferred_format.is_empty(),
            Page::Suggestions => answers.suggestions_seen,
            Page::Contact => !answers.reply_to.full_name.is_empty() && !answers.reply_to.contact.contact_method.is_empty(),
            Page::Check => false,
        }
    }
}

/// Line endings as browsers send them are counted once, as the character count shows them.
fn tidy_text(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_string()
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RequestForm {
    #[serde(rename = "request-text")]
    pub request_text: String,
    #[serde(rename = "preferred-format")]
    pub preferred_format: String,
}

/// Checks the request page. The request must say what is wanted; its length is limited.
pub fn check_request(form: &RequestForm) -> Result<(String, String), FormErrors> {
    let mut errors = FormErrors::new();
    let text = tidy_text(&form.request_text);
    let length = text.chars().count();
    if text.is_empty() {
        errors.add("request-text", "Enter the information you want");
    } else if length > MAX_REQUEST_CHARS {
        errors.add(
            "request-text",
            format!(
                "Your request must be {MAX_REQUEST_CHARS} characters or fewer: it has {length}. If you are asking about several things, send them as separate requests."
            ),
        );
    } else if !text.chars().any(char::is_alphanumeric) {
        errors.add("request-text", "Describe the information you want in words");
    }
    if !FORMATS.iter().any(|(slug, _, _)| *slug == form.preferred_format) {
        errors.add("preferred-format", "Select how you would like to receive the information");
    }
    if errors.is_empty() { Ok((text, form.preferred_format.clone())) } else { Err(errors) }
}

/// The contact questions as an information request asks them: the reply is written.
pub const REQUEST_CONTACT: ContactWords = ContactWords {
    methods: &[ContactMethod::Email, ContactMethod::Post],
    method_question: "How would you like us to reply?",
    method_error: "Select how you would like us to reply",
    name_hint: Some("The law asks for your real name. We do not publish it."),
    address_hint: "Needed if you chose letter.",
    postcode_hint: Some("Needed if you chose letter. With your reference number, it lets you check progress online."),
    ..ContactWords::STANDARD
};

/// As a subject access request asks them: identity is checked against an address, so one is
/// always needed, whatever the way of reply.
pub const SUBJECT_CONTACT: ContactWords = ContactWords {
    name_hint: Some("Include any other names we may hold information under, for example a previous surname, in your request."),
    email_hint: "Needed if you chose email.",
    address_label: "Your address",
    address_hint: "We check it against your proof of address.",
    postcode_hint: None,
    always_needed: AlwaysNeeded::PostalAddress,
    ..REQUEST_CONTACT
};

/// The request's first words, as a title for the staff queue and the disclosure log.
pub fn title_of(request_text: &str) -> String {
    let first_line = request_text.lines().find(|line| !line.trim().is_empty()).unwrap_or("").trim();
    let mut title: String = first_line.chars().take(100).collect();
    if first_line.chars().count() > 100 {
        title = title.trim_end().to_string();
        title.push('…');
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: time::Date = time::macros::date!(2026 - 12 - 06);

    fn request(text: &str, format: &str) -> RequestForm {
        RequestForm { request_text: text.into(), preferred_format: format.into() }
    }

    #[test]
    fn a_request_needs_words_and_a_format() {
        assert!(check_request(&request("How many speed cameras are there?", "electronic")).is_ok());
        let empty = check_request(&request("  \r\n ", "")).unwrap_err();
        assert_eq!(empty.for_field("request-text"), Some("Enter the information you want"));
        assert_eq!(empty.for_field("preferred-format"), Some("Select how you would like to receive the information"));
        let symbols = check_request(&request("?!? ...", "paper")).unwrap_err();
        assert_eq!(symbols.for_field("request-text"), Some("Describe the information you want in words"));
    }

    #[test]
    fn an_enormous_request_is_refused_with_its_length() {
        let exact = "a".repeat(MAX_REQUEST_CHARS);
        assert!(check_request(&request(&exact, "paper")).is_ok());
        let over = check_request(&request(&format!("{exact}b"), "paper")).unwrap_err();
        assert!(over.for_field("request-text").unwrap().contains("it has 10001"));
        // Windows line endings count once, as the character count on the page shows them.
        let lines = "a\r\n".repeat(MAX_REQUEST_CHARS / 2);
        assert!(check_request(&request(&lines, "paper")).is_ok());
    }

    #[test]
    fn drafts_saved_before_the_reply_was_grouped_still_open_with_every_answer() {
        let saved = r#"{"request_text":"Costs","full_name":"Ada Lovelace","contact_method":"letter","postal_address":"1 High St","postcode":"ST16 2DH"}"#;
        let answers: RequestAnswers = serde_json::from_str(saved).expect("an old draft");
        assert_eq!(answers.reply_to.full_name, "Ada Lovelace");
        assert_eq!(answers.reply_to.contact.postcode, "ST16 2DH");
        let again = serde_json::to_value(&answers).expect("saved");
        assert_eq!(again["contact_method"], "letter", "saved with the same field names");
    }

    #[test]
    fn a_subject_access_request_needs_an_address_even_by_email() {
        let by_email = ContactForm {
            full_name: "Ada Lovelace".into(),
            contact_method: "email".into(),
            email: "ada@example.com".into(),
            ..ContactForm::default()
        };
        assert!(REQUEST_CONTACT.check(&by_email, &mut FormErrors::new()).is_some());
        let mut errors = FormErrors::new();
        assert!(SUBJECT_CONTACT.check(&by_email, &mut errors).is_none());
        assert_eq!(errors.for_field("postal-address"), Some("Enter your postal address"));
        assert_eq!(errors.for_field("postcode"), Some("Enter your postcode"));
        let telephone = ContactForm { contact_method: "telephone".into(), telephone: "01632 960 001".into(), ..by_email };
        let mut errors = FormErrors::new();
        REQUEST_CONTACT.check(&telephone, &mut errors);
        assert_eq!(errors.for_field("contact-method"), Some("Select how you would like us to reply"), "no telephone replies");
    }

    #[test]
    fn pages_come_in_order() {
        let mut answers = RequestAnswers::default();
        assert_eq!(Page::first_unanswered(&answers, TODAY), Page::Request);
        answers.request_text = "Costs".into();
        answers.preferred_format = "electronic".into();
        assert_eq!(Page::first_unanswered(&answers, TODAY), Page::Suggestions);
        answers.suggestions_seen = true;
        assert_eq!(Page::first_unanswered(&answers, TODAY), Page::Contact);
        answers.reply_to.full_name = "Ada".into();
        answers.reply_to.contact.contact_method = "email".into();
        assert_eq!(Page::first_unanswered(&answers, TODAY), Page::Check);
    }

    #[test]
    fn titles_are_the_first_line_cut_at_a_hundred_characters() {
        assert_eq!(title_of("\n  Speed cameras  \nMore detail"), "Speed cameras");
        let long = "word ".repeat(40);
        let title = title_of(&long);
        assert!(title.ends_with('…'));
        assert!(title.chars().count() <= 101);
    }
}
