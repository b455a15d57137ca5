//! What the Plan tab shows of a finished plan or sweep, read from its JSON (the bytes
//! `archsim plan --json` and `archsim sweep --json` print, read once as the typed
//! `sim_core::plan::output::PlanDocument` or `sim_core::plan::sweep::SweepDocument`): the
//! candidates table (sortable), the cost-against-margin frontier with
//! the chosen plan marked, and a sweep's chart of any SLO figure against a varied field or the
//! load, one line per value of a second variable, with 95 % intervals. Pure: the page only
//! renders these rows and SVG texts.

use report_charts::{XyChart, XyPoint, XySeries, xy_svg};
use serde_json::Value;
use sim_core::plan::output::{CandidateStatus, PlanDocument, PlanReport};
use sim_core::plan::space::Assignment;
use sim_core::plan::sweep::{SweepDocument, SweepPoint};

/// The chart width in SVG pixels (the results column, as the report's charts).
pub const WIDTH: u32 = 860;

/// One row of the candidates table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The candidate's values, `name=value` joined by `, ` (a bundle as compact JSON).
    pub values: String,
    pub cost: Option<f64>,
    pub status: String,
    /// The SLO that decided it, and at which load.
    pub binding: Option<String>,
    pub load: Option<f64>,
    /// How far the deciding figure was from its target, relative (positive: passing side).
    pub margin: Option<f64>,
    /// The bottleneck and its utilisation.
    pub bottleneck: Option<(String, f64)>,
    pub reason: Option<String>,
    pub replications: u64,
    /// The chosen plan.
    pub best: bool,
}

/// A column of the candidates table, to sort by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Values,
    Cost,
    Status,
    Binding,
    Margin,
    Bottleneck,
    Replications,
}

impl Column {
    pub const ALL: [Column; 7] = [
        Column::Values,
        Column::Cost,
        Column::Status,
        Column::Binding,
        Column::Margin,
        Column::Bottleneck,
        Column::Replications,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Values => "values",
            Column::Cost => "cost / month",
            Column::Status => "status",
            Column::Binding => "binding SLO (load)",
            Column::Margin => "margin",
            Column::Bottleneck => "bottleneck",
            Column::Replications => "replications",
        }
    }
}

