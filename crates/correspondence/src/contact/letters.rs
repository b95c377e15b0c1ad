//! The reply to a message from the public, as a letter the office can reword on its letters page:
//! emailed to a sender who asked for email, printed for one who asked for a letter.

use casekit::letters::LetterKind;

/// The case type messages' letters and notes are filed under.
pub const LETTER_CASE: &str = "contact-message";

pub static KINDS: [LetterKind; 1] = [LetterKind {
    slug: "message-reply",
    name: "Reply to a message from the public",
    subject: "Your message {reference}",
    body: "Dear {name},\n\nThank you for your message.\n\n{reply}\n\nYours sincerely,\n\n{signature}\n\nReference: {reference}",
    placeholders: &[("reply", "the reply as written on the message’s page")],
}];
