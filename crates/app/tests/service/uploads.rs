//! Files sent with a message: streamed, checked by content, stored by hash, downloaded only by
//! those who may read the message.

use std::io::Write;

use platform::access::Role;
use reqwest::multipart::{Form, Part};

use crate::support::{TestApp, assert_refused, eventually, text_of_class};

const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const PNG: &[u8] = &[
    0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0,
];
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";

fn message_form() -> Form {
    Form::new()
        .text("full-name", "Sam Taylor")
        .text("contact-method", "email")
        .text("email", "sam@example.com")
        .text("message", "Photos of the damage are attached.")
}

fn file(name: &str, bytes: &[u8]) -> Part {
    Part::bytes(bytes.to_vec()).file_name(name.to_string())
}

async fn send(app: &TestApp, form: Form) -> reqwest::Response {
    app.client.post(app.url("/contact")).multipart(form).send().await.expect("sent")
}

fn in_progress(app: &TestApp) -> usize {
    std::fs::read_dir(app.data_dir.join("uploads-in-progress")).map(|d| d.count()).unwrap_or(0)
}

#[tokio::test]
async fn attached_files_are_stored_by_content_and_caseworkers_download_them() {
    let app = TestApp::spawn().await;
    let response =
        send(&app, message_form().part("attachments", file("letter.pdf", PDF)).part("attachments", file("damage.png", PNG)))
            .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().expect("location").to_string();
    let (_, receipt) = app.get_page(&location).await;
    let reference = text_of_class(&receipt, "app-reference").expect("reference");

    let (caseworker, _) = app.signed_in(Role::Caseworker).await;
    let (_, html) = caseworker.get_page(&format!("/staff/messages/{reference}")).await;
    assert!(html.contains("letter.pdf") && html.contains("damage.png"), "{html}");
    assert!(html.contains("application/pdf") && html.contains("image/png"));
    let href_start = html.find(&format!("/staff/messages/{reference}/files/")).expect("download link");
    let href: String = html[href_start..].chars().take_while(|c| *c != '"').collect();
    let download = caseworker.get(&href).await;
    assert_eq!(download.status(), 200);
    let disposition = download.headers()["content-disposition"].to_str().expect("header").to_string();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    let content_type = download.headers()["content-type"].to_str().expect("type").to_string();
    let body = download.bytes().await.expect("bytes");
    assert!((content_type == "application/pdf" && body.as_ref() == PDF) || (content_type == "image/png" && body.as_ref() == PNG));

    let hashes = platform::files::Storage::from_settings(&app.settings).expect("storage").list_hashes().await.expect("list");
    assert_eq!(hashes.len(), 2, "stored under their hashes");
    assert_eq!(in_progress(&app), 0, "no temporary files left");
    let events =
        platform::audit::search(&app.pool, &platform::audit::Search { record: reference.clone(), ..Default::default() }, 10)
            .await
            .expect("audit");
    assert!(events.iter().any(|e| e.action == "downloaded attachment"));

    // A Panel member cannot fetch it, even with the address.
    let (panel, _) = app.signed_in(Role::PanelMember).await;
    assert_eq!(panel.get(&href).await.status(), 403);
}

