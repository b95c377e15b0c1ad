//! Measures for an area from the stored counts: this year against last by crime type, rates per
//! 1,000 residents, and the monthly series with control limits. The arithmetic is pure
//! (`area_report`); the database only supplies the counts and which months were published.
//!
//! What an area's figures count, and leave out (README, ADR 0004):
//! - the crimes its own force recorded in it (a district's force comes from the LSOA lookup);
//!   crimes other forces recorded there (British Transport Police, a neighbouring force) are
//!   disclosed beside them, not mixed in;
//! - every month the force published, a month with no crime in the area counting as zero; the
//!   latest twelve months end at the force's latest published month, not the area's latest crime;
//! - not crimes without a location: police.uk puts them in no LSOA, so each page says what share
//!   of its force's crimes of each type that is.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use platform::db::Pool;
use serde::Serialize;

use crate::force::percent;
use crate::reference::{self, CRIME_TYPES};
use crate::stats::{self, Comparison, MonthPoint, Signal};

/// What every area's figures count and leave out, said beside them in each download.
pub const WHAT_IS_COUNTED: &str = "Crimes the area's own police force recorded in it (other forces' crimes here are listed \
apart in other_forces), over every month that force published, a month with no crime counting as zero. Crimes with no \
location are in no area's figures: locations gives each force's share without one, by crime type. Changes are tested \
on months held in both years, each against the same month a year before, allowing for over-dispersion; fewer than six \
such months are too few to tell. Rates are a year per 1,000 residents, scaled up when fewer than 12 months are held.";

/// A district (local authority) whose own force's data is held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct District {
    pub code: String,
    pub name: String,
    /// Residents of every LSOA of the district (of the newest boundaries holding a population).
    pub population: i64,
    /// The year of that population figure ("2011" for the 2011 census), "" when not known.
    pub population_year: String,
    pub lsoas: i64,
    /// The police.uk forces whose figures are the district's: the force the lookup names for
    /// its LSOAs, when that force's data is held.
    pub forces: Vec<String>,
}

/// The street months each force published (held in `crimedata_force_month`).
pub type Published = BTreeMap<String, BTreeSet<String>>;

pub async fn published_months(pool: &Pool) -> Result<Published, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT force, month FROM crimedata_force_month WHERE kind = 'street'").fetch_all(pool).await?;
    let mut published = Published::new();
    for (force, month) in rows {
        published.entry(force).or_default().insert(month);
    }
    Ok(published)
}

/// A force as a lookup names it ("Devon & Cornwall", "London, City of", "Metropolitan Police",
/// "West Yorkshire") or as police.uk slugs it ("devon-and-cornwall", "city-of-london",
/// "metropolitan"), reduced to one key that both give.
pub fn force_key(text: &str) -> String {
    let mut words: Vec<String> = text
        .to_lowercase()
        .replace('&', " and ")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "police" | "constabulary" | "service"))
        .map(str::to_string)
        .collect();
    // "London, City of" → "city of london".
    if words.len() > 2 && words[words.len() - 2..] == ["city", "of"] {
        let place = words.drain(..words.len() - 2).collect::<Vec<_>>();
        words.extend(place);
    }
    words.concat()
}

/// The held forces that the names given match.
pub fn forces_named(names: &[&str], published: &Published) -> Vec<String> {
    let keys: BTreeSet<String> = names.iter().filter(|n| !n.trim().is_empty()).map(|n| force_key(n)).collect();
    published.keys().filter(|slug| keys.contains(&force_key(slug))).cloned().collect()
}

/// (district code, name, force named, vintage, population year, population, LSOAs, LSOAs with a population).
type PlaceGroup = (String, String, String, String, String, i64, i64, i64);

