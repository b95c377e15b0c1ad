//! The office's pages: loading a catalogue of measures, importing open data with a preview that
//! names every bad row, choosing most similar groups, and linking measures to plan commitments.
//! Handlers extract, call, render; the rules are in `model`, `datasets`, `figures`.

use askama::Template;
use axum::extract::{Path, Request};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use futures_util::TryStreamExt;
use platform::access::{Access, Routes};
use platform::auth::CurrentStaff;
use platform::web::forms::{Choice, Choices, FormErrors, Select, TextInput, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::MANAGERS;
use crate::datasets::{self, Read};
use crate::model::{Dataset, Service};
use crate::store::{self, Import, Measure, NewCatalogue, Summary};

pub fn routes() -> Routes {
    let m = Access::Roles(MANAGERS);
    Routes::new()
        .route("/staff/performance", m, get(home))
        .route("/staff/performance/catalogues", m, post(load_catalogue))
        .route("/staff/performance/imports", m, post(upload).layer(axum::extract::DefaultBodyLimit::disable()))
        .route("/staff/performance/imports/{import}", m, get(preview).post(apply))
        .route("/staff/performance/imports/{import}/discard", m, post(discard))
        .route("/staff/performance/police-uk", m, post(take_police_uk))
        .route("/staff/performance/residents", m, post(load_residents))
        .route("/staff/performance/groups/{service}", m, get(group_page).post(set_group))
        .route("/staff/performance/measures/{key}", m, get(measure_page).post(link))
}

/// The biggest open data file the office may upload (a year of crime outcomes is about 40 MB).
const MAX_IMPORT_BYTES: u64 = 100 * 1024 * 1024;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CatalogueForm {
    name: String,
    source: String,
    reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ImportForm {
    dataset: String,
    vintage: String,
}

#[derive(Template)]
#[template(path = "performance/staff_home.html")]
struct HomePage {
    chrome: Chrome,
    measures: Vec<Measure>,
    catalogues: Vec<store::Catalogue>,
    imports: Vec<Import>,
    catalogue: CatalogueForm,
    import: ImportForm,
    errors: FormErrors,
    done: String,
}

const DATASET_CHOICES: [(&str, &str); 6] = [
    ("prc", "Police recorded crime by police force area (Home Office, ODS)"),
    ("outcomes", "Crime outcomes by police force area (Home Office, XLSX)"),
    ("workforce", "Police workforce (Home Office, ODS)"),
    ("fire-incidents", "Fire statistics FIRE0102: incidents attended (XLSX)"),
    ("fire-response", "Fire statistics FIRE1001: response times (XLSX)"),
    ("fire-prevention", "Fire statistics FIRE12xx: prevention and protection (XLSX)"),
];

impl HomePage {
    fn catalogue_name(&self) -> TextInput<'_> {
        TextInput::new("name", "Name of the catalogue", &self.catalogue.name, &self.errors)
            .hint("For example, Police Performance Framework or Local measures. Loading a catalogue of the same name again makes its next version.")
    }
    fn catalogue_source(&self) -> TextInput<'_> {
        TextInput::new("source", "Where the list comes from", &self.catalogue.source, &self.errors)
    }
    fn catalogue_reason(&self) -> Textarea<'_> {
        Textarea::new("reason", "Why measures are withdrawn or redefined in this version", &self.catalogue.reason, &self.errors)
            .hint("Shown beside each measure this version withdraws or redefines. Leave empty for a first version.")
            .rows(2)
    }
    fn catalogue_file(&self) -> platform::web::forms::FileUpload<'_> {
        platform::web::forms::FileUpload::new("catalogue-file", "Upload the catalogue", &self.errors)
            .hint("A CSV, XLSX or ODS file with the columns Key, Name, Definition, Service, Theme, Unit, Polarity, Frequency, Source, Owner, Baseline from, Baseline to, Target, Expected range, Quality note and Recipe")
    }
    fn residents_file(&self) -> platform::web::forms::FileUpload<'_> {
        platform::web::forms::FileUpload::new("residents-file", "Upload residents", &self.errors)
            .hint("A CSV, XLSX or ODS file with the columns Area, Year, Residents and Source; each area's latest year is used for rates")
    }
    fn dataset(&self) -> Select<'_> {
        Select::new("dataset", "Which table", Choice::each(&DATASET_CHOICES), &self.import.dataset, &self.errors)
    }
    fn vintage(&self) -> TextInput<'_> {
        TextInput::new("vintage", "Which release it is", &self.import.vintage, &self.errors).hint(
            "As the publisher names it, for example Home Office, 24 July 2025. It is shown beside every figure from this file.",
        )
    }
    fn file(&self) -> platform::web::forms::FileUpload<'_> {
        platform::web::forms::FileUpload::new("file", "Upload the table", &self.errors)
            .hint("A CSV, XLSX or ODS file, smaller than 100 MB")
    }
    fn done_words(&self) -> String {
        match self.done.split_once(':') {
            Some(("catalogue", words)) => format!("Catalogue loaded: {words}"),
            Some(("applied", words)) => format!("Import applied: {words}"),
            Some(("discarded", _)) => "Import discarded".into(),
            Some(("group", _)) => "Most similar group saved".into(),
            Some(("residents", words)) => format!("Residents loaded for {words}"),
            Some(("linked", _)) => "Plan commitments saved".into(),
            _ => String::new(),
        }
    }
    fn dataset_name(&self, slug: &str) -> &'static str {
        Dataset::from_slug(slug).map(Dataset::name).unwrap_or("Unknown table")
    }
    fn when(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DoneQuery {
    done: String,
}

async fn home_page(
    platform: &Platform,
    chrome: Chrome,
    (catalogue, import): (CatalogueForm, ImportForm),
    errors: FormErrors,
    done: String,
) -> Result<Response, AppError> {
    let page = HomePage {
        chrome: chrome.with_errors(!errors.is_empty()),
        measures: store::active_measures(platform.pool()).await?,
        catalogues: store::catalogues(platform.pool()).await?,
        imports: store::imports(platform.pool()).await?,
        catalogue,
        import,
        done,
        errors,
    };
    if page.errors.is_empty() { render(&page) } else { platform::web::refused(&page) }
}

async fn home(
    StaffPage { platform, chrome, .. }: StaffPage,
    axum::extract::Query(query): axum::extract::Query<DoneQuery>,
) -> Result<Response, AppError> {
    home_page(&platform, chrome, Default::default(), FormErrors::new(), query.done).await
}

fn done(said: &str) -> Response {
    let said = percent_encoding::utf8_percent_encode(said, percent_encoding::NON_ALPHANUMERIC);
    Redirect::to(&format!("/staff/performance?done={said}")).into_response()
}

fn spreadsheet_rules(platform: &Platform, max_bytes: u64) -> platform::files::UploadRules {
    platform::files::UploadRules {
        max_bytes,
        max_files: 1,
        allowed: platform::spreadsheet::UPLOAD_TYPES,
        described_as: "a CSV, XLSX or ODS spreadsheet",
        max_text_bytes: platform.settings().form_body_limit_bytes,
        max_fields: 6,
    }
}

async fn load_catalogue(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    request: Request,
) -> Result<Response, AppError> {
    let (form, uploads, mut errors): (CatalogueForm, _, _) =
        platform::web::read_form_with_files(&platform, request, spreadsheet_rules(&platform, 5 * 1024 * 1024), "catalogue-file")
            .await?;
    let name = form.name.trim().to_string();
    let slug = platform::slugs::of_title(&name);
    if slug.is_empty() {
        errors.add("name", "Enter the catalogue’s name");
    }
    if form.source.chars().count() > 500 || form.reason.chars().count() > 2_000 {
        errors.add("reason", "The source must be 500 characters or fewer and the reason 2,000 or fewer");
    }
    let upload = uploads.into_iter().next();
    if upload.is_none() && errors.for_field("catalogue-file").is_none() {
        errors.add("catalogue-file", "Select the catalogue’s file");
    }
    let read = match upload {
        Some(upload) if errors.is_empty() => {
            let bytes = tokio::fs::read(upload.path()).await.map_err(|e| AppError::Internal(e.into()))?;
            let rows = platform::spreadsheet::first_sheet(&bytes, &upload.original_name, 2_000);
            match rows.map_err(|e| e.to_string()).and_then(|rows| crate::model::read_catalogue(&rows)) {
                Ok((definitions, problems)) if problems.is_empty() && !definitions.is_empty() => Some(definitions),
                Ok((definitions, problems)) => {
                    if !problems.is_empty() {
                        let listed: Vec<String> =
                            problems.iter().take(20).map(|p| format!("Row {}: {}", p.line, p.message)).collect();
                        let more = problems.len().saturating_sub(20);
                        let tail = if more > 0 { format!("; and {more} more rows") } else { String::new() };
                        errors.add("catalogue-file", format!("The catalogue was not loaded. {}{tail}", listed.join("; ")));
                    }
                    if definitions.is_empty() && problems.is_empty() {
                        errors.add("catalogue-file", "The file has no measures in it");
                    }
                    None
                }
                Err(why) => {
                    errors.add("catalogue-file", why);
                    None
                }
            }
        }
        _ => None,
    };
    let Some(definitions) = read else {
        return home_page(&platform, chrome, (form, ImportForm::default()), errors, String::new()).await;
    };
    let reason = if form.reason.trim().is_empty() { "Not in this version of the catalogue" } else { form.reason.trim() };
    let new = NewCatalogue {
        slug: &slug,
        name: &name,
        source: form.source.trim(),
        effective_on: platform::calendar::uk_today(),
        reason,
    };
    let loaded = store::load_catalogue(platform.pool(), &new, &definitions, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(done(&format!(
        "catalogue:version {}, {} added, {} redefined, {} reworded, {} withdrawn",
        loaded.version,
        loaded.added.len(),
        loaded.redefined.len(),
        loaded.reworded.len(),
        loaded.withdrawn.len()
    )))
}

/// Reads a table on a blocking thread (a big workbook takes seconds).
pub async fn read_table(dataset: Dataset, bytes: Vec<u8>, name: String) -> Result<Result<Read, datasets::Refused>, AppError> {
    tokio::task::spawn_blocking(move || datasets::read(dataset, &bytes, &name)).await.map_err(|e| AppError::Internal(e.into()))
}

async fn upload(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    request: Request,
) -> Result<Response, AppError> {
    let (form, uploads, mut errors): (ImportForm, _, _) =
        platform::web::read_form_with_files(&platform, request, spreadsheet_rules(&platform, MAX_IMPORT_BYTES), "file").await?;
    let dataset = Dataset::from_slug(&form.dataset).filter(|d| Dataset::IMPORTED.contains(d));
    if dataset.is_none() {
        errors.add("dataset", "Choose which table the file is");
    }
    let vintage = form.vintage.trim().to_string();
    if vintage.is_empty() {
        errors.add("vintage", "Enter which release the file is, as the publisher names it");
    } else if vintage.chars().count() > 200 {
        errors.add("vintage", "The release must be 200 characters or fewer");
    }
    let upload = uploads.into_iter().next();
    if upload.is_none() && errors.for_field("file").is_none() {
        errors.add("file", "Select the table’s file");
    }
    let (Some(dataset), Some(upload)) = (dataset, upload) else {
        return home_page(&platform, chrome, (CatalogueForm::default(), form), errors, String::new()).await;
    };
    if !errors.is_empty() {
        return home_page(&platform, chrome, (CatalogueForm::default(), form), errors, String::new()).await;
    }
    let bytes = tokio::fs::read(upload.path()).await.map_err(|e| AppError::Internal(e.into()))?;
    let read = match read_table(dataset, bytes, upload.original_name.clone()).await? {
        Ok(read) => read,
        Err(refusal) => {
            errors.add("file", refusal.to_string());
            return home_page(&platform, chrome, (CatalogueForm::default(), form), errors, String::new()).await;
        }
    };
    // The file is kept: the preview's confirm reads it again, and nothing the office sent is lost.
    platform.storage().persist(&upload).await.map_err(|e| AppError::Internal(e.into()))?;
    let now = OffsetDateTime::now_utc();
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    let id = store::hold_import(
        &mut tx,
        dataset,
        (&upload.original_name, &upload.sha256),
        &vintage,
        &Summary::of(&read),
        &staff.actor(),
        now,
    )
    .await?;
    platform::files::record(&mut tx, &upload, "performance-import", &id, now).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/performance/imports/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "performance/staff_preview.html")]
struct PreviewPage {
    chrome: Chrome,
    import: Import,
    summary: Summary,
    changes: Option<store::Changes>,
    errors: FormErrors,
}

impl PreviewPage {
    fn dataset_name(&self) -> &'static str {
        self.import.dataset().map(Dataset::name).unwrap_or("Unknown table")
    }
    fn period(&self, slug: &str) -> String {
        platform::periods::Period::from_slug(slug).map(platform::periods::Period::label).unwrap_or_else(|| slug.to_string())
    }
    fn number(&self, n: usize) -> String {
        platform::format::count(n as i64)
    }
    /// Each body or total set aside, with how many rows, in words.
    fn set_aside(&self) -> Vec<String> {
        self.summary
            .set_aside
            .iter()
            .map(|(name, rows)| {
                format!("{name}: {} {}", platform::format::count(*rows as i64), if *rows == 1 { "row" } else { "rows" })
            })
            .collect()
    }
    fn value(&self, v: &f64) -> String {
        platform::format::decimal(*v, 1)
    }
    fn new_value(&self, v: &Option<f64>) -> String {
        v.map(|v| platform::format::decimal(v, 1)).unwrap_or_else(|| "no longer given".into())
    }
}

