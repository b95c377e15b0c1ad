//! Police open data import against real files: three months of West Yorkshire street crime
//! from the PyPI package crime-sim-toolkit (OGL data), counted independently here and compared
//! with what Commissioner stored, plus every kind of bad file.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crimedata::import::{self, ImportOptions, Progress};
use platform::audit::Actor;

use crate::support::TestApp;

/// The crime-sim-toolkit wheel, fetched once with pip into target/test-data (not installed:
/// only its files are wanted).
pub fn crime_sim_toolkit() -> PathBuf {
    static WHEEL: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    WHEEL
        .get_or_init(|| {
            let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-data");
            let wheel = folder.join("crime_sim_toolkit-1.5.0-py3-none-any.whl");
            if !wheel.exists() {
                let status = std::process::Command::new("python3")
                    .args(["-m", "pip", "download", "--quiet", "--no-deps", "crime-sim-toolkit==1.5.0", "-d"])
                    .arg(&folder)
                    .status()
                    .expect("python3 runs");
                assert!(status.success() && wheel.exists(), "pip download crime-sim-toolkit==1.5.0 failed");
            }
            wheel
        })
        .clone()
}

/// (month, LSOA or "", crime type label) → rows, read straight from the wheel's street files.
fn counted_independently(wheel: &Path) -> HashMap<(String, String, String), i64> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(wheel).expect("wheel")).expect("zip");
    let mut counts = HashMap::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).expect("entry");
        let name = entry.name().expect("name").to_string();
        if !name.ends_with("-west-yorkshire-street.csv") {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).expect("UTF-8 CSV");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        for record in reader.records() {
            let record = record.expect("record");
            let no_location = record[4].is_empty();
            let lsoa = if no_location { String::new() } else { record[7].to_string() };
            *counts.entry((record[1].to_string(), lsoa, record[9].to_string())).or_default() += 1;
        }
    }
    counts
}

async fn stored(app: &TestApp) -> HashMap<(String, String, String), i64> {
    use sqlx::Row;
    let types = crimedata::reference::CRIME_TYPES;
    let columns: Vec<String> = (0..types.len()).map(crimedata::reference::crime_type_column).collect();
    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT month, lsoa_code, crimes, {} FROM crimedata_lsoa_month WHERE force = 'west-yorkshire'",
        columns.join(", ")
    )))
    .fetch_all(&app.pool)
    .await
    .expect("counts");
    let mut counts = HashMap::new();
    for row in rows {
        let (month, lsoa, crimes): (String, String, i64) = (row.get(0), row.get(1), row.get(2));
        let by_type: Vec<i64> = (0..types.len()).map(|i| row.get(i + 3)).collect();
        let asb = by_type[crimedata::reference::crime_type_index("anti-social-behaviour").expect("asb")];
        assert_eq!(crimes, by_type.iter().sum::<i64>() - asb, "the crimes column is every type but ASB");
        for ((label, _), n) in types.iter().zip(by_type) {
            if n > 0 {
                counts.insert((month.clone(), lsoa.clone(), label.to_string()), n);
            }
        }
    }
    counts
}

#[tokio::test]
async fn real_west_yorkshire_months_are_counted_exactly_and_reimporting_changes_nothing() {
    let app = TestApp::builder().without_demo().spawn().await;
    let wheel = crime_sim_toolkit();
    let expected = counted_independently(&wheel);
    assert_eq!(expected.values().sum::<i64>(), 27_176 + 28_537 + 31_635, "the three real files");

    let progress = Progress::default();
    let report =
        import::import(&app.pool, std::slice::from_ref(&wheel), ImportOptions::default(), &progress, &Actor::system("test"))
            .await
            .expect("imported");
    assert_eq!(report.landed.len(), 3);
    assert_eq!(report.rows_bad, 0);
    assert_eq!(progress.rows_read.load(std::sync::atomic::Ordering::Relaxed), report.rows_read);
    assert!(
        report.problems.iter().all(|p| p.contains("skipped")),
        "only the wheel's other CSVs are skipped: {:?}",
        report.problems
    );
    assert_eq!(stored(&app).await, expected, "every (month, LSOA, crime type) count matches");
    let no_location: i64 = app.one("SELECT CAST(SUM(no_location) AS BIGINT) FROM crimedata_force_month").await;
    assert_eq!(no_location, 1347 + 1541 + 883);

    // The same files again: the force-months are replaced, not doubled.
    import::import(&app.pool, &[wheel], ImportOptions::default(), &Progress::default(), &Actor::system("test"))
        .await
        .expect("again");
    assert_eq!(stored(&app).await, expected);
    let held: i64 = app.one("SELECT COUNT(*) FROM crimedata_force_month").await;
    assert_eq!(held, 3);
    let (officer, _) = app.signed_in(platform::access::Role::PerformanceOfficer).await;
    let (status, history) = officer.get_page("/staff/crime-data").await;
    assert_eq!(status, 200);
    assert!(
        history.contains("west-yorkshire") && history.contains("July 2016 to July 2018 (3 months)") && history.contains("87,348"),
        "{history}"
    );
    assert!(history.contains("not a police.uk street, outcomes or stop-and-search file"), "problems are listed");
    let imports: i64 = app.one("SELECT COUNT(*) FROM crimedata_import WHERE status = 'done-with-problems'").await;
    assert_eq!(imports, 2, "both runs are in the history, with the skipped files noted");
}

const HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

fn row(month: &str, lng: &str, lat: &str, kind: &str) -> String {
    format!(",{month},Test Police,Test Police,{lng},{lat},On or near Somewhere,E01000001,Test 001A,{kind},,")
}

#[tokio::test]
async fn bad_files_and_rows_are_reported_by_line_and_nothing_half_lands() {
    let app = TestApp::builder().without_demo().spawn().await;
    let folder = tempfile::tempdir().expect("temp dir");
    let good_rows: Vec<String> = (0..400).map(|_| row("2026-09", "-2.1", "52.8", "Burglary")).collect();
    // A good file with two bad rows among 400 and a cut-off last line (3 in 401: within the
    // default limit of 1%).
    let mut mixed = good_rows.clone();
    mixed[10] = row("2026-09", "151.2", "-33.9", "Burglary");
    mixed[20] = row("2026-09", "-2.1", "52.8", "Fraud");
    let text = format!("{HEADER}\n{}\n,2026-09,Test Police", mixed.join("\n"));
    std::fs::write(folder.path().join("2026-09-test-street.csv"), text).expect("write");
    // The same force-month again, in another folder: a duplicate.
    std::fs::create_dir(folder.path().join("z-again")).expect("dir");
    std::fs::write(folder.path().join("z-again/2026-09-test-street.csv"), format!("{HEADER}\n{}", good_rows.join("\n")))
        .expect("write");
    // Mostly bad: over the limit, so none of it lands.
    let bad: Vec<String> =
        (0..50).map(|i| row("2026-08", "-2.1", "52.8", if i % 2 == 0 { "Nonsense" } else { "Drugs" })).collect();
    std::fs::write(folder.path().join("2026-08-test-street.csv"), format!("{HEADER}\n{}", bad.join("\n"))).expect("write");
    // Not UTF-8 (its one row is bad, so the file is over the limit), and a wrong header.
    let mut latin1 = format!("{HEADER}\n").into_bytes();
    latin1.extend_from_slice(b",2026-07,Test Police,Test Police,-2.1,52.8,On or near Caf\xe9,E01000001,Test 001A,Drugs,,\n");
    std::fs::write(folder.path().join("2026-07-test-street.csv"), latin1).expect("write");
    std::fs::write(folder.path().join("2026-06-test-street.csv"), "Crime type,Month\nDrugs,2026-06\n").expect("write");

    let report = import::import(
        &app.pool,
        &[folder.path().to_path_buf()],
        ImportOptions::default(),
        &Progress::default(),
        &Actor::system("test"),
    )
    .await
    .expect("import runs");
    let problems = report.problems.join("\n");
    assert!(
        problems.contains("2026-09-test-street.csv, line 12: the coordinates 151.2, -33.9 are outside the United Kingdom"),
        "{problems}"
    );
    assert!(
        problems.contains("2026-09-test-street.csv, line 22: the crime type \"Fraud\" is not one police.uk uses"),
        "{problems}"
    );
    assert!(problems.contains("2026-09-test-street.csv, line 402: has 3 columns where 12 were expected"), "{problems}");
    assert!(problems.contains("z-again/2026-09-test-street.csv: test street for 2026-09 is also in"), "{problems}");
    assert!(
        problems.contains("2026-08-test-street.csv: 25 of 50 rows are bad (50.0%), more than the limit of 1.0%"),
        "{problems}"
    );
    assert!(problems.contains("2026-07-test-street.csv, line 2: is not UTF-8 text"), "{problems}");
    assert!(problems.contains("2026-06-test-street.csv: not a police.uk street, outcomes or stop-and-search file"), "{problems}");
    let months: Vec<(String, i64)> = sqlx::query_as("SELECT month, rows_imported FROM crimedata_force_month ORDER BY month")
        .fetch_all(&app.pool)
        .await
        .expect("months");
    assert_eq!(months, vec![("2026-09".to_string(), 398)], "only September landed, with its good rows");
    let crimes: i64 = app
        .one("SELECT CAST(SUM(crimes + anti_social_behaviour) AS BIGINT) FROM crimedata_lsoa_month WHERE month = '2026-09'")
        .await;
    assert_eq!(crimes, 398);
    let august: i64 = app.one("SELECT COUNT(*) FROM crimedata_lsoa_month WHERE month = '2026-08'").await;
    assert_eq!(august, 0);
}

