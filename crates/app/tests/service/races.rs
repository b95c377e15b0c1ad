//! Two officers act on the same case at once: the first moves it on, the second is told so on
//! the page they were on (409, the same words in every service), and nothing is done twice.

use casekit::change::MOVED_ON;
use platform::access::Role;

use crate::support::with_demo_cases;
use crate::support::{TestApp, Visitor};

/// Both officers have the case open; each then takes the same step. Returns the two statuses and
/// the second one's page.
pub async fn both_act(
    first: &mut Visitor<'_>,
    second: &mut Visitor<'_>,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> (u16, u16, String) {
    let (first_token, second_token) = (first.csrf_token(page).await, second.csrf_token(page).await);
    let with = |token: &str| {
        let mut all = vec![("csrf-token".to_string(), token.to_string())];
        all.extend(fields.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        all
    };
    let (a, b) = (with(&first_token), with(&second_token));
    let a: Vec<(&str, &str)> = a.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let b: Vec<(&str, &str)> = b.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let won = first.post(path, &a).await.status().as_u16();
    let lost = second.post(path, &b).await;
    let status = lost.status().as_u16();
    (won, status, lost.text().await.expect("body"))
}

pub async fn audited(app: &TestApp, action: &str, reference: &str) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM platform_audit_event WHERE action = $1 AND record_id = $2")
        .bind(action)
        .bind(reference)
        .fetch_one(&app.pool)
        .await
        .expect("audit")
}

async fn first_reference(app: &TestApp, sql: &str) -> String {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string())).fetch_one(&app.pool).await.expect("a demo case to act on")
}

#[tokio::test]
async fn two_caseworkers_acknowledge_one_asb_application() {
    let app = TestApp::spawn().await;
    with_demo_cases(&app).await;
    let (mut first, _) = app.signed_in(Role::Caseworker).await;
    let (mut second, _) = app.signed_in(Role::Caseworker).await;
    let reference = first_reference(&app, "SELECT reference FROM casework_asb_application ORDER BY reference LIMIT 1").await;
    // Just arrived, as far as anyone knows.
    sqlx::query("UPDATE casework_asb_application SET stage = 'received', acknowledged_on = NULL WHERE reference = $1")
        .bind(&reference)
        .execute(&app.pool)
        .await
        .expect("received");
    let page = format!("/staff/asb-case-reviews/{reference}");
    let (won, lost, html) = both_act(&mut first, &mut second, &page, &format!("{page}/actions/acknowledge"), &[]).await;
    assert_eq!((won, lost), (303, 409));
    assert!(html.contains(MOVED_ON) && html.contains("govuk-error-summary"), "told on the case page");
    assert_eq!(audited(&app, "acknowledged", &reference).await, 1, "acknowledged once");
}

#[tokio::test]
async fn two_caseworkers_acknowledge_one_complaint_review() {
    let app = TestApp::spawn().await;
    with_demo_cases(&app).await;
    let (mut first, _) = app.signed_in(Role::Caseworker).await;
    let (mut second, _) = app.signed_in(Role::Caseworker).await;
    let reference = first_reference(
        &app,
        "SELECT reference FROM casework_complaint_review WHERE stage = 'received' ORDER BY reference LIMIT 1",
    )
    .await;
    let page = format!("/staff/complaint-reviews/{reference}");
    let (won, lost, html) = both_act(&mut first, &mut second, &page, &format!("{page}/actions/acknowledge"), &[]).await;
    assert_eq!((won, lost), (303, 409));
    assert!(html.contains(MOVED_ON) && html.contains("govuk-error-summary"));
    let letters: i64 = app
        .value(
            "SELECT COUNT(*) FROM casework_letter l JOIN casework_complaint_review r ON r.id = l.case_id WHERE r.reference = $1",
            &reference,
        )
        .await;
    assert_eq!(letters, 1, "one acknowledgement letter");
}

#[tokio::test]
async fn two_officers_send_and_publish_one_information_request() {
    let app = TestApp::spawn().await;
    with_demo_cases(&app).await;
    let (mut first, _) = app.signed_in(Role::TransparencyOfficer).await;
    let (mut second, _) = app.signed_in(Role::Administrator).await;
    let reference = first_reference(
        &app,
        "SELECT reference FROM casework_information_request WHERE kind = 'foi' AND responded_on IS NULL ORDER BY reference LIMIT 1",
    )
    .await;
    sqlx::query(
        "UPDATE casework_information_request SET outcome = 'disclosed', response_text = 'The figures are attached.', \
         approved_by = 'An approver', approved_on = received_on WHERE reference = $1",
    )
    .bind(&reference)
    .execute(&app.pool)
    .await
    .expect("approved");
    let page = format!("/staff/information-requests/{reference}");
    let (won, lost, html) = both_act(&mut first, &mut second, &page, &format!("{page}/actions/send"), &[]).await;
    assert_eq!((won, lost), (303, 409));
    assert!(html.contains(MOVED_ON));
    assert_eq!(audited(&app, "sent the response", &reference).await, 1, "sent once");

    let fields = [("title", "Figures asked for"), ("topic", "Policing")];
    let (won, lost, html) = both_act(&mut first, &mut second, &page, &format!("{page}/actions/publish"), &fields).await;
    assert_eq!((won, lost), (303, 409));
    assert!(html.contains(MOVED_ON));
    let entries: i64 = app.value("SELECT COUNT(*) FROM casework_disclosure_entry WHERE reference = $1", &reference).await;
    assert_eq!(entries, 1, "the log holds the answer once");
}
