//! The `commissioner` binary as an operator runs it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use crate::support::{SmtpServer, TestDatabase, eventually, fresh_postgres_database, test_database};

fn commissioner() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_commissioner"));
    for (key, _) in std::env::vars() {
        if key.starts_with("COMMISSIONER_") || key == "DATABASE_URL" {
            command.env_remove(key);
        }
    }
    command.env("COMMISSIONER_LOG_FORMAT", "json");
    command
}

async fn database_url_for_this_run() -> String {
    match test_database() {
        TestDatabase::Sqlite => String::new(),
        TestDatabase::Postgres => fresh_postgres_database().await,
    }
}

/// A running `commissioner serve`, with its log lines arriving on a channel.
struct Server {
    child: Child,
    address: String,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(data_dir: &std::path::Path, database_url: &str, extra: &[&str]) -> Server {
        Self::start_with(data_dir, database_url, extra, &[])
    }

    fn start_with(data_dir: &std::path::Path, database_url: &str, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut child = commissioner()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .envs(env.iter().copied())
            .env("COMMISSIONER_DATA_DIR", data_dir)
            .env("DATABASE_URL", database_url)
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("binary starts");
        let stderr = child.stderr.take().expect("stderr");
        let (sender, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server { child, address: String::new(), log };
        let line = server.wait_for("Commissioner is listening");
        let json: serde_json::Value = serde_json::from_str(&line).expect("JSON log line");
        server.address = json["address"].as_str().expect("address logged").to_string();
        server
    }

    /// Waits for a log line containing `needle` (the server says when it is ready; no sleeping).
    fn wait_for(&self, needle: &str) -> String {
        loop {
            match self.log.recv_timeout(Duration::from_secs(60)) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => continue,
                Err(_) => panic!("server never logged {needle:?}"),
            }
        }
    }

