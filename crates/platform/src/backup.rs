//! Backup and restore: one `.tar.gz` holding a consistent snapshot of every table and every
//! stored file, restorable into an empty database and data folder on either database engine.
//!
//! Archive layout: `manifest.json` (format, when, which migrations, each table's columns and
//! row count), `tables/NNN-<table>.jsonl` (one JSON array per row, in creation order so that
//! restoring never breaks a foreign key), and `files/<sha256>` (checked against its name on
//! restore).

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{Column, Row};
use time::OffsetDateTime;

use crate::db::{self, Backend, Pool};
use crate::files::Storage;

pub const FORMAT: u32 = 1;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    pub created_at: String,
    pub software_version: String,
    pub migrations: Vec<i64>,
    pub tables: Vec<TableManifest>,
    pub files: usize,
}

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct TableManifest {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: usize,
}

/// Tables in an order a restore can load them in: each after the tables its foreign keys point
/// to, otherwise in the order they were created; migrations' own left out. Creation order alone
/// is not enough once a later migration adds a column referring to a newer table.
async fn tables_in_creation_order(conn: &mut sqlx::AnyConnection, backend: Backend) -> Result<Vec<String>, sqlx::Error> {
    let (tables_sql, references_sql) = match backend {
        Backend::Sqlite => (
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY rowid",
            "SELECT m.name, CAST(f.\"table\" AS TEXT) FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
             WHERE m.type = 'table'",
        ),
        Backend::Postgres => (
            "SELECT CAST(c.relname AS TEXT) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.relname <> '_sqlx_migrations' ORDER BY c.oid",
            "SELECT CAST(c.conrelid::regclass AS TEXT), CAST(c.confrelid::regclass AS TEXT) FROM pg_constraint c \
             JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()",
        ),
    };
    let tables: Vec<String> = sqlx::query_scalar(tables_sql).fetch_all(&mut *conn).await?;
    let references: Vec<(String, String)> = sqlx::query_as(references_sql).fetch_all(&mut *conn).await?;
    Ok(referenced_first(tables, &references))
}

/// `tables` reordered so that each comes after every table it refers to (`references` holds
/// (table, referenced table) pairs), keeping their order otherwise. A cycle, which the schema does
/// not have, is broken at the earliest table rather than looping.
fn referenced_first(tables: Vec<String>, references: &[(String, String)]) -> Vec<String> {
    let mut placed: Vec<String> = Vec::with_capacity(tables.len());
    let mut waiting = tables;
    while !waiting.is_empty() {
        let ready = waiting
            .iter()
            .position(|table| !references.iter().any(|(from, to)| from == table && to != table && waiting.contains(to)));
        placed.push(waiting.remove(ready.unwrap_or(0)));
    }
    placed
}

fn is_safe_identifier(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn value_of(row: &sqlx::any::AnyRow, index: usize) -> serde_json::Value {
    if let Ok(v) = row.try_get::<Option<i64>, _>(index) {
        return v.map(serde_json::Value::from).unwrap_or(serde_json::Value::Null);
    }
    if let Ok(v) = row.try_get::<Option<f64>, _>(index) {
        return v.map(serde_json::Value::from).unwrap_or(serde_json::Value::Null);
    }
    if let Ok(v) = row.try_get::<Option<String>, _>(index) {
        return v.map(serde_json::Value::from).unwrap_or(serde_json::Value::Null);
    }
    if let Ok(v) = row.try_get::<Option<bool>, _>(index) {
        return v.map(serde_json::Value::from).unwrap_or(serde_json::Value::Null);
    }
    serde_json::Value::Null
}

fn append(builder: &mut tar::Builder<GzEncoder<Sink>>, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    header.set_mode(0o600);
    header.set_mtime(OffsetDateTime::now_utc().unix_timestamp().max(0) as u64);
    header.set_cksum();
    builder.append_data(&mut header, name, bytes)
}

/// Where an archive's bytes go: the file itself, or age encryption in front of it.
enum Sink {
    Plain(File),
    Encrypted(age::stream::StreamWriter<File>),
}

impl std::io::Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Plain(file) => file.write(bytes),
            Sink::Encrypted(writer) => writer.write(bytes),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Plain(file) => file.flush(),
            Sink::Encrypted(writer) => writer.flush(),
        }
    }
}

