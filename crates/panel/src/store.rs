//! The Panel's records, by named verbs. Every write records who did it in the audit log in the
//! same transaction.

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};

use crate::precept::{Precept, Report, Round};

async fn record(conn: &mut AnyConnection, actor: &Actor, event: Event<'_>, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    audit::record(conn, actor, event, now).await.map(|_| ())
}

fn parse(text: &Option<String>) -> Option<Date> {
    text.as_deref().and_then(db::parse_date)
}

// ---------------------------------------------------------------------------------------------
// Where meetings come from

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Source {
    pub service_url: String,
    pub committee_id: String,
    pub committee_title: String,
    pub last_import_at: Option<String>,
    pub last_result: String,
}

pub async fn source(pool: &Pool) -> Result<Source, sqlx::Error> {
    sqlx::query_as(
        "SELECT service_url, committee_id, committee_title, last_import_at, last_result FROM panel_source WHERE id = 1",
    )
    .fetch_one(pool)
    .await
}

pub async fn set_source(
    conn: &mut AnyConnection,
    (service_url, committee_id, committee_title): (&str, &str, &str),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE panel_source SET service_url = $1, committee_id = $2, committee_title = $3 WHERE id = 1")
        .bind(service_url.to_string())
        .bind(committee_id.to_string())
        .bind(committee_title.to_string())
        .execute(&mut *conn)
        .await?;
    record(conn, actor, Event { action: "set", record_type: "panel meetings source", record_id: "1", detail: service_url }, now)
        .await
}

pub async fn note_import(conn: &mut AnyConnection, result: &str, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE panel_source SET last_import_at = $1, last_result = $2 WHERE id = 1")
        .bind(db::timestamp(now))
        .bind(result.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Members

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub council: String,
    pub party: String,
    pub position: String,
    pub term_from: String,
    pub term_to: Option<String>,
    pub external_id: Option<String>,
}

impl Member {
    /// Whether the member holds office on `day`.
    pub fn serves_on(&self, day: Date) -> bool {
        let from = db::parse_date(&self.term_from).is_none_or(|f| f <= day);
        let to = parse(&self.term_to).is_none_or(|t| day <= t);
        from && to
    }
    pub fn kind_words(&self) -> String {
        match self.kind.as_str() {
            "independent" => "Independent co-opted member".into(),
            _ if self.council.is_empty() => "Councillor".into(),
            _ => format!("Councillor, {}", self.council),
        }
    }
}

pub async fn members(pool: &Pool) -> Result<Vec<Member>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, name, kind, council, party, position, term_from, term_to, external_id FROM panel_member \
         ORDER BY CASE position WHEN 'Chair' THEN 0 WHEN 'Vice-Chair' THEN 1 ELSE 2 END, name",
    )
    .fetch_all(pool)
    .await
}

/// How many members hold office on `day`: the number a veto's two-thirds is taken of.
pub async fn current_members(pool: &Pool, day: Date) -> Result<u32, sqlx::Error> {
    Ok(members(pool).await?.iter().filter(|m| m.serves_on(day)).count() as u32)
}

pub struct NewMember<'a> {
    pub name: &'a str,
    pub kind: &'a str,
    pub council: &'a str,
    pub party: &'a str,
    pub position: &'a str,
    pub term_from: Date,
    pub term_to: Option<Date>,
    pub external_id: Option<&'a str>,
}

pub async fn add_member(
    conn: &mut AnyConnection,
    new: &NewMember<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO panel_member (id, name, kind, council, party, position, term_from, term_to, external_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(new.name.to_string())
    .bind(new.kind.to_string())
    .bind(new.council.to_string())
    .bind(new.party.to_string())
    .bind(new.position.to_string())
    .bind(db::date(new.term_from))
    .bind(new.term_to.map(db::date))
    .bind(new.external_id.map(str::to_string))
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    record(conn, actor, Event { action: "added", record_type: "panel member", record_id: &id, detail: new.kind }, now).await?;
    Ok(id)
}

pub async fn end_term(
    conn: &mut AnyConnection,
    member: &str,
    on: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE panel_member SET term_to = $1 WHERE id = $2")
        .bind(db::date(on))
        .bind(member.to_string())
        .execute(&mut *conn)
        .await?
        .rows_affected();
    if done > 0 {
        record(conn, actor, Event { action: "ended term", record_type: "panel member", record_id: member, detail: "" }, now)
            .await?;
    }
    Ok(done > 0)
}

// ---------------------------------------------------------------------------------------------
// Meetings, items and papers

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Meeting {
    pub id: String,
    pub starts_at: String,
    pub place: String,
    pub webcast_url: String,
    pub status: String,
    pub questions_close: String,
    pub source: String,
    pub external_id: Option<String>,
    pub minutes_published: i64,
    pub updated_at: String,
}

impl Meeting {
    pub fn starts(&self) -> OffsetDateTime {
        db::parse_timestamp(&self.starts_at).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
    pub fn day(&self) -> Date {
        platform::calendar::uk_local_date(self.starts())
    }
    pub fn when(&self) -> String {
        platform::calendar::time_and_date(self.starts())
    }
    pub fn date_words(&self) -> String {
        platform::calendar::long_date(self.day())
    }
    pub fn status_words(&self) -> &'static str {
        match self.status.as_str() {
            "held" => "Held",
            "cancelled" => "Cancelled",
            "postponed" => "Postponed",
            _ => "Scheduled",
        }
    }
    pub fn imported(&self) -> bool {
        self.source == "modern-gov"
    }
    pub fn questions_close_on(&self) -> Option<Date> {
        db::parse_date(&self.questions_close)
    }
}

const MEETING_COLUMNS: &str =
    "id, starts_at, place, webcast_url, status, questions_close, source, external_id, minutes_published, updated_at";

pub async fn meetings(pool: &Pool) -> Result<Vec<Meeting>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MEETING_COLUMNS} FROM panel_meeting ORDER BY starts_at DESC")))
        .fetch_all(pool)
        .await
}

