//! The public's pages: the dashboard of measures by service and priority, a page per priority
//! and per measure (chart, numbers, verdict, data-quality note, source and vintage, the plan
//! commitments it evidences), the catalogue with its withdrawn and redefined measures, and CSV
//! and JSON of all of it. Pages are made once per change of what they are made from.

use std::sync::{Arc, LazyLock};

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::web::stamped::Stamped;
use platform::web::{PageRequest, render};
use platform::{AppError, Chrome, Platform};

use crate::assemble;
use crate::figures::MeasureFigures;
use crate::model::Service;
use crate::store::{self, Measure};

pub fn routes() -> Routes {
    Routes::new()
        .route("/performance", Access::Public, get(dashboard))
        .route("/performance/measures.csv", Access::Public, get(dashboard_csv))
        .route("/performance/measures.json", Access::Public, get(dashboard_json))
        .route("/performance/catalogue", Access::Public, get(catalogue))
        .route("/performance/priorities/{service}/{theme}", Access::Public, get(priority))
        .route("/performance/measures/{key}", Access::Public, get(measure_page))
        .route("/performance/measures/{key}/figures.csv", Access::Public, get(measure_csv))
        .route("/performance/measures/{key}/figures.json", Access::Public, get(measure_json))
}

/// Page bodies made from the figures, kept until what they are made from changes.
static MADE: LazyLock<Stamped> = LazyLock::new(|| Stamped::new(512));

/// What every public page's content is made from: one query a request.
async fn stamp(platform: &Platform) -> Result<String, AppError> {
    Ok(store::stamp(platform.pool()).await?)
}

/// One page is made at a time: when a change makes every kept page stale, the requests that
/// arrive together wait for the one making it instead of all making it at once.
static MAKING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn made<F, Fut>(key: &str, stamp: &str, make: F) -> Result<Arc<String>, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<String, AppError>>,
{
    if let Some(kept) = MADE.get(key, stamp) {
        return Ok(kept);
    }
    let _making = MAKING.lock().await;
    if let Some(kept) = MADE.get(key, stamp) {
        return Ok(kept);
    }
    Ok(MADE.put(key, stamp, make().await?))
}

/// A slug for a theme's address: "Safer communities" is "safer-communities".
pub fn theme_slug(theme: &str) -> String {
    let slug = platform::slugs::of_title(theme);
    if slug.is_empty() { "other".into() } else { slug }
}

/// One measure on the dashboard.
pub struct Row {
    pub key: String,
    pub name: String,
    pub latest: String,
    pub period: String,
    pub verdict: &'static str,
    pub tag: &'static str,
    pub assurance: String,
}

impl Row {
    fn of(f: &MeasureFigures) -> Row {
        let latest = f.latest();
        Row {
            key: f.definition.key.clone(),
            name: f.definition.name.clone(),
            latest: latest.map(|p| f.unit().show(p.value)).unwrap_or_else(|| "No figures yet".into()),
            period: latest
                .and_then(|p| platform::periods::Period::from_slug(&p.period))
                .map(platform::periods::Period::short_label)
                .unwrap_or_default(),
            verdict: f.variation.words(),
            tag: f.variation.tag_class(),
            assurance: if f.definition.target.is_some() {
                format!("{} (target {})", f.assurance.words(), crate::documents::target_words(f))
            } else {
                "No target".into()
            },
        }
    }
}

/// A priority's measures on the dashboard.
pub struct Theme {
    pub name: String,
    pub slug: String,
    pub rows: Vec<Row>,
}

pub struct ServiceSection {
    pub service: Service,
    pub area: String,
    pub themes: Vec<Theme>,
}

fn sections(figures: &[MeasureFigures]) -> Vec<ServiceSection> {
    let mut out: Vec<ServiceSection> = Vec::new();
    for f in figures {
        let service = f.definition.service;
        if !out.iter().any(|s| s.service == service) {
            out.push(ServiceSection { service, area: f.area_name.clone(), themes: Vec::new() });
        }
        let section = out.iter_mut().find(|s| s.service == service).expect("pushed above");
        let name = if f.definition.theme.is_empty() { "Other measures".to_string() } else { f.definition.theme.clone() };
        if !section.themes.iter().any(|t| t.name == name) {
            section.themes.push(Theme { slug: theme_slug(&name), name: name.clone(), rows: Vec::new() });
        }
        section.themes.iter_mut().find(|t| t.name == name).expect("pushed above").rows.push(Row::of(f));
    }
    out
}

