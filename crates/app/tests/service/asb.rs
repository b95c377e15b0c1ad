//! ASB Case Review over real HTTP: the public application and appeal, the tracker, the
//! caseworker's and the partner's steps, letters, reminders, retention and the published figures.

use casekit::reminders;
use casekit::retention;
use casework::asb::policy;
use platform::access::Role;
use platform::audit::Actor;
use platform::calendar;
use reqwest::multipart::{Form, Part};
use time::{Duration, OffsetDateTime};

use crate::support::TestApp;
use crate::support::{answer, assert_refused, days_ago, location, outbox_to};

pub(crate) const NORTH: &str = "North Borough Community Safety Partnership";
const SOUTH: &str = "South Borough Community Safety Partnership";

pub(crate) async fn with_review_bodies(app: &TestApp) {
    let actor = Actor::system("test");
    let now = OffsetDateTime::now_utc();
    policy::add_review_body(&app.pool, NORTH, "north@csp.example", &["Northtown"], &actor, now).await.expect("north");
    policy::add_review_body(&app.pool, SOUTH, "south@csp.example", &["Southville"], &actor, now).await.expect("south");
}

/// Starts an application; returns its draft's base path.
async fn start(app: &TestApp) -> String {
    let response = app.post_form("/asb-case-review/apply", &[]).await;
    assert_eq!(response.status(), 303);
    let to = location(&response);
    to.trim_end_matches("/applicant").to_string()
}

async fn add_incident(app: &TestApp, base: &str, occurred: i64, reported: i64, to: &str) -> reqwest::Response {
    let (od, om, oy) = days_ago(occurred);
    let (rd, rm, ry) = days_ago(reported);
    answer(
        app,
        base,
        "incidents/new",
        &[
            ("occurred-day", &od),
            ("occurred-month", &om),
            ("occurred-year", &oy),
            ("reported-day", &rd),
            ("reported-month", &rm),
            ("reported-year", &ry),
            ("reported-to", to),
            ("description", "Shouting and banging on the door late at night"),
        ],
    )
    .await
}

/// Walks the whole journey as a victim in `district`, with three incidents; returns the
/// reference shown on the confirmation page.
/// The applicant's own postcode in [`apply`]: the tracker's secret, unlike where the behaviour happens.
const APPLICANT_POSTCODE: &str = "ST17 9ZZ";

pub(crate) async fn apply(app: &TestApp, district: &str, postcode: &str, email: &str) -> String {
    let base = start(app).await;
    for (page, fields) in [
        ("applicant", vec![("applying-as", "victim")]),
        ("victim", vec![("victim-kind", "person"), ("victim-name", "Jo Bloggs")]),
        ("location", vec![("district", district), ("location-postcode", postcode)]),
    ] {
        let response = answer(app, &base, page, &fields).await;
        assert_eq!(response.status(), 303, "{page}");
    }
    for (occurred, reported, to) in [(40, 39, "police"), (40, 38, "council"), (20, 20, "housing"), (5, 4, "police")] {
        assert_eq!(add_incident(app, &base, occurred, reported, to).await.status(), 303);
    }
    let contact = [
        ("full-name", "Jo Bloggs"),
        ("contact-method", "email"),
        ("email", email),
        ("postal-address", "1 Applicant Row\nStafford"),
        ("postcode", APPLICANT_POSTCODE),
    ];
    for (page, fields) in [
        ("incidents", vec![("add-another", "no")]),
        ("continuing", vec![("continuing", "yes")]),
        ("hate", vec![("hate", "no")]),
        ("contact", contact.to_vec()),
        ("needs", vec![("needs", "Large print, please")]),
        ("evidence", vec![("action", "continue")]),
        ("consent", vec![("consent", "yes")]),
    ] {
        let response = answer(app, &base, page, &fields).await;
        assert_eq!(response.status(), 303, "{page}");
    }
    let (status, check) = app.get_page(&format!("{base}/check")).await;
    assert_eq!(status, 200);
    assert!(check.contains("Check your answers before sending your application"));
    let response = answer(app, &base, "check", &[]).await;
    assert_eq!(location(&response), format!("{base}/sent"));
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    crate::support::text_of_class(&sent, "app-reference").expect("reference on the confirmation page")
}

/// A review's staff page, where its action forms are.
pub(crate) fn staff_page(reference: &str) -> String {
    format!("/staff/asb-case-reviews/{reference}")
}

pub(crate) async fn stage_of(app: &TestApp, reference: &str) -> String {
    app.value("SELECT stage FROM casework_asb_application WHERE reference = $1", reference).await
}

#[tokio::test]
async fn an_application_arrives_with_its_incidents_files_reference_and_confirmation_email() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let base = start(&app).await;
    // A returning applicant lands on the first page still to answer.
    let (status, first) = app.get_page(&format!("{base}/applicant")).await;
    assert_eq!(status, 200);
    assert!(first.contains("Are you the victim of the anti-social behaviour?"));
    let evidence = Form::new().part("evidence", Part::bytes(b"%PDF-1.7\nnoise diary".to_vec()).file_name("diary.pdf"));
    let response = app.client.post(app.url(&format!("{base}/evidence"))).multipart(evidence).send().await.expect("sent");
    assert_eq!(response.status(), 200);
    assert!(response.text().await.expect("body").contains("diary.pdf"));

    let reference = apply_with_draft(&app, &base).await;
    assert!(reference.starts_with("ASB-"), "{reference}");
    let (applicant, incidents, files): (String, i64, i64) = sqlx::query_as(
        "SELECT a.applicant_name, (SELECT COUNT(*) FROM casework_asb_incident i WHERE i.application_id = a.id), \
         (SELECT COUNT(*) FROM platform_file f WHERE f.owner_type = 'asb-application' AND f.owner_id = a.id) \
         FROM casework_asb_application a WHERE a.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.pool)
    .await
    .expect("stored");
    assert_eq!((applicant.as_str(), incidents, files), ("Jo Bloggs", 4, 1));
    let mail = outbox_to(&app, "jo@example.com").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].0.contains(&reference));
    // The private tracker link works and shows no names.
    let link_start = mail[0].1.find("/asb-case-review/track/").expect("tracker link");
    let link: String = mail[0].1[link_start..].split_whitespace().next().expect("link").to_string();
    let (status, tracker) = app.get_page(&link).await;
    assert_eq!(status, 200);
    assert!(tracker.contains(&reference) && tracker.contains("Application received"));
    assert!(!tracker.contains("Jo Bloggs") && !tracker.contains("jo@example.com"));
    // Sending again changes nothing: the draft is spent.
    let again = app.post_form(&format!("{base}/check"), &[]).await;
    assert_eq!(location(&again), format!("{base}/sent"));
    let count: i64 = app.one("SELECT COUNT(*) FROM casework_asb_application").await;
    assert_eq!(count, 1);
}

