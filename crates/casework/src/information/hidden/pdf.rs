//! What a PDF hides, read with lopdf (a maintained PDF library): every page's text, whatever the
//! producer's filters, object streams or fonts; comments and other annotations; the author in
//! the document information and in the XMP metadata; attached files; and text drawn under a
//! filled dark box, which looks redacted on screen but is still in the file.

use std::collections::BTreeMap;

use lopdf::content::Content;
use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

use super::{Finding, MAX_PART_BYTES, personal_data_in};

/// The most text or content one page may inflate to before it is reported rather than read.
const MAX_PAGE_BYTES: usize = MAX_PART_BYTES as usize;

/// A text box this share covered by a later dark fill counts as hidden under it.
const COVERED_SHARE: f64 = 0.3;

pub(super) fn check_pdf(bytes: &[u8]) -> Vec<Finding> {
    let document = match Document::load_mem(bytes) {
        Ok(document) => document,
        Err(e) => return vec![Finding::Unreadable(format!("the PDF could not be opened: {e}"))],
    };
    let mut findings = Vec::new();
    if let Some(author) = info_author(&document) {
        findings.push(Finding::Metadata("author".into(), author));
    }
    if let Some(author) = xmp_author(&document) {
        findings.push(Finding::Metadata("author in its XMP metadata".into(), author));
    }
    let attached = attachments(&document);
    if !attached.is_empty() {
        findings.push(Finding::Attachments(attached));
    }
    let mut text = String::new();
    let mut notes = Vec::new();
    for (number, page) in document.get_pages() {
        match document.extract_text_with_limit(&[number], MAX_PAGE_BYTES) {
            Ok(page_text) => text.push_str(&page_text),
            Err(e) => findings.push(Finding::Unreadable(format!("page {number} could not be read: {e}"))),
        }
        notes.extend(annotation_texts(&document, page));
        for covered in covered_text(&document, page) {
            findings.push(Finding::CoveredText { page: number, text: covered });
        }
    }
    if !notes.is_empty() {
        findings.push(Finding::Annotations(notes.len()));
    }
    if text.trim().is_empty() {
        findings.push(Finding::Unreadable("no text could be read from the PDF: it may be scanned images".into()));
        return findings;
    }
    let personal = personal_data_in(&format!("{text}\n{}", notes.join("\n")));
    if !personal.is_empty() {
        findings.push(Finding::PersonalText(personal));
    }
    findings
}

/// The plain text of every page, as the checks read it.
pub fn pdf_text(bytes: &[u8]) -> String {
    let Ok(document) = Document::load_mem(bytes) else { return String::new() };
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    document.extract_text_with_limit(&pages, MAX_PAGE_BYTES).unwrap_or_default()
}

