//! Email updates on a priority: anyone may ask, the address is confirmed before anything is sent
//! (double opt-in), and every email carries a link that unsubscribes in one click on its page.
//! Unconfirmed requests are forgotten after a week; unsubscribing deletes the address.

use askama::Template;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::{self, Actor, Event};
use platform::auth::Viewer;
use platform::db::{self, Pool};
use platform::mail::Email;
use platform::web::forms::{FormErrors, TextInput};
use platform::web::{Form, PageRequest, render};
use platform::{AppError, Chrome};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::store::{self, Plan, Priority};

/// LOCAL: how long an unconfirmed request is kept.
pub const UNCONFIRMED_DAYS: i64 = 7;

pub fn routes() -> Routes {
    Routes::new()
        .route("/plans/{plan}/priorities/{position}/subscribe", Access::Public, get(show).post(subscribe))
        .route("/plans/subscriptions/confirm/{token}", Access::Public, get(confirm))
        .route("/plans/subscriptions/unsubscribe/{token}", Access::Public, get(show_unsubscribe).post(unsubscribe))
}

async fn priority_of(platform: &platform::Platform, slug: &str, position: &str) -> Result<(Plan, Priority), AppError> {
    let plan = crate::pages::public_plan(platform, slug).await?;
    let position: i64 = position.parse().map_err(|_| AppError::NotFound)?;
    let tree = store::tree(platform.pool(), &plan.id).await?;
    let priority =
        tree.priorities.into_iter().find(|p| p.position == position && p.withdrawn_on.is_none()).ok_or(AppError::NotFound)?;
    Ok((plan, priority))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SubscribeForm {
    email: String,
}

#[derive(Template)]
#[template(path = "plans/subscribe.html")]
struct SubscribePage {
    chrome: Chrome,
    plan: Plan,
    priority: Priority,
    form: SubscribeForm,
    errors: FormErrors,
    sent_to: Option<String>,
}

impl SubscribePage {
    fn email(&self) -> TextInput<'_> {
        TextInput::new("email", "Email address", &self.form.email, &self.errors)
            .hint("We will send a link to this address. You will get nothing else until you use it.")
            .autocomplete("email")
            .input_type("email")
            .no_spellcheck()
    }
}

async fn show(
    PageRequest { platform, chrome }: PageRequest,
    Path((slug, position)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, priority) = priority_of(&platform, &slug, &position).await?;
    render(&SubscribePage { chrome, plan, priority, form: SubscribeForm::default(), errors: FormErrors::new(), sent_to: None })
}

