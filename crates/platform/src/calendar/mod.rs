//! Working days in the United Kingdom.
//!
//! Bank holidays are worked out from the rules in the Banking and Financial Dealings Act 1971 and
//! the royal proclamations that have repeated each year since (Easter by the Gregorian computus,
//! the Monday holidays, the fixed days with their substitutes), plus a table of one-off changes
//! such as the 2022 Platinum Jubilee. The one-offs are data: [`built_in_changes`] holds the ones
//! known when this was written and administrators add more (`commissioner calendar add`), which
//! re-times every deadline computed afterwards.
//!
//! Rules hold from 1978, the first year of the early May bank holiday. Years after
//! [`PUBLISHED_THROUGH`] are computed by rule and marked provisional, because a proclamation can
//! still move a holiday.

mod changes;
pub mod govuk;
mod page;
mod rules;
pub mod store;

pub use page::routes;

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use time::{Date, Duration, Month, OffsetDateTime, UtcOffset, Weekday};

pub use changes::built_in_changes;
pub use rules::easter_sunday;

/// The last year the government had published its list for when the built-in changes were written.
pub const PUBLISHED_THROUGH: i32 = 2027;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Nation {
    EnglandAndWales,
    Scotland,
    NorthernIreland,
}

impl Nation {
    pub const ALL: [Nation; 3] = [Nation::EnglandAndWales, Nation::Scotland, Nation::NorthernIreland];

    pub fn slug(self) -> &'static str {
        match self {
            Nation::EnglandAndWales => "england-and-wales",
            Nation::Scotland => "scotland",
            Nation::NorthernIreland => "northern-ireland",
        }
    }
}

impl fmt::Display for Nation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Nation::EnglandAndWales => "England and Wales",
            Nation::Scotland => "Scotland",
            Nation::NorthernIreland => "Northern Ireland",
        })
    }
}

impl FromStr for Nation {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Nation::ALL
            .into_iter()
            .find(|n| n.slug() == s)
            .ok_or_else(|| format!("unknown nation {s:?}: use england-and-wales, scotland or northern-ireland"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BankHoliday {
    pub date: Date,
    pub name: String,
    pub nation: Nation,
    /// Computed by rule for a year the government had not yet published.
    pub provisional: bool,
}

/// A one-off departure from the rules for one nation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarChange {
    pub date: Date,
    pub nation: Nation,
    pub kind: ChangeKind,
    pub name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    /// An extra holiday, or a regular one moved to this date.
    Added,
    /// A regular holiday that did not happen on this date (it was moved).
    Removed,
}

impl ChangeKind {
    pub fn slug(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
        }
    }
}

impl FromStr for ChangeKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "added" => Ok(ChangeKind::Added),
            "removed" => Ok(ChangeKind::Removed),
            other => Err(format!("unknown change {other:?}: use added or removed")),
        }
    }
}

/// The bank holidays of one nation in one year, rules and one-off changes applied, in date order.
pub fn bank_holidays(nation: Nation, year: i32, changes: &[CalendarChange]) -> Vec<BankHoliday> {
    let mut by_date: BTreeMap<Date, String> =
        rules::regular_holidays(nation, year).into_iter().map(|(d, n)| (d, n.to_string())).collect();
    for change in changes.iter().filter(|c| c.nation == nation && c.date.year() == year) {
        match change.kind {
            ChangeKind::Removed => {
                by_date.remove(&change.date);
            }
            ChangeKind::Added => {
                by_date.insert(change.date, change.name.clone());
            }
        }
    }
    by_date.into_iter().map(|(date, name)| BankHoliday { date, name, nation, provisional: year > PUBLISHED_THROUGH }).collect()
}

/// Which days are not working days.
#[derive(Debug, Clone)]
pub struct WorkingDayCalendar {
    nations: Vec<Nation>,
    changes: Vec<CalendarChange>,
    /// FOIA s.10(6) also excludes Christmas Day and Good Friday by name, even where they are
    /// not bank holidays in every nation.
    statutory_christian_days: bool,
}

impl WorkingDayCalendar {
    /// Weekends and the bank holidays of one nation.
    pub fn for_nation(nation: Nation, changes: Vec<CalendarChange>) -> Self {
        Self { nations: vec![nation], changes, statutory_christian_days: false }
    }

    /// The Freedom of Information Act's working day (s.10(6)): not a Saturday or Sunday, not
    /// Christmas Day or Good Friday, and not a bank holiday anywhere in the United Kingdom.
    pub fn freedom_of_information(changes: Vec<CalendarChange>) -> Self {
        Self { nations: Nation::ALL.to_vec(), changes, statutory_christian_days: true }
    }

    pub fn is_working_day(&self, date: Date) -> bool {
        self.why_not_working(date).is_none()
    }

