use super::*;
use proptest::prelude::*;

const REPLY_ONLY: ContactWords = ContactWords {
    methods: &[ContactMethod::Email, ContactMethod::Post],
    method_question: "How would you like us to reply?",
    method_error: "Select how you would like us to reply",
    ..ContactWords::STANDARD
};
const WRITTEN: ContactWords = ContactWords { written_reply: true, ..ContactWords::STANDARD };

fn form(fields: &[(&str, &str)]) -> ContactForm {
    let body: String = fields.iter().map(|(k, v)| format!("{k}={}&", v.replace(' ', "+").replace('\n', "%0A"))).collect();
    serde_html_form::from_str(&body).expect("a form")
}

fn messages(words: &ContactWords, form: &ContactForm) -> Vec<(String, String)> {
    let mut errors = FormErrors::new();
    words.check(form, &mut errors);
    errors.iter().map(|e| (e.field.clone(), e.message.clone())).collect()
}

#[test]
fn each_way_of_replying_needs_its_own_detail() {
    let cases: [(&str, &[(&str, &str)]); 4] = [
        ("email", &[("email", "Enter your email address")]),
        ("telephone", &[("telephone", "Enter your telephone number")]),
        ("letter", &[("postal-address", "Enter your postal address"), ("postcode", "Enter your postcode")]),
        ("letter", &[("postal-address", "Enter your postal address"), ("postcode", "Enter your postcode")]),
    ];
    for (method, expected) in cases {
        let found = messages(&ContactWords::STANDARD, &form(&[("full-name", "Sam Taylor"), ("contact-method", method)]));
        let expected: Vec<(String, String)> = expected.iter().map(|(f, m)| (f.to_string(), m.to_string())).collect();
        assert_eq!(found, expected, "{method}");
    }
}

/// Details typed untidily, accepted.
fn untidy_details() -> ContactDetails {
    let mut errors = FormErrors::new();
    let answers = form(&[
        ("full-name", "  Siân   Ŵyn "),
        ("contact-method", "letter"),
        ("postal-address", " 1 Mill Lane\r\nStafford \r\n"),
        ("postcode", "st161aa"),
        ("email", " sian@example.com "),
    ]);
    let details = ContactWords::STANDARD.check(&answers, &mut errors).expect("accepted");
    assert!(errors.is_empty());
    details
}

#[test]
fn the_details_come_back_tidied_and_typed() {
    let details = untidy_details();
    assert_eq!(details.full_name, "Siân Ŵyn");
    assert_eq!(details.method, ContactMethod::Post);
    assert_eq!(details.postal_address, "1 Mill Lane\nStafford");
    assert_eq!(details.postcode_text(), "ST16 1AA");
    assert_eq!(details.email, "sian@example.com");
    assert_eq!(details.to_form().contact_method, "letter", "post is shown as the radios post it");
}

#[test]
fn a_way_the_form_does_not_offer_is_refused_with_the_forms_own_words() {
    let found =
        messages(&REPLY_ONLY, &form(&[("full-name", "Sam"), ("contact-method", "telephone"), ("telephone", "01632 960 001")]));
    assert_eq!(found, [("contact-method".to_string(), "Select how you would like us to reply".to_string())]);
}

#[test]
fn details_in_the_wrong_shape_are_refused_even_when_not_needed() {
    let found = messages(
        &ContactWords::STANDARD,
        &form(&[
            ("full-name", "Sam"),
            ("contact-method", "email"),
            ("email", "sam@example.com"),
            ("telephone", "999"),
            ("postcode", "nowhere"),
        ]),
    );
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["telephone", "postcode"]);
}

#[test]
fn a_written_reply_needs_an_email_or_a_postal_address_even_by_telephone() {
    let by_telephone = form(&[("full-name", "Sam"), ("contact-method", "telephone"), ("telephone", "01632 960 001")]);
    assert_eq!(
        messages(&WRITTEN, &by_telephone),
        [("email".to_string(), "Enter your email address or your postal address".to_string())]
    );
    assert!(messages(&ContactWords::STANDARD, &by_telephone).is_empty(), "a form that telephones needs no address");
}

#[test]
fn a_form_that_asks_more_flattens_the_questions_into_its_own() {
    #[derive(Debug, Default, Deserialize)]
    #[serde(default)]
    struct Appeal {
        reason: String,
        #[serde(flatten)]
        contact: ContactForm,
    }
    let appeal: Appeal = serde_html_form::from_str("reason=Too+slow&full-name=Jo&contact-method=email&email=jo%40example.com")
        .expect("flattened form");
    assert_eq!(appeal.reason, "Too slow");
    assert_eq!(appeal.contact.email, "jo@example.com");
    assert_eq!(appeal.contact.full_name, "Jo");
}

#[test]
fn the_inputs_keep_what_was_typed_and_offer_only_the_forms_ways() {
    let answers = form(&[("full-name", "Jo <b>"), ("contact-method", "letter")]);
    let errors = FormErrors::new();
    let html = REPLY_ONLY.questions(&answers, &errors).all();
    assert!(html.contains("value=\"Jo &#60;b&#62;\""), "escaped value kept: {html}");
    assert!(html.contains("value=\"letter\" checked"), "post shown as the letter choice");
    assert!(!html.contains("name=\"telephone\""), "no telephone where it is not offered");
    assert!(ContactWords::STANDARD.questions(&answers, &errors).all().contains("name=\"telephone\""));
}

proptest! {
    #[test]
    fn accepted_details_use_an_offered_way_and_hold_no_line_breaks_in_a_name(
        name in "\\PC{0,30}", method in "(email|letter|post|telephone|pigeon|)", email in "\\PC{0,20}",
        telephone in "[0-9 +]{0,14}", address in "\\PC{0,40}", postcode in "[A-Za-z0-9 ]{0,9}",
    ) {
        let answers = ContactForm { full_name: name, contact_method: method, email, telephone, postal_address: address, postcode };
        let mut errors = FormErrors::new();
        if let Some(details) = REPLY_ONLY.check(&answers, &mut errors) {
            prop_assert!(errors.is_empty());
            prop_assert!(REPLY_ONLY.methods.contains(&details.method));
            prop_assert!(!details.full_name.contains('\n') && !details.full_name.is_empty());
        } else {
            prop_assert!(!errors.is_empty());
        }
    }
}

#[test]
fn checked_details_kept_in_a_draft_show_again_as_they_were_and_list_on_the_check_page() {
    let details = untidy_details();
    let mut kept = ContactAnswers::default();
    let name = kept.set(details.clone());
    assert_eq!(name, "Siân Ŵyn");
    assert_eq!(kept.form(&name), details.to_form(), "the page shows what was accepted");
    assert_eq!(kept.summary_lines(), ["Letter", "sian@example.com", "1 Mill Lane", "Stafford", "ST16 1AA"]);
    assert_eq!(ContactAnswers::default().summary_lines(), ["Unknown"], "an unanswered method says so");
}

#[test]
fn drafts_saved_before_the_answers_were_one_type_read_the_same() {
    #[derive(serde::Deserialize)]
    struct Draft {
        applicant_name: String,
        #[serde(flatten)]
        contact: ContactAnswers,
    }
    let saved = r#"{"applicant_name":"Jo","contact_method":"email","email":"jo@example.com","postcode":"ST16 2DH","needs":""}"#;
    let draft: Draft = serde_json::from_str(saved).expect("reads");
    assert_eq!(draft.applicant_name, "Jo");
    assert_eq!(draft.contact.email, "jo@example.com");
    assert_eq!(draft.contact.contact_method, "email");
    assert_eq!(draft.contact.postcode, "ST16 2DH");
}