#[tokio::test]
async fn a_disguised_program_is_refused_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let response = send(&app, message_form().part("attachments", file("holiday.jpg", EXE))).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(html.contains("The selected file must be a PDF, Word or OpenDocument file"), "{html}");
    assert!(html.contains(r##"<a href="#attachments">"##), "linked from the error summary");
    assert!(html.contains("Sam Taylor"), "the rest of the form is kept");
    assert_eq!(correspondence::contact::store::count(&app.pool).await.expect("count"), 0);
    assert_eq!(in_progress(&app), 0);
}

#[tokio::test]
async fn a_file_whose_name_disagrees_with_its_content_is_flagged_for_review() {
    let app = TestApp::spawn().await;
    let response = send(&app, message_form().part("attachments", file("photo.jpg", PDF))).await;
    assert_eq!(response.status(), 303);
    let flagged: (i64, Option<String>) =
        sqlx::query_as("SELECT flagged_for_review, flag_reason FROM platform_file").fetch_one(&app.pool).await.expect("row");
    assert_eq!(flagged.0, 1);
    assert_eq!(flagged.1.as_deref(), Some("named .jpg but its content is application/pdf"));
}

#[tokio::test]
async fn an_oversized_file_is_refused_with_the_limit_and_leaves_nothing_behind() {
    let app = TestApp::builder().upload_max_bytes(1024 * 1024).spawn().await;
    let mut big = PDF.to_vec();
    big.resize(3 * 1024 * 1024, b' ');
    let response = send(&app, message_form().part("attachments", file("big.pdf", &big))).await;
    assert_refused(response, &["The selected file must be smaller than 1 MB"]).await;
    assert_eq!(in_progress(&app), 0);
    assert!(
        platform::files::Storage::from_settings(&app.settings).expect("storage").list_hashes().await.expect("list").is_empty()
    );
}

#[tokio::test]
async fn more_than_three_files_are_refused() {
    let app = TestApp::spawn().await;
    let mut form = message_form();
    for n in 0..4 {
        form = form.part("attachments", file(&format!("page{n}.pdf"), PDF));
    }
    let response = send(&app, form).await;
    assert_refused(response, &["Select up to 3 files"]).await;
    assert_eq!(in_progress(&app), 0);
}

#[tokio::test]
async fn an_upload_cut_off_half_way_leaves_no_partial_file() {
    let app = TestApp::spawn().await;
    let boundary = "XyZboundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"full-name\"\r\n\r\nSam\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"attachments\"; filename=\"video.mp4\"\r\nContent-Type: video/mp4\r\n\r\n"
    );
    let mut stream = std::net::TcpStream::connect(app.address).expect("connect");
    write!(
        stream,
        "POST /contact HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {}\r\n\r\n{head}",
        50 * 1024 * 1024
    )
    .expect("head");
    let chunk = vec![b'a'; 256 * 1024];
    for _ in 0..8 {
        stream.write_all(&chunk).expect("part of the file");
    }
    eventually("the partial upload to be on disk", || async { in_progress(&app) == 1 }).await;
    drop(stream);
    eventually("the partial upload to be removed", || async { in_progress(&app) == 0 }).await;
    assert_eq!(correspondence::contact::store::count(&app.pool).await.expect("count"), 0);
}

#[tokio::test]
async fn partial_uploads_left_by_a_crash_are_swept_at_start_up() {
    let app = TestApp::spawn().await;
    let leftover = app.data_dir.join("uploads-in-progress").join("upload-left-by-a-crash");
    std::fs::write(&leftover, b"half a video").expect("leftover");
    let storage = platform::files::Storage::from_settings(&app.settings).expect("storage");
    assert_eq!(
        storage.sweep_abandoned(std::time::Duration::from_secs(3600)).expect("swept"),
        0,
        "a recent file may be in progress"
    );
    assert_eq!(storage.sweep_abandoned(std::time::Duration::ZERO).expect("swept"), 1);
    assert!(!leftover.exists());
}

#[tokio::test]
async fn attachments_can_live_in_s3_compatible_storage() {
    let s3 = crate::support::S3Server::start().await;
    let app = TestApp::builder().s3(s3.endpoint.clone(), s3.bucket.clone()).spawn().await;
    let response = send(&app, message_form().part("attachments", file("letter.pdf", PDF))).await;
    assert_eq!(response.status(), 303);
    let listing = s3.listing().await;
    let expected = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(PDF));
    assert!(listing.contains(&format!("sha256/{}/{expected}", &expected[..2])), "{listing}");
    assert!(
        !app.data_dir.join("files").exists() || std::fs::read_dir(app.data_dir.join("files")).expect("dir").next().is_none(),
        "nothing on local disk"
    );

    let location = response.headers()["location"].to_str().expect("location").to_string();
    let (_, receipt) = app.get_page(&location).await;
    let reference = text_of_class(&receipt, "app-reference").expect("reference");
    let (caseworker, _) = app.signed_in(Role::Caseworker).await;
    let (_, html) = caseworker.get_page(&format!("/staff/messages/{reference}")).await;
    let start = html.find(&format!("/staff/messages/{reference}/files/")).expect("link");
    let href: String = html[start..].chars().take_while(|c| *c != '"').collect();
    let body = caseworker.get(&href).await.bytes().await.expect("bytes");
    assert_eq!(body.as_ref(), PDF, "read back from the bucket");
}
