//! A complaint review's state machine, pure: which of the office's actions may be taken at which
//! stage, where each leaves the review, and what each records. The staff pages check the form
//! and write the letters; the store applies a change only if the review is still at a stage the
//! action starts from (casekit::change), so two officers cannot both take one step.

use platform::db;
use time::Date;

use super::rules::Forwarding;
use super::store::{Change, Value};
use super::{Stage, ValidityOutcome};

platform::slugged! {
    /// The office's actions on a review, named in the pages' form addresses (`…/actions/{slug}`).
    pub enum Action {
        Assign = "assign", Acknowledge = "acknowledge", Validity = "validity", RequestFile = "request-file",
        Question = "question", FileReceived = "file-received", Finding = "finding", Recommendation = "recommendation",
        Decide = "decide", CloseRecommendation = "close-recommendation",
    }
}

impl Action {
    /// The stages the action may be taken at.
    pub fn starts_from(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Action::Assign => &[Received, Acknowledged, AwaitingFile, Reviewing, Recommendations],
            Action::Acknowledge => &[Received],
            Action::Validity => &[Received, Acknowledged],
            // The file can be asked for straight away; asking acknowledges the request too.
            Action::RequestFile => &[Received, Acknowledged],
            Action::Question => &[AwaitingFile, Reviewing],
            Action::FileReceived => &[AwaitingFile],
            Action::Finding | Action::Recommendation | Action::Decide => &[Reviewing],
            Action::CloseRecommendation => &[Recommendations],
        }
    }

    pub fn may_start_at(self, stage: Stage) -> bool {
        self.starts_from().contains(&stage)
    }
}

/// Where the validity check leaves a review: waiting for the file, or closed (not reviewable,
/// out of time, or forwarded to the IOPC).
pub fn after_validity(outcome: ValidityOutcome) -> Stage {
    if outcome == ValidityOutcome::Valid { Stage::Acknowledged } else { Stage::Closed }
}

/// Where the decision leaves a review: waiting for the force's responses to recommendations,
/// or closed when there are none.
pub fn after_decision(recommendations: usize) -> Stage {
    if recommendations > 0 { Stage::Recommendations } else { Stage::Closed }
}

fn text(column: &'static str, value: impl Into<String>) -> (&'static str, Value) {
    (column, Value::Text(Some(value.into())))
}

