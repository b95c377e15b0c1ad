//! Synthetic police.uk data at national scale, so import, measures and hotspots can be tested and
//! benchmarked on England and Wales sized data without anyone's personal data.
//!
//! The output is the archive layout (`YYYY-MM/YYYY-MM-<force>-street.csv`, `-outcomes.csv`,
//! `-stop-and-search.csv`) plus `geography.csv` (an ONS-style lookup of the synthetic LSOAs that
//! `crimedata import-geography` reads) and `ground-truth.csv` (the step changes injected, so a
//! test can score whether the measures find them).
//!
//! Every force-month draws from its own random stream derived from the seed, so the same seed
//! writes the same bytes, and a run for some forces writes exactly those forces' files of a run
//! for all of them.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::{Digest, Sha256};

use crate::measures::months_before;
use crate::reference::{self, CRIME_TYPES};
use crate::rows::{OUTCOMES_HEADER, STOP_AND_SEARCH_HEADER, STREET_HEADER};

/// Police recorded crime 2017/18 by territorial force and police.uk crime type (see
/// reference/derive.py for where it comes from).
const FORCE_CRIME_MIX: &str = include_str!("../reference/force-crime-mix.csv");
/// Last outcomes by crime type in three real West Yorkshire street files.
const OUTCOME_MIX: &str = include_str!("../reference/outcome-mix.csv");

/// Recorded crime per resident per year nationally (4.8 million crimes, 59.6 million people): the
/// synthetic population of a force follows from its crimes.
const CRIMES_PER_RESIDENT: f64 = 0.081;
/// ASB rows per crime row; real street files are 17–27% ASB.
const ASB_PER_CRIME: f64 = 0.25;
/// Variance over mean of a district's monthly count of one crime type.
const DISPERSION: f64 = 5.0;
const SNAP_POINTS_PER_LSOA: usize = 22;
/// Zipf exponent over an LSOA's snap points: the busiest holds about half its crimes.
const ZIPF_EXPONENT: f64 = 1.6;
const NO_LOCATION_SHARE: f64 = 0.04;
/// Searches a month nationally, shared out as crime is.
const SEARCHES_PER_MONTH: f64 = 50_000.0;

#[derive(Debug, Clone)]
pub struct GenerateOptions {
    pub out: PathBuf,
    pub months: u32,
    /// The first month written, "YYYY-MM".
    pub first_month: String,
    pub seed: u64,
    /// Force slugs to write; empty means all 43.
    pub forces: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generated {
    pub files: u64,
    pub street_rows: u64,
    pub outcome_rows: u64,
    pub stop_rows: u64,
    pub step_changes: usize,
}

mod random;
pub use random::*;

// ---------------------------------------------------------------------------------------------
// Reference data.

#[derive(Debug, Clone)]
pub struct Force {
    pub slug: String,
    pub name: String,
    /// Crimes a year by crime type slug (ASB excluded).
    pub crimes: BTreeMap<String, f64>,
}

impl Force {
    pub fn total(&self) -> f64 {
        self.crimes.values().sum()
    }

    fn falls_within(&self) -> String {
        match self.slug.as_str() {
            "metropolitan" => "Metropolitan Police Service".to_string(),
            "city-of-london" => "City of London Police".to_string(),
            _ => format!("{} Police", self.name),
        }
    }

