//! `scripts/bench documents`: a report of about 40 pages with 20 charts and 30 tables, made into
//! PDF by the publishing kit, timed; and the same report written as one HTML page (GOV.UK and
//! Commissioner styles inlined) for the script to print with headless Chromium in the same run.
//! Also times a one-page letter.
//!
//! The figures are generated (a fixed seed, smooth series with noise): they are load for the
//! benchmark, not figures anyone publishes.
//!
//!   cargo run --release -p publishing --example documents -- <output folder> <styles.css>

use std::time::{Duration, Instant};

use platform::charts::{self, Body, Chart, Column, Table};
use platform::format::Value;
use publishing::{Block, Document, Figure};
use time::macros::date;

/// A small deterministic generator (xorshift), so every run lays out the same report.
struct Numbers(u64);

impl Numbers {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % 10_000) as f64 / 10_000.0
    }
}

/// The benchmark's areas: the districts of two force areas from the kit's reference data, so
/// Welsh names (Ynys Môn, Conwy) are laid out too.
fn areas() -> Vec<String> {
    ["staffordshire", "north-wales"]
        .iter()
        .flat_map(|force| platform::areas::districts::of_force_area(force))
        .map(|d| d.name.clone())
        .take(12)
        .collect()
}

fn months(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{}-{:02}", 2024 + i / 12, i % 12 + 1)).collect()
}

fn figure(k: usize, numbers: &mut Numbers, areas: &[String]) -> Figure {
    let area = &areas[k % areas.len()];
    let months = months(36);
    let values: Vec<f64> = (0..36).map(|i| 800.0 + 120.0 * ((i as f64) / 2.0).sin() + 80.0 * numbers.next()).collect();
    let table = Table {
        caption: format!("The numbers of figure {}", k + 1),
        columns: vec![Column::text("Month"), Column::number("Crimes")],
        rows: months.iter().zip(&values).map(|(m, v)| vec![Value::Month(m.clone()), Value::Count(*v as i64)]).collect(),
    };
    let body = match k % 4 {
        0 => Body::Line(charts::Line {
            categories: months.iter().map(|m| platform::format::short_month_of(m)).collect(),
            series: vec![charts::Series { name: "Crimes".into(), values: values.iter().map(|v| Some(*v)).collect() }],
            centre: vec![Some(800.0); 36],
            upper: vec![Some(1000.0); 36],
            lower: vec![Some(600.0); 36],
            flagged: values.iter().map(|v| *v > 960.0).collect(),
            flag_meaning: "Unusual month".into(),
            unit: "crimes".into(),
            joined: vec![],
        }),
        1 => Body::Bars(charts::Bars {
            categories: areas.to_vec(),
            series: vec![
                charts::Series {
                    name: "2025 to 2026".into(),
                    values: areas.iter().map(|_| Some(1000.0 * numbers.next())).collect(),
                },
                charts::Series {
                    name: "2024 to 2025".into(),
                    values: areas.iter().map(|_| Some(1000.0 * numbers.next())).collect(),
                },
            ],
            stacked: k % 8 == 1,
            unit: "crimes".into(),
            places: 0,
            colours: Vec::new(),
        }),
        2 => Body::Dots(charts::Dots {
            rows: areas
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let v = 60.0 + 20.0 * numbers.next();
                    charts::DotRow { label: a.to_string(), value: v, low: Some(v - 2.0), high: Some(v + 2.0), highlight: i == 5 }
                })
                .collect(),
            reference: Some(("Group average".into(), 70.0)),
            unit: "crimes per 1,000 residents".into(),
            places: 1,
        }),
        _ => Body::Funnel(charts::Funnel {
            points: areas
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    let exposure = 50_000.0 + 200_000.0 * numbers.next();
                    charts::FunnelPoint {
                        label: a.to_string(),
                        events: exposure * (0.06 + 0.02 * numbers.next()),
                        exposure,
                        highlight: i == 5,
                    }
                })
                .collect(),
            per: 1000.0,
            unit: "crimes per 1,000 residents".into(),
            exposure_unit: "residents".into(),
            dispersion: 1.0,
        }),
    };
    Figure { chart: Chart::new(format!("Crimes in {area}"), format!("A chart of crimes in {area}."), body), table }
}

