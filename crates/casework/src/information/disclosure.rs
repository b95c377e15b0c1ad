//! The disclosure log in the database: publishing an entry (with its words indexed in the same
//! transaction, so an entry is never published unfindable), withdrawing one, and searching.

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use sqlx::AnyConnection;
use time::OffsetDateTime;

use super::search;

/// How a request was answered, as the log shows it.
pub const OUTCOMES: [(&str, &str); 4] = [
    ("disclosed", "Disclosed in full"),
    ("part-disclosed", "Disclosed in part"),
    ("refused", "Refused"),
    ("not-held", "Information not held"),
];

pub fn outcome_name(slug: &str) -> &str {
    OUTCOMES.iter().find(|(s, _)| *s == slug).map(|(_, n)| *n).unwrap_or(slug)
}

/// An entry as it is published.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NewEntry {
    /// The request it answers, when it was handled in Commissioner.
    pub request_id: Option<String>,
    pub reference: String,
    pub title: String,
    pub topic: String,
    pub request_text: String,
    pub response_text: String,
    pub outcome: String,
    /// Sections of the Act cited, e.g. "s.40(2), s.31".
    pub exemptions: String,
    pub received_on: String,
    pub responded_on: String,
}

/// An entry in the log: what was published, and when.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Entry {
    pub id: String,
    #[sqlx(flatten)]
    pub content: NewEntry,
    pub published_at: String,
}

impl std::ops::Deref for Entry {
    type Target = NewEntry;
    fn deref(&self) -> &NewEntry {
        &self.content
    }
}

const ENTRY_COLUMNS: &str = "e.id, e.request_id, e.reference, e.title, e.topic, e.request_text, e.response_text, e.outcome, e.exemptions, \
    e.received_on, e.responded_on, e.published_at";

/// Publishes an entry in the caller's transaction, indexing its words.
pub async fn publish(
    conn: &mut AnyConnection,
    entry: &NewEntry,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO casework_disclosure_entry (id, request_id, reference, title, topic, request_text, response_text, outcome, \
         exemptions, received_on, responded_on, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(&entry.request_id)
    .bind(&entry.reference)
    .bind(&entry.title)
    .bind(&entry.topic)
    .bind(&entry.request_text)
    .bind(&entry.response_text)
    .bind(&entry.outcome)
    .bind(&entry.exemptions)
    .bind(&entry.received_on)
    .bind(&entry.responded_on)
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    let text = format!("{} {} {} {} {}", entry.title, entry.topic, entry.request_text, entry.response_text, entry.exemptions);
    index_words(conn, &id, &entry.responded_on, &search::words(&text)).await?;
    let event =
        Event { action: "published", record_type: "disclosure log entry", record_id: &entry.reference, detail: &entry.title };
    audit::record(conn, actor, event, now).await?;
    Ok(id)
}

/// Takes an entry off the public log, with the reason in the audit log.
pub async fn withdraw(
    conn: &mut AnyConnection,
    id: &str,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let reference: Option<String> =
        sqlx::query_scalar("SELECT reference FROM casework_disclosure_entry WHERE id = $1 AND withdrawn_at IS NULL")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(reference) = reference else { return Ok(false) };
    sqlx::query("UPDATE casework_disclosure_entry SET withdrawn_at = $1 WHERE id = $2")
        .bind(db::timestamp(now))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    // Out of the index, so searches and their counts never see it.
    sqlx::query("DELETE FROM casework_disclosure_word WHERE entry_id = $1").bind(id).execute(&mut *conn).await?;
    let event = Event { action: "withdrew", record_type: "disclosure log entry", record_id: &reference, detail: reason };
    audit::record(conn, actor, event, now).await?;
    Ok(true)
}

/// The most entries one search returns (a download of the log).
pub const MAX_LIMIT: i64 = 5000;

/// What a search asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub topic: Option<String>,
    pub outcome: Option<String>,
    /// Answered in this calendar year.
    pub year: Option<i32>,
    /// Citing this section of the Act, e.g. "s.40(2)".
    pub exemption: Option<String>,
    pub limit: i64,
    pub offset: i64,
}

/// Indexes an entry's words, many rows a statement (each statement kept under the 16 KiB at
/// which PostgreSQL stalls through sqlx's Any driver, ADR 0004).
pub async fn index_words(
    conn: &mut AnyConnection,
    entry_id: &str,
    responded_on: &str,
    words: &[String],
) -> Result<(), sqlx::Error> {
    for chunk in words.chunks(150) {
        let rows: Vec<String> = (0..chunk.len()).map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3)).collect();
        let sql = format!("INSERT INTO casework_disclosure_word (word, entry_id, responded_on) VALUES {}", rows.join(", "));
        let mut insert = sqlx::query(sqlx::AssertSqlSafe(sql));
        for word in chunk {
            insert = insert.bind(word.clone()).bind(entry_id.to_string()).bind(responded_on.to_string());
        }
        insert.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Counts stop here: a search says "more than 1,000 answers" rather than counting 30,000 of
