//! What the shared status tracker (casekit::tracker) shows of an ASB application or appeal.

use platform::calendar::{self, WorkingDayCalendar};
use platform::db::{self, Pool};
use platform::postcode::Postcode;
use platform::reference::Reference;

use super::appeal::{self, StoredAppeal};
use super::store::{self, Application};
use super::timescales::{self, StepKind};
use super::{Stage, ThresholdOutcome};

pub use casekit::tracker::{TrackerLine, TrackerView};

fn date_text(text: &Option<String>) -> Option<String> {
    text.as_deref().and_then(db::parse_date).map(calendar::long_date)
}

/// What the applicant sees of an application: built only from dates and decisions.
pub fn application_view(application: &Application, appeals: &[StoredAppeal], calendar: &WorkingDayCalendar) -> TrackerView {
    let steps = timescales::application_steps(&application.dates(), &application.timescales(), calendar);
    let due = |kind: StepKind| steps.iter().find(|s| s.kind == kind).map(|s| format!("Due by {}", calendar::long_date(s.due_on)));
    let mut lines = vec![TrackerLine {
        what: "Application received".into(),
        status: calendar::long_date(application.received()),
        done: true,
    }];
    lines.push(match date_text(&application.acknowledged_on) {
        Some(on) => TrackerLine { what: "Acknowledged".into(), status: on, done: true },
        None => TrackerLine { what: "Acknowledged".into(), status: due(StepKind::Acknowledge).unwrap_or_default(), done: false },
    });
    let outcome = application.threshold_outcome.as_deref().and_then(ThresholdOutcome::from_slug);
    lines.push(match (outcome, date_text(&application.threshold_decided_on)) {
        (Some(outcome), Some(on)) => {
            TrackerLine { what: "Threshold decision".into(), status: format!("{} on {on}", outcome.name()), done: true }
        }
        _ => TrackerLine {
            what: "Threshold decision".into(),
            status: due(StepKind::ThresholdDecision).unwrap_or_else(|| "After we acknowledge your application".into()),
            done: false,
        },
    });
    match application.review_to_be_held {
        Some(0) => lines.push(TrackerLine { what: "Case review".into(), status: "No review will be held".into(), done: true }),
        Some(_) => {
            lines.push(match date_text(&application.meeting_on) {
                Some(on) => TrackerLine { what: "Review meeting".into(), status: format!("Held on {on}"), done: true },
                None => TrackerLine {
                    what: "Review meeting".into(),
                    status: due(StepKind::ReviewMeeting).unwrap_or_default(),
                    done: false,
                },
            });
            lines.push(match date_text(&application.outcome_sent_on) {
                Some(on) => TrackerLine { what: "Outcome".into(), status: format!("Sent on {on}"), done: true },
                None => TrackerLine {
                    what: "Outcome".into(),
                    status: due(StepKind::OutcomeLetter).unwrap_or_else(|| "After the review meeting".into()),
                    done: false,
                },
            });
        }
        None => {}
    }
    for appeal in appeals {
        lines.push(TrackerLine {
            what: format!("Appeal {}", appeal.reference),
            status: appeal.outcome_name().to_string(),
            done: appeal.outcome.is_some(),
        });
    }
    if let Some(on) = date_text(&application.closed_on) {
        lines.push(TrackerLine { what: "Closed".into(), status: on, done: true });
    }
    let stage = application.stage();
    let summary = if stage == Stage::Closed { Stage::Closed.public_name() } else { stage.public_name() };
    TrackerView {
        reference: application.reference.clone(),
        kind: "ASB case review application",
        summary: summary.to_string(),
        lines,
        links: Vec::new(),
    }
}

pub fn appeal_view(appeal: &StoredAppeal, calendar: &WorkingDayCalendar) -> TrackerView {
    let step = timescales::appeal_step(appeal.received(), appeal.decided(), &appeal.timescales(), calendar);
    let mut lines =
        vec![TrackerLine { what: "Appeal received".into(), status: calendar::long_date(appeal.received()), done: true }];
    if appeal.in_time == 0 {
        lines.push(TrackerLine {
            what: "Time limit".into(),
            status: match appeal.hearing_decision.as_deref() {
                Some("hear") => "Arrived late, but we will consider it".into(),
                Some(_) => "Arrived late, and we cannot consider it".into(),
                None => "Arrived late: we are deciding whether we can consider it".into(),
            },
            done: appeal.hearing_decision.is_some(),
        });
    }
    lines.push(match appeal.decided() {
        Some(on) => TrackerLine {
            what: "Decision".into(),
            status: format!("{} on {}", appeal.outcome_name(), calendar::long_date(on)),
            done: true,
        },
        None => {
            TrackerLine { what: "Decision".into(), status: format!("Due by {}", calendar::long_date(step.due_on)), done: false }
        }
    });
    let summary = if appeal.outcome.is_some() { "We have decided your appeal" } else { "We are considering your appeal" };
    TrackerView {
        reference: appeal.reference.clone(),
        kind: "ASB case review appeal",
        summary: summary.into(),
        lines,
        links: Vec::new(),
    }
}

/// The tracker of an ASB application or appeal with this reference and the applicant's own
/// postcode. Never the postcode where the behaviour happens: the neighbours complained about
/// know that one, and references are sequential.
pub async fn find_view(
    pool: &Pool,
    reference: &Reference,
    postcode: &Postcode,
    calendar: &WorkingDayCalendar,
) -> Result<Option<TrackerView>, sqlx::Error> {
    if reference.prefix() == store::PREFIX {
        if let Some(application) = store::find_application(pool, &reference.to_string()).await?
            && application.contact.postcode.as_deref() == Some(postcode.as_str())
            && application.anonymised_at.is_none()
        {
            let appeals = appeal::appeals_of_application(pool, &application.id).await?;
            return Ok(Some(application_view(&application, &appeals, calendar)));
        }
    } else if reference.prefix() == store::APPEAL_PREFIX
        && let Some(appeal) = appeal::find(pool, &reference.to_string()).await?
        && appeal.contact.postcode.as_deref() == Some(postcode.as_str())
        && appeal.anonymised_at.is_none()
    {
        return Ok(Some(appeal_view(&appeal, calendar)));
    }
    Ok(None)
}

/// The tracker behind a private link, if the token is an ASB application's or appeal's.
pub async fn view_by_token(pool: &Pool, token: &str, calendar: &WorkingDayCalendar) -> Result<Option<TrackerView>, sqlx::Error> {
    if let Some(application) = store::find_application_by_token(pool, token).await?.filter(|a| a.anonymised_at.is_none()) {
        let appeals = appeal::appeals_of_application(pool, &application.id).await?;
        return Ok(Some(application_view(&application, &appeals, calendar)));
    }
    if let Some(appeal) = appeal::find_by_token(pool, token).await?.filter(|a| a.anonymised_at.is_none()) {
        return Ok(Some(appeal_view(&appeal, calendar)));
    }
    Ok(None)
}
