//! The contact-details questions as one component: every public form that asks how to reach a
//! person (the ASB Case Review application and appeal, the complaint review request, the
//! information and subject access requests, the contact form) shows the same inputs with the
//! same names and autocomplete hints, and accepts and refuses the same answers.

use serde::{Deserialize, Serialize};

use super::{ContactMethod, is_email, is_telephone};
use crate::postcode::Postcode;
use crate::web::forms::{Choice, Choices, FormErrors, TextInput, Textarea};

const MAX_NAME_CHARS: usize = 200;
const MAX_ADDRESS_CHARS: usize = 500;

/// The questions as a form posts them. Every field is text, so nothing a person typed is lost
/// when the page comes back with errors. A form that asks more flattens this into its own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct ContactForm {
    #[serde(rename = "full-name")]
    pub full_name: String,
    #[serde(rename = "contact-method")]
    pub contact_method: String,
    pub email: String,
    pub telephone: String,
    #[serde(rename = "postal-address")]
    pub postal_address: String,
    pub postcode: String,
}

/// What one form says around the questions: the ways of replying it offers and its hints.
/// Start from [`ContactWords::STANDARD`] and change what differs.
#[derive(Debug, Clone, Copy)]
pub struct ContactWords {
    pub methods: &'static [ContactMethod],
    pub method_question: &'static str,
    /// The error when no way was chosen: "Select how you would like us to contact you".
    pub method_error: &'static str,
    pub letter_hint: &'static str,
    pub name_hint: Option<&'static str>,
    pub email_hint: &'static str,
    pub address_label: &'static str,
    pub address_hint: &'static str,
    pub postcode_hint: Option<&'static str>,
    /// What is needed whatever the way of replying.
    pub always_needed: AlwaysNeeded,
    /// The reply is in writing, so a person who chose the telephone still gives an email or a
    /// postal address (the contact form's promise).
    pub written_reply: bool,
}

/// Details a form needs whatever way of replying the person chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlwaysNeeded {
    Nothing,
    /// Letters and the progress tracker use it (complaint reviews, ASB appeals).
    Postcode,
    /// The address and its postcode (a subject access request checks identity against it).
    PostalAddress,
}

impl ContactWords {
    pub const STANDARD: ContactWords = ContactWords {
        methods: &[ContactMethod::Email, ContactMethod::Telephone, ContactMethod::Post],
        method_question: "How would you like us to contact you?",
        method_error: "Select how you would like us to contact you",
        letter_hint: "Letters take longer to reach you.",
        name_hint: None,
        email_hint: "We will send your reference and a link to check progress. Needed if you chose email.",
        address_label: "Postal address",
        address_hint: "Needed if you chose letter.",
        postcode_hint: Some("With your reference number, it lets you check progress online."),
        always_needed: AlwaysNeeded::Nothing,
        written_reply: false,
    };

    fn offers(&self, method: ContactMethod) -> bool {
        self.methods.contains(&method)
    }

