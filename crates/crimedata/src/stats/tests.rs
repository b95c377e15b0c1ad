#[test]
fn over_dispersion_widens_what_counts_as_normal() {
    // +10% on 1,200 a year is beyond Poisson noise, but not when months vary four times as much.
    let poisson = super::compare(1200, 12.0, 1320, 12.0);
    assert!(poisson.significant, "{poisson:?}");
    assert_eq!(super::compare_overdispersed(1200, 12.0, 1320, 12.0, 1.0, 11.0), poisson);
    assert_eq!(super::compare_overdispersed(1200, 12.0, 1320, 12.0, 0.7, 11.0), poisson, "under-dispersion is not used");
    let wide = super::compare_overdispersed(1200, 12.0, 1320, 12.0, 4.0, 1000.0);
    // The same as comparing 300 with 330.
    assert!(wide.p_value >= super::compare(300, 12.0, 330, 12.0).p_value);
    assert!(!wide.significant && wide.verdict == "up 10% — within normal variation", "{wide:?}");
    assert_eq!(wide.rate_ratio, poisson.rate_ratio);
    assert_eq!(wide.dispersion, 4.0);
    // A halving stays real.
    assert!(super::compare_overdispersed(1200, 12.0, 600, 12.0, 4.0, 11.0).significant);
}

#[test]
fn dispersion_by_hand() {
    // Period means 10 and 20; squared deviations 1+0+1 over 10 and 4+0+4 over 20 → 0.2 + 0.4
    // = 0.6, over 6 − 2 = 4 degrees of freedom = 0.15 (steadier than Poisson).
    let d = super::dispersion(&[&[9.0, 10.0, 11.0], &[18.0, 20.0, 22.0]]).expect("enough months");
    assert!((d - 0.15).abs() < 1e-12, "{d}");
    assert_eq!(super::dispersion(&[&[1.0, 2.0], &[3.0]]), None, "too few months to tell");
    let wild = super::dispersion(&[&[0.0, 40.0, 0.0, 40.0], &[0.0, 40.0, 0.0, 40.0]]).expect("enough");
    // Means 20; each period 4 × 400 / 20 = 80; 160 over 6 degrees of freedom.
    assert!((wild - 160.0 / 6.0).abs() < 1e-9, "{wild}");
}

use super::*;
use proptest::prelude::*;

fn close(a: f64, b: f64, tolerance: f64) -> bool {
    (a - b).abs() <= tolerance
}

#[test]
fn gamma_and_binomial_agree_with_hand_worked_values() {
    assert!(close(ln_gamma(5.0), (24.0f64).ln(), 1e-12));
    assert!(close(ln_gamma(0.5), std::f64::consts::PI.sqrt().ln(), 1e-12));
    // P(X ≤ 2) for Bin(12, ½) = (1 + 12 + 66) / 4096.
    assert!(close(binomial_cdf(2, 12, 0.5), 79.0 / 4096.0, 1e-12));
    // P(X ≤ 3) for Bin(10, 0.3) = 0.6496107184.
    assert!(close(binomial_cdf(3, 10, 0.3), 0.649_610_718_4, 1e-9));
    assert_eq!(binomial_cdf(12, 12, 0.5), 1.0);
}

#[test]
fn a_fall_from_ten_to_two_is_real_by_the_exact_test() {
    // Equal exposure: P(after ≤ 2 | 12, ½) = 79/4096; two-sided, doubled: 0.0386.
    let c = compare(10, 1.0, 2, 1.0);
    assert!(close(c.p_value, 2.0 * 79.0 / 4096.0, 1e-12));
    assert!(c.significant);
    assert_eq!(c.verdict, "down 80% — a real fall");
}

#[test]
fn the_data_sources_example_is_within_normal_variation() {
    // 2,925 → 2,796 (−4.4%) over equal periods: not significant.
    let c = compare(2925, 12.0, 2796, 12.0);
    assert!(!c.significant, "{c:?}");
    assert!(c.p_value > 0.05 && c.p_value < 0.12, "{}", c.p_value);
    assert_eq!(c.verdict, "down 4% — within normal variation");
    // Burglaries 600 → 500: down 17%, p ≈ 0.003.
    let burglary = compare(600, 12.0, 500, 12.0);
    assert!(burglary.significant && burglary.p_value < 0.005);
    assert_eq!(burglary.verdict, "down 17% — a real fall");
    // Exposure matters: the same counts over a period twice as long are a fall in the rate.
    let longer = compare(100, 1.0, 150, 2.0);
    assert_eq!(longer.rate_ratio, Some(0.75));
    assert_eq!(compare(3, 1.0, 5, 1.0).verdict, "up 67% — too few to tell");
    assert_eq!(compare(0, 1.0, 0, 1.0).verdict, "none in either period");
}

