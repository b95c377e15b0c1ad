//! Outbound email: written to the outbox in the transaction that causes it, delivered by the
//! `send-mail` job over SMTP (or, in development, into `.eml` files in the data folder).
//!
//! Delivery is at-least-once with a stable Message-ID: a message is marked sent as soon as the
//! server accepts it, and a retry of a message already marked sent does nothing. Only a crash in
//! the instant between the server's acceptance and that mark could repeat one, and the repeat
//! carries the same Message-ID, which mail clients use to fold duplicates.

use std::path::PathBuf;

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use time::OffsetDateTime;

use crate::config::Settings;
use crate::db::{self, Pool};
use crate::jobs;

pub const SEND_MAIL: &str = "send-mail";
const MAX_ATTEMPTS: i64 = 12;

/// A message to send, already rendered from its templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl Email {
    /// A message of plain paragraphs: the text joins them with blank lines, the HTML puts each
    /// in its own `<p>`, escaped.
    pub fn from_paragraphs(to: &str, subject: &str, paragraphs: &[String]) -> Email {
        let html = paragraphs.iter().map(|p| format!("<p>{}</p>", crate::words::escape_html(p))).collect::<Vec<_>>().join("\n");
        Email { to: to.to_string(), subject: subject.to_string(), text: paragraphs.join("\n\n"), html }
    }
}

/// Stored files an outbox message carries are recorded under this owner until it is sent.
const ATTACHMENTS: &str = "outbox-attachment";

/// Puts a message carrying stored files in the outbox, in the caller's transaction. The files are
/// recorded for the message too, so their contents stay until it is sent, whatever becomes of the
/// record they came from.
pub async fn enqueue_with_files(
    conn: &mut sqlx::AnyConnection,
    settings: &Settings,
    email: &Email,
    attachments: &[crate::files::StoredFile],
) -> Result<String, sqlx::Error> {
    let id = enqueue(conn, settings, email).await?;
    for file in attachments {
        crate::files::share(conn, file, ATTACHMENTS, &id, OffsetDateTime::now_utc()).await?;
    }
    Ok(id)
}

/// Puts a message in the outbox and queues its delivery, in the caller's transaction.
pub async fn enqueue(conn: &mut sqlx::AnyConnection, settings: &Settings, email: &Email) -> Result<String, sqlx::Error> {
    let id = crate::ids::new_id();
    let domain = settings.mail_from.rsplit('@').next().unwrap_or("localhost").trim_end_matches('>');
    let message_id = format!("<{id}@{domain}>");
    let now = OffsetDateTime::now_utc();
    sqlx::query(
        "INSERT INTO platform_outbox (id, to_address, subject, body_text, body_html, message_id, status, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)",
    )
    .bind(&id)
    .bind(&email.to)
    .bind(&email.subject)
    .bind(&email.text)
    .bind(&email.html)
    .bind(&message_id)
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    let payload = serde_json::json!({ "outbox_id": id }).to_string();
    jobs::enqueue(conn, SEND_MAIL, &payload, MAX_ATTEMPTS, now).await?;
    Ok(id)
}

/// Puts a message people asked for (email updates) in the outbox, in the caller's transaction,
/// with the address that stops them: mail programs offer it as a one-click unsubscribe
/// (RFC 8058), and it answers a `POST` with no form of its own.
pub async fn enqueue_unsubscribable(
    conn: &mut sqlx::AnyConnection,
    settings: &Settings,
    email: &Email,
    unsubscribe_url: &str,
) -> Result<String, sqlx::Error> {
    let id = enqueue(conn, settings, email).await?;
    sqlx::query("UPDATE platform_outbox SET list_unsubscribe = $1 WHERE id = $2")
        .bind(unsubscribe_url)
        .bind(&id)
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

/// The `List-Unsubscribe` header: the address, in angle brackets.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl lettre::message::header::Header for ListUnsubscribe {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(text: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(text.trim_start_matches('<').trim_end_matches('>').to_string()))
    }
    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
#[derive(Debug, Clone)]
struct OneClick;

impl lettre::message::header::Header for OneClick {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }
    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(OneClick)
    }
    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}

/// Where mail goes, from `mail_transport`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transport {
    /// `.eml` files in a folder (the development default).
    Files(PathBuf),
    /// `smtp://host:port` (plain, for a relay on the same machine or network) or
    /// `smtps://host:port` (TLS), with optional credentials from settings.
    Smtp { host: String, port: u16, tls: bool },
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Transport, String> {
        let configured = settings.mail_transport.trim();
        if configured.is_empty() || configured == "files" {
            return Ok(Transport::Files(settings.data_dir.join("mail")));
        }
        let (tls, rest) = if let Some(rest) = configured.strip_prefix("smtps://") {
            (true, rest)
        } else if let Some(rest) = configured.strip_prefix("smtp://") {
            (false, rest)
        } else {
            return Err("mail_transport must be files, smtp://host:port or smtps://host:port".into());
        };
        let (host, port) = match rest.trim_end_matches('/').rsplit_once(':') {
            Some((host, port)) => (host.to_string(), port.parse().map_err(|_| format!("bad port in {configured}"))?),
            None => (rest.trim_end_matches('/').to_string(), if tls { 465 } else { 25 }),
        };
        if host.is_empty() {
            return Err("mail_transport needs a host".into());
        }
        Ok(Transport::Smtp { host, port, tls })
    }
}

