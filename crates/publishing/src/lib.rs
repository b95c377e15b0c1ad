//! The publishing kit: a document written once as structured content (headings, paragraphs,
//! lists, tables, figures with their charts, notes and sources) and published three ways:
//!
//! - [`Document::html`]: a GOV.UK page body, each chart beside the table of its numbers;
//! - [`Document::pdf`]: a tagged PDF conforming to PDF/UA-1, laid out by typst, with Noto Sans
//!   embedded and subset, the title and language set, headings, lists and table headers tagged,
//!   charts as vector graphics with alternative text, page numbers and a contents list;
//! - [`Document::figures_csv`] and [`Document::figures_json`]: every figure's numbers, as machine
//!   values.
//!
//! Letters are documents too ([`letter`]). ADR 0008 says why typst and how a capability uses this.

mod pdf;
mod world;

use platform::charts::{Chart, Size, Table, escape};
use serde::Serialize;
use time::Date;

pub use pdf::PublishError;

/// A document: its title, who publishes it, when, and its content in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    /// Who publishes it (the office's name): the PDF's author.
    pub author: String,
    pub published: Date,
    /// Whether it opens with a contents list (worth it from a few pages up).
    pub contents: bool,
    pub blocks: Vec<Block>,
}

/// One part of a document, in reading order.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading under the title: level 2 is a section, 3 a subsection, 4 below that.
    Heading(u8, String),
    Paragraph(String),
    /// Lines kept as they are, such as an address.
    Lines(Vec<String>),
    List {
        ordered: bool,
        items: Vec<String>,
    },
    Table(Table),
    Figure(Box<Figure>),
    /// A caveat or explanation set apart from the text.
    Note(String),
    /// Where the figures above came from.
    Source(String),
    /// A photograph with what it shows in words.
    Photo(Box<Photo>),
    PageBreak,
}

/// A chart with the table of its numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub chart: Chart,
    pub table: Table,
}

/// A photograph: JPEG or PNG bytes for the PDF, the address the page shows it from, what it
/// shows in words (its alternative text, required) and an optional caption.
#[derive(Debug, Clone, PartialEq)]
pub struct Photo {
    pub bytes: Vec<u8>,
    pub src: String,
    pub alt: String,
    pub caption: String,
}

impl Photo {
    /// "png" or "jpg", from the bytes themselves.
    pub fn extension(&self) -> &'static str {
        if self.bytes.starts_with(b"\x89PNG") { "png" } else { "jpg" }
    }
}

impl Document {
    pub fn new(title: impl Into<String>, author: impl Into<String>, published: Date) -> Document {
        Document { title: title.into(), author: author.into(), published, contents: false, blocks: Vec::new() }
    }

    pub fn push(&mut self, block: Block) -> &mut Document {
        self.blocks.push(block);
        self
    }

