//! Performance, as the office lives it: open data imported with its bad rows named and what a new
//! release changed; a catalogue versioned with withdrawn and redefined measures kept; a return
//! entered, flagged, approved; a quarter locked, hashed and its pack published; inspections
//! tracked; and the demo's published figures checked against an independent computation.

use std::collections::BTreeMap;

use platform::access::Role;
use time::OffsetDateTime;

use crate::support::{TestApp, assert_refused, location};

fn file(
    field: &'static str,
    name: &'static str,
    bytes: Vec<u8>,
) -> impl FnOnce(reqwest::multipart::Form) -> reqwest::multipart::Form {
    move |form| form.part(field, reqwest::multipart::Part::bytes(bytes).file_name(name))
}

const PRC_HEADER: &str = "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences\n";

fn prc(rows: &[(&str, &str, &str, &str, i64)]) -> Vec<u8> {
    let mut text = PRC_HEADER.to_string();
    for (year, quarter, force, code, n) in rows {
        text.push_str(&format!(
            "{year},{quarter},{force},Robbery of personal property,Robbery,Robbery of personal property,{code},{n}\n"
        ));
    }
    text.into_bytes()
}

/// Uploads a table as the officer would; gives the preview's address.
async fn upload_table(
    officer: &mut crate::support::Visitor<'_>,
    dataset: &'static str,
    vintage: &'static str,
    name: &'static str,
    bytes: Vec<u8>,
) -> reqwest::Response {
    officer
        .post_multipart("/staff/performance/imports", "/staff/performance", move |form| {
            file("file", name, bytes)(form.text("dataset", dataset).text("vintage", vintage))
        })
        .await
}

#[tokio::test]
async fn an_open_data_table_imports_with_its_bad_rows_named_and_a_new_release_shows_what_it_changed() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;

    // Nothing chosen: every mistake named at once.
    let response = officer.post_multipart("/staff/performance/imports", "/staff/performance", |form| form).await;
    assert_refused(response, &["Choose which table the file is", "Enter which release the file is", "Select the table’s file"])
        .await;
    // A file that is not the table it is said to be is refused with the columns it needs.
    let response =
        upload_table(&mut officer, "prc", "Home Office, July 2025", "crime.csv", b"Force,Crimes\nStaffordshire,3\n".to_vec())
            .await;
    assert_refused(response, &["Financial Year", "Number of Offences"]).await;

    let first = prc(&[
        ("2024/25", "1", "Staffordshire", "34B", 120),
        ("2024/25", "2", "Staffordshire", "34B", 130),
        ("2024/25", "1", "Kent", "34B", 200),
        ("2024/25", "1", "British Transport Police", "34B", 9),
        ("2024/25", "7", "Staffordshire", "34B", 1),
    ]);
    let mut text = String::from_utf8(first).expect("text");
    text.push_str("2024/25,2,Kent,Robbery of personal property,Robbery,Robbery of personal property,34B,many\n");
    let response = upload_table(&mut officer, "prc", "Home Office, 24 July 2025", "prc.csv", text.into_bytes()).await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    let preview = location(&response);
    let (_, html) = officer.get_page(&preview).await;
    for expected in [
        "Row 6",
        "“7” is not a quarter: use 1 to 4",
        "Row 7",
        "“many” in Number of Offences is not a number",
        "British Transport Police: 1 row",
        "Home Office, 24 July 2025",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM performance_observation").await, 0, "nothing changes before the confirm");
    // The file is kept with the held import.
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM platform_file WHERE owner_type = 'performance-import'").await, 1);

    assert_eq!(officer.post_from(&preview, &preview, &[]).await.status(), 303);
    let kept: Vec<(String, String, f64)> =
        sqlx::query_as("SELECT area, period, value FROM performance_observation ORDER BY area, period")
            .fetch_all(&app.pool)
            .await
            .expect("figures");
    assert_eq!(
        kept,
        [
            ("kent".to_string(), "2024-Q1".to_string(), 200.0),
            ("staffordshire".into(), "2024-Q1".into(), 120.0),
            ("staffordshire".into(), "2024-Q2".into(), 130.0),
        ]
    );
    // A second confirm of the same file is refused with a reason.
    assert_refused(officer.post_from(&preview, &preview, &[]).await, &["This import has already been applied"]).await;

    // The next release revises a figure and drops one: the change is recorded and the old kept.
    let revised = prc(&[("2024/25", "1", "Staffordshire", "34B", 125), ("2024/25", "1", "Kent", "34B", 200)]);
    let response = upload_table(&mut officer, "prc", "Home Office, 23 October 2025", "prc.csv", revised).await;
    let preview = location(&response);
    assert_eq!(officer.post_from(&preview, &preview, &[]).await.status(), 303);
    let (_, html) = officer.get_page(&preview).await;
    assert!(html.contains("0 new figures, 1 revised, 1 unchanged and 0 no longer given"), "{html}");
    let revisions: Vec<(String, f64, Option<f64>)> =
        sqlx::query_as("SELECT area, old_value, new_value FROM performance_revision ORDER BY area")
            .fetch_all(&app.pool)
            .await
            .expect("revisions");
    assert_eq!(revisions, [("staffordshire".to_string(), 120.0, Some(125.0))]);
    // The second quarter was not in the new file: its figures stand.
    assert_eq!(
        app.value::<f64>("SELECT value FROM performance_observation WHERE area = $1 AND period = '2024-Q2'", "staffordshire")
            .await,
        130.0
    );
}