    fn terminate(&self) {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().expect("kill runs");
        assert!(status.success());
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http_get(address: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connect");
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n").expect("write");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("read");
    response
}

#[tokio::test]
async fn serve_demo_starts_a_demo_office_and_stops_cleanly_on_sigterm_finishing_a_request_in_flight() {
    let data = tempfile::tempdir().expect("temp dir");
    let url = database_url_for_this_run().await;
    // Request tracing on, so the test can see when the server has taken the request in hand.
    let mut server = Server::start_with(data.path(), &url, &["--demo"], &[("RUST_LOG", "info,tower_http=debug")]);
    let home = http_get(&server.address, "/");
    assert!(home.starts_with("HTTP/1.1 200"), "{home}");
    assert!(home.contains("This is a demonstration office"));
    if url.is_empty() {
        assert!(data.path().join("commissioner.db").exists(), "SQLite file in the data folder");
    }

    // Start a request, send half its body, then SIGTERM: the request must still be answered.
    let body = "full-name=Sam+Taylor&contact-method=email&email=sam%40example.com&message=Sent+during+shutdown";
    let (first, rest) = body.split_at(20);
    let mut stream = TcpStream::connect(&server.address).expect("connect");
    write!(
        stream,
        "POST /contact HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{first}",
        body.len()
    )
    .expect("write head");
    stream.flush().expect("flush");
    // Until the server has read the request's head the connection is idle, and a graceful
    // shutdown rightly closes idle connections; wait until the request is in flight.
    loop {
        let line = server.wait_for("started processing request");
        if line.contains("POST") || line.contains("/contact") {
            break;
        }
    }
    server.terminate();
    server.wait_for("shutdown signal received");
    stream.write_all(rest.as_bytes()).expect("write rest");
    let mut response = String::new();
    stream.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let mut reader = BufReader::new(stream);
    reader.read_line(&mut response).expect("status line");
    assert!(response.starts_with("HTTP/1.1 303"), "in-flight request answered: {response}");

    let status = server.child.wait().expect("exits");
    assert!(status.success(), "clean exit after SIGTERM: {status:?}");
    assert!(TcpStream::connect(&server.address).is_err(), "no longer listening");
}

#[tokio::test]
async fn a_second_start_keeps_the_data_and_does_not_reseed() {
    let data = tempfile::tempdir().expect("temp dir");
    let url = database_url_for_this_run().await;
    {
        let server = Server::start(data.path(), &url, &["--demo"]);
        let sent = {
            let mut stream = TcpStream::connect(&server.address).expect("connect");
            let body = "full-name=Sam&contact-method=email&email=sam%40example.com&message=Kept";
            write!(stream, "POST /contact HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}", body.len()).expect("write");
            let mut response = String::new();
            stream.read_to_string(&mut response).expect("read");
            response
        };
        assert!(sent.starts_with("HTTP/1.1 303"), "{sent}");
        server.terminate();
    }
    let server = Server::start(data.path(), &url, &["--demo"]);
    let line = server.log.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
    let _ = line;
    let pool = {
        let settings =
            platform::config::Settings { data_dir: data.path().to_path_buf(), database_url: url.clone(), ..Default::default() };
        platform::db::connect_lazy(&settings).expect("pool")
    };
    assert_eq!(correspondence::contact::store::count(&pool).await.expect("count"), 1, "the message survived a restart");
    drop(server);
}

#[tokio::test]
async fn check_reports_a_healthy_setup_and_a_broken_database_plainly() {
    let data = tempfile::tempdir().expect("temp dir");
    let url = database_url_for_this_run().await;
    let migrate =
        commissioner().arg("migrate").env("COMMISSIONER_DATA_DIR", data.path()).env("DATABASE_URL", &url).output().expect("runs");
    assert!(migrate.status.success(), "{}", String::from_utf8_lossy(&migrate.stderr));
    assert!(String::from_utf8_lossy(&migrate.stdout).contains("Applied"));
    let again =
        commissioner().arg("migrate").env("COMMISSIONER_DATA_DIR", data.path()).env("DATABASE_URL", &url).output().expect("runs");
    assert!(String::from_utf8_lossy(&again.stdout).contains("up to date"));

    let check =
        commissioner().arg("check").env("COMMISSIONER_DATA_DIR", data.path()).env("DATABASE_URL", &url).output().expect("runs");
    let report = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{report}");
    assert!(report.contains("connection             ok"), "{report}");
    assert!(report.contains("migrations             up to date"), "{report}");
    assert!(report.contains("All checks passed."));

    let broken = commissioner()
        .arg("check")
        .env("DATABASE_URL", "postgres://nobody:secret@127.0.0.1:9/nowhere")
        .env("COMMISSIONER_DATABASE_ACQUIRE_TIMEOUT_SECS", "1")
        .output()
        .expect("runs");
    let report = String::from_utf8_lossy(&broken.stdout);
    assert!(!broken.status.success());
    assert!(report.contains("connection             FAILED"), "{report}");
    assert!(!report.contains("secret"), "password shown: {report}");
}

#[test]
fn bad_configuration_is_refused_with_the_setting_named() {
    let output = commissioner().arg("check").env("COMMISSIONER_PHASE", "gamma").output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("phase"));
    let output = commissioner().args(["--config", "/nonexistent.toml", "check"]).output().expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not exist"));
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["migrate", "--help"],
        &["check", "--help"],
        &["calendar", "--help"],
        &["calendar", "list", "--help"],
        &["calendar", "add", "--help"],
        &["calendar", "import", "--help"],
        &["office", "set-up", "--help"],
        &["calendar", "fetch", "--help"],
    ] {
        let output = commissioner().args(args).output().expect("runs");
        assert!(output.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stdout).contains("Usage:"), "{args:?}");
    }
    let top = commissioner().arg("--help").output().expect("runs");
    assert!(String::from_utf8_lossy(&top.stdout).contains("COMMISSIONER_DATA_DIR"), "environment variables listed");
}

