//! The spending benchmark's driver, run by `scripts/bench transparency`.
//!
//!   spend_import DATABASE_URL FILE   migrates an empty database, saves the column mapping for
//!       FILE's headers, then imports FILE through the product's own import (every row checked,
//!       individuals redacted, all in one transaction). Progress goes to stderr; the last line on
//!       stdout is: rows imported, rows redacted, seconds reading and checking, seconds writing.

use std::io::Write as _;
use std::time::Instant;

use platform::audit::Actor;
use time::OffsetDateTime;
use transparency::spend::{self, Mapping};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, file] = args.as_slice() else {
        anyhow::bail!("usage: spend_import DATABASE_URL FILE");
    };
    let settings = platform::config::Settings { database_url: url.clone(), ..Default::default() };
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &commissioner::migrators()).await?;
    let actor = Actor::system("benchmark");
    let now = OffsetDateTime::now_utc();
    let started = Instant::now();
    let bytes = std::fs::read(file)?;
    let mapping = Mapping::guess(&spend::headers(&bytes)?);
    let mut tx = platform::db::begin_write(&pool).await?;
    transparency::store::save_mapping(&mut tx, &mapping, &actor, now).await?;
    tx.commit().await?;
    let mut written_at = None;
    let outcome = transparency::spending::import(&pool, (&bytes, "benchmark.csv"), &mapping, &actor, now, |done| {
        if written_at.is_none() {
            written_at = Some(Instant::now());
        }
        if done % 50_000 == 0 {
            eprint!("\r  written {done} rows");
            let _ = std::io::stderr().flush();
        }
    })
    .await?;
    eprintln!();
    let total = started.elapsed().as_secs_f64();
    let writing = written_at.map(|w| w.elapsed().as_secs_f64()).unwrap_or(0.0);
    match outcome {
        transparency::spending::Outcome::Imported { rows, redacted, .. } => {
            println!("{rows} {redacted} {:.2} {:.2}", total - writing, writing);
            Ok(())
        }
        other => anyhow::bail!("the file was not imported: {other:?}"),
    }
}