/// Districts from the grouped lookup: each published when a force it names is held. A district
/// whose lookup names no force is given the forces that recorded crimes in at least half its
/// LSOAs (`recorded_in`: district → force → LSOAs with a count).
pub fn assemble_districts(
    groups: &[PlaceGroup],
    published: &Published,
    recorded_in: &HashMap<String, BTreeMap<String, i64>>,
) -> Vec<District> {
    let mut by_code: BTreeMap<&str, Vec<&PlaceGroup>> = BTreeMap::new();
    for group in groups {
        by_code.entry(group.0.as_str()).or_default().push(group);
    }
    let mut districts: Vec<District> = by_code
        .into_iter()
        .filter_map(|(code, groups)| {
            let names: Vec<&str> = groups.iter().map(|g| g.2.as_str()).collect();
            let lsoas_all: i64 = groups.iter().map(|g| g.6).sum();
            let forces = if names.iter().any(|n| !n.trim().is_empty()) {
                forces_named(&names, published)
            } else {
                recorded_in
                    .get(code)
                    .map(|forces| forces.iter().filter(|(_, n)| **n * 2 >= lsoas_all).map(|(f, _)| f.clone()).collect())
                    .unwrap_or_default()
            };
            if forces.is_empty() {
                return None;
            }
            // Residents counted once: from the newest boundaries that carry a population, so a
            // district holding both 2011 and 2021 LSOAs is not counted twice.
            let vintage = groups.iter().filter(|g| g.7 > 0).map(|g| g.3.as_str()).max();
            let counted: Vec<&&PlaceGroup> = groups.iter().filter(|g| vintage.is_none_or(|v| g.3 == v)).collect();
            let years: BTreeSet<&str> = counted.iter().filter(|g| g.7 > 0).map(|g| g.4.as_str()).collect();
            Some(District {
                code: code.to_string(),
                name: groups.iter().map(|g| g.1.as_str()).max_by_key(|n| n.len()).unwrap_or_default().to_string(),
                population: counted.iter().map(|g| g.5).sum(),
                population_year: if years.len() == 1 {
                    years.into_iter().next().unwrap_or_default().to_string()
                } else {
                    String::new()
                },
                lsoas: counted.iter().map(|g| g.6).sum(),
                forces,
            })
        })
        .collect();
    districts.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.code.cmp(&b.code)));
    districts
}

pub async fn districts(pool: &Pool) -> Result<Vec<District>, sqlx::Error> {
    districts_given(pool, &published_months(pool).await?).await
}

/// [`districts`], for a caller that has read the published months already.
pub async fn districts_given(pool: &Pool, published: &Published) -> Result<Vec<District>, sqlx::Error> {
    let groups: Vec<PlaceGroup> = sqlx::query_as(
        "SELECT local_authority_code, local_authority_name, force_name, vintage, population_year, \
         CAST(SUM(COALESCE(population, 0)) AS BIGINT), CAST(COUNT(*) AS BIGINT), CAST(COUNT(population) AS BIGINT) \
         FROM crimedata_lsoa WHERE local_authority_code <> '' \
         GROUP BY local_authority_code, local_authority_name, force_name, vintage, population_year",
    )
    .fetch_all(pool)
    .await?;
    let mut recorded_in: HashMap<String, BTreeMap<String, i64>> = HashMap::new();
    if groups.iter().any(|g| g.2.trim().is_empty()) {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT l.local_authority_code, s.force, CAST(COUNT(DISTINCT s.lsoa_code) AS BIGINT) FROM crimedata_lsoa_month s \
             JOIN crimedata_lsoa l ON l.code = s.lsoa_code WHERE l.force_name = '' AND l.local_authority_code <> '' \
             GROUP BY l.local_authority_code, s.force",
        )
        .fetch_all(pool)
        .await?;
        for (district, force, lsoas) in rows {
            recorded_in.entry(district).or_default().insert(force, lsoas);
        }
    }
    Ok(assemble_districts(&groups, published, &recorded_in))
}

/// Month → crime type → crimes.
pub type MonthlyCounts = BTreeMap<String, HashMap<String, u64>>;

/// Force → month → crime type → crimes: which force recorded them matters (see the module).
pub type ForceCounts = BTreeMap<String, MonthlyCounts>;

