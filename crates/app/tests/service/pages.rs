use crate::support::TestApp;

/// Every public page, with a phrase only that page has.
pub const PUBLIC_PAGES: &[(&str, &str)] = &[
    ("/", "Contact the Commissioner’s office"),
    ("/contact", "How would you like us to reply?"),
    ("/accessibility", "Enforcement procedure"),
    ("/privacy", "lawful basis"),
    ("/cookies", "open again only in the browser that has this cookie"),
    ("/staff/sign-in", "Members of the public do not need an account"),
];

#[tokio::test]
async fn every_public_page_is_a_gov_uk_page_with_the_office_name() {
    let app = TestApp::spawn().await;
    for (path, phrase) in PUBLIC_PAGES {
        let (status, html) = app.get_page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(phrase), "{path} lacks {phrase:?}");
        assert!(html.contains(r##"<a href="#main-content" class="govuk-skip-link""##), "{path}: skip link");
        assert!(html.contains(r#"id="main-content""#), "{path}: main landmark");
        assert!(html.contains("Staffordshire Commissioner’s Office"), "{path}: office name");
        assert!(html.contains("govuk-phase-banner"), "{path}: phase banner");
        for footer_link in ["/accessibility", "/privacy", "/cookies"] {
            assert!(html.contains(&format!(r#"href="{footer_link}""#)), "{path}: footer link {footer_link}");
        }
    }
}

#[tokio::test]
async fn the_current_section_is_marked_in_the_navigation() {
    let app = TestApp::spawn().await;
    let (_, html) = app.get_page("/contact").await;
    assert!(html.contains(r#"<a class="govuk-service-navigation__link" href="/contact" aria-current="page">"#));
    assert!(!html.contains(r#"href="/" aria-current="page""#));
}

#[tokio::test]
async fn the_demo_office_says_it_is_a_demonstration_and_a_real_one_does_not() {
    let demo = TestApp::spawn().await;
    let (_, html) = demo.get_page("/").await;
    assert!(html.contains("This is a demonstration office"));

    let unconfigured = TestApp::builder().without_demo().spawn().await;
    let (status, html) = unconfigured.get_page("/").await;
    assert_eq!(status, 200);
    assert!(!html.contains("demonstration"));
    assert!(html.contains("Police, Fire and Crime Commissioner"));
}

#[tokio::test]
async fn an_unknown_address_gets_the_gov_uk_page_not_found() {
    let app = TestApp::spawn().await;
    let (status, html) = app.get_page("/no-such-page").await;
    assert_eq!(status, 404);
    assert!(html.contains("Page not found"));
    assert!(html.contains("govuk-template"));
    assert!(html.contains("Staffordshire Commissioner’s Office"), "error pages carry the office name");
}

#[tokio::test]
async fn a_wrong_method_gets_a_gov_uk_page() {
    let app = TestApp::spawn().await;
    let response = app.client.delete(app.url("/contact")).send().await.expect("sent");
    assert_eq!(response.status(), 405);
    let html = response.text().await.expect("body");
    assert!(html.contains("Sorry, there is a problem with your request"));
}

#[tokio::test]
async fn the_privacy_notice_covers_every_service_with_the_retention_period_the_office_set() {
    let app = TestApp::spawn().await;
    let services = commissioner::services();
    let (status, page) = app.get_page("/privacy").await;
    assert_eq!(status, 200);
    for service in services.iter() {
        assert!(page.contains(&format!(">{}</h2>", service.name())), "{} is covered", service.name());
    }
    assert!(page.contains("6 years from the day a review is closed"));
    assert!(page.contains("proof of your identity, which is deleted as soon as your identity is confirmed"));
    let reviews = services.find("police-complaint-reviews").expect("complaint reviews");
    casekit::retention::set_years(
        &app.pool,
        reviews,
        7,
        &platform::audit::Actor::system("test"),
        time::OffsetDateTime::now_utc(),
    )
    .await
    .expect("set");
    let (_, page) = app.get_page("/privacy").await;
    assert!(page.contains("7 years from the day a review is closed"), "the notice follows the office's settings");
}
