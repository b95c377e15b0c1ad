//! Plans in the database, by named verbs. Every write is one transaction with its audit event;
//! every change to a published plan also writes a change record with its reason.

use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool};
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};

use crate::model::{DeliveryStatus, Horizon, PlanKind, PlanStatus, UpdateState, UpdateStep};

fn fault(what: String) -> sqlx::Error {
    tracing::error!(row = %what, "a stored plan row cannot be read");
    sqlx::Error::Decode(what.into())
}

fn date_of(column: &str, text: &str) -> Result<Date, sqlx::Error> {
    db::parse_date(text).ok_or_else(|| fault(format!("{column} {text:?}")))
}

/// Records what was done to a plan in the audit log, in the transaction that did it.
async fn record_on_plan(
    conn: &mut AnyConnection,
    plan: &Plan,
    actor: &Actor,
    (action, detail): (&str, &str),
    now: OffsetDateTime,
) -> Result<i64, sqlx::Error> {
    audit::record(conn, actor, Event { action, record_type: "plan", record_id: &plan.slug, detail }, now).await
}

// ---------------------------------------------------------------------------------------------
// Plans

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub kind: PlanKind,
    pub starts_on: Date,
    pub ends_on: Date,
    pub status: PlanStatus,
    pub summary: String,
    pub document_url: String,
    pub shared_with_panel: bool,
    pub version: i64,
    pub published_on: Option<Date>,
}

impl Plan {
    /// "April 2021 to March 2024".
    pub fn period(&self) -> String {
        platform::format::date_range(self.starts_on, self.ends_on)
    }
}

#[derive(sqlx::FromRow)]
struct PlanRow {
    id: String,
    slug: String,
    title: String,
    kind: String,
    starts_on: String,
    ends_on: String,
    status: String,
    summary: String,
    document_url: String,
    shared_with_panel: i64,
    version: i64,
    published_on: Option<String>,
}

impl TryFrom<PlanRow> for Plan {
    type Error = sqlx::Error;
    fn try_from(row: PlanRow) -> Result<Plan, sqlx::Error> {
        Ok(Plan {
            kind: PlanKind::from_slug(&row.kind).ok_or_else(|| fault(format!("plan {} kind {:?}", row.slug, row.kind)))?,
            status: PlanStatus::from_slug(&row.status)
                .ok_or_else(|| fault(format!("plan {} status {:?}", row.slug, row.status)))?,
            starts_on: date_of("starts_on", &row.starts_on)?,
            ends_on: date_of("ends_on", &row.ends_on)?,
            published_on: row.published_on.as_deref().map(|d| date_of("published_on", d)).transpose()?,
            id: row.id,
            slug: row.slug,
            title: row.title,
            summary: row.summary,
            document_url: row.document_url,
            shared_with_panel: row.shared_with_panel != 0,
            version: row.version,
        })
    }
}

const PLAN_COLUMNS: &str = "SELECT id, slug, title, kind, starts_on, ends_on, status, summary, document_url, shared_with_panel, version, published_on FROM plans_plan";

pub async fn list_plans(pool: &Pool) -> Result<Vec<Plan>, sqlx::Error> {
    let rows: Vec<PlanRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(format!("{PLAN_COLUMNS} ORDER BY starts_on DESC, title"))).fetch_all(pool).await?;
    rows.into_iter().map(Plan::try_from).collect()
}

/// A commitment of a plan as another capability names it (a measure that evidences it).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CommitmentRef {
    pub id: String,
    pub plan_slug: String,
    pub plan_title: String,
    pub priority: String,
    pub pledge: String,
    /// Whether the public can see it (its plan published or superseded, itself not withdrawn).
    pub public: i64,
}

/// Every commitment of every plan, in plan and tree order, for linking to from elsewhere.
pub async fn commitment_refs(pool: &Pool) -> Result<Vec<CommitmentRef>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.id, pl.slug AS plan_slug, pl.title AS plan_title, p.title AS priority, c.pledge, \
         CASE WHEN pl.status IN ('published', 'superseded') AND c.withdrawn_on IS NULL THEN 1 ELSE 0 END AS public \
         FROM plans_commitment c JOIN plans_priority p ON p.id = c.priority_id JOIN plans_plan pl ON pl.id = p.plan_id \
         ORDER BY pl.starts_on DESC, pl.title, p.position, c.position",
    )
    .fetch_all(pool)
    .await
}

pub async fn find_plan(pool: &Pool, slug: &str) -> Result<Option<Plan>, sqlx::Error> {
    let row: Option<PlanRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{PLAN_COLUMNS} WHERE slug = $1")))
        .bind(slug.to_string())
        .fetch_optional(pool)
        .await?;
    row.map(Plan::try_from).transpose()
}

/// A plan with the stamp of what its public pages are made from (its last change, its version and its locked quarters), in one
/// query: the public pages ask for both on every request.
pub async fn find_plan_stamped(pool: &Pool, slug: &str) -> Result<Option<(Plan, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        plan: PlanRow,
        updated_at: String,
        quarters: i64,
        newest: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT p.id, p.slug, p.title, p.kind, p.starts_on, p.ends_on, p.status, p.summary, p.document_url, p.shared_with_panel, \
         p.version, p.published_on, p.updated_at, \
         (SELECT COUNT(*) FROM plans_snapshot s WHERE s.plan_id = p.id) AS quarters, \
         COALESCE((SELECT MAX(s.quarter) FROM plans_snapshot s WHERE s.plan_id = p.id), '') AS newest \
         FROM plans_plan p WHERE p.slug = $1",
    )
    .bind(slug.to_string())
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let stamp = format!("{}|{}|{}|{}", row.updated_at, row.plan.version, row.quarters, row.newest);
    Ok(Some((Plan::try_from(row.plan)?, stamp)))
}

