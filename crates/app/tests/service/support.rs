//! `TestApp`: a server of our own for each test, on its own database.

use std::net::SocketAddr;
use std::path::PathBuf;

use platform::config::Settings;
use platform::db::Pool;
use tempfile::TempDir;

/// Which database the suite runs on this time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestDatabase {
    Sqlite,
    Postgres,
}

pub fn test_database() -> TestDatabase {
    match std::env::var("TEST_DATABASE").as_deref() {
        Ok("postgres") => TestDatabase::Postgres,
        _ => TestDatabase::Sqlite,
    }
}

/// The PostgreSQL server's maintenance database, from which test databases are made.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Makes an empty PostgreSQL database named for this run (scripts/test drops them afterwards)
/// and returns its URL.
pub async fn fresh_postgres_database() -> String {
    sqlx::any::install_default_drivers();
    let admin = postgres_admin_url();
    let run = std::env::var("TEST_RUN_ID").unwrap_or_else(|_| "local".into());
    let name = format!("commissioner_test_{run}_{}", &platform::ids::new_id()[..12]);
    let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.expect("PostgreSQL reachable for tests");
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.expect("create test database");
    let base = admin.rsplit_once('/').map(|(base, _)| base).expect("URL has a database");
    format!("{base}/{name}")
}

pub struct TestApp {
    pub address: SocketAddr,
    pub pool: Pool,
    pub client: reqwest::Client,
    pub data_dir: PathBuf,
    _data: TempDir,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub struct TestAppBuilder {
    demo: bool,
    database_url: Option<String>,
}

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder { demo: true, database_url: None }
    }

    /// A server with the demo office, on this run's database.
    pub async fn spawn() -> TestApp {
        Self::builder().spawn().await
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request sent")
    }

    pub async fn get_page(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.client.post(self.url(path)).form(fields).send().await.expect("request sent")
    }
}

impl TestAppBuilder {
    pub fn without_demo(mut self) -> Self {
        self.demo = false;
        self
    }

    /// Points the server at a given database, e.g. through a proxy that can be cut.
    pub fn database_url(mut self, url: String) -> Self {
        self.database_url = Some(url);
        self
    }

    pub async fn spawn(self) -> TestApp {
        let data = tempfile::tempdir().expect("temp dir");
        let database_url = match (self.database_url, test_database()) {
            (Some(url), _) => url,
            (None, TestDatabase::Sqlite) => String::new(),
            (None, TestDatabase::Postgres) => fresh_postgres_database().await,
        };
        let settings = Settings {
            data_dir: data.path().to_path_buf(),
            database_url,
            database_acquire_timeout_secs: 2,
            log_format: "json".into(),
            shutdown_grace_secs: 5,
            ..Settings::default()
        };
        let platform = commissioner::server::prepare(settings).await.expect("server prepared");
        if self.demo {
            commissioner::demo::seed(platform.pool(), time::OffsetDateTime::now_utc()).await.expect("demo seeded");
        }
        let pool = platform.pool().clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let server = tokio::spawn(async move {
            let _ = commissioner::server::serve(listener, platform).await;
        });
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        TestApp { address, pool, client, data_dir: data.path().to_path_buf(), _data: data, server }
    }
}

/// Pulls the text of the first element with a class from a page: enough to read a reference
/// number or a heading without an HTML parser.
pub fn text_of_class(html: &str, class: &str) -> Option<String> {
    let marker = format!("class=\"{class}\"");
    let start = html.find(&marker)?;
    let after = &html[start..];
    let open_end = after.find('>')? + 1;
    let close = after[open_end..].find('<')?;
    Some(after[open_end..open_end + close].trim().to_string())
}
