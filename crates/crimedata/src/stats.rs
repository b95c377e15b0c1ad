//! Honest statistics for crime counts: intervals, a test for whether a change between two
//! periods is more than noise, and statistical process control for monthly series. Pure
//! functions, checked against hand-worked examples (docs in ../shared/docs/data-sources.md §5).

use serde::Serialize;

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits).
pub fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + G + 0.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The continued fraction of the incomplete beta function (modified Lentz).
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    /// Keeps a Lentz term away from zero.
    fn away_from_zero(v: f64) -> f64 {
        if v.abs() < TINY { TINY } else { v }
    }
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / away_from_zero(1.0 - qab * x / qap);
    let mut h = d;
    // One Lentz step with the coefficient `aa`: the factor it multiplies the fraction by.
    let mut step = |aa: f64| {
        d = 1.0 / away_from_zero(1.0 + aa * d);
        c = away_from_zero(1.0 + aa / c);
        d * c
    };
    for m in 1..10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        h *= step(m * (b - m) * x / ((qam + m2) * (a + m2)));
        let delta = step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)));
        h *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// The regularized incomplete beta function I_x(a, b).
pub fn regularized_beta(a: f64, b: f64, x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front = (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b
    }
}

/// P(X ≤ k) for X ~ Binomial(n, p).
pub fn binomial_cdf(k: u64, n: u64, p: f64) -> f64 {
    if k >= n {
        return 1.0;
    }
    // P(X ≤ k) = I_{1−p}(n − k, k + 1).
    regularized_beta((n - k) as f64, k as f64 + 1.0, 1.0 - p)
}

/// P(X ≥ k) for X ~ Binomial(n, p), worked out directly: as 1 − P(X ≤ k − 1) it cancels to 0
/// for very significant rises, which a published p-value must never show.
pub fn binomial_upper_tail(k: u64, n: u64, p: f64) -> f64 {
    if k == 0 {
        return 1.0;
    }
    if k > n {
        return 0.0;
    }
    // P(X ≥ k) = I_p(k, n − k + 1).
    regularized_beta(k as f64, (n - k) as f64 + 1.0, p)
}

/// An approximate 95% interval for a Poisson count: ((√(4x+2) ± 1.96)² − 1) ÷ 4.
pub fn poisson_interval(count: u64) -> (f64, f64) {
    let root = (4.0 * count as f64 + 2.0).sqrt();
    let low = ((root - 1.96).powi(2) - 1.0) / 4.0;
    let high = ((root + 1.96).powi(2) - 1.0) / 4.0;
    (low.max(0.0), high)
}

/// Whether a count changed between two periods by more than chance would explain.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub before: u64,
    pub after: u64,
    /// After ÷ before, adjusted for exposure (time × population); `None` when before is 0.
    pub rate_ratio: Option<f64>,
    /// Two-sided p-value of the exact conditional binomial test (on counts divided by the
    /// dispersion, when the months vary more than Poisson noise would).
    pub p_value: f64,
    /// How much more the months vary than Poisson noise: 1 when they do not.
    pub dispersion: f64,
    /// The p-value adjusted for many comparisons made at once (Benjamini–Hochberg), when it
    /// was; `significant` then follows it.
    pub q_value: Option<f64>,
    pub significant: bool,
    pub verdict: String,
}

impl Comparison {
    /// This comparison judged by its adjusted p-value `q` instead of its own.
    pub fn with_q_value(self, q: f64) -> Comparison {
        let significant = q < ALPHA;
        let verdict = verdict(self.rate_ratio, significant, self.before, self.after);
        Comparison { q_value: Some(q), significant, verdict, ..self }
    }
}

/// The significance level for calling a change real.
pub const ALPHA: f64 = 0.05;

