//! A measure's figures as published content (the publishing kit's blocks): the control chart
//! beside the table of its numbers, the verdict and assurance in words, the data-quality note
//! beside the figure, the most similar group as a dot plot and a funnel plot with their table,
//! and the source and vintage. The measure page and the meeting packs are made of these, so they
//! say the same.

use platform::charts::{self, Chart, Column, DotRow, Dots, Funnel, FunnelPoint, Line, Series, Table};
use platform::format::Value;
use platform::periods::Period;
use publishing::{Block, Document, Figure};

use crate::figures::MeasureFigures;
use crate::model::Unit;

/// A value as a table cell, in the measure's unit.
pub fn cell(unit: Unit, value: f64) -> Value {
    match unit {
        Unit::Count => Value::Count(value.round() as i64),
        Unit::Rate => Value::Number(value, 2),
        Unit::Percent => Value::Percent(value, 1),
        Unit::Minutes | Unit::Seconds | Unit::Days => Value::Number(value, 1),
    }
}

fn period_label(slug: &str) -> String {
    Period::from_slug(slug).map(Period::short_label).unwrap_or_else(|| slug.to_string())
}

/// The control chart and the table of its numbers.
pub fn control_chart(f: &MeasureFigures) -> Option<Figure> {
    if f.points.is_empty() {
        return None;
    }
    let unit = f.unit();
    let n = f.points.len();
    let categories: Vec<String> = f.points.iter().map(|p| period_label(&p.period)).collect();
    let values: Vec<Option<f64>> = f.points.iter().map(|p| Some(p.value)).collect();
    let (centre, upper, lower, flagged) = match &f.chart {
        Some(c) => (
            vec![Some(c.mean); n],
            vec![Some(c.upper); n],
            vec![Some(c.lower.max(if unit == Unit::Count || unit == Unit::Rate { 0.0 } else { f64::MIN })); n],
            c.flags.iter().map(|flags| !flags.is_empty()).collect(),
        ),
        None => (Vec::new(), Vec::new(), Vec::new(), Vec::new()),
    };
    let description = match &f.chart {
        Some(c) => format!(
            "{} for {}, {} to {}, with the average ({}) and the control limits ({} to {}). {}",
            f.definition.name,
            f.area_name,
            categories.first().cloned().unwrap_or_default(),
            categories.last().cloned().unwrap_or_default(),
            unit.show(c.mean),
            unit.show(c.lower),
            unit.show(c.upper),
            f.verdict()
        ),
        None => format!(
            "{} for {}, {} to {}. {}",
            f.definition.name,
            f.area_name,
            categories.first().cloned().unwrap_or_default(),
            categories.last().cloned().unwrap_or_default(),
            f.verdict()
        ),
    };
    let line = Line {
        categories,
        series: vec![Series { name: f.definition.name.clone(), values }],
        centre,
        upper,
        lower,
        flagged,
        flag_meaning: "Special cause (reason in the table)".into(),
        unit: unit.axis().to_string(),
        joined: Vec::new(),
    };
    let mut columns = vec![Column::text("Period"), Column::number(capitalised(unit.axis()))];
    if f.chart.is_some() {
        columns.extend([
            Column::number("Average"),
            Column::number("Lower limit"),
            Column::number("Upper limit"),
            Column::text("Special cause"),
        ]);
    }
    let rows = f
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut row = vec![Value::Text(period_label(&p.period)), cell(unit, p.value)];
            if let Some(c) = &f.chart {
                let reasons = c.reasons(i);
                row.extend([
                    Value::Number(c.mean, 2),
                    Value::Number(c.lower, 2),
                    Value::Number(c.upper, 2),
                    Value::Text(if reasons.is_empty() { "None".into() } else { reasons }),
                ]);
            }
            row
        })
        .collect();
    Some(Figure {
        chart: Chart::new(format!("{}: {}", f.definition.name, f.area_name), description, charts::Body::Line(line)),
        table: Table { caption: format!("{} by period", f.definition.name), columns, rows },
    })
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// The most similar group as a dot plot with intervals, a funnel plot, and their table.
pub fn group_figures(f: &MeasureFigures) -> Vec<Figure> {
    let Some(group) = &f.group else { return Vec::new() };
    let unit = "per 1,000 residents";
    let dots = Dots {
        rows: group
            .members
            .iter()
            .map(|m| DotRow { label: m.name.clone(), value: m.rate, low: Some(m.low), high: Some(m.high), highlight: m.home })
            .collect(),
        reference: Some(("Group rate".into(), group.group_rate)),
        unit: unit.into(),
        places: 2,
    };
    let home = group.members.iter().find(|m| m.home);
    let description = format!(
        "{} per 1,000 residents in the {}, for {} and its most similar group, each with its 95% interval; the group’s rate is {}. {}",
        f.definition.name,
        group.window,
        f.area_name,
        platform::format::decimal(group.group_rate, 2),
        home.map(|h| format!("{}: {}.", h.name, h.position)).unwrap_or_default()
    );
    let table = Table {
        caption: format!("{}, {}: most similar group", f.definition.name, group.window),
        columns: vec![
            Column::text("Area"),
            Column::number("Number"),
            Column::number("Residents"),
            Column::number("Per 1,000 residents"),
            Column::number("95% interval from"),
            Column::number("95% interval to"),
            Column::text("Compared with the group"),
        ],
        rows: group
            .members
            .iter()
            .map(|m| {
                vec![
                    Value::Text(m.name.clone()),
                    Value::Count(m.events.round() as i64),
                    Value::Count(m.residents.round() as i64),
                    Value::Number(m.rate, 2),
                    Value::Number(m.low, 2),
                    Value::Number(m.high, 2),
                    Value::Text(m.position.clone()),
                ]
            })
            .collect(),
    };
    let funnel = Funnel {
        points: group
            .members
            .iter()
            .map(|m| FunnelPoint { label: m.name.clone(), events: m.events, exposure: m.residents, highlight: m.home })
            .collect(),
        per: 1_000.0,
        unit: unit.into(),
        exposure_unit: "residents".into(),
        dispersion: group.dispersion,
    };
    vec![
        Figure {
            chart: Chart::new(
                format!("{} compared with its most similar group", f.area_name),
                description,
                charts::Body::Dots(dots),
            ),
            table: table.clone(),
        },
        Figure {
            chart: Chart::new(
                format!("{}: funnel plot of the most similar group", f.definition.name),
                format!(
                    "Each area’s rate against its residents, with the limits chance alone would keep a rate within (95% and 99.8%) if every area had the group’s rate of {}.",
                    platform::format::decimal(group.group_rate, 2)
                ),
                charts::Body::Funnel(funnel),
            ),
            table: Table { caption: format!("{} (funnel plot numbers)", table.caption), ..table },
        },
    ]
}