#[test]
fn poisson_intervals_match_the_formula() {
    let (low, high) = poisson_interval(100);
    assert!(close(low, 81.561, 0.001) && close(high, 120.859, 0.001), "{low} {high}");
    assert_eq!(poisson_interval(0).0, 0.0);
}

#[test]
fn control_limits_and_signals_by_hand() {
    // x̄ = 12, moving ranges 2, 2, 6, 2 → MR̄ = 3; limits 12 ± 7.98.
    let values = [10.0, 12.0, 10.0, 16.0, 14.0, 10.0];
    let x = xmr(&[10.0, 12.0, 10.0, 16.0, 14.0]).expect("limits");
    assert!(close(x.centre, 12.4, 1e-9) && close(x.upper - x.centre, 2.66 * 3.0, 1e-9));
    assert!(signals(&values, &x).iter().all(Vec::is_empty));

    let flat = Limits { centre: 10.0, lower: 0.0, upper: 20.0 };
    let series = [21.0, 11.0, 12.0, 11.0, 13.0, 11.0, 12.0, 14.0, 10.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let marks = signals(&series, &flat);
    assert_eq!(marks[0], vec![Signal::OutsideLimits, Signal::Shift], "21 is above 20 and starts a run of 8 above");
    assert!(marks[7].contains(&Signal::Shift) && !marks[8].contains(&Signal::Shift));
    assert!((9..15).all(|i| marks[i].contains(&Signal::Trend)), "1 to 6 rising is a trend of six points");
    assert!(!marks[8].contains(&Signal::Trend));
}

#[test]
fn a_very_significant_rise_keeps_a_p_value_above_zero() {
    // 1,000 against 2,000 over equal time: P(X ≥ 2,000 | 3,000, ½) is about 1e-77, which
    // 1 − cdf rounds to 0.
    let c = compare(1000, 1.0, 2000, 1.0);
    assert!(c.p_value > 0.0 && c.p_value < 1e-60, "{}", c.p_value);
    assert_eq!(1.0 - binomial_cdf(1999, 3000, 0.5), 0.0, "the cancellation the direct tail avoids");
    // The upper tail by hand: P(X ≥ 2 | 3, ½) = 4/8.
    assert!(close(binomial_upper_tail(2, 3, 0.5), 0.5, 1e-12));
    assert_eq!((binomial_upper_tail(0, 3, 0.5), binomial_upper_tail(4, 3, 0.5)), (1.0, 0.0));
}

#[test]
fn paired_dispersion_by_hand() {
    // Shares 10/20 and 30/40 against the pooled 40/60 = 2/3: (10 − 13.33)² / (20 × 2/9) +
    // (30 − 26.67)² / (40 × 2/9) = 2.5 + 1.25 = 3.75, over one degree of freedom.
    let d = paired_dispersion(&[(10, 10), (10, 30)]).expect("two pairs");
    assert!(close(d, 3.75, 1e-9), "{d}");
    // A constant share, whatever the season: no spread at all.
    assert!(paired_dispersion(&[(50, 60), (100, 120), (25, 30)]).is_some_and(|d| d < 1e-12));
    assert_eq!(paired_dispersion(&[(5, 6), (0, 0)]), None, "one pair with crime says nothing");
    assert_eq!(paired_dispersion(&[(5, 0), (3, 0)]), Some(1.0));
}

#[test]
fn benjamini_hochberg_by_hand() {
    // Ranked 0.005, 0.01, 0.03, 0.04 of four: × 4/1, 4/2, 4/3, 4/4 = 0.02, 0.02, 0.04, 0.04.
    let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.005]);
    let expected = [0.02, 0.04, 0.04, 0.02];
    assert!(q.iter().zip(expected).all(|(a, b)| close(*a, b, 1e-12)), "{q:?}");
    assert!(benjamini_hochberg(&[]).is_empty());
    assert_eq!(benjamini_hochberg(&[0.9, 1.0]), vec![1.0, 1.0]);
}

