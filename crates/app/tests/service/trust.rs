//! The holes the December 2026 security test found (issue 13), each shown closed: guessing the
//! second factor, visitors behind a proxy, deleted files, uploads that fill the disk, slow and
//! greedy connections, races past the rate limits, password reset floods, metrics.

use std::time::Duration;

use platform::access::Role;
use reqwest::multipart::{Form, Part};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::support::TestApp;

async fn audit_actions(app: &TestApp, record: &str) -> Vec<(String, String)> {
    platform::audit::search(&app.pool, &platform::audit::Search { record: record.into(), ..Default::default() }, 500)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| (e.action, e.address))
        .collect()
}

/// The subjects of the emails to `address`, oldest first.
async fn mail_to(app: &TestApp, address: &str) -> Vec<String> {
    crate::support::outbox_to(app, address).await.into_iter().map(|(subject, _)| subject).collect()
}

#[tokio::test]
async fn five_wrong_codes_end_the_sign_in_and_three_such_sign_ins_lock_the_account() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    let (_administrator, admin) = app.signed_in(Role::Administrator).await;
    for round in 1..=3 {
        let mut visitor = app.visitor();
        let response = visitor.submit_password(&staff.email, &staff.password).await;
        assert_eq!(response.headers()["location"], "/staff/two-factor", "round {round}: the password still works");
        let csrf = visitor.csrf_token("/staff/two-factor").await;
        for attempt in 1..=4 {
            let wrong = visitor.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", "000000")]).await;
            assert_eq!(wrong.status(), 422, "round {round}, code {attempt}");
            let left = 5 - attempt;
            let tries = if left == 1 { "1 more try".to_string() } else { format!("{left} more tries") };
            assert!(wrong.text().await.expect("body").contains(&format!("You have {tries}")));
        }
        let fifth = visitor.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", "000000")]).await;
        assert_eq!(fifth.status(), 303);
        let expected = if round < 3 { "/staff/sign-in?codes=ended" } else { "/staff/sign-in?codes=locked" };
        assert_eq!(fifth.headers()["location"], expected);
        // The half-finished session is gone: even the right code now goes nowhere.
        let after = visitor.post("/staff/two-factor", &[("csrf-token", &csrf), ("code", &staff.code_now())]).await;
        assert_eq!(after.status(), 303);
        assert_eq!(after.headers()["location"], "/staff/sign-in");
    }
    let user = platform::auth::store::find_by_id(&app.pool, &staff.id).await.expect("read").expect("user");
    assert!(user.disabled, "three ended sign-ins lock the account");
    let actions = audit_actions(&app, &staff.id).await;
    assert_eq!(actions.iter().filter(|(a, _)| a == "wrong second-factor code").count(), 15, "each wrong code audited");
    assert_eq!(actions.iter().filter(|(a, _)| a == "sign-in ended").count(), 2);
    assert_eq!(actions.iter().filter(|(a, _)| a == "account locked").count(), 1);
    let told = mail_to(&app, &staff.email).await;
    assert_eq!(told.iter().filter(|s| s.contains("could not finish signing in")).count(), 2, "{told:?}");
    assert!(told.iter().any(|s| s == "Your staff account has been locked"), "{told:?}");
    assert!(mail_to(&app, &admin.email).await.iter().any(|s| s == "A staff account has been locked"));
    // The right password no longer signs in until an administrator acts.
    let mut visitor = app.visitor();
    let refused = visitor.submit_password(&staff.email, &staff.password).await;
    assert_eq!(refused.status(), 422);
}

