//! The rules for a contact message, as pure functions of what was typed.

pub use platform::contact::ContactMethod;
use platform::contact::ContactWords;
use platform::postcode::Postcode;
use platform::web::forms::FormErrors;
use serde::Deserialize;

/// The office's limit for one message.
pub const MAX_MESSAGE_CHARS: usize = 5_000;

/// The contact questions as the contact form asks them: any way of replying, but the reply is
/// in writing, so an email or a postal address is always needed.
pub const CONTACT: ContactWords = ContactWords {
    method_question: "How would you like us to reply?",
    method_error: "Select how you would like us to reply",
    letter_hint: "A letter takes longer to reach you than an email.",
    email_hint: "We will only use this to reply to you.",
    address_hint: "Building and street, town or city. Leave this empty if you gave an email address and do not want a letter.",
    postcode_hint: None,
    written_reply: true,
    ..ContactWords::STANDARD
};

/// LOCAL: the office's own service standard for replying to the public.
pub const REPLY_WITHIN_WORKING_DAYS: u32 = 10;

/// The form exactly as submitted. Every field is optional text so that nothing a person typed
/// is lost when the page is shown again with errors.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct ContactForm {
    #[serde(flatten)]
    pub contact: platform::contact::ContactForm,
    pub message: String,
    #[serde(rename = "submission-key")]
    pub submission_key: String,
}

/// A message that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactMessage {
    pub full_name: String,
    pub email: Option<String>,
    pub postal_address: Option<String>,
    pub postcode: Option<Postcode>,
    pub telephone: Option<String>,
    pub contact_method: ContactMethod,
    pub message: String,
}

/// Collapses what browsers and pasting add: surrounding space, Windows line ends, and control
/// characters other than newlines and tabs.
fn clean(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect::<String>()
        .trim()
        .to_string()
}

