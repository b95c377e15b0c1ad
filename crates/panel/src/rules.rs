//! The Panel's other clocks and numbering, pure: when questions close, when a promised response
//! is due and whether it is late, when a confirmation hearing's report is due and who may be
//! vetoed, and how supplements to a meeting's papers are numbered.

use platform::calendar::{WorkingDayCalendar, add_working_days};
use time::{Date, Duration};

/// Working days before a meeting by which the public's questions must arrive. Local to each
/// Panel's rules of procedure; three clear working days is common and the default here.
pub const QUESTION_NOTICE_WORKING_DAYS: u32 = 3;

/// Days after the meeting a "will provide a response" is due, unless the meeting set another date.
/// Local; 28 days is the default here.
pub const PROMISED_RESPONSE_DAYS: i64 = 28;

/// The last day the public may send a question for a meeting on `meeting`: `notice` clear working
/// days before it (the meeting day and the closing day themselves not counted).
pub fn questions_close(meeting: Date, notice: u32, calendar: &WorkingDayCalendar) -> Date {
    let mut day = meeting;
    let mut counted = 0;
    while counted <= notice {
        day = day.previous_day().expect("in range");
        if calendar.is_working_day(day) {
            counted += 1;
        }
    }
    day
}

/// Whether a question sent on `sent` is in time for a meeting with questions closing on `closes`.
pub fn in_time(sent: Date, closes: Date) -> bool {
    sent <= closes
}

/// When a promised response is due.
pub fn response_due(meeting: Date) -> Date {
    meeting + Duration::days(PROMISED_RESPONSE_DAYS)
}

/// Where a promised response stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promise {
    Answered { late: bool },
    Due { days_left: i64 },
    Overdue { days: i64 },
}

pub fn promise(due: Date, answered: Option<Date>, today: Date) -> Promise {
    match answered {
        Some(on) => Promise::Answered { late: on > due },
        None if today > due => Promise::Overdue { days: (today - due).whole_days() },
        None => Promise::Due { days_left: (due - today).whole_days() },
    }
}

impl Promise {
    pub fn words(self) -> String {
        match self {
            Promise::Answered { late: false } => "Answered".into(),
            Promise::Answered { late: true } => "Answered late".into(),
            Promise::Due { days_left: 0 } => "Due today".into(),
            Promise::Due { days_left: 1 } => "Due tomorrow".into(),
            Promise::Due { days_left } => format!("Due in {days_left} days"),
            Promise::Overdue { days: 1 } => "Overdue by 1 day".into(),
            Promise::Overdue { days } => format!("Overdue by {days} days"),
        }
    }
    /// Whether the office should be chased today: the day it falls due, and every 7 days overdue.
    pub fn chase_today(self) -> bool {
        matches!(self, Promise::Due { days_left: 0 }) || matches!(self, Promise::Overdue { days } if days % 7 == 0)
    }
}

/// The posts the Panel holds confirmation hearings for (Police Reform and Social Responsibility
/// Act 2011 Sch 1; Policing and Crime Act 2017 for fire).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Post {
    ChiefConstable,
    ChiefFireOfficer,
    Deputy,
    ChiefExecutive,
    ChiefFinanceOfficer,
}

impl Post {
    pub const ALL: [Post; 5] =
        [Post::ChiefConstable, Post::ChiefFireOfficer, Post::Deputy, Post::ChiefExecutive, Post::ChiefFinanceOfficer];
    pub fn slug(self) -> &'static str {
        match self {
            Post::ChiefConstable => "chief-constable",
            Post::ChiefFireOfficer => "chief-fire-officer",
            Post::Deputy => "deputy",
            Post::ChiefExecutive => "chief-executive",
            Post::ChiefFinanceOfficer => "chief-finance-officer",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Post> {
        Post::ALL.into_iter().find(|p| p.slug() == slug)
    }
    pub fn words(self) -> &'static str {
        match self {
            Post::ChiefConstable => "Chief constable",
            Post::ChiefFireOfficer => "Chief fire officer",
            Post::Deputy => "Deputy commissioner",
            Post::ChiefExecutive => "Chief executive",
            Post::ChiefFinanceOfficer => "Chief finance officer",
        }
    }
    /// Whether the Panel may veto the appointment (by two-thirds of its current members). Here
    /// the chief constable only, as the domain rules have it; a fire veto is not assumed.
    pub fn may_be_vetoed(self) -> bool {
        self == Post::ChiefConstable
    }
}

/// The Panel's report on a proposed appointment is due 3 weeks from the notification.
pub fn hearing_report_due(notified: Date) -> Date {
    notified + Duration::weeks(3)
}

/// The outcome the Panel records for a hearing, or why it cannot.
pub fn hearing_outcome(post: Post, veto: bool, votes: u32, current_members: u32) -> Result<&'static str, String> {
    if !veto {
        return Ok("recommended");
    }
    if !post.may_be_vetoed() {
        return Err(format!(
            "The Panel cannot veto the appointment of a {}; it may recommend against it",
            post.words().to_lowercase()
        ));
    }
    if !crate::precept::veto_carried(votes, current_members) {
        return Err(format!(
            "A veto needs two-thirds of the Panel’s {current_members} current members: at least {} votes, and {votes} were cast",
            crate::precept::votes_needed(current_members)
        ));
    }
    Ok("vetoed")
}