/// The binary run as an operator runs it on one server: one data folder, one database.
struct Operator {
    data: tempfile::TempDir,
    url: String,
}

impl Operator {
    async fn new() -> Operator {
        Operator { data: tempfile::tempdir().expect("temp dir"), url: database_url_for_this_run().await }
    }
    fn run(&self, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
        let mut command = commissioner();
        command.args(args).env("COMMISSIONER_DATA_DIR", self.data.path()).env("DATABASE_URL", &self.url);
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("runs")
    }
}

#[tokio::test]
async fn the_calendar_command_lists_holidays_and_records_changes() {
    let operator = Operator::new().await;
    let run = |args: &[&str]| operator.run(args, &[]);
    let list = run(&["calendar", "list", "2022"]);
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(text.contains("2022-09-19  Bank Holiday for the State Funeral of Queen Elizabeth II"), "{text}");
    assert!(text.contains("2022-11-30  St Andrew’s Day"), "{text}");

    let add = run(&["calendar", "add", "2031-06-10", "--nation", "scotland", "--name", "Proclaimed holiday"]);
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    assert!(String::from_utf8_lossy(&add.stdout).contains("No open case's deadline moved."), "an empty office has none");
    let list = run(&["calendar", "list", "2031"]);
    let text = String::from_utf8_lossy(&list.stdout);
    let scotland = text.split("Scotland").nth(1).and_then(|s| s.split("Northern Ireland").next()).expect("Scotland section");
    assert!(scotland.contains("2031-06-10  Proclaimed holiday  (provisional)"), "{text}");
    assert!(!text.split("Scotland").next().expect("E&W").contains("Proclaimed"), "only Scotland changed");

    let bad = run(&["calendar", "add", "10/06/2031", "--name", "x"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM-DD"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_calendar_is_brought_up_to_date_from_the_govuk_list() {
    let operator = Operator::new().await;
    let run = |args: &[&str], env: &[(&str, &str)]| operator.run(args, env);
    let scotland_2026 = |run_output: std::process::Output| {
        let text = String::from_utf8_lossy(&run_output.stdout).to_string();
        text.split("Scotland").nth(1).and_then(|s| s.split("Northern Ireland").next()).expect("Scotland section").to_string()
    };
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/../platform/testdata/govuk-bank-holidays-2025-07.json");

    // The July 2025 list predates Scotland's World Cup holiday: shown as a removal, not made.
    let shown = run(&["calendar", "import", fixture], &[]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.status.success(), "{}", String::from_utf8_lossy(&shown.stderr));
    assert!(text.contains("Scotland: 2019 to 2027"), "{text}");
    assert!(text.contains("remove  Monday 15 June 2026  Scotland  Bank holiday for the FIFA World Cup"), "{text}");
    assert!(text.contains("Nothing has been changed"), "{text}");
    assert!(scotland_2026(run(&["calendar", "list", "2026"], &[])).contains("2026-06-15"));

    let applied = run(&["calendar", "import", fixture, "--apply"], &[]);
    assert!(String::from_utf8_lossy(&applied.stdout).contains("Applied 1 change;"));
    assert!(!scotland_2026(run(&["calendar", "list", "2026"], &[])).contains("2026-06-15"));

    // Today's list, served from an address, puts it back.
    let mut today: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture).expect("fixture")).expect("json");
    let events = today["scotland"]["events"].as_array_mut().expect("events");
    events
        .push(serde_json::json!({"title": "Bank holiday (FIFA World Cup)", "date": "2026-06-15", "notes": "", "bunting": true}));
    let body = today.to_string();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = format!("http://{}/bank-holidays.json", listener.local_addr().expect("address"));
    let app = axum::Router::new().route("/bank-holidays.json", axum::routing::get(move || async move { body }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    // The server answers on the runtime's other thread while this one waits for the command.
    let fetched = run(&["calendar", "fetch", "--apply"], &[("COMMISSIONER_BANK_HOLIDAYS_URL", &address)]);
    let text = String::from_utf8_lossy(&fetched.stdout);
    assert!(text.contains("add     Monday 15 June 2026  Scotland  Bank holiday (FIFA World Cup)"), "{text}");
    assert!(scotland_2026(run(&["calendar", "list", "2026"], &[])).contains("2026-06-15  Bank holiday (FIFA World Cup)"));

    // A file that is not the list changes nothing and says why.
    let wrong = operator.data.path().join("wrong.json");
    std::fs::write(&wrong, r#"{"wales":{"division":"wales","events":[]}}"#).expect("write");
    let refused = run(&["calendar", "import", wrong.to_str().expect("path"), "--apply"], &[]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("unknown nation \"wales\""));
}

#[tokio::test]
async fn an_office_is_set_up_for_any_force_area_from_the_command_line() {
    let operator = Operator::new().await;
    let run = |args: &[&str]| operator.run(args, &[]);
    let check = String::from_utf8_lossy(&run(&["check"]).stdout).to_string();
    assert!(check.contains("not set up yet"), "{check}");

    let mayoral = run(&["office", "set-up", "--force-area", "west-yorkshire", "--governance", "mayor"]);
    assert!(mayoral.status.success(), "{}", String::from_utf8_lossy(&mayoral.stderr));
    assert!(String::from_utf8_lossy(&mayoral.stdout).contains("Set up West Yorkshire Mayor’s Office for West Yorkshire"));
    let check = String::from_utf8_lossy(&run(&["check"]).stdout).to_string();
    assert!(check.contains("West Yorkshire Mayor’s Office") && !check.contains("(demo)"), "{check}");

    // Set up again for a Welsh area with a name of its own.
    let welsh = run(&["office", "set-up", "--force-area", "dyfed-powys", "--name", "Comisiynydd Heddlu a Throseddu Dyfed-Powys"]);
    assert!(welsh.status.success(), "{}", String::from_utf8_lossy(&welsh.stderr));
    assert!(String::from_utf8_lossy(&run(&["check"]).stdout).contains("Comisiynydd Heddlu a Throseddu Dyfed-Powys"));

    let unknown = run(&["office", "set-up", "--force-area", "gotham"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no police force area \"gotham\": use one of avon-and-somerset"));
    let governance = run(&["office", "set-up", "--force-area", "kent", "--governance", "sheriff"]);
    assert!(String::from_utf8_lossy(&governance.stderr).contains("use pcc, pfcc, mayor, mayor-fire or board"));
}

#[tokio::test]
async fn two_servers_sharing_postgresql_never_send_the_same_email_twice() {
    if test_database() != TestDatabase::Postgres {
        eprintln!("skipped on SQLite: one file, one process; this runs in the PostgreSQL pass");
        return;
    }
    let smtp = SmtpServer::start().await;
    let url = fresh_postgres_database().await;
    let settings = platform::config::Settings { database_url: url.clone(), ..Default::default() };
    let pool = platform::db::connect_lazy(&settings).expect("pool");
    platform::db::migrate(&pool, &commissioner::migrators()).await.expect("migrated");
    const EMAILS: usize = 300;
    {
        let mut tx = pool.begin().await.expect("tx");
        for n in 0..EMAILS {
            let email = platform::mail::Email {
                to: format!("person{n}@example.com"),
                subject: format!("Message {n}"),
                text: "Hello".into(),
                html: "<p>Hello</p>".into(),
            };
            platform::mail::enqueue(&mut tx, &settings, &email).await.expect("queued");
        }
        tx.commit().await.expect("committed");
    }
    let (a, b) = (tempfile::tempdir().expect("dir"), tempfile::tempdir().expect("dir"));
    let env = [("COMMISSIONER_MAIL_TRANSPORT", smtp.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let first = Server::start_with(a.path(), &url, &[], &env);
    let second = Server::start_with(b.path(), &url, &[], &env);

    eventually("every email to be sent", || async {
        let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM platform_outbox WHERE status = 'sent'")
            .fetch_one(&pool)
            .await
            .expect("count");
        sent == EMAILS as i64
    })
    .await;
    drop((first, second));
    let messages = smtp.messages();
    assert_eq!(messages.len(), EMAILS, "each email arrived exactly once");
    let subjects: std::collections::HashSet<String> =
        messages.iter().filter_map(|m| m.lines().find(|l| l.starts_with("Subject: ")).map(str::to_string)).collect();
    assert_eq!(subjects.len(), EMAILS, "no email twice, none missing");
    let workers: Vec<(String, i64)> =
        sqlx::query_as("SELECT locked_by, COUNT(*) FROM platform_job WHERE kind = 'send-mail' GROUP BY locked_by")
            .fetch_all(&pool)
            .await
            .expect("workers");
    eprintln!("jobs per worker: {workers:?}");
}

#[tokio::test]
async fn an_operator_verifies_the_audit_log_backs_up_and_restores_from_the_command_line() {
    let data = tempfile::tempdir().expect("temp dir");
    let url = database_url_for_this_run().await;
    {
        let server = Server::start(data.path(), &url, &["--demo"]);
        let mut stream = TcpStream::connect(&server.address).expect("connect");
        let body = "full-name=Sam&contact-method=email&email=sam%40example.com&message=Kept";
        write!(stream, "POST /contact HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        assert!(response.starts_with("HTTP/1.1 303"), "{response}");
        server.terminate();
    }
    let run = |dir: &std::path::Path, url: &str, args: &[&str]| {
        commissioner().args(args).env("COMMISSIONER_DATA_DIR", dir).env("DATABASE_URL", url).output().expect("runs")
    };
    let verify = run(data.path(), &url, &["audit", "verify"]);
    assert!(verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).contains("Audit log intact"), "{}", String::from_utf8_lossy(&verify.stdout));

    // An email still waiting when the backup is made.
    let sqlx_url = |dir: &std::path::Path, url: &str| {
        if url.is_empty() { format!("sqlite://{}", dir.join("commissioner.db").display()) } else { url.to_string() }
    };
    {
        sqlx::any::install_default_drivers();
        let mut conn = <sqlx::AnyConnection as sqlx::Connection>::connect(&sqlx_url(data.path(), &url)).await.expect("connect");
        sqlx::query(
            "INSERT INTO platform_outbox (id, to_address, subject, body_text, body_html, message_id, status, created_at) \
             VALUES ('waiting', 'sam@example.com', 'Waiting', 'Text', '<p>Html</p>', '<waiting@x>', 'pending', '2026-12-06T00:00:00.000000Z')",
        )
        .execute(&mut conn)
        .await
        .expect("pending email");
    }
    let archive = data.path().join("backup.tar.gz");
    let backup = run(data.path(), &url, &["backup", "--output", archive.to_str().expect("path")]);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    assert!(String::from_utf8_lossy(&backup.stdout).contains("Backed up"));

    let target = tempfile::tempdir().expect("temp dir");
    let target_url = database_url_for_this_run().await;
    let restore = run(target.path(), &target_url, &["restore", archive.to_str().expect("path")]);
    assert!(restore.status.success(), "{}", String::from_utf8_lossy(&restore.stderr));
    let said = String::from_utf8_lossy(&restore.stdout);
    assert!(said.contains("Restored") && said.contains("Audit log intact"), "{said}");
    assert!(said.contains("emails that were waiting to be sent are held"), "{said}");
    let held = || async {
        let mut conn =
            <sqlx::AnyConnection as sqlx::Connection>::connect(&sqlx_url(target.path(), &target_url)).await.expect("connect");
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM platform_outbox WHERE held = 1")
            .fetch_one(&mut conn)
            .await
            .expect("count")
    };
    assert!(held().await >= 1, "the restored copy holds what was waiting");
    let release = run(target.path(), &target_url, &["mail", "release"]);
    assert!(String::from_utf8_lossy(&release.stdout).contains("held emails queued to send"));
    assert_eq!(held().await, 0);
    let check = run(target.path(), &target_url, &["check"]);
    assert!(
        String::from_utf8_lossy(&check.stdout).contains("Staffordshire Commissioner’s Office (demo)"),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );
    // Restoring twice is refused with a reason.
    let twice = run(target.path(), &target_url, &["restore", archive.to_str().expect("path")]);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("not empty"));
}

#[tokio::test]
async fn the_demo_office_has_an_account_for_each_role_and_administrators_manage_accounts_from_the_command_line() {
    let data = tempfile::tempdir().expect("temp dir");
    let url = database_url_for_this_run().await;
    {
        let server = Server::start(data.path(), &url, &["--demo"]);
        server.terminate();
    }
    let accounts = std::fs::read_to_string(data.path().join("demo-accounts.txt")).expect("accounts written");
    let lines: Vec<&str> = accounts.lines().filter(|l| !l.starts_with('#')).collect();
    // One per role, and a second partner from the force's Professional Standards Department.
    assert_eq!(lines.len(), platform::access::Role::ALL.len() + 1, "one per role and the PSD partner");
    assert!(lines.iter().any(|l| l.starts_with("partner\tpsd@demo.commissioner.example\t")));
    for role in platform::access::Role::ALL {
        let line = lines.iter().find(|l| l.starts_with(&format!("{}\t", role.slug()))).expect("role present");
        let secret = line.split('\t').nth(3).expect("secret column");
        assert_eq!(secret != "-", role.requires_two_factor(), "{line}");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.path().join("demo-accounts.txt")).expect("file").permissions().mode();
        assert_eq!(mode & 0o077, 0, "readable by its owner only");
    }

    let run = |args: &[&str]| {
        commissioner().args(args).env("COMMISSIONER_DATA_DIR", data.path()).env("DATABASE_URL", &url).output().expect("runs")
    };
    let add = run(&["user", "add", "--email", "Robin@Office.example", "--name", "Robin", "--role", "caseworker"]);
    assert!(add.status.success(), "{}", String::from_utf8_lossy(&add.stderr));
    let said = String::from_utf8_lossy(&add.stdout);
    assert!(said.contains("Added robin@office.example (Caseworker)") && said.contains("Temporary password: "), "{said}");
    let duplicate = run(&["user", "add", "--email", "robin@office.example", "--name", "Robin", "--role", "caseworker"]);
    assert!(!duplicate.status.success());
    assert!(String::from_utf8_lossy(&duplicate.stderr).contains("already exists"));
    let bad_role = run(&["user", "add", "--email", "x@office.example", "--name", "X", "--role", "sheriff"]);
    assert!(String::from_utf8_lossy(&bad_role.stderr).contains("unknown role"));

    assert!(run(&["user", "disable", "robin@office.example"]).status.success());
    let list = String::from_utf8_lossy(&run(&["user", "list"]).stdout).into_owned();
    let robin = list.lines().find(|l| l.starts_with("robin@office.example")).expect("listed");
    assert!(robin.contains("disabled"), "{robin}");
    assert!(run(&["user", "reset-2fa", "caseworker@demo.commissioner.example"]).status.success());
    let list = String::from_utf8_lossy(&run(&["user", "list"]).stdout).into_owned();
    let demo = list.lines().find(|l| l.starts_with("caseworker@demo")).expect("listed");
    assert!(demo.ends_with("no 2FA"), "{demo}");
    let missing = run(&["user", "disable", "nobody@office.example"]);
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no account with email"));
}
