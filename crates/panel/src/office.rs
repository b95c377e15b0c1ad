//! The Panel's back office: members and their terms, meetings with their agendas, papers
//! (uploaded or generated from the plan, performance and precept records), attendance,
//! declarations and minutes, the public's questions and the responses promised, and the import
//! from the host council's ModernGov. The Panel's officers run it; its members read it, Part 2
//! papers included.

use std::collections::HashMap;

use askama::Template;
use axum::extract::{Path, Query, Request};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::auth::CurrentStaff;
use platform::db;
use platform::files::AllowedType;
use platform::web::forms::{Choice, FileUpload, FormErrors, Select, TextInput};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

use crate::pages::{MeetingView, meeting_view, paper_words};
use crate::store::{self, Meeting, Member, Paper, Question};
use crate::{OFFICERS, PANEL, rules};

pub fn routes() -> Routes {
    let officers = Access::Roles(OFFICERS);
    let panel = Access::Roles(PANEL);
    Routes::new()
        .route("/staff/panel", panel, get(home))
        .route("/staff/panel/meetings", officers, post(add_meeting))
        .route("/staff/panel/members", officers, post(add_member))
        .route("/staff/panel/members/{member}/end", officers, post(end_term))
        .route("/staff/panel/source", officers, post(set_source))
        .route("/staff/panel/import", officers, post(import_now))
        .route("/staff/panel/meetings/{meeting}", panel, get(meeting_page))
        .route("/staff/panel/meetings/{meeting}/items", officers, post(add_item))
        .route(
            "/staff/panel/meetings/{meeting}/papers",
            officers,
            post(upload_paper).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/staff/panel/meetings/{meeting}/generate", officers, post(generate_paper))
        .route("/staff/panel/meetings/{meeting}/record", officers, post(record_meeting))
        .route("/staff/panel/papers/{paper}", panel, get(read_paper))
        .route("/staff/panel/papers/{paper}/withdraw", officers, post(withdraw_paper))
        .route("/staff/panel/meetings/{meeting}/questions", officers, post(add_member_question))
        .route("/staff/panel/questions/{question}", officers, post(settle_question))
}

/// Papers the Panel takes: documents and spreadsheets.
const PAPER_TYPES: &[AllowedType] = &[
    AllowedType { mime: "application/pdf", extensions: &["pdf"] },
    AllowedType { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", extensions: &["docx"] },
    AllowedType { mime: "application/vnd.oasis.opendocument.text", extensions: &["odt"] },
    AllowedType { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", extensions: &["xlsx"] },
];

fn manages(staff: &CurrentStaff) -> bool {
    OFFICERS.contains(&staff.user.role)
}

fn read_date(text: &str, errors: &mut FormErrors, field: &str, what: &str) -> Option<Date> {
    let found = db::parse_date(text.trim());
    if found.is_none() {
        errors.add(field, format!("Enter {what} as YYYY-MM-DD, for example 2027-02-04"));
    }
    found
}

fn limited(text: &str, max: usize, errors: &mut FormErrors, field: &str, what: &str) -> String {
    let t = text.trim();
    if t.is_empty() {
        errors.add(field, format!("Enter {what}"));
    } else if t.chars().count() > max {
        errors.add(field, format!("{} must be {} characters or fewer", capitalised(what), platform::format::thousands(max)));
    }
    t.to_string()
}

fn capitalised(text: &str) -> String {
    let mut c = text.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn url_ok(text: &str) -> bool {
    let t = text.trim();
    t.is_empty()
        || ((t.starts_with("https://") || t.starts_with("http://")) && t.len() <= 500 && !t.contains(char::is_whitespace))
}

// ---------------------------------------------------------------------------------------------
// The overview

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MeetingForm {
    date: String,
    time: String,
    place: String,
    webcast_url: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MemberForm {
    name: String,
    kind: String,
    council: String,
    party: String,
    position: String,
    term_from: String,
    term_to: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SourceForm {
    service_url: String,
    committee_id: String,
    from: String,
    to: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Said {
    done: String,
}

#[derive(Template)]
#[template(path = "panel/staff_home.html")]
struct HomePage {
    chrome: Chrome,
    manages: bool,
    meetings: Vec<Meeting>,
    members: Vec<Member>,
    waiting: Vec<(Question, Meeting)>,
    promised: Vec<(Question, Meeting)>,
    source: store::Source,
    today: Date,
    done: String,
    meeting_form: MeetingForm,
    member_form: MemberForm,
    source_form: SourceForm,
    errors: FormErrors,
}

const KINDS: [(&str, &str); 2] = [("councillor", "Councillor"), ("independent", "Independent co-opted member")];
const POSITIONS: [(&str, &str); 3] = [("Member", "Member"), ("Chair", "Chair"), ("Vice-Chair", "Vice-Chair")];

impl HomePage {
    fn date(&self, text: &str) -> String {
        platform::calendar::long_date_of(text)
    }
    fn promise(&self, q: &Question) -> String {
        q.promise(self.today).map(|p| p.words()).unwrap_or_default()
    }
    fn serving(&self, m: &Member) -> bool {
        m.serves_on(self.today)
    }
    fn meeting_date(&self) -> TextInput<'_> {
        TextInput::new("date", "Date", &self.meeting_form.date, &self.errors)
            .hint("As YYYY-MM-DD, for example 2027-02-04")
            .width("govuk-input--width-10")
    }
    fn meeting_time(&self) -> TextInput<'_> {
        TextInput::new("time", "Start time", &self.meeting_form.time, &self.errors)
            .hint("UK time, 24-hour clock, for example 10:00")
            .width("govuk-input--width-5")
    }
    fn meeting_place(&self) -> TextInput<'_> {
        TextInput::new("place", "Where", &self.meeting_form.place, &self.errors)
    }
    fn meeting_webcast(&self) -> TextInput<'_> {
        TextInput::new("webcast_url", "Webcast address (optional)", &self.meeting_form.webcast_url, &self.errors)
            .input_type("url")
    }
    fn member_name(&self) -> TextInput<'_> {
        TextInput::new("name", "Name", &self.member_form.name, &self.errors)
    }
    fn member_kind(&self) -> Select<'_> {
        Select::new("kind", "Kind of member", Choice::each(&KINDS), &self.member_form.kind, &self.errors)
    }
    fn member_council(&self) -> TextInput<'_> {
        TextInput::new("council", "Council that appointed them (councillors)", &self.member_form.council, &self.errors)
    }
    fn member_party(&self) -> TextInput<'_> {
        TextInput::new("party", "Political party (optional)", &self.member_form.party, &self.errors)
    }
    fn member_position(&self) -> Select<'_> {
        Select::new("position", "Position on the Panel", Choice::each(&POSITIONS), &self.member_form.position, &self.errors)
    }
    fn term_from(&self) -> TextInput<'_> {
        TextInput::new("term_from", "Term of office starts", &self.member_form.term_from, &self.errors)
            .hint("As YYYY-MM-DD")
            .width("govuk-input--width-10")
    }
    fn term_to(&self) -> TextInput<'_> {
        TextInput::new("term_to", "Term of office ends (optional)", &self.member_form.term_to, &self.errors)
            .hint("As YYYY-MM-DD")
            .width("govuk-input--width-10")
    }
    fn service_url(&self) -> TextInput<'_> {
        TextInput::new(
            "service_url",
            "Address of the host council’s ModernGov web service",
            &self.source_form.service_url,
            &self.errors,
        )
        .hint("Starting https:// and ending mgWebService.asmx: the council’s democratic services team can give it")
        .input_type("url")
    }
    fn committee_id(&self) -> TextInput<'_> {
        TextInput::new("committee_id", "The Panel’s committee number in ModernGov", &self.source_form.committee_id, &self.errors)
            .width("govuk-input--width-5")
    }
    fn import_from(&self) -> TextInput<'_> {
        TextInput::new("from", "Meetings from", &self.source_form.from, &self.errors)
            .hint("As YYYY-MM-DD")
            .width("govuk-input--width-10")
    }
    fn import_to(&self) -> TextInput<'_> {
        TextInput::new("to", "Meetings to", &self.source_form.to, &self.errors)
            .hint("As YYYY-MM-DD")
            .width("govuk-input--width-10")
    }
}

