//! Returns from the force and the fire service, for what no open data covers (999 calls answered
//! within 10 seconds, victim satisfaction, arrests, safe and well visits, …). The template of a
//! return is the measures in use whose recipe is `dataset=returns`, by service and frequency; the
//! service's partner users enter each period's figures on a form or upload them as CSV, each
//! figure checked against the measure's past (a variance flag, never a refusal), and the office
//! approves the return (its figures become the measure's) or queries it with a reason.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Request};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Role, Routes};
use platform::audit::{Actor, Event};
use platform::auth::CurrentStaff;
use platform::db::{self, Pool};
use platform::organisations::{Kind, Organisation};
use platform::periods::{Period, Quarter};
use platform::web::forms::FormErrors;
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::datasets::Observation;
use crate::model::{Dataset, Frequency, Service, Unit};
use crate::store::{self, Measure};

/// Who makes returns: partners, for their own organisation's service.
pub const MAKERS: &[Role] = &[Role::Partner];
/// Who sees and decides returns.
pub const DECIDERS: &[Role] = crate::MANAGERS;
/// Both.
pub const EVERYONE: &[Role] = &[Role::Administrator, Role::PerformanceOfficer, Role::Partner];

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff/performance/returns", Access::Roles(EVERYONE), get(list))
        .route("/staff/performance/returns/{template}/{period}", Access::Roles(EVERYONE), get(show))
        .route("/staff/performance/returns/{template}/{period}/figures", Access::Roles(MAKERS), post(save))
        .route(
            "/staff/performance/returns/{template}/{period}/upload",
            Access::Roles(MAKERS),
            post(upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/staff/performance/returns/{template}/{period}/decision", Access::Roles(DECIDERS), post(decide))
}

/// A return's template: the returned measures of one service at one frequency.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnTemplate {
    pub service: Service,
    pub frequency: Frequency,
    pub measures: Vec<Measure>,
}

impl ReturnTemplate {
    pub fn slug(&self) -> String {
        format!("{}-{}", self.service.slug(), self.frequency.slug())
    }
    pub fn name(&self) -> String {
        format!("{} {} return", self.service.words(), self.frequency.words().to_lowercase())
    }
    /// The organisation kind that makes it.
    pub fn maker_kind(&self) -> Kind {
        match self.service {
            Service::Police => Kind::PoliceForce,
            Service::Fire => Kind::FireService,
        }
    }
    /// The periods a return may be made for on `today`: the last finished ones, newest first.
    pub fn periods(&self, today: time::Date) -> Vec<Period> {
        let (mut period, count) = match self.frequency {
            Frequency::Month => {
                let first = today.replace_day(1).unwrap_or(today);
                let last = first.previous_day().unwrap_or(first);
                (Period::Month(last.year(), u8::from(last.month())), 12)
            }
            Frequency::Quarter => (Period::Quarter(Quarter::containing(today).previous()), 8),
            Frequency::Year => (Period::Year(platform::periods::FinancialYear::containing(today).previous()), 3),
        };
        let mut out = Vec::new();
        for _ in 0..count {
            out.push(period);
            period = period.previous();
        }
        out
    }
}

/// The templates the measures in use make.
pub fn templates(measures: &[Measure]) -> Vec<ReturnTemplate> {
    let mut out: Vec<ReturnTemplate> = Vec::new();
    for m in measures.iter().filter(|m| m.recipe().is_some_and(|r| r.dataset == Dataset::Returns)) {
        let (service, frequency) = (m.definition.service, m.definition.frequency);
        match out.iter_mut().find(|t| t.service == service && t.frequency == frequency) {
            Some(t) => t.measures.push(m.clone()),
            None => out.push(ReturnTemplate { service, frequency, measures: vec![m.clone()] }),
        }
    }
    out
}

