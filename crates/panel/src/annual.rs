//! The Commissioner's annual report for a financial year, made from the records: plan delivery
//! as each published plan's last locked quarter of the year recorded it, police and fire
//! performance as the year's last locked quarter recorded it, and every service's yearly figures
//! (through the kit, `Platform::yearly_figures`), with the office's own sections and case studies.
//! Published once the year has ended: frozen as a page, a tagged PDF and a CSV of every figure.
//! The Panel must review it at a public meeting; its review is recorded beside it.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Actor, Event};
use platform::charts::{Column, Table};
use platform::db::{self, Pool};
use platform::figures::{Figure, FiguresTable, YearSummary};
use platform::format::Value;
use platform::periods::{FinancialYear, Quarter};
use platform::web::forms::{FormErrors, TextInput, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use publishing::{Block, Document};
use serde::Deserialize;
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};

use crate::OFFICERS;

/// Who writes the annual report: the office.
pub const EDITORS: &[Role] = &[Role::Administrator, Role::PerformanceOfficer];
/// Who reads drafts: the office, and the Panel.
pub const READERS: &[Role] = &[Role::Administrator, Role::PerformanceOfficer, Role::PanelOfficer, Role::PanelMember];

pub fn routes() -> Routes {
    let editors = Access::Roles(EDITORS);
    Routes::new()
        .route("/panel/annual-reports", Access::Public, get(public_list))
        .route("/panel/annual-reports/{year}", Access::Public, get(public_page))
        .route("/panel/annual-reports/{year}/pdf", Access::Public, get(public_pdf))
        .route("/panel/annual-reports/{year}/csv", Access::Public, get(public_csv))
        .route("/staff/annual-reports", Access::Roles(READERS), get(staff_list))
        .route("/staff/annual-reports/new", editors, post(start))
        .route("/staff/annual-reports/{year}", Access::Roles(READERS), get(staff_page))
        .route("/staff/annual-reports/{year}/text", editors, post(save_text))
        .route("/staff/annual-reports/{year}/publish", editors, post(publish))
        .route("/staff/annual-reports/{year}/review", Access::Roles(OFFICERS), post(record_review))
        .route("/panel/annual-reports/{year}/photos/{photo}", Access::Public, get(public_photo))
        .route("/staff/annual-reports/{year}/photos", editors, post(add_photo).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/staff/annual-reports/{year}/photos/{photo}", Access::Roles(READERS), get(staff_photo))
        .route("/staff/annual-reports/{year}/photos/{photo}/remove", editors, post(remove_photo))
}

// ---------------------------------------------------------------------------------------------
// What the report is made from, and the report (pure)

/// A plan as one locked quarter recorded it: actions by status.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanPart {
    pub title: String,
    pub quarter: String,
    pub sha256: String,
    /// (status in words, actions)
    pub statuses: Vec<(String, usize)>,
}

/// A service's measures as one locked quarter recorded them.
#[derive(Debug, Clone, PartialEq)]
pub struct PerformancePart {
    pub title: String,
    pub sha256: String,
    /// (measure, latest period in words, latest figure, verdict in words)
    pub measures: Vec<(String, String, String, String)>,
}

/// Everything the report is made from.
#[derive(Debug, Clone)]
pub struct Inputs {
    pub year: FinancialYear,
    pub office: String,
    pub narrative: String,
    pub case_studies: String,
    pub plans: Vec<PlanPart>,
    pub performance: Vec<PerformancePart>,
    pub services: Vec<YearSummary>,
    /// Photographs, with their alternative text, in the order added.
    pub photos: Vec<publishing::Photo>,
}

/// Text the office wrote as sections: a line starting `## ` begins a section with that heading;
/// blank lines separate paragraphs. Text before any heading is one section with `untitled`.
pub fn sections(text: &str, untitled: &str) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let mut paragraph = String::new();
    let flush = |out: &mut Vec<(String, Vec<String>)>, paragraph: &mut String| {
        if !paragraph.trim().is_empty() {
            if out.is_empty() {
                out.push((untitled.to_string(), Vec::new()));
            }
            if let Some(last) = out.last_mut() {
                last.1.push(paragraph.trim().to_string());
            }
        }
        paragraph.clear();
    };
    for line in text.lines() {
        if let Some(heading) = line.trim_start().strip_prefix("## ") {
            flush(&mut out, &mut paragraph);
            out.push((heading.trim().to_string(), Vec::new()));
        } else if line.trim().is_empty() {
            flush(&mut out, &mut paragraph);
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(line.trim());
        }
    }
    flush(&mut out, &mut paragraph);
    out
}

