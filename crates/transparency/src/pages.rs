//! The public side: what we publish (by class), the decisions register, spending over £500, the
//! registers and the documents with their earlier versions, each register and list also as CSV
//! and JSON under the Open Government Licence.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::Actor;
use platform::auth::Viewer;
use platform::db;
use platform::periods::{FinancialYear, YearQuery};
use platform::web::forms::{FormErrors, Select, TextInput, Textarea};
use platform::web::{Form, PageRequest, csv_field, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

use crate::registers::{self, Register};
use crate::remind::{self, Standings};
use crate::scheme::{self, CLASSES};
use crate::store::{self, Decision, Document, Spend, SpendQuery, Version};

pub const LICENCE: &str = "Open Government Licence v3.0";
pub const LICENCE_URL: &str = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

pub fn routes() -> Routes {
    Routes::new()
        .route("/transparency", Access::Public, get(what_we_publish))
        .route("/transparency/decisions", Access::Public, get(decisions))
        .route("/transparency/decisions.csv", Access::Public, get(decisions_csv))
        .route("/transparency/decisions.json", Access::Public, get(decisions_json))
        .route("/transparency/decisions.atom", Access::Public, get(decisions_atom))
        .route("/transparency/decisions/{decision}", Access::Public, get(decision))
        .route("/transparency/spending", Access::Public, get(spending))
        .route("/transparency/spending.csv", Access::Public, get(spending_csv))
        .route("/transparency/spending.json", Access::Public, get(spending_json))
        .route("/transparency/registers/{register}", Access::Public, get(register))
        .route("/transparency/registers/{register}/data.csv", Access::Public, get(register_csv))
        .route("/transparency/registers/{register}/data.json", Access::Public, get(register_json))
        .route("/transparency/documents/{document}", Access::Public, get(document))
        .route("/transparency/documents/{document}/versions/{number}", Access::Public, get(version))
        .route("/transparency/documents/{document}/versions/{number}/file", Access::Public, get(version_file))
        .route("/transparency/documents/{document}/another-format", Access::Public, get(format_form).post(ask_format))
}

fn date_words(text: &str) -> String {
    db::parse_date(text).map(platform::format::date).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// What we publish

#[derive(Template)]
#[template(path = "transparency/what_we_publish.html")]
struct WhatWePublish {
    chrome: Chrome,
    classes: Vec<(i64, &'static str, Vec<Standings>)>,
    registers: &'static [Register],
}

impl WhatWePublish {
    fn last(&self, s: &Standings) -> String {
        s.last.map(platform::format::date).unwrap_or_else(|| "Not yet".into())
    }
    fn frequency(&self, s: &Standings) -> &'static str {
        scheme::Frequency::parse(&s.item.frequency).map(|f| f.words()).unwrap_or("")
    }
    fn paragraph(&self, s: &Standings) -> String {
        scheme::requirement(&s.item.requirement).map(|r| format!("paragraph {}", r.paragraph)).unwrap_or_default()
    }
}

async fn what_we_publish(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let all = remind::standings(platform.pool(), platform::calendar::uk_today()).await?;
    let classes =
        CLASSES.iter().map(|(n, name)| (*n, *name, all.iter().filter(|s| s.item.class == *n).cloned().collect())).collect();
    render(&WhatWePublish { chrome, classes, registers: registers::REGISTERS })
}

// ---------------------------------------------------------------------------------------------
// Decisions

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Between {
    from: String,
    to: String,
}

impl Between {
    /// The dates asked for; a date that cannot be read is an error on its field.
    fn read(&self, errors: &mut FormErrors) -> (Option<Date>, Option<Date>) {
        let mut one = |field: &str, text: &str| match text.trim() {
            "" => None,
            t => {
                let d = crate::spend::read_date(t);
                if d.is_none() {
                    errors.add(field, "Enter the date as a day, month and year, such as 2026-04-30 or 30/04/2026");
                }
                d
            }
        };
        let from = one("from", &self.from);
        let to = one("to", &self.to);
        if let (Some(a), Some(b)) = (from, to)
            && b < a
        {
            errors.add("to", "The end date must be on or after the start date");
        }
        (from, to)
    }
}

#[derive(Template)]
#[template(path = "transparency/decisions.html")]
struct Decisions {
    chrome: Chrome,
    decisions: Vec<Decision>,
    between: Between,
    errors: FormErrors,
}

impl Decisions {
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
    fn from(&self) -> TextInput<'_> {
        TextInput::new("from", "Published from", &self.between.from, &self.errors)
            .hint("For example, 2026-04-01")
            .width("govuk-input--width-10")
    }
    fn to(&self) -> TextInput<'_> {
        TextInput::new("to", "Published to", &self.between.to, &self.errors)
            .hint("For example, 2027-03-31")
            .width("govuk-input--width-10")
    }
    fn query(&self) -> String {
        format!("?from={}&to={}", self.between.from.trim(), self.between.to.trim())
    }
}