#[test]
fn the_monthly_xmr_chart_allows_for_days_and_seasons() {
    // Ten crimes a day every day of two years: February's fewer days are not a fall.
    let months: Vec<(i32, u8)> = (0..24).map(|i| (2023 + i / 12, (i % 12 + 1) as u8)).collect();
    let days = |(y, m): (i32, u8)| f64::from(time::Month::try_from(m).expect("month").length(y));
    let points: Vec<MonthPoint> = months
        .iter()
        .enumerate()
        .map(|(i, ym)| MonthPoint {
            count: 10.0 * days(*ym) + if i % 2 == 0 { 3.0 } else { -3.0 },
            days: days(*ym),
            follows_previous: i > 0,
        })
        .collect();
    let (limits, marks) = xmr_monthly(&points).expect("enough months");
    assert!(marks.iter().all(Vec::is_empty), "{marks:?}");
    assert!(limits[1].centre < limits[0].centre, "February's limits are lower than January's");
    // A seasonal series (±30% a year) with a month-to-month wobble: nothing unusual, where a
    // c-chart (c̄ ± 3√c̄) would flag the peaks and troughs.
    let seasonal: Vec<MonthPoint> = (0..24)
        .map(|i| {
            let count =
                300.0 * (1.0 + 0.3 * (f64::from(i) / 12.0 * std::f64::consts::TAU).cos()) + if i % 2 == 0 { 25.0 } else { -25.0 };
            MonthPoint { count, days: 30.0, follows_previous: i > 0 }
        })
        .collect();
    let (_, marks) = xmr_monthly(&seasonal).expect("enough");
    let c_bar = seasonal.iter().map(|p| p.count).sum::<f64>() / 24.0;
    let c_chart_flags = seasonal.iter().filter(|p| (p.count - c_bar).abs() > 3.0 * c_bar.sqrt()).count();
    assert!(c_chart_flags >= 8, "{c_chart_flags}");
    assert!(marks.iter().filter(|m| m.contains(&Signal::OutsideLimits)).count() <= 1, "{marks:?}");
    // A month far outside is still caught, and two of three near a limit are marked.
    let mut spike = points.clone();
    spike[20].count *= 2.0;
    let (_, marks) = xmr_monthly(&spike).expect("enough");
    assert!(marks[20].contains(&Signal::OutsideLimits));
    assert!(xmr_monthly(&points[..14]).is_none(), "too few months for limits");
}

proptest! {
    #[test]
    fn the_upper_tail_and_the_cdf_add_up(n in 1u64..400, k in 1u64..400, p in 0.01f64..0.99) {
        let k = k.min(n);
        prop_assert!(close(binomial_upper_tail(k, n, p) + binomial_cdf(k - 1, n, p), 1.0, 1e-9));
    }

    #[test]
    fn adjusted_p_values_are_no_smaller_and_keep_the_order(p in prop::collection::vec(0.0f64..1.0, 1..50)) {
        let q = benjamini_hochberg(&p);
        for i in 0..p.len() {
            prop_assert!(q[i] >= p[i] - 1e-15 && q[i] <= 1.0);
            for j in 0..p.len() {
                if p[i] < p[j] {
                    prop_assert!(q[i] <= q[j] + 1e-15);
                }
            }
        }
    }

    #[test]
    fn the_binomial_cdf_matches_direct_summation(n in 1u64..60, k in 0u64..60, p in 0.01f64..0.99) {
        let k = k.min(n);
        let mut direct = 0.0;
        for i in 0..=k {
            let ln_choose = ln_gamma(n as f64 + 1.0) - ln_gamma(i as f64 + 1.0) - ln_gamma((n - i) as f64 + 1.0);
            direct += (ln_choose + i as f64 * p.ln() + (n - i) as f64 * (1.0 - p).ln()).exp();
        }
        prop_assert!(close(binomial_cdf(k, n, p), direct.min(1.0), 1e-9), "{} vs {}", binomial_cdf(k, n, p), direct);
    }

    #[test]
    fn the_test_is_symmetric_and_its_p_value_a_probability(a in 0u64..5000, b in 0u64..5000) {
        let forward = compare(a, 1.0, b, 1.0);
        let backward = compare(b, 1.0, a, 1.0);
        prop_assert!((0.0..=1.0).contains(&forward.p_value));
        prop_assert!(close(forward.p_value, backward.p_value, 1e-9));
    }
}
