//! The drawing, with plotters into SVG text meant to sit inline in HTML.
//!
//! Two shapes: a time-series figure ([`Figure`]: one or more panels stacked over a shared time
//! axis, with the warm-up and the fault periods shaded behind the lines) and a horizontal bar
//! chart ([`bars`], for the cost breakdown). Legends are not drawn here: the pages write them in
//! HTML above each chart, where they wrap and read better ([`crate::Key`], from [`Series::label`]).
//! Colours come from the Okabe-Ito palette, which stays distinguishable with colour-blindness;
//! line style (solid, dashed) carries the second dimension (p99 against p50).
//!
//! Text is measured by plotters: natively by an estimate (no fonts compiled in), in the browser by
//! the canvas's `measureText`, so labels fit either way.

use plotters::coord::Shift;
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;
use plotters::style::text_anchor;

/// Series colours, Okabe-Ito without vermillion (kept for faults) and yellow (too light on white).
pub const PALETTE: [RGBColor; 6] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(90, 90, 90),
];
/// Fault periods: Okabe-Ito vermillion, faint.
pub const FAULT: RGBColor = RGBColor(213, 94, 0);
pub const FAULT_ALPHA: f64 = 0.13;
/// The warm-up: grey, fainter still.
pub const WARMUP: RGBColor = RGBColor(120, 120, 120);
pub const WARMUP_ALPHA: f64 = 0.12;

const FONT: &str = "sans-serif";
const INK: RGBColor = RGBColor(60, 60, 60);
const GRID: RGBColor = RGBColor(225, 225, 225);
/// Pixels left of the plot for the y labels and description; the same in every panel so they align.
const Y_AREA: u32 = 74;

