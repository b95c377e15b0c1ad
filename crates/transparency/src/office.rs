//! The office's side: the compliance calendar and completeness check, decision records, the
//! spending import with its column mapping and the individuals list, the registers' forms and
//! imports, documents and their versions, and requests for another format.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::auth::CurrentStaff;
use platform::db;
use platform::web::forms::{Choice, FileUpload, FormErrors, Select, TextInput, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::MANAGERS;
use crate::decision::{Status, Step};
use crate::registers::{self, Kind, Register};
use crate::remind::{self, Standings};
use crate::scheme::{self, CLASSES, Frequency, Requirement};
use crate::spend::{self, Mapping, Refusal};
use crate::spending::{self, Outcome};
use crate::store::{self, Decision, DecisionText};

pub fn routes() -> Routes {
    let m = || Access::Roles(MANAGERS);
    Routes::new()
        .route("/staff/transparency", m(), get(home))
        .route("/staff/transparency/items", m(), post(add_item))
        .route("/staff/transparency/items/{item}/reviewed", m(), post(reviewed))
        .route("/staff/transparency/items/{item}/remove", m(), post(remove_item))
        .route("/staff/transparency/decisions", m(), get(decisions).post(draft))
        .route("/staff/transparency/decisions/{decision}", m(), get(decision).post(amend))
        .route("/staff/transparency/decisions/{decision}/step", m(), post(step))
        // Upload routes take their own limits (read_form_with_files), not the 64 KB form limit.
        .route("/staff/transparency/spending", m(), get(spending).post(upload_spending).layer(DefaultBodyLimit::disable()))
        .route("/staff/transparency/spending/mapping/{held}", m(), get(mapping_page).post(save_mapping))
        .route("/staff/transparency/spending/individuals", m(), post(add_individual))
        .route("/staff/transparency/registers/{register}", m(), get(register).post(add_entry))
        .route("/staff/transparency/registers/{register}/import", m(), post(import_entries).layer(DefaultBodyLimit::disable()))
        .route("/staff/transparency/registers/{register}/{entry}/remove", m(), post(remove_entry))
        .route("/staff/transparency/documents", m(), get(documents).post(publish_new).layer(DefaultBodyLimit::disable()))
        .route(
            "/staff/transparency/documents/{document}",
            m(),
            get(document_page).post(publish_version).layer(DefaultBodyLimit::disable()),
        )
        .route("/staff/transparency/format-requests", m(), get(format_requests))
        .route("/staff/transparency/format-requests/{reference}", m(), post(replied))
}

/// Messages a redirect may ask a page to show: fixed words, so a link cannot put others there.
const DONE: [(&str, &str); 8] = [
    ("added", "Item added to the publication scheme"),
    ("reviewed", "Marked as reviewed today"),
    ("removed", "Removed"),
    ("entry", "Entry added to the register"),
    ("imported", "Import published"),
    ("individual", "Payee added to the individuals list: their payments are redacted"),
    ("published", "Version published"),
    ("replied", "Marked as replied"),
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Said {
    done: String,
}

impl Said {
    fn words(&self) -> &'static str {
        DONE.iter().find(|(k, _)| *k == self.done).map(|(_, w)| *w).unwrap_or("")
    }
}

fn back(to: &str, done: &str) -> Response {
    Redirect::to(&format!("{to}?done={done}")).into_response()
}

fn date_words(text: &str) -> String {
    db::parse_date(text).map(platform::format::date).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// The compliance calendar

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ItemForm {
    title: String,
    class: String,
    requirement: String,
    frequency: String,
    owner: String,
    source: String,
    url: String,
}

#[derive(Template)]
#[template(path = "transparency/staff_home.html")]
struct Home {
    chrome: Chrome,
    done: &'static str,
    needs_action: Vec<Standings>,
    due_soon: Vec<Standings>,
    current: Vec<Standings>,
    unmet: Vec<&'static Requirement>,
    users: Vec<platform::auth::store::StaffUser>,
    sources: Vec<(String, String)>,
    form: ItemForm,
    errors: FormErrors,
}

impl Home {
    fn calendar(&self) -> [(&'static str, &Vec<Standings>); 3] {
        [
            ("Overdue or never published", &self.needs_action),
            ("Due in the next 2 weeks", &self.due_soon),
            ("Up to date", &self.current),
        ]
    }
    fn owner(&self, s: &Standings) -> String {
        remind::owner_words(s.item.owner_id.as_deref(), &self.users)
    }
    fn last(&self, s: &Standings) -> String {
        s.last.map(platform::format::date).unwrap_or_else(|| "Never".into())
    }
    fn class(&self, s: &Standings) -> &'static str {
        scheme::class_name(s.item.class)
    }
    fn title(&self) -> TextInput<'_> {
        TextInput::new("title", "What is published", &self.form.title, &self.errors)
    }
    fn class_select(&self) -> Select<'_> {
        let options = CLASSES.iter().map(|(n, name)| Choice::new(CLASS_KEYS[(*n - 1) as usize], name)).collect();
        Select::new("class", "Class of the publication scheme", options, &self.form.class, &self.errors)
    }
    fn requirement(&self) -> Select<'_> {
        let mut options = vec![Choice::new("", "Not required by the Order")];
        options.extend(scheme::ORDER.iter().map(|r| Choice::new(r.key, r.what)));
        Select::new(
            "requirement",
            "What of the Specified Information Order it meets",
            options,
            &self.form.requirement,
            &self.errors,
        )
    }
    fn frequency(&self) -> Select<'_> {
        let options = Frequency::ALL.iter().map(|f| Choice::new(f.code(), f.words())).collect();
        Select::new("frequency", "How often", options, &self.form.frequency, &self.errors)
    }
    fn owner_select(&self) -> Select<'_> {
        let mut options = vec![Choice::new("", "No owner")];
        options.extend(self.users.iter().filter(|u| !u.disabled).map(|u| Choice::new(&u.id, &u.email)));
        Select::new("owner", "Owner (reminded when it is overdue)", options, &self.form.owner, &self.errors)
    }
    fn source(&self) -> Select<'_> {
        let options = self.sources.iter().map(|(k, w)| Choice::new(k, w)).collect();
        Select::new("source", "Where it is published", options, &self.form.source, &self.errors)
    }
    fn url(&self) -> TextInput<'_> {
        TextInput::new("url", "Web address (for a page elsewhere)", &self.form.url, &self.errors)
            .hint("Starting https://, or a path on this site such as /transparency/spending")
    }
}

