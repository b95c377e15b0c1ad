//! Checks a document for what it hides before it is released: spreadsheets with hidden sheets,
//! rows or columns, comments or tracked changes; word-processor files with comments, tracked
//! changes or hidden text; metadata naming people; and PDFs whose text still holds what looks
//! like personal data (text under a drawn box is still in the file). Office files are zip
//! archives of XML and are read as such; a PDF's text is taken from its content streams. The
//! officer sees every finding and confirms or fixes the file before it is published.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

/// Largest part of a document read for the checks; a bigger one is reported, not read.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

/// Something a document hides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    HiddenSheet(String),
    HiddenRows {
        sheet: String,
        count: usize,
    },
    HiddenColumns {
        sheet: String,
        count: usize,
    },
    Comments(usize),
    TrackedChanges(usize),
    HiddenText(usize),
    /// A metadata field that names someone: (field, value).
    Metadata(String, String),
    /// Text in the file that looks like personal data (an email address, a titled name).
    PersonalText(Vec<String>),
    /// The file could not be read well enough to check it: look at it by hand.
    Unreadable(String),
}

impl Finding {
    /// The finding as the officer reads it.
    pub fn describe(&self) -> String {
        match self {
            Finding::HiddenSheet(name) => format!("The spreadsheet has a hidden sheet, “{name}”"),
            Finding::HiddenRows { sheet, count } => {
                format!("Sheet “{sheet}” has {count} hidden {}", plural(*count, "row", "rows"))
            }
            Finding::HiddenColumns { sheet, count } => {
                format!("Sheet “{sheet}” has {count} hidden {}", plural(*count, "column", "columns"))
            }
            Finding::Comments(n) => format!("The document has {n} {}", plural(*n, "comment", "comments")),
            Finding::TrackedChanges(n) => format!("The document has {n} tracked {}", plural(*n, "change", "changes")),
            Finding::HiddenText(n) => format!("The document has {n} {} of hidden text", plural(*n, "run", "runs")),
            Finding::Metadata(field, value) => format!("The document’s {field} is “{value}”"),
            Finding::PersonalText(found) => {
                format!("The text still contains what looks like personal data: {}", found.join(", "))
            }
            Finding::Unreadable(why) => format!("The file could not be checked ({why}): look at it by hand before releasing it"),
        }
    }
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Checks a file by its content (not its name): xlsx and docx by their parts, PDF by its text.
/// Other types have nothing these checks look for and return no findings.
pub fn check(bytes: &[u8]) -> Vec<Finding> {
    if bytes.starts_with(b"%PDF-") {
        return check_pdf(bytes);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(mut archive) => check_office(&mut archive),
            Err(e) => vec![Finding::Unreadable(format!("not a readable zip archive: {e}"))],
        };
    }
    Vec::new()
}

type Archive<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn part(archive: &mut Archive<'_>, name: &str) -> Option<Result<String, String>> {
    let file = archive.by_name(name).ok()?;
    if file.size() > MAX_PART_BYTES {
        return Some(Err(format!("{name} is too large to read")));
    }
    let mut text = String::new();
    Some(file.take(MAX_PART_BYTES).read_to_string(&mut text).map(|_| text).map_err(|e| format!("{name}: {e}")))
}

fn names(archive: &Archive<'_>) -> Vec<String> {
    archive.file_names().flatten().map(|name| name.into_owned()).collect()
}

fn check_office(archive: &mut Archive<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    let all = names(archive);
    if all.iter().any(|n| n == "xl/workbook.xml") {
        check_workbook(archive, &all, &mut findings);
    }
    if all.iter().any(|n| n == "word/document.xml") {
        check_word(archive, &all, &mut findings);
    }
    check_properties(archive, &mut findings);
    findings
}

/// An XML element: its local name, and its attributes as (local name, value).
type Element = (String, Vec<(String, String)>);

