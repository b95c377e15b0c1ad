//! Uploaded files: streamed from the request to a temporary file while being hashed and sized
//! (never held whole in memory), checked by their content, then stored under their SHA-256 on
//! local disk or in S3-compatible object storage, behind one interface.

use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use tokio::io::AsyncWriteExt;

use crate::db;

mod storage;

pub use storage::Storage;

/// A kind of file a form accepts, by what its first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllowedType {
    pub mime: &'static str,
    /// File name endings people use for it; a name with another ending gets the file flagged.
    pub extensions: &'static [&'static str],
}

/// Documents, photos, video and audio: what a victim or applicant sends as evidence.
pub const EVIDENCE: &[AllowedType] = &[
    AllowedType { mime: "application/pdf", extensions: &["pdf"] },
    AllowedType { mime: "image/jpeg", extensions: &["jpg", "jpeg"] },
    AllowedType { mime: "image/png", extensions: &["png"] },
    AllowedType { mime: "image/gif", extensions: &["gif"] },
    AllowedType { mime: "image/webp", extensions: &["webp"] },
    AllowedType { mime: "image/heif", extensions: &["heic", "heif"] },
    AllowedType { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extensions: &["docx"] },
    AllowedType { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extensions: &["xlsx"] },
    AllowedType { mime: "application/vnd.oasis.opendocument.text", extensions: &["odt"] },
    AllowedType { mime: "application/msword", extensions: &["doc"] },
    AllowedType { mime: "text/plain", extensions: &["txt"] },
    AllowedType { mime: "video/mp4", extensions: &["mp4", "m4v"] },
    AllowedType { mime: "video/quicktime", extensions: &["mov"] },
    AllowedType { mime: "audio/mpeg", extensions: &["mp3"] },
    AllowedType { mime: "audio/m4a", extensions: &["m4a"] },
    AllowedType { mime: "audio/x-wav", extensions: &["wav"] },
];

/// Said when a form, or a connection, has sent as much as it may for now.
pub const UPLOAD_ALLOWANCE_USED: &str = "You have uploaded as much as we can take for now, so these files were not added. Wait an hour and try again, or send them to us by post";

pub const EVIDENCE_DESCRIPTION: &str =
    "a PDF, Word or OpenDocument file, spreadsheet, text file, photo, video or sound recording";

/// What the first bytes of a file say it is. Text has no signature: it counts as text when it
/// is valid UTF-8 with no NUL bytes.
pub fn detect_type(head: &[u8]) -> Option<&'static str> {
    if let Some(kind) = infer::get(head) {
        // infer names Microsoft's zip-based formats only when it sees their parts; a bare zip is not accepted.
        return Some(match kind.mime_type() {
            "image/heic" => "image/heif",
            other => other,
        });
    }
    let text = match std::str::from_utf8(head) {
        Ok(text) => Some(text),
        // The head may cut a character in two.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok(),
        Err(_) => None,
    };
    text.filter(|t| !t.is_empty() && !t.contains('\0')).map(|_| "text/plain")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadProblem {
    TooLarge { limit_bytes: u64 },
    Empty,
    WrongType,
    TooMany { limit: usize },
}

impl UploadProblem {
    /// The GOV.UK file upload pattern's wording.
    pub fn message(&self, allowed_description: &str) -> String {
        match self {
            UploadProblem::TooLarge { limit_bytes } => {
                format!("The selected file must be smaller than {} MB", limit_bytes / (1024 * 1024))
            }
            UploadProblem::Empty => "The selected file is empty".into(),
            UploadProblem::WrongType => format!("The selected file must be {allowed_description}"),
            UploadProblem::TooMany { limit } => format!("Select up to {limit} files"),
        }
    }
}

/// A file that arrived whole and passed the checks, still in its temporary file.
#[derive(Debug)]
pub struct CheckedUpload {
    pub field: String,
    pub original_name: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub content_type: &'static str,
    /// Set when the name claims another type than the content has.
    pub flag_reason: Option<String>,
    temp: tempfile::NamedTempFile,
}

