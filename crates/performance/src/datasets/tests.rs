use std::collections::BTreeMap;
use std::io::Write as _;

use proptest::prelude::*;

use super::*;

/// The real 2017/18 table (reference/README.md says where it comes from).
fn real_prc_csv() -> Vec<u8> {
    crate::reference::prc_2017_18()
}

/// An ODS workbook as LibreOffice writes one: sheets of text and number cells.
pub(crate) fn ods(sheets: &[(&str, Vec<Vec<String>>)]) -> Vec<u8> {
    let mut body = String::new();
    for (name, rows) in sheets {
        body.push_str(&format!("<table:table table:name=\"{name}\">"));
        for row in rows {
            body.push_str("<table:table-row>");
            for cell in row {
                let escaped = cell.replace('&', "&amp;").replace('<', "&lt;");
                if cell.parse::<f64>().is_ok() {
                    body.push_str(&format!(
                        "<table:table-cell office:value-type=\"float\" office:value=\"{cell}\"><text:p>{escaped}</text:p></table:table-cell>"
                    ));
                } else {
                    body.push_str(&format!(
                        "<table:table-cell office:value-type=\"string\"><text:p>{escaped}</text:p></table:table-cell>"
                    ));
                }
            }
            body.push_str("</table:table-row>");
        }
        body.push_str("</table:table>");
    }
    let content = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content \
         xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
         xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" \
         xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">\
         <office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>"
    );
    let manifest = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest \
        xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\">\
        <manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/>\
        <manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>";
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).expect("zip");
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet").expect("zip");
        zip.start_file("content.xml", stored).expect("zip");
        zip.write_all(content.as_bytes()).expect("zip");
        zip.start_file("META-INF/manifest.xml", stored).expect("zip");
        zip.write_all(manifest.as_bytes()).expect("zip");
        zip.finish().expect("zip");
    }
    buffer.into_inner()
}