/// Class numbers as form values.
const CLASS_KEYS: [&str; 7] = ["1", "2", "3", "4", "5", "6", "7"];

/// The sources an item can follow, and the public address each has here.
async fn sources(platform: &Platform) -> Result<Vec<(String, String, String)>, AppError> {
    let mut out = vec![
        ("link".to_string(), "A page elsewhere (marked reviewed by hand)".to_string(), String::new()),
        ("spending".into(), "Spending over £500, imported here".into(), "/transparency/spending".into()),
        ("decisions".into(), "The decisions register here".into(), "/transparency/decisions".into()),
    ];
    for r in registers::REGISTERS {
        out.push((
            format!("register:{}", r.slug),
            format!("Register: {}", r.title),
            format!("/transparency/registers/{}", r.slug),
        ));
    }
    for d in store::documents(platform.pool()).await? {
        out.push((
            format!("document:{}", d.slug),
            format!("Document: {}", d.title),
            format!("/transparency/documents/{}", d.slug),
        ));
    }
    Ok(out)
}

async fn home_page(
    platform: &Platform,
    chrome: Chrome,
    done: &'static str,
    form: ItemForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let all = remind::standings(platform.pool(), platform::calendar::uk_today()).await?;
    let unmet = scheme::unmet(all.iter().map(|s| s.item.requirement.as_str()));
    let (mut needs_action, mut due_soon, mut current) = (Vec::new(), Vec::new(), Vec::new());
    for s in all {
        match s.standing {
            scheme::Standing::NeverPublished | scheme::Standing::Overdue { .. } => needs_action.push(s),
            scheme::Standing::DueSoon { .. } => due_soon.push(s),
            scheme::Standing::Current { .. } => current.push(s),
        }
    }
    let by_due = |v: &mut Vec<Standings>| v.sort_by_key(|s| s.standing.due());
    by_due(&mut needs_action);
    by_due(&mut due_soon);
    by_due(&mut current);
    let failed = !errors.is_empty();
    let page = Home {
        chrome: chrome.with_errors(failed),
        done,
        needs_action,
        due_soon,
        current,
        unmet,
        users: platform::auth::store::list_users(platform.pool()).await?,
        sources: sources(platform).await?.into_iter().map(|(k, w, _)| (k, w)).collect(),
        form,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn home(StaffPage { platform, chrome, .. }: StaffPage, Query(said): Query<Said>) -> Result<Response, AppError> {
    home_page(&platform, chrome, said.words(), ItemForm::default(), FormErrors::new()).await
}

async fn add_item(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<ItemForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let title = platform::web::forms::required_text(&mut errors, "title", &form.title, "Enter what is published", 300);
    let class = form.class.parse::<i64>().ok().filter(|c| (1..=7).contains(c));
    if class.is_none() {
        errors.add("class", "Choose the class of the publication scheme");
    }
    if !form.requirement.is_empty() && scheme::requirement(&form.requirement).is_none() {
        errors.add("requirement", "Choose what of the Order it meets from the list");
    }
    if Frequency::parse(&form.frequency).is_none() {
        errors.add("frequency", "Choose how often it is published");
    }
    let users = platform::auth::store::list_users(platform.pool()).await?;
    if !form.owner.is_empty() && !users.iter().any(|u| u.id == form.owner) {
        errors.add("owner", "Choose an owner from the list");
    }
    let all_sources = sources(&platform).await?;
    let source = all_sources.iter().find(|(k, _, _)| *k == form.source);
    if source.is_none() {
        errors.add("source", "Choose where it is published");
    }
    let url = match source {
        Some((_, _, path)) if !path.is_empty() => path.clone(),
        _ => {
            let url = form.url.trim().to_string();
            let ok = (url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
                && !url.starts_with("//")
                && url.len() <= 1_000;
            if !ok {
                errors.add("url", "Enter the web address, starting https:// or /");
            }
            url
        }
    };
    let Some(class) = class.filter(|_| errors.is_empty()) else {
        return home_page(&platform, chrome, "", form, errors).await;
    };
    let new = store::NewItem {
        title: &title,
        class,
        requirement: &form.requirement,
        frequency: &form.frequency,
        owner_id: Some(form.owner.as_str()).filter(|o| !o.is_empty()),
        source: &form.source,
        url: &url,
        reviewed_on: None,
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    store::add_item(&mut tx, &new, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(back("/staff/transparency", "added"))
}

fn checked_id(id: &str) -> Result<(), AppError> {
    if platform::ids::is_well_formed(id) { Ok(()) } else { Err(AppError::NotFound) }
}

async fn reviewed(StaffPage { platform, staff, .. }: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    checked_id(&id)?;
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let done = store::mark_reviewed(&mut tx, &id, platform::calendar::uk_local_date(now), &staff.actor(), now).await?;
    tx.commit().await?;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(back("/staff/transparency", "reviewed"))
}

async fn remove_item(StaffPage { platform, staff, .. }: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    checked_id(&id)?;
    let mut tx = db::begin_write(platform.pool()).await?;
    let done = store::remove_item(&mut tx, &id, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(back("/staff/transparency", "removed"))
}

// ---------------------------------------------------------------------------------------------
// Decisions

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionForm {
    version: i64,
    title: String,
    decided_on: String,
    decision_maker: String,
    summary: String,
    reasons: String,
    options: String,
    financial: String,
    report_url: String,
    exempt_part: String,
    exempt_reason: String,
}

impl DecisionForm {
    fn of(d: &Decision) -> DecisionForm {
        DecisionForm {
            version: d.version,
            title: d.title.clone(),
            decided_on: d.decided_on.clone(),
            decision_maker: d.decision_maker.clone(),
            summary: d.summary.clone(),
            reasons: d.reasons.clone(),
            options: d.options.clone(),
            financial: d.financial.clone(),
            report_url: d.report_url.clone(),
            exempt_part: d.exempt_part.clone(),
            exempt_reason: d.exempt_reason.clone(),
        }
    }

    /// The record's text, or each field's problem.
    fn read(&self, errors: &mut FormErrors) -> DecisionText {
        use platform::web::forms::required_text;
        let title = required_text(errors, "title", &self.title, "Enter the decision’s title", 300);
        let decided_on = spend::read_date(&self.decided_on).filter(|d| *d <= platform::calendar::uk_today());
        if decided_on.is_none() {
            errors.add("decided_on", "Enter the date of the decision, today or earlier, such as 2026-04-30");
        }
        let decision_maker = required_text(errors, "decision_maker", &self.decision_maker, "Enter who made the decision", 200);
        let summary = required_text(errors, "summary", &self.summary, "Enter what was decided", 10_000);
        let mut long = |field: &str, text: &str| {
            if text.chars().count() > 20_000 {
                errors.add(field, "This must be 20,000 characters or fewer");
            }
            text.trim().to_string()
        };
        let reasons = long("reasons", &self.reasons);
        let options = long("options", &self.options);
        let financial = long("financial", &self.financial);
        let exempt_part = long("exempt_part", &self.exempt_part);
        let exempt_reason = long("exempt_reason", &self.exempt_reason);
        let report_url = self.report_url.trim().to_string();
        let fits = report_url.is_empty() || report_url.starts_with("https://") || report_url.starts_with('/');
        if !fits || report_url.starts_with("//") {
            errors.add("report_url", "Enter the report’s web address, starting https:// or /");
        }
        if !exempt_part.is_empty() && exempt_reason.is_empty() {
            errors.add("exempt_reason", "Enter why part of the decision is not published: the public see this reason");
        }
        DecisionText {
            title,
            decided_on,
            decision_maker,
            summary,
            reasons,
            options,
            financial,
            report_url,
            exempt_part,
            exempt_reason,
        }
    }
}

#[derive(Template)]
#[template(path = "transparency/staff_decisions.html")]
struct DecisionsPage {
    chrome: Chrome,
    decisions: Vec<Decision>,
    editing: Option<Decision>,
    form: DecisionForm,
    errors: FormErrors,
}

impl DecisionsPage {
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
    fn status(&self, d: &Decision) -> &'static str {
        d.status().words()
    }
    fn text(&self, name: &'static str, label: &'static str) -> TextInput<'_> {
        let value = match name {
            "title" => &self.form.title,
            "decided_on" => &self.form.decided_on,
            "decision_maker" => &self.form.decision_maker,
            _ => &self.form.report_url,
        };
        let input = TextInput::new(name, label, value, &self.errors);
        match name {
            "decided_on" => input.hint("For example, 2026-04-30").width("govuk-input--width-10"),
            "report_url" => input.hint("Optional. Starting https:// or a path on this site"),
            _ => input,
        }
    }
    fn area(&self, name: &'static str, label: &'static str) -> Textarea<'_> {
        let value = match name {
            "summary" => &self.form.summary,
            "reasons" => &self.form.reasons,
            "options" => &self.form.options,
            "financial" => &self.form.financial,
            "exempt_part" => &self.form.exempt_part,
            _ => &self.form.exempt_reason,
        };
        let area = Textarea::new(name, label, value, &self.errors).rows(4);
        match name {
            "exempt_part" => area.hint("Kept here, never published"),
            "exempt_reason" => {
                area.hint("Published beside the decision, such as “commercially sensitive until the contract is signed”")
            }
            _ => area,
        }
    }
}

async fn decisions_page(
    platform: &Platform,
    chrome: Chrome,
    editing: Option<Decision>,
    form: DecisionForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let failed = !errors.is_empty();
    let decisions = if editing.is_none() { store::decisions(platform.pool()).await? } else { Vec::new() };
    let page = DecisionsPage { chrome: chrome.with_errors(failed), decisions, editing, form, errors };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn decisions(StaffPage { platform, chrome, .. }: StaffPage) -> Result<Response, AppError> {
    decisions_page(&platform, chrome, None, DecisionForm::default(), FormErrors::new()).await
}

async fn draft(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<DecisionForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let text = form.read(&mut errors);
    if !errors.is_empty() {
        return decisions_page(&platform, chrome, None, form, errors).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    let number = store::draft_decision(&mut tx, &text, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/transparency/decisions/{}", crate::decision::slug(&number))).into_response())
}

async fn decision_of(platform: &Platform, slug: &str) -> Result<Decision, AppError> {
    let (year, sequence) = crate::decision::read_number(slug).ok_or(AppError::NotFound)?;
    store::find_decision(platform.pool(), &crate::decision::number(year, sequence)).await?.ok_or(AppError::NotFound)
}

async fn decision(StaffPage { platform, chrome, .. }: StaffPage, Path(slug): Path<String>) -> Result<Response, AppError> {
    let d = decision_of(&platform, &slug).await?;
    let form = DecisionForm::of(&d);
    decisions_page(&platform, chrome, Some(d), form, FormErrors::new()).await
}

async fn amend(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<DecisionForm>,
) -> Result<Response, AppError> {
    let d = decision_of(&platform, &slug).await?;
    let mut errors = FormErrors::new();
    if !d.status().editable() {
        errors.add("title", "Only a draft can be changed: take the record back to draft first");
    }
    let text = form.read(&mut errors);
    if !errors.is_empty() {
        return decisions_page(&platform, chrome, Some(d), form, errors).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    let done = store::amend_draft(&mut tx, (&d.number, form.version), &text, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    if !done {
        errors.add("title", "Someone else changed this record while you were editing: check it and make your change again");
        let fresh = decision_of(&platform, &slug).await?;
        let form = DecisionForm::of(&fresh);
        return decisions_page(&platform, chrome, Some(fresh), form, errors).await;
    }
    Ok(Redirect::to(&format!("/staff/transparency/decisions/{slug}")).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StepForm {
    version: i64,
    step: String,
}

async fn step(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    let d = decision_of(&platform, &slug).await?;
    let step = Step::parse(&form.step);
    let allowed = step.and_then(|s| d.status().after(s).map(|_| s));
    let now = OffsetDateTime::now_utc();
    let done = match allowed {
        Some(step) => {
            let mut tx = db::begin_write(platform.pool()).await?;
            let done = store::step_decision(
                &mut tx,
                (&d.number, form.version),
                (d.status(), step),
                platform::calendar::uk_local_date(now),
                &staff.actor(),
                now,
            )
            .await?;
            tx.commit().await?;
            done
        }
        None => false,
    };
    if !done {
        let mut errors = FormErrors::new();
        errors.add("step", "That cannot be done now: the record has changed or is already past that step. Check it below");
        let fresh = decision_of(&platform, &slug).await?;
        let form = DecisionForm::of(&fresh);
        return decisions_page(&platform, chrome, Some(fresh), form, errors).await;
    }
    Ok(Redirect::to(&format!("/staff/transparency/decisions/{slug}")).into_response())
}

impl Decision {
    /// The steps the office can take now, as (step, button words).
    pub fn steps(&self) -> Vec<(&'static str, &'static str)> {
        match self.status() {
            Status::Draft => vec![("sign", "Record as signed by the decision maker")],
            Status::Signed => vec![("publish", "Publish"), ("unsign", "Take back to draft")],
            Status::Published => vec![],
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Spending

#[derive(Template)]
#[template(path = "transparency/staff_spending.html")]
struct SpendingPage {
    chrome: Chrome,
    done: String,
    mapping: Option<Mapping>,
    imports: Vec<store::SpendImport>,
    individuals: usize,
    refused: Vec<Refusal>,
    name: String,
    errors: FormErrors,
}

impl SpendingPage {
    fn file(&self) -> FileUpload<'_> {
        FileUpload::new("file", "Upload a month’s payments", &self.errors)
            .hint("A CSV file exported from the finance system, smaller than 50 MB")
            .accept(".csv,text/csv")
    }
    fn individual(&self) -> TextInput<'_> {
        TextInput::new("name", "Payee’s name as the finance system gives it", &self.name, &self.errors)
    }
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
    fn when(&self, text: &str) -> String {
        platform::calendar::time_and_date_of(text)
    }
    fn count(&self, n: &i64) -> String {
        platform::format::count(*n)
    }
    fn mapped(&self) -> Vec<(&'static str, String)> {
        let Some(m) = &self.mapping else { return Vec::new() };
        spend::FIELDS.iter().map(|(f, label, _)| (*label, m.header_for(f).unwrap_or("Not in the file").to_string())).collect()
    }
}

async fn spending_page(
    platform: &Platform,
    chrome: Chrome,
    done: String,
    refused: Vec<Refusal>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let failed = !errors.is_empty();
    let page = SpendingPage {
        chrome: chrome.with_errors(failed),
        done,
        mapping: store::mapping(platform.pool()).await?,
        imports: store::spend_imports(platform.pool()).await?,
        individuals: store::individuals(platform.pool()).await?.len(),
        refused,
        name: String::new(),
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn spending(StaffPage { platform, chrome, .. }: StaffPage, Query(said): Query<Said>) -> Result<Response, AppError> {
    spending_page(&platform, chrome, said.words().to_string(), Vec::new(), FormErrors::new()).await
}

const CSV_ONLY: &[platform::files::AllowedType] = &[platform::files::AllowedType { mime: "text/plain", extensions: &["csv"] }];

/// Reads a form whose one field is a CSV file of up to `max_bytes`.
async fn read_csv_upload(
    platform: &Platform,
    request: Request,
    max_bytes: u64,
) -> Result<(Vec<platform::files::CheckedUpload>, FormErrors), AppError> {
    let rules = platform::files::UploadRules {
        max_bytes,
        max_files: 1,
        allowed: CSV_ONLY,
        described_as: "a CSV file",
        max_text_bytes: platform.settings().form_body_limit_bytes,
        max_fields: 5,
    };
    let (_, uploads, errors): (BTreeMap<String, String>, _, _) =
        platform::web::read_form_with_files(platform, request, rules, "file").await?;
    Ok((uploads, errors))
}

/// Publishes a file through the mapping and says what happened on the spending page.
async fn import_and_say(
    platform: &Platform,
    chrome: Chrome,
    staff: &CurrentStaff,
    (bytes, name): (&[u8], &str),
    mapping: &Mapping,
) -> Result<Response, AppError> {
    let outcome =
        spending::import(platform.pool(), (bytes, name), mapping, &staff.actor(), OffsetDateTime::now_utc(), |_| {}).await?;
    let mut errors = FormErrors::new();
    match outcome {
        Outcome::Imported { rows, redacted, left_out } => {
            let done = format!(
                "{} published from {name}. Payments to individuals redacted: {}. Left out at £500 or less: {}.",
                payments_words(rows),
                platform::format::count(redacted as i64),
                platform::format::count(left_out as i64)
            );
            spending_page(platform, chrome, done, Vec::new(), errors).await
        }
        Outcome::Refused(rows) => {
            errors.add(
                "file",
                format!(
                    "Nothing was published: {} in {name} cannot be, listed below. Correct them and upload the file again",
                    rows_words(rows.len())
                ),
            );
            spending_page(platform, chrome, String::new(), rows, errors).await
        }
        Outcome::Unreadable(why) => {
            errors.add("file", format!("Nothing was published: {why}"));
            spending_page(platform, chrome, String::new(), Vec::new(), errors).await
        }
    }
}

fn payments_words(n: usize) -> String {
    if n == 1 { "1 payment".into() } else { format!("{} payments", platform::format::count(n as i64)) }
}

fn rows_words(n: usize) -> String {
    if n == 1 { "1 row".into() } else { format!("{} rows", platform::format::count(n as i64)) }
}

async fn upload_spending(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    request: Request,
) -> Result<Response, AppError> {
    let (uploads, mut errors) = read_csv_upload(&platform, request, 50 * 1024 * 1024).await?;
    let Some(upload) = uploads.into_iter().next().filter(|_| errors.is_empty()) else {
        if errors.is_empty() {
            errors.add("file", "Select a CSV file of payments");
        }
        return spending_page(&platform, chrome, String::new(), Vec::new(), errors).await;
    };
    let bytes = tokio::fs::read(upload.path()).await.map_err(|e| AppError::Internal(e.into()))?;
    let headers = match spend::headers(&bytes) {
        Ok(h) => h,
        Err(why) => {
            errors.add("file", format!("Nothing was published: {why}"));
            return spending_page(&platform, chrome, String::new(), Vec::new(), errors).await;
        }
    };
    let mapping = store::mapping(platform.pool()).await?;
    if let Some(mapping) = mapping.filter(|m| m.missing(&headers).is_empty()) {
        return import_and_say(&platform, chrome, &staff, (&bytes, &upload.original_name), &mapping).await;
    }
    // The columns are new: keep the file while the officer matches them up, so nothing is lost.
    platform.storage().persist(&upload).await.map_err(|e| AppError::Internal(e.into()))?;
    let held = platform::ids::new_id();
    let mut tx = db::begin_write(platform.pool()).await?;
    platform::files::record(&mut tx, &upload, HELD, &held, OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/transparency/spending/mapping/{held}")).into_response())
}

/// The owner type of a spending file held while its columns are matched up.
const HELD: &str = "spending upload";

async fn held_file(platform: &Platform, held: &str) -> Result<(platform::files::StoredFile, Vec<u8>), AppError> {
    checked_id(held)?;
    let file = platform::files::files_of(platform.pool(), HELD, held).await?.into_iter().next().ok_or(AppError::NotFound)?;
    let mut stream = platform.storage().read(&file.sha256).await.map_err(|e| AppError::Internal(e.into()))?;
    let mut bytes = Vec::new();
    use futures_util::StreamExt;
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.map_err(|e| AppError::Internal(e.into()))?);
    }
    Ok((file, bytes))
}

#[derive(Template)]
#[template(path = "transparency/staff_mapping.html")]
struct MappingPage {
    chrome: Chrome,
    held: String,
    file_name: String,
    headers: Vec<String>,
    chosen: BTreeMap<String, String>,
    errors: FormErrors,
}

impl MappingPage {
    fn selects(&self) -> Vec<String> {
        spend::FIELDS
            .iter()
            .map(|(field, label, required)| {
                let mut options = vec![Choice::new("", if *required { "Choose a column" } else { "Not in the file" })];
                options.extend(self.headers.iter().map(|h| Choice::new(h, h)));
                let chosen = self.chosen.get(*field).map(String::as_str).unwrap_or("");
                Select::new(field, label, options, chosen, &self.errors).to_string()
            })
            .collect()
    }
}

async fn mapping_page(StaffPage { platform, chrome, .. }: StaffPage, Path(held): Path<String>) -> Result<Response, AppError> {
    let (file, bytes) = held_file(&platform, &held).await?;
    let headers = spend::headers(&bytes).unwrap_or_default();
    let saved = store::mapping(platform.pool()).await?.unwrap_or_default();
    let guess = Mapping::guess(&headers);
    let chosen = spend::FIELDS
        .iter()
        .filter_map(|(f, _, _)| {
            saved
                .header_for(f)
                .filter(|h| headers.iter().any(|x| x == h))
                .or(guess.header_for(f))
                .map(|h| (f.to_string(), h.to_string()))
        })
        .collect();
    render(&MappingPage { chrome, held, file_name: file.original_name, headers, chosen, errors: FormErrors::new() })
}

async fn save_mapping(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(held): Path<String>,
    Form(chosen): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let (file, bytes) = held_file(&platform, &held).await?;
    let headers = spend::headers(&bytes).unwrap_or_default();
    let mut errors = FormErrors::new();
    let mut mapping = BTreeMap::new();
    let mut used = std::collections::BTreeSet::new();
    for (field, label, required) in spend::FIELDS {
        let header = chosen.get(field).map(String::as_str).unwrap_or("");
        if header.is_empty() {
            if required {
                errors.add(field, format!("Choose the column that holds the {}", label.to_lowercase()));
            }
            continue;
        }
        if !headers.iter().any(|h| h == header) {
            errors.add(field, "Choose a column from the file");
        } else if !used.insert(header.to_string()) {
            errors.add(field, format!("The column “{header}” is already chosen for another field"));
        }
        mapping.insert(field.to_string(), header.to_string());
    }
    if !errors.is_empty() {
        let page = MappingPage { chrome: chrome.with_errors(true), held, file_name: file.original_name, headers, chosen, errors };
        return platform::web::refused(&page);
    }
    let mapping = Mapping(mapping);
    let mut tx = db::begin_write(platform.pool()).await?;
    store::save_mapping(&mut tx, &mapping, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    import_and_say(&platform, chrome, &staff, (&bytes, &file.original_name), &mapping).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct IndividualForm {
    name: String,
}

async fn add_individual(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<IndividualForm>,
) -> Result<Response, AppError> {
    let name = form.name.trim();
    if name.is_empty() || name.chars().count() > 300 {
        let mut errors = FormErrors::new();
        errors.add("name", "Enter the payee’s name, in 300 characters or fewer");
        return spending_page(&platform, chrome, String::new(), Vec::new(), errors).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    store::add_individual(&mut tx, name, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(back("/staff/transparency/spending", "individual"))
}

// ---------------------------------------------------------------------------------------------
// Registers

#[derive(Template)]
#[template(path = "transparency/staff_register.html")]
struct RegisterPage {
    chrome: Chrome,
    done: &'static str,
    register: &'static Register,
    entries: Vec<(store::Entry, Vec<String>)>,
    texts: BTreeMap<String, String>,
    problems: Vec<registers::RowProblem>,
    /// Each field's label, "(optional)" added where it is.
    labels: Vec<(&'static str, String)>,
    errors: FormErrors,
}

impl RegisterPage {
    fn inputs(&self) -> Vec<String> {
        self.register
            .fields
            .iter()
            .map(|f| {
                let value = self.texts.get(f.name).map(String::as_str).unwrap_or("");
                let label = self.labels.iter().find(|(n, _)| *n == f.name).map(|(_, l)| l.as_str()).unwrap_or(f.label);
                match f.kind {
                    Kind::LongText => Textarea::new(f.name, label, value, &self.errors).rows(3).to_string(),
                    Kind::Choice(options) => {
                        let mut list = vec![Choice::new("", "Choose")];
                        list.extend(options.iter().map(|o| Choice::new(o, o)));
                        Select::new(f.name, label, list, value, &self.errors).to_string()
                    }
                    Kind::Date => TextInput::new(f.name, label, value, &self.errors)
                        .hint("For example, 2026-04-30")
                        .width("govuk-input--width-10")
                        .to_string(),
                    Kind::Money => TextInput::new(f.name, label, value, &self.errors)
                        .hint("In pounds, such as 1,250.00")
                        .width("govuk-input--width-10")
                        .to_string(),
                    Kind::Count | Kind::Percent | Kind::Number => {
                        TextInput::new(f.name, label, value, &self.errors).width("govuk-input--width-5").to_string()
                    }
                    Kind::Text | Kind::Link => TextInput::new(f.name, label, value, &self.errors).to_string(),
                }
            })
            .collect()
    }
    fn file(&self) -> FileUpload<'_> {
        FileUpload::new("file", "Import entries from a CSV file", &self.errors)
            .hint("The header row names the columns as the form does. Every row is checked; if any is wrong, nothing is added.")
            .accept(".csv,text/csv")
    }
    fn headers(&self) -> String {
        self.register.fields.iter().map(|f| f.label).collect::<Vec<_>>().join(", ")
    }
}

async fn register_page(
    platform: &Platform,
    chrome: Chrome,
    register: &'static Register,
    (done, texts): (&'static str, BTreeMap<String, String>),
    problems: Vec<registers::RowProblem>,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let entries = store::entries(platform.pool(), register.slug)
        .await?
        .into_iter()
        .map(|e| {
            let v = e.values();
            let shown = register.fields.iter().map(|f| registers::shown(f, v.get(f.name))).collect();
            (e, shown)
        })
        .collect();
    let failed = !errors.is_empty();
    let labels = register
        .fields
        .iter()
        .map(|f| (f.name, if f.required { f.label.to_string() } else { format!("{} (optional)", f.label) }))
        .collect();
    let page = RegisterPage { chrome: chrome.with_errors(failed), done, register, entries, texts, problems, labels, errors };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

fn register_of(slug: &str) -> Result<&'static Register, AppError> {
    registers::find(slug).ok_or(AppError::NotFound)
}

async fn register(
    StaffPage { platform, chrome, .. }: StaffPage,
    Path(slug): Path<String>,
    Query(said): Query<Said>,
) -> Result<Response, AppError> {
    register_page(&platform, chrome, register_of(&slug)?, (said.words(), BTreeMap::new()), Vec::new(), FormErrors::new()).await
}

async fn add_entry(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    Form(texts): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let register = register_of(&slug)?;
    match registers::read_entry(register, &texts) {
        Ok(fields) => {
            let mut tx = db::begin_write(platform.pool()).await?;
            store::add_entries(&mut tx, register, &[fields], &staff.actor(), OffsetDateTime::now_utc()).await?;
            tx.commit().await?;
            Ok(back(&format!("/staff/transparency/registers/{slug}"), "entry"))
        }
        Err(problems) => {
            let mut errors = FormErrors::new();
            for (field, message) in problems {
                errors.add(field, message);
            }
            register_page(&platform, chrome, register, ("", texts), Vec::new(), errors).await
        }
    }
}

async fn import_entries(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let register = register_of(&slug)?;
    let (uploads, mut errors) = read_csv_upload(&platform, request, 10 * 1024 * 1024).await?;
    let Some(upload) = uploads.into_iter().next().filter(|_| errors.is_empty()) else {
        if errors.is_empty() {
            errors.add("file", "Select a CSV file to import");
        }
        return register_page(&platform, chrome, register, ("", BTreeMap::new()), Vec::new(), errors).await;
    };
    let bytes = tokio::fs::read(upload.path()).await.map_err(|e| AppError::Internal(e.into()))?;
    match registers::read_import(register, &bytes) {
        Ok(entries) => {
            let mut tx = db::begin_write(platform.pool()).await?;
            store::add_entries(&mut tx, register, &entries, &staff.actor(), OffsetDateTime::now_utc()).await?;
            tx.commit().await?;
            Ok(back(&format!("/staff/transparency/registers/{slug}"), "imported"))
        }
        Err(problems) => {
            errors.add(
                "file",
                format!("Nothing was added: {} of {} cannot be, listed below", rows_words(problems.len()), upload.original_name),
            );
            register_page(&platform, chrome, register, ("", BTreeMap::new()), problems, errors).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct VersionOnly {
    version: i64,
}

async fn remove_entry(
    StaffPage { platform, staff, .. }: StaffPage,
    Path((slug, id)): Path<(String, String)>,
    Form(form): Form<VersionOnly>,
) -> Result<Response, AppError> {
    let register = register_of(&slug)?;
    checked_id(&id)?;
    let mut tx = db::begin_write(platform.pool()).await?;
    let done = store::remove_entry(&mut tx, register, (&id, form.version), &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(back(&format!("/staff/transparency/registers/{slug}"), "removed"))
}

// ---------------------------------------------------------------------------------------------
// Documents

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DocumentForm {
    title: String,
    slug: String,
    body: String,
    change_note: String,
}

/// Files a document may be published as, beside its HTML summary.
const DOCUMENT_TYPES: &[platform::files::AllowedType] = &[
    platform::files::AllowedType { mime: "application/pdf", extensions: &["pdf"] },
    platform::files::AllowedType {
        mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        extensions: &["docx"],
    },
    platform::files::AllowedType { mime: "application/vnd.oasis.opendocument.text", extensions: &["odt"] },
    platform::files::AllowedType {
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        extensions: &["xlsx"],
    },
];

#[derive(Template)]
#[template(path = "transparency/staff_documents.html")]
struct DocumentsPage {
    chrome: Chrome,
    done: &'static str,
    documents: Vec<store::Document>,
    current: Option<(store::Document, Vec<store::Version>)>,
    form: DocumentForm,
    errors: FormErrors,
}

impl DocumentsPage {
    fn title(&self) -> TextInput<'_> {
        TextInput::new("title", "Title", &self.form.title, &self.errors)
    }
    fn slug(&self) -> TextInput<'_> {
        TextInput::new("slug", "Web address", &self.form.slug, &self.errors)
            .hint("Lower-case words joined by hyphens, such as annual-budget. It stays the same for every version.")
    }
    fn body(&self) -> Textarea<'_> {
        Textarea::new("body", "The document, or a summary of the uploaded file", &self.form.body, &self.errors)
            .rows(12)
            .hint("Start a heading with ## on its own line, a list item with - , and leave a blank line between paragraphs.")
    }
    fn change_note(&self) -> TextInput<'_> {
        TextInput::new("change_note", "What changed (for a new version)", &self.form.change_note, &self.errors)
    }
    fn file(&self) -> FileUpload<'_> {
        FileUpload::new("file", "Upload the document as a file (optional)", &self.errors)
            .hint("PDF, Word, OpenDocument or Excel, smaller than 20 MB")
    }
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
}

async fn documents_page(
    platform: &Platform,
    chrome: Chrome,
    current: Option<store::Document>,
    (done, form): (&'static str, DocumentForm),
    errors: FormErrors,
) -> Result<Response, AppError> {
    let current = match current {
        Some(d) => {
            let v = store::versions(platform.pool(), &d.id).await?;
            Some((d, v))
        }
        None => None,
    };
    let failed = !errors.is_empty();
    let page = DocumentsPage {
        chrome: chrome.with_errors(failed),
        done,
        documents: store::documents(platform.pool()).await?,
        current,
        form,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn documents(StaffPage { platform, chrome, .. }: StaffPage, Query(said): Query<Said>) -> Result<Response, AppError> {
    documents_page(&platform, chrome, None, (said.words(), DocumentForm::default()), FormErrors::new()).await
}

async fn document_page(
    StaffPage { platform, chrome, .. }: StaffPage,
    Path(slug): Path<String>,
    Query(said): Query<Said>,
) -> Result<Response, AppError> {
    let document = store::find_document(platform.pool(), &slug).await?.ok_or(AppError::NotFound)?;
    let versions = store::versions(platform.pool(), &document.id).await?;
    let form = DocumentForm {
        title: document.title.clone(),
        slug: document.slug.clone(),
        body: versions.first().map(|v| v.body.clone()).unwrap_or_default(),
        change_note: String::new(),
    };
    documents_page(&platform, chrome, Some(document), (said.words(), form), FormErrors::new()).await
}

/// The document's text as the publishing kit lays it out: headings, paragraphs and lists.
pub fn document_html(title: &str, office: &str, body: &str, on: time::Date) -> String {
    let mut doc = publishing::Document::new(title, office, on);
    let mut list: Vec<String> = Vec::new();
    let flush = |doc: &mut publishing::Document, list: &mut Vec<String>| {
        if !list.is_empty() {
            doc.push(publishing::Block::List { ordered: false, items: std::mem::take(list) });
        }
    };
    let mut paragraph = String::new();
    let end_paragraph = |doc: &mut publishing::Document, p: &mut String| {
        if !p.trim().is_empty() {
            doc.push(publishing::Block::Paragraph(p.trim().to_string()));
        }
        p.clear();
    };
    for line in body.lines() {
        let line = line.trim();
        if let Some(h) = line.strip_prefix("## ") {
            end_paragraph(&mut doc, &mut paragraph);
            flush(&mut doc, &mut list);
            doc.push(publishing::Block::Heading(2, h.trim().to_string()));
        } else if let Some(item) = line.strip_prefix("- ") {
            end_paragraph(&mut doc, &mut paragraph);
            list.push(item.trim().to_string());
        } else if line.is_empty() {
            end_paragraph(&mut doc, &mut paragraph);
            flush(&mut doc, &mut list);
        } else {
            flush(&mut doc, &mut list);
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(line);
        }
    }
    end_paragraph(&mut doc, &mut paragraph);
    flush(&mut doc, &mut list);
    doc.html_in("doc-")
}

async fn publish(
    platform: &Platform,
    chrome: Chrome,
    staff: &CurrentStaff,
    request: Request,
    existing: Option<store::Document>,
) -> Result<Response, AppError> {
    let rules = platform::files::UploadRules {
        max_bytes: 20 * 1024 * 1024,
        max_files: 1,
        allowed: DOCUMENT_TYPES,
        described_as: "a PDF, Word, OpenDocument or Excel file",
        max_text_bytes: platform.settings().form_body_limit_bytes,
        max_fields: 10,
    };
    let (form, uploads, mut errors): (DocumentForm, _, _) =
        platform::web::read_form_with_files(platform, request, rules, "file").await?;
    let title = platform::web::forms::required_text(&mut errors, "title", &form.title, "Enter the document’s title", 300);
    let slug = match &existing {
        Some(d) => d.slug.clone(),
        None => {
            let slug = form.slug.trim().to_lowercase();
            let ok = !slug.is_empty()
                && slug.len() <= 100
                && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !slug.starts_with('-');
            if !ok {
                errors.add("slug", "Enter the web address as lower-case words joined by hyphens, such as annual-budget");
            } else if store::find_document(platform.pool(), &slug).await?.is_some() {
                errors
                    .add("slug", "A document already has that web address: choose another, or publish a new version of that one");
            }
            slug
        }
    };
    let body = form.body.trim().to_string();
    if body.is_empty() {
        errors.add("body", "Enter the document, or a summary of the uploaded file so everyone can read it");
    } else if body.chars().count() > 200_000 {
        errors.add("body", "The document must be 200,000 characters or fewer: upload a longer one as a file with a summary");
    }
    if form.change_note.chars().count() > 300 {
        errors.add("change_note", "What changed must be 300 characters or fewer");
    }
    if !errors.is_empty() {
        return documents_page(platform, chrome, existing, ("", form), errors).await;
    }
    let now = OffsetDateTime::now_utc();
    let today = platform::calendar::uk_local_date(now);
    let html = document_html(&title, &chrome.office.name, &body, today);
    let upload = uploads.into_iter().next();
    if let Some(upload) = &upload {
        platform.storage().persist(upload).await.map_err(|e| AppError::Internal(e.into()))?;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    let file_id = match &upload {
        Some(upload) => Some(platform::files::record(&mut tx, upload, "transparency document", &slug, now).await?),
        None => None,
    };
    let version = store::NewVersion {
        title: &title,
        body: &body,
        html: &html,
        file_id: file_id.as_deref(),
        change_note: form.change_note.trim(),
        published_on: today,
    };
    store::publish_version(&mut tx, &slug, &version, &staff.actor(), now).await?;
    tx.commit().await?;
    Ok(back(&format!("/staff/transparency/documents/{slug}"), "published"))
}

async fn publish_new(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    request: Request,
) -> Result<Response, AppError> {
    publish(&platform, chrome, &staff, request, None).await
}

async fn publish_version(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    Path(slug): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let document = store::find_document(platform.pool(), &slug).await?.ok_or(AppError::NotFound)?;
    publish(&platform, chrome, &staff, request, Some(document)).await
}

// ---------------------------------------------------------------------------------------------
// Requests for another format

#[derive(Template)]
#[template(path = "transparency/staff_formats.html")]
struct FormatsPage {
    chrome: Chrome,
    done: &'static str,
    requests: Vec<store::FormatRequest>,
    today: time::Date,
}

impl FormatsPage {
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
    fn late(&self, r: &store::FormatRequest) -> bool {
        r.replied_on.is_none() && db::parse_date(&r.reply_by).is_some_and(|d| d < self.today)
    }
}

async fn format_requests(
    StaffPage { platform, chrome, staff }: StaffPage,
    Query(said): Query<Said>,
) -> Result<Response, AppError> {
    // The list names people: each reading is recorded.
    let event =
        platform::audit::Event { action: "viewed", record_type: "requests for another format", record_id: "list", detail: "" };
    platform::audit::record_now(platform.pool(), &staff.actor(), event).await?;
    let requests = store::format_requests(platform.pool()).await?;
    render(&FormatsPage { chrome, done: said.words(), requests, today: platform::calendar::uk_today() })
}

async fn replied(StaffPage { platform, staff, .. }: StaffPage, Path(reference): Path<String>) -> Result<Response, AppError> {
    if !reference.starts_with("AF-") || reference.len() > 30 {
        return Err(AppError::NotFound);
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let done = store::mark_replied(&mut tx, &reference, platform::calendar::uk_local_date(now), &staff.actor(), now).await?;
    tx.commit().await?;
    if !done {
        return Err(AppError::NotFound);
    }
    Ok(back("/staff/transparency/format-requests", "replied"))
}
