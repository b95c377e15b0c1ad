//! The personal data transparency holds, as the case kit's registry sees it: the names and email
//! addresses of people who ask for a document in another format. How long they are kept (a
//! retention setting, run nightly), the privacy notice's words, and finding them for a subject
//! access request. Payments to individuals hold no name here: the import drops it.

use casekit::people::{Held, HeldRecord, PersonQuery};
use casekit::registry::{About, CaseService, Pending, PrivacyWords, Retention, ready};
use casekit::tracker::Calendars;
use platform::db::{self, Pool};
use serde_json::json;
use time::{Date, OffsetDateTime};

use crate::store;

/// Requests for a document in another format.
pub struct FormatRequests;

static FORMATS: About = About {
    slug: "format-requests",
    name: "Requests for another format",
    letter_kinds: &[],
    drafts: None,
    tracker_page: None,
    retention: Retention { years: 1, from: "from when we replied" },
    readers: &[],
    queue: "/staff/transparency/format-requests",
    privacy: PrivacyWords {
        holds: "Your name, your email address, the format you asked for and anything you told us about what would help.",
        why: "To send you the document in the format you need. Lawful basis: a legal duty (UK GDPR Article 6(1)(c)), the Equality Act 2010’s duty to make reasonable adjustments.",
        shared_with: "The office’s staff who prepare the document, and a supplier who makes it (such as a Braille or translation service) when one is needed.",
    },
    assigned: &[],
};

impl CaseService for FormatRequests {
    fn about(&self) -> &'static About {
        &FORMATS
    }
    fn open_deadlines<'a>(
        &'a self,
        _pool: &'a Pool,
        _calendars: &'a Calendars,
    ) -> Pending<'a, Vec<casekit::deadlines::Deadline>> {
        ready(Vec::new())
    }
    /// The name, address and details go once the reply was sent before `closed_before`; the
    /// request's document, format and dates stay for the office's counts.
    fn anonymise_closed<'a>(&'a self, pool: &'a Pool, closed_before: Date, now: OffsetDateTime) -> Pending<'a, usize> {
        Box::pin(async move {
            let mut tx = db::begin_write(pool).await?;
            let removed = sqlx::query(
                "UPDATE transparency_format_request SET name = 'Removed', email = '', details = '' WHERE replied_on < $1 AND email <> ''",
            )
            .bind(db::date(closed_before))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            casekit::retention::note_anonymised(&mut tx, "another format", removed, now).await?;
            tx.commit().await?;
            Ok(removed as usize)
        })
    }
    fn find_person<'a>(&'a self, pool: &'a Pool, query: &'a PersonQuery) -> Pending<'a, Vec<HeldRecord>> {
        Box::pin(async move {
            let mut found = Vec::new();
            for r in store::format_requests(pool).await? {
                let held = Held::one(&r.reference, Some(&r.name), Some(&r.email), None);
                let Some(matched_on) = query.matches(&held) else { continue };
                found.push(HeldRecord {
                    service: FORMATS.name,
                    what: "Request for another format",
                    received_on: r.received_on.clone(),
                    name: r.name.clone(),
                    matched_on,
                    path: "/staff/transparency/format-requests".into(),
                    anonymised: r.email.is_empty(),
                    details: json!({ "name": r.name, "email": r.email, "document": r.title, "format": r.format, "details": r.details, "replied_on": r.replied_on }),
                    reference: r.reference,
                });
            }
            Ok(found)
        })
    }
}
