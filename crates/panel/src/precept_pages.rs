//! The precept rounds and confirmation hearings: public pages with each deadline, the amounts by
//! council tax band and the year's referendum limit, and the officers' page where each step is
//! recorded (and refused, with the reason, when the statutory timetable does not allow it).

use askama::Template;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::charts::{Column, Table};
use platform::db;
use platform::format::Value;
use platform::web::forms::{Choice, FormErrors, Select, TextInput, Textarea};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use publishing::{Block, Document};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use crate::precept::{self, Precept, Report, Step, bands, limit_for, pounds};
use crate::rules::{self, Post};
use crate::store::{self, Hearing, PreceptRow};
use crate::{OFFICERS, PANEL};

pub fn routes() -> Routes {
    let officers = Access::Roles(OFFICERS);
    Routes::new()
        .route("/panel/precept", Access::Public, get(public_page))
        .route("/staff/panel/precept", Access::Roles(PANEL), get(staff_page))
        .route("/staff/panel/precept/rounds", officers, post(open_round))
        .route("/staff/panel/precept/rounds/{round}", officers, post(take_step))
        .route("/staff/panel/hearings", officers, post(add_hearing))
        .route("/staff/panel/hearings/{hearing}", officers, post(report_hearing))
}

/// The amounts by band as a table: exact ninths of Band D, rounded to the penny for display.
pub fn band_table(row: &PreceptRow, band_d: i64) -> Table {
    Table {
        caption: format!("{} {}: amount for each council tax band", row.precept().words(), row.year_words()),
        columns: vec![Column::text("Band"), Column::text("Share of Band D"), Column::number("Amount a year")],
        rows: bands(band_d)
            .into_iter()
            .map(|b| {
                vec![Value::Text(b.band.to_string()), Value::Text(format!("{}/9", b.ninths)), Value::Text(pounds(b.pence()))]
            })
            .collect(),
    }
}

/// The referendum limit for the round's year in words, or that it is not known here.
pub fn limit_words(row: &PreceptRow) -> String {
    match limit_for(i32::try_from(row.year).unwrap_or(0), row.precept()) {
        Some((limit, source)) => {
            let excessive = row.round().band_d().is_some_and(|b| limit.is_excessive(row.current_band_d, b));
            format!(
                "A referendum is needed for {} ({source}). {}",
                limit.words(),
                if excessive { "This proposal is over the limit." } else { "This proposal is within it." }
            )
        }
        None => format!("The referendum limit for {} is not recorded here.", row.year_words()),
    }
}

/// The precept proposal as a paper for the Panel.
pub fn proposal(row: &PreceptRow, office: &str, today: Date) -> Document {
    let round = row.round();
    let proposed = round.revised_band_d.or(round.proposed_band_d).unwrap_or(row.current_band_d);
    let mut doc =
        Document::new(format!("Proposed {} for {}", row.precept().words().to_lowercase(), row.year_words()), office, today);
    let rise = proposed - row.current_band_d;
    doc.push(Block::Heading(2, "The proposal".into()));
    doc.push(Block::Paragraph(format!(
        "Band D of {} a year, {} {} on {}’s {}.",
        pounds(proposed),
        if rise >= 0 { "a rise of" } else { "a fall of" },
        pounds(rise.abs()),
        platform::periods::FinancialYear(i32::try_from(row.year).unwrap_or(2000) - 1).short_label(),
        pounds(row.current_band_d)
    )));
    doc.push(Block::Paragraph(limit_words(row)));
    doc.push(Block::Table(band_table(row, proposed)));
    doc.push(Block::Note("Each band is a fixed share of Band D in ninths (Local Government Finance Act 1992, section 5). Amounts are worked exactly and rounded to the penny only to be shown.".into()));
    let tt = round.timetable();
    doc.push(Block::Heading(2, "The Panel’s timetable".into()));
    doc.push(Block::List {
        ordered: true,
        items: vec![
            format!("The Panel reports on the proposal by {}. It may veto it, as too high or too low, by two-thirds of its current members.", platform::calendar::long_date(tt.report_by)),
            format!("After a veto, a revised proposal is sent by {}.", platform::calendar::long_date(tt.revise_by)),
            format!("The Panel reports on a revised proposal by {}; it cannot veto again.", platform::calendar::long_date(tt.second_report_by)),
            format!("The precept is issued before {}.", platform::calendar::long_date(tt.issue_before)),
        ],
    });
    doc
}

