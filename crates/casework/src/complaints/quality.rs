//! Quality assurance: each quarter a share of the reviews closed in it (LOCAL, default 10%) is
//! drawn at random for a second reviewer to check, who records whether they agree and what they
//! found. The draw is made once a quarter, for the quarter just ended, by the daily task (or by
//! an administrator from the page); someone who decided a review cannot check it.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use platform::access::{Access, Routes};
use platform::audit::{self, Actor, Event};
use platform::auth::CurrentStaff;
use platform::calendar;
use platform::db::{self, Pool};
use platform::web::forms::FormErrors;
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome, Platform};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use super::policy;
use super::scope::OFFICE;
use super::store::RECORD_TYPE;
use casekit::widgets::ItemForm;
use platform::periods::Quarter;

/// How many of `closed` reviews a `percent` sample takes: rounded up, so any closed review in a
/// quarter with a non-zero share means at least one is checked.
pub fn sample_size(closed: usize, percent: i64) -> usize {
    let percent = usize::try_from(percent.clamp(0, 100)).unwrap_or(0);
    (closed * percent).div_ceil(100)
}

/// Draws `size` of `ids` at random: each id is ranked by a hash of it with `seed` (a fresh
/// random value per draw, recorded in the audit log so the draw can be shown to be fair).
pub fn draw(ids: &[String], size: usize, seed: &str) -> Vec<String> {
    let mut ranked: Vec<(Vec<u8>, &String)> = ids
        .iter()
        .map(|id| {
            let mut hash = Sha256::new();
            hash.update(seed.as_bytes());
            hash.update(id.as_bytes());
            (hash.finalize().to_vec(), id)
        })
        .collect();
    ranked.sort();
    ranked.dedup_by(|a, b| a.1 == b.1);
    ranked.into_iter().take(size).map(|(_, id)| id.clone()).collect()
}

/// Draws the sample for a quarter unless it was drawn already; returns how many were drawn.
pub async fn draw_quarter(pool: &Pool, quarter: Quarter, actor: &Actor, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let policy = policy::load(pool).await?;
    let mut tx = platform::db::begin_write(pool).await?;
    let drawn: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM casework_complaint_quality_check WHERE quarter = $1")
        .bind(quarter.slug())
        .fetch_one(&mut *tx)
        .await?;
    if drawn > 0 {
        return Ok(0);
    }
    let start = quarter.first_day();
    let end = quarter.next().first_day();
    let closed: Vec<String> = sqlx::query_scalar(
        "SELECT id FROM casework_complaint_review WHERE closed_on >= $1 AND closed_on < $2 AND decided_on IS NOT NULL ORDER BY id",
    )
    .bind(db::date(start))
    .bind(db::date(end))
    .fetch_all(&mut *tx)
    .await?;
    let size = sample_size(closed.len(), policy.quality_sample_percent);
    let seed = platform::ids::new_id();
    let sample = draw(&closed, size, &seed);
    for review_id in &sample {
        sqlx::query("INSERT INTO casework_complaint_quality_check (id, review_id, quarter, sampled_on) VALUES ($1, $2, $3, $4)")
            .bind(platform::ids::new_id())
            .bind(review_id)
            .bind(quarter.slug())
            .bind(db::date(calendar::uk_local_date(now)))
            .execute(&mut *tx)
            .await?;
    }
    let detail = format!("{} of {} closed reviews ({}%), seed {seed}", sample.len(), closed.len(), policy.quality_sample_percent);
    let event = Event {
        action: "drew quality sample",
        record_type: "police complaint review quality",
        record_id: &quarter.slug(),
        detail: &detail,
    };
    audit::record(&mut tx, actor, event, now).await?;
    tx.commit().await?;
    Ok(sample.len())
}

/// The daily task's part: the quarter just ended is drawn once the new one starts.
pub async fn draw_due(pool: &Pool, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let quarter = Quarter::containing(calendar::uk_local_date(now)).previous();
    draw_quarter(pool, quarter, &Actor::system("quality sampling"), now).await
}

