use super::*;

#[test]
fn types_are_found_by_content_not_name() {
    assert_eq!(detect_type(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), Some("application/pdf"));
    assert_eq!(detect_type(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Some("image/png"));
    assert_eq!(detect_type(&[0xff, 0xd8, 0xff, 0xe0, 0, 0x10, b'J', b'F', b'I', b'F']), Some("image/jpeg"));
    assert_eq!(detect_type("Dear office,\nThe lights are out.".as_bytes()), Some("text/plain"));
    assert_eq!(detect_type(b"MZ\x90\x00\x03\x00\x00\x00"), Some("application/vnd.microsoft.portable-executable"));
    assert_eq!(detect_type(&[0, 1, 2, 3, 0xff, 0xfe]), None);
    // Text cut mid-character at the end of the head is still text.
    let mut text = "café".repeat(3).into_bytes();
    text.pop();
    assert_eq!(detect_type(&text), Some("text/plain"));
}

#[test]
fn an_executable_is_not_evidence() {
    let exe = detect_type(b"MZ\x90\x00\x03\x00\x00\x00").expect("detected");
    assert!(!EVIDENCE.iter().any(|a| a.mime == exe));
}

#[test]
fn problems_use_the_design_system_wording() {
    assert_eq!(
        UploadProblem::TooLarge { limit_bytes: 128 * 1024 * 1024 }.message(EVIDENCE_DESCRIPTION),
        "The selected file must be smaller than 128 MB"
    );
    assert_eq!(UploadProblem::TooMany { limit: 3 }.message(EVIDENCE_DESCRIPTION), "Select up to 3 files");
    assert!(UploadProblem::WrongType.message(EVIDENCE_DESCRIPTION).starts_with("The selected file must be a PDF"));
}
