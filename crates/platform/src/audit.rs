//! The audit log: who did what to which record, when and from where, for every write and every
//! read of sensitive records. Append-only and hash-chained (see the migration for why).

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::db::{self, Pool};

/// Who acted: a member of staff, a member of the public, or the system itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: Option<String>,
    /// A name for the log: the staff member's email, "public" or "system: …".
    pub label: String,
    /// The network address the request came from, or "local" for the command line.
    pub address: String,
}

impl Actor {
    pub fn public(address: &str) -> Self {
        Self { id: None, label: "public".into(), address: address.into() }
    }
    pub fn system(what: &str) -> Self {
        Self { id: None, label: format!("system: {what}"), address: "local".into() }
    }
    pub fn staff(id: &str, email: &str, address: &str) -> Self {
        Self { id: Some(id.into()), label: email.into(), address: address.into() }
    }
}

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<'a> {
    /// What was done, as a verb phrase in the office's words: "created", "viewed", "signed in".
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: &'a str,
    /// Anything else worth knowing, never personal data beyond what the record id implies.
    pub detail: &'a str,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredEvent {
    pub seq: i64,
    pub occurred_at: String,
    pub actor_id: Option<String>,
    pub actor_label: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub address: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

fn chain_hash(prev_hash: &str, seq: i64, at: &str, actor_id: &str, actor_label: &str, event: [&str; 4], address: &str) -> String {
    let mut hasher = Sha256::new();
    // Length-prefixed fields, so no two different events can hash the same by shifting text.
    for field in [prev_hash, &seq.to_string(), at, actor_id, actor_label, event[0], event[1], event[2], event[3], address] {
        hasher.update((field.len() as u64).to_be_bytes());
        hasher.update(field.as_bytes());
    }
    hex::encode(hasher.finalize())
}

impl StoredEvent {
    fn expected_hash(&self) -> String {
        chain_hash(
            &self.prev_hash,
            self.seq,
            &self.occurred_at,
            self.actor_id.as_deref().unwrap_or(""),
            &self.actor_label,
            [&self.action, &self.record_type, &self.record_id, &self.detail],
            &self.address,
        )
    }
}

/// Appends an event. Pass the transaction that makes the change, so the change and its record
/// stand or fall together.
pub async fn record(
    conn: &mut sqlx::AnyConnection,
    actor: &Actor,
    event: Event<'_>,
    at: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    // Taking the head row first serialises appenders on PostgreSQL (row lock) as SQLite's single
    // writer already does, so every event links to the one before it.
    let (seq, prev_hash): (i64, String) =
        sqlx::query_as("UPDATE platform_audit_head SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq, last_hash")
            .fetch_one(&mut *conn)
            .await?;
    let occurred_at = db::timestamp(at);
    let hash = chain_hash(
        &prev_hash,
        seq,
        &occurred_at,
        actor.id.as_deref().unwrap_or(""),
        &actor.label,
        [event.action, event.record_type, event.record_id, event.detail],
        &actor.address,
    );
    sqlx::query(
        "INSERT INTO platform_audit_event (seq, occurred_at, actor_id, actor_label, action, record_type, record_id, address, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(seq)
    .bind(&occurred_at)
    .bind(actor.id.as_deref())
    .bind(&actor.label)
    .bind(event.action)
    .bind(event.record_type)
    .bind(event.record_id)
    .bind(&actor.address)
    .bind(event.detail)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE platform_audit_head SET last_hash = $1 WHERE id = 1").bind(&hash).execute(&mut *conn).await?;
    Ok(seq)
}

/// Records an event in a transaction of its own (for reads, and for events with no other write).
pub async fn record_now(pool: &Pool, actor: &Actor, event: Event<'_>) -> Result<i64, sqlx::Error> {
    let mut tx = crate::db::begin_write(pool).await?;
    let seq = record(&mut tx, actor, event, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(seq)
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChainReport {
    Intact {
        events: i64,
    },
    /// The first event whose link is wrong, and why.
    Broken {
        seq: i64,
        reason: String,
    },
}

/// Walks the whole chain in order, in pages, and reports the first broken link.
pub async fn verify(pool: &Pool, mut progress: impl FnMut(i64)) -> Result<ChainReport, sqlx::Error> {
    let mut expected_prev = "0".repeat(64);
    let mut expected_seq = 1i64;
    loop {
        let page: Vec<StoredEvent> = fetch(pool, "WHERE seq >= $1 ORDER BY seq LIMIT 5000", expected_seq).await?;
        if page.is_empty() {
            break;
        }
        for event in page {
            if event.seq != expected_seq {
                return Ok(ChainReport::Broken { seq: expected_seq, reason: format!("event {expected_seq} is missing") });
            }
            if event.prev_hash != expected_prev {
                return Ok(ChainReport::Broken { seq: event.seq, reason: "does not link to the event before it".into() });
            }
            if event.expected_hash() != event.hash {
                return Ok(ChainReport::Broken {
                    seq: event.seq,
                    reason: "its contents were changed after it was written".into(),
                });
            }
            expected_prev = event.hash;
            expected_seq += 1;
        }
        progress(expected_seq - 1);
    }
    let (last_seq, last_hash): (i64, String) =
        sqlx::query_as("SELECT last_seq, last_hash FROM platform_audit_head WHERE id = 1").fetch_one(pool).await?;
    if last_seq != expected_seq - 1 || last_hash != expected_prev {
        return Ok(ChainReport::Broken {
            seq: expected_seq,
            reason: format!("the log ends at event {} but {last_seq} were written", expected_seq - 1),
        });
    }
    Ok(ChainReport::Intact { events: expected_seq - 1 })
}

async fn fetch(pool: &Pool, clause: &'static str, seq: i64) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let sql = format!("SELECT {COLUMNS} FROM platform_audit_event {clause}");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(seq).fetch_all(pool).await
}

const COLUMNS: &str = "seq, occurred_at, actor_id, actor_label, action, record_type, record_id, address, detail, prev_hash, hash";

/// What an administrator searches the log by; empty fields match everything.
#[derive(Debug, Clone, Default)]
pub struct Search {
    /// Part of the actor's label (their email address).
    pub person: String,
    /// Part of the record type or id, e.g. "CON-2026-000012".
    pub record: String,
    pub from: Option<time::Date>,
    pub to: Option<time::Date>,
    /// Only events before this one (the next page of a long list, newest first).
    pub before: Option<i64>,
}

/// Newest first, at most `limit` events.
pub async fn search(pool: &Pool, query: &Search, limit: i64) -> Result<Vec<StoredEvent>, sqlx::Error> {
    let like = |s: &str| format!("%{}%", s.trim().to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    let from = query.from.map(db::date).unwrap_or_else(|| "0000-00-00".into());
    // The day after `to`, so the whole of the last day is included.
    let to = query.to.and_then(|d| d.next_day()).map(db::date).unwrap_or_else(|| "9999-99-99".into());
    let sql = format!(
        "SELECT {COLUMNS} FROM platform_audit_event \
         WHERE LOWER(actor_label) LIKE $1 ESCAPE '\\' \
           AND (LOWER(record_id) LIKE $2 ESCAPE '\\' OR LOWER(record_type) LIKE $2 ESCAPE '\\') \
           AND occurred_at >= $3 AND occurred_at < $4 AND seq < $5 \
         ORDER BY seq DESC LIMIT $6"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(like(&query.person))
        .bind(like(&query.record))
        .bind(from)
        .bind(to)
        .bind(query.before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(pool)
        .await
}
