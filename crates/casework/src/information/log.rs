//! The public disclosure log: search and filter, one page per answer, an Atom feed of new
//! entries, the whole log as CSV and JSON, and the live compliance rate (the share of requests
//! answered within the time limit, this quarter and the four before it).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::calendar::{self, Nation, WorkingDayCalendar};
use platform::db::Pool;
use platform::files::StoredFile;
use platform::web::forms::{Choice, Choices, FormErrors, TextInput};
use platform::web::render;
use platform::web::{PageRequest, csv_field};
use platform::{AppError, Chrome, Platform};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use super::disclosure::{self, Entry, OUTCOMES};
use super::release;
use super::store::{self, EXEMPTIONS, InformationRequest};
use casekit::letters::escape;
use platform::periods::Quarter;

const PAGE_SIZE: i64 = 20;
/// A download carries the newest this many matching entries (the whole log of most offices);
/// the search's filters narrow it to older ones.
const EXPORT_LIMIT: i64 = disclosure::MAX_LIMIT;
const FEED_ENTRIES: i64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .route("/disclosure-log", Access::Public, get(search_page))
        .route("/disclosure-log.atom", Access::Public, get(feed))
        .route("/disclosure-log.csv", Access::Public, get(csv))
        .route("/disclosure-log.json", Access::Public, get(json))
        .route("/disclosure-log/{reference}", Access::Public, get(entry_page))
        .route("/disclosure-log/{reference}/documents/{file_id}", Access::Public, get(document))
}

/// How many requests received in a quarter were answered in time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Compliance {
    pub period: String,
    /// Requests whose time has run out or that have been answered: the ones that can be judged.
    pub judged: u32,
    pub in_time: u32,
}

impl Compliance {
    pub fn percent(&self) -> Option<u32> {
        (self.judged > 0).then(|| self.in_time * 100 / self.judged)
    }
    pub fn percent_text(&self) -> String {
        self.percent().map(|p| format!("{p}%")).unwrap_or_else(|| "No requests due yet".into())
    }
}

/// The compliance of the requests received in `quarter`, judged on `today`. A request still
/// open and not yet due cannot be judged; one open and overdue counts as late. A request whose
/// clock is stopped (waiting for the requester) is not judged either.
pub fn compliance(
    quarter: Quarter,
    requests: &[InformationRequest],
    today: Date,
    foi: &WorkingDayCalendar,
    local: &WorkingDayCalendar,
) -> Compliance {
    let mut judged = 0;
    let mut in_time = 0;
    for request in requests.iter().filter(|r| platform::db::parse_date(&r.received_on).is_some_and(|d| quarter.contains(d))) {
        let due = request.due(foi, local).date();
        match (request.answered_in_time(foi, local), due) {
            (Some(answered_in_time), _) => {
                judged += 1;
                in_time += u32::from(answered_in_time);
            }
            (None, Some(due)) if due < today => judged += 1,
            _ => {}
        }
    }
    Compliance { period: quarter.label(), judged, in_time }
}

/// This quarter and the four before it, oldest first. Worked out at most once an hour, and again
/// whenever a request changes; the work runs off the async threads, so a busy log cannot slow
/// every other page.
pub async fn recent_compliance(pool: &Pool) -> Result<Vec<Compliance>, AppError> {
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let version = match store::kept_compliance(pool, today, now - time::Duration::hours(1)).await? {
        Ok(kept) => {
            if let Ok(figures) = serde_json::from_str(&kept) {
                return Ok(figures);
            }
            0
        }
        Err(version) => version,
    };
    let figures = work_out_compliance(pool, today).await?;
    let json = serde_json::to_string(&figures).map_err(|e| AppError::Internal(e.into()))?;
    store::keep_compliance(pool, version, today, now, &json).await?;
    Ok(figures)
}

