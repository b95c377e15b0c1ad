//! The daily reminder: each published thing that is overdue (or never published) reminds its
//! owner, on the first day and weekly after; administrators get one list of everything overdue.
//! The rule is pure (`scheme::Standing::remind_today`); this sends what it says.

use std::collections::BTreeMap;

use platform::access::Role;
use platform::calendar::uk_local_date;
use platform::config::Settings;
use platform::db::{self, Pool};
use platform::mail::Email;
use time::{Date, OffsetDateTime};

use crate::scheme::{self, Frequency, Standing};
use crate::store::{self, Item};

/// An item with where it stands today.
#[derive(Debug, Clone)]
pub struct Standings {
    pub item: Item,
    pub last: Option<Date>,
    pub standing: Standing,
}

/// Every item with its last published date (from its source, or reviewed by hand) and standing.
pub async fn standings(pool: &Pool, today: Date) -> Result<Vec<Standings>, sqlx::Error> {
    let sources: BTreeMap<String, String> = store::source_dates(pool).await?.into_iter().collect();
    Ok(store::items(pool)
        .await?
        .into_iter()
        .map(|item| {
            let from_source = sources.get(&item.source).and_then(|d| db::parse_date(d));
            let by_hand = item.reviewed_on.as_deref().and_then(db::parse_date);
            let last = from_source.max(by_hand);
            let frequency = Frequency::parse(&item.frequency).unwrap_or(Frequency::KeepCurrent);
            Standings { standing: scheme::standing(frequency, last, today), item, last }
        })
        .collect())
}

/// Queues today's reminders; returns how many emails.
pub async fn run(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> anyhow::Result<usize> {
    let today = uk_local_date(now);
    let users = platform::auth::store::list_users(pool).await?;
    let admins: Vec<String> =
        users.iter().filter(|u| !u.disabled && u.role == Role::Administrator).map(|u| u.email.clone()).collect();
    let base = settings.public_url.trim_end_matches('/');
    let mut overdue = Vec::new();
    let mut sent = 0;
    let mut tx = db::begin_write(pool).await?;
    for s in standings(pool, today).await? {
        if !s.standing.needs_action() {
            continue;
        }
        overdue.push(format!("{}: {}", s.item.title, s.standing.words().to_lowercase()));
        let last_reminded = s.item.last_reminded_on.as_deref().and_then(db::parse_date);
        if !s.standing.remind_today(today, last_reminded) {
            continue;
        }
        let owner = s.item.owner_id.as_deref().and_then(|id| users.iter().find(|u| u.id == id && !u.disabled));
        if let Some(owner) = owner {
            let subject = format!("To publish: {}", s.item.title);
            let paragraphs = [
                format!("“{}” is yours to keep published. {}.", s.item.title, s.standing.words()),
                match s.last {
                    Some(d) => format!("It was last published or reviewed on {}.", platform::calendar::long_date(d)),
                    None => "Nothing has been published for it yet.".to_string(),
                },
                format!("Publish or review it here: {base}/staff/transparency"),
            ];
            platform::mail::enqueue(&mut tx, settings, &Email::from_paragraphs(&owner.email, &subject, &paragraphs)).await?;
            sent += 1;
        }
        store::mark_reminded(&mut tx, &s.item.id, today).await?;
    }
    // Administrators hear on Mondays, so the list is a weekly one rather than daily noise.
    if !overdue.is_empty() && today.weekday() == time::Weekday::Monday {
        let subject = format!("Publication scheme: {} overdue", platform::format::count(overdue.len() as i64));
        let mut paragraphs = vec!["These are overdue or have never been published:".to_string()];
        paragraphs.extend(overdue.iter().cloned());
        paragraphs.push(format!("See the compliance calendar: {base}/staff/transparency"));
        for to in &admins {
            platform::mail::enqueue(&mut tx, settings, &Email::from_paragraphs(to, &subject, &paragraphs)).await?;
            sent += 1;
        }
    }
    tx.commit().await?;
    Ok(sent)
}

/// The owner's name for a page: their email, since accounts carry no other name.
pub fn owner_words(owner_id: Option<&str>, users: &[platform::auth::store::StaffUser]) -> String {
    owner_id.and_then(|id| users.iter().find(|u| u.id == id)).map(|u| u.email.clone()).unwrap_or_else(|| "No owner".to_string())
}
