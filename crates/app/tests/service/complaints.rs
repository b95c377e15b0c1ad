//! Police complaint reviews over real HTTP: the public request (in time, late, and by the IOPC
//! route), bad input, the validity check, the force's PSD sending the file and answering, the
//! decision with its letters, recommendations tracked to closure, chasing, quality sampling and
//! the published figures.

use casework::complaints::policy::{self, ComplaintPolicy};
use casework::complaints::{quality, reminders};
use platform::access::Role;
use platform::audit::Actor;
use platform::calendar;
use platform::periods::Quarter;
use reqwest::multipart::{Form, Part};
use time::{Duration, OffsetDateTime};

use crate::support::{TestApp, Visitor, assert_refused};
use crate::support::{answer, days_ago, location, outbox_to};

/// The department setting up the demo office (Staffordshire) adds and links.
const PSD: &str = casework::complaints::demo::PSD_ORGANISATION;
const PSD_EMAIL: &str = "psd@northshire-police.example";

async fn with_settings(app: &TestApp) {
    let settings = ComplaintPolicy {
        force_name: "Northshire Police".into(),
        psd_name: PSD.into(),
        psd_email: PSD_EMAIL.into(),
        ..ComplaintPolicy::default()
    };
    policy::save(&app.pool, &settings, &Actor::system("test"), OffsetDateTime::now_utc()).await.expect("settings");
}

async fn start(app: &TestApp) -> String {
    let response = app.post_form("/police-complaint-review/apply", &[]).await;
    assert_eq!(response.status(), 303);
    location(&response).trim_end_matches("/review-body").to_string()
}

async fn answer_ok(app: &TestApp, base: &str, page: &str, fields: &[(&str, &str)]) -> String {
    let response = answer(app, base, page, fields).await;
    let status = response.status();
    let to = location(&response);
    assert_eq!(status, 303, "{page}: {}", response.text().await.unwrap_or_default());
    to
}

struct Request<'a> {
    review_body: &'a str,
    outcome_days_ago: i64,
    email: &'a str,
    postcode: &'a str,
}

/// Walks the whole journey; returns the draft's base path and the reference.
async fn request(app: &TestApp, r: Request<'_>) -> (String, String) {
    let base = start(app).await;
    let next = answer_ok(app, &base, "review-body", &[("review-body", r.review_body)]).await;
    if r.review_body == "iopc" {
        assert_eq!(next, format!("{base}/iopc"));
        let (_, page) = app.get_page(&next).await;
        assert!(page.contains("Apply to the IOPC for a review"), "the applicant is told plainly where to go");
        answer_ok(app, &base, "iopc", &[]).await;
    }
    let (d, m, y) = days_ago(r.outcome_days_ago);
    let next = answer_ok(
        app,
        &base,
        "complaint",
        &[("force-reference", "CO/01234/26"), ("outcome-day", &d), ("outcome-month", &m), ("outcome-year", &y)],
    )
    .await;
    if r.outcome_days_ago > 28 {
        assert_eq!(next, format!("{base}/late"), "a late request is asked why");
        answer_ok(app, &base, "late", &[("late-reason", "I was in hospital until last week.")]).await;
    } else {
        assert_eq!(next, format!("{base}/applicant"));
    }
    answer_ok(app, &base, "applicant", &[("applying-as", "complainant")]).await;
    answer_ok(
        app,
        &base,
        "contact",
        &[("full-name", "Alex Complainant"), ("contact-method", "email"), ("email", r.email), ("postcode", r.postcode)],
    )
    .await;
    let next = answer_ok(
        app,
        &base,
        "allegations/new",
        &[
            ("summary", "The officer was rude at the front desk"),
            ("unhappy-with", "outcome"),
            ("why", "Nobody watched the camera footage."),
        ],
    )
    .await;
    assert_eq!(next, format!("{base}/allegations"));
    answer_ok(app, &base, "allegations", &[("add-another", "yes")]).await;
    answer_ok(
        app,
        &base,
        "allegations/new",
        &[("summary", "My complaint took five months"), ("unhappy-with", "handling"), ("why", "No updates at all.")],
    )
    .await;
    answer_ok(app, &base, "allegations", &[("add-another", "no")]).await;
    let letter = Form::new().part("documents", Part::bytes(b"%PDF-1.7\noutcome letter".to_vec()).file_name("outcome.pdf"));
    let response = app.client.post(app.url(&format!("{base}/documents"))).multipart(letter).send().await.expect("sent");
    assert_eq!(response.status(), 200);
    answer_ok(app, &base, "documents", &[("action", "continue")]).await;
    let (status, check) = app.get_page(&format!("{base}/check")).await;
    assert_eq!(status, 200);
    assert!(check.contains("Check your answers before sending your request") && check.contains("outcome.pdf"));
    assert_eq!(check.contains("The 28 days to ask ended on"), r.outcome_days_ago > 28);
    let response = answer(app, &base, "check", &[]).await;
    assert_eq!(location(&response), format!("{base}/sent"));
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    let reference = crate::support::text_of_class(&sent, "app-reference").expect("reference");
    (base, reference)
}

/// A review's staff page, where its action forms are.
fn staff_page(reference: &str) -> String {
    format!("/staff/complaint-reviews/{reference}")
}

async fn post_on_case(visitor: &mut Visitor<'_>, reference: &str, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = format!("/staff/complaint-reviews/{reference}");
    visitor.post_from(&page, &format!("{page}/{path}"), fields).await
}

