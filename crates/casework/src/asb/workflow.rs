//! The ASB Case Review's state machine, pure: which of the office's actions may be taken at
//! which stage, where each leaves the case, and what each records. The staff pages check the
//! form and render; the store applies the change only if the case is still at a stage the
//! action starts from (casekit::change), so two officers cannot both take one step.

use platform::db;
use time::Date;

use super::store::{Change, Value};
use super::{Stage, ThresholdOutcome};

platform::slugged! {
    /// The office's actions on an application, named in the pages' form addresses (`…/actions/{slug}`).
    pub enum Action {
        Assign = "assign", Acknowledge = "acknowledge", Threshold = "threshold",
        InformationRequest = "information-request", Meeting = "meeting", Recommendation = "recommendation",
        RecommendationStatus = "recommendation-status", Outcome = "outcome", Close = "close",
    }
}

impl Action {
    /// The stages the action may be taken at.
    pub fn starts_from(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Action::Assign => &[Received, Acknowledged, Review, MeetingHeld, ActionPlan],
            Action::Acknowledge => &[Received],
            Action::Threshold => &[Acknowledged],
            Action::InformationRequest => &[Review],
            Action::Meeting => &[Review],
            Action::Recommendation | Action::RecommendationStatus => &[MeetingHeld, ActionPlan],
            Action::Outcome => &[MeetingHeld],
            Action::Close => &[ActionPlan],
        }
    }

    pub fn may_start_at(self, stage: Stage) -> bool {
        self.starts_from().contains(&stage)
    }
}

/// Where a threshold decision leaves the case: reviewed, or closed when no review is held.
pub fn after_threshold(hold_review: bool) -> Stage {
    if hold_review { Stage::Review } else { Stage::Closed }
}

/// Where sending the outcome leaves the case: the action plan while any action is open.
pub fn after_outcome(open_actions: bool) -> Stage {
    if open_actions { Stage::ActionPlan } else { Stage::Closed }
}

fn text(column: &'static str, value: impl Into<String>) -> (&'static str, Value) {
    (column, Value::Text(Some(value.into())))
}

fn flag(column: &'static str, on: bool) -> (&'static str, Value) {
    (column, Value::Number(i64::from(on)))
}

/// What each step records: the columns it sets and its line in the audit log.
pub mod record {
    use super::*;