impl Sink {
    fn finish(self) -> std::io::Result<File> {
        match self {
            Sink::Plain(file) => Ok(file),
            Sink::Encrypted(writer) => writer.finish(),
        }
    }
}

/// Reads age recipients (`age1…` public keys) as given on the command line.
pub fn parse_recipients(keys: &[String]) -> anyhow::Result<Vec<age::x25519::Recipient>> {
    keys.iter()
        .map(|key| {
            key.trim().parse::<age::x25519::Recipient>().map_err(|e| anyhow::anyhow!("{key:?} is not an age public key: {e}"))
        })
        .collect()
}

/// Opens an archive for reading: decrypted with the identities in `identity_file` when it is
/// age-encrypted (which needs one), as it is otherwise.
fn open_archive(archive: &Path, identity_file: Option<&Path>) -> anyhow::Result<Box<dyn Read>> {
    let mut file = std::io::BufReader::new(File::open(archive)?);
    let encrypted = std::io::BufRead::fill_buf(&mut file)?.starts_with(b"age-encryption.org/");
    if !encrypted {
        return Ok(Box::new(GzDecoder::new(file)));
    }
    let Some(identity_file) = identity_file else {
        anyhow::bail!("the backup is encrypted: give the key that opens it with --identity FILE")
    };
    let identities = age::IdentityFile::from_file(identity_file.display().to_string())?
        .into_identities()
        .map_err(|e| anyhow::anyhow!("cannot read the key in {}: {e}", identity_file.display()))?;
    let decryptor = age::Decryptor::new(file).map_err(|e| anyhow::anyhow!("cannot open the encrypted backup: {e}"))?;
    let reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| anyhow::anyhow!("the key does not open this backup: {e}"))?;
    Ok(Box::new(GzDecoder::new(reader)))
}

/// Writes a backup to `output`, encrypted to `recipients` if any are given (age public keys).
/// `progress` hears what is being copied.
pub async fn backup(
    pool: &Pool,
    storage: &Storage,
    output: &Path,
    recipients: &[age::x25519::Recipient],
    mut progress: impl FnMut(&str),
) -> anyhow::Result<Manifest> {
    let backend = db::backend(pool);
    let partial = output.with_extension("partial");
    // The archive holds every secret the database does: readable by its owner alone.
    let file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(&partial)?
    };
    let sink = if recipients.is_empty() {
        Sink::Plain(file)
    } else {
        let encryptor = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))?;
        Sink::Encrypted(encryptor.wrap_output(file)?)
    };
    let mut builder = tar::Builder::new(GzEncoder::new(sink, Compression::default()));
    let mut conn = pool.acquire().await?;
    // One read transaction: every table as of the same moment.
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await?;
    if backend == Backend::Postgres {
        sqlx::raw_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(&mut *conn).await?;
    }
    let result = async {
        // Only contents some record still holds: a deleted file never reaches a backup.
        let referenced: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT sha256 FROM platform_file ORDER BY sha256").fetch_all(&mut *conn).await?;
        let migrations: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success = TRUE ORDER BY version")
                .fetch_all(&mut *conn)
                .await?;
        let mut tables = Vec::new();
        for (position, table) in tables_in_creation_order(&mut conn, backend).await?.into_iter().enumerate() {
            anyhow::ensure!(is_safe_identifier(&table), "unexpected table name {table:?}");
            progress(&format!("table {table}"));
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}"))).fetch_all(&mut *conn).await?;
            let columns: Vec<String> = match rows.first() {
                Some(row) => row.columns().iter().map(|c| c.name().to_string()).collect(),
                None => Vec::new(),
            };
            let mut lines = Vec::new();
            for row in &rows {
                let values: Vec<serde_json::Value> = (0..row.columns().len()).map(|i| value_of(row, i)).collect();
                serde_json::to_writer(&mut lines, &values)?;
                lines.push(b'\n');
            }
            append(&mut builder, &format!("tables/{position:03}-{table}.jsonl"), &lines)?;
            tables.push(TableManifest { name: table, columns, rows: rows.len() });
        }
        Ok::<_, anyhow::Error>((migrations, tables, referenced))
    }
    .await;
    let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
    let (migrations, tables, hashes) = result?;
    drop(conn);

    for (n, hash) in hashes.iter().enumerate() {
        progress(&format!("file {} of {}", n + 1, hashes.len()));
        // Each file goes through a temporary file so that memory stays flat for large ones.
        let mut temp = tempfile::tempfile()?;
        let mut stream = storage.read(hash).await?;
        let mut size = 0u64;
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            size += chunk.len() as u64;
            temp.write_all(&chunk)?;
        }
        std::io::Seek::rewind(&mut temp)?;
        let mut header = tar::Header::new_gnu();
        header.set_size(size);
        header.set_mode(0o600);
        header.set_cksum();
        builder.append_data(&mut header, format!("files/{hash}"), &mut temp)?;
    }
    let manifest = Manifest {
        format: FORMAT,
        created_at: db::timestamp(OffsetDateTime::now_utc()),
        software_version: env!("CARGO_PKG_VERSION").into(),
        migrations,
        tables,
        files: hashes.len(),
    };
    append(&mut builder, "manifest.json", &serde_json::to_vec_pretty(&manifest)?)?;
    builder.into_inner()?.finish()?.finish()?.sync_all()?;
    std::fs::rename(&partial, output)?;
    Ok(manifest)
}

