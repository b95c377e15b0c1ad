//! Letters of every service, from templates the office can edit: the kinds each service offers,
//! the office's wording, the letters written (one table for all services) and their page and PDF.
//!
//! A template is plain text with `{placeholders}`; the office's wording replaces the built-in
//! one when saved. Letters go by email when that is how the person asked to hear from us, and
//! are otherwise printed from their page (print styles) or saved as PDF from it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Actor, Event};
use platform::auth::CurrentStaff;
use platform::calendar;
use platform::db::{self, Pool};
use platform::mail::Email;
use platform::web::forms::{FormErrors, TextInput, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use sqlx::AnyConnection;
use time::OffsetDateTime;

use crate::registry::Services;

/// A letter ready to send or print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterText {
    pub kind: &'static str,
    pub subject: String,
    pub body: String,
}

/// The letters an action would send, shown in its form before anything is sent: staff press
/// "Preview the letter", check the wording with their answers in it, then send.
#[derive(askama::Template)]
#[template(path = "letters/_preview.html")]
pub struct Preview {
    /// The action whose form shows it.
    pub action: &'static str,
    pub letters: Vec<LetterText>,
}

impl Preview {
    /// The preview's HTML, in the form of `action` only.
    pub fn in_form(preview: &Option<Preview>, action: &str) -> String {
        match preview {
            Some(p) if p.action == action => askama::Template::render(p).unwrap_or_default(),
            _ => String::new(),
        }
    }
}

impl LetterText {
    pub fn email(&self, to: &str) -> Email {
        let html =
            self.body.split("\n\n").map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>"))).collect::<Vec<_>>().join("\n");
        Email { to: to.to_string(), subject: self.subject.clone(), text: self.body.clone(), html }
    }
}

/// Text for HTML or XML: &, <, > and " replaced, so nothing in it can end a text or an attribute.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The kinds of letter, with their built-in wording and the placeholders each may use.
pub struct LetterKind {
    pub slug: &'static str,
    pub name: &'static str,
    pub subject: &'static str,
    pub body: &'static str,
    pub placeholders: &'static [(&'static str, &'static str)],
}

pub const COMMON: [(&str, &str); 4] = [
    ("name", "the person’s name"),
    ("reference", "the case reference"),
    ("office", "the office’s name"),
    ("signature", "who signs letters, with their role (set on the office page), or the office’s name"),
];

/// Placeholders used in a template that the kind does not offer.
pub fn unknown_placeholders(kind: &LetterKind, text: &str) -> Vec<String> {
    let mut unknown = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find('}') else { break };
        let key = &after[..end];
        let known = COMMON.iter().chain(kind.placeholders).any(|(k, _)| *k == key);
        if !known && !unknown.contains(&key.to_string()) {
            unknown.push(key.to_string());
        }
        rest = &after[end + 1..];
    }
    unknown
}

/// Fills a template. Values are inserted as written; unknown placeholders cannot be saved.
pub fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut text = template.to_string();
    for (key, value) in values {
        text = text.replace(&format!("{{{key}}}"), value);
    }
    text
}

/// The wording in force for a kind: the office's own, or the built-in one.
pub async fn wording(pool: &Pool, kind: &LetterKind) -> Result<(String, String), sqlx::Error> {
    let row: Option<(String, String)> = sqlx::query_as("SELECT subject, body FROM casework_letter_template WHERE kind = $1")
        .bind(kind.slug)
        .fetch_optional(pool)
        .await?;
    Ok(row.unwrap_or_else(|| (kind.subject.to_string(), kind.body.to_string())))
}

/// Writes a letter of the kind named `kind_slug`, one of the service's `kinds`, with the given
/// values. A slug the service does not offer is a programming fault, not an outage.
pub async fn compose(
    pool: &Pool,
    kinds: &'static [LetterKind],
    kind_slug: &str,
    values: &[(&str, String)],
) -> Result<LetterText, platform::db::StoreError> {
    let kind = kinds
        .iter()
        .find(|k| k.slug == kind_slug)
        .ok_or_else(|| platform::db::StoreError::Fault(format!("no letter kind {kind_slug}")))?;
    let (subject, body) = wording(pool, kind).await?;
    // Every letter can be signed: the office's signatory, read with the wording.
    let mut values = values.to_vec();
    if !values.iter().any(|(key, _)| *key == "signature") {
        let office = platform::office::load(pool).await?.unwrap_or_else(platform::office::Office::unconfigured);
        values.push(("signature", office.signature()));
    }
    Ok(LetterText { kind: kind.slug, subject: fill(&subject, &values), body: fill(&body, &values) })
}

