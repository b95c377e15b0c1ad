//! Transparency as its officers and the public use it: the publication scheme with its
//! compliance calendar, completeness check and reminders; documents with versions and requests for
//! another format; decision records from draft to published, with their files and feed; the
//! spending import with every kind of bad row refused by row and payments to individuals
//! redacted for good; the registers by form and import; and the demo's records.

use platform::access::Role;
use time::{Duration, OffsetDateTime};

use crate::support::{TestApp, assert_refused, location, outbox_to};

fn csv_part(name: &str, body: &str) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(body.as_bytes().to_vec()).file_name(name.to_string()).mime_str("text/csv").expect("mime")
}

fn today() -> time::Date {
    platform::calendar::uk_today()
}

fn iso(d: time::Date) -> String {
    platform::db::date(d)
}

#[tokio::test]
async fn the_compliance_calendar_says_what_is_overdue_and_reminds_the_owner() {
    let app = TestApp::spawn().await;
    let (mut officer, officer_staff) = app.signed_in(Role::TransparencyOfficer).await;
    let owner_id: String = app.value("SELECT id FROM platform_staff_user WHERE email = $1", &officer_staff.email).await;
    // Nothing in the scheme: every requirement of the Order is unmet.
    let (_, html) = officer.get_page("/staff/transparency").await;
    assert!(html.contains("What the Order asks for that nothing meets"));
    assert_eq!(
        html.matches("<th scope=\"row\" class=\"govuk-table__header\">3(h)</th>").count(),
        1,
        "the expenses paragraph is listed"
    );

    // A bad item is refused field by field.
    let response = officer
        .post_from(
            "/staff/transparency",
            "/staff/transparency/items",
            &[("title", ""), ("class", "9"), ("frequency", "weekly"), ("source", "link"), ("url", "javascript:alert(1)")],
        )
        .await;
    assert_refused(
        response,
        &[
            "Enter what is published",
            "Choose the class of the publication scheme",
            "Choose how often it is published",
            "Enter the web address, starting https:// or /",
        ],
    )
    .await;

    // A page elsewhere, kept current, owned by the officer; spending, followed from its imports.
    let add =
        |title: &'static str, requirement: &'static str, frequency: &'static str, source: &'static str, url: &'static str| {
            vec![
                ("title", title),
                ("class", "2"),
                ("requirement", requirement),
                ("frequency", frequency),
                ("source", source),
                ("url", url),
            ]
        };
    for fields in [
        add("Allowances and expenses", "expenses", "Q", "link", "https://example.org/expenses"),
        add("Spending over £500", "spending", "M", "spending", ""),
    ] {
        let mut fields = fields;
        fields.push(("owner", owner_id.as_str()));
        let response = officer.post_from("/staff/transparency", "/staff/transparency/items", &fields).await;
        assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    }
    let (_, html) = officer.get_page("/staff/transparency").await;
    assert!(html.contains("Overdue or never published (2)"), "neither has been published yet");
    assert!(!html.contains(">3(h)</th>"), "the expenses paragraph is met now");
    let audits: i64 =
        app.value("SELECT COUNT(*) FROM platform_audit_event WHERE record_type = $1", "publication scheme item").await;
    assert_eq!(audits, 2);

    // The daily reminder on a Monday: the owner hears of each, once a day at most; administrators get the list.
    let admin = app.staff(Role::Administrator, true).await;
    let mut monday = OffsetDateTime::now_utc();
    while monday.weekday() != time::Weekday::Monday {
        monday += Duration::days(1);
    }
    let sent = transparency::remind::run(&app.pool, &app.settings, monday).await.expect("remind");
    assert_eq!(sent, 3, "two to the owner, one list to the administrator");
    let to_owner = outbox_to(&app, &officer_staff.email).await;
    assert_eq!(to_owner.len(), 2);
    assert!(to_owner.iter().any(|(subject, body)| subject == "To publish: Allowances and expenses"
        && body.contains("Nothing has been published for it yet")));
    let to_admin = outbox_to(&app, &admin.email).await;
    assert_eq!(to_admin[0].0, "Publication scheme: 2 overdue");
    assert_eq!(
        transparency::remind::run(&app.pool, &app.settings, monday).await.expect("again"),
        1,
        "the owner is not told twice a day"
    );
    let week_later = transparency::remind::run(&app.pool, &app.settings, monday + Duration::days(7)).await.expect("a week on");
    assert_eq!(week_later, 3, "and again a week on, while still overdue");

    // Reviewed today: up to date, on the public page by class with the date.
    let id: String = app.value("SELECT id FROM transparency_item WHERE title = $1", "Allowances and expenses").await;
    let response = officer.post_from("/staff/transparency", &format!("/staff/transparency/items/{id}/reviewed"), &[]).await;
    assert_eq!(location(&response), "/staff/transparency?done=reviewed");
    let (_, html) = officer.get_page("/staff/transparency?done=reviewed").await;
    assert!(html.contains("Marked as reviewed today"));
    assert!(html.contains("Up to date (1)") && html.contains("Overdue or never published (1)"));
    let (_, public) = app.get_page("/transparency").await;
    assert!(public.contains("2. What we spend and how we spend it"));
    assert!(public.contains(&format!("Last published or reviewed: {}", platform::format::date(today()))));
    assert!(public.contains("Required by the Order, paragraph 3(h)"));
    // A redirect's message is one of the page's own: a link cannot write on the page.
    let (_, html) = officer.get_page("/staff/transparency?done=Your+account+is+locked").await;
    assert!(!html.contains("Your account is locked"));
    // Removed, and audited.
    let response = officer.post_from("/staff/transparency", &format!("/staff/transparency/items/{id}/remove"), &[]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM transparency_item WHERE id = $1", &id).await, 0);
}

