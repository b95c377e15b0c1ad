//! Reading an action plan from a spreadsheet (CSV, XLSX or ODS) in the shape offices already
//! keep: Ref, Key deliverable, Actions, Responsible partner / lead, Outcome / impact measure,
//! S/M/L, RAG, Evidence / progress update, with a Theme (or Priority) column saying where each
//! row belongs. Pure: bytes in, rows and problems by row out.

use serde::{Deserialize, Serialize};

use crate::model::{DeliveryStatus, Horizon};

/// The most rows one file may hold: an action plan has tens to hundreds.
pub const MAX_ROWS: usize = 5_000;
/// The longest text a cell may hold.
pub const MAX_CELL_CHARS: usize = 4_000;

/// One action as read from a row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportRow {
    /// The row's number in the spreadsheet, counting from 1 at the top of the sheet.
    pub line: usize,
    pub theme: String,
    /// The commitment the row delivers; the key deliverable when the file has no such column.
    pub commitment: String,
    pub reference: String,
    pub key_deliverable: String,
    pub actions: String,
    pub lead: String,
    pub outcome_measure: String,
    pub horizon: String,
    pub status: String,
    pub carried_forward: bool,
    pub evidence: String,
}

impl ImportRow {
    pub fn horizon(&self) -> Horizon {
        Horizon::from_slug(&self.horizon).unwrap_or(Horizon::Medium)
    }
    pub fn status(&self) -> DeliveryStatus {
        DeliveryStatus::from_slug(&self.status).unwrap_or(DeliveryStatus::NotImplemented)
    }
}

/// A row that cannot be taken, and why, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub line: usize,
    pub message: String,
}

