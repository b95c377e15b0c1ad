//! Many rows in one statement: the rows travel as one JSON array parameter and the database
//! unpacks them (`jsonb_each` in SQLite, `jsonb_array_elements` in PostgreSQL: as `jsonb` the text
//! is parsed once, where `json` would be parsed again for every value taken out). Binding thousands of
//! parameters one by one, or sending a statement a row, costs more than the writing itself, and
//! a national month is tens of thousands of rows.

use sqlx::AnyConnection;

/// A value for a multi-row statement.
pub(crate) enum Cell<'a> {
    Text(&'a str),
    Number(i64),
    MaybeText(Option<&'a str>),
    MaybeNumber(Option<i64>),
    MaybeReal(Option<f64>),
}

impl Cell<'_> {
    fn json(&self) -> serde_json::Value {
        match self {
            Cell::Text(text) => serde_json::Value::from(*text),
            Cell::Number(number) => serde_json::Value::from(*number),
            Cell::MaybeText(text) => text.map_or(serde_json::Value::Null, serde_json::Value::from),
            Cell::MaybeNumber(number) => number.map_or(serde_json::Value::Null, serde_json::Value::from),
            Cell::MaybeReal(real) => real.map_or(serde_json::Value::Null, serde_json::Value::from),
        }
    }

    /// How the `i`th value of a row is read back out of the JSON, with its SQL type.
    fn select(&self, i: usize) -> String {
        match self {
            Cell::Text(_) | Cell::MaybeText(_) => format!("value ->> {i}"),
            Cell::Number(_) | Cell::MaybeNumber(_) => format!("CAST(value ->> {i} AS BIGINT)"),
            Cell::MaybeReal(_) => format!("CAST(value ->> {i} AS DOUBLE PRECISION)"),
        }
    }
}

const ROWS_PER_STATEMENT: usize = 20_000;

/// The most JSON sent to PostgreSQL in one statement. sqlx 0.9.0 leaves Nagle's algorithm on
/// (sqlx issue #4335, fixed upstream, not yet released). A socket's send buffer starts at 16 KiB
/// (Linux's tcp_wmem), so a longer message goes out in two writes and the second waits about
/// 40 ms for the server's delayed acknowledgement. Kept under it, a national year's import on
/// PostgreSQL took 10 s instead of 32 s (docs/performance.md).
const POSTGRES_BYTES_PER_STATEMENT: usize = 14_000;

/// The rows as a table with a column `value` holding each row's array, for a FROM clause.
fn json_table(conn: &AnyConnection) -> &'static str {
    if is_sqlite(conn) { "jsonb_each($1)" } else { "jsonb_array_elements(CAST($1 AS JSONB)) AS j(value)" }
}

/// Runs `statement` for the rows, a chunk at a time. In the statement, `{rows}` is a SELECT of
/// the rows' values named `c0`, `c1`, … (in the order of the first row's cells).
pub(crate) async fn for_rows(conn: &mut AnyConnection, statement: &str, rows: &[Vec<Cell<'_>>]) -> Result<(), sqlx::Error> {
    let Some(first) = rows.first() else { return Ok(()) };
    let columns: Vec<String> = first.iter().enumerate().map(|(i, cell)| format!("{} AS c{i}", cell.select(i))).collect();
    let select = format!("SELECT {} FROM {}", columns.join(", "), json_table(conn));
    let sql = statement.replace("{rows}", &select);
    let byte_limit = if is_sqlite(conn) { usize::MAX } else { POSTGRES_BYTES_PER_STATEMENT };
    let mut json = String::from("[");
    let mut in_statement = 0;
    for row in rows {
        let text = serde_json::Value::Array(row.iter().map(Cell::json).collect()).to_string();
        if in_statement > 0 && (in_statement == ROWS_PER_STATEMENT || json.len() + text.len() + 2 > byte_limit) {
            json.push(']');
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(std::mem::replace(&mut json, String::from("[")))
                .execute(&mut *conn)
                .await?;
            in_statement = 0;
        }
        if in_statement > 0 {
            json.push(',');
        }
        json.push_str(&text);
        in_statement += 1;
    }
    json.push(']');
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(json).execute(&mut *conn).await?;
    Ok(())
}

fn is_sqlite(conn: &AnyConnection) -> bool {
    conn.backend_name().eq_ignore_ascii_case("sqlite")
}

/// Inserts the rows into `columns` of `table`.
pub(crate) async fn insert_all(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: Vec<Vec<Cell<'_>>>,
) -> Result<(), sqlx::Error> {
    let Some(first) = rows.first() else { return Ok(()) };
    let values: Vec<String> = (0..first.len()).map(|i| format!("c{i}")).collect();
    let statement = format!("INSERT INTO {table} ({}) SELECT {} FROM ({{rows}}) AS r", columns.join(", "), values.join(", "));
    for_rows(conn, &statement, &rows).await
}
