//! Partner organisations as records: a partner sees its own organisation's cases and no other's,
//! on every route a partner may follow; renaming the organisation keeps its access; the
//! administrator's page explains every mistake.

use platform::access::Role;
use time::OffsetDateTime;

use crate::support::with_demo_cases;
use crate::support::{TestApp, Visitor, assert_refused};

/// An ASB case of a review body that has another body's case to compare with: (reference, its
/// organisation's id and name, another body's organisation's name).
async fn case_of_a_body(app: &TestApp) -> (String, String, String, String) {
    let (reference, organisation_id, name): (String, String, String) = sqlx::query_as(
        "SELECT a.reference, b.organisation_id, o.name FROM casework_asb_application a \
         JOIN casework_asb_review_body b ON b.id = a.review_body_id JOIN platform_organisation o ON o.id = b.organisation_id \
         ORDER BY a.reference LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a demo case with its review body");
    let other: String = app
        .value(
            "SELECT o.name FROM casework_asb_review_body b JOIN platform_organisation o ON o.id = b.organisation_id \
         WHERE b.organisation_id <> $1 ORDER BY o.name LIMIT 1",
            &organisation_id,
        )
        .await;
    (reference, organisation_id, name, other)
}

/// Every page of a case a partner may open: the case, and its letters and files as PDF or page.
async fn partner_pages(app: &TestApp, reference: &str) -> Vec<String> {
    let case = format!("/staff/asb-case-reviews/{reference}");
    let mut pages = vec![case.clone()];
    let letters: Vec<String> = app
        .values(
            "SELECT l.id FROM casework_letter l JOIN casework_asb_application a ON a.id = l.case_id \
         WHERE l.case_type = 'application' AND a.reference = $1",
            reference,
        )
        .await;
    for letter in letters {
        pages.push(format!("{case}/letters/{letter}"));
        pages.push(format!("{case}/letters/{letter}/pdf"));
    }
    let files: Vec<String> = app
        .values(
            "SELECT f.id FROM platform_file f JOIN casework_asb_application a ON a.id = f.owner_id WHERE a.reference = $1",
            reference,
        )
        .await;
    pages.extend(files.into_iter().map(|file| format!("{case}/files/{file}")));
    pages
}

async fn statuses(visitor: &Visitor<'_>, pages: &[String]) -> Vec<u16> {
    let mut out = Vec::new();
    for page in pages {
        out.push(visitor.get(page).await.status().as_u16());
    }
    out
}

#[tokio::test]
async fn a_partner_sees_only_its_organisations_cases_and_keeps_them_when_it_is_renamed() {
    let app = TestApp::spawn().await;
    with_demo_cases(&app).await;
    let (reference, organisation_id, name, other) = case_of_a_body(&app).await;
    let pages = partner_pages(&app, &reference).await;
    let ours = app.partner(&name).await;
    let theirs = app.partner(&other).await;
    let ours_visitor = app.session_for(&ours).await;
    let mut theirs_visitor = app.session_for(&theirs).await;
    assert!(statuses(&ours_visitor, &pages).await.iter().all(|s| *s == 200), "{pages:?}");
    assert!(statuses(&theirs_visitor, &pages).await.iter().all(|s| *s == 404), "another body's partner sees none of {pages:?}");
    let (_, queue) = theirs_visitor.get_page("/staff/asb-case-reviews").await;
    assert!(!queue.contains(&reference));
    let token = theirs_visitor.csrf_token("/staff").await;
    let request = format!("/staff/asb-case-reviews/{reference}/information-requests/any");
    assert_eq!(theirs_visitor.post(&request, &[("csrf-token", &token), ("response", "Not ours")]).await.status(), 404);

    // The organisation is renamed: its partner keeps every page, nobody else gains one.
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let edit = format!("/staff/admin/organisations/{organisation_id}");
    let token = admin.csrf_token(&edit).await;
    let response = admin.post(&edit, &[("csrf-token", &token), ("name", &other.to_uppercase())]).await;
    assert_eq!(response.status(), 422, "two organisations cannot share a name, whatever its case");
    assert!(response.text().await.expect("body").contains(&format!("There is already an organisation called {other}")));
    let token = admin.csrf_token(&edit).await;
    let response = admin.post(&edit, &[("csrf-token", &token), ("name", "Northshire Safer Communities")]).await;
    assert_eq!(response.status(), 303);
    assert!(statuses(&ours_visitor, &pages).await.iter().all(|s| *s == 200), "renaming keeps access");
    assert!(statuses(&theirs_visitor, &pages).await.iter().all(|s| *s == 404));
    let (_, home) = ours_visitor.get_page("/staff").await;
    assert!(home.contains("Northshire Safer Communities"), "the new name is shown");
    let renamed: String = app.one("SELECT detail FROM platform_audit_event WHERE action = 'renamed organisation'").await;
    assert_eq!(renamed, format!("{name} → Northshire Safer Communities"));
}

