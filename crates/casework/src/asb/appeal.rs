//! Appeals against a case review: the office's own form, made to work whether or not the review
//! was run in Commissioner. An appeal outside the local window is still accepted, and flagged so
//! the office decides whether to hear it.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::{self, Actor, Event};
use platform::auth::Viewer;
use platform::auth::store::sha256_hex;
use platform::calendar::{self, Nation, WorkingDayCalendar};
use platform::db::{self, Pool};
use platform::files::CheckedUpload;
use platform::reference::{self, Reference};
use platform::web::forms::{
    Choice, Choices, DateInput, DateParts, DatePartsInError, ErrorSummary, FileUpload, FormErrors, TextInput, Textarea,
    first_part, parse_date_parts,
};
use platform::web::render;
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use time::{Date, OffsetDateTime};

use super::APPEAL_GROUNDS;
use super::policy::{self, ReviewBody};
use super::store::{self, APPEAL_FILES, APPEAL_PREFIX};
use super::timescales::{self, Timescales};
use casekit::letters;
use platform::contact::{AlwaysNeeded, ContactDetails, ContactForm, ContactMethod, ContactQuestions, ContactWords};

pub const MAX_ATTACHMENTS: usize = 3;

/// An appeal is answered by letter to an address, so the office always needs a postcode.
const CONTACT: ContactWords = ContactWords {
    letter_hint: "Choosing a letter may make your appeal take longer.",
    email_hint: "Needed if you chose email.",
    always_needed: AlwaysNeeded::Postcode,
    ..ContactWords::STANDARD
};
pub const MAX_SUPPORTING_CHARS: usize = 10_000;

pub fn routes() -> Routes {
    Routes::new()
        .route("/asb-case-review/appeal", Access::Public, get(show_form).post(submit).layer(DefaultBodyLimit::disable()))
        .route("/asb-case-review/appeal/sent/{submission_key}", Access::Public, get(sent))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AppealForm {
    #[serde(rename = "submission-key")]
    pub submission_key: String,
    pub grounds: Vec<String>,
    #[serde(rename = "full-name")]
    pub full_name: String,
    #[serde(rename = "postal-address")]
    pub postal_address: String,
    pub postcode: String,
    pub email: String,
    pub telephone: String,
    #[serde(rename = "contact-method")]
    pub contact_method: String,
    #[serde(rename = "review-body")]
    pub review_body: String,
    #[serde(rename = "decision-day")]
    pub decision_day: String,
    #[serde(rename = "decision-month")]
    pub decision_month: String,
    #[serde(rename = "decision-year")]
    pub decision_year: String,
    #[serde(rename = "review-reference")]
    pub review_reference: String,
    pub supporting: String,
    pub consent: String,
}

impl AppealForm {
    /// Not flattened into the form: serde's flatten cannot read a single ticked ground as a list.
    pub fn contact(&self) -> ContactForm {
        ContactForm {
            full_name: self.full_name.clone(),
            contact_method: self.contact_method.clone(),
            email: self.email.clone(),
            telephone: self.telephone.clone(),
            postal_address: self.postal_address.clone(),
            postcode: self.postcode.clone(),
        }
    }
    pub fn decision_date(&self) -> DateParts {
        DateParts { day: self.decision_day.clone(), month: self.decision_month.clone(), year: self.decision_year.clone() }
    }
}

/// An appeal that passed every check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Appeal {
    pub grounds: Vec<String>,
    pub contact: ContactDetails,
    pub review_body: String,
    pub decision_letter_on: Date,
    pub review_reference: String,
    pub supporting: String,
}

