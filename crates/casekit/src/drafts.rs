//! Applications in progress, for every service's public journey: the answers so far, saved after
//! every page so that nothing typed is lost between pages, after a restart, or if the applicant
//! comes back later in the same browser. A draft is bound to the browser that started it
//! (`platform::web::visitor`): its address alone, found in a shared computer's history, opens
//! nothing. Drafts nobody has touched for [`DRAFT_KEPT_DAYS`] are deleted with their files,
//! unless submitted.

use platform::audit::{self, Actor, Event};
use platform::config::Settings;
use platform::db::{self, Pool};
use platform::reference::Reference;
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::{Date, OffsetDateTime};

/// Drafts are kept for this long after their last change.
pub const DRAFT_KEPT_DAYS: i64 = 30;

/// Where one service keeps its drafts and what they become.
#[derive(Debug, Clone, Copy)]
pub struct Drafts {
    /// Columns: id, answers, created_at, updated_at, and `case_column`.
    pub table: &'static str,
    /// The submitted case's table (columns id, reference).
    pub cases: &'static str,
    /// The draft's column naming the case it became.
    pub case_column: &'static str,
    /// Files uploaded with a draft are owned by it under this name.
    pub files: &'static str,
}

pub struct Draft<A> {
    pub id: String,
    pub answers: A,
    /// Set once submitted.
    pub reference: Option<String>,
}

impl Drafts {
    pub async fn create<A: Serialize + Default>(&self, pool: &Pool, now: OffsetDateTime) -> Result<String, sqlx::Error> {
        let id = platform::ids::new_id();
        let answers = serde_json::to_string(&A::default()).unwrap_or_else(|_| "{}".into());
        let sql = format!(
            "INSERT INTO {} (id, answers, created_at, updated_at, browser_key_hash) VALUES ($1, $2, $3, $3, $4)",
            self.table
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&id)
            .bind(answers)
            .bind(db::timestamp(now))
            .bind(platform::web::visitor::bind())
            .execute(pool)
            .await?;
        Ok(id)
    }

    pub async fn load<A: DeserializeOwned + Default>(&self, pool: &Pool, id: &str) -> Result<Option<Draft<A>>, sqlx::Error> {
        let sql = format!(
            "SELECT d.answers, c.reference, d.browser_key_hash FROM {} d LEFT JOIN {} c ON c.id = d.{} WHERE d.id = $1",
            self.table, self.cases, self.case_column
        );
        let row: Option<(String, Option<String>, Option<String>)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
        // Another browser's draft is not found, as if it did not exist.
        let row = row.filter(|(_, _, bound)| platform::web::visitor::may_open(bound.as_deref()));
        Ok(row.map(|(answers, reference, _)| Draft {
            id: id.to_string(),
            // Answers written by an older version that no longer parse start again rather than fail.
            answers: serde_json::from_str(&answers).unwrap_or_default(),
            reference,
        }))
    }

    pub async fn save<A: Serialize>(&self, pool: &Pool, id: &str, answers: &A, now: OffsetDateTime) -> Result<(), sqlx::Error> {
        let json = serde_json::to_string(answers).map_err(|e| sqlx::Error::Encode(e.into()))?;
        let sql =
            format!("UPDATE {} SET answers = $1, updated_at = $2 WHERE id = $3 AND {} IS NULL", self.table, self.case_column);
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(json).bind(db::timestamp(now)).bind(id).execute(pool).await?;
        Ok(())
    }

