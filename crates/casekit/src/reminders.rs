//! Reminders to the person a case is assigned to, for every service: two working days before a
//! step is due, and once it is overdue. Run daily by the scheduler; each reminder is recorded as
//! it is queued, in the same transaction, so a rerun (or a second process) never sends it twice,
//! and a day the task did not run is made up on the next. Each service says which of its steps
//! are owed a reminder through the registry (`CaseService::reminders_owed`).

use platform::calendar::{self, Nation};
use platform::config::Settings;
use platform::db::{self, Pool};
use platform::mail::Email;
use time::{Date, OffsetDateTime};

use crate::clock::Reminder;
use crate::registry::Services;

pub const TASK: &str = "casework-reminders";

/// A reminder a step of a case is owed today.
pub struct Owed {
    pub case_id: String,
    pub reference: String,
    pub step_slug: &'static str,
    pub step_name: &'static str,
    pub due_on: Date,
    pub rule: String,
    pub reminder: Reminder,
    /// The case's page, from the site's root.
    pub path: String,
    pub assignee: Option<String>,
}

/// Sends every registered service's reminders owed today, then lets each do its own daily work
/// (chasing a force, drawing a sample); returns how many emails were queued.
pub async fn run(services: &Services, pool: &Pool, settings: &Settings, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let today = calendar::uk_local_date(now);
    let calendar = calendar::store::for_nation(pool, Nation::EnglandAndWales).await?;
    let mut owed = Vec::new();
    for service in services.iter() {
        owed.extend(service.reminders_owed(pool, today, &calendar).await?);
    }
    let mut sent = deliver(pool, settings, owed, now).await?;
    for service in services.iter() {
        sent += service.daily(pool, settings, now).await?;
    }
    Ok(sent)
}

async fn deliver(pool: &Pool, settings: &Settings, owed: Vec<Owed>, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    // Any active account a case is assigned to: information requests go to transparency officers.
    let users: Vec<_> = platform::auth::store::list_users(pool).await?.into_iter().filter(|u| !u.disabled).collect();
    let office_email = platform::office::load(pool).await?.map(|o| o.email).unwrap_or_default();
    let base = settings.public_url.trim_end_matches('/');
    let mut sent = 0;
    for owed in owed {
        // Unassigned cases remind the office's shared inbox.
        let to = users
            .iter()
            .find(|u| owed.assignee.as_deref() == Some(u.id.as_str()))
            .map(|u| u.email.clone())
            .unwrap_or_else(|| office_email.clone());
        if to.is_empty() {
            continue;
        }
        let mut tx = platform::db::begin_write(pool).await?;
        let inserted = sqlx::query(
            "INSERT INTO casework_reminder (case_id, step, due_on, kind, sent_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (case_id, step, due_on, kind) DO NOTHING",
        )
        .bind(&owed.case_id)
        .bind(owed.step_slug)
        .bind(db::date(owed.due_on))
        .bind(owed.reminder.slug())
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 1 {
            let when = calendar::long_date(owed.due_on);
            let reference = &owed.reference;
            let step = owed.step_name;
            let link = format!("{base}{}", owed.path);
            let (subject, opening) = match owed.reminder {
                Reminder::DueSoon => (format!("Due {when}: {} for {reference}", step.to_lowercase()), "is due soon"),
                Reminder::Overdue => (format!("Overdue: {} for {reference}", step.to_lowercase()), "is overdue"),
            };
            let text = format!("{step} for {reference} {opening}.\n\nDue: {when} ({})\n\nOpen the case: {link}\n", owed.rule);
            let html =
                format!("<p>{step} for {reference} {opening}.</p><p>Due: {when}</p><p><a href=\"{link}\">Open the case</a></p>");
            platform::mail::enqueue(&mut tx, settings, &Email { to, subject, text, html }).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}
