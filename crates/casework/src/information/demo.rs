//! The demo office's information requests: a disclosure log with answers over the past year,
//! requests answered in time and late in earlier quarters (so the compliance rate has figures),
//! and open requests at different points of the clock. Names are invented.

use platform::audit::Actor;
use platform::config::Settings;
use platform::contact::ContactAnswers;
use platform::db::Pool;
use time::{Duration, OffsetDateTime};

use super::answers::{ReplyTo, RequestAnswers};
use super::clock::RequestKind;
use super::store::{self, ClockColumn, Response};

struct Sample {
    request: &'static str,
    title: &'static str,
    topic: &'static str,
    outcome: &'static str,
    exemptions: &'static [&'static str],
    response: &'static str,
    /// Days before today the request arrived, and working-ish days taken to answer.
    received_days_ago: i64,
    answered_after_days: i64,
    /// The document released with the answer, when it says one is attached: (file name, CSV).
    document: Option<(&'static str, &'static str)>,
}

/// Every demo document says what it is on its first line.
const DEMO: &str = "Demonstration document: invented figures for the demo office, not real data\n";

const ANSWERED: [Sample; 9] = [
    Sample {
        request: "How many speed cameras are there on the A34 and A50, and how much was raised in fines from each in 2025?",
        title: "Speed cameras on the A34 and A50",
        topic: "Roads",
        outcome: "part-disclosed",
        exemptions: &["s.31"],
        response: "There are four fixed camera sites on the A34 and three on the A50; the fines raised are in the attached table. The sites used by mobile camera vans are withheld under section 31 (law enforcement): we considered the public interest in knowing where enforcement happens against the public interest in drivers keeping to the limit everywhere, and found the public interest in withholding greater.",
        received_days_ago: 330,
        answered_after_days: 33,
        document: Some((
            "speed-camera-fines-2025.csv",
            "road,fixed camera site,fines issued,amount raised (GBP)\nA34,Stone Road,1420,142000\nA34,Walton,980,98000\nA34,Newcastle Road,760,76000\nA34,Talke,540,54000\nA50,Blythe Bridge,1210,121000\nA50,Uttoxeter,650,65000\nA50,Meir,430,43000\n",
        )),
    },
    Sample {
        request: "Please provide the amount spent by the Commissioner's office on hospitality and travel in the last financial year.",
        title: "Hospitality and travel spending",
        topic: "Finance",
        outcome: "disclosed",
        exemptions: &[],
        response: "The office spent £1,240 on hospitality and £6,815 on travel in the last financial year. The figures are also published each month in our spending register.",
        received_days_ago: 300,
        answered_after_days: 18,
        document: None,
    },
    Sample {
        request: "How many burglaries were reported in Stoke-on-Trent in each month of 2025, and how many led to a charge?",
        title: "Burglaries in Stoke-on-Trent and charges",
        topic: "Crime",
        outcome: "disclosed",
        exemptions: &[],
        response: "The monthly figures for reported burglaries and charges are attached. The office holds these figures because the force reports them to the Commissioner for the Police and Crime Plan.",
        received_days_ago: 260,
        answered_after_days: 34,
        document: Some((
            "burglaries-and-charges-by-month.csv",
            "month,burglaries reported,charges\n2025-04,312,21\n2025-05,298,19\n2025-06,276,24\n2025-07,301,18\n2025-08,289,22\n2025-09,305,20\n",
        )),
    },
    Sample {
        request: "Copies of the contracts for victim support services commissioned by the office, with their values.",
        title: "Victim support service contracts",
        topic: "Contracts",
        outcome: "part-disclosed",
        exemptions: &["s.43"],
        response: "The contract values and durations are attached. The pricing schedules are withheld under section 43 (commercial interests): disclosure would harm the providers' position in the tender now running. We weighed the public interest in how public money is spent, which the values released meet, against the harm to fair competition.",
        received_days_ago: 200,
        answered_after_days: 19,
        document: Some((
            "victim-services-contracts.csv",
            "service,provider,annual value (GBP),start,end\nVictims’ Gateway,Example Support Trust,1250000,2024-04-01,2027-03-31\nDomestic abuse service,Example Refuge,3300000,2023-04-01,2026-03-31\nRestorative justice,Example Mediation,180000,2025-04-01,2027-03-31\n",
        )),
    },
    Sample {
        request: "What is the salary of each member of staff in the Commissioner's office, by name?",
        title: "Salaries of office staff",
        topic: "Staff",
        outcome: "part-disclosed",
        exemptions: &["s.40(2)"],
        response: "Salaries in bands for every post are attached, with the names of the Commissioner and the Chief Executive, whose salaries are published. Names of other staff are withheld under section 40(2): they are personal data and staff would not expect them to be released.",
        received_days_ago: 150,
        answered_after_days: 15,
        document: Some((
            "staff-salary-bands.csv",
            "post,salary band (GBP),name\nCommissioner,85000–89999,Published\nChief Executive,95000–99999,Published\nHead of Finance,60000–64999,Withheld (section 40(2))\nPolicy Officer,35000–39999,Withheld (section 40(2))\n",
        )),
    },
    Sample {
        request: "How much has the office given in community grants for knife crime projects since 2023, and to which organisations?",
        title: "Community grants for knife crime projects",
        topic: "Grants",
        outcome: "disclosed",
        exemptions: &[],
        response: "The grants awarded since 2023 for projects to prevent knife crime are listed in the attached table, with the organisation, the amount and the year.",
        received_days_ago: 110,
        answered_after_days: 12,
        document: Some((
            "knife-crime-grants.csv",
            "organisation,amount (GBP),year\nExample Youth Club,5000,2023\nExample Boxing Academy,4500,2024\nExample Community Trust,5000,2025\n",
        )),
    },
    Sample {
        request: "Minutes of every meeting between the Commissioner and the Chief Constable about the closure of police front counters.",
        title: "Meetings about police front counters",
        topic: "Estates",
        outcome: "not-held",
        exemptions: &[],
        response: "The office does not hold minutes of meetings on this subject: front counter closures were discussed at the public Strategic Governance Board, whose papers are on our website.",
        received_days_ago: 70,
        answered_after_days: 16,
        document: None,
    },
    Sample {
        request: "How many police vehicles were damaged in collisions in 2025 and what did the repairs cost?",
        title: "Police vehicle collisions and repair costs",
        topic: "Finance",
        outcome: "refused",
        exemptions: &["s.12"],
        response: "Finding this would take more than 18 hours, the appropriate limit, because repair costs are not recorded against collisions and each of about 400 invoices would need reading. Under section 16 we suggest narrowing the request to the number of collisions, which we can give.",
        received_days_ago: 45,
        answered_after_days: 14,
        document: None,
    },
    Sample {
        request: "How many drones does the force have, and how often were they used to search for missing people in 2025?",
        title: "Police drones and searches for missing people",
        topic: "Crime",
        outcome: "disclosed",
        exemptions: &[],
        response: "The force has seven drones. They were used in 212 searches for missing people in 2025; the figures by month are attached.",
        received_days_ago: 20,
        answered_after_days: 9,
        document: Some((
            "drone-searches-2025.csv",
            "month,searches for missing people\n2025-01,15\n2025-02,14\n2025-03,19\n2025-04,17\n2025-05,20\n2025-06,18\n2025-07,22\n2025-08,19\n2025-09,16\n2025-10,17\n2025-11,18\n2025-12,17\n",
        )),
    },
];

