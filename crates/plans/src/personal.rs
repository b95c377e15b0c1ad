//! The personal data plans hold, as the case kit's registry sees it: the email addresses of
//! people who asked for updates on a priority. How long they are kept, the privacy notice's words,
//! and finding them for a subject access request. Leads' names in updates are staff accounts',
//! which the platform holds.

use casekit::people::{Held, HeldRecord, PersonQuery};
use casekit::registry::{About, CaseService, Pending, PrivacyWords, Retention, ready};
use casekit::tracker::Calendars;
use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use serde_json::json;
use time::{Date, OffsetDateTime};

pub struct PlanSubscriptions;

/// A subscription as the search reads it: id, email, requested, confirmed, last emailed, priority, plan.
type SubscriptionRow = (String, String, String, Option<String>, Option<String>, String, String);

static ABOUT: About = About {
    slug: "plan-email-updates",
    name: "Email updates on plans",
    letter_kinds: &[],
    drafts: None,
    tracker_page: None,
    retention: Retention { years: 2, from: "from the last update we emailed you (you can unsubscribe at any time)" },
    // Nobody works subscriptions as cases: they are found only by the subject access search,
    // and kept out of staff search and the staff home page.
    readers: &[],
    queue: "/staff/plans",
    privacy: PrivacyWords {
        holds: "The email address you give and the priority you asked to hear about.",
        why: "To email you when progress on that priority is reported. Lawful basis: your consent (UK GDPR Article 6(1)(a)), which you give by confirming the address and withdraw by unsubscribing. Requests you do not confirm are deleted after 7 days; unsubscribing deletes your address at once.",
        shared_with: "Nobody. The office’s email provider sends the emails.",
    },
    assigned: &[],
};

impl CaseService for PlanSubscriptions {
    fn about(&self) -> &'static About {
        &ABOUT
    }
    /// Subscriptions have no deadlines.
    fn open_deadlines<'a>(
        &'a self,
        _pool: &'a Pool,
        _calendars: &'a Calendars,
    ) -> Pending<'a, Vec<casekit::deadlines::Deadline>> {
        ready(Vec::new())
    }
    /// Deletes subscriptions nothing has been emailed to since `closed_before` (a plan that
    /// stopped reporting): an address is kept only while it is used.
    fn anonymise_closed<'a>(&'a self, pool: &'a Pool, closed_before: Date, now: OffsetDateTime) -> Pending<'a, usize> {
        Box::pin(async move {
            let cut = db::timestamp(closed_before.midnight().assume_utc());
            let mut tx = db::begin_write(pool).await?;
            let removed =
                sqlx::query("DELETE FROM plans_subscription WHERE COALESCE(last_sent_at, confirmed_at, requested_at) < $1")
                    .bind(&cut)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if removed > 0 {
                let detail = format!("{removed} unused subscriptions deleted");
                let event = Event {
                    action: "deleted at the end of retention",
                    record_type: "plan subscription",
                    record_id: "-",
                    detail: &detail,
                };
                audit::record(&mut tx, &Actor::system("retention"), event, now).await?;
            }
            tx.commit().await?;
            Ok(removed as usize)
        })
    }
    fn find_person<'a>(&'a self, pool: &'a Pool, query: &'a PersonQuery) -> Pending<'a, Vec<HeldRecord>> {
        Box::pin(async move {
            let rows: Vec<SubscriptionRow> = sqlx::query_as(
                "SELECT s.id, s.email, s.requested_at, s.confirmed_at, s.last_sent_at, p.title, pl.slug FROM plans_subscription s \
                 JOIN plans_priority p ON p.id = s.priority_id JOIN plans_plan pl ON pl.id = p.plan_id ORDER BY s.requested_at",
            )
            .fetch_all(pool)
            .await?;
            let mut found = Vec::new();
            for (id, email, requested_at, confirmed_at, last_sent_at, priority, plan) in rows {
                let reference = format!("SUB-{}", id.get(..8).unwrap_or(&id).to_uppercase());
                let held = Held::one(&reference, None, Some(&email), None);
                let Some(matched_on) = query.matches(&held) else { continue };
                found.push(HeldRecord {
                    service: ABOUT.name,
                    what: "Subscription",
                    received_on: requested_at.get(..10).unwrap_or_default().to_string(),
                    name: String::new(),
                    matched_on,
                    path: format!("/plans/{plan}"),
                    anonymised: false,
                    details: json!({ "email": email, "priority": priority, "plan": plan, "requested_at": requested_at, "confirmed_at": confirmed_at, "last_emailed_at": last_sent_at }),
                    reference,
                });
            }
            Ok(found)
        })
    }
}