/// A fire statistics workbook as MHCLG publishes one: a cover, a pivot sheet and the Data sheet.
fn fire_workbook(rows: &[[&str; 5]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    book.add_worksheet().set_name("Cover").expect("name").write_string(0, 0, "Fire statistics data tables").expect("cell");
    let pivot = book.add_worksheet();
    pivot.set_name("FIRE0102").expect("name");
    pivot.write_string(0, 0, "Incidents attended").expect("cell");
    let data = book.add_worksheet();
    data.set_name("Data").expect("name");
    for (c, heading) in ["FINANCIAL_YEAR", "INCIDENT_TYPE", "FRS_NAME", "E_CODE", "TOTAL_INCIDENTS"].iter().enumerate() {
        data.write_string(0, c as u16, *heading).expect("cell");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (r as u32 + 1, c as u16);
            match cell.parse::<f64>() {
                Ok(n) if c == 4 => data.write_number(r, c, n).map(|_| ()),
                _ => data.write_string(r, c, *cell).map(|_| ()),
            }
            .expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

#[tokio::test]
async fn fire_statistics_import_with_groupings_set_aside_and_short_names_reconciled() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let workbook = fire_workbook(&[
        ["2023/24", "Fire", "Staffordshire", "", "2818"],
        ["2023/24", "Fire", "England", "E92000001", "161722"],
        ["2023/24", "Fire", "Predominantly Rural", "", "40000"],
        ["2023/24", "Fire", "Durham", "", "1500"],
    ]);
    let response = upload_table(&mut officer, "fire-incidents", "MHCLG, 2025 release", "fire0102.xlsx", workbook).await;
    assert_eq!(response.status(), 303);
    let preview = location(&response);
    let (_, html) = officer.get_page(&preview).await;
    assert!(html.contains("England: 1 row") && html.contains("Predominantly Rural: 1 row"), "{html}");
    assert_eq!(officer.post_from(&preview, &preview, &[]).await.status(), 303);
    let areas: Vec<String> = app.all("SELECT area FROM performance_observation ORDER BY area").await;
    assert_eq!(areas, ["E31000013", "E31000033"], "Durham and Staffordshire, by their ONS codes");
}

const CATALOGUE_HEADER: &str = "Key,Name,Definition,Service,Theme,Unit,Polarity,Frequency,Source,Owner,Baseline from,Baseline to,Target,Expected range,Quality note,Recipe\n";

async fn load_catalogue(
    officer: &mut crate::support::Visitor<'_>,
    name: &'static str,
    reason: &'static str,
    rows: String,
) -> reqwest::Response {
    let bytes = format!("{CATALOGUE_HEADER}{rows}").into_bytes();
    officer
        .post_multipart("/staff/performance/catalogues", "/staff/performance", move |form| {
            file("catalogue-file", "catalogue.csv", bytes)(
                form.text("name", name).text("source", "The office").text("reason", reason),
            )
        })
        .await
}

#[tokio::test]
async fn a_new_catalogue_version_keeps_withdrawn_and_redefined_measures_visible_with_dates_and_reasons() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let v1 = "robbery,Robbery,Robbery recorded,police,Safer streets,count,lower,quarter,PRC,Force,,,,,Recorded crime only,dataset=prc; group=Robbery\n\
              burglary,Burglary,Burglary recorded,police,Safer streets,count,lower,quarter,PRC,Force,,,,,Recorded crime only,dataset=prc; group=Burglary\n\
              calls,999 calls answered in 10 seconds,,police,Service,percent,higher,month,Return,Force,,,90%,,Telephony,dataset=returns\n";
    // A file with bad rows loads nothing and names them.
    let bad = format!("{v1}robbery,Again,,police,,count,lower,quarter,,,,,,,,\nfires,Fires,,fire,,count,sideways,year,,,,,,,,\n");
    let response = load_catalogue(&mut officer, "Local measures", "", bad).await;
    assert_refused(response, &["Row 5: Key robbery is on an earlier row", "Row 6: Polarity must be higher, lower or neither"])
        .await;
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM performance_measure").await, 0);

    assert_eq!(load_catalogue(&mut officer, "Local measures", "", v1.to_string()).await.status(), 303);
    // Version 2: burglary withdrawn, robbery's data redefined, the calls measure reworded.
    let v2 = "robbery,Robbery,Personal robbery only,police,Safer streets,count,lower,quarter,PRC,Force,,,,,Recorded crime only,dataset=prc; subgroup=Robbery of personal property\n\
              calls,999 calls answered within 10 seconds,,police,Service,percent,higher,month,Return,Force,,,90%,,Telephony,dataset=returns\n";
    let response = load_catalogue(&mut officer, "Local measures", "Reviewed for the refreshed plan", v2.to_string()).await;
    assert_eq!(response.status(), 303);
    assert!(location(&response).contains("redefined"));
    let states: Vec<(String, i64, String, String)> =
        sqlx::query_as("SELECT key, version, status, ended_reason FROM performance_measure ORDER BY key, version")
            .fetch_all(&app.pool)
            .await
            .expect("measures");
    assert_eq!(
        states,
        [
            ("burglary".to_string(), 1, "withdrawn".to_string(), "Reviewed for the refreshed plan".to_string()),
            ("calls".into(), 1, "active".into(), String::new()),
            ("robbery".into(), 1, "redefined".into(), "Reviewed for the refreshed plan (changed: definition, data)".into()),
            ("robbery".into(), 2, "active".into(), String::new()),
        ]
    );
    // The public see both, with the date and the reason, and the withdrawn measure's page stays.
    let (_, catalogue) = app.get_page("/performance/catalogue").await;
    assert!(catalogue.contains("Withdrawn on") && catalogue.contains("Reviewed for the refreshed plan"), "{catalogue}");
    let (status, page) = app.get_page("/performance/measures/burglary").await;
    assert_eq!(status, 200);
    assert!(page.contains("Withdrawn on"), "{page}");
    let (_, page) = app.get_page("/performance/measures/robbery").await;
    assert!(page.contains("Earlier versions of this measure") && page.contains("Version 1"), "{page}");
}

#[tokio::test]
async fn a_return_is_checked_flagged_approved_once_and_becomes_the_measures_figures() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let rows = "calls,999 calls answered in 10 seconds,,police,Service,percent,higher,month,Return,Force,,,90%,,Telephony,dataset=returns\n\
                arrests,Arrests,,police,Service,count,neither,month,Return,Force,,,,,Custody,dataset=returns\n";
    assert_eq!(load_catalogue(&mut officer, "Local measures", "", rows.to_string()).await.status(), 303);
    // The office's force (set up from the reference data) makes the return, by its partner.
    let force: String = app.value("SELECT name FROM platform_organisation WHERE kind = $1", "police-force").await;
    let partner = app.partner(&force).await;
    let mut partner = app.session_for(&partner).await;
    let today = platform::calendar::uk_today();
    let last_month = today.replace_day(1).expect("day").previous_day().expect("day");
    let period = format!("{}-{:02}", last_month.year(), u8::from(last_month.month()));
    let page = format!("/staff/performance/returns/police-month/{period}");
    let (status, html) = partner.get_page(&page).await;
    assert_eq!(status, 200, "{html}");

    // Bad figures are named; nothing is saved.
    let response = partner
        .post_from(&page, &format!("{page}/figures"), &[("value-calls", "120"), ("value-arrests", "lots"), ("send", "yes")])
        .await;
    assert_refused(
        response,
        &["999 calls answered in 10 seconds: A percentage cannot be more than 100", "Arrests: Enter the figure as a number"],
    )
    .await;
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM performance_return").await, 0);
    // A CSV upload names its bad rows.
    let response = partner
        .post_multipart(
            &format!("{page}/upload"),
            &page,
            file("file", "return.csv", b"measure,value\nArrests,1000\nFlying saucers,3\n".to_vec()),
        )
        .await;
    assert_refused(response, &["Row 3: “Flying saucers” is not a measure of this return"]).await;

    let response = partner
        .post_from(&page, &format!("{page}/figures"), &[("value-calls", "91.5%"), ("value-arrests", "1,020"), ("send", "yes")])
        .await;
    assert_eq!(response.status(), 303);
    assert_eq!(app.value::<String>("SELECT state FROM performance_return WHERE period = $1", &period).await, "submitted");
    // Another organisation's partner cannot see it.
    let outsider = app.partner("Another Council").await;
    let outsider = app.session_for(&outsider).await;
    assert_eq!(outsider.get(&page).await.status(), 404);

    // The officer decides with the revision they saw: a stale one is refused.
    let revision: i64 = app.value("SELECT revision FROM performance_return WHERE period = $1", &period).await;
    let decision = format!("{page}/decision");
    let stale = (revision + 5).to_string();
    assert_refused(
        officer.post_from(&page, &decision, &[("decision", "approve"), ("revision", &stale)]).await,
        &["Someone else changed this return"],
    )
    .await;
    assert_refused(
        officer.post_from(&page, &decision, &[("decision", "query"), ("revision", &revision.to_string())]).await,
        &["Say what the service needs to check"],
    )
    .await;
    assert_eq!(
        officer.post_from(&page, &decision, &[("decision", "approve"), ("revision", &revision.to_string())]).await.status(),
        303
    );
    let figures: Vec<(String, f64)> =
        sqlx::query_as("SELECT category, value FROM performance_observation WHERE dataset = 'returns' ORDER BY category")
            .fetch_all(&app.pool)
            .await
            .expect("figures");
    assert_eq!(figures, [("arrests".to_string(), 1020.0), ("calls".into(), 91.5)]);
    // Approved is final: the partner cannot change it.
    let response = partner
        .post_from(&page, &format!("{page}/figures"), &[("value-calls", "50"), ("value-arrests", "1"), ("send", "yes")])
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(app.value::<f64>("SELECT value FROM performance_observation WHERE category = $1", "calls").await, 91.5);
    // The measure's page shows the figure.
    let (_, html) = app.get_page("/performance/measures/calls").await;
    assert!(html.contains("91.5%"), "{html}");
}

