//! "Crime and anti-social behaviour in your area": a district's crimes this year against last,
//! with the verdict of an exact test, and the monthly series as a chart with control limits and
//! the numbers in a table; every table downloads as CSV and JSON.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::web::{PageRequest, decimal, render};
use platform::{AppError, Chrome, Platform};

use crate::hotspots::{self, Hotspot};
use crate::map;
use crate::measures::{self, AreaReport, District, SeriesPoint};
use platform::{charts, format};

pub fn routes() -> Routes {
    Routes::new()
        .route("/crime", Access::Public, get(index))
        .route("/crime/report.csv", Access::Public, get(national_csv))
        .route("/crime/report.json", Access::Public, get(national_json))
        .route("/crime/forces/{force}", Access::Public, get(force_page))
        .route("/crime/forces/{force}/outcomes.csv", Access::Public, get(force_outcomes_csv))
        .route("/crime/forces/{force}/stop-and-search.csv", Access::Public, get(force_searches_csv))
        .route("/crime/{district}", Access::Public, get(district_page))
        .route("/crime/{district}/data.csv", Access::Public, get(district_csv))
        .route("/crime/{district}/data.json", Access::Public, get(district_json))
        .route("/crime/{district}/hotspots.csv", Access::Public, get(hotspots_csv))
        .route("/crime/{district}/report", Access::Public, get(report_page))
        .route("/crime/{district}/report.pdf", Access::Public, get(report_pdf))
        .route("/crime/{district}/report-figures.csv", Access::Public, get(report_csv))
        .route("/crime/{district}/report-figures.json", Access::Public, get(report_json))
        .route("/crime/{district}/areas/{lsoa}", Access::Public, get(neighbourhood_page))
        .route("/crime/{district}/areas/{lsoa}/data.csv", Access::Public, get(neighbourhood_csv))
        .route("/crime/{district}/areas/{lsoa}/data.json", Access::Public, get(neighbourhood_json))
}

#[derive(Template)]
#[template(path = "crime/index.html")]
struct IndexPage {
    chrome: Chrome,
    /// The office's own districts (from its area's reference data), each with its figures' code
    /// when there are figures for it.
    own: Vec<(String, Option<String>)>,
    /// The force that polices them, by police.uk's name.
    force: String,
    /// Districts with figures outside the office's area (every district when none is set up).
    elsewhere: Vec<District>,
    forces: Vec<crate::force::Force>,
}

impl IndexPage {
    fn has_figures(&self) -> bool {
        !self.elsewhere.is_empty() || self.own.iter().any(|(_, code)| code.is_some())
    }
}

async fn index(PageRequest { platform, chrome }: PageRequest) -> Result<Response, AppError> {
    let districts = measures::districts(platform.pool()).await?;
    let forces = crate::force::forces(platform.pool()).await?;
    let area = &chrome.office.force_area;
    let force = platform::areas::force_area(area).map(|a| a.force.to_string()).unwrap_or_default();
    let (own, elsewhere) = split_by_area(districts, &platform::areas::districts::of_force_area(area));
    render(&IndexPage { chrome, own, force, elsewhere, forces })
}

/// The office's districts, matched to districts with figures by ONS code or, for a lookup of an
/// older vintage, by name; and the districts with figures that are not the office's.
fn split_by_area(
    with_figures: Vec<District>,
    own: &[&platform::areas::District],
) -> (Vec<(String, Option<String>)>, Vec<District>) {
    let is_own = |d: &District, o: &platform::areas::District| d.code == o.code || d.name.eq_ignore_ascii_case(&o.name);
    let mine = own.iter().map(|o| (o.name.clone(), with_figures.iter().find(|d| is_own(d, o)).map(|d| d.code.clone()))).collect();
    let elsewhere = with_figures.into_iter().filter(|d| !own.iter().any(|o| is_own(d, o))).collect();
    (mine, elsewhere)
}

