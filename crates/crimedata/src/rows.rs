//! One row of a police.uk file, checked. Pure, so it can be fuzzed: every way a row can be wrong
//! becomes a `RowError` with a message for the person importing, never a panic.

use crate::reference;

/// The columns that street and outcomes files share, in order: the crime and where it was.
const CRIME_AND_PLACE: [&str; 9] =
    ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code", "LSOA name"];

pub const STREET_HEADER: [&str; 12] = joined(CRIME_AND_PLACE, ["Crime type", "Last outcome category", "Context"]);

pub const OUTCOMES_HEADER: [&str; 10] = joined(CRIME_AND_PLACE, ["Outcome type"]);

/// Two lists of columns, one after the other.
const fn joined<const A: usize, const B: usize, const C: usize>(
    first: [&'static str; A],
    then: [&'static str; B],
) -> [&'static str; C] {
    assert!(A + B == C, "the joined header's length");
    let mut all = [""; C];
    let mut i = 0;
    while i < C {
        all[i] = if i < A { first[i] } else { then[i - A] };
        i += 1;
    }
    all
}

pub const STOP_AND_SEARCH_HEADER: [&str; 15] = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Street,
    Outcomes,
    StopAndSearch,
}

impl FileKind {
    pub fn slug(self) -> &'static str {
        match self {
            FileKind::Street => "street",
            FileKind::Outcomes => "outcomes",
            FileKind::StopAndSearch => "stop-and-search",
        }
    }
}

/// Which kind of file a header belongs to. Headers must match exactly (a byte-order mark aside):
/// guessing column positions would count the wrong things.
pub fn recognise(header: &[&str]) -> Option<FileKind> {
    let cleaned: Vec<&str> =
        header.iter().enumerate().map(|(i, h)| if i == 0 { h.trim_start_matches('\u{feff}') } else { h }).collect();
    if cleaned == STREET_HEADER {
        Some(FileKind::Street)
    } else if cleaned == OUTCOMES_HEADER {
        Some(FileKind::Outcomes)
    } else if cleaned == STOP_AND_SEARCH_HEADER {
        Some(FileKind::StopAndSearch)
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowError {
    #[error("has {found} columns where {expected} were expected (a cut-off or damaged line?)")]
    Columns { found: usize, expected: usize },
    #[error("the month {0:?} is not a month like 2026-09")]
    Month(String),
    #[error("the date {0:?} is not a date and time like 2026-09-01T10:15:00+00:00")]
    Date(String),
    #[error("the crime type {0:?} is not one police.uk uses")]
    CrimeType(String),
    #[error("the outcome {0:?} is not one police.uk uses")]
    Outcome(String),
    #[error("the crime ID {0:?} is not 64 hexadecimal characters")]
    CrimeId(String),
    #[error("has a longitude or a latitude but not both")]
    HalfLocation,
    #[error("the coordinates {0:?}, {1:?} are not numbers")]
    Coordinates(String, String),
    #[error("the coordinates {0}, {1} are outside the United Kingdom")]
    OutsideUk(f64, f64),
    #[error("the LSOA code {0:?} is not an English or Welsh LSOA code like E01012345")]
    Lsoa(String),
    #[error("is not UTF-8 text")]
    NotUtf8,
}

/// A month, "YYYY-MM".
pub fn check_month(text: &str) -> Result<&str, RowError> {
    let bytes = text.as_bytes();
    let ok = bytes.len() == 7
        && bytes[4] == b'-'
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[5..].iter().all(u8::is_ascii_digit)
        && (1..=12).contains(&text[5..].parse::<u8>().unwrap_or(0))
        && (2008..=2100).contains(&text[..4].parse::<u16>().unwrap_or(0));
    if ok { Ok(text) } else { Err(RowError::Month(text.to_string())) }
}

/// Longitude and latitude, both empty (no location) or both within the UK.
pub fn check_location(longitude: &str, latitude: &str) -> Result<Option<(f64, f64)>, RowError> {
    match (longitude.trim(), latitude.trim()) {
        ("", "") => Ok(None),
        ("", _) | (_, "") => Err(RowError::HalfLocation),
        (lng, lat) => {
            let (Ok(x), Ok(y)) = (lng.parse::<f64>(), lat.parse::<f64>()) else {
                return Err(RowError::Coordinates(lng.to_string(), lat.to_string()));
            };
            // The UK's bounding box, generously: Scilly to Shetland, Northern Ireland to Lowestoft.
            if !(-8.8..=2.0).contains(&x) || !(49.8..=61.0).contains(&y) {
                return Err(RowError::OutsideUk(x, y));
            }
            Ok(Some((x, y)))
        }
    }
}

/// An LSOA code (2011 or 2021: the same shape) or nothing.
pub fn check_lsoa(code: &str) -> Result<Option<&str>, RowError> {
    let code = code.trim();
    if code.is_empty() {
        return Ok(None);
    }
    let b = code.as_bytes();
    if b.len() == 9 && (b[0] == b'E' || b[0] == b'W') && b[1] == b'0' && b[2] == b'1' && b[3..].iter().all(u8::is_ascii_digit) {
        Ok(Some(code))
    } else {
        Err(RowError::Lsoa(code.to_string()))
    }
}

fn check_crime_id(id: &str) -> Result<Option<&str>, RowError> {
    let id = id.trim();
    if id.is_empty() {
        return Ok(None);
    }
    if id.len() == 64 && id.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(Some(id))
    } else {
        Err(RowError::CrimeId(id.to_string()))
    }
}

fn expect(fields: &[&str], expected: usize) -> Result<(), RowError> {
    if fields.len() == expected { Ok(()) } else { Err(RowError::Columns { found: fields.len(), expected }) }
}

/// A street-level crime or ASB incident, borrowing from the line it was read from: a national
/// year is millions of rows, and copying each field would cost more than checking it.
#[derive(Debug, Clone, PartialEq)]
pub struct StreetRow<'a> {
    pub crime_id: Option<&'a str>,
    pub month: &'a str,
    pub location: Option<(f64, f64)>,
    pub lsoa: Option<&'a str>,
    pub crime_type: &'static str,
    pub outcome: Option<&'static str>,
}

