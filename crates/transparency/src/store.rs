//! Transparency's tables, through named verbs. Every write is audited in the transaction that
//! makes it.

use std::collections::BTreeSet;

use platform::audit::{Actor, Event, record};
use platform::db::{self, Pool};
use serde_json::{Map, Value};
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};

use crate::registers::Register;
use crate::spend::{Mapping, Payment};

// ---------------------------------------------------------------------------------------------
// Published items

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Item {
    pub id: String,
    pub title: String,
    pub class: i64,
    pub requirement: String,
    pub frequency: String,
    pub owner_id: Option<String>,
    pub source: String,
    pub url: String,
    pub reviewed_on: Option<String>,
    pub last_reminded_on: Option<String>,
}

const ITEM: &str = "id, title, class, requirement, frequency, owner_id, source, url, reviewed_on, last_reminded_on";

pub async fn items(pool: &Pool) -> Result<Vec<Item>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {ITEM} FROM transparency_item ORDER BY class, title")))
        .fetch_all(pool)
        .await
}

pub struct NewItem<'a> {
    pub title: &'a str,
    pub class: i64,
    pub requirement: &'a str,
    pub frequency: &'a str,
    pub owner_id: Option<&'a str>,
    pub source: &'a str,
    pub url: &'a str,
    pub reviewed_on: Option<Date>,
}

pub async fn add_item(
    conn: &mut AnyConnection,
    item: &NewItem<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO transparency_item (id, title, class, requirement, frequency, owner_id, source, url, reviewed_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(item.title.to_string())
    .bind(item.class)
    .bind(item.requirement.to_string())
    .bind(item.frequency.to_string())
    .bind(item.owner_id.map(str::to_string))
    .bind(item.source.to_string())
    .bind(item.url.to_string())
    .bind(item.reviewed_on.map(db::date))
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    let event = Event { action: "added", record_type: "publication scheme item", record_id: &id, detail: item.title };
    record(conn, actor, event, now).await?;
    Ok(id)
}

/// Marks a page elsewhere as reviewed (or republished) on a day.
pub async fn mark_reviewed(
    conn: &mut AnyConnection,
    id: &str,
    on: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE transparency_item SET reviewed_on = $1, version = version + 1 WHERE id = $2")
        .bind(db::date(on))
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if done {
        let detail = db::date(on);
        record(
            conn,
            actor,
            Event { action: "reviewed", record_type: "publication scheme item", record_id: id, detail: &detail },
            now,
        )
        .await?;
    }
    Ok(done)
}

pub async fn remove_item(conn: &mut AnyConnection, id: &str, actor: &Actor, now: OffsetDateTime) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM transparency_item WHERE id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if done {
        record(conn, actor, Event { action: "removed", record_type: "publication scheme item", record_id: id, detail: "" }, now)
            .await?;
    }
    Ok(done)
}

