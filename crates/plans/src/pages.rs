//! The public's pages: published plans with each action's status and progress as of the newest
//! locked quarter, the programme overview, an action's history, the changes since publication,
//! each locked quarter with its downloads and the Panel's update report. Nothing here reads an
//! unlocked quarter: what the public sees is what the office locked.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::web::stamped::Stamped;
use platform::web::{PageRequest, render};
use platform::{AppError, Chrome, Platform};

use crate::model::{DeliveryStatus, quarter_label};
use crate::snapshot::{ActionLine, Snapshot};
use crate::store::{self, Change, Plan};

pub fn routes() -> Routes {
    Routes::new()
        .route("/plans", Access::Public, get(list))
        .route("/plans/{plan}", Access::Public, get(plan_page))
        .route("/plans/{plan}/overview", Access::Public, get(overview_page))
        .route("/plans/{plan}/changes", Access::Public, get(changes_page))
        .route("/plans/{plan}/plan.csv", Access::Public, get(plan_csv))
        .route("/plans/{plan}/plan.json", Access::Public, get(plan_json))
        .route("/plans/{plan}/actions/{reference}", Access::Public, get(action_page))
        .route("/plans/{plan}/quarters/{quarter}", Access::Public, get(quarter_page))
        .route("/plans/{plan}/quarters/{quarter}/snapshot.csv", Access::Public, get(quarter_csv))
        .route("/plans/{plan}/quarters/{quarter}/snapshot.json", Access::Public, get(quarter_json))
        .route("/plans/{plan}/quarters/{quarter}/report", Access::Public, get(report_page))
        .route("/plans/{plan}/quarters/{quarter}/report.pdf", Access::Public, get(report_pdf))
        .route("/plans/{plan}/quarters/{quarter}/report-figures.csv", Access::Public, get(report_csv))
}

/// A plan the public may see: published or superseded.
pub(crate) async fn public_plan(platform: &Platform, slug: &str) -> Result<Plan, AppError> {
    Ok(stamped_plan(platform, slug).await?.0)
}

/// A plan the public may see, with the stamp of what its pages are made from.
async fn stamped_plan(platform: &Platform, slug: &str) -> Result<(Plan, String), AppError> {
    store::find_plan_stamped(platform.pool(), slug).await?.filter(|(p, _)| p.status.is_public()).ok_or(AppError::NotFound)
}

/// The published plan as the public sees it: its current words, with each action's status and
/// progress from the newest locked quarter (actions added since are "not reported yet").
pub(crate) struct PublicView {
    pub plan: Plan,
    pub view: Snapshot,
    pub as_of: Option<String>,
    pub unreported: HashSet<String>,
}

pub(crate) async fn public_view(platform: &Platform, plan: Plan) -> Result<PublicView, AppError> {
    let today = platform::calendar::uk_today();
    let mut view = store::words(platform.pool(), &plan, today).await?;
    let latest = store::latest_lines(platform.pool(), &plan.id).await?;
    let mut unreported = HashSet::new();
    let as_of = latest.as_ref().map(|(q, _)| q.clone());
    let lines = latest.map(|(_, lines)| lines).unwrap_or_default();
    for priority in &mut view.priorities {
        for commitment in &mut priority.commitments {
            for action in &mut commitment.actions {
                match lines.iter().find(|(id, _, _)| *id == action.id) {
                    Some((_, status, progress)) => {
                        action.status = status.clone();
                        action.progress = progress.clone();
                    }
                    None => {
                        unreported.insert(action.id.clone());
                        action.progress.clear();
                    }
                }
                action.progress_on.clear();
            }
        }
    }
    view.quarter = as_of.clone().unwrap_or_default();
    Ok(PublicView { plan, view, as_of, unreported })
}

#[derive(Template)]
#[template(path = "plans/list.html")]
struct ListPage {
    chrome: Chrome,
    plans: Vec<Plan>,
}