async fn home_page(
    platform: &Platform,
    chrome: Chrome,
    staff: &CurrentStaff,
    forms: (MeetingForm, MemberForm, SourceForm),
    errors: FormErrors,
    done: String,
) -> Result<Response, AppError> {
    let pool = platform.pool();
    let today = platform::calendar::uk_today();
    let meetings = store::meetings(pool).await?;
    let by_id: HashMap<String, Meeting> = meetings.iter().map(|m| (m.id.clone(), m.clone())).collect();
    let questions = store::questions(pool).await?;
    let with_meeting = |status: &str| -> Vec<(Question, Meeting)> {
        questions
            .iter()
            .filter(|q| q.status == status && (status != "promised" || q.responded_on.is_none()))
            .filter_map(|q| by_id.get(&q.meeting_id).map(|m| (q.clone(), m.clone())))
            .collect()
    };
    let source = store::source(pool).await?;
    let mut source_form = forms.2;
    if source_form.service_url.is_empty() && source_form.committee_id.is_empty() {
        source_form.service_url = source.service_url.clone();
        source_form.committee_id = source.committee_id.clone();
    }
    let failed = !errors.is_empty();
    let page = HomePage {
        chrome: chrome.with_errors(failed),
        manages: manages(staff),
        waiting: with_meeting("submitted"),
        promised: with_meeting("promised"),
        meetings,
        members: store::members(pool).await?,
        source,
        today,
        done,
        meeting_form: forms.0,
        member_form: forms.1,
        source_form,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn home(StaffPage { platform, chrome, staff }: StaffPage, Query(said): Query<Said>) -> Result<Response, AppError> {
    let done = said.done.chars().take(500).collect();
    home_page(&platform, chrome, &staff, Default::default(), FormErrors::new(), done).await
}

fn done(said: &str) -> Response {
    let said = percent_encode(said);
    Redirect::to(&format!("/staff/panel?done={said}")).into_response()
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Reads "10:00" or "14:30" as a UK clock time.
fn read_clock(text: &str) -> Option<time::Time> {
    let (h, m) = text.trim().split_once(':')?;
    time::Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
}

async fn add_meeting(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<MeetingForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let day = read_date(&form.date, &mut errors, "date", "the date");
    let clock = read_clock(&form.time);
    if clock.is_none() {
        errors.add("time", "Enter the start time as hours and minutes, for example 10:00");
    }
    let place = limited(&form.place, 300, &mut errors, "place", "where the meeting is");
    if !url_ok(&form.webcast_url) {
        errors.add("webcast_url", "Enter the webcast’s address, starting https://, or leave it empty");
    }
    let (Some(day), Some(clock)) = (day, clock) else {
        return home_page(&platform, chrome, &staff, (form, Default::default(), Default::default()), errors, String::new()).await;
    };
    if !errors.is_empty() {
        return home_page(&platform, chrome, &staff, (form, Default::default(), Default::default()), errors, String::new()).await;
    }
    let calendar = platform::calendar::store::for_nation(platform.pool(), platform::calendar::Nation::EnglandAndWales).await?;
    let now = OffsetDateTime::now_utc();
    let starts_at = platform::calendar::from_uk_local(PrimitiveDateTime::new(day, clock));
    let new = store::NewMeeting {
        starts_at,
        place: &place,
        webcast_url: form.webcast_url.trim(),
        status: if starts_at < now { "held" } else { "scheduled" },
        questions_close: rules::questions_close(day, rules::QUESTION_NOTICE_WORKING_DAYS, &calendar),
        source: "office",
        external_id: None,
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    let id = store::add_meeting(&mut tx, &new, &staff.actor(), now).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/staff/panel/meetings/{id}")).into_response())
}

async fn add_member(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<MemberForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let name = limited(&form.name, 200, &mut errors, "name", "the member’s name");
    if !KINDS.iter().any(|(k, _)| *k == form.kind) {
        errors.add("kind", "Choose whether they are a councillor or an independent member");
    }
    if form.kind == "councillor" && form.council.trim().is_empty() {
        errors.add("council", "Enter the council that appointed the councillor");
    }
    if form.council.chars().count() > 200 || form.party.chars().count() > 200 {
        errors.add("council", "The council and party must each be 200 characters or fewer");
    }
    let position = POSITIONS.iter().find(|(p, _)| *p == form.position).map(|(p, _)| *p).unwrap_or("Member");
    let from = read_date(&form.term_from, &mut errors, "term_from", "the date the term starts");
    let to = match form.term_to.trim() {
        "" => None,
        text => read_date(text, &mut errors, "term_to", "the date the term ends"),
    };
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        errors.add("term_to", "The term must end after it starts");
    }
    let Some(term_from) = from else {
        return home_page(&platform, chrome, &staff, (Default::default(), form, Default::default()), errors, String::new()).await;
    };
    if !errors.is_empty() {
        return home_page(&platform, chrome, &staff, (Default::default(), form, Default::default()), errors, String::new()).await;
    }
    let new = store::NewMember {
        name: &name,
        kind: &form.kind,
        council: form.council.trim(),
        party: form.party.trim(),
        position,
        term_from,
        term_to: to,
        external_id: None,
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    store::add_member(&mut tx, &new, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(done(&format!("{name} added to the Panel")))
}

async fn end_term(StaffPage { platform, staff, .. }: StaffPage, Path(member): Path<String>) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&member) {
        return Err(AppError::NotFound);
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let ended = store::end_term(&mut tx, &member, platform::calendar::uk_local_date(now), &staff.actor(), now).await?;
    tx.commit().await?;
    if !ended {
        return Err(AppError::NotFound);
    }
    Ok(done("Term of office ended today"))
}

async fn set_source(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<SourceForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let url = form.service_url.trim().trim_end_matches('/');
    if !url.is_empty() && (!url_ok(url) || !url.to_ascii_lowercase().ends_with("mgwebservice.asmx")) {
        errors.add("service_url", "Enter the web service’s address, starting https:// and ending mgWebService.asmx, or leave it empty if the Panel’s meetings are run here");
    }
    let committee = form.committee_id.trim();
    if !url.is_empty() && (committee.is_empty() || !committee.chars().all(|c| c.is_ascii_digit()) || committee.len() > 12) {
        errors.add("committee_id", "Enter the Panel’s committee number, in figures");
    }
    if !errors.is_empty() {
        return home_page(&platform, chrome, &staff, (Default::default(), Default::default(), form), errors, String::new()).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    store::set_source(&mut tx, (url, committee, ""), &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(done(if url.is_empty() { "Meetings are run here" } else { "ModernGov web service saved" }))
}

async fn import_now(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<SourceForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let source = store::source(platform.pool()).await?;
    if source.service_url.is_empty() {
        errors.add("service_url", "Save the host council’s web service address before importing");
    }
    let from = read_date(&form.from, &mut errors, "from", "the first date");
    let to = read_date(&form.to, &mut errors, "to", "the last date");
    if let (Some(f), Some(t)) = (from, to)
        && (t < f || (t - f).whole_days() > 3 * 366)
    {
        errors.add("to", "The last date must be after the first, and within three years of it");
    }
    let (Some(from), Some(to)) = (from, to) else {
        return home_page(&platform, chrome, &staff, (Default::default(), Default::default(), form), errors, String::new()).await;
    };
    if !errors.is_empty() {
        return home_page(&platform, chrome, &staff, (Default::default(), Default::default(), form), errors, String::new()).await;
    }
    let service = crate::moderngov::Service::new(&source.service_url).map_err(AppError::Internal)?;
    let now = OffsetDateTime::now_utc();
    match crate::moderngov::import(
        platform.pool(),
        platform.storage(),
        &service,
        (&source.committee_id, from, to),
        &staff.actor(),
        now,
    )
    .await
    {
        Ok(imported) => Ok(done(&format!("Imported: {}", imported.words()))),
        Err(why) => {
            errors.add("service_url", format!("Nothing was imported: {why}"));
            home_page(&platform, chrome, &staff, (Default::default(), Default::default(), form), errors, String::new()).await
        }
    }
}

// ---------------------------------------------------------------------------------------------
// A meeting

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ItemForm {
    number: String,
    title: String,
    exempt_reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PaperForm {
    item: String,
    title: String,
    exempt: String,
    supplement: String,
    generator: String,
}

#[derive(Template)]
#[template(path = "panel/staff_meeting.html")]
struct MeetingPage {
    chrome: Chrome,
    manages: bool,
    view: MeetingView,
    members: Vec<Member>,
    generators: Vec<(String, String)>,
    today: Date,
    item_form: ItemForm,
    paper_form: PaperForm,
    errors: FormErrors,
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
    fn attendance_of(&self, member: &str) -> String {
        self.view.attendance.iter().find(|a| a.member_id == member).map(|a| a.attendance.clone()).unwrap_or_default()
    }
    fn item_number(&self) -> TextInput<'_> {
        TextInput::new("number", "Item number (optional)", &self.item_form.number, &self.errors).width("govuk-input--width-4")
    }
    fn item_title(&self) -> TextInput<'_> {
        TextInput::new("title", "Title", &self.item_form.title, &self.errors)
    }
    fn exempt_reason(&self) -> TextInput<'_> {
        TextInput::new("exempt_reason", "If the item is exempt (Part 2), why (optional)", &self.item_form.exempt_reason, &self.errors)
            .hint("The paragraph of Schedule 12A to the Local Government Act 1972, for example Paragraph 3: financial or business affairs")
    }
    fn items(&self, name: &'static str) -> Select<'_> {
        let options = self.view.items.iter().map(|(i, _)| Choice::new(&i.id, &i.title)).collect();
        let mut s = Select::new(name, "Agenda item", options, &self.paper_form.item, &self.errors);
        s.name = "item";
        s
    }
    fn paper_title(&self) -> TextInput<'_> {
        TextInput::new("title", "Title of the paper", &self.paper_form.title, &self.errors)
    }
    fn paper_file(&self) -> FileUpload<'_> {
        FileUpload::new("file", "Upload the paper", &self.errors)
            .hint("A PDF, Word, OpenDocument or Excel file, smaller than 20 MB")
    }
    fn asking_member(&self) -> Select<'_> {
        let day = self.view.meeting.day();
        let options = self.members.iter().filter(|m| m.serves_on(day)).map(|m| Choice::new(&m.id, &m.name)).collect();
        Select::new("member", "Member who asked", options, "", &self.errors)
    }
    fn member_question(&self) -> platform::web::forms::Textarea<'_> {
        let mut area = platform::web::forms::Textarea::new("member-question", "The question, as asked", "", &self.errors).rows(3);
        area.name = "question";
        area
    }
    fn generator(&self) -> Select<'_> {
        let options = self.generators.iter().map(|(v, t)| Choice::new(v, t)).collect();
        Select::new("generator", "Paper to make", options, &self.paper_form.generator, &self.errors)
    }
}

