//! The office itself: set up for a force area with its governance, and changed later by an
//! administrator, every change audited; the governing body's words follow the governance on
//! every public page.

use platform::access::Role;
use platform::office::{self, Governance};

use crate::support::{TestApp, assert_refused};

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

/// One test per kind of area, each a fresh installation set up as a real office would be: its
/// name, governance words, districts and force on the public pages, the ASB journey and the
/// crime pages; its partners as organisations; setting up again adds nothing twice.
async fn set_up_and_visit(area: &str, governance: &str, expect: Expected<'_>) {
    use platform::office::setup::{self, SetUp};
    let app = TestApp::builder().without_demo().spawn().await;
    let request = SetUp { force_area: area.into(), governance: governance.into(), ..SetUp::default() };
    let actor = platform::audit::Actor::system("test");
    let now = time::OffsetDateTime::now_utc();
    let office = setup::set_up(&app.pool, &commissioner::capabilities(), &request, &actor, now).await.expect("set up");
    assert_eq!(office.name, expect.name);

    let (status, home) = app.get_page("/").await;
    assert_eq!(status, 200);
    assert!(home.contains(expect.name), "the home page names the office");
    assert!(!home.contains("Staffordshire") || area == "staffordshire", "nothing of the demo's area");

    // The ASB journey offers the area's districts, each reviewed by its partnership.
    let started = app.post_form("/asb-case-review/apply", &[]).await;
    let base = crate::support::location(&started).trim_end_matches("/applicant").to_string();
    let (status, location) = app.get_page(&format!("{base}/location")).await;
    assert_eq!(status, 200);
    for district in expect.districts {
        assert!(location.contains(district), "{district} offered");
    }
    let districts = casework::asb::policy::districts(&app.pool).await.expect("districts");
    assert_eq!(districts.len(), expect.districts.len(), "{:?}", districts.iter().map(|d| &d.name).collect::<Vec<_>>());

    // The complaint review names the force; the crime pages list the districts it polices.
    let (_, complaints) = app.get_page("/police-complaint-review").await;
    assert!(complaints.contains(expect.force), "complaint review names {}", expect.force);
    let reviewer = format!("carried out by {}", expect.office_words);
    assert!(complaints.contains(&reviewer), "complaint review says {reviewer}");
    let (status, crime) = app.get_page("/crime").await;
    assert_eq!(status, 200);
    assert!(crime.contains(expect.force));
    for district in expect.districts {
        assert!(crime.contains(district), "{district} on the crime page");
    }

    // Partners: the force, its standards department, the fire service, each council.
    let partners = platform::organisations::list(&app.pool).await.expect("organisations");
    let named = |name: &str| partners.iter().filter(|o| o.name == name).count();
    assert_eq!(named(expect.force), 1);
    assert_eq!(named(&format!("{} Professional Standards Department", expect.force)), 1);
    assert_eq!(named(expect.fire), 1);
    assert_eq!(partners.iter().filter(|o| o.kind == platform::organisations::Kind::Council).count(), expect.districts.len());

    // Setting up again keeps everything once.
    setup::set_up(&app.pool, &commissioner::capabilities(), &request, &actor, now).await.expect("again");
    assert_eq!(platform::organisations::list(&app.pool).await.expect("organisations").len(), partners.len());
    assert_eq!(casework::asb::policy::districts(&app.pool).await.expect("districts").len(), expect.districts.len());
}

struct Expected<'a> {
    name: &'a str,
    /// The governing body's office in running text.
    office_words: &'a str,
    force: &'a str,
    fire: &'a str,
    districts: &'a [&'a str],
}

#[tokio::test]
async fn a_police_fire_and_crime_commissioner_in_staffordshire() {
    let districts = [
        "Cannock Chase",
        "East Staffordshire",
        "Lichfield",
        "Newcastle-under-Lyme",
        "South Staffordshire",
        "Stafford",
        "Staffordshire Moorlands",
        "Stoke-on-Trent",
        "Tamworth",
    ];
    let expect = Expected {
        name: "Staffordshire Police, Fire and Crime Commissioner",
        office_words: "the Commissioner’s office",
        force: "Staffordshire Police",
        fire: "Stoke-on-Trent and Staffordshire Fire and Rescue Service",
        districts: &districts,
    };
    set_up_and_visit("staffordshire", "pfcc", expect).await;
}

#[tokio::test]
async fn a_mayor_in_west_yorkshire() {
    let expect = Expected {
        name: "West Yorkshire Mayor’s Office",
        office_words: "the Mayor’s office",
        force: "West Yorkshire Police",
        fire: "West Yorkshire Fire and Rescue Service",
        districts: &["Bradford", "Calderdale", "Kirklees", "Leeds", "Wakefield"],
    };
    set_up_and_visit("west-yorkshire", "mayor-fire", expect).await;
}

#[tokio::test]
async fn a_police_and_crime_commissioner_in_wales() {
    let expect = Expected {
        name: "Dyfed-Powys Police and Crime Commissioner",
        office_words: "the Commissioner’s office",
        force: "Dyfed-Powys Police",
        fire: "Mid and West Wales Fire and Rescue Service",
        districts: &["Carmarthenshire", "Ceredigion", "Pembrokeshire", "Powys"],
    };
    set_up_and_visit("dyfed-powys", "pcc", expect).await;
}

/// The smallest PNG: one transparent pixel.
const PIXEL_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00,
    0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