/// A new plan as the office describes it.
#[derive(Debug, Clone)]
pub struct NewPlan {
    pub slug: String,
    pub title: String,
    pub kind: PlanKind,
    pub starts_on: Date,
    pub ends_on: Date,
    pub summary: String,
    pub document_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("A plan with this address already exists")]
    SlugTaken,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub async fn create_plan(pool: &Pool, new: &NewPlan, actor: &Actor, now: OffsetDateTime) -> Result<String, PlanError> {
    let mut tx = db::begin_write(pool).await?;
    let id = insert_plan(&mut tx, new, now).await?;
    audit::record(
        &mut tx,
        actor,
        Event { action: "created", record_type: "plan", record_id: &new.slug, detail: &new.title },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_plan(conn: &mut AnyConnection, new: &NewPlan, now: OffsetDateTime) -> Result<String, PlanError> {
    let id = platform::ids::new_id();
    let inserted = sqlx::query(
        "INSERT INTO plans_plan (id, slug, title, kind, starts_on, ends_on, status, summary, document_url, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $9)",
    )
    .bind(&id)
    .bind(&new.slug)
    .bind(&new.title)
    .bind(new.kind.slug())
    .bind(db::date(new.starts_on))
    .bind(db::date(new.ends_on))
    .bind(&new.summary)
    .bind(&new.document_url)
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await;
    match inserted {
        Ok(_) => Ok(id),
        Err(e) if db::is_unique_violation(&e) => Err(PlanError::SlugTaken),
        Err(e) => Err(e.into()),
    }
}

/// Moves a plan to `status`; publishing dates it. The caller has checked the move is allowed.
pub async fn set_status(
    pool: &Pool,
    plan: &Plan,
    status: PlanStatus,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let today = platform::calendar::uk_local_date(now);
    sqlx::query(
        "UPDATE plans_plan SET status = $1, updated_at = $2, \
         published_on = CASE WHEN $1 = 'published' AND published_on IS NULL THEN $3 ELSE published_on END WHERE id = $4",
    )
    .bind(status.slug())
    .bind(db::timestamp(now))
    .bind(db::date(today))
    .bind(&plan.id)
    .execute(&mut *tx)
    .await?;
    let event = Event { action: "changed status", record_type: "plan", record_id: &plan.slug, detail: status.slug() };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await
}

pub async fn share_with_panel(
    pool: &Pool,
    plan: &Plan,
    shared: bool,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    sqlx::query("UPDATE plans_plan SET shared_with_panel = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(shared))
        .bind(db::timestamp(now))
        .bind(&plan.id)
        .execute(&mut *tx)
        .await?;
    let detail = if shared { "shared with the Panel" } else { "no longer shared with the Panel" };
    audit::record(&mut tx, actor, Event { action: "shared", record_type: "plan", record_id: &plan.slug, detail }, now).await?;
    tx.commit().await
}

// ---------------------------------------------------------------------------------------------
// The tree

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Priority {
    pub id: String,
    pub position: i64,
    pub title: String,
    pub aim: String,
    pub withdrawn_on: Option<String>,
    pub withdrawn_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Commitment {
    pub id: String,
    pub priority_id: String,
    pub position: i64,
    pub pledge: String,
    pub withdrawn_on: Option<String>,
    pub withdrawn_reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: String,
    pub commitment_id: String,
    pub position: i64,
    pub reference: String,
    pub key_deliverable: String,
    pub actions: String,
    pub partner_id: Option<String>,
    pub lead: String,
    pub outcome_measure: String,
    pub horizon: Horizon,
    pub status: DeliveryStatus,
    pub carried_forward: bool,
    pub withdrawn_on: Option<String>,
    pub withdrawn_reason: String,
}

#[derive(sqlx::FromRow)]
struct ActionRow {
    id: String,
    commitment_id: String,
    position: i64,
    reference: String,
    key_deliverable: String,
    actions: String,
    partner_id: Option<String>,
    lead: String,
    outcome_measure: String,
    horizon: String,
    status: String,
    carried_forward: i64,
    withdrawn_on: Option<String>,
    withdrawn_reason: String,
}

impl TryFrom<ActionRow> for Action {
    type Error = sqlx::Error;
    fn try_from(row: ActionRow) -> Result<Action, sqlx::Error> {
        Ok(Action {
            horizon: Horizon::from_slug(&row.horizon)
                .ok_or_else(|| fault(format!("action {} horizon {:?}", row.id, row.horizon)))?,
            status: DeliveryStatus::from_slug(&row.status)
                .ok_or_else(|| fault(format!("action {} status {:?}", row.id, row.status)))?,
            id: row.id,
            commitment_id: row.commitment_id,
            position: row.position,
            reference: row.reference,
            key_deliverable: row.key_deliverable,
            actions: row.actions,
            partner_id: row.partner_id,
            lead: row.lead,
            outcome_measure: row.outcome_measure,
            carried_forward: row.carried_forward != 0,
            withdrawn_on: row.withdrawn_on,
            withdrawn_reason: row.withdrawn_reason,
        })
    }
}

const ACTION_COLUMNS: &str = "SELECT a.id, a.commitment_id, a.position, a.reference, a.key_deliverable, a.actions, a.partner_id, a.lead, \
     a.outcome_measure, a.horizon, a.status, a.carried_forward, a.withdrawn_on, a.withdrawn_reason FROM plans_action a";

/// A plan's priorities, commitments and actions, each in its order, withdrawn ones included.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tree {
    pub priorities: Vec<Priority>,
    pub commitments: Vec<Commitment>,
    pub actions: Vec<Action>,
}

impl Tree {
    pub fn commitments_of<'a>(&'a self, priority: &'a Priority) -> impl Iterator<Item = &'a Commitment> + 'a {
        self.commitments.iter().filter(move |c| c.priority_id == priority.id)
    }
    pub fn actions_of<'a>(&'a self, commitment: &'a Commitment) -> impl Iterator<Item = &'a Action> + 'a {
        self.actions.iter().filter(move |a| a.commitment_id == commitment.id)
    }
    pub fn action(&self, reference: &str) -> Option<&Action> {
        self.actions.iter().find(|a| a.reference == reference)
    }
    pub fn priority_of(&self, action: &Action) -> Option<&Priority> {
        let commitment = self.commitments.iter().find(|c| c.id == action.commitment_id)?;
        self.priorities.iter().find(|p| p.id == commitment.priority_id)
    }
    pub fn commitment_of(&self, action: &Action) -> Option<&Commitment> {
        self.commitments.iter().find(|c| c.id == action.commitment_id)
    }
}

pub async fn tree(pool: &Pool, plan_id: &str) -> Result<Tree, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    tree_in(&mut conn, plan_id).await
}

async fn tree_in(conn: &mut AnyConnection, plan_id: &str) -> Result<Tree, sqlx::Error> {
    let priorities: Vec<Priority> = sqlx::query_as(
        "SELECT id, position, title, aim, withdrawn_on, withdrawn_reason FROM plans_priority WHERE plan_id = $1 ORDER BY position",
    )
    .bind(plan_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let commitments: Vec<Commitment> = sqlx::query_as(
        "SELECT c.id, c.priority_id, c.position, c.pledge, c.withdrawn_on, c.withdrawn_reason FROM plans_commitment c \
         JOIN plans_priority p ON p.id = c.priority_id WHERE p.plan_id = $1 ORDER BY p.position, c.position",
    )
    .bind(plan_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let rows: Vec<ActionRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{ACTION_COLUMNS} JOIN plans_commitment c ON c.id = a.commitment_id JOIN plans_priority p ON p.id = c.priority_id \
         WHERE a.plan_id = $1 ORDER BY p.position, c.position, a.position"
    )))
    .bind(plan_id.to_string())
    .fetch_all(&mut *conn)
    .await?;
    let actions = rows.into_iter().map(Action::try_from).collect::<Result<_, _>>()?;
    Ok(Tree { priorities, commitments, actions })
}