fn value_of(figure: Figure) -> Value {
    match figure {
        Figure::Count(n) => Value::Count(i64::from(n)),
        Figure::Measure(Some(v)) => Value::Number(v, 1),
        Figure::Percent(Some(v)) => Value::Percent(v, 1),
        Figure::Measure(None) | Figure::Percent(None) => Value::Missing,
    }
}

/// A service's published table as a document's table (the columns shown on its page).
pub fn table_of(figures: &FiguresTable) -> Table {
    let shown: Vec<usize> = figures.columns.iter().enumerate().filter(|(_, c)| c.heading.is_some()).map(|(i, _)| i).collect();
    let mut columns = vec![Column::text(figures.label_column.heading.clone().unwrap_or_default())];
    columns.extend(shown.iter().map(|&i| Column::number(figures.columns[i].heading.clone().unwrap_or_default())));
    let row = |r: &platform::figures::Row| {
        let mut values = vec![Value::Text(r.label.clone())];
        values.extend(shown.iter().map(|&i| r.figures.get(i).copied().map(value_of).unwrap_or(Value::Missing)));
        values
    };
    Table { caption: figures.caption.clone(), columns, rows: figures.rows.iter().chain(figures.total.iter()).map(row).collect() }
}

/// The report: the office's sections, then plan delivery, performance and the services'
/// figures from the records, then the case studies. Pure: the same inputs make the same report.
pub fn document(inputs: &Inputs, today: Date) -> Document {
    let mut doc = Document::new(format!("Annual report {}", inputs.year.short_label()), inputs.office.clone(), today);
    doc.contents = true;
    for (heading, paragraphs) in sections(&inputs.narrative, "Introduction") {
        doc.push(Block::Heading(2, heading));
        for p in paragraphs {
            doc.push(Block::Paragraph(p));
        }
    }
    doc.push(Block::Heading(2, "Delivering the plan".into()));
    if inputs.plans.is_empty() {
        doc.push(Block::Paragraph(format!("No quarter of a published plan was locked in {}.", inputs.year.short_label())));
    }
    for plan in &inputs.plans {
        doc.push(Block::Heading(3, plan.title.clone()));
        let total: usize = plan.statuses.iter().map(|(_, n)| n).sum();
        doc.push(Block::Paragraph(format!(
            "As recorded when {} was locked: {} delivery actions.",
            plan.quarter,
            platform::format::thousands(total)
        )));
        doc.push(Block::Table(Table {
            caption: format!("{}: delivery actions by status, {}", plan.title, plan.quarter),
            columns: vec![Column::text("Status"), Column::number("Actions"), Column::number("Share of actions")],
            rows: plan
                .statuses
                .iter()
                .map(|(status, n)| {
                    let share = if total == 0 { Value::Missing } else { Value::Percent(*n as f64 * 100.0 / total as f64, 0) };
                    vec![Value::Text(status.clone()), Value::Count(*n as i64), share]
                })
                .collect(),
        }));
        doc.push(Block::Source(format!("The plan’s locked record for {}, SHA-256 {}.", plan.quarter, plan.sha256)));
    }
    doc.push(Block::Heading(2, "Police and fire performance".into()));
    if inputs.performance.is_empty() {
        doc.push(Block::Paragraph(format!("No quarter of performance figures was locked in {}.", inputs.year.short_label())));
    }
    for part in &inputs.performance {
        doc.push(Block::Heading(3, part.title.clone()));
        doc.push(Block::Table(Table {
            caption: format!("{}: each measure’s latest figure and verdict", part.title),
            columns: vec![
                Column::text("Measure"),
                Column::text("Latest period"),
                Column::number("Latest figure"),
                Column::text("Verdict"),
            ],
            rows: part
                .measures
                .iter()
                .map(|(m, p, f, v)| {
                    vec![Value::Text(m.clone()), Value::Text(p.clone()), Value::Text(f.clone()), Value::Text(v.clone())]
                })
                .collect(),
        }));
        doc.push(Block::Note(
            "Verdicts come from each measure’s control chart: a change is called improving or deteriorating only when it is more than the usual variation. The performance pages give each measure’s definition and the note on its data.".into(),
        ));
        doc.push(Block::Source(format!("The locked quarter’s record, SHA-256 {}.", part.sha256)));
    }
    doc.push(Block::Heading(2, "Our public services".into()));
    for s in &inputs.services {
        doc.push(Block::Heading(3, s.name.to_string()));
        doc.push(Block::Paragraph(s.about.to_string()));
        let headline: Vec<String> = s.headlines.0.iter().map(|(f, label)| format!("{} {label}", f.shown())).collect();
        if !headline.is_empty() {
            doc.push(Block::Paragraph(format!("In the year: {}.", headline.join("; "))));
        }
        doc.push(Block::Table(table_of(&s.table)));
        doc.push(Block::Note(s.caveats.to_string()));
    }
    let studies = sections(&inputs.case_studies, "Case study");
    if !studies.is_empty() {
        doc.push(Block::Heading(2, "Case studies".into()));
        for (title, paragraphs) in studies {
            doc.push(Block::Heading(3, title));
            for p in paragraphs {
                doc.push(Block::Paragraph(p));
            }
        }
    }
    if !inputs.photos.is_empty() {
        doc.push(Block::Heading(2, "The year in pictures".into()));
        for photo in &inputs.photos {
            doc.push(Block::Photo(Box::new(photo.clone())));
        }
    }
    doc
}

