//! Internal reviews and complaints to the ICO: recording their outcome.

use super::*;

pub(super) async fn decide_appeal(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((reference, appeal_id)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let request = load(&platform, &reference).await?;
    let appeal = appeals::appeals_of(platform.pool(), &request.id)
        .await?
        .into_iter()
        .find(|a| a.id == appeal_id && a.outcome.is_none())
        .ok_or(AppError::NotFound)?;
    let list = if appeal.is_review() { &REVIEW_OUTCOMES[..] } else { &ICO_OUTCOMES[..] };
    let notes = form.notes.trim().to_string();
    let mut errors = FormErrors::new();
    if !list.iter().any(|(slug, _)| *slug == form.appeal_outcome) {
        errors.add("appeal-outcome", "Select the outcome");
    }
    if notes.chars().count() > 5000 {
        errors.add("notes", "Notes must be 5,000 characters or fewer");
    }
    if !errors.is_empty() {
        return show(&platform, chrome, request, form, errors).await;
    }
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    appeals::decide(platform.pool(), &request, &appeal.id, &form.appeal_outcome, &notes, today, &staff.actor(), now).await?;
    Ok(Redirect::to(&format!("{BASE}/{}#after-the-answer", request.reference)).into_response())
}
