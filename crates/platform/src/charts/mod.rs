//! The chart kit: SVG charts drawn on the server, for pages and documents alike.
//!
//! Every chart carries a title and a description (`role="img"` with `aria-labelledby` and
//! `aria-describedby`) and is shown beside a table of its numbers ([`Table`]). It is drawn twice,
//! for a narrow screen and a wide one, and the page's style shows the one that fits, so labels and
//! ticks stay near body-text size from 320 px to desktop without JavaScript; documents use the
//! wide drawing. Colours are the GOV.UK palette, and every series, limit and flag also differs by
//! marker, dash or words, never by colour alone. Ticks are "nice" (1, 2 or 5 times a power of
//! ten) and axes say their units.

pub mod bars;
pub mod choropleth;
pub mod dots;
pub mod funnel;
pub mod line;
mod svg;
mod table;

pub use bars::Bars;
pub use choropleth::Choropleth;
pub use dots::{DotRow, Dots};
pub use funnel::{Funnel, FunnelPoint};
pub use line::{Line, Multiples};
pub use svg::{Size, escape};
pub use table::{Column, Table};

use crate::format::decimal;

/// GOV.UK colours the kit draws with.
pub mod colour {
    pub const TEXT: &str = "#0b0c0c";
    pub const SECONDARY_TEXT: &str = "#505a5f";
    pub const BORDER: &str = "#b1b4b6";
    pub const BLUE: &str = "#1d70b8";
    pub const RED: &str = "#d4351c";
    pub const ORANGE: &str = "#f47738";
    pub const TURQUOISE: &str = "#28a197";
    pub const PURPLE: &str = "#4c2c92";
    pub const GREEN: &str = "#00703c";
    pub const DARK_BLUE: &str = "#003078";
    /// Series colours in order; each series also has its own marker and dash.
    pub const SERIES: [&str; 5] = [BLUE, ORANGE, TURQUOISE, PURPLE, DARK_BLUE];
}

/// One series of values, in category order; `None` is a gap (not published), never a zero.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

/// What a chart draws.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Line(Line),
    Bars(Bars),
    Dots(Dots),
    Funnel(Funnel),
    Multiples(Multiples),
    Choropleth(Choropleth),
}

/// A chart: its words and what it draws.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    pub title: String,
    /// What the chart shows, in a sentence or two, for people who cannot see it; the numbers
    /// themselves are in the table beside it.
    pub description: String,
    pub body: Body,
}

impl Chart {
    pub fn new(title: impl Into<String>, description: impl Into<String>, body: Body) -> Chart {
        Chart { title: title.into(), description: description.into(), body }
    }

    /// The chart as one SVG drawing of `size`; `id` makes its title and description ids unique
    /// on the page.
    pub fn svg(&self, size: Size, id: &str) -> String {
        let id = format!("{id}-{}", size.name());
        let (height, drawing) = match &self.body {
            Body::Line(line) => line.draw(size),
            Body::Bars(bars) => bars.draw(size),
            Body::Dots(dots) => dots.draw(size),
            Body::Funnel(funnel) => funnel.draw(size),
            Body::Multiples(multiples) => multiples.draw(size),
            Body::Choropleth(map) => map.draw(size),
        };
        svg::wrap(size, height, &id, &self.title, &self.description, &drawing)
    }

    /// The chart for a page: the narrow and the wide drawing, the style showing the one that fits.
    pub fn html(&self, id: &str) -> String {
        format!(
            "<div class=\"app-chart\">{}{}</div>",
            self.svg(Size::Narrow, id).replacen("<svg ", "<svg class=\"app-chart__svg app-chart__svg--narrow\" ", 1),
            self.svg(Size::Wide, id).replacen("<svg ", "<svg class=\"app-chart__svg app-chart__svg--wide\" ", 1)
        )
    }

    /// The text a document gives the chart's picture for people who cannot see it.
    pub fn alternative_text(&self) -> String {
        format!("{}. {}", self.title.trim_end_matches('.'), self.description)
    }
}

/// Axis ticks at "nice" values (1, 2 or 5 times a power of ten) covering `low..=high`, about
/// `target` of them; the first is at or below `low` and the last at or above `high`.
pub fn nice_ticks(low: f64, high: f64, target: usize) -> Vec<f64> {
    let (low, high) = if low.is_finite() && high.is_finite() { (low.min(high), low.max(high)) } else { (0.0, 1.0) };
    let (low, high) = if (high - low).abs() < f64::EPSILON {
        (low - (low.abs() * 0.1).max(1.0), high + (high.abs() * 0.1).max(1.0))
    } else {
        (low, high)
    };
    let step = nice_step((high - low) / target.max(1) as f64);
    let first = (low / step).floor() as i64;
    let last = (high / step).ceil() as i64;
    (first..=last).map(|k| clean(k as f64 * step)).collect()
}

/// The nice step nearest `rough` (so about the number of ticks asked for).
pub fn nice_step(rough: f64) -> f64 {
    if !(rough.is_finite() && rough > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(rough.log10().floor());
    let fraction = rough / power;
    let nice = if fraction < 1.5 {
        1.0
    } else if fraction < 3.0 {
        2.0
    } else if fraction < 7.0 {
        5.0
    } else {
        10.0
    };
    nice * power
}

/// Rounds away floating-point dust (0.30000000000000004 → 0.3).
fn clean(value: f64) -> f64 {
    (value * 1e9).round() / 1e9
}

/// A tick's label: as many decimal places as the step needs, with thousands separators.
pub fn tick_label(value: f64, step: f64) -> String {
    let places = if step >= 1.0 { 0 } else { (-step.log10().floor()) as usize };
    decimal(value, places)
}

#[cfg(test)]
mod tests;
