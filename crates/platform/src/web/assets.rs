//! Static files: GOV.UK Frontend from npm and Commissioner's own few, served under one
//! fingerprinted folder (`/assets/<version>/…`) so browsers may cache them for a year.
//!
//! In debug builds rust-embed reads the files from disk; release builds carry them inside the
//! binary, so a deployed server needs no `node_modules`.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use axum::body::Body;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rust_embed::Embed;
use sha2::{Digest, Sha256};

#[derive(Embed)]
#[folder = "../../node_modules/govuk-frontend/dist/govuk/"]
#[include = "govuk-frontend.min.css"]
#[include = "govuk-frontend.min.js"]
#[include = "assets/fonts/*"]
#[include = "assets/images/*"]
#[include = "assets/manifest.json"]
struct GovukFrontend;

#[derive(Embed)]
#[folder = "assets/"]
struct OwnAssets;

/// GOV.UK Frontend's one inline script: it marks the body so components style themselves for
/// JavaScript. The Content-Security-Policy allows it by hash, not with `unsafe-inline`.
pub const BODY_CLASS_SCRIPT: &str =
    "document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');";

pub struct AssetBundle {
    pub version: String,
    files: HashMap<String, (Cow<'static, [u8]>, &'static str)>,
    pub body_class_script_hash: String,
}

impl AssetBundle {
    pub fn url(&self, path: &str) -> String {
        format!("/assets/{}/{}", self.version, path)
    }
    pub fn get(&self, path: &str) -> Option<(&[u8], &'static str)> {
        self.files.get(path).map(|(bytes, mime)| (bytes.as_ref(), *mime))
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("json") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

pub static ASSETS: LazyLock<AssetBundle> = LazyLock::new(|| {
    let mut raw: Vec<(String, Cow<'static, [u8]>)> = Vec::new();
    for path in GovukFrontend::iter() {
        if let Some(file) = GovukFrontend::get(&path) {
            raw.push((path.to_string(), file.data));
        }
    }
    for path in OwnAssets::iter() {
        if let Some(file) = OwnAssets::get(&path) {
            raw.push((path.to_string(), file.data));
        }
    }
    raw.sort_by(|a, b| a.0.cmp(&b.0));
    let mut hasher = Sha256::new();
    for (path, data) in &raw {
        hasher.update(path.as_bytes());
        hasher.update(data);
    }
    let version = hex::encode(&hasher.finalize()[..6]);
    let files = raw
        .into_iter()
        .map(|(path, data)| {
            // The stylesheet names fonts and images as /assets/…; point them into the same
            // fingerprinted folder so they are cached with it.
            let data = if path == "govuk-frontend.min.css" {
                let css = String::from_utf8_lossy(&data).replace("url(/assets/", &format!("url(/assets/{version}/assets/"));
                Cow::Owned(css.into_bytes())
            } else {
                data
            };
            let mime = content_type(&path);
            (path, (data, mime))
        })
        .collect();
    let body_class_script_hash =
        format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(BODY_CLASS_SCRIPT.as_bytes())));
    AssetBundle { version, files, body_class_script_hash }
});

/// `GET /assets/{version}/{*path}`.
pub async fn serve(Path((version, path)): Path<(String, String)>) -> Response {
    let bundle = &*ASSETS;
    let Some((bytes, mime)) = bundle.get(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    // An old version's URL gets today's file, but must not be cached as if it were the old one.
    let cache = if version == bundle.version { "public, max-age=31536000, immutable" } else { "no-cache" };
    let mut response = Response::new(Body::from(bytes.to_vec()));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_points_fonts_into_the_fingerprinted_folder() {
        let (css, _) = ASSETS.get("govuk-frontend.min.css").expect("GOV.UK Frontend installed by npm");
        let css = String::from_utf8_lossy(css);
        assert!(!css.contains("url(/assets/fonts"), "unrewritten font URL");
        let font_url = format!("url(/assets/{}/assets/fonts/", ASSETS.version);
        assert!(css.contains(&font_url));
        let font = css.split(&font_url).nth(1).and_then(|rest| rest.split(')').next()).expect("a font");
        assert!(ASSETS.get(&format!("assets/fonts/{font}")).is_some(), "font {font} not bundled");
    }

    #[test]
    fn own_script_and_styles_are_bundled() {
        assert!(ASSETS.get("commissioner.js").is_some());
        assert_eq!(ASSETS.get("commissioner.css").map(|(_, m)| m), Some("text/css; charset=utf-8"));
        assert_eq!(ASSETS.version.len(), 12);
    }
}