/// Compares `before` (over exposure `exposure_before`) with `after` (over `exposure_after`):
/// given the total, the after count is Binomial(total, t_after ÷ (t_before + t_after)) when the
/// rates are equal. The two-sided p-value doubles the smaller tail (capped at 1).
pub fn compare(before: u64, exposure_before: f64, after: u64, exposure_after: f64) -> Comparison {
    let total = before + after;
    let share = exposure_after / (exposure_before + exposure_after);
    let p_value = if total == 0 {
        1.0
    } else {
        let lower = binomial_cdf(after, total, share);
        let upper = binomial_upper_tail(after, total, share);
        (2.0 * lower.min(upper)).min(1.0)
    };
    let rate_ratio = (before > 0).then(|| (after as f64 / exposure_after) / (before as f64 / exposure_before));
    let significant = p_value < ALPHA;
    let verdict = verdict(rate_ratio, significant, before, after);
    Comparison { before, after, rate_ratio, p_value, significant, verdict, dispersion: 1.0, q_value: None }
}

/// Pearson's dispersion of monthly counts: Σ (x − m)² ÷ m over each period's months around that
/// period's mean, divided by the degrees of freedom (months − periods). About 1 for Poisson
/// noise; crime counts usually vary more (seasons, repeat victims, one-off events), and a test
/// that assumes Poisson noise then calls ordinary ups and downs "real". `None` with too few
/// months to tell.
pub fn dispersion(periods: &[&[f64]]) -> Option<f64> {
    let months: usize = periods.iter().map(|p| p.len()).sum();
    let freedom = months.checked_sub(periods.len()).filter(|f| *f >= 4)?;
    let mut sum = 0.0;
    for period in periods {
        if period.is_empty() {
            continue;
        }
        let mean = period.iter().sum::<f64>() / period.len() as f64;
        if mean > 0.0 {
            sum += period.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / mean;
        }
    }
    Some(sum / freedom as f64)
}

/// Over-dispersion from months paired with the same month a year before: given each pair's
/// total, the later month's count is binomial around the overall share, and Pearson's statistic
/// for those binomials, over its degrees of freedom (pairs − 1), says how much more the counts
/// vary than chance would. Seasons cancel within a pair (July is compared with July), and so
/// does the change being tested (it moves the overall share, not the spread around it), so
/// neither inflates the estimate. `None` with fewer than two pairs holding any crime.
pub fn paired_dispersion(pairs: &[(u64, u64)]) -> Option<f64> {
    let held: Vec<(f64, f64)> = pairs.iter().filter(|(a, b)| a + b > 0).map(|(a, b)| (*a as f64, *b as f64)).collect();
    if held.len() < 2 {
        return None;
    }
    let total: f64 = held.iter().map(|(a, b)| a + b).sum();
    let share = held.iter().map(|(_, b)| b).sum::<f64>() / total;
    if share <= 0.0 || share >= 1.0 {
        // Every crime in one period: the pairs cannot say how much months vary.
        return Some(1.0);
    }
    let statistic: f64 = held.iter().map(|(a, b)| (b - (a + b) * share).powi(2) / ((a + b) * share * (1.0 - share))).sum();
    Some(statistic / (held.len() - 1) as f64)
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the order given: calling every finding
/// with q below 5% real keeps the expected share of false findings among them at 5%, however
/// many comparisons are made at once.
pub fn benjamini_hochberg(p_values: &[f64]) -> Vec<f64> {
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|a, b| p_values[*b].total_cmp(&p_values[*a]));
    let mut adjusted = vec![1.0; m];
    let mut running: f64 = 1.0;
    for (position, index) in order.iter().enumerate() {
        // Ranked from the largest p-value down: rank = m − position.
        let rank = (m - position) as f64;
        running = running.min(p_values[*index] * m as f64 / rank).min(1.0);
        adjusted[*index] = running;
    }
    adjusted
}

/// The two-sided p-value of Student's t with `freedom` degrees of freedom at `t`.
pub fn t_two_sided(t: f64, freedom: f64) -> f64 {
    if !t.is_finite() {
        return 0.0;
    }
    regularized_beta(freedom / 2.0, 0.5, freedom / (freedom + t * t)).clamp(0.0, 1.0)
}

