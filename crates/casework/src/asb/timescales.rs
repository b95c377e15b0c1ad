//! The office's local timescales for each step of an ASB Case Review, and the due dates they
//! give. LOCAL: areas set their own (acknowledgement in 3 to 10 working days, a threshold
//! decision 1 to 3 weeks later, …); the defaults are the office's.
//!
//! Due dates are worked out afresh from the case's dates whenever they are shown, so adding a
//! bank holiday to the calendar re-times every open case. The timescales themselves are copied
//! into a case when it arrives, so a later change of policy does not move its clocks.

use platform::calendar::{WorkingDayCalendar, add_working_days};

use casekit::clock::after;
pub use casekit::clock::{self, Reminder, StepStatus, next_step, reminder_owed};
use serde::{Deserialize, Serialize};
use time::Date;

/// Working days allowed for each step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timescales {
    pub acknowledge: u32,
    /// After the acknowledgement.
    pub threshold_decision: u32,
    /// After the threshold decision.
    pub review_meeting: u32,
    /// After the review meeting.
    pub outcome_letter: u32,
    /// An appeal is in time up to this many working days after the decision letter.
    pub appeal_window: u32,
    /// After the appeal arrives.
    pub appeal_decision: u32,
}

impl Default for Timescales {
    fn default() -> Self {
        Self {
            acknowledge: 5,
            threshold_decision: 10,
            review_meeting: 20,
            outcome_letter: 5,
            appeal_window: 20,
            appeal_decision: 20,
        }
    }
}

impl Timescales {
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let fields = [
            ("acknowledge", self.acknowledge),
            ("threshold-decision", self.threshold_decision),
            ("review-meeting", self.review_meeting),
            ("outcome-letter", self.outcome_letter),
            ("appeal-window", self.appeal_window),
            ("appeal-decision", self.appeal_decision),
        ];
        fields
            .into_iter()
            .filter(|(_, days)| *days == 0 || *days > 120)
            .map(|(field, _)| (field, "Enter a number of working days between 1 and 120".to_string()))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Acknowledge,
    ThresholdDecision,
    ReviewMeeting,
    OutcomeLetter,
    AppealDecision,
}

/// One step of an ASB Case Review's clock.
pub type Step = clock::Step<StepKind>;

impl clock::StepName for StepKind {
    fn slug(self) -> &'static str {
        StepKind::slug(self)
    }
    fn name(self) -> &'static str {
        StepKind::name(self)
    }
}

impl StepKind {
    pub fn slug(self) -> &'static str {
        match self {
            StepKind::Acknowledge => "acknowledge",
            StepKind::ThresholdDecision => "threshold-decision",
            StepKind::ReviewMeeting => "review-meeting",
            StepKind::OutcomeLetter => "outcome-letter",
            StepKind::AppealDecision => "appeal-decision",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            StepKind::Acknowledge => "Acknowledge the application",
            StepKind::ThresholdDecision => "Decide the threshold",
            StepKind::ReviewMeeting => "Hold the review meeting",
            StepKind::OutcomeLetter => "Send the outcome",
            StepKind::AppealDecision => "Decide the appeal",
        }
    }
}

/// The dates on an application that drive its clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ApplicationDates {
    pub received_on: Option<Date>,
    pub acknowledged_on: Option<Date>,
    pub threshold_decided_on: Option<Date>,
    /// Decided at the threshold decision; `None` before it.
    pub review_to_be_held: Option<bool>,
    pub meeting_on: Option<Date>,
    pub outcome_sent_on: Option<Date>,
}