/// The journey from an already started draft (see `apply`).
async fn apply_with_draft(app: &TestApp, base: &str) -> String {
    answer_everything(app, base).await;
    answer(app, base, "check", &[]).await;
    let (_, sent) = app.get_page(&format!("{base}/sent")).await;
    crate::support::text_of_class(&sent, "app-reference").expect("reference")
}

/// Every question of a started draft, up to its check page.
async fn answer_everything(app: &TestApp, base: &str) {
    for (page, fields) in [
        ("applicant", vec![("applying-as", "on-behalf")]),
        ("on-behalf", vec![("relationship", "Their daughter"), ("victim-consents", "yes")]),
        ("victim", vec![("victim-kind", "person"), ("victim-name", "Jo Bloggs")]),
        ("location", vec![("district", "northtown"), ("location-postcode", "st16 2dj")]),
    ] {
        assert_eq!(answer(app, base, page, &fields).await.status(), 303, "{page}");
    }
    for (occurred, reported, to) in [(40, 39, "police"), (40, 38, "council"), (20, 20, "housing"), (5, 4, "police")] {
        assert_eq!(add_incident(app, base, occurred, reported, to).await.status(), 303);
    }
    for (page, fields) in [
        ("incidents", vec![("add-another", "no")]),
        ("continuing", vec![("continuing", "yes")]),
        ("hate", vec![("hate", "not-sure")]),
        ("contact", vec![("full-name", "Jo Bloggs"), ("contact-method", "email"), ("email", "jo@example.com")]),
        ("needs", vec![("needs", "")]),
        ("evidence", vec![("action", "continue")]),
        ("consent", vec![("consent", "yes")]),
    ] {
        assert_eq!(answer(app, base, page, &fields).await.status(), 303, "{page}");
    }
}

#[tokio::test]
async fn bad_answers_get_clear_messages_and_nothing_is_submitted_early() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let base = start(&app).await;
    // Reported before it happened.
    let response = add_incident(&app, &base, 5, 6, "police").await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(
        html.contains(
            r##"<a href="#reported-day">The date you reported it must be the same as or after the date it happened</a>"##
        ),
        "{html}"
    );
    // Reported in the future.
    let response = add_incident(&app, &base, 5, -2, "police").await;
    assert!(response.text().await.expect("body").contains("The date you reported it must be today or in the past"));
    // No incidents, then finishing the list.
    let response = answer(&app, &base, "incidents", &[("add-another", "no")]).await;
    assert!(response.text().await.expect("body").contains("Add at least one incident"));
    // No consent.
    let response = answer(&app, &base, "consent", &[]).await;
    assert_refused(response, &["we cannot review your case"]).await;
    // A district that is not on the list.
    let response = answer(&app, &base, "location", &[("district", "atlantis"), ("location-postcode", "ST16 2DJ")]).await;
    assert!(response.text().await.expect("body").contains("Select the area where the anti-social behaviour happens"));
    // A program dressed as a PDF, and a fourth file.
    let disguised = Form::new().part("evidence", Part::bytes(b"MZ\x90\x00\x03\x00\x00\x00".to_vec()).file_name("statement.pdf"));
    let response = app.client.post(app.url(&format!("{base}/evidence"))).multipart(disguised).send().await.expect("sent");
    assert_refused(response, &["The selected file must be a PDF"]).await;
    let mut four = Form::new();
    for n in 0..4 {
        four = four.part("evidence", Part::bytes(format!("note {n}").into_bytes()).file_name(format!("note{n}.txt")));
    }
    let response = app.client.post(app.url(&format!("{base}/evidence"))).multipart(four).send().await.expect("sent");
    let html = response.text().await.expect("body");
    assert!(html.contains("You can add up to 3 files in all: the files over that number were not added"), "{html}");
    assert!(html.contains("note0.txt") && html.contains("note2.txt") && !html.contains("note3.txt"), "the first three were kept");
    let fourth = Form::new().part("evidence", Part::bytes(b"note 4".to_vec()).file_name("note4.txt"));
    let response = app.client.post(app.url(&format!("{base}/evidence"))).multipart(fourth).send().await.expect("sent");
    assert!(response.text().await.expect("body").contains("You have added 3 files, the most this form takes"));
    // Asking to send skips nothing: the applicant is sent to the first unanswered page.
    let response = answer(&app, &base, "check", &[]).await;
    assert_eq!(location(&response), format!("{base}/applicant"));
    let count: i64 = app.one("SELECT COUNT(*) FROM casework_asb_application").await;
    assert_eq!(count, 0);
    // An unknown draft is not found rather than an error.
    let (status, _) = app.get_page("/asb-case-review/apply/0123456789abcdef0123456789abcdef/victim").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_tracker_needs_the_right_postcode_and_throttles_guessing() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let reference = apply(&app, "southville", "ST4 1AA", "sam@example.com").await;
    // Where the behaviour happens is known to the neighbours complained about: it opens nothing.
    let neighbours = app.post_form("/asb-case-review/track", &[("reference", &reference), ("postcode", "ST4 1AA")]).await;
    assert_eq!(neighbours.status(), 422, "the location's postcode is not the secret");
    let response =
        app.post_form("/asb-case-review/track", &[("reference", &reference.to_lowercase()), ("postcode", "st179zz")]).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(html.contains("We have your application") && html.contains("Acknowledged"));
    assert!(!html.contains("Jo Bloggs"));
    let wrong = app.post_form("/asb-case-review/track", &[("reference", &reference), ("postcode", "ST4 1AB")]).await;
    assert_eq!(wrong.status(), 422);
    let html = wrong.text().await.expect("body");
    assert!(html.contains("We could not find a case with that reference number and postcode"));
    assert!(!html.contains("Acknowledged"), "nothing about the case is shown");
    for _ in 0..20 {
        app.post_form("/asb-case-review/track", &[("reference", "ASB-2026-999999"), ("postcode", "ST4 1AB")]).await;
    }
    let throttled = app.post_form("/asb-case-review/track", &[("reference", &reference), ("postcode", APPLICANT_POSTCODE)]).await;
    assert_eq!(throttled.status(), 429, "even the right answer waits once an address has guessed too often");
    assert!(throttled.text().await.expect("body").contains("You have tried too many times"));
}

