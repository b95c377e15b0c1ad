//! The synthetic national generator: the same seed writes the same bytes, a run for some forces
//! writes exactly their part of a run for all, and the standard report finds the step changes the
//! generator says it injected without calling ordinary variation real. Also `crimedata fetch`
//! from a local stand-in for data.police.uk.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::AtomicU64;

use crimedata::generate::{self, GenerateOptions};
use crimedata::import::{self, ImportOptions, Progress};
use platform::audit::Actor;
use sha2::{Digest, Sha256};

use crate::support::TestApp;

fn options(out: &Path, forces: &[&str], months: u32) -> GenerateOptions {
    GenerateOptions {
        out: out.to_path_buf(),
        months,
        first_month: "2024-10".into(),
        seed: 7,
        forces: forces.iter().map(|f| f.to_string()).collect(),
    }
}

/// Relative path → SHA-256 of every file under `dir`.
fn digests(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).expect("dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("file");
                let name = path.strip_prefix(dir).expect("inside").display().to_string();
                out.insert(name, hex::encode(Sha256::digest(&bytes)));
            }
        }
    }
    out
}

const FORCES: [&str; 3] = ["staffordshire", "warwickshire", "cleveland"];

#[test]
fn the_same_seed_writes_the_same_bytes_and_a_subset_is_a_part_of_the_whole() {
    let (a, b, c) = (tempfile::tempdir().expect("a"), tempfile::tempdir().expect("b"), tempfile::tempdir().expect("c"));
    let rows = AtomicU64::new(0);
    let first = generate::generate(&options(a.path(), &FORCES, 6), &rows).expect("generated");
    generate::generate(&options(b.path(), &FORCES, 6), &AtomicU64::new(0)).expect("again");
    let (da, db) = (digests(a.path()), digests(b.path()));
    assert_eq!(da.len(), 3 * 6 * 3 + 2, "three files a force-month, geography and ground truth");
    assert_eq!(da, db, "byte for byte the same");
    assert_eq!(rows.load(std::sync::atomic::Ordering::Relaxed), first.street_rows + first.stop_rows);

    generate::generate(&options(c.path(), &["warwickshire"], 6), &AtomicU64::new(0)).expect("one force");
    let dc = digests(c.path());
    let warwickshire: Vec<_> = dc.iter().filter(|(name, _)| name.contains("warwickshire")).collect();
    assert_eq!(warwickshire.len(), 18);
    for (name, digest) in warwickshire {
        assert_eq!(da.get(name), Some(digest), "{name} differs when written alone");
    }

    // Another seed, other data.
    let d = tempfile::tempdir().expect("d");
    let mut other = options(d.path(), &FORCES, 6);
    other.seed = 8;
    generate::generate(&other, &AtomicU64::new(0)).expect("other seed");
    assert_ne!(digests(d.path()), da);

    let unknown = generate::generate(&options(d.path(), &["gotham"], 1), &AtomicU64::new(0)).expect_err("no such force");
    assert!(unknown.to_string().contains("no force is called \"gotham\""), "{unknown}");
}

/// The page's hotspots (read back from its JSON) are the national report's: the same
/// neighbourhoods in the same order with the same figures (floats to 1e-9, as JSON's text
/// round trip may move the last digit).
fn same_hotspots(page: &serde_json::Value, national: &[crimedata::hotspots::Hotspot], district: &str) {
    let page = page.as_array().expect("hotspots");
    assert!(page.len() >= national.len(), "{district}");
    for (on_page, h) in page.iter().zip(national) {
        let expected = serde_json::to_value(h).expect("json");
        for (key, value) in expected.as_object().expect("object") {
            match (value.as_f64(), on_page[key].as_f64()) {
                (Some(a), Some(b)) if value.is_f64() => assert!((a - b).abs() <= 1e-9 * a.abs().max(1.0), "{district} {key}"),
                _ => assert_eq!(&on_page[key], value, "{district}: {key} of {}", h.code),
            }
        }
    }
}