pub async fn district_counts(pool: &Pool, district_code: &str) -> Result<ForceCounts, sqlx::Error> {
    monthly_counts(pool, "JOIN crimedata_lsoa l ON l.code = s.lsoa_code WHERE l.local_authority_code = $1", district_code).await
}

/// Force → month → crime type → crimes, for one LSOA (a border LSOA may have two forces).
pub async fn lsoa_counts(pool: &Pool, lsoa_code: &str) -> Result<ForceCounts, sqlx::Error> {
    monthly_counts(pool, "WHERE s.lsoa_code = $1", lsoa_code).await
}

async fn monthly_counts(pool: &Pool, filter: &str, value: &str) -> Result<ForceCounts, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT s.force, s.month, {} FROM crimedata_lsoa_month s {filter} GROUP BY s.force, s.month",
        type_sums()
    )))
    .bind(value)
    .fetch_all(pool)
    .await?;
    let mut counts = ForceCounts::new();
    for row in rows {
        let months = counts.entry(row.try_get(0)?).or_default();
        read_type_sums(&row, 2, months.entry(row.try_get(1)?).or_default())?;
    }
    Ok(counts)
}

/// Every LSOA of a district: code → force → month → crime type → crimes.
pub async fn district_lsoa_type_counts(pool: &Pool, district_code: &str) -> Result<BTreeMap<String, ForceCounts>, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT s.lsoa_code, s.force, s.month, {} FROM crimedata_lsoa_month s JOIN crimedata_lsoa l ON l.code = s.lsoa_code \
         WHERE l.local_authority_code = $1 GROUP BY s.lsoa_code, s.force, s.month",
        type_sums()
    )))
    .bind(district_code)
    .fetch_all(pool)
    .await?;
    let mut counts: BTreeMap<String, ForceCounts> = BTreeMap::new();
    for row in rows {
        let by_force = counts.entry(row.try_get(0)?).or_default();
        let months = by_force.entry(row.try_get(1)?).or_default();
        read_type_sums(&row, 3, months.entry(row.try_get(2)?).or_default())?;
    }
    Ok(counts)
}

/// `CAST(SUM(s.<column>) AS BIGINT), …` for every crime type, in the order of [`CRIME_TYPES`]:
/// the columns [`read_type_sums`] reads back.
pub(crate) fn type_sums() -> String {
    (0..CRIME_TYPES.len())
        .map(|i| format!("CAST(SUM(s.{}) AS BIGINT)", reference::crime_type_column(i)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the sums of [`type_sums`] from a row, starting at column `first`, into crime type →
/// crimes (types with none left out).
pub(crate) fn read_type_sums(row: &sqlx::any::AnyRow, first: usize, into: &mut HashMap<String, u64>) -> Result<(), sqlx::Error> {
    use sqlx::Row;
    for (i, (_, slug)) in CRIME_TYPES.iter().enumerate() {
        let n: i64 = row.try_get(first + i)?;
        if n > 0 {
            *into.entry(slug.to_string()).or_default() += n.unsigned_abs();
        }
    }
    Ok(())
}

/// A neighbourhood (LSOA) and the district it is in.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct Neighbourhood {
    pub code: String,
    pub name: String,
    pub population: Option<i64>,
    pub population_year: String,
    pub district_code: String,
    pub district_name: String,
}

/// The LSOA `code`, if it is in the district `district_code`.
pub async fn neighbourhood(pool: &Pool, district_code: &str, code: &str) -> Result<Option<Neighbourhood>, sqlx::Error> {
    sqlx::query_as(
        "SELECT code, name, population, population_year, local_authority_code AS district_code, local_authority_name AS district_name \
         FROM crimedata_lsoa WHERE code = $1 AND local_authority_code = $2",
    )
    .bind(code)
    .bind(district_code)
    .fetch_optional(pool)
    .await
}

/// Code → population of every LSOA of a district.
pub async fn district_populations(pool: &Pool, district_code: &str) -> Result<BTreeMap<String, Option<i64>>, sqlx::Error> {
    let rows: Vec<(String, Option<i64>)> =
        sqlx::query_as("SELECT code, population FROM crimedata_lsoa WHERE local_authority_code = $1")
            .bind(district_code)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().collect())
}

/// The month `n` months before "YYYY-MM".
pub fn months_before(month: &str, n: i32) -> String {
    let year: i32 = month.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2000);
    let m: i32 = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let total = year * 12 + (m - 1) - n;
    format!("{:04}-{:02}", total.div_euclid(12), total.rem_euclid(12) + 1)
}

