//! The truth test: every figure the national report publishes for every district, checked
//! against an independent computation from the raw files (`scripts/crime_truth.py`, Python's
//! standard library only, no code shared). The data: five real months of Staffordshire Police
//! with British Transport Police's rows in its area (crates/crimedata/testdata), three real West
//! Yorkshire Julys and the ONS lookup and 2011 census populations (PyPI crime-sim-toolkit), and
//! 24 synthetic months for one force so that the like-month tests and the control charts, which
//! need two years, are checked too.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;

use crimedata::import::{self, ImportOptions, Progress};
use platform::audit::Actor;
use serde_json::Value;

use crate::crimedata::crime_sim_toolkit;
use crate::support::TestApp;

fn staffordshire_sample() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crimedata/testdata/police-uk-staffordshire-2018-10-to-2019-02.zip")
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * a.abs().max(b.abs()).max(1e-300)
}

/// Figures compared so far.
static CHECKED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// Numbers equal to a relative 1e-9 (the two computations add in different orders).
fn same_number(ours: &Value, theirs: &Value, what: &str) {
    CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    match (ours.as_f64(), theirs.as_f64()) {
        (Some(a), Some(b)) => assert!(close(a, b, 1e-9), "{what}: {a} against {b}"),
        _ => assert_eq!(ours, theirs, "{what}"),
    }
}