/// Whether the database holds anything a restore would overwrite (an office or staff).
pub async fn is_empty(pool: &Pool) -> Result<bool, sqlx::Error> {
    let offices: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM platform_office").fetch_one(pool).await?;
    let staff: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM platform_staff_user").fetch_one(pool).await?;
    let audit: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM platform_audit_event").fetch_one(pool).await?;
    Ok(offices == 0 && staff == 0 && audit == 0)
}

/// Restores a backup into an empty, migrated database and its storage. The archive's
/// migrations must all be known here (a backup from a newer version is refused).
pub async fn restore(
    pool: &Pool,
    storage: &Storage,
    archive: &Path,
    identity_file: Option<&Path>,
    known_migrations: &[i64],
    mut progress: impl FnMut(&str),
) -> anyhow::Result<Manifest> {
    anyhow::ensure!(is_empty(pool).await?, "the database is not empty: restore only into a new, empty one");
    // First pass: the manifest (written last, so it is at the end).
    let manifest: Manifest = {
        let mut archive = tar::Archive::new(open_archive(archive, identity_file)?);
        let mut found = None;
        for entry in archive.entries()? {
            let mut entry = entry?;
            if entry.path()?.to_string_lossy() == "manifest.json" {
                let mut text = String::new();
                entry.read_to_string(&mut text)?;
                found = Some(serde_json::from_str(&text)?);
            }
        }
        found.ok_or_else(|| anyhow::anyhow!("not a Commissioner backup: no manifest.json"))?
    };
    anyhow::ensure!(manifest.format == FORMAT, "backup format {} is not supported", manifest.format);
    let unknown: Vec<i64> = manifest.migrations.iter().filter(|m| !known_migrations.contains(m)).copied().collect();
    anyhow::ensure!(unknown.is_empty(), "the backup was made by a newer version (migrations {unknown:?}); upgrade first");

    let mut tx = crate::db::begin_write(pool).await?;
    let mut archive = tar::Archive::new(open_archive(archive, identity_file)?);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.to_string_lossy().into_owned();
        if let Some(name) = path.strip_prefix("tables/") {
            let table = name.split_once('-').map(|(_, t)| t.trim_end_matches(".jsonl")).unwrap_or_default().to_string();
            let Some(spec) = manifest.tables.iter().find(|t| t.name == table) else {
                anyhow::bail!("table {table} is not in the manifest")
            };
            anyhow::ensure!(
                is_safe_identifier(&table) && spec.columns.iter().all(|c| is_safe_identifier(c)),
                "unexpected names in {path}"
            );
            progress(&format!("table {table} ({} rows)", spec.rows));
            // Rows the migrations seeded (the audit head) are replaced by the backup's.
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await?;
            if spec.rows == 0 {
                continue;
            }
            for line in BufReader::new(&mut entry).lines() {
                let values: Vec<serde_json::Value> = serde_json::from_str(&line?)?;
                // A null is written as the literal NULL, not a bound parameter: PostgreSQL types
                // every parameter, and a text-typed null will not go into a BIGINT column.
                let mut placeholders = Vec::with_capacity(values.len());
                let mut next = 0;
                for value in &values {
                    if value.is_null() {
                        placeholders.push("NULL".to_string());
                    } else {
                        next += 1;
                        placeholders.push(format!("${next}"));
                    }
                }
                let sql = format!("INSERT INTO {table} ({}) VALUES ({})", spec.columns.join(", "), placeholders.join(", "));
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                for value in values {
                    query = match value {
                        serde_json::Value::Null => query,
                        serde_json::Value::Bool(b) => query.bind(i64::from(b)),
                        serde_json::Value::Number(n) if n.is_i64() => query.bind(n.as_i64()),
                        serde_json::Value::Number(n) => query.bind(n.as_f64()),
                        serde_json::Value::String(s) => query.bind(s),
                        other => query.bind(other.to_string()),
                    };
                }
                query.execute(&mut *tx).await?;
            }
        } else if let Some(hash) = path.strip_prefix("files/") {
            anyhow::ensure!(hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()), "unexpected file name {path}");
            progress(&format!("file {hash}"));
            let mut temp = tempfile::NamedTempFile::new_in(storage.temp_dir())?;
            let mut hasher = Sha256::new();
            let mut buffer = vec![0u8; 1024 * 1024];
            loop {
                let read = entry.read(&mut buffer)?;
                if read == 0 {
                    break;
                }
                hasher.update(&buffer[..read]);
                temp.write_all(&buffer[..read])?;
            }
            temp.flush()?;
            anyhow::ensure!(hex::encode(hasher.finalize()) == hash, "file {hash} in the backup is damaged");
            storage.put_file(hash, temp.path()).await?;
        }
    }
    tx.commit().await?;
    Ok(manifest)
}

