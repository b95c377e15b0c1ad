//! The Panel's recommendations to the Commissioner, each with the response due and given (public),
//! and the confidential log of complaints about the Commissioner or deputy, with the local
//! timescales (acknowledged in 5 working days, finished in 8 weeks) and the yearly count the
//! Specified Information Order asks to be published.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::db;
use platform::periods::FinancialYear;
use platform::web::forms::{Choice, FormErrors, Select, TextInput, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::rules::{self, Promise};
use crate::store::{self, Complaint, Meeting, Recommendation};
use crate::{OFFICERS, PANEL};

/// Days the Commissioner has to respond to a recommendation unless the Panel sets another date.
/// Local: the Panel specifies the period (Police Reform and Social Responsibility Act 2011 s28).
pub const RESPONSE_DAYS: i64 = 28;

pub fn routes() -> Routes {
    let officers = Access::Roles(OFFICERS);
    Routes::new()
        .route("/panel/recommendations", Access::Public, get(public_list))
        .route("/staff/panel/recommendations", Access::Roles(PANEL), get(staff_recommendations))
        .route("/staff/panel/recommendations/new", officers, post(add_recommendation))
        .route("/staff/panel/recommendations/{recommendation}", officers, post(respond))
        .route("/staff/panel/complaints", officers, get(staff_complaints).post(add_complaint))
        .route("/staff/panel/complaints/{complaint}", officers, post(update_complaint))
}

/// Complaints counted by financial year: (year, received, resolved by the Panel, referred to
/// the IOPC). Withdrawn complaints are not counted.
pub fn yearly_counts(rows: &[(String, String)]) -> Vec<(FinancialYear, u32, u32, u32)> {
    let mut years: BTreeMap<FinancialYear, (u32, u32, u32)> = BTreeMap::new();
    for (received, route) in rows {
        let Some(day) = db::parse_date(received) else { continue };
        let entry = years.entry(FinancialYear::containing(day)).or_default();
        entry.0 += 1;
        if route == "iopc" {
            entry.2 += 1;
        } else {
            entry.1 += 1;
        }
    }
    years.into_iter().rev().map(|(y, (a, b, c))| (y, a, b, c)).collect()
}

fn long(text: &str) -> String {
    platform::calendar::long_date_of(text)
}

#[derive(Template)]
#[template(path = "panel/recommendations.html")]
struct PublicList {
    chrome: Chrome,
    recommendations: Vec<Recommendation>,
    today: Date,
}

impl PublicList {
    fn state(&self, r: &Recommendation) -> String {
        r.state(self.today).words()
    }
    fn overdue(&self, r: &Recommendation) -> bool {
        matches!(r.state(self.today), Promise::Overdue { .. })
    }
    fn date(&self, text: &str) -> String {
        long(text)
    }
}

async fn public_list(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let recommendations = store::recommendations(platform.pool()).await?;
    render(&PublicList { chrome, recommendations, today: platform::calendar::uk_today() })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RecommendationForm {
    report: String,
    meeting: String,
    words: String,
    made_on: String,
    response_due: String,
}

#[derive(Template)]
#[template(path = "panel/staff_recommendations.html")]
struct StaffRecommendations {
    chrome: Chrome,
    manages: bool,
    recommendations: Vec<Recommendation>,
    meetings: Vec<Meeting>,
    labels: Vec<String>,
    today: Date,
    form: RecommendationForm,
    errors: FormErrors,
}

impl StaffRecommendations {
    fn state(&self, r: &Recommendation) -> String {
        r.state(self.today).words()
    }
    fn date(&self, text: &str) -> String {
        long(text)
    }
    fn report(&self) -> Select<'_> {
        Select::new("report", "From the Panel’s", Choice::each(&store::REPORTS), &self.form.report, &self.errors)
    }
    fn meeting(&self) -> Select<'_> {
        let mut options = vec![Choice::new("", "Not made at a meeting")];
        options.extend(self.meetings.iter().zip(&self.labels).map(|(m, l)| Choice::new(&m.id, l)));
        Select::new("meeting", "Meeting", options, &self.form.meeting, &self.errors)
    }
    fn words(&self) -> Textarea<'_> {
        Textarea::new("words", "The recommendation, as the report words it", &self.form.words, &self.errors).rows(4)
    }
    fn made_on(&self) -> TextInput<'_> {
        TextInput::new("made_on", "Date made", &self.form.made_on, &self.errors)
            .hint("As YYYY-MM-DD")
            .width("govuk-input--width-10")
    }
    fn response_due(&self) -> TextInput<'_> {
        TextInput::new("response_due", "Response due by (optional)", &self.form.response_due, &self.errors)
            .hint("As YYYY-MM-DD. Left empty, 28 days after it was made.")
            .width("govuk-input--width-10")
    }
}

