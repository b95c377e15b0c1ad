use base64::Engine;
use sha2::{Digest, Sha256};

use crate::support::TestApp;

fn stylesheet_url(html: &str) -> String {
    let end = html.find("govuk-frontend.min.css\"").expect("stylesheet linked") + "govuk-frontend.min.css".len();
    let start = html[..end].rfind("href=\"").expect("in an href") + "href=\"".len();
    html[start..end].to_string()
}

#[tokio::test]
async fn gov_uk_frontend_is_served_from_a_fingerprinted_address_cached_for_a_year() {
    let app = TestApp::spawn().await;
    let (_, html) = app.get_page("/").await;
    let css_url = stylesheet_url(&html);
    let response = app.get(&css_url).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "public, max-age=31536000, immutable");
    assert_eq!(response.headers()["content-type"], "text/css; charset=utf-8");
    let css = response.text().await.expect("css");
    // The fonts the stylesheet names are served from the same fingerprinted folder.
    let version = css_url.split('/').nth(2).expect("version");
    let font_prefix = format!("url(/assets/{version}/assets/fonts/");
    let font = css.split(&font_prefix).nth(1).and_then(|r| r.split(')').next()).expect("font named");
    let font_response = app.get(&format!("/assets/{version}/assets/fonts/{font}")).await;
    assert_eq!(font_response.status(), 200);
    assert!(font_response.headers()["content-type"].to_str().expect("type").starts_with("font/"));

    let script = app.get(&format!("/assets/{version}/govuk-frontend.min.js")).await;
    assert_eq!(script.status(), 200);
    assert!(script.text().await.expect("js").contains("initAll"));
}

#[tokio::test]
async fn an_old_asset_address_is_served_but_not_cached_and_a_missing_file_is_not_found() {
    let app = TestApp::spawn().await;
    let stale = app.get("/assets/000000000000/govuk-frontend.min.css").await;
    assert_eq!(stale.status(), 200);
    assert_eq!(stale.headers()["cache-control"], "no-cache");
    assert_eq!(app.get("/assets/000000000000/no-such-file.css").await.status(), 404);
    assert_eq!(app.get("/assets/000000000000/../../Cargo.toml").await.status(), 404);
}

#[tokio::test]
async fn every_page_carries_security_headers_and_a_strict_content_security_policy() {
    let app = TestApp::spawn().await;
    for path in ["/", "/contact", "/no-such-page"] {
        let response = app.get(path).await;
        let headers = response.headers().clone();
        let csp = headers["content-security-policy"].to_str().expect("csp").to_string();
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
        // The one inline script is allowed by its hash, and the hash is of the script on the page.
        let html = response.text().await.expect("body");
        let script = html.split("<script>").nth(1).and_then(|r| r.split("</script>").next()).expect("inline script");
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script.as_bytes()));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{path}: inline script not allowed by CSP");
    }
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_show_the_pool() {
    let app = TestApp::spawn().await;
    for _ in 0..3 {
        app.get("/contact").await;
    }
    app.get("/nowhere").await;
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("metrics");
    assert!(text.contains(r#"commissioner_http_requests_total{method="GET",route="/contact",status="200"} 3"#), "{text}");
    assert!(text.contains(r#"commissioner_http_requests_total{method="GET",route="unmatched",status="404"} 1"#), "{text}");
    assert!(text.contains(r#"commissioner_http_request_duration_seconds_count{method="GET",route="/contact"} 3"#), "{text}");
    assert!(text.contains("commissioner_http_request_duration_seconds_bucket"), "histogram");
    assert!(text.contains("commissioner_db_pool_max_connections 10"), "{text}");
    assert!(text.contains("commissioner_db_pool_connections"), "{text}");
}

#[tokio::test]
async fn health_reports_the_database() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = serde_json::from_str(&response.text().await.expect("body")).expect("json");
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], "ok");
}
