//! The ASB Case Review submission benchmark, driven by `scripts/bench`.
//!
//!   asb_submissions journey URL SECONDS CONCURRENCY
//!     Runs whole applications against a running server (start, every question page, three
//!     incidents, check answers, send: 15 requests, no attachments) from CONCURRENCY clients
//!     for SECONDS, and prints "applications/s requests/s".
//!   asb_submissions reference DATABASE_URL SECONDS CONCURRENCY
//!     The database's share of that work, with no HTTP, templates or rules: per application the
//!     same 15 transactions the service commits (a draft row written once per page, then one
//!     transaction with the application, three incidents, an audit row, an outbox row and a
//!     job row), printed as "applications/s".

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(target), Some(seconds), Some(concurrency)) = (args.get(1), args.get(2), args.get(3), args.get(4))
    else {
        anyhow::bail!("usage: asb_submissions journey|reference URL SECONDS CONCURRENCY");
    };
    let seconds: u64 = seconds.parse()?;
    let concurrency: usize = concurrency.parse()?;
    match mode.as_str() {
        "journey" => journey(target, seconds, concurrency).await,
        "reference" => reference(target, seconds, concurrency).await,
        other => anyhow::bail!("unknown mode {other}"),
    }
}

fn date_fields(prefix: &str, days_ago: i64) -> Vec<(String, String)> {
    let date = time::OffsetDateTime::now_utc().date() - time::Duration::days(days_ago);
    vec![
        (format!("{prefix}-day"), date.day().to_string()),
        (format!("{prefix}-month"), u8::from(date.month()).to_string()),
        (format!("{prefix}-year"), date.year().to_string()),
    ]
}

/// One whole application; returns the number of requests it took.
async fn one_application(client: &reqwest::Client, base: &str) -> anyhow::Result<u64> {
    // Each application is a browser of its own: its draft opens only with its key (cookie).
    let cookie = format!("commissioner_visitor={}", platform::auth::store::new_token());
    let post = |path: String, fields: Vec<(String, String)>| {
        let request = client.post(format!("{base}{path}")).header("cookie", &cookie).form(&fields);
        async move {
            let response = request.send().await?;
            anyhow::ensure!(response.status() == 303, "{path}: {}", response.status());
            Ok::<String, anyhow::Error>(response.headers()["location"].to_str()?.to_string())
        }
    };
    let to = |pairs: &[(&str, &str)]| pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
    let first = post("/asb-case-review/apply".into(), Vec::new()).await?;
    let draft = first.trim_end_matches("/applicant").to_string();
    let mut requests = 1;
    for (page, fields) in [
        ("applicant", to(&[("applying-as", "victim")])),
        ("victim", to(&[("victim-kind", "person"), ("victim-name", "Bench Resident")])),
        ("location", to(&[("district", "stafford"), ("location-postcode", "ST16 2DJ")])),
    ] {
        post(format!("{draft}/{page}"), fields).await?;
        requests += 1;
    }
    for (occurred, reported, agency) in [(40, 39, "police"), (25, 24, "council"), (10, 10, "housing")] {
        let mut fields = date_fields("occurred", occurred);
        fields.extend(date_fields("reported", reported));
        fields.extend(to(&[("reported-to", agency), ("description", "Shouting and banging on the door late at night")]));
        post(format!("{draft}/incidents/new"), fields).await?;
        requests += 1;
    }
    for (page, fields) in [
        ("incidents", to(&[("add-another", "no")])),
        ("continuing", to(&[("continuing", "yes")])),
        ("hate", to(&[("hate", "no")])),
        ("contact", to(&[("full-name", "Bench Resident"), ("contact-method", "email"), ("email", "bench@example.com")])),
        ("needs", to(&[("needs", "")])),
        ("evidence", to(&[("action", "continue")])),
        ("consent", to(&[("consent", "yes")])),
        ("check", Vec::new()),
    ] {
        post(format!("{draft}/{page}"), fields).await?;
        requests += 1;
    }
    Ok(requests)
}

