//! The statutory clocks of information requests, as pure functions of what has happened on a
//! request. Each due date comes with the rule that produced it in words, and is worked out
//! afresh each time it is shown, so a bank holiday added to the calendar re-times every open
//! request.
//!
//! - FOI (FOIA s.10): the 20th working day after the day of receipt, where a working day is not
//!   a weekend, Christmas Day, Good Friday or a bank holiday anywhere in the United Kingdom
//!   (s.10(6)). A fees notice stops the clock until the fee is paid (s.10(2)); a request for
//!   clarification restarts it from the clarified request (s.1(3)). A public interest extension
//!   (s.10(3)) adds what is "reasonable": the ICO expects at most 20 more working days.
//! - EIR (reg 5(2), 7(1)): 20 working days, 40 when the request is complex and voluminous. The
//!   EIR borrow the FOIA's working day as read here.
//! - SAR (UK GDPR art. 12(3)): one calendar month from receipt of the request, or, where the
//!   office asks for (further) proof of identity, from the day that proof arrives; never from
//!   the day an officer confirms it. The month ends on the corresponding date next month (that
//!   month's last day when there is none), moved to the next working day in England and Wales;
//!   extendable by two further months, decided and told to the requester within the first
//!   month. Clarification pauses it, and the days paused are added.

use platform::calendar::{WorkingDayCalendar, add_working_days, long_date, working_days_between};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, Month};

/// STATUTORY: working days for an FOI or EIR reply.
pub const REPLY_WORKING_DAYS: u32 = 20;
/// STATUTORY: working days for an EIR reply when the request is complex and voluminous.
pub const EIR_EXTENDED_WORKING_DAYS: u32 = 40;
/// GUIDANCE (ICO): the most a public interest extension should add.
pub const MAX_PUBLIC_INTEREST_DAYS: u32 = 20;
/// STATUTORY: months for a subject access reply, and with the extension.
pub const SAR_MONTHS: u32 = 1;
pub const SAR_EXTENDED_MONTHS: u32 = 3;

platform::slugged! {
    #[derive(Serialize, Deserialize)]
    pub enum RequestKind {
        Foi = "foi", Eir = "eir", SubjectAccess = "sar",
    }
}

impl RequestKind {
    /// The kind in words, as the requester and staff read it.
    pub fn name(self) -> &'static str {
        match self {
            RequestKind::Foi => "Freedom of Information request",
            RequestKind::Eir => "Environmental information request",
            RequestKind::SubjectAccess => "Subject access request",
        }
    }
    /// The reference prefix: FOI-2026-000311.
    pub fn prefix(self) -> &'static str {
        match self {
            RequestKind::Foi => "FOI",
            RequestKind::Eir => "EIR",
            RequestKind::SubjectAccess => "SAR",
        }
    }
}

/// What has happened on a request that moves its clock. One clarification and one fees notice
/// are kept: a second replaces the first, as the law's clock does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClockFacts {
    pub received_on: Option<Date>,
    pub clarification_asked_on: Option<Date>,
    pub clarified_on: Option<Date>,
    pub fee_notice_on: Option<Date>,
    pub fee_paid_on: Option<Date>,
    /// Subject access only: the day proof of identity arrived (with an online request, the day
    /// of receipt), and the day the office last asked for further proof.
    pub identity_received_on: Option<Date>,
    pub identity_asked_on: Option<Date>,
    /// EIR complex and voluminous (40 working days); SAR extended by two months.
    pub extended: bool,
    /// FOI only: working days added to consider the public interest.
    pub public_interest_days: u32,
}

/// Where a request's clock stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Due {
    /// Running: the reply is due on this date, for this reason.
    On { due_on: Date, rule: String },
    /// Stopped until the requester does something.
    Stopped { why: String },
}

impl Due {
    pub fn date(&self) -> Option<Date> {
        match self {
            Due::On { due_on, .. } => Some(*due_on),
            Due::Stopped { .. } => None,
        }
    }
}

/// Checks an extension an officer asks for; the message says what is allowed.
pub fn check_public_interest_days(days: u32) -> Result<u32, String> {
    match days {
        0 => Err("Enter how many working days to extend by, from 1 to 20".into()),
        d if d > MAX_PUBLIC_INTEREST_DAYS => {
            Err(format!("The ICO expects an extension of no more than {MAX_PUBLIC_INTEREST_DAYS} working days"))
        }
        d => Ok(d),
    }
}