#[tokio::test]
async fn the_report_finds_the_injected_changes_and_not_the_noise() {
    let app = TestApp::builder().without_demo().spawn().await;
    let out = tempfile::tempdir().expect("out");
    // Eight smaller forces: about fifty districts, enough for several injected changes.
    let forces =
        ["cleveland", "cumbria", "dorset", "gloucestershire", "north-wales", "staffordshire", "warwickshire", "wiltshire"];
    let generated = generate::generate(&options(out.path(), &forces, 24), &AtomicU64::new(0)).expect("generated");
    assert!(generated.step_changes > 0);
    let actor = Actor::system("test");
    let geography =
        crimedata::geography::import(&app.pool, &[out.path().join("geography.csv")], &actor).await.expect("geography");
    assert!(geography.problems.is_empty(), "{:?}", geography.problems);
    let report = import::import(&app.pool, &[out.path().to_path_buf()], ImportOptions::default(), &Progress::default(), &actor)
        .await
        .expect("import");
    assert_eq!(report.rows_bad, 0, "{:?}", report.problems.first());
    assert_eq!(report.landed.len(), forces.len() * 24 * 3);

    let reports = crimedata::report::standard_report(&app.pool).await.expect("report");
    assert!(reports.iter().all(|r| r.report.months_latest == 12 && r.report.months_previous == 12));
    assert!(reports.iter().all(|r| r.hotspots.len() == crimedata::report::TOP_HOTSPOTS && r.hotspots[0].gi_star.is_some()));
    let real = crimedata::report::real_changes(&reports);
    // The cube (every count read at once) agrees with the district pages' own queries: figures,
    // series and hotspots.
    let published = crimedata::measures::published_months(&app.pool).await.expect("published");
    for r in &reports {
        let counts = crimedata::measures::district_counts(&app.pool, &r.district.code).await.expect("counts");
        let alone = crimedata::measures::area_report(&counts, &r.district.forces, &published, r.district.population);
        assert_eq!(alone.rows, r.report.rows, "{}", r.district.name);
        assert_eq!(alone.crime_series, r.report.crime_series, "{}", r.district.name);
        let page = app.client.get(app.url(&format!("/crime/{}/data.json", r.district.code))).send().await.expect("get");
        let page: serde_json::Value = serde_json::from_str(&page.text().await.expect("body")).expect("json");
        same_hotspots(&page["hotspots"], &r.hotspots, &r.district.name);
    }

    // Ground truth: district, crime type, factor.
    let truth = std::fs::read_to_string(out.path().join("ground-truth.csv")).expect("truth");
    let steps: Vec<(String, String, f64)> = truth
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            (f[1].to_string(), f[3].to_string(), f[5].parse().expect("factor"))
        })
        .collect();
    assert_eq!(steps.len(), generated.step_changes);
    let found = steps
        .iter()
        .filter(|(district, crime_type, factor)| {
            real.get(&(district.clone(), crime_type.clone()))
                .is_some_and(|ratio| (ratio - 1.0).signum() == (factor - 1.0).signum())
        })
        .count();
    // The steps are changes of 25% to 50% that the district's months must carry against seasons,
    // trend and over-dispersed noise: most, not all, can be told from the noise in a year.
    assert!(found * 10 >= steps.len() * 7, "found {found} of {} injected changes", steps.len());

    // Everything else has no step (only season, a gentle trend and noise): a change called real
    // there is a false alarm. Allowing for over-dispersion keeps them rare.
    let stepped: std::collections::HashSet<(String, String)> = steps.iter().map(|(d, t, _)| (d.clone(), t.clone())).collect();
    let tested = reports.len() * crimedata::reference::CRIME_TYPES.len() - stepped.len();
    let false_alarms = real.keys().filter(|key| !stepped.contains(*key)).count();
    assert!(false_alarms * 100 <= tested * 15, "{false_alarms} false alarms in {tested} comparisons");

    // The route serves the same report as the library, from memory once read.
    let csv = app.client.get(app.url("/crime/report.csv")).send().await.expect("get");
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"].to_str().expect("header").contains("crime-every-district.csv"));
    assert_eq!(csv.text().await.expect("body"), crimedata::report::to_csv(&reports));
    let json = app.client.get(app.url("/crime/report.json")).send().await.expect("get").text().await.expect("body");
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["districts"].as_array().map(Vec::len), Some(reports.len()));
    // For the record: what the plain Poisson test would have said about the same comparisons.
    let plain = reports
        .iter()
        .flat_map(|r| r.report.rows.iter().map(move |row| (r.district.code.clone(), row)))
        .filter(|(district, row)| {
            !stepped.contains(&(district.clone(), row.crime_type.clone()))
                && crimedata::stats::compare(row.previous, 12.0, row.latest, 12.0).significant
        })
        .count();
    println!(
        "found {found} of {} injected changes; {false_alarms} false alarms in {tested} comparisons ({plain} with the plain Poisson test)",
        steps.len()
    );

    // One force's data ends two months early: its districts' latest twelve months end at its own
    // latest month, and the national report ranks the same hotspots as their pages.
    for table in ["crimedata_lsoa_month", "crimedata_force_month"] {
        let last = crimedata::measures::months_before(&reports[0].report.latest_month.clone().expect("latest"), 1);
        sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE force = 'wiltshire' AND month >= $1")))
            .bind(&last)
            .execute(&app.pool)
            .await
            .expect("delete");
    }
    let reports = crimedata::report::standard_report(&app.pool).await.expect("report");
    let wiltshire: Vec<_> = reports.iter().filter(|r| r.district.forces == ["wiltshire"]).collect();
    assert!(!wiltshire.is_empty());
    for r in wiltshire {
        assert_eq!(r.report.months_latest, 12, "{}: twelve months to its force's latest", r.district.name);
        assert_eq!(r.hotspots.len(), crimedata::report::TOP_HOTSPOTS, "{} keeps its hotspots", r.district.name);
        let page = app.client.get(app.url(&format!("/crime/{}/data.json", r.district.code))).send().await.expect("get");
        let page: serde_json::Value = serde_json::from_str(&page.text().await.expect("body")).expect("json");
        assert_eq!(page["report"]["latest_month"], serde_json::json!(r.report.latest_month));
        same_hotspots(&page["hotspots"], &r.hotspots, &r.district.name);
    }
}