#[tokio::test]
async fn a_caseworker_takes_a_case_to_its_outcome_and_a_partner_answers_for_the_review_body() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let reference = apply(&app, "northtown", "ST16 2DJ", "jo@example.com").await;
    let other = apply(&app, "southville", "ST4 1AA", "sam@example.com").await;
    let (mut caseworker, worker) = app.signed_in(Role::Caseworker).await;

    let (status, queue) = caseworker.get_page("/staff/asb-case-reviews").await;
    assert_eq!(status, 200);
    assert!(queue.contains(&reference) && queue.contains(&other));
    let (_, case) = caseworker.get_page(&format!("/staff/asb-case-reviews/{reference}")).await;
    assert!(case.contains("The incidents meet the threshold."), "three qualifying incidents, one of them reported twice");
    assert!(case.contains("The same incident as incident 1 (same day), so counted once"));

    assert_eq!(caseworker.act(&staff_page(&reference), "assign", &[("assignee", &worker.id)]).await.status(), 303);
    let acknowledged = caseworker.act(&staff_page(&reference), "acknowledge", &[]).await;
    assert_eq!(location(&acknowledged), format!("{}?done=acknowledge", staff_page(&reference)));
    let (_, page) = caseworker.get_page(&location(&acknowledged)).await;
    assert!(
        page.contains("govuk-notification-banner--success") && page.contains("Acknowledged: the applicant has been written to")
    );
    assert_eq!(stage_of(&app, &reference).await, "acknowledged");
    // A decision without reasons is refused with a message.
    let response = caseworker.act(&staff_page(&reference), "threshold", &[("outcome", "met"), ("hold-review", "yes")]).await;
    assert_refused(response, &["Enter the reasons for the decision"]).await;
    caseworker
        .done(
            &staff_page(&reference),
            "threshold",
            &[("outcome", "met"), ("reasons", "Three incidents reported in time."), ("hold-review", "yes")],
        )
        .await;
    assert_eq!(stage_of(&app, &reference).await, "review");
    // Staff are named, not shown as email addresses.
    let (_, page) = caseworker.get_page(&staff_page(&reference)).await;
    assert!(page.contains(", by Test Caseworker</dd>") || page.contains(" by Test Caseworker"), "{page}");
    assert!(!page.contains("caseworker-"), "no email address of staff on the page");

    let (day, month, year) = days_ago(-5);
    let contact = app.contact_at("North Borough Council", "Robin Hale", "robin.hale@council.example").await;
    caseworker
        .done(
            &staff_page(&reference),
            "information-request",
            &[
                ("contact", &contact),
                ("question", "What action has been taken on the reports?"),
                ("due-day", &day),
                ("due-month", &month),
                ("due-year", &year),
            ],
        )
        .await;
    let request_id: String = app.one("SELECT id FROM casework_asb_information_request").await;

    // The review body's partner sees this case, not the other body's, and answers the request.
    let partner = app.partner(NORTH).await;
    let mut partner_visitor = app.session_for(&partner).await;
    let (_, queue) = partner_visitor.get_page("/staff/asb-case-reviews").await;
    assert!(queue.contains(&reference) && !queue.contains(&other));
    assert_eq!(partner_visitor.get_page(&format!("/staff/asb-case-reviews/{other}")).await.0, 404);
    let page = format!("/staff/asb-case-reviews/{reference}");
    let token = partner_visitor.csrf_token(&page).await;
    let response = partner_visitor
        .post(
            &format!("{page}/information-requests/{request_id}"),
            &[("csrf-token", &token), ("response", "Two warning letters sent; a tenancy visit is booked.")],
        )
        .await;
    assert_eq!(response.status(), 303);
    // A second answer (another tab, a correction) is kept beside the first, never over it.
    let response = partner_visitor
        .post(
            &format!("{page}/information-requests/{request_id}"),
            &[("csrf-token", &token), ("response", "Correction: the tenancy visit was moved to Friday.")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let kept: Option<String> =
        app.value("SELECT response FROM casework_asb_information_request WHERE id = $1", &request_id).await;
    assert_eq!(kept.as_deref(), Some("Two warning letters sent; a tenancy visit is booked."), "the first answer stands");
    let answers: Vec<(String, String)> = sqlx::query_as(
        "SELECT response, responded_by FROM casework_asb_information_answer WHERE request_id = $1 ORDER BY recorded_at",
    )
    .bind(&request_id)
    .fetch_all(&app.pool)
    .await
    .expect("answers");
    assert_eq!(answers.len(), 2, "every answer kept with its author");
    // The office is told of each answer, at its shared address (platform::office::NewWorkTo).
    let office: String = app.one("SELECT email FROM platform_office WHERE id = 1").await;
    let told = outbox_to(&app, &office).await;
    let subject = format!("New work: Agency’s answer for ASB case review {reference}");
    assert_eq!(told.iter().filter(|(s, _)| s == &subject).count(), 2, "{told:?}");
    assert!(answers.iter().all(|(_, by)| by == &partner.email));
    let (_, case_page) = partner_visitor.get_page(&page).await;
    assert!(case_page.contains("Further answer") && case_page.contains("Correction: the tenancy visit was moved to Friday."));
    let outsider = app.partner(SOUTH).await;
    let mut outsider_visitor = app.session_for(&outsider).await;
    let token = outsider_visitor.csrf_token("/staff").await;
    let response = outsider_visitor
        .post(&format!("{page}/information-requests/{request_id}"), &[("csrf-token", &token), ("response", "Not ours")])
        .await;
    assert_eq!(response.status(), 404, "another body's partner cannot answer");
    // Partners cannot take the office's steps.
    let token = partner_visitor.csrf_token(&page).await;
    let response = partner_visitor.post(&format!("{page}/actions/meeting"), &[("csrf-token", &token)]).await;
    assert_eq!(response.status(), 403);

    let (day, month, year) = days_ago(0);
    caseworker
        .done(
            &staff_page(&reference),
            "meeting",
            &[
                ("meeting-day", &day),
                ("meeting-month", &month),
                ("meeting-year", &year),
                ("chair", "An independent chair"),
                ("chair-independent", "yes"),
                ("attendees", "Police\nCouncil\nHousing"),
            ],
        )
        .await;
    let (day, month, year) = days_ago(-30);
    caseworker
        .done(
            &staff_page(&reference),
            "recommendation",
            &[
                ("action", "Mediation between neighbours"),
                ("owner", "Housing provider"),
                ("due-day", &day),
                ("due-month", &month),
                ("due-year", &year),
            ],
        )
        .await;
    caseworker.done(&staff_page(&reference), "outcome", &[("outcome-summary", "The agencies agreed an action plan.")]).await;
    assert_eq!(stage_of(&app, &reference).await, "action-plan");
    // Closing with an open action is refused.
    let response = caseworker.act(&staff_page(&reference), "close", &[]).await;
    assert_eq!(response.status(), 422);
    let recommendation: String = app.one("SELECT id FROM casework_asb_recommendation").await;
    caseworker
        .act(&staff_page(&reference), "recommendation-status", &[("recommendation-id", &recommendation), ("status", "done")])
        .await;
    assert_eq!(caseworker.act(&staff_page(&reference), "close", &[]).await.status(), 303);
    assert_eq!(stage_of(&app, &reference).await, "closed");

    // The applicant had three letters by email: acknowledgement, threshold decision, outcome.
    let mail = outbox_to(&app, "jo@example.com").await;
    let subjects: Vec<&str> = mail.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(subjects.len(), 4, "{subjects:?}");
    assert!(mail[3].1.contains("Mediation between neighbours"), "the outcome letter lists the action plan");
    // A step taken twice does nothing the second time.
    let response = caseworker.act(&staff_page(&reference), "acknowledge", &[]).await;
    assert_eq!(response.status(), 409);
    assert!(response.text().await.expect("body").contains(casekit::change::MOVED_ON));

    // The published figures count it.
    let json: serde_json::Value = statistics(&app, "/asb-case-review/statistics.json").await;
    assert_eq!(json["total"]["applications"], 2);
    assert_eq!(json["total"]["reviews_held"], 1);
    assert_eq!(json["total"]["reviews_with_recommendations"], 1);
    let north =
        json["review_bodies"].as_array().expect("bodies").iter().find(|b| b["review_body"] == NORTH).cloned().expect("north");
    assert_eq!(north["applications"], 1);
    // Every step is in the audit log.
    let actions: Vec<String> =
        app.values("SELECT action FROM platform_audit_event WHERE record_id = $1 ORDER BY seq", &reference).await;
    for expected in [
        "applied",
        "viewed",
        "acknowledged",
        "decided threshold",
        "recorded information",
        "recorded review meeting",
        "sent outcome",
        "closed",
    ] {
        assert!(actions.iter().any(|a| a == expected), "{expected} missing from {actions:?}");
    }
}

#[tokio::test]
async fn threshold_not_met_without_a_review_closes_the_case_with_a_printable_letter() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let base = start(&app).await;
    for (page, fields) in [
        ("applicant", vec![("applying-as", "victim")]),
        ("victim", vec![("victim-kind", "business"), ("victim-name", "Corner Shop")]),
        ("location", vec![("district", "southville"), ("location-postcode", "ST4 1AA")]),
    ] {
        answer(&app, &base, page, &fields).await;
    }
    add_incident(&app, &base, 10, 9, "police").await;
    for (page, fields) in [
        ("incidents", vec![("add-another", "no")]),
        ("continuing", vec![("continuing", "no")]),
        ("hate", vec![("hate", "no")]),
        (
            "contact",
            vec![
                ("full-name", "Chris Shop"),
                ("contact-method", "letter"),
                ("postal-address", "2 Market Street\nSouthville"),
                ("postcode", "ST4 1AA"),
            ],
        ),
        ("needs", vec![]),
        ("evidence", vec![("action", "continue")]),
        ("consent", vec![("consent", "yes")]),
        ("check", vec![]),
    ] {
        answer(&app, &base, page, &fields).await;
    }
    let reference: String = app.one("SELECT reference FROM casework_asb_application").await;
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    let (_, case) = caseworker.get_page(&format!("/staff/asb-case-reviews/{reference}")).await;
    assert!(case.contains("The incidents do not meet the threshold."));
    caseworker.act(&staff_page(&reference), "acknowledge", &[]).await;
    caseworker
        .done(
            &staff_page(&reference),
            "threshold",
            &[("outcome", "not-met"), ("reasons", "One incident in six months."), ("hold-review", "no")],
        )
        .await;
    assert_eq!(stage_of(&app, &reference).await, "closed");
    let letters: Vec<(String, String)> = sqlx::query_as("SELECT id, channel FROM casework_letter ORDER BY created_at")
        .fetch_all(&app.pool)
        .await
        .expect("letters");
    assert_eq!(letters.len(), 2);
    assert!(letters.iter().all(|(_, channel)| channel == "post"), "a letter-by-post applicant gets no email");
    let (status, letter) = caseworker.get_page(&format!("/staff/asb-case-reviews/{reference}/letters/{}", letters[1].0)).await;
    assert_eq!(status, 200);
    assert!(
        letter.contains("Threshold not met")
            && letter.contains("2 Market Street")
            && letter.contains("One incident in six months.")
    );
    let json: serde_json::Value = statistics(&app, "/asb-case-review/statistics.json").await;
    assert_eq!(json["total"]["threshold_not_met"], 1);
    assert_eq!(json["total"]["reviews_held"], 0);
}

