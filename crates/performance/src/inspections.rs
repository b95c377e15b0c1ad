//! HMICFRS inspections of the force (PEEL) and the fire service as sourced records: programme,
//! grading scale, grades by question, the date and the report's address; and their causes of
//! concern, recommendations and areas for improvement, each tracked to completion with dated
//! updates from the office or the service. Grades on the four-point scale (to 2018/19) and the
//! five-point scale (from 2021/22) are never put side by side as if comparable.

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Role, Routes};
use platform::audit::{Actor, Event};
use platform::auth::CurrentStaff;
use platform::db::{self, Pool};
use platform::organisations::Kind;
use platform::web::forms::{Choice, FormErrors, Select, TextInput, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::MANAGERS;
use crate::model::Service;

/// Who records inspections and findings; partners add updates on their own service's findings.
pub const UPDATERS: &[Role] = &[Role::Administrator, Role::PerformanceOfficer, Role::Partner];

pub fn routes() -> Routes {
    let m = Access::Roles(MANAGERS);
    Routes::new()
        .route("/performance/inspections", Access::Public, get(public_list))
        .route("/staff/performance/inspections", Access::Roles(UPDATERS), get(staff_list))
        .route("/staff/performance/inspections/new", m, post(add_inspection))
        .route("/staff/performance/findings", m, post(add_finding))
        .route("/staff/performance/findings/{finding}", Access::Roles(UPDATERS), post(add_update))
}

/// A grading scale.
pub fn grades(scale: &str) -> &'static [&'static str] {
    match scale {
        "four" => &["Outstanding", "Good", "Requires improvement", "Inadequate"],
        "five" => &["Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate"],
        _ => &[],
    }
}

pub fn scale_words(scale: &str) -> &'static str {
    match scale {
        "four" => "Four grades (PEEL to 2018/19; fire and rescue inspections)",
        "five" => "Five grades (PEEL from 2021/22)",
        _ => "Not graded",
    }
}

/// Reads grades written one a line as "Question: Grade", checked against the scale.
pub fn read_grades(text: &str, scale: &str) -> Result<Vec<(String, String)>, String> {
    let allowed = grades(scale);
    let mut out = Vec::new();
    for (i, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let (question, grade) =
            line.rsplit_once(':').ok_or_else(|| format!("Line {}: write the question, a colon, then the grade", i + 1))?;
        let grade = allowed
            .iter()
            .find(|g| g.eq_ignore_ascii_case(grade.trim()))
            .ok_or_else(|| format!("Line {}: “{}” is not a grade on this scale ({})", i + 1, grade.trim(), allowed.join(", ")))?;
        out.push((question.trim().to_string(), grade.to_string()));
    }
    if !out.is_empty() && allowed.is_empty() {
        return Err("An inspection that is not graded has no grades".into());
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Inspection {
    pub id: String,
    pub service: String,
    pub programme: String,
    pub scale: String,
    pub published_on: String,
    pub report_url: String,
    pub grades: String,
}

impl Inspection {
    pub fn grade_list(&self) -> Vec<(String, String)> {
        serde_json::from_str(&self.grades).unwrap_or_default()
    }
    pub fn service_words(&self) -> &'static str {
        Service::from_slug(&self.service).map(Service::words).unwrap_or("")
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Finding {
    pub id: String,
    pub inspection_id: String,
    pub kind: String,
    pub reference: String,
    pub words: String,
    pub due_on: Option<String>,
    pub status: String,
    pub completed_on: Option<String>,
}

impl Finding {
    pub fn kind_words(&self) -> &'static str {
        match self.kind.as_str() {
            "cause-of-concern" => "Cause of concern",
            "recommendation" => "Recommendation",
            _ => "Area for improvement",
        }
    }
    pub fn status_words(&self) -> &'static str {
        status_words(&self.status)
    }
}

fn status_words(status: &str) -> &'static str {
    match status {
        "completed" => "Completed",
        "in-progress" => "In progress",
        _ => "Open",
    }
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Update {
    pub finding_id: String,
    pub words: String,
    pub status: String,
    pub written_by: String,
    pub written_at: String,
}

pub async fn inspections(pool: &Pool) -> Result<Vec<Inspection>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, service, programme, scale, published_on, report_url, grades FROM performance_inspection ORDER BY published_on DESC",
    )
    .fetch_all(pool)
    .await
}

pub async fn findings(pool: &Pool) -> Result<Vec<Finding>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, inspection_id, kind, reference, words, due_on, status, completed_on FROM performance_finding ORDER BY inspection_id, reference",
    )
    .fetch_all(pool)
    .await
}

pub async fn updates(pool: &Pool) -> Result<Vec<Update>, sqlx::Error> {
    sqlx::query_as("SELECT finding_id, words, status, written_by, written_at FROM performance_finding_update ORDER BY written_at")
        .fetch_all(pool)
        .await
}

