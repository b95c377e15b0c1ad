//! What every case queue does alike beyond its columns: "only cases assigned to me", and the
//! queue as it is filtered, downloaded as a spreadsheet.

use axum::response::Response;
use platform::web::{csv_download, csv_field};

/// One queue row as a spreadsheet has it.
pub struct QueueLine {
    pub reference: String,
    pub received_on: String,
    pub stage: String,
    pub next_step: String,
    pub due_on: String,
    pub status: String,
    pub assigned_to: String,
}

/// Whether a filter's "only mine" keeps a case assigned to `assigned`. Services store the
/// assignee's account id; information requests assigned before that stored a name.
pub fn is_mine(only_mine: bool, assigned: Option<&str>, user: &platform::auth::StaffUser) -> bool {
    !only_mine || assigned.is_some_and(|a| a == user.id || a == user.display_name)
}

/// The queue, as filtered, as a CSV file named `name`.
pub fn download(name: &str, lines: impl IntoIterator<Item = QueueLine>) -> Response {
    let mut body = String::from("reference,received_on,stage,next_step,due_on,status,assigned_to\n");
    for l in lines {
        let fields = [&l.reference, &l.received_on, &l.stage, &l.next_step, &l.due_on, &l.status, &l.assigned_to];
        body.push_str(&fields.map(|f| csv_field(f)).join(","));
        body.push('\n');
    }
    csv_download(body, name)
}
