//! Imports the Panel's meetings from the host council's ModernGov web service
//! (`mgWebService.asmx`): GetMeetings lists a committee's meetings in a date range, GetMeeting
//! gives one meeting's attendees, agenda items, linked documents and minutes, and
//! GetAttachment one document's details. Papers open to the public are fetched and kept here, so
//! a paper never goes missing when the council's site changes; restricted (Part 2) papers are
//! recorded by title only and shown to the Panel alone. Importing again updates meetings and adds
//! what is new: papers published after a meeting's first import become numbered supplements.
//! Nothing imported before is deleted.

use platform::audit::Actor;
use platform::db::{self, Pool};
use platform::files::Storage;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

use crate::store::{self, NewItem, NewMeeting, NewMember, NewPaper};

/// One meeting as GetMeetings lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed {
    pub id: String,
    pub date: Option<Date>,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attendee {
    pub member_id: String,
    pub name: String,
    pub role: String,
    pub attendance: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkedDoc {
    pub attachment_id: String,
    pub title: String,
    pub url: String,
    pub restricted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub number: String,
    pub title: String,
    pub restricted: bool,
    pub minutes: String,
    pub documents: Vec<LinkedDoc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDetail {
    pub id: String,
    pub starts_at: OffsetDateTime,
    pub location: String,
    pub status: String,
    pub webcast_url: String,
    pub minutes_published: bool,
    pub attendees: Vec<Attendee>,
    pub items: Vec<AgendaItem>,
}

fn child_text(node: roxmltree::Node<'_, '_>, name: &str) -> String {
    node.children().find(|c| c.has_tag_name(name)).and_then(|c| c.text()).map(|t| t.trim().to_string()).unwrap_or_default()
}

fn is_true(text: &str) -> bool {
    text.eq_ignore_ascii_case("true") || text == "1"
}

/// ModernGov writes dates as dd/mm/yyyy.
pub fn read_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().split('/');
    let day: u8 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let year: i32 = parts.next()?.get(..4)?.parse().ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

/// Meeting times come as "10:00", "10.00 am" or "2.00 pm"; anything else is read as 10am.
pub fn read_time(text: &str) -> Time {
    let t = text.trim().to_ascii_lowercase();
    let pm = t.ends_with("pm");
    let digits = t.trim_end_matches("am").trim_end_matches("pm").trim();
    let (h, m) = digits.split_once([':', '.']).unwrap_or((digits, "0"));
    let (Ok(mut hour), Ok(minute)) = (h.trim().parse::<u8>(), m.trim().parse::<u8>()) else {
        return Time::from_hms(10, 0, 0).expect("10am");
    };
    if pm && hour < 12 {
        hour += 12;
    }
    Time::from_hms(hour, minute, 0).unwrap_or(Time::from_hms(10, 0, 0).expect("10am"))
}

fn parse(xml: &str) -> Result<roxmltree::Document<'_>, String> {
    roxmltree::Document::parse(xml).map_err(|e| format!("the answer is not XML the web service gives ({e})"))
}

/// Reads GetCommittees: (id, title) of each committee.
pub fn read_committees(xml: &str) -> Result<Vec<(String, String)>, String> {
    let doc = parse(xml)?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("committee"))
        .map(|n| (child_text(n, "committeeid"), child_text(n, "committeetitle")))
        .filter(|(id, _)| !id.is_empty())
        .collect())
}

/// Reads GetMeetings.
pub fn read_meetings(xml: &str) -> Result<Vec<Listed>, String> {
    let doc = parse(xml)?;
    Ok(doc
        .descendants()
        .filter(|n| n.has_tag_name("meeting"))
        .map(|n| Listed {
            id: child_text(n, "meetingid"),
            date: read_date(&child_text(n, "meetingdate")),
            status: child_text(n, "meetingstatus"),
        })
        .filter(|m| !m.id.is_empty())
        .collect())
}

/// The text of minutes ModernGov sends as escaped HTML: tags dropped, paragraphs kept as lines.
pub fn minutes_text(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    let mut tag = String::new();
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let name = tag.trim_start_matches('/').split_whitespace().next().unwrap_or("").to_ascii_lowercase();
                if matches!(name.as_str(), "p" | "br" | "br/" | "li" | "div" | "tr") && !out.ends_with('\n') {
                    out.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) => out.push(c),
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "’")
        .replace("&pound;", "£");
    decoded.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join("\n")
}