    /// The headings a contents list shows, with the ids the page gives them.
    pub fn sections(&self) -> Vec<(String, String)> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading(2, text) => Some(text.clone()),
                _ => None,
            })
            .enumerate()
            .map(|(i, text)| (format!("section-{}", i + 1), text))
            .collect()
    }

    /// The document as the body of a GOV.UK page (the page's own template gives it its `<h1>`).
    pub fn html(&self) -> String {
        self.html_in("")
    }

    /// The document as part of a page that holds several: every id it gives starts with `prefix`,
    /// so two documents on one page never share one.
    pub fn html_in(&self, prefix: &str) -> String {
        let mut out = String::new();
        if self.contents {
            out.push_str("<nav aria-labelledby=\"contents-heading\"><h2 id=\"contents-heading\" class=\"govuk-heading-s\">Contents</h2><ol class=\"govuk-list govuk-list--number\">");
            for (id, text) in self.sections() {
                out.push_str(&format!("<li><a class=\"govuk-link\" href=\"#{prefix}{id}\">{}</a></li>", escape(&text)));
            }
            out.push_str("</ol></nav>");
        }
        let (mut section, mut figure, mut table) = (0, 0, 0);
        for block in &self.blocks {
            match block {
                Block::Heading(level, text) => {
                    let (tag, class) = match level {
                        0..=2 => ("h2", "govuk-heading-l"),
                        3 => ("h3", "govuk-heading-m"),
                        _ => ("h4", "govuk-heading-s"),
                    };
                    let id = if *level <= 2 {
                        section += 1;
                        format!(" id=\"{prefix}section-{section}\"")
                    } else {
                        String::new()
                    };
                    out.push_str(&format!("<{tag}{id} class=\"{class}\">{}</{tag}>", escape(text)));
                }
                Block::Paragraph(text) => out.push_str(&format!("<p class=\"govuk-body\">{}</p>", escape(text))),
                Block::Lines(lines) => out.push_str(&format!(
                    "<p class=\"govuk-body\">{}</p>",
                    lines.iter().map(|l| escape(l)).collect::<Vec<_>>().join("<br>")
                )),
                Block::List { ordered, items } => {
                    let (tag, class) = if *ordered { ("ol", "govuk-list--number") } else { ("ul", "govuk-list--bullet") };
                    out.push_str(&format!("<{tag} class=\"govuk-list {class}\">"));
                    for item in items {
                        out.push_str(&format!("<li>{}</li>", escape(item)));
                    }
                    out.push_str(&format!("</{tag}>"));
                }
                Block::Table(t) => {
                    table += 1;
                    out.push_str(&t.html(&format!("{prefix}table-{table}")));
                }
                Block::Figure(f) => {
                    figure += 1;
                    let id = format!("{prefix}figure-{figure}");
                    out.push_str(&format!("<h3 class=\"govuk-heading-s\">{}</h3>", escape(&f.chart.title)));
                    out.push_str(&f.chart.html(&id));
                    out.push_str(&f.table.html(&format!("{id}-numbers")));
                }
                Block::Note(text) => out.push_str(&format!("<div class=\"govuk-inset-text\">{}</div>", escape(text))),
                Block::Source(text) => out.push_str(&format!("<p class=\"govuk-body-s\">Source: {}</p>", escape(text))),
                Block::Photo(photo) => {
                    out.push_str(&format!(
                        "<figure class=\"app-photo\"><img src=\"{}\" alt=\"{}\">",
                        escape(&photo.src),
                        escape(&photo.alt)
                    ));
                    if !photo.caption.is_empty() {
                        out.push_str(&format!("<figcaption class=\"govuk-body-s\">{}</figcaption>", escape(&photo.caption)));
                    }
                    out.push_str("</figure>");
                }
                Block::PageBreak => {}
            }
        }
        out
    }

    /// Every table and figure's numbers in one CSV, long format: which table, which row, which
    /// column, the value as a machine reads it.
    pub fn figures_csv(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        let _ = writer.write_record(["table", "row", "column", "value"]);
        for table in self.tables() {
            let rows = table.csv_rows();
            let Some((header, body)) = rows.split_first() else { continue };
            for row in body {
                let name = row.first().cloned().unwrap_or_default();
                for (column, value) in header.iter().zip(row).skip(1) {
                    let _ = writer.write_record([table.caption.as_str(), &name, column, value]);
                }
            }
        }
        String::from_utf8(writer.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    /// Every table and figure's numbers as JSON: each table with its columns and rows of machine
    /// values.
    pub fn figures_json(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct Figures<'a> {
            title: &'a str,
            published: String,
            tables: Vec<&'a Table>,
        }
        serde_json::to_value(Figures { title: &self.title, published: self.published.to_string(), tables: self.tables() })
            .unwrap_or_default()
    }

    /// The tables in reading order, each figure's with them.
    pub fn tables(&self) -> Vec<&Table> {
        self.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Table(t) => Some(t),
                Block::Figure(f) => Some(&f.table),
                _ => None,
            })
            .collect()
    }

    /// The document as a tagged PDF (PDF/UA-1).
    pub fn pdf(&self) -> Result<Vec<u8>, PublishError> {
        pdf::write(self, false)
    }
}

/// A letter as a PDF: its heading, then each paragraph (a paragraph's lines kept, so an address
/// reads as one). `title` is the PDF's title.
pub fn letter(title: &str, heading: &str, author: &str, paragraphs: &[String]) -> Result<Vec<u8>, PublishError> {
    let mut document = Document::new(title, author, platform::calendar::uk_today());
    document.push(Block::Heading(2, heading.to_string()));
    for paragraph in paragraphs {
        let lines: Vec<String> = paragraph.lines().map(str::to_string).collect();
        document.push(if lines.len() > 1 { Block::Lines(lines) } else { Block::Paragraph(paragraph.clone()) });
    }
    pdf::write(&document, true)
}

/// [`letter`] for a request handler: laid out on a blocking thread, so a first letter (which loads
/// the fonts) never holds up other requests.
pub async fn letter_off_thread(
    title: String,
    heading: String,
    author: String,
    paragraphs: Vec<String>,
) -> Result<Vec<u8>, PublishError> {
    tokio::task::spawn_blocking(move || letter(&title, &heading, &author, &paragraphs))
        .await
        .map_err(|e| PublishError::Typesetting(format!("the letter's layout stopped: {e}")))?
}

/// The size charts are drawn at in documents.
pub const DOCUMENT_CHART: Size = Size::Wide;
