//! Hotspots a neighbourhood team can act on: LSOAs ranked by crimes and by rate, how many months
//! each was among the district's busiest tenth (persistence), and, where LSOA centroids are held,
//! Getis-Ord Gi* over each LSOA's nearest neighbours, so a cluster of busy neighbourhoods stands
//! out from one busy town centre. Never by street: police.uk moves every crime to a snap point.

use std::collections::{BTreeMap, HashMap};

use platform::db::Pool;
use serde::Serialize;

/// One LSOA's figures for the latest twelve months held.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hotspot {
    pub code: String,
    pub name: String,
    pub crimes: u64,
    pub population: Option<i64>,
    pub per_thousand: Option<f64>,
    /// Months (of those held) in which it was in the district's busiest tenth.
    pub months_in_top_tenth: u32,
    pub months_held: u32,
    /// Gi* z-score over its nearest neighbours, where centroids are known.
    pub gi_star: Option<f64>,
    /// Gi without the area itself: whether its neighbours alone are busy.
    pub gi_neighbours: Option<f64>,
    /// What a high Gi* means here: "cluster" when the neighbours are busy too, "alone" when
    /// the area's own count drives it; empty when Gi* is not high.
    pub pattern: String,
}

/// Above this z-score (5% level, two-sided) a Gi or Gi* is a significant hot spot.
pub const HOT: f64 = 1.96;

/// Getis-Ord Gi for each area: as [`gi_star`] but over its neighbours only, against the other
/// areas' mean and spread. A high Gi* with a low Gi is one busy area among ordinary ones, not a
/// cluster.
pub fn gi(values: &[f64], neighbours: &[Vec<usize>]) -> Vec<Option<f64>> {
    let n = values.len();
    if n < 4 {
        return vec![None; n];
    }
    let sum: f64 = values.iter().sum();
    let squares: f64 = values.iter().map(|x| x * x).sum();
    let others = (n - 1) as f64;
    (0..n)
        .map(|i| {
            let mut members: Vec<usize> = neighbours.get(i).cloned().unwrap_or_default();
            members.retain(|j| *j < n && *j != i);
            members.sort_unstable();
            members.dedup();
            if members.is_empty() {
                return None;
            }
            let mean = (sum - values[i]) / others;
            let spread = ((squares - values[i] * values[i]) / others - mean * mean).max(0.0).sqrt();
            let w = members.len() as f64;
            let local: f64 = members.iter().map(|j| values[*j]).sum();
            let denominator = spread * ((others * w - w * w) / (others - 1.0)).sqrt();
            (denominator > 0.0).then(|| (local - mean * w) / denominator)
        })
        .collect()
}

/// Getis-Ord Gi* for each area: a z-score of the sum over the area and its neighbours (binary
/// weights, the area itself included) against what the whole set would give by chance. Above
/// 1.96 is a significant hot spot at the 5% level; below −1.96 a cold spot.
pub fn gi_star(values: &[f64], neighbours: &[Vec<usize>]) -> Vec<Option<f64>> {
    let n = values.len();
    if n < 3 {
        return vec![None; n];
    }
    let nf = n as f64;
    let mean = values.iter().sum::<f64>() / nf;
    let s = (values.iter().map(|x| x * x).sum::<f64>() / nf - mean * mean).max(0.0).sqrt();
    if s == 0.0 {
        return vec![Some(0.0); n];
    }
    (0..n)
        .map(|i| {
            let mut members: Vec<usize> = neighbours.get(i).cloned().unwrap_or_default();
            members.retain(|j| *j < n && *j != i);
            members.push(i);
            members.sort_unstable();
            members.dedup();
            let w = members.len() as f64;
            let local: f64 = members.iter().map(|j| values[*j]).sum();
            let denominator = s * ((nf * w - w * w) / (nf - 1.0)).sqrt();
            (denominator > 0.0).then(|| (local - mean * w) / denominator)
        })
        .collect()
}