pub fn routes() -> Routes {
    Routes::new()
        .route("/staff/complaint-reviews/quality", Access::Roles(OFFICE), get(page))
        .route("/staff/complaint-reviews/quality/draw", Access::Roles(OFFICE), post(draw_now))
        .route("/staff/complaint-reviews/quality/{id}", Access::Roles(OFFICE), post(record))
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct QualityCheck {
    pub id: String,
    pub quarter: String,
    pub reference: String,
    pub decided_by: Option<String>,
    pub checked_by: Option<String>,
    pub agrees: Option<i64>,
    pub findings: Option<String>,
    pub checked_on: Option<String>,
}

pub async fn checks(pool: &Pool) -> Result<Vec<QualityCheck>, sqlx::Error> {
    sqlx::query_as(
        "SELECT q.id, q.quarter, r.reference, r.decided_by, q.checked_by, q.agrees, q.findings, q.checked_on \
         FROM casework_complaint_quality_check q JOIN casework_complaint_review r ON r.id = q.review_id \
         ORDER BY q.quarter DESC, r.reference",
    )
    .fetch_all(pool)
    .await
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct CheckForm {
    agrees: String,
    findings: String,
}

#[derive(Template)]
#[template(path = "complaints/quality.html")]
struct QualityPage {
    chrome: Chrome,
    /// Staff by name, for "decided by", "checked by" and the like.
    names: platform::auth::store::StaffNames,
    checks: Vec<QualityCheck>,
    percent: i64,
    last_quarter: String,
    form: CheckForm,
    errors: FormErrors,
    failed: String,
}

impl QualityPage {
    fn quarter_label(&self, slug: &str) -> String {
        Quarter::from_slug(slug).map(Quarter::label).unwrap_or_else(|| slug.to_string())
    }
    fn item<'a>(&'a self, check: &'a QualityCheck) -> ItemForm<'a> {
        ItemForm { item: &check.id, failed: &self.failed, errors: &self.errors }
    }
    fn agrees(&self, check: &QualityCheck) -> String {
        self.item(check).yes_no("agrees", "Do you agree with the decision?", &self.form.agrees)
    }
    fn findings(&self, check: &QualityCheck) -> String {
        self.item(check).textarea("findings", "Findings", &self.form.findings, 3)
    }
}

async fn render_page(
    platform: &Platform,
    chrome: Chrome,
    form: CheckForm,
    errors: FormErrors,
    failed: String,
) -> Result<Response, AppError> {
    let checks = checks(platform.pool()).await?;
    let policy = policy::load(platform.pool()).await?;
    let last = Quarter::containing(calendar::uk_local_date(OffsetDateTime::now_utc())).previous();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let names = platform::auth::store::StaffNames::load(platform.pool()).await?;
    let page = QualityPage {
        names,
        chrome: chrome.with_errors(!errors.is_empty()),
        checks,
        percent: policy.quality_sample_percent,
        last_quarter: last.label(),
        form,
        errors,
        failed,
    };
    Ok((status, render(&page)?).into_response())
}

async fn page(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    render_page(&platform, chrome, CheckForm::default(), FormErrors::new(), String::new()).await
}

async fn draw_now(State(platform): State<Platform>, staff: CurrentStaff) -> Result<Response, AppError> {
    let now = OffsetDateTime::now_utc();
    let quarter = Quarter::containing(calendar::uk_local_date(now)).previous();
    draw_quarter(platform.pool(), quarter, &staff.actor(), now).await?;
    Ok(Redirect::to("/staff/complaint-reviews/quality").into_response())
}

async fn record(
    StaffPage { platform, chrome, staff }: StaffPage,
    Path(id): Path<String>,
    Form(form): Form<CheckForm>,
) -> Result<Response, AppError> {
    let all = checks(platform.pool()).await?;
    let check = all.iter().find(|c| c.id == id).ok_or(AppError::NotFound)?;
    let mut errors = FormErrors::new();
    if check.decided_by.as_deref() == Some(staff.user.email.as_str()) {
        errors.add(&format!("agrees-{id}"), "You decided this review: a second reviewer must check it");
    }
    if !["yes", "no"].contains(&form.agrees.as_str()) {
        errors.add(&format!("agrees-{id}"), "Select whether you agree with the decision");
    }
    let findings = form.findings.trim().replace("\r\n", "\n");
    if findings.is_empty() {
        errors.add(&format!("findings-{id}"), "Enter what you found");
    } else if findings.chars().count() > 5000 {
        errors.add(&format!("findings-{id}"), "Findings must be 5000 characters or fewer");
    }
    if !errors.is_empty() {
        return render_page(&platform, chrome, form, errors, id).await;
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = platform::db::begin_write(platform.pool()).await?;
    sqlx::query(
        "UPDATE casework_complaint_quality_check SET checked_by = $1, agrees = $2, findings = $3, checked_on = $4 WHERE id = $5",
    )
    .bind(&staff.user.email)
    .bind(i64::from(form.agrees == "yes"))
    .bind(&findings)
    .bind(db::date(calendar::uk_local_date(now)))
    .bind(&id)
    .execute(&mut *tx)
    .await?;
    let detail = format!("quality check: {}", if form.agrees == "yes" { "agrees" } else { "disagrees" });
    audit::record(
        &mut tx,
        &staff.actor(),
        Event { action: "checked quality", record_type: RECORD_TYPE, record_id: &check.reference, detail: &detail },
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(Redirect::to("/staff/complaint-reviews/quality").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_tenth_rounded_up() {
        assert_eq!(sample_size(0, 10), 0);
        assert_eq!(sample_size(1, 10), 1);
        assert_eq!(sample_size(10, 10), 1);
        assert_eq!(sample_size(11, 10), 2);
        assert_eq!(sample_size(95, 10), 10);
        assert_eq!(sample_size(20, 0), 0);
        assert_eq!(sample_size(20, 100), 20);
        assert_eq!(sample_size(20, 250), 20, "a share above 100% is all of them");
    }

    proptest! {
        #[test]
        fn a_draw_is_a_subset_of_the_asked_size_and_depends_on_the_seed_only(
            n in 0usize..60, percent in 0i64..=100, seed in "[a-z0-9]{8}"
        ) {
            let ids: Vec<String> = (0..n).map(|i| format!("review-{i}")).collect();
            let size = sample_size(n, percent);
            let sample = draw(&ids, size, &seed);
            prop_assert_eq!(sample.len(), size);
            for id in &sample {
                prop_assert!(ids.contains(id));
            }
            let mut unique = sample.clone();
            unique.sort();
            unique.dedup();
            prop_assert_eq!(unique.len(), sample.len());
            let mut reversed = ids.clone();
            reversed.reverse();
            let mut again = draw(&reversed, size, &seed);
            let mut first = sample.clone();
            again.sort();
            first.sort();
            prop_assert_eq!(again, first, "the order the ids come in does not change the draw");
        }
    }
}
