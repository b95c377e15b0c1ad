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
