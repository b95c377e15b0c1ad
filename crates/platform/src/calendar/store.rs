//! The one-off calendar changes administrators have added, and the years an imported GOV.UK
//! list confirmed, kept in the database.

use std::collections::BTreeMap;

use time::OffsetDateTime;

use super::govuk::PublishedList;
use super::{CalendarChange, ChangeKind, Nation, WorkingDayCalendar, built_in_changes};
use crate::audit::{self, Actor, Event};
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
    let mut tx = db::begin_write(pool).await?;
    insert_change(&mut tx, change, now).await?;
    tx.commit().await
}

async fn insert_change(conn: &mut sqlx::AnyConnection, change: &CalendarChange, now: OffsetDateTime) -> Result<(), sqlx::Error> {
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
    .execute(conn)
    .await?;
    Ok(())
}

/// Applies an imported list's differences ([`super::govuk::differences`]) and marks the years it
/// covers confirmed, in one transaction, audited. A difference replaces any change already held
/// for its date and nation. Deadlines computed afterwards use the changed calendar.
pub async fn import(
    pool: &Pool,
    list: &PublishedList,
    differences: &[CalendarChange],
    source: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    for change in differences {
        sqlx::query("DELETE FROM platform_calendar_change WHERE holiday_date = $1 AND nation = $2")
            .bind(db::date(change.date))
            .bind(change.nation.slug())
            .execute(&mut *tx)
            .await?;
        insert_change(&mut tx, change, now).await?;
    }
    for (nation, year) in &list.years {
        sqlx::query(
            "INSERT INTO platform_calendar_confirmed (nation, year, confirmed_at, source) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (nation, year) DO UPDATE SET confirmed_at = $3, source = $4",
        )
        .bind(nation.slug())
        .bind(i64::from(*year))
        .bind(db::timestamp(now))
        .bind(source)
        .execute(&mut *tx)
        .await?;
    }
    let detail = format!("{} changes from {source}", differences.len());
    let event = Event { action: "imported bank holidays", record_type: "calendar", record_id: "bank-holidays", detail: &detail };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await
}

/// When each nation's year was last confirmed by an import, and from where.
pub async fn confirmed(pool: &Pool) -> Result<BTreeMap<(Nation, i32), (String, String)>, sqlx::Error> {
    let rows: Vec<(String, i64, String, String)> =
        sqlx::query_as("SELECT nation, year, confirmed_at, source FROM platform_calendar_confirmed").fetch_all(pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(|(nation, year, at, source)| Some(((nation.parse().ok()?, i32::try_from(year).ok()?), (at, source))))
        .collect())
}
