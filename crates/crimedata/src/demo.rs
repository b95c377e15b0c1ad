//! The demo office's crime data: Staffordshire's real LSOAs (geography only, see demo/README.md)
//! with two years of synthetic monthly counts, so the pages have something true-to-life to show
//! without pretending to be real figures. Deterministic: the same every time.
//!
//! The counts follow population, a fixed per-neighbourhood busyness (a few town-centre LSOAs far
//! busier than the rest), summer peaks for violence and ASB, Poisson noise, and two changes put
//! in on purpose so the tests and a newcomer can see a real change found: burglary in Stafford
//! falls by a third for the last eight months, and ASB in Tamworth rises by half for the last six.

use std::collections::HashMap;

use platform::db::{self, Pool};
use time::OffsetDateTime;

use crate::geography::Columns;
use crate::import::{self, MonthCounts};
use crate::rows::FileKind;

const LSOAS: &str = include_str!("../demo/staffordshire-lsoas.csv");
const BOUNDARIES: &str = include_str!("../demo/staffordshire-boundaries.csv");
pub const FORCE: &str = "staffordshire";
pub const MONTHS: i32 = 24;

/// Crimes per 1,000 residents a month, by type, about the national mix.
const RATES: [(&str, f64); 14] = [
    ("anti-social-behaviour", 1.6),
    ("violent-crime", 2.4),
    ("public-order", 0.7),
    ("criminal-damage-arson", 0.6),
    ("other-theft", 0.5),
    ("shoplifting", 0.5),
    ("vehicle-crime", 0.35),
    ("burglary", 0.35),
    ("drugs", 0.15),
    ("other-crime", 0.12),
    ("bicycle-theft", 0.06),
    ("theft-from-the-person", 0.06),
    ("robbery", 0.05),
    ("possession-of-weapons", 0.05),
];

/// The share of each type with no location in Staffordshire's real street files, 2018-10 to
/// 2019-02 (crimedata/testdata; ASB had 1 in 13,364).
const NO_LOCATION_SHARES: [(&str, f64); 13] = [
    ("bicycle-theft", 0.245),
    ("burglary", 0.149),
    ("criminal-damage-arson", 0.111),
    ("drugs", 0.160),
    ("other-crime", 0.130),
    ("other-theft", 0.210),
    ("possession-of-weapons", 0.158),
    ("public-order", 0.137),
    ("robbery", 0.117),
    ("shoplifting", 0.450),
    ("theft-from-the-person", 0.262),
    ("vehicle-crime", 0.091),
    ("violent-crime", 0.113),
];

fn busyness(code: &str) -> f64 {
    // A stable pseudo-random factor per LSOA from its code: most between 0.5 and 1.5, one in
    // twenty a town centre at five times.
    let hash = code.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3));
    let spread = 0.5 + (hash % 1000) as f64 / 1000.0;
    if hash % 20 == 0 { spread * 5.0 } else { spread }
}