async fn subscribe(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Path((slug, position)): Path<(String, String)>,
    Form(form): Form<SubscribeForm>,
) -> Result<Response, AppError> {
    let (plan, priority) = priority_of(&platform, &slug, &position).await?;
    let address = form.email.trim().to_lowercase();
    let mut errors = FormErrors::new();
    if address.is_empty() {
        errors.add("email", "Enter your email address");
    } else if !platform::contact::is_email(&address) || address.len() > 254 {
        errors.add("email", "Enter an email address in the correct format, like name@example.com");
    }
    if !errors.is_empty() {
        let page = SubscribePage { chrome: chrome.with_errors(true), plan, priority, form, errors, sent_to: None };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let now = OffsetDateTime::now_utc();
    let base = platform.settings().public_url.trim_end_matches('/').to_string();
    let mut tx = db::begin_write(platform.pool()).await?;
    let existing: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT confirm_token, confirmed_at FROM plans_subscription WHERE priority_id = $1 AND email = $2")
            .bind(&priority.id)
            .bind(&address)
            .fetch_optional(&mut *tx)
            .await?;
    // Asking again resends the same link; an address already confirmed is told nothing new, so
    // the page never reveals whether someone else subscribed an address.
    let token = match existing {
        Some((_, Some(_))) => None,
        Some((token, None)) => Some(token),
        None => {
            let token = platform::auth::store::new_token();
            sqlx::query(
                "INSERT INTO plans_subscription (id, priority_id, email, confirm_token, unsubscribe_token, requested_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(platform::ids::new_id())
            .bind(&priority.id)
            .bind(&address)
            .bind(&token)
            .bind(platform::auth::store::new_token())
            .bind(db::timestamp(now))
            .execute(&mut *tx)
            .await?;
            Some(token)
        }
    };
    if let Some(token) = token {
        let message = Email::from_paragraphs(
            &address,
            &format!("Confirm email updates on {}", priority.title),
            &[
                format!(
                    "Someone, probably you, asked for email updates when progress on “{}” in {} is reported.",
                    priority.title, plan.title
                ),
                format!("To confirm, open this link: {base}/plans/subscriptions/confirm/{token}"),
                format!(
                    "If you did not ask, ignore this email: we will not email you again and will delete your address after {UNCONFIRMED_DAYS} days."
                ),
            ],
        );
        platform::mail::enqueue(&mut tx, platform.settings(), &message).await?;
    }
    let event = Event { action: "asked to subscribe", record_type: "plan priority", record_id: &priority.id, detail: "" };
    audit::record(&mut tx, &Actor::public(viewer.address()), event, now).await?;
    tx.commit().await?;
    render(&SubscribePage {
        chrome,
        plan,
        priority,
        form: SubscribeForm::default(),
        errors: FormErrors::new(),
        sent_to: Some(address),
    })
}

#[derive(Template)]
#[template(path = "plans/subscription.html")]
struct SubscriptionPage {
    chrome: Chrome,
    heading: String,
    words: String,
    /// For the unsubscribe page: the form's address.
    unsubscribe: Option<String>,
}

async fn confirm(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let found: Option<(String, String)> = sqlx::query_as(
        "SELECT s.id, p.title FROM plans_subscription s JOIN plans_priority p ON p.id = s.priority_id WHERE s.confirm_token = $1",
    )
    .bind(&token)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((id, title)) = found else {
        let words = "The link has expired or has been used to unsubscribe. You can ask for updates again from the plan’s page."
            .to_string();
        return Ok((
            StatusCode::NOT_FOUND,
            render(&SubscriptionPage { chrome, heading: "This link no longer works".into(), words, unsubscribe: None })?,
        )
            .into_response());
    };
    sqlx::query("UPDATE plans_subscription SET confirmed_at = COALESCE(confirmed_at, $1) WHERE id = $2")
        .bind(db::timestamp(now))
        .bind(&id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut tx,
        &Actor::public(viewer.address()),
        Event { action: "confirmed subscription", record_type: "plan subscription", record_id: &id, detail: "" },
        now,
    )
    .await?;
    tx.commit().await?;
    let words = format!("We will email you when progress on “{title}” is reported. Every email has a link to stop them.");
    render(&SubscriptionPage { chrome, heading: "You’re subscribed".into(), words, unsubscribe: None })
}

async fn show_unsubscribe(
    PageRequest { platform, chrome }: PageRequest,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let found: Option<(String,)> = sqlx::query_as(
        "SELECT p.title FROM plans_subscription s JOIN plans_priority p ON p.id = s.priority_id WHERE s.unsubscribe_token = $1",
    )
    .bind(&token)
    .fetch_optional(platform.pool())
    .await?;
    match found {
        Some((title,)) => render(&SubscriptionPage {
            chrome,
            heading: format!("Stop emails about {title}"),
            words: "Your email address will be deleted.".into(),
            unsubscribe: Some(format!("/plans/subscriptions/unsubscribe/{token}")),
        }),
        None => render(&SubscriptionPage {
            chrome,
            heading: "You’re unsubscribed".into(),
            words: "We hold no subscription for this link.".into(),
            unsubscribe: None,
        }),
    }
}

async fn unsubscribe(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let removed =
        sqlx::query("DELETE FROM plans_subscription WHERE unsubscribe_token = $1").bind(&token).execute(&mut *tx).await?;
    if removed.rows_affected() > 0 {
        audit::record(
            &mut tx,
            &Actor::public(viewer.address()),
            Event { action: "unsubscribed", record_type: "plan subscription", record_id: "-", detail: "" },
            now,
        )
        .await?;
    }
    tx.commit().await?;
    render(&SubscriptionPage {
        chrome,
        heading: "You’re unsubscribed".into(),
        words: "We have deleted your email address and will not email you again.".into(),
        unsubscribe: None,
    })
}

/// Emails each confirmed subscriber of a priority that has actions in the newly locked quarter,
/// in the caller's transaction. Returns how many emails were queued.
pub async fn tell_subscribers(
    conn: &mut sqlx::AnyConnection,
    settings: &platform::config::Settings,
    plan: &Plan,
    locked: &store::Locked,
    changes: &[crate::snapshot::StatusChange],
) -> Result<usize, sqlx::Error> {
    let base = settings.public_url.trim_end_matches('/').to_string();
    let quarter = crate::model::quarter_label(&locked.quarter);
    let mut sent = 0;
    for priority in &locked.snapshot.priorities {
        let subscribers: Vec<(String, String)> = sqlx::query_as(
            "SELECT email, unsubscribe_token FROM plans_subscription WHERE priority_id = $1 AND confirmed_at IS NOT NULL",
        )
        .bind(&priority.id)
        .fetch_all(&mut *conn)
        .await?;
        if subscribers.is_empty() {
            continue;
        }
        let moved: Vec<String> = changes
            .iter()
            .filter(|c| c.priority == priority.title)
            .map(|c| format!("{} {}: {} → {}", c.reference, c.key_deliverable, c.was_words(), c.now_words()))
            .collect();
        let actions = priority.commitments.iter().map(|c| c.actions.len()).sum::<usize>();
        for (to, unsubscribe_token) in subscribers {
            let mut paragraphs = vec![
                format!("Progress on “{}” in {} has been reported for {quarter}.", priority.title, plan.title),
                format!(
                    "{actions} actions are reported. {}",
                    if moved.is_empty() {
                        "None changed status.".to_string()
                    } else {
                        format!("These changed status:\n{}", moved.join("\n"))
                    }
                ),
                format!("Read the report: {base}/plans/{}/quarters/{}", plan.slug, locked.quarter),
                format!("To stop these emails: {base}/plans/subscriptions/unsubscribe/{unsubscribe_token}"),
            ];
            paragraphs.retain(|p| !p.is_empty());
            let message = Email::from_paragraphs(&to, &format!("{}: {quarter} progress", priority.title), &paragraphs);
            let stop = format!("{base}/plans/subscriptions/unsubscribe/{unsubscribe_token}");
            platform::mail::enqueue_unsubscribable(conn, settings, &message, &stop).await?;
            sent += 1;
        }
    }
    Ok(sent)
}

/// Forgets requests never confirmed within the week.
pub async fn forget_unconfirmed(pool: &Pool, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let cutoff = db::timestamp(now - time::Duration::days(UNCONFIRMED_DAYS));
    let removed = sqlx::query("DELETE FROM plans_subscription WHERE confirmed_at IS NULL AND requested_at < $1")
        .bind(cutoff)
        .execute(pool)
        .await?;
    Ok(removed.rows_affected())
}