pub async fn add_priority(
    pool: &Pool,
    plan: &Plan,
    title: &str,
    aim: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let id = insert_priority(&mut tx, &plan.id, title, aim).await?;
    if plan.status.is_public() {
        record_change(&mut tx, plan, ("Priority added", "", title), "Added to the published plan", actor, now).await?;
    }
    record_on_plan(&mut tx, plan, actor, ("added priority", title), now).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert_priority(conn: &mut AnyConnection, plan_id: &str, title: &str, aim: &str) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    let (next,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(position), 0) + 1 FROM plans_priority WHERE plan_id = $1")
        .bind(plan_id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO plans_priority (id, plan_id, position, title, aim) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(plan_id.to_string())
        .bind(next)
        .bind(title.to_string())
        .bind(aim.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

async fn insert_commitment(conn: &mut AnyConnection, priority_id: &str, pledge: &str) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    let (next,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(position), 0) + 1 FROM plans_commitment WHERE priority_id = $1")
        .bind(priority_id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO plans_commitment (id, priority_id, position, pledge) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(priority_id.to_string())
        .bind(next)
        .bind(pledge.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(id)
}

pub async fn add_commitment(
    pool: &Pool,
    plan: &Plan,
    priority: &Priority,
    pledge: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let id = insert_commitment(&mut tx, &priority.id, pledge).await?;
    if plan.status.is_public() {
        let what = format!("Commitment added to “{}”", priority.title);
        record_change(&mut tx, plan, (&what, "", pledge), "Added to the published plan", actor, now).await?;
    }
    record_on_plan(&mut tx, plan, actor, ("added commitment", &priority.title), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// An action's words and settings, as a form or an import gives them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionFields {
    pub reference: String,
    pub key_deliverable: String,
    pub actions: String,
    pub partner_id: Option<String>,
    pub lead: String,
    pub outcome_measure: String,
    pub horizon: Option<Horizon>,
    pub status: Option<DeliveryStatus>,
    pub carried_forward: bool,
}

async fn insert_action(
    conn: &mut AnyConnection,
    plan_id: &str,
    commitment_id: &str,
    fields: &ActionFields,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    let (next,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(position), 0) + 1 FROM plans_action WHERE commitment_id = $1")
        .bind(commitment_id.to_string())
        .fetch_one(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO plans_action (id, plan_id, commitment_id, position, reference, key_deliverable, actions, partner_id, lead, \
         outcome_measure, horizon, status, carried_forward) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&id)
    .bind(plan_id.to_string())
    .bind(commitment_id.to_string())
    .bind(next)
    .bind(&fields.reference)
    .bind(&fields.key_deliverable)
    .bind(&fields.actions)
    .bind(fields.partner_id.clone())
    .bind(&fields.lead)
    .bind(&fields.outcome_measure)
    .bind(fields.horizon.unwrap_or(Horizon::Medium).slug())
    .bind(fields.status.unwrap_or(DeliveryStatus::NotImplemented).slug())
    .bind(i64::from(fields.carried_forward))
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("Another action in this plan has reference {0}")]
    ReferenceTaken(String),
    #[error("Say why the published plan is changing")]
    ReasonNeeded,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub async fn add_action(
    pool: &Pool,
    plan: &Plan,
    commitment: &Commitment,
    fields: &ActionFields,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, ActionError> {
    if plan.status.is_public() && reason.trim().is_empty() {
        return Err(ActionError::ReasonNeeded);
    }
    let mut tx = db::begin_write(pool).await?;
    let id = match insert_action(&mut tx, &plan.id, &commitment.id, fields).await {
        Ok(id) => id,
        Err(e) if db::is_unique_violation(&e) => return Err(ActionError::ReferenceTaken(fields.reference.clone())),
        Err(e) => return Err(e.into()),
    };
    if plan.status.is_public() {
        let what = format!("Action {} added", fields.reference);
        record_change(&mut tx, plan, (&what, "", &fields.actions), reason, actor, now).await?;
    }
    record_on_plan(&mut tx, plan, actor, ("added action", &fields.reference), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// What an amendment changes, as (what, it said, it now says), the unchanged left out.
type Differences = Vec<(String, String, String)>;

fn differing<'a>(pairs: impl IntoIterator<Item = (String, &'a str, &'a str)>) -> Differences {
    pairs
        .into_iter()
        .filter(|(_, was, now)| was != now)
        .map(|(what, was, now)| (what, was.to_string(), now.to_string()))
        .collect()
}

/// Whether an amendment may go ahead: false when nothing differs; refused when the plan is
/// published and no reason is given.
fn may_amend(plan: &Plan, differences: &Differences, reason: &str) -> Result<bool, ActionError> {
    if differences.is_empty() {
        return Ok(false);
    }
    if plan.status.is_public() && reason.trim().is_empty() {
        return Err(ActionError::ReasonNeeded);
    }
    Ok(true)
}

/// After an amendment's update, in its transaction: on a published plan, one new version with a
/// change for each difference and `reason`; then the audit event `action`.
async fn record_amendment(
    conn: &mut AnyConnection,
    plan: &Plan,
    (action, differences): (&str, &Differences),
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    if plan.status.is_public() {
        let version = bump_version(conn, plan, now).await?;
        for (what, was, now_reads) in differences {
            insert_change(conn, plan, version, (what, was, now_reads), reason, actor, now).await?;
        }
    }
    let detail = differences.iter().map(|d| d.0.as_str()).collect::<Vec<_>>().join("; ");
    record_on_plan(conn, plan, actor, (action, &detail), now).await?;
    Ok(())
}

/// The words of what differs between an action and new fields: (what, was, now reads).
fn differences(
    action: &Action,
    fields: &ActionFields,
    partner_name: &(dyn Fn(Option<&str>) -> String + Sync),
) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut compare = |what: &str, was: String, now: String| {
        if was != now {
            out.push((format!("Action {}: {what}", action.reference), was, now));
        }
    };
    compare("key deliverable", action.key_deliverable.clone(), fields.key_deliverable.clone());
    compare("actions", action.actions.clone(), fields.actions.clone());
    compare("responsible partner", partner_name(action.partner_id.as_deref()), partner_name(fields.partner_id.as_deref()));
    compare("lead", action.lead.clone(), fields.lead.clone());
    compare("outcome or impact measure", action.outcome_measure.clone(), fields.outcome_measure.clone());
    compare("horizon", action.horizon.name().to_string(), fields.horizon.unwrap_or(action.horizon).name().to_string());
    compare(
        "carried forward",
        if action.carried_forward { "Yes" } else { "No" }.into(),
        if fields.carried_forward { "Yes" } else { "No" }.into(),
    );
    out
}

/// Changes an action's words. On a published plan each difference is recorded with `reason`
/// and the plan's version goes up by one. Returns how many things changed.
pub async fn amend_action(
    pool: &Pool,
    plan: &Plan,
    action: &Action,
    fields: &ActionFields,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize, ActionError> {
    let names = platform::organisations::list(pool).await?;
    let partner_name =
        |id: Option<&str>| names.iter().find(|o| Some(o.id.as_str()) == id).map(|o| o.name.clone()).unwrap_or_default();
    let mut tx = db::begin_write(pool).await?;
    let changed = amend_in(&mut tx, plan, action, fields, reason, &partner_name, actor, now).await?;
    tx.commit().await?;
    Ok(changed)
}

#[expect(clippy::too_many_arguments, reason = "one transaction's parts")]
async fn amend_in(
    conn: &mut AnyConnection,
    plan: &Plan,
    action: &Action,
    fields: &ActionFields,
    reason: &str,
    partner_name: &(dyn Fn(Option<&str>) -> String + Sync),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize, ActionError> {
    let differences = differences(action, fields, partner_name);
    if !may_amend(plan, &differences, reason)? {
        return Ok(0);
    }
    sqlx::query(
        "UPDATE plans_action SET key_deliverable = $1, actions = $2, partner_id = $3, lead = $4, outcome_measure = $5, \
         horizon = $6, carried_forward = $7 WHERE id = $8",
    )
    .bind(&fields.key_deliverable)
    .bind(&fields.actions)
    .bind(fields.partner_id.clone())
    .bind(&fields.lead)
    .bind(&fields.outcome_measure)
    .bind(fields.horizon.unwrap_or(action.horizon).slug())
    .bind(i64::from(fields.carried_forward))
    .bind(&action.id)
    .execute(&mut *conn)
    .await?;
    record_amendment(conn, plan, ("amended action", &differences), reason, actor, now).await?;
    Ok(differences.len())
}

/// Withdraws an action: it leaves the plan's pages and updates, and the change page says when and why.
pub async fn withdraw_action(
    pool: &Pool,
    plan: &Plan,
    action: &Action,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), ActionError> {
    if reason.trim().is_empty() {
        return Err(ActionError::ReasonNeeded);
    }
    let mut tx = db::begin_write(pool).await?;
    let today = platform::calendar::uk_local_date(now);
    sqlx::query("UPDATE plans_action SET withdrawn_on = $1, withdrawn_reason = $2 WHERE id = $3 AND withdrawn_on IS NULL")
        .bind(db::date(today))
        .bind(reason.to_string())
        .bind(&action.id)
        .execute(&mut *tx)
        .await?;
    // An update still awaited for it is no longer asked for.
    sqlx::query(
        "DELETE FROM plans_update WHERE action_id = $1 AND state <> 'approved' \
         AND quarter_id IN (SELECT id FROM plans_quarter WHERE status = 'open')",
    )
    .bind(&action.id)
    .execute(&mut *tx)
    .await?;
    if plan.status.is_public() {
        let what = format!("Action {} withdrawn", action.reference);
        record_change(&mut tx, plan, (&what, &action.actions, "Withdrawn"), reason, actor, now).await?;
    }
    record_on_plan(&mut tx, plan, actor, ("withdrew action", &action.reference), now).await?;
    tx.commit().await?;
    Ok(())
}

/// The plan's own words and its document's address. On a published plan each difference is
/// recorded with `reason`.
pub async fn amend_details(
    pool: &Pool,
    plan: &Plan,
    (title, summary, document_url): (&str, &str, &str),
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize, ActionError> {
    let differences = differing([
        ("The plan’s title".to_string(), plan.title.as_str(), title),
        ("The plan’s summary".to_string(), plan.summary.as_str(), summary),
        ("The plan’s document".to_string(), plan.document_url.as_str(), document_url),
    ]);
    if !may_amend(plan, &differences, reason)? {
        return Ok(0);
    }
    let mut tx = db::begin_write(pool).await?;
    sqlx::query("UPDATE plans_plan SET title = $1, summary = $2, document_url = $3, updated_at = $4 WHERE id = $5")
        .bind(title.to_string())
        .bind(summary.to_string())
        .bind(document_url.to_string())
        .bind(db::timestamp(now))
        .bind(&plan.id)
        .execute(&mut *tx)
        .await?;
    record_amendment(&mut tx, plan, ("amended plan", &differences), reason, actor, now).await?;
    tx.commit().await?;
    Ok(differences.len())
}

/// A priority's title and aim.
pub async fn amend_priority(
    pool: &Pool,
    plan: &Plan,
    priority: &Priority,
    (title, aim): (&str, &str),
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize, ActionError> {
    let label = format!("Priority {}", priority.position);
    let differences = differing([
        (format!("{label}: title"), priority.title.as_str(), title),
        (format!("{label}: aim"), priority.aim.as_str(), aim),
    ]);
    if !may_amend(plan, &differences, reason)? {
        return Ok(0);
    }
    let mut tx = db::begin_write(pool).await?;
    sqlx::query("UPDATE plans_priority SET title = $1, aim = $2 WHERE id = $3")
        .bind(title.to_string())
        .bind(aim.to_string())
        .bind(&priority.id)
        .execute(&mut *tx)
        .await?;
    record_amendment(&mut tx, plan, ("amended priority", &differences), reason, actor, now).await?;
    tx.commit().await?;
    Ok(differences.len())
}

/// A commitment's words.
pub async fn amend_commitment(
    pool: &Pool,
    plan: &Plan,
    commitment: &Commitment,
    pledge: &str,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<usize, ActionError> {
    let differences = differing([("A commitment’s words".to_string(), commitment.pledge.as_str(), pledge)]);
    if !may_amend(plan, &differences, reason)? {
        return Ok(0);
    }
    let mut tx = db::begin_write(pool).await?;
    sqlx::query("UPDATE plans_commitment SET pledge = $1 WHERE id = $2")
        .bind(pledge.to_string())
        .bind(&commitment.id)
        .execute(&mut *tx)
        .await?;
    record_amendment(&mut tx, plan, ("amended commitment", &differences), reason, actor, now).await?;
    tx.commit().await?;
    Ok(1)
}

/// Withdraws a priority or a commitment, and every action under it, with the reason; the
/// change page says so once, for the whole branch.
pub async fn withdraw_branch(
    pool: &Pool,
    plan: &Plan,
    branch: Branch<'_>,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), ActionError> {
    if reason.trim().is_empty() {
        return Err(ActionError::ReasonNeeded);
    }
    let today = db::date(platform::calendar::uk_local_date(now));
    let mut tx = db::begin_write(pool).await?;
    let (what, was, commitments): (String, String, Vec<String>) = match branch {
        Branch::Priority(p) => {
            sqlx::query(
                "UPDATE plans_priority SET withdrawn_on = $1, withdrawn_reason = $2 WHERE id = $3 AND withdrawn_on IS NULL",
            )
            .bind(&today)
            .bind(reason.to_string())
            .bind(&p.id)
            .execute(&mut *tx)
            .await?;
            let ids: Vec<(String,)> =
                sqlx::query_as("SELECT id FROM plans_commitment WHERE priority_id = $1").bind(&p.id).fetch_all(&mut *tx).await?;
            (format!("Priority {} withdrawn", p.position), p.title.clone(), ids.into_iter().map(|(id,)| id).collect())
        }
        Branch::Commitment(c) => ("A commitment withdrawn".to_string(), c.pledge.clone(), vec![c.id.clone()]),
    };
    for id in &commitments {
        sqlx::query(
            "UPDATE plans_commitment SET withdrawn_on = $1, withdrawn_reason = $2 WHERE id = $3 AND withdrawn_on IS NULL",
        )
        .bind(&today)
        .bind(reason.to_string())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM plans_update WHERE state <> 'approved' AND quarter_id IN (SELECT id FROM plans_quarter WHERE status = 'open') \
             AND action_id IN (SELECT id FROM plans_action WHERE commitment_id = $1 AND withdrawn_on IS NULL)",
        )
        .bind(id)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE plans_action SET withdrawn_on = $1, withdrawn_reason = $2 WHERE commitment_id = $3 AND withdrawn_on IS NULL",
        )
        .bind(&today)
        .bind(reason.to_string())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    if plan.status.is_public() {
        record_change(&mut tx, plan, (&what, &was, "Withdrawn, with every action under it"), reason, actor, now).await?;
    }
    record_on_plan(&mut tx, plan, actor, ("withdrew", &what), now).await?;
    tx.commit().await?;
    Ok(())
}

/// A priority or a commitment, to withdraw.
#[derive(Debug, Clone, Copy)]
pub enum Branch<'a> {
    Priority(&'a Priority),
    Commitment(&'a Commitment),
}

async fn bump_version(conn: &mut AnyConnection, plan: &Plan, now: OffsetDateTime) -> Result<i64, sqlx::Error> {
    let (version,): (i64,) =
        sqlx::query_as("UPDATE plans_plan SET version = version + 1, updated_at = $1 WHERE id = $2 RETURNING version")
            .bind(db::timestamp(now))
            .bind(&plan.id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(version)
}

async fn insert_change(
    conn: &mut AnyConnection,
    plan: &Plan,
    version: i64,
    (what, was, now_reads): (&str, &str, &str),
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO plans_change (id, plan_id, version, changed_on, what, was, now_reads, reason, changed_by, changed_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(platform::ids::new_id())
    .bind(&plan.id)
    .bind(version)
    .bind(db::date(platform::calendar::uk_local_date(now)))
    .bind(what.to_string())
    .bind(was.to_string())
    .bind(now_reads.to_string())
    .bind(reason.trim().to_string())
    .bind(actor.label.clone())
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// One change to a published plan, as a new version of it.
async fn record_change(
    conn: &mut AnyConnection,
    plan: &Plan,
    change: (&str, &str, &str),
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let version = bump_version(conn, plan, now).await?;
    insert_change(conn, plan, version, change, reason, actor, now).await
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Change {
    pub version: i64,
    pub changed_on: String,
    pub what: String,
    pub was: String,
    pub now_reads: String,
    pub reason: String,
}

/// Every change made since publication, newest first.
pub async fn changes(pool: &Pool, plan_id: &str) -> Result<Vec<Change>, sqlx::Error> {
    sqlx::query_as(
        "SELECT version, changed_on, what, was, now_reads, reason FROM plans_change WHERE plan_id = $1 ORDER BY version DESC, changed_at DESC, what",
    )
    .bind(plan_id.to_string())
    .fetch_all(pool)
    .await
}

// ---------------------------------------------------------------------------------------------
// Evidence

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Evidence {
    pub action_id: String,
    pub dated_on: String,
    pub words: String,
    pub quarter: Option<String>,
}

async fn insert_evidence(
    conn: &mut AnyConnection,
    action_id: &str,
    dated_on: Date,
    words: &str,
    quarter: Option<&str>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO plans_evidence (id, action_id, dated_on, words, quarter, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(platform::ids::new_id())
    .bind(action_id.to_string())
    .bind(db::date(dated_on))
    .bind(words.to_string())
    .bind(quarter.map(str::to_string))
    .bind(actor.label.clone())
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn add_evidence(
    pool: &Pool,
    plan: &Plan,
    action: &Action,
    dated_on: Date,
    words: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    insert_evidence(&mut tx, &action.id, dated_on, words, None, actor, now).await?;
    record_on_plan(&mut tx, plan, actor, ("added evidence", &action.reference), now).await?;
    tx.commit().await
}

/// An action's evidence, newest first.
pub async fn evidence_of(pool: &Pool, action_id: &str) -> Result<Vec<Evidence>, sqlx::Error> {
    sqlx::query_as("SELECT action_id, dated_on, words, quarter FROM plans_evidence WHERE action_id = $1 ORDER BY dated_on DESC, entered_at DESC")
        .bind(action_id.to_string())
        .fetch_all(pool)
        .await
}

/// The newest evidence of each of a plan's actions.
async fn latest_evidence(conn: &mut AnyConnection, plan_id: &str) -> Result<Vec<Evidence>, sqlx::Error> {
    sqlx::query_as(
        "SELECT e.action_id, e.dated_on, e.words, e.quarter FROM plans_evidence e JOIN plans_action a ON a.id = e.action_id \
         WHERE a.plan_id = $1 ORDER BY e.action_id, e.dated_on DESC, e.entered_at DESC",
    )
    .bind(plan_id.to_string())
    .fetch_all(&mut *conn)
    .await
    .map(|rows: Vec<Evidence>| {
        let mut newest: Vec<Evidence> = Vec::new();
        for row in rows {
            if newest.last().is_none_or(|last| last.action_id != row.action_id) {
                newest.push(row);
            }
        }
        newest
    })
}

// ---------------------------------------------------------------------------------------------
// Imports

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HeldImport {
    pub id: String,
    pub plan_id: String,
    pub file_name: String,
    pub rows_json: String,
    pub applied_at: Option<String>,
}

impl HeldImport {
    pub fn read(&self) -> Result<crate::import::ReadPlan, sqlx::Error> {
        serde_json::from_str(&self.rows_json).map_err(|e| fault(format!("import {}: {e}", self.id)))
    }
}

pub async fn hold_import(
    pool: &Pool,
    plan: &Plan,
    file_name: &str,
    read: &crate::import::ReadPlan,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    let mut tx = db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO plans_import (id, plan_id, file_name, rows_json, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(&plan.id)
    .bind(file_name.to_string())
    .bind(serde_json::to_string(read).unwrap_or_default())
    .bind(actor.label.clone())
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let detail = format!("{file_name}: {} rows, {} problems", read.rows.len(), read.problems.len());
    record_on_plan(&mut tx, plan, actor, ("uploaded action plan", &detail), now).await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn find_import(pool: &Pool, plan: &Plan, id: &str) -> Result<Option<HeldImport>, sqlx::Error> {
    sqlx::query_as("SELECT id, plan_id, file_name, rows_json, applied_at FROM plans_import WHERE id = $1 AND plan_id = $2")
        .bind(id.to_string())
        .bind(&plan.id)
        .fetch_optional(pool)
        .await
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Imported {
    pub added: usize,
    pub amended: usize,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("This file has been imported already")]
    AlreadyApplied,
    #[error("Say why the published plan is changing")]
    ReasonNeeded,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Applies a held import's good rows in one transaction: priorities by theme and commitments by
/// their words are found or added; an action with a known reference is amended (recorded as a
/// change on a published plan), a new one added; new evidence is dated today. Rows with
/// problems were never held as rows, so they cannot slip in.
pub async fn apply_import(
    pool: &Pool,
    plan: &Plan,
    held: &HeldImport,
    reason: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Imported, ImportError> {
    if held.applied_at.is_some() {
        return Err(ImportError::AlreadyApplied);
    }
    let read = held.read()?;
    let organisations = platform::organisations::list(pool).await?;
    let partner_name =
        |id: Option<&str>| organisations.iter().find(|o| Some(o.id.as_str()) == id).map(|o| o.name.clone()).unwrap_or_default();
    let mut tx = db::begin_write(pool).await?;
    // Taking the import first makes a second, simultaneous confirm wait, then find it applied.
    let taken = sqlx::query("UPDATE plans_import SET applied_at = $1 WHERE id = $2 AND applied_at IS NULL")
        .bind(db::timestamp(now))
        .bind(&held.id)
        .execute(&mut *tx)
        .await?;
    if taken.rows_affected() == 0 {
        return Err(ImportError::AlreadyApplied);
    }
    let mut tree = tree_in(&mut tx, &plan.id).await?;
    let public = plan.status.is_public();
    if public && reason.trim().is_empty() {
        return Err(ImportError::ReasonNeeded);
    }
    let mut done = Imported::default();
    let today = platform::calendar::uk_local_date(now);
    let evidence = latest_evidence(&mut tx, &plan.id).await?;
    for row in &read.rows {
        let priority_id = match tree.priorities.iter().find(|p| p.title.eq_ignore_ascii_case(&row.theme)) {
            Some(p) => p.id.clone(),
            None => {
                let id = insert_priority(&mut tx, &plan.id, &row.theme, "").await?;
                if public {
                    record_change(&mut tx, plan, ("Priority added", "", &row.theme), reason, actor, now).await?;
                }
                tree.priorities.push(Priority {
                    id: id.clone(),
                    position: 0,
                    title: row.theme.clone(),
                    aim: String::new(),
                    withdrawn_on: None,
                    withdrawn_reason: String::new(),
                });
                id
            }
        };
        let commitment_id = match tree
            .commitments
            .iter()
            .find(|c| c.priority_id == priority_id && c.pledge.eq_ignore_ascii_case(&row.commitment))
        {
            Some(c) => c.id.clone(),
            None => {
                let id = insert_commitment(&mut tx, &priority_id, &row.commitment).await?;
                tree.commitments.push(Commitment {
                    id: id.clone(),
                    priority_id: priority_id.clone(),
                    position: 0,
                    pledge: row.commitment.clone(),
                    withdrawn_on: None,
                    withdrawn_reason: String::new(),
                });
                id
            }
        };
        let partner_id = crate::partners::match_partner(&organisations, &row.lead);
        let fields = ActionFields {
            reference: row.reference.clone(),
            key_deliverable: row.key_deliverable.clone(),
            actions: row.actions.clone(),
            partner_id,
            lead: row.lead.clone(),
            outcome_measure: row.outcome_measure.clone(),
            horizon: Some(row.horizon()),
            status: Some(row.status()),
            carried_forward: row.carried_forward,
        };
        let action_id = match tree.actions.iter().find(|a| a.reference.eq_ignore_ascii_case(&row.reference)) {
            Some(existing) => {
                let changed =
                    amend_in(&mut tx, plan, existing, &fields, reason, &partner_name, actor, now).await.map_err(|e| match e {
                        ActionError::ReasonNeeded => ImportError::ReasonNeeded,
                        ActionError::Database(e) => ImportError::Database(e),
                        ActionError::ReferenceTaken(_) => ImportError::AlreadyApplied,
                    })?;
                if existing.status != row.status() {
                    sqlx::query("UPDATE plans_action SET status = $1 WHERE id = $2")
                        .bind(row.status().slug())
                        .bind(&existing.id)
                        .execute(&mut *tx)
                        .await?;
                }
                if changed > 0 || existing.status != row.status() {
                    done.amended += 1
                } else {
                    done.unchanged += 1
                }
                existing.id.clone()
            }
            None => {
                let id = insert_action(&mut tx, &plan.id, &commitment_id, &fields).await?;
                if public {
                    let what = format!("Action {} added", row.reference);
                    record_change(&mut tx, plan, (&what, "", &row.actions), reason, actor, now).await?;
                }
                done.added += 1;
                id
            }
        };
        let newest = evidence.iter().find(|e| e.action_id == action_id).map(|e| e.words.as_str());
        if !row.evidence.is_empty() && newest != Some(row.evidence.as_str()) {
            insert_evidence(&mut tx, &action_id, today, &row.evidence, None, actor, now).await?;
        }
    }
    let detail = format!("{}: {} added, {} amended, {} unchanged", held.file_name, done.added, done.amended, done.unchanged);
    record_on_plan(&mut tx, plan, actor, ("imported action plan", &detail), now).await?;
    tx.commit().await?;
    Ok(done)
}

// ---------------------------------------------------------------------------------------------
// Quarters and updates

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuarterRecord {
    pub id: String,
    pub quarter: platform::periods::Quarter,
    pub open: bool,
    pub updates_due_on: Date,
    pub closed_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct QuarterRow {
    id: String,
    quarter: String,
    status: String,
    updates_due_on: String,
    closed_at: Option<String>,
}

impl TryFrom<QuarterRow> for QuarterRecord {
    type Error = sqlx::Error;
    fn try_from(row: QuarterRow) -> Result<QuarterRecord, sqlx::Error> {
        Ok(QuarterRecord {
            quarter: platform::periods::Quarter::from_slug(&row.quarter)
                .ok_or_else(|| fault(format!("quarter {:?}", row.quarter)))?,
            open: row.status == "open",
            updates_due_on: date_of("updates_due_on", &row.updates_due_on)?,
            id: row.id,
            closed_at: row.closed_at,
        })
    }
}

pub async fn quarters(pool: &Pool, plan_id: &str) -> Result<Vec<QuarterRecord>, sqlx::Error> {
    let rows: Vec<QuarterRow> = sqlx::query_as(
        "SELECT id, quarter, status, updates_due_on, closed_at FROM plans_quarter WHERE plan_id = $1 ORDER BY quarter DESC",
    )
    .bind(plan_id.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(QuarterRecord::try_from).collect()
}

pub async fn find_quarter(pool: &Pool, plan_id: &str, quarter: &str) -> Result<Option<QuarterRecord>, sqlx::Error> {
    let row: Option<QuarterRow> = sqlx::query_as(
        "SELECT id, quarter, status, updates_due_on, closed_at FROM plans_quarter WHERE plan_id = $1 AND quarter = $2",
    )
    .bind(plan_id.to_string())
    .bind(quarter.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(QuarterRecord::try_from).transpose()
}

#[derive(Debug, thiserror::Error)]
pub enum QuarterError {
    #[error("{0} has been opened already")]
    AlreadyOpened(String),
    #[error("Close {0} before opening another quarter")]
    AnotherOpen(String),
    #[error("The plan has no actions to ask for updates on")]
    NoActions,
    #[error("This quarter has been closed already")]
    AlreadyClosed,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Opens a quarter: an awaited update for every action still in the plan, due by `due_on`.
pub async fn open_quarter(
    pool: &Pool,
    plan: &Plan,
    quarter: platform::periods::Quarter,
    due_on: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, QuarterError> {
    let existing = quarters(pool, &plan.id).await?;
    if let Some(open) = existing.iter().find(|q| q.open) {
        return Err(QuarterError::AnotherOpen(open.quarter.label()));
    }
    if existing.iter().any(|q| q.quarter == quarter) {
        return Err(QuarterError::AlreadyOpened(quarter.label()));
    }
    let mut tx = db::begin_write(pool).await?;
    let id = platform::ids::new_id();
    let inserted = sqlx::query(
        "INSERT INTO plans_quarter (id, plan_id, quarter, status, updates_due_on, opened_at) VALUES ($1, $2, $3, 'open', $4, $5)",
    )
    .bind(&id)
    .bind(&plan.id)
    .bind(quarter.slug())
    .bind(db::date(due_on))
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(e) if db::is_unique_violation(&e) => return Err(QuarterError::AlreadyOpened(quarter.label())),
        Err(e) => return Err(e.into()),
    }
    let asked = sqlx::query(
        "INSERT INTO plans_update (id, quarter_id, action_id, state) \
         SELECT $1 || a.id, $2, a.id, 'awaited' FROM plans_action a WHERE a.plan_id = $3 AND a.withdrawn_on IS NULL",
    )
    .bind(format!("{id}-"))
    .bind(&id)
    .bind(&plan.id)
    .execute(&mut *tx)
    .await?;
    if asked.rows_affected() == 0 {
        return Err(QuarterError::NoActions);
    }
    let detail = format!("{}: {} updates due by {}", quarter.slug(), asked.rows_affected(), db::date(due_on));
    record_on_plan(&mut tx, plan, actor, ("opened quarter", &detail), now).await?;
    tx.commit().await?;
    Ok(id)
}

/// A lead's update with what the pages need of its action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub id: String,
    pub quarter_id: String,
    pub action_id: String,
    pub reference: String,
    pub key_deliverable: String,
    pub actions: String,
    pub partner_id: Option<String>,
    pub current_status: DeliveryStatus,
    pub state: UpdateState,
    pub progress: String,
    pub proposed_status: Option<DeliveryStatus>,
    pub submitted_at: Option<String>,
    pub review_comment: String,
    pub reminded_at: Option<String>,
    pub chased_at: Option<String>,
    pub chases: i64,
    pub revision: i64,
}

#[derive(sqlx::FromRow)]
struct UpdateRow {
    id: String,
    quarter_id: String,
    action_id: String,
    reference: String,
    key_deliverable: String,
    actions: String,
    partner_id: Option<String>,
    current_status: String,
    state: String,
    progress: String,
    proposed_status: Option<String>,
    submitted_at: Option<String>,
    review_comment: String,
    reminded_at: Option<String>,
    chased_at: Option<String>,
    chases: i64,
    revision: i64,
}

impl TryFrom<UpdateRow> for Update {
    type Error = sqlx::Error;
    fn try_from(row: UpdateRow) -> Result<Update, sqlx::Error> {
        let status =
            |text: &str| DeliveryStatus::from_slug(text).ok_or_else(|| fault(format!("update {} status {text:?}", row.id)));
        Ok(Update {
            current_status: status(&row.current_status)?,
            state: UpdateState::from_slug(&row.state).ok_or_else(|| fault(format!("update {} state {:?}", row.id, row.state)))?,
            proposed_status: row.proposed_status.as_deref().map(status).transpose()?,
            id: row.id,
            quarter_id: row.quarter_id,
            action_id: row.action_id,
            reference: row.reference,
            key_deliverable: row.key_deliverable,
            actions: row.actions,
            partner_id: row.partner_id,
            progress: row.progress,
            submitted_at: row.submitted_at,
            review_comment: row.review_comment,
            reminded_at: row.reminded_at,
            chased_at: row.chased_at,
            chases: row.chases,
            revision: row.revision,
        })
    }
}

const UPDATE_COLUMNS: &str = "SELECT u.id, u.quarter_id, u.action_id, a.reference, a.key_deliverable, a.actions, a.partner_id, \
     a.status AS current_status, u.state, u.progress, u.proposed_status, u.submitted_at, u.review_comment, u.reminded_at, \
     u.chased_at, u.chases, u.revision FROM plans_update u JOIN plans_action a ON a.id = u.action_id";

/// A quarter's updates in the plan's order.
pub async fn updates(pool: &Pool, quarter_id: &str) -> Result<Vec<Update>, sqlx::Error> {
    let rows: Vec<UpdateRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{UPDATE_COLUMNS} JOIN plans_commitment c ON c.id = a.commitment_id JOIN plans_priority p ON p.id = c.priority_id \
         WHERE u.quarter_id = $1 ORDER BY p.position, c.position, a.position"
    )))
    .bind(quarter_id.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(Update::try_from).collect()
}

pub async fn find_update(pool: &Pool, id: &str) -> Result<Option<Update>, sqlx::Error> {
    let row: Option<UpdateRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!("{UPDATE_COLUMNS} WHERE u.id = $1")))
        .bind(id.to_string())
        .fetch_optional(pool)
        .await?;
    row.map(Update::try_from).transpose()
}

/// An update a partner is asked for, with its plan and quarter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    pub update: Update,
    pub plan_slug: String,
    pub plan_title: String,
    pub quarter: String,
    pub due_on: Date,
}

#[derive(sqlx::FromRow)]
struct AskedRow {
    #[sqlx(flatten)]
    update: UpdateRow,
    plan_slug: String,
    plan_title: String,
    quarter: String,
    updates_due_on: String,
}

/// The updates an organisation's leads are asked for in open quarters.
pub async fn asked_of(pool: &Pool, organisation_id: &str) -> Result<Vec<Asked>, sqlx::Error> {
    let rows: Vec<AskedRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT x.*, pl.slug AS plan_slug, pl.title AS plan_title, q.quarter, q.updates_due_on FROM ({UPDATE_COLUMNS}) x \
         JOIN plans_quarter q ON q.id = x.quarter_id JOIN plans_plan pl ON pl.id = q.plan_id \
         WHERE q.status = 'open' AND x.partner_id = $1 ORDER BY q.updates_due_on, pl.title, x.reference"
    )))
    .bind(organisation_id.to_string())
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Asked {
                update: Update::try_from(row.update)?,
                plan_slug: row.plan_slug,
                plan_title: row.plan_title,
                quarter: row.quarter,
                due_on: date_of("updates_due_on", &row.updates_due_on)?,
            })
        })
        .collect()
}

#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("{0}")]
    Refused(#[from] crate::model::StepRefused),
    #[error("Someone else changed this update while you were working on it. Check it and try again")]
    ChangedMeanwhile,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

async fn quarter_is_open(conn: &mut AnyConnection, quarter_id: &str) -> Result<bool, sqlx::Error> {
    let status: Option<(String,)> = sqlx::query_as("SELECT status FROM plans_quarter WHERE id = $1")
        .bind(quarter_id.to_string())
        .fetch_optional(&mut *conn)
        .await?;
    Ok(status.is_some_and(|(s,)| s == "open"))
}

/// A lead sends (or sends again) their update. `revision` is the one their page showed.
pub async fn submit_update(
    pool: &Pool,
    update: &Update,
    revision: i64,
    progress: &str,
    proposed: DeliveryStatus,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), UpdateError> {
    let mut tx = db::begin_write(pool).await?;
    let open = quarter_is_open(&mut tx, &update.quarter_id).await?;
    let next = crate::model::step(update.state, UpdateStep::Submit, open)?;
    let changed = sqlx::query(
        "UPDATE plans_update SET state = $1, progress = $2, proposed_status = $3, submitted_at = $4, submitted_by = $5, revision = revision + 1 \
         WHERE id = $6 AND revision = $7 AND state <> 'approved'",
    )
    .bind(next.slug())
    .bind(progress.to_string())
    .bind(proposed.slug())
    .bind(db::timestamp(now))
    .bind(actor.label.clone())
    .bind(&update.id)
    .bind(revision)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(UpdateError::ChangedMeanwhile);
    }
    audit::record(
        &mut tx,
        actor,
        Event { action: "submitted update", record_type: "plan action", record_id: &update.reference, detail: proposed.slug() },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The office approves an update (its status becomes the action's, its words dated evidence) or
/// sends it back with a comment. Of two officers acting at once, the second is told.
pub async fn review_update(
    pool: &Pool,
    update: &Update,
    revision: i64,
    step: UpdateStep,
    comment: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<UpdateState, UpdateError> {
    let mut tx = db::begin_write(pool).await?;
    let open = quarter_is_open(&mut tx, &update.quarter_id).await?;
    let next = crate::model::step(update.state, step, open)?;
    let changed = sqlx::query(
        "UPDATE plans_update SET state = $1, review_comment = $2, reviewed_at = $3, reviewed_by = $4, revision = revision + 1 \
         WHERE id = $5 AND revision = $6",
    )
    .bind(next.slug())
    .bind(comment.to_string())
    .bind(db::timestamp(now))
    .bind(actor.label.clone())
    .bind(&update.id)
    .bind(revision)
    .execute(&mut *tx)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(UpdateError::ChangedMeanwhile);
    }
    if next == UpdateState::Approved {
        let status = update.proposed_status.unwrap_or(update.current_status);
        sqlx::query("UPDATE plans_action SET status = $1 WHERE id = $2")
            .bind(status.slug())
            .bind(&update.action_id)
            .execute(&mut *tx)
            .await?;
        let (quarter,): (String,) = sqlx::query_as("SELECT quarter FROM plans_quarter WHERE id = $1")
            .bind(&update.quarter_id)
            .fetch_one(&mut *tx)
            .await?;
        insert_evidence(
            &mut tx,
            &update.action_id,
            platform::calendar::uk_local_date(now),
            &update.progress,
            Some(&quarter),
            actor,
            now,
        )
        .await?;
    }
    let action = if next == UpdateState::Approved { "approved update" } else { "sent back update" };
    audit::record(
        &mut tx,
        actor,
        Event { action, record_type: "plan action", record_id: &update.reference, detail: comment },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

/// Records that a lead was reminded (`chase` false) or chased.
pub async fn record_nudge(
    pool: &Pool,
    update: &Update,
    chase: bool,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    let sql = if chase {
        "UPDATE plans_update SET chased_at = $1, chases = chases + 1 WHERE id = $2"
    } else {
        "UPDATE plans_update SET reminded_at = $1 WHERE id = $2"
    };
    sqlx::query(sql).bind(db::timestamp(now)).bind(&update.id).execute(&mut *tx).await?;
    let action = if chase { "chased update" } else { "reminded lead" };
    audit::record(&mut tx, actor, Event { action, record_type: "plan action", record_id: &update.reference, detail: "" }, now)
        .await?;
    tx.commit().await
}

/// Every update in an open quarter that has not been approved, with its quarter's due date.
pub async fn outstanding(pool: &Pool) -> Result<Vec<(Update, Date, String)>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        update: UpdateRow,
        updates_due_on: String,
        plan_title: String,
    }
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT x.*, q.updates_due_on, pl.title AS plan_title FROM ({UPDATE_COLUMNS}) x JOIN plans_quarter q ON q.id = x.quarter_id \
         JOIN plans_plan pl ON pl.id = q.plan_id WHERE q.status = 'open' AND x.state IN ('awaited', 'sent-back') ORDER BY x.reference"
    )))
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| Ok((Update::try_from(r.update)?, date_of("updates_due_on", &r.updates_due_on)?, r.plan_title)))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Snapshots

/// The live plan's words alone, its actions without progress: what the public pages fill from
/// the newest snapshot.
pub async fn words(pool: &Pool, plan: &Plan, today: Date) -> Result<crate::snapshot::Snapshot, sqlx::Error> {
    let organisations = platform::organisations::list(pool).await?;
    let mut conn = pool.acquire().await?;
    current_in(&mut conn, plan, None, today, &organisations).await
}

/// `quarter`: the quarter whose approved updates are each action's progress (its newest
/// evidence otherwise); none for the words alone, without progress.
async fn current_in(
    conn: &mut AnyConnection,
    plan: &Plan,
    quarter: Option<&str>,
    today: Date,
    organisations: &[platform::organisations::Organisation],
) -> Result<crate::snapshot::Snapshot, sqlx::Error> {
    use crate::snapshot::{ActionLine, CommitmentLine, PlanLine, PriorityLine, Snapshot};
    let tree = tree_in(conn, &plan.id).await?;
    let (evidence, approved): (Vec<Evidence>, Vec<(String, String, String)>) = match quarter {
        Some(quarter) => (
            latest_evidence(conn, &plan.id).await?,
            sqlx::query_as(
                "SELECT u.action_id, u.progress, COALESCE(u.reviewed_at, '') FROM plans_update u JOIN plans_quarter q ON q.id = u.quarter_id \
                 WHERE q.plan_id = $1 AND q.quarter = $2 AND u.state = 'approved'",
            )
            .bind(&plan.id)
            .bind(quarter.to_string())
            .fetch_all(&mut *conn)
            .await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let priorities = tree
        .priorities
        .iter()
        .filter(|p| p.withdrawn_on.is_none())
        .map(|p| PriorityLine {
            id: p.id.clone(),
            position: p.position,
            title: p.title.clone(),
            aim: p.aim.clone(),
            commitments: tree
                .commitments_of(p)
                .filter(|c| c.withdrawn_on.is_none())
                .map(|c| CommitmentLine {
                    id: c.id.clone(),
                    pledge: c.pledge.clone(),
                    actions: tree
                        .actions_of(c)
                        .filter(|a| a.withdrawn_on.is_none())
                        .map(|a| {
                            let (progress, progress_on) = match approved.iter().find(|(id, _, _)| *id == a.id) {
                                Some((_, words, at)) => (
                                    words.clone(),
                                    db::parse_timestamp(at)
                                        .map(|t| db::date(platform::calendar::uk_local_date(t)))
                                        .unwrap_or_default(),
                                ),
                                None => evidence
                                    .iter()
                                    .find(|e| e.action_id == a.id)
                                    .map(|e| (e.words.clone(), e.dated_on.clone()))
                                    .unwrap_or_default(),
                            };
                            ActionLine {
                                id: a.id.clone(),
                                reference: a.reference.clone(),
                                key_deliverable: a.key_deliverable.clone(),
                                actions: a.actions.clone(),
                                partner: organisations
                                    .iter()
                                    .find(|o| Some(&o.id) == a.partner_id.as_ref())
                                    .map(|o| o.name.clone())
                                    .unwrap_or_default(),
                                lead: a.lead.clone(),
                                outcome_measure: a.outcome_measure.clone(),
                                horizon: a.horizon.slug().into(),
                                status: a.status.slug().into(),
                                carried_forward: a.carried_forward,
                                progress,
                                progress_on,
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    Ok(Snapshot {
        plan: PlanLine {
            slug: plan.slug.clone(),
            title: plan.title.clone(),
            kind: plan.kind.slug().into(),
            starts_on: db::date(plan.starts_on),
            ends_on: db::date(plan.ends_on),
            version: plan.version,
        },
        quarter: quarter.unwrap_or_default().to_string(),
        taken_on: db::date(today),
        priorities,
    })
}

/// A stored snapshot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locked {
    pub id: String,
    pub quarter: String,
    pub sha256: String,
    pub snapshot: crate::snapshot::Snapshot,
}

#[derive(sqlx::FromRow)]
struct LockedRow {
    id: String,
    quarter: String,
    content: String,
    sha256: String,
}

impl TryFrom<LockedRow> for Locked {
    type Error = sqlx::Error;
    /// A snapshot whose text no longer matches its hash is a fault, never shown as if sound.
    fn try_from(row: LockedRow) -> Result<Locked, sqlx::Error> {
        if crate::snapshot::content_hash(&row.content) != row.sha256 {
            return Err(fault(format!("snapshot {} does not match its hash", row.id)));
        }
        let snapshot = serde_json::from_str(&row.content).map_err(|e| fault(format!("snapshot {}: {e}", row.id)))?;
        Ok(Locked { id: row.id, quarter: row.quarter, sha256: row.sha256, snapshot })
    }
}

/// Closes an open quarter: the plan as it stands is written as its snapshot, hashed, and the
/// hash recorded in the audit log. Returns the snapshot and the one before it, if any.
pub async fn close_quarter(
    pool: &Pool,
    plan: &Plan,
    quarter: &QuarterRecord,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(Locked, Option<Locked>), QuarterError> {
    let previous = snapshot_before(pool, &plan.id, &quarter.quarter.slug()).await?;
    let organisations = platform::organisations::list(pool).await?;
    let mut tx = db::begin_write(pool).await?;
    let closed = sqlx::query("UPDATE plans_quarter SET status = 'closed', closed_at = $1 WHERE id = $2 AND status = 'open'")
        .bind(db::timestamp(now))
        .bind(&quarter.id)
        .execute(&mut *tx)
        .await?;
    if closed.rows_affected() == 0 {
        return Err(QuarterError::AlreadyClosed);
    }
    let slug = quarter.quarter.slug();
    let snapshot = current_in(&mut tx, plan, Some(&slug), platform::calendar::uk_local_date(now), &organisations).await?;
    let content = snapshot.canonical();
    let sha256 = crate::snapshot::content_hash(&content);
    let id = platform::ids::new_id();
    sqlx::query("INSERT INTO plans_snapshot (id, plan_id, quarter, taken_at, content, sha256) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(&plan.id)
        .bind(&slug)
        .bind(db::timestamp(now))
        .bind(&content)
        .bind(&sha256)
        .execute(&mut *tx)
        .await?;
    for (_, action) in snapshot.actions() {
        sqlx::query(
            "INSERT INTO plans_snapshot_action (snapshot_id, action_id, quarter, status, progress) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(&action.id)
        .bind(&slug)
        .bind(&action.status)
        .bind(&action.progress)
        .execute(&mut *tx)
        .await?;
    }
    let detail = format!("{slug} sha256:{sha256}");
    record_on_plan(&mut tx, plan, actor, ("locked snapshot", &detail), now).await?;
    tx.commit().await?;
    Ok((Locked { id, quarter: slug, sha256, snapshot }, previous))
}

/// The newest snapshot of a quarter before `quarter`, to compare with: one read, not every
/// snapshot's.
pub async fn snapshot_before(pool: &Pool, plan_id: &str, quarter: &str) -> Result<Option<Locked>, sqlx::Error> {
    let row: Option<LockedRow> = sqlx::query_as(
        "SELECT id, quarter, content, sha256 FROM plans_snapshot WHERE plan_id = $1 AND quarter < $2 ORDER BY quarter DESC LIMIT 1",
    )
    .bind(plan_id.to_string())
    .bind(quarter.to_string())
    .fetch_optional(pool)
    .await?;
    row.map(Locked::try_from).transpose()
}

/// A plan's snapshots, newest first.
pub async fn snapshots(pool: &Pool, plan_id: &str) -> Result<Vec<Locked>, sqlx::Error> {
    let rows: Vec<LockedRow> =
        sqlx::query_as("SELECT id, quarter, content, sha256 FROM plans_snapshot WHERE plan_id = $1 ORDER BY quarter DESC")
            .bind(plan_id.to_string())
            .fetch_all(pool)
            .await?;
    rows.into_iter().map(Locked::try_from).collect()
}

/// The quarters a plan has snapshots for, newest first, without reading them.
pub async fn snapshot_quarters(pool: &Pool, plan_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT quarter, sha256 FROM plans_snapshot WHERE plan_id = $1 ORDER BY quarter DESC")
        .bind(plan_id.to_string())
        .fetch_all(pool)
        .await
}

pub async fn find_snapshot(pool: &Pool, plan_id: &str, quarter: &str) -> Result<Option<Locked>, sqlx::Error> {
    let row: Option<LockedRow> =
        sqlx::query_as("SELECT id, quarter, content, sha256 FROM plans_snapshot WHERE plan_id = $1 AND quarter = $2")
            .bind(plan_id.to_string())
            .bind(quarter.to_string())
            .fetch_optional(pool)
            .await?;
    row.map(Locked::try_from).transpose()
}

/// Each action's status and progress in the newest snapshot: (action id, status, progress).
pub async fn latest_lines(pool: &Pool, plan_id: &str) -> Result<Option<(String, Vec<(String, String, String)>)>, sqlx::Error> {
    let latest: Option<(String, String)> =
        sqlx::query_as("SELECT id, quarter FROM plans_snapshot WHERE plan_id = $1 ORDER BY quarter DESC LIMIT 1")
            .bind(plan_id.to_string())
            .fetch_optional(pool)
            .await?;
    let Some((id, quarter)) = latest else { return Ok(None) };
    let lines = sqlx::query_as("SELECT action_id, status, progress FROM plans_snapshot_action WHERE snapshot_id = $1")
        .bind(id)
        .fetch_all(pool)
        .await?;
    Ok(Some((quarter, lines)))
}

/// One action across every snapshot, oldest first: (quarter, status, progress).
pub async fn history(pool: &Pool, action_id: &str) -> Result<Vec<(String, String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT quarter, status, progress FROM plans_snapshot_action WHERE action_id = $1 ORDER BY quarter")
        .bind(action_id.to_string())
        .fetch_all(pool)
        .await
}

// ---------------------------------------------------------------------------------------------
// The Panel's report

#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct ReportDetails {
    pub meeting_on: Option<String>,
    pub contact_name: String,
    pub contact_role: String,
    pub contact_email: String,
}

pub async fn report_details(pool: &Pool, snapshot_id: &str) -> Result<ReportDetails, sqlx::Error> {
    let found: Option<ReportDetails> =
        sqlx::query_as("SELECT meeting_on, contact_name, contact_role, contact_email FROM plans_report WHERE snapshot_id = $1")
            .bind(snapshot_id.to_string())
            .fetch_optional(pool)
            .await?;
    Ok(found.unwrap_or_default())
}

/// The officer's narrative for each priority: (priority id, words).
pub async fn narratives(pool: &Pool, snapshot_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as("SELECT priority_id, words FROM plans_narrative WHERE snapshot_id = $1")
        .bind(snapshot_id.to_string())
        .fetch_all(pool)
        .await
}

pub async fn save_report(
    pool: &Pool,
    plan: &Plan,
    locked: &Locked,
    details: &ReportDetails,
    narratives: &[(String, String)],
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    sqlx::query("DELETE FROM plans_report WHERE snapshot_id = $1").bind(&locked.id).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO plans_report (snapshot_id, meeting_on, contact_name, contact_role, contact_email, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&locked.id)
        .bind(details.meeting_on.clone())
        .bind(&details.contact_name)
        .bind(&details.contact_role)
        .bind(&details.contact_email)
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM plans_narrative WHERE snapshot_id = $1").bind(&locked.id).execute(&mut *tx).await?;
    for (priority_id, words) in narratives.iter().filter(|(_, w)| !w.trim().is_empty()) {
        sqlx::query("INSERT INTO plans_narrative (snapshot_id, priority_id, words, updated_at) VALUES ($1, $2, $3, $4)")
            .bind(&locked.id)
            .bind(priority_id.clone())
            .bind(words.clone())
            .bind(db::timestamp(now))
            .execute(&mut *tx)
            .await?;
    }
    record_on_plan(&mut tx, plan, actor, ("wrote report", &locked.quarter), now).await?;
    tx.commit().await
}