/// The colour for the `i`th series, as plotters and as CSS.
pub fn color(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub fn css(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// A shade's colour for a legend key, as CSS: a little stronger than on the chart, since the key
/// is small and sits on the page's background rather than over the plot.
pub fn shade_css(c: RGBColor, alpha: f64) -> String {
    format!("rgba({},{},{},{})", c.0, c.1, c.2, trim(alpha * 1.6, 3))
}

/// What a panel's values are, for the tick labels.
#[derive(Clone, Copy)]
pub enum Unit {
    /// Plain numbers (ms, requests/s, counts); large ones shortened to k and M.
    Number,
    /// A share from 0 to 1, labelled as a percentage.
    Share,
    /// Whole things (instances): only whole ticks are labelled.
    Count,
}

pub struct Series {
    pub label: String,
    pub color: RGBColor,
    pub dashed: bool,
    /// Runs of points (x in seconds from the start of the run); a gap between runs is not drawn.
    pub segments: Vec<Vec<(f64, f64)>>,
}

pub struct Panel {
    /// The y axis description, with its unit.
    pub y_desc: String,
    pub unit: Unit,
    /// A fixed top of the y axis; otherwise a little above the largest value (shares: 100 %, or a
    /// round share above the largest when every value is below 45 %).
    pub y_max: Option<f64>,
    /// Allow a logarithmic y axis when the values span more than two orders of magnitude.
    pub log_ok: bool,
    /// Relative height among the figure's panels.
    pub weight: u32,
    pub series: Vec<Series>,
}

/// A shaded period, labelled at its top left (fault periods: `F1`, `F2`, ...).
#[derive(Clone)]
pub struct Band {
    pub label: String,
    pub start_s: f64,
    pub end_s: f64,
}

pub struct Figure {
    /// The run's length, warm-up included (seconds).
    pub end_s: f64,
    pub warmup_s: f64,
    pub faults: Vec<Band>,
    pub panels: Vec<Panel>,
    pub width: u32,
    pub height: u32,
}

impl Figure {
    /// The time axis's unit: seconds for runs under five minutes, hours from three hours.
    fn time_unit(&self) -> (f64, &'static str) {
        if self.end_s >= 3.0 * 3600.0 {
            (3600.0, "h")
        } else if self.end_s >= 300.0 {
            (60.0, "min")
        } else {
            (1.0, "s")
        }
    }

    fn x(&self, s: f64) -> f64 {
        s / self.time_unit().0
    }

    /// Whether panel `i` is drawn on a logarithmic y axis.
    pub fn log_y(&self, i: usize) -> bool {
        let p = &self.panels[i];
        p.log_ok && {
            let (lo, hi) = positive_range(p);
            hi > 0.0 && hi / lo > 100.0
        }
    }
}

/// Smallest and largest positive value of a panel's series (0, 0 when there are none).
fn positive_range(p: &Panel) -> (f64, f64) {
    let vals = p
        .series
        .iter()
        .flat_map(|s| s.segments.iter().flatten().map(|pt| pt.1))
        .filter(|v| *v > 0.0 && v.is_finite());
    let (mut lo, mut hi) = (f64::INFINITY, 0.0f64);
    for v in vals {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if hi > 0.0 { (lo, hi) } else { (0.0, 0.0) }
}

/// Renders the figure as one `<svg>` element (no XML namespace: it is meant to sit inline in HTML),
/// with where its time axis lies: the plot's left and right edges in SVG pixels.
pub fn figure_svg(fig: &Figure) -> (String, (f64, f64)) {
    let mut svg = String::new();
    let plot = draw_figure(fig, &mut svg).expect("drawing into a String does not fail");
    (inline(svg), plot)
}

/// Drops the `xmlns` attribute (an `http://` URL, and redundant for SVG inside HTML) and lets the
/// page's CSS size the chart from its `viewBox`.
fn inline(svg: String) -> String {
    svg.replacen(
        r#" xmlns="http://www.w3.org/2000/svg""#,
        r#" role="img""#,
        1,
    )
}

fn draw_figure(fig: &Figure, svg: &mut String) -> Result<(f64, f64), Box<dyn std::error::Error>> {
    let mut plot = (0.0, f64::from(fig.width));
    let root = SVGBackend::with_string(svg, (fig.width, fig.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let total: u32 = fig.panels.iter().map(|p| p.weight).sum::<u32>().max(1);
    // The bottom panel carries the time axis's labels and description.
    let axis_px = 44;
    let usable = fig.height.saturating_sub(axis_px);
    let mut rest = root.clone();
    for (i, p) in fig.panels.iter().enumerate() {
        let last = i + 1 == fig.panels.len();
        let area = if last {
            rest.clone()
        } else {
            let h = (usable * p.weight / total) as i32;
            let (top, bottom) = rest.split_vertically(h);
            rest = bottom;
            top
        };
        let (lo, hi) = positive_range(p);
        if fig.log_y(i) {
            // Whole decades around the data, so the axis starts and ends on labelled ticks.
            let lo = 10f64.powf(lo.log10().floor());
            let hi = 10f64.powf(hi.log10().ceil());
            plot = draw_panel(fig, i, &area, last, (lo..hi).log_scale(), lo, hi)?;
        } else {
            let top = match (p.y_max, p.unit) {
                (Some(m), _) => m,
                // Shares show 0-100 % unless every value is small: then up to a round share.
                (None, Unit::Share) => [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
                    .into_iter()
                    .find(|t| hi * 1.1 <= *t)
                    .unwrap_or(1.0),
                (None, _) if hi > 0.0 => hi * 1.08,
                (None, _) => 1.0,
            };
            plot = draw_panel(fig, i, &area, last, 0f64..top, 0.0, top)?;
        }
    }
    root.present()?;
    Ok(plot)
}

/// Draws one panel; returns the plot's left and right edges in pixels (the same for every panel).
#[allow(clippy::too_many_arguments)]
fn draw_panel<Y>(
    fig: &Figure,
    index: usize,
    area: &DrawingArea<SVGBackend, Shift>,
    bottom: bool,
    y_range: Y,
    y_lo: f64,
    y_hi: f64,
) -> Result<(f64, f64), Box<dyn std::error::Error>>
where
    Y: AsRangedCoord<Value = f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let p = &fig.panels[index];
    let x_end = fig.x(fig.end_s).max(1e-9);
    let mut chart = ChartBuilder::on(area)
        .margin_left(8)
        .margin_right(22)
        .margin_top(if index == 0 { 12 } else { 8 })
        .margin_bottom(if bottom { 4 } else { 6 })
        .x_label_area_size(if bottom { 44 } else { 0 })
        .y_label_area_size(Y_AREA)
        .build_cartesian_2d(0f64..x_end, y_range)?;
    let x_desc = format!("time from the start of the run ({})", fig.time_unit().1);
    let unit = p.unit;
    let mut y_labels = if p.weight >= 2 || fig.panels.len() == 1 {
        8
    } else {
        5
    };
    if let Unit::Count = unit {
        // No more ticks than whole numbers, so the steps are whole.
        y_labels = y_labels.min(y_hi.ceil() as usize + 1);
    }
    let y_fmt = move |v: &f64| tick(*v, unit);
    let x_fmt = |v: &f64| tick(*v, Unit::Number);
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(RGBColor(170, 170, 170).stroke_width(1))
        .label_style((FONT, 13).into_font().color(&INK))
        .axis_desc_style((FONT, 13).into_font().color(&INK))
        // Narrow (small) charts get fewer time ticks, so their labels do not crowd.
        .x_labels(if fig.width < 600 { 6 } else { 12 })
        .y_labels(y_labels)
        .y_desc(p.y_desc.as_str())
        .y_label_formatter(&y_fmt)
        .x_label_formatter(&x_fmt);
    if bottom {
        mesh.x_desc(x_desc.as_str());
    }
    mesh.draw()?;

    // Shading: the warm-up, then each fault period (faults with the same period shaded once, so
    // the shade's depth means overlap, not duplicates).
    if fig.warmup_s > 0.0 {
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y_lo), (fig.x(fig.warmup_s), y_hi)],
            WARMUP.mix(WARMUP_ALPHA).filled(),
        )))?;
    }
    let mut merged: Vec<(f64, f64, String)> = Vec::new();
    for b in &fig.faults {
        match merged
            .iter_mut()
            .find(|m| m.0 == b.start_s && m.1 == b.end_s)
        {
            Some(m) => {
                m.2.push(' ');
                m.2.push_str(&b.label);
            }
            None => merged.push((b.start_s, b.end_s, b.label.clone())),
        }
    }
    for (start, end, _) in &merged {
        let (x0, x1) = (fig.x(*start), fig.x(*end));
        // An instant still gets a visible sliver (two pixels or so).
        let x1 = x1.max(x0 + x_end / 500.0);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x0, y_lo), (x1, y_hi)],
            FAULT.mix(FAULT_ALPHA).filled(),
        )))?;
    }

    for s in &p.series {
        for seg in &s.segments {
            let pts: Vec<(f64, f64)> = seg
                .iter()
                .map(|&(x, y)| (fig.x(x), y.clamp(y_lo, y_hi)))
                .collect();
            if s.dashed {
                chart.draw_series(DashedLineSeries::new(pts, 6, 4, s.color.stroke_width(2)))?;
            } else {
                chart.draw_series(LineSeries::new(pts, s.color.stroke_width(2)))?;
            }
        }
    }
    if index == 0 {
        // Fault labels over the lines, at the top of their band; bands starting close together
        // stack their labels.
        let mut placed: Vec<f64> = Vec::new();
        let plot_w = (fig.width - Y_AREA - 30) as f64;
        let near = 40.0 / plot_w * x_end;
        for (start, _, label) in merged {
            let x = fig.x(start);
            let row = placed.iter().filter(|px| (x - **px).abs() < near).count() as i32;
            placed.push(x);
            let style = (FONT, 12).into_font().color(&RGBColor(150, 55, 0));
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y_hi)) + Text::new(label, (4, 3 + 14 * row), style),
            ))?;
        }
    }
    let xs = chart.plotting_area().get_pixel_range().0;
    Ok((f64::from(xs.start), f64::from(xs.end)))
}

