//! The force's professional standards department's side: the complaint file, answers to the
//! office's questions, and responses to recommendations.

use super::*;

/// A file upload carries no other fields.
#[derive(Debug, Default, Deserialize)]
pub(super) struct UploadForm {}

pub(super) async fn upload_file(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let review = &loaded.0;
    if !matches!(review.stage(), Stage::AwaitingFile | Stage::Reviewing) {
        let mut errors = FormErrors::new();
        errors.add("complaint-file", "Files can be added while the review is open and its file has been asked for");
        return render_case(&platform, chrome, loaded, Problem { errors, ..Problem::default() }).await;
    }
    let added: casekit::uploads::Added<UploadForm> =
        casekit::uploads::add_files(&platform, request, (FORCE_FILES, &review.id), MAX_FORCE_FILES, "complaint-file").await?;
    if !added.stored.is_empty() {
        let names = added.stored_names();
        let event = Event {
            action: "uploaded to the complaint file",
            record_type: RECORD_TYPE,
            record_id: &review.reference,
            detail: &names,
        };
        audit::record_now(platform.pool(), &staff.actor(), event).await?;
    }
    let errors = added.errors;
    if errors.is_empty() {
        return Ok(Redirect::to(&format!("{}#the-complaint-file", case_url(review))).into_response());
    }
    render_case(&platform, chrome, loaded, Problem { errors, ..Problem::default() }).await
}

pub(super) async fn file_complete(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let review = &loaded.0;
    let held = files::files_of(platform.pool(), FORCE_FILES, &review.id).await?.len();
    if held == 0 {
        let mut errors = FormErrors::new();
        errors.add("complaint-file", "Upload the complaint file before saying it is complete");
        return render_case(&platform, chrome, loaded, Problem { errors, ..Problem::default() }).await;
    }
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let change = crate::complaints::workflow::record::file_received(today, "sent the complaint file", format!("{held} files"));
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    if !store::change(&mut tx, review, &[Stage::AwaitingFile], &change, &staff.actor(), now).await? {
        tx.rollback().await?;
        let fresh = load(&platform, &staff, &reference).await?;
        let page = render_case(&platform, chrome, fresh, Problem { errors: change::moved_on(), ..Problem::default() }).await?;
        return Ok((StatusCode::CONFLICT, page).into_response());
    }
    let work = platform::office::NewWork {
        what: "complaint file from the force for",
        reference: &review.reference,
        path: case_url(review),
        assigned_to: review.assigned_to.as_deref(),
    };
    platform::office::tell_of_new_work(&mut tx, platform.settings(), &work).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}#the-complaint-file", case_url(review))).into_response())
}

pub(super) async fn answer(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, question_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let mut errors = FormErrors::new();
    let text = required(&mut errors, &format!("answer-{question_id}"), &form.answer, "Enter the answer", 20_000);
    if !errors.is_empty() {
        return render_case(&platform, chrome, loaded, Problem { form, errors, failed: question_id, ..Problem::default() }).await;
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    let found =
        store::answer_question(&mut tx, &loaded.0, &question_id, &text, calendar::uk_local_date(now), &staff.actor(), now)
            .await?;
    let work = force_work("the force’s answer to a question on", &loaded.0, "#questions");
    platform::office::tell_if_from_partner(&mut tx, platform.settings(), &staff.user, &work).await?;
    tx.commit().await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("{}#questions", case_url(&loaded.0))).into_response())
}

pub(super) async fn respond(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, recommendation_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let loaded = load(&platform, &staff, &reference).await?;
    let mut errors = FormErrors::new();
    if !["accepted", "partly-accepted", "not-accepted"].contains(&form.response.as_str()) {
        errors.add(&format!("response-{recommendation_id}"), "Select the force’s response");
    }
    let detail = required(
        &mut errors,
        &format!("response-detail-{recommendation_id}"),
        &form.response_detail,
        "Enter what the force will do, or why it will not",
        10_000,
    );
    if loaded.0.stage() != Stage::Recommendations {
        errors.add(&format!("response-{recommendation_id}"), "Responses are recorded once the review is decided");
    }
    if !errors.is_empty() {
        return render_case(&platform, chrome, loaded, Problem { form, errors, failed: recommendation_id, ..Problem::default() })
            .await;
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    let found = store::record_response(
        &mut tx,
        &loaded.0,
        &recommendation_id,
        &form.response,
        &detail,
        calendar::uk_local_date(now),
        &staff.actor(),
        now,
    )
    .await?;
    let work = force_work("the force’s response to a recommendation in", &loaded.0, "#recommendations");
    platform::office::tell_if_from_partner(&mut tx, platform.settings(), &staff.user, &work).await?;
    tx.commit().await?;
    if !found {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("{}#recommendations", case_url(&loaded.0))).into_response())
}

/// New work from the force on a review, for the email telling the office.
fn force_work<'a>(what: &'a str, review: &'a crate::complaints::store::Review, anchor: &str) -> platform::office::NewWork<'a> {
    platform::office::NewWork {
        what,
        reference: &review.reference,
        path: format!("{}{anchor}", case_url(review)),
        assigned_to: review.assigned_to.as_deref(),
    }
}

pub(super) async fn download(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (review, scope, _) = load(&platform, &staff, &reference).await?;
    let record = (RECORD_TYPE, review.reference.as_str());
    let actor = staff.actor();
    let in_force_files = files::files_of(platform.pool(), FORCE_FILES, &review.id).await?.iter().any(|f| f.id == file_id);
    if in_force_files {
        return platform::web::download_record_file(&platform, &actor, (FORCE_FILES, &review.id), &file_id, record).await;
    }
    // The complainant's own documents are the office's to read, not the force's.
    if !scope.is_office() {
        return Err(AppError::NotFound);
    }
    platform::web::download_record_file(&platform, &actor, (REVIEW_FILES, &review.id), &file_id, record).await
}
