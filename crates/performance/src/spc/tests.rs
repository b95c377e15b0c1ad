use proptest::prelude::*;

use super::*;

/// Twelve quarters worked by hand: mean 138 ÷ 12 = 11.5; moving ranges 2,1,2,1,1,1,2,1,2,1,1 sum
/// to 15 over 11, 1.3636…; limits 11.5 ± 2.66 × 1.3636… = 7.873 to 15.127.
const STEADY: [f64; 12] = [10.0, 12.0, 11.0, 13.0, 12.0, 11.0, 10.0, 12.0, 11.0, 13.0, 12.0, 11.0];

#[test]
fn limits_by_hand() {
    let chart = xmr(&STEADY, None).expect("12 points");
    assert!((chart.mean - 11.5).abs() < 1e-12);
    assert!((chart.moving_range - 15.0 / 11.0).abs() < 1e-12);
    assert!((chart.upper - 15.127_272_7).abs() < 1e-6, "{}", chart.upper);
    assert!((chart.lower - 7.872_727_3).abs() < 1e-6, "{}", chart.lower);
    assert!(chart.flags.iter().all(Vec::is_empty), "common cause only");
    assert_eq!(chart.variation(Polarity::LowerIsBetter), Variation::NoSignificantChange);
}

#[test]
fn too_few_points_or_a_gap_in_the_numbers_give_no_chart() {
    assert_eq!(xmr(&STEADY[..11], None), None);
    let mut broken = STEADY;
    broken[3] = f64::NAN;
    assert_eq!(xmr(&broken, None), None);
}

#[test]
fn a_wild_jump_is_screened_out_of_the_moving_range() {
    let mut values = STEADY.to_vec();
    values[6] = 60.0;
    let chart = xmr(&values, None).expect("chart");
    // The two ranges into and out of 60 (50 and 48) are over 3.267 × the raw mean, so left out.
    let kept = [2.0, 1.0, 2.0, 1.0, 1.0, 1.0, 2.0, 1.0, 1.0];
    assert!((chart.moving_range - kept.iter().sum::<f64>() / kept.len() as f64).abs() < 1e-9);
    assert_eq!(chart.flags[6], vec![Flag { rule: Rule::BeyondLimit, side: Side::High }]);
}

#[test]
fn the_verdict_knows_which_way_is_better() {
    // A step down of seven points at the end, on a baseline of the twelve steady points.
    let mut values = STEADY.to_vec();
    values.extend([9.0, 8.5, 9.5, 9.0, 8.0, 9.0, 8.5]);
    let chart = xmr(&values, Some(0..12)).expect("chart");
    assert_eq!(chart.baseline, (0, 12));
    assert_eq!(xmr(&values, Some(3..8)).expect("chart").baseline, (0, values.len()), "too short a baseline: every point");
    assert!(chart.flags.last().expect("last").iter().any(|f| f.rule == Rule::Shift && f.side == Side::Low));
    assert_eq!(chart.variation(Polarity::LowerIsBetter), Variation::Improving);
    assert_eq!(chart.variation(Polarity::HigherIsBetter), Variation::Deteriorating);
    assert_eq!(chart.variation(Polarity::Neither), Variation::Lower);
}

#[test]
fn assurance_against_a_target_and_a_range() {
    let chart = xmr(&STEADY, None).expect("chart"); // limits 7.87 to 15.13
    use Assurance::*;
    let cases = [
        (Target::Value { value: 5.0 }, Polarity::HigherIsBetter, ConsistentlyPassing),
        (Target::Value { value: 20.0 }, Polarity::HigherIsBetter, ConsistentlyFailing),
        (Target::Value { value: 11.0 }, Polarity::HigherIsBetter, HitAndMiss),
        (Target::Value { value: 20.0 }, Polarity::LowerIsBetter, ConsistentlyPassing),
        (Target::Value { value: 5.0 }, Polarity::LowerIsBetter, ConsistentlyFailing),
        (Target::Range { low: 5.0, high: 20.0 }, Polarity::Neither, ConsistentlyPassing),
        (Target::Range { low: 16.0, high: 20.0 }, Polarity::Neither, ConsistentlyFailing),
        (Target::Range { low: 10.0, high: 20.0 }, Polarity::Neither, HitAndMiss),
    ];
    for (target, polarity, expected) in cases {
        assert_eq!(chart.assurance(Some(target), polarity), expected, "{target:?} {polarity:?}");
    }
    assert_eq!(chart.assurance(None, Polarity::HigherIsBetter), NoTarget);
}

