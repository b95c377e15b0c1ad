//! One database layer for SQLite and PostgreSQL (see docs/adr/0001-database.md).
//!
//! Queries go through sqlx's `Any` driver with portable SQL and `$n` placeholders, so every query
//! and every migration is the same text on both databases. The price is a small set of column
//! types: `TEXT`, `BIGINT`, `DOUBLE PRECISION`; dates are ISO `YYYY-MM-DD` text and instants are
//! fixed-width UTC text, which sort correctly as strings on both.

use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, Migrator};
use sqlx::{AnyPool, Connection};
use time::format_description::well_known::Iso8601;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

use crate::config::Settings;

pub type Pool = AnyPool;

/// The platform's own tables.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("sqlite:") { Backend::Sqlite } else { Backend::Postgres }
    }
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Opens a pool. Connections are made lazily so that the server starts (and shows its 503 page)
/// while the database is away; callers that need the database at once call [`ping`].
pub fn connect_lazy(settings: &Settings) -> Result<Pool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let url = settings.effective_database_url();
    if let Backend::Sqlite = Backend::of_url(&url) {
        std::fs::create_dir_all(&settings.data_dir).map_err(sqlx::Error::Io)?;
    }
    let options: AnyConnectOptions = url.parse()?;
    let synchronous = if settings.sqlite_synchronous == "normal" { "NORMAL" } else { "FULL" };
    let sqlite_pragmas = format!(
        "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; \
         PRAGMA synchronous = {synchronous}; PRAGMA journal_size_limit = {WAL_SIZE_LIMIT_BYTES};"
    );
    Ok(AnyPoolOptions::new()
        .max_connections(settings.database_max_connections)
        .min_connections(0)
        .acquire_timeout(settings.acquire_timeout())
        .idle_timeout(Some(Duration::from_secs(300)))
        .after_connect(move |conn, _meta| {
            let pragmas = sqlite_pragmas.clone();
            Box::pin(async move {
                if conn.backend_name() == "SQLite" {
                    // The busy timeout first, so everything after it waits for a lock rather than
                    // failing at once (up to 10 s: a synced commit on a busy disk, or a command
                    // line import beside the server, can hold the lock for seconds). FULL syncs
                    // the WAL at every commit, so a power cut loses nothing acknowledged (NORMAL,
                    // if chosen, can lose the last commits to a power cut, never to a crash).
                    sqlx::raw_sql(sqlx::AssertSqlSafe(pragmas)).execute(&mut *conn).await?;
                    // WAL lets readers carry on while one writer writes. Switching to it needs an
                    // exclusive lock no busy timeout waits for ("database is locked" while the
                    // server writes), so it is asked for only when the file is not in WAL yet.
                    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await?;
                    if !mode.eq_ignore_ascii_case("wal") {
                        sqlx::raw_sql("PRAGMA journal_mode = WAL").execute(&mut *conn).await?;
                    }
                }
                Ok(())
            })
        })
        // A connection whose COMMIT or ROLLBACK failed (a full disk, a dropped link) can come back
        // still inside its transaction, and every later BEGIN on it would fail. Close it instead.
        .after_release(|conn, _meta| Box::pin(async move { Ok(!conn.is_in_transaction()) }))
        .connect_lazy_with(options))
}