    fn welsh(&self) -> bool {
        matches!(self.slug.as_str(), "dyfed-powys" | "gwent" | "north-wales" | "south-wales")
    }
}

/// The rows of a reference CSV compiled into the binary (its header skipped).
fn reference_rows(text: &'static str) -> impl Iterator<Item = csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes()).into_records().filter_map(Result::ok)
}

pub fn forces() -> Vec<Force> {
    let mut by_slug: BTreeMap<String, Force> = BTreeMap::new();
    for row in reference_rows(FORCE_CRIME_MIX) {
        let (Some(slug), Some(name), Some(crime_type), Some(offences)) = (row.get(0), row.get(1), row.get(2), row.get(3)) else {
            continue;
        };
        let name = if name == "London, City of" { "City of London" } else { name };
        let force = by_slug.entry(slug.to_string()).or_insert_with(|| Force {
            slug: slug.to_string(),
            name: name.to_string(),
            crimes: BTreeMap::new(),
        });
        force.crimes.insert(crime_type.to_string(), offences.parse().unwrap_or(0.0));
    }
    by_slug.into_values().collect()
}

/// Crime type slug → (outcome labels, an alias table over their weights), from the West
/// Yorkshire files.
pub fn outcome_mix() -> BTreeMap<&'static str, (Vec<&'static str>, Alias)> {
    let mut lists: BTreeMap<&'static str, (Vec<&'static str>, Vec<f64>)> = BTreeMap::new();
    for row in reference_rows(OUTCOME_MIX) {
        let (Some(crime_type), Some(outcome), Some(crimes)) = (row.get(0), row.get(1), row.get(2)) else { continue };
        let (Some(slug), Some(code)) = (reference::crime_type_slug(crime_type), reference::outcome_code(outcome)) else {
            continue;
        };
        let label = reference::OUTCOMES.iter().find(|(c, _, _)| *c == code).map(|(_, label, _)| *label).unwrap_or("");
        let entry = lists.entry(slug).or_default();
        entry.0.push(label);
        entry.1.push(crimes.parse().unwrap_or(0.0));
    }
    lists.into_iter().map(|(slug, (labels, weights))| (slug, (labels, Alias::new(&weights)))).collect()
}

// ---------------------------------------------------------------------------------------------
// Synthetic geography.

#[derive(Debug, Clone)]
pub struct Lsoa {
    pub code: String,
    pub name: String,
    pub population: u32,
    pub latitude: f64,
    pub longitude: f64,
    /// How much crime it attracts beyond its population (a deprivation factor).
    pub pull: f64,
    pub points: Vec<(f64, f64)>,
}

#[derive(Debug, Clone)]
pub struct District {
    pub code: String,
    pub name: String,
    pub lsoas: Vec<Lsoa>,
    /// Draws an LSOA in proportion to population × pull.
    pub chooser: Alias,
    /// This district's share of its force's crime.
    pub share: f64,
}

/// Lays the forces out on a grid across England and Wales, each with districts and LSOAs whose
/// populations follow its recorded crime. Codes use the 9xxxxx range no real LSOA or authority
/// has, so synthetic data can never be mistaken for a real place.
pub fn geography(seed: u64, forces: &[Force], index: usize) -> Vec<District> {
    let force = &forces[index];
    let mut random = Random::new(seed, &[1, index as u64]);
    let (column, row) = (index % 7, index / 7);
    let centre = (51.0 + row as f64 * 0.55, -4.2 + column as f64 * 0.75);
    let lsoas_in_force = lsoa_count(force);
    let district_count = (lsoas_in_force / 90).clamp(1, 40);
    let (la_prefix, lsoa_prefix) = if force.welsh() { ("W06", "W01") } else { ("E07", "E01") };
    let mut districts = Vec::with_capacity(district_count);
    // Numbered on from the forces before, so codes are unique nationally (about 35,000 of them).
    let mut lsoa_number: usize = forces[..index].iter().map(lsoa_count).sum();
    for d in 0..district_count {
        let code = format!("{la_prefix}9{:05}", index * 100 + d);
        let name = format!("{} area {}", force.name, d + 1);
        let per = lsoas_in_force / district_count + usize::from(d < lsoas_in_force % district_count);
        let district_centre = (centre.0 + ((d % 6) as f64 - 2.5) * 0.07, centre.1 + ((d / 6) as f64 - 3.0) * 0.09);
        let lsoas: Vec<Lsoa> = (0..per)
            .map(|i| {
                lsoa_number += 1;
                let latitude = district_centre.0 + (random.unit() - 0.5) * 0.06;
                let longitude = district_centre.1 + (random.unit() - 0.5) * 0.08;
                let points = (0..SNAP_POINTS_PER_LSOA)
                    .map(|_| (latitude + (random.unit() - 0.5) * 0.008, longitude + (random.unit() - 0.5) * 0.011))
                    .collect();
                Lsoa {
                    code: format!("{lsoa_prefix}9{lsoa_number:05}"),
                    name: format!("{name} {:03}{}", i / 4 + 1, ['A', 'B', 'C', 'D'][i % 4]),
                    population: (1_650.0 * (0.2 * random.normal()).exp()).round().max(400.0) as u32,
                    latitude,
                    longitude,
                    pull: (0.5 * random.normal()).exp(),
                    points,
                }
            })
            .collect();
        let weights: Vec<f64> = lsoas.iter().map(|l| f64::from(l.population) * l.pull).collect();
        districts.push(District { code, name, chooser: Alias::new(&weights), share: weights.iter().sum(), lsoas });
    }
    let total: f64 = districts.iter().map(|d| d.share).sum();
    for district in &mut districts {
        district.share /= total;
    }
    districts
}