    /// Why a date is not a working day, or `None` when it is one.
    pub fn why_not_working(&self, date: Date) -> Option<String> {
        if matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) {
            return Some(date.weekday().to_string());
        }
        if self.statutory_christian_days {
            if date.month() == Month::December && date.day() == 25 {
                return Some("Christmas Day".into());
            }
            if date == easter_sunday(date.year()) - Duration::days(2) {
                return Some("Good Friday".into());
            }
        }
        self.nations.iter().find_map(|&nation| {
            bank_holidays(nation, date.year(), &self.changes)
                .into_iter()
                .find(|h| h.date == date)
                .map(|h| format!("{} ({nation})", h.name))
        })
    }
}

/// The date `n` working days after `date`, not counting `date` itself: the deadline for
/// "within 20 working days of receipt" is `add_working_days(received, 20, …)`.
pub fn add_working_days(date: Date, n: u32, calendar: &WorkingDayCalendar) -> Date {
    let mut day = date;
    let mut left = n;
    while left > 0 {
        day = day.next_day().expect("dates stay far inside time's range");
        if calendar.is_working_day(day) {
            left -= 1;
        }
    }
    day
}

/// How many working days fall after `start` up to and including `end`; negative when `end`
/// is before `start`. The inverse of [`add_working_days`].
pub fn working_days_between(start: Date, end: Date, calendar: &WorkingDayCalendar) -> i64 {
    let (from, to, sign) = if end >= start { (start, end, 1) } else { (end, start, -1) };
    let mut count = 0i64;
    let mut day = from;
    while day < to {
        day = day.next_day().expect("dates stay far inside time's range");
        if calendar.is_working_day(day) {
            count += 1;
        }
    }
    sign * count
}

/// The date in the United Kingdom at an instant: GMT in winter, BST (UTC+1) from 01:00 UTC on
/// the last Sunday of March to 01:00 UTC on the last Sunday of October. A letter received at
/// 00:30 on a summer night was received that day, not the day before.
pub fn uk_local_date(now: OffsetDateTime) -> Date {
    uk_local_time(now).date()
}

/// The clock time in the United Kingdom at an instant (GMT or BST, as [`uk_local_date`]).
pub fn uk_local_time(now: OffsetDateTime) -> time::PrimitiveDateTime {
    let utc = now.to_offset(UtcOffset::UTC);
    let year = utc.year();
    let last_sunday = |month: Month| {
        let mut day = Date::from_calendar_date(year, month, month.length(year)).expect("last of month exists");
        while day.weekday() != Weekday::Sunday {
            day = day.previous_day().expect("in range");
        }
        day.with_hms(1, 0, 0).expect("01:00 exists").assume_utc()
    };
    let summer = utc >= last_sunday(Month::March) && utc < last_sunday(Month::October);
    let local = if summer { utc + Duration::hours(1) } else { utc };
    time::PrimitiveDateTime::new(local.date(), local.time())
}

/// The instant a UK clock time names (GMT or BST, as [`uk_local_time`]). In the hour the clocks go
/// back the earlier (BST) instant is taken; a time skipped when they go forward is read as GMT.
pub fn from_uk_local(local: time::PrimitiveDateTime) -> OffsetDateTime {
    let summer = local.assume_utc() - Duration::hours(1);
    if uk_local_time(summer) == local { summer } else { local.assume_utc() }
}

/// An instant as GOV.UK writes it, in UK time: "2:05pm on Monday 7 December 2026".
/// A stored timestamp as [`time_and_date`] writes it; the text as it is if it is not one.
pub fn time_and_date_of(stored: &str) -> String {
    crate::db::parse_timestamp(stored).map(time_and_date).unwrap_or_else(|| stored.to_string())
}

pub fn time_and_date(at: OffsetDateTime) -> String {
    let local = uk_local_time(at);
    let (hour, suffix) = match local.hour() {
        0 => (12, "am"),
        h @ 1..=11 => (h, "am"),
        12 => (12, "pm"),
        h => (h - 12, "pm"),
    };
    format!("{hour}:{:02}{suffix} on {}", local.minute(), long_date(local.date()))
}

/// Today's date in the UK.
pub fn uk_today() -> Date {
    uk_local_date(OffsetDateTime::now_utc())
}

/// A stored date ("2026-12-07") as GOV.UK writes it; text that is not a date is shown as it is.
pub fn long_date_of(text: &str) -> String {
    crate::db::parse_date(text).map(long_date).unwrap_or_else(|| text.to_string())
}

/// A date as GOV.UK writes it: "Monday 7 December 2026".
pub fn long_date(date: Date) -> String {
    format!("{} {} {} {}", date.weekday(), date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests;