#[derive(sqlx::FromRow)]
struct OutboxRow {
    to_address: String,
    subject: String,
    body_text: String,
    body_html: String,
    message_id: String,
    status: String,
    held: i64,
    list_unsubscribe: Option<String>,
}

/// A file a message carries: its name, type and bytes.
type Attached = (String, String, Vec<u8>);

fn build(settings: &Settings, row: &OutboxRow, attached: Vec<Attached>) -> Result<Message, String> {
    let from: Mailbox = settings.mail_from.parse().map_err(|e| format!("mail_from: {e}"))?;
    let to: Mailbox = row.to_address.parse().map_err(|e| format!("recipient {}: {e}", row.to_address))?;
    let body = MultiPart::alternative_plain_html(row.body_text.clone(), row.body_html.clone());
    let mut builder = Message::builder().from(from).to(to).subject(&row.subject).message_id(Some(row.message_id.clone()));
    if let Some(url) = row.list_unsubscribe.as_deref().filter(|u| !u.is_empty()) {
        builder = builder.header(ListUnsubscribe(url.to_string())).header(OneClick);
    }
    if attached.is_empty() {
        return builder.multipart(body).map_err(|e| e.to_string());
    }
    let mut mixed = MultiPart::mixed().multipart(body);
    for (name, content_type, bytes) in attached {
        let content_type =
            ContentType::parse(&content_type).unwrap_or(ContentType::parse("application/octet-stream").expect("a type"));
        mixed = mixed.singlepart(Attachment::new(name).body(bytes, content_type));
    }
    builder.multipart(mixed).map_err(|e| e.to_string())
}

/// The bytes of the files a message carries, read from storage.
async fn attached(pool: &Pool, settings: &Settings, outbox_id: &str) -> Result<Vec<Attached>, String> {
    let files = crate::files::files_of(pool, ATTACHMENTS, outbox_id).await.map_err(|e| e.to_string())?;
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let storage = crate::files::Storage::from_settings(settings)?;
    let mut out = Vec::new();
    for file in files {
        let mut stream = storage.read(&file.sha256).await.map_err(|e| format!("attachment {}: {e}", file.original_name))?;
        let mut bytes = Vec::new();
        while let Some(chunk) = futures_util::StreamExt::next(&mut stream).await {
            bytes.extend_from_slice(&chunk.map_err(|e| e.to_string())?);
        }
        out.push((file.original_name, file.content_type, bytes));
    }
    Ok(out)
}

async fn deliver(settings: &Settings, transport: &Transport, id: &str, message: Message) -> Result<(), String> {
    match transport {
        Transport::Files(folder) => {
            tokio::fs::create_dir_all(folder).await.map_err(|e| e.to_string())?;
            let final_path = folder.join(format!("{id}.eml"));
            let partial = folder.join(format!(".{id}.eml.partial"));
            // Written aside and renamed, so a crash never leaves half a message to be read.
            tokio::fs::write(&partial, message.formatted()).await.map_err(|e| e.to_string())?;
            tokio::fs::rename(&partial, &final_path).await.map_err(|e| e.to_string())
        }
        Transport::Smtp { host, port, tls } => {
            let mut builder = if *tls {
                AsyncSmtpTransport::<Tokio1Executor>::relay(host).map_err(|e| e.to_string())?.port(*port)
            } else {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host).port(*port)
            };
            if !settings.mail_username.is_empty() {
                builder = builder.credentials(Credentials::new(settings.mail_username.clone(), settings.mail_password.clone()));
            }
            let mailer = builder.timeout(Some(std::time::Duration::from_secs(30))).build();
            mailer.send(message).await.map(|_| ()).map_err(|e| e.to_string())
        }
    }
}

