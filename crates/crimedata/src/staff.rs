//! The staff page for police data: every import with what it found (bad rows by file and line),
//! which force-months are held, and a form to fetch a month from police.uk in the background.
//! Files on the server import from the command line (`commissioner crimedata import`), where a
//! progress bar shows rows per second.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::web::forms::{ErrorSummary, FormErrors, TextInput};
use platform::web::{Form, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::fetch::{FetchRequest, JOB};

/// Who manages police data: administrators and performance officers.
pub const MANAGERS: &[Role] = &[Role::Administrator, Role::PerformanceOfficer];

pub fn routes() -> Routes {
    Routes::new().route("/staff/crime-data", Access::Roles(MANAGERS), get(page)).route(
        "/staff/crime-data/fetch",
        Access::Roles(MANAGERS),
        post(fetch),
    )
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ImportRun {
    pub started_at: String,
    pub finished_at: Option<String>,
    pub status: String,
    pub sources: String,
    pub summary: String,
    pub problems: String,
}

impl ImportRun {
    pub fn tag(&self) -> (&'static str, &'static str) {
        match self.status.as_str() {
            "done" => ("Done", "govuk-tag--green"),
            "done-with-problems" => ("Done, with problems", "govuk-tag--yellow"),
            "running" => ("Running or stopped", "govuk-tag--blue"),
            _ => ("Failed", "govuk-tag--red"),
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Holding {
    pub force: String,
    pub kind: String,
    pub first_month: String,
    pub last_month: String,
    pub months: i64,
    pub rows: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct FetchForm {
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub forces: String,
}

/// Police.uk's force slugs: the 43 territorial forces, British Transport Police and Northern
/// Ireland.
pub fn known_force(slug: &str) -> bool {
    matches!(slug, "btp" | "northern-ireland") || crate::generate::forces().iter().any(|f| f.slug == slug)
}

/// Checks the fetch form against today's date: a month already over (police.uk publishes each
/// month some weeks after it ends) and force slugs police.uk uses.
pub fn check_fetch(form: &FetchForm, today: Date) -> Result<(String, Vec<String>), FormErrors> {
    let mut errors = FormErrors::new();
    let month = form.month.trim().to_string();
    let this_month = format!("{:04}-{:02}", today.year(), u8::from(today.month()));
    if month.is_empty() {
        errors.add("month", "Enter the month to fetch, like 2026-09");
    } else if crate::rows::check_month(&month).is_err() {
        errors.add("month", "Enter the month as a year and month, like 2026-09");
    } else if month >= this_month {
        errors.add("month", format!("Enter a month before {this_month}: police.uk publishes a month after it ends"));
    }
    let forces: Vec<String> =
        form.forces.split(',').map(|f| f.trim().to_lowercase().replace(' ', "-")).filter(|f| !f.is_empty()).collect();
    if let Some(unknown) = forces.iter().find(|f| !known_force(f)) {
        errors.add("forces", format!("“{unknown}” is not a police.uk force name: use names like staffordshire or west-midlands"));
    }
    if errors.is_empty() { Ok((month, forces)) } else { Err(errors) }
}

#[derive(Template)]
#[template(path = "crime/staff.html")]
struct StaffPage {
    chrome: Chrome,
    runs: Vec<ImportRun>,
    holdings: Vec<Holding>,
    form: FetchForm,
    errors: FormErrors,
    queued: Option<String>,
}

impl StaffPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn month_input(&self) -> TextInput<'_> {
        TextInput::new("month", "Month", &self.form.month, &self.errors)
            .hint("For example, 2026-09")
            .width("govuk-input--width-10")
    }
    fn forces_input(&self) -> TextInput<'_> {
        TextInput::new("forces", "Forces (optional)", &self.form.forces, &self.errors)
            .hint("Police.uk names separated by commas, like staffordshire, west-midlands. Leave empty for every force.")
            .no_spellcheck()
    }
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    queued: Option<String>,
}

async fn page(State(platform): State<Platform>, chrome: Chrome, Query(query): Query<PageQuery>) -> Result<Response, AppError> {
    let queued = query.queued.filter(|m| crate::rows::check_month(m).is_ok());
    show(&platform, chrome, FetchForm::default(), FormErrors::new(), queued).await
}

async fn fetch(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Form(form): Form<FetchForm>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    match check_fetch(&form, platform::calendar::uk_local_date(now)) {
        Ok((month, forces)) => {
            let request = FetchRequest { month: month.clone(), forces, requested_by: staff.actor().label };
            let payload = serde_json::to_string(&request).map_err(|e| AppError::Internal(e.into()))?;
            let mut tx = platform::db::begin_write(platform.pool()).await?;
            platform::jobs::enqueue(&mut tx, JOB, &payload, 1, now).await?;
            let detail = if request.forces.is_empty() { "every force".to_string() } else { request.forces.join(", ") };
            audit::record(
                &mut tx,
                &staff.actor(),
                Event {
                    action: "queued police data fetch",
                    record_type: "crime data import",
                    record_id: &month,
                    detail: &detail,
                },
                now,
            )
            .await?;
            tx.commit().await?;
            Ok(Redirect::to(&format!("/staff/crime-data?queued={month}")).into_response())
        }
        Err(errors) => {
            let page = show(&platform, chrome.with_errors(true), form, errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn show(
    platform: &Platform,
    chrome: Chrome,
    form: FetchForm,
    errors: FormErrors,
    queued: Option<String>,
) -> Result<Response, AppError> {
    let runs = sqlx::query_as(
        "SELECT started_at, finished_at, status, sources, summary, problems FROM crimedata_import ORDER BY started_at DESC LIMIT 50",
    )
    .fetch_all(platform.pool())
    .await?;
    let holdings = sqlx::query_as(
        "SELECT force, kind, MIN(month) AS first_month, MAX(month) AS last_month, CAST(COUNT(*) AS BIGINT) AS months, \
         CAST(SUM(rows_imported) AS BIGINT) AS rows FROM crimedata_force_month GROUP BY force, kind ORDER BY force, kind",
    )
    .fetch_all(platform.pool())
    .await?;
    render(&StaffPage { chrome, runs, holdings, form, errors, queued })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(month: &str, forces: &str) -> FetchForm {
        FetchForm { month: month.into(), forces: forces.into() }
    }

    #[test]
    fn only_months_already_over_and_real_forces_can_be_fetched() {
        let today = Date::from_calendar_date(2026, time::Month::November, 24).expect("date");
        assert_eq!(check_fetch(&form("2026-10", ""), today).expect("last month"), ("2026-10".to_string(), vec![]));
        let this_month = check_fetch(&form("2026-11", ""), today).expect_err("this month");
        assert_eq!(
            this_month.for_field("month"),
            Some("Enter a month before 2026-11: police.uk publishes a month after it ends")
        );
        assert_eq!(
            check_fetch(&form(" 2026-09 ", "Staffordshire, west midlands,btp"), today).expect("forces").1,
            vec!["staffordshire", "west-midlands", "btp"]
        );
        let unknown = check_fetch(&form("2026-09", "gotham"), today).expect_err("no such force");
        assert!(unknown.for_field("forces").is_some_and(|m| m.starts_with("“gotham” is not")));
        assert!(check_fetch(&form("Sept", ""), today).is_err());
    }
}
