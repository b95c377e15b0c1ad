//! Files added to a case or draft one page-load at a time, for every service: the Foundation II
//! file rules (size, type, count) applied, accepted files kept, and one clear message for what
//! was refused.

use axum::extract::Request;
use platform::throttle::{self, Limit};
use platform::web::forms::FormErrors;
use platform::{AppError, Platform, files};
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

/// What a page's upload did: the form's other fields, the names of the files kept, and what was
/// refused and why.
pub struct Added<F> {
    pub form: F,
    pub stored: Vec<String>,
    pub errors: FormErrors,
    /// No file was chosen at all (its one error says so): pressing "Continue" with nothing chosen
    /// is not a mistake, but a chosen file that was refused is.
    pub nothing_chosen: bool,
}

impl<F> Added<F> {
    /// Whether "Continue" may go on: everything chosen was kept, or nothing was chosen.
    pub fn may_go_on(&self) -> bool {
        self.errors.is_empty() || self.nothing_chosen
    }
    /// For the audit log: the files kept, by name ("" when none were).
    pub fn stored_names(&self) -> String {
        platform::words::and_list(&self.stored)
    }
}

/// Reads a multipart form whose `field` holds files for `owner` (type, id), which may hold `max`
/// files in all. Files within the limits are stored whatever else was wrong, and are listed on
/// the page shown next.
pub async fn add_files<F: DeserializeOwned + Default>(
    platform: &Platform,
    request: Request,
    owner: (&str, &str),
    max: usize,
    field: &str,
) -> Result<Added<F>, AppError> {
    let held = files::files_of(platform.pool(), owner.0, owner.1).await?.len();
    let now = OffsetDateTime::now_utc();
    // Bytes a form may take over its life, removed files included: room for its files twice over,
    // so replacing a file is never refused, but upload-and-remove cannot fill the disk.
    let budget = Limit {
        kind: "upload bytes to form",
        limit: i64::try_from(platform.settings().upload_max_bytes.saturating_mul(2 * max as u64)).unwrap_or(i64::MAX),
        window: throttle::LONGEST_WINDOW,
    };
    let subject = format!("{} {}", owner.0, owner.1);
    let over_budget = throttle::exhausted(platform.pool(), budget, &subject, now).await?;
    let allowed = if over_budget { 0 } else { max.saturating_sub(held) };
    let rules = platform::web::evidence_rules(platform, allowed);
    let (form, uploads, mut errors): (F, _, _) = platform::web::read_form_with_files(platform, request, rules, field).await?;
    let received: u64 = uploads.iter().map(|u| u.size_bytes).sum();
    if received > 0 {
        throttle::count(platform.pool(), budget, &subject, i64::try_from(received).unwrap_or(i64::MAX), now).await?;
    }
    if over_budget && errors.for_field(field).is_some() {
        errors = FormErrors::new();
        errors.add(field, files::UPLOAD_ALLOWANCE_USED);
        return Ok(Added { form, stored: Vec::new(), errors, nothing_chosen: false });
    }
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
    for upload in &uploads {
        platform.storage().persist(upload).await.map_err(|e| AppError::Internal(e.into()))?;
        let mut conn = platform.pool().acquire().await?;
        files::record(&mut conn, upload, owner.0, owner.1, now).await?;
    }
    let nothing_chosen = uploads.is_empty() && errors.is_empty();
    if nothing_chosen {
        errors.add(field, "Select a file to upload");
    }
    let stored = uploads.into_iter().map(|u| u.original_name).collect();
    Ok(Added { form, stored, errors, nothing_chosen })
}
