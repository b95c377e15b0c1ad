//! Whether an application meets the area's threshold for an ASB Case Review.
//!
//! STATUTORY (ASB, Crime and Policing Act 2014 s.104 and Sch 4): the threshold is met by three
//! qualifying complaints, or fewer where the area sets a lower number (never more). A complaint
//! qualifies when it was made within one month of the behaviour and the application comes
//! within six months of the complaint. LOCAL: one incident reported to several agencies counts
//! once, and areas add their own variants (several reporters, a single hate incident, the
//! behaviour still continuing). Everything here is a pure function of the incidents, the rule
//! and the application date, so the case page can show exactly why the answer is what it is.

use serde::{Deserialize, Serialize};
use time::Date;

/// The most qualifying complaints the law lets an area ask for.
pub const STATUTORY_MAXIMUM_REPORTS: u32 = 3;

/// The area's threshold, as the office configured it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThresholdRule {
    /// Qualifying incidents needed (1 to 3).
    pub min_reports: u32,
    /// The application must come within this many months of each complaint.
    pub window_months: u32,
    /// Each complaint must be made within this many months of the behaviour.
    pub reporting_lag_months: u32,
    /// When above 1: the qualifying incidents must have been reported by at least this many
    /// different people.
    pub min_distinct_reporters: u32,
    /// One qualifying incident motivated by hate is enough.
    pub single_hate_incident: bool,
    /// The behaviour must still be going on.
    pub require_continuing: bool,
}

impl Default for ThresholdRule {
    fn default() -> Self {
        Self {
            min_reports: 3,
            window_months: 6,
            reporting_lag_months: 1,
            min_distinct_reporters: 0,
            single_hate_incident: false,
            require_continuing: false,
        }
    }
}

impl ThresholdRule {
    /// Problems that make a rule unlawful or meaningless, worded for the settings page.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut problems = Vec::new();
        if self.min_reports == 0 || self.min_reports > STATUTORY_MAXIMUM_REPORTS {
            problems.push((
                "min-reports",
                format!(
                    "Qualifying incidents must be between 1 and {STATUTORY_MAXIMUM_REPORTS}: the law never allows a higher number"
                ),
            ));
        }
        if self.window_months == 0 || self.window_months > 24 {
            problems.push(("window-months", "The window must be between 1 and 24 months".to_string()));
        }
        if self.reporting_lag_months == 0 || self.reporting_lag_months > 12 {
            problems.push(("reporting-lag-months", "The reporting time must be between 1 and 12 months".to_string()));
        }
        if self.min_distinct_reporters > 10 {
            problems.push(("min-distinct-reporters", "Different people who reported must be 10 or fewer".to_string()));
        }
        problems
    }

    /// The rule in a sentence, for the case page and the public start page.
    pub fn describe(&self) -> String {
        let incidents = if self.min_reports == 1 { "1 incident".to_string() } else { format!("{} incidents", self.min_reports) };
        let mut text = format!(
            "{incidents} reported within {} of happening, with the application made within {} of each report",
            months(self.reporting_lag_months),
            months(self.window_months)
        );
        if self.min_distinct_reporters > 1 {
            text.push_str(&format!(", reported by at least {} different people", self.min_distinct_reporters));
        }
        if self.require_continuing {
            text.push_str(", with the behaviour still going on");
        }
        if self.single_hate_incident {
            text.push_str("; or a single such incident motivated by hate");
        }
        text
    }
}

fn months(n: u32) -> String {
    if n == 1 { "1 month".into() } else { format!("{n} months") }
}

/// An incident as the applicant described it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportedIncident {
    pub occurred_on: Date,
    pub reported_on: Date,
    /// Who reported it ("" when the applicant did not say: taken to be the applicant).
    pub reporter: String,
}

/// Why an incident does or does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    Qualifies,
    /// The same incident as an earlier one (the same day): counted once, there.
    SameAs(usize),
    ReportedTooLate,
    OutsideWindow,
    ReportedBeforeItHappened,
    ReportedAfterApplication,
}

impl Finding {
    pub fn qualifies(self) -> bool {
        self == Finding::Qualifies
    }

    pub fn explain(self, rule: &ThresholdRule) -> String {
        match self {
            Finding::Qualifies => "Counts towards the threshold".into(),
            Finding::SameAs(n) => format!("The same incident as incident {n} (same day), so counted once"),
            Finding::ReportedTooLate => {
                format!("Not counted: reported more than {} after it happened", months(rule.reporting_lag_months))
            }
            Finding::OutsideWindow => {
                format!("Not counted: reported more than {} before the application", months(rule.window_months))
            }
            Finding::ReportedBeforeItHappened => "Not counted: the report date is before the incident date".into(),
            Finding::ReportedAfterApplication => "Not counted: reported after the application was made".into(),
        }
    }
}

