//! The precept by its statutory timetable (Police Reform and Social Responsibility Act 2011 Sch 5;
//! the Police and Crime Panels (Precepts and Chief Constable Appointments) Regulations 2012; for
//! fire, the Fire and Rescue Services Act 2004 Sch A2): the proposal notified by 1 February, the
//! Panel's report by 8 February, a revision by 15 February after a veto, the second report by
//! 22 February, and the precept issued before 1 March. Pure: every step is checked here, and a
//! step that cannot be taken comes back with the reason in words.

use time::{Date, Month};

/// Which precept: the police precept, or (for a Police, Fire and Crime Commissioner) the fire one.
/// Each has its own round; the Panel cannot delegate either.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precept {
    Police,
    Fire,
}

impl Precept {
    pub fn slug(self) -> &'static str {
        match self {
            Precept::Police => "police",
            Precept::Fire => "fire",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Precept> {
        [Precept::Police, Precept::Fire].into_iter().find(|p| p.slug() == slug)
    }
    pub fn words(self) -> &'static str {
        match self {
            Precept::Police => "Police precept",
            Precept::Fire => "Fire and rescue precept",
        }
    }
}

/// The statutory dates for the precept of the financial year that starts in April of `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timetable {
    pub notify_by: Date,
    pub report_by: Date,
    pub revise_by: Date,
    pub second_report_by: Date,
    /// The precept must be issued before this date (so the last day is the day before).
    pub issue_before: Date,
}

impl Timetable {
    /// The timetable for the financial year starting 1 April `starts`: its dates fall in February
    /// of that calendar year.
    pub fn for_year(starts: i32) -> Timetable {
        let feb = |day| Date::from_calendar_date(starts, Month::February, day).expect("a day of February");
        Timetable {
            notify_by: feb(1),
            report_by: feb(8),
            revise_by: feb(15),
            second_report_by: feb(22),
            issue_before: Date::from_calendar_date(starts, Month::March, 1).expect("1 March"),
        }
    }
}

/// Whether `votes` in favour of a veto carry it: two-thirds of the Panel's *current members*
/// (not of those present), with the comparison in whole numbers so a third is never rounded.
pub fn veto_carried(votes: u32, current_members: u32) -> bool {
    current_members > 0 && u64::from(votes) * 3 >= u64::from(current_members) * 2
}

/// The fewest votes that carry a veto for a Panel of `current_members`.
pub fn votes_needed(current_members: u32) -> u32 {
    (current_members * 2).div_ceil(3)
}

/// Which way a veto goes: the revision must be lower after "too high", higher after "too low".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Veto {
    TooHigh,
    TooLow,
}

/// What the Panel reported on a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Report {
    /// Supported (with or without recommendations): the proposal may be issued.
    Supported,
    Vetoed(Veto),
}

impl Report {
    pub fn slug(self) -> &'static str {
        match self {
            Report::Supported => "supported",
            Report::Vetoed(Veto::TooHigh) => "vetoed-too-high",
            Report::Vetoed(Veto::TooLow) => "vetoed-too-low",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Report> {
        [Report::Supported, Report::Vetoed(Veto::TooHigh), Report::Vetoed(Veto::TooLow)].into_iter().find(|r| r.slug() == slug)
    }
    pub fn words(self) -> &'static str {
        match self {
            Report::Supported => "Supported: the Panel did not veto the proposal",
            Report::Vetoed(Veto::TooHigh) => "Vetoed as too high",
            Report::Vetoed(Veto::TooLow) => "Vetoed as too low",
        }
    }
}

/// A round as it stands: amounts are Band D in pence.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Round {
    pub year: i32,
    pub current_band_d: i64,
    pub proposed_band_d: Option<i64>,
    pub notified_on: Option<Date>,
    pub report: Option<(Report, Date)>,
    pub revised_band_d: Option<i64>,
    pub revised_on: Option<Date>,
    pub second_report_on: Option<Date>,
    pub responded_on: Option<Date>,
    pub issued_band_d: Option<i64>,
    pub issued_on: Option<Date>,
}

/// One step the office or the Panel takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The Commissioner notifies the Panel of the proposed Band D.
    Notify { band_d: i64, on: Date },
    /// The Panel reports; a veto states the votes cast for it and the current membership.
    Report { report: Report, votes_for_veto: u32, current_members: u32, on: Date },
    /// After a veto, the Commissioner sends a revised proposal.
    Revise { band_d: i64, on: Date },
    /// The Panel reports on the revision (it cannot veto again).
    SecondReport { on: Date },
    /// The Commissioner responds to the Panel's report.
    Respond { on: Date },
    /// The Commissioner issues the precept.
    Issue { band_d: i64, on: Date },
}

