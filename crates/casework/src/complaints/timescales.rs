//! The office's local targets for a police complaint review (LOCAL: no statutory limit), and the
//! due dates they give. Like the ASB Case Review's, due dates are worked out afresh from the
//! case's dates each time they are shown, so a bank holiday added to the calendar re-times every
//! open case; the targets are copied into a case when it arrives.

use platform::calendar::WorkingDayCalendar;
use serde::{Deserialize, Serialize};
use time::Date;

use casekit::clock::{self, StepName};

/// Working days allowed for each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timescales {
    /// After the application arrives.
    pub acknowledge: u32,
    /// For the force's Professional Standards Department to send the complaint file, after it is
    /// asked for.
    pub complaint_file: u32,
    /// For the decision, after the complaint file arrives.
    pub decision: u32,
}

impl Default for Timescales {
    fn default() -> Self {
        Self { acknowledge: 5, complaint_file: 10, decision: 28 }
    }
}

impl Timescales {
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        [("acknowledge", self.acknowledge), ("complaint-file", self.complaint_file), ("decision", self.decision)]
            .into_iter()
            .filter(|(_, days)| *days == 0 || *days > 120)
            .map(|(field, _)| (field, "Enter a number of working days between 1 and 120".to_string()))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewStep {
    Acknowledge,
    ComplaintFile,
    Decision,
}

impl StepName for ReviewStep {
    fn slug(self) -> &'static str {
        match self {
            ReviewStep::Acknowledge => "acknowledge",
            ReviewStep::ComplaintFile => "complaint-file",
            ReviewStep::Decision => "decision",
        }
    }
    fn name(self) -> &'static str {
        match self {
            ReviewStep::Acknowledge => "Acknowledge the application",
            ReviewStep::ComplaintFile => "Receive the complaint file from the force",
            ReviewStep::Decision => "Decide the review",
        }
    }
}

pub type Step = clock::Step<ReviewStep>;

/// The dates on a review that drive its clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewDates {
    pub received_on: Option<Date>,
    pub acknowledged_on: Option<Date>,
    pub file_requested_on: Option<Date>,
    /// The date the force was told the file is due, when it was asked for.
    pub file_due_on: Option<Date>,
    pub file_received_on: Option<Date>,
    pub decided_on: Option<Date>,
}

/// The steps of a review so far: the file's clock starts when it is asked for, the decision's
/// when it arrives (the target counts from the file because the office cannot decide without it).
pub fn review_steps(dates: &ReviewDates, timescales: &Timescales, calendar: &WorkingDayCalendar) -> Vec<Step> {
    let Some(received_on) = dates.received_on else { return Vec::new() };
    let mut steps = vec![clock::step_after(
        ReviewStep::Acknowledge,
        timescales.acknowledge,
        "the application arrived",
        received_on,
        dates.acknowledged_on,
        calendar,
    )];
    let Some(requested_on) = dates.file_requested_on else { return steps };
    // The force was told a date in the request: every page and reminder reads that one.
    steps.push(match dates.file_due_on {
        Some(due_on) => clock::Step {
            kind: ReviewStep::ComplaintFile,
            due_on,
            done_on: dates.file_received_on,
            rule: format!(
                "the date given to the force when the file was asked for on {}",
                platform::calendar::long_date(requested_on)
            ),
        },
        None => clock::step_after(
            ReviewStep::ComplaintFile,
            timescales.complaint_file,
            "the file was asked for",
            requested_on,
            dates.file_received_on,
            calendar,
        ),
    });
    let Some(file_on) = dates.file_received_on else { return steps };
    steps.push(clock::step_after(
        ReviewStep::Decision,
        timescales.decision,
        "the complaint file arrived",
        file_on,
        dates.decided_on,
        calendar,
    ));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use casekit::clock::{Reminder, StepStatus, next_step, reminder_owed};
    use platform::calendar::Nation;
    use time::macros::date;

    fn england() -> WorkingDayCalendar {
        WorkingDayCalendar::for_nation(Nation::EnglandAndWales, Vec::new())
    }

    #[test]
    fn the_decision_counts_from_the_complaint_file_across_bank_holidays() {
        let calendar = england();
        let t = Timescales::default();
        let mut dates = ReviewDates { received_on: Some(date!(2026 - 12 - 18)), ..Default::default() };
        let steps = review_steps(&dates, &t, &calendar);
        assert_eq!(steps.len(), 1, "no file asked for yet");
        // Friday 18 December + 5 working days, skipping Christmas and the Boxing Day substitute.
        assert_eq!(steps[0].due_on, date!(2026 - 12 - 29));
        assert_eq!(steps[0].rule, "5 working days after the application arrived (Friday 18 December 2026)");

        dates.acknowledged_on = Some(date!(2026 - 12 - 22));
        dates.file_requested_on = Some(date!(2026 - 12 - 22));
        let steps = review_steps(&dates, &t, &calendar);
        // 10 working days from Tuesday 22 December: 23, 24, 29, 30, 31 Dec, 4–8 Jan (1 Jan a holiday).
        assert_eq!(steps[1].due_on, date!(2027 - 01 - 08));
        assert_eq!(next_step(&steps).map(|s| s.kind), Some(ReviewStep::ComplaintFile));

        dates.file_received_on = Some(date!(2027 - 01 - 11));
        let steps = review_steps(&dates, &t, &calendar);
        assert_eq!(steps.len(), 3);
        // 28 working days from Monday 11 January 2027 (no holidays between): Thursday 18 February.
        assert_eq!(steps[2].due_on, date!(2027 - 02 - 18));
        assert_eq!(steps[1].status(date!(2027 - 01 - 11), &calendar), StepStatus::DoneLate);
        assert_eq!(reminder_owed(&steps[2], date!(2027 - 02 - 22), &calendar), Some(Reminder::Overdue));
        assert_eq!(reminder_owed(&steps[2], date!(2027 - 02 - 17), &calendar), Some(Reminder::DueSoon));
        assert_eq!(ReviewStep::Decision.slug(), "decision");
    }

    /// The case page's clock, its reminders and the paragraph about the file read one date: the
    /// one the force was told, not a second one worked out again.
    #[test]
    fn the_complaint_file_is_due_on_the_date_the_force_was_told() {
        let calendar = england();
        let t = Timescales::default();
        let requested = date!(2026 - 12 - 04);
        let dates = ReviewDates {
            received_on: Some(date!(2026 - 12 - 01)),
            acknowledged_on: Some(requested),
            file_requested_on: Some(requested),
            file_due_on: Some(date!(2026 - 12 - 21)),
            ..Default::default()
        };
        let steps = review_steps(&dates, &t, &calendar);
        assert_eq!(steps[1].due_on, date!(2026 - 12 - 21), "not the computed Friday 18 December");
        assert_eq!(steps[1].rule, "the date given to the force when the file was asked for on Friday 4 December 2026");
        assert_eq!(reminder_owed(&steps[1], date!(2026 - 12 - 22), &calendar), Some(Reminder::Overdue));
        let without = ReviewDates { file_due_on: None, ..dates };
        assert_eq!(review_steps(&without, &t, &calendar)[1].due_on, date!(2026 - 12 - 18), "worked out when none was given");
    }

    #[test]
    fn targets_outside_one_to_120_working_days_are_refused() {
        assert!(Timescales::default().problems().is_empty());
        let bad = Timescales { acknowledge: 0, complaint_file: 121, decision: 28 };
        let fields: Vec<&str> = bad.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["acknowledge", "complaint-file"]);
    }
}