/// Gathers the inputs from the records as they are now; photographs are shown from `photo_base`.
pub async fn gather(
    platform: &Platform,
    year: FinancialYear,
    (narrative, case_studies): (&str, &str),
    photo_base: &str,
) -> Result<Inputs, AppError> {
    let pool = platform.pool();
    let office = platform.office().await?;
    let in_year = |slug: &str| Quarter::from_slug(slug).is_some_and(|q| q.year == year);
    let mut plans_part = Vec::new();
    for plan in plans::store::list_plans(pool).await?.into_iter().filter(|p| p.status.is_public()) {
        let Some((quarter, _)) = plans::store::snapshot_quarters(pool, &plan.id).await?.into_iter().find(|(q, _)| in_year(q))
        else {
            continue;
        };
        let Some(locked) = plans::store::find_snapshot(pool, &plan.id, &quarter).await? else { continue };
        let mut counts = [0usize; 4];
        let statuses = [
            plans::model::DeliveryStatus::Implemented,
            plans::model::DeliveryStatus::BeingImplemented,
            plans::model::DeliveryStatus::NotImplemented,
            plans::model::DeliveryStatus::Superseded,
        ];
        for action in locked.snapshot.priorities.iter().flat_map(|p| &p.commitments).flat_map(|c| &c.actions) {
            if let Some(i) = statuses.iter().position(|s| *s == action.status()) {
                counts[i] += 1;
            }
        }
        plans_part.push(PlanPart {
            title: plan.title.clone(),
            quarter: plans::model::quarter_label(&quarter),
            sha256: locked.sha256.clone(),
            statuses: statuses.iter().zip(counts).map(|(s, n)| (s.name().to_string(), n)).collect(),
        });
    }
    let mut performance_part = Vec::new();
    for service in [performance::model::Service::Police, performance::model::Service::Fire] {
        let Some(locked) =
            performance::snapshot::list(pool).await?.into_iter().find(|l| l.service == service && in_year(&l.quarter))
        else {
            continue;
        };
        let Some((locked, content)) = performance::snapshot::find(pool, service, &locked.quarter).await? else { continue };
        let measures = content
            .measures
            .iter()
            .map(|m| {
                let (period, figure) = m
                    .latest()
                    .map(|p| {
                        let period = platform::periods::Period::from_slug(&p.period)
                            .map(|x| x.label())
                            .unwrap_or_else(|| p.period.clone());
                        (period, m.unit().show(p.value))
                    })
                    .unwrap_or_else(|| ("No figures".into(), "–".into()));
                (m.definition.name.clone(), period, figure, m.variation.words().to_string())
            })
            .collect();
        performance_part.push(PerformancePart { title: locked.title(), sha256: locked.sha256.clone(), measures });
    }
    let mut services = Vec::new();
    for summary in platform.yearly_figures() {
        services.push(summary(platform, year).await?);
    }
    let mut photos = Vec::new();
    for p in photos_of(pool, year.0).await? {
        let Some(file) = platform::files::find(pool, &p.file_id).await? else { continue };
        let bytes = read_all(platform, &file.sha256).await?;
        photos.push(publishing::Photo { bytes, src: format!("{photo_base}/{}", p.id), alt: p.alt, caption: p.caption });
    }
    Ok(Inputs {
        year,
        office: office.name,
        photos,
        narrative: narrative.to_string(),
        case_studies: case_studies.to_string(),
        plans: plans_part,
        performance: performance_part,
        services,
    })
}