/// Where a round has got to, in words and as the next step expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Draft,
    Notified,
    Reported,
    Vetoed,
    Revised,
    SecondReported,
    Responded,
    Issued,
}

impl Stage {
    pub fn words(self) -> &'static str {
        match self {
            Stage::Draft => "Not yet notified to the Panel",
            Stage::Notified => "Notified: waiting for the Panel’s report",
            Stage::Reported => "Reported: waiting for the response",
            Stage::Vetoed => "Vetoed: waiting for the revised proposal",
            Stage::Revised => "Revised: waiting for the Panel’s second report",
            Stage::SecondReported => "Second report made: waiting for the response",
            Stage::Responded => "Responded: waiting for the precept to be issued",
            Stage::Issued => "Issued",
        }
    }
}

impl Round {
    pub fn new(year: i32, current_band_d: i64) -> Round {
        Round { year, current_band_d, ..Round::default() }
    }

    pub fn timetable(&self) -> Timetable {
        Timetable::for_year(self.year)
    }

    pub fn stage(&self) -> Stage {
        if self.issued_on.is_some() {
            Stage::Issued
        } else if self.responded_on.is_some() {
            Stage::Responded
        } else if self.second_report_on.is_some() {
            Stage::SecondReported
        } else if self.revised_on.is_some() {
            Stage::Revised
        } else if let Some((report, _)) = self.report {
            if matches!(report, Report::Vetoed(_)) { Stage::Vetoed } else { Stage::Reported }
        } else if self.notified_on.is_some() {
            Stage::Notified
        } else {
            Stage::Draft
        }
    }

    fn veto(&self) -> Option<Veto> {
        match self.report {
            Some((Report::Vetoed(v), _)) => Some(v),
            _ => None,
        }
    }

    /// The round after `step`, or why the step cannot be taken.
    pub fn apply(&self, step: Step) -> Result<Round, String> {
        let tt = self.timetable();
        let mut next = self.clone();
        let stage = self.stage();
        let not_before = |on: Date, earlier: Option<Date>, what: &str| match earlier {
            Some(e) if on < e => Err(format!("The date cannot be before the {what} ({})", platform::calendar::long_date(e))),
            _ => Ok(()),
        };
        match step {
            Step::Notify { band_d, on } => {
                if stage != Stage::Draft {
                    return Err("The proposal has already been notified to the Panel".into());
                }
                if band_d <= 0 {
                    return Err("Enter the proposed Band D amount, more than £0".into());
                }
                if on >= tt.issue_before {
                    return Err(format!(
                        "A proposal notified on {} leaves no time for the Panel before the precept must be issued",
                        platform::calendar::long_date(on)
                    ));
                }
                next.proposed_band_d = Some(band_d);
                next.notified_on = Some(on);
            }
            Step::Report { report, votes_for_veto, current_members, on } => {
                if stage != Stage::Notified {
                    return Err(match stage {
                        Stage::Draft => "The Panel cannot report before the proposal is notified".into(),
                        _ => "The Panel has already reported on the proposal".into(),
                    });
                }
                not_before(on, self.notified_on, "notification")?;
                if let Report::Vetoed(_) = report {
                    if votes_for_veto > current_members {
                        return Err(format!("{votes_for_veto} votes is more than the Panel’s {current_members} current members"));
                    }
                    if !veto_carried(votes_for_veto, current_members) {
                        return Err(format!(
                            "A veto needs two-thirds of the Panel’s {current_members} current members, not of those present: at least {} votes, and {votes_for_veto} were cast. Record the report as supported, with its recommendations",
                            votes_needed(current_members)
                        ));
                    }
                    if on > tt.report_by {
                        return Err(format!(
                            "A veto must be in the Panel’s report by {}; after that the proposal may be issued as it stands",
                            platform::calendar::long_date(tt.report_by)
                        ));
                    }
                }
                next.report = Some((report, on));
            }
            Step::Revise { band_d, on } => {
                let Some(veto) = self.veto() else {
                    return Err("A revised proposal follows only a veto".into());
                };
                if stage != Stage::Vetoed {
                    return Err("The revised proposal has already been sent".into());
                }
                not_before(on, self.report.map(|(_, d)| d), "Panel’s report")?;
                let proposed = self.proposed_band_d.unwrap_or_default();
                match veto {
                    Veto::TooHigh if band_d >= proposed => {
                        return Err(format!("The Panel vetoed {} as too high: the revision must be lower", pounds(proposed)));
                    }
                    Veto::TooLow if band_d <= proposed => {
                        return Err(format!("The Panel vetoed {} as too low: the revision must be higher", pounds(proposed)));
                    }
                    _ => {}
                }
                next.revised_band_d = Some(band_d);
                next.revised_on = Some(on);
            }
            Step::SecondReport { on } => {
                if stage != Stage::Revised {
                    return Err("The Panel’s second report follows only a revised proposal".into());
                }
                not_before(on, self.revised_on, "revised proposal")?;
                next.second_report_on = Some(on);
            }
            Step::Respond { on } => {
                match stage {
                    Stage::Reported | Stage::SecondReported => {}
                    Stage::Vetoed | Stage::Revised => {
                        return Err("After a veto, the response follows the Panel’s report on the revised proposal".into());
                    }
                    Stage::Responded | Stage::Issued => return Err("The response has already been made".into()),
                    _ => return Err("There is no report of the Panel’s to respond to yet".into()),
                }
                not_before(on, self.second_report_on.or(self.report.map(|(_, d)| d)), "Panel’s report")?;
                next.responded_on = Some(on);
            }
            Step::Issue { band_d, on } => {
                if on >= tt.issue_before {
                    return Err(format!("The precept must be issued before {}", platform::calendar::long_date(tt.issue_before)));
                }
                let proposed = self.proposed_band_d.unwrap_or_default();
                match stage {
                    Stage::Issued => return Err("The precept has already been issued".into()),
                    Stage::Draft => return Err("The proposal has not been notified to the Panel".into()),
                    Stage::Notified => {
                        if on <= tt.report_by {
                            return Err(format!(
                                "The Panel has until {} to report; the proposal cannot be issued before then",
                                platform::calendar::long_date(tt.report_by)
                            ));
                        }
                        if band_d != proposed {
                            return Err(format!(
                                "Without a report from the Panel, only the proposal as notified ({}) may be issued",
                                pounds(proposed)
                            ));
                        }
                    }
                    Stage::Reported => {
                        return Err("Respond to the Panel’s report before issuing the precept".into());
                    }
                    Stage::Vetoed | Stage::Revised | Stage::SecondReported => {
                        return Err("After a veto, the precept is issued once the Panel has reported on the revision and the response is made".into());
                    }
                    Stage::Responded => {
                        let allowed = match self.veto() {
                            None => band_d == proposed,
                            Some(Veto::TooHigh) => band_d <= self.revised_band_d.unwrap_or_default(),
                            Some(Veto::TooLow) => band_d >= self.revised_band_d.unwrap_or_default(),
                        };
                        if !allowed {
                            return Err(match self.veto() {
                                None => format!(
                                    "The precept issued must be the proposal the Panel reported on ({})",
                                    pounds(proposed)
                                ),
                                Some(Veto::TooHigh) => format!(
                                    "After a veto as too high, the precept cannot be more than the revision ({})",
                                    pounds(self.revised_band_d.unwrap_or_default())
                                ),
                                Some(Veto::TooLow) => format!(
                                    "After a veto as too low, the precept cannot be less than the revision ({})",
                                    pounds(self.revised_band_d.unwrap_or_default())
                                ),
                            });
                        }
                    }
                }
                next.issued_band_d = Some(band_d);
                next.issued_on = Some(on);
            }
        }
        Ok(next)
    }

