//! What is asked of the force and what it answers: questions and recommendations.

use super::*;

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct ForceQuestion {
    pub id: String,
    pub question: String,
    pub asked_on: String,
    pub due_on: String,
    pub answer: Option<String>,
    pub answered_on: Option<String>,
    pub answered_by: Option<String>,
}

pub async fn questions_of(pool: &Pool, review_id: &str) -> Result<Vec<ForceQuestion>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, question, asked_on, due_on, answer, answered_on, answered_by FROM casework_complaint_question \
         WHERE review_id = $1 ORDER BY asked_on, id",
    )
    .bind(review_id)
    .fetch_all(pool)
    .await
}

#[allow(clippy::too_many_arguments)]
pub async fn ask_force(
    conn: &mut AnyConnection,
    review: &Review,
    question: &str,
    today: Date,
    due_on: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO casework_complaint_question (id, review_id, question, asked_on, due_on) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(platform::ids::new_id())
    .bind(&review.id)
    .bind(question)
    .bind(db::date(today))
    .bind(db::date(due_on))
    .execute(&mut *conn)
    .await?;
    audit::record(conn, actor, event(review, "asked the force", &format!("due {due_on}")), now).await?;
    Ok(())
}

pub async fn answer_question(
    conn: &mut AnyConnection,
    review: &Review,
    question_id: &str,
    answer: &str,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_question SET answer = $1, answered_on = $2, answered_by = $3 \
         WHERE id = $4 AND review_id = $5 AND answer IS NULL",
    )
    .bind(answer)
    .bind(db::date(today))
    .bind(&actor.label)
    .bind(question_id)
    .bind(&review.id)
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(conn, actor, event(review, "answered a question", question_id), now).await?;
    Ok(true)
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize)]
pub struct Recommendation {
    pub id: String,
    pub recommendation: String,
    pub respond_by: String,
    pub response_requested_on: Option<String>,
    pub chased_on: Option<String>,
    pub chase_count: i64,
    pub force_response: Option<String>,
    pub response_detail: Option<String>,
    pub responded_on: Option<String>,
    pub responded_by: Option<String>,
    pub closed_on: Option<String>,
}

impl Recommendation {
    pub fn respond_by(&self) -> Date {
        db::parse_date(&self.respond_by).unwrap_or(Date::MAX)
    }
    pub fn response_name(&self) -> &'static str {
        crate::complaints::force_response_name(self.force_response.as_deref().unwrap_or_default())
    }
    /// Asked for, not answered, and past its date: chased daily by the reminders task.
    pub fn response_overdue(&self, today: Date) -> bool {
        self.response_requested_on.is_some()
            && self.force_response.is_none()
            && self.closed_on.is_none()
            && today > self.respond_by()
    }
}

const RECOMMENDATION_SELECT: &str = "SELECT id, recommendation, respond_by, response_requested_on, chased_on, chase_count, \
    force_response, response_detail, responded_on, responded_by, closed_on FROM casework_complaint_recommendation";

pub async fn recommendations_of(pool: &Pool, review_id: &str) -> Result<Vec<Recommendation>, sqlx::Error> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("{RECOMMENDATION_SELECT} WHERE review_id = $1 ORDER BY created_at, id")))
        .bind(review_id)
        .fetch_all(pool)
        .await
}

/// Recommendations whose response is awaited, across every review, with their review.
pub async fn awaited_recommendations(pool: &Pool) -> Result<Vec<(String, Recommendation)>, sqlx::Error> {
    let recommendations: Vec<(String,)> = sqlx::query_as(
        "SELECT review_id FROM casework_complaint_recommendation WHERE force_response IS NULL AND closed_on IS NULL \
         AND response_requested_on IS NOT NULL ORDER BY respond_by, id",
    )
    .fetch_all(pool)
    .await?;
    let mut out = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (review_id,) in recommendations {
        if seen.contains(&review_id) {
            continue;
        }
        seen.push(review_id.clone());
        for r in recommendations_of(pool, &review_id).await? {
            if r.force_response.is_none() && r.closed_on.is_none() && r.response_requested_on.is_some() {
                out.push((review_id.clone(), r));
            }
        }
    }
    Ok(out)
}

pub async fn add_recommendation(
    conn: &mut AnyConnection,
    review: &Review,
    text: &str,
    respond_by: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO casework_complaint_recommendation (id, review_id, recommendation, respond_by, chase_count, created_at) \
         VALUES ($1, $2, $3, $4, 0, $5)",
    )
    .bind(platform::ids::new_id())
    .bind(&review.id)
    .bind(text)
    .bind(db::date(respond_by))
    .bind(db::timestamp(now))
    .execute(&mut *conn)
    .await?;
    audit::record(conn, actor, event(review, "added recommendation", &format!("response by {respond_by}")), now).await?;
    Ok(())
}

/// Marks every recommendation not yet asked about as asked about today.
pub async fn request_responses(conn: &mut AnyConnection, review: &Review, today: Date) -> Result<u64, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_recommendation SET response_requested_on = $1 WHERE review_id = $2 AND response_requested_on IS NULL",
    )
    .bind(db::date(today))
    .bind(&review.id)
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected())
}

#[allow(clippy::too_many_arguments)]
pub async fn record_response(
    conn: &mut AnyConnection,
    review: &Review,
    recommendation_id: &str,
    response: &str,
    detail: &str,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_recommendation SET force_response = $1, response_detail = $2, responded_on = $3, responded_by = $4 \
         WHERE id = $5 AND review_id = $6 AND closed_on IS NULL",
    )
    .bind(response)
    .bind(detail)
    .bind(db::date(today))
    .bind(&actor.label)
    .bind(recommendation_id)
    .bind(&review.id)
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(false);
    }
    audit::record(conn, actor, event(review, "recorded the force's response", &format!("{recommendation_id}: {response}")), now)
        .await?;
    Ok(true)
}

/// Closes a recommendation the force has answered; true when that was the last open one.
pub async fn close_recommendation(
    conn: &mut AnyConnection,
    review: &Review,
    recommendation_id: &str,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Option<bool>, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_recommendation SET closed_on = $1 WHERE id = $2 AND review_id = $3 \
         AND force_response IS NOT NULL AND closed_on IS NULL",
    )
    .bind(db::date(today))
    .bind(recommendation_id)
    .bind(&review.id)
    .execute(&mut *conn)
    .await?;
    if result.rows_affected() == 0 {
        return Ok(None);
    }
    audit::record(conn, actor, event(review, "closed recommendation", recommendation_id), now).await?;
    let open: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM casework_complaint_recommendation WHERE review_id = $1 AND closed_on IS NULL")
            .bind(&review.id)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Some(open == 0))
}

/// Records a chase of an overdue response unless it was chased on or after `not_since`; true
/// when this call chased it (so two processes never both send the chase).
pub async fn mark_chased(
    conn: &mut AnyConnection,
    recommendation_id: &str,
    today: Date,
    not_since: Date,
) -> Result<bool, sqlx::Error> {
    let result = sqlx::query(
        "UPDATE casework_complaint_recommendation SET chased_on = $1, chase_count = chase_count + 1 \
         WHERE id = $2 AND force_response IS NULL AND closed_on IS NULL AND (chased_on IS NULL OR chased_on < $3)",
    )
    .bind(db::date(today))
    .bind(recommendation_id)
    .bind(db::date(not_since))
    .execute(&mut *conn)
    .await?;
    Ok(result.rows_affected() == 1)
}