pub async fn mark_reminded(conn: &mut AnyConnection, id: &str, on: Date) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE transparency_item SET last_reminded_on = $1 WHERE id = $2")
        .bind(db::date(on))
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The last date each source here was published: documents by their latest version, registers by
/// their latest change, spending by its latest import, decisions by the latest published.
pub async fn source_dates(pool: &Pool) -> Result<Vec<(String, String)>, sqlx::Error> {
    let mut out: Vec<(String, String)> = sqlx::query_as(
        "SELECT 'document:' || d.slug, MAX(v.published_on) FROM transparency_document d \
         JOIN transparency_document_version v ON v.document_id = d.id GROUP BY d.slug",
    )
    .fetch_all(pool)
    .await?;
    let registers: Vec<(String, String)> =
        sqlx::query_as("SELECT 'register:' || register, MAX(updated_at) FROM transparency_register_entry GROUP BY register")
            .fetch_all(pool)
            .await?;
    out.extend(registers.into_iter().map(|(k, at)| (k, at.get(..10).unwrap_or_default().to_string())));
    let spend: Option<(Option<String>,)> =
        sqlx::query_as("SELECT MAX(imported_at) FROM transparency_spend_import").fetch_optional(pool).await?;
    if let Some((Some(at),)) = spend {
        out.push(("spending".into(), at.get(..10).unwrap_or_default().to_string()));
    }
    let decided: Option<(Option<String>,)> =
        sqlx::query_as("SELECT MAX(published_on) FROM transparency_decision WHERE status = 'published'")
            .fetch_optional(pool)
            .await?;
    if let Some((Some(on),)) = decided {
        out.push(("decisions".into(), on));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Documents and their versions

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Document {
    pub id: String,
    pub slug: String,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Version {
    pub number: i64,
    pub body: String,
    pub html: String,
    pub file_id: Option<String>,
    pub change_note: String,
    pub published_on: String,
}

pub async fn documents(pool: &Pool) -> Result<Vec<Document>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, title FROM transparency_document ORDER BY title").fetch_all(pool).await
}

pub async fn find_document(pool: &Pool, slug: &str) -> Result<Option<Document>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, title FROM transparency_document WHERE slug = $1")
        .bind(slug.to_string())
        .fetch_optional(pool)
        .await
}

/// A document's versions, newest first.
pub async fn versions(pool: &Pool, document_id: &str) -> Result<Vec<Version>, sqlx::Error> {
    sqlx::query_as(
        "SELECT number, body, html, file_id, change_note, published_on FROM transparency_document_version \
         WHERE document_id = $1 ORDER BY number DESC",
    )
    .bind(document_id.to_string())
    .fetch_all(pool)
    .await
}

pub struct NewVersion<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub html: &'a str,
    pub file_id: Option<&'a str>,
    pub change_note: &'a str,
    pub published_on: Date,
}

/// Publishes a version of the document with the slug, making the document if it is new. Returns
/// the version's number.
pub async fn publish_version(
    conn: &mut AnyConnection,
    slug: &str,
    version: &NewVersion<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    let existing: Option<(String,)> = sqlx::query_as("SELECT id FROM transparency_document WHERE slug = $1")
        .bind(slug.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    let id = match existing {
        Some((id,)) => {
            sqlx::query("UPDATE transparency_document SET title = $1 WHERE id = $2")
                .bind(version.title.to_string())
                .bind(&id)
                .execute(&mut *conn)
                .await?;
            id
        }
        None => {
            let id = platform::ids::new_id();
            sqlx::query("INSERT INTO transparency_document (id, slug, title, created_at) VALUES ($1, $2, $3, $4)")
                .bind(&id)
                .bind(slug.to_string())
                .bind(version.title.to_string())
                .bind(db::timestamp(now))
                .execute(&mut *conn)
                .await?;
            id
        }
    };
    let (number,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(number), 0) + 1 FROM transparency_document_version WHERE document_id = $1")
            .bind(&id)
            .fetch_one(&mut *conn)
            .await?;
    sqlx::query(
        "INSERT INTO transparency_document_version (document_id, number, body, html, file_id, change_note, published_on, published_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(number)
    .bind(version.body.to_string())
    .bind(version.html.to_string())
    .bind(version.file_id.map(str::to_string))
    .bind(version.change_note.to_string())
    .bind(db::date(version.published_on))
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    let detail = format!("version {number}: {}", version.title);
    record(conn, actor, Event { action: "published", record_type: "document", record_id: slug, detail: &detail }, now).await?;
    Ok(number)
}

// ---------------------------------------------------------------------------------------------
// Requests for another format

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct FormatRequest {
    pub reference: String,
    pub title: String,
    pub slug: String,
    pub name: String,
    pub email: String,
    pub format: String,
    pub details: String,
    pub received_on: String,
    pub reply_by: String,
    pub replied_on: Option<String>,
}

pub struct NewFormatRequest<'a> {
    pub document_id: &'a str,
    pub name: &'a str,
    pub email: &'a str,
    pub format: &'a str,
    pub details: &'a str,
    pub received_on: Date,
    pub reply_by: Date,
}

pub async fn add_format_request(
    conn: &mut AnyConnection,
    new: &NewFormatRequest<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let reference = platform::reference::next(&mut *conn, "AF", new.received_on.year()).await?.to_string();
    sqlx::query(
        "INSERT INTO transparency_format_request (reference, document_id, name, email, format, details, received_on, reply_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&reference)
    .bind(new.document_id.to_string())
    .bind(new.name.to_string())
    .bind(new.email.to_string())
    .bind(new.format.to_string())
    .bind(new.details.to_string())
    .bind(db::date(new.received_on))
    .bind(db::date(new.reply_by))
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    record(
        conn,
        actor,
        Event { action: "asked for", record_type: "another format", record_id: &reference, detail: new.format },
        now,
    )
    .await?;
    Ok(reference)
}

pub async fn format_requests(pool: &Pool) -> Result<Vec<FormatRequest>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.reference, d.title, d.slug, r.name, r.email, r.format, r.details, r.received_on, r.reply_by, r.replied_on \
         FROM transparency_format_request r JOIN transparency_document d ON d.id = r.document_id \
         ORDER BY r.replied_on IS NOT NULL, r.reply_by, r.reference",
    )
    .fetch_all(pool)
    .await
}