async fn journey(base: &str, seconds: u64, concurrency: usize) -> anyhow::Result<()> {
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).pool_max_idle_per_host(concurrency).build()?;
    // Warm up: connections, caches, the first page of each kind.
    one_application(&client, base).await?;
    let applications = Arc::new(AtomicU64::new(0));
    let requests = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (client, base, applications, requests) = (client.clone(), base.to_string(), applications.clone(), requests.clone());
        workers.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let n = one_application(&client, &base).await?;
                applications.fetch_add(1, Ordering::Relaxed);
                requests.fetch_add(n, Ordering::Relaxed);
            }
            Ok::<(), anyhow::Error>(())
        }));
    }
    for worker in workers {
        worker.await??;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{:.1} {:.0}",
        applications.load(Ordering::Relaxed) as f64 / elapsed,
        requests.load(Ordering::Relaxed) as f64 / elapsed
    );
    Ok(())
}

async fn reference(url: &str, seconds: u64, concurrency: usize) -> anyhow::Result<()> {
    // The product's own pool settings (WAL, the same `synchronous` as the server, which reads
    // COMMISSIONER_SQLITE_SYNCHRONOUS too, and a busy timeout on SQLite), so the comparison is of
    // the work done, not of the configuration.
    let settings = platform::config::Settings {
        database_url: url.to_string(),
        database_max_connections: u32::try_from(concurrency)?,
        sqlite_synchronous: std::env::var("COMMISSIONER_SQLITE_SYNCHRONOUS").unwrap_or_else(|_| "full".into()),
        ..Default::default()
    };
    let pool = platform::db::connect_lazy(&settings)?;
    sqlx::raw_sql(
        "DROP TABLE IF EXISTS bench_reference_row; DROP TABLE IF EXISTS bench_reference_draft; \
         CREATE TABLE bench_reference_draft (id TEXT PRIMARY KEY, answers TEXT NOT NULL, updated_at TEXT NOT NULL); \
         CREATE TABLE bench_reference_row (id TEXT PRIMARY KEY, kind TEXT NOT NULL, owner TEXT NOT NULL, body TEXT NOT NULL)",
    )
    .execute(&pool)
    .await?;
    // About the size of a complete draft's JSON, and of an application row.
    let answers = "x".repeat(1200);
    let done = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency {
        let (pool, answers, done) = (pool.clone(), answers.clone(), done.clone());
        workers.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let draft = platform::ids::new_id();
                let now = platform::db::timestamp(time::OffsetDateTime::now_utc());
                sqlx::query("INSERT INTO bench_reference_draft (id, answers, updated_at) VALUES ($1, '{}', $2)")
                    .bind(&draft)
                    .bind(&now)
                    .execute(&pool)
                    .await?;
                // One write per answered page: 13 pages between the start and the send.
                for page in 0..13 {
                    sqlx::query("UPDATE bench_reference_draft SET answers = $1, updated_at = $2 WHERE id = $3")
                        .bind(&answers[..(page + 1) * 90])
                        .bind(&now)
                        .bind(&draft)
                        .execute(&pool)
                        .await?;
                }
                let mut tx = pool.begin().await?;
                for (kind, size) in [
                    ("application", 600),
                    ("incident", 120),
                    ("incident", 120),
                    ("incident", 120),
                    ("audit", 200),
                    ("outbox", 800),
                    ("job", 60),
                ] {
                    sqlx::query("INSERT INTO bench_reference_row (id, kind, owner, body) VALUES ($1, $2, $3, $4)")
                        .bind(platform::ids::new_id())
                        .bind(kind)
                        .bind(&draft)
                        .bind(&answers[..size])
                        .execute(&mut *tx)
                        .await?;
                }
                sqlx::query("UPDATE bench_reference_draft SET updated_at = $1 WHERE id = $2")
                    .bind(&now)
                    .bind(&draft)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<(), sqlx::Error>(())
        }));
    }
    for worker in workers {
        worker.await??;
    }
    println!("{:.1}", done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64());
    sqlx::raw_sql("DROP TABLE bench_reference_row; DROP TABLE bench_reference_draft").execute(&pool).await?;
    Ok(())
}