fn lsoa_count(force: &Force) -> usize {
    let population = force.total() / CRIMES_PER_RESIDENT;
    ((population / 1_650.0).round() as usize).max(8)
}

/// The injected change: from `from_month` on, the district's mean for the crime type is
/// multiplied by `factor`.
#[derive(Debug, Clone, PartialEq)]
pub struct StepChange {
    pub force: String,
    pub district_code: String,
    pub district_name: String,
    pub crime_type: &'static str,
    pub from_month: String,
    pub factor: f64,
}

/// Types common enough everywhere for a change to be told from noise in a year.
const STEP_TYPES: [&str; 5] = ["anti-social-behaviour", "violent-crime", "burglary", "vehicle-crime", "shoplifting"];
const STEP_FACTORS: [f64; 4] = [0.6, 0.75, 1.33, 1.5];

fn step_changes(seed: u64, force: &Force, index: usize, districts: &[District], options: &GenerateOptions) -> Vec<StepChange> {
    let mut random = Random::new(seed, &[2, index as u64]);
    // With two years or more, the step starts the latest twelve months, so "this year against
    // last" compares whole years on either side of it; with less, it starts half-way through.
    let start = if options.months >= 24 { options.months - 12 } else { options.months / 2 };
    let from_month = months_before(&options.first_month, -(start as i32));
    let mut steps = Vec::new();
    for district in districts {
        // Draw all three numbers for every district, so which districts change does not shift
        // the stream for the others.
        let (chosen, crime_type, factor) =
            (random.unit() < 0.2, random.below(STEP_TYPES.len()), random.below(STEP_FACTORS.len()));
        if chosen {
            steps.push(StepChange {
                force: force.slug.clone(),
                district_code: district.code.clone(),
                district_name: district.name.clone(),
                crime_type: STEP_TYPES[crime_type],
                from_month: from_month.clone(),
                factor: STEP_FACTORS[factor],
            });
        }
    }
    steps
}

/// Summer peak for violence and ASB, a milder one for the rest.
fn season(crime_type: &str, month: &str) -> f64 {
    let m: f64 = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(1.0);
    let amplitude = if matches!(crime_type, "violent-crime" | "anti-social-behaviour") { 0.15 } else { 0.05 };
    1.0 + amplitude * (std::f64::consts::TAU * (m - 7.0) / 12.0).cos()
}

// ---------------------------------------------------------------------------------------------
// Writing.

/// An outcome waiting for the month it is recorded in.
#[derive(Debug, Clone, Copy)]
struct PendingOutcome {
    month: u32,
    row: u32,
    district: u16,
    lsoa: u32,
    /// Snap point, or none for a row without a location.
    point: Option<u8>,
    crime_type: u8,
    outcome: u8,
}

fn crime_id(seed: u64, force: usize, month: u32, row: u32) -> String {
    let mut hasher = Sha256::new();
    hasher.update(seed.to_le_bytes());
    hasher.update((force as u64).to_le_bytes());
    hasher.update(month.to_le_bytes());
    hasher.update(row.to_le_bytes());
    hex::encode(hasher.finalize())
}

fn csv_line(out: &mut impl Write, fields: &[&str]) -> std::io::Result<()> {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        if field.contains([',', '"', '\n']) {
            write!(out, "\"{}\"", field.replace('"', "\"\""))?;
        } else {
            out.write_all(field.as_bytes())?;
        }
    }
    out.write_all(b"\n")
}

fn create(path: &Path) -> anyhow::Result<BufWriter<File>> {
    Ok(BufWriter::with_capacity(1 << 20, File::create(path)?))
}