#[derive(Template)]
#[template(path = "crime/force.html")]
struct ForcePage {
    chrome: Chrome,
    report: crate::force::ForceReport,
    groups: Vec<&'static str>,
    charged: charts::Chart,
    breakdowns: Vec<(&'static str, Vec<crate::force::SearchLine>)>,
    vehicle_only: &'static str,
}

impl ForcePage {
    fn percents(&self, row: &crate::force::OutcomeRow) -> Vec<String> {
        (0..row.by_group.len()).map(|i| format!("{:.1}%", row.percent(i))).collect()
    }
    fn one(&self, value: &f64) -> String {
        decimal(*value, 1)
    }
    fn count(&self, value: &u64) -> String {
        count(*value)
    }
}

async fn force_report(platform: &Platform, slug: &str) -> Result<crate::force::ForceReport, AppError> {
    let force = crate::force::forces(platform.pool()).await?.into_iter().find(|f| f.slug == slug).ok_or(AppError::NotFound)?;
    Ok(crate::force::force_report(platform.pool(), force).await?)
}

async fn force_page(PageRequest { platform, chrome }: PageRequest, Path(slug): Path<String>) -> Result<Response, AppError> {
    let report = force_report(&platform, &slug).await?;
    // The charged share is the first group.
    let charged = charts::Chart::new(
        format!("Share of crimes charged or dealt with at court, by crime type, {}", report.force.name),
        "A bar for each crime type. The numbers are in the table below.",
        charts::Body::Bars(charts::Bars {
            categories: report.outcomes.iter().map(|row| row.name.clone()).collect(),
            series: vec![charts::Series {
                name: "Charged or dealt with at court".into(),
                values: report.outcomes.iter().map(|row| Some(row.percent(0))).collect(),
            }],
            stacked: false,
            unit: "% of the type's crimes".into(),
            places: 1,
            colours: Vec::new(),
        }),
    );
    let s = &report.stop_and_search;
    let breakdowns = vec![
        ("Searches by what was looked for", s.by_object.clone()),
        ("Searches by outcome", s.by_outcome.clone()),
        ("Searches by ethnicity", s.by_ethnicity.clone()),
    ];
    let groups = crate::reference::OutcomeGroup::ALL.iter().map(|g| g.name()).collect();
    render(&ForcePage { chrome, report, groups, charged, breakdowns, vehicle_only: crate::rows::VEHICLE_ONLY })
}

async fn force_outcomes_csv(State(platform): State<Platform>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let report = force_report(&platform, &slug).await?;
    Ok(platform::web::csv_download(crate::force::outcomes_csv(&report), &format!("outcomes-{slug}.csv")))
}

async fn force_searches_csv(State(platform): State<Platform>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let report = force_report(&platform, &slug).await?;
    Ok(platform::web::csv_download(crate::force::searches_csv(&report), &format!("stop-and-search-{slug}.csv")))
}

/// A district, its report, and the months each force published (which its hotspots need too).
async fn load(platform: &Platform, code: &str) -> Result<(District, AreaReport, measures::Published), AppError> {
    let pool = platform.pool();
    let published = measures::published_months(pool).await?;
    let district =
        measures::districts_given(pool, &published).await?.into_iter().find(|d| d.code == code).ok_or(AppError::NotFound)?;
    let counts = measures::district_counts(pool, &district.code).await?;
    let mut report = measures::area_report(&counts, &district.forces, &published, district.population);
    let mut locations = measures::force_locations(pool, &published).await?;
    report.locations = district.forces.iter().filter_map(|f| locations.remove(f)).collect();
    Ok((district, report, published))
}

/// Nearest neighbours for Gi*: six, about a ring of adjacent LSOAs.
pub const NEIGHBOURS: usize = 6;
/// Rows in the hotspot table.
pub const HOTSPOTS_SHOWN: usize = 20;

async fn hotspots_of(
    platform: &Platform,
    district: &District,
    published: &measures::Published,
) -> Result<Vec<Hotspot>, AppError> {
    let pool = platform.pool();
    let window = measures::latest_window(&district.forces, published);
    if window.is_empty() {
        return Ok(Vec::new());
    }
    let rows = hotspots::district_lsoa_counts(pool, &district.code, &district.forces, false).await?;
    let mut lsoas = hotspots::series_of(rows);
    hotspots::add_quiet(&mut lsoas, &hotspots::district_places(pool, &district.code).await?, &window);
    Ok(hotspots::rank(&lsoas, &window, &hotspots::neighbours_of(&lsoas, NEIGHBOURS)))
}

/// A monthly series drawn by the chart kit: the count, its XmR average and limits, and the
/// months flagged as unusual; the numbers stay beside it in a table with each flag in words.
pub struct MonthlyChart {
    pub title: String,
    pub chart: charts::Chart,
    pub series: Vec<SeriesPoint>,
}

pub fn chart(title: &str, area: &str, unit: &str, series: &[SeriesPoint]) -> MonthlyChart {
    let limits = series.iter().any(|p| p.upper.is_some());
    let description = format!(
        "A line chart of {unit} each month in {area}, from {}{}. The numbers are in the table below it.",
        match (series.first(), series.last()) {
            (Some(first), Some(last)) => format::month_range(&first.month, &last.month),
            _ => "no months".to_string(),
        },
        if limits { ", with the average, the control limits and the unusual months marked" } else { "" }
    );
    let line = charts::Line {
        categories: series.iter().map(|p| format::short_month_of(&p.month)).collect(),
        series: vec![charts::Series { name: title.to_string(), values: series.iter().map(|p| Some(p.crimes as f64)).collect() }],
        centre: series.iter().map(|p| p.centre).collect(),
        upper: series.iter().map(|p| p.upper).collect(),
        lower: series.iter().map(|p| p.lower).collect(),
        flagged: series.iter().map(|p| !p.signals.is_empty()).collect(),
        flag_meaning: "Unusual month".to_string(),
        unit: unit.to_string(),
        // A month not published breaks every line: the months either side are not neighbours.
        joined: series
            .iter()
            .enumerate()
            .map(|(i, p)| i == 0 || measures::months_before(&p.month, 1) == series[i - 1].month)
            .collect(),
    };
    MonthlyChart {
        title: title.to_string(),
        chart: charts::Chart::new(format!("{title}, {area}"), description, charts::Body::Line(line)),
        series: series.to_vec(),
    }
}

/// What the district and neighbourhood pages both show: this year against last by crime type,
/// harm-weighted totals and the two monthly charts (templates/crime/_figures.html).
pub struct AreaFigures {
    pub name: String,
    /// The year of the population the rates use ("" when not known).
    pub population_year: String,
    pub report: AreaReport,
    pub crime_chart: MonthlyChart,
    pub asb_chart: MonthlyChart,
    pub harm: Option<(crate::harm::HarmTable, crate::harm::HarmTotals)>,
}

impl AreaFigures {
    async fn of(platform: &Platform, name: &str, population_year: &str, report: AreaReport) -> Result<AreaFigures, AppError> {
        let crime_chart = chart("Crimes each month (not counting anti-social behaviour)", name, "crimes", &report.crime_series);
        let asb_chart = chart("Anti-social behaviour incidents each month", name, "incidents", &report.asb_series);
        let harm = harm_of(platform, &report).await?;
        Ok(AreaFigures {
            name: name.to_string(),
            population_year: population_year.to_string(),
            report,
            crime_chart,
            asb_chart,
            harm,
        })
    }
    fn charts(&self) -> [&MonthlyChart; 2] {
        [&self.crime_chart, &self.asb_chart]
    }
    fn chart_html(&self, chart: &MonthlyChart, index: &usize) -> String {
        chart.chart.html(&format!("chart-{index}"))
    }
    /// "2026-11" as "November 2026".
    fn month(&self, month: &str) -> String {
        format::month_of(month)
    }
    fn whole(&self, value: &f64) -> String {
        decimal(*value, 0)
    }
    fn one_place(&self, value: &f64) -> String {
        decimal(*value, 1)
    }
    fn number(&self, value: &Option<f64>) -> String {
        value.map(|v| decimal(v, 1)).unwrap_or_else(|| "–".into())
    }
    fn count(&self, value: &u64) -> String {
        count(*value)
    }
    fn people(&self, value: &i64) -> String {
        count(value.unsigned_abs())
    }
    fn count_usize(&self, value: &usize) -> String {
        platform::web::thousands(*value)
    }
    fn min_paired(&self) -> usize {
        measures::MIN_PAIRED_MONTHS
    }
    fn min_chart_months(&self) -> usize {
        crate::stats::XMR_MIN_POINTS
    }
    fn is_real(&self, row: &measures::CrimeTypeRow) -> bool {
        row.comparison.as_ref().is_some_and(|c| c.significant)
    }
    /// The share of the force's crimes of this type with no location ("12.3%"; several forces
    /// joined with "/").
    fn unlocated(&self, crime_type: &str) -> String {
        self.report
            .locations
            .iter()
            .filter_map(|l| l.percent_for(crime_type).map(|p| format!("{}%", decimal(p, 1))))
            .collect::<Vec<_>>()
            .join(" / ")
    }
    fn charts_have_limits(&self) -> bool {
        self.report.crime_series.iter().any(|p| p.upper.is_some())
    }
    fn signal_text(&self, point: &SeriesPoint) -> String {
        point
            .signals
            .iter()
            .map(|s| match s {
                crate::stats::Signal::OutsideLimits => "outside the limits",
                crate::stats::Signal::Shift => "part of a run on one side of the average",
                crate::stats::Signal::Trend => "part of a run of rises or falls",
                crate::stats::Signal::NearLimit => "two of three months close to a limit",
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A count with thousands separators: 12,345.
pub fn count(n: u64) -> String {
    platform::web::thousands(usize::try_from(n).unwrap_or(usize::MAX))
}

/// Harm-weighted totals of a report under the current table, if one has been imported.
async fn harm_of(
    platform: &Platform,
    report: &AreaReport,
) -> Result<Option<(crate::harm::HarmTable, crate::harm::HarmTotals)>, AppError> {
    let Some(table) = crate::harm::current(platform.pool()).await? else { return Ok(None) };
    let counts: Vec<(String, u64, u64)> = report.rows.iter().map(|r| (r.crime_type.clone(), r.latest, r.previous)).collect();
    let totals = crate::harm::totals(&table, &counts);
    Ok(Some((table, totals)))
}

#[derive(Template)]
#[template(path = "crime/district.html")]
struct DistrictPage {
    chrome: Chrome,
    district: District,
    figures: AreaFigures,
    hotspots: Vec<Hotspot>,
    all_areas: Vec<Hotspot>,
    map: Option<charts::Chart>,
    /// "Staffordshire Police", or two forces joined with "and".
    forces_words: String,
}

impl DistrictPage {
    fn has_gi_star(&self) -> bool {
        self.hotspots.iter().any(|h| h.gi_star.is_some())
    }
    fn pattern(&self, hotspot: &Hotspot) -> &'static str {
        match hotspot.pattern.as_str() {
            "cluster" => "a cluster: its neighbours are busy too",
            "alone" => "busy on its own: its neighbours are not",
            _ => "",
        }
    }
}

async fn district_page(PageRequest { platform, chrome }: PageRequest, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report, published) = load(&platform, &code).await?;
    let all_areas = hotspots_of(&platform, &district, &published).await?;
    let map = district_map(&platform, &district, &all_areas).await?;
    let hotspots = all_areas.iter().take(HOTSPOTS_SHOWN).cloned().collect();
    let figures = AreaFigures::of(&platform, &district.name, &district.population_year, report).await?;
    let forces_words = district.forces.iter().map(|f| crate::force::force_name(f)).collect::<Vec<_>>().join(" and ");
    render(&DistrictPage { chrome, district, figures, hotspots, all_areas, map, forces_words })
}

/// The district's figures as a document (see `document::district_report`).
async fn district_document(platform: &Platform, code: &str) -> Result<(District, publishing::Document), AppError> {
    let (district, report, published) = load(platform, code).await?;
    let hotspots: Vec<Hotspot> = hotspots_of(platform, &district, &published).await?.into_iter().take(HOTSPOTS_SHOWN).collect();
    let figures = AreaFigures::of(platform, &district.name, &district.population_year, report).await?;
    let office = platform.office().await?;
    let document = crate::document::district_report(&district, &figures, &hotspots, &office.name, platform::calendar::uk_today());
    Ok((district, document))
}

#[derive(Template)]
#[template(path = "crime/report.html")]
struct ReportPage {
    chrome: Chrome,
    district: District,
    title: String,
    body: String,
}

async fn report_page(PageRequest { platform, chrome }: PageRequest, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, document) = district_document(&platform, &code).await?;
    render(&ReportPage { chrome, district, title: document.title.clone(), body: document.html() })
}

async fn report_pdf(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, document) = district_document(&platform, &code).await?;
    // Laying out takes tens of milliseconds of CPU: off the request threads.
    let bytes = tokio::task::spawn_blocking(move || document.pdf())
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(platform::web::pdf_download(bytes, &format!("crime-report-{}.pdf", district.code)))
}

async fn report_csv(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, document) = district_document(&platform, &code).await?;
    Ok(platform::web::csv_download(document.figures_csv(), &format!("crime-report-{}-figures.csv", district.code)))
}

