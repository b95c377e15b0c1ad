//! The office's pages: plans and their tree, amendments with reasons once published, imports
//! with a preview, quarters (open, review, chase, close) and the words of the Panel's report.
//! Handlers extract, call the store, render; the rules are in `model`, `import` and `nudges`.

use askama::Template;
use axum::extract::{Path, Request};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::auth::CurrentStaff;
use platform::organisations::Organisation;
use platform::periods::Quarter;
use platform::web::forms::{Choice, Choices, DateInput, DateParts, DatePartsInError, FormErrors, Select, TextInput, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::import::{self, FileRefused, ReadPlan};
use crate::model::{DeliveryStatus, Horizon, PlanKind, PlanStatus, STATUS_CHOICES, UpdateState, UpdateStep};
use crate::store::{self, ActionFields, Plan, QuarterRecord, Tree, Update};
use crate::{MANAGERS, READERS};

pub fn routes() -> Routes {
    let m = Access::Roles(MANAGERS);
    Routes::new()
        .route("/staff/plans", Access::Roles(READERS), get(list).post(create))
        .route("/staff/plans/{plan}", Access::Roles(READERS), get(show))
        .route("/staff/plans/{plan}/status", m, post(change_status))
        .route("/staff/plans/{plan}/share", m, post(share))
        .route("/staff/plans/{plan}/details", m, get(details_form).post(amend_details))
        .route("/staff/plans/{plan}/priorities", m, post(add_priority))
        .route("/staff/plans/{plan}/priorities/{position}", m, get(priority_page).post(amend_priority))
        .route("/staff/plans/{plan}/priorities/{position}/withdraw", m, post(withdraw_priority))
        .route("/staff/plans/{plan}/commitments/{commitment}", m, post(amend_commitment))
        .route("/staff/plans/{plan}/commitments/{commitment}/withdraw", m, post(withdraw_commitment))
        .route("/staff/plans/{plan}/commitments", m, post(add_commitment))
        .route("/staff/plans/{plan}/actions", m, get(new_action).post(add_action))
        .route("/staff/plans/{plan}/actions/{reference}", m, get(edit_action).post(amend_action))
        .route("/staff/plans/{plan}/actions/{reference}/withdraw", m, post(withdraw_action))
        .route("/staff/plans/{plan}/actions/{reference}/evidence", m, post(add_evidence))
        .route("/staff/plans/{plan}/import", m, get(import_form).post(upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/staff/plans/{plan}/import/{import}", m, get(preview).post(confirm_import))
        .route("/staff/plans/{plan}/quarters", m, post(open_quarter))
        .route("/staff/plans/{plan}/quarters/{quarter}", m, get(quarter_page))
        .route("/staff/plans/{plan}/quarters/{quarter}/chase", m, post(chase))
        .route("/staff/plans/{plan}/quarters/{quarter}/close", m, post(close_quarter))
        .route("/staff/plans/{plan}/quarters/{quarter}/updates/{reference}", m, get(review_page).post(review))
        .route("/staff/plans/{plan}/quarters/{quarter}/report", m, get(report_form).post(save_report))
}

async fn plan_for(platform: &Platform, staff: &CurrentStaff, slug: &str) -> Result<Plan, AppError> {
    let plan = store::find_plan(platform.pool(), slug).await?.ok_or(AppError::NotFound)?;
    if !crate::may_read(staff.user.role, &plan) {
        return Err(AppError::NotFound);
    }
    Ok(plan)
}

/// The question every change to a published plan asks.
fn reason_input<'a>(reason: &'a str, errors: &'a FormErrors) -> Textarea<'a> {
    Textarea::new("reason", "Why is the published plan changing?", reason, errors)
        .rows(2)
        .max_chars(1000)
        .hint("The public see this beside the change")
}

fn back_to(plan: &Plan, said: &str) -> Response {
    Redirect::to(&format!("/staff/plans/{}?done={said}", plan.slug)).into_response()
}

fn refused(page: impl Template) -> Result<Response, AppError> {
    platform::web::refused(&page)
}

// ---------------------------------------------------------------------------------------------
// The list and a new plan

const KINDS: [(&str, &str); 3] = [
    ("police-and-crime", "Police and Crime Plan"),
    ("fire-and-rescue", "Fire and Rescue Plan"),
    ("strategy", "Another strategy or action plan"),
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewPlanForm {
    title: String,
    kind: String,
    first_year: String,
    last_year: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "plans/staff_list.html")]
struct ListPage {
    chrome: Chrome,
    plans: Vec<Plan>,
    form: NewPlanForm,
    errors: FormErrors,
    manages: bool,
}

impl ListPage {
    fn title(&self) -> TextInput<'_> {
        TextInput::new("title", "Title", &self.form.title, &self.errors)
    }
    fn kind(&self) -> Choices<'_> {
        Choices::radios("kind", "What kind of plan is it?", Choice::each(&KINDS), Some(self.form.kind.as_str()), &self.errors)
            .legend_size("govuk-fieldset__legend--s")
    }
    fn first_year(&self) -> TextInput<'_> {
        TextInput::new("first_year", "First financial year", &self.form.first_year, &self.errors)
            .hint("The year it starts in April, for example 2021")
            .width("govuk-input--width-4")
            .input_type("text")
    }
    fn last_year(&self) -> TextInput<'_> {
        TextInput::new("last_year", "Last financial year", &self.form.last_year, &self.errors)
            .hint("For example 2023 for a plan that ends in March 2024")
            .width("govuk-input--width-4")
    }
    fn summary(&self) -> Textarea<'_> {
        Textarea::new("summary", "Summary (optional)", &self.form.summary, &self.errors).rows(3).max_chars(1000)
    }
}

async fn list(StaffPage { platform, chrome, staff }: StaffPage) -> Result<Response, AppError> {
    let plans = store::list_plans(platform.pool()).await?.into_iter().filter(|p| crate::may_read(staff.user.role, p)).collect();
    let manages = MANAGERS.contains(&staff.user.role);
    render(&ListPage { chrome, plans, form: NewPlanForm::default(), errors: FormErrors::new(), manages })
}

/// "Police and Crime Plan 2021 to 2024" → "police-and-crime-plan-2021-to-2024".
pub fn slug_of(title: &str) -> String {
    platform::slugs::of_title(title)
}

fn check_new_plan(form: &NewPlanForm) -> Result<store::NewPlan, FormErrors> {
    let mut errors = FormErrors::new();
    let title = form.title.trim();
    if title.is_empty() {
        errors.add("title", "Enter the plan’s title");
    } else if title.chars().count() > 200 {
        errors.add("title", "The title must be 200 characters or fewer");
    }
    let kind = PlanKind::from_slug(&form.kind);
    if kind.is_none() {
        errors.add("kind", "Select what kind of plan it is");
    }
    let year = |text: &str| text.trim().parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
    let first = year(&form.first_year);
    let last = year(&form.last_year);
    if first.is_none() {
        errors.add("first_year", "Enter the first financial year as 4 digits, like 2021");
    }
    if last.is_none() {
        errors.add("last_year", "Enter the last financial year as 4 digits, like 2023");
    }
    if let (Some(f), Some(l)) = (first, last)
        && l < f
    {
        errors.add("last_year", "The last financial year must be the same as or after the first");
    }
    if slug_of(title).is_empty() && !title.is_empty() {
        errors.add("title", "The title must include some letters or numbers");
    }
    match (kind, first, last) {
        (Some(kind), Some(first), Some(last)) if errors.is_empty() => Ok(store::NewPlan {
            slug: slug_of(title),
            title: title.to_string(),
            kind,
            starts_on: platform::periods::FinancialYear(first).first_day(),
            ends_on: platform::periods::FinancialYear(last).last_day(),
            summary: form.summary.trim().to_string(),
            document_url: String::new(),
        }),
        _ => Err(errors),
    }
}