#[tokio::test]
async fn the_demo_framework_publishes_figures_an_independent_computation_agrees_with() {
    let app = TestApp::builder().without_background_work().spawn().await;
    let now = OffsetDateTime::now_utc();
    crimedata::demo::seed(&app.pool, now).await.expect("demo crime data");
    plans::demo::seed(&app.pool, now).await.expect("demo plans");
    performance::demo::seed(&app.pool, now).await.expect("demo performance");
    performance::demo::seed(&app.pool, now).await.expect("a second run adds nothing");
    assert_eq!(app.one::<i64>("SELECT COUNT(*) FROM performance_catalogue").await, 5);
    let office = platform::office::load(&app.pool).await.expect("office").expect("office");

    // ASB from the crime data engine, month by month, against the engine's own LSOA counts.
    let measure = performance::store::versions(&app.pool, "asb-incidents").await.expect("versions").remove(0);
    let asb = performance::assemble::measure_figures(&app.pool, &office, &measure).await.expect("figures");
    let months: Vec<(String, i64)> = sqlx::query_as(
        "SELECT month, CAST(SUM(anti_social_behaviour) AS BIGINT) FROM crimedata_lsoa_month WHERE force = 'staffordshire' GROUP BY month ORDER BY month",
    )
    .fetch_all(&app.pool)
    .await
    .expect("engine counts");
    assert!(!months.is_empty(), "the demo crime data holds Staffordshire's months");
    let shown: Vec<(String, i64)> = asb.points.iter().map(|p| (p.period.clone(), p.value as i64)).collect();
    assert_eq!(shown, months);
    assert!(
        asb.vintages.iter().any(|v| v.starts_with("police.uk street-level data as the crime data engine held it")),
        "{:?}",
        asb.vintages
    );

    let measure = performance::store::versions(&app.pool, "neighbourhood-crime").await.expect("versions").remove(0);
    let figures = performance::assemble::measure_figures(&app.pool, &office, &measure).await.expect("figures");

    // Independently: the subgroups summed by period in SQL, over the 2011 residents.
    let rows: Vec<(String, f64)> = sqlx::query_as(
        "SELECT period, SUM(value) FROM performance_observation WHERE dataset = 'prc' AND area = 'staffordshire' AND subgroup IN \
         ('Domestic burglary', 'Residential burglary', 'Robbery of personal property', 'Theft from the person', 'Theft of a motor vehicle', \
          'Theft from a vehicle', 'Vehicle interference') GROUP BY period ORDER BY period",
    )
    .fetch_all(&app.pool)
    .await
    .expect("sums");
    let residents = 1_097_497.0;
    assert_eq!(figures.points.len(), rows.len());
    for (point, (period, sum)) in figures.points.iter().zip(&rows) {
        assert_eq!(&point.period, period);
        assert!((point.value - sum / residents * 1_000.0).abs() < 1e-9, "{period}");
    }
    // The control limits from the baseline (2014/15 to 2018/19: the first 20 quarters), worked
    // the long way: mean, then moving ranges, the screen, 2.66 times their mean.
    let base: Vec<f64> = rows.iter().take(20).map(|(_, s)| s / residents * 1_000.0).collect();
    let mean = base.iter().sum::<f64>() / 20.0;
    let ranges: Vec<f64> = (1..20).map(|i| (base[i] - base[i - 1]).abs()).collect();
    let raw = ranges.iter().sum::<f64>() / 19.0;
    let kept: Vec<f64> = ranges.into_iter().filter(|r| *r <= 3.267 * raw).collect();
    let upper = mean + 2.66 * kept.iter().sum::<f64>() / kept.len() as f64;
    let chart = figures.chart.as_ref().expect("a chart");
    assert_eq!(chart.baseline, (0, 20));
    assert!((chart.upper - upper).abs() < 1e-9, "{} {upper}", chart.upper);
    // The demo's fall in neighbourhood crime from April 2024 is found.
    assert_eq!(figures.variation, performance::spc::Variation::Improving);

    // The group: each member's rate over the 12 months, independently.
    let group = figures.group.as_ref().expect("a group");
    assert_eq!(group.members.len(), 8);
    let window: Vec<String> = figures.points.iter().rev().take(4).map(|p| p.period.clone()).collect();
    let populations: BTreeMap<String, i64> = performance::reference::force_residents_2011();
    for member in &group.members {
        let mut events = 0.0;
        for period in &window {
            let sum: Option<f64> = sqlx::query_scalar(
                "SELECT SUM(value) FROM performance_observation WHERE dataset = 'prc' AND area = $1 AND period = $2 AND subgroup IN \
                 ('Domestic burglary', 'Residential burglary', 'Robbery of personal property', 'Theft from the person', 'Theft of a motor vehicle', \
                  'Theft from a vehicle', 'Vehicle interference')",
            )
            .bind(&member.code)
            .bind(period)
            .fetch_one(&app.pool)
            .await
            .expect("sum");
            events += sum.unwrap_or(0.0);
        }
        assert_eq!(member.events, events, "{}", member.code);
        assert!((member.rate - events / populations[&member.code] as f64 * 1_000.0).abs() < 1e-9);
    }

    // Three quarters locked, each hash in the audit chain, each pack published three ways.
    let locked = performance::snapshot::list(&app.pool).await.expect("locked");
    assert_eq!(locked.len(), 3);
    for pack in &locked {
        let audited: i64 = app
            .value(
                "SELECT COUNT(*) FROM platform_audit_event WHERE action = 'locked' AND detail LIKE $1",
                &format!("%{}", pack.sha256),
            )
            .await;
        assert_eq!(audited, 1);
        let base = format!("/performance/packs/{}/{}", pack.service.slug(), pack.quarter);
        let (status, html) = app.get_page(&base).await;
        assert_eq!(status, 200);
        assert!(html.contains(&pack.sha256), "the pack names its hash");
        let csv = app.get(&format!("{base}/pack-figures.csv")).await.text().await.expect("csv");
        assert!(csv.starts_with("table,row,column,value"), "{csv}");
    }
    // A locked quarter holds only the periods it had ended by: the earlier police pack ends a
    // quarter before the later one.
    let police: Vec<&performance::snapshot::Locked> =
        locked.iter().filter(|l| l.service == performance::model::Service::Police).collect();
    let older =
        performance::snapshot::find(&app.pool, police[1].service, &police[1].quarter).await.expect("read").expect("locked");
    let measure = older.1.measures.iter().find(|m| m.definition.key == "neighbourhood-crime").expect("measure");
    assert_eq!(measure.points.last().map(|p| p.period.clone()), Some(police[1].quarter.clone()));
    // The fire pack as a tagged PDF.
    let fire = locked.iter().find(|l| l.service == performance::model::Service::Fire).expect("fire");
    let response = app.get(&format!("/performance/packs/fire/{}/pack.pdf", fire.quarter)).await;
    assert_eq!(response.headers()["content-type"], "application/pdf");
    crate::support::assert_tagged_pdf(&response.bytes().await.expect("pdf"), &[]);

    // A tampered record is a fault, never shown as sound.
    sqlx::query("UPDATE performance_snapshot SET content = REPLACE(content, 'Staffordshire', 'Elsewhere') WHERE id = $1")
        .bind(&fire.id)
        .execute(&app.pool)
        .await
        .expect("tamper");
    let (status, html) = app.get_page(&format!("/performance/packs/fire/{}", fire.quarter)).await;
    assert_eq!(status, 500);
    assert!(!html.contains("Elsewhere"));
}

