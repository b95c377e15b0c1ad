//! The applicant's status tracker: where an application or appeal has got to, by the private
//! link sent by email, or by reference number and postcode. It shows dates and decisions, never
//! anyone's details, and wrong guesses from one address are throttled.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::auth::Viewer;
use platform::calendar::{self, Nation, WorkingDayCalendar};
use platform::db::{self, Pool};
use platform::postcode::Postcode;
use platform::reference::Reference;
use platform::web::forms::{ErrorSummary, FormErrors, TextInput};
use platform::web::{Form, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Duration, OffsetDateTime};

use super::appeal::{self, StoredAppeal};
use super::store::{self, Application};
use super::timescales::{self, StepKind};
use super::{Stage, ThresholdOutcome};

/// Wrong reference-and-postcode pairs one address may try in an hour.
pub const MAX_FAILURES_PER_HOUR: i64 = 10;

pub fn routes() -> Routes {
    Routes::new().route("/asb-case-review/track", Access::Public, get(show_form).post(look_up)).route(
        "/asb-case-review/track/{token}",
        Access::Public,
        get(by_link),
    )
}

/// One line of the tracker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerLine {
    pub what: String,
    pub status: String,
    pub done: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrackerView {
    pub reference: String,
    pub kind: &'static str,
    pub summary: String,
    pub lines: Vec<TrackerLine>,
}

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
    TrackerView { reference: application.reference.clone(), kind: "application", summary: summary.to_string(), lines }
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
    TrackerView { reference: appeal.reference.clone(), kind: "appeal", summary: summary.into(), lines }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct LookupForm {
    reference: String,
    postcode: String,
}

#[derive(Template)]
#[template(path = "asb/track_form.html")]
struct FormPage {
    chrome: Chrome,
    form: LookupForm,
    errors: FormErrors,
}

impl FormPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn reference(&self) -> TextInput<'_> {
        TextInput::new("reference", "Reference number", &self.form.reference, &self.errors)
            .width("govuk-input--width-20")
            .no_spellcheck()
            .hint("For example, ASB-2026-000042. It is on your confirmation page and in our letters.")
    }
    fn postcode(&self) -> TextInput<'_> {
        TextInput::new("postcode", "Postcode", &self.form.postcode, &self.errors)
            .width("govuk-input--width-10")
            .hint("For an application, the postcode where the anti-social behaviour happens. For an appeal, your own postcode.")
    }
}

#[derive(Template)]
#[template(path = "asb/track.html")]
struct StatusPage {
    chrome: Chrome,
    view: TrackerView,
}

async fn show_form(chrome: Chrome) -> Result<Response, AppError> {
    render(&FormPage { chrome, form: LookupForm::default(), errors: FormErrors::new() })
}

async fn recent_failures(pool: &Pool, address: &str, now: OffsetDateTime) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM casework_tracker_failure WHERE address = $1 AND failed_at > $2")
        .bind(address)
        .bind(db::timestamp(now - Duration::hours(1)))
        .fetch_one(pool)
        .await
}

async fn record_failure(pool: &Pool, address: &str, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO casework_tracker_failure (id, address, failed_at) VALUES ($1, $2, $3)")
        .bind(platform::ids::new_id())
        .bind(address)
        .bind(db::timestamp(now))
        .execute(pool)
        .await?;
    Ok(())
}

/// Forgets failures older than a day (daily housekeeping).
pub async fn sweep_failures(pool: &Pool, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM casework_tracker_failure WHERE failed_at < $1")
        .bind(db::timestamp(now - Duration::days(1)))
        .execute(pool)
        .await?;
    Ok(result.rows_affected())
}

async fn find_view(platform: &Platform, reference: &Reference, postcode: &Postcode) -> Result<Option<TrackerView>, AppError> {
    let pool = platform.pool();
    let calendar = calendar::store::for_nation(pool, Nation::EnglandAndWales).await?;
    if reference.prefix() == store::PREFIX {
        if let Some(application) = store::find_application(pool, &reference.to_string()).await?
            && application.location_postcode == postcode.as_str()
            && application.anonymised_at.is_none()
        {
            let appeals = appeal::appeals_of_application(pool, &application.id).await?;
            return Ok(Some(application_view(&application, &appeals, &calendar)));
        }
    } else if reference.prefix() == store::APPEAL_PREFIX
        && let Some(appeal) = appeal::find(pool, &reference.to_string()).await?
        && appeal.postcode == postcode.as_str()
        && appeal.anonymised_at.is_none()
    {
        return Ok(Some(appeal_view(&appeal, &calendar)));
    }
    Ok(None)
}

async fn look_up(
    State(platform): State<Platform>,
    chrome: Chrome,
    viewer: Viewer,
    Form(form): Form<LookupForm>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let address = viewer.address().to_string();
    if recent_failures(platform.pool(), &address, now).await? >= MAX_FAILURES_PER_HOUR {
        let mut errors = FormErrors::new();
        errors.add("reference", "You have tried too many times. Wait an hour and try again, or contact us.");
        let page = render(&FormPage { chrome: chrome.with_errors(true), form, errors })?;
        return Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response());
    }
    let mut errors = FormErrors::new();
    let reference = form.reference.parse::<Reference>();
    if form.reference.trim().is_empty() {
        errors.add("reference", "Enter your reference number");
    } else if reference.is_err() {
        errors.add("reference", "Enter a reference number like ASB-2026-000042");
    }
    let postcode = Postcode::parse(&form.postcode);
    if form.postcode.trim().is_empty() {
        errors.add("postcode", "Enter the postcode");
    } else if let Err(message) = postcode {
        errors.add("postcode", message);
    }
    if let (true, Ok(reference), Ok(postcode)) = (errors.is_empty(), &reference, &postcode) {
        if let Some(view) = find_view(&platform, reference, postcode).await? {
            return render(&StatusPage { chrome, view });
        }
        record_failure(platform.pool(), &address, now).await?;
        // One message for a wrong reference and a wrong postcode: neither is confirmed to a guesser.
        errors.add("reference", "We could not find a case with that reference number and postcode. Check both and try again.");
    }
    let page = render(&FormPage { chrome: chrome.with_errors(true), form, errors })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

async fn by_link(State(platform): State<Platform>, chrome: Chrome, Path(token): Path<String>) -> Result<Response, AppError> {
    if token.len() > 100 {
        return Err(AppError::NotFound);
    }
    let pool = platform.pool();
    let calendar = calendar::store::for_nation(pool, Nation::EnglandAndWales).await?;
    let view =
        if let Some(application) = store::find_application_by_token(pool, &token).await?.filter(|a| a.anonymised_at.is_none()) {
            let appeals = appeal::appeals_of_application(pool, &application.id).await?;
            application_view(&application, &appeals, &calendar)
        } else if let Some(appeal) = appeal::find_by_token(pool, &token).await?.filter(|a| a.anonymised_at.is_none()) {
            appeal_view(&appeal, &calendar)
        } else {
            return Err(AppError::NotFound);
        };
    render(&StatusPage { chrome, view })
}