/// Writes the whole dataset; `rows` counts rows written as it goes, for a progress bar.
pub fn generate(options: &GenerateOptions, rows: &AtomicU64) -> anyhow::Result<Generated> {
    crate::rows::check_month(&options.first_month)
        .map_err(|_| anyhow::anyhow!("the first month {:?} is not a month like 2025-01", options.first_month))?;
    let all = forces();
    let unknown: Vec<&String> = options.forces.iter().filter(|f| !all.iter().any(|a| &a.slug == *f)).collect();
    if !unknown.is_empty() {
        anyhow::bail!(
            "no force is called {}; the forces are {}",
            unknown.iter().map(|f| format!("{f:?}")).collect::<Vec<_>>().join(", "),
            all.iter().map(|f| f.slug.as_str()).collect::<Vec<_>>().join(", ")
        );
    }
    std::fs::create_dir_all(&options.out)?;
    let national: f64 = all.iter().map(Force::total).sum();
    let outcomes = outcome_mix();
    let mut generated = Generated::default();

    let mut geography_csv = create(&options.out.join("geography.csv"))?;
    csv_line(
        &mut geography_csv,
        &["LSOA11CD", "LSOA11NM", "LAD11CD", "LAD11NM", "CSP11NM", "PFA11NM", "Persons", "LAT", "LONG"],
    )?;
    let mut truth_csv = create(&options.out.join("ground-truth.csv"))?;
    csv_line(&mut truth_csv, &["force", "district_code", "district_name", "crime_type", "from_month", "factor"])?;

    let months: Vec<String> = (0..options.months).map(|m| months_before(&options.first_month, -(m as i32))).collect();
    for month in &months {
        std::fs::create_dir_all(options.out.join(month))?;
    }
    for (index, force) in all.iter().enumerate() {
        if !options.forces.is_empty() && !options.forces.contains(&force.slug) {
            continue;
        }
        let districts = geography(options.seed, &all, index);
        for district in &districts {
            for lsoa in &district.lsoas {
                csv_line(
                    &mut geography_csv,
                    &[
                        &lsoa.code,
                        &lsoa.name,
                        &district.code,
                        &district.name,
                        &district.name,
                        &force.name,
                        &lsoa.population.to_string(),
                        &format!("{:.6}", lsoa.latitude),
                        &format!("{:.6}", lsoa.longitude),
                    ],
                )?;
            }
        }
        let steps = step_changes(options.seed, force, index, &districts, options);
        for step in &steps {
            csv_line(
                &mut truth_csv,
                &[
                    &step.force,
                    &step.district_code,
                    &step.district_name,
                    step.crime_type,
                    &step.from_month,
                    &step.factor.to_string(),
                ],
            )?;
        }
        generated.step_changes += steps.len();
        let trend_per_year = Random::new(options.seed, &[3, index as u64]).normal() * 0.03;
        let falls_within = force.falls_within();
        let mut pending: Vec<Vec<PendingOutcome>> = vec![Vec::new(); months.len()];
        for (m, month) in months.iter().enumerate() {
            let mut random = Random::new(options.seed, &[4, index as u64, m as u64]);
            let trend = 1.0 + trend_per_year * m as f64 / 12.0;
            let path = options.out.join(month).join(format!("{month}-{}-street.csv", force.slug));
            let mut street = create(&path)?;
            csv_line(&mut street, &STREET_HEADER)?;
            let mut row: u32 = 0;
            for (t, (label, slug)) in CRIME_TYPES.iter().enumerate() {
                let yearly = if *slug == "anti-social-behaviour" {
                    force.total() * ASB_PER_CRIME
                } else {
                    force.crimes.get(*slug).copied().unwrap_or(0.0)
                };
                for (d, district) in districts.iter().enumerate() {
                    let step = steps
                        .iter()
                        .filter(|s| {
                            s.district_code == district.code && s.crime_type == *slug && month.as_str() >= s.from_month.as_str()
                        })
                        .map(|s| s.factor)
                        .product::<f64>();
                    let mean = yearly / 12.0 * district.share * season(slug, month) * trend * step;
                    for _ in 0..random.over_dispersed(mean, DISPERSION) {
                        row += 1;
                        let l = district.chooser.draw(&mut random);
                        let lsoa = &district.lsoas[l];
                        let located = random.unit() >= NO_LOCATION_SHARE;
                        let point = located.then(|| zipf_point(&mut random));
                        let is_asb = *slug == "anti-social-behaviour";
                        let id = if is_asb { String::new() } else { crime_id(options.seed, index, m as u32, row) };
                        let outcome = outcomes.get(slug).filter(|_| !is_asb).map(|(labels, alias)| {
                            let o = alias.draw(&mut random);
                            // Outcomes follow their crimes by 0 to 12 months, most within two.
                            let lag = ((1.0 - random.unit()).ln() / -0.6).floor().min(12.0) as usize;
                            if m + lag < months.len() {
                                pending[m + lag].push(PendingOutcome {
                                    month: m as u32,
                                    row,
                                    district: d as u16,
                                    lsoa: l as u32,
                                    point,
                                    crime_type: t as u8,
                                    outcome: o as u8,
                                });
                            }
                            labels[o]
                        });
                        write_located(
                            &mut street,
                            &[&id, month, &falls_within, &falls_within],
                            lsoa,
                            point,
                            &[label, outcome.unwrap_or(""), ""],
                        )?;
                    }
                }
            }
            street.flush()?;
            generated.street_rows += u64::from(row);
            rows.fetch_add(u64::from(row), Ordering::Relaxed);

            let path = options.out.join(month).join(format!("{month}-{}-outcomes.csv", force.slug));
            let mut outcome_file = create(&path)?;
            csv_line(&mut outcome_file, &OUTCOMES_HEADER)?;
            for p in std::mem::take(&mut pending[m]) {
                let lsoa = &districts[usize::from(p.district)].lsoas[p.lsoa as usize];
                let slug = CRIME_TYPES[usize::from(p.crime_type)].1;
                let label = outcomes.get(slug).map(|(labels, _)| labels[usize::from(p.outcome)]).unwrap_or("");
                let id = crime_id(options.seed, index, p.month, p.row);
                write_located(&mut outcome_file, &[&id, month, &falls_within, &falls_within], lsoa, p.point, &[label])?;
                generated.outcome_rows += 1;
            }
            outcome_file.flush()?;

            let searches = random.poisson(SEARCHES_PER_MONTH * force.total() / national);
            let path = options.out.join(month).join(format!("{month}-{}-stop-and-search.csv", force.slug));
            let mut stops = create(&path)?;
            csv_line(&mut stops, &STOP_AND_SEARCH_HEADER)?;
            for _ in 0..searches {
                write_search(&mut stops, &mut random, month, &districts)?;
            }
            stops.flush()?;
            generated.stop_rows += searches;
            rows.fetch_add(searches, Ordering::Relaxed);
            generated.files += 3;
        }
    }
    geography_csv.flush()?;
    truth_csv.flush()?;
    Ok(generated)
}

