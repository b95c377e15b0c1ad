//! Building the application and serving it until a shutdown signal.

use axum::Router;
use platform::access::{Access, Role, Routes};
use platform::config::Settings;
use platform::jobs::{self, Registry};
use platform::web::{self, NavItem, Platform};
use time::OffsetDateTime;
use tokio::net::TcpListener;

/// The service navigation, in order; each person sees the links their role may follow.
pub fn navigation() -> Vec<NavItem> {
    vec![
        NavItem::new("/", "Home"),
        NavItem::new("/contact", "Contact us"),
        NavItem::for_staff("/staff", "Staff home", Access::Staff),
        NavItem::new("/crime", "Crime in your area"),
        NavItem::new("/asb-case-review", "ASB case review"),
        NavItem::new("/police-complaint-review", "Complaint reviews"),
        NavItem::new("/disclosure-log", "Disclosure log"),
        NavItem::for_staff("/staff/messages", "Messages from the public", Access::Roles(correspondence::READERS)),
        NavItem::for_staff("/staff/asb-case-reviews", "ASB case reviews", Access::Roles(casework::CASE_READERS)),
        NavItem::for_staff(
            "/staff/complaint-reviews",
            "Police complaint reviews",
            Access::Roles(casework::complaints::scope::CASE_READERS),
        ),
        NavItem::for_staff(
            "/staff/information-requests",
            "Information requests",
            Access::Roles(casework::information::staff::HANDLERS),
        ),
        NavItem::for_staff("/staff/crime-data", "Police data", Access::Roles(crimedata::staff::MANAGERS)),
        NavItem::for_staff("/staff/admin/users", "Staff accounts", Access::Roles(&[Role::Administrator])),
        NavItem::for_staff("/staff/admin/audit", "Audit log", Access::Roles(&[Role::Administrator])),
        NavItem::for_staff("/staff/admin/jobs", "Background jobs", Access::Roles(&[Role::Administrator])),
    ]
}

