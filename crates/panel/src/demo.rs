//! The demo office's Panel: ten councillors (one from each council in the area) and two
//! independent members, with invented names; two past meetings with papers (a plan update report
//! and a performance pack made from the demo's locked quarters, a supplement, a Part 2 item),
//! minutes, attendance and a declaration; questions with one promised response overdue and one
//! given; an upcoming meeting taking questions; this year's precept rounds issued and next
//! year's opened; two confirmation hearings; recommendations (one answered, one due); and two
//! complaints about the Commissioner (one resolved, one referred to the IOPC). Every figure in
//! the demo's precepts is illustrative and said to be.

use platform::audit::Actor;
use platform::config::Settings;
use platform::db::{self, Pool};
use publishing::{Block, Document};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::precept::{Precept, Report, Round, Step};
use crate::rules;
use crate::store::{self, NewItem, NewMeeting, NewMember, NewPaper, NewQuestion, Outcome};

/// (name, council or "" for an independent, position)
const MEMBERS: &[(&str, &str, &str)] = &[
    ("Alex Marsh", "Staffordshire County Council", "Chair"),
    ("Priya Nandra", "Stoke-on-Trent City Council", "Vice-Chair"),
    ("Tom Ellery", "Cannock Chase District Council", "Member"),
    ("Grace Adeyemi", "East Staffordshire Borough Council", "Member"),
    ("Martin Hale", "Lichfield District Council", "Member"),
    ("Joanne Pike", "Newcastle-under-Lyme Borough Council", "Member"),
    ("Sunil Varma", "South Staffordshire Council", "Member"),
    ("Helen Tranter", "Stafford Borough Council", "Member"),
    ("Robert Oakes", "Staffordshire Moorlands District Council", "Member"),
    ("Carol Whitby", "Tamworth Borough Council", "Member"),
    ("Dr Imran Sadiq", "", "Member"),
    ("Ruth Bellamy", "", "Member"),
];

/// The demo annual report's own words (the figures come from the records).
const ANNUAL_WORDS: &str = "## Foreword
Demo content: the Commissioner’s foreword would be here, looking back on the year and forward to the next.

## The year in brief
Demo content: a short account of what the plan set out to do this year and how far it got, written by the office.";

const CASE_STUDIES: &str = "## Support after a burglary
Demo content: how the victims’ service helped someone after a burglary, told with their consent.

## A neighbourhood’s ASB case review
Demo content: how a case review brought agencies together on a long-running problem.";

/// A paper made by the office, kept as its page.
fn made<'a>(item_id: &'a str, title: &'a str, (generated_from, html): (&'a str, &'a str), exempt: bool) -> NewPaper<'a> {
    NewPaper { item_id, title, kind: "generated", generated_from, html, file_id: None, source_url: "", exempt, external_id: None }
}

fn at(day: Date, hour: u8) -> OffsetDateTime {
    platform::calendar::from_uk_local(PrimitiveDateTime::new(day, Time::from_hms(hour, 0, 0).expect("an hour")))
}

/// The weekday on or after `day` that is a Monday to Thursday, as Panels meet.
fn meeting_day(mut day: Date) -> Date {
    while matches!(day.weekday(), time::Weekday::Friday | time::Weekday::Saturday | time::Weekday::Sunday) {
        day = day.next_day().expect("in range");
    }
    day
}