const REQUESTER_NAMES: [&str; 4] = ["Sam Demo", "Alex Example", "Morgan Sample", "Jamie Test"];

/// Adds the requests and the log unless there are requests already.
pub async fn seed(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> Result<bool, sqlx::Error> {
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM casework_information_request").fetch_one(pool).await?;
    if exists > 0 {
        return Ok(false);
    }
    let actor = Actor::system("demo office");
    let storage = platform::files::Storage::from_settings(settings).map_err(|e| sqlx::Error::Configuration(e.into()))?;
    let today = platform::calendar::uk_local_date(now);
    // Requests arrive, and are answered and published, on working days, as in a real office.
    let calendar = platform::calendar::store::for_nation(pool, platform::calendar::Nation::EnglandAndWales).await?;
    let on_a_working_day = |mut at: OffsetDateTime| {
        while !calendar.is_working_day(platform::calendar::uk_local_date(at)) {
            at -= Duration::days(1);
        }
        at
    };
    for (n, sample) in ANSWERED.iter().enumerate() {
        let received = on_a_working_day(now - Duration::days(sample.received_days_ago));
        let answered_at = on_a_working_day(received + Duration::days(sample.answered_after_days)).max(received);
        let answered_on = platform::calendar::uk_local_date(answered_at);
        let reference =
            make(pool, settings, sample.request, REQUESTER_NAMES[n % REQUESTER_NAMES.len()], received, &actor).await?;
        let Some(request) = store::find(pool, &reference).await? else { continue };
        let response = Response {
            outcome: sample.outcome.into(),
            exemptions: sample.exemptions.iter().map(|s| s.to_string()).collect(),
            response_text: sample.response.into(),
        };
        if let Some((name, csv)) = sample.document {
            super::release::add_generated(pool, &storage, &request, name, format!("{DEMO}{csv}").into_bytes(), now).await?;
        }
        let drafter = store::Drafter { id: "demo-drafter", name: "Demo information officer" };
        store::save_response(pool, &request, &response, &drafter, &actor, now).await?;
        store::approve(pool, &request, "Demo transparency officer", &actor, now, answered_on).await?;
        let letter = casekit::letters::LetterText { kind: "information-response", subject: String::new(), body: String::new() };
        // Demo requesters have no email address: nothing is sent.
        store::send(pool, &request, &letter, &super::release::Delivery::Nothing, &actor, now, answered_on, settings).await?;
        if let Some(answered) = store::find(pool, &reference).await? {
            // Published the day it was answered, so the log's feed dates each answer by its day.
            store::publish(pool, &answered, sample.title, sample.topic, &actor, answered_at.min(now)).await?;
        }
    }
    // Open requests: one just arrived, one waiting for the requester to clarify, one nearly due.
    make(
        pool,
        settings,
        "The number of officers on patrol in Leek town centre on Friday and Saturday nights in October.",
        "Sam Demo",
        now,
        &actor,
    )
    .await?;
    let waiting =
        make(pool, settings, "All information about the new custody suite.", "Alex Example", now - Duration::days(6), &actor)
            .await?;
    if let Some(request) = store::find(pool, &waiting).await? {
        let asked = platform::db::date(today - Duration::days(2));
        store::set_clock_fact(pool, &request, ClockColumn::ClarificationAsked, Some(asked), &actor, now).await?;
    }
    make(
        pool,
        settings,
        "How many calls to 101 were abandoned before being answered in each month of 2025? Please include the average waiting time.",
        "Morgan Sample",
        now - Duration::days(24),
        &actor,
    )
    .await?;
    Ok(true)
}

async fn make(
    pool: &Pool,
    settings: &Settings,
    request_text: &str,
    name: &str,
    received: OffsetDateTime,
    actor: &Actor,
) -> Result<String, sqlx::Error> {
    let answers = RequestAnswers {
        request_text: request_text.into(),
        preferred_format: "electronic".into(),
        suggestions_seen: true,
        reply_to: ReplyTo {
            full_name: name.into(),
            contact: ContactAnswers {
                contact_method: "letter".into(),
                postal_address: "1 Demo Street\nStafford".into(),
                postcode: "ST16 2DH".into(),
                ..Default::default()
            },
        },
    };
    let draft = store::DRAFTS.create::<RequestAnswers>(pool, received).await?;
    let today = platform::calendar::uk_local_date(received);
    let submitted = store::submit(
        pool,
        &draft,
        &store::NewRequest::from(&answers),
        RequestKind::Foi,
        received,
        today,
        actor,
        |_, _| None,
        settings,
    )
    .await?;
    Ok(submitted.reference.to_string())
}
