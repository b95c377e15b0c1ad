//! The staff page for police data: every import with what it found (bad rows by file and line),
//! and which force-months are held. Imports run from the command line (`commissioner crimedata
//! import`), where a progress bar shows rows per second.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use platform::access::{Access, Role, Routes};
use platform::web::render;
use platform::{AppError, Chrome, Platform};

/// Who manages police data: administrators and performance officers.
pub const MANAGERS: &[Role] = &[Role::Administrator, Role::PerformanceOfficer];

pub fn routes() -> Routes {
    Routes::new().route("/staff/crime-data", Access::Roles(MANAGERS), get(page))
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

#[derive(Template)]
#[template(path = "crime/staff.html")]
struct StaffPage {
    chrome: Chrome,
    runs: Vec<ImportRun>,
    holdings: Vec<Holding>,
}

async fn page(State(platform): State<Platform>, chrome: Chrome) -> Result<Response, AppError> {
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
    render(&StaffPage { chrome, runs, holdings })
}
