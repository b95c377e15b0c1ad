//! Importing a spending file: the pure reader's verdict, then the store's write, all or nothing.
//! Used by the office's upload page and by the benchmark alike.

use platform::audit::Actor;
use platform::db::{self, Pool};
use time::OffsetDateTime;

use crate::spend::{self, Mapping, Refusal, Unreadable};
use crate::store;

/// What became of a file.
#[derive(Debug)]
pub enum Outcome {
    /// Published: how many payments, how many redacted, how many at or under £500 left out.
    Imported { rows: usize, redacted: usize, left_out: usize },
    /// Nothing published: each row refused and why.
    Refused(Vec<Refusal>),
    /// Nothing published: the file as a whole cannot be read.
    Unreadable(Unreadable),
}

/// The transaction numbers in a file, for the check against what is already published.
fn transactions(bytes: &[u8], mapping: &Mapping) -> Vec<String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let Ok(headers) = reader.headers() else { return Vec::new() };
    let Some(column) =
        mapping.header_for("transaction").and_then(|h| headers.iter().position(|x| x.trim().trim_start_matches('\u{feff}') == h))
    else {
        return Vec::new();
    };
    reader
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| r.get(column).map(|t| t.trim().to_string()))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Reads the file through the saved mapping and publishes it if every row is good.
pub async fn import(
    pool: &Pool,
    (bytes, file_name): (&[u8], &str),
    mapping: &Mapping,
    actor: &Actor,
    now: OffsetDateTime,
    progress: impl FnMut(usize),
) -> Result<Outcome, sqlx::Error> {
    let today = platform::calendar::uk_local_date(now);
    let individuals = store::individuals(pool).await?;
    let ids = transactions(bytes, mapping);
    let known = store::known_transactions(pool, &ids.iter().map(String::as_str).collect::<Vec<_>>()).await?;
    let read = match spend::read(bytes, mapping, today, &individuals, &|id| known.contains(id)) {
        Ok(read) => read,
        Err(unreadable) => return Ok(Outcome::Unreadable(unreadable)),
    };
    if !read.refused.is_empty() {
        return Ok(Outcome::Refused(read.refused));
    }
    let mut tx = db::begin_write(pool).await?;
    let written = store::import_payments(&mut tx, (file_name, read.left_out), &read.payments, actor, now, progress).await;
    match written {
        Ok(imported) => {
            tx.commit().await?;
            Ok(Outcome::Imported { rows: imported.rows, redacted: imported.redacted, left_out: read.left_out })
        }
        // Another import published some of the same transactions a moment ago.
        Err(e) if db::is_unique_violation(&e) => Ok(Outcome::Refused(vec![Refusal {
            row: 1,
            reason: "Some of these transactions were published by another import at the same moment: upload the file again to see which".into(),
        }])),
        Err(e) => Err(e),
    }
}