/// `name=value, ...` of an assignment (a string value without its quotes, others as JSON).
pub fn values_text(a: &Assignment) -> String {
    a.iter()
        .map(|(k, v)| format!("{k}={}", plain(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A candidate's status for people: `not needed` for `not_needed`.
pub fn status_text(s: CandidateStatus) -> &'static str {
    match s {
        CandidateStatus::Feasible => "feasible",
        CandidateStatus::Infeasible => "infeasible",
        CandidateStatus::Pruned => "pruned",
        CandidateStatus::Undecided => "undecided",
        CandidateStatus::NotNeeded => "not needed",
        CandidateStatus::Invalid => "invalid",
    }
}

/// The candidates of a plan, in the planner's order (cheapest first).
pub fn rows(doc: &PlanDocument) -> Vec<Row> {
    let plan = &doc.plan;
    let best = plan.best.as_ref().map(|b| values_text(&b.assignment));
    plan.candidates
        .iter()
        .map(|c| {
            let values = values_text(&c.assignment);
            let d = c.decided_by.as_ref();
            Row {
                best: best.as_ref() == Some(&values),
                cost: c.cost_usd_per_month,
                status: status_text(c.status).to_string(),
                binding: d.and_then(|d| d.slo.clone()),
                load: d.map(|d| d.load),
                margin: d.and_then(|d| d.margin),
                bottleneck: c
                    .bottleneck
                    .as_ref()
                    .map(|b| (b.component.clone(), b.utilization)),
                reason: c.reason.clone(),
                replications: u64::from(c.replications),
                values,
            }
        })
        .collect()
}

/// Sorts rows by a column (missing figures last either way); ties keep the planner's order.
pub fn sort(rows: &mut [Row], by: Column, ascending: bool) {
    use std::cmp::Ordering;
    fn num(a: Option<f64>, b: Option<f64>) -> Ordering {
        match (a, b) {
            (Some(a), Some(b)) => a.total_cmp(&b),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        }
    }
    rows.sort_by(|a, b| {
        let o = match by {
            Column::Values => a.values.cmp(&b.values),
            Column::Cost => num(a.cost, b.cost),
            Column::Status => a.status.cmp(&b.status),
            Column::Binding => a.binding.cmp(&b.binding),
            Column::Margin => num(a.margin, b.margin),
            Column::Bottleneck => num(
                a.bottleneck.as_ref().map(|b| b.1),
                b.bottleneck.as_ref().map(|b| b.1),
            ),
            Column::Replications => a.replications.cmp(&b.replications),
        };
        if ascending { o } else { o.reverse() }
    });
}

/// Whether an SLO expression's target is an upper bound (`<`, `<=`).
fn upper_bound(expr: &str) -> bool {
    expr.contains('<')
}

/// The best plan's tightest SLO at any load: its margin and the margin's 95 % interval.
fn best_margin(plan: &PlanReport) -> Option<(f64, Option<(f64, f64)>)> {
    let mut tightest: Option<(f64, Option<(f64, f64)>)> = None;
    for l in &plan.best.as_ref()?.loads {
        for s in &l.slo {
            let (Some(m), Some(v)) = (s.margin, s.value) else {
                continue;
            };
            // The threshold from the value and its margin, then the interval in margin terms.
            let upper = upper_bound(&s.expr);
            let thr = if upper { v / (1.0 - m) } else { v / (1.0 + m) };
            let at = |x: f64| {
                let scale = thr.abs().max(1e-12);
                if upper {
                    (thr - x) / scale
                } else {
                    (x - thr) / scale
                }
            };
            let interval = s.ci95.and_then(|[lo, hi]| {
                let (a, b) = (at(lo), at(hi));
                (thr.is_finite() && a.is_finite() && b.is_finite()).then(|| (a.min(b), a.max(b)))
            });
            if tightest.is_none_or(|(t, _)| m < t) {
                tightest = Some((m, interval));
            }
        }
    }
    tightest
}

/// The frontier: every simulated candidate's cost against the margin of the SLO that decided it
/// (in %: above 0 passes, below fails), the chosen plan marked with its 95 % interval. Feasible
/// and infeasible candidates are two series; pruned ones were not simulated and are left out.
pub fn frontier_svg(doc: &PlanDocument) -> Option<String> {
    let plan = &doc.plan;
    let pct = |m: f64| m * 100.0;
    let mut infeasible = Vec::new();
    for c in &plan.candidates {
        if c.status == CandidateStatus::Infeasible
            && let (Some(cost), Some(m)) = (
                c.cost_usd_per_month,
                c.decided_by.as_ref().and_then(|d| d.margin),
            )
        {
            infeasible.push(XyPoint {
                x: cost,
                y: pct(m),
                interval: None,
                marked: false,
            });
        }
    }
    let mut chosen = Vec::new();
    if let (Some(cost), Some((m, i))) = (
        plan.best.as_ref().map(|b| b.cost_usd_per_month),
        best_margin(plan),
    ) {
        chosen.push(XyPoint {
            x: cost,
            y: pct(m),
            interval: i.map(|(a, b)| (pct(a), pct(b))),
            marked: true,
        });
    }
    xy_svg(&XyChart {
        series: vec![
            XySeries {
                name: "the plan (tightest SLO)".into(),
                points: chosen,
                joined: false,
            },
            XySeries {
                name: "infeasible (deciding SLO)".into(),
                points: infeasible,
                joined: false,
            },
        ],
        x_desc: "cost (USD per month)".into(),
        y_desc: "SLO margin (%; above 0 passes)".into(),
        threshold: Some(0.0),
        width: WIDTH,
        height: 320,
    })
}

/// The plan's load over the growth horizon against what it holds: the largest load grown by
/// `growth` month by month (one line), the load the plan holds to (headroom times the largest
/// load, a dashed line) and the runway's month marked on the line. `None` without `growth` or
/// without a headroom (no plan, or `plan --from`).
pub fn growth_svg(doc: &PlanDocument) -> Option<String> {
    let plan = &doc.plan;
    let growth = plan.growth?;
    let (rate, horizon) = (growth.rate_per_month, growth.horizon_months);
    let headroom = plan.headroom?;
    let largest = plan.loads.iter().copied().fold(f64::NAN, f64::max);
    if !largest.is_finite() {
        return None;
    }
    // `runway_months: null` with growth: it holds to the horizon.
    let runway = plan.runway_months.unwrap_or(horizon);
    let points = (0..=horizon)
        .map(|m| XyPoint {
            x: m as f64,
            y: largest * (1.0 + rate).powi(m as i32),
            interval: None,
            marked: m == runway,
        })
        .collect();
    xy_svg(&XyChart {
        series: vec![XySeries {
            name: format!("the largest load grown {:.0} % a month", rate * 100.0),
            points,
            joined: true,
        }],
        x_desc: "months from now".into(),
        y_desc: "load factor (x today's rate)".into(),
        threshold: Some(largest * headroom),
        width: WIDTH,
        height: 260,
    })
}

/// An axis of a sweep's chart: a variable of `vary` (by index) or the load factor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Axis {
    Var(usize),
    Load,
}

/// The numbers of a value, for an axis: a number, or its position among the values seen.
fn axis_value(v: &Value, seen: &mut Vec<String>) -> f64 {
    if let Some(x) = v.as_f64() {
        return x;
    }
    let key = v.to_string();
    match seen.iter().position(|s| *s == key) {
        Some(i) => i as f64,
        None => {
            seen.push(key);
            (seen.len() - 1) as f64
        }
    }
}

/// A sweep's chart: SLO `slo`'s figure against `x`, one line per value of `series` (or one line),
/// every other dimension held at its first value (said in the returned subtitle). Returns the
/// SVG, the legend's names and the subtitle.
pub fn sweep_svg(
    doc: &SweepDocument,
    slo: usize,
    x: Axis,
    series: Option<Axis>,
) -> Option<(String, Vec<String>, String)> {
    let vars = &doc.header.variables;
    let points = &doc.points;
    let first = points.first()?;
    let coord = |p: &SweepPoint, a: Axis| -> Value {
        match a {
            Axis::Load => Value::from(p.load),
            Axis::Var(i) => p.assignment.get(&vars[i]).cloned().unwrap_or_default(),
        }
    };
    let name = |a: Axis| match a {
        Axis::Load => "load".to_string(),
        Axis::Var(i) => vars[i].clone(),
    };
    let mut fixed: Vec<Axis> = (0..vars.len()).map(Axis::Var).collect();
    fixed.push(Axis::Load);
    fixed.retain(|a| *a != x && Some(*a) != series);
    let held: Vec<String> = fixed
        .iter()
        .map(|&a| format!("{} = {}", name(a), plain(&coord(first, a))))
        .collect();
    let mut lines: Vec<(String, Vec<XyPoint>)> = Vec::new();
    let mut seen = Vec::new();
    for p in points {
        if fixed.iter().any(|&a| coord(p, a) != coord(first, a)) {
            continue;
        }
        let Some(s) = p.slo.get(slo) else {
            continue;
        };
        let Some(y) = s.value else {
            continue;
        };
        let line = series.map_or_else(
            || String::from("all"),
            |a| format!("{} = {}", name(a), plain(&coord(p, a))),
        );
        let pt = XyPoint {
            x: axis_value(&coord(p, x), &mut seen),
            y,
            interval: s.ci95.map(|[lo, hi]| (lo, hi)),
            marked: false,
        };
        match lines.iter_mut().find(|(n, _)| *n == line) {
            Some((_, pts)) => pts.push(pt),
            None => lines.push((line, vec![pt])),
        }
    }
    let expr = doc
        .header
        .slo
        .get(slo)
        .map_or("SLO", String::as_str)
        .to_string();
    let threshold = threshold_of(&expr);
    let names: Vec<String> = lines.iter().map(|(n, _)| n.clone()).collect();
    let svg = xy_svg(&XyChart {
        series: lines
            .into_iter()
            .map(|(name, points)| XySeries {
                name,
                points,
                joined: true,
            })
            .collect(),
        x_desc: if seen.is_empty() {
            name(x)
        } else {
            format!("{} ({})", name(x), seen.join(", "))
        },
        y_desc: expr.clone(),
        threshold,
        width: WIDTH,
        height: 340,
    })?;
    let sub = if held.is_empty() {
        format!("{expr}, 95 % intervals")
    } else {
        format!("{expr}, 95 % intervals; held at {}", held.join(", "))
    };
    Some((svg, names, sub))
}

/// A value as the user wrote it (a string without its quotes).
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The threshold of an SLO in the report's units, for the dashed line: milliseconds for a
/// latency (`p99(web) < 200ms`), a share for a percentage (`>= 99.9%`), else the number.
pub fn threshold_of(expr: &str) -> Option<f64> {
    let at = expr.rfind(['<', '>', '='])?;
    let t = expr[at + 1..].trim();
    let (num, unit): (String, String) = {
        let n: String = t
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let u = t[n.len()..].trim().to_string();
        (n, u)
    };
    let x: f64 = num.parse().ok()?;
    Some(match unit.as_str() {
        "ms" => x,
        "s" => x * 1000.0,
        "us" | "µs" => x / 1000.0,
        "%" => x / 100.0,
        "" => x,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use sim_core::plan::output::GrowthReport;

    /// A plan as `archsim plan --json` writes it, read as the typed document (the keys that may
    /// be `null` left out).
    fn plan() -> PlanDocument {
        serde_json::from_value(json!({"plan": {
        "scenario": "t", "seed": 1, "status": "found", "objective": "cost.usd_per_month",
        "confidence": 0.95, "per_decision_confidence": 0.99, "loads": [1.0],
        "evaluations": {"simulations": 3, "replications": 15, "candidates": 4, "candidates_simulated": 2},
        "best": {"assignment": {"api.replicas": 3}, "cost_usd_per_month": 300.0, "cost_exact": true,
            "loads": [{"load": 1.0, "replications": 9, "simulated_cost_usd_per_month": 300.0, "slo": [
                {"expr": "p99(web) < 200ms", "value": 150.0, "ci95": [140.0, 160.0], "margin": 0.25, "verdict": "pass"},
                {"expr": "availability(web) >= 99%", "value": 0.999, "ci95": [0.998, 1.0], "margin": 0.00909, "verdict": "pass"}
            ]}]},
        "candidates": [
            {"assignment": {"api.replicas": 1}, "cost_usd_per_month": 100.0, "status": "pruned",
             "reason": "overloaded", "replications": 0, "bottleneck": {"component": "api", "utilization": 1.5}},
            {"assignment": {"api.replicas": 2}, "cost_usd_per_month": 200.0, "status": "infeasible",
             "decided_by": {"slo": "p99(web) < 200ms", "load": 3.0, "value": 260.0, "margin": -0.3},
             "replications": 6, "bottleneck": {"component": "api", "utilization": 0.9}},
            {"assignment": {"api.replicas": 3}, "cost_usd_per_month": 300.0, "status": "feasible",
             "replications": 9},
            {"assignment": {"api.replicas": 4}, "cost_usd_per_month": 400.0, "status": "not_needed",
             "replications": 0}
        ]}}))
        .unwrap()
    }

    #[test]
    fn rows_say_why_each_candidate_stands_where_it_does() {
        let r = rows(&plan());
        assert_eq!(r.len(), 4);
        assert_eq!(r[1].values, "api.replicas=2");
        assert_eq!(r[1].binding.as_deref(), Some("p99(web) < 200ms"));
        assert_eq!((r[1].load, r[1].margin), (Some(3.0), Some(-0.3)));
        assert_eq!(r[0].reason.as_deref(), Some("overloaded"));
        assert_eq!(r[3].status, "not needed");
        assert_eq!(
            r.iter()
                .filter(|x| x.best)
                .map(|x| x.values.as_str())
                .collect::<Vec<_>>(),
            ["api.replicas=3"]
        );
    }

    #[test]
    fn sorting_keeps_missing_figures_last_and_can_reverse() {
        let mut r = rows(&plan());
        sort(&mut r, Column::Margin, true);
        assert_eq!(r[0].values, "api.replicas=2", "the only margin first");
        sort(&mut r, Column::Cost, false);
        let costs: Vec<_> = r.iter().map(|x| x.cost.unwrap()).collect();
        assert_eq!(costs, [400.0, 300.0, 200.0, 100.0]);
        sort(&mut r, Column::Replications, false);
        assert_eq!(r[0].replications, 9);
    }

    #[test]
    fn the_frontier_marks_the_plan_at_its_tightest_slo_with_its_interval() {
        let m = best_margin(&plan().plan).unwrap();
        assert!(
            (m.0 - 0.00909).abs() < 1e-12,
            "availability is the tightest"
        );
        let (lo, hi) = m.1.unwrap();
        // threshold 0.999/1.00909 = 0.99; the interval [0.998, 1.0] is margins [0.0081, 0.0101].
        assert!(
            (lo - (0.998 / 0.99 - 1.0)).abs() < 1e-4 && (hi - (1.0 / 0.99 - 1.0)).abs() < 1e-4,
            "{lo} {hi}"
        );
        let svg = frontier_svg(&plan()).unwrap();
        // The plan and its ring, one infeasible point; the pruned one was not simulated.
        assert_eq!(svg.matches("<circle").count(), 3, "{svg}");
    }

    #[test]
    fn the_growth_chart_rises_to_the_runway_and_holds_line_at_the_headroom() {
        let mut doc = plan();
        let growth = GrowthReport {
            rate_per_month: 0.1,
            horizon_months: 12,
        };
        doc.plan.loads = vec![1.0, 2.0];
        (doc.plan.headroom, doc.plan.runway_months) = (Some(1.5), Some(4));
        doc.plan.growth = Some(growth);
        let svg = growth_svg(&doc).unwrap();
        // 13 months on the line, the runway's month ringed.
        assert!(svg.contains("#D55E00"), "the headroom line: {svg}");
        assert_eq!(svg.matches("<circle").count(), 13 + 1, "{svg}");
        // No growth, or no headroom (plan --from): nothing to draw.
        doc.plan.growth = None;
        assert!(growth_svg(&doc).is_none());
        (doc.plan.growth, doc.plan.headroom) = (Some(growth), None);
        assert!(growth_svg(&doc).is_none());
    }

    #[test]
    fn thresholds_read_in_the_reports_units() {
        assert_eq!(threshold_of("p99(web) < 200ms"), Some(200.0));
        assert_eq!(threshold_of("p50(web) <= 1.5s"), Some(1500.0));
        assert!((threshold_of("availability(web) >= 99.9%").unwrap() - 0.999).abs() < 1e-12);
        assert_eq!(threshold_of("cost.usd_per_month < 12k"), None);
    }

    #[test]
    fn a_sweep_chart_draws_one_line_per_value_of_the_second_variable() {
        let p = |a: u64, b: &str, load: f64, v: f64| {
            json!({"point": 0, "candidate": 0, "assignment": {"a": a, "b": b}, "load": load,
            "verdict": "pass", "runs": [],
            "slo": [{"expr": "p99(web) < 10ms", "verdict": "pass", "value": v, "ci95": [v - 1.0, v + 1.0]}]})
        };
        let doc: SweepDocument = serde_json::from_value(json!({"scenario": "t",
            "scenario_sha256": "", "archsim": "0", "seed": 1, "replications": 3, "confidence": 0.95,
            "variables": ["a", "b"], "loads": [1.0, 2.0], "slo": ["p99(web) < 10ms"], "size": 8,
            "points": [
            p(1, "x", 1.0, 5.0), p(1, "x", 2.0, 50.0), p(1, "y", 1.0, 6.0), p(1, "y", 2.0, 60.0),
            p(2, "x", 1.0, 3.0), p(2, "x", 2.0, 30.0), p(2, "y", 1.0, 4.0), p(2, "y", 2.0, 40.0)]}))
        .unwrap();
        let (svg, names, sub) = sweep_svg(&doc, 0, Axis::Var(0), Some(Axis::Var(1))).unwrap();
        assert_eq!(names, ["b = x", "b = y"]);
        assert!(sub.contains("held at load = 1.0"), "{sub}");
        assert_eq!(
            svg.matches("<circle").count(),
            4,
            "two lines of two points at load 1"
        );
        let (_, names, sub) = sweep_svg(&doc, 0, Axis::Load, None).unwrap();
        assert_eq!(names, ["all"]);
        assert!(sub.contains("a = 1") && sub.contains("b = x"), "{sub}");
    }
}
