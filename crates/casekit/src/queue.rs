//! What every case queue does alike beyond its columns: "only cases assigned to me", and the
//! queue as it is filtered, downloaded as a spreadsheet.

use axum::response::Response;
use platform::audit::{self, Event};
use platform::auth::CurrentStaff;
use platform::db::Pool;
use platform::web::{csv_download, csv_field};

use crate::clock::{Step, StepName, StepStatus};

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

impl QueueLine {
    /// A case's line from its next step and how that step stands.
    pub fn of<K: StepName>(
        (reference, received_on, stage): (&str, &str, &str),
        next: Option<&Step<K>>,
        status: Option<StepStatus>,
        assigned_to: &str,
    ) -> QueueLine {
        QueueLine {
            reference: reference.to_string(),
            received_on: received_on.to_string(),
            stage: stage.to_string(),
            next_step: next.map(|s| s.kind.name().to_string()).unwrap_or_default(),
            due_on: next.map(|s| platform::db::date(s.due_on)).unwrap_or_default(),
            status: status.map(|s| s.tag().0.to_string()).unwrap_or_default(),
            assigned_to: assigned_to.to_string(),
        }
    }
}

/// Whether a filter's "only mine" keeps a case assigned to `assigned`. Services store the
/// assignee's account id; information requests assigned before that stored a name.
pub fn is_mine(only_mine: bool, assigned: Option<&str>, user: &platform::auth::StaffUser) -> bool {
    !only_mine || assigned.is_some_and(|a| a == user.id || a == user.display_name)
}

/// The queue, as filtered, as a CSV file named `name`, its download in the audit log under
/// `record_type` (how many lines, never what they hold).
pub async fn download_audited(
    pool: &Pool,
    staff: &CurrentStaff,
    (name, record_type): (&str, &str),
    lines: Vec<QueueLine>,
) -> Result<Response, sqlx::Error> {
    let detail = format!("{} cases downloaded", lines.len());
    let event = Event { action: "downloaded the queue", record_type, record_id: "-", detail: &detail };
    audit::record_now(pool, &staff.actor(), event).await?;
    Ok(download(name, lines))
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
