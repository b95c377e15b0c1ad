//! The administrator's accounts pages: a new account chooses its own password through an
//! emailed link, accounts are changed (name, role, organisation) with the change audited and
//! the person's sessions ended, and each account shows when it last signed in.

use platform::access::Role;
use platform::auth::store;

use crate::support::{TestApp, TestStaff, assert_refused, outbox_to};

fn link_in(body: &str) -> String {
    let start = body.find("/staff/password-reset/").expect("a link in the email");
    body[start..].chars().take_while(|c| !c.is_whitespace()).collect()
}

#[tokio::test]
async fn a_new_account_chooses_its_own_password_from_an_emailed_link() {
    let app = TestApp::spawn().await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let users = "/staff/admin/users";
    let (_, page) = admin.get_page(users).await;
    assert!(!page.contains("type=\"password\""), "an administrator never types a password");
    let fields = [("display-name", "Robin Example"), ("email", "robin@office.example"), ("role", "performance-officer")];
    let added = admin.post_from(users, users, &fields).await;
    assert_eq!(added.status(), 200);
    assert!(added.text().await.expect("page").contains("emailed a link to choose a password to robin@office.example"));

    let (_, list) = admin.get_page(users).await;
    let row = &list[list.find("Robin Example").expect("listed")..];
    assert!(row[..row.find("</tr>").expect("row")].contains("Never"), "not signed in yet");

    let mail = outbox_to(&app, "robin@office.example").await;
    assert_eq!(mail.len(), 1);
    assert!(mail[0].0.starts_with("Choose a password for your"), "{}", mail[0].0);
    assert!(mail[0].1.contains("for 3 days"), "{}", mail[0].1);
    let link = link_in(&mail[0].1);
    let mut robin = app.visitor();
    assert_eq!(robin.post(&link, &[("password", "a tall lighthouse by the sea")]).await.status(), 303);
    let user = store::find_by_email(&app.pool, "robin@office.example").await.expect("find").expect("robin");
    let chosen = TestStaff {
        id: user.id.clone(),
        email: user.email.clone(),
        password: "a tall lighthouse by the sea".into(),
        totp_secret: None,
        role: Role::PerformanceOfficer,
    };
    robin.sign_in(&chosen).await;

    // The account says when it last signed in; a new link spends the old one.
    let account = format!("{users}/{}", user.id);
    let (_, page) = admin.get_page(&account).await;
    assert!(!page.contains("Never"), "Robin has signed in: {page}");
    let sent = admin.post_from(&account, &format!("{account}/password-link"), &[]).await;
    assert_eq!(sent.status(), 303);
    let mail = outbox_to(&app, "robin@office.example").await;
    assert_eq!(mail.len(), 2);
    assert_eq!(robin.get(&link).await.status(), 410, "the first link is spent");
    assert_eq!(robin.get(&link_in(&mail[1].1)).await.status(), 200);
}

#[tokio::test]
async fn an_administrator_changes_an_account_and_the_change_takes_effect_at_once() {
    let app = TestApp::spawn().await;
    let (mut admin, admin_staff) = app.signed_in(Role::Administrator).await;
    let (caseworker, staff) = app.signed_in(Role::Caseworker).await;
    let account = format!("/staff/admin/users/{}", staff.id);
    let (status, page) = admin.get_page(&account).await;
    assert_eq!(status, 200);
    assert!(page.contains(&staff.email));

    // Mistakes are named; a partner needs an organisation.
    let blank = admin.post_from(&account, &account, &[("display-name", " "), ("role", "caseworker")]).await;
    assert_refused(blank, &["Enter the person’s name"]).await;
    let partner = admin.post_from(&account, &account, &[("display-name", "Sam"), ("role", "partner")]).await;
    assert_refused(partner, &["Select the partner’s organisation"]).await;

    // Made a transparency officer: signed out, and audited with what changed.
    let fields = [("display-name", "Sam Moved"), ("role", "transparency-officer"), ("organisation", "")];
    let changed = admin.post_from(&account, &account, &fields).await;
    assert_eq!(changed.status(), 303);
    assert_eq!(caseworker.get("/staff").await.status(), 303, "the old session ended");
    let user = store::find_by_id(&app.pool, &staff.id).await.expect("find").expect("user");
    assert_eq!((user.display_name.as_str(), user.role), ("Sam Moved", Role::TransparencyOfficer));
    let details: Vec<String> = app
        .values("SELECT detail FROM platform_audit_event WHERE action = 'changed account' AND record_id = $1", &staff.id)
        .await;
    assert_eq!(details, ["name and role caseworker to transparency-officer"]);

    // An administrator cannot demote themselves and lock the office out.
    let own = format!("/staff/admin/users/{}", admin_staff.id);
    let demote = admin.post_from(&own, &own, &[("display-name", "Me"), ("role", "caseworker")]).await;
    assert_refused(demote, &["You cannot take away your own administrator role"]).await;
    assert_eq!(admin.get("/staff/admin/users/not-an-id").await.status(), 404);
}

