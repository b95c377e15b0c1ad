//! The Panel's public pages: its meetings with their agendas, papers, minutes, questions and
//! answers; its members; the promised responses and whether they came; the iCalendar feed; and
//! the online form for a question to the Commissioner.

use std::collections::HashMap;

use askama::Template;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::Actor;
use platform::auth::Viewer;
use platform::db::{self, Pool};
use platform::web::forms::{Choice, FormErrors, Select, TextInput, Textarea};
use platform::web::{Form, PageRequest, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::rules;
use crate::store::{self, Attendance, Declaration, Item, Meeting, Member, Paper, Question};

pub fn routes() -> Routes {
    Routes::new()
        .route("/panel", Access::Public, get(home))
        .route("/panel/meetings.ics", Access::Public, get(calendar_feed))
        .route("/panel/meetings/{meeting}", Access::Public, get(meeting_page))
        .route("/panel/papers/{paper}", Access::Public, get(paper_page))
        .route("/panel/questions/ask", Access::Public, get(ask).post(send_question))
        .route("/panel/questions/sent/{reference}", Access::Public, get(question_sent))
        .route("/panel/promised-responses", Access::Public, get(promises_page))
}

/// A meeting as a page shows it. `exempt` says whether Part 2 items' papers are included.
pub(crate) struct MeetingView {
    pub meeting: Meeting,
    pub items: Vec<(Item, Vec<Paper>)>,
    pub supplements: Vec<Paper>,
    pub members: HashMap<String, Member>,
    pub attendance: Vec<Attendance>,
    pub declarations: Vec<Declaration>,
    pub questions: Vec<Question>,
}

impl MeetingView {
    pub fn member_name(&self, id: &str) -> String {
        self.members.get(id).map(|m| m.name.clone()).unwrap_or_default()
    }
    pub fn with(&self, attendance: &str) -> Vec<String> {
        let mut names: Vec<String> =
            self.attendance.iter().filter(|a| a.attendance == attendance).map(|a| self.member_name(&a.member_id)).collect();
        names.sort();
        names
    }
    pub fn item_title(&self, id: &Option<String>) -> String {
        id.as_ref()
            .and_then(|id| self.items.iter().find(|(i, _)| &i.id == id))
            .map(|(i, _)| format!("item {}", i.number))
            .unwrap_or_default()
    }
    /// Whether any question is accepted for the meeting (the public see those, not the rest).
    pub fn any_public_questions(&self) -> bool {
        self.questions.iter().any(|q| q.status != "submitted" && q.status != "declined")
    }
    pub fn has_minutes(&self) -> bool {
        self.meeting.minutes_published != 0 && self.items.iter().any(|(i, _)| !i.minutes.is_empty() || !i.resolution.is_empty())
    }
}

pub(crate) async fn meeting_view(pool: &Pool, meeting: Meeting, exempt: bool) -> Result<MeetingView, sqlx::Error> {
    let items = store::items(pool, &meeting.id).await?;
    let papers = store::papers(pool, &meeting.id).await?;
    let shown = |p: &Paper, item: &Item| exempt || !(p.is_exempt() || item.is_exempt());
    let supplements: Vec<Paper> = papers
        .iter()
        .filter(|p| p.supplement.is_some())
        .filter(|p| items.iter().find(|i| i.id == p.item_id).is_some_and(|i| shown(p, i)))
        .cloned()
        .collect();
    let items = items
        .into_iter()
        .map(|item| {
            let own = papers.iter().filter(|p| p.item_id == item.id && shown(p, &item)).cloned().collect();
            (item, own)
        })
        .collect();
    let members = store::members(pool).await?.into_iter().map(|m| (m.id.clone(), m)).collect();
    let questions = store::questions_for(pool, &meeting.id).await?;
    Ok(MeetingView {
        attendance: store::attendance(pool, &meeting.id).await?,
        declarations: store::declarations(pool, &meeting.id).await?,
        meeting,
        items,
        supplements,
        members,
        questions,
    })
}

pub(crate) fn paper_words(p: &Paper) -> String {
    let mut words = match p.kind.as_str() {
        "generated" => "Web page".to_string(),
        _ if p.file_id.is_some() => "Document".to_string(),
        _ => "On the host council’s website".to_string(),
    };
    if let Some(n) = p.supplement {
        words = format!("Supplement {n}. {words}");
    }
    words
}

// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "panel/home.html")]
struct HomePage {
    chrome: Chrome,
    upcoming: Vec<Meeting>,
    past: Vec<Meeting>,
    members: Vec<Member>,
    host_url: String,
    /// Complaints about the Commissioner or deputy by financial year: the published count.
    complaints: Vec<(platform::periods::FinancialYear, u32, u32, u32)>,
}

async fn home(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let today = platform::calendar::uk_local_date(now);
    let (upcoming, mut past): (Vec<Meeting>, Vec<Meeting>) =
        store::meetings(platform.pool()).await?.into_iter().partition(|m| m.starts() >= now && m.status != "held");
    past.truncate(20);
    let mut upcoming = upcoming;
    upcoming.reverse();
    let members = store::members(platform.pool()).await?.into_iter().filter(|m| m.serves_on(today)).collect();
    let source = store::source(platform.pool()).await?;
    let complaints = crate::business::yearly_counts(&store::complaint_dates(platform.pool()).await?);
    render(&HomePage { chrome, upcoming, past, members, host_url: source.service_url, complaints })
}

#[derive(Template)]
#[template(path = "panel/meeting.html")]
struct MeetingPage {
    chrome: Chrome,
    view: MeetingView,
    today: time::Date,
}

impl MeetingPage {
    fn paper_words(&self, p: &Paper) -> String {
        paper_words(p)
    }
    fn date(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
    fn promise(&self, q: &Question) -> String {
        q.promise(self.today).map(|p| p.words()).unwrap_or_default()
    }
    fn open_for_questions(&self) -> bool {
        self.view.meeting.status == "scheduled"
            && self.view.meeting.questions_close_on().is_some_and(|c| rules::in_time(self.today, c))
    }
}

async fn meeting_page(PageRequest { platform, chrome }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&id) {
        return Err(AppError::NotFound);
    }
    let meeting = store::meeting(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    let view = meeting_view(platform.pool(), meeting, false).await?;
    render(&MeetingPage { chrome, view, today: platform::calendar::uk_today() })
}

#[derive(Template)]
#[template(path = "panel/paper.html")]
pub(crate) struct PaperPage {
    pub chrome: Chrome,
    pub paper: Paper,
    pub meeting: Meeting,
    pub html: String,
    pub back: String,
}

/// Shows or downloads a paper open to the public.
async fn paper_page(PageRequest { platform, chrome }: PageRequest, Path(id): Path<String>) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&id) {
        return Err(AppError::NotFound);
    }
    let paper = store::paper(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    let items = store::items(platform.pool(), &paper.meeting_id).await?;
    let item_exempt = items.iter().find(|i| i.id == paper.item_id).is_none_or(Item::is_exempt);
    if paper.is_exempt() || item_exempt {
        return Err(AppError::NotFound);
    }
    serve_paper(&platform, chrome, paper, None).await
}

/// A paper: withdrawn papers say so; generated ones are pages; files download; an imported
/// paper whose file could not be fetched sends the reader to the host council's copy.
pub(crate) async fn serve_paper(
    platform: &Platform,
    chrome: Chrome,
    paper: Paper,
    audit: Option<&Actor>,
) -> Result<Response, AppError> {
    let meeting = store::meeting(platform.pool(), &paper.meeting_id).await?.ok_or(AppError::NotFound)?;
    let back =
        if audit.is_some() { format!("/staff/panel/meetings/{}", meeting.id) } else { format!("/panel/meetings/{}", meeting.id) };
    if let Some(actor) = audit {
        let event = platform::audit::Event { action: "read", record_type: "panel paper", record_id: &paper.id, detail: "" };
        platform::audit::record_now(platform.pool(), actor, event).await?;
    }
    if paper.is_withdrawn() || paper.kind == "generated" {
        let html = if paper.is_withdrawn() { String::new() } else { store::paper_html(platform.pool(), &paper.id).await? };
        return render(&PaperPage { chrome, paper, meeting, html, back });
    }
    if let Some(file_id) = paper.file_id.as_deref() {
        let file = platform::files::find(platform.pool(), file_id).await?.ok_or(AppError::NotFound)?;
        return platform::files::download(platform.storage(), &file).await.map_err(|e| AppError::Internal(e.into()));
    }
    if paper.source_url.starts_with("https://") || paper.source_url.starts_with("http://") {
        return Ok(Redirect::to(&paper.source_url).into_response());
    }
    Err(AppError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// The calendar feed

async fn calendar_feed(PageRequest { platform, .. }: PageRequest) -> Result<Response, AppError> {
    let office = platform.office().await?;
    let base = platform.settings().public_url.trim_end_matches('/').to_string();
    let host = base.split("//").nth(1).unwrap_or("commissioner").split('/').next().unwrap_or("commissioner").to_string();
    let events: Vec<platform::ics::Event> = store::meetings(platform.pool())
        .await?
        .into_iter()
        .map(|m| platform::ics::Event {
            uid: format!("panel-meeting-{}@{host}", m.id),
            starts: m.starts(),
            minutes: 180,
            summary: format!("{} Panel meeting", office.area),
            location: m.place.clone(),
            description: if m.webcast_url.is_empty() { String::new() } else { format!("Webcast: {}", m.webcast_url) },
            url: format!("{base}/panel/meetings/{}", m.id),
            cancelled: m.status == "cancelled",
            stamp: db::parse_timestamp(&m.updated_at).unwrap_or(m.starts()),
        })
        .collect();
    let body = platform::ics::calendar(&format!("{} Panel meetings", office.area), &events);
    Ok(([(header::CONTENT_TYPE, "text/calendar; charset=utf-8")], body).into_response())
}

// ---------------------------------------------------------------------------------------------
// Asking a question

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QuestionForm {
    meeting: String,
    name: String,
    email: String,
    question: String,
}

#[derive(Template)]
#[template(path = "panel/ask.html")]
struct AskPage {
    chrome: Chrome,
    open: Vec<Meeting>,
    /// Each open meeting's choice in words.
    labels: Vec<String>,
    form: QuestionForm,
    errors: FormErrors,
}

impl AskPage {
    fn meeting(&self) -> Select<'_> {
        let options = self.open.iter().zip(&self.labels).map(|(m, label)| Choice::new(&m.id, label)).collect();
        Select::new("meeting", "Which meeting is your question for?", options, &self.form.meeting, &self.errors)
    }
    fn name(&self) -> TextInput<'_> {
        TextInput::new("name", "Your full name", &self.form.name, &self.errors).autocomplete("name")
    }
    fn email(&self) -> TextInput<'_> {
        TextInput::new("email", "Email address", &self.form.email, &self.errors)
            .hint("We will use it to tell you whether your question is accepted and to send you the answer")
            .autocomplete("email")
            .input_type("email")
            .no_spellcheck()
    }
    fn question(&self) -> Textarea<'_> {
        Textarea::new("question", "Your question", &self.form.question, &self.errors)
            .hint("One question, about the Commissioner’s work, in 1,000 characters or fewer")
            .rows(6)
    }
}

