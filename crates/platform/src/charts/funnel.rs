//! Funnel plots: each area's rate against its size, with the limits within which chance alone
//! would keep a rate if every area had the overall rate. Limits narrow as areas grow, so a small
//! area's high rate is not mistaken for a real difference (Spiegelhalter, "Funnel plots for
//! comparing institutional performance", Statistics in Medicine 2005).

use super::svg::{self, KeySample, Marker, Size};
use super::{colour, nice_ticks, tick_label};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Funnel {
    pub points: Vec<FunnelPoint>,
    /// Rates are per this many of the exposure (1,000 residents).
    pub per: f64,
    /// What the rate is ("crimes per 1,000 residents") and what the exposure is ("residents").
    pub unit: String,
    pub exposure_unit: String,
    /// The multiplicative over-dispersion factor φ the comparison found (1 or below for none):
    /// the limits widen by √φ, so areas that vary more than chance alone would make are not all
    /// called different (Spiegelhalter 2005, §5).
    pub dispersion: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunnelPoint {
    pub label: String,
    /// Events counted (crimes) and the exposure they happened in (residents).
    pub events: f64,
    pub exposure: f64,
    pub highlight: bool,
}

/// Two-sided z for 95% and 99.8% limits.
pub const Z_95: f64 = 1.959_964;
pub const Z_998: f64 = 3.090_232;

impl Funnel {
    /// The overall rate: all events over all exposure, times `per`.
    pub fn overall(&self) -> Option<f64> {
        let events: f64 = self.points.iter().map(|p| p.events).sum();
        let exposure: f64 = self.points.iter().map(|p| p.exposure).sum();
        (exposure > 0.0).then(|| events / exposure * self.per)
    }

    /// The rate limits at `exposure` for `z`, by the normal approximation to the Poisson count:
    /// expected count E = overall × exposure, limits (E ± z√E) / exposure; the lower is kept at
    /// or above zero.
    pub fn limits(&self, exposure: f64, z: f64) -> Option<(f64, f64)> {
        let overall = self.overall()? / self.per;
        if exposure <= 0.0 {
            return None;
        }
        let expected = overall * exposure;
        let spread = z * (expected * self.dispersion.max(1.0)).sqrt();
        Some((((expected - spread) / exposure * self.per).max(0.0), (expected + spread) / exposure * self.per))
    }

    /// A point's rate.
    pub fn rate(point: &FunnelPoint, per: f64) -> Option<f64> {
        (point.exposure > 0.0).then(|| point.events / point.exposure * per)
    }

    pub(crate) fn draw(&self, size: Size) -> (f64, String) {
        let mut out = String::new();
        let font = size.font();
        let Some(overall) = self.overall() else { return (font * 2.0, out) };
        let max_exposure = self.points.iter().map(|p| p.exposure).fold(0.0, f64::max);
        let min_exposure = self.points.iter().map(|p| p.exposure).filter(|e| *e > 0.0).fold(f64::MAX, f64::min).min(max_exposure);
        let x_ticks = nice_ticks(0.0, max_exposure, if size == Size::Narrow { 3 } else { 5 });
        let rates: Vec<f64> = self.points.iter().filter_map(|p| Funnel::rate(p, self.per)).collect();
        let outer_at_smallest = self.limits(min_exposure, Z_998).unwrap_or((overall, overall));
        let high = rates.iter().copied().fold(outer_at_smallest.1.min(overall * 3.0), f64::max);
        let top = font * 2.2;
        let plot_height = if size == Size::Narrow { 200.0 } else { 260.0 };
        let axis = svg::YAxis { ticks: nice_ticks(0.0, high, size.ticks()), top, bottom: top + plot_height };
        let left = axis.label_width(size) + 10.0;
        let right = size.width() - font;
        let x_high = x_ticks.last().copied().unwrap_or(1.0).max(f64::EPSILON);
        let x = |e: f64| left + (right - left) * e / x_high;
        svg::text(&mut out, 0.0, font, "start", &self.unit);
        axis.draw(&mut out, size, left, right);
        let x_step = if x_ticks.len() > 1 { x_ticks[1] - x_ticks[0] } else { 1.0 };
        for tick in &x_ticks {
            svg::text(&mut out, x(*tick), axis.bottom + font * 1.3, "middle", &tick_label(*tick, x_step));
        }
        svg::text(&mut out, (left + right) / 2.0, axis.bottom + font * 2.7, "middle", &self.exposure_unit);
        // The limits as curves from the smallest area's size to the largest axis value.
        let samples = 48;
        let start = (min_exposure * 0.8).max(x_high / 200.0);
        let curve = |z: f64, upper: bool| -> String {
            let points: Vec<Option<(f64, f64)>> = (0..=samples)
                .map(|k| {
                    let e = start + (x_high - start) * f64::from(k) / f64::from(samples);
                    let (lo, hi) = self.limits(e, z)?;
                    let v = if upper { hi } else { lo };
                    (v <= axis.ticks[axis.ticks.len() - 1]).then(|| (x(e), axis.y(v)))
                })
                .collect();
            svg::polyline(&points, |_| true)
        };
        svg::path(&mut out, &curve(Z_998, true), colour::RED, 2.0, "6 4");
        svg::path(&mut out, &curve(Z_998, false), colour::RED, 2.0, "6 4");
        svg::path(&mut out, &curve(Z_95, true), colour::ORANGE, 2.0, "2 3");
        svg::path(&mut out, &curve(Z_95, false), colour::ORANGE, 2.0, "2 3");
        svg::line(&mut out, (x(start), axis.y(overall)), (right, axis.y(overall)), colour::SECONDARY_TEXT, 2.0, "");
        for point in &self.points {
            let Some(rate) = Funnel::rate(point, self.per) else { continue };
            if point.highlight {
                svg::marker(&mut out, Marker::Diamond, x(point.exposure), axis.y(rate), 5.0, colour::TEXT);
                let anchor = if x(point.exposure) > (left + right) / 2.0 { "end" } else { "start" };
                let dx = if anchor == "end" { -10.0 } else { 10.0 };
                let _ = std::fmt::Write::write_fmt(
                    &mut out,
                    format_args!(
                        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\" font-weight=\"bold\">{}</text>",
                        x(point.exposure) + dx,
                        axis.y(rate) - 8.0,
                        svg::escape(&point.label)
                    ),
                );
            } else {
                svg::marker(&mut out, Marker::Circle, x(point.exposure), axis.y(rate), 4.0, colour::BLUE);
            }
        }
        let key_top = axis.bottom + font * 3.4;
        let key = [
            (KeySample::Line { colour: colour::SECONDARY_TEXT, dash: "", marker: None }, "Overall rate".to_string()),
            (KeySample::Line { colour: colour::ORANGE, dash: "2 3", marker: None }, "95% limits".to_string()),
            (KeySample::Line { colour: colour::RED, dash: "6 4", marker: None }, "99.8% limits".to_string()),
            (KeySample::Marker { kind: Marker::Diamond, colour: colour::TEXT }, "This area".to_string()),
        ];
        let height = key_top + svg::key(&mut out, size, key_top, &key);
        (height, out)
    }
}