async fn message_from(app: &TestApp, name: &str) -> String {
    let fields = [("full-name", name), ("contact-method", "email"), ("email", "someone@example.com"), ("message", "Hello")];
    let sent = app.post_form("/contact", &fields).await;
    let (_, receipt) = app.get_page(&crate::support::location(&sent)).await;
    crate::support::text_of_class(&receipt, "app-reference").expect("reference")
}

#[tokio::test]
async fn a_leavers_open_cases_are_handed_over_in_one_step_across_services() {
    let app = TestApp::spawn().await;
    crate::support::with_demo_cases(&app).await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let (mut leaver, leaver_staff) = app.signed_in(Role::Caseworker).await;
    let successor = app.staff(Role::Caseworker, false).await;
    let (open, closed) = (message_from(&app, "Ada Open").await, message_from(&app, "Bea Closed").await);
    for reference in [&open, &closed] {
        let page = format!("/staff/messages/{reference}");
        assert_eq!(leaver.post_from(&page, &format!("{page}/actions/assign-to-me"), &[]).await.status(), 303);
    }
    let page = format!("/staff/messages/{closed}");
    assert_eq!(leaver.post_from(&page, &format!("{page}/actions/close"), &[("outcome", "answered")]).await.status(), 303);
    // An open information request assigned to the leaver too (by their id, as the queue does).
    let request: String = app.one("SELECT MIN(reference) FROM casework_information_request WHERE closed_on IS NULL").await;
    sqlx::query("UPDATE casework_information_request SET assigned_to = $1 WHERE reference = $2")
        .bind(&leaver_staff.id)
        .bind(&request)
        .execute(&app.pool)
        .await
        .expect("assign");

    let account = format!("/staff/admin/users/{}", leaver_staff.id);
    let (_, page) = admin.get_page(&account).await;
    assert!(page.contains("Messages from the public</a>: 1") && page.contains("Information requests</a>: 1"), "{page}");
    assert!(page.contains("hand all 2 over"), "the closed message is not counted");
    let hand_over = format!("{account}/hand-over");
    assert_refused(admin.post_from(&account, &hand_over, &[("successor", "")]).await, &["Choose who takes over these cases"])
        .await;
    let to_self = admin.post_from(&account, &hand_over, &[("successor", leaver_staff.id.as_str())]).await;
    assert_refused(to_self, &["Choose who takes over these cases"]).await;

    let moved = admin.post_from(&account, &hand_over, &[("successor", successor.id.as_str())]).await;
    assert_eq!(crate::support::location(&moved), format!("{account}?said=handed-over"));
    let holder = |sql: &'static str, reference: String| {
        let app = &app;
        async move { app.value::<Option<String>>(sql, &reference).await }
    };
    let message_holder = "SELECT assigned_to FROM correspondence_contact_message WHERE reference = $1";
    assert_eq!(holder(message_holder, open.clone()).await.as_deref(), Some(successor.id.as_str()));
    assert_eq!(holder(message_holder, closed.clone()).await.as_deref(), Some(leaver_staff.id.as_str()), "closed stays");
    let request_holder = "SELECT assigned_to FROM casework_information_request WHERE reference = $1";
    assert_eq!(holder(request_holder, request.clone()).await.as_deref(), Some(successor.id.as_str()));
    let audited: Vec<String> =
        app.values("SELECT record_id FROM platform_audit_event WHERE action = $1 ORDER BY record_id", "handed over").await;
    let mut expected = vec![open, request];
    expected.sort();
    assert_eq!(audited, expected);
    let (_, page) = admin.get_page(&format!("{account}?said=handed-over")).await;
    assert!(page.contains("Their open cases have been handed over") && page.contains("None."));
}