impl ContactMessage {
    /// Checks every field and reports every problem at once, in page order.
    pub fn parse(form: &ContactForm) -> Result<ContactMessage, FormErrors> {
        let mut errors = FormErrors::new();

        let contact = CONTACT.check(&form.contact, &mut errors);
        let message = clean(&form.message);
        let length = message.chars().count();
        if message.is_empty() {
            errors.add("message", "Enter your message");
        } else if length > MAX_MESSAGE_CHARS {
            errors.add(
                "message",
                format!("Your message must be 5,000 characters or fewer (it has {})", platform::web::thousands(length)),
            );
        }

        let present = |text: String| Some(text).filter(|s| !s.is_empty());
        match (errors.is_empty(), contact) {
            (true, Some(contact)) => Ok(ContactMessage {
                full_name: contact.full_name,
                email: present(contact.email),
                postal_address: present(contact.postal_address),
                postcode: contact.postcode,
                telephone: present(contact.telephone),
                contact_method: contact.method,
                message,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::contact::ContactForm as Contact;
    use proptest::prelude::*;

    fn valid() -> ContactForm {
        ContactForm {
            contact: Contact {
                full_name: "  Sam   Taylor ".into(),
                email: "sam@example.com".into(),
                contact_method: "email".into(),
                ..Default::default()
            },
            message: "Street lights on Mill Lane have been out for a month.\r\nThank you.".into(),
            ..Default::default()
        }
    }

    fn messages(form: &ContactForm) -> Vec<(String, String)> {
        ContactMessage::parse(form).expect_err("accepted").iter().map(|e| (e.field.clone(), e.message.clone())).collect()
    }

    #[test]
    fn a_complete_message_is_accepted_and_tidied() {
        let message = ContactMessage::parse(&valid()).expect("valid");
        assert_eq!(message.full_name, "Sam Taylor");
        assert_eq!(message.message, "Street lights on Mill Lane have been out for a month.\nThank you.");
        assert_eq!(message.contact_method, ContactMethod::Email);
        assert_eq!(message.postal_address, None);
    }

    #[test]
    fn an_empty_form_names_every_missing_answer_in_page_order() {
        let found = messages(&ContactForm::default());
        let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["full-name", "contact-method", "email", "message"]);
        assert_eq!(found[0].1, "Enter your full name");
    }

    #[test]
    fn the_chosen_way_to_reply_needs_its_details() {
        let with = |contact: Contact| ContactForm { contact, ..valid() };
        let post = Contact { contact_method: "letter".into(), email: String::new(), ..valid().contact };
        assert_eq!(
            messages(&with(post.clone())),
            [("postal-address".into(), "Enter your postal address".into()), ("postcode".into(), "Enter your postcode".into())]
        );
        let post_without_postcode = Contact { postal_address: "1 Mill Lane\nStafford".into(), ..post };
        assert_eq!(messages(&with(post_without_postcode)), [("postcode".into(), "Enter your postcode".into())]);
        let phone = Contact { contact_method: "telephone".into(), ..valid().contact };
        assert_eq!(messages(&with(phone))[0].0, "telephone");
        let letter = with(Contact {
            contact_method: "letter".into(),
            email: String::new(),
            postal_address: "1 Mill Lane\r\nStafford".into(),
            postcode: "st16 2dj".into(),
            ..valid().contact
        });
        let parsed = ContactMessage::parse(&letter).expect("valid letter");
        assert_eq!(parsed.postcode.map(|p| p.to_string()).as_deref(), Some("ST16 2DJ"));
        assert_eq!(parsed.postal_address.as_deref(), Some("1 Mill Lane\nStafford"));
    }

    #[test]
    fn malformed_details_are_refused_with_an_example() {
        let contact =
            Contact { email: "sam@example".into(), telephone: "call me".into(), postcode: "XYZ".into(), ..valid().contact };
        let form = ContactForm { contact, ..valid() };
        let found = messages(&form);
        assert!(found.iter().any(|(f, m)| f == "email" && m.contains("name@example.com")));
        assert!(found.iter().any(|(f, _)| f == "telephone"));
        assert!(found.iter().any(|(f, m)| f == "postcode" && m.contains("ST16 2DJ")));
    }

    #[test]
    fn the_message_limit_is_5000_characters_not_bytes() {
        let at_limit = ContactForm { message: "é".repeat(MAX_MESSAGE_CHARS), ..valid() };
        assert!(ContactMessage::parse(&at_limit).is_ok());
        // Windows line ends count once, as the character count on the page shows them.
        let crlf = ContactForm { message: format!("{}\r\n{}", "a".repeat(2_500), "b".repeat(2_499)), ..valid() };
        assert!(ContactMessage::parse(&crlf).is_ok());
        let over = ContactForm { message: "a".repeat(MAX_MESSAGE_CHARS + 1), ..valid() };
        assert_eq!(messages(&over), [("message".into(), "Your message must be 5,000 characters or fewer (it has 5,001)".into())]);
    }

    #[test]
    fn an_unknown_contact_method_is_not_accepted() {
        let form = ContactForm { contact: Contact { contact_method: "carrier-pigeon".into(), ..valid().contact }, ..valid() };
        assert_eq!(messages(&form), [("contact-method".into(), "Select how you would like us to reply".into())]);
    }

    proptest! {
        #[test]
        fn any_input_either_parses_or_explains_itself(
            name in "\\PC{0,30}", email in "\\PC{0,30}", address in "\\PC{0,30}", postcode in "\\PC{0,10}",
            telephone in "\\PC{0,15}", method in "(email|post|telephone|\\PC{0,5})", message in "\\PC{0,40}",
        ) {
            let contact = Contact { full_name: name, email, postal_address: address, postcode, telephone, contact_method: method };
            let form = ContactForm { contact, message, submission_key: String::new() };
            match ContactMessage::parse(&form) {
                Ok(message) => {
                    prop_assert!(!message.full_name.is_empty() && !message.message.is_empty());
                    prop_assert!(message.email.is_some() || message.postal_address.is_some());
                }
                Err(errors) => prop_assert!(!errors.is_empty()),
            }
        }
    }
}
