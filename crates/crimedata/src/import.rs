//! Importing police.uk files: folders, zip archives (data.police.uk's monthly archive, or any zip
//! holding the CSVs) and single CSVs, recognised by header, read as streams, and counted by
//! force-month. Each force-month lands whole in one transaction, replacing what was held for
//! it, or not at all; bad rows are reported with file and line and the good ones kept, unless a
//! file's share of bad rows passes the limit.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::bulk::{Cell, insert_all};
use crate::reference;
use crate::rows::{self, FileKind, RowError};

/// Problems listed in full; beyond this only their number is kept.
const PROBLEMS_KEPT: usize = 200;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The share of bad rows (0 to 1) above which a file's months are not imported.
    pub max_bad_share: f64,
    /// Only files named for this month (`2026-09-…`), when given: a monthly archive holds the 36
    /// months before it too.
    pub month: Option<String>,
    /// Only files named for these forces, when any are given.
    pub forces: Vec<String>,
    /// The record of this run, when the caller has made it already (a fetch records its download
    /// first); otherwise the import makes its own.
    pub run_id: Option<String>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { max_bad_share: 0.01, month: None, forces: Vec::new(), run_id: None }
    }
}

impl ImportOptions {
    fn wants(&self, file_name: &str) -> bool {
        let month_ok = self.month.as_ref().is_none_or(|m| file_name.starts_with(&format!("{m}-")));
        let force_ok = self.forces.is_empty() || force_from_file_name(file_name).is_some_and(|f| self.forces.contains(&f));
        month_ok && force_ok
    }
}

/// Counters the command line reads to draw its progress bar.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    pub bytes_total: Arc<AtomicU64>,
    pub bytes_read: Arc<AtomicU64>,
    pub rows_read: Arc<AtomicU64>,
}

/// One CSV to read: a file, or an entry in a zip archive.
#[derive(Debug, Clone)]
pub enum Source {
    File { path: PathBuf, size: u64 },
    ZipEntry { archive: PathBuf, index: usize, name: String, size: u64 },
}

impl Source {
    pub fn name(&self) -> String {
        match self {
            Source::File { path, .. } => path.display().to_string(),
            Source::ZipEntry { archive, name, .. } => format!("{}!{name}", archive.display()),
        }
    }
    fn file_name(&self) -> String {
        match self {
            Source::File { path, .. } => path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            Source::ZipEntry { name, .. } => name.rsplit('/').next().unwrap_or(name).to_string(),
        }
    }
    /// The month the file is for, from its name (`2019-06-…`) or its folder (`2019-06/`), as
    /// data.police.uk names them. A file's month decides where its rows are counted: never a
    /// row's own date (see [`parse_csv`]).
    pub fn file_month(&self) -> Option<String> {
        let path = match self {
            Source::File { path, .. } => path.to_string_lossy().into_owned(),
            Source::ZipEntry { name, .. } => name.clone(),
        };
        month_of_path(&path)
    }
    pub fn size(&self) -> u64 {
        match self {
            Source::File { size, .. } | Source::ZipEntry { size, .. } => *size,
        }
    }
}

fn is_zip(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip") || e.eq_ignore_ascii_case("whl"))
}

/// Every CSV under the given paths (folders are walked; zips are opened), in name order.
pub fn find_sources(paths: &[PathBuf]) -> anyhow::Result<Vec<Source>> {
    let mut sources = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if metadata.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
            entries.sort();
            let nested: Vec<PathBuf> =
                entries.into_iter().filter(|p| p.is_dir() || is_zip(p) || p.extension().is_some_and(|e| e == "csv")).collect();
            sources.extend(find_sources(&nested)?);
        } else if is_zip(path) {
            let mut archive = zip::ZipArchive::new(File::open(path)?)
                .map_err(|e| anyhow::anyhow!("{}: not a zip archive ({e})", path.display()))?;
            let mut found = Vec::new();
            for index in 0..archive.len() {
                let entry = archive.by_index(index)?;
                let name = entry.name()?.to_string();
                if entry.is_file() && name.to_ascii_lowercase().ends_with(".csv") {
                    found.push(Source::ZipEntry { archive: path.clone(), index, name, size: entry.size() });
                }
            }
            found.sort_by_key(Source::name);
            sources.extend(found);
        } else {
            sources.push(Source::File { path: path.clone(), size: metadata.len() });
        }
    }
    Ok(sources)
}

mod parse;
pub use parse::*;

