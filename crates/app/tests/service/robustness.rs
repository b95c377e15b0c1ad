//! Whatever arrives, the answer is a page and never a 500 or a panic.

use reqwest::Method;

use crate::support::TestApp;

const ROUTES: &[&str] = &[
    "/",
    "/contact",
    "/contact/sent/0123456789abcdef0123456789abcdef",
    "/accessibility",
    "/privacy",
    "/cookies",
    "/staff",
    "/healthz",
    "/metrics",
    "/assets/x/govuk-frontend.min.css",
];

fn bodies() -> Vec<(&'static str, &'static str, Vec<u8>)> {
    let form = "application/x-www-form-urlencoded";
    vec![
        ("invalid UTF-8", form, b"full-name=\xff\xfe\xfd&message=\xc3\x28".to_vec()),
        ("bad percent-encoding", form, b"full-name=%ZZ%&message=%%%&contact-method=%E2%82".to_vec()),
        ("NUL bytes", form, b"full-name=a%00b&message=%00&email=%00@%00".to_vec()),
        ("duplicate fields", form, b"full-name=a&full-name=b&contact-method=email&contact-method=post".to_vec()),
        ("nested brackets", form, b"full-name[][x]=1&message[0]=2&a=b=c&&&=".to_vec()),
        ("JSON", "application/json", br#"{"full-name": "Sam", "message": 1}"#.to_vec()),
        (
            "XML",
            "application/xml",
            b"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>".to_vec(),
        ),
        ("multipart without boundary", "multipart/form-data", b"--x\r\n\r\n".to_vec()),
        ("no content type", "", b"full-name=Sam".to_vec()),
        ("right-to-left and emoji", form, "full-name=%E2%80%AESam%F0%9F%98%80&message=%EF%BB%BF%CC%81".as_bytes().to_vec()),
        ("just under the limit", form, [b"message=".as_slice(), &vec![b'a'; 60 * 1024]].concat()),
        ("over the limit", form, [b"message=".as_slice(), &vec![b'a'; 1024 * 1024]].concat()),
    ]
}

fn assert_answered(status: reqwest::StatusCode, content_type: &str, body: &str, what: &str) {
    assert!(!status.is_server_error(), "{what}: {status}");
    if status.is_client_error() && content_type.starts_with("text/html") {
        assert!(body.contains("govuk-template"), "{what}: error without the GOV.UK page");
    }
}

#[tokio::test]
async fn malformed_and_oversized_bodies_never_cause_a_server_error() {
    let app = TestApp::spawn().await;
    for route in ROUTES {
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            for (what, content_type, body) in bodies() {
                let mut request = app.client.request(method.clone(), app.url(route)).body(body);
                if !content_type.is_empty() {
                    request = request.header("content-type", content_type);
                }
                let response = request.send().await.expect("sent");
                let status = response.status();
                let ct = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                let text = response.text().await.unwrap_or_default();
                assert_answered(status, &ct, &text, &format!("{method} {route} with {what}"));
            }
        }
    }
}

#[tokio::test]
async fn the_contact_form_answers_odd_bodies_with_the_right_page() {
    let app = TestApp::spawn().await;
    let post = |body: Vec<u8>, content_type: &'static str| {
        app.client.post(app.url("/contact")).header("content-type", content_type).body(body).send()
    };
    let too_big = post([b"message=".as_slice(), &vec![b'a'; 1024 * 1024]].concat(), "application/x-www-form-urlencoded")
        .await
        .expect("sent");
    assert_eq!(too_big.status(), 413);
    assert!(too_big.text().await.expect("body").contains("What you sent is too large"));

    let json = post(b"{}".to_vec(), "application/json").await.expect("sent");
    assert_eq!(json.status(), 400);
    assert!(json.text().await.expect("body").contains("Sorry, there is a problem with your request"));

    // Garbled text is still a form: the person sees what is missing, not a crash.
    let garbled = post(b"full-name=\xff\xfe&message=%00".to_vec(), "application/x-www-form-urlencoded").await.expect("sent");
    assert!(matches!(garbled.status().as_u16(), 400 | 422), "{}", garbled.status());
}

#[tokio::test]
async fn odd_addresses_and_queries_get_pages_not_errors() {
    let app = TestApp::spawn().await;
    let long = format!("/{}", "a".repeat(8_000));
    let paths = [
        "/%FF%FE",
        "/%00",
        "/contact?%ZZ=%FF&x",
        "/contact/sent/%2e%2e%2f%2e%2e%2f",
        "/contact/sent/",
        "/assets/",
        "/assets/v/%00",
        "//contact",
        "/contact/../contact",
        "/%E2%80%AE",
        long.as_str(),
    ];
    for path in paths {
        let response = app.get(path).await;
        let status = response.status();
        let ct = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let body = response.text().await.unwrap_or_default();
        assert_answered(status, &ct, &body, path);
    }
}
