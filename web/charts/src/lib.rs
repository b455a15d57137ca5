//! # report-charts: the charts of an archsim report, as inline SVG
//!
//! One chart implementation for both front ends: `archsim report --html` (cli/src/html/) puts
//! these charts into its self-contained page, and the browser app (web/) into its results view.
//! The input is the typed report, `sim_core::Report`: what a simulation gives and what
//! `archsim run --json` writes and `sim_core::report::read` reads back (workloads and components
//! in name order). The output is, per chart,
//! an `<svg>` element as text (no XML namespace, as it sits inline in HTML; a `viewBox`, so CSS can
//! scale it to the page) and what the page writes around it in HTML: a title, a sentence saying
//! what is drawn, and the legend ([`Key`]s). Drawn with plotters' SVG backend; no I/O, so it builds natively and
//! for wasm32.
//!
//! - `lib.rs` (this file): what the pages call: [`workload_charts`] (latency; throughput and
//!   errors), [`component_charts`] (utilisation and queue depth; instances), [`cost_charts`]
//!   (cost by component and by category), [`series_chart`] (a small chart of a few given series,
//!   such as one component's windows in the browser app's detail panel), and what they return.
//! - `time.rs`: the run's clock from the time series, the fault periods, series on it.
//! - `draw.rs`: the plotters drawing: stacked time-series panels with the warm-up and faults
//!   shaded, horizontal bars; the palette; tick labels.
//! - `fmt.rs`: formats shared with the pages ([`fmt_clock`], [`fmt_span`], [`fmt_usd`]).
//!
//! A report without windows draws no charts over time (a [`Drawn::Note`] says so); a series
//! shorter than the windows, or a non-finite value, leaves a gap in its line rather than failing.

mod draw;
mod fmt;
mod time;
mod xy;

pub use fmt::{esc, fmt_availability, fmt_clock, fmt_span, fmt_usd};
/// The `i`th series colour as CSS (for legends written in HTML).
pub fn css_color(i: usize) -> String {
    draw::css(draw::color(i))
}

pub use xy::{XyChart, XyPoint, XySeries, xy_svg};

use draw::{Figure, Panel, Series, Unit};
use sim_core::Report;
use time::{Time, any};

/// The width of the CLI page's charts over time, in SVG pixels (the page scales them to fit).
pub const WIDTH: u32 = 1080;

/// One chart, ready to put on a page.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// A stable name for the page's element ids and tests: `latency`, `throughput`, `utilisation`,
    /// `instances`, `cost-by-component`, `cost-by-category`.
    pub id: &'static str,
    /// The chart's heading (plain text).
    pub title: String,
    /// What is drawn, in a sentence or two (plain text; it may contain `'`).
    pub sub: String,
    /// The legend, for the page to write above the chart (empty for the cost bars).
    pub legend: Vec<Key>,
    /// One `<svg>` element.
    pub svg: String,
    /// Where time runs along the chart, for a page to mark a moment on it (none for bar charts).
    pub time_axis: Option<TimeAxis>,
}

/// A chart's time axis in its SVG's pixels: time 0 at `x0`, the end of the run (`end_s`,
/// seconds) at `x1`, of an SVG `width` pixels wide (it scales with the SVG).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeAxis {
    pub x0: f64,
    pub x1: f64,
    pub width: f64,
    pub end_s: f64,
}

impl TimeAxis {
    /// Where time `t` (seconds) lies, as a percentage of the chart's width.
    pub fn percent(&self, t: f64) -> f64 {
        let t = t.clamp(0.0, self.end_s);
        (self.x0 + (self.x1 - self.x0) * t / self.end_s.max(1e-9)) / self.width * 100.0
    }
}

/// One entry of a legend.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub label: String,
    /// A CSS colour: the line's (`#0072B2`), or the shade's with its opacity (`rgba(...)`).
    pub color: String,
    pub mark: Mark,
}

