//! Requests for information to the agencies on an ASB case review, in the database: who was
//! asked (a contact at a partner organisation, copied so the request outlives the contact), the
//! secret link they answer through, the chases, and every answer with its documents.

use platform::audit::Actor;
use platform::auth::store::sha256_hex;
use platform::db::{self, Pool};
use sqlx::AnyConnection;
use time::{Date, OffsetDateTime};

use crate::asb::store::Application;

/// Documents an agency sends with an answer are owned by the application under this name.
pub const ANSWER_FILES: &str = "asb-agency-answer";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InformationRequest {
    pub id: String,
    /// The organisation's name when asked (or the free text of a request made before contacts).
    pub agency: String,
    pub question: String,
    pub requested_on: String,
    pub due_on: String,
    pub response: Option<String>,
    pub responded_on: Option<String>,
    pub responded_by: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub chased_on: Option<String>,
    pub chase_count: i64,
}

/// An answer after the first to an information request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FurtherAnswer {
    pub request_id: String,
    pub response: String,
    pub responded_by: String,
    pub recorded_at: String,
}

/// The answers given after the first, oldest first, for every request of an application.
pub async fn further_answers_of(pool: &Pool, application_id: &str) -> Result<Vec<FurtherAnswer>, sqlx::Error> {
    let all: Vec<FurtherAnswer> = sqlx::query_as(
        "SELECT a.request_id, a.response, a.responded_by, a.recorded_at FROM casework_asb_information_answer a \
         JOIN casework_asb_information_request r ON r.id = a.request_id \
         WHERE r.application_id = $1 ORDER BY a.request_id, a.recorded_at, a.id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?;
    let mut seen = std::collections::HashSet::new();
    // The first answer of each request is the one the request itself shows.
    Ok(all.into_iter().filter(|a| !seen.insert(a.request_id.clone())).collect())
}

const REQUEST_COLUMNS: &str = "id, agency, question, requested_on, due_on, response, responded_on, responded_by, \
     contact_name, contact_email, chased_on, chase_count";

pub async fn information_requests_of(pool: &Pool, application_id: &str) -> Result<Vec<InformationRequest>, sqlx::Error> {
    let sql = format!(
        "SELECT {REQUEST_COLUMNS} FROM casework_asb_information_request WHERE application_id = $1 \
         ORDER BY requested_on, agency, id"
    );
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(application_id).fetch_all(pool).await
}

/// The documents sent with answers, each with the request it answered, oldest first.
pub async fn answer_documents(pool: &Pool, application_id: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT a.request_id, a.documents FROM casework_asb_information_answer a \
         JOIN casework_asb_information_request r ON r.id = a.request_id \
         WHERE r.application_id = $1 AND a.documents IS NOT NULL ORDER BY a.recorded_at, a.id",
    )
    .bind(application_id)
    .fetch_all(pool)
    .await?;
    let mut documents = Vec::new();
    for (request_id, list) in rows {
        let ids: Vec<String> = serde_json::from_str(list.as_deref().unwrap_or("[]"))
            .map_err(|e| sqlx::Error::Decode(format!("answer documents of request {request_id}: {e}").into()))?;
        documents.extend(ids.into_iter().map(|id| (request_id.clone(), id)));
    }
    Ok(documents)
}

/// Who is asked, as the request records them.
#[derive(Debug, Clone, Copy)]
pub struct Asked<'a> {
    pub organisation_id: &'a str,
    pub agency: &'a str,
    pub contact_id: &'a str,
    pub contact_name: &'a str,
    pub contact_email: &'a str,
}

/// A request as sent: the question, when it is due, and the link's secret and end.
#[derive(Debug, Clone, Copy)]
pub struct Sent<'a> {
    pub question: &'a str,
    pub today: Date,
    pub due_on: Date,
    pub token: &'a str,
    pub link_expires: Date,
}