/// A stand-in for data.police.uk on loopback: `/data/archive/2024-11.zip` holds the generated
/// 2024-10 and 2024-11 folders under `out` (the real archive holds earlier months too), and
/// `/data/archive/2024-12.zip` answers with a web page instead of a zip.
async fn stand_in_police_uk(out: &Path) -> std::net::SocketAddr {
    let mut bytes = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut bytes);
        for month in ["2024-10", "2024-11"] {
            for entry in std::fs::read_dir(out.join(month)).expect("month") {
                let path = entry.expect("entry").path();
                let name = format!("{month}/{}", path.file_name().expect("name").to_string_lossy());
                zip.start_file(name, zip::write::SimpleFileOptions::default()).expect("entry");
                std::io::Write::write_all(&mut zip, &std::fs::read(&path).expect("read")).expect("write");
            }
        }
        zip.finish().expect("finish");
    }
    let bytes = bytes.into_inner();
    let server = axum::Router::new()
        .route("/data/archive/2024-11.zip", axum::routing::get(move || async move { bytes.clone() }))
        .route("/data/archive/2024-12.zip", axum::routing::get(|| async { "<html>not a zip</html>" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move { axum::serve(listener, server).await });
    address
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fetch_downloads_keeps_and_imports_one_month_for_the_chosen_forces() {
    let app = TestApp::builder().without_demo().spawn().await;
    let out = tempfile::tempdir().expect("out");
    let small = options(out.path(), &["staffordshire", "cleveland"], 2);
    generate::generate(&small, &AtomicU64::new(0)).expect("generated");
    let address = stand_in_police_uk(out.path()).await;

    let site = format!("http://{address}");
    // On a thread that may block: the stand-in site is served by this test's runtime.
    let run = |args: &[&str]| tokio::task::block_in_place(|| app.cli(args, &[("COMMISSIONER_POLICE_DATA_URL", site.clone())]));
    let output = run(&["crimedata", "fetch", "--month", "2024-11", "--force", "staffordshire"]);
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{said}{}", String::from_utf8_lossy(&output.stderr));
    assert!(said.contains("Imported staffordshire 2024-11 street"), "{said}");
    assert!(said.contains("3 files,"), "only Staffordshire's three files for the month: {said}");
    assert!(app.data_dir.join("police-archive/2024-11.zip").exists(), "the archive is kept");
    let held: Vec<(String, String, String)> =
        sqlx::query_as("SELECT force, month, kind FROM crimedata_force_month ORDER BY kind")
            .fetch_all(&app.pool)
            .await
            .expect("held");
    assert_eq!(
        held,
        ["outcomes", "stop-and-search", "street"].map(|k| ("staffordshire".to_string(), "2024-11".to_string(), k.to_string()))
    );

    let missing = run(&["crimedata", "fetch", "--month", "2023-01"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("keeps only the latest 36 months online"));
    let not_zip = run(&["crimedata", "fetch", "--month", "2024-12"]);
    assert!(!not_zip.status.success());
    assert!(String::from_utf8_lossy(&not_zip.stderr).contains("did not give a zip archive"));
    assert!(
        !app.data_dir.join("police-archive/2024-12.zip").exists()
            && !app.data_dir.join("police-archive/2024-12.zip.part").exists()
    );
    let bad_month = run(&["crimedata", "fetch", "--month", "Sept"]);
    assert!(String::from_utf8_lossy(&bad_month.stderr).contains("is not a month like 2026-09"));
}

#[tokio::test]
async fn a_force_page_shows_outcomes_and_stop_and_search_as_counted_from_the_files() {
    let app = TestApp::builder().without_demo().spawn().await;
    let out = tempfile::tempdir().expect("out");
    generate::generate(&options(out.path(), &["staffordshire"], 3), &AtomicU64::new(0)).expect("generated");
    import::import(
        &app.pool,
        &[out.path().to_path_buf()],
        ImportOptions::default(),
        &Progress::default(),
        &Actor::system("test"),
    )
    .await
    .expect("import");

    // Counted straight from the files.
    let (mut searches, mut linked, mut drugs, mut crimes, mut charged_burglary, mut burglary) = (0, 0, 0, 0, 0, 0);
    for month in ["2024-10", "2024-11", "2024-12"] {
        let folder = out.path().join(month);
        let mut stops = csv::Reader::from_path(folder.join(format!("{month}-staffordshire-stop-and-search.csv"))).expect("stops");
        for record in stops.records() {
            let record = record.expect("record");
            searches += 1;
            linked += usize::from(&record[13] == "True");
            drugs += usize::from(&record[11] == "Controlled drugs");
        }
        let mut street = csv::Reader::from_path(folder.join(format!("{month}-staffordshire-street.csv"))).expect("street");
        for record in street.records() {
            let record = record.expect("record");
            if &record[9] != "Anti-social behaviour" {
                crimes += 1;
            }
            if &record[9] == "Burglary" {
                burglary += 1;
                let group = crimedata::reference::outcome_code(&record[10]).map(crimedata::reference::outcome_group);
                charged_burglary += usize::from(group == Some(crimedata::reference::OutcomeGroup::Charged));
            }
        }
    }
    assert!(searches > 1000 && linked > 0 && crimes > 10_000);

    let page = app.client.get(app.url("/crime/forces/staffordshire")).send().await.expect("get");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    let thousands = |n: usize| platform::web::thousands(n);
    assert!(
        html.contains(&format!(
            "Officers recorded {} searches from October 2024 to December 2024 (3 months held)",
            thousands(searches)
        )),
        "total searches, over the months held"
    );
    assert!(html.contains(&format!("In {} (", thousands(linked))), "linked searches");
    assert!(html.contains("<title id=\"charged-wide-title\">Share of crimes charged"), "an accessible chart");
    let index = app.client.get(app.url("/crime")).send().await.expect("index").text().await.expect("body");
    assert!(index.contains("href=\"/crime/forces/staffordshire\">Staffordshire</a>"));

    let outcomes = app.client.get(app.url("/crime/forces/staffordshire/outcomes.csv")).send().await.expect("csv");
    let outcomes = outcomes.text().await.expect("body");
    let all_crime = outcomes.lines().find(|l| l.starts_with("staffordshire,all-crime,")).expect("all crime row");
    assert!(all_crime.starts_with(&format!("staffordshire,all-crime,{crimes},")), "{all_crime}");
    let burglary_row = outcomes.lines().find(|l| l.starts_with("staffordshire,burglary,")).expect("burglary row");
    assert!(burglary_row.starts_with(&format!("staffordshire,burglary,{burglary},{charged_burglary},")), "{burglary_row}");

    let stops = app.client.get(app.url("/crime/forces/staffordshire/stop-and-search.csv")).send().await.expect("csv");
    let stops = stops.text().await.expect("body");
    assert!(stops.contains(&format!("staffordshire,object,\"Controlled drugs\",{drugs},")), "{stops}");

    assert_eq!(app.client.get(app.url("/crime/forces/gotham")).send().await.expect("get").status(), 404);
}

#[tokio::test]
async fn harm_weights_are_imported_with_their_source_and_named_where_used() {
    // No background worker: the command line's write must not queue behind the daily tasks a
    // fresh server runs on a loaded machine (this test once timed out on SQLite's lock).
    let app = TestApp::builder().without_demo().without_background_work().spawn().await;
    let out = tempfile::tempdir().expect("out");
    generate::generate(&options(out.path(), &["cleveland"], 24), &AtomicU64::new(0)).expect("generated");
    let actor = Actor::system("test");
    crimedata::geography::import(&app.pool, &[out.path().join("geography.csv")], &actor).await.expect("geography");
    import::import(&app.pool, &[out.path().to_path_buf()], ImportOptions::default(), &Progress::default(), &actor)
        .await
        .expect("import");

    let weights = out.path().join("weights.csv");
    let import_weights = || {
        let path = weights.to_str().expect("path");
        app.cli(
            &["crimedata", "import-harm-weights", path, "--name", "Test weights", "--source", "a test", "--vintage", "2026"],
            &[],
        )
    };
    std::fs::write(&weights, "crime_type,weight\nBurglary,273.5\nDrugs,3\nFraud,2\n").expect("write");
    let refused = import_weights();
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("line 4: \"Fraud\" is not a police.uk crime type") && said.contains("Nothing was imported"), "{said}");
    std::fs::write(&weights, "crime_type,weight\nBurglary,273.5\nDrugs,3\n").expect("write");
    let imported = import_weights();
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));

    // Burglary and drugs in the first district, latest twelve months and the twelve before,
    // counted from the files with the generator's own LSOA lookup.
    let mut district_of = std::collections::HashMap::new();
    let mut first_district = None;
    for record in csv::Reader::from_path(out.path().join("geography.csv")).expect("geography").records() {
        let record = record.expect("record");
        first_district.get_or_insert_with(|| record[2].to_string());
        district_of.insert(record[0].to_string(), record[2].to_string());
    }
    let district = first_district.expect("a district");
    let (mut latest, mut previous) = (0.0, 0.0);
    for m in 0..24 {
        let month = crimedata::measures::months_before("2024-10", -m);
        let path = out.path().join(&month).join(format!("{month}-cleveland-street.csv"));
        for record in csv::Reader::from_path(path).expect("street").records() {
            let record = record.expect("record");
            let weight = match &record[9] {
                "Burglary" => 273.5,
                "Drugs" => 3.0,
                _ => continue,
            };
            if district_of.get(&record[7]) == Some(&district) {
                if m >= 12 { latest += weight } else { previous += weight }
            }
        }
    }
    let html = app.client.get(app.url(&format!("/crime/{district}"))).send().await.expect("get").text().await.expect("body");
    assert!(html.contains("using the weights “Test weights” (a test, 2026)"), "the page names the table");
    assert!(
        html.contains(&format!(
            ": {} in the latest 12 months against {} in the 12 before",
            platform::web::decimal(latest, 0),
            platform::web::decimal(previous, 0)
        )),
        "{latest} {previous}"
    );
    assert!(html.contains("The table has no weight for Anti-social behaviour, Bicycle theft"), "unweighted types are named");
    let json =
        app.client.get(app.url(&format!("/crime/{district}/data.json"))).send().await.expect("get").text().await.expect("body");
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["harm"]["table"], "Test weights");
    assert_eq!(json["harm"]["totals"]["latest"].as_f64(), Some(latest));
}

