//! Staff accounts and sessions in the database.

use rand::RngCore;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use super::password::{self, HashCost};
use crate::access::Role;
use crate::audit::{self, Actor, Event};
use crate::config::Settings;
use crate::db::{self, Pool};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub totp_enabled: bool,
    pub disabled: bool,
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    organisation: Option<String>,
    password_hash: String,
    totp_secret: Option<String>,
    totp_enabled: i64,
    totp_last_step: i64,
    disabled: i64,
    failed_attempts: i64,
    locked_until: Option<String>,
}

impl UserRow {
    fn user(&self) -> Result<StaffUser, sqlx::Error> {
        Ok(StaffUser {
            id: self.id.clone(),
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role.parse().map_err(|e: String| sqlx::Error::Decode(e.into()))?,
            organisation: self.organisation.clone(),
            totp_enabled: self.totp_enabled != 0,
            disabled: self.disabled != 0,
        })
    }
}

const USER_COLUMNS: &str = "id, email, display_name, role, organisation, password_hash, totp_secret, totp_enabled, totp_last_step, disabled, failed_attempts, locked_until";

async fn user_row(pool: &Pool, clause: &'static str, value: &str) -> Result<Option<UserRow>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM platform_staff_user WHERE {clause}");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(value).fetch_optional(pool).await
}

/// Email addresses are compared case-insensitively: stored lower-case and trimmed.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// 256 random bits, URL-safe: for session tokens, CSRF tokens and emailed links.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    data_encoding::BASE64URL_NOPAD.encode(&bytes)
}