async fn create(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<NewPlanForm>) -> Result<Response, AppError> {
    if !MANAGERS.contains(&staff.user.role) {
        return Err(AppError::Forbidden);
    }
    let refuse = |errors: FormErrors, form: NewPlanForm, plans: Vec<Plan>| ListPage {
        chrome: chrome.clone().with_errors(true),
        plans,
        form,
        errors,
        manages: true,
    };
    let new = match check_new_plan(&form) {
        Ok(new) => new,
        Err(errors) => return refused(refuse(errors, form, store::list_plans(platform.pool()).await?)),
    };
    match store::create_plan(platform.pool(), &new, &staff.actor(), OffsetDateTime::now_utc()).await {
        Ok(_) => Ok(Redirect::to(&format!("/staff/plans/{}", new.slug)).into_response()),
        Err(store::PlanError::SlugTaken) => {
            let mut errors = FormErrors::new();
            errors.add("title", "A plan with this title already exists: give this one a different title");
            refused(refuse(errors, form, store::list_plans(platform.pool()).await?))
        }
        Err(store::PlanError::Database(e)) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// One plan

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TreeForm {
    title: String,
    aim: String,
    priority: String,
    pledge: String,
    quarter: String,
    #[serde(rename = "due-day")]
    due_day: String,
    #[serde(rename = "due-month")]
    due_month: String,
    #[serde(rename = "due-year")]
    due_year: String,
}

#[derive(Template)]
#[template(path = "plans/staff_plan.html")]
struct PlanPage {
    chrome: Chrome,
    plan: Plan,
    tree: Tree,
    organisations: Vec<Organisation>,
    quarters: Vec<QuarterRecord>,
    form: TreeForm,
    errors: FormErrors,
    done: String,
    manages: bool,
    due: DateParts,
    /// The quarters an officer may open: the last, this and the next, as (slug, words).
    quarter_options: Vec<(String, String)>,
}

impl PlanPage {
    fn partner(&self, id: &Option<String>) -> String {
        self.organisations
            .iter()
            .find(|o| Some(&o.id) == id.as_ref())
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "No partner".into())
    }
    fn date(&self, d: &time::Date) -> String {
        platform::format::date(*d)
    }
    fn done_words(&self) -> &'static str {
        match self.done.as_str() {
            "status" => "Status changed",
            "share" => "Sharing with the Panel changed",
            "priority" => "Priority added",
            "commitment" => "Commitment added",
            "action" => "Action saved",
            "withdrawn" => "Action withdrawn",
            "evidence" => "Evidence added",
            "imported" => "Action plan imported",
            "quarter" => "Quarter opened: leads can now send their updates",
            "details" => "The plan’s details saved",
            "priority-withdrawn" => "Priority withdrawn, with every action under it",
            "commitment-withdrawn" => "Commitment withdrawn, with every action under it",
            _ => "",
        }
    }
    fn title_input(&self) -> TextInput<'_> {
        TextInput::new("title", "Priority", &self.form.title, &self.errors)
    }
    fn aim_input(&self) -> Textarea<'_> {
        Textarea::new("aim", "What it aims for (optional)", &self.form.aim, &self.errors).rows(2).max_chars(1000)
    }
    fn priority_select(&self) -> Select<'_> {
        let options =
            self.tree.priorities.iter().filter(|p| p.withdrawn_on.is_none()).map(|p| Choice::new(&p.id, &p.title)).collect();
        Select::new("priority", "Priority", options, &self.form.priority, &self.errors)
    }
    fn pledge_input(&self) -> Textarea<'_> {
        Textarea::new("pledge", "Commitment", &self.form.pledge, &self.errors)
            .rows(2)
            .max_chars(1000)
            .hint("What the plan promises, for example “Improve 101 services so that callers get a quick, good answer”")
    }
    fn quarter_select(&self) -> Select<'_> {
        let options = self.quarter_options.iter().map(|(slug, label)| Choice::new(slug, label)).collect();
        Select::new("quarter", "Quarter", options, &self.form.quarter, &self.errors)
    }
    fn due_input(&self) -> DateInput<'_> {
        DateInput::new("due", "Updates due by", &self.due, &self.errors, DatePartsInError { day: true, month: true, year: true })
    }
}

async fn plan_page(
    platform: &Platform,
    chrome: Chrome,
    staff: &CurrentStaff,
    plan: Plan,
    form: TreeForm,
    errors: FormErrors,
    done: String,
) -> Result<Response, AppError> {
    let tree = store::tree(platform.pool(), &plan.id).await?;
    let organisations = platform::organisations::list(platform.pool()).await?;
    let quarters = store::quarters(platform.pool(), &plan.id).await?;
    let due = DateParts { day: form.due_day.clone(), month: form.due_month.clone(), year: form.due_year.clone() };
    let failed = !errors.is_empty();
    let now = Quarter::containing(platform::calendar::uk_today());
    let quarter_options = [now.previous(), now, now.next()].into_iter().map(|q| (q.slug(), q.label())).collect();
    let page = PlanPage {
        chrome: chrome.with_errors(failed),
        plan,
        tree,
        organisations,
        quarters,
        form,
        errors,
        done,
        manages: MANAGERS.contains(&staff.user.role),
        due,
        quarter_options,
    };
    if failed { refused(page) } else { render(&page) }
}

