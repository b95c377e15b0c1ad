use super::*;
use proptest::prelude::*;

/// Published months `from`..=`to` for one force.
fn published(force: &str, from: &str, to: &str) -> Published {
    let mut months = BTreeSet::new();
    let mut month = from.to_string();
    while month.as_str() <= to {
        months.insert(month.clone());
        month = months_before(&month, -1);
    }
    Published::from([(force.to_string(), months)])
}

fn counts(force: &str, entries: &[(&str, &str, u64)]) -> ForceCounts {
    let mut by_month = MonthlyCounts::new();
    for (month, t, n) in entries {
        *by_month.entry(month.to_string()).or_default().entry(t.to_string()).or_default() += n;
    }
    ForceCounts::from([(force.to_string(), by_month)])
}

fn row<'a>(report: &'a AreaReport, slug: &str) -> &'a CrimeTypeRow {
    report.rows.iter().find(|r| r.crime_type == slug).expect("row")
}

fn home() -> Vec<String> {
    vec!["west-yorkshire".to_string()]
}

#[test]
fn months_count_back_across_years_and_know_their_days() {
    assert_eq!(months_before("2026-03", 11), "2025-04");
    assert_eq!(months_before("2026-03", 23), "2024-04");
    assert_eq!(months_before("2026-12", 0), "2026-12");
    assert_eq!([days_in("2024-02"), days_in("2023-02"), days_in("2026-09"), days_in("2026-12")], [29, 28, 30, 31]);
}

#[test]
fn the_window_is_the_forces_and_quiet_months_count_as_none() {
    // A quiet neighbourhood: a crime in 8 of its latest 12 months and in all 12 before; its last
    // crime was in 2026-06 but the force published to 2026-09.
    let mut entries = Vec::new();
    for n in 0..12 {
        entries.push((months_before("2025-09", n), 1));
    }
    for n in 3..11 {
        entries.push((months_before("2026-09", n), 1));
    }
    let entries: Vec<(&str, &str, u64)> = entries.iter().map(|(m, n)| (m.as_str(), "burglary", *n)).collect();
    let report =
        area_report(&counts("west-yorkshire", &entries), &home(), &published("west-yorkshire", "2024-10", "2026-09"), 1500);
    assert_eq!(report.latest_month.as_deref(), Some("2026-09"), "the force's latest month, not the area's");
    assert_eq!((report.months_latest, report.months_previous, report.paired_months), (12, 12, 12));
    let burglary = row(&report, "burglary");
    assert_eq!((burglary.latest, burglary.previous), (8, 12));
    let ratio = burglary.comparison.as_ref().expect("compared").rate_ratio.expect("ratio");
    assert!((ratio - 8.0 / 12.0).abs() < 1e-12, "8 in twelve months against 12 in twelve, not 8 in eight: {ratio}");
    assert_eq!(report.crime_series.len(), 24, "every published month is a point");
    assert_eq!(report.crime_series.iter().filter(|p| p.crimes == 0).count(), 4);
    assert!((burglary.per_thousand.expect("rate") - 8.0 * 1000.0 / 1500.0).abs() < 1e-9);
}

#[test]
fn a_year_the_force_published_is_held_even_without_crime_here() {
    let report = area_report(
        &counts("west-yorkshire", &[("2026-09", "drugs", 5)]),
        &home(),
        &published("west-yorkshire", "2024-10", "2026-09"),
        0,
    );
    let drugs = row(&report, "drugs");
    assert_eq!(drugs.verdict, "5 after none before");
    assert_ne!(report.all_crime.verdict, "no earlier year held");
    assert_eq!(report.all_crime.per_thousand, None, "no population, no rate");
}

#[test]
fn fewer_than_six_paired_months_are_too_few_to_tell() {
    // One July against one July, as in the three real West Yorkshire files.
    let julys = published("west-yorkshire", "2017-07", "2017-07")
        .into_iter()
        .chain(published("west-yorkshire", "2018-07", "2018-07"))
        .fold(Published::new(), |mut all, (force, months)| {
            all.entry(force).or_default().extend(months);
            all
        });
    let report =
        area_report(&counts("west-yorkshire", &[("2017-07", "burglary", 300), ("2018-07", "burglary", 390)]), &home(), &julys, 0);
    assert_eq!((report.months_latest, report.months_previous, report.paired_months), (1, 1, 1));
    let burglary = row(&report, "burglary");
    assert_eq!((burglary.comparison.as_ref(), burglary.verdict.as_str()), (None, "too few months to tell"));
    assert_eq!(burglary.per_thousand, None);
    // Five pairs: still too few; six: tested.
    for (pairs, tested) in [(5, false), (6, true)] {
        let mut held = published("west-yorkshire", &months_before("2025-09", pairs - 1), "2025-09");
        held.get_mut("west-yorkshire").expect("force").extend(
            published("west-yorkshire", &months_before("2026-09", pairs - 1), "2026-09").remove("west-yorkshire").expect("force"),
        );
        let report =
            area_report(&counts("west-yorkshire", &[("2026-09", "drugs", 50), ("2025-09", "drugs", 20)]), &home(), &held, 0);
        assert_eq!(row(&report, "drugs").comparison.is_some(), tested, "{pairs} pairs");
    }
}