/// them, so its cost does not grow with the log. Nobody pages past the thousandth answer; they
/// add a word.
pub const COUNT_CAP: i64 = 1000;

/// `SELECT …` counted up to one past [`COUNT_CAP`].
fn capped_count(select_one: &str) -> String {
    format!("SELECT CAST(COUNT(*) AS BIGINT) FROM ({select_one} LIMIT {}) counted", COUNT_CAP + 1)
}

/// How many live entries hold each word (an index range count each, capped).
async fn word_counts(pool: &Pool, words: &[String]) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut counts = Vec::with_capacity(words.len());
    let sql = capped_count("SELECT 1 FROM casework_disclosure_word WHERE word = $1");
    for word in words {
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone())).bind(word).fetch_one(pool).await?;
        counts.push((word.clone(), count));
    }
    Ok(counts)
}

/// Published entries matching every word of the query (or all, newest first, for none), with
/// the filters applied; and how many match in all, up to one past [`COUNT_CAP`].
///
/// The rarest word drives: its index rows come newest first, and each is checked for the other
/// words by primary key, so a common word costs no more than a rare one and nothing is sorted.
pub async fn search(pool: &Pool, query: &Query) -> Result<(Vec<Entry>, i64), sqlx::Error> {
    let words = search::query_words(&query.text);
    if words.is_empty() && !query.text.trim().is_empty() {
        // Only common words or punctuation: nothing to look for.
        return Ok((Vec::new(), 0));
    }
    let mut counts = word_counts(pool, &words).await?;
    if counts.iter().any(|(_, count)| *count == 0) {
        return Ok((Vec::new(), 0));
    }
    counts.sort_by_key(|(_, count)| *count);
    let mut binds: Vec<String> = Vec::new();
    let mut filter = String::new();
    for (column, value) in [("topic", &query.topic), ("outcome", &query.outcome)] {
        if let Some(value) = value {
            binds.push(value.clone());
            filter.push_str(&format!(" AND e.{column} = ${}", binds.len()));
        }
    }
    if let Some(year) = query.year {
        binds.push(format!("{year:04}-01-01"));
        binds.push(format!("{year:04}-12-31"));
        filter.push_str(&format!(" AND e.responded_on >= ${} AND e.responded_on <= ${}", binds.len() - 1, binds.len()));
    }
    if let Some(code) = &query.exemption {
        // Sections are stored as "s.31, s.40(2)": bounded by commas, "s.4" cannot match "s.40(2)".
        binds.push(format!("%, {code},%"));
        filter.push_str(&format!(" AND (', ' || e.exemptions || ',') LIKE ${}", binds.len()));
    }
    let page = format!("LIMIT {} OFFSET {}", query.limit.clamp(1, MAX_LIMIT), query.offset.max(0));
    let (count_sql, list_sql) = match counts.split_first() {
        None => (
            capped_count(&format!("SELECT 1 FROM casework_disclosure_entry e WHERE e.withdrawn_at IS NULL{filter}")),
            format!(
                "SELECT {ENTRY_COLUMNS} FROM casework_disclosure_entry e WHERE e.withdrawn_at IS NULL{filter} \
                 ORDER BY e.responded_on DESC, e.id DESC {page}"
            ),
        ),
        Some(((driver, driver_count), others)) => {
            binds.push(driver.clone());
            let mut matching = format!("w.word = ${}", binds.len());
            for (word, _) in others {
                binds.push(word.clone());
                matching.push_str(&format!(
                    " AND EXISTS (SELECT 1 FROM casework_disclosure_word o WHERE o.word = ${} AND o.entry_id = w.entry_id)",
                    binds.len()
                ));
            }
            let count_sql = if others.is_empty() && filter.is_empty() {
                // Already known from the word's count.
                format!("SELECT CAST({driver_count} AS BIGINT)")
            } else if filter.is_empty() {
                capped_count(&format!("SELECT 1 FROM casework_disclosure_word w WHERE {matching}"))
            } else {
                capped_count(&format!(
                    "SELECT 1 FROM casework_disclosure_word w JOIN casework_disclosure_entry e ON e.id = w.entry_id \
                     WHERE {matching}{filter}"
                ))
            };
            let list_sql = format!(
                "SELECT {ENTRY_COLUMNS} FROM casework_disclosure_word w JOIN casework_disclosure_entry e ON e.id = w.entry_id \
                 WHERE {matching}{filter} ORDER BY w.responded_on DESC, w.entry_id DESC {page}"
            );
            (count_sql, list_sql)
        }
    };
    // The count uses every bound value, or none when it is already known.
    let count_binds: &[String] = if count_sql.contains('$') { &binds } else { &[] };
    let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql));
    for value in count_binds {
        count = count.bind(value.clone());
    }
    let total: i64 = count.fetch_one(pool).await?;
    let mut list = sqlx::query_as(sqlx::AssertSqlSafe(list_sql));
    for value in &binds {
        list = list.bind(value.clone());
    }
    Ok((list.fetch_all(pool).await?, total))
}

