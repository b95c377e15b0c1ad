//! The same migrations and queries on both databases.

use platform::calendar::{self, CalendarChange, ChangeKind, Nation};
use time::macros::date;

use crate::support::{TestApp, TestDatabase, test_database};

#[tokio::test]
async fn migrations_are_forward_only_and_running_them_again_changes_nothing() {
    let app = TestApp::spawn().await;
    for migrator in commissioner::migrators() {
        for migration in migrator.iter() {
            assert!(!migration.migration_type.is_down_migration(), "{} is a down migration", migration.description);
        }
    }
    let again = platform::db::migrate(&app.pool, &commissioner::migrators()).await.expect("migrate again");
    assert!(again.applied_now.is_empty());
    assert!(platform::db::pending_migrations(&app.pool, &commissioner::migrators()).await.expect("pending").is_empty());
}

#[tokio::test]
async fn the_database_is_the_one_this_run_asked_for() {
    let app = TestApp::spawn().await;
    let expected = match test_database() {
        TestDatabase::Sqlite => platform::db::Backend::Sqlite,
        TestDatabase::Postgres => platform::db::Backend::Postgres,
    };
    assert_eq!(platform::db::backend(&app.pool), expected);
}

#[tokio::test]
async fn sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout() {
    if test_database() != TestDatabase::Sqlite {
        return;
    }
    let app = TestApp::spawn().await;
    let mut conn = app.pool.acquire().await.expect("connection");
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut *conn).await.expect("pragma");
    assert_eq!(mode.to_lowercase(), "wal");
    let foreign_keys: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&mut *conn).await.expect("pragma");
    assert_eq!(foreign_keys, 1);
    let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout").fetch_one(&mut *conn).await.expect("pragma");
    assert!(timeout >= 1000, "busy timeout {timeout}");
    let synchronous: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await.expect("pragma");
    assert_eq!(synchronous, 2, "FULL: every commit synced, so a power cut loses nothing acknowledged");
    let wal_limit: i64 = sqlx::query_scalar("PRAGMA journal_size_limit").fetch_one(&mut *conn).await.expect("pragma");
    assert_eq!(wal_limit, platform::db::WAL_SIZE_LIMIT_BYTES);
    assert!(app.data_dir.join("commissioner.db").exists());
}

#[tokio::test]
async fn a_calendar_change_added_by_an_administrator_is_read_back_and_moves_deadlines() {
    let app = TestApp::spawn().await;
    let before = calendar::store::freedom_of_information(&app.pool).await.expect("calendar");
    let received = date!(2031 - 06 - 02);
    let deadline_before = calendar::add_working_days(received, 20, &before);
    let change = CalendarChange {
        date: date!(2031 - 06 - 10),
        nation: Nation::NorthernIreland,
        kind: ChangeKind::Added,
        name: "Proclaimed holiday".into(),
    };
    calendar::store::add_change(&app.pool, &change, time::OffsetDateTime::now_utc()).await.expect("stored");
    let after = calendar::store::freedom_of_information(&app.pool).await.expect("calendar");
    assert_eq!(calendar::add_working_days(received, 20, &after), calendar::add_working_days(deadline_before, 1, &before));
    assert!(calendar::store::all_changes(&app.pool).await.expect("changes").contains(&change));
    // The same change twice is refused by the database, not silently doubled.
    assert!(calendar::store::add_change(&app.pool, &change, time::OffsetDateTime::now_utc()).await.is_err());
}

#[tokio::test]
async fn reference_numbers_restart_each_year_and_never_repeat() {
    let app = TestApp::spawn().await;
    let a = platform::reference::next(&app.pool, "TST", 2026).await.expect("next");
    let b = platform::reference::next(&app.pool, "TST", 2026).await.expect("next");
    let c = platform::reference::next(&app.pool, "TST", 2027).await.expect("next");
    let d = platform::reference::next(&app.pool, "OTH", 2026).await.expect("next");
    assert_eq!(
        [a.to_string(), b.to_string(), c.to_string(), d.to_string()],
        ["TST-2026-000001", "TST-2026-000002", "TST-2027-000001", "OTH-2026-000001"]
    );
}

#[tokio::test]
async fn stored_text_keeps_every_character() {
    let app = TestApp::spawn().await;
    let office = platform::office::Office {
        name: "Swyddfa’r Comisiynydd — “Dyfed-Powys” 🚓".into(),
        ..platform::office::Office::unconfigured()
    };
    platform::office::save(&app.pool, &office, time::OffsetDateTime::now_utc()).await.expect("saved");
    let loaded = platform::office::load(&app.pool).await.expect("loaded").expect("present");
    assert_eq!(loaded.name, office.name);
}

/// A message whose sender asked for a reply by post, stored before post had one spelling, is kept
/// whole as "letter" by the migration that rebuilt the table, on either database.
#[tokio::test]
async fn a_message_stored_with_the_old_spelling_of_post_reads_as_letter() {
    const ONE_SPELLING: i64 = 20261206002000;
    sqlx::any::install_default_drivers();
    let folder = tempfile::tempdir().expect("temp dir");
    let url = match test_database() {
        TestDatabase::Sqlite => format!("sqlite://{}?mode=rwc", folder.path().join("old.db").display()),
        TestDatabase::Postgres => crate::support::fresh_postgres_database().await,
    };
    let pool = sqlx::AnyPool::connect(&url).await.expect("connect");
    let all = platform::db::combined(&commissioner::migrators());
    let before: Vec<_> = all.iter().filter(|m| m.version < ONE_SPELLING).cloned().collect();
    sqlx::migrate::Migrator::with_migrations(before).run(&pool).await.expect("migrations before the change");
    for (id, method, anonymised) in [("m1", "post", None), ("m2", "email", Some("2026-01-02T03:04:05Z"))] {
        sqlx::query(
            "INSERT INTO correspondence_contact_message (id, reference, submission_key, full_name, email, postal_address, \
             postcode, contact_method, message, received_at, reply_due_on, anonymised_at) \
             VALUES ($1, $2, $3, 'Sam Taylor', NULL, '1 Mill Lane', 'ST16 2DJ', $4, 'The lights are out.', \
             '2026-01-01T09:00:00Z', '2026-01-15', $5)",
        )
        .bind(id)
        .bind(format!("MSG-2026-00000{}", &id[1..]))
        .bind(format!("key-{id}"))
        .bind(method)
        .bind(anonymised)
        .execute(&pool)
        .await
        .expect("an old message");
    }
    let report = platform::db::migrate(&pool, &commissioner::migrators()).await.expect("the rest");
    assert!(report.applied_now.contains(&ONE_SPELLING));
    let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT id, contact_method, postal_address, anonymised_at FROM correspondence_contact_message ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .expect("messages");
    assert_eq!(
        rows,
        [
            ("m1".into(), "letter".into(), "1 Mill Lane".into(), None),
            ("m2".into(), "email".into(), "1 Mill Lane".into(), Some("2026-01-02T03:04:05Z".into())),
        ]
    );
    let refused =
        sqlx::query("UPDATE correspondence_contact_message SET contact_method = 'post' WHERE id = 'm1'").execute(&pool).await;
    assert!(refused.is_err(), "the old spelling is no longer accepted");
    pool.close().await;
}