// ---------------------------------------------------------------------------------------------

struct Shown {
    row: PreceptRow,
    stage: &'static str,
    deadline: Option<(Date, &'static str)>,
    table: String,
    limit: String,
}

fn shown(rows: Vec<PreceptRow>) -> Vec<Shown> {
    rows.into_iter()
        .map(|row| {
            let round = row.round();
            let table = round.band_d().map(|b| band_table(&row, b).html(&format!("bands-{}", row.id))).unwrap_or_default();
            Shown { stage: round.stage().words(), deadline: round.next_deadline(), table, limit: limit_words(&row), row }
        })
        .collect()
}

/// "(8 of 12 current members voted to veto)", or nothing without a vote.
fn votes(row: &PreceptRow) -> String {
    match (row.votes_for_veto, row.current_members) {
        (Some(v), Some(m)) if v > 0 => format!(" ({v} of {m} current members voted to veto)"),
        _ => String::new(),
    }
}

fn maybe(d: &Option<String>) -> String {
    d.as_deref().map(platform::calendar::long_date_of).unwrap_or_else(|| "Not yet".into())
}

#[derive(Template)]
#[template(path = "panel/precept.html")]
struct PublicPage {
    chrome: Chrome,
    rounds: Vec<Shown>,
    hearings: Vec<Hearing>,
}

impl PublicPage {
    fn maybe(&self, d: &Option<String>) -> String {
        maybe(d)
    }
    fn amount(&self, p: &Option<i64>) -> String {
        p.map(pounds).unwrap_or_else(|| "Not yet".into())
    }
    fn money(&self, p: &i64) -> String {
        pounds(*p)
    }
    fn votes(&self, row: &PreceptRow) -> String {
        votes(row)
    }
    fn report_words(&self, r: &Option<String>) -> &'static str {
        r.as_deref().and_then(Report::from_slug).map(Report::words).unwrap_or("Not yet reported")
    }
    fn date(&self, d: &Date) -> String {
        platform::calendar::long_date(*d)
    }
    fn text_date(&self, d: &str) -> String {
        platform::calendar::long_date_of(d)
    }
}

