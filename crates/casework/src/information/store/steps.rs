//! The officer's steps on a request, each audited: assigning, time, the clock's facts, the
//! response and its approval, sending and publishing, the regime, and identity.

use super::*;

pub async fn assign(
    pool: &Pool,
    request: &InformationRequest,
    to: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query("UPDATE casework_information_request SET assigned_to = $1 WHERE id = $2")
        .bind(to)
        .bind(&request.id)
        .execute(&mut *tx)
        .await?;
    audited(&mut tx, request, actor, "assigned", &format!("to {to}"), now).await?;
    tx.commit().await
}

pub async fn log_time(
    pool: &Pool,
    request: &InformationRequest,
    entry: &TimeEntry,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO casework_information_time (id, request_id, logged_on, minutes, activity, logged_by) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(platform::ids::new_id())
    .bind(&request.id)
    .bind(&entry.logged_on)
    .bind(entry.minutes)
    .bind(&entry.activity)
    .bind(&entry.logged_by)
    .execute(&mut *tx)
    .await?;
    audited(&mut tx, request, actor, "logged time", &format!("{} minutes: {}", entry.minutes, entry.activity), now).await?;
    tx.commit().await
}

/// A change to the clock's facts: the column and the date (or count) to set. Made only if the
/// request is unanswered and at the stage the officer saw; false when it has moved on.
pub async fn set_clock_fact(
    pool: &Pool,
    request: &InformationRequest,
    column: ClockColumn,
    value: Option<String>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    let stage = column.stage_after(value.is_some());
    let sql = format!(
        "UPDATE casework_information_request SET {} = $1, stage = $2 WHERE id = $3 AND stage = $4 AND responded_on IS NULL",
        column.column()
    );
    let bound = match column {
        ClockColumn::Extended | ClockColumn::PublicInterestDays => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value.as_deref().unwrap_or("0").parse::<i64>().unwrap_or(0))
        }
        _ => sqlx::query(sqlx::AssertSqlSafe(sql)).bind(value.clone()),
    };
    if bound.bind(stage.slug()).bind(&request.id).bind(request.stage.slug()).execute(&mut *tx).await?.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    audited(&mut tx, request, actor, column.action(), value.as_deref().unwrap_or("cleared"), now).await?;
    tx.commit().await?;
    Ok(true)
}

/// The facts an officer may record, each a column of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockColumn {
    ClarificationAsked,
    Clarified,
    FeeNotice,
    FeePaid,
    Extended,
    PublicInterestDays,
    /// Subject access: the further proof of identity asked for arriving.
    IdentityReceived,
}

impl ClockColumn {
    fn column(self) -> &'static str {
        match self {
            ClockColumn::ClarificationAsked => "clarification_asked_on",
            ClockColumn::Clarified => "clarified_on",
            ClockColumn::FeeNotice => "fee_notice_on",
            ClockColumn::FeePaid => "fee_paid_on",
            ClockColumn::Extended => "extended",
            ClockColumn::PublicInterestDays => "public_interest_days",
            ClockColumn::IdentityReceived => "identity_received_on",
        }
    }
    fn action(self) -> &'static str {
        match self {
            ClockColumn::ClarificationAsked => "asked for clarification",
            ClockColumn::Clarified => "recorded the clarification",
            ClockColumn::FeeNotice => "sent a fees notice",
            ClockColumn::FeePaid => "recorded the fee paid",
            ClockColumn::Extended => "extended the time limit",
            ClockColumn::PublicInterestDays => "extended to consider the public interest",
            ClockColumn::IdentityReceived => "recorded proof of identity received",
        }
    }
    /// Asking the requester for something stops the work until they answer.
    fn stage_after(self, set: bool) -> Stage {
        match (self, set) {
            (ClockColumn::ClarificationAsked | ClockColumn::FeeNotice, true) => Stage::Waiting,
            _ => Stage::Received,
        }
    }
}

/// The response as drafted: outcome, sections cited and the text of the reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub outcome: String,
    pub exemptions: Vec<String>,
    pub response_text: String,
}

