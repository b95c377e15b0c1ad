//! Measures for an area from the stored counts: this year against last by crime type with the
//! exact test, rates per 1,000 residents, and the monthly series with control limits. The
//! arithmetic is pure (`area_report`); the database only supplies the counts.

use std::collections::{BTreeMap, HashMap};

use platform::db::Pool;
use serde::Serialize;

use crate::reference::{self, CRIME_TYPES};
use crate::stats::{self, Comparison, Limits, Signal};

/// A district (local authority) that has crime counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct District {
    pub code: String,
    pub name: String,
    pub population: i64,
    pub lsoas: i64,
}

pub async fn districts(pool: &Pool) -> Result<Vec<District>, sqlx::Error> {
    sqlx::query_as(
        "SELECT l.local_authority_code AS code, l.local_authority_name AS name, \
         CAST(SUM(COALESCE(l.population, 0)) AS BIGINT) AS population, CAST(COUNT(*) AS BIGINT) AS lsoas \
         FROM crimedata_lsoa l WHERE l.local_authority_code <> '' \
         AND EXISTS (SELECT 1 FROM crimedata_lsoa_month s WHERE s.lsoa_code = l.code) \
         GROUP BY l.local_authority_code, l.local_authority_name ORDER BY l.local_authority_name",
    )
    .fetch_all(pool)
    .await
}

/// Month → crime type → crimes, for the LSOAs of one district.
pub type MonthlyCounts = BTreeMap<String, HashMap<String, u64>>;

pub async fn district_counts(pool: &Pool, district_code: &str) -> Result<MonthlyCounts, sqlx::Error> {
    monthly_counts(pool, "JOIN crimedata_lsoa l ON l.code = s.lsoa_code WHERE l.local_authority_code = $1", district_code).await
}

/// Month → crime type → crimes, for one LSOA (summed over forces: a border LSOA may have two).
pub async fn lsoa_counts(pool: &Pool, lsoa_code: &str) -> Result<MonthlyCounts, sqlx::Error> {
    monthly_counts(pool, "WHERE s.lsoa_code = $1", lsoa_code).await
}

async fn monthly_counts(pool: &Pool, filter: &str, value: &str) -> Result<MonthlyCounts, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT s.month, {} FROM crimedata_lsoa_month s {filter} GROUP BY s.month",
        type_sums()
    )))
    .bind(value)
    .fetch_all(pool)
    .await?;
    let mut counts = MonthlyCounts::new();
    for row in rows {
        read_type_sums(&row, 1, counts.entry(row.try_get(0)?).or_default())?;
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
            into.insert(slug.to_string(), n.unsigned_abs());
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
    pub district_code: String,
    pub district_name: String,
}

/// The LSOA `code`, if it is in the district `district_code`.
pub async fn neighbourhood(pool: &Pool, district_code: &str, code: &str) -> Result<Option<Neighbourhood>, sqlx::Error> {
    sqlx::query_as(
        "SELECT code, name, population, local_authority_code AS district_code, local_authority_name AS district_name \
         FROM crimedata_lsoa WHERE code = $1 AND local_authority_code = $2",
    )
    .bind(code)
    .bind(district_code)
    .fetch_optional(pool)
    .await
}

