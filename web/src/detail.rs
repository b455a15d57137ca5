//! Per-component detail: everything the report says about one component, for the panel under
//! the components table (`<section id="component-detail">`).
//!
//! The pure part, [`Detail::of`], takes the typed report (`sim_core::Report`) and walks the
//! component's entry (`components.<name>`) generically, as its serde serialisation (the JSON
//! `archsim run --json` writes of it): every number, string and flag becomes a
//! labelled [`Row`] with its unit (utilisation and ratios as %, `_ms` as milliseconds, `_rps` per
//! second, `_at_s` as a clock, counts with separators), every nested object its own [`Section`]
//! (the wait for a slot, the sojourn, the kind's figures: balancer, cache, queue, database,
//! function), every list of objects a [`Table`] (a database's failovers). A field the typed report
//! gains later shows up with a label made from its key; the known ones read better. With replications,
//! the 95 % interval of `ci95` goes next to the figure it belongs to. The component's cost per
//! month (`cost.by_component`) is a section too.
//!
//! Its time series (`timeseries.components.<name>`: utilisation, in system, queued, instances,
//! failed and rejected per second, hit ratio or lag, and any other) become [`Series`] and small
//! charts drawn by `report-charts` ([`report_charts::series_chart`]) with the warm-up and the
//! fault periods shaded as on the main charts. A series that is zero in every window gets no
//! chart; the panel names it instead.
//!
//! [`Detail::html`] writes the panel's body as HTML text (small in WebAssembly; names and strings
//! escaped), and `view` (wasm32 only) puts it under a header with the close button, keeping the
//! last one made, so the charts are drawn once per selected component and report, not on every
//! render of the page.

use crate::chart::Figure;
use report_charts::{At, Line, Scale, SeriesChart, esc};
use serde_json::Value;
use sim_core::Report;

/// The small charts' size in SVG pixels: two side by side in the results column.
pub const WIDTH: u32 = 420;
pub const HEIGHT: u32 = 180;

/// Everything the report says about one component.
#[derive(Clone, Debug, PartialEq)]
pub struct Detail {
    pub name: String,
    /// `service`, `cache`, ... (empty when the report does not say).
    pub kind: String,
    /// How many replications the figures summarise (the intervals need more than one).
    pub replications: u64,
    /// The station's own figures first (key ""), then each nested object, then the cost.
    pub sections: Vec<Section>,
    /// The component's time series, in the report's key order.
    pub series: Vec<Series>,
    /// The charts of the series that are not zero in every window.
    pub charts: Vec<Plot>,
    /// Labels of the series that are zero (or missing) in every window: no chart for them.
    pub flat: Vec<String>,
    /// The simulated figures beside the analytic model's (`sim_core::analytic::report::
    /// compare_component`, the pairs the report's `analytic_disagreement` warning checks).
    pub model: Vec<ModelRow>,
    /// The report's `analytic_disagreement` warning for this component, if any.
    pub disagreement: Option<String>,
}

/// One figure, simulated and as the analytic model gives it.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelRow {
    pub label: String,
    pub simulated: String,
    /// The simulated figure's 95 % interval (replicated runs).
    pub ci_text: Option<String>,
    pub model: String,
    /// Beyond the stated margin of the simulated interval.
    pub disagrees: bool,
}

/// The simulated figures beside the model's as a table (empty without rows); `id` names it.
fn model_table(rows: &[ModelRow], replications: u64, id: &str) -> String {
    if rows.is_empty() {
        return String::new();
    }
    let ci = rows.iter().any(|r| r.ci_text.is_some());
    let mut h = format!(
        r#"<table class="numbers" id="{id}" data-section="model"><caption>Simulated and the analytic model</caption><thead><tr><th></th><th>simulated</th>"#
    );
    if ci {
        h += &format!(r#"<th title="Student-t, over {replications} replications">95 % CI</th>"#);
    }
    h += "<th>model</th></tr></thead><tbody>";
    for r in rows {
        h += &format!(
            r#"<tr{}><th scope="row">{}</th><td>{}</td>"#,
            if r.disagrees {
                r#" class="disagrees" title="beyond the margin: see the warning""#
            } else {
                ""
            },
            esc(&r.label),
            esc(&r.simulated)
        );
        if ci {
            h += &format!(
                r#"<td class="ci">{}</td>"#,
                esc(r.ci_text.as_deref().unwrap_or(""))
            );
        }
        h += &format!(
            "<td>{}{}</td></tr>",
            esc(&r.model),
            if r.disagrees { " ⚠" } else { "" }
        );
    }
    h + "</tbody></table>"
}

/// What the inspector shows of component `name` from the last run's report: its simulated
/// utilisation, wait and availability beside the analytic model's, and the disagreement warning
/// (the same rows as the detail's). `None` when the report has no comparison for it.
pub fn inspector_model(r: &Report, name: &str) -> Option<String> {
    let (rows, warning) = model_rows(r, name);
    if rows.is_empty() && warning.is_none() {
        return None;
    }
    let mut h = String::from(
        r#"<div id="inspector-model" class="inspector-model"><h4>The last run against the analytic model</h4>"#,
    );
    if let Some(w) = warning {
        h += &format!(
            r#"<p class="warning" role="note"><strong>The model disagrees.</strong> {}</p>"#,
            esc(&w)
        );
    }
    h += &model_table(&rows, u64::from(r.replications), "inspector-model-table");
    Some(h + "</div>")
}

/// The comparisons of component `name` from the report's own entry.
fn model_rows(r: &Report, name: &str) -> (Vec<ModelRow>, Option<String>) {
    let rows = r
        .components
        .get(name)
        .map(sim_core::analytic::compare::compare_component)
        .unwrap_or_default()
        .into_iter()
        .map(|x| {
            let unit = if x.unit.is_empty() {
                Unit::Percent
            } else {
                Unit::Ms
            };
            ModelRow {
                label: x.name.to_string(),
                simulated: format(unit, x.simulated),
                ci_text: x
                    .ci95
                    .map(|[lo, hi]| format!("{} – {}", format(unit, lo), format(unit, hi))),
                model: format(unit, x.model),
                disagrees: x.disagrees(),
            }
        })
        .collect();
    let warning = r
        .warnings
        .iter()
        .find(|w| w.code == "analytic_disagreement" && w.component.as_deref() == Some(name))
        .map(|w| w.message.clone());
    (rows, warning)
}

/// A table of labelled figures: the component's own, or one nested object's.
#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    /// Its path in the component's entry (`queue_wait_ms`, `queue.processing_ms`; `""` for the
    /// top level, `cost` for the cost).
    pub key: String,
    pub title: String,
    pub rows: Vec<Row>,
    /// Lists of objects inside it (a database's `failovers`).
    pub tables: Vec<Table>,
}

