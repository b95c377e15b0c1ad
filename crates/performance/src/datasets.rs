//! Reading the published open data tables in their own layouts: police recorded crime by force
//! area and crime outcomes (Home Office, long format, one sheet per year), police workforce, and
//! the fire statistics data tables (the long `Data` sheet with UPPER_SNAKE columns, never the
//! pivot sheet). Columns are found by heading, whatever its case or spacing; areas are matched
//! through the reference data (force names, fire authorities by ONS code or name), and rows for
//! bodies with no area (British Transport Police, Action Fraud) or groupings ("England",
//! "Predominantly Rural") are set aside and counted, never mistaken for an area. Nothing here
//! assumes a publisher: the Home Office published these, MHCLG publishes fire statistics since
//! April 2025, and the office says which vintage it imports.
//!
//! Pure: bytes in, observations and problems by row out.

use std::collections::{BTreeMap, HashMap};

use platform::periods::Period;
use platform::spreadsheet::{self, squash};
use serde::{Deserialize, Serialize};

use crate::model::Dataset;

/// The most rows one file may hold (twelve years of recorded crime for every force is about
/// 300,000; a year of outcomes about 500,000).
pub const MAX_ROWS: usize = 3_000_000;
/// Problems listed one by one; beyond this they are counted.
pub const MAX_LISTED: usize = 500;

/// What identifies a figure in its dataset: area, period, category, group, subgroup.
pub type Key = (String, String, String, String, String);

/// One figure as a table gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// A police force area's police.uk identifier, or a fire authority's ONS code.
    pub area: String,
    pub period: String,
    pub category: String,
    pub group: String,
    pub subgroup: String,
    pub value: f64,
    /// A second figure where the table has one (headcount beside FTE; an average time beside
    /// the incidents it is over).
    pub second: Option<f64>,
}

impl Observation {
    /// What identifies the figure within its dataset.
    pub fn key(&self) -> Key {
        (self.area.clone(), self.period.clone(), self.category.clone(), self.group.clone(), self.subgroup.clone())
    }
}

/// A row that cannot be taken, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// "Sheet 2017-18, row 14", or "Row 14" for a CSV.
    pub place: String,
    pub message: String,
}

/// What a file held.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Read {
    pub observations: Vec<Observation>,
    pub problems: Vec<RowProblem>,
    /// Problems beyond those listed.
    pub more_problems: usize,
    /// Rows for bodies with no area or for groupings, by name, with how many rows each.
    pub set_aside: BTreeMap<String, usize>,
    pub rows_read: usize,
    /// Rows for a figure already given that were added to it: the Home Office tables split some
    /// offences over several rows with one code (homicide), and their totals add them.
    pub added_together: usize,
}

impl Read {
    pub fn problem_count(&self) -> usize {
        self.problems.len() + self.more_problems
    }
    /// The first and last periods the file covers.
    pub fn periods(&self) -> Option<(String, String)> {
        let first = self.observations.iter().map(|o| &o.period).min()?;
        let last = self.observations.iter().map(|o| &o.period).max()?;
        Some((first.clone(), last.clone()))
    }
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("{0}")]
    Unreadable(#[from] spreadsheet::Unreadable),
    #[error("No sheet of the file has the columns of {table}: it needs {columns}")]
    NoHeader { table: &'static str, columns: String },
    #[error("The file has no figures in it")]
    Empty,
}

/// A column a layout needs, by the headings publishers have used for it.
struct Column {
    name: &'static str,
    headings: &'static [&'static str],
    required: bool,
}

