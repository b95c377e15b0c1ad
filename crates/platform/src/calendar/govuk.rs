//! The GOV.UK list of bank holidays (<https://www.gov.uk/bank-holidays.json>), which the
//! government updates after every proclamation: reading it, and what it would change in the
//! calendar for the years it covers. Applying the changes is the store's
//! ([`super::store::import`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::Deserialize;
use time::Date;

use super::{CalendarChange, ChangeKind, Nation, bank_holidays};
use crate::db;

/// Where the list is published; `COMMISSIONER_BANK_HOLIDAYS_URL` points elsewhere.
pub const DEFAULT_ADDRESS: &str = "https://www.gov.uk/bank-holidays.json";

#[derive(Deserialize)]
struct Division {
    division: String,
    events: Vec<Event>,
}

#[derive(Deserialize)]
struct Event {
    title: String,
    date: String,
}

/// The holidays a published list gives, and the years of each nation it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedList {
    /// Each nation's holidays, by date, with the title GOV.UK gives.
    pub holidays: BTreeMap<(Nation, Date), String>,
    pub years: BTreeSet<(Nation, i32)>,
}

/// Reads the file, or says what is wrong with it: not JSON of that shape, a division that is not
/// a UK nation, or an event whose date cannot be read (named by its division and position).
pub fn read(json: &str) -> Result<PublishedList, String> {
    let divisions: BTreeMap<String, Division> =
        serde_json::from_str(json).map_err(|e| format!("This is not the GOV.UK bank holidays file: {e}"))?;
    let mut holidays = BTreeMap::new();
    let mut years = BTreeSet::new();
    for (key, division) in divisions {
        let nation: Nation = key.parse()?;
        if division.division != key {
            return Err(format!("The division {key:?} calls itself {:?}", division.division));
        }
        for (position, event) in division.events.into_iter().enumerate() {
            let date = db::parse_date(&event.date).ok_or_else(|| {
                format!("{nation}, holiday {} ({}): the date {:?} is not YYYY-MM-DD", position + 1, event.title, event.date)
            })?;
            years.insert((nation, date.year()));
            holidays.insert((nation, date), event.title);
        }
    }
    if holidays.is_empty() {
        return Err("The file lists no bank holidays".into());
    }
    Ok(PublishedList { holidays, years })
}

/// What the list would change, for each nation and year it covers: a holiday it lists that the
/// calendar does not hold is added; one the calendar holds that it does not list is removed.
pub fn differences(list: &PublishedList, held: &[CalendarChange]) -> Vec<CalendarChange> {
    let mut changes = Vec::new();
    for &(nation, year) in &list.years {
        let held_days: BTreeMap<Date, String> = bank_holidays(nation, year, held).into_iter().map(|h| (h.date, h.name)).collect();
        let listed = list.holidays.range((nation, Date::MIN)..).take_while(|((n, _), _)| *n == nation);
        for ((_, date), title) in listed.filter(|((_, d), _)| d.year() == year) {
            if !held_days.contains_key(date) {
                changes.push(CalendarChange { date: *date, nation, kind: ChangeKind::Added, name: title.clone() });
            }
        }
        for (date, name) in held_days {
            if !list.holidays.contains_key(&(nation, date)) {
                changes.push(CalendarChange { date, nation, kind: ChangeKind::Removed, name });
            }
        }
    }
    changes.sort_by_key(|c| (c.date, c.nation));
    changes
}
