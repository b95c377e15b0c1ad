//! Crimes without a location, by force: the share police.uk files leave unplaced, which every
//! area's figures must say beside them.

use super::*;

/// One crime type's share without a location in a force's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnlocatedRow {
    pub crime_type: String,
    pub name: String,
    /// Every crime of the type the force recorded, with or without a location.
    pub recorded: u64,
    pub without_location: u64,
    pub percent: f64,
}

/// A force's crimes in its latest twelve published months, and how many had no location.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForceLocations {
    pub force: String,
    pub force_name: String,
    pub from: String,
    pub to: String,
    pub rows: Vec<UnlocatedRow>,
    /// All crime, not counting anti-social behaviour.
    pub all_crime: UnlocatedRow,
}

impl ForceLocations {
    pub fn percent_for(&self, crime_type: &str) -> Option<f64> {
        if crime_type == "all-crime" {
            return Some(self.all_crime.percent);
        }
        self.rows.iter().find(|r| r.crime_type == crime_type).map(|r| r.percent)
    }
}

/// The location table from (crime type, recorded, without a location) sums.
pub fn force_locations_from(force: &str, from: &str, to: &str, sums: &[(String, u64, u64)]) -> ForceLocations {
    let rows: Vec<UnlocatedRow> = CRIME_TYPES
        .iter()
        .map(|(name, slug)| {
            let (recorded, without) = sums.iter().filter(|(t, ..)| t == slug).fold((0, 0), |(r, w), (_, a, b)| (r + a, w + b));
            UnlocatedRow {
                crime_type: slug.to_string(),
                name: name.to_string(),
                recorded,
                without_location: without,
                percent: percent(without, recorded),
            }
        })
        .collect();
    let crimes = rows.iter().filter(|r| r.crime_type != "anti-social-behaviour");
    let (recorded, without) = crimes.fold((0, 0), |(r, w), row| (r + row.recorded, w + row.without_location));
    ForceLocations {
        force: force.to_string(),
        force_name: crate::force::force_name(force),
        from: from.to_string(),
        to: to.to_string(),
        rows,
        all_crime: UnlocatedRow {
            crime_type: "all-crime".into(),
            name: "All crime (not counting anti-social behaviour)".into(),
            recorded,
            without_location: without,
            percent: percent(without, recorded),
        },
    }
}

/// Each force's location table over its latest twelve published months.
pub async fn force_locations(pool: &Pool, published: &Published) -> Result<BTreeMap<String, ForceLocations>, sqlx::Error> {
    let rows: Vec<(String, String, String, i64, i64)> =
        sqlx::query_as("SELECT force, month, crime_type, recorded, without_location FROM crimedata_force_month_type")
            .fetch_all(pool)
            .await?;
    let mut sums: BTreeMap<&str, Vec<(String, u64, u64)>> = BTreeMap::new();
    let windows: BTreeMap<&str, (String, String)> = published
        .iter()
        .filter_map(|(force, months)| {
            // From the first month held in the latest twelve: a page never claims months it lacks.
            let end = months.last()?;
            let start = months_before(end, 11);
            let from = months.iter().find(|m| **m >= start).unwrap_or(end);
            Some((force.as_str(), (from.clone(), end.clone())))
        })
        .collect();
    for (force, month, crime_type, recorded, without) in &rows {
        let Some((from, to)) = windows.get(force.as_str()) else { continue };
        if month >= from && month <= to {
            sums.entry(force.as_str()).or_default().push((crime_type.clone(), recorded.unsigned_abs(), without.unsigned_abs()));
        }
    }
    Ok(windows
        .iter()
        .map(|(force, (from, to))| {
            (force.to_string(), force_locations_from(force, from, to, sums.get(force).map(Vec::as_slice).unwrap_or_default()))
        })
        .collect())
}