async fn show(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    axum::extract::Query(query): axum::extract::Query<DoneQuery>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    plan_page(&platform, chrome, &staff, plan, TreeForm::default(), FormErrors::new(), query.done).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatusForm {
    status: String,
    shared: String,
}

async fn change_status(
    StaffPage { platform, staff, .. }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let status = PlanStatus::from_slug(&form.status).ok_or_else(|| AppError::BadRequest("unknown plan status".into()))?;
    if !plan.status.next().contains(&status) {
        return Err(AppError::BadRequest(format!("a {} plan cannot become {}", plan.status.name(), status.name())));
    }
    store::set_status(platform.pool(), &plan, status, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(back_to(&plan, "status"))
}

async fn share(
    StaffPage { platform, staff, .. }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    store::share_with_panel(platform.pool(), &plan, form.shared == "yes", &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(back_to(&plan, "share"))
}

async fn add_priority(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<TreeForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let mut errors = FormErrors::new();
    let title = form.title.trim().to_string();
    if title.is_empty() {
        errors.add("title", "Enter the priority");
    } else if title.chars().count() > 200 {
        errors.add("title", "The priority must be 200 characters or fewer");
    }
    if form.aim.chars().count() > 1000 {
        errors.add("aim", "What it aims for must be 1,000 characters or fewer");
    }
    if !errors.is_empty() {
        return plan_page(&platform, chrome, &staff, plan, form, errors, String::new()).await;
    }
    store::add_priority(platform.pool(), &plan, &title, form.aim.trim(), &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(back_to(&plan, "priority"))
}

async fn add_commitment(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<TreeForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let tree = store::tree(platform.pool(), &plan.id).await?;
    let mut errors = FormErrors::new();
    let priority = tree.priorities.iter().find(|p| p.id == form.priority && p.withdrawn_on.is_none()).cloned();
    if priority.is_none() {
        errors.add("priority", "Select the priority the commitment belongs to");
    }
    let pledge = form.pledge.trim().to_string();
    if pledge.is_empty() {
        errors.add("pledge", "Enter the commitment");
    } else if pledge.chars().count() > 1000 {
        errors.add("pledge", "The commitment must be 1,000 characters or fewer");
    }
    let Some(priority) = priority.filter(|_| errors.is_empty()) else {
        return plan_page(&platform, chrome, &staff, plan, form, errors, String::new()).await;
    };
    store::add_commitment(platform.pool(), &plan, &priority, &pledge, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(back_to(&plan, "commitment"))
}

async fn open_quarter(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<TreeForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let mut errors = FormErrors::new();
    let quarter = Quarter::from_slug(&form.quarter);
    if quarter.is_none() {
        errors.add("quarter", "Select the quarter");
    }
    let parts = DateParts { day: form.due_day.clone(), month: form.due_month.clone(), year: form.due_year.clone() };
    let (due, _) = platform::web::forms::date_field(&mut errors, "due", &parts, "the date updates are due");
    if let Some(due) = due
        && due < platform::calendar::uk_today()
    {
        errors.add("due-day", "The date updates are due must be today or in the future");
    }
    let (Some(quarter), Some(due)) = (quarter, due) else {
        return plan_page(&platform, chrome, &staff, plan, form, errors, String::new()).await;
    };
    if !errors.is_empty() {
        return plan_page(&platform, chrome, &staff, plan, form, errors, String::new()).await;
    }
    match store::open_quarter(platform.pool(), &plan, quarter, due, &staff.actor(), OffsetDateTime::now_utc()).await {
        Ok(_) => Ok(back_to(&plan, "quarter")),
        Err(store::QuarterError::Database(e)) => Err(e.into()),
        Err(refusal) => {
            errors.add("quarter", refusal.to_string());
            plan_page(&platform, chrome, &staff, plan, form, errors, String::new()).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The plan's details, its priorities and commitments

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DetailsForm {
    title: String,
    summary: String,
    document_url: String,
    aim: String,
    pledge: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "plans/staff_details.html")]
struct DetailsPage {
    chrome: Chrome,
    plan: Plan,
    form: DetailsForm,
    errors: FormErrors,
}

impl DetailsPage {
    fn title(&self) -> TextInput<'_> {
        TextInput::new("title", "Title", &self.form.title, &self.errors)
    }
    fn summary(&self) -> Textarea<'_> {
        Textarea::new("summary", "Summary", &self.form.summary, &self.errors).rows(4).max_chars(1000)
    }
    fn document_url(&self) -> TextInput<'_> {
        TextInput::new("document_url", "Address of the plan’s document (optional)", &self.form.document_url, &self.errors)
            .hint("Where the plan itself is published, starting https://")
            .input_type("url")
            .no_spellcheck()
    }
    fn reason(&self) -> Textarea<'_> {
        reason_input(&self.form.reason, &self.errors)
    }
}

async fn details_form(StaffPage { platform, chrome, staff }: StaffPage, Path(slug): Path<String>) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let form = DetailsForm {
        title: plan.title.clone(),
        summary: plan.summary.clone(),
        document_url: plan.document_url.clone(),
        ..DetailsForm::default()
    };
    render(&DetailsPage { chrome, plan, form, errors: FormErrors::new() })
}

async fn amend_details(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let mut errors = FormErrors::new();
    let (title, summary, url) = (form.title.trim(), form.summary.trim(), form.document_url.trim());
    if title.is_empty() {
        errors.add("title", "Enter the plan’s title");
    } else if title.chars().count() > 200 {
        errors.add("title", "The title must be 200 characters or fewer");
    }
    if summary.chars().count() > 1000 {
        errors.add("summary", "The summary must be 1,000 characters or fewer");
    }
    let web_address = url.starts_with("https://") || url.starts_with("http://");
    if !url.is_empty() && (!web_address || url.len() > 500 || url.contains(char::is_whitespace)) {
        errors.add("document_url", "Enter the document’s address starting https://, like https://www.example.gov.uk/plan");
    }
    if errors.is_empty() {
        match store::amend_details(
            platform.pool(),
            &plan,
            (title, summary, url),
            &form.reason,
            &staff.actor(),
            OffsetDateTime::now_utc(),
        )
        .await
        {
            Ok(_) => return Ok(back_to(&plan, "details")),
            Err(store::ActionError::Database(e)) => return Err(e.into()),
            Err(refusal) => errors.add("reason", refusal.to_string()),
        }
    }
    refused(DetailsPage { chrome: chrome.with_errors(true), plan, form, errors })
}

#[derive(Template)]
#[template(path = "plans/staff_priority.html")]
struct PriorityPage {
    chrome: Chrome,
    plan: Plan,
    priority: store::Priority,
    commitments: Vec<store::Commitment>,
    form: DetailsForm,
    errors: FormErrors,
    /// The commitment a refused form was about, if any.
    about: String,
}

impl PriorityPage {
    fn title(&self) -> TextInput<'_> {
        TextInput::new("title", "Priority", &self.form.title, &self.errors)
    }
    fn aim(&self) -> Textarea<'_> {
        Textarea::new("aim", "What it aims for", &self.form.aim, &self.errors).rows(3).max_chars(1000)
    }
    fn reason(&self) -> Textarea<'_> {
        reason_input(&self.form.reason, &self.errors)
    }
    fn error_for(&self, commitment: &str) -> Option<&str> {
        (self.about == commitment).then(|| self.errors.iter().next().map(|e| e.message.as_str())).flatten()
    }
}

async fn priority_of(
    platform: &Platform,
    plan: &Plan,
    position: &str,
) -> Result<(store::Priority, Vec<store::Commitment>), AppError> {
    let position: i64 = position.parse().map_err(|_| AppError::NotFound)?;
    let tree = store::tree(platform.pool(), &plan.id).await?;
    let priority = tree.priorities.iter().find(|p| p.position == position).cloned().ok_or(AppError::NotFound)?;
    let commitments = tree.commitments_of(&priority).cloned().collect();
    Ok((priority, commitments))
}

async fn priority_page(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, position)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let (priority, commitments) = priority_of(&platform, &plan, &position).await?;
    let form = DetailsForm { title: priority.title.clone(), aim: priority.aim.clone(), ..DetailsForm::default() };
    render(&PriorityPage { chrome, plan, priority, commitments, form, errors: FormErrors::new(), about: String::new() })
}