pub async fn mark_replied(
    conn: &mut AnyConnection,
    reference: &str,
    on: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE transparency_format_request SET replied_on = $1 WHERE reference = $2 AND replied_on IS NULL")
        .bind(db::date(on))
        .bind(reference.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if done {
        record(conn, actor, Event { action: "replied", record_type: "another format", record_id: reference, detail: "" }, now)
            .await?;
    }
    Ok(done)
}

// ---------------------------------------------------------------------------------------------
// Decisions

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Decision {
    pub id: String,
    pub number: String,
    pub title: String,
    pub decided_on: String,
    pub decision_maker: String,
    pub summary: String,
    pub reasons: String,
    pub options: String,
    pub financial: String,
    pub report_url: String,
    pub exempt_part: String,
    pub exempt_reason: String,
    pub status: String,
    pub signed_on: Option<String>,
    pub published_on: Option<String>,
    pub version: i64,
}

impl Decision {
    pub fn status(&self) -> crate::decision::Status {
        crate::decision::Status::parse(&self.status).unwrap_or(crate::decision::Status::Draft)
    }
    pub fn slug(&self) -> String {
        crate::decision::slug(&self.number)
    }
}

const DECISION: &str = "id, number, title, decided_on, decision_maker, summary, reasons, options, financial, report_url, \
                        exempt_part, exempt_reason, status, signed_on, published_on, version";

/// Every record, newest first: the office's list.
pub async fn decisions(pool: &Pool) -> Result<Vec<Decision>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {DECISION} FROM transparency_decision ORDER BY year DESC, sequence DESC")))
        .fetch_all(pool)
        .await
}

/// Published records, newest first, published between the dates (either end open).
pub async fn published_decisions(pool: &Pool, from: Option<Date>, to: Option<Date>) -> Result<Vec<Decision>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {DECISION} FROM transparency_decision WHERE status = 'published' AND published_on >= $1 AND published_on <= $2 \
         ORDER BY published_on DESC, year DESC, sequence DESC"
    )))
    .bind(from.map(db::date).unwrap_or_else(|| "0000-01-01".into()))
    .bind(to.map(db::date).unwrap_or_else(|| "9999-12-31".into()))
    .fetch_all(pool)
    .await
}

pub async fn find_decision(pool: &Pool, number: &str) -> Result<Option<Decision>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {DECISION} FROM transparency_decision WHERE number = $1")))
        .bind(number.to_string())
        .fetch_optional(pool)
        .await
}

/// What a record says, as drafted.
#[derive(Debug, Clone, Default)]
pub struct DecisionText {
    pub title: String,
    pub decided_on: Option<Date>,
    pub decision_maker: String,
    pub summary: String,
    pub reasons: String,
    pub options: String,
    pub financial: String,
    pub report_url: String,
    pub exempt_part: String,
    pub exempt_reason: String,
}

