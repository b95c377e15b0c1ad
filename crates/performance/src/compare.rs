//! Comparing a force (or a fire and rescue service) with its most similar group: each member's
//! rate per 1,000 residents with a 95% interval for a count (Byar's approximation to the exact
//! Poisson interval, as Public Health England's technical guide uses it), the group's rate (all
//! events over all residents, not an average of rates), and where each member sits on the funnel
//! plot: within the 95% limits, between 95% and 99.8%, or beyond 99.8%. Large areas' counts vary
//! far more than chance alone between areas (people, places and recording differ), so the limits
//! are widened by the over-dispersion the group shows (Spiegelhalter's multiplicative factor φ,
//! the mean squared z-score, winsorised from 10 members up): without it nearly every force would
//! be "significantly" different from its group. Pure.

use serde::Serialize;

use crate::spc::Polarity;

/// z for a two-sided 95% interval.
pub const Z_95: f64 = 1.959_964;
/// z for the funnel's outer (99.8%) limits.
pub const Z_998: f64 = 3.090_232;

/// P(X ≤ k) for X ~ Poisson(mu), summed term by term (for the small counts it is used on).
fn poisson_cdf(k: u64, mu: f64) -> f64 {
    let mut term = (-mu).exp();
    let mut sum = term;
    for i in 1..=k {
        term *= mu / i as f64;
        sum += term;
    }
    sum
}

/// The mu at which `tail(mu)` crosses zero, for a tail that falls as mu grows.
fn solve(tail: impl Fn(f64) -> f64, high: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, high);
    for _ in 0..100 {
        let mid = (lo + hi) / 2.0;
        if tail(mid) > 0.0 { lo = mid } else { hi = mid }
    }
    (lo + hi) / 2.0
}

/// Below this count the interval is exact (Garwood); from it up, Byar's approximation, whose
/// error there is well under 1%.
pub const EXACT_BELOW: f64 = 20.0;

/// A 95% interval for a Poisson count: exact for counts under [`EXACT_BELOW`], Byar's method
/// above (Public Health England's technical guide uses the same pair).
pub fn count_interval(count: f64) -> (f64, f64) {
    if (0.0..EXACT_BELOW).contains(&count) && count.fract() == 0.0 {
        let k = count as u64;
        let high = count * 3.0 + 20.0;
        let lower = if k == 0 { 0.0 } else { solve(|mu| poisson_cdf(k - 1, mu) - 0.975, high) };
        let upper = solve(|mu| poisson_cdf(k, mu) - 0.025, high);
        return (lower, upper);
    }
    byar_interval(count)
}

/// A 95% interval for a Poisson count by Byar's method; the lower end of a count of 0 is 0.
pub fn byar_interval(count: f64) -> (f64, f64) {
    let lower = if count <= 0.0 { 0.0 } else { count * (1.0 - 1.0 / (9.0 * count) - Z_95 / (3.0 * count.sqrt())).powi(3) };
    let next = count + 1.0;
    let upper = next * (1.0 - 1.0 / (9.0 * next) + Z_95 / (3.0 * next.sqrt())).powi(3);
    (lower.max(0.0), upper)
}

/// One member of a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// The force area's or authority's code.
    pub code: String,
    pub name: String,
    pub events: f64,
    pub residents: f64,
    /// The area the comparison is for.
    pub home: bool,
}

/// Where a member sits on the funnel plot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    Within,
    /// Beyond the 95% limits but within 99.8%: worth a look, expected about 1 in 20 by chance.
    HigherWarning,
    LowerWarning,
    /// Beyond the 99.8% limits: chance alone would put a member here about 1 in 500.
    Higher,
    Lower,
}

impl Position {
    /// In words, knowing which way is better.
    pub fn words(self, polarity: Polarity) -> &'static str {
        let better_high = polarity == Polarity::HigherIsBetter;
        let worse_high = polarity == Polarity::LowerIsBetter;
        match self {
            Position::Within => "In line with the group",
            Position::Higher if worse_high => "Significantly higher than the group (worse)",
            Position::Higher if better_high => "Significantly higher than the group (better)",
            Position::Higher => "Significantly higher than the group",
            Position::Lower if worse_high => "Significantly lower than the group (better)",
            Position::Lower if better_high => "Significantly lower than the group (worse)",
            Position::Lower => "Significantly lower than the group",
            Position::HigherWarning => "Higher than the group, possibly by chance",
            Position::LowerWarning => "Lower than the group, possibly by chance",
        }
    }
}

