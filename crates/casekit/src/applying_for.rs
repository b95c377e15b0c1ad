//! The question a journey asks when someone may act for another: are you applying for yourself,
//! or for someone else, and how do you know them. Services differ only in words and in the
//! values they store, so those are data here and the inputs and checks are written once.

use platform::web::forms::{Choice, Choices, FormErrors, TextInput};

/// Longest answer to "how do you know them".
pub const MAX_RELATIONSHIP_CHARS: usize = 200;

#[derive(Debug, Clone, Copy)]
pub struct ApplyingFor {
    /// The question, shown as the page's heading.
    pub question: &'static str,
    /// The stored value and the label of "for myself".
    pub for_self: (&'static str, &'static str),
    /// The stored value, label and hint of "for someone else".
    pub for_someone_else: (&'static str, &'static str, &'static str),
    /// What to say when neither is chosen.
    pub unanswered: &'static str,
    /// The label and hint of "how do you know them".
    pub relationship: (&'static str, &'static str),
    /// What to say when that is left empty.
    pub relationship_missing: &'static str,
}

impl ApplyingFor {
    /// The radios, as the page's heading.
    pub fn question<'a>(&'a self, answer: &'a str, errors: &'a FormErrors) -> Choices<'a> {
        let (other, label, hint) = self.for_someone_else;
        let options = vec![Choice::new(self.for_self.0, self.for_self.1), Choice::with_hint(other, label, hint)];
        Choices::radios("applying-as", self.question, options, Some(answer), errors).as_heading()
    }

    pub fn relationship_input<'a>(&'a self, answer: &'a str, errors: &'a FormErrors) -> TextInput<'a> {
        TextInput::new("relationship", self.relationship.0, answer, errors).hint(self.relationship.1)
    }

    /// Whether the answer is "for someone else".
    pub fn for_someone_else(&self, answer: &str) -> bool {
        answer == self.for_someone_else.0
    }

    /// The chosen value, or an error on the question.
    pub fn check(&self, answer: &str, errors: &mut FormErrors) -> Option<String> {
        let known = answer == self.for_self.0 || self.for_someone_else(answer);
        if !known {
            errors.add("applying-as", self.unanswered);
        }
        known.then(|| answer.to_string())
    }

    /// How the applicant knows the person, tidied, or an error on the field.
    pub fn check_relationship(&self, answer: &str, errors: &mut FormErrors) -> String {
        let relationship = answer.trim().replace("\r\n", "\n");
        if relationship.is_empty() {
            errors.add("relationship", self.relationship_missing);
        } else if relationship.chars().count() > MAX_RELATIONSHIP_CHARS {
            errors.add("relationship", format!("How you know them must be {MAX_RELATIONSHIP_CHARS} characters or fewer"));
        }
        relationship
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use askama::Template;

    const WORDS: ApplyingFor = ApplyingFor {
        question: "Are you the person it is about?",
        for_self: ("self", "Yes"),
        for_someone_else: ("other", "No, I am acting for them", "They must agree."),
        unanswered: "Select whether you are acting for someone else",
        relationship: ("How do you know them?", "For example, their carer."),
        relationship_missing: "Enter how you know them",
    };

    #[test]
    fn only_the_two_offered_values_are_accepted() {
        for (answer, kept) in [("self", Some("self")), ("other", Some("other")), ("", None), ("someone", None)] {
            let mut errors = FormErrors::new();
            assert_eq!(WORDS.check(answer, &mut errors).as_deref(), kept, "{answer:?}");
            assert_eq!(errors.is_empty(), kept.is_some(), "{answer:?}");
        }
        assert!(WORDS.for_someone_else("other") && !WORDS.for_someone_else("self"));
    }

    #[test]
    fn the_relationship_is_needed_and_bounded() {
        let long = "a".repeat(MAX_RELATIONSHIP_CHARS + 1);
        let exact = "a".repeat(MAX_RELATIONSHIP_CHARS);
        for (answer, ok) in [("  carer \r\n", true), ("   ", false), (long.as_str(), false), (exact.as_str(), true)] {
            let mut errors = FormErrors::new();
            WORDS.check_relationship(answer, &mut errors);
            assert_eq!(errors.is_empty(), ok, "{answer:?}");
        }
        assert_eq!(WORDS.check_relationship(" carer\r\nand friend ", &mut FormErrors::new()), "carer\nand friend");
    }

    #[test]
    fn the_question_offers_both_answers_and_marks_the_chosen_one() {
        let errors = FormErrors::new();
        let html = WORDS.question("other", &errors).render().expect("renders");
        assert!(html.contains(r#"value="self""#) && html.contains(r#"value="other" checked"#), "{html}");
        assert!(html.contains("They must agree."));
    }
}