async fn list(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let plans = store::list_plans(platform.pool()).await?.into_iter().filter(|p| p.status.is_public()).collect();
    render(&ListPage { chrome, plans })
}

/// The plan page's and the overview's content, made once per change of the plan or a new
/// locked quarter; every request checks the stamp in the database first.
static MADE: LazyLock<Stamped> = LazyLock::new(|| Stamped::new(256));

/// The content kept for `page` of `plan` if it was made from `stamp`, or made by `make` and kept.
async fn made<F, Fut>(plan: &Plan, stamp: &str, page: &str, make: F) -> Result<Arc<String>, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<String, AppError>>,
{
    let key = format!("{}:{page}", plan.id);
    if let Some(kept) = MADE.get(&key, stamp) {
        return Ok(kept);
    }
    Ok(MADE.put(&key, stamp, make().await?))
}

/// A public page around content made by `made`.
#[derive(Template)]
#[template(path = "plans/plan.html")]
struct PlanPage {
    chrome: Chrome,
    title: String,
    body: Arc<String>,
}

#[derive(Template)]
#[template(path = "plans/plan_body.html")]
struct PlanBody {
    plan: Plan,
    view: Snapshot,
    as_of: Option<String>,
    unreported: HashSet<String>,
    quarters: Vec<(String, String)>,
    changes: usize,
}

impl PlanBody {
    fn status_of(&self, action: &ActionLine) -> Option<DeliveryStatus> {
        (!self.unreported.contains(&action.id)).then(|| action.status())
    }
    fn quarter(&self, slug: &str) -> String {
        quarter_label(slug)
    }
}

async fn plan_page(PageRequest { platform, chrome }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    let (plan, stamp) = stamped_plan(&platform, &slug).await?;
    let title = plan.title.clone();
    let body = made(&plan, &stamp, "plan", || async {
        let quarters = store::snapshot_quarters(platform.pool(), &plan.id).await?;
        let changes = store::changes(platform.pool(), &plan.id).await?.len();
        let public = public_view(&platform, plan.clone()).await?;
        let body = PlanBody {
            plan: public.plan,
            view: public.view,
            as_of: public.as_of,
            unreported: public.unreported,
            quarters,
            changes,
        };
        Ok(body.render()?)
    })
    .await?;
    render(&PlanPage { chrome, title, body })
}

#[derive(Template)]
#[template(path = "plans/overview.html")]
struct OverviewPage {
    chrome: Chrome,
    title: String,
    slug: String,
    body: Arc<String>,
}

#[derive(Template)]
#[template(path = "plans/overview_body.html")]
struct OverviewBody {
    plan: Plan,
    as_of: Option<String>,
    unreported: usize,
    figure: String,
}

impl OverviewBody {
    fn quarter(&self, slug: &str) -> String {
        quarter_label(slug)
    }
}

async fn overview_page(PageRequest { platform, chrome }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    let (plan, stamp) = stamped_plan(&platform, &slug).await?;
    let title = plan.title.clone();
    let body = made(&plan, &stamp, "overview", || async {
        let public = public_view(&platform, plan.clone()).await?;
        let mut reported = public.view.clone();
        for priority in &mut reported.priorities {
            for commitment in &mut priority.commitments {
                commitment.actions.retain(|a| !public.unreported.contains(&a.id));
            }
        }
        let figure = crate::overview::overview(&reported).html("overview");
        let body = OverviewBody { unreported: public.unreported.len(), as_of: public.as_of, plan: public.plan, figure };
        Ok(body.render()?)
    })
    .await?;
    render(&OverviewPage { chrome, title, slug, body })
}

#[derive(Template)]
#[template(path = "plans/changes.html")]
struct ChangesPage {
    chrome: Chrome,
    plan: Plan,
    changes: Vec<Change>,
}

