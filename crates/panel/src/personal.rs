//! The personal data the Panel's records hold, as the case kit's registry sees it: the public's
//! names and email addresses on questions, and complainants' details in the confidential log of
//! complaints about the Commissioner. How long each is kept (retention settings, run nightly),
//! the privacy notice's words, and finding them for a subject access request. Members' names are
//! public office; staff are the platform's accounts.

use casekit::people::{Held, HeldRecord, PersonQuery};
use casekit::registry::{About, CaseService, Pending, PrivacyWords, Retention, ready};
use casekit::tracker::Calendars;
use platform::db::{self, Pool};
use serde_json::json;
use time::{Date, OffsetDateTime};

use crate::store;

/// Questions from the public to the Commissioner at Panel meetings.
pub struct PanelQuestions;
/// Complaints about the Commissioner or the deputy.
pub struct PanelComplaints;

static QUESTIONS: About = About {
    slug: "panel-questions",
    name: "Questions at Panel meetings",
    letter_kinds: &[],
    drafts: None,
    tracker_page: None,
    retention: Retention { years: 1, from: "from when the question is answered, declined or its promised response given" },
    readers: &[],
    queue: "/staff/panel",
    privacy: PrivacyWords {
        holds: "Your name, your email address and your question.",
        why: "To put your question to the Commissioner at the Panel’s meeting and tell you what happens to it. Lawful basis: a task in the public interest (UK GDPR Article 6(1)(e)), the Panel’s scrutiny of the Commissioner. Questions and answers are published without your name.",
        shared_with: "The Panel’s members and support officer, and the Commissioner’s office, which answers it.",
    },
    assigned: &[],
};

static COMPLAINTS: About = About {
    slug: "panel-complaints",
    name: "Complaints about the Commissioner",
    letter_kinds: &[],
    drafts: None,
    tracker_page: None,
    retention: Retention {
        years: 1,
        from: "from when the complaint is closed (the Panel’s rules keep it until 12 months after the Commissioner leaves office: set this to match)",
    },
    readers: &[],
    queue: "/staff/panel/complaints",
    privacy: PrivacyWords {
        holds: "Your name, how to reach you, and what your complaint is about.",
        why: "To deal with your complaint about the Commissioner or the deputy, or refer it to the Independent Office for Police Conduct if it is a criminal or conduct matter. Lawful basis: a legal duty (UK GDPR Article 6(1)(c)), the Elected Local Policing Bodies (Complaints and Misconduct) Regulations 2012.",
        shared_with: "The Panel’s support officer and, when the Panel resolves it, the Panel; the IOPC when it is referred; the Commissioner, to answer it.",
    },
    assigned: &[],
};

impl CaseService for PanelQuestions {
    fn about(&self) -> &'static About {
        &QUESTIONS
    }
    fn open_deadlines<'a>(
        &'a self,
        _pool: &'a Pool,
        _calendars: &'a Calendars,
    ) -> Pending<'a, Vec<casekit::deadlines::Deadline>> {
        ready(Vec::new())
    }
    /// The asker's name and email go once the question was settled before `closed_before`; the
    /// question and its answer stay, as published.
    fn anonymise_closed<'a>(&'a self, pool: &'a Pool, closed_before: Date, now: OffsetDateTime) -> Pending<'a, usize> {
        Box::pin(async move {
            let cut = db::date(closed_before);
            let mut tx = db::begin_write(pool).await?;
            let removed = sqlx::query(
                "UPDATE panel_question SET asker_name = 'A member of the public', email = '' WHERE asker = 'public' AND asker_name <> 'A member of the public' \
                 AND ((status = 'declined' AND submitted_at < $1) OR (status = 'answered' AND answered_on < $1) OR (status = 'promised' AND responded_on < $1))",
            )
            .bind(&cut)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            casekit::retention::note_anonymised(&mut tx, "panel question", removed, now).await?;
            tx.commit().await?;
            Ok(removed as usize)
        })
    }
    fn find_person<'a>(&'a self, pool: &'a Pool, query: &'a PersonQuery) -> Pending<'a, Vec<HeldRecord>> {
        Box::pin(async move {
            let mut found = Vec::new();
            for q in store::questions(pool).await?.into_iter().filter(|q| q.is_public()) {
                let held = Held::one(&q.reference, Some(&q.asker_name), Some(&q.email), None);
                let Some(matched_on) = query.matches(&held) else { continue };
                found.push(HeldRecord {
                    service: QUESTIONS.name,
                    what: "Question",
                    received_on: q.submitted_at.get(..10).unwrap_or_default().to_string(),
                    name: q.asker_name.clone(),
                    matched_on,
                    path: format!("/staff/panel/meetings/{}#questions", q.meeting_id),
                    anonymised: q.email.is_empty(),
                    details: json!({ "name": q.asker_name, "email": q.email, "question": q.question, "status": q.status_words(), "answer": q.answer, "response": q.response }),
                    reference: q.reference,
                });
            }
            Ok(found)
        })
    }
}

impl CaseService for PanelComplaints {
    fn about(&self) -> &'static About {
        &COMPLAINTS
    }
    fn open_deadlines<'a>(
        &'a self,
        _pool: &'a Pool,
        _calendars: &'a Calendars,
    ) -> Pending<'a, Vec<casekit::deadlines::Deadline>> {
        ready(Vec::new())
    }
    /// A closed complaint keeps its dates, route and outcome for the published count; the
    /// complainant's details and the summary go.
    fn anonymise_closed<'a>(&'a self, pool: &'a Pool, closed_before: Date, now: OffsetDateTime) -> Pending<'a, usize> {
        Box::pin(async move {
            let mut tx = db::begin_write(pool).await?;
            let removed = sqlx::query(
                "UPDATE panel_complaint SET complainant = '', contact = '', summary = '', outcome = '' WHERE status <> 'open' AND closed_on < $1 AND complainant <> ''",
            )
            .bind(db::date(closed_before))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            casekit::retention::note_anonymised(&mut tx, "complaint about the Commissioner", removed, now).await?;
            tx.commit().await?;
            Ok(removed as usize)
        })
    }
    fn find_person<'a>(&'a self, pool: &'a Pool, query: &'a PersonQuery) -> Pending<'a, Vec<HeldRecord>> {
        Box::pin(async move {
            let mut found = Vec::new();
            for c in store::complaints(pool).await? {
                let held = Held::one(&c.reference, Some(&c.complainant), Some(&c.contact), None);
                let Some(matched_on) = query.matches(&held) else { continue };
                found.push(HeldRecord {
                    service: COMPLAINTS.name,
                    what: "Complaint",
                    received_on: c.received_on.clone(),
                    name: c.complainant.clone(),
                    matched_on,
                    path: "/staff/panel/complaints".into(),
                    anonymised: c.complainant.is_empty(),
                    details: json!({ "name": c.complainant, "contact": c.contact, "summary": c.summary, "route": c.route_words(), "status": c.status_words(), "outcome": c.outcome }),
                    reference: c.reference,
                });
            }
            Ok(found)
        })
    }
}
