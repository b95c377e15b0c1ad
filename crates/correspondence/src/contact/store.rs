//! Contact messages in the database.

use platform::audit::{self, Actor, Event};
use platform::contact::StoredContact;
use platform::db::{self, Pool};
use platform::files::{self, CheckedUpload};
use platform::reference::{self, Reference};
use time::{Date, OffsetDateTime};

use super::{ContactMessage, ContactMethod};

const PREFIX: &str = "CON";
/// How attachments name the record they belong to.
pub const ATTACHMENT_OWNER: &str = "contact message";

/// What the confirmation page needs of a stored message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub reference: Reference,
    pub contact_method: ContactMethod,
    pub reply_due_on: Date,
}

/// Stores a message under a new reference, unless a message with this submission key is already
/// stored, in which case that one's receipt is returned: resending a form never duplicates it.
/// How a message arrived: its form's key (sending twice stores it once), when, its reply date
/// and who sent it.
pub struct Arrived<'a> {
    pub submission_key: &'a str,
    pub received_at: OffsetDateTime,
    pub reply_due_on: Date,
    pub actor: &'a Actor,
}

pub async fn save(
    pool: &Pool,
    settings: &platform::config::Settings,
    message: &ContactMessage,
    arrived: &Arrived<'_>,
    attachments: &[CheckedUpload],
) -> Result<Receipt, sqlx::Error> {
    let Arrived { submission_key, received_at, reply_due_on, actor } = *arrived;
    if let Some(existing) = find_by_submission_key(pool, submission_key).await? {
        return Ok(existing);
    }
    let mut tx = platform::db::begin_write(pool).await?;
    let reference = reference::next(&mut *tx, PREFIX, received_at.year()).await?;
    let id = platform::ids::new_id();
    let inserted = sqlx::query(
        "INSERT INTO correspondence_contact_message \
         (id, reference, submission_key, full_name, email, postal_address, postcode, telephone, contact_method, message, received_at, reply_due_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(reference.to_string())
    .bind(submission_key)
    .bind(&message.full_name)
    .bind(message.email.as_deref())
    .bind(message.postal_address.as_deref())
    .bind(message.postcode.as_ref().map(|p| p.to_string()))
    .bind(message.telephone.as_deref())
    .bind(message.contact_method.slug())
    .bind(&message.message)
    .bind(db::timestamp(received_at))
    .bind(db::date(reply_due_on))
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {
            let event = Event {
                action: "received",
                record_type: "contact message",
                record_id: &reference.to_string(),
                detail: message.contact_method.slug(),
            };
            audit::record(&mut tx, actor, event, received_at).await?;
            for upload in attachments {
                files::record(&mut tx, upload, ATTACHMENT_OWNER, &reference.to_string(), received_at).await?;
            }
            platform::web::held::hand_over(&mut tx, submission_key, (ATTACHMENT_OWNER, &reference.to_string())).await?;
            let work = platform::office::NewWork {
                what: "message from the public",
                reference: &reference.to_string(),
                path: format!("/staff/messages/{reference}"),
                assigned_to: None,
            };
            platform::office::tell_of_new_work(&mut tx, settings, &work).await?;
            if let Some(email) = &message.email {
                let due = platform::calendar::long_date(reply_due_on);
                let text = format!(
                    "Thank you for your message to the office. Its reference is {reference}.\n\nWe will reply by {due}. If you write to us about it again, please give the reference.\n"
                );
                let html = format!(
                    "<p>Thank you for your message to the office. Its reference is <strong>{reference}</strong>.</p><p>We will reply by {due}. If you write to us about it again, please give the reference.</p>"
                );
                let acknowledgement =
                    platform::mail::Email { to: email.clone(), subject: format!("We have your message {reference}"), text, html };
                platform::mail::enqueue(&mut tx, settings, &acknowledgement).await?;
            }
            tx.commit().await?;
            Ok(Receipt { reference, contact_method: message.contact_method, reply_due_on })
        }
        // Two copies of the same submission raced; the other one won and holds the message.
        Err(error) if db::is_unique_violation(&error) => {
            tx.rollback().await?;
            find_by_submission_key(pool, submission_key).await?.ok_or(error)
        }
        Err(error) => Err(error),
    }
}

pub async fn find_by_submission_key(pool: &Pool, submission_key: &str) -> Result<Option<Receipt>, sqlx::Error> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT reference, contact_method, reply_due_on FROM correspondence_contact_message WHERE submission_key = $1",
    )
    .bind(submission_key)
    .fetch_optional(pool)
    .await?;
    row.map(|(reference, method, due)| {
        let decode = |what: &str| sqlx::Error::Decode(format!("stored contact message has an unreadable {what}").into());
        Ok(Receipt {
            reference: reference.parse().map_err(|_| decode("reference"))?,
            contact_method: ContactMethod::from_slug(&method).ok_or_else(|| decode("contact method"))?,
            reply_due_on: db::parse_date(&due).ok_or_else(|| decode("reply date"))?,
        })
    })
    .transpose()
}

/// A stored message in full, as staff will read it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredMessage {
    pub id: String,
    pub reference: String,
    pub full_name: String,
    #[sqlx(flatten)]
    pub contact: StoredContact,
    pub message: String,
    pub received_at: String,
    pub reply_due_on: String,
    pub assigned_to: Option<String>,
    pub replied_at: Option<String>,
    pub reply_text: Option<String>,
    pub closed_at: Option<String>,
    pub outcome: Option<String>,
}