/// The steps of an application so far: each step appears once the step before it has a date to
/// count from (the acknowledgement's due date stands in until it is sent).
pub fn application_steps(dates: &ApplicationDates, timescales: &Timescales, calendar: &WorkingDayCalendar) -> Vec<Step> {
    let Some(received_on) = dates.received_on else { return Vec::new() };
    let mut steps = Vec::new();
    let ack_due = add_working_days(received_on, timescales.acknowledge, calendar);
    steps.push(Step {
        kind: StepKind::Acknowledge,
        due_on: ack_due,
        done_on: dates.acknowledged_on,
        rule: after(timescales.acknowledge, "the application arrived", received_on),
    });
    let (start, what) = match dates.acknowledged_on {
        Some(on) => (on, "the acknowledgement"),
        None => (ack_due, "the acknowledgement is due"),
    };
    steps.push(Step {
        kind: StepKind::ThresholdDecision,
        due_on: add_working_days(start, timescales.threshold_decision, calendar),
        done_on: dates.threshold_decided_on,
        rule: after(timescales.threshold_decision, what, start),
    });
    let Some(decided_on) = dates.threshold_decided_on else { return steps };
    if dates.review_to_be_held != Some(true) {
        return steps;
    }
    steps.push(Step {
        kind: StepKind::ReviewMeeting,
        due_on: add_working_days(decided_on, timescales.review_meeting, calendar),
        done_on: dates.meeting_on,
        rule: after(timescales.review_meeting, "the threshold decision", decided_on),
    });
    let Some(meeting_on) = dates.meeting_on else { return steps };
    steps.push(Step {
        kind: StepKind::OutcomeLetter,
        due_on: add_working_days(meeting_on, timescales.outcome_letter, calendar),
        done_on: dates.outcome_sent_on,
        rule: after(timescales.outcome_letter, "the review meeting", meeting_on),
    });
    steps
}

/// An appeal's one clock.
pub fn appeal_step(received_on: Date, decided_on: Option<Date>, timescales: &Timescales, calendar: &WorkingDayCalendar) -> Step {
    Step {
        kind: StepKind::AppealDecision,
        due_on: add_working_days(received_on, timescales.appeal_decision, calendar),
        done_on: decided_on,
        rule: after(timescales.appeal_decision, "the appeal arrived", received_on),
    }
}

