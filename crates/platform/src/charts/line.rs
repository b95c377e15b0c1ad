//! Line charts over time: one or more series, an optional centre line and control limits with
//! flagged points (XmR charts), and small multiples sharing one scale.

use std::fmt::Write as _;

use super::svg::{self, KeySample, Marker, Size, YAxis};
use super::{Series, colour, nice_ticks};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Line {
    /// The x axis's labels, one a point ("Nov 2026").
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// The average and control limits, drawn with the first series.
    pub centre: Vec<Option<f64>>,
    pub upper: Vec<Option<f64>>,
    pub lower: Vec<Option<f64>>,
    /// Points of the first series to flag, and what a flag means ("Unusual month").
    pub flagged: Vec<bool>,
    pub flag_meaning: String,
    /// What the y axis counts ("crimes").
    pub unit: String,
    /// Whether point i follows point i − 1 with nothing missing between; a line is broken where
    /// it does not. Empty means every point follows the one before.
    pub joined: Vec<bool>,
}

impl Line {
    fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.series
            .iter()
            .flat_map(|s| s.values.iter())
            .chain(self.upper.iter())
            .chain(self.lower.iter())
            .chain(self.centre.iter())
            .filter_map(|v| *v)
            .filter(|v| v.is_finite())
    }

    fn axis(&self, target: usize, top: f64, bottom: f64) -> YAxis {
        let high = self.values().fold(0.0, f64::max);
        let low = self.values().fold(0.0, f64::min);
        YAxis { ticks: nice_ticks(low, high, target), top, bottom }
    }

    pub(crate) fn draw(&self, size: Size) -> (f64, String) {
        let mut out = String::new();
        let font = size.font();
        let top = font * 2.2;
        let plot_height = if size == Size::Narrow { 190.0 } else { 250.0 };
        let axis = self.axis(size.ticks(), top, top + plot_height);
        svg::text(&mut out, 0.0, font, "start", &self.unit);
        let bottom = self.panel(&mut out, size, &axis, (axis.label_width(size) + 10.0, size.width() - font), true);
        let key = self.key_entries();
        let height =
            if key.is_empty() { bottom } else { bottom + font * 0.6 + svg::key(&mut out, size, bottom + font * 0.6, &key) };
        (height, out)
    }

    /// Draws the plot between `left` and `right` on `axis`, with x labels under it; gives the
    /// bottom of the labels.
    fn panel(&self, out: &mut String, size: Size, axis: &YAxis, (left, right): (f64, f64), every_label: bool) -> f64 {
        let font = size.font();
        axis.draw(out, size, left, right);
        let n = self.categories.len().max(self.series.iter().map(|s| s.values.len()).max().unwrap_or(0));
        let inset = 8.0;
        let x = |i: usize| {
            if n > 1 { left + inset + (right - left - 2.0 * inset) * i as f64 / (n - 1) as f64 } else { (left + right) / 2.0 }
        };
        let joined = |i: usize| self.joined.get(i).copied().unwrap_or(true);
        let along = |values: &[Option<f64>]| -> String {
            let points: Vec<Option<(f64, f64)>> =
                values.iter().enumerate().map(|(i, v)| v.filter(|v| v.is_finite()).map(|v| (x(i), axis.y(v)))).collect();
            svg::polyline(&points, joined)
        };
        svg::path(out, &along(&self.upper), colour::RED, 2.0, "6 4");
        svg::path(out, &along(&self.lower), colour::RED, 2.0, "6 4");
        svg::path(out, &along(&self.centre), colour::SECONDARY_TEXT, 2.0, "");
        for (s, series) in self.series.iter().enumerate() {
            let look = svg::look(s);
            svg::path(out, &along(&series.values), look.colour, 3.0, look.dash);
            for (i, value) in series.values.iter().enumerate() {
                let Some(value) = value.filter(|v| v.is_finite()) else { continue };
                if s == 0 && self.flagged.get(i).copied().unwrap_or(false) {
                    svg::marker(out, Marker::Diamond, x(i), axis.y(value), 5.0, colour::RED);
                } else {
                    svg::marker(out, look.marker, x(i), axis.y(value), 3.5, look.colour);
                }
            }
        }
        // As many x labels as fit side by side, always the first and the last.
        let baseline = axis.bottom + font * 1.4;
        if n > 0 {
            let widest = self.categories.iter().map(|c| size.text_width(c)).fold(0.0, f64::max) + font;
            let fits = (((right - left) / widest).floor() as usize).max(2);
            let step = if every_label { (n - 1).div_ceil(fits - 1).max(1) } else { n.max(1) };
            for (i, label) in self.categories.iter().enumerate() {
                let last = i + 1 == n;
                // Every step-th label, then the last; one too near the last gives way to it.
                let shown = last || (i.is_multiple_of(step) && (i == 0 || n - 1 - i >= step));
                if shown {
                    let anchor = if i == 0 && n > 1 {
                        "start"
                    } else if last && n > 1 {
                        "end"
                    } else {
                        "middle"
                    };
                    let at = if anchor == "start" {
                        x(i) - inset
                    } else if anchor == "end" {
                        x(i) + inset
                    } else {
                        x(i)
                    };
                    svg::text(out, at, baseline, anchor, label);
                }
            }
        }
        baseline + font * 0.4
    }

    fn key_entries(&self) -> Vec<(KeySample, String)> {
        let mut key = Vec::new();
        if self.series.len() > 1 || self.centre.iter().any(Option::is_some) {
            for (s, series) in self.series.iter().enumerate() {
                let look = svg::look(s);
                key.push((
                    KeySample::Line { colour: look.colour, dash: look.dash, marker: Some(look.marker) },
                    series.name.clone(),
                ));
            }
        }
        if self.centre.iter().any(Option::is_some) {
            key.push((KeySample::Line { colour: colour::SECONDARY_TEXT, dash: "", marker: None }, "Average".to_string()));
        }
        if self.upper.iter().chain(&self.lower).any(Option::is_some) {
            key.push((KeySample::Line { colour: colour::RED, dash: "6 4", marker: None }, "Control limits".to_string()));
        }
        if self.flagged.iter().any(|f| *f) {
            key.push((KeySample::Marker { kind: Marker::Diamond, colour: colour::RED }, self.flag_meaning.clone()));
        }
        key
    }
}

