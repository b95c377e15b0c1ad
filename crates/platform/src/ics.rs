//! iCalendar (RFC 5545) feeds: events written in UTC, text escaped and long lines folded, so any
//! calendar program can subscribe to a list of meetings.

use time::OffsetDateTime;

/// One event in a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Stable across feeds, so a subscriber's calendar updates the event rather than adding one.
    pub uid: String,
    pub starts: OffsetDateTime,
    pub minutes: i64,
    pub summary: String,
    pub location: String,
    pub description: String,
    pub url: String,
    pub cancelled: bool,
    /// When the event last changed.
    pub stamp: OffsetDateTime,
}

fn utc(at: OffsetDateTime) -> String {
    let at = at.to_offset(time::UtcOffset::UTC);
    format!("{:04}{:02}{:02}T{:02}{:02}{:02}Z", at.year(), u8::from(at.month()), at.day(), at.hour(), at.minute(), at.second())
}

/// Text as a TEXT value: backslashes, semicolons, commas and newlines escaped.
pub fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace('\n', "\\n")
        .replace('\r', "")
}

/// A content line folded at 75 octets (never inside a character), with CRLF endings.
fn fold(line: &str, out: &mut String) {
    let mut used = 0;
    for c in line.chars() {
        if used + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            used = 1;
        }
        out.push(c);
        used += c.len_utf8();
    }
    out.push_str("\r\n");
}

/// A whole calendar named `name`.
pub fn calendar(name: &str, events: &[Event]) -> String {
    let mut out = String::new();
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Commissioner//Meetings//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    {
        fold(line, &mut out);
    }
    fold(&format!("X-WR-CALNAME:{}", escape(name)), &mut out);
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", escape(&e.uid)), &mut out);
        fold(&format!("DTSTAMP:{}", utc(e.stamp)), &mut out);
        fold(&format!("DTSTART:{}", utc(e.starts)), &mut out);
        fold(&format!("DTEND:{}", utc(e.starts + time::Duration::minutes(e.minutes))), &mut out);
        fold(&format!("SUMMARY:{}", escape(&e.summary)), &mut out);
        if !e.location.is_empty() {
            fold(&format!("LOCATION:{}", escape(&e.location)), &mut out);
        }
        if !e.description.is_empty() {
            fold(&format!("DESCRIPTION:{}", escape(&e.description)), &mut out);
        }
        if !e.url.is_empty() {
            fold(&format!("URL:{}", e.url), &mut out);
        }
        fold(if e.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" }, &mut out);
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::datetime;

    fn event(summary: &str) -> Event {
        Event {
            uid: "m1@example.org".into(),
            starts: datetime!(2027-06-14 13:00 UTC),
            minutes: 180,
            summary: summary.into(),
            location: "County Buildings, Martin Street, Stafford".into(),
            description: String::new(),
            url: "https://example.org/panel/meetings/m1".into(),
            cancelled: false,
            stamp: datetime!(2027-01-01 09:00 UTC),
        }
    }

    #[test]
    fn events_are_in_utc_with_text_escaped() {
        let feed = calendar("Panel meetings", &[event("Panel; budget, precept")]);
        assert!(feed.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(feed.contains("DTSTART:20270614T130000Z\r\n"));
        assert!(feed.contains("DTEND:20270614T160000Z\r\n"));
        assert!(feed.contains("SUMMARY:Panel\\; budget\\, precept\r\n"));
        assert!(feed.contains("LOCATION:County Buildings\\, Martin Street\\, Stafford\r\n"));
        assert!(feed.ends_with("END:VCALENDAR\r\n"));
    }

    proptest! {
        #[test]
        fn every_line_is_75_octets_or_fewer_and_unfolds_to_the_text(summary in "\\PC{0,300}") {
            let feed = calendar("x", &[event(&summary)]);
            for line in feed.split("\r\n") {
                prop_assert!(line.len() <= 75, "{line:?}");
            }
            let unfolded = feed.replace("\r\n ", "");
            let expected = format!("SUMMARY:{}\r\n", escape(&summary));
            prop_assert!(unfolded.contains(&expected));
        }
    }
}