#[tokio::test]
async fn documents_keep_their_versions_and_anyone_can_ask_for_another_format() {
    let app = TestApp::spawn().await;
    let (officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let page = "/staff/transparency/documents";
    // Refused: no text, a bad address.
    let response =
        officer.post_multipart(page, page, |f| f.text("title", "Budget").text("slug", "Budget 2026!").text("body", " ")).await;
    assert_refused(response, &["Enter the web address as lower-case words", "Enter the document, or a summary"]).await;
    let first = "## The budget\nThe first budget.\n\n- Police grant\n- Precept";
    let response = officer
        .post_multipart(page, page, |f| f.text("title", "Budget and precept").text("slug", "budget").text("body", first))
        .await;
    assert_eq!(location(&response), "/staff/transparency/documents/budget?done=published");
    // The same address again is refused: a new version is published from the document's page.
    let response =
        officer.post_multipart(page, page, |f| f.text("title", "Another").text("slug", "budget").text("body", "x")).await;
    assert_refused(response, &["A document already has that web address"]).await;
    let doc_page = "/staff/transparency/documents/budget";
    let pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".to_vec();
    let response = officer
        .post_multipart(doc_page, doc_page, |f| {
            f.text("title", "Budget and precept")
                .text("body", "## The budget\nThe revised budget, after the precept.")
                .text("change_note", "Revised after the precept was agreed")
                .part("file", reqwest::multipart::Part::bytes(pdf.clone()).file_name("budget.pdf"))
        })
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());

    let (status, html) = app.get_page("/transparency/documents/budget").await;
    assert_eq!(status, 200);
    assert!(html.contains("The revised budget, after the precept.") && html.contains("Version 2"));
    assert!(html.contains("Download budget.pdf"));
    assert!(html.contains("/transparency/documents/budget/versions/1\">Version 1"), "the earlier version is in the archive");
    let (_, old) = app.get_page("/transparency/documents/budget/versions/1").await;
    assert!(
        old.contains("This is an earlier version") && old.contains("The first budget.") && old.contains("<li>Police grant</li>")
    );
    let file = app.get("/transparency/documents/budget/versions/2/file").await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.bytes().await.expect("bytes").to_vec(), pdf);
    assert_eq!(app.get("/transparency/documents/budget/versions/3").await.status(), 404);
    assert_eq!(app.get("/transparency/documents/budget/versions/1/file").await.status(), 404, "version 1 had no file");

    // Another format: refused without what is needed, then sent with a reference and a reply date.
    let ask = "/transparency/documents/budget/another-format";
    let response = app.post_form(ask, &[("name", ""), ("email", "not an email"), ("format", "language"), ("details", "")]).await;
    assert_refused(response, &["Enter your name", "Enter an email address in the correct format", "Tell us which language"])
        .await;
    let response = app
        .post_form(ask, &[("name", "Sam Reader"), ("email", "Sam@Example.org"), ("format", "large-print"), ("details", "")])
        .await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("page");
    let reference: String = app.one("SELECT reference FROM transparency_format_request").await;
    assert!(reference.starts_with("AF-") && html.contains(&reference));
    let reply_by: String = app.one("SELECT reply_by FROM transparency_format_request").await;
    let calendar =
        platform::calendar::store::for_nation(&app.pool, platform::calendar::Nation::EnglandAndWales).await.expect("calendar");
    assert_eq!(reply_by, iso(platform::calendar::add_working_days(today(), 10, &calendar)));
    let mail = outbox_to(&app, "sam@example.org").await;
    assert!(mail[0].0.contains(&reference) && mail[0].1.contains("as large print"));
    let office_email: String = app.one("SELECT email FROM platform_office").await;
    assert!(outbox_to(&app, &office_email).await.iter().any(|(s, _)| s.contains(&reference)));
    // The office marks it replied; reading the list is audited.
    let (_, list) = officer.get_page("/staff/transparency/format-requests").await;
    assert!(list.contains("Sam Reader"));
    let mut officer = officer;
    let response = officer
        .post_from("/staff/transparency/format-requests", &format!("/staff/transparency/format-requests/{reference}"), &[])
        .await;
    assert_eq!(response.status(), 303);
    assert!(
        app.value::<Option<String>>("SELECT replied_on FROM transparency_format_request WHERE reference = $1", &reference)
            .await
            .is_some()
    );
    let reads: i64 =
        app.value("SELECT COUNT(*) FROM platform_audit_event WHERE record_type = $1", "requests for another format").await;
    assert!(reads >= 1);
}

