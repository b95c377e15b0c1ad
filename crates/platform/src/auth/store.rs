//! Staff accounts and sessions in the database.

use rand::RngCore;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

use super::password::{self, HashCost};
use super::secrets::SecretsKey;
use crate::access::Role;
use crate::audit::{self, Actor, Event};
use crate::config::Settings;
use crate::db::{self, Pool};
use crate::throttle::{self, Limit};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: Role,
    /// For partners: the organisation whose records they may see (platform::organisations).
    pub organisation_id: Option<String>,
    /// That organisation's name, for display only; access is decided by the id.
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
    organisation_id: Option<String>,
    organisation: Option<String>,
    password_hash: String,
    totp_secret: Option<String>,
    totp_enabled: i64,
    totp_last_step: i64,
    disabled: i64,
}

impl UserRow {
    fn user(&self) -> Result<StaffUser, sqlx::Error> {
        Ok(StaffUser {
            id: self.id.clone(),
            email: self.email.clone(),
            display_name: self.display_name.clone(),
            role: self.role.parse().map_err(|e: String| sqlx::Error::Decode(e.into()))?,
            organisation_id: self.organisation_id.clone(),
            organisation: self.organisation.clone(),
            totp_enabled: self.totp_enabled != 0,
            disabled: self.disabled != 0,
        })
    }
}

