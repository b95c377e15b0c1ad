//! Police complaint reviews: the office as the relevant review body for complaints recorded under
//! Schedule 3 of the Police Reform Act 2002. The complainant asks for a review on a GOV.UK
//! journey; the office checks validity, asks the force's Professional Standards Department (PSD)
//! for the complaint file, decides each allegation, makes recommendations and tracks the force's
//! answers; a share of closed reviews is checked a second time; figures are published.
//! Clocks, letters, reminders and the tracker are the ones every service shares.

pub mod answers;
pub mod demo;
pub mod figures;
mod journey;
pub mod letters;
pub mod policy;
pub mod quality;
pub mod reminders;
pub mod rules;
pub mod scope;
pub mod service;
pub mod staff;
pub mod store;
pub mod timescales;
pub mod tracker;
pub mod workflow;

use platform::access::Routes;

pub fn routes() -> Routes {
    journey::routes().merge(staff::routes()).merge(policy::routes()).merge(figures::routes()).merge(quality::routes())
}

platform::stored_as_slug!(Stage);

platform::slugged! {
    /// Where a review has got to.
    pub enum Stage {
        Received = "received", Acknowledged = "acknowledged", AwaitingFile = "awaiting-file", Reviewing = "reviewing",
        Recommendations = "recommendations", Closed = "closed",
    }
}

impl Stage {
    /// For staff.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Received => "Received",
            Stage::Acknowledged => "Validity check",
            Stage::AwaitingFile => "Waiting for the complaint file",
            Stage::Reviewing => "Under review",
            Stage::Recommendations => "Waiting for the force’s response",
            Stage::Closed => "Closed",
        }
    }

    /// For the complainant's tracker.
    pub fn public_name(self) -> &'static str {
        match self {
            Stage::Received => "We have your request for a review",
            Stage::Acknowledged => "We are checking whether we can review your complaint",
            Stage::AwaitingFile => "We have asked the police for the complaint file",
            Stage::Reviewing => "We are reviewing your complaint",
            Stage::Recommendations => "We have decided your review and asked the police to respond to our recommendations",
            Stage::Closed => "Your review is finished",
        }
    }
}

platform::slugged! {
    /// What the validity check decided.
    pub enum ValidityOutcome {
        Valid = "valid", NotReviewable = "not-reviewable", OutOfTime = "out-of-time",
        ForwardedToIopc = "forwarded-to-iopc",
    }
}

impl ValidityOutcome {
    pub fn name(self) -> &'static str {
        match self {
            ValidityOutcome::Valid => "Valid: the office will review it",
            ValidityOutcome::NotReviewable => "Not reviewable: not a Schedule 3 complaint",
            ValidityOutcome::OutOfTime => "Out of time, without exceptional circumstances",
            ValidityOutcome::ForwardedToIopc => "Forwarded to the IOPC",
        }
    }
}

pub fn stated_review_body_name(slug: &str) -> &'static str {
    match slug {
        "office" => "This office, as the local policing body",
        "iopc" => "The Independent Office for Police Conduct (IOPC)",
        _ => "Not sure",
    }
}

pub fn force_response_name(slug: &str) -> &'static str {
    match slug {
        "accepted" => "Accepted",
        "partly-accepted" => "Partly accepted",
        "not-accepted" => "Not accepted",
        _ => "Awaiting response",
    }
}
