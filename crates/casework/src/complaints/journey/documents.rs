//! Documents: files uploaded one page-load at a time and kept with the draft.

use super::*;
use casekit::journey::{FilesPage, FilesWords};

static DOCUMENTS: FilesWords = FilesWords {
    caption: "Police complaint review",
    service: "police complaint review",
    heading: "Add documents",
    intro: "Your outcome letter helps us most. You can add up to 3 files.",
    field: "documents",
    label: "Upload a file",
    hint: "PDF, Word documents or photos of letters, each smaller than 128 MB.",
    accept: None,
};

pub(super) async fn documents_page(
    platform: &Platform,
    chrome: Chrome,
    draft: Draft,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let consent_document = draft.answers.is_representative() && draft.answers.consent_by == "document";
    let action = JOURNEY.page(&draft.id, "documents");
    FilesPage {
        chrome,
        words: &DOCUMENTS,
        files: files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?,
        errors,
        back: page_url(&draft.id, Question::Allegations),
        continue_action: action.clone(),
        action,
        max: MAX_ATTACHMENTS,
        required: consent_document,
        inset: consent_document
            .then_some("You said you would upload the signed consent of the person who complained. Add it here."),
    }
    .respond()
}

pub(super) async fn show_documents(
    PageRequest { platform, chrome }: PageRequest,
    Path(draft_id): Path<String>,
) -> Result<Response, AppError> {
    let draft = open_or_return!(platform, draft_id);
    documents_page(&platform, chrome, draft, FormErrors::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct DocumentsForm {
    #[serde(default)]
    action: String,
}

pub(super) async fn upload_documents(
    PageRequest { platform, chrome }: PageRequest,
    Path(draft_id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id);
    let added: casekit::uploads::Added<DocumentsForm> =
        casekit::uploads::add_files(&platform, request, (DRAFT_FILES, &draft.id), MAX_ATTACHMENTS, "documents").await?;
    if added.form.action == "continue" && added.may_go_on() {
        let held = files::files_of(platform.pool(), DRAFT_FILES, &draft.id).await?.len();
        if let Some(problem) = answers::documents_problem(&draft.answers, held) {
            let mut errors = FormErrors::new();
            errors.add("documents", problem);
            return documents_page(&platform, chrome, draft, errors).await;
        }
        draft.answers.documents_done = true;
        DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
        return Ok(Redirect::to(&page_url(&draft.id, Question::first_unanswered(&draft.answers, today()))).into_response());
    }
    documents_page(&platform, chrome, draft, added.errors).await
}

pub(super) async fn remove_document(
    State(platform): State<Platform>,
    Path((draft_id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let mut draft = open_or_return!(platform, draft_id);
    let mut conn = platform.pool().acquire().await?;
    files::remove(&mut conn, DRAFT_FILES, &draft.id, &file_id).await?;
    // A consent document removed must be looked at again before sending.
    draft.answers.documents_done = false;
    DRAFTS.save(platform.pool(), &draft.id, &draft.answers, OffsetDateTime::now_utc()).await?;
    Ok(Redirect::to(&page_url(&draft.id, Question::Documents)).into_response())
}