pub async fn meeting(pool: &Pool, id: &str) -> Result<Option<Meeting>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MEETING_COLUMNS} FROM panel_meeting WHERE id = $1")))
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
}

pub async fn meeting_by_external(conn: &mut AnyConnection, external: &str) -> Result<Option<Meeting>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {MEETING_COLUMNS} FROM panel_meeting WHERE external_id = $1")))
        .bind(external.to_string())
        .fetch_optional(&mut *conn)
        .await
}

pub struct NewMeeting<'a> {
    pub starts_at: OffsetDateTime,
    pub place: &'a str,
    pub webcast_url: &'a str,
    pub status: &'a str,
    pub questions_close: Date,
    pub source: &'a str,
    pub external_id: Option<&'a str>,
}

pub async fn add_meeting(
    conn: &mut AnyConnection,
    new: &NewMeeting<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO panel_meeting (id, starts_at, place, webcast_url, status, questions_close, source, external_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(db::timestamp(new.starts_at))
    .bind(new.place.to_string())
    .bind(new.webcast_url.to_string())
    .bind(new.status.to_string())
    .bind(db::date(new.questions_close))
    .bind(new.source.to_string())
    .bind(new.external_id.map(str::to_string))
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    record(conn, actor, Event { action: "added", record_type: "panel meeting", record_id: &id, detail: new.source }, now).await?;
    Ok(id)
}

/// Updates an imported meeting's details from the host council's latest answer.
pub async fn refresh_meeting(
    conn: &mut AnyConnection,
    id: &str,
    new: &NewMeeting<'_>,
    minutes_published: bool,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE panel_meeting SET starts_at = $1, place = $2, webcast_url = $3, status = $4, minutes_published = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(db::timestamp(new.starts_at))
    .bind(new.place.to_string())
    .bind(new.webcast_url.to_string())
    .bind(new.status.to_string())
    .bind(i64::from(minutes_published))
    .bind(db::timestamp(now))
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn set_meeting_status(
    conn: &mut AnyConnection,
    id: &str,
    (status, webcast_url): (&str, &str),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE panel_meeting SET status = $1, webcast_url = $2, updated_at = $3 WHERE id = $4 AND source = 'office'")
        .bind(status.to_string())
        .bind(webcast_url.to_string())
        .bind(db::timestamp(now))
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    record(conn, actor, Event { action: "updated", record_type: "panel meeting", record_id: id, detail: status }, now).await
}

pub async fn publish_minutes(conn: &mut AnyConnection, id: &str, actor: &Actor, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE panel_meeting SET minutes_published = 1, updated_at = $1 WHERE id = $2")
        .bind(db::timestamp(now))
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    record(conn, actor, Event { action: "published minutes", record_type: "panel meeting", record_id: id, detail: "" }, now).await
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Item {
    pub id: String,
    pub meeting_id: String,
    pub position: i64,
    pub number: String,
    pub title: String,
    pub exempt: i64,
    pub exempt_reason: String,
    pub minutes: String,
    pub resolution: String,
    pub external_id: Option<String>,
}

impl Item {
    pub fn is_exempt(&self) -> bool {
        self.exempt != 0
    }
}

pub async fn items(pool: &Pool, meeting: &str) -> Result<Vec<Item>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, meeting_id, position, number, title, exempt, exempt_reason, minutes, resolution, external_id FROM panel_item \
         WHERE meeting_id = $1 ORDER BY position",
    )
    .bind(meeting.to_string())
    .fetch_all(pool)
    .await
}

pub struct NewItem<'a> {
    pub number: &'a str,
    pub title: &'a str,
    pub exempt_reason: Option<&'a str>,
    pub minutes: &'a str,
    pub external_id: Option<&'a str>,
}

