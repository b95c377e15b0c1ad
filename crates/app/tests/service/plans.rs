//! Plans, told as the office lives them: an action plan imported with its bad rows named; a
//! quarter run from the leads' updates (reminded, late, chased, sent back, approved, two officers
//! at once) to a locked, hashed snapshot; a published plan whose every change shows with its
//! reason; people subscribing to a priority; the demo's plans checked against an independent count.

use platform::access::Role;
use platform::audit::Actor;
use time::OffsetDateTime;

use crate::support::{TestApp, assert_refused, location, outbox_to};

const HEADER: &str = "Theme,Ref,Key deliverable,Actions,Responsible partner / lead,Outcome / impact measure,S/M/L,RAG,Evidence / progress update\n";
const PROBATION: &str = "Test Probation Service";

/// A performance officer's new plan, made on the staff page; returns its address.
async fn new_plan(officer: &mut crate::support::Visitor<'_>, title: &str) -> String {
    let response = officer
        .post_from(
            "/staff/plans",
            "/staff/plans",
            &[("title", title), ("kind", "strategy"), ("first_year", "2024"), ("last_year", "2026")],
        )
        .await;
    assert_eq!(response.status(), 303);
    location(&response)
}

fn upload(name: &'static str, bytes: Vec<u8>) -> impl FnOnce(reqwest::multipart::Form) -> reqwest::multipart::Form {
    move |form| form.part("file", reqwest::multipart::Part::bytes(bytes).file_name(name))
}

/// Imports CSV text into the plan at `page` and confirms it, as the officer would.
async fn import(officer: &mut crate::support::Visitor<'_>, page: &str, csv: String, reason: &str) -> String {
    let response =
        officer.post_multipart(&format!("{page}/import"), &format!("{page}/import"), upload("plan.csv", csv.into_bytes())).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    let preview = location(&response);
    let response = officer.post_from(&preview, &preview, &[("reason", reason)]).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    preview
}

fn plan_rows() -> String {
    format!(
        "{HEADER}Prevention,1,Family support,Work with councils on family support,{PROBATION} / Head of Service,Families supported,M,A,Training given\n\
         Prevention,2,Youth activities,Fund summer activities,{PROBATION},Youth ASB,S,R,\n\
         Diversion,3,Out of court disposals,Use conditions that address offending,Nobody we know,First-time entrants,L,G,\n"
    )
}

