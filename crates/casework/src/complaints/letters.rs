//! The police complaint review's letters, with their built-in wording (the office may replace
//! it on the letter templates page). Letters to the complainant use the common placeholders;
//! letters to the force and to the person complained about name them in `{name}`.

use casekit::letters::LetterKind;

pub static KINDS: [LetterKind; 8] = [
    LetterKind {
        slug: "complaint-acknowledgement",
        name: "Acknowledgement of a request for review",
        subject: "Your request for a review of a police complaint {reference}",
        body: "Dear {name},\n\nThank you for asking us to review the handling or outcome of your complaint to {force} (their reference {force_reference}). Our reference is {reference}. We received your request on {received}.\n\n{timing}\n\nWe will now check that we are the right body to review your complaint, and ask {force} for the complaint file.\n\nYou can see where your review has got to at any time: {tracker_link}\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("force", "the force’s name"),
            ("force_reference", "the force’s reference for the complaint"),
            ("received", "the date the request arrived"),
            ("timing", "whether the request arrived within the 28 days, and what that means"),
            ("tracker_link", "the link to the status tracker"),
        ],
    },
    LetterKind {
        slug: "complaint-not-valid",
        name: "Request that cannot be reviewed",
        subject: "We cannot review your police complaint {reference}",
        body: "Dear {name},\n\nWe have looked at your request {reference} for a review of your complaint to {force}.\n\nWe cannot review it: {why}\n\n{reasons}\n\nIf you disagree, you may be able to ask the High Court for a judicial review. You can get independent advice from Citizens Advice.\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("force", "the force’s name"),
            ("why", "the rule that stops the review, in words"),
            ("reasons", "the caseworker’s reasons"),
        ],
    },
    LetterKind {
        slug: "complaint-forwarded",
        name: "Request sent to the IOPC",
        subject: "Your request for a review {reference} has been sent to the IOPC",
        body: "Dear {name},\n\nWe have looked at your request {reference} for a review of your complaint to {force}. The law says the Independent Office for Police Conduct (IOPC) must review it, because {iopc_reasons}.\n\nWe are passing your request to the IOPC on {forwarded_on}. They will write to you. The time your request spent being passed between us does not count against the 28 days you had to ask.\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("force", "the force’s name"),
            ("iopc_reasons", "why the IOPC is the review body"),
            ("forwarded_on", "the date the request was sent to the IOPC"),
        ],
    },
    LetterKind {
        slug: "complaint-to-iopc",
        name: "Request passed to the IOPC",
        subject: "Request for review passed to the IOPC: {force} complaint {force_reference} (our reference {reference})",
        body: "To the Independent Office for Police Conduct,\n\nWe received the request below for a review of a complaint to {force}. We believe the IOPC is the relevant review body, because {iopc_reasons}, so we are passing it to you under the Police (Complaints and Misconduct) Regulations 2020. It reached us on {received}.\n\n{request}\n\nWe have told the complainant.\n\nYours faithfully,\n\n{office}",
        placeholders: &[
            ("force", "the force’s name"),
            ("force_reference", "the force’s reference for the complaint"),
            ("iopc_reasons", "why the IOPC is the review body"),
            ("received", "the date the request reached the office"),
            ("request", "the request as the complainant made it: who, how to reach them, and each part of the complaint"),
        ],
    },
    LetterKind {
        slug: "complaint-file-request",
        name: "Request to the force for the complaint file",
        subject: "Complaint file needed for review {reference} (your reference {force_reference})",
        body: "Dear {name},\n\nThe complainant in your case {force_reference} has asked {office} to review the handling or outcome of their complaint. Our reference is {reference}.\n\nPlease upload the complaint file, including the outcome letter, the investigation or handling report and any evidence relied on, by {due}: {link}\n\n{questions}\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("force_reference", "the force’s reference for the complaint"),
            ("due", "the date the file is due"),
            ("link", "the link to the review in Commissioner"),
            ("questions", "any questions asked with the request"),
        ],
    },
    LetterKind {
        slug: "complaint-decision",
        name: "Decision of the review (to the complainant)",
        subject: "Decision on your police complaint review {reference}",
        body: "Dear {name},\n\nWe have reviewed your complaint to {force} (their reference {force_reference}).\n\n{findings}\n\n{summary}\n\n{recommendations}\n\nThis is the end of the police complaints process for these matters. If you disagree with our decision, you may be able to ask the High Court for a judicial review.\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("force", "the force’s name"),
            ("force_reference", "the force’s reference for the complaint"),
            ("findings", "the finding on each part of the complaint, with reasons"),
            ("summary", "the overall conclusion recorded"),
            ("recommendations", "the recommendations made to the force, if any"),
        ],
    },
    LetterKind {
        slug: "complaint-decision-force",
        name: "Decision of the review (to the force)",
        subject: "Outcome of complaint review {reference} (your reference {force_reference})",
        body: "Dear {name},\n\nWe have completed our review {reference} of your complaint case {force_reference}.\n\n{findings}\n\n{summary}\n\n{recommendations}\n\nUnder the Police Reform Act 2002 the force must respond to each recommendation in writing. Please record your response in Commissioner by {respond_by}: {link}\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("force_reference", "the force’s reference for the complaint"),
            ("findings", "the finding on each part of the complaint, with reasons"),
            ("summary", "the overall conclusion recorded"),
            ("recommendations", "the recommendations, each with its response date"),
            ("respond_by", "the earliest response date"),
            ("link", "the link to the review in Commissioner"),
        ],
    },
    LetterKind {
        slug: "complaint-decision-subject",
        name: "Decision of the review (to the person complained about)",
        subject: "Outcome of a review of a complaint about you ({force_reference})",
        body: "Dear {name},\n\nA complaint made about you (force reference {force_reference}) has been reviewed by {office}, at the complainant’s request.\n\n{findings}\n\n{recommendations}\n\nIf you have questions about what happens next, contact the force’s Professional Standards Department.\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("force_reference", "the force’s reference for the complaint"),
            ("findings", "the finding on each part of the complaint"),
            ("recommendations", "the recommendations made to the force, if any"),
        ],
    },
];
