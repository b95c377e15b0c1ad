//! A request's letters, as a page to print and as a PDF.

use super::*;

pub(super) async fn addressed(
    platform: &Platform,
    staff: &CurrentStaff,
    reference: &str,
    letter_id: &str,
) -> Result<casekit::letters::AddressedLetter, AppError> {
    let request = load(platform, reference).await?;
    let applicant = (request.requester_name.clone(), request.postal_address.clone(), request.postcode.clone());
    casekit::letters::AddressedLetter::find(
        platform.pool(),
        &staff.actor(),
        (store::LETTER_CASE, &request.id),
        (RECORD_TYPE, &request.reference),
        letter_id,
        format!("{BASE}/{}", request.reference),
        applicant,
    )
    .await?
    .ok_or(AppError::NotFound)
}

pub(super) async fn letter_page(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path((reference, letter_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    addressed(&platform, &staff, &reference, &letter_id).await?.page(chrome)
}

pub(super) async fn letter_pdf(
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Path((reference, letter_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    addressed(&platform, &staff, &reference, &letter_id).await?.pdf(&platform).await
}