/// The days in a month "YYYY-MM".
pub fn days_in(month: &str) -> u8 {
    let year: i32 = month.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2000);
    let m: u8 = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    time::Month::try_from(m).map_or(30, |m| m.length(year))
}

/// The least number of months held in both years, each paired with the same month a year
/// before, for a change to be tested: fewer say too little about how much months vary.
pub const MIN_PAIRED_MONTHS: usize = 6;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrimeTypeRow {
    pub crime_type: String,
    pub name: String,
    /// Crimes in the latest twelve months and in the twelve before (of the months published).
    pub latest: u64,
    pub previous: u64,
    /// Crimes a year per 1,000 residents: the latest months held, scaled to twelve.
    pub per_thousand: Option<f64>,
    pub comparison: Option<Comparison>,
    /// The comparison's verdict, or why there is none.
    pub verdict: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub month: String,
    pub crimes: u64,
    /// The XmR chart's average and limits for this month (they scale with its days).
    pub centre: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
    pub signals: Vec<Signal>,
}

/// Crimes in the area that another force recorded, in the latest twelve months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OtherForce {
    pub force: String,
    pub name: String,
    pub crimes: u64,
    pub anti_social_behaviour: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaReport {
    pub latest_month: Option<String>,
    /// Months the area's force published in the latest twelve and in the twelve before.
    pub months_latest: u32,
    pub months_previous: u32,
    /// Months of the latest twelve whose month a year before is held too: what changes are tested on.
    pub paired_months: u32,
    pub population: i64,
    pub rows: Vec<CrimeTypeRow>,
    pub all_crime: CrimeTypeRow,
    /// Crimes other than ASB, every month the force published, with XmR limits.
    pub crime_series: Vec<SeriesPoint>,
    pub asb_series: Vec<SeriesPoint>,
    pub other_forces: Vec<OtherForce>,
    /// How the verdicts were adjusted for many comparisons made at once, when they were.
    pub false_discovery: Option<FalseDiscovery>,
    /// The share of each force's crimes with no location (filled in by the caller).
    pub locations: Vec<ForceLocations>,
}

/// Neighbourhood verdicts control the false discovery rate across the district.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FalseDiscovery {
    pub comparisons: usize,
    pub neighbourhoods: usize,
}

fn series(home: &MonthlyCounts, months: &BTreeSet<String>, keep: impl Fn(&str) -> bool) -> Vec<SeriesPoint> {
    let mut previous: Option<&String> = None;
    let mut points = Vec::with_capacity(months.len());
    let mut values = Vec::with_capacity(months.len());
    for month in months {
        let crimes: u64 = home.get(month).map_or(0, |types| types.iter().filter(|(t, _)| keep(t)).map(|(_, n)| *n).sum());
        values.push(MonthPoint {
            count: crimes as f64,
            days: f64::from(days_in(month)),
            follows_previous: previous.is_some_and(|p| months_before(month, 1) == *p),
        });
        points.push(SeriesPoint { month: month.clone(), crimes, centre: None, lower: None, upper: None, signals: Vec::new() });
        previous = Some(month);
    }
    if let Some((limits, marks)) = stats::xmr_monthly(&values) {
        for ((point, limit), mark) in points.iter_mut().zip(limits).zip(marks) {
            point.centre = Some(limit.centre);
            point.lower = Some(limit.lower);
            point.upper = Some(limit.upper);
            point.signals = mark;
        }
    }
    points
}