/// A submitted multipart form: its text fields, its good files, and the problems with the rest.
#[derive(Debug, Default)]
pub struct Submission {
    pub fields: Vec<(String, String)>,
    pub uploads: Vec<CheckedUpload>,
    pub problems: Vec<(String, UploadProblem)>,
}

impl Submission {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
    /// The text fields as a struct, as a urlencoded form would give them.
    pub fn deserialize<T: serde::de::DeserializeOwned>(&self) -> Result<T, String> {
        let encoded = serde_html_form::to_string(&self.fields).map_err(|e| e.to_string())?;
        serde_html_form::from_str(&encoded).map_err(|e| e.to_string())
    }
}

#[derive(Debug, Clone, Copy)]
pub struct UploadRules {
    pub max_bytes: u64,
    pub max_files: usize,
    pub allowed: &'static [AllowedType],
    /// The allowed types in words, for "The selected file must be …".
    pub described_as: &'static str,
    /// Largest text field, in bytes.
    pub max_text_bytes: usize,
    /// Most text fields a form may send.
    pub max_fields: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the request is larger than this form accepts")]
    BodyTooLarge,
    #[error("malformed multipart request: {0}")]
    Malformed(String),
    #[error("cannot write the upload to disk: {0}")]
    Disk(#[from] std::io::Error),
}

impl From<MultipartError> for ReadError {
    fn from(error: MultipartError) -> Self {
        if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
            ReadError::BodyTooLarge
        } else {
            ReadError::Malformed(error.body_text())
        }
    }
}

/// Reads a multipart form, streaming each file to a temporary file while hashing it. A file over
/// the limit is abandoned as soon as it passes it; abandoned and refused files are deleted.
pub async fn read_submission(mut multipart: Multipart, storage: &Storage, rules: UploadRules) -> Result<Submission, ReadError> {
    let mut submission = Submission::default();
    let mut files_seen = 0usize;
    while let Some(mut field) = multipart.next_field().await? {
        let name = field.name().unwrap_or_default().to_string();
        let Some(file_name) = field.file_name().map(str::to_string) else {
            if submission.fields.len() >= rules.max_fields {
                return Err(ReadError::BodyTooLarge);
            }
            let mut text = Vec::new();
            while let Some(chunk) = field.chunk().await? {
                if text.len() + chunk.len() > rules.max_text_bytes {
                    return Err(ReadError::BodyTooLarge);
                }
                text.extend_from_slice(&chunk);
            }
            submission.fields.push((name, String::from_utf8_lossy(&text).into_owned()));
            continue;
        };
        // An empty file input still sends a part, with no name and no bytes.
        if file_name.is_empty() {
            while field.chunk().await?.is_some() {}
            continue;
        }
        files_seen += 1;
        if files_seen > rules.max_files {
            while field.chunk().await?.is_some() {}
            if !submission.problems.iter().any(|(_, p)| matches!(p, UploadProblem::TooMany { .. })) {
                submission.problems.push((name, UploadProblem::TooMany { limit: rules.max_files }));
            }
            continue;
        }
        let temp = tempfile::Builder::new().prefix("upload-").tempfile_in(storage.temp_dir())?;
        let mut writer = tokio::fs::File::from_std(temp.reopen()?);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut head: Vec<u8> = Vec::with_capacity(8192);
        let mut too_large = false;
        while let Some(chunk) = field.chunk().await? {
            size += chunk.len() as u64;
            if size > rules.max_bytes {
                too_large = true;
                // Read on to the end of this part (discarding it) so the rest of the form arrives.
                continue;
            }
            if head.len() < 8192 {
                let take = (8192 - head.len()).min(chunk.len());
                head.extend_from_slice(&chunk[..take]);
            }
            hasher.update(&chunk);
            writer.write_all(&chunk).await?;
        }
        writer.flush().await?;
        drop(writer);
        let problem = if too_large {
            Some(UploadProblem::TooLarge { limit_bytes: rules.max_bytes })
        } else if size == 0 {
            Some(UploadProblem::Empty)
        } else {
            None
        };
        if let Some(problem) = problem {
            submission.problems.push((name, problem));
            continue; // `temp` is dropped here, deleting the partial file.
        }
        let detected = detect_type(&head).and_then(|mime| rules.allowed.iter().find(|a| a.mime == mime));
        let Some(allowed) = detected else {
            submission.problems.push((name, UploadProblem::WrongType));
            continue;
        };
        let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_lowercase()).unwrap_or_default();
        let flag_reason = (!allowed.extensions.contains(&extension.as_str()))
            .then(|| format!("named .{extension} but its content is {}", allowed.mime));
        submission.uploads.push(CheckedUpload {
            field: name,
            original_name: file_name.chars().filter(|c| !c.is_control() && *c != '/' && *c != '\\').take(200).collect(),
            sha256: hex::encode(hasher.finalize()),
            size_bytes: size,
            content_type: allowed.mime,
            flag_reason,
            temp,
        });
    }
    Ok(submission)
}