/// How a legend key is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// A solid line (p99, throughput, utilisation, ...).
    Line,
    /// A dashed line (p50).
    Dashed,
    /// The grey shade of the warm-up.
    Warmup,
    /// The vermillion shade of the fault periods (`F1`, `F2`, ... on the chart, in the report's
    /// order of `faults`).
    Faults,
}

/// A chart, or a sentence saying why there is none where a page would put it.
#[derive(Clone, Debug, PartialEq)]
pub enum Drawn {
    Chart(Chart),
    Note(String),
}

/// A figure with its title and explanation, drawn, with its legend.
fn chart(id: &'static str, title: &str, sub: String, fig: &Figure) -> Drawn {
    Drawn::Chart(drawn(id, title, sub, fig))
}

fn drawn(id: &'static str, title: &str, sub: String, fig: &Figure) -> Chart {
    let mut legend: Vec<Key> = Vec::new();
    for s in fig.panels.iter().flat_map(|p| &p.series) {
        if legend.iter().any(|k| k.label == s.label) {
            continue;
        }
        legend.push(Key {
            label: s.label.clone(),
            color: draw::css(s.color),
            mark: if s.dashed { Mark::Dashed } else { Mark::Line },
        });
    }
    if fig.warmup_s > 0.0 {
        legend.push(Key {
            label: "warm-up".into(),
            color: draw::shade_css(draw::WARMUP, draw::WARMUP_ALPHA),
            mark: Mark::Warmup,
        });
    }
    if !fig.faults.is_empty() {
        legend.push(Key {
            label: match fig.faults.len() {
                1 => "fault F1".to_string(),
                n => format!("faults F1–F{n}"),
            },
            color: draw::shade_css(draw::FAULT, draw::FAULT_ALPHA),
            mark: Mark::Faults,
        });
    }
    let (svg, (x0, x1)) = draw::figure_svg(fig);
    Chart {
        id,
        title: title.into(),
        sub,
        legend,
        svg,
        time_axis: Some(TimeAxis {
            x0,
            x1,
            width: f64::from(fig.width),
            end_s: fig.end_s,
        }),
    }
}

/// The workloads' charts over time, `width` SVG pixels wide ([`WIDTH`] on the CLI's page):
/// latency (p99 and p50 per workload; a logarithmic axis when they span more than two orders of
/// magnitude), then throughput with, when any request failed, errors below it. A note instead when
/// the report has no time series; nothing when it has no workloads.
pub fn workload_charts(r: &Report, width: u32) -> Vec<Drawn> {
    if r.workloads.is_empty() {
        return Vec::new();
    }
    let Some(t) = Time::of(r) else {
        return vec![Drawn::Note(
            "no time series in this report: no charts over time".into(),
        )];
    };
    let mut latency = Vec::new();
    let mut done = Vec::new();
    let mut failed = Vec::new();
    let none: &[f64] = &[];
    for (i, name) in r.workloads.keys().enumerate() {
        let s = r.timeseries.workloads.get(name);
        let get = |f: fn(&sim_core::report::WorkloadSeries) -> &[f64]| s.map_or(none, f);
        let color = draw::color(i);
        let line = |label: String, dashed: bool, segments| Series {
            label,
            color,
            dashed,
            segments,
        };
        let positive = |v: f64| v > 0.0;
        let all = |_: f64| true;
        latency.push(line(
            format!("{name} p99"),
            false,
            t.at_mids(get(|s| &s.p99_ms), positive),
        ));
        latency.push(line(
            format!("{name} p50"),
            true,
            t.at_mids(get(|s| &s.p50_ms), positive),
        ));
        done.push(line(
            name.to_string(),
            false,
            t.at_mids(get(|s| &s.throughput_rps), all),
        ));
        failed.push(line(
            name.to_string(),
            false,
            t.at_mids(get(|s| &s.errors_rps), all),
        ));
    }
    let lat_fig = t.figure(
        vec![Panel {
            y_desc: "latency (ms)".into(),
            unit: Unit::Number,
            y_max: None,
            log_ok: true,
            weight: 1,
            series: latency,
        }],
        width,
        360,
    );
    let scale = if lat_fig.log_y(0) {
        " The y axis is logarithmic: the values span more than two orders of magnitude."
    } else {
        ""
    };
    let mut out = vec![chart(
        "latency",
        "Latency over time",
        format!(
            "p99 (solid) and p50 (dashed) of the requests completed in each {} window; gaps where none completed.{scale}",
            fmt_span(r.timeseries.window_s)
        ),
        &lat_fig,
    )];
    let any_errors = failed
        .iter()
        .any(|s| s.segments.iter().flatten().any(|p| p.1 > 0.0));
    let mut panels = vec![Panel {
        y_desc: "completed (req/s)".into(),
        unit: Unit::Number,
        y_max: None,
        log_ok: false,
        weight: 3,
        series: done,
    }];
    if any_errors {
        panels.push(Panel {
            y_desc: "failed (req/s)".into(),
            unit: Unit::Number,
            y_max: None,
            log_ok: false,
            weight: 2,
            series: failed,
        });
    }
    let (sub, height) = if any_errors {
        (
            "Completed requests per second (top) and failed requests per second (bottom), per workload.",
            440,
        )
    } else {
        (
            "Completed requests per second, per workload. No request failed in any window.",
            300,
        )
    };
    out.push(chart(
        "throughput",
        "Throughput and errors over time",
        sub.into(),
        &t.figure(panels, width, height),
    ));
    out
}

