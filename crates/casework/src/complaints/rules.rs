//! The rules of a police complaint review that need no database: who reviews a complaint, and
//! whether an application for review came in time. Police Reform Act 2002 Schedule 3 and the
//! Police (Complaints and Misconduct) Regulations 2020.

use serde::{Deserialize, Serialize};
use time::{Date, Duration};

/// Calendar days a complainant has to apply for a review (STATUTORY, the 2020 Regulations),
/// counted from the day after the outcome was given.
pub const WINDOW_DAYS: i64 = 28;

platform::slugged! {
    /// Why the IOPC, not the local policing body, reviews a complaint (STATUTORY, Schedule 3 and the
    /// 2020 Regulations). Any one is enough.
    #[derive(Hash, Serialize, Deserialize)]
    pub enum IopcReason {
        /// It is about a senior officer (above chief superintendent).
        SeniorOfficer = "senior-officer",
        /// It could justify criminal or disciplinary proceedings, unless the complaint alone rules
        /// that out.
        PossibleProceedings = "possible-proceedings",
        /// It could engage Article 2 (life) or Article 3 (torture, inhuman or degrading treatment).
        ArticleTwoOrThree = "article-2-or-3",
        /// It was, or had to be, referred to the IOPC, or is treated as referred.
        ReferredToIopc = "referred-to-iopc",
        /// It arises from the same incident as a complaint the IOPC reviews.
        SameIncident = "same-incident",
        /// The local policing body itself was the appropriate authority.
        LocalPolicingBodyWasAuthority = "local-policing-body-was-authority",
    }
}

impl IopcReason {
    /// The reason in words a complainant and a caseworker both understand.
    pub fn words(self) -> &'static str {
        match self {
            IopcReason::SeniorOfficer => "the complaint is about a senior officer (above chief superintendent)",
            IopcReason::PossibleProceedings => "the conduct complained of could lead to criminal or disciplinary proceedings",
            IopcReason::ArticleTwoOrThree => {
                "the complaint could involve the right to life or freedom from inhuman or degrading treatment"
            }
            IopcReason::ReferredToIopc => "the complaint was, or had to be, referred to the IOPC",
            IopcReason::SameIncident => "the complaint arises from the same incident as one the IOPC reviews",
            IopcReason::LocalPolicingBodyWasAuthority => "this office itself handled the complaint, as the appropriate authority",
        }
    }
}

/// Who reviews a complaint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ReviewBody {
    /// The Commissioner's office (the local policing body).
    LocalPolicingBody,
    /// The Independent Office for Police Conduct, for these reasons.
    Iopc(Vec<IopcReason>),
}

/// The review body for a complaint with these features. Not a Schedule 3 complaint means no
/// review at all, which is [`Validity`]'s business, not this.
pub fn review_body(reasons: &[IopcReason]) -> ReviewBody {
    let mut found: Vec<IopcReason> = IopcReason::ALL.into_iter().filter(|r| reasons.contains(r)).collect();
    found.dedup();
    if found.is_empty() { ReviewBody::LocalPolicingBody } else { ReviewBody::Iopc(found) }
}

/// Days an application spent being forwarded between the IOPC and the office: the clock stops
/// for them (STATUTORY).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forwarding {
    /// The day the other body received the application.
    pub sent_on: Date,
    /// The day it reached the right body.
    pub arrived_on: Date,
}

impl Forwarding {
    /// Whole days in transit, not counting the day it arrived (which counts towards the window
    /// like any other day). A forwarding recorded backwards counts as none.
    pub fn days(self) -> i64 {
        (self.arrived_on - self.sent_on).whole_days().max(0)
    }
}

/// Whether an application for review came in time, with the rule that decided it in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Timeliness {
    /// The last day an application is in time.
    pub due_on: Date,
    /// Calendar days late (0 when in time).
    pub days_late: i64,
    pub rule: String,
}

impl Timeliness {
    pub fn in_time(&self) -> bool {
        self.days_late == 0
    }
}

/// The 28-day window: day one is the day after the outcome was given, so the last day is the
/// outcome date plus 28, moved on by every day the application spent being forwarded.
pub fn timeliness(outcome_given_on: Date, received_on: Date, forwarding: &[Forwarding]) -> Timeliness {
    let paused: i64 = forwarding.iter().map(|f| f.days()).sum();
    let due_on = outcome_given_on.saturating_add(Duration::days(WINDOW_DAYS + paused));
    let days_late = (received_on - due_on).whole_days().max(0);
    let mut rule = format!(
        "{WINDOW_DAYS} calendar days from the day after the outcome was given ({})",
        platform::calendar::long_date(outcome_given_on)
    );
    if paused > 0 {
        rule.push_str(&format!(", plus {paused} {} spent forwarding the application", if paused == 1 { "day" } else { "days" }));
    }
    Timeliness { due_on, days_late, rule }
}

/// What a caseworker records at the validity check, and what follows from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidityCheck {
    /// Was the complaint recorded and handled under Schedule 3? Only those can be reviewed.
    pub schedule_3: bool,
    /// Features that make the IOPC the review body.
    pub iopc_reasons: Vec<IopcReason>,
    /// For a late application: whether the caseworker found exceptional circumstances (LOCAL).
    pub exceptional_circumstances: Option<bool>,
}