const USER_COLUMNS: &str = "id, email, display_name, role, organisation_id, \
    (SELECT o.name FROM platform_organisation o WHERE o.id = platform_staff_user.organisation_id) AS organisation, \
    password_hash, totp_secret, totp_enabled, totp_last_step, disabled";

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
    /// A partner's organisation's id.
    pub organisation_id: Option<String>,
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
    if !crate::contact::is_email(&email) {
        return Err(CreateUserError::Invalid("Enter an email address in the correct format, like name@example.com"));
    }
    if new.display_name.trim().is_empty() {
        return Err(CreateUserError::Invalid("Enter the person’s name"));
    }
    let organisation = match new.organisation_id.as_deref().filter(|o| !o.is_empty()) {
        Some(id) => Some(
            crate::organisations::find(pool, id)
                .await?
                .ok_or(CreateUserError::Invalid("Select an organisation from the list"))?,
        ),
        None => None,
    };
    if new.role == Role::Partner && organisation.is_none() {
        return Err(CreateUserError::Invalid("Select the partner’s organisation"));
    }
    if new.role != Role::Partner && organisation.is_some() {
        return Err(CreateUserError::Invalid("Only partner accounts belong to an outside organisation"));
    }
    password::check_new_password(&new.password, &email).map_err(CreateUserError::Invalid)?;
    let hash = password::hash(&new.password, cost);
    let id = crate::ids::new_id();
    let now = OffsetDateTime::now_utc();
    let mut tx = crate::db::begin_write(pool).await?;
    let inserted = sqlx::query(
        "INSERT INTO platform_staff_user (id, email, display_name, role, organisation_id, password_hash, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(&id)
    .bind(&email)
    .bind(new.display_name.trim())
    .bind(new.role.slug())
    .bind(organisation.as_ref().map(|o| o.id.clone()))
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
        organisation_id: organisation.as_ref().map(|o| o.id.clone()),
        organisation: organisation.map(|o| o.name),
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

/// Who a case can be assigned to, in every service: enabled caseworkers and administrators.
pub async fn assignable_users(pool: &Pool) -> Result<Vec<StaffUser>, sqlx::Error> {
    let users = list_users(pool).await?;
    Ok(users.into_iter().filter(|u| !u.disabled && matches!(u.role, Role::Caseworker | Role::Administrator)).collect())
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

/// Wrong passwords for one account from anywhere in 15 minutes before the account is slowed to
/// one try a minute. Slowed, not locked: an attacker cannot keep the real person out.
pub const ACCOUNT_TRIES_BEFORE_SLOWING: i64 = 20;

fn sign_in_limits(settings: &Settings) -> [Limit; 4] {
    let window = Duration::minutes(15);
    [
        Limit { kind: "sign-in from address", limit: settings.address_failure_limit, window },
        Limit {
            kind: "sign-in to account from address",
            limit: settings.lockout_after_failures,
            window: Duration::minutes(settings.lockout_minutes),
        },
        Limit { kind: "sign-in to account", limit: ACCOUNT_TRIES_BEFORE_SLOWING, window },
        Limit { kind: "sign-in to busy account", limit: 1, window: Duration::minutes(1) },
    ]
}

/// Checks an email and password. Tries are counted by client address and by account and client
/// (the lockout), each taken before the password is checked, so parallel guesses cannot all be
/// checked; wrong passwords are also counted by account alone (slowing it, never locking it). Every refusal costs one
/// password check and says the same whether or not the account exists.
pub async fn check_password(
    pool: &Pool,
    settings: &Settings,
    email: &str,
    typed: &str,
    address: &str,
    now: OffsetDateTime,
) -> Result<PasswordOutcome, sqlx::Error> {
    let [by_address, by_account_and_client, by_account, busy_account] = sign_in_limits(settings);
    let email_key: String = normalise_email(email).chars().take(254).collect();
    let pair = format!("{email_key} from {address}");
    let decoy = || {
        password::verify(typed, &password::decoy_hash(settings.password_hash_cost()));
    };
    let Some(address_try) = throttle::take(pool, by_address, address, 1, now).await? else {
        decoy();
        return Ok(PasswordOutcome::AddressThrottled);
    };
    let Some(pair_try) = throttle::take(pool, by_account_and_client, &pair, 1, now).await? else {
        address_try.release(pool).await?;
        decoy();
        return Ok(PasswordOutcome::Locked { until: now + by_account_and_client.window });
    };
    if throttle::exhausted(pool, by_account, &email_key, now).await?
        && throttle::take(pool, busy_account, &email_key, 1, now).await?.is_none()
    {
        pair_try.release(pool).await?;
        address_try.release(pool).await?;
        decoy();
        return Ok(PasswordOutcome::Locked { until: now + busy_account.window });
    }
    let row = user_row(pool, "email = $1", &email_key).await?;
    let Some(row) = row else {
        decoy();
        throttle::count(pool, by_account, &email_key, 1, now).await?;
        return Ok(PasswordOutcome::Refused);
    };
    if !password::verify(typed, &row.password_hash) {
        // Only wrong passwords slow an account: its owner signing in often is no attack.
        throttle::count(pool, by_account, &email_key, 1, now).await?;
        if throttle::exhausted(pool, by_account_and_client, &pair, now).await? {
            let actor = Actor { id: None, label: email_key.clone(), address: address.into() };
            let detail = format!("too many wrong passwords from {address}");
            audit::record_now(
                pool,
                &actor,
                Event { action: "account locked", record_type: "staff user", record_id: &row.id, detail: &detail },
            )
            .await?;
        }
        return Ok(PasswordOutcome::Refused);
    }
    // The right password: this client's run of wrong ones is forgotten.
    throttle::clear(pool, by_account_and_client, &pair).await?;
    address_try.release(pool).await?;
    if row.disabled != 0 {
        return Ok(PasswordOutcome::Disabled);
    }
    Ok(PasswordOutcome::Accepted(row.user()?))
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

/// Stores a new, not yet confirmed secret for enrolment (sealed) and returns it.
pub async fn begin_totp_enrolment(pool: &Pool, key: &SecretsKey, user_id: &str) -> Result<String, sqlx::Error> {
    let existing: Option<Option<String>> =
        sqlx::query_scalar("SELECT totp_secret FROM platform_staff_user WHERE id = $1 AND totp_enabled = 0")
            .bind(user_id)
            .fetch_optional(pool)
            .await?;
    // Keep the secret already shown, so reloading the page does not invalidate a scanned code.
    if let Some(Some(secret)) = existing.as_ref().map(|s| s.as_deref().and_then(|s| key.open(s, user_id))) {
        return Ok(secret);
    }
    let secret = super::totp::new_secret();
    sqlx::query("UPDATE platform_staff_user SET totp_secret = $1 WHERE id = $2 AND totp_enabled = 0")
        .bind(key.seal(&secret, user_id))
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
    key: &SecretsKey,
    user_id: &str,
    typed: &str,
    now: OffsetDateTime,
) -> Result<CodeOutcome, sqlx::Error> {
    let Some(row) = user_row(pool, "id = $1", user_id).await? else { return Ok(CodeOutcome::Wrong) };
    let Some(secret) = row.totp_secret.as_deref().and_then(|s| key.open(s, user_id)) else {
        if row.totp_secret.is_some() {
            tracing::error!(user_id, "second-factor secret does not open with this server's key (secrets_key_file)");
        }
        return Ok(CodeOutcome::Wrong);
    };
    if let Some(step) = super::totp::verify(&secret, typed, now.unix_timestamp(), row.totp_last_step) {
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

/// Seals every second-factor secret stored before sealing began (at start-up). Returns how many.
pub async fn seal_plain_totp_secrets(pool: &Pool, key: &SecretsKey) -> Result<u64, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT id, totp_secret FROM platform_staff_user WHERE totp_secret IS NOT NULL").fetch_all(pool).await?;
    let mut sealed = 0;
    for (id, secret) in rows.iter().filter(|(_, s)| !SecretsKey::is_sealed(s)) {
        sqlx::query("UPDATE platform_staff_user SET totp_secret = $1 WHERE id = $2 AND totp_secret = $3")
            .bind(key.seal(secret, id))
            .bind(id)
            .bind(secret)
            .execute(pool)
            .await?;
        sealed += 1;
    }
    Ok(sealed)
}

/// Sets a known second-factor secret, already enrolled (the demo office prints it).
pub async fn set_totp_secret_enrolled(pool: &Pool, key: &SecretsKey, user_id: &str, secret: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE platform_staff_user SET totp_secret = $1, totp_enabled = 1 WHERE id = $2")
        .bind(key.seal(secret, user_id))
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}

// Guessing the second factor.

/// Codes one signing-in session may try before it is ended.
pub const CODES_PER_SIGN_IN: i64 = 5;
/// Sign-ins in a row that may end that way before the account is locked for an administrator.
pub const ENDED_SIGN_INS_BEFORE_LOCK: i64 = 3;

/// Takes one of the session's tries at a code, before the code is checked, so parallel guesses
/// cannot all be checked. `None`: no tries left (the session has been ended, or is about to be).
pub async fn take_code_try(pool: &Pool, session: &Session) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE platform_session SET codes_tried = codes_tried + 1 \
         WHERE token_hash = $1 AND stage = 'signing-in' AND codes_tried < $2 RETURNING codes_tried",
    )
    .bind(&session.token_hash)
    .bind(CODES_PER_SIGN_IN)
    .fetch_optional(pool)
    .await
}

/// What a wrong code led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WrongCode {
    TryAgain {
        tries_left: i64,
    },
    /// The session is over: the person must start again with their password.
    SignInEnded,
    /// Several sign-ins in a row ended so: the account waits for an administrator.
    AccountLocked,
}

/// A security notice to a member of staff, rendered from the shared template.
#[derive(askama::Template)]
#[template(path = "email/security_notice.txt")]
struct NoticeText<'a> {
    name: &'a str,
    office: &'a str,
    paragraphs: &'a [String],
}