async fn public_page(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let rounds = shown(store::precept_rounds(platform.pool()).await?);
    let hearings = store::hearings(platform.pool()).await?;
    render(&PublicPage { chrome, rounds, hearings })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RoundForm {
    year: String,
    precept: String,
    current_band_d: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StepForm {
    version: i64,
    step: String,
    on: String,
    band_d: String,
    report: String,
    votes: String,
    words: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct HearingForm {
    post: String,
    candidate: String,
    notified_on: String,
    hearing_on: String,
    outcome: String,
    votes: String,
    on: String,
    words: String,
}

#[derive(Template)]
#[template(path = "panel/staff_precept.html")]
struct StaffPageT {
    chrome: Chrome,
    manages: bool,
    rounds: Vec<Shown>,
    hearings: Vec<Hearing>,
    members: u32,
    round_form: RoundForm,
    hearing_form: HearingForm,
    errors: FormErrors,
}

const PRECEPTS: [(&str, &str); 2] = [("police", "Police precept"), ("fire", "Fire and rescue precept")];
const STEPS: [(&str, &str); 6] = [
    ("notify", "The Commissioner notified the Panel of the proposal"),
    ("report", "The Panel reported on the proposal"),
    ("revise", "The Commissioner sent a revised proposal"),
    ("second-report", "The Panel reported on the revised proposal"),
    ("respond", "The Commissioner responded to the Panel’s report"),
    ("issue", "The Commissioner issued the precept"),
];
const REPORTS: [(&str, &str); 3] =
    [("supported", "Supported (no veto)"), ("vetoed-too-high", "Vetoed as too high"), ("vetoed-too-low", "Vetoed as too low")];
const OUTCOMES: [(&str, &str); 3] = [
    ("recommended", "Recommended the appointment"),
    ("recommended-against", "Recommended against it"),
    ("vetoed", "Vetoed it (chief constable only)"),
];

impl StaffPageT {
    fn maybe(&self, d: &Option<String>) -> String {
        maybe(d)
    }
    fn amount(&self, p: &Option<i64>) -> String {
        p.map(pounds).unwrap_or_else(|| "Not yet".into())
    }
    fn money(&self, p: &i64) -> String {
        pounds(*p)
    }
    fn votes(&self, row: &PreceptRow) -> String {
        votes(row)
    }
    fn date(&self, d: &Date) -> String {
        platform::calendar::long_date(*d)
    }
    fn text_date(&self, d: &str) -> String {
        platform::calendar::long_date_of(d)
    }
    fn report_due(&self, h: &Hearing) -> String {
        h.report_due().map(platform::calendar::long_date).unwrap_or_default()
    }
    fn year(&self) -> TextInput<'_> {
        TextInput::new("year", "Financial year starting in April of", &self.round_form.year, &self.errors)
            .hint("For example 2027 for 2027 to 2028")
            .width("govuk-input--width-4")
    }
    fn precept(&self) -> Select<'_> {
        Select::new("precept", "Precept", Choice::each(&PRECEPTS), &self.round_form.precept, &self.errors)
    }
    fn current(&self) -> TextInput<'_> {
        TextInput::new("current_band_d", "This year’s Band D", &self.round_form.current_band_d, &self.errors)
            .hint("In pounds, for example 241.83")
            .width("govuk-input--width-10")
    }
    fn step_fields(&self, id: &str) -> String {
        let mut out = String::new();
        let named = |mut s: Select<'_>, name: &'static str| {
            s.name = name;
            s.render().unwrap_or_default()
        };
        out.push_str(&named(Select::new(&format!("step-{id}"), "Step", Choice::each(&STEPS), "", &self.errors), "step"));
        let text = |field: String, label: &str, hint: &str, name: &'static str, width: &'static str| {
            let mut t = TextInput::new(&field, label, "", &self.errors).hint(hint).width(width);
            t.name = name;
            t.render().unwrap_or_default()
        };
        out.push_str(&text(format!("on-{id}"), "Date", "As YYYY-MM-DD", "on", "govuk-input--width-10"));
        out.push_str(&text(
            format!("band_d-{id}"),
            "Band D (notify, revise and issue)",
            "In pounds",
            "band_d",
            "govuk-input--width-10",
        ));
        out.push_str(&named(
            Select::new(&format!("report-{id}"), "The Panel’s report (report only)", Choice::each(&REPORTS), "", &self.errors),
            "report",
        ));
        out.push_str(&text(
            format!("votes-{id}"),
            "Votes for a veto (report only)",
            "Of the Panel’s current members",
            "votes",
            "govuk-input--width-3",
        ));
        let words_id = format!("words-{id}");
        let mut words = Textarea::new(&words_id, "The words of the report or response (optional)", "", &self.errors).rows(3);
        words.name = "words";
        out.push_str(&words.render().unwrap_or_default());
        out
    }
    fn post(&self) -> Select<'_> {
        let posts: Vec<(&str, &str)> = Post::ALL.iter().map(|p| (p.slug(), p.words())).collect();
        Select::new("post", "Post", posts.iter().map(|(v, t)| Choice::new(v, t)).collect(), &self.hearing_form.post, &self.errors)
    }
    fn candidate(&self) -> TextInput<'_> {
        TextInput::new("candidate", "Proposed appointee", &self.hearing_form.candidate, &self.errors)
    }
    fn notified_on(&self) -> TextInput<'_> {
        TextInput::new("notified_on", "Date the Panel was notified", &self.hearing_form.notified_on, &self.errors)
            .hint("As YYYY-MM-DD")
            .width("govuk-input--width-10")
    }
    fn hearing_on(&self) -> TextInput<'_> {
        TextInput::new("hearing_on", "Date of the hearing (optional)", &self.hearing_form.hearing_on, &self.errors)
            .hint("As YYYY-MM-DD")
            .width("govuk-input--width-10")
    }
    fn outcome_fields(&self, id: &str) -> String {
        let outcome_id = format!("outcome-{id}");
        let mut s = Select::new(&outcome_id, "The Panel’s report", Choice::each(&OUTCOMES), "", &self.errors);
        s.name = "outcome";
        let mut out = s.render().unwrap_or_default();
        for (field, label, name, width) in [
            ("votes", "Votes for a veto", "votes", "govuk-input--width-3"),
            ("on", "Date of the report", "on", "govuk-input--width-10"),
        ] {
            let key = format!("{field}-{id}");
            let mut t = TextInput::new(&key, label, "", &self.errors).width(width);
            t.name = name;
            out.push_str(&t.render().unwrap_or_default());
        }
        let words_id = format!("hearing-words-{id}");
        let mut words = Textarea::new(&words_id, "The report’s words (optional)", "", &self.errors).rows(3);
        words.name = "words";
        out.push_str(&words.render().unwrap_or_default());
        out
    }
}

