//! The periods an office reports by: the financial year (April to March, named by the year it
//! starts) and its quarters, with the words GOV.UK style uses for them, and the `?year=` of a
//! published-figures page. Shared by every service that publishes figures; pure, with table and
//! property tests beside them.

use serde::Deserialize;
use time::{Date, Month};

use crate::web::AppError;

/// A financial year, April to March, named by the year it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(pub i32);

impl FinancialYear {
    pub fn containing(date: Date) -> Self {
        if date.month() >= Month::April { FinancialYear(date.year()) } else { FinancialYear(date.year() - 1) }
    }
    pub fn contains(self, date: Date) -> bool {
        FinancialYear::containing(date) == self
    }
    /// "April 2026 to March 2027".
    pub fn label(self) -> String {
        format!("April {} to March {}", self.0, self.0 + 1)
    }
    /// "2026 to 2027", as GOV.UK writes a financial year in a heading or a list.
    pub fn short_label(self) -> String {
        format!("{} to {}", self.0, self.0 + 1)
    }
    pub fn first_day(self) -> Date {
        Date::from_calendar_date(self.0, Month::April, 1).unwrap_or(Date::MIN)
    }
    pub fn last_day(self) -> Date {
        Date::from_calendar_date(self.0 + 1, Month::March, 31).unwrap_or(Date::MAX)
    }
    pub fn next(self) -> Self {
        FinancialYear(self.0 + 1)
    }
    pub fn previous(self) -> Self {
        FinancialYear(self.0 - 1)
    }
}

/// A quarter of a financial year: 1 is April to June, 4 is January to March.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: FinancialYear,
    pub number: u8,
}

impl Quarter {
    pub fn containing(date: Date) -> Quarter {
        let number = match date.month() {
            Month::April | Month::May | Month::June => 1,
            Month::July | Month::August | Month::September => 2,
            Month::October | Month::November | Month::December => 3,
            _ => 4,
        };
        Quarter { year: FinancialYear::containing(date), number }
    }
    pub fn contains(self, date: Date) -> bool {
        Quarter::containing(date) == self
    }
    pub fn first_day(self) -> Date {
        let (year, month) = match self.number {
            1 => (self.year.0, Month::April),
            2 => (self.year.0, Month::July),
            3 => (self.year.0, Month::October),
            _ => (self.year.0 + 1, Month::January),
        };
        Date::from_calendar_date(year, month, 1).unwrap_or(Date::MIN)
    }
    pub fn last_day(self) -> Date {
        self.next().first_day().previous_day().unwrap_or(Date::MAX)
    }
    /// The quarter before this one.
    pub fn previous(self) -> Quarter {
        if self.number <= 1 {
            Quarter { year: self.year.previous(), number: 4 }
        } else {
            Quarter { year: self.year, number: self.number - 1 }
        }
    }
    /// The quarter after this one.
    pub fn next(self) -> Quarter {
        if self.number >= 4 {
            Quarter { year: self.year.next(), number: 1 }
        } else {
            Quarter { year: self.year, number: self.number + 1 }
        }
    }
    /// "2026-Q3": stored with quality checks and used in addresses.
    pub fn slug(self) -> String {
        format!("{}-Q{}", self.year.0, self.number)
    }
    pub fn from_slug(slug: &str) -> Option<Quarter> {
        let (year, number) = slug.split_once("-Q")?;
        let number: u8 = number.parse().ok()?;
        (1..=4).contains(&number).then_some(Quarter { year: FinancialYear(year.parse().ok()?), number })
    }
    /// "October to December 2026".
    pub fn label(self) -> String {
        let months = ["April to June", "July to September", "October to December", "January to March"];
        let year = if self.number == 4 { self.year.0 + 1 } else { self.year.0 };
        format!("{} {year}", months[usize::from(self.number.clamp(1, 4) - 1)])
    }
}

/// The period a published figure covers: a financial year, a quarter of one, or a calendar
/// month. Measures come at all three frequencies; a series holds one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(FinancialYear),
    Quarter(Quarter),
    /// A calendar year and month (1–12).
    Month(i32, u8),
}

impl Period {
    /// "2026-FY", "2026-Q3" or "2026-11": stored, and used in addresses and downloads; slugs of
    /// one kind sort in time order.
    pub fn slug(self) -> String {
        match self {
            Period::Year(year) => format!("{}-FY", year.0),
            Period::Quarter(quarter) => quarter.slug(),
            Period::Month(year, month) => format!("{year}-{month:02}"),
        }
    }

    pub fn from_slug(slug: &str) -> Option<Period> {
        if let Some(year) = slug.strip_suffix("-FY") {
            return year.parse().ok().map(|y| Period::Year(FinancialYear(y)));
        }
        if let Some(quarter) = Quarter::from_slug(slug) {
            return Some(Period::Quarter(quarter));
        }
        let (year, month) = slug.split_once('-')?;
        let month: u8 = month.parse().ok()?;
        (1..=12).contains(&month).then_some(Period::Month(year.parse().ok()?, month))
    }

