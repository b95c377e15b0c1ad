//! Asking the agencies for information for an ASB case review. The office picks a contact at a
//! partner organisation; the contact is emailed a secret link (no account needed) to read the
//! question and answer in text and documents, which join the case; an unanswered request is
//! chased weekly after its date, each chase with a fresh link. Review bodies' accounts can still
//! record an answer on the case page.

pub mod link;
pub mod store;

use casekit::chasing::Chasing;
use platform::audit::{Actor, Event};
use platform::calendar;
use platform::config::Settings;
use platform::db::Pool;
use platform::mail::Email;
use platform::organisations::contacts::Contact;
use platform::words::escape_html;
use sqlx::AnyConnection;
use time::{Date, Duration, OffsetDateTime};

use super::store::Application;

/// LOCAL: a chase a week after the date, three at the most.
pub const CHASING: Chasing = Chasing { every_days: 7, at_most: 3 };

/// LOCAL: how long a link keeps working after the reply date (or after a chase).
pub const LINK_WORKS_FOR_DAYS: i64 = 28;

/// Where a request's secret link opens it.
pub fn answer_page(token: &str) -> String {
    format!("/agency-request/{token}")
}

/// An agency's answer, as the email telling the office of it says.
pub fn answer_work(application: &Application) -> platform::office::NewWork<'_> {
    platform::office::NewWork {
        what: "Agency’s answer for ASB case review",
        reference: &application.reference,
        path: format!("/staff/asb-case-reviews/{}#information", application.reference),
        assigned_to: application.assigned_to.as_deref(),
    }
}

/// What a request email says, and which request it is: the first, or a chase.
struct Wording<'a> {
    office: &'a str,
    contact_name: &'a str,
    reference: &'a str,
    due_on: Date,
    link: &'a str,
    link_expires: Date,
    chase: bool,
}

/// The email to the contact. It carries the case's reference and the link, never the applicant's
/// details or the question: those are behind the link.
fn request_email(to: &str, w: &Wording<'_>) -> Email {
    let due = calendar::long_date(w.due_on);
    let expires = calendar::long_date(w.link_expires);
    let subject = if w.chase {
        format!("Reminder: information for ASB case review {} was due on {due}", w.reference)
    } else {
        format!("Request for information for ASB case review {}", w.reference)
    };
    let opening = if w.chase {
        format!(
            "We asked you for information for ASB case review {} and have not had an answer. It was due on {due}. \
             This link replaces the one in our earlier email.",
            w.reference
        )
    } else {
        format!("{} is holding an ASB case review ({}) and needs information from you by {due}.", w.office, w.reference)
    };
    let how = format!(
        "Read the question and answer it, with any documents, using this secure link. It works until {expires} without an \
         account; do not forward it."
    );
    let text = format!("Dear {},\n\n{opening}\n\n{how}\n\n{}\n\n{}\n", w.contact_name, w.link, w.office);
    let html = format!(
        "<p>Dear {},</p><p>{}</p><p>{}</p><p><a href=\"{}\">Read the question and answer it</a></p><p>{}</p>",
        escape_html(w.contact_name),
        escape_html(&opening),
        escape_html(&how),
        escape_html(w.link),
        escape_html(w.office)
    );
    Email { to: to.to_string(), subject, text, html }
}

/// A request to put to an agency's contact, from the office named.
pub struct Ask<'a> {
    pub office: &'a str,
    pub contact: &'a Contact,
    pub question: &'a str,
    pub today: Date,
    pub due_on: Date,
}

