//! Retention periods for every registered service: personal details of a case are removed a
//! number of years after it closes (each service's default, or the office's own from its
//! retention schedule), keeping the dates and decisions the published figures are made from.
//! The daily task asks each service to anonymise what is past its period; an administrator sets
//! the periods on one page, and every change is audited.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Role, Routes};
use platform::audit::{self, Actor, Event};
use platform::calendar;
use platform::db::{self, Pool};
use platform::web::forms::{FormErrors, TextInput};
use platform::web::{Form, PageRequest, StaffPage, render};
use platform::{AppError, Chrome};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

use crate::registry::{CaseService, Services};

mod anonymise;

pub use anonymise::{Anonymise, REMOVED};

/// The daily task's name.
pub const TASK: &str = "casework-retention";
/// The name the task had when only ASB case reviews had a retention period; jobs queued under
/// it before an upgrade still run.
pub const FORMER_TASK: &str = "casework-asb-retention";

/// The shortest and longest periods an office may set, in years.
pub const YEARS: std::ops::RangeInclusive<i64> = 1..=100;

/// The last closing date whose personal details are now past keeping: `years` before `today`
/// (29 February becomes 28 February in a year without one).
pub fn cut_off(today: Date, years: i64) -> Date {
    let years = i32::try_from(years.clamp(*YEARS.start(), *YEARS.end())).unwrap_or(6);
    let year = today.year() - years;
    Date::from_calendar_date(year, today.month(), today.day().min(today.month().length(year))).unwrap_or(today)
}

/// The period in force for a service: the office's, or the service's default.
pub async fn years(pool: &Pool, service: &dyn CaseService) -> Result<i64, sqlx::Error> {
    let set: Option<i64> = sqlx::query_scalar("SELECT years FROM casework_retention WHERE service = $1")
        .bind(service.slug())
        .fetch_optional(pool)
        .await?;
    Ok(set.unwrap_or(service.retention().years))
}

/// Records the office's period for a service, audited.
pub async fn set_years(
    pool: &Pool,
    service: &dyn CaseService,
    years: i64,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    let mut tx = db::begin_write(pool).await?;
    sqlx::query(
        "INSERT INTO casework_retention (service, years, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (service) DO UPDATE SET years = $2, updated_at = $3, updated_by = $4",
    )
    .bind(service.slug())
    .bind(years)
    .bind(db::timestamp(now))
    .bind(&actor.label)
    .execute(&mut *tx)
    .await?;
    let detail = format!("{years} years");
    audit::record(
        &mut tx,
        actor,
        Event { action: "changed retention period", record_type: "service", record_id: service.slug(), detail: &detail },
        now,
    )
    .await?;
    tx.commit().await
}

/// Anonymises every registered service's cases past their period; returns how many.
pub async fn run(services: &Services, pool: &Pool, now: OffsetDateTime) -> Result<usize, sqlx::Error> {
    let today = calendar::uk_local_date(now);
    let mut removed = 0;
    for service in services.iter() {
        let cut = cut_off(today, years(pool, service).await?);
        let count = service.anonymise_closed(pool, cut, now).await?;
        if count > 0 {
            tracing::info!(service = service.slug(), count, "cases past their retention period anonymised");
        }
        removed += count;
    }
    Ok(removed)
}

/// Records in the audit log, in the caller's transaction, that a service's retention run
/// anonymised `removed` records of a kind (nothing is recorded when none were).
pub async fn note_anonymised(
    conn: &mut sqlx::AnyConnection,
    record_type: &str,
    removed: u64,
    now: OffsetDateTime,
) -> Result<(), sqlx::Error> {
    if removed == 0 {
        return Ok(());
    }
    let detail = format!("{removed} anonymised at the end of retention");
    let event = Event { action: "anonymised at the end of retention", record_type, record_id: "-", detail: &detail };
    audit::record(conn, &Actor::system("retention"), event, now).await.map(|_| ())
}

pub fn routes(services: &Services) -> Routes {
    const ADMINS: &[Role] = &[Role::Administrator];
    let (for_show, for_save) = (services.clone(), services.clone());
    Routes::new().route(
        "/staff/admin/retention",
        Access::Roles(ADMINS),
        get(move |page| show(for_show.clone(), page)).post(move |page, form| save(for_save.clone(), page, form)),
    )
}