pub async fn add_item(
    conn: &mut AnyConnection,
    meeting: &str,
    new: &NewItem<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let (last,): (Option<i64>,) = sqlx::query_as("SELECT MAX(position) FROM panel_item WHERE meeting_id = $1")
        .bind(meeting.to_string())
        .fetch_one(&mut *conn)
        .await?;
    let position = last.unwrap_or(0) + 1;
    let number = if new.number.is_empty() { position.to_string() } else { new.number.to_string() };
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO panel_item (id, meeting_id, position, number, title, exempt, exempt_reason, minutes, external_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(meeting.to_string())
    .bind(position)
    .bind(number)
    .bind(new.title.to_string())
    .bind(i64::from(new.exempt_reason.is_some()))
    .bind(new.exempt_reason.unwrap_or_default().to_string())
    .bind(new.minutes.to_string())
    .bind(new.external_id.map(str::to_string))
    .execute(&mut *conn)
    .await?;
    record(conn, actor, Event { action: "added", record_type: "panel agenda item", record_id: &id, detail: meeting }, now)
        .await?;
    Ok(id)
}

pub async fn write_minutes(
    conn: &mut AnyConnection,
    item: &str,
    (minutes, resolution): (&str, &str),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE panel_item SET minutes = $1, resolution = $2 WHERE id = $3")
        .bind(minutes.to_string())
        .bind(resolution.to_string())
        .bind(item.to_string())
        .execute(&mut *conn)
        .await?;
    record(conn, actor, Event { action: "wrote minutes", record_type: "panel agenda item", record_id: item, detail: "" }, now)
        .await
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Paper {
    pub id: String,
    pub meeting_id: String,
    pub item_id: String,
    pub title: String,
    pub kind: String,
    pub generated_from: String,
    pub file_id: Option<String>,
    pub source_url: String,
    pub supplement: Option<i64>,
    pub exempt: i64,
    pub published_at: String,
    pub withdrawn_at: Option<String>,
    pub withdrawn_reason: String,
}

impl Paper {
    pub fn is_exempt(&self) -> bool {
        self.exempt != 0
    }
    pub fn is_withdrawn(&self) -> bool {
        self.withdrawn_at.is_some()
    }
}

const PAPER_COLUMNS: &str = "id, meeting_id, item_id, title, kind, generated_from, file_id, source_url, supplement, exempt, published_at, withdrawn_at, withdrawn_reason";

pub async fn papers(pool: &Pool, meeting: &str) -> Result<Vec<Paper>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {PAPER_COLUMNS} FROM panel_paper WHERE meeting_id = $1 ORDER BY COALESCE(supplement, 0), published_at, title"
    )))
    .bind(meeting.to_string())
    .fetch_all(pool)
    .await
}

pub async fn paper(pool: &Pool, id: &str) -> Result<Option<Paper>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {PAPER_COLUMNS} FROM panel_paper WHERE id = $1")))
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
}

/// A generated paper's page, as made.
pub async fn paper_html(pool: &Pool, id: &str) -> Result<String, sqlx::Error> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT html FROM panel_paper WHERE id = $1").bind(id.to_string()).fetch_optional(pool).await?;
    Ok(row.map(|(h,)| h).unwrap_or_default())
}

pub struct NewPaper<'a> {
    pub item_id: &'a str,
    pub title: &'a str,
    pub kind: &'a str,
    pub generated_from: &'a str,
    pub html: &'a str,
    pub file_id: Option<&'a str>,
    pub source_url: &'a str,
    pub exempt: bool,
    pub external_id: Option<&'a str>,
}

/// Adds a paper to a meeting. Once the agenda has gone out (the meeting has papers already and
/// `as_supplement`), it is numbered as the next supplement, a number never given again.
pub async fn add_paper(
    conn: &mut AnyConnection,
    meeting: &str,
    new: &NewPaper<'_>,
    as_supplement: bool,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let supplement = if as_supplement {
        let given: Vec<(i64,)> =
            sqlx::query_as("SELECT supplement FROM panel_paper WHERE meeting_id = $1 AND supplement IS NOT NULL")
                .bind(meeting.to_string())
                .fetch_all(&mut *conn)
                .await?;
        Some(crate::rules::next_supplement(&given.into_iter().map(|(n,)| n).collect::<Vec<_>>()))
    } else {
        None
    };
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO panel_paper (id, meeting_id, item_id, title, kind, generated_from, html, file_id, source_url, supplement, exempt, published_at, external_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&id)
    .bind(meeting.to_string())
    .bind(new.item_id.to_string())
    .bind(new.title.to_string())
    .bind(new.kind.to_string())
    .bind(new.generated_from.to_string())
    .bind(new.html.to_string())
    .bind(new.file_id.map(str::to_string))
    .bind(new.source_url.to_string())
    .bind(supplement)
    .bind(i64::from(new.exempt))
    .bind(db::timestamp(now))
    .bind(new.external_id.map(str::to_string))
    .execute(&mut *conn)
    .await?;
    record(conn, actor, Event { action: "published", record_type: "panel paper", record_id: &id, detail: new.kind }, now).await?;
    Ok(id)
}

