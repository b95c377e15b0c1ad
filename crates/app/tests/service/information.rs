//! Information requests against the real database: the disclosure log's publishing, word index
//! and search, on SQLite and PostgreSQL alike.

use casework::information::disclosure::{self, NewEntry, Query};
use platform::access::Role;
use platform::audit::Actor;
use time::OffsetDateTime;

use crate::support::location;
use crate::support::{TestApp, assert_refused, outbox_to};

fn entry(reference: &str, title: &str, topic: &str, request: &str, outcome: &str, responded_on: &str) -> NewEntry {
    NewEntry {
        request_id: None,
        reference: reference.into(),
        title: title.into(),
        topic: topic.into(),
        request_text: request.into(),
        response_text: "The information is attached.".into(),
        outcome: outcome.into(),
        exemptions: if outcome == "refused" { "s.31".into() } else { String::new() },
        received_on: "2026-01-05".into(),
        responded_on: responded_on.into(),
    }
}

async fn publish_all(app: &TestApp, entries: &[NewEntry]) -> Vec<String> {
    let mut ids = Vec::new();
    for e in entries {
        let mut tx = platform::db::begin_write(&app.pool).await.expect("begin");
        ids.push(disclosure::publish(&mut tx, e, &Actor::system("test"), OffsetDateTime::now_utc()).await.expect("published"));
        tx.commit().await.expect("commit");
    }
    ids
}

fn references(found: &[disclosure::Entry]) -> Vec<&str> {
    found.iter().map(|e| e.reference.as_str()).collect()
}

#[tokio::test]
async fn the_disclosure_log_finds_entries_by_their_words_with_filters_and_never_a_withdrawn_one() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let ids = publish_all(
        &app,
        &[
            entry(
                "FOI-2026-000001",
                "Burglaries in Stafford",
                "Crime",
                "How many burglaries were reported in Stafford in 2025?",
                "disclosed",
                "2026-02-01",
            ),
            entry(
                "FOI-2026-000002",
                "Speed cameras",
                "Roads",
                "Where are the speed cameras on the A34 and how much did they raise?",
                "part-disclosed",
                "2026-02-03",
            ),
            entry(
                "FOI-2026-000003",
                "Burglary response times",
                "Crime",
                "What is the average response time to a burglary call?",
                "refused",
                "2026-02-05",
            ),
            entry(
                "FOI-2026-000004",
                "Office spending",
                "Finance",
                "What did the office spend on hospitality?",
                "not-held",
                "2026-02-07",
            ),
        ],
    )
    .await;
    let search = |text: &str| Query { text: text.into(), limit: 20, ..Query::default() };
    // Plural and singular meet; newest first.
    let (found, total) = disclosure::search(&app.pool, &search("burglary")).await.expect("search");
    assert_eq!((references(&found), total), (vec!["FOI-2026-000003", "FOI-2026-000001"], 2));
    // Every word must match.
    let (found, _) = disclosure::search(&app.pool, &search("burglary Stafford")).await.expect("search");
    assert_eq!(references(&found), vec!["FOI-2026-000001"]);
    // Filters, with and without words.
    let refused = Query { outcome: Some("refused".into()), ..search("burglary") };
    assert_eq!(references(&disclosure::search(&app.pool, &refused).await.expect("search").0), vec!["FOI-2026-000003"]);
    let finance = Query { topic: Some("Finance".into()), ..search("") };
    assert_eq!(references(&disclosure::search(&app.pool, &finance).await.expect("search").0), vec!["FOI-2026-000004"]);
    // By the year answered, and by an exemption cited (a section's number never matches a longer one).
    let cited = Query { exemption: Some("s.31".into()), ..search("") };
    assert_eq!(references(&disclosure::search(&app.pool, &cited).await.expect("search").0), vec!["FOI-2026-000003"]);
    let prefix = Query { exemption: Some("s.3".into()), ..search("") };
    assert!(disclosure::search(&app.pool, &prefix).await.expect("search").0.is_empty());
    let this_year = Query { year: Some(2026), ..search("burglary") };
    assert_eq!(disclosure::search(&app.pool, &this_year).await.expect("search").1, 2);
    let last_year = Query { year: Some(2025), ..search("") };
    assert_eq!(disclosure::search(&app.pool, &last_year).await.expect("search").1, 0);
    assert_eq!(disclosure::years(&app.pool).await.expect("years"), vec![2026]);
    // No words: everything, newest first, a page at a time with the total.
    let page = Query { limit: 2, offset: 2, ..search("") };
    let (found, total) = disclosure::search(&app.pool, &page).await.expect("search");
    assert_eq!((references(&found), total), (vec!["FOI-2026-000002", "FOI-2026-000001"], 4));
    // SQL and markup are only characters.
    for hostile in ["'; DROP TABLE casework_disclosure_entry; --", "<script>alert(1)</script>", "%", "\"", "the of and"] {
        let (found, total) = disclosure::search(&app.pool, &search(hostile)).await.expect("a hostile query is just a query");
        assert_eq!((found.len(), total), (0, 0), "{hostile}");
    }
    // Suggestions: only answers sharing most of a request's telling weight, with the words
    // shared; question words ("number", "last year") and unknown words count as the request's.
    let suggest = |text: &'static str| {
        let pool = app.pool.clone();
        async move {
            let found = disclosure::suggestions(&pool, text, 5).await.expect("suggestions");
            found.into_iter().map(|s| (s.entry.reference.clone(), s.shared)).collect::<Vec<_>>()
        }
    };
    let suggested = suggest("Please tell me the number of burglaries reported in Stafford last year").await;
    assert_eq!(suggested.len(), 1, "{suggested:?}");
    assert_eq!(suggested[0].0, "FOI-2026-000001");
    assert!(suggested[0].1.contains(&"stafford".to_string()) && suggested[0].1.contains(&"burglary".to_string()));
    assert!(suggest("weather").await.is_empty());
    assert!(suggest("How many officers are there in Leek?").await.is_empty(), "nothing shares its telling words");
    assert_eq!(suggest("speed cameras on the A34").await[0].0, "FOI-2026-000002");
    // A withdrawn entry is found no more, and its withdrawal is audited with the reason.
    let mut tx = platform::db::begin_write(&app.pool).await.expect("begin");
    assert!(
        disclosure::withdraw(&mut tx, &ids[0], "Named a victim", &Actor::system("test"), OffsetDateTime::now_utc())
            .await
            .expect("withdraw")
    );
    tx.commit().await.expect("commit");
    let (found, _) = disclosure::search(&app.pool, &search("burglary")).await.expect("search");
    assert_eq!(references(&found), vec!["FOI-2026-000003"]);
    assert!(disclosure::find(&app.pool, "FOI-2026-000001").await.expect("find").is_none());
    let reason: String = app.one("SELECT detail FROM platform_audit_event WHERE action = 'withdrew'").await;
    assert_eq!(reason, "Named a victim");
    assert_eq!(disclosure::topics(&app.pool).await.expect("topics"), vec!["Crime", "Finance", "Roads"]);
}