fn labels(open: &[Meeting]) -> Vec<String> {
    open.iter()
        .map(|m| format!("{} (questions close {})", m.date_words(), platform::calendar::long_date_of(&m.questions_close)))
        .collect()
}

/// Meetings still taking the public's questions on `today`.
async fn open_meetings(pool: &Pool, today: time::Date) -> Result<Vec<Meeting>, sqlx::Error> {
    let mut open: Vec<Meeting> = store::meetings(pool)
        .await?
        .into_iter()
        .filter(|m| m.status == "scheduled" && m.questions_close_on().is_some_and(|c| rules::in_time(today, c)))
        .collect();
    open.reverse();
    Ok(open)
}

async fn ask(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let open = open_meetings(platform.pool(), platform::calendar::uk_today()).await?;
    render(&AskPage { chrome, labels: labels(&open), open, form: QuestionForm::default(), errors: FormErrors::new() })
}

/// The rules of a public question, checked in one place: a meeting still open, a name, a
/// contact address, one question of sensible length.
fn check_question(form: &QuestionForm, open: &[Meeting]) -> FormErrors {
    let mut errors = FormErrors::new();
    if !open.iter().any(|m| m.id == form.meeting) {
        errors.add("meeting", "Choose a meeting that is still taking questions");
    }
    let name = form.name.trim();
    if name.is_empty() {
        errors.add("name", "Enter your full name");
    } else if name.chars().count() > 200 {
        errors.add("name", "Your name must be 200 characters or fewer");
    }
    let email = form.email.trim();
    if email.is_empty() {
        errors.add("email", "Enter your email address");
    } else if !platform::contact::is_email(email) || email.len() > 254 {
        errors.add("email", "Enter an email address in the correct format, like name@example.com");
    }
    let question = form.question.trim();
    if question.is_empty() {
        errors.add("question", "Enter your question");
    } else if question.chars().count() > 1_000 {
        errors.add("question", "Your question must be 1,000 characters or fewer");
    } else if question.matches('?').count() > 1 {
        errors.add("question", "Ask one question: the Panel takes one question from each person at a meeting");
    }
    errors
}

