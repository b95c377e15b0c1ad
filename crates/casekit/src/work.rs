//! Each person's work on the staff home page: for every service their role reads, how many open
//! cases are new since they last signed in, due in the next seven days, overdue, and assigned to
//! them. Counted from the deadlines each service already works out for its open cases, so the
//! home page and the queues can never disagree about what is due.

use platform::audit::{self, Actor, Event};
use platform::auth::StaffUser;
use platform::capability::{StaffWork, WorkCount, WorkSection};
use platform::db::{self, Pool};
use time::{Date, Duration, OffsetDateTime};

use crate::deadlines::Deadline;
use crate::registry::{Assigned, Services};
use crate::tracker::Calendars;

/// One service's open work, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub open: usize,
    /// Received on or after the day of the person's previous sign-in (None: first sign-in).
    pub new: Option<usize>,
    pub due_this_week: usize,
    pub overdue: usize,
    pub assigned_to_me: usize,
}

/// Counts open cases' deadlines. `me` are the ways a case may name its assignee (an account's id,
/// and for older records its name).
pub fn tally(deadlines: &[Deadline], today: Date, me: &[&str], since: Option<Date>) -> Tally {
    let week_end = today + Duration::days(6);
    let count = |keep: &dyn Fn(&Deadline) -> bool| deadlines.iter().filter(|d| keep(d)).count();
    Tally {
        open: deadlines.len(),
        new: since.map(|since| count(&|d| d.received_on >= since)),
        due_this_week: count(&|d| (today..=week_end).contains(&d.due_on)),
        overdue: count(&|d| d.due_on < today),
        assigned_to_me: count(&|d| d.assigned_to.as_deref().is_some_and(|a| me.contains(&a))),
    }
}

impl Tally {
    fn lines(&self, queue: &str) -> Vec<WorkCount> {
        let line = |count, what: &str| WorkCount { count, what: what.to_string(), href: queue.to_string() };
        let mut lines = vec![line(self.open, "Open")];
        if let Some(new) = self.new {
            lines.push(line(new, "New since you last signed in"));
        }
        lines.extend([
            line(self.overdue, "Overdue"),
            line(self.due_this_week, "Due in the next 7 days"),
            line(self.assigned_to_me, "Assigned to you"),
        ]);
        lines
    }
}

/// The kit's account of each person's work, over the registered services.
pub struct Work(pub Services);

impl StaffWork for Work {
    fn sections<'a>(
        &'a self,
        pool: &'a Pool,
        user: &'a StaffUser,
        now: OffsetDateTime,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<WorkSection>, sqlx::Error>> + Send + 'a>> {
        Box::pin(async move {
            let mine: Vec<_> = self.0.iter().filter(|s| s.about().readers.contains(&user.role)).collect();
            if mine.is_empty() {
                return Ok(Vec::new());
            }
            let calendars = Calendars::load(pool).await?;
            let today = platform::calendar::uk_local_date(now);
            let since = user
                .previous_signed_in_at
                .as_deref()
                .and_then(platform::db::parse_timestamp)
                .map(platform::calendar::uk_local_date);
            let me = [user.id.as_str(), user.display_name.as_str()];
            let mut sections = Vec::new();
            for service in mine {
                let deadlines = service.open_deadlines(pool, &calendars).await?;
                let about = service.about();
                sections.push(WorkSection {
                    service: about.name,
                    queue: about.queue,
                    counts: tally(&deadlines, today, &me, since).lines(about.queue),
                });
            }
            Ok(sections)
        })
    }

    fn assigned_open<'a>(
        &'a self,
        pool: &'a Pool,
        user: &'a StaffUser,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<Vec<WorkCount>, sqlx::Error>> + Send + 'a>> {
        Box::pin(async move {
            let mut counts = Vec::new();
            for service in self.0.iter() {
                let about = service.about();
                let mut count = 0;
                for table in about.assigned {
                    count += open_cases(pool, table, user).await?.len();
                }
                if count > 0 {
                    counts.push(WorkCount { count, what: about.name.to_string(), href: about.queue.to_string() });
                }
            }
            Ok(counts)
        })
    }

    fn hand_over<'a>(
        &'a self,
        pool: &'a Pool,
        from: &'a StaffUser,
        to: &'a StaffUser,
        actor: &'a Actor,
        now: OffsetDateTime,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<usize, sqlx::Error>> + Send + 'a>> {
        Box::pin(async move {
            let mut moved = 0;
            let mut tx = db::begin_write(pool).await?;
            for table in self.0.iter().flat_map(|s| s.about().assigned) {
                for (id, reference) in open_cases(&mut *tx, table, from).await? {
                    // Only a case still assigned to the leaver moves, so a case someone took in
                    // the meantime stays with them.
                    let sql = format!("UPDATE {} SET assigned_to = $1 WHERE id = $2 AND assigned_to IN ($3, $4)", table.table);
                    // The table name is the service's own constant, never input.
                    let changed = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(&to.id)
                        .bind(&id)
                        .bind(&from.id)
                        .bind(&from.display_name)
                        .execute(&mut *tx)
                        .await?;
                    if changed.rows_affected() == 1 {
                        let detail = format!("from {} to {}", from.display_name, to.display_name);
                        let event = Event {
                            action: "handed over",
                            record_type: table.record_type,
                            record_id: &reference,
                            detail: &detail,
                        };
                        audit::record(&mut tx, actor, event, now).await?;
                        moved += 1;
                    }
                }
            }
            tx.commit().await?;
            Ok(moved)
        })
    }
}

/// A table's open cases assigned to this person (by account id, or by name on older records):
/// their ids and references.
async fn open_cases<'c, E>(executor: E, table: &Assigned, user: &StaffUser) -> Result<Vec<(String, String)>, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let sql =
        format!("SELECT id, reference FROM {} WHERE assigned_to IN ($1, $2) AND {} ORDER BY reference", table.table, table.open);
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(&user.id).bind(&user.display_name).fetch_all(executor).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn case(due_on: Date, received_on: Date, assigned_to: Option<&str>) -> Deadline {
        Deadline {
            case_id: String::new(),
            reference: String::new(),
            step: "Reply",
            due_on,
            assigned_to: assigned_to.map(str::to_string),
            received_on,
        }
    }

    #[test]
    fn each_case_is_counted_where_it_belongs() {
        let today = date!(2026 - 12 - 07);
        let cases = [
            case(date!(2026 - 12 - 04), date!(2026 - 11 - 20), Some("u1")),
            case(date!(2026 - 12 - 07), date!(2026 - 12 - 01), None),
            case(date!(2026 - 12 - 13), date!(2026 - 12 - 05), Some("Sam Jones")),
            case(date!(2026 - 12 - 14), date!(2026 - 12 - 06), Some("u2")),
        ];
        let tally = tally(&cases, today, &["u1", "Sam Jones"], Some(date!(2026 - 12 - 05)));
        assert_eq!(tally, Tally { open: 4, new: Some(2), due_this_week: 2, overdue: 1, assigned_to_me: 2 });
    }

    #[test]
    fn a_first_sign_in_has_nothing_new_and_an_empty_service_counts_nothing() {
        let today = date!(2026 - 12 - 07);
        assert_eq!(tally(&[], today, &["u1"], None), Tally::default());
        let one = [case(today, today, None)];
        assert_eq!(tally(&one, today, &["u1"], None).new, None);
    }
}