#[tokio::test]
async fn an_action_plan_imports_with_its_bad_rows_named_and_only_its_good_rows_taken() {
    let app = TestApp::spawn().await;
    app.organisation_named(PROBATION).await;
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let page = new_plan(&mut officer, "Reducing Reoffending Plan").await;
    assert_eq!(page, "/staff/plans/reducing-reoffending-plan");

    // A file with good and bad rows: the preview names each bad row and why, nothing changes yet.
    let csv =
        format!("{}Prevention,2,Again,Duplicate reference,,,S,G,\nDiversion,4,,Missing deliverable,,,Q,Purple,\n", plan_rows());
    let import_page = format!("{page}/import");
    let response = officer.post_multipart(&import_page, &import_page, upload("plan.csv", csv.into_bytes())).await;
    assert_eq!(response.status(), 303);
    let preview = location(&response);
    let (_, html) = officer.get_page(&preview).await;
    for expected in [
        "Row 5",
        "Reference 2 is used already, on row 3: each action needs its own",
        "Row 6",
        "Enter the key deliverable",
        "S/M/L must be S, M or L, not “Q”",
        "3 rows are ready: 3 new actions",
        "No match for “Nobody we know”",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    assert_eq!(
        app.value::<i64>(
            "SELECT COUNT(*) FROM plans_action WHERE plan_id IN (SELECT id FROM plans_plan WHERE slug = $1)",
            "reducing-reoffending-plan"
        )
        .await,
        0
    );

    // Confirming takes the good rows, with their partner matched by name and their evidence dated.
    let response = officer.post_from(&preview, &preview, &[]).await;
    assert_eq!(response.status(), 303);
    let partners: Vec<Option<String>> =
        app.values("SELECT o.name FROM plans_action a LEFT JOIN platform_organisation o ON o.id = a.partner_id WHERE a.plan_id IN (SELECT id FROM plans_plan WHERE slug = $1) ORDER BY a.reference", "reducing-reoffending-plan").await;
    assert_eq!(partners, [Some(PROBATION.to_string()), Some(PROBATION.to_string()), None]);
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM plans_evidence WHERE words = $1", "Training given").await, 1);
    let (_, tree) = officer.get_page(&page).await;
    assert!(tree.contains("1. Prevention") && tree.contains("2. Diversion") && tree.contains("Being implemented (A)"), "{tree}");
    // The same file cannot be applied twice.
    assert_refused(officer.post_from(&preview, &preview, &[]).await, &["This file has been imported already"]).await;

    // A spreadsheet with a title above its header, as offices keep them: its rows are numbered as
    // the spreadsheet numbers them, and a known reference updates its action.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Reducing reoffending: delivery plan").expect("cell");
    let header = ["Theme", "Ref", "Key deliverable", "Actions", "Responsible partner / lead", "S/M/L", "RAG"];
    for (column, text) in header.iter().enumerate() {
        sheet.write_string(2, column as u16, *text).expect("cell");
    }
    let rows = [
        ["Prevention", "1", "Family support", "Work with councils and schools", PROBATION, "M", "G"],
        ["Prevention", "", "No ref", "x", "", "S", "A"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (column, text) in row.iter().enumerate() {
            sheet.write_string(3 + r as u32, column as u16, *text).expect("cell");
        }
    }
    sheet.write_number(5, 1, 7.0).expect("a reference typed as a number");
    for (column, text) in ["Diversion", "", "Numbered", "Typed as a number", "", "S", "R"].iter().enumerate() {
        if column != 1 {
            sheet.write_string(5, column as u16, *text).expect("cell");
        }
    }
    let xlsx = book.save_to_buffer().expect("xlsx");
    let response = officer.post_multipart(&import_page, &import_page, upload("plan.xlsx", xlsx)).await;
    assert_eq!(response.status(), 303);
    let preview = location(&response);
    let (_, html) = officer.get_page(&preview).await;
    assert!(html.contains("Row 5") && html.contains("Enter the action’s reference in the Ref column"), "{html}");
    assert!(html.contains(">7</th>") && html.contains("1 new action, 1 to update"), "{html}");
    assert_eq!(officer.post_from(&preview, &preview, &[]).await.status(), 303);
    let action: (String, String) = sqlx::query_as("SELECT actions, status FROM plans_action WHERE reference = '1'")
        .fetch_one(&app.pool)
        .await
        .expect("action");
    assert_eq!(action, ("Work with councils and schools".to_string(), "implemented".to_string()));

    // Whole files refused with their reason, each a GOV.UK error.
    let response = officer.post_multipart(&import_page, &import_page, upload("plan.csv", b"Name,Address\nA,B\n".to_vec())).await;
    assert_refused(response, &["The file has no header row"]).await;
    let response =
        officer.post_multipart(&import_page, &import_page, upload("plan.pdf", b"%PDF-1.7\n%\xe2\xe3\n".to_vec())).await;
    assert_refused(response, &["CSV, XLSX or ODS"]).await;
    let response = officer.post_multipart(&import_page, &import_page, |form| form).await;
    assert_refused(response, &["Select a spreadsheet to upload"]).await;
}

/// A published plan with one probation action and a partner account for probation.
async fn published_plan(app: &TestApp) -> (String, crate::support::TestStaff) {
    let partner = app.partner(PROBATION).await;
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let page = new_plan(&mut officer, "Delivery Plan").await;
    import(&mut officer, &page, plan_rows(), "").await;
    let response = officer.post_from(&page, &format!("{page}/status"), &[("status", "published")]).await;
    assert_eq!(response.status(), 303);
    ("delivery-plan".to_string(), partner)
}

#[tokio::test]
async fn a_quarter_runs_from_the_leads_updates_to_a_locked_snapshot() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let (slug, partner) = published_plan(&app).await;
    let page = format!("/staff/plans/{slug}");
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let mut second_officer = app.signed_in(Role::PerformanceOfficer).await.0;

    // The officer opens the quarter with updates due in three days.
    let today = platform::calendar::uk_today();
    let quarter = platform::periods::Quarter::containing(today).previous();
    let due = today + time::Duration::days(3);
    let (d, m, y) = (due.day().to_string(), u8::from(due.month()).to_string(), due.year().to_string());
    let bad = officer
        .post_from(
            &page,
            &format!("{page}/quarters"),
            &[("quarter", "2099-Q9"), ("due-day", "31"), ("due-month", "2"), ("due-year", &y)],
        )
        .await;
    assert_refused(bad, &["Select the quarter"]).await;
    let response = officer
        .post_from(
            &page,
            &format!("{page}/quarters"),
            &[("quarter", &quarter.slug()), ("due-day", &d), ("due-month", &m), ("due-year", &y)],
        )
        .await;
    assert_eq!(response.status(), 303);
    let q = format!("{page}/quarters/{}", quarter.slug());

    // The lead is reminded (once), sees only their organisation's two actions, and sends one.
    let now = OffsetDateTime::now_utc();
    assert_eq!(plans::nudge_all(&app.pool, &app.settings, now).await.expect("nudges"), 2);
    assert_eq!(plans::nudge_all(&app.pool, &app.settings, now).await.expect("nudges"), 0, "one reminder per update");
    let mail = outbox_to(&app, &partner.email).await;
    assert!(mail.iter().all(|(subject, _)| subject.starts_with("Update due by")), "{mail:?}");
    let mut lead = app.session_for(&partner).await;
    let (_, list) = lead.get_page("/staff/plan-updates").await;
    assert!(list.contains("Family support") && list.contains("Youth activities") && !list.contains("Out of court"), "{list}");
    let ids: Vec<String> = app.values("SELECT u.id FROM plans_update u JOIN plans_action a ON a.id = u.action_id WHERE a.reference IN ('1', '2') AND u.action_id <> $1 ORDER BY a.reference", "-").await;
    let (first, second) = (&ids[0], &ids[1]);
    let form = format!("/staff/plan-updates/{first}");
    let refused = lead.post_from(&form, &form, &[("progress", ""), ("status", "purple"), ("revision", "0")]).await;
    assert_refused(refused, &["Enter the progress made this quarter", "Select the status the action should have now"]).await;
    let sent = lead
        .post_from(
            &form,
            &form,
            &[("progress", "Parenting support running in two districts"), ("status", "implemented"), ("revision", "0")],
        )
        .await;
    assert_eq!(sent.status(), 303);
    // Another organisation's partner cannot see or send it.
    let stranger = app.partner("Another Partner").await;
    let stranger = app.session_for(&stranger).await;
    assert_eq!(stranger.get(&form).await.status(), 404);

    // The officer sends it back with a comment; the lead is told and sends it again.
    let review = format!("{q}/updates/1");
    let refused = officer.post_from(&review, &review, &[("decision", "send-back"), ("comment", ""), ("revision", "1")]).await;
    assert_refused(refused, &["Say what more the lead needs to tell you"]).await;
    let back = officer
        .post_from(&review, &review, &[("decision", "send-back"), ("comment", "Add the number of families"), ("revision", "1")])
        .await;
    assert_eq!(back.status(), 303);
    assert!(
        outbox_to(&app, &partner.email)
            .await
            .iter()
            .any(|(s, body)| s.starts_with("More needed") && body.contains("Add the number of families"))
    );
    let (_, again) = lead.get_page(&form).await;
    assert!(again.contains("Add the number of families"));
    let sent = lead
        .post_from(
            &form,
            &form,
            &[("progress", "Parenting support for 48 families in two districts"), ("status", "implemented"), ("revision", "2")],
        )
        .await;
    assert_eq!(sent.status(), 303);

    // Two officers approve at once: one wins, the other is told.
    let token_one = officer.csrf_token(&review).await;
    let token_two = second_officer.csrf_token(&review).await;
    let fields = |token: &str| {
        vec![
            ("csrf-token".to_string(), token.to_string()),
            ("decision".into(), "approve".into()),
            ("comment".into(), String::new()),
            ("revision".into(), "3".into()),
        ]
    };
    let (one, two) = tokio::join!(
        app.client
            .post(app.url(&review))
            .header("cookie", officer.cookie.clone().unwrap_or_default())
            .form(&fields(&token_one))
            .send(),
        app.client
            .post(app.url(&review))
            .header("cookie", second_officer.cookie.clone().unwrap_or_default())
            .form(&fields(&token_two))
            .send(),
    );
    let mut statuses = [one.expect("sent").status().as_u16(), two.expect("sent").status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [303, 422], "one approval wins, the other is refused");
    assert_eq!(
        app.value::<i64>("SELECT COUNT(*) FROM plans_evidence WHERE words LIKE $1", "Parenting support for 48%").await,
        1,
        "approved once"
    );
    let _ = second_officer.post(&review, &[]).await;

    // The second update is late: the daily job chases it, weekly, and so can the officer.
    sqlx::query("UPDATE plans_quarter SET updates_due_on = $1")
        .bind(platform::db::date(today - time::Duration::days(2)))
        .execute(&app.pool)
        .await
        .expect("late");
    assert_eq!(plans::nudge_all(&app.pool, &app.settings, now).await.expect("nudges"), 1, "only the late update is chased");
    assert_eq!(plans::nudge_all(&app.pool, &app.settings, now).await.expect("nudges"), 0, "not twice in a week");
    assert!(
        outbox_to(&app, &partner.email)
            .await
            .iter()
            .any(|(s, body)| s.starts_with("Late update") && body.contains(second.as_str()))
    );
    assert_eq!(officer.post_from(&q, &format!("{q}/chase"), &[]).await.status(), 303);
    let (_, quarter_page) = officer.get_page(&q).await;
    assert!(quarter_page.contains("Chased 2 times") && quarter_page.contains("1 approved"), "{quarter_page}");

    // Until the quarter is locked the public see none of it (the page is kept between changes,
    // and closing the quarter is a change).
    let (_, before_close) = app.get_page(&format!("/plans/{slug}")).await;
    assert!(before_close.contains("No quarter’s delivery has been reported yet") && !before_close.contains("48 families"));
    // Closing locks the snapshot: its hash is in the audit log, and the lead can no longer send.
    assert_eq!(officer.post_from(&q, &format!("{q}/close"), &[]).await.status(), 303);
    let (content, hash): (String, String) =
        sqlx::query_as("SELECT content, sha256 FROM plans_snapshot").fetch_one(&app.pool).await.expect("snapshot");
    use sha2::Digest;
    assert_eq!(hex::encode(sha2::Sha256::digest(content.as_bytes())), hash, "hashed independently");
    let audited: String = app.value("SELECT detail FROM platform_audit_event WHERE action = $1", "locked snapshot").await;
    assert_eq!(audited, format!("{} sha256:{hash}", quarter.slug()));
    let late = lead
        .post_from(
            "/staff/plan-updates",
            &format!("/staff/plan-updates/{second}"),
            &[("progress", "Too late"), ("status", "implemented"), ("revision", "0")],
        )
        .await;
    assert_eq!(late.status(), 409, "the quarter has closed");
    let page = late.text().await.expect("page");
    assert!(page.contains("The quarter has closed") && page.contains("Too late"), "the lead's words are kept on the page");

    // The public see the locked record: statuses, changes since, the hash, and the downloads.
    let public = format!("/plans/{slug}/quarters/{}", quarter.slug());
    let (status, html) = app.get_page(&public).await;
    assert_eq!(status, 200);
    assert!(html.contains(&hash) && html.contains("role=\"img\"") && html.contains("<caption"), "{html}");
    let (_, plan_page) = app.get_page(&format!("/plans/{slug}")).await;
    assert!(plan_page.contains("Implemented (G)") && plan_page.contains("Parenting support for 48 families"), "{plan_page}");
    let csv = app.get(&format!("{public}/snapshot.csv")).await.text().await.expect("csv");
    assert_eq!(csv.lines().count(), 4, "a header and three actions: {csv}");
    assert!(csv.contains(",implemented,") && csv.contains("Parenting support for 48 families"));
    // Tampering with the stored record is caught, never shown as sound.
    sqlx::query("UPDATE plans_snapshot SET content = REPLACE(content, '48 families', '480 families')")
        .execute(&app.pool)
        .await
        .expect("tamper");
    assert_eq!(app.get(&public).await.status(), 500);
}

#[tokio::test]
async fn the_panels_report_is_made_from_the_locked_quarter() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let (slug, _) = published_plan(&app).await;
    let plan = plans::store::find_plan(&app.pool, &slug).await.expect("query").expect("plan");
    let now = OffsetDateTime::now_utc();
    let actor = Actor::system("test");
    let quarter = platform::periods::Quarter::containing(platform::calendar::uk_today()).previous();
    plans::store::open_quarter(&app.pool, &plan, quarter, platform::calendar::uk_today(), &actor, now).await.expect("opened");
    let record = plans::store::find_quarter(&app.pool, &plan.id, &quarter.slug()).await.expect("query").expect("quarter");
    plans::store::close_quarter(&app.pool, &plan, &record, &actor, now).await.expect("closed");

    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let form = format!("/staff/plans/{slug}/quarters/{}/report", quarter.slug());
    let (_, html) = officer.get_page(&form).await;
    let priority: String = app.value("SELECT id FROM plans_priority WHERE title = $1", "Prevention").await;
    assert!(html.contains(&format!("narrative-{priority}")));
    let narrative = format!("narrative-{priority}");
    let refused = officer.post_from(&form, &form, &[("contact_email", "not an address"), (&narrative, "x")]).await;
    assert_refused(refused, &["Enter an email address in the correct format"]).await;
    let saved = officer
        .post_from(
            &form,
            &form,
            &[
                ("contact_name", "Sam Patel"),
                ("contact_email", "sam@office.example"),
                (&narrative, "Families are supported.\r\n\r\nMore next quarter."),
                ("meeting-day", "10"),
                ("meeting-month", "10"),
                ("meeting-year", "2026"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);

    let report = format!("/plans/{slug}/quarters/{}/report", quarter.slug());
    let (status, page) = app.get_page(&report).await;
    assert_eq!(status, 200);
    for expected in [
        "1. Purpose of the report",
        "2. Recommendation",
        "4. Progress to date",
        "Families are supported.",
        "More next quarter.",
        "Sam Patel",
        "10 October 2026",
    ] {
        assert!(page.contains(expected), "{expected}");
    }
    // The figures download counts the same actions as the locked record, counted independently.
    let statuses: Vec<String> = app.values("SELECT status FROM plans_snapshot_action WHERE quarter = $1", &quarter.slug()).await;
    let figures = app.get(&format!("{report}-figures.csv")).await.text().await.expect("csv");
    let total_row = figures
        .lines()
        .find(|l| l.starts_with("Actions by theme and delivery status,Total,All actions,"))
        .expect("the total of all actions");
    assert!(total_row.ends_with(&format!(",{}", statuses.len())), "{total_row}");
    let implemented = statuses.iter().filter(|s| *s == "implemented").count();
    let implemented_row = figures
        .lines()
        .find(|l| l.starts_with("Actions by theme and delivery status,Total,Implemented (G),"))
        .expect("implemented");
    assert!(implemented_row.ends_with(&format!(",{implemented}")), "{implemented_row}");
    // Each horizon's table adds up to its share of the same total.
    let by_horizon: usize = ["Short term", "Medium term", "Long term"]
        .iter()
        .map(|h| {
            let row = figures
                .lines()
                .find(|l| l.starts_with(&format!("{h} actions by theme and status,Total,All,")))
                .expect("a horizon total");
            row.rsplit(',').next().and_then(|n| n.parse::<usize>().ok()).expect("a count")
        })
        .sum();
    assert_eq!(by_horizon, statuses.len());
    // The PDF is tagged, with the office's words in it.
    let response = app.get(&format!("{report}.pdf")).await;
    assert_eq!(response.headers()["content-type"], "application/pdf");
    crate::support::assert_tagged_pdf(&response.bytes().await.expect("pdf"), &["Families are supported.", "Programme overview"]);
}

#[tokio::test]
async fn a_published_plan_shows_every_change_with_its_reason() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let page = new_plan(&mut officer, "Draft Plan").await;
    import(&mut officer, &page, plan_rows(), "").await;

    // A draft is the office's: not public, and Panel members read it only when it is shared.
    assert_eq!(app.get("/plans/draft-plan").await.status(), 404);
    let member = app.staff(Role::PanelMember, true).await;
    let member = app.session_for(&member).await;
    assert_eq!(member.get(&page).await.status(), 404);
    assert_eq!(officer.post_from(&page, &format!("{page}/share"), &[("shared", "yes")]).await.status(), 303);
    let (status, html) = member.get_page(&page).await;
    assert_eq!(status, 200);
    assert!(!html.contains("Import an action plan"), "Panel members read, they do not edit");
    // Edits in draft are not public changes.
    let action = format!("{page}/actions/2");
    let edit = [
        ("key_deliverable", "Youth activities"),
        ("actions", "Fund summer and half-term activities"),
        ("horizon", "short"),
        ("partner", ""),
        ("lead", ""),
        ("outcome_measure", "Youth ASB"),
    ];
    assert_eq!(officer.post_from(&action, &action, &edit).await.status(), 303);

    assert_eq!(officer.post_from(&page, &format!("{page}/status"), &[("status", "published")]).await.status(), 303);
    let (_, staff_page) = officer.get_page(&page).await;
    assert!(!staff_page.contains("Mark as draft"), "a published plan never goes back to draft");
    // After publication a change needs a reason, and the public see it.
    let measure = [
        ("key_deliverable", "Youth activities"),
        ("actions", "Fund summer and half-term activities"),
        ("horizon", "short"),
        ("partner", ""),
        ("lead", ""),
        ("outcome_measure", "Youth ASB in the school holidays"),
    ];
    assert_refused(officer.post_from(&action, &action, &measure).await, &["Say why the published plan is changing"]).await;
    let mut with_reason = measure.to_vec();
    with_reason.push(("reason", "The measure now counts half-terms as well as the summer"));
    assert_eq!(officer.post_from(&action, &action, &with_reason).await.status(), 303);
    assert_refused(
        officer.post_from(&action, &format!("{action}/withdraw"), &[("reason", "")]).await,
        &["Say why the action is withdrawn"],
    )
    .await;
    assert_eq!(
        officer
            .post_from(&action, &format!("{page}/actions/3/withdraw"), &[("reason", "Replaced by the county diversion scheme")])
            .await
            .status(),
        303
    );

    // The plan's own words, a priority and a commitment change the same way.
    let details = format!("{page}/details");
    let bad_address = [("title", "Draft Plan"), ("summary", ""), ("document_url", "plan.docx"), ("reason", "x")];
    assert_refused(
        officer.post_from(&details, &details, &bad_address).await,
        &["Enter the document’s address starting https://"],
    )
    .await;
    let with_document = [
        ("title", "Draft Plan"),
        ("summary", ""),
        ("document_url", "https://www.example.gov.uk/plan.pdf"),
        ("reason", "The plan’s document is now online"),
    ];
    assert_eq!(officer.post_from(&details, &details, &with_document).await.status(), 303);
    let priority = format!("{page}/priorities/2");
    let renamed =
        [("title", "Diversion from the justice system"), ("aim", ""), ("reason", "Named as the partnership board names it")];
    assert_eq!(officer.post_from(&priority, &priority, &renamed).await.status(), 303);
    let commitment: String = app.value("SELECT id FROM plans_commitment WHERE pledge = $1", "Youth activities").await;
    let withdraw = format!("{page}/commitments/{commitment}/withdraw");
    assert_refused(
        officer.post_from(&format!("{page}/priorities/1"), &withdraw, &[("reason", " ")]).await,
        &["Say why the commitment is withdrawn"],
    )
    .await;
    assert_eq!(
        officer
            .post_from(&format!("{page}/priorities/1"), &withdraw, &[("reason", "Funded by the councils from April")])
            .await
            .status(),
        303
    );
    let withdrawn: i64 =
        app.value("SELECT COUNT(*) FROM plans_action WHERE withdrawn_on IS NOT NULL AND reference = $1", "2").await;
    assert_eq!(withdrawn, 1, "the commitment's action goes with it");

    let (_, changes) = app.get_page("/plans/draft-plan/changes").await;
    for expected in [
        "The plan’s document",
        "https://www.example.gov.uk/plan.pdf",
        "Priority 2: title",
        "Named as the partnership board names it",
        "A commitment withdrawn",
        "Funded by the councils from April",
        "Version 1: Action 2: outcome or impact measure",
        "Youth ASB in the school holidays",
        "The measure now counts half-terms as well as the summer",
        "Version 2: Action 3 withdrawn",
        "Replaced by the county diversion scheme",
    ] {
        assert!(changes.contains(expected), "{expected}: {changes}");
    }
    let (_, public) = app.get_page("/plans/draft-plan").await;
    assert!(
        !public.contains("/plans/draft-plan/actions/3") && public.contains("changed 5 times since it was published"),
        "{public}"
    );
    let version: i64 = app.value("SELECT version FROM plans_plan WHERE slug = $1", "draft-plan").await;
    assert_eq!(version, 5);
    assert!(public.contains("Diversion from the justice system") && !public.contains("/plans/draft-plan/actions/2"), "{public}");
}

#[tokio::test]
async fn people_subscribe_to_a_priority_and_leave_in_one_click() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let (slug, _) = published_plan(&app).await;
    let form = format!("/plans/{slug}/priorities/1/subscribe");
    assert_refused(app.post_form(&form, &[("email", "not-an-address")]).await, &["Enter an email address in the correct format"])
        .await;
    let response = app.post_form(&form, &[("email", "Resident@Example.org")]).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.expect("page").contains("Check your email"));
    let mail = outbox_to(&app, "resident@example.org").await;
    assert_eq!(mail.len(), 1);
    let confirm =
        mail[0].1.split_whitespace().find(|w| w.contains("/plans/subscriptions/confirm/")).expect("a confirm link").to_string();
    // Asking again resends the same link rather than adding a second subscription.
    assert_eq!(app.post_form(&form, &[("email", "resident@example.org")]).await.status(), 200);
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM plans_subscription WHERE email = $1", "resident@example.org").await, 1);

    // Unconfirmed, they hear nothing when a quarter closes.
    let plan = plans::store::find_plan(&app.pool, &slug).await.expect("query").expect("plan");
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let close = |quarter: platform::periods::Quarter| {
        let plan = plan.clone();
        let pool = app.pool.clone();
        async move {
            let actor = Actor::system("test");
            let now = OffsetDateTime::now_utc();
            plans::store::open_quarter(&pool, &plan, quarter, platform::calendar::uk_today(), &actor, now).await.expect("opened");
            quarter
        }
    };
    let first = close(platform::periods::Quarter::containing(platform::calendar::uk_today()).previous().previous()).await;
    let q = format!("/staff/plans/{slug}/quarters/{}", first.slug());
    assert_eq!(officer.post_from(&q, &format!("{q}/close"), &[]).await.status(), 303);
    assert_eq!(outbox_to(&app, "resident@example.org").await.len(), 2, "only the two confirmation emails");

    let path = confirm.split_once("/plans/").map(|(_, rest)| format!("/plans/{rest}")).expect("path");
    let (status, html) = app.get_page(&path).await;
    assert_eq!(status, 200);
    assert!(html.contains("You’re subscribed"));
    let second = close(first.next()).await;
    let q = format!("/staff/plans/{slug}/quarters/{}", second.slug());
    assert_eq!(officer.post_from(&q, &format!("{q}/close"), &[]).await.status(), 303);
    let mail = outbox_to(&app, "resident@example.org").await;
    let (subject, body) = mail.last().expect("an update");
    assert!(
        subject.starts_with("Prevention:") && body.contains(&format!("/plans/{slug}/quarters/{}", second.slug())),
        "{subject} {body}"
    );
    let unsubscribe =
        body.split_whitespace().find(|w| w.contains("/plans/subscriptions/unsubscribe/")).expect("an unsubscribe link");
    let path = unsubscribe.split_once("/plans/").map(|(_, rest)| format!("/plans/{rest}")).expect("path");
    let header: Option<String> = app
        .value(
            "SELECT list_unsubscribe FROM platform_outbox WHERE to_address = $1 AND list_unsubscribe IS NOT NULL",
            "resident@example.org",
        )
        .await;
    assert_eq!(header.as_deref(), Some(unsubscribe), "the email offers one-click unsubscribe (RFC 8058)");
    let (_, page) = app.get_page(&path).await;
    assert!(page.contains("Unsubscribe"));
    // What a mail program sends for one click: a POST with no form of the page's own.
    let response = app.post_form(&path, &[("List-Unsubscribe", "One-Click")]).await;
    assert!(response.text().await.expect("page").contains("deleted your email address"));
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM plans_subscription WHERE email = $1", "resident@example.org").await, 0);

    // A request never confirmed is forgotten after a week.
    assert_eq!(app.post_form(&form, &[("email", "forgetful@example.org")]).await.status(), 200);
    let later = OffsetDateTime::now_utc() + time::Duration::days(8);
    assert_eq!(plans::subscriptions::forget_unconfirmed(&app.pool, later).await.expect("forgotten"), 1);
    // A subscription nothing has been sent to for the retention period is deleted by the kit's
    // nightly retention, with the office's period for the service.
    sqlx::query("INSERT INTO plans_subscription (id, priority_id, email, confirm_token, unsubscribe_token, requested_at, confirmed_at, last_sent_at) \
                 SELECT 'old', id, 'quiet@example.org', 'c-old', 'u-old', '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z', '2021-01-01T00:00:00Z' FROM plans_priority WHERE title = 'Prevention'")
        .execute(&app.pool)
        .await
        .expect("an old subscription");
    casekit::retention::run(&commissioner::server::services(), &app.pool, OffsetDateTime::now_utc()).await.expect("retention");
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM plans_subscription WHERE email = $1", "quiet@example.org").await, 0);
}