/// Why a figure is worth a second look against the measure's past figures, or `None`. With a
/// year or more of past figures, a figure outside their control limits is flagged; with fewer, a
/// change of more than half from the last one.
pub fn variance_flag(history: &[f64], value: f64, unit: Unit) -> Option<String> {
    if let Some(chart) = crate::spc::xmr(history, None) {
        if value > chart.upper || value < chart.lower {
            return Some(format!(
                "Outside the range the last {} figures vary by ({} to {}): please check it",
                history.len(),
                unit.show(chart.lower),
                unit.show(chart.upper)
            ));
        }
        return None;
    }
    let last = *history.last()?;
    if last != 0.0 && ((value - last) / last).abs() > 0.5 {
        return Some(format!(
            "More than half as much again, or half as much, as last period’s {}: please check it",
            unit.show(last)
        ));
    }
    None
}

/// Checks a figure as entered: a number, within its unit's bounds.
pub fn check_value(text: &str, unit: Unit) -> Result<f64, String> {
    let cleaned = text.trim().replace(',', "");
    let cleaned = cleaned.trim_end_matches('%').trim();
    if cleaned.is_empty() {
        return Err("Enter a figure".into());
    }
    let value: f64 = cleaned.parse().map_err(|_| "Enter the figure as a number, like 1234 or 92.5".to_string())?;
    if !value.is_finite() || value < 0.0 {
        return Err("The figure cannot be less than 0".into());
    }
    match unit {
        Unit::Percent if value > 100.0 => Err("A percentage cannot be more than 100".into()),
        Unit::Count if value.fract() != 0.0 => Err("Enter a whole number".into()),
        _ => Ok(value),
    }
}

// ---------------------------------------------------------------------------------------------
// The store's verbs for returns

/// A return as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Return {
    pub id: String,
    pub template: String,
    pub organisation_id: String,
    pub period: String,
    pub state: String,
    pub query: String,
    pub revision: i64,
    pub submitted_by: Option<String>,
    pub decided_by: Option<String>,
}

/// A figure of a return.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Figure {
    pub measure_key: String,
    pub value: f64,
    pub note: String,
    pub flag: String,
}

pub async fn find_return(pool: &Pool, template: &str, period: &str) -> Result<Option<(Return, Vec<Figure>)>, sqlx::Error> {
    let found: Option<Return> = sqlx::query_as(
        "SELECT id, template, organisation_id, period, state, query, revision, submitted_by, decided_by FROM performance_return \
         WHERE template = $1 AND period = $2",
    )
    .bind(template.to_string())
    .bind(period.to_string())
    .fetch_optional(pool)
    .await?;
    let Some(found) = found else { return Ok(None) };
    let figures = sqlx::query_as(
        "SELECT measure_key, value, note, flag FROM performance_return_value WHERE return_id = $1 ORDER BY measure_key",
    )
    .bind(&found.id)
    .fetch_all(pool)
    .await?;
    Ok(Some((found, figures)))
}

pub async fn returns_of(pool: &Pool, template: &str) -> Result<Vec<Return>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, template, organisation_id, period, state, query, revision, submitted_by, decided_by FROM performance_return \
         WHERE template = $1 ORDER BY period DESC",
    )
    .bind(template.to_string())
    .fetch_all(pool)
    .await
}

/// Approved figures of a measure before `period`, oldest first: the history a new figure is
/// checked against.
pub async fn history(pool: &Pool, key: &str, period: &str) -> Result<Vec<f64>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT value FROM performance_observation WHERE dataset = 'returns' AND category = $1 AND period < $2 ORDER BY period",
    )
    .bind(key.to_string())
    .bind(period.to_string())
    .fetch_all(pool)
    .await
}

