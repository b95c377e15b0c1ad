use super::*;

#[test]
fn an_input_with_an_error_is_marked_and_described_by_its_message() {
    let mut errors = FormErrors::new();
    errors.add("full-name", "Enter your full name");
    let html = TextInput::new("full-name", "Full name", "<script>", &errors).hint("As on your letter").render().expect("renders");
    assert!(html.contains("govuk-form-group--error"));
    assert!(html.contains(r#"aria-describedby="full-name-hint full-name-error""#), "{html}");
    assert!(html.contains(r#"<p id="full-name-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> Enter your full name</p>"#));
    assert!(html.contains("value=\"&#60;script&#62;\"") || html.contains("value=\"&lt;script&gt;\""), "{html}");
}

#[test]
fn the_summary_links_each_message_to_its_field_in_order() {
    let mut errors = FormErrors::new();
    errors.add("name", "Enter your name");
    errors.add_targeted("contact-method", "contact-method", "Select how you would like us to reply");
    errors.add("name", "A second message for the same field is dropped");
    let html = ErrorSummary { errors: &errors }.render().expect("renders");
    let first = html.find("#name").expect("name link");
    let second = html.find("#contact-method").expect("method link");
    assert!(first < second);
    assert!(!html.contains("second message"));
    assert!(ErrorSummary { errors: &FormErrors::new() }.render().expect("renders").trim().is_empty());
}

#[test]
fn radios_keep_the_chosen_value_and_number_later_ids() {
    let errors = FormErrors::new();
    let html = Choices::radios(
        "method",
        "How?",
        vec![Choice::new("email", "Email"), Choice::new("post", "Post")],
        Some("post"),
        &errors,
    )
    .render()
    .expect("renders");
    assert!(html.contains(r#"id="method" name="method" type="radio" value="email">"#), "{html}");
    assert!(html.contains(r#"id="method-2" name="method" type="radio" value="post" checked>"#), "{html}");
}

#[test]
fn date_parts_are_parsed_with_messages_that_name_the_problem() {
    let parts = |d: &str, m: &str, y: &str| DateParts { day: d.into(), month: m.into(), year: y.into() };
    assert_eq!(parse_date_parts(&parts("29", "2", "2024"), "the date").ok(), Some(time::macros::date!(2024 - 02 - 29)));
    assert_eq!(parse_date_parts(&parts("", "", ""), "the date").unwrap_err().0, "Enter the date");
    let (message, marked) = parse_date_parts(&parts("1", "", ""), "the date").unwrap_err();
    assert_eq!(message, "The date must include a month and a year");
    assert_eq!(marked, DatePartsInError { day: false, month: true, year: true });
    assert_eq!(parse_date_parts(&parts("29", "2", "2023"), "the date").unwrap_err().0, "The date must be a real date");
    assert_eq!(parse_date_parts(&parts("1", "2", "23"), "the date").unwrap_err().0, "Year must include 4 numbers");
    assert_eq!(parse_date_parts(&parts("x", "2", "2023"), "the date").unwrap_err().0, "The date must be a real date");
}

#[test]
fn textarea_with_a_limit_has_a_character_count() {
    let errors = FormErrors::new();
    let html = Textarea::new("message", "Your message", "hello", &errors).max_chars(5000).render().expect("renders");
    assert!(html.contains(r#"data-maxlength="5000""#));
    assert!(html.contains(r#"aria-describedby="message-info""#), "{html}");
}

#[test]
fn file_upload_and_checkboxes_render_with_errors() {
    let mut errors = FormErrors::new();
    errors.add("evidence", "The selected file must be smaller than 128MB");
    errors.add("grounds", "Select at least one reason");
    let file = FileUpload::new("evidence", "Upload a file", &errors).render().expect("renders");
    assert!(file.contains("govuk-file-upload--error"));
    let boxes = Choices::checkboxes("grounds", "Why?", vec![Choice::new("a", "A"), Choice::new("b", "B")], vec!["b"], &errors)
        .render()
        .expect("renders");
    assert!(boxes.contains(r#"type="checkbox" value="b" checked"#), "{boxes}");
    assert!(boxes.contains("Select at least one reason"));
}

#[test]
fn a_date_that_must_be_in_the_past_is_refused_whole_when_it_is_later_than_today() {
    let parts = |d: &str, m: &str, y: &str| DateParts { day: d.into(), month: m.into(), year: y.into() };
    let today = time::macros::date!(2026 - 12 - 06);
    let cases = [
        (parts("6", "12", "2026"), Some(today), None),
        (parts("7", "12", "2026"), None, Some("The date it happened must be today or in the past")),
        (parts("31", "2", "2026"), None, Some("The date it happened must be a real date")),
    ];
    for (typed, date, message) in cases {
        let mut errors = FormErrors::new();
        let (found, marks) = past_date_field(&mut errors, "occurred", &typed, "the date it happened", today);
        assert_eq!((found, errors.for_field("occurred")), (date, message), "{}-{}-{}", typed.day, typed.month, typed.year);
        assert_eq!(marks == DatePartsInError::default(), date.is_some());
    }
    let mut errors = FormErrors::new();
    past_date_field(&mut errors, "occurred", &parts("1", "1", "2027"), "the date it happened", today);
    assert_eq!(errors.iter().next().map(|e| e.target.as_str()), Some("occurred-day"), "the summary links to the day");
}