async fn stage_of(app: &TestApp, reference: &str) -> String {
    app.value("SELECT stage FROM casework_complaint_review WHERE reference = $1", reference).await
}

async fn letter_kinds(app: &TestApp, reference: &str) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as(
        "SELECT l.kind, l.channel, l.addressee FROM casework_letter l JOIN casework_complaint_review r ON r.id = l.case_id \
         WHERE l.case_type = 'complaint-review' AND r.reference = $1 ORDER BY l.created_at, l.kind",
    )
    .bind(reference)
    .fetch_all(&app.pool)
    .await
    .expect("letters")
}

#[tokio::test]
async fn a_request_in_time_arrives_with_its_allegations_files_and_a_private_tracker_link() {
    let app = TestApp::spawn().await;
    with_settings(&app).await;
    let (base, reference) =
        request(&app, Request { review_body: "office", outcome_days_ago: 10, email: "alex@example.com", postcode: "NS1 2AB" })
            .await;
    assert!(reference.starts_with("CRV-"), "{reference}");
    let (allegations, files, late): (i64, i64, Option<String>) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM casework_complaint_allegation a WHERE a.review_id = r.id), \
         (SELECT COUNT(*) FROM platform_file f WHERE f.owner_type = 'complaint-review' AND f.owner_id = r.id), r.late_reason \
         FROM casework_complaint_review r WHERE r.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.pool)
    .await
    .expect("stored");
    assert_eq!((allegations, files, late), (2, 1, None));
    let mail = outbox_to(&app, "alex@example.com").await;
    assert_eq!(mail.len(), 1);
    let start = mail[0].1.find("/police-complaint-review/track/").expect("tracker link");
    let link = mail[0].1[start..].split_whitespace().next().expect("link").to_string();
    let (status, tracker) = app.get_page(&link).await;
    assert_eq!(status, 200);
    assert!(tracker.contains(&reference) && tracker.contains("Request received") && tracker.contains("Police complaint review"));
    assert!(!tracker.contains("Alex Complainant") && !tracker.contains("rude"), "no names or allegations on the tracker");
    // By reference and postcode too, through either service's look-up page.
    let response = app.post_form("/police-complaint-review/track", &[("reference", &reference), ("postcode", "ns12ab")]).await;
    assert_eq!(response.status(), 200);
    let wrong = app.post_form("/police-complaint-review/track", &[("reference", &reference), ("postcode", "NS1 2AC")]).await;
    assert_eq!(wrong.status(), 422);
    // The draft is spent: sending again stores nothing more.
    let again = answer(&app, &base, "check", &[]).await;
    assert_eq!(location(&again), format!("{base}/sent"));
    let count: i64 = app.one("SELECT COUNT(*) FROM casework_complaint_review").await;
    assert_eq!(count, 1);
}

