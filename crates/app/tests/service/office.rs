//! The office itself: set up for a force area with its governance, and changed later by an
//! administrator, every change audited; the governing body's words follow the governance on
//! every public page.

use platform::access::Role;
use platform::office::{self, Governance};

use crate::support::TestApp;

const PAGE: &str = "/staff/admin/office";

fn form<'a>(name: &'a str, governance: &'a str, from: [&'a str; 3]) -> Vec<(&'a str, &'a str)> {
    vec![
        ("name", name),
        ("area", "West Yorkshire"),
        ("email", "contact@westyorks.example"),
        ("telephone", "01632 960 200"),
        ("postal-address", "1 Example Street\nWakefield"),
        ("introduction", "The Mayor holds West Yorkshire Police to account."),
        ("privacy-contact", "dpo@westyorks.example"),
        ("governance", governance),
        ("from-day", from[0]),
        ("from-month", from[1]),
        ("from-year", from[2]),
    ]
}

#[tokio::test]
async fn an_administrator_changes_the_office_and_its_governance_and_the_public_pages_follow() {
    let app = TestApp::spawn().await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    let (status, page) = admin.get_page(PAGE).await;
    assert_eq!(status, 200);
    assert!(page.contains("Who governs policing in the area?"));

    // Mistakes are named, and nothing is saved.
    let bad = admin.post_from(PAGE, PAGE, &form("", "sheriff", ["31", "2", "2020"])).await;
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.expect("page");
    for message in [
        "Enter the name of the office",
        "Select who governs policing in the area",
        "the date the change takes effect must be a real date",
    ] {
        assert!(html.to_lowercase().contains(&message.to_lowercase()), "{message}: {html}");
    }

    // A mayor from today: the public pages say so at once.
    let saved = admin.post_from(PAGE, PAGE, &form("West Yorkshire Mayor’s Office", "mayor", ["", "", ""])).await;
    assert_eq!(saved.status(), 303);
    let (_, home) = app.get_page("/").await;
    assert!(home.contains("Contact the Mayor’s office") && home.contains("The Mayor holds"), "{home}");
    let (_, contact) = app.get_page("/contact").await;
    assert!(contact.contains("<h1 class=\"govuk-heading-l\">Contact the Mayor’s office</h1>"));
    let (_, privacy) = app.get_page("/privacy").await;
    assert!(privacy.contains("mailto:dpo@westyorks.example") && privacy.contains("the duties of the Mayor"), "{privacy}");
    let stored = office::load(&app.pool).await.expect("load").expect("office");
    assert_eq!((stored.name.as_str(), stored.governance), ("West Yorkshire Mayor’s Office", Governance::Mayor));

    // A board from a date to come: the Mayor until then, and the change is listed.
    let next_year = (platform::calendar::uk_today().year() + 1).to_string();
    let later = admin.post_from(PAGE, PAGE, &form("West Yorkshire Mayor’s Office", "board", ["1", "5", &next_year])).await;
    assert_eq!(later.status(), 303);
    assert_eq!(office::load(&app.pool).await.expect("load").expect("office").governance, Governance::Mayor);
    let (_, page) = admin.get_page(PAGE).await;
    assert!(page.contains(&format!("1 May {next_year}")) && page.contains("A policing and crime board"), "{page}");
    let day = time::Date::from_calendar_date(platform::calendar::uk_today().year() + 1, time::Month::May, 2).expect("date");
    assert_eq!(office::governance_on(&app.pool, day).await.expect("on"), Some(Governance::Board));

    let updates: i64 = app.one("SELECT COUNT(*) FROM platform_audit_event WHERE action = 'updated the office'").await;
    let changes: i64 = app.one("SELECT COUNT(*) FROM platform_audit_event WHERE action = 'changed the governance'").await;
    assert_eq!((updates, changes), (2, 2));
}