#[tokio::test]
async fn the_command_line_imports_with_a_summary_and_explains_a_bad_limit() {
    let app = TestApp::builder().without_demo().spawn().await;
    let wheel = crime_sim_toolkit();
    let run = |args: &[&str]| app.cli(args, &[]);
    let output = run(&["crimedata", "import", wheel.to_str().expect("path")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(said.contains("Imported west-yorkshire 2018-07 street: 31635 rows (883 without a location)"), "{said}");
    assert!(said.contains("87348 rows read"), "{said}");
    let refused = run(&["crimedata", "import", "--max-bad-share", "5", wheel.to_str().expect("path")]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--max-bad-share is a share between 0 and 1"));
}

/// LSOA → local authority code, read straight from the wheel's lookup file.
fn lookup_from_wheel(wheel: &Path) -> HashMap<String, String> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(wheel).expect("wheel")).expect("zip");
    let mut entry = archive.by_name("crime_sim_toolkit/src/LSOA_data/PoliceforceLSOA.csv").expect("lookup");
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("text");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("header").clone();
    let lsoa = header.iter().position(|h| h == "LSOA Code").expect("LSOA column");
    let la = header.iter().position(|h| h == "Local authority code").expect("LA column");
    reader.records().map(|r| r.expect("record")).map(|r| (r[lsoa].to_string(), r[la].to_string())).collect()
}

#[tokio::test]
async fn a_district_page_shows_the_real_figures_with_verdicts_a_chart_and_downloads() {
    let app = TestApp::builder().without_demo().spawn().await;
    let wheel = crime_sim_toolkit();
    let geography =
        crimedata::geography::import(&app.pool, std::slice::from_ref(&wheel), &Actor::system("test")).await.expect("geography");
    assert_eq!(geography.files, 2, "the lookup and the population file; the rest skipped: {:?}", geography.problems);
    import::import(
        &app.pool,
        std::slice::from_ref(&wheel),
        ImportOptions::default(),
        &Progress::default(),
        &Actor::system("test"),
    )
    .await
    .expect("imported");

    // Leeds (E08000035), counted independently: every located row whose LSOA the lookup puts in Leeds.
    let lookup = lookup_from_wheel(&wheel);
    let mut leeds: HashMap<(String, String), i64> = HashMap::new();
    for ((month, lsoa, kind), n) in counted_independently(&wheel) {
        if lookup.get(&lsoa).map(String::as_str) == Some("E08000035") {
            *leeds.entry((month, kind)).or_default() += n;
        }
    }
    let csv = app.get("/crime/E08000035/data.csv").await.text().await.expect("csv");
    let mut checked = 0;
    for line in csv.lines().skip(1).filter(|l| !l.contains(",all-crime,")) {
        let fields: Vec<&str> = line.split(',').collect();
        let name = crimedata::reference::crime_type_name(fields[2]).to_string();
        let latest = leeds.get(&("2018-07".to_string(), name.clone())).copied().unwrap_or(0);
        let previous = leeds.get(&("2017-07".to_string(), name)).copied().unwrap_or(0);
        assert_eq!((fields[3].parse::<i64>().expect("n"), fields[4].parse::<i64>().expect("n")), (latest, previous), "{line}");
        checked += 1;
    }
    assert_eq!(checked, 14);
    assert!(csv.contains("E08000035,\"Leeds\",violent-crime,3319,2433,1,1,1,"), "{csv}");
    // One July against one July: too few months to call any change real (seasons and the
    // spread of months cannot be told from one pair).
    assert!(csv.lines().skip(1).all(|l| l.contains("\"too few months to tell\"")), "{csv}");

    let (status, html) = app.get_page("/crime/E08000035").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1 class=\"govuk-heading-xl\">Leeds</h1>"));
    assert!(html.contains("too few months to tell") && !html.contains("a real rise"));
    assert!(html.contains("role=\"img\"") && html.contains("<caption"), "a chart with its numbers in a table");
    let json = app.get("/crime/E08000035/data.json").await.text().await.expect("json");
    let json: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(json["report"]["all_crime"]["latest"], 8865);
    // The same figures as a document from the publishing kit: a page, a tagged PDF, and every
    // figure in it as CSV, each matching the counts above.
    let (status, report_page) = app.get_page("/crime/E08000035/report").await;
    assert_eq!(status, 200);
    assert!(report_page.contains("<h1 class=\"govuk-heading-xl\">Crime and anti-social behaviour in Leeds</h1>"));
    assert!(report_page.contains(">8,865</td>") && report_page.contains(">3,319</td>"), "counts as GOV.UK writes them");
    let figures = app.get("/crime/E08000035/report-figures.csv").await.text().await.expect("csv");
    assert!(
        figures.contains("\"Crimes by type, latest 12 months against the 12 before\",All crime (not counting anti-social behaviour),Latest 12 months,8865\n"),
        "{figures}"
    );
    let response = app.get("/crime/E08000035/report.pdf").await;
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let pdf = response.bytes().await.expect("pdf");
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("report.pdf");
    std::fs::write(&path, &pdf).expect("write");
    if let Ok(out) = std::process::Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output() {
        let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(text.contains("Crime and anti-social behaviour in Leeds") && text.contains("8,865"), "{text}");
        let info = std::process::Command::new("pdfinfo").arg(&path).output().expect("pdfinfo");
        assert!(String::from_utf8_lossy(&info.stdout).lines().any(|l| l.starts_with("Tagged:") && l.ends_with("yes")));
    } else {
        assert!(std::env::var("CI").is_err(), "CI has poppler-utils");
    }
    // The busiest neighbourhood of the latest year (2018-07 alone here), counted independently.
    let mut by_lsoa: HashMap<String, i64> = HashMap::new();
    for ((month, lsoa, kind), n) in counted_independently(&wheel) {
        if kind != "Anti-social behaviour" && lookup.get(&lsoa).map(String::as_str) == Some("E08000035") {
            // Every neighbourhood with crime in any month held is listed, quiet this year or not.
            *by_lsoa.entry(lsoa).or_default() += if month == "2018-07" { n } else { 0 };
        }
    }
    let busiest = by_lsoa.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).expect("an LSOA");
    let hotspots = app.get("/crime/E08000035/hotspots.csv").await.text().await.expect("hotspots");
    let first = hotspots.lines().nth(1).expect("a row");
    assert!(
        first.starts_with(&format!("{},", busiest.0)) && first.contains(&format!(",{},", busiest.1)),
        "{first} vs {busiest:?}"
    );
    let leeds_lsoas = lookup.values().filter(|district| district.as_str() == "E08000035").count();
    assert_eq!(hotspots.lines().count() - 1, leeds_lsoas, "every Leeds neighbourhood is listed, quiet ones too");
    assert!(html.contains("Busiest neighbourhoods"));

    // The busiest neighbourhood's own page, reached from the hotspot table, with its counts by
    // type for both years as counted from the files.
    let link = format!("/crime/E08000035/areas/{}", busiest.0);
    assert!(html.contains(&format!("href=\"{link}\"")), "the hotspot table links to the neighbourhood");
    let (status, page) = app.get_page(&link).await;
    assert_eq!(status, 200);
    assert!(page.contains("href=\"/crime/E08000035\" class=\"govuk-back-link\">Leeds</a>") && page.contains("role=\"img\""));
    let area_csv = app.get(&format!("{link}/data.csv")).await.text().await.expect("csv");
    let mut area: HashMap<(String, String), i64> = HashMap::new();
    for ((month, lsoa, kind), n) in counted_independently(&wheel) {
        if &lsoa == busiest.0 {
            *area.entry((month, kind)).or_default() += n;
        }
    }
    for line in area_csv.lines().skip(1).filter(|l| !l.contains(",all-crime,")) {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[0], busiest.0.as_str());
        let name = crimedata::reference::crime_type_name(fields[2]).to_string();
        let latest = area.get(&("2018-07".to_string(), name.clone())).copied().unwrap_or(0);
        let previous = area.get(&("2017-07".to_string(), name)).copied().unwrap_or(0);
        assert_eq!((fields[3].parse::<i64>().expect("n"), fields[4].parse::<i64>().expect("n")), (latest, previous), "{line}");
    }
    let area_json: serde_json::Value =
        serde_json::from_str(&app.get(&format!("{link}/data.json")).await.text().await.expect("json")).expect("JSON");
    assert_eq!(area_json["report"]["all_crime"]["latest"], *busiest.1);
    assert_eq!(area_json["neighbourhood"]["district_code"], "E08000035");
    // An LSOA of another district, or none, is not found under Leeds.
    let elsewhere = lookup.iter().find(|(_, district)| district.as_str() != "E08000035").map(|(lsoa, _)| lsoa.clone());
    assert_eq!(app.get_page(&format!("/crime/E08000035/areas/{}", elsewhere.expect("another district's LSOA"))).await.0, 404);
    assert_eq!(app.get_page("/crime/E08000035/areas/not-an-lsoa").await.0, 404);

    let (_, index) = app.get_page("/crime").await;
    assert!(index.contains("href=\"/crime/E08000035\">Leeds</a>"));
    assert_eq!(app.get_page("/crime/E99999999").await.0, 404);
}

