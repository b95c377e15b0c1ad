//! Clocks shared by every kind of case: a step with a due date worked out from the case's dates,
//! its status on a given day, and the reminders it owes. Each service names its own steps and
//! says how their due dates are found (ASB Case Review: asb/timescales.rs; police complaint
//! reviews: complaints/timescales.rs).

use platform::calendar::{self, WorkingDayCalendar, add_working_days, working_days_between};
use time::Date;

/// What a service calls each of its steps.
pub trait StepName: Copy {
    /// A stable identifier, stored with the reminders sent.
    fn slug(self) -> &'static str;
    /// The step in words, as staff see it.
    fn name(self) -> &'static str;
}

/// One step's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step<K> {
    pub kind: K,
    pub due_on: Date,
    pub done_on: Option<Date>,
    /// The rule that gave the due date, in words.
    pub rule: String,
}

impl<K> Step<K> {
    pub fn status(&self, today: Date, calendar: &WorkingDayCalendar) -> StepStatus {
        match self.done_on {
            Some(done) if done <= self.due_on => StepStatus::DoneInTime,
            Some(_) => StepStatus::DoneLate,
            None if today > self.due_on => StepStatus::Overdue,
            None if working_days_between(today, self.due_on, calendar) <= 2 => StepStatus::DueSoon,
            None => StepStatus::OnTrack,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    OnTrack,
    DueSoon,
    Overdue,
    DoneInTime,
    DoneLate,
}

impl StepStatus {
    pub fn tag(self) -> (&'static str, &'static str) {
        match self {
            StepStatus::OnTrack => ("On track", "govuk-tag--blue"),
            StepStatus::DueSoon => ("Due soon", "govuk-tag--yellow"),
            StepStatus::Overdue => ("Overdue", "govuk-tag--red"),
            StepStatus::DoneInTime => ("Done", "govuk-tag--green"),
            StepStatus::DoneLate => ("Done late", "govuk-tag--orange"),
        }
    }
}

/// A due date's rule in words: "5 working days after the application arrived (Friday 18 December
/// 2026)".
pub fn after(days: u32, what: &str, date: Date) -> String {
    format!("{days} working days after {what} ({})", calendar::long_date(date))
}

/// A step due `days` working days after `start` (`what` says what `start` is).
pub fn step_after<K>(
    kind: K,
    days: u32,
    what: &str,
    start: Date,
    done_on: Option<Date>,
    calendar: &WorkingDayCalendar,
) -> Step<K> {
    Step { kind, due_on: add_working_days(start, days, calendar), done_on, rule: after(days, what, start) }
}

/// The first step not yet done.
/// Each step with how it stands today, for a case page's timeline.
pub fn as_of<K>(steps: Vec<Step<K>>, today: Date, calendar: &WorkingDayCalendar) -> Vec<(Step<K>, StepStatus)> {
    steps
        .into_iter()
        .map(|step| {
            let status = step.status(today, calendar);
            (step, status)
        })
        .collect()
}

pub fn next_step<K>(steps: &[Step<K>]) -> Option<&Step<K>> {
    steps.iter().find(|s| s.done_on.is_none())
}

/// Which reminder, if any, the assignee should have for a step today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reminder {
    /// Two working days (or fewer) before the due date.
    DueSoon,
    /// The step is past its due date.
    Overdue,
}

impl Reminder {
    pub fn slug(self) -> &'static str {
        match self {
            Reminder::DueSoon => "due-soon",
            Reminder::Overdue => "overdue",
        }
    }
}

/// The reminder owed for a step today. The daily task sends each (step, reminder) once, so a
/// day the task did not run is made up on the next.
pub fn reminder_owed<K>(step: &Step<K>, today: Date, calendar: &WorkingDayCalendar) -> Option<Reminder> {
    if step.done_on.is_some() {
        return None;
    }
    if today > step.due_on {
        return Some(Reminder::Overdue);
    }
    (working_days_between(today, step.due_on, calendar) <= 2).then_some(Reminder::DueSoon)
}