impl Appeal {
    /// Checks the form. `today` bounds the decision date.
    pub fn parse(form: &AppealForm, today: Date) -> Result<Appeal, (FormErrors, DatePartsInError)> {
        let mut errors = FormErrors::new();
        let mut marks = DatePartsInError::default();
        let grounds: Vec<String> = APPEAL_GROUNDS
            .iter()
            .filter(|(slug, _)| form.grounds.iter().any(|g| g == slug))
            .map(|(s, _)| s.to_string())
            .collect();
        if grounds.is_empty() {
            errors.add("grounds", "Select at least one reason for your appeal");
        }
        let contact = CONTACT.check(&form.contact(), &mut errors);
        let review_body = form.review_body.split_whitespace().collect::<Vec<_>>().join(" ");
        if review_body.is_empty() {
            errors.add("review-body", "Enter who carried out the case review");
        } else if review_body.chars().count() > 200 {
            errors.add("review-body", "The name must be 200 characters or fewer");
        }
        let decision = match parse_date_parts(&form.decision_date(), "the date of the decision letter") {
            Ok(date) if date > today => {
                errors.add_targeted("decision", "decision-day", "The date of the decision letter must be today or in the past");
                marks = DatePartsInError { day: true, month: true, year: true };
                None
            }
            Ok(date) => Some(date),
            Err((message, parts)) => {
                errors.add_targeted("decision", &first_part("decision", parts), message);
                marks = parts;
                None
            }
        };
        let review_reference = form.review_reference.trim().to_string();
        if review_reference.chars().count() > 100 {
            errors.add("review-reference", "The reference must be 100 characters or fewer");
        }
        let supporting = form.supporting.trim().replace("\r\n", "\n");
        if supporting.is_empty() {
            errors.add("supporting", "Tell us why you are appealing");
        } else if supporting.chars().count() > MAX_SUPPORTING_CHARS {
            errors.add("supporting", format!("Your reasons must be {MAX_SUPPORTING_CHARS} characters or fewer"));
        }
        if form.consent != "yes" {
            errors.add("consent", "Confirm you agree to us getting the information we need to consider your appeal");
        }
        match (errors.is_empty(), contact, decision) {
            (true, Some(contact), Some(decision_letter_on)) => {
                Ok(Appeal { grounds, contact, review_body, decision_letter_on, review_reference, supporting })
            }
            _ => Err((errors, marks)),
        }
    }
}

/// Whether an appeal arrived in time, and the last day it could have.
pub fn in_time(
    decision_letter_on: Date,
    received_on: Date,
    timescales: &Timescales,
    calendar: &WorkingDayCalendar,
) -> (bool, Date) {
    let ends = timescales::appeal_window_ends(decision_letter_on, timescales, calendar);
    (received_on <= ends, ends)
}

#[derive(Template)]
#[template(path = "asb/appeal_form.html")]
struct AppealPage {
    chrome: Chrome,
    contact: ContactForm,
    form: AppealForm,
    errors: FormErrors,
    marks: DatePartsInError,
    decision: DateParts,
    window: u32,
    bodies: Vec<ReviewBody>,
}

impl AppealPage {
    fn error_summary(&self) -> ErrorSummary<'_> {
        ErrorSummary { errors: &self.errors }
    }
    fn grounds(&self) -> Choices<'_> {
        let items = APPEAL_GROUNDS.iter().map(|(slug, name)| Choice::new(slug, name)).collect();
        Choices::checkboxes(
            "grounds",
            "Why are you appealing?",
            items,
            self.form.grounds.iter().map(String::as_str).collect(),
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--m")
        .hint("Select all that apply. Disagreeing with the outcome is not on its own a reason we can consider.")
    }
    fn contact(&self) -> ContactQuestions<'_> {
        CONTACT.questions(&self.contact, &self.errors)
    }
    fn review_body(&self) -> TextInput<'_> {
        TextInput::new("review-body", "Who carried out the case review?", &self.form.review_body, &self.errors)
            .hint("It is on your decision letter, for example the council or the community safety partnership.")
    }
    fn decision(&self) -> DateInput<'_> {
        DateInput::new("decision", "Date of the decision letter", &self.decision, &self.errors, self.marks)
            .hint("For example, 27 3 2026")
    }
    fn review_reference(&self) -> TextInput<'_> {
        TextInput::new("review-reference", "Case review reference (optional)", &self.form.review_reference, &self.errors)
            .width("govuk-input--width-20")
            .hint("If you applied online, your reference starts with ASB.")
    }
    fn supporting(&self) -> Textarea<'_> {
        Textarea::new("supporting", "Supporting information", &self.form.supporting, &self.errors)
            .rows(8)
            .max_chars(MAX_SUPPORTING_CHARS)
            .hint("Tell us what the review missed or got wrong, and anything that has happened since.")
    }
    fn attachments(&self) -> FileUpload<'_> {
        FileUpload::new("attachments", "Attach files (optional)", &self.errors)
            .multiple()
            .hint("Up to 3 files, each smaller than 128 MB: documents, photos, videos or sound recordings.")
    }
    fn consent(&self) -> Choices<'_> {
        Choices::checkboxes(
            "consent",
            "Consent",
            vec![Choice::new(
                "yes",
                "I agree to the Commissioner’s office getting the information it needs to consider my appeal, including personal and sensitive information, from the agencies that considered my case review",
            )],
            if self.form.consent == "yes" { vec!["yes"] } else { vec![] },
            &self.errors,
        )
        .legend_size("govuk-fieldset__legend--m")
    }
}

