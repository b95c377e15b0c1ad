//! Checks a document for what it hides before it is released: spreadsheets with hidden sheets,
//! rows or columns, comments or tracked changes; word-processor files with comments, tracked
//! changes or hidden text; metadata naming people; and PDFs whose text still holds what looks
//! like personal data, text under a drawn box (still in the file), comments and attachments.
//! Office files are zip archives of XML and are read as such; PDFs are read with lopdf
//! (`pdf.rs`). The officer sees every finding and confirms or fixes the file before it is
//! published.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

mod pdf;
use pdf::check_pdf;
pub use pdf::pdf_text;

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
    /// A PDF's comments and notes.
    Annotations(usize),
    /// Files attached to a PDF, by name.
    Attachments(Vec<String>),
    /// Text drawn under a filled dark box: hidden on screen, still in the file.
    CoveredText {
        page: u32,
        text: String,
    },
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
            Finding::Annotations(n) => format!("The PDF has {n} {}", plural(*n, "comment or note", "comments or notes")),
            Finding::Attachments(names) => format!("The PDF has files attached: {}", names.join(", ")),
            Finding::CoveredText { page, text } => {
                format!("On page {page}, text under a filled box is still in the file and can be copied: “{text}”")
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
        // Punctuation around a word is not part of it: "(jo@example.com)." is jo@example.com.
        let word = word.trim_matches(|c: char| !c.is_alphanumeric() && c != '@');
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
        // A real PDF, written by the product's own letter writer (typst: subset CID fonts, compressed).
        let pdf = publishing::letter(
            "Response",
            "Response to request FOI-2026-000001",
            "Northshire OPCC",
            &["The officer, PC Jones, replied to jo.bloggs@example.com on 3 March.".to_string(), "Nothing else.".into()],
        )
        .expect("a letter");
        let text = pdf_text(&pdf);
        assert!(text.contains("PC Jones"), "{text}");
        // The author is found both in the document information and in the XMP metadata.
        assert_eq!(
            check(&pdf),
            vec![
                Finding::Metadata("author".into(), "Northshire OPCC".into()),
                Finding::Metadata("author in its XMP metadata".into(), "Northshire OPCC".into()),
                Finding::PersonalText(vec!["PC Jones".into(), "jo.bloggs@example.com".into()])
            ]
        );
        let clean = publishing::letter("Response", "Response", "", &["The figures for 2025 are attached.".to_string()])
            .expect("a letter");
        assert!(check(&clean).is_empty());
    }

    /// A one-page PDF made with lopdf (a third producer): `content` is the page's content
    /// stream; the document is saved with object streams and a cross-reference stream.
    fn lopdf_pdf(content: &str, extra: impl FnOnce(&mut lopdf::Document, lopdf::ObjectId)) -> Vec<u8> {
        use lopdf::{Document, Object, Stream, dictionary};
        let mut doc = Document::with_version("1.5");
        let pages_id = doc.new_object_id();
        let font = doc.add_object(
            dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica", "Encoding" => "WinAnsiEncoding" },
        );
        let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
        let contents = doc.add_object(Stream::new(dictionary! {}, content.as_bytes().to_vec()).with_compression(true));
        let page = doc.add_object(dictionary! {
            "Type" => "Page", "Parent" => pages_id, "Contents" => contents, "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        });
        doc.objects
            .insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1 }));
        let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        doc.trailer.set("Root", catalog);
        extra(&mut doc, page);
        doc.compress();
        let mut out = Vec::new();
        let options = lopdf::SaveOptions::builder().use_object_streams(true).use_xref_streams(true).build();
        doc.save_with_options(&mut out, options).expect("saved");
        out
    }

    #[test]
    fn a_pdf_with_no_readable_text_or_a_broken_file_is_reported_not_passed() {
        let scanned = lopdf_pdf("0 0 0 rg 10 10 100 100 re f", |_, _| {});
        assert!(matches!(check(&scanned).as_slice(), [Finding::Unreadable(why)] if why.contains("scanned")));
        let broken = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF";
        assert!(matches!(check(broken).as_slice(), [Finding::Unreadable(why)] if why.contains("could not be opened")));
        let broken_zip = b"PK\x03\x04 not really a zip";
        assert!(matches!(check(broken_zip).as_slice(), [Finding::Unreadable(_)]));
        assert!(check(b"plain text, nothing to hide").is_empty());
    }

    const NAMES: &str = "Dr Siân Ŵyn, of Łódź and Dún Laoghaire.";

    /// The same letter from two producers: LibreOffice 7.4 (Writer's PDF export, with comments
    /// exported) and cairo 1.16 (poppler's pdftocairo rewriting it). testdata/hidden/README.md
    /// says how they were made.
    #[test]
    fn a_letter_with_a_drawn_redaction_box_is_caught_whoever_made_the_pdf() {
        for (producer, pdf) in [
            ("LibreOffice", include_bytes!("../../../testdata/hidden/redacted-letter-libreoffice.pdf").as_slice()),
            ("cairo", include_bytes!("../../../testdata/hidden/redacted-letter-cairo.pdf").as_slice()),
        ] {
            // Every character is read; cairo's switch to a second font for the letters outside
            // Latin-1 comes out as a space, which the checks do not mind.
            let squeezed = |t: &str| t.split_whitespace().collect::<String>();
            let text = squeezed(&pdf_text(pdf));
            for every in [NAMES, "£1,234.56", "jonah.pryce@example.com"] {
                assert!(text.contains(&squeezed(every)), "{producer}: {every:?} in {text:?}");
            }
            let findings = check(pdf);
            let covered: Vec<&String> = findings
                .iter()
                .filter_map(|f| if let Finding::CoveredText { page: 1, text } = f { Some(text) } else { None })
                .collect();
            assert!(covered.iter().any(|t| t.contains("Siân")), "{producer}: {findings:?}");
            assert!(!covered.iter().any(|t| t.contains("Overtime")), "{producer}: text beside the box is not under it");
            let personal = findings.iter().find_map(|f| if let Finding::PersonalText(p) = f { Some(p) } else { None });
            let personal = personal.unwrap_or_else(|| panic!("{producer}: {findings:?}"));
            assert!(
                personal.contains(&"Mr Jonah".to_string()) && personal.contains(&"jonah.pryce@example.com".to_string()),
                "{producer}: {personal:?}"
            );
        }
        let libreoffice = check(include_bytes!("../../../testdata/hidden/redacted-letter-libreoffice.pdf"));
        assert!(libreoffice.contains(&Finding::Metadata("author".into(), "Sam Officer".into())), "{libreoffice:?}");
        assert!(libreoffice.contains(&Finding::Annotations(1)), "the comment: {libreoffice:?}");
    }

    #[test]
    fn a_pdf_with_object_streams_attachments_notes_and_xmp_is_read_through() {
        use lopdf::{Object, Stream, dictionary};
        let pdf = lopdf_pdf("BT /F1 12 Tf 72 700 Td (Victim: Mrs Haddock) Tj ET 0 0 0 rg 110 695 120 16 re f", |doc, page| {
            let file = doc.add_object(Stream::new(dictionary! { "Type" => "EmbeddedFile" }, b"name,address".to_vec()));
            let spec = doc.add_object(dictionary! { "Type" => "Filespec", "F" => Object::string_literal("victims.csv"), "EF" => dictionary! { "F" => file } });
            let xmp = b"<x:xmpmeta><rdf:RDF><rdf:Description><dc:creator><rdf:Seq><rdf:li>Pat Redactor</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta>";
            let metadata = doc.add_object(Stream::new(dictionary! { "Type" => "Metadata", "Subtype" => "XML" }, xmp.to_vec()));
            let note = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Text", "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                "Contents" => Object::string_literal("Ask Insp Gadget before release"),
            });
            if let Ok(Object::Dictionary(page)) = doc.get_object_mut(page) {
                page.set("Annots", vec![Object::Reference(note)]);
            }
            let root = doc.trailer.get(b"Root").and_then(Object::as_reference).expect("root");
            if let Ok(Object::Dictionary(catalog)) = doc.get_object_mut(root) {
                catalog.set("Names", dictionary! { "EmbeddedFiles" => dictionary! { "Names" => vec![Object::string_literal("victims.csv"), spec.into()] } });
                catalog.set("Metadata", metadata);
            }
        });
        let findings = check(&pdf);
        assert!(findings.contains(&Finding::Attachments(vec!["victims.csv".into()])), "{findings:?}");
        assert!(
            findings.contains(&Finding::Metadata("author in its XMP metadata".into(), "Pat Redactor".into())),
            "{findings:?}"
        );
        assert!(findings.contains(&Finding::Annotations(1)), "{findings:?}");
        assert!(findings.contains(&Finding::CoveredText { page: 1, text: "Victim: Mrs Haddock".into() }), "{findings:?}");
        assert!(findings.contains(&Finding::PersonalText(vec!["Mrs Haddock".into(), "Insp Gadget".into()])), "{findings:?}");
        let described: Vec<String> = findings.iter().map(Finding::describe).collect();
        assert!(described.contains(&"The PDF has files attached: victims.csv".to_string()), "{described:?}");
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