    /// Checks the answers, adding a message to `errors` for each problem in page order; the
    /// details come back only when there was none.
    pub fn check(&self, form: &ContactForm, errors: &mut FormErrors) -> Option<ContactDetails> {
        let before = errors.len();
        let full_name = one_line(&form.full_name);
        if full_name.is_empty() {
            errors.add("full-name", "Enter your full name");
        } else if full_name.chars().count() > MAX_NAME_CHARS {
            errors.add("full-name", format!("Your name must be {MAX_NAME_CHARS} characters or fewer"));
        }
        let method = ContactMethod::from_slug(form.contact_method.trim()).filter(|m| self.offers(*m));
        if method.is_none() {
            errors.add("contact-method", self.method_error);
        }
        let chose = |m: ContactMethod| method == Some(m);
        let email = one_line(&form.email);
        if !email.is_empty() && !is_email(&email) {
            errors.add("email", "Enter an email address in the correct format, like name@example.com");
        } else if email.is_empty() && chose(ContactMethod::Email) {
            errors.add("email", "Enter your email address");
        }
        let telephone = one_line(&form.telephone);
        if !telephone.is_empty() && !is_telephone(&telephone) {
            errors.add("telephone", "Enter a telephone number, like 01632 960 001 or +44 808 157 0192");
        } else if telephone.is_empty() && chose(ContactMethod::Telephone) {
            errors.add("telephone", "Enter your telephone number");
        }
        let postal_address = multi_line(&form.postal_address);
        if postal_address.chars().count() > MAX_ADDRESS_CHARS {
            errors.add("postal-address", format!("Your address must be {MAX_ADDRESS_CHARS} characters or fewer"));
        } else if postal_address.is_empty() && (chose(ContactMethod::Post) || self.always_needed == AlwaysNeeded::PostalAddress) {
            errors.add("postal-address", "Enter your postal address");
        }
        let postcode = match Postcode::parse(&form.postcode) {
            _ if form.postcode.trim().is_empty() => {
                if chose(ContactMethod::Post) || self.always_needed != AlwaysNeeded::Nothing {
                    errors.add("postcode", "Enter your postcode");
                }
                None
            }
            Ok(postcode) => Some(postcode),
            Err(message) => {
                errors.add("postcode", message);
                None
            }
        };
        let unanswered = |field| errors.for_field(field).is_none();
        if self.written_reply
            && email.is_empty()
            && postal_address.is_empty()
            && unanswered("email")
            && unanswered("postal-address")
        {
            errors.add("email", "Enter your email address or your postal address");
        }
        let method = method.filter(|_| errors.len() == before)?;
        Some(ContactDetails { full_name, method, email, telephone, postal_address, postcode })
    }

    /// The inputs for a page, each with its value and error.
    pub fn questions<'a>(&'a self, form: &'a ContactForm, errors: &'a FormErrors) -> ContactQuestions<'a> {
        ContactQuestions { words: self, form, errors }
    }
}

/// Contact details that passed every check; a detail not given is empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactDetails {
    pub full_name: String,
    pub method: ContactMethod,
    pub email: String,
    pub telephone: String,
    pub postal_address: String,
    pub postcode: Option<Postcode>,
}

impl ContactDetails {
    /// The postcode as stored with a case: standard form, or empty.
    pub fn postcode_text(&self) -> String {
        self.postcode.as_ref().map(ToString::to_string).unwrap_or_default()
    }

    /// Back into the form's shape, to show the answers again.
    pub fn to_form(&self) -> ContactForm {
        ContactForm {
            full_name: self.full_name.clone(),
            contact_method: self.method.slug().to_string(),
            email: self.email.clone(),
            telephone: self.telephone.clone(),
            postal_address: self.postal_address.clone(),
            postcode: self.postcode_text(),
        }
    }
}

/// A journey's contact answers as its draft keeps them, flattened into the draft's answers so the
/// saved drafts keep their field names. The person's name is the journey's own field (an
/// applicant, a complainant, a requester).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default)]
pub struct ContactAnswers {
    /// The method's slug, or empty while the contact page is unanswered.
    pub contact_method: String,
    pub email: String,
    pub telephone: String,
    pub postal_address: String,
    pub postcode: String,
}

impl ContactAnswers {
    /// The answers as the contact page shows them, with the name kept beside them.
    pub fn form(&self, full_name: &str) -> ContactForm {
        ContactForm {
            full_name: full_name.to_string(),
            contact_method: self.contact_method.clone(),
            email: self.email.clone(),
            telephone: self.telephone.clone(),
            postal_address: self.postal_address.clone(),
            postcode: self.postcode.clone(),
        }
    }