pub fn routes(services: &Services) -> Routes {
    const ADMINS: &[Role] = &[Role::Administrator];
    let (for_list, for_edit, for_save) = (services.clone(), services.clone(), services.clone());
    Routes::new().route("/staff/letter-templates", Access::Roles(ADMINS), get(move |chrome| list(for_list, chrome))).route(
        "/staff/letter-templates/{kind}",
        Access::Roles(ADMINS),
        get(move |page, path| edit(for_edit, page, path)).post(move |page, path, form| save(for_save, page, path, form)),
    )
}

#[derive(Template)]
#[template(path = "letters/templates.html")]
struct ListPage {
    chrome: Chrome,
    services: Vec<(&'static str, &'static [LetterKind])>,
}

async fn list(services: Services, chrome: Chrome) -> Result<Response, AppError> {
    let services = services.iter().filter(|s| !s.letter_kinds().is_empty()).map(|s| (s.name(), s.letter_kinds())).collect();
    render(&ListPage { chrome, services })
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct TemplateForm {
    subject: String,
    body: String,
}

#[derive(Template)]
#[template(path = "letters/template.html")]
struct EditPage {
    chrome: Chrome,
    kind: &'static LetterKind,
    form: TemplateForm,
    errors: FormErrors,
}

impl EditPage {
    fn subject(&self) -> TextInput<'_> {
        TextInput::new("subject", "Subject", &self.form.subject, &self.errors)
    }
    fn body(&self) -> Textarea<'_> {
        Textarea::new("body", "Letter", &self.form.body, &self.errors).rows(18).max_chars(10_000)
    }
    fn placeholders(&self) -> Vec<(&'static str, &'static str)> {
        COMMON.iter().chain(self.kind.placeholders).copied().collect()
    }
}

async fn edit(
    services: Services,
    PageRequest { platform, chrome }: PageRequest,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let kind = services.letter_kind(&slug).ok_or(AppError::NotFound)?;
    let (subject, body) = wording(platform.pool(), kind).await?;
    render(&EditPage { chrome, kind, form: TemplateForm { subject, body }, errors: FormErrors::new() })
}

async fn save(
    services: Services,
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(slug): Path<String>,
    Form(form): Form<TemplateForm>,
) -> Result<Response, AppError> {
    let kind = services.letter_kind(&slug).ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    for (field, text, limit) in [("subject", &form.subject, 200), ("body", &form.body, 10_000)] {
        if text.trim().is_empty() {
            errors.add(field, if field == "subject" { "Enter a subject" } else { "Enter the letter" });
        } else if text.chars().count() > limit {
            errors.add(field, format!("This must be {limit} characters or fewer"));
        } else if let Some(unknown) = unknown_placeholders(kind, text).first() {
            errors.add(field, format!("{{{unknown}}} is not a placeholder this letter can use"));
        }
    }
    if !errors.is_empty() {
        let page = render(&EditPage { chrome: chrome.with_errors(true), kind, form, errors })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    save_wording(
        platform.pool(),
        kind,
        form.subject.trim(),
        &form.body.replace("\r\n", "\n"),
        &staff.actor(),
        OffsetDateTime::now_utc(),
    )
    .await?;
    Ok(Redirect::to("/staff/letter-templates").into_response())
}

pub async fn save_wording(
    pool: &Pool,
    kind: &LetterKind,
    subject: &str,
    body: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO casework_letter_template (kind, subject, body, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (kind) DO UPDATE SET subject = $2, body = $3, updated_at = $4, updated_by = $5",
    )
    .bind(kind.slug)
    .bind(subject)
    .bind(body)
    .bind(db::timestamp(now))
    .bind(&actor.label)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        actor,
        Event { action: "changed", record_type: "letter template", record_id: kind.slug, detail: "" },
        now,
    )
    .await?;
    tx.commit().await
}

// ---------------------------------------------------------------------------------------------
// Letters written

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Letter {
    pub id: String,
    /// Who it is to, when not the applicant.
    pub addressee: Option<String>,
    pub case_type: String,
    pub case_id: String,
    pub kind: String,
    pub channel: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

pub async fn letters_of(pool: &Pool, case_type: &str, case_id: &str) -> Result<Vec<Letter>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, addressee, case_type, case_id, kind, channel, subject, body, created_at FROM casework_letter \
         WHERE case_type = $1 AND case_id = $2 ORDER BY created_at, id",
    )
    .bind(case_type)
    .bind(case_id)
    .fetch_all(pool)
    .await
}

pub async fn find_letter(pool: &Pool, id: &str) -> Result<Option<Letter>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, addressee, case_type, case_id, kind, channel, subject, body, created_at FROM casework_letter WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

/// Removes the text and addressee of a case's letters at the end of the retention period,
/// keeping when each was sent and how.
pub async fn forget_letters(conn: &mut AnyConnection, case_type: &str, case_id: &str) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_letter SET body = 'Removed', addressee = CASE WHEN addressee IS NULL THEN NULL ELSE 'Removed' END \
         WHERE case_type = $1 AND case_id = $2",
    )
    .bind(case_type)
    .bind(case_id)
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected())
}