async fn send_question(
    PageRequest { platform, chrome }: PageRequest,
    viewer: Viewer,
    Form(form): Form<QuestionForm>,
) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let open = open_meetings(platform.pool(), platform::calendar::uk_local_date(now)).await?;
    let errors = check_question(&form, &open);
    if !errors.is_empty() {
        return platform::web::refused(&AskPage { chrome: chrome.with_errors(true), labels: labels(&open), open, form, errors });
    }
    let new = store::NewQuestion {
        meeting_id: &form.meeting,
        asker: "public",
        asker_name: form.name.trim(),
        email: &form.email.trim().to_lowercase(),
        question: form.question.trim(),
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    let reference = store::add_question(&mut tx, &new, &Actor::public(viewer.address()), now).await?;
    let email = platform::mail::Email::from_paragraphs(
        new.email,
        &format!("Your question to the Panel: {reference}"),
        &[
            format!("We have your question for the Panel’s meeting. Its reference is {reference}."),
            format!("Your question: {}", new.question),
            "The Panel’s support officer will tell you whether it is accepted for the meeting, and if not, why.".into(),
        ],
    );
    platform::mail::enqueue(&mut tx, platform.settings(), &email).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/panel/questions/sent/{reference}")).into_response())
}

#[derive(Template)]
#[template(path = "panel/sent.html")]
struct SentPage {
    chrome: Chrome,
    reference: String,
}