/// Records the request and queues its email to the contact, in the caller's transaction, so the
/// email is sent if, and only if, the request is kept.
pub async fn ask(
    conn: &mut AnyConnection,
    settings: &Settings,
    application: &Application,
    ask: &Ask<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let token = platform::auth::store::new_token();
    let link_expires = ask.due_on + Duration::days(LINK_WORKS_FOR_DAYS);
    let contact = ask.contact;
    let asked = store::Asked {
        organisation_id: &contact.organisation_id,
        agency: &contact.organisation,
        contact_id: &contact.id,
        contact_name: &contact.name,
        contact_email: &contact.email,
    };
    let sent = store::Sent { question: ask.question, today: ask.today, due_on: ask.due_on, token: &token, link_expires };
    let id = store::add_request(conn, application, asked, sent, actor, now).await?;
    let link = format!("{}{}", settings.public_url.trim_end_matches('/'), answer_page(&token));
    let wording = Wording {
        office: ask.office,
        contact_name: &contact.name,
        reference: &application.reference,
        due_on: ask.due_on,
        link: &link,
        link_expires,
        chase: false,
    };
    platform::mail::enqueue(conn, settings, &request_email(&contact.email, &wording)).await?;
    Ok(id)
}

/// Chases every request now owed a chase, each with a fresh link, and tells the case's
/// assignee (or the office, as it chose) nothing: the case page shows each chase. Returns how
/// many were sent.
pub async fn chase(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let today = calendar::uk_local_date(now);
    let office = platform::office::load(pool).await?.unwrap_or_else(platform::office::Office::unconfigured).name;
    let mut sent = 0;
    for request in store::unanswered(pool).await? {
        let (Some(due_on), last) =
            (platform::db::parse_date(&request.due_on), request.chased_on.as_deref().and_then(platform::db::parse_date))
        else {
            tracing::error!(request = %request.id, "an information request with an unreadable reply date");
            continue;
        };
        if !CHASING.is_due(due_on, last, request.chase_count, today) {
            continue;
        }
        let token = platform::auth::store::new_token();
        let link_expires = today + Duration::days(LINK_WORKS_FOR_DAYS);
        let mut tx = platform::db::begin_write(pool).await?;
        if store::mark_chased(&mut tx, &request, today, &token, link_expires).await? {
            let link = format!("{}{}", settings.public_url.trim_end_matches('/'), answer_page(&token));
            let wording = Wording {
                office: &office,
                contact_name: &request.contact_name,
                reference: &request.reference,
                due_on,
                link: &link,
                link_expires,
                chase: true,
            };
            platform::mail::enqueue(&mut tx, settings, &request_email(&request.contact_email, &wording)).await?;
            let detail = format!("{} ({})", request.contact_name, request.agency);
            let event = Event {
                action: "chased an agency",
                record_type: "ASB case review",
                record_id: &request.reference,
                detail: &detail,
            };
            platform::audit::record(&mut tx, &Actor::system("reminders"), event, now).await?;
            sent += 1;
        }
        tx.commit().await?;
    }
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn wording(chase: bool) -> Wording<'static> {
        Wording {
            office: "Office of the Police, Fire and Crime Commissioner",
            contact_name: "Sam O’Neill",
            reference: "ASB-2026-000007",
            due_on: date!(2026 - 12 - 18),
            link: "https://office.example/agency-request/abc",
            link_expires: date!(2027 - 01 - 15),
            chase,
        }
    }

    #[test]
    fn the_request_email_carries_the_link_and_dates_but_not_the_question() {
        let email = request_email("sam@housing.example", &wording(false));
        assert_eq!(email.subject, "Request for information for ASB case review ASB-2026-000007");
        assert!(email.text.starts_with("Dear Sam O’Neill,"), "{}", email.text);
        assert!(email.text.contains("by Friday 18 December 2026") && email.text.contains("until Friday 15 January 2027"));
        assert!(email.text.contains("https://office.example/agency-request/abc"));
        assert!(email.html.contains("<p>Dear Sam O’Neill,</p>"), "{}", email.html);
    }

    #[test]
    fn a_chase_says_it_is_overdue_and_replaces_the_earlier_link() {
        let email = request_email("sam@housing.example", &wording(true));
        assert!(email.subject.starts_with("Reminder:") && email.subject.contains("was due on Friday 18 December 2026"));
        assert!(email.text.contains("This link replaces the one in our earlier email"));
    }
}