    /// The next statutory date still to be met on `today`, with what is due then; none once issued.
    pub fn next_deadline(&self) -> Option<(Date, &'static str)> {
        let tt = self.timetable();
        match self.stage() {
            Stage::Draft => Some((tt.notify_by, "The Commissioner notifies the Panel of the proposed precept")),
            Stage::Notified => Some((tt.report_by, "The Panel reports on the proposal")),
            Stage::Vetoed => Some((tt.revise_by, "The Commissioner sends the Panel a revised proposal")),
            Stage::Revised => Some((tt.second_report_by, "The Panel reports on the revised proposal")),
            Stage::Reported | Stage::SecondReported | Stage::Responded => Some((
                tt.issue_before.previous_day().expect("28 or 29 February"),
                "The Commissioner responds and issues the precept",
            )),
            Stage::Issued => None,
        }
    }

    /// The Band D to show as this year's: issued, or else the latest proposal.
    pub fn band_d(&self) -> Option<i64> {
        self.issued_band_d.or(self.revised_band_d).or(self.proposed_band_d)
    }
}

/// The council tax bands of England as ninths of Band D (Local Government Finance Act 1992 s5).
pub const BAND_NINTHS: [(char, i64); 8] = [('A', 6), ('B', 7), ('C', 8), ('D', 9), ('E', 11), ('F', 13), ('G', 15), ('H', 18)];

/// One band's amount as an exact fraction of pence: `numerator / 9`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BandAmount {
    pub band: char,
    pub ninths: i64,
    /// Pence × 9, so the amount is exact.
    pub pence_times_nine: i64,
}

