//! The queue: every review the person may see, overdue first.

use super::*;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(super) struct QueueFilters {
    stage: String,
    closed: String,
    mine: String,
    format: String,
    #[serde(flatten)]
    assigning: casekit::bulk_assign::Outcome,
}

pub struct QueueRow {
    pub review: Review,
    pub next: Option<Step>,
    pub status: Option<StepStatus>,
    pub assignee: String,
    pub late: bool,
}

#[derive(Template)]
#[template(path = "complaints/queue.html")]
pub(super) struct QueuePage {
    chrome: Chrome,
    rows: Vec<QueueRow>,
    filters: QueueFilters,
    is_office: bool,
    is_admin: bool,
    awaiting_responses: usize,
    /// Ticking reviews to assign them at once: the office's, not the force's.
    bulk: Option<casekit::bulk_assign::Controls>,
}

impl QueuePage {
    fn headings(&self) -> Vec<&'static str> {
        let columns = ["Reference", "Received", "Stage", "Next step", "Caseworker"];
        self.bulk.iter().map(|_| "Select").chain(columns).collect()
    }
    fn date(&self, text: &str) -> String {
        long(text)
    }
    fn day(&self, date: &Date) -> String {
        calendar::long_date(*date)
    }
    fn stages(&self) -> [Stage; 6] {
        Stage::ALL
    }
}

pub(super) async fn queue(
    StaffPage { platform, chrome, staff }: StaffPage,
    Query(filters): Query<QueueFilters>,
) -> Result<Response, AppError> {
    let pool = platform.pool();
    let policy = policy::load(pool).await?;
    let scope = Scope::of(&staff.user, &policy);
    let calendar = calendar_of(&platform).await?;
    let users = platform::auth::store::assignable_users(pool).await?;
    let today = today();
    let mut rows: Vec<QueueRow> = store::list(pool, filters.closed == "yes")
        .await?
        .into_iter()
        .filter(|r| scope.allows(r.file_requested()))
        .filter(|r| filters.stage.is_empty() || r.stage.slug() == filters.stage)
        .filter(|r| casekit::queue::is_mine(filters.mine == "yes", r.assigned_to.as_deref(), &staff.user))
        .map(|review| {
            let steps = timescales::review_steps(&review.dates(), &review.timescales(), &calendar);
            let next = if review.is_open() { next_step(&steps).cloned() } else { None };
            let status = next.as_ref().map(|s| s.status(today, &calendar));
            let assignee = review
                .assigned_to
                .as_ref()
                .and_then(|id| users.iter().find(|u| &u.id == id))
                .map(|u| u.display_name.clone())
                .unwrap_or_default();
            let late = !review.timeliness().in_time();
            QueueRow { review, next, status, assignee, late }
        })
        .collect();
    rows.sort_by_key(|r| {
        (
            !matches!(r.status, Some(StepStatus::Overdue)),
            r.next.as_ref().map(|s| s.due_on).unwrap_or(Date::MAX),
            r.review.received_on.clone(),
            r.review.reference.clone(),
        )
    });
    if filters.format == "csv" {
        let lines = rows.iter().map(|r| {
            let case = (r.review.reference.as_str(), r.review.received_on.as_str(), r.review.stage().name());
            casekit::queue::QueueLine::of(case, r.next.as_ref(), r.status, &r.assignee)
        });
        let file = ("complaint-reviews.csv", RECORD_TYPE);
        return Ok(casekit::queue::download_audited(pool, &staff, file, lines.collect()).await?);
    }
    let awaiting_responses = store::awaited_recommendations(pool).await?.len();
    let detail = format!("{} reviews listed", rows.len());
    audit::record_now(
        pool,
        &staff.actor(),
        Event { action: "listed", record_type: RECORD_TYPE, record_id: "-", detail: &detail },
    )
    .await?;
    let is_admin = staff.user.role == platform::access::Role::Administrator;
    let is_office = scope.is_office();
    let bulk = match is_office {
        true => Some(
            casekit::bulk_assign::Controls::load(pool, crate::complaints::service::about(), filters.assigning.clone()).await?,
        ),
        false => None,
    };
    render(&QueuePage { chrome, rows, filters, is_office, is_admin, awaiting_responses, bulk })
}