impl CheckedUpload {
    /// Where the upload waits on disk until it is persisted or dropped, for a capability that
    /// reads its contents (an imported spreadsheet).
    pub fn path(&self) -> &std::path::Path {
        self.temp.path()
    }
}

/// A stored file's record.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredFile {
    pub id: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub content_type: String,
    pub original_name: String,
    pub flagged_for_review: i64,
    pub flag_reason: Option<String>,
    pub owner_type: String,
    pub owner_id: String,
}

impl StoredFile {
    /// "2.4 MB", "830 KB": sizes as people read them.
    pub fn size_for_people(&self) -> String {
        let bytes = self.size_bytes as f64;
        if bytes >= 1024.0 * 1024.0 {
            format!("{:.1} MB", bytes / (1024.0 * 1024.0))
        } else {
            format!("{} KB", (bytes / 1024.0).ceil() as i64)
        }
    }
}

/// What a stored-file record says of its contents, whoever owns it.
struct Contents<'a> {
    sha256: &'a str,
    size_bytes: i64,
    content_type: &'a str,
    original_name: &'a str,
    flag_reason: Option<&'a str>,
}

/// Writes a record of stored contents for an owner, in the caller's transaction.
async fn insert(
    conn: &mut sqlx::AnyConnection,
    contents: Contents<'_>,
    (owner_type, owner_id): (&str, &str),
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = crate::ids::new_id();
    sqlx::query(
        "INSERT INTO platform_file (id, sha256, size_bytes, content_type, original_name, flagged_for_review, flag_reason, owner_type, owner_id, uploaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(contents.sha256)
    .bind(contents.size_bytes)
    .bind(contents.content_type)
    .bind(contents.original_name)
    .bind(i64::from(contents.flag_reason.is_some()))
    .bind(contents.flag_reason)
    .bind(owner_type)
    .bind(owner_id)
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    // The same contents may have just lost their last record: they are wanted again.
    sqlx::query("DELETE FROM platform_file_orphan WHERE sha256 = $1").bind(contents.sha256).execute(&mut *conn).await?;
    Ok(id)
}

/// Records a persisted upload as belonging to a record, in the caller's transaction.
pub async fn record(
    conn: &mut sqlx::AnyConnection,
    upload: &CheckedUpload,
    owner_type: &str,
    owner_id: &str,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let contents = Contents {
        sha256: &upload.sha256,
        size_bytes: i64::try_from(upload.size_bytes).unwrap_or(i64::MAX),
        content_type: upload.content_type,
        original_name: &upload.original_name,
        flag_reason: upload.flag_reason.as_deref(),
    };
    insert(conn, contents, (owner_type, owner_id), now).await
}

/// Stores contents the product made itself (not uploaded), and records them for an owner.
pub async fn store_generated(
    conn: &mut sqlx::AnyConnection,
    storage: &Storage,
    bytes: Vec<u8>,
    (content_type, name): (&str, &str),
    owner: (&str, &str),
    now: OffsetDateTime,
) -> Result<String, anyhow::Error> {
    let sha256 = hex::encode(sha2::Sha256::digest(&bytes));
    let size_bytes = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    storage.write_bytes(&sha256, bytes.into()).await?;
    let contents = Contents { sha256: &sha256, size_bytes, content_type, original_name: name, flag_reason: None };
    Ok(insert(conn, contents, owner, now).await?)
}

/// Records stored contents a second time, for another owner (an email that carries a case's
/// document): the contents stay while either record holds them.
pub async fn share(
    conn: &mut sqlx::AnyConnection,
    file: &StoredFile,
    owner_type: &str,
    owner_id: &str,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let contents = Contents {
        sha256: &file.sha256,
        size_bytes: file.size_bytes,
        content_type: &file.content_type,
        original_name: &file.original_name,
        flag_reason: file.flag_reason.as_deref(),
    };
    insert(conn, contents, (owner_type, owner_id), now).await
}

/// Moves files from one owner to another in the caller's transaction: an application's files,
/// uploaded while it was a draft, become the application's when it is submitted.
pub async fn reassign(
    conn: &mut sqlx::AnyConnection,
    from_type: &str,
    from_id: &str,
    to_type: &str,
    to_id: &str,
) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("UPDATE platform_file SET owner_type = $1, owner_id = $2 WHERE owner_type = $3 AND owner_id = $4")
        .bind(to_type)
        .bind(to_id)
        .bind(from_type)
        .bind(from_id)
        .execute(&mut *conn)
        .await?;
    Ok(result.rows_affected())
}