impl ChangesPage {
    fn date(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
}

async fn changes_page(PageRequest { platform, chrome }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    let plan = public_plan(&platform, &slug).await?;
    let changes = store::changes(platform.pool(), &plan.id).await?;
    render(&ChangesPage { chrome, plan, changes })
}

#[derive(Template)]
#[template(path = "plans/action.html")]
struct ActionPage {
    chrome: Chrome,
    plan: Plan,
    priority: String,
    pledge: String,
    action: ActionLine,
    reported: bool,
    history: Vec<(String, String, String)>,
}

impl ActionPage {
    fn quarter(&self, slug: &str) -> String {
        quarter_label(slug)
    }
    fn status_words(&self, slug: &str) -> String {
        DeliveryStatus::from_slug(slug).map(DeliveryStatus::described).unwrap_or_default()
    }
    fn status_tag(&self, slug: &str) -> &'static str {
        DeliveryStatus::from_slug(slug).map(DeliveryStatus::tag_class).unwrap_or("govuk-tag--grey")
    }
}

async fn action_page(
    PageRequest { platform, chrome }: PageRequest,
    Path((slug, reference)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let plan = public_plan(&platform, &slug).await?;
    let public = public_view(&platform, plan).await?;
    let (priority, pledge, action) = public
        .view
        .priorities
        .iter()
        .flat_map(|p| p.commitments.iter().flat_map(move |c| c.actions.iter().map(move |a| (p, c, a))))
        .find(|(_, _, a)| a.reference == reference)
        .map(|(p, c, a)| (p.title.clone(), c.pledge.clone(), a.clone()))
        .ok_or(AppError::NotFound)?;
    let history = store::history(platform.pool(), &action.id).await?;
    let reported = !public.unreported.contains(&action.id);
    render(&ActionPage { chrome, plan: public.plan, priority, pledge, action, reported, history })
}

/// A snapshot as CSV: one row an action, machine values, formula-safe.
pub(crate) fn snapshot_csv(snapshot: &Snapshot, unreported: &HashSet<String>) -> String {
    use platform::web::csv_field;
    let mut out = String::from(
        "priority,commitment,reference,key_deliverable,actions,partner,lead,outcome_measure,horizon,status,carried_forward,progress,quarter\r\n",
    );
    for priority in &snapshot.priorities {
        for commitment in &priority.commitments {
            for a in &commitment.actions {
                let status = if unreported.contains(&a.id) { "not-reported" } else { a.status.as_str() };
                let fields = [
                    csv_field(&priority.title),
                    csv_field(&commitment.pledge),
                    csv_field(&a.reference),
                    csv_field(&a.key_deliverable),
                    csv_field(&a.actions),
                    csv_field(&a.partner),
                    csv_field(&a.lead),
                    csv_field(&a.outcome_measure),
                    a.horizon.clone(),
                    status.to_string(),
                    if a.carried_forward { "yes" } else { "no" }.to_string(),
                    csv_field(&a.progress),
                    snapshot.quarter.clone(),
                ];
                out.push_str(&fields.join(","));
                out.push_str("\r\n");
            }
        }
    }
    out
}

async fn plan_csv(State(platform): State<Platform>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let plan = public_plan(&platform, &slug).await?;
    let public = public_view(&platform, plan).await?;
    Ok(platform::web::csv_download(snapshot_csv(&public.view, &public.unreported), &format!("{slug}.csv")))
}

async fn plan_json(State(platform): State<Platform>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let plan = public_plan(&platform, &slug).await?;
    let public = public_view(&platform, plan).await?;
    let unreported: Vec<&String> = public.unreported.iter().collect();
    Ok(axum::Json(serde_json::json!({
        "plan": public.view.plan,
        "status": public.plan.status.slug(),
        "statuses_as_of_quarter": public.as_of,
        "actions_not_yet_reported": unreported,
        "priorities": public.view.priorities,
        "licence": "Open Government Licence v3.0",
    }))
    .into_response())
}

async fn locked(platform: &Platform, slug: &str, quarter: &str) -> Result<(Plan, store::Locked), AppError> {
    let plan = public_plan(platform, slug).await?;
    let locked = store::find_snapshot(platform.pool(), &plan.id, quarter).await?.ok_or(AppError::NotFound)?;
    Ok((plan, locked))
}

#[derive(Template)]
#[template(path = "plans/quarter.html")]
struct QuarterPage {
    chrome: Chrome,
    plan: Plan,
    locked: store::Locked,
    changes: Vec<crate::snapshot::StatusChange>,
    /// Whether there was a locked quarter before this one.
    compared: bool,
    figure: String,
}

impl QuarterPage {
    fn quarter(&self) -> String {
        quarter_label(&self.locked.quarter)
    }
    fn date(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
}

/// The snapshot before `locked`, to list what changed since.
async fn previous(platform: &Platform, plan: &Plan, locked: &store::Locked) -> Result<Option<store::Locked>, AppError> {
    Ok(store::snapshot_before(platform.pool(), &plan.id, &locked.quarter).await?)
}

async fn quarter_page(
    PageRequest { platform, chrome }: PageRequest,
    Path((slug, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, locked) = locked(&platform, &slug, &quarter).await?;
    let before = previous(&platform, &plan, &locked).await?;
    let changes = crate::snapshot::changes(before.as_ref().map(|s| &s.snapshot), &locked.snapshot);
    let figure = crate::overview::overview(&locked.snapshot).html("quarter");
    render(&QuarterPage { chrome, plan, locked, changes, compared: before.is_some(), figure })
}

async fn quarter_csv(
    State(platform): State<Platform>,
    Path((slug, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, locked) = locked(&platform, &slug, &quarter).await?;
    Ok(platform::web::csv_download(snapshot_csv(&locked.snapshot, &HashSet::new()), &format!("{slug}-{quarter}.csv")))
}

async fn quarter_json(
    State(platform): State<Platform>,
    Path((slug, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (_, locked) = locked(&platform, &slug, &quarter).await?;
    Ok(axum::Json(serde_json::json!({
        "sha256": locked.sha256,
        "snapshot": locked.snapshot,
        "licence": "Open Government Licence v3.0",
    }))
    .into_response())
}

/// The Panel's update report for a locked quarter.
pub(crate) async fn report_document(
    platform: &Platform,
    plan: &Plan,
    locked: &store::Locked,
) -> Result<publishing::Document, AppError> {
    let office = platform.office().await?;
    Ok(crate::report::document_for(platform.pool(), &office, plan, locked, platform::calendar::uk_today()).await?)
}

#[derive(Template)]
#[template(path = "plans/report.html")]
struct ReportPage {
    chrome: Chrome,
    plan: Plan,
    quarter: String,
    title: String,
    body: String,
}

async fn report_page(
    PageRequest { platform, chrome }: PageRequest,
    Path((slug, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, locked) = locked(&platform, &slug, &quarter).await?;
    let document = report_document(&platform, &plan, &locked).await?;
    render(&ReportPage { chrome, plan, quarter, title: document.title.clone(), body: document.html() })
}

async fn report_pdf(
    State(platform): State<Platform>,
    Path((slug, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, locked) = locked(&platform, &slug, &quarter).await?;
    let document = report_document(&platform, &plan, &locked).await?;
    // Laying out takes tens of milliseconds of CPU: off the request threads.
    let bytes = tokio::task::spawn_blocking(move || document.pdf())
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(platform::web::pdf_download(bytes, &format!("{slug}-{quarter}-update.pdf")))
}

async fn report_csv(
    State(platform): State<Platform>,
    Path((slug, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, locked) = locked(&platform, &slug, &quarter).await?;
    let document = report_document(&platform, &plan, &locked).await?;
    Ok(platform::web::csv_download(document.figures_csv(), &format!("{slug}-{quarter}-update-figures.csv")))
}