pub async fn withdraw_paper(
    conn: &mut AnyConnection,
    id: &str,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE panel_paper SET withdrawn_at = $1, withdrawn_reason = $2 WHERE id = $3 AND withdrawn_at IS NULL")
        .bind(db::timestamp(now))
        .bind(reason.to_string())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    record(conn, actor, Event { action: "withdrew", record_type: "panel paper", record_id: id, detail: reason }, now).await
}

// ---------------------------------------------------------------------------------------------
// Attendance and declarations

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Attendance {
    pub member_id: String,
    pub attendance: String,
    pub substitute: String,
}

pub async fn attendance(pool: &Pool, meeting: &str) -> Result<Vec<Attendance>, sqlx::Error> {
    sqlx::query_as("SELECT member_id, attendance, substitute FROM panel_attendance WHERE meeting_id = $1")
        .bind(meeting.to_string())
        .fetch_all(pool)
        .await
}

pub async fn record_attendance(
    conn: &mut AnyConnection,
    meeting: &str,
    rows: &[(String, String, String)],
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM panel_attendance WHERE meeting_id = $1").bind(meeting.to_string()).execute(&mut *conn).await?;
    for (member, status, substitute) in rows {
        sqlx::query("INSERT INTO panel_attendance (meeting_id, member_id, attendance, substitute) VALUES ($1, $2, $3, $4)")
            .bind(meeting.to_string())
            .bind(member.clone())
            .bind(status.clone())
            .bind(substitute.clone())
            .execute(&mut *conn)
            .await?;
    }
    record(
        conn,
        actor,
        Event { action: "recorded attendance", record_type: "panel meeting", record_id: meeting, detail: "" },
        now,
    )
    .await
}

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Declaration {
    pub id: String,
    pub member_id: String,
    pub item_id: Option<String>,
    pub interest: String,
}

pub async fn declarations(pool: &Pool, meeting: &str) -> Result<Vec<Declaration>, sqlx::Error> {
    sqlx::query_as("SELECT id, member_id, item_id, interest FROM panel_declaration WHERE meeting_id = $1 ORDER BY id")
        .bind(meeting.to_string())
        .fetch_all(pool)
        .await
}

pub async fn declare(
    conn: &mut AnyConnection,
    meeting: &str,
    (member, item, interest): (&str, Option<&str>, &str),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query("INSERT INTO panel_declaration (id, meeting_id, member_id, item_id, interest) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(meeting.to_string())
        .bind(member.to_string())
        .bind(item.map(str::to_string))
        .bind(interest.to_string())
        .execute(&mut *conn)
        .await?;
    record(
        conn,
        actor,
        Event { action: "recorded", record_type: "declaration of interest", record_id: &id, detail: meeting },
        now,
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Questions and promised responses

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Question {
    pub id: String,
    pub reference: String,
    pub meeting_id: String,
    pub asker: String,
    pub asker_name: String,
    pub email: String,
    pub question: String,
    pub status: String,
    pub decline_reason: String,
    pub answer: String,
    pub answered_on: Option<String>,
    pub promised_due: Option<String>,
    pub response: String,
    pub responded_on: Option<String>,
    pub last_chased_on: Option<String>,
    pub submitted_at: String,
    pub version: i64,
}

impl Question {
    pub fn status_words(&self) -> &'static str {
        match self.status.as_str() {
            "submitted" => "Waiting for a decision",
            "accepted" => "Accepted for the meeting",
            "declined" => "Declined",
            "promised" if self.responded_on.is_some() => "Response given",
            "promised" => "Response promised",
            _ => "Answered",
        }
    }
    /// Where a promised response stands on `today`; none for a question answered at the meeting.
    pub fn promise(&self, today: Date) -> Option<crate::rules::Promise> {
        let due = parse(&self.promised_due)?;
        Some(crate::rules::promise(due, parse(&self.responded_on), today))
    }
    pub fn is_public(&self) -> bool {
        self.asker == "public"
    }
}

const QUESTION_COLUMNS: &str = "id, reference, meeting_id, asker, asker_name, email, question, status, decline_reason, answer, answered_on, promised_due, response, responded_on, last_chased_on, submitted_at, version";

pub async fn questions(pool: &Pool) -> Result<Vec<Question>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {QUESTION_COLUMNS} FROM panel_question ORDER BY submitted_at")))
        .fetch_all(pool)
        .await
}

pub async fn questions_for(pool: &Pool, meeting: &str) -> Result<Vec<Question>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT {QUESTION_COLUMNS} FROM panel_question WHERE meeting_id = $1 ORDER BY asker DESC, submitted_at"
    )))
    .bind(meeting.to_string())
    .fetch_all(pool)
    .await
}

