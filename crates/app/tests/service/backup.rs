//! A populated office backed up and restored into an empty one is the same office.

use platform::access::Role;
use reqwest::multipart::{Form, Part};

use crate::support::{TestApp, TestDatabase, fresh_postgres_database, test_database};

#[tokio::test]
async fn a_populated_demo_office_survives_a_backup_and_restore_round_trip() {
    // A job finishing between the snapshot and the backup would make them differ.
    let app = TestApp::builder().without_background_work().spawn().await;
    // Populate: messages (one with an attachment), staff, sign-ins, audit events.
    app.post_form(
        "/contact",
        &[
            ("full-name", "Sam Taylor"),
            ("contact-method", "email"),
            ("email", "sam@example.com"),
            ("message", "Hello, “office” — £5 café"),
        ],
    )
    .await;
    let form = Form::new()
        .text("full-name", "Jo")
        .text("contact-method", "email")
        .text("email", "jo@example.com")
        .text("message", "With a file")
        .part("attachments", Part::bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nhello\n%%EOF\n".to_vec()).file_name("a.pdf"));
    assert_eq!(app.client.post(app.url("/contact")).multipart(form).send().await.expect("sent").status(), 303);
    let (caseworker, _) = app.signed_in(Role::Caseworker).await;
    caseworker.get("/staff/messages").await;
    let before = platform::backup::snapshot(&app.pool).await.expect("snapshot");

    let archive = app.data_dir.join("office.tar.gz");
    let storage = platform::files::Storage::from_settings(&app.settings).expect("storage");
    let mut steps = Vec::new();
    let manifest =
        platform::backup::backup(&app.pool, &storage, &archive, &[], |s| steps.push(s.to_string())).await.expect("backup");
    assert_eq!(manifest.files, 1);
    assert!(steps.iter().any(|s| s.starts_with("table ")), "progress reported");

    // Restore into a brand-new data folder and database.
    let target_dir = tempfile::tempdir().expect("dir");
    let target_url = match test_database() {
        TestDatabase::Sqlite => String::new(),
        TestDatabase::Postgres => fresh_postgres_database().await,
    };
    let settings = platform::config::Settings {
        data_dir: target_dir.path().to_path_buf(),
        database_url: target_url,
        ..app.settings.clone()
    };
    let pool = platform::db::connect_lazy(&settings).expect("pool");
    platform::db::migrate(&pool, &commissioner::migrators()).await.expect("migrated");
    let target_storage = platform::files::Storage::from_settings(&settings).expect("storage");
    let known: Vec<i64> = platform::db::combined(&commissioner::migrators()).iter().map(|m| m.version).collect();
    platform::backup::restore(&pool, &target_storage, &archive, None, &known, |_| {}).await.expect("restored");

    let after = platform::backup::snapshot(&pool).await.expect("snapshot");
    assert_eq!(before, after, "every row of every table restored");
    assert_eq!(target_storage.list_hashes().await.expect("list"), storage.list_hashes().await.expect("list"));
    assert!(matches!(platform::audit::verify(&pool, |_| {}).await.expect("verify"), platform::audit::ChainReport::Intact { .. }));

    // A second restore into the now-populated database is refused.
    let again = platform::backup::restore(&pool, &target_storage, &archive, None, &known, |_| {}).await;
    assert!(again.expect_err("refused").to_string().contains("not empty"));
    // A backup from a newer version is refused too.
    let fewer: Vec<i64> = known[..known.len() - 1].to_vec();
    let empty_dir = tempfile::tempdir().expect("dir");
    let empty_settings = platform::config::Settings {
        data_dir: empty_dir.path().to_path_buf(),
        database_url: String::new(),
        ..app.settings.clone()
    };
    let empty_pool = platform::db::connect_lazy(&empty_settings).expect("pool");
    platform::db::migrate(&empty_pool, &commissioner::migrators()).await.expect("migrated");
    let empty_storage = platform::files::Storage::from_settings(&empty_settings).expect("storage");
    let newer = platform::backup::restore(&empty_pool, &empty_storage, &archive, None, &fewer, |_| {}).await;
    assert!(newer.expect_err("refused").to_string().contains("newer version"));
}

/// An empty database and data folder of this run's kind, ready to restore into.
async fn empty_target(app: &TestApp) -> (platform::db::Pool, platform::files::Storage, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("dir");
    let database_url = match test_database() {
        TestDatabase::Sqlite => String::new(),
        TestDatabase::Postgres => fresh_postgres_database().await,
    };
    let settings = platform::config::Settings { data_dir: dir.path().to_path_buf(), database_url, ..app.settings.clone() };
    let pool = platform::db::connect_lazy(&settings).expect("pool");
    platform::db::migrate(&pool, &commissioner::migrators()).await.expect("migrated");
    let storage = platform::files::Storage::from_settings(&settings).expect("storage");
    (pool, storage, dir)
}

#[tokio::test]
async fn an_encrypted_backup_opens_only_with_its_key() {
    use age::secrecy::ExposeSecret;
    let app = TestApp::builder().without_background_work().spawn().await;
    let before = platform::backup::snapshot(&app.pool).await.expect("snapshot");
    let key = age::x25519::Identity::generate();
    let archive = app.data_dir.join("office.tar.gz.age");
    let storage = platform::files::Storage::from_settings(&app.settings).expect("storage");
    platform::backup::backup(&app.pool, &storage, &archive, &[key.to_public()], |_| {}).await.expect("backup");
    let bytes = std::fs::read(&archive).expect("archive");
    assert!(bytes.starts_with(b"age-encryption.org/v1"), "an age file");
    let known: Vec<i64> = platform::db::combined(&commissioner::migrators()).iter().map(|m| m.version).collect();

    let (pool, target_storage, dir) = empty_target(&app).await;
    let refused = platform::backup::restore(&pool, &target_storage, &archive, None, &known, |_| {}).await;
    assert!(refused.expect_err("refused").to_string().contains("the backup is encrypted"));
    let wrong = dir.path().join("wrong.key");
    std::fs::write(&wrong, age::x25519::Identity::generate().to_string().expose_secret()).expect("key");
    let refused = platform::backup::restore(&pool, &target_storage, &archive, Some(&wrong), &known, |_| {}).await;
    assert!(refused.expect_err("refused").to_string().contains("the key does not open this backup"));

    let right = dir.path().join("office.key");
    std::fs::write(&right, key.to_string().expose_secret()).expect("key");
    platform::backup::restore(&pool, &target_storage, &archive, Some(&right), &known, |_| {}).await.expect("restored");
    assert_eq!(platform::backup::snapshot(&pool).await.expect("snapshot"), before, "every row back");
    assert!(platform::backup::parse_recipients(&["not-a-key".into()]).is_err(), "a mistyped key is refused, not ignored");
}