/// The components' charts over time, `width` SVG pixels wide: utilisation (components ever at
/// least 0.5 % busy) above queue depth (components whose queue was ever non-empty), then instances
/// (components whose count changed, and functions); a note in place of either when nothing
/// qualifies. Nothing when the report has no components or no time series. A component keeps its
/// colour across both charts.
pub fn component_charts(r: &Report, width: u32) -> Vec<Drawn> {
    let cs = &r.components;
    let Some(t) = Time::of(r).filter(|_| !cs.is_empty()) else {
        return Vec::new();
    };
    use sim_core::report::ComponentSeries;
    let none: &[f64] = &[];
    let get = |name: &str, f: fn(&ComponentSeries) -> &[f64]| {
        r.timeseries.components.get(name).map_or(none, f)
    };
    fn utilization(s: &ComponentSeries) -> &[f64] {
        &s.utilization
    }
    fn queue(s: &ComponentSeries) -> &[f64] {
        &s.queued
    }
    fn instances(s: &ComponentSeries) -> &[f64] {
        &s.instances
    }
    let busy: Vec<&str> = cs
        .keys()
        .map(String::as_str)
        // Below half a percent busy a line is indistinguishable from the axis: the table says it.
        .filter(|n| any(get(n, utilization), |v| v >= 0.005))
        .collect();
    let queued: Vec<&str> = cs
        .keys()
        .map(String::as_str)
        .filter(|n| any(get(n, queue), |v| v > 0.0))
        .collect();
    let scaled: Vec<&str> = cs
        .iter()
        .filter(|(n, c)| {
            let v = get(n, instances);
            let changes = v
                .iter()
                .filter(|x| x.is_finite())
                .any(|x| Some(x) != v.first());
            changes || (c.kind == "function" && !v.is_empty())
        })
        .map(|(n, _)| n.as_str())
        .collect();
    // One colour per component across the charts.
    let mut shown: Vec<&str> = Vec::new();
    for n in busy.iter().chain(&queued).chain(&scaled) {
        if !shown.contains(n) {
            shown.push(n);
        }
    }
    shown.sort_unstable();
    let color = |n: &str| draw::color(shown.iter().position(|s| *s == n).unwrap_or(0));
    let line = |n: &str, segments| Series {
        label: n.to_string(),
        color: color(n),
        dashed: false,
        segments,
    };
    let mut out = Vec::new();
    if busy.is_empty() && queued.is_empty() {
        out.push(Drawn::Note("no component's utilisation rose above 0.5 % in any window and no request waited for a slot: no utilisation chart".into()));
    } else {
        let mut panels = Vec::new();
        if !busy.is_empty() {
            panels.push(Panel {
                y_desc: "busy slots (%)".into(),
                unit: Unit::Share,
                y_max: None,
                log_ok: false,
                weight: 3,
                series: busy
                    .iter()
                    .map(|n| line(n, t.at_mids(get(n, utilization), |_| true)))
                    .collect(),
            });
        }
        if !queued.is_empty() {
            panels.push(Panel {
                y_desc: "waiting requests".into(),
                unit: Unit::Number,
                y_max: None,
                log_ok: false,
                weight: 2,
                series: queued
                    .iter()
                    .map(|n| line(n, t.steps(get(n, queue))))
                    .collect(),
            });
        }
        let sub = match (busy.is_empty(), queued.is_empty()) {
            (false, false) => {
                "Share of concurrency slots busy in each window (top) and requests waiting for a slot at each window's end (bottom, components whose queue was ever non-empty)."
            }
            (false, true) => {
                "Share of concurrency slots busy in each window; no request ever waited for a slot."
            }
            _ => "Requests waiting for a slot at each window's end.",
        };
        let h = if panels.len() == 2 { 440 } else { 320 };
        out.push(chart(
            "utilisation",
            "Utilisation and queues over time",
            sub.into(),
            &t.figure(panels, width, h),
        ));
    }
    if scaled.is_empty() {
        out.push(Drawn::Note(
            "no component changed its number of instances during the run: no instances chart"
                .into(),
        ));
    } else {
        let fig = t.figure(
            vec![Panel {
                y_desc: "instances up".into(),
                unit: Unit::Count,
                y_max: Some(
                    scaled
                        .iter()
                        .flat_map(|n| get(n, instances).iter().copied())
                        .filter(|v| v.is_finite())
                        .fold(1.0f64, f64::max)
                        * 1.15,
                ),
                log_ok: false,
                weight: 1,
                series: scaled
                    .iter()
                    .map(|n| line(n, t.steps(get(n, instances))))
                    .collect(),
            }],
            width,
            300,
        );
        out.push(chart(
            "instances",
            "Instances over time",
            "Instances up at each window's end, for components whose count changed (autoscaling, crashes, outages, reclaims) and for functions.".into(),
            &fig,
        ));
    }
    out
}