/// The `send-mail` job: delivers one outbox message, unless it was already sent.
pub async fn send_job(pool: Pool, settings: Settings, payload: String) -> Result<(), String> {
    let outbox_id = serde_json::from_str::<serde_json::Value>(&payload)
        .ok()
        .and_then(|v| v["outbox_id"].as_str().map(str::to_string))
        .ok_or("payload without outbox_id")?;
    let row: Option<OutboxRow> = sqlx::query_as(
        "SELECT to_address, subject, body_text, body_html, message_id, status, held, list_unsubscribe FROM platform_outbox WHERE id = $1",
    )
    .bind(&outbox_id)
    .fetch_optional(&pool)
    .await
    .map_err(|e| e.to_string())?;
    let Some(row) = row else { return Err(format!("outbox message {outbox_id} not found")) };
    // Sent already, or held after a restore: `release_held` queues it again when it may go.
    if row.status == "sent" || row.held != 0 {
        return Ok(());
    }
    let transport = Transport::from_settings(&settings)?;
    let outcome = match attached(&pool, &settings, &outbox_id).await.and_then(|files| build(&settings, &row, files)) {
        Ok(message) => deliver(&settings, &transport, &outbox_id, message).await,
        Err(error) => Err(error),
    };
    let (status, error) = match &outcome {
        Ok(()) => ("sent", None),
        Err(error) => ("pending", Some(error.clone())),
    };
    sqlx::query("UPDATE platform_outbox SET status = $1, sent_at = $2, last_error = $3 WHERE id = $4")
        .bind(status)
        .bind(outcome.is_ok().then(|| db::timestamp(OffsetDateTime::now_utc())))
        .bind(error)
        .bind(&outbox_id)
        .execute(&pool)
        .await
        .map_err(|e| e.to_string())?;
    if outcome.is_ok() {
        // Sent: the message no longer holds its files' contents (the case's own record does).
        let mut tx = db::begin_write(&pool).await.map_err(|e| e.to_string())?;
        crate::files::forget_all(&mut tx, ATTACHMENTS, &outbox_id).await.map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    outcome
}

/// Holds every message still waiting (after a restore: the copy may be a drill). Returns how many.
pub async fn hold_pending(pool: &Pool) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("UPDATE platform_outbox SET held = 1 WHERE status = 'pending' AND held = 0").execute(pool).await?;
    Ok(result.rows_affected())
}

/// Lets held messages go: each is queued to send again. Returns how many.
pub async fn release_held(pool: &Pool) -> Result<u64, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let held: Vec<String> =
        sqlx::query_scalar("SELECT id FROM platform_outbox WHERE held = 1 AND status = 'pending' ORDER BY created_at")
            .fetch_all(&mut *tx)
            .await?;
    let now = OffsetDateTime::now_utc();
    for id in &held {
        sqlx::query("UPDATE platform_outbox SET held = 0 WHERE id = $1").bind(id).execute(&mut *tx).await?;
        let payload = serde_json::json!({ "outbox_id": id }).to_string();
        jobs::enqueue(&mut tx, SEND_MAIL, &payload, MAX_ATTEMPTS, now).await?;
    }
    tx.commit().await?;
    Ok(held.len() as u64)
}

/// Counts of the outbox by status, for the administrator's page and for tests.
pub async fn outbox_counts(pool: &Pool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT status, COUNT(*) FROM platform_outbox GROUP BY status ORDER BY status").fetch_all(pool).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(transport: &str) -> Settings {
        Settings { mail_transport: transport.into(), ..Settings::default() }
    }

    #[test]
    fn a_message_people_asked_for_carries_its_one_click_unsubscribe() {
        let settings = Settings { mail_from: "Office <office@example.org>".into(), ..Settings::default() };
        let row = |list_unsubscribe: Option<&str>| OutboxRow {
            to_address: "resident@example.org".into(),
            subject: "Progress".into(),
            body_text: "Text".into(),
            body_html: "<p>Text</p>".into(),
            message_id: "<1@example.org>".into(),
            status: "pending".into(),
            held: 0,
            list_unsubscribe: list_unsubscribe.map(str::to_string),
        };
        let asked_for = build(&settings, &row(Some("https://office.example/plans/subscriptions/unsubscribe/abc")), Vec::new())
            .expect("built");
        let text = String::from_utf8(asked_for.formatted()).expect("text");
        assert!(text.contains("List-Unsubscribe: <https://office.example/plans/subscriptions/unsubscribe/abc>\r\n"), "{text}");
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), "{text}");
        let letter = String::from_utf8(build(&settings, &row(None), Vec::new()).expect("built").formatted()).expect("text");
        assert!(!letter.contains("List-Unsubscribe"));
    }

    #[test]
    fn the_transport_is_read_from_settings() {
        assert_eq!(Transport::from_settings(&with("")), Ok(Transport::Files(PathBuf::from("data/mail"))));
        assert_eq!(
            Transport::from_settings(&with("smtp://127.0.0.1:2525")),
            Ok(Transport::Smtp { host: "127.0.0.1".into(), port: 2525, tls: false })
        );
        assert_eq!(
            Transport::from_settings(&with("smtps://mail.example.org")),
            Ok(Transport::Smtp { host: "mail.example.org".into(), port: 465, tls: true })
        );
        assert!(Transport::from_settings(&with("pigeon://loft")).is_err());
        assert!(Transport::from_settings(&with("smtp://host:notaport")).is_err());
    }
}
