//! The publication scheme as data: the ICO model's seven classes, the Home Office's frequency
//! tags, the Specified Information Order's checklist, and the pure rule for when each published
//! thing is next due. domain-rules §4 gives the sources.

use time::{Date, Duration, Month};

/// The ICO model publication scheme's classes, in its order.
pub const CLASSES: [(i64, &str); 7] = [
    (1, "Who we are and what we do"),
    (2, "What we spend and how we spend it"),
    (3, "What our priorities are and how we are doing"),
    (4, "How we make decisions"),
    (5, "Our policies and procedures"),
    (6, "Lists and registers"),
    (7, "The services we offer"),
];

pub fn class_name(class: i64) -> &'static str {
    CLASSES.iter().find(|(n, _)| *n == class).map(|(_, name)| *name).unwrap_or("")
}

/// How often a published thing must be brought up to date (the Home Office's tags).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    /// {U} kept current: reviewed at least once a year.
    KeepCurrent,
    /// {FY} once each financial year.
    Yearly,
    /// {Q} every quarter.
    Quarterly,
    /// {M} every month.
    Monthly,
}

impl Frequency {
    pub const ALL: [Frequency; 4] = [Frequency::KeepCurrent, Frequency::Yearly, Frequency::Quarterly, Frequency::Monthly];

    pub fn code(self) -> &'static str {
        match self {
            Frequency::KeepCurrent => "U",
            Frequency::Yearly => "FY",
            Frequency::Quarterly => "Q",
            Frequency::Monthly => "M",
        }
    }

    pub fn parse(code: &str) -> Option<Frequency> {
        Frequency::ALL.into_iter().find(|f| f.code() == code)
    }

    pub fn words(self) -> &'static str {
        match self {
            Frequency::KeepCurrent => "Kept up to date (reviewed every year)",
            Frequency::Yearly => "Every year",
            Frequency::Quarterly => "Every quarter",
            Frequency::Monthly => "Every month",
        }
    }

    fn months(self) -> u32 {
        match self {
            Frequency::KeepCurrent | Frequency::Yearly => 12,
            Frequency::Quarterly => 3,
            Frequency::Monthly => 1,
        }
    }

    /// When a thing last published on `last` is next due: one period later, on the same day of
    /// the month or the month's last day.
    pub fn next_due(self, last: Date) -> Date {
        add_months(last, self.months())
    }
}

/// `date` moved on by whole months, kept within the month (31 January + 1 month = 28 or 29 February).
pub fn add_months(date: Date, months: u32) -> Date {
    let index = date.year() * 12 + i32::from(u8::from(date.month()) - 1) + months as i32;
    let (year, month) = (index.div_euclid(12), index.rem_euclid(12) as u8 + 1);
    let month = Month::try_from(month).unwrap_or(Month::January);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

/// Where a published thing stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Nothing published yet.
    NeverPublished,
    /// Up to date; next due on the date.
    Current { due: Date },
    /// Due within the next fortnight.
    DueSoon { due: Date },
    /// Past its due date.
    Overdue { due: Date },
}

/// Days before the due date when a thing counts as due soon.
pub const DUE_SOON_DAYS: i64 = 14;

pub fn standing(frequency: Frequency, last: Option<Date>, today: Date) -> Standing {
    let Some(last) = last else { return Standing::NeverPublished };
    let due = frequency.next_due(last);
    if today > due {
        Standing::Overdue { due }
    } else if due - today <= Duration::days(DUE_SOON_DAYS) {
        Standing::DueSoon { due }
    } else {
        Standing::Current { due }
    }
}

impl Standing {
    pub fn needs_action(self) -> bool {
        matches!(self, Standing::NeverPublished | Standing::Overdue { .. })
    }

    pub fn due(self) -> Option<Date> {
        match self {
            Standing::NeverPublished => None,
            Standing::Current { due } | Standing::DueSoon { due } | Standing::Overdue { due } => Some(due),
        }
    }