/// The k nearest others of each point. Within a district an equirectangular projection ranks
/// neighbours as the great circle does, without a sine or cosine per pair; only the k nearest
/// are sorted.
pub fn nearest(points: &[(f64, f64)], k: usize) -> Vec<Vec<usize>> {
    if points.is_empty() {
        return Vec::new();
    }
    let mean_latitude = points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
    let squeeze = mean_latitude.to_radians().cos();
    let flat: Vec<(f64, f64)> = points.iter().map(|(lat, lon)| (*lat, lon * squeeze)).collect();
    let mut others: Vec<(f64, usize)> = Vec::with_capacity(points.len());
    flat.iter()
        .enumerate()
        .map(|(i, p)| {
            others.clear();
            others.extend(
                flat.iter().enumerate().filter(|(j, _)| *j != i).map(|(j, q)| ((p.0 - q.0).powi(2) + (p.1 - q.1).powi(2), j)),
            );
            let k = k.min(others.len());
            if k > 0 && k < others.len() {
                others.select_nth_unstable_by(k - 1, |a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            }
            others[..k].sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            others[..k].iter().map(|(_, j)| *j).collect()
        })
        .collect()
}

/// (LSOA code, name, population, latitude, longitude, month, crimes).
pub type LsoaMonthRow = (String, String, Option<i64>, Option<f64>, Option<f64>, String, i64);

/// Crimes by LSOA and month for a district that `forces` recorded (not counting ASB, or only ASB).
pub async fn district_lsoa_counts(
    pool: &Pool,
    district_code: &str,
    forces: &[String],
    asb: bool,
) -> Result<Vec<LsoaMonthRow>, sqlx::Error> {
    let column = if asb { "s.anti_social_behaviour" } else { "s.crimes" };
    let placeholders = (0..forces.len()).map(|i| format!("${}", i + 2)).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT l.code, l.name, l.population, l.latitude, l.longitude, s.month, CAST(SUM({column}) AS BIGINT) \
         FROM crimedata_lsoa_month s JOIN crimedata_lsoa l ON l.code = s.lsoa_code \
         WHERE l.local_authority_code = $1 AND s.force IN ({}) \
         GROUP BY l.code, l.name, l.population, l.latitude, l.longitude, s.month HAVING SUM({column}) > 0",
        if forces.is_empty() { "NULL".to_string() } else { placeholders }
    );
    let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(district_code);
    for force in forces {
        query = query.bind(force);
    }
    query.fetch_all(pool).await
}

/// Input for one LSOA: its name, population, centroid and crimes by month.
#[derive(Debug, Clone, Default)]
pub struct LsoaSeries {
    pub name: String,
    pub population: Option<i64>,
    pub centroid: Option<(f64, f64)>,
    pub by_month: BTreeMap<String, u64>,
}

/// Gathers query rows into one series per LSOA.
pub fn series_of(rows: impl IntoIterator<Item = LsoaMonthRow>) -> BTreeMap<String, LsoaSeries> {
    let mut lsoas: BTreeMap<String, LsoaSeries> = BTreeMap::new();
    for (code, name, population, latitude, longitude, month, crimes) in rows {
        let entry = lsoas.entry(code).or_insert_with(|| LsoaSeries {
            name,
            population,
            centroid: latitude.zip(longitude),
            by_month: BTreeMap::new(),
        });
        entry.by_month.insert(month, u64::try_from(crimes).unwrap_or(0));
    }
    lsoas
}

/// An LSOA of a district as the lookup has it: code, name, population, centroid and vintage.
pub type Place = (String, String, Option<i64>, Option<(f64, f64)>, String);

/// Adds to a district's series every LSOA of it with no crime in `months`, so quiet
/// neighbourhoods count (as zero) in persistence and in Gi*'s mean and spread. Only LSOAs of
/// the boundaries in use are added: when police.uk moved to 2021 LSOAs, the 2011 ones left
/// with no crimes are not neighbourhoods any more.
pub fn add_quiet(series: &mut BTreeMap<String, LsoaSeries>, places: &[Place], months: &[String]) {
    let vintages: std::collections::BTreeSet<&str> = places
        .iter()
        .filter(|(code, ..)| series.get(code).is_some_and(|s| months.iter().any(|m| s.by_month.get(m).is_some_and(|n| *n > 0))))
        .map(|(.., vintage)| vintage.as_str())
        .collect();
    // With no crime anywhere in the district, every neighbourhood is listed (with none).
    let in_use = |vintage: &str| vintages.is_empty() || vintages.contains(vintage);
    for (code, name, population, centroid, vintage) in places {
        if in_use(vintage) && !series.contains_key(code) {
            series.insert(
                code.clone(),
                LsoaSeries { name: name.clone(), population: *population, centroid: *centroid, by_month: BTreeMap::new() },
            );
        }
    }
    // An LSOA of a vintage no longer in use has nothing to rank.
    let vintage_of: HashMap<&str, &str> = places.iter().map(|p| (p.0.as_str(), p.4.as_str())).collect();
    series.retain(|code, s| {
        vintage_of.get(code.as_str()).is_none_or(|v| in_use(v))
            || months.iter().any(|m| s.by_month.get(m).is_some_and(|n| *n > 0))
    });
}