async fn import_of(platform: &Platform, id: &str) -> Result<Import, AppError> {
    if !platform::slugs::is_slug(id) {
        return Err(AppError::NotFound);
    }
    store::find_import(platform.pool(), id).await?.ok_or(AppError::NotFound)
}

async fn preview(StaffPage { platform, chrome, .. }: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    let import = import_of(&platform, &id).await?;
    let summary = import.summary();
    let changes = import.changes();
    render(&PreviewPage { chrome, import, summary, changes, errors: FormErrors::new() })
}

/// The kept file of an import, read back from storage.
async fn kept_file(platform: &Platform, import: &Import) -> Result<Vec<u8>, AppError> {
    let stream = platform.storage().read(&import.file_sha256).await.map_err(|e| AppError::Internal(e.into()))?;
    let chunks: Vec<bytes::Bytes> = stream.try_collect().await.map_err(|e| AppError::Internal(e.into()))?;
    Ok(chunks.concat())
}

async fn apply(StaffPage { platform, chrome, staff }: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    let import = import_of(&platform, &id).await?;
    let dataset = import.dataset().ok_or(AppError::NotFound)?;
    let refuse = |why: String, import: Import| {
        let mut errors = FormErrors::new();
        errors.add("confirm", why);
        let summary = import.summary();
        let changes = import.changes();
        platform::web::refused(&PreviewPage { chrome: chrome.clone().with_errors(true), import, summary, changes, errors })
    };
    if import.state != "held" {
        let why = if import.state == "applied" { store::ApplyError::AlreadyApplied } else { store::ApplyError::Discarded };
        return refuse(why.to_string(), import);
    }
    let bytes = kept_file(&platform, &import).await?;
    let read = match read_table(dataset, bytes, import.file_name.clone()).await? {
        Ok(read) => read,
        Err(refusal) => return refuse(refusal.to_string(), import),
    };
    match store::apply_import(platform.pool(), &import, &read, &staff.actor(), OffsetDateTime::now_utc()).await {
        Ok(changes) => Ok(done(&format!(
            "applied:{} added, {} changed, {} removed since the previous release",
            changes.added, changes.changed, changes.removed
        ))),
        Err(store::ApplyError::Database(e)) => Err(e.into()),
        Err(refusal) => refuse(refusal.to_string(), import),
    }
}