/// The compliance of this quarter and the four before it, worked out from the requests now.
pub async fn work_out_compliance(pool: &Pool, today: Date) -> Result<Vec<Compliance>, AppError> {
    let mut quarters = vec![Quarter::containing(today)];
    for _ in 0..4 {
        let previous = quarters.last().copied().unwrap_or(Quarter::containing(today)).previous();
        quarters.push(previous);
    }
    quarters.reverse();
    let requests = store::clocks_received_between(pool, quarters[0].first_day(), today).await?;
    let foi = calendar::store::freedom_of_information(pool).await?;
    let local = calendar::store::for_nation(pool, Nation::EnglandAndWales).await?;
    tokio::task::spawn_blocking(move || {
        quarters.into_iter().map(|q| compliance(q, &requests, today, &foi, &local)).collect::<Vec<_>>()
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct SearchQuery {
    q: String,
    topic: String,
    outcome: String,
    year: String,
    exemption: String,
    page: String,
}

impl SearchQuery {
    fn to_query(&self) -> disclosure::Query {
        let page: i64 = self.page.parse().unwrap_or(1).clamp(1, disclosure::COUNT_CAP / PAGE_SIZE);
        disclosure::Query {
            text: self.q.chars().take(500).collect(),
            topic: (!self.topic.is_empty()).then(|| self.topic.clone()),
            outcome: OUTCOMES.iter().any(|(s, _)| *s == self.outcome).then(|| self.outcome.clone()),
            year: self.year.trim().parse().ok().filter(|y| (1990..=9999).contains(y)),
            exemption: EXEMPTIONS.iter().any(|(code, _, _)| *code == self.exemption).then(|| self.exemption.clone()),
            limit: PAGE_SIZE,
            offset: (page - 1) * PAGE_SIZE,
        }
    }
}

#[derive(Template)]
#[template(path = "information/log.html")]
struct LogPage {
    chrome: Chrome,
    query: SearchQuery,
    entries: Vec<Entry>,
    total: i64,
    page: i64,
    topics: Vec<String>,
    years: Vec<i32>,
    compliance: Vec<Compliance>,
    errors: FormErrors,
}

impl LogPage {
    fn exemptions(&self, codes: &str) -> String {
        store::exemptions_in_words(codes)
    }
    fn search(&self) -> TextInput<'_> {
        TextInput::new("q", "Search the answers", &self.query.q, &self.errors)
            .hint("For example, speed cameras or overtime. We look for answers with all your words.")
    }
    fn outcomes(&self) -> Choices<'_> {
        let mut choices = vec![Choice::new("", "Any outcome")];
        choices.extend(OUTCOMES.iter().map(|(slug, name)| Choice::new(slug, name)));
        Choices::radios("outcome", "Outcome", choices, Some(self.query.outcome.as_str()), &self.errors)
            .legend_size("govuk-fieldset__legend--s")
    }
    fn outcome(&self, slug: &str) -> String {
        disclosure::outcome_name(slug).to_string()
    }
    fn long_date(&self, text: &str) -> String {
        platform::db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
    fn pages(&self) -> i64 {
        (self.total.min(disclosure::COUNT_CAP) + PAGE_SIZE - 1) / PAGE_SIZE
    }
    fn total_text(&self) -> String {
        match self.total {
            1 => "1 answer".into(),
            n if n > disclosure::COUNT_CAP => {
                format!("More than {} answers", platform::web::thousands(disclosure::COUNT_CAP as usize))
            }
            n => format!("{} answers", platform::web::thousands(n.max(0) as usize)),
        }
    }
    fn filters(&self) -> String {
        format!(
            "q={}&topic={}&outcome={}&year={}&exemption={}",
            form_urlencoded(&self.query.q),
            form_urlencoded(&self.query.topic),
            form_urlencoded(&self.query.outcome),
            form_urlencoded(&self.query.year),
            form_urlencoded(&self.query.exemption)
        )
    }
    fn exemption_codes(&self) -> Vec<&'static str> {
        EXEMPTIONS.iter().map(|(code, _, _)| *code).collect()
    }
    fn year_selected(&self, year: &i32) -> bool {
        self.query.year.trim() == year.to_string()
    }
    fn page_link(&self, page: i64) -> String {
        format!("/disclosure-log?{}&page={page}", self.filters())
    }
    fn download(&self, extension: &str) -> String {
        format!("/disclosure-log.{extension}?{}", self.filters())
    }
    fn this_quarter(&self) -> Option<&Compliance> {
        self.compliance.last()
    }
}

fn form_urlencoded(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn search_page(
    PageRequest { platform, chrome }: PageRequest,
    Query(query): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let search = query.to_query();
    let (entries, total) = disclosure::search(platform.pool(), &search).await?;
    let topics = disclosure::topics(platform.pool()).await?;
    let years = disclosure::years(platform.pool()).await?;
    let compliance = recent_compliance(platform.pool()).await?;
    let page = search.offset / PAGE_SIZE + 1;
    render(&LogPage { chrome, query, entries, total, page, topics, years, compliance, errors: FormErrors::new() })
}

#[derive(Template)]
#[template(path = "information/entry.html")]
struct EntryPage {
    chrome: Chrome,
    entry: Entry,
    documents: Vec<StoredFile>,
}

impl EntryPage {
    fn exemptions(&self) -> String {
        store::exemptions_in_words(&self.entry.exemptions)
    }
    fn outcome(&self) -> String {
        disclosure::outcome_name(&self.entry.outcome).to_string()
    }
    fn long_date(&self, text: &str) -> String {
        platform::db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
}

async fn entry_page(PageRequest { platform, chrome }: PageRequest, Path(reference): Path<String>) -> Result<Response, AppError> {
    if reference.len() > 40 {
        return Err(AppError::NotFound);
    }
    let entry = disclosure::find(platform.pool(), &reference).await?.ok_or(AppError::NotFound)?;
    let documents = match &entry.request_id {
        Some(request_id) => release::public_documents(platform.pool(), request_id).await?,
        None => Vec::new(),
    };
    render(&EntryPage { chrome, entry, documents })
}

/// A released document, for anyone: only while its entry is published and it is not withdrawn.
async fn document(
    State(platform): State<Platform>,
    Path((reference, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    if reference.len() > 40 {
        return Err(AppError::NotFound);
    }
    let entry = disclosure::find(platform.pool(), &reference).await?.ok_or(AppError::NotFound)?;
    let request_id = entry.content.request_id.ok_or(AppError::NotFound)?;
    let file = release::public_documents(platform.pool(), &request_id)
        .await?
        .into_iter()
        .find(|f| f.id == file_id)
        .ok_or(AppError::NotFound)?;
    platform::files::download(platform.storage(), &file).await.map_err(|e| AppError::Internal(e.into()))
}

async fn newest(platform: &Platform, limit: i64) -> Result<Vec<Entry>, AppError> {
    let query = disclosure::Query { limit, ..Default::default() };
    Ok(disclosure::search(platform.pool(), &query).await?.0)
}

/// The Atom feed (RFC 4287) of the newest entries.
pub fn atom(entries: &[Entry], office: &str, base: &str) -> String {
    let updated = entries.first().map(|e| e.published_at.clone()).unwrap_or_else(|| "2020-01-01T00:00:00Z".into());
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{} disclosure log</title>\n\
         <id>{base}/disclosure-log</id>\n<link rel=\"self\" href=\"{base}/disclosure-log.atom\"/>\n<link href=\"{base}/disclosure-log\"/>\n\
         <updated>{}</updated>\n<author><name>{}</name></author>\n",
        escape(office),
        escape(&updated),
        escape(office)
    );
    for entry in entries {
        out.push_str(&format!(
            "<entry>\n<title>{}</title>\n<id>{base}/disclosure-log/{}</id>\n<link href=\"{base}/disclosure-log/{}\"/>\n<updated>{}</updated>\n\
             <category term=\"{}\"/>\n<summary>{}: {}</summary>\n</entry>\n",
            escape(&entry.title),
            escape(&entry.reference),
            escape(&entry.reference),
            escape(&entry.published_at),
            escape(&entry.topic),
            escape(disclosure::outcome_name(&entry.outcome)),
            escape(&entry.request_text.chars().take(300).collect::<String>()),
        ));
    }
    out.push_str("</feed>\n");
    out
}

async fn feed(State(platform): State<Platform>) -> Result<Response, AppError> {
    let entries = newest(&platform, FEED_ENTRIES).await?;
    let office = platform.office().await?;
    let base = platform.settings().public_url.trim_end_matches('/').to_string();
    let mut response = atom(&entries, &office.name, &base).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/atom+xml; charset=utf-8"));
    Ok(response)
}

#[derive(Debug, Serialize)]
struct ExportedEntry {
    reference: String,
    title: String,
    topic: String,
    outcome: String,
    exemptions: String,
    received_on: String,
    responded_on: String,
    request: String,
    response: String,
}

impl From<Entry> for ExportedEntry {
    fn from(Entry { content: e, .. }: Entry) -> Self {
        ExportedEntry {
            reference: e.reference,
            title: e.title,
            topic: e.topic,
            outcome: e.outcome,
            exemptions: e.exemptions,
            received_on: e.received_on,
            responded_on: e.responded_on,
            request: e.request_text,
            response: e.response_text,
        }
    }
}

/// The log as downloaded: the search's filters apply, newest first.
async fn exported(platform: &Platform, query: &SearchQuery) -> Result<Vec<ExportedEntry>, AppError> {
    let mut search = query.to_query();
    search.limit = EXPORT_LIMIT;
    Ok(disclosure::search(platform.pool(), &search).await?.0.into_iter().map(ExportedEntry::from).collect())
}

fn to_csv(entries: &[ExportedEntry]) -> String {
    let mut out = String::from("reference,title,topic,outcome,exemptions,received_on,responded_on,request,response\n");
    for e in entries {
        let fields = [
            &e.reference,
            &e.title,
            &e.topic,
            &e.outcome,
            &e.exemptions,
            &e.received_on,
            &e.responded_on,
            &e.request,
            &e.response,
        ];
        out.push_str(&fields.iter().map(|f| csv_field(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

async fn csv(State(platform): State<Platform>, Query(query): Query<SearchQuery>) -> Result<Response, AppError> {
    Ok(platform::web::csv_download(to_csv(&exported(&platform, &query).await?), "disclosure-log.csv"))
}

async fn json(State(platform): State<Platform>, Query(query): Query<SearchQuery>) -> Result<Response, AppError> {
    let entries = exported(&platform, &query).await?;
    let compliance = recent_compliance(platform.pool()).await?;
    Ok(axum::Json(serde_json::json!({ "entries": entries, "compliance": compliance })).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::calendar::Nation;
    use time::macros::date;

    fn request(received_on: &str, responded_on: Option<&str>, clarification_asked_on: Option<&str>) -> InformationRequest {
        InformationRequest {
            clarification_asked_on: clarification_asked_on.map(str::to_string),
            responded_on: responded_on.map(str::to_string),
            ..InformationRequest::example(received_on)
        }
    }

    #[test]
    fn compliance_judges_answered_and_overdue_requests_of_the_quarter_only() {
        let foi = WorkingDayCalendar::freedom_of_information(Vec::new());
        let local = WorkingDayCalendar::for_nation(Nation::EnglandAndWales, Vec::new());
        // Received Monday 5 January 2026: due Monday 2 February (20 working days after).
        let requests = [
            request("2026-01-05", Some("2026-02-02"), None), // on the due day: in time
            request("2026-01-05", Some("2026-02-03"), None), // a day late
            request("2026-01-05", None, None),               // open and overdue by the day judged
            request("2026-03-30", None, None),               // open, not yet due: not judged
            request("2026-02-02", None, Some("2026-02-03")), // waiting for clarification: not judged
            request("2026-04-01", Some("2026-04-02"), None), // the next quarter
        ];
        let quarter = Quarter::containing(date!(2026 - 01 - 05));
        let judged = compliance(quarter, &requests, date!(2026 - 04 - 10), &foi, &local);
        assert_eq!((judged.judged, judged.in_time, judged.percent()), (3, 1, Some(33)));
        assert_eq!(judged.period, "January to March 2026");
        let empty = compliance(quarter.previous(), &requests, date!(2026 - 04 - 10), &foi, &local);
        assert_eq!((empty.judged, empty.percent_text()), (0, "No requests due yet".to_string()));
    }

    fn entry(reference: &str, title: &str) -> Entry {
        Entry {
            id: "1".into(),
            content: crate::information::disclosure::NewEntry {
                request_id: None,
                reference: reference.into(),
                title: title.into(),
                topic: "Roads & <Transport>".into(),
                request_text: "Where are the cameras?".into(),
                response_text: "Attached.".into(),
                outcome: "part-disclosed".into(),
                exemptions: "s.31".into(),
                received_on: "2026-01-05".into(),
                responded_on: "2026-02-02".into(),
            },
            published_at: "2026-02-03T09:00:00Z".into(),
        }
    }

    #[test]
    fn the_feed_is_atom_with_every_text_escaped() {
        let feed = atom(&[entry("FOI-2026-000002", "Cameras <b>\"fines\"</b> & costs")], "Office & Co", "https://pfcc.example");
        assert!(feed.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
        assert!(feed.contains("<title>Cameras &lt;b&gt;&quot;fines&quot;&lt;/b&gt; &amp; costs</title>"));
        assert!(feed.contains("<id>https://pfcc.example/disclosure-log/FOI-2026-000002</id>"));
        assert!(feed.contains("<updated>2026-02-03T09:00:00Z</updated>"));
        assert!(feed.contains("<category term=\"Roads &amp; &lt;Transport&gt;\"/>"));
        assert!(feed.contains("<summary>Disclosed in part: Where are the cameras?</summary>"));
        assert!(feed.trim_end().ends_with("</feed>"));
        assert_eq!(feed.matches("<entry>").count(), 1);
    }

    #[test]
    fn search_links_keep_the_filters_encoded() {
        assert_eq!(form_urlencoded("speed & cameras/A34"), "speed+%26+cameras%2FA34");
        assert_eq!(form_urlencoded("£"), "%C2%A3");
    }
}
