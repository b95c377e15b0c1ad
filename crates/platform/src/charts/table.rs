//! The table of numbers every chart sits beside, and every document's tables: a caption, column
//! headings, one row a thing with its name as the row's header, each cell a [`Value`] shown as
//! GOV.UK writes it and downloaded as its machine value.

use std::fmt::Write as _;

use serde::Serialize;

use super::svg::escape;
use crate::format::Value;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Column {
    pub label: String,
    pub numeric: bool,
}

impl Column {
    pub fn text(label: impl Into<String>) -> Column {
        Column { label: label.into(), numeric: false }
    }
    pub fn number(label: impl Into<String>) -> Column {
        Column { label: label.into(), numeric: true }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    pub caption: String,
    pub columns: Vec<Column>,
    /// Each row's first value is its header.
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    /// The table as a GOV.UK table in a region that scrolls on its own on a narrow screen.
    pub fn html(&self, id: &str) -> String {
        let id = escape(id);
        let mut out = format!(
            "<div class=\"app-table-scroll\" role=\"region\" aria-labelledby=\"{id}-caption\" tabindex=\"0\"><table class=\"govuk-table\">\
             <caption id=\"{id}-caption\" class=\"govuk-table__caption govuk-table__caption--s\">{}</caption>\
             <thead class=\"govuk-table__head\"><tr class=\"govuk-table__row\">",
            escape(&self.caption)
        );
        for column in &self.columns {
            let numeric = if column.numeric { " govuk-table__header--numeric" } else { "" };
            let _ = write!(out, "<th scope=\"col\" class=\"govuk-table__header{numeric}\">{}</th>", escape(&column.label));
        }
        out.push_str("</tr></thead><tbody class=\"govuk-table__body\">");
        for row in &self.rows {
            out.push_str("<tr class=\"govuk-table__row\">");
            for (i, value) in row.iter().enumerate() {
                let numeric = self.columns.get(i).is_some_and(|c| c.numeric);
                if i == 0 {
                    let _ = write!(out, "<th scope=\"row\" class=\"govuk-table__header\">{}</th>", escape(&value.display()));
                } else {
                    let class = if numeric { "govuk-table__cell govuk-table__cell--numeric" } else { "govuk-table__cell" };
                    let _ = write!(out, "<td class=\"{class}\">{}</td>", escape(&value.display()));
                }
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>");
        out
    }

    /// Header row then rows, machine values, spreadsheet-safe text.
    pub fn csv_rows(&self) -> Vec<Vec<String>> {
        std::iter::once(self.columns.iter().map(|c| c.label.clone()).collect())
            .chain(self.rows.iter().map(|row| {
                row.iter()
                    .map(|v| match v {
                        Value::Text(text) => crate::web::defused(text),
                        other => other.machine(),
                    })
                    .collect()
            }))
            .collect()
    }
}
