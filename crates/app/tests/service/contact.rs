use correspondence::contact::store;
use platform::calendar::{self, Nation};
use platform::reference::Reference;

use crate::support::{TestApp, text_of_class};

fn valid(key: &str) -> Vec<(&str, &str)> {
    vec![
        ("submission-key", key),
        ("full-name", "Sam Taylor"),
        ("contact-method", "email"),
        ("email", "sam@example.com"),
        ("message", "The street lights on Mill Lane have been out for a month."),
    ]
}

async fn submit_and_follow(app: &TestApp, fields: &[(&str, &str)]) -> String {
    let response = app.post_form("/contact", fields).await;
    assert_eq!(response.status(), 303, "a good message redirects to its confirmation");
    let location = response.headers()["location"].to_str().expect("location").to_string();
    assert!(location.starts_with("/contact/sent/"), "{location}");
    let (status, html) = app.get_page(&location).await;
    assert_eq!(status, 200);
    html
}

#[tokio::test]
async fn an_empty_form_shows_the_error_summary_with_a_message_for_each_field() {
    let app = TestApp::spawn().await;
    let response = app.post_form("/contact", &[("submission-key", "")]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(html.contains("<title>Error: Contact the Commissioner’s office"), "title starts with Error:");
    assert!(html.contains("There is a problem"));
    for (anchor, message) in [
        ("#full-name", "Enter your full name"),
        ("#contact-method", "Select how you would like us to reply"),
        ("#email", "Enter your email address or your postal address"),
        ("#message", "Enter your message"),
    ] {
        assert!(html.contains(&format!(r#"<a href="{anchor}">{message}</a>"#)), "summary link {anchor}");
        let field = anchor.trim_start_matches('#');
        assert!(html.contains(&format!(r#"<p id="{field}-error" class="govuk-error-message">"#)), "inline error {field}");
    }
    assert_eq!(store::count(&app.pool).await.expect("count"), 0, "nothing stored");
}

#[tokio::test]
async fn what_was_typed_is_shown_again_when_something_is_wrong() {
    let app = TestApp::spawn().await;
    let long = "x".repeat(5_001);
    let response = app
        .post_form(
            "/contact",
            &[
                ("full-name", "Sam <b>Taylor</b>"),
                ("contact-method", "letter"),
                ("postal-address", "1 Mill Lane\nStafford"),
                ("postcode", "not a postcode"),
                ("telephone", "07700 900982"),
                ("message", &long),
            ],
        )
        .await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(
        html.contains(r#"value="Sam &#60;b&#62;Taylor&#60;/b&#62;""#)
            || html.contains(r#"value="Sam &lt;b&gt;Taylor&lt;/b&gt;""#),
        "name kept, escaped"
    );
    assert!(html.contains(r#"type="radio" value="letter" checked"#), "post kept, as the one letter choice every form shows");
    assert!(html.contains("1 Mill Lane\nStafford</textarea>"), "address kept");
    assert!(html.contains(r#"value="07700 900982""#), "telephone kept");
    assert!(html.contains(&format!("{long}</textarea>")), "long message kept in full");
    assert!(html.contains("Enter a real postcode, like ST16 2DJ"));
    assert!(html.contains("Your message must be 5,000 characters or fewer (it has 5,001)"));
    assert!(!html.contains("<b>Taylor</b>"), "never echoed unescaped");
}

#[tokio::test]
async fn a_good_message_is_stored_and_gets_a_reference_and_a_reply_date() {
    let app = TestApp::spawn().await;
    let key = platform::ids::new_id();
    let html = submit_and_follow(&app, &valid(&key)).await;
    assert!(html.contains("Message sent"));
    let reference: Reference = text_of_class(&html, "app-reference").expect("reference shown").parse().expect("a reference");
    assert_eq!(reference.prefix(), "CON");
    assert_eq!(reference.number(), 1);
    assert_eq!(reference.year(), time::OffsetDateTime::now_utc().year());

    let stored = store::find_by_reference(&app.pool, &reference).await.expect("query").expect("stored");
    assert_eq!(stored.full_name, "Sam Taylor");
    assert_eq!(stored.contact.email.as_deref(), Some("sam@example.com"));
    assert_eq!(stored.contact.contact_method, platform::contact::ContactMethod::Email);

    let working_days = calendar::WorkingDayCalendar::for_nation(Nation::EnglandAndWales, calendar::built_in_changes());
    let received = platform::db::parse_timestamp(&stored.received_at).expect("timestamp");
    let expected = calendar::add_working_days(calendar::uk_local_date(received), 10, &working_days);
    assert_eq!(stored.reply_due_on, platform::db::date(expected));
    assert!(html.contains(&calendar::long_date(expected)), "the page says when to expect a reply");
}

#[tokio::test]
async fn sending_the_same_form_twice_stores_one_message() {
    let app = TestApp::spawn().await;
    let key = platform::ids::new_id();
    let first = submit_and_follow(&app, &valid(&key)).await;
    let second = submit_and_follow(&app, &valid(&key)).await;
    assert_eq!(text_of_class(&first, "app-reference"), text_of_class(&second, "app-reference"));
    assert_eq!(store::count(&app.pool).await.expect("count"), 1);
}

#[tokio::test]
async fn concurrent_messages_get_distinct_consecutive_references() {
    let app = TestApp::spawn().await;
    let submissions = (0..12).map(|_| {
        let app = &app;
        async move {
            let key = platform::ids::new_id();
            submit_and_follow(app, &valid(&key)).await
        }
    });
    let pages = futures::future::join_all(submissions).await;
    let mut numbers: Vec<i64> = pages
        .iter()
        .map(|html| text_of_class(html, "app-reference").expect("reference").parse::<Reference>().expect("parses").number())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=12).collect::<Vec<_>>());
}

#[tokio::test]
async fn a_made_up_confirmation_address_is_not_found() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/contact/sent/0123456789abcdef0123456789abcdef").await.status(), 404);
    assert_eq!(app.get("/contact/sent/..%2F..%2Fetc%2Fpasswd").await.status(), 404);
}

#[tokio::test]
async fn a_message_is_acknowledged_assigned_replied_to_by_email_and_closed() {
    let app = TestApp::spawn().await;
    let fields = [
        ("full-name", "Sam Taylor"),
        ("contact-method", "email"),
        ("email", "sam@example.com"),
        ("message", "When is the next public meeting?"),
    ];
    let sent = app.post_form("/contact", &fields).await;
    let (_, receipt) = app.get_page(&crate::support::location(&sent)).await;
    let reference = crate::support::text_of_class(&receipt, "app-reference").expect("reference");
    let mail = crate::support::outbox_to(&app, "sam@example.com").await;
    assert_eq!(mail.len(), 1, "acknowledged");
    assert!(mail[0].0.contains(&reference) && mail[0].1.contains("We will reply by"));

    let (mut caseworker, staff) = app.signed_in(platform::access::Role::Caseworker).await;
    let page = format!("/staff/messages/{reference}");
    let act = |action: &str| format!("{page}/actions/{action}");
    assert_eq!(caseworker.post_from(&page, &act("assign-to-me"), &[]).await.status(), 303);
    let (_, html) = caseworker.get_page(&format!("{page}?done=assign-to-me")).await;
    assert!(html.contains("Assigned to you") && html.contains("Test Caseworker"));
    crate::support::assert_refused(caseworker.post_from(&page, &act("reply"), &[("reply", " ")]).await, &["Enter the reply"])
        .await;
    let reply = "The next public meeting is on 14 January at 10am.";
    assert_eq!(caseworker.post_from(&page, &act("reply"), &[("reply", reply)]).await.status(), 303);
    let mail = crate::support::outbox_to(&app, "sam@example.com").await;
    assert_eq!(mail.len(), 2);
    assert!(mail[1].1.contains(reply) && mail[1].1.contains("Dear Sam Taylor") && mail[1].0.contains(&reference));
    crate::support::assert_refused(
        caseworker.post_from(&page, &act("close"), &[("outcome", "")]).await,
        &["Select how the message was dealt with"],
    )
    .await;
    assert_eq!(caseworker.post_from(&page, &act("close"), &[("outcome", "answered")]).await.status(), 303);
    let late = caseworker.post_from(&page, &act("reply"), &[("reply", "Another reply")]).await;
    crate::support::assert_refused(late, &["This message was closed"]).await;
    let (_, list) = caseworker.get_page("/staff/messages").await;
    assert!(list.contains("Closed"));
    let actions: Vec<String> = app
        .values("SELECT action FROM platform_audit_event WHERE record_id = $1 AND actor_id IS NOT NULL ORDER BY seq", &reference)
        .await;
    assert!(
        actions.iter().any(|a| a == "replied")
            && actions.iter().any(|a| a == "closed")
            && actions.iter().any(|a| a == "assigned")
    );
    assert!(!staff.id.is_empty());
}

#[tokio::test]
async fn feedback_on_the_website_goes_to_its_own_place() {
    let app = TestApp::spawn().await;
    crate::support::assert_refused(
        app.post_form("/feedback", &[("improvement", "x")]).await,
        &["Select how you felt about the service"],
    )
    .await;
    let sent =
        app.post_form("/feedback", &[("satisfaction", "satisfied"), ("improvement", "Bigger text on the maps, please.")]).await;
    assert_eq!(crate::support::location(&sent), "/feedback?sent=yes");
    let messages: i64 = app.one("SELECT COUNT(*) FROM correspondence_contact_message").await;
    assert_eq!(messages, 0, "not a message to answer");
    let (caseworker, _) = app.signed_in(platform::access::Role::Caseworker).await;
    let (status, page) = caseworker.get_page("/staff/feedback").await;
    assert_eq!(status, 200);
    assert!(page.contains("Bigger text on the maps, please.") && page.contains(">Satisfied<"));
    let (_, home) = app.get_page("/").await;
    assert!(home.contains("href=\"/feedback\""), "the beta banner links to it");
}

#[tokio::test]
async fn a_message_waiting_for_a_reply_is_due_and_reminded_until_it_is_answered() {
    let app = TestApp::spawn().await;
    let fields = [("full-name", "Sam Taylor"), ("contact-method", "email"), ("email", "sam@example.com"), ("message", "Hello")];
    let page = submit_and_follow(&app, &fields).await;
    let reference = text_of_class(&page, "app-reference").expect("reference");
    let services = commissioner::services();
    let messages = services.find("contact-messages").expect("the contact service");
    let calendars = casekit::tracker::Calendars::load(&app.pool).await.expect("calendars");
    let today = calendar::uk_today();
    let due: Vec<String> =
        messages.open_deadlines(&app.pool, &calendars).await.expect("deadlines").into_iter().map(|d| d.reference).collect();
    assert_eq!(due, std::slice::from_ref(&reference));
    assert!(messages.reminders_owed(&app.pool, today, &calendars.local).await.expect("owed").is_empty(), "not due for days");
    sqlx::query("UPDATE correspondence_contact_message SET reply_due_on = $1 WHERE reference = $2")
        .bind(platform::db::date(today - time::Duration::days(1)))
        .bind(&reference)
        .execute(&app.pool)
        .await
        .expect("overdue");
    let owed = messages.reminders_owed(&app.pool, today, &calendars.local).await.expect("owed");
    assert_eq!((owed.len(), owed[0].reminder), (1, casekit::clock::Reminder::Overdue));
    let (mut caseworker, _) = app.signed_in(platform::access::Role::Caseworker).await;
    let page = format!("/staff/messages/{reference}");
    assert_eq!(caseworker.post_from(&page, &format!("{page}/actions/reply"), &[("reply", "Hello to you.")]).await.status(), 303);
    assert!(messages.reminders_owed(&app.pool, today, &calendars.local).await.expect("owed").is_empty(), "answered");
    assert!(messages.open_deadlines(&app.pool, &calendars).await.expect("deadlines").is_empty());
}

#[tokio::test]
async fn a_reply_by_letter_is_previewed_then_made_from_the_offices_template_ready_to_print() {
    let app = TestApp::spawn().await;
    let fields = [
        ("full-name", "Dee Post"),
        ("contact-method", "letter"),
        ("postal-address", "7 Mill Lane\nStone"),
        ("postcode", "ST15 8AA"),
        ("message", "Please write to me about the precept."),
    ];
    let sent = app.post_form("/contact", &fields).await;
    let (_, receipt) = app.get_page(&crate::support::location(&sent)).await;
    let reference = crate::support::text_of_class(&receipt, "app-reference").expect("reference");
    let (mut caseworker, _) = app.signed_in(platform::access::Role::Caseworker).await;
    let page = format!("/staff/messages/{reference}");
    let reply = "The precept for 2027/28 is set in February; the proposal is on our website.";
    let preview = caseworker.post_from(&page, &format!("{page}/actions/reply"), &[("reply", reply), ("preview", "yes")]).await;
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.expect("page");
    assert!(
        html.contains("Preview: nothing has been sent yet") && html.contains("Dear Dee Post") && html.contains(reply),
        "{html}"
    );
    let none: i64 = app.one("SELECT COUNT(*) FROM casework_letter WHERE case_type = 'contact-message'").await;
    assert_eq!(none, 0, "a preview sends nothing");

    let made = caseworker.post_from(&page, &format!("{page}/actions/reply"), &[("reply", reply)]).await;
    assert_eq!(made.status(), 303);
    let (channel, body): (String, String) =
        sqlx::query_as("SELECT channel, body FROM casework_letter WHERE case_type = 'contact-message'")
            .fetch_one(&app.pool)
            .await
            .expect("letter");
    assert_eq!(channel, "post");
    assert!(body.contains(reply) && body.contains(&format!("Reference: {reference}")), "{body}");
    assert!(crate::support::outbox_to(&app, "").await.is_empty());
    let (_, html) = caseworker.get_page(&page).await;
    let start = html.find(&format!("{page}/letters/")).expect("the letter is listed");
    let link: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let (status, letter) = caseworker.get_page(&link).await;
    assert_eq!(status, 200);
    assert!(letter.contains("7 Mill Lane") && letter.contains(reply), "printed with the sender's address: {letter}");
    let pdf = caseworker.get(&format!("{link}/pdf")).await;
    assert_eq!(pdf.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/pdf"));
}
