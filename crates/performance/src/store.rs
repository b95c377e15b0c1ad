//! Measures and their figures in the database, by named verbs. Every write is one transaction
//! with its audit event.

use std::collections::{BTreeMap, HashMap, HashSet};

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::datasets::{Observation, Read};
use crate::model::{Dataset, Definition, Recipe};

fn fault(what: String) -> sqlx::Error {
    tracing::error!(row = %what, "a stored performance row cannot be read");
    sqlx::Error::Decode(what.into())
}

/// Records a write in the audit log and bumps the stamp the public pages check, in the
/// transaction that made the write: every write verb here goes through it.
pub(crate) async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    event: Event<'_>,
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    touch(conn).await?;
    audit::record(conn, actor, event, now).await
}

/// Says what the public pages are made from has changed.
pub(crate) async fn touch(conn: &mut AnyConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE performance_stamp SET version = version + 1 WHERE id = 1").execute(&mut *conn).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The catalogue

/// One version of one measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub id: String,
    pub catalogue: String,
    pub version: i64,
    pub status: MeasureStatus,
    pub ended_on: Option<String>,
    pub ended_reason: String,
    pub definition: Definition,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureStatus {
    Active,
    Withdrawn,
    Redefined,
}

impl MeasureStatus {
    pub fn words(self) -> &'static str {
        match self {
            MeasureStatus::Active => "In use",
            MeasureStatus::Withdrawn => "Withdrawn",
            MeasureStatus::Redefined => "Redefined",
        }
    }
}

impl Measure {
    pub fn key(&self) -> &str {
        &self.definition.key
    }
    pub fn recipe(&self) -> Option<Recipe> {
        Recipe::parse(&self.definition.recipe).ok()
    }
}

#[derive(sqlx::FromRow)]
struct MeasureRow {
    id: String,
    catalogue_slug: String,
    version: i64,
    status: String,
    ended_on: Option<String>,
    ended_reason: String,
    definition: String,
}

impl TryFrom<MeasureRow> for Measure {
    type Error = sqlx::Error;
    fn try_from(row: MeasureRow) -> Result<Measure, sqlx::Error> {
        let status = match row.status.as_str() {
            "active" => MeasureStatus::Active,
            "withdrawn" => MeasureStatus::Withdrawn,
            "redefined" => MeasureStatus::Redefined,
            other => return Err(fault(format!("measure {} status {other:?}", row.id))),
        };
        let definition =
            serde_json::from_str(&row.definition).map_err(|e| fault(format!("measure {} definition: {e}", row.id)))?;
        Ok(Measure {
            id: row.id,
            catalogue: row.catalogue_slug,
            version: row.version,
            status,
            ended_on: row.ended_on,
            ended_reason: row.ended_reason,
            definition,
        })
    }
}

const MEASURE_COLUMNS: &str =
    "SELECT id, catalogue_slug, version, status, ended_on, ended_reason, definition FROM performance_measure";

/// Every measure in use, in catalogue order.
pub async fn active_measures(pool: &Pool) -> Result<Vec<Measure>, sqlx::Error> {
    let rows: Vec<MeasureRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{MEASURE_COLUMNS} WHERE status = 'active' ORDER BY service, position, key")))
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(Measure::try_from).collect()
}

/// Every version of every measure, newest first within a key: for the catalogue's history.
pub async fn all_measures(pool: &Pool) -> Result<Vec<Measure>, sqlx::Error> {
    let rows: Vec<MeasureRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{MEASURE_COLUMNS} ORDER BY service, position, key, version DESC")))
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(Measure::try_from).collect()
}

/// Every version of a measure, newest first.
pub async fn versions(pool: &Pool, key: &str) -> Result<Vec<Measure>, sqlx::Error> {
    let rows: Vec<MeasureRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{MEASURE_COLUMNS} WHERE key = $1 ORDER BY version DESC, catalogue_slug")))
            .bind(key.to_string())
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(Measure::try_from).collect()
}

