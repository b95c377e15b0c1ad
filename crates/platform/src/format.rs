//! Numbers and dates as GOV.UK style writes them, in one place: 130,869; 12.5%; £724,750 and
//! £1.2 million; 5 December 2026; November 2026; December 2024 to November 2026; 2025 to 2026 in
//! text and 2025/26 in tables; July to September 2026. Downloads (CSV and JSON) keep machine
//! values: [`Value::machine`] gives them. Pure, with table and property tests beside it.

use serde::Serialize;
use time::{Date, Month};

use crate::periods::{FinancialYear, Quarter};

/// A count with thousands separators: 1,000 and 12,345.
pub fn thousands(n: usize) -> String {
    group(&n.to_string())
}

/// A signed count with thousands separators: -1,234.
pub fn count(n: i64) -> String {
    let grouped = group(&n.unsigned_abs().to_string());
    if n < 0 { format!("-{grouped}") } else { grouped }
}

fn group(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number to `places` decimal places with thousands separators: 1,234.5. A value that rounds to
/// zero has no minus sign.
pub fn decimal(value: f64, places: usize) -> String {
    if !value.is_finite() {
        return "not available".to_string();
    }
    let text = format!("{:.*}", places, value.abs());
    let (whole, fraction) = text.split_once('.').map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') { "-" } else { "" };
    let grouped = group(whole);
    match fraction {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// A percentage to `places` decimal places: 12.5%.
pub fn percent(value: f64, places: usize) -> String {
    format!("{}%", decimal(value, places))
}

/// Money in pounds. Whole pounds show no pence (£724,750); other sums show them (£1,234.56);
/// a million or more is written in millions (£1.2 million, £3.3 million, £12 million).
pub fn money(pounds: f64) -> String {
    if !pounds.is_finite() {
        return "not available".to_string();
    }
    let sign = if pounds < 0.0 { "-" } else { "" };
    let amount = pounds.abs();
    if amount >= 1_000_000.0 {
        let millions = decimal(amount / 1_000_000.0, 1);
        let millions = millions.strip_suffix(".0").unwrap_or(&millions);
        return format!("{sign}£{millions} million");
    }
    money_exact(pounds)
}

/// Money to the penny, never in millions (for tables and invoices): £1,234,567.89, £724,750.
pub fn money_exact(pounds: f64) -> String {
    if !pounds.is_finite() {
        return "not available".to_string();
    }
    let pence = (pounds.abs() * 100.0).round();
    let sign = if pounds < 0.0 && pence > 0.0 { "-" } else { "" };
    if pence % 100.0 == 0.0 {
        format!("{sign}£{}", decimal(pence / 100.0, 0))
    } else {
        format!("{sign}£{}", decimal(pence / 100.0, 2))
    }
}

/// A date without its weekday: "5 December 2026".
pub fn date(date: Date) -> String {
    format!("{} {} {}", date.day(), date.month(), date.year())
}

/// A month: "November 2026".
pub fn month(year: i32, month: Month) -> String {
    format!("{month} {year}")
}

/// A stored month ("2026-11") as "November 2026"; text that is not a month is shown as it is.
pub fn month_of(stored: &str) -> String {
    parse_month(stored).map_or_else(|| stored.to_string(), |(y, m)| month(y, m))
}

/// A stored month ("2026-11") as a short label for chart axes and narrow tables: "Nov 2026".
pub fn short_month_of(stored: &str) -> String {
    parse_month(stored).map_or_else(|| stored.to_string(), |(y, m)| format!("{} {y}", &m.to_string()[..3]))
}

/// "2026-11" as (2026, November).
pub fn parse_month(stored: &str) -> Option<(i32, Month)> {
    let (year, month) = stored.split_once('-')?;
    if month.len() != 2 || year.len() != 4 {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Some((year.parse().ok()?, month))
}

/// A run of months: "December 2024 to November 2026", or "November 2026" when it is one month.
pub fn month_range(first: &str, last: &str) -> String {
    if first == last { month_of(first) } else { format!("{} to {}", month_of(first), month_of(last)) }
}

/// A run of dates: "1 April 2026 to 31 March 2027".
pub fn date_range(first: Date, last: Date) -> String {
    if first == last { date(first) } else { format!("{} to {}", date(first), date(last)) }
}

/// A financial year in text: "2025 to 2026".
pub fn financial_year(year: FinancialYear) -> String {
    year.short_label()
}

/// A financial year in a table: "2025/26".
pub fn financial_year_in_table(year: FinancialYear) -> String {
    format!("{}/{:02}", year.0, (year.0 + 1).rem_euclid(100))
}

/// A quarter: "July to September 2026".
pub fn quarter(quarter: Quarter) -> String {
    quarter.label()
}

/// One figure of a table or chart: shown as GOV.UK writes it, downloaded as its machine value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Text(String),
    Count(i64),
    /// A number and the decimal places it is shown to.
    Number(f64, usize),
    /// A percentage (12.5 for 12.5%) and its decimal places.
    Percent(f64, usize),
    /// Pounds.
    Money(f64),
    Date(#[serde(serialize_with = "iso_date")] Date),
    /// A month as stored: "2026-11".
    Month(String),
    FinancialYear(#[serde(serialize_with = "financial_year_machine")] FinancialYear),
    Quarter(#[serde(serialize_with = "quarter_machine")] Quarter),
    /// No figure (not published, suppressed, or not applicable): shown as a dash with the reason
    /// said in the notes, downloaded as empty.
    Missing,
}

fn iso_date<S: serde::Serializer>(date: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso(*date))
}

fn financial_year_machine<S: serde::Serializer>(year: &FinancialYear, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&financial_year_in_table(*year))
}

fn quarter_machine<S: serde::Serializer>(quarter: &Quarter, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&quarter.slug())
}

fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

impl Value {
    /// As a table shows it: 130,869; 12.5%; £724,750; 5 December 2026; 2025/26.
    pub fn display(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Count(n) => count(*n),
            Value::Number(value, places) => decimal(*value, *places),
            Value::Percent(value, places) => percent(*value, *places),
            Value::Money(pounds) => money_exact(*pounds),
            Value::Date(d) => date(*d),
            Value::Month(m) => month_of(m),
            Value::FinancialYear(year) => financial_year_in_table(*year),
            Value::Quarter(q) => quarter(*q),
            Value::Missing => "–".to_string(),
        }
    }

    /// As a download keeps it: 130869, 12.5, 724750, 2026-12-05, 2026-11, 2025/26, 2026-Q2.
    pub fn machine(&self) -> String {
        match self {
            Value::Text(text) => text.clone(),
            Value::Count(n) => n.to_string(),
            Value::Number(value, _) | Value::Percent(value, _) | Value::Money(value) => {
                if value.is_finite() {
                    value.to_string()
                } else {
                    String::new()
                }
            }
            Value::Date(d) => iso(*d),
            Value::Month(m) => m.clone(),
            Value::FinancialYear(year) => financial_year_in_table(*year),
            Value::Quarter(q) => q.slug(),
            Value::Missing => String::new(),
        }
    }

    /// Whether a table aligns it right, as GOV.UK numeric columns are.
    pub fn is_numeric(&self) -> bool {
        matches!(self, Value::Count(_) | Value::Number(..) | Value::Percent(..) | Value::Money(_))
    }

    /// The number in it, for charts.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Count(n) => Some(*n as f64),
            Value::Number(v, _) | Value::Percent(v, _) | Value::Money(v) => v.is_finite().then_some(*v),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::Text(text.to_string())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::Text(text)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Value {
        Value::Count(n)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use time::macros::date;

    use super::*;

    #[test]
    fn numbers_read_as_gov_uk_writes_them() {
        let cases: &[(String, &str)] = &[
            (thousands(130_869), "130,869"),
            (thousands(2948), "2,948"),
            (thousands(999), "999"),
            (thousands(0), "0"),
            (count(-1_234_567), "-1,234,567"),
            (decimal(1234.56, 1), "1,234.6"),
            (decimal(-0.04, 1), "0.0"),
            (decimal(f64::NAN, 1), "not available"),
            (percent(12.46, 1), "12.5%"),
            (money(724_750.0), "£724,750"),
            (money(1234.56), "£1,234.56"),
            (money(10_000.0), "£10,000"),
            (money(1_200_000.0), "£1.2 million"),
            (money(3_300_000.0), "£3.3 million"),
            (money(12_000_000.0), "£12 million"),
            (money(-50.5), "-£50.50"),
            (money_exact(1_234_567.891), "£1,234,567.89"),
            (money_exact(0.004), "£0"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn dates_months_and_periods_read_as_gov_uk_writes_them() {
        let cases: &[(String, &str)] = &[
            (date(date!(2026 - 12 - 05)), "5 December 2026"),
            (month_of("2026-11"), "November 2026"),
            (month_of("2025-04"), "April 2025"),
            (month_of("not a month"), "not a month"),
            (month_of("2026-13"), "2026-13"),
            (short_month_of("2025-04"), "Apr 2025"),
            (month_range("2024-12", "2026-11"), "December 2024 to November 2026"),
            (month_range("2026-11", "2026-11"), "November 2026"),
            (date_range(date!(2026 - 04 - 01), date!(2027 - 03 - 31)), "1 April 2026 to 31 March 2027"),
            (financial_year(FinancialYear(2025)), "2025 to 2026"),
            (financial_year_in_table(FinancialYear(2025)), "2025/26"),
            (financial_year_in_table(FinancialYear(1999)), "1999/00"),
            (quarter(Quarter { year: FinancialYear(2026), number: 2 }), "July to September 2026"),
            (quarter(Quarter { year: FinancialYear(2026), number: 4 }), "January to March 2027"),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
    }

    #[test]
    fn downloads_keep_machine_values_while_tables_show_words() {
        let cases = [
            (Value::Count(130_869), "130,869", "130869"),
            (Value::Percent(12.5, 1), "12.5%", "12.5"),
            (Value::Money(724_750.0), "£724,750", "724750"),
            (Value::Date(date!(2026 - 12 - 05)), "5 December 2026", "2026-12-05"),
            (Value::Month("2026-11".into()), "November 2026", "2026-11"),
            (Value::FinancialYear(FinancialYear(2025)), "2025/26", "2025/26"),
            (Value::Quarter(Quarter { year: FinancialYear(2026), number: 2 }), "July to September 2026", "2026-Q2"),
            (Value::Missing, "–", ""),
        ];
        for (value, shown, kept) in cases {
            assert_eq!(value.display(), shown);
            assert_eq!(value.machine(), kept);
        }
        assert_eq!(serde_json::to_string(&Value::Count(5)).ok().as_deref(), Some("5"));
        assert_eq!(serde_json::to_string(&Value::Date(date!(2026 - 12 - 05))).ok().as_deref(), Some("\"2026-12-05\""));
    }

    proptest! {
        /// Removing the separators gives back the number, and groups are three digits.
        #[test]
        fn separators_only_group_digits(n in any::<i64>()) {
            let shown = count(n);
            prop_assert_eq!(shown.replace(',', "").parse::<i64>().ok(), Some(n));
            for group in shown.trim_start_matches('-').split(',').skip(1) {
                prop_assert_eq!(group.len(), 3);
            }
        }

        /// Money to the penny reads back as the amount rounded to the penny.
        #[test]
        fn money_reads_back(pence in -10_000_000_000i64..10_000_000_000i64) {
            let pounds = pence as f64 / 100.0;
            let shown = money_exact(pounds);
            let digits: String = shown.chars().filter(|c| c.is_ascii_digit() || *c == '.').collect();
            let back: f64 = digits.parse().unwrap_or(f64::NAN);
            prop_assert!((back - (pence.abs() as f64 / 100.0)).abs() < 0.005);
            prop_assert_eq!(shown.starts_with('-'), pence < 0);
        }
    }
}