/// Reads GetMeeting.
pub fn read_meeting(xml: &str) -> Result<MeetingDetail, String> {
    let doc = parse(xml)?;
    let root = doc.descendants().find(|n| n.has_tag_name("meeting")).ok_or("the answer has no meeting in it")?;
    let id = child_text(root, "meetingid");
    if id.is_empty() {
        return Err("the meeting has no meetingid".into());
    }
    let date = read_date(&child_text(root, "meetingdate")).ok_or("the meeting has no date as dd/mm/yyyy")?;
    let starts_at = platform::calendar::from_uk_local(PrimitiveDateTime::new(date, read_time(&child_text(root, "meetingtime"))));
    let attendees = root
        .descendants()
        .filter(|n| n.has_tag_name("attendee"))
        .map(|n| {
            let attr = |name: &str| n.attribute(name).map(str::trim).map(str::to_string).unwrap_or_else(|| child_text(n, name));
            Attendee {
                member_id: attr("memberid"),
                name: attr("name"),
                role: attr("roledescription"),
                attendance: attr("attendance"),
            }
        })
        .filter(|a| !a.member_id.is_empty() && !a.name.is_empty())
        .collect();
    let items = root
        .descendants()
        .filter(|n| n.has_tag_name("agendaitem"))
        .map(|n| {
            let number = match child_text(n, "fulldisplaynumberformat") {
                n2 if n2.is_empty() => child_text(n, "agendaitemnumber"),
                n2 => n2,
            };
            let documents = n
                .descendants()
                .filter(|d| d.has_tag_name("linkeddoc"))
                .map(|d| LinkedDoc {
                    attachment_id: child_text(d, "attachmentid"),
                    title: child_text(d, "title"),
                    url: child_text(d, "url"),
                    restricted: is_true(&child_text(d, "isrestricted")),
                })
                .filter(|d| !d.title.is_empty())
                .collect();
            AgendaItem {
                number,
                title: child_text(n, "agendaitemtitle"),
                restricted: is_true(&child_text(n, "isrestricted")) || is_true(&child_text(n, "agendaitemisrestricted")),
                minutes: minutes_text(&child_text(n, "minutesnonemptyhtmlbody")),
                documents,
            }
        })
        .filter(|i| !i.title.is_empty())
        .collect();
    Ok(MeetingDetail {
        id,
        starts_at,
        location: child_text(root, "meetinglocation"),
        status: child_text(root, "meetingstatus"),
        webcast_url: child_text(root, "webcasturl"),
        minutes_published: is_true(&child_text(root, "minutepublished")) || is_true(&child_text(root, "isminutepublished")),
        attendees,
        items,
    })
}

/// Reads GetAttachment: the document's title, address and whether it is restricted.
pub fn read_attachment(xml: &str) -> Result<LinkedDoc, String> {
    let doc = parse(xml)?;
    let n = doc.descendants().find(|n| n.has_tag_name("attachment")).ok_or("the answer has no attachment in it")?;
    Ok(LinkedDoc {
        attachment_id: child_text(n, "attachmentid"),
        title: child_text(n, "title"),
        url: child_text(n, "url"),
        restricted: is_true(&child_text(n, "isrestricted")),
    })
}

/// The meeting's status in the office's words: ModernGov says "Confirmed", "Cancelled",
/// "Postponed" and so on, sometimes with more after a semicolon.
pub fn status_of(text: &str, starts_at: OffsetDateTime, now: OffsetDateTime) -> &'static str {
    let t = text.to_ascii_lowercase();
    if t.contains("cancel") {
        "cancelled"
    } else if t.contains("postpone") {
        "postponed"
    } else if starts_at < now {
        "held"
    } else {
        "scheduled"
    }
}

fn attendance_of(text: &str) -> &'static str {
    let t = text.to_ascii_lowercase();
    if t.contains("apolog") {
        "apologies"
    } else if t.contains("absent") {
        "absent"
    } else {
        "present"
    }
}