pub async fn question(pool: &Pool, reference: &str) -> Result<Option<Question>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {QUESTION_COLUMNS} FROM panel_question WHERE reference = $1")))
        .bind(reference.to_string())
        .fetch_optional(pool)
        .await
}

pub struct NewQuestion<'a> {
    pub meeting_id: &'a str,
    pub asker: &'a str,
    pub asker_name: &'a str,
    pub email: &'a str,
    pub question: &'a str,
}

pub async fn add_question(
    conn: &mut AnyConnection,
    new: &NewQuestion<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    // A short reference people can quote: PQ- and eight characters of the id.
    let reference = format!("PQ-{}", id.chars().rev().take(8).collect::<String>().to_uppercase());
    let status = if new.asker == "member" { "accepted" } else { "submitted" };
    sqlx::query(
        "INSERT INTO panel_question (id, reference, meeting_id, asker, asker_name, email, question, status, submitted_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&id)
    .bind(&reference)
    .bind(new.meeting_id.to_string())
    .bind(new.asker.to_string())
    .bind(new.asker_name.to_string())
    .bind(new.email.to_string())
    .bind(new.question.to_string())
    .bind(status)
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    record(
        conn,
        actor,
        Event { action: "received", record_type: "panel question", record_id: &reference, detail: new.asker },
        now,
    )
    .await?;
    Ok(reference)
}

/// What the Panel's officer or the meeting did with a question.
pub enum Outcome<'a> {
    Accept,
    Decline(&'a str),
    Answer(&'a str, Date),
    /// "Will provide a response": what was said at the meeting, and when the response is due.
    Promise(&'a str, Date, Date),
    /// The promised response, given.
    Respond(&'a str, Date),
}

/// Records an outcome if the question is still at `version`; false when someone else got there
/// first (the page then shows the question as it now is).
pub async fn settle_question(
    conn: &mut AnyConnection,
    reference: &str,
    version: i64,
    outcome: Outcome<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let (sql, action, binds): (&str, &str, Vec<Option<String>>) = match outcome {
        Outcome::Accept => (
            "UPDATE panel_question SET status = 'accepted', version = version + 1 WHERE reference = $1 AND version = $2 AND status = 'submitted'",
            "accepted",
            vec![],
        ),
        Outcome::Decline(why) => (
            "UPDATE panel_question SET status = 'declined', decline_reason = $3, version = version + 1 WHERE reference = $1 AND version = $2 AND status = 'submitted'",
            "declined",
            vec![Some(why.to_string())],
        ),
        Outcome::Answer(words, on) => (
            "UPDATE panel_question SET status = 'answered', answer = $3, answered_on = $4, version = version + 1 WHERE reference = $1 AND version = $2 AND status = 'accepted'",
            "answered",
            vec![Some(words.to_string()), Some(db::date(on))],
        ),
        Outcome::Promise(words, on, due) => (
            "UPDATE panel_question SET status = 'promised', answer = $3, answered_on = $4, promised_due = $5, version = version + 1 WHERE reference = $1 AND version = $2 AND status = 'accepted'",
            "promised a response to",
            vec![Some(words.to_string()), Some(db::date(on)), Some(db::date(due))],
        ),
        Outcome::Respond(words, on) => (
            "UPDATE panel_question SET response = $3, responded_on = $4, version = version + 1 WHERE reference = $1 AND version = $2 AND status = 'promised' AND responded_on IS NULL",
            "gave the promised response to",
            vec![Some(words.to_string()), Some(db::date(on))],
        ),
    };
    let mut query = sqlx::query(sql).bind(reference.to_string()).bind(version);
    for b in binds {
        query = query.bind(b);
    }
    let done = query.execute(&mut *conn).await?.rows_affected() > 0;
    if done {
        record(conn, actor, Event { action, record_type: "panel question", record_id: reference, detail: "" }, now).await?;
    }
    Ok(done)
}

pub async fn mark_chased(conn: &mut AnyConnection, reference: &str, on: Date) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE panel_question SET last_chased_on = $1 WHERE reference = $2")
        .bind(db::date(on))
        .bind(reference.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Precept rounds

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct PreceptRow {
    pub id: String,
    pub year: i64,
    pub precept: String,
    pub current_band_d: i64,
    pub proposed_band_d: Option<i64>,
    pub notified_on: Option<String>,
    pub report: Option<String>,
    pub report_on: Option<String>,
    pub votes_for_veto: Option<i64>,
    pub current_members: Option<i64>,
    pub revised_band_d: Option<i64>,
    pub revised_on: Option<String>,
    pub second_report_on: Option<String>,
    pub responded_on: Option<String>,
    pub issued_band_d: Option<i64>,
    pub issued_on: Option<String>,
    pub report_words: String,
    pub response_words: String,
    pub version: i64,
}

impl PreceptRow {
    pub fn round(&self) -> Round {
        Round {
            year: i32::try_from(self.year).unwrap_or(2000),
            current_band_d: self.current_band_d,
            proposed_band_d: self.proposed_band_d,
            notified_on: parse(&self.notified_on),
            report: self.report.as_deref().and_then(Report::from_slug).zip(parse(&self.report_on)),
            revised_band_d: self.revised_band_d,
            revised_on: parse(&self.revised_on),
            second_report_on: parse(&self.second_report_on),
            responded_on: parse(&self.responded_on),
            issued_band_d: self.issued_band_d,
            issued_on: parse(&self.issued_on),
        }
    }
    pub fn precept(&self) -> Precept {
        Precept::from_slug(&self.precept).unwrap_or(Precept::Police)
    }
    /// "2027 to 2028", as GOV.UK writes a financial year.
    pub fn year_words(&self) -> String {
        platform::periods::FinancialYear(i32::try_from(self.year).unwrap_or(2000)).short_label()
    }
}

const PRECEPT_COLUMNS: &str = "id, year, precept, current_band_d, proposed_band_d, notified_on, report, report_on, votes_for_veto, current_members, revised_band_d, revised_on, second_report_on, responded_on, issued_band_d, issued_on, report_words, response_words, version";

pub async fn precept_rounds(pool: &Pool) -> Result<Vec<PreceptRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {PRECEPT_COLUMNS} FROM panel_precept ORDER BY year DESC, precept DESC")))
        .fetch_all(pool)
        .await
}

pub async fn precept_round(pool: &Pool, id: &str) -> Result<Option<PreceptRow>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {PRECEPT_COLUMNS} FROM panel_precept WHERE id = $1")))
        .bind(id.to_string())
        .fetch_optional(pool)
        .await
}

pub async fn open_precept_round(
    conn: &mut AnyConnection,
    (year, precept, current_band_d): (i32, Precept, i64),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Option<String>, sqlx::Error> {
    let id = platform::ids::new_id();
    let added = sqlx::query(
        "INSERT INTO panel_precept (id, year, precept, current_band_d) VALUES ($1, $2, $3, $4) ON CONFLICT (year, precept) DO NOTHING",
    )
    .bind(&id)
    .bind(i64::from(year))
    .bind(precept.slug())
    .bind(current_band_d)
    .execute(&mut *conn)
    .await?
    .rows_affected();
    if added == 0 {
        return Ok(None);
    }
    record(conn, actor, Event { action: "opened", record_type: "precept round", record_id: &id, detail: precept.slug() }, now)
        .await?;
    Ok(Some(id))
}

/// Saves a round after a step, if it is still at `version`; the words of a report or response
/// go with the step that made them.
pub async fn save_precept_round(
    conn: &mut AnyConnection,
    row: &PreceptRow,
    round: &Round,
    (votes, members): (Option<u32>, Option<u32>),
    words: (Option<&str>, Option<&str>),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let d = |d: Option<Date>| d.map(db::date);
    let done = sqlx::query(
        "UPDATE panel_precept SET proposed_band_d = $1, notified_on = $2, report = $3, report_on = $4, votes_for_veto = COALESCE($5, votes_for_veto), \
         current_members = COALESCE($6, current_members), revised_band_d = $7, revised_on = $8, second_report_on = $9, responded_on = $10, \
         issued_band_d = $11, issued_on = $12, report_words = COALESCE($13, report_words), response_words = COALESCE($14, response_words), \
         version = version + 1 WHERE id = $15 AND version = $16",
    )
    .bind(round.proposed_band_d)
    .bind(d(round.notified_on))
    .bind(round.report.map(|(r, _)| r.slug().to_string()))
    .bind(d(round.report.map(|(_, on)| on)))
    .bind(votes.map(i64::from))
    .bind(members.map(i64::from))
    .bind(round.revised_band_d)
    .bind(d(round.revised_on))
    .bind(d(round.second_report_on))
    .bind(d(round.responded_on))
    .bind(round.issued_band_d)
    .bind(d(round.issued_on))
    .bind(words.0.map(str::to_string))
    .bind(words.1.map(str::to_string))
    .bind(row.id.clone())
    .bind(row.version)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if done {
        let stage = round.stage().words();
        record(
            conn,
            actor,
            Event { action: "recorded a step of", record_type: "precept round", record_id: &row.id, detail: stage },
            now,
        )
        .await?;
    }
    Ok(done)
}

// ---------------------------------------------------------------------------------------------
// Confirmation hearings

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Hearing {
    pub id: String,
    pub post: String,
    pub candidate: String,
    pub notified_on: String,
    pub hearing_on: Option<String>,
    pub outcome: Option<String>,
    pub votes_for_veto: Option<i64>,
    pub current_members: Option<i64>,
    pub report_on: Option<String>,
    pub report_words: String,
}

impl Hearing {
    pub fn post_words(&self) -> &'static str {
        crate::rules::Post::from_slug(&self.post).map(crate::rules::Post::words).unwrap_or("")
    }
    pub fn report_due(&self) -> Option<Date> {
        db::parse_date(&self.notified_on).map(crate::rules::hearing_report_due)
    }
    pub fn outcome_words(&self) -> &'static str {
        match self.outcome.as_deref() {
            Some("recommended") => "The Panel recommended the appointment",
            Some("recommended-against") => "The Panel recommended against the appointment",
            Some("vetoed") => "The Panel vetoed the appointment",
            _ => "Waiting for the Panel’s report",
        }
    }
}

pub async fn hearings(pool: &Pool) -> Result<Vec<Hearing>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, post, candidate, notified_on, hearing_on, outcome, votes_for_veto, current_members, report_on, report_words FROM panel_hearing ORDER BY notified_on DESC",
    )
    .fetch_all(pool)
    .await
}

