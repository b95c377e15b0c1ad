//! Locked quarters and the Public Performance Meeting packs. Locking a quarter for a service keeps
//! every measure's figures as they stand, in canonical JSON with its SHA-256 written into the
//! hash-chained audit log in the same transaction; nothing updates it, and reading it checks the
//! hash again, so a pack made years later is the pack the meeting read. The office’s commentary
//! per measure is kept beside it.

use std::collections::HashMap;

use platform::audit::{Actor, Event};
use platform::db::{self, Pool};
use platform::periods::Quarter;
use publishing::{Block, Document};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::figures::MeasureFigures;
use crate::model::Service;

/// What a locked quarter holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Content {
    pub service: Service,
    pub quarter: String,
    pub office: String,
    pub area: String,
    pub measures: Vec<MeasureFigures>,
}

/// A locked quarter as listed.
#[derive(Debug, Clone, PartialEq)]
pub struct Locked {
    pub id: String,
    pub service: Service,
    pub quarter: String,
    pub sha256: String,
    pub locked_by: String,
    pub locked_at: String,
}

impl Locked {
    /// "Police: July to September 2026".
    pub fn title(&self) -> String {
        format!("{}: {}", self.service.words(), quarter_words(&self.quarter))
    }
}

pub fn quarter_words(slug: &str) -> String {
    Quarter::from_slug(slug).map(Quarter::label).unwrap_or_else(|| slug.to_string())
}

#[derive(sqlx::FromRow)]
struct LockedRow {
    id: String,
    service: String,
    quarter: String,
    sha256: String,
    locked_by: String,
    locked_at: String,
}

impl TryFrom<LockedRow> for Locked {
    type Error = sqlx::Error;
    fn try_from(row: LockedRow) -> Result<Locked, sqlx::Error> {
        let service = Service::from_slug(&row.service)
            .ok_or_else(|| sqlx::Error::Decode(format!("snapshot service {:?}", row.service).into()))?;
        Ok(Locked {
            id: row.id,
            service,
            quarter: row.quarter,
            sha256: row.sha256,
            locked_by: row.locked_by,
            locked_at: row.locked_at,
        })
    }
}

