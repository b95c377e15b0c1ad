//! The office's statistics of information requests, per quarter of a financial year: received,
//! answered in time and late, still open past their due date, and answers by outcome and by
//! exemption cited. Worked out from the requests each time, so a calendar change re-judges them.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::calendar::{self, Nation, WorkingDayCalendar};
use platform::figures::{Column, Figure, FiguresTable, Headlines, PairedBars, Row, YearPicker};
use platform::web::{PageRequest, render};
use platform::{AppError, Chrome, Platform};
use serde::Serialize;
use time::{Date, OffsetDateTime};

use super::disclosure::{OUTCOMES, outcome_name};
use super::staff::HANDLERS;
use super::store::{self, EXEMPTIONS, InformationRequest};
use platform::periods::{FinancialYear, Quarter, YearQuery, years_offered};

pub fn routes() -> Routes {
    Routes::new().route("/staff/information-requests/statistics", Access::Roles(HANDLERS), get(page)).route(
        "/staff/information-requests/statistics.csv",
        Access::Roles(HANDLERS),
        get(csv),
    )
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statistics {
    pub period: String,
    pub received: u32,
    pub answered: u32,
    pub in_time: u32,
    pub late: u32,
    /// Still open on the day judged and past their due date.
    pub open_overdue: u32,
    /// Answers by outcome, in the order of `OUTCOMES`.
    pub by_outcome: Vec<(String, u32)>,
    /// Answers citing each exemption, in the order of `EXEMPTIONS`.
    pub by_exemption: Vec<(String, u32)>,
}

impl Statistics {
    /// The share of answers given in time, as a percentage; none when nothing was answered.
    pub fn in_time_percent(&self) -> Option<f64> {
        (self.answered > 0).then(|| f64::from(self.in_time) * 100.0 / f64::from(self.answered))
    }
}

/// The statistics of the requests received in a period (`within`), judged on `today`.
pub fn statistics(
    period: String,
    requests: &[InformationRequest],
    within: impl Fn(Date) -> bool,
    today: Date,
    foi: &WorkingDayCalendar,
    local: &WorkingDayCalendar,
) -> Statistics {
    let received: Vec<&InformationRequest> =
        requests.iter().filter(|r| platform::db::parse_date(&r.received_on).is_some_and(&within)).collect();
    let mut s = Statistics {
        period,
        received: received.len() as u32,
        answered: 0,
        in_time: 0,
        late: 0,
        open_overdue: 0,
        by_outcome: OUTCOMES.iter().map(|(slug, _)| (slug.to_string(), 0)).collect(),
        by_exemption: EXEMPTIONS.iter().map(|(code, _, _)| (code.to_string(), 0)).collect(),
    };
    for request in received {
        match request.answered_in_time(foi, local) {
            Some(in_time) => {
                s.answered += 1;
                if in_time {
                    s.in_time += 1
                } else {
                    s.late += 1
                }
                if let Some(count) = s.by_outcome.iter_mut().find(|(o, _)| Some(o.as_str()) == request.outcome.as_deref()) {
                    count.1 += 1;
                }
                for code in request.exemption_codes() {
                    if let Some(count) = s.by_exemption.iter_mut().find(|(c, _)| *c == code) {
                        count.1 += 1;
                    }
                }
            }
            None => {
                if request.due(foi, local).date().is_some_and(|due| due < today) {
                    s.open_overdue += 1;
                }
            }
        }
    }
    s
}

/// A year's four quarters and the year.
pub fn year_statistics(
    year: FinancialYear,
    requests: &[InformationRequest],
    today: Date,
    foi: &WorkingDayCalendar,
    local: &WorkingDayCalendar,
) -> Vec<Statistics> {
    let mut rows: Vec<Statistics> = (1..=4)
        .map(|number| {
            let quarter = Quarter { year, number };
            statistics(quarter.label(), requests, |d| quarter.contains(d), today, foi, local)
        })
        .collect();
    rows.push(statistics(year.label(), requests, |d| year.contains(d), today, foi, local));
    rows
}

async fn load(platform: &Platform, query: &YearQuery) -> Result<(FinancialYear, Vec<Statistics>, Vec<FinancialYear>), AppError> {
    let today = calendar::uk_local_date(OffsetDateTime::now_utc());
    // The Freedom of Information Act came into force on 1 January 2005.
    let year = query.year(2004, today)?;
    let first = Quarter { year, number: 1 }.first_day();
    let last = Quarter { year, number: 4 }.first_day() + time::Duration::days(92);
    let requests = store::received_between(platform.pool(), first, last).await?;
    let earliest: Option<String> =
        sqlx::query_scalar("SELECT MIN(received_on) FROM casework_information_request").fetch_one(platform.pool()).await?;
    let earliest = earliest.as_deref().and_then(platform::db::parse_date).map(FinancialYear::containing);
    let foi = calendar::store::freedom_of_information(platform.pool()).await?;
    let local = calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?;
    Ok((year, year_statistics(year, &requests, today, &foi, &local), years_offered(earliest, today)))
}

/// The numbers across the top of the page, from the year's row.
fn headlines(year_row: Option<&Statistics>) -> Headlines {
    let Some(year_row) = year_row else { return Headlines(Vec::new()) };
    Headlines(vec![
        (Figure::Count(year_row.received), "received"),
        (Figure::Count(year_row.answered), "answered"),
        (Figure::Percent(year_row.in_time_percent()), "answered in time"),
        (Figure::Count(year_row.open_overdue), "open past their due date"),
    ])
}

/// The year's figures for reports that gather every service's (the annual report): the table of
/// the statistics page and its headline numbers.
pub fn summary(platform: &Platform, year: FinancialYear) -> platform::figures::SummaryFuture<'_> {
    Box::pin(async move {
        let query = YearQuery { year: year.0.to_string() };
        let (_, rows, _) = load(platform, &query).await?;
        let headlines = headlines(rows.last());
        Ok(platform::figures::YearSummary {
            name: "Information requests",
            page: None,
            about: "Requests for information under the Freedom of Information Act and the Environmental Information Regulations, and subject access requests, received in the year: how many were answered, and how many within the time the law allows.",
            caveats: "A request counts in the quarter it was received. Working days leave out weekends and bank holidays anywhere in the UK. Requests still open are judged on the day these figures were made.",
            table: table(&rows),
            headlines,
        })
    })
}