async fn staff_view(
    platform: &Platform,
    chrome: Chrome,
    manages: bool,
    forms: (RoundForm, HearingForm),
    errors: FormErrors,
) -> Result<Response, AppError> {
    let today = platform::calendar::uk_today();
    let failed = !errors.is_empty();
    let page = StaffPageT {
        chrome: chrome.with_errors(failed),
        manages,
        rounds: shown(store::precept_rounds(platform.pool()).await?),
        hearings: store::hearings(platform.pool()).await?,
        members: store::current_members(platform.pool(), today).await?,
        round_form: forms.0,
        hearing_form: forms.1,
        errors,
    };
    if failed { platform::web::refused(&page) } else { render(&page) }
}

async fn staff_page(StaffPage { platform, chrome, staff }: StaffPage) -> Result<Response, AppError> {
    staff_view(&platform, chrome, OFFICERS.contains(&staff.user.role), Default::default(), FormErrors::new()).await
}

fn back() -> Response {
    Redirect::to("/staff/panel/precept").into_response()
}

async fn open_round(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<RoundForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let year = form.year.trim().parse::<i32>().ok().filter(|y| (2012..=2100).contains(y));
    if year.is_none() {
        errors.add("year", "Enter the year the financial year starts, for example 2027");
    }
    let which = Precept::from_slug(&form.precept);
    if which.is_none() {
        errors.add("precept", "Choose the precept");
    }
    let current = precept::read_pounds(&form.current_band_d).filter(|p| *p > 0);
    if current.is_none() {
        errors.add("current_band_d", "Enter this year’s Band D in pounds and pence, for example 241.83");
    }
    let (Some(year), Some(which), Some(current)) = (year, which, current) else {
        return staff_view(&platform, chrome, true, (form, Default::default()), errors).await;
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    let opened = store::open_precept_round(&mut tx, (year, which, current), &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    if opened.is_none() {
        errors
            .add("year", format!("There is already a {} round for {year}/{:02}", which.words().to_lowercase(), (year + 1) % 100));
        return staff_view(&platform, chrome, true, (form, Default::default()), errors).await;
    }
    Ok(back())
}

/// Reads a step from the form, or says which field is wrong.
fn read_step(form: &StepForm, members: u32) -> Result<Step, (&'static str, String)> {
    let on = db::parse_date(form.on.trim()).ok_or(("on", "Enter the date of the step as YYYY-MM-DD".to_string()))?;
    let band = || {
        precept::read_pounds(&form.band_d).ok_or(("band_d", "Enter Band D in pounds and pence, for example 241.83".to_string()))
    };
    Ok(match form.step.as_str() {
        "notify" => Step::Notify { band_d: band()?, on },
        "report" => {
            let report = Report::from_slug(&form.report).ok_or(("report", "Choose what the Panel reported".to_string()))?;
            let votes_for_veto = match report {
                Report::Supported => 0,
                Report::Vetoed(_) => form
                    .votes
                    .trim()
                    .parse::<u32>()
                    .map_err(|_| ("votes", "Enter the number of votes for the veto, in figures".to_string()))?,
            };
            Step::Report { report, votes_for_veto, current_members: members, on }
        }
        "revise" => Step::Revise { band_d: band()?, on },
        "second-report" => Step::SecondReport { on },
        "respond" => Step::Respond { on },
        "issue" => Step::Issue { band_d: band()?, on },
        _ => return Err(("step", "Choose the step to record".into())),
    })
}

/// Records a step of a round, if the statutory timetable allows it; otherwise the page says why.
async fn take_step(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&id) {
        return Err(AppError::NotFound);
    }
    let row = store::precept_round(platform.pool(), &id).await?.ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    // A veto is two-thirds of the members holding office on the day of the report.
    let on = db::parse_date(form.on.trim()).unwrap_or_else(platform::calendar::uk_today);
    let members = store::current_members(platform.pool(), on).await?;
    let step = match read_step(&form, members) {
        Ok(step) => step,
        Err((field, why)) => {
            errors.add(&format!("{field}-{}", row.id), why);
            return staff_view(&platform, chrome, true, Default::default(), errors).await;
        }
    };
    let next = match row.round().apply(step) {
        Ok(next) => next,
        Err(why) => {
            errors.add(&format!("step-{}", row.id), why);
            return staff_view(&platform, chrome, true, Default::default(), errors).await;
        }
    };
    if form.words.chars().count() > 20_000 {
        errors.add(&format!("words-{}", row.id), "The words must be 20,000 characters or fewer");
        return staff_view(&platform, chrome, true, Default::default(), errors).await;
    }
    let words = Some(form.words.trim()).filter(|w| !w.is_empty());
    let (report_words, response_words) = match step {
        Step::Report { .. } | Step::SecondReport { .. } => (words, None),
        Step::Respond { .. } => (None, words),
        _ => (None, None),
    };
    let votes = match step {
        Step::Report { votes_for_veto, current_members, .. } => (Some(votes_for_veto), Some(current_members)),
        _ => (None, None),
    };
    let mut tx = db::begin_write(platform.pool()).await?;
    let saved = store::save_precept_round(
        &mut tx,
        &row,
        &next,
        votes,
        (report_words, response_words),
        &staff.actor(),
        OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;
    if !saved {
        errors.add(&format!("step-{}", row.id), "Someone else has just recorded a step of this round: check it below");
        return staff_view(&platform, chrome, true, Default::default(), errors).await;
    }
    Ok(back())
}

async fn add_hearing(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<HearingForm>,
) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let post = Post::from_slug(&form.post);
    if post.is_none() {
        errors.add("post", "Choose the post");
    }
    let candidate = form.candidate.trim().to_string();
    if candidate.is_empty() || candidate.chars().count() > 200 {
        errors.add("candidate", "Enter the proposed appointee’s name, in 200 characters or fewer");
    }
    let notified = db::parse_date(form.notified_on.trim());
    if notified.is_none() {
        errors.add("notified_on", "Enter the date the Panel was notified as YYYY-MM-DD");
    }
    let hearing = match form.hearing_on.trim() {
        "" => None,
        text => {
            let d = db::parse_date(text);
            if d.is_none() {
                errors.add("hearing_on", "Enter the hearing’s date as YYYY-MM-DD, or leave it empty");
            }
            d
        }
    };
    if let (Some(n), Some(h)) = (notified, hearing)
        && h < n
    {
        errors.add("hearing_on", "The hearing cannot be before the notification");
    }
    let (Some(post), Some(notified)) = (post, notified) else {
        return staff_view(&platform, chrome, true, (Default::default(), form), errors).await;
    };
    if !errors.is_empty() {
        return staff_view(&platform, chrome, true, (Default::default(), form), errors).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    store::add_hearing(&mut tx, (post.slug(), &candidate, notified, hearing), &staff.actor(), OffsetDateTime::now_utc()).await?;
    tx.commit().await?;
    Ok(back())
}

async fn report_hearing(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<HearingForm>,
) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&id) {
        return Err(AppError::NotFound);
    }
    let hearing = store::hearings(platform.pool()).await?.into_iter().find(|h| h.id == id).ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    let post = Post::from_slug(&hearing.post).unwrap_or(Post::ChiefExecutive);
    let on = db::parse_date(form.on.trim());
    if on.is_none() {
        errors.add(&format!("on-{id}"), "Enter the date of the report as YYYY-MM-DD");
    }
    let veto = form.outcome == "vetoed";
    let votes = if veto { form.votes.trim().parse::<u32>().ok() } else { Some(0) };
    if votes.is_none() {
        errors.add(&format!("votes-{id}"), "Enter the number of votes for the veto, in figures");
    }
    if !OUTCOMES.iter().any(|(o, _)| *o == form.outcome) {
        errors.add(&format!("outcome-{id}"), "Choose what the Panel reported");
    }
    let (Some(on), Some(votes)) = (on, votes) else {
        return staff_view(&platform, chrome, true, Default::default(), errors).await;
    };
    let members = store::current_members(platform.pool(), on).await?;
    let outcome = match rules::hearing_outcome(post, veto, votes, members) {
        Ok("vetoed") => "vetoed",
        Ok(_) => {
            if form.outcome == "recommended-against" {
                "recommended-against"
            } else {
                "recommended"
            }
        }
        Err(why) => {
            errors.add(&format!("outcome-{id}"), why);
            ""
        }
    };
    if form.words.chars().count() > 20_000 {
        errors.add(&format!("hearing-words-{id}"), "The words must be 20,000 characters or fewer");
    }
    if !errors.is_empty() {
        return staff_view(&platform, chrome, true, Default::default(), errors).await;
    }
    let mut tx = db::begin_write(platform.pool()).await?;
    store::report_hearing(
        &mut tx,
        &id,
        (outcome, votes, members, on, form.words.trim()),
        &staff.actor(),
        OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;
    Ok(back())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::precept::Veto;

    #[test]
    fn a_step_is_read_from_the_form_or_the_field_is_named() {
        let form = |step: &str, band: &str, report: &str, votes: &str| StepForm {
            version: 0,
            step: step.into(),
            on: "2027-02-05".into(),
            band_d: band.into(),
            report: report.into(),
            votes: votes.into(),
            words: String::new(),
        };
        assert!(matches!(read_step(&form("notify", "265.00", "", ""), 12), Ok(Step::Notify { band_d: 26_500, .. })));
        assert_eq!(read_step(&form("notify", "lots", "", ""), 12).unwrap_err().0, "band_d");
        assert!(matches!(
            read_step(&form("report", "", "vetoed-too-high", "8"), 12),
            Ok(Step::Report { report: Report::Vetoed(Veto::TooHigh), votes_for_veto: 8, current_members: 12, .. })
        ));
        assert_eq!(read_step(&form("report", "", "vetoed-too-low", "many"), 12).unwrap_err().0, "votes");
        assert_eq!(read_step(&form("dance", "", "", ""), 12).unwrap_err().0, "step");
        let mut undated = form("respond", "", "", "");
        undated.on = "5 Feb".into();
        assert_eq!(read_step(&undated, 12).unwrap_err().0, "on");
    }
}
