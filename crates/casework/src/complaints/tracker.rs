//! What the shared status tracker (casekit::tracker) shows of a police complaint review: dates,
//! decisions and counts only. Nothing about the officer complained about, or the force's file,
//! is ever shown here.

use platform::calendar::{self, WorkingDayCalendar};
use platform::db::{self, Pool};
use platform::postcode::Postcode;
use platform::reference::Reference;

use super::ValidityOutcome;
use super::store::{self, Recommendation, Review, StoredAllegation};
use super::timescales::{self, ReviewStep};
use casekit::tracker::{TrackerLine, TrackerView};

fn on(text: &Option<String>) -> Option<String> {
    text.as_deref().and_then(db::parse_date).map(calendar::long_date)
}

pub fn view(
    review: &Review,
    allegations: &[StoredAllegation],
    recommendations: &[Recommendation],
    calendar: &WorkingDayCalendar,
) -> TrackerView {
    let steps = timescales::review_steps(&review.dates(), &review.timescales(), calendar);
    let due_on = |kind: ReviewStep| steps.iter().find(|s| s.kind == kind).map(|s| calendar::long_date(s.due_on));
    let due = |kind: ReviewStep| due_on(kind).map(|date| format!("Due by {date}"));
    let line = |what: &str, status: String, done: bool| TrackerLine { what: what.into(), status, done };
    let mut lines = vec![line("Request received", calendar::long_date(review.received()), true)];
    lines.push(match on(&review.acknowledged_on) {
        Some(date) => line("Acknowledged", date, true),
        None => line("Acknowledged", due(ReviewStep::Acknowledge).unwrap_or_default(), false),
    });
    lines.push(match (review.validity(), on(&review.validity_decided_on)) {
        (Some(outcome), Some(date)) => {
            let said = match outcome {
                ValidityOutcome::Valid => "We can review your complaint",
                ValidityOutcome::NotReviewable => "We cannot review this complaint: we have written to you to explain why",
                ValidityOutcome::OutOfTime => "Your request arrived too late for us to review it: we have written to you",
                ValidityOutcome::ForwardedToIopc => "The IOPC reviews this complaint: we have sent your request to them",
            };
            line("Whether we can review it", format!("{said} ({date})"), true)
        }
        _ => line("Whether we can review it", "We are checking".into(), false),
    });
    if review.validity() == Some(ValidityOutcome::Valid) {
        lines.push(match (on(&review.file_requested_on), on(&review.file_received_on)) {
            (_, Some(date)) => line("Complaint file from the force", format!("Received {date}"), true),
            (Some(date), None) => line(
                "Complaint file from the force",
                match due_on(ReviewStep::ComplaintFile) {
                    Some(due) => format!("Asked for on {date}; due by {due}"),
                    None => format!("Asked for on {date}"),
                },
                false,
            ),
            (None, None) => line("Complaint file from the force", "Not yet asked for".into(), false),
        });
        lines.push(match on(&review.decided_on) {
            Some(date) => {
                let upheld = allegations.iter().filter(|a| a.finding.as_deref() == Some("upheld")).count();
                line(
                    "Decision",
                    format!("Decided {date}: {upheld} of {} parts of your complaint upheld", allegations.len()),
                    true,
                )
            }
            None => {
                line("Decision", due(ReviewStep::Decision).unwrap_or_else(|| "After the complaint file arrives".into()), false)
            }
        });
        if !recommendations.is_empty() {
            let answered = recommendations.iter().filter(|r| r.force_response.is_some()).count();
            lines.push(line(
                "Our recommendations to the force",
                format!("{} made; the force has responded to {answered}", recommendations.len()),
                answered == recommendations.len(),
            ));
        }
    }
    if let Some(date) = on(&review.closed_on) {
        lines.push(line("Closed", date, true));
    }
    TrackerView {
        reference: review.reference.clone(),
        kind: "Police complaint review",
        summary: review.stage().public_name().to_string(),
        lines,
        links: Vec::new(),
    }
}

async fn view_of(pool: &Pool, review: &Review, calendar: &WorkingDayCalendar) -> Result<TrackerView, sqlx::Error> {
    let allegations = store::allegations_of(pool, &review.id).await?;
    let recommendations = store::recommendations_of(pool, &review.id).await?;
    Ok(view(review, &allegations, &recommendations, calendar))
}

pub async fn find_view(
    pool: &Pool,
    reference: &Reference,
    postcode: &Postcode,
    calendar: &WorkingDayCalendar,
) -> Result<Option<TrackerView>, sqlx::Error> {
    if reference.prefix() != store::PREFIX {
        return Ok(None);
    }
    match store::find(pool, &reference.to_string()).await? {
        Some(review) if review.contact.postcode.as_deref() == Some(postcode.as_str()) && review.anonymised_at.is_none() => {
            Ok(Some(view_of(pool, &review, calendar).await?))
        }
        _ => Ok(None),
    }
}

pub async fn view_by_token(pool: &Pool, token: &str, calendar: &WorkingDayCalendar) -> Result<Option<TrackerView>, sqlx::Error> {
    match store::find_by_token(pool, token).await?.filter(|r| r.anonymised_at.is_none()) {
        Some(review) => Ok(Some(view_of(pool, &review, calendar).await?)),
        None => Ok(None),
    }
}
