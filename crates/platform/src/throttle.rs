//! Limits on how often something may be tried: sign-ins by account and client, tracker guesses,
//! password reset emails, uploaded bytes. Every limit is kept in the database (several servers
//! share it) and is checked by taking the attempt first and counting after, so a burst of
//! parallel requests cannot all be evaluated before any of them is counted.

use time::{Duration, OffsetDateTime};

use crate::db::{self, Pool};

/// One kind of limit: at most `limit` (attempts, or bytes) per subject in `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub kind: &'static str,
    pub limit: i64,
    pub window: Duration,
}

/// An attempt that was allowed. Give it back with [`Attempt::release`] when it should not count
/// (a tracker look-up that found the case, a password that was right).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    id: String,
}

/// Takes an attempt of `weight` for `subject`, if the subject's attempts in the window, this
/// one included, stay within the limit. A refused attempt is not kept, so it does not lengthen
/// the wait.
pub async fn take(
    pool: &Pool,
    limit: Limit,
    subject: &str,
    weight: i64,
    now: OffsetDateTime,
) -> Result<Option<Attempt>, sqlx::Error> {
    let id = crate::ids::new_id();
    record(pool, limit.kind, subject, weight, &id, now).await?;
    if used(pool, limit, subject, now).await? > limit.limit {
        release_id(pool, &id).await?;
        return Ok(None);
    }
    Ok(Some(Attempt { id }))
}

/// Counts `weight` against the subject without asking (bytes already received, say).
pub async fn count(pool: &Pool, limit: Limit, subject: &str, weight: i64, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    record(pool, limit.kind, subject, weight, &crate::ids::new_id(), now).await
}

/// Whether the subject has used up its allowance in the window (without taking anything).
pub async fn exhausted(pool: &Pool, limit: Limit, subject: &str, now: OffsetDateTime) -> Result<bool, sqlx::Error> {
    Ok(used(pool, limit, subject, now).await? >= limit.limit)
}

/// What the subject has used in the window.
pub async fn used(pool: &Pool, limit: Limit, subject: &str, now: OffsetDateTime) -> Result<i64, sqlx::Error> {
    let used: Option<i64> = sqlx::query_scalar(
        "SELECT CAST(SUM(weight) AS BIGINT) FROM platform_attempt WHERE kind = $1 AND subject = $2 AND taken_at > $3",
    )
    .bind(limit.kind)
    .bind(subject)
    .bind(db::timestamp(now - limit.window))
    .fetch_one(pool)
    .await?;
    Ok(used.unwrap_or(0))
}

/// Forgets a subject's attempts (a right password ends a run of wrong ones).
pub async fn clear(pool: &Pool, limit: Limit, subject: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM platform_attempt WHERE kind = $1 AND subject = $2")
        .bind(limit.kind)
        .bind(subject)
        .execute(pool)
        .await?;
    Ok(())
}

impl Attempt {
    pub async fn release(self, pool: &Pool) -> Result<(), sqlx::Error> {
        release_id(pool, &self.id).await
    }
}

async fn record(pool: &Pool, kind: &str, subject: &str, weight: i64, id: &str, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO platform_attempt (id, kind, subject, weight, taken_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(kind)
        .bind(subject.chars().take(300).collect::<String>())
        .bind(weight)
        .bind(db::timestamp(now))
        .execute(pool)
        .await?;
    Ok(())
}

async fn release_id(pool: &Pool, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM platform_attempt WHERE id = $1").bind(id).execute(pool).await?;
    Ok(())
}

/// The longest window any limit looks back over (a draft's uploads, for its 30 days).
pub const LONGEST_WINDOW: Duration = Duration::days(31);

/// Forgets attempts older than the longest window (daily housekeeping).
pub async fn sweep(pool: &Pool, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let result = sqlx::query("DELETE FROM platform_attempt WHERE taken_at < $1")
        .bind(db::timestamp(now - LONGEST_WINDOW))
        .execute(pool)
        .await?;
    Ok(result.rows_affected())
}
