//! Evidence: files are uploaded one page-load at a time and kept with the draft.

use super::*;

#[derive(Template)]
#[template(path = "asb/evidence.html")]
pub(super) struct EvidencePage {
    chrome: Chrome,
    draft: String,
    files: Vec<StoredFile>,
    errors: FormErrors,
    back: String,
}

impl EvidencePage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn upload(&self) -> FileUpload<'_> {
        FileUpload::new("evidence", "Upload a file", &self.errors)
            .multiple()
            .hint("Documents, photos, videos or sound recordings, each smaller than 128 MB.")
    }
    fn remove_action(&self, file: &StoredFile) -> String {
        format!("/asb-case-review/apply/{}/evidence/{}/remove", self.draft, file.id)
    }
    fn room_left(&self) -> usize {
        MAX_ATTACHMENTS.saturating_sub(self.files.len())
    }
}

pub(super) async fn evidence_page(
    platform: &Platform,
    chrome: Chrome,
    draft: Draft,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let files = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?;
    let back = page_url(&draft.id, Question::Needs);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = EvidencePage { chrome: chrome.with_errors(!errors.is_empty()), draft: draft.id, files, errors, back };
    Ok((status, render(&page)?).into_response())
}

pub(super) async fn show_evidence(
    State(platform): State<Platform>,
    chrome: Chrome,
    Path(draft_id): Path<String>,
) -> Result<Response, AppError> {
    match open_draft(&platform, &draft_id).await? {
        Ok(draft) => evidence_page(&platform, chrome, draft, FormErrors::new()).await,
        Err(redirect) => Ok(redirect),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct EvidenceForm {
    #[serde(default)]
    action: String,
}

pub(super) async fn upload_evidence(
    State(platform): State<Platform>,
    chrome: Chrome,
    Path(draft_id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let mut draft = match open_draft(&platform, &draft_id).await? {
        Ok(draft) => draft,
        Err(redirect) => return Ok(redirect),
    };
    let (form, errors): (EvidenceForm, _) =
        casekit::uploads::add_files(&platform, request, (DRAFT_FILES, &draft.id), MAX_ATTACHMENTS, "evidence").await?;
    if form.action == "continue" {
        draft.answers.evidence_done = true;
        store::save_draft(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
        return Ok(Redirect::to(&page_url(&draft.id, first_unanswered(&draft.answers))).into_response());
    }
    evidence_page(&platform, chrome, draft, errors).await
}

pub(super) async fn remove_evidence(
    State(platform): State<Platform>,
    Path((draft_id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let draft = match open_draft(&platform, &draft_id).await? {
        Ok(draft) => draft,
        Err(redirect) => return Ok(redirect),
    };
    let mut conn = platform.pool().acquire().await?;
    files::remove(&mut conn, DRAFT_FILES, &draft.id, &file_id).await?;
    Ok(Redirect::to(&page_url(&draft.id, Question::Evidence)).into_response())
}
