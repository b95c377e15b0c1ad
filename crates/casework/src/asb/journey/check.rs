//! Check your answers, submit, and the confirmation.

use super::*;

#[derive(Template)]
#[template(path = "asb/check.html")]
pub(super) struct CheckPage {
    chrome: Chrome,
    page: casekit::journey::Heading,
    draft: String,
    answers: ApplicationAnswers,
    district: String,
    files: Vec<StoredFile>,
}

impl CheckPage {
    fn change(&self, question: &str) -> String {
        format!("/asb-case-review/apply/{}/{question}?change=yes", self.draft)
    }
    fn agency(&self, slug: &str) -> String {
        agency_name(slug).to_string()
    }
    fn long_date(&self, text: &str) -> String {
        platform::db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
    fn yes_no(&self, value: &str) -> &'static str {
        match value {
            "yes" => "Yes",
            "no" => "No",
            _ => "Not sure",
        }
    }
    fn victim_kind(&self) -> &'static str {
        match self.answers.victim_kind.as_str() {
            "business" => "A business",
            "community-group" => "A community group",
            _ => "A person or household",
        }
    }
}

pub(super) async fn check_page(platform: &Platform, chrome: Chrome, draft: Draft) -> Result<Response, AppError> {
    let districts = policy::districts(platform.pool()).await?;
    let district = districts.iter().find(|d| d.id == draft.answers.district_id).map(|d| d.name.clone()).unwrap_or_default();
    let files = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?;
    let heading = "Check your answers before sending your application";
    let page = JOURNEY.heading(&draft.id, Question::Check, &draft.answers, today(), heading);
    render(&CheckPage { chrome, page, draft: draft.id, answers: draft.answers, district, files })
}

pub(super) async fn submit(platform: &Platform, chrome: Chrome, viewer: Viewer, draft: Draft) -> Result<Response, AppError> {
    let unanswered = Question::first_unanswered(&draft.answers, today());
    if unanswered != Question::Check {
        return Ok(Redirect::to(&page_url(&draft.id, unanswered)).into_response());
    }
    let districts = policy::districts(platform.pool()).await?;
    let Some(district) = districts.iter().find(|d| d.id == draft.answers.district_id) else {
        // The district was removed while the applicant was filling in the form.
        let form = form_of(&draft.answers);
        let mut errors = FormErrors::new();
        errors.add("district", "Select the area where the anti-social behaviour happens");
        return question_page(platform, chrome, draft, Question::Location, form, errors, true).await;
    };
    let policy = policy::load(platform.pool()).await?;
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let office = platform.office().await?;
    let public_url = platform.settings().public_url.trim_end_matches('/').to_string();
    let answers = draft.answers.clone();
    let confirmation = |reference: &platform::reference::Reference, token: &str| {
        (!answers.contact.email.is_empty()).then(|| {
            let link = format!("{public_url}/asb-case-review/track/{token}");
            let text = format!(
                "Dear {},\n\nWe have your application for an anti-social behaviour case review.\n\nYour reference: {reference}\n\nSee where your case has got to at any time (keep this link private):\n{link}\n\nWe will be in touch by {} within {} working days.\n\n{}",
                answers.applicant_name,
                platform::contact::ContactMethod::name_of(&answers.contact.contact_method).to_lowercase(),
                policy.timescales.acknowledge,
                office.name
            );
            casekit::letters::LetterText { kind: "confirmation", subject: format!("ASB Case Review application {reference}"), body: text }
                .email(&answers.contact.email)
        })
    };
    let result = store::submit_application(
        platform.pool(),
        &draft.id,
        &draft.answers,
        &district.review_body_id,
        &policy,
        now,
        today,
        &viewer.actor(),
        confirmation,
        platform.settings(),
    )
    .await;
    match result {
        Ok(submitted) => {
            tracing::info!(reference = %submitted.reference, incidents = draft.answers.incidents.len(), "ASB case review application received");
        }
        // Submitted twice at once: the other press stored it.
        Err(error) if platform::db::is_unique_violation(&error) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(&JOURNEY.sent(&draft.id)).into_response())
}

#[derive(Template)]
#[template(path = "asb/sent.html")]
pub(super) struct SentPage {
    chrome: Chrome,
    reference: String,
    email: String,
    acknowledge_within: u32,
}

pub(super) async fn sent(
    PageRequest { platform, chrome }: PageRequest,
    Path(draft_id): Path<String>,
) -> Result<Response, AppError> {
    let (draft, reference) = match JOURNEY.sent_draft::<Question>(&platform, &draft_id, today()).await? {
        Ok(sent) => sent,
        Err(elsewhere) => return Ok(elsewhere),
    };
    let policy = policy::load(platform.pool()).await?;
    render(&SentPage { chrome, reference, email: draft.answers.contact.email, acknowledge_within: policy.timescales.acknowledge })
}