    /// Reads a financial year as publishers write it: "2017/18", "2017-18", "2017 to 2018",
    /// "FY2017", or a plain starting year "2017".
    pub fn parse_financial_year(text: &str) -> Option<FinancialYear> {
        let digits: Vec<&str> = text.split(|c: char| !c.is_ascii_digit()).filter(|p| !p.is_empty()).collect();
        let first: i32 = digits.first()?.parse().ok()?;
        if !(1990..=2100).contains(&first) || digits.first()?.len() != 4 {
            return None;
        }
        match digits.get(1) {
            None => Some(FinancialYear(first)),
            Some(second) => {
                let second: i32 = second.parse().ok()?;
                let follows = second == first + 1 || second == (first + 1) % 100;
                (digits.len() == 2 && follows).then_some(FinancialYear(first))
            }
        }
    }

    /// A quarter from a financial year ("2017/18") and a quarter number ("1", "Q1").
    pub fn parse_quarter(year: &str, quarter: &str) -> Option<Period> {
        let year = Period::parse_financial_year(year)?;
        let number: u8 = quarter.trim().trim_start_matches(['Q', 'q']).parse().ok()?;
        (1..=4).contains(&number).then_some(Period::Quarter(Quarter { year, number }))
    }

    /// The period before this one.
    pub fn previous(self) -> Period {
        match self {
            Period::Year(year) => Period::Year(year.previous()),
            Period::Quarter(quarter) => Period::Quarter(quarter.previous()),
            Period::Month(year, 1) => Period::Month(year - 1, 12),
            Period::Month(year, month) => Period::Month(year, month - 1),
        }
    }

    /// "2025/26", "Jul to Sep 2026", "Nov 2026": short, for tables and chart axes.
    pub fn short_label(self) -> String {
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        match self {
            Period::Year(year) => format!("{}/{:02}", year.0, (year.0 + 1).rem_euclid(100)),
            Period::Quarter(q) => {
                let months = ["Apr to Jun", "Jul to Sep", "Oct to Dec", "Jan to Mar"];
                let year = if q.number == 4 { q.year.0 + 1 } else { q.year.0 };
                format!("{} {year}", months[usize::from(q.number.clamp(1, 4) - 1)])
            }
            Period::Month(year, month) => format!("{} {year}", MONTHS[usize::from(month.clamp(1, 12) - 1)]),
        }
    }

    /// "April 2025 to March 2026", "July to September 2026", "November 2026".
    pub fn label(self) -> String {
        match self {
            Period::Year(year) => year.label(),
            Period::Quarter(quarter) => quarter.label(),
            Period::Month(year, month) => {
                Month::try_from(month).map(|m| crate::format::month(year, m)).unwrap_or_else(|_| self.slug())
            }
        }
    }

    /// The last day of the period.
    pub fn last_day(self) -> Date {
        match self {
            Period::Year(year) => year.last_day(),
            Period::Quarter(quarter) => quarter.last_day(),
            Period::Month(year, month) => Month::try_from(month)
                .ok()
                .and_then(|m| Date::from_calendar_date(year, m, time::util::days_in_month(m, year)).ok())
                .unwrap_or(Date::MAX),
        }
    }
}

/// `?year=2026` on a published-figures page: the financial year asked for (the current one when
/// none is), or not found for a year outside the service's records.
#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub year: String,
}

impl YearQuery {
    pub fn year(&self, first: i32, today: Date) -> Result<FinancialYear, AppError> {
        let current = FinancialYear::containing(today);
        match self.year.trim() {
            "" => Ok(current),
            text => match text.parse::<i32>() {
                Ok(y) if (first..=current.0).contains(&y) => Ok(FinancialYear(y)),
                _ => Err(AppError::NotFound),
            },
        }
    }
}

/// The years a figures page offers: from the earliest record's to this one, newest first.
pub fn years_offered(earliest: Option<FinancialYear>, today: Date) -> Vec<FinancialYear> {
    let current = FinancialYear::containing(today);
    let earliest = earliest.unwrap_or(current).min(current);
    (earliest.0..=current.0).rev().map(FinancialYear).collect()
}