async fn report_json(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (_, document) = district_document(&platform, &code).await?;
    Ok(axum::Json(document.figures_json()).into_response())
}

#[derive(Template)]
#[template(path = "crime/neighbourhood.html")]
struct NeighbourhoodPage {
    chrome: Chrome,
    area: measures::Neighbourhood,
    figures: AreaFigures,
}

/// A neighbourhood's report, its verdicts adjusted for every comparison published on the
/// district's neighbourhood pages (see `measures::control_false_discoveries`).
async fn load_neighbourhood(
    platform: &Platform,
    district_code: &str,
    code: &str,
) -> Result<(measures::Neighbourhood, AreaReport), AppError> {
    let pool = platform.pool();
    let area = measures::neighbourhood(pool, district_code, code).await?.ok_or(AppError::NotFound)?;
    let published = measures::published_months(pool).await?;
    let district = measures::districts_given(pool, &published)
        .await?
        .into_iter()
        .find(|d| d.code == district_code)
        .ok_or(AppError::NotFound)?;
    let counts = measures::district_lsoa_type_counts(pool, district_code).await?;
    let populations = measures::district_populations(pool, district_code).await?;
    let none = measures::ForceCounts::new();
    let mut reports: Vec<(String, AreaReport)> = populations
        .iter()
        .filter(|(lsoa, _)| counts.contains_key(*lsoa) || **lsoa == area.code)
        .map(|(lsoa, population)| {
            let report =
                measures::area_report(counts.get(lsoa).unwrap_or(&none), &district.forces, &published, population.unwrap_or(0));
            (lsoa.clone(), report)
        })
        .collect();
    measures::control_false_discoveries(&mut reports.iter_mut().map(|(_, r)| r).collect::<Vec<_>>());
    let mut report = reports.into_iter().find(|(lsoa, _)| *lsoa == area.code).map(|(_, r)| r).ok_or(AppError::NotFound)?;
    let mut locations = measures::force_locations(pool, &published).await?;
    report.locations = district.forces.iter().filter_map(|f| locations.remove(f)).collect();
    Ok((area, report))
}