/// One figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Its path in the component's entry (`utilization`, `queue_wait_ms.p99`, `cache.hit_ratio`).
    pub key: String,
    pub label: String,
    /// Formatted with its unit.
    pub value: String,
    /// The report's number, when it is one.
    pub number: Option<f64>,
    /// The 95 % interval from `ci95`, when the report has one for this figure.
    pub ci: Option<[f64; 2]>,
    /// The interval formatted with the figure's unit (`88.2 % – 89.1 %`).
    pub ci_text: Option<String>,
}

/// A list of objects as a table (columns from their keys, in the first one's order).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub key: String,
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// One of the component's time series: a value per window.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// The report's key (`utilization`, `failed_rps`, `lag_ms`).
    pub key: String,
    /// A short label for legends (`failed/s`).
    pub label: String,
    /// NaN where the report has no number.
    pub values: Vec<f64>,
}

/// A chart of one or two series.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// The first series' key, for the element id (`detail-chart-utilization`).
    pub key: String,
    pub figure: Figure,
}

/// What a figure's number means, for its format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Percent,
    Ms,
    PerSecond,
    Clock,
    Seconds,
    Gb,
    Usd,
    Count,
    Plain,
}

/// The unit of `key` (inside the object at `parent`): from the contract's key suffixes.
fn unit_of(parent: &str, key: &str, v: &Value) -> Unit {
    let last = parent.rsplit('.').next().unwrap_or("");
    if key == "utilization" || key == "availability" || key.ends_with("_ratio") {
        Unit::Percent
    } else if key.ends_with("_ms") || last.ends_with("_ms") {
        Unit::Ms
    } else if key.ends_with("_rps") {
        Unit::PerSecond
    } else if key == "at_s" || key.ends_with("_at_s") {
        Unit::Clock
    } else if key.ends_with("_s") {
        Unit::Seconds
    } else if key.ends_with("_gb") {
        Unit::Gb
    } else if key.starts_with("usd") || parent == "cost" {
        Unit::Usd
    } else if v.is_u64() || v.is_i64() {
        Unit::Count
    } else {
        Unit::Plain
    }
}

/// A whole number with thousands separators: `229,073`.
pub fn count(v: f64) -> String {
    let whole = format!("{:.0}", v.abs());
    let mut o = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            o.push(',');
        }
        o.push(c);
    }
    if v < 0.0 { format!("-{o}") } else { o }
}

/// Up to `decimals` decimals, without trailing zeros.
fn trim(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

fn format(unit: Unit, v: f64) -> String {
    match unit {
        Unit::Percent => crate::view::percent(v),
        Unit::Ms => crate::view::ms(v),
        Unit::PerSecond if v.abs() >= 10.0 || v == 0.0 => format!("{v:.1}/s"),
        Unit::PerSecond => format!("{}/s", trim(v, 3)),
        Unit::Clock => report_charts::fmt_clock(v),
        Unit::Seconds if v.abs() < 1.0 => crate::view::ms(v * 1000.0),
        Unit::Seconds => format!("{} s", trim(v, 2)),
        Unit::Gb => format!("{} GB", trim(v, 3)),
        Unit::Usd => format!("{} per month", report_charts::fmt_usd(v)),
        Unit::Count => count(v),
        Unit::Plain if v.abs() >= 100.0 => trim(v, 1),
        Unit::Plain => trim(v, 3),
    }
}

/// A readable label for a known key, or the key itself made readable (`stale_reads` -> `stale
/// reads`, `lag_ms` -> `lag`).
fn label(parent: &str, key: &str) -> String {
    // (parent, key, label); `*` matches any parent. Keys that read well as they are (`arrivals`,
    // `cold_starts`, `lost_writes`) need no entry. A table rather than a `match`: smaller in
    // WebAssembly.
    const LABELS: &[(&str, &str, &str)] = &[
        ("", "utilization", "utilisation (slots busy)"),
        ("", "rejected", "rejected (no slot or instance)"),
        ("", "throughput_rps", "throughput (X)"),
        ("", "failed", "failed here"),
        ("", "timeouts", "callers gave up (timeouts)"),
        ("", "retries", "retried calls received"),
        ("", "short_circuited", "refused by an open breaker"),
        ("", "busy_mean", "busy slots (mean)"),
        ("", "in_system_mean", "in system (L, mean)"),
        ("sojourn_ms", "mean", "mean (W)"),
        ("balancer", "throttled", "throttled (429, rate limit)"),
        ("queue", "refused", "refused (queue full)"),
        ("queue", "acked", "acknowledged"),
        ("queue", "redelivered", "redelivered (visibility timeout)"),
        ("queue", "dead_lettered", "dead-lettered"),
        (
            "queue",
            "duplicates",
            "processed after their timeout (duplicates)",
        ),
        ("queue", "depth_at_end", "waiting at the end"),
        ("database", "stale_reads", "stale reads (replica behind)"),
        ("database.failovers", "at_s", "at"),
        ("database.failovers", "rpo_s", "RPO"),
        ("database.failovers", "restored_at_s", "writes again at"),
        ("cost", "usd_per_month", "cost"),
        ("*", "p999", "p99.9"),
    ];
    let known = LABELS
        .iter()
        .find(|(p, k, _)| (*p == parent || *p == "*") && *k == key)
        .map_or("", |e| e.2);
    if !known.is_empty() {
        return known.to_string();
    }
    let bare = ["_ms", "_rps", "_at_s", "_s", "_gb"]
        .iter()
        .find_map(|s| key.strip_suffix(s))
        .unwrap_or(key);
    bare.replace('_', " ")
}

/// A nested object's or list's title.
fn title(path: &str) -> String {
    const TITLES: &[(&str, &str)] = &[
        ("", "Station"),
        ("queue_wait_ms", "Wait for a slot"),
        ("sojourn_ms", "Time in the component"),
        ("balancer", "Load balancer"),
        ("queue.processing_ms", "Queue: enqueue to acknowledgement"),
        ("database.failovers", "Database failovers"),
        ("ci95", "Other 95 % intervals"),
    ];
    if let Some(t) = TITLES.iter().find(|t| t.0 == path) {
        return t.1.into();
    }
    let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
    let l = label(parent, key);
    let mut c = l.chars();
    let first = c.next().map(|f| f.to_ascii_uppercase().to_string());
    let t = first.unwrap_or_default() + c.as_str();
    if parent.is_empty() {
        t
    } else {
        format!("{}: {t}", title(parent))
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    }
}

/// A value in one cell or row: numbers with their unit, `null` as `none` (`not within the run`
/// for a time something never happened).
fn cell(parent: &str, key: &str, v: &Value) -> (String, Option<f64>) {
    match v {
        Value::Null if key.ends_with("_at_s") => ("not within the run".into(), None),
        Value::Null => ("none".into(), None),
        Value::Bool(b) => ((if *b { "yes" } else { "no" }).into(), None),
        Value::String(s) => (s.clone(), None),
        Value::Number(n) => {
            let x = n.as_f64().unwrap_or(f64::NAN);
            (format(unit_of(parent, key, v), x), Some(x))
        }
        Value::Array(a) if a.is_empty() => ("none".into(), None),
        Value::Array(a) => (
            a.iter()
                .map(|x| cell(parent, key, x).0)
                .collect::<Vec<_>>()
                .join(", "),
            None,
        ),
        Value::Object(_) => ("(object)".into(), None),
    }
}

/// The interval of `ci95` for the figure at `path`: the contract flattens a nested figure's path
/// with `_` (`queue_wait_ms_mean`); a nested interval object is followed too.
fn ci_of<'a>(ci95: &'a Value, path: &str) -> Option<(String, [f64; 2])> {
    let flat = path.replace('.', "_");
    let pair = |v: &Value| -> Option<[f64; 2]> {
        let a = v.as_array()?;
        match a.as_slice() {
            [lo, hi] => Some([lo.as_f64()?, hi.as_f64()?]),
            _ => None,
        }
    };
    if let Some(p) = pair(&ci95[flat.as_str()]) {
        return Some((flat, p));
    }
    let mut v: &'a Value = ci95;
    for part in path.split('.') {
        v = &v[part];
    }
    pair(v).map(|p| (path.to_string(), p))
}

