//! The second factor: enrolment, codes and recovery codes, the tries a sign-in gets, locking
//! and unlocking, and an administrator's disabling and resets.

use super::*;

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
    let secret = crate::auth::totp::new_secret();
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
    if let Some(step) = crate::auth::totp::verify(&secret, typed, now.unix_timestamp(), row.totp_last_step) {
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

pub(super) fn normalise_recovery_code(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_uppercase()
}

pub(super) async fn replace_recovery_codes(pool: &Pool, user_id: &str) -> Result<Vec<String>, sqlx::Error> {
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

pub(super) async fn use_recovery_code(pool: &Pool, user_id: &str, typed: &str, now: OffsetDateTime) -> Result<bool, sqlx::Error> {
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

pub(super) async fn send_notice(
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
pub(super) async fn audit_staff_user(
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