fn zipf_point(random: &mut Random) -> u8 {
    static CHOOSER: std::sync::OnceLock<Alias> = std::sync::OnceLock::new();
    let chooser = CHOOSER
        .get_or_init(|| Alias::new(&(1..=SNAP_POINTS_PER_LSOA).map(|k| (k as f64).powf(-ZIPF_EXPONENT)).collect::<Vec<_>>()));
    chooser.draw(random) as u8
}

/// Writes `before`, then the location columns (longitude, latitude, location, LSOA code and name,
/// blank for a row without a location), then `after`.
fn write_located(out: &mut impl Write, before: &[&str], lsoa: &Lsoa, point: Option<u8>, after: &[&str]) -> std::io::Result<()> {
    let (longitude, latitude, location, code, name) = match point {
        Some(p) => {
            let (lat, lng) = lsoa.points[usize::from(p)];
            (
                format!("{lng:.6}"),
                format!("{lat:.6}"),
                format!("On or near Street {}", u32::from(p) + 1),
                lsoa.code.as_str(),
                lsoa.name.as_str(),
            )
        }
        None => (String::new(), String::new(), "No location".to_string(), "", ""),
    };
    let mut fields: Vec<&str> = before.to_vec();
    fields.extend([longitude.as_str(), latitude.as_str(), location.as_str(), code, name]);
    fields.extend(after);
    csv_line(out, &fields)
}