/// `compare`, allowing for over-dispersion (quasi-Poisson): when the months vary `dispersion`
/// times more than Poisson noise, the counts carry only 1/dispersion of the information. The
/// dispersion is itself estimated from `freedom` degrees of freedom, so the change must pass
/// two tests: the exact test on the counts divided by it, and Student's t (with those degrees of
/// freedom) on the score statistic, which allows for the estimate's own uncertainty. At or
/// below 1 it is `compare` exactly.
pub fn compare_overdispersed(
    before: u64,
    exposure_before: f64,
    after: u64,
    exposure_after: f64,
    dispersion: f64,
    freedom: f64,
) -> Comparison {
    if dispersion.is_nan() || dispersion <= 1.0 {
        return compare(before, exposure_before, after, exposure_after);
    }
    let effective = |n: u64| (n as f64 / dispersion).round() as u64;
    let scaled = compare(effective(before), exposure_before, effective(after), exposure_after);
    let total = (before + after) as f64;
    let share = exposure_after / (exposure_before + exposure_after);
    let score = (after as f64 - total * share) / (dispersion * total * share * (1.0 - share)).sqrt();
    let t_test = if total > 0.0 && freedom >= 1.0 { t_two_sided(score, freedom) } else { 1.0 };
    let p_value = scaled.p_value.max(t_test);
    let rate_ratio = (before > 0).then(|| (after as f64 / exposure_after) / (before as f64 / exposure_before));
    let significant = p_value < ALPHA;
    Comparison {
        before,
        after,
        rate_ratio,
        p_value,
        significant,
        verdict: verdict(rate_ratio, significant, before, after),
        dispersion,
        q_value: None,
    }
}

pub fn verdict(rate_ratio: Option<f64>, significant: bool, before: u64, after: u64) -> String {
    let Some(ratio) = rate_ratio else {
        return if after == 0 { "none in either period".into() } else { format!("{after} after none before") };
    };
    let percent = ((ratio - 1.0) * 100.0).round();
    if percent == 0.0 {
        return if significant { "no change in the rate".into() } else { "no change — within normal variation".into() };
    }
    let direction = if percent < 0.0 { "down" } else { "up" };
    let size = format!("{direction} {}%", percent.abs());
    match (significant, percent < 0.0) {
        (true, true) => format!("{size} — a real fall"),
        (true, false) => format!("{size} — a real rise"),
        (false, _) if before + after < 20 => format!("{size} — too few to tell"),
        (false, _) => format!("{size} — within normal variation"),
    }
}

/// Control limits for a monthly series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Limits {
    pub centre: f64,
    pub lower: f64,
    pub upper: f64,
}

/// XmR (individuals) limits: x̄ ± 2.66 × the mean moving range.
pub fn xmr(values: &[f64]) -> Option<Limits> {
    if values.len() < 2 {
        return None;
    }
    let centre = values.iter().sum::<f64>() / values.len() as f64;
    let moving_range = values.windows(2).map(|w| (w[1] - w[0]).abs()).sum::<f64>() / (values.len() - 1) as f64;
    Some(Limits { centre, lower: centre - 2.66 * moving_range, upper: centre + 2.66 * moving_range })
}

/// A special-cause signal on a run chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Signal {
    /// A point above the upper or below the lower limit.
    OutsideLimits,
    /// Seven or more points in a row on one side of the centre line (each marked).
    Shift,
    /// Six or more points in a row each higher, or each lower, than the one before (NHS
    /// "Making Data Count" counts points, not steps).
    Trend,
    /// Two of three points in a row closer to one limit than two-thirds of the way from the
    /// average (beyond two sigma), on the same side.
    NearLimit,
}

/// Fewer points than this give limits too unsteady to call anything unusual ("Making Data
/// Count" asks for 15 to 20; a year and a quarter of months is the least it accepts).
pub const XMR_MIN_POINTS: usize = 15;

/// A month's count and what the chart needs to allow for: its number of days, and whether it
/// directly follows the month before it in the series (a gap breaks the moving range).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthPoint {
    pub count: f64,
    pub days: f64,
    pub follows_previous: bool,
}