/// A text string of a PDF (PDFDocEncoding, or UTF-16 with its byte order mark).
fn text_string(object: &Object) -> Option<String> {
    let bytes = object.as_str().ok()?;
    let text = match bytes {
        [0xFE, 0xFF, rest @ ..] => {
            let units: Vec<u16> = rest.chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        _ => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

fn info_author(document: &Document) -> Option<String> {
    let info = document.trailer.get(b"Info").ok()?;
    let info = document.dereference(info).ok()?.1.as_dict().ok()?;
    text_string(info.get(b"Author").ok()?)
}

/// The first `dc:creator` of the XMP metadata stream.
fn xmp_author(document: &Document) -> Option<String> {
    let catalog = document.catalog().ok()?;
    let stream = document.dereference(catalog.get(b"Metadata").ok()?).ok()?.1.as_stream().ok()?;
    let xml = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    let xml = String::from_utf8_lossy(&xml);
    let creator = &xml[xml.find("<dc:creator")?..];
    let item = &creator[creator.find("<rdf:li")?..];
    let value = &item[item.find('>')? + 1..item.find("</rdf:li>")?];
    Some(value.trim().to_string()).filter(|v| !v.is_empty())
}

/// The names of files attached to the document or to its pages.
fn attachments(document: &Document) -> Vec<String> {
    let mut names = Vec::new();
    if let Ok(catalog) = document.catalog()
        && let Ok(tree) = catalog.get(b"Names").and_then(|n| document.dereference(n)).and_then(|(_, n)| n.as_dict())
        && let Ok(files) = tree.get(b"EmbeddedFiles").and_then(|f| document.dereference(f)).and_then(|(_, f)| f.as_dict())
    {
        name_tree_keys(document, files, &mut names, 0);
    }
    for (_, page) in document.get_pages() {
        for annotation in document.get_page_annotations(page).unwrap_or_default() {
            if annotation.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"FileAttachment".as_slice()) {
                let file = annotation.get(b"FS").and_then(|f| document.dereference(f)).and_then(|(_, f)| f.as_dict());
                let name = file.ok().and_then(|f| f.get(b"UF").or_else(|_| f.get(b"F")).ok()).and_then(text_string);
                names.push(name.unwrap_or_else(|| "a file with no name".into()));
            }
        }
    }
    names
}

/// The keys of a name tree (its `Names` pairs, and its `Kids` in turn), at most a few deep.
fn name_tree_keys(document: &Document, node: &Dictionary, out: &mut Vec<String>, depth: usize) {
    if let Ok(pairs) = node.get(b"Names").and_then(|n| document.dereference(n)).and_then(|(_, n)| n.as_array()) {
        out.extend(pairs.iter().step_by(2).filter_map(text_string));
    }
    if depth < 8
        && let Ok(kids) = node.get(b"Kids").and_then(Object::as_array)
    {
        for kid in kids {
            if let Ok((_, Object::Dictionary(kid))) = document.dereference(kid) {
                name_tree_keys(document, kid, out, depth + 1);
            }
        }
    }
}

/// The words of a page's comments and notes (not links, not form fields, not the popups that
/// only show another note).
fn annotation_texts(document: &Document, page: ObjectId) -> Vec<String> {
    const SHOWN: [&[u8]; 3] = [b"Link", b"Widget", b"Popup"];
    let annotations = document.get_page_annotations(page).unwrap_or_default();
    annotations
        .into_iter()
        .filter(|a| a.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| !SHOWN.contains(&s)))
        .filter_map(|a| a.get(b"Contents").ok().and_then(text_string))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Text under filled boxes

/// An axis-aligned box on the page, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Area {
    left: f64,
    bottom: f64,
    right: f64,
    top: f64,
}

impl Area {
    fn around(points: &[(f64, f64)]) -> Option<Area> {
        let (first, rest) = points.split_first()?;
        let start = Area { left: first.0, bottom: first.1, right: first.0, top: first.1 };
        Some(rest.iter().fold(start, |a, p| Area {
            left: a.left.min(p.0),
            bottom: a.bottom.min(p.1),
            right: a.right.max(p.0),
            top: a.top.max(p.1),
        }))
    }
    fn size(&self) -> f64 {
        (self.right - self.left).max(0.0) * (self.top - self.bottom).max(0.0)
    }
    /// How much of this box the other covers, from 0 to 1.
    fn covered_by(&self, other: &Area) -> f64 {
        let overlap = Area {
            left: self.left.max(other.left),
            bottom: self.bottom.max(other.bottom),
            right: self.right.min(other.right),
            top: self.top.min(other.top),
        };
        if self.size() <= 0.0 { 0.0 } else { overlap.size() / self.size() }
    }
}

/// A transformation matrix [a b c d e f].
type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

fn multiply(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: &Matrix, (x, y): (f64, f64)) -> (f64, f64) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}

fn numbers(operands: &[Object]) -> Vec<f64> {
    operands.iter().filter_map(|o| o.as_float().ok().map(f64::from)).collect()
}

