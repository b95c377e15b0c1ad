//! The case kit over every registered service: the search for everything held about a person,
//! retention of each service, reminders of information requests' due dates, and a service the
//! kit has never heard of registering without any change to it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use casekit::deadlines::Deadline;
use casekit::people::{Held, HeldRecord, PersonQuery};
use casekit::registry::{About, CaseService, Pending, Retention};
use casekit::tracker::Calendars;
use platform::access::Role;
use platform::db::Pool;
use time::{Date, Duration, OffsetDateTime};

use crate::support::TestApp;
use crate::support::with_demo_cases;

/// The first case of each service in the demo office, given one person's details.
async fn one_person_in_every_service(app: &TestApp) -> [String; 3] {
    with_demo_cases(app).await;
    let first = |table: &str| format!("SELECT reference FROM {table} ORDER BY reference LIMIT 1");
    let mut references = Vec::new();
    for (table, set) in [
        ("casework_asb_application", "applicant_name = 'Siân Ŵyn', email = 'Sian.Wyn@Example.com', postcode = 'ST16 2DJ'"),
        ("casework_complaint_review", "complainant_name = 'SIÂN ŴYN', email = 'sian.wyn@example.com', postcode = 'ST16 2DJ'"),
        ("casework_information_request", "requester_name = 'Dr Siân Ŵyn', email = 'sian.wyn@example.com', postcode = NULL"),
    ] {
        let reference: String =
            sqlx::query_scalar(sqlx::AssertSqlSafe(first(table))).fetch_one(&app.pool).await.expect("a demo case");
        let sql = format!("UPDATE {table} SET {set} WHERE reference = $1");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(&reference).execute(&app.pool).await.expect("updated");
        references.push(reference);
    }
    [references[0].clone(), references[1].clone(), references[2].clone()]
}

/// How many cases each table holds with this email address, counted in SQL, apart from the kit.
async fn held_with_email(app: &TestApp, email: &str) -> i64 {
    let mut total = 0;
    for table in ["casework_asb_application", "casework_asb_appeal", "casework_complaint_review", "casework_information_request"]
    {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE LOWER(email) = $1");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(email).fetch_one(&app.pool).await.expect("count");
        total += n;
    }
    total
}

#[tokio::test]
async fn one_search_finds_a_person_in_every_service_and_the_download_holds_it_all() {
    let app = TestApp::spawn().await;
    let [asb, complaint, information] = one_person_in_every_service(&app).await;
    let (officer, _) = app.signed_in(Role::TransparencyOfficer).await;

    // By email address, in any case: every service's record and nobody else's.
    let (status, html) = officer.get_page("/staff/people?email=SIAN.WYN%40example.com").await;
    assert_eq!(status, 200);
    let expected = held_with_email(&app, "sian.wyn@example.com").await;
    assert_eq!(expected, 3);
    assert!(html.contains("3 records found"), "{html}");
    for reference in [&asb, &complaint, &information] {
        assert!(html.contains(reference.as_str()), "{reference} listed");
    }

    // By part of a name, whatever its case and accents' case: SQLite's LOWER would miss "SIÂN".
    let (_, html) = officer.get_page("/staff/people?name=si%C3%A2n").await;
    assert!(html.contains("3 records found") && html.contains("name"), "{html}");
    // By postcode, however typed: the information request holds none.
    let (_, html) = officer.get_page("/staff/people?postcode=st162dj").await;
    assert!(html.contains(&asb) && html.contains(&complaint) && !html.contains(&information));

    // The downloads hold every record with what each service holds on it.
    let response = officer.get("/staff/people/export.json?email=sian.wyn%40example.com").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"].to_str().expect("header").starts_with("attachment"));
    let document: serde_json::Value = serde_json::from_str(&response.text().await.expect("body")).expect("JSON");
    let records = document["records"].as_array().expect("records");
    let found: Vec<&str> = records.iter().map(|r| r["reference"].as_str().expect("reference")).collect();
    assert_eq!(found, vec![asb.as_str(), complaint.as_str(), information.as_str()]);
    assert!(records[0]["details"]["incidents"].is_array(), "ASB: its incidents");
    assert!(records[1]["details"]["allegations"].is_array(), "complaints: the allegations");
    assert_eq!(records[2]["details"]["request"]["requester_name"], "Dr Siân Ŵyn");
    let pdf = officer.get("/staff/people/export.pdf?email=sian.wyn%40example.com").await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.expect("bytes").starts_with(b"%PDF-"));

    // Each search and download is audited with what was found, never with what was searched for.
    let details: Vec<(String, String)> =
        sqlx::query_as("SELECT action, detail FROM platform_audit_event WHERE record_type = 'person' ORDER BY seq")
            .fetch_all(&app.pool)
            .await
            .expect("audit");
    let actions: Vec<&str> = details.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "searched for a person",
            "searched for a person",
            "searched for a person",
            "exported for subject access",
            "exported for subject access"
        ]
    );
    assert!(details[0].1.contains(&asb) && details[0].1.starts_with("by email address; 3 records"));
    assert!(details.iter().all(|(_, d)| !d.to_lowercase().contains("sian")), "the log holds no searched-for details");

    // A search with nothing in it, or nonsense in it, says what to fix.
    let (status, html) = officer.get_page("/staff/people?name=&email=").await;
    assert_eq!(status, 200, "an empty form is the start page");
    assert!(!html.contains("records found"));
    let (status, html) = officer.get_page("/staff/people?email=not-an-email&postcode=nowhere").await;
    assert_eq!(status, 422);
    assert!(html.contains("Enter an email address in the correct format") && html.contains("Enter a real postcode"));
}