/// A member's figures in the comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Compared {
    pub member: Member,
    /// Per 1,000 residents.
    pub rate: f64,
    pub low: f64,
    pub high: f64,
    pub position: Position,
}

/// A most similar group's comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub members: Vec<Compared>,
    /// The group's rate per 1,000: every member's events over every member's residents.
    pub group_rate: f64,
    /// The over-dispersion factor φ the limits were widened by (1 for none).
    pub dispersion: f64,
}

/// Spiegelhalter's multiplicative over-dispersion factor from members' z-scores: the mean
/// squared z, the most extreme 10% on each side pulled in to the next value first (from 10
/// members up), and never below 1.
pub fn dispersion(z: &[f64]) -> f64 {
    if z.is_empty() {
        return 1.0;
    }
    let mut sorted = z.to_vec();
    sorted.sort_by(f64::total_cmp);
    let cut = sorted.len() / 10;
    if cut > 0 {
        let (low, high) = (sorted[cut], sorted[sorted.len() - 1 - cut]);
        for v in &mut sorted {
            *v = v.clamp(low, high);
        }
    }
    (sorted.iter().map(|v| v * v).sum::<f64>() / sorted.len() as f64).max(1.0)
}

/// Rates are per this many residents.
pub const PER: f64 = 1_000.0;