fn check_row(ours: &Value, theirs: &Value, what: &str) {
    same_number(&ours["latest"], &theirs["latest"], &format!("{what} latest"));
    same_number(&ours["previous"], &theirs["previous"], &format!("{what} previous"));
    same_number(&ours["per_thousand"], &theirs["per_thousand"], &format!("{what} per 1,000"));
    match theirs.get("comparison") {
        None => {
            assert!(ours["comparison"].is_null(), "{what}: no comparison expected");
            assert_eq!(ours["verdict"], theirs["verdict"], "{what}");
            CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        Some(expected) => {
            let c = &ours["comparison"];
            assert_eq!((&c["before"], &c["after"]), (&expected["before"], &expected["after"]), "{what}: the months compared");
            same_number(&c["dispersion"], &expected["dispersion"], &format!("{what} dispersion"));
            let (p, q) = (c["p_value"].as_f64().expect("p"), expected["p_value"].as_f64().expect("p"));
            // Below 1e-8 the independent t integral loses its digits to 1 − (nearly 1): both
            // must then be very small.
            if p < 1e-8 {
                assert!(q < 1e-6, "{what}: p {p} against {q}");
            } else {
                assert!(close(p, q, 1e-6), "{what}: p {p} against {q}");
            }
            assert_eq!(c["significant"], expected["significant"], "{what}");
            CHECKED.fetch_add(2, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

#[tokio::test]
async fn every_published_district_figure_matches_an_independent_computation() {
    let app = TestApp::builder().without_demo().spawn().await;
    let actor = Actor::system("test");
    let wheel = crime_sim_toolkit();
    let sample = staffordshire_sample();
    let generated = tempfile::tempdir().expect("temp dir");
    let options = crimedata::generate::GenerateOptions {
        out: generated.path().to_path_buf(),
        months: 24,
        first_month: "2024-10".into(),
        seed: 7,
        forces: vec!["cumbria".into()],
    };
    crimedata::generate::generate(&options, &AtomicU64::new(0)).expect("generated");
    let lookups = [wheel.clone(), generated.path().join("geography.csv")];
    let geography = crimedata::geography::import(&app.pool, &lookups, &actor).await.expect("geography");
    assert_eq!(geography.files, 3, "{:?}", geography.problems);
    let streets = [sample.clone(), wheel.clone(), generated.path().to_path_buf()];
    let imported =
        import::import(&app.pool, &streets, ImportOptions::default(), &Progress::default(), &actor).await.expect("import");
    assert_eq!(imported.rows_bad, 0, "{:?}", imported.problems.first());

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/crime_truth.py");
    let mut command = std::process::Command::new("python3");
    command.arg(script).arg("--street").args(&streets).arg("--lookup").args(&lookups);
    let output = command.output().expect("python3 runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let truth: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let report: Value = serde_json::from_str(&app.get("/crime/report.json").await.text().await.expect("body")).expect("JSON");
    let published = report["districts"].as_array().expect("districts");

    let expected = truth["districts"].as_object().expect("districts");
    let mut codes: Vec<&str> = published.iter().map(|d| d["district"]["code"].as_str().expect("code")).collect();
    codes.sort_unstable();
    let mut expected_codes: Vec<&str> = expected.keys().map(String::as_str).collect();
    expected_codes.sort_unstable();
    assert_eq!(codes, expected_codes, "the same districts are published");
    assert!(!codes.contains(&"E08000025"), "Birmingham is West Midlands Police's, though Staffordshire crimes fell there");

    for entry in published {
        let district = &entry["district"];
        let code = district["code"].as_str().expect("code");
        let theirs = &expected[code];
        let ours = &entry["report"];
        for key in ["forces", "population", "population_year", "lsoas"] {
            assert_eq!(district[key], theirs[key], "{code} {key}");
        }
        for key in ["latest_month", "months_latest", "months_previous", "paired_months"] {
            assert_eq!(ours[key], theirs[key], "{code} {key}");
        }
        for row in ours["rows"].as_array().expect("rows").iter().chain([&ours["all_crime"]]) {
            let crime_type = row["crime_type"].as_str().expect("type");
            check_row(row, &theirs["rows"][crime_type], &format!("{code} {crime_type}"));
        }
        for (series, name) in [(&ours["crime_series"], "crime"), (&ours["asb_series"], "asb")] {
            let expected = &theirs["series"][name];
            let points = series.as_array().expect("series");
            assert_eq!(
                points.iter().map(|p| p["month"].clone()).collect::<Vec<_>>(),
                *expected["months"].as_array().expect("months")
            );
            for (i, point) in points.iter().enumerate() {
                same_number(&point["crimes"], &expected["crimes"][i], &format!("{code} {name} {i}"));
                match expected["limits"].as_array() {
                    Some(limits) => {
                        for key in ["centre", "upper", "lower"] {
                            same_number(&point[key], &limits[i][key], &format!("{code} {name} {i} {key}"));
                        }
                        let mut signals: Vec<&str> =
                            point["signals"].as_array().expect("signals").iter().map(|s| s.as_str().expect("signal")).collect();
                        signals.sort_unstable();
                        assert_eq!(Value::from(signals), limits[i]["signals"], "{code} {name} {}", point["month"]);
                        CHECKED.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                    None => assert!(point["upper"].is_null() && point["signals"].as_array().is_some_and(Vec::is_empty)),
                }
            }
        }
        let others: serde_json::Map<String, Value> = ours["other_forces"]
            .as_array()
            .expect("others")
            .iter()
            .map(|o| {
                (
                    o["force"].as_str().expect("force").to_string(),
                    serde_json::json!({"crimes": o["crimes"], "anti_social_behaviour": o["anti_social_behaviour"]}),
                )
            })
            .collect();
        assert_eq!(Value::Object(others), theirs["other_forces"], "{code}: other forces' crimes here");
        for location in ours["locations"].as_array().expect("locations") {
            let force = location["force"].as_str().expect("force");
            let table = &truth["locations"][force];
            assert_eq!((&location["from"], &location["to"]), (&table["from"], &table["to"]), "{code} {force}");
            for row in location["rows"].as_array().expect("rows").iter().chain([&location["all_crime"]]) {
                let crime_type = row["crime_type"].as_str().expect("type");
                for key in ["recorded", "without_location", "percent"] {
                    same_number(&row[key], &table["rows"][crime_type][key], &format!("{code} {force} {crime_type} {key}"));
                }
            }
        }
        let hotspots = entry["hotspots"].as_array().expect("hotspots");
        let expected_hotspots = theirs["hotspots"].as_array().expect("hotspots");
        assert_eq!(hotspots.len(), expected_hotspots.len(), "{code}");
        for (h, e) in hotspots.iter().zip(expected_hotspots) {
            for key in ["code", "crimes", "months_in_top_tenth", "per_thousand"] {
                same_number(&h[key], &e[key], &format!("{code} hotspot {key}"));
            }
        }
    }
    let figures = CHECKED.load(std::sync::atomic::Ordering::Relaxed);
    println!("{figures} published figures checked against the independent computation");
    assert!(figures > 5_000, "{figures} figures checked");

    // What the real files say, beside the arithmetic: a sixth of Staffordshire's crimes and 45%
    // of its shoplifting have no location; British Transport Police's crimes in Stafford are
    // disclosed, not counted; some comparisons are made and some are real.
    let staffordshire = &truth["locations"]["staffordshire"]["rows"];
    assert!((15.0..17.0).contains(&staffordshire["all-crime"]["percent"].as_f64().expect("share")));
    assert!((44.0..46.0).contains(&staffordshire["shoplifting"]["percent"].as_f64().expect("share")));
    assert!(expected.values().any(|d| d["other_forces"]["btp"]["crimes"].as_u64().is_some_and(|n| n > 0)));
    let compared =
        published.iter().flat_map(|d| d["report"]["rows"].as_array().expect("rows")).filter(|r| !r["comparison"].is_null());
    assert!(compared.clone().count() > 20 && compared.clone().any(|r| r["comparison"]["significant"] == true));

    // A district page says what it counts and leaves out, and its download carries the share.
    let (status, html) = app.get_page("/crime/E07000197").await;
    assert_eq!(status, 200);
    assert!(html.contains("have no location, so are in no area’s figures"), "the page says what is left out");
    assert!(
        html.contains("British Transport Police recorded") && html.contains("They are not in these figures"),
        "other forces disclosed"
    );
    assert!(html.contains("2011 population"), "the population's year");
    let csv = app.get("/crime/E07000197/data.csv").await.text().await.expect("csv");
    let shoplifting = csv.lines().find(|l| l.contains(",shoplifting,")).expect("row");
    let share = staffordshire["shoplifting"]["percent"].as_f64().expect("share");
    assert!(shoplifting.ends_with(&format!(",{share:.1}")), "{shoplifting}");
}
