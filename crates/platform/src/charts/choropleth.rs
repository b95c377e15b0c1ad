//! Choropleth maps drawn as SVG on the server: outlines projected to the page, each filled by
//! which fifth of the areas its value falls in (five blues, light to dark, so the order reads
//! without colour vision), with a key in words. The numbers themselves are in the table beside
//! the map.

use std::fmt::Write as _;

use serde::Serialize;

use super::svg::{self, KeySample, Size};
use crate::format::decimal;

/// Outlines as stored: "lon,lat lon,lat …" rings separated by ";".
pub fn parse_rings(text: &str) -> Vec<Vec<(f64, f64)>> {
    text.split(';')
        .map(|ring| {
            ring.split_whitespace()
                .filter_map(|pair| {
                    let (x, y) = pair.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect::<Vec<(f64, f64)>>()
        })
        .filter(|ring| ring.len() >= 3)
        .collect()
}

pub fn format_rings(rings: &[Vec<(f64, f64)>]) -> String {
    rings
        .iter()
        .map(|ring| ring.iter().map(|(x, y)| format!("{x:.5},{y:.5}")).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(";")
}

/// One area to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub code: String,
    pub name: String,
    pub rings: Vec<Vec<(f64, f64)>>,
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DrawnArea {
    pub path: String,
    pub fill: &'static str,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Map {
    pub width: u32,
    pub height: u32,
    pub areas: Vec<DrawnArea>,
    /// (fill, words), darkest last.
    pub legend: Vec<(&'static str, String)>,
}

/// Five blues, light to dark, and a grey for no data.
pub const FILLS: [&str; 5] = ["#d2e2f1", "#a5c5e3", "#6ea3d2", "#2f74b5", "#12436d"];
pub const NO_DATA: &str = "#f3f2f1";

/// The four values that cut sorted `values` into fifths.
pub fn quintile_breaks(values: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    sorted.sort_by(f64::total_cmp);
    if sorted.is_empty() {
        return Vec::new();
    }
    (1..5).map(|k| sorted[(sorted.len() * k / 5).min(sorted.len() - 1)]).collect()
}

/// Projects the outlines to a `width`-wide picture (equirectangular, corrected for latitude:
/// true enough over a district) and fills each by its fifth.
pub fn draw(areas: &[Area], width: u32, unit: &str) -> Option<Map> {
    let points = || areas.iter().flat_map(|a| a.rings.iter().flatten());
    let (mut min_x, mut max_x, mut min_y, mut max_y) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for (x, y) in points() {
        min_x = min_x.min(*x);
        max_x = max_x.max(*x);
        min_y = min_y.min(*y);
        max_y = max_y.max(*y);
    }
    if min_x >= max_x || min_y >= max_y {
        return None;
    }
    let squash = ((min_y + max_y) / 2.0).to_radians().cos();
    let scale = f64::from(width) / ((max_x - min_x) * squash);
    let height = ((max_y - min_y) * scale).ceil().max(1.0) as u32;
    let values: Vec<f64> = areas.iter().filter_map(|a| a.value).collect();
    let breaks = quintile_breaks(&values);
    let class = |v: f64| breaks.iter().filter(|b| v > **b).count().min(4);
    let drawn = areas
        .iter()
        .map(|area| {
            let mut path = String::new();
            for ring in &area.rings {
                for (i, (x, y)) in ring.iter().enumerate() {
                    let px = (x - min_x) * squash * scale;
                    let py = (max_y - y) * scale;
                    path.push_str(&format!("{}{px:.1},{py:.1}", if i == 0 { "M" } else { "L" }));
                }
                path.push('Z');
            }
            let (fill, label) = match area.value {
                Some(v) => (FILLS[class(v)], format!("{} ({}): {} {unit}", area.name, area.code, decimal(v, 1))),
                None => (NO_DATA, format!("{} ({}): no data", area.name, area.code)),
            };
            DrawnArea { path, fill, label }
        })
        .collect();
    let legend = if breaks.len() == 4 {
        let mut legend = vec![(FILLS[0], format!("{} or less", decimal(breaks[0], 1)))];
        for k in 1..4 {
            legend.push((FILLS[k], format!("more than {}, up to {}", decimal(breaks[k - 1], 1), decimal(breaks[k], 1))));
        }
        legend.push((FILLS[4], format!("more than {}", decimal(breaks[3], 1))));
        legend
    } else {
        Vec::new()
    };
    Some(Map { width, height, areas: drawn, legend })
}

/// A choropleth for the chart kit: areas and what their values measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Choropleth {
    pub areas: Vec<Area>,
    pub unit: String,
}

impl Choropleth {
    pub(crate) fn draw(&self, size: Size) -> (f64, String) {
        let mut out = String::new();
        let Some(map) = draw(&self.areas, size.width() as u32, &self.unit) else { return (size.font() * 2.0, out) };
        for area in &map.areas {
            let _ = write!(
                out,
                "<path d=\"{}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"0.8\"><title>{}</title></path>",
                area.path,
                area.fill,
                svg::escape(&area.label)
            );
        }
        let top = f64::from(map.height) + size.font();
        let mut entries: Vec<(KeySample, String)> =
            map.legend.iter().map(|(fill, words)| (KeySample::Fill(fill), words.clone())).collect();
        if map.areas.iter().any(|a| a.fill == NO_DATA) {
            entries.push((KeySample::Fill(NO_DATA), "No data".to_string()));
        }
        let height = top + svg::key(&mut out, size, top, &entries);
        (height, out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x: f64, y: f64) -> Vec<Vec<(f64, f64)>> {
        vec![vec![(x, y), (x + 0.01, y), (x + 0.01, y + 0.01), (x, y + 0.01), (x, y)]]
    }

    #[test]
    fn rings_round_trip_and_bad_pairs_are_dropped() {
        let rings = vec![vec![(-2.13957, 53.03749), (-2.14354, 53.03563), (-2.13734, 53.03337)]];
        assert_eq!(parse_rings(&format_rings(&rings)), rings);
        assert_eq!(parse_rings("1,2 x,3 4,5"), Vec::<Vec<(f64, f64)>>::new(), "a ring of fewer than 3 points is no shape");
    }

    #[test]
    fn fifths_and_fills() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(quintile_breaks(&values), vec![3.0, 5.0, 7.0, 9.0]);
        let areas: Vec<Area> = (0..10)
            .map(|i| Area {
                code: format!("E0100000{i}"),
                name: format!("Area {i}"),
                rings: square(-2.0 + 0.01 * f64::from(i), 53.0),
                value: Some(f64::from(i + 1)),
            })
            .chain(std::iter::once(Area {
                code: "E01000099".into(),
                name: "Quiet".into(),
                rings: square(-2.0, 53.01),
                value: None,
            }))
            .collect();
        let map = draw(&areas, 600, "crimes per 1,000").expect("map");
        assert_eq!(map.width, 600);
        // 0.1° of longitude by 0.02° of latitude at 53°N: 600 wide, about 200 high.
        assert_eq!(map.height, 200);
        assert_eq!(map.areas[0].fill, FILLS[0]);
        assert_eq!(map.areas[9].fill, FILLS[4]);
        assert_eq!(map.areas[10].fill, NO_DATA);
        assert_eq!(map.areas[9].label, "Area 9 (E01000009): 10.0 crimes per 1,000");
        assert!(map.areas[0].path.starts_with("M0.0,"), "{}", map.areas[0].path);
        assert_eq!(map.legend.len(), 5);
        assert_eq!(map.legend[4].1, "more than 9.0");
        assert!(draw(&[], 600, "x").is_none());
    }
}
