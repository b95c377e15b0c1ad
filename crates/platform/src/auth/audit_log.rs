//! The administrator's audit log: searched by person, record and dates, newest first, a page of
//! 200 at a time with a link to older ones, and the same search as a CSV download. Reading the log
//! is itself recorded in it.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;

use super::session::CurrentStaff;
use crate::access::{Access, Role, Routes};
use crate::audit::{self, Event, StoredEvent};
use crate::web::forms::{FormErrors, TextInput};
use crate::web::{AppError, Chrome, StaffPage, csv_download, csv_field, render};

const ADMINISTRATORS: &[Role] = &[Role::Administrator];
const PAGE_SIZE: i64 = 200;
/// A download is one file an office can open in a spreadsheet; narrow the dates for more.
const DOWNLOAD_LIMIT: i64 = 100_000;

pub fn routes() -> Routes {
    Routes::new().route("/staff/admin/audit", Access::Roles(ADMINISTRATORS), get(audit_log)).route(
        "/staff/admin/audit.csv",
        Access::Roles(ADMINISTRATORS),
        get(download),
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AuditQuery {
    person: String,
    record: String,
    from: String,
    to: String,
    before: String,
}

impl AuditQuery {
    /// The search, or what is wrong with the dates.
    fn search(&self) -> (audit::Search, FormErrors) {
        let mut errors = FormErrors::new();
        let mut date = |field: &str, text: &str| {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            let parsed = crate::db::parse_date(text);
            if parsed.is_none() {
                errors.add(field, "Enter a date like 2026-11-23");
            }
            parsed
        };
        let (from, to) = (date("from", &self.from), date("to", &self.to));
        let search = audit::Search {
            person: self.person.clone(),
            record: self.record.clone(),
            from,
            to,
            before: self.before.trim().parse().ok(),
        };
        (search, errors)
    }

    /// The search's own words as a query string, for the next page and the download.
    fn query_string(&self) -> String {
        let mut url = String::new();
        for (key, value) in [("person", &self.person), ("record", &self.record), ("from", &self.from), ("to", &self.to)] {
            if !value.trim().is_empty() {
                url.push_str(&format!(
                    "&{key}={}",
                    percent_encoding::utf8_percent_encode(value.trim(), percent_encoding::NON_ALPHANUMERIC)
                ));
            }
        }
        url.trim_start_matches('&').to_string()
    }

    fn described(&self) -> String {
        format!("person={:?} record={:?} from={:?} to={:?}", self.person, self.record, self.from, self.to)
    }
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    chrome: Chrome,
    query: AuditQuery,
    events: Vec<StoredEvent>,
    names: super::store::StaffNames,
    /// Partner organisations by id, to name them.
    organisations: Vec<crate::organisations::Organisation>,
    errors: FormErrors,
    /// The next page's address, when there are older events.
    older: Option<String>,
    download: String,
}

impl AuditPage {
    /// Who acted: a member of staff by name and email address, anyone else as recorded.
    fn who(&self, event: &StoredEvent) -> String {
        match &event.actor_id {
            Some(id) if self.names.name(id) != *id => format!("{} ({})", self.names.name(id), event.actor_label),
            _ => event.actor_label.clone(),
        }
    }
    /// What the event was about: a staff account by its holder's name, an organisation by its
    /// name, anything else (a case's reference) as recorded.
    fn record(&self, event: &StoredEvent) -> String {
        let organisation = || self.organisations.iter().find(|o| o.id == event.record_id).map(|o| o.name.as_str());
        match event.record_type.as_str() {
            "staff user" => format!("staff account of {}", self.names.name(&event.record_id)),
            "organisation" => format!("organisation {}", organisation().unwrap_or(&event.record_id)),
            _ => format!("{} {}", event.record_type, event.record_id),
        }
    }
    /// When, in UK local time and in words: "5:25pm on Sunday 6 December 2026".
    fn when(&self, occurred_at: &str) -> String {
        crate::calendar::time_and_date_of(occurred_at)
    }
    fn person_input(&self) -> TextInput<'_> {
        TextInput::new("person", "Person (email address or part of it)", &self.query.person, &self.errors).no_spellcheck()
    }
    fn record_input(&self) -> TextInput<'_> {
        TextInput::new("record", "Record (reference, id or type)", &self.query.record, &self.errors).no_spellcheck()
    }
    fn start_date_input(&self) -> TextInput<'_> {
        TextInput::new("from", "From (YYYY-MM-DD)", &self.query.from, &self.errors)
            .width("govuk-input--width-10")
            .hint("For example, 2026-11-01")
    }
    fn end_date_input(&self) -> TextInput<'_> {
        TextInput::new("to", "To (YYYY-MM-DD)", &self.query.to, &self.errors).width("govuk-input--width-10")
    }
}

async fn read_recorded(
    platform: &crate::web::Platform,
    staff: &CurrentStaff,
    action: &str,
    query: &AuditQuery,
) -> Result<(), AppError> {
    let detail = query.described();
    let event = Event { action, record_type: "audit log", record_id: "-", detail: &detail };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    Ok(())
}

async fn audit_log(
    StaffPage { platform, chrome, staff }: StaffPage,
    Query(query): Query<AuditQuery>,
) -> Result<Response, AppError> {
    let (search, errors) = query.search();
    let events = if errors.is_empty() { audit::search(platform.pool(), &search, PAGE_SIZE).await? } else { Vec::new() };
    // Reading the log is itself a sensitive read.
    read_recorded(&platform, &staff, "searched audit log", &query).await?;
    let filters = query.query_string();
    let joined = |extra: String| {
        [filters.as_str(), extra.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("&")
    };
    let older = (events.len() as i64 == PAGE_SIZE)
        .then(|| events.last().map(|e| format!("/staff/admin/audit?{}", joined(format!("before={}", e.seq)))))
        .flatten();
    let download = format!("/staff/admin/audit.csv?{filters}");
    let names = super::store::StaffNames::load(platform.pool()).await?;
    let organisations = crate::organisations::list(platform.pool()).await?;
    let chrome = chrome.with_errors(!errors.is_empty());
    render(&AuditPage { chrome, query, events, names, organisations, errors, older, download })
}

async fn download(StaffPage { platform, staff, .. }: StaffPage, Query(query): Query<AuditQuery>) -> Result<Response, AppError> {
    let (search, errors) = query.search();
    if !errors.is_empty() {
        return Err(AppError::BadRequest("the dates are not dates".into()));
    }
    let events = audit::search(platform.pool(), &search, DOWNLOAD_LIMIT).await?;
    read_recorded(&platform, &staff, "downloaded audit log", &query).await?;
    let mut body = String::from("seq,occurred_at_utc,who,action,record_type,record_id,address,detail\n");
    for e in &events {
        let fields = [&e.occurred_at, &e.actor_label, &e.action, &e.record_type, &e.record_id, &e.address, &e.detail];
        let fields: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        body.push_str(&format!("{},{}\n", e.seq, fields.join(",")));
    }
    Ok(csv_download(body, "audit-log.csv"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_search_keeps_its_words_for_the_next_page() {
        let query = AuditQuery { person: "jo@office.example".into(), from: "2026-11-01".into(), ..Default::default() };
        assert_eq!(query.query_string(), "person=jo%40office%2Eexample&from=2026%2D11%2D01");
        let (search, errors) = AuditQuery { to: "yesterday".into(), before: "42".into(), ..Default::default() }.search();
        assert_eq!((errors.len(), search.before), (1, Some(42)));
    }
}
