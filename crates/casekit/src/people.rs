//! Everything held about one person, across every registered service, for a subject access
//! request (UK GDPR Article 15): staff search by name, email address, postcode or reference,
//! see each record found and what it matched on, and download them all as JSON or PDF. Every
//! search and download is recorded in the audit log with the references found (never with the
//! details searched for, so the log does not become a second copy of them).

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::db::Pool;
use platform::postcode::Postcode;
use platform::web::forms::{FormErrors, TextInput};
use platform::web::{StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::registry::Services;

/// Who may search across every service: the person answering subject access requests needs to
/// see everything held; an administrator oversees them.
pub const SEARCHERS: &[Role] = &[Role::Administrator, Role::TransparencyOfficer];

/// What staff are looking for. Empty parts match nothing; a record matches when any given part
/// does, and says which. Matching is done here rather than in SQL, so a name like "Siân" matches
/// "SIÂN" on SQLite too (its LOWER folds ASCII only); services read the few identifying columns
/// of every case, which is quick at an office's volumes, and the full record only of a match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonQuery {
    /// Lower case; matched anywhere in a name held.
    pub name: Option<String>,
    /// Lower case; matched exactly.
    pub email: Option<String>,
    pub postcode: Option<Postcode>,
    /// Upper case; matched exactly.
    pub reference: Option<String>,
}

impl PersonQuery {
    pub fn is_empty(&self) -> bool {
        self.name.is_none() && self.email.is_none() && self.postcode.is_none() && self.reference.is_none()
    }

    /// What a record matched on, or nothing when it matched no part of the query (a search
    /// passes it by).
    pub fn matches(&self, held: &Held<'_>) -> Option<Vec<&'static str>> {
        Some(self.matched_on(held)).filter(|on| !on.is_empty())
    }

    /// Which parts of the query a record's details match.
    pub fn matched_on(&self, held: &Held<'_>) -> Vec<&'static str> {
        let mut on = Vec::new();
        if let Some(name) = &self.name
            && held.names.iter().flatten().any(|n| n.to_lowercase().contains(name.as_str()))
        {
            on.push("name");
        }
        if let Some(email) = &self.email
            && held.emails.iter().flatten().any(|e| e.trim().to_lowercase() == *email)
        {
            on.push("email address");
        }
        if let Some(postcode) = &self.postcode
            && held.postcodes.iter().flatten().any(|p| Postcode::parse(p).ok().as_ref() == Some(postcode))
        {
            on.push("postcode");
        }
        if let Some(wanted) = self.reference.as_deref() {
            let theirs = std::iter::once(Some(held.reference)).chain(held.other_references.iter().copied());
            if theirs.flatten().any(|r| r.trim().eq_ignore_ascii_case(wanted)) {
                on.push("reference");
            }
        }
        on
    }
}

/// The identifying details of one record, for [`PersonQuery::matched_on`].
pub struct Held<'a> {
    pub reference: &'a str,
    /// Other references the record is known by (the force's for a complaint).
    pub other_references: Vec<Option<&'a str>>,
    pub names: Vec<Option<&'a str>>,
    pub emails: Vec<Option<&'a str>>,
    pub postcodes: Vec<Option<&'a str>>,
}

impl<'a> Held<'a> {
    /// A record of one person: a name, an email address and a postcode, any of them perhaps not held.
    pub fn one(reference: &'a str, name: Option<&'a str>, email: Option<&'a str>, postcode: Option<&'a str>) -> Self {
        Held { reference, other_references: Vec::new(), names: vec![name], emails: vec![email], postcodes: vec![postcode] }
    }

    /// The record is known by another reference too.
    pub fn also_referenced(mut self, reference: Option<&'a str>) -> Self {
        self.other_references.push(reference);
        self
    }