#[tokio::test]
async fn staff_fetch_a_month_from_the_page_and_bad_requests_are_explained() {
    let out = tempfile::tempdir().expect("out");
    generate::generate(&options(out.path(), &["staffordshire", "cleveland"], 2), &AtomicU64::new(0)).expect("generated");
    let address = stand_in_police_uk(out.path()).await;
    let app = TestApp::builder().without_demo().police_data_url(format!("http://{address}")).spawn().await;
    let (mut officer, _) = app.signed_in(platform::access::Role::PerformanceOfficer).await;
    let token = officer.csrf_token("/staff/crime-data").await;

    for (month, forces, message) in [
        ("", "", "Enter the month to fetch, like 2026-09"),
        ("2024-13", "", "Enter the month as a year and month, like 2026-09"),
        ("2099-01", "", "police.uk publishes a month after it ends"),
        ("2024-11", "staffordshire, gotham", "“gotham” is not a police.uk force name"),
    ] {
        let response =
            officer.post("/staff/crime-data/fetch", &[("csrf-token", &token), ("month", month), ("forces", forces)]).await;
        assert_eq!(response.status(), 422, "{month} {forces}");
        let html = response.text().await.expect("body");
        assert!(html.contains("govuk-error-summary") && html.contains(message), "{month} {forces}: {message}");
    }

    let response =
        officer.post("/staff/crime-data/fetch", &[("csrf-token", &token), ("month", "2024-11"), ("forces", "Cleveland")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/staff/crime-data?queued=2024-11");
    let (_, html) = officer.get_page("/staff/crime-data?queued=2024-11").await;
    assert!(html.contains("Fetching November 2024 from police.uk"));
    let pool = app.pool.clone();
    crate::support::eventually("the fetch job to import Cleveland's month", || {
        let pool = pool.clone();
        async move {
            let held: Vec<(String, String)> =
                sqlx::query_as("SELECT force, month FROM crimedata_force_month").fetch_all(&pool).await.expect("held");
            held.len() == 3 && held.iter().all(|(f, m)| f == "cleveland" && m == "2024-11")
        }
    })
    .await;

    // The download and the import are one run on the page, finished with what was read.
    crate::support::eventually("the fetch's run to be finished", || {
        let pool = pool.clone();
        async move {
            let runs: Vec<(String, String, String, i64, i64)> =
                sqlx::query_as("SELECT status, sources, stage, bytes_done, bytes_total FROM crimedata_import")
                    .fetch_all(&pool)
                    .await
                    .expect("runs");
            runs.len() == 1
                && runs.iter().all(|(status, sources, stage, done, total)| {
                    status == "done"
                        && sources.ends_with("/data/archive/2024-11.zip")
                        && stage.is_empty()
                        && done == total
                        && *total > 0
                })
        }
    })
    .await;

    // A month police.uk cannot give: recorded as a failed import with the reason.
    let response = officer.post("/staff/crime-data/fetch", &[("csrf-token", &token), ("month", "2024-12"), ("forces", "")]).await;
    assert_eq!(response.status(), 303);
    crate::support::eventually("the failed fetch to be recorded", || {
        let pool = pool.clone();
        async move {
            let failed: Vec<(String,)> = sqlx::query_as("SELECT problems FROM crimedata_import WHERE status = 'failed'")
                .fetch_all(&pool)
                .await
                .expect("imports");
            failed.iter().any(|(p,)| p.contains("did not give a zip archive"))
        }
    })
    .await;
    let (_, html) = officer.get_page("/staff/crime-data").await;
    assert!(html.contains("Nothing imported: the archive could not be downloaded"));
    let audit: i64 = app.one("SELECT COUNT(*) FROM platform_audit_event WHERE action = 'queued police data fetch'").await;
    assert_eq!(audit, 2);
}

#[tokio::test]
async fn a_running_import_shows_how_far_it_has_got_on_the_staff_page() {
    let app = TestApp::builder().without_demo().spawn().await;
    crimedata::import::start_run(&app.pool, "run-1", "2026-09.zip").await.expect("run");
    let progress = Progress::default();
    progress.bytes_total.store(1_150_000_000, std::sync::atomic::Ordering::Relaxed);
    progress.bytes_read.store(520_000_000, std::sync::atomic::Ordering::Relaxed);
    progress.rows_read.store(4_812_000, std::sync::atomic::Ordering::Relaxed);
    let reporter = crimedata::import::report_progress(app.pool.clone(), "run-1".into(), "reading", progress);
    let pool = app.pool.clone();
    crate::support::eventually("the progress to be recorded", || {
        let pool = pool.clone();
        async move {
            let done: i64 = sqlx::query_scalar("SELECT bytes_done FROM crimedata_import WHERE id = 'run-1'")
                .fetch_one(&pool)
                .await
                .expect("run");
            done == 520_000_000
        }
    })
    .await;
    reporter.abort();
    let (officer, _) = app.signed_in(platform::access::Role::PerformanceOfficer).await;
    let (status, html) = officer.get_page("/staff/crime-data").await;
    assert_eq!(status, 200);
    assert!(html.contains("<progress class=\"app-progress\" max=\"100\" value=\"45\""), "{html}");
    assert!(html.contains("Reading the files: 520.0 of 1150.0 MB, 4812000 rows so far"));
    assert!(html.contains(">Running</strong>"));
}