#[tokio::test]
async fn the_forces_standards_department_keeps_its_reviews_when_renamed_and_a_review_body_sees_none() {
    let app = TestApp::spawn().await;
    with_demo_cases(&app).await;
    let psd_id: String = app.one("SELECT psd_organisation_id FROM casework_complaint_policy WHERE id = 1").await;
    let reference: String = app
        .one("SELECT reference FROM casework_complaint_review WHERE file_requested_on IS NOT NULL ORDER BY reference LIMIT 1")
        .await;
    let page = format!("/staff/complaint-reviews/{reference}");
    let psd = app.partner(casework::complaints::demo::PSD_ORGANISATION).await;
    let psd_visitor = app.session_for(&psd).await;
    assert_eq!(psd_visitor.get(&page).await.status(), 200);
    let (_, _, body_name, _) = case_of_a_body(&app).await;
    let review_body = app.partner(&body_name).await;
    assert_eq!(app.session_for(&review_body).await.get(&page).await.status(), 404);

    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let edit = format!("/staff/admin/organisations/{psd_id}");
    let token = admin.csrf_token(&edit).await;
    assert_eq!(admin.post(&edit, &[("csrf-token", &token), ("name", "Staffordshire Police Standards")]).await.status(), 303);
    assert_eq!(psd_visitor.get(&page).await.status(), 200, "renaming keeps access");
    // Saving the complaint settings again keeps the link, whatever the PSD is called in letters.
    let mut policy = casework::complaints::policy::load(&app.pool).await.expect("policy");
    policy.psd_name = "Professional Standards, Staffordshire Police".into();
    let actor = platform::audit::Actor::system("test");
    casework::complaints::policy::save(&app.pool, &policy, &actor, OffsetDateTime::now_utc()).await.expect("saved");
    let still: Option<String> = app.one("SELECT psd_organisation_id FROM casework_complaint_policy WHERE id = 1").await;
    assert_eq!(still.as_deref(), Some(psd_id.as_str()));
    assert_eq!(psd_visitor.get(&page).await.status(), 200);
}

#[tokio::test]
async fn an_administrator_adds_an_organisation_and_a_partner_account_in_it() {
    let app = TestApp::spawn().await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let page = "/staff/admin/organisations";
    let token = admin.csrf_token(page).await;
    let response = admin.post(page, &[("csrf-token", &token), ("name", " "), ("email", "not an email")]).await;
    assert_refused(
        response,
        &[
            "Enter the organisation’s name",
            "Select what kind of organisation it is",
            "Enter an email address in the correct format",
        ],
    )
    .await;
    let fields = |name: &'static str, token: &str| {
        vec![("csrf-token".to_string(), token.to_string()), ("name".into(), name.into()), ("kind".into(), "provider".into())]
    };
    let token = admin.csrf_token(page).await;
    let add = fields("Victim Support West Midlands", &token);
    let add: Vec<(&str, &str)> = add.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = admin.post(page, &add).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.expect("body").contains("Victim Support West Midlands added"));
    let token = admin.csrf_token(page).await;
    let again = fields("victim support west midlands", &token);
    let again: Vec<(&str, &str)> = again.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let response = admin.post(page, &again).await;
    assert_eq!(response.status(), 422);
    assert!(
        response.text().await.expect("body").contains("There is already an organisation called Victim Support West Midlands")
    );

    // A partner account belongs to it, chosen from the list; only partners belong to one.
    let id: String = app.one("SELECT id FROM platform_organisation WHERE name = 'Victim Support West Midlands'").await;
    let users = "/staff/admin/users";
    let (_, html) = admin.get_page(users).await;
    assert!(
        html.contains(&format!("<option value=\"{id}\">Victim Support West Midlands</option>")),
        "offered on the accounts page"
    );
    let account = |role: &'static str, organisation: &str, token: &str| {
        vec![
            ("csrf-token".to_string(), token.to_string()),
            ("display-name".into(), "Sam Provider".into()),
            ("email".into(), format!("sam-{role}@provider.example")),
            ("role".into(), role.into()),
            ("organisation".into(), organisation.into()),
        ]
    };
    for (role, organisation, message) in [
        ("caseworker", id.as_str(), "Only partner accounts belong to an outside organisation"),
        ("partner", "no-such-organisation", "Select an organisation from the list"),
    ] {
        let token = admin.csrf_token(users).await;
        let form = account(role, organisation, &token);
        let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let response = admin.post(users, &form).await;
        assert_eq!(response.status(), 422, "{role} in {organisation}");
        assert!(response.text().await.expect("body").contains(message), "{message}");
    }
    let token = admin.csrf_token(users).await;
    let form = account("partner", &id, &token);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(admin.post(users, &form).await.status(), 200);
    let (_, html) = admin.get_page(page).await;
    assert!(html.contains("Sam Provider (sam-partner@provider.example)"), "the organisation lists its accounts");
}