/// What an import did, for the office and the log.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Imported {
    pub meetings_added: usize,
    pub meetings_updated: usize,
    pub items_added: usize,
    pub papers_added: usize,
    pub supplements: usize,
    pub restricted: usize,
    pub members_added: usize,
    /// Problems met on the way, each naming the meeting or document; the rest was imported.
    pub problems: Vec<String>,
}

impl Imported {
    pub fn words(&self) -> String {
        let mut out = format!(
            "{} meetings added and {} updated; {} agenda items and {} papers added ({} of them supplements, {} restricted to the Panel); {} members added",
            self.meetings_added,
            self.meetings_updated,
            self.items_added,
            self.papers_added,
            self.supplements,
            self.restricted,
            self.members_added
        );
        if !self.problems.is_empty() {
            out.push_str(&format!(". {} problems: {}", self.problems.len(), self.problems.join("; ")));
        }
        out
    }
}

/// The web service, at `base` (the address ending `mgWebService.asmx`).
pub struct Service {
    pub base: String,
    client: reqwest::Client,
}

impl Service {
    pub fn new(base: &str) -> anyhow::Result<Service> {
        let client = reqwest::Client::builder()
            .user_agent(concat!("Commissioner/", env!("CARGO_PKG_VERSION"), " (Panel meetings import)"))
            .connect_timeout(std::time::Duration::from_secs(20))
            .timeout(std::time::Duration::from_secs(120))
            .build()?;
        Ok(Service { base: base.trim_end_matches('/').to_string(), client })
    }

    async fn get(&self, url: &str) -> Result<Vec<u8>, String> {
        let response = self.client.get(url).send().await.map_err(|e| format!("cannot reach {url}: {e}"))?;
        if !response.status().is_success() {
            return Err(format!("{url} answered {}", response.status()));
        }
        response.bytes().await.map(|b| b.to_vec()).map_err(|e| format!("{url} stopped part-way: {e}"))
    }

    async fn text(&self, url: &str) -> Result<String, String> {
        String::from_utf8(self.get(url).await?).map_err(|_| format!("{url} did not answer in UTF-8 text"))
    }

    pub async fn committees(&self) -> Result<Vec<(String, String)>, String> {
        read_committees(&self.text(&format!("{}/GetCommittees?lDays=0", self.base)).await?)
    }

    pub async fn meetings(&self, committee: &str, from: Date, to: Date) -> Result<Vec<Listed>, String> {
        let d = |d: Date| format!("{:02}/{:02}/{}", d.day(), u8::from(d.month()), d.year());
        read_meetings(
            &self
                .text(&format!("{}/GetMeetings?lCommitteeId={committee}&sFromDate={}&sToDate={}", self.base, d(from), d(to)))
                .await?,
        )
    }

    pub async fn meeting(&self, id: &str) -> Result<MeetingDetail, String> {
        read_meeting(&self.text(&format!("{}/GetMeeting?lMeetingId={id}", self.base)).await?)
    }

    pub async fn attachment(&self, id: &str) -> Result<LinkedDoc, String> {
        read_attachment(&self.text(&format!("{}/GetAttachment?lAttachmentId={id}", self.base)).await?)
    }
}