async fn recommendations_page(
    platform: &Platform,
    chrome: Chrome,
    manages: bool,
    form: RecommendationForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let meetings = store::meetings(platform.pool()).await?;
    let labels = meetings.iter().map(Meeting::date_words).collect();
    let failed = !errors.is_empty();
    let page = StaffRecommendations {
        chrome: chrome.with_errors(failed),
        manages,
        recommendations: store::recommendations(platform.pool()).await?,
        meetings,
        labels,
        today: platform::calendar::uk_today(),
        form,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn staff_recommendations(StaffPage { platform, chrome, staff }: StaffPage) -> Result<Response, AppError> {
    recommendations_page(&platform, chrome, OFFICERS.contains(&staff.user.role), Default::default(), FormErrors::new()).await
}

async fn add_recommendation(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<RecommendationForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    if !store::REPORTS.iter().any(|(r, _)| *r == form.report) {
        errors.add("report", "Choose the report the recommendation is in");
    }
    let meetings = store::meetings(platform.pool()).await?;
    let meeting = Some(form.meeting.as_str()).filter(|m| !m.is_empty());
    if meeting.is_some_and(|m| !meetings.iter().any(|x| x.id == m)) {
        errors.add("meeting", "Choose a meeting from the list");
    }
    let words = form.words.trim();
    if words.is_empty() || words.chars().count() > 5_000 {
        errors.add("words", "Enter the recommendation, in 5,000 characters or fewer");
    }
    let made = db::parse_date(form.made_on.trim());
    if made.is_none() {
        errors.add("made_on", "Enter the date it was made as YYYY-MM-DD");
    }
    let due = match (form.response_due.trim(), made) {
        ("", Some(m)) => Some(m + time::Duration::days(RESPONSE_DAYS)),
        ("", None) => None,
        (text, _) => {
            let d = db::parse_date(text);
            if d.is_none() || d.zip(made).is_some_and(|(d, m)| d < m) {
                errors.add("response_due", "Enter the date the response is due as YYYY-MM-DD, after the date it was made");
            }
            d
        }
    };
    let (Some(made), Some(due)) = (made, due) else {
        return recommendations_page(&platform, chrome, true, form, errors).await;
    };
    if !errors.is_empty() {
        return recommendations_page(&platform, chrome, true, form, errors).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    store::add_recommendation(&mut tx, (meeting, &form.report, words, made, due), &staff.actor(), OffsetDateTime::now_utc())
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/panel/recommendations").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResponseForm {
    version: i64,
    response: String,
    on: String,
}

async fn respond(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
    Form(form): Form<ResponseForm>,
) -> Result<Response, AppError> {
    if reference.len() > 30 || !reference.starts_with("PR-") {
        return Err(AppError::NotFound);
    }
    let all = store::recommendations(platform.pool()).await?;
    let recommendation = all.iter().find(|r| r.reference == reference).ok_or(AppError::NotFound)?;
    let field = format!("response-{reference}");
    let mut errors = FormErrors::new();
    let words = form.response.trim();
    if words.is_empty() || words.chars().count() > 10_000 {
        errors.add(&field, "Enter the Commissioner’s response, in 10,000 characters or fewer");
    }
    let on = db::parse_date(form.on.trim());
    if on.is_none() {
        errors.add(&format!("on-{reference}"), "Enter the date of the response as YYYY-MM-DD");
    }
    let Some(on) = on.filter(|_| errors.is_empty()) else {
        return recommendations_page(&platform, chrome, true, Default::default(), errors).await;
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    let done = store::respond_to_recommendation(
        &mut tx,
        (&recommendation.reference, form.version),
        (words, on),
        &staff.actor(),
        OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;
    if !done {
        errors.add(&field, "The response has already been recorded: check it below");
        return recommendations_page(&platform, chrome, true, Default::default(), errors).await;
    }
    Ok(Redirect::to("/staff/panel/recommendations").into_response())
}

// ---------------------------------------------------------------------------------------------
// Complaints

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ComplaintForm {
    received_on: String,
    about: String,
    complainant: String,
    contact: String,
    summary: String,
    route: String,
}

#[derive(Template)]
#[template(path = "panel/staff_complaints.html")]
struct StaffComplaints {
    chrome: Chrome,
    complaints: Vec<Complaint>,
    counts: Vec<(FinancialYear, u32, u32, u32)>,
    today: Date,
    calendar: platform::calendar::WorkingDayCalendar,
    form: ComplaintForm,
    errors: FormErrors,
}

const ABOUT: [(&str, &str); 2] = [("commissioner", "The Commissioner"), ("deputy", "The deputy")];
const ROUTES: [(&str, &str); 2] = [
    ("panel", "Not criminal or a conduct matter: the Panel resolves it informally"),
    ("iopc", "A criminal or conduct matter: referred to the IOPC"),
];

impl StaffComplaints {
    fn date(&self, text: &str) -> String {
        long(text)
    }
    /// "Acknowledge by …, finish by …", flagged when late.
    fn clock(&self, c: &Complaint) -> String {
        let Some(received) = c.received() else { return String::new() };
        let (ack, finish) = rules::complaint_dates(received, &self.calendar);
        let mut parts = Vec::new();
        if c.acknowledged_on.is_none() && c.route == "panel" {
            parts.push(format!(
                "Acknowledge by {}{}",
                platform::calendar::long_date(ack),
                if self.today > ack { " (late)" } else { "" }
            ));
        }
        if c.status == "open" {
            parts.push(format!(
                "Finish by {}{}",
                platform::calendar::long_date(finish),
                if self.today > finish { " (late)" } else { "" }
            ));
        }
        parts.join(". ")
    }
    fn received_on(&self) -> TextInput<'_> {
        TextInput::new("received_on", "Date received", &self.form.received_on, &self.errors)
            .hint("As YYYY-MM-DD")
            .width("govuk-input--width-10")
    }
    fn about(&self) -> Select<'_> {
        Select::new("about", "About", Choice::each(&ABOUT), &self.form.about, &self.errors)
    }
    fn complainant(&self) -> TextInput<'_> {
        TextInput::new("complainant", "Complainant’s name", &self.form.complainant, &self.errors)
    }
    fn contact(&self) -> TextInput<'_> {
        TextInput::new("contact", "How to reach them (optional)", &self.form.contact, &self.errors)
    }
    fn summary(&self) -> Textarea<'_> {
        Textarea::new("summary", "What the complaint is about", &self.form.summary, &self.errors).rows(4)
    }
    fn route(&self) -> Select<'_> {
        Select::new("route", "Which route", Choice::each(&ROUTES), &self.form.route, &self.errors)
    }
}

