//! The checks every form that asks for contact details makes, in one place: the ASB Case Review
//! and information request journeys, the complaint review settings, the contact form and staff
//! accounts all accept and refuse the same addresses and numbers.

mod questions;

pub use questions::{AlwaysNeeded, ContactAnswers, ContactDetails, ContactForm, ContactQuestions, ContactWords};

crate::slugged! {
    /// How a person asked to hear from the office. Stored, and posted by the radios, as its slug:
    /// "email", "letter" or "telephone".
    pub enum ContactMethod { Email = "email", Post = "letter", Telephone = "telephone" }
}
crate::stored_as_slug!(ContactMethod);

impl ContactMethod {
    /// How a reply goes, in a sentence: "by email", "by letter", "by telephone".
    pub fn describe(self) -> &'static str {
        match self {
            ContactMethod::Email => "email",
            ContactMethod::Post => "letter",
            ContactMethod::Telephone => "telephone",
        }
    }
    /// The method in a list of details: "Email", "Letter", "Telephone".
    pub fn name(self) -> &'static str {
        match self {
            ContactMethod::Email => "Email",
            ContactMethod::Post => "Letter",
            ContactMethod::Telephone => "Telephone",
        }
    }
    /// The name of a stored method, for display; a value no version wrote shows as "Unknown".
    pub fn name_of(slug: &str) -> &'static str {
        ContactMethod::from_slug(slug).map_or("Unknown", ContactMethod::name)
    }
}

/// Where and how a person asked to be answered, as every service stores it beside their name.
/// Rows read it flattened (`#[sqlx(flatten)]`), so its columns keep these names in every table;
/// a table without telephone numbers selects `CAST(NULL AS TEXT) AS telephone`.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, serde::Serialize)]
pub struct StoredContact {
    pub contact_method: ContactMethod,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub postal_address: Option<String>,
    pub postcode: Option<String>,
}

impl StoredContact {
    /// The address to email, when the person asked for email: otherwise they are written to.
    pub fn email_to_use(&self) -> Option<&str> {
        self.email.as_deref().filter(|_| self.contact_method == ContactMethod::Email)
    }
}

/// The longest email address a mail system takes (RFC 5321's path limit, less the brackets).
pub const MAX_EMAIL_CHARS: usize = 254;

/// A deliberately plain check: one @, something either side, a dot inside the domain, no spaces
/// or angle brackets. Whether it reaches anyone is proven by the reply, not by a pattern.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && !text.chars().any(|c| c.is_whitespace() || c == '<' || c == '>')
        && text.chars().count() <= MAX_EMAIL_CHARS
}

/// UK numbers of 10 or 11 digits (with or without 0 or +44), or international ones with +,
/// written with spaces, brackets and hyphens as people write them.
pub fn is_telephone(text: &str) -> bool {
    if !text.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) {
        return false;
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if text.trim_start().starts_with('+') {
        (8..=15).contains(&digits.len())
    } else {
        digits.starts_with('0') && (10..=11).contains(&digits.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn post_is_read_whichever_word_stored_it_and_anything_else_is_unknown() {
        assert_eq!(ContactMethod::from_slug("letter"), Some(ContactMethod::Post));
        assert_eq!(ContactMethod::from_slug("post"), None, "one spelling: post is \"letter\"");
        for method in ContactMethod::ALL {
            assert_eq!(ContactMethod::from_slug(method.slug()), Some(method));
        }
        assert_eq!(ContactMethod::name_of("letter"), "Letter");
        assert_eq!(ContactMethod::name_of("pigeon"), "Unknown");
        assert_eq!(ContactMethod::from_slug("Email"), None, "stored values are exact");
    }

    #[test]
    fn email_addresses_in_the_shapes_people_type() {
        for good in ["name@example.com", "first.last+asb@council.gov.uk", "o'brien@example.co.uk"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "name",
            "@example.com",
            "name@",
            "name@example",
            "name@.com",
            "name@example.",
            "a@b..com",
            "a b@c.com",
            "a@b@c.com",
            "<a@b.com>",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_email(&format!("{}@example.com", "a".repeat(242))));
        assert!(!is_email(&format!("{}@example.com", "a".repeat(243))), "255 characters");
    }

    #[test]
    fn telephone_numbers_in_common_shapes() {
        for number in ["01632 960 001", "07700 900982", "+44 808 157 0192", "(01632) 960-001"] {
            assert!(is_telephone(number), "{number}");
        }
        for number in ["999", "0800", "07700 900 982 123", "phone", "1632 960 001"] {
            assert!(!is_telephone(number), "{number}");
        }
    }

    proptest! {
        #[test]
        fn an_accepted_email_has_one_at_and_no_spaces(text in "\\PC{0,40}") {
            if is_email(&text) {
                prop_assert_eq!(text.matches('@').count(), 1);
                prop_assert!(!text.chars().any(char::is_whitespace));
            }
        }
    }
}