// ---------------------------------------------------------------------------------------------
// The records

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Report {
    pub year: i64,
    pub narrative: String,
    pub case_studies: String,
    pub status: String,
    pub html: String,
    pub figures_csv: String,
    pub pdf_file_id: Option<String>,
    pub published_at: Option<String>,
    pub review: String,
    pub reviewed_on: Option<String>,
    pub version: i64,
}

impl Report {
    pub fn financial_year(&self) -> FinancialYear {
        FinancialYear(i32::try_from(self.year).unwrap_or(2000))
    }
    pub fn is_published(&self) -> bool {
        self.status == "published"
    }
}

const COLUMNS: &str =
    "year, narrative, case_studies, status, html, figures_csv, pdf_file_id, published_at, review, reviewed_on, version";

pub async fn reports(pool: &Pool) -> Result<Vec<Report>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM panel_annual_report ORDER BY year DESC")))
        .fetch_all(pool)
        .await
}

pub async fn report(pool: &Pool, year: i32) -> Result<Option<Report>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM panel_annual_report WHERE year = $1")))
        .bind(i64::from(year))
        .fetch_optional(pool)
        .await
}

async fn record(
    conn: &mut AnyConnection,
    actor: &Actor,
    (action, year): (&str, i32),
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let id = year.to_string();
    audit::record(conn, actor, Event { action, record_type: "annual report", record_id: &id, detail: "" }, now).await.map(|_| ())
}

pub async fn start_report(conn: &mut AnyConnection, year: i32, actor: &Actor, now: OffsetDateTime) -> Result<bool, sqlx::Error> {
    let added = sqlx::query("INSERT INTO panel_annual_report (year, status) VALUES ($1, 'draft') ON CONFLICT (year) DO NOTHING")
        .bind(i64::from(year))
        .execute(&mut *conn)
        .await?
        .rows_affected()
        > 0;
    if added {
        record(conn, actor, ("started", year), now).await?;
    }
    Ok(added)
}

pub async fn write_text(
    conn: &mut AnyConnection,
    (year, version): (i32, i64),
    (narrative, case_studies): (&str, &str),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE panel_annual_report SET narrative = $1, case_studies = $2, version = version + 1 WHERE year = $3 AND version = $4 AND status = 'draft'",
    )
    .bind(narrative.to_string())
    .bind(case_studies.to_string())
    .bind(i64::from(year))
    .bind(version)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if done {
        record(conn, actor, ("wrote", year), now).await?;
    }
    Ok(done)
}

pub async fn mark_published(
    conn: &mut AnyConnection,
    (year, version): (i32, i64),
    (html, csv, pdf_file_id): (&str, &str, &str),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE panel_annual_report SET status = 'published', html = $1, figures_csv = $2, pdf_file_id = $3, published_at = $4, version = version + 1 \
         WHERE year = $5 AND version = $6 AND status = 'draft'",
    )
    .bind(html.to_string())
    .bind(csv.to_string())
    .bind(pdf_file_id.to_string())
    .bind(db::timestamp(now))
    .bind(i64::from(year))
    .bind(version)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if done {
        record(conn, actor, ("published", year), now).await?;
    }
    Ok(done)
}

pub async fn write_review(
    conn: &mut AnyConnection,
    year: i32,
    (review, on): (&str, Date),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE panel_annual_report SET review = $1, reviewed_on = $2, version = version + 1 WHERE year = $3 AND status = 'published'")
        .bind(review.to_string())
        .bind(db::date(on))
        .bind(i64::from(year))
        .execute(&mut *conn)
        .await?
        .rows_affected()
        > 0;
    if done {
        record(conn, actor, ("recorded the Panel’s review of", year), now).await?;
    }
    Ok(done)
}