/// An axis tick label: shares as percentages; numbers short (1.5k, 2M) and without trailing zeros.
pub fn tick(v: f64, unit: Unit) -> String {
    match unit {
        Unit::Share => format!("{}%", tick(v * 100.0, Unit::Number)),
        Unit::Count if (v - v.round()).abs() > 1e-9 => String::new(),
        Unit::Count => tick(v, Unit::Number),
        Unit::Number => {
            let a = v.abs();
            if a >= 1e6 {
                format!("{}M", trim(v / 1e6, 1))
            } else if a >= 1e4 {
                format!("{}k", trim(v / 1e3, 1))
            } else if a >= 10.0 || a == 0.0 {
                format!("{v:.0}")
            } else if a >= 1.0 {
                trim(v, 1)
            } else if a >= 0.01 {
                trim(v, 2)
            } else {
                trim(v, 4)
            }
        }
    }
}

fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A horizontal bar chart of `(name, value)` in the given order (top to bottom), values labelled
/// at the bar's end with `label`; one `<svg>` element.
pub fn bars(items: &[(String, f64)], x_desc: &str, label: &dyn Fn(f64) -> String) -> String {
    let mut svg = String::new();
    draw_bars(items, x_desc, label, &mut svg).expect("drawing into a String does not fail");
    inline(svg)
}

