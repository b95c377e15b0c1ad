//! The words of a review's letters that come from the case: the request as the complainant made
//! it, the findings, the recommendations, and the letters each step writes.

use super::actions::{Acting, Letter};
use super::*;

/// The IOPC's address for post, as it publishes it.
pub(super) const IOPC_ADDRESS: &str = "Independent Office for Police Conduct\nPO Box 473\nSale\nM33 0BW";

/// A request as the complainant made it, for passing on to the IOPC.
pub(super) fn request_text(review: &Review, allegations: &[StoredAllegation]) -> String {
    let mut lines = vec![format!("Complainant: {}", review.complainant_name)];
    if let Some(representative) = &review.representative_name {
        lines.push(format!("Represented by: {representative}"));
    }
    let contact: Vec<String> =
        [&review.contact.email, &review.contact.telephone, &review.contact.postal_address, &review.contact.postcode]
            .into_iter()
            .flatten()
            .map(|c| c.replace('\n', ", "))
            .collect();
    lines.push(format!("Contact ({}): {}", review.contact.contact_method.slug(), contact.join("; ")));
    lines.push(format!("Force reference: {}; outcome given {}", review.force_reference, long(&review.outcome_given_on)));
    for a in allegations {
        lines.push(format!(
            "Part {} ({}): {}\nWhy: {}",
            a.position,
            unhappy_with_name(&a.unhappy_with).to_lowercase(),
            a.summary,
            a.why
        ));
    }
    lines.join("\n")
}

/// The findings and recommendations as letter text.
pub(super) fn findings_text(allegations: &[StoredAllegation], with_reasons: bool) -> String {
    allegations
        .iter()
        .map(|a| {
            let mut text = format!("Part {}: {}\nOur finding: {}.", a.position, a.summary, a.finding_name());
            if with_reasons && let Some(reasons) = &a.reasons {
                text.push_str(&format!(" {reasons}"));
            }
            text
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

pub(super) fn recommendations_text(recommendations: &[Recommendation], with_dates: bool) -> String {
    if recommendations.is_empty() {
        return "We have made no recommendations to the force.".into();
    }
    let lines: Vec<String> = recommendations
        .iter()
        .map(|r| {
            if with_dates {
                format!("- {} (response by {})", r.recommendation, calendar::long_date(r.respond_by()))
            } else {
                format!("- {}", r.recommendation)
            }
        })
        .collect();
    format!("We have recommended that the force:\n{}", lines.join("\n"))
}

/// The letters the validity check writes: none when the review goes on; a letter saying why it
/// cannot be reviewed; or, when forwarded, one to the complainant and one to the IOPC.
pub(super) fn validity_letters(step: &Acting<'_>, outcome: &Validity, allegations: &[StoredAllegation]) -> Vec<Letter> {
    let review = step.review;
    let mut values = step.letter_values();
    match outcome {
        Validity::Accepted => Vec::new(),
        Validity::ForwardToIopc(reasons) => {
            let words: Vec<&str> = reasons.iter().map(|r| r.words()).collect();
            values.push(("iopc_reasons", words.join("; and ")));
            let mut to_iopc = values.clone();
            values.push(("forwarded_on", calendar::long_date(step.today)));
            to_iopc.push(("received", calendar::long_date(review.received())));
            to_iopc.push(("request", request_text(review, allegations)));
            // Printed or saved as PDF and sent by the office: the IOPC takes requests through its
            // own channels, not to an address Commissioner knows.
            let iopc = Some((IOPC_ADDRESS.to_string(), None));
            vec![
                Letter { kind: "complaint-forwarded", values, to: None },
                Letter { kind: "complaint-to-iopc", values: to_iopc, to: iopc },
            ]
        }
        Validity::NotReviewable | Validity::OutOfTime { .. } | Validity::LateNeedsDecision { .. } => {
            let why = if matches!(outcome, Validity::NotReviewable) {
                "only complaints the force recorded and handled under Schedule 3 of the Police Reform Act 2002 can be reviewed, and yours was not.".to_string()
            } else {
                format!(
                    "the law allows 28 days from the day after the outcome was given to ask for a review; that ended on {}, and we did not find exceptional circumstances.",
                    calendar::long_date(review.timeliness().due_on)
                )
            };
            values.push(("why", why));
            values.push(("reasons", step.form.reasons.trim().to_string()));
            vec![Letter { kind: "complaint-not-valid", values, to: None }]
        }
    }
}

/// The decision's letters: to the complainant, to the force (with the dates to respond by),
/// and to the person complained about when the office writes to them (`subject`: name and
/// address lines).
pub(super) fn decision_letters(
    step: &Acting<'_>,
    summary: &str,
    allegations: &[StoredAllegation],
    recommendations: &[Recommendation],
    subject: Option<String>,
) -> Vec<Letter> {
    let findings = findings_text(allegations, true);
    let mut to_complainant = step.letter_values();
    to_complainant.push(("findings", findings.clone()));
    to_complainant.push(("summary", summary.to_string()));
    to_complainant.push(("recommendations", recommendations_text(recommendations, false)));
    let mut to_psd = step.letter_values();
    to_psd[0] = ("name", step.policy.psd_name.clone());
    to_psd.push(("findings", findings));
    to_psd.push(("summary", summary.to_string()));
    to_psd.push(("recommendations", recommendations_text(recommendations, true)));
    let earliest = recommendations.iter().map(Recommendation::respond_by).min();
    to_psd.push(("respond_by", earliest.map(calendar::long_date).unwrap_or_else(|| "no response is needed".into())));
    to_psd.push(("link", format!("{}{}#recommendations", step.public_url(), case_url(step.review))));
    let mut letters = vec![
        Letter { kind: "complaint-decision", values: to_complainant, to: None },
        Letter { kind: "complaint-decision-force", values: to_psd, to: step.to_force() },
    ];
    if let Some(addressee) = subject {
        let mut to_subject = step.letter_values();
        to_subject[0] = ("name", addressee.lines().next().unwrap_or_default().to_string());
        to_subject.push(("findings", findings_text(allegations, false)));
        to_subject.push(("recommendations", recommendations_text(recommendations, false)));
        letters.push(Letter { kind: "complaint-decision-subject", values: to_subject, to: Some((addressee, None)) });
    }
    letters
}