#[test]
fn seasons_are_not_taken_for_noise() {
    // Summer peaks twice the winter troughs, the same shape both years, and a 20% rise.
    let season = |m: i32| 1.0 + 0.5 * ((f64::from(m) - 7.0) / 12.0 * std::f64::consts::TAU).cos();
    let mut entries = Vec::new();
    for back in 0..24 {
        let month = months_before("2026-09", back);
        let m: i32 = month[5..].parse().expect("month");
        let level = if back < 12 { 120.0 } else { 100.0 };
        entries.push((month, (level * season(m)).round() as u64));
    }
    let entries: Vec<(&str, &str, u64)> = entries.iter().map(|(m, n)| (m.as_str(), "violent-crime", *n)).collect();
    let report = area_report(&counts("west-yorkshire", &entries), &home(), &published("west-yorkshire", "2024-10", "2026-09"), 0);
    let violence = row(&report, "violent-crime");
    let comparison = violence.comparison.as_ref().expect("compared");
    assert!(comparison.significant, "a steady 20% rise is real: {comparison:?}");
    assert!(comparison.dispersion < 2.0, "July against July leaves no season in the spread: {}", comparison.dispersion);
    // Spread measured around each year's mean would have taken the seasons for noise.
    let later: Vec<f64> = entries[..12].iter().map(|e| e.2 as f64).collect();
    let earlier: Vec<f64> = entries[12..].iter().map(|e| e.2 as f64).collect();
    let pooled = stats::dispersion(&[&earlier, &later]).expect("enough");
    assert!(pooled > 10.0, "{pooled}");
    assert!(!stats::compare_overdispersed(comparison.before, 12.0, comparison.after, 12.0, pooled, 22.0).significant);
}

#[test]
fn a_missing_month_breaks_the_pairs_and_the_chart() {
    let mut held = published("west-yorkshire", "2024-10", "2026-09");
    held.get_mut("west-yorkshire").expect("force").remove("2025-03");
    let report = area_report(&counts("west-yorkshire", &[("2026-03", "drugs", 5)]), &home(), &held, 0);
    assert_eq!((report.months_latest, report.months_previous, report.paired_months), (12, 11, 11));
    assert_eq!(report.crime_series.len(), 23);
}

#[test]
fn crimes_other_forces_recorded_are_disclosed_not_counted() {
    let mut by_force = counts("staffordshire", &[("2019-02", "burglary", 40)]);
    by_force.extend(counts("btp", &[("2019-02", "theft-from-the-person", 3), ("2019-01", "anti-social-behaviour", 2)]));
    let forces = vec!["staffordshire".to_string()];
    let report = area_report(&by_force, &forces, &published("staffordshire", "2018-10", "2019-02"), 1000);
    assert_eq!(report.all_crime.latest, 40);
    assert_eq!(
        report.other_forces,
        vec![OtherForce { force: "btp".into(), name: "British Transport Police".into(), crimes: 3, anti_social_behaviour: 2 }]
    );
    // Five months held: the rate is a year's, scaled from five months.
    assert!((report.all_crime.per_thousand.expect("rate") - 40.0 * 12.0 / 5.0).abs() < 1e-9);
}

#[test]
fn forces_are_matched_however_the_lookup_writes_them() {
    let held: Published = ["devon-and-cornwall", "city-of-london", "metropolitan", "west-yorkshire", "btp"]
        .iter()
        .map(|f| (f.to_string(), BTreeSet::from(["2019-01".to_string()])))
        .collect();
    for (name, slug) in [
        ("Devon & Cornwall", "devon-and-cornwall"),
        ("London, City of", "city-of-london"),
        ("Metropolitan Police", "metropolitan"),
        ("West Yorkshire", "west-yorkshire"),
    ] {
        assert_eq!(forces_named(&[name], &held), vec![slug.to_string()], "{name}");
    }
    assert!(forces_named(&["West Midlands"], &held).is_empty(), "a force whose data is not held");
}

