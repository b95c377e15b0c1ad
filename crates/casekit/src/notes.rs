//! Notes and contacts on any case: a phone call, a meeting, an email or letter outside the
//! product, or a note, each with the day it happened, what was said and who recorded it. Kept
//! with the case (filed under the same case type and id as its letters), removed with its
//! personal details at the end of the retention period, and included in a subject access export.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::db::{self, Pool};
use platform::web::forms::{self, Choice, Choices, DateInput, DateParts, DatePartsInError, FormErrors, Textarea};
use platform::web::{Form, PageRequest, render};
use platform::{AppError, Chrome, Platform};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::letters::LetterCase;

/// What kind of contact a note records.
pub const KINDS: [(&str, &str); 5] = [
    ("phone-call", "Phone call"),
    ("meeting", "Meeting"),
    ("email", "Email or letter sent outside Commissioner"),
    ("visit", "Visit"),
    ("note", "Note"),
];

const MAX_SUMMARY: usize = 5_000;

/// One recorded note or contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Note {
    pub kind: String,
    pub happened_on: String,
    pub summary: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

impl Note {
    pub fn kind_name(&self) -> &'static str {
        KINDS.iter().find(|(slug, _)| *slug == self.kind).map(|(_, name)| *name).unwrap_or("Note")
    }
    pub fn happened(&self) -> String {
        platform::calendar::long_date_of(&self.happened_on)
    }
    pub fn recorded(&self) -> String {
        platform::calendar::time_and_date_of(&self.recorded_at)
    }
}

/// A note as typed, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub kind: &'static str,
    pub happened_on: Date,
    pub summary: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NoteForm {
    kind: String,
    #[serde(rename = "happened-day")]
    day: String,
    #[serde(rename = "happened-month")]
    month: String,
    #[serde(rename = "happened-year")]
    year: String,
    summary: String,
}

impl NoteForm {
    fn date(&self) -> DateParts {
        DateParts { day: self.day.clone(), month: self.month.clone(), year: self.year.clone() }
    }

    /// The note, or what is wrong with the form. A contact cannot have happened after today.
    pub fn check(&self, today: Date) -> Result<NewNote, (FormErrors, DatePartsInError)> {
        let mut errors = FormErrors::new();
        let kind = KINDS.iter().find(|(slug, _)| *slug == self.kind).map(|(slug, _)| *slug);
        if kind.is_none() {
            errors.add("kind", "Select what kind of contact it was");
        }
        let (happened_on, marks) = forms::past_date_field(&mut errors, "happened", &self.date(), "the date it happened", today);
        let summary = forms::required_text(&mut errors, "summary", &self.summary, "Enter what was said or done", MAX_SUMMARY);
        match (kind, happened_on) {
            (Some(kind), Some(happened_on)) if errors.is_empty() => Ok(NewNote { kind, happened_on, summary }),
            _ => Err((errors, marks)),
        }
    }
}

/// A case's notes, newest first.
pub async fn of_case(pool: &Pool, case: (&str, &str)) -> Result<Vec<Note>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, happened_on, summary, recorded_by, recorded_at FROM casework_case_note \
         WHERE case_type = $1 AND case_id = $2 ORDER BY happened_on DESC, recorded_at DESC",
    )
    .bind(case.0)
    .bind(case.1)
    .fetch_all(pool)
    .await
}

/// The notes of a case by its reference, for a subject access export.
pub async fn of_reference(pool: &Pool, reference: &str) -> Result<Vec<Note>, sqlx::Error> {
    sqlx::query_as(
        "SELECT kind, happened_on, summary, recorded_by, recorded_at FROM casework_case_note \
         WHERE reference = $1 ORDER BY happened_on, recorded_at",
    )
    .bind(reference)
    .fetch_all(pool)
    .await
}

/// Records a note on a case, with its audit entry.
pub async fn record(
    pool: &Pool,
    case: &LetterCase,
    note: &NewNote,
    staff: &CurrentStaff,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO casework_case_note (id, case_type, case_id, reference, kind, happened_on, summary, recorded_by, recorded_by_id, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(platform::ids::new_id())
    .bind(case.case.0)
    .bind(&case.case.1)
    .bind(&case.record.1)
    .bind(note.kind)
    .bind(db::date(note.happened_on))
    .bind(&note.summary)
    .bind(&staff.user.display_name)
    .bind(&staff.user.id)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let detail = format!("{} on {}", note.kind, db::date(note.happened_on));
    let event = Event { action: "recorded a note", record_type: case.record.0, record_id: &case.record.1, detail: &detail };
    audit::record(&mut tx, &staff.actor(), event, now).await?;
    tx.commit().await
}

/// Removes a case's notes, in the transaction that removes its personal details.
pub async fn forget(conn: &mut sqlx::AnyConnection, case_type: &str, case_id: &str) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM casework_case_note WHERE case_type = $1 AND case_id = $2")
        .bind(case_type)
        .bind(case_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected())
}

