//! Time-based one-time passwords (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), as every
//! authenticator app reads them from an `otpauth://` QR code.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;

/// A new 160-bit secret, base32 as apps expect.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    BASE32_NOPAD.encode(&bytes)
}

pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code for one time step (RFC 4226 dynamic truncation), with `digits` digits.
pub fn code_for_step(secret: &[u8], step: i64, digits: u32) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[19] & 0x0f);
    let binary = (u32::from(digest[offset]) & 0x7f) << 24
        | u32::from(digest[offset + 1]) << 16
        | u32::from(digest[offset + 2]) << 8
        | u32::from(digest[offset + 3]);
    format!("{:0width$}", binary % 10u32.pow(digits), width = digits as usize)
}

/// Checks a typed code against the steps around now (one either side, for clock drift) and
/// returns the step it matched, which the caller stores so that the same code cannot be used
/// twice. Steps at or before `last_used_step` are refused.
pub fn verify(secret_base32: &str, typed: &str, unix_seconds: i64, last_used_step: i64) -> Option<i64> {
    let secret = BASE32_NOPAD.decode(secret_base32.as_bytes()).ok()?;
    let typed: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
    if typed.len() != 6 || !typed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_seconds);
    (now - 1..=now + 1).filter(|step| *step > last_used_step).find(|step| {
        let expected = code_for_step(&secret, *step, 6);
        subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), typed.as_bytes()).into()
    })
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn provisioning_uri(secret_base32: &str, issuer: &str, account: &str) -> String {
    let encode = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!(
        "otpauth://totp/{}:{}?secret={secret_base32}&issuer={}&algorithm=SHA1&digits=6&period=30",
        encode(issuer),
        encode(account),
        encode(issuer)
    )
}

/// The QR code as an SVG for the enrolment page, labelled for screen readers.
pub fn qr_svg(uri: &str) -> Option<String> {
    let code = qrcode::QrCode::new(uri.as_bytes()).ok()?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(200, 200).quiet_zone(true).build();
    // Drop the XML prolog; the SVG sits inside an HTML page.
    let start = svg.find("<svg")?;
    Some(svg[start..].replacen("<svg", r#"<svg role="img" aria-label="QR code for your authenticator app""#, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B, SHA-1 rows (8 digits, secret "12345678901234567890").
    #[test]
    fn matches_the_rfc_6238_test_vectors() {
        let secret = b"12345678901234567890";
        for (time, expected) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code_for_step(secret, step_at(time), 8), expected, "T = {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_once_within_the_drift_window() {
        let secret = new_secret();
        let raw = BASE32_NOPAD.decode(secret.as_bytes()).expect("base32");
        let now = 1_800_000_000;
        let code = code_for_step(&raw, step_at(now), 6);
        let used = verify(&secret, &code, now, 0).expect("accepted");
        assert_eq!(verify(&secret, &code, now, used), None, "reused code refused");
        let previous = code_for_step(&raw, step_at(now) - 1, 6);
        assert!(verify(&secret, &previous, now, 0).is_some(), "30 s of drift allowed");
        let stale = code_for_step(&raw, step_at(now) - 3, 6);
        assert_eq!(verify(&secret, &stale, now, 0), None, "90 s old refused");
        assert_eq!(verify(&secret, "12345", now, 0), None);
        assert_eq!(verify(&secret, "abcdef", now, 0), None);
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(verify(&secret, &spaced, now, 0).is_some(), "spaces as apps show them");
    }

    #[test]
    fn the_qr_code_is_an_accessible_svg() {
        let uri = provisioning_uri("JBSWY3DPEHPK3PXP", "Staffordshire Commissioner’s Office", "sam@example.com");
        assert!(uri.starts_with("otpauth://totp/Staffordshire%20Commissioner"), "{uri}");
        let svg = qr_svg(&uri).expect("renders");
        assert!(svg.starts_with(r#"<svg role="img" aria-label="#));
        assert!(!svg.contains("<?xml"));
    }
}