async fn published(platform: &Platform, between: &Between) -> Result<(Vec<Decision>, FormErrors), AppError> {
    let mut errors = FormErrors::new();
    let (from, to) = between.read(&mut errors);
    let list = if errors.is_empty() { store::published_decisions(platform.pool(), from, to).await? } else { Vec::new() };
    Ok((list, errors))
}

async fn decisions(PageRequest { platform, chrome }: PageRequest, Query(between): Query<Between>) -> Result<Response, AppError> {
    let (decisions, errors) = published(&platform, &between).await?;
    let failed = !errors.is_empty();
    let page = Decisions { chrome: chrome.with_errors(failed), decisions, between, errors };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

const DECISION_COLUMNS: [&str; 9] =
    ["number", "title", "decided_on", "published_on", "decision_maker", "summary", "reasons", "financial_implications", "url"];

fn decision_values(base: &str, d: &Decision) -> [String; 9] {
    [
        d.number.clone(),
        d.title.clone(),
        d.decided_on.clone(),
        d.published_on.clone().unwrap_or_default(),
        d.decision_maker.clone(),
        d.summary.clone(),
        d.reasons.clone(),
        d.financial.clone(),
        format!("{base}/transparency/decisions/{}", d.slug()),
    ]
}

fn base(platform: &Platform) -> String {
    platform.settings().public_url.trim_end_matches('/').to_string()
}

async fn decisions_csv(PageRequest { platform, .. }: PageRequest, Query(between): Query<Between>) -> Result<Response, AppError> {
    let (list, errors) = published(&platform, &between).await?;
    if !errors.is_empty() {
        return Err(AppError::BadRequest("the dates cannot be read".into()));
    }
    let base = base(&platform);
    let rows = list.iter().map(|d| decision_values(&base, d).to_vec()).collect::<Vec<_>>();
    Ok(platform::web::csv_download(csv(&DECISION_COLUMNS, &rows), "decisions.csv"))
}

async fn decisions_json(PageRequest { platform, .. }: PageRequest, Query(between): Query<Between>) -> Result<Response, AppError> {
    let (list, errors) = published(&platform, &between).await?;
    if !errors.is_empty() {
        return Err(AppError::BadRequest("the dates cannot be read".into()));
    }
    let base = base(&platform);
    let rows: Vec<Value> = list
        .iter()
        .map(|d| {
            Value::Object(
                DECISION_COLUMNS.iter().zip(decision_values(&base, d)).map(|(k, v)| (k.to_string(), Value::from(v))).collect(),
            )
        })
        .collect();
    Ok(json_file(json!({ "licence": LICENCE, "licence_url": LICENCE_URL, "decisions": rows })))
}

async fn decisions_atom(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let list = store::published_decisions(platform.pool(), None, None).await?;
    let entries: Vec<crate::decision::FeedEntry<'_>> = list
        .iter()
        .take(50)
        .filter_map(|d| {
            Some(crate::decision::FeedEntry {
                number: &d.number,
                title: &d.title,
                summary: &d.summary,
                published: db::parse_date(d.published_on.as_deref()?)?,
            })
        })
        .collect();
    let xml = crate::decision::atom(&base(&platform), &chrome.office.name, &entries).map_err(|e| AppError::Internal(e.into()))?;
    Ok(([(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}

#[derive(Template)]
#[template(path = "transparency/decision.html")]
struct DecisionPage {
    chrome: Chrome,
    decision: Decision,
}

impl DecisionPage {
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
}

async fn decision(PageRequest { platform, chrome }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    let (year, sequence) = crate::decision::read_number(&slug).ok_or(AppError::NotFound)?;
    let found = store::find_decision(platform.pool(), &crate::decision::number(year, sequence)).await?;
    let decision = found.filter(|d| d.status == "published").ok_or(AppError::NotFound)?;
    render(&DecisionPage { chrome, decision })
}

// ---------------------------------------------------------------------------------------------
// Spending

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SpendForm {
    words: String,
    from: String,
    to: String,
    expense_type: String,
    page: String,
}

#[derive(Template)]
#[template(path = "transparency/spending.html")]
struct Spending {
    chrome: Chrome,
    form: SpendForm,
    types: Vec<(String, String)>,
    rows: Vec<Spend>,
    total: i64,
    page: i64,
    years: Vec<FinancialYear>,
    errors: FormErrors,
}

impl Spending {
    fn words(&self) -> TextInput<'_> {
        TextInput::new("words", "Supplier or expense type", &self.form.words, &self.errors)
    }
    fn from(&self) -> TextInput<'_> {
        TextInput::new("from", "Paid from", &self.form.from, &self.errors)
            .hint("For example, 2026-04-01")
            .width("govuk-input--width-10")
    }
    fn to(&self) -> TextInput<'_> {
        TextInput::new("to", "Paid to", &self.form.to, &self.errors)
            .hint("For example, 2026-04-30")
            .width("govuk-input--width-10")
    }
    fn expense_type(&self) -> Select<'_> {
        let mut options = vec![platform::web::forms::Choice::new("", "Any")];
        options.extend(self.types.iter().map(|(id, name)| platform::web::forms::Choice::new(id, name)));
        Select::new("expense_type", "Expense type", options, &self.form.expense_type, &self.errors)
    }
    fn money(&self, pence: &i64) -> String {
        platform::format::money_exact(*pence as f64 / 100.0)
    }
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
    /// "1 payment", "2,345 payments", or "More than 10,000 payments".
    fn count(&self) -> String {
        match self.total {
            1 => "1 payment".into(),
            n if n > store::SPEND_COUNTED => format!("More than {} payments", platform::format::count(store::SPEND_COUNTED)),
            n => format!("{} payments", platform::format::count(n)),
        }
    }
    fn more(&self) -> bool {
        self.total > store::SPEND_COUNTED
    }
    fn pages(&self) -> i64 {
        (self.total.min(store::SPEND_COUNTED) + store::SPEND_PAGE - 1) / store::SPEND_PAGE
    }
    /// The link to another page of the same search.
    fn page_link(&self, page: i64) -> String {
        let enc = |t: &str| percent_encoding::utf8_percent_encode(t.trim(), percent_encoding::NON_ALPHANUMERIC).to_string();
        format!(
            "/transparency/spending?words={}&from={}&to={}&expense_type={}&page={}",
            enc(&self.form.words),
            enc(&self.form.from),
            enc(&self.form.to),
            enc(&self.form.expense_type),
            page + 1
        )
    }
}

async fn spending(PageRequest { platform, chrome }: PageRequest, Query(form): Query<SpendForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let (from, to) = Between { from: form.from.clone(), to: form.to.clone() }.read(&mut errors);
    if form.words.chars().count() > 100 {
        errors.add("words", "Enter 100 characters or fewer");
    }
    let types = store::expense_types(platform.pool()).await?;
    let expense_type = match form.expense_type.trim() {
        "" => None,
        t => {
            let id = t.parse::<i64>().ok().filter(|id| types.iter().any(|(x, _)| x == id));
            if id.is_none() {
                errors.add("expense_type", "Choose an expense type from the list");
            }
            id
        }
    };
    let mut page = form.page.trim().parse::<i64>().unwrap_or(1).clamp(1, store::SPEND_COUNTED / store::SPEND_PAGE) - 1;
    let (rows, total) = if errors.is_empty() {
        let mut query = SpendQuery { words: form.words.clone(), from, to, expense_type, page };
        let (mut rows, total) = store::search_spend(platform.pool(), &query).await?;
        // A page past the last shows the last.
        let last = ((total.min(store::SPEND_COUNTED) + store::SPEND_PAGE - 1) / store::SPEND_PAGE - 1).max(0);
        if page > last {
            page = last;
            query.page = last;
            rows = store::search_spend(platform.pool(), &query).await?.0;
        }
        (rows, total)
    } else {
        (Vec::new(), 0)
    };
    let span = store::spend_span(platform.pool()).await?;
    let years = span
        .map(|(a, b)| (FinancialYear::containing(a).0..=FinancialYear::containing(b).0).rev().map(FinancialYear).collect())
        .unwrap_or_default();
    let failed = !errors.is_empty();
    let page = Spending {
        chrome: chrome.with_errors(failed),
        form,
        types: types.into_iter().map(|(id, name)| (id.to_string(), name)).collect(),
        rows,
        total,
        page,
        years,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

const SPEND_COLUMNS: [&str; 6] = ["transaction_id", "date_paid", "supplier", "amount", "expense_type", "purpose"];

fn spend_values(s: &Spend) -> [String; 6] {
    [
        s.transaction_id.clone(),
        s.paid_on.clone(),
        s.supplier.clone().unwrap_or_else(|| crate::spend::REDACTED.to_string()),
        format!("{}{}.{:02}", if s.amount_pence < 0 { "-" } else { "" }, s.amount_pence.abs() / 100, s.amount_pence.abs() % 100),
        s.expense_type.clone(),
        s.purpose.clone(),
    ]
}

async fn spend_year(platform: &Platform, query: &YearQuery) -> Result<(FinancialYear, Vec<Spend>), AppError> {
    let first = store::spend_span(platform.pool()).await?.map(|(a, _)| FinancialYear::containing(a).0).unwrap_or(2000);
    let year = query.year(first, platform::calendar::uk_today())?;
    Ok((year, store::spend_between(platform.pool(), year.first_day(), year.last_day()).await?))
}

async fn spending_csv(PageRequest { platform, .. }: PageRequest, Query(query): Query<YearQuery>) -> Result<Response, AppError> {
    let (year, rows) = spend_year(&platform, &query).await?;
    let rows: Vec<Vec<String>> = rows.iter().map(|s| spend_values(s).to_vec()).collect();
    Ok(platform::web::csv_download(csv(&SPEND_COLUMNS, &rows), &format!("spending-over-500-{}.csv", year.0)))
}

async fn spending_json(PageRequest { platform, .. }: PageRequest, Query(query): Query<YearQuery>) -> Result<Response, AppError> {
    let (year, rows) = spend_year(&platform, &query).await?;
    let payments: Vec<Value> = rows
        .iter()
        .map(|s| Value::Object(SPEND_COLUMNS.iter().zip(spend_values(s)).map(|(k, v)| (k.to_string(), Value::from(v))).collect()))
        .collect();
    Ok(json_file(json!({
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "financial_year": year.short_label(),
        "threshold": "Payments over £500",
        "payments": payments,
    })))
}

// ---------------------------------------------------------------------------------------------
// Registers

#[derive(Template)]
#[template(path = "transparency/register.html")]
struct RegisterPage {
    chrome: Chrome,
    register: &'static Register,
    /// Each entry's values as shown, field by field; contracts split by value.
    rows: Vec<Vec<String>>,
    smaller: Vec<Vec<String>>,
}

impl RegisterPage {
    fn tables(&self) -> [(&str, &Vec<Vec<String>>); 2] {
        [(self.register.title, &self.rows), ("Contracts of £10,000 or less", &self.smaller)]
    }
}

fn shown_rows(register: &Register, entries: &[store::Entry]) -> (Vec<Vec<String>>, Vec<Vec<String>>) {
    let mut large = Vec::new();
    let mut small = Vec::new();
    for e in entries {
        let values = e.values();
        let row = register.fields.iter().map(|f| registers::shown(f, values.get(f.name))).collect();
        let value = values.get("value").and_then(Value::as_i64).unwrap_or(i64::MAX);
        if register.slug == "contracts" && value <= registers::SMALL_CONTRACT_PENCE {
            small.push(row);
        } else {
            large.push(row);
        }
    }
    (large, small)
}

async fn register(PageRequest { platform, chrome }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    let register = registers::find(&slug).ok_or(AppError::NotFound)?;
    let entries = store::entries(platform.pool(), register.slug).await?;
    let (rows, smaller) = shown_rows(register, &entries);
    render(&RegisterPage { chrome, register, rows, smaller })
}

async fn register_csv(PageRequest { platform, .. }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    let register = registers::find(&slug).ok_or(AppError::NotFound)?;
    let entries = store::entries(platform.pool(), register.slug).await?;
    let names: Vec<&str> = register.fields.iter().map(|f| f.name).collect();
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            let v = e.values();
            register.fields.iter().map(|f| registers::plain(f, v.get(f.name))).collect()
        })
        .collect();
    Ok(platform::web::csv_download(csv(&names, &rows), &format!("{}.csv", register.slug)))
}

async fn register_json(PageRequest { platform, .. }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    let register = registers::find(&slug).ok_or(AppError::NotFound)?;
    let entries = store::entries(platform.pool(), register.slug).await?;
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            let v = e.values();
            Value::Object(
                register.fields.iter().map(|f| (f.name.to_string(), Value::from(registers::plain(f, v.get(f.name))))).collect(),
            )
        })
        .collect();
    Ok(json_file(json!({ "register": register.title, "licence": LICENCE, "licence_url": LICENCE_URL, "entries": rows })))
}