/// A catalogue version as listed.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Catalogue {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub version: i64,
    pub source: String,
    pub effective_on: String,
    pub loaded_at: String,
}

pub async fn catalogues(pool: &Pool) -> Result<Vec<Catalogue>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, slug, name, version, source, effective_on, loaded_at FROM performance_catalogue ORDER BY slug, version DESC",
    )
    .fetch_all(pool)
    .await
}

/// What loading a catalogue version did.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Loaded {
    pub version: i64,
    pub added: Vec<String>,
    /// Keys given a new version because their data, unit or frequency changed.
    pub redefined: Vec<String>,
    /// Keys whose words, owner or note changed in place.
    pub reworded: Vec<String>,
    pub withdrawn: Vec<String>,
    pub unchanged: usize,
}

/// A catalogue version to load.
pub struct NewCatalogue<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub source: &'a str,
    pub effective_on: time::Date,
    /// Why measures missing from this version are withdrawn, and redefined ones changed.
    pub reason: &'a str,
}

/// Loads a version of a catalogue: new measures are added; a measure whose data, unit or
/// frequency changed gets a new version and the old one is marked redefined with the date and
/// reason; one whose words changed is updated in place; one missing from the file is withdrawn
/// with the date and reason. Nothing is deleted.
pub async fn load_catalogue(
    pool: &Pool,
    new: &NewCatalogue<'_>,
    definitions: &[Definition],
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Loaded, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let version: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM performance_catalogue WHERE slug = $1")
        .bind(new.slug.to_string())
        .fetch_one(&mut *tx)
        .await?;
    let catalogue_id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO performance_catalogue (id, slug, name, version, source, effective_on, loaded_by, loaded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&catalogue_id)
    .bind(new.slug.to_string())
    .bind(new.name.to_string())
    .bind(version)
    .bind(new.source.to_string())
    .bind(db::date(new.effective_on))
    .bind(actor.label.clone())
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let rows: Vec<MeasureRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{MEASURE_COLUMNS} WHERE catalogue_slug = $1 AND status = 'active'")))
            .bind(new.slug.to_string())
            .fetch_all(&mut *tx)
            .await?;
    let current: Vec<Measure> = rows.into_iter().map(Measure::try_from).collect::<Result<_, _>>()?;
    let mut loaded = Loaded { version, ..Loaded::default() };
    let ended_on = db::date(new.effective_on);
    for (position, definition) in definitions.iter().enumerate() {
        let existing = current.iter().find(|m| m.key() == definition.key);
        let json = serde_json::to_string(definition).map_err(|e| fault(e.to_string()))?;
        match existing {
            Some(m) if m.definition == *definition => {
                loaded.unchanged += 1;
                sqlx::query("UPDATE performance_measure SET position = $1 WHERE id = $2")
                    .bind(position as i64)
                    .bind(&m.id)
                    .execute(&mut *tx)
                    .await?;
            }
            Some(m) if m.definition.same_measure(definition) => {
                loaded.reworded.push(definition.key.clone());
                sqlx::query(
                    "UPDATE performance_measure SET definition = $1, name = $2, theme = $3, position = $4, catalogue_id = $5 WHERE id = $6",
                )
                .bind(&json)
                .bind(&definition.name)
                .bind(&definition.theme)
                .bind(position as i64)
                .bind(&catalogue_id)
                .bind(&m.id)
                .execute(&mut *tx)
                .await?;
            }
            Some(m) => {
                loaded.redefined.push(definition.key.clone());
                let changed = m.definition.differences(definition).join(", ");
                sqlx::query(
                    "UPDATE performance_measure SET status = 'redefined', ended_on = $1, ended_reason = $2 WHERE id = $3",
                )
                .bind(&ended_on)
                .bind(format!("{} (changed: {changed})", new.reason))
                .bind(&m.id)
                .execute(&mut *tx)
                .await?;
                insert_measure(&mut tx, new.slug, &catalogue_id, m.version + 1, position, definition, &json).await?;
            }
            None => {
                loaded.added.push(definition.key.clone());
                let prior: i64 = sqlx::query_scalar(
                    "SELECT COALESCE(MAX(version), 0) FROM performance_measure WHERE catalogue_slug = $1 AND key = $2",
                )
                .bind(new.slug.to_string())
                .bind(&definition.key)
                .fetch_one(&mut *tx)
                .await?;
                insert_measure(&mut tx, new.slug, &catalogue_id, prior + 1, position, definition, &json).await?;
            }
        }
    }
    for gone in current.iter().filter(|m| !definitions.iter().any(|d| d.key == m.key())) {
        loaded.withdrawn.push(gone.key().to_string());
        sqlx::query("UPDATE performance_measure SET status = 'withdrawn', ended_on = $1, ended_reason = $2 WHERE id = $3")
            .bind(&ended_on)
            .bind(new.reason.to_string())
            .bind(&gone.id)
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!(
        "version {version}: {} added, {} redefined, {} reworded, {} withdrawn",
        loaded.added.len(),
        loaded.redefined.len(),
        loaded.reworded.len(),
        loaded.withdrawn.len()
    );
    record(
        &mut tx,
        actor,
        Event { action: "loaded", record_type: "measure catalogue", record_id: new.slug, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(loaded)
}

async fn insert_measure(
    tx: &mut AnyConnection,
    catalogue: &str,
    catalogue_id: &str,
    version: i64,
    position: usize,
    definition: &Definition,
    json: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO performance_measure (id, catalogue_slug, key, version, catalogue_id, position, definition, name, service, theme, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'active')",
    )
    .bind(platform::ids::new_id())
    .bind(catalogue.to_string())
    .bind(&definition.key)
    .bind(version)
    .bind(catalogue_id.to_string())
    .bind(position as i64)
    .bind(json.to_string())
    .bind(&definition.name)
    .bind(definition.service.slug())
    .bind(&definition.theme)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The plan commitments a measure evidences, by commitment id.
pub async fn commitments_of(pool: &Pool, key: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT commitment_id FROM performance_measure_commitment WHERE measure_key = $1 ORDER BY commitment_id")
        .bind(key.to_string())
        .fetch_all(pool)
        .await
}

/// Says which plan commitments a measure evidences, replacing what it said before.
pub async fn link_commitments(
    pool: &Pool,
    key: &str,
    ids: &[String],
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    sqlx::query("DELETE FROM performance_measure_commitment WHERE measure_key = $1")
        .bind(key.to_string())
        .execute(&mut *tx)
        .await?;
    for id in ids.iter().collect::<HashSet<_>>() {
        sqlx::query("INSERT INTO performance_measure_commitment (measure_key, commitment_id) VALUES ($1, $2)")
            .bind(key.to_string())
            .bind(id.clone())
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("{} commitments", ids.len());
    record(&mut tx, actor, Event { action: "linked to plan", record_type: "measure", record_id: key, detail: &detail }, now)
        .await?;
    tx.commit().await
}

// ---------------------------------------------------------------------------------------------
// Imports

/// What a held import's preview found, kept with it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Summary {
    pub figures: usize,
    pub rows_read: usize,
    pub problems: Vec<crate::datasets::RowProblem>,
    pub more_problems: usize,
    pub set_aside: BTreeMap<String, usize>,
    pub areas: usize,
    pub first_period: String,
    pub last_period: String,
}

impl Summary {
    pub fn of(read: &Read) -> Summary {
        let (first_period, last_period) = read.periods().unwrap_or_default();
        Summary {
            figures: read.observations.len(),
            rows_read: read.rows_read,
            problems: read.problems.clone(),
            more_problems: read.more_problems,
            set_aside: read.set_aside.clone(),
            areas: read.observations.iter().map(|o| &o.area).collect::<HashSet<_>>().len(),
            first_period,
            last_period,
        }
    }
    pub fn problem_count(&self) -> usize {
        self.problems.len() + self.more_problems
    }
}

/// What applying an import changed since the previous vintage.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Changes {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Figures the previous vintage had for the periods this one covers that this one lacks.
    pub removed: usize,
    /// The largest revisions: (area, period, what, old, new).
    pub largest: Vec<(String, String, String, f64, Option<f64>)>,
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Import {
    pub id: String,
    pub dataset: String,
    pub file_name: String,
    pub file_sha256: String,
    pub vintage: String,
    pub state: String,
    pub summary: String,
    pub changes: String,
    pub created_by: String,
    pub created_at: String,
    pub applied_at: Option<String>,
}

impl Import {
    pub fn dataset(&self) -> Option<Dataset> {
        Dataset::from_slug(&self.dataset)
    }
    pub fn summary(&self) -> Summary {
        serde_json::from_str(&self.summary).unwrap_or_default()
    }
    pub fn changes(&self) -> Option<Changes> {
        serde_json::from_str(&self.changes).ok()
    }
}

const IMPORT_COLUMNS: &str = "SELECT id, dataset, file_name, file_sha256, vintage, state, summary, changes, created_by, created_at, applied_at FROM performance_import";

/// Holds an import for its preview: the file is already in file storage under its hash.
pub async fn hold_import(
    conn: &mut AnyConnection,
    dataset: Dataset,
    (file_name, sha256): (&str, &str),
    vintage: &str,
    summary: &Summary,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO performance_import (id, dataset, file_name, file_sha256, vintage, state, summary, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, 'held', $6, $7, $8)",
    )
    .bind(&id)
    .bind(dataset.slug())
    .bind(file_name.to_string())
    .bind(sha256.to_string())
    .bind(vintage.to_string())
    .bind(serde_json::to_string(summary).map_err(|e| fault(e.to_string()))?)
    .bind(actor.label.clone())
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    let detail = format!("{} ({}): {} figures, {} problems", file_name, dataset.slug(), summary.figures, summary.problem_count());
    record(
        conn,
        actor,
        Event { action: "held for preview", record_type: "performance import", record_id: &id, detail: &detail },
        now,
    )
    .await?;
    Ok(id)
}

pub async fn find_import(pool: &Pool, id: &str) -> Result<Option<Import>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{IMPORT_COLUMNS} WHERE id = $1"))).bind(id.to_string()).fetch_optional(pool).await
}

pub async fn imports(pool: &Pool) -> Result<Vec<Import>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{IMPORT_COLUMNS} ORDER BY created_at DESC LIMIT 200"))).fetch_all(pool).await
}