impl StoredMessage {
    pub fn is_open(&self) -> bool {
        self.closed_at.is_none()
    }
    pub fn outcome_name(&self) -> &'static str {
        OUTCOMES.iter().find(|(slug, _)| Some(*slug) == self.outcome.as_deref()).map(|(_, name)| *name).unwrap_or("Closed")
    }
}

/// How a message was closed.
pub const OUTCOMES: [(&str, &str); 4] = [
    ("answered", "Answered"),
    ("passed-on", "Passed to another organisation (the police, a council)"),
    ("no-reply-needed", "No reply needed"),
    ("not-for-us", "Not for the office, and the sender told where to go"),
];

pub async fn find_by_reference(pool: &Pool, reference: &Reference) -> Result<Option<StoredMessage>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, reference, full_name, email, postal_address, postcode, telephone, contact_method, message, received_at, reply_due_on, \
         assigned_to, replied_at, reply_text, closed_at, outcome FROM correspondence_contact_message WHERE reference = $1",
    )
    .bind(reference.to_string())
    .fetch_optional(pool)
    .await
}

/// One line of the staff list: what a reader needs to choose a message to open.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MessageSummary {
    pub reference: String,
    pub full_name: String,
    pub contact_method: String,
    pub received_at: String,
    pub reply_due_on: String,
    pub replied_at: Option<String>,
    pub closed_at: Option<String>,
}

impl MessageSummary {
    pub fn status(&self) -> &'static str {
        match (&self.closed_at, &self.replied_at) {
            (Some(_), _) => "Closed",
            (None, Some(_)) => "Replied",
            (None, None) => "Waiting for a reply",
        }
    }
}

/// Newest first.
pub async fn list(pool: &Pool, limit: i64) -> Result<Vec<MessageSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT reference, full_name, contact_method, received_at, reply_due_on, replied_at, closed_at FROM correspondence_contact_message \
         ORDER BY closed_at IS NOT NULL, received_at DESC LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn count(pool: &Pool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM correspondence_contact_message").fetch_one(pool).await
}

/// Assigns a message to a member of staff, audited.
pub async fn assign(
    pool: &Pool,
    message: &StoredMessage,
    user_id: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query("UPDATE correspondence_contact_message SET assigned_to = $1 WHERE id = $2")
        .bind(user_id)
        .bind(&message.id)
        .execute(&mut *tx)
        .await?;
    audited(&mut tx, message, actor, "assigned", user_id, now).await?;
    tx.commit().await
}

/// Records the reply, and sends it by email when there is one to send (in the same transaction,
/// so the reply is recorded if and only if it is queued). False if the message was closed meanwhile.
/// How a reply goes: emailed, printed as a letter to post, or given by telephone (recorded only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyBy<'a> {
    Email(&'a str),
    Letter,
    Telephone,
}

/// Records the reply while the message is open, with its letter (emailed or to print) in the
/// same transaction. False if the message was closed meanwhile.
#[allow(clippy::too_many_arguments)]
pub async fn reply(
    pool: &Pool,
    message: &StoredMessage,
    text: &str,
    letter: &casekit::letters::LetterText,
    by: ReplyBy<'_>,
    actor: &Actor,
    now: OffsetDateTime,
    settings: &platform::config::Settings,
) -> Result<bool, sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    if !while_open(&mut tx, "replied_at = $1, reply_text = $2", (now, text), message).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    let case = super::letters::LETTER_CASE;
    let how = match by {
        ReplyBy::Email(to) => {
            casekit::letters::record_letter(&mut tx, settings, case, &message.id, letter, Some(to), actor, now).await?;
            "by email"
        }
        ReplyBy::Letter => {
            casekit::letters::record_letter(&mut tx, settings, case, &message.id, letter, None, actor, now).await?;
            "by letter, to print and post"
        }
        ReplyBy::Telephone => "by telephone (recorded)",
    };
    audited(&mut tx, message, actor, "replied", how, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Closes a message with its outcome. False if it was closed already.
pub async fn close(
    pool: &Pool,
    message: &StoredMessage,
    outcome: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    if !while_open(&mut tx, "closed_at = $1, outcome = $2", (now, outcome), message).await? {
        tx.rollback().await?;
        return Ok(false);
    }
    audited(&mut tx, message, actor, "closed", outcome, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Sets a step's time (`$1`) and text (`$2`) on a message still open; false if it was closed
/// meanwhile, so the officer is told rather than the step done twice.
async fn while_open(
    tx: &mut sqlx::AnyConnection,
    sets: &'static str,
    (at, text): (OffsetDateTime, &str),
    message: &StoredMessage,
) -> Result<bool, sqlx::Error> {
    let sql = format!("UPDATE correspondence_contact_message SET {sets} WHERE id = $3 AND closed_at IS NULL");
    let done =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(db::timestamp(at)).bind(text).bind(&message.id).execute(&mut *tx).await?;
    Ok(done.rows_affected() == 1)
}

async fn audited(
    tx: &mut sqlx::AnyConnection,
    message: &StoredMessage,
    actor: &Actor,
    action: &str,
    detail: &str,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let event = Event { action, record_type: "contact message", record_id: &message.reference, detail };
    audit::record(tx, actor, event, now).await.map(|_| ())
}