pub fn backend(pool: &Pool) -> Backend {
    match pool.connect_options().database_url.scheme() {
        "sqlite" => Backend::Sqlite,
        _ => Backend::Postgres,
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once: a
/// transaction that reads first and writes later cannot wait for the lock (another connection's
/// commit in between makes its snapshot stale, and SQLite answers "database is locked" at once,
/// whatever the busy timeout). PostgreSQL needs nothing special.
///
/// On SQLite a busy database is tried twice more (each try waits the busy timeout): a command
/// beside a loaded server, on a slow disk, can find a synced commit holding the lock longer.
pub async fn begin_write(pool: &Pool) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    match backend(pool) {
        Backend::Sqlite => {
            let mut tries = 0;
            loop {
                tries += 1;
                match pool.begin_with("BEGIN IMMEDIATE").await {
                    Err(error) if tries < 3 && is_busy(&error) => {
                        tracing::warn!(%error, tries, "the database is busy: trying again");
                    }
                    result => return result,
                }
            }
        }
        Backend::Postgres => pool.begin().await,
    }
}

/// SQLite's BUSY (5) or LOCKED (6), extended codes included.
fn is_busy(error: &sqlx::Error) -> bool {
    let code = error.as_database_error().and_then(|e| e.code()).and_then(|c| c.parse::<u32>().ok());
    code.is_some_and(|c| matches!(c & 0xff, 5 | 6))
}

/// The write-ahead log is cut back to this size after a checkpoint, so a burst of writes does
/// not leave a large file behind.
pub const WAL_SIZE_LIMIT_BYTES: i64 = 64 * 1024 * 1024;

/// Checks the database takes a write: a health check that only read would keep a server whose
/// disk is full (or whose database has become read-only) in the load balancer.
pub async fn check_writable(pool: &Pool) -> Result<(), sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    sqlx::query("UPDATE platform_health SET checked_at = $1 WHERE id = 1")
        .bind(timestamp(OffsetDateTime::now_utc()))
        .execute(&mut *tx)
        .await?;
    tx.commit().await
}

/// Checks the database answers.
pub async fn ping(pool: &Pool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    conn.ping().await
}

/// Runs every capability's migrations, in version order, as one set.
///
/// Each capability crate owns its migrations folder; versions are timestamps, so they interleave
/// without clashing and the history table records them all together.
pub async fn migrate(pool: &Pool, sets: &[&Migrator]) -> Result<MigrationReport, sqlx::migrate::MigrateError> {
    let migrator = combined(sets);
    let mut conn = pool.acquire().await?;
    let before = applied_versions(&mut conn).await;
    migrator.run(&mut *conn).await?;
    let after = applied_versions(&mut conn).await;
    Ok(MigrationReport {
        applied_now: after.iter().filter(|v| !before.contains(v)).copied().collect(),
        total_known: migrator.iter().count(),
    })
}

pub fn combined(sets: &[&Migrator]) -> Migrator {
    let mut all: Vec<Migration> = sets.iter().flat_map(|m| m.iter().cloned()).collect();
    all.sort_by_key(|m| m.version);
    Migrator::with_migrations(all)
}

/// Migrations known to this binary that the database has not run.
pub async fn pending_migrations(pool: &Pool, sets: &[&Migrator]) -> Result<Vec<i64>, sqlx::Error> {
    let migrator = combined(sets);
    let mut conn = pool.acquire().await?;
    let applied = applied_versions(&mut conn).await;
    Ok(migrator.iter().map(|m| m.version).filter(|v| !applied.contains(v)).collect())
}

async fn applied_versions(conn: &mut sqlx::AnyConnection) -> Vec<i64> {
    // Before the first migration there is no history table; that simply means nothing has run.
    sqlx::query_scalar::<_, i64>("SELECT version FROM _sqlx_migrations WHERE success = TRUE")
        .fetch_all(&mut *conn)
        .await
        .unwrap_or_default()
}

#[derive(Debug)]
pub struct MigrationReport {
    pub applied_now: Vec<i64>,
    pub total_known: usize,
}

/// Whether an error means the database cannot be reached (show 503, try again later) rather than
/// a fault in the query or the data.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed
        | sqlx::Error::Protocol(_) => true,
        sqlx::Error::Database(db) => code_means_unavailable(&db.code().unwrap_or_default()),
        _ => false,
    }
}

/// What a store can fail with: the database (an outage or a fault, as [`is_unavailable`] tells
/// them apart), or a fault in the program itself, such as a letter kind nobody defined or an
/// email that does not render. A fault is a 500 page with its cause logged, never the "service
/// unavailable" page that tells people to come back later.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("{0}")]
    Fault(String),
}

/// A row whose text columns hold dates and settings the code reads back. Rows are checked as
/// they are loaded, so one that cannot be read is a fault with its cause logged (a 500 page),
/// never a case shown as received on a made-up day or under default timescales.
pub trait Readable: Sized {
    /// What in the row cannot be read, if anything ("ASB-2026-000001: received_on 'soon'").
    fn unreadable(&self) -> Option<String>;