pub async fn add_hearing(
    conn: &mut AnyConnection,
    (post, candidate, notified_on, hearing_on): (&str, &str, Date, Option<Date>),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query("INSERT INTO panel_hearing (id, post, candidate, notified_on, hearing_on) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(post.to_string())
        .bind(candidate.to_string())
        .bind(db::date(notified_on))
        .bind(hearing_on.map(db::date))
        .execute(&mut *conn)
        .await?;
    record(conn, actor, Event { action: "recorded", record_type: "confirmation hearing", record_id: &id, detail: post }, now)
        .await?;
    Ok(id)
}

pub async fn report_hearing(
    conn: &mut AnyConnection,
    id: &str,
    (outcome, votes, members, on, words): (&str, u32, u32, Date, &str),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE panel_hearing SET outcome = $1, votes_for_veto = $2, current_members = $3, report_on = $4, report_words = $5 WHERE id = $6 AND outcome IS NULL",
    )
    .bind(outcome.to_string())
    .bind(i64::from(votes))
    .bind(i64::from(members))
    .bind(db::date(on))
    .bind(words.to_string())
    .bind(id.to_string())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if done {
        record(
            conn,
            actor,
            Event { action: "reported on", record_type: "confirmation hearing", record_id: id, detail: outcome },
            now,
        )
        .await?;
    }
    Ok(done)
}