/// A new inspection record.
pub struct NewInspection<'a> {
    pub service: Service,
    pub programme: &'a str,
    pub scale: &'a str,
    pub published_on: time::Date,
    pub report_url: &'a str,
    pub grades: &'a [(String, String)],
}

pub async fn add(
    conn: &mut sqlx::AnyConnection,
    new: &NewInspection<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO performance_inspection (id, service, programme, scale, published_on, report_url, grades, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(new.service.slug())
    .bind(new.programme.to_string())
    .bind(new.scale.to_string())
    .bind(db::date(new.published_on))
    .bind(new.report_url.to_string())
    .bind(serde_json::to_string(new.grades).unwrap_or_else(|_| "[]".into()))
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    crate::store::record(
        conn,
        actor,
        Event { action: "recorded", record_type: "inspection", record_id: &id, detail: new.programme },
        now,
    )
    .await?;
    Ok(id)
}

pub async fn add_finding_in(
    conn: &mut sqlx::AnyConnection,
    inspection: &str,
    (kind, reference, words): (&str, &str, &str),
    due_on: Option<time::Date>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO performance_finding (id, inspection_id, kind, reference, words, due_on, status) VALUES ($1, $2, $3, $4, $5, $6, 'open')",
    )
    .bind(&id)
    .bind(inspection.to_string())
    .bind(kind.to_string())
    .bind(reference.to_string())
    .bind(words.to_string())
    .bind(due_on.map(db::date))
    .execute(&mut *conn)
    .await?;
    crate::store::record(
        conn,
        actor,
        Event { action: "recorded", record_type: "inspection finding", record_id: &id, detail: kind },
        now,
    )
    .await?;
    Ok(id)
}

