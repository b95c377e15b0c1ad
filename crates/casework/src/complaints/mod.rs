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

/// Where a review has got to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Received,
    Acknowledged,
    AwaitingFile,
    Reviewing,
    Recommendations,
    Closed,
}

impl Stage {
    pub const ALL: [Stage; 6] =
        [Stage::Received, Stage::Acknowledged, Stage::AwaitingFile, Stage::Reviewing, Stage::Recommendations, Stage::Closed];

    pub fn slug(self) -> &'static str {
        match self {
            Stage::Received => "received",
            Stage::Acknowledged => "acknowledged",
            Stage::AwaitingFile => "awaiting-file",
            Stage::Reviewing => "reviewing",
            Stage::Recommendations => "recommendations",
            Stage::Closed => "closed",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.slug() == slug)
    }

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

/// What the validity check decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidityOutcome {
    Valid,
    NotReviewable,
    OutOfTime,
    ForwardedToIopc,
}

impl ValidityOutcome {
    pub const ALL: [ValidityOutcome; 4] =
        [ValidityOutcome::Valid, ValidityOutcome::NotReviewable, ValidityOutcome::OutOfTime, ValidityOutcome::ForwardedToIopc];
    pub fn slug(self) -> &'static str {
        match self {
            ValidityOutcome::Valid => "valid",
            ValidityOutcome::NotReviewable => "not-reviewable",
            ValidityOutcome::OutOfTime => "out-of-time",
            ValidityOutcome::ForwardedToIopc => "forwarded-to-iopc",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Self> {
        ValidityOutcome::ALL.into_iter().find(|o| o.slug() == slug)
    }
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
        "office" => "The Commissioner’s office",
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
