//! The administrators' view of the working-day calendar: each nation's bank holidays for a year,
//! and whether an imported GOV.UK list confirmed them or they are only computed by rule.

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use axum::routing::get;

use super::{BankHoliday, Nation, bank_holidays, long_date, store, time_and_date, uk_today};
use crate::access::{Access, Role, Routes};
use crate::periods::YearQuery;
use crate::web::{PageRequest, render};
use crate::{AppError, Chrome};

const ADMINS: &[Role] = &[Role::Administrator];

pub fn routes() -> Routes {
    Routes::new().route("/staff/admin/calendar", Access::Roles(ADMINS), get(show))
}

/// One nation's year: its holidays, and the import that confirmed them, if one did.
struct NationYear {
    nation: Nation,
    holidays: Vec<BankHoliday>,
    /// When and from where, in words.
    confirmed: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    year: i32,
    years: Vec<i32>,
    nations: Vec<NationYear>,
}

impl CalendarPage {
    fn day(&self, holiday: &BankHoliday) -> String {
        long_date(holiday.date)
    }
}

/// The years offered: last year to three years ahead.
fn years_around(this_year: i32) -> Vec<i32> {
    (this_year - 1..=this_year + 3).collect()
}

async fn show(PageRequest { platform, chrome }: PageRequest, Query(query): Query<YearQuery>) -> Result<Response, AppError> {
    let years = years_around(uk_today().year());
    let year = match query.year.trim() {
        "" => uk_today().year(),
        text => text.parse::<i32>().ok().filter(|y| years.contains(y)).ok_or(AppError::NotFound)?,
    };
    let changes = store::all_changes(platform.pool()).await?;
    let confirmed = store::confirmed(platform.pool()).await?;
    let nations = Nation::ALL
        .into_iter()
        .map(|nation| NationYear {
            nation,
            holidays: bank_holidays(nation, year, &changes),
            confirmed: confirmed.get(&(nation, year)).map(|(at, source)| {
                let when = crate::db::parse_timestamp(at).map(time_and_date).unwrap_or_else(|| at.clone());
                format!("Confirmed by the list imported at {when} from {source}.")
            }),
        })
        .collect();
    render(&CalendarPage { chrome, year, years, nations })
}