async fn neighbourhood_page(
    PageRequest { platform, chrome }: PageRequest,
    Path((district, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (area, report) = load_neighbourhood(&platform, &district, &code).await?;
    let figures = AreaFigures::of(&platform, &area.name, &area.population_year, report).await?;
    render(&NeighbourhoodPage { chrome, area, figures })
}

async fn neighbourhood_json(
    State(platform): State<Platform>,
    Path((district, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (area, report) = load_neighbourhood(&platform, &district, &code).await?;
    Ok(axum::Json(serde_json::json!({ "neighbourhood": area, "report": report, "counts": measures::WHAT_IS_COUNTED, "source": "data.police.uk (OGL v3)" }))
        .into_response())
}

async fn neighbourhood_csv(
    State(platform): State<Platform>,
    Path((district, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (area, report) = load_neighbourhood(&platform, &district, &code).await?;
    Ok(platform::web::csv_download(measures::report_csv(&area.code, &area.name, &report), &format!("crime-{}.csv", area.code)))
}

/// The district's LSOAs coloured by crimes per 1,000 residents, when their outlines are held.
async fn district_map(platform: &Platform, district: &District, areas: &[Hotspot]) -> Result<Option<charts::Chart>, AppError> {
    let outlines: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT l.code, l.name, b.rings FROM crimedata_lsoa l JOIN crimedata_lsoa_boundary b ON b.code = l.code \
         WHERE l.local_authority_code = $1 ORDER BY l.code",
    )
    .bind(&district.code)
    .fetch_all(platform.pool())
    .await?;
    if outlines.is_empty() {
        return Ok(None);
    }
    let rates: std::collections::HashMap<&str, Option<f64>> = areas.iter().map(|a| (a.code.as_str(), a.per_thousand)).collect();
    let shapes: Vec<map::Area> = outlines
        .into_iter()
        .map(|(code, name, rings)| map::Area {
            value: rates.get(code.as_str()).copied().flatten(),
            rings: map::parse_rings(&rings),
            code,
            name,
        })
        .collect();
    let described = format!(
        "A map of {}'s neighbourhoods, each shaded by which fifth of the district its rate falls in, darker for more crime. \
         Every neighbourhood's figures are in the table below the map.",
        district.name
    );
    Ok(Some(charts::Chart::new(
        format!("Crimes a year per 1,000 residents, latest 12 months, by neighbourhood, {}", district.name),
        described,
        charts::Body::Choropleth(map::Choropleth { areas: shapes, unit: "crimes a year per 1,000 residents".to_string() }),
    )))
}

/// Every district's report at once, computed once per change to the data.
async fn national_csv(State(platform): State<Platform>) -> Result<Response, AppError> {
    let current = crate::report::current(platform.pool()).await?;
    Ok(platform::web::csv_download(current.csv.clone(), "crime-every-district.csv"))
}

async fn national_json(State(platform): State<Platform>) -> Result<Response, AppError> {
    let current = crate::report::current(platform.pool()).await?;
    let document = serde_json::json!({ "districts": current.reports, "counts": measures::WHAT_IS_COUNTED, "source": "data.police.uk (OGL v3)" });
    Ok(axum::Json(document).into_response())
}

async fn district_csv(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report, _) = load(&platform, &code).await?;
    Ok(platform::web::csv_download(
        measures::report_csv(&district.code, &district.name, &report),
        &format!("crime-{}.csv", district.code),
    ))
}

async fn district_json(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report, published) = load(&platform, &code).await?;
    let hotspots = hotspots_of(&platform, &district, &published).await?;
    let harm = harm_of(&platform, &report).await?.map(|(table, totals)| {
        serde_json::json!({ "table": table.name, "source": table.source, "vintage": table.vintage, "totals": totals })
    });
    let document = serde_json::json!({
        "district": district, "report": report, "hotspots": hotspots, "harm": harm, "counts": measures::WHAT_IS_COUNTED,
        "source": "data.police.uk (OGL v3)"
    });
    Ok(axum::Json(document).into_response())
}

async fn hotspots_csv(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, _, published) = load(&platform, &code).await?;
    let hotspots = hotspots_of(&platform, &district, &published).await?;
    let mut out = String::from(
        "lsoa_code,lsoa_name,crimes_latest_12_months,per_1000_residents,months_in_busiest_tenth,months_held,gi_star_z,gi_neighbours_z,pattern\n",
    );
    for h in &hotspots {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            h.code,
            platform::web::csv_field(&h.name),
            h.crimes,
            h.per_thousand.map(|r| format!("{r:.2}")).unwrap_or_default(),
            h.months_in_top_tenth,
            h.months_held,
            h.gi_star.map(|z| format!("{z:.3}")).unwrap_or_default(),
            h.gi_neighbours.map(|z| format!("{z:.3}")).unwrap_or_default(),
            h.pattern
        ));
    }
    Ok(platform::web::csv_download(out, &format!("hotspots-{}.csv", district.code)))
}