/// Records the start of a run, to be followed by [`report_progress`] and finished by [`import`].
pub async fn start_run(pool: &Pool, id: &str, sources: &str) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO crimedata_import (id, started_at, status, sources) VALUES ($1, $2, 'running', $3)")
        .bind(id)
        .bind(db::timestamp(OffsetDateTime::now_utc()))
        .bind(sources)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Writes how far the run has got into its record once a second, for the staff page, until the
/// returned task is aborted. A write that fails is only logged: the import matters more.
pub fn report_progress(pool: Pool, id: String, stage: &'static str, progress: Progress) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            let written = sqlx::query(
                "UPDATE crimedata_import SET stage = $1, bytes_done = $2, bytes_total = $3, rows_read = $4, progress_at = $5 \
                 WHERE id = $6 AND status = 'running'",
            )
            .bind(stage)
            .bind(count(progress.bytes_read.load(Ordering::Relaxed)))
            .bind(count(progress.bytes_total.load(Ordering::Relaxed)))
            .bind(count(progress.rows_read.load(Ordering::Relaxed)))
            .bind(db::timestamp(OffsetDateTime::now_utc()))
            .bind(&id)
            .execute(&pool)
            .await;
            if let Err(error) = written {
                tracing::warn!(%error, "cannot record the progress of a police data import");
            }
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    })
}

/// Reads the files on every core (up to four) while the caller writes what was read before,
/// handing them over in their given order so that which copy of a force-month wins, and every
/// message, is the same from run to run. Reading runs ahead of writing by a few files at most.
fn read_in_order(
    sources: Vec<Source>,
    counter: Arc<AtomicU64>,
) -> tokio::sync::mpsc::Receiver<(String, anyhow::Result<ParsedFile>)> {
    let readers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 4);
    let names: Vec<String> = sources.iter().map(Source::name).collect();
    let sources = Arc::new(sources);
    let next = Arc::new(AtomicUsize::new(0));
    let (read_tx, read_rx) = std::sync::mpsc::sync_channel::<(usize, anyhow::Result<ParsedFile>)>(readers);
    for _ in 0..readers {
        let (sources, next, read_tx, counter) = (sources.clone(), next.clone(), read_tx.clone(), counter.clone());
        tokio::task::spawn_blocking(move || {
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(source) = sources.get(index) else { break };
                if read_tx.send((index, read(source, counter.clone()))).is_err() {
                    break;
                }
            }
        });
    }
    drop(read_tx);
    let (ordered_tx, ordered_rx) = tokio::sync::mpsc::channel(2);
    tokio::task::spawn_blocking(move || {
        let mut waiting = BTreeMap::new();
        let mut wanted = 0;
        for (index, parsed) in read_rx {
            waiting.insert(index, parsed);
            while let Some(parsed) = waiting.remove(&wanted) {
                if ordered_tx.blocking_send((names[wanted].clone(), parsed)).is_err() {
                    return;
                }
                wanted += 1;
            }
        }
        // A reader that died (it cannot, short of a bug) must not make its file, or the files
        // after it, vanish from the report without a word.
        for name in &names[wanted..] {
            let parsed = waiting.remove(&wanted).unwrap_or_else(|| Err(anyhow::anyhow!("the reader stopped before this file")));
            if ordered_tx.blocking_send((name.clone(), parsed)).is_err() {
                return;
            }
            wanted += 1;
        }
    });
    ordered_rx
}

/// A force-month as it landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Landed {
    pub force: String,
    pub month: String,
    pub kind: FileKind,
    pub rows: u64,
    pub no_location: u64,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub id: String,
    pub files: u64,
    pub rows_read: u64,
    pub rows_bad: u64,
    pub landed: Vec<Landed>,
    pub problems: Vec<String>,
}

