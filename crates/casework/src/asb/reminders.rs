//! Reminders to the person a case is assigned to: two working days before a step is due, and
//! once it is overdue. Run daily by the scheduler; each reminder is recorded as it is queued, in
//! the same transaction, so a rerun (or a second process) never sends it twice, and a day the
//! task did not run is made up on the next.

use platform::calendar::{self, Nation};
use platform::config::Settings;
use platform::db::{self, Pool};
use platform::mail::Email;
use time::OffsetDateTime;

use super::appeal;
use super::store;
use super::timescales::{self, Reminder, Step};

pub const TASK: &str = "casework-asb-reminders";

struct Owed {
    case_id: String,
    reference: String,
    step: Step,
    reminder: Reminder,
    link: String,
    assignee: Option<String>,
}

/// Sends the reminders owed today; returns how many were queued.
pub async fn run(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let today = calendar::uk_local_date(now);
    let calendar = calendar::store::for_nation(pool, Nation::EnglandAndWales).await?;
    let users = store::caseworkers(pool).await?;
    let office_email = platform::office::load(pool).await?.map(|o| o.email).unwrap_or_default();
    let base = settings.public_url.trim_end_matches('/');
    let mut owed: Vec<Owed> = Vec::new();
    for application in store::list_applications(pool, false, None).await? {
        let steps = timescales::application_steps(&application.dates(), &application.timescales(), &calendar);
        if let Some(step) = timescales::next_step(&steps)
            && let Some(reminder) = timescales::reminder_owed(step, today, &calendar)
        {
            owed.push(Owed {
                case_id: application.id.clone(),
                reference: application.reference.clone(),
                step: step.clone(),
                reminder,
                link: format!("{base}/staff/asb-case-reviews/{}", application.reference),
                assignee: application.assigned_to.clone(),
            });
        }
    }
    for appeal in appeal::list(pool, false, None).await? {
        let step = timescales::appeal_step(appeal.received(), appeal.decided(), &appeal.timescales(), &calendar);
        if let Some(reminder) = timescales::reminder_owed(&step, today, &calendar) {
            owed.push(Owed {
                case_id: appeal.id.clone(),
                reference: appeal.reference.clone(),
                step,
                reminder,
                link: format!("{base}/staff/asb-appeals/{}", appeal.reference),
                assignee: appeal.assigned_to.clone(),
            });
        }
    }
    let mut sent = 0;
    for Owed { case_id, reference, step, reminder, link, assignee } in owed {
        // Unassigned cases remind the office's shared inbox.
        let to = users
            .iter()
            .find(|u| assignee.as_deref() == Some(u.id.as_str()))
            .map(|u| u.email.clone())
            .unwrap_or_else(|| office_email.clone());
        if to.is_empty() {
            continue;
        }
        let mut tx = platform::db::begin_write(pool).await?;
        let inserted = sqlx::query(
            "INSERT INTO casework_asb_reminder (case_id, step, due_on, kind, sent_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (case_id, step, due_on, kind) DO NOTHING",
        )
        .bind(&case_id)
        .bind(step.kind.slug())
        .bind(db::date(step.due_on))
        .bind(reminder.slug())
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            let when = calendar::long_date(step.due_on);
            let (subject, opening) = match reminder {
                Reminder::DueSoon => (format!("Due {when}: {} for {reference}", step.kind.name().to_lowercase()), "is due soon"),
                Reminder::Overdue => (format!("Overdue: {} for {reference}", step.kind.name().to_lowercase()), "is overdue"),
            };
            let text = format!(
                "{} for {reference} {opening}.\n\nDue: {when} ({})\n\nOpen the case: {link}\n",
                step.kind.name(),
                step.rule
            );
            let html = format!(
                "<p>{} for {reference} {opening}.</p><p>Due: {when}</p><p><a href=\"{link}\">Open the case</a></p>",
                step.kind.name()
            );
            platform::mail::enqueue(&mut tx, settings, &Email { to, subject, text, html }).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}
