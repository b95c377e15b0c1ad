//! A review's letters, as a page to print and as a PDF.

use super::*;

pub(super) async fn addressed(
    platform: &Platform,
    staff: &CurrentStaff,
    reference: &str,
    letter_id: &str,
) -> Result<AddressedLetter, AppError> {
    let (review, _, _) = load(platform, staff, reference).await?;
    let back = case_url(&review);
    let applicant = (review.addressee(), review.postal_address.clone(), review.postcode.clone());
    AddressedLetter::find(
        platform.pool(),
        &staff.actor(),
        (crate::complaints::service::LETTER_CASE, &review.id),
        (RECORD_TYPE, &review.reference),
        letter_id,
        back,
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