/// Picks one of `choices` by its weight.
fn pick<'a>(random: &mut Random, choices: &[(&'a str, f64)]) -> &'a str {
    let total: f64 = choices.iter().map(|(_, w)| w).sum();
    let mut target = random.unit() * total;
    for (choice, weight) in choices {
        if target < *weight {
            return choice;
        }
        target -= weight;
    }
    choices.last().map(|(c, _)| *c).unwrap_or("")
}

fn write_search(out: &mut impl Write, random: &mut Random, month: &str, districts: &[District]) -> std::io::Result<()> {
    let fields = search_fields(random, month, districts);
    csv_line(out, &fields.iter().map(String::as_str).collect::<Vec<_>>())
}

/// One search as the fields of a police.uk row, with approximate national shares of each field
/// (Home Office stop and search statistics put drugs at about 60% of searches and arrests at
/// about 13%). Without `districts` it has no location.
pub fn search_fields(random: &mut Random, month: &str, districts: &[District]) -> Vec<String> {
    let kind = pick(random, &[("Person search", 0.8), ("Person and Vehicle search", 0.18), ("Vehicle search", 0.02)]);
    let date = format!("{month}-{:02}T{:02}:{:02}:00+00:00", 1 + random.below(28), random.below(24), random.below(60));
    let operation = pick(random, &[("False", 0.7), ("", 0.3)]);
    let (latitude, longitude) = if random.unit() < 0.9 && !districts.is_empty() {
        let district = &districts[random.below(districts.len())];
        let lsoa = &district.lsoas[district.chooser.draw(random)];
        let (lat, lng) = lsoa.points[usize::from(zipf_point(random))];
        (format!("{lat:.6}"), format!("{lng:.6}"))
    } else {
        (String::new(), String::new())
    };
    let gender = pick(random, &[("Male", 0.88), ("Female", 0.1), ("Other", 0.005), ("", 0.015)]);
    let age = pick(random, &[("10-17", 0.15), ("18-24", 0.35), ("25-34", 0.28), ("over 34", 0.2), ("", 0.02)]);
    let officer = pick(random, &[("White", 0.68), ("Black", 0.16), ("Asian", 0.11), ("Other", 0.02), ("", 0.03)]);
    let own = match officer {
        "White" => "White - English/Welsh/Scottish/Northern Irish/British",
        "Black" => "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background",
        "Asian" => "Asian/Asian British - Any other Asian background",
        "Other" => "Other ethnic group - Not stated",
        _ => "",
    };
    let (legislation, object) = match pick(
        random,
        &[("drugs", 0.6), ("weapons", 0.16), ("stolen", 0.12), ("damage", 0.06), ("s60", 0.02), ("other", 0.04)],
    ) {
        "drugs" => ("Misuse of Drugs Act 1971 (section 23)", "Controlled drugs"),
        "weapons" => ("Police and Criminal Evidence Act 1984 (section 1)", "Offensive weapons"),
        "stolen" => ("Police and Criminal Evidence Act 1984 (section 1)", "Stolen goods"),
        "damage" => ("Police and Criminal Evidence Act 1984 (section 1)", "Articles for use in criminal damage"),
        "s60" => ("Criminal Justice and Public Order Act 1994 (section 60)", "Offensive weapons"),
        _ => ("Police and Criminal Evidence Act 1984 (section 1)", "Anything to threaten or harm anyone"),
    };
    let outcome = pick(
        random,
        &[
            ("A no further action disposal", 0.7),
            ("Arrest", 0.13),
            ("Community resolution", 0.08),
            ("Khat or Cannabis warning", 0.05),
            ("Summons / charged by post", 0.02),
            ("Penalty Notice for Disorder", 0.01),
            ("Caution (simple or conditional)", 0.01),
        ],
    );
    let linked = if outcome == "A no further action disposal" {
        pick(random, &[("", 0.7), ("False", 0.3)])
    } else {
        pick(random, &[("True", 0.75), ("False", 0.25)])
    };
    let removal = pick(random, &[("False", 0.75), ("", 0.23), ("True", 0.02)]);
    [kind, &date, operation, "", &latitude, &longitude, gender, age, own, officer, legislation, object, outcome, linked, removal]
        .iter()
        .map(|f| f.to_string())
        .collect()
}

#[cfg(test)]
mod tests;