/// The months `forces` published in the latest twelve (ending at the latest any of them published).
pub fn latest_window(forces: &[String], published: &Published) -> Vec<String> {
    let months: BTreeSet<&String> = forces.iter().filter_map(|f| published.get(f)).flatten().collect();
    let Some(end) = months.last() else { return Vec::new() };
    let from = months_before(end, 11);
    months.into_iter().filter(|m| **m >= from).cloned().collect()
}

/// The report for an area with `population` residents whose figures are those `forces` recorded,
/// over the months those forces published.
pub fn area_report(counts: &ForceCounts, forces: &[String], published: &Published, population: i64) -> AreaReport {
    let months: BTreeSet<String> = forces.iter().filter_map(|f| published.get(f)).flatten().cloned().collect();
    let mut home = MonthlyCounts::new();
    for force in forces {
        for (month, types) in counts.get(force).into_iter().flatten() {
            let into = home.entry(month.clone()).or_default();
            for (t, n) in types {
                *into.entry(t.clone()).or_default() += n;
            }
        }
    }
    let latest_month = months.last().cloned();
    let (latest_from, previous_from) = match &latest_month {
        Some(end) => (months_before(end, 11), months_before(end, 23)),
        None => (String::new(), String::new()),
    };
    let latest: Vec<&String> = months.iter().filter(|m| **m >= latest_from).collect();
    let previous: Vec<&String> = months.iter().filter(|m| **m >= previous_from && **m < latest_from).collect();
    let pairs: Vec<(String, &String)> =
        latest.iter().map(|m| (months_before(m, 12), *m)).filter(|(before, _)| months.contains(before)).collect();
    let value = |month: &str, keep: &dyn Fn(&str) -> bool| -> u64 {
        home.get(month).map_or(0, |types| types.iter().filter(|(t, _)| keep(t)).map(|(_, n)| *n).sum())
    };
    let months_latest = u32::try_from(latest.len()).unwrap_or(0);
    let months_previous = u32::try_from(previous.len()).unwrap_or(0);
    let row = |slug: &str, name: &str, keep: &dyn Fn(&str) -> bool| {
        let latest_crimes: u64 = latest.iter().map(|m| value(m, keep)).sum();
        let previous_crimes: u64 = previous.iter().map(|m| value(m, keep)).sum();
        let (comparison, verdict) = if months_previous == 0 {
            (None, "no earlier year held".to_string())
        } else if pairs.len() < MIN_PAIRED_MONTHS {
            (None, "too few months to tell".to_string())
        } else {
            let paired: Vec<(u64, u64)> = pairs.iter().map(|(before, after)| (value(before, keep), value(after, keep))).collect();
            let before: u64 = paired.iter().map(|p| p.0).sum();
            let after: u64 = paired.iter().map(|p| p.1).sum();
            let dispersion = stats::paired_dispersion(&paired).unwrap_or(1.0);
            let k = paired.len() as f64;
            let freedom = paired.iter().filter(|(a, b)| a + b > 0).count().saturating_sub(1) as f64;
            let comparison = stats::compare_overdispersed(before, k, after, k, dispersion, freedom);
            let verdict = comparison.verdict.clone();
            (Some(comparison), verdict)
        };
        CrimeTypeRow {
            crime_type: slug.to_string(),
            name: name.to_string(),
            latest: latest_crimes,
            previous: previous_crimes,
            per_thousand: (population > 0 && months_latest > 0)
                .then(|| latest_crimes as f64 * 12.0 / f64::from(months_latest) * 1000.0 / population as f64),
            comparison,
            verdict,
        }
    };
    let rows = CRIME_TYPES.iter().map(|(name, slug)| row(slug, name, &|t: &str| t == *slug)).collect();
    let all_crime = row("all-crime", "All crime (not counting anti-social behaviour)", &|t: &str| t != "anti-social-behaviour");
    let crime_series = series(&home, &months, |t| t != "anti-social-behaviour");
    let asb_series = series(&home, &months, |t| t == "anti-social-behaviour");
    let other_forces = counts
        .iter()
        .filter(|(force, _)| !forces.contains(force))
        .filter_map(|(force, by_month)| {
            let in_window = by_month.iter().filter(|(m, _)| latest.contains(m)).flat_map(|(_, types)| types.iter());
            let (mut crimes, mut asb) = (0, 0);
            for (t, n) in in_window {
                if t == "anti-social-behaviour" {
                    asb += n;
                } else {
                    crimes += n;
                }
            }
            (crimes + asb > 0).then(|| OtherForce {
                force: force.clone(),
                name: crate::force::force_name(force),
                crimes,
                anti_social_behaviour: asb,
            })
        })
        .collect();
    AreaReport {
        latest_month,
        months_latest,
        months_previous,
        paired_months: u32::try_from(pairs.len()).unwrap_or(0),
        population,
        rows,
        all_crime,
        crime_series,
        asb_series,
        other_forces,
        false_discovery: None,
        locations: Vec::new(),
    }
}

