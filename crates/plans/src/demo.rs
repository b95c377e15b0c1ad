//! The demo office's plans: the Police and Crime Plan 2021–24, a Fire and Rescue Plan and a
//! reducing reoffending action plan of 50 actions, each imported from its CSV through the same
//! import as an office uses, then taken through two locked quarters and one open one, with leads'
//! updates approved, sent back and still awaited. Facts from the seeds (see `demo/SOURCES.md`).

use platform::audit::Actor;
use platform::db::Pool;
use platform::organisations::{Kind, NewOrganisation};
use platform::periods::{FinancialYear, Quarter};
use time::{Duration, OffsetDateTime};

use crate::model::{DeliveryStatus, PlanKind, PlanStatus, UpdateState, UpdateStep};
use crate::store::{self, NewPlan};

struct DemoPlan {
    title: &'static str,
    kind: PlanKind,
    first_year: i32,
    last_year: i32,
    summary: &'static str,
    csv: &'static str,
    /// The quarters locked, then the one left open.
    quarters: [(i32, u8); 3],
    aims: &'static [(&'static str, &'static str)],
}

const PLANS: [DemoPlan; 3] = [
    DemoPlan {
        title: "Police and Crime Plan 2021 to 2024",
        kind: PlanKind::PoliceAndCrime,
        first_year: 2021,
        last_year: 2023,
        summary: "Keeping Staffordshire safe: what the Commissioner will do, with the police and partners, to cut crime and antisocial behaviour, protect people from harm, support victims, reduce reoffending and speed up justice.",
        csv: include_str!("../demo/police-and-crime-plan.csv"),
        quarters: [(2023, 1), (2023, 2), (2023, 3)],
        aims: &[
            (
                "A local and responsive service",
                "Deal with what matters to communities, answer and attend promptly, and solve problems with partners so that crime and ASB fall and confidence rises.",
            ),
            ("Prevent harm and protect people", "Keep children and vulnerable people safe and make sure they get help early."),
            ("Support victims and witnesses", "Give victims and witnesses specialist support so they can cope and recover."),
            (
                "Reduce offending and reoffending",
                "Challenge and support people so they do not offend or reoffend, meaning fewer victims.",
            ),
            (
                "A more effective criminal justice system",
                "Make the police, prosecutors, courts, probation and prisons work together so justice is quicker.",
            ),
        ],
    },
    DemoPlan {
        title: "Fire and Rescue Plan 2019 to 2021",
        kind: PlanKind::FireAndRescue,
        first_year: 2019,
        last_year: 2020,
        summary: "The Commissioner's priorities for Staffordshire Fire and Rescue Service: prevention, protection, public confidence and reform.",
        csv: include_str!("../demo/fire-and-rescue-plan.csv"),
        quarters: [(2019, 2), (2019, 3), (2019, 4)],
        aims: &[],
    },
    DemoPlan {
        title: "Reducing Reoffending Action Plan",
        kind: PlanKind::Strategy,
        first_year: 2015,
        last_year: 2017,
        summary: "The partnership's plan to reduce reoffending, by theme: prevention, diversion, offender management, rehabilitation and resettlement, and work across all of them.",
        csv: include_str!("../demo/reducing-reoffending.csv"),
        quarters: [(2016, 1), (2016, 2), (2016, 3)],
        aims: &[],
    },
];

const PARTNERS: [(&str, Kind); 6] = [
    ("Staffordshire Police", Kind::PoliceForce),
    ("Staffordshire Fire and Rescue Service", Kind::FireService),
    ("Stoke-on-Trent City Council", Kind::Council),
    ("Staffordshire County Council", Kind::Council),
    ("Probation Service", Kind::Other),
    ("Stafford Community Safety Partnership", Kind::ReviewBody),
];

const NARRATIVES: [&str; 5] = [
    "The new operating model puts response and neighbourhood teams in each district. The force is close to its agreed target of 2,000 officers by March 2024, with 1,962 in post.\n\nOf 999 calls, 85% were answered within 10 seconds, sixth best of the 43 forces, despite demand 28% above its level before the pandemic. Home Office funding of £2 million over two years pays for ASB hotspot patrols in five areas.",
    "The Violence Reduction Alliance has been assessed as ready to deliver the Serious Violence Duty. Knife crime work continues in schools and town centres.\n\nThe missing and exploitation service completed 942 return-home interviews between April and June.",
    "The victims' gateway took 18,288 referrals between April and June; 160 victims stayed with it for one-to-one support. New Ministry of Justice funding will pay for 3.5 more independent advisers.",
    "Youth ASB in the summer holidays was 353 reports in 2023, against 1,395 in 2016, the year before the summer programme was relaunched.",
    "Partners now report against one Local Criminal Justice Board framework. Work with the courts on adjournments has not yet shown results.",
];

