//! The office's settings for police complaint reviews: the force, its Professional Standards
//! Department (whose partner accounts see the force's cases, and which receives requests for
//! files and recommendations), the local targets, and the share of closed reviews checked a
//! second time. Administrators change them on one page; every change is audited.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Actor, Event};
use platform::db::{self, Pool, StoreError};
use platform::organisations::{self, Kind, NewOrganisation};
use platform::web::forms::{FormErrors, TextInput};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome};
use serde::Deserialize;
use time::OffsetDateTime;

use super::timescales::Timescales;

type PolicyRow = (String, String, String, Option<String>, String, i64);

/// LOCAL default: a tenth of closed reviews are checked by a second reviewer each quarter.
pub const DEFAULT_QUALITY_SAMPLE_PERCENT: i64 = 10;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintPolicy {
    pub force_name: String,
    pub psd_name: String,
    pub psd_email: String,
    /// The partner organisation whose accounts answer for the force (platform::organisations):
    /// linked to the organisation of `psd_name` when first saved, renamed on the organisations page.
    pub psd_organisation_id: Option<String>,
    pub timescales: Timescales,
    pub quality_sample_percent: i64,
}

impl Default for ComplaintPolicy {
    fn default() -> Self {
        ComplaintPolicy {
            force_name: "the police force".into(),
            psd_name: "Professional Standards Department".into(),
            psd_email: String::new(),
            psd_organisation_id: None,
            timescales: Timescales::default(),
            quality_sample_percent: DEFAULT_QUALITY_SAMPLE_PERCENT,
        }
    }
}

/// The settings, or the defaults until an administrator saves them.
pub async fn load(pool: &Pool) -> Result<ComplaintPolicy, sqlx::Error> {
    let row: Option<PolicyRow> = sqlx::query_as(
        "SELECT force_name, psd_name, psd_email, psd_organisation_id, timescales, quality_sample_percent \
         FROM casework_complaint_policy WHERE id = 1",
    )
    .fetch_optional(pool)
    .await?;
    let Some((force_name, psd_name, psd_email, psd_organisation_id, timescales, quality_sample_percent)) = row else {
        return Ok(ComplaintPolicy::default());
    };
    Ok(ComplaintPolicy {
        force_name,
        psd_name,
        psd_email,
        psd_organisation_id,
        timescales: serde_json::from_str(&timescales).map_err(|e| sqlx::Error::Decode(e.into()))?,
        quality_sample_percent,
    })
}

/// The complaints share of setting up the office: the force and its professional standards
/// department (from `platform::areas`), unless the settings were saved already. The department's
/// email address is left for an administrator.
pub async fn set_up(
    pool: &Pool,
    office: &platform::office::Office,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    let saved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM casework_complaint_policy").fetch_one(pool).await?;
    let Some(area) = platform::areas::force_area(&office.force_area) else { return Ok(()) };
    if saved > 0 {
        return Ok(());
    }
    let policy =
        ComplaintPolicy { force_name: area.force.into(), psd_name: area.professional_standards(), ..ComplaintPolicy::default() };
    save(pool, &policy, actor, now).await
}