    pub fn words(self) -> String {
        match self {
            Standing::NeverPublished => "Not published yet".to_string(),
            Standing::Current { due } => format!("Up to date: next due {}", platform::format::date(due)),
            Standing::DueSoon { due } => format!("Due {}", platform::format::date(due)),
            Standing::Overdue { due } => format!("Overdue since {}", platform::format::date(due)),
        }
    }

    /// The GOV.UK tag colour for the words.
    pub fn tag(self) -> &'static str {
        match self {
            Standing::NeverPublished | Standing::Overdue { .. } => "govuk-tag--red",
            Standing::DueSoon { .. } => "govuk-tag--yellow",
            Standing::Current { .. } => "govuk-tag--green",
        }
    }

    /// Whether the owner should be reminded today: on the first day it needs action, then every
    /// seven days while it does, never twice on one day.
    pub fn remind_today(self, today: Date, last_reminded: Option<Date>) -> bool {
        self.needs_action() && last_reminded.is_none_or(|last| today - last >= Duration::days(7))
    }
}

/// One thing the Specified Information Order asks the office to publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    /// The key items name it by.
    pub key: &'static str,
    /// The Order's paragraph (the 2011 Order as amended in 2012, 2013 and 2021).
    pub paragraph: &'static str,
    pub what: &'static str,
    pub class: i64,
    pub frequency: Frequency,
}

const fn req(key: &'static str, paragraph: &'static str, what: &'static str, class: i64, frequency: Frequency) -> Requirement {
    Requirement { key, paragraph, what, class, frequency }
}

use Frequency::{KeepCurrent, Monthly, Quarterly, Yearly};

/// The Order's checklist. Paragraphs 5 to 8 are grouped as domain-rules §4 gives them: their
/// numbering is not confirmed there, so none is invented here.
pub const ORDER: &[Requirement] = &[
    req("office-holders", "1", "Office holders’ names, contact address, salary and allowances", 1, KeepCurrent),
    req("interests", "1", "The register of office holders’ interests", 6, KeepCurrent),
    req(
        "panel-complaints",
        "1",
        "How many complaints or conduct matters about office holders the Panel has dealt with",
        6,
        Yearly,
    ),
    req("workforce", "2", "Headcount, and the share of staff who are women, from an ethnic minority or disabled", 1, Yearly),
    req("structure", "2", "An organisation chart of the office’s staff", 1, KeepCurrent),
    req("senior-staff", "2", "Senior employees’ titles, duties and salaries, with names where required", 2, Yearly),
    req("gifts", "2", "Gifts and hospitality offered to office holders and senior staff, accepted or refused", 6, Quarterly),
    req("shared-staff", "2A", "Staff of the force or of councils the office uses", 1, KeepCurrent),
    req("budget", "3", "The budget, precept, sources of revenue, planned spending and investment strategy", 2, Yearly),
    req("grants", "3", "Each crime and disorder grant: the recipient, the purpose, the conditions and the reasons", 2, Monthly),
    req("spending", "3", "Each item of spending over £500: the recipient, the purpose and the amount", 2, Monthly),
    req("expenses", "3(h)", "Office holders’ travel and subsistence, itemised", 2, Quarterly),
    req("premises", "4", "The premises and land the office occupies", 1, KeepCurrent),
    req("contracts", "4", "Contracts and invitations to tender over £10,000", 6, Monthly),
    req("small-contracts", "4", "A list of contracts of £10,000 or less", 6, Quarterly),
    req("decisions", "5–8", "Decisions of significant public interest, with the reports behind them", 4, KeepCurrent),
    req("policies", "5–8", "Policies and procedures", 5, KeepCurrent),
    req("partnerships", "5–8", "Reports from the community safety partnerships", 3, Yearly),
    req("custody-visiting", "5–8", "The custody visiting scheme’s reports", 3, Yearly),
    req(
        "national-priorities",
        "7A",
        "A statement on how the office has had regard to the national policing priorities",
        3,
        Yearly,
    ),
    req("inspection", "7B", "The latest PEEL inspection report on the force, and the office’s summary of it", 3, KeepCurrent),
    req("complaints-handling", "7C", "How the office oversees complaints handling by the force", 3, Yearly),
];