/// The member of staff who saved a response: their account, and the name shown for it.
pub struct Drafter<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// Saves the drafted response. A changed draft needs approving again.
pub async fn save_response(
    pool: &Pool,
    request: &InformationRequest,
    response: &Response,
    drafter: &Drafter<'_>,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query(
        "UPDATE casework_information_request SET outcome = $1, exemptions = $2, response_text = $3, drafted_by_id = $4, \
         drafted_by = $5, approved_by = NULL, approved_on = NULL WHERE id = $6 AND responded_on IS NULL",
    )
    .bind(&response.outcome)
    .bind(response.exemptions.join(","))
    .bind(&response.response_text)
    .bind(drafter.id)
    .bind(drafter.name)
    .bind(&request.id)
    .execute(&mut *tx)
    .await?;
    let detail = format!("{}; exemptions: {}", disclosure::outcome_name(&response.outcome), response.exemptions.join(", "));
    audited(&mut tx, request, actor, "drafted the response", &detail, now).await?;
    tx.commit().await
}

pub async fn approve(
    pool: &Pool,
    request: &InformationRequest,
    approver: &str,
    actor: &Actor,
    now: OffsetDateTime,
    today: Date,
) -> Result<bool, sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    let approved = sqlx::query(
        "UPDATE casework_information_request SET approved_by = $1, approved_on = $2 WHERE id = $3 AND responded_on IS NULL",
    )
    .bind(approver)
    .bind(db::date(today))
    .bind(&request.id)
    .execute(&mut *tx)
    .await?;
    if approved.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    audited(&mut tx, request, actor, "approved the response", approver, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// What a step that writes to the requester leaves behind: its letter and its audit entry.
pub struct Told<'a> {
    pub letter: &'a casekit::letters::LetterText,
    pub action: &'a str,
    pub detail: &'a str,
    /// Documents the email carries.
    pub carrying: &'a [platform::files::StoredFile],
}

/// A change that writes to the requester: `change` (an UPDATE guarded on what the officer saw)
/// and, only if it was made, the letter (emailed when that is how they asked to hear, otherwise
/// left to print from its page) and the audit entry, in one transaction. False when the request
/// had moved on.
pub async fn change_and_tell(
    pool: &Pool,
    change: sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments>,
    request: &InformationRequest,
    told: Told<'_>,
    actor: &Actor,
    now: OffsetDateTime,
    settings: &platform::config::Settings,
) -> Result<bool, sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    if change.execute(&mut *tx).await?.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    let email_to = request.contact.email_to_use();
    let case = (LETTER_CASE, request.id.as_str());
    casekit::letters::record_letter_carrying(&mut tx, settings, case, told.letter, email_to, told.carrying, actor, now).await?;
    audited(&mut tx, request, actor, told.action, told.detail, now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Sends the approved response: the request is answered today, and the requester is told, the
/// email carrying the documents released or, when they are too large, the private link to them.
#[allow(clippy::too_many_arguments)]
pub async fn send(
    pool: &Pool,
    request: &InformationRequest,
    letter: &casekit::letters::LetterText,
    delivery: &super::super::release::Delivery,
    actor: &Actor,
    now: OffsetDateTime,
    today: Date,
    settings: &platform::config::Settings,
) -> Result<bool, sqlx::Error> {
    use super::super::release::Delivery;
    let change = sqlx::query(
        "UPDATE casework_information_request SET responded_on = $1, closed_on = $1, stage = 'responded', \
         released_token = COALESCE(released_token, $3) WHERE id = $2 AND responded_on IS NULL AND approved_on IS NOT NULL",
    )
    .bind(db::date(today))
    .bind(&request.id)
    .bind(match delivery {
        Delivery::Linked { token, .. } => Some(token.clone()),
        _ => None,
    });
    let detail = disclosure::outcome_name(request.outcome.as_deref().unwrap_or(""));
    let carrying = match delivery {
        Delivery::Attached(files) => files.as_slice(),
        _ => &[],
    };
    let told = Told { letter, action: "sent the response", detail, carrying };
    change_and_tell(pool, change, request, told, actor, now, settings).await
}

/// Extending a subject access request by two months, unless it is answered, extended already or
/// no longer at the stage the officer saw: for [`change_and_tell`], which tells the requester why.
pub fn extension(request: &InformationRequest) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
    sqlx::query(
        "UPDATE casework_information_request SET extended = 1 WHERE id = $1 AND extended = 0 AND responded_on IS NULL AND stage = $2",
    )
    .bind(&request.id)
    .bind(request.stage.slug())
}

