//! One change to a case, for every service: the columns to set, applied only if the case is
//! still at a stage the change starts from (so two people acting at once cannot both move it),
//! and audited in the same transaction.

use platform::audit::{self, Actor, Event};
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

/// Applies `change` if the case's stage is one of `from`; false when it has moved on.
pub async fn apply(
    conn: &mut AnyConnection,
    case: &Case<'_>,
    from: &[&str],
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
    // Stages are the services' own slugs, never user input.
    let stages: Vec<String> = from.iter().map(|s| format!("'{s}'")).collect();
    sql.push_str(&format!(" WHERE id = ${} AND stage IN ({})", n + 1, stages.join(", ")));
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
