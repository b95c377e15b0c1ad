//! Files added to a case or draft one page-load at a time, for every service: the Foundation II
//! file rules (size, type, count) applied, accepted files kept, and one clear message for what
//! was refused.

use axum::extract::Request;
use platform::web::forms::FormErrors;
use platform::{AppError, Platform, files};
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

/// Reads a multipart form whose `field` holds files for `owner` (type, id), which may hold `max`
/// files in all. Returns the form's other fields and any errors; files within the limits are
/// stored whatever else was wrong, and are listed on the page shown next.
pub async fn add_files<F: DeserializeOwned + Default>(
    platform: &Platform,
    request: Request,
    owner: (&str, &str),
    max: usize,
    field: &str,
) -> Result<(F, FormErrors), AppError> {
    let held = files::files_of(platform.pool(), owner.0, owner.1).await?.len();
    let rules = platform::web::evidence_rules(platform, max.saturating_sub(held));
    let (form, uploads, mut errors): (F, _, _) = platform::web::read_form_with_files(platform, request, rules, field).await?;
    // Say how many fit in all, rather than the upload kit's general limit.
    if errors.for_field(field).is_some_and(|m| m.starts_with("Select up to")) {
        let message = if held >= max {
            format!("You have added {max} files, the most this form takes: remove one to add another")
        } else {
            format!("You can add up to {max} files in all: the files over that number were not added")
        };
        errors = FormErrors::new();
        errors.add(field, message);
    }
    let now = OffsetDateTime::now_utc();
    for upload in &uploads {
        platform.storage().persist(upload).await.map_err(|e| AppError::Internal(e.into()))?;
        let mut conn = platform.pool().acquire().await?;
        files::record(&mut conn, upload, owner.0, owner.1, now).await?;
    }
    if uploads.is_empty() && errors.is_empty() {
        errors.add(field, "Select a file to upload");
    }
    Ok((form, errors))
}