#[tokio::test]
async fn decision_records_go_from_draft_to_signed_to_published_and_withhold_the_exempt_part() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let list = "/staff/transparency/decisions";
    let tomorrow = iso(today() + Duration::days(1));
    let response = officer
        .post_from(
            list,
            list,
            &[
                ("title", "Grants"),
                ("decided_on", &tomorrow),
                ("decision_maker", "The Commissioner"),
                ("summary", "Yes"),
                ("exempt_part", "Prices"),
            ],
        )
        .await;
    assert_refused(
        response,
        &["Enter the date of the decision, today or earlier", "Enter why part of the decision is not published"],
    )
    .await;
    let decided = iso(today());
    let fields = [
        ("title", "Custody medical services"),
        ("decided_on", decided.as_str()),
        ("decision_maker", "The Commissioner"),
        ("summary", "Award the contract"),
        ("reasons", "The best bid"),
        ("financial", "£4.2m over five years"),
        ("exempt_part", "Bidder A offered £3.9m"),
        ("exempt_reason", "The bidders’ prices are commercially sensitive"),
    ];
    let response = officer.post_from(list, list, &fields).await;
    let year = today().year();
    let slug = format!("{year}-001");
    assert_eq!(location(&response), format!("/staff/transparency/decisions/{slug}"));
    let page = format!("/staff/transparency/decisions/{slug}");
    // Not public while a draft; cannot be published before it is signed.
    assert_eq!(app.get(&format!("/transparency/decisions/{slug}")).await.status(), 404);
    let response = officer.post_from(&page, &format!("{page}/step"), &[("version", "1"), ("step", "publish")]).await;
    assert_refused(response, &["That cannot be done now"]).await;
    let response = officer.post_from(&page, &format!("{page}/step"), &[("version", "1"), ("step", "sign")]).await;
    assert_eq!(response.status(), 303);
    // Signed: no longer editable.
    let mut amended = fields.to_vec();
    amended.push(("version", "2"));
    let response = officer.post_from(&page, &page, &amended).await;
    assert_refused(response, &["Only a draft can be changed"]).await;
    let response = officer.post_from(&page, &format!("{page}/step"), &[("version", "2"), ("step", "publish")]).await;
    assert_eq!(response.status(), 303);
    // A stale form (version 2 again) is refused rather than repeated.
    let response = officer.post_from(&page, &format!("{page}/step"), &[("version", "2"), ("step", "unsign")]).await;
    assert_refused(response, &["That cannot be done now"]).await;

    let (status, html) = app.get_page(&format!("/transparency/decisions/{slug}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Custody medical services") && html.contains("£4.2m over five years"));
    assert!(html.contains("Part of this decision is not published: The bidders’ prices are commercially sensitive"));
    assert!(!html.contains("Bidder A offered"), "the exempt part is never shown");
    let number = format!("{year}/001");
    let csv = app.get("/transparency/decisions.csv").await.text().await.expect("csv");
    assert!(
        csv.starts_with("number,title,decided_on,published_on")
            && csv.contains(&format!("\"{number}\""))
            && !csv.contains("Bidder A")
    );
    let json: serde_json::Value = app
        .get("/transparency/decisions.json")
        .await
        .text()
        .await
        .map(|t| serde_json::from_str(&t).expect("json"))
        .expect("body");
    assert_eq!(json["decisions"][0]["number"], number.as_str());
    assert_eq!(json["licence"], "Open Government Licence v3.0");
    let atom = app.get("/transparency/decisions.atom").await;
    assert_eq!(atom.headers()["content-type"], "application/atom+xml; charset=utf-8");
    assert!(atom.text().await.expect("atom").contains(&format!("<title>{number}: Custody medical services</title>")));
    // Filtered by the date published; a date that cannot be read is an error, not a crash.
    let (_, none) = app.get_page(&format!("/transparency/decisions?from={}", iso(today() + Duration::days(1)))).await;
    assert!(none.contains("No decisions were published in those dates"));
    let response = app.get("/transparency/decisions?from=31%2F02%2F2026").await;
    assert_refused(response, &["Enter the date as a day, month and year"]).await;
    assert_eq!(app.get("/transparency/decisions.csv?to=soon").await.status(), 400);
    // The Panel's "decisions since the last meeting" reads them through the public function.
    let published =
        transparency::decisions_published_between(&app.pool, today() - Duration::days(1), today()).await.expect("between");
    assert_eq!(published.len(), 1);
    assert_eq!(published[0].path, format!("/transparency/decisions/{slug}"));
    assert!(
        transparency::decisions_published_between(&app.pool, today() + Duration::days(1), today() + Duration::days(9))
            .await
            .expect("none")
            .is_empty()
    );
    // The next record of the year is 002; every step was audited.
    let response = officer.post_from(list, list, &fields[..4]).await;
    assert_eq!(location(&response), format!("/staff/transparency/decisions/{year}-002"));
    let steps: Vec<String> =
        app.values("SELECT action FROM platform_audit_event WHERE record_type = $1 ORDER BY seq", "decision").await;
    assert_eq!(steps, vec!["drafted", "signed", "published", "drafted"]);
}

