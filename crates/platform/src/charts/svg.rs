//! Writing SVG: the two drawing sizes, the frame every chart shares (title, description, fonts)
//! and small shapes (markers, dashes, the key).

use std::fmt::Write as _;

use super::colour;

/// The drawing a chart is made for. A drawing is scaled to its box, so its text size on screen
/// is its font size times the box's width over the drawing's: the narrow one is drawn 320 wide
/// and shown up to 640 px, the wide one 720 wide and shown from 641 px up to its own width, so
/// text stays between about 14 and 19 pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Size {
    Narrow,
    Wide,
}

impl Size {
    pub fn width(self) -> f64 {
        match self {
            Size::Narrow => 320.0,
            Size::Wide => 720.0,
        }
    }
    pub fn font(self) -> f64 {
        match self {
            Size::Narrow => 15.0,
            Size::Wide => 17.0,
        }
    }
    /// Roughly how many y ticks fit.
    pub fn ticks(self) -> usize {
        match self {
            Size::Narrow => 4,
            Size::Wide => 6,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Size::Narrow => "narrow",
            Size::Wide => "wide",
        }
    }
    /// About how wide `text` is drawn (Arial and Noto Sans average a little over half an em).
    pub fn text_width(self, text: &str) -> f64 {
        text.chars().count() as f64 * self.font() * 0.56
    }
}

/// Text made safe inside SVG or HTML.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn wrap(size: Size, height: f64, id: &str, title: &str, description: &str, drawing: &str) -> String {
    let id = escape(id);
    // Patterns a drawing defines are named for this chart, so two charts on a page never share an id.
    let drawing = drawing.replace("app-hatch-", &format!("{id}-hatch-"));
    format!(
        "<svg role=\"img\" aria-labelledby=\"{id}-title\" aria-describedby=\"{id}-desc\" width=\"100%\" viewBox=\"0 0 {w} {h:.0}\" \
         xmlns=\"http://www.w3.org/2000/svg\" font-family=\"'Noto Sans', Arial, sans-serif\" font-size=\"{f}\" fill=\"{text}\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{description}</desc>{drawing}</svg>",
        w = size.width(),
        h = height.ceil(),
        f = size.font(),
        text = colour::TEXT,
        title = escape(title),
        description = escape(description),
    )
}

/// How a series is told apart besides its colour.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Look {
    pub colour: &'static str,
    pub dash: &'static str,
    pub marker: Marker,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
    Diamond,
    Cross,
}

pub(crate) fn look(series: usize) -> Look {
    const DASHES: [&str; 5] = ["", "8 4", "2 3", "12 4 2 4", "4 4"];
    const MARKERS: [Marker; 5] = [Marker::Circle, Marker::Square, Marker::Triangle, Marker::Diamond, Marker::Cross];
    let i = series % 5;
    Look { colour: colour::SERIES[i], dash: DASHES[i], marker: MARKERS[i] }
}

pub(crate) fn marker(out: &mut String, kind: Marker, x: f64, y: f64, r: f64, fill: &str) {
    let _ = match kind {
        Marker::Circle => write!(out, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\" fill=\"{fill}\"/>"),
        Marker::Square => {
            write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\"/>",
                x - r,
                y - r,
                2.0 * r,
                2.0 * r
            )
        }
        Marker::Triangle => write!(
            out,
            "<path d=\"M{x:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z\" fill=\"{fill}\"/>",
            y - r * 1.2,
            x + r * 1.1,
            y + r * 0.8,
            x - r * 1.1,
            y + r * 0.8
        ),
        Marker::Diamond => write!(
            out,
            "<path d=\"M{x:.1},{:.1}L{:.1},{y:.1}L{x:.1},{:.1}L{:.1},{y:.1}Z\" fill=\"{fill}\" stroke=\"{}\" stroke-width=\"1.5\"/>",
            y - r * 1.4,
            x + r * 1.4,
            y + r * 1.4,
            x - r * 1.4,
            colour::TEXT
        ),
        Marker::Cross => write!(
            out,
            "<path d=\"M{:.1},{:.1}L{:.1},{:.1}M{:.1},{:.1}L{:.1},{:.1}\" stroke=\"{fill}\" stroke-width=\"3\"/>",
            x - r,
            y - r,
            x + r,
            y + r,
            x - r,
            y + r,
            x + r,
            y - r
        ),
    };
}

pub(crate) fn text(out: &mut String, x: f64, y: f64, anchor: &str, words: &str) {
    let _ = write!(out, "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\">{}</text>", escape(words));
}