fn text_rows(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.expect("csv").iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn the_real_2017_18_table_reads_whole_with_its_non_territorial_bodies_set_aside() {
    let bytes = real_prc_csv();
    let read = read(Dataset::Prc, &bytes, "prc-pfa-2017-18.csv").expect("reads");
    assert!(read.problems.is_empty(), "{:?}", &read.problems[..read.problems.len().min(3)]);
    // Independently: the file's own rows summed by force name with a plain CSV reader.
    let mut by_name: BTreeMap<String, f64> = BTreeMap::new();
    let mut rows = 0;
    for record in csv::Reader::from_reader(bytes.as_slice()).records() {
        let record = record.expect("csv");
        *by_name.entry(record[2].to_string()).or_default() += record[7].parse::<f64>().expect("a count");
        rows += 1;
    }
    assert_eq!(read.rows_read, rows);
    let mut by_area: BTreeMap<&str, f64> = BTreeMap::new();
    for o in &read.observations {
        *by_area.entry(o.area.as_str()).or_default() += o.value;
    }
    assert_eq!(by_area.len(), 43, "every territorial force");
    assert_eq!(by_area["staffordshire"], by_name["Staffordshire"]);
    assert_eq!(by_area["city-of-london"], by_name["London, City of"]);
    assert_eq!(by_area["metropolitan"], by_name["Metropolitan Police"]);
    for body in ["Action Fraud", "British Transport Police", "CIFAS", "UK Finance"] {
        assert!(read.set_aside.contains_key(body), "{body} has no police force area: {:?}", read.set_aside.keys());
    }
    let taken: usize = read.observations.len() + read.added_together + read.set_aside.values().sum::<usize>();
    assert_eq!(taken, rows, "every row is a figure, added to one, or set aside: none lost");
    assert!(read.added_together > 0, "homicide's rows share a code and are added, as the table's totals add them");
    assert_eq!(read.periods(), Some(("2017-Q1".into(), "2017-Q4".into())));
}

#[test]
fn an_ods_with_a_sheet_a_year_and_notes_reads_every_years_sheet() {
    let header: Vec<String> = [
        "Financial Year",
        "Financial Quarter",
        "Force Name",
        "Offence Description",
        "Offence Group",
        "Offence Subgroup",
        "Offence Code",
        "Number of Offences",
    ]
    .map(String::from)
    .to_vec();
    let row = |year: &str, q: &str, force: &str, code: &str, n: &str| -> Vec<String> {
        [year, q, force, "Robbery of personal property", "Robbery", "Robbery of personal property", code, n]
            .map(String::from)
            .to_vec()
    };
    let bytes = ods(&[
        ("Notes", vec![vec!["These tables are published as official statistics".into()]]),
        (
            "2016-17",
            vec![
                vec!["Police recorded crime by force area".into()],
                header.clone(),
                row("2016/17", "4", "Staffordshire", "34B", "101"),
                row("2016/17", "4", "British Transport Police", "34B", "9"),
            ],
        ),
        (
            "2017-18",
            vec![
                header,
                row("2017/18", "1", "Staffordshire", "34B", "99"),
                row("2017/18", "5", "Staffordshire", "34B", "7"),
                row("2017/18", "1", "Staffordshire", "34B", "98"),
                row("2017/18", "2", "Atlantis", "34B", "1"),
                row("2017/18", "2", "Staffordshire", "34B", "lots"),
            ],
        ),
    ]);
    let read = read(Dataset::Prc, &bytes, "prc.ods").expect("reads");
    let figures: Vec<(&str, f64)> = read.observations.iter().map(|o| (o.period.as_str(), o.value)).collect();
    assert_eq!(figures, [("2016-Q4", 101.0), ("2017-Q1", 197.0)], "two rows of one offence in one quarter add up");
    assert_eq!(read.added_together, 1);
    let problems: Vec<(&str, &str)> = read.problems.iter().map(|p| (p.place.as_str(), p.message.as_str())).collect();
    assert_eq!(
        problems,
        [
            ("Sheet 2017-18, row 3", "“5” is not a quarter: use 1 to 4"),
            ("Sheet 2017-18, row 6", "“lots” in Number of Offences is not a number"),
        ]
    );
    // Atlantis names no police force area: set aside like British Transport Police, not lost.
    assert_eq!(read.set_aside.get("Atlantis"), Some(&1));
    assert_eq!(read.set_aside.get("British Transport Police"), Some(&1));
}

fn fire_workbook(sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).expect("name");
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell.parse::<f64>() {
                    Ok(n) => sheet.write_number(r, c, n).map(|_| ()),
                    Err(_) => sheet.write_string(r, c, *cell).map(|_| ()),
                }
                .expect("cell");
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn fire_incidents_come_from_the_data_sheet_with_groupings_set_aside_and_short_names_reconciled() {
    let bytes = fire_workbook(&[
        ("Cover", vec![vec!["Fire statistics data tables"]]),
        // The pivot sheet looks like data but must never be read.
        (
            "FIRE0102",
            vec![
                vec!["FINANCIAL_YEAR", "INCIDENT_TYPE", "FRS_NAME", "E_CODE", "TOTAL_INCIDENTS"],
                vec!["2023/24", "Fire", "Staffordshire", "", "999999"],
            ],
        ),
        (
            "Data",
            vec![
                vec!["FINANCIAL_YEAR", "INCIDENT_TYPE", "FRS_NAME", "E_CODE", "TOTAL_INCIDENTS"],
                vec!["2023/24", "Fire", "Staffordshire", "", "2818"],
                vec!["2023/24", "Fire", "Stoke-on-Trent and Staffordshire", "E31000033", "1"],
                vec!["2023/24", "False alarm", "Staffordshire", "E31000033", "5602"],
                vec!["2023/24", "Fire", "England", "E92000001", "161722"],
                vec!["2023/24", "Fire", "Predominantly Rural", "", "40000"],
                vec!["2023/24", "Fire", "Atlantis", "", "3"],
                vec!["2023/24", "Non-fire incident", "Durham", "", "3100"],
            ],
        ),
    ]);
    let read = read(Dataset::FireIncidents, &bytes, "fire-statistics-data-tables-fire0102-2025.xlsx").expect("reads");
    let figures: Vec<(&str, &str, f64)> =
        read.observations.iter().map(|o| (o.area.as_str(), o.category.as_str(), o.value)).collect();
    assert_eq!(
        figures,
        [("E31000033", "Fire", 2818.0), ("E31000033", "False alarm", 5602.0), ("E31000013", "Non-fire incident", 3100.0)]
    );
    assert_eq!(read.set_aside.keys().collect::<Vec<_>>(), ["England", "Predominantly Rural"]);
    let places: Vec<&str> = read.problems.iter().map(|p| p.place.as_str()).collect();
    assert_eq!(places, ["Sheet Data, row 3", "Sheet Data, row 7"], "{:?}", read.problems);
    assert!(read.problems[0].message.contains("same figure"), "Staffordshire by two names is one service");
    assert!(read.problems[1].message.contains("Atlantis"));
}

#[test]
fn response_times_read_as_minutes_from_day_fractions_and_clock_text() {
    let bytes = fire_workbook(&[(
        "Data",
        vec![
            vec![
                "FINANCIAL_YEAR",
                "FIRE_TYPE",
                "LOCATION_CATEGORY",
                "FRS_NAME",
                "E_CODE",
                "INCIDENTS",
                "TOTAL_RESPONSE_TIME",
                "CALL_HANDLING_TIME",
            ],
            // 0.00625 of a day is 9 minutes.
            vec![
                "2023/24",
                "Primary fires: dwellings",
                "Predominantly Rural",
                "Staffordshire",
                "E31000033",
                "400",
                "0.00625",
                "0.0009",
            ],
            vec![
                "2023/24",
                "Primary fires: other buildings",
                "Predominantly Rural",
                "Staffordshire",
                "E31000033",
                "200",
                "00:10:30",
                "0.0009",
            ],
            vec!["2023/24", "Primary fires: road vehicles", "Predominantly Rural", "Staffordshire", "E31000033", "0", "..", ".."],
            vec!["2023/24", "Primary fires: dwellings", "", "Predominantly Rural", "", "9000", "0.007", "0.001"],
        ],
    )]);
    let read = read(Dataset::FireResponse, &bytes, "fire1001.xlsx").expect("reads");
    assert!(read.problems.is_empty(), "{:?}", read.problems);
    let times: Vec<Option<f64>> = read.observations.iter().map(|o| o.second.map(|m| (m * 100.0).round() / 100.0)).collect();
    assert_eq!(times, [Some(9.0), Some(10.5), None]);
    assert_eq!(read.observations[0].group, "Predominantly Rural");
    assert_eq!(read.set_aside.get("Predominantly Rural"), Some(&1));
    assert_eq!(minutes("8:53").map(|m| (m * 60.0).round()), Some(533.0));
    assert_eq!(minutes("soon"), None);
}

#[test]
fn workforce_reads_fte_and_headcount_as_at_31_march() {
    let file = "As at 31 March,Geocode,Force name,Region,Sex,Rank,Worker type,Total (Headcount),Total (FTE)\n\
                2024,E23000035,Staffordshire,West Midlands,Female,Constable,Police officer,512,488.6\n\
                31 March 2024,E23000035,Staffordshire,West Midlands,Male,Constable,Police officer,\"1,020\",1006.2\n\
                2024,,British Transport Police,,Male,Constable,Police officer,1000,990\n\
                March,E23000035,Staffordshire,West Midlands,Male,Sergeant,Police officer,200,199\n";
    let read = read(Dataset::Workforce, file.as_bytes(), "workforce.csv").expect("reads");
    let figures: Vec<(&str, &str, f64, Option<f64>)> =
        read.observations.iter().map(|o| (o.period.as_str(), o.subgroup.as_str(), o.value, o.second)).collect();
    assert_eq!(figures, [("2023-FY", "Female", 488.6, Some(512.0)), ("2023-FY", "Male", 1006.2, Some(1020.0))]);
    assert_eq!(read.problems.len(), 1);
    assert_eq!(read.problems[0].place, "Row 5");
}

#[test]
fn whole_files_are_refused_with_a_reason() {
    let refused = read(Dataset::Prc, b"Force,Crimes\nStaffordshire,3\n", "x.csv").expect_err("no header");
    assert!(refused.to_string().contains("Financial Year"), "{refused}");
    assert!(refused.to_string().contains("Number of Offences"), "{refused}");
    let refused = read(Dataset::FireIncidents, &fire_workbook(&[("Summary", vec![vec!["FINANCIAL_YEAR"]])]), "x.xlsx")
        .expect_err("no Data sheet");
    assert!(refused.to_string().contains("a sheet called Data"), "{refused}");
    assert!(matches!(read(Dataset::Prc, b"x", "x.pdf"), Err(Refused::Unreadable(_))));
    let empty = text_rows("Financial Year,Financial Quarter,Force Name,Offence Group,Offence Code,Number of Offences");
    let csv_text = empty.iter().map(|r| r.join(",")).collect::<Vec<_>>().join("\n");
    assert_eq!(read(Dataset::Prc, csv_text.as_bytes(), "x.csv"), Err(Refused::Empty));
}

proptest! {
    /// Any bytes under any name are answered: figures, problems or a refusal, never a panic.
    #[test]
    fn any_file_is_answered(bytes in proptest::collection::vec(any::<u8>(), 0..2_000), kind in 0usize..3) {
        let name = ["x.csv", "x.xlsx", "x.ods"][kind];
        for dataset in Dataset::IMPORTED {
            let _ = read(dataset, &bytes, name);
        }
    }

    /// Every data row of a well-formed file is a figure, a problem or set aside.
    #[test]
    fn every_row_is_accounted_for(rows in proptest::collection::vec((0usize..4, 0u8..6, 0u32..1000), 1..60)) {
        let forces = ["Staffordshire", "Kent", "British Transport Police", ""];
        let mut text = String::from("Financial Year,Financial Quarter,Force Name,Offence Group,Offence Code,Number of Offences\n");
        for (i, (force, quarter, n)) in rows.iter().enumerate() {
            text.push_str(&format!("2020/21,{quarter},{},Robbery,C{i},{n}\n", forces[*force]));
        }
        let read = read(Dataset::Prc, text.as_bytes(), "x.csv").expect("reads");
        let accounted = read.observations.len() + read.added_together + read.problem_count() + read.set_aside.values().sum::<usize>();
        prop_assert_eq!(accounted, rows.len());
    }
}

#[test]
fn the_ods_helper_round_trips_through_calamine() {
    let bytes = ods(&[("S", vec![vec!["a".into(), "1".into()]])]);
    let rows = platform::spreadsheet::first_sheet(&bytes, "x.ods", 10).expect("reads");
    assert_eq!(rows, vec![vec!["a".to_string(), "1".into()]]);
}
