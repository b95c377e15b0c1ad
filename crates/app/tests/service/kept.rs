//! Nothing typed is lost when a session ends: a form sent after it ended is kept for the person
//! whose session it was, handed back to them (and no one else) after signing in again, and sent
//! on with one press.

use platform::access::Role;
use reqwest::Response;

use crate::support::{TestApp, TestStaff};

const PAGE: &str = "/staff/information-requests/settings";

fn set_cookie(response: &Response, name: &str) -> String {
    let pair = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie"));
    pair.split(';').next().expect("pair").to_string()
}

/// Signs in by hand in a browser that carries `kept`, with the code `steps` ahead of now (a code
/// is never taken twice), returning where it was sent and its session cookie.
async fn sign_in_carrying(app: &TestApp, staff: &TestStaff, kept: &str, steps: i64) -> (String, String) {
    let send = |path: &str, cookie: String, fields: Vec<(&str, String)>| {
        app.client.post(app.url(path)).header("cookie", cookie).form(&fields).send()
    };
    let password =
        send("/staff/sign-in", kept.to_string(), vec![("email", staff.email.clone()), ("password", staff.password.clone())])
            .await
            .expect("sent");
    assert_eq!(password.headers()["location"], "/staff/two-factor");
    let session = set_cookie(&password, "commissioner_session");
    let page = app.client.get(app.url("/staff/two-factor")).header("cookie", &session).send().await.expect("page");
    let html = page.text().await.expect("page");
    let token = csrf_in(&html);
    let code = send(
        "/staff/two-factor",
        format!("{session}; {kept}"),
        vec![("csrf-token", token), ("code", staff.code_at_offset(steps))],
    )
    .await
    .expect("sent");
    assert_eq!(code.status(), 303);
    (code.headers()["location"].to_str().expect("location").to_string(), set_cookie(&code, "commissioner_session"))
}

fn csrf_in(html: &str) -> String {
    let marker = r#"name="csrf-token" value=""#;
    let start = html.find(marker).expect("a token") + marker.len();
    html[start..].chars().take_while(|c| *c != '"').collect()
}

#[tokio::test]
async fn a_form_sent_after_the_session_ended_is_kept_for_its_author_and_sent_on() {
    let app = TestApp::spawn().await;
    let (admin, staff) = app.signed_in(Role::Administrator).await;
    let token = admin.csrf_token(PAGE).await;
    sqlx::query("UPDATE platform_session SET last_seen_at = '2000-01-01T00:00:00Z' WHERE user_id = $1")
        .bind(&staff.id)
        .execute(&app.pool)
        .await
        .expect("idle");

    // Saved after the session ran out: kept, and the sign-in page says so.
    let late = app
        .client
        .post(app.url(PAGE))
        .header("cookie", admin.cookie.clone().expect("cookie"))
        .form(&[("csrf-token", token.as_str()), ("approval", "drafter-may-approve")])
        .send()
        .await
        .expect("sent");
    assert_eq!(late.status(), 303);
    assert_eq!(late.headers()["location"], "/staff/sign-in?kept=yes");
    let kept = set_cookie(&late, "commissioner_kept");
    let (_, sign_in) = app.get_page("/staff/sign-in?kept=yes").await;
    assert!(sign_in.contains("What you were sending has been kept"));
    assert!(!casework::information::policy::load(&app.pool).await.expect("policy").drafter_may_approve, "not saved yet");

    // Someone else signing in on that browser is not given it.
    let other = app.staff(Role::Administrator, true).await;
    let (went, other_session) = sign_in_carrying(&app, &other, &kept, 0).await;
    assert_eq!(went, "/staff");
    let peek = app.client.get(app.url("/staff/kept-form")).header("cookie", format!("{other_session}; {kept}")).send().await;
    assert_eq!(peek.expect("sent").headers()["location"], "/staff");

    // Its author is taken back to it, reads it, and sends it on.
    let (went, session) = sign_in_carrying(&app, &staff, &kept, 1).await;
    assert_eq!(went, "/staff/kept-form");
    let cookies = format!("{session}; {kept}");
    let page = app.client.get(app.url("/staff/kept-form")).header("cookie", &cookies).send().await.expect("page");
    let html = page.text().await.expect("page");
    assert!(html.contains("Approval") && html.contains("drafter-may-approve"), "{html}");
    let fresh = csrf_in(&html);
    let fields = [("csrf-token", fresh.as_str()), ("approval", "drafter-may-approve")];
    let on = app.client.post(app.url("/staff/kept-form")).header("cookie", &cookies).form(&fields).send().await.expect("sent");
    assert_eq!(on.status(), 307, "the browser posts the same form on");
    assert_eq!(on.headers()["location"], PAGE);
    let saved = app.client.post(app.url(PAGE)).header("cookie", &session).form(&fields).send().await.expect("sent");
    assert_eq!(saved.status(), 200);
    assert!(casework::information::policy::load(&app.pool).await.expect("policy").drafter_may_approve);
    let left: i64 = app.one("SELECT COUNT(*) FROM platform_kept_form").await;
    assert_eq!(left, 0, "sent on, it is no longer kept");
}
