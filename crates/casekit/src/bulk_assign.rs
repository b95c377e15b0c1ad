//! Assigning several cases at once from a queue: tick the cases, choose a person, assign. Every
//! queue of a registered service gets it the same way: its table sits in the kit's form, its
//! filters carry the outcome of the last assignment (`Outcome`), and the route is the kit's.
//! Only open cases change; each one's change is audited like a single assignment.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use platform::access::{Access, Routes};
use platform::audit::{self, Event};
use platform::auth::{CurrentStaff, StaffUser};
use platform::db::{self, Pool};
use platform::web::Form;
use platform::web::forms::FormErrors;
use platform::{AppError, Platform};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::registry::{About, Assigned};

/// What the queue's address says of the last bulk assignment; flattened into each queue's filters.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Outcome {
    /// How many cases were assigned, and to whom.
    pub assigned: String,
    pub to: String,
    /// "no-cases" or "no-assignee" when nothing was done.
    #[serde(rename = "assign-problem")]
    pub problem: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AssignForm {
    cases: Vec<String>,
    assignee: String,
}

/// The people a service's cases can be assigned to: enabled accounts of the roles that read all
/// its cases (never partners).
pub async fn people(pool: &Pool, about: &About) -> Result<Vec<StaffUser>, sqlx::Error> {
    let users = platform::auth::store::list_users(pool).await?;
    Ok(users.into_iter().filter(|u| !u.disabled && about.readers.contains(&u.role)).collect())
}

/// The queue's part: the message after an assignment (or its error summary), and the controls
/// under the table.
#[derive(Template)]
#[template(path = "queue/bulk_assign.html")]
pub struct Controls {
    /// The queue's address; the form posts to `{queue}/assign`.
    queue: &'static str,
    pub people: Vec<StaffUser>,
    pub outcome: Outcome,
    errors: FormErrors,
}

impl Controls {
    pub async fn load(pool: &Pool, about: &About, outcome: Outcome) -> Result<Controls, sqlx::Error> {
        let mut errors = FormErrors::new();
        match outcome.problem.as_str() {
            "no-cases" => errors.add_targeted("cases", "bulk-assignee", "Select the cases to assign"),
            "no-assignee" => errors.add("bulk-assignee", "Select who to assign the cases to"),
            _ => {}
        }
        Ok(Controls { queue: about.queue, people: people(pool, about).await?, outcome, errors })
    }
    /// The error summary or success banner, for the top of the queue.
    pub fn saying(&self) -> String {
        askama::Template::render(&Saying { controls: self }).unwrap_or_default()
    }
    /// What goes before the queue's table: what the last assignment did, and the form's start.
    pub fn opening(&self, csrf_token: &str) -> String {
        let token = platform::words::escape_html(csrf_token);
        let form = format!(
            "<form method=\"post\" action=\"{}/assign\" novalidate><input type=\"hidden\" name=\"csrf-token\" value=\"{token}\">",
            self.queue
        );
        self.saying() + &form
    }
    /// What goes after the table: the choice of person, the button, and the form's end.
    pub fn closing(&self) -> String {
        askama::Template::render(self).unwrap_or_default() + "</form>"
    }
    fn error(&self) -> Option<&str> {
        self.errors.for_field("bulk-assignee")
    }
}

#[derive(Template)]
#[template(path = "queue/bulk_saying.html")]
struct Saying<'a> {
    controls: &'a Controls,
}

/// The route a service's queue posts its ticked cases to: `{queue}/assign`.
pub fn routes(about: &'static About, access: Access) -> Routes {
    let path = format!("{}/assign", about.queue);
    Routes::new().route(
        path,
        access,
        post(move |state: State<Platform>, staff: CurrentStaff, form: Form<AssignForm>| assign(about, state, staff, form)),
    )
}

async fn assign(
    about: &'static About,
    State(platform): State<Platform>,
    staff: CurrentStaff,
    Form(form): Form<AssignForm>,
) -> Result<Response, AppError> {
    let to = people(platform.pool(), about).await?.into_iter().find(|u| u.id == form.assignee);
    let problem = match (form.cases.is_empty(), &to) {
        (true, _) => Some("no-cases"),
        (false, None) => Some("no-assignee"),
        _ => None,
    };
    let (Some(to), None) = (to, problem) else {
        let problem = problem.unwrap_or("no-assignee");
        return Ok(Redirect::to(&format!("{}?assign-problem={problem}#bulk-assign", about.queue)).into_response());
    };
    let mut count = 0;
    let mut tx = db::begin_write(platform.pool()).await?;
    for table in about.assigned {
        count += assign_open(&mut tx, table, &form.cases, &to, &staff, OffsetDateTime::now_utc()).await?;
    }
    tx.commit().await?;
    let query = serde_html_form::to_string([("assigned", count.to_string()), ("to", to.display_name)]).unwrap_or_default();
    Ok(Redirect::to(&format!("{}?{query}", about.queue)).into_response())
}

/// Assigns each open case of `table` among `references` to `to`, audited; returns how many.
async fn assign_open(
    conn: &mut sqlx::AnyConnection,
    table: &Assigned,
    references: &[String],
    to: &StaffUser,
    staff: &CurrentStaff,
    now: OffsetDateTime,
) -> Result<usize, sqlx::Error> {
    // The table name and condition are the service's own constants, never input.
    let sql = format!("UPDATE {} SET assigned_to = $1 WHERE reference = $2 AND {}", table.table, table.open);
    let mut count = 0;
    for reference in references.iter().take(500) {
        let done = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(&to.id).bind(reference).execute(&mut *conn).await?;
        if done.rows_affected() == 1 {
            let event =
                Event { action: "assigned", record_type: table.record_type, record_id: reference, detail: &to.display_name };
            audit::record(conn, &staff.actor(), event, now).await?;
            count += 1;
        }
    }
    Ok(count)
}