/// A case's notes page under its staff page, `{case_page}/{reference}/notes`; `find` finds the
/// case for the viewer as its letter pages do.
#[macro_export]
macro_rules! note_routes {
    ($case_page:literal, $access:expr, $find:expr) => {
        $crate::notes::routes(concat!($case_page, "/{reference}/notes"), $access, $find)
    };
}

pub fn routes<F, Fut>(path: &'static str, access: Access, find: F) -> Routes
where
    F: Fn(Platform, CurrentStaff, String) -> Fut + Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<LetterCase, AppError>> + Send + 'static,
{
    let find_for_post = find.clone();
    Routes::new().route(
        path,
        access,
        get(
            move |PageRequest { platform, chrome }: PageRequest,
                  staff: CurrentStaff,
                  Path(reference): Path<String>,
                  Query(done): Query<crate::done::DoneQuery>| {
                let find = find.clone();
                async move {
                    let case = find(platform.clone(), staff, reference).await?;
                    let chrome = chrome.saying(crate::done::said(&done.done, &[("note", "Note recorded")]));
                    page(&platform, chrome, case, NoteForm::default(), (FormErrors::new(), DatePartsInError::default())).await
                }
            },
        )
        .post(
            move |PageRequest { platform, chrome }: PageRequest,
                  staff: CurrentStaff,
                  Path(reference): Path<String>,
                  Form(form): Form<NoteForm>| {
                let find = find_for_post.clone();
                async move {
                    let case = find(platform.clone(), staff.clone(), reference).await?;
                    let now = OffsetDateTime::now_utc();
                    match form.check(platform::calendar::uk_local_date(now)) {
                        Ok(note) => {
                            record(platform.pool(), &case, &note, &staff, now).await?;
                            Ok(Redirect::to(&crate::done::back_to(&format!("{}/notes", case.back), "note")).into_response())
                        }
                        Err(problems) => page(&platform, chrome, case, form, problems).await,
                    }
                }
            },
        ),
    )
}

#[derive(Template)]
#[template(path = "notes/page.html")]
struct NotesPage {
    chrome: Chrome,
    case: LetterCase,
    notes: Vec<Note>,
    form: NoteForm,
    happened: DateParts,
    errors: FormErrors,
    marks: DatePartsInError,
}

impl NotesPage {
    fn kind(&self) -> Choices<'_> {
        Choices::radios("kind", "What kind of contact was it?", Choice::each(&KINDS), Some(self.form.kind.as_str()), &self.errors)
    }
    fn happened_on(&self) -> DateInput<'_> {
        DateInput::new("happened", "When did it happen?", &self.happened, &self.errors, self.marks).hint("For example, 27 3 2026")
    }
    fn summary(&self) -> Textarea<'_> {
        Textarea::new("summary", "What was said or done", &self.form.summary, &self.errors)
            .rows(6)
            .max_chars(MAX_SUMMARY)
            .hint("Who took part, what was said and anything agreed. The person can ask to see this.")
    }
}

async fn page(
    platform: &Platform,
    chrome: Chrome,
    case: LetterCase,
    form: NoteForm,
    (errors, marks): (FormErrors, DatePartsInError),
) -> Result<Response, AppError> {
    let notes = of_case(platform.pool(), (case.case.0, &case.case.1)).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let happened = form.date();
    let page = NotesPage { chrome: chrome.with_errors(!errors.is_empty()), case, notes, form, happened, errors, marks };
    Ok((status, render(&page)?).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn form(kind: &str, (day, month, year): (&str, &str, &str), summary: &str) -> NoteForm {
        NoteForm { kind: kind.into(), day: day.into(), month: month.into(), year: year.into(), summary: summary.into() }
    }

    #[test]
    fn a_note_needs_its_kind_a_past_date_and_what_was_said() {
        let today = date!(2026 - 12 - 07);
        let good = form("phone-call", ("7", "12", "2026"), "  Spoke to Ms Jones about the noise.\r\nShe will keep a diary. ");
        assert_eq!(
            good.check(today),
            Ok(NewNote {
                kind: "phone-call",
                happened_on: today,
                summary: "Spoke to Ms Jones about the noise.\nShe will keep a diary.".into()
            })
        );
        let messages = |f: NoteForm| f.check(today).expect_err("refused").0.iter().map(|e| e.message.clone()).collect::<Vec<_>>();
        assert_eq!(
            messages(form("fax", ("8", "12", "2026"), " ")),
            [
                "Select what kind of contact it was",
                "The date it happened must be today or in the past",
                "Enter what was said or done"
            ]
        );
        assert_eq!(messages(form("note", ("31", "2", "2026"), "x")).len(), 1, "not a real date");
        assert_eq!(messages(form("note", ("1", "12", "2026"), &"x".repeat(MAX_SUMMARY + 1))).len(), 1);
    }
}
