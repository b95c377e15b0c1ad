//! ASB case reviews ask the agencies for information: a contact at a partner organisation is
//! emailed a secret link, answers in text and documents without an account, the answer and its
//! documents join the case and the office is told; an unanswered request is chased weekly with a
//! fresh link, and the old link stops working.

use platform::access::Role;
use reqwest::multipart::{Form, Part};
use time::{Duration, OffsetDateTime};

use crate::asb::{apply, staff_page, with_review_bodies};
use crate::support::{TestApp, assert_refused, days_ago, location, outbox_to};

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const CONTACT_EMAIL: &str = "robin.hale@council.example";

fn link_in(body: &str) -> String {
    let start = body.find("/agency-request/").expect("a link in the email");
    body[start..].chars().take_while(|c| !c.is_whitespace()).collect()
}

/// A case taken to its review stage, and a request put to a council contact, due in `due_in` days.
async fn asked(app: &TestApp, due_in: i64) -> (String, String) {
    with_review_bodies(app).await;
    let reference = apply(app, "northtown", "ST16 2DJ", "jo@example.com").await;
    let (mut caseworker, worker) = app.signed_in(Role::Caseworker).await;
    let case = staff_page(&reference);
    caseworker.done(&case, "assign", &[("assignee", &worker.id)]).await;
    caseworker.done(&case, "acknowledge", &[]).await;
    let threshold = [("outcome", "met"), ("reasons", "Three incidents reported in time."), ("hold-review", "yes")];
    caseworker.done(&case, "threshold", &threshold).await;
    let contact = app.contact_at("North Borough Council", "Robin Hale", CONTACT_EMAIL).await;

    let (day, month, year) = days_ago(-due_in);
    let question = "What action has the housing team taken on the reports since March?";
    let nobody = [("contact", ""), ("question", question), ("due-day", &day), ("due-month", &month), ("due-year", &year)];
    assert_refused(caseworker.act(&case, "information-request", &nobody).await, &["Choose who to ask"]).await;
    let fields =
        [("contact", contact.as_str()), ("question", question), ("due-day", &day), ("due-month", &month), ("due-year", &year)];
    let sent = caseworker.act(&case, "information-request", &fields).await;
    assert_eq!(location(&sent), format!("{case}?done=information-request#information"));
    let (_, page) = caseworker.get_page(&location(&sent)).await;
    assert!(page.contains("The request has been emailed to the contact") && page.contains("Robin Hale"), "{page}");
    (reference, contact)
}