/// Drafts a record with the next number of the year it was made in.
pub async fn draft_decision(
    conn: &mut AnyConnection,
    text: &DecisionText,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let on = text.decided_on.unwrap_or_else(|| now.date());
    let year = on.year();
    let (sequence,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(sequence), 0) + 1 FROM transparency_decision WHERE year = $1")
        .bind(i64::from(year))
        .fetch_one(&mut *conn)
        .await?;
    let number = crate::decision::number(year, sequence);
    sqlx::query(
        "INSERT INTO transparency_decision (id, number, year, sequence, title, decided_on, decision_maker, summary, reasons, options, \
         financial, report_url, exempt_part, exempt_reason, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'draft', $15, $15)",
    )
    .bind(platform::ids::new_id())
    .bind(&number)
    .bind(i64::from(year))
    .bind(sequence)
    .bind(text.title.clone())
    .bind(db::date(on))
    .bind(text.decision_maker.clone())
    .bind(text.summary.clone())
    .bind(text.reasons.clone())
    .bind(text.options.clone())
    .bind(text.financial.clone())
    .bind(text.report_url.clone())
    .bind(text.exempt_part.clone())
    .bind(text.exempt_reason.clone())
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    record(conn, actor, Event { action: "drafted", record_type: "decision", record_id: &number, detail: &text.title }, now)
        .await?;
    Ok(number)
}

/// Changes a draft; false when it is no longer a draft or was changed since it was read.
pub async fn amend_draft(
    conn: &mut AnyConnection,
    (number, version): (&str, i64),
    text: &DecisionText,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE transparency_decision SET title = $1, decided_on = $2, decision_maker = $3, summary = $4, reasons = $5, options = $6, \
         financial = $7, report_url = $8, exempt_part = $9, exempt_reason = $10, updated_at = $11, version = version + 1 \
         WHERE number = $12 AND version = $13 AND status = 'draft'",
    )
    .bind(text.title.clone())
    .bind(text.decided_on.map(db::date))
    .bind(text.decision_maker.clone())
    .bind(text.summary.clone())
    .bind(text.reasons.clone())
    .bind(text.options.clone())
    .bind(text.financial.clone())
    .bind(text.report_url.clone())
    .bind(text.exempt_part.clone())
    .bind(text.exempt_reason.clone())
    .bind(db::timestamp(now))
    .bind(number.to_string())
    .bind(version)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if done {
        record(conn, actor, Event { action: "amended", record_type: "decision", record_id: number, detail: &text.title }, now)
            .await?;
    }
    Ok(done)
}

/// Takes a step in the record's life on a day; false when the step is not allowed now or the
/// record changed since it was read.
pub async fn step_decision(
    conn: &mut AnyConnection,
    (number, version): (&str, i64),
    (from, step): (crate::decision::Status, crate::decision::Step),
    on: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let Some(to) = from.after(step) else { return Ok(false) };
    let dates = match step {
        crate::decision::Step::Sign => "signed_on = $1",
        crate::decision::Step::Unsign => "signed_on = NULL, published_on = NULL",
        crate::decision::Step::Publish => "published_on = $1",
    };
    // Every statement binds the day as $1, used or not, so the numbering stays the same.
    let sql = format!(
        "UPDATE transparency_decision SET {dates}, status = $2, updated_at = $3, version = version + 1 \
         WHERE number = $4 AND version = $5 AND status = $6 AND $1 = $1"
    );
    let done = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(db::date(on))
        .bind(to.slug())
        .bind(db::timestamp(now))
        .bind(number.to_string())
        .bind(version)
        .bind(from.slug())
        .execute(&mut *conn)
        .await?
        .rows_affected()
        == 1;
    if done {
        record(conn, actor, Event { action: to.slug(), record_type: "decision", record_id: number, detail: "" }, now).await?;
    }
    Ok(done)
}

// ---------------------------------------------------------------------------------------------
// Spending

pub async fn mapping(pool: &Pool) -> Result<Option<Mapping>, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT mapping FROM transparency_spend_mapping WHERE id = 1").fetch_optional(pool).await?;
    Ok(row.and_then(|(json,)| serde_json::from_str(&json).ok()))
}