    /// Keeps details that passed the checks, and gives back the name for the journey's own field.
    pub fn set(&mut self, contact: ContactDetails) -> String {
        self.postcode = contact.postcode_text();
        self.contact_method = contact.method.slug().to_string();
        self.email = contact.email;
        self.telephone = contact.telephone;
        self.postal_address = contact.postal_address;
        contact.full_name
    }

    /// The answers as a check-answers page lists them: the method by name, then each detail
    /// given, the address a line at a time.
    pub fn summary_lines(&self) -> Vec<&str> {
        let method = ContactMethod::name_of(&self.contact_method);
        let address = self.postal_address.lines().map(str::trim);
        [method, self.email.as_str(), self.telephone.as_str()]
            .into_iter()
            .chain(address)
            .chain([self.postcode.as_str()])
            .filter(|line| !line.is_empty())
            .collect()
    }
}

/// The inputs of one page. A template shows [`ContactQuestions::all`], or the inputs one by one
/// where the page puts something between them.
pub struct ContactQuestions<'a> {
    words: &'a ContactWords,
    form: &'a ContactForm,
    errors: &'a FormErrors,
}

impl<'a> ContactQuestions<'a> {
    pub fn full_name(&self) -> TextInput<'a> {
        let input =
            TextInput::new("full-name", "Your full name", &self.form.full_name, self.errors).autocomplete("name").no_spellcheck();
        match self.words.name_hint {
            Some(hint) => input.hint(hint),
            None => input,
        }
    }

    pub fn method(&self) -> Choices<'a> {
        let choices = self
            .words
            .methods
            .iter()
            .map(|method| match method {
                ContactMethod::Email => Choice::new("email", "Email"),
                ContactMethod::Telephone => Choice::new("telephone", "Telephone"),
                ContactMethod::Post => Choice::with_hint("letter", "Letter", self.words.letter_hint),
            })
            .collect();
        let chosen = ContactMethod::from_slug(&self.form.contact_method).map_or(self.form.contact_method.as_str(), |m| m.slug());
        Choices::radios("contact-method", self.words.method_question, choices, Some(chosen), self.errors)
            .legend_size("govuk-fieldset__legend--m")
    }

    pub fn email(&self) -> TextInput<'a> {
        TextInput::new("email", "Email address", &self.form.email, self.errors)
            .input_type("email")
            .autocomplete("email")
            .no_spellcheck()
            .hint(self.words.email_hint)
    }

    pub fn telephone(&self) -> TextInput<'a> {
        TextInput::new("telephone", "Telephone number", &self.form.telephone, self.errors)
            .input_type("tel")
            .autocomplete("tel")
            .width("govuk-input--width-20")
            .hint("Needed if you chose telephone. For an international number include the country code.")
    }

    pub fn postal_address(&self) -> Textarea<'a> {
        Textarea::new("postal-address", self.words.address_label, &self.form.postal_address, self.errors)
            .rows(3)
            .autocomplete("street-address")
            .hint(self.words.address_hint)
    }

    pub fn postcode(&self) -> TextInput<'a> {
        let input = TextInput::new("postcode", "Postcode", &self.form.postcode, self.errors)
            .autocomplete("postal-code")
            .width("govuk-input--width-10");
        match self.words.postcode_hint {
            Some(hint) => input.hint(hint),
            None => input,
        }
    }

    /// Every input in the usual order: the name, how to reply, then the details for each way.
    pub fn all(&self) -> String {
        let mut html = format!("{}{}{}", self.full_name(), self.method(), self.email());
        if self.words.offers(ContactMethod::Telephone) {
            html.push_str(&self.telephone().to_string());
        }
        html.push_str(&format!("{}{}", self.postal_address(), self.postcode()));
        html
    }
}

/// One line as people mean it: pasted line ends, control characters and runs of spaces folded.
fn one_line(text: &str) -> String {
    let printable: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    printable.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lines kept, each tidied; Windows line ends and control characters dropped.
fn multi_line(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || *c == '\n')
        .collect::<String>()
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests;