fn draw_bars(
    items: &[(String, f64)],
    x_desc: &str,
    label: &dyn Fn(f64) -> String,
    svg: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let n = items.len().max(1);
    let height = 70 + 30 * n as u32;
    let longest = items
        .iter()
        .map(|(s, _)| s.chars().count())
        .max()
        .unwrap_or(4) as u32;
    let top = items.iter().map(|i| i.1).fold(0.0f64, f64::max);
    let top = if top > 0.0 { top * 1.2 } else { 1.0 };
    // Category i sits at y = n - 1 - i, so the first item is drawn highest.
    let names: Vec<String> = items.iter().rev().map(|i| i.0.clone()).collect();
    let root = SVGBackend::with_string(svg, (520, height)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .margin(10)
        .margin_right(16)
        .x_label_area_size(40)
        .y_label_area_size(16 + 8 * longest.min(28))
        .build_cartesian_2d(0f64..top, -0.5f64..n as f64 - 0.5)?;
    let y_fmt = |y: &f64| {
        let i = y.round();
        if (y - i).abs() > 1e-6 || i < 0.0 {
            String::new()
        } else {
            names.get(i as usize).cloned().unwrap_or_default()
        }
    };
    let x_fmt = |v: &f64| tick(*v, Unit::Number);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .bold_line_style(GRID.stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(RGBColor(170, 170, 170).stroke_width(1))
        .label_style((FONT, 13).into_font().color(&INK))
        .axis_desc_style((FONT, 13).into_font().color(&INK))
        .y_labels(n + 1)
        .y_label_formatter(&y_fmt)
        .x_labels(6)
        .x_label_formatter(&x_fmt)
        .x_desc(x_desc)
        .draw()?;
    for (k, (_, v)) in items.iter().enumerate() {
        let y = (n - 1 - k) as f64;
        chart.draw_series(std::iter::once(Rectangle::new(
            [(0.0, y - 0.32), (*v, y + 0.32)],
            PALETTE[0].filled(),
        )))?;
        let style = (FONT, 13)
            .into_font()
            .color(&INK)
            .pos(text_anchor::Pos::new(
                text_anchor::HPos::Left,
                text_anchor::VPos::Center,
            ));
        chart.draw_series(std::iter::once(
            EmptyElement::at((*v, y)) + Text::new(label(*v), (5, 0), style),
        ))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(0.0, Unit::Number), "0");
        assert_eq!(tick(250.0, Unit::Number), "250");
        assert_eq!(tick(2.5, Unit::Number), "2.5");
        assert_eq!(tick(2.0, Unit::Number), "2");
        assert_eq!(tick(0.05, Unit::Number), "0.05");
        assert_eq!(tick(15000.0, Unit::Number), "15k");
        assert_eq!(tick(2_500_000.0, Unit::Number), "2.5M");
        assert_eq!(tick(0.75, Unit::Share), "75%");
    }
}
