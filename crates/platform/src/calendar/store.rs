//! The one-off calendar changes administrators have added, kept in the database.

use time::OffsetDateTime;

use super::{CalendarChange, ChangeKind, Nation, WorkingDayCalendar, built_in_changes};
use crate::db::{self, Pool};

/// Built-in changes followed by the administrators' own; a later row for the same date and
/// nation wins, because `bank_holidays` applies changes in order.
pub async fn all_changes(pool: &Pool) -> Result<Vec<CalendarChange>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT holiday_date, nation, change_kind, name FROM platform_calendar_change ORDER BY created_at, id")
            .fetch_all(pool)
            .await?;
    let mut changes = built_in_changes();
    for (date, nation, kind, name) in rows {
        // The table's CHECK constraints admit only values these parse; a row that still fails
        // was written by hand and is skipped rather than taking the calendar down.
        let (Some(date), Ok(nation), Ok(kind)) = (db::parse_date(&date), nation.parse::<Nation>(), kind.parse::<ChangeKind>())
        else {
            tracing::warn!(date, nation, kind, "unreadable calendar change skipped");
            continue;
        };
        changes.push(CalendarChange { date, nation, kind, name });
    }
    Ok(changes)
}

/// The FOI calendar with every change in force.
pub async fn freedom_of_information(pool: &Pool) -> Result<WorkingDayCalendar, sqlx::Error> {
    Ok(WorkingDayCalendar::freedom_of_information(all_changes(pool).await?))
}

pub async fn for_nation(pool: &Pool, nation: Nation) -> Result<WorkingDayCalendar, sqlx::Error> {
    Ok(WorkingDayCalendar::for_nation(nation, all_changes(pool).await?))
}

pub async fn add_change(pool: &Pool, change: &CalendarChange, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO platform_calendar_change (id, holiday_date, nation, change_kind, name, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::ids::new_id())
    .bind(db::date(change.date))
    .bind(change.nation.slug())
    .bind(change.kind.slug())
    .bind(&change.name)
    .bind(db::timestamp(now))
    .execute(pool)
    .await?;
    Ok(())
}
