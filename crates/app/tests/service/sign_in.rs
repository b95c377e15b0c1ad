//! Staff sign-in as people use it, and what happens when they get it wrong.

use platform::access::Role;
use platform::auth::store;

use crate::support::{TestApp, assert_refused};

#[tokio::test]
async fn a_caseworker_signs_in_with_password_and_code_and_out_again() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    let mut visitor = app.visitor();

    let response = visitor.post("/staff/sign-in", &[("email", &staff.email.to_uppercase()), ("password", &staff.password)]).await;
    assert_eq!(response.status(), 303);
    let cookie = response.headers()["set-cookie"].to_str().expect("cookie").to_string();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "no Secure flag without TLS");
    assert!(!cookie.contains("Max-Age") && !cookie.contains("Expires"), "a browser-session cookie: {cookie}");
    let first_token = visitor.cookie.clone().expect("session");

    // Half signed in: staff pages send them back to the second step.
    let staff_home = visitor.get("/staff").await;
    assert_eq!(staff_home.status(), 303);
    assert_eq!(staff_home.headers()["location"], "/staff/two-factor");

    let csrf = visitor.csrf_token("/staff/two-factor").await;
    let response = visitor.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", &staff.code_now())]).await;
    assert_eq!(response.status(), 303);
    let second_token = visitor.cookie.clone().expect("session");
    assert_ne!(first_token, second_token, "the session token changes when sign-in completes");

    let (status, html) = visitor.get_page("/staff").await;
    assert_eq!(status, 200);
    assert!(html.contains("Hello, Test Caseworker"));
    assert!(html.contains("Messages from the public"), "caseworkers see their work");
    assert!(!html.contains("Staff accounts"), "but not the administrator's");

    // The old token no longer works.
    let stale = app.visitor();
    let stale = crate::support::Visitor { cookie: Some(first_token), ..stale };
    assert_eq!(stale.get("/staff").await.status(), 303);

    let csrf = visitor.csrf_token("/staff").await;
    let response = visitor.post("/staff/sign-out", &[("csrf-token", &csrf)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(visitor.cookie, None, "cookie cleared");
    let after = crate::support::Visitor { cookie: Some(second_token), ..app.visitor() };
    assert_eq!(after.get("/staff").await.status(), 303, "signed out on the server too");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    let mut visitor = app.visitor();
    let wrong_password = visitor.submit_password(&staff.email, "not the password at all").await;
    assert_eq!(wrong_password.status(), 422);
    let wrong_password = wrong_password.text().await.expect("body");
    let unknown = visitor.password_page("nobody@office.example", "not the password at all").await;
    for html in [&wrong_password, &unknown] {
        assert!(html.contains("Enter a correct email address and password"));
        assert!(html.contains("There is a problem"));
    }
    let empty = visitor.password_page("", "").await;
    assert!(empty.contains("Enter your email address") && empty.contains("Enter your password"));
    assert_eq!(visitor.cookie, None);
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_for_a_while() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    let mut visitor = app.visitor();
    for _ in 0..5 {
        visitor.submit_password(&staff.email, "wrong wrong wrong").await;
    }
    let html = visitor.password_page(&staff.email, &staff.password).await;
    assert!(html.contains("There have been too many wrong passwords for this account"), "right password refused while locked");
    assert_eq!(visitor.cookie, None);
    let events =
        platform::audit::search(&app.pool, &platform::audit::Search { record: staff.id.clone(), ..Default::default() }, 10)
            .await
            .expect("audit");
    assert!(events.iter().any(|e| e.action == "account locked"));
}

#[tokio::test]
async fn many_failures_from_one_address_make_it_wait() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    let mut visitor = app.visitor();
    for i in 0..app.settings.address_failure_limit {
        visitor
            .post("/staff/sign-in", &[("email", &format!("guess{i}@office.example")), ("password", "guessing guessing")])
            .await;
    }
    let html = visitor.password_page(&staff.email, &staff.password).await;
    assert!(html.contains("too many attempts to sign in from your network"), "address throttled");
}