/// The rules as their definitions read, point by point, with no runs or windows shared: the
/// reference the chart is checked against.
fn by_definition(values: &[f64], mean: f64, spread: f64) -> Vec<Vec<(Rule, Side)>> {
    let n = values.len();
    let mut out = vec![Vec::new(); n];
    for i in 0..n {
        let v = values[i];
        if v > mean + spread {
            out[i].push((Rule::BeyondLimit, Side::High));
        }
        if v < mean - spread {
            out[i].push((Rule::BeyondLimit, Side::Low));
        }
        for (side, above) in [(Side::High, true), (Side::Low, false)] {
            let on_side = |j: usize| if above { values[j] > mean } else { values[j] < mean };
            let in_run =
                (i.saturating_sub(SHIFT_RUN - 1)..=i).filter(|s| s + SHIFT_RUN <= n).any(|s| (s..s + SHIFT_RUN).all(on_side));
            if in_run {
                out[i].push((Rule::Shift, side));
            }
            let rising = |j: usize| if above { values[j] > values[j - 1] } else { values[j] < values[j - 1] };
            let in_trend =
                (i.saturating_sub(TREND_RUN - 1)..=i).filter(|s| s + TREND_RUN <= n).any(|s| (s + 1..s + TREND_RUN).all(rising));
            if in_trend {
                out[i].push((Rule::Trend, side));
            }
            let near =
                |j: usize| if above { values[j] - mean > spread * 2.0 / 3.0 } else { mean - values[j] > spread * 2.0 / 3.0 };
            let two_of_three =
                near(i) && (i.saturating_sub(2)..=i).filter(|s| s + 3 <= n).any(|s| (s..s + 3).filter(|j| near(*j)).count() >= 2);
            if two_of_three {
                out[i].push((Rule::TwoOfThree, side));
            }
        }
    }
    out
}

fn sorted(flags: &[Flag]) -> Vec<(u8, u8)> {
    let mut v: Vec<(u8, u8)> = flags.iter().map(|f| (f.rule as u8, f.side as u8)).collect();
    v.sort();
    v
}

proptest! {
    /// Every flag the chart raises, and none it does not, is what the rules' definitions say,
    /// on series shaped like quarterly crime counts (a level, noise, sometimes a step).
    #[test]
    fn flags_match_the_rules_definitions(
        level in 50.0f64..5_000.0,
        noise in proptest::collection::vec(-1.0f64..1.0, 12..60),
        step_at in 0usize..60,
        step in -0.5f64..0.5,
    ) {
        let values: Vec<f64> = noise
            .iter()
            .enumerate()
            .map(|(i, e)| (level * (1.0 + 0.1 * e + if i >= step_at { step } else { 0.0 })).round())
            .collect();
        let chart = xmr(&values, None).expect("enough points");
        // Independently: the mean as a running average, the screened moving range by zip.
        let mean = values.iter().enumerate().fold(0.0, |m, (i, v)| m + (v - m) / (i + 1) as f64);
        let ranges: Vec<f64> = values.iter().zip(values.iter().skip(1)).map(|(a, b)| (a - b).abs()).collect();
        let raw = ranges.iter().sum::<f64>() / ranges.len() as f64;
        let kept: Vec<&f64> = ranges.iter().filter(|r| **r <= 3.267 * raw).collect();
        let moving_range = kept.iter().copied().sum::<f64>() / kept.len() as f64;
        prop_assert!((chart.mean - mean).abs() < 1e-6 * level);
        prop_assert!((chart.moving_range - moving_range).abs() < 1e-6 * level);
        let expected = by_definition(&values, chart.mean, chart.upper - chart.mean);
        for (i, flags) in chart.flags.iter().enumerate() {
            let mut want: Vec<(u8, u8)> = expected[i].iter().map(|(r, s)| (*r as u8, *s as u8)).collect();
            want.sort();
            prop_assert_eq!(sorted(flags), want, "point {}", i);
        }
    }

    /// Moving the whole series moves the mean and limits with it and changes no flag; the
    /// verdict never panics whatever the series.
    #[test]
    fn a_series_moved_up_moves_its_limits_with_it(values in proptest::collection::vec(0.0f64..1_000.0, 12..40), by in 0.0f64..1e4) {
        let a = xmr(&values, None).expect("chart");
        let moved: Vec<f64> = values.iter().map(|v| v + by).collect();
        let b = xmr(&moved, None).expect("chart");
        prop_assert!((b.mean - a.mean - by).abs() < 1e-6 * (1.0 + by));
        prop_assert!((b.moving_range - a.moving_range).abs() < 1e-6 * (1.0 + by));
        let _ = a.variation(Polarity::HigherIsBetter);
        let _ = a.assurance(Some(Target::Value { value: by }), Polarity::LowerIsBetter);
    }
}
