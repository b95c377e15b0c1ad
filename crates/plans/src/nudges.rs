//! When a lead is reminded of an update and when they are chased for a late one. Pure: the
//! update's dates and today in, what to send (if anything) out.

use time::{Date, Duration};

/// LOCAL: a reminder goes this many days before updates are due.
pub const REMIND_DAYS_BEFORE: i64 = 7;
/// LOCAL: a late update is chased the day after it was due, then this often.
pub const CHASE_EVERY_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nudge {
    Reminder,
    Chase,
}

/// What to send today for an update still awaited (or sent back) that is due on `due_on`, given
/// when the lead was last reminded and chased (UK dates).
pub fn nudge(due_on: Date, today: Date, reminded_on: Option<Date>, chased_on: Option<Date>) -> Option<Nudge> {
    if today > due_on {
        return match chased_on {
            Some(last) if today - last < Duration::days(CHASE_EVERY_DAYS) => None,
            _ => Some(Nudge::Chase),
        };
    }
    let window_opens = due_on - Duration::days(REMIND_DAYS_BEFORE);
    (today >= window_opens && reminded_on.is_none_or(|r| r < window_opens)).then_some(Nudge::Reminder)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn leads_are_reminded_once_then_chased_weekly() {
        let due = date!(2026 - 07 - 15);
        let cases = [
            (date!(2026 - 07 - 01), None, None, None),
            (date!(2026 - 07 - 08), None, None, Some(Nudge::Reminder)),
            (date!(2026 - 07 - 10), Some(date!(2026 - 07 - 08)), None, None),
            (date!(2026 - 07 - 15), Some(date!(2026 - 07 - 08)), None, None),
            (date!(2026 - 07 - 15), None, None, Some(Nudge::Reminder)),
            (date!(2026 - 07 - 16), Some(date!(2026 - 07 - 08)), None, Some(Nudge::Chase)),
            (date!(2026 - 07 - 20), Some(date!(2026 - 07 - 08)), Some(date!(2026 - 07 - 16)), None),
            (date!(2026 - 07 - 23), Some(date!(2026 - 07 - 08)), Some(date!(2026 - 07 - 16)), Some(Nudge::Chase)),
            // A reminder from an earlier due date does not count for this one.
            (date!(2026 - 07 - 09), Some(date!(2026 - 04 - 01)), None, Some(Nudge::Reminder)),
        ];
        for (today, reminded, chased, expected) in cases {
            assert_eq!(nudge(due, today, reminded, chased), expected, "{today}");
        }
    }
}
