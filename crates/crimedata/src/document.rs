//! A district's crime figures as a document from the publishing kit: the page, a tagged PDF and
//! the CSV and JSON of every figure in it. The Panel's papers and the office's website take it as
//! it is; each figure carries the same caveats as the district page.

use platform::charts::{self, Body, Chart, Column, Table};
use platform::format::{self, Value};
use publishing::{Block, Document, Figure};
use time::Date;

use crate::hotspots::Hotspot;
use crate::measures::District;
use crate::pages::{AreaFigures, MonthlyChart};

/// The district's report as a document.
pub fn district_report(district: &District, figures: &AreaFigures, hotspots: &[Hotspot], office: &str, today: Date) -> Document {
    let report = &figures.report;
    let mut document = Document::new(format!("Crime and anti-social behaviour in {}", district.name), office, today);
    document.contents = true;
    let latest = report.latest_month.as_deref().map(format::month_of).unwrap_or_else(|| "no month yet".into());
    let mut opening = format!(
        "Crimes recorded in {} up to {latest}, the latest month police.uk has published: the latest 12 months hold {} of data and the 12 before hold {}.",
        district.name,
        months(report.months_latest),
        months(report.months_previous)
    );
    if district.population > 0 {
        opening.push_str(&format!(
            " About {} people live here, in {} neighbourhoods.",
            format::count(district.population),
            format::count(district.lsoas)
        ));
    }
    document.push(Block::Heading(2, "Summary".into())).push(Block::Paragraph(opening)).push(Block::Paragraph(format!(
        "{} crimes were recorded in the latest 12 months against {} in the 12 before: {}.",
        format::count(report.all_crime.latest as i64),
        format::count(report.all_crime.previous as i64),
        report.all_crime.verdict.trim_end_matches('.')
    )));
    document.push(Block::Heading(2, "This year against last".into()));
    let by_type = Table {
        caption: "Crimes by type, latest 12 months against the 12 before".into(),
        columns: vec![
            Column::text("Crime type"),
            Column::number("Latest 12 months"),
            Column::number("12 months before"),
            Column::number("A year per 1,000 residents"),
            Column::text("Change"),
        ],
        rows: report
            .rows
            .iter()
            .chain(std::iter::once(&report.all_crime))
            .map(|row| {
                vec![
                    Value::Text(row.name.clone()),
                    Value::Count(row.latest as i64),
                    Value::Count(row.previous as i64),
                    row.per_thousand.map_or(Value::Missing, |v| Value::Number(v, 1)),
                    Value::Text(row.verdict.clone()),
                ]
            })
            .collect(),
    };
    let bars = Chart::new(
        "Crimes by type, latest 12 months against the 12 before",
        format!("A bar chart of each crime type in {}, two bars each: the latest 12 months and the 12 before.", district.name),
        Body::Bars(charts::Bars {
            categories: report.rows.iter().map(|r| r.name.clone()).collect(),
            series: vec![
                charts::Series {
                    name: "Latest 12 months".into(),
                    values: report.rows.iter().map(|r| Some(r.latest as f64)).collect(),
                },
                charts::Series {
                    name: "12 months before".into(),
                    values: report.rows.iter().map(|r| Some(r.previous as f64)).collect(),
                },
            ],
            stacked: false,
            unit: "crimes".into(),
            places: 0,
            colours: Vec::new(),
        }),
    );
    document.push(Block::Figure(Box::new(Figure { chart: bars, table: by_type })));
    document.push(Block::Note(
        "A change is called real only when an exact test for counts shows it is unlikely to be chance at the 5% level, \
         comparing each month with the same month a year before. Smaller changes are the usual ups and downs."
            .into(),
    ));
    for chart in [&figures.crime_chart, &figures.asb_chart] {
        document.push(Block::Heading(2, chart.title.clone()));
        document.push(Block::Figure(Box::new(Figure { chart: chart.chart.clone(), table: monthly_table(chart) })));
    }
    document.push(Block::Note(
        "The charts are XmR control charts (NHS \"Making Data Count\"): a month outside the limits, or a run of months on one \
         side of the average or rising or falling, is marked as unusual. Months the force did not publish are gaps, not zeros."
            .into(),
    ));
    if !hotspots.is_empty() {
        document.push(Block::Heading(2, "Where crime is concentrated".into()));
        document.push(Block::Table(Table {
            caption: format!("The {} neighbourhoods with the most crimes in the latest 12 months", hotspots.len()),
            columns: vec![
                Column::text("Neighbourhood"),
                Column::number("Crimes"),
                Column::number("A year per 1,000 residents"),
                Column::text("Months among the busiest tenth"),
            ],
            rows: hotspots
                .iter()
                .map(|h| {
                    vec![
                        Value::Text(format!("{} ({})", h.name, h.code)),
                        Value::Count(h.crimes as i64),
                        h.per_thousand.map_or(Value::Missing, |v| Value::Number(v, 1)),
                        Value::Text(format!("{} of {}", h.months_in_top_tenth, h.months_held)),
                    ]
                })
                .collect(),
        }));
    }
    document.push(Block::Heading(2, "About these figures".into()));
    document.push(Block::List {
        ordered: false,
        items: vec![
            "Crimes are counted where police.uk places them; crimes with no location are in no area's figures.".into(),
            "Anti-social behaviour incidents are counted apart from crimes.".into(),
            format!(
                "Rates per 1,000 residents use {}.",
                if district.population_year.is_empty() {
                    "population figures whose year is not recorded".to_string()
                } else {
                    format!("the {} population", district.population_year)
                }
            ),
        ],
    });
    document.push(Block::Source(
        "police.uk street-level crime and anti-social behaviour data; Office for National Statistics population estimates. \
         Both under the Open Government Licence v3.0."
            .into(),
    ));
    document
}

fn months(n: u32) -> String {
    if n == 1 { "1 month".into() } else { format!("{n} months") }
}

fn monthly_table(chart: &MonthlyChart) -> Table {
    Table {
        caption: format!("{}: the numbers", chart.title),
        columns: vec![Column::text("Month"), Column::number("Number"), Column::text("Unusual")],
        rows: chart
            .series
            .iter()
            .map(|p| {
                vec![
                    Value::Month(p.month.clone()),
                    Value::Count(p.crimes as i64),
                    Value::Text(if p.signals.is_empty() { String::new() } else { "Unusual".into() }),
                ]
            })
            .collect(),
    }
}