#[tokio::test]
async fn a_request_is_shown_published_answers_then_sent_tracked_answered_with_an_exemption_and_published() {
    let app = TestApp::builder().without_background_work().spawn().await;
    publish_all(
        &app,
        &[entry(
            "FOI-2025-000090",
            "Speed cameras on the A34",
            "Roads",
            "Where are the speed cameras on the A34 and how much did they raise in fines?",
            "disclosed",
            "2025-11-03",
        )],
    )
    .await;

    // The request page: bad input first.
    let response = app.post_form("/information-request/apply", &[]).await;
    assert_eq!(response.status(), 303);
    let base = location(&response).trim_end_matches("/request").to_string();
    let response = app.post_form(&format!("{base}/request"), &[("request-text", "  "), ("preferred-format", "")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("govuk-error-summary") && page.contains("Enter the information you want"), "{page}");
    let enormous = "speed ".repeat(2_000);
    let response =
        app.post_form(&format!("{base}/request"), &[("request-text", &enormous), ("preferred-format", "electronic")]).await;
    assert_refused(response, &["10000 characters or fewer: it has 11999"]).await;

    // A request like a published answer is shown it before going on.
    let text = "How much money did the speed cameras on the A34 raise last year?";
    let response = app.post_form(&format!("{base}/request"), &[("request-text", text), ("preferred-format", "electronic")]).await;
    assert_eq!(location(&response), format!("{base}/published-answers"));
    let (status, page) = app.get_page(&format!("{base}/published-answers")).await;
    assert_eq!(status, 200);
    assert!(page.contains("/disclosure-log/FOI-2025-000090") && page.contains("Speed cameras on the A34"), "{page}");
    let response = app.post_form(&format!("{base}/published-answers"), &[]).await;
    assert_eq!(location(&response), format!("{base}/contact"));

    // Contact details: a reply by post needs an address.
    let response =
        app.post_form(&format!("{base}/contact"), &[("full-name", "Ada Lovelace"), ("contact-method", "letter")]).await;
    assert_refused(response, &["Enter your postal address"]).await;
    let response = app
        .post_form(
            &format!("{base}/contact"),
            &[("full-name", "Ada Lovelace"), ("contact-method", "email"), ("email", "ada@example.com")],
        )
        .await;
    assert_eq!(location(&response), format!("{base}/check"));
    let (_, check) = app.get_page(&format!("{base}/check")).await;
    assert!(check.contains("ada@example.com") && check.contains("will be answered by"));
    let response = app.post_form(&format!("{base}/check"), &[]).await;
    assert_eq!(location(&response), format!("{base}/sent"));
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    let reference = crate::support::text_of_class(&sent, "app-reference").expect("reference");
    assert!(reference.starts_with("FOI-") && reference.len() == "FOI-2026-000001".len(), "{reference}");
    // Sent twice: still one request.
    let again = app.post_form(&format!("{base}/check"), &[]).await;
    assert_eq!(location(&again), format!("{base}/sent"));
    let count: i64 = app.one("SELECT COUNT(*) FROM casework_information_request").await;
    assert_eq!(count, 1);

    // The acknowledgement has the tracker link; the tracker shows the due date and its rule.
    let mail = outbox_to(&app, "ada@example.com").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].0.contains(&reference));
    let link = mail[0].1.lines().find(|l| l.contains("/information-request/track/")).expect("tracker link").trim().to_string();
    let path = &link[link.find("/information-request/track/").expect("path")..];
    let (status, tracker) = app.get_page(path).await;
    assert_eq!(status, 200);
    assert!(tracker.contains(&reference) && tracker.contains("20 working days after the request arrived"), "{tracker}");
    assert!(!tracker.contains("Ada Lovelace"));

    // An officer handles it.
    let (mut officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let case = format!("/staff/information-requests/{reference}");
    let act = |action: &str| format!("{case}/actions/{action}");
    let (status, queue) = officer.get_page("/staff/information-requests").await;
    assert_eq!(status, 200);
    assert!(queue.contains(&reference));
    let response = officer.post_from(&case, &act("log-time"), &[("minutes", "lots"), ("activity", "")]).await;
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("Enter the minutes spent") && page.contains("Enter what was done"));
    for _ in 0..2 {
        let response =
            officer.post_from(&case, &act("log-time"), &[("minutes", "600"), ("activity", "Searched the finance system")]).await;
        assert_eq!(response.status(), 303);
    }
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("20.0 hours logged") && page.contains("section 16"), "the limit warning shows");
    // Refusing needs an exemption; a qualified one needs the public interest test.
    let response = officer
        .post_from(&case, &act("response"), &[("outcome", "part-disclosed"), ("response-text", "Some is attached.")])
        .await;
    assert_refused(response, &["Select the exemptions"]).await;
    let response = officer
        .post_from(
            &case,
            &act("response"),
            &[("outcome", "part-disclosed"), ("exemptions", "s.31"), ("response-text", "Camera sites are withheld.")],
        )
        .await;
    assert_refused(response, &["needs the public interest test"]).await;
    let answer = "The fines raised are attached. The sites of mobile cameras are withheld under section 31: the public interest in enforcement outweighs the public interest in disclosure.";
    let response = officer
        .post_from(
            &case,
            &act("response"),
            &[("outcome", "part-disclosed"), ("exemptions", "s.31"), ("exemptions", "s.40(2)"), ("response-text", answer)],
        )
        .await;
    assert_eq!(response.status(), 303);
    // Not sent before approval.
    let response = officer.post_from(&case, &act("send"), &[]).await;
    assert_eq!(response.status(), 404);
    // Four eyes: the officer who drafted it cannot approve it; another officer does.
    let own = officer.post_from(&case, &act("approve"), &[]).await;
    assert_refused(own, &["You drafted this response: another officer must approve it before it is sent"]).await;
    second_officer_approves(&app, &case).await;
    assert_eq!(officer.post_from(&case, &act("send"), &[]).await.status(), 303);
    let mail = outbox_to(&app, "ada@example.com").await;
    assert_eq!(mail.len(), 2);
    assert!(mail[1].1.contains("section 31") && mail[1].1.contains("internal review"));

    // Documents are checked for hidden data as they arrive; one with a name left in its text
    // holds up publication until an officer confirms it.
    let leaky =
        publishing::letter("Fines", "Fines by camera", "", &["Prepared by PC Jones for jo.bloggs@example.com.".to_string()])
            .expect("a letter");
    let clean = publishing::letter("Fines", "Fines by camera", "", &["A34 north: £41,200. A50 east: £18,950.".to_string()])
        .expect("a letter");
    let form = |form: reqwest::multipart::Form| {
        form.part(
            "documents",
            reqwest::multipart::Part::bytes(leaky).file_name("fines-draft.pdf").mime_str("application/pdf").expect("mime"),
        )
        .part(
            "documents",
            reqwest::multipart::Part::bytes(clean).file_name("fines.pdf").mime_str("application/pdf").expect("mime"),
        )
    };
    let response = officer.post_multipart(&format!("{case}/documents"), &case, form).await;
    assert_eq!(response.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(
        page.contains("PC Jones") && page.contains("Check before release") && page.contains("Nothing hidden found"),
        "{page}"
    );
    let refused =
        officer.post_from(&case, &act("publish"), &[("title", "Speed camera fines on the A34"), ("topic", "Roads")]).await;
    assert_refused(refused, &["1 of the documents may hide data"]).await;
    let files: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, original_name FROM platform_file WHERE owner_type = 'information-response' ORDER BY original_name",
    )
    .fetch_all(&app.pool)
    .await
    .expect("files");
    let (leaky_id, clean_id) = (files[0].0.clone(), files[1].0.clone());
    assert_eq!(files[0].1, "fines-draft.pdf");
    assert_eq!(officer.post_from(&case, &format!("{case}/documents/{leaky_id}/confirm"), &[]).await.status(), 303);

    // Published without the requester's identity, and found by search.
    let response = officer.post_from(&case, &act("publish"), &[("title", ""), ("topic", "Roads")]).await;
    assert_eq!(response.status(), 422);
    let response =
        officer.post_from(&case, &act("publish"), &[("title", "Speed camera fines on the A34"), ("topic", "Roads")]).await;
    assert_eq!(response.status(), 303);
    let (status, log) = app.get_page("/disclosure-log?q=camera+fines").await;
    assert_eq!(status, 200);
    assert!(log.contains(&format!("/disclosure-log/{reference}")) && log.contains("Disclosed in part"), "{log}");
    let (status, entry) = app.get_page(&format!("/disclosure-log/{reference}")).await;
    assert_eq!(status, 200);
    assert!(
        entry.contains("Section 31 (law enforcement) and Section 40(2) (personal information of someone else)")
            && entry.contains("public interest in enforcement"),
        "exemptions named in words"
    );
    assert!(!entry.contains("Ada") && !entry.contains("ada@example.com"));
    assert!(entry.contains("fines-draft.pdf") && entry.contains("fines.pdf"));
    let download = app.get(&format!("/disclosure-log/{reference}/documents/{clean_id}")).await;
    assert_eq!(download.status(), 200);
    assert!(download.bytes().await.expect("bytes").starts_with(b"%PDF-"));
    // One document withdrawn: a reason is needed, and it is audited; the other stays.
    let withdraw = format!("{case}/documents/{leaky_id}/withdraw");
    assert_eq!(officer.post_from(&case, &withdraw, &[("reason", " ")]).await.status(), 422);
    assert_eq!(officer.post_from(&case, &withdraw, &[("reason", "An officer's name was left in")]).await.status(), 303);
    let (_, entry) = app.get_page(&format!("/disclosure-log/{reference}")).await;
    assert!(!entry.contains("fines-draft.pdf") && entry.contains("fines.pdf"));
    assert_eq!(app.get(&format!("/disclosure-log/{reference}/documents/{leaky_id}")).await.status(), 404);
    let reason: String = app.one("SELECT detail FROM platform_audit_event WHERE action = 'withdrew a document'").await;
    assert!(reason.ends_with("An officer's name was left in"));
    let feed = app.get("/disclosure-log.atom").await;
    assert!(feed.headers()["content-type"].to_str().expect("type").starts_with("application/atom+xml"));
    let feed = feed.text().await.expect("feed");
    assert!(feed.contains("<title>Speed camera fines on the A34</title>") && !feed.contains("Ada"));
    let csv = app.get("/disclosure-log.csv?topic=Roads").await.text().await.expect("csv");
    assert_eq!(csv.lines().count(), 3, "header and the two Roads entries: {csv}");
    let json: serde_json::Value =
        serde_json::from_str(&app.get("/disclosure-log.json?q=camera+fines").await.text().await.expect("body")).expect("json");
    assert_eq!(json["entries"][0]["reference"], reference.as_str());
    assert_eq!(json["compliance"].as_array().expect("quarters").len(), 5);
    // Answered today, in time: this quarter's rate counts it.
    let this_quarter = &json["compliance"][4];
    assert_eq!((this_quarter["judged"].as_u64(), this_quarter["in_time"].as_u64()), (Some(1), Some(1)));
    // The tracker says it is published; the handling is in the audit log.
    let (_, tracker) = app.get_page(path).await;
    assert!(tracker.contains("Published in the disclosure log"));
    let actions: Vec<String> =
        app.values("SELECT action FROM platform_audit_event WHERE record_id = $1 ORDER BY seq", &reference).await;
    for expected in
        ["requested", "viewed", "logged time", "drafted the response", "approved the response", "sent the response", "published"]
    {
        assert!(actions.iter().any(|a| a == expected), "{expected} in {actions:?}");
    }
}

