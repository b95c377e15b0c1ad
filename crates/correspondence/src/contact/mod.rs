//! "Contact the Commissioner's office": one question page, a confirmation, and the store.

mod handlers;
pub mod letters;
mod message;
pub mod service;
pub mod staff;
pub mod store;
pub mod work;

pub use handlers::routes;
pub use message::{ContactForm, ContactMessage, ContactMethod, MAX_MESSAGE_CHARS, REPLY_WITHIN_WORKING_DAYS};
