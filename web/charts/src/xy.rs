//! Charts of one figure against another, for plans and sweeps: each series a line of points
//! with their intervals drawn as bars, an optional threshold (an SLO's) as a dashed line, and
//! marked points (the chosen plan) drawn larger with a ring. Drawn with plotters like the
//! report's charts ([`crate::draw`]'s palette, fonts and inline SVG).

use crate::draw::{PALETTE, Unit, tick};
use plotters::prelude::*;

/// One point: x, y and its interval on y (`None`: no interval).
#[derive(Clone, Debug, PartialEq)]
pub struct XyPoint {
    pub x: f64,
    pub y: f64,
    pub interval: Option<(f64, f64)>,
    /// Drawn larger, with a ring (the chosen plan).
    pub marked: bool,
}

/// A series: its name (for the legend the page writes) and points, joined by a line when
/// `joined`.
#[derive(Clone, Debug, PartialEq)]
pub struct XySeries {
    pub name: String,
    pub points: Vec<XyPoint>,
    pub joined: bool,
}

/// What the chart shows.
#[derive(Clone, Debug, PartialEq)]
pub struct XyChart {
    pub series: Vec<XySeries>,
    pub x_desc: String,
    pub y_desc: String,
    /// A dashed horizontal line (an SLO's threshold).
    pub threshold: Option<f64>,
    pub width: u32,
    pub height: u32,
}

/// The chart as inline SVG (no `xmlns`, sized by its `viewBox`), or `None` with nothing to draw.
pub fn xy_svg(c: &XyChart) -> Option<String> {
    let all: Vec<&XyPoint> = c.series.iter().flat_map(|s| &s.points).collect();
    if all.is_empty() {
        return None;
    }
    let mut svg = String::new();
    draw(c, &all, &mut svg).ok()?;
    Some(svg.replacen(
        r#" xmlns="http://www.w3.org/2000/svg""#,
        r#" role="img""#,
        1,
    ))
}

fn span(lo: f64, hi: f64) -> (f64, f64) {
    if (hi - lo).abs() < 1e-12 {
        let d = if lo == 0.0 { 1.0 } else { lo.abs() * 0.1 };
        (lo - d, hi + d)
    } else {
        let pad = (hi - lo) * 0.06;
        (lo - pad, hi + pad)
    }
}

fn draw(c: &XyChart, all: &[&XyPoint], svg: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let finite = |v: f64| v.is_finite().then_some(v);
    let xs = all.iter().filter_map(|p| finite(p.x));
    let (x_lo, x_hi) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
    let ys = all.iter().flat_map(|p| {
        let (lo, hi) = p.interval.unwrap_or((p.y, p.y));
        [p.y, lo, hi]
    });
    let ys = ys.chain(c.threshold).filter_map(finite);
    let (y_lo, y_hi) = ys.fold((f64::MAX, f64::MIN), |(a, b), y| (a.min(y), b.max(y)));
    let (x_lo, x_hi) = span(x_lo, x_hi);
    let (y_lo, y_hi) = span(y_lo, y_hi);
    let root = SVGBackend::with_string(svg, (c.width, c.height)).into_drawing_area();
    root.fill(&WHITE)?;
    let ink = RGBColor(60, 60, 60);
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .margin_right(22)
        .x_label_area_size(44)
        .y_label_area_size(74)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
    let fmt = |v: &f64| tick(*v, Unit::Number);
    chart
        .configure_mesh()
        .bold_line_style(RGBColor(225, 225, 225).stroke_width(1))
        .light_line_style(TRANSPARENT)
        .axis_style(RGBColor(170, 170, 170).stroke_width(1))
        .label_style(("sans-serif", 13).into_font().color(&ink))
        .axis_desc_style(("sans-serif", 13).into_font().color(&ink))
        .x_labels(7)
        .y_labels(7)
        .x_label_formatter(&fmt)
        .y_label_formatter(&fmt)
        .x_desc(c.x_desc.as_str())
        .y_desc(c.y_desc.as_str())
        .draw()?;
    if let Some(t) = c.threshold {
        let red = RGBColor(213, 94, 0);
        chart.draw_series(DashedLineSeries::new(
            [(x_lo, t), (x_hi, t)],
            6,
            4,
            red.stroke_width(1),
        ))?;
    }
    for (i, s) in c.series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let pts: Vec<&XyPoint> = s
            .points
            .iter()
            .filter(|p| p.x.is_finite() && p.y.is_finite())
            .collect();
        if s.joined && pts.len() > 1 {
            chart.draw_series(LineSeries::new(
                pts.iter().map(|p| (p.x, p.y)),
                color.stroke_width(2),
            ))?;
        }
        for p in &pts {
            if let Some((lo, hi)) = p.interval.filter(|(a, b)| a.is_finite() && b.is_finite()) {
                // The interval: a vertical line with caps 4 px either side.
                let cap = (x_hi - x_lo) * 4.0 / f64::from(c.width.max(1));
                let style = color.stroke_width(1);
                chart.draw_series([
                    PathElement::new(vec![(p.x, lo), (p.x, hi)], style),
                    PathElement::new(vec![(p.x - cap, lo), (p.x + cap, lo)], style),
                    PathElement::new(vec![(p.x - cap, hi), (p.x + cap, hi)], style),
                ])?;
            }
            chart.draw_series(std::iter::once(Circle::new(
                (p.x, p.y),
                if p.marked { 6 } else { 3 },
                color.filled(),
            )))?;
            if p.marked {
                chart.draw_series(std::iter::once(Circle::new(
                    (p.x, p.y),
                    10,
                    BLACK.stroke_width(2),
                )))?;
            }
        }
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_intervals_thresholds_and_marks_are_drawn() {
        let p = |x, y, m| XyPoint {
            x,
            y,
            interval: Some((y - 1.0, y + 1.0)),
            marked: m,
        };
        let c = XyChart {
            series: vec![XySeries {
                name: "a".into(),
                points: vec![p(1.0, 5.0, false), p(2.0, 7.0, true)],
                joined: true,
            }],
            x_desc: "cost".into(),
            y_desc: "p99".into(),
            threshold: Some(6.0),
            width: 500,
            height: 300,
        };
        let svg = xy_svg(&c).unwrap();
        assert!(
            svg.starts_with("<svg") && !svg.contains("xmlns"),
            "{}",
            &svg[..80]
        );
        assert_eq!(svg.matches("<circle").count(), 3, "two points and one ring");
        assert!(svg.contains("cost") && svg.contains("p99"));
        let empty = XyChart {
            series: vec![],
            ..c
        };
        assert_eq!(xy_svg(&empty), None);
    }
}