async fn meeting_of(platform: &Platform, id: &str) -> Result<Meeting, AppError> {
    if !platform::ids::is_well_formed(id) {
        return Err(AppError::NotFound);
    }
    store::meeting(platform.pool(), id).await?.ok_or(AppError::NotFound)
}

/// The dates a "decisions published since the last meeting" paper covers: from the day after the
/// meeting before this one (or 3 months back when there was none) to today or the meeting's day,
/// whichever is earlier. None when that leaves no days.
pub fn since_last_meeting(meeting: &Meeting, meetings: &[Meeting], today: Date) -> Option<(Date, Date)> {
    let day = meeting.day();
    let previous =
        meetings.iter().filter(|m| m.id != meeting.id && m.status != "cancelled" && m.day() < day).map(Meeting::day).max();
    let from = previous.map(|d| d + time::Duration::days(1)).unwrap_or(day - time::Duration::days(91));
    let to = today.min(day);
    (from <= to).then_some((from, to))
}

/// The paper listing the decisions published between two dates, each with its summary and link.
pub fn decisions_paper(
    office: &str,
    (from, to): (Date, Date),
    decisions: &[transparency::PublishedDecision],
    base: &str,
    today: Date,
) -> publishing::Document {
    use platform::charts::{Column, Table};
    use platform::format::Value;
    use publishing::Block;
    let mut doc = publishing::Document::new("Decisions published since the last meeting", office, today);
    doc.push(Block::Paragraph(format!(
        "The Commissioner’s decisions published from {} to {}, from the decisions register. Each links to its record, with the reasons, the options considered and the money involved.",
        platform::format::date(from),
        platform::format::date(to)
    )));
    if decisions.is_empty() {
        doc.push(Block::Paragraph("No decisions were published in these dates.".into()));
        return doc;
    }
    doc.push(Block::Table(Table {
        caption: format!("{} decisions published", platform::format::count(decisions.len() as i64)),
        columns: vec![Column::text("Number"), Column::text("Decision"), Column::text("Decided"), Column::text("Published")],
        rows: decisions
            .iter()
            .map(|d| {
                vec![
                    Value::Text(d.number.clone()),
                    Value::Text(d.title.clone()),
                    Value::Text(platform::format::date(d.decided_on)),
                    Value::Text(platform::format::date(d.published_on)),
                ]
            })
            .collect(),
    }));
    for d in decisions {
        doc.push(Block::Heading(2, format!("{}: {}", d.number, d.title)));
        doc.push(Block::Paragraph(format!("Decided by {} on {}.", d.decision_maker, platform::format::date(d.decided_on))));
        doc.push(Block::Paragraph(d.summary.clone()));
        doc.push(Block::Paragraph(format!("The full record: {base}{}", d.path)));
    }
    doc
}

