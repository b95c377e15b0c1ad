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