pub async fn save_mapping(
    conn: &mut AnyConnection,
    mapping: &Mapping,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let json = serde_json::to_string(mapping).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query("DELETE FROM transparency_spend_mapping WHERE id = 1").execute(&mut *conn).await?;
    sqlx::query("INSERT INTO transparency_spend_mapping (id, mapping, updated_at) VALUES (1, $1, $2)")
        .bind(&json)
        .bind(db::timestamp(now))
        .execute(&mut *conn)
        .await?;
    record(conn, actor, Event { action: "saved", record_type: "spending column mapping", record_id: "1", detail: &json }, now)
        .await?;
    Ok(())
}

pub async fn individuals(pool: &Pool) -> Result<BTreeSet<String>, sqlx::Error> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT name_key FROM transparency_spend_individual").fetch_all(pool).await?;
    Ok(rows.into_iter().map(|(k,)| k).collect())
}

/// Adds a payee to the individuals list and redacts every payment already published to them:
/// the supplier's name goes from the published data as well as from future imports.
pub async fn add_individual(
    conn: &mut AnyConnection,
    name: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<u64, sqlx::Error> {
    let key = crate::spend::name_key(name);
    let known: Option<(String,)> = sqlx::query_as("SELECT name_key FROM transparency_spend_individual WHERE name_key = $1")
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?;
    if known.is_none() {
        sqlx::query("INSERT INTO transparency_spend_individual (name_key, added_at) VALUES ($1, $2)")
            .bind(&key)
            .bind(db::timestamp(now))
            .execute(&mut *conn)
            .await?;
    }
    let suppliers: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM transparency_supplier").fetch_all(&mut *conn).await?;
    let mut redacted = 0;
    for (id, _) in suppliers.into_iter().filter(|(_, n)| crate::spend::name_key(n) == key) {
        redacted += sqlx::query("UPDATE transparency_spend SET supplier_id = NULL WHERE supplier_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?
            .rows_affected();
        sqlx::query("DELETE FROM transparency_supplier WHERE id = $1").bind(id).execute(&mut *conn).await?;
    }
    let detail = format!("{redacted} payments redacted");
    record(
        conn,
        actor,
        Event { action: "added", record_type: "individual payee", record_id: "redaction list", detail: &detail },
        now,
    )
    .await?;
    Ok(redacted)
}

/// Which of the transaction numbers are already published.
pub async fn known_transactions(pool: &Pool, ids: &[&str]) -> Result<BTreeSet<String>, sqlx::Error> {
    let mut known = BTreeSet::new();
    for chunk in ids.chunks(500) {
        let marks = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!("SELECT transaction_id FROM transparency_spend WHERE transaction_id IN ({marks})");
        let mut query = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql));
        for id in chunk {
            query = query.bind(id.to_string());
        }
        known.extend(query.fetch_all(pool).await?.into_iter().map(|(id,)| id));
    }
    Ok(known)
}

