//! The ASB Case Review's letters, with their built-in wording (the office may replace it).

use casekit::letters::LetterKind;

pub static KINDS: [LetterKind; 5] = [
    LetterKind {
        slug: "acknowledgement",
        name: "Acknowledgement of an application",
        subject: "Your ASB Case Review application {reference}",
        body: "Dear {name},\n\nThank you for applying for an anti-social behaviour case review. Your reference is {reference}. We received your application on {received}.\n\nWe will decide whether your case meets the threshold for a review by {threshold_due}. In this area the threshold is: {threshold_rule}.\n\nYou can see where your case has got to at any time: {tracker_link}\n\nIf anything changes, or you are in danger, call the police on 999. For non-emergencies call 101.\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("received", "the date the application arrived"),
            ("threshold_due", "when the threshold decision is due"),
            ("threshold_rule", "the area’s threshold in words"),
            ("tracker_link", "the link to the status tracker"),
        ],
    },
    LetterKind {
        slug: "threshold-decision",
        name: "Threshold decision",
        subject: "Decision on your ASB Case Review {reference}",
        body: "Dear {name},\n\nWe have looked at your application {reference}.\n\nOur decision: {decision}.\n\nWhy: {reasons}\n\n{next_steps}\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("decision", "the decision in words"),
            ("reasons", "the reasons recorded"),
            ("next_steps", "what happens next, worked out from the decision"),
        ],
    },
    LetterKind {
        slug: "outcome",
        name: "Outcome of the review",
        subject: "Outcome of your ASB Case Review {reference}",
        body: "Dear {name},\n\nThe agencies met on {meeting_date} to review your case {reference}.\n\nWhat the review found: {outcome}\n\nWhat the agencies will do:\n{recommendations}\n\nIf you think the review did not follow the right process, or did not consider relevant information, you can appeal to {office} until {appeal_deadline}.\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("meeting_date", "the date of the review meeting"),
            ("outcome", "the outcome recorded"),
            ("recommendations", "the action plan, one line each"),
            ("appeal_deadline", "the last day to appeal"),
        ],
    },
    LetterKind {
        slug: "appeal-acknowledgement",
        name: "Acknowledgement of an appeal",
        subject: "Your ASB Case Review appeal {reference}",
        body: "Dear {name},\n\nThank you for your appeal about an anti-social behaviour case review. Your reference is {reference}.\n\n{timing}\n\nWe aim to decide your appeal by {decision_due}. You can see where it has got to at any time: {tracker_link}\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("timing", "whether the appeal arrived in time, and what that means"),
            ("decision_due", "when the decision is due"),
            ("tracker_link", "the link to the status tracker"),
        ],
    },
    LetterKind {
        slug: "appeal-decision",
        name: "Appeal decision",
        subject: "Decision on your ASB Case Review appeal {reference}",
        body: "Dear {name},\n\nWe have considered your appeal {reference}.\n\nOur decision: {decision}.\n\nWhy: {reasons}\n\n{directions}\n\nYours sincerely,\n\n{signature}",
        placeholders: &[
            ("decision", "the decision in words"),
            ("reasons", "the reasons recorded"),
            ("directions", "what the review body has been asked to do, if the appeal was upheld"),
        ],
    },
];