/// One row of the page: a service, its default and what is typed or in force.
struct Row {
    slug: &'static str,
    name: &'static str,
    default: crate::registry::Retention,
    years: String,
}

#[derive(Template)]
#[template(path = "retention/settings.html")]
struct SettingsPage {
    chrome: Chrome,
    rows: Vec<Row>,
    errors: FormErrors,
    saved: bool,
}

impl SettingsPage {
    fn years_input<'a>(&'a self, row: &'a Row, label: &'a str, hint: &'a str) -> TextInput<'a> {
        let mut input = TextInput::new(row.slug, label, &row.years, &self.errors).width("govuk-input--width-3").hint(hint);
        input.inputmode = Some("numeric");
        input
    }
    fn label(&self, row: &Row) -> String {
        format!("{}: years to keep personal details", row.name)
    }
    fn hint(&self, row: &Row) -> String {
        format!("Counted {}. Unless your retention schedule says otherwise: {} years.", row.default.from, row.default.years)
    }
}

async fn show(services: Services, PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let mut rows = Vec::new();
    for service in services.iter() {
        let years = years(platform.pool(), service).await?;
        rows.push(Row { slug: service.slug(), name: service.name(), default: service.retention(), years: years.to_string() });
    }
    render(&SettingsPage { chrome, rows, errors: FormErrors::new(), saved: false })
}

/// A service and the period typed for it.
type Period = (&'static dyn CaseService, i64);

/// What was typed for each service, checked: the years, or the errors by field.
fn check(services: &Services, typed: &BTreeMap<String, String>) -> (Vec<Row>, Vec<Period>, FormErrors) {
    let mut errors = FormErrors::new();
    let mut rows = Vec::new();
    let mut valid = Vec::new();
    for service in services.iter() {
        let text = typed.get(service.slug()).map(|t| t.trim().to_string()).unwrap_or_default();
        match text.parse::<i64>() {
            Ok(years) if YEARS.contains(&years) => valid.push((service, years)),
            _ if text.is_empty() => errors
                .add(service.slug(), format!("Enter the years to keep personal details of {}", service.name().to_lowercase())),
            _ => {
                errors.add(service.slug(), format!("Enter a whole number of years between {} and {}", YEARS.start(), YEARS.end()))
            }
        }
        rows.push(Row { slug: service.slug(), name: service.name(), default: service.retention(), years: text });
    }
    (rows, valid, errors)
}

async fn save(
    services: Services,
    StaffPage { platform, chrome, staff }: StaffPage,
    Form(typed): Form<BTreeMap<String, String>>,
) -> Result<Response, AppError> {
    let (rows, valid, errors) = check(&services, &typed);
    if !errors.is_empty() {
        let page = render(&SettingsPage { chrome: chrome.with_errors(true), rows, errors, saved: false })?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let now = OffsetDateTime::now_utc();
    for (service, new) in valid {
        if years(platform.pool(), service).await? != new {
            set_years(platform.pool(), service, new, &staff.actor(), now).await?;
        }
    }
    render(&SettingsPage { chrome, rows, errors: FormErrors::new(), saved: true })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn the_cut_off_is_the_same_day_years_before() {
        let cases = [
            (date!(2026 - 12 - 06), 6, date!(2020 - 12 - 06)),
            (date!(2028 - 02 - 29), 1, date!(2027 - 02 - 28)),
            (date!(2028 - 02 - 29), 4, date!(2024 - 02 - 29)),
            (date!(2026 - 01 - 01), 0, date!(2025 - 01 - 01)),
        ];
        for (today, years, expected) in cases {
            assert_eq!(cut_off(today, years), expected, "{today} less {years} years");
        }
    }

    proptest! {
        #[test]
        fn the_cut_off_is_never_after_today_and_later_days_never_cut_earlier(day in 0i64..40_000, years in 1i64..50) {
            let today = date!(1950 - 01 - 01) + time::Duration::days(day);
            let cut = cut_off(today, years);
            prop_assert!(cut < today);
            prop_assert!(cut_off(today + time::Duration::days(1), years) >= cut);
            prop_assert_eq!(i64::from(today.year() - cut.year()), years);
        }
    }
}
