//! Evidence: files are uploaded one page-load at a time and kept with the draft.

use super::*;
use casekit::journey::{FilesPage, FilesWords};

static EVIDENCE: FilesWords = FilesWords {
    caption: "ASB case review",
    service: "ASB case review",
    heading: "Add files",
    intro: "You can add up to 3 files that show what has been happening, such as photos, videos, sound recordings, diaries or letters from the agencies.",
    field: "evidence",
    label: "Upload a file",
    hint: "Documents, photos, videos or sound recordings, each smaller than 128 MB.",
    accept: None,
};

pub(super) async fn evidence_page(
    platform: &Platform,
    chrome: Chrome,
    draft: Draft,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let action = JOURNEY.page(&draft.id, "evidence");
    FilesPage {
        chrome,
        words: &EVIDENCE,
        files: files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?,
        errors,
        back: page_url(&draft.id, Question::Needs),
        continue_action: action.clone(),
        action,
        max: MAX_ATTACHMENTS,
        required: false,
        inset: None,
    }
    .respond()
}

pub(super) async fn show_evidence(
    PageRequest { platform, chrome }: PageRequest,
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
    PageRequest { platform, chrome }: PageRequest,
    Path(draft_id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let mut draft = match open_draft(&platform, &draft_id).await? {
        Ok(draft) => draft,
        Err(redirect) => return Ok(redirect),
    };
    let added: casekit::uploads::Added<EvidenceForm> =
        casekit::uploads::add_files(&platform, request, (DRAFT_FILES, &draft.id), MAX_ATTACHMENTS, "evidence").await?;
    if added.form.action == "continue" && added.may_go_on() {
        draft.answers.evidence_done = true;
        store::save_draft(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
        return Ok(Redirect::to(&page_url(&draft.id, Question::first_unanswered(&draft.answers, today()))).into_response());
    }
    evidence_page(&platform, chrome, draft, added.errors).await
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
