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

/// Which requests the queue shows: open ones unless asked otherwise.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct QueueFilters {
    show: String,
    mine: String,
    format: String,
    #[serde(flatten)]
    assigning: casekit::bulk_assign::Outcome,
}

impl QueueFilters {
    fn keeps(&self, request: &InformationRequest, user: &platform::auth::StaffUser) -> bool {
        let shown = match self.show.as_str() {
            "answered" => !request.is_open(),
            "all" => true,
            _ => request.is_open(),
        };
        shown && casekit::queue::is_mine(self.mine == "yes", request.assigned_to.as_deref(), user)
    }
}

#[derive(Template)]
#[template(path = "information/queue.html")]
pub(super) struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
    is_admin: bool,
    filters: QueueFilters,
    names: platform::auth::store::StaffNames,
    bulk: casekit::bulk_assign::Controls,
}

impl QueuePage {
    /// Whether the "show" choice `value` is the one in force (open requests by default).
    fn shows(&self, value: &str) -> bool {
        let current = match self.filters.show.as_str() {
            "answered" => "answered",
            "all" => "all",
            _ => "open",
        };
        current == value
    }
    fn only_mine(&self) -> bool {
        self.filters.mine == "yes"
    }
    fn stage(&self, stage: &Stage) -> &'static str {
        stage.name()
    }
    fn long_date(&self, text: &str) -> String {
        db::parse_date(text).map(calendar::long_date).unwrap_or_default()
    }
}

pub(super) async fn queue(
    PageRequest { platform, chrome }: PageRequest,
    staff: CurrentStaff,
    Query(filters): Query<QueueFilters>,
) -> Result<Response, AppError> {
    let calendars = calendars(&platform).await?;
    let today = calendar::uk_local_date(OffsetDateTime::now_utc());
    let mut rows: Vec<QueueRow> = store::queue(platform.pool())
        .await?
        .into_iter()
        .filter(|request| filters.keeps(request, &staff.user))
        .map(|request| {
            let due = request.due(&calendars.foi, &calendars.local);
            let overdue = request.is_open() && due.date().is_some_and(|d| d < today);
            QueueRow { request, due, overdue }
        })
        .collect();
    // Overdue first, then by due date; answered ones last.
    rows.sort_by_key(|r| (!r.request.is_open(), !r.overdue, r.due.date().unwrap_or(time::Date::MAX)));
    if filters.format == "csv" {
        let names = platform::auth::store::StaffNames::load(platform.pool()).await?;
        let lines = rows.iter().map(|r| casekit::queue::QueueLine {
            reference: r.request.reference.clone(),
            received_on: r.request.received_on.clone(),
            stage: r.request.stage.name().to_string(),
            next_step: if r.request.is_open() { "Answer".into() } else { String::new() },
            due_on: r.due.date().map(platform::db::date).unwrap_or_default(),
            status: if r.overdue { "Overdue".into() } else { String::new() },
            assigned_to: names.name(r.request.assigned_to.as_deref().unwrap_or_default()),
        });
        let file = ("information-requests.csv", RECORD_TYPE);
        return Ok(casekit::queue::download_audited(platform.pool(), &staff, file, lines.collect()).await?);
    }
    let detail = format!("{} requests listed", rows.len());
    audit::record_now(
        platform.pool(),
        &staff.actor(),
        Event { action: "listed", record_type: RECORD_TYPE, record_id: "-", detail: &detail },
    )
    .await?;
    let is_admin = staff.user.role == platform::access::Role::Administrator;
    let names = platform::auth::store::StaffNames::load(platform.pool()).await?;
    let about = crate::information::service::about();
    let bulk = casekit::bulk_assign::Controls::load(platform.pool(), about, filters.assigning.clone()).await?;
    render(&QueuePage { chrome, rows, is_admin, filters, names, bulk })
}