/// Looks up (or adds) the ids of names in a lookup table (suppliers, expense types).
async fn ids_of(
    conn: &mut AnyConnection,
    table: &str,
    names: &BTreeSet<&str>,
) -> Result<std::collections::BTreeMap<String, i64>, sqlx::Error> {
    let mut ids = std::collections::BTreeMap::new();
    let rows: Vec<(i64, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT id, name FROM {table}"))).fetch_all(&mut *conn).await?;
    let mut next = rows.iter().map(|(id, _)| *id).max().unwrap_or(0) + 1;
    ids.extend(rows.into_iter().map(|(id, name)| (name, id)));
    for name in names {
        if !ids.contains_key(*name) {
            sqlx::query(sqlx::AssertSqlSafe(format!("INSERT INTO {table} (id, name) VALUES ($1, $2)")))
                .bind(next)
                .bind(name.to_string())
                .execute(&mut *conn)
                .await?;
            ids.insert(name.to_string(), next);
            next += 1;
        }
    }
    Ok(ids)
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub id: String,
    pub rows: usize,
    pub redacted: usize,
}

/// Publishes the payments, all in the caller's transaction, in batches. `progress` hears the
/// count written so far.
pub async fn import_payments(
    conn: &mut AnyConnection,
    (file_name, left_out): (&str, usize),
    payments: &[Payment],
    actor: &Actor,
    now: OffsetDateTime,
    mut progress: impl FnMut(usize),
) -> Result<Imported, sqlx::Error> {
    let id = platform::ids::new_id();
    let redacted = payments.iter().filter(|p| p.supplier.is_none()).count();
    let first = payments.iter().map(|p| p.paid_on).min();
    let last = payments.iter().map(|p| p.paid_on).max();
    sqlx::query(
        "INSERT INTO transparency_spend_import (id, file_name, rows_imported, rows_redacted, rows_left_out, first_paid_on, last_paid_on, imported_at, imported_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(file_name.to_string())
    .bind(payments.len() as i64)
    .bind(redacted as i64)
    .bind(left_out as i64)
    .bind(first.map(db::date))
    .bind(last.map(db::date))
    .bind(db::timestamp(now))
    .bind(actor.label.clone())
    .execute(&mut *conn)
    .await?;
    let suppliers =
        ids_of(conn, "transparency_supplier", &payments.iter().filter_map(|p| p.supplier.as_deref()).collect()).await?;
    let types = ids_of(conn, "transparency_expense_type", &payments.iter().map(|p| p.expense_type.as_str()).collect()).await?;
    // Rows a statement, 7 values a row: PostgreSQL gains from big statements; SQLite's driver
    // slows with hundreds of parameters a statement (measured: docs/performance.md).
    let sqlite = conn.backend_name() == "SQLite";
    let batch = if sqlite { 50 } else { 2_000 };
    // SQLite's page cache (2 MB by default) is too small for a big import's indexes: pages would
    // be written out and read back many times. Up to 256 MiB for this import, as used, then back.
    if sqlite {
        sqlx::raw_sql("PRAGMA cache_size = -262144").execute(&mut *conn).await?;
    }
    let mut written = 0;
    for chunk in payments.chunks(batch) {
        let mut sql = String::from(
            "INSERT INTO transparency_spend (transaction_id, paid_on, supplier_id, amount_pence, expense_type_id, purpose, import_id) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 7;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("(${}, ${}, ${}, ${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7));
        }
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for p in chunk {
            query = query
                .bind(p.transaction.clone())
                .bind(db::date(p.paid_on))
                .bind(p.supplier.as_ref().and_then(|s| suppliers.get(s)).copied())
                .bind(p.amount_pence)
                .bind(types.get(&p.expense_type).copied().unwrap_or(0))
                .bind(p.purpose.clone())
                .bind(id.clone());
        }
        query.execute(&mut *conn).await?;
        written += chunk.len();
        progress(written);
    }
    if sqlite {
        sqlx::raw_sql("PRAGMA cache_size = -2000").execute(&mut *conn).await?;
    }
    // Fresh statistics, so the search's plans fit the table as it now is (an index on a
    // supplier's payments, or the date index for the newest, whichever finds them sooner).
    sqlx::raw_sql("ANALYZE transparency_spend").execute(&mut *conn).await?;
    let detail = format!("{file_name}: {} payments, {redacted} redacted, {left_out} at or under £500 left out", payments.len());
    record(conn, actor, Event { action: "imported", record_type: "spending", record_id: &id, detail: &detail }, now).await?;
    Ok(Imported { id, rows: payments.len(), redacted })
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct SpendImport {
    pub id: String,
    pub file_name: String,
    pub rows_imported: i64,
    pub rows_redacted: i64,
    pub rows_left_out: i64,
    pub first_paid_on: Option<String>,
    pub last_paid_on: Option<String>,
    pub imported_at: String,
    pub imported_by: String,
}

pub async fn spend_imports(pool: &Pool) -> Result<Vec<SpendImport>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, file_name, rows_imported, rows_redacted, rows_left_out, first_paid_on, last_paid_on, imported_at, imported_by \
         FROM transparency_spend_import ORDER BY imported_at DESC LIMIT 100",
    )
    .fetch_all(pool)
    .await
}

/// A published payment: a redacted one has no supplier.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Spend {
    pub transaction_id: String,
    pub paid_on: String,
    pub supplier: Option<String>,
    pub amount_pence: i64,
    pub expense_type: String,
    pub purpose: String,
}