#[tokio::test]
async fn an_administrator_gives_the_office_a_logo_and_takes_it_away() {
    use reqwest::multipart::{Form, Part};
    let app = TestApp::spawn().await;
    assert_eq!(app.get_page("/office/logo").await.0, 404, "no logo yet");
    let (admin, _) = app.signed_in(Role::Administrator).await;
    let upload =
        |name: &'static str, bytes: &'static [u8]| move |form: Form| form.part("logo", Part::bytes(bytes).file_name(name));

    // Not an image: refused, said why, nothing kept.
    let refused = admin.post_multipart("/staff/admin/office/logo", PAGE, upload("logo.png", b"just some text")).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("page");
    assert!(html.contains("The selected file must be a PNG or JPEG image"), "{html}");
    let nothing = admin.post_multipart("/staff/admin/office/logo", PAGE, |form: Form| form.text("action", "")).await;
    assert_refused(nothing, &["Select a PNG or JPEG image"]).await;
    assert!(!office::load(&app.pool).await.expect("load").expect("office").has_logo);

    // A PNG: kept, served as an image, shown in every page's header, audited.
    let kept = admin.post_multipart("/staff/admin/office/logo", PAGE, upload("crest.png", PIXEL_PNG)).await;
    assert_eq!(kept.status(), 303);
    let logo = app.client.get(app.url("/office/logo")).send().await.expect("logo");
    assert_eq!(logo.status(), 200);
    assert_eq!(logo.headers()["content-type"], "image/png");
    assert_eq!(logo.bytes().await.expect("bytes").as_ref(), PIXEL_PNG);
    let (_, home) = app.get_page("/").await;
    assert!(home.contains(r#"<img src="/office/logo" alt="" height="40">"#));
    let events =
        platform::audit::search(&app.pool, &platform::audit::Search { record: "office logo".into(), ..Default::default() }, 10)
            .await
            .expect("audit");
    assert!(events.iter().any(|e| e.action == "changed" && e.detail.contains("crest.png")));

    // Removed: gone from the header and the address.
    let removed = admin.post_multipart("/staff/admin/office/logo", PAGE, |form: Form| form.text("action", "remove")).await;
    assert_eq!(removed.status(), 303);
    assert_eq!(app.get_page("/office/logo").await.0, 404);
    assert!(!app.get_page("/").await.1.contains("/office/logo"));
}

/// Letters are signed by a person with their role, once, under a letterhead with the office's
/// name, address and logo; an administrator sets who signs on the office page.
#[tokio::test]
async fn letters_are_signed_by_the_signatory_under_the_office_letterhead() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let (mut admin, _) = app.signed_in(Role::Administrator).await;
    // A role without a name is refused; a name and role are kept.
    let mut fields = form("West Yorkshire Mayor’s Office", "mayor", ["", "", ""]);
    fields.push(("signatory-role", "Chief Executive"));
    let refused = admin.post_from(PAGE, PAGE, &fields).await;
    assert_refused(refused, &["Enter who signs the office’s letters"]).await;
    fields.push(("signatory-name", "Jo Example"));
    fields.push(("new-work-to", "telepathy"));
    assert_refused(admin.post_from(PAGE, PAGE, &fields).await, &["Select who is emailed when new work arrives"]).await;
    fields.pop();
    fields.push(("new-work-to", "assignee"));
    assert_eq!(admin.post_from(PAGE, PAGE, &fields).await.status(), 303);
    let office = office::load(&app.pool).await.expect("load").expect("office");
    assert_eq!(office.signature(), "Jo Example\nChief Executive");
    assert_eq!(office.new_work_to, office::NewWorkTo::Assignee);

    // A letter written now ends with the signatory, and names the office only in its letterhead.
    let started = app.post_form("/information-request/apply", &[]).await;
    let base = crate::support::location(&started).trim_end_matches("/request").to_string();
    let asked = [("request-text", "The office's travel policy, please."), ("preferred-format", "electronic")];
    if crate::support::location(&app.post_form(&format!("{base}/request"), &asked).await).ends_with("/published-answers") {
        app.post_form(&format!("{base}/published-answers"), &[]).await;
    }
    let contact = [("full-name", "Pat Asker"), ("contact-method", "email"), ("email", "pat@example.com")];
    app.post_form(&format!("{base}/contact"), &contact).await;
    assert_eq!(app.post_form(&format!("{base}/check"), &[]).await.status(), 303);
    let mail = crate::support::outbox_to(&app, "pat@example.com").await;
    assert!(mail[0].1.ends_with("Yours sincerely,\n\nJo Example\nChief Executive"), "{}", mail[0].1);
    crate::support::with_demo_cases(&app).await;
    let reference: String = app.one("SELECT reference FROM casework_asb_application ORDER BY reference LIMIT 1").await;
    let case = format!("/staff/asb-case-reviews/{reference}");
    admin.done(&case, "acknowledge", &[]).await;
    let (letter_id, body): (String, String) =
        sqlx::query_as("SELECT id, body FROM casework_letter WHERE kind = 'acknowledgement' ORDER BY created_at DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("the acknowledgement");
    assert!(body.ends_with("Jo Example\nChief Executive"), "{body}");
    let (status, page) = admin.get_page(&format!("{case}/letters/{letter_id}")).await;
    assert_eq!(status, 200);
    let article = &page[page.find("<article").expect("letter")..page.find("</article>").expect("end")];
    assert_eq!(article.matches("West Yorkshire Mayor’s Office").count(), 1, "the office's name once: {article}");
    assert!(article.contains("Jo Example<br>") && article.contains("1 Example Street"));
}

#[test]
fn a_letter_is_signed_by_the_office_until_someone_is_named() {
    let unsigned = office::Office { name: "The Office".into(), ..office::Office::unconfigured() };
    assert_eq!(unsigned.signature(), "The Office");
    let named = office::Office { signatory_name: " Jo Example ".into(), ..unsigned.clone() };
    assert_eq!(named.signature(), "Jo Example");
    let with_role = office::Office { signatory_role: "Chief Executive".into(), ..named };
    assert_eq!(with_role.signature(), "Jo Example\nChief Executive");
}