/// Why an import cannot be applied.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("This import has already been applied")]
    AlreadyApplied,
    #[error("This import was discarded")]
    Discarded,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// How many rows one INSERT carries. PostgreSQL gains from big statements (under its 65,535
/// bound parameters); SQLite's driver slows with thousands of parameters a statement, so it
/// takes smaller ones (measured: docs/performance.md).
const BATCH_POSTGRES: usize = 2_400;
const BATCH_SQLITE: usize = 200;
const _: () = assert!(BATCH_POSTGRES * 11 < 65_535 && BATCH_SQLITE * 11 < 32_766, "a batch must fit the bound parameters");

fn batch_for(pool: &Pool) -> usize {
    match db::backend(pool) {
        db::Backend::Postgres => BATCH_POSTGRES,
        _ => BATCH_SQLITE,
    }
}

/// Applies a held import's figures (read again from its kept file): the figures for the periods
/// the file covers are replaced by the file's, every replaced or dropped figure is kept as a
/// revision, and what changed is recorded with the import. One transaction.
pub async fn apply_import(
    pool: &Pool,
    import: &Import,
    read: &Read,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Changes, ApplyError> {
    let dataset = import.dataset().ok_or_else(|| fault(format!("import {} dataset {:?}", import.id, import.dataset)))?;
    let mut tx = db::begin_write(pool).await?;
    let state: String =
        sqlx::query_scalar("SELECT state FROM performance_import WHERE id = $1").bind(&import.id).fetch_one(&mut *tx).await?;
    match state.as_str() {
        "applied" => return Err(ApplyError::AlreadyApplied),
        "discarded" => return Err(ApplyError::Discarded),
        _ => {}
    }
    let changes = replace_figures(&mut tx, dataset, &import.id, &read.observations, batch_for(pool)).await?;
    sqlx::query("UPDATE performance_import SET state = 'applied', changes = $1, applied_at = $2 WHERE id = $3")
        .bind(serde_json::to_string(&changes).map_err(|e| fault(e.to_string()))?)
        .bind(db::timestamp(now))
        .bind(&import.id)
        .execute(&mut *tx)
        .await?;
    let detail = format!("{}: {} added, {} changed, {} removed", import.vintage, changes.added, changes.changed, changes.removed);
    record(
        &mut tx,
        actor,
        Event { action: "applied", record_type: "performance import", record_id: &import.id, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(changes)
}

/// Records figures the product made itself (the demo office's, a benchmark's) as an applied
/// import of their own, with `vintage` saying what they are.
pub async fn apply_generated(
    pool: &Pool,
    dataset: Dataset,
    vintage: &str,
    observations: &[Observation],
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Changes, sqlx::Error> {
    let read = Read { observations: observations.to_vec(), rows_read: observations.len(), ..Read::default() };
    let mut tx = db::begin_write(pool).await?;
    let id = hold_import(&mut tx, dataset, ("generated", "-"), vintage, &Summary::of(&read), actor, now).await?;
    tx.commit().await?;
    let import = find_import(pool, &id).await?.ok_or_else(|| fault(format!("import {id} not held")))?;
    match apply_import(pool, &import, &read, actor, now).await {
        Ok(changes) => Ok(changes),
        Err(ApplyError::Database(e)) => Err(e),
        Err(other) => Err(fault(other.to_string())),
    }
}

/// Takes the crime data engine's monthly counts as figures: a vintage of their own, dated.
pub async fn take_police_uk(pool: &Pool, actor: &Actor, now: OffsetDateTime) -> Result<Changes, sqlx::Error> {
    let observations: Vec<Observation> = crimedata::force::monthly_counts(pool)
        .await?
        .into_iter()
        .map(|c| Observation {
            area: c.force,
            period: c.month,
            category: c.category,
            group: c.kind,
            subgroup: String::new(),
            value: c.count as f64,
            second: None,
        })
        .collect();
    if observations.is_empty() {
        return Ok(Changes::default());
    }
    let vintage =
        format!("police.uk street-level data as the crime data engine held it on {}", platform::format::date(now.date()));
    apply_generated(pool, Dataset::PoliceUk, &vintage, &observations, actor, now).await
}

pub async fn discard_import(pool: &Pool, id: &str, actor: &Actor, now: OffsetDateTime) -> Result<bool, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let done = sqlx::query("UPDATE performance_import SET state = 'discarded' WHERE id = $1 AND state = 'held'")
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    if done {
        record(&mut tx, actor, Event { action: "discarded", record_type: "performance import", record_id: id, detail: "" }, now)
            .await?;
    }
    tx.commit().await?;
    Ok(done)
}

use crate::datasets::Key;

#[derive(sqlx::FromRow)]
struct Stored {
    area: String,
    period: String,
    category: String,
    grouping: String,
    subgroup: String,
    value: f64,
    second: Option<f64>,
    import_id: String,
}

/// `INSERT INTO {table} VALUES ($1, …), (…), …`: `rows` rows of `columns` numbered parameters.
fn insert_rows(table: &str, columns: usize, rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        let marks: Vec<String> = (1..=columns).map(|c| format!("${}", row * columns + c)).collect();
        sql.push('(');
        sql.push_str(&marks.join(", "));
        sql.push(')');
    }
    sql
}

/// Replaces the figures of `dataset` for the (area, period) pairs `incoming` covers, keeping a
/// revision of each figure replaced with a different value or dropped.
async fn replace_figures(
    tx: &mut AnyConnection,
    dataset: Dataset,
    source: &str,
    incoming: &[Observation],
    batch: usize,
) -> Result<Changes, sqlx::Error> {
    let periods: Vec<&String> = incoming.iter().map(|o| &o.period).collect::<HashSet<_>>().into_iter().collect();
    let covered: HashSet<(&str, &str)> = incoming.iter().map(|o| (o.area.as_str(), o.period.as_str())).collect();
    let mut before: HashMap<Key, Stored> = HashMap::new();
    for chunk in periods.chunks(batch) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT area, period, category, grouping, subgroup, value, second, import_id FROM performance_observation \
             WHERE dataset = $1 AND period IN ({})",
            marks.join(", ")
        );
        let mut query = sqlx::query_as::<_, Stored>(sqlx::AssertSqlSafe(sql)).bind(dataset.slug());
        for period in chunk {
            query = query.bind((*period).clone());
        }
        for row in query.fetch_all(&mut *tx).await? {
            if covered.contains(&(row.area.as_str(), row.period.as_str())) {
                before.insert(
                    (row.area.clone(), row.period.clone(), row.category.clone(), row.grouping.clone(), row.subgroup.clone()),
                    row,
                );
            }
        }
    }
    let mut changes = Changes::default();
    let mut revisions: Vec<(&Stored, Option<f64>)> = Vec::new();
    let mut seen: HashSet<Key> = HashSet::new();
    for o in incoming {
        let key = o.key();
        match before.get(&key) {
            None => changes.added += 1,
            Some(old) if old.value == o.value && old.second == o.second => changes.unchanged += 1,
            Some(old) => {
                changes.changed += 1;
                revisions.push((old, Some(o.value)));
            }
        }
        seen.insert(key);
    }
    for (key, old) in &before {
        if !seen.contains(key) {
            changes.removed += 1;
            revisions.push((old, None));
        }
    }
    let mut largest: Vec<&(&Stored, Option<f64>)> = revisions.iter().collect();
    largest.sort_by(|a, b| {
        let size = |r: &(&Stored, Option<f64>)| (r.1.unwrap_or(0.0) - r.0.value).abs();
        size(b).total_cmp(&size(a))
    });
    changes.largest = largest
        .iter()
        .take(20)
        .map(|(old, new)| {
            let what = [old.category.as_str(), old.grouping.as_str(), old.subgroup.as_str()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            (old.area.clone(), old.period.clone(), what, old.value, *new)
        })
        .collect();
    for chunk in revisions.chunks(batch) {
        let sql = insert_rows(
            "performance_revision (import_id, dataset, area, period, category, grouping, subgroup, old_value, old_second, new_value, old_import_id)",
            11,
            chunk.len(),
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (old, new) in chunk {
            query = query
                .bind(source.to_string())
                .bind(dataset.slug())
                .bind(old.area.clone())
                .bind(old.period.clone())
                .bind(old.category.clone())
                .bind(old.grouping.clone())
                .bind(old.subgroup.clone())
                .bind(old.value)
                .bind(old.second)
                .bind(*new)
                .bind(old.import_id.clone());
        }
        query.execute(&mut *tx).await?;
    }
    // Out with the covered pairs' old figures, in with the new.
    for chunk in periods.chunks(batch) {
        let areas: Vec<&str> = incoming.iter().map(|o| o.area.as_str()).collect::<HashSet<_>>().into_iter().collect();
        let period_marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let area_marks: Vec<String> = (0..areas.len()).map(|i| format!("${}", i + 2 + chunk.len())).collect();
        let sql = format!(
            "DELETE FROM performance_observation WHERE dataset = $1 AND period IN ({}) AND area IN ({})",
            period_marks.join(", "),
            area_marks.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(dataset.slug());
        for period in chunk {
            query = query.bind((*period).clone());
        }
        for area in &areas {
            query = query.bind(area.to_string());
        }
        query.execute(&mut *tx).await?;
    }
    for chunk in incoming.chunks(batch) {
        let sql = insert_rows(
            "performance_observation (dataset, area, period, category, grouping, subgroup, value, second, import_id)",
            9,
            chunk.len(),
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for o in chunk {
            query = query
                .bind(dataset.slug())
                .bind(o.area.clone())
                .bind(o.period.clone())
                .bind(o.category.clone())
                .bind(o.group.clone())
                .bind(o.subgroup.clone())
                .bind(o.value)
                .bind(o.second)
                .bind(source.to_string());
        }
        query.execute(&mut *tx).await?;
    }
    Ok(changes)
}

/// Puts an approved return's figures in place of what the measures had for its period.
pub(crate) async fn replace_returned(
    tx: &mut AnyConnection,
    source: &str,
    figures: &[Observation],
) -> Result<Changes, sqlx::Error> {
    replace_figures(tx, Dataset::Returns, source, figures, BATCH_SQLITE).await
}

/// The figures a later vintage replaced or dropped, for an import.
pub async fn revisions_by(pool: &Pool, import_id: &str) -> Result<usize, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM performance_revision WHERE import_id = $1")
        .bind(import_id.to_string())
        .fetch_one(pool)
        .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

// ---------------------------------------------------------------------------------------------
// Series

/// One period's sums for an area: the rows' values, second values, and values × second values.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sums {
    pub value: f64,
    pub second: f64,
    pub weighted: f64,
    pub rows: i64,
}

#[derive(sqlx::FromRow)]
struct SumRow {
    area: String,
    period: String,
    value: Option<f64>,
    second: Option<f64>,
    weighted: Option<f64>,
    rows: i64,
}

/// The sums of the rows of `recipe`'s dataset matching its filters, by area and period, for
/// `areas` (every area when empty).
pub async fn sums(
    pool: &Pool,
    recipe: &Recipe,
    areas: &[String],
) -> Result<BTreeMap<String, BTreeMap<String, Sums>>, sqlx::Error> {
    let mut sql = String::from(
        "SELECT area, period, SUM(value) AS value, SUM(second) AS second, SUM(value * second) AS weighted, COUNT(*) AS rows \
         FROM performance_observation WHERE dataset = $1",
    );
    let mut binds: Vec<String> = vec![recipe.dataset.slug().to_string()];
    let mut filter = |column: &str, values: &[String], lower: bool| {
        if values.is_empty() {
            return;
        }
        let marks: Vec<String> = values
            .iter()
            .map(|v| {
                binds.push(if lower { v.to_lowercase() } else { v.clone() });
                format!("${}", binds.len())
            })
            .collect();
        let column = if lower { format!("LOWER({column})") } else { column.to_string() };
        sql.push_str(&format!(" AND {column} IN ({})", marks.join(", ")));
    };
    filter("category", &recipe.category, true);
    filter("grouping", &recipe.group, true);
    filter("subgroup", &recipe.subgroup, true);
    filter("area", areas, false);
    sql.push_str(" GROUP BY area, period");
    let mut query = sqlx::query_as::<_, SumRow>(sqlx::AssertSqlSafe(sql));
    for b in binds {
        query = query.bind(b);
    }
    let mut out: BTreeMap<String, BTreeMap<String, Sums>> = BTreeMap::new();
    for row in query.fetch_all(pool).await? {
        out.entry(row.area).or_default().insert(
            row.period,
            Sums {
                value: row.value.unwrap_or(0.0),
                second: row.second.unwrap_or(0.0),
                weighted: row.weighted.unwrap_or(0.0),
                rows: row.rows,
            },
        );
    }
    Ok(out)
}

/// Where an area's figure for a period came from: the import's vintage, or a return.
pub async fn vintages(pool: &Pool, dataset: Dataset, area: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT DISTINCT i.vintage FROM performance_observation o JOIN performance_import i ON i.id = o.import_id \
         WHERE o.dataset = $1 AND o.area = $2 ORDER BY i.vintage",
    )
    .bind(dataset.slug())
    .bind(area.to_string())
    .fetch_all(pool)
    .await
}

/// The stamp of everything the public pages are made from: every write bumps it. The newest
/// catalogue's id (random) makes two databases' stamps differ, so two offices served by one
/// process never share a page.
pub async fn stamp(pool: &Pool) -> Result<String, sqlx::Error> {
    let (version, catalogue): (i64, Option<String>) =
        sqlx::query_as("SELECT version, (SELECT MAX(id) FROM performance_catalogue) FROM performance_stamp WHERE id = 1")
            .fetch_one(pool)
            .await?;
    Ok(format!("{version}:{}", catalogue.unwrap_or_default()))
}

// ---------------------------------------------------------------------------------------------
// Populations and most similar groups

/// Residents by area (the latest year held), with the year and source.
pub async fn populations(pool: &Pool) -> Result<HashMap<String, (i64, f64, String)>, sqlx::Error> {
    let rows: Vec<(String, i64, i64, String)> =
        sqlx::query_as("SELECT area, year, residents, source FROM performance_population ORDER BY area, year")
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(area, year, residents, source)| (area, (year, residents as f64, source))).collect())
}