async fn appeal(app: &TestApp, review_reference: &str, decision_days_ago: i64) -> reqwest::Response {
    let (day, month, year) = days_ago(decision_days_ago);
    let form = Form::new()
        .text("submission-key", platform::ids::new_id())
        .text("grounds", "information")
        .text("grounds", "process")
        .text("full-name", "Jo Bloggs")
        .text("postal-address", "1 High Street")
        .text("postcode", "ST16 2DJ")
        .text("email", "jo@example.com")
        .text("contact-method", "email")
        .text("review-body", NORTH.to_lowercase())
        .text("decision-day", day)
        .text("decision-month", month)
        .text("decision-year", year)
        .text("review-reference", review_reference.to_string())
        .text("supporting", "The review did not look at the noise diary.")
        .text("consent", "yes")
        .part("attachments", Part::bytes(b"diary entries".to_vec()).file_name("diary.txt"));
    app.client.post(app.url("/asb-case-review/appeal")).multipart(form).send().await.expect("sent")
}

#[tokio::test]
async fn two_officers_deciding_one_appeal_are_told_it_moved_on() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let reference = apply(&app, "northtown", "ST16 2DJ", "jo@example.com").await;
    let sent = appeal(&app, &reference, 3).await;
    let (_, page) = app.get_page(&location(&sent)).await;
    let appeal_reference = crate::support::text_of_class(&page, "app-reference").expect("appeal reference");
    let (mut first, _) = app.signed_in(Role::Caseworker).await;
    let (mut second, _) = app.signed_in(Role::Caseworker).await;
    let page = format!("/staff/asb-appeals/{appeal_reference}");
    let fields = [("outcome", "not-upheld"), ("reasons", "The review body followed its procedure.")];
    let (won, lost, html) =
        crate::races::both_act(&mut first, &mut second, &page, &format!("{page}/actions/decide"), &fields).await;
    assert_eq!((won, lost), (303, 409));
    assert!(html.contains(casekit::change::MOVED_ON));
    assert_eq!(crate::races::audited(&app, "decided appeal", &appeal_reference).await, 1, "decided once");
}