async fn close_long_ago(app: &TestApp, table: &str, reference: &str, columns: &[&str]) {
    let long_ago = platform::db::date(platform::calendar::uk_local_date(OffsetDateTime::now_utc()) - Duration::days(7 * 366));
    let sets: Vec<String> = columns.iter().map(|c| format!("{c} = $1")).collect();
    let sql = format!("UPDATE {table} SET {} WHERE reference = $2", sets.join(", "));
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(long_ago).bind(reference).execute(&app.pool).await.expect("closed long ago");
}

#[tokio::test]
async fn every_service_forgets_a_person_after_its_retention_period_and_keeps_the_figures() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let [asb, complaint, information] = one_person_in_every_service(&app).await;
    close_long_ago(&app, "casework_asb_application", &asb, &["closed_on"]).await;
    close_long_ago(&app, "casework_complaint_review", &complaint, &["closed_on"]).await;
    close_long_ago(&app, "casework_information_request", &information, &["responded_on", "closed_on"]).await;
    sqlx::query(
        "UPDATE casework_information_request SET response_text = 'Here is your answer', stage = 'closed' WHERE reference = $1",
    )
    .bind(&information)
    .execute(&app.pool)
    .await
    .expect("answered");
    let services = commissioner::server::services();
    let now = OffsetDateTime::now_utc();

    // An office whose schedule keeps ASB cases for ten years: that one is kept.
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let page = "/staff/admin/retention";
    let token = admin.csrf_token(page).await;
    let fields = [
        ("csrf-token", token.as_str()),
        ("asb-case-reviews", "0"),
        ("police-complaint-reviews", "six"),
        ("information-requests", ""),
    ];
    let response = admin.post(page, &fields).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(
        html.contains("Enter a whole number of years between 1 and 100")
            && html.contains("Enter the years to keep personal details of information requests")
    );
    let token = admin.csrf_token(page).await;
    let fields = [
        ("csrf-token", token.as_str()),
        ("asb-case-reviews", "10"),
        ("police-complaint-reviews", "6"),
        ("information-requests", "6"),
        ("contact-messages", "2"),
        ("plan-email-updates", "2"),
        ("panel-questions", "1"),
        ("panel-complaints", "1"),
        ("format-requests", "1"),
    ];
    assert_eq!(admin.post(page, &fields).await.status(), 200);
    let changed: i64 = app.one("SELECT COUNT(*) FROM platform_audit_event WHERE action = 'changed retention period'").await;
    assert_eq!(changed, 1, "only the period that changed is recorded");

    let before: i64 = app.one("SELECT COUNT(*) FROM casework_complaint_review").await;
    let removed = casekit::retention::run(&services, &app.pool, now).await.expect("retention");
    let (_, html) = admin.get_page("/staff/people?email=sian.wyn%40example.com").await;
    assert!(html.contains(&asb), "ASB kept for ten years");
    let complaint_row: (String, Option<String>, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT complainant_name, email, postcode, anonymised_at FROM casework_complaint_review WHERE reference = $1",
    )
    .bind(&complaint)
    .fetch_one(&app.pool)
    .await
    .expect("review");
    assert_eq!((complaint_row.0.as_str(), complaint_row.1, complaint_row.2), ("Removed", None, None));
    assert!(complaint_row.3.is_some());
    let allegations: Vec<String> = app.values("SELECT a.why FROM casework_complaint_allegation a JOIN casework_complaint_review r ON r.id = a.review_id WHERE r.reference = $1", &complaint).await;
    assert!(allegations.iter().all(|w| w == "Removed"));
    let request_row: (String, Option<String>, String, Option<String>) = sqlx::query_as(
        "SELECT requester_name, email, request_text, response_text FROM casework_information_request WHERE reference = $1",
    )
    .bind(&information)
    .fetch_one(&app.pool)
    .await
    .expect("request");
    assert_eq!(request_row, ("Removed".to_string(), None, "Removed".to_string(), None));
    assert!(removed >= 2, "{removed}");
    let after: i64 = app.one("SELECT COUNT(*) FROM casework_complaint_review").await;
    assert_eq!(before, after, "the figures keep every case");
    let anonymised: Vec<String> =
        app.all("SELECT record_id FROM platform_audit_event WHERE action = 'anonymised' ORDER BY seq").await;
    assert!(anonymised.contains(&complaint) && anonymised.contains(&information) && !anonymised.contains(&asb));
    // The search finds them no more by who they were, and a second run finds nothing to do.
    let (_, html) = admin.get_page("/staff/people?name=si%C3%A2n").await;
    assert!(html.contains("1 record found"), "{html}");
    assert_eq!(casekit::retention::run(&services, &app.pool, now).await.expect("again"), 0);
}