/// The last day an appeal is in time, counted from the date on the decision letter.
pub fn appeal_window_ends(decision_letter_on: Date, timescales: &Timescales, calendar: &WorkingDayCalendar) -> Date {
    add_working_days(decision_letter_on, timescales.appeal_window, calendar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::calendar::Nation;
    use proptest::prelude::*;
    use time::macros::date;

    fn england() -> WorkingDayCalendar {
        WorkingDayCalendar::for_nation(Nation::EnglandAndWales, Vec::new())
    }

    #[test]
    fn each_step_counts_from_the_one_before() {
        let calendar = england();
        let t = Timescales::default();
        // Received Friday 18 December 2026: Christmas and Boxing Day (substitute Monday 28th) fall inside.
        let mut dates = ApplicationDates { received_on: Some(date!(2026 - 12 - 18)), ..Default::default() };
        let steps = application_steps(&dates, &t, &calendar);
        assert_eq!(steps.len(), 2);
        assert_eq!(steps[0].due_on, date!(2026 - 12 - 29));
        assert_eq!(steps[0].rule, "5 working days after the application arrived (Friday 18 December 2026)");
        assert_eq!(
            steps[1].due_on,
            date!(2027 - 01 - 13),
            "10 working days after the due acknowledgement, New Year's Day skipped"
        );

        dates.acknowledged_on = Some(date!(2026 - 12 - 21));
        dates.threshold_decided_on = Some(date!(2027 - 01 - 05));
        dates.review_to_be_held = Some(true);
        let steps = application_steps(&dates, &t, &calendar);
        assert_eq!(steps[1].due_on, date!(2027 - 01 - 07));
        assert_eq!(steps[2].kind, StepKind::ReviewMeeting);
        assert_eq!(steps[2].due_on, date!(2027 - 02 - 02));
        assert_eq!(next_step(&steps).map(|s| s.kind), Some(StepKind::ReviewMeeting));

        dates.meeting_on = Some(date!(2027 - 02 - 01));
        let steps = application_steps(&dates, &t, &calendar);
        assert_eq!(steps[3].due_on, date!(2027 - 02 - 08));
    }

    #[test]
    fn no_review_means_no_meeting_clock() {
        let dates = ApplicationDates {
            received_on: Some(date!(2026 - 03 - 02)),
            acknowledged_on: Some(date!(2026 - 03 - 03)),
            threshold_decided_on: Some(date!(2026 - 03 - 10)),
            review_to_be_held: Some(false),
            ..Default::default()
        };
        let steps = application_steps(&dates, &Timescales::default(), &england());
        assert_eq!(steps.len(), 2);
        assert!(next_step(&steps).is_none());
    }

    #[test]
    fn statuses_and_reminders_follow_the_due_date() {
        let calendar = england();
        let step = Step { kind: StepKind::Acknowledge, due_on: date!(2026 - 11 - 27), done_on: None, rule: String::new() };
        assert_eq!(step.status(date!(2026 - 11 - 20), &calendar), StepStatus::OnTrack);
        assert_eq!(reminder_owed(&step, date!(2026 - 11 - 24), &calendar), None);
        // Wednesday: two working days before Friday.
        assert_eq!(step.status(date!(2026 - 11 - 25), &calendar), StepStatus::DueSoon);
        assert_eq!(reminder_owed(&step, date!(2026 - 11 - 25), &calendar), Some(Reminder::DueSoon));
        assert_eq!(reminder_owed(&step, date!(2026 - 11 - 27), &calendar), Some(Reminder::DueSoon));
        assert_eq!(step.status(date!(2026 - 11 - 28), &calendar), StepStatus::Overdue);
        assert_eq!(reminder_owed(&step, date!(2026 - 11 - 30), &calendar), Some(Reminder::Overdue));
        let done = Step { done_on: Some(date!(2026 - 11 - 30)), ..step.clone() };
        assert_eq!(done.status(date!(2026 - 12 - 01), &calendar), StepStatus::DoneLate);
        assert_eq!(reminder_owed(&done, date!(2026 - 12 - 01), &calendar), None);
    }

    #[test]
    fn appeals_are_in_time_for_twenty_working_days() {
        let calendar = england();
        // A decision letter dated Thursday 2 April 2026: Good Friday and Easter Monday are skipped.
        assert_eq!(appeal_window_ends(date!(2026 - 04 - 02), &Timescales::default(), &calendar), date!(2026 - 05 - 05));
    }

    #[test]
    fn timescales_out_of_range_are_named() {
        let t = Timescales { acknowledge: 0, appeal_decision: 121, ..Timescales::default() };
        let fields: Vec<&str> = t.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["acknowledge", "appeal-decision"]);
    }

    proptest! {
        #[test]
        fn due_dates_are_working_days_and_never_go_backwards(start in 0i64..1500, gaps in prop::collection::vec(0i64..30, 3)) {
            let calendar = england();
            let received = date!(2025 - 01 - 01) + time::Duration::days(start);
            let ack = received + time::Duration::days(gaps[0]);
            let decided = ack + time::Duration::days(gaps[1]);
            let meeting = decided + time::Duration::days(gaps[2]);
            let dates = ApplicationDates {
                received_on: Some(received),
                acknowledged_on: Some(ack),
                threshold_decided_on: Some(decided),
                review_to_be_held: Some(true),
                meeting_on: Some(meeting),
                outcome_sent_on: None,
            };
            let steps = application_steps(&dates, &Timescales::default(), &calendar);
            prop_assert_eq!(steps.len(), 4);
            for step in &steps {
                prop_assert!(calendar.is_working_day(step.due_on));
            }
            prop_assert!(steps[0].due_on > received);
            prop_assert!(steps[1].due_on > ack);
            prop_assert!(steps[3].due_on > meeting);
        }
    }
}