pub async fn add_update_in(
    conn: &mut sqlx::AnyConnection,
    finding: &str,
    words: &str,
    status: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO performance_finding_update (id, finding_id, words, status, written_by, written_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(platform::ids::new_id())
    .bind(finding.to_string())
    .bind(words.to_string())
    .bind(status.to_string())
    .bind(actor.label.clone())
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    let completed = (status == "completed").then(|| db::date(now.date()));
    sqlx::query("UPDATE performance_finding SET status = $1, completed_on = $2 WHERE id = $3")
        .bind(status.to_string())
        .bind(completed)
        .bind(finding.to_string())
        .execute(&mut *conn)
        .await?;
    crate::store::record(
        conn,
        actor,
        Event { action: "updated", record_type: "inspection finding", record_id: finding, detail: status },
        now,
    )
    .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Pages

struct Listed {
    inspection: Inspection,
    findings: Vec<(Finding, Vec<Update>)>,
}

fn listed(inspections: Vec<Inspection>, findings: Vec<Finding>, updates: Vec<Update>) -> Vec<Listed> {
    inspections
        .into_iter()
        .map(|inspection| {
            let findings = findings
                .iter()
                .filter(|f| f.inspection_id == inspection.id)
                .map(|f| (f.clone(), updates.iter().filter(|u| u.finding_id == f.id).cloned().collect()))
                .collect();
            Listed { inspection, findings }
        })
        .collect()
}

fn date_words(text: &str) -> String {
    platform::calendar::long_date_of(text)
}

#[derive(Template)]
#[template(path = "performance/inspections.html")]
struct PublicPage {
    chrome: Chrome,
    listed: Vec<Listed>,
    mixed_scales: bool,
}

impl PublicPage {
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
    fn maybe_date(&self, text: &Option<String>) -> String {
        text.as_deref().map(date_words).unwrap_or_else(|| "Not set".into())
    }
}

async fn public_list(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let all = listed(inspections(platform.pool()).await?, findings(platform.pool()).await?, updates(platform.pool()).await?);
    let mixed_scales = ["police", "fire"].iter().any(|s| {
        let scales: std::collections::HashSet<&str> = all
            .iter()
            .filter(|l| l.inspection.service == *s && l.inspection.scale != "none")
            .map(|l| l.inspection.scale.as_str())
            .collect();
        scales.len() > 1
    });
    render(&PublicPage { chrome, listed: all, mixed_scales })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct InspectionForm {
    service: String,
    programme: String,
    scale: String,
    published_on: String,
    report_url: String,
    grades: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FindingForm {
    inspection: String,
    kind: String,
    reference: String,
    finding: String,
    due_on: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct UpdateForm {
    words: String,
    status: String,
}

#[derive(Template)]
#[template(path = "performance/staff_inspections.html")]
struct StaffPageT {
    chrome: Chrome,
    listed: Vec<Listed>,
    manages: bool,
    form: InspectionForm,
    errors: FormErrors,
}

const SERVICES: [(&str, &str); 2] = [("police", "Police"), ("fire", "Fire and rescue")];
const SCALES: [(&str, &str); 3] = [("five", "Five grades (PEEL from 2021/22)"), ("four", "Four grades"), ("none", "Not graded")];
const KINDS: [(&str, &str); 3] = [
    ("cause-of-concern", "Cause of concern"),
    ("recommendation", "Recommendation"),
    ("area-for-improvement", "Area for improvement"),
];
const STATUSES: [(&str, &str); 3] = [("open", "Open"), ("in-progress", "In progress"), ("completed", "Completed")];

impl StaffPageT {
    fn service(&self) -> Select<'_> {
        Select::new("service", "Service inspected", Choice::each(&SERVICES), &self.form.service, &self.errors)
    }
    fn programme(&self) -> TextInput<'_> {
        TextInput::new("programme", "Inspection", &self.form.programme, &self.errors)
            .hint("For example, PEEL 2023–25: police effectiveness, efficiency and legitimacy")
    }
    fn scale(&self) -> Select<'_> {
        Select::new("scale", "Grading scale", Choice::each(&SCALES), &self.form.scale, &self.errors)
    }
    fn published_on(&self) -> TextInput<'_> {
        TextInput::new("published_on", "Date published", &self.form.published_on, &self.errors)
            .hint("As YYYY-MM-DD, for example 2024-03-15")
            .width("govuk-input--width-10")
    }
    fn report_url(&self) -> TextInput<'_> {
        TextInput::new("report_url", "Address of the report", &self.form.report_url, &self.errors).input_type("url")
    }
    fn grades(&self) -> Textarea<'_> {
        Textarea::new("grades", "Grades", &self.form.grades, &self.errors)
            .hint("One a line: the question, a colon, the grade. For example, Investigating crime: Adequate")
            .rows(6)
    }
    fn inspection_select(&self) -> Select<'_> {
        let options = self.listed.iter().map(|l| Choice::new(&l.inspection.id, &l.inspection.programme)).collect();
        Select::new("inspection", "Inspection", options, "", &self.errors)
    }
    fn kind(&self) -> Select<'_> {
        Select::new("kind", "Kind of finding", Choice::each(&KINDS), "", &self.errors)
    }
    fn reference(&self) -> TextInput<'_> {
        TextInput::new("reference", "The report’s reference for it (optional)", "", &self.errors).width("govuk-input--width-10")
    }
    fn finding(&self) -> Textarea<'_> {
        Textarea::new("finding", "The finding, as the report words it", "", &self.errors).rows(3)
    }
    fn due_on(&self) -> TextInput<'_> {
        TextInput::new("due_on", "Due by (optional)", "", &self.errors).hint("As YYYY-MM-DD").width("govuk-input--width-10")
    }
    /// The update form's words for a finding: its own id, so every finding's form is apart.
    fn update_field(&self, id: &str) -> String {
        let field = format!("update-{id}");
        let mut area = Textarea::new(&field, "What has been done", "", &self.errors).rows(2);
        area.name = "words";
        area.render().unwrap_or_default()
    }
    fn status_field(&self, id: &str) -> String {
        let field = format!("status-{id}");
        let mut select = Select::new(&field, "Status now", Choice::each(&STATUSES), "", &self.errors);
        select.name = "status";
        select.render().unwrap_or_default()
    }
    fn date(&self, text: &str) -> String {
        date_words(text)
    }
}

/// Whether a member of staff may update a finding of an inspection of `service`: managers any;
/// partners only their own kind of service's.
fn may_update(staff: &CurrentStaff, service: &str, kind: Option<Kind>) -> bool {
    if MANAGERS.contains(&staff.user.role) {
        return true;
    }
    matches!((service, kind), ("police", Some(Kind::PoliceForce)) | ("fire", Some(Kind::FireService)))
}

async fn staff_kind(platform: &Platform, staff: &CurrentStaff) -> Result<Option<Kind>, AppError> {
    let Some(id) = staff.user.organisation_id.as_deref() else { return Ok(None) };
    Ok(platform::organisations::find(platform.pool(), id).await?.map(|o| o.kind))
}