/// Every LSOA of a district, for [`add_quiet`].
pub async fn district_places(pool: &Pool, district_code: &str) -> Result<Vec<Place>, sqlx::Error> {
    type PlaceRow = (String, String, Option<i64>, Option<f64>, Option<f64>, String);
    let rows: Vec<PlaceRow> = sqlx::query_as(
        "SELECT code, name, population, latitude, longitude, vintage FROM crimedata_lsoa WHERE local_authority_code = $1",
    )
    .bind(district_code)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(code, name, population, lat, lng, vintage)| (code, name, population, lat.zip(lng), vintage))
        .collect())
}

/// The `k` nearest neighbours of each LSOA, in the map's order, for Gi*; none unless every LSOA
/// has a centroid and there are more than `k`. They depend on the geography alone, so callers
/// that rank again and again keep them.
pub fn neighbours_of(lsoas: &BTreeMap<String, LsoaSeries>, k: usize) -> Vec<Vec<usize>> {
    let points: Vec<(f64, f64)> = lsoas.values().filter_map(|l| l.centroid).collect();
    if points.len() == lsoas.len() && points.len() > k { nearest(&points, k) } else { Vec::new() }
}

/// Ranks a district's LSOAs over `months` (the latest twelve its force published; a month with
/// no crime in an LSOA counts as zero), with Gi* and Gi where `neighbours` (from
/// `neighbours_of`) are given.
pub fn rank(lsoas: &BTreeMap<String, LsoaSeries>, months: &[String], neighbours: &[Vec<usize>]) -> Vec<Hotspot> {
    // Per month, the count an LSOA must reach to be in the busiest tenth.
    let mut threshold: HashMap<&str, u64> = HashMap::new();
    for month in months {
        let mut counts: Vec<u64> = lsoas.values().map(|l| l.by_month.get(month).copied().unwrap_or(0)).collect();
        counts.sort_unstable_by(|a, b| b.cmp(a));
        let tenth = (counts.len().div_ceil(10)).max(1);
        threshold.insert(month, counts.get(tenth - 1).copied().unwrap_or(0).max(1));
    }
    let codes: Vec<&String> = lsoas.keys().collect();
    let totals: Vec<u64> =
        codes.iter().map(|c| months.iter().map(|m| lsoas[*c].by_month.get(m).copied().unwrap_or(0)).sum()).collect();
    let values: Vec<f64> = totals.iter().map(|t| *t as f64).collect();
    let (star, alone) = if neighbours.len() == codes.len() {
        (gi_star(&values, neighbours), gi(&values, neighbours))
    } else {
        (vec![None; codes.len()], vec![None; codes.len()])
    };
    let mut hotspots: Vec<Hotspot> = codes
        .iter()
        .enumerate()
        .map(|(i, code)| {
            let lsoa = &lsoas[*code];
            let crimes = totals[i];
            let months_in_top_tenth = u32::try_from(
                months.iter().filter(|m| lsoa.by_month.get(*m).copied().unwrap_or(0) >= threshold[m.as_str()]).count(),
            )
            .unwrap_or(0);
            Hotspot {
                code: (*code).clone(),
                name: lsoa.name.clone(),
                crimes,
                population: lsoa.population,
                // A year's rate, when fewer than twelve months are held.
                per_thousand: lsoa
                    .population
                    .filter(|p| *p > 0 && !months.is_empty())
                    .map(|p| crimes as f64 * 12.0 / months.len() as f64 * 1000.0 / p as f64),
                months_in_top_tenth,
                months_held: u32::try_from(months.len()).unwrap_or(0),
                gi_star: star[i],
                gi_neighbours: alone[i],
                pattern: match (star[i], alone[i]) {
                    (Some(z), Some(g)) if z > HOT && g > HOT => "cluster".into(),
                    (Some(z), _) if z > HOT => "alone".into(),
                    _ => String::new(),
                },
            }
        })
        .collect();
    hotspots.sort_by(|a, b| b.crimes.cmp(&a.crimes).then_with(|| a.code.cmp(&b.code)));
    hotspots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gi_star_by_hand() {
        // Five areas in a line, each with its two nearest: the busy end is a hot spot.
        let values = [10.0, 9.0, 1.0, 1.0, 1.0];
        let neighbours = vec![vec![1, 2], vec![0, 2], vec![1, 3], vec![2, 4], vec![3, 2]];
        let z = gi_star(&values, &neighbours);
        // mean 4.4, s = sqrt(184/5 − 19.36) = sqrt(17.44); for area 0: w = 3, local 20,
        // z = (20 − 13.2) / (4.1761 × sqrt((15 − 9) / 4)) = 6.8 / 5.1147 = 1.3295.
        assert!((z[0].expect("z") - 1.3295).abs() < 1e-3, "{z:?}");
        assert!(z[4].expect("z") < 0.0, "the quiet end is below average");
        assert_eq!(gi_star(&[1.0, 1.0, 1.0], &[vec![1], vec![0], vec![1]]), vec![Some(0.0); 3]);
        assert_eq!(gi_star(&[1.0, 2.0], &[vec![1], vec![0]]), vec![None, None]);
    }

    #[test]
    fn one_busy_area_among_quiet_ones_is_not_called_a_cluster() {
        // A grid of 25 areas, each with its four nearest; the centre alone is busy.
        let points: Vec<(f64, f64)> = (0..25).map(|i| (53.0 + f64::from(i / 5) * 0.01, -1.5 + f64::from(i % 5) * 0.01)).collect();
        let neighbours = nearest(&points, 4);
        let mut values: Vec<f64> = (0..25).map(|i| 10.0 + f64::from(i % 3)).collect();
        values[12] = 200.0;
        let star = gi_star(&values, &neighbours);
        let alone = gi(&values, &neighbours);
        assert!(star[12].expect("z") > HOT, "{star:?}");
        assert!(alone[12].expect("z") < HOT, "its neighbours are ordinary: {alone:?}");
        // Its neighbours in turn look hot by Gi*, because it is one of their neighbours.
        // A busy block of five is a cluster by both.
        for i in [6, 7, 8, 11, 13] {
            values[i] = 200.0;
        }
        let alone = gi(&values, &neighbours);
        assert!(alone[12].expect("z") > HOT, "{alone:?}");
        // By hand, for area 0 of five in a line with neighbours {1, 2}: others 9, 1, 1, 1 have
        // mean 3 and spread sqrt((84/4) − 9) = sqrt(12); local 10; z = (10 − 6) / (sqrt(12) × sqrt((8 − 4) / 3)).
        let line = gi(&[10.0, 9.0, 1.0, 1.0, 1.0], &[vec![1, 2], vec![0, 2], vec![1, 3], vec![2, 4], vec![3, 2]]);
        assert!((line[0].expect("z") - 4.0 / (12f64.sqrt() * (4.0f64 / 3.0).sqrt())).abs() < 1e-9, "{line:?}");
    }

    #[test]
    fn nearest_neighbours_by_distance() {
        let points = [(53.80, -1.55), (53.81, -1.55), (53.90, -1.55), (52.00, -1.00)];
        let near = nearest(&points, 2);
        assert_eq!(near[0], vec![1, 2]);
        assert_eq!(near[3], vec![0, 1]);
    }

    #[test]
    fn ranking_counts_the_latest_year_and_persistence() {
        let mut lsoas = BTreeMap::new();
        for i in 0..20u64 {
            let mut by_month = BTreeMap::new();
            by_month.insert("2025-06".to_string(), 100);
            by_month.insert("2026-08".to_string(), i);
            by_month.insert("2026-09".to_string(), if i == 3 { 50 } else { i });
            lsoas.insert(
                format!("E0100{i:04}"),
                LsoaSeries { name: format!("Area {i}"), population: Some(1000), centroid: None, by_month },
            );
        }
        let window: Vec<String> = (0..12).rev().map(|n| crate::measures::months_before("2026-09", n)).collect();
        let ranked = rank(&lsoas, &window, &neighbours_of(&lsoas, 6));
        assert_eq!(ranked[0].code, "E01000003", "50 + 3 this year");
        assert_eq!(ranked[0].crimes, 53);
        assert_eq!(ranked[0].per_thousand, Some(53.0));
        assert_eq!((ranked[0].months_in_top_tenth, ranked[0].months_held), (1, 12), "months with no crime still count as held");
        let top = ranked.iter().find(|h| h.code == "E01000019").expect("busiest most months");
        assert_eq!(top.months_in_top_tenth, 2);
        assert!(ranked.iter().all(|h| h.gi_star.is_none()), "no centroids, no Gi*");
    }
}