#[tokio::test]
async fn appeals_are_linked_flagged_when_late_and_decided_with_a_letter() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let reference = apply(&app, "northtown", "ST16 2DJ", "jo@example.com").await;
    let response = appeal(&app, &reference, 3).await;
    assert_eq!(response.status(), 303);
    let (status, sent) = app.get_page(&location(&response)).await;
    assert_eq!(status, 200);
    let appeal_reference = crate::support::text_of_class(&sent, "app-reference").expect("reference");
    assert!(appeal_reference.starts_with("ASBA-"));
    // Sixty days after the decision letter is outside twenty working days: accepted, flagged.
    let late = appeal(&app, "a paper review, ref 123", 60).await;
    let (_, late_page) = app.get_page(&location(&late)).await;
    assert!(late_page.contains("arrived after the usual time limit"));
    let rows: Vec<(String, i64, Option<String>, Option<String>)> =
        sqlx::query_as("SELECT reference, in_time, application_id, review_body_id FROM casework_asb_appeal ORDER BY reference")
            .fetch_all(&app.pool)
            .await
            .expect("appeals");
    assert_eq!(rows[0].1, 1);
    assert!(rows[0].2.is_some(), "linked to the application by its reference");
    assert_eq!(rows[1].1, 0);
    assert!(rows[1].2.is_none() && rows[1].3.is_some(), "not linked, but its review body was recognised by name");

    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    let page = format!("/staff/asb-appeals/{appeal_reference}");
    let token = caseworker.csrf_token(&page).await;
    let response = caseworker
        .post(
            &format!("{page}/actions/decide"),
            &[("csrf-token", &token), ("outcome", "upheld"), ("reasons", "Relevant information was missed.")],
        )
        .await;
    assert_eq!(response.status(), 422, "upheld needs directions");
    assert!(response.text().await.expect("body").contains("Enter what the review body must do again"));
    let response = caseworker
        .post(
            &format!("{page}/actions/decide"),
            &[
                ("csrf-token", &token),
                ("outcome", "upheld"),
                ("reasons", "Relevant information was missed."),
                ("directions", "Consider the noise diary."),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    // The late one needs a decision on whether to hear it before it can be decided.
    let late_page = format!("/staff/asb-appeals/{}", rows[1].0);
    let token = caseworker.csrf_token(&late_page).await;
    let response = caseworker
        .post(&format!("{late_page}/actions/decide"), &[("csrf-token", &token), ("outcome", "not-upheld"), ("reasons", "x")])
        .await;
    assert_eq!(response.status(), 422);
    let response = caseworker
        .post(
            &format!("{late_page}/actions/hearing"),
            &[("csrf-token", &token), ("hearing", "not-heard"), ("reasons", "Two months late without explanation.")],
        )
        .await;
    assert_eq!(response.status(), 303);

    let mail = outbox_to(&app, "jo@example.com").await;
    assert!(mail.iter().any(|(s, b)| s.contains(&appeal_reference)
        && b.contains("your appeal is upheld")
        && b.contains("Consider the noise diary.")));
    let json: serde_json::Value = statistics(&app, "/asb-case-review/statistics.json").await;
    assert_eq!(json["total"]["appeals_received"], 2);
    assert_eq!(json["total"]["appeals_upheld"], 1);
    // The tracker shows the appeal on the application.
    assert_eq!(app.get_page("/asb-case-review/track/nonsense").await.0, 404);
    let response = app.post_form("/asb-case-review/track", &[("reference", &reference), ("postcode", APPLICANT_POSTCODE)]).await;
    assert!(response.text().await.expect("body").contains(&format!("Appeal {appeal_reference}")));
}

#[tokio::test]
async fn reminders_go_to_the_assignee_once_and_old_cases_are_anonymised_but_still_counted() {
    // The server's own daily run of these tasks would race the test's.
    let app = TestApp::builder().without_background_work().spawn().await;
    with_review_bodies(&app).await;
    let reference = apply(&app, "northtown", "ST16 2DJ", "jo@example.com").await;
    let worker = app.staff(Role::Caseworker, true).await;
    // Received three weeks ago and never acknowledged: overdue.
    let received = calendar::uk_local_date(OffsetDateTime::now_utc()) - Duration::days(21);
    sqlx::query("UPDATE casework_asb_application SET received_on = $1, assigned_to = $2 WHERE reference = $3")
        .bind(platform::db::date(received))
        .bind(&worker.id)
        .bind(&reference)
        .execute(&app.pool)
        .await
        .expect("backdated");
    let now = OffsetDateTime::now_utc();
    assert_eq!(reminders::run(&commissioner::server::services(), &app.pool, &app.settings, now).await.expect("reminders"), 1);
    assert_eq!(
        reminders::run(&commissioner::server::services(), &app.pool, &app.settings, now).await.expect("again"),
        0,
        "never twice"
    );
    let mail = outbox_to(&app, &worker.email).await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].0.starts_with("Overdue: acknowledge the application") && mail[0].0.contains(&reference), "{}", mail[0].0);

    // Closed seven years ago: past the six-year retention period.
    let closed = received - Duration::days(7 * 366);
    sqlx::query("UPDATE casework_asb_application SET stage = 'closed', closed_on = $1 WHERE reference = $2")
        .bind(platform::db::date(closed))
        .bind(&reference)
        .execute(&app.pool)
        .await
        .expect("closed");
    assert_eq!(retention::run(&commissioner::server::services(), &app.pool, now).await.expect("retention"), 1);
    let (name, email, description, files): (String, Option<String>, String, i64) = sqlx::query_as(
        "SELECT a.applicant_name, a.email, (SELECT MIN(description) FROM casework_asb_incident i WHERE i.application_id = a.id), \
         (SELECT COUNT(*) FROM platform_file f WHERE f.owner_id = a.id) FROM casework_asb_application a WHERE a.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.pool)
    .await
    .expect("row");
    assert_eq!((name.as_str(), email, description.as_str(), files), ("Removed", None, "Removed", 0));
    assert_eq!(retention::run(&commissioner::server::services(), &app.pool, now).await.expect("again"), 0);
    let year = platform::periods::FinancialYear::containing(received);
    let json: serde_json::Value = statistics(&app, &format!("/asb-case-review/statistics.json?year={}", year.0)).await;
    assert_eq!(json["total"]["applications"], 1, "the figures keep the case");
    // The tracker no longer finds it.
    let response = app.post_form("/asb-case-review/track", &[("reference", &reference), ("postcode", APPLICANT_POSTCODE)]).await;
    assert_eq!(response.status(), 422);
}