/// The priority's page again with `errors`, on the form of the commitment `about` (empty for the
/// priority's own); `form` keeps what was typed into the priority's form.
async fn priority_refused(
    platform: &Platform,
    chrome: Chrome,
    plan: Plan,
    position: &str,
    form: Option<DetailsForm>,
    errors: FormErrors,
    about: &str,
) -> Result<Response, AppError> {
    let (priority, commitments) = priority_of(platform, &plan, position).await?;
    let form = form.unwrap_or_else(|| DetailsForm {
        title: priority.title.clone(),
        aim: priority.aim.clone(),
        ..DetailsForm::default()
    });
    refused(PriorityPage {
        chrome: chrome.with_errors(true),
        plan,
        priority,
        commitments,
        form,
        errors,
        about: about.to_string(),
    })
}

/// Withdraws a priority or a commitment (and the actions under it) with the reason given, or
/// says on the priority's page that a reason is needed.
async fn withdraw(
    StaffPage { platform, chrome, staff }: StaffPage,
    plan: Plan,
    (position, branch): (i64, store::Branch<'_>),
    reason: &str,
    (field, about): (&str, &str),
) -> Result<Response, AppError> {
    let done = if matches!(branch, store::Branch::Priority(_)) { "priority-withdrawn" } else { "commitment-withdrawn" };
    match store::withdraw_branch(platform.pool(), &plan, branch, reason, &staff.actor(), OffsetDateTime::now_utc()).await {
        Ok(()) => Ok(back_to(&plan, done)),
        Err(store::ActionError::Database(e)) => Err(e.into()),
        Err(_) => {
            let mut errors = FormErrors::new();
            let what = if about.is_empty() { "priority" } else { "commitment" };
            errors.add(field, format!("Say why the {what} is withdrawn"));
            priority_refused(&platform, chrome, plan, &position.to_string(), None, errors, about).await
        }
    }
}

async fn amend_priority(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, position)): Path<(String, String)>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let (priority, _) = priority_of(&platform, &plan, &position).await?;
    let mut errors = FormErrors::new();
    let (title, aim) = (form.title.trim(), form.aim.trim());
    if title.is_empty() {
        errors.add("title", "Enter the priority");
    } else if title.chars().count() > 200 {
        errors.add("title", "The priority must be 200 characters or fewer");
    }
    if aim.chars().count() > 1000 {
        errors.add("aim", "What it aims for must be 1,000 characters or fewer");
    }
    if errors.is_empty() {
        match store::amend_priority(
            platform.pool(),
            &plan,
            &priority,
            (title, aim),
            &form.reason,
            &staff.actor(),
            OffsetDateTime::now_utc(),
        )
        .await
        {
            Ok(_) => return Ok(back_to(&plan, "details")),
            Err(store::ActionError::Database(e)) => return Err(e.into()),
            Err(refusal) => errors.add("reason", refusal.to_string()),
        }
    }
    priority_refused(&platform, chrome, plan, &position, Some(form), errors, "").await
}

async fn withdraw_priority(
    page: StaffPage,
    Path((slug, position)): Path<(String, String)>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&page.platform, &page.staff, &slug).await?;
    let (priority, _) = priority_of(&page.platform, &plan, &position).await?;
    withdraw(page, plan, (priority.position, store::Branch::Priority(&priority)), &form.reason, ("withdraw-reason", "")).await
}

async fn commitment_of(platform: &Platform, plan: &Plan, id: &str) -> Result<(store::Commitment, i64), AppError> {
    let tree = store::tree(platform.pool(), &plan.id).await?;
    let commitment = tree.commitments.iter().find(|c| c.id == id).cloned().ok_or(AppError::NotFound)?;
    let position = tree.priorities.iter().find(|p| p.id == commitment.priority_id).map(|p| p.position).unwrap_or_default();
    Ok((commitment, position))
}

async fn amend_commitment(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let (commitment, position) = commitment_of(&platform, &plan, &id).await?;
    let pledge = form.pledge.trim();
    let mut errors = FormErrors::new();
    if pledge.is_empty() || pledge.chars().count() > 1000 {
        errors.add(
            &format!("pledge-{id}"),
            if pledge.is_empty() { "Enter the commitment" } else { "The commitment must be 1,000 characters or fewer" },
        );
    } else {
        match store::amend_commitment(
            platform.pool(),
            &plan,
            &commitment,
            pledge,
            &form.reason,
            &staff.actor(),
            OffsetDateTime::now_utc(),
        )
        .await
        {
            Ok(_) => return Ok(Redirect::to(&format!("/staff/plans/{}/priorities/{position}", plan.slug)).into_response()),
            Err(store::ActionError::Database(e)) => return Err(e.into()),
            Err(refusal) => errors.add(&format!("reason-{id}"), refusal.to_string()),
        }
    }
    priority_refused(&platform, chrome, plan, &position.to_string(), None, errors, &id).await
}

async fn withdraw_commitment(
    page: StaffPage,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&page.platform, &page.staff, &slug).await?;
    let (commitment, position) = commitment_of(&page.platform, &plan, &id).await?;
    withdraw(page, plan, (position, store::Branch::Commitment(&commitment)), &form.reason, (&format!("withdraw-{id}"), &id)).await
}

// ---------------------------------------------------------------------------------------------
// Actions

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ActionForm {
    commitment: String,
    reference: String,
    key_deliverable: String,
    actions: String,
    partner: String,
    lead: String,
    outcome_measure: String,
    horizon: String,
    status: String,
    carried_forward: String,
    reason: String,
    evidence: String,
}

impl ActionForm {
    fn of(action: &store::Action) -> ActionForm {
        ActionForm {
            commitment: action.commitment_id.clone(),
            reference: action.reference.clone(),
            key_deliverable: action.key_deliverable.clone(),
            actions: action.actions.clone(),
            partner: action.partner_id.clone().unwrap_or_default(),
            lead: action.lead.clone(),
            outcome_measure: action.outcome_measure.clone(),
            horizon: action.horizon.slug().into(),
            status: action.status.slug().into(),
            carried_forward: if action.carried_forward { "yes".into() } else { String::new() },
            ..ActionForm::default()
        }
    }
}

const HORIZONS: [(&str, &str); 3] = [("short", "Short term (S)"), ("medium", "Medium term (M)"), ("long", "Long term (L)")];

#[derive(Template)]
#[template(path = "plans/staff_action.html")]
struct ActionPage {
    chrome: Chrome,
    plan: Plan,
    tree: Tree,
    organisations: Vec<Organisation>,
    /// None for a new action.
    action: Option<store::Action>,
    evidence: Vec<store::Evidence>,
    form: ActionForm,
    errors: FormErrors,
}

