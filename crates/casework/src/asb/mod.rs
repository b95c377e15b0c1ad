//! ASB Case Review (the "Community Trigger", ASB, Crime and Policing Act 2014 ss.104–105):
//! the public application and appeal, the tracker, the office's and review bodies' casework,
//! letters, reminders and the published statistics.

pub mod agency;
pub mod answers;
pub mod appeal;
pub mod demo;
mod journey;
pub mod letters;
pub mod policy;
pub mod reminders;
pub mod retention;
pub mod scope;
pub mod service;
pub mod staff;
pub mod statistics;
pub mod store;
pub mod subject_access;
pub mod threshold;
pub mod timescales;
pub mod tracker;
pub mod workflow;

use platform::access::Routes;

pub use policy::Policy;

pub fn routes() -> Routes {
    journey::routes()
        .merge(appeal::routes())
        .merge(agency::link::routes())
        .merge(statistics::routes())
        .merge(staff::routes())
        .merge(policy::routes())
}

platform::stored_as_slug!(Stage);

platform::slugged! {
    /// Where an application has got to.
    pub enum Stage {
        Received = "received", Acknowledged = "acknowledged", Review = "review", MeetingHeld = "meeting-held",
        ActionPlan = "action-plan", Closed = "closed",
    }
}

impl Stage {
    /// For staff.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Received => "Received",
            Stage::Acknowledged => "Awaiting threshold decision",
            Stage::Review => "Review in preparation",
            Stage::MeetingHeld => "Meeting held, outcome due",
            Stage::ActionPlan => "Action plan in progress",
            Stage::Closed => "Closed",
        }
    }

    /// For the applicant's tracker: what is happening, in their terms.
    pub fn public_name(self) -> &'static str {
        match self {
            Stage::Received => "We have your application",
            Stage::Acknowledged => "We are deciding whether your case meets the threshold",
            Stage::Review => "The agencies are preparing to review your case",
            Stage::MeetingHeld => "Your case has been reviewed and we are writing to you with the outcome",
            Stage::ActionPlan => "The agencies are carrying out the action plan",
            Stage::Closed => "Your case review is finished",
        }
    }
}

platform::slugged! {
    /// The office's threshold decision.
    pub enum ThresholdOutcome {
        Met = "met", NotMet = "not-met", MetAtDiscretion = "met-at-discretion",
    }
}

impl ThresholdOutcome {
    pub fn name(self) -> &'static str {
        match self {
            ThresholdOutcome::Met => "Threshold met",
            ThresholdOutcome::NotMet => "Threshold not met",
            ThresholdOutcome::MetAtDiscretion => "Threshold met at discretion",
        }
    }
}

/// The grounds an appeal may be brought on (LOCAL; the office's form).
pub const APPEAL_GROUNDS: [(&str, &str); 3] = [
    ("threshold", "The threshold was wrongly found not to be met"),
    ("process", "The review did not consider a relevant process, policy or protocol"),
    ("information", "The review did not consider relevant information"),
];

pub fn ground_name(slug: &str) -> &str {
    APPEAL_GROUNDS.iter().find(|(s, _)| *s == slug).map(|(_, n)| *n).unwrap_or(slug)
}
