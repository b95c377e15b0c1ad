//! Messages from the contact form as the case kit sees them (casekit::registry): how long they
//! are kept, and finding them for a subject access request. They have no clock or letters yet.

use casekit::deadlines::Deadline;
use casekit::people::{Held, HeldRecord, PersonQuery};
use casekit::registry::{About, CaseService, Pending, Retention};
use casekit::retention::Anonymise;
use casekit::tracker::Calendars;
use platform::db::{self, Pool};
use serde_json::json;
use time::{Date, OffsetDateTime};

use super::store::ATTACHMENT_OWNER;

pub struct ContactMessages;

static ABOUT: About = About {
    slug: "contact-messages",
    name: "Messages from the public",
    letter_kinds: &super::letters::KINDS,
    drafts: None,
    tracker_page: None,
    retention: Retention { years: 2, from: "from the day a message arrived" },
    readers: crate::READERS,
    queue: "/staff/messages",
    privacy: casekit::registry::PrivacyWords {
        holds: "Your name, the contact details you give, how you would like a reply, your message and any files you send.",
        why: "To answer you and to keep a record of what the public raises with the office. Lawful basis: a task in the public interest (UK GDPR Article 6(1)(e)).",
        shared_with: "Only the staff who answer you. If another organisation, such as the police, needs to act on what you told us, we will tell you before we pass it on unless the law requires otherwise.",
    },
    assigned: &[casekit::registry::Assigned {
        table: "correspondence_contact_message",
        record_type: "contact message",
        open: "closed_at IS NULL",
    }],
};

impl CaseService for ContactMessages {
    fn about(&self) -> &'static About {
        &ABOUT
    }
    /// A message waiting for a reply is due by the date the sender was told when it arrived; no
    /// calendar moves it, so every working gives the same dates.
    fn open_deadlines<'a>(&'a self, pool: &'a Pool, _calendars: &'a Calendars) -> Pending<'a, Vec<Deadline>> {
        Box::pin(async move {
            let waiting = awaiting_reply(pool).await?;
            Ok(waiting.into_iter().map(|w| w.deadline()).collect())
        })
    }
    /// The assignee is reminded two working days before the reply date, and once it has passed.
    fn reminders_owed<'a>(
        &'a self,
        pool: &'a Pool,
        today: Date,
        calendar: &'a platform::calendar::WorkingDayCalendar,
    ) -> Pending<'a, Vec<casekit::reminders::Owed>> {
        Box::pin(async move {
            let mut owed = Vec::new();
            for waiting in awaiting_reply(pool).await? {
                let deadline = waiting.deadline();
                let step = casekit::clock::Step { kind: (), due_on: deadline.due_on, done_on: None, rule: RULE.into() };
                if let Some(reminder) = casekit::clock::reminder_owed(&step, today, calendar) {
                    owed.push(casekit::reminders::Owed {
                        path: format!("/staff/messages/{}", deadline.reference),
                        case_id: deadline.case_id,
                        reference: deadline.reference,
                        step_slug: "reply",
                        step_name: REPLY_STEP,
                        due_on: deadline.due_on,
                        rule: RULE.into(),
                        reminder,
                        assignee: deadline.assigned_to,
                    });
                }
            }
            Ok(owed)
        })
    }
    fn anonymise_closed<'a>(&'a self, pool: &'a Pool, closed_before: Date, now: OffsetDateTime) -> Pending<'a, usize> {
        Box::pin(anonymise_received(pool, closed_before, now))
    }
    fn find_person<'a>(&'a self, pool: &'a Pool, query: &'a PersonQuery) -> Pending<'a, Vec<HeldRecord>> {
        Box::pin(find_person(pool, query))
    }
}

const REMOVED: &str = "Removed";

/// Removes the sender's details, their message and its attachments from every message that
/// arrived before `received_before` (its start in UTC: near enough for a period of years).
const MESSAGE: Anonymise = Anonymise {
    record_type: "contact message",
    table: "correspondence_contact_message",
    set: "full_name = $1, email = NULL, postal_address = NULL, postcode = NULL, telephone = NULL, message = $1, \
          reply_text = CASE WHEN reply_text IS NULL THEN NULL ELSE $1 END",
    related: &[],
    by_id: &[],
    letters: Some(super::letters::LETTER_CASE),
    files: &[ATTACHMENT_OWNER],
};

pub async fn anonymise_received(pool: &Pool, received_before: Date, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let cut = db::timestamp(received_before.midnight().assume_utc());
    let messages: Vec<(String, String)> = sqlx::query_as(
        "SELECT id, reference FROM correspondence_contact_message WHERE received_at < $1 AND anonymised_at IS NULL",
    )
    .bind(&cut)
    .fetch_all(pool)
    .await?;
    MESSAGE.each(pool, &messages, now).await
}

type Row = (String, String, String, Option<String>, Option<String>, Option<String>, String, String);

/// Every message sent by the person asked about, with what it said.
pub async fn find_person(pool: &Pool, query: &PersonQuery) -> Result<Vec<HeldRecord>, sqlx::Error> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT id, reference, full_name, email, postcode, telephone, message, received_at FROM correspondence_contact_message",
    )
    .fetch_all(pool)
    .await?;
    let mut found = Vec::new();
    for (id, reference, name, email, postcode, telephone, message, received_at) in rows {
        let held = Held::one(&reference, Some(&name), email.as_deref(), postcode.as_deref());
        let Some(matched_on) = query.matches(&held) else { continue };
        let files = casekit::people::file_names(pool, ATTACHMENT_OWNER, &id).await?;
        let received_on = received_at.get(..10).unwrap_or_default().to_string();
        found.push(HeldRecord {
            service: "Messages from the public",
            what: "Message",
            received_on,
            anonymised: name == REMOVED,
            path: format!("/staff/messages/{reference}"),
            details: json!({ "reference": reference, "name": name, "email": email, "postcode": postcode, "telephone": telephone, "message": message, "received_at": received_at, "files": files }),
            name,
            matched_on,
            reference,
        });
    }
    Ok(found)
}

const REPLY_STEP: &str = "Reply";
const RULE: &str = "the reply date the sender was given when the message arrived";

/// An open message not yet replied to.
#[derive(sqlx::FromRow)]
struct AwaitingReply {
    id: String,
    reference: String,
    reply_due_on: String,
    assigned_to: Option<String>,
    received_at: String,
}

impl AwaitingReply {
    fn deadline(self) -> Deadline {
        // Both dates are written by the store from dates, so they always read back.
        let received_on = db::parse_timestamp(&self.received_at).map(platform::calendar::uk_local_date);
        let due_on = db::parse_date(&self.reply_due_on).or(received_on).unwrap_or(Date::MIN);
        Deadline {
            case_id: self.id,
            reference: self.reference,
            step: REPLY_STEP,
            due_on,
            assigned_to: self.assigned_to,
            received_on: received_on.unwrap_or(due_on),
        }
    }
}

async fn awaiting_reply(pool: &Pool) -> Result<Vec<AwaitingReply>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, reference, reply_due_on, assigned_to, received_at FROM correspondence_contact_message \
         WHERE closed_at IS NULL AND replied_at IS NULL AND anonymised_at IS NULL",
    )
    .fetch_all(pool)
    .await
}