// ---------------------------------------------------------------------------------------------
// Documents

#[derive(Template)]
#[template(path = "transparency/document.html")]
struct DocumentPage {
    chrome: Chrome,
    document: Document,
    shown: Version,
    /// Every version, newest first.
    versions: Vec<Version>,
    latest: bool,
    file: Option<platform::files::StoredFile>,
}

impl DocumentPage {
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
}

async fn show_document(platform: &Platform, chrome: Chrome, slug: &str, number: Option<i64>) -> Result<Response, AppError> {
    let document = store::find_document(platform.pool(), slug).await?.ok_or(AppError::NotFound)?;
    let versions = store::versions(platform.pool(), &document.id).await?;
    let shown = match number {
        None => versions.first(),
        Some(n) => versions.iter().find(|v| v.number == n),
    }
    .cloned()
    .ok_or(AppError::NotFound)?;
    let file = match &shown.file_id {
        Some(id) => platform::files::find(platform.pool(), id).await?,
        None => None,
    };
    let latest = versions.first().is_some_and(|v| v.number == shown.number);
    render(&DocumentPage { chrome, document, shown, versions, latest, file })
}

async fn document(PageRequest { platform, chrome }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    show_document(&platform, chrome, &slug, None).await
}

async fn version(
    PageRequest { platform, chrome }: PageRequest,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let number = number.parse::<i64>().map_err(|_| AppError::NotFound)?;
    show_document(&platform, chrome, &slug, Some(number)).await
}

