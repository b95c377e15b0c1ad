//! Statistical process control for a measure's series, as NHS England's "Making Data Count"
//! teaches it (and as its reference code, NHSRplotthedots, computes it): an XmR chart whose
//! limits are the mean ± 2.66 × the mean moving range, four rules for special causes, a verdict
//! in words that knows which way is better, and an assurance against a target that says whether
//! the process will meet it reliably. No red, amber or green from this year against last.
//!
//! Pure: values in, chart out. The tests beside it check each rule against a brute-force reading
//! of its definition, and the limits against a hand-worked example.

use serde::{Deserialize, Serialize};

/// Which way is better for a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Polarity {
    HigherIsBetter,
    LowerIsBetter,
    Neither,
}

impl Polarity {
    pub fn slug(self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "higher",
            Polarity::LowerIsBetter => "lower",
            Polarity::Neither => "neither",
        }
    }
    pub fn from_slug(slug: &str) -> Option<Polarity> {
        match slug.trim().to_ascii_lowercase().as_str() {
            "higher" | "higher is better" | "up" => Some(Polarity::HigherIsBetter),
            "lower" | "lower is better" | "down" => Some(Polarity::LowerIsBetter),
            "neither" | "" => Some(Polarity::Neither),
            _ => None,
        }
    }
    pub fn described(self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "Higher is better",
            Polarity::LowerIsBetter => "Lower is better",
            Polarity::Neither => "Neither higher nor lower is better",
        }
    }
}

/// The multiplier of the mean moving range that gives three-sigma limits (3 ÷ d₂, d₂ = 1.128).
pub const LIMIT_FACTOR: f64 = 2.66;
/// Moving ranges above this multiple of their mean are left out of it: one wild jump would
/// otherwise widen the limits so far that nothing else shows (Nelson's screen, 3.267 = D₄).
pub const SCREEN_FACTOR: f64 = 3.267;
/// Points in a row on one side of the mean that make a shift.
pub const SHIFT_RUN: usize = 7;
/// Points in a row each above (or below) the one before that make a trend.
pub const TREND_RUN: usize = 7;
/// Fewer points than this give limits too unsteady to call anything special: the chart is shown
/// as a run chart with the numbers, and the verdict says why there is none.
pub const MIN_POINTS: usize = 12;

/// A special-cause rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// A point above the upper or below the lower limit.
    BeyondLimit,
    /// Seven or more points in a row above the mean, or below it.
    Shift,
    /// Seven or more points in a row each higher, or each lower, than the one before.
    Trend,
    /// Two of three points in a row beyond two sigma on the same side.
    TwoOfThree,
}

impl Rule {
    pub fn described(self) -> &'static str {
        match self {
            Rule::BeyondLimit => "outside the control limits",
            Rule::Shift => "part of a run of 7 or more on one side of the average",
            Rule::Trend => "part of 7 or more rising or falling in a row",
            Rule::TwoOfThree => "2 of 3 close to a limit",
        }
    }
}

/// Which side of the mean a special cause lies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Side {
    High,
    Low,
}

/// A flag on one point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flag {
    pub rule: Rule,
    pub side: Side,
}

/// What the latest point says about the process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Variation {
    Improving,
    Deteriorating,
    /// A special cause on a measure where neither way is better.
    Higher,
    Lower,
    NoSignificantChange,
    NotEnoughData,
}

impl Variation {
    pub fn words(self) -> &'static str {
        match self {
            Variation::Improving => "Improving",
            Variation::Deteriorating => "Deteriorating",
            Variation::Higher => "Higher than usual",
            Variation::Lower => "Lower than usual",
            Variation::NoSignificantChange => "No significant change",
            Variation::NotEnoughData => "Not enough data to tell",
        }
    }
    /// The GOV.UK tag colour: blue for better, orange for worse, grey for no change.
    pub fn tag_class(self) -> &'static str {
        match self {
            Variation::Improving => "govuk-tag--blue",
            Variation::Deteriorating => "govuk-tag--orange",
            Variation::Higher | Variation::Lower => "govuk-tag--purple",
            Variation::NoSignificantChange | Variation::NotEnoughData => "govuk-tag--grey",
        }
    }
}