#[tokio::test]
async fn bad_answers_get_clear_messages() {
    let app = TestApp::spawn().await;
    with_settings(&app).await;
    let base = start(&app).await;
    let response = answer(&app, &base, "review-body", &[]).await;
    assert_refused(response, &["Select who your outcome letter says will review your complaint"]).await;
    answer_ok(&app, &base, "review-body", &[("review-body", "office")]).await;
    // An outcome date in the future, and no force reference.
    let (d, m, y) = days_ago(-3);
    let response = answer(&app, &base, "complaint", &[("outcome-day", &d), ("outcome-month", &m), ("outcome-year", &y)]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(
        html.contains(r##"<a href="#outcome-day">The date on your outcome letter must be today or in the past</a>"##),
        "{html}"
    );
    assert!(html.contains("Enter the force’s reference for your complaint"));
    assert!(html.contains("govuk-error-summary"));
    // A representative without consent.
    answer_ok(&app, &base, "applicant", &[("applying-as", "representative")]).await;
    let response =
        answer(&app, &base, "representative", &[("complainant-name", "Sam Person"), ("relationship", "Their solicitor")]).await;
    assert_eq!(response.status(), 422);
    assert!(
        response.text().await.expect("body").contains("we cannot accept a request from a representative without their consent")
    );
    // Said they would upload consent, then uploaded nothing.
    answer_ok(
        &app,
        &base,
        "representative",
        &[("complainant-name", "Sam Person"), ("relationship", "Their solicitor"), ("consent-by", "document")],
    )
    .await;
    let response = answer(&app, &base, "documents", &[("action", "continue")]).await;
    assert_refused(response, &["Upload the signed consent of the person who complained"]).await;
    // A program dressed as a PDF, and more files than the form takes.
    let disguised = Form::new().part("documents", Part::bytes(b"MZ\x90\x00\x03\x00\x00\x00".to_vec()).file_name("consent.pdf"));
    let response = app.client.post(app.url(&format!("{base}/documents"))).multipart(disguised).send().await.expect("sent");
    assert_refused(response, &["The selected file must be a PDF"]).await;
    let mut four = Form::new();
    for n in 0..4 {
        four = four.part("documents", Part::bytes(format!("note {n}").into_bytes()).file_name(format!("note{n}.txt")));
    }
    let response = app.client.post(app.url(&format!("{base}/documents"))).multipart(four).send().await.expect("sent");
    assert!(response.text().await.expect("body").contains("You can add up to 3 files in all"));
    // Allegations need all three answers; contact needs a postcode.
    let response = answer(&app, &base, "allegations/new", &[("summary", "Rude")]).await;
    let html = response.text().await.expect("body");
    assert!(html.contains("Select what you are unhappy with") && html.contains("Tell us why you are unhappy"));
    let response =
        answer(&app, &base, "contact", &[("full-name", "Sam"), ("contact-method", "email"), ("email", "sam@example.com")]).await;
    assert!(response.text().await.expect("body").contains("Enter your postcode"));
    // Sending skips nothing.
    let response = answer(&app, &base, "check", &[]).await;
    assert_eq!(location(&response), format!("{base}/complaint"));
    let count: i64 = app.one("SELECT COUNT(*) FROM casework_complaint_review").await;
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_late_request_is_accepted_and_flagged_and_a_caseworker_decides_exceptional_circumstances() {
    let app = TestApp::spawn().await;
    with_settings(&app).await;
    let (base, reference) =
        request(&app, Request { review_body: "not-sure", outcome_days_ago: 40, email: "late@example.com", postcode: "NS1 2AB" })
            .await;
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    assert!(sent.contains("Your request arrived after the 28 days"));
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    let (_, queue) = caseworker.get_page("/staff/complaint-reviews").await;
    assert!(queue.contains(&reference) && queue.contains("After 28 days"));
    let (_, case) = caseworker.get_page(&format!("/staff/complaint-reviews/{reference}")).await;
    assert!(case.contains("12 days late"), "40 days since the outcome is 12 past the 28");
    assert!(case.contains("I was in hospital until last week."));
    // Valid in every other way, but the caseworker must say whether circumstances are exceptional.
    let response = caseworker.act(&staff_page(&reference), "validity", &[("schedule-3", "yes")]).await;
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("The request arrived 12 days late: select whether there are exceptional circumstances")
    );
    // Forwarding from the IOPC stops the clock: 12 days in transit makes it in time.
    let (sd, sm, sy) = days_ago(39);
    let (ad, am, ay) = days_ago(27);
    caseworker
        .done(
            &staff_page(&reference),
            "validity",
            &[
                ("schedule-3", "yes"),
                ("forwarded", "yes"),
                ("sent-day", &sd),
                ("sent-month", &sm),
                ("sent-year", &sy),
                ("arrived-day", &ad),
                ("arrived-month", &am),
                ("arrived-year", &ay),
            ],
        )
        .await;
    let validity: String = app.value("SELECT validity FROM casework_complaint_review WHERE reference = $1", &reference).await;
    assert_eq!(validity, "valid");

    // Another late request, without forwarding and without exceptional circumstances, is closed.
    let (_, other) =
        request(&app, Request { review_body: "office", outcome_days_ago: 60, email: "later@example.com", postcode: "NS1 2AB" })
            .await;
    let response = caseworker.act(&staff_page(&other), "validity", &[("schedule-3", "yes"), ("exceptional", "no")]).await;
    assert_eq!(response.status(), 422, "reasons are needed for the letter");
    caseworker
        .done(
            &staff_page(&other),
            "validity",
            &[("schedule-3", "yes"), ("exceptional", "no"), ("reasons", "No reason was given for the delay.")],
        )
        .await;
    assert_eq!(stage_of(&app, &other).await, "closed");
    assert_eq!(letter_kinds(&app, &other).await, vec![("complaint-not-valid".into(), "email".into(), None)]);
    let mail = outbox_to(&app, "later@example.com").await;
    assert!(mail.iter().any(|(subject, body)| subject.contains("We cannot review") && body.contains("No reason was given")));
    let response = app.post_form("/police-complaint-review/track", &[("reference", &other), ("postcode", "NS1 2AB")]).await;
    assert!(response.text().await.expect("body").contains("arrived too late for us to review it"));
}

#[tokio::test]
async fn the_iopc_route_tells_the_applicant_where_to_go_and_still_records_the_request() {
    let app = TestApp::spawn().await;
    with_settings(&app).await;
    let (base, reference) =
        request(&app, Request { review_body: "iopc", outcome_days_ago: 3, email: "iopc@example.com", postcode: "NS1 2AB" }).await;
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    assert!(sent.contains("You told us your outcome letter names the IOPC"));
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    assert_eq!(caseworker.act(&staff_page(&reference), "acknowledge", &[]).await.status(), 303);
    caseworker
        .done(
            &staff_page(&reference),
            "validity",
            &[("schedule-3", "yes"), ("iopc-reasons", "article-2-or-3"), ("iopc-reasons", "referred-to-iopc")],
        )
        .await;
    assert_eq!(stage_of(&app, &reference).await, "closed");
    let kinds: Vec<String> = letter_kinds(&app, &reference).await.into_iter().map(|(k, _, _)| k).collect();
    assert_eq!(
        kinds,
        vec!["complaint-acknowledgement".to_string(), "complaint-forwarded".to_string(), "complaint-to-iopc".to_string()]
    );
    // The letter passing it on is to post to the IOPC, with the request in it.
    let (channel, addressee, body): (String, String, String) =
        sqlx::query_as("SELECT channel, addressee, body FROM casework_letter WHERE kind = 'complaint-to-iopc'")
            .fetch_one(&app.pool)
            .await
            .expect("letter to the IOPC");
    assert_eq!(channel, "post");
    assert!(addressee.starts_with("Independent Office for Police Conduct"));
    assert!(body.contains("Complainant: Alex Complainant") && body.contains("The officer was rude at the front desk"));
    let mail = outbox_to(&app, "iopc@example.com").await;
    assert!(mail.iter().any(|(_, body)| body.contains("the complaint could involve the right to life")));
    let response = app.post_form("/asb-case-review/track", &[("reference", &reference), ("postcode", "NS1 2AB")]).await;
    assert!(response.text().await.expect("body").contains("The IOPC reviews this complaint"), "any service's look-up finds it");
}

#[tokio::test]
async fn a_caseworker_and_the_forces_psd_complete_a_review_with_recommendations_tracked_to_closure() {
    let app = TestApp::builder().without_background_work().spawn().await;
    with_settings(&app).await;
    let (_, reference) =
        request(&app, Request { review_body: "office", outcome_days_ago: 5, email: "alex@example.com", postcode: "NS1 2AB" })
            .await;
    let (mut caseworker, worker) = app.signed_in(Role::Caseworker).await;
    let psd = app.partner(PSD).await;
    let mut psd_visitor = app.session_for(&psd).await;
    let outsider = app.partner("Southshire Police Professional Standards Department").await;
    let outsider_visitor = app.session_for(&outsider).await;
    let page = format!("/staff/complaint-reviews/{reference}");
    // Before the file is asked for, the force does not know a review was asked for.
    assert_eq!(psd_visitor.get_page(&page).await.0, 404);
    let (_, queue) = psd_visitor.get_page("/staff/complaint-reviews").await;
    assert!(!queue.contains(&reference));

    assert_eq!(caseworker.act(&staff_page(&reference), "assign", &[("assignee", &worker.id)]).await.status(), 303);
    let acknowledged = caseworker.act(&staff_page(&reference), "acknowledge", &[]).await;
    assert_eq!(crate::support::location(&acknowledged), format!("{}?done=acknowledge", staff_page(&reference)));
    let (_, page_after) = caseworker.get_page(&crate::support::location(&acknowledged)).await;
    assert!(page_after.contains("Acknowledged: the complainant has been written to"), "a banner says what happened");
    let response = caseworker.act(&staff_page(&reference), "request-file", &[]).await;
    assert_eq!(response.status(), 422, "validity comes first");
    assert_eq!(caseworker.act(&staff_page(&reference), "validity", &[("schedule-3", "yes")]).await.status(), 303);
    let (d, m, y) = days_ago(-10);
    caseworker
        .done(
            &staff_page(&reference),
            "request-file",
            &[("due-day", &d), ("due-month", &m), ("due-year", &y), ("question", "Was the body-worn video kept?")],
        )
        .await;
    assert_eq!(stage_of(&app, &reference).await, "awaiting-file");
    let to_psd = outbox_to(&app, PSD_EMAIL).await;
    assert!(to_psd.iter().any(|(subject, body)| subject.contains("Complaint file needed") && body.contains("body-worn video")));

    // The PSD now sees it, without the complainant's contact details or documents.
    let (status, case) = psd_visitor.get_page(&page).await;
    assert_eq!(status, 200);
    assert!(case.contains("The officer was rude at the front desk"));
    assert!(!case.contains("alex@example.com") && !case.contains("outcome.pdf") && !case.contains("Nobody watched"));
    assert_eq!(outsider_visitor.get_page(&page).await.0, 404, "another force's department sees nothing");
    // One due date for the file everywhere: the one the force was told, not one worked out again.
    let told = calendar::long_date(calendar::uk_today() + Duration::days(10));
    let worked_out = calendar::add_working_days(
        calendar::uk_today(),
        ComplaintPolicy::default().timescales.complaint_file,
        &calendar::WorkingDayCalendar::for_nation(calendar::Nation::EnglandAndWales, Vec::new()),
    );
    assert!(case.matches(told.as_str()).count() >= 2, "the clock and the file's paragraph both say {told}");
    assert!(!case.contains(&calendar::long_date(worked_out)), "no second date");
    let tracked = app.post_form("/police-complaint-review/track", &[("reference", &reference), ("postcode", "NS1 2AB")]).await;
    let tracked = tracked.text().await.expect("tracker");
    assert!(tracked.contains(&format!("due by {told}")), "dates keep their capitals: {tracked}");
    let complainant_file: String = app
        .value(
            "SELECT f.id FROM platform_file f JOIN casework_complaint_review r ON r.id = f.owner_id WHERE r.reference = $1",
            &reference,
        )
        .await;
    assert_eq!(psd_visitor.get(&format!("{page}/files/{complainant_file}")).await.status(), 404);

    // The PSD cannot say the file is complete before uploading it, then uploads and completes it.
    let response = post_on_case(&mut psd_visitor, &reference, "complaint-file/complete", &[]).await;
    assert_eq!(response.status(), 422);
    // A refused file is said to be refused, and is not logged as an upload.
    let disguised = |form: Form| form.part("complaint-file", Part::bytes(b"MZ\x90\x00\x03".to_vec()).file_name("report.pdf"));
    let response = psd_visitor.post_multipart(&format!("{page}/complaint-file"), &page, disguised).await;
    assert_refused(response, &["The selected file must be a PDF"]).await;
    let uploads = || {
        app.values::<String>(
            "SELECT detail FROM platform_audit_event WHERE record_id = $1 AND action = 'uploaded to the complaint file'",
            &reference,
        )
    };
    assert!(uploads().await.is_empty());
    let upload =
        |form: Form| form.part("complaint-file", Part::bytes(b"%PDF-1.7\nfinal report".to_vec()).file_name("report.pdf"));
    let response = psd_visitor.post_multipart(&format!("{page}/complaint-file"), &page, upload).await;
    assert_eq!(response.status(), 303);
    assert_eq!(uploads().await, ["report.pdf"]);
    assert_eq!(post_on_case(&mut psd_visitor, &reference, "complaint-file/complete", &[]).await.status(), 303);
    assert_eq!(stage_of(&app, &reference).await, "reviewing");
    let (_, case) = caseworker.get_page(&page).await;
    assert!(case.contains("report.pdf"));

    // A question, answered by the PSD.
    let (d, m, y) = days_ago(-5);
    caseworker
        .done(
            &staff_page(&reference),
            "question",
            &[("question", "Who decided the outcome?"), ("due-day", &d), ("due-month", &m), ("due-year", &y)],
        )
        .await;
    let questions: Vec<(String, String)> = sqlx::query_as(
        "SELECT q.id, q.question FROM casework_complaint_question q JOIN casework_complaint_review r ON r.id = q.review_id \
         WHERE r.reference = $1 ORDER BY q.question",
    )
    .bind(&reference)
    .fetch_all(&app.pool)
    .await
    .expect("questions");
    let (question_id, _) = questions.iter().find(|(_, q)| q.starts_with("Who decided")).expect("asked");
    let response = post_on_case(&mut psd_visitor, &reference, &format!("questions/{question_id}"), &[("answer", "")]).await;
    assert_eq!(response.status(), 422);
    let response =
        post_on_case(&mut psd_visitor, &reference, &format!("questions/{question_id}"), &[("answer", "An inspector in PSD.")])
            .await;
    assert_eq!(response.status(), 303);
    // The force's answer is new work for the office.
    let office: String = app.one("SELECT email FROM platform_office WHERE id = 1").await;
    let told = crate::support::outbox_to(&app, &office).await;
    let subject = format!("New work: the force’s answer to a question on {reference}");
    assert!(told.iter().any(|(s, _)| s == &subject), "{told:?}");
    // The PSD cannot take the office's steps.
    assert_eq!(psd_visitor.act(&staff_page(&reference), "decide", &[("summary", "x")]).await.status(), 403);

    // Findings on each allegation; deciding before all are found is refused.
    let allegations: Vec<(String, i64)> = sqlx::query_as(
        "SELECT a.id, a.position FROM casework_complaint_allegation a JOIN casework_complaint_review r ON r.id = a.review_id \
         WHERE r.reference = $1 ORDER BY a.position",
    )
    .bind(&reference)
    .fetch_all(&app.pool)
    .await
    .expect("allegations");
    let response =
        caseworker.act(&staff_page(&reference), "finding", &[("allegation-id", &allegations[0].0), ("finding", "upheld")]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(
        html.contains("Select whether the handling was reasonable and proportionate")
            && html.contains("Enter the reasons for the finding")
    );
    caseworker
        .done(
            &staff_page(&reference),
            "finding",
            &[
                ("allegation-id", &allegations[0].0),
                ("handling-reasonable", "no"),
                ("outcome-reasonable", "no"),
                ("finding", "upheld"),
                ("reasons", "The footage was never viewed."),
            ],
        )
        .await;
    let response = caseworker.act(&staff_page(&reference), "decide", &[("summary", "Partly upheld.")]).await;
    assert_refused(response, &["Record a finding on every part of the complaint before deciding"]).await;
    caseworker
        .act(
            &staff_page(&reference),
            "finding",
            &[
                ("allegation-id", &allegations[1].0),
                ("handling-reasonable", "yes"),
                ("outcome-reasonable", "yes"),
                ("finding", "not-upheld"),
                ("reasons", "Updates were sent monthly."),
            ],
        )
        .await;
    let (d, m, y) = days_ago(-20);
    caseworker
        .done(
            &staff_page(&reference),
            "recommendation",
            &[
                ("recommendation", "View and keep the footage, and reconsider the outcome"),
                ("respond-by-day", &d),
                ("respond-by-month", &m),
                ("respond-by-year", &y),
            ],
        )
        .await;
    caseworker
        .done(
            &staff_page(&reference),
            "decide",
            &[
                ("summary", "One part upheld."),
                ("subject-name", "PC 1234 Smith"),
                ("subject-address", "c/o Professional Standards\nNorthshire Police HQ"),
            ],
        )
        .await;
    assert_eq!(stage_of(&app, &reference).await, "recommendations");
    let letters = letter_kinds(&app, &reference).await;
    assert!(letters.contains(&("complaint-decision".into(), "email".into(), None)));
    assert!(letters.iter().any(|(k, c, a)| k == "complaint-decision-force" && c == "email" && a.as_deref() == Some(PSD)));
    assert!(letters.iter().any(|(k, c, a)| k == "complaint-decision-subject"
        && c == "post"
        && a.as_deref().is_some_and(|a| a.starts_with("PC 1234 Smith"))));
    let mail = outbox_to(&app, "alex@example.com").await;
    let decision = mail.iter().find(|(s, _)| s.contains("Decision on your police complaint review")).expect("decision letter");
    assert!(
        decision.1.contains("Our finding: Upheld. The footage was never viewed.")
            && decision.1.contains("View and keep the footage")
    );
    assert!(!decision.1.contains("PC 1234 Smith"), "the complainant's letter does not name the officer");
    // The tracker shows the decision, never the officer.
    let tracker = app.post_form("/police-complaint-review/track", &[("reference", &reference), ("postcode", "NS1 2AB")]).await;
    let html = tracker.text().await.expect("body");
    assert!(html.contains("1 of 2 parts of your complaint upheld") && !html.contains("Smith"));

    // The force responds; the office closes the recommendation and with it the review.
    let recommendation_id: String = app.value("SELECT m.id FROM casework_complaint_recommendation m JOIN casework_complaint_review r ON r.id = m.review_id WHERE r.reference = $1", &reference).await;
    let response =
        caseworker.act(&staff_page(&reference), "close-recommendation", &[("recommendation-id", &recommendation_id)]).await;
    assert_eq!(response.status(), 422, "not before the force has answered");
    let response = post_on_case(
        &mut psd_visitor,
        &reference,
        &format!("recommendations/{recommendation_id}"),
        &[("response", "accepted"), ("response-detail", "Footage retained; outcome being reconsidered by a new officer.")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let told = crate::support::outbox_to(&app, &office).await;
    let subject = format!("New work: the force’s response to a recommendation in {reference}");
    assert!(told.iter().any(|(s, _)| s == &subject), "{told:?}");
    assert_eq!(
        caseworker
            .act(&staff_page(&reference), "close-recommendation", &[("recommendation-id", &recommendation_id)])
            .await
            .status(),
        303
    );
    assert_eq!(stage_of(&app, &reference).await, "closed");

    // The published figures count it.
    let body = app.get("/police-complaint-review/figures.json").await.text().await.expect("body");
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(json["total"]["received"], 1);
    assert_eq!(json["total"]["decided"], 1);
    assert_eq!(json["total"]["upheld_percent"], 100.0);
    assert_eq!(json["total"]["recommendations_made"], 1);
    assert_eq!(json["total"]["recommendations_accepted"], 1);
    let csv = app.get("/police-complaint-review/figures.csv").await.text().await.expect("csv");
    assert!(csv.starts_with("financial_year,period,received,valid,in_time,decided,upheld"), "{csv}");
    let year = platform::periods::FinancialYear::containing(platform::calendar::uk_today()).label();
    assert!(csv.lines().skip(1).all(|row| row.starts_with(&format!("\"{year}\","))), "every row names the year: {csv}");
    let (status, figures) = app.get_page("/police-complaint-review/figures").await;
    assert_eq!(status, 200);
    assert!(figures.contains("<table") && figures.contains("<svg"));

    // The letters can be read and printed by the office only.
    let letter_id: String = app.one("SELECT id FROM casework_letter WHERE kind = 'complaint-decision-subject'").await;
    let (status, letter) = caseworker.get_page(&format!("{page}/letters/{letter_id}")).await;
    assert_eq!(status, 200);
    assert!(letter.contains("PC 1234 Smith") && letter.contains("Northshire Police HQ"));
    let pdf = caseworker.get(&format!("{page}/letters/{letter_id}/pdf")).await;
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert_eq!(psd_visitor.get(&format!("{page}/letters/{letter_id}")).await.status(), 403);
}

#[tokio::test]
async fn overdue_responses_are_chased_once_a_week_and_quality_samples_are_drawn_once_a_quarter() {
    let app = TestApp::builder().without_background_work().spawn().await;
    with_settings(&app).await;
    let (_, reference) =
        request(&app, Request { review_body: "office", outcome_days_ago: 5, email: "alex@example.com", postcode: "NS1 2AB" })
            .await;
    let review_id: String = app.value("SELECT id FROM casework_complaint_review WHERE reference = $1", &reference).await;
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    // A decided review whose one recommendation was due a week ago and is unanswered.
    sqlx::query(
        "UPDATE casework_complaint_review SET stage = 'recommendations', validity = 'valid', decided_on = $1, decided_by = 'a@x' WHERE id = $2",
    )
    .bind(platform::db::date(today - Duration::days(20)))
    .bind(&review_id)
    .execute(&app.pool)
    .await
    .expect("decided");
    sqlx::query(
        "INSERT INTO casework_complaint_recommendation (id, review_id, recommendation, respond_by, response_requested_on, chase_count, created_at) \
         VALUES ('rec1', $1, 'Retrain the front desk', $2, $3, 0, $4)",
    )
    .bind(&review_id)
    .bind(platform::db::date(today - Duration::days(7)))
    .bind(platform::db::date(today - Duration::days(20)))
    .bind(platform::db::timestamp(now))
    .execute(&app.pool)
    .await
    .expect("recommendation");
    assert_eq!(reminders::chase_force(&app.pool, &app.settings, now).await.expect("chase"), 1);
    assert_eq!(reminders::chase_force(&app.pool, &app.settings, now).await.expect("again"), 0, "not twice in a day");
    let later = now + Duration::days(3);
    assert_eq!(reminders::chase_force(&app.pool, &app.settings, later).await.expect("3 days"), 0, "not within the week");
    let week = now + Duration::days(7);
    assert_eq!(reminders::chase_force(&app.pool, &app.settings, week).await.expect("a week on"), 1);
    let chased = outbox_to(&app, PSD_EMAIL).await.into_iter().filter(|(s, _)| s.starts_with("Overdue")).count();
    assert_eq!(chased, 2);
    let count: i64 = app.one("SELECT chase_count FROM casework_complaint_recommendation WHERE id = 'rec1'").await;
    assert_eq!(count, 2);

    // Quality: eleven reviews closed last quarter, 10% → two drawn, once.
    let last = Quarter::containing(today).previous();
    for n in 0..11 {
        sqlx::query(
            "INSERT INTO casework_complaint_review (id, reference, draft_id, received_at, received_on, applying_as, complainant_name, \
             contact_method, force_reference, outcome_given_on, stated_review_body, timescales, tracker_token_hash, stage, \
             validity, decided_on, decided_by, closed_on) VALUES ($1, $2, $3, $4, $5, 'complainant', 'Q', 'letter', 'F', $5, 'office', \
             '{}', $6, 'closed', 'valid', $5, 'decider@example.com', $5)",
        )
        .bind(format!("qa{n}"))
        .bind(format!("CRV-2000-{n:06}"))
        .bind(format!("qadraft{n}"))
        .bind(platform::db::timestamp(now))
        .bind(platform::db::date(last.first_day() + Duration::days(n)))
        .bind(format!("qatoken{n}"))
        .execute(&app.pool)
        .await
        .expect("closed review");
    }
    let actor = Actor::system("test");
    assert_eq!(quality::draw_quarter(&app.pool, last, &actor, now).await.expect("draw"), 2);
    assert_eq!(quality::draw_quarter(&app.pool, last, &actor, now).await.expect("again"), 0, "one draw a quarter");
    // The second reviewer records findings; the decider may not check their own.
    let checks = quality::checks(&app.pool).await.expect("checks");
    assert_eq!(checks.len(), 2);
    let (mut checker, _) = app.signed_in(Role::Caseworker).await;
    let token = checker.csrf_token("/staff/complaint-reviews/quality").await;
    let path = format!("/staff/complaint-reviews/quality/{}", checks[0].id);
    let response = checker.post(&path, &[("csrf-token", &token), ("agrees", "yes")]).await;
    assert_refused(response, &["Enter what you found"]).await;
    let response = checker
        .post(&path, &[("csrf-token", &token), ("agrees", "no"), ("findings", "The reasons did not address part 2.")])
        .await;
    assert_eq!(response.status(), 303);
    let (_, page) = checker.get_page("/staff/complaint-reviews/quality").await;
    assert!(page.contains("The reasons did not address part 2."));
}

#[tokio::test]
async fn administrators_set_the_force_and_targets_within_limits_and_the_office_wording_is_used() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let page = "/staff/complaint-reviews/settings";
    let (status, html) = admin.get_page(page).await;
    assert_eq!(status, 200);
    assert!(html.contains("Police complaint review settings"));
    let bad = [
        ("force-name", ""),
        ("psd-name", PSD),
        ("psd-email", "not an address"),
        ("acknowledge", "0"),
        ("complaint-file", "ten"),
        ("decision", "28"),
        ("quality-sample", "150"),
    ];
    let response = admin.post_from(page, page, &bad).await;
    assert_refused(
        response,
        &[
            "Enter the force’s name",
            "Enter the department’s email address, like psd@police.example",
            "Enter a number of working days between 1 and 120",
            "Enter a whole number from 0 to 100",
        ],
    )
    .await;
    let good = [
        ("force-name", "Northshire Police"),
        ("psd-name", PSD),
        ("psd-email", PSD_EMAIL),
        ("acknowledge", "3"),
        ("complaint-file", "10"),
        ("decision", "20"),
        ("quality-sample", "25"),
    ];
    let response = admin.post_from(page, page, &good).await;
    assert_eq!(response.status(), 200);
    let saved = policy::load(&app.pool).await.expect("settings");
    assert_eq!((saved.timescales.acknowledge, saved.timescales.decision, saved.quality_sample_percent), (3, 20, 25));

    // The letter templates list both services; the office's wording replaces the built-in one.
    let (_, templates) = admin.get_page("/staff/letter-templates").await;
    assert!(templates.contains("Police complaint reviews") && templates.contains("Decision of the review (to the force)"));
    let template = "/staff/letter-templates/complaint-acknowledgement";
    let response = admin
        .post_from(template, template, &[("subject", "Review request {reference}"), ("body", "Hello {name}. {timing}")])
        .await;
    assert_eq!(response.status(), 303);
    let (_, reference) =
        request(&app, Request { review_body: "office", outcome_days_ago: 2, email: "alex@example.com", postcode: "NS1 2AB" })
            .await;
    assert_eq!(admin.act(&staff_page(&reference), "acknowledge", &[]).await.status(), 303);
    let mail = outbox_to(&app, "alex@example.com").await;
    let acknowledgement = mail.iter().find(|(s, _)| s.starts_with("Review request")).expect("office wording");
    assert_eq!(acknowledgement.1.trim(), "Hello Alex Complainant. Your request arrived within the 28 days allowed.");

    // A request nobody acknowledged within 3 working days reminds the office, once.
    let (_, late) =
        request(&app, Request { review_body: "office", outcome_days_ago: 2, email: "late@example.com", postcode: "NS1 2AB" })
            .await;
    let later = OffsetDateTime::now_utc() + Duration::days(14);
    let office_email: String = app.one("SELECT email FROM platform_office").await;
    assert!(
        casekit::reminders::run(&commissioner::server::services(), &app.pool, &app.settings, later).await.expect("reminders")
            >= 1
    );
    let reminders: Vec<(String, String)> = outbox_to(&app, &office_email).await;
    assert!(reminders.iter().any(|(s, _)| s == &format!("Overdue: acknowledge the application for {late}")), "{reminders:?}");
    let before = outbox_to(&app, &office_email).await.len();
    casekit::reminders::run(&commissioner::server::services(), &app.pool, &app.settings, later).await.expect("again");
    assert_eq!(outbox_to(&app, &office_email).await.len(), before, "never twice");
}

#[tokio::test]
async fn every_way_a_review_closes_and_steps_taken_twice_change_nothing() {
    let app = TestApp::builder().without_background_work().spawn().await;
    with_settings(&app).await;
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    // Not a Schedule 3 complaint: closed with a letter saying why.
    let (_, not_schedule_3) =
        request(&app, Request { review_body: "office", outcome_days_ago: 4, email: "one@example.com", postcode: "NS1 2AB" })
            .await;
    assert_eq!(caseworker.act(&staff_page(&not_schedule_3), "acknowledge", &[]).await.status(), 303);
    // Acknowledging twice sends one letter: the second finds the review moved on, and says so.
    let again = caseworker.act(&staff_page(&not_schedule_3), "acknowledge", &[]).await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.expect("body").contains(casekit::change::MOVED_ON));
    let response = caseworker.act(&staff_page(&not_schedule_3), "validity", &[("schedule-3", "no")]).await;
    assert_eq!(response.status(), 422, "reasons are needed for the letter");
    caseworker
        .done(&staff_page(&not_schedule_3), "validity", &[("schedule-3", "no"), ("reasons", "It was resolved informally.")])
        .await;
    assert_eq!(stage_of(&app, &not_schedule_3).await, "closed");
    let kinds: Vec<String> = letter_kinds(&app, &not_schedule_3).await.into_iter().map(|(k, _, _)| k).collect();
    assert_eq!(kinds, vec!["complaint-acknowledgement".to_string(), "complaint-not-valid".to_string()]);
    // A closed review takes no more steps: the officer is told it moved on.
    let response = caseworker.act(&staff_page(&not_schedule_3), "validity", &[("schedule-3", "yes")]).await;
    assert_eq!(response.status(), 409);
    let validity: String =
        app.value("SELECT validity FROM casework_complaint_review WHERE reference = $1", &not_schedule_3).await;
    assert_eq!(validity, "not-reviewable");

    // Decided with no recommendations: closed at once, and nothing is asked of the force.
    let (_, plain) =
        request(&app, Request { review_body: "office", outcome_days_ago: 4, email: "two@example.com", postcode: "NS1 2AB" })
            .await;
    caseworker.act(&staff_page(&plain), "validity", &[("schedule-3", "yes")]).await;
    let (d, m, y) = days_ago(-10);
    caseworker.act(&staff_page(&plain), "request-file", &[("due-day", &d), ("due-month", &m), ("due-year", &y)]).await;
    assert_eq!(caseworker.act(&staff_page(&plain), "file-received", &[]).await.status(), 303);
    assert_eq!(stage_of(&app, &plain).await, "reviewing");
    let ids: Vec<String> = app
        .values(
            "SELECT a.id FROM casework_complaint_allegation a JOIN casework_complaint_review r ON r.id = a.review_id \
         WHERE r.reference = $1 ORDER BY a.position",
            &plain,
        )
        .await;
    for id in &ids {
        let fields = [
            ("allegation-id", id.as_str()),
            ("handling-reasonable", "yes"),
            ("outcome-reasonable", "yes"),
            ("finding", "not-upheld"),
            ("reasons", "Handled properly."),
        ];
        assert_eq!(caseworker.act(&staff_page(&plain), "finding", &fields).await.status(), 303);
    }
    assert_eq!(caseworker.act(&staff_page(&plain), "decide", &[("summary", "Not upheld.")]).await.status(), 303);
    assert_eq!(stage_of(&app, &plain).await, "closed");
    let response = app.post_form("/police-complaint-review/track", &[("reference", &plain), ("postcode", "NS1 2AB")]).await;
    let html = response.text().await.expect("body");
    assert!(html.contains("0 of 2 parts of your complaint upheld") && html.contains("Your review is finished"));
    // A finding after the decision is refused.
    let fields = [
        ("allegation-id", ids[0].as_str()),
        ("handling-reasonable", "no"),
        ("outcome-reasonable", "no"),
        ("finding", "upheld"),
        ("reasons", "x"),
    ];
    assert_eq!(caseworker.act(&staff_page(&plain), "finding", &fields).await.status(), 422);
}

#[tokio::test]
async fn the_acknowledgement_is_previewed_before_it_is_sent() {
    let app = TestApp::spawn().await;
    crate::support::with_demo_cases(&app).await;
    let reference: String = app.one("SELECT MIN(reference) FROM casework_complaint_review WHERE acknowledged_on IS NULL").await;
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    let case = staff_page(&reference);
    let preview = caseworker.act(&case, "acknowledge", &[("preview", "yes")]).await;
    assert_eq!(preview.status(), 200);
    let page = preview.text().await.expect("page");
    assert!(page.contains("Preview: nothing has been sent yet") && page.contains(&reference), "{page}");
    let acknowledged: Option<String> =
        app.value("SELECT acknowledged_on FROM casework_complaint_review WHERE reference = $1", &reference).await;
    assert_eq!(acknowledged, None, "a preview changes nothing");
    caseworker.done(&case, "acknowledge", &[]).await;
    let acknowledged: Option<String> =
        app.value("SELECT acknowledged_on FROM casework_complaint_review WHERE reference = $1", &reference).await;
    assert!(acknowledged.is_some());
}
