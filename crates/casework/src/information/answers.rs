//! What a person asking for information tells us, and the checks on it. Pure: the journey
//! (journey.rs) saves these answers to a draft after each page.

use platform::postcode::Postcode;
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
    pub full_name: String,
    /// "email" or "letter": a request and its answer are in writing (FOIA s.8).
    pub contact_method: String,
    pub email: String,
    pub postal_address: String,
    pub postcode: String,
}

/// The journey's pages, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Request,
    Suggestions,
    Contact,
    Check,
}

impl Page {
    pub fn slug(self) -> &'static str {
        match self {
            Page::Request => "request",
            Page::Suggestions => "published-answers",
            Page::Contact => "contact",
            Page::Check => "check",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Page> {
        [Page::Request, Page::Suggestions, Page::Contact, Page::Check].into_iter().find(|p| p.slug() == slug)
    }
}

/// The first page still to fill in: the check page once all are done.
pub fn first_unanswered(answers: &RequestAnswers) -> Page {
    if answers.request_text.is_empty() || answers.preferred_format.is_empty() {
        Page::Request
    } else if !answers.suggestions_seen {
        Page::Suggestions
    } else if answers.full_name.is_empty() || answers.contact_method.is_empty() {
        Page::Contact
    } else {
        Page::Check
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

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ContactForm {
    #[serde(rename = "full-name")]
    pub full_name: String,
    #[serde(rename = "contact-method")]
    pub contact_method: String,
    pub email: String,
    #[serde(rename = "postal-address")]
    pub postal_address: String,
    pub postcode: String,
}

/// Checked contact details: a real name (FOIA s.8(1)(b)) and an address for the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contact {
    pub full_name: String,
    pub contact_method: String,
    pub email: String,
    pub postal_address: String,
    pub postcode: String,
}

pub fn check_contact(form: &ContactForm) -> Result<Contact, FormErrors> {
    let mut errors = FormErrors::new();
    let full_name = form.full_name.split_whitespace().collect::<Vec<_>>().join(" ");
    if full_name.is_empty() {
        errors.add("full-name", "Enter your full name");
    } else if full_name.chars().count() > 200 {
        errors.add("full-name", "Your name must be 200 characters or fewer");
    }
    let method = form.contact_method.as_str();
    if method != "email" && method != "letter" {
        errors.add("contact-method", "Select how you would like us to reply");
    }
    let email = form.email.trim().to_string();
    if !email.is_empty() && !platform::contact::is_email(&email) {
        errors.add("email", "Enter an email address in the correct format, like name@example.com");
    } else if email.is_empty() && method == "email" {
        errors.add("email", "Enter your email address");
    }
    let postal_address = tidy_text(&form.postal_address);
    if postal_address.chars().count() > 500 {
        errors.add("postal-address", "Your address must be 500 characters or fewer");
    } else if postal_address.is_empty() && method == "letter" {
        errors.add("postal-address", "Enter your postal address");
    }
    let postcode = match (form.postcode.trim().is_empty(), Postcode::parse(&form.postcode)) {
        (true, _) if method == "letter" => {
            errors.add("postcode", "Enter your postcode");
            String::new()
        }
        (true, _) => String::new(),
        (false, Ok(postcode)) => postcode.to_string(),
        (false, Err(message)) => {
            errors.add("postcode", message);
            String::new()
        }
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Contact { full_name, contact_method: method.to_string(), email, postal_address, postcode })
}

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
    fn contact_needs_the_address_for_the_chosen_reply() {
        let by_email = ContactForm {
            full_name: " Ada   Lovelace ".into(),
            contact_method: "email".into(),
            email: "ada@example.com".into(),
            ..ContactForm::default()
        };
        let contact = check_contact(&by_email).unwrap();
        assert_eq!(contact.full_name, "Ada Lovelace");
        assert_eq!(contact.postcode, "");
        let no_email = ContactForm { email: String::new(), ..by_email.clone() };
        assert_eq!(check_contact(&no_email).unwrap_err().for_field("email"), Some("Enter your email address"));
        let by_letter = ContactForm { contact_method: "letter".into(), email: String::new(), ..by_email.clone() };
        let errors = check_contact(&by_letter).unwrap_err();
        assert_eq!(errors.for_field("postal-address"), Some("Enter your postal address"));
        assert_eq!(errors.for_field("postcode"), Some("Enter your postcode"));
        let posted = ContactForm { postal_address: "1 High St\nStafford".into(), postcode: "st16 2dh".into(), ..by_letter };
        assert_eq!(check_contact(&posted).unwrap().postcode, "ST16 2DH");
        let telephone = ContactForm { contact_method: "telephone".into(), ..by_email };
        assert_eq!(
            check_contact(&telephone).unwrap_err().for_field("contact-method"),
            Some("Select how you would like us to reply")
        );
    }

    #[test]
    fn pages_come_in_order() {
        let mut answers = RequestAnswers::default();
        assert_eq!(first_unanswered(&answers), Page::Request);
        answers.request_text = "Costs".into();
        answers.preferred_format = "electronic".into();
        assert_eq!(first_unanswered(&answers), Page::Suggestions);
        answers.suggestions_seen = true;
        assert_eq!(first_unanswered(&answers), Page::Contact);
        answers.full_name = "Ada".into();
        answers.contact_method = "email".into();
        assert_eq!(first_unanswered(&answers), Page::Check);
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