async fn version_file(
    PageRequest { platform, .. }: PageRequest,
    Path((slug, number)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let number = number.parse::<i64>().map_err(|_| AppError::NotFound)?;
    let document = store::find_document(platform.pool(), &slug).await?.ok_or(AppError::NotFound)?;
    let versions = store::versions(platform.pool(), &document.id).await?;
    let id = versions.into_iter().find(|v| v.number == number).and_then(|v| v.file_id).ok_or(AppError::NotFound)?;
    let file = platform::files::find(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    platform::files::download(platform.storage(), &file).await.map_err(|e| AppError::Internal(e.into()))
}

/// Formats people ask for most; "Something else" takes the details.
const FORMATS: [(&str, &str); 6] = [
    ("large-print", "Large print"),
    ("braille", "Braille"),
    ("audio", "Audio recording"),
    ("easy-read", "Easy Read"),
    ("language", "Another language"),
    ("other", "Something else"),
];

/// Working days the office takes to reply to a request for another format (its own promise).
pub const FORMAT_REPLY_DAYS: u32 = 10;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FormatForm {
    name: String,
    email: String,
    format: String,
    details: String,
}

#[derive(Template)]
#[template(path = "transparency/another_format.html")]
struct FormatPage {
    chrome: Chrome,
    document: Document,
    form: FormatForm,
    errors: FormErrors,
}

impl FormatPage {
    fn name(&self) -> TextInput<'_> {
        TextInput::new("name", "Your name", &self.form.name, &self.errors).autocomplete("name")
    }
    fn email(&self) -> TextInput<'_> {
        TextInput::new("email", "Email address", &self.form.email, &self.errors)
            .input_type("email")
            .autocomplete("email")
            .no_spellcheck()
            .hint("We will reply to this address")
    }
    fn format(&self) -> Select<'_> {
        let mut options = vec![platform::web::forms::Choice::new("", "Choose a format")];
        options.extend(platform::web::forms::Choice::each(&FORMATS));
        Select::new("format", "Format you need", options, &self.form.format, &self.errors)
    }
    fn details(&self) -> Textarea<'_> {
        Textarea::new("details", "Anything else we should know (optional)", &self.form.details, &self.errors)
            .rows(3)
            .hint("For another language, say which. For something else, say what would help.")
    }
}

