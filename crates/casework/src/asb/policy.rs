//! The office's local settings for ASB Case Reviews: the threshold, the timescales, how long
//! closed cases are kept, and which review body covers which district. Administrators change
//! them on one page; every change is audited.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool, StoreError};
use platform::organisations::{self, Kind, NewOrganisation};
use platform::web::forms::{Choice, Choices, FormErrors, TextInput};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome};
use serde::Deserialize;
use time::OffsetDateTime;

use super::threshold::ThresholdRule;
use super::timescales::Timescales;

/// The retention column of this table predates the kit's retention periods
/// (`casekit::retention`); it is no longer read, but its NOT NULL needs a value.
const RETENTION_COLUMN_NO_LONGER_READ: i64 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    pub threshold: ThresholdRule,
    pub timescales: Timescales,
}

/// The office's policy, or the defaults until an administrator saves one.
pub async fn load(pool: &Pool) -> Result<Policy, sqlx::Error> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT threshold, timescales FROM casework_asb_policy WHERE id = 1").fetch_optional(pool).await?;
    let Some((threshold, timescales)) = row else { return Ok(Policy::default()) };
    let decode = |e: serde_json::Error| sqlx::Error::Decode(e.into());
    Ok(Policy {
        threshold: serde_json::from_str(&threshold).map_err(decode)?,
        timescales: serde_json::from_str(&timescales).map_err(decode)?,
    })
}