pub async fn seed(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> anyhow::Result<()> {
    if !store::members(pool).await?.is_empty() {
        return Ok(());
    }
    let Some(office) = platform::office::load(pool).await? else { return Ok(()) };
    let actor = Actor::system("demo office");
    let today = platform::calendar::uk_local_date(now);
    let calendar = platform::calendar::WorkingDayCalendar::for_nation(platform::calendar::Nation::EnglandAndWales, Vec::new());
    let mut tx = db::begin_write(pool).await?;
    let term_from = Date::from_calendar_date(today.year() - 2, Month::May, 20)?;
    let mut members = Vec::new();
    for (name, council, position) in MEMBERS {
        let new = NewMember {
            name,
            kind: if council.is_empty() { "independent" } else { "councillor" },
            council,
            party: "",
            position,
            term_from,
            term_to: None,
            external_id: None,
        };
        members.push(store::add_member(&mut tx, &new, &actor, now).await?);
    }
    tx.commit().await?;

    // Two past meetings, about five and two months ago, and one to come.
    let first_day = meeting_day(today - Duration::days(150));
    let second_day = meeting_day(today - Duration::days(60));
    let next_day = meeting_day(today + Duration::days(30));
    let place = "Council Chamber, County Buildings, Martin Street, Stafford";
    let mut ids = Vec::new();
    let mut tx = db::begin_write(pool).await?;
    for (day, status) in [(first_day, "held"), (second_day, "held"), (next_day, "scheduled")] {
        let new = NewMeeting {
            starts_at: at(day, 10),
            place,
            webcast_url: if status == "held" { "https://www.youtube.com/@StaffordshireCountyCouncil" } else { "" },
            status,
            questions_close: rules::questions_close(day, rules::QUESTION_NOTICE_WORKING_DAYS, &calendar),
            source: "office",
            external_id: None,
        };
        ids.push(store::add_meeting(&mut tx, &new, &actor, now).await?);
    }
    tx.commit().await?;

    // The first meeting: a full agenda with generated papers and a Part 2 item.
    let first = &ids[0];
    let mut tx = db::begin_write(pool).await?;
    let item = |title: &'static str| NewItem { number: "", title, exempt_reason: None, minutes: "", external_id: None };
    let mut items = Vec::new();
    for title in [
        "Apologies",
        "Declarations of interest",
        "Minutes of the last meeting",
        "Decisions published by the Commissioner since the last meeting",
        "Questions to the Commissioner",
        "Police and Crime Plan: quarterly update",
        "Performance of the police and the fire and rescue service",
    ] {
        items.push(store::add_item(&mut tx, first, &item(title), &actor, now).await?);
    }
    let exempt = NewItem {
        number: "",
        title: "Estates: sale of a former police station",
        exempt_reason: Some(
            "Paragraph 3 of Schedule 12A: information about the financial or business affairs of any particular person",
        ),
        minutes: "",
        external_id: None,
    };
    items.push(store::add_item(&mut tx, first, &exempt, &actor, now).await?);

    // Papers made from the demo's locked quarters, as the office would make them.
    if let Some((plan, _, quarter)) = plans::report::locked_quarters(pool).await?.into_iter().next()
        && let Some(document) = plans::report::for_quarter(pool, &office, (&plan, &quarter), first_day).await?
    {
        let html = document.html_in("paper-");
        let generated_from = format!("plan:{plan}:{quarter}");
        let paper = made(&items[5], &document.title, (&generated_from, &html), false);
        store::add_paper(&mut tx, first, &paper, false, &actor, now).await?;
    }
    if let Some(locked) = performance::snapshot::list(pool).await?.into_iter().next()
        && let Some((locked, content)) = performance::snapshot::find(pool, locked.service, &locked.quarter).await?
    {
        let commentary = performance::snapshot::commentary(pool, &locked.id).await?;
        let document = performance::snapshot::pack(&locked, &content, &commentary, first_day);
        let html = document.html_in("paper-");
        let generated_from = format!("performance:{}:{}", locked.service.slug(), locked.quarter);
        let paper = made(&items[6], &document.title, (&generated_from, &html), false);
        store::add_paper(&mut tx, first, &paper, false, &actor, now).await?;
    }
    // The decisions published in the months before it, from the decisions register.
    let meetings = store::meetings(pool).await?;
    if let Some(meeting) = meetings.iter().find(|m| m.id == *first)
        && let Some((from, to)) = crate::office::since_last_meeting(meeting, &meetings, first_day)
    {
        let decisions = transparency::decisions_published_between(pool, from, to).await?;
        let base = settings.public_url.trim_end_matches('/');
        let document = crate::office::decisions_paper(&office.name, (from, to), &decisions, base, first_day);
        let html = document.html_in("paper-");
        let generated_from = format!("decisions:{}:{}", db::date(from), db::date(to));
        let paper = made(&items[3], &document.title, (&generated_from, &html), false);
        store::add_paper(&mut tx, first, &paper, false, &actor, now).await?;
    }
    let mut confidential = Document::new("Sale of a former police station: valuation and offers", office.name.clone(), first_day);
    confidential.push(Block::Paragraph("Demo content: the valuation, the offers received and the recommended buyer would be set out here. This paper is restricted to the Panel.".into()));
    let html = confidential.html_in("paper-");
    let paper = made(&items[7], &confidential.title, ("", &html), true);
    store::add_paper(&mut tx, first, &paper, false, &actor, now).await?;

    // What happened at it.
    let attendance: Vec<(String, String, String)> = members
        .iter()
        .enumerate()
        .map(|(i, m)| (m.clone(), if i == 4 || i == 8 { "apologies" } else { "present" }.to_string(), String::new()))
        .collect();
    store::record_attendance(&mut tx, first, &attendance, &actor, now).await?;
    store::declare(
        &mut tx,
        first,
        (&members[3], Some(&items[6]), "A relative works for the fire and rescue service"),
        &actor,
        now,
    )
    .await?;
    let minutes = [
        ("", "That the apologies be noted."),
        ("", "That the declaration be noted."),
        ("", "That the minutes of the last meeting be confirmed and signed by the Chair."),
        (
            "The Panel asked about a decision to fund youth diversion work. The Commissioner explained the partners involved.",
            "That the decisions be noted.",
        ),
        ("", ""),
        (
            "The Commissioner presented the quarter’s update. Members asked about neighbourhood policing in rural areas.",
            "That the update be noted.",
        ),
        ("Members asked about response times in the north of the county.", "That the report be noted."),
        ("The Panel considered the sale in private.", "That the recommended sale be supported."),
    ];
    for (item, (words, resolution)) in items.iter().zip(minutes) {
        store::write_minutes(&mut tx, item, (words, resolution), &actor, now).await?;
    }
    store::publish_minutes(&mut tx, first, &actor, now).await?;

    // Questions at it: one from the public answered, two from members with responses promised:
    // one given, one overdue.
    let q_public = store::add_question(
        &mut tx,
        &NewQuestion {
            meeting_id: first,
            asker: "public",
            asker_name: "Demo Resident",
            email: "resident@demo.commissioner.example",
            question: "How many police community support officers will be in my area next year?",
        },
        &Actor::public("demo"),
        now,
    )
    .await?;
    store::settle_question(&mut tx, &q_public, 0, Outcome::Accept, &actor, now).await?;
    store::settle_question(
        &mut tx,
        &q_public,
        1,
        Outcome::Answer("Every neighbourhood keeps at least one, and the number across the county stays the same.", first_day),
        &actor,
        now,
    )
    .await?;
    let promised_due = rules::response_due(first_day);
    for (asker, question, response) in [
        (
            MEMBERS[2].0,
            "How should people report lost property when they cannot reach their local policing team?",
            Some("Lost property is now reported online; the form and a telephone route are on the force’s website."),
        ),
        (MEMBERS[5].0, "What support does the force give staff with mental health conditions?", None),
    ] {
        let reference = store::add_question(
            &mut tx,
            &NewQuestion { meeting_id: first, asker: "member", asker_name: asker, email: "", question },
            &actor,
            now,
        )
        .await?;
        store::settle_question(
            &mut tx,
            &reference,
            0,
            Outcome::Promise("Will provide a response.", first_day, promised_due),
            &actor,
            now,
        )
        .await?;
        if let Some(words) = response {
            store::settle_question(
                &mut tx,
                &reference,
                1,
                Outcome::Respond(words, promised_due - Duration::days(3)),
                &actor,
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;

    // The second meeting: an agenda, a supplement published after it went out.
    let second = &ids[1];
    let mut tx = db::begin_write(pool).await?;
    let annual = store::add_item(&mut tx, second, &item("The Commissioner’s annual report"), &actor, now).await?;
    let fire = store::add_item(&mut tx, second, &item("Fire and Rescue Plan: progress"), &actor, now).await?;
    for (on, title, late) in [
        (annual.as_str(), "Annual report: summary for the Panel", false),
        (fire.as_str(), "Fire and Rescue Plan: progress (revised figures)", true),
    ] {
        let mut doc = Document::new(title, office.name.clone(), second_day);
        doc.push(Block::Paragraph("Demo content: the paper’s text would be here.".into()));
        let html = doc.html_in("paper-");
        let paper = made(on, title, ("", &html), false);
        store::add_paper(&mut tx, second, &paper, late, &actor, now).await?;
    }
    let attendance: Vec<(String, String, String)> =
        members.iter().map(|m| (m.clone(), "present".to_string(), String::new())).collect();
    store::record_attendance(&mut tx, second, &attendance, &actor, now).await?;
    store::write_minutes(
        &mut tx,
        &annual,
        (
            "The Panel reviewed the annual report and asked about victims’ services.",
            "That the Panel’s report on the annual report be sent to the Commissioner.",
        ),
        &actor,
        now,
    )
    .await?;
    store::publish_minutes(&mut tx, second, &actor, now).await?;

    // The meeting to come, with a question from the public waiting for a decision.
    let next = &ids[2];
    for title in [
        "Apologies",
        "Declarations of interest",
        "Minutes of the last meeting",
        "Questions to the Commissioner",
        "The precept: timetable and early view",
    ] {
        store::add_item(&mut tx, next, &item(title), &actor, now).await?;
    }
    store::add_question(
        &mut tx,
        &NewQuestion {
            meeting_id: next,
            asker: "public",
            asker_name: "Demo Resident",
            email: "resident@demo.commissioner.example",
            question: "What is being done about speeding on rural roads?",
        },
        &Actor::public("demo"),
        now,
    )
    .await?;
    tx.commit().await?;

    seed_precept(pool, today, &actor, now).await?;

    // The Panel's recommendations from its report on the annual report: one answered, one due.
    let mut tx = db::begin_write(pool).await?;
    let answered = store::add_recommendation(
        &mut tx,
        (
            Some(second),
            "annual-report",
            "Report each quarter on the time taken to answer 101 calls, by district.",
            second_day,
            second_day + Duration::days(28),
        ),
        &actor,
        now,
    )
    .await?;
    store::respond_to_recommendation(
        &mut tx,
        (&answered, 0),
        ("Accepted: 101 answer times by district will be in each quarter’s performance pack.", second_day + Duration::days(20)),
        &actor,
        now,
    )
    .await?;
    store::add_recommendation(
        &mut tx,
        (
            Some(second),
            "annual-report",
            "Set out how victims’ satisfaction will be measured in the next annual report.",
            today - Duration::days(3),
            today + Duration::days(25),
        ),
        &actor,
        now,
    )
    .await?;
    // Two complaints about the Commissioner: one resolved by the Panel, one referred to the IOPC.
    for (received, route, summary) in [
        (today - Duration::days(90), "panel", "Demo: the complainant says a letter to the Commissioner went unanswered."),
        (today - Duration::days(40), "iopc", "Demo: an allegation that would be a conduct matter, referred to the IOPC."),
    ] {
        let new = store::NewComplaint {
            received_on: received,
            about: "commissioner",
            complainant: "Demo Complainant",
            contact: "",
            summary,
            route,
        };
        let reference = store::add_complaint(&mut tx, &new, &actor, now).await?;
        if route == "panel" {
            store::update_complaint(&mut tx, (&reference, 0), ("acknowledge", received + Duration::days(2), ""), &actor, now)
                .await?;
            store::update_complaint(
                &mut tx,
                (&reference, 1),
                ("resolve", received + Duration::days(30), "Resolved informally: the office apologised and replied."),
                &actor,
                now,
            )
            .await?;
        }
    }
    tx.commit().await?;

    // Last financial year's annual report, drafted: its performance quarter locked as it stood,
    // the office's words written; publishing it is left to the demo's staff.
    let last_year = platform::periods::FinancialYear::containing(today).previous();
    let q4 = platform::periods::Quarter { year: last_year, number: 4 }.slug();
    for service in [performance::model::Service::Police, performance::model::Service::Fire] {
        if performance::snapshot::find(pool, service, &q4).await?.is_none() {
            // A quarter without figures cannot be locked; the report then says none was.
            let _ = performance::snapshot::lock_as_it_stood(pool, &office, service, &q4, &actor, (now, today)).await;
        }
    }
    let mut tx = db::begin_write(pool).await?;
    crate::annual::start_report(&mut tx, last_year.0, &actor, now).await?;
    crate::annual::write_text(&mut tx, (last_year.0, 0), (ANNUAL_WORDS, CASE_STUDIES), &actor, now).await?;
    tx.commit().await?;

    // Hearings: a chief constable confirmed last year; a chief executive's hearing to come.
    let mut tx = db::begin_write(pool).await?;
    let notified = today - Duration::days(400);
    let cc = store::add_hearing(
        &mut tx,
        ("chief-constable", "Demo Candidate A", notified, Some(notified + Duration::days(12))),
        &actor,
        now,
    )
    .await?;
    store::report_hearing(
        &mut tx,
        &cc,
        ("recommended", 0, 12, notified + Duration::days(12), "The Panel recommends the appointment."),
        &actor,
        now,
    )
    .await?;
    store::add_hearing(
        &mut tx,
        ("chief-executive", "Demo Candidate B", today - Duration::days(5), Some(today + Duration::days(9))),
        &actor,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// This financial year's police and fire rounds, issued; next year's police round, opened.
/// Amounts are illustrative, within the year's referendum limits.
async fn seed_precept(pool: &Pool, today: Date, actor: &Actor, now: OffsetDateTime) -> anyhow::Result<()> {
    let this_year = if today.month() >= Month::April { today.year() } else { today.year() - 1 };
    for (precept, current, proposed) in [(Precept::Police, 27_100, 28_500), (Precept::Fire, 8_700, 9_200)] {
        let mut tx = db::begin_write(pool).await?;
        let Some(id) = store::open_precept_round(&mut tx, (this_year, precept, current), actor, now).await? else { continue };
        tx.commit().await?;
        let feb = |d| Date::from_calendar_date(this_year, Month::February, d).expect("a February day");
        let jan = Date::from_calendar_date(this_year, Month::January, 28)?;
        let mut round = Round::new(this_year, current);
        for step in [
            Step::Notify { band_d: proposed, on: jan },
            Step::Report { report: Report::Supported, votes_for_veto: 0, current_members: 12, on: feb(3) },
            Step::Respond { on: feb(10) },
            Step::Issue { band_d: proposed, on: feb(12) },
        ] {
            let row = store::precept_round(pool, &id).await?.ok_or_else(|| anyhow::anyhow!("demo precept round"))?;
            round = round.apply(step).map_err(anyhow::Error::msg)?;
            let words = match step {
                Step::Report { .. } => (Some("The Panel supports the proposal and does not use its veto. Demo figures."), None),
                Step::Respond { .. } => (None, Some("The Commissioner thanks the Panel and will issue the precept as proposed.")),
                _ => (None, None),
            };
            let votes = match step {
                Step::Report { votes_for_veto, current_members, .. } => (Some(votes_for_veto), Some(current_members)),
                _ => (None, None),
            };
            let mut tx = db::begin_write(pool).await?;
            store::save_precept_round(&mut tx, &row, &round, votes, words, actor, now).await?;
            tx.commit().await?;
        }
    }
    let mut tx = db::begin_write(pool).await?;
    store::open_precept_round(&mut tx, (this_year + 1, Precept::Police, 28_500), actor, now).await?;
    tx.commit().await?;
    Ok(())
}