impl ActionPage {
    /// The questions adding and changing an action share, in the action plan's order.
    fn action_fields(&self) -> String {
        [
            self.key_deliverable().to_string(),
            self.actions().to_string(),
            self.partner_select().to_string(),
            self.lead().to_string(),
            self.outcome().to_string(),
            self.horizon().to_string(),
        ]
        .concat()
    }
    fn commitment_select(&self) -> Select<'_> {
        let options =
            self.tree.commitments.iter().filter(|c| c.withdrawn_on.is_none()).map(|c| Choice::new(&c.id, &c.pledge)).collect();
        Select::new("commitment", "Commitment it delivers", options, &self.form.commitment, &self.errors)
    }
    fn reference(&self) -> TextInput<'_> {
        TextInput::new("reference", "Reference", &self.form.reference, &self.errors).width("govuk-input--width-5")
    }
    fn key_deliverable(&self) -> Textarea<'_> {
        Textarea::new("key_deliverable", "Key deliverable", &self.form.key_deliverable, &self.errors)
            .rows(2)
            .max_chars(import::MAX_CELL_CHARS)
    }
    fn actions(&self) -> Textarea<'_> {
        Textarea::new("actions", "Actions", &self.form.actions, &self.errors).rows(4).max_chars(import::MAX_CELL_CHARS)
    }
    fn partner_select(&self) -> Select<'_> {
        let mut options = vec![Choice::new("", "No partner organisation")];
        options.extend(self.organisations.iter().map(|o| Choice::new(&o.id, &o.name)));
        Select::new("partner", "Responsible partner", options, &self.form.partner, &self.errors)
    }
    fn lead(&self) -> TextInput<'_> {
        TextInput::new("lead", "Lead (optional)", &self.form.lead, &self.errors)
            .hint("The role or team that leads it, as the plan names them")
    }
    fn outcome(&self) -> Textarea<'_> {
        Textarea::new("outcome_measure", "Outcome or impact measure (optional)", &self.form.outcome_measure, &self.errors)
            .rows(2)
            .max_chars(import::MAX_CELL_CHARS)
    }
    fn horizon(&self) -> Choices<'_> {
        Choices::radios("horizon", "When is it due?", Choice::each(&HORIZONS), Some(self.form.horizon.as_str()), &self.errors)
            .legend_size("govuk-fieldset__legend--s")
    }
    fn status(&self) -> Choices<'_> {
        Choices::radios("status", "Status", Choice::each(&STATUS_CHOICES), Some(self.form.status.as_str()), &self.errors)
            .legend_size("govuk-fieldset__legend--s")
    }
    fn carried(&self) -> Choices<'_> {
        Choices::checkboxes(
            "carried_forward",
            "Carried forward",
            vec![Choice::new("yes", "Carried forward from an earlier plan or period")],
            vec![self.form.carried_forward.as_str()],
            &self.errors,
        )
    }
    fn reason(&self) -> Textarea<'_> {
        reason_input(&self.form.reason, &self.errors)
    }
    fn evidence_input(&self) -> Textarea<'_> {
        Textarea::new("evidence", "Evidence of progress", &self.form.evidence, &self.errors)
            .rows(3)
            .max_chars(import::MAX_CELL_CHARS)
    }
    fn date(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
}

fn check_action(form: &ActionForm, new: bool, public: bool) -> Result<ActionFields, FormErrors> {
    let mut errors = FormErrors::new();
    let reference = form.reference.trim().to_string();
    if new && reference.is_empty() {
        errors.add("reference", "Enter the action’s reference");
    } else if reference.chars().count() > 20 {
        errors.add("reference", "The reference must be 20 characters or fewer");
    } else if reference.contains(['/', '?', '#']) {
        errors.add("reference", "The reference cannot include /, ? or #");
    }
    for (field, value, name) in
        [("key_deliverable", &form.key_deliverable, "the key deliverable"), ("actions", &form.actions, "the actions")]
    {
        if value.trim().is_empty() {
            errors.add(field, format!("Enter {name}"));
        }
    }
    for (field, value) in [
        ("key_deliverable", &form.key_deliverable),
        ("actions", &form.actions),
        ("outcome_measure", &form.outcome_measure),
        ("lead", &form.lead),
    ] {
        if value.chars().count() > import::MAX_CELL_CHARS {
            errors.add(field, "This must be 4,000 characters or fewer");
        }
    }
    let horizon = Horizon::from_slug(&form.horizon);
    if horizon.is_none() {
        errors.add("horizon", "Select when the action is due");
    }
    let status = DeliveryStatus::from_slug(&form.status);
    if new && status.is_none() {
        errors.add("status", "Select the action’s status");
    }
    if public && !new && form.reason.trim().is_empty() {
        errors.add("reason", "Say why the published plan is changing");
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(ActionFields {
        reference,
        key_deliverable: form.key_deliverable.trim().to_string(),
        actions: form.actions.trim().to_string(),
        partner_id: Some(form.partner.clone()).filter(|p| !p.is_empty()),
        lead: form.lead.trim().to_string(),
        outcome_measure: form.outcome_measure.trim().to_string(),
        horizon,
        status,
        carried_forward: form.carried_forward == "yes",
    })
}

async fn action_page(
    platform: &Platform,
    chrome: Chrome,
    plan: Plan,
    action: Option<store::Action>,
    form: ActionForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let tree = store::tree(platform.pool(), &plan.id).await?;
    let organisations = platform::organisations::list(platform.pool()).await?;
    let evidence = match &action {
        Some(a) => store::evidence_of(platform.pool(), &a.id).await?,
        None => Vec::new(),
    };
    let failed = !errors.is_empty();
    let page = ActionPage { chrome: chrome.with_errors(failed), plan, tree, organisations, action, evidence, form, errors };
    if failed { refused(page) } else { render(&page) }
}

async fn new_action(StaffPage { platform, chrome, staff }: StaffPage, Path(slug): Path<String>) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    action_page(&platform, chrome, plan, None, ActionForm::default(), FormErrors::new()).await
}

async fn add_action(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let tree = store::tree(platform.pool(), &plan.id).await?;
    let commitment = tree.commitments.iter().find(|c| c.id == form.commitment && c.withdrawn_on.is_none()).cloned();
    let checked = check_action(&form, true, plan.status.is_public());
    let (fields, commitment) = match (checked, commitment) {
        (Ok(fields), Some(c)) => (fields, c),
        (checked, commitment) => {
            let mut errors = checked.err().unwrap_or_default();
            if commitment.is_none() {
                errors.add("commitment", "Select the commitment the action delivers");
            }
            return action_page(&platform, chrome, plan, None, form, errors).await;
        }
    };
    match store::add_action(platform.pool(), &plan, &commitment, &fields, &form.reason, &staff.actor(), OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(back_to(&plan, "action")),
        Err(store::ActionError::Database(e)) => Err(e.into()),
        Err(refusal) => {
            let mut errors = FormErrors::new();
            let field = if matches!(refusal, store::ActionError::ReasonNeeded) { "reason" } else { "reference" };
            errors.add(field, refusal.to_string());
            action_page(&platform, chrome, plan, None, form, errors).await
        }
    }
}

async fn find_action(platform: &Platform, plan: &Plan, reference: &str) -> Result<store::Action, AppError> {
    let tree = store::tree(platform.pool(), &plan.id).await?;
    tree.action(reference).cloned().ok_or(AppError::NotFound)
}

