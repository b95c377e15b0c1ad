//! The staff page for police data: every import with what it found (bad rows by file and line),
//! which force-months are held, and a form to fetch a month from police.uk in the background.
//! Files on the server import from the command line (`commissioner crimedata import`), where a
//! progress bar shows rows per second.

use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Event};
use platform::db;
use platform::web::forms::{FormErrors, TextInput};
use platform::web::{Form, PageRequest, StaffPage, render};
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
    pub stage: String,
    pub bytes_done: i64,
    pub bytes_total: i64,
    pub rows_read: i64,
    pub progress_at: Option<String>,
}

/// How far a running import has got, in words and as a share for a progress bar.
#[derive(Debug, Clone, PartialEq)]
pub struct RunProgress {
    pub percent: Option<u8>,
    pub words: String,
}

impl ImportRun {
    fn silent_since(&self, now: OffsetDateTime, seconds: i64) -> bool {
        let last = self.progress_at.as_deref().or(Some(self.started_at.as_str())).and_then(db::parse_timestamp);
        last.is_none_or(|at| (now - at).whole_seconds() > seconds)
    }

    pub fn progress(&self) -> Option<RunProgress> {
        if self.status != "running" || self.stage.is_empty() {
            return None;
        }
        let megabytes = |bytes: i64| format!("{:.1}", bytes as f64 / 1_000_000.0);
        let percent = (self.bytes_total > 0)
            .then(|| ((self.bytes_done.clamp(0, self.bytes_total) as f64 / self.bytes_total as f64) * 100.0).floor() as u8);
        let amount = if self.bytes_total > 0 {
            format!("{} of {} MB", megabytes(self.bytes_done), megabytes(self.bytes_total))
        } else {
            format!("{} MB", megabytes(self.bytes_done))
        };
        let words = match self.stage.as_str() {
            "downloading" => format!("Downloading the archive: {amount}"),
            _ => format!("Reading the files: {amount}, {} rows so far", self.rows_read),
        };
        Some(RunProgress { percent, words })
    }

    pub fn tag(&self) -> (&'static str, &'static str) {
        match self.status.as_str() {
            "done" => ("Done", "govuk-tag--green"),
            "done-with-problems" => ("Done, with problems", "govuk-tag--yellow"),
            // A running import records its progress every second; silence means it stopped.
            "running" if self.silent_since(OffsetDateTime::now_utc(), 120) => ("Stopped", "govuk-tag--red"),
            "running" => ("Running", "govuk-tag--blue"),
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
struct ImportsPage {
    chrome: Chrome,
    runs: Vec<ImportRun>,
    holdings: Vec<Holding>,
    form: FetchForm,
    errors: FormErrors,
    queued: Option<String>,
    unplaced: Vec<crate::geography::Unplaced>,
}

impl ImportsPage {
    fn count(&self, n: &i64) -> String {
        platform::format::count(*n)
    }
    /// "October 2024 to December 2024 (3 months)".
    fn held_months(&self, holding: &Holding) -> String {
        let months = if holding.months == 1 { "1 month".to_string() } else { format!("{} months", holding.months) };
        format!("{} ({months})", platform::format::month_range(&holding.first_month, &holding.last_month))
    }
    fn month_words(&self, month: &str) -> String {
        platform::format::month_of(month)
    }
    fn started(&self, at: &str) -> String {
        platform::calendar::time_and_date_of(at)
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

async fn page(PageRequest { platform, chrome }: PageRequest, Query(query): Query<PageQuery>) -> Result<Response, AppError> {
    let queued = query.queued.filter(|m| crate::rows::check_month(m).is_ok());
    show(&platform, chrome, FetchForm::default(), FormErrors::new(), queued).await
}

async fn fetch(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<FetchForm>) -> Result<Response, AppError> {
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
        "SELECT started_at, finished_at, status, sources, summary, problems, stage, bytes_done, bytes_total, rows_read, \
         progress_at FROM crimedata_import ORDER BY started_at DESC LIMIT 50",
    )
    .fetch_all(platform.pool())
    .await?;
    let holdings = sqlx::query_as(
        "SELECT force, kind, MIN(month) AS first_month, MAX(month) AS last_month, CAST(COUNT(*) AS BIGINT) AS months, \
         CAST(SUM(rows_imported) AS BIGINT) AS rows FROM crimedata_force_month GROUP BY force, kind ORDER BY force, kind",
    )
    .fetch_all(platform.pool())
    .await?;
    let unplaced = crate::geography::unplaced(platform.pool()).await?;
    render(&ImportsPage { chrome, runs, holdings, form, errors, queued, unplaced })
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

    fn run(status: &str, stage: &str, done: i64, total: i64) -> ImportRun {
        ImportRun {
            started_at: "2026-11-24T09:00:00Z".into(),
            finished_at: None,
            status: status.into(),
            sources: "x".into(),
            summary: String::new(),
            problems: String::new(),
            stage: stage.into(),
            bytes_done: done,
            bytes_total: total,
            rows_read: 4_812_000,
            progress_at: Some("2026-11-24T09:10:00Z".into()),
        }
    }

    #[test]
    fn a_running_import_says_how_far_it_has_got() {
        let reading = run("running", "reading", 520_000_000, 1_150_000_000).progress().expect("progress");
        assert_eq!(reading.percent, Some(45));
        assert_eq!(reading.words, "Reading the files: 520.0 of 1150.0 MB, 4812000 rows so far");
        let downloading = run("running", "downloading", 3_000_000, 0).progress().expect("progress");
        assert_eq!((downloading.percent, downloading.words.as_str()), (None, "Downloading the archive: 3.0 MB"));
        assert_eq!(run("running", "reading", 2_000, 1_000).progress().expect("progress").percent, Some(100));
        assert_eq!(run("done", "", 1, 1).progress(), None);
    }

    #[test]
    fn a_run_that_has_gone_quiet_is_called_stopped() {
        let at = |text: &str| db::parse_timestamp(text).expect("time");
        let r = run("running", "reading", 1, 2);
        assert!(!r.silent_since(at("2026-11-24T09:11:00Z"), 120));
        assert!(r.silent_since(at("2026-11-24T09:12:01Z"), 120));
    }
}
