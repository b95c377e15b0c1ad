//! Email through a real SMTP server on loopback, and what happens when that server is away.

use platform::access::Role;

use crate::support::{SmtpServer, TestApp, assert_refused, eventually, free_port};

async fn outbox_status(app: &TestApp, status: &str) -> i64 {
    app.value("SELECT COUNT(*) FROM platform_outbox WHERE status = $1", status).await
}

fn reset_link(message: &str) -> String {
    // The text part may be quoted-printable, whose soft line breaks can fall inside the link.
    let message = message.replace("=\r\n", "").replace("=\n", "");
    let start = message.find("/staff/password-reset/").expect("a reset link in the email");
    let token: String = message[start + "/staff/password-reset/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("/staff/password-reset/{token}")
}

#[tokio::test]
async fn a_password_reset_email_arrives_over_smtp_and_its_link_works_once() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::builder().mail_transport(smtp.url()).spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    let mut visitor = app.visitor();

    let response = visitor.post("/staff/password-reset", &[("email", &staff.email)]).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.expect("body").contains("Check your email"));
    eventually("the email to be sent", || async { outbox_status(&app, "sent").await == 1 }).await;
    let message = smtp.messages().remove(0);
    assert!(message.contains(&format!("To: {}", staff.email)), "{message}");
    assert!(message.contains("Subject: Reset your Staffordshire"), "{message}");
    assert!(message.contains("Content-Type: text/plain") && message.contains("Content-Type: text/html"), "both parts");

    let link = reset_link(&message);
    let (status, html) = visitor.get_page(&link).await;
    assert_eq!(status, 200);
    assert!(html.contains("Choose a new password"));
    let weak = visitor.post(&link, &[("password", "short")]).await;
    assert_refused(weak, &["Password must be 12 characters or more"]).await;
    let done = visitor.post(&link, &[("password", "a brand new passphrase 7")]).await;
    assert_eq!(done.status(), 303);
    assert_eq!(done.headers()["location"], "/staff/sign-in?password-changed=yes");

    let again = visitor.get(&link).await;
    assert_eq!(again.status(), 410, "the link works once");
    assert!(again.text().await.expect("body").contains("The link has expired or has already been used"));

    let renewed = crate::support::TestStaff { password: "a brand new passphrase 7".into(), ..staff };
    let mut fresh = app.visitor();
    fresh.sign_in(&renewed).await;
}

#[tokio::test]
async fn asking_for_an_unknown_email_looks_the_same_and_sends_nothing() {
    let app = TestApp::spawn().await;
    let mut visitor = app.visitor();
    let html = visitor.post("/staff/password-reset", &[("email", "nobody@office.example")]).await.text().await.expect("body");
    assert!(html.contains("Check your email"));
    assert_eq!(outbox_status(&app, "pending").await + outbox_status(&app, "sent").await, 0);
    let empty = visitor.post("/staff/password-reset", &[("email", "")]).await;
    assert_refused(empty, &["Enter your email address"]).await;
}

#[tokio::test]
async fn an_expired_link_is_refused_plainly() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    let mut visitor = app.visitor();
    visitor.post("/staff/password-reset", &[("email", &staff.email)]).await;
    // Only finished messages count: a message is written aside as `.partial` and then renamed.
    let finished = || -> Vec<std::path::PathBuf> {
        std::fs::read_dir(app.data_dir.join("mail"))
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| !p.to_string_lossy().ends_with(".partial")).collect())
            .unwrap_or_default()
    };
    eventually("the email file", || async { finished().len() == 1 }).await;
    let file = finished().remove(0);
    assert_eq!(file.extension().and_then(|e| e.to_str()), Some("eml"), "development default: .eml files in the data folder");
    let message = std::fs::read_to_string(&file).expect("readable");
    let link = reset_link(&message);
    sqlx::query("UPDATE platform_password_reset SET expires_at = $1")
        .bind(platform::db::timestamp(time::OffsetDateTime::now_utc() - time::Duration::minutes(1)))
        .execute(&app.pool)
        .await
        .expect("expired");
    assert_eq!(visitor.get(&link).await.status(), 410);
    assert_eq!(visitor.post(&link, &[("password", "a brand new passphrase 7")]).await.status(), 410);
}

