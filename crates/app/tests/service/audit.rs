//! The audit log records writes and sensitive reads, and detects tampering.

use platform::access::Role;
use platform::audit::{self, ChainReport, Search};

use crate::support::TestApp;

async fn send_contact(app: &TestApp) -> String {
    let response = app
        .post_form(
            "/contact",
            &[("full-name", "Sam Taylor"), ("contact-method", "email"), ("email", "sam@example.com"), ("message", "Hello")],
        )
        .await;
    let location = response.headers()["location"].to_str().expect("location").to_string();
    let (_, html) = app.get_page(&location).await;
    crate::support::text_of_class(&html, "app-reference").expect("reference")
}

#[tokio::test]
async fn a_message_from_the_public_and_every_staff_read_of_it_are_recorded() {
    let app = TestApp::spawn().await;
    let reference = send_contact(&app).await;
    let (caseworker, staff) = app.signed_in(Role::Caseworker).await;
    let (status, html) = caseworker.get_page(&format!("/staff/messages/{reference}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Sam Taylor") && html.contains("sam@example.com"));

    let events = audit::search(&app.pool, &Search { record: reference.clone(), ..Default::default() }, 10).await.expect("search");
    let actions: Vec<(&str, &str)> = events.iter().rev().map(|e| (e.actor_label.as_str(), e.action.as_str())).collect();
    assert_eq!(actions, [("public", "received"), (staff.email.as_str(), "viewed")]);
    assert_eq!(
        audit::verify(&app.pool, |_| {}).await.expect("verify"),
        ChainReport::Intact { events: audit::search(&app.pool, &Search::default(), 1000).await.expect("all").len() as i64 }
    );
}

/// How many events the log holds: setting up the demo office records some before a test starts.
async fn events_so_far(app: &TestApp) -> i64 {
    match audit::verify(&app.pool, |_| {}).await.expect("verify") {
        ChainReport::Intact { events } => events,
        other => panic!("the log is broken before the test: {other:?}"),
    }
}

#[tokio::test]
async fn editing_or_deleting_an_event_is_detected_at_that_event() {
    let app = TestApp::spawn().await;
    let before = events_so_far(&app).await;
    for _ in 0..3 {
        send_contact(&app).await;
    }
    assert_eq!(audit::verify(&app.pool, |_| {}).await.expect("verify"), ChainReport::Intact { events: before + 3 });

    sqlx::query("UPDATE platform_audit_event SET actor_label = 'someone else' WHERE seq = $1")
        .bind(before + 2)
        .execute(&app.pool)
        .await
        .expect("tampered");
    match audit::verify(&app.pool, |_| {}).await.expect("verify") {
        ChainReport::Broken { seq, reason } => {
            assert_eq!(seq, before + 2);
            assert!(reason.contains("changed"), "{reason}");
        }
        other => panic!("tampering not detected: {other:?}"),
    }

    let app = TestApp::spawn().await;
    let before = events_so_far(&app).await;
    for _ in 0..3 {
        send_contact(&app).await;
    }
    sqlx::query("DELETE FROM platform_audit_event WHERE seq = $1").bind(before + 2).execute(&app.pool).await.expect("deleted");
    assert!(
        matches!(audit::verify(&app.pool, |_| {}).await.expect("verify"), ChainReport::Broken { seq, .. } if seq == before + 2)
    );

    let app = TestApp::spawn().await;
    let before = events_so_far(&app).await;
    for _ in 0..3 {
        send_contact(&app).await;
    }
    sqlx::query("DELETE FROM platform_audit_event WHERE seq = $1")
        .bind(before + 3)
        .execute(&app.pool)
        .await
        .expect("deleted last");
    assert!(
        matches!(audit::verify(&app.pool, |_| {}).await.expect("verify"), ChainReport::Broken { seq, .. } if seq == before + 3),
        "removing the newest event is caught too"
    );
}

#[tokio::test]
async fn administrators_search_the_log_by_person_record_and_date() {
    let app = TestApp::spawn().await;
    let reference = send_contact(&app).await;
    let (caseworker, staff) = app.signed_in(Role::Caseworker).await;
    caseworker.get(&format!("/staff/messages/{reference}")).await;
    let (admin, _) = app.signed_in(Role::Administrator).await;

    let today = platform::db::date(time::OffsetDateTime::now_utc().date());
    let (status, html) =
        admin.get_page(&format!("/staff/admin/audit?person={}&record={reference}&from={today}&to={today}", staff.email)).await;
    assert_eq!(status, 200);
    assert!(html.contains("1 events"), "one matching event");
    let when = platform::calendar::long_date(platform::calendar::uk_today());
    assert!(html.contains(&format!("on {when}")) && !html.contains(&format!("{today} ")), "local time in words");
    assert!(html.contains("viewed"));
    let (_, html) = admin.get_page("/staff/admin/audit?from=yesterday").await;
    assert!(html.contains("Enter a date like 2026-11-23"));
    // Searching the log is itself recorded.
    let events =
        audit::search(&app.pool, &Search { record: "audit log".into(), ..Default::default() }, 10).await.expect("search");
    assert!(events.iter().any(|e| e.action == "searched audit log"));
}

