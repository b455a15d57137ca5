//! Charts of a report, drawn with plotters into SVG text that the page puts inline: latency
//! percentiles per workload (grouped bars) and utilisation per component (horizontal bars).
//! Categories sit on a float axis centred on whole numbers; the label formatter names them.

use crate::view::Report;
use plotters::prelude::*;

/// Series colours (colour-blind safe, from the Okabe-Ito palette).
const COLORS: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
];

const FONT: &str = "sans-serif";

/// The name of category `i` on a float axis, or nothing between categories.
fn category(names: &[String], x: f64) -> String {
    let i = x.round();
    if (x - i).abs() > 1e-6 || i < 0.0 {
        return String::new();
    }
    names.get(i as usize).cloned().unwrap_or_default()
}

/// Latency percentiles (p50 to p99.9) per workload, as grouped bars, in an SVG of `size` pixels.
pub fn latency_svg(report: &Report, size: (u32, u32)) -> String {
    let mut svg = String::new();
    draw_latency(report, size, &mut svg).expect("drawing into a String does not fail");
    svg
}

fn draw_latency(
    report: &Report,
    size: (u32, u32),
    svg: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let workloads: Vec<(&String, [(&str, f64); 5])> = report
        .workloads
        .iter()
        .map(|(n, w)| (n, w.latency_ms.percentiles()))
        .collect();
    let labels: Vec<String> = ["p50", "p90", "p95", "p99", "p99.9"]
        .map(String::from)
        .to_vec();
    let top = workloads
        .iter()
        .flat_map(|(_, ps)| ps.iter().map(|p| p.1))
        .fold(0.0f64, f64::max);
    let top = if top > 0.0 { top * 1.1 } else { 1.0 };
    let n = labels.len() as f64;

    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("End-to-end latency by workload", (FONT, 18))
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(52)
        .build_cartesian_2d(-0.5f64..n - 0.5, 0f64..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(labels.len() + 1)
        .x_label_formatter(&|x| category(&labels, *x))
        .y_desc("ms")
        .y_label_formatter(&|v| format!("{v:.0}"))
        .light_line_style(TRANSPARENT)
        .label_style((FONT, 15))
        .draw()?;
    let k = workloads.len().max(1) as f64;
    let width = 0.8 / k;
    for (j, (name, ps)) in workloads.iter().enumerate() {
        let color = COLORS[j % COLORS.len()];
        let left = |i: usize| i as f64 - 0.4 + j as f64 * width;
        chart
            .draw_series(ps.iter().enumerate().map(|(i, (_, v))| {
                Rectangle::new(
                    [(left(i), 0.0), (left(i) + width * 0.92, *v)],
                    color.filled(),
                )
            }))?
            .label(name.as_str())
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font((FONT, 15))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    root.present()?;
    Ok(())
}

/// Utilisation (share of concurrency slots busy) per component, as horizontal bars from 0 to 1.
pub fn utilization_svg(report: &Report, size: (u32, u32)) -> String {
    let mut svg = String::new();
    draw_utilization(report, size, &mut svg).expect("drawing into a String does not fail");
    svg
}

fn draw_utilization(
    report: &Report,
    size: (u32, u32),
    svg: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    // Top to bottom in name order: the last category is drawn highest.
    let names: Vec<String> = report.components.keys().rev().cloned().collect();
    let values: Vec<f64> = report
        .components
        .values()
        .rev()
        .map(|c| c.utilization)
        .collect();
    let n = names.len().max(1) as f64;
    let longest = names.iter().map(|s| s.chars().count()).max().unwrap_or(4) as u32;

    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("Utilisation by component", (FONT, 18))
        .margin(12)
        .margin_right(28)
        .x_label_area_size(28)
        .y_label_area_size(20 + 8 * longest)
        .build_cartesian_2d(0f64..1f64, -0.5f64..n - 0.5)?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(names.len() + 1)
        .y_label_formatter(&|y| category(&names, *y))
        .x_label_formatter(&|x| format!("{:.0} %", x * 100.0))
        .x_labels(6)
        .light_line_style(TRANSPARENT)
        .label_style((FONT, 15))
        .draw()?;
    chart.draw_series(values.iter().enumerate().map(|(i, v)| {
        let color = if *v >= 0.85 { COLORS[5] } else { COLORS[0] };
        let y = i as f64;
        Rectangle::new([(0.0, y - 0.3), (v.min(1.0), y + 0.3)], color.filled())
    }))?;
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report() -> Report {
        let text = r#"
version: 1
name: two
seed: 1
duration: 20s
components:
  api: { kind: service, concurrency: 4, service_time: { exponential: 10ms }, calls: [ { to: db } ] }
  db: { kind: service, service_time: { exponential: 1ms } }
workloads:
  - { name: web, entry: api, arrivals: { poisson: 50/s } }
  - { name: batch, entry: db, arrivals: { poisson: 20/s } }
"#;
        let l = sim_core::load(text.as_bytes()).unwrap();
        Report::parse(&sim_core::report_json(
            &sim_core::simulate(&l.scenario).unwrap(),
        ))
        .unwrap()
    }

    #[test]
    fn latency_chart_has_a_bar_per_workload_and_percentile_and_names_them() {
        let svg = latency_svg(&report(), (640, 320));
        assert!(svg.starts_with("<svg"), "{svg}");
        // Background, plot area and legend boxes aside, 2 workloads x 5 percentiles.
        assert!(svg.matches("<rect").count() >= 10);
        for label in ["p50", "p99.9", "web", "batch", "ms"] {
            assert!(
                svg.contains(&format!(">\n{label}\n<")),
                "{label} in the chart"
            );
        }
    }

    #[test]
    fn utilization_chart_names_every_component() {
        let svg = utilization_svg(&report(), (640, 200));
        for label in ["api", "db", "40 %"] {
            assert!(
                svg.contains(&format!(">\n{label}\n<")),
                "{label} in the chart"
            );
        }
    }
}