/// A partner's navigation offers only their organisation's work: a community safety
/// partnership's account no complaint reviews, a standards department's no ASB case reviews.
#[tokio::test]
async fn partners_are_offered_only_their_own_work() {
    let app = TestApp::spawn().await;
    let partnership = app.partner(casework::asb::demo::PARTNER_ORGANISATION).await;
    let partnership = app.session_for(&partnership).await;
    let (_, home) = partnership.get_page("/staff").await;
    assert!(home.contains(r#"href="/staff/asb-case-reviews""#), "{home}");
    assert!(!home.contains(r#"href="/staff/complaint-reviews""#));
    let department = app.partner(casework::complaints::demo::PSD_ORGANISATION).await;
    let department = app.session_for(&department).await;
    let (_, home) = department.get_page("/staff").await;
    assert!(home.contains(r#"href="/staff/complaint-reviews""#));
    assert!(!home.contains(r#"href="/staff/asb-case-reviews""#));
}

#[tokio::test]
async fn an_administrator_keeps_each_organisations_contacts_and_every_change_is_audited() {
    let app = TestApp::spawn().await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let id = app.organisation_named("Riverside Housing Trust").await;
    let page = format!("/staff/admin/organisations/{id}");
    let add = format!("{page}/contacts");
    let wrong = [("contact-name", " "), ("contact-email", "not an address"), ("job-title", "")];
    let refused = admin.post_from(&page, &add, &wrong).await;
    let html = assert_refused(refused, &["Enter the contact’s name", "Enter an email address in the correct format"]).await;
    assert!(html.contains("value=\"not an address\""), "what was typed is kept");

    let fields =
        [("contact-name", "Dana Price"), ("contact-email", "dana.price@riverside.example"), ("job-title", "Tenancy officer")];
    let added = admin.post_from(&page, &add, &fields).await;
    assert_eq!(crate::support::location(&added), format!("{page}?said=contact-added#contacts"));
    let (_, html) = admin.get_page(&format!("{page}?said=contact-added")).await;
    assert!(html.contains("Contact added") && html.contains("dana.price@riverside.example") && html.contains("Tenancy officer"));
    let (_, list) = admin.get_page("/staff/admin/organisations").await;
    assert!(list.contains("Dana Price"), "the list shows each organisation's contacts");
    let contacts = platform::organisations::contacts::of(&app.pool, &id).await.expect("contacts");
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].described(), "Dana Price, Tenancy officer (Riverside Housing Trust)");

    let remove = format!("{page}/contacts/{}/remove", contacts[0].id);
    assert_eq!(admin.post_from(&page, &remove, &[]).await.status(), 303);
    assert_eq!(admin.post_from(&page, &remove, &[]).await.status(), 404, "removed once");
    assert!(platform::organisations::contacts::of(&app.pool, &id).await.expect("contacts").is_empty());
    let actions: Vec<String> = app.values("SELECT action FROM platform_audit_event WHERE record_id = $1 ORDER BY seq", &id).await;
    assert!(actions.ends_with(&["added contact".to_string(), "removed contact".to_string()]), "{actions:?}");
    let (_, log) = admin.get_page("/staff/admin/audit?record=organisation").await;
    assert!(log.contains("organisation Riverside Housing Trust") && !log.contains(&format!("organisation {id}")), "named");
}
