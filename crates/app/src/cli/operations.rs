//! The operator's commands: verifying the audit log, backups and restores, releasing held mail.

use super::*;

pub(super) async fn audit_verify(settings: Settings) -> anyhow::Result<ExitCode> {
    let pool = platform::db::connect_lazy(&settings)?;
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let report = platform::audit::verify(&pool, |checked| {
        if interactive {
            eprint!("\r  checked {checked} events…");
        }
    })
    .await?;
    if interactive {
        eprintln!();
    }
    match report {
        platform::audit::ChainReport::Intact { events } => {
            println!("Audit log intact: {events} events, every link checked.");
            Ok(ExitCode::SUCCESS)
        }
        platform::audit::ChainReport::Broken { seq, reason } => {
            println!("Audit log BROKEN at event {seq}: {reason}.");
            Ok(ExitCode::FAILURE)
        }
    }
}

pub(super) fn progress_line(interactive: bool) -> impl FnMut(&str) {
    move |what: &str| {
        if interactive {
            eprint!("\r\x1b[2K  {what}");
        }
    }
}

pub(super) async fn backup(settings: Settings, output: Option<PathBuf>, recipients: Vec<String>) -> anyhow::Result<ExitCode> {
    let recipients = platform::backup::parse_recipients(&recipients)?;
    let pool = platform::db::connect_lazy(&settings)?;
    let storage = platform::files::Storage::from_settings(&settings).map_err(anyhow::Error::msg)?;
    let output = output.unwrap_or_else(|| {
        let now = OffsetDateTime::now_utc();
        let age = if recipients.is_empty() { "" } else { ".age" };
        PathBuf::from(format!("commissioner-backup-{}.tar.gz{age}", platform::db::timestamp(now).replace([':', '.'], "-")))
    });
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let manifest = platform::backup::backup(&pool, &storage, &output, &recipients, progress_line(interactive)).await?;
    if interactive {
        eprintln!();
    }
    let rows: usize = manifest.tables.iter().map(|t| t.rows).sum();
    println!("Backed up {} tables ({rows} rows) and {} files to {}.", manifest.tables.len(), manifest.files, output.display());
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn mail_release(settings: Settings) -> anyhow::Result<ExitCode> {
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &crate::migrators()).await?;
    let released = platform::mail::release_held(&pool).await?;
    println!("{released} held emails queued to send.");
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn restore(settings: Settings, archive: PathBuf, identity: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &crate::migrators()).await?;
    let storage = platform::files::Storage::from_settings(&settings).map_err(anyhow::Error::msg)?;
    let known: Vec<i64> = platform::db::combined(&crate::migrators()).iter().map(|m| m.version).collect();
    let interactive = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let manifest =
        platform::backup::restore(&pool, &storage, &archive, identity.as_deref(), &known, progress_line(interactive)).await?;
    if interactive {
        eprintln!();
    }
    let rows: usize = manifest.tables.iter().map(|t| t.rows).sum();
    println!(
        "Restored {} tables ({rows} rows) and {} files from a backup made {}.",
        manifest.tables.len(),
        manifest.files,
        manifest.created_at
    );
    // A restore drill on a staging copy must not email the public: what was waiting is held.
    let held = platform::mail::hold_pending(&pool).await?;
    if held > 0 {
        println!(
            "{held} emails that were waiting to be sent are held. If this copy is now the live service, send them with `commissioner mail release`."
        );
    }
    match platform::audit::verify(&pool, |_| {}).await? {
        platform::audit::ChainReport::Intact { events } => println!("Audit log intact: {events} events."),
        platform::audit::ChainReport::Broken { seq, reason } => {
            println!("Warning: the restored audit log is broken at event {seq}: {reason}.")
        }
    }
    Ok(ExitCode::SUCCESS)
}
