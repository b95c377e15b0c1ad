//! Working a message from the public: assign it, reply (by email from here, or record a reply
//! sent another way), close it with an outcome, and keep notes of calls with the sender (the
//! case kit's notes). A step on a message closed meanwhile is told it moved on.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use platform::auth::CurrentStaff;
use platform::reference::Reference;
use platform::web::forms::FormErrors;
use platform::web::{Form, StaffPage};
use platform::{AppError, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use super::staff::{render_message, said_path};
use super::store::{self, OUTCOMES, StoredMessage};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StepForm {
    pub reply: String,
    pub outcome: String,
}

const MAX_REPLY: usize = 10_000;

pub async fn load(platform: &Platform, reference: &str) -> Result<StoredMessage, AppError> {
    let reference: Reference = reference.parse().map_err(|_| AppError::NotFound)?;
    store::find_by_reference(platform.pool(), &reference).await?.ok_or(AppError::NotFound)
}

pub async fn act(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, action)): Path<(String, String)>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    let message = load(&platform, &reference).await?;
    let now = OffsetDateTime::now_utc();
    let mut errors = FormErrors::new();
    let done = match action.as_str() {
        "assign-to-me" => {
            store::assign(platform.pool(), &message, &staff.user.id, &staff.actor(), now).await?;
            true
        }
        "reply" if message.is_open() => {
            let text = platform::web::forms::required_text(&mut errors, "reply", &form.reply, "Enter the reply", MAX_REPLY);
            errors.is_empty() && send_reply(&platform, &staff, &message, &text, now).await?
        }
        "close" if message.is_open() => match OUTCOMES.iter().find(|(slug, _)| *slug == form.outcome) {
            Some((outcome, _)) => store::close(platform.pool(), &message, outcome, &staff.actor(), now).await?,
            None => {
                errors.add("outcome", "Select how the message was dealt with");
                false
            }
        },
        "reply" | "close" => {
            errors.add("reply", "This message was closed: it cannot be changed now");
            false
        }
        _ => return Err(AppError::NotFound),
    };
    if done {
        return Ok(Redirect::to(&said_path(&message.reference, &action)).into_response());
    }
    if errors.is_empty() {
        errors.add("reply", "Someone else closed this message while you were working on it");
    }
    let fresh = load(&platform, &reference).await?;
    let page = render_message(&platform, chrome, fresh, form, errors).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// Emails the reply when the sender asked for email and gave an address; otherwise records it as
/// sent another way (by post or telephone, which staff do outside the product).
async fn send_reply(
    platform: &Platform,
    staff: &CurrentStaff,
    message: &StoredMessage,
    text: &str,
    now: OffsetDateTime,
) -> Result<bool, AppError> {
    let by_email = message.contact.contact_method == platform::contact::ContactMethod::Email;
    let office = platform.office().await?;
    let email = match (&message.contact.email, by_email) {
        (Some(to), true) => {
            let body =
                format!("Dear {},\n\n{text}\n\n{}\n\nReference: {}\n", message.full_name, office.signature(), message.reference);
            let html = format!(
                "<p>Dear {}</p>{}<p>{}</p><p>Reference: {}</p>",
                platform::words::escape_html(&message.full_name),
                text.split("\n\n")
                    .map(|p| format!("<p>{}</p>", platform::words::escape_html(p).replace('\n', "<br>")))
                    .collect::<String>(),
                platform::words::escape_html(&office.signature()).replace('\n', "<br>"),
                message.reference
            );
            Some(platform::mail::Email {
                to: to.clone(),
                subject: format!("Your message {}", message.reference),
                text: body,
                html,
            })
        }
        _ => None,
    };
    Ok(store::reply(platform.pool(), message, text, email.as_ref(), &staff.actor(), now, platform.settings()).await?)
}