#[tokio::test]
async fn inspections_keep_their_scale_and_findings_are_tracked_to_completion() {
    let app = TestApp::spawn().await;
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let page = "/staff/performance/inspections";
    let record =
        |programme: &'static str, scale: &'static str, published: &'static str, url: &'static str, grades: &'static str| {
            [
                ("service", "police"),
                ("programme", programme),
                ("scale", scale),
                ("published_on", published),
                ("report_url", url),
                ("grades", grades),
            ]
        };
    let report = "https://hmicfrs.justiceinspectorates.gov.uk/";
    let fields = record("PEEL 2023–25", "four", "2024-03-15", "not an address", "Investigating crime: Adequate");
    let response = officer.post_from(page, "/staff/performance/inspections/new", &fields).await;
    assert_refused(response, &["“Adequate” is not a grade on this scale", "Enter the report’s address"]).await;
    let fields =
        record("PEEL 2023–25", "five", "2024-03-15", report, "Investigating crime: Adequate\nTreatment of the public: Good");
    assert_eq!(officer.post_from(page, "/staff/performance/inspections/new", &fields).await.status(), 303);
    let fields = record("PEEL 2018/19", "four", "2019-05-02", report, "Effectiveness: Good");
    assert_eq!(officer.post_from(page, "/staff/performance/inspections/new", &fields).await.status(), 303);
    let inspection: String = app.value("SELECT id FROM performance_inspection WHERE programme = $1", "PEEL 2023–25").await;
    let response = officer
        .post_from(
            page,
            "/staff/performance/findings",
            &[
                ("inspection", &inspection),
                ("kind", "area-for-improvement"),
                ("reference", "AFI 1"),
                ("finding", "Answer 999 calls faster"),
                ("due_on", "2025-06-30"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let finding: String = app.value("SELECT id FROM performance_finding WHERE reference = $1", "AFI 1").await;
    let response =
        officer.post_from(page, &format!("/staff/performance/findings/{finding}"), &[("words", ""), ("status", "done")]).await;
    assert_refused(response, &["Enter what has been done", "Choose the finding’s status now"]).await;
    let response = officer
        .post_from(
            page,
            &format!("/staff/performance/findings/{finding}"),
            &[("words", "Call handlers recruited"), ("status", "completed")],
        )
        .await;
    assert_eq!(response.status(), 303);
    let (_, html) = app.get_page("/performance/inspections").await;
    for expected in ["PEEL 2023–25", "Adequate", "Call handlers recruited", "Completed", "not comparable"] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    assert!(app.value::<Option<String>>("SELECT completed_on FROM performance_finding WHERE id = $1", &finding).await.is_some());
}

#[tokio::test]
async fn residents_load_by_row_and_the_latest_year_makes_the_rates() {
    let app = TestApp::spawn().await;
    let (officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    let upload = |text: &'static str| file("residents-file", "residents.csv", text.as_bytes().to_vec());
    let response = officer
        .post_multipart(
            "/staff/performance/residents",
            "/staff/performance",
            upload("Area,Year,Residents,Source\nStaffordshire,2024,1150000,ONS mid-2024\nAtlantis,2024,5,\nKent,twenty,3,\n"),
        )
        .await;
    assert_refused(response, &["Row 3: “Atlantis” is not a police force area", "Row 4: the year must be like 2024"]).await;
    assert_eq!(
        app.one::<i64>("SELECT COUNT(*) FROM performance_population").await,
        0,
        "nothing loads from a file with a bad row"
    );
    let response = officer
        .post_multipart("/staff/performance/residents", "/staff/performance", upload("Area,Year,Residents,Source\nStaffordshire,2011,1097497,Census 2011\nStaffordshire,2024,\"1,150,000\",ONS mid-2024\nStoke-on-Trent and Staffordshire,2024,1150000,ONS mid-2024\n"))
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap_or_default());
    let populations = performance::store::populations(&app.pool).await.expect("residents");
    assert_eq!(populations["staffordshire"].0, 2024, "the latest year is used");
    assert_eq!(populations["staffordshire"].1, 1_150_000.0);
    assert_eq!(populations["E31000033"].1, 1_150_000.0, "the fire authority by its name");
}

#[tokio::test]
async fn odd_addresses_and_bodies_on_the_performance_pages_get_pages_not_errors() {
    let app = TestApp::spawn().await;
    for path in [
        "/performance/measures/%00",
        "/performance/measures/..%2F..%2Fetc",
        "/performance/priorities/ambulance/x",
        "/performance/priorities/police/%FF",
        "/performance/packs/police/2026-Q9",
        "/performance/packs/police/../../x/pack.pdf",
        "/performance/measures/no-such/figures.json",
    ] {
        let status = app.get(path).await.status();
        assert!(!status.is_server_error(), "{path}: {status}");
    }
    let (mut officer, _) = app.signed_in(Role::PerformanceOfficer).await;
    for (path, body) in [
        ("/staff/performance/groups/police", vec![("members", "atlantis"), ("members", "kent"), ("source", "")]),
        ("/staff/performance/packs", vec![("service", "ambulance"), ("quarter", "2099-Q1")]),
        ("/staff/performance/groups/ambulance", vec![("members", "kent")]),
    ] {
        let response = officer.post_from("/staff/performance", path, &body).await;
        assert!(!response.status().is_server_error(), "{path}: {}", response.status());
    }
}