/// The stage, and the day it closed when it closes.
fn moves_to(sets: &mut Vec<(&'static str, Value)>, stage: Stage, today: Date) {
    sets.push(text("stage", stage.slug()));
    if stage == Stage::Closed {
        sets.push(text("closed_on", db::date(today)));
    }
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

    /// The validity check as decided.
    pub struct ValidityDecision<'a> {
        pub outcome: ValidityOutcome,
        pub schedule_3: bool,
        pub iopc_reasons: &'a [&'a str],
        pub exceptional: Option<bool>,
        pub forwarding: Option<Forwarding>,
        pub reasons: &'a str,
        pub in_time: bool,
        pub decided_by: &'a str,
        /// The request had not been acknowledged: the check acknowledges it.
        pub acknowledges: bool,
    }

    pub fn validity_checked(decision: &ValidityDecision<'_>, today: Date) -> Change<'static> {
        let mut sets = vec![
            ("schedule_3", Value::Number(i64::from(decision.schedule_3))),
            text("iopc_reasons", decision.iopc_reasons.join(",")),
            text("validity", decision.outcome.slug()),
            ("validity_reasons", Value::Text(Some(decision.reasons.to_string()).filter(|r| !r.is_empty()))),
            text("validity_decided_on", db::date(today)),
            text("validity_decided_by", decision.decided_by),
        ];
        if let Some(exceptional) = decision.exceptional {
            sets.push(("exceptional_circumstances", Value::Number(i64::from(exceptional))));
        }
        if let Some(f) = decision.forwarding {
            sets.push(text("forwarded_sent_on", db::date(f.sent_on)));
            sets.push(text("forwarded_arrived_on", db::date(f.arrived_on)));
        }
        if decision.acknowledges {
            sets.push(text("acknowledged_on", db::date(today)));
        }
        moves_to(&mut sets, after_validity(decision.outcome), today);
        let timing = if decision.in_time { "in time" } else { "late" };
        Change { sets, action: "checked validity", detail: format!("{}; {timing}", decision.outcome.slug()) }
    }

    pub fn file_requested(due: Date, acknowledges: bool, today: Date) -> Change<'static> {
        let mut sets = vec![
            text("file_requested_on", db::date(today)),
            text("file_due_on", db::date(due)),
            text("stage", Stage::AwaitingFile.slug()),
        ];
        if acknowledges {
            sets.push(text("acknowledged_on", db::date(today)));
        }
        Change { sets, action: "requested the complaint file", detail: format!("due {due}") }
    }

    /// The file arrived: recorded by the office, or sent by the force in Commissioner.
    pub fn file_received(today: Date, action: &'static str, detail: String) -> Change<'static> {
        Change { sets: vec![text("file_received_on", db::date(today)), text("stage", Stage::Reviewing.slug())], action, detail }
    }

    pub fn decided(
        summary: &str,
        decided_by: &str,
        upheld: usize,
        allegations: usize,
        recommendations: usize,
        today: Date,
    ) -> Change<'static> {
        let mut sets =
            vec![text("decided_on", db::date(today)), text("decided_by", decided_by), text("decision_summary", summary)];
        moves_to(&mut sets, after_decision(recommendations), today);
        Change { sets, action: "decided", detail: format!("{upheld} of {allegations} upheld; {recommendations} recommendations") }
    }

    pub fn every_recommendation_closed(today: Date) -> Change<'static> {
        let mut sets = Vec::new();
        moves_to(&mut sets, Stage::Closed, today);
        Change { sets, action: "closed", detail: "every recommendation answered and closed".into() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    /// Every action against every stage.
    #[test]
    fn each_action_starts_only_from_its_own_stages() {
        use Stage::*;
        let table: [(Action, [bool; 6]); 10] = [
            //                                  Received Acknowledged AwaitingFile Reviewing Recommendations Closed
            (Action::Assign, [true, true, true, true, true, false]),
            (Action::Acknowledge, [true, false, false, false, false, false]),
            (Action::Validity, [true, true, false, false, false, false]),
            (Action::RequestFile, [true, true, false, false, false, false]),
            (Action::Question, [false, false, true, true, false, false]),
            (Action::FileReceived, [false, false, true, false, false, false]),
            (Action::Finding, [false, false, false, true, false, false]),
            (Action::Recommendation, [false, false, false, true, false, false]),
            (Action::Decide, [false, false, false, true, false, false]),
            (Action::CloseRecommendation, [false, false, false, false, true, false]),
        ];
        for (action, allowed) in table {
            for (stage, expected) in
                [Received, Acknowledged, AwaitingFile, Reviewing, Recommendations, Closed].into_iter().zip(allowed)
            {
                assert_eq!(action.may_start_at(stage), expected, "{} at {}", action.slug(), stage.slug());
            }
            assert_eq!(Action::from_slug(action.slug()), Some(action));
        }
        assert!(Action::ALL.iter().all(|a| !a.may_start_at(Closed)), "a closed review takes no more steps");
    }

    #[test]
    fn only_a_valid_request_goes_on_and_a_decision_without_recommendations_closes() {
        assert_eq!(after_validity(ValidityOutcome::Valid), Stage::Acknowledged);
        for closes in [ValidityOutcome::NotReviewable, ValidityOutcome::OutOfTime, ValidityOutcome::ForwardedToIopc] {
            assert_eq!(after_validity(closes), Stage::Closed);
        }
        assert_eq!(after_decision(0), Stage::Closed);
        assert_eq!(after_decision(3), Stage::Recommendations);
        let today = date!(2026 - 12 - 07);
        let closed_on = |change: &Change<'_>| change.sets.iter().any(|(c, _)| *c == "closed_on");
        assert!(closed_on(&record::decided("Done", "a@office.example", 1, 2, 0, today)));
        assert!(!closed_on(&record::decided("Done", "a@office.example", 1, 2, 1, today)));
        assert!(closed_on(&record::every_recommendation_closed(today)));
        assert!(!closed_on(&record::file_requested(today, true, today)));
    }
}
