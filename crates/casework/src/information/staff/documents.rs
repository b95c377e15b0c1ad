//! Documents to release with a response (each checked for hidden data), and the files the
//! requester sent.

use super::*;

#[derive(Debug, Default, Deserialize)]
pub(super) struct NoFields {}

pub(super) async fn upload_documents(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
    upload: Request,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    if request.stage == Stage::Published {
        let mut errors = FormErrors::new();
        errors.add("documents", "The response is published: documents can no longer be added");
        return show(&platform, chrome, request, ActionForm::default(), errors).await;
    }
    let added: casekit::uploads::Added<NoFields> =
        casekit::uploads::add_files(&platform, upload, (RESPONSE_FILES, &request.id), MAX_DOCUMENTS, "documents").await?;
    if !added.stored.is_empty() {
        let names = added.stored_names();
        let event = Event {
            action: "added documents to release",
            record_type: RECORD_TYPE,
            record_id: &request.reference,
            detail: &names,
        };
        audit::record_now(platform.pool(), &staff.actor(), event).await?;
    }
    release::check_new(&platform, &request, &staff.actor()).await?;
    let errors = added.errors;
    if errors.is_empty() {
        return Ok(Redirect::to(&format!("{BASE}/{}#documents-to-release", request.reference)).into_response());
    }
    show(&platform, chrome, request, ActionForm::default(), errors).await
}

/// A file of the request's, to a handler: `files` names which (the documents to release, or
/// what the requester sent).
pub(super) async fn download(
    files: &'static str,
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    let record = (RECORD_TYPE, request.reference.as_str());
    platform::web::download_record_file(&platform, &staff.actor(), (files, &request.id), &file_id, record).await
}

pub(super) async fn document_action(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, file_id, action)): Path<(String, String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    let pool = platform.pool();
    let now = OffsetDateTime::now_utc();
    let actor = staff.actor();
    let done = match action.as_str() {
        "confirm" => release::confirm(pool, &request, &file_id, &staff.user.display_name, &actor, now).await?,
        "remove" if request.stage != Stage::Published => release::remove(pool, &request, &file_id, &actor, now).await?,
        "withdraw" => {
            let reason = form.reason.trim();
            if reason.is_empty() || reason.chars().count() > 500 {
                let mut errors = FormErrors::new();
                errors.add("reason", "Enter why the document is being withdrawn, in 500 characters or fewer");
                return show(&platform, chrome, request, form, errors).await;
            }
            release::withdraw(pool, &request, &file_id, reason, &actor, now).await?
        }
        _ => false,
    };
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("{BASE}/{}#documents-to-release", request.reference)).into_response())
}