async fn appeal_page(
    platform: &Platform,
    chrome: Chrome,
    form: AppealForm,
    errors: FormErrors,
    marks: DatePartsInError,
) -> Result<Response, AppError> {
    let policy = policy::load(platform.pool()).await?;
    let bodies = policy::review_bodies(platform.pool()).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let decision = form.decision_date();
    let page = AppealPage {
        chrome: chrome.with_errors(!errors.is_empty()),
        contact: form.contact(),
        form,
        errors,
        marks,
        decision,
        window: policy.timescales.appeal_window,
        bodies,
    };
    Ok((status, render(&page)?).into_response())
}

async fn show_form(State(platform): State<Platform>, chrome: Chrome) -> Result<Response, AppError> {
    let form = AppealForm { submission_key: platform::ids::new_id(), ..Default::default() };
    appeal_page(&platform, chrome, form, FormErrors::new(), DatePartsInError::default()).await
}

async fn submit(
    State(platform): State<Platform>,
    chrome: Chrome,
    viewer: Viewer,
    request: Request,
) -> Result<Response, AppError> {
    let rules = platform::web::evidence_rules(&platform, MAX_ATTACHMENTS);
    let (mut form, uploads, upload_errors): (AppealForm, Vec<CheckedUpload>, FormErrors) =
        platform::web::read_form_with_files(&platform, request, rules, "attachments").await?;
    if !platform::ids::is_well_formed(&form.submission_key) {
        form.submission_key = platform::ids::new_id();
    }
    let now = OffsetDateTime::now_utc();
    let today = calendar::uk_local_date(now);
    let parsed = Appeal::parse(&form, today);
    let (mut errors, marks) = match &parsed {
        Ok(_) => (FormErrors::new(), DatePartsInError::default()),
        Err((errors, marks)) => (errors.clone(), *marks),
    };
    platform::web::forms::merge_upload_errors(&mut errors, &upload_errors, !uploads.is_empty(), "attachments");
    let appeal = match parsed {
        Ok(appeal) if errors.is_empty() => appeal,
        _ => return appeal_page(&platform, chrome, form, errors, marks).await,
    };
    for upload in &uploads {
        platform.storage().persist(upload).await.map_err(|e| AppError::Internal(e.into()))?;
    }
    let policy = policy::load(platform.pool()).await?;
    let calendar = calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?;
    let office = platform.office().await?;
    let saved = save(
        &platform,
        &appeal,
        &form.submission_key,
        &uploads,
        &policy.timescales,
        &calendar,
        &office.name,
        &viewer.actor(),
        now,
        today,
    )
    .await;
    match saved {
        Ok(_) => {}
        // The same form sent twice (a double click, a resend): the first one was kept.
        Err(db::StoreError::Database(error)) if db::is_unique_violation(&error) => {}
        Err(error) => return Err(error.into()),
    }
    Ok(Redirect::to(&format!("/asb-case-review/appeal/sent/{}", form.submission_key)).into_response())
}