/// The month `n` months before "YYYY-MM".
pub fn months_before(month: &str, n: i32) -> String {
    let year: i32 = month.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2000);
    let m: i32 = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1);
    let total = year * 12 + (m - 1) - n;
    format!("{:04}-{:02}", total.div_euclid(12), total.rem_euclid(12) + 1)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrimeTypeRow {
    pub crime_type: String,
    pub name: String,
    /// Crimes in the latest twelve months held, and in the twelve before.
    pub latest: u64,
    pub previous: u64,
    pub per_thousand: Option<f64>,
    pub comparison: Option<Comparison>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeriesPoint {
    pub month: String,
    pub crimes: u64,
    pub signals: Vec<Signal>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaReport {
    pub latest_month: Option<String>,
    /// Months held in the latest twelve and in the twelve before (missing months are not guessed).
    pub months_latest: u32,
    pub months_previous: u32,
    pub population: i64,
    pub rows: Vec<CrimeTypeRow>,
    pub all_crime: CrimeTypeRow,
    /// Crimes other than ASB, month by month, with c-chart limits.
    pub crime_series: Vec<SeriesPoint>,
    pub crime_limits: Option<Limits>,
    pub asb_series: Vec<SeriesPoint>,
    pub asb_limits: Option<Limits>,
}

fn series(counts: &MonthlyCounts, keep: impl Fn(&str) -> bool) -> (Vec<SeriesPoint>, Option<Limits>) {
    let values: Vec<(String, u64)> = counts
        .iter()
        .map(|(month, types)| (month.clone(), types.iter().filter(|(t, _)| keep(t)).map(|(_, n)| *n).sum()))
        .collect();
    let numbers: Vec<f64> = values.iter().map(|(_, n)| *n as f64).collect();
    let limits = stats::c_chart(&numbers);
    let marks = limits.map(|l| stats::signals(&numbers, &l)).unwrap_or_else(|| vec![Vec::new(); numbers.len()]);
    let points = values.into_iter().zip(marks).map(|((month, crimes), signals)| SeriesPoint { month, crimes, signals }).collect();
    (points, limits)
}

/// The report for an area with `population` residents.
pub fn area_report(counts: &MonthlyCounts, population: i64) -> AreaReport {
    let latest_month = counts.keys().next_back().cloned();
    let (latest_from, previous_from) = match &latest_month {
        Some(end) => (months_before(end, 11), months_before(end, 23)),
        None => (String::new(), String::new()),
    };
    let in_latest = |m: &str| latest_month.as_deref().is_some_and(|end| m >= latest_from.as_str() && m <= end);
    let in_previous = |m: &str| m >= previous_from.as_str() && m < latest_from.as_str();
    let months_latest = u32::try_from(counts.keys().filter(|m| in_latest(m)).count()).unwrap_or(0);
    let months_previous = u32::try_from(counts.keys().filter(|m| in_previous(m)).count()).unwrap_or(0);
    let sum = |keep: &dyn Fn(&str) -> bool, window: &dyn Fn(&str) -> bool| -> u64 {
        counts
            .iter()
            .filter(|(m, _)| window(m))
            .flat_map(|(_, types)| types.iter())
            .filter(|(t, _)| keep(t))
            .map(|(_, n)| *n)
            .sum()
    };
    let row = |slug: &str, name: &str, keep: &dyn Fn(&str) -> bool| {
        let latest = sum(keep, &in_latest);
        let previous = sum(keep, &in_previous);
        let monthly = |window: &dyn Fn(&str) -> bool| -> Vec<f64> {
            counts
                .iter()
                .filter(|(m, _)| window(m))
                .map(|(_, types)| types.iter().filter(|(t, _)| keep(t)).map(|(_, n)| *n as f64).sum())
                .collect()
        };
        let dispersion = stats::dispersion(&[&monthly(&in_previous), &monthly(&in_latest)]).unwrap_or(1.0);
        let comparison = (months_latest > 0 && months_previous > 0).then(|| {
            stats::compare_overdispersed(previous, f64::from(months_previous), latest, f64::from(months_latest), dispersion)
        });
        CrimeTypeRow {
            crime_type: slug.to_string(),
            name: name.to_string(),
            latest,
            previous,
            per_thousand: (population > 0).then(|| latest as f64 * 1000.0 / population as f64),
            comparison,
        }
    };
    let rows = CRIME_TYPES.iter().map(|(name, slug)| row(slug, name, &|t: &str| t == *slug)).collect();
    let all_crime = row("all-crime", "All crime (not counting anti-social behaviour)", &|t: &str| t != "anti-social-behaviour");
    let (crime_series, crime_limits) = series(counts, |t| t != "anti-social-behaviour");
    let (asb_series, asb_limits) = series(counts, |t| t == "anti-social-behaviour");
    AreaReport {
        latest_month,
        months_latest,
        months_previous,
        population,
        rows,
        all_crime,
        crime_series,
        crime_limits,
        asb_series,
        asb_limits,
    }
}

/// The report for an area (a district or a neighbourhood) as CSV: one row per crime type, then
/// all crime.
pub fn report_csv(area_code: &str, area_name: &str, report: &AreaReport) -> String {
    let mut out = String::from(
        "area_code,area,crime_type,latest_12_months,previous_12_months,months_held_latest,months_held_previous,per_1000_residents,change_percent,p_value,dispersion,verdict\n",
    );
    for row in report.rows.iter().chain(std::iter::once(&report.all_crime)) {
        let (change, p, dispersion, verdict) = match &row.comparison {
            Some(c) => (
                c.rate_ratio.map(|r| format!("{:.1}", (r - 1.0) * 100.0)).unwrap_or_default(),
                format!("{:.4}", c.p_value),
                format!("{:.2}", c.dispersion),
                c.verdict.clone(),
            ),
            None => (String::new(), String::new(), String::new(), "no earlier year held".to_string()),
        };
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            area_code,
            platform::web::csv_field(area_name),
            row.crime_type,
            row.latest,
            row.previous,
            report.months_latest,
            report.months_previous,
            row.per_thousand.map(|r| format!("{r:.2}")).unwrap_or_default(),
            change,
            p,
            dispersion,
            platform::web::csv_field(&verdict)
        ));
    }
    out
}

