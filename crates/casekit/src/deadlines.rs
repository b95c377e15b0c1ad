//! Deadlines moved by a change to the bank holidays. The services work their statutory clocks out
//! from the calendar whenever they are shown, so a proclaimed holiday moves an open case's next
//! deadline by itself; this records which moved, from when to when and why, so the case's officer
//! is told on its page rather than finding a date changed.

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use time::{Date, OffsetDateTime};

use crate::registry::Services;
use crate::tracker::Calendars;

/// An open case's next deadline, as its service works it out from a calendar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub case_id: String,
    pub reference: String,
    /// The step due, in words: "Decide the threshold", "Reply".
    pub step: &'static str,
    pub due_on: Date,
    /// Who the case is assigned to, as the service stores it; for the staff home page.
    pub assigned_to: Option<String>,
    /// When the case arrived; for the staff home page's "new".
    pub received_on: Date,
}

/// A deadline that moved, as the case page shows it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Moved {
    pub step: String,
    pub was_due_on: String,
    pub now_due_on: String,
    pub why: String,
    pub moved_at: String,
}

impl Moved {
    pub fn was(&self) -> String {
        platform::calendar::long_date_of(&self.was_due_on)
    }
    pub fn now(&self) -> String {
        platform::calendar::long_date_of(&self.now_due_on)
    }
}

/// The deadlines that differ between two workings of the same cases: (before, the new date).
pub fn changes(before: &[Deadline], after: &[Deadline]) -> Vec<(Deadline, Date)> {
    before
        .iter()
        .filter_map(|was| {
            let now = after.iter().find(|a| a.case_id == was.case_id && a.step == was.step)?;
            (now.due_on != was.due_on).then(|| (was.clone(), now.due_on))
        })
        .collect()
}

/// Records, on each open case of every service, the deadline the calendar change moved (the
/// calendar as it was is `before`; as it is now is read again), each audited; returns how many.
pub async fn record_moves(
    services: &Services,
    pool: &Pool,
    before: &Calendars,
    why: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize, sqlx::Error> {
    let after = Calendars::load(pool).await?;
    let mut moved = 0;
    for service in services.iter() {
        let was = service.open_deadlines(pool, before).await?;
        let is = service.open_deadlines(pool, &after).await?;
        for (deadline, due_on) in changes(&was, &is) {
            let mut tx = db::begin_write(pool).await?;
            sqlx::query(
                "INSERT INTO casework_deadline_move (id, service, case_id, reference, step, was_due_on, now_due_on, why, moved_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(platform::ids::new_id())
            .bind(service.slug())
            .bind(&deadline.case_id)
            .bind(&deadline.reference)
            .bind(deadline.step)
            .bind(db::date(deadline.due_on))
            .bind(db::date(due_on))
            .bind(why)
            .bind(db::timestamp(now))
            .execute(&mut *tx)
            .await?;
            let detail = format!("{}: {} to {} ({why})", deadline.step, db::date(deadline.due_on), db::date(due_on));
            let event = Event {
                action: "moved a deadline",
                record_type: service.name(),
                record_id: &deadline.reference,
                detail: &detail,
            };
            audit::record(&mut tx, actor, event, now).await?;
            tx.commit().await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// The deadlines of a case that calendar changes moved, newest first.
pub async fn moves_of(pool: &Pool, case_id: &str) -> Result<Vec<Moved>, sqlx::Error> {
    sqlx::query_as(
        "SELECT step, was_due_on, now_due_on, why, moved_at FROM casework_deadline_move WHERE case_id = $1 ORDER BY moved_at DESC",
    )
    .bind(case_id)
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn deadline(case: &str, step: &'static str, due_on: Date) -> Deadline {
        Deadline { case_id: case.into(), reference: format!("REF-{case}"), step, due_on, assigned_to: None, received_on: due_on }
    }

    #[test]
    fn only_deadlines_that_moved_are_reported() {
        let before = [
            deadline("a", "Reply", date!(2026 - 06 - 15)),
            deadline("b", "Reply", date!(2026 - 06 - 20)),
            deadline("c", "Decide", date!(2026 - 06 - 12)),
        ];
        let after = [
            deadline("a", "Reply", date!(2026 - 06 - 16)),
            deadline("b", "Reply", date!(2026 - 06 - 20)),
            // The same case with a different next step is a different deadline, not a move.
            deadline("c", "Close", date!(2026 - 06 - 19)),
        ];
        assert_eq!(changes(&before, &after), [(before[0].clone(), date!(2026 - 06 - 16))]);
        assert!(changes(&before, &before).is_empty());
    }
}