    /// The record names another person too (a victim, a representative).
    pub fn also_named(mut self, name: Option<&'a str>) -> Self {
        self.names.push(name);
        self
    }
}

/// One record a service holds about a person.
#[derive(Debug, Clone, Serialize)]
pub struct HeldRecord {
    /// The service, as staff lists name it.
    pub service: &'static str,
    /// What the record is ("Application", "Appeal").
    pub what: &'static str,
    pub reference: String,
    pub received_on: String,
    /// The name held, as it is held.
    pub name: String,
    pub matched_on: Vec<&'static str>,
    /// The record's staff page.
    #[serde(skip)]
    pub path: String,
    /// True once its personal details were removed at the end of the retention period.
    pub anonymised: bool,
    /// Everything held, for the download.
    pub details: Value,
}

/// The names of the files a record holds, for an export (the files themselves are downloaded
/// from the record's page).
pub async fn file_names(pool: &Pool, owner_type: &str, owner_id: &str) -> Result<Vec<String>, sqlx::Error> {
    Ok(platform::files::files_of(pool, owner_type, owner_id).await?.into_iter().map(|f| f.original_name).collect())
}

/// Every record of every registered service that matches, in service order then by date.
pub async fn find(services: &Services, pool: &Pool, query: &PersonQuery) -> Result<Vec<HeldRecord>, sqlx::Error> {
    if query.is_empty() {
        return Ok(Vec::new());
    }
    let mut found = Vec::new();
    for service in services.iter() {
        let mut records = service.find_person(pool, query).await?;
        records.retain(|r| !r.matched_on.is_empty());
        // Notes and contacts are kept by the kit for every service, so it adds them itself.
        for record in &mut records {
            let notes = crate::notes::of_reference(pool, &record.reference).await?;
            if let (false, Value::Object(details)) = (notes.is_empty(), &mut record.details) {
                details.insert("notes and contacts".into(), serde_json::to_value(&notes).unwrap_or_default());
            }
        }
        records.sort_by(|a, b| (&a.received_on, &a.reference).cmp(&(&b.received_on, &b.reference)));
        found.extend(records);
    }
    Ok(found)
}

pub fn routes(services: &Services) -> Routes {
    let (for_page, for_json, for_pdf) = (services.clone(), services.clone(), services.clone());
    Routes::new()
        .route("/staff/people", Access::Roles(SEARCHERS), get(move |staff_page, query| page(for_page.clone(), staff_page, query)))
        .route(
            "/staff/people/export.json",
            Access::Roles(SEARCHERS),
            get(move |state, staff, query| export(for_json.clone(), Format::Json, state, staff, query)),
        )
        .route(
            "/staff/people/export.pdf",
            Access::Roles(SEARCHERS),
            get(move |state, staff, query| export(for_pdf.clone(), Format::Pdf, state, staff, query)),
        )
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct SearchForm {
    name: String,
    email: String,
    postcode: String,
    reference: String,
}

impl SearchForm {
    fn is_blank(&self) -> bool {
        [&self.name, &self.email, &self.postcode, &self.reference].iter().all(|v| v.trim().is_empty())
    }

    /// The query, or what is wrong with the form.
    fn query(&self) -> Result<PersonQuery, FormErrors> {
        let mut errors = FormErrors::new();
        let present = |v: &str| Some(v.trim()).filter(|v| !v.is_empty()).map(str::to_string);
        let name = present(&self.name).map(|n| n.to_lowercase());
        if name.as_ref().is_some_and(|n| n.chars().count() < 2) {
            errors.add("name", "Enter at least 2 letters of the name");
        }
        let email = present(&self.email).map(|e| e.to_lowercase());
        if email.as_ref().is_some_and(|e| !platform::contact::is_email(e)) {
            errors.add("email", "Enter an email address in the correct format, like name@example.com");
        }
        let postcode = match present(&self.postcode).map(|p| Postcode::parse(&p)) {
            Some(Err(message)) => {
                errors.add("postcode", message);
                None
            }
            Some(Ok(p)) => Some(p),
            None => None,
        };
        let reference = present(&self.reference).map(|r| r.to_uppercase());
        if self.is_blank() {
            errors.add("name", "Enter a name, email address, postcode or reference");
        }
        if errors.is_empty() { Ok(PersonQuery { name, email, postcode, reference }) } else { Err(errors) }
    }

    fn query_string(&self) -> String {
        [("name", &self.name), ("email", &self.email), ("postcode", &self.postcode), ("reference", &self.reference)]
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v.trim(), NON_ALPHANUMERIC)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(Template)]
#[template(path = "people/search.html")]
struct SearchPage {
    chrome: Chrome,
    form: SearchForm,
    errors: FormErrors,
    /// `None` before a search.
    found: Option<Vec<HeldRecord>>,
    services: Vec<&'static str>,
    query_string: String,
}

impl SearchPage {
    fn name_input(&self) -> TextInput<'_> {
        TextInput::new("name", "Name", &self.form.name, &self.errors)
            .hint("Part of a name is enough; names are matched wherever they are held (applicant, victim, requester).")
            .no_spellcheck()
    }
    fn email_input(&self) -> TextInput<'_> {
        TextInput::new("email", "Email address", &self.form.email, &self.errors).input_type("email").no_spellcheck()
    }
    fn postcode_input(&self) -> TextInput<'_> {
        TextInput::new("postcode", "Postcode", &self.form.postcode, &self.errors).width("govuk-input--width-10")
    }
    fn received(&self, record: &HeldRecord) -> String {
        platform::db::parse_date(&record.received_on)
            .map(platform::calendar::long_date)
            .unwrap_or_else(|| record.received_on.clone())
    }
    fn reference_input(&self) -> TextInput<'_> {
        TextInput::new("reference", "Reference", &self.form.reference, &self.errors)
            .width("govuk-input--width-20")
            .no_spellcheck()
    }
}