#[tokio::test]
async fn a_code_cannot_be_used_twice_and_a_wrong_code_is_explained() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::VictimsServicesPractitioner, true).await;
    // The same code string both times, so a 30-second boundary between them cannot matter.
    let code = staff.code_now();
    let mut first = app.visitor();
    first.submit_password(&staff.email, &staff.password).await;
    let csrf = first.csrf_token("/staff/two-factor").await;
    assert_eq!(first.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", &code)]).await.status(), 303);

    let mut second = app.visitor();
    second.submit_password(&staff.email, &staff.password).await;
    let csrf = second.csrf_token("/staff/two-factor").await;
    let reused = second.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", &code)]).await;
    assert_eq!(reused.status(), 422, "the same code twice is refused");
    assert!(reused.text().await.expect("body").contains("has already been used"));
    let wrong = second.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", "000000")]).await;
    assert_eq!(wrong.status(), 422);
    // The next code (as the app shows 30 seconds later) works.
    let next = second.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", &staff.code_at_offset(1))]).await;
    assert_eq!(next.status(), 303);
}

#[tokio::test]
async fn a_first_sign_in_sets_up_the_app_and_recovery_codes_work_once() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::GrantsOfficer, false).await;
    let mut visitor = app.visitor();
    visitor.submit_password(&staff.email, &staff.password).await;
    let (status, html) = visitor.get_page("/staff/two-factor").await;
    assert_eq!(status, 200);
    assert!(html.contains("Set up your authenticator app"));
    assert!(html.contains(r#"<svg role="img" aria-label="QR code for your authenticator app""#));
    let secret: String =
        html.split(r#"id="totp-secret">"#).nth(1).and_then(|r| r.split('<').next()).expect("secret shown").replace(' ', "");
    let enrolled = crate::support::TestStaff { totp_secret: Some(secret), ..staff.clone() };

    let csrf = visitor.csrf_token("/staff/two-factor").await;
    let response = visitor.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", &enrolled.code_now())]).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(html.contains("Save your recovery codes"));
    let codes: Vec<String> = html
        .split(r#"id="recovery-codes">"#)
        .nth(1)
        .and_then(|r| r.split("</ul>").next())
        .expect("codes")
        .split("<li>")
        .filter_map(|li| li.split("</li>").next())
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(codes.len(), 10);
    assert_eq!(visitor.get("/staff").await.status(), 200, "signed in after setting up");

    // Later, with the phone lost: a recovery code signs in once.
    for attempt in 0..2 {
        let mut later = app.visitor();
        later.submit_password(&staff.email, &staff.password).await;
        let csrf = later.csrf_token("/staff/two-factor").await;
        let response = later.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", &codes[0].to_lowercase())]).await;
        let expected = if attempt == 0 { 303 } else { 422 };
        assert_eq!(response.status(), expected, "recovery code attempt {attempt}");
    }
}

#[tokio::test]
async fn a_panel_member_signs_in_with_a_password_alone() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::PanelMember, false).await;
    let mut visitor = app.visitor();
    let response = visitor.submit_password(&staff.email, &staff.password).await;
    assert_eq!(response.headers()["location"], "/staff");
    assert_eq!(visitor.get("/staff").await.status(), 200);
    assert_eq!(visitor.get("/staff/messages").await.status(), 403, "no personal data for the Panel");
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = TestApp::spawn().await;
    let (visitor, staff) = app.signed_in(Role::Caseworker).await;
    let long_ago =
        platform::db::timestamp(time::OffsetDateTime::now_utc() - time::Duration::minutes(app.settings.session_idle_minutes + 1));
    sqlx::query("UPDATE platform_session SET last_seen_at = $1 WHERE user_id = $2")
        .bind(long_ago)
        .bind(&staff.id)
        .execute(&app.pool)
        .await
        .expect("aged");
    let response = visitor.get("/staff").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/staff/sign-in");
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_stops_sign_in() {
    let app = TestApp::spawn().await;
    let (visitor, staff) = app.signed_in(Role::Caseworker).await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let csrf = admin.csrf_token("/staff/admin/users").await;
    let response = admin.post(&format!("/staff/admin/users/{}/disable", staff.id), &[("csrf-token", &csrf)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(visitor.get("/staff").await.status(), 303, "session ended");
    let mut again = app.visitor();
    let html = again.password_page(&staff.email, &staff.password).await;
    assert!(html.contains("Enter a correct email address and password"));
    assert!(store::find_by_id(&app.pool, &staff.id).await.expect("query").expect("user").disabled);
}

#[tokio::test]
async fn forged_forms_are_refused() {
    let app = TestApp::spawn().await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let before = store::list_users(&app.pool).await.expect("users").len();
    let fields = [("display-name", "Mallory"), ("email", "mallory@evil.example"), ("role", "administrator")];
    // No token.
    assert_eq!(admin.post("/staff/admin/users", &fields).await.status(), 403);
    // A wrong token.
    let mut with_wrong = fields.to_vec();
    with_wrong.push(("csrf-token", "forged"));
    assert_eq!(admin.post("/staff/admin/users", &with_wrong).await.status(), 403);
    // The right token, but posted from another site.
    let token = admin.csrf_token("/staff/admin/users").await;
    let mut with_token = fields.to_vec();
    with_token.push(("csrf-token", &token));
    let cross_site = app
        .client
        .post(app.url("/staff/admin/users"))
        .header("cookie", admin.cookie.clone().expect("cookie"))
        .header("origin", "https://evil.example")
        .form(&with_token)
        .send()
        .await
        .expect("sent");
    assert_eq!(cross_site.status(), 403);
    // A public form posted from another site is refused too.
    let contact = app
        .client
        .post(app.url("/contact"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("full-name", "x")])
        .send()
        .await
        .expect("sent");
    assert_eq!(contact.status(), 403);
    assert_eq!(store::list_users(&app.pool).await.expect("users").len(), before, "nothing created");
    // And with everything right, it works.
    let ok = admin.post("/staff/admin/users", &with_token).await;
    assert_eq!(ok.status(), 200);
    assert!(ok.text().await.expect("body").contains("emailed a link to choose a password to mallory@evil.example"));
}

#[tokio::test]
async fn an_administrator_adding_an_account_gets_every_mistake_explained() {
    let app = TestApp::spawn().await;
    let (mut admin, existing) = app.signed_in(Role::Administrator).await;
    let token = admin.csrf_token("/staff/admin/users").await;
    // (name, email, role) and what the page says.
    let mistakes = [
        (("Sam", existing.email.as_str(), "caseworker"), "An account with that email address already exists"),
        (("Sam", "sam@office.example", ""), "Select a role"),
        (("Sam", "not an email", "caseworker"), "Enter an email address in the correct format"),
        (("", "sam@office.example", "caseworker"), "Enter the person’s name"),
        (("Pat", "pat@office.example", "partner"), "Select the partner’s organisation"),
    ];
    for ((name, email, role), message) in mistakes {
        let fields = [("csrf-token", token.as_str()), ("display-name", name), ("email", email), ("role", role)];
        let response = admin.post("/staff/admin/users", &fields).await;
        assert_refused(response, &[message]).await;
    }
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_limit_however_busy() {
    let app = TestApp::spawn().await;
    let (visitor, staff) = app.signed_in(Role::Caseworker).await;
    assert_eq!(visitor.get("/staff").await.status(), 200);
    // Busy a moment ago, but signed in longer ago than the absolute limit allows.
    sqlx::query("UPDATE platform_session SET expires_at = $1 WHERE user_id = $2")
        .bind(platform::db::timestamp(time::OffsetDateTime::now_utc() - time::Duration::seconds(1)))
        .bind(&staff.id)
        .execute(&app.pool)
        .await
        .expect("expired");
    let response = visitor.get("/staff").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/staff/sign-in");
    let sessions: i64 = app.value("SELECT COUNT(*) FROM platform_session WHERE user_id = $1", &staff.id).await;
    assert_eq!(sessions, 0, "the expired session is removed");
}

#[tokio::test]
async fn signing_in_often_with_the_right_password_never_slows_an_account() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::PanelMember, false).await;
    for n in 0..(platform::auth::store::ACCOUNT_TRIES_BEFORE_SLOWING + 5) {
        let mut visitor = app.visitor();
        let response = visitor.submit_password(&staff.email, &staff.password).await;
        assert_eq!(response.status(), 303, "sign-in {n} refused");
    }
}