/// Where a series' values sit on the run's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    /// A figure of the whole window (a mean, a rate): drawn at the window's midpoint, with gaps
    /// where a value is missing.
    Windows,
    /// A state at the window's end (queued, instances up, lag): drawn as steps.
    Ends,
}

/// What a [`SeriesChart`]'s values are, for its y axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// Plain numbers (requests, ms, per second); the axis starts at 0.
    Number,
    /// Shares from 0 to 1, labelled as percentages.
    Share,
    /// Whole things (instances): whole ticks, the axis a little above the largest count.
    Count,
}

/// One line of a [`SeriesChart`]: a value per time-series window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Line<'a> {
    pub label: &'a str,
    pub values: &'a [f64],
    pub at: At,
}

/// A small chart of a few series over the run's clock, such as one component's windows.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesChart<'a> {
    /// The [`Chart::id`] it gets.
    pub id: &'static str,
    pub title: &'a str,
    pub sub: String,
    /// The y axis description, with its unit.
    pub y_desc: &'a str,
    pub scale: Scale,
    /// Drawn in the palette's order.
    pub lines: Vec<Line<'a>>,
}

/// Draws `spec` over the report's clock, `width` by `height` SVG pixels, with the warm-up and the
/// fault periods shaded and labelled as on the other charts over time. `None` when the report has
/// no time series. Narrow charts (under 600 pixels) get fewer time ticks.
pub fn series_chart(r: &Report, spec: &SeriesChart, width: u32, height: u32) -> Option<Chart> {
    let t = Time::of(r)?;
    let unit = match spec.scale {
        Scale::Number => Unit::Number,
        Scale::Share => Unit::Share,
        Scale::Count => Unit::Count,
    };
    let y_max = (spec.scale == Scale::Count).then(|| {
        spec.lines
            .iter()
            .flat_map(|l| l.values.iter().copied())
            .filter(|v| v.is_finite())
            .fold(1.0f64, f64::max)
            * 1.15
    });
    let series = spec
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| Series {
            label: l.label.to_string(),
            color: draw::color(i),
            dashed: false,
            segments: match l.at {
                At::Windows => t.at_mids(l.values, |_| true),
                At::Ends => t.steps(l.values),
            },
        })
        .collect();
    let panel = Panel {
        y_desc: spec.y_desc.to_string(),
        unit,
        y_max,
        log_ok: false,
        weight: 1,
        series,
    };
    Some(drawn(
        spec.id,
        spec.title,
        spec.sub.clone(),
        &t.figure(vec![panel], width, height),
    ))
}

