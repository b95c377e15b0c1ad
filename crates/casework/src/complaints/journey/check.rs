//! Check your answers, submit, and the confirmation.

use super::*;

#[derive(Template)]
#[template(path = "complaints/check.html")]
pub(super) struct CheckPage {
    chrome: Chrome,
    page: casekit::journey::Heading,
    draft: String,
    answers: ReviewAnswers,
    files: Vec<StoredFile>,
    late: bool,
    window_ends: String,
}

impl CheckPage {
    fn change(&self, question: &str) -> String {
        format!("{BASE}/apply/{}/{question}?change=yes", self.draft)
    }
    fn long_date(&self, text: &str) -> String {
        platform::db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
    fn review_body(&self) -> &'static str {
        crate::complaints::stated_review_body_name(&self.answers.stated_review_body)
    }
    fn unhappy(&self, slug: &str) -> String {
        unhappy_with_name(slug).to_string()
    }
    fn consent(&self) -> &'static str {
        if self.answers.consent_by == "document" { "Signed consent uploaded" } else { "Declared by you" }
    }
}

pub(super) async fn check_page(platform: &Platform, chrome: Chrome, draft: Draft) -> Result<Response, AppError> {
    let files = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?;
    let today = today();
    let window_ends = draft
        .answers
        .outcome_given()
        .map(|given| calendar::long_date(crate::complaints::rules::timeliness(given, today, &[]).due_on))
        .unwrap_or_default();
    let late = draft.answers.late_on(today);
    let heading = "Check your answers before sending your request";
    let page = JOURNEY.heading(&draft.id, Question::Check, &draft.answers, today, heading);
    render(&CheckPage { chrome, page, draft: draft.id, answers: draft.answers, files, late, window_ends })
}

pub(super) async fn submit(platform: &Platform, chrome: Chrome, viewer: Viewer, draft: Draft) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let unanswered = Question::first_unanswered(&draft.answers, today);
    if unanswered != Question::Check {
        return Ok(Redirect::to(&page_url(&draft.id, unanswered)).into_response());
    }
    let held = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?.len();
    if let Some(problem) = answers::documents_problem(&draft.answers, held) {
        let mut errors = FormErrors::new();
        errors.add("documents", problem);
        return documents_page(platform, chrome, draft, errors).await;
    }
    let policy = policy::load(platform.pool()).await?;
    let office = platform.office().await?;
    let public_url = platform.settings().public_url.trim_end_matches('/').to_string();
    let answers = draft.answers.clone();
    let confirmation = |reference: &platform::reference::Reference, token: &str| {
        (!answers.contact.email.is_empty()).then(|| {
            let link = format!("{public_url}{BASE}/track/{token}");
            let text = format!(
                "Dear {},\n\nWe have your request for a review of a police complaint.\n\nYour reference: {reference}\n\nSee where your review has got to at any time (keep this link private):\n{link}\n\nWe will acknowledge your request within {} working days.\n\n{}",
                answers.full_name, policy.timescales.acknowledge, office.name
            );
            casekit::letters::LetterText { kind: "confirmation", subject: format!("Police complaint review request {reference}"), body: text }
                .email(&answers.contact.email)
        })
    };
    let result = store::submit(
        platform.pool(),
        &draft.id,
        &draft.answers,
        &policy.timescales,
        now,
        today,
        &viewer.actor(),
        confirmation,
        platform.settings(),
    )
    .await;
    match result {
        Ok(submitted) => tracing::info!(reference = %submitted.reference, "police complaint review requested"),
        // Submitted twice at once: the other press stored it.
        Err(error) if platform::db::is_unique_violation(&error) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(&JOURNEY.sent(&draft.id)).into_response())
}

#[derive(Template)]
#[template(path = "complaints/sent.html")]
pub(super) struct SentPage {
    chrome: Chrome,
    reference: String,
    email: String,
    acknowledge_within: u32,
    iopc: bool,
    late: bool,
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
    let review = store::find(platform.pool(), &reference).await?.ok_or(AppError::NotFound)?;
    render(&SentPage {
        chrome,
        reference,
        email: draft.answers.contact.email,
        acknowledge_within: policy.timescales.acknowledge,
        iopc: draft.answers.stated_review_body == "iopc",
        late: !review.timeliness().in_time(),
    })
}
