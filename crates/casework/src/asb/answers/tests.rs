use super::*;
use time::macros::date;

fn incident_form(occurred: (&str, &str, &str), reported: (&str, &str, &str)) -> IncidentForm {
    IncidentForm {
        occurred_day: occurred.0.into(),
        occurred_month: occurred.1.into(),
        occurred_year: occurred.2.into(),
        reported_day: reported.0.into(),
        reported_month: reported.1.into(),
        reported_year: reported.2.into(),
        reported_to: "police".into(),
        description: "Shouting and a brick through the window".into(),
        ..Default::default()
    }
}

const TODAY: Date = date!(2026 - 11 - 24);

#[test]
fn an_incident_reported_before_it_happened_is_refused() {
    let (errors, _) = check_incident(&incident_form(("10", "11", "2026"), ("9", "11", "2026")), TODAY).unwrap_err();
    assert_eq!(errors.for_field("reported"), Some("The date you reported it must be the same as or after the date it happened"));
    assert_eq!(errors.iter().next().map(|e| e.target.as_str()), Some("reported-day"));
}

#[test]
fn dates_in_the_future_are_refused() {
    let (errors, marks) = check_incident(&incident_form(("25", "11", "2026"), ("26", "11", "2026")), TODAY).unwrap_err();
    assert_eq!(errors.for_field("occurred"), Some("The date it happened must be today or in the past"));
    assert_eq!(errors.for_field("reported"), Some("The date you reported it must be today or in the past"));
    assert!(marks.reported.day && marks.reported.year);
}

#[test]
fn a_good_incident_is_kept_tidy() {
    let mut form = incident_form(("1", "11", "2026"), ("2", "11", "2026"));
    form.description = "  Music until 3am\r\nevery night ".into();
    let incident = check_incident(&form, TODAY).expect("valid");
    assert_eq!(incident.occurred_on, "2026-11-01");
    assert_eq!(incident.description, "Music until 3am\nevery night");
    assert_eq!(IncidentForm::from_incident(&incident).occurred_month, "11");
}

#[test]
fn missing_parts_are_named_and_linked() {
    let (errors, _) = check_incident(&incident_form(("1", "", "2026"), ("", "", "")), TODAY).unwrap_err();
    assert_eq!(errors.for_field("occurred"), Some("The date it happened must include a month"));
    assert_eq!(errors.iter().next().map(|e| e.target.as_str()), Some("occurred-month"));
    assert_eq!(errors.for_field("reported"), Some("Enter the date you reported it"));
}

#[test]
fn the_journey_skips_the_on_behalf_page_for_victims() {
    let mut answers = ApplicationAnswers { applying_as: "victim".into(), ..Default::default() };
    assert_eq!(Question::Applicant.next(&answers, TODAY), Question::Victim);
    assert_eq!(Question::Victim.previous(&answers, TODAY), Some(Question::Applicant));
    answers.applying_as = "on-behalf".into();
    assert_eq!(Question::Applicant.next(&answers, TODAY), Question::OnBehalf);
    assert_eq!(Question::first_unanswered(&answers, TODAY), Question::OnBehalf);
}

#[test]
fn consent_and_contact_details_are_required() {
    let mut answers = ApplicationAnswers::default();
    let errors = apply_page(Question::Consent, &PageForm::default(), &mut answers, &[]).unwrap_err();
    assert!(errors.for_field("consent").expect("message").contains("cannot review"));
    let contact = ContactForm { full_name: "Sam".into(), contact_method: "letter".into(), ..Default::default() };
    let form = PageForm { contact, ..Default::default() };
    let errors = apply_page(Question::Contact, &form, &mut answers, &[]).unwrap_err();
    assert_eq!(errors.for_field("postal-address"), Some("Enter your postal address"));
    assert_eq!(errors.for_field("postcode"), Some("Enter your postcode"));
    let contact = ContactForm {
        full_name: "Sam".into(),
        contact_method: "email".into(),
        email: "sam@example".into(),
        ..Default::default()
    };
    let form = PageForm { contact, ..Default::default() };
    let errors = apply_page(Question::Contact, &form, &mut answers, &[]).unwrap_err();
    assert!(errors.for_field("email").expect("message").contains("correct format"));
}

#[test]
fn no_incidents_means_the_list_is_not_finished() {
    let mut answers = ApplicationAnswers::default();
    let form = PageForm { add_another: "no".into(), ..Default::default() };
    let errors = apply_page(Question::Incidents, &form, &mut answers, &[]).unwrap_err();
    assert_eq!(errors.for_field("add-another"), Some("Add at least one incident"));
}