/// Small multiples: one small line chart a panel, all on the same scale so they compare at a
/// glance; one column on a narrow screen, three on a wide one.
#[derive(Debug, Clone, PartialEq)]
pub struct Multiples {
    pub panels: Vec<(String, Line)>,
    pub unit: String,
}

impl Multiples {
    pub(crate) fn draw(&self, size: Size) -> (f64, String) {
        let mut out = String::new();
        let font = size.font();
        let columns = if size == Size::Narrow { 1 } else { 3 };
        let gap = font;
        let panel_width = (size.width() - gap * (columns - 1) as f64) / columns as f64;
        let plot_height = 110.0;
        let high = self.panels.iter().flat_map(|(_, l)| l.values()).fold(0.0, f64::max);
        let low = self.panels.iter().flat_map(|(_, l)| l.values()).fold(0.0, f64::min);
        let ticks = nice_ticks(low, high, 3);
        svg::text(&mut out, 0.0, font, "start", &format!("{} (every panel on the same scale)", self.unit));
        let mut top = font * 2.0;
        let mut row_bottom: f64 = top;
        for (i, (name, line)) in self.panels.iter().enumerate() {
            let column = i % columns;
            if column == 0 && i > 0 {
                top = row_bottom + gap;
            }
            let left = column as f64 * (panel_width + gap);
            let _ = write!(out, "<g>");
            let title_y = top + font;
            let _ = write!(out, "<text x=\"{left:.1}\" y=\"{title_y:.1}\" font-weight=\"bold\">{}</text>", svg::escape(name));
            let axis = YAxis { ticks: ticks.clone(), top: title_y + font * 0.8, bottom: title_y + font * 0.8 + plot_height };
            let bottom =
                line.panel(&mut out, size, &axis, (left + axis.label_width(size) + 8.0, left + panel_width - 4.0), false);
            let _ = write!(out, "</g>");
            row_bottom = row_bottom.max(bottom);
        }
        (row_bottom + 4.0, out)
    }
}