#[tokio::test]
async fn the_clock_stops_for_clarification_and_fees_and_extends_within_the_limit() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let response = app.post_form("/information-request/apply", &[]).await;
    let base = location(&response).trim_end_matches("/request").to_string();
    let response = app
        .post_form(
            &format!("{base}/request"),
            &[("request-text", "Overtime paid to staff in 2025"), ("preferred-format", "paper")],
        )
        .await;
    // Nothing like it is published: the suggestions page passes straight on, as a browser follows it.
    assert_eq!(location(&response), format!("{base}/published-answers"));
    let response = app.get(&format!("{base}/published-answers")).await;
    assert_eq!(location(&response), format!("{base}/contact"));
    app.post_form(
        &format!("{base}/contact"),
        &[
            ("full-name", "Bo Diddley"),
            ("contact-method", "letter"),
            ("postal-address", "1 High St\nStafford"),
            ("postcode", "ST16 2DH"),
        ],
    )
    .await;
    app.post_form(&format!("{base}/check"), &[]).await;
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    let reference = crate::support::text_of_class(&sent, "app-reference").expect("reference");
    // A postal requester tracks by reference and postcode.
    let response = app.post_form("/information-request/track", &[("reference", &reference), ("postcode", "st16 2dh")]).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.expect("page").contains("Answer due"));

    let (mut officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let case = format!("/staff/information-requests/{reference}");
    let act = |action: &str| format!("{case}/actions/{action}");
    assert_eq!(officer.post_from(&case, &act("ask-clarification"), &[]).await.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("Clock stopped") && page.contains("Waiting for the requester to clarify"), "{page}");
    assert_eq!(officer.post_from(&case, &act("clarified"), &[]).await.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("after the clarified request arrived"));
    for (days, message) in [("0", "from 1 to 20"), ("21", "no more than 20"), ("soon", "from 1 to 20")] {
        let response = officer.post_from(&case, &act("extend-public-interest"), &[("days", days)]).await;
        assert_eq!(response.status(), 422, "{days}");
        assert!(response.text().await.expect("page").contains(message), "{days}");
    }
    assert_eq!(officer.post_from(&case, &act("extend-public-interest"), &[("days", "10")]).await.status(), 303);
    // The response starts from the office's wording for its kind; the cost-limit one cites s.12.
    let (_, page) = officer.get_page(&format!("{case}?template=cost-limit")).await;
    assert!(page.contains("under section 16: we could answer a narrower request"), "the template fills the response");
    assert!(page.contains(r#"value="s.12" checked"#) || page.contains(r#"value="s.12"  checked"#), "s.12 is ticked");
    let answer = "Finding this would take more than 18 hours. Under section 16 we suggest asking for one month.";
    let response = officer
        .post_from(&case, &act("response"), &[("outcome", "refused"), ("exemptions", "s.12"), ("response-text", answer)])
        .await;
    assert_eq!(response.status(), 303);
    second_officer_approves(&app, &case).await;
    assert_eq!(officer.post_from(&case, &act("send"), &[]).await.status(), 303);
    // A reply by post is a letter to print, addressed to the requester.
    let (letter_id,): (String,) =
        sqlx::query_as("SELECT id FROM casework_letter WHERE case_type = 'information-request' AND channel = 'post'")
            .fetch_one(&app.pool)
            .await
            .expect("a letter to post");
    let (status, letter) = officer.get_page(&format!("{case}/letters/{letter_id}")).await;
    assert_eq!(status, 200);
    assert!(letter.contains("Bo Diddley") && letter.contains("ST16 2DH") && letter.contains("one month"), "{letter}");
    let pdf = officer.get(&format!("{case}/letters/{letter_id}/pdf")).await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");

    // The requester asks for an internal review, then complains to the ICO: each is tracked.
    let response = officer.post_from(&case, &act("internal-review"), &[("grounds", " ")]).await;
    assert_refused(response, &["Enter what the requester is unhappy about"]).await;
    let response = officer.post_from(&case, &act("internal-review"), &[("grounds", "One month is too little")]).await;
    assert_eq!(response.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("20 working days after the request for review arrived") && page.contains("40 at most"), "{page}");
    let appeal_id: String = app.one("SELECT id FROM casework_information_appeal WHERE kind = 'internal-review'").await;
    let decide = format!("{case}/appeals/{appeal_id}");
    assert_eq!(officer.post_from(&case, &decide, &[("appeal-outcome", "breach")]).await.status(), 422, "not a review outcome");
    assert_eq!(
        officer.post_from(&case, &decide, &[("appeal-outcome", "upheld"), ("notes", "The estimate was checked")]).await.status(),
        303
    );
    assert_eq!(officer.post_from(&case, &decide, &[("appeal-outcome", "upheld")]).await.status(), 404, "decided once");
    let response = officer.post_from(&case, &act("ico-complaint"), &[("grounds", "Still unhappy")]).await;
    assert_refused(response, &["Enter the ICO’s case reference"]).await;
    let response = officer
        .post_from(&case, &act("ico-complaint"), &[("grounds", "Still unhappy"), ("ico-reference", "IC-123456-A1B2")])
        .await;
    assert_eq!(response.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("Original response upheld") && page.contains("Complaint to the ICO IC-123456-A1B2"), "{page}");
    // The requester's tracker follows the review and the complaint too.
    let response = app.post_form("/information-request/track", &[("reference", &reference), ("postcode", "ST16 2DH")]).await;
    let tracker = response.text().await.expect("page");
    assert!(tracker.contains("Internal review") && tracker.contains("Original response upheld"), "{tracker}");
    assert!(tracker.contains("Complaint to the Information Commissioner"));
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("extended by 10 working days to consider the public interest"));
    // A step of an open request, after the answer went: the request moved on, and the officer
    // is told so. Unknown actions are not found.
    let late = officer.post_from(&case, &act("approve"), &[]).await;
    assert_eq!(late.status(), 409, "already sent");
    assert!(late.text().await.expect("body").contains(casekit::change::MOVED_ON));
    assert_eq!(officer.post_from(&case, &act("no-such-step"), &[]).await.status(), 404);
    // A caseworker has no access to information requests.
    let (caseworker, _) = app.signed_in(Role::Caseworker).await;
    assert_eq!(caseworker.get(&case).await.status(), 403);
    assert_eq!(caseworker.get("/staff/information-requests").await.status(), 403);
}

#[tokio::test]
async fn a_subject_access_request_made_for_someone_else_carries_their_authority_and_finds_what_is_held_about_them() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let response = app.post_form("/subject-access-request/apply", &[]).await;
    let base = location(&response).trim_end_matches("/who-for").to_string();
    assert_refused(app.post_form(&format!("{base}/who-for"), &[]).await, &["Select who the request is about"]).await;
    let missing = app.post_form(&format!("{base}/who-for"), &[("applying-as", "someone-else")]).await;
    assert_refused(missing, &["Enter the full name of the person the request is about", "Enter how you act for them"]).await;
    let fields = [("applying-as", "someone-else"), ("subject-name", "Rhys Ap Siôn"), ("relationship", "solicitor")];
    assert_eq!(location(&app.post_form(&format!("{base}/who-for"), &fields).await), format!("{base}/about-you"));
    let about = [
        ("full-name", "Morgan Legal"),
        ("contact-method", "email"),
        ("email", "morgan@legal.example"),
        ("postal-address", "1 Court Row\nStafford"),
        ("postcode", "ST16 3AA"),
    ];
    assert_eq!(location(&app.post_form(&format!("{base}/about-you"), &about).await), format!("{base}/what"));
    let what = [("request-text", "Records of my client's complaint review")];
    assert_eq!(location(&app.post_form(&format!("{base}/what"), &what).await), format!("{base}/identity"));
    let (_, identity) = app.get_page(&format!("{base}/identity")).await;
    assert!(identity.contains("Proof of their identity and your authority") && identity.contains("lasting power of attorney"));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let form = reqwest::multipart::Form::new()
        .part("identity", reqwest::multipart::Part::bytes(png).file_name("authority.png").mime_str("image/png").expect("mime"))
        .text("action", "continue");
    let uploaded = app.client.post(app.url(&format!("{base}/identity"))).multipart(form).send().await.expect("sent");
    assert_eq!(location(&uploaded), format!("{base}/check"));
    let (_, check) = app.get_page(&format!("{base}/check")).await;
    assert!(check.contains("Rhys Ap Siôn, for whom you act as solicitor"), "{check}");
    app.post_form(&format!("{base}/check"), &[]).await;
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    let reference = crate::support::text_of_class(&sent, "app-reference").expect("reference");

    let (officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let (_, page) = officer.get_page(&format!("/staff/information-requests/{reference}")).await;
    assert!(page.contains("Rhys Ap Siôn: the requester acts for them as solicitor"), "{page}");
    let search = "/staff/people?name=Rhys+Ap+Si%C3%B4n";
    assert!(page.contains(&format!("href=\"{search}\"")), "the search is for the person, not the solicitor: {page}");
    let (_, found) = officer.get_page(search).await;
    assert!(found.contains(&reference), "{found}");
}

#[tokio::test]
async fn a_subject_access_request_needs_proof_of_identity_and_its_month_runs_from_receipt() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let response = app.post_form("/subject-access-request/apply", &[]).await;
    assert_eq!(response.status(), 303);
    let base = location(&response).trim_end_matches("/who-for").to_string();
    let response = app.post_form(&format!("{base}/who-for"), &[("applying-as", "self")]).await;
    assert_eq!(location(&response), format!("{base}/about-you"));
    // An address is needed whatever the way of reply: identity is checked against it.
    let response = app
        .post_form(
            &format!("{base}/about-you"),
            &[("full-name", "Kim Subject"), ("contact-method", "email"), ("email", "kim@example.com")],
        )
        .await;
    assert_refused(response, &["Enter your postal address"]).await;
    let response = app
        .post_form(
            &format!("{base}/about-you"),
            &[
                ("full-name", "Kim Subject"),
                ("contact-method", "email"),
                ("email", "kim@example.com"),
                ("postal-address", "3 Castle Street\nStafford"),
                ("postcode", "ST16 2AB"),
            ],
        )
        .await;
    assert_eq!(location(&response), format!("{base}/what"));
    // Impossible and back-to-front dates get clear messages.
    let period = |from: [&'static str; 3], to: [&'static str; 3]| {
        vec![
            ("request-text", "Emails about my grant application"),
            ("from-day", from[0]),
            ("from-month", from[1]),
            ("from-year", from[2]),
            ("to-day", to[0]),
            ("to-month", to[1]),
            ("to-year", to[2]),
        ]
    };
    let response = app.post_form(&format!("{base}/what"), &period(["30", "2", "2025"], ["", "", ""])).await;
    assert_refused(response, &["govuk-error-summary"]).await;
    let response = app.post_form(&format!("{base}/what"), &period(["1", "6", "2025"], ["1", "1", "2025"])).await;
    assert_refused(response, &["The end date must be the same as or after the start date"]).await;
    let response = app.post_form(&format!("{base}/what"), &period(["1", "1", "2025"], ["31", "12", "2025"])).await;
    assert_eq!(location(&response), format!("{base}/identity"));

    // Identity evidence must be a photo or scan; nothing goes on without a document.
    let upload = |form: reqwest::multipart::Form| app.client.post(app.url(&format!("{base}/identity"))).multipart(form).send();
    let response = app.post_form(&format!("{base}/identity/done"), &[]).await;
    assert_eq!(response.status(), 422);
    // A text file passes the general upload rules but is not a photo or scan.
    let form = reqwest::multipart::Form::new().part(
        "identity",
        reqwest::multipart::Part::bytes(b"My passport number is 123456789".to_vec())
            .file_name("passport.txt")
            .mime_str("text/plain")
            .expect("mime"),
    );
    let response = upload(form).await.expect("sent");
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("page");
    assert!(page.contains("passport.txt is not a photo or scan"), "{page}");
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89".to_vec();
    let form = reqwest::multipart::Form::new()
        .part("identity", reqwest::multipart::Part::bytes(png).file_name("passport.png").mime_str("image/png").expect("mime"));
    assert_eq!(upload(form).await.expect("sent").status(), 200);
    let response = app.post_form(&format!("{base}/identity/done"), &[]).await;
    assert_eq!(location(&response), format!("{base}/check"));
    let (_, check) = app.get_page(&format!("{base}/check")).await;
    assert!(check.contains("1 January 2025 to Wednesday 31 December 2025") && check.contains("passport.png"), "{check}");
    assert_eq!(location(&app.post_form(&format!("{base}/check"), &[]).await), format!("{base}/sent"));
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    let reference = crate::support::text_of_class(&sent, "app-reference").expect("reference");
    assert!(reference.starts_with("SAR-"), "{reference}");

    // The proof came with the request, so the month runs from receipt (UK GDPR art. 12(3)), not
    // from when an officer confirms it.
    let (mut officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let case = format!("/staff/information-requests/{reference}");
    let act = |action: &str| format!("{case}/actions/{action}");
    let (_, page) = officer.get_page(&case).await;
    let today = platform::calendar::long_date(platform::calendar::uk_today());
    assert!(
        page.contains(&format!("one month from receipt of the request ({today})")) && page.contains("passport.png"),
        "{page}"
    );
    assert_eq!(officer.post_from(&case, &act("extend-public-interest"), &[("days", "5")]).await.status(), 404, "FOI only");
    // Asking for further proof stops the month until it arrives; it then runs from that day.
    assert_eq!(officer.post_from(&case, &act("identity-asked"), &[]).await.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("Waiting for the further proof of identity"), "{page}");
    let refused = officer.post_from(&case, &act("extend"), &[("extension-reason", "Several systems")]).await;
    assert_eq!(refused.status(), 422, "no month is running to extend");
    assert_eq!(officer.post_from(&case, &act("identity-received"), &[]).await.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains(&format!("one month from receipt of proof of identity ({today})")), "{page}");
    assert_eq!(officer.post_from(&case, &act("identity-confirmed"), &[]).await.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains(&format!("one month from receipt of proof of identity ({today})")), "confirming moves nothing");
    // The proof was needed only to check who they are: it is deleted once confirmed.
    assert!(!page.contains("passport.png"));
    let held: i64 = app.one("SELECT COUNT(*) FROM platform_file WHERE owner_type = 'information-request'").await;
    assert_eq!(held, 0);
    // Two more months, with the reason the requester is told; a reason is required.
    let response = officer.post_from(&case, &act("extend"), &[("extension-reason", "")]).await;
    assert_refused(response, &["Enter why more time is needed"]).await;
    let why = "Your records are held in three systems going back ten years.";
    assert_eq!(officer.post_from(&case, &act("extend"), &[("extension-reason", why)]).await.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("extended by two months"));
    let told: String = app.one("SELECT body FROM casework_letter WHERE kind = 'information-sar-extension'").await;
    assert!(told.contains(why) && told.contains("We will now answer by"), "{told}");
    // Subject access, not FOI: no cost limit or fees, and the Data Protection Act's exemptions.
    let (_, page) = officer.get_page(&case).await;
    assert!(!page.contains("£450") && !page.contains("Fees notice sent today"), "no FOI limit or fee");
    assert!(page.contains("manifestly unfounded or excessive") && page.contains("Schedule 2, paragraphs 16 and 17"));
    assert!(!page.contains("Section 31: law enforcement"), "no FOI sections");
    assert_eq!(officer.post_from(&case, &act("fee-notice"), &[]).await.status(), 404);
    let withheld = [
        ("outcome", "part-disclosed"),
        ("exemptions", "dpa-s2-p16"),
        ("response-text", "Your records are attached; other people's details are withheld."),
    ];
    assert_eq!(officer.post_from(&case, &act("response"), &withheld).await.status(), 303);
    let cited: String = app.value("SELECT exemptions FROM casework_information_request WHERE reference = $1", &reference).await;
    assert_eq!(cited, "dpa-s2-p16");
    let foi_section = [("outcome", "part-disclosed"), ("exemptions", "s.31"), ("response-text", "Withheld.")];
    assert_refused(officer.post_from(&case, &act("response"), &foi_section).await, &["Select the exemptions that allow"]).await;
    let response = officer
        .post_from(&case, &act("response"), &[("outcome", "disclosed"), ("response-text", "Your records are attached.")])
        .await;
    assert_eq!(response.status(), 303);
    second_officer_approves(&app, &case).await;
    assert_eq!(officer.post_from(&case, &act("send"), &[]).await.status(), 303);
    let publish = officer.post_from(&case, &act("publish"), &[("title", "My records"), ("topic", "Personal")]).await;
    assert_eq!(publish.status(), 404, "subject access answers are never published");
    assert!(disclosure::find(&app.pool, &reference).await.expect("find").is_none());
}

#[tokio::test]
async fn an_foi_request_handled_under_the_eir_may_take_forty_working_days() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let response = app.post_form("/information-request/apply", &[]).await;
    let base = location(&response).trim_end_matches("/request").to_string();
    app.post_form(
        &format!("{base}/request"),
        &[("request-text", "Air quality readings near the M6"), ("preferred-format", "electronic")],
    )
    .await;
    app.get(&format!("{base}/published-answers")).await;
    app.post_form(
        &format!("{base}/contact"),
        &[("full-name", "Lee Air"), ("contact-method", "email"), ("email", "lee@example.com")],
    )
    .await;
    app.post_form(&format!("{base}/check"), &[]).await;
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    let reference = crate::support::text_of_class(&sent, "app-reference").expect("reference");
    let (mut officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let case = format!("/staff/information-requests/{reference}");
    let act = |action: &str| format!("{case}/actions/{action}");
    assert_eq!(officer.post_from(&case, &act("extend"), &[]).await.status(), 404, "an FOI request cannot be extended so");
    assert_eq!(officer.post_from(&case, &act("treat-as-eir"), &[]).await.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("Environmental Information Regulations") && page.contains("20 working days after the request arrived"));
    assert_eq!(officer.post_from(&case, &act("extend"), &[]).await.status(), 303);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("40 working days after the request arrived") && page.contains("complex and voluminous"), "{page}");

    // A holiday proclaimed inside those 40 working days moves the reply a day, and the page says so.
    let before = casekit::tracker::Calendars::load(&app.pool).await.expect("calendars");
    let mut day = platform::calendar::uk_today() + time::Duration::days(14);
    while !before.uk_wide.is_working_day(day) {
        day = day.next_day().expect("a day");
    }
    let holiday = platform::calendar::CalendarChange {
        date: day,
        nation: platform::calendar::Nation::NorthernIreland,
        kind: platform::calendar::ChangeKind::Added,
        name: "A proclaimed holiday".into(),
    };
    let now = time::OffsetDateTime::now_utc();
    platform::calendar::store::add_change(&app.pool, &holiday, now).await.expect("added");
    let actor = platform::audit::Actor::system("test");
    let why = "A proclaimed holiday in Northern Ireland";
    let moved =
        casekit::deadlines::record_moves(&commissioner::services(), &app.pool, &before, why, &actor, now).await.expect("moves");
    assert_eq!(moved, 1);
    let (_, page) = officer.get_page(&case).await;
    assert!(page.contains("Deadlines moved by a change to the bank holidays"), "{page}");
    assert!(page.contains("Reply to the request: from ") && page.contains(why), "{page}");
}

