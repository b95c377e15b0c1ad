//! "Crime and anti-social behaviour in your area": a district's crimes this year against last,
//! with the verdict of an exact test, and the monthly series as a chart with control limits and
//! the numbers in a table; every table downloads as CSV and JSON.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use platform::access::{Access, Routes};
use platform::web::render;
use platform::{AppError, Chrome, Platform};

use std::collections::BTreeMap;

use crate::hotspots::{self, Hotspot, LsoaSeries};
use crate::map::{self, Map};
use crate::measures::{self, AreaReport, District, SeriesPoint};
use crate::stats::Limits;

pub fn routes() -> Routes {
    Routes::new()
        .route("/crime", Access::Public, get(index))
        .route("/crime/{district}", Access::Public, get(district_page))
        .route("/crime/{district}/data.csv", Access::Public, get(district_csv))
        .route("/crime/{district}/data.json", Access::Public, get(district_json))
        .route("/crime/{district}/hotspots.csv", Access::Public, get(hotspots_csv))
}

#[derive(Template)]
#[template(path = "crime/index.html")]
struct IndexPage {
    chrome: Chrome,
    districts: Vec<District>,
}

async fn index(State(platform): State<Platform>, chrome: Chrome) -> Result<Response, AppError> {
    let districts = measures::districts(platform.pool()).await?;
    render(&IndexPage { chrome, districts })
}

async fn load(platform: &Platform, code: &str) -> Result<(District, AreaReport), AppError> {
    let district = measures::districts(platform.pool()).await?.into_iter().find(|d| d.code == code).ok_or(AppError::NotFound)?;
    let counts = measures::district_counts(platform.pool(), &district.code).await?;
    let report = measures::area_report(&counts, district.population);
    Ok((district, report))
}

/// Nearest neighbours for Gi*: six, about a ring of adjacent LSOAs.
const NEIGHBOURS: usize = 6;
/// Rows in the hotspot table.
pub const HOTSPOTS_SHOWN: usize = 20;

async fn hotspots_of(platform: &Platform, district: &District, report: &AreaReport) -> Result<Vec<Hotspot>, AppError> {
    let Some(latest) = &report.latest_month else { return Ok(Vec::new()) };
    let rows = hotspots::district_lsoa_counts(platform.pool(), &district.code, false).await?;
    let mut lsoas: BTreeMap<String, LsoaSeries> = BTreeMap::new();
    for (code, name, population, latitude, longitude, month, crimes) in rows {
        let entry = lsoas.entry(code).or_insert_with(|| LsoaSeries {
            name,
            population,
            centroid: latitude.zip(longitude),
            by_month: BTreeMap::new(),
        });
        entry.by_month.insert(month, u64::try_from(crimes).unwrap_or(0));
    }
    Ok(hotspots::rank(&lsoas, &measures::months_before(latest, 11), NEIGHBOURS))
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

#[derive(Template)]
#[template(path = "crime/district.html")]
struct DistrictPage {
    chrome: Chrome,
    district: District,
    report: AreaReport,
    crime_chart: Chart,
    asb_chart: Chart,
    hotspots: Vec<Hotspot>,
    all_areas: Vec<Hotspot>,
    map: Option<Map>,
}

impl DistrictPage {
    fn charts(&self) -> [&Chart; 2] {
        [&self.crime_chart, &self.asb_chart]
    }
    fn has_gi_star(&self) -> bool {
        self.hotspots.iter().any(|h| h.gi_star.is_some())
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

async fn district_page(State(platform): State<Platform>, chrome: Chrome, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report) = load(&platform, &code).await?;
    let crime_chart = chart("Crimes each month (not counting anti-social behaviour)", &report.crime_series, report.crime_limits);
    let asb_chart = chart("Anti-social behaviour incidents each month", &report.asb_series, report.asb_limits);
    let all_areas = hotspots_of(&platform, &district, &report).await?;
    let map = district_map(&platform, &district, &all_areas).await?;
    let hotspots = all_areas.iter().take(HOTSPOTS_SHOWN).cloned().collect();
    render(&DistrictPage { chrome, district, report, crime_chart, asb_chart, hotspots, all_areas, map })
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

async fn district_csv(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report) = load(&platform, &code).await?;
    let mut response = measures::report_csv(&district, &report).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"crime-{}.csv\"", district.code)) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

async fn district_json(State(platform): State<Platform>, Path(code): Path<String>) -> Result<Response, AppError> {
    let (district, report) = load(&platform, &code).await?;
    let hotspots = hotspots_of(&platform, &district, &report).await?;
    let document =
        serde_json::json!({ "district": district, "report": report, "hotspots": hotspots, "source": "data.police.uk (OGL v3)" });
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
    let mut response = out.into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"hotspots-{}.csv\"", district.code)) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