#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub display_name: String,
    pub role: Role,
    pub organisation: Option<String>,
    pub password: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account with that email address already exists")]
    EmailTaken,
    #[error("{0}")]
    Invalid(&'static str),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

pub async fn create_user(pool: &Pool, new: &NewUser, cost: HashCost, actor: &Actor) -> Result<StaffUser, CreateUserError> {
    let email = normalise_email(&new.email);
    if !email.contains('@') || email.len() > 254 {
        return Err(CreateUserError::Invalid("Enter an email address in the correct format, like name@example.com"));
    }
    if new.display_name.trim().is_empty() {
        return Err(CreateUserError::Invalid("Enter the person’s name"));
    }
    if new.role == Role::Partner && new.organisation.as_deref().is_none_or(|o| o.trim().is_empty()) {
        return Err(CreateUserError::Invalid("Enter the partner’s organisation"));
    }
    password::check_new_password(&new.password, &email).map_err(CreateUserError::Invalid)?;
    let hash = password::hash(&new.password, cost);
    let id = crate::ids::new_id();
    let now = OffsetDateTime::now_utc();
    let mut tx = crate::db::begin_write(pool).await?;
    let inserted = sqlx::query(
        "INSERT INTO platform_staff_user (id, email, display_name, role, organisation, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&id)
    .bind(&email)
    .bind(new.display_name.trim())
    .bind(new.role.slug())
    .bind(new.organisation.as_deref().map(str::trim).filter(|o| !o.is_empty()))
    .bind(&hash)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await;
    match inserted {
        Err(e) if db::is_unique_violation(&e) => return Err(CreateUserError::EmailTaken),
        other => {
            other?;
        }
    }
    audit::record(
        &mut tx,
        actor,
        Event { action: "created account", record_type: "staff user", record_id: &id, detail: new.role.slug() },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(StaffUser {
        id,
        email,
        display_name: new.display_name.trim().into(),
        role: new.role,
        organisation: new.organisation.clone(),
        totp_enabled: false,
        disabled: false,
    })
}

pub async fn find_by_email(pool: &Pool, email: &str) -> Result<Option<StaffUser>, sqlx::Error> {
    user_row(pool, "email = $1", &normalise_email(email)).await?.map(|r| r.user()).transpose()
}

pub async fn find_by_id(pool: &Pool, id: &str) -> Result<Option<StaffUser>, sqlx::Error> {
    user_row(pool, "id = $1", id).await?.map(|r| r.user()).transpose()
}

pub async fn list_users(pool: &Pool) -> Result<Vec<StaffUser>, sqlx::Error> {
    let sql = format!("SELECT {USER_COLUMNS} FROM platform_staff_user ORDER BY display_name, email");
    let rows: Vec<UserRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?;
    rows.iter().map(UserRow::user).collect()
}

/// How a password attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordOutcome {
    Accepted(StaffUser),
    /// Wrong email or password: the message never says which.
    Refused,
    Locked {
        until: OffsetDateTime,
    },
    /// Too many failures from this network address recently.
    AddressThrottled,
    Disabled,
}

/// Checks an email and password, counting failures by account and by address.
pub async fn check_password(
    pool: &Pool,
    settings: &Settings,
    email: &str,
    typed: &str,
    address: &str,
    now: OffsetDateTime,
) -> Result<PasswordOutcome, sqlx::Error> {
    let window_start = db::timestamp(now - Duration::minutes(15));
    let recent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM platform_sign_in_failure WHERE address = $1 AND failed_at >= $2")
        .bind(address)
        .bind(&window_start)
        .fetch_one(pool)
        .await?;
    if recent >= settings.address_failure_limit {
        return Ok(PasswordOutcome::AddressThrottled);
    }
    let row = user_row(pool, "email = $1", &normalise_email(email)).await?;
    let Some(row) = row else {
        // Spend the same time as a real check, so timing does not reveal which emails exist.
        password::verify(typed, &password::decoy_hash(settings.password_hash_cost()));
        record_failure(pool, address, email, now).await?;
        return Ok(PasswordOutcome::Refused);
    };
    if let Some(until) = row.locked_until.as_deref().and_then(db::parse_timestamp).filter(|until| *until > now) {
        return Ok(PasswordOutcome::Locked { until });
    }
    if !password::verify(typed, &row.password_hash) {
        record_failure(pool, address, email, now).await?;
        let failures = row.failed_attempts + 1;
        let locked_until = (failures >= settings.lockout_after_failures)
            .then(|| db::timestamp(now + Duration::minutes(settings.lockout_minutes)));
        sqlx::query("UPDATE platform_staff_user SET failed_attempts = $1, locked_until = $2 WHERE id = $3")
            .bind(if locked_until.is_some() { 0 } else { failures })
            .bind(&locked_until)
            .bind(&row.id)
            .execute(pool)
            .await?;
        if locked_until.is_some() {
            let actor = Actor { id: None, label: normalise_email(email), address: address.into() };
            audit::record_now(
                pool,
                &actor,
                Event {
                    action: "account locked",
                    record_type: "staff user",
                    record_id: &row.id,
                    detail: "too many wrong passwords",
                },
            )
            .await?;
        }
        return Ok(PasswordOutcome::Refused);
    }
    if row.disabled != 0 {
        return Ok(PasswordOutcome::Disabled);
    }
    sqlx::query("UPDATE platform_staff_user SET failed_attempts = 0, locked_until = NULL WHERE id = $1")
        .bind(&row.id)
        .execute(pool)
        .await?;
    Ok(PasswordOutcome::Accepted(row.user()?))
}

async fn record_failure(pool: &Pool, address: &str, email: &str, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO platform_sign_in_failure (id, address, email, failed_at) VALUES ($1, $2, $3, $4)")
        .bind(crate::ids::new_id())
        .bind(address)
        .bind(normalise_email(email).chars().take(254).collect::<String>())
        .bind(db::timestamp(now))
        .execute(pool)
        .await?;
    Ok(())
}

// Sessions.

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
    Ok(token)
}

/// The session a cookie names, if it is current; touches its idle clock at most once a minute.
pub async fn load_session(
    pool: &Pool,
    settings: &Settings,
    token: &str,
    now: OffsetDateTime,
) -> Result<Option<Session>, sqlx::Error> {
    let token_hash = sha256_hex(token);
    let row: Option<(String, String, String, String, String)> =
        sqlx::query_as("SELECT user_id, stage, csrf_token, last_seen_at, expires_at FROM platform_session WHERE token_hash = $1")
            .bind(&token_hash)
            .fetch_optional(pool)
            .await?;
    let Some((user_id, stage, csrf_token, last_seen_at, expires_at)) = row else { return Ok(None) };
    let last_seen = db::parse_timestamp(&last_seen_at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let expires = db::parse_timestamp(&expires_at).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    if now >= expires || now - last_seen > Duration::minutes(settings.session_idle_minutes) {
        delete_session(pool, &token_hash).await?;
        return Ok(None);
    }
    let Some(user) = find_by_id(pool, &user_id).await? else { return Ok(None) };
    if user.disabled {
        delete_session(pool, &token_hash).await?;
        return Ok(None);
    }
    if now - last_seen > Duration::minutes(1) {
        sqlx::query("UPDATE platform_session SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(db::timestamp(now))
            .bind(&token_hash)
            .execute(pool)
            .await?;
    }
    let stage = if stage == "signed-in" { SessionStage::SignedIn } else { SessionStage::SigningIn };
    Ok(Some(Session { token_hash, user, stage, csrf_token }))
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

/// Stores a new, not yet confirmed secret for enrolment and returns it.
pub async fn begin_totp_enrolment(pool: &Pool, user_id: &str) -> Result<String, sqlx::Error> {
    let existing: Option<Option<String>> =
        sqlx::query_scalar("SELECT totp_secret FROM platform_staff_user WHERE id = $1 AND totp_enabled = 0")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    // Keep the secret already shown, so reloading the page does not invalidate a scanned code.
    if let Some(Some(secret)) = existing {
        return Ok(secret);
    }
    let secret = super::totp::new_secret();
    sqlx::query("UPDATE platform_staff_user SET totp_secret = $1 WHERE id = $2 AND totp_enabled = 0")
        .bind(&secret)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(secret)
}

#[derive(Debug, PartialEq, Eq)]
pub enum CodeOutcome {
    Accepted,
    Wrong,
    /// Recovery codes are handed back on a successful enrolment.
    Enrolled {
        recovery_codes: Vec<String>,
    },
}

/// Checks a code from the app (or, once enrolled, a recovery code) and records its use.
pub async fn check_second_factor(
    pool: &Pool,
    user_id: &str,
    typed: &str,
    now: OffsetDateTime,
) -> Result<CodeOutcome, sqlx::Error> {
    let Some(row) = user_row(pool, "id = $1", user_id).await? else { return Ok(CodeOutcome::Wrong) };
    let Some(secret) = row.totp_secret.as_deref() else { return Ok(CodeOutcome::Wrong) };
    if let Some(step) = super::totp::verify(secret, typed, now.unix_timestamp(), row.totp_last_step) {
        // Conditional on the step still being newer, so two racing requests cannot both use one code.
        let updated = sqlx::query(
            "UPDATE platform_staff_user SET totp_last_step = $1, totp_enabled = 1 WHERE id = $2 AND totp_last_step < $1",
        )
        .bind(step)
        .bind(user_id)
        .execute(pool)
        .await?;
        if updated.rows_affected() == 0 {
            return Ok(CodeOutcome::Wrong);
        }
        if row.totp_enabled == 0 {
            return Ok(CodeOutcome::Enrolled { recovery_codes: replace_recovery_codes(pool, user_id).await? });
        }
        return Ok(CodeOutcome::Accepted);
    }
    if row.totp_enabled != 0 && use_recovery_code(pool, user_id, typed, now).await? {
        return Ok(CodeOutcome::Accepted);
    }
    Ok(CodeOutcome::Wrong)
}

fn normalise_recovery_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase()
}

async fn replace_recovery_codes(pool: &Pool, user_id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("DELETE FROM platform_recovery_code WHERE user_id = $1").bind(user_id).execute(pool).await?;
    let mut codes = Vec::new();
    for _ in 0..10 {
        let mut bytes = [0u8; 6];
        rand::rng().fill_bytes(&mut bytes);
        let code = data_encoding::BASE32_NOPAD.encode(&bytes);
        sqlx::query("INSERT INTO platform_recovery_code (id, user_id, code_hash) VALUES ($1, $2, $3)")
            .bind(crate::ids::new_id())
            .bind(user_id)
            .bind(sha256_hex(&code))
            .execute(pool)
            .await?;
        codes.push(format!("{}-{}", &code[..5], &code[5..]));
    }
    Ok(codes)
}

async fn use_recovery_code(pool: &Pool, user_id: &str, typed: &str, now: OffsetDateTime) -> Result<bool, sqlx::Error> {
    let updated =
        sqlx::query("UPDATE platform_recovery_code SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
            .bind(db::timestamp(now))
            .bind(user_id)
            .bind(sha256_hex(&normalise_recovery_code(typed)))
            .execute(pool)
            .await?;
    Ok(updated.rows_affected() == 1)
}

/// Moves a session to signed-in under a new token (the old one stops working), and returns the token.
pub async fn complete_sign_in(
    pool: &Pool,
    settings: &Settings,
    session: &Session,
    address: &str,
    now: OffsetDateTime,
) -> Result<String, sqlx::Error> {
    delete_session(pool, &session.token_hash).await?;
    create_session(pool, settings, &session.user, SessionStage::SignedIn, address, now).await
}

pub async fn set_disabled(pool: &Pool, user_id: &str, disabled: bool, actor: &Actor) -> Result<(), sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let mut tx = crate::db::begin_write(pool).await?;
    sqlx::query("UPDATE platform_staff_user SET disabled = $1, updated_at = $2 WHERE id = $3")
        .bind(i64::from(disabled))
        .bind(db::timestamp(now))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    if disabled {
        sqlx::query("DELETE FROM platform_session WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    }
    let action = if disabled { "disabled account" } else { "enabled account" };
    audit::record(&mut tx, actor, Event { action, record_type: "staff user", record_id: user_id, detail: "" }, now).await?;
    tx.commit().await
}

/// Removes a user's second factor; they set up a new one at their next sign-in.
pub async fn reset_two_factor(pool: &Pool, user_id: &str, actor: &Actor) -> Result<(), sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let mut tx = crate::db::begin_write(pool).await?;
    sqlx::query("UPDATE platform_staff_user SET totp_secret = NULL, totp_enabled = 0, updated_at = $1 WHERE id = $2")
        .bind(db::timestamp(now))
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM platform_recovery_code WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM platform_session WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
    audit::record(
        &mut tx,
        actor,
        Event { action: "reset two-factor", record_type: "staff user", record_id: user_id, detail: "" },
        now,
    )
    .await?;
    tx.commit().await
}

/// Sets a known second-factor secret, already enrolled (the demo office prints it).
pub async fn set_totp_secret_enrolled(pool: &Pool, user_id: &str, secret: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE platform_staff_user SET totp_secret = $1, totp_enabled = 1 WHERE id = $2")
        .bind(secret)
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}
