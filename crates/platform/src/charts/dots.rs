//! Dot plots with intervals: each area's value and its confidence interval on one scale, the
//! area being compared marked apart, and a reference line (the group's average).

use std::fmt::Write as _;

use super::svg::{self, KeySample, Marker, Size};
use super::{colour, nice_ticks, tick_label};
use crate::format::decimal;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dots {
    pub rows: Vec<DotRow>,
    /// A reference value drawn as a line, and its name ("Most similar group average").
    pub reference: Option<(String, f64)>,
    pub unit: String,
    pub places: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DotRow {
    pub label: String,
    pub value: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The area the chart is about: a black diamond and a bold label.
    pub highlight: bool,
}

impl Dots {
    pub(crate) fn draw(&self, size: Size) -> (f64, String) {
        let mut out = String::new();
        let font = size.font();
        let narrow = size == Size::Narrow;
        let label_width = if narrow {
            0.0
        } else {
            self.rows.iter().map(|r| size.text_width(&r.label)).fold(0.0, f64::max).min(size.width() * 0.4) + font
        };
        let values = self
            .rows
            .iter()
            .flat_map(|r| [Some(r.value), r.low, r.high])
            .flatten()
            .chain(self.reference.as_ref().map(|(_, v)| *v))
            .filter(|v| v.is_finite());
        let (low, high) = values.fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(v), hi.max(v)));
        let ticks = if low <= high { nice_ticks(low.min(0.0), high, size.ticks()) } else { nice_ticks(0.0, 1.0, 2) };
        let (first, last) = (ticks[0], ticks[ticks.len() - 1]);
        let left = label_width + font * 0.5;
        let right = size.width() - font * 0.8;
        let x = |v: f64| left + (right - left) * (v - first) / (last - first).max(f64::EPSILON);
        let row = if narrow { font * 2.8 } else { font * 1.8 };
        svg::text(&mut out, left, font, "start", &self.unit);
        let top = font * 1.8;
        let bottom = top + row * self.rows.len() as f64;
        let step = if ticks.len() > 1 { ticks[1] - ticks[0] } else { 1.0 };
        for tick in &ticks {
            svg::line(&mut out, (x(*tick), top), (x(*tick), bottom), colour::BORDER, 1.0, "");
            svg::text(&mut out, x(*tick), bottom + font * 1.3, "middle", &tick_label(*tick, step));
        }
        if let Some((_, value)) = &self.reference {
            svg::line(&mut out, (x(*value), top), (x(*value), bottom), colour::SECONDARY_TEXT, 2.0, "6 4");
        }
        for (i, r) in self.rows.iter().enumerate() {
            let mut y = top + row * i as f64 + row / 2.0;
            let label = format!("{}: {}", r.label, decimal(r.value, self.places));
            let weight = if r.highlight { " font-weight=\"bold\"" } else { "" };
            if narrow {
                let _ = write!(out, "<text x=\"0\" y=\"{:.1}\"{weight}>{}</text>", y - font * 0.4, svg::escape(&label));
                y += font * 0.5;
            } else {
                let _ = write!(
                    out,
                    "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\"{weight}>{}</text>",
                    label_width,
                    y + font * 0.35,
                    svg::escape(&r.label)
                );
            }
            if let (Some(lo), Some(hi)) = (r.low, r.high) {
                svg::line(&mut out, (x(lo), y), (x(hi), y), colour::SECONDARY_TEXT, 2.0, "");
                svg::line(&mut out, (x(lo), y - 5.0), (x(lo), y + 5.0), colour::SECONDARY_TEXT, 2.0, "");
                svg::line(&mut out, (x(hi), y - 5.0), (x(hi), y + 5.0), colour::SECONDARY_TEXT, 2.0, "");
            }
            if r.highlight {
                svg::marker(&mut out, Marker::Diamond, x(r.value), y, 5.0, colour::TEXT);
            } else {
                svg::marker(&mut out, Marker::Circle, x(r.value), y, 5.0, colour::BLUE);
            }
        }
        let mut height = bottom + font * 2.0;
        let mut key = vec![(
            KeySample::Line { colour: colour::SECONDARY_TEXT, dash: "", marker: None },
            "95% confidence interval".to_string(),
        )];
        if self.rows.iter().any(|r| r.highlight) {
            key.push((KeySample::Marker { kind: Marker::Diamond, colour: colour::TEXT }, "This area".to_string()));
        }
        if let Some((name, _)) = &self.reference {
            key.push((KeySample::Line { colour: colour::SECONDARY_TEXT, dash: "6 4", marker: None }, name.clone()));
        }
        height += svg::key(&mut out, size, height, &key);
        (height, out)
    }
}
