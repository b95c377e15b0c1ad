//! Reading spreadsheets people upload: CSV, XLSX and ODS (calamine), sheet by sheet, row by row,
//! each row with its number as the spreadsheet shows it, so a problem can be named by row. Every
//! import in Commissioner reads through here; what the columns mean is the importer's business.

use calamine::Reader;

/// Why a file cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Unreadable {
    #[error("The file must be a CSV, XLSX or ODS spreadsheet")]
    NotASpreadsheet,
    #[error("The file could not be read as a spreadsheet: {0}")]
    Damaged(String),
    #[error("The file has more than {0} rows: split it into smaller files")]
    TooManyRows(String),
}

/// The upload types a spreadsheet import accepts: CSV, XLSX and ODS.
pub const UPLOAD_TYPES: &[crate::files::AllowedType] = &[
    crate::files::AllowedType { mime: "text/plain", extensions: &["csv", "txt"] },
    crate::files::AllowedType {
        mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        extensions: &["xlsx"],
    },
    crate::files::AllowedType { mime: "application/vnd.oasis.opendocument.spreadsheet", extensions: &["ods"] },
];

/// A spreadsheet's kind, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Csv,
    Workbook,
}

impl Kind {
    pub fn of(file_name: &str) -> Option<Kind> {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".csv") || lower.ends_with(".txt") {
            Some(Kind::Csv)
        } else if lower.ends_with(".xlsx") || lower.ends_with(".ods") || lower.ends_with(".xls") {
            Some(Kind::Workbook)
        } else {
            None
        }
    }
}

/// A heading as people write it: lower case, letters and digits only, so "Financial Year",
/// "FINANCIAL_YEAR" and "financial year " are one heading.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// The text of a cell as a person reads it: whole numbers without ".0".
fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Visits every row of every sheet `wanted` accepts by name (a CSV is one sheet called ""), in
/// order, with the row's number counted from 1 at the top of its sheet. At most `max_rows` rows
/// are read in all; more is refused. `visit` returns false to stop reading the sheet.
pub fn visit_rows(
    bytes: &[u8],
    file_name: &str,
    max_rows: usize,
    wanted: impl Fn(&str) -> bool,
    mut visit: impl FnMut(&str, usize, &[String]) -> bool,
) -> Result<(), Unreadable> {
    let too_many = || Unreadable::TooManyRows(crate::format::count(max_rows as i64));
    let mut seen = 0usize;
    match Kind::of(file_name).ok_or(Unreadable::NotASpreadsheet)? {
        Kind::Csv => {
            let text = String::from_utf8_lossy(bytes);
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
            let mut cells: Vec<String> = Vec::new();
            for record in reader.records() {
                let record = record.map_err(|e| Unreadable::Damaged(e.to_string()))?;
                seen += 1;
                if seen > max_rows {
                    return Err(too_many());
                }
                cells.clear();
                cells.extend(record.iter().map(str::to_string));
                // Blank lines are skipped by the reader: the row keeps its line in the file.
                let line = record.position().map_or(seen, |p| p.line() as usize);
                if !visit("", line, &cells) {
                    break;
                }
            }
        }
        Kind::Workbook => {
            let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
                .map_err(|e| Unreadable::Damaged(e.to_string()))?;
            let names = book.sheet_names();
            for name in names.iter().filter(|n| wanted(n)) {
                let range = book.worksheet_range(name).map_err(|e| Unreadable::Damaged(e.to_string()))?;
                // Rows are numbered from the top of the sheet, even when the used range starts lower.
                let top = range.start().map(|(row, _)| row as usize).unwrap_or(0);
                let mut cells: Vec<String> = Vec::new();
                for (i, row) in range.rows().enumerate() {
                    seen += 1;
                    if seen > max_rows {
                        return Err(too_many());
                    }
                    cells.clear();
                    cells.extend(row.iter().map(cell_text));
                    if !visit(name, top + i + 1, &cells) {
                        break;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Every row of the first sheet `wanted` accepts (or the CSV), each at its row number (row n is
/// at index n − 1; blank rows are empty).
pub fn first_sheet(bytes: &[u8], file_name: &str, max_rows: usize) -> Result<Vec<Vec<String>>, Unreadable> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut sheet: Option<String> = None;
    visit_rows(
        bytes,
        file_name,
        max_rows,
        |_| true,
        |name, line, cells| {
            if sheet.get_or_insert_with(|| name.to_string()) != name {
                return false;
            }
            while rows.len() + 1 < line {
                rows.push(Vec::new());
            }
            rows.push(cells.to_vec());
            true
        },
    )?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_squash_alike() {
        assert_eq!(squash("Financial Year"), squash("FINANCIAL_YEAR"));
        assert_eq!(squash("Total (FTE)"), "totalfte");
    }

    #[test]
    fn a_csv_reads_past_its_byte_order_mark() {
        let rows = first_sheet(b"\xef\xbb\xbfa,b\n1,\"2,3\"\n", "x.csv", 10).expect("reads");
        assert_eq!(rows, vec![vec!["a".to_string(), "b".into()], vec!["1".into(), "2,3".into()]]);
    }

    #[test]
    fn too_many_rows_and_unknown_kinds_are_refused_with_reasons() {
        assert_eq!(first_sheet(b"1\n2\n3\n", "x.csv", 2), Err(Unreadable::TooManyRows("2".into())));
        assert_eq!(first_sheet(b"1", "x.pdf", 2), Err(Unreadable::NotASpreadsheet));
        assert!(matches!(first_sheet(b"not a zip", "x.xlsx", 2), Err(Unreadable::Damaged(_))));
    }
}