#[tokio::test]
async fn an_smtp_outage_loses_nothing_and_the_message_goes_when_the_server_returns() {
    let port = free_port();
    let app = TestApp::builder().mail_transport(format!("smtp://127.0.0.1:{port}")).spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    app.visitor().post("/staff/password-reset", &[("email", &staff.email)]).await;

    eventually("a failed attempt", || async {
        let attempts: Option<i64> = sqlx::query_scalar(
            "SELECT attempts FROM platform_job WHERE kind = 'send-mail' AND status = 'queued' AND attempts > 0",
        )
        .fetch_optional(&app.pool)
        .await
        .expect("query");
        attempts.is_some()
    })
    .await;
    let error: Option<String> = app.one("SELECT last_error FROM platform_job WHERE kind = 'send-mail'").await;
    assert!(error.is_some_and(|e| !e.is_empty()), "the failure is recorded");
    assert_eq!(outbox_status(&app, "pending").await, 1, "the message waits in the outbox");

    let smtp = SmtpServer::start_on(port).await;
    // Skip the back-off wait rather than sleep through it.
    sqlx::query("UPDATE platform_job SET run_at = $1 WHERE kind = 'send-mail'")
        .bind(platform::db::timestamp(time::OffsetDateTime::now_utc()))
        .execute(&app.pool)
        .await
        .expect("due now");
    // The server files the message before it answers, so wait for the outbox to say sent.
    eventually("delivery after the outage", || async { outbox_status(&app, "sent").await == 1 }).await;
    assert_eq!(smtp.messages().len(), 1);
    // And it is not sent again.
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert_eq!(smtp.messages().len(), 1);
}

#[tokio::test]
async fn a_job_that_keeps_failing_is_marked_dead_and_an_administrator_can_retry_it() {
    let port = free_port();
    let app = TestApp::builder().mail_transport(format!("smtp://127.0.0.1:{port}")).spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    app.visitor().post("/staff/password-reset", &[("email", &staff.email)]).await;
    eventually("a failed attempt", || async {
        // The reset request is answered by a job of its own first, which queues the email.
        sqlx::query_scalar::<_, i64>("SELECT attempts FROM platform_job WHERE kind = 'send-mail'")
            .fetch_optional(&app.pool)
            .await
            .expect("query")
            .unwrap_or(0)
            > 0
    })
    .await;
    // Use up the remaining tries at once.
    sqlx::query("UPDATE platform_job SET attempts = max_attempts - 1, run_at = $1 WHERE kind = 'send-mail'")
        .bind(platform::db::timestamp(time::OffsetDateTime::now_utc()))
        .execute(&app.pool)
        .await
        .expect("aged");
    eventually("the job to die", || async {
        sqlx::query_scalar::<_, String>("SELECT status FROM platform_job WHERE kind = 'send-mail'")
            .fetch_one(&app.pool)
            .await
            .expect("query")
            == "dead"
    })
    .await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let (status, html) = admin.get_page("/staff/admin/jobs").await;
    assert_eq!(status, 200);
    assert!(html.contains("Dead") && html.contains("send-mail"));
    let id: String = app.one("SELECT id FROM platform_job WHERE kind = 'send-mail'").await;
    let smtp = SmtpServer::start_on(port).await;
    let token = admin.csrf_token("/staff/admin/jobs").await;
    assert_eq!(admin.post(&format!("/staff/admin/jobs/{id}/retry"), &[("csrf-token", &token)]).await.status(), 303);
    eventually("delivery after the retry", || async { smtp.messages().len() == 1 }).await;
}

#[tokio::test]
async fn the_daily_scheduler_adds_each_task_once_a_day_however_many_run_it() {
    let app = TestApp::builder().spawn().await;
    let now = time::OffsetDateTime::now_utc();
    let first = platform::jobs::schedule_daily(&app.pool, &commissioner::server::daily_tasks(), now).await.expect("scheduled");
    let second = platform::jobs::schedule_daily(&app.pool, &commissioner::server::daily_tasks(), now).await.expect("scheduled");
    // The server's own scheduler may have run first; either way the day has exactly one.
    assert_eq!(first + second, first.max(second));
    let count: i64 = app.one("SELECT COUNT(*) FROM platform_job WHERE kind = 'housekeeping'").await;
    assert_eq!(count, 1);
    eventually("housekeeping to run", || async {
        sqlx::query_scalar::<_, String>("SELECT status FROM platform_job WHERE kind = 'housekeeping'")
            .fetch_one(&app.pool)
            .await
            .expect("query")
            == "done"
    })
    .await;
}

#[tokio::test]
async fn a_send_cut_off_by_a_crash_is_taken_up_again_when_its_lease_lapses() {
    let smtp = SmtpServer::start().await;
    let app = TestApp::builder().mail_transport(smtp.url()).spawn().await;
    let email = platform::mail::Email {
        to: "sam@example.com".into(),
        subject: "Interrupted".into(),
        text: "Hello".into(),
        html: "<p>Hello</p>".into(),
    };
    let mut tx = app.pool.begin().await.expect("tx");
    platform::mail::enqueue(&mut tx, &app.settings, &email).await.expect("queued");
    // As if another process had claimed it and died mid-send: running, lease already lapsed.
    sqlx::query("UPDATE platform_job SET status = 'running', attempts = 1, locked_by = 'dead-process', locked_until = $1")
        .bind(platform::db::timestamp(time::OffsetDateTime::now_utc() - time::Duration::minutes(1)))
        .execute(&mut *tx)
        .await
        .expect("claimed by a dead process");
    tx.commit().await.expect("committed");
    eventually("the orphaned send to complete", || async { outbox_status(&app, "sent").await == 1 }).await;
    assert_eq!(smtp.messages().len(), 1);
}