pub fn parse_street<'a>(fields: &[&'a str]) -> Result<StreetRow<'a>, RowError> {
    expect(fields, STREET_HEADER.len())?;
    let crime_type = reference::crime_type_slug(fields[9]).ok_or_else(|| RowError::CrimeType(fields[9].to_string()))?;
    let outcome = match fields[10].trim() {
        "" => None,
        label => Some(reference::outcome_code(label).ok_or_else(|| RowError::Outcome(label.to_string()))?),
    };
    let location = check_location(fields[4], fields[5])?;
    Ok(StreetRow {
        crime_id: check_crime_id(fields[0])?,
        month: check_month(fields[1].trim())?,
        // A row without coordinates has no LSOA either, whatever the column says.
        lsoa: if location.is_some() { check_lsoa(fields[7])? } else { None },
        location,
        crime_type,
        outcome,
    })
}

/// An outcome recorded in a month for a crime (perhaps of an earlier month).
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeRow<'a> {
    pub crime_id: Option<&'a str>,
    pub month: &'a str,
    pub outcome: &'static str,
}

pub fn parse_outcome<'a>(fields: &[&'a str]) -> Result<OutcomeRow<'a>, RowError> {
    expect(fields, OUTCOMES_HEADER.len())?;
    check_location(fields[4], fields[5])?;
    let outcome = reference::outcome_code(fields[9]).ok_or_else(|| RowError::Outcome(fields[9].to_string()))?;
    Ok(OutcomeRow { crime_id: check_crime_id(fields[0])?, month: check_month(fields[1].trim())?, outcome })
}

/// A stop and search, reduced to what is reported.
#[derive(Debug, Clone, PartialEq)]
pub struct StopRow<'a> {
    /// The month in the United Kingdom when the search took place. police.uk writes the time in
    /// UTC but files searches by local month, so a search at 00:01 BST on 1 June is dated
    /// 23:01 on 31 May and belongs to June's file.
    pub month: String,
    pub object: &'a str,
    pub outcome: &'a str,
    /// "Outcome linked to object of search": `None` when the file leaves it empty.
    pub linked: Option<bool>,
    pub ethnicity: &'a str,
    pub location: Option<(f64, f64)>,
}

/// What a search of a vehicle alone is counted under for ethnicity: no person was searched, so
/// there is no ethnicity to state (police.uk leaves the column empty).
pub const VEHICLE_ONLY: &str = "Vehicle only (no person searched)";

