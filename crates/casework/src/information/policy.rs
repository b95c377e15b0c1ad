//! The office's settings for information requests: whether the officer who drafted a response
//! may also approve it. Four eyes is the default, as the ICO's good practice expects of a
//! disclosure; a one-person office can turn it off. Administrators change it; changes are audited.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Event};
use platform::db::Pool;
use platform::web::forms::{Choice, Choices, FormErrors};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome};
use serde::Deserialize;
use time::OffsetDateTime;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InformationPolicy {
    pub drafter_may_approve: bool,
}

impl InformationPolicy {
    /// Why `approver` may not approve a response drafted by `drafter`, if they may not.
    pub fn refuses_approval(&self, drafter: Option<&str>, approver: &str) -> Option<&'static str> {
        (!self.drafter_may_approve && drafter == Some(approver))
            .then_some("You drafted this response: another officer must approve it before it is sent")
    }
}

/// The settings, or four eyes until an administrator saves otherwise.
pub async fn load(pool: &Pool) -> Result<InformationPolicy, sqlx::Error> {
    let row: Option<i64> = sqlx::query_scalar("SELECT drafter_may_approve FROM casework_information_policy WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    Ok(InformationPolicy { drafter_may_approve: row == Some(1) })
}

async fn save(pool: &Pool, policy: InformationPolicy, staff: &platform::auth::CurrentStaff) -> Result<(), sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    let value = i64::from(policy.drafter_may_approve);
    sqlx::query(
        "INSERT INTO casework_information_policy (id, drafter_may_approve) VALUES (1, $1) \
         ON CONFLICT (id) DO UPDATE SET drafter_may_approve = excluded.drafter_may_approve",
    )
    .bind(value)
    .execute(&mut *tx)
    .await?;
    let detail = if policy.drafter_may_approve { "the drafter may approve" } else { "another officer approves" };
    let event = Event { action: "changed", record_type: "information request settings", record_id: "1", detail };
    audit::record(&mut tx, &staff.actor(), event, OffsetDateTime::now_utc()).await?;
    tx.commit().await
}

pub fn routes() -> Routes {
    Routes::new().route("/staff/information-requests/settings", Access::Roles(&[Role::Administrator]), get(show).post(change))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettingsForm {
    approval: String,
}

const APPROVAL: [(&str, &str, &str); 2] = [
    (
        "another-officer",
        "Another officer approves each response",
        "Recommended: the officer who drafted a response cannot approve it.",
    ),
    ("drafter-may-approve", "The officer who drafted it may approve it", "For an office with one information officer."),
];

#[derive(Template)]
#[template(path = "information/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    selected: &'static str,
    errors: FormErrors,
    saved: bool,
}

impl SettingsPage {
    fn of(chrome: Chrome, policy: InformationPolicy, saved: bool) -> Self {
        let selected = if policy.drafter_may_approve { APPROVAL[1].0 } else { APPROVAL[0].0 };
        SettingsPage { chrome, selected, errors: FormErrors::new(), saved }
    }
    fn approval(&self) -> Choices<'_> {
        let items = APPROVAL.iter().map(|(value, text, hint)| Choice::with_hint(value, text, hint)).collect();
        Choices::radios("approval", "Who approves a response before it is sent?", items, Some(self.selected), &self.errors)
            .legend_size("govuk-fieldset__legend--m")
    }
}

async fn show(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let policy = load(platform.pool()).await?;
    render(&SettingsPage::of(chrome, policy, false))
}

async fn change(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<SettingsForm>) -> Result<Response, AppError> {
    let policy = match form.approval.as_str() {
        "another-officer" => InformationPolicy { drafter_may_approve: false },
        "drafter-may-approve" => InformationPolicy { drafter_may_approve: true },
        _ => {
            let mut page = SettingsPage::of(chrome.with_errors(true), load(platform.pool()).await?, false);
            page.errors.add("approval", "Select who approves a response");
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    save(platform.pool(), policy, &staff).await?;
    render(&SettingsPage::of(chrome, policy, true))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_drafter_is_refused_and_only_under_four_eyes() {
        let four_eyes = InformationPolicy { drafter_may_approve: false };
        let one_officer = InformationPolicy { drafter_may_approve: true };
        let table = [
            (four_eyes, Some("ann"), "ann", true),
            (four_eyes, Some("ann"), "bob", false),
            // Drafted before drafters were recorded: nobody to compare with.
            (four_eyes, None, "ann", false),
            (one_officer, Some("ann"), "ann", false),
        ];
        for (policy, drafter, approver, refused) in table {
            assert_eq!(policy.refuses_approval(drafter, approver).is_some(), refused, "{policy:?} {drafter:?} {approver}");
        }
    }
}