/// Every table's rows as JSON, sorted: what a round trip must preserve (for tests and checks).
pub async fn snapshot(pool: &Pool) -> anyhow::Result<Vec<(String, Vec<String>)>> {
    let backend = db::backend(pool);
    let mut conn = pool.acquire().await?;
    let mut out = Vec::new();
    for table in tables_in_creation_order(&mut conn, backend).await? {
        anyhow::ensure!(is_safe_identifier(&table), "unexpected table name {table:?}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!("SELECT * FROM {table}"))).fetch_all(&mut *conn).await?;
        let mut lines: Vec<String> = rows
            .iter()
            .map(|row| {
                let object: serde_json::Map<String, serde_json::Value> =
                    row.columns().iter().enumerate().map(|(i, c)| (c.name().to_string(), value_of(row, i))).collect();
                serde_json::Value::Object(object).to_string()
            })
            .collect();
        lines.sort();
        out.push((table, lines));
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_comes_after_the_tables_it_refers_to_and_otherwise_keeps_its_place() {
        let names = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let pairs = |list: &[(&str, &str)]| list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect::<Vec<_>>();
        // Users were created first; a later migration made them refer to organisations.
        let order = referenced_first(
            names(&["user", "session", "organisation", "case"]),
            &pairs(&[("session", "user"), ("user", "organisation"), ("case", "case"), ("case", "user")]),
        );
        assert_eq!(order, names(&["organisation", "user", "session", "case"]));
        // A cycle is broken, not looped on.
        let order = referenced_first(names(&["a", "b"]), &pairs(&[("a", "b"), ("b", "a")]));
        assert_eq!(order, names(&["a", "b"]));
    }
}