// ---------------------------------------------------------------------------------------------
// Recommendations to the Commissioner

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Recommendation {
    pub id: String,
    pub reference: String,
    pub meeting_id: Option<String>,
    pub report: String,
    pub words: String,
    pub made_on: String,
    pub response_due: String,
    pub response: String,
    pub responded_on: Option<String>,
    pub last_chased_on: Option<String>,
    pub version: i64,
}

impl Recommendation {
    pub fn report_words(&self) -> &'static str {
        report_words(&self.report)
    }
    /// Where the response stands on `today`, by the same rule as a promised response.
    pub fn state(&self, today: Date) -> crate::rules::Promise {
        let due = db::parse_date(&self.response_due).unwrap_or(today);
        crate::rules::promise(due, parse(&self.responded_on), today)
    }
}

/// The Panel's reports a recommendation can come from.
pub const REPORTS: [(&str, &str); 5] = [
    ("plan", "Report on the Police and Crime Plan"),
    ("annual-report", "Report on the annual report"),
    ("precept", "Report on the precept"),
    ("hearing", "Report on a confirmation hearing"),
    ("scrutiny", "Scrutiny report"),
];

pub fn report_words(slug: &str) -> &'static str {
    REPORTS.iter().find(|(s, _)| *s == slug).map(|(_, w)| *w).unwrap_or("Report")
}

pub async fn recommendations(pool: &Pool) -> Result<Vec<Recommendation>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, reference, meeting_id, report, words, made_on, response_due, response, responded_on, last_chased_on, version \
         FROM panel_recommendation ORDER BY made_on DESC, reference DESC",
    )
    .fetch_all(pool)
    .await
}

pub async fn add_recommendation(
    conn: &mut AnyConnection,
    (meeting, report, words, made_on, due): (Option<&str>, &str, &str, Date, Date),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM panel_recommendation WHERE made_on LIKE $1")
        .bind(format!("{}-%", made_on.year()))
        .fetch_one(&mut *conn)
        .await?;
    let reference = format!("PR-{}-{:02}-{}", made_on.year(), count + 1, &id[..4].to_uppercase());
    sqlx::query(
        "INSERT INTO panel_recommendation (id, reference, meeting_id, report, words, made_on, response_due) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(&reference)
    .bind(meeting.map(str::to_string))
    .bind(report.to_string())
    .bind(words.to_string())
    .bind(db::date(made_on))
    .bind(db::date(due))
    .execute(&mut *conn)
    .await?;
    record(
        conn,
        actor,
        Event { action: "made", record_type: "panel recommendation", record_id: &reference, detail: report },
        now,
    )
    .await?;
    Ok(reference)
}

pub async fn respond_to_recommendation(
    conn: &mut AnyConnection,
    (reference, version): (&str, i64),
    (words, on): (&str, Date),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE panel_recommendation SET response = $1, responded_on = $2, version = version + 1 WHERE reference = $3 AND version = $4 AND responded_on IS NULL",
    )
    .bind(words.to_string())
    .bind(db::date(on))
    .bind(reference.to_string())
    .bind(version)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        > 0;
    if done {
        record(
            conn,
            actor,
            Event { action: "recorded the response to", record_type: "panel recommendation", record_id: reference, detail: "" },
            now,
        )
        .await?;
    }
    Ok(done)
}

