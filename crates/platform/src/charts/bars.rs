//! Horizontal bar charts, grouped or stacked: categories down the side so long names fit on a
//! narrow screen, each bar labelled with its value.

use std::fmt::Write as _;

use super::svg::{self, KeySample, Size};
use super::{Series, colour, nice_ticks, tick_label};
use crate::format::decimal;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bars {
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// Series stacked end to end in one bar, rather than a bar each side by side.
    pub stacked: bool,
    /// What the bars measure ("crimes"), shown on the axis.
    pub unit: String,
    /// Decimal places of the value labels.
    pub places: usize,
    /// A colour for each series where the series carry a meaning of their own (red, amber and
    /// green for delivery status); the chart palette when empty. Hatching still tells them apart.
    pub colours: Vec<&'static str>,
}

/// Hatching for the second and later series, so stacked parts differ by more than colour.
const PATTERNS: [&str; 4] = ["", "url(#app-hatch-1)", "url(#app-hatch-2)", "url(#app-hatch-3)"];

impl Bars {
    pub(crate) fn draw(&self, size: Size) -> (f64, String) {
        let mut out = String::new();
        let font = size.font();
        let series = self.series.len().max(1);
        // Narrow, or a name too long to sit beside its bars in 40% of the width: each category's
        // name sits above its bars; otherwise beside them.
        let longest = self.categories.iter().map(|c| size.text_width(c)).fold(0.0, f64::max);
        let narrow = size == Size::Narrow || longest > size.width() * 0.4;
        // Room on the left for half of the first tick's label, so the "0" is never cut.
        let label_width = if narrow {
            font * 0.5
        } else {
            self.categories.iter().map(|c| size.text_width(c)).fold(0.0, f64::max).min(size.width() * 0.4) + font
        };
        let totals: Vec<f64> = (0..self.categories.len())
            .map(|i| {
                let values = self.series.iter().filter_map(|s| s.values.get(i).copied().flatten());
                if self.stacked { values.sum() } else { values.fold(0.0, f64::max) }
            })
            .collect();
        let high = totals.iter().copied().fold(0.0, f64::max);
        // As many ticks as fit under the bars with room between their labels.
        let room = size.width() - label_width - font * 4.0;
        let fit = (room / (size.text_width(&decimal(high, 0)) + font * 1.5)).floor() as usize;
        let ticks = nice_ticks(0.0, high, fit.clamp(2, size.ticks()));
        let top_value = ticks.last().copied().unwrap_or(1.0).max(f64::EPSILON);
        // Room on the right for the longest value label.
        let value_room = totals.iter().map(|t| size.text_width(&decimal(*t, self.places))).fold(0.0, f64::max) + font * 0.6;
        let left = label_width;
        let right = size.width() - value_room;
        let scale = |v: f64| (right - left) * v / top_value;
        let bar = font * 1.2;
        let bars_each = if self.stacked { 1 } else { series };
        let block = bar * bars_each as f64 + if narrow { font * 1.4 } else { 0.0 } + font * 0.8;
        let _ = write!(out, "{}", hatches());
        svg::text(&mut out, left, font, "start", &self.unit);
        let top = font * 1.8;
        let axis_bottom = top + block * self.categories.len() as f64;
        let step = if ticks.len() > 1 { ticks[1] - ticks[0] } else { 1.0 };
        for tick in &ticks {
            let x = left + scale(*tick);
            svg::line(&mut out, (x, top), (x, axis_bottom), colour::BORDER, 1.0, "");
            if x <= right + 1.0 {
                svg::text(&mut out, x, axis_bottom + font * 1.3, "middle", &tick_label(*tick, step));
            }
        }
        for (i, category) in self.categories.iter().enumerate() {
            let mut y = top + block * i as f64 + font * 0.4;
            if narrow {
                svg::text(&mut out, 0.0, y + font, "start", category);
                y += font * 1.4;
            } else {
                svg::text(&mut out, left - font * 0.5, y + bar * bars_each as f64 / 2.0 + font * 0.35, "end", category);
            }
            let mut start = 0.0;
            for (s, one) in self.series.iter().enumerate() {
                let Some(value) = one.values.get(i).copied().flatten().filter(|v| v.is_finite() && *v >= 0.0) else { continue };
                let look = self.look(s);
                let (x, width, bar_y) = if self.stacked {
                    let x = left + scale(start);
                    start += value;
                    (x, scale(value), y)
                } else {
                    (left, scale(value), y + bar * s as f64)
                };
                let _ = write!(
                    out,
                    "<rect x=\"{x:.1}\" y=\"{bar_y:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                    bar - 2.0,
                    look.colour
                );
                if !PATTERNS[s % 4].is_empty() {
                    let _ = write!(
                        out,
                        "<rect x=\"{x:.1}\" y=\"{bar_y:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{}\"/>",
                        bar - 2.0,
                        PATTERNS[s % 4]
                    );
                }
                if !self.stacked {
                    svg::text(&mut out, x + width + 4.0, bar_y + bar * 0.75, "start", &decimal(value, self.places));
                }
            }
            if self.stacked {
                svg::text(&mut out, left + scale(start) + 4.0, y + bar * 0.75, "start", &decimal(totals[i], self.places));
            }
        }
        let mut height = axis_bottom + font * 1.8;
        if self.series.len() > 1 {
            let entries: Vec<(KeySample, String)> = self
                .series
                .iter()
                .enumerate()
                .map(|(s, one)| {
                    let colour = self.look(s).colour;
                    let sample = if PATTERNS[s % 4].is_empty() {
                        KeySample::Fill(colour)
                    } else {
                        KeySample::Hatched(colour, PATTERNS[s % 4])
                    };
                    (sample, key_words(s, &one.name))
                })
                .collect();
            height += svg::key(&mut out, size, height, &entries);
        }
        (height, out)
    }
}

impl Bars {
    fn look(&self, series: usize) -> svg::Look {
        let mut look = svg::look(series);
        if let Some(colour) = self.colours.get(series) {
            look.colour = colour;
        }
        look
    }
}

fn key_words(series: usize, name: &str) -> String {
    match series % 4 {
        0 => format!("{name} (plain)"),
        1 => format!("{name} (hatched)"),
        2 => format!("{name} (cross-hatched)"),
        _ => format!("{name} (dotted)"),
    }
}

/// White hatching drawn over a series' colour.
fn hatches() -> &'static str {
    "<defs>\
     <pattern id=\"app-hatch-1\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"2\" height=\"6\" fill=\"#ffffff\"/></pattern>\
     <pattern id=\"app-hatch-2\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"2\" height=\"6\" fill=\"#ffffff\"/><rect width=\"6\" height=\"2\" fill=\"#ffffff\"/></pattern>\
     <pattern id=\"app-hatch-3\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\"><circle cx=\"2.5\" cy=\"2.5\" r=\"1.2\" fill=\"#ffffff\"/></pattern>\
     </defs>"
}