#[tokio::test]
async fn outlines_from_geojson_draw_a_map_of_rates() {
    let app = TestApp::builder().without_demo().spawn().await;
    let folder = tempfile::tempdir().expect("temp dir");
    let square = |x: f64| format!("[[[{x},52.80],[{},52.80],[{},52.81],[{x},52.81],[{x},52.80]]]", x + 0.01, x + 0.01);
    let geojson = format!(
        r#"{{"type":"FeatureCollection","features":[
        {{"type":"Feature","properties":{{"LSOA11CD":"E01000001","LSOA11NM":"Test 001A","LAT":52.805,"LONG":-2.095}},"geometry":{{"type":"Polygon","coordinates":{}}}}},
        {{"type":"Feature","properties":{{"LSOA11CD":"E01000002","LSOA11NM":"Test 001B","LAT":52.805,"LONG":-2.085}},"geometry":{{"type":"MultiPolygon","coordinates":[{}]}}}},
        {{"type":"Feature","properties":{{"name":"not an LSOA"}},"geometry":null}}]}}"#,
        square(-2.10),
        square(-2.09)
    );
    let geojson_path = folder.path().join("lsoa.geojson");
    std::fs::write(&geojson_path, geojson).expect("write");
    let lookup = folder.path().join("lookup.csv");
    std::fs::write(
        &lookup,
        "LSOA11CD,LAD11CD,LAD11NM,Persons\nE01000001,E07000197,Stafford,1000\nE01000002,E07000197,Stafford,2000\n",
    )
    .expect("write");
    let report =
        crimedata::geography::import(&app.pool, &[geojson_path, lookup], &Actor::system("test")).await.expect("geography");
    assert_eq!(report.files, 2, "{:?}", report.problems);
    let (lat, rings): (Option<f64>, String) =
        sqlx::query_as("SELECT l.latitude, b.rings FROM crimedata_lsoa l JOIN crimedata_lsoa_boundary b ON b.code = l.code WHERE l.code = 'E01000002'")
            .fetch_one(&app.pool)
            .await
            .expect("stored");
    assert_eq!(lat, Some(52.805));
    assert!(rings.starts_with("-2.09000,52.80000 -2.08000,52.80000"), "{rings}");
    let rows: Vec<String> = (0..30).map(|_| row("2026-09", "-2.095", "52.805", "Burglary")).collect();
    let street = folder.path().join("2026-09-test-street.csv");
    std::fs::write(&street, format!("{HEADER}\n{}", rows.join("\n"))).expect("write");
    import::import(&app.pool, &[street], ImportOptions::default(), &Progress::default(), &Actor::system("test"))
        .await
        .expect("import");
    let (status, html) = app.get_page("/crime/E07000197").await;
    assert_eq!(status, 200);
    assert!(html.contains("Map of crimes a year per 1,000 residents"));
    assert!(
        html.contains("<title>Test 001A (E01000001): 360.0 crimes a year per 1,000 residents</title>"),
        "the rate is in each shape's title, a year's from the one month held"
    );
    assert!(
        html.contains("<title>Test 001B (E01000002): 0.0 crimes a year per 1,000 residents</title>"),
        "a neighbourhood with no crime in a month its force published has none, not no data"
    );
}