/// The order figures are listed in: the most telling first, the report's others after them (in
/// key order).
const ORDER: &[&str] = &[
    "utilization",
    "throughput_rps",
    "arrivals",
    "completed",
    "rejected",
    "failed",
    "timeouts",
    "retries",
    "short_circuited",
    "busy_mean",
    "in_system_mean",
    "queue_wait_ms",
    "sojourn_ms",
    "mean",
    "p50",
    "p90",
    "p95",
    "p99",
    "p999",
    "max",
    "hits",
    "misses",
    "enqueued",
    "acked",
    "at_s",
    "how",
    "lost_writes",
    "rpo_s",
];

fn ordered(map: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    // Picked rather than sorted: a sort's code costs more WebAssembly than this.
    let mut entries: Vec<(&String, &Value)> =
        ORDER.iter().filter_map(|o| map.get_key_value(*o)).collect();
    entries.extend(map.iter().filter(|(k, _)| !ORDER.contains(&k.as_str())));
    entries
}

/// Walks an object: its scalars become rows of a section at `path`, its objects further
/// sections (after it), its lists of objects tables.
fn walk(path: &str, obj: &Value, ci95: &Value, used: &mut Vec<String>, out: &mut Vec<Section>) {
    let Some(map) = obj.as_object() else {
        return;
    };
    let at = out.len();
    out.push(Section {
        key: path.to_string(),
        title: title(path),
        rows: Vec::new(),
        tables: Vec::new(),
    });
    let mut nested = Vec::new();
    for (k, v) in ordered(map) {
        if path.is_empty() && (k == "ci95" || k == "kind") {
            continue;
        }
        let key = join(path, k);
        match v {
            Value::Object(_) => nested.push((key, v)),
            Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object) => {
                out[at].tables.push(table(&key, a));
            }
            _ => {
                let (value, number) = cell(path, k, v);
                let unit = unit_of(path, k, v);
                let ci = ci_of(ci95, &key).map(|(ci_key, p)| {
                    used.push(ci_key);
                    p
                });
                out[at].rows.push(Row {
                    label: label(path, k),
                    value,
                    number,
                    ci_text: ci
                        .map(|[lo, hi]| format!("{} – {}", format(unit, lo), format(unit, hi))),
                    ci,
                    key,
                });
            }
        }
    }
    for (key, v) in nested {
        walk(&key, v, ci95, used, out);
    }
}

fn table(path: &str, items: &[Value]) -> Table {
    let keys: Vec<&String> = items[0]
        .as_object()
        .map(|m| ordered(m).into_iter().map(|(k, _)| k).collect())
        .unwrap_or_default();
    Table {
        key: path.to_string(),
        title: title(path),
        columns: keys.iter().map(|k| label(path, k)).collect(),
        rows: items
            .iter()
            .map(|it| {
                keys.iter()
                    .map(|k| cell(path, k, &it[k.as_str()]).0)
                    .collect()
            })
            .collect(),
    }
}

/// The intervals of `ci95` no figure claimed, so none is left out.
fn other_intervals(ci95: &Value, used: &[String]) -> Option<Section> {
    let rows: Vec<Row> = ci95
        .as_object()?
        .iter()
        .filter(|(k, _)| !used.contains(k))
        .filter_map(|(k, _)| {
            let (_, [lo, hi]) = ci_of(ci95, k)?;
            let unit = unit_of("", k, &Value::Null);
            Some(Row {
                key: format!("ci95.{k}"),
                label: label("", k),
                value: format!("{} – {}", format(unit, lo), format(unit, hi)),
                number: None,
                ci: Some([lo, hi]),
                ci_text: None,
            })
        })
        .collect();
    (!rows.is_empty()).then(|| Section {
        key: "ci95".into(),
        title: title("ci95"),
        rows,
        tables: Vec::new(),
    })
}

/// How a known series is charted; unknown ones get a chart of their own from their key.
struct Known {
    keys: &'static [&'static str],
    title: &'static str,
    sub: &'static str,
    y_desc: &'static str,
    scale: Scale,
    at: At,
}