async fn edit_action(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, reference)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let action = find_action(&platform, &plan, &reference).await?;
    let form = ActionForm::of(&action);
    action_page(&platform, chrome, plan, Some(action), form, FormErrors::new()).await
}

async fn amend_action(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, reference)): Path<(String, String)>,
    Form(mut form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let action = find_action(&platform, &plan, &reference).await?;
    form.reference = action.reference.clone();
    form.commitment = action.commitment_id.clone();
    let fields = match check_action(&form, false, plan.status.is_public()) {
        Ok(fields) => fields,
        Err(errors) => return action_page(&platform, chrome, plan, Some(action), form, errors).await,
    };
    match store::amend_action(platform.pool(), &plan, &action, &fields, &form.reason, &staff.actor(), OffsetDateTime::now_utc())
        .await
    {
        Ok(_) => Ok(back_to(&plan, "action")),
        Err(store::ActionError::Database(e)) => Err(e.into()),
        Err(refusal) => {
            let mut errors = FormErrors::new();
            errors.add("reason", refusal.to_string());
            action_page(&platform, chrome, plan, Some(action), form, errors).await
        }
    }
}

async fn withdraw_action(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, reference)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let action = find_action(&platform, &plan, &reference).await?;
    match store::withdraw_action(platform.pool(), &plan, &action, &form.reason, &staff.actor(), OffsetDateTime::now_utc()).await {
        Ok(()) => Ok(back_to(&plan, "withdrawn")),
        Err(store::ActionError::Database(e)) => Err(e.into()),
        Err(_) => {
            let mut errors = FormErrors::new();
            errors.add("withdraw-reason", "Say why the action is withdrawn");
            let mut shown = ActionForm::of(&action);
            shown.reason = form.reason;
            action_page(&platform, chrome, plan, Some(action), shown, errors).await
        }
    }
}

async fn add_evidence(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, reference)): Path<(String, String)>,
    Form(form): Form<ActionForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let action = find_action(&platform, &plan, &reference).await?;
    let words = form.evidence.trim();
    if words.is_empty() || words.chars().count() > import::MAX_CELL_CHARS {
        let mut errors = FormErrors::new();
        errors.add(
            "evidence",
            if words.is_empty() { "Enter the evidence of progress" } else { "Evidence must be 4,000 characters or fewer" },
        );
        let mut shown = ActionForm::of(&action);
        shown.evidence = form.evidence;
        return action_page(&platform, chrome, plan, Some(action), shown, errors).await;
    }
    let now = OffsetDateTime::now_utc();
    store::add_evidence(platform.pool(), &plan, &action, platform::calendar::uk_local_date(now), words, &staff.actor(), now)
        .await?;
    Ok(back_to(&plan, "evidence"))
}

// ---------------------------------------------------------------------------------------------
// Imports

/// What an action plan upload may be.
const SPREADSHEETS: &[platform::files::AllowedType] = platform::spreadsheet::UPLOAD_TYPES;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ImportForm {
    reason: String,
}

#[derive(Template)]
#[template(path = "plans/staff_import.html")]
struct ImportPage {
    chrome: Chrome,
    plan: Plan,
    errors: FormErrors,
}

impl ImportPage {
    fn file(&self) -> platform::web::forms::FileUpload<'_> {
        platform::web::forms::FileUpload::new("file", "Upload the action plan", &self.errors)
            .hint("A CSV, XLSX or ODS file, smaller than 10 MB")
    }
}

async fn import_form(StaffPage { platform, chrome, staff }: StaffPage, Path(slug): Path<String>) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    render(&ImportPage { chrome, plan, errors: FormErrors::new() })
}

async fn upload(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let rules = platform::files::UploadRules {
        max_bytes: 10 * 1024 * 1024,
        max_files: 1,
        allowed: SPREADSHEETS,
        described_as: "a CSV, XLSX or ODS spreadsheet",
        max_text_bytes: platform.settings().form_body_limit_bytes,
        max_fields: 5,
    };
    let (_form, uploads, mut errors): (ImportForm, _, _) =
        platform::web::read_form_with_files(&platform, request, rules, "file").await?;
    let upload = uploads.into_iter().next();
    if upload.is_none() && errors.is_empty() {
        errors.add("file", "Select a spreadsheet to upload");
    }
    let read: Result<(String, ReadPlan), FileRefused> = match &upload {
        Some(upload) if errors.is_empty() => {
            let bytes = tokio::fs::read(upload.path()).await.map_err(|e| AppError::Internal(e.into()))?;
            let tree = store::tree(platform.pool(), &plan.id).await?;
            let only = (tree.priorities.len() == 1).then(|| tree.priorities[0].title.clone());
            let name = upload.original_name.clone();
            let only_theme = only.clone();
            tokio::task::spawn_blocking(move || {
                import::cells(&bytes, &name).and_then(|cells| import::read(&cells, only_theme.as_deref()))
            })
            .await
            .map_err(|e| AppError::Internal(e.into()))?
            .map(|read| (upload.original_name.clone(), read))
        }
        _ => Err(FileRefused::Empty),
    };
    match read {
        Ok((name, read)) if errors.is_empty() => {
            let id = store::hold_import(platform.pool(), &plan, &name, &read, &staff.actor(), OffsetDateTime::now_utc()).await?;
            Ok(Redirect::to(&format!("/staff/plans/{}/import/{id}", plan.slug)).into_response())
        }
        Err(refusal) if errors.is_empty() => {
            errors.add("file", refusal.to_string());
            refused(ImportPage { chrome: chrome.with_errors(true), plan, errors })
        }
        _ => refused(ImportPage { chrome: chrome.with_errors(true), plan, errors }),
    }
}

#[derive(Template)]
#[template(path = "plans/staff_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    plan: Plan,
    held: store::HeldImport,
    read: ReadPlan,
    /// For each good row: added or amended, and the partner it was matched to.
    lines: Vec<PreviewLine>,
    form: ImportForm,
    errors: FormErrors,
}

struct PreviewLine {
    row: import::ImportRow,
    new: bool,
    partner: Option<String>,
}

impl PreviewPage {
    fn reason(&self) -> Textarea<'_> {
        reason_input(&self.form.reason, &self.errors).hint("The public see this beside every change the import makes")
    }
    fn status_words(&self, slug: &str) -> String {
        DeliveryStatus::from_slug(slug).map(DeliveryStatus::described).unwrap_or_default()
    }
    fn horizon_words(&self, slug: &str) -> &'static str {
        Horizon::from_slug(slug).map(Horizon::letter).unwrap_or("")
    }
    fn unmatched(&self) -> usize {
        self.lines.iter().filter(|l| l.partner.is_none()).count()
    }
    fn added(&self) -> usize {
        self.lines.iter().filter(|l| l.new).count()
    }
}

