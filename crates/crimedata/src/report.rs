//! The standard report for every district at once: this year against last by crime type with the
//! exact test, the monthly series with control limits, and the top hotspots. The Panel's papers
//! and the benchmark both ask for exactly this, so it is read with two queries over the whole
//! dataset rather than two per district.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use platform::db::Pool;
use serde::Serialize;

use crate::hotspots::{self, Hotspot};
use crate::measures::{self, AreaReport, District, ForceCounts, ForceLocations, Published};

#[derive(Debug, Clone, Serialize)]
pub struct DistrictReport {
    pub district: District,
    pub report: AreaReport,
    pub hotspots: Vec<Hotspot>,
}

/// Hotspots listed per district.
pub const TOP_HOTSPOTS: usize = 20;

/// Everything the standard report reads, held in memory: per district its monthly counts by
/// force and crime type, and per LSOA its crimes by month over the latest twelve.
#[derive(Debug, Clone, Default)]
pub struct Cube {
    pub districts: Vec<District>,
    pub published: Published,
    pub counts: HashMap<String, ForceCounts>,
    pub lsoas: HashMap<String, BTreeMap<String, hotspots::LsoaSeries>>,
    /// Per district, each LSOA's nearest neighbours for Gi*, worked out once.
    pub neighbours: HashMap<String, Vec<Vec<usize>>>,
    pub locations: BTreeMap<String, ForceLocations>,
}

impl Cube {
    /// Reads the cube with queries that let the database do the summing: per district, force,
    /// month and crime type; and per LSOA and force, its crimes by month over the latest twelve,
    /// packed into one text ("staffordshire:2026-09=12,staffordshire:2026-08=9"; grouped by LSOA
    /// alone, so the database walks its index rather than sorting). Every row that crosses the driver costs
    /// microseconds, far more than the database takes to sum it, so the rows that cross are few.
    pub async fn load(pool: &Pool) -> Result<Cube, sqlx::Error> {
        use sqlx::Row;
        let published = measures::published_months(pool).await?;
        // The hotspots look back twelve months from each force's latest published month;
        // counting back from the force whose data ends soonest reads every month that could need.
        let read_from =
            published.values().filter_map(|m| m.last()).min().map(|m| measures::months_before(m, 11)).unwrap_or_default();
        type PlaceRow = (String, String, String, Option<i64>, Option<f64>, Option<f64>, String);
        let places = sqlx::query_as::<_, PlaceRow>(
            "SELECT code, name, local_authority_code, population, latitude, longitude, vintage FROM crimedata_lsoa \
             WHERE local_authority_code <> ''",
        )
        .fetch_all(pool);
        let sums_sql = format!(
            "SELECT l.local_authority_code, s.force, s.month, {} FROM crimedata_lsoa_month s \
             JOIN crimedata_lsoa l ON l.code = s.lsoa_code WHERE l.local_authority_code <> '' \
             GROUP BY l.local_authority_code, s.force, s.month",
            measures::type_sums()
        );
        let sums = sqlx::query(sqlx::AssertSqlSafe(sums_sql)).fetch_all(pool);
        let packed = sqlx::query_as::<_, (String, String)>(
            "SELECT lsoa_code, string_agg(force || ':' || month || '=' || CAST(crimes AS TEXT), ',') FROM crimedata_lsoa_month \
             WHERE crimes > 0 AND month >= $1 GROUP BY lsoa_code",
        )
        .bind(&read_from)
        .fetch_all(pool);
        // Four reads on their own connections at once: the database works on both cores.
        let (districts, places, sums, packed) =
            tokio::try_join!(measures::districts_given(pool, &published), places, sums, packed)?;
        let locations = measures::force_locations(pool, &published).await?;
        let forces_of: HashMap<&str, &[String]> = districts.iter().map(|d| (d.code.as_str(), d.forces.as_slice())).collect();
        // District → its LSOAs, and LSOA code → (district, name, population, centroid).
        let mut district_places: HashMap<String, Vec<hotspots::Place>> = HashMap::new();
        for (code, name, district, population, lat, lng, vintage) in &places {
            district_places.entry(district.clone()).or_default().push((
                code.clone(),
                name.clone(),
                *population,
                lat.zip(*lng),
                vintage.clone(),
            ));
        }
        type Place = (String, String, Option<i64>, Option<(f64, f64)>);
        let places: HashMap<String, Place> = places
            .into_iter()
            .map(|(code, name, district, population, lat, lng, _)| (code, (district, name, population, lat.zip(lng))))
            .collect();
        let mut counts: HashMap<String, ForceCounts> = HashMap::new();
        for row in sums {
            let by_force = counts.entry(row.try_get(0)?).or_default();
            let types = by_force.entry(row.try_get(1)?).or_default().entry(row.try_get(2)?).or_default();
            measures::read_type_sums(&row, 3, types)?;
        }
        // LSOA → month → crimes other than ASB that the district's own forces recorded.
        let mut by_lsoa: HashMap<&str, BTreeMap<String, u64>> = HashMap::new();
        for (lsoa, joined) in &packed {
            let Some((code, (district, ..))) = places.get_key_value(lsoa) else { continue };
            let Some(forces) = forces_of.get(district.as_str()) else { continue };
            let months = by_lsoa.entry(code.as_str()).or_default();
            for (key, n) in joined.split(',').filter_map(|pair| pair.split_once('=')) {
                let Some((force, month)) = key.rsplit_once(':') else { continue };
                if forces.iter().any(|f| f == force) {
                    *months.entry(month.to_string()).or_default() += n.parse::<u64>().unwrap_or(0);
                }
            }
        }
        let mut lsoas: HashMap<String, BTreeMap<String, hotspots::LsoaSeries>> = HashMap::new();
        for (code, by_month) in by_lsoa {
            let Some((district, name, population, centroid)) = places.get(code) else { continue };
            lsoas.entry(district.clone()).or_default().insert(
                code.to_string(),
                hotspots::LsoaSeries { name: name.clone(), population: *population, centroid: *centroid, by_month },
            );
        }
        for district in &districts {
            let window = measures::latest_window(&district.forces, &published);
            let series = lsoas.entry(district.code.clone()).or_default();
            hotspots::add_quiet(series, district_places.get(&district.code).map(Vec::as_slice).unwrap_or_default(), &window);
        }
        let neighbours = lsoas
            .iter()
            .map(|(district, series)| (district.clone(), hotspots::neighbours_of(series, crate::pages::NEIGHBOURS)))
            .collect();
        Ok(Cube { districts, published, counts, lsoas, neighbours, locations })
    }