#[tokio::test]
async fn appends_from_many_requests_at_once_keep_one_unbroken_chain() {
    // No background work: its own audit entries would land between the two counts.
    let app = TestApp::builder().without_background_work().spawn().await;
    let before = events_so_far(&app).await;
    let sends = (0..16).map(|_| send_contact(&app));
    futures::future::join_all(sends).await;
    assert_eq!(audit::verify(&app.pool, |_| {}).await.expect("verify"), ChainReport::Intact { events: before + 16 });
}

#[tokio::test]
async fn refused_requests_from_staff_are_recorded_and_a_token_in_a_url_is_not_enough() {
    let app = TestApp::spawn().await;
    let (mut caseworker, staff) = app.signed_in(Role::Caseworker).await;
    // A page beyond the role.
    assert_eq!(caseworker.get("/staff/admin/users").await.status(), 403);
    // A form with no token, and an upload whose token rides in the address as it once did.
    assert_eq!(caseworker.post("/staff/messages", &[("anything", "1")]).await.status(), 403);
    let (officer, officer_staff) = app.signed_in(Role::TransparencyOfficer).await;
    let token = officer.csrf_token("/staff").await;
    let upload =
        reqwest::multipart::Form::new().part("documents", reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.txt"));
    let cookie = officer.cookie.clone().expect("signed in");
    let response = app
        .client
        .post(app.url(&format!("/staff/information-requests/FOI-2026-000001/documents?csrf-token={token}")))
        .header("cookie", cookie)
        .multipart(upload)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 403);

    let refusals = |email: String| {
        let pool = app.pool.clone();
        async move {
            let events = audit::search(&pool, &Search { person: email, ..Default::default() }, 10).await.expect("search");
            let refused = events.into_iter().rev().filter(|e| e.action == "was refused");
            refused.map(|e| format!("{} {}", e.record_id, e.detail)).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        refusals(staff.email).await,
        ["/staff/admin/users GET: not allowed for their role", "/staff/messages POST: the form had no valid token"]
    );
    assert_eq!(
        refusals(officer_staff.email).await,
        ["/staff/information-requests/{reference}/documents POST: the form had no valid token"]
    );
}

#[tokio::test]
async fn a_member_of_staff_signed_in_can_still_use_the_public_forms() {
    let app = TestApp::spawn().await;
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    let response = caseworker
        .post(
            "/contact",
            &[("full-name", "Sam Taylor"), ("contact-method", "email"), ("email", "sam@example.com"), ("message", "Hello")],
        )
        .await;
    assert_eq!(response.status(), 303, "posted as the public posts it, with no token");
    let events = audit::search(&app.pool, &Search { person: "public".into(), ..Default::default() }, 5).await.expect("search");
    assert!(events.iter().any(|e| e.action == "received"));
}

#[tokio::test]
async fn the_audit_log_pages_back_through_older_events_and_downloads_as_csv() {
    let app = TestApp::spawn().await;
    let (admin, _) = app.signed_in(Role::Administrator).await;
    for _ in 0..205 {
        audit::record_now(
            &app.pool,
            &audit::Actor::system("test"),
            audit::Event { action: "counted", record_type: "tally", record_id: "T-1", detail: "=SUM(A1)" },
        )
        .await
        .expect("recorded");
    }
    let (status, first) = admin.get_page("/staff/admin/audit?record=tally").await;
    assert_eq!(status, 200);
    assert!(first.contains("200 events") && first.contains("Older events"));
    let link = first.find("rel=\"next\"").and_then(|end| first[..end].rfind("href=\"").map(|start| &first[start + 6..end - 2]));
    let older = link.expect("a link to older events").replace("&#38;", "&").replace("&amp;", "&");
    let (_, second) = admin.get_page(&older).await;
    assert!(second.contains("5 events") && !second.contains("Older events"), "the last page");

    let csv = admin.get("/staff/admin/audit.csv?record=tally").await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let body = csv.text().await.expect("body");
    let mut rows = csv::Reader::from_reader(body.as_bytes());
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.expect("row")).collect();
    assert_eq!(records.len(), 205);
    assert_eq!(&records[0][7], "'=SUM(A1)", "a formula someone typed cannot run in a spreadsheet");
    let downloads: i64 = app.value("SELECT COUNT(*) FROM platform_audit_event WHERE action = $1", "downloaded audit log").await;
    assert_eq!(downloads, 1);
}

#[tokio::test]
async fn the_audit_log_names_staff_and_the_accounts_it_refers_to() {
    let app = TestApp::spawn().await;
    let (mut admin, admin_staff) = app.signed_in(Role::Administrator).await;
    let other = app.staff(Role::Caseworker, true).await;
    let disable = format!("/staff/admin/users/{}/disable", other.id);
    assert_eq!(admin.post_from("/staff/admin/users", &disable, &[]).await.status(), 303);
    let (_, page) = admin.get_page("/staff/admin/audit?record=staff").await;
    assert!(page.contains(&format!("Test Administrator ({})", admin_staff.email)), "who, by name");
    assert!(page.contains("staff account of Test Caseworker"), "what, by name");
    assert!(!page.contains(&format!("staff user {}", other.id)), "no bare account ids");
}
