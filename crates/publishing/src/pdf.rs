//! A document as typst markup, laid out by typst and written as PDF/UA-1. Every piece of text
//! enters the markup as a typst string literal, so nothing anyone typed can act as markup.

use std::fmt::Write as _;

use platform::charts::Table;
use typst::diag::Warned;
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards};

use crate::world::DocumentWorld;
use crate::{Block, DOCUMENT_CHART, Document};

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// typst could not lay the document out or write it; the messages say why.
    #[error("the document could not be made into a PDF: {0}")]
    Typesetting(String),
}

/// A string as a typst string literal.
fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The page, type and table style every document shares: A4, Noto Sans 11 point, British
/// English, GOV.UK's greys for rules.
fn preamble(document: &Document, numbered: bool) -> String {
    let date = document.published;
    let mut out = String::new();
    // No author is written when none is given: a document sent out as a disclosure carries no
    // name it need not (the hidden-data check reads authors too).
    let author = if document.author.is_empty() { String::new() } else { format!(", author: {}", literal(&document.author)) };
    let _ = writeln!(
        out,
        "#set document(title: {}{author}, date: datetime(year: {}, month: {}, day: {}))",
        literal(&document.title),
        date.year(),
        u8::from(date.month()),
        date.day()
    );
    out.push_str(
        "#set text(font: \"Noto Sans\", lang: \"en\", region: \"gb\", size: 11pt, fill: rgb(\"#0b0c0c\"))\n\
         #set par(leading: 0.7em, spacing: 1.2em)\n\
         #show heading: set block(above: 1.6em, below: 0.8em)\n\
         #show heading.where(level: 1): set text(size: 22pt)\n\
         #show heading.where(level: 2): set text(size: 16pt)\n\
         #show heading.where(level: 3): set text(size: 13pt)\n\
         #show heading.where(level: 4): set text(size: 11pt)\n\
         #set table(stroke: (x, y) => (bottom: 0.5pt + rgb(\"#b1b4b6\")), inset: (x: 5pt, y: 5pt))\n\
         #show table.cell.where(y: 0): set text(weight: \"bold\")\n\
         #show figure.where(kind: table): set figure.caption(position: top)\n\
         #show figure: set block(breakable: true)\n\
         #show figure.caption: set text(weight: \"bold\")\n\
         #show figure.caption: it => block(sticky: true, it)\n",
    );
    if numbered {
        out.push_str("#set page(paper: \"a4\", margin: (x: 2cm, top: 2cm, bottom: 2.4cm), numbering: \"1 of 1\")\n");
    } else {
        out.push_str("#set page(paper: \"a4\", margin: 2.5cm)\n");
    }
    out
}

fn table_markup(out: &mut String, table: &Table) {
    let columns = table.columns.iter().map(|c| if c.numeric { "auto" } else { "1fr" }).collect::<Vec<_>>().join(", ");
    let align = table.columns.iter().map(|c| if c.numeric { "right" } else { "left" }).collect::<Vec<_>>().join(", ");
    let _ = write!(
        out,
        "#figure(kind: table, caption: {}, table(columns: ({columns},), align: ({align},), table.header(repeat: true, {}), ",
        literal(&table.caption),
        table.columns.iter().map(|c| literal(&c.label)).collect::<Vec<_>>().join(", ")
    );
    for row in &table.rows {
        for cell in row.iter().take(table.columns.len()) {
            let _ = write!(out, "{}, ", literal(&cell.display()));
        }
        for _ in row.len()..table.columns.len() {
            out.push_str("[], ");
        }
    }
    out.push_str("))\n\n");
}