#[tokio::test]
async fn administrators_set_the_threshold_within_the_law_and_edit_letters() {
    let app = TestApp::spawn().await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let page = "/staff/asb-case-reviews/settings";
    let token = admin.csrf_token(page).await;
    let mut fields = vec![
        ("csrf-token", token.as_str()),
        ("min-reports", "4"),
        ("window-months", "6"),
        ("reporting-lag-months", "1"),
        ("min-distinct-reporters", "0"),
        ("acknowledge", "3"),
        ("threshold-decision", "15"),
        ("review-meeting", "20"),
        ("outcome-letter", "5"),
        ("appeal-window", "21"),
        ("appeal-decision", "20"),
    ];
    let response = admin.post(page, &fields).await;
    assert_refused(response, &["the law never allows a higher number"]).await;
    fields[1] = ("min-reports", "2");
    fields.push(("variants", "hate"));
    assert_eq!(admin.post(page, &fields).await.status(), 200);
    let saved = policy::load(&app.pool).await.expect("policy");
    assert_eq!((saved.threshold.min_reports, saved.threshold.single_hate_incident, saved.timescales.acknowledge), (2, true, 3));
    let (_, start) = app.get_page("/asb-case-review").await;
    assert!(start.contains("2 incidents reported within 1 month") && start.contains("within 3 working days"));

    let template = "/staff/letter-templates/acknowledgement";
    let token = admin.csrf_token(template).await;
    let response =
        admin.post(template, &[("csrf-token", &token), ("subject", "Hello {name}"), ("body", "Dear {name}, {secret}")]).await;
    assert_refused(response, &["{secret} is not a placeholder this letter can use"]).await;
    let response = admin
        .post(template, &[("csrf-token", &token), ("subject", "We have your application {reference}"), ("body", "Hello {name}.")])
        .await;
    assert_eq!(response.status(), 303);

    let token = admin.csrf_token(page).await;
    let response = admin
        .post(
            "/staff/asb-case-reviews/settings/review-bodies",
            &[("csrf-token", &token), ("name", "West CSP"), ("email", "west@csp.example"), ("districts", "Westford, Weston")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, location_page) = app.get_page(&format!("{}/location", start_for_location(&app).await)).await;
    assert!(location_page.contains("Westford") && location_page.contains("Weston"));
}

async fn start_for_location(app: &TestApp) -> String {
    let base = start(app).await;
    answer(app, &base, "applicant", &[("applying-as", "victim")]).await;
    base
}

async fn statistics(app: &TestApp, path: &str) -> serde_json::Value {
    let text = app.get(path).await.text().await.expect("body");
    serde_json::from_str(&text).expect("JSON")
}

#[tokio::test]
async fn the_confirmation_and_the_acknowledgement_go_through_smtp_with_the_tracker_link() {
    let smtp = crate::support::SmtpServer::start().await;
    let app = TestApp::builder().mail_transport(smtp.url()).spawn().await;
    with_review_bodies(&app).await;
    let reference = apply(&app, "northtown", "ST16 2DJ", "jo@example.com").await;
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    assert_eq!(caseworker.act(&staff_page(&reference), "acknowledge", &[]).await.status(), 303);
    crate::support::eventually("three emails to be delivered", || async { smtp.messages().len() == 3 }).await;
    let (messages, office): (Vec<String>, Vec<String>) =
        smtp.messages().into_iter().partition(|m| m.contains("To: jo@example.com"));
    assert_eq!(messages.len(), 2, "the applicant's confirmation and acknowledgement");
    // The office is told of the new work, with a link and without the applicant's details.
    let told = office.first().expect("the office's notice");
    assert!(
        told.contains("To: contact@commissioner.example") && told.contains(&format!("New work: ASB case review {reference}")),
        "{told}"
    );
    assert!(
        told.contains(&format!("/staff/asb-case-reviews/{reference}"))
            && !told.contains("Jo Bloggs")
            && !told.contains("jo@example.com")
    );
    let confirmation =
        messages.iter().find(|m| m.contains("application for an anti-social behaviour case review")).expect("confirmation");
    assert!(confirmation.contains(&reference) && confirmation.contains("/asb-case-review/track/"), "{confirmation}");
    let acknowledgement = messages.iter().find(|m| m.contains("Thank you for applying")).expect("acknowledgement");
    assert!(acknowledgement.contains("We will decide whether your case meets the threshold"), "{acknowledgement}");
}

#[tokio::test]
async fn a_late_appeal_can_be_heard_and_an_appeal_made_on_paper_linked_to_its_case() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let reference = apply(&app, "northtown", "ST16 2DJ", "jo@example.com").await;
    let late = appeal(&app, "", 45).await;
    assert_eq!(late.status(), 303);
    let appeal_reference: String = app.one("SELECT reference FROM casework_asb_appeal").await;
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    let page = format!("/staff/asb-appeals/{appeal_reference}");
    let (_, html) = caseworker.get_page(&page).await;
    assert!(html.contains("Arrived late") && html.contains("Not run in Commissioner, or not linked yet"));
    let token = caseworker.csrf_token(&page).await;
    let wrong = caseworker
        .post(&format!("{page}/actions/link"), &[("csrf-token", &token), ("application-reference", "ASB-2026-999999")])
        .await;
    assert_eq!(wrong.status(), 422);
    let linked =
        caseworker.post(&format!("{page}/actions/link"), &[("csrf-token", &token), ("application-reference", &reference)]).await;
    assert_eq!(linked.status(), 303);
    let heard = caseworker.post(&format!("{page}/actions/hearing"), &[("csrf-token", &token), ("hearing", "hear")]).await;
    assert_eq!(heard.status(), 303);
    let decided = caseworker
        .post(
            &format!("{page}/actions/decide"),
            &[("csrf-token", &token), ("outcome", "not-upheld"), ("reasons", "The review considered the diary.")],
        )
        .await;
    assert_eq!(decided.status(), 303);
    let (hearing, outcome, application): (Option<String>, Option<String>, Option<String>) =
        sqlx::query_as("SELECT hearing_decision, outcome, application_id FROM casework_asb_appeal")
            .fetch_one(&app.pool)
            .await
            .expect("row");
    assert_eq!((hearing.as_deref(), outcome.as_deref()), (Some("hear"), Some("not-upheld")));
    assert!(application.is_some());
    let (_, case) = caseworker.get_page(&format!("/staff/asb-case-reviews/{reference}")).await;
    assert!(case.contains(&appeal_reference) && case.contains("Not upheld"), "the case page lists its appeal");
    // Decided appeals take no more decisions.
    let again = caseworker
        .post(
            &format!("{page}/actions/decide"),
            &[("csrf-token", &token), ("outcome", "upheld"), ("reasons", "x"), ("directions", "y")],
        )
        .await;
    assert_eq!(again.status(), 409);
    assert!(again.text().await.expect("body").contains(casekit::change::MOVED_ON));
}