async fn preview_page(
    platform: &Platform,
    chrome: Chrome,
    plan: Plan,
    held: store::HeldImport,
    form: ImportForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let read = held.read()?;
    let tree = store::tree(platform.pool(), &plan.id).await?;
    let organisations = platform::organisations::list(platform.pool()).await?;
    let lines = read
        .rows
        .iter()
        .map(|row| PreviewLine {
            new: !tree.actions.iter().any(|a| a.reference.eq_ignore_ascii_case(&row.reference)),
            partner: crate::partners::match_partner(&organisations, &row.lead)
                .and_then(|id| organisations.iter().find(|o| o.id == id).map(|o| o.name.clone())),
            row: row.clone(),
        })
        .collect();
    let failed = !errors.is_empty();
    let page = PreviewPage { chrome: chrome.with_errors(failed), plan, held, read, lines, form, errors };
    if failed { refused(page) } else { render(&page) }
}

async fn preview(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let held = store::find_import(platform.pool(), &plan, &id).await?.ok_or(AppError::NotFound)?;
    preview_page(&platform, chrome, plan, held, ImportForm::default(), FormErrors::new()).await
}

async fn confirm_import(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<ImportForm>,
) -> Result<Response, AppError> {
    let plan = plan_for(&platform, &staff, &slug).await?;
    let held = store::find_import(platform.pool(), &plan, &id).await?.ok_or(AppError::NotFound)?;
    match store::apply_import(platform.pool(), &plan, &held, &form.reason, &staff.actor(), OffsetDateTime::now_utc()).await {
        Ok(_) => Ok(back_to(&plan, "imported")),
        Err(store::ImportError::Database(e)) => Err(e.into()),
        Err(refusal) => {
            let mut errors = FormErrors::new();
            errors.add("reason", refusal.to_string());
            preview_page(&platform, chrome, plan, held, form, errors).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Quarters

#[derive(Template)]
#[template(path = "plans/staff_quarter.html")]
struct QuarterPage {
    chrome: Chrome,
    plan: Plan,
    quarter: QuarterRecord,
    updates: Vec<Update>,
    organisations: Vec<Organisation>,
    done: String,
}

impl QuarterPage {
    fn partner(&self, id: &Option<String>) -> String {
        self.organisations
            .iter()
            .find(|o| Some(&o.id) == id.as_ref())
            .map(|o| o.name.clone())
            .unwrap_or_else(|| "No partner".into())
    }
    fn count(&self, state: &str) -> usize {
        self.updates.iter().filter(|u| u.state.slug() == state).count()
    }
    fn late(&self) -> bool {
        self.quarter.open && platform::calendar::uk_today() > self.quarter.updates_due_on
    }
    fn due(&self) -> String {
        platform::format::date(self.quarter.updates_due_on)
    }
    fn done_words(&self) -> String {
        match self.done.split_once(':') {
            Some(("chased", n)) => format!("{n} late leads chased by email"),
            Some(("closed", _)) => "Quarter closed and its record locked".into(),
            Some(("approved", r)) => format!("Update on {r} approved"),
            Some(("sent-back", r)) => format!("Update on {r} sent back to the lead"),
            Some(("report", _)) => "Report saved".into(),
            _ => String::new(),
        }
    }
}

async fn quarter_of(
    platform: &Platform,
    staff: &CurrentStaff,
    slug: &str,
    quarter: &str,
) -> Result<(Plan, QuarterRecord), AppError> {
    let plan = plan_for(platform, staff, slug).await?;
    let quarter = store::find_quarter(platform.pool(), &plan.id, quarter).await?.ok_or(AppError::NotFound)?;
    Ok((plan, quarter))
}

async fn quarter_page(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, quarter)): Path<(String, String)>,
    axum::extract::Query(query): axum::extract::Query<DoneQuery>,
) -> Result<Response, AppError> {
    let (plan, quarter) = quarter_of(&platform, &staff, &slug, &quarter).await?;
    let updates = store::updates(platform.pool(), &quarter.id).await?;
    let organisations = platform::organisations::list(platform.pool()).await?;
    render(&QuarterPage { chrome, plan, quarter, updates, organisations, done: query.done })
}

fn to_quarter(plan: &Plan, quarter: &QuarterRecord, said: &str) -> Response {
    Redirect::to(&format!("/staff/plans/{}/quarters/{}?done={said}", plan.slug, quarter.quarter.slug())).into_response()
}

async fn chase(
    StaffPage { platform, staff, .. }: StaffPage,
    Path((slug, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, quarter) = quarter_of(&platform, &staff, &slug, &quarter).await?;
    let sent = crate::leads::chase_late(&platform, &plan, &quarter, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(to_quarter(&plan, &quarter, &format!("chased:{sent}")))
}

async fn close_quarter(
    StaffPage { platform, staff, .. }: StaffPage,
    Path((slug, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, quarter) = quarter_of(&platform, &staff, &slug, &quarter).await?;
    let now = OffsetDateTime::now_utc();
    match store::close_quarter(platform.pool(), &plan, &quarter, &staff.actor(), now).await {
        Ok((locked, previous)) => {
            let changes = crate::snapshot::changes(previous.as_ref().map(|p| &p.snapshot), &locked.snapshot);
            if plan.status.is_public() {
                let mut tx = platform::db::begin_write(platform.pool()).await?;
                crate::subscriptions::tell_subscribers(&mut tx, platform.settings(), &plan, &locked, &changes).await?;
                tx.commit().await?;
            }
            Ok(to_quarter(&plan, &quarter, "closed:"))
        }
        Err(store::QuarterError::AlreadyClosed) => Ok(to_quarter(&plan, &quarter, "closed:")),
        Err(store::QuarterError::Database(e)) => Err(e.into()),
        Err(other) => Err(AppError::BadRequest(other.to_string())),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReviewForm {
    decision: String,
    comment: String,
    revision: String,
}

#[derive(Template)]
#[template(path = "plans/staff_review.html")]
struct ReviewPage {
    chrome: Chrome,
    plan: Plan,
    quarter: QuarterRecord,
    update: Update,
    form: ReviewForm,
    errors: FormErrors,
}

impl ReviewPage {
    fn decision(&self) -> Choices<'_> {
        const DECISIONS: [(&str, &str); 2] = [("approve", "Approve it"), ("send-back", "Send it back to the lead")];
        Choices::radios(
            "decision",
            "What do you want to do with this update?",
            Choice::each(&DECISIONS),
            Some(self.form.decision.as_str()),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--m")
    }
    fn comment(&self) -> Textarea<'_> {
        Textarea::new("comment", "Comment for the lead", &self.form.comment, &self.errors)
            .rows(3)
            .max_chars(2000)
            .hint("Needed when you send it back: say what more you need")
    }
    fn status_words(&self, status: &Option<DeliveryStatus>) -> String {
        status.map(DeliveryStatus::described).unwrap_or_else(|| "Not proposed".into())
    }
    fn now_words(&self) -> String {
        self.update.current_status.described()
    }
}

async fn update_of(platform: &Platform, quarter: &QuarterRecord, reference: &str) -> Result<Update, AppError> {
    store::updates(platform.pool(), &quarter.id).await?.into_iter().find(|u| u.reference == reference).ok_or(AppError::NotFound)
}

async fn review_page(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, quarter, reference)): Path<(String, String, String)>,
) -> Result<Response, AppError> {
    let (plan, quarter) = quarter_of(&platform, &staff, &slug, &quarter).await?;
    let update = update_of(&platform, &quarter, &reference).await?;
    let form = ReviewForm { revision: update.revision.to_string(), ..ReviewForm::default() };
    render(&ReviewPage { chrome, plan, quarter, update, form, errors: FormErrors::new() })
}

async fn review(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, quarter, reference)): Path<(String, String, String)>,
    Form(form): Form<ReviewForm>,
) -> Result<Response, AppError> {
    let (plan, quarter) = quarter_of(&platform, &staff, &slug, &quarter).await?;
    let update = update_of(&platform, &quarter, &reference).await?;
    let mut errors = FormErrors::new();
    let step = match form.decision.as_str() {
        "approve" => Some(UpdateStep::Approve),
        "send-back" => Some(UpdateStep::SendBack),
        _ => None,
    };
    if step.is_none() {
        errors.add("decision", "Select whether to approve the update or send it back");
    }
    if step == Some(UpdateStep::SendBack) && form.comment.trim().is_empty() {
        errors.add("comment", "Say what more the lead needs to tell you");
    }
    if form.comment.chars().count() > 2000 {
        errors.add("comment", "The comment must be 2,000 characters or fewer");
    }
    let revision: i64 = form.revision.parse().unwrap_or(-1);
    if let (Some(step), true) = (step, errors.is_empty()) {
        match store::review_update(
            platform.pool(),
            &update,
            revision,
            step,
            form.comment.trim(),
            &staff.actor(),
            OffsetDateTime::now_utc(),
        )
        .await
        {
            Ok(state) => {
                if state == UpdateState::SentBack {
                    crate::leads::tell_sent_back(&platform, &plan, &update, form.comment.trim()).await?;
                }
                return Ok(to_quarter(&plan, &quarter, &format!("{}:{}", state.slug(), update.reference)));
            }
            Err(store::UpdateError::Database(e)) => return Err(e.into()),
            Err(refusal) => errors.add("decision", refusal.to_string()),
        }
    }
    let update = update_of(&platform, &quarter, &reference).await?;
    let form = ReviewForm { revision: update.revision.to_string(), ..form };
    refused(ReviewPage { chrome: chrome.with_errors(true), plan, quarter, update, form, errors })
}

// ---------------------------------------------------------------------------------------------
// The Panel's report

#[derive(Template)]
#[template(path = "plans/staff_report.html")]
struct ReportForm {
    chrome: Chrome,
    plan: Plan,
    quarter: QuarterRecord,
    locked: store::Locked,
    details: store::ReportDetails,
    narratives: Vec<(String, String)>,
    meeting: DateParts,
    errors: FormErrors,
}

impl ReportForm {
    fn narrative(&self, priority_id: &str) -> String {
        self.narratives.iter().find(|(id, _)| id == priority_id).map(|(_, w)| w.clone()).unwrap_or_default()
    }
    fn narrative_error(&self, priority_id: &str) -> Option<&str> {
        self.errors.for_field(&format!("narrative-{priority_id}"))
    }
    fn meeting_input(&self) -> DateInput<'_> {
        DateInput::new(
            "meeting",
            "Date of the Panel meeting (optional)",
            &self.meeting,
            &self.errors,
            DatePartsInError { day: true, month: true, year: true },
        )
    }
}

