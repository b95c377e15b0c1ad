//! Background work: a job table with retries, backoff and a dead-letter state, a worker that
//! claims jobs safely when several processes share the database, and a daily scheduler.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use time::{Duration, OffsetDateTime};
use tokio::sync::watch;

use crate::db::{self, Backend, Pool};

pub type JobFuture = Pin<Box<dyn Future<Output = Result<(), String>> + Send>>;
type Handler = Arc<dyn Fn(Pool, String) -> JobFuture + Send + Sync>;

/// What each kind of job does, by name.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Handler>,
}

impl Registry {
    pub fn new() -> Self {
        Self::default()
    }
    /// Registers `kind`; the handler gets the pool and the job's payload (JSON text).
    pub fn register<F, Fut>(mut self, kind: &'static str, handler: F) -> Self
    where
        F: Fn(Pool, String) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.handlers.insert(kind, Arc::new(move |pool, payload| Box::pin(handler(pool, payload))));
        self
    }
}

/// How long to wait before attempt `n + 1`: 10 s, 20 s, 40 s, … up to an hour.
pub fn backoff(attempts: i64) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Duration::seconds((10i64 << exponent.min(12)).min(3600))
}

/// Adds a job, inside the caller's transaction.
pub async fn enqueue(
    conn: &mut sqlx::AnyConnection,
    kind: &str,
    payload: &str,
    max_attempts: i64,
    run_at: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = crate::ids::new_id();
    sqlx::query(
        "INSERT INTO platform_job (id, kind, payload, status, max_attempts, run_at, created_at) VALUES ($1, $2, $3, 'queued', $4, $5, $6)",
    )
    .bind(&id)
    .bind(kind)
    .bind(payload)
    .bind(max_attempts)
    .bind(db::timestamp(run_at))
    .bind(db::timestamp(OffsetDateTime::now_utc()))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Adds a job unless one with the same key was ever added; returns whether it was added.
pub async fn enqueue_once(
    pool: &Pool,
    kind: &str,
    payload: &str,
    dedup_key: &str,
    run_at: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "INSERT INTO platform_job (id, kind, payload, status, max_attempts, run_at, created_at, dedup_key) \
         VALUES ($1, $2, $3, 'queued', 5, $4, $5, $6) ON CONFLICT (dedup_key) DO NOTHING",
    )
    .bind(crate::ids::new_id())
    .bind(kind)
    .bind(payload)
    .bind(db::timestamp(run_at))
    .bind(db::timestamp(OffsetDateTime::now_utc()))
    .bind(dedup_key)
    .execute(pool)
    .await?;
    Ok(result.rows_affected() == 1)
}

struct Claimed {
    id: String,
    kind: String,
    payload: String,
    attempts: i64,
    max_attempts: i64,
}

const LEASE: Duration = Duration::minutes(5);