const KNOWN: &[Known] = &[
    Known {
        keys: &["utilization"],
        title: "Utilisation",
        sub: "Share of concurrency slots busy in each window.",
        y_desc: "busy (%)",
        scale: Scale::Share,
        at: At::Windows,
    },
    Known {
        keys: &["in_system"],
        title: "In system",
        sub: "Requests present (waiting, working or waiting on calls), mean of each window.",
        y_desc: "requests",
        scale: Scale::Number,
        at: At::Windows,
    },
    Known {
        keys: &["queued"],
        title: "Queued",
        sub: "Requests waiting for a slot at each window's end.",
        y_desc: "requests",
        scale: Scale::Number,
        at: At::Ends,
    },
    Known {
        keys: &["instances"],
        title: "Instances up",
        sub: "Instances up at each window's end.",
        y_desc: "instances",
        scale: Scale::Count,
        at: At::Ends,
    },
    Known {
        keys: &["failed_rps", "rejected_rps"],
        title: "Failed and rejected",
        sub: "Requests per second that failed here or were rejected, in each window.",
        y_desc: "req/s",
        scale: Scale::Number,
        at: At::Windows,
    },
    Known {
        keys: &["hit_ratio"],
        title: "Hit ratio",
        sub: "Share of lookups that hit in each window (0 where none was made).",
        y_desc: "hits (%)",
        scale: Scale::Share,
        at: At::Windows,
    },
];

fn series_label(key: &str) -> String {
    match key {
        "utilization" => "utilisation".into(),
        "in_system" => "in system".into(),
        "instances" => "instances up".into(),
        "failed_rps" => "failed/s".into(),
        "rejected_rps" => "rejected/s".into(),
        "hit_ratio" => "hit ratio".into(),
        _ if key.ends_with("_rps") => format!("{}/s", label("", key)),
        _ => label("", key),
    }
}

impl Detail {
    /// The detail of component `name`, or `None` when the report has no such component. Its
    /// entry and its time series are walked as their serialisation, so every figure the typed
    /// report has is in the panel without a line here naming it.
    pub fn of(r: &Report, name: &str) -> Option<Detail> {
        let entry = serde_json::to_value(r.components.get(name)?).ok()?;
        let series = r
            .timeseries
            .components
            .get(name)
            .and_then(|s| serde_json::to_value(s).ok())
            .unwrap_or(Value::Null);
        Some(Detail::walked(r, name, &entry, &series))
    }

