//! The plans benchmark's data and reference, driven by `scripts/bench plans`.
//!
//!   plans_history seed DATABASE_URL ACTIONS QUARTERS   a published plan of ACTIONS actions in ten
//!       themes, taken through QUARTERS quarters by the product's own functions (every action's
//!       update sent and approved each quarter, a third of them moving on, then the quarter
//!       closed and locked); prints how long that took.
//!   plans_history static FILE   serves FILE's bytes at / from memory: what the page costs when
//!       it is a file an office uploads to its website instead.

use std::time::Instant;

use axum::Router;
use axum::routing::get;
use plans::import::{ImportRow, ReadPlan};
use plans::model::{DeliveryStatus, Horizon, PlanKind, PlanStatus};
use plans::store;
use platform::audit::Actor;
use platform::periods::{FinancialYear, Quarter};
use time::OffsetDateTime;

pub const SLUG: &str = "benchmark-plan";

async fn seed(url: &str, actions: usize, quarters: usize) -> anyhow::Result<()> {
    let settings = platform::config::Settings { database_url: url.to_string(), ..Default::default() };
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &commissioner::migrators()).await?;
    let now = OffsetDateTime::now_utc();
    let actor = Actor::system("benchmark");
    let started = Instant::now();
    let new = store::NewPlan {
        slug: SLUG.into(),
        title: "Benchmark Plan".into(),
        kind: PlanKind::PoliceAndCrime,
        starts_on: FinancialYear(2020).first_day(),
        ends_on: FinancialYear(2023).last_day(),
        summary: "A plan as large as the largest an office keeps.".into(),
        document_url: String::new(),
    };
    store::create_plan(&pool, &new, &actor, now).await?;
    let plan = store::find_plan(&pool, SLUG).await?.ok_or_else(|| anyhow::anyhow!("plan"))?;
    let rows = (0..actions)
        .map(|i| ImportRow {
            line: i + 2,
            theme: format!("Theme {} of the plan", i % 10 + 1),
            commitment: format!("Commitment {} of theme {}", i / 10 % 5 + 1, i % 10 + 1),
            reference: format!("A{}", i + 1),
            key_deliverable: format!("Key deliverable {} with a name as long as a real one tends to be", i + 1),
            actions: "Work with partners to deliver the change the commitment promises, reporting every quarter.".into(),
            lead: "Benchmark Force / Superintendent".into(),
            outcome_measure: "A measure of the outcome".into(),
            horizon: Horizon::ALL[i % 3].slug().into(),
            status: DeliveryStatus::NotImplemented.slug().into(),
            carried_forward: i % 7 == 0,
            evidence: String::new(),
        })
        .collect();
    let id = store::hold_import(&pool, &plan, "benchmark.csv", &ReadPlan { rows, problems: Vec::new() }, &actor, now).await?;
    let held = store::find_import(&pool, &plan, &id).await?.ok_or_else(|| anyhow::anyhow!("import"))?;
    store::apply_import(&pool, &plan, &held, "", &actor, now).await?;
    store::set_status(&pool, &plan, PlanStatus::Published, &actor, now).await?;
    let plan = store::find_plan(&pool, SLUG).await?.ok_or_else(|| anyhow::anyhow!("plan"))?;
    let mut quarter = Quarter { year: FinancialYear(2020), number: 1 };
    for q in 0..quarters {
        store::open_quarter(&pool, &plan, quarter, quarter.next().first_day(), &actor, now).await?;
        let record = store::find_quarter(&pool, &plan.id, &quarter.slug()).await?.ok_or_else(|| anyhow::anyhow!("quarter"))?;
        for (i, update) in store::updates(&pool, &record.id).await?.iter().enumerate() {
            let next = match (update.current_status, (i + q) % 3 == 0) {
                (DeliveryStatus::NotImplemented, true) => DeliveryStatus::BeingImplemented,
                (DeliveryStatus::BeingImplemented, true) => DeliveryStatus::Implemented,
                (status, _) => status,
            };
            let words = format!(
                "Quarter {}: progress on {} as agreed with the partners, with figures for the quarter.",
                q + 1,
                update.reference
            );
            store::submit_update(&pool, update, update.revision, &words, next, &actor, now).await?;
            let sent = store::find_update(&pool, &update.id).await?.ok_or_else(|| anyhow::anyhow!("update"))?;
            store::review_update(&pool, &sent, sent.revision, plans::model::UpdateStep::Approve, "", &actor, now).await?;
        }
        store::close_quarter(&pool, &plan, &record, &actor, now).await?;
        eprintln!("quarter {} of {quarters} locked", q + 1);
        quarter = quarter.next();
    }
    println!("{:.1}", started.elapsed().as_secs_f64());
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("seed") => {
            let (Some(url), Some(actions), Some(quarters)) = (args.get(2), args.get(3), args.get(4)) else {
                anyhow::bail!("usage: plans_history seed DATABASE_URL ACTIONS QUARTERS");
            };
            seed(url, actions.parse()?, quarters.parse()?).await
        }
        Some("static") => {
            let path = args.get(2).ok_or_else(|| anyhow::anyhow!("usage: plans_history static FILE"))?;
            let body = std::fs::read_to_string(path)?;
            let app = Router::new().route("/", get(move || std::future::ready(axum::response::Html(body.clone()))));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            println!("listening on {}", listener.local_addr()?);
            axum::serve(listener, app).await?;
            Ok(())
        }
        _ => anyhow::bail!("usage: plans_history seed DATABASE_URL ACTIONS QUARTERS | static FILE"),
    }
}
