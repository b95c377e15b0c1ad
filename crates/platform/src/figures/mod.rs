//! One way to publish a set of figures: a year picker, headline numbers, a chart of two series
//! side by side, and a table with its total row that is also the CSV download. Every service's
//! figures page is made of these, so they read, download and count alike.

use askama::Template;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::AppError;
use crate::periods::FinancialYear;
use crate::web::csv_field;

mod yearly;
pub use yearly::{
    Publication, SummaryFuture, YearOfFigures, YearSummary, YearSummaryFn, YearlyFigures, routes as yearly_routes, summary,
};

/// One figure, shown in GOV.UK style on the page and plainly in the CSV.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Figure {
    Count(u32),
    /// A median, a mean or another measure; `None` when there was nothing to measure.
    Measure(Option<f64>),
    Percent(Option<f64>),
}

impl Figure {
    /// "1,234", "12.5", "50%", or "–" when there is no figure.
    pub fn shown(&self) -> String {
        match *self {
            Figure::Count(n) => crate::web::thousands(n as usize),
            Figure::Measure(v) => v.map_or_else(|| "–".into(), one_place),
            Figure::Percent(v) => v.map_or_else(|| "–".into(), |v| format!("{}%", one_place(v))),
        }
    }

    /// As a spreadsheet reads it: no separators or signs, empty when there is no figure.
    pub fn csv(&self) -> String {
        match *self {
            Figure::Count(n) => n.to_string(),
            Figure::Measure(v) | Figure::Percent(v) => v.map(|v| v.to_string()).unwrap_or_default(),
        }
    }
}

/// Whole numbers without a decimal point, others to one place.
fn one_place(value: f64) -> String {
    if value.fract() == 0.0 { format!("{value:.0}") } else { format!("{value:.1}") }
}

/// A column: its CSV name and its heading on the page; a column without a heading is in the
/// CSV only (detail too wide for the page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub key: String,
    pub heading: Option<String>,
}

impl Column {
    pub fn shown(key: &str, heading: &str) -> Column {
        Column { key: key.into(), heading: Some(heading.into()) }
    }
    pub fn csv_only(key: impl Into<String>) -> Column {
        Column { key: key.into(), heading: None }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub label: String,
    pub figures: Vec<Figure>,
}

/// A table of figures: rows named in the first column, numbers in the rest, then a total.
#[derive(Debug, Clone, Template)]
#[template(path = "figures/table.html")]
pub struct FiguresTable {
    pub caption: String,
    /// The first column: its CSV name and heading ("period", "Period").
    pub label_column: Column,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub total: Option<Row>,
}

/// A column and how to read its figure from one row's figures, kept together so that a heading
/// can never sit over another column's numbers.
pub struct Field<T> {
    pub key: &'static str,
    /// `None` for a column in the CSV only.
    pub heading: Option<&'static str>,
    pub figure: fn(&T) -> Figure,
}

impl FiguresTable {
    /// A table of `rows`, each named by `label`, with the `total` row named as given.
    pub fn of<T>(
        caption: &str,
        label_column: Column,
        fields: &[Field<T>],
        (rows, label): (&[T], fn(&T) -> String),
        total: Option<(String, &T)>,
    ) -> FiguresTable {
        let row = |name: String, item: &T| Row { label: name, figures: fields.iter().map(|f| (f.figure)(item)).collect() };
        FiguresTable {
            caption: caption.into(),
            label_column,
            columns: fields.iter().map(|f| Column { key: f.key.into(), heading: f.heading.map(Into::into) }).collect(),
            rows: rows.iter().map(|item| row(label(item), item)).collect(),
            total: total.map(|(name, item)| row(name, item)),
        }
    }

    /// The columns and figures shown on the page.
    fn on_page<'a>(&'a self, row: &'a Row) -> impl Iterator<Item = Figure> + 'a {
        self.columns.iter().zip(&row.figures).filter(|(c, _)| c.heading.is_some()).map(|(_, f)| *f)
    }
    fn headings(&self) -> Vec<&str> {
        self.columns.iter().filter_map(|c| c.heading.as_deref()).collect()
    }

    /// Every row and the total, after `fixed` columns that are the same on each row (such as the
    /// financial year). Text is quoted and cannot start a formula.
    pub fn to_csv(&self, fixed: &[(&str, String)]) -> String {
        let mut header: Vec<&str> = fixed.iter().map(|(key, _)| *key).collect();
        header.push(&self.label_column.key);
        header.extend(self.columns.iter().map(|c| c.key.as_str()));
        let mut out = header.join(",");
        out.push('\n');
        for row in self.rows.iter().chain(&self.total) {
            let mut fields: Vec<String> = fixed.iter().map(|(_, value)| csv_field(value)).collect();
            fields.push(csv_field(&row.label));
            fields.extend(row.figures.iter().map(Figure::csv));
            out.push_str(&fields.join(","));
            out.push('\n');
        }
        out
    }
}

/// A year's figures as JSON: the year and its dates, the rows under `rows_key`, and the total.
pub fn year_json(year: FinancialYear, rows_key: &str, rows: impl Serialize, total: impl Serialize) -> Result<Response, AppError> {
    let fault = |e: serde_json::Error| AppError::Internal(e.into());
    let mut body = serde_json::Map::new();
    body.insert("financial_year".into(), year.label().into());
    body.insert("starts".into(), format!("{}-04-01", year.0).into());
    body.insert("ends".into(), format!("{}-03-31", year.0 + 1).into());
    body.insert(rows_key.into(), serde_json::to_value(rows).map_err(fault)?);
    body.insert("total".into(), serde_json::to_value(total).map_err(fault)?);
    Ok(axum::Json(serde_json::Value::Object(body)).into_response())
}

/// The form that chooses which financial year the page shows.
#[derive(Debug, Template)]
#[template(path = "figures/year_picker.html")]
pub struct YearPicker<'a> {
    pub action: &'a str,
    pub years: &'a [FinancialYear],
    pub selected: FinancialYear,
    /// "Show figures", "Show statistics".
    pub button: &'a str,
}