#[tokio::test]
async fn the_demo_plans_lock_figures_an_independent_count_agrees_with() {
    let app = TestApp::builder().without_background_work().spawn().await;
    plans::demo::seed(&app.pool, OffsetDateTime::now_utc()).await.expect("demo plans");
    plans::demo::seed(&app.pool, OffsetDateTime::now_utc()).await.expect("a second run adds nothing");
    let plans = plans::store::list_plans(&app.pool).await.expect("plans");
    assert_eq!(plans.len(), 3);
    let reoffending = plans.iter().find(|p| p.slug == "reducing-reoffending-action-plan").expect("reducing reoffending");
    let tree = plans::store::tree(&app.pool, &reoffending.id).await.expect("tree");
    assert_eq!((tree.priorities.len(), tree.actions.len()), (5, 50));
    for plan in &plans {
        let quarters = plans::store::quarters(&app.pool, &plan.id).await.expect("quarters");
        assert_eq!(
            (quarters.iter().filter(|q| !q.open).count(), quarters.iter().filter(|q| q.open).count()),
            (2, 1),
            "{}",
            plan.title
        );
        for locked in plans::store::snapshots(&app.pool, &plan.id).await.expect("snapshots") {
            // The overview's counts against a GROUP BY over the snapshot's own lines.
            let by_status: Vec<(String, i64)> =
                sqlx::query_as("SELECT status, COUNT(*) FROM plans_snapshot_action WHERE snapshot_id = $1 GROUP BY status")
                    .bind(&locked.id)
                    .fetch_all(&app.pool)
                    .await
                    .expect("counts");
            let overview = plans::overview::overview(&locked.snapshot);
            for (status, n) in by_status {
                let status = plans::model::DeliveryStatus::from_slug(&status).expect("a status");
                assert_eq!(overview.total.by_status(status) as i64, n, "{} {}", plan.title, locked.quarter);
            }
            let audited: i64 = app
                .value(
                    "SELECT COUNT(*) FROM platform_audit_event WHERE action = 'locked snapshot' AND detail LIKE $1",
                    &format!("%{}", locked.sha256),
                )
                .await;
            assert_eq!(audited, 1);
        }
    }
    // The demo partner (a community safety partnership) has updates to send.
    let org: String =
        app.value("SELECT id FROM platform_organisation WHERE name = $1", "Stafford Community Safety Partnership").await;
    assert!(!plans::store::asked_of(&app.pool, &org).await.expect("asked").is_empty());
}

