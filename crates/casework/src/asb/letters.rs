//! Letters to applicants and appellants, from templates the office can edit.
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
use platform::db::{self, Pool};
use platform::mail::Email;
use platform::web::forms::{ErrorSummary, FormErrors, TextInput, Textarea};
use platform::web::{Form, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

/// A letter ready to send or print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterText {
    pub kind: &'static str,
    pub subject: String,
    pub body: String,
}

impl LetterText {
    pub fn email(&self, to: &str) -> Email {
        let html =
            self.body.split("\n\n").map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>"))).collect::<Vec<_>>().join("\n");
        Email { to: to.to_string(), subject: self.subject.clone(), text: self.body.clone(), html }
    }
}

fn escape(text: &str) -> String {
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

const COMMON: [(&str, &str); 3] =
    [("name", "the person’s name"), ("reference", "the case reference"), ("office", "the office’s name")];

pub const KINDS: [LetterKind; 5] = [
    LetterKind {
        slug: "acknowledgement",
        name: "Acknowledgement of an application",
        subject: "Your ASB Case Review application {reference}",
        body: "Dear {name},\n\nThank you for applying for an anti-social behaviour case review. Your reference is {reference}. We received your application on {received}.\n\nWe will decide whether your case meets the threshold for a review by {threshold_due}. In this area the threshold is: {threshold_rule}.\n\nYou can see where your case has got to at any time: {tracker_link}\n\nIf anything changes, or you are in danger, call the police on 999. For non-emergencies call 101.\n\nYours sincerely,\n\n{office}",
        placeholders: &[
            ("received", "the date the application arrived"),
            ("threshold_due", "when the threshold decision is due"),
            ("threshold_rule", "the area’s threshold in words"),
            ("tracker_link", "the link to the status tracker"),
        ],
    },
    LetterKind {
        slug: "threshold-decision",
        name: "Threshold decision",
        subject: "Decision on your ASB Case Review {reference}",
        body: "Dear {name},\n\nWe have looked at your application {reference}.\n\nOur decision: {decision}.\n\nWhy: {reasons}\n\n{next_steps}\n\nYours sincerely,\n\n{office}",
        placeholders: &[
            ("decision", "the decision in words"),
            ("reasons", "the reasons recorded"),
            ("next_steps", "what happens next, worked out from the decision"),
        ],
    },
    LetterKind {
        slug: "outcome",
        name: "Outcome of the review",
        subject: "Outcome of your ASB Case Review {reference}",
        body: "Dear {name},\n\nThe agencies met on {meeting_date} to review your case {reference}.\n\nWhat the review found: {outcome}\n\nWhat the agencies will do:\n{recommendations}\n\nIf you think the review did not follow the right process, or did not consider relevant information, you can appeal to {office} until {appeal_deadline}.\n\nYours sincerely,\n\n{office}",
        placeholders: &[
            ("meeting_date", "the date of the review meeting"),
            ("outcome", "the outcome recorded"),
            ("recommendations", "the action plan, one line each"),
            ("appeal_deadline", "the last day to appeal"),
        ],
    },
    LetterKind {
        slug: "appeal-acknowledgement",
        name: "Acknowledgement of an appeal",
        subject: "Your ASB Case Review appeal {reference}",
        body: "Dear {name},\n\nThank you for your appeal about an anti-social behaviour case review. Your reference is {reference}.\n\n{timing}\n\nWe aim to decide your appeal by {decision_due}. You can see where it has got to at any time: {tracker_link}\n\nYours sincerely,\n\n{office}",
        placeholders: &[
            ("timing", "whether the appeal arrived in time, and what that means"),
            ("decision_due", "when the decision is due"),
            ("tracker_link", "the link to the status tracker"),
        ],
    },
    LetterKind {
        slug: "appeal-decision",
        name: "Appeal decision",
        subject: "Decision on your ASB Case Review appeal {reference}",
        body: "Dear {name},\n\nWe have considered your appeal {reference}.\n\nOur decision: {decision}.\n\nWhy: {reasons}\n\n{directions}\n\nYours sincerely,\n\n{office}",
        placeholders: &[
            ("decision", "the decision in words"),
            ("reasons", "the reasons recorded"),
            ("directions", "what the review body has been asked to do, if the appeal was upheld"),
        ],
    },
];

pub fn kind(slug: &str) -> Option<&'static LetterKind> {
    KINDS.iter().find(|k| k.slug == slug)
}

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

/// Writes a letter of `kind` with the given values.
pub async fn compose(pool: &Pool, kind_slug: &'static str, values: &[(&str, String)]) -> Result<LetterText, sqlx::Error> {
    let kind = kind(kind_slug).ok_or_else(|| sqlx::Error::Protocol(format!("no letter kind {kind_slug}")))?;
    let (subject, body) = wording(pool, kind).await?;
    Ok(LetterText { kind: kind.slug, subject: fill(&subject, values), body: fill(&body, values) })
}

pub fn routes() -> Routes {
    const ADMINS: &[Role] = &[Role::Administrator];
    Routes::new().route("/staff/asb-case-reviews/letter-templates", Access::Roles(ADMINS), get(list)).route(
        "/staff/asb-case-reviews/letter-templates/{kind}",
        Access::Roles(ADMINS),
        get(edit).post(save),
    )
}

#[derive(Template)]
#[template(path = "asb/letter_templates.html")]
struct ListPage {
    chrome: Chrome,
    kinds: &'static [LetterKind],
}

async fn list(chrome: Chrome) -> Result<Response, AppError> {
    render(&ListPage { chrome, kinds: &KINDS })
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct TemplateForm {
    subject: String,
    body: String,
}

#[derive(Template)]
#[template(path = "asb/letter_template.html")]
struct EditPage {
    chrome: Chrome,
    kind: &'static LetterKind,
    form: TemplateForm,
    errors: FormErrors,
}

impl EditPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
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

async fn edit(State(platform): State<Platform>, chrome: Chrome, Path(slug): Path<String>) -> Result<Response, AppError> {
    let kind = kind(&slug).ok_or(AppError::NotFound)?;
    let (subject, body) = wording(platform.pool(), kind).await?;
    render(&EditPage { chrome, kind, form: TemplateForm { subject, body }, errors: FormErrors::new() })
}

async fn save(
    State(platform): State<Platform>,
    chrome: Chrome,
    staff: CurrentStaff,
    Path(slug): Path<String>,
    Form(form): Form<TemplateForm>,
) -> Result<Response, AppError> {
    let kind = kind(&slug).ok_or(AppError::NotFound)?;
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
    Ok(Redirect::to("/staff/asb-case-reviews/letter-templates").into_response())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_templates_use_only_their_placeholders() {
        for kind in &KINDS {
            assert!(unknown_placeholders(kind, kind.body).is_empty(), "{}", kind.slug);
            assert!(unknown_placeholders(kind, kind.subject).is_empty(), "{}", kind.slug);
        }
        let outcome = kind("outcome").expect("exists");
        assert_eq!(unknown_placeholders(outcome, "Dear {name}, {tracker_link} {x"), vec!["tracker_link".to_string()]);
    }

    #[test]
    fn filling_replaces_every_use_and_escapes_for_email() {
        let text = fill("{name} and {name} <{reference}>", &[("name", "Sam".into()), ("reference", "ASB-2026-000001".into())]);
        assert_eq!(text, "Sam and Sam <ASB-2026-000001>");
        let letter = LetterText { kind: "outcome", subject: "S".into(), body: text };
        assert!(letter.email("a@example.com").html.contains("&lt;ASB-2026-000001&gt;"));
    }
}
