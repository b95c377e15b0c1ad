//! The synchronizer token every signed-in person's form carries, so a page on another site cannot
//! post in their name. It travels in the form body only, never in a URL (where it would reach
//! logs and `Referer` headers).

use axum::body::{Body, Bytes, to_bytes};
use axum::extract::Request;
use axum::http::header;
use futures_util::StreamExt;

use crate::web::AppError;

pub const CSRF_FIELD: &str = "csrf-token";

/// How far into a multipart body the token may be: it is the form's first field, so a few
/// hundred bytes are enough; a body that does not start with it is refused.
const MULTIPART_PREFIX_LIMIT: usize = 8 * 1024;

/// Checks the token in a form body. A multipart upload is streamed to its handler, never buffered:
/// only its first field is read here, and the bytes read are put back in front of the rest.
pub async fn check_csrf_token(request: Request, expected: &str, limit: usize) -> Result<Request, AppError> {
    let matches =
        |typed: Option<String>| typed.is_some_and(|t| subtle::ConstantTimeEq::ct_eq(t.as_bytes(), expected.as_bytes()).into());
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if let Ok(boundary) = multer::parse_boundary(content_type) {
        let (parts, body) = request.into_parts();
        let (prefix, rest) = read_prefix(body, &boundary).await?;
        let typed = first_multipart_field(&prefix, &boundary).filter(|(name, _)| name == CSRF_FIELD).map(|(_, value)| value);
        if !matches(typed) {
            tracing::warn!(path = %parts.uri.path(), "upload refused: its first field is not the CSRF token");
            return Err(AppError::Forbidden);
        }
        let body = Body::from_stream(futures_util::stream::once(async move { Ok::<_, axum::Error>(prefix) }).chain(rest));
        return Ok(Request::from_parts(parts, body));
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, limit).await.map_err(|_| AppError::PayloadTooLarge)?;
    if !matches(form_field(&bytes, CSRF_FIELD)) {
        tracing::warn!(path = %parts.uri.path(), "form refused: missing or wrong CSRF token");
        return Err(AppError::Forbidden);
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

type Rest = axum::body::BodyDataStream;

/// Reads until the first part has ended (or the limit is reached, or the body ends).
async fn read_prefix(body: Body, boundary: &str) -> Result<(Bytes, Rest), AppError> {
    let mut stream = body.into_data_stream();
    let mut prefix = Vec::new();
    while prefix.len() < MULTIPART_PREFIX_LIMIT && first_multipart_field(&prefix, boundary).is_none() {
        match stream.next().await {
            Some(Ok(chunk)) => prefix.extend_from_slice(&chunk),
            Some(Err(_)) => return Err(AppError::BadRequest("the upload was cut off".into())),
            None => break,
        }
    }
    Ok((Bytes::from(prefix), stream))
}

/// The name and text of a multipart body's first field, once the body holds all of it.
fn first_multipart_field(body: &[u8], boundary: &str) -> Option<(String, String)> {
    let opening = format!("--{boundary}\r\n");
    let rest = body.strip_prefix(opening.as_bytes())?;
    let headers_end = find(rest, b"\r\n\r\n")?;
    let headers = std::str::from_utf8(&rest[..headers_end]).ok()?;
    let value_start = headers_end + 4;
    let closing = format!("\r\n--{boundary}");
    let value_len = find(&rest[value_start..], closing.as_bytes())?;
    let name = headers.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.trim().eq_ignore_ascii_case("content-disposition").then(|| disposition_name(value))?
    })?;
    let value = std::str::from_utf8(&rest[value_start..value_start + value_len]).ok()?;
    Some((name, value.to_string()))
}

fn disposition_name(value: &str) -> Option<String> {
    value.split(';').map(str::trim).find_map(|p| p.strip_prefix("name=")).map(|n| n.trim_matches('"').to_string())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// One field of an `application/x-www-form-urlencoded` body.
pub(crate) fn form_field(body: &[u8], name: &str) -> Option<String> {
    body.split(|b| *b == b'&').find_map(|pair| {
        let mut parts = pair.splitn(2, |b| *b == b'=');
        let key = parts.next()?;
        (key == name.as_bytes()).then(|| {
            let value = parts.next().unwrap_or_default();
            let value = String::from_utf8_lossy(value).replace('+', " ");
            percent_encoding::percent_decode_str(&value).decode_utf8_lossy().into_owned()
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csrf_field_is_read_from_a_form_body() {
        assert_eq!(form_field(b"a=1&csrf-token=abc-_x&b=2", "csrf-token").as_deref(), Some("abc-_x"));
        assert_eq!(form_field(b"a=1", "csrf-token"), None);
        assert_eq!(form_field(b"csrf-token=a%2Bb", "csrf-token").as_deref(), Some("a+b"));
    }

    const BODY: &[u8] = b"--XyZ\r\nContent-Disposition: form-data; name=\"csrf-token\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n--XyZ--\r\n";

    #[test]
    fn the_first_field_of_a_multipart_body_is_read_once_it_has_all_arrived() {
        assert_eq!(first_multipart_field(BODY, "XyZ"), Some(("csrf-token".into(), "abc123".into())));
        // Cut anywhere before the first field's end, nothing is read yet.
        let end = find(BODY, b"abc123").expect("value") + 6 + 7;
        for cut in 0..end {
            assert_eq!(first_multipart_field(&BODY[..cut], "XyZ"), None, "cut at {cut}");
        }
        assert!(first_multipart_field(&BODY[..end], "XyZ").is_some());
        assert_eq!(first_multipart_field(BODY, "Other"), None);
    }

    #[test]
    fn a_file_first_is_not_taken_for_the_token() {
        let body = b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x\"\r\n\r\ndata\r\n--B--\r\n";
        assert_eq!(first_multipart_field(body, "B").map(|(n, _)| n).as_deref(), Some("file"));
    }

    #[tokio::test]
    async fn an_upload_keeps_every_byte_after_its_token_is_checked() {
        let request = Request::builder()
            .method("POST")
            .uri("/upload")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
            .body(Body::from(BODY))
            .expect("request");
        let checked = check_csrf_token(request, "abc123", 1024).await.expect("allowed");
        let bytes = to_bytes(checked.into_body(), 4096).await.expect("body");
        assert_eq!(&bytes[..], BODY);

        let forged = Request::builder()
            .method("POST")
            .uri("/upload?csrf-token=abc123")
            .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XyZ")
            .body(Body::from(&BODY[BODY.len() - 90..]))
            .expect("request");
        assert!(check_csrf_token(forged, "abc123", 1024).await.is_err(), "a token in the URL is not enough");
    }
}