/// The threshold worked out for one application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThresholdAssessment {
    /// One finding per incident, in the order given (incident 1 first).
    pub findings: Vec<Finding>,
    pub qualifying: u32,
    pub distinct_reporters: u32,
    pub met: bool,
    /// Plain-English reasons the answer is what it is.
    pub reasons: Vec<String>,
}

/// The date `n` months after `date`, on the same day of the month or the month's last day.
pub fn add_months(date: Date, n: u32) -> Date {
    let total = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + i32::try_from(n).unwrap_or(0);
    let year = total.div_euclid(12);
    let month = time::Month::try_from(u8::try_from(total.rem_euclid(12) + 1).unwrap_or(1)).unwrap_or(time::Month::January);
    let day = date.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).unwrap_or(date)
}

fn normalised_reporter(reporter: &str) -> String {
    let name = reporter.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    if name.is_empty() { "the applicant".into() } else { name }
}

/// Works out the threshold. `hate_motivated` and `continuing` are the applicant's answers.
pub fn assess(
    rule: &ThresholdRule,
    incidents: &[ReportedIncident],
    applied_on: Date,
    hate_motivated: bool,
    continuing: bool,
) -> ThresholdAssessment {
    let mut findings = Vec::with_capacity(incidents.len());
    for (index, incident) in incidents.iter().enumerate() {
        let earlier_same_day = incidents[..index].iter().position(|other| other.occurred_on == incident.occurred_on);
        let finding = if let Some(first) = earlier_same_day {
            Finding::SameAs(first + 1)
        } else {
            // Of the reports of this incident (this one and later ones of the same day), the
            // earliest counts: an incident told to the police at once and to the council weeks
            // later was still reported in time.
            let reported_on = incidents[index..]
                .iter()
                .filter(|other| other.occurred_on == incident.occurred_on && other.reported_on >= other.occurred_on)
                .map(|other| other.reported_on)
                .min()
                .unwrap_or(incident.reported_on);
            if reported_on < incident.occurred_on {
                Finding::ReportedBeforeItHappened
            } else if reported_on > applied_on {
                Finding::ReportedAfterApplication
            } else if reported_on > add_months(incident.occurred_on, rule.reporting_lag_months) {
                Finding::ReportedTooLate
            } else if add_months(reported_on, rule.window_months) < applied_on {
                Finding::OutsideWindow
            } else {
                Finding::Qualifies
            }
        };
        findings.push(finding);
    }

    let qualifying_reporters =
        |day: Date| incidents.iter().filter(move |i| i.occurred_on == day).map(|i| normalised_reporter(&i.reporter));
    let mut reporters: Vec<String> = incidents
        .iter()
        .zip(&findings)
        .filter(|(_, f)| f.qualifies())
        .flat_map(|(i, _)| qualifying_reporters(i.occurred_on))
        .collect();
    reporters.sort();
    reporters.dedup();
    let qualifying = u32::try_from(findings.iter().filter(|f| f.qualifies()).count()).unwrap_or(u32::MAX);
    let distinct_reporters = u32::try_from(reporters.len()).unwrap_or(u32::MAX);

    let mut reasons = Vec::new();
    let enough_reports = qualifying >= rule.min_reports;
    reasons.push(format!(
        "{qualifying} of {} incidents count; the area needs {}",
        incidents.len() - findings.iter().filter(|f| matches!(f, Finding::SameAs(_))).count(),
        rule.min_reports
    ));
    let enough_reporters = rule.min_distinct_reporters <= 1 || distinct_reporters >= rule.min_distinct_reporters;
    if rule.min_distinct_reporters > 1 {
        reasons
            .push(format!("{distinct_reporters} different people reported them; the area needs {}", rule.min_distinct_reporters));
    }
    let continuing_ok = !rule.require_continuing || continuing;
    if rule.require_continuing {
        reasons.push(if continuing { "The behaviour is still going on".into() } else { "The behaviour has stopped".into() });
    }
    let by_count = enough_reports && enough_reporters && continuing_ok;
    let by_hate = rule.single_hate_incident && hate_motivated && qualifying >= 1;
    if by_hate && !by_count {
        reasons.push("A qualifying incident was motivated by hate, which is enough on its own in this area".into());
    }
    ThresholdAssessment { findings, qualifying, distinct_reporters, met: by_count || by_hate, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn incident(occurred_on: Date, reported_on: Date) -> ReportedIncident {
        ReportedIncident { occurred_on, reported_on, reporter: String::new() }
    }

    const APPLIED: Date = date!(2026 - 09 - 15);

    #[test]
    fn three_timely_reports_meet_the_default_threshold() {
        let incidents = [
            incident(date!(2026 - 06 - 01), date!(2026 - 06 - 02)),
            incident(date!(2026 - 07 - 10), date!(2026 - 07 - 10)),
            incident(date!(2026 - 08 - 20), date!(2026 - 09 - 10)),
        ];
        let assessment = assess(&ThresholdRule::default(), &incidents, APPLIED, false, true);
        assert_eq!(assessment.findings, vec![Finding::Qualifies; 3]);
        assert_eq!(assessment.qualifying, 3);
        assert!(assessment.met);
        assert_eq!(assessment.reasons[0], "3 of 3 incidents count; the area needs 3");
    }

    #[test]
    fn each_reason_for_not_counting_is_named() {
        let incidents = [
            // Reported a month and a day after it happened.
            incident(date!(2026 - 07 - 01), date!(2026 - 08 - 02)),
            // Reported more than six months before the application.
            incident(date!(2026 - 03 - 01), date!(2026 - 03 - 14)),
            incident(date!(2026 - 08 - 01), date!(2026 - 07 - 30)),
            incident(date!(2026 - 09 - 10), date!(2026 - 09 - 16)),
        ];
        let assessment = assess(&ThresholdRule::default(), &incidents, APPLIED, false, true);
        assert_eq!(
            assessment.findings,
            vec![
                Finding::ReportedTooLate,
                Finding::OutsideWindow,
                Finding::ReportedBeforeItHappened,
                Finding::ReportedAfterApplication
            ]
        );
        assert!(!assessment.met);
        assert_eq!(assessment.qualifying, 0);
    }

    #[test]
    fn the_boundaries_are_inclusive() {
        // Reported exactly one month later; application exactly six months after the report.
        let incidents = [incident(date!(2026 - 02 - 15), date!(2026 - 03 - 15))];
        let rule = ThresholdRule { min_reports: 1, ..ThresholdRule::default() };
        assert_eq!(assess(&rule, &incidents, APPLIED, false, true).findings, vec![Finding::Qualifies]);
        assert_eq!(assess(&rule, &incidents, date!(2026 - 09 - 16), false, true).findings, vec![Finding::OutsideWindow]);
        // 31 January plus a month is 28 February (or the 29th in a leap year).
        assert_eq!(add_months(date!(2026 - 01 - 31), 1), date!(2026 - 02 - 28));
        assert_eq!(add_months(date!(2028 - 01 - 31), 1), date!(2028 - 02 - 29));
        assert_eq!(add_months(date!(2026 - 11 - 30), 3), date!(2027 - 02 - 28));
    }

    #[test]
    fn one_incident_reported_to_several_agencies_counts_once() {
        let incidents = [
            incident(date!(2026 - 08 - 01), date!(2026 - 08 - 01)),
            // The same night, told to the council too.
            incident(date!(2026 - 08 - 01), date!(2026 - 08 - 03)),
            incident(date!(2026 - 08 - 12), date!(2026 - 08 - 12)),
        ];
        let assessment = assess(&ThresholdRule::default(), &incidents, APPLIED, false, true);
        assert_eq!(assessment.findings, vec![Finding::Qualifies, Finding::SameAs(1), Finding::Qualifies]);
        assert_eq!(assessment.qualifying, 2);
        assert!(!assessment.met);
        assert_eq!(assessment.reasons[0], "2 of 2 incidents count; the area needs 3");
    }

    #[test]
    fn the_earliest_report_of_an_incident_decides_whether_it_was_in_time() {
        let incidents = [
            // First entered as told to the council two months on…
            incident(date!(2026 - 06 - 01), date!(2026 - 08 - 01)),
            // …but the police heard the next day.
            incident(date!(2026 - 06 - 01), date!(2026 - 06 - 02)),
        ];
        let rule = ThresholdRule { min_reports: 1, ..ThresholdRule::default() };
        assert_eq!(assess(&rule, &incidents, APPLIED, false, true).findings, vec![Finding::Qualifies, Finding::SameAs(1)]);
    }

    #[test]
    fn local_variants_apply_only_when_switched_on() {
        let incidents = [
            ReportedIncident { occurred_on: date!(2026 - 08 - 01), reported_on: date!(2026 - 08 - 01), reporter: "Ann".into() },
            ReportedIncident { occurred_on: date!(2026 - 08 - 05), reported_on: date!(2026 - 08 - 05), reporter: " ann ".into() },
            ReportedIncident { occurred_on: date!(2026 - 08 - 09), reported_on: date!(2026 - 08 - 09), reporter: "Bob".into() },
        ];
        let two_people = ThresholdRule { min_distinct_reporters: 2, ..ThresholdRule::default() };
        let assessment = assess(&two_people, &incidents, APPLIED, false, true);
        assert_eq!(assessment.distinct_reporters, 2);
        assert!(assessment.met);
        let three_people = ThresholdRule { min_distinct_reporters: 3, ..ThresholdRule::default() };
        assert!(!assess(&three_people, &incidents, APPLIED, false, true).met);

        let continuing = ThresholdRule { require_continuing: true, ..ThresholdRule::default() };
        assert!(!assess(&continuing, &incidents, APPLIED, false, false).met);
        assert!(assess(&continuing, &incidents, APPLIED, false, true).met);

        let one = [incidents[0].clone()];
        let hate = ThresholdRule { single_hate_incident: true, ..ThresholdRule::default() };
        assert!(assess(&hate, &one, APPLIED, true, true).met);
        assert!(!assess(&hate, &one, APPLIED, false, true).met);
        assert!(!assess(&ThresholdRule::default(), &one, APPLIED, true, true).met);
    }

    #[test]
    fn a_rule_above_the_statutory_number_is_refused() {
        let rule = ThresholdRule { min_reports: 4, ..ThresholdRule::default() };
        assert_eq!(rule.problems()[0].0, "min-reports");
        assert!(ThresholdRule::default().problems().is_empty());
        assert_eq!(
            ThresholdRule::default().describe(),
            "3 incidents reported within 1 month of happening, with the application made within 6 months of each report"
        );
    }

    fn any_incidents() -> impl Strategy<Value = Vec<ReportedIncident>> {
        let base = date!(2026 - 01 - 01);
        prop::collection::vec((0i64..300, 0i64..60, 0usize..3), 0..8).prop_map(move |raw| {
            raw.into_iter()
                .map(|(day, lag, who)| ReportedIncident {
                    occurred_on: base + time::Duration::days(day),
                    reported_on: base + time::Duration::days(day + lag),
                    reporter: ["", "Ann", "Bob"][who].into(),
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn qualifying_incidents_never_outnumber_distinct_days(incidents in any_incidents()) {
            let assessment = assess(&ThresholdRule::default(), &incidents, date!(2026 - 12 - 01), false, true);
            let mut days: Vec<Date> = incidents.iter().map(|i| i.occurred_on).collect();
            days.sort();
            days.dedup();
            prop_assert!(assessment.qualifying as usize <= days.len());
            prop_assert_eq!(assessment.findings.len(), incidents.len());
        }

        #[test]
        fn reporting_an_incident_to_another_agency_never_loses_the_threshold(
            incidents in any_incidents(), pick in 0usize..8, extra_lag in 0i64..90
        ) {
            prop_assume!(!incidents.is_empty());
            let applied = date!(2026 - 12 - 01);
            let rule = ThresholdRule::default();
            let before = assess(&rule, &incidents, applied, false, true);
            let mut more = incidents.clone();
            let copy = incidents[pick % incidents.len()].clone();
            more.push(ReportedIncident { reported_on: copy.reported_on + time::Duration::days(extra_lag), ..copy });
            let after = assess(&rule, &more, applied, false, true);
            prop_assert!(after.qualifying >= before.qualifying);
            prop_assert!(after.met || !before.met);
        }

        #[test]
        fn a_lower_number_never_turns_met_into_not_met(incidents in any_incidents(), applied_day in 0i64..400) {
            let applied = date!(2026 - 01 - 01) + time::Duration::days(applied_day);
            let strict = assess(&ThresholdRule::default(), &incidents, applied, false, true);
            for min_reports in 1..3 {
                let lenient = assess(&ThresholdRule { min_reports, ..ThresholdRule::default() }, &incidents, applied, false, true);
                prop_assert!(lenient.met || !strict.met);
            }
        }

        #[test]
        fn waiting_longer_to_apply_never_adds_qualifying_incidents(incidents in any_incidents(), wait in 0i64..200) {
            let applied = date!(2026 - 12 - 01);
            let now = assess(&ThresholdRule::default(), &incidents, applied, false, true);
            let later = assess(&ThresholdRule::default(), &incidents, applied + time::Duration::days(wait), false, true);
            // Reports made after the first date but before the second can join; without them, the count only falls.
            let late_reports = incidents.iter().any(|i| i.reported_on > applied);
            prop_assert!(late_reports || later.qualifying <= now.qualifying);
        }
    }
}
