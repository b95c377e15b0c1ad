//! When an unanswered request to a partner is chased: the first chase the day after it
//! fell due, then every so many days, up to a limit, after which the case officer follows it up
//! by other means. Pure, so every service that chases a partner chases the same way.

use time::{Date, Duration};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chasing {
    /// Days between one chase and the next.
    pub every_days: i64,
    /// Chases sent at the most.
    pub at_most: i64,
}

impl Chasing {
    /// Whether a request due on `due_on`, chased `count` times (the last on `last`), is chased today.
    pub fn is_due(&self, due_on: Date, last: Option<Date>, count: i64, today: Date) -> bool {
        today > due_on && count < self.at_most && last.is_none_or(|last| today - last >= Duration::days(self.every_days))
    }

    /// The chase a request has reached, in words, for the case page ("Chased twice, last on …").
    pub fn times(count: i64) -> &'static str {
        match count {
            0 => "Not chased",
            1 => "Chased once",
            2 => "Chased twice",
            _ => "Chased 3 times or more",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const WEEKLY_THRICE: Chasing = Chasing { every_days: 7, at_most: 3 };

    #[test]
    fn a_request_is_chased_after_its_date_then_weekly_up_to_the_limit() {
        let due = date!(2026 - 12 - 10);
        let cases = [
            (date!(2026 - 12 - 10), None, 0, false),
            (date!(2026 - 12 - 11), None, 0, true),
            (date!(2026 - 12 - 17), Some(date!(2026 - 12 - 11)), 1, false),
            (date!(2026 - 12 - 18), Some(date!(2026 - 12 - 11)), 1, true),
            (date!(2027 - 01 - 30), Some(date!(2026 - 12 - 25)), 3, false),
        ];
        for (today, last, count, chased) in cases {
            assert_eq!(WEEKLY_THRICE.is_due(due, last, count, today), chased, "{today} {last:?} {count}");
        }
    }

    #[test]
    fn a_request_is_never_chased_before_it_is_due_nor_beyond_the_limit() {
        let due = date!(2026 - 12 - 10);
        for offset in -30..=60 {
            let today = due + Duration::days(offset);
            for count in 0..6 {
                let chased = WEEKLY_THRICE.is_due(due, None, count, today);
                assert_eq!(chased, offset > 0 && count < 3, "{today} {count}");
            }
        }
    }
}