    fn readable(self) -> Result<Self, sqlx::Error> {
        match self.unreadable() {
            None => Ok(self),
            Some(what) => {
                tracing::error!(row = %what, "a stored row cannot be read");
                Err(sqlx::Error::Decode(format!("unreadable row: {what}").into()))
            }
        }
    }
}

/// The one record `select` finds where `column` holds `value`, checked as it loads
/// ([`Readable`]). `select` and `column` are the store's own text, never a caller's.
pub async fn find_readable<T>(pool: &Pool, select: &str, column: &str, value: &str) -> Result<Option<T>, sqlx::Error>
where
    T: Readable + for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    let sql = format!("{select} WHERE {column} = $1");
    let found: Option<T> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(value.to_string()).fetch_optional(pool).await?;
    found.map(Readable::readable).transpose()
}

/// Every row of a list, checked ([`Readable`]).
pub fn all_readable<T: Readable>(rows: Vec<T>) -> Result<Vec<T>, sqlx::Error> {
    rows.into_iter().map(Readable::readable).collect()
}

/// One stored date column that does not hold a date, named with its value.
pub fn unreadable_date(column: &str, text: &str) -> Option<String> {
    parse_date(text).is_none().then(|| format!("{column} {text:?}"))
}

/// One stored JSON column that does not hold what `T` reads.
pub fn unreadable_json<T: serde::de::DeserializeOwned>(column: &str, text: &str) -> Option<String> {
    serde_json::from_str::<T>(text).err().map(|e| format!("{column}: {e}"))
}

/// Whether a database's error code means "away or out of room" rather than a fault.
fn code_means_unavailable(code: &str) -> bool {
    // SQLite's codes are numbers below 10,000 (an extended code carries the primary one in its
    // low byte); PostgreSQL's are five characters.
    if code.len() < 5
        && let Ok(number) = code.parse::<u32>()
    {
        // BUSY (5) and LOCKED (6) after the busy timeout, IOERR (10), FULL (13), CANTOPEN (14).
        return matches!(number & 0xff, 5 | 6 | 10 | 13 | 14);
    }
    // PostgreSQL classes 08 (connection), 28 (the server refused our credentials), 53
    // (resources), 57P (shutdown), 55000 (database not accepting connections), 3D000 (no such
    // database).
    code.starts_with("08")
        || code.starts_with("28")
        || code.starts_with("53")
        || code.starts_with("57P")
        || code == "55000"
        || code == "3D000"
}

/// Whether an error is a unique-constraint violation on either database.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Formats an instant for storage: UTC, microseconds, fixed width, so text order is time order.
pub fn timestamp(at: OffsetDateTime) -> String {
    let at = at.to_offset(UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond()
    )
}

pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Iso8601::DEFAULT)
        .ok()
        .or_else(|| PrimitiveDateTime::parse(text, &Iso8601::DEFAULT).ok().map(|p| p.assume_utc()))
}

/// Formats a date for storage as `YYYY-MM-DD`.
pub fn date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

pub fn parse_date(text: &str) -> Option<Date> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(text, &format).ok()
}

