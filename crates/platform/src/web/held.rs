//! Files sent with a one-page form (an appeal, a message) that was refused for another reason:
//! kept under the form's submission key and listed on the page shown again, so nobody has to
//! choose them a second time. They go with the form when it is sent, and are forgotten a day
//! after they arrived if it never is.

use time::{Duration, OffsetDateTime};

use super::{AppError, Platform};
use crate::db::{self, Pool};
use crate::files::{self, CheckedUpload, StoredFile, UploadRules};

/// The owner type of files held for a form not yet sent; the owner id is its submission key.
pub const HELD_FILES: &str = "held-form";
const HELD_FOR: Duration = Duration::days(1);

/// The files already held for the form with this key.
pub async fn held(pool: &Pool, submission_key: &str) -> Result<Vec<StoredFile>, sqlx::Error> {
    if !crate::ids::is_well_formed(submission_key) {
        return Ok(Vec::new());
    }
    files::files_of(pool, HELD_FILES, submission_key).await
}

/// The upload rules with room only for what is not held already.
pub fn with_room(mut rules: UploadRules, held: usize) -> UploadRules {
    rules.max_files = rules.max_files.saturating_sub(held);
    rules
}

/// Keeps the files of a refused form for when it is sent again.
pub async fn hold(platform: &Platform, submission_key: &str, uploads: &[CheckedUpload]) -> Result<(), AppError> {
    let now = OffsetDateTime::now_utc();
    for upload in uploads {
        platform.storage().persist(upload).await.map_err(|e| AppError::Internal(e.into()))?;
        let mut conn = platform.pool().acquire().await?;
        files::record(&mut conn, upload, HELD_FILES, submission_key, now).await?;
    }
    Ok(())
}

/// Gives the form's held files to what it became, in the transaction that stores it.
pub async fn hand_over(conn: &mut sqlx::AnyConnection, submission_key: &str, to: (&str, &str)) -> Result<u64, sqlx::Error> {
    files::reassign(conn, HELD_FILES, submission_key, to.0, to.1).await
}

/// Forgets files held for forms never sent (daily housekeeping).
pub async fn sweep(pool: &Pool, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT owner_id FROM platform_file WHERE owner_type = $1 AND uploaded_at < $2")
            .bind(HELD_FILES)
            .bind(db::timestamp(now - HELD_FOR))
            .fetch_all(pool)
            .await?;
    for key in keys {
        let mut tx = db::begin_write(pool).await?;
        files::forget_all(&mut tx, HELD_FILES, &key).await?;
        tx.commit().await?;
    }
    Ok(())
}
