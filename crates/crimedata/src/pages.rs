//! "Crime and anti-social behaviour in your area": a district's crimes this year against last,
//! with the verdict of an exact test, and the monthly series as a chart with control limits and
//! the numbers in a table; every table downloads as CSV and JSON.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::web::render;
use platform::{AppError, Chrome, Platform};

use crate::hotspots::{self, Hotspot};
use crate::map::{self, Map};
use crate::measures::{self, AreaReport, District, SeriesPoint};
use crate::stats::Limits;

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
        .route("/crime/{district}/areas/{lsoa}", Access::Public, get(neighbourhood_page))
        .route("/crime/{district}/areas/{lsoa}/data.csv", Access::Public, get(neighbourhood_csv))
        .route("/crime/{district}/areas/{lsoa}/data.json", Access::Public, get(neighbourhood_json))
}

#[derive(Template)]
#[template(path = "crime/index.html")]
struct IndexPage {
    chrome: Chrome,
    districts: Vec<District>,
    forces: Vec<crate::force::Force>,
}

async fn index(State(platform): State<Platform>, chrome: Chrome) -> Result<Response, AppError> {
    let districts = measures::districts(platform.pool()).await?;
    let forces = crate::force::forces(platform.pool()).await?;
    render(&IndexPage { chrome, districts, forces })
}

/// One bar of a horizontal bar chart laid out for an SVG 640 wide.
struct Bar {
    label: String,
    y: f64,
    width: f64,
    text: String,
}

#[derive(Template)]
#[template(path = "crime/force.html")]
struct ForcePage {
    chrome: Chrome,
    report: crate::force::ForceReport,
    groups: Vec<&'static str>,
    bars: Vec<Bar>,
    breakdowns: Vec<(&'static str, Vec<crate::force::SearchLine>)>,
}

impl ForcePage {
    fn chart_height(&self) -> usize {
        self.bars.len() * 26 + 10
    }
    fn percents(&self, row: &crate::force::OutcomeRow) -> Vec<String> {
        (0..row.by_group.len()).map(|i| format!("{:.1}%", row.percent(i))).collect()
    }
    fn one(&self, value: &f64) -> String {
        format!("{value:.1}")
    }
}

async fn force_report(platform: &Platform, slug: &str) -> Result<crate::force::ForceReport, AppError> {
    let force = crate::force::forces(platform.pool()).await?.into_iter().find(|f| f.slug == slug).ok_or(AppError::NotFound)?;
    Ok(crate::force::force_report(platform.pool(), force).await?)
}

async fn force_page(State(platform): State<Platform>, chrome: Chrome, Path(slug): Path<String>) -> Result<Response, AppError> {
    let report = force_report(&platform, &slug).await?;
    // The charged share is the first group; the bars run to 300 px at 100%.
    let bars = report
        .outcomes
        .iter()
        .enumerate()
        .map(|(i, row)| Bar {
            label: row.name.clone(),
            y: i as f64 * 26.0 + 4.0,
            width: (row.percent(0) * 3.0).max(1.0),
            text: format!("{:.1}%", row.percent(0)),
        })
        .collect();
    let s = &report.stop_and_search;
    let breakdowns = vec![
        ("Searches by what was looked for", s.by_object.clone()),
        ("Searches by outcome", s.by_outcome.clone()),
        ("Searches by ethnicity", s.by_ethnicity.clone()),
    ];
    let groups = crate::reference::OutcomeGroup::ALL.iter().map(|g| g.name()).collect();
    render(&ForcePage { chrome, report, groups, bars, breakdowns })
}

async fn force_outcomes_csv(State(platform): State<Platform>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let report = force_report(&platform, &slug).await?;
    Ok(platform::web::csv_download(crate::force::outcomes_csv(&report), &format!("outcomes-{slug}.csv")))
}

async fn force_searches_csv(State(platform): State<Platform>, Path(slug): Path<String>) -> Result<Response, AppError> {
    let report = force_report(&platform, &slug).await?;
    Ok(platform::web::csv_download(crate::force::searches_csv(&report), &format!("stop-and-search-{slug}.csv")))
}

async fn load(platform: &Platform, code: &str) -> Result<(District, AreaReport), AppError> {
    let district = measures::districts(platform.pool()).await?.into_iter().find(|d| d.code == code).ok_or(AppError::NotFound)?;
    let counts = measures::district_counts(platform.pool(), &district.code).await?;
    let report = measures::area_report(&counts, district.population);
    Ok((district, report))
}

/// Nearest neighbours for Gi*: six, about a ring of adjacent LSOAs.
pub const NEIGHBOURS: usize = 6;
/// Rows in the hotspot table.
pub const HOTSPOTS_SHOWN: usize = 20;

async fn hotspots_of(platform: &Platform, district: &District, report: &AreaReport) -> Result<Vec<Hotspot>, AppError> {
    let Some(latest) = &report.latest_month else { return Ok(Vec::new()) };
    let rows = hotspots::district_lsoa_counts(platform.pool(), &district.code, false).await?;
    let lsoas = hotspots::series_of(rows);
    Ok(hotspots::rank(&lsoas, &measures::months_before(latest, 11), &hotspots::neighbours_of(&lsoas, NEIGHBOURS)))
}

/// A line chart of a monthly series with its control limits, laid out for an SVG 640 × 240.
pub struct Chart {
    pub title: String,
    pub points: Vec<(f64, f64, String, u64, bool)>,
    pub path: String,
    pub centre_y: Option<f64>,
    pub upper_y: Option<f64>,
    pub lower_y: Option<f64>,
    pub max: u64,
    pub series: Vec<SeriesPoint>,
}

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 60.0;
const TOP: f64 = 20.0;

pub fn chart(title: &str, series: &[SeriesPoint], limits: Option<Limits>) -> Chart {
    let max_value = series.iter().map(|p| p.crimes as f64).fold(limits.map_or(0.0, |l| l.upper), f64::max).max(1.0);
    let max = max_value.ceil() as u64;
    let y = |v: f64| TOP + HEIGHT - (v / max_value) * HEIGHT;
    let step = if series.len() > 1 { WIDTH / (series.len() - 1) as f64 } else { 0.0 };
    let points: Vec<(f64, f64, String, u64, bool)> = series
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = if series.len() > 1 { LEFT + step * i as f64 } else { LEFT + WIDTH / 2.0 };
            (x, y(p.crimes as f64), p.month.clone(), p.crimes, !p.signals.is_empty())
        })
        .collect();
    let path =
        points.iter().enumerate().map(|(i, (x, y, ..))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" })).collect();
    Chart {
        title: title.to_string(),
        points,
        path,
        centre_y: limits.map(|l| y(l.centre)),
        upper_y: limits.map(|l| y(l.upper)),
        lower_y: limits.map(|l| y(l.lower)),
        max,
        series: series.to_vec(),
    }
}