/// Each element of an XML part, in document order.
fn elements(xml: &str) -> Result<Vec<Element>, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                let attributes = e
                    .attributes()
                    .flatten()
                    .map(|a| {
                        let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                        let value =
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0).map(|v| v.into_owned()).unwrap_or_default();
                        (key, value)
                    })
                    .collect();
                out.push((name, attributes));
            }
            Ok(Event::Eof) => return Ok(out),
            Ok(_) => {}
            Err(e) => return Err(e.to_string()),
        }
    }
}

/// The text inside elements with one of these local names.
fn texts_of(xml: &str, wanted: &[&str]) -> Vec<(String, String)> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut inside: Option<String> = None;
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                inside = wanted.contains(&name.as_str()).then_some(name);
            }
            Ok(Event::Text(t)) => {
                if let Some(name) = &inside {
                    let raw = t.decode().map(|c| c.into_owned()).unwrap_or_default();
                    let text = quick_xml::escape::unescape(&raw).map(|c| c.trim().to_string()).unwrap_or(raw);
                    if !text.is_empty() {
                        out.push((name.clone(), text));
                    }
                }
            }
            Ok(Event::End(_)) => inside = None,
            Ok(Event::Eof) | Err(_) => return out,
            Ok(_) => {}
        }
    }
}

fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

fn check_workbook(archive: &mut Archive<'_>, all: &[String], findings: &mut Vec<Finding>) {
    let sheets = match part(archive, "xl/workbook.xml") {
        Some(Ok(xml)) => match elements(&xml) {
            Ok(elements) => elements.into_iter().filter(|(name, _)| name == "sheet").map(|(_, a)| a).collect::<Vec<_>>(),
            Err(e) => {
                findings.push(Finding::Unreadable(format!("the workbook: {e}")));
                return;
            }
        },
        Some(Err(e)) => {
            findings.push(Finding::Unreadable(e));
            return;
        }
        None => Vec::new(),
    };
    for (index, sheet) in sheets.iter().enumerate() {
        let name = attribute(sheet, "name").unwrap_or("?").to_string();
        if matches!(attribute(sheet, "state"), Some("hidden" | "veryHidden")) {
            findings.push(Finding::HiddenSheet(name.clone()));
        }
        // Sheets are stored as sheet1.xml, sheet2.xml … in workbook order by every writer we
        // know of; the relationship file would say for certain, at more code than it is worth.
        let path = format!("xl/worksheets/sheet{}.xml", index + 1);
        if let Some(Ok(xml)) = part(archive, &path)
            && let Ok(elements) = elements(&xml)
        {
            let hidden = |tag: &str| elements.iter().filter(|(n, a)| n == tag && attribute(a, "hidden") == Some("1")).count();
            let (rows, columns) = (hidden("row"), hidden("col"));
            if rows > 0 {
                findings.push(Finding::HiddenRows { sheet: name.clone(), count: rows });
            }
            if columns > 0 {
                findings.push(Finding::HiddenColumns { sheet: name.clone(), count: columns });
            }
        }
    }
    let mut comments = 0;
    for name in all.iter().filter(|n| n.starts_with("xl/comments") || n.starts_with("xl/threadedComments/")) {
        if let Some(Ok(xml)) = part(archive, name) {
            comments +=
                elements(&xml).map(|e| e.iter().filter(|(n, _)| n == "comment" || n == "threadedComment").count()).unwrap_or(0);
        }
    }
    if comments > 0 {
        findings.push(Finding::Comments(comments));
    }
    let revisions = all.iter().filter(|n| n.starts_with("xl/revisions/revisionLog")).count();
    if revisions > 0 {
        findings.push(Finding::TrackedChanges(revisions));
    }
}

