//! The daily chase: promised responses and responses to the Panel's recommendations that fall
//! due today, or are a week (two weeks, …) overdue, are chased with the office; the Panel's officers are reminded of each precept deadline a week
//! before and on the day. The rules are pure (`rules::Promise::chase_today`, `precept_reminder`);
//! this sends what they say.

use platform::calendar::uk_local_date;
use platform::config::Settings;
use platform::db::Pool;
use platform::mail::Email;
use time::{Date, OffsetDateTime};

use crate::store;

/// Whether to remind the officers of a deadline on `today`: a week before, and on the day.
pub fn precept_reminder(deadline: Date, today: Date) -> bool {
    matches!((deadline - today).whole_days(), 7 | 0)
}

/// Addresses of the Panel's officers (and the administrators if it has none).
async fn officer_addresses(pool: &Pool) -> Result<Vec<String>, sqlx::Error> {
    let users = platform::auth::store::list_users(pool).await?;
    let of = |role| users.iter().filter(|u| !u.disabled && u.role == role).map(|u| u.email.clone()).collect::<Vec<_>>();
    let officers = of(platform::access::Role::PanelOfficer);
    Ok(if officers.is_empty() { of(platform::access::Role::Administrator) } else { officers })
}

/// Queues today's chases and reminders; returns how many emails.
pub async fn run(pool: &Pool, settings: &Settings, now: OffsetDateTime) -> anyhow::Result<usize> {
    let today = uk_local_date(now);
    let office = platform::office::load(pool).await?;
    let office_email = office.map(|o| o.email).unwrap_or_default();
    let officers = officer_addresses(pool).await?;
    let base = settings.public_url.trim_end_matches('/');
    let mut sent = 0;
    let mut tx = platform::db::begin_write(pool).await?;
    for q in store::questions(pool).await? {
        let Some(promise) = q.promise(today) else { continue };
        if !promise.chase_today() || q.last_chased_on.as_deref() == Some(platform::db::date(today).as_str()) {
            continue;
        }
        let due = q.promised_due.as_deref().map(platform::calendar::long_date_of).unwrap_or_default();
        let subject = format!("Promised response {}: {}", promise.words().to_lowercase(), q.reference);
        let paragraphs = [
            format!("At a Panel meeting the Commissioner promised a response to question {}, due by {due}.", q.reference),
            format!("The question: {}", q.question),
            format!("Record the response here: {base}/staff/panel/meetings/{}#questions", q.meeting_id),
        ];
        for to in std::iter::once(&office_email).chain(officers.iter()).filter(|a| !a.is_empty()) {
            platform::mail::enqueue(&mut tx, settings, &Email::from_paragraphs(to, &subject, &paragraphs)).await?;
            sent += 1;
        }
        store::mark_chased(&mut tx, &q.reference, today).await?;
    }
    for r in store::recommendations(pool).await? {
        let state = r.state(today);
        if !state.chase_today() || r.last_chased_on.as_deref() == Some(platform::db::date(today).as_str()) {
            continue;
        }
        let subject = format!("Response to the Panel’s recommendation {}: {}", r.reference, state.words().to_lowercase());
        let paragraphs = [
            format!(
                "The Panel’s recommendation {} needs the Commissioner’s response by {}.",
                r.reference,
                platform::calendar::long_date_of(&r.response_due)
            ),
            format!("The recommendation: {}", r.words),
            format!("Record the response here: {base}/staff/panel/recommendations"),
        ];
        for to in std::iter::once(&office_email).chain(officers.iter()).filter(|a| !a.is_empty()) {
            platform::mail::enqueue(&mut tx, settings, &Email::from_paragraphs(to, &subject, &paragraphs)).await?;
            sent += 1;
        }
        store::mark_recommendation_chased(&mut tx, &r.reference, today).await?;
    }
    for row in store::precept_rounds(pool).await? {
        let round = row.round();
        let Some((deadline, what)) = round.next_deadline() else { continue };
        if !precept_reminder(deadline, today) {
            continue;
        }
        let subject = format!("{} {}: due {}", row.precept().words(), row.year_words(), platform::format::date(deadline));
        let paragraphs = [
            format!("{what} by {}.", platform::calendar::long_date(deadline)),
            format!("Where it stands: {}.", round.stage().words()),
            format!("Record each step here: {base}/staff/panel/precept"),
        ];
        for to in &officers {
            platform::mail::enqueue(&mut tx, settings, &Email::from_paragraphs(to, &subject, &paragraphs)).await?;
            sent += 1;
        }
    }
    tx.commit().await?;
    Ok(sent)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn officers_are_reminded_a_week_before_and_on_the_day() {
        let deadline = date!(2027 - 02 - 08);
        let reminded: Vec<Date> =
            (0..20).map(|d| date!(2027 - 01 - 25) + time::Duration::days(d)).filter(|d| precept_reminder(deadline, *d)).collect();
        assert_eq!(reminded, vec![date!(2027 - 02 - 01), date!(2027 - 02 - 08)]);
    }
}