async fn staff_page(
    platform: &Platform,
    chrome: Chrome,
    staff: &CurrentStaff,
    form: InspectionForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let kind = staff_kind(platform, staff).await?;
    let all = listed(inspections(platform.pool()).await?, findings(platform.pool()).await?, updates(platform.pool()).await?);
    let visible = all.into_iter().filter(|l| may_update(staff, &l.inspection.service, kind)).collect();
    let failed = !errors.is_empty();
    let page = StaffPageT {
        chrome: chrome.with_errors(failed),
        listed: visible,
        manages: MANAGERS.contains(&staff.user.role),
        form,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn staff_list(StaffPage { platform, chrome, staff }: StaffPage) -> Result<Response, AppError> {
    staff_page(&platform, chrome, &staff, InspectionForm::default(), FormErrors::new()).await
}

async fn add_inspection(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<InspectionForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let service = Service::from_slug(&form.service);
    if service.is_none() {
        errors.add("service", "Choose the service inspected");
    }
    let programme = form.programme.trim();
    if programme.is_empty() || programme.chars().count() > 300 {
        errors.add("programme", "Enter the inspection’s name, in 300 characters or fewer");
    }
    if !SCALES.iter().any(|(s, _)| *s == form.scale) {
        errors.add("scale", "Choose the grading scale");
    }
    let published = platform::db::parse_date(form.published_on.trim());
    if published.is_none() {
        errors.add("published_on", "Enter the date published as YYYY-MM-DD");
    }
    let url = form.report_url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.chars().count() > 500 {
        errors.add("report_url", "Enter the report’s address, starting https://");
    }
    let grades = match read_grades(&form.grades, &form.scale) {
        Ok(g) => g,
        Err(why) => {
            errors.add("grades", why);
            Vec::new()
        }
    };
    let (Some(service), Some(published_on)) = (service, published) else {
        return staff_page(&platform, chrome, &staff, form, errors).await;
    };
    if !errors.is_empty() {
        return staff_page(&platform, chrome, &staff, form, errors).await;
    }
    let new = NewInspection { service, programme, scale: &form.scale, published_on, report_url: url, grades: &grades };
    let mut tx = db::begin_write(platform.pool()).await?;
    add(&mut tx, &new, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/performance/inspections").into_response())
}

async fn add_finding(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<FindingForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let inspection = form.inspection.clone();
    if !inspections(platform.pool()).await?.iter().any(|i| i.id == inspection) {
        errors.add("inspection", "Choose the inspection the finding is from");
    }
    if !KINDS.iter().any(|(k, _)| *k == form.kind) {
        errors.add("kind", "Choose what kind of finding it is");
    }
    let words = form.finding.trim();
    if words.is_empty() || words.chars().count() > 4_000 {
        errors.add("finding", "Enter the finding as the report words it, in 4,000 characters or fewer");
    }
    let due = match form.due_on.trim() {
        "" => None,
        text => match platform::db::parse_date(text) {
            Some(d) => Some(d),
            None => {
                errors.add("due_on", "Enter the due date as YYYY-MM-DD, or leave it empty");
                None
            }
        },
    };
    if form.reference.chars().count() > 50 {
        errors.add("reference", "The reference must be 50 characters or fewer");
    }
    if !errors.is_empty() {
        return staff_page(&platform, chrome, &staff, InspectionForm::default(), errors).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    add_finding_in(
        &mut tx,
        &inspection,
        (&form.kind, form.reference.trim(), words),
        due,
        &staff.actor(),
        OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/performance/inspections").into_response())
}

async fn add_update(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(finding): Path<String>,
    Form(form): Form<UpdateForm>,
) -> Result<Response, AppError> {
    let all = findings(platform.pool()).await?;
    let found = all.iter().find(|f| f.id == finding).ok_or(AppError::NotFound)?;
    let inspection =
        inspections(platform.pool()).await?.into_iter().find(|i| i.id == found.inspection_id).ok_or(AppError::NotFound)?;
    let kind = staff_kind(&platform, &staff).await?;
    if !may_update(&staff, &inspection.service, kind) {
        return Err(AppError::NotFound);
    }
    let mut errors = FormErrors::new();
    let words = form.words.trim();
    if words.is_empty() || words.chars().count() > 4_000 {
        errors.add(&format!("update-{finding}"), "Enter what has been done, in 4,000 characters or fewer");
    }
    if !STATUSES.iter().any(|(s, _)| *s == form.status) {
        errors.add(&format!("status-{finding}"), "Choose the finding’s status now");
    }
    if !errors.is_empty() {
        return staff_page(&platform, chrome, &staff, InspectionForm::default(), errors).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    add_update_in(&mut tx, &finding, words, &form.status, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/performance/inspections").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_are_read_against_their_scale() {
        let read = read_grades("Investigating crime: Adequate\n\nTreatment of the public: good", "five").expect("reads");
        assert_eq!(
            read,
            [("Investigating crime".to_string(), "Adequate".to_string()), ("Treatment of the public".into(), "Good".into())]
        );
        assert!(read_grades("Investigating crime: Adequate", "four").expect_err("no Adequate on four").contains("not a grade"));
        assert!(read_grades("No colon here", "five").expect_err("no colon").contains("colon"));
        assert!(read_grades("Q: Good", "none").is_err());
        assert_eq!(read_grades("", "none"), Ok(vec![]));
    }
}