/// The due date of a request. `foi` is the FOIA working-day calendar (any UK nation); `local`
/// is the office's nation's, used to move a subject access deadline off a non-working day.
pub fn due(kind: RequestKind, facts: &ClockFacts, foi: &WorkingDayCalendar, local: &WorkingDayCalendar) -> Due {
    match kind {
        RequestKind::Foi | RequestKind::Eir => working_day_due(kind, facts, foi),
        RequestKind::SubjectAccess => subject_access_due(facts, local),
    }
}

fn working_day_due(kind: RequestKind, facts: &ClockFacts, calendar: &WorkingDayCalendar) -> Due {
    let Some(received) = facts.received_on else { return Due::Stopped { why: "Not yet received".into() } };
    let (start, what) = match (facts.clarification_asked_on, facts.clarified_on) {
        (Some(_), None) => return Due::Stopped { why: "Waiting for the requester to clarify the request".into() },
        (Some(_), Some(clarified)) => (clarified, "the clarified request arrived"),
        (None, _) => (received, "the request arrived"),
    };
    let days = if kind == RequestKind::Eir && facts.extended { EIR_EXTENDED_WORKING_DAYS } else { REPLY_WORKING_DAYS };
    let mut rule = format!("{days} working days after {what} ({})", long_date(start));
    if kind == RequestKind::Eir && facts.extended {
        rule.push_str(", extended because the request is complex and voluminous");
    }
    let mut due_on = match (facts.fee_notice_on.filter(|notice| *notice >= start), facts.fee_paid_on) {
        (Some(_), None) => return Due::Stopped { why: "Waiting for the fee to be paid".into() },
        (Some(notice), Some(paid)) => {
            let used = working_days_between(start, notice, calendar).clamp(0, i64::from(days));
            let left = days - u32::try_from(used).unwrap_or(days);
            rule.push_str(&format!(
                "; stopped from the fees notice ({}) with {used} used, and {left} more after the fee was paid ({})",
                long_date(notice),
                long_date(paid)
            ));
            add_working_days(paid.max(notice), left, calendar)
        }
        (None, _) => add_working_days(start, days, calendar),
    };
    if kind == RequestKind::Foi && facts.public_interest_days > 0 {
        let extra = facts.public_interest_days;
        due_on = add_working_days(due_on, extra, calendar);
        rule.push_str(&format!("; extended by {extra} working days to consider the public interest"));
    }
    rule.push_str(". Working days leave out weekends, Christmas Day, Good Friday and bank holidays anywhere in the UK");
    Due::On { due_on, rule }
}

/// The last day a subject access request may be extended: the end of its first month, within
/// which the requester must be told (UK GDPR art. 12(3)). None while its clock is stopped.
pub fn sar_extension_closes(facts: &ClockFacts, local: &WorkingDayCalendar) -> Option<Date> {
    match subject_access_due(&ClockFacts { extended: false, ..*facts }, local) {
        Due::On { due_on, .. } => Some(due_on),
        Due::Stopped { .. } => None,
    }
}

/// Why a subject access request cannot be extended today: the two months are decided, and the
/// requester told, within the first month (UK GDPR art. 12(3)).
pub fn sar_extension_refused(facts: &ClockFacts, local: &WorkingDayCalendar, today: Date) -> Option<String> {
    match sar_extension_closes(facts, local) {
        None => Some("The month has not started: it runs from when proof of identity arrives".into()),
        Some(last) if today > last => Some(format!(
            "The extension had to be decided and told to the requester within the first month, which ended on {}",
            long_date(last)
        )),
        Some(_) => None,
    }
}

