//! The validity check's form: Schedule 3, the IOPC's grounds, time spent forwarding, and
//! exceptional circumstances for a late request, worked out by the pure rules
//! (`complaints::rules::validity`) into what the check records.

use super::*;
use crate::complaints::workflow::record;

/// The IOPC's forwarding, as typed: None when not forwarded or the dates are wrong.
fn forwarding(form: &ActionForm, today: Date, errors: &mut FormErrors, marks: &mut Marks) -> Option<rules::Forwarding> {
    if form.forwarded != "yes" {
        return None;
    }
    let (sent, sent_marks) = date_field(errors, "sent", &form.sent(), "the date the IOPC received it");
    let (arrived, arrived_marks) = date_field(errors, "arrived", &form.arrived(), "the date it reached us");
    marks.sent = sent_marks;
    marks.arrived = arrived_marks;
    let all = DatePartsInError { day: true, month: true, year: true };
    match (sent, arrived) {
        (Some(s), Some(a)) if a < s => {
            let message = "The date it reached us must be on or after the date the IOPC received it";
            errors.add_targeted("arrived", "arrived-day", message);
            marks.arrived = all;
            None
        }
        (Some(_), Some(a)) if a > today => {
            errors.add_targeted("arrived", "arrived-day", "The date it reached us must be today or in the past");
            marks.arrived = all;
            None
        }
        (Some(sent_on), Some(arrived_on)) => Some(rules::Forwarding { sent_on, arrived_on }),
        _ => None,
    }
}

/// The validity check: what the form says, the rule's outcome and the change it records. Adds
/// messages to `errors` and returns None when the form is not complete.
pub(super) fn plan_validity(
    review: &Review,
    form: &ActionForm,
    (today, decided_by): (Date, &str),
    errors: &mut FormErrors,
    marks: &mut Marks,
) -> Option<(Validity, Change<'static>)> {
    if !["yes", "no"].contains(&form.schedule_3.as_str()) {
        errors.add("schedule-3", "Select whether the complaint was handled under Schedule 3");
    }
    let reasons: Vec<IopcReason> = form.iopc_reasons.iter().filter_map(|s| IopcReason::from_slug(s)).collect();
    let forwarding = forwarding(form, today, errors, marks);
    let timeliness = rules::timeliness(review.outcome_given(), review.received(), forwarding.as_slice());
    let exceptional = match form.exceptional.as_str() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let check = ValidityCheck {
        schedule_3: form.schedule_3 == "yes",
        iopc_reasons: reasons.clone(),
        exceptional_circumstances: exceptional,
    };
    let outcome = rules::validity(&check, &timeliness);
    if let Validity::LateNeedsDecision { days_late } = outcome {
        errors.add(
            "exceptional",
            format!("The request arrived {days_late} days late: select whether there are exceptional circumstances"),
        );
    }
    let reasons_text = form.reasons.trim().replace("\r\n", "\n");
    if matches!(outcome, Validity::NotReviewable | Validity::OutOfTime { .. }) && reasons_text.is_empty() {
        errors.add("reasons", "Enter the reasons, for the letter to the complainant");
    }
    if reasons_text.chars().count() > 5000 {
        errors.add("reasons", "Reasons must be 5000 characters or fewer");
    }
    if !errors.is_empty() {
        return None;
    }
    let decided = match &outcome {
        Validity::Accepted => ValidityOutcome::Valid,
        Validity::NotReviewable => ValidityOutcome::NotReviewable,
        Validity::OutOfTime { .. } | Validity::LateNeedsDecision { .. } => ValidityOutcome::OutOfTime,
        Validity::ForwardToIopc(_) => ValidityOutcome::ForwardedToIopc,
    };
    let iopc_reasons: Vec<&str> = reasons.iter().map(|r| r.slug()).collect();
    let decision = record::ValidityDecision {
        outcome: decided,
        schedule_3: check.schedule_3,
        iopc_reasons: &iopc_reasons,
        exceptional,
        forwarding,
        reasons: &reasons_text,
        in_time: timeliness.in_time(),
        decided_by,
        acknowledges: review.acknowledged_on.is_none(),
    };
    let change = record::validity_checked(&decision, today);
    Some((outcome, change))
}