impl BandAmount {
    /// Rounded to the nearest penny (halves away from zero), for display only.
    pub fn pence(&self) -> i64 {
        let q = self.pence_times_nine / 9;
        let r = self.pence_times_nine % 9;
        if r * 2 >= 9 { q + 1 } else { q }
    }
}

/// Every band's amount from a Band D in pence.
pub fn bands(band_d_pence: i64) -> Vec<BandAmount> {
    BAND_NINTHS.iter().map(|&(band, ninths)| BandAmount { band, ninths, pence_times_nine: band_d_pence * ninths }).collect()
}

/// "£241.83": pence as pounds, in GOV.UK style.
pub fn pounds(pence: i64) -> String {
    let sign = if pence < 0 { "−" } else { "" };
    let p = pence.unsigned_abs();
    format!("{sign}£{}.{:02}", platform::format::thousands(usize::try_from(p / 100).unwrap_or(usize::MAX)), p % 100)
}

/// Reads "£241.83", "241.83" or "241" as pence; anything else is `None`.
pub fn read_pounds(text: &str) -> Option<i64> {
    let t = text.trim().trim_start_matches('£').replace(',', "");
    let (whole, part) = t.split_once('.').unwrap_or((&t, "0"));
    if whole.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || part.len() > 2
        || !part.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let part: i64 = if part.len() == 1 { part.parse::<i64>().ok()? * 10 } else { part.parse().ok()? };
    whole.checked_mul(100)?.checked_add(part)
}

/// A year's referendum principle for a Band D rise, as the government set it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// A rise of more than this many pence is excessive.
    PoundsMoreThan(i64),
    /// A rise of more than this many hundredths of a percent is excessive.
    PercentMoreThan(i64),
    /// A rise of this many hundredths of a percent or more is excessive.
    PercentFrom(i64),
}

/// The referendum principles by year, as dated data: (financial year starting, precept, limit,
/// source). From the domain rules (§6); years not listed are not known here and are said so.
pub const LIMITS: &[(i32, Precept, Limit, &str)] = &[
    (
        2018,
        Precept::Police,
        Limit::PoundsMoreThan(1200),
        "Referendums Relating to Council Tax Increases (Principles) (England) Report 2018/19",
    ),
    (2019, Precept::Police, Limit::PoundsMoreThan(2400), "Referendum principles report 2019/20"),
    (2021, Precept::Police, Limit::PoundsMoreThan(1500), "Referendum principles report 2021/22"),
    (2021, Precept::Fire, Limit::PercentFrom(200), "Referendum principles report 2021/22"),
    (2022, Precept::Police, Limit::PoundsMoreThan(1000), "Referendum principles report 2022/23"),
    (2023, Precept::Police, Limit::PoundsMoreThan(1500), "Referendum principles report 2023/24"),
    (2024, Precept::Police, Limit::PoundsMoreThan(1300), "Referendum principles report 2024/25"),
    (2024, Precept::Fire, Limit::PercentMoreThan(299), "Referendum principles report 2024/25"),
    (2025, Precept::Police, Limit::PoundsMoreThan(1400), "Referendum principles report 2025/26"),
    (2025, Precept::Fire, Limit::PoundsMoreThan(500), "Referendum principles report 2025/26"),
    (2026, Precept::Police, Limit::PoundsMoreThan(1500), "Final local government finance settlement 2026/27"),
    (2026, Precept::Fire, Limit::PoundsMoreThan(500), "Final local government finance settlement 2026/27"),
];

pub fn limit_for(year: i32, precept: Precept) -> Option<(Limit, &'static str)> {
    LIMITS.iter().find(|(y, p, _, _)| *y == year && *p == precept).map(|(_, _, l, s)| (*l, *s))
}

impl Limit {
    pub fn words(self) -> String {
        match self {
            Limit::PoundsMoreThan(p) => format!("a Band D rise of more than {}", pounds(p)),
            Limit::PercentMoreThan(bp) => {
                format!("a Band D rise of more than {}%", platform::format::decimal(bp as f64 / 100.0, 2))
            }
            Limit::PercentFrom(bp) => format!("a Band D rise of {}% or more", platform::format::decimal(bp as f64 / 100.0, 2)),
        }
    }

    /// Whether moving from `current` to `proposed` (Band D, pence) would need a referendum.
    /// Percentages are compared exactly: rise × 10,000 against limit × current.
    pub fn is_excessive(self, current: i64, proposed: i64) -> bool {
        let rise = i128::from(proposed - current);
        let current = i128::from(current);
        match self {
            Limit::PoundsMoreThan(p) => rise > i128::from(p),
            Limit::PercentMoreThan(bp) => current > 0 && rise * 10_000 > i128::from(bp) * current,
            Limit::PercentFrom(bp) => current > 0 && rise * 10_000 >= i128::from(bp) * current,
        }
    }
}

#[cfg(test)]
mod tests;