    /// The detail of component `name` from its entry `c` and its time series `ts` as JSON.
    fn walked(r: &Report, name: &str, c: &Value, ts: &Value) -> Detail {
        let ci95 = &c["ci95"];
        let mut used = Vec::new();
        let mut sections = Vec::new();
        walk("", c, ci95, &mut used, &mut sections);
        sections.extend(other_intervals(ci95, &used));
        if let Some(&usd) = r.cost.by_component.get(name) {
            sections.push(Section {
                key: "cost".into(),
                title: title("cost"),
                rows: vec![Row {
                    key: "cost.usd_per_month".into(),
                    label: label("cost", "usd_per_month"),
                    value: format(Unit::Usd, usd),
                    number: Some(usd),
                    ci: None,
                    ci_text: None,
                }],
                tables: Vec::new(),
            });
        }
        let kind = r
            .components
            .get(name)
            .map_or_else(String::new, |c| c.kind.clone());
        let series: Vec<Series> = ts
            .as_object()
            .map(|m| {
                m.iter()
                    .filter(|(_, v)| v.is_array())
                    .map(|(k, v)| Series {
                        key: k.clone(),
                        label: series_label(k),
                        values: v
                            .as_array()
                            .into_iter()
                            .flatten()
                            .map(|x| x.as_f64().unwrap_or(f64::NAN))
                            .collect(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (charts, flat) = plots(r, &kind, &series);
        let (model, disagreement) = model_rows(r, name);
        Detail {
            name: name.to_string(),
            kind,
            replications: u64::from(r.replications),
            sections,
            series,
            charts,
            flat,
            model,
            disagreement,
        }
    }

    /// The figure at `key` (`utilization`, `queue_wait_ms.p99`, `cache.hit_ratio`).
    pub fn row(&self, key: &str) -> Option<&Row> {
        self.sections
            .iter()
            .flat_map(|s| &s.rows)
            .find(|r| r.key == key)
    }

    /// The simulated figures beside the model's, and the disagreement warning, first: where
    /// the model and the simulation part is where a mechanism the model leaves out matters.
    fn model_html(&self) -> String {
        let mut h = String::new();
        if let Some(w) = &self.disagreement {
            h += &format!(
                r#"<p class="warning" id="detail-disagreement" role="note"><strong>The model disagrees.</strong> {}</p>"#,
                esc(w)
            );
        }
        h + &model_table(&self.model, self.replications, "detail-model")
    }

    /// Whether any figure has a 95 % interval (replicated runs).
    pub fn has_ci(&self) -> bool {
        self.sections
            .iter()
            .flat_map(|s| &s.rows)
            .any(|r| r.ci_text.is_some())
    }
}

/// Series drawn on one chart.
struct Group<'s> {
    members: Vec<&'s Series>,
    title: String,
    sub: String,
    y_desc: String,
    scale: Scale,
    at: At,
}

/// The charts of the series, in the order of [`KNOWN`] then the others; and the labels of the
/// series that are zero in every window.
fn plots(r: &Report, kind: &str, series: &[Series]) -> (Vec<Plot>, Vec<String>) {
    let find = |k: &str| series.iter().find(|s| s.key == k);
    let lag = Known {
        keys: &["lag_ms"],
        title: if kind == "queue" {
            "Consumer lag"
        } else if kind == "database" {
            "Replication lag"
        } else {
            "Lag"
        },
        sub: if kind == "queue" {
            "Age of the oldest waiting message at each window's end."
        } else if kind == "database" {
            "How far the replicas are behind the primary at each window's end."
        } else {
            "At each window's end."
        },
        y_desc: "ms",
        scale: Scale::Number,
        at: At::Ends,
    };
    let mut groups: Vec<Group> = Vec::new();
    for k in KNOWN.iter().chain(std::iter::once(&lag)) {
        let members: Vec<&Series> = k.keys.iter().filter_map(|key| find(key)).collect();
        if !members.is_empty() {
            groups.push(Group {
                members,
                title: k.title.into(),
                sub: k.sub.into(),
                y_desc: k.y_desc.into(),
                scale: k.scale,
                at: k.at,
            });
        }
    }
    for s in series {
        let known = KNOWN
            .iter()
            .chain(std::iter::once(&lag))
            .any(|k| k.keys.contains(&s.key.as_str()));
        if !known {
            let unit = unit_of("", &s.key, &Value::Null);
            let (scale, y_desc) = match unit {
                Unit::Percent => (Scale::Share, "%".to_string()),
                Unit::Ms => (Scale::Number, "ms".to_string()),
                Unit::PerSecond => (Scale::Number, "per s".to_string()),
                _ => (Scale::Number, s.label.clone()),
            };
            groups.push(Group {
                members: vec![s],
                title: title(&s.key),
                sub: format!("The report's `{}` in each window.", s.key),
                y_desc,
                scale,
                at: At::Windows,
            });
        }
    }
    let mut charts = Vec::new();
    let mut flat = Vec::new();
    for Group {
        members,
        title,
        sub,
        y_desc,
        scale,
        at,
    } in groups
    {
        let moves = members
            .iter()
            .any(|s| s.values.iter().any(|v| v.is_finite() && *v != 0.0));
        if !moves {
            flat.extend(members.iter().map(|s| s.label.clone()));
            continue;
        }
        let spec = SeriesChart {
            id: "component",
            title: &title,
            sub,
            y_desc: &y_desc,
            scale,
            lines: members
                .iter()
                .map(|s| Line {
                    label: &s.label,
                    values: &s.values,
                    at,
                })
                .collect(),
        };
        if let Some(c) = report_charts::series_chart(r, &spec, WIDTH, HEIGHT) {
            charts.push(Plot {
                key: members[0].key.clone(),
                figure: c.into(),
            });
        }
    }
    (charts, flat)
}

impl Detail {
    /// The panel's body as HTML: the figures as small tables (an interval column with
    /// replications), the flat series named, the charts with their legends. Written as text
    /// rather than with yew's `html!`, which costs several times the WebAssembly for static
    /// markup; every string from the report is escaped.
    pub fn html(&self) -> String {
        let mut h = self.model_html();
        h += r#"<div class="detail-figures">"#;
        let ci = self.has_ci();
        for s in &self.sections {
            let ci_here = ci && s.rows.iter().any(|r| r.ci_text.is_some());
            if !s.rows.is_empty() {
                h += &format!(
                    r#"<table class="numbers" data-section="{}"><caption>{}</caption>"#,
                    esc(&s.key),
                    esc(&s.title)
                );
                if ci_here {
                    h += &format!(
                        r#"<thead><tr><th></th><th>value</th><th title="Student-t, over {} replications">95 % CI</th></tr></thead>"#,
                        self.replications
                    );
                }
                h += "<tbody>";
                for r in &s.rows {
                    h += &format!(
                        r#"<tr data-key="{}"><th scope="row">{}</th><td>{}</td>"#,
                        esc(&r.key),
                        esc(&r.label),
                        esc(&r.value)
                    );
                    if ci_here {
                        h += &format!(
                            r#"<td class="ci">{}</td>"#,
                            esc(r.ci_text.as_deref().unwrap_or(""))
                        );
                    }
                    h += "</tr>";
                }
                h += "</tbody></table>";
            }
            for t in &s.tables {
                h += &format!(
                    r#"<table class="numbers wide" data-section="{}"><caption>{}</caption><thead><tr>"#,
                    esc(&t.key),
                    esc(&t.title)
                );
                for c in &t.columns {
                    h += &format!(r#"<th scope="col">{}</th>"#, esc(c));
                }
                h += "</tr></thead><tbody>";
                for row in &t.rows {
                    h += "<tr>";
                    for v in row {
                        h += &format!("<td>{}</td>", esc(v));
                    }
                    h += "</tr>";
                }
                h += "</tbody></table>";
            }
        }
        h += "</div>";
        if !self.flat.is_empty() {
            h += &format!(
                r#"<p class="note">Zero in every window (no chart): {}.</p>"#,
                esc(&self.flat.join(", "))
            );
        }
        h += r#"<div class="detail-charts">"#;
        for p in &self.charts {
            let f = &p.figure;
            h += &format!(
                r#"<figure id="detail-chart-{}" class="chart small"><figcaption><h4>{}</h4><p class="sub">{}</p><div class="legend">"#,
                esc(&p.key),
                esc(&f.title),
                esc(&f.sub)
            );
            for k in &f.legend {
                let (class, style) = match k.mark {
                    report_charts::Mark::Line => ("line", "border-color"),
                    report_charts::Mark::Dashed => ("dash", "border-color"),
                    _ => ("band", "background"),
                };
                h += &format!(
                    r#"<span class="key"><i class="{class}" style="{style}:{}"></i>{}</span>"#,
                    esc(&k.color),
                    esc(&k.label)
                );
            }
            h += "</div></figcaption>";
            h += &f.svg;
            h += "</figure>";
        }
        h += "</div>";
        h
    }
}

#[cfg(target_arch = "wasm32")]
pub use page::{inspector_model_of, view};

/// The panel (wasm32 only).
#[cfg(target_arch = "wasm32")]
mod page {
    use super::Detail;
    use sim_core::Report;
    use std::cell::RefCell;
    use std::rc::Rc;
    use yew::prelude::*;

    /// The last panel made: (report, component name) and its kind and body, so the charts are
    /// drawn once per selection, not on every render of the page (a keystroke in the editor). The
    /// report is the page's own `Rc`, held here so that comparing pointers is sound.
    type Made = (Rc<Report>, String, Option<(String, Rc<str>)>);

    fn same(m: &Made, report: &Rc<Report>, name: &str) -> bool {
        Rc::ptr_eq(&m.0, report) && m.1 == name
    }

    thread_local! {
        static LAST: RefCell<Option<Rc<Made>>> = const { RefCell::new(None) };
    }

    fn made(report: &Rc<Report>, name: &str) -> Rc<Made> {
        LAST.with(|last| {
            let mut last = last.borrow_mut();
            if let Some(m) = last.as_ref().filter(|m| same(m, report, name)) {
                return m.clone();
            }
            let d = Detail::of(report, name);
            let m = Rc::new((
                report.clone(),
                name.to_string(),
                d.map(|d| (d.kind.clone(), Rc::from(d.html()))),
            ));
            *last = Some(m.clone());
            m
        })
    }

    thread_local! {
        static INSPECTED: RefCell<Option<Rc<Made>>> = const { RefCell::new(None) };
    }

    /// [`super::inspector_model`], kept for the last (report, component) so a keystroke does not
    /// make it again.
    pub fn inspector_model_of(report: &Rc<Report>, name: &str) -> Option<Rc<str>> {
        INSPECTED.with(|last| {
            let mut last = last.borrow_mut();
            if let Some(m) = last.as_ref().filter(|m| same(m, report, name)) {
                return m.2.as_ref().map(|x| x.1.clone());
            }
            let out: Option<Rc<str>> = super::inspector_model(report, name).map(Rc::from);
            let m = Rc::new((
                report.clone(),
                name.to_string(),
                out.clone().map(|h| (String::new(), h)),
            ));
            *last = Some(m);
            out
        })
    }

    /// Gives the focus back to the component's row button (the panel it was in is going away).
    fn focus_row(name: &str) {
        use wasm_bindgen::JsCast;
        if let Some(b) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&format!("component-row-{name}")))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = b.focus();
        }
    }

    /// The detail panel of component `name` (nothing when `None`) of the report; `on_close` is
    /// called by its close button (the page closes it on Escape too).
    pub fn view(report: &Rc<Report>, name: Option<&str>, on_close: Callback<()>) -> Html {
        let Some(name) = name else {
            return Html::default();
        };
        let m = made(report, name);
        let close = {
            let name = name.to_string();
            Callback::from(move |_: MouseEvent| {
                on_close.emit(());
                focus_row(&name);
            })
        };
        html! {
            <section id="component-detail" class="detail" aria-labelledby="detail-title"
                data-component={name.to_string()}>
                <header>
                    <h3 id="detail-title">{ name }
                        if let Some((kind, _)) = &m.2 { <span class="kind">{ kind }</span> }</h3>
                    <button id="detail-close" class="close" onclick={close}
                        title="Close (Escape)" aria-label={format!("Close the detail of {name}")}>{"×"}</button>
                </header>
                { match &m.2 {
                    Some((_, body)) => Html::from_html_unchecked(AttrValue::Rc(body.clone())),
                    None => html! { <p class="note">{ format!("{name} is not in this report.") }</p> },
                } }
            </section>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inspector_shows_the_model_beside_the_last_run_and_its_disagreement() {
        let r = report_of("analytic-vs-simulated.yaml");
        let names: Vec<String> = r.components.keys().cloned().collect();
        let mut shown = 0;
        let mut warned = 0;
        for n in &names {
            let (rows, warning) = model_rows(&r, n);
            let Some(h) = inspector_model(&r, n) else {
                assert!(rows.is_empty() && warning.is_none(), "{n}");
                continue;
            };
            shown += 1;
            // Every row of the detail's comparison, with its model figure.
            for row in &rows {
                assert!(
                    h.contains(&esc(&row.label)) && h.contains(&esc(&row.model)),
                    "{n}: {h}"
                );
            }
            if let Some(w) = warning {
                warned += 1;
                assert!(h.contains(&esc(&w)) && h.contains("disagrees"), "{n}: {h}");
            }
        }
        assert!(shown >= 2, "components compared: {shown}");
        assert!(warned >= 1, "the example has a disagreement to show");
        assert_eq!(inspector_model(&r, "no-such-component"), None);
    }

    /// The report of an example as the page reads it from the worker (`archsim run --json` with
    /// the file's seed).
    fn report_of(file: &str) -> Report {
        let e = crate::examples::find(file).unwrap();
        let l = sim_core::load(e.yaml.as_bytes()).unwrap();
        let json = sim_core::report_json(&sim_core::simulate(&l.scenario).unwrap());
        crate::view::read(&json).unwrap()
    }

    /// The component's entry as JSON: the serialisation the panel walks.
    fn entry(r: &Report, name: &str) -> Value {
        serde_json::to_value(&r.components[name]).unwrap()
    }

    /// Every scalar leaf of `v` as (path, value), lists of objects left out.
    fn leaves(path: &str, v: &Value, out: &mut Vec<(String, Value)>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    leaves(&join(path, k), x, out);
                }
            }
            Value::Array(a) if !a.is_empty() && a.iter().all(Value::is_object) => {}
            _ => out.push((path.to_string(), v.clone())),
        }
    }

    /// Every figure of the component's entry is a row with the report's number; every series
    /// is there with the report's values.
    fn check_complete(r: &Report, name: &str) -> Detail {
        let d = Detail::of(r, name).unwrap();
        let c = entry(r, name);
        assert_eq!(d.kind, r.components[name].kind);
        let mut all = Vec::new();
        leaves("", &c, &mut all);
        for (path, v) in all {
            if path == "kind" || path.starts_with("ci95.") {
                continue;
            }
            let row = d
                .row(&path)
                .unwrap_or_else(|| panic!("{name}: no row for {path}"));
            assert_eq!(row.number, v.as_f64(), "{name}.{path}");
        }
        let ts = serde_json::to_value(&r.timeseries.components[name]).unwrap();
        let ts = ts.as_object().unwrap();
        let keys: Vec<&str> = d.series.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(keys, ts.keys().map(String::as_str).collect::<Vec<_>>());
        for s in &d.series {
            let want: Vec<f64> = ts[&s.key]
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            assert_eq!(s.values, want, "{name} {}", s.key);
        }
        // Every series is charted or named as flat; a chart whenever it is not zero throughout.
        for s in &d.series {
            let charted = d
                .charts
                .iter()
                .any(|p| p.figure.legend.iter().any(|k| k.label == s.label));
            if s.values.iter().any(|v| *v != 0.0) {
                assert!(charted, "{name} {}", s.key);
            }
            assert_eq!(d.flat.contains(&s.label), !charted, "{name} {}", s.key);
        }
        d
    }

    #[test]
    fn the_failover_detail_of_api_east_has_the_reports_numbers_and_the_outage_shaded() {
        let r = report_of("dns-ttl-region-failover.yaml");
        let d = check_complete(&r, "api_east");
        let c = &r.components["api_east"];
        assert_eq!(d.kind, "service");
        let u = d.row("utilization").unwrap();
        assert_eq!(u.number, Some(c.utilization));
        assert_eq!(u.value, crate::view::percent(c.utilization));
        assert!(u.value.ends_with(" %"), "{}", u.value);
        assert_eq!(u.label, "utilisation (slots busy)");
        let x = d.row("throughput_rps").unwrap();
        assert!(x.value.ends_with("/s"), "{}", x.value);
        let w = d.row("queue_wait_ms.p99").unwrap();
        assert!(w.value.ends_with(" ms"), "{}", w.value);
        assert_eq!(d.row("arrivals").unwrap().value, count(c.arrivals as f64));
        assert!(
            d.row("arrivals").unwrap().value.contains(','),
            "thousands separated"
        );
        assert!(!d.has_ci(), "one replication: no intervals");
        let titles: Vec<&str> = d.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            // The analytic model's figures come after the simulated ones.
            [
                "Station",
                "Wait for a slot",
                "Time in the component",
                "Analytic"
            ]
        );

        // The outage takes every instance down: the instances chart, with the fault shaded.
        let inst = d.series.iter().find(|s| s.key == "instances").unwrap();
        assert!(inst.values.contains(&0.0) && inst.values.contains(&4.0));
        let chart = |key: &str| d.charts.iter().find(|p| p.key == key).map(|p| &p.figure);
        for key in ["utilization", "instances"] {
            let f = chart(key).unwrap_or_else(|| panic!("a {key} chart"));
            assert!(
                f.svg.contains(r##"opacity="0.13" fill="#D55E00""##),
                "{key}: the fault shaded"
            );
            assert!(f.svg.starts_with("<svg width=\"420\""));
            assert!(f.legend.iter().any(|k| k.label == "fault F1"), "{key}");
        }
        // Failed and rejected share a chart, which exists because some failed.
        let failed = d.series.iter().find(|s| s.key == "failed_rps").unwrap();
        assert!(failed.values.iter().any(|v| *v > 0.0));
        let labels: Vec<&str> = chart("failed_rps")
            .unwrap()
            .legend
            .iter()
            .map(|k| k.label.as_str())
            .collect();
        assert_eq!(&labels[..2], ["failed/s", "rejected/s"]);
    }

    #[test]
    fn the_model_stands_beside_the_simulation_and_says_where_it_disagrees() {
        let r = report_of("analytic-vs-simulated.yaml");
        let warned: Vec<&str> = r
            .warnings
            .iter()
            .filter(|w| w.code == "analytic_disagreement")
            .filter_map(|w| w.component.as_deref())
            .collect();
        assert!(
            !warned.is_empty(),
            "the example has a component the model misjudges"
        );
        for (name, c) in &r.components {
            let d = Detail::of(&r, name).unwrap();
            let a = c.analytic.as_ref();
            // Utilisation beside the model's carried utilisation, for a component with slots.
            match d.model.iter().find(|m| m.label == "utilisation") {
                Some(u) => {
                    let a = a.filter(|a| a.servers.is_some());
                    let a = a.unwrap_or_else(|| panic!("{name}: a model with servers"));
                    assert_eq!(u.model, crate::view::percent(a.carried_utilization));
                    assert_eq!(u.simulated, crate::view::percent(c.utilization));
                    assert!(u.ci_text.is_some(), "{name}: replicated, so an interval");
                }
                None => assert!(a.is_none_or(|a| a.servers.is_none()), "{name}"),
            }
            // Flagged exactly where the report warns, and the warning is in the panel.
            let flagged = d.model.iter().any(|m| m.disagrees);
            assert_eq!(
                flagged,
                warned.contains(&name.as_str()),
                "{name}: {:?}",
                d.model
            );
            assert_eq!(d.disagreement.is_some(), flagged, "{name}");
            let html = d.html();
            assert!(html.contains(r#"id="detail-model""#), "{name}");
            assert_eq!(html.contains("The model disagrees."), flagged, "{name}");
        }
    }

    #[test]
    fn kind_figures_become_sub_tables() {
        let r = report_of("cache-stampede.yaml");
        let cache = check_complete(&r, "cache");
        let s = cache.sections.iter().find(|s| s.key == "cache").unwrap();
        assert_eq!(s.title, "Cache");
        let hr = cache.row("cache.hit_ratio").unwrap();
        let cache_figures = r.components["cache"].cache.as_ref().unwrap();
        assert_eq!(hr.number, Some(cache_figures.hit_ratio));
        assert!(hr.value.ends_with(" %"));
        assert!(
            cache.charts.iter().any(|p| p.key == "hit_ratio"),
            "the hit ratio over time"
        );
        let db = check_complete(&r, "db");
        assert!(db.row("database.reads").is_some());
        assert_eq!(db.row("database.failovers").unwrap().value, "none");
        check_complete(&r, "api");

        let r = report_of("queue-backlog-dlq.yaml");
        let q = check_complete(&r, "events");
        let p = q
            .sections
            .iter()
            .find(|s| s.key == "queue.processing_ms")
            .unwrap();
        assert_eq!(p.title, "Queue: enqueue to acknowledgement");
        assert_eq!(q.row("queue.processing_ms.p999").unwrap().label, "p99.9");
        assert!(
            q.row("queue.processing_ms.p99")
                .unwrap()
                .value
                .ends_with(" ms")
        );
        let lag = q.charts.iter().find(|p| p.key == "lag_ms");
        if let Some(lag) = lag {
            assert_eq!(lag.figure.title, "Consumer lag");
        } else {
            assert!(q.flat.contains(&"lag".to_string()));
        }

        let r = report_of("function-cold-start-retry-storm.yaml");
        let f = check_complete(&r, "fn_retry");
        let cold = r.components["fn_retry"]
            .function
            .as_ref()
            .unwrap()
            .cold_starts;
        assert_eq!(
            f.row("function.cold_starts").unwrap().number,
            Some(cold as f64)
        );
    }

    #[test]
    fn failovers_are_a_table_and_cost_a_section() {
        let r = report_of("dr-4-hot-standby.yaml");
        let d = check_complete(&r, "db");
        let failovers = &r.components["db"].database.as_ref().unwrap().failovers;
        assert!(!failovers.is_empty());
        let t = d
            .sections
            .iter()
            .flat_map(|s| &s.tables)
            .find(|t| t.key == "database.failovers")
            .unwrap();
        assert_eq!(t.columns[..2], ["at", "how"]);
        assert_eq!(t.rows.len(), failovers.len());
        assert_eq!(t.rows[0][0], report_charts::fmt_clock(failovers[0].at_s));
        assert_eq!(t.rows[0][1], failovers[0].how);

        let lb = check_complete(&r, "lb_east");
        assert!(lb.row("balancer.throttled").is_some());
        let usd = r.cost.by_component["lb_east"];
        let cost = lb.row("cost.usd_per_month").unwrap();
        assert_eq!(cost.number, Some(usd));
        assert_eq!(
            cost.value,
            format!("{} per month", report_charts::fmt_usd(usd))
        );
        assert!(Detail::of(&r, "no_such_component").is_none());
    }

    #[test]
    fn replicated_runs_put_the_interval_next_to_its_figure() {
        let r = report_of("mm4-load-0.9.yaml");
        assert!(r.replications > 1);
        let d = check_complete(&r, "server");
        assert!(d.has_ci());
        let ci = r.components["server"].ci95.clone().unwrap();
        for (key, want) in [
            ("utilization", ci.utilization),
            ("throughput_rps", ci.throughput_rps),
            ("in_system_mean", ci.in_system_mean),
            ("queue_wait_ms.mean", ci.queue_wait_ms_mean),
            ("sojourn_ms.mean", ci.sojourn_ms_mean),
        ] {
            let row = d.row(key).unwrap();
            assert_eq!(row.ci, Some(want), "{key}");
            // The interval reads in the figure's unit: `89.9 %` and `89.7 % – 90.2 %`.
            let unit = |t: &str| {
                t.trim_start_matches(|c: char| c.is_ascii_digit() || ".,-".contains(c))
                    .to_string()
            };
            let text = row.ci_text.as_ref().unwrap();
            let (lo, hi) = text.split_once(" – ").unwrap();
            assert_eq!(unit(lo), unit(&row.value), "{key}: {text}");
            assert_eq!(unit(hi), unit(&row.value), "{key}: {text}");
        }
        assert!(
            d.sections.iter().all(|s| s.key != "ci95"),
            "every interval placed"
        );
    }

    #[test]
    fn new_fields_show_up_with_labels_from_their_keys() {
        // The walk is generic over the typed entry's serialisation: fields the typed report does
        // not have yet (added to its JSON here) show up with labels made from their keys.
        let r = report_of("checkout.yaml");
        let name = r.components.keys().next().unwrap().clone();
        let mut c = entry(&r, &name);
        c["warm_pool_ratio"] = serde_json::json!(0.25);
        c["gc_pause_ms"] = serde_json::json!({ "mean": 1.5, "p99": 12.0 });
        c["evictions"] = serde_json::json!(1234567);
        c["ci95"] = serde_json::json!({ "utilization": [0.1, 0.2], "evictions": [1.0, 2.0] });
        let mut ts = serde_json::to_value(&r.timeseries.components[&name]).unwrap();
        ts["evictions_rps"] = serde_json::json!([0.0, 2.5]);
        let d = Detail::walked(&r, &name, &c, &ts);
        let row = d.row("warm_pool_ratio").unwrap();
        assert_eq!(
            (row.label.as_str(), row.value.as_str()),
            ("warm pool ratio", "25.0 %")
        );
        let s = d.sections.iter().find(|s| s.key == "gc_pause_ms").unwrap();
        assert_eq!(s.title, "Gc pause");
        assert_eq!(d.row("gc_pause_ms.p99").unwrap().value, "12.0 ms");
        assert_eq!(d.row("evictions").unwrap().value, "1,234,567");
        assert_eq!(d.row("evictions").unwrap().ci, Some([1.0, 2.0]));
        assert_eq!(d.row("utilization").unwrap().ci, Some([0.1, 0.2]));
        let ev = d.series.iter().find(|s| s.key == "evictions_rps").unwrap();
        assert_eq!(ev.label, "evictions/s");
        let p = d.charts.iter().find(|p| p.key == "evictions_rps").unwrap();
        assert_eq!(p.figure.title, "Evictions");
    }

    #[test]
    fn the_panel_html_has_every_row_and_chart_with_report_text_escaped() {
        let mut r = report_of("dr-4-hot-standby.yaml");
        let db = r
            .components
            .get_mut("db")
            .unwrap()
            .database
            .as_mut()
            .unwrap();
        db.failovers[0].how = "<b>&\"x\"".into();
        let d = Detail::of(&r, "db").unwrap();
        let h = d.html();
        for row in d.sections.iter().flat_map(|s| &s.rows) {
            assert!(
                h.contains(&format!("<tr data-key=\"{}\">", row.key)),
                "{}",
                row.key
            );
            assert!(
                h.contains(&format!("<td>{}</td>", esc(&row.value))),
                "{}",
                row.key
            );
        }
        for p in &d.charts {
            assert!(h.contains(&format!("<figure id=\"detail-chart-{}\"", p.key)));
            assert!(h.contains(&*p.figure.svg));
        }
        assert!(
            h.contains("<td>&lt;b&gt;&amp;&quot;x&quot;</td>"),
            "escaped"
        );
        assert!(!h.contains("<b>&"), "never raw");
        assert!(!h.contains("95 % CI"), "one replication");
        let m = report_of("mm4-load-0.9.yaml");
        let h = Detail::of(&m, "server").unwrap().html();
        assert!(h.contains("95 % CI") && h.contains(r#"<td class="ci">"#));
    }

    #[test]
    fn figures_read_with_their_units() {
        assert_eq!(count(229073.0), "229,073");
        assert_eq!(count(12.0), "12");
        assert_eq!(format(Unit::PerSecond, 190.876), "190.9/s");
        assert_eq!(format(Unit::PerSecond, 0.0125), "0.013/s");
        assert_eq!(format(Unit::Seconds, 0.0779), "77.9 ms");
        assert_eq!(format(Unit::Seconds, 90.0), "90 s");
        assert_eq!(format(Unit::Clock, 600.0), "10:00");
        assert_eq!(format(Unit::Plain, 5.13865), "5.139");
        assert_eq!(label("", "lag_ms"), "lag");
        assert_eq!(title("queue.depth_hist"), "Queue: Depth hist");
    }
}