    /// The report for every district: pure arithmetic over the cube, shared between two threads.
    pub fn report(&self) -> Vec<DistrictReport> {
        let half = self.districts.len().div_ceil(2);
        if half < 8 {
            return self.districts.iter().map(|d| self.district_report(d)).collect();
        }
        let (first, second) = self.districts.split_at(half);
        std::thread::scope(|scope| {
            let other = scope.spawn(|| second.iter().map(|d| self.district_report(d)).collect::<Vec<_>>());
            let mut reports: Vec<DistrictReport> = first.iter().map(|d| self.district_report(d)).collect();
            reports.extend(other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)));
            reports
        })
    }

    fn district_report(&self, district: &District) -> DistrictReport {
        static NO_COUNTS: ForceCounts = ForceCounts::new();
        static NO_LSOAS: BTreeMap<String, hotspots::LsoaSeries> = BTreeMap::new();
        let counts = self.counts.get(&district.code).unwrap_or(&NO_COUNTS);
        let mut report = measures::area_report(counts, &district.forces, &self.published, district.population);
        report.locations = district.forces.iter().filter_map(|f| self.locations.get(f).cloned()).collect();
        let series = self.lsoas.get(&district.code).unwrap_or(&NO_LSOAS);
        let neighbours = self.neighbours.get(&district.code).map(Vec::as_slice).unwrap_or_default();
        let window = measures::latest_window(&district.forces, &self.published);
        let mut hotspots = hotspots::rank(series, &window, neighbours);
        hotspots.truncate(TOP_HOTSPOTS);
        DistrictReport { district: district.clone(), report, hotspots }
    }
}

/// What the cube was built from: when any import or geography change lands, this changes.
async fn version(pool: &Pool) -> Result<String, sqlx::Error> {
    let (imports, finished, lsoas, updated): (i64, Option<String>, i64, Option<String>) = sqlx::query_as(
        "SELECT (SELECT CAST(COUNT(*) AS BIGINT) FROM crimedata_import), (SELECT MAX(finished_at) FROM crimedata_import), \
         (SELECT CAST(COUNT(*) AS BIGINT) FROM crimedata_lsoa), (SELECT MAX(updated_at) FROM crimedata_lsoa)",
    )
    .fetch_one(pool)
    .await?;
    // The address too: one process may hold pools on several databases (the tests do).
    Ok(format!(
        "{}/{imports}/{}/{lsoas}/{}",
        pool.connect_options().database_url,
        finished.unwrap_or_default(),
        updated.unwrap_or_default()
    ))
}

/// The standard report for the data as it stands: the counts read and the report computed once
/// per change to the data, then shared by every request.
#[derive(Debug)]
pub struct Current {
    pub reports: Vec<DistrictReport>,
    pub csv: String,
}

pub async fn current(pool: &Pool) -> Result<Arc<Current>, sqlx::Error> {
    static CACHE: tokio::sync::Mutex<Option<(String, Arc<Current>)>> = tokio::sync::Mutex::const_new(None);
    let now = version(pool).await?;
    // Held across the build, so a burst of first requests after an import reads the data once.
    let mut cache = CACHE.lock().await;
    if let Some((built_for, current)) = cache.as_ref()
        && *built_for == now
    {
        return Ok(current.clone());
    }
    let reports = Cube::load(pool).await?.report();
    let csv = to_csv(&reports);
    let current = Arc::new(Current { reports, csv });
    *cache = Some((now, current.clone()));
    Ok(current)
}

pub async fn standard_report(pool: &Pool) -> Result<Vec<DistrictReport>, sqlx::Error> {
    Ok(Cube::load(pool).await?.report())
}

/// The report as CSV: a row per district and crime type (the hotspots have their own download).
pub fn to_csv(reports: &[DistrictReport]) -> String {
    let mut out = String::new();
    for (i, r) in reports.iter().enumerate() {
        let csv = measures::report_csv(&r.district.code, &r.district.name, &r.report);
        // One header for the whole file.
        out.push_str(if i == 0 { &csv } else { csv.split_once('\n').map(|(_, rest)| rest).unwrap_or("") });
    }
    out
}

/// Per district, the crime types whose change the report calls real, with its direction: what a
/// test scores against the generator's ground truth.
pub fn real_changes(reports: &[DistrictReport]) -> BTreeMap<(String, String), f64> {
    reports
        .iter()
        .flat_map(|r| {
            r.report.rows.iter().filter_map(move |row| {
                let c = row.comparison.as_ref()?;
                c.significant.then(|| ((r.district.code.clone(), row.crime_type.clone()), c.rate_ratio.unwrap_or(1.0)))
            })
        })
        .collect()
}