async fn claim(pool: &Pool, worker: &str, now: OffsetDateTime) -> Result<Option<Claimed>, sqlx::Error> {
    // PostgreSQL: SKIP LOCKED lets several processes claim different jobs at once without
    // waiting on each other. SQLite has one writer at a time, so the plain form is already safe.
    let lock = match db::backend(pool) {
        Backend::Postgres => "FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let sql = format!(
        "UPDATE platform_job SET status = 'running', attempts = attempts + 1, locked_by = $1, locked_until = $2 \
         WHERE id = (SELECT id FROM platform_job \
                     WHERE (status = 'queued' AND run_at <= $3) OR (status = 'running' AND locked_until < $3) \
                     ORDER BY run_at LIMIT 1 {lock}) \
         RETURNING id, kind, payload, attempts, max_attempts"
    );
    let row: Option<(String, String, String, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(worker)
        .bind(db::timestamp(now + LEASE))
        .bind(db::timestamp(now))
        .fetch_optional(pool)
        .await?;
    Ok(row.map(|(id, kind, payload, attempts, max_attempts)| Claimed { id, kind, payload, attempts, max_attempts }))
}

async fn finish(pool: &Pool, job: &Claimed, outcome: Result<(), String>, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    match outcome {
        Ok(()) => {
            // `locked_by` is kept: which process ran a job is worth knowing afterwards.
            sqlx::query("UPDATE platform_job SET status = 'done', finished_at = $1, locked_until = NULL WHERE id = $2")
                .bind(db::timestamp(now))
                .bind(&job.id)
                .execute(pool)
                .await?;
        }
        Err(error) => {
            let dead = job.attempts >= job.max_attempts;
            tracing::warn!(job = job.id, kind = job.kind, attempts = job.attempts, dead, error, "job failed");
            sqlx::query(
                "UPDATE platform_job SET status = $1, run_at = $2, last_error = $3, locked_by = NULL, locked_until = NULL, finished_at = $4 WHERE id = $5",
            )
            .bind(if dead { "dead" } else { "queued" })
            .bind(db::timestamp(now + backoff(job.attempts)))
            .bind(error.chars().take(2000).collect::<String>())
            .bind(dead.then(|| db::timestamp(now)))
            .bind(&job.id)
            .execute(pool)
            .await?;
        }
    }
    Ok(())
}

/// Claims and runs one due job; returns whether there was one.
pub async fn run_one(pool: &Pool, registry: &Registry, worker: &str) -> Result<bool, sqlx::Error> {
    let Some(job) = claim(pool, worker, OffsetDateTime::now_utc()).await? else { return Ok(false) };
    let outcome = match registry.handlers.get(job.kind.as_str()) {
        Some(handler) => {
            match tokio::time::timeout(StdDuration::from_secs(240), handler(pool.clone(), job.payload.clone())).await {
                Ok(outcome) => outcome,
                Err(_) => Err("timed out after 4 minutes".into()),
            }
        }
        None => Err(format!("no handler for job kind {:?}", job.kind)),
    };
    finish(pool, &job, outcome, OffsetDateTime::now_utc()).await?;
    Ok(true)
}

/// Runs due jobs until `stop` is signalled; polls every `idle` when there is nothing to do.
pub async fn work(pool: Pool, registry: Registry, mut stop: watch::Receiver<bool>, idle: StdDuration) {
    let worker = format!("{}:{}", std::process::id(), &crate::ids::new_id()[..8]);
    tracing::info!(worker, "job worker started");
    loop {
        if *stop.borrow() {
            break;
        }
        let ran = match run_one(&pool, &registry, &worker).await {
            Ok(ran) => ran,
            Err(error) => {
                // The database is away; the jobs wait in it, so nothing is lost by waiting too.
                tracing::warn!(%error, "job worker cannot reach the database");
                false
            }
        };
        if !ran {
            tokio::select! {
                _ = tokio::time::sleep(idle) => {}
                _ = stop.changed() => {}
            }
        }
    }
    tracing::info!(worker, "job worker stopped");
}

/// Daily tasks: each is enqueued once per UK date, however many processes run the scheduler.
pub async fn schedule_daily(pool: &Pool, tasks: &[&'static str], now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let today = db::date(crate::calendar::uk_local_date(now));
    let mut added = 0;
    for kind in tasks {
        if enqueue_once(pool, kind, "{}", &format!("daily:{kind}:{today}"), now).await? {
            added += 1;
        }
    }
    Ok(added)
}

/// Runs the scheduler every minute until `stop` is signalled.
pub async fn schedule(pool: Pool, tasks: Vec<&'static str>, mut stop: watch::Receiver<bool>) {
    loop {
        if let Err(error) = schedule_daily(&pool, &tasks, OffsetDateTime::now_utc()).await {
            tracing::warn!(%error, "scheduler cannot reach the database");
        }
        tokio::select! {
            _ = tokio::time::sleep(StdDuration::from_secs(60)) => {}
            _ = stop.changed() => break,
        }
    }
}

/// A job as administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct JobSummary {
    pub id: String,
    pub kind: String,
    pub status: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub run_at: String,
    pub last_error: Option<String>,
}

/// Jobs waiting, running or dead (finished ones are left out), oldest first.
pub async fn outstanding(pool: &Pool, limit: i64) -> Result<Vec<JobSummary>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, kind, status, attempts, max_attempts, run_at, last_error FROM platform_job \
         WHERE status <> 'done' ORDER BY CASE status WHEN 'dead' THEN 0 WHEN 'running' THEN 1 ELSE 2 END, run_at LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

pub async fn count_by_status(pool: &Pool) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as("SELECT status, COUNT(*) FROM platform_job GROUP BY status ORDER BY status").fetch_all(pool).await
}

/// Gives a dead job another set of attempts, from now.
pub async fn retry(pool: &Pool, id: &str) -> Result<bool, sqlx::Error> {
    let result = sqlx::query("UPDATE platform_job SET status = 'queued', attempts = 0, run_at = $1, finished_at = NULL WHERE id = $2 AND status = 'dead'")
        .bind(db::timestamp(OffsetDateTime::now_utc()))
        .bind(id)
        .execute(pool)
        .await?;
    Ok(result.rows_affected() == 1)
}

/// The daily housekeeping task: expired sessions, old sign-in failures, used reset links, and
/// forms and files kept past their day.
pub const HOUSEKEEPING: &str = "housekeeping";

pub async fn housekeeping(pool: Pool, _payload: String) -> Result<(), String> {
    let now = OffsetDateTime::now_utc();
    let run = async {
        sqlx::query("DELETE FROM platform_session WHERE expires_at < $1").bind(db::timestamp(now)).execute(&pool).await?;
        sqlx::query("DELETE FROM platform_sign_in_failure WHERE failed_at < $1")
            .bind(db::timestamp(now - Duration::days(1)))
            .execute(&pool)
            .await?;
        crate::throttle::sweep(&pool, now).await?;
        sqlx::query("DELETE FROM platform_password_reset WHERE expires_at < $1")
            .bind(db::timestamp(now - Duration::days(1)))
            .execute(&pool)
            .await?;
        crate::auth::kept::sweep(&pool, now).await?;
        crate::web::held::sweep(&pool, now).await?;
        Ok::<_, sqlx::Error>(())
    };
    run.await.map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_ten_seconds_to_an_hour() {
        let seconds: Vec<i64> = (1..=11).map(|n| backoff(n).whole_seconds()).collect();
        assert_eq!(seconds, [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]);
        assert_eq!(backoff(0).whole_seconds(), 10);
        assert_eq!(backoff(i64::MAX).whole_seconds(), 3600);
    }
}