/// The quarters and the year as one table; answers by outcome and by exemption are in the CSV
/// only (the page lists the year's in tables of their own).
pub fn table(rows: &[Statistics]) -> FiguresTable {
    let row = |s: &Statistics| {
        let mut figures = vec![
            Figure::Count(s.received),
            Figure::Count(s.answered),
            Figure::Count(s.in_time),
            Figure::Count(s.late),
            Figure::Percent(s.in_time_percent()),
            Figure::Count(s.open_overdue),
        ];
        figures.extend(s.by_outcome.iter().chain(&s.by_exemption).map(|(_, n)| Figure::Count(*n)));
        Row { label: s.period.clone(), figures }
    };
    let mut columns = vec![
        Column::shown("received", "Received"),
        Column::shown("answered", "Answered"),
        Column::shown("in_time", "In time"),
        Column::shown("late", "Late"),
        Column::shown("in_time_percent", "In time (%)"),
        Column::shown("open_overdue", "Open past due"),
    ];
    columns.extend(OUTCOMES.iter().map(|(slug, _)| Column::csv_only(format!("outcome_{slug}"))));
    columns.extend(EXEMPTIONS.iter().map(|(code, _, _)| Column::csv_only(format!("exemption_{code}"))));
    let (quarters, year) = rows.split_at(rows.len().saturating_sub(1));
    FiguresTable {
        caption: "Requests by quarter".into(),
        label_column: Column::shown("period", "Period"),
        columns,
        rows: quarters.iter().map(row).collect(),
        total: year.first().map(row),
    }
}

#[derive(Template)]
#[template(path = "information/statistics.html")]
struct StatisticsPage {
    chrome: Chrome,
    year: FinancialYear,
    year_row: Statistics,
    years: Vec<FinancialYear>,
    headlines: Headlines,
    chart: PairedBars,
    table: FiguresTable,
}