#[derive(Template)]
#[template(path = "transparency/format_sent.html")]
struct FormatSent {
    chrome: Chrome,
    reference: String,
    email: String,
    reply_by: Date,
    document: Document,
}

async fn format_form(PageRequest { platform, chrome }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    let document = store::find_document(platform.pool(), &slug).await?.ok_or(AppError::NotFound)?;
    render(&FormatPage { chrome, document, form: FormatForm::default(), errors: FormErrors::new() })
}

async fn ask_format(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Path(slug): Path<String>,
    Form(form): Form<FormatForm>,
) -> Result<Response, AppError> {
    let document = store::find_document(platform.pool(), &slug).await?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    let name = platform::web::forms::required_text(&mut errors, "name", &form.name, "Enter your name", 200);
    let email = form.email.trim().to_lowercase();
    if !platform::contact::is_email(&email) {
        errors.add("email", "Enter an email address in the correct format, like name@example.com");
    }
    let format = FORMATS.iter().find(|(k, _)| *k == form.format).map(|(_, words)| *words);
    if format.is_none() {
        errors.add("format", "Choose the format you need");
    }
    if form.details.chars().count() > 2_000 {
        errors.add("details", "Anything else must be 2,000 characters or fewer");
    }
    if matches!(form.format.as_str(), "language" | "other") && form.details.trim().is_empty() {
        errors.add("details", "Tell us which language or what would help");
    }
    let Some(format) = format.filter(|_| errors.is_empty()) else {
        return platform::web::refused(&FormatPage { chrome: chrome.with_errors(true), document, form, errors });
    };
    let now = OffsetDateTime::now_utc();
    let today = platform::calendar::uk_local_date(now);
    let calendar = platform::calendar::store::for_nation(platform.pool(), platform::calendar::Nation::EnglandAndWales).await?;
    let reply_by = platform::calendar::add_working_days(today, FORMAT_REPLY_DAYS, &calendar);
    let new = store::NewFormatRequest {
        document_id: &document.id,
        name: &name,
        email: &email,
        format,
        details: form.details.trim(),
        received_on: today,
        reply_by,
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    let reference = store::add_format_request(&mut tx, &new, &Actor::public(viewer.address()), now).await?;
    let office = chrome.office.clone();
    let to_them = platform::mail::Email::from_paragraphs(
        &email,
        &format!("Your request for another format: {reference}"),
        &[
            format!("We have your request for “{}” as {}. Your reference is {reference}.", document.title, format.to_lowercase()),
            format!("We will reply by {}.", platform::calendar::long_date(reply_by)),
        ],
    );
    platform::mail::enqueue(&mut tx, platform.settings(), &to_them).await?;
    if !office.email.is_empty() {
        let to_office = platform::mail::Email::from_paragraphs(
            &office.email,
            &format!("Request for another format: {reference}"),
            &[
                format!("{name} asks for “{}” as {}.", document.title, format.to_lowercase()),
                format!("Details: {}", if form.details.trim().is_empty() { "none given" } else { form.details.trim() }),
                format!(
                    "Reply by {}: {}/staff/transparency/format-requests",
                    platform::calendar::long_date(reply_by),
                    base(&platform)
                ),
            ],
        );
        platform::mail::enqueue(&mut tx, platform.settings(), &to_office).await?;
    }
    tx.commit().await?;
    render(&FormatSent { chrome, reference, email, reply_by, document })
}

// ---------------------------------------------------------------------------------------------
// Files

/// A CSV with a header row; every field quoted and defused against formulas.
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = header.join(",");
    out.push('\n');
    for row in rows {
        out.push_str(&row.iter().map(|v| csv_field(v)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

fn json_file(value: Value) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], value.to_string()).into_response()
}
