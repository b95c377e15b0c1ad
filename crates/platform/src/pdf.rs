//! Letters as PDF: plain paragraphs on A4, in Helvetica, tagged so a screen reader reads them in
//! order (a Document of P elements), with the title and language set.
//!
//! Letters are text only, so a small writer does the job without a typesetting engine (typst
//! would add minutes to every cold build for the same result). Characters outside Windows-1252
//! are replaced, because the standard fonts carry no others.

use std::fmt::Write as _;

/// A4 in points, and the margins the office's letters use.
const PAGE_WIDTH: f64 = 595.28;
const PAGE_HEIGHT: f64 = 841.89;
const MARGIN: f64 = 72.0;
const FONT_SIZE: f64 = 11.0;
const HEADING_SIZE: f64 = 14.0;
const LEADING: f64 = 15.0;
const PARAGRAPH_GAP: f64 = 9.0;

/// Helvetica's advance widths (thousandths of the font size) for ASCII 32–126, from its AFM.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556,
    556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778,
    722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222,
    500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/// A character as a Windows-1252 byte, the encoding of the standard fonts.
fn win_ansi(c: char) -> u8 {
    match c {
        ' '..='~' => c as u8,
        '\u{a0}'..='\u{ff}' => c as u32 as u8,
        '€' => 0x80,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '…' => 0x85,
        _ => b'?',
    }
}

fn width_of(byte: u8, size: f64) -> f64 {
    let units = match byte {
        32..=126 => HELVETICA[usize::from(byte - 32)],
        0x91 | 0x92 => 222,
        0x93 | 0x94 => 333,
        0x96 => 556,
        0x97 => 1000,
        0x85 => 1000,
        0x95 => 350,
        _ => 556,
    };
    f64::from(units) * size / 1000.0
}