#[tokio::test]
async fn an_information_requests_reply_is_reminded_before_it_is_due_and_once_late() {
    let app = TestApp::builder().without_background_work().spawn().await;
    with_demo_cases(&app).await;
    let officer = app.staff(Role::TransparencyOfficer, true).await;
    let reference: String = app
        .one(
            "SELECT reference FROM casework_information_request WHERE kind = 'foi' AND responded_on IS NULL \
         AND clarification_asked_on IS NULL AND fee_notice_on IS NULL ORDER BY reference LIMIT 1",
        )
        .await;
    // Received six weeks ago: past its 20 working days.
    let received = platform::calendar::uk_local_date(OffsetDateTime::now_utc()) - Duration::days(42);
    sqlx::query("UPDATE casework_information_request SET received_on = $1, assigned_to = $2 WHERE reference = $3")
        .bind(platform::db::date(received))
        .bind(&officer.id)
        .bind(&reference)
        .execute(&app.pool)
        .await
        .expect("backdated");
    let services = commissioner::server::services();
    let now = OffsetDateTime::now_utc();
    casekit::reminders::run(&services, &app.pool, &app.settings, now).await.expect("reminders");
    casekit::reminders::run(&services, &app.pool, &app.settings, now).await.expect("again");
    let mail = crate::support::outbox_to(&app, &officer.email).await;
    let about_it: Vec<&(String, String)> = mail.iter().filter(|(subject, _)| subject.contains(&reference)).collect();
    assert_eq!(about_it.len(), 1, "once, however often the task runs: {mail:?}");
    assert!(about_it[0].0.starts_with("Overdue: reply to the request"), "{}", about_it[0].0);
    assert!(about_it[0].1.contains("20 working days after the request arrived"), "{}", about_it[0].1);
}

/// A service no capability has: it holds one case and counts how often the kit asks about it.
struct Lantern {
    anonymised_before: Mutex<Option<Date>>,
    searched: AtomicUsize,
}

/// When the one lantern went out: a Monday in June 2030, clear of any holiday.
const LENT_ON: Date = time::macros::date!(2030 - 06 - 03);

static LANTERN: Lantern = Lantern { anonymised_before: Mutex::new(None), searched: AtomicUsize::new(0) };

