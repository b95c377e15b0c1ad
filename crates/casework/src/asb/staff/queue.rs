//! The queue: every case the person may see, overdue first.

use super::*;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct QueueFilters {
    district: String,
    stage: String,
    body: String,
    closed: String,
    mine: String,
    format: String,
    #[serde(flatten)]
    assigning: casekit::bulk_assign::Outcome,
}

pub struct QueueRow {
    pub reference: String,
    pub received_on: String,
    pub district: String,
    pub review_body: String,
    pub stage: Stage,
    pub next: Option<Step>,
    pub status: Option<StepStatus>,
    pub assignee: String,
}

/// Overdue first, then the soonest due, then cases with nothing due (closed), oldest first.
pub fn queue_order(rows: &mut [QueueRow]) {
    rows.sort_by(|a, b| {
        let key = |r: &QueueRow| {
            (
                !matches!(r.status, Some(StepStatus::Overdue)),
                r.next.as_ref().map(|s| s.due_on).unwrap_or(Date::MAX),
                r.received_on.clone(),
                r.reference.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

#[derive(Template)]
#[template(path = "asb/queue.html")]
pub(super) struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
    appeals: Vec<(StoredAppeal, Step, StepStatus)>,
    filters: QueueFilters,
    districts: Vec<policy::District>,
    bodies: Vec<ReviewBody>,
    is_office: bool,
    is_admin: bool,
    /// Ticking cases to assign them at once: the office's, not partners'.
    bulk: Option<casekit::bulk_assign::Controls>,
}

impl QueuePage {
    fn headings(&self) -> Vec<&'static str> {
        let columns = ["Reference", "Received", "District", "Stage", "Next step", "Caseworker"];
        self.bulk.iter().map(|_| "Select").chain(columns).collect()
    }
    fn day(&self, date: &Date) -> String {
        calendar::long_date(*date)
    }
    fn stages(&self) -> [Stage; 6] {
        Stage::ALL
    }
    fn date(&self, text: &str) -> String {
        long(text)
    }
}

pub(super) fn name_of(users: &[StaffUser], id: &Option<String>) -> String {
    id.as_ref().and_then(|id| users.iter().find(|u| &u.id == id)).map(|u| u.display_name.clone()).unwrap_or_default()
}

/// An application's row: its next step and how that step stands today.
fn queue_row(a: Application, users: &[StaffUser], today: Date, calendar: &WorkingDayCalendar) -> QueueRow {
    let steps = timescales::application_steps(&a.dates(), &a.timescales(), calendar);
    let next = if a.is_open() { timescales::next_step(&steps).cloned() } else { None };
    let status = next.as_ref().map(|s| s.status(today, calendar));
    QueueRow {
        assignee: name_of(users, &a.assigned_to),
        reference: a.reference,
        received_on: a.received_on,
        district: a.district_name,
        review_body: a.review_body_name,
        stage: a.stage,
        next,
        status,
    }
}

/// Open appeals with their decision step, overdue first, then by due date.
async fn appeals_due(
    pool: &platform::db::Pool,
    today: Date,
    calendar: &WorkingDayCalendar,
) -> Result<Vec<(StoredAppeal, Step, StepStatus)>, AppError> {
    let mut appeals: Vec<(StoredAppeal, Step, StepStatus)> = appeal::list(pool, false, None)
        .await?
        .into_iter()
        .map(|p| {
            let step = timescales::appeal_step(p.received(), p.decided(), &p.timescales(), calendar);
            let status = step.status(today, calendar);
            (p, step, status)
        })
        .collect();
    appeals.sort_by_key(|(_, step, status)| (*status != StepStatus::Overdue, step.due_on));
    Ok(appeals)
}

pub(super) async fn queue(
    StaffPage { platform, chrome, staff }: StaffPage,
    Query(filters): Query<QueueFilters>,
) -> Result<Response, AppError> {
    let pool = platform.pool();
    let bodies = policy::review_bodies(pool).await?;
    let scope = Scope::of(&staff.user, &bodies);
    let only_body = match &scope {
        Scope::All => None,
        Scope::ReviewBody(id) => Some(id.as_str()),
        Scope::Nothing => Some(""),
    };
    let applications = store::list_applications(pool, filters.closed == "yes", only_body).await?;
    let calendar = calendar_of(&platform).await?;
    let users = platform::auth::store::assignable_users(pool).await?;
    let today = today();
    let mut rows: Vec<QueueRow> = applications
        .into_iter()
        .filter(|a| filters.district.is_empty() || a.district_id == filters.district)
        .filter(|a| filters.stage.is_empty() || a.stage.slug() == filters.stage)
        .filter(|a| filters.body.is_empty() || a.review_body_id == filters.body)
        .filter(|a| casekit::queue::is_mine(filters.mine == "yes", a.assigned_to.as_deref(), &staff.user))
        .map(|a| queue_row(a, &users, today, &calendar))
        .collect();
    queue_order(&mut rows);
    if filters.format == "csv" {
        let lines = rows.iter().map(|r| {
            let case = (r.reference.as_str(), r.received_on.as_str(), r.stage.name());
            casekit::queue::QueueLine::of(case, r.next.as_ref(), r.status, &r.assignee)
        });
        let file = ("asb-case-reviews.csv", "ASB case review");
        return Ok(casekit::queue::download_audited(pool, &staff, file, lines.collect()).await?);
    }
    let appeals = if scope.is_office() { appeals_due(pool, today, &calendar).await? } else { Vec::new() };
    let detail = format!("{} applications and {} appeals listed", rows.len(), appeals.len());
    audit::record_now(
        pool,
        &staff.actor(),
        Event { action: "listed", record_type: "ASB case review", record_id: "-", detail: &detail },
    )
    .await?;
    let districts = policy::districts(pool).await?;
    let is_admin = staff.user.role == platform::access::Role::Administrator;
    let bulk = match scope.is_office() {
        true => Some(casekit::bulk_assign::Controls::load(pool, crate::asb::service::about(), filters.assigning.clone()).await?),
        false => None,
    };
    let is_office = scope.is_office();
    render(&QueuePage { chrome, rows, appeals, filters, districts, bodies, is_office, is_admin, bulk })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn row(reference: &str, due: Option<Date>, status: Option<StepStatus>) -> QueueRow {
        QueueRow {
            reference: reference.into(),
            received_on: "2026-11-01".into(),
            district: String::new(),
            review_body: String::new(),
            stage: Stage::Received,
            next: due.map(|due_on| Step { kind: timescales::StepKind::Acknowledge, due_on, done_on: None, rule: String::new() }),
            status,
            assignee: String::new(),
        }
    }

    #[test]
    fn overdue_cases_come_first_then_the_soonest_due() {
        let mut rows = vec![
            row("closed", None, None),
            row("later", Some(date!(2026 - 12 - 10)), Some(StepStatus::OnTrack)),
            row("overdue", Some(date!(2026 - 11 - 20)), Some(StepStatus::Overdue)),
            row("soon", Some(date!(2026 - 11 - 26)), Some(StepStatus::DueSoon)),
        ];
        queue_order(&mut rows);
        let order: Vec<&str> = rows.iter().map(|r| r.reference.as_str()).collect();
        assert_eq!(order, vec!["overdue", "soon", "later", "closed"]);
    }
}