/// Up to four numbers across the top of the page, each with what it counts.
#[derive(Debug, Clone, Template)]
#[template(path = "figures/headlines.html")]
pub struct Headlines(pub Vec<(Figure, &'static str)>);

/// A horizontal bar chart of two series per row (received and decided, in time and late), with
/// its heading, drawn by the chart kit. The same numbers are always in a table on the page.
#[derive(Debug, Template)]
#[template(path = "figures/paired_bars.html")]
pub struct PairedBars {
    pub heading: String,
    /// The chart's title for screen readers.
    pub title: String,
    /// Each series' name ("Received"), said in the chart's key.
    pub series: [&'static str; 2],
    pub bars: Vec<(String, u32, u32)>,
}

impl PairedBars {
    fn chart(&self) -> crate::charts::Chart {
        use crate::charts::{Bars, Body, Chart, Series};
        let series = |k: usize, name: &str| Series {
            name: name.to_string(),
            values: self.bars.iter().map(|(_, a, b)| Some(f64::from(if k == 0 { *a } else { *b }))).collect(),
        };
        Chart::new(
            self.title.clone(),
            format!(
                "A bar chart, two bars a row: {} and {}. The same numbers are in the table below.",
                self.series[0], self.series[1]
            ),
            Body::Bars(Bars {
                categories: self.bars.iter().map(|(label, _, _)| label.clone()).collect(),
                series: vec![series(0, self.series[0]), series(1, self.series[1])],
                stacked: false,
                unit: String::new(),
                places: 0,
                colours: Vec::new(),
            }),
        )
    }
    fn html(&self) -> String {
        self.chart().html("figures-chart")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> FiguresTable {
        FiguresTable {
            caption: "Figures by quarter".into(),
            label_column: Column::shown("period", "Period"),
            columns: vec![Column::shown("received", "Received"), Column::shown("median", "Median"), Column::csv_only("detail")],
            rows: vec![Row {
                label: "=April to June".into(),
                figures: vec![Figure::Count(12_345), Figure::Measure(Some(2.5)), Figure::Count(3)],
            }],
            total: Some(Row {
                label: "Whole year".into(),
                figures: vec![Figure::Count(12_345), Figure::Measure(None), Figure::Count(3)],
            }),
        }
    }

    #[test]
    fn figures_are_shown_in_gov_uk_style_and_written_plainly() {
        let cases = [
            (Figure::Count(1_234_567), "1,234,567", "1234567"),
            (Figure::Measure(Some(15.0)), "15", "15"),
            (Figure::Measure(Some(14.25)), "14.2", "14.25"),
            (Figure::Measure(None), "–", ""),
            (Figure::Percent(Some(50.0)), "50%", "50"),
            (Figure::Percent(None), "–", ""),
        ];
        for (figure, shown, csv) in cases {
            assert_eq!((figure.shown().as_str(), figure.csv().as_str()), (shown, csv), "{figure:?}");
        }
    }

    #[test]
    fn the_csv_has_every_column_and_the_page_only_those_with_headings() {
        let csv = table().to_csv(&[("financial_year", "April 2026 to March 2027".into())]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "financial_year,period,received,median,detail");
        assert_eq!(lines[1], "\"April 2026 to March 2027\",\"'=April to June\",12345,2.5,3", "formulas defused");
        assert_eq!(lines[2], "\"April 2026 to March 2027\",\"Whole year\",12345,,3");
        let html = table().render().expect("table");
        assert!(html.contains(">12,345<") && html.contains(">2.5<") && html.contains(">–<"));
        assert!(!html.contains(">3<"), "the CSV-only column is not on the page");
        assert_eq!(html.matches("scope=\"col\"").count(), 3, "period, received, median");
    }

    #[test]
    fn bars_are_drawn_by_the_chart_kit_and_an_empty_chart_draws_nothing() {
        let chart = PairedBars {
            heading: "Received and decided".into(),
            title: "Received and decided by quarter".into(),
            series: ["Received", "Decided"],
            bars: vec![("Q1".into(), 10, 5), ("Q2".into(), 2_000, 0)],
        };
        let html = chart.render().expect("chart");
        assert!(html.contains("<title id=\"figures-chart-wide-title\">Received and decided by quarter</title>"));
        assert!(html.contains(">2,000</text>") && html.contains(">Decided (hatched)</text>"), "{html}");
        let empty = PairedBars { bars: Vec::new(), ..chart };
        assert!(!empty.render().expect("chart").contains("<svg"));
    }
}