    /// A secret link to come back to a draft from any browser, kept as long as the draft is.
    pub async fn issue_link(&self, pool: &Pool, id: &str, now: OffsetDateTime) -> Result<String, sqlx::Error> {
        let token = platform::auth::store::new_token();
        sqlx::query("INSERT INTO casework_draft_link (token_hash, drafts_table, draft_id, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(platform::auth::store::sha256_hex(&token))
            .bind(self.table)
            .bind(id)
            .bind(db::timestamp(now + time::Duration::days(DRAFT_KEPT_DAYS)))
            .execute(pool)
            .await?;
        Ok(token)
    }

    /// Opens a draft in this browser by its emailed link. False if the link is not the draft's,
    /// or has run out.
    pub async fn follow_link(&self, pool: &Pool, id: &str, token: &str, now: OffsetDateTime) -> Result<bool, sqlx::Error> {
        let expires: Option<String> = sqlx::query_scalar(
            "SELECT expires_at FROM casework_draft_link WHERE token_hash = $1 AND drafts_table = $2 AND draft_id = $3",
        )
        .bind(platform::auth::store::sha256_hex(token))
        .bind(self.table)
        .bind(id)
        .fetch_optional(pool)
        .await?;
        if expires.and_then(|e| db::parse_timestamp(&e)).is_none_or(|e| e <= now) {
            return Ok(false);
        }
        let sql = format!("UPDATE {} SET browser_key_hash = $1 WHERE id = $2", self.table);
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(platform::web::visitor::bind()).bind(id).execute(pool).await?;
        Ok(true)
    }

    /// When a draft is deleted unless it is changed again.
    pub async fn kept_until(&self, pool: &Pool, id: &str) -> Result<Option<time::Date>, sqlx::Error> {
        let sql = format!("SELECT updated_at FROM {} WHERE id = $1", self.table);
        let updated: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
        Ok(updated
            .and_then(|u| db::parse_timestamp(&u))
            .map(|u| platform::calendar::uk_local_date(u + time::Duration::days(DRAFT_KEPT_DAYS))))
    }

    /// Marks a draft as submitted, in the submitting transaction, and hands its files to the case.
    pub async fn mark_submitted(
        &self,
        tx: &mut sqlx::AnyConnection,
        id: &str,
        case: (&str, &str),
        now: OffsetDateTime,
    ) -> Result<(), sqlx::Error> {
        platform::files::reassign(tx, self.files, id, case.0, case.1).await?;
        let sql = format!("UPDATE {} SET {} = $1, updated_at = $2 WHERE id = $3", self.table, self.case_column);
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(case.1).bind(db::timestamp(now)).bind(id).execute(&mut *tx).await?;
        // A sent draft's links to come back are spent.
        sqlx::query("DELETE FROM casework_draft_link WHERE drafts_table = $1 AND draft_id = $2")
            .bind(self.table)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        Ok(())
    }

    /// Deletes drafts nobody has touched for [`DRAFT_KEPT_DAYS`] (daily housekeeping).
    pub async fn sweep_abandoned(&self, pool: &Pool, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
        let cut = db::timestamp(now - time::Duration::days(DRAFT_KEPT_DAYS));
        let sql = format!("SELECT id FROM {} WHERE {} IS NULL AND updated_at < $1", self.table, self.case_column);
        let ids: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(&cut).fetch_all(pool).await?;
        for id in &ids {
            let mut tx = platform::db::begin_write(pool).await?;
            platform::files::forget_all(&mut tx, self.files, id).await?;
            sqlx::query("DELETE FROM casework_draft_link WHERE drafts_table = $1 AND draft_id = $2")
                .bind(self.table)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let sql = format!("DELETE FROM {} WHERE id = $1 AND {} IS NULL", self.table, self.case_column);
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).execute(&mut *tx).await?;
            tx.commit().await?;
        }
        Ok(ids.len())
    }
}

/// Every registered service's abandoned drafts (daily housekeeping).
pub async fn sweep_abandoned(services: &crate::Services, pool: &Pool, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let mut removed = 0;
    for drafts in services.iter().filter_map(|s| s.drafts()) {
        removed += drafts.sweep_abandoned(pool, now).await?;
    }
    Ok(removed)
}

/// A draft becoming a case, in one transaction: the case's id, reference and tracker token come
/// first, so the service can store the case under them; [`Arrival::finish`] then marks the draft
/// sent (its files move to the case), writes the audit entry and queues the confirmation. None
/// of it happens unless all of it does.
pub struct Arrival {
    pub tx: sqlx::Transaction<'static, sqlx::Any>,
    pub id: String,
    pub reference: Reference,
    /// The tracker's secret: only its hash is stored, the token goes in the confirmation.
    pub token: String,
}

/// A draft sent as a case.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub id: String,
    pub reference: Reference,
    pub tracker_token: String,
}

/// What the audit log says of an arrival: "applied", and a line about the case.
pub struct Arrived<'a> {
    pub action: &'a str,
    pub record_type: &'a str,
    pub detail: &'a str,
    /// The service's staff pages, under which the case's is `{staff_pages}/{reference}`: the
    /// office is told of the new work with a link to it.
    pub staff_pages: &'a str,
}

impl Drafts {
    /// Starts a case from a draft: the next reference under `prefix` in `today`'s year.
    pub async fn arrive(&self, pool: &Pool, prefix: &str, today: Date) -> Result<Arrival, sqlx::Error> {
        let mut tx = db::begin_write(pool).await?;
        let reference = platform::reference::next(&mut *tx, prefix, today.year()).await?;
        Ok(Arrival { tx, id: platform::ids::new_id(), reference, token: platform::auth::store::new_token() })
    }
}

impl Arrival {
    pub fn token_hash(&self) -> String {
        platform::auth::store::sha256_hex(&self.token)
    }

    /// Marks `draft_id` sent as this case (its files now owned as `case_files`), records the
    /// arrival, queues the confirmation `email` makes (if any) and commits.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish(
        mut self,
        drafts: &Drafts,
        draft_id: &str,
        case_files: &str,
        arrived: Arrived<'_>,
        actor: &Actor,
        now: OffsetDateTime,
        email: impl FnOnce(&Reference, &str) -> Option<platform::mail::Email>,
        settings: &Settings,
    ) -> Result<Submitted, sqlx::Error> {
        drafts.mark_submitted(&mut self.tx, draft_id, (case_files, &self.id), now).await?;
        let reference = self.reference.to_string();
        let event =
            Event { action: arrived.action, record_type: arrived.record_type, record_id: &reference, detail: arrived.detail };
        audit::record(&mut self.tx, actor, event, now).await?;
        let path = format!("{}/{reference}", arrived.staff_pages);
        let work = platform::office::NewWork { what: arrived.record_type, reference: &reference, path, assigned_to: None };
        platform::office::tell_of_new_work(&mut self.tx, settings, &work).await?;
        if let Some(email) = email(&self.reference, &self.token) {
            platform::mail::enqueue(&mut self.tx, settings, &email).await?;
        }
        self.tx.commit().await?;
        Ok(Submitted { id: self.id, reference: self.reference, tracker_token: self.token })
    }
}