/// The public search: words match a supplier's name or an expense type; the rest filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpendQuery {
    pub words: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub expense_type: Option<i64>,
    pub page: i64,
}

pub const SPEND_PAGE: i64 = 50;

/// Matches are counted up to this many, and paged through up to it (20 pages): counting every
/// one of hundreds of thousands of payments on each search costs far more than the page itself
/// (docs/performance.md), and each year's payments download whole for anyone who wants them all.
pub const SPEND_COUNTED: i64 = 1_000;

/// The page of payments and how many match, up to one more than [`SPEND_COUNTED`].
pub async fn search_spend(pool: &Pool, query: &SpendQuery) -> Result<(Vec<Spend>, i64), sqlx::Error> {
    // Dates only when asked for: an open range would steer the planner to the date index even
    // when a supplier's few payments are wanted. Both are bound either way, so $1 and $2 stay.
    let mut conditions = vec!["$1 = $1".to_string(), "$2 = $2".to_string()];
    if query.from.is_some() {
        conditions.push("s.paid_on >= $1".into());
    }
    if query.to.is_some() {
        conditions.push("s.paid_on <= $2".into());
    }
    let words = query.words.trim().to_lowercase();
    // Suppliers and expense types are a few thousand names: matching them first lets the
    // payments be found through their indexes rather than by reading every payment.
    let like = format!("%{}%", words.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
    if !words.is_empty() {
        let s: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM transparency_supplier WHERE LOWER(name) LIKE $1 ESCAPE '\\' LIMIT 500")
                .bind(&like)
                .fetch_all(pool)
                .await?;
        let t: Vec<(i64,)> =
            sqlx::query_as("SELECT id FROM transparency_expense_type WHERE LOWER(name) LIKE $1 ESCAPE '\\' LIMIT 500")
                .bind(&like)
                .fetch_all(pool)
                .await?;
        let supplier_ids: Vec<String> = s.into_iter().map(|(i,)| i.to_string()).collect();
        let type_ids: Vec<String> = t.into_iter().map(|(i,)| i.to_string()).collect();
        if supplier_ids.is_empty() && type_ids.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let mut either = Vec::new();
        if !supplier_ids.is_empty() {
            either.push(format!("#s.supplier_id IN ({})", supplier_ids.join(", ")));
        }
        if !type_ids.is_empty() {
            either.push(format!("s.expense_type_id IN ({})", type_ids.join(", ")));
        }
        conditions.push(format!("({})", either.join(" OR ")));
    }
    if let Some(t) = query.expense_type {
        conditions.push(format!("s.expense_type_id = {t}"));
    }
    // `#` marks the suppliers' term. The count reads it through the supplier index. For the
    // page, when many payments match, a `+` keeps the planner off that index so it walks the
    // date index newest first and stops at the page, rather than sorting every match (SQLite
    // chose the sort: 65 ms for a common word against 2 ms; docs/performance.md). An expense
    // type's index is already in date order, so it is left to the planner.
    let filter = conditions.join(" AND ");
    let counted = filter.replace('#', "");
    let from = query.from.map(db::date).unwrap_or_else(|| "0000-01-01".into());
    let to = query.to.map(db::date).unwrap_or_else(|| "9999-12-31".into());
    let (total,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM transparency_spend s WHERE {counted} LIMIT {}) AS matched",
        SPEND_COUNTED + 1
    )))
    .bind(&from)
    .bind(&to)
    .fetch_one(pool)
    .await?;
    let paged = filter.replace('#', if total > 4 * SPEND_PAGE { "+" } else { "" });
    // The page's payments are picked first on their own, so the rows skipped to reach a later
    // page are never joined to their names.
    let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT s.transaction_id, s.paid_on, p.name AS supplier, s.amount_pence, t.name AS expense_type, s.purpose \
         FROM (SELECT s.transaction_id FROM transparency_spend s WHERE {paged} \
               ORDER BY s.paid_on DESC, s.transaction_id DESC LIMIT {SPEND_PAGE} OFFSET {}) AS picked \
         JOIN transparency_spend s ON s.transaction_id = picked.transaction_id \
         LEFT JOIN transparency_supplier p ON p.id = s.supplier_id \
         JOIN transparency_expense_type t ON t.id = s.expense_type_id \
         ORDER BY s.paid_on DESC, s.transaction_id DESC",
        query.page.clamp(0, SPEND_COUNTED / SPEND_PAGE - 1) * SPEND_PAGE
    )))
    .bind(&from)
    .bind(&to)
    .fetch_all(pool)
    .await?;
    Ok((rows, total))
}