/// (LSOA or "", crime type) → crimes in one month.
pub type StreetCounts = HashMap<(String, &'static str), u64>;

/// The synthetic counts: month → (LSOA, crime type) → crimes, for the `MONTHS` months to `last_month`.
pub fn generate(lsoas: &[(String, String, i64)], last_month: &str) -> Vec<(String, StreetCounts)> {
    let mut noise = crate::generate::Random::new(20_261_124, &[]);
    let mut nowhere_noise = crate::generate::Random::new(20_261_124, &[2]);
    let mut months = Vec::new();
    for back in (0..MONTHS).rev() {
        let month = crate::measures::months_before(last_month, back);
        let month_number: f64 = month[5..].parse().unwrap_or(1.0);
        // Peaks in July, troughs in January.
        let summer = 1.0 + 0.15 * ((month_number - 7.0) / 12.0 * 2.0 * std::f64::consts::PI).cos();
        let mut counts = HashMap::new();
        for (code, district, population) in lsoas {
            let base = *population as f64 / 1000.0 * busyness(code);
            for (crime_type, rate) in RATES {
                let mut mean = base * rate;
                if matches!(crime_type, "violent-crime" | "anti-social-behaviour" | "public-order") {
                    mean *= summer;
                }
                if crime_type == "burglary" && district == "Stafford" && back < 8 {
                    mean *= 0.66;
                }
                if crime_type == "anti-social-behaviour" && district == "Tamworth" && back < 6 {
                    mean *= 1.5;
                }
                let n = noise.poisson(mean);
                if n > 0 {
                    counts.insert((code.clone(), crime_type), n);
                }
            }
        }
        // Crimes with no location, type by type at the shares in Staffordshire's real files for
        // 2018-10 to 2019-02 (crimedata/testdata); they count in the force's totals only. Drawn
        // from their own stream, so the located counts are as they always were.
        for (crime_type, share) in NO_LOCATION_SHARES {
            let located: u64 = counts.iter().filter(|((_, t), _)| *t == crime_type).map(|(_, n)| *n).sum();
            let nowhere = nowhere_noise.poisson(located as f64 * share / (1.0 - share));
            if nowhere > 0 {
                counts.insert((String::new(), crime_type), nowhere);
            }
        }
        months.push((month, counts));
    }
    months
}

/// Loads the geography and the synthetic counts unless any police data is held already.
pub async fn seed(pool: &Pool, now: OffsetDateTime) -> anyhow::Result<bool> {
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM crimedata_force_month").fetch_one(pool).await?;
    if held > 0 {
        return Ok(false);
    }
    let mut reader = csv::Reader::from_reader(LSOAS.as_bytes());
    let header: Vec<String> = reader.headers()?.iter().map(str::to_string).collect();
    let columns = Columns::of(&header).ok_or_else(|| anyhow::anyhow!("demo geography has no LSOA column"))?;
    let mut facts = Vec::new();
    for record in reader.records() {
        let record = record?;
        let fields: Vec<&str> = record.iter().collect();
        let f = columns.read(&fields).map_err(anyhow::Error::msg)?;
        // 2011 census populations (demo/README.md).
        facts.push(crate::geography::LsoaFacts { population_year: Some("2011".into()), ..f });
    }
    crate::geography::merge(pool, &facts, "demo office: Staffordshire LSOAs (ONS, OGL v3)").await?;
    let mut outlines = Vec::new();
    for record in csv::Reader::from_reader(BOUNDARIES.as_bytes()).records() {
        let record = record?;
        outlines.push((record[0].to_string(), record[1].to_string()));
    }
    crate::geography::store_boundaries(pool, &outlines, "demo office: LSOA boundaries (ONS, OGL v3; contains OS data)").await?;
    let lsoas: Vec<(String, String, i64)> = facts
        .iter()
        .map(|f| (f.code.clone(), f.local_authority_name.clone().unwrap_or_default(), f.population.unwrap_or(1500)))
        .collect();
    let today = platform::calendar::uk_local_date(now);
    // The last full month, as police.uk would have it.
    let last_month = crate::measures::months_before(&format!("{:04}-{:02}", today.year(), u8::from(today.month())), 1);
    let import_id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO crimedata_import (id, started_at, finished_at, status, sources, summary) VALUES ($1, $2, $2, 'done', $3, $4)",
    )
    .bind(&import_id)
    .bind(db::timestamp(now))
    .bind("demo office: synthetic sample")
    .bind(format!("{MONTHS} synthetic months for Staffordshire's 687 LSOAs"))
    .execute(pool)
    .await?;
    let mut random = crate::generate::Random::new(20_261_124, &[1]);
    let outcome_mix = crate::generate::outcome_mix();
    for (month, street) in generate(&lsoas, &last_month) {
        let rows: u64 = street.values().sum();
        let no_location = street.iter().filter(|((lsoa, _), _)| lsoa.is_empty()).map(|(_, n)| *n).sum();
        // Each crime's last outcome drawn from the mix in real West Yorkshire files.
        let mut street_outcomes = HashMap::new();
        for ((_, crime_type), n) in &street {
            for _ in 0..*n {
                let outcome = outcome_mix
                    .get(crime_type)
                    .and_then(|(labels, alias)| crate::reference::outcome_code(labels[alias.draw(&mut random)]))
                    .unwrap_or("");
                *street_outcomes.entry((*crime_type, outcome)).or_default() += 1;
            }
        }
        let mut counts = MonthCounts { rows, no_location, street_outcomes, ..Default::default() };
        for ((lsoa, crime_type), n) in &street {
            counts.add_street(lsoa, crime_type, *n);
        }
        // About 850 searches a month, each drawn as a police.uk row and read by the real parser.
        let mut stops = MonthCounts::default();
        for _ in 0..random.poisson(850.0) {
            let fields = crate::generate::search_fields(&mut random, &month, &[]);
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            let Ok(row) = crate::rows::parse_stop(&refs) else { continue };
            stops.rows += 1;
            stops.no_location += u64::from(row.location.is_none());
            stops.stop(&row);
        }
        let mut tx = platform::db::begin_write(pool).await?;
        for (kind, counts) in [(FileKind::Street, &counts), (FileKind::StopAndSearch, &stops)] {
            import::write_month(&mut tx, FORCE, &month, kind, counts, "demo office: synthetic sample", &import_id).await?;
        }
        tx.commit().await?;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_the_same_every_time_and_has_its_planted_changes() {
        let lsoas: Vec<(String, String, i64)> = (0..60)
            .map(|i| (format!("E0102{i:04}"), if i < 30 { "Stafford".to_string() } else { "Tamworth".to_string() }, 1600))
            .collect();
        let a = generate(&lsoas, "2026-10");
        let b = generate(&lsoas, "2026-10");
        assert_eq!(a.len(), 24);
        assert_eq!(a.first().map(|(m, _)| m.as_str()), Some("2024-11"));
        assert_eq!(
            a.iter().map(|(_, c)| c.values().sum::<u64>()).collect::<Vec<_>>(),
            b.iter().map(|(_, c)| c.values().sum::<u64>()).collect::<Vec<_>>()
        );
        let burglary = |from: usize, to: usize| -> u64 {
            a[from..to]
                .iter()
                .flat_map(|(_, c)| c.iter())
                .filter(|((code, t), _)| *t == "burglary" && code.as_str() < "E01020030" && !code.is_empty())
                .map(|(_, n)| *n)
                .sum()
        };
        // The last eight months against the eight a year before them: about a third fewer.
        let (before, after) = (burglary(8, 16), burglary(16, 24));
        assert!(after * 100 < before * 85, "{before} → {after}");
        // Shoplifting without a location at about Staffordshire's real share; ASB always placed.
        let total = |t: &str, nowhere: bool| -> u64 {
            a.iter()
                .flat_map(|(_, c)| c.iter())
                .filter(|((code, ct), _)| *ct == t && (!nowhere || code.is_empty()))
                .map(|(_, n)| *n)
                .sum()
        };
        let share = total("shoplifting", true) as f64 / total("shoplifting", false) as f64;
        assert!((0.40..0.50).contains(&share), "{share}");
        assert_eq!(total("anti-social-behaviour", true), 0);
    }
}