pub fn requirement(key: &str) -> Option<&'static Requirement> {
    ORDER.iter().find(|r| r.key == key)
}

/// The requirements nothing is published against, in the Order's order.
pub fn unmet<'a>(met: impl IntoIterator<Item = &'a str>) -> Vec<&'static Requirement> {
    let met: std::collections::BTreeSet<&str> = met.into_iter().collect();
    ORDER.iter().filter(|r| !met.contains(r.key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    #[test]
    fn each_frequency_is_due_one_period_later() {
        let cases = [
            (Frequency::Monthly, date!(2026 - 01 - 31), date!(2026 - 02 - 28)),
            (Frequency::Monthly, date!(2028 - 01 - 31), date!(2028 - 02 - 29)),
            (Frequency::Monthly, date!(2026 - 12 - 15), date!(2027 - 01 - 15)),
            (Frequency::Quarterly, date!(2026 - 11 - 30), date!(2027 - 02 - 28)),
            (Frequency::Yearly, date!(2024 - 02 - 29), date!(2025 - 02 - 28)),
            (Frequency::KeepCurrent, date!(2026 - 04 - 01), date!(2027 - 04 - 01)),
        ];
        for (frequency, last, due) in cases {
            assert_eq!(frequency.next_due(last), due, "{frequency:?} from {last}");
        }
    }

    #[test]
    fn standing_moves_from_current_to_due_soon_to_overdue() {
        let last = date!(2026 - 10 - 01);
        let f = Frequency::Monthly;
        assert_eq!(standing(f, None, last), Standing::NeverPublished);
        assert_eq!(standing(f, Some(last), date!(2026 - 10 - 10)), Standing::Current { due: date!(2026 - 11 - 01) });
        assert_eq!(standing(f, Some(last), date!(2026 - 10 - 18)), Standing::DueSoon { due: date!(2026 - 11 - 01) });
        assert_eq!(standing(f, Some(last), date!(2026 - 11 - 01)), Standing::DueSoon { due: date!(2026 - 11 - 01) });
        assert_eq!(standing(f, Some(last), date!(2026 - 11 - 02)), Standing::Overdue { due: date!(2026 - 11 - 01) });
    }

    #[test]
    fn owners_are_reminded_weekly_while_overdue() {
        let overdue = Standing::Overdue { due: date!(2026 - 11 - 01) };
        assert!(overdue.remind_today(date!(2026 - 11 - 02), None));
        assert!(!overdue.remind_today(date!(2026 - 11 - 02), Some(date!(2026 - 11 - 02))));
        assert!(!overdue.remind_today(date!(2026 - 11 - 08), Some(date!(2026 - 11 - 02))));
        assert!(overdue.remind_today(date!(2026 - 11 - 09), Some(date!(2026 - 11 - 02))));
        assert!(!Standing::DueSoon { due: date!(2026 - 11 - 01) }.remind_today(date!(2026 - 10 - 30), None));
    }

    #[test]
    fn the_checklist_names_each_key_once_and_every_class_is_real() {
        let keys: std::collections::BTreeSet<_> = ORDER.iter().map(|r| r.key).collect();
        assert_eq!(keys.len(), ORDER.len());
        assert!(ORDER.iter().all(|r| !class_name(r.class).is_empty()));
        let unmet_now = unmet(["spending", "decisions"]);
        assert_eq!(unmet_now.len(), ORDER.len() - 2);
        assert!(unmet_now.iter().all(|r| r.key != "spending"));
        assert_eq!(unmet_now[0].key, "office-holders", "kept in the Order's order");
    }

    proptest! {
        #[test]
        fn a_due_date_is_always_later_and_within_the_period(days in 0i64..40_000, f in 0usize..4) {
            let frequency = Frequency::ALL[f];
            let last = date!(1990 - 01 - 01) + Duration::days(days);
            let due = frequency.next_due(last);
            prop_assert!(due > last);
            let span = (due - last).whole_days();
            let (low, high) = match frequency.months() { 1 => (28, 31), 3 => (89, 92), _ => (365, 366) };
            prop_assert!((low..=high).contains(&span), "{last} → {due}");
        }
    }
}