#[tokio::test]
async fn a_search_counts_to_a_thousand_and_says_more_beyond() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let mut tx = platform::db::begin_write(&app.pool).await.expect("begin");
    for n in 0..1005 {
        let id = format!("{n:026}");
        let responded_on = format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
        sqlx::query(
            "INSERT INTO casework_disclosure_entry (id, reference, title, topic, request_text, response_text, outcome, exemptions, \
             received_on, responded_on, published_at) VALUES ($1, $2, 'Overtime', 'Staff', 'Overtime paid', 'Attached', 'disclosed', '', \
             '2026-01-01', $3, $3)",
        )
        .bind(&id)
        .bind(format!("FOI-2026-{n:06}"))
        .bind(&responded_on)
        .execute(&mut *tx)
        .await
        .expect("entry");
        let words = if n % 2 == 0 { vec!["overtime".to_string(), "even".to_string()] } else { vec!["overtime".to_string()] };
        disclosure::index_words(&mut tx, &id, &responded_on, &words).await.expect("indexed");
    }
    tx.commit().await.expect("commit");
    let search = |text: &str| Query { text: text.into(), limit: 20, ..Query::default() };
    let (found, total) = disclosure::search(&app.pool, &search("overtime")).await.expect("search");
    assert_eq!((found.len(), total), (20, disclosure::COUNT_CAP + 1), "counted to one past the cap");
    // Newest first, straight off the index.
    assert!(found.windows(2).all(|w| w[0].responded_on >= w[1].responded_on));
    let (_, total) = disclosure::search(&app.pool, &search("overtime even")).await.expect("search");
    assert_eq!(total, 503, "under the cap the count is exact");
    let (status, page) = app.get_page("/disclosure-log?q=overtime").await;
    assert_eq!(status, 200);
    assert!(page.contains("More than 1,000 answers"), "the page says so");
    assert!(page.contains("Page 1 of 50"), "and pages stop at the thousandth answer");
}

