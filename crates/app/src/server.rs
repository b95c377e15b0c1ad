//! Building the application and serving it until a shutdown signal.

use axum::Router;
use platform::access::Routes;
use platform::config::Settings;
use platform::jobs::{self, Registry};
use platform::web::{self, NavItem, Platform};
use time::OffsetDateTime;
use tokio::net::TcpListener;

/// The service navigation, in order; each person sees the links their role may follow.
pub fn navigation() -> Vec<NavItem> {
    crate::capabilities().navigation()
}

/// The case services, registered with the case kit.
pub fn services() -> casekit::Services {
    crate::services()
}

/// What each kind of background job does: every capability's, and the daily housekeeping that
/// runs each capability's part of it.
pub fn job_registry(settings: Settings) -> Registry {
    let capabilities = std::sync::Arc::new(crate::capabilities());
    let registry = capabilities.jobs(&settings, Registry::new());
    registry.register(jobs::HOUSEKEEPING, move |pool, payload| {
        let (settings, capabilities) = (settings.clone(), capabilities.clone());
        async move {
            jobs::housekeeping(pool.clone(), payload).await?;
            capabilities.housekeeping(&pool, &settings, OffsetDateTime::now_utc()).await.map_err(|e| e.to_string())
        }
    })
}

/// Tasks the scheduler enqueues once a day.
pub fn daily_tasks() -> Vec<&'static str> {
    crate::capabilities().daily_tasks()
}

/// Every route of every capability, each with its access rule.
pub fn routes() -> Routes {
    crate::capabilities().routes()
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
    let work = std::sync::Arc::new(casekit::work::Work(services()));
    Ok(Platform::new(pool, settings, navigation(), policy, storage, secrets)
        .with_staff_work(work)
        .with_yearly_figures(crate::capabilities().yearly_figures()))
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
        let scheduler = tokio::spawn(jobs::schedule(pool.clone(), daily_tasks(), stop_rx));
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
