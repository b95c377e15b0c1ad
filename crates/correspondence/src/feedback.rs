//! Feedback on the website itself (the beta banner's link): how satisfied the person was and what
//! would make it better. No name or contact details are asked for, so it holds no personal data
//! unless someone types it; it is kept apart from messages to the office, which need a reply.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::{self, Event};
use platform::db;
use platform::web::forms::{Choice, Choices, FormErrors, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome};
use serde::Deserialize;
use time::OffsetDateTime;

const SATISFACTION: [(&str, &str); 5] = [
    ("very-satisfied", "Very satisfied"),
    ("satisfied", "Satisfied"),
    ("neither", "Neither satisfied nor dissatisfied"),
    ("dissatisfied", "Dissatisfied"),
    ("very-dissatisfied", "Very dissatisfied"),
];

pub fn routes() -> Routes {
    Routes::new().route("/feedback", Access::Public, get(show).post(send)).route(
        "/staff/feedback",
        Access::Roles(crate::READERS),
        get(list),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct FeedbackForm {
    satisfaction: String,
    improvement: String,
}

#[derive(Template)]
#[template(path = "feedback/form.html")]
struct FeedbackPage {
    chrome: Chrome,
    form: FeedbackForm,
    errors: FormErrors,
    sent: bool,
}

impl FeedbackPage {
    fn satisfaction(&self) -> Choices<'_> {
        Choices::radios(
            "satisfaction",
            "Overall, how did you feel about the service you used today?",
            Choice::each(&SATISFACTION),
            Some(self.form.satisfaction.as_str()),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--m")
    }
    fn improvement(&self) -> Textarea<'_> {
        Textarea::new("improvement", "How could we improve this service? (optional)", &self.form.improvement, &self.errors)
            .max_chars(1200)
            .hint("Do not include personal or financial information, like your name or a reference number. To get a reply, use the contact form.")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SentQuery {
    sent: String,
}

async fn show(chrome: Chrome, axum::extract::Query(query): axum::extract::Query<SentQuery>) -> Result<Response, AppError> {
    let sent = query.sent == "yes";
    render(&FeedbackPage { chrome, form: FeedbackForm::default(), errors: FormErrors::new(), sent })
}

async fn send(PageRequest { platform, chrome }: PageRequest, Form(form): Form<FeedbackForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    if !SATISFACTION.iter().any(|(slug, _)| *slug == form.satisfaction) {
        errors.add("satisfaction", "Select how you felt about the service");
    }
    let improvement = form.improvement.trim().replace("\r\n", "\n");
    if improvement.chars().count() > 1200 {
        errors.add("improvement", "Your suggestion must be 1,200 characters or fewer");
    }
    if !errors.is_empty() {
        let page = FeedbackPage { chrome: chrome.with_errors(true), form, errors, sent: false };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response());
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let id = platform::ids::new_id();
    sqlx::query("INSERT INTO correspondence_feedback (id, received_at, satisfaction, improvement) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(db::timestamp(now))
        .bind(&form.satisfaction)
        .bind(&improvement)
        .execute(&mut *tx)
        .await?;
    let event = Event { action: "received", record_type: "feedback", record_id: &id, detail: &form.satisfaction };
    audit::record(&mut tx, &audit::Actor::public("-"), event, now).await?;
    tx.commit().await?;
    Ok(Redirect::to("/feedback?sent=yes").into_response())
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct Feedback {
    received_at: String,
    satisfaction: String,
    improvement: String,
}

#[derive(Template)]
#[template(path = "feedback/list.html")]
struct ListPage {
    chrome: Chrome,
    feedback: Vec<Feedback>,
    /// Each answer's words and how many gave it, in the question's order.
    tally: Vec<(&'static str, usize)>,
}

impl ListPage {
    fn when(&self, at: &str) -> String {
        platform::calendar::time_and_date_of(at)
    }
    fn words(&self, slug: &str) -> &'static str {
        SATISFACTION.iter().find(|(s, _)| *s == slug).map(|(_, w)| *w).unwrap_or("Not said")
    }
}

async fn list(StaffPage { platform, chrome, staff }: StaffPage) -> Result<Response, AppError> {
    let feedback: Vec<Feedback> = sqlx::query_as(
        "SELECT received_at, satisfaction, improvement FROM correspondence_feedback ORDER BY received_at DESC LIMIT 500",
    )
    .fetch_all(platform.pool())
    .await?;
    let tally =
        SATISFACTION.iter().map(|(slug, words)| (*words, feedback.iter().filter(|f| f.satisfaction == *slug).count())).collect();
    let event = Event { action: "listed", record_type: "feedback", record_id: "-", detail: "" };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    render(&ListPage { chrome, feedback, tally })
}