#[tokio::test]
async fn ticked_cases_are_assigned_at_once_from_a_queue_and_only_open_ones_change() {
    let app = TestApp::spawn().await;
    crate::support::with_demo_cases(&app).await;
    let (mut caseworker, _) = app.signed_in(Role::Caseworker).await;
    let colleague = app.staff(Role::Caseworker, false).await;
    let queue = "/staff/complaint-reviews";
    let references: Vec<String> =
        app.all("SELECT reference FROM casework_complaint_review WHERE closed_on IS NULL ORDER BY reference").await;
    assert!(references.len() >= 2, "the demo has open reviews");
    let (_, page) = caseworker.get_page(queue).await;
    assert!(page.contains(&format!("id=\"case-{}\"", references[0])) && page.contains("Assign the ticked cases"));

    let assign = format!("{queue}/assign");
    let nothing = caseworker.post_from(queue, &assign, &[("assignee", colleague.id.as_str())]).await;
    let back = crate::support::location(&nothing);
    assert_eq!(back, format!("{queue}?assign-problem=no-cases#bulk-assign"));
    let (_, page) = caseworker.get_page(&back).await;
    assert!(page.contains("govuk-error-summary") && page.contains("Select the cases to assign"));
    let nobody = caseworker.post_from(queue, &assign, &[("cases", references[0].as_str())]).await;
    let (_, page) = caseworker.get_page(&crate::support::location(&nobody)).await;
    assert!(page.contains("Select who to assign the cases to"));

    let ticked = [("cases", references[0].as_str()), ("cases", references[1].as_str()), ("assignee", colleague.id.as_str())];
    let done = caseworker.post_from(queue, &assign, &ticked).await;
    let (_, page) = caseworker.get_page(&crate::support::location(&done)).await;
    assert!(page.contains("2 cases assigned to"), "{page}");
    for reference in &references[..2] {
        let holder: Option<String> =
            app.value("SELECT assigned_to FROM casework_complaint_review WHERE reference = $1", reference).await;
        assert_eq!(holder.as_deref(), Some(colleague.id.as_str()));
    }
    let audited: Vec<String> = app.values("SELECT record_id FROM platform_audit_event WHERE action = $1", "assigned").await;
    assert!(references[..2].iter().all(|r| audited.contains(r)), "{audited:?}");

    // Information requests are assigned to the people who answer them, and named in the queue.
    let (mut officer, officer_staff) = app.signed_in(Role::TransparencyOfficer).await;
    let request: String = app.one("SELECT MIN(reference) FROM casework_information_request WHERE closed_on IS NULL").await;
    let queue = "/staff/information-requests";
    let done = officer
        .post_from(queue, &format!("{queue}/assign"), &[("cases", request.as_str()), ("assignee", officer_staff.id.as_str())])
        .await;
    let (_, page) = officer.get_page(&crate::support::location(&done)).await;
    assert!(page.contains("1 case assigned to") && !page.contains(&format!(">{}<", officer_staff.id)), "named, not an id");
    // A caseworker cannot be given an information request, nor use its queue.
    let refused = officer
        .post_from(queue, &format!("{queue}/assign"), &[("cases", request.as_str()), ("assignee", colleague.id.as_str())])
        .await;
    assert!(crate::support::location(&refused).contains("assign-problem=no-assignee"));
}