/// Where a case goes after its validity check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Validity {
    /// The office reviews it.
    Accepted,
    /// Not a Schedule 3 complaint: closed with a letter saying why.
    NotReviewable,
    /// Late without exceptional circumstances: closed with a letter saying why.
    OutOfTime { days_late: i64 },
    /// Late, and nobody has yet decided whether exceptional circumstances apply.
    LateNeedsDecision { days_late: i64 },
    /// The IOPC reviews it: forwarded, and the applicant told.
    ForwardToIopc(Vec<IopcReason>),
}

/// The outcome of a validity check. The review body comes first: an application the IOPC should
/// review goes to it whatever its timing, because the time limit is the IOPC's to apply.
pub fn validity(check: &ValidityCheck, timeliness: &Timeliness) -> Validity {
    if !check.schedule_3 {
        return Validity::NotReviewable;
    }
    if let ReviewBody::Iopc(reasons) = review_body(&check.iopc_reasons) {
        return Validity::ForwardToIopc(reasons);
    }
    match (timeliness.in_time(), check.exceptional_circumstances) {
        (true, _) | (false, Some(true)) => Validity::Accepted,
        (false, Some(false)) => Validity::OutOfTime { days_late: timeliness.days_late },
        (false, None) => Validity::LateNeedsDecision { days_late: timeliness.days_late },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::Month;

    fn day(y: i32, m: Month, d: u8) -> Date {
        Date::from_calendar_date(y, m, d).expect("date")
    }

    #[test]
    fn the_window_counts_from_the_day_after_the_outcome() {
        // Outcome given on 1 September: day one is 2 September, day 28 is 29 September.
        let outcome = day(2026, Month::September, 1);
        let last_day = timeliness(outcome, day(2026, Month::September, 29), &[]);
        assert_eq!(last_day.due_on, day(2026, Month::September, 29));
        assert!(last_day.in_time());
        let day_after = timeliness(outcome, day(2026, Month::September, 30), &[]);
        assert_eq!(day_after.days_late, 1);
        assert_eq!(day_after.rule, "28 calendar days from the day after the outcome was given (Tuesday 1 September 2026)");
        // Calendar days: weekends and bank holidays count (Christmas to late January).
        let christmas = timeliness(day(2026, Month::December, 24), day(2027, Month::January, 21), &[]);
        assert_eq!((christmas.due_on, christmas.days_late), (day(2027, Month::January, 21), 0));
    }

    #[test]
    fn forwarding_between_the_bodies_stops_the_clock() {
        let outcome = day(2026, Month::September, 1);
        let sent_to_iopc = Forwarding { sent_on: day(2026, Month::September, 10), arrived_on: day(2026, Month::September, 17) };
        let t = timeliness(outcome, day(2026, Month::October, 6), &[sent_to_iopc]);
        assert_eq!(t.due_on, day(2026, Month::October, 6));
        assert!(t.in_time());
        assert!(t.rule.ends_with("plus 7 days spent forwarding the application"));
        let backwards = Forwarding { sent_on: day(2026, Month::September, 17), arrived_on: day(2026, Month::September, 10) };
        assert_eq!(backwards.days(), 0);
    }

    #[test]
    fn any_one_iopc_reason_makes_the_iopc_the_review_body() {
        assert_eq!(review_body(&[]), ReviewBody::LocalPolicingBody);
        for reason in IopcReason::ALL {
            assert_eq!(review_body(&[reason]), ReviewBody::Iopc(vec![reason]));
            assert_eq!(IopcReason::from_slug(reason.slug()), Some(reason));
        }
        assert_eq!(
            review_body(&[IopcReason::SameIncident, IopcReason::SeniorOfficer, IopcReason::SameIncident]),
            ReviewBody::Iopc(vec![IopcReason::SeniorOfficer, IopcReason::SameIncident])
        );
    }

    #[test]
    fn the_validity_check_decides_where_a_case_goes() {
        let outcome = day(2026, Month::September, 1);
        let in_time = timeliness(outcome, day(2026, Month::September, 20), &[]);
        let late = timeliness(outcome, day(2026, Month::October, 9), &[]);
        let check = |schedule_3, reasons: Vec<IopcReason>, exceptional| ValidityCheck {
            schedule_3,
            iopc_reasons: reasons,
            exceptional_circumstances: exceptional,
        };
        assert_eq!(validity(&check(true, vec![], None), &in_time), Validity::Accepted);
        assert_eq!(validity(&check(false, vec![], None), &in_time), Validity::NotReviewable);
        assert_eq!(validity(&check(true, vec![], None), &late), Validity::LateNeedsDecision { days_late: 10 });
        assert_eq!(validity(&check(true, vec![], Some(false)), &late), Validity::OutOfTime { days_late: 10 });
        assert_eq!(validity(&check(true, vec![], Some(true)), &late), Validity::Accepted);
        assert_eq!(
            validity(&check(true, vec![IopcReason::ArticleTwoOrThree], Some(false)), &late),
            Validity::ForwardToIopc(vec![IopcReason::ArticleTwoOrThree]),
            "the IOPC applies its own time limit"
        );
    }

    proptest! {
        #[test]
        fn an_application_is_in_time_exactly_up_to_the_last_day(offset in 0i64..60, paused in 0i64..30) {
            let outcome = day(2026, Month::March, 1);
            let forwarding = [Forwarding { sent_on: outcome, arrived_on: outcome + Duration::days(paused) }];
            let received = outcome + Duration::days(offset);
            let t = timeliness(outcome, received, &forwarding);
            prop_assert_eq!(t.in_time(), offset <= WINDOW_DAYS + paused);
            prop_assert_eq!(t.days_late, (offset - WINDOW_DAYS - paused).max(0));
        }
    }
}