/// Whether the process will meet its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assurance {
    /// Both limits are on the right side of the target: it will be met, month after month.
    ConsistentlyPassing,
    /// Both limits are on the wrong side: it will not be met unless the process changes.
    ConsistentlyFailing,
    /// The target lies between the limits: met some periods, missed others, by chance.
    HitAndMiss,
    NoTarget,
}

impl Assurance {
    pub fn words(self) -> &'static str {
        match self {
            Assurance::ConsistentlyPassing => "Consistently meeting the target",
            Assurance::ConsistentlyFailing => "Consistently missing the target",
            Assurance::HitAndMiss => "Meeting the target some periods and not others, by chance",
            Assurance::NoTarget => "No target",
        }
    }
}

/// A target: one value to reach, or a range to stay in.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Target {
    Value { value: f64 },
    Range { low: f64, high: f64 },
}

/// An XmR chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chart {
    pub mean: f64,
    /// The mean moving range after screening.
    pub moving_range: f64,
    pub upper: f64,
    pub lower: f64,
    /// The points the limits were computed from: `start..end` of the series.
    pub baseline: (usize, usize),
    /// Each point's flags (empty for common cause).
    pub flags: Vec<Vec<Flag>>,
}

/// The mean moving range of the first `baseline` points, leaving out ranges above
/// `SCREEN_FACTOR` times the unscreened mean.
fn mean_moving_range(values: &[f64]) -> Option<f64> {
    let ranges: Vec<f64> = values.windows(2).map(|w| (w[1] - w[0]).abs()).collect();
    if ranges.is_empty() {
        return None;
    }
    let raw = ranges.iter().sum::<f64>() / ranges.len() as f64;
    let kept: Vec<f64> = ranges.iter().copied().filter(|r| *r <= SCREEN_FACTOR * raw).collect();
    Some(if kept.is_empty() { raw } else { kept.iter().sum::<f64>() / kept.len() as f64 })
}

/// The XmR chart of `values`, its limits from the points of `baseline` (all of them when `None`,
/// or when the baseline holds fewer than [`MIN_POINTS`]). `None` below [`MIN_POINTS`] points or
/// with a non-finite value.
pub fn xmr(values: &[f64], baseline: Option<std::ops::Range<usize>>) -> Option<Chart> {
    if values.len() < MIN_POINTS || values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let baseline = baseline
        .map(|r| r.start.min(values.len())..r.end.min(values.len()))
        .filter(|r| r.len() >= MIN_POINTS)
        .unwrap_or(0..values.len());
    let base = &values[baseline.clone()];
    let mean = base.iter().sum::<f64>() / base.len() as f64;
    let moving_range = mean_moving_range(base)?;
    let spread = LIMIT_FACTOR * moving_range;
    let (upper, lower) = (mean + spread, mean - spread);
    let flags = flag(values, mean, spread);
    Some(Chart { mean, moving_range, upper, lower, baseline: (baseline.start, baseline.end), flags })
}