/// What the office can generate a paper from: the decisions published since the last meeting,
/// locked plan quarters, locked performance quarters and the precept rounds.
async fn generators(platform: &Platform, meeting: &Meeting) -> Result<Vec<(String, String)>, AppError> {
    let mut out = Vec::new();
    let meetings = store::meetings(platform.pool()).await?;
    if let Some((from, to)) = since_last_meeting(meeting, &meetings, platform::calendar::uk_today()) {
        out.push((
            format!("decisions:{}:{}", db::date(from), db::date(to)),
            format!(
                "Decisions published since the last meeting ({} to {})",
                platform::format::date(from),
                platform::format::date(to)
            ),
        ));
    }
    for (plan, words, quarter) in plans::report::locked_quarters(platform.pool()).await? {
        out.push((format!("plan:{plan}:{quarter}"), format!("Plan update report, {words}")));
    }
    for locked in performance::snapshot::list(platform.pool()).await? {
        out.push((
            format!("performance:{}:{}", locked.service.slug(), locked.quarter),
            format!("Performance pack, {}", locked.title()),
        ));
    }
    for round in store::precept_rounds(platform.pool()).await? {
        if round.proposed_band_d.is_some() {
            out.push((
                format!("precept:{}", round.id),
                format!("Precept proposal, {} {}", round.precept().words(), round.year_words()),
            ));
        }
    }
    Ok(out)
}