#[tokio::test]
async fn the_compliance_rate_is_worked_out_once_and_again_only_after_a_request_changes() {
    let app = TestApp::builder().without_background_work().spawn().await;
    casework::information::demo::seed(&app.pool, &app.settings, time::OffsetDateTime::now_utc()).await.expect("demo requests");
    let log = || async {
        let body = app.get("/disclosure-log.json").await.text().await.expect("body");
        serde_json::from_str::<serde_json::Value>(&body).expect("json")["compliance"].clone()
    };
    let first = log().await;
    assert_eq!(first.as_array().expect("quarters").len(), 5);
    // Kept figures are served as they are: mark them, and the next view shows the mark.
    sqlx::query("UPDATE casework_information_compliance SET figures = $1 WHERE id = 1")
        .bind(r#"[{"period":"kept","judged":0,"in_time":0}]"#)
        .execute(&app.pool)
        .await
        .expect("marked");
    assert_eq!(log().await[0]["period"], "kept", "not worked out again on every view");
    // A change to any request means working them out afresh.
    let reference: String =
        app.one("SELECT reference FROM casework_information_request WHERE responded_on IS NULL ORDER BY reference").await;
    let request = casework::information::store::find(&app.pool, &reference).await.expect("read").expect("request");
    let actor = platform::audit::Actor { id: None, label: "test".into(), address: "127.0.0.1".into() };
    casework::information::store::assign(&app.pool, &request, "someone@office.example", &actor, time::OffsetDateTime::now_utc())
        .await
        .expect("assigned");
    assert_eq!(log().await, first, "worked out afresh after the change");
}

/// Submits a request by email from `email` through the public journey; returns its reference.
async fn request_by_email(app: &TestApp, email: &str) -> String {
    let response = app.post_form("/information-request/apply", &[]).await;
    let base = location(&response).trim_end_matches("/request").to_string();
    let text = "Please send the minutes of the estates board for 2025.";
    let mut response =
        app.post_form(&format!("{base}/request"), &[("request-text", text), ("preferred-format", "electronic")]).await;
    if location(&response).ends_with("/published-answers") {
        response = app.post_form(&format!("{base}/published-answers"), &[]).await;
    }
    assert_eq!(location(&response), format!("{base}/contact"));
    let contact = [("full-name", "Grace Hopper"), ("contact-method", "email"), ("email", email)];
    assert_eq!(location(&app.post_form(&format!("{base}/contact"), &contact).await), format!("{base}/check"));
    app.post_form(&format!("{base}/check"), &[]).await;
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    crate::support::text_of_class(&sent, "app-reference").expect("reference")
}

/// Delivers the newest email to `to` as the mail job would, into the data folder; returns it.
async fn deliver_newest(app: &TestApp, to: &str) -> String {
    let id: String =
        sqlx::query_scalar("SELECT id FROM platform_outbox WHERE to_address = $1 ORDER BY created_at DESC, id DESC LIMIT 1")
            .bind(to)
            .fetch_one(&app.pool)
            .await
            .expect("outbox");
    let payload = serde_json::json!({ "outbox_id": id }).to_string();
    platform::mail::send_job(app.pool.clone(), app.settings.clone(), payload).await.expect("delivered");
    std::fs::read_to_string(app.settings.data_dir.join("mail").join(format!("{id}.eml"))).expect("message file")
}

#[tokio::test]
async fn released_documents_reach_the_requester_attached_or_by_a_private_link() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let (mut officer, _) = app.signed_in(Role::TransparencyOfficer).await;
    let answer = |reference: &str| format!("/staff/information-requests/{reference}");

    // Small documents go with the response email as attachments.
    let reference = request_by_email(&app, "grace@example.com").await;
    let case = answer(&reference);
    let act = |action: &str| format!("{case}/actions/{action}");
    let minutes =
        publishing::letter("Minutes", "Estates board minutes", "", &["The board met four times.".to_string()]).expect("a letter");
    let summary = publishing::letter("Summary", "Estates summary", "", &["Two sites were sold.".to_string()]).expect("a letter");
    let form = |form: reqwest::multipart::Form| {
        form.part(
            "documents",
            reqwest::multipart::Part::bytes(minutes).file_name("minutes.pdf").mime_str("application/pdf").expect("mime"),
        )
        .part(
            "documents",
            reqwest::multipart::Part::bytes(summary).file_name("summary.pdf").mime_str("application/pdf").expect("mime"),
        )
    };
    assert_eq!(officer.post_multipart(&format!("{case}/documents"), &case, form).await.status(), 303);
    let response = [("outcome", "disclosed"), ("response-text", "The minutes are released in full.")];
    assert_eq!(officer.post_from(&case, &act("response"), &response).await.status(), 303);
    second_officer_approves(&app, &case).await;
    let sent = officer.post_from(&case, &act("send"), &[]).await;
    assert_eq!(location(&sent), format!("{case}?done=send"));
    let (_, page) = officer.get_page(&location(&sent)).await;
    assert!(page.contains("govuk-notification-banner--success") && page.contains("Response sent to the requester"));
    let (_, page) = officer.get_page(&format!("{case}?done=%3Cscript%3E")).await;
    assert!(!page.contains("govuk-notification-banner--success"), "only the service's own words are shown");
    let mail = outbox_to(&app, "grace@example.com").await;
    let body = &mail.last().expect("response").1;
    let released = body.lines().find(|l| l.starts_with("We are releasing 2 documents with this response, sent with it: "));
    assert!(
        released.is_some_and(|l| l.contains("minutes.pdf (")
            && l.contains(" KB)")
            && l.contains(" and ")
            && l.contains("summary.pdf")),
        "{body}"
    );
    assert_eq!(body.matches("internal review").count(), 1, "the review paragraph once: {body}");
    let message = deliver_newest(&app, "grace@example.com").await;
    assert!(message.contains("filename=\"minutes.pdf\"") && message.contains("filename=\"summary.pdf\""), "attached");
    let held: i64 = app.one("SELECT COUNT(*) FROM platform_file WHERE owner_type = 'outbox-attachment'").await;
    assert_eq!(held, 0, "a sent message no longer holds its files");
    assert_eq!(app.get(&format!("/disclosure-log/{reference}")).await.status(), 404, "not published yet");

    // Too large to attach: a private link that needs no account, each download audited.
    let reference = request_by_email(&app, "alan@example.com").await;
    let case = answer(&reference);
    let act = |action: &str| format!("{case}/actions/{action}");
    let big = "estate,site,value\n".repeat(620_000).into_bytes();
    assert!(big.len() as i64 > casework::information::release::ATTACH_LIMIT_BYTES);
    let form = |form: reqwest::multipart::Form| {
        form.part("documents", reqwest::multipart::Part::bytes(big).file_name("sites.txt").mime_str("text/plain").expect("mime"))
    };
    assert_eq!(officer.post_multipart(&format!("{case}/documents"), &case, form).await.status(), 303);
    assert_eq!(officer.post_from(&case, &act("response"), &response).await.status(), 303);
    second_officer_approves(&app, &case).await;
    assert_eq!(officer.post_from(&case, &act("send"), &[]).await.status(), 303);
    let body = outbox_to(&app, "alan@example.com").await.last().expect("response").1.clone();
    assert!(body.contains("too large to send by email"), "{body}");
    let link = body.split_whitespace().find(|w| w.contains("/information-request/released/")).expect("link");
    let path = &link[link.find("/information-request/released/").expect("path")..];
    let (status, page) = app.get_page(path).await;
    assert_eq!(status, 200);
    assert!(page.contains("sites.txt") && page.contains(&reference) && !page.contains("Grace"));
    let file_id: String = app.one("SELECT id FROM platform_file WHERE original_name = 'sites.txt'").await;
    let download = app.get(&format!("{path}/{file_id}")).await;
    assert_eq!(download.status(), 200);
    assert!(download.bytes().await.expect("bytes").starts_with(b"estate,site,value"));
    let downloads: i64 =
        app.one("SELECT COUNT(*) FROM platform_audit_event WHERE action = 'downloaded a released document'").await;
    assert_eq!(downloads, 1);
    assert_eq!(app.get("/information-request/released/not-a-token").await.status(), 404);
    // The tracker links to them; once published, to the answer in the log too.
    let acknowledgement = outbox_to(&app, "alan@example.com").await[0].1.clone();
    let tracker_link = acknowledgement.split_whitespace().find(|w| w.contains("/information-request/track/")).expect("tracker");
    let tracker_path = &tracker_link[tracker_link.find("/information-request/track/").expect("path")..];
    let (_, tracker) = app.get_page(tracker_path).await;
    assert!(tracker.contains(&format!(r#"href="{path}""#)) && tracker.contains("Download the documents released to you"));
    assert!(!tracker.contains("Read the answer in the disclosure log"));
    let published = [("title", "Estates board minutes"), ("topic", "Estates")];
    assert_eq!(officer.post_from(&case, &act("publish"), &published).await.status(), 303);
    let (_, tracker) = app.get_page(tracker_path).await;
    assert!(tracker.contains(&format!(r#"href="/disclosure-log/{reference}""#)), "{tracker}");
}

/// Against the demo office's disclosure log: an unrelated request is shown nothing; related ones
/// their answer first, with the words that made it.
#[tokio::test]
async fn suggestions_from_the_demo_log_are_strong_matches_or_none() {
    let app = TestApp::builder().without_background_work().spawn().await;
    crate::support::with_demo_cases(&app).await;
    let titles = |text: &'static str| {
        let pool = app.pool.clone();
        async move {
            let found = disclosure::suggestions(&pool, text, 5).await.expect("suggestions");
            found.into_iter().map(|s| (s.entry.title.clone(), s.shared)).collect::<Vec<_>>()
        }
    };
    for unrelated in [
        "How many officers are there in Leek?",
        "How many police are there in Stafford?",
        "What is the Commissioner's policy on dogs?",
    ] {
        assert!(titles(unrelated).await.is_empty(), "{unrelated}: {:?}", titles(unrelated).await);
    }
    let cameras = titles("How many speed cameras are on the A50?").await;
    assert_eq!(cameras[0].0, "Speed cameras on the A34 and A50", "{cameras:?}");
    assert!(cameras[0].1.contains(&"camera".to_string()));
    assert_eq!(titles("Spending on hospitality and travel by the office").await[0].0, "Hospitality and travel spending");
    assert_eq!(titles("grants for knife crime projects").await[0].0, "Community grants for knife crime projects");
    assert_eq!(
        titles("how many drones are used to search for missing people").await[0].0,
        "Police drones and searches for missing people"
    );
}

/// The demo's published answers arrived, were answered and were published on working days,
/// and its feed dates each answer by its own day.
#[tokio::test]
async fn the_demo_log_is_dated_like_a_real_one() {
    let app = TestApp::builder().without_background_work().spawn().await;
    crate::support::with_demo_cases(&app).await;
    let calendar = platform::calendar::WorkingDayCalendar::for_nation(platform::calendar::Nation::EnglandAndWales, Vec::new());
    let dates: Vec<(String, String, String)> =
        sqlx::query_as("SELECT received_on, responded_on, published_at FROM casework_disclosure_entry")
            .fetch_all(&app.pool)
            .await
            .expect("entries");
    assert_eq!(dates.len(), 9);
    for (received, responded, published) in &dates {
        for day in [received, responded] {
            let date = platform::db::parse_date(day).expect("date");
            assert!(calendar.is_working_day(date), "{day} is a working day");
        }
        let published_on = platform::calendar::uk_local_date(platform::db::parse_timestamp(published).expect("timestamp"));
        assert_eq!(platform::db::date(published_on), *responded, "published the day it was answered");
    }
    let feed = app.get("/disclosure-log.atom").await.text().await.expect("feed");
    let updated: std::collections::BTreeSet<&str> =
        feed.split("<updated>").skip(2).filter_map(|s| s.split("</updated>").next()).collect();
    assert!(updated.len() > 3, "entries carry their own dates: {updated:?}");
}

/// Approves a case's response as a second transparency officer (four eyes).
async fn second_officer_approves(app: &TestApp, case: &str) {
    let (mut checker, _) = app.signed_in(Role::TransparencyOfficer).await;
    let (_, page) = checker.get_page(case).await;
    assert!(page.contains("Drafted by Test Transparency officer"), "{page}");
    assert_eq!(checker.post_from(case, &format!("{case}/actions/approve"), &[]).await.status(), 303);
}

#[tokio::test]
async fn an_office_of_one_lets_the_drafter_approve() {
    let app = TestApp::spawn().await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let page = "/staff/information-requests/settings";
    assert_refused(admin.post_from(page, page, &[("approval", "")]).await, &["Select who approves a response"]).await;
    assert_eq!(admin.post_from(page, page, &[("approval", "drafter-may-approve")]).await.status(), 200);
    let policy = casework::information::policy::load(&app.pool).await.expect("policy");
    assert!(policy.drafter_may_approve);
    let changes: Vec<String> =
        app.values("SELECT detail FROM platform_audit_event WHERE record_type = $1", "information request settings").await;
    assert_eq!(changes, ["the drafter may approve"]);
    assert!(policy.refuses_approval(Some("ann"), "ann").is_none());
}

#[tokio::test]
async fn every_demo_answer_that_says_attached_has_its_document_released() {
    let app = TestApp::spawn().await;
    crate::support::with_demo_cases(&app).await;
    let answers: Vec<(String, String)> =
        sqlx::query_as("SELECT id, response_text FROM casework_information_request WHERE responded_on IS NOT NULL")
            .fetch_all(&app.pool)
            .await
            .expect("answers");
    let saying_attached: Vec<&(String, String)> = answers.iter().filter(|(_, text)| text.contains("attached")).collect();
    assert!(saying_attached.len() >= 6);
    for (id, text) in saying_attached {
        let documents: i64 =
            app.value("SELECT COUNT(*) FROM platform_file WHERE owner_type = 'information-response' AND owner_id = $1", id).await;
        assert!(documents >= 1, "no document for: {text}");
    }
    let (_, log) = app.get_page("/disclosure-log").await;
    let entry = log.find("Speed cameras on the A34 and A50").expect("listed");
    let start = log[..entry].rfind("href=\"").expect("link") + 6;
    let path: String = log[start..].chars().take_while(|c| *c != '"').collect();
    let (_, page) = app.get_page(&path).await;
    assert!(page.contains("speed-camera-fines-2025.csv"), "{page}");
}