/// The real 2018-07 West Yorkshire street file from the wheel, as text.
fn west_yorkshire_2018_07(wheel: &Path) -> String {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(wheel).expect("wheel")).expect("zip");
    let mut entry = archive
        .by_name("crime_sim_toolkit/tests/testing_data/test_policedata/2018-07/2018-07-west-yorkshire-street.csv")
        .expect("file");
    let mut text = String::new();
    entry.read_to_string(&mut text).expect("text");
    text
}

#[tokio::test]
async fn a_district_counts_across_the_move_to_2021_neighbourhoods_once_both_lookups_are_held() {
    let app = TestApp::builder().without_demo().spawn().await;
    let actor = Actor::system("test");
    let wheel = crime_sim_toolkit();
    crimedata::geography::import(&app.pool, std::slice::from_ref(&wheel), &actor).await.expect("2011 lookup");
    let lookup = lookup_from_wheel(&wheel);
    let mut leeds: Vec<&String> = lookup.iter().filter(|(_, d)| d.as_str() == "E08000035").map(|(l, _)| l).collect();
    leeds.sort();

    // A year later the same crimes are filed under 2021 codes: most Leeds LSOAs kept their code,
    // one in twenty was split in two (new codes E0140xxxx), as ONS did where populations grew.
    let split: std::collections::HashMap<&str, [String; 2]> = leeds
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 20 == 0)
        .map(|(i, code)| (code.as_str(), [format!("E014{:05}", i * 2), format!("E014{:05}", i * 2 + 1)]))
        .collect();
    let folder = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(folder.path().join("2018-07")).expect("dir");
    std::fs::create_dir_all(folder.path().join("2019-07")).expect("dir");
    let original = west_yorkshire_2018_07(&wheel);
    std::fs::write(folder.path().join("2018-07/2018-07-west-yorkshire-street.csv"), &original).expect("write");
    let mut later = String::new();
    for (i, line) in original.lines().enumerate() {
        let mut record: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .map(|r| r.expect("record").iter().map(str::to_string).collect())
            .unwrap_or_default();
        if i > 0 {
            record[1] = "2019-07".into();
            if let Some(parts) = split.get(record[7].as_str()) {
                record[7] = parts[i % 2].clone();
            }
        }
        let fields: Vec<String> = record.iter().map(|f| if f.contains(',') { format!("\"{f}\"") } else { f.clone() }).collect();
        later.push_str(&fields.join(","));
        later.push('\n');
    }
    std::fs::write(folder.path().join("2019-07/2019-07-west-yorkshire-street.csv"), later).expect("write");
    import::import(&app.pool, &[folder.path().to_path_buf()], ImportOptions::default(), &Progress::default(), &actor)
        .await
        .expect("import");

    // Before the 2021 lookup: the split neighbourhoods' crimes are in no district, and the staff
    // page says so.
    let before: serde_json::Value =
        serde_json::from_str(&app.get("/crime/E08000035/data.json").await.text().await.expect("json")).expect("JSON");
    let all = |json: &serde_json::Value, key: &str| json["report"]["all_crime"][key].as_u64().expect("count");
    assert!(all(&before, "latest") < all(&before, "previous"), "{before}");
    let (officer, _) = app.signed_in(platform::access::Role::PerformanceOfficer).await;
    let (_, staff) = officer.get_page("/staff/crime-data").await;
    assert!(staff.contains("Crimes in neighbourhoods no lookup places"), "the staff page warns");
    let new_codes = split.len() * 2;
    assert!(
        staff.contains(&format!("<td class=\"govuk-table__cell govuk-table__cell--numeric\">{new_codes}</td>")),
        "and counts the {new_codes} neighbourhoods"
    );

    // The 2021 lookup with 2021 populations: every Leeds LSOA of 2021, the split ones replaced.
    let mut lookup_2021 = String::from("LSOA21CD,LSOA21NM,LAD22CD,LAD22NM,PFA22NM,Population\n");
    let mut population_2021 = 0;
    for (i, code) in leeds.iter().enumerate() {
        let codes: Vec<String> = split.get(code.as_str()).map(|p| p.to_vec()).unwrap_or_else(|| vec![code.to_string()]);
        for (j, c) in codes.iter().enumerate() {
            let people = 1500 + i as i64 + j as i64;
            population_2021 += people;
            lookup_2021.push_str(&format!("{c},Leeds {i:03}{j},E08000035,Leeds,West Yorkshire,{people}\n"));
        }
    }
    let path = folder.path().join("lsoa21-leeds-population-2021.csv");
    std::fs::write(&path, lookup_2021).expect("write");
    let geography = crimedata::geography::import(&app.pool, &[path], &actor).await.expect("2021 lookup");
    assert!(geography.problems.is_empty(), "{:?}", geography.problems);

    let after: serde_json::Value =
        serde_json::from_str(&app.get("/crime/E08000035/data.json").await.text().await.expect("json")).expect("JSON");
    assert_eq!(all(&after, "latest"), all(&after, "previous"), "the same crimes a year apart count the same across the switch");
    assert_eq!(after["district"]["population"], population_2021, "residents counted once, from the 2021 neighbourhoods");
    assert_eq!(after["district"]["population_year"], "2021");
    let hotspots = after["hotspots"].as_array().expect("hotspots");
    assert!(hotspots.iter().all(|h| !split.contains_key(h["code"].as_str().expect("code"))), "split 2011 codes are gone");
    assert_eq!(hotspots.len(), leeds.len() + split.len(), "every 2021 neighbourhood, quiet or not");
    let (_, staff) = officer.get_page("/staff/crime-data").await;
    assert!(!staff.contains("Crimes in neighbourhoods no lookup places"), "Leeds's new codes are placed now");
}