/// Removes one file's record. Its contents are deleted from storage by the collector once no
/// record holds them (another record may hold the same contents).
pub async fn remove(
    conn: &mut sqlx::AnyConnection,
    owner_type: &str,
    owner_id: &str,
    file_id: &str,
) -> Result<bool, sqlx::Error> {
    let removed: Vec<String> =
        sqlx::query_scalar("DELETE FROM platform_file WHERE owner_type = $1 AND owner_id = $2 AND id = $3 RETURNING sha256")
            .bind(owner_type)
            .bind(owner_id)
            .bind(file_id)
            .fetch_all(&mut *conn)
            .await?;
    note_orphans(conn, &removed).await?;
    Ok(removed.len() == 1)
}

/// Removes every file of a record (at the end of its retention period); returns how many. The
/// contents go as [`remove`] says.
pub async fn forget_all(conn: &mut sqlx::AnyConnection, owner_type: &str, owner_id: &str) -> Result<u64, sqlx::Error> {
    let removed: Vec<String> =
        sqlx::query_scalar("DELETE FROM platform_file WHERE owner_type = $1 AND owner_id = $2 RETURNING sha256")
            .bind(owner_type)
            .bind(owner_id)
            .fetch_all(&mut *conn)
            .await?;
    note_orphans(conn, &removed).await?;
    Ok(removed.len() as u64)
}

/// The job that deletes contents no record holds any more.
pub const COLLECT_FILES: &str = "collect-files";

/// Notes contents that lost their last record, in the transaction that removed it, and asks for
/// the collector to run.
async fn note_orphans(conn: &mut sqlx::AnyConnection, hashes: &[String]) -> Result<(), sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let mut noted = 0;
    for hash in hashes {
        let still_held: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM platform_file WHERE sha256 = $1").bind(hash).fetch_one(&mut *conn).await?;
        if still_held == 0 {
            sqlx::query("INSERT INTO platform_file_orphan (sha256, orphaned_at) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING")
                .bind(hash)
                .bind(db::timestamp(now))
                .execute(&mut *conn)
                .await?;
            noted += 1;
        }
    }
    if noted > 0 {
        crate::jobs::enqueue(conn, COLLECT_FILES, "{}", 10, now).await?;
    }
    Ok(())
}