/// The words beside the figures: verdict, assurance, the note on data quality, source, vintage.
pub fn measure_blocks(f: &MeasureFigures, commentary: Option<&str>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let d = &f.definition;
    if !d.definition.is_empty() {
        blocks.push(Block::Paragraph(d.definition.clone()));
    }
    blocks.push(Block::Paragraph(format!("{}. {}", d.polarity.described(), f.verdict())));
    if d.target.is_some() {
        blocks.push(Block::Paragraph(format!("Target: {}. {}.", target_words(f), f.assurance.words())));
    }
    blocks.push(Block::Note(if d.quality_note.is_empty() {
        "About the data: no note has been written for this measure.".into()
    } else {
        format!("About the data: {}", d.quality_note)
    }));
    if let Some(words) = commentary.filter(|w| !w.trim().is_empty()) {
        blocks.push(Block::Heading(3, "The office’s commentary".into()));
        for paragraph in words.split("\n\n") {
            blocks.push(Block::Paragraph(paragraph.replace('\n', " ")));
        }
    }
    match control_chart(f) {
        Some(figure) => blocks.push(Block::Figure(Box::new(figure))),
        None => blocks.push(Block::Paragraph("There are no figures for this measure yet.".into())),
    }
    for figure in group_figures(f) {
        blocks.push(Block::Figure(Box::new(figure)));
    }
    if let Some(group) = &f.group {
        blocks.push(Block::Note(format!(
            "The most similar group is {}. Rates are per 1,000 {}. An interval is where the true rate lies with 95% confidence given \
             the count; a rate outside the funnel’s 99.8% limits is unlikely to differ from the group by chance. {}",
            group.group_source,
            group.residents_source,
            if group.dispersion > 1.0 {
                format!(
                    "The group’s rates vary {} times as much as chance alone would make them, so the funnel’s limits are widened to allow for it.",
                    platform::format::decimal(group.dispersion, 1)
                )
            } else {
                "The group’s rates vary no more than chance would make them.".to_string()
            }
        )));
    }
    let vintage = if f.vintages.is_empty() { "no figures imported yet".to_string() } else { f.vintages.join("; ") };
    blocks.push(Block::Source(format!(
        "{}. Vintage: {vintage}. Measure version {} of the {} catalogue.",
        d.source, f.version, f.catalogue
    )));
    blocks
}

/// The target in words: "90%" or "from 7 to 9 minutes".
pub fn target_words(f: &MeasureFigures) -> String {
    use crate::spc::Target;
    match f.definition.target {
        Some(Target::Value { value }) => f.unit().show(value),
        Some(Target::Range { low, high }) => format!("from {} to {}", f.unit().show(low), f.unit().show(high)),
        None => "none".into(),
    }
}

/// A measure's page content as a document (its downloads come from the same).
pub fn measure_document(f: &MeasureFigures, author: &str, today: time::Date) -> Document {
    let mut document = Document::new(format!("{}: {}", f.definition.name, f.area_name), author, today);
    for block in measure_blocks(f, None) {
        document.push(block);
    }
    document
}