impl StatisticsPage {
    fn outcome(&self, slug: &str) -> String {
        outcome_name(slug).to_string()
    }
    fn picker(&self) -> YearPicker<'_> {
        let action = "/staff/information-requests/statistics";
        YearPicker { action, years: &self.years, selected: self.year, button: "Show statistics" }
    }
}

async fn page(PageRequest { platform, chrome }: PageRequest, Query(query): Query<YearQuery>) -> Result<Response, AppError> {
    let (year, rows, years) = load(&platform, &query).await?;
    let Some((year_row, quarters)) = rows.split_last() else { return Err(AppError::NotFound) };
    let headlines = headlines(Some(year_row));
    let chart = PairedBars {
        heading: "Answered in time and late, by quarter received".into(),
        title: format!("Requests answered in time and late by quarter, {}", year.label()),
        series: ["In time", "Late"],
        bars: quarters.iter().map(|s| (s.period.clone(), s.in_time, s.late)).collect(),
    };
    let table = table(&rows);
    let year_row = year_row.clone();
    render(&StatisticsPage { chrome, year, year_row, years, headlines, chart, table })
}

async fn csv(State(platform): State<Platform>, Query(query): Query<YearQuery>) -> Result<Response, AppError> {
    let (year, rows, _) = load(&platform, &query).await?;
    Ok(platform::web::csv_download(table(&rows).to_csv(&[]), &format!("information-requests-{}.csv", year.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn request(received_on: &str, responded_on: Option<&str>, outcome: Option<&str>, exemptions: &str) -> InformationRequest {
        InformationRequest {
            stage: super::store::Stage::Responded,
            outcome: outcome.map(str::to_string),
            exemptions: Some(exemptions.into()),
            responded_on: responded_on.map(str::to_string),
            ..InformationRequest::example(received_on)
        }
    }

    #[test]
    fn a_year_counts_each_request_in_the_quarter_it_arrived() {
        let foi = WorkingDayCalendar::freedom_of_information(Vec::new());
        let local = WorkingDayCalendar::for_nation(Nation::EnglandAndWales, Vec::new());
        let requests = [
            // Received Wednesday 1 April 2026: due Friday 1 May, Good Friday (3 April) and Easter
            // Monday (6 April) not counting; Tuesday 5 May (after the May bank holiday) is late.
            request("2026-04-01", Some("2026-05-01"), Some("disclosed"), ""),
            request("2026-04-01", Some("2026-05-05"), Some("refused"), "s.31,s.40(2)"),
            request("2026-05-11", None, None, ""),
            request("2026-10-01", Some("2026-10-02"), Some("part-disclosed"), "s.40(2)"),
            request("2026-03-31", Some("2026-04-01"), Some("not-held"), ""),
        ];
        let rows = year_statistics(FinancialYear(2026), &requests, date!(2026 - 11 - 24), &foi, &local);
        assert_eq!(rows.len(), 5);
        let q1 = &rows[0];
        assert_eq!((q1.received, q1.answered, q1.in_time, q1.late, q1.open_overdue), (3, 2, 1, 1, 1));
        assert_eq!(Figure::Percent(q1.in_time_percent()).shown(), "50%");
        assert_eq!(rows[1].received, 0);
        assert_eq!(Figure::Percent(rows[1].in_time_percent()).shown(), "–");
        let year = &rows[4];
        assert_eq!((year.received, year.answered), (4, 3), "the March request is last year's");
        let count = |list: &[(String, u32)], key: &str| list.iter().find(|(k, _)| k == key).map(|(_, n)| *n);
        assert_eq!(count(&year.by_outcome, "refused"), Some(1));
        assert_eq!(count(&year.by_outcome, "not-held"), Some(0));
        assert_eq!(count(&year.by_exemption, "s.40(2)"), Some(2));
        assert_eq!(count(&year.by_exemption, "s.31"), Some(1));
        let csv = table(&rows).to_csv(&[]);
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("period,received,answered,in_time,late,in_time_percent,open_overdue,outcome_disclosed"));
        assert!(lines[0].ends_with("exemption_s.43"));
        assert!(lines[1].starts_with("\"April to June 2026\",3,2,1,1,50,1,1,0,1,0"), "{}", lines[1]);
        assert_eq!(lines.len(), 6);
    }
}