async fn question_sent(
    PageRequest { platform, chrome }: PageRequest,
    Path(reference): Path<String>,
) -> Result<Response, AppError> {
    if reference.len() > 20 || !reference.starts_with("PQ-") {
        return Err(AppError::NotFound);
    }
    let question = store::question(platform.pool(), &reference).await?.ok_or(AppError::NotFound)?;
    render(&SentPage { chrome, reference: question.reference })
}

// ---------------------------------------------------------------------------------------------
// Promised responses

#[derive(Template)]
#[template(path = "panel/promises.html")]
struct PromisesPage {
    chrome: Chrome,
    promised: Vec<(Question, Meeting)>,
    today: time::Date,
}

impl PromisesPage {
    fn promise(&self, q: &Question) -> String {
        q.promise(self.today).map(|p| p.words()).unwrap_or_default()
    }
    fn overdue(&self, q: &Question) -> bool {
        matches!(q.promise(self.today), Some(rules::Promise::Overdue { .. }))
    }
    fn date(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
}

async fn promises_page(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let meetings: HashMap<String, Meeting> =
        store::meetings(platform.pool()).await?.into_iter().map(|m| (m.id.clone(), m)).collect();
    let promised = store::questions(platform.pool())
        .await?
        .into_iter()
        .filter(|q| q.status == "promised")
        .filter_map(|q| meetings.get(&q.meeting_id).cloned().map(|m| (q, m)))
        .collect();
    render(&PromisesPage { chrome, promised, today: platform::calendar::uk_today() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meeting(id: &str) -> Meeting {
        Meeting {
            id: id.into(),
            starts_at: "2027-02-04T10:00:00.000000Z".into(),
            place: String::new(),
            webcast_url: String::new(),
            status: "scheduled".into(),
            questions_close: "2027-01-29".into(),
            source: "office".into(),
            external_id: None,
            minutes_published: 0,
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_public_question_is_checked_by_the_panels_rules() {
        let open = [meeting("m1")];
        let good = QuestionForm {
            meeting: "m1".into(),
            name: "A Resident".into(),
            email: "a@example.com".into(),
            question: "Will you fund more PCSOs?".into(),
        };
        assert!(check_question(&good, &open).is_empty());
        let table = [
            (QuestionForm { meeting: "m2".into(), ..clone(&good) }, "meeting"),
            (QuestionForm { name: " ".into(), ..clone(&good) }, "name"),
            (QuestionForm { email: "not an address".into(), ..clone(&good) }, "email"),
            (QuestionForm { question: String::new(), ..clone(&good) }, "question"),
            (QuestionForm { question: "Why? And why not?".into(), ..clone(&good) }, "question"),
            (QuestionForm { question: "x".repeat(1_001), ..clone(&good) }, "question"),
        ];
        for (form, field) in table {
            let errors = check_question(&form, &open);
            assert!(errors.for_field(field).is_some(), "{form:?} should fail on {field}");
        }
    }

    fn clone(f: &QuestionForm) -> QuestionForm {
        QuestionForm { meeting: f.meeting.clone(), name: f.name.clone(), email: f.email.clone(), question: f.question.clone() }
    }
}