/// Adjusts the verdicts of many areas' reports published together (every neighbourhood of a
/// district) so that, of the changes called real, no more than 5% are expected to be chance
/// (Benjamini–Hochberg over every comparison with any crime in it).
pub fn control_false_discoveries(reports: &mut [&mut AreaReport]) {
    let mut p_values = Vec::new();
    for report in reports.iter() {
        for row in report.rows.iter().chain(std::iter::once(&report.all_crime)) {
            if let Some(c) = &row.comparison
                && c.before + c.after > 0
            {
                p_values.push(c.p_value);
            }
        }
    }
    let adjusted = stats::benjamini_hochberg(&p_values);
    let family = FalseDiscovery { comparisons: p_values.len(), neighbourhoods: reports.len() };
    let mut next = adjusted.into_iter();
    for report in reports.iter_mut() {
        report.false_discovery = Some(family.clone());
        for row in report.rows.iter_mut().chain(std::iter::once(&mut report.all_crime)) {
            if let Some(c) = &mut row.comparison
                && c.before + c.after > 0
            {
                let q = next.next().unwrap_or(1.0);
                *c = c.clone().with_q_value(q);
                row.verdict = c.verdict.clone();
            }
        }
    }
}

mod locations;
pub use locations::*;

/// The report for an area (a district or a neighbourhood) as CSV: one row per crime type, then
/// all crime. Each row carries the share of its force's crimes of that type with no location,
/// which are in no area's figures.
pub fn report_csv(area_code: &str, area_name: &str, report: &AreaReport) -> String {
    let mut out = String::from(
        "area_code,area,crime_type,latest_12_months,previous_12_months,months_held_latest,months_held_previous,months_compared,\
         per_1000_residents_a_year,change_percent,p_value,q_value,dispersion,verdict,force_share_without_location_percent\n",
    );
    for row in report.rows.iter().chain(std::iter::once(&report.all_crime)) {
        let (change, p, q, dispersion) = match &row.comparison {
            Some(c) => (
                c.rate_ratio.map(|r| format!("{:.1}", (r - 1.0) * 100.0)).unwrap_or_default(),
                format!("{:.3e}", c.p_value),
                c.q_value.map(|q| format!("{q:.3e}")).unwrap_or_default(),
                format!("{:.2}", c.dispersion),
            ),
            None => Default::default(),
        };
        let unlocated = report
            .locations
            .iter()
            .filter_map(|l| l.percent_for(&row.crime_type).map(|p| format!("{p:.1}")))
            .collect::<Vec<_>>()
            .join("/");
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            area_code,
            platform::web::csv_field(area_name),
            row.crime_type,
            row.latest,
            row.previous,
            report.months_latest,
            report.months_previous,
            report.paired_months,
            row.per_thousand.map(|r| format!("{r:.2}")).unwrap_or_default(),
            change,
            p,
            q,
            dispersion,
            platform::web::csv_field(&row.verdict),
            unlocated
        ));
    }
    out
}

pub fn crime_type_name(slug: &str) -> &'static str {
    reference::crime_type_name(slug)
}

#[cfg(test)]
mod tests;