/// Breaks a paragraph into lines no wider than `width`, at spaces (a word longer than a line is
/// broken where it must be).
pub fn wrap(text: &[u8], size: f64, width: f64) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut line_width = 0.0;
    for word in text.split(|b| *b == b' ').filter(|w| !w.is_empty()) {
        let word_width: f64 = word.iter().map(|b| width_of(*b, size)).sum();
        let space = if line.is_empty() { 0.0 } else { width_of(b' ', size) };
        if !line.is_empty() && line_width + space + word_width > width {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
        }
        if !line.is_empty() {
            line.push(b' ');
            line_width += width_of(b' ', size);
        }
        for byte in word {
            let w = width_of(*byte, size);
            if line_width + w > width && !line.is_empty() && line_width > 0.0 && word_width > width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            line.push(*byte);
            line_width += w;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn escape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

fn pdf_text_string(text: &str) -> String {
    // UTF-16BE with a byte-order mark, as hex: any title survives.
    let mut hex = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(hex, "{unit:04X}");
    }
    hex.push('>');
    hex
}

/// One block of the letter: the heading (the subject) or a paragraph; lines inside a paragraph
/// stay as the writer broke them.
struct Block {
    heading: bool,
    lines: Vec<Vec<u8>>,
}

/// Lays out `paragraphs` (the first as the heading when `heading` is set) and writes the PDF.
pub fn letter(title: &str, heading: &str, paragraphs: &[String]) -> Vec<u8> {
    let width = PAGE_WIDTH - 2.0 * MARGIN;
    let mut blocks =
        vec![Block { heading: true, lines: wrap(&heading.chars().map(win_ansi).collect::<Vec<_>>(), HEADING_SIZE, width) }];
    for paragraph in paragraphs {
        let mut lines = Vec::new();
        for line in paragraph.lines() {
            lines.extend(wrap(&line.chars().map(win_ansi).collect::<Vec<_>>(), FONT_SIZE, width));
        }
        blocks.push(Block { heading: false, lines });
    }

    // Pages: a list of (block index, mcid, y, lines) runs; a block can continue on the next page.
    struct Run {
        block: usize,
        heading: bool,
        y: f64,
        lines: Vec<Vec<u8>>,
    }
    let mut pages: Vec<Vec<Run>> = vec![Vec::new()];
    let mut y = PAGE_HEIGHT - MARGIN;
    for (index, block) in blocks.iter().enumerate() {
        let size = if block.heading { HEADING_SIZE } else { FONT_SIZE };
        let leading = if block.heading { HEADING_SIZE * 1.3 } else { LEADING };
        let mut current = Run { block: index, heading: block.heading, y, lines: Vec::new() };
        for line in &block.lines {
            if y - size < MARGIN {
                if !current.lines.is_empty() {
                    pages.last_mut().expect("a page").push(current);
                }
                pages.push(Vec::new());
                y = PAGE_HEIGHT - MARGIN;
                current = Run { block: index, heading: block.heading, y, lines: Vec::new() };
            }
            current.lines.push(line.clone());
            y -= leading;
        }
        if !current.lines.is_empty() {
            pages.last_mut().expect("a page").push(current);
        }
        y -= PARAGRAPH_GAP;
    }

    // Objects: 1 catalog, 2 pages, 3 font, 4 struct tree root, 5 document element, 6 parent tree,
    // 7 info; then per page: page, content; then one P (or H1) element per run.
    let page_count = pages.len();
    let first_page = 8;
    let run_count: usize = pages.iter().map(Vec::len).sum();
    let first_element = first_page + 2 * page_count;
    let mut objects: Vec<Vec<u8>> = Vec::new();
    let page_ids: Vec<usize> = (0..page_count).map(|i| first_page + 2 * i).collect();
    let kids = page_ids.iter().map(|id| format!("{id} 0 R")).collect::<Vec<_>>().join(" ");
    let element_ids: Vec<usize> = (0..run_count).map(|i| first_element + i).collect();
    objects.push(
        b"<< /Type /Catalog /Pages 2 0 R /StructTreeRoot 4 0 R /MarkInfo << /Marked true >> /Lang (en-GB) /ViewerPreferences << /DisplayDocTitle true >> >>".to_vec(),
    );
    objects.push(format!("<< /Type /Pages /Kids [{kids}] /Count {page_count} >>").into_bytes());
    objects.push(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec());
    objects.push(b"<< /Type /StructTreeRoot /K 5 0 R /ParentTree 6 0 R /ParentTreeNextKey 0 >>".to_vec());
    let element_refs = element_ids.iter().map(|id| format!("{id} 0 R")).collect::<Vec<_>>().join(" ");
    objects.push(format!("<< /Type /StructElem /S /Document /P 4 0 R /K [{element_refs}] >>").into_bytes());
    // The parent tree maps each page's marked content back to its elements.
    let mut parent_tree = String::from("<< /Nums [");
    let mut element = 0;
    for (page_index, runs) in pages.iter().enumerate() {
        let refs = (0..runs.len()).map(|i| format!("{} 0 R", element_ids[element + i])).collect::<Vec<_>>().join(" ");
        let _ = write!(parent_tree, " {page_index} [{refs}]");
        element += runs.len();
    }
    parent_tree.push_str(" ] >>");
    objects.push(parent_tree.into_bytes());
    objects.push(format!("<< /Title {} /Producer (Commissioner) >>", pdf_text_string(title)).into_bytes());
    let mut elements = Vec::new();
    for (page_index, runs) in pages.iter().enumerate() {
        let mut content: Vec<u8> = Vec::new();
        for (mcid, run) in runs.iter().enumerate() {
            let (tag, size, leading) =
                if run.heading { ("H1", HEADING_SIZE, HEADING_SIZE * 1.3) } else { ("P", FONT_SIZE, LEADING) };
            content.extend_from_slice(
                format!("/{tag} << /MCID {mcid} >> BDC BT /F1 {size} Tf {leading} TL {MARGIN} {:.2} Td\n", run.y - size)
                    .as_bytes(),
            );
            for (i, line) in run.lines.iter().enumerate() {
                if i > 0 {
                    content.extend_from_slice(b"T*\n");
                }
                content.push(b'(');
                content.extend(escape(line));
                content.extend_from_slice(b") Tj\n");
            }
            content.extend_from_slice(b"ET EMC\n");
            elements.push((tag, page_ids[page_index], mcid, run.block));
        }
        let page = format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] /Resources << /Font << /F1 3 0 R >> >> /Contents {} 0 R /StructParents {page_index} /Tabs /S >>",
            page_ids[page_index] + 1
        );
        objects.push(page.into_bytes());
        let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
        stream.extend(content);
        stream.extend_from_slice(b"\nendstream");
        objects.push(stream);
    }
    for (tag, page, mcid, _) in elements {
        objects.push(format!("<< /Type /StructElem /S /{tag} /P 5 0 R /Pg {page} 0 R /K {mcid} >>").into_bytes());
    }

    let mut out: Vec<u8> = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (index, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", index + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    let mut table = format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(table, "{offset:010} 00000 n ");
    }
    let _ = write!(table, "trailer\n<< /Size {} /Root 1 0 R /Info 7 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    out.extend_from_slice(table.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_never_overflow_the_measure() {
        let text: Vec<u8> =
            "The agencies met to review your case and agreed an action plan with owners and dates. ".repeat(8).into_bytes();
        let lines = wrap(&text, FONT_SIZE, 200.0);
        assert!(lines.len() > 5);
        for line in &lines {
            let width: f64 = line.iter().map(|b| width_of(*b, FONT_SIZE)).sum();
            assert!(width <= 200.0 + 0.01, "{width}");
        }
        let rejoined: Vec<String> = lines.iter().map(|l| String::from_utf8_lossy(l).into_owned()).collect();
        assert_eq!(rejoined.join(" "), String::from_utf8_lossy(&text).trim_end());
        let long = wrap(&[b'W'; 100], FONT_SIZE, 100.0);
        assert!(long.len() > 1, "an unbreakable word is broken");
    }

    #[test]
    fn a_letter_is_a_well_formed_tagged_pdf() {
        let paragraphs: Vec<String> =
            (0..60).map(|n| format!("Paragraph {n}: the council’s “response” (and yours) \\ £20 – fine.")).collect();
        let pdf = letter("Outcome of your ASB Case Review", "Outcome of your ASB Case Review ASB-2026-000001", &paragraphs);
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.starts_with("%PDF-1.7"));
        assert!(text.trim_end().ends_with("%%EOF"));
        assert!(text.contains("/MarkInfo << /Marked true >>") && text.contains("/Lang (en-GB)"));
        // About 29 one-line paragraphs fit on a page.
        assert!(text.contains("/Count 3"), "sixty paragraphs run onto a third page");
        assert!(text.contains("/S /H1") && text.contains("/S /P "));
        assert!(text.contains("\\(and yours\\) \\\\"), "brackets and backslashes are escaped");
        // Every object the cross-reference table names starts where it says (offsets are bytes).
        let marker = b"startxref\n";
        let at = pdf.windows(marker.len()).rposition(|w| w == marker).expect("startxref") + marker.len();
        let xref_at: usize = String::from_utf8_lossy(&pdf[at..]).lines().next().and_then(|n| n.parse().ok()).expect("offset");
        let table = String::from_utf8_lossy(&pdf[xref_at..]).into_owned();
        assert!(table.starts_with("xref"));
        let mut checked = 0;
        for (index, line) in table.lines().skip(3).take_while(|l| l.ends_with(" n ")).enumerate() {
            let offset: usize = line[..10].parse().expect("offset");
            assert!(pdf[offset..].starts_with(format!("{} 0 obj", index + 1).as_bytes()), "object {}", index + 1);
            checked += 1;
        }
        assert!(checked > 10);
        assert!(pdf.contains(&0x92), "a curly apostrophe is kept in Windows-1252");
    }
}