/// Whether a fill colour is dark enough to hide text: luminance a quarter or less.
fn dark(operator: &str, values: &[f64]) -> Option<bool> {
    let luminance = match (operator, values) {
        ("g", [gray]) => *gray,
        ("rg", [r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b,
        ("k", [c, m, y, k]) => (1.0 - c.max(*k)) * (1.0 - m.max(*k)) * (1.0 - y.max(*k)),
        ("sc" | "scn", [gray]) => *gray,
        ("sc" | "scn", [r, g, b]) => 0.2126 * r + 0.7152 * g + 0.0722 * b,
        ("sc" | "scn", [c, m, y, k]) => (1.0 - c.max(*k)) * (1.0 - m.max(*k)) * (1.0 - y.max(*k)),
        _ => return None,
    };
    Some(luminance <= 0.25)
}

/// The runs of text on a page drawn before a dark filled shape that covers them.
fn covered_text(document: &Document, page: ObjectId) -> Vec<String> {
    let Ok(content) = document.get_page_content_with_limit(page, MAX_PAGE_BYTES) else { return Vec::new() };
    let Ok(content) = Content::decode(&content) else { return Vec::new() };
    let fonts = document.get_page_fonts(page).unwrap_or_default();
    let encodings: BTreeMap<Vec<u8>, Encoding<'_>> =
        fonts.into_iter().filter_map(|(name, font)| Some((name, font.get_font_encoding(document).ok()?))).collect();

    let mut state = Drawing { ctm: IDENTITY, dark_fill: true, ..Drawing::default() };
    let mut saved: Vec<(Matrix, bool)> = Vec::new();
    let mut texts: Vec<(Area, String)> = Vec::new();
    let mut covered: Vec<String> = Vec::new();
    for operation in &content.operations {
        let operands = &operation.operands;
        let values = numbers(operands);
        match operation.operator.as_str() {
            "q" => saved.push((state.ctm, state.dark_fill)),
            "Q" => (state.ctm, state.dark_fill) = saved.pop().unwrap_or((IDENTITY, true)),
            "cm" if values.len() == 6 => {
                state.ctm = multiply(&[values[0], values[1], values[2], values[3], values[4], values[5]], &state.ctm)
            }
            op @ ("g" | "rg" | "k" | "sc" | "scn") => {
                if let Some(is_dark) = dark(op, &values) {
                    state.dark_fill = is_dark;
                }
            }
            "m" | "l" if values.len() == 2 => state.path.push(apply(&state.ctm, (values[0], values[1]))),
            "c" if values.len() == 6 => state.path.push(apply(&state.ctm, (values[4], values[5]))),
            "re" if values.len() == 4 => {
                let (x, y, w, h) = (values[0], values[1], values[2], values[3]);
                state.path.extend([(x, y), (x + w, y), (x + w, y + h), (x, y + h)].map(|p| apply(&state.ctm, p)));
            }
            "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                if state.dark_fill
                    && let Some(shape) = Area::around(&state.path)
                {
                    // Text drawn before the shape and mostly under it is hidden from a reader,
                    // not from the file.
                    texts.retain(|(area, text)| {
                        let hidden = area.covered_by(&shape) >= COVERED_SHARE;
                        if hidden && !covered.contains(text) {
                            covered.push(text.clone());
                        }
                        !hidden
                    });
                }
                state.path.clear();
            }
            // Stroking or ending a path without filling; a clip ("W") keeps it for the fill after.
            "n" | "S" | "s" => state.path.clear(),
            "BT" => {
                state.text_matrix = IDENTITY;
                state.line_matrix = IDENTITY;
            }
            "Tf" if operands.len() == 2 => {
                state.font = operands[0].as_name().map(<[u8]>::to_vec).unwrap_or_default();
                state.font_size = values.last().copied().unwrap_or(12.0);
            }
            "TL" if values.len() == 1 => state.leading = values[0],
            "Td" | "TD" if values.len() == 2 => {
                if operation.operator == "TD" {
                    state.leading = -values[1];
                }
                state.line_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, values[0], values[1]], &state.line_matrix);
                state.text_matrix = state.line_matrix;
            }
            "Tm" if values.len() == 6 => {
                state.line_matrix = [values[0], values[1], values[2], values[3], values[4], values[5]];
                state.text_matrix = state.line_matrix;
            }
            "T*" => state.next_line(),
            "Tj" | "'" | "\"" | "TJ" => {
                if operation.operator != "Tj" && operation.operator != "TJ" {
                    state.next_line();
                }
                let strings: Vec<&[u8]> = match operation.operator.as_str() {
                    "TJ" => operands
                        .first()
                        .and_then(|o| o.as_array().ok())
                        .map(|items| items.iter().filter_map(|i| i.as_str().ok()).collect())
                        .unwrap_or_default(),
                    _ => operands.last().and_then(|o| o.as_str().ok()).into_iter().collect(),
                };
                let text: String = strings
                    .iter()
                    .map(|bytes| match encodings.get(&state.font) {
                        Some(encoding) => Document::decode_text(encoding, bytes).unwrap_or_default(),
                        None => String::from_utf8_lossy(bytes).into_owned(),
                    })
                    .collect();
                let text = text.trim().to_string();
                if !text.is_empty() {
                    let area = state.text_area(text.chars().count());
                    state.advance(text.chars().count());
                    texts.push((area, text));
                }
            }
            _ => {}
        }
    }
    covered
}

/// What the content stream has set so far.
#[derive(Debug, Default)]
struct Drawing {
    ctm: Matrix,
    dark_fill: bool,
    path: Vec<(f64, f64)>,
    text_matrix: Matrix,
    line_matrix: Matrix,
    font: Vec<u8>,
    font_size: f64,
    leading: f64,
}

impl Drawing {
    fn next_line(&mut self) {
        self.line_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, 0.0, -self.leading], &self.line_matrix);
        self.text_matrix = self.line_matrix;
    }
    /// Where a run of `chars` characters lands: glyphs are taken as half the font size wide,
    /// from the baseline to the font size above it (descenders are what a box is drawn over).
    fn text_area(&self, chars: usize) -> Area {
        let size = if self.font_size == 0.0 { 12.0 } else { self.font_size };
        let to_page = multiply(&self.text_matrix, &self.ctm);
        let width = size * 0.5 * f64::from(u32::try_from(chars).unwrap_or(u32::MAX));
        let corners = [(0.0, -0.2 * size), (width, -0.2 * size), (width, 0.8 * size), (0.0, 0.8 * size)];
        Area::around(&corners.map(|p| apply(&to_page, p))).unwrap_or(Area { left: 0.0, bottom: 0.0, right: 0.0, top: 0.0 })
    }
    fn advance(&mut self, chars: usize) {
        let size = if self.font_size == 0.0 { 12.0 } else { self.font_size };
        let width = size * 0.5 * f64::from(u32::try_from(chars).unwrap_or(u32::MAX));
        self.text_matrix = multiply(&[1.0, 0.0, 0.0, 1.0, width, 0.0], &self.text_matrix);
    }
}