async fn report_form(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, quarter)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (plan, quarter) = quarter_of(&platform, &staff, &slug, &quarter).await?;
    let locked = store::find_snapshot(platform.pool(), &plan.id, &quarter.quarter.slug()).await?.ok_or(AppError::NotFound)?;
    let details = store::report_details(platform.pool(), &locked.id).await?;
    let narratives = store::narratives(platform.pool(), &locked.id).await?;
    let meeting = details
        .meeting_on
        .as_deref()
        .and_then(platform::db::parse_date)
        .map(|d| DateParts { day: d.day().to_string(), month: u8::from(d.month()).to_string(), year: d.year().to_string() })
        .unwrap_or_default();
    render(&ReportForm { chrome, plan, quarter, locked, details, narratives, meeting, errors: FormErrors::new() })
}

async fn save_report(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path((slug, quarter)): Path<(String, String)>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (plan, quarter) = quarter_of(&platform, &staff, &slug, &quarter).await?;
    let locked = store::find_snapshot(platform.pool(), &plan.id, &quarter.quarter.slug()).await?.ok_or(AppError::NotFound)?;
    let field = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut errors = FormErrors::new();
    let meeting = DateParts { day: field("meeting-day"), month: field("meeting-month"), year: field("meeting-year") };
    let meeting_on = if meeting.day.is_empty() && meeting.month.is_empty() && meeting.year.is_empty() {
        None
    } else {
        platform::web::forms::date_field(&mut errors, "meeting", &meeting, "the date of the Panel meeting").0
    };
    let details = store::ReportDetails {
        meeting_on: meeting_on.map(platform::db::date),
        contact_name: field("contact_name"),
        contact_role: field("contact_role"),
        contact_email: field("contact_email"),
    };
    if !details.contact_email.is_empty() && !platform::contact::is_email(&details.contact_email) {
        errors.add("contact_email", "Enter an email address in the correct format, like name@example.com");
    }
    let narratives: Vec<(String, String)> = locked
        .snapshot
        .priorities
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                fields
                    .iter()
                    .find(|(k, _)| *k == format!("narrative-{}", p.id))
                    .map(|(_, v)| v.replace("\r\n", "\n"))
                    .unwrap_or_default(),
            )
        })
        .collect();
    for (id, words) in &narratives {
        if words.chars().count() > 20_000 {
            errors.add(&format!("narrative-{id}"), "A narrative must be 20,000 characters or fewer");
        }
    }
    if !errors.is_empty() {
        return refused(ReportForm {
            chrome: chrome.with_errors(true),
            plan,
            quarter,
            locked,
            details,
            narratives,
            meeting,
            errors,
        });
    }
    store::save_report(platform.pool(), &plan, &locked, &details, &narratives, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(to_quarter(&plan, &quarter, "report:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_addresses_come_from_their_titles() {
        assert_eq!(slug_of("Police and Crime Plan 2021–24"), "police-and-crime-plan-2021-24");
        assert_eq!(slug_of("  Safer, Fairer: United! "), "safer-fairer-united");
        assert_eq!(slug_of("—"), "");
    }

    #[test]
    fn a_new_plan_needs_its_title_kind_and_years_in_order() {
        let form = NewPlanForm {
            title: "Plan".into(),
            kind: "strategy".into(),
            first_year: "2023".into(),
            last_year: "2021".into(),
            summary: String::new(),
        };
        let errors = check_new_plan(&form).expect_err("years out of order");
        assert!(errors.for_field("last_year").is_some_and(|m| m.contains("same as or after")));
        let good = NewPlanForm { last_year: "2025".into(), ..form };
        let plan = check_new_plan(&good).expect("good");
        assert_eq!((plan.starts_on, plan.ends_on), (time::macros::date!(2023 - 04 - 01), time::macros::date!(2026 - 03 - 31)));
    }
}