    pub fn assigned(user_id: &str, user_email: &str) -> Change<'static> {
        Change { sets: vec![text("assigned_to", user_id)], action: "assigned", detail: user_email.to_string() }
    }

    pub fn acknowledged(today: Date) -> Change<'static> {
        Change {
            sets: vec![text("acknowledged_on", db::date(today)), text("stage", Stage::Acknowledged.slug())],
            action: "acknowledged",
            detail: String::new(),
        }
    }

    /// The threshold decision, and whether a review is held (without one the case closes).
    pub struct ThresholdDecision<'a> {
        pub outcome: ThresholdOutcome,
        pub factors: &'a [&'a str],
        pub reasons: &'a str,
        pub hold_review: bool,
        pub decided_by: &'a str,
    }

    pub fn threshold_decided(decision: &ThresholdDecision<'_>, today: Date) -> Change<'static> {
        let next = after_threshold(decision.hold_review);
        let mut sets = vec![
            text("threshold_outcome", decision.outcome.slug()),
            text("threshold_factors", decision.factors.join(",")),
            text("threshold_reasons", decision.reasons),
            text("threshold_decided_on", db::date(today)),
            text("threshold_decided_by", decision.decided_by),
            flag("review_to_be_held", decision.hold_review),
            text("stage", next.slug()),
        ];
        if next == Stage::Closed {
            sets.push(text("closed_on", db::date(today)));
        }
        let held = if decision.hold_review { "to be held" } else { "not held" };
        Change { sets, action: "decided threshold", detail: format!("{}; review {held}", decision.outcome.slug()) }
    }

    pub fn meeting_held(on: Date, chair: &str, chair_independent: bool, attendees: &str) -> Change<'static> {
        Change {
            sets: vec![
                text("meeting_on", db::date(on)),
                text("meeting_chair", chair),
                flag("chair_independent", chair_independent),
                text("meeting_attendees", attendees),
                text("stage", Stage::MeetingHeld.slug()),
            ],
            action: "recorded review meeting",
            detail: format!("held {on}"),
        }
    }

    pub fn outcome_sent(summary: &str, actions: usize, open_actions: bool, today: Date) -> Change<'static> {
        let next = after_outcome(open_actions);
        let mut sets =
            vec![text("outcome_summary", summary), text("outcome_sent_on", db::date(today)), text("stage", next.slug())];
        if next == Stage::Closed {
            sets.push(text("closed_on", db::date(today)));
        }
        Change { sets, action: "sent outcome", detail: format!("{actions} recommendations") }
    }

    pub fn closed(today: Date) -> Change<'static> {
        Change {
            sets: vec![text("stage", Stage::Closed.slug()), text("closed_on", db::date(today))],
            action: "closed",
            detail: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// Every action against every stage, as the statutory guidance orders the review.
    #[test]
    fn each_action_starts_only_from_its_own_stages() {
        use Stage::*;
        let table: [(Action, [bool; 6]); 9] = [
            //                                 Received Acknowledged Review MeetingHeld ActionPlan Closed
            (Action::Assign, [true, true, true, true, true, false]),
            (Action::Acknowledge, [true, false, false, false, false, false]),
            (Action::Threshold, [false, true, false, false, false, false]),
            (Action::InformationRequest, [false, false, true, false, false, false]),
            (Action::Meeting, [false, false, true, false, false, false]),
            (Action::Recommendation, [false, false, false, true, true, false]),
            (Action::RecommendationStatus, [false, false, false, true, true, false]),
            (Action::Outcome, [false, false, false, true, false, false]),
            (Action::Close, [false, false, false, false, true, false]),
        ];
        for (action, allowed) in table {
            for (stage, expected) in [Received, Acknowledged, Review, MeetingHeld, ActionPlan, Closed].into_iter().zip(allowed) {
                assert_eq!(action.may_start_at(stage), expected, "{} at {}", action.slug(), stage.slug());
            }
            assert_eq!(Action::from_slug(action.slug()), Some(action));
        }
        assert_eq!(Action::from_slug("delete-everything"), None);
    }

    #[test]
    fn a_closed_case_takes_no_action_and_every_path_can_reach_closed() {
        assert!(Action::ALL.iter().all(|a| !a.may_start_at(Stage::Closed)));
        assert_eq!(after_threshold(false), Stage::Closed);
        assert_eq!(after_threshold(true), Stage::Review);
        assert_eq!(after_outcome(false), Stage::Closed);
        assert_eq!(after_outcome(true), Stage::ActionPlan);
        assert!(Action::Close.may_start_at(after_outcome(true)));
    }

    #[test]
    fn a_step_that_closes_the_case_records_the_day_it_closed() {
        let today = date!(2026 - 12 - 07);
        let closes = |change: &Change<'_>| {
            change.sets.iter().any(|(c, v)| *c == "closed_on" && *v == Value::Text(Some("2026-12-07".into())))
        };
        let decision = |hold_review| record::ThresholdDecision {
            outcome: ThresholdOutcome::NotMet,
            factors: &[],
            reasons: "Two reports only",
            hold_review,
            decided_by: "a@office.example",
        };
        assert!(closes(&record::threshold_decided(&decision(false), today)));
        assert!(!closes(&record::threshold_decided(&decision(true), today)));
        assert!(closes(&record::outcome_sent("Found", 0, false, today)));
        assert!(!closes(&record::outcome_sent("Found", 2, true, today)));
        assert!(closes(&record::closed(today)));
        assert!(!closes(&record::acknowledged(today)));
    }
}