#[derive(askama::Template)]
#[template(path = "email/security_notice.html")]
struct NoticeHtml<'a> {
    subject: &'a str,
    name: &'a str,
    office: &'a str,
    paragraphs: &'a [String],
}

async fn send_notice(
    conn: &mut sqlx::AnyConnection,
    settings: &Settings,
    to: (&str, &str),
    office: &str,
    subject: &str,
    paragraphs: &[String],
) -> Result<(), db::StoreError> {
    use askama::Template;
    let (email, name) = to;
    let render_error = |e: askama::Error| db::StoreError::Fault(format!("security notice did not render: {e}"));
    let message = crate::mail::Email {
        to: email.to_string(),
        subject: subject.to_string(),
        text: NoticeText { name, office, paragraphs }.render().map_err(render_error)?,
        html: NoticeHtml { subject, name, office, paragraphs }.render().map_err(render_error)?,
    };
    crate::mail::enqueue(conn, settings, &message).await?;
    Ok(())
}

/// Records a wrong code (the try was taken by [`take_code_try`]): audited every time; the fifth
/// ends the session and tells the person; the third ended sign-in in a row locks the account
/// until an administrator enables it again, and tells the person and every administrator.
pub async fn record_wrong_code(
    pool: &Pool,
    settings: &Settings,
    session: &Session,
    tries: i64,
    actor: &Actor,
    office: &str,
    now: OffsetDateTime,
) -> Result<WrongCode, db::StoreError> {
    let user = &session.user;
    let mut tx = db::begin_write(pool).await?;
    let detail = format!("try {tries} of {CODES_PER_SIGN_IN} in this sign-in");
    audit_staff_user(&mut tx, actor, &user.id, ("wrong second-factor code", &detail), now).await?;
    if tries < CODES_PER_SIGN_IN {
        tx.commit().await?;
        return Ok(WrongCode::TryAgain { tries_left: CODES_PER_SIGN_IN - tries });
    }
    sqlx::query("DELETE FROM platform_session WHERE token_hash = $1").bind(&session.token_hash).execute(&mut *tx).await?;
    let rounds: i64 = sqlx::query_scalar(
        "UPDATE platform_staff_user SET code_rounds_failed = code_rounds_failed + 1 WHERE id = $1 RETURNING code_rounds_failed",
    )
    .bind(&user.id)
    .fetch_one(&mut *tx)
    .await?;
    let when = crate::calendar::time_and_date(now);
    if rounds < ENDED_SIGN_INS_BEFORE_LOCK {
        let detail = format!("{CODES_PER_SIGN_IN} wrong codes");
        audit_staff_user(&mut tx, actor, &user.id, ("sign-in ended", &detail), now).await?;
        let paragraphs = [
            format!("At {when} someone signed in to your {office} staff account with your password, then entered 5 wrong codes from the authenticator app, so we stopped that sign-in."),
            "If it was not you, someone knows your password. Change it now with “Forgotten your password?” on the sign-in page, and tell your system administrator.".to_string(),
        ];
        send_notice(
            &mut tx,
            settings,
            (&user.email, &user.display_name),
            office,
            "Someone could not finish signing in to your account",
            &paragraphs,
        )
        .await?;
        tx.commit().await?;
        return Ok(WrongCode::SignInEnded);
    }
    sqlx::query("UPDATE platform_staff_user SET disabled = 1, code_rounds_failed = 0, updated_at = $1 WHERE id = $2")
        .bind(db::timestamp(now))
        .bind(&user.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM platform_session WHERE user_id = $1").bind(&user.id).execute(&mut *tx).await?;
    let detail = format!("{ENDED_SIGN_INS_BEFORE_LOCK} sign-ins in a row ended by wrong second-factor codes");
    audit_staff_user(&mut tx, actor, &user.id, ("account locked", &detail), now).await?;
    let paragraphs = [
        format!("Your {office} staff account has been locked. Someone who knows your password has tried {} wrong authenticator codes in {ENDED_SIGN_INS_BEFORE_LOCK} sign-ins, the last at {when}.", CODES_PER_SIGN_IN * ENDED_SIGN_INS_BEFORE_LOCK),
        "Your system administrator has been told. Ask them to enable your account again, and change your password when you next sign in.".to_string(),
    ];
    send_notice(&mut tx, settings, (&user.email, &user.display_name), office, "Your staff account has been locked", &paragraphs)
        .await?;
    let administrators: Vec<(String, String)> = sqlx::query_as(
        "SELECT email, display_name FROM platform_staff_user WHERE role = 'administrator' AND disabled = 0 AND id <> $1",
    )
    .bind(&user.id)
    .fetch_all(&mut *tx)
    .await?;
    for (email, name) in &administrators {
        let paragraphs = [
            format!("We have locked the staff account of {} ({}): someone who knows its password entered wrong authenticator codes in {ENDED_SIGN_INS_BEFORE_LOCK} sign-ins in a row, the last at {when}.", user.display_name, user.email),
            "Check with them before you enable the account again on the Staff accounts page, and ask them to change their password. The audit log shows each attempt and the address it came from.".to_string(),
        ];
        send_notice(&mut tx, settings, (email, name), office, "A staff account has been locked", &paragraphs).await?;
    }
    tx.commit().await?;
    Ok(WrongCode::AccountLocked)
}

/// Records what happened to a staff account (`(action, detail)`), in the caller's transaction.
async fn audit_staff_user(
    tx: &mut sqlx::AnyConnection,
    actor: &Actor,
    user_id: &str,
    (action, detail): (&str, &str),
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    audit::record(tx, actor, Event { action, record_type: "staff user", record_id: user_id, detail }, now).await.map(|_| ())
}

/// A right code ends the run of failed sign-ins.
pub async fn clear_code_rounds(pool: &Pool, user_id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE platform_staff_user SET code_rounds_failed = 0 WHERE id = $1 AND code_rounds_failed <> 0")
        .bind(user_id)
        .execute(pool)
        .await?;
    Ok(())
}