static LANTERN_LETTERS: [casekit::letters::LetterKind; 1] = [casekit::letters::LetterKind {
    slug: "lantern-thanks",
    name: "Thanks for the lantern",
    subject: "Your lantern {reference}",
    body: "Dear {name}, thank you.",
    placeholders: &[],
}];

static LANTERN_ABOUT: About = About {
    slug: "lanterns",
    name: "Lantern loans",
    letter_kinds: &LANTERN_LETTERS,
    drafts: None,
    tracker_page: None,
    retention: Retention { years: 2, from: "from the day the lantern comes back" },
    readers: &[platform::access::Role::Administrator],
    queue: "/staff/lanterns",
    privacy: casekit::registry::PrivacyWords { holds: "Who borrowed a lantern.", why: "To get it back.", shared_with: "Nobody." },
    assigned: &[],
};

impl CaseService for Lantern {
    fn about(&self) -> &'static About {
        &LANTERN_ABOUT
    }
    /// One loan, due back five working days after it went out.
    fn open_deadlines<'a>(&'a self, _pool: &'a Pool, calendars: &'a Calendars) -> Pending<'a, Vec<Deadline>> {
        let due_on = platform::calendar::add_working_days(LENT_ON, 5, &calendars.local);
        casekit::ready(vec![Deadline {
            case_id: "lantern-1".into(),
            reference: "LAN-2026-000001".into(),
            step: "Bring it back",
            due_on,
            assigned_to: None,
            received_on: LENT_ON,
        }])
    }
    fn anonymise_closed<'a>(&'a self, _pool: &'a Pool, closed_before: Date, _now: OffsetDateTime) -> Pending<'a, usize> {
        *self.anonymised_before.lock().expect("lock") = Some(closed_before);
        casekit::ready(0)
    }
    fn find_person<'a>(&'a self, _pool: &'a Pool, query: &'a PersonQuery) -> Pending<'a, Vec<HeldRecord>> {
        self.searched.fetch_add(1, Ordering::SeqCst);
        let held = Held::one("LAN-2026-000001", Some("Lowri Lamp"), None, None);
        let record = HeldRecord {
            service: "Lantern loans",
            what: "Loan",
            reference: "LAN-2026-000001".into(),
            received_on: "2026-01-05".into(),
            name: "Lowri Lamp".into(),
            matched_on: query.matched_on(&held),
            path: "/staff/lanterns/LAN-2026-000001".into(),
            anonymised: false,
            details: serde_json::json!({ "lantern": "brass" }),
        };
        casekit::ready(vec![record])
    }
}