fn flag(values: &[f64], mean: f64, spread: f64) -> Vec<Vec<Flag>> {
    let mut flags: Vec<Vec<Flag>> = vec![Vec::new(); values.len()];
    let mut mark = |i: usize, rule: Rule, side: Side| {
        let flag = Flag { rule, side };
        if !flags[i].contains(&flag) {
            flags[i].push(flag);
        }
    };
    let side_of = |v: f64| {
        if v > mean {
            Some(Side::High)
        } else if v < mean {
            Some(Side::Low)
        } else {
            None
        }
    };
    for (i, v) in values.iter().enumerate() {
        if *v > mean + spread {
            mark(i, Rule::BeyondLimit, Side::High);
        } else if *v < mean - spread {
            mark(i, Rule::BeyondLimit, Side::Low);
        }
    }
    // Shifts: maximal runs on one side of the mean (a point on the mean breaks a run).
    let mut start = 0;
    while start < values.len() {
        let side = side_of(values[start]);
        let mut end = start + 1;
        while side.is_some() && end < values.len() && side_of(values[end]) == side {
            end += 1;
        }
        if let Some(side) = side.filter(|_| end - start >= SHIFT_RUN) {
            (start..end).for_each(|i| mark(i, Rule::Shift, side));
        }
        start = end;
    }
    // Trends: maximal runs each strictly above (or below) the one before.
    for (side, direction) in [(Side::High, 1.0), (Side::Low, -1.0)] {
        let mut start = 0;
        while start < values.len() {
            let mut end = start + 1;
            while end < values.len() && (values[end] - values[end - 1]) * direction > 0.0 {
                end += 1;
            }
            if end - start >= TREND_RUN {
                (start..end).for_each(|i| mark(i, Rule::Trend, side));
            }
            start = end.max(start + 1);
        }
    }
    // Two of three beyond two sigma (two-thirds of the way to a limit), on one side.
    let near = spread * 2.0 / 3.0;
    for (side, sign) in [(Side::High, 1.0), (Side::Low, -1.0)] {
        let beyond: Vec<bool> = values.iter().map(|v| (v - mean) * sign > near).collect();
        for start in 0..values.len().saturating_sub(2) {
            if beyond[start..start + 3].iter().filter(|b| **b).count() >= 2 {
                (start..start + 3).filter(|i| beyond[*i]).for_each(|i| mark(i, Rule::TwoOfThree, side));
            }
        }
    }
    flags
}

impl Chart {
    /// What the latest point says: a special cause on the better side is improving, on the worse
    /// side deteriorating; otherwise no significant change.
    pub fn variation(&self, polarity: Polarity) -> Variation {
        let Some(last) = self.flags.last() else { return Variation::NotEnoughData };
        let high = last.iter().any(|f| f.side == Side::High);
        let low = last.iter().any(|f| f.side == Side::Low);
        match (high, low, polarity) {
            (false, false, _) => Variation::NoSignificantChange,
            (true, false, Polarity::HigherIsBetter) | (false, true, Polarity::LowerIsBetter) => Variation::Improving,
            (true, false, Polarity::LowerIsBetter) | (false, true, Polarity::HigherIsBetter) => Variation::Deteriorating,
            (true, false, Polarity::Neither) => Variation::Higher,
            (false, true, Polarity::Neither) => Variation::Lower,
            // A falling trend still above the mean: the trend is the newer news.
            (true, true, _) => {
                let trend = last.iter().find(|f| f.rule == Rule::Trend).map(|f| f.side);
                match (trend, polarity) {
                    (Some(Side::High), Polarity::HigherIsBetter) | (Some(Side::Low), Polarity::LowerIsBetter) => {
                        Variation::Improving
                    }
                    (Some(_), Polarity::Neither) | (None, _) => Variation::NoSignificantChange,
                    (Some(_), _) => Variation::Deteriorating,
                }
            }
        }
    }

    /// Whether the process, as its limits describe it, meets `target`.
    pub fn assurance(&self, target: Option<Target>, polarity: Polarity) -> Assurance {
        match target {
            None => Assurance::NoTarget,
            Some(Target::Range { low, high }) => {
                if self.lower >= low && self.upper <= high {
                    Assurance::ConsistentlyPassing
                } else if self.upper < low || self.lower > high {
                    Assurance::ConsistentlyFailing
                } else {
                    Assurance::HitAndMiss
                }
            }
            Some(Target::Value { value }) => match polarity {
                Polarity::HigherIsBetter if self.lower >= value => Assurance::ConsistentlyPassing,
                Polarity::HigherIsBetter if self.upper < value => Assurance::ConsistentlyFailing,
                Polarity::LowerIsBetter if self.upper <= value => Assurance::ConsistentlyPassing,
                Polarity::LowerIsBetter if self.lower > value => Assurance::ConsistentlyFailing,
                _ => Assurance::HitAndMiss,
            },
        }
    }

    /// The rules behind point `i`'s flags, in words ("outside the control limits; …").
    pub fn reasons(&self, i: usize) -> String {
        let mut rules: Vec<&str> = Vec::new();
        for flag in self.flags.get(i).into_iter().flatten() {
            if !rules.contains(&flag.rule.described()) {
                rules.push(flag.rule.described());
            }
        }
        rules.join("; ")
    }
}

#[cfg(test)]
mod tests;