/// Records a letter, and emails it when that is how the person asked to hear from us.
#[allow(clippy::too_many_arguments)]
pub async fn record_letter(
    conn: &mut AnyConnection,
    settings: &platform::config::Settings,
    case_type: &str,
    case_id: &str,
    letter: &LetterText,
    email_to: Option<&str>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    record_letter_carrying(conn, settings, (case_type, case_id), letter, email_to, &[], actor, now).await
}

/// [`record_letter`], the email carrying `files` (documents released with a response). A letter
/// printed for the post says what it encloses; the files themselves stay with the case.
#[allow(clippy::too_many_arguments)]
pub async fn record_letter_carrying(
    conn: &mut AnyConnection,
    settings: &platform::config::Settings,
    (case_type, case_id): (&str, &str),
    letter: &LetterText,
    email_to: Option<&str>,
    files: &[platform::files::StoredFile],
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    let channel = if email_to.is_some() { "email" } else { "post" };
    sqlx::query(
        "INSERT INTO casework_letter (id, case_type, case_id, kind, channel, subject, body, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(case_type)
    .bind(case_id)
    .bind(letter.kind)
    .bind(channel)
    .bind(&letter.subject)
    .bind(&letter.body)
    .bind(db::timestamp(now))
    .bind(&actor.label)
    .execute(&mut *conn)
    .await?;
    if let Some(to) = email_to {
        platform::mail::enqueue_with_files(conn, settings, &letter.email(to), files).await?;
    }
    Ok(id)
}

/// Records a letter to someone other than the applicant (the force, the person complained about):
/// emailed when an address is given, otherwise printed from its page.
#[allow(clippy::too_many_arguments)]
pub async fn record_letter_to(
    conn: &mut AnyConnection,
    settings: &platform::config::Settings,
    case: (&str, &str),
    addressee: &str,
    letter: &LetterText,
    email_to: Option<&str>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = record_letter(conn, settings, case.0, case.1, letter, email_to, actor, now).await?;
    sqlx::query("UPDATE casework_letter SET addressee = $1 WHERE id = $2").bind(addressee).bind(&id).execute(&mut *conn).await?;
    Ok(id)
}

/// The case a letter belongs to, as the service found it for the viewer (a case outside their
/// scope is "not found" before this is made).
pub struct LetterCase {
    /// (case type, case id), as the letters were recorded.
    pub case: (&'static str, String),
    /// (record type, reference), as the audit log names the case.
    pub record: (&'static str, String),
    /// The case page.
    pub back: String,
    /// The applicant's name, address and postcode, for letters written to them.
    pub applicant: (String, Option<String>, Option<String>),
}

/// A case's letter routes under its staff page: `{case_page}/{reference}/letters/{letter_id}`
/// and the same with `/pdf`, written from the one address so the two cannot drift apart.
#[macro_export]
macro_rules! letter_routes {
    ($case_page:literal, $access:expr, $find:expr) => {
        $crate::letters::letter_routes(
            concat!($case_page, "/{reference}/letters/{letter_id}"),
            concat!($case_page, "/{reference}/letters/{letter_id}/pdf"),
            $access,
            $find,
        )
    };
}

/// A case's letters as a page to print (`{path}`) and as a PDF (`{path}/pdf`), for one service:
/// `path` ends in `/letters/{letter_id}` after the case's `{reference}`, and `find` finds the case
/// for the viewer.
pub fn letter_routes<F, Fut>(path: &'static str, pdf_path: &'static str, access: Access, find: F) -> Routes
where
    F: Fn(Platform, CurrentStaff, String) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<LetterCase, AppError>> + Send + 'static,
{
    let find_for_pdf = find.clone();
    Routes::new()
        .route(
            path,
            access,
            get(
                move |PageRequest { platform, chrome }: PageRequest,
                      staff: CurrentStaff,
                      Path((reference, letter_id)): Path<(String, String)>| {
                    let find = find.clone();
                    async move {
                        addressed(&platform, &staff, find(platform.clone(), staff.clone(), reference).await?, &letter_id)
                            .await?
                            .page(chrome)
                    }
                },
            ),
        )
        .route(
            pdf_path,
            access,
            get(
                move |State(platform): State<Platform>,
                      staff: CurrentStaff,
                      Path((reference, letter_id)): Path<(String, String)>| {
                    let find = find_for_pdf.clone();
                    async move {
                        let case = find(platform.clone(), staff.clone(), reference).await?;
                        addressed(&platform, &staff, case, &letter_id).await?.pdf(&platform).await
                    }
                },
            ),
        )
}

async fn addressed(
    platform: &Platform,
    staff: &CurrentStaff,
    case: LetterCase,
    letter_id: &str,
) -> Result<AddressedLetter, AppError> {
    let (case_type, case_id) = (case.case.0, case.case.1.as_str());
    let record = (case.record.0, case.record.1.as_str());
    AddressedLetter::find(platform.pool(), &staff.actor(), (case_type, case_id), record, letter_id, case.back, case.applicant)
        .await?
        .ok_or(AppError::NotFound)
}

/// A letter with whom it is to, checked by the caller to belong to a case the viewer may see.
pub struct AddressedLetter {
    pub letter: Letter,
    /// The case page.
    pub back: String,
    pub recipient: Vec<String>,
}

impl AddressedLetter {
    /// Finds a letter of a case, with the applicant's name and address unless it was written to
    /// someone else; the read is audited. `None` when the letter is not the case's.
    #[allow(clippy::too_many_arguments)]
    pub async fn find(
        pool: &Pool,
        actor: &Actor,
        case: (&str, &str),
        record: (&str, &str),
        letter_id: &str,
        back: String,
        applicant: (String, Option<String>, Option<String>),
    ) -> Result<Option<AddressedLetter>, sqlx::Error> {
        let Some(letter) = find_letter(pool, letter_id).await?.filter(|l| l.case_type == case.0 && l.case_id == case.1) else {
            return Ok(None);
        };
        let event = Event { action: "viewed letter", record_type: record.0, record_id: record.1, detail: &letter.id };
        audit::record_now(pool, actor, event).await?;
        let recipient = match &letter.addressee {
            Some(addressee) => addressee.lines().map(str::to_string).collect(),
            None => {
                let (name, address, postcode) = applicant;
                std::iter::once(name)
                    .chain(address.iter().flat_map(|a| a.lines().map(str::to_string).collect::<Vec<_>>()))
                    .chain(postcode)
                    .collect()
            }
        };
        Ok(Some(AddressedLetter { letter, back, recipient }))
    }

    fn date(&self) -> String {
        db::parse_timestamp(&self.letter.created_at).map(calendar::uk_local_date).map(calendar::long_date).unwrap_or_default()
    }

    /// The letter's page: printable, with a link to its PDF when it is to be posted.
    pub fn page(self, chrome: Chrome) -> Result<Response, AppError> {
        let date = self.date();
        render(&LetterPage { chrome, letter: self.letter, back: self.back, recipient: self.recipient, date })
    }

    /// The letter as a PDF: the office's address, the recipient's, the date, then the text.
    pub async fn pdf(self, platform: &Platform) -> Result<Response, AppError> {
        use axum::http::{HeaderValue, header};
        let office = platform.office().await?;
        let mut paragraphs = vec![
            std::iter::once(office.name.clone())
                .chain(office.postal_address.lines().map(str::to_string))
                .collect::<Vec<_>>()
                .join("\n"),
            self.recipient.join("\n"),
            self.date(),
        ];
        paragraphs.extend(self.letter.body.split("\n\n").map(str::to_string));
        let subject = self.letter.subject.clone();
        let bytes = publishing::letter_off_thread(subject.clone(), subject, office.name.clone(), paragraphs)
            .await
            .map_err(|e| AppError::Internal(e.into()))?;
        let mut response = bytes.into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
        if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"letter-{}.pdf\"", self.letter.kind)) {
            headers.insert(header::CONTENT_DISPOSITION, value);
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        Ok(response)
    }
}

#[derive(Template)]
#[template(path = "letters/letter.html")]
struct LetterPage {
    chrome: Chrome,
    letter: Letter,
    back: String,
    recipient: Vec<String>,
    date: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_the_common_ones_and_the_kinds_own() {
        let outcome = LetterKind {
            slug: "outcome",
            name: "Outcome",
            subject: "Your case {reference}",
            body: "Dear {name}, we decided {decision}.",
            placeholders: &[("decision", "what was decided")],
        };
        assert!(unknown_placeholders(&outcome, outcome.body).is_empty());
        assert_eq!(
            unknown_placeholders(&outcome, "Dear {name}, {tracker_link} {decision} {tracker_link} {x"),
            vec!["tracker_link".to_string()]
        );
    }

    #[test]
    fn filling_replaces_every_use_and_escapes_for_email() {
        let text = fill("{name} and {name} <{reference}>", &[("name", "Sam".into()), ("reference", "ASB-2026-000001".into())]);
        assert_eq!(text, "Sam and Sam <ASB-2026-000001>");
        let letter = LetterText { kind: "outcome", subject: "S".into(), body: text };
        assert!(letter.email("a@example.com").html.contains("&lt;ASB-2026-000001&gt;"));
    }
}
