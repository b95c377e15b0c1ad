//! One change to a case, for every service: the columns to set, applied only if the case is
//! still where the officer saw it (at a stage the change starts from, or not yet decided), so two
//! people acting at once cannot both move it, and audited in the same transaction. The one who
//! loses the race is told [`MOVED_ON`] on the page they were on, the same way in every service.

use platform::audit::{self, Actor, Event};
use platform::web::forms::FormErrors;
use sqlx::AnyConnection;
use time::OffsetDateTime;

/// A column's new value. Numbers stay numbers: PostgreSQL will not put text in a BIGINT column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(Option<String>),
    Number(i64),
}

/// One change to a case: the columns to set and what to write in the audit log.
pub struct Change<'a> {
    pub sets: Vec<(&'static str, Value)>,
    pub action: &'a str,
    pub detail: String,
}

/// The case a change is to.
pub struct Case<'a> {
    /// The service's table, with `id` and `stage` columns.
    pub table: &'static str,
    pub id: &'a str,
    /// As the audit log names it.
    pub record_type: &'a str,
    pub reference: &'a str,
}

/// What the officer who lost a race is told.
pub const MOVED_ON: &str =
    "This case has moved on since you opened it: someone else acted on it first. Check the page and try again.";

/// The error to show when a change finds the case moved on: at the top of the page, linking to
/// the page's content (where the case as it now stands is shown).
pub fn moved_on() -> FormErrors {
    let mut errors = FormErrors::new();
    errors.add_targeted("case", "main-content", MOVED_ON);
    errors
}

/// Where the case must still be for a change to apply.
#[derive(Debug, Clone, Copy)]
pub enum Guard<'a> {
    /// At one of these stages (the service's `stage` column).
    AtStage(&'a [&'a str]),
    /// Not yet decided: this column is still empty (for records without stages).
    NotYet(&'static str),
}

impl Guard<'_> {
    /// The condition in SQL. Stages and columns are the services' own constants, never input.
    fn condition(&self) -> String {
        match self {
            Guard::AtStage(stages) => {
                let quoted: Vec<String> = stages.iter().map(|s| format!("'{}'", s.replace('\'', ""))).collect();
                format!("stage IN ({})", quoted.join(", "))
            }
            Guard::NotYet(column) => format!("{column} IS NULL"),
        }
    }
}

/// Applies `change` if the case's stage is one of `from`; false when it has moved on.
pub async fn apply(
    conn: &mut AnyConnection,
    case: &Case<'_>,
    from: &[&str],
    change: &Change<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    apply_guarded(conn, case, Guard::AtStage(from), change, actor, now).await
}

/// Applies `change` if the case is still as `guard` says; false when it has moved on.
pub async fn apply_guarded(
    conn: &mut AnyConnection,
    case: &Case<'_>,
    guard: Guard<'_>,
    change: &Change<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut sql = format!("UPDATE {} SET ", case.table);
    for (index, (column, _)) in change.sets.iter().enumerate() {
        if index > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!("{column} = ${}", index + 1));
    }
    let n = change.sets.len();
    sql.push_str(&format!(" WHERE id = ${} AND {}", n + 1, guard.condition()));
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for (_, value) in &change.sets {
        query = match value {
            Value::Text(text) => query.bind(text.clone()),
            Value::Number(n) => query.bind(*n),
        };
    }
    let result = query.bind(case.id).execute(&mut *conn).await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    let event = Event { action: change.action, record_type: case.record_type, record_id: case.reference, detail: &change.detail };
    audit::record(conn, actor, event, now).await?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guard_is_a_condition_on_the_case_as_the_officer_saw_it() {
        assert_eq!(Guard::AtStage(&["received", "acknowledged"]).condition(), "stage IN ('received', 'acknowledged')");
        assert_eq!(Guard::NotYet("outcome").condition(), "outcome IS NULL");
        assert_eq!(moved_on().for_field("case"), Some(MOVED_ON));
    }
}
