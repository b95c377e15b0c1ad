//! A service's figures for a financial year, published the same way by every service: the page
//! (year picker, headlines, chart, table and what to read them with), the table as CSV and the
//! figures as JSON, all from one [`YearlyFigures`]. A service describes its figures; it writes no
//! handler.

use std::future::Future;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;
use time::OffsetDateTime;

use super::{FiguresTable, Headlines, PairedBars, YearPicker, year_json};
use crate::access::{Access, Routes};
use crate::periods::{FinancialYear, YearQuery, years_offered};
use crate::web::{PageRequest, csv_download, render};
use crate::{AppError, Chrome, Platform, calendar};

/// Where a service's figures are published and what the page says around them.
#[derive(Debug, Clone, Copy)]
pub struct Publication {
    /// The page; its CSV and JSON are this with `.csv` and `.json`.
    pub page: &'static str,
    /// The service's name, over the heading and in the title.
    pub name: &'static str,
    /// What the JSON calls the rows: "quarters", "review_bodies".
    pub rows_key: &'static str,
    /// The first year offered: the year the duty began.
    pub first_year: i32,
    /// What the figures count and how, above them.
    pub about: &'static str,
    /// What to read them with, below them.
    pub caveats: &'static str,
}

/// A year's rows (quarters, review bodies), its total, and the year of the earliest record.
#[derive(Debug, Clone)]
pub struct YearOfFigures<R> {
    pub rows: Vec<R>,
    pub total: R,
    pub earliest: Option<FinancialYear>,
}

/// A service's published figures.
pub trait YearlyFigures: Send + Sync + 'static {
    /// One row of the table, and the year's total; the JSON is these serialised.
    type Row: Serialize + Send + Sync + 'static;
    const PUBLICATION: Publication;

    /// The figures for a year, counted from the records.
    fn year(platform: &Platform, year: FinancialYear) -> impl Future<Output = Result<YearOfFigures<Self::Row>, AppError>> + Send;
    /// The rows and the total as one table: the page's and the CSV's.
    fn table(rows: &[Self::Row], total: &Self::Row) -> FiguresTable;
    /// The few numbers across the top of the page.
    fn headlines(total: &Self::Row) -> Headlines;
    /// The chart, whose numbers are also in the table.
    fn chart(year: FinancialYear, rows: &[Self::Row]) -> PairedBars;
}

/// A service's figures for one year as another capability reads them (the annual report): what
/// they are, the table and the headline numbers. Services offer theirs through
/// `Capability::yearly_figures`; the reader never names a service.
#[derive(Debug, Clone)]
pub struct YearSummary {
    pub name: &'static str,
    /// Where the figures are published, if they are.
    pub page: Option<&'static str>,
    pub about: &'static str,
    pub caveats: &'static str,
    pub table: FiguresTable,
    pub headlines: Headlines,
}

/// A year's summary, worked out when asked.
pub type SummaryFuture<'a> = std::pin::Pin<Box<dyn Future<Output = Result<YearSummary, AppError>> + Send + 'a>>;
/// How a service gives its summary of a year.
pub type YearSummaryFn = for<'a> fn(&'a Platform, FinancialYear) -> SummaryFuture<'a>;

/// The summary of a service's published [`YearlyFigures`]: the same figures as its page.
pub fn summary<F: YearlyFigures>(platform: &Platform, year: FinancialYear) -> SummaryFuture<'_> {
    Box::pin(async move {
        let of = F::year(platform, year).await?;
        Ok(YearSummary {
            name: F::PUBLICATION.name,
            page: Some(F::PUBLICATION.page),
            about: F::PUBLICATION.about,
            caveats: F::PUBLICATION.caveats,
            table: F::table(&of.rows, &of.total),
            headlines: F::headlines(&of.total),
        })
    })
}

/// The page, the CSV and the JSON, open to everyone.
pub fn routes<F: YearlyFigures>() -> Routes {
    let page = F::PUBLICATION.page;
    Routes::new()
        .route(page, Access::Public, get(page_of::<F>))
        .route(format!("{page}.csv"), Access::Public, get(csv::<F>))
        .route(format!("{page}.json"), Access::Public, get(json::<F>))
}

async fn chosen<F: YearlyFigures>(
    platform: &Platform,
    query: &YearQuery,
) -> Result<(FinancialYear, YearOfFigures<F::Row>), AppError> {
    let today = calendar::uk_local_date(OffsetDateTime::now_utc());
    let year = query.year(F::PUBLICATION.first_year, today)?;
    Ok((year, F::year(platform, year).await?))
}

#[derive(Template)]
#[template(path = "figures/yearly.html")]
struct YearlyPage {
    chrome: Chrome,
    publication: Publication,
    year: FinancialYear,
    years: Vec<FinancialYear>,
    headlines: Headlines,
    chart: PairedBars,
    table: FiguresTable,
}

impl YearlyPage {
    fn picker(&self) -> YearPicker<'_> {
        YearPicker { action: self.publication.page, years: &self.years, selected: self.year, button: "Show figures" }
    }
}

async fn page_of<F: YearlyFigures>(
    PageRequest { platform, chrome }: PageRequest,
    Query(query): Query<YearQuery>,
) -> Result<Response, AppError> {
    let (year, figures) = chosen::<F>(&platform, &query).await?;
    let today = calendar::uk_local_date(OffsetDateTime::now_utc());
    render(&YearlyPage {
        chrome,
        publication: F::PUBLICATION,
        year,
        years: years_offered(figures.earliest, today),
        headlines: F::headlines(&figures.total),
        chart: F::chart(year, &figures.rows),
        table: F::table(&figures.rows, &figures.total),
    })
}

async fn csv<F: YearlyFigures>(State(platform): State<Platform>, Query(query): Query<YearQuery>) -> Result<Response, AppError> {
    let (year, figures) = chosen::<F>(&platform, &query).await?;
    let csv = F::table(&figures.rows, &figures.total).to_csv(&[("financial_year", year.label())]);
    Ok(csv_download(csv, &download_name(F::PUBLICATION.page, year)))
}

/// The CSV's file name, from the page's address and the year: `asb-case-review-statistics-2026.csv`.
fn download_name(page: &str, year: FinancialYear) -> String {
    format!("{}-{}.csv", page.trim_matches('/').replace('/', "-"), year.0)
}

async fn json<F: YearlyFigures>(State(platform): State<Platform>, Query(query): Query<YearQuery>) -> Result<Response, AppError> {
    let (year, figures) = chosen::<F>(&platform, &query).await?;
    year_json(year, F::PUBLICATION.rows_key, figures.rows, figures.total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_download_is_named_after_its_page_and_year() {
        assert_eq!(
            download_name("/police-complaint-review/figures", FinancialYear(2026)),
            "police-complaint-review-figures-2026.csv"
        );
    }
}