/// Publishes a draft: made from the records now, frozen as page, PDF and CSV. Refused (with the
/// reason) before the year has ended.
pub async fn publish_report(
    platform: &Platform,
    report: &Report,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Result<(), String>, AppError> {
    let year = report.financial_year();
    let today = platform::calendar::uk_local_date(now);
    if today <= year.last_day() {
        return Ok(Err(format!(
            "The annual report for {} can be published once the year has ended, after {}",
            year.short_label(),
            platform::calendar::long_date(year.last_day())
        )));
    }
    let inputs =
        gather(platform, year, (&report.narrative, &report.case_studies), &format!("/panel/annual-reports/{}/photos", year.0))
            .await?;
    let document = document(&inputs, today);
    let html = document.html_in("report-");
    let csv = document.figures_csv();
    let pdf = tokio::task::spawn_blocking(move || document.pdf())
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let mut tx = db::begin_write(platform.pool()).await?;
    let name = format!("annual-report-{}.pdf", year.0);
    let file = platform::files::store_generated(
        &mut tx,
        platform.storage(),
        pdf,
        ("application/pdf", &name),
        ("annual report", &year.0.to_string()),
        now,
    )
    .await
    .map_err(AppError::Internal)?;
    let done = mark_published(&mut tx, (year.0, report.version), (&html, &csv, &file), actor, now).await?;
    tx.commit().await?;
    Ok(if done { Ok(()) } else { Err("Someone else has just changed or published this report: check it below".into()) })
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PhotoRow {
    pub id: String,
    pub file_id: String,
    pub alt: String,
    pub caption: String,
}

pub async fn photos_of(pool: &Pool, year: i32) -> Result<Vec<PhotoRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, file_id, alt, caption FROM panel_annual_photo WHERE year = $1 ORDER BY added_at, id")
        .bind(i64::from(year))
        .fetch_all(pool)
        .await
}

async fn read_all(platform: &Platform, sha256: &str) -> Result<Vec<u8>, AppError> {
    use futures_util::TryStreamExt;
    let stream = platform.storage().read(sha256).await.map_err(|e| AppError::Internal(e.into()))?;
    let chunks: Vec<bytes::Bytes> = stream.try_collect().await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(chunks.concat())
}

// ---------------------------------------------------------------------------------------------
// Pages

fn year_of(text: &str) -> Result<i32, AppError> {
    text.parse::<i32>().ok().filter(|y| (2012..=2100).contains(y)).ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "panel/annual_list.html")]
struct PublicList {
    chrome: Chrome,
    reports: Vec<Report>,
}

async fn public_list(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let reports = reports(platform.pool()).await?.into_iter().filter(Report::is_published).collect();
    render(&PublicList { chrome, reports })
}

async fn published(platform: &Platform, year: &str) -> Result<Report, AppError> {
    report(platform.pool(), year_of(year)?).await?.filter(Report::is_published).ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "panel/annual_report.html")]
struct PublicPage {
    chrome: Chrome,
    report: Report,
}