/// Adds the demo plans unless there are plans already.
pub async fn seed(pool: &Pool, now: OffsetDateTime) -> anyhow::Result<()> {
    if !store::list_plans(pool).await?.is_empty() {
        return Ok(());
    }
    let office = Actor::system("demo office");
    let lead = Actor::system("demo partner lead");
    let mut tx = platform::db::begin_write(pool).await?;
    for (name, kind) in PARTNERS {
        platform::organisations::find_or_add(&mut tx, NewOrganisation { name, kind, email: None }, &office, now)
            .await
            .map_err(|e| anyhow::anyhow!("demo partner {name}: {e}"))?;
    }
    tx.commit().await?;
    for (index, demo) in PLANS.iter().enumerate() {
        let new = NewPlan {
            slug: crate::office::slug_of(demo.title),
            title: demo.title.into(),
            kind: demo.kind,
            starts_on: FinancialYear(demo.first_year).first_day(),
            ends_on: FinancialYear(demo.last_year).last_day(),
            summary: demo.summary.into(),
            document_url: String::new(),
        };
        store::create_plan(pool, &new, &office, now).await?;
        let plan = store::find_plan(pool, &new.slug).await?.ok_or_else(|| anyhow::anyhow!("demo plan not stored"))?;
        let cells = crate::import::cells(demo.csv.as_bytes(), "plan.csv")?;
        let read = crate::import::read(&cells, None)?;
        anyhow::ensure!(read.problems.is_empty(), "demo plan {} has problems: {:?}", demo.title, read.problems);
        let id = store::hold_import(pool, &plan, "demo.csv", &read, &office, now).await?;
        let held = store::find_import(pool, &plan, &id).await?.ok_or_else(|| anyhow::anyhow!("demo import not held"))?;
        store::apply_import(pool, &plan, &held, "", &office, now).await?;
        for (title, aim) in demo.aims {
            sqlx::query("UPDATE plans_priority SET aim = $1 WHERE plan_id = $2 AND title = $3")
                .bind(*aim)
                .bind(&plan.id)
                .bind(*title)
                .execute(pool)
                .await?;
        }
        store::set_status(pool, &plan, PlanStatus::Published, &office, now).await?;
        let plan = store::find_plan(pool, &new.slug).await?.ok_or_else(|| anyhow::anyhow!("demo plan not stored"))?;
        for (step, (year, number)) in demo.quarters.iter().enumerate() {
            let quarter = Quarter { year: FinancialYear(*year), number: *number };
            let last = step == demo.quarters.len() - 1;
            let due = if last {
                platform::calendar::uk_local_date(now) + Duration::days(14)
            } else {
                quarter.next().first_day() + Duration::days(20)
            };
            store::open_quarter(pool, &plan, quarter, due, &office, now).await?;
            let record =
                store::find_quarter(pool, &plan.id, &quarter.slug()).await?.ok_or_else(|| anyhow::anyhow!("demo quarter"))?;
            let updates = store::updates(pool, &record.id).await?;
            for (i, update) in updates.iter().enumerate() {
                // Every third action moves on each quarter; the open quarter has some of each state.
                let moves = (i + step + index) % 3 == 0;
                let next = match (update.current_status, moves) {
                    (DeliveryStatus::NotImplemented, true) => DeliveryStatus::BeingImplemented,
                    (DeliveryStatus::BeingImplemented, true) => DeliveryStatus::Implemented,
                    (status, _) => status,
                };
                if last && i % 4 == 3 {
                    continue; // still awaited
                }
                let words = format!(
                    "{}: {} this quarter.",
                    update.key_deliverable,
                    if next == update.current_status { "work continues as planned" } else { "a milestone was reached" }
                );
                store::submit_update(pool, update, update.revision, &words, next, &lead, now).await?;
                if last && i % 4 != 0 {
                    continue; // waiting for review
                }
                let submitted = store::find_update(pool, &update.id).await?.ok_or_else(|| anyhow::anyhow!("demo update"))?;
                let (step, comment) = if last {
                    (UpdateStep::SendBack, "Please add the figures for the quarter.")
                } else {
                    (UpdateStep::Approve, "")
                };
                let state = store::review_update(pool, &submitted, submitted.revision, step, comment, &office, now).await?;
                debug_assert!(matches!(state, UpdateState::Approved | UpdateState::SentBack));
            }
            if !last {
                let (locked, _) = store::close_quarter(pool, &plan, &record, &office, now).await?;
                if demo.kind == PlanKind::PoliceAndCrime && step == 0 {
                    let narratives: Vec<(String, String)> = locked
                        .snapshot
                        .priorities
                        .iter()
                        .zip(NARRATIVES)
                        .map(|(p, words)| (p.id.clone(), words.to_string()))
                        .collect();
                    let details = store::ReportDetails {
                        meeting_on: Some("2023-10-10".into()),
                        contact_name: "Demo Performance Lead".into(),
                        contact_role: "Head of Performance and Policy".into(),
                        contact_email: "performance@demo.commissioner.example".into(),
                    };
                    store::save_report(pool, &plan, &locked, &details, &narratives, &office, now).await?;
                }
            }
        }
    }
    Ok(())
}