/// Imports every CSV under `paths`. Problems are collected in the report; an error is returned
/// only when the database cannot be written.
pub async fn import(
    pool: &Pool,
    paths: &[PathBuf],
    options: ImportOptions,
    progress: &Progress,
    actor: &Actor,
) -> anyhow::Result<ImportReport> {
    let mut sources = find_sources(paths)?;
    sources.retain(|source| options.wants(&source.file_name()));
    progress.bytes_total.store(sources.iter().map(Source::size).sum(), Ordering::Relaxed);
    let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let mut report = ImportReport { id: options.run_id.clone().unwrap_or_else(platform::ids::new_id), ..Default::default() };
    if options.run_id.is_none() {
        start_run(pool, &report.id, &names.join("\n")).await?;
    }
    let reporter = report_progress(pool.clone(), report.id.clone(), "reading", progress.clone());
    let mut seen: HashMap<(String, String, FileKind), String> = HashMap::new();
    let mut receiver = read_in_order(sources, progress.bytes_read.clone());
    while let Some((name, parsed)) = receiver.recv().await {
        let parsed = match parsed {
            Ok(parsed) => parsed,
            Err(error) => {
                report.problems.push(format!("{name}: cannot be read ({error})"));
                continue;
            }
        };
        progress.rows_read.fetch_add(parsed.rows, Ordering::Relaxed);
        report.files += 1;
        report.rows_read += parsed.rows;
        report.rows_bad += parsed.bad;
        report.problems.extend(parsed.problems.iter().cloned());
        if parsed.bad as usize > parsed.problems.len() {
            report.problems.push(format!(
                "{}: {} more bad rows not listed",
                parsed.source,
                parsed.bad as usize - parsed.problems.len()
            ));
        }
        report.problems.extend(parsed.notes.iter().cloned());
        let Some(kind) = parsed.kind else { continue };
        let Some(force) = parsed.force.clone().filter(|f| !f.is_empty()) else {
            report.problems.push(format!(
                "{}: cannot tell which force it is from (name it like 2026-09-staffordshire-street.csv): skipped",
                parsed.source
            ));
            continue;
        };
        if parsed.rows > 0 && parsed.bad as f64 / parsed.rows as f64 > options.max_bad_share {
            report.problems.push(format!(
                "{}: {} of {} rows are bad ({:.1}%), more than the limit of {:.1}%: nothing from this file was imported",
                parsed.source,
                parsed.bad,
                parsed.rows,
                parsed.bad as f64 / parsed.rows as f64 * 100.0,
                options.max_bad_share * 100.0
            ));
            continue;
        }
        let mut seen_here = HashSet::new();
        for (month, counts) in &parsed.by_month {
            let key = (force.clone(), month.clone(), kind);
            if let Some(first) = seen.get(&key) {
                report.problems.push(format!(
                    "{}: {force} {} for {month} is also in {first}, read earlier in this import: this copy was skipped",
                    parsed.source,
                    kind.slug()
                ));
                continue;
            }
            seen_here.insert(key);
            let mut tx = platform::db::begin_write(pool).await?;
            write_month(&mut tx, &force, month, kind, counts, &parsed.source, &report.id).await?;
            tx.commit().await?;
            report.landed.push(Landed {
                force: force.clone(),
                month: month.clone(),
                kind,
                rows: counts.rows,
                no_location: counts.no_location,
            });
        }
        for key in seen_here {
            seen.insert(key, parsed.source.clone());
        }
    }
    let status = if report.problems.is_empty() { "done" } else { "done-with-problems" };
    let summary = format!(
        "{} files, {} rows read, {} bad; {} force-months imported",
        report.files,
        report.rows_read,
        report.rows_bad,
        report.landed.len()
    );
    let mut problems = report.problems.iter().take(PROBLEMS_KEPT).cloned().collect::<Vec<_>>().join("\n");
    if report.problems.len() > PROBLEMS_KEPT {
        problems.push_str(&format!("\n… and {} more", report.problems.len() - PROBLEMS_KEPT));
    }
    reporter.abort();
    let now = OffsetDateTime::now_utc();
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query(
        "UPDATE crimedata_import SET finished_at = $1, status = $2, files = $3, rows_read = $4, rows_bad = $5, summary = $6, problems = $7, \
         stage = '', bytes_done = $9, bytes_total = $9 WHERE id = $8",
    )
    .bind(db::timestamp(now))
    .bind(status)
    .bind(i64::try_from(report.files).unwrap_or(i64::MAX))
    .bind(i64::try_from(report.rows_read).unwrap_or(i64::MAX))
    .bind(i64::try_from(report.rows_bad).unwrap_or(i64::MAX))
    .bind(&summary)
    .bind(&problems)
    .bind(&report.id)
    .bind(count(progress.bytes_total.load(Ordering::Relaxed)))
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Event { action: "imported police data", record_type: "crime data import", record_id: &report.id, detail: &summary },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(report)
}