/// Saves the settings. The PSD's organisation, once linked, stays linked; the first save links
/// the organisation of the PSD's name, adding it if there is none.
pub async fn save(pool: &Pool, policy: &ComplaintPolicy, actor: &Actor, now: OffsetDateTime) -> Result<(), StoreError> {
    let timescales = serde_json::to_string(&policy.timescales).map_err(|e| sqlx::Error::Encode(e.into()))?;
    let mut tx = platform::db::begin_write(pool).await?;
    let linked: Option<Option<String>> =
        sqlx::query_scalar("SELECT psd_organisation_id FROM casework_complaint_policy WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?;
    let psd_organisation_id = match linked.flatten() {
        Some(id) => id,
        None => {
            let email = Some(policy.psd_email.as_str());
            match organisations::find_or_add(
                &mut tx,
                NewOrganisation { name: &policy.psd_name, kind: Kind::ForcePsd, email },
                actor,
                now,
            )
            .await
            {
                Ok(organisation) => organisation.id,
                Err(organisations::OrganisationError::Database(e)) => return Err(e.into()),
                // The settings page checks the name first; anything else is a fault, not an outage.
                Err(refused) => return Err(StoreError::Fault(refused.to_string())),
            }
        }
    };
    sqlx::query(
        "INSERT INTO casework_complaint_policy (id, force_name, psd_name, psd_email, psd_organisation_id, timescales, \
         quality_sample_percent, updated_at) VALUES (1, $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET \
         force_name = $1, psd_name = $2, psd_email = $3, psd_organisation_id = $4, timescales = $5, quality_sample_percent = $6, \
         updated_at = $7",
    )
    .bind(&policy.force_name)
    .bind(&policy.psd_name)
    .bind(&policy.psd_email)
    .bind(&psd_organisation_id)
    .bind(timescales)
    .bind(policy.quality_sample_percent)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let detail = format!(
        "force {}; PSD {} <{}>; acknowledge {} / file {} / decision {} working days; quality sample {}%",
        policy.force_name,
        policy.psd_name,
        policy.psd_email,
        policy.timescales.acknowledge,
        policy.timescales.complaint_file,
        policy.timescales.decision,
        policy.quality_sample_percent
    );
    audit::record(
        &mut tx,
        actor,
        Event { action: "changed", record_type: "complaint review settings", record_id: "1", detail: &detail },
        now,
    )
    .await?;
    Ok(tx.commit().await?)
}

pub fn routes() -> Routes {
    Routes::new().route("/staff/complaint-reviews/settings", Access::Roles(&[Role::Administrator]), get(show).post(change))
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct SettingsForm {
    #[serde(rename = "force-name")]
    force_name: String,
    #[serde(rename = "psd-name")]
    psd_name: String,
    #[serde(rename = "psd-email")]
    psd_email: String,
    acknowledge: String,
    #[serde(rename = "complaint-file")]
    complaint_file: String,
    decision: String,
    #[serde(rename = "quality-sample")]
    quality_sample: String,
}

impl SettingsForm {
    fn of(policy: &ComplaintPolicy) -> Self {
        SettingsForm {
            force_name: policy.force_name.clone(),
            psd_name: policy.psd_name.clone(),
            psd_email: policy.psd_email.clone(),
            acknowledge: policy.timescales.acknowledge.to_string(),
            complaint_file: policy.timescales.complaint_file.to_string(),
            decision: policy.timescales.decision.to_string(),
            quality_sample: policy.quality_sample_percent.to_string(),
        }
    }

    /// The settings the form describes, or what is wrong with it.
    fn check(&self) -> Result<ComplaintPolicy, FormErrors> {
        let mut errors = FormErrors::new();
        let text = |errors: &mut FormErrors, field: &str, value: &str, empty: &str| {
            let value = value.trim().to_string();
            if value.is_empty() {
                errors.add(field, empty);
            } else if value.chars().count() > 200 {
                errors.add(field, "This must be 200 characters or fewer");
            }
            value
        };
        let force_name = text(&mut errors, "force-name", &self.force_name, "Enter the force’s name");
        let psd_name = text(&mut errors, "psd-name", &self.psd_name, "Enter the Professional Standards Department’s name");
        let psd_email = self.psd_email.trim().to_string();
        if !platform::contact::is_email(&psd_email) {
            errors.add("psd-email", "Enter the department’s email address, like psd@police.example");
        }
        // Anything not a number reads as 0, which `problems` refuses with the range to use.
        let days = |value: &str| value.trim().parse::<u32>().unwrap_or(0).min(1000);
        let timescales = Timescales {
            acknowledge: days(&self.acknowledge),
            complaint_file: days(&self.complaint_file),
            decision: days(&self.decision),
        };
        for (field, message) in timescales.problems() {
            errors.add(field, message);
        }
        let quality_sample_percent = match self.quality_sample.trim().parse::<i64>() {
            Ok(n) if (0..=100).contains(&n) => n,
            _ => {
                errors.add("quality-sample", "Enter a whole number from 0 to 100");
                0
            }
        };
        if errors.is_empty() {
            Ok(ComplaintPolicy { force_name, psd_name, psd_email, psd_organisation_id: None, timescales, quality_sample_percent })
        } else {
            Err(errors)
        }
    }
}

#[derive(Template)]
#[template(path = "complaints/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    form: SettingsForm,
    errors: FormErrors,
    saved: bool,
}

impl SettingsPage {
    fn force_name(&self) -> TextInput<'_> {
        TextInput::new("force-name", "Police force", &self.form.force_name, &self.errors)
    }
    fn psd_name(&self) -> TextInput<'_> {
        TextInput::new("psd-name", "Professional Standards Department", &self.form.psd_name, &self.errors)
            .hint("Saving links the department’s organisation (added if there is none). Its partner accounts see the force’s reviews once a file is requested; rename it on the organisations page.")
    }
    fn psd_email(&self) -> TextInput<'_> {
        TextInput::new("psd-email", "Department email address", &self.form.psd_email, &self.errors)
            .input_type("email")
            .hint("Requests for complaint files and for responses to recommendations go here.")
    }
    fn days<'a>(&'a self, name: &'a str, label: &'a str, value: &'a str) -> TextInput<'a> {
        TextInput::new(name, label, value, &self.errors).width("govuk-input--width-3").hint("Working days")
    }
    fn acknowledge(&self) -> TextInput<'_> {
        self.days("acknowledge", "Acknowledge a request", &self.form.acknowledge)
    }
    fn complaint_file(&self) -> TextInput<'_> {
        self.days("complaint-file", "Force to send the complaint file, after it is asked for", &self.form.complaint_file)
    }
    fn decision(&self) -> TextInput<'_> {
        self.days("decision", "Decide the review, after the complaint file arrives", &self.form.decision)
    }
    fn quality_sample(&self) -> TextInput<'_> {
        TextInput::new(
            "quality-sample",
            "Share of closed reviews checked by a second reviewer",
            &self.form.quality_sample,
            &self.errors,
        )
        .width("govuk-input--width-3")
        .hint("A percentage from 0 to 100. The default is 10.")
    }
}

async fn show(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let policy = load(platform.pool()).await?;
    render(&SettingsPage { chrome, form: SettingsForm::of(&policy), errors: FormErrors::new(), saved: false })
}

async fn change(StaffPage { platform, chrome, staff }: StaffPage, Form(form): Form<SettingsForm>) -> Result<Response, AppError> {
    match form.check() {
        Ok(policy) => {
            save(platform.pool(), &policy, &staff.actor(), OffsetDateTime::now_utc()).await?;
            render(&SettingsPage { chrome, form: SettingsForm::of(&policy), errors: FormErrors::new(), saved: true })
        }
        Err(errors) => {
            let page = render(&SettingsPage { chrome: chrome.with_errors(true), form, errors, saved: false })?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
    }
}
