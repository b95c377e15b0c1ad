//! Documents released with a response. Every document is checked for hidden data as it is
//! uploaded (hidden.rs): a document with findings cannot be published until an officer confirms
//! it is safe (having fixed and re-uploaded it, or judged the findings harmless). After
//! publication a document can be withdrawn from the public log on its own, with the reason in
//! the audit log.

use futures_util::StreamExt;
use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use platform::files::{self, StoredFile};
use platform::{AppError, Platform};
use time::OffsetDateTime;

use super::hidden;
use super::store::{InformationRequest, RECORD_TYPE};

/// Files uploaded to be released with a response are owned under this name.
pub const RESPONSE_FILES: &str = "information-response";
/// LOCAL: documents one response may release.
pub const MAX_DOCUMENTS: usize = 20;
/// The most of a document read into memory for the checks; a larger one is reported unchecked.
const MAX_CHECKED_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Released {
    pub file: StoredFile,
    pub findings: Vec<String>,
    pub confirmed_by: Option<String>,
    pub withdrawn_reason: Option<String>,
}

impl Released {
    /// Findings nobody has yet confirmed: these stop publication.
    pub fn needs_confirming(&self) -> bool {
        !self.findings.is_empty() && self.confirmed_by.is_none()
    }
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn_reason.is_some()
    }
}

#[derive(sqlx::FromRow)]
struct ReleaseRow {
    file_id: String,
    findings: String,
    confirmed_by: Option<String>,
    withdrawn_reason: Option<String>,
}

/// The documents of a request, with their findings, in upload order.
pub async fn documents_of(pool: &Pool, request_id: &str) -> Result<Vec<Released>, sqlx::Error> {
    let rows: Vec<ReleaseRow> = sqlx::query_as(
        "SELECT file_id, findings, confirmed_by, withdrawn_reason FROM casework_information_release WHERE request_id = $1",
    )
    .bind(request_id)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    for file in files::files_of(pool, RESPONSE_FILES, request_id).await? {
        let row = rows.iter().find(|r| r.file_id == file.id);
        out.push(Released {
            findings: row.map(|r| r.findings.lines().map(str::to_string).collect()).unwrap_or_default(),
            confirmed_by: row.and_then(|r| r.confirmed_by.clone()),
            withdrawn_reason: row.and_then(|r| r.withdrawn_reason.clone()),
            file,
        });
    }
    Ok(out)
}

/// The documents the public log shows for a request.
pub async fn public_documents(pool: &Pool, request_id: &str) -> Result<Vec<StoredFile>, sqlx::Error> {
    Ok(documents_of(pool, request_id).await?.into_iter().filter(|d| !d.is_withdrawn()).map(|d| d.file).collect())
}

async fn bytes_of(platform: &Platform, file: &StoredFile) -> Result<Option<Vec<u8>>, AppError> {
    let mut stream = platform.storage().read(&file.sha256).await.map_err(|e| AppError::Internal(e.into()))?;
    let mut bytes = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| AppError::Internal(e.into()))?;
        if bytes.len() + chunk.len() > MAX_CHECKED_BYTES {
            return Ok(None);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Some(bytes))
}

/// Checks every document of the request not yet checked, recording what was found.
pub async fn check_new(platform: &Platform, request: &InformationRequest, actor: &Actor) -> Result<usize, AppError> {
    let mut found = 0;
    for document in documents_of(platform.pool(), &request.id).await? {
        let checked: Option<String> = sqlx::query_scalar("SELECT file_id FROM casework_information_release WHERE file_id = $1")
            .bind(&document.file.id)
            .fetch_optional(platform.pool())
            .await?;
        if checked.is_some() {
            continue;
        }
        let findings: Vec<String> = match bytes_of(platform, &document.file).await? {
            Some(bytes) => hidden::check(&bytes).iter().map(hidden::Finding::describe).collect(),
            None => vec![hidden::Finding::Unreadable("too large to check here".into()).describe()],
        };
        found += findings.len();
        let now = OffsetDateTime::now_utc();
        let mut tx = db::begin_write(platform.pool()).await?;
        sqlx::query(
            "INSERT INTO casework_information_release (file_id, request_id, findings, checked_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(&document.file.id)
        .bind(&request.id)
        .bind(findings.join("\n"))
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?;
        let detail = format!("{}: {} hidden-data findings", document.file.original_name, findings.len());
        let event =
            Event { action: "checked a document", record_type: RECORD_TYPE, record_id: &request.reference, detail: &detail };
        audit::record(&mut tx, actor, event, now).await?;
        tx.commit().await?;
    }
    Ok(found)
}

/// The officer confirms a document with findings is safe to release.
pub async fn confirm(
    pool: &Pool,
    request: &InformationRequest,
    file_id: &str,
    officer: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let updated = sqlx::query(
        "UPDATE casework_information_release SET confirmed_by = $1, confirmed_at = $2 WHERE file_id = $3 AND request_id = $4",
    )
    .bind(officer)
    .bind(db::timestamp(now))
    .bind(file_id)
    .bind(&request.id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    let event = Event {
        action: "confirmed a document safe to release",
        record_type: RECORD_TYPE,
        record_id: &request.reference,
        detail: file_id,
    };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Removes a document before the response is published.
pub async fn remove(
    pool: &Pool,
    request: &InformationRequest,
    file_id: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    sqlx::query("DELETE FROM casework_information_release WHERE file_id = $1 AND request_id = $2")
        .bind(file_id)
        .bind(&request.id)
        .execute(&mut *tx)
        .await?;
    if !files::remove(&mut tx, RESPONSE_FILES, &request.id, file_id).await? {
        return Ok(false);
    }
    let event = Event { action: "removed a document", record_type: RECORD_TYPE, record_id: &request.reference, detail: file_id };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Takes one published document off the public log; the reason goes in the audit log.
pub async fn withdraw(
    pool: &Pool,
    request: &InformationRequest,
    file_id: &str,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let updated = sqlx::query(
        "UPDATE casework_information_release SET withdrawn_at = $1, withdrawn_reason = $2 \
         WHERE file_id = $3 AND request_id = $4 AND withdrawn_at IS NULL",
    )
    .bind(db::timestamp(now))
    .bind(reason)
    .bind(file_id)
    .bind(&request.id)
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() == 0 {
        return Ok(false);
    }
    let detail = format!("{file_id}: {reason}");
    let event = Event { action: "withdrew a document", record_type: RECORD_TYPE, record_id: &request.reference, detail: &detail };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await?;
    Ok(true)
}