pub async fn set_population(
    conn: &mut AnyConnection,
    area: &str,
    year: i64,
    residents: i64,
    source: &str,
) -> Result<(), sqlx::Error> {
    touch(conn).await?;
    sqlx::query(
        "INSERT INTO performance_population (area, year, residents, source) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (area, year) DO UPDATE SET residents = $3, source = $4",
    )
    .bind(area.to_string())
    .bind(year)
    .bind(residents)
    .bind(source.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// An area's residents in a year, and where the figure comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Residents {
    pub area: String,
    pub year: i64,
    pub residents: i64,
    pub source: String,
}

/// Loads residents by area and year (a year already held is replaced), in one transaction.
pub async fn load_residents(pool: &Pool, rows: &[Residents], actor: &Actor, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    for r in rows {
        set_population(&mut tx, &r.area, r.year, r.residents, &r.source).await?;
    }
    let detail = format!("{} areas", rows.len());
    record(
        &mut tx,
        actor,
        Event { action: "loaded residents", record_type: "performance residents", record_id: "-", detail: &detail },
        now,
    )
    .await?;
    tx.commit().await
}

/// An area's most similar group, in order, with where it comes from.
pub async fn group_of(pool: &Pool, area: &str) -> Result<(Vec<String>, String), sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT member, source FROM performance_comparator WHERE area = $1 ORDER BY position")
            .bind(area.to_string())
            .fetch_all(pool)
            .await?;
    let source = rows.first().map(|r| r.1.clone()).unwrap_or_default();
    Ok((rows.into_iter().map(|r| r.0).collect(), source))
}

/// The most comparators a group may hold, as the Home Office's groups do.
pub const GROUP_SIZE: usize = 7;

/// Sets an area's most similar group.
pub async fn set_group(
    pool: &Pool,
    area: &str,
    members: &[String],
    source: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    set_group_in(&mut tx, area, members, source).await?;
    let detail = format!("{} ({source})", members.join(", "));
    record(
        &mut tx,
        actor,
        Event { action: "set most similar group", record_type: "area", record_id: area, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await
}

pub(crate) async fn set_group_in(
    conn: &mut AnyConnection,
    area: &str,
    members: &[String],
    source: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM performance_comparator WHERE area = $1").bind(area.to_string()).execute(&mut *conn).await?;
    for (position, member) in members.iter().filter(|m| m.as_str() != area).take(GROUP_SIZE).enumerate() {
        sqlx::query("INSERT INTO performance_comparator (area, member, position, source) VALUES ($1, $2, $3, $4)")
            .bind(area.to_string())
            .bind(member.clone())
            .bind(position as i64)
            .bind(source.to_string())
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}
