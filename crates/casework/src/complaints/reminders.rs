//! Which complaint review steps are owed a reminder today (sent by casekit::reminders), and the
//! chasing of the force for overdue responses to recommendations: one email to the force's PSD a
//! week until it answers, each recorded so a rerun never sends it twice.

use platform::calendar::{self, WorkingDayCalendar};
use platform::config::Settings;
use platform::db::Pool;
use platform::mail::Email;
use time::{Date, Duration, OffsetDateTime};

use super::policy;
use super::store;
use super::timescales;
use casekit::clock::{self, StepName};
use casekit::deadlines::Deadline;
use casekit::reminders::Owed;

/// Days between chases of one overdue response (LOCAL).
pub const CHASE_EVERY_DAYS: i64 = 7;

pub async fn owed(pool: &Pool, today: Date, calendar: &WorkingDayCalendar) -> Result<Vec<Owed>, sqlx::Error> {
    let mut owed = Vec::new();
    for review in store::list(pool, false).await? {
        let steps = timescales::review_steps(&review.dates(), &review.timescales(), calendar);
        if let Some(step) = clock::next_step(&steps)
            && let Some(reminder) = clock::reminder_owed(step, today, calendar)
        {
            owed.push(Owed {
                case_id: review.id.clone(),
                reference: review.reference.clone(),
                step_slug: step.kind.slug(),
                step_name: step.kind.name(),
                due_on: step.due_on,
                rule: step.rule.clone(),
                reminder,
                path: format!("/staff/complaint-reviews/{}", review.reference),
                assignee: review.assigned_to.clone(),
            });
        }
    }
    Ok(owed)
}

/// Each open review's next step, with its date.
pub async fn deadlines(pool: &Pool, calendar: &WorkingDayCalendar) -> Result<Vec<Deadline>, sqlx::Error> {
    let mut deadlines = Vec::new();
    for review in store::list(pool, false).await? {
        let steps = timescales::review_steps(&review.dates(), &review.timescales(), calendar);
        if let Some(step) = clock::next_step(&steps) {
            let (case_id, reference) = (review.id.clone(), review.reference.clone());
            deadlines.push(Deadline {
                case_id,
                reference,
                step: step.kind.name(),
                due_on: step.due_on,
                assigned_to: review.assigned_to.clone(),
                received_on: review.received(),
            });
        }
    }
    Ok(deadlines)
}

/// Emails the force's PSD about every response now overdue and not chased this week; returns how
/// many chases were sent.
pub async fn chase_force(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let today = calendar::uk_local_date(now);
    let policy = policy::load(pool).await?;
    if policy.psd_email.is_empty() {
        return Ok(0);
    }
    let base = settings.public_url.trim_end_matches('/');
    let mut sent = 0;
    for (review_id, recommendation) in store::awaited_recommendations(pool).await? {
        if !recommendation.response_overdue(today) {
            continue;
        }
        let reference: Option<String> = sqlx::query_scalar("SELECT reference FROM casework_complaint_review WHERE id = $1")
            .bind(&review_id)
            .fetch_optional(pool)
            .await?;
        let Some(reference) = reference else { continue };
        let mut tx = platform::db::begin_write(pool).await?;
        if store::mark_chased(&mut tx, &recommendation.id, today, today - Duration::days(CHASE_EVERY_DAYS - 1)).await? {
            let link = format!("{base}/staff/complaint-reviews/{reference}#recommendations");
            let due = calendar::long_date(recommendation.respond_by());
            let subject = format!("Overdue: the force’s response to a recommendation in review {reference}");
            let text = format!(
                "The force's response to this recommendation was due on {due} and has not been recorded:\n\n{}\n\nRecord the response: {link}\n",
                recommendation.recommendation
            );
            let html = format!(
                "<p>The force’s response to this recommendation was due on {due} and has not been recorded.</p><p><a href=\"{link}\">Record the response</a></p>"
            );
            platform::mail::enqueue(&mut tx, settings, &Email { to: policy.psd_email.clone(), subject, text, html }).await?;
            let event = platform::audit::Event {
                action: "chased the force",
                record_type: store::RECORD_TYPE,
                record_id: &reference,
                detail: &recommendation.id,
            };
            platform::audit::record(&mut tx, &platform::audit::Actor::system("reminders"), event, now).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}
