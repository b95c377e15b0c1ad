//! Appeals against a case review: the office's own form, made to work whether or not the review
//! was run in Commissioner. An appeal outside the local window is still accepted, and flagged so
//! the office decides whether to hear it.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Path, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::audit::{self, Actor, Event};
use platform::auth::Viewer;
use platform::auth::store::sha256_hex;
use platform::calendar::{self, Nation, WorkingDayCalendar};
use platform::db;
use platform::files::CheckedUpload;
use platform::reference::{self, Reference};
use platform::web::forms::{
    Choice, Choices, DateInput, DateParts, DatePartsInError, FileUpload, FormErrors, TextInput, Textarea, past_date_field,
};
use platform::web::{PageRequest, held, render};
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
        let (decision, marks) =
            past_date_field(&mut errors, "decision", &form.decision_date(), "the date of the decision letter", today);
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
    /// Files sent before with this form, kept while something else was put right.
    held: Vec<platform::files::StoredFile>,
}

impl AppealPage {
    fn grounds(&self) -> Choices<'_> {
        let items = Choice::each(&APPEAL_GROUNDS);
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
                "I agree to this office getting the information it needs to consider my appeal, including personal and sensitive information, from the agencies that considered my case review",
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
    let held = held::held(platform.pool(), &form.submission_key).await?;
    let page = AppealPage {
        held,
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

async fn show_form(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let form = AppealForm { submission_key: platform::ids::new_id(), ..Default::default() };
    appeal_page(&platform, chrome, form, FormErrors::new(), DatePartsInError::default()).await
}

async fn submit(PageRequest { platform, chrome }: PageRequest, viewer: Viewer, request: Request) -> Result<Response, AppError> {
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
    platform::web::forms::merge_upload_errors(&mut errors, &upload_errors);
    let held = held::held(platform.pool(), &form.submission_key).await?;
    let uploads = if held.len() + uploads.len() > MAX_ATTACHMENTS {
        errors.add(
            "attachments",
            format!("You can send up to {MAX_ATTACHMENTS} files with an appeal: you have added {} already", held.len()),
        );
        Vec::new()
    } else {
        uploads
    };
    let appeal = match parsed {
        Ok(appeal) if errors.is_empty() => appeal,
        _ => {
            held::hold(&platform, &form.submission_key, &uploads).await?;
            return appeal_page(&platform, chrome, form, errors, marks).await;
        }
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
    let review_body_id = linked.as_ref().map(|a| a.review_body_id.clone()).or(known_body);
    let arrived =
        Arrived { id: &id, reference: &reference, submission_key, application_id: linked.as_ref().map(|a| a.id.as_str()) };
    records::insert(&mut tx, appeal, &arrived, review_body_id, timescales, in_time, &sha256_hex(&token), now, today).await?;
    for upload in uploads {
        platform::files::record(&mut tx, upload, APPEAL_FILES, &id, now).await?;
    }
    held::hand_over(&mut tx, submission_key, (APPEAL_FILES, &id)).await?;
    let work = platform::office::NewWork {
        what: "ASB case review appeal",
        reference: &reference.to_string(),
        path: format!("/staff/asb-appeals/{reference}"),
        assigned_to: None,
    };
    platform::office::tell_of_new_work(&mut tx, platform.settings(), &work).await?;
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
    let timing = Timing { in_time, window_ends, decision_due: timescales::appeal_step(today, None, timescales, calendar).due_on };
    acknowledge(platform, &mut tx, (&id, &reference, &token), c, &timing, (office_name, timescales.appeal_window), actor, now)
        .await?;
    tx.commit().await?;
    tracing::info!(reference = %reference, in_time, "ASB case review appeal received");
    Ok(reference)
}

/// When an appeal arrived against its window, and when it will be decided.
struct Timing {
    in_time: bool,
    window_ends: Date,
    decision_due: Date,
}

/// The acknowledgement goes the way they asked; anyone who gave an email address also gets a
/// confirmation by email, since only email can carry the private tracker link at once.
#[allow(clippy::too_many_arguments)]
async fn acknowledge(
    platform: &Platform,
    tx: &mut sqlx::AnyConnection,
    (id, reference, token): (&str, &Reference, &str),
    c: &ContactDetails,
    timing: &Timing,
    (office_name, appeal_window): (&str, u32),
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), db::StoreError> {
    let explained = if timing.in_time {
        "Your appeal arrived in time.".to_string()
    } else {
        format!(
            "Appeals should reach us within {appeal_window} working days of the decision letter, which was by {}. We will decide whether we can still consider your appeal and tell you.",
            calendar::long_date(timing.window_ends)
        )
    };
    let link = format!("{}/asb-case-review/track/{token}", platform.settings().public_url.trim_end_matches('/'));
    let letter = letters::compose(
        platform.pool(),
        &super::letters::KINDS,
        "appeal-acknowledgement",
        &[
            ("name", c.full_name.clone()),
            ("reference", reference.to_string()),
            ("office", office_name.to_string()),
            ("timing", explained),
            ("decision_due", calendar::long_date(timing.decision_due)),
            (
                "tracker_link",
                if c.email.is_empty() { "use your reference and postcode on our website".into() } else { link.clone() },
            ),
        ],
    )
    .await?;
    let by_email = c.method == ContactMethod::Email && !c.email.is_empty();
    store::record_letter(tx, platform.settings(), "appeal", id, &letter, by_email.then_some(c.email.as_str()), actor, now)
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
        platform::mail::enqueue(tx, platform.settings(), &confirmation.email(&c.email)).await?;
    }
    Ok(())
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

async fn sent(PageRequest { platform, chrome }: PageRequest, Path(submission_key): Path<String>) -> Result<Response, AppError> {
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
        emailed: appeal.contact.email.is_some(),
    })
}

mod records;

use records::Arrived;
pub use records::{StoredAppeal, appeals_of_application, find, find_by_submission_key, find_by_token, list};

#[cfg(test)]
mod tests;
