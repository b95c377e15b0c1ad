//! The database going away and coming back, through a TCP proxy the test can cut.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::support::{TestApp, TestDatabase, fresh_postgres_database, test_database};

/// Forwards connections to PostgreSQL until cut; while cut, it drops every open connection
/// and refuses new ones, as a database host that has gone down would.
struct CuttableProxy {
    address: SocketAddr,
    up: Arc<AtomicBool>,
    connections: Arc<Mutex<Vec<JoinHandle<()>>>>,
    _accept: JoinHandle<()>,
}

impl CuttableProxy {
    async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let address = listener.local_addr().expect("address");
        let up = Arc::new(AtomicBool::new(true));
        let connections: Arc<Mutex<Vec<JoinHandle<()>>>> = Arc::default();
        let accept = {
            let up = up.clone();
            let connections = connections.clone();
            tokio::spawn(async move {
                while let Ok((mut client, _)) = listener.accept().await {
                    if !up.load(Ordering::SeqCst) {
                        drop(client);
                        continue;
                    }
                    let handle = tokio::spawn(async move {
                        if let Ok(mut server) = TcpStream::connect(upstream).await {
                            let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                        }
                    });
                    connections.lock().await.push(handle);
                }
            })
        };
        Self { address, up, connections, _accept: accept }
    }

    async fn cut(&self) {
        self.up.store(false, Ordering::SeqCst);
        for handle in self.connections.lock().await.drain(..) {
            handle.abort();
        }
    }

    fn restore(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

#[tokio::test]
async fn a_database_outage_shows_the_503_page_and_the_server_recovers_by_itself() {
    if test_database() != TestDatabase::Postgres {
        eprintln!("skipped on SQLite: an embedded database cannot be cut off; this runs in the PostgreSQL pass");
        return;
    }
    let direct = fresh_postgres_database().await;
    let (before_host, after_host) = direct.split_once("@").expect("URL with host");
    let host_and_db = after_host;
    let (host_port, database) = host_and_db.split_once('/').expect("database name");
    let upstream: SocketAddr = tokio::net::lookup_host(host_port).await.expect("resolve").next().expect("an address");
    let proxy = CuttableProxy::start(upstream).await;
    let proxied = format!("{before_host}@{}/{database}", proxy.address);
    let app = TestApp::builder().database_url(proxied).spawn().await;

    assert_eq!(app.get("/").await.status(), 200);

    proxy.cut().await;
    let (status, html) = app.get_page("/").await;
    assert_eq!(status, 503);
    assert!(html.contains("Sorry, the service is unavailable"), "{html}");
    assert!(html.contains("Staffordshire Commissioner’s Office"), "the last known office name is kept");
    let health = app.get("/healthz").await;
    assert_eq!(health.status(), 503);
    let submit = app
        .post_form(
            "/contact",
            &[("full-name", "Sam"), ("contact-method", "email"), ("email", "sam@example.com"), ("message", "Hello")],
        )
        .await;
    assert_eq!(submit.status(), 503, "a form sent during an outage is refused plainly, not half-stored");
    assert!(submit.headers().contains_key("retry-after"));

    proxy.restore();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if app.get("/").await.status() == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "server did not recover within 30 seconds of the database returning");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// A fault in the program (a letter kind nobody defined) is a 500 with its cause logged, not the
/// "service unavailable" page that tells people to come back later: only a real outage is that.
#[tokio::test]
async fn a_letter_kind_that_does_not_exist_is_a_fault_not_an_outage() {
    use axum::response::IntoResponse;
    let app = TestApp::builder().without_demo().spawn().await;
    let error = casekit::letters::compose(&app.pool, &casework::asb::letters::KINDS, "no-such-letter", &[])
        .await
        .expect_err("no such kind");
    assert!(matches!(error, platform::db::StoreError::Fault(_)), "{error:?}");
    let response = platform::AppError::from(error).into_response();
    assert_eq!(response.status(), 500);
    assert!(response.headers().get("retry-after").is_none(), "no promise that it will work later");
    // A real letter kind composes.
    let letter =
        casekit::letters::compose(&app.pool, &casework::asb::letters::KINDS, "appeal-decision", &[]).await.expect("a real kind");
    assert!(!letter.subject.is_empty());
}

/// A case whose stage the code does not know (a bad import, a hand edit) is a fault, shown as
/// a 500 with the cause logged, never quietly read as "received" and worked on as such.
#[tokio::test]
async fn a_case_at_a_stage_nobody_knows_is_a_fault_not_a_guess() {
    let app = TestApp::spawn().await;
    crate::support::with_demo_cases(&app).await;
    let (caseworker, _) = app.signed_in(platform::access::Role::Caseworker).await;
    for (table, page) in
        [("casework_asb_application", "/staff/asb-case-reviews"), ("casework_complaint_review", "/staff/complaint-reviews")]
    {
        let reference: String =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT reference FROM {table} ORDER BY reference LIMIT 1")))
                .fetch_one(&app.pool)
                .await
                .expect("a case");
        assert_eq!(caseworker.get(&format!("{page}/{reference}")).await.status(), 200);
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {table} SET stage = 'teleported' WHERE reference = $1")))
            .bind(&reference)
            .execute(&app.pool)
            .await
            .expect("broken");
        let response = caseworker.get(&format!("{page}/{reference}")).await;
        assert_eq!(response.status(), 500, "{table}");
        assert!(response.headers().get("retry-after").is_none(), "a fault, not an outage");
    }
}

/// A case whose received date or timescales cannot be read (a bad import, a hand edit) is a
/// fault too, on its page and in the queue, never a case "received" on a made-up day or judged
/// by default timescales.
#[tokio::test]
async fn a_case_with_an_unreadable_date_or_setting_is_a_fault_not_a_default() {
    let app = TestApp::spawn().await;
    crate::support::with_demo_cases(&app).await;
    let (administrator, _) = app.signed_in(platform::access::Role::Administrator).await;
    let breakages = [
        ("casework_asb_application", "/staff/asb-case-reviews", "received_on = 'soon'"),
        ("casework_asb_application", "/staff/asb-case-reviews", "threshold_rule = 'three strikes'"),
        ("casework_complaint_review", "/staff/complaint-reviews", "timescales = '{\"nonsense\": true'"),
        ("casework_complaint_review", "/staff/complaint-reviews", "outcome_given_on = '31/02/2026'"),
        ("casework_information_request", "/staff/information-requests", "received_on = ''"),
    ];
    for (table, queue, breakage) in breakages {
        let (reference, kept): (String, String) = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT reference, {column} FROM {table} WHERE closed_on IS NULL ORDER BY reference LIMIT 1",
            column = breakage.split(' ').next().expect("a column")
        )))
        .fetch_one(&app.pool)
        .await
        .expect("an open case");
        let page = format!("{queue}/{reference}");
        assert_eq!(administrator.get(&page).await.status(), 200, "{breakage}");
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {table} SET {breakage} WHERE reference = $1")))
            .bind(&reference)
            .execute(&app.pool)
            .await
            .expect("broken");
        for path in [page.as_str(), queue] {
            let response = administrator.get(path).await;
            assert_eq!(response.status(), 500, "{breakage} on {path}");
            assert!(response.headers().get("retry-after").is_none(), "a fault, not an outage");
        }
        let column = breakage.split(' ').next().expect("a column");
        sqlx::query(sqlx::AssertSqlSafe(format!("UPDATE {table} SET {column} = $1 WHERE reference = $2")))
            .bind(&kept)
            .bind(&reference)
            .execute(&app.pool)
            .await
            .expect("mended");
        assert_eq!(administrator.get(&page).await.status(), 200, "mended: {breakage}");
    }
}
