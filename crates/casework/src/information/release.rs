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

/// Adds a document the product made (the demo office's tables) to a request's release, checked
/// for hidden data like any upload.
pub async fn add_generated(
    pool: &Pool,
    storage: &platform::files::Storage,
    request: &InformationRequest,
    name: &str,
    bytes: Vec<u8>,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let findings: Vec<String> = hidden::check(&bytes).iter().map(hidden::Finding::describe).collect();
    let mut tx = db::begin_write(pool).await?;
    let file_id = files::store_generated(&mut tx, storage, bytes, ("text/csv", name), (RESPONSE_FILES, &request.id), now)
        .await
        .map_err(|e| sqlx::Error::Io(std::io::Error::other(e.to_string())))?;
    sqlx::query("INSERT INTO casework_information_release (file_id, request_id, findings, checked_at) VALUES ($1, $2, $3, $4)")
        .bind(&file_id)
        .bind(&request.id)
        .bind(findings.join("\n"))
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?;
    tx.commit().await
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

/// LOCAL: the most a response email carries; larger releases go by a private link instead (most
/// mail services refuse messages over 20 to 25 MB, and encoding adds a third).
pub const ATTACH_LIMIT_BYTES: i64 = 10 * 1024 * 1024;

/// How the documents released reach the requester (FOIA s.1(1)(b): they are entitled to the
/// information, not just told of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Nothing,
    /// Attached to the response email (and enclosed with a letter by post).
    Attached(Vec<StoredFile>),
    /// Too large to attach: a private link that works without an account, every download audited.
    Linked {
        token: String,
        files: Vec<StoredFile>,
    },
}

impl Delivery {
    pub fn of(files: Vec<StoredFile>) -> Self {
        if files.is_empty() {
            Delivery::Nothing
        } else if files.iter().map(|f| f.size_bytes).sum::<i64>() <= ATTACH_LIMIT_BYTES {
            Delivery::Attached(files)
        } else {
            Delivery::Linked { token: platform::auth::store::new_token(), files }
        }
    }

    /// The response letter's `{documents}` paragraph, with its blank line before; empty when
    /// nothing is released.
    pub fn paragraph(&self, public_url: &str) -> String {
        let list = |files: &[StoredFile]| {
            let names: Vec<String> = files.iter().map(|f| format!("{} ({})", f.original_name, f.size_for_people())).collect();
            platform::words::and_list(&names)
        };
        match self {
            Delivery::Nothing => String::new(),
            Delivery::Attached(files) => {
                format!("\n\nWe are releasing {} with this response, sent with it: {}.", documents(files.len()), list(files))
            }
            Delivery::Linked { token, files } => format!(
                "\n\nWe are releasing {} with this response: {}. They are too large to send by email, so download them here (the link needs no account; keep it private): {}{}",
                documents(files.len()),
                list(files),
                public_url.trim_end_matches('/'),
                released_page(token)
            ),
        }
    }
}

fn documents(count: usize) -> String {
    if count == 1 { "1 document".into() } else { format!("{count} documents") }
}

/// The private page of the documents released to a requester.
pub fn released_page(token: &str) -> String {
    format!("/information-request/released/{token}")
}

pub fn routes() -> platform::access::Routes {
    use axum::routing::get;
    use platform::access::Access;
    platform::access::Routes::new().route("/information-request/released/{token}", Access::Public, get(released)).route(
        "/information-request/released/{token}/{file_id}",
        Access::Public,
        get(released_document),
    )
}

#[derive(askama::Template)]
#[template(path = "information/released.html")]
struct ReleasedPage {
    chrome: platform::Chrome,
    reference: String,
    token: String,
    documents: Vec<StoredFile>,
}

/// The request a private link is for, and the documents it released (not those withdrawn).
async fn by_link(pool: &Pool, token: &str) -> Result<(InformationRequest, Vec<StoredFile>), AppError> {
    if token.len() > 100 {
        return Err(AppError::NotFound);
    }
    let request = super::store::find_by_released_token(pool, token).await?.ok_or(AppError::NotFound)?;
    let documents = public_documents(pool, &request.id).await?;
    Ok((request, documents))
}

async fn released(
    platform::web::PageRequest { platform, chrome }: platform::web::PageRequest,
    axum::extract::Path(token): axum::extract::Path<String>,
) -> Result<axum::response::Response, AppError> {
    let (request, documents) = by_link(platform.pool(), &token).await?;
    platform::web::render(&ReleasedPage { chrome, reference: request.reference, token, documents })
}

/// One released document, through the requester's private link; every download is audited.
async fn released_document(
    axum::extract::State(platform): axum::extract::State<Platform>,
    viewer: platform::auth::Viewer,
    axum::extract::Path((token, file_id)): axum::extract::Path<(String, String)>,
) -> Result<axum::response::Response, AppError> {
    let (request, documents) = by_link(platform.pool(), &token).await?;
    let file = documents.into_iter().find(|f| f.id == file_id).ok_or(AppError::NotFound)?;
    let event = Event {
        action: "downloaded a released document",
        record_type: RECORD_TYPE,
        record_id: &request.reference,
        detail: &file.original_name,
    };
    audit::record_now(platform.pool(), &viewer.actor(), event).await?;
    platform::files::download(platform.storage(), &file).await.map_err(|e| AppError::Internal(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, size_bytes: i64) -> StoredFile {
        StoredFile {
            id: name.into(),
            sha256: String::new(),
            size_bytes,
            content_type: "application/pdf".into(),
            original_name: name.into(),
            flagged_for_review: 0,
            flag_reason: None,
            owner_type: RESPONSE_FILES.into(),
            owner_id: "r".into(),
        }
    }

    #[test]
    fn documents_go_attached_up_to_the_limit_and_by_link_beyond_it() {
        assert_eq!(Delivery::of(Vec::new()), Delivery::Nothing);
        assert_eq!(Delivery::of(Vec::new()).paragraph("https://x.example"), "");
        let at_limit = vec![file("a.pdf", ATTACH_LIMIT_BYTES - 1), file("b.pdf", 1)];
        let attached = Delivery::of(at_limit);
        assert!(matches!(&attached, Delivery::Attached(files) if files.len() == 2));
        assert_eq!(
            attached.paragraph("https://x.example"),
            "\n\nWe are releasing 2 documents with this response, sent with it: a.pdf (10.0 MB) and b.pdf (1 KB)."
        );
        let linked = Delivery::of(vec![file("big.pdf", ATTACH_LIMIT_BYTES + 1)]);
        let Delivery::Linked { token, .. } = &linked else { panic!("linked: {linked:?}") };
        let text = linked.paragraph("https://x.example/");
        assert!(text.starts_with("\n\nWe are releasing 1 document with this response: big.pdf (10.0 MB)."), "{text}");
        assert!(text.ends_with(&format!("https://x.example/information-request/released/{token}")), "{text}");
    }
}
