//! Staff accounts: passwords, second factors, sessions and the throttling around sign-in.
//!
//! The public never has an account. Staff and partners sign in with an email and password and,
//! for every role that can reach personal data, a code from an authenticator app.

pub mod pages;
pub mod password;
pub mod reset;
pub mod session;
pub mod store;
pub mod totp;

pub use session::{CurrentStaff, Viewer};
pub use store::StaffUser;