impl PublicPage {
    fn date(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
}

async fn public_page(PageRequest { platform, chrome }: PageRequest, Path(year): Path<String>) -> Result<Response, AppError> {
    let report = published(&platform, &year).await?;
    render(&PublicPage { chrome, report })
}

async fn public_pdf(PageRequest { platform, .. }: PageRequest, Path(year): Path<String>) -> Result<Response, AppError> {
    let report = published(&platform, &year).await?;
    let file = platform::files::find(platform.pool(), report.pdf_file_id.as_deref().unwrap_or_default())
        .await?
        .ok_or(AppError::NotFound)?;
    platform::files::download(platform.storage(), &file).await.map_err(|e| AppError::Internal(e.into()))
}

async fn public_csv(PageRequest { platform, .. }: PageRequest, Path(year): Path<String>) -> Result<Response, AppError> {
    let report = published(&platform, &year).await?;
    Ok(platform::web::csv_download(report.figures_csv, &format!("annual-report-{}.csv", report.year)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StartForm {
    year: String,
}

#[derive(Template)]
#[template(path = "panel/staff_annual_list.html")]
struct StaffList {
    chrome: Chrome,
    edits: bool,
    reports: Vec<Report>,
    form: StartForm,
    errors: FormErrors,
}

impl StaffList {
    fn year(&self) -> TextInput<'_> {
        TextInput::new("year", "Financial year starting in April of", &self.form.year, &self.errors)
            .hint("For example 2025 for April 2025 to March 2026")
            .width("govuk-input--width-4")
    }
}

async fn list_page(
    platform: &Platform,
    chrome: Chrome,
    edits: bool,
    form: StartForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let failed = !errors.is_empty();
    let page = StaffList { chrome: chrome.with_errors(failed), edits, reports: reports(platform.pool()).await?, form, errors };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn staff_list(StaffPage { platform, chrome, staff }: StaffPage) -> Result<Response, AppError> {
    list_page(&platform, chrome, EDITORS.contains(&staff.user.role), StartForm::default(), FormErrors::new()).await
}

async fn start(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<StartForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let current = FinancialYear::containing(platform::calendar::uk_today());
    let Some(year) = form.year.trim().parse::<i32>().ok().filter(|y| (2012..=current.0).contains(y)) else {
        errors.add("year", format!("Enter the year the financial year starts, from 2012 to {}", current.0));
        return list_page(&platform, chrome, true, form, errors).await;
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    start_report(&mut tx, year, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/annual-reports/{year}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TextForm {
    version: i64,
    narrative: String,
    case_studies: String,
    review: String,
    reviewed_on: String,
}

#[derive(Template)]
#[template(path = "panel/staff_annual.html")]
struct StaffReport {
    chrome: Chrome,
    edits: bool,
    reviews: bool,
    report: Report,
    photos: Vec<PhotoRow>,
    preview: String,
    form: TextForm,
    errors: FormErrors,
}

impl StaffReport {
    fn narrative(&self) -> Textarea<'_> {
        Textarea::new("narrative", "The office’s sections", &self.form.narrative, &self.errors)
            .hint("Start each section with a line like: ## Foreword. Leave a blank line between paragraphs.")
            .rows(14)
    }
    fn case_studies(&self) -> Textarea<'_> {
        Textarea::new("case_studies", "Case studies", &self.form.case_studies, &self.errors)
            .hint("Start each case study with a line like: ## Supporting a victim of fraud. Use no one’s name without their consent.")
            .rows(10)
    }
    fn photo(&self) -> platform::web::forms::FileUpload<'_> {
        platform::web::forms::FileUpload::new("photo", "Photograph", &self.errors).hint("A JPEG or PNG, smaller than 5 MB")
    }
    fn alt(&self) -> TextInput<'_> {
        TextInput::new("alt", "What the photograph shows", "", &self.errors)
            .hint("Read out to people who cannot see it. For example: Volunteers planting a community garden in Burton")
    }
    fn caption(&self) -> TextInput<'_> {
        TextInput::new("caption", "Caption (optional)", "", &self.errors)
    }
    fn review(&self) -> Textarea<'_> {
        Textarea::new("review", "The Panel’s review", &self.form.review, &self.errors).rows(6)
    }
    fn reviewed_on(&self) -> TextInput<'_> {
        TextInput::new("reviewed_on", "Date of the meeting that reviewed it", &self.form.reviewed_on, &self.errors)
            .hint("As YYYY-MM-DD")
            .width("govuk-input--width-10")
    }
}