fn check_word(archive: &mut Archive<'_>, all: &[String], findings: &mut Vec<Finding>) {
    if all.iter().any(|n| n == "word/comments.xml")
        && let Some(Ok(xml)) = part(archive, "word/comments.xml")
    {
        let n = elements(&xml).map(|e| e.iter().filter(|(n, _)| n == "comment").count()).unwrap_or(0);
        if n > 0 {
            findings.push(Finding::Comments(n));
        }
    }
    match part(archive, "word/document.xml") {
        Some(Ok(xml)) => match elements(&xml) {
            Ok(elements) => {
                let changes =
                    elements.iter().filter(|(n, _)| matches!(n.as_str(), "ins" | "del" | "moveFrom" | "moveTo")).count();
                if changes > 0 {
                    findings.push(Finding::TrackedChanges(changes));
                }
                let hidden = elements.iter().filter(|(n, a)| n == "vanish" && attribute(a, "val") != Some("0")).count();
                if hidden > 0 {
                    findings.push(Finding::HiddenText(hidden));
                }
            }
            Err(e) => findings.push(Finding::Unreadable(format!("the document: {e}"))),
        },
        Some(Err(e)) => findings.push(Finding::Unreadable(e)),
        None => {}
    }
}

fn check_properties(archive: &mut Archive<'_>, findings: &mut Vec<Finding>) {
    for (path, fields) in [
        ("docProps/core.xml", &[("creator", "author"), ("lastModifiedBy", "last editor")][..]),
        ("docProps/app.xml", &[("Manager", "manager"), ("Company", "company")][..]),
    ] {
        if let Some(Ok(xml)) = part(archive, path) {
            let wanted: Vec<&str> = fields.iter().map(|(tag, _)| *tag).collect();
            for (tag, value) in texts_of(&xml, &wanted) {
                let field = fields.iter().find(|(t, _)| *t == tag).map(|(_, f)| *f).unwrap_or("metadata");
                findings.push(Finding::Metadata(field.to_string(), value));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// PDF

fn check_pdf(bytes: &[u8]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (key, field) in [("/Author", "author"), ("/Creator", "creator")] {
        if let Some(value) = info_string(bytes, key)
            && !value.is_empty()
            && field == "author"
        {
            findings.push(Finding::Metadata(field.to_string(), value));
        }
    }
    let text = pdf_text(bytes);
    if text.trim().is_empty() {
        findings.push(Finding::Unreadable("no text could be read from the PDF: it may be scanned images".into()));
        return findings;
    }
    let personal = personal_data_in(&text);
    if !personal.is_empty() {
        findings.push(Finding::PersonalText(personal));
    }
    findings
}

/// A string value of the document information dictionary, such as `/Author (Jo Bloggs)`.
fn info_string(bytes: &[u8], key: &str) -> Option<String> {
    let at = find(bytes, key.as_bytes())?;
    let rest = &bytes[at + key.len()..];
    let start = rest.iter().position(|b| !b.is_ascii_whitespace())?;
    if rest[start] != b'(' {
        return None;
    }
    let (value, _) = literal_string(&rest[start..])?;
    Some(String::from_utf8_lossy(&value).into_owned())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A PDF literal string starting at `(`: its bytes and the length consumed.
fn literal_string(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    let mut depth = 0;
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\\' if i + 1 < bytes.len() => {
                i += 1;
                out.push(match bytes[i] {
                    b'n' => b'\n',
                    b'r' => b'\r',
                    b't' => b'\t',
                    other => other,
                });
            }
            b'(' => {
                if depth > 0 {
                    out.push(b);
                }
                depth += 1;
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some((out, i + 1));
                }
                out.push(b);
            }
            _ => out.push(b),
        }
        i += 1;
    }
    None
}

/// The text shown by a PDF's content streams (Tj and TJ strings), each stream inflated when it
/// is Flate-compressed. Enough for PDFs written with standard fonts; text in embedded subset
/// fonts comes out as codes and is reported unreadable rather than guessed at.
pub fn pdf_text(bytes: &[u8]) -> String {
    let mut text = String::new();
    let mut rest = bytes;
    while let Some(at) = find(rest, b"stream") {
        let dictionary_start = rest[..at].iter().rposition(|b| *b == b'<').unwrap_or(0);
        let compressed = find(&rest[dictionary_start..at], b"/FlateDecode").is_some();
        let mut start = at + b"stream".len();
        if rest.get(start) == Some(&b'\r') {
            start += 1;
        }
        if rest.get(start) == Some(&b'\n') {
            start += 1;
        }
        let Some(length) = find(&rest[start..], b"endstream") else { break };
        let data = &rest[start..start + length];
        let content = if compressed {
            let mut out = Vec::new();
            match flate2::read::ZlibDecoder::new(data).take(MAX_PART_BYTES).read_to_end(&mut out) {
                Ok(_) => out,
                Err(_) => Vec::new(),
            }
        } else {
            data.to_vec()
        };
        shown_text(&content, &mut text);
        rest = &rest[start + length + b"endstream".len()..];
    }
    text
}

/// Appends the strings a content stream shows, a line per text object.
fn shown_text(content: &[u8], out: &mut String) {
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'(' => match literal_string(&content[i..]) {
                Some((bytes, used)) => {
                    out.push_str(&String::from_utf8_lossy(&bytes));
                    i += used;
                    continue;
                }
                None => break,
            },
            b'E' if content[i..].starts_with(b"ET") => out.push('\n'),
            _ => {}
        }
        i += 1;
    }
}