/// The rarest telling words of a request that pick the answers to compare (each answer compared
/// holds one of them).
const SUGGESTION_WORDS: usize = 8;
/// The most answers compared with a request.
const CANDIDATES: i64 = 500;

/// A published answer like a request being written, with the words they share (to say why it
/// is suggested).
pub struct Suggestion {
    pub entry: Entry,
    pub shared: Vec<String>,
}

/// Published answers that look like a request being written, strongest first, by
/// [`search::likeness`]; none rather than weak ones. Shown before a request is sent.
pub async fn suggestions(pool: &Pool, request_text: &str, limit: i64) -> Result<Vec<Suggestion>, sqlx::Error> {
    let mut words = search::words(request_text);
    words.truncate(60);
    let held_by: std::collections::HashMap<String, i64> = word_counts(pool, &words).await?.into_iter().collect();
    let answers: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM casework_disclosure_entry WHERE withdrawn_at IS NULL")
            .fetch_one(pool)
            .await?;
    let telling: Vec<String> = search::telling_words(&words, answers, &held_by).into_iter().cloned().collect();
    let mut rare: Vec<&String> =
        telling.iter().filter(|w| held_by.get(w.as_str()).is_some_and(|c| (1..=COUNT_CAP).contains(c))).collect();
    rare.sort_by_key(|w| held_by[w.as_str()]);
    rare.truncate(SUGGESTION_WORDS);
    if rare.is_empty() {
        return Ok(Vec::new());
    }
    let list = |from: usize, count: usize| (from..from + count).map(|n| format!("${n}")).collect::<Vec<_>>().join(", ");
    let sql = format!(
        "SELECT w.entry_id, w.word FROM casework_disclosure_word w WHERE w.word IN ({}) AND w.entry_id IN \
         (SELECT DISTINCT r.entry_id FROM casework_disclosure_word r WHERE r.word IN ({}) LIMIT {CANDIDATES})",
        list(1, telling.len()),
        list(telling.len() + 1, rare.len())
    );
    let mut query = sqlx::query_as::<_, (String, String)>(sqlx::AssertSqlSafe(sql));
    for word in telling.iter().chain(rare.iter().copied()) {
        query = query.bind(word.clone());
    }
    let mut candidates: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for (entry_id, word) in query.fetch_all(pool).await? {
        candidates.entry(entry_id).or_default().push(word);
    }
    let mut found = search::likeness(&words, answers, &held_by, &candidates);
    found.truncate(usize::try_from(limit.clamp(1, 20)).unwrap_or(5));
    if found.is_empty() {
        return Ok(Vec::new());
    }
    // The suggested entries in one query, then put back in the likeness order.
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM casework_disclosure_entry e WHERE e.withdrawn_at IS NULL AND e.id IN ({})",
        list(1, found.len())
    );
    let mut query = sqlx::query_as::<_, Entry>(sqlx::AssertSqlSafe(sql));
    for like in &found {
        query = query.bind(like.key.clone());
    }
    let mut entries = query.fetch_all(pool).await?;
    Ok(found
        .into_iter()
        .filter_map(|like| {
            let at = entries.iter().position(|e| e.id == like.key)?;
            Some(Suggestion { entry: entries.swap_remove(at), shared: like.shared })
        })
        .collect())
}

pub async fn find(pool: &Pool, reference: &str) -> Result<Option<Entry>, sqlx::Error> {
    let sql =
        format!("SELECT {ENTRY_COLUMNS} FROM casework_disclosure_entry e WHERE e.reference = $1 AND e.withdrawn_at IS NULL");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(reference).fetch_optional(pool).await
}

/// The calendar years in which published answers were given, newest first, for the log's filter.
pub async fn years(pool: &Pool) -> Result<Vec<i32>, sqlx::Error> {
    let first: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT SUBSTR(responded_on, 1, 4) FROM casework_disclosure_entry WHERE withdrawn_at IS NULL ORDER BY 1 DESC",
    )
    .fetch_all(pool)
    .await?;
    Ok(first.iter().filter_map(|y| y.parse().ok()).collect())
}

/// The topics in use, for the log's filter.
pub async fn topics(pool: &Pool) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT DISTINCT topic FROM casework_disclosure_entry WHERE withdrawn_at IS NULL ORDER BY topic")
        .fetch_all(pool)
        .await
}