#[derive(Template)]
#[template(path = "performance/dashboard_body.html")]
struct DashboardBody {
    sections: Vec<ServiceSection>,
    packs: Vec<crate::snapshot::Locked>,
}

#[derive(Template)]
#[template(path = "performance/page.html")]
struct Page {
    chrome: Chrome,
    title: String,
    back: Option<(String, String)>,
    body: Arc<String>,
}

async fn dashboard(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let stamp = stamp(&platform).await?;
    let body = made("dashboard", &stamp, || async {
        let office = platform.office().await?;
        let figures = assemble::all_figures(platform.pool(), &office, None).await?;
        let packs = crate::snapshot::list(platform.pool()).await?;
        Ok(DashboardBody { sections: sections(&figures), packs }.render()?)
    })
    .await?;
    render(&Page { chrome, title: "How the police and fire service are performing".into(), back: None, body })
}

#[derive(Template)]
#[template(path = "performance/priority_body.html")]
struct PriorityBody {
    service: Service,
    theme: String,
    figures: Vec<(MeasureFigures, String)>,
}

async fn priority(
    PageRequest { platform, chrome }: PageRequest,
    Path((service, theme)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let service = Service::from_slug(&service).ok_or(AppError::NotFound)?;
    let stamp = stamp(&platform).await?;
    let key = format!("priority:{}:{theme}", service.slug());
    // The title is kept beside the body, so a kept page needs no query but the stamp.
    let title = made(&format!("{key}:title"), &stamp, || async {
        let theme_of =
            |m: &Measure| if m.definition.theme.is_empty() { "Other measures".to_string() } else { m.definition.theme.clone() };
        store::active_measures(platform.pool())
            .await?
            .iter()
            .find(|m| m.definition.service == service && theme_slug(&theme_of(m)) == theme)
            .map(theme_of)
            .ok_or(AppError::NotFound)
    })
    .await?
    .to_string();
    let body = made(&key, &stamp, || async {
        let office = platform.office().await?;
        let today = platform::calendar::uk_today();
        let figures = assemble::all_figures(platform.pool(), &office, Some(service))
            .await?
            .into_iter()
            .filter(|f| theme_slug(if f.definition.theme.is_empty() { "Other measures" } else { &f.definition.theme }) == theme)
            .map(|f| {
                let html = crate::documents::measure_document(&f, &office.name, today).html_in(&format!("{}-", f.definition.key));
                (f, html)
            })
            .collect();
        Ok(PriorityBody { service, theme: title.clone(), figures }.render()?)
    })
    .await?;
    render(&Page { chrome, title, back: Some(("/performance".into(), "All measures".into())), body })
}

/// The measure in use with this key, or else its latest version (withdrawn measures stay
/// visible).
async fn find_measure(platform: &Platform, key: &str) -> Result<(Measure, Vec<Measure>), AppError> {
    if !platform::slugs::is_slug(key) {
        return Err(AppError::NotFound);
    }
    let versions = store::versions(platform.pool(), key).await?;
    let current = versions
        .iter()
        .find(|m| m.status == store::MeasureStatus::Active)
        .or_else(|| versions.first())
        .cloned()
        .ok_or(AppError::NotFound)?;
    Ok((current, versions))
}

#[derive(Template)]
#[template(path = "performance/measure_body.html")]
struct MeasureBody {
    figures: MeasureFigures,
    measure: Measure,
    versions: Vec<Measure>,
    document: String,
}

impl MeasureBody {
    fn date(&self, text: &Option<String>) -> String {
        text.as_deref().map(platform::calendar::long_date_of).unwrap_or_default()
    }
}

async fn measure_page(PageRequest { platform, chrome }: PageRequest, Path(key): Path<String>) -> Result<Response, AppError> {
    if !platform::slugs::is_slug(&key) {
        return Err(AppError::NotFound);
    }
    let stamp = stamp(&platform).await?;
    // The title is kept beside the body, so a kept page needs no query but the stamp.
    let title =
        made(&format!("measure:{key}:title"), &stamp, || async { Ok(find_measure(&platform, &key).await?.0.definition.name) })
            .await?
            .to_string();
    let body = made(&format!("measure:{key}"), &stamp, || async {
        let (measure, versions) = find_measure(&platform, &key).await?;
        let office = platform.office().await?;
        let figures = assemble::measure_figures(platform.pool(), &office, &measure).await?;
        let document = crate::documents::measure_document(&figures, &office.name, platform::calendar::uk_today()).html();
        Ok(MeasureBody { figures, measure, versions, document }.render()?)
    })
    .await?;
    render(&Page { chrome, title, back: Some(("/performance".into(), "All measures".into())), body })
}

async fn measure_csv(State(platform): State<Platform>, Path(key): Path<String>) -> Result<Response, AppError> {
    let (measure, _) = find_measure(&platform, &key).await?;
    let office = platform.office().await?;
    let figures = assemble::measure_figures(platform.pool(), &office, &measure).await?;
    let document = crate::documents::measure_document(&figures, &office.name, platform::calendar::uk_today());
    Ok(platform::web::csv_download(document.figures_csv(), &format!("{key}-figures.csv")))
}

async fn measure_json(State(platform): State<Platform>, Path(key): Path<String>) -> Result<Response, AppError> {
    let (measure, _) = find_measure(&platform, &key).await?;
    let office = platform.office().await?;
    let figures = assemble::measure_figures(platform.pool(), &office, &measure).await?;
    Ok(axum::Json(serde_json::json!({ "measure": figures, "licence": "Open Government Licence v3.0" })).into_response())
}

/// The dashboard as a spreadsheet reads it: one row a measure, its latest figure and verdict.
pub fn dashboard_rows(figures: &[MeasureFigures]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let _ = writer.write_record([
        "key",
        "measure",
        "service",
        "priority",
        "area",
        "unit",
        "latest_period",
        "latest_value",
        "verdict",
        "target",
        "assurance",
        "source",
        "vintage",
        "data_quality_note",
    ]);
    for f in figures {
        let d = &f.definition;
        let latest = f.latest();
        let _ = writer.write_record([
            d.key.clone(),
            platform::web::defused(&d.name),
            d.service.slug().into(),
            platform::web::defused(&d.theme),
            f.area.clone(),
            d.unit.slug().into(),
            latest.map(|p| p.period.clone()).unwrap_or_default(),
            latest.map(|p| p.value.to_string()).unwrap_or_default(),
            f.variation.words().into(),
            if d.target.is_some() { crate::documents::target_words(f) } else { String::new() },
            f.assurance.words().into(),
            platform::web::defused(&d.source),
            platform::web::defused(&f.vintages.join("; ")),
            platform::web::defused(&d.quality_note),
        ]);
    }
    String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
}

async fn dashboard_csv(State(platform): State<Platform>) -> Result<Response, AppError> {
    let office = platform.office().await?;
    let figures = assemble::all_figures(platform.pool(), &office, None).await?;
    Ok(platform::web::csv_download(dashboard_rows(&figures), "performance-measures.csv"))
}

async fn dashboard_json(State(platform): State<Platform>) -> Result<Response, AppError> {
    let office = platform.office().await?;
    let figures = assemble::all_figures(platform.pool(), &office, None).await?;
    Ok(axum::Json(serde_json::json!({ "measures": figures, "licence": "Open Government Licence v3.0" })).into_response())
}

#[derive(Template)]
#[template(path = "performance/catalogue.html")]
struct CataloguePage {
    chrome: Chrome,
    measures: Vec<Measure>,
    catalogues: Vec<store::Catalogue>,
}

impl CataloguePage {
    fn date(&self, text: &Option<String>) -> String {
        text.as_deref().map(platform::calendar::long_date_of).unwrap_or_default()
    }
    fn on(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
}

async fn catalogue(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let measures = store::all_measures(platform.pool()).await?;
    let catalogues = store::catalogues(platform.pool()).await?;
    render(&CataloguePage { chrome, measures, catalogues })
}