#[tokio::test]
async fn a_months_searches_filed_by_local_time_never_replace_the_month_before() {
    let app = TestApp::builder().without_demo().spawn().await;
    let folder = tempfile::tempdir().expect("temp dir");
    let header = crimedata::rows::STOP_AND_SEARCH_HEADER.join(",");
    let search = |date: &str| {
        format!(
            "Person search,{date},False,,53.48,-2.24,Male,18-24,White - English/Welsh/Scottish/Northern Irish/British,White,\
             Misuse of Drugs Act 1971 (section 23),Controlled drugs,A no further action disposal,False,False\n"
        )
    };
    let write = |month: &str, rows: &[String]| {
        std::fs::create_dir_all(folder.path().join(month)).expect("dir");
        let path = folder.path().join(month).join(format!("{month}-greater-manchester-stop-and-search.csv"));
        std::fs::write(&path, format!("{header}\n{}", rows.concat())).expect("write");
        path
    };
    // May 2019: 905 searches, as in Greater Manchester's real file.
    let may: Vec<String> = (0..905).map(|i| search(&format!("2019-05-{:02}T{:02}:00:00+00:00", i % 30 + 1, i % 23))).collect();
    let may_file = write("2019-05", &may);
    // June's real file begins with two searches dated in UTC on 31 May: 1 June in BST.
    let mut june = vec![search("2019-05-31T23:01:00+00:00"), search("2019-05-31T23:08:00+00:00")];
    june.extend((0..10).map(|i| search(&format!("2019-06-{:02}T12:00:00+00:00", i + 2))));
    let june_file = write("2019-06", &june);
    let actor = Actor::system("test");
    for file in [may_file, june_file] {
        let report =
            import::import(&app.pool, &[file], ImportOptions::default(), &Progress::default(), &actor).await.expect("import");
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }
    let held: Vec<(String, i64)> = sqlx::query_as(
        "SELECT month, CAST(SUM(searches) AS BIGINT) FROM crimedata_stop_count WHERE force = 'greater-manchester' GROUP BY month ORDER BY month",
    )
    .fetch_all(&app.pool)
    .await
    .expect("held");
    assert_eq!(held, vec![("2019-05".to_string(), 905), ("2019-06".to_string(), 12)], "May is as imported");
    let (_, page) = app.get_page("/crime/forces/greater-manchester").await;
    assert!(page.contains("Officers recorded 917 searches from May 2019 to June 2019 (2 months held)"), "{page}");
}