#[tokio::test]
async fn a_service_the_kit_has_never_heard_of_registers_without_changing_it() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let services = commissioner::server::services().with(&LANTERN);
    assert!(services.letter_kind("lantern-thanks").is_some() && services.letter_kind("outcome").is_some());
    let now = OffsetDateTime::now_utc();
    casekit::retention::run(&services, &app.pool, now).await.expect("retention");
    let today = platform::calendar::uk_local_date(now);
    assert_eq!(
        *LANTERN.anonymised_before.lock().expect("lock"),
        Some(casekit::retention::cut_off(today, 2)),
        "its own default period"
    );
    let query = PersonQuery { name: Some("lowri".into()), ..PersonQuery::default() };
    let found = casekit::people::find(&services, &app.pool, &query).await.expect("search");
    assert_eq!(found.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>(), vec!["LAN-2026-000001"]);
    assert_eq!(found[0].matched_on, vec!["name"]);
    // A record that matches nothing the query asked for is never listed.
    let nobody = PersonQuery { name: Some("nobody at all".into()), ..PersonQuery::default() };
    assert!(casekit::people::find(&services, &app.pool, &nobody).await.expect("search").is_empty());
    assert_eq!(LANTERN.searched.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_message_from_the_public_is_found_for_its_sender_and_forgotten_after_two_years() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let key = platform::ids::new_id();
    let fields = [
        ("submission-key", key.as_str()),
        ("full-name", "Siân Ŵyn"),
        ("contact-method", "email"),
        ("email", "sian.wyn@example.com"),
        ("message", "My neighbour's car alarm goes off every night."),
    ];
    assert_eq!(app.post_form("/contact", &fields).await.status(), 303);
    let (officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let (_, html) = officer.get_page("/staff/people?email=sian.wyn%40example.com").await;
    assert!(html.contains("1 record found") && html.contains("Messages from the public"), "{html}");
    let reference: String = app.one("SELECT reference FROM correspondence_contact_message").await;
    let json = officer.get("/staff/people/export.json?email=sian.wyn%40example.com").await.text().await.expect("body");
    assert!(json.contains("car alarm") && json.contains(&reference));

    // Received two years and a day ago: past the default period, so forgotten; the count stays.
    let long_ago = platform::db::timestamp(OffsetDateTime::now_utc() - Duration::days(2 * 366 + 1));
    sqlx::query("UPDATE correspondence_contact_message SET received_at = $1")
        .bind(long_ago)
        .execute(&app.pool)
        .await
        .expect("aged");
    let services = commissioner::server::services();
    assert_eq!(casekit::retention::run(&services, &app.pool, OffsetDateTime::now_utc()).await.expect("retention"), 1);
    let (name, email, message): (String, Option<String>, String) =
        sqlx::query_as("SELECT full_name, email, message FROM correspondence_contact_message")
            .fetch_one(&app.pool)
            .await
            .expect("row");
    assert_eq!((name.as_str(), email, message.as_str()), ("Removed", None, "Removed"));
    let (_, html) = officer.get_page("/staff/people?email=sian.wyn%40example.com").await;
    assert!(html.contains("0 records found") || html.contains("Nothing held matches"), "{html}");
}

#[tokio::test]
async fn a_proclaimed_holiday_moves_open_deadlines_and_each_case_is_told() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let services = commissioner::server::services().with(&LANTERN);
    let before = Calendars::load(&app.pool).await.expect("calendars");
    let holiday = platform::calendar::CalendarChange {
        date: time::macros::date!(2030 - 06 - 05),
        nation: platform::calendar::Nation::EnglandAndWales,
        kind: platform::calendar::ChangeKind::Added,
        name: "A proclaimed holiday".into(),
    };
    let now = OffsetDateTime::now_utc();
    platform::calendar::store::add_change(&app.pool, &holiday, now).await.expect("added");
    let actor = platform::audit::Actor::system("test");
    let moved = casekit::deadlines::record_moves(&services, &app.pool, &before, "A proclaimed holiday added", &actor, now)
        .await
        .expect("recorded");
    assert_eq!(moved, 1, "the lantern's; no other open case is due then");
    let moves = casekit::deadlines::moves_of(&app.pool, "lantern-1").await.expect("moves");
    assert_eq!(moves.len(), 1);
    assert_eq!((moves[0].was(), moves[0].now()), ("Monday 10 June 2030".to_string(), "Tuesday 11 June 2030".to_string()));
    assert_eq!(moves[0].why, "A proclaimed holiday added");
    let audited: i64 = app.one("SELECT COUNT(*) FROM platform_audit_event WHERE action = 'moved a deadline'").await;
    assert_eq!(audited, 1);
    // Nothing moves twice: the calendar now agrees with itself.
    let again = Calendars::load(&app.pool).await.expect("calendars");
    assert_eq!(casekit::deadlines::record_moves(&services, &app.pool, &again, "again", &actor, now).await.expect("none"), 0);
}