#[tokio::test]
async fn parallel_guesses_at_the_second_factor_get_five_tries_in_all() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    let mut visitor = app.visitor();
    visitor.submit_password(&staff.email, &staff.password).await;
    let csrf = visitor.csrf_token("/staff/two-factor").await;
    let cookie = visitor.cookie.clone().expect("session");
    let guesses = (0..20).map(|n| {
        let client = app.client.clone();
        let url = app.url("/staff/two-factor");
        let (cookie, csrf) = (cookie.clone(), csrf.clone());
        async move {
            let code = format!("{n:06}");
            client.post(url).header("cookie", cookie).form(&[("csrf-token", csrf.as_str()), ("code", code.as_str())]).send().await
        }
    });
    futures::future::join_all(guesses).await;
    let checked = audit_actions(&app, &staff.id).await.iter().filter(|(a, _)| a == "wrong second-factor code").count();
    assert_eq!(checked, 5, "only five of twenty parallel guesses were checked");
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_visitor_is_counted_and_audited_as_themselves() {
    let app = TestApp::builder().setting(|s| s.trusted_proxies = "127.0.0.1".into()).spawn().await;
    let staff = app.staff(Role::PanelMember, false).await;
    let sign_in_from = |address: &'static str, email: String, password: String| {
        let client = app.client.clone();
        let url = app.url("/staff/sign-in");
        async move {
            client
                .post(url)
                .header("x-forwarded-for", address)
                .form(&[("email", email.as_str()), ("password", password.as_str())])
                .send()
                .await
                .expect("sent")
        }
    };
    for n in 0..app.settings.address_failure_limit {
        sign_in_from("203.0.113.66", format!("guess{n}@office.example"), "guessing guessing".into()).await;
    }
    let throttled = sign_in_from("203.0.113.66", staff.email.clone(), staff.password.clone()).await;
    assert!(throttled.text().await.expect("body").contains("too many attempts to sign in from your network"));
    // Another visitor through the same proxy is not held up by the first.
    let other = sign_in_from("198.51.100.7", staff.email.clone(), staff.password.clone()).await;
    assert_eq!(other.status(), 303, "a different visitor signs in");
    let actions = audit_actions(&app, &staff.id).await;
    assert!(actions.iter().any(|(action, address)| action == "signed in" && address == "198.51.100.7"), "{actions:?}");

    // Without the setting, the header is anyone's to write and is ignored.
    let plain = TestApp::spawn().await;
    let staff = plain.staff(Role::PanelMember, false).await;
    let response = plain
        .client
        .post(plain.url("/staff/sign-in"))
        .header("x-forwarded-for", "192.0.2.99")
        .form(&[("email", staff.email.as_str()), ("password", staff.password.as_str())])
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 303);
    let actions = audit_actions(&plain, &staff.id).await;
    assert!(actions.iter().any(|(action, address)| action == "signed in" && address == "127.0.0.1"), "{actions:?}");
}

#[tokio::test]
async fn parallel_wrong_passwords_are_checked_no_more_than_the_lockout_allows_and_lock_out_only_that_client() {
    let app = TestApp::builder().setting(|s| s.trusted_proxies = "127.0.0.1".into()).spawn().await;
    let staff = app.staff(Role::PanelMember, false).await;
    let try_from = |address: &'static str, email: String, password: &'static str| {
        let client = app.client.clone();
        let url = app.url("/staff/sign-in");
        async move {
            let response = client
                .post(url)
                .header("x-forwarded-for", address)
                .form(&[("email", email.as_str()), ("password", password)])
                .send()
                .await
                .expect("sent");
            (response.status().as_u16(), response.text().await.expect("body"))
        }
    };
    let attacker = "203.0.113.50";
    let pages = futures::future::join_all((0..20).map(|_| try_from(attacker, staff.email.clone(), "wrong wrong wrong"))).await;
    let checked = pages.iter().filter(|(_, html)| html.contains("Enter a correct email address and password")).count();
    assert!(checked <= 5, "{checked} of 20 parallel guesses were checked");
    // However the burst fell, five wrong passwords from one client lock that client out.
    let mut locked = false;
    for _ in 0..6 {
        let (_, html) = try_from(attacker, staff.email.clone(), "wrong wrong wrong").await;
        locked |= html.contains("There have been too many wrong passwords for this account");
    }
    assert!(locked, "the guessing client waits");
    let (status, _) = try_from(attacker, staff.email.clone(), "a long test passphrase 42").await;
    assert_eq!(status, 422, "even the right password waits on that client");
    // The person themselves, elsewhere, is not locked out by someone else's guessing.
    let (status, _) = try_from("198.51.100.20", staff.email.clone(), "a long test passphrase 42").await;
    assert_eq!(status, 303, "the real person still signs in");
    // The lockout message is the same for an account that does not exist.
    for _ in 0..5 {
        try_from(attacker, "nobody@office.example".into(), "wrong wrong wrong").await;
    }
    let (_, html) = try_from(attacker, "nobody@office.example".into(), "wrong wrong wrong").await;
    assert!(html.contains("There have been too many wrong passwords for this account"));
}

