//! The page an agency's contact opens from the emailed link: the question, the reply date, and a
//! form to answer in text with documents. No account: the link's secret is the key, it works
//! until its end date (a chase sends a new one), and it stops when the review closes. Every
//! answer joins the case, is audited under the contact's name, and tells the office.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Query, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::Actor;
use platform::auth::Viewer;
use platform::calendar;
use platform::files::StoredFile;
use platform::web::forms::{FileUpload, FormErrors, Textarea};
use platform::web::{PageRequest, held, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use super::store::{self, ANSWER_FILES, Linked};

/// LOCAL: documents one answer may carry.
pub const MAX_DOCUMENTS: usize = 5;
const MAX_ANSWER_CHARS: usize = 20_000;

pub fn routes() -> Routes {
    // The body limit is lifted for this form only: uploads are bounded per file and in number.
    Routes::new().route("/agency-request/{token}", Access::Public, get(show).post(answer).layer(DefaultBodyLimit::disable()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AnswerForm {
    #[serde(rename = "submission-key")]
    submission_key: String,
    response: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Sent {
    sent: String,
}

/// Whether the link can still take an answer, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Yes,
    Expired,
    Closed,
}

fn openness(request: &Linked, today: time::Date) -> Open {
    if request.closed_on.is_some() {
        return Open::Closed;
    }
    match platform::db::parse_date(&request.link_expires_at) {
        Some(end) if today <= end => Open::Yes,
        _ => Open::Expired,
    }
}

#[derive(Template)]
#[template(path = "asb/agency_request.html")]
struct RequestPage {
    chrome: Chrome,
    request: Linked,
    open: Open,
    token: String,
    form: AnswerForm,
    errors: FormErrors,
    held: Vec<StoredFile>,
    sent: bool,
}

impl RequestPage {
    fn due(&self) -> String {
        calendar::long_date_of(&self.request.due_on)
    }
    fn works_until(&self) -> String {
        calendar::long_date_of(&self.request.link_expires_at)
    }
    fn is_open(&self) -> bool {
        self.open == Open::Yes
    }
    fn is_closed(&self) -> bool {
        self.open == Open::Closed
    }
    fn response(&self) -> Textarea<'_> {
        Textarea::new("response", "Your answer", &self.form.response, &self.errors)
            .rows(8)
            .max_chars(MAX_ANSWER_CHARS)
            .hint("Say what your organisation knows or did about the behaviour the question asks about.")
    }
    fn documents(&self) -> FileUpload<'_> {
        FileUpload::new("documents", "Documents (optional)", &self.errors)
            .multiple()
            .hint("Up to 5 files, such as case notes, incident logs or letters.")
    }
}

async fn linked(platform: &Platform, token: &str) -> Result<Linked, AppError> {
    // A secret is 43 characters; anything much longer is not one of ours.
    if token.len() > 100 {
        return Err(AppError::NotFound);
    }
    store::find_by_link(platform.pool(), token).await?.ok_or(AppError::NotFound)
}

async fn page(
    platform: &Platform,
    chrome: Chrome,
    token: String,
    form: AnswerForm,
    errors: FormErrors,
    sent: bool,
) -> Result<Response, AppError> {
    let request = linked(platform, &token).await?;
    let open = openness(&request, calendar::uk_local_date(OffsetDateTime::now_utc()));
    let held = held::held(platform.pool(), &form.submission_key).await?;
    let status = match (open, errors.is_empty()) {
        (Open::Yes, false) => StatusCode::UNPROCESSABLE_ENTITY,
        (Open::Yes, true) => StatusCode::OK,
        _ => StatusCode::GONE,
    };
    let chrome = chrome.with_errors(!errors.is_empty());
    let page = render(&RequestPage { chrome, request, open, token, form, errors, held, sent })?;
    Ok((status, page).into_response())
}

async fn show(
    PageRequest { platform, chrome }: PageRequest,
    Path(token): Path<String>,
    Query(sent): Query<Sent>,
) -> Result<Response, AppError> {
    let form = AnswerForm { submission_key: platform::ids::new_id(), ..Default::default() };
    page(&platform, chrome, token, form, FormErrors::new(), sent.sent == "yes").await
}

async fn answer(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Path(token): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let linked = linked(&platform, &token).await?;
    let now = OffsetDateTime::now_utc();
    if openness(&linked, calendar::uk_local_date(now)) != Open::Yes {
        return page(&platform, chrome, token, AnswerForm::default(), FormErrors::new(), false).await;
    }
    let rules = platform::web::evidence_rules(&platform, MAX_DOCUMENTS);
    let (mut form, uploads, upload_errors): (AnswerForm, _, _) =
        platform::web::read_form_with_files(&platform, request, rules, "documents").await?;
    if !platform::ids::is_well_formed(&form.submission_key) {
        form.submission_key = platform::ids::new_id();
    }
    let mut errors = FormErrors::new();
    let response = form.response.trim();
    if response.is_empty() {
        errors.add("response", "Enter your answer");
    } else if response.chars().count() > MAX_ANSWER_CHARS {
        errors.add("response", format!("Your answer must be {MAX_ANSWER_CHARS} characters or fewer"));
    }
    platform::web::forms::merge_upload_errors(&mut errors, &upload_errors);
    let already = held::held(platform.pool(), &form.submission_key).await?.len();
    if already + uploads.len() > MAX_DOCUMENTS {
        errors.add(
            "documents",
            format!("You can send up to {MAX_DOCUMENTS} documents with an answer: you have added {already} already"),
        );
    } else {
        // Whatever else was wrong, the files chosen are kept for the page shown again.
        held::hold(&platform, &form.submission_key, &uploads).await?;
    }
    if !errors.is_empty() {
        return page(&platform, chrome, token, form, errors, false).await;
    }
    let documents: Vec<String> = held::held(platform.pool(), &form.submission_key).await?.into_iter().map(|f| f.id).collect();
    let application = crate::asb::store::find_application(platform.pool(), &linked.reference).await?.ok_or(AppError::NotFound)?;
    // The audit log names who answered: the contact the link was sent to.
    let actor = Actor {
        id: None,
        label: format!("{} ({}), by the emailed link", linked.contact_name, linked.agency),
        address: viewer.actor().address,
    };
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    held::hand_over(&mut tx, &form.submission_key, (ANSWER_FILES, &application.id)).await?;
    store::answer(&mut tx, &application, &linked.id, response, &documents, calendar::uk_local_date(now), &actor, now).await?;
    platform::office::tell_of_new_work(&mut tx, platform.settings(), &super::answer_work(&application)).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("{}?sent=yes", super::answer_page(&token))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn linked(expires: &str, closed_on: Option<&str>) -> Linked {
        Linked {
            id: "r".into(),
            application_id: "a".into(),
            reference: "ASB-2026-000001".into(),
            agency: "Northshire Housing".into(),
            contact_name: "Sam".into(),
            question: "?".into(),
            due_on: "2026-12-18".into(),
            link_expires_at: expires.into(),
            answered: 0,
            closed_on: closed_on.map(str::to_string),
        }
    }

    #[test]
    fn a_link_works_to_its_last_day_and_never_on_a_closed_review() {
        let today = date!(2027 - 01 - 15);
        assert_eq!(openness(&linked("2027-01-15", None), today), Open::Yes);
        assert_eq!(openness(&linked("2027-01-14", None), today), Open::Expired);
        assert_eq!(openness(&linked("2027-02-01", Some("2027-01-10")), today), Open::Closed);
        assert_eq!(openness(&linked("not a date", None), today), Open::Expired);
    }
}