#[tokio::test]
async fn odd_bodies_and_addresses_on_the_plan_pages_get_pages_not_errors() {
    let app = TestApp::builder().without_background_work().spawn().await;
    plans::demo::seed(&app.pool, OffsetDateTime::now_utc()).await.expect("demo plans");
    let plan = "/plans/police-and-crime-plan-2021-to-2024";
    let bodies: [&[u8]; 5] =
        [b"email=\xff\xfe\xfd", b"email=%ZZ%&email=a@b.c&email=", b"email[][x]=1&a=b=c&&&=", b"email=%00@%00", b""];
    for body in bodies {
        let response = app
            .client
            .post(app.url(&format!("{plan}/priorities/1/subscribe")))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body.to_vec())
            .send()
            .await
            .expect("sent");
        assert!(!response.status().is_server_error(), "{:?}: {}", String::from_utf8_lossy(body), response.status());
    }
    for path in [
        format!("{plan}/actions/%00"),
        format!("{plan}/actions/../../etc"),
        format!("{plan}/quarters/2023-Q9"),
        format!("{plan}/quarters/not-a-quarter/report.pdf"),
        format!("{plan}/priorities/99999999999999999999/subscribe"),
        "/plans/subscriptions/confirm/%FF".to_string(),
        "/plans/no-such-plan/overview".to_string(),
    ] {
        let response = app.get(&path).await;
        let status = response.status();
        let page = response.text().await.expect("page");
        assert!(status.is_client_error() && page.contains("govuk-template"), "{path}: {status}");
    }
    // Staff forms with values no page offers.
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let staff = "/staff/plans/police-and-crime-plan-2021-to-2024";
    let review = format!("{staff}/quarters/2023-Q3/updates/1.2");
    for fields in [
        vec![("decision", "approve"), ("revision", "not a number")],
        vec![("decision", "delete-everything"), ("revision", "0")],
        vec![("decision", "send-back"), ("comment", &"x".repeat(3000)), ("revision", "1")],
    ] {
        let response = officer.post_from(&review, &review, &fields).await;
        assert_eq!(response.status(), 422, "{fields:?}");
    }
    let response = officer.post_from(staff, &format!("{staff}/status"), &[("status", "draft")]).await;
    assert_eq!(response.status(), 400, "a published plan cannot go back to draft");
    let response = officer
        .post_from(
            staff,
            &format!("{staff}/quarters"),
            &[("quarter", "2023-Q4"), ("due-day", "40"), ("due-month", "13"), ("due-year", "20x6")],
        )
        .await;
    assert_eq!(response.status(), 422);
}