async fn show_meeting(
    platform: &Platform,
    chrome: Chrome,
    staff: &CurrentStaff,
    meeting: Meeting,
    forms: (ItemForm, PaperForm),
    errors: FormErrors,
) -> Result<Response, AppError> {
    let generators = if manages(staff) { generators(platform, &meeting).await? } else { Vec::new() };
    let view = meeting_view(platform.pool(), meeting, true).await?;
    let failed = !errors.is_empty();
    let page = MeetingPage {
        chrome: chrome.with_errors(failed),
        manages: manages(staff),
        view,
        members: store::members(platform.pool()).await?,
        generators,
        today: platform::calendar::uk_today(),
        item_form: forms.0,
        paper_form: forms.1,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn meeting_page(StaffPage { platform, chrome, staff }: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    let meeting = meeting_of(&platform, &id).await?;
    show_meeting(&platform, chrome, &staff, meeting, Default::default(), FormErrors::new()).await
}

fn back_to(meeting: &str, anchor: &str) -> Response {
    Redirect::to(&format!("/staff/panel/meetings/{meeting}{anchor}")).into_response()
}

async fn add_item(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<ItemForm>,
) -> Result<Response, AppError> {
    let meeting = meeting_of(&platform, &id).await?;
    let mut errors = FormErrors::new();
    if meeting.imported() {
        errors.add("title", "This meeting is imported from the host council: add items there, then import again");
    }
    let title = limited(&form.title, 300, &mut errors, "title", "the item’s title");
    if form.number.chars().count() > 10 {
        errors.add("number", "The item number must be 10 characters or fewer");
    }
    if form.exempt_reason.chars().count() > 300 {
        errors.add("exempt_reason", "The reason must be 300 characters or fewer");
    }
    if !errors.is_empty() {
        return show_meeting(&platform, chrome, &staff, meeting, (form, Default::default()), errors).await;
    }
    let reason = Some(form.exempt_reason.trim()).filter(|r| !r.is_empty());
    let new = store::NewItem { number: form.number.trim(), title: &title, exempt_reason: reason, minutes: "", external_id: None };
    let mut tx = db::begin_write(platform.pool()).await?;
    store::add_item(&mut tx, &meeting.id, &new, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(back_to(&meeting.id, "#agenda"))
}

fn paper_rules(platform: &Platform) -> platform::files::UploadRules {
    platform::files::UploadRules {
        max_bytes: 20 * 1024 * 1024,
        max_files: 1,
        allowed: PAPER_TYPES,
        described_as: "a PDF, Word, OpenDocument or Excel file",
        max_text_bytes: platform.settings().form_body_limit_bytes,
        max_fields: 8,
    }
}

async fn upload_paper(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, AppError> {
    let meeting = meeting_of(&platform, &id).await?;
    let (form, uploads, mut errors): (PaperForm, _, _) =
        platform::web::read_form_with_files(&platform, request, paper_rules(&platform), "file").await?;
    let items = store::items(platform.pool(), &meeting.id).await?;
    if !items.iter().any(|i| i.id == form.item) {
        errors.add("item", "Choose the agenda item the paper is for");
    }
    let title = limited(&form.title, 300, &mut errors, "title", "the paper’s title");
    let upload = uploads.into_iter().next();
    if upload.is_none() && errors.for_field("file").is_none() {
        errors.add("file", "Select the paper’s file");
    }
    let Some(upload) = upload.filter(|_| errors.is_empty()) else {
        return show_meeting(&platform, chrome, &staff, meeting, (Default::default(), form), errors).await;
    };
    platform.storage().persist(&upload).await.map_err(|e| AppError::Internal(e.into()))?;
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let file_id = platform::files::record(&mut tx, &upload, "panel paper", &meeting.id, now).await?;
    let new = store::NewPaper {
        item_id: &form.item,
        title: &title,
        kind: "uploaded",
        generated_from: "",
        html: "",
        file_id: Some(&file_id),
        source_url: "",
        exempt: form.exempt == "yes",
        external_id: None,
    };
    store::add_paper(&mut tx, &meeting.id, &new, form.supplement == "yes", &staff.actor(), now).await?;
    tx.commit().await?;
    Ok(back_to(&meeting.id, "#agenda"))
}

/// Makes a paper from the office's records, frozen as it stands today.
async fn generate_paper(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<PaperForm>,
) -> Result<Response, AppError> {
    let meeting = meeting_of(&platform, &id).await?;
    let mut errors = FormErrors::new();
    let items = store::items(platform.pool(), &meeting.id).await?;
    if !items.iter().any(|i| i.id == form.item) {
        errors.add("generate-item", "Choose the agenda item the paper is for");
    }
    let document = if errors.is_empty() { generate(&platform, &form.generator).await? } else { None };
    let Some(document) = document else {
        if errors.is_empty() {
            errors.add("generator", "Choose a paper to make");
        }
        return show_meeting(&platform, chrome, &staff, meeting, (Default::default(), form), errors).await;
    };
    let html = document.html_in("paper-");
    let new = store::NewPaper {
        item_id: &form.item,
        title: &document.title,
        kind: "generated",
        generated_from: &form.generator,
        html: &html,
        file_id: None,
        source_url: "",
        exempt: false,
        external_id: None,
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    store::add_paper(&mut tx, &meeting.id, &new, form.supplement == "yes", &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(back_to(&meeting.id, "#agenda"))
}

async fn generate(platform: &Platform, generator: &str) -> Result<Option<publishing::Document>, AppError> {
    let parts: Vec<&str> = generator.splitn(3, ':').collect();
    match parts.as_slice() {
        ["plan", plan, quarter] => {
            let office = platform.office().await?;
            Ok(plans::report::for_quarter(platform.pool(), &office, (plan, quarter), platform::calendar::uk_today()).await?)
        }
        ["performance", service, quarter] => {
            let Some(service) = performance::model::Service::from_slug(service) else { return Ok(None) };
            let Some((locked, content)) = performance::snapshot::find(platform.pool(), service, quarter).await? else {
                return Ok(None);
            };
            let commentary = performance::snapshot::commentary(platform.pool(), &locked.id).await?;
            Ok(Some(performance::snapshot::pack(&locked, &content, &commentary, platform::calendar::uk_today())))
        }
        ["precept", round] => {
            let Some(row) = store::precept_round(platform.pool(), round).await? else { return Ok(None) };
            let office = platform.office().await?;
            Ok(Some(crate::precept_pages::proposal(&row, &office.name, platform::calendar::uk_today())))
        }
        ["decisions", from, to] => {
            let (Some(from), Some(to)) = (db::parse_date(from), db::parse_date(to)) else { return Ok(None) };
            if to < from {
                return Ok(None);
            }
            let office = platform.office().await?;
            let decisions = transparency::decisions_published_between(platform.pool(), from, to).await?;
            let base = platform.settings().public_url.trim_end_matches('/').to_string();
            Ok(Some(decisions_paper(&office.name, (from, to), &decisions, &base, platform::calendar::uk_today())))
        }
        _ => Ok(None),
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RecordForm {
    status: String,
    webcast_url: String,
    publish_minutes: String,
    #[serde(flatten)]
    fields: HashMap<String, String>,
}

/// Records what happened at a meeting: its status and webcast, who attended, interests declared,
/// each item's minute and resolution, and whether the minutes are published.
async fn record_meeting(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<RecordForm>,
) -> Result<Response, AppError> {
    let meeting = meeting_of(&platform, &id).await?;
    let mut errors = FormErrors::new();
    if !["scheduled", "held", "cancelled", "postponed"].contains(&form.status.as_str()) {
        errors.add("status", "Choose the meeting’s status");
    }
    if !url_ok(&form.webcast_url) {
        errors.add("webcast_url", "Enter the webcast’s address, starting https://, or leave it empty");
    }
    let members = store::members(platform.pool()).await?;
    let items = store::items(platform.pool(), &meeting.id).await?;
    let mut attendance = Vec::new();
    for m in &members {
        if let Some(a @ ("present" | "apologies" | "absent")) =
            form.fields.get(&format!("attendance-{}", m.id)).map(String::as_str)
        {
            attendance.push((m.id.clone(), a.to_string(), String::new()));
        }
    }
    let interest = form.fields.get("interest").map(|s| s.trim().to_string()).unwrap_or_default();
    let interest_member = form.fields.get("interest_member").cloned().unwrap_or_default();
    if !interest.is_empty() && !members.iter().any(|m| m.id == interest_member) {
        errors.add("interest_member", "Choose the member who declared the interest");
    }
    if interest.chars().count() > 1_000 {
        errors.add("interest", "The interest must be 1,000 characters or fewer");
    }
    for item in &items {
        let minutes = form.fields.get(&format!("minutes-{}", item.id)).map(String::as_str).unwrap_or_default();
        if minutes.chars().count() > 20_000 {
            errors.add(
                &format!("minutes-{}", item.id),
                format!("The minute of item {} must be 20,000 characters or fewer", item.number),
            );
        }
    }
    if !errors.is_empty() {
        return show_meeting(&platform, chrome, &staff, meeting, Default::default(), errors).await;
    }
    let now = OffsetDateTime::now_utc();
    let actor = staff.actor();
    let mut tx = db::begin_write(platform.pool()).await?;
    if !meeting.imported() {
        store::set_meeting_status(&mut tx, &meeting.id, (&form.status, form.webcast_url.trim()), &actor, now).await?;
        if !attendance.is_empty() {
            store::record_attendance(&mut tx, &meeting.id, &attendance, &actor, now).await?;
        }
        for item in &items {
            let minutes = form.fields.get(&format!("minutes-{}", item.id)).map(|s| s.trim().to_string()).unwrap_or_default();
            let resolution =
                form.fields.get(&format!("resolution-{}", item.id)).map(|s| s.trim().to_string()).unwrap_or_default();
            if minutes != item.minutes || resolution != item.resolution {
                store::write_minutes(&mut tx, &item.id, (&minutes, &resolution), &actor, now).await?;
            }
        }
    }
    if !interest.is_empty() {
        let item = form.fields.get("interest_item").filter(|i| items.iter().any(|it| &it.id == *i)).map(String::as_str);
        store::declare(&mut tx, &meeting.id, (&interest_member, item, &interest), &actor, now).await?;
    }
    if form.publish_minutes == "yes" && meeting.minutes_published == 0 {
        store::publish_minutes(&mut tx, &meeting.id, &actor, now).await?;
    }
    tx.commit().await?;
    Ok(back_to(&meeting.id, "#record"))
}

async fn read_paper(StaffPage { platform, chrome, staff }: StaffPage, Path(id): Path<String>) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&id) {
        return Err(AppError::NotFound);
    }
    let paper = store::paper(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    crate::pages::serve_paper(&platform, chrome, paper, Some(&staff.actor())).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WithdrawForm {
    reason: String,
}

async fn withdraw_paper(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<WithdrawForm>,
) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&id) {
        return Err(AppError::NotFound);
    }
    let paper = store::paper(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    let meeting = meeting_of(&platform, &paper.meeting_id).await?;
    let mut errors = FormErrors::new();
    let reason = limited(&form.reason, 300, &mut errors, &format!("reason-{}", paper.id), "why the paper is withdrawn");
    if !errors.is_empty() {
        return show_meeting(&platform, chrome, &staff, meeting, Default::default(), errors).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    store::withdraw_paper(&mut tx, &paper.id, &reason, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(back_to(&meeting.id, "#agenda"))
}

// ---------------------------------------------------------------------------------------------
// Questions

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SettleForm {
    version: i64,
    action: String,
    words: String,
    due: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct MemberQuestionForm {
    member: String,
    question: String,
}

/// Records a Panel member's question to the Commissioner at a meeting: accepted as it is asked.
async fn add_member_question(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<MemberQuestionForm>,
) -> Result<Response, AppError> {
    let meeting = meeting_of(&platform, &id).await?;
    let mut errors = FormErrors::new();
    let members = store::members(platform.pool()).await?;
    let member = members.iter().find(|m| m.id == form.member && m.serves_on(meeting.day()));
    if member.is_none() {
        errors.add("member", "Choose the member who asked, from those serving on the day of the meeting");
    }
    let question = form.question.trim();
    if question.is_empty() || question.chars().count() > 2_000 {
        errors.add("member-question", "Enter the question as asked, in 2,000 characters or fewer");
    }
    let Some(member) = member.filter(|_| errors.is_empty()) else {
        return show_meeting(&platform, chrome, &staff, meeting, Default::default(), errors).await;
    };
    let new = store::NewQuestion { meeting_id: &meeting.id, asker: "member", asker_name: &member.name, email: "", question };
    let mut tx = db::begin_write(platform.pool()).await?;
    store::add_question(&mut tx, &new, &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(back_to(&meeting.id, "#questions"))
}

/// Accepts or declines a question, records its answer or a promise, or the promised response.
async fn settle_question(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(reference): Path<String>,
    Form(form): Form<SettleForm>,
) -> Result<Response, AppError> {
    if reference.len() > 20 || !reference.starts_with("PQ-") {
        return Err(AppError::NotFound);
    }
    let question = store::question(platform.pool(), &reference).await?.ok_or(AppError::NotFound)?;
    let meeting = meeting_of(&platform, &question.meeting_id).await?;
    let field = format!("words-{}", question.reference);
    let mut errors = FormErrors::new();
    let today = platform::calendar::uk_today();
    let words = form.words.trim();
    if words.chars().count() > 5_000 {
        errors.add(&field, "The words must be 5,000 characters or fewer");
    }
    let due = match form.due.trim() {
        "" => rules::response_due(meeting.day()),
        text => {
            read_date(text, &mut errors, &format!("due-{}", question.reference), "the date the response is due").unwrap_or(today)
        }
    };
    let outcome = match form.action.as_str() {
        "accept" => store::Outcome::Accept,
        "decline" if words.is_empty() => {
            errors.add(&field, "Enter why the question is declined: the asker is told");
            store::Outcome::Accept
        }
        "decline" => store::Outcome::Decline(words),
        "answer" | "promise" | "respond" if words.is_empty() => {
            errors.add(&field, "Enter the answer as given");
            store::Outcome::Accept
        }
        "answer" => store::Outcome::Answer(words, meeting.day()),
        "promise" => store::Outcome::Promise(words, meeting.day(), due),
        "respond" => store::Outcome::Respond(words, today),
        _ => {
            errors.add(&field, "Choose what to record");
            store::Outcome::Accept
        }
    };
    if !errors.is_empty() {
        return show_meeting(&platform, chrome, &staff, meeting, Default::default(), errors).await;
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = db::begin_write(platform.pool()).await?;
    let settled = store::settle_question(&mut tx, &question.reference, form.version, outcome, &staff.actor(), now).await?;
    if settled && question.is_public() && !question.email.is_empty() {
        let tell = match form.action.as_str() {
            "accept" => Some(format!(
                "Your question {} is accepted for the Panel’s meeting on {}.",
                question.reference,
                meeting.date_words()
            )),
            "decline" => Some(format!("Your question {} was not accepted for the Panel’s meeting: {words}", question.reference)),
            "respond" => Some(format!("The Commissioner’s response to your question {}: {words}", question.reference)),
            _ => None,
        };
        if let Some(tell) = tell {
            let email = platform::mail::Email::from_paragraphs(
                &question.email,
                &format!("Your question to the Panel: {}", question.reference),
                &[tell],
            );
            platform::mail::enqueue(&mut tx, platform.settings(), &email).await?;
        }
    }
    tx.commit().await?;
    if !settled {
        errors.add(
            &field,
            "Someone else has just recorded something on this question: check it below and try again if you still need to",
        );
        return show_meeting(&platform, chrome, &staff, meeting, Default::default(), errors).await;
    }
    Ok(back_to(&meeting.id, "#questions"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn meeting(id: &str, day: Date, status: &str) -> Meeting {
        Meeting {
            id: id.into(),
            starts_at: db::timestamp(platform::calendar::from_uk_local(day.with_hms(10, 0, 0).expect("10am"))),
            place: String::new(),
            webcast_url: String::new(),
            status: status.into(),
            questions_close: String::new(),
            source: "office".into(),
            external_id: None,
            minutes_published: 0,
            updated_at: String::new(),
        }
    }

    #[test]
    fn the_decisions_paper_covers_the_days_since_the_meeting_before() {
        let june = meeting("june", date!(2026 - 06 - 18), "held");
        let march = meeting("march", date!(2026 - 03 - 12), "held");
        let cancelled = meeting("may", date!(2026 - 05 - 14), "cancelled");
        let september = meeting("september", date!(2026 - 09 - 17), "scheduled");
        let all = [june.clone(), march.clone(), cancelled, september.clone()];
        // Made a week before September's meeting: from the day after June's to today.
        assert_eq!(
            since_last_meeting(&september, &all, date!(2026 - 09 - 10)),
            Some((date!(2026 - 06 - 19), date!(2026 - 09 - 10)))
        );
        // Made after the meeting: up to the meeting's day. A cancelled meeting does not count.
        assert_eq!(since_last_meeting(&june, &all, date!(2026 - 07 - 01)), Some((date!(2026 - 03 - 13), date!(2026 - 06 - 18))));
        // No meeting before: three months back. Nothing yet to cover: no paper.
        assert_eq!(since_last_meeting(&march, &all, date!(2026 - 03 - 01)), Some((date!(2025 - 12 - 11), date!(2026 - 03 - 01))));
        assert_eq!(since_last_meeting(&september, &all, date!(2026 - 06 - 18)), None);
    }
}