const HEADER: &str = "Trans No,Payment Date,Supplier Name,Net Amount,Expense Type,Description,Payee Type\n";

#[tokio::test]
async fn spending_is_imported_through_the_saved_mapping_with_bad_rows_refused_and_individuals_redacted() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let page = "/staff/transparency/spending";
    let paid = platform::format::date(today());
    let day = iso(today() - Duration::days(3));
    let good = format!(
        "{HEADER}T1,{day},Staffordshire County Council,\"12,000.00\",Partnership funding,Locality deal,Organisation\n\
         T2,{day},Jane Smith,750.00,Witness expenses,Travel,Individual\n\
         T3,{day},Acme Ltd,499.99,Supplies,Paper,Organisation\n\
         T4,{day},Acme Ltd,\"1,500.00\",Supplies,Paper,Organisation\n"
    );
    // The first file asks which column holds what; it is kept meanwhile.
    let response = officer.post_multipart(page, page, |f| f.part("file", csv_part("april.csv", &good))).await;
    let mapping_page = location(&response);
    assert!(mapping_page.starts_with("/staff/transparency/spending/mapping/"), "{mapping_page}");
    let (_, html) = officer.get_page(&mapping_page).await;
    assert!(html.contains("april.csv has columns this office has not mapped yet"));
    assert!(html.contains("<option value=\"Trans No\" selected"), "guessed from the header's words");
    let response = officer.post_from(&mapping_page, &mapping_page, &[("transaction", "Trans No"), ("date", "Trans No")]).await;
    assert_refused(response, &["is already chosen for another field", "Choose the column that holds the supplier"]).await;
    let mapping = [
        ("transaction", "Trans No"),
        ("date", "Payment Date"),
        ("supplier", "Supplier Name"),
        ("amount", "Net Amount"),
        ("expense_type", "Expense Type"),
        ("purpose", "Description"),
        ("payee_type", "Payee Type"),
    ];
    let response = officer.post_from(&mapping_page, &mapping_page, &mapping).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("page");
    assert!(
        html.contains("3 payments published from april.csv. Payments to individuals redacted: 1. Left out at £500 or less: 1."),
        "{html}"
    );
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM transparency_spend").await, 3);
    let redacted: Option<i64> = app.value("SELECT supplier_id FROM transparency_spend WHERE transaction_id = $1", "T2").await;
    assert_eq!(redacted, None);
    // The individual's name is stored nowhere: not as a supplier, not in the audit.
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM transparency_supplier WHERE name LIKE $1", "%Jane%").await, 0);
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM platform_audit_event WHERE detail LIKE $1", "%Jane%").await, 0);

    // Every kind of bad row, each named by its row; nothing from the file is published.
    let future = iso(today() + Duration::days(5));
    let bad = format!(
        "{HEADER}T5,{day},Acme Ltd,\"1,2O0.00\",Supplies,Paper,Organisation\n\
         T6,{future},Acme Ltd,900.00,Supplies,Paper,Organisation\n\
         T7,{day},Acme Ltd,900.00,Supplies,Paper,Organisation\n\
         T7,{day},Acme Ltd,900.00,Supplies,Paper,Organisation\n\
         T1,{day},Acme Ltd,900.00,Supplies,Paper,Organisation\n\
         T8,{day},Acme Ltd,900.00,Supplies,Paper,Organisation\n"
    );
    let response = officer.post_multipart(page, page, |f| f.part("file", csv_part("may.csv", &bad))).await;
    let html = assert_refused(
        response,
        &[
            "Nothing was published: 4 rows in may.csv cannot be, listed below",
            "“1,2O0.00” is not an amount in pounds",
            "is in the future",
            "Transaction T7 is in the file twice",
            "Transaction T1 has already been published",
        ],
    )
    .await;
    assert!(
        html.contains(">2</th>") && html.contains(">3</th>") && html.contains(">5</th>") && html.contains(">6</th>"),
        "rows named"
    );
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM transparency_spend").await, 3, "nothing half-imported, not even T7 or T8");
    // A file whose columns changed is asked about again, not misread.
    let moved = format!("Ref,Date,Payee,Value,Category\nX1,{day},Acme,900,Supplies\n");
    let response = officer.post_multipart(page, page, |f| f.part("file", csv_part("june.csv", &moved))).await;
    assert!(location(&response).starts_with("/staff/transparency/spending/mapping/"));
    // Not CSV at all.
    let response = officer
        .post_multipart(page, page, |f| f.part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4".to_vec()).file_name("x.pdf")))
        .await;
    assert_refused(response, &["must be a CSV file"]).await;

    // The redaction cannot be undone by importing again: the same transaction is refused, and the
    // same person written another way is redacted again.
    let again = format!(
        "{HEADER}T2,{day},Jane Smith,750.00,Witness expenses,Travel,Organisation\nT9,{day},JANE  SMITH.,800.00,Witness expenses,Travel,Organisation\n"
    );
    let response = officer.post_multipart(page, page, |f| f.part("file", csv_part("again.csv", &again))).await;
    assert_refused(response, &["Transaction T2 has already been published"]).await;
    let response = officer.post_from(page, "/staff/transparency/spending/individuals", &[("name", "Jane Smith")]).await;
    assert_eq!(location(&response), "/staff/transparency/spending?done=individual");
    let later = format!("{HEADER}T9,{day},JANE  SMITH.,800.00,Witness expenses,Travel,Organisation\n");
    let response = officer.post_multipart(page, page, |f| f.part("file", csv_part("later.csv", &later))).await;
    assert!(
        response.text().await.expect("page").contains("1 payment published from later.csv. Payments to individuals redacted: 1.")
    );
    assert_eq!(
        app.value::<Option<i64>>("SELECT supplier_id FROM transparency_spend WHERE transaction_id = $1", "T9").await,
        None
    );
    // Adding a payee to the list redacts what was already published to them.
    let response = officer.post_from(page, "/staff/transparency/spending/individuals", &[("name", "acme ltd")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(
        app.value::<Option<i64>>("SELECT supplier_id FROM transparency_spend WHERE transaction_id = $1", "T4").await,
        None
    );
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM transparency_supplier WHERE name = $1", "Acme Ltd").await, 0);

    // The public search, files and filters.
    let (_, html) = app.get_page("/transparency/spending?words=county").await;
    assert!(
        html.contains("1 payment")
            && html.contains("£12,000")
            && html.contains(&paid.replace(&paid, &platform::format::date(today() - Duration::days(3))))
    );
    let (_, html) = app.get_page("/transparency/spending?words=witness").await;
    assert!(html.contains("2 payments") && html.contains("Redacted personal data") && !html.contains("Jane"));
    let (_, html) = app.get_page("/transparency/spending?words=%25").await;
    assert!(html.contains("0 payments"), "a % is looked for as written, not as a wildcard");
    let response = app.get("/transparency/spending?from=yesterday&expense_type=999").await;
    assert_refused(response, &["Enter the date as a day, month and year", "Choose an expense type from the list"]).await;
    let year = platform::periods::FinancialYear::containing(today() - Duration::days(3)).0;
    let csv = app.get(&format!("/transparency/spending.csv?year={year}")).await.text().await.expect("csv");
    assert!(csv.contains("\"T2\",") && csv.contains("\"Redacted personal data\"") && !csv.to_lowercase().contains("jane"));
    assert!(csv.contains("\"T1\",\"") && csv.contains("\"12000.00\""));
    let json: serde_json::Value = app
        .get(&format!("/transparency/spending.json?year={year}"))
        .await
        .text()
        .await
        .map(|t| serde_json::from_str(&t).expect("json"))
        .expect("body");
    assert_eq!(json["payments"].as_array().map(Vec::len), Some(4));
    assert_eq!(app.get("/transparency/spending.csv?year=1990").await.status(), 404);
    let imports: i64 = app.value("SELECT COUNT(*) FROM platform_audit_event WHERE record_type = $1", "spending").await;
    assert_eq!(imports, 2);

    // A thousand more: counted to 1,000 and paged to the 20th page, no further.
    let mut many = String::from(HEADER);
    for n in 0..1_050 {
        many.push_str(&format!("M{n:05},{day},Bulk Supplier {},600.00,Supplies,Paper,Organisation\n", n % 7));
    }
    let response = officer.post_multipart(page, page, |f| f.part("file", csv_part("many.csv", &many))).await;
    let html = response.text().await.expect("page");
    assert!(html.contains("1,050 payments published from many.csv"), "{html}");
    let (_, html) = app.get_page("/transparency/spending").await;
    assert!(html.contains("More than 1,000 payments") && html.contains("Page 1 of 20<"), "counted to the cap");
    let (_, last) = app.get_page("/transparency/spending?page=500").await;
    assert!(last.contains("Page 20 of 20") && !last.contains("rel=\"next\""));
    let (_, some) = app.get_page("/transparency/spending?words=bulk+supplier+3").await;
    assert!(some.contains("150 payments"), "1,050 / 7 for the supplier 3");
}

#[tokio::test]
async fn registers_take_entries_by_form_and_by_import_all_or_nothing() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let page = "/staff/transparency/registers/contracts";
    let response = officer
        .post_from(
            page,
            page,
            &[
                ("reference", "C-1"),
                ("title", "Cleaning"),
                ("supplier", "Acme"),
                ("value", "lots"),
                ("starts_on", "2026-04-01"),
                ("ends_on", "2025-04-01"),
                ("route", "Handshake"),
            ],
        )
        .await;
    assert_refused(
        response,
        &[
            "Enter the total value in pounds",
            "The end date must be on or after the start date",
            "Choose how it was procured from the list",
        ],
    )
    .await;
    let response = officer
        .post_from(
            page,
            page,
            &[
                ("reference", "C-1"),
                ("title", "Cleaning"),
                ("supplier", "Acme"),
                ("value", "£9,500"),
                ("starts_on", "01/04/2026"),
                ("ends_on", "31/03/2027"),
                ("route", "Quotation"),
            ],
        )
        .await;
    assert_eq!(location(&response), format!("{page}?done=entry"));
    let import = format!("{page}/import");
    let body = "Contract reference,Title,Supplier,Total value,Start date,End date,How it was procured,Tender documents (web address)\n\
                C-2,Victims' Gateway,Victim Support,\"1,950,000\",2024-04-01,2027-03-31,Open tender,https://example.org/tender\n\
                C-3,Custody health,Midlands Health,soon,2024-04-01,2027-03-31,Open tender,\n";
    let response = officer.post_multipart(&import, page, |f| f.part("file", csv_part("contracts.csv", body))).await;
    assert_refused(response, &["Nothing was added: 1 row of contracts.csv cannot be", "Enter the total value in pounds"]).await;
    assert_eq!(app.value::<i64>("SELECT COUNT(*) FROM transparency_register_entry WHERE register = $1", "contracts").await, 1);
    let fixed = body.replace("soon", "\"4,200,000\"");
    let response = officer.post_multipart(&import, page, |f| f.part("file", csv_part("contracts.csv", &fixed))).await;
    assert_eq!(response.status(), 303);
    let (_, html) = app.get_page("/transparency/registers/contracts").await;
    assert!(html.contains("£1,950,000") && html.contains("Contracts of £10,000 or less") && html.contains("£9,500"));
    assert!(html.contains("<a class=\"govuk-link\" href=\"https://example.org/tender\">Documents</a>"));
    let csv = app.get("/transparency/registers/contracts/data.csv").await.text().await.expect("csv");
    assert!(
        csv.starts_with("reference,title,supplier,value,starts_on,ends_on,route,documents") && csv.contains("\"1950000.00\"")
    );
    let json: serde_json::Value = app
        .get("/transparency/registers/contracts/data.json")
        .await
        .text()
        .await
        .map(|t| serde_json::from_str(&t).expect("json"))
        .expect("body");
    assert_eq!(json["entries"].as_array().map(Vec::len), Some(3));
    assert_eq!(app.get("/transparency/registers/nothing").await.status(), 404);
    // Taken off the register, kept for the audit.
    let id: String = app.value("SELECT id FROM transparency_register_entry WHERE fields LIKE $1", "%C-1%").await;
    let response = officer.post_from(page, &format!("{page}/{id}/remove"), &[("version", "1")]).await;
    assert_eq!(response.status(), 303);
    let (_, html) = app.get_page("/transparency/registers/contracts").await;
    assert!(!html.contains("£9,500"));
    let actions: Vec<String> =
        app.values("SELECT action FROM platform_audit_event WHERE record_type = $1 ORDER BY seq", "Contracts").await;
    assert_eq!(actions, vec!["added", "added", "added", "removed"]);
}

#[tokio::test]
async fn the_demo_fills_the_scheme_with_a_year_of_records_some_overdue() {
    let app = TestApp::spawn().await;
    let now = OffsetDateTime::now_utc();
    transparency::demo::seed(&app.pool, &app.settings, now).await.expect("demo");
    transparency::demo::seed(&app.pool, &app.settings, now).await.expect("seeding twice adds nothing");
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM transparency_spend_import").await, 12);
    let redacted: i64 = app.one("SELECT COUNT(*) FROM transparency_spend WHERE supplier_id IS NULL").await;
    assert!(redacted >= 4, "{redacted}");
    let standings = transparency::remind::standings(&app.pool, today()).await.expect("standings");
    assert!(standings.iter().any(|s| s.standing.needs_action()), "some are overdue");
    assert!(standings.iter().filter(|s| matches!(s.standing, transparency::scheme::Standing::Current { .. })).count() >= 10);
    let unmet = transparency::scheme::unmet(standings.iter().map(|s| s.item.requirement.as_str()));
    assert!(!unmet.is_empty() && unmet.len() < 5, "{unmet:?}");
    let (_, html) = app.get_page("/transparency/decisions").await;
    assert_eq!(
        html.matches("<th scope=\"row\" class=\"govuk-table__header\">").count(),
        12,
        "twelve published, one signed, one draft"
    );
    let (_, html) = app.get_page("/transparency").await;
    for class in transparency::scheme::CLASSES {
        assert!(html.contains(&format!("{}. {}", class.0, class.1)));
    }
}
