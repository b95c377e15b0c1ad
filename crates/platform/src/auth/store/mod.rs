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
    /// When they last signed in, and the time before that (UTC timestamps).
    pub last_signed_in_at: Option<String>,
    pub previous_signed_in_at: Option<String>,
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
    last_signed_in_at: Option<String>,
    previous_signed_in_at: Option<String>,
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
            last_signed_in_at: self.last_signed_in_at.clone(),
            previous_signed_in_at: self.previous_signed_in_at.clone(),
        })
    }
}

const USER_COLUMNS: &str = "id, email, display_name, role, organisation_id, \
    (SELECT o.name FROM platform_organisation o WHERE o.id = platform_staff_user.organisation_id) AS organisation, \
    password_hash, totp_secret, totp_enabled, totp_last_step, disabled, last_signed_in_at, previous_signed_in_at";

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
    let organisation = membership(pool, new.role, new.organisation_id.as_deref()).await?;
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
        last_signed_in_at: None,
        previous_signed_in_at: None,
    })
}

/// The organisation an account of `role` belongs to: partners belong to one, nobody else does.
async fn membership(
    pool: &Pool,
    role: Role,
    organisation_id: Option<&str>,
) -> Result<Option<crate::organisations::Organisation>, CreateUserError> {
    let organisation = match organisation_id.filter(|o| !o.is_empty()) {
        Some(id) => Some(
            crate::organisations::find(pool, id)
                .await?
                .ok_or(CreateUserError::Invalid("Select an organisation from the list"))?,
        ),
        None => None,
    };
    match (role, &organisation) {
        (Role::Partner, None) => Err(CreateUserError::Invalid("Select the partner’s organisation")),
        (role, Some(_)) if role != Role::Partner => {
            Err(CreateUserError::Invalid("Only partner accounts belong to an outside organisation"))
        }
        _ => Ok(organisation),
    }
}

/// What an administrator may change about an account.
#[derive(Debug, Clone)]
pub struct AccountChange {
    pub display_name: String,
    pub role: Role,
    pub organisation_id: Option<String>,
}

/// Changes an account's name, role and organisation. A change of role or organisation ends the
/// person's sessions, so nothing they had open keeps what they may no longer see.
pub async fn change_account(pool: &Pool, user: &StaffUser, change: &AccountChange, actor: &Actor) -> Result<(), CreateUserError> {
    let name = change.display_name.trim();
    if name.is_empty() {
        return Err(CreateUserError::Invalid("Enter the person’s name"));
    }
    if name.chars().count() > 200 {
        return Err(CreateUserError::Invalid("The name must be 200 characters or fewer"));
    }
    let organisation = membership(pool, change.role, change.organisation_id.as_deref()).await?;
    let organisation_id = organisation.as_ref().map(|o| o.id.clone());
    let now = OffsetDateTime::now_utc();
    let mut tx = crate::db::begin_write(pool).await?;
    sqlx::query(
        "UPDATE platform_staff_user SET display_name = $1, role = $2, organisation_id = $3, updated_at = $4 WHERE id = $5",
    )
    .bind(name)
    .bind(change.role.slug())
    .bind(&organisation_id)
    .bind(db::timestamp(now))
    .bind(&user.id)
    .execute(&mut *tx)
    .await?;
    let access_changed = change.role != user.role || organisation_id != user.organisation_id;
    if access_changed {
        sqlx::query("DELETE FROM platform_session WHERE user_id = $1").bind(&user.id).execute(&mut *tx).await?;
    }
    let mut changes = Vec::new();
    if name != user.display_name {
        changes.push("name".to_string());
    }
    if change.role != user.role {
        changes.push(format!("role {} to {}", user.role.slug(), change.role.slug()));
    }
    if organisation_id != user.organisation_id {
        changes.push(format!("organisation to {}", organisation.map(|o| o.name).unwrap_or_else(|| "none".into())));
    }
    let detail = if changes.is_empty() { "nothing".to_string() } else { crate::words::and_list(&changes) };
    let event = Event { action: "changed account", record_type: "staff user", record_id: &user.id, detail: &detail };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await?;
    Ok(())
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

/// Staff as pages name them: a record that says who acted holds their account id or (in older
/// records) their email address; pages show their name instead. Anything else (the system, the
/// public, someone whose account is gone) is shown as it was recorded.
#[derive(Debug, Clone, Default)]
pub struct StaffNames(std::collections::HashMap<String, String>);

impl StaffNames {
    pub async fn load(pool: &Pool) -> Result<StaffNames, sqlx::Error> {
        let users = list_users(pool).await?;
        let mut names = std::collections::HashMap::new();
        for user in users {
            names.insert(user.email.clone(), user.display_name.clone());
            names.insert(user.id, user.display_name);
        }
        Ok(StaffNames(names))
    }

    /// The name of whoever `who` identifies.
    pub fn name(&self, who: &str) -> String {
        self.0.get(&normalise_email(who)).or_else(|| self.0.get(who)).cloned().unwrap_or_else(|| who.to_string())
    }
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

mod second_factor;
mod sessions;

pub use second_factor::*;
pub use sessions::*;