/// What each kind of background job does.
pub fn job_registry(settings: Settings) -> Registry {
    let mail_settings = settings.clone();
    let reminder_settings = settings.clone();
    let fetch_settings = settings.clone();
    let collect_settings = settings.clone();
    let reset_settings = settings.clone();
    Registry::new()
        .register(crimedata::fetch::JOB, move |pool, payload| {
            crimedata::fetch::run_job(pool, fetch_settings.police_data_url.clone(), fetch_settings.data_dir.clone(), payload)
        })
        .register(platform::mail::SEND_MAIL, move |pool, payload| platform::mail::send_job(pool, mail_settings.clone(), payload))
        .register(casework::reminders::TASK, move |pool, _| {
            let settings = reminder_settings.clone();
            async move {
                let sent =
                    casework::reminders::run(&pool, &settings, OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
                tracing::info!(sent, "casework reminders queued");
                Ok(())
            }
        })
        .register(casework::asb::retention::TASK, |pool, _| async move {
            let removed = casework::asb::retention::run(&pool, OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
            tracing::info!(removed, "ASB case reviews past their retention period anonymised");
            Ok(())
        })
        .register(platform::auth::reset::REQUEST_JOB, move |pool, payload| {
            platform::auth::reset::request_job(pool, reset_settings.clone(), payload)
        })
        .register(platform::files::COLLECT_FILES, move |pool, _| {
            let settings = collect_settings.clone();
            async move {
                let storage = platform::files::Storage::from_settings(&settings)?;
                let deleted =
                    platform::files::collect_orphans(&pool, &storage, time::Duration::ZERO).await.map_err(|e| e.to_string())?;
                tracing::info!(deleted, "stored contents no record holds deleted");
                Ok(())
            }
        })
        .register(jobs::HOUSEKEEPING, move |pool, payload| {
            let settings = settings.clone();
            async move {
                jobs::housekeeping(pool.clone(), payload).await?;
                casework::tracker::sweep_failures(&pool, OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
                casework::drafts::sweep_abandoned(&pool, OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())?;
                // Partial uploads of a process that died; a day is far longer than any upload.
                let storage = platform::files::Storage::from_settings(&settings)?;
                storage.sweep_abandoned(std::time::Duration::from_secs(24 * 3600)).map_err(|e| e.to_string())?;
                // Contents no record holds: noted ones, then any stored before noting began (a
                // day old at least, so an upload between storing and recording is left alone).
                platform::files::collect_orphans(&pool, &storage, time::Duration::ZERO).await.map_err(|e| e.to_string())?;
                platform::files::collect_unreferenced(&pool, &storage, std::time::Duration::from_secs(24 * 3600))
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            }
        })
}

/// Tasks the scheduler enqueues once a day.
pub const DAILY_TASKS: &[&str] = &[jobs::HOUSEKEEPING, casework::reminders::TASK, casework::asb::retention::TASK];

/// Every route of every capability, each with its access rule.
pub fn routes() -> Routes {
    Routes::new()
        .merge(crate::pages::routes())
        .merge(correspondence::routes())
        .merge(casework::routes())
        .merge(crimedata::routes())
        .merge(platform::auth::pages::routes())
        .merge(web::platform_routes())
}

/// The whole application as one router.
pub fn app(platform: Platform) -> Router {
    let (router, _) = routes().into_parts();
    web::finish(router, platform)
}

/// Opens the pool, runs migrations and returns the ready state. Waits for the database at start
/// (with a clear message) because migrations must run before the first request.
pub async fn prepare(settings: Settings) -> anyhow::Result<Platform> {
    let pool = platform::db::connect_lazy(&settings)?;
    let report = platform::db::migrate(&pool, &crate::migrators()).await?;
    if !report.applied_now.is_empty() {
        tracing::info!(applied = ?report.applied_now, "database migrated");
    }
    let (_, policy) = routes().into_parts();
    let storage = platform::files::Storage::from_settings(&settings).map_err(anyhow::Error::msg)?;
    // Uploads cut off by a crash leave temporary files; none can be in progress an hour later.
    if let Ok(removed) = storage.sweep_abandoned(std::time::Duration::from_secs(3600))
        && removed > 0
    {
        tracing::info!(removed, "removed abandoned partial uploads");
    }
    let secrets = platform::auth::secrets::SecretsKey::load_or_create(&settings).map_err(anyhow::Error::msg)?;
    let sealed = platform::auth::store::seal_plain_totp_secrets(&pool, &secrets).await?;
    if sealed > 0 {
        tracing::info!(sealed, "second-factor secrets sealed with the key outside the database");
    }
    Ok(Platform::new(pool, settings, navigation(), policy, storage, secrets))
}

/// Serves until SIGTERM or Ctrl-C, then stops taking new connections and lets in-flight requests
/// finish (up to the configured grace period).
pub async fn serve(listener: TcpListener, platform: Platform) -> anyhow::Result<()> {
    let grace = web::shutdown_grace(platform.settings());
    let pool = platform.pool().clone();
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let background = platform.settings().run_worker.then(|| {
        let registry = job_registry(platform.settings().clone());
        let worker = tokio::spawn(jobs::work(pool.clone(), registry, stop_rx.clone(), std::time::Duration::from_millis(500)));
        let scheduler = tokio::spawn(jobs::schedule(pool.clone(), DAILY_TASKS.to_vec(), stop_rx));
        (worker, scheduler)
    });
    let settings = platform.settings().clone();
    let app = app(platform);
    let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
    let server = async move {
        web::serve::serve(listener, app, &settings, async move {
            shutdown_signal().await;
            tracing::info!("shutdown signal received; finishing requests in flight");
            let _ = signalled_tx.send(());
        })
        .await
        .map_err(anyhow::Error::from)
    };
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => result?,
        _ = async {
            let _ = signalled_rx.await;
            tokio::time::sleep(grace).await;
        } => {
            tracing::warn!(grace_secs = grace.as_secs(), "requests still running after the grace period; stopping");
        }
    }
    // The worker finishes the job in hand; a job cut off by the grace period is taken up again
    // by a worker after its lease lapses, so nothing is lost.
    let _ = stop_tx.send(true);
    if let Some((worker, scheduler)) = background {
        let _ = tokio::time::timeout(grace, worker).await;
        scheduler.abort();
    }
    pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