/// Every locked quarter, newest first.
pub async fn list(pool: &Pool) -> Result<Vec<Locked>, sqlx::Error> {
    let rows: Vec<LockedRow> = sqlx::query_as(
        "SELECT id, service, quarter, sha256, locked_by, locked_at FROM performance_snapshot ORDER BY quarter DESC, service DESC",
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(Locked::try_from).collect()
}

/// The canonical text of a quarter's content and its SHA-256.
pub fn canonical(content: &Content) -> (String, String) {
    let text = serde_json::to_string(content).unwrap_or_default();
    let hash = hex::encode(Sha256::digest(text.as_bytes()));
    (text, hash)
}

/// Why a quarter cannot be locked.
#[derive(Debug, thiserror::Error)]
pub enum LockRefused {
    #[error("{0} is already locked")]
    AlreadyLocked(String),
    #[error("{0} has not ended yet: a quarter is locked once its figures are in")]
    NotEnded(String),
    #[error("There are no measures for this service to lock")]
    NoMeasures,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Locks a quarter for a service with every measure's figures as they stand.
pub async fn lock(
    pool: &Pool,
    content: &Content,
    actor: &Actor,
    now: OffsetDateTime,
    today: time::Date,
) -> Result<Locked, LockRefused> {
    let quarter = Quarter::from_slug(&content.quarter).ok_or_else(|| LockRefused::NotEnded(content.quarter.clone()))?;
    if quarter.last_day() >= today {
        return Err(LockRefused::NotEnded(quarter.label()));
    }
    if content.measures.is_empty() {
        return Err(LockRefused::NoMeasures);
    }
    let (text, hash) = canonical(content);
    let mut tx = db::begin_write(pool).await?;
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM performance_snapshot WHERE service = $1 AND quarter = $2")
        .bind(content.service.slug())
        .bind(&content.quarter)
        .fetch_one(&mut *tx)
        .await?;
    if exists > 0 {
        return Err(LockRefused::AlreadyLocked(format!("{}: {}", content.service.words(), quarter.label())));
    }
    let id = platform::ids::new_id();
    let at = db::timestamp(now);
    sqlx::query(
        "INSERT INTO performance_snapshot (id, service, quarter, content, sha256, locked_by, locked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(content.service.slug())
    .bind(&content.quarter)
    .bind(&text)
    .bind(&hash)
    .bind(actor.label.clone())
    .bind(&at)
    .execute(&mut *tx)
    .await?;
    let detail = format!("{} {} locked, sha256 {hash}", content.service.slug(), content.quarter);
    crate::store::record(
        &mut tx,
        actor,
        Event { action: "locked", record_type: "performance quarter", record_id: &id, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Locked {
        id,
        service: content.service,
        quarter: content.quarter.clone(),
        sha256: hash,
        locked_by: actor.label.clone(),
        locked_at: at,
    })
}

/// Locks a quarter for a service with each measure's figures for the periods it had ended by
/// the quarter's last day (a later period's figures are not part of the quarter's record).
pub async fn lock_as_it_stood(
    pool: &Pool,
    office: &platform::office::Office,
    service: Service,
    quarter: &str,
    actor: &Actor,
    (now, today): (OffsetDateTime, time::Date),
) -> Result<Locked, LockRefused> {
    let end = Quarter::from_slug(quarter).ok_or_else(|| LockRefused::NotEnded(quarter.to_string()))?.last_day();
    let measures = crate::assemble::all_figures_as_of(pool, office, Some(service), Some(end)).await?;
    let home = crate::assemble::home_area(office, service).unwrap_or_default();
    let content = Content {
        service,
        quarter: quarter.to_string(),
        office: office.name.clone(),
        area: crate::assemble::area_name(&home),
        measures,
    };
    lock(pool, &content, actor, now, today).await
}

/// A locked quarter's content, its hash checked: a record that no longer matches its hash is a
/// fault, never shown as sound.
pub async fn find(pool: &Pool, service: Service, quarter: &str) -> Result<Option<(Locked, Content)>, sqlx::Error> {
    let row: Option<(String, String, String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, service, quarter, sha256, locked_by, locked_at, content FROM performance_snapshot WHERE service = $1 AND quarter = $2",
    )
    .bind(service.slug())
    .bind(quarter.to_string())
    .fetch_optional(pool)
    .await?;
    let Some((id, service, quarter, sha256, locked_by, locked_at, text)) = row else { return Ok(None) };
    if hex::encode(Sha256::digest(text.as_bytes())) != sha256 {
        tracing::error!(snapshot = %id, "a locked performance quarter no longer matches its hash");
        return Err(sqlx::Error::Decode(format!("locked quarter {id} does not match its hash").into()));
    }
    let content: Content =
        serde_json::from_str(&text).map_err(|e| sqlx::Error::Decode(format!("locked quarter {id}: {e}").into()))?;
    let locked = Locked::try_from(LockedRow { id, service, quarter, sha256, locked_by, locked_at })?;
    Ok(Some((locked, content)))
}

/// The office’s commentary on each measure of a locked quarter, by measure key.
pub async fn commentary(pool: &Pool, snapshot_id: &str) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT measure_key, words FROM performance_commentary WHERE snapshot_id = $1")
            .bind(snapshot_id.to_string())
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().collect())
}

/// Writes the office's commentary on a measure of a locked quarter (the figures stay locked;
/// the words are the office's and can be corrected before the meeting, each change audited).
pub async fn save_commentary(
    pool: &Pool,
    snapshot_id: &str,
    key: &str,
    words: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO performance_commentary (snapshot_id, measure_key, words, written_by, written_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (snapshot_id, measure_key) DO UPDATE SET words = $3, written_by = $4, written_at = $5",
    )
    .bind(snapshot_id.to_string())
    .bind(key.to_string())
    .bind(words.to_string())
    .bind(actor.label.clone())
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let detail = format!("{} characters on {key}", words.chars().count());
    crate::store::record(
        &mut tx,
        actor,
        Event { action: "wrote commentary", record_type: "performance quarter", record_id: snapshot_id, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await
}

/// The Public Performance Meeting pack for a locked quarter: a summary table, then each measure
/// with its commentary, chart, numbers, notes and comparison.
pub fn pack(locked: &Locked, content: &Content, commentary: &HashMap<String, String>, published: time::Date) -> Document {
    let quarter = quarter_words(&content.quarter);
    let mut document = Document::new(
        format!("Public Performance Meeting: {} performance, {quarter}", content.service.words()),
        content.office.clone(),
        published,
    );
    document.contents = true;
    document.push(Block::Paragraph(format!(
        "The figures for {} as they stood when the quarter was locked on {}, with the office’s commentary on each measure. \
         Verdicts come from each measure’s control chart: \"No significant change\" means the latest figure is within the \
         range the figures have always varied by.",
        content.area,
        platform::calendar::long_date_of(&locked.locked_at)
    )));
    document.push(Block::Heading(2, "Summary".into()));
    document.push(Block::Table(platform::charts::Table {
        caption: format!("Measures at {quarter}"),
        columns: vec![
            platform::charts::Column::text("Measure"),
            platform::charts::Column::number("Latest figure"),
            platform::charts::Column::text("Period"),
            platform::charts::Column::text("Verdict"),
            platform::charts::Column::text("Against the target"),
        ],
        rows: content
            .measures
            .iter()
            .map(|f| {
                use platform::format::Value;
                let latest = f.latest();
                vec![
                    Value::Text(f.definition.name.clone()),
                    latest.map(|p| crate::documents::cell(f.unit(), p.value)).unwrap_or(Value::Missing),
                    Value::Text(
                        latest
                            .and_then(|p| platform::periods::Period::from_slug(&p.period))
                            .map(platform::periods::Period::short_label)
                            .unwrap_or_default(),
                    ),
                    Value::Text(f.variation.words().into()),
                    Value::Text(if f.definition.target.is_some() { f.assurance.words().into() } else { "No target".into() }),
                ]
            })
            .collect(),
    }));
    for f in &content.measures {
        document.push(Block::Heading(2, f.definition.name.clone()));
        for block in crate::documents::measure_blocks(f, commentary.get(&f.definition.key).map(String::as_str)) {
            document.push(block);
        }
    }
    document.push(Block::Heading(2, "About this pack".into()));
    document.push(Block::Paragraph(format!(
        "The figures were locked by the office on {} and have not changed since: their record’s SHA-256 is {}, written into the office’s audit log when it was locked.",
        platform::calendar::long_date_of(&locked.locked_at),
        locked.sha256
    )));
    document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_of_the_canonical_text() {
        let content =
            Content { service: Service::Fire, quarter: "2026-Q2".into(), office: "O".into(), area: "A".into(), measures: vec![] };
        let (text, hash) = canonical(&content);
        assert_eq!(hash, hex::encode(Sha256::digest(text.as_bytes())));
        assert_eq!(canonical(&content).1, hash, "the same content, the same hash");
        let changed = Content { area: "B".into(), ..content };
        assert_ne!(canonical(&changed).1, hash);
    }
}