async fn report_page(
    platform: &Platform,
    chrome: Chrome,
    role: Role,
    report: Report,
    form: Option<TextForm>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let preview = if report.is_published() {
        report.html.clone()
    } else {
        let base = format!("/staff/annual-reports/{}/photos", report.year);
        let inputs = gather(platform, report.financial_year(), (&report.narrative, &report.case_studies), &base).await?;
        document(&inputs, platform::calendar::uk_today()).html_in("preview-")
    };
    let form = form.unwrap_or_else(|| TextForm {
        version: report.version,
        narrative: report.narrative.clone(),
        case_studies: report.case_studies.clone(),
        review: report.review.clone(),
        reviewed_on: report.reviewed_on.clone().unwrap_or_default(),
    });
    let failed = !errors.is_empty();
    let photos = photos_of(platform.pool(), report.year as i32).await?;
    let page = StaffReport {
        chrome: chrome.with_errors(failed),
        edits: EDITORS.contains(&role),
        reviews: OFFICERS.contains(&role),
        photos,
        report,
        preview,
        form,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn draft(platform: &Platform, year: &str) -> Result<Report, AppError> {
    report(platform.pool(), year_of(year)?).await?.ok_or(AppError::NotFound)
}

async fn staff_page(StaffPage { platform, chrome, staff }: StaffPage, Path(year): Path<String>) -> Result<Response, AppError> {
    let report = draft(&platform, &year).await?;
    report_page(&platform, chrome, staff.user.role, report, None, FormErrors::new()).await
}

async fn save_text(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(year): Path<String>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let report = draft(&platform, &year).await?;
    let mut errors = FormErrors::new();
    if report.is_published() {
        errors.add("narrative", "The report is published: its words cannot change now");
    }
    if form.narrative.chars().count() > 100_000 {
        errors.add("narrative", "The sections must be 100,000 characters or fewer");
    }
    if form.case_studies.chars().count() > 50_000 {
        errors.add("case_studies", "The case studies must be 50,000 characters or fewer");
    }
    if errors.is_empty() {
        let mut tx = db::begin_write(platform.pool()).await?;
        let done = write_text(
            &mut tx,
            (report.year as i32, form.version),
            (form.narrative.trim(), form.case_studies.trim()),
            &staff.actor(),
            OffsetDateTime::now_utc(),
        )
        .await?;
        tx.commit().await?;
        if done {
            return Ok(Redirect::to(&format!("/staff/annual-reports/{}", report.year)).into_response());
        }
        errors
            .add("narrative", "Someone else has just saved this report: your words are below; check theirs before saving again");
    }
    report_page(&platform, chrome, staff.user.role, report, Some(form), errors).await
}

async fn publish(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(year): Path<String>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let mut report = draft(&platform, &year).await?;
    let mut errors = FormErrors::new();
    if report.version != form.version {
        errors.add("publish", "The report has changed since you opened it: check it below before publishing");
        return report_page(&platform, chrome, staff.user.role, report, None, errors).await;
    }
    if report.narrative.trim().is_empty() {
        errors.add("narrative", "Write the office’s sections before publishing");
        return report_page(&platform, chrome, staff.user.role, report, None, errors).await;
    }
    report.version = form.version;
    match publish_report(&platform, &report, &staff.actor(), OffsetDateTime::now_utc()).await? {
        Ok(()) => Ok(Redirect::to(&format!("/panel/annual-reports/{}", report.year)).into_response()),
        Err(why) => {
            errors.add("publish", why);
            report_page(&platform, chrome, staff.user.role, report, None, errors).await
        }
    }
}

async fn record_review(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(year): Path<String>,
    Form(form): Form<TextForm>,
) -> Result<Response, AppError> {
    let report = draft(&platform, &year).await?;
    let mut errors = FormErrors::new();
    if !report.is_published() {
        errors.add("review", "The Panel reviews the report once it is published");
    }
    let review = form.review.trim();
    if review.is_empty() || review.chars().count() > 20_000 {
        errors.add("review", "Enter the Panel’s review, in 20,000 characters or fewer");
    }
    let on = db::parse_date(form.reviewed_on.trim());
    if on.is_none() {
        errors.add("reviewed_on", "Enter the date of the meeting as YYYY-MM-DD");
    }
    let Some(on) = on.filter(|_| errors.is_empty()) else {
        return report_page(&platform, chrome, staff.user.role, report, Some(form), errors).await;
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    write_review(&mut tx, report.year as i32, (review, on), &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/panel/annual-reports/{}", report.year)).into_response())
}

// ---------------------------------------------------------------------------------------------
// Photographs

const PHOTO_TYPES: &[platform::files::AllowedType] = &[
    platform::files::AllowedType { mime: "image/jpeg", extensions: &["jpg", "jpeg"] },
    platform::files::AllowedType { mime: "image/png", extensions: &["png"] },
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PhotoForm {
    alt: String,
    caption: String,
}

/// Adds a photograph to a draft: JPEG or PNG up to 5 MB, with what it shows in words.
async fn add_photo(
    PageRequest { platform, chrome }: PageRequest,
    staff: platform::auth::CurrentStaff,
    Path(year): Path<String>,
    request: axum::extract::Request,
) -> Result<Response, AppError> {
    let report = draft(&platform, &year).await?;
    let rules = platform::files::UploadRules {
        max_bytes: 5 * 1024 * 1024,
        max_files: 1,
        allowed: PHOTO_TYPES,
        described_as: "a JPEG or PNG photograph",
        max_text_bytes: platform.settings().form_body_limit_bytes,
        max_fields: 6,
    };
    let (form, uploads, mut errors): (PhotoForm, _, _) =
        platform::web::read_form_with_files(&platform, request, rules, "photo").await?;
    if report.is_published() {
        errors.add("photo", "The report is published: its photographs cannot change now");
    }
    let alt = form.alt.trim();
    if alt.is_empty() || alt.chars().count() > 250 {
        errors
            .add("alt", "Say what the photograph shows, in 250 characters or fewer: it is read out to people who cannot see it");
    }
    if form.caption.chars().count() > 300 {
        errors.add("caption", "The caption must be 300 characters or fewer");
    }
    let upload = uploads.into_iter().next();
    if upload.is_none() && errors.for_field("photo").is_none() {
        errors.add("photo", "Select the photograph");
    }
    let Some(upload) = upload.filter(|_| errors.is_empty()) else {
        let form = TextForm {
            version: report.version,
            narrative: report.narrative.clone(),
            case_studies: report.case_studies.clone(),
            ..Default::default()
        };
        return report_page(&platform, chrome, staff.user.role, report, Some(form), errors).await;
    };
    platform.storage().persist(&upload).await.map_err(|e| AppError::Internal(e.into()))?;
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let id = platform::ids::new_id();
    let file = platform::files::record(&mut tx, &upload, "annual report photo", &id, now).await?;
    sqlx::query("INSERT INTO panel_annual_photo (id, year, file_id, alt, caption, added_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(report.year)
        .bind(&file)
        .bind(alt.to_string())
        .bind(form.caption.trim().to_string())
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?;
    record(&mut tx, &staff.actor(), ("added a photograph to", report.year as i32), now).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/annual-reports/{}#photos", report.year)).into_response())
}

async fn remove_photo(
    StaffPage { platform, staff, .. }: StaffPage,
    Path((year, photo)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let report = draft(&platform, &year).await?;
    if report.is_published() || !platform::ids::is_well_formed(&photo) {
        return Err(AppError::NotFound);
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let removed = sqlx::query("DELETE FROM panel_annual_photo WHERE id = $1 AND year = $2")
        .bind(photo.clone())
        .bind(report.year)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if removed > 0 {
        platform::files::forget_all(&mut tx, "annual report photo", &photo).await?;
        record(&mut tx, &staff.actor(), ("removed a photograph from", report.year as i32), now).await?;
    }
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/annual-reports/{}#photos", report.year)).into_response())
}

async fn photo_of(platform: &Platform, report: &Report, photo: &str) -> Result<Response, AppError> {
    let row =
        photos_of(platform.pool(), report.year as i32).await?.into_iter().find(|p| p.id == photo).ok_or(AppError::NotFound)?;
    let file = platform::files::find(platform.pool(), &row.file_id).await?.ok_or(AppError::NotFound)?;
    platform::files::download(platform.storage(), &file).await.map_err(|e| AppError::Internal(e.into()))
}

async fn public_photo(
    PageRequest { platform, .. }: PageRequest,
    Path((year, photo)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let report = published(&platform, &year).await?;
    photo_of(&platform, &report, &photo).await
}

async fn staff_photo(
    StaffPage { platform, .. }: StaffPage,
    Path((year, photo)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let report = draft(&platform, &year).await?;
    photo_of(&platform, &report, &photo).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offices_text_becomes_sections_and_paragraphs() {
        let text = "Opening words\nstill opening.\n\n## Foreword\nFirst.\n\nSecond.\n## Empty\n\n## Last\nEnd.";
        let got = sections(text, "Introduction");
        assert_eq!(
            got,
            vec![
                ("Introduction".to_string(), vec!["Opening words still opening.".to_string()]),
                ("Foreword".to_string(), vec!["First.".to_string(), "Second.".to_string()]),
                ("Empty".to_string(), vec![]),
                ("Last".to_string(), vec!["End.".to_string()]),
            ]
        );
        assert!(sections("   \n\n", "x").is_empty());
    }

    #[test]
    fn the_report_carries_every_part_in_order_with_its_figures() {
        let inputs = Inputs {
            year: FinancialYear(2025),
            office: "Test Office".into(),
            narrative: "## Foreword\nA year of work.".into(),
            case_studies: "## Helping a victim\nShe was supported.".into(),
            plans: vec![PlanPart {
                title: "Police and Crime Plan".into(),
                quarter: "January to March 2026".into(),
                sha256: "abc".into(),
                statuses: vec![("Implemented".into(), 3), ("Being implemented".into(), 1)],
            }],
            performance: vec![],
            services: vec![],
            photos: vec![],
        };
        let doc = document(&inputs, time::macros::date!(2026 - 06 - 01));
        let headings: Vec<String> = doc.sections().into_iter().map(|(_, h)| h).collect();
        assert_eq!(
            headings,
            ["Foreword", "Delivering the plan", "Police and fire performance", "Our public services", "Case studies"]
        );
        let csv = doc.figures_csv();
        assert!(
            csv.contains("\"Police and Crime Plan: delivery actions by status, January to March 2026\",Implemented,Actions,3"),
            "{csv}"
        );
        assert!(csv.contains("Being implemented,Share of actions,25"), "{csv}");
        assert!(doc.html().contains("No quarter of performance figures was locked in 2025 to 2026."));
    }
}