/// What the district and neighbourhood pages both show: this year against last by crime type,
/// harm-weighted totals and the two monthly charts (templates/crime/_figures.html).
pub struct AreaFigures {
    pub name: String,
    pub report: AreaReport,
    pub crime_chart: Chart,
    pub asb_chart: Chart,
    pub harm: Option<(crate::harm::HarmTable, crate::harm::HarmTotals)>,
}

impl AreaFigures {
    async fn of(platform: &Platform, name: &str, report: AreaReport) -> Result<AreaFigures, AppError> {
        let crime_chart =
            chart("Crimes each month (not counting anti-social behaviour)", &report.crime_series, report.crime_limits);
        let asb_chart = chart("Anti-social behaviour incidents each month", &report.asb_series, report.asb_limits);
        let harm = harm_of(platform, &report).await?;
        Ok(AreaFigures { name: name.to_string(), report, crime_chart, asb_chart, harm })
    }
    fn charts(&self) -> [&Chart; 2] {
        [&self.crime_chart, &self.asb_chart]
    }
    fn whole(&self, value: &f64) -> String {
        format!("{value:.0}")
    }
    fn one_place(&self, value: &f64) -> String {
        format!("{value:.1}")
    }
    fn number(&self, value: &Option<f64>) -> String {
        value.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into())
    }
    fn signal_text(&self, point: &SeriesPoint) -> String {
        point
            .signals
            .iter()
            .map(|s| match s {
                crate::stats::Signal::OutsideLimits => "outside the limits",
                crate::stats::Signal::Shift => "part of a run on one side of the average",
                crate::stats::Signal::Trend => "part of a run of rises or falls",
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
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
    map: Option<Map>,
}

impl DistrictPage {
    fn has_gi_star(&self) -> bool {
        self.hotspots.iter().any(|h| h.gi_star.is_some())
    }
}

async fn district_page(State(platform): State<Platform>, chrome: Chrome, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report) = load(&platform, &code).await?;
    let all_areas = hotspots_of(&platform, &district, &report).await?;
    let map = district_map(&platform, &district, &all_areas).await?;
    let hotspots = all_areas.iter().take(HOTSPOTS_SHOWN).cloned().collect();
    let figures = AreaFigures::of(&platform, &district.name, report).await?;
    render(&DistrictPage { chrome, district, figures, hotspots, all_areas, map })
}

#[derive(Template)]
#[template(path = "crime/neighbourhood.html")]
struct NeighbourhoodPage {
    chrome: Chrome,
    area: measures::Neighbourhood,
    figures: AreaFigures,
}

async fn load_neighbourhood(
    platform: &Platform,
    district: &str,
    code: &str,
) -> Result<(measures::Neighbourhood, AreaReport), AppError> {
    let area = measures::neighbourhood(platform.pool(), district, code).await?.ok_or(AppError::NotFound)?;
    let counts = measures::lsoa_counts(platform.pool(), &area.code).await?;
    let report = measures::area_report(&counts, area.population.unwrap_or(0));
    Ok((area, report))
}

async fn neighbourhood_page(
    State(platform): State<Platform>,
    chrome: Chrome,
    Path((district, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (area, report) = load_neighbourhood(&platform, &district, &code).await?;
    let figures = AreaFigures::of(&platform, &area.name, report).await?;
    render(&NeighbourhoodPage { chrome, area, figures })
}

async fn neighbourhood_json(
    State(platform): State<Platform>,
    Path((district, code)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let (area, report) = load_neighbourhood(&platform, &district, &code).await?;
    Ok(axum::Json(serde_json::json!({ "neighbourhood": area, "report": report, "source": "data.police.uk (OGL v3)" }))
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
async fn district_map(platform: &Platform, district: &District, areas: &[Hotspot]) -> Result<Option<Map>, AppError> {
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
    Ok(map::draw(&shapes, 600, "crimes per 1,000 residents"))
}

/// Every district's report at once, computed once per change to the data.
async fn national_csv(State(platform): State<Platform>) -> Result<Response, AppError> {
    let current = crate::report::current(platform.pool()).await?;
    Ok(platform::web::csv_download(current.csv.clone(), "crime-every-district.csv"))
}

async fn national_json(State(platform): State<Platform>) -> Result<Response, AppError> {
    let current = crate::report::current(platform.pool()).await?;
    let document = serde_json::json!({ "districts": current.reports, "source": "data.police.uk (OGL v3)" });
    Ok(axum::Json(document).into_response())
}

async fn district_csv(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report) = load(&platform, &code).await?;
    Ok(platform::web::csv_download(
        measures::report_csv(&district.code, &district.name, &report),
        &format!("crime-{}.csv", district.code),
    ))
}

async fn district_json(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report) = load(&platform, &code).await?;
    let hotspots = hotspots_of(&platform, &district, &report).await?;
    let harm = harm_of(&platform, &report).await?.map(|(table, totals)| {
        serde_json::json!({ "table": table.name, "source": table.source, "vintage": table.vintage, "totals": totals })
    });
    let document = serde_json::json!({
        "district": district, "report": report, "hotspots": hotspots, "harm": harm, "source": "data.police.uk (OGL v3)"
    });
    Ok(axum::Json(document).into_response())
}

async fn hotspots_csv(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report) = load(&platform, &code).await?;
    let hotspots = hotspots_of(&platform, &district, &report).await?;
    let mut out = String::from(
        "lsoa_code,lsoa_name,crimes_latest_12_months,per_1000_residents,months_in_busiest_tenth,months_held,gi_star_z\n",
    );
    for h in &hotspots {
        out.push_str(&format!(
            "{},{},{},{},{},{},{}\n",
            h.code,
            platform::web::csv_field(&h.name),
            h.crimes,
            h.per_thousand.map(|r| format!("{r:.2}")).unwrap_or_default(),
            h.months_in_top_tenth,
            h.months_held,
            h.gi_star.map(|z| format!("{z:.3}")).unwrap_or_default()
        ));
    }
    Ok(platform::web::csv_download(out, &format!("hotspots-{}.csv", district.code)))
}
