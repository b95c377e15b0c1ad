//! `commissioner crimedata …`: fetching, importing and reporting police open data, with progress
//! bars when run at a terminal.

use super::*;

pub(super) async fn crimedata_fetch(
    settings: Settings,
    month: String,
    forces: Vec<String>,
    again: bool,
    max_bad_share: f64,
) -> anyhow::Result<ExitCode> {
    let progress = crimedata::import::Progress::default();
    let (bar, ticker) = byte_progress_bar(&progress, "downloaded")?;
    let dir = crimedata::fetch::archive_dir(&settings.data_dir);
    let archive = crimedata::fetch::download(&settings.police_data_url, &month, &dir, again, &progress).await;
    ticker.abort();
    bar.finish_and_clear();
    let archive = archive?;
    println!("Archive kept at {}", archive.display());
    let options = crimedata::import::ImportOptions { max_bad_share, month: Some(month), forces, run_id: None };
    crimedata_import(settings, vec![archive], options).await
}

/// A progress bar of bytes with a rows-per-second message, redrawn every 100 ms from `progress`.
pub(super) fn byte_progress_bar(
    progress: &crimedata::import::Progress,
    verb: &'static str,
) -> anyhow::Result<(indicatif::ProgressBar, tokio::task::JoinHandle<()>)> {
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}")
            .map_err(|e| anyhow::anyhow!("{e}"))?,
    );
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let started = std::time::Instant::now();
    let ticker = {
        let (bar, progress) = (bar.clone(), progress.clone());
        tokio::spawn(async move {
            loop {
                use std::sync::atomic::Ordering;
                bar.set_length(progress.bytes_total.load(Ordering::Relaxed));
                bar.set_position(progress.bytes_read.load(Ordering::Relaxed));
                let rows = progress.rows_read.load(Ordering::Relaxed);
                if rows == 0 {
                    bar.set_message(verb);
                } else {
                    let rate = rows as f64 / started.elapsed().as_secs_f64().max(0.001);
                    bar.set_message(format!("{rows} rows, {rate:.0} rows/s"));
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        })
    };
    Ok((bar, ticker))
}

pub(super) async fn crimedata_import(
    settings: Settings,
    paths: Vec<PathBuf>,
    options: crimedata::import::ImportOptions,
) -> anyhow::Result<ExitCode> {
    let max_bad_share = options.max_bad_share;
    anyhow::ensure!((0.0..=1.0).contains(&max_bad_share), "--max-bad-share is a share between 0 and 1, like 0.01 for 1%");
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &crate::migrators()).await?;
    let progress = crimedata::import::Progress::default();
    let (bar, ticker) = byte_progress_bar(&progress, "read")?;
    let started = std::time::Instant::now();
    let actor = platform::audit::Actor::system("crimedata import");
    let result = crimedata::import::import(&pool, &paths, options, &progress, &actor).await;
    ticker.abort();
    bar.finish_and_clear();
    let report = result?;
    let seconds = started.elapsed().as_secs_f64();
    for problem in &report.problems {
        eprintln!("  {problem}");
    }
    for landed in &report.landed {
        println!(
            "Imported {} {} {}: {} rows ({} without a location)",
            landed.force,
            landed.month,
            landed.kind.slug(),
            landed.rows,
            landed.no_location
        );
    }
    println!(
        "{} files, {} rows read in {seconds:.1} s ({:.0} rows/s), {} bad, {} force-months imported.",
        report.files,
        report.rows_read,
        report.rows_read as f64 / seconds.max(0.001),
        report.rows_bad,
        report.landed.len()
    );
    Ok(if report.landed.is_empty() && !report.problems.is_empty() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

pub(super) async fn crimedata_geography(settings: Settings, paths: Vec<PathBuf>) -> anyhow::Result<ExitCode> {
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &crate::migrators()).await?;
    let spinner = indicatif::ProgressBar::new_spinner();
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        spinner.enable_steady_tick(std::time::Duration::from_millis(100));
        spinner.set_message("reading geography files…");
    } else {
        spinner.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let report = crimedata::geography::import(&pool, &paths, &platform::audit::Actor::system("crimedata import-geography")).await;
    spinner.finish_and_clear();
    let report = report?;
    for problem in &report.problems {
        eprintln!("  {problem}");
    }
    println!("{} geography files read, {} LSOA rows merged.", report.files, report.lsoas);
    Ok(if report.files == 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

pub(super) async fn crimedata_harm(
    settings: Settings,
    file: PathBuf,
    name: String,
    source: String,
    vintage: String,
) -> anyhow::Result<ExitCode> {
    for (flag, value) in [("--name", &name), ("--source", &source), ("--vintage", &vintage)] {
        anyhow::ensure!(!value.trim().is_empty(), "{flag} cannot be empty: every figure names its table, source and vintage");
    }
    let text = std::fs::read_to_string(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let weights = match crimedata::harm::parse_weights(&text) {
        Ok(weights) => weights,
        Err(problems) => {
            for problem in problems {
                eprintln!("  {}, {problem}", file.display());
            }
            eprintln!("Nothing was imported.");
            return Ok(ExitCode::FAILURE);
        }
    };
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &crate::migrators()).await?;
    let table = crimedata::harm::HarmTable { name, source, vintage, weights };
    crimedata::harm::store(&pool, &table, &platform::audit::Actor::system("crimedata import-harm-weights")).await?;
    println!("Imported {} weights as \"{}\" ({}, {}).", table.weights.len(), table.name, table.source, table.vintage);
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn crimedata_generate(options: crimedata::generate::GenerateOptions) -> anyhow::Result<ExitCode> {
    anyhow::ensure!((1..=240).contains(&options.months), "--months is between 1 and 240");
    let rows = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let bar = indicatif::ProgressBar::new_spinner();
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.enable_steady_tick(std::time::Duration::from_millis(100));
    } else {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let started = std::time::Instant::now();
    let ticker = {
        let (bar, rows) = (bar.clone(), rows.clone());
        tokio::spawn(async move {
            loop {
                let n = rows.load(std::sync::atomic::Ordering::Relaxed);
                let rate = n as f64 / started.elapsed().as_secs_f64().max(0.001);
                bar.set_message(format!("{n} rows written, {rate:.0} rows/s"));
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        })
    };
    let out = options.out.clone();
    let result = tokio::task::spawn_blocking(move || crimedata::generate::generate(&options, &rows)).await?;
    ticker.abort();
    bar.finish_and_clear();
    let generated = result?;
    println!(
        "Wrote {} files to {} in {:.1} s: {} street rows, {} outcome rows, {} searches; {} step changes in ground-truth.csv.",
        generated.files,
        out.display(),
        started.elapsed().as_secs_f64(),
        generated.street_rows,
        generated.outcome_rows,
        generated.stop_rows,
        generated.step_changes
    );
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn crimedata_report(
    settings: Settings,
    format: ReportFormat,
    output: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &crate::migrators()).await?;
    let started = std::time::Instant::now();
    let cube = crimedata::report::Cube::load(&pool).await?;
    let loaded = started.elapsed();
    let started = std::time::Instant::now();
    let reports = cube.report();
    let computed = started.elapsed();
    let text = match format {
        ReportFormat::Csv => crimedata::report::to_csv(&reports),
        ReportFormat::Json => serde_json::to_string_pretty(&reports)?,
    };
    match output {
        Some(path) => std::fs::write(&path, text)?,
        None => print!("{text}"),
    }
    // The server keeps the cube between requests; the command line shows both costs.
    eprintln!(
        "{} districts: counts read in {} ms, report computed in {:.1} ms.",
        reports.len(),
        loaded.as_millis(),
        computed.as_secs_f64() * 1000.0
    );
    Ok(ExitCode::SUCCESS)
}
