//! Search across every case service from one box: a reference (the office's, or another body's
//! such as the force's), part of a name, an email address or a postcode. Each member of staff
//! sees only the services their role reads, and every search is in the audit log with the
//! references found (never the words searched for).

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Event};
use platform::postcode::Postcode;
use platform::web::forms::{FormErrors, TextInput};
use platform::web::{StaffPage, render};
use platform::{AppError, Chrome};
use serde::Deserialize;

use crate::people::{HeldRecord, PersonQuery};
use crate::registry::Services;

pub const PAGE: &str = "/staff/search";

pub fn routes(services: &Services) -> Routes {
    let services = services.clone();
    Routes::new().route(PAGE, Access::Staff, get(move |staff_page, query| page(services.clone(), staff_page, query)))
}

/// The one box read every way it could be meant: a record matches if any reading does.
pub fn query_of(typed: &str) -> PersonQuery {
    let typed = typed.trim();
    let email = platform::contact::is_email(typed).then(|| typed.to_lowercase());
    let postcode = Postcode::parse(typed).ok();
    let name = (email.is_none() && postcode.is_none() && typed.chars().count() >= 2).then(|| typed.to_lowercase());
    let reference = (!typed.is_empty() && !typed.contains(' ') && email.is_none()).then(|| typed.to_uppercase());
    PersonQuery { name, email, postcode, reference }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SearchForm {
    q: String,
}

#[derive(Template)]
#[template(path = "search/page.html")]
struct SearchPage {
    chrome: Chrome,
    q: String,
    errors: FormErrors,
    found: Option<Vec<HeldRecord>>,
    searched: Vec<&'static str>,
}

impl SearchPage {
    fn q_input(&self) -> TextInput<'_> {
        TextInput::new("q", "Reference, name, email address or postcode", &self.q, &self.errors)
            .hint("A force’s or another body’s reference works too. Part of a name is enough.")
            .no_spellcheck()
            .autocomplete("off")
    }
    fn received(&self, record: &HeldRecord) -> String {
        platform::calendar::long_date_of(&record.received_on)
    }
}

/// The services a role reads every case of.
fn readable(services: &Services, role: Role) -> Vec<&'static dyn crate::CaseService> {
    services.iter().filter(|s| s.about().readers.contains(&role)).collect()
}

async fn page(
    services: Services,
    StaffPage { platform, chrome, staff }: StaffPage,
    Query(form): Query<SearchForm>,
) -> Result<Response, AppError> {
    let mine = readable(&services, staff.user.role);
    let searched = mine.iter().map(|s| s.name()).collect();
    let q = form.q.trim().to_string();
    if q.is_empty() {
        return render(&SearchPage { chrome, q, errors: FormErrors::new(), found: None, searched });
    }
    let query = query_of(&q);
    let mut found = Vec::new();
    for service in mine {
        let mut records = service.find_person(platform.pool(), &query).await?;
        records.retain(|r| !r.matched_on.is_empty());
        records.sort_by(|a, b| b.received_on.cmp(&a.received_on));
        found.extend(records);
    }
    let references: Vec<&str> = found.iter().map(|r| r.reference.as_str()).collect();
    let detail = format!("{} records: {}", found.len(), references.join(", "));
    let event = Event { action: "searched", record_type: "cases", record_id: "-", detail: &detail };
    audit::record_now(platform.pool(), &staff.actor(), event).await?;
    render(&SearchPage { chrome, q, errors: FormErrors::new(), found: Some(found), searched })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_is_read_every_way_it_could_be_meant() {
        let q = query_of(" jo@example.com ");
        assert_eq!((q.email.as_deref(), q.name, q.reference), (Some("jo@example.com"), None, None));
        let q = query_of("st16 2dj");
        assert!(q.postcode.is_some() && q.name.is_none());
        let q = query_of("ASB-2026-000012");
        assert_eq!(q.reference.as_deref(), Some("ASB-2026-000012"));
        assert_eq!(q.name.as_deref(), Some("asb-2026-000012"), "a hyphenated name is a name too");
        let q = query_of("Siân Ŵyn");
        assert_eq!((q.name.as_deref(), q.reference), (Some("siân ŵyn"), None));
        let q = query_of("x");
        assert_eq!((q.name, q.reference.as_deref()), (None, Some("X")));
    }
}