/// Makes a type that is stored as its slug readable from a row: a slug the type does not know
/// is a decoding error (a 500 with the column and value logged), never a silent default. The
/// type needs `fn from_slug(&str) -> Option<Self>`.
#[macro_export]
macro_rules! stored_as_slug {
    ($type:ty) => {
        impl sqlx::Type<sqlx::Any> for $type {
            fn type_info() -> sqlx::any::AnyTypeInfo {
                <String as sqlx::Type<sqlx::Any>>::type_info()
            }
        }
        impl<'r> sqlx::Decode<'r, sqlx::Any> for $type {
            fn decode(value: sqlx::any::AnyValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
                let slug = <String as sqlx::Decode<sqlx::Any>>::decode(value)?;
                <$type>::from_slug(&slug).ok_or_else(|| format!("{} cannot be {slug:?}", stringify!($type)).into())
            }
        }
        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.slug())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn stored_timestamps_sort_as_the_instants_do(a in 0i64..4_102_444_800_000_000, b in 0i64..4_102_444_800_000_000) {
            let ta = OffsetDateTime::from_unix_timestamp_nanos(i128::from(a) * 1000).expect("in range");
            let tb = OffsetDateTime::from_unix_timestamp_nanos(i128::from(b) * 1000).expect("in range");
            prop_assert_eq!(timestamp(ta).cmp(&timestamp(tb)), ta.cmp(&tb));
            prop_assert_eq!(parse_timestamp(&timestamp(ta)), Some(ta));
        }

        #[test]
        fn stored_dates_round_trip(days in 0i32..100_000) {
            let d = Date::from_julian_day(2_440_588 + days).expect("in range");
            prop_assert_eq!(parse_date(&date(d)), Some(d));
        }
    }

    /// A SQLite database that fills its disk (here, its page limit) mid-transaction: the error is
    /// "unavailable", and once there is room again the pool writes as before.
    #[tokio::test]
    async fn a_full_disk_leaves_no_poisoned_connection_behind() {
        let data = tempfile::tempdir().expect("temp dir");
        let settings = Settings { data_dir: data.path().to_path_buf(), database_max_connections: 1, ..Settings::default() };
        let pool = connect_lazy(&settings).expect("pool");
        migrate(&pool, &[&MIGRATOR]).await.expect("migrated");
        sqlx::raw_sql("CREATE TABLE filler (body TEXT)").execute(&pool).await.expect("table");
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count").fetch_one(&pool).await.expect("pages");
        // One connection in the pool, so the limit set here is the one the next write meets.
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PRAGMA max_page_count = {}", pages + 2))).execute(&pool).await.expect("limit");
        let mut failure = None;
        for _ in 0..2 {
            let mut tx = begin_write(&pool).await.expect("begin");
            let insert = sqlx::query("INSERT INTO filler (body) VALUES ($1)").bind("x".repeat(200_000)).execute(&mut *tx).await;
            let outcome = match insert {
                Ok(_) => tx.commit().await,
                Err(error) => Err(error),
            };
            if let Err(error) = outcome {
                failure = Some(error);
                break;
            }
        }
        let failure = failure.expect("the page limit was reached");
        assert!(is_unavailable(&failure), "a full disk is an outage, not a bug: {failure:?}");
        // Room again (here: no page limit on a fresh connection, or a raised one on the old).
        sqlx::raw_sql("PRAGMA max_page_count = 1073741823").execute(&pool).await.expect("room again");
        for n in 0..3 {
            let mut tx = begin_write(&pool).await.unwrap_or_else(|e| panic!("write {n} could not begin: {e}"));
            sqlx::query("INSERT INTO filler (body) VALUES ('small')").execute(&mut *tx).await.expect("insert");
            tx.commit().await.expect("commit");
        }
        check_writable(&pool).await.expect("healthy again");
    }

    #[test]
    fn connection_failures_are_unavailability_not_bugs() {
        assert!(is_unavailable(&sqlx::Error::PoolTimedOut));
        assert!(is_unavailable(&sqlx::Error::Io(std::io::Error::other("refused"))));
        assert!(!is_unavailable(&sqlx::Error::RowNotFound));
        let cases = [
            ("5", true),      // SQLITE_BUSY
            ("517", true),    // SQLITE_BUSY_SNAPSHOT
            ("13", true),     // SQLITE_FULL
            ("778", true),    // SQLITE_IOERR_WRITE
            ("19", false),    // SQLITE_CONSTRAINT
            ("2067", false),  // SQLITE_CONSTRAINT_UNIQUE
            ("28P01", true),  // PostgreSQL: password authentication failed
            ("28000", true),  // PostgreSQL: invalid authorization
            ("08006", true),  // PostgreSQL: connection failure
            ("53100", true),  // PostgreSQL: disk full
            ("23505", false), // PostgreSQL: unique violation
            ("42P01", false), // PostgreSQL: no such table
        ];
        for (code, expected) in cases {
            assert_eq!(code_means_unavailable(code), expected, "{code}");
        }
    }
}