pub async fn mark_recommendation_chased(conn: &mut AnyConnection, reference: &str, on: Date) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE panel_recommendation SET last_chased_on = $1 WHERE reference = $2")
        .bind(db::date(on))
        .bind(reference.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Complaints about the Commissioner or deputy (confidential)

#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Complaint {
    pub id: String,
    pub reference: String,
    pub received_on: String,
    pub about: String,
    pub complainant: String,
    pub contact: String,
    pub summary: String,
    pub route: String,
    pub status: String,
    pub acknowledged_on: Option<String>,
    pub closed_on: Option<String>,
    pub outcome: String,
    pub version: i64,
}

impl Complaint {
    pub fn received(&self) -> Option<Date> {
        db::parse_date(&self.received_on)
    }
    pub fn about_words(&self) -> &'static str {
        if self.about == "deputy" { "The deputy" } else { "The Commissioner" }
    }
    pub fn route_words(&self) -> &'static str {
        if self.route == "iopc" {
            "Referred to the IOPC (criminal or conduct matter)"
        } else {
            "The Panel resolves it informally"
        }
    }
    pub fn status_words(&self) -> &'static str {
        match self.status.as_str() {
            "resolved" => "Resolved",
            "referred" => "Referred to the IOPC",
            "withdrawn" => "Withdrawn",
            _ => "Open",
        }
    }
}

pub async fn complaints(pool: &Pool) -> Result<Vec<Complaint>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, reference, received_on, about, complainant, contact, summary, route, status, acknowledged_on, closed_on, outcome, version \
         FROM panel_complaint ORDER BY received_on DESC, reference DESC",
    )
    .fetch_all(pool)
    .await
}

/// Received dates and routes only: what the published count is made from, with no one's details.
pub async fn complaint_dates(pool: &Pool) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT received_on, route FROM panel_complaint WHERE status <> 'withdrawn'").fetch_all(pool).await
}

pub struct NewComplaint<'a> {
    pub received_on: Date,
    pub about: &'a str,
    pub complainant: &'a str,
    pub contact: &'a str,
    pub summary: &'a str,
    pub route: &'a str,
}

pub async fn add_complaint(
    conn: &mut AnyConnection,
    new: &NewComplaint<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    let reference = format!("PCX-{}-{}", new.received_on.year(), &id[..6].to_uppercase());
    let status = if new.route == "iopc" { "referred" } else { "open" };
    sqlx::query(
        "INSERT INTO panel_complaint (id, reference, received_on, about, complainant, contact, summary, route, status, closed_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&id)
    .bind(&reference)
    .bind(db::date(new.received_on))
    .bind(new.about.to_string())
    .bind(new.complainant.to_string())
    .bind(new.contact.to_string())
    .bind(new.summary.to_string())
    .bind(new.route.to_string())
    .bind(status)
    .bind((new.route == "iopc").then(|| db::date(new.received_on)))
    .execute(&mut *conn)
    .await?;
    record(
        conn,
        actor,
        Event { action: "logged", record_type: "complaint about the Commissioner", record_id: &reference, detail: new.route },
        now,
    )
    .await?;
    Ok(reference)
}

/// Records a step of a complaint: acknowledged, or closed as resolved or withdrawn with the outcome.
pub async fn update_complaint(
    conn: &mut AnyConnection,
    (reference, version): (&str, i64),
    (step, on, outcome): (&str, Date, &str),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let query = match step {
        "acknowledge" => sqlx::query(
            "UPDATE panel_complaint SET acknowledged_on = $1, version = version + 1 WHERE reference = $2 AND version = $3 AND acknowledged_on IS NULL",
        )
        .bind(db::date(on)),
        "resolve" | "withdraw" => sqlx::query(
            "UPDATE panel_complaint SET status = $4, closed_on = $1, outcome = $5, version = version + 1 WHERE reference = $2 AND version = $3 AND status = 'open'",
        )
        .bind(db::date(on)),
        _ => return Ok(false),
    };
    let query = query.bind(reference.to_string()).bind(version);
    let query = if step == "acknowledge" {
        query
    } else {
        query.bind(if step == "resolve" { "resolved" } else { "withdrawn" }).bind(outcome.to_string())
    };
    let done = query.execute(&mut *conn).await?.rows_affected() > 0;
    if done {
        record(
            conn,
            actor,
            Event { action: step, record_type: "complaint about the Commissioner", record_id: reference, detail: "" },
            now,
        )
        .await?;
    }
    Ok(done)
}