#[tokio::test]
async fn an_emailed_link_opens_a_draft_on_another_device_and_says_how_long_it_is_kept() {
    let app = TestApp::spawn().await;
    let started = app.post_form("/asb-case-review/apply", &[]).await;
    let base = crate::support::location(&started).trim_end_matches("/applicant").to_string();
    let (status, question) = app.get_page(&format!("{base}/applicant")).await;
    assert_eq!(status, 200);
    assert!(question.contains(&format!("{base}/come-back-later")), "every question offers it");
    let (_, page) = app.get_page(&format!("{base}/come-back-later")).await;
    let kept_until = platform::calendar::long_date(platform::calendar::uk_today() + time::Duration::days(30));
    assert!(page.contains(&format!("We keep them until {kept_until}")), "{page}");
    crate::support::assert_refused(
        app.post_form(&format!("{base}/come-back-later"), &[("email", "not an email")]).await,
        &["Enter an email address in the correct format"],
    )
    .await;
    let sent = app.post_form(&format!("{base}/come-back-later"), &[("email", "jo@example.com")]).await;
    assert_eq!(sent.status(), 200);
    assert!(sent.text().await.expect("page").contains("We have emailed a link to jo@example.com"));
    let mail = crate::support::outbox_to(&app, "jo@example.com").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].1.contains(&kept_until));
    let start = mail[0].1.find(&format!("{base}/return/")).expect("link");
    let link: String = mail[0].1[start..].chars().take_while(|c| !c.is_whitespace()).collect();

    // Another device cannot open the draft without the link, and can with it.
    let phone = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .default_headers(crate::support::visitor_cookie("phone-visitor-key-00000000001"))
        .build()
        .expect("client");
    let question = app.url(&format!("{base}/applicant"));
    assert_eq!(phone.get(&question).send().await.expect("sent").status(), 404);
    assert_eq!(phone.get(app.url(&format!("{base}/return/not-the-token"))).send().await.expect("sent").status(), 404);
    let followed = phone.get(app.url(&link)).send().await.expect("sent");
    assert_eq!(followed.status(), 303);
    assert_eq!(phone.get(&question).send().await.expect("sent").status(), 200);
}

#[tokio::test]
async fn staff_search_every_service_their_role_reads_by_any_reference_name_or_postcode() {
    let app = TestApp::spawn().await;
    crate::support::with_demo_cases(&app).await;
    let (force_reference, complaint): (String, String) =
        sqlx::query_as("SELECT force_reference, reference FROM casework_complaint_review ORDER BY reference LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("a demo review");
    let request: String = app.one("SELECT reference FROM casework_information_request ORDER BY reference LIMIT 1").await;
    let search = |q: &str| {
        let mut url = reqwest::Url::parse("http://office.example/staff/search").expect("url");
        url.query_pairs_mut().append_pair("q", q);
        format!("{}?{}", url.path(), url.query().unwrap_or_default())
    };

    let (caseworker, staff) = app.signed_in(Role::Caseworker).await;
    let (status, html) = caseworker.get_page(&search(&force_reference.to_lowercase())).await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!(">{complaint}</a>")), "found by the force's reference: {html}");
    let (_, html) = caseworker.get_page(&search(&request)).await;
    assert!(
        html.contains("0 cases found") && !html.contains(&format!(">{request}</a>")),
        "a caseworker does not read FOI requests"
    );
    let (officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let (_, html) = officer.get_page(&search(&request)).await;
    assert!(html.contains(&format!(">{request}</a>")), "the transparency officer does");

    let details: Vec<String> = app
        .values("SELECT detail FROM platform_audit_event WHERE action = 'searched' AND actor_id = $1 ORDER BY seq", &staff.id)
        .await;
    assert_eq!(details, [format!("1 records: {complaint}"), "0 records: ".to_string()]);
    assert!(!details.iter().any(|d| d.contains(&force_reference)), "the words searched for are not logged");

    // A partner reads no service whole, so has nothing to search.
    let psd = app.partner("Test Force PSD").await;
    let partner = app.session_for(&psd).await;
    let (status, html) = partner.get_page(&search(&complaint)).await;
    assert_eq!(status, 200);
    assert!(html.contains("nothing here for you to search") && !html.contains(&format!(">{complaint}</a>")));
}