/// The median of whole numbers (of working days, say), or `None` for none.
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    Some(if values.len() % 2 == 1 { values[mid] as f64 } else { (values[mid - 1] + values[mid]) as f64 / 2.0 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn financial_years_run_april_to_march() {
        assert_eq!(FinancialYear::containing(date!(2027 - 03 - 31)), FinancialYear(2026));
        assert_eq!(FinancialYear::containing(date!(2027 - 04 - 01)), FinancialYear(2027));
        assert_eq!(FinancialYear(2026).label(), "April 2026 to March 2027");
        assert_eq!(FinancialYear(2026).short_label(), "2026 to 2027");
        assert_eq!(
            (FinancialYear(2026).first_day(), FinancialYear(2026).last_day()),
            (date!(2026 - 04 - 01), date!(2027 - 03 - 31))
        );
        assert_eq!(FinancialYear(2026).next().previous(), FinancialYear(2026));
    }

    #[test]
    fn quarters_by_hand() {
        assert_eq!(Quarter::containing(date!(2026 - 04 - 01)), Quarter { year: FinancialYear(2026), number: 1 });
        assert_eq!(Quarter::containing(date!(2027 - 03 - 31)), Quarter { year: FinancialYear(2026), number: 4 });
        assert_eq!(Quarter::containing(date!(2026 - 11 - 24)).label(), "October to December 2026");
        assert_eq!(Quarter { year: FinancialYear(2026), number: 4 }.label(), "January to March 2027");
        assert_eq!(Quarter { year: FinancialYear(2026), number: 1 }.previous(), Quarter { year: FinancialYear(2025), number: 4 });
        assert_eq!(Quarter { year: FinancialYear(2026), number: 4 }.next(), Quarter { year: FinancialYear(2027), number: 1 });
        assert_eq!(Quarter { year: FinancialYear(2026), number: 4 }.first_day(), date!(2027 - 01 - 01));
        assert_eq!(Quarter { year: FinancialYear(2026), number: 3 }.last_day(), date!(2026 - 12 - 31));
        let q = Quarter::containing(date!(2026 - 11 - 24));
        assert_eq!(Quarter::from_slug(&q.slug()), Some(q));
        assert_eq!(Quarter::from_slug("2026-Q5"), None);
    }

    #[test]
    fn a_figures_page_offers_the_years_it_holds() {
        let today = date!(2026 - 11 - 24);
        assert_eq!(
            years_offered(Some(FinancialYear(2024)), today),
            vec![FinancialYear(2026), FinancialYear(2025), FinancialYear(2024)]
        );
        assert_eq!(years_offered(None, today), vec![FinancialYear(2026)]);
        let query = |y: &str| YearQuery { year: y.to_string() }.year(2014, today);
        assert_eq!(query("").ok(), Some(FinancialYear(2026)));
        assert_eq!(query(" 2020 ").ok(), Some(FinancialYear(2020)));
        assert!(query("2027").is_err() && query("2013").is_err() && query("last year").is_err());
        assert_eq!(median(&mut [5, 1, 3, 2]), Some(2.5));
        assert_eq!(median(&mut [7]), Some(7.0));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn periods_read_as_publishers_write_them() {
        let fy = |y| FinancialYear(y);
        for (text, year) in [
            ("2017/18", Some(fy(2017))),
            ("2017-18", Some(fy(2017))),
            ("2017 to 2018", Some(fy(2017))),
            ("FY2017", Some(fy(2017))),
            ("2017", Some(fy(2017))),
            ("2099/00", Some(fy(2099))),
            ("2017/19", None),
            ("17/18", None),
            ("", None),
            ("Total", None),
            ("2017/18/19", None),
        ] {
            assert_eq!(Period::parse_financial_year(text), year, "{text}");
        }
        let q = Period::parse_quarter("2017/18", "Q4").expect("a quarter");
        assert_eq!(q.slug(), "2017-Q4");
        assert_eq!(q.short_label(), "Jan to Mar 2018");
        assert_eq!(Period::parse_quarter("2017/18", "5"), None);
        assert_eq!(Period::Year(fy(2025)).short_label(), "2025/26");
        assert_eq!(Period::Month(2026, 1).previous(), Period::Month(2025, 12));
        assert_eq!(Period::Month(2026, 2).last_day(), time::macros::date!(2026 - 02 - 28));
        for p in [Period::Year(fy(2025)), q, Period::Month(2026, 11)] {
            assert_eq!(Period::from_slug(&p.slug()), Some(p));
        }
        assert_eq!(Period::from_slug("2026-13"), None);
    }

    proptest! {
        /// Every day lies in its quarter, between its first and last days, and a quarter's
        /// neighbours are next to it.
        #[test]
        fn every_day_is_in_its_quarter(days in 0i32..40_000) {
            let day = Date::from_julian_day(2_440_588 + days).expect("date");
            let q = Quarter::containing(day);
            prop_assert!(q.first_day() <= day && day <= q.last_day());
            prop_assert!(q.year.contains(day) && q.contains(day));
            prop_assert_eq!(q.next().previous(), q);
            prop_assert_eq!(q.previous().last_day().next_day(), Some(q.first_day()));
        }
    }
}