async fn complaints_page(
    platform: &Platform,
    chrome: Chrome,
    form: ComplaintForm,
    errors: FormErrors,
) -> Result<Response, AppError> {
    let failed = !errors.is_empty();
    let page = StaffComplaints {
        chrome: chrome.with_errors(failed),
        complaints: store::complaints(platform.pool()).await?,
        counts: yearly_counts(&store::complaint_dates(platform.pool()).await?),
        today: platform::calendar::uk_today(),
        calendar: platform::calendar::store::for_nation(platform.pool(), platform::calendar::Nation::EnglandAndWales).await?,
        form,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn staff_complaints(StaffPage { platform, chrome, staff }: StaffPage) -> Result<Response, AppError> {
    // The log holds personal data: each reading is recorded.
    let event = platform::audit::Event {
        action: "viewed",
        record_type: "complaints about the Commissioner",
        record_id: "log",
        detail: "",
    };
    platform::audit::record_now(platform.pool(), &staff.actor(), event).await?;
    complaints_page(&platform, chrome, Default::default(), FormErrors::new()).await
}

async fn add_complaint(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<ComplaintForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let received = db::parse_date(form.received_on.trim()).filter(|d| *d <= platform::calendar::uk_today());
    if received.is_none() {
        errors.add("received_on", "Enter the date it was received as YYYY-MM-DD, today or earlier");
    }
    if !ABOUT.iter().any(|(a, _)| *a == form.about) {
        errors.add("about", "Choose whom the complaint is about");
    }
    let complainant = form.complainant.trim();
    if complainant.is_empty() || complainant.chars().count() > 200 {
        errors.add("complainant", "Enter the complainant’s name, in 200 characters or fewer");
    }
    if form.contact.chars().count() > 300 {
        errors.add("contact", "How to reach them must be 300 characters or fewer");
    }
    let summary = form.summary.trim();
    if summary.is_empty() || summary.chars().count() > 10_000 {
        errors.add("summary", "Enter what the complaint is about, in 10,000 characters or fewer");
    }
    if !ROUTES.iter().any(|(r, _)| *r == form.route) {
        errors.add("route", "Choose whether the Panel resolves it or it is referred to the IOPC");
    }
    let Some(received_on) = received.filter(|_| errors.is_empty()) else {
        return complaints_page(&platform, chrome, form, errors).await;
    };
    let new = store::NewComplaint {
        received_on,
        about: &form.about,
        complainant,
        contact: form.contact.trim(),
        summary,
        route: &form.route,
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    store::add_complaint(&mut tx, &new, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/panel/complaints").into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StepForm {
    version: i64,
    step: String,
    on: String,
    outcome: String,
}

async fn update_complaint(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    if reference.len() > 30 || !reference.starts_with("PCX-") {
        return Err(AppError::NotFound);
    }
    let complaint =
        store::complaints(platform.pool()).await?.into_iter().find(|c| c.reference == reference).ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    let field = format!("step-{reference}");
    let on = db::parse_date(form.on.trim());
    if on.is_none() {
        errors.add(&format!("on-{reference}"), "Enter the date as YYYY-MM-DD");
    }
    if on.is_some_and(|d| complaint.received().is_some_and(|r| d < r)) {
        errors.add(&format!("on-{reference}"), "The date cannot be before the complaint was received");
    }
    if !["acknowledge", "resolve", "withdraw"].contains(&form.step.as_str()) {
        errors.add(&field, "Choose what to record");
    }
    if form.step != "acknowledge" && form.outcome.trim().is_empty() {
        errors.add(&format!("outcome-{reference}"), "Enter the outcome, as told to the complainant");
    }
    let Some(on) = on.filter(|_| errors.is_empty()) else {
        return complaints_page(&platform, chrome, Default::default(), errors).await;
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    let done = store::update_complaint(
        &mut tx,
        (&reference, form.version),
        (&form.step, on, form.outcome.trim()),
        &staff.actor(),
        OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;
    if !done {
        errors.add(&field, "That step cannot be recorded now: the complaint has changed or is closed. Check it below");
        return complaints_page(&platform, chrome, Default::default(), errors).await;
    }
    Ok(Redirect::to("/staff/panel/complaints").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn complaints_are_counted_by_financial_year_and_route() {
        let rows = [("2026-03-31", "panel"), ("2026-04-01", "panel"), ("2026-12-01", "iopc"), ("not a date", "panel")]
            .map(|(d, r)| (d.to_string(), r.to_string()));
        let counts = yearly_counts(&rows);
        assert_eq!(counts.len(), 2);
        assert_eq!(counts[0].0.short_label(), "2026 to 2027");
        assert_eq!((counts[0].1, counts[0].2, counts[0].3), (2, 1, 1));
        assert_eq!((counts[1].1, counts[1].2, counts[1].3), (1, 1, 0));
    }
}