pub async fn save(pool: &Pool, policy: &Policy, actor: &Actor, now: OffsetDateTime) -> Result<(), sqlx::Error> {
    let threshold = serde_json::to_string(&policy.threshold).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let timescales = serde_json::to_string(&policy.timescales).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let mut tx = platform::db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO casework_asb_policy (id, threshold, timescales, retention_years, updated_at) VALUES (1, $1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET threshold = $1, timescales = $2, retention_years = $3, updated_at = $4",
    )
    .bind(&threshold)
    .bind(&timescales)
    .bind(RETENTION_COLUMN_NO_LONGER_READ)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let detail = format!("threshold {threshold}; timescales {timescales}");
    audit::record(
        &mut tx,
        actor,
        Event { action: "changed", record_type: "ASB case review policy", record_id: "1", detail: &detail },
        now,
    )
    .await?;
    tx.commit().await
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReviewBody {
    pub id: String,
    pub name: String,
    pub email: String,
    /// The partner organisation whose accounts act for it (platform::organisations).
    pub organisation_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct District {
    pub id: String,
    pub name: String,
    pub review_body_id: String,
    pub review_body_name: String,
}

pub async fn review_bodies(pool: &Pool) -> Result<Vec<ReviewBody>, sqlx::Error> {
    sqlx::query_as("SELECT id, name, email, organisation_id FROM casework_asb_review_body ORDER BY name").fetch_all(pool).await
}

pub async fn districts(pool: &Pool) -> Result<Vec<District>, sqlx::Error> {
    sqlx::query_as(
        "SELECT d.id, d.name, d.review_body_id, b.name AS review_body_name FROM casework_asb_district d \
         JOIN casework_asb_review_body b ON b.id = d.review_body_id ORDER BY d.position, d.name",
    )
    .fetch_all(pool)
    .await
}

/// A short stable id from a name: "Stoke-on-Trent" → "stoke-on-trent".
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for c in name.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(60).collect()
}

/// Adds a review body and the districts it covers (used by the settings page and the demo), linked
/// to the partner organisation of its name, which is added if there is none.
pub async fn add_review_body(
    pool: &Pool,
    name: &str,
    email: &str,
    district_names: &[&str],
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<String, StoreError> {
    let id = slug_of(name);
    let mut tx = platform::db::begin_write(pool).await?;
    let organisation = match organisations::find_or_add(
        &mut tx,
        NewOrganisation { name, kind: Kind::ReviewBody, email: Some(email) },
        actor,
        now,
    )
    .await
    {
        Ok(organisation) => organisation,
        Err(organisations::OrganisationError::Database(e)) => return Err(e.into()),
        // The settings page checks the name first; anything else is a fault, not an outage.
        Err(refused) => return Err(StoreError::Fault(refused.to_string())),
    };
    sqlx::query("INSERT INTO casework_asb_review_body (id, name, email, organisation_id) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(name)
        .bind(email)
        .bind(&organisation.id)
        .execute(&mut *tx)
        .await?;
    let position: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(position), 0) FROM casework_asb_district").fetch_one(&mut *tx).await?;
    for (offset, district) in district_names.iter().enumerate() {
        sqlx::query("INSERT INTO casework_asb_district (id, name, review_body_id, position) VALUES ($1, $2, $3, $4)")
            .bind(slug_of(district))
            .bind(*district)
            .bind(&id)
            .bind(position + 1 + offset as i64)
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("{name} <{email}> covering {}", district_names.join(", "));
    audit::record(
        &mut tx,
        actor,
        Event { action: "added", record_type: "ASB review body", record_id: &id, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The ASB share of setting up the office: each community safety partnership of its area as a
/// review body covering its districts (from `platform::areas`), without an email address until an
/// administrator adds one. A partnership already there, or a district already covered, is left
/// as staff made it.
pub async fn set_up(
    pool: &Pool,
    office: &platform::office::Office,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let bodies = review_bodies(pool).await?;
    let covered = districts(pool).await?;
    for (partnership, members) in platform::areas::districts::partnerships_of(&office.force_area) {
        let name = format!("{} Community Safety Partnership", partnership.name);
        if bodies.iter().any(|b| b.id == slug_of(&name) || b.name.eq_ignore_ascii_case(&name)) {
            continue;
        }
        let names: Vec<&str> = members
            .iter()
            .map(|d| d.name.as_str())
            .filter(|n| !covered.iter().any(|d| d.id == slug_of(n) || d.name.eq_ignore_ascii_case(n)))
            .collect();
        if !names.is_empty() {
            add_review_body(pool, &name, "", &names, actor, now).await?;
        }
    }
    Ok(())
}

pub fn routes() -> Routes {
    const ADMINS: &[Role] = &[Role::Administrator];
    Routes::new().route("/staff/asb-case-reviews/settings", Access::Roles(ADMINS), get(show).post(save_settings)).route(
        "/staff/asb-case-reviews/settings/review-bodies",
        Access::Roles(ADMINS),
        post(add_body),
    )
}

/// The settings form, as text so a mistake is shown back as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    #[serde(rename = "min-reports")]
    pub min_reports: String,
    #[serde(rename = "window-months")]
    pub window_months: String,
    #[serde(rename = "reporting-lag-months")]
    pub reporting_lag_months: String,
    #[serde(rename = "min-distinct-reporters")]
    pub min_distinct_reporters: String,
    pub variants: Vec<String>,
    pub acknowledge: String,
    #[serde(rename = "threshold-decision")]
    pub threshold_decision: String,
    #[serde(rename = "review-meeting")]
    pub review_meeting: String,
    #[serde(rename = "outcome-letter")]
    pub outcome_letter: String,
    #[serde(rename = "appeal-window")]
    pub appeal_window: String,
    #[serde(rename = "appeal-decision")]
    pub appeal_decision: String,
}

impl SettingsForm {
    fn of(policy: &Policy) -> Self {
        let t = &policy.threshold;
        let s = &policy.timescales;
        let mut variants = Vec::new();
        if t.single_hate_incident {
            variants.push("hate".into());
        }
        if t.require_continuing {
            variants.push("continuing".into());
        }
        Self {
            min_reports: t.min_reports.to_string(),
            window_months: t.window_months.to_string(),
            reporting_lag_months: t.reporting_lag_months.to_string(),
            min_distinct_reporters: t.min_distinct_reporters.to_string(),
            variants,
            acknowledge: s.acknowledge.to_string(),
            threshold_decision: s.threshold_decision.to_string(),
            review_meeting: s.review_meeting.to_string(),
            outcome_letter: s.outcome_letter.to_string(),
            appeal_window: s.appeal_window.to_string(),
            appeal_decision: s.appeal_decision.to_string(),
        }
    }

    /// The policy the form describes, or what is wrong with it.
    pub fn parse(&self) -> Result<Policy, FormErrors> {
        let mut errors = FormErrors::new();
        let mut number = |field: &str, text: &str| -> u32 {
            match text.trim().parse::<u32>() {
                Ok(n) => n,
                Err(_) => {
                    errors.add(field, "Enter a whole number");
                    0
                }
            }
        };
        let threshold = ThresholdRule {
            min_reports: number("min-reports", &self.min_reports),
            window_months: number("window-months", &self.window_months),
            reporting_lag_months: number("reporting-lag-months", &self.reporting_lag_months),
            min_distinct_reporters: number("min-distinct-reporters", &self.min_distinct_reporters),
            single_hate_incident: self.variants.iter().any(|v| v == "hate"),
            require_continuing: self.variants.iter().any(|v| v == "continuing"),
        };
        let timescales = Timescales {
            acknowledge: number("acknowledge", &self.acknowledge),
            threshold_decision: number("threshold-decision", &self.threshold_decision),
            review_meeting: number("review-meeting", &self.review_meeting),
            outcome_letter: number("outcome-letter", &self.outcome_letter),
            appeal_window: number("appeal-window", &self.appeal_window),
            appeal_decision: number("appeal-decision", &self.appeal_decision),
        };
        for (field, message) in threshold.problems().into_iter().chain(timescales.problems()) {
            errors.add(field, message);
        }
        if errors.is_empty() { Ok(Policy { threshold, timescales }) } else { Err(errors) }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct BodyForm {
    name: String,
    email: String,
    districts: String,
}

#[derive(Template)]
#[template(path = "asb/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    form: SettingsForm,
    body: BodyForm,
    errors: FormErrors,
    districts: Vec<District>,
    saved: bool,
}

impl SettingsPage {
    fn number<'a>(&'a self, name: &'a str, label: &'a str, value: &'a str, hint: &'a str) -> String {
        let input = TextInput::new(name, label, value, &self.errors).width("govuk-input--width-3").hint(hint);
        askama::Template::render(&input.input_type("text")).unwrap_or_default()
    }
    fn variants(&self) -> Choices<'_> {
        Choices::checkboxes(
            "variants",
            "Local variations",
            vec![
                Choice::with_hint(
                    "hate",
                    "A single incident motivated by hate is enough",
                    "Used in Wales and several English areas.",
                ),
                Choice::with_hint(
                    "continuing",
                    "The behaviour must still be happening",
                    "Some areas’ published procedures ask for this.",
                ),
            ],
            self.form.variants.iter().map(String::as_str).collect(),
            &self.errors,
        )
    }
    fn body_name(&self) -> TextInput<'_> {
        TextInput::new("name", "Name of the review body", &self.body.name, &self.errors)
            .hint("Its partner organisation is linked by this name (added if there is none); that organisation’s partner accounts see this body’s cases.")
    }
    fn body_email(&self) -> TextInput<'_> {
        TextInput::new("email", "Email address for new cases", &self.body.email, &self.errors).input_type("email")
    }
    fn body_districts(&self) -> TextInput<'_> {
        TextInput::new("districts", "Districts it covers", &self.body.districts, &self.errors)
            .hint("Separate districts with commas, as applicants will see them.")
    }
}

async fn show(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let policy = load(platform.pool()).await?;
    let districts = districts(platform.pool()).await?;
    let saved = false;
    render(&SettingsPage {
        chrome,
        form: SettingsForm::of(&policy),
        body: BodyForm::default(),
        errors: FormErrors::new(),
        districts,
        saved,
    })
}

async fn save_settings(
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(form): Form<SettingsForm>,
) -> Result<Response, AppError> {
    match form.parse() {
        Ok(policy) => {
            save(platform.pool(), &policy, &staff.actor(), OffsetDateTime::now_utc()).await?;
            let districts = districts(platform.pool()).await?;
            let page =
                SettingsPage { chrome, form, body: BodyForm::default(), errors: FormErrors::new(), districts, saved: true };
            render(&page)
        }
        Err(errors) => {
            let districts = districts(platform.pool()).await?;
            let chrome = chrome.with_errors(true);
            let page = render(&SettingsPage { chrome, form, body: BodyForm::default(), errors, districts, saved: false })?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}

async fn add_body(StaffPage { platform, chrome, staff }: StaffPage, Form(body): Form<BodyForm>) -> Result<Response, AppError> {
    let mut errors = FormErrors::new();
    let name = body.name.trim();
    if name.is_empty() || slug_of(name).is_empty() {
        errors.add("name", "Enter the name of the review body");
    } else if name.chars().count() > 200 {
        errors.add("name", "The name must be 200 characters or fewer");
    }
    if !platform::contact::is_email(body.email.trim()) {
        errors.add("email", "Enter an email address in the correct format, like csp@example.gov.uk");
    }
    let names: Vec<&str> = body.districts.split(',').map(str::trim).filter(|d| !d.is_empty()).collect();
    if names.is_empty() {
        errors.add("districts", "Enter at least one district");
    }
    let existing = districts(platform.pool()).await?;
    if let Some(taken) = names.iter().find(|n| existing.iter().any(|d| d.id == slug_of(n) || d.name.eq_ignore_ascii_case(n))) {
        errors.add("districts", format!("{taken} is already covered by another review body"));
    }
    if errors.is_empty() {
        match add_review_body(platform.pool(), name, body.email.trim(), &names, &staff.actor(), OffsetDateTime::now_utc()).await {
            Ok(_) => return Ok(Redirect::to("/staff/asb-case-reviews/settings").into_response()),
            Err(StoreError::Database(e)) if db::is_unique_violation(&e) => {
                errors.add("name", "A review body with this name already exists")
            }
            Err(e) => return Err(e.into()),
        }
    }
    let policy = load(platform.pool()).await?;
    let chrome = chrome.with_errors(true);
    let page =
        render(&SettingsPage { chrome, form: SettingsForm::of(&policy), body, errors, districts: existing, saved: false })?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_settings_form_round_trips_and_refuses_an_unlawful_threshold() {
        let policy = Policy::default();
        assert_eq!(SettingsForm::of(&policy).parse(), Ok(policy));
        let mut form = SettingsForm::of(&policy);
        form.min_reports = "5".into();
        form.acknowledge = "soon".into();
        let errors = form.parse().unwrap_err();
        assert!(errors.for_field("min-reports").expect("message").contains("never allows a higher number"));
        assert_eq!(errors.for_field("acknowledge"), Some("Enter a whole number"));
    }

    #[test]
    fn slugs_are_stable_and_plain() {
        assert_eq!(slug_of("Stoke-on-Trent"), "stoke-on-trent");
        assert_eq!(slug_of("  Newcastle  under Lyme!"), "newcastle-under-lyme");
    }
}