/// What a file held.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReadPlan {
    pub rows: Vec<ImportRow>,
    pub problems: Vec<RowProblem>,
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileRefused {
    #[error("The file must be a CSV, XLSX or ODS spreadsheet")]
    NotASpreadsheet,
    #[error("The file could not be read as a spreadsheet: {0}")]
    Unreadable(String),
    #[error("The file has no header row: it needs columns called Ref, Key deliverable, Actions, S/M/L and RAG")]
    NoHeader,
    #[error("The file has no column called {0}")]
    MissingColumn(&'static str),
    #[error("The file has more than 5,000 rows: split it into smaller files")]
    TooManyRows,
    #[error("The file has no actions in it")]
    Empty,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Theme,
    Commitment,
    Reference,
    KeyDeliverable,
    Actions,
    Lead,
    Outcome,
    Horizon,
    Status,
    CarriedForward,
    Evidence,
}

use platform::spreadsheet::squash;

fn column_of(heading: &str) -> Option<Column> {
    Some(match squash(heading).as_str() {
        "theme" | "priority" | "strategicpriority" | "strategictheme" => Column::Theme,
        "commitment" | "iwill" | "pledge" => Column::Commitment,
        "ref" | "reference" | "refno" => Column::Reference,
        "keydeliverable" | "deliverable" => Column::KeyDeliverable,
        "actions" | "action" => Column::Actions,
        "responsiblepartnerlead" | "responsiblepartner" | "lead" | "partnerlead" | "responsiblelead" => Column::Lead,
        "outcomeimpactmeasure" | "outcomemeasure" | "impactmeasure" | "outcome" => Column::Outcome,
        "sml" | "horizon" | "term" => Column::Horizon,
        "rag" | "status" | "ragstatus" | "currentstatus" => Column::Status,
        "cf" | "carriedforward" => Column::CarriedForward,
        "evidenceprogressupdate" | "evidenceprogress" | "evidence" | "progress" | "progressupdate" => Column::Evidence,
        _ => return None,
    })
}

const REQUIRED: [(Column, &str); 5] = [
    (Column::Reference, "Ref"),
    (Column::KeyDeliverable, "Key deliverable"),
    (Column::Actions, "Actions"),
    (Column::Horizon, "S/M/L"),
    (Column::Status, "RAG"),
];

/// Reads a spreadsheet's first sheet (or a CSV) as rows of text.
pub fn cells(bytes: &[u8], file_name: &str) -> Result<Vec<Vec<String>>, FileRefused> {
    use platform::spreadsheet::Unreadable;
    platform::spreadsheet::first_sheet(bytes, file_name, MAX_ROWS + 20).map_err(|e| match e {
        Unreadable::NotASpreadsheet => FileRefused::NotASpreadsheet,
        Unreadable::TooManyRows(_) => FileRefused::TooManyRows,
        Unreadable::Damaged(why) => FileRefused::Unreadable(why),
    })
}

/// Reads an action plan from rows of cells. `default_theme` names the priority for rows with no
/// theme (a plan with one priority needs no Theme column).
pub fn read(rows: &[Vec<String>], default_theme: Option<&str>) -> Result<ReadPlan, FileRefused> {
    // The header is the first row naming a Ref and an Actions column: offices put titles above it.
    let (header_at, columns) = rows
        .iter()
        .enumerate()
        .take(20)
        .map(|(i, row)| (i, row.iter().map(|h| column_of(h)).collect::<Vec<_>>()))
        .find(|(_, columns)| columns.contains(&Some(Column::Reference)) && columns.contains(&Some(Column::Actions)))
        .ok_or(FileRefused::NoHeader)?;
    for (column, name) in REQUIRED {
        if !columns.contains(&Some(column)) {
            return Err(FileRefused::MissingColumn(name));
        }
    }
    let has_theme = columns.contains(&Some(Column::Theme));
    let mut read = ReadPlan::default();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, row) in rows.iter().enumerate().skip(header_at + 1) {
        let line = index + 1;
        let get = |wanted: Column| -> String {
            columns
                .iter()
                .position(|c| *c == Some(wanted))
                .and_then(|i| row.get(i))
                .map(|text| text.trim().replace("\r\n", "\n"))
                .unwrap_or_default()
        };
        if row.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let mut problems = Vec::new();
        let reference = get(Column::Reference);
        let key_deliverable = get(Column::KeyDeliverable);
        let actions = get(Column::Actions);
        let horizon_text = get(Column::Horizon);
        let status_text = get(Column::Status);
        let mut theme = get(Column::Theme);
        if theme.is_empty() {
            theme = default_theme.unwrap_or_default().to_string();
        }
        if reference.is_empty() {
            problems.push("Enter the action’s reference in the Ref column".to_string());
        } else if reference.chars().count() > 20 {
            problems.push("The reference must be 20 characters or fewer".to_string());
        } else if let Some((_, first)) = seen.iter().find(|(r, _)| r.eq_ignore_ascii_case(&reference)) {
            problems.push(format!("Reference {reference} is used already, on row {first}: each action needs its own"));
        }
        if key_deliverable.is_empty() {
            problems.push("Enter the key deliverable".to_string());
        }
        if actions.is_empty() {
            problems.push("Enter the actions".to_string());
        }
        if theme.is_empty() {
            problems.push(if has_theme {
                "Enter the theme or priority the action belongs to".to_string()
            } else {
                "Add a Theme column saying which priority each action belongs to".to_string()
            });
        }
        // "M c/f": the plan writes carried forward beside the horizon.
        let carried_in_horizon = squash(&horizon_text).ends_with("cf");
        let horizon_only: String = horizon_text.replace("c/f", "").replace("C/F", "").trim().to_string();
        let horizon = Horizon::parse(&horizon_only);
        if horizon.is_none() {
            problems.push(if horizon_text.is_empty() {
                "Enter S, M or L for short, medium or long term".to_string()
            } else {
                format!("S/M/L must be S, M or L, not “{horizon_text}”")
            });
        }
        let status = DeliveryStatus::parse(&status_text);
        if status.is_none() {
            problems.push(if status_text.is_empty() {
                "Enter the RAG status: R, A, G or W".to_string()
            } else {
                format!("RAG must be R (not implemented), A (being implemented), G (implemented) or W (superseded), not “{status_text}”")
            });
        }
        let carried = get(Column::CarriedForward);
        let carried_forward =
            carried_in_horizon || matches!(squash(&carried).as_str(), "y" | "yes" | "cf" | "true" | "carriedforward");
        let texts = [&theme, &key_deliverable, &actions, &get(Column::Lead), &get(Column::Outcome), &get(Column::Evidence)];
        if texts.iter().any(|t| t.chars().count() > MAX_CELL_CHARS) {
            problems.push("A cell is longer than 4,000 characters: shorten it".to_string());
        }
        if !reference.is_empty() {
            seen.push((reference.clone(), line));
        }
        if problems.is_empty() {
            let commitment = match get(Column::Commitment) {
                c if c.is_empty() => key_deliverable.clone(),
                c => c,
            };
            read.rows.push(ImportRow {
                line,
                theme,
                commitment,
                reference,
                key_deliverable,
                actions,
                lead: get(Column::Lead),
                outcome_measure: get(Column::Outcome),
                horizon: horizon.map(Horizon::slug).unwrap_or_default().to_string(),
                status: status.map(DeliveryStatus::slug).unwrap_or_default().to_string(),
                carried_forward,
                evidence: get(Column::Evidence),
            });
        } else {
            read.problems.extend(problems.into_iter().map(|message| RowProblem { line, message }));
        }
        if read.rows.len() + read.problems.len() > MAX_ROWS {
            return Err(FileRefused::TooManyRows);
        }
    }
    if read.rows.is_empty() && read.problems.is_empty() {
        return Err(FileRefused::Empty);
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn csv(text: &str) -> Vec<Vec<String>> {
        cells(text.as_bytes(), "plan.csv").expect("csv")
    }

    const HEADER: &str = "Theme,Ref,Key deliverable,Actions,Responsible partner / lead,Outcome / impact measure,S/M/L,RAG,Evidence / progress update\n";

    #[test]
    fn a_good_file_reads_every_row_with_its_line() {
        let text = format!(
            "Reducing reoffending action plan\n\n{HEADER}Prevention,1,Family support,Work with councils,Stoke-on-Trent City Council,Plans reflect needs,M c/f,A,Training given\nDiversion,2,Out of court,Review disposals,Staffordshire Police,Fewer first-time entrants,S,G,\n"
        );
        let read = read(&csv(&text), None).expect("read");
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        assert_eq!(read.rows.len(), 2);
        let first = &read.rows[0];
        assert_eq!((first.line, first.reference.as_str(), first.theme.as_str()), (4, "1", "Prevention"));
        assert_eq!(
            (first.horizon(), first.status(), first.carried_forward),
            (Horizon::Medium, DeliveryStatus::BeingImplemented, true)
        );
        assert_eq!(first.commitment, "Family support", "the key deliverable stands for the commitment");
        assert_eq!(read.rows[1].status(), DeliveryStatus::Implemented);
        assert!(!read.rows[1].carried_forward);
    }

    #[test]
    fn bad_rows_are_named_by_line_and_good_rows_still_read() {
        let text = format!(
            "{HEADER}Prevention,1,Family support,Work with councils,,,M,A,\nPrevention,1,Again,Duplicate ref,,,S,G,\n,3,,Nothing else,,,Q,Purple,\nPrevention,4,Fine,Fine,,,L,W,\n"
        );
        let read = read(&csv(&text), None).expect("read");
        assert_eq!(read.rows.iter().map(|r| r.reference.as_str()).collect::<Vec<_>>(), ["1", "4"]);
        let on = |line: usize| read.problems.iter().filter(|p| p.line == line).map(|p| p.message.clone()).collect::<Vec<_>>();
        assert_eq!(on(3), ["Reference 1 is used already, on row 2: each action needs its own"]);
        let row4 = on(4);
        assert!(row4.contains(&"Enter the key deliverable".to_string()), "{row4:?}");
        assert!(row4.contains(&"Enter the theme or priority the action belongs to".to_string()), "{row4:?}");
        assert!(row4.iter().any(|m| m.contains("not “Q”")), "{row4:?}");
        assert!(row4.iter().any(|m| m.contains("not “Purple”")), "{row4:?}");
    }

    #[test]
    fn whole_files_are_refused_with_a_reason() {
        assert_eq!(read(&csv("Name,Address\nA,B\n"), None), Err(FileRefused::NoHeader));
        assert_eq!(read(&csv("Ref,Actions,RAG\n1,x,G\n"), None), Err(FileRefused::MissingColumn("Key deliverable")));
        assert_eq!(read(&csv(HEADER), None), Err(FileRefused::Empty));
        assert_eq!(cells(b"%PDF-1.7", "plan.pdf"), Err(FileRefused::NotASpreadsheet));
        assert!(matches!(cells(b"not a zip", "plan.xlsx"), Err(FileRefused::Unreadable(_))));
    }

    proptest::proptest! {
        /// Any bytes, named as any kind of file, get an answer: rows and problems, or a refusal.
        #[test]
        fn any_bytes_are_answered_never_a_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..3000), kind in 0usize..3) {
            let name = ["plan.csv", "plan.xlsx", "plan.ods"][kind];
            let _ = cells(&bytes, name).and_then(|rows| read(&rows, Some("Theme")));
        }

        /// Every row of a file with a header is accounted for: imported, or named with a problem.
        #[test]
        fn every_row_is_taken_or_named(rows in proptest::collection::vec(proptest::collection::vec("[A-Za-z ,\"/c]{0,6}", 9), 1..40)) {
            let mut text = String::from(HEADER);
            for row in &rows {
                let cells: Vec<String> = row.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
                text.push_str(&cells.join(","));
                text.push('\n');
            }
            if let Ok(read) = read(&csv(&text), None) {
                let blank = rows.iter().filter(|r| r.iter().all(|c| c.trim().is_empty())).count();
                let mut lines: Vec<usize> = read.rows.iter().map(|r| r.line).chain(read.problems.iter().map(|p| p.line)).collect();
                lines.sort_unstable();
                lines.dedup();
                proptest::prop_assert_eq!(lines.len(), rows.len() - blank);
            }
        }
    }

    #[test]
    fn a_file_without_themes_takes_the_plans_only_priority() {
        let text = "Ref,Key deliverable,Actions,S/M/L,RAG\n1,A,B,S,R\n";
        let read = read(&csv(text), Some("Keeping people safe")).expect("read");
        assert_eq!(read.rows[0].theme, "Keeping people safe");
        assert_eq!(read.rows[0].status(), DeliveryStatus::NotImplemented);
    }
}
