use super::*;
use time::macros::date;

fn good_form() -> AppealForm {
    AppealForm {
        submission_key: "k".into(),
        grounds: vec!["information".into()],
        full_name: "Sam Jones".into(),
        postal_address: "1 High Street\nStafford".into(),
        postcode: "st16 2dj".into(),
        email: "sam@example.com".into(),
        contact_method: "email".into(),
        review_body: "  Stafford   Community Safety Partnership ".into(),
        decision_day: "2".into(),
        decision_month: "11".into(),
        decision_year: "2026".into(),
        supporting: "The review did not look at the council's noise diary.".into(),
        consent: "yes".into(),
        ..Default::default()
    }
}

#[test]
fn a_complete_appeal_is_tidied() {
    let appeal = Appeal::parse(&good_form(), date!(2026 - 11 - 24)).expect("valid");
    assert_eq!(appeal.review_body, "Stafford Community Safety Partnership");
    assert_eq!(appeal.contact.postcode_text(), "ST16 2DJ");
    assert_eq!(appeal.decision_letter_on, date!(2026 - 11 - 02));
}

#[test]
fn missing_grounds_consent_and_a_future_decision_are_each_named() {
    let mut form = good_form();
    form.grounds = vec!["i-just-disagree".into()];
    form.consent = String::new();
    form.decision_day = "30".into();
    let (errors, marks) = Appeal::parse(&form, date!(2026 - 11 - 24)).unwrap_err();
    assert_eq!(errors.for_field("grounds"), Some("Select at least one reason for your appeal"));
    assert!(errors.for_field("consent").is_some());
    assert_eq!(errors.for_field("decision"), Some("The date of the decision letter must be today or in the past"));
    assert!(marks.day);
}

#[test]
fn the_window_is_counted_in_working_days_from_the_letter() {
    let calendar = WorkingDayCalendar::for_nation(Nation::EnglandAndWales, Vec::new());
    let t = Timescales::default();
    // Letter Monday 2 November 2026: twenty working days end on Monday 30 November.
    assert_eq!(in_time(date!(2026 - 11 - 02), date!(2026 - 11 - 30), &t, &calendar), (true, date!(2026 - 11 - 30)));
    assert!(!in_time(date!(2026 - 11 - 02), date!(2026 - 12 - 01), &t, &calendar).0);
}