#[tokio::test]
async fn parallel_tracker_guesses_stop_at_the_limit() {
    let app = TestApp::spawn().await;
    let guesses = (0..60).map(|n| {
        let client = app.client.clone();
        let url = app.url("/asb-case-review/track");
        async move {
            let reference = format!("ASB-2026-{:06}", 900_000 + n);
            client
                .post(url)
                .form(&[("reference", reference.as_str()), ("postcode", "ST4 1AB")])
                .send()
                .await
                .expect("sent")
                .status()
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    let evaluated = statuses.iter().filter(|s| s.as_u16() == 422).count();
    assert!(evaluated <= casekit::tracker::MAX_FAILURES_PER_HOUR as usize, "{evaluated} of 60 parallel guesses evaluated");
    assert!(statuses.iter().filter(|s| s.as_u16() == 429).count() >= 50);
}

#[tokio::test]
async fn password_reset_emails_are_limited_and_only_the_newest_link_works() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    for _ in 0..5 {
        let response = app.post_form("/staff/password-reset", &[("email", &staff.email)]).await;
        assert_eq!(response.status(), 200);
    }
    let registry = commissioner::server::job_registry(app.settings.clone());
    while platform::jobs::run_one(&app.pool, &registry, "test").await.expect("job") {}
    let sent = mail_to(&app, &staff.email).await;
    assert_eq!(sent.len(), 3, "three emails an hour for one account: {sent:?}");
    let live: i64 =
        app.value("SELECT COUNT(*) FROM platform_password_reset WHERE user_id = $1 AND used_at IS NULL", &staff.id).await;
    assert_eq!(live, 1, "a new link voids the older ones");
    for n in 0..10 {
        app.post_form("/staff/password-reset", &[("email", &format!("someone{n}@office.example"))]).await;
    }
    let flood = app.post_form("/staff/password-reset", &[("email", &staff.email)]).await;
    assert_eq!(flood.status(), 429, "one address cannot send a flood of reset emails");
    // Known and unknown emails are answered alike: each request within the address's ten an hour
    // is one job, the account looked up later, so the page cannot time who has an account.
    let jobs: i64 = app.value("SELECT COUNT(*) FROM platform_job WHERE kind = $1", platform::auth::reset::REQUEST_JOB).await;
    assert_eq!(jobs, 10);
}

const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
];

/// A fresh ASB application draft's evidence page.
async fn draft_evidence_page(app: &TestApp) -> String {
    let response = app.post_form("/asb-case-review/apply", &[]).await;
    let to = response.headers()["location"].to_str().expect("location").to_string();
    format!("{}/evidence", to.trim_end_matches("/applicant"))
}

async fn upload(app: &TestApp, page: &str, name: &str, bytes: Vec<u8>) -> String {
    let form = Form::new().part("evidence", Part::bytes(bytes).file_name(name.to_string()));
    app.client.post(app.url(page)).multipart(form).send().await.expect("sent").text().await.expect("body")
}

/// The remove buttons on an evidence page.
fn remove_actions(html: &str) -> Vec<String> {
    html.match_indices("/evidence/")
        .filter_map(|(at, _)| {
            let start = html[..at].rfind('"')? + 1;
            let end = at + html[at..].find('"')?;
            let action = &html[start..end];
            action.ends_with("/remove").then(|| action.to_string())
        })
        .collect()
}

async fn removed_files_leave_storage(app: &TestApp, stored: impl Fn(&str) -> bool) {
    let page = draft_evidence_page(app).await;
    let bytes = format!("Noise diary kept by {}", platform::ids::new_id()).into_bytes();
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    let html = upload(app, &page, "diary.txt", bytes).await;
    assert!(stored(&hash), "the file is stored");
    for action in remove_actions(&html) {
        let response = app.client.post(app.url(&action)).send().await.expect("sent");
        assert_eq!(response.status(), 303);
    }
    let storage = platform::files::Storage::from_settings(&app.settings).expect("storage");
    platform::files::collect_orphans(&app.pool, &storage, time::Duration::ZERO).await.expect("collected");
    assert!(!stored(&hash), "the bytes are gone once no record holds them");
}

#[tokio::test]
async fn a_removed_file_is_deleted_from_local_disk() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let root = app.data_dir.join("files").join("sha256");
    removed_files_leave_storage(&app, |hash| root.join(&hash[..2]).join(hash).exists()).await;
}

#[tokio::test]
async fn a_removed_file_is_deleted_from_s3_compatible_storage() {
    let s3 = crate::support::S3Server::start().await;
    let app = TestApp::builder().without_background_work().s3(s3.endpoint.clone(), s3.bucket.clone()).spawn().await;
    let page = draft_evidence_page(&app).await;
    let bytes = format!("Photo notes {}", platform::ids::new_id()).into_bytes();
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    let html = upload(&app, &page, "notes.txt", bytes).await;
    assert!(s3.listing().await.contains(&hash), "stored in the bucket");
    for action in remove_actions(&html) {
        app.client.post(app.url(&action)).send().await.expect("sent");
    }
    let storage = platform::files::Storage::from_settings(&app.settings).expect("storage");
    assert_eq!(platform::files::collect_orphans(&app.pool, &storage, time::Duration::ZERO).await.expect("collected"), 1);
    assert!(!s3.listing().await.contains(&hash), "gone from the bucket");
}