#[tokio::test]
async fn an_agency_answers_through_the_emailed_link_with_documents_and_the_office_is_told() {
    let app = TestApp::spawn().await;
    let (reference, _) = asked(&app, 5).await;
    let mail = outbox_to(&app, CONTACT_EMAIL).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].0, format!("Request for information for ASB case review {reference}"));
    assert!(!mail[0].1.contains("housing team taken"), "the question is behind the link, not in the email");
    let link = link_in(&mail[0].1);

    let (status, page) = app.get_page(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("What action has the housing team taken on the reports since March?"));
    assert!(!page.contains("jo@example.com"), "the applicant's details are not shown to the agency");

    // A document sent with a blank answer is kept while the answer is put right.
    let key = crate::support::text_of_input(&page, "submission-key").expect("submission key");
    let form = Form::new()
        .text("submission-key", key.clone())
        .text("response", " ")
        .part("documents", Part::bytes(PDF.to_vec()).file_name("visit-notes.pdf"));
    let blank = app.client.post(app.url(&link)).multipart(form).send().await.expect("sent");
    let page = assert_refused(blank, &["Enter your answer"]).await;
    assert!(page.contains("visit-notes.pdf"), "the document chosen is kept");

    let answer = "Two warning letters sent in April; a tenancy enforcement visit took place on 2 May.";
    let form = Form::new().text("submission-key", key).text("response", answer);
    let sent = app.client.post(app.url(&link)).multipart(form).send().await.expect("sent");
    assert_eq!(location(&sent), format!("{link}?sent=yes"));
    let (_, thanks) = app.get_page(&location(&sent)).await;
    assert!(thanks.contains("your answer has been added to the case review"));

    let (by, recorded): (String, String) = sqlx::query_as(
        "SELECT responded_by, response FROM casework_asb_information_request r \
         JOIN casework_asb_application a ON a.id = r.application_id WHERE a.reference = $1",
    )
    .bind(&reference)
    .fetch_one(&app.pool)
    .await
    .expect("request");
    assert_eq!(recorded, answer);
    assert!(by.starts_with("Robin Hale (North Borough Council)"), "{by}");
    let audited: Vec<String> = app
        .values(
            "SELECT actor_label FROM platform_audit_event WHERE action = 'recorded information' AND record_id = $1",
            &reference,
        )
        .await;
    assert_eq!(audited.len(), 1);
    assert!(audited[0].starts_with("Robin Hale"), "{audited:?}");

    // The office is told, and the document is on the case page, downloaded with an audit entry.
    let office: String = app.one("SELECT email FROM platform_office WHERE id = 1").await;
    let told = outbox_to(&app, &office).await;
    assert!(
        told.iter().any(|(subject, _)| subject == &format!("New work: Agency’s answer for ASB case review {reference}")),
        "{told:?}"
    );
    let (caseworker, _) = app.signed_in(Role::Caseworker).await;
    let (_, case) = caseworker.get_page(&staff_page(&reference)).await;
    assert!(case.contains(answer) && case.contains("visit-notes.pdf"), "{case}");
    let start = case.find("/agency-documents/").expect("document link");
    let href = format!("{}{}", staff_page(&reference), &case[start..case[start..].find('"').map(|e| start + e).expect("end")]);
    let download = caseworker.get(&href).await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.expect("bytes").as_ref(), PDF);
    // Someone with a made-up link learns nothing.
    assert_eq!(app.get("/agency-request/0123456789abcdef0123456789abcdef").await.status(), 404);
}

#[tokio::test]
async fn an_unanswered_request_is_chased_weekly_with_a_fresh_link_and_an_expired_link_says_so() {
    let app = TestApp::spawn().await;
    let (reference, _) = asked(&app, 2).await;
    let first = link_in(&outbox_to(&app, CONTACT_EMAIL).await[0].1);
    let chase = |days: i64| {
        let (pool, settings) = (app.pool.clone(), app.settings.clone());
        async move {
            casework::asb::agency::chase(&pool, &settings, OffsetDateTime::now_utc() + Duration::days(days)).await.expect("chase")
        }
    };
    assert_eq!(chase(1).await, 0, "not before it is due");
    assert_eq!(chase(3).await, 1, "the day after the reply date");
    assert_eq!(chase(3).await, 0, "never twice the same day");
    assert_eq!(chase(9).await, 0, "not again within the week");
    assert_eq!(chase(10).await, 1, "a week later");
    let mail = outbox_to(&app, CONTACT_EMAIL).await;
    assert_eq!(mail.len(), 3);
    assert!(mail[1].0.starts_with("Reminder: information for ASB case review") && mail[1].1.contains("replaces the one"));
    assert_eq!(app.get(&first).await.status(), 404, "a chase's link replaces the earlier one");
    let newest = link_in(&mail[2].1);
    assert_eq!(app.get(&newest).await.status(), 200);
    let (_, case) = app.signed_in(Role::Caseworker).await.0.get_page(&staff_page(&reference)).await;
    assert!(case.contains("Chased twice, last on"), "{case}");
    let chased: Vec<String> = app
        .values("SELECT action FROM platform_audit_event WHERE record_id = $1 AND action = 'chased an agency'", &reference)
        .await;
    assert_eq!(chased.len(), 2);

    sqlx::query("UPDATE casework_asb_information_request SET link_expires_at = '2020-01-01'")
        .execute(&app.pool)
        .await
        .expect("expire");
    let expired = app.get(&newest).await;
    assert_eq!(expired.status(), 410);
    assert!(expired.text().await.expect("body").contains("This link has expired"));
    let form = Form::new().text("response", "Late answer");
    let late = app.client.post(app.url(&newest)).multipart(form).send().await.expect("sent");
    assert_eq!(late.status(), 410, "an expired link takes no answer");
}