/// Compares members; members with no residents are left out (no rate can be had). `None`
/// when no member has residents.
pub fn compare(members: &[Member]) -> Option<Comparison> {
    let members: Vec<&Member> = members.iter().filter(|m| m.residents > 0.0 && m.events >= 0.0).collect();
    let events: f64 = members.iter().map(|m| m.events).sum();
    let residents: f64 = members.iter().map(|m| m.residents).sum();
    if residents <= 0.0 {
        return None;
    }
    let overall = events / residents;
    let z_of = |m: &Member| {
        let expected = overall * m.residents;
        if expected > 0.0 { (m.events - expected) / expected.sqrt() } else { 0.0 }
    };
    let phi = dispersion(&members.iter().map(|m| z_of(m)).collect::<Vec<_>>());
    let compared = members
        .iter()
        .map(|m| {
            let (low, high) = count_interval(m.events);
            let z = z_of(m) / phi.sqrt();
            let position = if z > Z_998 {
                Position::Higher
            } else if z < -Z_998 {
                Position::Lower
            } else if z > Z_95 {
                Position::HigherWarning
            } else if z < -Z_95 {
                Position::LowerWarning
            } else {
                Position::Within
            };
            Compared {
                member: (*m).clone(),
                rate: m.events / m.residents * PER,
                low: low / m.residents * PER,
                high: high / m.residents * PER,
                position,
            }
        })
        .collect();
    Some(Comparison { members: compared, group_rate: overall * PER, dispersion: phi })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Exact 95% limits for a Poisson count as statistical tables print them (to 4 places), the
    /// reference the small counts are checked against.
    const TABLE: [(f64, f64, f64); 4] =
        [(0.0, 0.0, 3.6889), (1.0, 0.0253, 5.5716), (5.0, 1.6235, 11.6683), (10.0, 4.7954, 18.3904)];

    #[test]
    fn small_counts_are_exact_and_large_ones_close_to_exact() {
        for (count, low, high) in TABLE {
            let (l, h) = count_interval(count);
            assert!((l - low).abs() < 5e-4 && (h - high).abs() < 5e-4, "{count}: {l} to {h}");
        }
        // From 20 up, Byar's limits against the exact ones found by bisection with the chi-square
        // relation's definition: the mu whose tails hold 2.5% at the count.
        for count in [20u64, 50, 100, 500, 2_925] {
            let (bl, bh) = count_interval(count as f64);
            let tail = |k: u64, mu: f64| -> f64 {
                // P(X = i) from its logarithm, a second way to the CDF.
                let mut ln_factorial = 0.0;
                (0..=k)
                    .map(|i| {
                        if i > 0 {
                            ln_factorial += (i as f64).ln();
                        }
                        (i as f64 * mu.ln() - mu - ln_factorial).exp()
                    })
                    .sum()
            };
            let bisect = |f: &dyn Fn(f64) -> f64| {
                let (mut lo, mut hi) = (0.0, count as f64 * 2.0 + 50.0);
                for _ in 0..200 {
                    let mid = (lo + hi) / 2.0;
                    if f(mid) > 0.0 { lo = mid } else { hi = mid }
                }
                (lo + hi) / 2.0
            };
            let el = bisect(&|mu| tail(count - 1, mu) - 0.975);
            let eh = bisect(&|mu| tail(count, mu) - 0.025);
            assert!(((bl - el) / el).abs() < 0.005, "{count}: {bl} vs {el}");
            assert!(((bh - eh) / eh).abs() < 0.005, "{count}: {bh} vs {eh}");
        }
    }

    #[test]
    fn the_group_rate_is_pooled_and_outliers_are_named() {
        let member = |code: &str, events: f64, residents: f64| Member {
            code: code.into(),
            name: code.into(),
            events,
            residents,
            home: code == "a",
        };
        // b is small with a high rate: pooled, the group rate is 4,400 over 1.1 million = 4 per
        // 1,000, not the mean of rates (4.0 + 4.0 + 4.0 + 6.0) / 4 = 4.5.
        let members = [
            member("a", 1_200.0, 300_000.0),
            member("c", 1_200.0, 300_000.0),
            member("d", 1_400.0, 400_000.0),
            member("b", 600.0, 100_000.0),
        ];
        let comparison = compare(&members).expect("residents");
        assert!((comparison.group_rate - 4_400.0 / 1_100_000.0 * 1_000.0).abs() < 1e-12);
        let b = comparison.members.iter().find(|m| m.member.code == "b").expect("b");
        // Expected 400, observed 600: z = 200 / 20 = 10. The others' z: a and c 0 (at the group
        // rate), d −200/√1,600 = −5. φ = (100 + 0 + 0 + 25) / 4 = 31.25, so b's z is 10 / √31.25
        // = 1.79: within the 95% limits once the group's spread is allowed for.
        let expected_phi = (100.0 + 25.0) / 4.0;
        assert!((comparison.dispersion - expected_phi).abs() < 1e-9, "{}", comparison.dispersion);
        assert_eq!(b.position, Position::Within);
        // With a group that varies as chance would, the same excess stands out.
        let steady: Vec<Member> = (0..9)
            .map(|i| member(&format!("s{i}"), 400.0 + [0.0, 20.0, -20.0, 10.0, -10.0, 15.0, -15.0, 5.0, -5.0][i], 100_000.0))
            .chain([member("b", 600.0, 100_000.0)])
            .collect();
        let steady = compare(&steady).expect("residents");
        let b = steady.members.iter().find(|m| m.member.code == "b").expect("b");
        assert_eq!(b.position, Position::Higher, "φ {}", steady.dispersion);
        assert_eq!(b.position.words(Polarity::LowerIsBetter), "Significantly higher than the group (worse)");
        assert!(b.low < b.rate && b.rate < b.high);
        assert!(compare(&[member("x", 5.0, 0.0)]).is_none(), "no residents, no rate");
    }

    #[test]
    fn dispersion_by_hand() {
        assert_eq!(dispersion(&[]), 1.0);
        assert_eq!(dispersion(&[0.5, -0.5]), 1.0, "never below 1");
        assert!((dispersion(&[2.0, -2.0, 3.0]) - 17.0 / 3.0).abs() < 1e-12);
        // From 10 members the most extreme on each side is pulled in to the next.
        let z = [-9.0, -1.0, -1.0, -1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 9.0];
        assert_eq!(dispersion(&z), 1.0);
    }

    proptest! {
        /// Each member's interval holds its rate, and the group rate lies between the lowest and
        /// highest member rates.
        #[test]
        fn intervals_hold_rates(counts in proptest::collection::vec((0u32..100_000, 1_000u32..3_000_000), 1..9)) {
            let members: Vec<Member> = counts
                .iter()
                .enumerate()
                .map(|(i, (e, r))| Member { code: i.to_string(), name: i.to_string(), events: f64::from(*e), residents: f64::from(*r), home: i == 0 })
                .collect();
            let c = compare(&members).expect("residents");
            let lowest = c.members.iter().map(|m| m.rate).fold(f64::MAX, f64::min);
            let highest = c.members.iter().map(|m| m.rate).fold(0.0, f64::max);
            prop_assert!(c.group_rate >= lowest - 1e-9 && c.group_rate <= highest + 1e-9);
            for m in &c.members {
                prop_assert!(m.low <= m.rate + 1e-12 && m.rate <= m.high);
            }
        }
    }
}
