//! The partner's side of the quarterly cycle: a lead sees the updates asked of their
//! organisation's actions, sends each with a proposed status, and sends it again when the office
//! asks for more. Reminders before the due date and chases after it go to the organisation's
//! partner accounts (or its shared address when it has none).

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::Actor;
use platform::auth::CurrentStaff;
use platform::config::Settings;
use platform::db::Pool;
use platform::mail::Email;
use platform::web::forms::{Choice, Choices, FormErrors, Textarea};
use platform::web::{Form, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::model::{DeliveryStatus, STATUS_CHOICES, UpdateState};
use crate::nudges::{self, Nudge};
use crate::store::{self, Asked, Plan, QuarterRecord, Update};

pub fn routes() -> Routes {
    Routes::new().route("/staff/plan-updates", Access::Roles(crate::LEADS), get(list)).route(
        "/staff/plan-updates/{update}",
        Access::Roles(crate::LEADS),
        get(show).post(send),
    )
}

/// The updates asked of the signed-in partner's organisation; nobody else's.
async fn asked(platform: &Platform, staff: &CurrentStaff) -> Result<Vec<Asked>, AppError> {
    let Some(organisation) = staff.user.organisation_id.as_deref() else { return Ok(Vec::new()) };
    Ok(store::asked_of(platform.pool(), organisation).await?)
}

#[derive(Template)]
#[template(path = "plans/leads_list.html")]
struct ListPage {
    chrome: Chrome,
    asked: Vec<Asked>,
    organisation: String,
    sent: bool,
}

impl ListPage {
    fn due(&self, asked: &Asked) -> String {
        platform::format::date(asked.due_on)
    }
    fn late(&self, asked: &Asked) -> bool {
        matches!(asked.update.state, UpdateState::Awaited | UpdateState::SentBack)
            && platform::calendar::uk_today() > asked.due_on
    }
    fn waiting(&self) -> usize {
        self.asked.iter().filter(|a| matches!(a.update.state, UpdateState::Awaited | UpdateState::SentBack)).count()
    }
    fn quarter(&self, slug: &str) -> String {
        crate::model::quarter_label(slug)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SentQuery {
    sent: String,
}

async fn list(
    StaffPage { platform, chrome, staff }: StaffPage,
    axum::extract::Query(query): axum::extract::Query<SentQuery>,
) -> Result<Response, AppError> {
    let asked = asked(&platform, &staff).await?;
    let organisation = staff.user.organisation.clone().unwrap_or_default();
    render(&ListPage { chrome, asked, organisation, sent: query.sent == "yes" })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UpdateForm {
    progress: String,
    status: String,
    revision: String,
}

#[derive(Template)]
#[template(path = "plans/leads_update.html")]
struct UpdatePage {
    chrome: Chrome,
    asked: Asked,
    form: UpdateForm,
    errors: FormErrors,
}

impl UpdatePage {
    fn progress(&self) -> Textarea<'_> {
        Textarea::new("progress", "What progress has been made this quarter?", &self.form.progress, &self.errors)
            .rows(6)
            .max_chars(crate::import::MAX_CELL_CHARS)
            .hint("What was done, with figures and dates where you have them. The public will read this once the office approves it.")
    }
    fn status(&self) -> Choices<'_> {
        Choices::radios(
            "status",
            "What status should the action have now?",
            Choice::each(&STATUS_CHOICES),
            Some(self.form.status.as_str()),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--m")
    }
    fn due(&self) -> String {
        platform::format::date(self.asked.due_on)
    }
    fn current(&self) -> String {
        self.asked.update.current_status.described()
    }
    fn open(&self) -> bool {
        !matches!(self.asked.update.state, UpdateState::Approved)
    }
}

async fn find(platform: &Platform, staff: &CurrentStaff, id: &str) -> Result<Asked, AppError> {
    asked(platform, staff).await?.into_iter().find(|a| a.update.id == id).ok_or(AppError::NotFound)
}

async fn show(StaffPage { platform, chrome, staff }: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    let asked = find(&platform, &staff, &id).await?;
    let form = UpdateForm {
        progress: asked.update.progress.clone(),
        status: asked.update.proposed_status.unwrap_or(asked.update.current_status).slug().into(),
        revision: asked.update.revision.to_string(),
    };
    render(&UpdatePage { chrome, asked, form, errors: FormErrors::new() })
}

async fn send(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<UpdateForm>,
) -> Result<Response, AppError> {
    // A quarter that closed while the lead typed no longer lists the update: say so, keep the words.
    let asked = match find(&platform, &staff, &id).await {
        Ok(asked) => asked,
        Err(AppError::NotFound) => {
            let update = store::find_update(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
            if update.partner_id != staff.user.organisation_id {
                return Err(AppError::NotFound);
            }
            let page = ClosedPage { chrome, progress: form.progress };
            return Ok((axum::http::StatusCode::CONFLICT, render(&page)?).into_response());
        }
        Err(e) => return Err(e),
    };
    let mut errors = FormErrors::new();
    let progress = form.progress.trim().replace("\r\n", "\n");
    if progress.is_empty() {
        errors.add("progress", "Enter the progress made this quarter");
    } else if progress.chars().count() > crate::import::MAX_CELL_CHARS {
        errors.add("progress", "Progress must be 4,000 characters or fewer");
    }
    let status = DeliveryStatus::from_slug(&form.status);
    if status.is_none() {
        errors.add("status", "Select the status the action should have now");
    }
    let revision: i64 = form.revision.parse().unwrap_or(-1);
    if let (Some(status), true) = (status, errors.is_empty()) {
        match store::submit_update(
            platform.pool(),
            &asked.update,
            revision,
            &progress,
            status,
            &staff.actor(),
            OffsetDateTime::now_utc(),
        )
        .await
        {
            Ok(()) => return Ok(Redirect::to("/staff/plan-updates?sent=yes").into_response()),
            Err(store::UpdateError::Database(e)) => return Err(e.into()),
            Err(refusal) => errors.add("progress", refusal.to_string()),
        }
    }
    let asked = find(&platform, &staff, &id).await?;
    let form = UpdateForm { revision: asked.update.revision.to_string(), ..form };
    let page = render(&UpdatePage { chrome: chrome.with_errors(true), asked, form, errors })?;
    Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Template)]
#[template(path = "plans/leads_closed.html")]
struct ClosedPage {
    chrome: Chrome,
    /// What the lead typed, shown back so nothing is lost.
    progress: String,
}

/// Where an organisation's leads are emailed: its partner accounts, else its shared address.
async fn lead_addresses(pool: &Pool, organisation_id: &str) -> Result<Vec<String>, sqlx::Error> {
    let users: Vec<String> = platform::auth::store::list_users(pool)
        .await?
        .into_iter()
        .filter(|u| !u.disabled && u.organisation_id.as_deref() == Some(organisation_id))
        .map(|u| u.email)
        .collect();
    if !users.is_empty() {
        return Ok(users);
    }
    Ok(platform::organisations::find(pool, organisation_id).await?.and_then(|o| o.email).into_iter().collect())
}

/// Emails one nudge about one update to its organisation's leads and records it.
async fn send_nudge(
    pool: &Pool,
    settings: &Settings,
    (update, due_on, plan_title): (&Update, time::Date, &str),
    nudge: Nudge,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize, sqlx::Error> {
    let Some(organisation) = update.partner_id.as_deref() else { return Ok(0) };
    let addresses = lead_addresses(pool, organisation).await?;
    let base = settings.public_url.trim_end_matches('/');
    let due = platform::format::date(due_on);
    let (subject, opening) = match nudge {
        Nudge::Reminder => (
            format!("Update due by {due}: {} {}", plan_title, update.reference),
            format!("Your quarterly update on action {} of {plan_title} is due by {due}.", update.reference),
        ),
        Nudge::Chase => (
            format!("Late update: {} {}", plan_title, update.reference),
            format!(
                "Your quarterly update on action {} of {plan_title} was due by {due} and has not reached us.",
                update.reference
            ),
        ),
    };
    let mut tx = platform::db::begin_write(pool).await?;
    for to in &addresses {
        let paragraphs = [
            opening.clone(),
            format!("{}: {}", update.reference, update.key_deliverable),
            format!("Send it here: {base}/staff/plan-updates/{}", update.id),
        ];
        platform::mail::enqueue(&mut tx, settings, &Email::from_paragraphs(to, &subject, &paragraphs)).await?;
    }
    tx.commit().await?;
    store::record_nudge(pool, update, nudge == Nudge::Chase, actor, now).await?;
    Ok(addresses.len())
}

fn uk_date_of(stored: &Option<String>) -> Option<time::Date> {
    stored.as_deref().and_then(platform::db::parse_timestamp).map(platform::calendar::uk_local_date)
}

/// The daily job: reminds leads of updates coming due and chases late ones, each by the rule in
/// `nudges`. Returns how many emails were queued.
pub async fn nudge_all(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let today = platform::calendar::uk_local_date(now);
    let actor = Actor::system("plan update reminders");
    let mut sent = 0;
    for (update, due_on, plan_title) in store::outstanding(pool).await? {
        if let Some(nudge) = nudges::nudge(due_on, today, uk_date_of(&update.reminded_at), uk_date_of(&update.chased_at)) {
            sent += send_nudge(pool, settings, (&update, due_on, &plan_title), nudge, &actor, now).await?;
        }
    }
    Ok(sent)
}

/// The officer's "chase late leads": every late update in the quarter, now, whatever the weekly rule.
pub async fn chase_late(
    platform: &Platform,
    plan: &Plan,
    quarter: &QuarterRecord,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize, AppError> {
    if !quarter.open || platform::calendar::uk_local_date(now) <= quarter.updates_due_on {
        return Ok(0);
    }
    let mut sent = 0;
    for update in store::updates(platform.pool(), &quarter.id).await? {
        if matches!(update.state, UpdateState::Awaited | UpdateState::SentBack) {
            sent += send_nudge(
                platform.pool(),
                platform.settings(),
                (&update, quarter.updates_due_on, &plan.title),
                Nudge::Chase,
                actor,
                now,
            )
            .await?;
        }
    }
    Ok(sent)
}

/// Tells the leads their update was sent back, with the office's comment.
pub async fn tell_sent_back(platform: &Platform, plan: &Plan, update: &Update, comment: &str) -> Result<(), AppError> {
    let Some(organisation) = update.partner_id.as_deref() else { return Ok(()) };
    let base = platform.settings().public_url.trim_end_matches('/').to_string();
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    for to in lead_addresses(platform.pool(), organisation).await? {
        let paragraphs = [
            format!("The office has sent back your update on action {} of {} and asks for more:", update.reference, plan.title),
            comment.to_string(),
            format!("Send it again here: {base}/staff/plan-updates/{}", update.id),
        ];
        platform::mail::enqueue(
            &mut tx,
            platform.settings(),
            &Email::from_paragraphs(&to, &format!("More needed: {} {}", plan.title, update.reference), &paragraphs),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
