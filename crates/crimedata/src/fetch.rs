//! `crimedata fetch`: downloads a month's archive from data.police.uk and imports the chosen
//! forces' files for that month. Police.uk keeps only the latest 36 months online, so every
//! archive fetched is kept in the data folder: a month can always be imported again.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use tokio::io::AsyncWriteExt;

use crate::import::Progress;

/// The archive's address: `{base}/data/archive/YYYY-MM.zip`.
pub fn archive_url(base: &str, month: &str) -> String {
    format!("{}/data/archive/{month}.zip", base.trim_end_matches('/'))
}

/// Where fetched archives are kept.
pub fn archive_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("police-archive")
}

/// Downloads the month's archive into `dir` (unless it is there already and `again` is false),
/// writing to a temporary name first so a cut-off download never passes for an archive.
pub async fn download(base: &str, month: &str, dir: &Path, again: bool, progress: &Progress) -> anyhow::Result<PathBuf> {
    crate::rows::check_month(month).map_err(|_| anyhow::anyhow!("the month {month:?} is not a month like 2026-09"))?;
    let target = dir.join(format!("{month}.zip"));
    if target.exists() && !again {
        return Ok(target);
    }
    tokio::fs::create_dir_all(dir).await?;
    let url = archive_url(base, month);
    let client = reqwest::Client::builder()
        .user_agent(concat!("Commissioner/", env!("CARGO_PKG_VERSION"), " (police open data import)"))
        .connect_timeout(std::time::Duration::from_secs(30))
        .build()?;
    let mut response = client.get(&url).send().await.map_err(|e| anyhow::anyhow!("cannot reach {url}: {e}"))?;
    match response.status() {
        status if status.is_success() => {}
        reqwest::StatusCode::NOT_FOUND => anyhow::bail!(
            "{url} does not exist: police.uk publishes a month about six weeks after it ends and keeps only the latest 36 months online"
        ),
        status => anyhow::bail!("{url} answered {status}"),
    }
    progress.bytes_total.store(response.content_length().unwrap_or(0), Ordering::Relaxed);
    let partial = dir.join(format!("{month}.zip.part"));
    let mut file = tokio::fs::File::create(&partial).await?;
    while let Some(chunk) = response.chunk().await.map_err(|e| anyhow::anyhow!("the download of {url} was cut off: {e}"))? {
        file.write_all(&chunk).await?;
        progress.bytes_read.fetch_add(chunk.len() as u64, Ordering::Relaxed);
    }
    file.sync_all().await?;
    drop(file);
    // A zip that does not open is a failed download, not an archive to keep.
    let check = partial.clone();
    let opened = tokio::task::spawn_blocking(move || -> anyhow::Result<usize> {
        Ok(zip::ZipArchive::new(std::fs::File::open(&check)?)?.len())
    })
    .await?;
    if let Err(error) = opened {
        let _ = tokio::fs::remove_file(&partial).await;
        anyhow::bail!("{url} did not give a zip archive ({error})");
    }
    tokio::fs::rename(&partial, &target).await?;
    Ok(target)
}

/// The background job a member of staff starts from the police data page.
pub const JOB: &str = "crimedata-fetch";

/// What the job is asked to fetch.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FetchRequest {
    pub month: String,
    pub forces: Vec<String>,
    pub requested_by: String,
}

/// Runs a fetch for the job queue. A download that fails is recorded as a failed import, so the
/// staff page says why; it is not retried, since a month police.uk has not published will not
/// appear by trying again within the hour.
pub async fn run_job(pool: platform::db::Pool, base: String, data_dir: PathBuf, payload: String) -> Result<(), String> {
    let request: FetchRequest = serde_json::from_str(&payload).map_err(|e| format!("not a fetch request: {e}"))?;
    let progress = Progress::default();
    let actor = platform::audit::Actor::system(&format!("crimedata fetch for {}", request.requested_by));
    let url = archive_url(&base, &request.month);
    // The run is on the staff page from the start, with the download's progress.
    let run_id = platform::ids::new_id();
    crate::import::start_run(&pool, &run_id, &url).await.map_err(|e| e.to_string())?;
    let reporter = crate::import::report_progress(pool.clone(), run_id.clone(), "downloading", progress.clone());
    let downloaded = download(&base, &request.month, &archive_dir(&data_dir), false, &progress).await;
    reporter.abort();
    match downloaded {
        Ok(archive) => {
            let options = crate::import::ImportOptions {
                month: Some(request.month.clone()),
                forces: request.forces.clone(),
                run_id: Some(run_id),
                ..Default::default()
            };
            let reading = Progress::default();
            crate::import::import(&pool, &[archive], options, &reading, &actor).await.map_err(|e| e.to_string())?;
            Ok(())
        }
        Err(error) => {
            sqlx::query(
                "UPDATE crimedata_import SET finished_at = $1, status = 'failed', stage = '', summary = $2, problems = $3 WHERE id = $4",
            )
            .bind(platform::db::timestamp(time::OffsetDateTime::now_utc()))
            .bind("Nothing imported: the archive could not be downloaded")
            .bind(error.to_string())
            .bind(&run_id)
            .execute(&pool)
            .await
            .map_err(|e| e.to_string())?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_address_follows_police_uk() {
        assert_eq!(archive_url("https://data.police.uk/", "2026-09"), "https://data.police.uk/data/archive/2026-09.zip");
        assert_eq!(archive_url("http://127.0.0.1:9000", "2025-01"), "http://127.0.0.1:9000/data/archive/2025-01.zip");
    }
}
