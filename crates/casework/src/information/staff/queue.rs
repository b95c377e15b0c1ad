//! The queue: every request, open first, with its clock.

use super::*;

pub struct QueueRow {
    pub request: InformationRequest,
    pub due: Due,
    pub overdue: bool,
}

impl QueueRow {
    fn due_text(&self) -> String {
        match &self.due {
            Due::On { due_on, .. } => calendar::long_date(*due_on),
            Due::Stopped { why } => why.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "information/queue.html")]
pub(super) struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
    is_admin: bool,
}

impl QueuePage {
    fn stage(&self, stage: &Stage) -> &'static str {
        stage.name()
    }
    fn long_date(&self, text: &str) -> String {
        db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
}

pub(super) async fn queue(PageRequest { platform, chrome }: PageRequest, staff: CurrentStaff) -> Result<Response, AppError> {
    let calendars = calendars(&platform).await?;
    let today = calendar::uk_local_date(OffsetDateTime::now_utc());
    let mut rows: Vec<QueueRow> = store::queue(platform.pool())
        .await?
        .into_iter()
        .map(|request| {
            let due = request.due(&calendars.foi, &calendars.local);
            let overdue = request.is_open() && due.date().is_some_and(|d| d < today);
            QueueRow { request, due, overdue }
        })
        .collect();
    // Overdue first, then by due date; answered ones last.
    rows.sort_by_key(|r| (!r.request.is_open(), !r.overdue, r.due.date().unwrap_or(time::Date::MAX)));
    let detail = format!("{} requests listed", rows.len());
    audit::record_now(
        platform.pool(),
        &staff.actor(),
        Event { action: "listed", record_type: RECORD_TYPE, record_id: "-", detail: &detail },
    )
    .await?;
    let is_admin = staff.user.role == platform::access::Role::Administrator;
    render(&QueuePage { chrome, rows, is_admin })
}