/// Why a return cannot be changed or decided.
#[derive(Debug, thiserror::Error)]
pub enum Refused {
    #[error("This return has been approved: its figures are the measure’s now")]
    Approved,
    #[error("This return has been sent to the office and is waiting for its decision")]
    Waiting,
    #[error("Someone else changed this return while you had it open: look at it again before deciding")]
    Stale,
    #[error("This return has not been sent to the office yet")]
    NotSent,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Saves a return's figures (as a draft, or sent to the office), replacing what it held.
#[allow(clippy::too_many_arguments)]
pub async fn save_return(
    pool: &Pool,
    template: &str,
    organisation_id: &str,
    period: &str,
    figures: &[Figure],
    send: bool,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, Refused> {
    let mut tx = db::begin_write(pool).await?;
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT id, state FROM performance_return WHERE template = $1 AND period = $2")
            .bind(template.to_string())
            .bind(period.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    let state = if send { "submitted" } else { "draft" };
    let id = match existing {
        Some((_, s)) if s == "approved" => return Err(Refused::Approved),
        Some((_, s)) if s == "submitted" => return Err(Refused::Waiting),
        Some((id, _)) => {
            sqlx::query(
                "UPDATE performance_return SET state = $1, revision = revision + 1, submitted_by = $2, submitted_at = $3 WHERE id = $4",
            )
            .bind(state)
            .bind(actor.label.clone())
            .bind(db::timestamp(now))
            .bind(&id)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM performance_return_value WHERE return_id = $1").bind(&id).execute(&mut *tx).await?;
            id
        }
        None => {
            let id = platform::ids::new_id();
            sqlx::query(
                "INSERT INTO performance_return (id, template, organisation_id, period, state, submitted_by, submitted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(template.to_string())
            .bind(organisation_id.to_string())
            .bind(period.to_string())
            .bind(state)
            .bind(actor.label.clone())
            .bind(db::timestamp(now))
            .execute(&mut *tx)
            .await?;
            id
        }
    };
    for f in figures {
        sqlx::query(
            "INSERT INTO performance_return_value (return_id, measure_key, value, note, flag) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(&f.measure_key)
        .bind(f.value)
        .bind(&f.note)
        .bind(&f.flag)
        .execute(&mut *tx)
        .await?;
    }
    let action = if send { "sent to the office" } else { "saved as a draft" };
    let detail = format!(
        "{template} {period}: {} figures, {} flagged",
        figures.len(),
        figures.iter().filter(|f| !f.flag.is_empty()).count()
    );
    crate::store::record(
        &mut tx,
        actor,
        Event { action, record_type: "performance return", record_id: &id, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
/// Approves a sent return (its figures become the measures' for the area, each replaced figure
/// kept as a revision) or queries it with a reason. `revision` is the one the decider saw.
pub async fn decide_return(
    pool: &Pool,
    found: &Return,
    area: &str,
    approve: Option<()>,
    query: &str,
    revision: i64,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), Refused> {
    let mut tx = db::begin_write(pool).await?;
    let (state, current): (String, i64) = sqlx::query_as("SELECT state, revision FROM performance_return WHERE id = $1")
        .bind(&found.id)
        .fetch_one(&mut *tx)
        .await?;
    if current != revision {
        return Err(Refused::Stale);
    }
    match state.as_str() {
        "approved" => return Err(Refused::Approved),
        "submitted" => {}
        _ => return Err(Refused::NotSent),
    }
    let (new_state, action) = if approve.is_some() { ("approved", "approved") } else { ("queried", "queried") };
    sqlx::query(
        "UPDATE performance_return SET state = $1, query = $2, revision = revision + 1, decided_by = $3, decided_at = $4 WHERE id = $5",
    )
    .bind(new_state)
    .bind(query.to_string())
    .bind(actor.label.clone())
    .bind(db::timestamp(now))
    .bind(&found.id)
    .execute(&mut *tx)
    .await?;
    if approve.is_some() {
        let figures: Vec<(String, f64)> =
            sqlx::query_as("SELECT measure_key, value FROM performance_return_value WHERE return_id = $1")
                .bind(&found.id)
                .fetch_all(&mut *tx)
                .await?;
        let observations: Vec<Observation> = figures
            .into_iter()
            .map(|(key, value)| Observation {
                area: area.to_string(),
                period: found.period.clone(),
                category: key,
                group: String::new(),
                subgroup: String::new(),
                value,
                second: None,
            })
            .collect();
        store::replace_returned(&mut tx, &format!("return:{}", found.id), &observations).await?;
    }
    let detail =
        format!("{} {}{}", found.template, found.period, if query.is_empty() { String::new() } else { format!(": {query}") });
    crate::store::record(
        &mut tx,
        actor,
        Event { action, record_type: "performance return", record_id: &found.id, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Pages

/// The organisation that makes a template's returns: the office's police force or fire service
/// (the first by name, where an area has several of the kind).
pub async fn maker_of(pool: &Pool, template: &ReturnTemplate) -> Result<Option<Organisation>, sqlx::Error> {
    let mut makers: Vec<Organisation> =
        platform::organisations::list(pool).await?.into_iter().filter(|o| o.kind == template.maker_kind()).collect();
    makers.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(makers.into_iter().next())
}

async fn maker(platform: &Platform, template: &ReturnTemplate) -> Result<Option<Organisation>, AppError> {
    Ok(maker_of(platform.pool(), template).await?)
}

/// The templates this member of staff may see: partners only their own organisation's.
async fn visible_templates(
    platform: &Platform,
    staff: &CurrentStaff,
) -> Result<Vec<(ReturnTemplate, Option<Organisation>)>, AppError> {
    let measures = store::active_measures(platform.pool()).await?;
    let mut out = Vec::new();
    for template in templates(&measures) {
        let organisation = maker(platform, &template).await?;
        let mine = organisation.as_ref().is_some_and(|o| Some(&o.id) == staff.user.organisation_id.as_ref());
        if staff.user.role != Role::Partner || mine {
            out.push((template, organisation));
        }
    }
    Ok(out)
}

struct Listed {
    template: ReturnTemplate,
    organisation: String,
    periods: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "performance/returns.html")]
struct ListPage {
    chrome: Chrome,
    listed: Vec<Listed>,
    partner: bool,
}

async fn list(StaffPage { platform, chrome, staff }: StaffPage) -> Result<Response, AppError> {
    let today = platform::calendar::uk_today();
    let mut listed = Vec::new();
    for (template, organisation) in visible_templates(&platform, &staff).await? {
        let made = returns_of(platform.pool(), &template.slug()).await?;
        let periods = template
            .periods(today)
            .into_iter()
            .map(|p| {
                let state =
                    made.iter().find(|r| r.period == p.slug()).map(|r| r.state.clone()).unwrap_or_else(|| "not-started".into());
                (p.slug(), p.label(), state_words(&state).to_string())
            })
            .collect();
        let organisation = organisation
            .map(|o| o.name)
            .unwrap_or_else(|| format!("No {} is set up", template.maker_kind().name().to_lowercase()));
        listed.push(Listed { template, organisation, periods });
    }
    render(&ListPage { chrome, listed, partner: staff.user.role == Role::Partner })
}

fn state_words(state: &str) -> &'static str {
    match state {
        "draft" => "Draft",
        "submitted" => "Waiting for the office",
        "approved" => "Approved",
        "queried" => "Queried by the office",
        _ => "Not started",
    }
}

struct Line {
    measure: Measure,
    value: String,
    note: String,
    flag: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "performance/return.html")]
struct ReturnPage {
    chrome: Chrome,
    template: ReturnTemplate,
    organisation: String,
    period: Period,
    found: Option<Return>,
    lines: Vec<Line>,
    errors: FormErrors,
    partner: bool,
    may_edit: bool,
    query: String,
}

impl ReturnPage {
    fn state(&self) -> &'static str {
        state_words(self.found.as_ref().map_or("", |r| r.state.as_str()))
    }
    fn action(&self) -> String {
        format!("/staff/performance/returns/{}/{}", self.template.slug(), self.period.slug())
    }
    fn query_field(&self) -> platform::web::forms::Textarea<'_> {
        platform::web::forms::Textarea::new("query", "What needs checking (for a query)", "", &self.errors).rows(3)
    }
    fn waiting(&self) -> bool {
        self.found.as_ref().is_some_and(|r| r.state == "submitted")
    }
}

/// The template, its period and its maker, or not found; a partner sees only their own.
async fn context(
    platform: &Platform,
    staff: &CurrentStaff,
    slug: &str,
    period: &str,
) -> Result<(ReturnTemplate, Organisation, Period), AppError> {
    let (template, organisation) =
        visible_templates(platform, staff).await?.into_iter().find(|(t, _)| t.slug() == slug).ok_or(AppError::NotFound)?;
    let organisation = organisation.ok_or(AppError::NotFound)?;
    let period = Period::from_slug(period)
        .filter(|p| template.periods(platform::calendar::uk_today()).contains(p))
        .ok_or(AppError::NotFound)?;
    Ok((template, organisation, period))
}

async fn page(
    platform: &Platform,
    chrome: Chrome,
    staff: &CurrentStaff,
    (template, organisation, period): (ReturnTemplate, Organisation, Period),
    entered: Option<&HashMap<String, String>>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let found = find_return(platform.pool(), &template.slug(), &period.slug()).await?;
    let partner = staff.user.role == Role::Partner;
    let may_edit = partner && found.as_ref().is_none_or(|(r, _)| r.state == "draft" || r.state == "queried");
    let lines = template
        .measures
        .iter()
        .map(|m| {
            let key = m.key().to_string();
            let stored = found.as_ref().and_then(|(_, figures)| figures.iter().find(|f| f.measure_key == key));
            let value = entered
                .and_then(|e| e.get(&format!("value-{key}")).cloned())
                .or_else(|| stored.map(|f| crate::documents::cell(m.definition.unit, f.value).machine()))
                .unwrap_or_default();
            let note = entered
                .and_then(|e| e.get(&format!("note-{key}")).cloned())
                .or_else(|| stored.map(|f| f.note.clone()))
                .unwrap_or_default();
            Line {
                error: errors.for_field(&format!("value-{key}")).map(str::to_string),
                flag: stored.map(|f| f.flag.clone()).unwrap_or_default(),
                measure: m.clone(),
                value,
                note,
            }
        })
        .collect();
    let failed = !errors.is_empty();
    let page = ReturnPage {
        chrome: chrome.with_errors(failed),
        template,
        organisation: organisation.name,
        period,
        query: found.as_ref().map(|(r, _)| r.query.clone()).unwrap_or_default(),
        found: found.map(|(r, _)| r),
        lines,
        errors,
        partner,
        may_edit,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn show(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((template, period)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let context = context(&platform, &staff, &template, &period).await?;
    page(&platform, chrome, &staff, context, None, FormErrors::new()).await
}

/// Checks every figure of a return as entered; gives the figures with their flags, or the errors.
async fn check(
    platform: &Platform,
    template: &ReturnTemplate,
    period: &Period,
    entered: &HashMap<String, String>,
) -> Result<Result<Vec<Figure>, FormErrors>, AppError> {
    let mut errors = FormErrors::new();
    let mut figures = Vec::new();
    for m in &template.measures {
        let key = m.key();
        let field = format!("value-{key}");
        let note = entered.get(&format!("note-{key}")).map(|n| n.trim().to_string()).unwrap_or_default();
        if note.chars().count() > 1_000 {
            errors.add(&format!("note-{key}"), format!("The note on {} must be 1,000 characters or fewer", m.definition.name));
        }
        match check_value(entered.get(&field).map(String::as_str).unwrap_or(""), m.definition.unit) {
            Ok(value) => {
                let history = history(platform.pool(), key, &period.slug()).await?;
                let flag = variance_flag(&history, value, m.definition.unit).unwrap_or_default();
                figures.push(Figure { measure_key: key.to_string(), value, note, flag });
            }
            Err(why) => errors.add(&field, format!("{}: {why}", m.definition.name)),
        }
    }
    Ok(if errors.is_empty() { Ok(figures) } else { Err(errors) })
}

async fn save(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, period)): Path<(String, String)>,
    Form(entered): Form<HashMap<String, String>>,
) -> Result<Response, AppError> {
    let context = context(&platform, &staff, &slug, &period).await?;
    let send = entered.get("send").is_some_and(|v| v == "yes");
    check_and_save(&platform, chrome, &staff, context, &entered, (send, "return")).await
}

/// Checks the figures as entered and saves them (sent, or as a draft), or shows the return again
/// with what was wrong; a refusal (sent already, approved) is said on `field`.
async fn check_and_save(
    platform: &Platform,
    chrome: Chrome,
    staff: &CurrentStaff,
    (template, organisation, period): (ReturnTemplate, Organisation, Period),
    entered: &HashMap<String, String>,
    (send, field): (bool, &str),
) -> Result<Response, AppError> {
    let figures = match check(platform, &template, &period, entered).await? {
        Ok(figures) => figures,
        Err(errors) => return page(platform, chrome, staff, (template, organisation, period), Some(entered), errors).await,
    };
    let (slug, at) = (template.slug(), period.slug());
    match save_return(platform.pool(), &slug, &organisation.id, &at, &figures, send, &staff.actor(), OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/staff/performance/returns/{slug}/{at}")).into_response()),
        Err(Refused::Database(e)) => Err(e.into()),
        Err(refusal) => {
            let mut errors = FormErrors::new();
            errors.add(field, refusal.to_string());
            page(platform, chrome, staff, (template, organisation, period), Some(entered), errors).await
        }
    }
}

/// Reads a return from CSV: `measure,value,note` with the measure's key or name; problems by row.
pub fn read_csv(template: &ReturnTemplate, bytes: &[u8]) -> Result<HashMap<String, String>, Vec<String>> {
    let rows = platform::spreadsheet::first_sheet(bytes, "return.csv", 500).map_err(|e| vec![e.to_string()])?;
    let mut entered = HashMap::new();
    let mut problems = Vec::new();
    let header = rows.first().map(|r| r.iter().map(|h| platform::spreadsheet::squash(h)).collect::<Vec<_>>()).unwrap_or_default();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(measure), Some(value)) = (column("measure"), column("value")) else {
        return Err(vec!["The file needs a header row with the columns measure and value (and note if you like)".into()]);
    };
    let note = column("note");
    for (i, row) in rows.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let named = row.get(measure).map(|s| s.trim()).unwrap_or("");
        let Some(m) = template
            .measures
            .iter()
            .find(|m| m.key().eq_ignore_ascii_case(named) || m.definition.name.eq_ignore_ascii_case(named))
        else {
            problems.push(format!("Row {}: “{named}” is not a measure of this return", i + 1));
            continue;
        };
        if entered.contains_key(&format!("value-{}", m.key())) {
            problems.push(format!("Row {}: {} is given twice", i + 1, m.definition.name));
            continue;
        }
        entered.insert(format!("value-{}", m.key()), row.get(value).cloned().unwrap_or_default());
        if let Some(n) = note {
            entered.insert(format!("note-{}", m.key()), row.get(n).cloned().unwrap_or_default());
        }
    }
    if problems.is_empty() { Ok(entered) } else { Err(problems) }
}

async fn upload(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    Path((slug, period)): Path<(String, String)>,
    request: Request,
) -> Result<Response, AppError> {
    let (template, organisation, period) = context(&platform, &staff, &slug, &period).await?;
    let rules = platform::files::UploadRules {
        max_bytes: 1024 * 1024,
        max_files: 1,
        allowed: platform::spreadsheet::UPLOAD_TYPES,
        described_as: "a CSV file",
        max_text_bytes: platform.settings().form_body_limit_bytes,
        max_fields: 5,
    };
    let (_form, uploads, mut errors): (HashMap<String, String>, _, _) =
        platform::web::read_form_with_files(&platform, request, rules, "file").await?;
    let entered = match uploads.into_iter().next() {
        Some(upload) if errors.is_empty() => {
            let bytes = tokio::fs::read(upload.path()).await.map_err(|e| AppError::Internal(e.into()))?;
            match read_csv(&template, &bytes) {
                Ok(entered) => Some(entered),
                Err(problems) => {
                    for p in problems {
                        errors.add("file", p);
                    }
                    None
                }
            }
        }
        _ => {
            if errors.is_empty() {
                errors.add("file", "Select a CSV file of the return’s figures");
            }
            None
        }
    };
    let Some(mut entered) = entered else {
        return page(&platform, chrome, &staff, (template, organisation, period), None, errors).await;
    };
    // An upload is saved as a draft to check before sending.
    entered.insert("send".into(), String::new());
    check_and_save(&platform, chrome, &staff, (template, organisation, period), &entered, (false, "file")).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    decision: String,
    query: String,
    revision: i64,
}

async fn decide(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, period)): Path<(String, String)>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let context = context(&platform, &staff, &slug, &period).await?;
    let (found, _) = find_return(platform.pool(), &slug, &period).await?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    let approve = match form.decision.as_str() {
        "approve" => Some(()),
        "query" if form.query.trim().is_empty() => {
            errors.add("query", "Say what the service needs to check or correct");
            None
        }
        "query" if form.query.chars().count() > 2_000 => {
            errors.add("query", "The query must be 2,000 characters or fewer");
            None
        }
        "query" => None,
        _ => {
            errors.add("decision", "Choose whether to approve the return or query it");
            None
        }
    };
    if !errors.is_empty() {
        return page(&platform, chrome, &staff, context, None, errors).await;
    }
    let office = platform.office().await?;
    let area = crate::assemble::home_area(&office, context.0.service).ok_or(AppError::NotFound)?;
    let query = if approve.is_some() { "" } else { form.query.trim() };
    match decide_return(platform.pool(), &found, &area, approve, query, form.revision, &staff.actor(), OffsetDateTime::now_utc())
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!("/staff/performance/returns/{slug}/{period}")).into_response()),
        Err(Refused::Database(e)) => Err(e.into()),
        Err(refusal) => {
            errors.add("decision", refusal.to_string());
            page(&platform, chrome, &staff, context, None, errors).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_checked_as_entered() {
        assert_eq!(check_value(" 92.5% ", Unit::Percent), Ok(92.5));
        assert_eq!(check_value("1,234", Unit::Count), Ok(1234.0));
        assert!(check_value("", Unit::Count).expect_err("empty").contains("Enter a figure"));
        assert!(check_value("lots", Unit::Count).expect_err("words").contains("number"));
        assert!(check_value("101", Unit::Percent).expect_err("over 100").contains("100"));
        assert!(check_value("-1", Unit::Days).expect_err("negative").contains("less than 0"));
        assert!(check_value("2.5", Unit::Count).expect_err("fraction").contains("whole"));
        assert!(check_value("NaN", Unit::Days).is_err());
    }

    #[test]
    fn a_figure_far_from_the_past_is_flagged_never_refused() {
        let steady: Vec<f64> = [90.0, 91.0, 89.0, 92.0, 90.0, 91.0, 90.0, 89.0, 92.0, 91.0, 90.0, 91.0].to_vec();
        assert_eq!(variance_flag(&steady, 90.5, Unit::Percent), None);
        let flag = variance_flag(&steady, 70.0, Unit::Percent).expect("flagged");
        assert!(flag.contains("last 12 figures"), "{flag}");
        assert_eq!(variance_flag(&[100.0], 120.0, Unit::Count), None);
        assert!(variance_flag(&[100.0], 160.0, Unit::Count).is_some());
        assert!(variance_flag(&[100.0], 40.0, Unit::Count).is_some());
        assert_eq!(variance_flag(&[], 40.0, Unit::Count), None, "nothing to compare with");
    }

    #[test]
    fn periods_offered_are_the_finished_ones() {
        let t = ReturnTemplate { service: Service::Police, frequency: Frequency::Month, measures: vec![] };
        let periods = t.periods(time::macros::date!(2026 - 12 - 07));
        assert_eq!(periods.first().map(|p| p.slug()), Some("2026-11".into()));
        assert_eq!(periods.len(), 12);
        let q = ReturnTemplate { frequency: Frequency::Quarter, ..t };
        assert_eq!(q.periods(time::macros::date!(2026 - 12 - 07)).first().map(|p| p.slug()), Some("2026-Q2".into()));
    }
}