const fn needed(name: &'static str, headings: &'static [&'static str]) -> Column {
    Column { name, headings, required: true }
}
const fn optional(name: &'static str, headings: &'static [&'static str]) -> Column {
    Column { name, headings, required: false }
}

/// A table's layout: its columns in a fixed order (year, quarter, area name, area code,
/// category, group, subgroup, value, second), and which sheets to read.
struct Layout {
    columns: [Column; 9],
    /// Read only sheets with this name (the fire tables' `Data`), or every sheet with the header.
    sheet: Option<&'static str>,
    /// The second value is a time, in minutes (Excel may give it as a fraction of a day).
    second_is_time: bool,
}

const YEAR: usize = 0;
const QUARTER: usize = 1;
const AREA: usize = 2;
const CODE: usize = 3;
const CATEGORY: usize = 4;
const GROUP: usize = 5;
const SUBGROUP: usize = 6;
const VALUE: usize = 7;
const SECOND: usize = 8;

fn layout(dataset: Dataset) -> Layout {
    let fire = |category: &'static [&'static str],
                group: &'static [&'static str],
                value: &'static [&'static str],
                second: &'static [&'static str]| Layout {
        columns: [
            needed("FINANCIAL_YEAR", &["FINANCIAL_YEAR"]),
            optional("FINANCIAL_QUARTER", &["FINANCIAL_QUARTER", "QUARTER"]),
            needed("FRS_NAME", &["FRS_NAME"]),
            optional("E_CODE", &["E_CODE", "FRS_CODE"]),
            Column { name: category.first().copied().unwrap_or(""), headings: category, required: !category.is_empty() },
            optional("", group),
            optional("", &[]),
            needed(value[0], value),
            Column { name: second.first().copied().unwrap_or(""), headings: second, required: !second.is_empty() },
        ],
        sheet: Some("Data"),
        second_is_time: !second.is_empty(),
    };
    match dataset {
        Dataset::Prc => Layout {
            columns: [
                needed("Financial Year", &["Financial Year"]),
                needed("Financial Quarter", &["Financial Quarter"]),
                needed("Force Name", &["Force Name"]),
                optional("", &[]),
                needed("Offence Code", &["Offence Code"]),
                needed("Offence Group", &["Offence Group"]),
                optional("Offence Subgroup", &["Offence Subgroup"]),
                needed("Number of Offences", &["Number of Offences"]),
                optional("", &[]),
            ],
            sheet: None,
            second_is_time: false,
        },
        Dataset::Outcomes => Layout {
            columns: [
                needed("Financial Year", &["Financial Year"]),
                needed("Financial Quarter", &["Financial Quarter"]),
                needed("Force Name", &["Force Name"]),
                optional("", &[]),
                needed("Outcome Description", &["Outcome Description", "Outcome Type Description", "Outcome Type"]),
                needed("Offence Group", &["Offence Group"]),
                needed("Offence Code", &["Offence Code"]),
                needed(
                    "Force outcomes",
                    &[
                        "Force outcomes for offences recorded in quarter and previous quarters",
                        "Number of Outcomes",
                        "Force Outcomes",
                    ],
                ),
                optional("", &[]),
            ],
            sheet: None,
            second_is_time: false,
        },
        Dataset::Workforce => Layout {
            columns: [
                needed("As at 31 March", &["As at 31 March"]),
                optional("", &[]),
                needed("Force name", &["Force name"]),
                optional("Geocode", &["Geocode"]),
                needed("Worker type", &["Worker type"]),
                needed("Rank", &["Rank"]),
                optional("Sex", &["Sex"]),
                needed("Total (FTE)", &["Total (FTE)"]),
                needed("Total (Headcount)", &["Total (Headcount)"]),
            ],
            sheet: None,
            second_is_time: false,
        },
        Dataset::FireIncidents => fire(&["INCIDENT_TYPE"], &[], &["TOTAL_INCIDENTS"], &[]),
        Dataset::FireResponse => {
            fire(&["FIRE_TYPE"], &["LOCATION_CATEGORY", "GEOGRAPHICAL_CATEGORY"], &["INCIDENTS"], &["TOTAL_RESPONSE_TIME"])
        }
        Dataset::FirePrevention => fire(&["ACTIVITY_TYPE", "VISIT_TYPE", "AUDIT_TYPE"], &["TARGET_GROUP"], &["TOTAL"], &[]),
        Dataset::Returns | Dataset::PoliceUk => Layout {
            columns: [
                needed("", &[]),
                optional("", &[]),
                needed("", &[]),
                optional("", &[]),
                optional("", &[]),
                optional("", &[]),
                optional("", &[]),
                needed("", &[]),
                optional("", &[]),
            ],
            sheet: None,
            second_is_time: false,
        },
    }
}

/// The headings a layout needs, for telling people.
fn needed_headings(layout: &Layout) -> String {
    let names: Vec<&str> = layout.columns.iter().filter(|c| c.required && !c.name.is_empty()).map(|c| c.name).collect();
    platform::words::and_list(&names)
}