/// The next supplement number for a meeting's papers: one more than the highest ever given, so a
/// withdrawn supplement's number is never given again and every reference stays true.
pub fn next_supplement(given: &[i64]) -> i64 {
    given.iter().copied().max().unwrap_or(0) + 1
}

/// Working days to acknowledge a complaint about the Commissioner, and weeks to finish it (local).
pub const COMPLAINT_ACKNOWLEDGE_WORKING_DAYS: u32 = 5;
pub const COMPLAINT_FINISH_WEEKS: i64 = 8;

pub fn complaint_dates(received: Date, calendar: &WorkingDayCalendar) -> (Date, Date) {
    (add_working_days(received, COMPLAINT_ACKNOWLEDGE_WORKING_DAYS, calendar), received + Duration::weeks(COMPLAINT_FINISH_WEEKS))
}

#[cfg(test)]
mod tests {
    use super::*;
    use platform::calendar::Nation;
    use time::macros::date;

    fn calendar() -> WorkingDayCalendar {
        WorkingDayCalendar::for_nation(Nation::EnglandAndWales, Vec::new())
    }

    #[test]
    fn questions_close_three_clear_working_days_before_the_meeting() {
        // (meeting, last day for questions)
        let table = [
            // Thursday meeting: Wed, Tue, Mon are the clear days; close on the Friday before.
            (date!(2027 - 02 - 04), date!(2027 - 01 - 29)),
            // Monday meeting: Fri, Thu, Wed clear; close Tuesday.
            (date!(2027 - 02 - 08), date!(2027 - 02 - 02)),
            // The Tuesday after Easter 2027: Easter Monday and Good Friday are not working days, so
            // Thursday 25, Wednesday 24 and Tuesday 23 March are the clear days; close Monday 22.
            (date!(2027 - 03 - 30), date!(2027 - 03 - 22)),
        ];
        for (meeting, closes) in table {
            assert_eq!(questions_close(meeting, QUESTION_NOTICE_WORKING_DAYS, &calendar()), closes, "{meeting}");
        }
        assert!(in_time(date!(2027 - 01 - 29), date!(2027 - 01 - 29)));
        assert!(!in_time(date!(2027 - 01 - 30), date!(2027 - 01 - 29)));
    }

    #[test]
    fn a_promised_response_is_due_overdue_or_answered() {
        let due = response_due(date!(2018 - 01 - 29));
        assert_eq!(due, date!(2018 - 02 - 26));
        assert_eq!(promise(due, None, date!(2018 - 02 - 20)), Promise::Due { days_left: 6 });
        assert_eq!(promise(due, None, date!(2018 - 02 - 26)).words(), "Due today");
        assert_eq!(promise(due, None, date!(2018 - 03 - 05)), Promise::Overdue { days: 7 });
        assert_eq!(promise(due, Some(date!(2018 - 03 - 01)), date!(2018 - 04 - 01)), Promise::Answered { late: true });
        assert_eq!(promise(due, Some(due), date!(2018 - 04 - 01)).words(), "Answered");
        assert!(promise(due, None, due).chase_today());
        assert!(promise(due, None, date!(2018 - 03 - 05)).chase_today());
        assert!(!promise(due, None, date!(2018 - 03 - 04)).chase_today());
        assert!(!promise(due, Some(due), date!(2018 - 03 - 05)).chase_today());
    }

    #[test]
    fn a_hearing_report_is_due_in_three_weeks_and_only_a_chief_constable_may_be_vetoed() {
        assert_eq!(hearing_report_due(date!(2027 - 01 - 11)), date!(2027 - 02 - 01));
        assert_eq!(hearing_outcome(Post::ChiefConstable, true, 8, 12), Ok("vetoed"));
        assert!(hearing_outcome(Post::ChiefConstable, true, 7, 12).unwrap_err().contains("at least 8 votes"));
        assert!(hearing_outcome(Post::ChiefExecutive, true, 12, 12).unwrap_err().contains("cannot veto"));
        assert_eq!(hearing_outcome(Post::Deputy, false, 0, 12), Ok("recommended"));
    }

    #[test]
    fn supplements_are_never_renumbered() {
        assert_eq!(next_supplement(&[]), 1);
        assert_eq!(next_supplement(&[1, 2]), 3);
        // Supplement 2 withdrawn: the next is still 3.
        assert_eq!(next_supplement(&[1, 3]), 4);
    }

    #[test]
    fn complaints_are_acknowledged_in_five_working_days_and_finished_in_eight_weeks() {
        let (ack, finish) = complaint_dates(date!(2026 - 12 - 23), &calendar());
        // Christmas Day and Boxing Day (moved to Monday 28) are not working days.
        assert_eq!(ack, date!(2027 - 01 - 04));
        assert_eq!(finish, date!(2027 - 02 - 17));
    }
}