/// Stores an appeal with its files, audit entry and acknowledgement, in one transaction.
#[allow(clippy::too_many_arguments)]
async fn save(
    platform: &Platform,
    appeal: &Appeal,
    submission_key: &str,
    uploads: &[CheckedUpload],
    timescales: &Timescales,
    calendar: &WorkingDayCalendar,
    office_name: &str,
    actor: &Actor,
    now: OffsetDateTime,
    today: Date,
) -> Result<Reference, db::StoreError> {
    let pool = platform.pool();
    let bodies = policy::review_bodies(pool).await?;
    let known_body = bodies.iter().find(|b| b.name.eq_ignore_ascii_case(&appeal.review_body)).map(|b| b.id.clone());
    let linked = match appeal.review_reference.parse::<Reference>() {
        Ok(r) if r.prefix() == store::PREFIX => store::find_application(pool, &r.to_string()).await?,
        _ => None,
    };
    let (in_time, window_ends) = in_time(appeal.decision_letter_on, today, timescales, calendar);
    let mut tx = platform::db::begin_write(pool).await?;
    let reference = reference::next(&mut *tx, APPEAL_PREFIX, today.year()).await?;
    let id = platform::ids::new_id();
    let token = store::new_tracker_token();
    let c = &appeal.contact;
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    sqlx::query(
        "INSERT INTO casework_asb_appeal (id, reference, submission_key, received_at, received_on, application_id, grounds, \
         full_name, postal_address, postcode, email, telephone, contact_method, review_body_name, review_body_id, \
         decision_letter_on, review_reference, supporting_information, consent, timescales, in_time, tracker_token_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 1, $19, $20, $21)",
    )
    .bind(&id)
    .bind(reference.to_string())
    .bind(submission_key)
    .bind(db::timestamp(now))
    .bind(db::date(today))
    .bind(linked.as_ref().map(|a| a.id.clone()))
    .bind(appeal.grounds.join(","))
    .bind(&c.full_name)
    .bind(opt(&c.postal_address))
    .bind(c.postcode_text())
    .bind(opt(&c.email))
    .bind(opt(&c.telephone))
    .bind(c.method.form_value())
    .bind(&appeal.review_body)
    .bind(linked.as_ref().map(|a| a.review_body_id.clone()).or(known_body))
    .bind(db::date(appeal.decision_letter_on))
    .bind(opt(&appeal.review_reference))
    .bind(&appeal.supporting)
    .bind(serde_json::to_string(timescales).unwrap_or_default())
    .bind(i64::from(in_time))
    .bind(sha256_hex(&token))
    .execute(&mut *tx)
    .await?;
    for upload in uploads {
        platform::files::record(&mut tx, upload, APPEAL_FILES, &id, now).await?;
    }
    let detail = format!(
        "grounds {}; {}; {}",
        appeal.grounds.join(", "),
        if in_time { "in time" } else { "out of time" },
        if linked.is_some() { "linked to its review" } else { "review not in Commissioner" }
    );
    audit::record(
        &mut tx,
        actor,
        Event { action: "appealed", record_type: "ASB case review appeal", record_id: &reference.to_string(), detail: &detail },
        now,
    )
    .await?;
    let decision_due = timescales::appeal_step(today, None, timescales, calendar).due_on;
    let timing = if in_time {
        "Your appeal arrived in time.".to_string()
    } else {
        format!(
            "Appeals should reach us within {} working days of the decision letter, which was by {}. We will decide whether we can still consider your appeal and tell you.",
            timescales.appeal_window,
            calendar::long_date(window_ends)
        )
    };
    let link = format!("{}/asb-case-review/track/{token}", platform.settings().public_url.trim_end_matches('/'));
    let letter = letters::compose(
        pool,
        &super::letters::KINDS,
        "appeal-acknowledgement",
        &[
            ("name", c.full_name.clone()),
            ("reference", reference.to_string()),
            ("office", office_name.to_string()),
            ("timing", timing),
            ("decision_due", calendar::long_date(decision_due)),
            (
                "tracker_link",
                if c.email.is_empty() { "use your reference and postcode on our website".into() } else { link.clone() },
            ),
        ],
    )
    .await?;
    // The acknowledgement goes the way they asked; anyone who gave an email address also gets
    // a confirmation by email, since only email can carry the private tracker link at once.
    let by_email = c.method == ContactMethod::Email && !c.email.is_empty();
    store::record_letter(&mut tx, platform.settings(), "appeal", &id, &letter, by_email.then_some(c.email.as_str()), actor, now)
        .await?;
    if !by_email && !c.email.is_empty() {
        let confirmation = letters::LetterText {
            kind: "confirmation",
            subject: format!("ASB Case Review appeal {reference}"),
            body: format!(
                "Dear {},\n\nWe have your appeal. Your reference is {reference}. We will write to you by {} as you asked.\n\nSee where your appeal has got to at any time (keep this link private):\n{link}\n\n{office_name}",
                c.full_name,
                c.method.name().to_lowercase()
            ),
        };
        platform::mail::enqueue(&mut tx, platform.settings(), &confirmation.email(&c.email)).await?;
    }
    tx.commit().await?;
    tracing::info!(reference = %reference, in_time, "ASB case review appeal received");
    Ok(reference)
}

#[derive(Template)]
#[template(path = "asb/appeal_sent.html")]
struct SentPage {
    chrome: Chrome,
    reference: String,
    in_time: bool,
    decision_due: String,
    emailed: bool,
}