/// Email addresses, and names after a title (Mr, Mrs, Ms, Miss, Dr, PC, DC, Sgt, Insp), in text.
pub fn personal_data_in(text: &str) -> Vec<String> {
    const TITLES: [&str; 10] = ["Mr", "Mrs", "Ms", "Miss", "Dr", "PC", "DC", "Sgt", "Insp", "Inspector"];
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut found: Vec<String> = Vec::new();
    let mut add = |item: String| {
        if !found.contains(&item) {
            found.push(item);
        }
    };
    for (i, word) in words.iter().enumerate() {
        let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '@' && c != '.' && c != '-' && c != '_');
        let word = word.trim_end_matches('.');
        if let Some((local, domain)) = word.split_once('@')
            && !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
        {
            add(word.to_string());
        }
        if TITLES.contains(&word.trim_end_matches('.'))
            && let Some(next) = words.get(i + 1)
        {
            let next = next.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'');
            if next.chars().next().is_some_and(char::is_uppercase) && next.chars().count() > 1 {
                add(format!("{word} {next}"));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    /// A real zip archive of these parts, as an Office application would write it.
    fn office_file(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut buffer = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut buffer);
        for (name, content) in parts {
            writer.start_file(*name, SimpleFileOptions::default()).expect("start");
            writer.write_all(content.as_bytes()).expect("write");
        }
        writer.finish().expect("finish");
        buffer.into_inner()
    }

    const CORE: &str = r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Jo Bloggs</dc:creator><cp:lastModifiedBy>Sam Smith</cp:lastModifiedBy></cp:coreProperties>"#;

    #[test]
    fn a_spreadsheet_with_hidden_sheets_rows_columns_and_comments_is_caught() {
        let workbook = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="Summary" sheetId="1"/><sheet name="Names" sheetId="2" state="hidden"/><sheet name="Raw" sheetId="3" state="veryHidden"/></sheets></workbook>"#;
        let sheet1 = r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cols><col min="2" max="2" hidden="1"/><col min="3" max="3"/></cols><sheetData><row r="1"><c r="A1"/></row><row r="2" hidden="1"/><row r="3" hidden="1"/></sheetData></worksheet>"#;
        let comments = r#"<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><commentList><comment ref="A1"><text><t>check this</t></text></comment></commentList></comments>"#;
        let file = office_file(&[
            ("xl/workbook.xml", workbook),
            ("xl/worksheets/sheet1.xml", sheet1),
            ("xl/worksheets/sheet2.xml", "<worksheet/>"),
            ("xl/comments1.xml", comments),
            ("docProps/core.xml", CORE),
        ]);
        let findings = check(&file);
        assert_eq!(
            findings,
            vec![
                Finding::HiddenRows { sheet: "Summary".into(), count: 2 },
                Finding::HiddenColumns { sheet: "Summary".into(), count: 1 },
                Finding::HiddenSheet("Names".into()),
                Finding::HiddenSheet("Raw".into()),
                Finding::Comments(1),
                Finding::Metadata("author".into(), "Jo Bloggs".into()),
                Finding::Metadata("last editor".into(), "Sam Smith".into()),
            ]
        );
        assert_eq!(findings[0].describe(), "Sheet “Summary” has 2 hidden rows");
    }

    #[test]
    fn a_clean_spreadsheet_has_nothing_to_say() {
        let workbook = r#"<workbook><sheets><sheet name="Data" sheetId="1"/></sheets></workbook>"#;
        let file = office_file(&[
            ("xl/workbook.xml", workbook),
            ("xl/worksheets/sheet1.xml", "<worksheet><sheetData><row r=\"1\"/></sheetData></worksheet>"),
        ]);
        assert!(check(&file).is_empty());
    }

    #[test]
    fn a_word_document_with_tracked_changes_comments_and_hidden_text_is_caught() {
        let document = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:ins w:id="1" w:author="Sam"><w:r><w:t>added</w:t></w:r></w:ins><w:del w:id="2" w:author="Sam"><w:r><w:delText>Jo Bloggs lives at 4 Mill Lane</w:delText></w:r></w:del><w:r><w:rPr><w:vanish/></w:rPr><w:t>secret</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>shown</w:t></w:r></w:p></w:body></w:document>"#;
        let comments = r#"<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:comment w:id="0" w:author="Sam"><w:p/></w:comment><w:comment w:id="1" w:author="Jo"><w:p/></w:comment></w:comments>"#;
        let app = r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>Northshire OPCC</Company></Properties>"#;
        let file = office_file(&[("word/document.xml", document), ("word/comments.xml", comments), ("docProps/app.xml", app)]);
        assert_eq!(
            check(&file),
            vec![
                Finding::Comments(2),
                Finding::TrackedChanges(2),
                Finding::HiddenText(1),
                Finding::Metadata("company".into(), "Northshire OPCC".into()),
            ]
        );
    }

    #[test]
    fn a_pdf_whose_text_still_holds_names_and_emails_is_caught() {
        // A real PDF, written by the product's own letter writer (Flate-compressed content).
        let pdf = platform::pdf::letter(
            "Response",
            "Response to request FOI-2026-000001",
            &["The officer, PC Jones, replied to jo.bloggs@example.com on 3 March.".to_string(), "Nothing else.".into()],
        );
        let text = pdf_text(&pdf);
        assert!(text.contains("PC Jones"), "{text}");
        assert_eq!(check(&pdf), vec![Finding::PersonalText(vec!["PC Jones".into(), "jo.bloggs@example.com".into()])]);
        let clean = platform::pdf::letter("Response", "Response", &["The figures for 2025 are attached.".to_string()]);
        assert!(check(&clean).is_empty());
    }

    #[test]
    fn a_pdf_with_no_readable_text_or_a_broken_archive_is_reported_not_passed() {
        let scanned = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF";
        assert!(matches!(check(scanned).as_slice(), [Finding::Unreadable(why)] if why.contains("scanned")));
        let broken = b"PK\x03\x04 not really a zip";
        assert!(matches!(check(broken).as_slice(), [Finding::Unreadable(_)]));
        assert!(check(b"plain text, nothing to hide").is_empty());
    }

    #[test]
    fn personal_data_spotting_finds_titles_and_addresses_and_little_else() {
        assert_eq!(
            personal_data_in("Dear Mrs. Patel, as Dr Who said to sam_o'neil@police.example.uk. the (Mr) count"),
            vec!["Mrs Patel".to_string(), "Dr Who".to_string(), "sam_o'neil@police.example.uk".to_string()]
        );
        assert!(personal_data_in("The Mr Men books; email@ nothing; 3 @ 4").iter().all(|f| f == "Mr Men"));
    }
}