async fn page(
    services: Services,
    StaffPage { platform, chrome, staff }: StaffPage,
    Query(form): Query<SearchForm>,
) -> Result<Response, AppError> {
    let names = services.iter().map(|s| s.name()).collect();
    if form.is_blank() {
        let page =
            SearchPage { chrome, form, errors: FormErrors::new(), found: None, services: names, query_string: String::new() };
        return render(&page);
    }
    let query = match form.query() {
        Ok(query) => query,
        Err(errors) => {
            let page = SearchPage {
                chrome: chrome.with_errors(true),
                form,
                errors,
                found: None,
                services: names,
                query_string: String::new(),
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
        }
    };
    let found = find(&services, platform.pool(), &query).await?;
    audit_search(platform.pool(), &staff, "searched for a person", &query, &found).await?;
    let query_string = form.query_string();
    render(&SearchPage { chrome, form, errors: FormErrors::new(), found: Some(found), services: names, query_string })
}

async fn audit_search(
    pool: &Pool,
    staff: &CurrentStaff,
    action: &str,
    query: &PersonQuery,
    found: &[HeldRecord],
) -> Result<(), sqlx::Error> {
    let by: Vec<&str> = [
        query.name.as_ref().map(|_| "name"),
        query.email.as_ref().map(|_| "email address"),
        query.postcode.as_ref().map(|_| "postcode"),
        query.reference.as_ref().map(|_| "reference"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let references: Vec<&str> = found.iter().map(|r| r.reference.as_str()).collect();
    let detail = format!("by {}; {} records: {}", by.join(", "), found.len(), references.join(", "));
    let event = Event { action, record_type: "person", record_id: "-", detail: &detail };
    audit::record_now(pool, &staff.actor(), event).await.map(|_| ())
}

#[derive(Debug, Clone, Copy)]
enum Format {
    Json,
    Pdf,
}

async fn export(
    services: Services,
    format: Format,
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Query(form): Query<SearchForm>,
) -> Result<Response, AppError> {
    let query = form.query().map_err(|_| AppError::NotFound)?;
    let found = find(&services, platform.pool(), &query).await?;
    audit_search(platform.pool(), &staff, "exported for subject access", &query, &found).await?;
    let (bytes, content_type, name) = match format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&serde_json::json!({ "records": found }))
                .map_err(|e| AppError::Internal(e.into()))?;
            (text.into_bytes(), "application/json; charset=utf-8", "subject-access.json")
        }
        Format::Pdf => (pdf(&found, platform.office().await?.name).await?, "application/pdf", "subject-access.pdf"),
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(response)
}

/// The records as a document: one section per record, each detail on a line of its own.
async fn pdf(found: &[HeldRecord], office: String) -> Result<Vec<u8>, AppError> {
    let mut paragraphs = vec![format!("{} records found.", found.len())];
    for record in found {
        paragraphs.push(format!("{}: {} {} (received {})", record.service, record.what, record.reference, record.received_on));
        let mut lines = Vec::new();
        flatten("", &record.details, &mut lines);
        paragraphs.push(lines.join("\n"));
    }
    publishing::letter_off_thread("Subject access: records held".into(), "Records held about a person".into(), office, paragraphs)
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// `details` as "path: value" lines, nested objects and lists included.
fn flatten(prefix: &str, value: &Value, lines: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let path =
                    if prefix.is_empty() { key.replace('_', " ") } else { format!("{prefix} › {}", key.replace('_', " ")) };
                flatten(&path, inner, lines);
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                flatten(&format!("{prefix} {}", index + 1), inner, lines);
            }
        }
        Value::Null => {}
        Value::String(text) => lines.push(format!("{prefix}: {text}")),
        other => lines.push(format!("{prefix}: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held<'a>(
        reference: &'a str,
        names: &'a [Option<&'a str>],
        emails: &'a [Option<&'a str>],
        postcodes: &'a [Option<&'a str>],
    ) -> Held<'a> {
        Held {
            reference,
            other_references: Vec::new(),
            names: names.to_vec(),
            emails: emails.to_vec(),
            postcodes: postcodes.to_vec(),
        }
    }

    #[test]
    fn a_record_says_which_parts_of_the_query_it_matched() {
        let form = SearchForm {
            name: " Siân ".into(),
            email: "Sian@Example.com".into(),
            postcode: "st162dj".into(),
            reference: String::new(),
        };
        let query = form.query().expect("valid");
        let names = [Some("Dr SIÂN Ŵyn"), None];
        let emails = [Some("sian@example.com ")];
        let postcodes = [Some("ST16 2DJ")];
        assert_eq!(
            query.matched_on(&held("ASB-2026-000001", &names, &emails, &postcodes)),
            vec!["name", "email address", "postcode"]
        );
        let other = [Some("Sam Jones")];
        let none: [Option<&str>; 1] = [None];
        assert!(query.matched_on(&held("ASB-2026-000002", &other, &none, &none)).is_empty());
        assert_eq!(query.matches(&held("ASB-2026-000002", &other, &none, &none)), None);
        let one = Held::one("ASB-2026-000003", Some("Sam Jones"), None, Some("st16 2dj")).also_named(Some("Siân Ŵyn"));
        assert_eq!(query.matches(&one), Some(vec!["name", "postcode"]));
        let by_reference = PersonQuery { reference: Some("ASB-2026-000002".into()), ..PersonQuery::default() };
        assert_eq!(by_reference.matched_on(&held("asb-2026-000002", &other, &none, &none)), vec!["reference"]);
    }

    #[test]
    fn a_blank_or_malformed_search_says_what_to_fix() {
        let blank = SearchForm::default().query().expect_err("blank");
        assert_eq!(blank.for_field("name"), Some("Enter a name, email address, postcode or reference"));
        let bad =
            SearchForm { name: "a".into(), email: "not an email".into(), postcode: "nowhere".into(), ..SearchForm::default() };
        let errors = bad.query().expect_err("malformed");
        assert!(
            errors.for_field("name").is_some() && errors.for_field("email").is_some() && errors.for_field("postcode").is_some()
        );
    }

    #[test]
    fn the_download_lists_every_detail_held() {
        let details = serde_json::json!({ "applicant_name": "Siân", "incidents": [{ "description": "Noise" }], "email": null });
        let mut lines = Vec::new();
        flatten("", &details, &mut lines);
        assert_eq!(lines, vec!["applicant name: Siân".to_string(), "incidents 1 › description: Noise".to_string()]);
    }
}
