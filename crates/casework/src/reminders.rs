//! Reminders to the person a case is assigned to, for every service: two working days before a
//! step is due, and once it is overdue. Run daily by the scheduler; each reminder is recorded as
//! it is queued, in the same transaction, so a rerun (or a second process) never sends it twice,
//! and a day the task did not run is made up on the next. Each service says which of its steps
//! are owed a reminder (asb/reminders.rs, complaints/reminders.rs).

use platform::calendar::{self, Nation};
use platform::config::Settings;
use platform::db::{self, Pool};
use platform::mail::Email;
use time::{Date, OffsetDateTime};

use crate::clock::Reminder;

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

/// Sends every service's reminders owed today, and chases the force for overdue responses to
/// recommendations; returns how many emails were queued.
pub async fn run(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let today = calendar::uk_local_date(now);
    let calendar = calendar::store::for_nation(pool, Nation::EnglandAndWales).await?;
    let mut owed = crate::asb::reminders::owed(pool, today, &calendar).await?;
    owed.extend(crate::complaints::reminders::owed(pool, today, &calendar).await?);
    let sent = deliver(pool, settings, owed, now).await?;
    let chased = crate::complaints::reminders::chase_force(pool, settings, now).await?;
    // Quality assurance's quarterly draw rides on the same daily run.
    crate::complaints::quality::draw_due(pool, now).await?;
    Ok(sent + chased)
}

async fn deliver(pool: &Pool, settings: &Settings, owed: Vec<Owed>, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let users = platform::auth::store::assignable_users(pool).await?;
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