/// Deletes from storage the contents noted as orphans at least `grace` ago, unless a record has
/// taken them up again since (recording cancels the note in its own transaction). Each is
/// checked and forgotten in a write transaction held while the bytes are deleted. Known gap: an
/// upload of the very same bytes stored, but not yet recorded, in the instant of deletion
/// would be recorded without its contents. Returns how many were deleted.
pub async fn collect_orphans(pool: &db::Pool, storage: &Storage, grace: time::Duration) -> Result<usize, anyhow::Error> {
    let hashes: Vec<String> =
        sqlx::query_scalar("SELECT sha256 FROM platform_file_orphan WHERE orphaned_at <= $1 ORDER BY orphaned_at")
            .bind(db::timestamp(OffsetDateTime::now_utc() - grace))
            .fetch_all(pool)
            .await?;
    let mut deleted = 0;
    for hash in hashes {
        let mut tx = db::begin_write(pool).await?;
        let forgotten = sqlx::query(
            "DELETE FROM platform_file_orphan WHERE sha256 = $1 \
             AND NOT EXISTS (SELECT 1 FROM platform_file WHERE platform_file.sha256 = $1)",
        )
        .bind(&hash)
        .execute(&mut *tx)
        .await?;
        if forgotten.rows_affected() == 1 {
            storage.delete(&hash).await?;
            deleted += 1;
        }
        tx.commit().await?;
    }
    Ok(deleted)
}

/// Deletes stored contents that no record holds and that are older than `older_than` (so an
/// upload between storing and recording is left alone): the weekly sweep that also clears
/// anything stored before orphans were noted.
pub async fn collect_unreferenced(
    pool: &db::Pool,
    storage: &Storage,
    older_than: std::time::Duration,
) -> Result<usize, anyhow::Error> {
    let cutoff = cutoff_before(older_than);
    let referenced: std::collections::HashSet<String> =
        sqlx::query_scalar("SELECT DISTINCT sha256 FROM platform_file").fetch_all(pool).await?.into_iter().collect();
    let mut deleted = 0;
    for (hash, modified) in storage.list_with_times().await? {
        if modified > cutoff || referenced.contains(&hash) {
            continue;
        }
        // Checked again just before deleting: a record may have taken it up since the list was read.
        let held: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM platform_file WHERE sha256 = $1").bind(&hash).fetch_one(pool).await?;
        if held == 0 {
            storage.delete(&hash).await?;
            deleted += 1;
        }
    }
    Ok(deleted)
}

fn cutoff_before(older_than: std::time::Duration) -> OffsetDateTime {
    OffsetDateTime::now_utc() - time::Duration::try_from(older_than).unwrap_or(time::Duration::DAY)
}

pub async fn files_of(pool: &db::Pool, owner_type: &str, owner_id: &str) -> Result<Vec<StoredFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, sha256, size_bytes, content_type, original_name, flagged_for_review, flag_reason, owner_type, owner_id \
         FROM platform_file WHERE owner_type = $1 AND owner_id = $2 ORDER BY uploaded_at, id",
    )
    .bind(owner_type)
    .bind(owner_id)
    .fetch_all(pool)
    .await
}

/// One stored file's record by its id, whoever owns it: for a record that keeps the id of its file.
pub async fn find(pool: &db::Pool, id: &str) -> Result<Option<StoredFile>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, sha256, size_bytes, content_type, original_name, flagged_for_review, flag_reason, owner_type, owner_id \
         FROM platform_file WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// The response that downloads a file: always as an attachment, with the type found at upload.
pub async fn download(storage: &Storage, file: &StoredFile) -> Result<axum::response::Response, object_store::Error> {
    use axum::http::{HeaderValue, header};
    let stream = storage.read(&file.sha256).await?;
    let mut response = axum::response::Response::new(axum::body::Body::from_stream(stream));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&file.content_type).unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(file.size_bytes.max(0) as u64));
    let ascii: String =
        file.original_name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ".contains(c) { c } else { '_' }).collect();
    let encoded = percent_encoding::utf8_percent_encode(&file.original_name, percent_encoding::NON_ALPHANUMERIC);
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests;