/// The markup of a document and the figures' SVG files it names.
pub(crate) fn markup(document: &Document, letter: bool) -> (String, Vec<(String, Vec<u8>)>) {
    let mut out = preamble(document, !letter);
    let mut files = Vec::new();
    if !letter {
        let _ = writeln!(out, "#heading(level: 1, {})\n", literal(&document.title));
        if document.contents {
            out.push_str("#outline(title: \"Contents\", depth: 2)\n\n");
        }
    }
    for block in &document.blocks {
        match block {
            Block::Heading(level, text) => {
                // A letter's heading is its first; a report's sit under its title.
                let level = if letter { (*level).saturating_sub(1).max(1) } else { (*level).clamp(2, 4) };
                let _ = writeln!(out, "#heading(level: {level}, {})\n", literal(text));
            }
            Block::Paragraph(text) => {
                let _ = writeln!(out, "#par({})\n", literal(text));
            }
            Block::Lines(lines) => {
                let joined = lines.iter().map(|l| literal(l)).collect::<Vec<_>>().join(", linebreak(), ");
                let _ = writeln!(out, "#par([#({joined},).join()])\n");
            }
            Block::List { ordered, items } => {
                let function = if *ordered { "enum" } else { "list" };
                let items = items.iter().map(|i| literal(i)).collect::<Vec<_>>().join(", ");
                let _ = writeln!(out, "#{function}({items})\n");
            }
            Block::Table(table) => table_markup(&mut out, table),
            Block::Figure(figure) => {
                let name = format!("figure-{}.svg", files.len() + 1);
                files.push((name.clone(), figure.chart.svg(DOCUMENT_CHART, &format!("figure-{}", files.len() + 1)).into_bytes()));
                let _ = writeln!(
                    out,
                    "#figure(image({}, alt: {}, width: 100%), caption: {})\n",
                    literal(&name),
                    literal(&figure.chart.alternative_text()),
                    literal(&figure.chart.title)
                );
                table_markup(&mut out, &figure.table);
            }
            Block::Note(text) => {
                let _ = writeln!(
                    out,
                    "#block(inset: (left: 10pt, y: 4pt), stroke: (left: 4pt + rgb(\"#b1b4b6\")), par({}))\n",
                    literal(text)
                );
            }
            Block::Source(text) => {
                let _ = writeln!(out, "#par(text(size: 9pt, {}))\n", literal(&format!("Source: {text}")));
            }
            Block::Photo(photo) => {
                let name = format!("photo-{}.{}", files.len() + 1, photo.extension());
                files.push((name.clone(), photo.bytes.clone()));
                if photo.caption.is_empty() {
                    let _ = writeln!(out, "#figure(image({}, alt: {}, width: 80%))\n", literal(&name), literal(&photo.alt));
                } else {
                    let _ = writeln!(
                        out,
                        "#figure(image({}, alt: {}, width: 80%), caption: {})\n",
                        literal(&name),
                        literal(&photo.alt),
                        literal(&photo.caption)
                    );
                }
            }
            Block::PageBreak => out.push_str("#pagebreak(weak: true)\n\n"),
        }
    }
    (out, files)
}

/// The document as PDF/UA-1; a letter has no title heading, contents or page numbers.
pub(crate) fn write(document: &Document, letter: bool) -> Result<Vec<u8>, PublishError> {
    let (source, files) = markup(document, letter);
    let world = DocumentWorld::new(source, files, document.published)
        .ok_or_else(|| PublishError::Typesetting("the document's files could not be named".into()))?;
    let Warned { output, .. } = typst::compile::<PagedDocument>(&world);
    let laid_out = output.map_err(|errors| PublishError::Typesetting(messages(errors.iter().map(|e| e.message.as_str()))))?;
    let standards = PdfStandards::new(&[PdfStandard::Ua_1]).map_err(|e| PublishError::Typesetting(e.message().to_string()))?;
    let options = PdfOptions { standards, ..PdfOptions::default() };
    let bytes = typst_pdf::pdf(&laid_out, &options)
        .map_err(|errors| PublishError::Typesetting(messages(errors.iter().map(|e| e.message.as_str()))));
    // typst remembers layouts between documents; keep only what the last few used.
    comemo::evict(5);
    bytes
}

fn messages<'a>(messages: impl Iterator<Item = &'a str>) -> String {
    messages.collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests;
