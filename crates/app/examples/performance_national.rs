//! The performance benchmark's data and work, driven by `scripts/bench performance`.
//!
//!   performance_national generate FILE YEARS   writes police recorded crime by force area in the
//!       Home Office's layout (CSV) for YEARS financial years to 2025/26: every force and body of
//!       the real 2017/18 table, each offence and quarter, moved by a trend and noise per year.
//!   performance_national run DATABASE_URL FILE   imports FILE through the product's reader and
//!       store, loads the national catalogue, residents and most similar groups, then works out
//!       every measure's control chart and most similar group comparison for all 43 forces;
//!       prints the seconds each step took, tab-separated: read, store, statistics, total.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::time::Instant;

use performance::datasets;
use performance::figures;
use performance::model::{Dataset, Recipe};
use performance::store;
use platform::audit::Actor;
use time::OffsetDateTime;

fn generate(path: &str, years: i32) -> anyhow::Result<()> {
    let text = performance::reference::prc_2017_18();
    let mut reader = csv::Reader::from_reader(text.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>()?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(
        out,
        "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences"
    )?;
    let mut writer = csv::Writer::from_writer(out);
    let mut state: u64 = 0x5EED;
    let mut noise = || {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as f64 / (1u64 << 31) as f64) * 0.2 - 0.1
    };
    for year in (2026 - years)..2026 {
        let label = format!("{year}/{:02}", (year + 1) % 100);
        let trend = 1.03f64.powi(year - 2017);
        for row in &rows {
            let count: f64 = row[7].parse().unwrap_or(0.0);
            let value = (count * trend * (1.0 + noise())).round().max(0.0);
            writer.write_record([&label, &row[1], &row[2], &row[3], &row[4], &row[5], &row[6], &value.to_string()])?;
        }
    }
    writer.flush()?;
    Ok(())
}

async fn run(url: &str, path: &str) -> anyhow::Result<()> {
    let settings = platform::config::Settings { database_url: url.to_string(), ..Default::default() };
    let pool = platform::db::connect_lazy(&settings)?;
    platform::db::migrate(&pool, &commissioner::migrators()).await?;
    let now = OffsetDateTime::now_utc();
    let actor = Actor::system("benchmark");
    let started = Instant::now();

    let bytes = std::fs::read(path)?;
    let read = datasets::read(Dataset::Prc, &bytes, "prc.csv")?;
    let read_s = started.elapsed().as_secs_f64();
    eprintln!("read {} figures from {} rows", read.observations.len(), read.rows_read);

    let stored = Instant::now();
    let mut tx = platform::db::begin_write(&pool).await?;
    let id =
        store::hold_import(&mut tx, Dataset::Prc, ("prc.csv", "-"), "Benchmark table", &store::Summary::of(&read), &actor, now)
            .await?;
    tx.commit().await?;
    let import = store::find_import(&pool, &id).await?.ok_or_else(|| anyhow::anyhow!("held"))?;
    store::apply_import(&pool, &import, &read, &actor, now).await.map_err(|e| anyhow::anyhow!("{e}"))?;
    let rows = platform::spreadsheet::first_sheet(include_bytes!("../../performance/demo/ppf-2025.csv"), "catalogue.csv", 100)?;
    let (definitions, _) = performance::model::read_catalogue(&rows).map_err(anyhow::Error::msg)?;
    let definitions: Vec<_> = definitions.into_iter().filter(|d| d.recipe.starts_with("dataset=prc")).collect();
    let new = store::NewCatalogue {
        slug: "national-measures",
        name: "National measures",
        source: "benchmark",
        effective_on: now.date(),
        reason: "",
    };
    store::load_catalogue(&pool, &new, &definitions, &actor, now).await?;
    let residents = performance::reference::force_residents_2011();
    let groups = performance::reference::stand_in_groups(&performance::reference::rates_2017_18());
    {
        let mut tx = platform::db::begin_write(&pool).await?;
        for (area, people) in &residents {
            store::set_population(&mut tx, area, 2011, *people, performance::reference::RESIDENTS_SOURCE).await?;
        }
        tx.commit().await?;
    }
    for (area, members) in &groups {
        store::set_group(&pool, area, members, performance::reference::STAND_IN_SOURCE, &actor, now).await?;
    }
    let store_s = stored.elapsed().as_secs_f64();

    // Every measure, every force: one query a measure for all forces' sums, then each force's
    // series, control chart and group comparison.
    let statistics = Instant::now();
    let population: BTreeMap<String, (f64, String)> =
        residents.iter().map(|(a, p)| (a.clone(), (*p as f64, String::new()))).collect();
    let mut charts = 0;
    let mut comparisons = 0;
    for measure in store::active_measures(&pool).await? {
        let Some(recipe) = Recipe::parse(&measure.definition.recipe).ok() else { continue };
        let by_area = store::sums(&pool, &recipe, &[]).await?;
        for area in platform::areas::FORCE_AREAS.iter().map(|a| a.slug.to_string()) {
            let Some(sums) = by_area.get(&area) else { continue };
            let points = figures::series(&measure.definition, &recipe, sums, None, population.get(&area).map(|p| p.0));
            let (chart, _, _) = figures::judge(&measure.definition, &points);
            charts += usize::from(chart.is_some());
            let group = groups.get(&area).cloned().unwrap_or_default();
            if let Some(last) = points.last()
                && let Some((window, _)) = figures::window(measure.definition.frequency, &last.period)
                && figures::group_figures(&measure.definition, &by_area, &population, (&area, &group), &window, &|c| {
                    c.to_string()
                })
                .is_some()
            {
                comparisons += 1;
            }
        }
    }
    let statistics_s = statistics.elapsed().as_secs_f64();
    eprintln!("{charts} control charts and {comparisons} group comparisons");
    println!("{read_s:.2}\t{store_s:.2}\t{statistics_s:.2}\t{:.2}", started.elapsed().as_secs_f64());
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("generate") if args.len() == 4 => generate(&args[2], args[3].parse()?),
        Some("run") if args.len() == 4 => run(&args[2], &args[3]).await,
        _ => anyhow::bail!("usage: performance_national generate FILE YEARS | run DATABASE_URL FILE"),
    }
}
