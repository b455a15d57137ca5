//! The results' charts: the typed report (`sim_core::Report`, read once on the page side from the
//! worker's JSON text) drawn by `report-charts` (web/charts/), the same charts `archsim report
//! --html` draws:
//! latency over time, throughput and errors, utilisation and queue depth, instances (where they
//! change), cost by component and category (when cost is computed), each with the warm-up and the
//! fault periods shaded. Also the list of those fault periods (`F1`, `F2`, ... on the charts).
//!
//! Drawn once when a report arrives; the page keeps the SVG text behind an `Rc`, so re-rendering
//! the page (on every keystroke in the editor) does not copy it. The worker never draws: it stays
//! small and only simulates.

use report_charts::{Chart, Drawn, Key};
use sim_core::Report;
use std::rc::Rc;

/// The width of the charts over time in SVG pixels: about the results column's width at 1280
/// pixels, so the text is drawn close to its size (the CLI's page uses 1080 in a wider column).
pub const WIDTH: u32 = 860;

/// A chart as the page keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    /// `latency`, `throughput`, `utilisation`, `instances`, `cost-by-component`,
    /// `cost-by-category`: the page's element id is `chart-` and this.
    pub id: &'static str,
    pub title: String,
    pub sub: String,
    pub legend: Vec<Key>,
    /// One `<svg>` element.
    pub svg: Rc<str>,
    /// Where time runs along it (charts over time), for the replay's cursor.
    pub time_axis: Option<report_charts::TimeAxis>,
}

impl From<Chart> for Figure {
    fn from(c: Chart) -> Figure {
        Figure {
            id: c.id,
            title: c.title,
            sub: c.sub,
            legend: c.legend,
            svg: c.svg.into(),
            time_axis: c.time_axis,
        }
    }
}

/// The replay's window on a chart over time: its left edge and width, in percent of the chart's
/// width (at least 0.3 %, so a short window stays visible).
pub fn cursor(axis: &report_charts::TimeAxis, window: (f64, f64)) -> (f64, f64) {
    let (a, b) = (axis.percent(window.0), axis.percent(window.1));
    (a, (b - a).max(0.3))
}

/// A chart, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum Shown {
    Figure(Figure),
    Note(String),
}

fn shown(d: Vec<Drawn>) -> Vec<Shown> {
    d.into_iter()
        .map(|d| match d {
            Drawn::Chart(c) => Shown::Figure(c.into()),
            Drawn::Note(n) => Shown::Note(n),
        })
        .collect()
}

/// A fault period as the charts label it.
#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    /// `F1`, `F2`, ...
    pub label: String,
    /// The fault as the scenario wrote it (`crash api_east`).
    pub what: String,
    /// `5:00 to 15:00`, or `from 5:00 to the end`.
    pub when: String,
}

/// Everything the results show as charts.
#[derive(Clone, Debug, PartialEq)]
pub struct Charts {
    /// Latency; throughput and errors (or a note: no time series).
    pub workloads: Vec<Shown>,
    /// Utilisation and queues; instances (or notes).
    pub components: Vec<Shown>,
    /// The fault periods shaded on the charts.
    pub faults: Vec<Fault>,
    /// The cost per month, when computed.
    pub cost_usd: Option<f64>,
    /// The cost bars: by component, by category.
    pub cost: Vec<Figure>,
}

impl Charts {
    /// The charts of a report.
    pub fn of(r: &Report) -> Charts {
        let faults = r
            .faults
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let start = report_charts::fmt_clock(f.start_s);
                Fault {
                    label: format!("F{}", i + 1),
                    what: f.fault.clone(),
                    when: match f.end_s {
                        Some(end) => format!("{start} to {}", report_charts::fmt_clock(end)),
                        None => format!("from {start} to the end"),
                    },
                }
            })
            .collect();
        Charts {
            workloads: shown(report_charts::workload_charts(r, WIDTH)),
            components: shown(report_charts::component_charts(r, WIDTH)),
            faults,
            cost_usd: Some(r.cost.usd_per_month).filter(|c| *c > 0.0),
            cost: report_charts::cost_charts(r)
                .into_iter()
                .map(Figure::from)
                .collect(),
        }
    }

    /// Every chart, in page order.
    pub fn figures(&self) -> impl Iterator<Item = &Figure> {
        self.workloads
            .iter()
            .chain(&self.components)
            .filter_map(|s| match s {
                Shown::Figure(f) => Some(f),
                Shown::Note(_) => None,
            })
            .chain(&self.cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn charts_of(file: &str) -> Charts {
        let e = crate::examples::find(file).unwrap();
        let l = sim_core::load(e.yaml.as_bytes()).unwrap();
        Charts::of(&sim_core::simulate(&l.scenario).unwrap())
    }

    fn ids(c: &Charts) -> Vec<&str> {
        c.figures().map(|f| f.id).collect()
    }

    #[test]
    fn a_failover_gets_every_chart_with_its_fault_shaded() {
        let c = charts_of("dns-ttl-region-failover.yaml");
        assert_eq!(
            ids(&c),
            [
                "latency",
                "throughput",
                "utilisation",
                "instances",
                "cost-by-component",
                "cost-by-category"
            ]
        );
        for f in c.figures().take(4) {
            assert!(f.svg.starts_with("<svg width=\"860\""), "{}", f.id);
            assert!(
                f.svg.contains(r##"opacity="0.13" fill="#D55E00""##),
                "{}: the fault shaded",
                f.id
            );
            assert!(f.legend.iter().any(|k| k.label == "fault F1"), "{}", f.id);
        }
        assert_eq!(c.faults.len(), 1);
        assert_eq!(c.faults[0].label, "F1");
        assert!(c.faults[0].when.contains(" to "), "{:?}", c.faults[0]);
        assert!(c.cost_usd.is_some());
    }

    #[test]
    fn a_steady_run_has_no_instances_chart_and_says_so() {
        let c = charts_of("checkout.yaml");
        assert_eq!(ids(&c), ["latency", "throughput", "utilisation"]);
        assert!(c.faults.is_empty());
        assert!(c.cost.is_empty() && c.cost_usd.is_none());
        assert!(
            matches!(&c.components[1], Shown::Note(n) if n.contains("no instances chart")),
            "{:?}",
            c.components[1]
        );
        let latency = c.figures().next().unwrap();
        assert!(latency.svg.contains("\nlatency (ms)\n"), "the y axis named");
        let labels: Vec<&str> = latency.legend.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(labels, ["checkout p99", "checkout p50", "warm-up"]);
    }
}
