//! Staff accounts: passwords, second factors, sessions and the throttling around sign-in.
//!
//! The public never has an account. Staff and partners sign in with an email and password and,
//! for every role that can reach personal data, a code from an authenticator app.

pub mod accounts;
pub mod audit_log;
pub mod forgery;
pub mod kept;
pub mod pages;
pub mod password;
pub mod reset;
pub mod secrets;
pub mod session;
pub mod store;
pub mod totp;

pub use session::{CurrentStaff, Viewer};
pub use store::StaffUser;

use crate::web::forms::{FormErrors, TextInput};

/// The email field every staff form asks for (sign-in, password reset), the same everywhere.
pub fn staff_email_input<'a>(value: &'a str, errors: &'a FormErrors) -> TextInput<'a> {
    TextInput::new("email", "Email address", value, errors).input_type("email").autocomplete("username").no_spellcheck()
}