/// The month in the United Kingdom at an instant written as police.uk writes it
/// (2019-05-31T23:01:00+00:00, or with another offset).
pub fn uk_month_of(date: &str) -> Result<String, RowError> {
    // Between the 2nd and the 27th no offset or summer hour can move a time into another
    // month: the text's own month is the answer without parsing the time (most rows).
    let day: Option<u8> = date.get(8..10).and_then(|d| d.parse().ok());
    if let (Some(day), Some(month)) = (day, date.get(..7))
        && (2..=27).contains(&day)
        && date.len() >= 19
        && date.as_bytes()[7] == b'-'
        && date.as_bytes()[10] == b'T'
    {
        return Ok(month.to_string());
    }
    let at = time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
        .map_err(|_| RowError::Date(date.to_string()))?;
    let local = platform::calendar::uk_local_date(at);
    Ok(format!("{:04}-{:02}", local.year(), u8::from(local.month())))
}

pub fn parse_stop<'a>(fields: &[&'a str]) -> Result<StopRow<'a>, RowError> {
    expect(fields, STOP_AND_SEARCH_HEADER.len())?;
    let date = fields[1].trim();
    // ISO 8601 with an offset, e.g. 2026-09-01T10:15:00+00:00.
    let month = uk_month_of(date)?;
    check_month(&month).map_err(|_| RowError::Date(date.to_string()))?;
    // Latitude comes before longitude in this file.
    let location = check_location(fields[5], fields[4])?;
    let linked = match fields[13].trim() {
        "True" | "true" => Some(true),
        "False" | "false" => Some(false),
        _ => None,
    };
    let tidy = |text: &'a str| match text.trim() {
        "" => "Not stated",
        text => text,
    };
    let ethnicity = match fields[9].trim() {
        "" if fields[0].trim().eq_ignore_ascii_case("Vehicle search") => VEHICLE_ONLY,
        _ => tidy(fields[9]),
    };
    Ok(StopRow { month, object: tidy(fields[11]), outcome: tidy(fields[12]), linked, ethnicity, location })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const ID: &str = "bac7e13b0b1be6f97804b9a59e7303d4b5b2f3e0a95e55f451c78fe104a1b88d";

    fn street<'a>(id: &'a str, lng: &'a str, lat: &'a str, lsoa: &'a str, kind: &'a str, outcome: &'a str) -> Vec<&'a str> {
        vec![
            id,
            "2016-07",
            "West Yorkshire Police",
            "West Yorkshire Police",
            lng,
            lat,
            "On or near Swithen Hill",
            lsoa,
            "Barnsley 005C",
            kind,
            outcome,
            "",
        ]
    }

    fn parse<'a>(fields: &[&'a str]) -> Result<StreetRow<'a>, RowError> {
        parse_street(fields)
    }

    #[test]
    fn real_rows_parse() {
        let asb = parse(&street("", "-1.550626", "53.597400", "E01007359", "Anti-social behaviour", "")).expect("asb");
        assert_eq!((asb.crime_id, asb.crime_type, asb.outcome), (None, "anti-social-behaviour", None));
        assert_eq!(asb.lsoa, Some("E01007359"));
        let crime =
            parse(&street(ID, "-1.67", "53.55", "E01007426", "Burglary", "Investigation complete; no suspect identified"))
                .expect("crime");
        assert_eq!((crime.crime_type, crime.outcome), ("burglary", Some("no-further-action")));
        let nowhere = parse(&street(ID, "", "", "", "Drugs", "Under investigation")).expect("no location");
        assert_eq!((nowhere.location, nowhere.lsoa), (None, None));
    }

    #[test]
    fn each_fault_is_named() {
        assert_eq!(parse(&street("", "-1.5", "", "", "Drugs", "")), Err(RowError::HalfLocation));
        assert_eq!(parse(&street("", "151.2", "-33.9", "E01007359", "Drugs", "")), Err(RowError::OutsideUk(151.2, -33.9)));
        assert_eq!(parse(&street("", "-1.5", "53.5", "E01007359", "Fraud", "")), Err(RowError::CrimeType("Fraud".into())));
        assert_eq!(parse(&street("", "-1.5", "53.5", "X123", "Drugs", "")), Err(RowError::Lsoa("X123".into())));
        assert_eq!(parse(&street("xyz", "-1.5", "53.5", "E01007359", "Drugs", "")), Err(RowError::CrimeId("xyz".into())));
        assert_eq!(parse(&street("", "-1.5", "53.5", "E01007359", "Drugs", "Let off")), Err(RowError::Outcome("Let off".into())));
        let mut short = street("", "-1.5", "53.5", "E01007359", "Drugs", "");
        short.truncate(7);
        assert_eq!(parse(&short), Err(RowError::Columns { found: 7, expected: 12 }));
        assert!(check_month("2026-13").is_err() && check_month("26-01").is_err() && check_month("2026-09").is_ok());
        assert_eq!(RowError::OutsideUk(151.2, -33.9).to_string(), "the coordinates 151.2, -33.9 are outside the United Kingdom");
    }

    #[test]
    fn headers_are_recognised_only_when_exact() {
        assert_eq!(recognise(&STREET_HEADER), Some(FileKind::Street));
        let mut bom = STREET_HEADER.to_vec();
        bom[0] = "\u{feff}Crime ID";
        assert_eq!(recognise(&bom), Some(FileKind::Street));
        assert_eq!(recognise(&STOP_AND_SEARCH_HEADER), Some(FileKind::StopAndSearch));
        let mut swapped = STREET_HEADER.to_vec();
        swapped.swap(4, 5);
        assert_eq!(recognise(&swapped), None);
    }

    #[test]
    fn stop_and_search_rows_parse() {
        let fields = [
            "Person search",
            "2026-09-01T10:15:00+00:00",
            "False",
            "",
            "52.8",
            "-2.1",
            "Male",
            "18-24",
            "White - English/Welsh/Scottish/Northern Irish/British",
            "White",
            "Misuse of Drugs Act 1971 (section 23)",
            "Controlled drugs",
            "A no further action disposal",
            "False",
            "False",
        ];
        let row = parse_stop(&fields).expect("row");
        assert_eq!((row.month.as_str(), row.linked, row.ethnicity), ("2026-09", Some(false), "White"));
        assert_eq!(row.location, Some((-2.1, 52.8)));
        let mut vehicle = fields;
        vehicle[9] = "";
        vehicle[13] = "";
        let row = parse_stop(&vehicle).expect("vehicle");
        assert_eq!((row.linked, row.ethnicity), (None, "Not stated"), "a person search without an ethnicity");
        vehicle[0] = "Vehicle search";
        let row = parse_stop(&vehicle).expect("vehicle");
        assert_eq!(row.ethnicity, VEHICLE_ONLY, "a vehicle alone has no ethnicity to state");
        // Real rows of the June 2019 Greater Manchester file: UTC times on 31 May, 1 June in BST.
        vehicle[1] = "2019-05-31T23:01:00+00:00";
        assert_eq!(parse_stop(&vehicle).expect("row").month, "2019-06");
        vehicle[1] = "2019-05-31T22:59:00+00:00";
        assert_eq!(parse_stop(&vehicle).expect("row").month, "2019-05");
        vehicle[1] = "2019-01-31T23:30:00+00:00";
        assert_eq!(parse_stop(&vehicle).expect("row").month, "2019-01", "GMT in winter");
        vehicle[1] = "2019-01-15T23:30:00+00:00";
        assert_eq!(parse_stop(&vehicle).expect("row").month, "2019-01");
        vehicle[1] = "2019-01-15 and more";
        assert_eq!(parse_stop(&vehicle), Err(RowError::Date("2019-01-15 and more".into())), "still a date and time");
        vehicle[1] = "yesterday";
        assert_eq!(parse_stop(&vehicle), Err(RowError::Date("yesterday".into())));
    }

    proptest! {
        /// The shortcut for mid-month days gives the month a full parse in UK time gives.
        #[test]
        fn the_uk_month_of_any_instant_is_its_local_month(
            seconds in 1_230_768_000i64..2_000_000_000,
            offset_hours in -12i8..=12,
        ) {
            let at = time::OffsetDateTime::from_unix_timestamp(seconds).expect("instant")
                .to_offset(time::UtcOffset::from_hms(offset_hours, 0, 0).expect("offset"));
            let text = at.format(&time::format_description::well_known::Rfc3339).expect("text");
            let local = platform::calendar::uk_local_date(at);
            prop_assert_eq!(uk_month_of(&text).expect("month"), format!("{:04}-{:02}", local.year(), u8::from(local.month())));
        }

        #[test]
        fn no_row_makes_the_parsers_panic(fields in prop::collection::vec(".{0,80}", 0..16)) {
            let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
            let _ = parse_street(&refs);
            let _ = parse_outcome(&refs);
            let _ = parse_stop(&refs);
            let _ = recognise(&refs);
        }
    }
}