/// A cost map's entries as `(name, USD per month)`, largest first; non-finite ones left out.
fn cost_items(m: &std::collections::BTreeMap<String, f64>) -> Vec<(String, f64)> {
    let mut items: Vec<(String, f64)> = m
        .iter()
        .filter(|(_, v)| v.is_finite())
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    items.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    items
}

/// The cost breakdown as horizontal bars in USD per month, largest first: by component, then by
/// category (`cost.by_component`, `cost.by_category`), each when the report has it. Nothing when
/// cost was not computed.
pub fn cost_charts(r: &Report) -> Vec<Chart> {
    let c = &r.cost;
    [
        ("cost-by-component", "By component", &c.by_component),
        ("cost-by-category", "By category", &c.by_category),
    ]
    .into_iter()
    .filter_map(|(id, title, map)| {
        let items = cost_items(map);
        (!items.is_empty()).then(|| Chart {
            id,
            title: title.into(),
            sub: "USD per month".into(),
            legend: Vec::new(),
            svg: draw::bars(&items, "USD per month", &fmt_usd),
            time_axis: None,
        })
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_for_html() {
        assert_eq!(esc("<a & 'b'>"), "&lt;a &amp; &#39;b&#39;&gt;");
        assert_eq!(esc(r#"x="1""#), "x=&quot;1&quot;");
    }

    #[test]
    fn a_time_axis_places_moments_inside_the_plot() {
        let a = TimeAxis {
            x0: 80.0,
            x1: 840.0,
            width: 860.0,
            end_s: 600.0,
        };
        assert!((a.percent(0.0) - 80.0 / 8.6).abs() < 1e-9);
        assert!((a.percent(600.0) - 840.0 / 8.6).abs() < 1e-9);
        assert!((a.percent(300.0) - 460.0 / 8.6).abs() < 1e-9);
        assert_eq!(a.percent(-5.0), a.percent(0.0));
        assert_eq!(a.percent(1e9), a.percent(600.0));
    }
    use sim_core::report::{ComponentSeries, FaultReport, WorkloadSeries};

    /// A simulated report of one service and one workload, to build test reports from.
    fn simulated() -> Report {
        let file = b"version: 1\nname: t\nseed: 1\nduration: 5s\n\
            components: { api: { kind: service, service_time: { exponential: 10ms } } }\n\
            workloads: [ { name: web, entry: api, arrivals: { poisson: 20/s } } ]\n";
        sim_core::simulate(&sim_core::load(file).unwrap().scenario).unwrap()
    }

    fn workload(p50: [f64; 3], p99: [f64; 3], done: [f64; 3], failed: [f64; 3]) -> WorkloadSeries {
        WorkloadSeries {
            throughput_rps: done.into(),
            errors_rps: failed.into(),
            p50_ms: p50.into(),
            p99_ms: p99.into(),
            availability: vec![1.0; 3],
            burn_rate: vec![0.0; 3],
        }
    }

    fn component(utilization: [f64; 3], queued: [f64; 3], instances: [f64; 3]) -> ComponentSeries {
        ComponentSeries {
            utilization: utilization.into(),
            in_system: vec![0.0; 3],
            queued: queued.into(),
            instances: instances.into(),
            rejected_rps: vec![0.0; 3],
            failed_rps: vec![0.0; 3],
            hit_ratio: None,
            lag_ms: None,
        }
    }

    /// A small report: two workloads, three windows of 10 s after a 10 s warm-up, one fault, a
    /// scaled component and a queue (a window where nothing completed has no latency: NaN).
    fn report() -> Report {
        let mut r = simulated();
        (r.simulated_s, r.warmup_s) = (20.0, 10.0);
        let w = r.workloads["web"].clone();
        r.workloads = [("web".to_string(), w.clone()), ("batch".to_string(), w)].into();
        let c = r.components["api"].clone();
        let of_kind = |n: &str, k: &str| {
            let mut c = c.clone();
            c.kind = k.into();
            (n.to_string(), c)
        };
        r.components = [
            of_kind("api", "service"),
            of_kind("fn", "function"),
            of_kind("idle", "service"),
        ]
        .into();
        r.faults = vec![FaultReport {
            fault: "crash api".into(),
            start_s: 12.0,
            end_s: Some(18.0),
        }];
        let ts = &mut r.timeseries;
        ts.window_s = 10.0;
        ts.start_s = vec![0.0, 10.0, 20.0];
        let nan = f64::NAN;
        ts.workloads = [
            (
                "web".to_string(),
                workload(
                    [5.0, 6.0, 5.5],
                    [20.0, 90.0, 25.0],
                    [50.0, 40.0, 50.0],
                    [0.0, 3.0, 0.0],
                ),
            ),
            (
                "batch".to_string(),
                workload(
                    [1.0, nan, 1.0],
                    [2.0, nan, 2.5],
                    [10.0, 0.0, 10.0],
                    [0.0; 3],
                ),
            ),
        ]
        .into();
        ts.components = [
            (
                "api".to_string(),
                component([0.4, 0.9, 0.5], [0.0, 7.0, 0.0], [2.0, 1.0, 2.0]),
            ),
            ("fn".to_string(), component([0.1; 3], [0.0; 3], [1.0; 3])),
            ("idle".to_string(), component([0.0; 3], [0.0; 3], [1.0; 3])),
        ]
        .into();
        r.cost.usd_per_month = 30.0;
        r.cost.by_component = [("api".to_string(), 20.0), ("fn".to_string(), 10.0)].into();
        r.cost.by_category = [("compute".to_string(), 30.0)].into();
        r
    }

    fn charts(d: Vec<Drawn>) -> Vec<Chart> {
        d.into_iter()
            .filter_map(|d| match d {
                Drawn::Chart(c) => Some(c),
                Drawn::Note(_) => None,
            })
            .collect()
    }

    #[test]
    fn workloads_get_latency_and_throughput_with_the_fault_and_warm_up_shaded() {
        let cs = charts(workload_charts(&report(), WIDTH));
        let ids: Vec<&str> = cs.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["latency", "throughput"]);
        for c in &cs {
            assert!(c.svg.starts_with("<svg width=\"1080\""), "{}", &c.svg[..60]);
            assert!(!c.svg.contains("http://"), "no namespace: inline in HTML");
            assert!(
                c.svg.contains(r##"opacity="0.13" fill="#D55E00""##),
                "fault"
            );
            assert!(
                c.svg.contains(r##"opacity="0.12" fill="#787878""##),
                "warm-up"
            );
            let marks: Vec<Mark> = c.legend.iter().map(|k| k.mark).collect();
            assert!(marks.ends_with(&[Mark::Warmup, Mark::Faults]), "{marks:?}");
            // The time axis says where the fault's shade begins (12 s of a 30 s run).
            let a = c.time_axis.expect("a chart over time");
            assert!(
                0.0 < a.x0 && a.x0 < a.x1 && a.x1 < a.width && a.end_s == 30.0,
                "{a:?}"
            );
            let shade = c.svg.find(r##"opacity="0.13" fill="#D55E00""##).unwrap();
            let rect = &c.svg[c.svg[..shade].rfind("<rect").unwrap()..shade];
            let x: f64 = rect
                .split("x=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            assert!(
                (x - a.percent(12.0) * a.width / 100.0).abs() <= 1.0,
                "{x} {a:?}"
            );
        }
        let labels: Vec<&str> = cs[0].legend.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "batch p99",
                "batch p50",
                "web p99",
                "web p50",
                "warm-up",
                "fault F1"
            ]
        );
        assert_eq!(cs[0].legend[1].mark, Mark::Dashed);
        assert_eq!(cs[0].legend[5].color, "rgba(213,94,0,0.208)");
        assert!(cs[0].sub.contains("each 10 s window"));
        assert!(cs[1].sub.contains("failed requests"), "errors drawn");
    }

    #[test]
    fn components_get_utilisation_queues_and_instances() {
        let cs = charts(component_charts(&report(), 800));
        assert_eq!(cs.len(), 2);
        let (util, inst) = (&cs[0], &cs[1]);
        assert_eq!(util.id, "utilisation");
        assert!(util.svg.starts_with("<svg width=\"800\""));
        assert!(util.sub.contains("waiting for a slot"), "a queue panel");
        let labels: Vec<&str> = util.legend.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(
            labels,
            ["api", "fn", "warm-up", "fault F1"],
            "idle left out"
        );
        // api scaled, fn is a function.
        let labels: Vec<&str> = inst.legend.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(labels, ["api", "fn", "warm-up", "fault F1"]);
        assert_eq!(util.legend[0].color, inst.legend[0].color);
    }

    #[test]
    fn nothing_to_draw_gives_notes() {
        let mut r = report();
        let idle = r.timeseries.components["idle"].clone();
        for c in ["api", "fn"] {
            r.timeseries.components.insert(c.into(), idle.clone());
        }
        r.components.get_mut("fn").unwrap().kind = "service".into();
        let d = component_charts(&r, WIDTH);
        assert!(
            matches!(&d[..], [Drawn::Note(a), Drawn::Note(b)] if a.contains("no utilisation chart") && b.contains("no instances chart")),
            "{d:?}"
        );
        // No windows: no time series.
        let mut sparse = report();
        sparse.timeseries.start_s.clear();
        assert!(
            matches!(&workload_charts(&sparse, WIDTH)[..], [Drawn::Note(n)] if n.contains("no time series"))
        );
        assert!(component_charts(&sparse, WIDTH).is_empty());
        let mut empty = report();
        empty.workloads.clear();
        assert!(workload_charts(&empty, WIDTH).is_empty());
        empty.cost.by_component.clear();
        empty.cost.by_category.clear();
        assert!(cost_charts(&empty).is_empty());
    }

    #[test]
    fn a_series_chart_draws_given_lines_over_the_clock_with_the_shading() {
        let r = report();
        let failed = [0.0, 3.0, 0.0];
        let rejected = [1.0, 2.0, 0.5];
        let spec = SeriesChart {
            id: "component",
            title: "Failed and rejected",
            sub: "per second".into(),
            y_desc: "req/s",
            scale: Scale::Number,
            lines: vec![
                Line {
                    label: "failed/s",
                    values: &failed,
                    at: At::Windows,
                },
                Line {
                    label: "rejected/s",
                    values: &rejected,
                    at: At::Windows,
                },
            ],
        };
        let c = series_chart(&r, &spec, 420, 170).unwrap();
        assert_eq!(
            (c.id, c.title.as_str()),
            ("component", "Failed and rejected")
        );
        assert!(
            c.svg.starts_with("<svg width=\"420\" height=\"170\""),
            "{}",
            &c.svg[..60]
        );
        assert!(
            c.svg.contains(r##"opacity="0.13" fill="#D55E00""##),
            "fault"
        );
        assert!(
            c.svg.contains(r##"opacity="0.12" fill="#787878""##),
            "warm-up"
        );
        assert!(c.svg.contains("\nF1\n"), "the fault labelled");
        assert!(c.svg.contains("\nreq/s\n"), "the y axis named");
        let labels: Vec<&str> = c.legend.iter().map(|k| k.label.as_str()).collect();
        assert_eq!(labels, ["failed/s", "rejected/s", "warm-up", "fault F1"]);
        assert_eq!(c.legend[0].color, "#0072B2");
        assert_eq!(c.legend[1].color, "#E69F00");
        // Both lines drawn, in their colours (the axes are 1 pixel wide).
        let line = |svg: &str, color: &str| {
            svg.matches(&format!(r#"stroke="{color}" stroke-width="2""#))
                .count()
        };
        assert_eq!((line(&c.svg, "#0072B2"), line(&c.svg, "#E69F00")), (1, 1));

        // Narrow charts get about half the time ticks of wide ones.
        let ticks = |svg: &str| svg.matches("<text").count();
        let wide = series_chart(&r, &spec, 1080, 170).unwrap();
        assert!(
            ticks(&c.svg) < ticks(&wide.svg),
            "{} {}",
            ticks(&c.svg),
            ticks(&wide.svg)
        );
    }

    #[test]
    fn a_series_chart_steps_states_and_counts_whole_instances() {
        let r = report();
        let inst = r.timeseries.components["api"].instances.clone();
        let spec = SeriesChart {
            id: "component",
            title: "Instances up",
            sub: String::new(),
            y_desc: "instances",
            scale: Scale::Count,
            lines: vec![Line {
                label: "api",
                values: &inst,
                at: At::Ends,
            }],
        };
        let c = series_chart(&r, &spec, 420, 170).unwrap();
        // Steps: two points per window (its start and end at the previous window's value) and
        // the last value at the end, so 3 windows give 7 points.
        let line = &c.svg[c
            .svg
            .find(r##"stroke="#0072B2" stroke-width="2""##)
            .unwrap()..];
        let points = &line[line.find("points=\"").unwrap() + 8..];
        let points = &points[..points.find('"').unwrap()];
        assert_eq!(points.split_whitespace().count(), 7, "{points}");
        // Whole ticks only: no "0.5" label on a count axis.
        assert!(!c.svg.contains("\n0.5\n"), "{}", c.svg);
        assert!(c.svg.contains("\n2\n"), "the largest count labelled");

        let mut sparse = report();
        sparse.timeseries.start_s.clear();
        assert!(
            series_chart(&sparse, &spec, 420, 170).is_none(),
            "no time series"
        );
    }

    #[test]
    fn cost_maps_become_bars_largest_first() {
        let mut r = report();
        r.cost.by_component = [("db", 500.0), ("api", 1000.0), ("bad", f64::NAN)]
            .map(|(n, usd)| (n.to_string(), usd))
            .into();
        r.cost.by_category = [("compute".to_string(), 1200.0)].into();
        let cs = cost_charts(&r);
        let ids: Vec<&str> = cs.iter().map(|c| c.id).collect();
        assert_eq!(ids, ["cost-by-component", "cost-by-category"]);
        let svg = &cs[0].svg;
        assert!(svg.contains("$1,000") && svg.contains("$500") && !svg.contains(">bad<"));
        // The largest bar on top: its label has the smaller y.
        let y = |name: &str| -> f64 {
            let end = svg.find(&format!(">\n{name}\n<")).unwrap();
            let tag = &svg[svg[..end].rfind("<text").unwrap()..end];
            let y = &tag[tag.find(" y=\"").unwrap() + 4..];
            y[..y.find('"').unwrap()].parse().unwrap()
        };
        assert!(y("api") < y("db"), "{svg}");
    }
}
