//! Sessions: made at sign-in, read on every request, ended at sign-out or when an account is
//! disabled.

use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionStage {
    SigningIn,
    SignedIn,
}

impl SessionStage {
    fn slug(self) -> &'static str {
        match self {
            SessionStage::SigningIn => "signing-in",
            SessionStage::SignedIn => "signed-in",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub user: StaffUser,
    pub stage: SessionStage,
    pub csrf_token: String,
}

/// Starts a session and returns the token for the cookie. Only its hash is stored.
pub async fn create_session(
    pool: &Pool,
    settings: &Settings,
    user: &StaffUser,
    stage: SessionStage,
    address: &str,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    let token = new_token();
    sqlx::query(
        "INSERT INTO platform_session (token_hash, user_id, stage, csrf_token, created_at, last_seen_at, expires_at, address) \
         VALUES ($1, $2, $3, $4, $5, $5, $6, $7)",
    )
    .bind(sha256_hex(&token))
    .bind(&user.id)
    .bind(stage.slug())
    .bind(new_token())
    .bind(db::timestamp(now))
    .bind(db::timestamp(now + Duration::hours(settings.session_absolute_hours)))
    .bind(address)
    .execute(pool)
    .await?;
    if stage == SessionStage::SignedIn {
        sqlx::query(
            "UPDATE platform_staff_user SET previous_signed_in_at = last_signed_in_at, last_signed_in_at = $1 WHERE id = $2",
        )
        .bind(db::timestamp(now))
        .bind(&user.id)
        .execute(pool)
        .await?;
    }
    Ok(token)
}

/// What a session cookie names.
#[derive(Debug)]
pub enum Loaded {
    Current(Box<Session>),
    /// A session that ran out (idle or absolute limit) just now, and whose it was.
    Ended(Box<StaffUser>),
    Unknown,
}

/// The session a cookie names, if it is current; touches its idle clock at most once a minute.
pub async fn load_session(pool: &Pool, settings: &Settings, token: &str, now: OffsetDateTime) -> Result<Loaded, sqlx::Error> {
    let token_hash = sha256_hex(token);
    let row: Option<(String, String, String, String, String)> =
        sqlx::query_as("SELECT user_id, stage, csrf_token, last_seen_at, expires_at FROM platform_session WHERE token_hash = $1")
            .bind(&token_hash)
            .fetch_optional(pool)
            .await?;
    let Some((user_id, stage, csrf_token, last_seen_at, expires_at)) = row else { return Ok(Loaded::Unknown) };
    let last_seen = db::parse_timestamp(&last_seen_at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let expires = db::parse_timestamp(&expires_at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let Some(user) = find_by_id(pool, &user_id).await? else { return Ok(Loaded::Unknown) };
    if user.disabled {
        delete_session(pool, &token_hash).await?;
        return Ok(Loaded::Unknown);
    }
    if now >= expires || now - last_seen > Duration::minutes(settings.session_idle_minutes) {
        delete_session(pool, &token_hash).await?;
        let signed_in = stage == "signed-in";
        return Ok(if signed_in { Loaded::Ended(Box::new(user)) } else { Loaded::Unknown });
    }
    if now - last_seen > Duration::minutes(1) {
        sqlx::query("UPDATE platform_session SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(db::timestamp(now))
            .bind(&token_hash)
            .execute(pool)
            .await?;
    }
    let stage = if stage == "signed-in" { SessionStage::SignedIn } else { SessionStage::SigningIn };
    Ok(Loaded::Current(Box::new(Session { token_hash, user, stage, csrf_token })))
}

pub async fn delete_session(pool: &Pool, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM platform_session WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
    Ok(())
}

/// Ends every session of a user (on disabling, password reset or second-factor reset).
pub async fn delete_sessions_of(pool: &Pool, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM platform_session WHERE user_id = $1").bind(user_id).execute(pool).await?;
    Ok(())
}

// Second factor.
