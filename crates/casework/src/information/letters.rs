//! The letters of information requests, with their built-in wording (the office may replace it
//! on the letter templates page): the acknowledgement, the response as sent, and a starting text
//! for each kind of answer that the officer drafts the response from.

use casekit::letters::LetterKind;

/// The response templates, by the outcome they start.
pub const RESPONSE_TEMPLATES: [(&str, &str); 5] = [
    ("disclosed", "information-draft-disclosed"),
    ("part-disclosed", "information-draft-part-disclosed"),
    ("refused", "information-draft-refused"),
    ("not-held", "information-draft-not-held"),
    ("cost-limit", "information-draft-cost-limit"),
];

pub fn template_for(outcome: &str) -> Option<&'static str> {
    RESPONSE_TEMPLATES.iter().find(|(o, _)| *o == outcome).map(|(_, kind)| *kind)
}

/// One of this service's letter kinds.
pub fn kind(slug: &str) -> Option<&'static LetterKind> {
    KINDS.iter().find(|k| k.slug == slug)
}

pub static KINDS: [LetterKind; 8] = [
    LetterKind {
        slug: "information-acknowledgement",
        name: "Acknowledgement of a request for information",
        subject: "Your request for information {reference}",
        body: "Dear {name},\n\nThank you for your request for information, which we received on {received}. Our reference is {reference}.\n\nWe will answer by {due}. If we need to ask you what you mean, or to pay a fee, we will write to you, and the time stops until you reply.\n\nYou can see where your request has got to at any time (keep this link private): {tracker_link}\n\nYour request:\n{request}\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("received", "the date the request arrived"),
            ("due", "the date the answer is due"),
            ("tracker_link", "the private link to the tracker"),
            ("request", "the request as written"),
        ],
    },
    LetterKind {
        slug: "information-response",
        name: "Response to a request for information",
        subject: "Response to your request for information {reference}",
        body: "Dear {name},\n\nYour request for information {reference}, received on {received}\n\n{response}{documents}\n\nIf you are unhappy with how we dealt with your request, you can ask us for an internal review within 40 working days of this letter, by replying to it. If you are still unhappy after the review, you can complain to the Information Commissioner's Office at ico.org.uk.\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("received", "the date the request arrived"),
            ("response", "the response as approved"),
            ("documents", "the documents released and how they are sent (attached, or a private link when too large)"),
        ],
    },
    LetterKind {
        slug: "information-draft-disclosed",
        name: "Starting text: information disclosed in full",
        subject: "Information disclosed",
        body: "We hold the information you asked for, and it is below (or attached).\n\n[The information]",
        placeholders: &[],
    },
    LetterKind {
        slug: "information-draft-part-disclosed",
        name: "Starting text: information disclosed in part",
        subject: "Information disclosed in part",
        body: "We hold the information you asked for. Some of it is below (or attached); the rest is withheld.\n\n[The information released]\n\nWe have withheld [what] under section [number] of the Freedom of Information Act, because [why the exemption applies].\n\n[For a qualified exemption:] In considering the public interest we weighed [the public interest in disclosure] against [the public interest in withholding], and found that the public interest in withholding the information is greater.",
        placeholders: &[],
    },
    LetterKind {
        slug: "information-draft-refused",
        name: "Starting text: request refused",
        subject: "Request refused",
        body: "We hold the information you asked for, but we are not able to release it.\n\nIt is exempt under section [number] of the Freedom of Information Act, because [why the exemption applies].\n\n[For a qualified exemption:] In considering the public interest we weighed [the public interest in disclosure] against [the public interest in withholding], and found that the public interest in withholding the information is greater.",
        placeholders: &[],
    },
    LetterKind {
        slug: "information-draft-not-held",
        name: "Starting text: information not held",
        subject: "Information not held",
        body: "We have searched [where we searched] and we do not hold the information you asked for.\n\n[If another body may hold it:] [Body] may hold it; you can ask them at [address].",
        placeholders: &[],
    },
    LetterKind {
        slug: "information-draft-cost-limit",
        name: "Starting text: over the cost limit, with advice",
        subject: "Request over the appropriate limit",
        body: "Finding the information you asked for would cost more than the appropriate limit of £450 (18 hours of staff time at £25 an hour), so under section 12 of the Freedom of Information Act we are not obliged to provide it.\n\nOur estimate: [how the time was estimated].\n\nTo help you, under section 16: we could answer a narrower request within the limit, for example [a shorter period, fewer records or one part of the request].",
        placeholders: &[],
    },
    LetterKind {
        slug: "information-sar-extension",
        name: "Subject access request: more time needed",
        subject: "Your subject access request {reference}: more time needed",
        body: "Dear {name},\n\nWe received your subject access request {reference} on {received}. We need more time to answer it, as the UK GDPR allows for a request that is complex or one of several (Article 12(3)), because:\n\n{reason}\n\nWe will now answer by {due}.\n\nIf you are unhappy with this, you can ask us to think again by replying to this letter, or complain to the Information Commissioner's Office at ico.org.uk.\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("received", "the date the request arrived"),
            ("reason", "why more time is needed, as the officer wrote it"),
            ("due", "the new date the answer is due"),
        ],
    },
];
