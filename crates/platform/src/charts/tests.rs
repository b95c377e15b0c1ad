use proptest::prelude::*;

use super::*;
use crate::format::Value;

fn months(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("M{i}")).collect()
}

fn line_chart() -> Chart {
    let values: Vec<Option<f64>> = vec![Some(120.0), Some(135.0), None, Some(128.0), Some(210.0), Some(131.0)];
    Chart::new(
        "Crimes each month",
        "A line chart with the average and control limits.",
        Body::Line(Line {
            categories: months(6),
            series: vec![Series { name: "Crimes".into(), values }],
            centre: vec![Some(130.0); 6],
            upper: vec![Some(180.0); 6],
            lower: vec![Some(80.0); 6],
            flagged: vec![false, false, false, false, true, false],
            flag_meaning: "Unusual month".into(),
            unit: "crimes".into(),
            joined: vec![],
        }),
    )
}

#[test]
fn nice_ticks_are_one_two_or_five_times_a_power_of_ten_and_cover_the_range() {
    let cases: &[(f64, f64, usize, &[f64])] = &[
        (0.0, 2948.0, 5, &[0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0]),
        (0.0, 130_869.0, 4, &[0.0, 50_000.0, 100_000.0, 150_000.0]),
        (0.0, 0.87, 4, &[0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (12.0, 19.0, 4, &[12.0, 14.0, 16.0, 18.0, 20.0]),
        (5.0, 5.0, 4, &[4.0, 4.5, 5.0, 5.5, 6.0]),
    ];
    for (low, high, target, want) in cases {
        assert_eq!(nice_ticks(*low, *high, *target), *want, "{low}..{high}");
    }
    assert_eq!(tick_label(150_000.0, 50_000.0), "150,000");
    assert_eq!(tick_label(0.4, 0.2), "0.4");
}

proptest! {
    #[test]
    fn ticks_always_cover_and_step_nicely(low in -1e6f64..1e6, span in 0.001f64..1e7, target in 2usize..10) {
        let high = low + span;
        let ticks = nice_ticks(low, high, target);
        prop_assert!(ticks[0] <= low + 1e-6 && *ticks.last().unwrap_or(&f64::MIN) >= high - 1e-6);
        prop_assert!(ticks.len() >= 2 && ticks.len() <= target * 3 + 2);
        let step = ticks[1] - ticks[0];
        let mantissa = step / 10f64.powf(step.log10().floor());
        prop_assert!([1.0, 2.0, 5.0, 10.0].iter().any(|m| (mantissa - m).abs() < 1e-6), "step {}", step);
    }
}

#[test]
fn a_chart_names_and_describes_itself_and_draws_both_sizes() {
    let chart = line_chart();
    let html = chart.html("crimes");
    for id in ["crimes-narrow", "crimes-wide"] {
        assert!(html.contains(&format!("aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\"")), "{html}");
        assert!(html.contains(&format!("<title id=\"{id}-title\">Crimes each month</title>")));
    }
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("app-chart__svg--narrow") && html.contains("app-chart__svg--wide"));
    // The key says in words what the dashes and diamonds mean.
    for words in ["Average", "Control limits", "Unusual month"] {
        assert!(html.contains(&format!(">{words}</text>")), "{words}");
    }
    assert_eq!(chart.alternative_text(), "Crimes each month. A line chart with the average and control limits.");
}

#[test]
fn a_gap_breaks_the_line_rather_than_joining_across_it() {
    let svg = line_chart().svg(Size::Wide, "c");
    let series_path = svg.split("<path d=\"").find(|p| p.contains("stroke=\"#1d70b8\" stroke-width=\"3\"")).unwrap_or_default();
    let d = series_path.split('"').next().unwrap_or_default();
    assert_eq!(d.matches('M').count(), 2, "one move after the gap: {d}");
    assert_eq!(d.matches('L').count(), 3, "{d}");
    // One red diamond for the flagged month, and one in the key saying what it means.
    assert_eq!(svg.matches("fill=\"#d4351c\" stroke=\"#0b0c0c\"").count(), 2);
}

#[test]
fn every_drawing_stays_inside_its_width() {
    let bars = Chart::new(
        "Crimes by type",
        "Bars.",
        Body::Bars(Bars {
            categories: vec!["Violence and sexual offences".into(), "Shoplifting".into()],
            series: vec![
                Series { name: "2025".into(), values: vec![Some(12_345.0), Some(3_210.0)] },
                Series { name: "2026".into(), values: vec![Some(11_000.0), None] },
            ],
            stacked: false,
            unit: "crimes".into(),
            places: 0,
            colours: Vec::new(),
        }),
    );
    for chart in [line_chart(), bars] {
        for size in [Size::Narrow, Size::Wide] {
            let svg = chart.svg(size, "c");
            for x in svg.split(" x=\"").skip(1).chain(svg.split(" x1=\"").skip(1)).chain(svg.split(" x2=\"").skip(1)) {
                let x: f64 = x.split('"').next().and_then(|v| v.parse().ok()).unwrap_or(f64::NAN);
                assert!((0.0..=size.width()).contains(&x), "{} at {x} outside {}", chart.title, size.width());
            }
        }
    }
}

#[test]
fn stacked_bars_are_labelled_with_their_totals_and_series_differ_by_pattern() {
    let chart = Chart::new(
        "Spend",
        "Stacked.",
        Body::Bars(Bars {
            categories: vec!["North".into()],
            series: vec![
                Series { name: "Staff".into(), values: vec![Some(1200.0)] },
                Series { name: "Grants".into(), values: vec![Some(300.5)] },
            ],
            stacked: true,
            unit: "pounds".into(),
            places: 1,
            colours: Vec::new(),
        }),
    );
    let svg = chart.svg(Size::Narrow, "spend");
    assert!(svg.contains(">1,500.5</text>"), "{svg}");
    assert!(svg.contains("url(#spend-narrow-hatch-1)") && svg.contains("id=\"spend-narrow-hatch-1\""));
    assert!(svg.contains(">Grants (hatched)</text>"));
}

/// The funnel's limits against a hand computation: 200 events in 100,000 people overall is 2 per
/// 1,000; an area of 10,000 expects 20 events, so its 95% limits are (20 ± 1.96 × √20) / 10.
#[test]
fn funnel_limits_follow_the_poisson_approximation() {
    let funnel = Funnel {
        points: vec![
            FunnelPoint { label: "A".into(), events: 150.0, exposure: 90_000.0, highlight: false },
            FunnelPoint { label: "B".into(), events: 50.0, exposure: 10_000.0, highlight: true },
        ],
        per: 1000.0,
        unit: "per 1,000".into(),
        exposure_unit: "residents".into(),
        dispersion: 1.0,
    };
    assert_eq!(funnel.overall(), Some(2.0));
    let (low, high) = funnel.limits(10_000.0, funnel::Z_95).unwrap_or_default();
    let half = 1.959_964 * 20f64.sqrt() / 10.0;
    assert!((low - (2.0 - half)).abs() < 1e-9 && (high - (2.0 + half)).abs() < 1e-9);
    // B's rate (5 per 1,000) is outside even the 99.8% limits; the limits narrow as areas grow.
    let (_, outer) = funnel.limits(10_000.0, funnel::Z_998).unwrap_or_default();
    assert!(5.0 > outer);
    assert!(funnel.limits(90_000.0, funnel::Z_95).unwrap_or_default().1 < high);
    let svg = Chart::new("Rates", "Funnel.", Body::Funnel(funnel)).svg(Size::Wide, "f");
    assert!(svg.contains(">B</text>") && svg.contains(">99.8% limits</text>"));
}

#[test]
fn dot_plots_mark_the_area_and_draw_each_interval() {
    let dots = Dots {
        rows: vec![
            DotRow { label: "Staffordshire".into(), value: 71.2, low: Some(70.5), high: Some(71.9), highlight: true },
            DotRow { label: "Derbyshire".into(), value: 65.0, low: Some(64.3), high: Some(65.7), highlight: false },
        ],
        reference: Some(("Group average".into(), 68.0)),
        unit: "crimes per 1,000 residents".into(),
        places: 1,
    };
    let svg = Chart::new("Compared", "Dots.", Body::Dots(dots)).svg(Size::Narrow, "d");
    assert!(svg.contains("font-weight=\"bold\">Staffordshire: 71.2</text>"), "{svg}");
    assert!(svg.contains(">Group average</text>") && svg.contains(">This area</text>"));
}

#[test]
fn small_multiples_share_one_scale() {
    let panel = |top: f64| Line {
        categories: months(3),
        series: vec![Series { name: "x".into(), values: vec![Some(1.0), Some(top), Some(2.0)] }],
        unit: "crimes".into(),
        ..Line::default()
    };
    let multiples =
        Multiples { panels: vec![("North".into(), panel(10.0)), ("South".into(), panel(95.0))], unit: "crimes".into() };
    let svg = Chart::new("Areas", "Panels.", Body::Multiples(multiples)).svg(Size::Wide, "m");
    // Both panels run to 100 even though North's own top is 10.
    assert_eq!(svg.matches(">100</text>").count(), 2, "{svg}");
    assert!(svg.contains(">North</text>") && svg.contains(">South</text>"));
}

#[test]
fn text_is_escaped() {
    let chart = Chart::new("A <b> & \"c\"", "d", Body::Bars(Bars::default()));
    assert!(chart.svg(Size::Wide, "x\"y").contains("<title id=\"x&quot;y-wide-title\">A &lt;b&gt; &amp; &quot;c&quot;</title>"));
}

#[test]
fn tables_show_words_and_download_machine_values() {
    let table = Table {
        caption: "Crimes".into(),
        columns: vec![Column::text("Month"), Column::number("Crimes")],
        rows: vec![vec![Value::Month("2026-11".into()), Value::Count(2948)], vec!["=SUM(A1)".into(), Value::Missing]],
    };
    let html = table.html("t");
    assert!(html.contains("<th scope=\"row\" class=\"govuk-table__header\">November 2026</th>"));
    assert!(html.contains("govuk-table__cell--numeric\">2,948</td>"));
    assert_eq!(table.csv_rows()[1], vec!["2026-11", "2948"]);
    assert_eq!(table.csv_rows()[2], vec!["'=SUM(A1)", ""]);
}

#[test]
fn month_labels_never_overlap_on_a_narrow_screen() {
    for n in [2usize, 7, 13, 24, 36] {
        let line = Line {
            categories: (0..n).map(|i| format!("{} {}", ["Jan", "Feb", "Mar"][i % 3], 2024 + i / 12)).collect(),
            series: vec![Series { name: "x".into(), values: vec![Some(1.0); n] }],
            unit: "crimes".into(),
            ..Line::default()
        };
        for size in [Size::Narrow, Size::Wide] {
            let svg = Chart::new("t", "d", Body::Line(line.clone())).svg(size, "c");
            // x labels sit on the line below the plot; each label's extent from its anchor.
            let mut spans: Vec<(f64, f64)> = svg
                .split("<text ")
                .skip(1)
                .filter(|t| t.contains("> 20") || t.contains(">Jan") || t.contains(">Feb") || t.contains(">Mar"))
                .filter_map(|t| {
                    let attr = |name: &str| t.split(&format!("{name}=\"")).nth(1)?.split('"').next().map(str::to_string);
                    let x: f64 = attr("x")?.parse().ok()?;
                    let label = t.split('>').nth(1)?.split('<').next()?;
                    let width = size.text_width(label);
                    Some(match attr("text-anchor")?.as_str() {
                        "start" => (x, x + width),
                        "end" => (x - width, x),
                        _ => (x - width / 2.0, x + width / 2.0),
                    })
                })
                .collect();
            spans.sort_by(|a, b| a.0.total_cmp(&b.0));
            assert!(spans.len() >= 2, "first and last at least ({n}, {size:?})");
            for pair in spans.windows(2) {
                assert!(pair[0].1 <= pair[1].0, "labels overlap at {n} points, {size:?}: {spans:?}");
            }
        }
    }
}