/// The XmR chart of "Making Data Count" for monthly counts, allowing for the length of each
/// month: the chart is drawn on crimes a day (so February's three fewer days are not a fall),
/// its limits x̄ ± 2.66 × the mean moving range of consecutive months, then scaled back to each
/// month's days. Unlike a c-chart, whose limits assume Poisson noise, the moving range measures
/// how much the months really vary, so ordinary seasonal ups and downs stay inside. Returns each
/// month's limits and signals, or `None` with fewer than [`XMR_MIN_POINTS`] months.
pub fn xmr_monthly(points: &[MonthPoint]) -> Option<(Vec<Limits>, Vec<Vec<Signal>>)> {
    if points.len() < XMR_MIN_POINTS || points.iter().any(|p| p.days <= 0.0) {
        return None;
    }
    let rates: Vec<f64> = points.iter().map(|p| p.count / p.days).collect();
    let centre = rates.iter().sum::<f64>() / rates.len() as f64;
    let ranges: Vec<f64> =
        (1..rates.len()).filter(|i| points[*i].follows_previous).map(|i| (rates[i] - rates[i - 1]).abs()).collect();
    if ranges.is_empty() {
        return None;
    }
    let moving_range = ranges.iter().sum::<f64>() / ranges.len() as f64;
    let rate_limits = Limits { centre, lower: (centre - 2.66 * moving_range).max(0.0), upper: centre + 2.66 * moving_range };
    let mut marks = signals(&rates, &rate_limits);
    // Two of three beyond two sigma (two-thirds of the way to a limit), on one side.
    let near = 2.0 / 3.0 * 2.66 * moving_range;
    for side in [1.0, -1.0] {
        let beyond: Vec<bool> = rates.iter().map(|r| (r - centre) * side > near).collect();
        for start in 0..rates.len().saturating_sub(2) {
            if beyond[start..start + 3].iter().filter(|b| **b).count() >= 2 {
                for i in start..start + 3 {
                    if beyond[i] && !marks[i].contains(&Signal::NearLimit) {
                        marks[i].push(Signal::NearLimit);
                    }
                }
            }
        }
    }
    let limits = points
        .iter()
        .map(|p| Limits {
            centre: rate_limits.centre * p.days,
            lower: rate_limits.lower * p.days,
            upper: rate_limits.upper * p.days,
        })
        .collect();
    Some((limits, marks))
}

/// The signals at each point of a series (empty where there are none).
pub fn signals(values: &[f64], limits: &Limits) -> Vec<Vec<Signal>> {
    let mut marks: Vec<Vec<Signal>> = vec![Vec::new(); values.len()];
    for (i, v) in values.iter().enumerate() {
        if *v > limits.upper || *v < limits.lower {
            marks[i].push(Signal::OutsideLimits);
        }
    }
    // Runs on one side of the centre (points on the line break a run).
    let side = |v: f64| {
        if v > limits.centre {
            1
        } else if v < limits.centre {
            -1
        } else {
            0
        }
    };
    let mut start = 0;
    while start < values.len() {
        let s = side(values[start]);
        let mut end = start + 1;
        while end < values.len() && s != 0 && side(values[end]) == s {
            end += 1;
        }
        if s != 0 && end - start >= 7 {
            for mark in &mut marks[start..end] {
                mark.push(Signal::Shift);
            }
        }
        start = end;
    }
    // Runs of strictly rising or strictly falling points.
    for direction in [1.0, -1.0] {
        let mut start = 0;
        while start < values.len() {
            let mut end = start + 1;
            while end < values.len() && (values[end] - values[end - 1]) * direction > 0.0 {
                end += 1;
            }
            if end - start >= 6 {
                for mark in &mut marks[start..end] {
                    if !mark.contains(&Signal::Trend) {
                        mark.push(Signal::Trend);
                    }
                }
            }
            start = end.max(start + 1);
        }
    }
    marks
}

#[cfg(test)]
mod tests;