#[tokio::test]
async fn contents_another_record_still_holds_are_kept_and_backups_skip_deleted_ones() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let root = app.data_dir.join("files").join("sha256");
    let bytes = b"The same letter sent twice".to_vec();
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(&bytes));
    let first = draft_evidence_page(&app).await;
    let second = draft_evidence_page(&app).await;
    let html = upload(&app, &first, "letter.txt", bytes.clone()).await;
    upload(&app, &second, "letter.txt", bytes).await;
    for action in remove_actions(&html) {
        app.client.post(app.url(&action)).send().await.expect("sent");
    }
    let storage = platform::files::Storage::from_settings(&app.settings).expect("storage");
    platform::files::collect_orphans(&app.pool, &storage, time::Duration::ZERO).await.expect("collected");
    assert!(root.join(&hash[..2]).join(&hash).exists(), "the second draft still holds the contents");

    // A file stored with no record (from before orphans were noted) never reaches a backup.
    storage.write_bytes(&"ab".repeat(32), bytes::Bytes::from_static(b"left behind")).await.expect("written");
    let output = app.data_dir.join("backup.tar.gz");
    let backup_storage = platform::files::Storage::from_settings(&app.settings).expect("storage");
    platform::backup::backup(&app.pool, &backup_storage, &output, &[], |_| {}).await.expect("backup");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&output).expect("archive").permissions());
    assert_eq!(mode & 0o777, 0o600, "the archive is readable by its owner alone");
    let mut names = Vec::new();
    let archive = std::fs::File::open(&output).expect("open");
    for entry in tar::Archive::new(flate2::read::GzDecoder::new(archive)).entries().expect("entries") {
        names.push(entry.expect("entry").path().expect("path").display().to_string());
    }
    assert!(names.contains(&format!("files/{hash}")), "{names:?}");
    assert!(!names.iter().any(|n| n.contains(&"ab".repeat(32))), "unreferenced contents stay out: {names:?}");
    // The weekly sweep deletes them.
    assert_eq!(
        platform::files::collect_unreferenced(&app.pool, &storage, Duration::ZERO).await.expect("swept"),
        1,
        "only the contents no record holds"
    );
}

#[tokio::test]
async fn upload_and_remove_cannot_fill_the_disk() {
    let app = TestApp::builder().without_background_work().upload_max_bytes(4096).spawn().await;
    let page = draft_evidence_page(&app).await;
    // Room for the form's three files twice over: 24 KiB at 4 KiB a file.
    let mut refused_after = None;
    for round in 0..20 {
        let html = upload(&app, &page, "photo.png", [PNG, &vec![0u8; 3000]].concat()).await;
        if html.contains("You have uploaded as much as we can take for now") {
            refused_after = Some(round);
            break;
        }
        for action in remove_actions(&html) {
            app.client.post(app.url(&action)).send().await.expect("sent");
        }
    }
    let rounds = refused_after.expect("uploads to one form stop");
    assert!((6..=9).contains(&rounds), "refused after {rounds} uploads of about 3 KB");

    // And one address cannot spread the same across many forms.
    let app =
        TestApp::builder().without_background_work().setting(|s| s.upload_bytes_per_address_per_hour = 10_000).spawn().await;
    let mut refused = false;
    for _ in 0..6 {
        let page = draft_evidence_page(&app).await;
        let html = upload(&app, &page, "photo.png", [PNG, &vec![0u8; 3000]].concat()).await;
        refused |= html.contains("You have uploaded as much as we can take for now");
    }
    assert!(refused, "the address's hourly allowance is enforced");
}

#[tokio::test]
async fn uploads_are_refused_with_the_503_page_when_the_disk_is_nearly_full() {
    let app = TestApp::builder().setting(|s| s.upload_min_free_bytes = u64::MAX).spawn().await;
    let page = draft_evidence_page(&app).await;
    let form = Form::new().part("evidence", Part::bytes(b"a note".to_vec()).file_name("note.txt"));
    let response = app.client.post(app.url(&page)).multipart(form).send().await.expect("sent");
    assert_eq!(response.status(), 503);
    assert!(response.text().await.expect("body").contains("Sorry, the service is unavailable"));
}