async fn sent(
    State(platform): State<Platform>,
    chrome: Chrome,
    Path(submission_key): Path<String>,
) -> Result<Response, AppError> {
    if !platform::ids::is_well_formed(&submission_key) {
        return Err(AppError::NotFound);
    }
    let appeal = find_by_submission_key(platform.pool(), &submission_key).await?.ok_or(AppError::NotFound)?;
    let calendar = calendar::store::for_nation(platform.pool(), Nation::EnglandAndWales).await?;
    let due = timescales::appeal_step(appeal.received(), None, &appeal.timescales(), &calendar).due_on;
    render(&SentPage {
        chrome,
        reference: appeal.reference.clone(),
        in_time: appeal.in_time != 0,
        decision_due: calendar::long_date(due),
        emailed: appeal.email.is_some(),
    })
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StoredAppeal {
    pub id: String,
    pub reference: String,
    pub received_on: String,
    pub application_id: Option<String>,
    pub application_reference: Option<String>,
    pub grounds: String,
    pub full_name: String,
    pub postal_address: Option<String>,
    pub postcode: String,
    pub email: Option<String>,
    pub telephone: Option<String>,
    pub contact_method: String,
    pub review_body_name: String,
    pub review_body_id: Option<String>,
    pub decision_letter_on: String,
    pub review_reference: Option<String>,
    pub supporting_information: String,
    pub timescales: String,
    pub in_time: i64,
    pub assigned_to: Option<String>,
    pub hearing_decision: Option<String>,
    pub outcome: Option<String>,
    pub directions: Option<String>,
    pub reasons: Option<String>,
    pub decided_on: Option<String>,
    pub decided_by: Option<String>,
    pub anonymised_at: Option<String>,
}

impl StoredAppeal {
    pub fn received(&self) -> Date {
        db::parse_date(&self.received_on).unwrap_or(Date::MIN)
    }
    pub fn timescales(&self) -> Timescales {
        serde_json::from_str(&self.timescales).unwrap_or_default()
    }
    pub fn decided(&self) -> Option<Date> {
        self.decided_on.as_deref().and_then(db::parse_date)
    }
    pub fn grounds_list(&self) -> Vec<&str> {
        self.grounds.split(',').filter(|g| !g.is_empty()).map(super::ground_name).collect()
    }
    pub fn outcome_name(&self) -> &'static str {
        match self.outcome.as_deref() {
            Some("upheld") => "Upheld: referred back to the review body",
            Some("not-upheld") => "Not upheld",
            Some("not-heard") => "Not heard: out of time",
            _ => "Not decided yet",
        }
    }
}

const APPEAL_SELECT: &str = "SELECT p.id, p.reference, p.received_on, p.application_id, a.reference AS application_reference, p.grounds, \
    p.full_name, p.postal_address, p.postcode, p.email, p.telephone, p.contact_method, p.review_body_name, p.review_body_id, \
    p.decision_letter_on, p.review_reference, p.supporting_information, p.timescales, p.in_time, p.assigned_to, \
    p.hearing_decision, p.outcome, p.directions, p.reasons, p.decided_on, p.decided_by, p.anonymised_at \
    FROM casework_asb_appeal p LEFT JOIN casework_asb_application a ON a.id = p.application_id";

pub async fn find_by_submission_key(pool: &Pool, key: &str) -> Result<Option<StoredAppeal>, sqlx::Error> {
    let sql = format!("{APPEAL_SELECT} WHERE p.submission_key = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(key).fetch_optional(pool).await
}

pub async fn find(pool: &Pool, reference: &str) -> Result<Option<StoredAppeal>, sqlx::Error> {
    let sql = format!("{APPEAL_SELECT} WHERE p.reference = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(reference).fetch_optional(pool).await
}

pub async fn find_by_token(pool: &Pool, token: &str) -> Result<Option<StoredAppeal>, sqlx::Error> {
    let sql = format!("{APPEAL_SELECT} WHERE p.tracker_token_hash = $1");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(sha256_hex(token)).fetch_optional(pool).await
}

pub async fn appeals_of_application(pool: &Pool, application_id: &str) -> Result<Vec<StoredAppeal>, sqlx::Error> {
    let sql = format!("{APPEAL_SELECT} WHERE p.application_id = $1 ORDER BY p.received_on");
    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(application_id).fetch_all(pool).await
}

/// Appeals for the queue, optionally only one review body's.
pub async fn list(pool: &Pool, include_decided: bool, review_body: Option<&str>) -> Result<Vec<StoredAppeal>, sqlx::Error> {
    let mut sql = format!("{APPEAL_SELECT} WHERE 1 = 1");
    if !include_decided {
        sql.push_str(" AND p.outcome IS NULL");
    }
    if review_body.is_some() {
        sql.push_str(" AND p.review_body_id = $1");
    }
    sql.push_str(" ORDER BY p.received_on, p.reference");
    let query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
    let query = if let Some(body) = review_body { query.bind(body.to_string()) } else { query };
    query.fetch_all(pool).await
}

#[cfg(test)]
mod tests;