fn count(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Replaces one force-month of one kind, in the caller's transaction.
pub(crate) async fn write_month(
    conn: &mut AnyConnection,
    force: &str,
    month: &str,
    kind: FileKind,
    counts: &MonthCounts,
    source: &str,
    import_id: &str,
) -> Result<(), sqlx::Error> {
    let tables: &[&str] = match kind {
        FileKind::Street => &["crimedata_lsoa_month", "crimedata_street_outcome", "crimedata_force_month_type"],
        FileKind::Outcomes => &["crimedata_outcome_count"],
        FileKind::StopAndSearch => &["crimedata_stop_count"],
    };
    for table in tables {
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE force = $1 AND month = $2")))
            .bind(force)
            .bind(month)
            .execute(&mut *conn)
            .await?;
    }
    match kind {
        FileKind::Street => {
            let asb = reference::crime_type_index("anti-social-behaviour").expect("a police.uk type");
            let rows = counts
                .street
                .iter()
                .map(|(lsoa, by_type)| {
                    let crimes: u64 = by_type.iter().enumerate().filter(|(i, _)| *i != asb).map(|(_, n)| n).sum();
                    let mut row = vec![Cell::Text(force), Cell::Text(month), Cell::Text(lsoa), Cell::Number(count(crimes))];
                    row.extend(by_type.iter().map(|n| Cell::Number(count(*n))));
                    row
                })
                .collect();
            let type_columns: Vec<String> = (0..reference::CRIME_TYPES.len()).map(reference::crime_type_column).collect();
            let mut columns = vec!["force", "month", "lsoa_code", "crimes"];
            columns.extend(type_columns.iter().map(String::as_str));
            insert_all(conn, "crimedata_lsoa_month", &columns, rows).await?;
            let rows = counts
                .street_outcomes
                .iter()
                .map(|((crime_type, outcome), n)| {
                    vec![
                        Cell::Text(force),
                        Cell::Text(month),
                        Cell::Text(crime_type),
                        Cell::Text(outcome),
                        Cell::Number(count(*n)),
                    ]
                })
                .collect();
            insert_all(conn, "crimedata_street_outcome", &["force", "month", "crime_type", "outcome", "crimes"], rows).await?;
            let mut recorded = TypeCounts::default();
            for by_type in counts.street.values() {
                for (total, n) in recorded.iter_mut().zip(by_type) {
                    *total += n;
                }
            }
            let unlocated = counts.street.get("").copied().unwrap_or_default();
            let rows = reference::CRIME_TYPES
                .iter()
                .enumerate()
                .filter(|(i, _)| recorded[*i] > 0)
                .map(|(i, (_, slug))| {
                    vec![
                        Cell::Text(force),
                        Cell::Text(month),
                        Cell::Text(slug),
                        Cell::Number(count(recorded[i])),
                        Cell::Number(count(unlocated[i])),
                    ]
                })
                .collect();
            insert_all(
                conn,
                "crimedata_force_month_type",
                &["force", "month", "crime_type", "recorded", "without_location"],
                rows,
            )
            .await?;
        }
        FileKind::Outcomes => {
            let rows = counts
                .outcomes
                .iter()
                .map(|(outcome, n)| vec![Cell::Text(force), Cell::Text(month), Cell::Text(outcome), Cell::Number(count(*n))])
                .collect();
            insert_all(conn, "crimedata_outcome_count", &["force", "month", "outcome", "outcomes"], rows).await?;
        }
        FileKind::StopAndSearch => {
            let rows = counts
                .stops
                .iter()
                .map(|((object, outcome, linked, ethnicity), n)| {
                    vec![
                        Cell::Text(force),
                        Cell::Text(month),
                        Cell::Text(object),
                        Cell::Text(outcome),
                        Cell::Text(linked),
                        Cell::Text(ethnicity),
                        Cell::Number(count(*n)),
                    ]
                })
                .collect();
            insert_all(
                conn,
                "crimedata_stop_count",
                &["force", "month", "object", "outcome", "linked", "ethnicity", "searches"],
                rows,
            )
            .await?;
        }
    }
    sqlx::query(
        "INSERT INTO crimedata_force_month (force, month, kind, rows_imported, rows_bad, no_location, source, import_id, imported_at) \
         VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8) \
         ON CONFLICT (force, month, kind) DO UPDATE SET rows_imported = $4, no_location = $5, source = $6, import_id = $7, imported_at = $8",
    )
    .bind(force)
    .bind(month)
    .bind(kind.slug())
    .bind(count(counts.rows))
    .bind(count(counts.no_location))
    .bind(source)
    .bind(import_id)
    .bind(db::timestamp(OffsetDateTime::now_utc()))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests;