#[tokio::test]
async fn slow_headers_and_greedy_clients_lose_their_connections() {
    let app = TestApp::builder()
        .setting(|s| {
            s.header_read_timeout_secs = 1;
            s.connections_per_address = 3;
        })
        .spawn()
        .await;
    // Headers trickled: cut off.
    let mut slow = tokio::net::TcpStream::connect(app.address).await.expect("connect");
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.expect("write");
    let mut buffer = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut buffer)).await;
    assert!(closed.is_ok(), "the server closed a connection whose headers never finished");

    // Three idle connections are all one address may hold; a fourth is closed at once.
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(tokio::net::TcpStream::connect(app.address).await.expect("connect"));
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fourth = tokio::net::TcpStream::connect(app.address).await.expect("connect");
    let _ = fourth.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), fourth.read_to_end(&mut answer)).await;
    assert!(answer.is_empty(), "no answer on a connection over the cap");
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.get("/healthz").await.status(), 200, "slots come back when connections close");
}

#[tokio::test]
async fn metrics_are_served_only_to_the_allowed_addresses() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/metrics").await.status(), 200, "loopback is allowed by default");
    let closed = TestApp::builder().setting(|s| s.metrics_allow = "192.0.2.10".into()).spawn().await;
    let (status, html) = closed.get_page("/metrics").await;
    assert_eq!(status, 404);
    assert!(!html.contains("http_requests"), "nothing of the figures shown");
}

#[tokio::test]
async fn second_factor_secrets_are_sealed_with_a_key_outside_the_database() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Caseworker, true).await;
    let secret = staff.totp_secret.clone().expect("enrolled");
    let stored: String = app.value("SELECT totp_secret FROM platform_staff_user WHERE id = $1", &staff.id).await;
    assert!(stored.starts_with("v1:") && !stored.contains(&secret), "the database holds no usable secret: {stored}");
    let mut visitor = app.visitor();
    visitor.sign_in(&staff).await;
    assert_eq!(visitor.get("/staff").await.status(), 200, "codes from the app still work");
    // A secret written before sealing began is sealed when the server next starts.
    sqlx::query("UPDATE platform_staff_user SET totp_secret = $1 WHERE id = $2")
        .bind(&secret)
        .bind(&staff.id)
        .execute(&app.pool)
        .await
        .expect("plain");
    commissioner::server::prepare(app.settings.clone()).await.expect("restarted");
    let stored: String = app.value("SELECT totp_secret FROM platform_staff_user WHERE id = $1", &staff.id).await;
    assert!(stored.starts_with("v1:"), "sealed at start-up");
}

#[tokio::test]
async fn a_form_in_progress_opens_only_in_the_browser_that_started_it() {
    let app = TestApp::spawn().await;
    // A browser with no key yet is given one, as an essential cookie, when it starts a form.
    let fresh = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let started = fresh.post(app.url("/asb-case-review/apply")).form(&[("", "")]).send().await.expect("sent");
    assert_eq!(started.status(), 303);
    let cookie = started.headers()["set-cookie"].to_str().expect("cookie").to_string();
    assert!(
        cookie.starts_with("commissioner_visitor=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let key = cookie.split(';').next().and_then(|p| p.split_once('=')).map(|(_, v)| v.to_string()).expect("key");
    let page = started.headers()["location"].to_str().expect("location").to_string();
    let with_key = reqwest::Client::builder().default_headers(crate::support::visitor_cookie(&key)).build().expect("client");
    assert_eq!(with_key.get(app.url(&page)).send().await.expect("sent").status(), 200, "the same browser carries on");
    // The address alone, from a shared computer's history, opens nothing.
    assert_eq!(fresh.get(app.url(&page)).send().await.expect("sent").status(), 404);
    let other = reqwest::Client::builder()
        .default_headers(crate::support::visitor_cookie("someone-elses-key-000000001"))
        .build()
        .expect("client");
    assert_eq!(other.get(app.url(&page)).send().await.expect("sent").status(), 404);
    let answer = other.post(app.url(&page)).form(&[("applying-as", "victim")]).send().await.expect("sent");
    assert_eq!(answer.status(), 404, "nor can another browser change it");
}

#[tokio::test]
async fn a_form_body_trickled_past_its_time_is_cut_off() {
    let app = TestApp::builder().setting(|s| s.form_body_timeout_secs = 1).spawn().await;
    let mut slow = tokio::net::TcpStream::connect(app.address).await.expect("connect");
    slow.write_all(
        b"POST /contact HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 200\r\n\r\nfull-name=Sam",
    )
    .await
    .expect("write");
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the server did not wait for the rest of the body");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 4"), "refused with a client error: {answer:.80}");
}