pub(crate) fn line(out: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), stroke: &str, width: f64, dash: &str) {
    let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
    let _ = write!(
        out,
        "<line x1=\"{x1:.1}\" y1=\"{y1:.1}\" x2=\"{x2:.1}\" y2=\"{y2:.1}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{dash}/>"
    );
}

/// A path through points, broken at `None`s and wherever `joined` says two neighbours are not.
pub(crate) fn polyline(points: &[Option<(f64, f64)>], joined: impl Fn(usize) -> bool) -> String {
    let mut path = String::new();
    let mut open = false;
    for (i, point) in points.iter().enumerate() {
        let Some((x, y)) = point else {
            open = false;
            continue;
        };
        let command = if open && joined(i) { 'L' } else { 'M' };
        let _ = write!(path, "{command}{x:.1},{y:.1}");
        open = true;
    }
    path
}

pub(crate) fn path(out: &mut String, d: &str, stroke: &str, width: f64, dash: &str) {
    if d.is_empty() {
        return;
    }
    let dash = if dash.is_empty() { String::new() } else { format!(" stroke-dasharray=\"{dash}\"") };
    let _ = write!(out, "<path d=\"{d}\" fill=\"none\" stroke=\"{stroke}\" stroke-width=\"{width}\"{dash}/>");
}

/// One entry of a key drawn under a chart: a sample of the line, marker or fill, then words.
pub(crate) enum KeySample {
    Line {
        colour: &'static str,
        dash: &'static str,
        marker: Option<Marker>,
    },
    Marker {
        kind: Marker,
        colour: &'static str,
    },
    Fill(&'static str),
    /// A fill with a pattern drawn over it (`url(#…)`), as a hatched bar is drawn.
    Hatched(&'static str, &'static str),
}

/// Draws a key from `top`, one entry a line, and gives the height it took.
pub(crate) fn key(out: &mut String, size: Size, top: f64, entries: &[(KeySample, String)]) -> f64 {
    let row = size.font() * 1.6;
    for (i, (sample, words)) in entries.iter().enumerate() {
        let y = top + row * i as f64 + row / 2.0;
        match sample {
            KeySample::Line { colour, dash, marker: m } => {
                line(out, (4.0, y), (36.0, y), colour, 3.0, dash);
                if let Some(m) = m {
                    marker(out, *m, 20.0, y, 4.5, colour);
                }
            }
            KeySample::Marker { kind, colour } => marker(out, *kind, 20.0, y, 5.5, colour),
            KeySample::Hatched(fill, pattern) => {
                swatch(out, size, y, fill);
                swatch(out, size, y, pattern);
            }
            KeySample::Fill(fill) => swatch(out, size, y, fill),
        }
        text(out, 44.0, y + size.font() * 0.35, "start", words);
    }
    row * entries.len() as f64
}

/// A key's sample of a fill, centred on `y`.
fn swatch(out: &mut String, size: Size, y: f64, paint: &str) {
    let _ = write!(
        out,
        "<rect x=\"6\" y=\"{:.1}\" width=\"28\" height=\"{:.1}\" fill=\"{paint}\" stroke=\"{}\"/>",
        y - size.font() * 0.5,
        size.font(),
        colour::SECONDARY_TEXT
    );
}

/// A y axis with gridlines from `left` to `right`: ticks labelled, the unit above them.
pub(crate) struct YAxis {
    pub ticks: Vec<f64>,
    pub top: f64,
    pub bottom: f64,
}

impl YAxis {
    pub fn y(&self, value: f64) -> f64 {
        let (low, high) = (self.ticks[0], self.ticks[self.ticks.len() - 1]);
        self.bottom - (value - low) / (high - low).max(f64::EPSILON) * (self.bottom - self.top)
    }

    pub fn draw(&self, out: &mut String, size: Size, left: f64, right: f64) {
        let step = if self.ticks.len() > 1 { self.ticks[1] - self.ticks[0] } else { 1.0 };
        for tick in &self.ticks {
            let y = self.y(*tick);
            line(out, (left, y), (right, y), if *tick == 0.0 { colour::SECONDARY_TEXT } else { colour::BORDER }, 1.0, "");
            text(out, left - 6.0, y + size.font() * 0.35, "end", &super::tick_label(*tick, step));
        }
    }

    /// How wide the tick labels are.
    pub fn label_width(&self, size: Size) -> f64 {
        let step = if self.ticks.len() > 1 { self.ticks[1] - self.ticks[0] } else { 1.0 };
        self.ticks.iter().map(|t| size.text_width(&super::tick_label(*t, step))).fold(0.0, f64::max)
    }
}