async fn discard(StaffPage { platform, staff, .. }: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    let import = import_of(&platform, &id).await?;
    store::discard_import(platform.pool(), &import.id, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(done("discarded:"))
}

/// Reads residents from rows of cells: Area (a force or fire authority, by name or code), Year,
/// Residents, and optionally Source. Every row is residents or a problem naming its row.
pub fn read_residents(rows: &[Vec<String>]) -> Result<Vec<store::Residents>, Vec<String>> {
    use platform::spreadsheet::squash;
    let header: Vec<String> = rows.first().map(|r| r.iter().map(|h| squash(h)).collect()).unwrap_or_default();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (Some(area), Some(year), Some(residents)) = (column("area"), column("year"), column("residents")) else {
        return Err(vec![
            "The file needs a header row with the columns Area, Year and Residents (and Source if you like)".into(),
        ]);
    };
    let source = column("source");
    let mut read = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in rows.iter().enumerate().skip(1) {
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = i + 1;
        let cell = |c: usize| row.get(c).map(|v| v.trim()).unwrap_or("");
        let named = cell(area);
        let code = platform::areas::force_area_named(named).map(|a| a.slug.to_string()).or_else(|| {
            platform::areas::districts::fire_authority_named(named, named)
                .map(|f| if f.code.is_empty() { f.name } else { f.code })
        });
        let Some(code) = code else {
            problems.push(format!("Row {line}: “{named}” is not a police force area or fire and rescue authority"));
            continue;
        };
        let Some(year) = cell(year).parse::<i64>().ok().filter(|y| (1990..=2100).contains(y)) else {
            problems.push(format!("Row {line}: the year must be like 2024"));
            continue;
        };
        let Some(people) = cell(residents).replace(',', "").parse::<i64>().ok().filter(|n| *n > 0) else {
            problems.push(format!("Row {line}: residents must be a whole number above 0"));
            continue;
        };
        let said = source.map(cell).unwrap_or("").to_string();
        let source = if said.is_empty() { "residents loaded by the office".to_string() } else { said };
        read.push(store::Residents { area: code, year, residents: people, source });
    }
    if read.is_empty() && problems.is_empty() {
        problems.push("The file has no residents in it".into());
    }
    if problems.is_empty() { Ok(read) } else { Err(problems) }
}

async fn load_residents(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    request: Request,
) -> Result<Response, AppError> {
    let (_form, uploads, mut errors): (CatalogueForm, _, _) =
        platform::web::read_form_with_files(&platform, request, spreadsheet_rules(&platform, 1024 * 1024), "residents-file")
            .await?;
    let read = match uploads.into_iter().next() {
        Some(upload) if errors.is_empty() => {
            let bytes = tokio::fs::read(upload.path()).await.map_err(|e| AppError::Internal(e.into()))?;
            match platform::spreadsheet::first_sheet(&bytes, &upload.original_name, 1_000) {
                Ok(rows) => read_residents(&rows).map_err(|problems| problems.join("; ")),
                Err(why) => Err(why.to_string()),
            }
        }
        _ => Err("Select a file of residents".to_string()),
    };
    let rows = match read {
        Ok(rows) => rows,
        Err(why) => {
            if errors.is_empty() {
                errors.add("residents-file", format!("The residents were not loaded. {why}"));
            }
            return home_page(&platform, chrome, Default::default(), errors, String::new()).await;
        }
    };
    store::load_residents(platform.pool(), &rows, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(done(&format!("residents:{} areas", rows.len())))
}

async fn take_police_uk(StaffPage { platform, staff, .. }: StaffPage) -> Result<Response, AppError> {
    let changes = store::take_police_uk(platform.pool(), &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(done(&format!(
        "applied:{} added, {} changed, {} removed since the crime data engine was last taken",
        changes.added, changes.changed, changes.removed
    )))
}

// ---------------------------------------------------------------------------------------------
// Most similar groups

#[derive(Template)]
#[template(path = "performance/staff_group.html")]
struct GroupPage {
    chrome: Chrome,
    service: Service,
    area: String,
    candidates: Vec<(String, String)>,
    members: Vec<String>,
    source: String,
    errors: FormErrors,
}

impl GroupPage {
    fn members_field(&self) -> Choices<'_> {
        let items = self.candidates.iter().map(|(code, name)| Choice::new(code, name)).collect();
        Choices::checkboxes(
            "members",
            "Its most similar group",
            items,
            self.members.iter().map(String::as_str).collect(),
            &self.errors,
        )
        .hint("Choose up to 7. The group need not be symmetric: an area in this group may have a different group of its own.")
    }
    fn source_field(&self) -> TextInput<'_> {
        TextInput::new("source", "Where the group comes from", &self.source, &self.errors)
            .hint("For example, Home Office most similar groups, 2021. It is said beside every comparison.")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct GroupForm {
    members: Vec<String>,
    source: String,
}

/// The areas a service's group may draw from, other than the office's own.
fn candidates(service: Service, home: &str) -> Vec<(String, String)> {
    match service {
        Service::Police => platform::areas::FORCE_AREAS
            .iter()
            .filter(|a| a.slug != home)
            .map(|a| (a.slug.to_string(), a.name.to_string()))
            .collect(),
        Service::Fire => platform::areas::districts::fire_authorities()
            .into_iter()
            .filter(|f| !f.code.is_empty() && f.code != home)
            .map(|f| (f.code.clone(), f.name))
            .collect(),
    }
}

async fn group_context(platform: &Platform, service: &str) -> Result<(Service, String), AppError> {
    let service = Service::from_slug(service).ok_or(AppError::NotFound)?;
    let office = platform.office().await?;
    let home = crate::assemble::home_area(&office, service).ok_or(AppError::NotFound)?;
    Ok((service, home))
}

async fn group_page(StaffPage { platform, chrome, .. }: StaffPage, Path(service): Path<String>) -> Result<Response, AppError> {
    let (service, home) = group_context(&platform, &service).await?;
    let (members, source) = store::group_of(platform.pool(), &home).await?;
    let area = crate::assemble::area_name(&home);
    render(&GroupPage {
        chrome,
        service,
        candidates: candidates(service, &home),
        area,
        members,
        source,
        errors: FormErrors::new(),
    })
}

async fn set_group(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(service): Path<String>,
    Form(form): Form<GroupForm>,
) -> Result<Response, AppError> {
    let (service, home) = group_context(&platform, &service).await?;
    let options = candidates(service, &home);
    let mut errors = FormErrors::new();
    let members: Vec<String> = form.members.iter().filter(|m| options.iter().any(|(c, _)| c == *m)).cloned().collect();
    if members.is_empty() {
        errors.add("members", "Choose at least one area for the group");
    } else if members.len() > store::GROUP_SIZE {
        errors.add("members", "Choose 7 areas or fewer");
    }
    let source = form.source.trim().to_string();
    if source.is_empty() {
        errors.add("source", "Say where the group comes from");
    } else if source.chars().count() > 300 {
        errors.add("source", "Where the group comes from must be 300 characters or fewer");
    }
    if !errors.is_empty() {
        let area = crate::assemble::area_name(&home);
        return platform::web::refused(&GroupPage {
            chrome: chrome.with_errors(true),
            service,
            candidates: options,
            area,
            members: form.members,
            source,
            errors,
        });
    }
    store::set_group(platform.pool(), &home, &members, &source, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(done("group:"))
}

// ---------------------------------------------------------------------------------------------
// A measure's links to plan commitments

#[derive(Template)]
#[template(path = "performance/staff_measure.html")]
struct MeasurePage {
    chrome: Chrome,
    measure: Measure,
    commitments: Vec<(String, String)>,
    linked: Vec<String>,
    errors: FormErrors,
}

impl MeasurePage {
    fn field(&self) -> Choices<'_> {
        let items = self.commitments.iter().map(|(id, words)| Choice::new(id, words)).collect();
        Choices::checkboxes(
            "commitments",
            "Plan commitments this measure evidences",
            items,
            self.linked.iter().map(String::as_str).collect(),
            &self.errors,
        )
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct LinkForm {
    commitments: Vec<String>,
}

async fn measure_of(platform: &Platform, key: &str) -> Result<Measure, AppError> {
    if !platform::slugs::is_slug(key) {
        return Err(AppError::NotFound);
    }
    store::versions(platform.pool(), key)
        .await?
        .into_iter()
        .find(|m| m.status == store::MeasureStatus::Active)
        .ok_or(AppError::NotFound)
}

/// Every public commitment, as (id, "Plan – priority: commitment").
async fn commitment_choices(platform: &Platform) -> Result<Vec<(String, String)>, AppError> {
    Ok(plans::store::commitment_refs(platform.pool())
        .await?
        .into_iter()
        .filter(|c| c.public == 1)
        .map(|c| (c.id, format!("{} – {}: {}", c.plan_title, c.priority, c.pledge)))
        .collect())
}

async fn measure_page(StaffPage { platform, chrome, .. }: StaffPage, Path(key): Path<String>) -> Result<Response, AppError> {
    let measure = measure_of(&platform, &key).await?;
    let linked = store::commitments_of(platform.pool(), &key).await?;
    let commitments = commitment_choices(&platform).await?;
    render(&MeasurePage { chrome, measure, commitments, linked, errors: FormErrors::new() })
}

async fn link(
    StaffPage { platform, staff, .. }: StaffPage,
    Path(key): Path<String>,
    Form(form): Form<LinkForm>,
) -> Result<Response, AppError> {
    let measure = measure_of(&platform, &key).await?;
    let known = commitment_choices(&platform).await?;
    let chosen: Vec<String> = form.commitments.into_iter().filter(|c| known.iter().any(|(id, _)| id == c)).collect();
    store::link_commitments(platform.pool(), measure.key(), &chosen, &staff.actor(), OffsetDateTime::now_utc()).await?;
    Ok(done("linked:"))
}