#[test]
fn districts_count_every_resident_once_and_only_their_forces() {
    let held = published("west-yorkshire", "2018-07", "2018-07");
    let group = |code: &str, force: &str, vintage: &str, population: i64, lsoas: i64| -> PlaceGroup {
        (code.into(), format!("District {code}"), force.into(), vintage.into(), "2011".into(), population, lsoas, lsoas)
    };
    let groups = vec![
        // Leeds: 2011 and 2021 LSOAs both held; residents from the 2021 ones only.
        group("E08000035", "West Yorkshire", "2011", 751_485, 482),
        group("E08000035", "West Yorkshire", "2021", 812_000, 488),
        // Birmingham: a few West Yorkshire crimes fell there, but its force is not held.
        group("E08000025", "West Midlands", "2011", 1_073_045, 639),
        // A lookup without force names: given the force that recorded crimes in most LSOAs.
        group("E08000099", "", "", 1000, 4),
    ];
    let recorded_in = HashMap::from([("E08000099".to_string(), BTreeMap::from([("west-yorkshire".to_string(), 3)]))]);
    let districts = assemble_districts(&groups, &held, &recorded_in);
    assert_eq!(districts.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["E08000035", "E08000099"]);
    assert_eq!((districts[0].population, districts[0].lsoas), (812_000, 488));
    assert_eq!(districts[0].forces, ["west-yorkshire"]);
    assert_eq!(districts[0].population_year, "2011");
    let only_one = HashMap::from([("E08000099".to_string(), BTreeMap::from([("west-yorkshire".to_string(), 1)]))]);
    // (Half of them would do: 2 of 4.)
    assert_eq!(assemble_districts(&groups, &held, &only_one).len(), 1, "one LSOA of four is not the district's force");
}

#[test]
fn the_share_without_a_location_is_per_crime_type() {
    let sums = vec![
        ("shoplifting".to_string(), 200, 90),
        ("burglary".to_string(), 100, 2),
        ("anti-social-behaviour".to_string(), 500, 10),
    ];
    let table = force_locations_from("staffordshire", "2018-03", "2019-02", &sums);
    assert_eq!(table.percent_for("shoplifting"), Some(45.0));
    assert_eq!(table.percent_for("burglary"), Some(2.0));
    assert_eq!((table.all_crime.recorded, table.all_crime.without_location), (300, 92), "ASB is not crime");
    assert_eq!(table.percent_for("drugs"), Some(0.0));
}

#[test]
fn neighbourhood_verdicts_allow_for_every_comparison_at_once() {
    let held = published("west-yorkshire", "2024-10", "2026-09");
    // One neighbourhood with a large real rise among many with none.
    let mut reports: Vec<AreaReport> = (0..40)
        .map(|i| {
            let mut entries = Vec::new();
            for back in 0..24 {
                let month = months_before("2026-09", back);
                let n = if i == 0 && back < 12 { 30 } else { 10 + (back as u64 * 7 + i) % 5 };
                entries.push((month, n));
            }
            let entries: Vec<(&str, &str, u64)> = entries.iter().map(|(m, n)| (m.as_str(), "burglary", *n)).collect();
            area_report(&counts("west-yorkshire", &entries), &home(), &held, 1500)
        })
        .collect();
    let before: Vec<bool> = reports.iter().map(|r| row(r, "burglary").comparison.as_ref().expect("c").significant).collect();
    control_false_discoveries(&mut reports.iter_mut().collect::<Vec<_>>());
    let burglary = row(&reports[0], "burglary");
    let c = burglary.comparison.as_ref().expect("c");
    assert!(c.significant && c.q_value.is_some_and(|q| q >= c.p_value), "{c:?}");
    assert!(burglary.verdict.ends_with("a real rise"));
    let after: Vec<bool> = reports.iter().map(|r| row(r, "burglary").comparison.as_ref().expect("c").significant).collect();
    assert!(after.iter().filter(|s| **s).count() <= before.iter().filter(|s| **s).count());
    assert_eq!(reports[5].false_discovery, Some(FalseDiscovery { comparisons: 80, neighbourhoods: 40 }));
}