/// The same day `months` later, or that month's last day when it has no such day.
pub fn add_months(date: Date, months: u32) -> Date {
    let index = i64::from(u8::from(date.month())) - 1 + i64::from(months);
    let year = date.year() + i32::try_from(index / 12).unwrap_or(0);
    let month = Month::try_from(u8::try_from(index % 12 + 1).unwrap_or(1)).unwrap_or(Month::January);
    let last = month.length(year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// The day a subject access request's month starts: the day proof of identity arrived, unless
/// the office has since asked for more, when it waits for that.
fn subject_access_start(facts: &ClockFacts) -> Result<Date, String> {
    match (facts.identity_asked_on, facts.identity_received_on) {
        // Asking clears the proof held (the store's `ask_for_identity`), so what is held arrived after.
        (Some(asked), Some(arrived)) if arrived >= asked => Ok(arrived),
        (Some(_), _) => Err("Waiting for the further proof of identity asked for: the month starts when it arrives".into()),
        (None, Some(arrived)) => Ok(arrived),
        (None, None) => Err("Waiting for proof of identity: the month starts when it arrives".into()),
    }
}

fn subject_access_due(facts: &ClockFacts, calendar: &WorkingDayCalendar) -> Due {
    let start = match subject_access_start(facts) {
        Ok(start) => start,
        Err(why) => return Due::Stopped { why },
    };
    let from = if facts.identity_asked_on.is_none() && facts.received_on == Some(start) {
        format!("receipt of the request ({})", long_date(start))
    } else {
        format!("receipt of proof of identity ({})", long_date(start))
    };
    let paused = match (facts.clarification_asked_on, facts.clarified_on) {
        (Some(_), None) => return Due::Stopped { why: "Waiting for the requester to clarify the request".into() },
        (Some(asked), Some(clarified)) if clarified > asked => (clarified - asked).whole_days(),
        _ => 0,
    };
    let months = if facts.extended { SAR_EXTENDED_MONTHS } else { SAR_MONTHS };
    let mut due_on = add_months(start, months).saturating_add(Duration::days(paused));
    let mut rule =
        if facts.extended { format!("one month from {from}, extended by two months") } else { format!("one month from {from}") };
    if paused > 0 {
        rule.push_str(&format!(", plus {paused} days waiting for clarification"));
    }
    if !calendar.is_working_day(due_on) {
        let why = calendar.why_not_working(due_on).unwrap_or_default();
        while !calendar.is_working_day(due_on) {
            due_on = due_on.next_day().unwrap_or(due_on);
        }
        rule.push_str(&format!(", moved to the next working day ({why})"));
    }
    Due::On { due_on, rule }
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::calendar::Nation;
    use proptest::prelude::*;
    use time::macros::date;

    fn foi() -> WorkingDayCalendar {
        WorkingDayCalendar::freedom_of_information(Vec::new())
    }
    fn england() -> WorkingDayCalendar {
        WorkingDayCalendar::for_nation(Nation::EnglandAndWales, Vec::new())
    }
    fn received(on: Date) -> ClockFacts {
        ClockFacts { received_on: Some(on), ..ClockFacts::default() }
    }
    fn due_on(kind: RequestKind, facts: ClockFacts) -> Date {
        due(kind, &facts, &foi(), &england()).date().expect("running")
    }

    #[test]
    fn foi_and_eir_due_dates_across_the_four_nations_holidays() {
        // (what, kind, facts, due): each worked out by hand, day by day.
        let table: Vec<(&str, RequestKind, ClockFacts, Date)> = vec![
            // Christmas, Boxing Day, New Year and Scotland's 2 January.
            ("Christmas", RequestKind::Foi, received(date!(2024 - 12 - 20)), date!(2025 - 01 - 23)),
            // Good Friday 18 April, Easter Monday 21 April, early May 5 May.
            ("Easter 2025", RequestKind::Foi, received(date!(2025 - 04 - 10)), date!(2025 - 05 - 13)),
            // St Andrew's Day, Monday 30 November 2026, is Scotland's alone.
            ("St Andrew's Day", RequestKind::Foi, received(date!(2026 - 11 - 16)), date!(2026 - 12 - 15)),
            // St Patrick's Day, Tuesday 17 March 2026, is Northern Ireland's alone.
            ("St Patrick's Day", RequestKind::Eir, received(date!(2026 - 03 - 02)), date!(2026 - 03 - 31)),
            (
                "EIR complex and voluminous, over Easter 2026",
                RequestKind::Eir,
                ClockFacts { extended: true, ..received(date!(2026 - 03 - 02)) },
                date!(2026 - 04 - 30),
            ),
            (
                "clarification restarts the clock",
                RequestKind::Foi,
                ClockFacts {
                    clarification_asked_on: Some(date!(2026 - 03 - 04)),
                    clarified_on: Some(date!(2026 - 03 - 11)),
                    ..received(date!(2026 - 03 - 02))
                },
                date!(2026 - 04 - 13),
            ),
            (
                "a fees notice stops the clock until paid (5 days used, 15 after payment)",
                RequestKind::Foi,
                ClockFacts {
                    fee_notice_on: Some(date!(2026 - 03 - 09)),
                    fee_paid_on: Some(date!(2026 - 03 - 20)),
                    ..received(date!(2026 - 03 - 02))
                },
                date!(2026 - 04 - 14),
            ),
            (
                "public interest extension of 20 working days",
                RequestKind::Foi,
                ClockFacts { public_interest_days: 20, ..received(date!(2026 - 03 - 02)) },
                date!(2026 - 04 - 30),
            ),
            (
                "received on a Saturday: Monday is day one",
                RequestKind::Foi,
                received(date!(2026 - 11 - 21)),
                date!(2026 - 12 - 21),
            ),
        ];
        for (what, kind, facts, expected) in table {
            assert_eq!(due_on(kind, facts), expected, "{what}");
        }
    }

    /// The ICO's examples: the month runs from receipt to the corresponding date next month (its
    /// last day when there is none), and a due date on a weekend or bank holiday moves to the
    /// next working day.
    #[test]
    fn subject_access_runs_a_calendar_month_from_receipt() {
        let with_proof = |on: Date| ClockFacts { identity_received_on: Some(on), ..received(on) };
        let table = [
            ("received 3 September, due 3 October", date!(2025 - 09 - 03), date!(2025 - 10 - 03)),
            ("received 31 March, due 30 April (no 31 April)", date!(2025 - 03 - 31), date!(2025 - 04 - 30)),
            ("received 31 January, due 28 February", date!(2025 - 01 - 31), date!(2025 - 02 - 28)),
            ("3 October 2026 is a Saturday: the Monday", date!(2026 - 09 - 03), date!(2026 - 10 - 05)),
            ("25 May 2026 is the Spring bank holiday: the Tuesday", date!(2026 - 04 - 25), date!(2026 - 05 - 26)),
        ];
        for (what, on, expected) in table {
            assert_eq!(due_on(RequestKind::SubjectAccess, with_proof(on)), expected, "{what}");
        }
        let extended = ClockFacts { extended: true, ..with_proof(date!(2025 - 01 - 31)) };
        assert_eq!(due_on(RequestKind::SubjectAccess, extended), date!(2025 - 04 - 30));
        // 25 December 2026 is a Friday; Boxing Day falls on Saturday, so Monday 28th is its substitute.
        match due(RequestKind::SubjectAccess, &with_proof(date!(2026 - 11 - 25)), &foi(), &england()) {
            Due::On { due_on, rule } => {
                assert_eq!(due_on, date!(2026 - 12 - 29));
                assert!(rule.starts_with("one month from receipt of the request (Wednesday 25 November 2026)"), "{rule}");
                assert!(rule.contains("moved to the next working day (Christmas Day"), "{rule}");
            }
            Due::Stopped { why } => panic!("stopped: {why}"),
        }
        let paused = ClockFacts {
            clarification_asked_on: Some(date!(2026 - 09 - 10)),
            clarified_on: Some(date!(2026 - 09 - 17)),
            ..with_proof(date!(2026 - 09 - 01))
        };
        assert_eq!(due_on(RequestKind::SubjectAccess, paused), date!(2026 - 10 - 08), "1 October plus 7 days paused");
    }

    /// When the office asks for further proof, the month runs from when it arrives; whenever
    /// an officer later confirms it makes no difference.
    #[test]
    fn asking_for_further_proof_stops_the_month_until_it_arrives() {
        let sent_with_request =
            ClockFacts { identity_received_on: Some(date!(2026 - 09 - 01)), ..received(date!(2026 - 09 - 01)) };
        // Asking clears the proof held: what arrives next starts the month.
        let asked =
            ClockFacts { identity_asked_on: Some(date!(2026 - 09 - 02)), identity_received_on: None, ..sent_with_request };
        assert!(matches!(
            due(RequestKind::SubjectAccess, &asked, &foi(), &england()),
            Due::Stopped { why } if why.starts_with("Waiting for the further proof of identity")
        ));
        let arrived = ClockFacts { identity_received_on: Some(date!(2026 - 09 - 14)), ..asked };
        match due(RequestKind::SubjectAccess, &arrived, &foi(), &england()) {
            Due::On { due_on, rule } => {
                assert_eq!(due_on, date!(2026 - 10 - 14));
                assert!(rule.starts_with("one month from receipt of proof of identity (Monday 14 September 2026)"), "{rule}");
            }
            Due::Stopped { why } => panic!("stopped: {why}"),
        }
        let nothing = due(RequestKind::SubjectAccess, &received(date!(2026 - 09 - 01)), &foi(), &england());
        assert!(matches!(nothing, Due::Stopped { why } if why.starts_with("Waiting for proof of identity")));
        // The extension is decided within the first month: its last day is the unextended due date.
        assert_eq!(sar_extension_closes(&ClockFacts { extended: true, ..arrived }, &england()), Some(date!(2026 - 10 - 14)));
        assert_eq!(sar_extension_closes(&asked, &england()), None);
        let refused = |today: Date| sar_extension_refused(&arrived, &england(), today);
        assert_eq!(refused(date!(2026 - 10 - 14)), None, "the first month's last day");
        assert_eq!(
            refused(date!(2026 - 10 - 15)).as_deref(),
            Some(
                "The extension had to be decided and told to the requester within the first month, which ended on Wednesday 14 October 2026"
            )
        );
        assert!(
            sar_extension_refused(&asked, &england(), date!(2026 - 09 - 03))
                .is_some_and(|why| why.starts_with("The month has not started"))
        );
    }

    #[test]
    fn a_clock_waiting_on_the_requester_has_no_due_date_and_says_why() {
        let waiting = ClockFacts { clarification_asked_on: Some(date!(2026 - 03 - 04)), ..received(date!(2026 - 03 - 02)) };
        assert_eq!(
            due(RequestKind::Foi, &waiting, &foi(), &england()),
            Due::Stopped { why: "Waiting for the requester to clarify the request".into() }
        );
        let unpaid = ClockFacts { fee_notice_on: Some(date!(2026 - 03 - 04)), ..received(date!(2026 - 03 - 02)) };
        assert_eq!(
            due(RequestKind::Eir, &unpaid, &foi(), &england()),
            Due::Stopped { why: "Waiting for the fee to be paid".into() }
        );
        // A fees notice from before a clarification belongs to the old request and is ignored.
        let old_notice = ClockFacts {
            fee_notice_on: Some(date!(2026 - 03 - 03)),
            clarification_asked_on: Some(date!(2026 - 03 - 04)),
            clarified_on: Some(date!(2026 - 03 - 11)),
            ..received(date!(2026 - 03 - 02))
        };
        assert_eq!(due_on(RequestKind::Foi, old_notice), date!(2026 - 04 - 13));
    }

    #[test]
    fn rules_say_how_the_date_was_reached() {
        let facts = ClockFacts {
            fee_notice_on: Some(date!(2026 - 03 - 09)),
            fee_paid_on: Some(date!(2026 - 03 - 20)),
            public_interest_days: 10,
            ..received(date!(2026 - 03 - 02))
        };
        let Due::On { rule, .. } = due(RequestKind::Foi, &facts, &foi(), &england()) else { panic!("running") };
        assert!(rule.starts_with("20 working days after the request arrived (Monday 2 March 2026)"), "{rule}");
        assert!(rule.contains("with 5 used, and 15 more after the fee was paid (Friday 20 March 2026)"), "{rule}");
        assert!(rule.contains("extended by 10 working days to consider the public interest"), "{rule}");
    }

    #[test]
    fn public_interest_extensions_stay_within_guidance() {
        assert_eq!(check_public_interest_days(20), Ok(20));
        assert!(check_public_interest_days(21).unwrap_err().contains("no more than 20"));
        assert!(check_public_interest_days(0).is_err());
    }

    proptest! {
        #[test]
        fn an_foi_reply_is_due_on_the_twentieth_working_day(offset in 0i64..4000) {
            let day = date!(2020 - 01 - 01) + Duration::days(offset);
            let due = due_on(RequestKind::Foi, received(day));
            prop_assert!(foi().is_working_day(due));
            prop_assert_eq!(working_days_between(day, due, &foi()), 20);
        }

        #[test]
        fn a_fee_pause_never_shortens_the_clock_and_adds_exactly_the_days_waited(
            offset in 0i64..2000, before in 0i64..40, waited in 0i64..60
        ) {
            let start = date!(2021 - 01 - 04) + Duration::days(offset);
            let notice = start + Duration::days(before);
            let paid = notice + Duration::days(waited);
            let plain = due_on(RequestKind::Foi, received(start));
            let paused = due_on(RequestKind::Foi, ClockFacts { fee_notice_on: Some(notice), fee_paid_on: Some(paid), ..received(start) });
            prop_assert!(paused >= plain);
            let used = working_days_between(start, notice, &foi()).min(20);
            prop_assert_eq!(working_days_between(paid, paused, &foi()), 20 - used);
        }

        #[test]
        fn a_subject_access_deadline_is_a_working_day_a_month_or_more_away(offset in 0i64..4000, extended: bool) {
            let arrived = date!(2020 - 01 - 01) + Duration::days(offset);
            let facts = ClockFacts { identity_received_on: Some(arrived), extended, ..received(arrived) };
            let due = due_on(RequestKind::SubjectAccess, facts);
            prop_assert!(england().is_working_day(due));
            let months = if extended { 3 } else { 1 };
            prop_assert!(due >= add_months(arrived, months));
            prop_assert!((due - add_months(arrived, months)).whole_days() <= 5, "moved at most past a long weekend");
        }
    }
}