pub fn crime_type_name(slug: &str) -> &'static str {
    reference::crime_type_name(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(entries: &[(&str, &str, u64)]) -> MonthlyCounts {
        let mut counts = MonthlyCounts::new();
        for (month, t, n) in entries {
            counts.entry(month.to_string()).or_default().insert(t.to_string(), *n);
        }
        counts
    }

    #[test]
    fn months_count_back_across_years() {
        assert_eq!(months_before("2026-03", 11), "2025-04");
        assert_eq!(months_before("2026-03", 23), "2024-04");
        assert_eq!(months_before("2026-12", 0), "2026-12");
    }

    #[test]
    fn the_latest_twelve_months_are_compared_with_the_twelve_before_by_months_held() {
        let c = counts(&[
            ("2024-09", "burglary", 60),
            ("2025-03", "burglary", 40),
            ("2025-09", "burglary", 50),
            ("2026-09", "burglary", 30),
            ("2026-09", "anti-social-behaviour", 70),
            ("2023-01", "burglary", 999),
        ]);
        let report = area_report(&c, 10_000);
        assert_eq!(report.latest_month.as_deref(), Some("2026-09"));
        // Latest: 2025-10 .. 2026-09 holds one month; previous: 2024-10 .. 2025-09 holds two.
        assert_eq!((report.months_latest, report.months_previous), (1, 2));
        let burglary = report.rows.iter().find(|r| r.crime_type == "burglary").expect("row");
        assert_eq!((burglary.latest, burglary.previous), (30, 90));
        let comparison = burglary.comparison.as_ref().expect("compared");
        assert!((comparison.rate_ratio.expect("ratio") - (30.0 / 1.0) / (90.0 / 2.0)).abs() < 1e-12);
        assert_eq!(burglary.per_thousand, Some(3.0));
        assert_eq!(report.all_crime.latest, 30, "ASB is reported on its own");
        assert_eq!(report.asb_series.iter().map(|p| p.crimes).sum::<u64>(), 70);
        assert_eq!(report.crime_series.len(), 5);
    }

    #[test]
    fn one_period_alone_is_not_compared() {
        let report = area_report(&counts(&[("2026-09", "drugs", 5)]), 0);
        assert!(report.rows.iter().all(|r| r.comparison.is_none()));
        assert_eq!(report.all_crime.per_thousand, None);
        let csv = report_csv("E08000035", "Leeds", &report);
        assert!(csv.contains("E08000035,\"Leeds\",drugs,5,0,1,0,,,,,\"no earlier year held\""), "{csv}");
    }
}