#[tokio::test]
async fn an_appellant_who_wants_letters_gets_one_to_print_and_a_confirmation_email() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let (day, month, year) = days_ago(2);
    let form = Form::new()
        .text("submission-key", platform::ids::new_id())
        .text("grounds", "threshold")
        .text("full-name", "Lee Post")
        .text("postal-address", "9 Canal Side")
        .text("postcode", "ST4 1AA")
        .text("email", "lee@example.com")
        .text("contact-method", "letter")
        .text("review-body", "Elsewhere Council")
        .text("decision-day", day)
        .text("decision-month", month)
        .text("decision-year", year)
        .text("supporting", "Only two reports were counted; there were four.")
        .text("consent", "yes");
    let response = app.client.post(app.url("/asb-case-review/appeal")).multipart(form).send().await.expect("sent");
    assert_eq!(response.status(), 303);
    let channel: String = app.one("SELECT channel FROM casework_letter").await;
    assert_eq!(channel, "post", "the acknowledgement follows the chosen way");
    let mail = outbox_to(&app, "lee@example.com").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].1.contains("We will write to you by letter") && mail[0].1.contains("/asb-case-review/track/"));
}

#[tokio::test]
async fn an_appeal_refused_for_a_missing_answer_keeps_its_files_for_when_it_is_sent() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let key = platform::ids::new_id();
    let (day, month, year) = days_ago(2);
    let form = |consent: &'static str, file: Option<&'static str>| {
        let form = Form::new()
            .text("submission-key", key.clone())
            .text("grounds", "threshold")
            .text("full-name", "Lee Post")
            .text("postal-address", "9 Canal Side")
            .text("postcode", "ST4 1AA")
            .text("email", "lee@example.com")
            .text("contact-method", "email")
            .text("review-body", "Elsewhere Council")
            .text("decision-day", day.clone())
            .text("decision-month", month.clone())
            .text("decision-year", year.clone())
            .text("supporting", "Only two reports were counted; there were four.")
            .text("consent", consent);
        match file {
            Some(name) => form.part("attachments", Part::bytes(b"diary entries".to_vec()).file_name(name)),
            None => form,
        }
    };
    let send = |form: Form| app.client.post(app.url("/asb-case-review/appeal")).multipart(form).send();
    // No consent: refused, but the diary is kept and listed.
    let refused = send(form("", Some("diary.txt"))).await.expect("sent");
    let page = assert_refused(refused, &["We have kept the file you added", "diary.txt"]).await;
    assert!(!page.contains("Select your files again"));
    // Put right with another file: both go with the appeal.
    let sent = send(form("yes", Some("photos.txt"))).await.expect("sent");
    assert_eq!(sent.status(), 303);
    let names: Vec<String> = app
        .all(
            "SELECT f.original_name FROM platform_file f JOIN casework_asb_appeal a ON a.id = f.owner_id \
             WHERE f.owner_type = 'asb-appeal' ORDER BY f.original_name",
        )
        .await;
    assert_eq!(names, ["diary.txt", "photos.txt"]);
    let held: i64 = app.one("SELECT COUNT(*) FROM platform_file WHERE owner_type = 'held-form'").await;
    assert_eq!(held, 0);
}

