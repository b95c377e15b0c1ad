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
    /// "yes" from the "Preview the reply" button: the reply is shown as it will go, nothing sent.
    pub preview: String,
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
            if errors.is_empty() && form.preview == "yes" {
                let letter = reply_letter(&platform, &message, &text).await?;
                let preview = casekit::letters::Preview { action: "reply", letters: vec![letter] };
                return render_message(&platform, chrome, message, form, (errors, Some(preview))).await;
            }
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
    let page = render_message(&platform, chrome, fresh, form, (errors, None)).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

/// The reply in the office's letter (its wording editable on the letters page).
async fn reply_letter(
    platform: &Platform,
    message: &StoredMessage,
    text: &str,
) -> Result<casekit::letters::LetterText, AppError> {
    let values = [
        ("name", message.full_name.clone()),
        ("reference", message.reference.clone()),
        ("office", platform.office().await?.name),
        ("reply", text.to_string()),
    ];
    Ok(casekit::letters::compose(platform.pool(), &super::letters::KINDS, "message-reply", &values).await?)
}

/// Sends the reply the way the sender asked: by email, as a letter to print, or (for a telephone
/// reply, given outside the product) recorded.
async fn send_reply(
    platform: &Platform,
    staff: &CurrentStaff,
    message: &StoredMessage,
    text: &str,
    now: OffsetDateTime,
) -> Result<bool, AppError> {
    use platform::contact::ContactMethod;
    let letter = reply_letter(platform, message, text).await?;
    let by = match (message.contact.contact_method, message.contact.email.as_deref()) {
        (ContactMethod::Email, Some(to)) => store::ReplyBy::Email(to),
        (ContactMethod::Telephone, _) => store::ReplyBy::Telephone,
        _ => store::ReplyBy::Letter,
    };
    let settings = platform.settings();
    Ok(store::reply(platform.pool(), message, text, &letter, by, &staff.actor(), now, settings).await?)
}