/// Imports the committee's meetings between `from` and `to`.
pub async fn import(
    pool: &Pool,
    storage: &Storage,
    service: &Service,
    (committee, from, to): (&str, Date, Date),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Imported, String> {
    let listed = service.meetings(committee, from, to).await?;
    let mut done = Imported::default();
    for m in listed {
        let detail = match service.meeting(&m.id).await {
            Ok(d) => d,
            Err(why) => {
                done.problems.push(format!("meeting {}: {why}", m.id));
                continue;
            }
        };
        // Fetch the public papers before writing, so a slow council site never holds a transaction.
        let mut fetched: Vec<(String, Option<String>)> = Vec::new();
        for doc in detail.items.iter().flat_map(|i| &i.documents).filter(|d| !d.restricted) {
            let key = paper_key(&detail.id, doc);
            if paper_known(pool, &key).await.map_err(|e| e.to_string())? {
                continue;
            }
            let url = if doc.attachment_id.is_empty() {
                doc.url.clone()
            } else {
                match service.attachment(&doc.attachment_id).await {
                    Ok(a) if !a.url.is_empty() => a.url,
                    Ok(_) => doc.url.clone(),
                    Err(why) => {
                        done.problems.push(format!("“{}”: {why}", doc.title));
                        doc.url.clone()
                    }
                }
            };
            let bytes = match service.get(&url).await {
                Ok(b) if !b.is_empty() => Some(b),
                Ok(_) => {
                    done.problems.push(format!("“{}”: the file at {url} is empty", doc.title));
                    None
                }
                Err(why) => {
                    done.problems.push(format!("“{}”: {why}", doc.title));
                    None
                }
            };
            let file = match bytes {
                Some(bytes) => {
                    let kind =
                        platform::files::detect_type(&bytes[..bytes.len().min(8192)]).unwrap_or("application/octet-stream");
                    let name = format!(
                        "{}.{}",
                        platform::slugs::of_title(&doc.title),
                        if kind == "application/pdf" { "pdf" } else { "bin" }
                    );
                    let mut tx = db::begin_write(pool).await.map_err(|e| e.to_string())?;
                    let id = platform::files::store_generated(&mut tx, storage, bytes, (kind, &name), ("panel paper", &key), now)
                        .await
                        .map_err(|e| e.to_string())?;
                    tx.commit().await.map_err(|e| e.to_string())?;
                    Some(id)
                }
                None => None,
            };
            fetched.push((key, file));
        }
        let mut tx = db::begin_write(pool).await.map_err(|e| e.to_string())?;
        write_meeting(&mut tx, &detail, &fetched, &mut done, actor, now).await.map_err(|e| e.to_string())?;
        tx.commit().await.map_err(|e| e.to_string())?;
    }
    let mut tx = db::begin_write(pool).await.map_err(|e| e.to_string())?;
    store::note_import(&mut tx, &done.words(), now).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())?;
    Ok(done)
}

fn paper_key(meeting: &str, doc: &LinkedDoc) -> String {
    if doc.attachment_id.is_empty() { format!("{meeting}:{}", doc.url) } else { format!("{meeting}:{}", doc.attachment_id) }
}

async fn paper_known(pool: &Pool, key: &str) -> Result<bool, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT id FROM panel_paper WHERE external_id = $1").bind(key.to_string()).fetch_optional(pool).await?;
    Ok(row.is_some())
}