#[tokio::test]
async fn the_staff_home_page_counts_each_services_work_for_the_person_signed_in() {
    let app = TestApp::spawn().await;
    with_demo_cases(&app).await;
    let (mut caseworker, staff) = app.signed_in(Role::Caseworker).await;
    let reference: String = app.one("SELECT reference FROM casework_asb_application ORDER BY reference LIMIT 1").await;
    let case = format!("/staff/asb-case-reviews/{reference}");
    assert_eq!(caseworker.act(&case, "assign", &[("assignee", &staff.id)]).await.status(), 303);

    let (status, home) = caseworker.get_page("/staff").await;
    assert_eq!(status, 200);
    let count = |what: &str, service: &str| {
        let marker = format!("<span class=\"govuk-visually-hidden\"> {what} in {service}</span>");
        let end = home.find(&marker).unwrap_or_else(|| panic!("no {what} for {service}: {home}"));
        home[..end].rsplit('>').next().expect("count").parse::<usize>().expect("a number")
    };
    assert_eq!(count("assigned to you", "asb case reviews"), 1);
    assert_eq!(count("assigned to you", "police complaint reviews"), 0);
    // Open work is what the service's own deadlines say is open.
    let services = commissioner::services();
    let calendars = casekit::tracker::Calendars::load(&app.pool).await.expect("calendars");
    let asb = services.find("asb-case-reviews").expect("ASB");
    let open = asb.open_deadlines(&app.pool, &calendars).await.expect("deadlines").len();
    assert!(open > 0);
    assert_eq!(count("open", "asb case reviews"), open);
    assert!(!home.contains("information requests"), "a caseworker does not read them");
    assert!(!home.contains("New since you last signed in"), "a first sign-in has nothing to compare with");
}