/// Which column of `row` holds each of the layout's columns, if `row` is the header.
fn header(layout: &Layout, row: &[String]) -> Option<[Option<usize>; 9]> {
    let squashed: Vec<String> = row.iter().map(|h| squash(h)).collect();
    let mut at = [None; 9];
    for (i, column) in layout.columns.iter().enumerate() {
        at[i] = column.headings.iter().find_map(|h| squashed.iter().position(|s| *s == squash(h)));
        if column.required && !column.headings.is_empty() && at[i].is_none() {
            return None;
        }
    }
    Some(at)
}

/// A number as tables write it: "1,234", " 56 ", "-3".
fn number(text: &str) -> Option<f64> {
    let cleaned = text.trim().replace(',', "");
    cleaned.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A time in minutes: "00:08:53", "8:53", a fraction of a day (Excel's times, under 1), or minutes.
pub fn minutes(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.contains(':') {
        let parts: Vec<f64> = text.split(':').map(|p| p.trim().parse::<f64>().ok()).collect::<Option<_>>()?;
        return match parts.as_slice() {
            [h, m, s] => Some(h * 60.0 + m + s / 60.0),
            [m, s] => Some(m + s / 60.0),
            _ => None,
        };
    }
    let value = number(text)?;
    // Response times over a minute are kept; under one they can only be a fraction of a day.
    Some(if value < 1.0 { value * 24.0 * 60.0 } else { value })
}

/// The area a row names, or why not.
#[derive(Clone)]
enum Area {
    Found(String),
    SetAside(String),
    Unknown(String),
}

fn area_of(dataset: Dataset, name: &str, code: &str) -> Area {
    if dataset.is_fire() {
        match platform::areas::districts::fire_authority_named(name, code) {
            Some(authority) if !authority.code.is_empty() => Area::Found(authority.code),
            Some(authority) => Area::Found(authority.name),
            None if platform::areas::districts::is_fire_grouping(name) => Area::SetAside(name.trim().to_string()),
            None => Area::Unknown(name.trim().to_string()),
        }
    } else {
        match platform::areas::force_area_named(name) {
            Some(area) => Area::Found(area.slug.to_string()),
            None if !name.trim().is_empty() => Area::SetAside(name.trim().to_string()),
            None => Area::Unknown(String::new()),
        }
    }
}

/// Notes a problem with a row, listing the first [`MAX_LISTED`] and counting the rest.
fn note(out: &mut Read, place: &str, message: String) {
    if out.problems.len() < MAX_LISTED {
        out.problems.push(RowProblem { place: place.to_string(), message });
    } else {
        out.more_problems += 1;
    }
}

/// Reads a table of `dataset` from a file's bytes.
pub fn read(dataset: Dataset, bytes: &[u8], file_name: &str) -> Result<Read, Refused> {
    let layout = layout(dataset);
    let mut out = Read::default();
    let mut found_header = false;
    // Per sheet: the header's columns once found.
    let mut current: Option<(String, [Option<usize>; 9])> = None;
    // Each figure's key: where it is in `observations` and the place it was first given.
    let mut seen: HashMap<Key, (usize, String)> = HashMap::new();
    // The Home Office's count tables add rows with one key; a fire table repeating a figure is
    // a fault to name (a response time cannot be added to another).
    let additive = matches!(dataset, Dataset::Prc | Dataset::Outcomes | Dataset::Workforce);
    // A table names a few dozen areas hundreds of thousands of times: each name is matched once.
    let mut areas: HashMap<(String, String), Area> = HashMap::new();
    let wanted = |sheet: &str| layout.sheet.is_none_or(|s| squash(s) == squash(sheet));
    spreadsheet::visit_rows(bytes, file_name, MAX_ROWS, wanted, |sheet, line, cells| {
        if current.as_ref().is_none_or(|(s, _)| s != sheet) {
            // A new sheet: look for its header in its first 30 rows.
            if line > 30 {
                return false;
            }
            match header(&layout, cells) {
                Some(at) => {
                    found_header = true;
                    current = Some((sheet.to_string(), at));
                }
                None => return true,
            }
            return true;
        }
        let Some((_, at)) = &current else { return true };
        if cells.iter().all(|c| c.trim().is_empty()) {
            return true;
        }
        out.rows_read += 1;
        let cell = |i: usize| at[i].and_then(|c| cells.get(c)).map(|s| s.trim()).unwrap_or("");
        let place = if sheet.is_empty() { format!("Row {line}") } else { format!("Sheet {sheet}, row {line}") };
        let period = match (Period::parse_financial_year(cell(YEAR)), cell(QUARTER)) {
            (None, _) => {
                // Workforce tables give the date: "31 March 2024" is the end of 2023/24.
                let year = cell(YEAR);
                match year.rsplit(' ').next().and_then(|y| y.parse::<i32>().ok()).filter(|_| dataset == Dataset::Workforce) {
                    Some(y) if (1990..=2100).contains(&y) => Period::Year(platform::periods::FinancialYear(y - 1)),
                    _ => {
                        note(&mut out, &place, format!("“{year}” is not a financial year like 2023/24"));
                        return true;
                    }
                }
            }
            (Some(year), "") if dataset == Dataset::Workforce => Period::Year(platform::periods::FinancialYear(year.0 - 1)),
            (Some(year), "") => Period::Year(year),
            (Some(_), quarter) => match Period::parse_quarter(cell(YEAR), quarter) {
                Some(period) => period,
                None => {
                    note(&mut out, &place, format!("“{quarter}” is not a quarter: use 1 to 4"));
                    return true;
                }
            },
        };
        let named = (cell(AREA).to_string(), cell(CODE).to_string());
        let found = match areas.get(&named) {
            Some(found) => found.clone(),
            None => {
                let found = area_of(dataset, &named.0, &named.1);
                areas.insert(named, found.clone());
                found
            }
        };
        let area = match found {
            Area::Found(code) => code,
            Area::SetAside(name) => {
                *out.set_aside.entry(name).or_default() += 1;
                return true;
            }
            Area::Unknown(name) if name.is_empty() => {
                note(&mut out, &place, "The row names no area".into());
                return true;
            }
            Area::Unknown(name) => {
                note(&mut out, &place, format!("“{name}” is not a fire and rescue service in the reference data"));
                return true;
            }
        };
        let Some(value) = number(cell(VALUE)) else {
            note(&mut out, &place, format!("“{}” in {} is not a number", cell(VALUE), layout.columns[VALUE].name));
            return true;
        };
        let second = match (layout.columns[SECOND].headings.is_empty(), cell(SECOND)) {
            (true, _) => None,
            // A response time is not published for a type with no incidents.
            (false, "" | ".." | "..." | "-") if value == 0.0 => None,
            (false, text) => {
                let parsed = if layout.second_is_time { minutes(text) } else { number(text) };
                match parsed {
                    Some(v) => Some(v),
                    None => {
                        note(&mut out, &place, format!("“{text}” in {} is not a number", layout.columns[SECOND].name));
                        return true;
                    }
                }
            }
        };
        let observation = Observation {
            area,
            period: period.slug(),
            category: cell(CATEGORY).to_string(),
            group: cell(GROUP).to_string(),
            subgroup: cell(SUBGROUP).to_string(),
            value,
            second,
        };
        match seen.get(&observation.key()) {
            Some((at, _)) if additive => {
                let kept = &mut out.observations[*at];
                kept.value += observation.value;
                kept.second = match (kept.second, observation.second) {
                    (Some(a), Some(b)) => Some(a + b),
                    (a, b) => a.or(b),
                };
                out.added_together += 1;
            }
            Some((_, first)) => {
                let message = format!("The same figure is given again (first at {})", first.to_lowercase());
                note(&mut out, &place, message);
            }
            None => {
                seen.insert(observation.key(), (out.observations.len(), place.clone()));
                out.observations.push(observation);
            }
        }
        true
    })?;
    if !found_header {
        return Err(Refused::NoHeader { table: dataset_table(dataset), columns: needed_headings(&layout) });
    }
    if out.rows_read == 0 {
        return Err(Refused::Empty);
    }
    Ok(out)
}

fn dataset_table(dataset: Dataset) -> &'static str {
    match dataset {
        Dataset::FireIncidents => "FIRE0102 (a sheet called Data)",
        Dataset::FireResponse => "FIRE1001 (a sheet called Data)",
        Dataset::FirePrevention => "the prevention and protection tables (a sheet called Data)",
        other => other.name(),
    }
}

#[cfg(test)]
mod tests;