#[tokio::test]
async fn a_file_chosen_and_then_continue_pressed_is_uploaded_not_dropped() {
    let app = TestApp::spawn().await;
    let base = start(&app).await;
    let chosen = Form::new()
        .part("evidence", Part::bytes(b"Monday: shouting until 2am".to_vec()).file_name("diary.txt"))
        .text("action", "continue");
    let response = app.client.post(app.url(&format!("{base}/evidence"))).multipart(chosen).send().await.expect("sent");
    assert_eq!(response.status(), 303, "went on");
    let kept: Vec<String> = app.all("SELECT original_name FROM platform_file WHERE owner_type = 'asb-draft'").await;
    assert_eq!(kept, ["diary.txt"]);
    // A refused file stops "Continue", saying why.
    let disguised = Form::new()
        .part("evidence", Part::bytes(b"MZ\x90\x00\x03\x00\x00\x00".to_vec()).file_name("statement.pdf"))
        .text("action", "continue");
    let response = app.client.post(app.url(&format!("{base}/evidence"))).multipart(disguised).send().await.expect("sent");
    assert_refused(response, &["The selected file must be a PDF"]).await;
    // Nothing chosen: "Continue" simply goes on.
    let nothing = Form::new().text("action", "continue");
    let response = app.client.post(app.url(&format!("{base}/evidence"))).multipart(nothing).send().await.expect("sent");
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn changing_an_incident_from_check_your_answers_returns_there() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let base = start(&app).await;
    answer_everything(&app, &base).await;
    let (_, check) = app.get_page(&format!("{base}/check")).await;
    assert!(check.contains(&format!("{base}/incidents/1")), "each incident has a change link");
    let (od, om, oy) = days_ago(40);
    let (rd, rm, ry) = days_ago(39);
    let fields = [
        ("occurred-day", od.as_str()),
        ("occurred-month", om.as_str()),
        ("occurred-year", oy.as_str()),
        ("reported-day", rd.as_str()),
        ("reported-month", rm.as_str()),
        ("reported-year", ry.as_str()),
        ("reported-to", "police"),
        ("description", "Shouting and banging on the door until 2am."),
    ];
    let changed = answer(&app, &base, "incidents/1", &fields).await;
    assert_eq!(location(&changed), format!("{base}/check"), "straight back, not through every page again");
    let (_, check) = app.get_page(&format!("{base}/check")).await;
    assert!(check.contains("Shouting and banging on the door until 2am."));
}

#[tokio::test]
async fn a_letter_is_previewed_with_the_answers_in_it_and_nothing_is_sent_until_staff_send_it() {
    let app = TestApp::spawn().await;
    with_review_bodies(&app).await;
    let reference = apply(&app, "northtown", "ST16 2DJ", "jo@example.com").await;
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    let case = staff_page(&reference);
    let letters = |app: &TestApp| {
        let pool = app.pool.clone();
        async move {
            let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM casework_letter").fetch_one(&pool).await.expect("count");
            count
        }
    };
    let before = letters(&app).await;
    let preview = caseworker.act(&case, "acknowledge", &[("preview", "yes")]).await;
    assert_eq!(preview.status(), 200);
    let page = preview.text().await.expect("page");
    assert!(page.contains("Preview: nothing has been sent yet"), "{page}");
    assert!(page.contains(&format!("Your ASB Case Review application {reference}")) && page.contains("Dear "), "{page}");
    assert_eq!(stage_of(&app, &reference).await, "received", "a preview changes nothing");
    assert_eq!(letters(&app).await, before, "and sends nothing");
    caseworker.done(&case, "acknowledge", &[]).await;

    // The decision letter carries the reasons as typed; a preview with a mistake shows the mistake instead.
    let wrong = caseworker.act(&case, "threshold", &[("preview", "yes"), ("outcome", "met")]).await;
    assert_refused(wrong, &["Enter the reasons for the decision"]).await;
    let reasons = "Three incidents were reported within six months.";
    let fields = [("preview", "yes"), ("outcome", "met"), ("reasons", reasons), ("hold-review", "yes")];
    let page = caseworker.act(&case, "threshold", &fields).await.text().await.expect("page");
    assert!(page.contains(&format!("Decision on your ASB Case Review {reference}")) && page.contains(reasons), "{page}");
    assert!(page.contains("value=\"yes\" checked"), "the answers stay in the form to send");
    assert_eq!(stage_of(&app, &reference).await, "acknowledged");
    assert_eq!(letters(&app).await, before + 1, "only the acknowledgement was sent");
}