/// Publishes an answered request in the disclosure log, without the requester's identity; `None`
/// when someone else published it first (the log holds it once).
pub async fn publish(
    pool: &Pool,
    request: &InformationRequest,
    title: &str,
    topic: &str,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Option<String>, sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    let claimed = sqlx::query(
        "UPDATE casework_information_request SET stage = 'published' \
         WHERE id = $1 AND stage <> 'published' AND responded_on IS NOT NULL",
    )
    .bind(&request.id)
    .execute(&mut *tx)
    .await?;
    if claimed.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(None);
    }
    let entry = NewEntry {
        request_id: Some(request.id.clone()),
        reference: request.reference.clone(),
        title: title.to_string(),
        topic: topic.to_string(),
        request_text: request.request_text.clone(),
        response_text: request.response_text.clone().unwrap_or_default(),
        outcome: request.outcome.clone().unwrap_or_else(|| "disclosed".into()),
        exemptions: request.exemption_codes().join(", "),
        received_on: request.received_on.clone(),
        responded_on: request.responded_on.clone().unwrap_or_default(),
    };
    let entry_id = disclosure::publish(&mut tx, &entry, actor, now).await?;
    tx.commit().await?;
    Ok(Some(entry_id))
}

/// Handles an FOI request under the Environmental Information Regulations instead (or back):
/// the same 20 working days, extendable to 40 when complex and voluminous. The reference stays.
pub async fn set_kind(
    pool: &Pool,
    request: &InformationRequest,
    kind: RequestKind,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query("UPDATE casework_information_request SET kind = $1, extended = 0 WHERE id = $2 AND kind <> 'sar'")
        .bind(kind.slug())
        .bind(&request.id)
        .execute(&mut *tx)
        .await?;
    audited(&mut tx, request, actor, "changed the regime", kind.prefix(), now).await?;
    tx.commit().await
}

/// Records that the office asked a subject access requester today for further proof of identity:
/// the month stops until it arrives ([`ClockColumn::IdentityReceived`]), and then runs from that
/// day. False when the request has moved on.
pub async fn ask_for_identity(
    pool: &Pool,
    request: &InformationRequest,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<bool, sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    let asked = sqlx::query(
        "UPDATE casework_information_request SET identity_asked_on = $1, identity_received_on = NULL, stage = 'waiting' \
         WHERE id = $2 AND stage = $3 AND responded_on IS NULL",
    )
    .bind(db::date(today))
    .bind(&request.id)
    .bind(request.stage.slug())
    .execute(&mut *tx)
    .await?;
    if asked.rows_affected() == 0 {
        tx.rollback().await?;
        return Ok(false);
    }
    audited(&mut tx, request, actor, "asked for further proof of identity", &db::date(today), now).await?;
    tx.commit().await?;
    Ok(true)
}

/// Records a subject access requester's identity as confirmed today and deletes the proof they
/// sent: it was needed only to check who they are. The month has run since the proof arrived.
pub async fn confirm_identity(
    pool: &Pool,
    request: &InformationRequest,
    today: Date,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query(
        "UPDATE casework_information_request SET identity_confirmed_on = $1 WHERE id = $2 AND identity_confirmed_on IS NULL",
    )
    .bind(db::date(today))
    .bind(&request.id)
    .execute(&mut *tx)
    .await?;
    let removed = platform::files::forget_all(&mut tx, REQUEST_FILES, &request.id).await?;
    audited(&mut tx, request, actor, "confirmed identity", &format!("{removed} identity documents deleted"), now).await?;
    tx.commit().await
}
