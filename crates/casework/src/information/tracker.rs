//! What the shared status tracker (casekit::tracker) shows of an information request: when it
//! arrived, when it is due and by what rule, and whether it has been answered. Never the
//! requester's details or the response itself.

use platform::calendar::{self, WorkingDayCalendar};
use platform::db::{self, Pool};
use platform::postcode::Postcode;
use platform::reference::Reference;

use super::appeals::{self, Appeal};
use super::clock::{Due, RequestKind};
use super::disclosure;
use super::store::{self, InformationRequest};
use casekit::tracker::{TrackerLine, TrackerView};

pub fn view(
    request: &InformationRequest,
    appeals: &[Appeal],
    foi: &WorkingDayCalendar,
    local: &WorkingDayCalendar,
) -> TrackerView {
    let on = |text: &Option<String>| text.as_deref().and_then(db::parse_date).map(calendar::long_date);
    let line = |what: &str, status: String, done: bool| TrackerLine { what: what.into(), status, done };
    let received = db::parse_date(&request.received_on).map(calendar::long_date).unwrap_or_default();
    let mut lines = vec![line("Request received", received, true)];
    match on(&request.responded_on) {
        Some(date) => {
            let outcome = disclosure::outcome_name(request.outcome.as_deref().unwrap_or_default()).to_string();
            lines.push(line("Answered", format!("{date}: {outcome}"), true));
        }
        None => lines.push(match request.due(foi, local) {
            Due::On { due_on, rule } => line("Answer due", format!("By {} ({rule})", calendar::long_date(due_on)), false),
            Due::Stopped { why } => line("Answer due", format!("{why}: we have written to you"), false),
        }),
    }
    let mut links = Vec::new();
    if let Some(token) = &request.released_token {
        links.push(("Download the documents released to you".to_string(), super::release::released_page(token)));
    }
    if request.stage == store::Stage::Published {
        lines.push(line("Published in the disclosure log", "Without your name or contact details".into(), true));
        links.push(("Read the answer in the disclosure log".to_string(), format!("/disclosure-log/{}", request.reference)));
    }
    for appeal in appeals {
        let what = if appeal.is_review() { "Internal review" } else { "Complaint to the Information Commissioner" };
        lines.push(match (&appeal.outcome, appeal.received()) {
            (Some(outcome), _) => {
                line(what, format!("{}: {}", on(&appeal.decided_on).unwrap_or_default(), appeals::outcome_name(outcome)), true)
            }
            (None, Some(received)) if appeal.is_review() => {
                let (due, _, _) = appeals::review_due(received, foi);
                line(what, format!("Asked for on {}; due by {}", calendar::long_date(received), calendar::long_date(due)), false)
            }
            (None, Some(received)) => line(what, format!("Received on {}", calendar::long_date(received)), false),
            (None, None) => line(what, "Received".to_string(), false),
        });
    }
    let kind = request.kind().name();
    TrackerView { reference: request.reference.clone(), kind, summary: request.stage.name().to_string(), lines, links }
}

fn is_ours(reference: &Reference) -> bool {
    [RequestKind::Foi, RequestKind::Eir, RequestKind::SubjectAccess].iter().any(|k| k.prefix() == reference.prefix())
}

pub async fn find_view(
    pool: &Pool,
    reference: &Reference,
    postcode: &Postcode,
    foi: &WorkingDayCalendar,
    local: &WorkingDayCalendar,
) -> Result<Option<TrackerView>, sqlx::Error> {
    if !is_ours(reference) {
        return Ok(None);
    }
    match store::find(pool, &reference.to_string())
        .await?
        .filter(|r| r.contact.postcode.as_deref() == Some(postcode.as_str()) && r.anonymised_at.is_none())
    {
        Some(request) => Ok(Some(view(&request, &appeals::appeals_of(pool, &request.id).await?, foi, local))),
        None => Ok(None),
    }
}

pub async fn view_by_token(
    pool: &Pool,
    token: &str,
    foi: &WorkingDayCalendar,
    local: &WorkingDayCalendar,
) -> Result<Option<TrackerView>, sqlx::Error> {
    match store::find_by_token(pool, token).await?.filter(|r| r.anonymised_at.is_none()) {
        Some(request) => Ok(Some(view(&request, &appeals::appeals_of(pool, &request.id).await?, foi, local))),
        None => Ok(None),
    }
}
