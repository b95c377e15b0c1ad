//! A decision record's life, pure: drafted with its number, signed by the decision maker, then
//! published. Only a draft may be changed; a signed record may go back to draft before it is
//! published; a published record stays as published (a correction is a new decision).

use time::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Draft,
    Signed,
    Published,
}

/// What the office may do to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Sign,
    Unsign,
    Publish,
}

impl Status {
    pub fn parse(text: &str) -> Option<Status> {
        match text {
            "draft" => Some(Status::Draft),
            "signed" => Some(Status::Signed),
            "published" => Some(Status::Published),
            _ => None,
        }
    }

    pub fn slug(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Signed => "signed",
            Status::Published => "published",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Status::Draft => "Draft",
            Status::Signed => "Signed, not yet published",
            Status::Published => "Published",
        }
    }

    /// The status after a step, or None when the step is not allowed from here.
    pub fn after(self, step: Step) -> Option<Status> {
        match (self, step) {
            (Status::Draft, Step::Sign) => Some(Status::Signed),
            (Status::Signed, Step::Unsign) => Some(Status::Draft),
            (Status::Signed, Step::Publish) => Some(Status::Published),
            _ => None,
        }
    }

    pub fn editable(self) -> bool {
        self == Status::Draft
    }
}

impl Step {
    pub fn parse(text: &str) -> Option<Step> {
        match text {
            "sign" => Some(Step::Sign),
            "unsign" => Some(Step::Unsign),
            "publish" => Some(Step::Publish),
            _ => None,
        }
    }
}

/// A decision's number: the year it was made in and its place in that year, "2026/015".
pub fn number(year: i32, sequence: i64) -> String {
    format!("{year}/{sequence:03}")
}

/// Reads "2026/015" (or the URL form "2026-015") back into its parts.
pub fn read_number(text: &str) -> Option<(i32, i64)> {
    let (year, sequence) = text.split_once(['/', '-'])?;
    if year.len() != 4 || sequence.is_empty() || sequence.len() > 6 {
        return None;
    }
    Some((year.parse().ok()?, sequence.parse().ok().filter(|s| *s > 0)?))
}

/// The number as it appears in a web address.
pub fn slug(number: &str) -> String {
    number.replace('/', "-")
}

/// One published decision as the feed gives it.
pub struct FeedEntry<'a> {
    pub number: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub published: Date,
}

/// The published decisions as an Atom feed (RFC 4287), newest first.
pub fn atom(base: &str, office: &str, entries: &[FeedEntry<'_>]) -> Result<String, std::io::Error> {
    use quick_xml::events::{BytesDecl, BytesText, Event};
    let mut writer = quick_xml::Writer::new(Vec::new());
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let updated = entries.iter().map(|e| e.published).max();
    let stamp = |d: Date| format!("{}T00:00:00Z", platform::db::date(d));
    writer.create_element("feed").with_attribute(("xmlns", "http://www.w3.org/2005/Atom")).write_inner_content(|w| {
        w.create_element("title").write_text_content(BytesText::new(&format!("{office}: decisions")))?;
        w.create_element("id").write_text_content(BytesText::new(&format!("{base}/transparency/decisions")))?;
        w.create_element("link")
            .with_attributes([("rel", "self"), ("href", format!("{base}/transparency/decisions.atom").as_str())])
            .write_empty()?;
        w.create_element("link").with_attribute(("href", format!("{base}/transparency/decisions").as_str())).write_empty()?;
        w.create_element("updated")
            .write_text_content(BytesText::new(&updated.map(stamp).unwrap_or_else(|| "1970-01-01T00:00:00Z".into())))?;
        w.create_element("author").write_inner_content(|a| {
            a.create_element("name").write_text_content(BytesText::new(office))?;
            Ok(())
        })?;
        for e in entries {
            let url = format!("{base}/transparency/decisions/{}", slug(e.number));
            w.create_element("entry").write_inner_content(|x| {
                x.create_element("title").write_text_content(BytesText::new(&format!("{}: {}", e.number, e.title)))?;
                x.create_element("id").write_text_content(BytesText::new(&url))?;
                x.create_element("link").with_attribute(("href", url.as_str())).write_empty()?;
                x.create_element("updated").write_text_content(BytesText::new(&stamp(e.published)))?;
                x.create_element("summary").write_text_content(BytesText::new(e.summary))?;
                Ok(())
            })?;
        }
        Ok(())
    })?;
    String::from_utf8(writer.into_inner()).map_err(std::io::Error::other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn a_record_moves_only_by_the_allowed_steps() {
        use Status::*;
        use Step::*;
        let table = [
            (Draft, Sign, Some(Signed)),
            (Draft, Unsign, None),
            (Draft, Publish, None),
            (Signed, Publish, Some(Published)),
            (Signed, Unsign, Some(Draft)),
            (Signed, Sign, None),
            (Published, Unsign, None),
            (Published, Sign, None),
            (Published, Publish, None),
        ];
        for (from, step, to) in table {
            assert_eq!(from.after(step), to, "{from:?} {step:?}");
        }
        assert!(Draft.editable() && !Signed.editable() && !Published.editable());
    }

    #[test]
    fn numbers_are_the_year_and_three_digits_and_read_back() {
        assert_eq!(number(2026, 15), "2026/015");
        assert_eq!(number(2026, 1234), "2026/1234");
        assert_eq!(read_number("2026/015"), Some((2026, 15)));
        assert_eq!(read_number(&slug("2026/015")), Some((2026, 15)));
        for bad in ["2026", "26/015", "2026/", "2026/0", "x/1", "2026/1234567"] {
            assert_eq!(read_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_feed_escapes_what_it_quotes_and_reads_back_as_atom() {
        let entries = [FeedEntry {
            number: "2026/015",
            title: "Grants <& more>",
            summary: "A \"quoted\" summary",
            published: date!(2026 - 11 - 02),
        }];
        let xml = atom("https://example.org", "Office & Co", &entries).expect("feed");
        let doc = roxmltree::Document::parse(&xml).expect("well formed");
        let feed = doc.root_element();
        assert_eq!(feed.tag_name().namespace(), Some("http://www.w3.org/2005/Atom"));
        let entry = feed.children().find(|n| n.has_tag_name("entry")).expect("entry");
        let text =
            |name: &str| entry.children().find(|n| n.has_tag_name(name)).and_then(|n| n.text()).unwrap_or_default().to_string();
        assert_eq!(text("title"), "2026/015: Grants <& more>");
        assert_eq!(text("id"), "https://example.org/transparency/decisions/2026-015");
        assert_eq!(text("updated"), "2026-11-02T00:00:00Z");
    }
}