#[test]
fn the_csv_says_each_verdict_and_the_forces_share_without_location() {
    let mut report = area_report(
        &counts("staffordshire", &[("2019-02", "shoplifting", 5)]),
        &["staffordshire".to_string()],
        &published("staffordshire", "2019-02", "2019-02"),
        0,
    );
    report.locations = vec![force_locations_from("staffordshire", "2019-02", "2019-02", &[("shoplifting".into(), 10, 4)])];
    let csv = report_csv("E07000197", "Stafford", &report);
    assert!(csv.contains("E07000197,\"Stafford\",shoplifting,5,0,1,0,0,,,,,,\"no earlier year held\",40.0"), "{csv}");
}

proptest! {
    /// Over any published months and counts, the window and totals equal a direct count.
    #[test]
    fn windows_and_totals_match_a_direct_count(
        start in 0i32..30,
        length in 1i32..40,
        gaps in prop::collection::vec(0i32..40, 0..6),
        values in prop::collection::vec(0u64..50, 40),
    ) {
        let first = months_before("2020-01", -start);
        let mut held = published("west-yorkshire", &first, &months_before(&first, -(length - 1)));
        for gap in gaps {
            held.get_mut("west-yorkshire").expect("force").remove(&months_before(&first, -gap));
        }
        let months: Vec<String> = held["west-yorkshire"].iter().cloned().collect();
        prop_assume!(!months.is_empty());
        let entries: Vec<(String, u64)> = months.iter().zip(&values).map(|(m, n)| (m.clone(), *n)).collect();
        let refs: Vec<(&str, &str, u64)> = entries.iter().map(|(m, n)| (m.as_str(), "robbery", *n)).collect();
        let report = area_report(&counts("west-yorkshire", &refs), &home(), &held, 0);
        let end = months.last().expect("end").clone();
        let latest: u64 = entries.iter().filter(|(m, _)| *m >= months_before(&end, 11)).map(|(_, n)| n).sum();
        let previous: u64 = entries.iter().filter(|(m, _)| *m >= months_before(&end, 23) && *m < months_before(&end, 11)).map(|(_, n)| n).sum();
        let robbery = row(&report, "robbery");
        prop_assert_eq!((robbery.latest, robbery.previous), (latest, previous));
        prop_assert_eq!(report.crime_series.iter().map(|p| p.crimes).sum::<u64>(), entries.iter().map(|(_, n)| n).sum::<u64>());
        prop_assert_eq!(report.latest_month, Some(end));
    }
}

/// The share of `runs` simulated areas (twelve months a year, seasons ±40%, counts
/// over-dispersed by `dispersion`) whose change from one year to the next, by `factor`, is
/// called real.
fn called_real(mean: f64, dispersion: f64, factor: f64, runs: usize, random: &mut crate::generate::Random) -> f64 {
    let mut calls = 0;
    for _ in 0..runs {
        let pairs: Vec<(u64, u64)> = (0..12)
            .map(|m| {
                let season = 1.0 + 0.4 * (f64::from(m) / 12.0 * std::f64::consts::TAU).cos();
                (random.over_dispersed(mean * season, dispersion), random.over_dispersed(mean * season * factor, dispersion))
            })
            .collect();
        let before: u64 = pairs.iter().map(|p| p.0).sum();
        let after: u64 = pairs.iter().map(|p| p.1).sum();
        let d = stats::paired_dispersion(&pairs).unwrap_or(1.0);
        let freedom = pairs.iter().filter(|(a, b)| a + b > 0).count().saturating_sub(1) as f64;
        calls += usize::from(stats::compare_overdispersed(before, 12.0, after, 12.0, d, freedom).significant);
    }
    calls as f64 / runs as f64
}

#[test]
fn with_no_change_about_one_area_in_twenty_is_called_real_and_a_large_change_is_found() {
    // The promise of a 5% test, checked by simulation: seasons cancel in the pairs, and the t
    // test allows for the dispersion being estimated from eleven degrees of freedom.
    let mut random = crate::generate::Random::new(7, &[1]);
    for (mean, dispersion) in [(5.0, 1.0), (20.0, 1.0), (8.0, 2.0), (50.0, 3.0), (200.0, 5.0), (1000.0, 5.0)] {
        let share = called_real(mean, dispersion, 1.0, 3000, &mut random);
        assert!(share < 0.065, "mean {mean}, dispersion {dispersion}: {:.1}% called real", share * 100.0);
    }
    assert!(called_real(200.0, 5.0, 1.3, 500, &mut random) > 0.8, "a 30% rise in a busy area is found");
    assert!(called_real(1000.0, 5.0, 0.9, 500, &mut random) > 0.8, "a 10% fall in a very busy area is found");
}