async fn write_meeting(
    conn: &mut sqlx::AnyConnection,
    detail: &MeetingDetail,
    fetched: &[(String, Option<String>)],
    done: &mut Imported,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let calendar = platform::calendar::WorkingDayCalendar::for_nation(platform::calendar::Nation::EnglandAndWales, Vec::new());
    let day = platform::calendar::uk_local_date(detail.starts_at);
    let new = NewMeeting {
        starts_at: detail.starts_at,
        place: &detail.location,
        webcast_url: &detail.webcast_url,
        status: status_of(&detail.status, detail.starts_at, now),
        questions_close: crate::rules::questions_close(day, crate::rules::QUESTION_NOTICE_WORKING_DAYS, &calendar),
        source: "modern-gov",
        external_id: Some(&detail.id),
    };
    let (meeting, first_time) = match store::meeting_by_external(conn, &detail.id).await? {
        Some(m) => {
            store::refresh_meeting(conn, &m.id, &new, detail.minutes_published, now).await?;
            done.meetings_updated += 1;
            (m.id, false)
        }
        None => {
            let id = store::add_meeting(conn, &new, actor, now).await?;
            if detail.minutes_published {
                store::refresh_meeting(conn, &id, &new, true, now).await?;
            }
            done.meetings_added += 1;
            (id, true)
        }
    };
    // Members, from the attendees, by their ModernGov id.
    let mut attendance = Vec::new();
    for a in &detail.attendees {
        let known: Option<(String,)> = sqlx::query_as("SELECT id FROM panel_member WHERE external_id = $1")
            .bind(a.member_id.clone())
            .fetch_optional(&mut *conn)
            .await?;
        let member = match known {
            Some((id,)) => id,
            None => {
                let role = a.role.to_ascii_lowercase();
                let independent = role.contains("co-opt") || role.contains("independent");
                let position = if role.contains("vice") {
                    "Vice-Chair"
                } else if role.contains("chair") {
                    "Chair"
                } else {
                    "Member"
                };
                let new = NewMember {
                    name: &a.name,
                    kind: if independent { "independent" } else { "councillor" },
                    council: "",
                    party: "",
                    position,
                    term_from: day,
                    term_to: None,
                    external_id: Some(&a.member_id),
                };
                done.members_added += 1;
                store::add_member(conn, &new, actor, now).await?
            }
        };
        attendance.push((member, attendance_of(&a.attendance).to_string(), String::new()));
    }
    if !attendance.is_empty() {
        store::record_attendance(conn, &meeting, &attendance, actor, now).await?;
    }
    // Items and their papers.
    for item in &detail.items {
        let key = format!("{}:{}:{}", detail.id, item.number, item.title);
        let known: Option<(String,)> = sqlx::query_as("SELECT id FROM panel_item WHERE external_id = $1")
            .bind(key.clone())
            .fetch_optional(&mut *conn)
            .await?;
        let item_id = match known {
            Some((id,)) => {
                if !item.minutes.is_empty() {
                    sqlx::query("UPDATE panel_item SET minutes = $1 WHERE id = $2")
                        .bind(item.minutes.clone())
                        .bind(id.clone())
                        .execute(&mut *conn)
                        .await?;
                }
                id
            }
            None => {
                done.items_added += 1;
                let new = NewItem {
                    number: &item.number,
                    title: &item.title,
                    exempt_reason: item.restricted.then_some("Exempt information (Local Government Act 1972, Schedule 12A)"),
                    minutes: &item.minutes,
                    external_id: Some(&key),
                };
                store::add_item(conn, &meeting, &new, actor, now).await?
            }
        };
        for doc in &item.documents {
            let key = paper_key(&detail.id, doc);
            let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM panel_paper WHERE external_id = $1")
                .bind(key.clone())
                .fetch_optional(&mut *conn)
                .await?;
            if exists.is_some() {
                continue;
            }
            let file = fetched.iter().find(|(k, _)| *k == key).and_then(|(_, f)| f.clone());
            let restricted = doc.restricted || item.restricted;
            let new = NewPaper {
                item_id: &item_id,
                title: &doc.title,
                kind: "imported",
                generated_from: "",
                html: "",
                file_id: file.as_deref(),
                source_url: if restricted { "" } else { &doc.url },
                exempt: restricted,
                external_id: Some(&key),
            };
            store::add_paper(conn, &meeting, &new, !first_time, actor, now).await?;
            done.papers_added += 1;
            done.supplements += usize::from(!first_time);
            done.restricted += usize::from(restricted);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_dates_are_read_as_councils_write_them() {
        assert_eq!(read_date("29/01/2018"), Some(time::macros::date!(2018 - 01 - 29)));
        assert_eq!(read_date("31/02/2018"), None);
        assert_eq!(read_date("2018-01-29"), None);
        assert_eq!(read_time("10:00"), time::macros::time!(10:00));
        assert_eq!(read_time("2.00 pm"), time::macros::time!(14:00));
        assert_eq!(read_time("12.30 pm"), time::macros::time!(12:30));
        assert_eq!(read_time("soon"), time::macros::time!(10:00));
    }

    #[test]
    fn minutes_html_becomes_plain_lines() {
        assert_eq!(
            minutes_text("<p>RESOLVED: That the report be&nbsp;noted.</p><p>Second &amp; last</p><script>x</script>"),
            "RESOLVED: That the report be noted.\nSecond & last\nx"
        );
    }

    #[test]
    fn bad_answers_are_refused_with_a_reason_never_a_panic() {
        assert!(read_meeting("<html>Service unavailable</html>").unwrap_err().contains("no meeting"));
        assert!(read_meeting("not xml").unwrap_err().contains("not XML"));
        assert!(
            read_meeting("<meeting><meetingid>1</meetingid><meetingdate>soon</meetingdate></meeting>")
                .unwrap_err()
                .contains("no date")
        );
        assert_eq!(read_meetings("<getmeetingsbydate><meetings/></getmeetingsbydate>").unwrap(), Vec::new());
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_answered(text in ".{0,400}") {
            let _ = read_meeting(&text);
            let _ = read_meetings(&text);
            let _ = read_attachment(&text);
            let _ = minutes_text(&text);
            let _ = read_time(&text);
            let _ = read_date(&text);
        }
    }
}