fn report() -> Document {
    let areas = areas();
    let mut numbers = Numbers(0x5eed_1234_abcd_9876);
    let mut document = Document::new(
        "Police and crime plan: performance report",
        "Office of the Police, Fire and Crime Commissioner",
        date!(2026 - 12 - 07),
    );
    document.contents = true;
    let mut tables = 0;
    // 20 figures, each with the table of its numbers, and 30 tables besides.
    for section in 0..10 {
        document.push(Block::Heading(2, format!("Section {}: priority {}", section + 1, section + 1)));
        for p in 0..2 {
            document.push(Block::Paragraph(format!(
                "Paragraph {} of section {}. The Commissioner asked the Chief Constable how response times in Ynys Môn and \
                 Rhondda Cynon Taf compare with the rest of the force area, and what the £1,234,567 spent on neighbourhood \
                 policing this year has delivered against the plan's commitments. Siân Ŵyn and Łukasz Żółkiewski of the \
                 Panel asked for the figures below to be published each quarter, with their caveats beside them.",
                p + 1,
                section + 1
            )));
        }
        for f in 0..2 {
            document.push(Block::Figure(Box::new(figure(section * 2 + f, &mut numbers, &areas))));
        }
        document.push(Block::Heading(3, "Measures".into()));
        for _ in 0..3 {
            tables += 1;
            document.push(Block::Table(Table {
                caption: format!("Measures by area ({tables})"),
                columns: vec![
                    Column::text("Area"),
                    Column::number("2024/25"),
                    Column::number("2025/26"),
                    Column::number("Change"),
                ],
                rows: areas
                    .iter()
                    .map(|a| {
                        let (x, y) = (1000.0 * numbers.next(), 1000.0 * numbers.next());
                        vec![
                            Value::Text(a.to_string()),
                            Value::Count(x as i64),
                            Value::Count(y as i64),
                            Value::Percent((y - x) / x.max(1.0) * 100.0, 1),
                        ]
                    })
                    .collect(),
            }));
        }
        document.push(Block::Note("Figures for the latest quarter are provisional and may be revised.".into()));
        document.push(Block::Source("Generated benchmark figures (not published data).".into()));
    }
    document
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let folder = std::path::PathBuf::from(args.next().unwrap_or_else(|| ".".into()));
    let styles = args.next().and_then(|p| std::fs::read_to_string(p).ok()).unwrap_or_default();
    let document = report();
    let figures = document.blocks.iter().filter(|b| matches!(b, Block::Figure(_))).count();
    println!("report: {figures} charts with their tables, and {} tables besides", document.tables().len() - figures);

    let page = format!(
        "<!DOCTYPE html><html lang=\"en\" class=\"govuk-template\"><head><meta charset=\"utf-8\"><title>{}</title><style>{styles}</style></head>\
         <body class=\"govuk-template__body\"><div class=\"govuk-width-container\"><main class=\"govuk-main-wrapper\"><h1 class=\"govuk-heading-xl\">{}</h1>{}</main></div></body></html>",
        document.title,
        document.title,
        document.html()
    );
    let _ = std::fs::write(folder.join("report.html"), page);

    // The first run warms typst's caches of fonts and the standard library, as a running server has.
    let mut times = Vec::new();
    let mut pdf = Vec::new();
    for _ in 0..6 {
        let started = Instant::now();
        match document.pdf() {
            Ok(bytes) => pdf = bytes,
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        times.push(started.elapsed());
    }
    let first = times.remove(0);
    let _ = std::fs::write(folder.join("report.pdf"), &pdf);
    println!(
        "report PDF: first {:.0} ms, median of 5 after {:.0} ms, {} bytes",
        first.as_secs_f64() * 1000.0,
        median(times).as_secs_f64() * 1000.0,
        pdf.len()
    );

    let paragraphs: Vec<String> = vec![
        "Office of the Commissioner\n1 Example Street\nStafford ST16 2DH".into(),
        "Siân Ŵyn\n2 Heol y Castell\nCaernarfon LL55 1SE".into(),
        "5 December 2026".into(),
        "Dear Siân Ŵyn,".into(),
        "Thank you for your application for an anti-social behaviour case review. We have checked it against the threshold and will hold the review meeting within 20 working days.".into(),
        "Yours sincerely,\nThe case review team".into(),
    ];
    let mut letter_times = Vec::new();
    let mut letter = Vec::new();
    for _ in 0..21 {
        let started = Instant::now();
        letter = publishing::letter("Your case review", "Your case review", "Office of the Commissioner", &paragraphs)
            .unwrap_or_default();
        letter_times.push(started.elapsed());
    }
    letter_times.remove(0);
    let _ = std::fs::write(folder.join("letter.pdf"), &letter);
    println!("letter PDF: median of 20 {:.1} ms, {} bytes", median(letter_times).as_secs_f64() * 1000.0, letter.len());
}