/// Records a request to an agency's contact, in the caller's transaction, audited; returns its id.
pub async fn add_request(
    conn: &mut AnyConnection,
    application: &Application,
    asked: Asked<'_>,
    sent: Sent<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let id = platform::ids::new_id();
    sqlx::query(
        "INSERT INTO casework_asb_information_request (id, application_id, agency, question, requested_on, due_on, \
         organisation_id, contact_id, contact_name, contact_email, link_hash, link_expires_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(&id)
    .bind(&application.id)
    .bind(asked.agency)
    .bind(sent.question)
    .bind(db::date(sent.today))
    .bind(db::date(sent.due_on))
    .bind(asked.organisation_id)
    .bind(asked.contact_id)
    .bind(asked.contact_name)
    .bind(asked.contact_email)
    .bind(sha256_hex(sent.token))
    .bind(db::date(sent.link_expires))
    .execute(&mut *conn)
    .await?;
    let detail = format!("asked {} ({}), due {}", asked.contact_name, asked.agency, sent.due_on);
    super::super::store::audited(conn, application, actor, ("requested information", &detail), now).await?;
    Ok(id)
}

/// Records an answer, with the ids of the documents it came with. Every answer is kept with its
/// author and time; the request shows the first, and a later one is added as a further answer,
/// never written over it. False when the request is not the application's.
#[allow(clippy::too_many_arguments)]
pub async fn answer(
    conn: &mut AnyConnection,
    application: &Application,
    request_id: &str,
    response: &str,
    documents: &[String],
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let belongs: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM casework_asb_information_request WHERE id = $1 AND application_id = $2")
            .bind(request_id)
            .bind(&application.id)
            .fetch_one(&mut *conn)
            .await?;
    if belongs == 0 {
        return Ok(false);
    }
    let documents = (!documents.is_empty()).then(|| serde_json::json!(documents).to_string());
    sqlx::query(
        "INSERT INTO casework_asb_information_answer (id, request_id, response, responded_by, recorded_at, documents) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(platform::ids::new_id())
    .bind(request_id)
    .bind(response)
    .bind(&actor.label)
    .bind(db::timestamp(now))
    .bind(documents)
    .execute(&mut *conn)
    .await?;
    let first = sqlx::query(
        "UPDATE casework_asb_information_request SET response = $1, responded_on = $2, responded_by = $3 \
         WHERE id = $4 AND application_id = $5 AND response IS NULL",
    )
    .bind(response)
    .bind(db::date(today))
    .bind(&actor.label)
    .bind(request_id)
    .bind(&application.id)
    .execute(&mut *conn)
    .await?;
    let detail = if first.rows_affected() == 1 { request_id.to_string() } else { format!("{request_id}: further answer") };
    super::super::store::audited(conn, application, actor, ("recorded information", &detail), now).await?;
    Ok(true)
}

/// A request as its secret link opens it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Linked {
    pub id: String,
    pub application_id: String,
    pub reference: String,
    pub agency: String,
    pub contact_name: String,
    pub question: String,
    pub due_on: String,
    pub link_expires_at: String,
    pub answered: i64,
    pub closed_on: Option<String>,
}

/// The request whose newest link carries this secret.
pub async fn find_by_link(pool: &Pool, token: &str) -> Result<Option<Linked>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.application_id, a.reference, r.agency, r.contact_name, r.question, r.due_on, r.link_expires_at, \
         (SELECT COUNT(*) FROM casework_asb_information_answer x WHERE x.request_id = r.id) AS answered, a.closed_on \
         FROM casework_asb_information_request r JOIN casework_asb_application a ON a.id = r.application_id \
         WHERE r.link_hash = $1 AND r.contact_name IS NOT NULL",
    )
    .bind(sha256_hex(token))
    .fetch_optional(pool)
    .await
}

/// A request owed a chase: sent to a contact, unanswered, on an open case.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Unanswered {
    pub id: String,
    pub reference: String,
    pub agency: String,
    pub contact_name: String,
    pub contact_email: String,
    pub due_on: String,
    pub chased_on: Option<String>,
    pub chase_count: i64,
    pub assigned_to: Option<String>,
}

pub async fn unanswered(pool: &Pool) -> Result<Vec<Unanswered>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, a.reference, r.agency, r.contact_name, r.contact_email, r.due_on, r.chased_on, r.chase_count, a.assigned_to \
         FROM casework_asb_information_request r JOIN casework_asb_application a ON a.id = r.application_id \
         WHERE r.response IS NULL AND r.contact_email IS NOT NULL AND a.closed_on IS NULL AND a.anonymised_at IS NULL \
         ORDER BY r.due_on, r.id",
    )
    .fetch_all(pool)
    .await
}

/// Records a chase with its new link, unless the request was answered or chased since it was
/// read; true when this call chased it (so two processes never both send the chase).
pub async fn mark_chased(
    conn: &mut AnyConnection,
    request: &Unanswered,
    today: Date,
    token: &str,
    link_expires: Date,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE casework_asb_information_request SET chased_on = $1, chase_count = chase_count + 1, link_hash = $2, \
         link_expires_at = $3 WHERE id = $4 AND response IS NULL AND chase_count = $5",
    )
    .bind(db::date(today))
    .bind(sha256_hex(token))
    .bind(db::date(link_expires))
    .bind(&request.id)
    .bind(request.chase_count)
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}
