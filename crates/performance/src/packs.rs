//! The Public Performance Meeting packs: the office locks a finished quarter for police or for
//! fire, writes its commentary on each measure, and the pack is published as a page, a tagged PDF
//! and CSV, all made from the locked record.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::periods::Quarter;
use platform::web::forms::{Choice, FormErrors, Select, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::MANAGERS;
use crate::model::Service;
use crate::snapshot::{self, Content, LockRefused, Locked};

pub fn routes() -> Routes {
    let m = Access::Roles(MANAGERS);
    Routes::new()
        .route("/performance/packs/{service}/{quarter}", Access::Public, get(pack_page))
        .route("/performance/packs/{service}/{quarter}/pack.pdf", Access::Public, get(pack_pdf))
        .route("/performance/packs/{service}/{quarter}/pack-figures.csv", Access::Public, get(pack_csv))
        .route("/performance/packs/{service}/{quarter}/snapshot.json", Access::Public, get(snapshot_json))
        .route("/staff/performance/packs", m, get(staff_list).post(lock))
        .route("/staff/performance/packs/{service}/{quarter}", m, get(commentary_page).post(save_commentary))
}

/// The longest commentary on one measure.
const MAX_COMMENTARY: usize = 5_000;

async fn locked(platform: &Platform, service: &str, quarter: &str) -> Result<(Locked, Content), AppError> {
    let service = Service::from_slug(service).ok_or(AppError::NotFound)?;
    if Quarter::from_slug(quarter).is_none() || !platform::slugs::is_slug(&quarter.to_lowercase()) {
        return Err(AppError::NotFound);
    }
    snapshot::find(platform.pool(), service, quarter).await?.ok_or(AppError::NotFound)
}

async fn document(platform: &Platform, locked: &Locked, content: &Content) -> Result<publishing::Document, AppError> {
    let commentary = snapshot::commentary(platform.pool(), &locked.id).await?;
    let published =
        platform::db::parse_date(locked.locked_at.get(..10).unwrap_or("")).unwrap_or_else(platform::calendar::uk_today);
    Ok(snapshot::pack(locked, content, &commentary, published))
}

#[derive(Template)]
#[template(path = "performance/pack.html")]
struct PackPage {
    chrome: Chrome,
    title: String,
    base: String,
    body: String,
}

async fn pack_page(
    PageRequest { platform, chrome }: PageRequest,
    Path((service, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (locked, content) = locked(&platform, &service, &quarter).await?;
    let document = document(&platform, &locked, &content).await?;
    let base = format!("/performance/packs/{service}/{quarter}");
    render(&PackPage { chrome, title: document.title.clone(), base, body: document.html() })
}

async fn pack_pdf(
    State(platform): State<Platform>,
    Path((service, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (locked, content) = locked(&platform, &service, &quarter).await?;
    let document = document(&platform, &locked, &content).await?;
    // Laying out takes a moment of CPU: off the request threads.
    let bytes = tokio::task::spawn_blocking(move || document.pdf())
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(platform::web::pdf_download(bytes, &format!("performance-{service}-{quarter}.pdf")))
}

async fn pack_csv(
    State(platform): State<Platform>,
    Path((service, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (locked, content) = locked(&platform, &service, &quarter).await?;
    let document = document(&platform, &locked, &content).await?;
    Ok(platform::web::csv_download(document.figures_csv(), &format!("performance-{service}-{quarter}-figures.csv")))
}

async fn snapshot_json(
    State(platform): State<Platform>,
    Path((service, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (locked, content) = locked(&platform, &service, &quarter).await?;
    Ok(axum::Json(serde_json::json!({
        "sha256": locked.sha256,
        "locked_at": locked.locked_at,
        "content": content,
        "licence": "Open Government Licence v3.0",
    }))
    .into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LockForm {
    service: String,
    quarter: String,
}

#[derive(Template)]
#[template(path = "performance/staff_packs.html")]
struct ListPage {
    chrome: Chrome,
    packs: Vec<Locked>,
    quarters: Vec<(String, String)>,
    form: LockForm,
    errors: FormErrors,
}

const SERVICES: [(&str, &str); 2] = [("police", "Police"), ("fire", "Fire and rescue")];

impl ListPage {
    fn service(&self) -> Select<'_> {
        Select::new("service", "Service", Choice::each(&SERVICES), &self.form.service, &self.errors)
    }
    fn quarter(&self) -> Select<'_> {
        let options = self.quarters.iter().map(|(slug, label)| Choice::new(slug, label)).collect();
        Select::new("quarter", "Quarter", options, &self.form.quarter, &self.errors)
    }
}

/// The finished quarters a pack may be locked for: the last eight.
fn finished_quarters(today: time::Date) -> Vec<(String, String)> {
    let mut quarter = Quarter::containing(today).previous();
    let mut out = Vec::new();
    for _ in 0..8 {
        out.push((quarter.slug(), quarter.label()));
        quarter = quarter.previous();
    }
    out
}

async fn list_page(platform: &Platform, chrome: Chrome, form: LockForm, errors: FormErrors) -> Result<Response, AppError> {
    let packs = snapshot::list(platform.pool()).await?;
    let failed = !errors.is_empty();
    let page = ListPage {
        chrome: chrome.with_errors(failed),
        packs,
        quarters: finished_quarters(platform::calendar::uk_today()),
        form,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn staff_list(StaffPage { platform, chrome, .. }: StaffPage) -> Result<Response, AppError> {
    list_page(&platform, chrome, LockForm::default(), FormErrors::new()).await
}

/// Locks a quarter's figures for a service as they stand now.
pub async fn lock_quarter(
    platform: &Platform,
    service: Service,
    quarter: &str,
    actor: &platform::audit::Actor,
    now: OffsetDateTime,
    today: time::Date,
) -> Result<Locked, LockRefused> {
    let office = platform.office().await.map_err(|_| LockRefused::NoMeasures)?;
    snapshot::lock_as_it_stood(platform.pool(), &office, service, quarter, actor, (now, today)).await
}

async fn lock(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<LockForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let service = Service::from_slug(&form.service);
    if service.is_none() {
        errors.add("service", "Choose police or fire and rescue");
    }
    let quarter = finished_quarters(platform::calendar::uk_today()).into_iter().find(|(slug, _)| *slug == form.quarter);
    if quarter.is_none() {
        errors.add("quarter", "Choose a quarter that has finished");
    }
    let (Some(service), Some(_)) = (service, quarter) else {
        return list_page(&platform, chrome, form, errors).await;
    };
    match lock_quarter(
        &platform,
        service,
        &form.quarter,
        &staff.actor(),
        OffsetDateTime::now_utc(),
        platform::calendar::uk_today(),
    )
    .await
    {
        Ok(locked) => {
            Ok(Redirect::to(&format!("/staff/performance/packs/{}/{}", locked.service.slug(), locked.quarter)).into_response())
        }
        Err(LockRefused::Database(e)) => Err(e.into()),
        Err(refusal) => {
            errors.add("quarter", refusal.to_string());
            list_page(&platform, chrome, form, errors).await
        }
    }
}

#[derive(Template)]
#[template(path = "performance/staff_commentary.html")]
struct CommentaryPage {
    chrome: Chrome,
    locked: Locked,
    content: Content,
    commentary: std::collections::HashMap<String, String>,
    errors: FormErrors,
    saved: bool,
}

impl CommentaryPage {
    fn field(&self, key: &str, name: &str) -> String {
        let field = format!("commentary-{key}");
        let value = self.commentary.get(key).cloned().unwrap_or_default();
        Textarea::new(&field, name, &value, &self.errors).max_chars(MAX_COMMENTARY).rows(4).render().unwrap_or_default()
    }
    fn latest(&self, f: &crate::figures::MeasureFigures) -> String {
        f.latest().map(|p| f.unit().show(p.value)).unwrap_or_else(|| "No figures".into())
    }
}

async fn commentary_page(
    StaffPage { platform, chrome, .. }: StaffPage,
    Path((service, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (locked, content) = locked(&platform, &service, &quarter).await?;
    let commentary = snapshot::commentary(platform.pool(), &locked.id).await?;
    render(&CommentaryPage { chrome, locked, content, commentary, errors: FormErrors::new(), saved: false })
}

async fn save_commentary(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((service, quarter)): Path<(String, String)>,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    let (locked, content) = locked(&platform, &service, &quarter).await?;
    let mut errors = FormErrors::new();
    for f in &content.measures {
        let field = format!("commentary-{}", f.definition.key);
        if form.get(&field).is_some_and(|w| w.chars().count() > MAX_COMMENTARY) {
            errors.add(&field, format!("The commentary on {} must be 5,000 characters or fewer", f.definition.name));
        }
    }
    let before = snapshot::commentary(platform.pool(), &locked.id).await?;
    if !errors.is_empty() {
        let commentary = content
            .measures
            .iter()
            .map(|f| {
                let key = f.definition.key.clone();
                (key.clone(), form.get(&format!("commentary-{key}")).cloned().unwrap_or_default())
            })
            .collect();
        return platform::web::refused(&CommentaryPage {
            chrome: chrome.with_errors(true),
            locked,
            content,
            commentary,
            errors,
            saved: false,
        });
    }
    let now = OffsetDateTime::now_utc();
    for f in &content.measures {
        let key = &f.definition.key;
        let words = form.get(&format!("commentary-{key}")).map(|w| w.trim().to_string()).unwrap_or_default();
        if before.get(key).map(String::as_str).unwrap_or("") != words {
            snapshot::save_commentary(platform.pool(), &locked.id, key, &words, &staff.actor(), now).await?;
        }
    }
    let commentary = snapshot::commentary(platform.pool(), &locked.id).await?;
    render(&CommentaryPage { chrome, locked, content, commentary, errors, saved: true })
}