#[tokio::test]
async fn notes_and_contacts_are_recorded_on_a_case_exported_for_subject_access_and_removed_with_it() {
    let app = TestApp::spawn().await;
    with_demo_cases(&app).await;
    let (reference, name): (String, String) =
        sqlx::query_as("SELECT reference, complainant_name FROM casework_complaint_review ORDER BY reference LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("a demo review");
    let notes = format!("/staff/complaint-reviews/{reference}/notes");
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    let (status, page) = caseworker.get_page(&notes).await;
    assert_eq!(status, 200);
    assert!(page.contains("Nothing recorded yet"));
    let refused = caseworker.post_from(&notes, &notes, &[("kind", ""), ("summary", "")]).await;
    crate::support::assert_refused(
        refused,
        &["Select what kind of contact it was", "Enter the date it happened", "Enter what was said or done"],
    )
    .await;
    let (d, m, y) = crate::support::days_ago(1);
    let call = [
        ("kind", "phone-call"),
        ("happened-day", d.as_str()),
        ("happened-month", m.as_str()),
        ("happened-year", y.as_str()),
        ("summary", "Spoke to the complainant about the outcome letter."),
    ];
    let recorded = caseworker.post_from(&notes, &notes, &call).await;
    assert_eq!(crate::support::location(&recorded), format!("{notes}?done=note"));
    let (_, page) = caseworker.get_page(&format!("{notes}?done=note")).await;
    assert!(page.contains("Note recorded") && page.contains("Phone call, ") && page.contains("about the outcome letter"));
    let audited: Vec<String> = app
        .values("SELECT action FROM platform_audit_event WHERE record_id = $1 AND action = 'recorded a note'", &reference)
        .await;
    assert_eq!(audited.len(), 1);

    // The force's department does not see the office's notes.
    let psd = app.partner("Test Force PSD").await;
    assert_eq!(app.session_for(&psd).await.get(&notes).await.status(), 403);

    // A subject access export carries them.
    let (officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let export = officer.get(&format!("/staff/people/export.json?reference={reference}")).await;
    let json: serde_json::Value = serde_json::from_str(&export.text().await.expect("body")).expect("json");
    let record = &json["records"][0];
    assert_eq!(record["details"]["notes and contacts"][0]["summary"], "Spoke to the complainant about the outcome letter.");
    assert!(!name.is_empty());

    // At the end of the retention period they go with the case's personal details.
    sqlx::query("UPDATE casework_complaint_review SET closed_on = '2019-04-01' WHERE reference = $1")
        .bind(&reference)
        .execute(&app.pool)
        .await
        .expect("closed long ago");
    let services = commissioner::services();
    let reviews = services.find("police-complaint-reviews").expect("complaint reviews");
    let far = platform::calendar::uk_today() + Duration::days(1);
    reviews.anonymise_closed(&app.pool, far, OffsetDateTime::now_utc()).await.expect("anonymised");
    let left: i64 = app.value("SELECT COUNT(*) FROM casework_case_note WHERE reference = $1", &reference).await;
    assert_eq!(left, 0);
}

#[tokio::test]
async fn queues_filter_to_my_cases_and_download_as_they_are_filtered() {
    let app = TestApp::spawn().await;
    with_demo_cases(&app).await;
    // Information requests: open ones by default, answered ones when asked.
    let (officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let answered: String = app
        .one("SELECT reference FROM casework_information_request WHERE responded_on IS NOT NULL ORDER BY reference LIMIT 1")
        .await;
    let open: String =
        app.one("SELECT reference FROM casework_information_request WHERE responded_on IS NULL ORDER BY reference LIMIT 1").await;
    let (_, default) = officer.get_page("/staff/information-requests").await;
    assert!(default.contains(&format!(">{open}</a>")) && !default.contains(&format!(">{answered}</a>")));
    let (_, done) = officer.get_page("/staff/information-requests?show=answered").await;
    assert!(done.contains(&format!(">{answered}</a>")) && !done.contains(&format!(">{open}</a>")));

    // ASB case reviews: one assigned to me; the filter and the download agree.
    let (mut caseworker, staff) = app.signed_in(Role::Caseworker).await;
    let mine: String = app.one("SELECT reference FROM casework_asb_application ORDER BY reference LIMIT 1").await;
    let case = format!("/staff/asb-case-reviews/{mine}");
    assert_eq!(caseworker.act(&case, "assign", &[("assignee", &staff.id)]).await.status(), 303);
    let (_, filtered) = caseworker.get_page("/staff/asb-case-reviews?mine=yes").await;
    assert_eq!(filtered.matches("href=\"/staff/asb-case-reviews/ASB-").count(), 1, "{filtered}");
    let download = caseworker.get("/staff/asb-case-reviews?mine=yes&format=csv").await;
    assert_eq!(download.headers()["content-type"], "text/csv; charset=utf-8");
    let body = download.text().await.expect("csv");
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(body.as_bytes()).records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!((&rows[0][0], &rows[0][6]), (mine.as_str(), "Test Caseworker"));
    let all = caseworker.get("/staff/asb-case-reviews?format=csv").await.text().await.expect("csv");
    let open_cases: i64 = app.one("SELECT COUNT(*) FROM casework_asb_application WHERE closed_on IS NULL").await;
    assert_eq!(csv::Reader::from_reader(all.as_bytes()).records().count() as i64, open_cases);
    let downloads: Vec<String> = app
        .values("SELECT detail FROM platform_audit_event WHERE action = 'downloaded the queue' AND actor_id = $1", &staff.id)
        .await;
    assert_eq!(downloads.len(), 2);
}

#[tokio::test]
async fn new_work_is_told_to_whom_the_office_chose() {
    let app = TestApp::spawn().await;
    let assignee = app.staff(Role::Caseworker, true).await;
    let tell = |assigned: Option<String>| {
        let (pool, settings) = (app.pool.clone(), app.settings.clone());
        async move {
            let mut tx = platform::db::begin_write(&pool).await.expect("tx");
            let work = platform::office::NewWork {
                what: "ASB case review",
                reference: "ASB-2026-000042",
                path: "/staff/asb-case-reviews/ASB-2026-000042".into(),
                assigned_to: assigned.as_deref(),
            };
            let to = platform::office::tell_of_new_work(&mut tx, &settings, &work).await.expect("told");
            tx.commit().await.expect("commit");
            to
        }
    };
    let choose = |choice: &'static str| {
        let pool = app.pool.clone();
        async move {
            sqlx::query("UPDATE platform_office SET new_work_to = $1").bind(choice).execute(&pool).await.expect("chosen");
        }
    };
    let shared = platform::office::load(&app.pool).await.expect("office").expect("set up").email;
    assert_eq!(tell(Some(assignee.id.clone())).await, Some(shared.clone()), "the shared address by default");
    choose("assignee").await;
    assert_eq!(tell(Some(assignee.id.clone())).await, Some(assignee.email.clone()));
    assert_eq!(tell(None).await, Some(shared), "the shared address while nobody is assigned");
    choose("nobody").await;
    assert_eq!(tell(Some(assignee.id.clone())).await, None);
    let queued: i64 =
        app.one("SELECT COUNT(*) FROM platform_outbox WHERE subject = 'New work: ASB case review ASB-2026-000042'").await;
    assert_eq!(queued, 3);
}