pub async fn expense_types(pool: &Pool) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, name FROM transparency_expense_type ORDER BY name").fetch_all(pool).await
}

/// Every payment between the dates, oldest first: the published files.
pub async fn spend_between(pool: &Pool, from: Date, to: Date) -> Result<Vec<Spend>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.transaction_id, s.paid_on, p.name AS supplier, s.amount_pence, t.name AS expense_type, s.purpose \
         FROM transparency_spend s LEFT JOIN transparency_supplier p ON p.id = s.supplier_id \
         JOIN transparency_expense_type t ON t.id = s.expense_type_id \
         WHERE s.paid_on >= $1 AND s.paid_on <= $2 ORDER BY s.paid_on, s.transaction_id",
    )
    .bind(db::date(from))
    .bind(db::date(to))
    .fetch_all(pool)
    .await
}

/// The first and last dates paid, for the years the files are offered by: from the imports'
/// records, a row a month, rather than from the payments (SQLite reads every payment for a MIN
/// and a MAX asked together).
pub async fn spend_span(pool: &Pool) -> Result<Option<(Date, Date)>, sqlx::Error> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT MIN(first_paid_on), MAX(last_paid_on) FROM transparency_spend_import")
            .fetch_optional(pool)
            .await?;
    Ok(row.and_then(|(a, b)| Some((db::parse_date(&a?)?, db::parse_date(&b?)?))))
}

// ---------------------------------------------------------------------------------------------
// Registers

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Entry {
    pub id: String,
    pub fields: String,
    pub dated: String,
    pub version: i64,
}

impl Entry {
    pub fn values(&self) -> Map<String, Value> {
        serde_json::from_str(&self.fields).unwrap_or_default()
    }
}

/// A register's entries, newest first.
pub async fn entries(pool: &Pool, register: &str) -> Result<Vec<Entry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, fields, dated, version FROM transparency_register_entry WHERE register = $1 AND removed = 0 ORDER BY dated DESC, created_at DESC",
    )
    .bind(register.to_string())
    .fetch_all(pool)
    .await
}

pub async fn add_entries(
    conn: &mut AnyConnection,
    register: &Register,
    entries: &[Map<String, Value>],
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize, sqlx::Error> {
    for fields in entries {
        let id = platform::ids::new_id();
        let dated = crate::registers::dated(register, fields).map(db::date).unwrap_or_default();
        sqlx::query(
            "INSERT INTO transparency_register_entry (id, register, fields, dated, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(&id)
        .bind(register.slug)
        .bind(Value::Object(fields.clone()).to_string())
        .bind(dated)
        .bind(db::timestamp(now))
        .execute(&mut *conn)
        .await?;
        record(conn, actor, Event { action: "added", record_type: register.title, record_id: &id, detail: "" }, now).await?;
    }
    Ok(entries.len())
}

/// Takes an entry off the public register (kept, marked removed, for the audit).
pub async fn remove_entry(
    conn: &mut AnyConnection,
    register: &Register,
    (id, version): (&str, i64),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE transparency_register_entry SET removed = 1, updated_at = $1, version = version + 1 \
         WHERE id = $2 AND register = $3 AND version = $4 AND removed = 0",
    )
    .bind(db::timestamp(now))
    .bind(id.to_string())
    .bind(register.slug)
    .bind(version)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if done {
        record(conn, actor, Event { action: "removed", record_type: register.title, record_id: id, detail: "" }, now).await?;
    }
    Ok(done)
}
