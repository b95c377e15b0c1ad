//! `TestApp`: a server of our own for each test, on its own database.

use std::net::SocketAddr;
use std::path::PathBuf;

use platform::access::Role;
use platform::audit::Actor;
use platform::auth::{store, totp};
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

/// The browser key every test request carries (as a browser keeps its cookie), so that the
/// public journeys' drafts open again; a request that sets its own cookie header replaces it.
pub const TEST_VISITOR_KEY: &str = "test-visitor-key-0000000001";

pub fn visitor_cookie(key: &str) -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::COOKIE,
        reqwest::header::HeaderValue::from_str(&format!("commissioner_visitor={key}")).expect("ascii"),
    );
    headers
}

pub struct TestApp {
    pub address: SocketAddr,
    pub pool: Pool,
    pub settings: platform::config::Settings,
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
    mail_transport: String,
    upload_max_bytes: Option<u64>,
    s3: Option<(String, String)>,
    police_data_url: Option<String>,
    background_work: bool,
    adjust: Vec<SettingChange>,
}

/// A change to the settings a test's server starts with.
type SettingChange = Box<dyn FnOnce(&mut Settings) + Send>;

impl TestApp {
    pub fn builder() -> TestAppBuilder {
        TestAppBuilder {
            demo: true,
            database_url: None,
            mail_transport: String::new(),
            upload_max_bytes: None,
            s3: None,
            police_data_url: None,
            background_work: true,
            adjust: Vec::new(),
        }
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

    /// One value the database holds, found by one parameter: what a test checks after a page
    /// or a task has acted.
    pub async fn value<T>(&self, sql: &'static str, parameter: &str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
    {
        let query = sqlx::query_scalar(sql).bind(parameter.to_string());
        query.fetch_one(&self.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// One value the database holds, found by a query without parameters.
    pub async fn one<T>(&self, sql: &'static str) -> T
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
    {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Every value a query without parameters finds, in its order.
    pub async fn all<T>(&self, sql: &'static str) -> Vec<T>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
    {
        sqlx::query_scalar(sql).fetch_all(&self.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// Every value the database holds for one parameter, in the query's order.
    pub async fn values<T>(&self, sql: &'static str, parameter: &str) -> Vec<T>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any> + Send + Unpin,
    {
        let query = sqlx::query_scalar(sql).bind(parameter.to_string());
        query.fetch_all(&self.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
    }

    /// The command line as an operator runs it against this server's data folder and database.
    /// Blocks: a test whose runtime also serves something the command calls must run it on a
    /// blocking thread.
    pub fn cli(&self, args: &[&str], extra_env: &[(&str, String)]) -> std::process::Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_commissioner"))
            .args(args)
            .env("COMMISSIONER_DATA_DIR", &self.data_dir)
            .env("DATABASE_URL", self.settings.effective_database_url())
            .envs(extra_env.iter().map(|(k, v)| (k, v)))
            .output()
            .expect("the command runs")
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

    /// Sends mail through this transport (e.g. a test SMTP server) instead of files.
    pub fn mail_transport(mut self, transport: String) -> Self {
        self.mail_transport = transport;
        self
    }

    /// Keeps files in an S3-compatible service at `endpoint`, in `bucket`.
    pub fn s3(mut self, endpoint: String, bucket: String) -> Self {
        self.s3 = Some((endpoint, bucket));
        self
    }

    pub fn police_data_url(mut self, url: String) -> Self {
        self.police_data_url = Some(url);
        self
    }
    /// No job worker and no daily scheduler: for tests that run a daily task themselves or
    /// compare the database at two moments, which a job run in between would upset.
    pub fn without_background_work(mut self) -> Self {
        self.background_work = false;
        self
    }

    /// Changes any setting before the server starts.
    pub fn setting(mut self, adjust: impl FnOnce(&mut Settings) + Send + 'static) -> Self {
        self.adjust.push(Box::new(adjust));
        self
    }

    pub fn upload_max_bytes(mut self, limit: u64) -> Self {
        self.upload_max_bytes = Some(limit);
        self
    }

    pub async fn spawn(self) -> TestApp {
        let data = tempfile::tempdir().expect("temp dir");
        let database_url = match (self.database_url, test_database()) {
            (Some(url), _) => url,
            (None, TestDatabase::Sqlite) => String::new(),
            (None, TestDatabase::Postgres) => fresh_postgres_database().await,
        };
        let mut settings = Settings {
            data_dir: data.path().to_path_buf(),
            database_url,
            database_acquire_timeout_secs: 2,
            log_format: "json".into(),
            shutdown_grace_secs: 5,
            // Argon2 at OWASP cost takes tens of milliseconds; tests sign in hundreds of times.
            password_hash_memory_kib: 1024,
            password_hash_iterations: 1,
            mail_transport: self.mail_transport,
            upload_max_bytes: self.upload_max_bytes.unwrap_or(128 * 1024 * 1024),
            file_storage: self.s3.as_ref().map(|(_, bucket)| format!("s3://{bucket}")).unwrap_or_default(),
            s3_endpoint: self.s3.as_ref().map(|(endpoint, _)| endpoint.clone()).unwrap_or_default(),
            s3_region: if self.s3.is_some() { "eu-west-2".into() } else { String::new() },
            s3_access_key_id: if self.s3.is_some() { "test-key".into() } else { String::new() },
            s3_secret_access_key: if self.s3.is_some() { "test-secret".into() } else { String::new() },
            police_data_url: self.police_data_url.unwrap_or_else(|| Settings::default().police_data_url),
            run_worker: self.background_work,
            ..Settings::default()
        };
        for adjust in self.adjust {
            adjust(&mut settings);
        }
        let platform = commissioner::server::prepare(settings).await.expect("server prepared");
        if self.demo {
            commissioner::demo::seed(platform.pool(), time::OffsetDateTime::now_utc()).await.expect("demo seeded");
        }
        let pool = platform.pool().clone();
        let settings = platform.settings().clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let address = listener.local_addr().expect("address");
        let server = tokio::spawn(async move {
            let _ = commissioner::server::serve(listener, platform).await;
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(visitor_cookie(TEST_VISITOR_KEY))
            .build()
            .expect("client");
        TestApp { address, pool, settings, client, data_dir: data.path().to_path_buf(), _data: data, server }
    }
}

/// Pulls the text of the first element with a class from a page: enough to read a reference
/// number or a heading without an HTML parser.
/// The value of the input named `name` on a page (a hidden field's, such as a submission key).
pub fn text_of_input(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\" value=\""))? + name.len() + 15;
    Some(html[at..].chars().take_while(|c| *c != '"').collect())
}

pub fn text_of_class(html: &str, class: &str) -> Option<String> {
    let marker = format!("class=\"{class}\"");
    let start = html.find(&marker)?;
    let after = &html[start..];
    let open_end = after.find('>')? + 1;
    let close = after[open_end..].find('<')?;
    Some(after[open_end..open_end + close].trim().to_string())
}

/// A member of staff made for a test, with what they need to sign in.
#[derive(Debug, Clone)]
pub struct TestStaff {
    pub id: String,
    pub email: String,
    pub password: String,
    pub totp_secret: Option<String>,
    pub role: Role,
}

impl TestStaff {
    /// The code an authenticator app would show now.
    pub fn code_now(&self) -> String {
        self.code_at_offset(0)
    }
    pub fn code_at_offset(&self, steps: i64) -> String {
        let secret =
            data_encoding::BASE32_NOPAD.decode(self.totp_secret.as_deref().expect("enrolled").as_bytes()).expect("base32");
        let step = totp::step_at(time::OffsetDateTime::now_utc().unix_timestamp()) + steps;
        totp::code_for_step(&secret, step, 6)
    }
}

/// A browser-like visitor: carries the session cookie and the page's CSRF token.
pub struct Visitor<'a> {
    pub app: &'a TestApp,
    pub cookie: Option<String>,
}

impl TestApp {
    /// Makes an account; with `enrolled`, an authenticator app is already set up for it.
    pub async fn staff(&self, role: Role, enrolled: bool) -> TestStaff {
        let email = format!("{}-{}@office.example", role.slug(), &platform::ids::new_id()[..8]);
        let password = "a long test passphrase 42".to_string();
        let new = store::NewUser {
            email: email.clone(),
            display_name: format!("Test {}", role.name()),
            role,
            organisation_id: match role {
                Role::Partner => Some(self.organisation_named("Test Force PSD").await),
                _ => None,
            },
            password: password.clone(),
        };
        let user = store::create_user(&self.pool, &new, self.settings.password_hash_cost(), &Actor::system("test"))
            .await
            .expect("user created");
        let totp_secret = if enrolled {
            let secret = totp::new_secret();
            let key = platform::auth::secrets::SecretsKey::load_or_create(&self.settings).expect("key");
            store::set_totp_secret_enrolled(&self.pool, &key, &user.id, &secret).await.expect("enrolled");
            Some(secret)
        } else {
            None
        };
        TestStaff { id: user.id, email, password, totp_secret, role }
    }

    /// The id of the partner organisation with this name, added (as "other") if there is none.
    pub async fn organisation_named(&self, name: &str) -> String {
        let mut conn = self.pool.acquire().await.expect("connection");
        let actor = Actor::system("test");
        let kind = platform::organisations::Kind::Other;
        let now = time::OffsetDateTime::now_utc();
        platform::organisations::find_or_add(
            &mut conn,
            platform::organisations::NewOrganisation { name, kind, email: None },
            &actor,
            now,
        )
        .await
        .expect("organisation")
        .id
    }

    /// The id of a new contact at the organisation with this name (added if there is none).
    pub async fn contact_at(&self, organisation: &str, name: &str, email: &str) -> String {
        let organisation_id = self.organisation_named(organisation).await;
        let new =
            platform::organisations::contacts::NewContact { name: name.into(), email: email.into(), job_title: String::new() };
        let mut conn = self.pool.acquire().await.expect("connection");
        platform::organisations::contacts::add(
            &mut conn,
            &organisation_id,
            &new,
            &Actor::system("test"),
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("contact")
    }

    /// A partner account from an organisation (a review body, the force's PSD), without a second
    /// factor: tests sign partners in with `session_for`.
    pub async fn partner(&self, organisation: &str) -> TestStaff {
        let email = format!("partner-{}@partner.example", &platform::ids::new_id()[..8]);
        let new = store::NewUser {
            email: email.clone(),
            display_name: "Test partner".into(),
            role: Role::Partner,
            organisation_id: Some(self.organisation_named(organisation).await),
            password: "a long test passphrase 42".into(),
        };
        let user = store::create_user(&self.pool, &new, self.settings.password_hash_cost(), &Actor::system("test"))
            .await
            .expect("partner");
        TestStaff { id: user.id, email, password: new.password, totp_secret: None, role: Role::Partner }
    }

    pub fn visitor(&self) -> Visitor<'_> {
        Visitor { app: self, cookie: None }
    }

    /// A visitor already signed in as a new member of staff with this role (through the real
    /// sign-in pages, second factor included).
    pub async fn signed_in(&self, role: Role) -> (Visitor<'_>, TestStaff) {
        let staff = self.staff(role, true).await;
        let mut visitor = self.visitor();
        visitor.sign_in(&staff).await;
        (visitor, staff)
    }

    /// A session made directly in the database, for tests about what a role may reach.
    pub async fn session_for(&self, staff: &TestStaff) -> Visitor<'_> {
        let user = store::find_by_id(&self.pool, &staff.id).await.expect("query").expect("user");
        let token = store::create_session(
            &self.pool,
            &self.settings,
            &user,
            store::SessionStage::SignedIn,
            "127.0.0.1",
            time::OffsetDateTime::now_utc(),
        )
        .await
        .expect("session");
        Visitor { app: self, cookie: Some(format!("commissioner_session={token}")) }
    }
}

impl Visitor<'_> {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        let mut request = self.app.client.get(self.app.url(path));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("sent")
    }

    pub async fn get_page(&self, path: &str) -> (reqwest::StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// Posts a form as a browser would, keeping any new session cookie it is given.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut request = self.app.client.post(self.app.url(path)).form(fields);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let response = request.send().await.expect("sent");
        if let Some(set) = response.headers().get("set-cookie").and_then(|v| v.to_str().ok()) {
            let pair = set.split(';').next().unwrap_or_default();
            self.cookie = if pair.ends_with('=') { None } else { Some(pair.to_string()) };
        }
        response
    }

    /// Posts a multipart form (an upload) as the pages do: the CSRF token is its first field, and
    /// `fields` adds the rest.
    pub async fn post_multipart(
        &self,
        path: &str,
        page: &str,
        fields: impl FnOnce(reqwest::multipart::Form) -> reqwest::multipart::Form,
    ) -> reqwest::Response {
        let token = self.csrf_token(page).await;
        let form = fields(reqwest::multipart::Form::new().text("csrf-token", token));
        let mut request = self.app.client.post(self.app.url(path)).multipart(form);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("sent")
    }

    /// Posts a form to `path` with the CSRF token read from `page`, as a browser on that page would.
    pub async fn post_from(&mut self, page: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf_token(page).await;
        let mut all = vec![("csrf-token", token.as_str())];
        all.extend_from_slice(fields);
        self.post(path, &all).await
    }

    /// Posts one of a case's action forms from its staff page, as the page's button does.
    pub async fn act(&mut self, case: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.post_from(case, &format!("{case}/actions/{action}"), fields).await
    }

    /// The same, for an action that must succeed: back to the case page.
    pub async fn done(&mut self, case: &str, action: &str, fields: &[(&str, &str)]) {
        let response = self.act(case, action, fields).await;
        assert_eq!(response.status(), 303, "{action} on {case}");
    }

    /// The CSRF token on a page this visitor can see.
    pub async fn csrf_token(&self, page: &str) -> String {
        let (_, html) = self.get_page(page).await;
        let marker = r#"name="csrf-token" value=""#;
        let start = html.find(marker).expect("a form with a CSRF token") + marker.len();
        html[start..start + html[start..].find('"').expect("closing quote")].to_string()
    }

    /// Submits the sign-in form with this email address and password.
    pub async fn submit_password(&mut self, email: &str, password: &str) -> reqwest::Response {
        self.post("/staff/sign-in", &[("email", email), ("password", password)]).await
    }

    /// The page a visitor sees after submitting the sign-in form.
    pub async fn password_page(&mut self, email: &str, password: &str) -> String {
        self.submit_password(email, password).await.text().await.expect("body")
    }

    pub async fn sign_in(&mut self, staff: &TestStaff) {
        let response = self.submit_password(&staff.email, &staff.password).await;
        assert_eq!(response.status(), 303, "password accepted");
        if staff.totp_secret.is_some() {
            assert_eq!(response.headers()["location"], "/staff/two-factor");
            let token = self.csrf_token("/staff/two-factor").await;
            let response = self.post("/staff/two-factor", &[("csrf-token", &token), ("code", &staff.code_now())]).await;
            assert_eq!(response.status(), 303, "code accepted");
        }
        assert_eq!(self.get("/staff").await.status(), 200, "signed in");
    }
}

/// A real SMTP server on loopback (Python's aiosmtpd), saving what it receives in a Maildir.
pub struct SmtpServer {
    pub port: u16,
    maildir: TempDir,
    child: std::process::Child,
}

/// A free loopback port, for a server started by another process.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("address").port()
}

/// Starts a test server from a PyPI package (scripts/test installs them) and waits, bounded,
/// until it accepts connections on `port`.
async fn start_python_server(args: &[&str], port: u16, package: &str) -> std::process::Child {
    let child = std::process::Command::new("python3")
        .args(args)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("python3 with {package} (pip install '{package}'): {e}"));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(std::time::Instant::now() < deadline, "{package} did not start; is it installed? (pip install '{package}')");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    child
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        Self::start_on(free_port()).await
    }

    pub async fn start_on(port: u16) -> SmtpServer {
        let maildir = tempfile::tempdir().expect("maildir");
        let box_dir = maildir.path().join("box");
        let listen = format!("127.0.0.1:{port}");
        let args = ["-m", "aiosmtpd", "-n", "-l", &listen, "-c", "aiosmtpd.handlers.Mailbox", box_dir.to_str().expect("path")];
        let child = start_python_server(&args, port, "aiosmtpd").await;
        SmtpServer { port, maildir, child }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received so far, as raw text.
    pub fn messages(&self) -> Vec<String> {
        let mut found = Vec::new();
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.path().join("box").join(sub)) {
                for entry in entries.flatten() {
                    found.push(std::fs::read_to_string(entry.path()).unwrap_or_default());
                }
            }
        }
        found
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits (bounded) until a condition on the database holds; background work is asynchronous.
pub async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !check().await {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// An S3-compatible service on loopback (moto's server, from PyPI), with one empty bucket.
pub struct S3Server {
    pub endpoint: String,
    pub bucket: String,
    child: std::process::Child,
}

impl S3Server {
    pub async fn start() -> S3Server {
        let port = free_port();
        let child =
            start_python_server(&["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()], port, "moto[server]").await;
        let endpoint = format!("http://127.0.0.1:{port}");
        let bucket = format!("commissioner-{}", &platform::ids::new_id()[..8]);
        let created = reqwest::Client::new().put(format!("{endpoint}/{bucket}")).send().await.expect("bucket request");
        assert!(created.status().is_success(), "bucket created: {}", created.status());
        S3Server { endpoint, bucket, child }
    }

    /// The bucket's listing, as the service reports it.
    pub async fn listing(&self) -> String {
        reqwest::Client::new()
            .get(format!("{}/{}", self.endpoint, self.bucket))
            .send()
            .await
            .expect("listing")
            .text()
            .await
            .expect("body")
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The emails to `to` in the outbox, oldest first: (subject, text body).
pub async fn outbox_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    sqlx::query_as("SELECT subject, body_text FROM platform_outbox WHERE to_address = $1 ORDER BY created_at")
        .bind(to)
        .fetch_all(&app.pool)
        .await
        .expect("outbox")
}

/// A date `days` ago in the UK, as a form's day, month and year.
pub fn days_ago(days: i64) -> (String, String, String) {
    let date = platform::calendar::uk_today() - time::Duration::days(days);
    (date.day().to_string(), u8::from(date.month()).to_string(), date.year().to_string())
}

/// Where a redirect points.
pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_string()
}

/// A form refused with its mistakes named: 422, and each message on the page. Returns the page.
pub async fn assert_refused(response: reqwest::Response, messages: &[&str]) -> String {
    assert_eq!(response.status(), 422, "{}", response.url());
    let html = response.text().await.expect("page");
    for message in messages {
        assert!(html.contains(message), "{message} is not on the page: {html}");
    }
    html
}

/// Posts a journey page's answers.
pub async fn answer(app: &TestApp, base: &str, page: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    app.post_form(&format!("{base}/{page}"), fields).await
}

/// The demo office's sample cases of every case service.
pub async fn with_demo_cases(app: &TestApp) {
    let now = time::OffsetDateTime::now_utc();
    casework::asb::demo::seed(&app.pool, &app.settings, now).await.expect("ASB cases");
    casework::complaints::demo::seed(&app.pool, &app.settings, now).await.expect("complaint reviews");
    casework::information::demo::seed(&app.pool, &app.settings, now).await.expect("information requests");
}

/// Checks a PDF the product made as a reader would: it is tagged (pdfinfo), passes the PDF/UA-1
/// checker the publishing kit is held to (scripts/test installs it from PyPI), and its text holds
/// each of `words` (pdftotext). Without the tools, only a machine outside CI may skip.
pub fn assert_tagged_pdf(bytes: &[u8], words: &[&str]) {
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("document.pdf");
    std::fs::write(&path, bytes).expect("write");
    match std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output() {
        Ok(out) => {
            let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
            for word in words {
                assert!(text.contains(word), "{word} is not in the PDF: {text}");
            }
            let info = std::process::Command::new("pdfinfo").arg(&path).output().expect("pdfinfo");
            assert!(String::from_utf8_lossy(&info.stdout).lines().any(|l| l.starts_with("Tagged:") && l.ends_with("yes")));
        }
        Err(_) => assert!(std::env::var("CI").is_err(), "CI has poppler-utils"),
    }
    match std::process::Command::new("python3").args(["-m", "pdfua", "check", "--format", "json"]).arg(&path).output() {
        Ok(out) if out.status.success() || !out.stdout.is_empty() => {
            let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the checker's JSON");
            assert_eq!(report["summary"]["findings"], 0, "{report:#}");
        }
        _ => assert!(std::env::var("CI").is_err(), "CI has the PDF/UA checker"),
    }
}
