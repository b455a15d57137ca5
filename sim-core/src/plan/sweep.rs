//! Sweeps: every point of the grid `vary` x `loads` of a `plan:` or `sweep:` block simulated as
//! its own scenario, with a fixed number of replications on common seeds (replication k of every
//! point uses the same random streams), and the figures a chart or a later plan needs: each SLO's
//! value, 95 % interval and verdict, the cost, the bottleneck, and every replication's outcome
//! (what `archsim plan --from` decides on without simulating again).
//!
//! Points are in grid order: the first variable of `vary` slowest, the load fastest. A point's
//! work is its replications, each a [`Job`] of the planner's job model; whoever runs them (threads,
//! a shard on a batch engine) hands the outcomes to [`point`] in replication order.

use super::job::{Job, Outcome};
use super::output::{Bottleneck, SloAtLoad, finite, mean, simulated_bottleneck};
use super::space::{Assignment, Space, at_load};
use super::verdict::{self, Decision};
use crate::report::Verdict;
use crate::slo::Slo;
use serde::{Deserialize, Serialize};

/// Replications a point gets when the file asks for fewer: one replication has no interval, so
/// it could never pass or fail; the planner starts every candidate with as many.
pub const MIN_REPLICATIONS: u32 = 3;

/// What identifies a sweep and every point of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepHeader {
    pub scenario: String,
    /// SHA-256 of the scenario file's text (`sha256sum FILE`).
    pub scenario_sha256: String,
    /// The archsim version that simulated it.
    pub archsim: String,
    pub seed: u64,
    /// Replications of every point.
    pub replications: u32,
    /// The confidence of each point's SLO verdicts (the block's `confidence`).
    pub confidence: f64,
    /// The variables, in `vary` order.
    pub variables: Vec<String>,
    pub loads: Vec<f64>,
    /// The scenario's SLOs, in file order (each point's `slo` follows it).
    pub slo: Vec<String>,
    /// Points in the grid.
    pub size: usize,
}

/// `archsim sweep --json`: the header's fields and the points, in grid order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepDocument {
    #[serde(flatten)]
    pub header: SweepHeader,
    pub points: Vec<SweepPoint>,
}

/// One point: one candidate at one load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Index in grid order.
    pub point: usize,
    /// The candidate's index in the space (grid order of `vary`).
    pub candidate: usize,
    pub assignment: Assignment,
    pub load: f64,
    /// Mean simulated monthly cost over the replications (`null`: not simulated).
    pub cost_usd_per_month: Option<f64>,
    /// `pass` when every SLO passes, `fail` when one fails, `inconclusive` otherwise.
    pub verdict: Verdict,
    pub slo: Vec<SloAtLoad>,
    pub bottleneck: Option<Bottleneck>,
    /// Why the point could not be simulated (an invalid candidate) or stopped (a run limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Every replication's outcome, in replication order.
    pub runs: Vec<Outcome>,
}

/// A point's place in the grid.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointKey {
    pub point: usize,
    pub candidate: usize,
    pub factor: f64,
}

/// Every point of the space, in grid order.
pub fn points(space: &Space) -> Vec<PointKey> {
    let loads = &space.spec.loads;
    (0..space.len())
        .flat_map(|c| {
            loads.iter().enumerate().map(move |(j, &f)| PointKey {
                point: c * loads.len() + j,
                candidate: c,
                factor: f,
            })
        })
        .collect()
}

/// The replications every point gets: `--replications` if given, else the file's, at least
/// [`MIN_REPLICATIONS`].
pub fn replications(space: &Space, asked: Option<u32>) -> u32 {
    asked.unwrap_or(space.base.replications.max(MIN_REPLICATIONS))
}

/// The header of a sweep of `space` with `replications` per point.
pub fn header(space: &Space, replications: u32) -> SweepHeader {
    SweepHeader {
        scenario: space.base.name.clone(),
        scenario_sha256: crate::shard::scenario_hash(&space.text),
        archsim: crate::shard::VERSION.to_string(),
        seed: space.base.seed,
        replications,
        confidence: space.spec.confidence,
        variables: space.spec.vars.iter().map(|v| v.name.clone()).collect(),
        loads: space.spec.loads.clone(),
        slo: space.base.slos.iter().map(|s| s.expr.clone()).collect(),
        size: space.len() * space.spec.loads.len(),
    }
}

/// The jobs of one point.
pub fn jobs(key: PointKey, replications: u32) -> Vec<Job> {
    (0..replications)
        .map(|r| Job {
            candidate: key.candidate,
            factor: key.factor,
            replication: r,
        })
        .collect()
}

/// The point's scenario (the candidate at its load), or why it is not a valid scenario.
pub fn scenario(space: &Space, key: PointKey) -> Result<crate::Scenario, String> {
    space
        .scenario(key.candidate)
        .map(|s| at_load(&s, key.factor))
}

/// What a point is expected to cost to simulate, for balancing shards: the analytic model's
/// arrivals at every component over the simulated time, times the replications (0 for an invalid
/// candidate, which is not simulated).
pub fn expected_cost(space: &Space, key: PointKey, replications: u32) -> f64 {
    let Ok(s) = scenario(space, key) else {
        return 0.0;
    };
    let a = crate::analytic::analyse(&s);
    let rate: f64 = a
        .components
        .iter()
        .map(|c| c.arrival_rps)
        .filter(|x| x.is_finite())
        .sum();
    let secs = crate::time::to_secs(s.duration);
    (1.0 + rate) * secs * replications as f64
}

/// The point from its outcomes (in replication order), or from the reason it was not simulated.
pub fn point(space: &Space, key: PointKey, outcomes: Result<Vec<Outcome>, String>) -> SweepPoint {
    let slos = &space.base.slos;
    let assignment = space.assignment(key.candidate);
    let runs = match outcomes {
        Ok(o) => o,
        Err(e) => {
            return SweepPoint {
                point: key.point,
                candidate: key.candidate,
                assignment,
                load: key.factor,
                cost_usd_per_month: None,
                verdict: Verdict::Fail,
                slo: slos.iter().map(|s| unmeasured(s, Verdict::Fail)).collect(),
                bottleneck: None,
                error: Some(e),
                runs: Vec::new(),
            };
        }
    };
    let error = runs.iter().find_map(|o| o.error.clone());
    let slo: Vec<SloAtLoad> = slos
        .iter()
        .enumerate()
        .map(|(j, s)| slo_at(s, j, &runs, space.spec.confidence, error.is_some()))
        .collect();
    let verdict = if slo.iter().any(|s| s.verdict == Verdict::Fail) {
        Verdict::Fail
    } else if slo.iter().all(|s| s.verdict == Verdict::Pass) {
        Verdict::Pass
    } else {
        Verdict::Inconclusive
    };
    SweepPoint {
        point: key.point,
        candidate: key.candidate,
        assignment,
        load: key.factor,
        cost_usd_per_month: (error.is_none() && !runs.is_empty())
            .then(|| mean(runs.iter().map(|o| o.cost))),
        verdict,
        slo,
        bottleneck: simulated_bottleneck(&runs),
        error,
        runs,
    }
}

fn unmeasured(s: &Slo, verdict: Verdict) -> SloAtLoad {
    SloAtLoad {
        expr: s.expr.clone(),
        value: None,
        ci95: None,
        interval: None,
        verdict,
        margin: None,
    }
}

/// One SLO at one point: as the planner decides it, at the block's confidence.
fn slo_at(s: &Slo, j: usize, runs: &[Outcome], confidence: f64, stopped: bool) -> SloAtLoad {
    let xs: Option<Vec<f64>> = runs
        .iter()
        .map(|o| o.slo.get(j).copied().flatten())
        .collect();
    let forced = runs
        .iter()
        .any(|o| o.forced_fail.get(j).is_some_and(Option::is_some));
    let Some(xs) = xs.filter(|xs| !xs.is_empty()) else {
        return unmeasured(
            s,
            if stopped {
                Verdict::Fail
            } else {
                Verdict::Inconclusive
            },
        );
    };
    let bounded =
        |i: verdict::Interval| (i.lo.is_finite() && i.hi.is_finite()).then_some([i.lo, i.hi]);
    let at = verdict::interval(&xs, confidence);
    let verdict = if stopped || forced {
        Verdict::Fail
    } else if super::job::rare_outages(runs, j).is_some() {
        // Rests on too few outages to decide (the report's `rare_events` rule).
        Verdict::Inconclusive
    } else {
        match verdict::decide(at, s.op, s.threshold) {
            Decision::Pass => Verdict::Pass,
            Decision::Fail => Verdict::Fail,
            Decision::Open => Verdict::Inconclusive,
        }
    };
    SloAtLoad {
        expr: s.expr.clone(),
        value: finite(at.mean),
        ci95: bounded(verdict::interval(&xs, 0.95)),
        interval: bounded(at),
        verdict,
        margin: finite(verdict::margin(at.mean, s.op, s.threshold)),
    }
}

/// The sweep as JSON text, as `archsim sweep --json` writes it (pretty, final newline).
pub fn json(doc: &SweepDocument) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("sweeps serialise");
    s.push('\n');
    s
}

/// The sweep as CSV (RFC 4180): one row per point, in grid order. Columns: `point`, each
/// variable by its name in `vary` (a bundle as compact JSON), `load`, `cost_usd_per_month`,
/// `verdict`, `bottleneck`, `bottleneck_utilization`, then for each SLO, by its expression,
/// `<slo>`, `<slo> ci95_low`, `<slo> ci95_high` and `<slo> verdict`. Empty cells are figures not
/// measured.
pub fn csv(doc: &SweepDocument) -> String {
    let h = &doc.header;
    let mut head: Vec<String> = vec!["point".into()];
    head.extend(h.variables.iter().cloned());
    for c in [
        "load",
        "cost_usd_per_month",
        "verdict",
        "bottleneck",
        "bottleneck_utilization",
    ] {
        head.push(c.into());
    }
    for s in &h.slo {
        head.push(s.clone());
        head.push(format!("{s} ci95_low"));
        head.push(format!("{s} ci95_high"));
        head.push(format!("{s} verdict"));
    }
    let mut out = row(&head);
    for p in &doc.points {
        let mut r = vec![p.point.to_string()];
        for v in &h.variables {
            r.push(p.assignment.get(v).map_or(String::new(), value_cell));
        }
        r.push(p.load.to_string());
        r.push(opt(p.cost_usd_per_month));
        r.push(verdict_word(p.verdict).into());
        r.push(
            p.bottleneck
                .as_ref()
                .map_or(String::new(), |b| b.component.clone()),
        );
        r.push(opt(p.bottleneck.as_ref().map(|b| b.utilization)));
        for s in &p.slo {
            r.push(opt(s.value));
            r.push(opt(s.ci95.map(|c| c[0])));
            r.push(opt(s.ci95.map(|c| c[1])));
            r.push(verdict_word(s.verdict).into());
        }
        out.push_str(&row(&r));
    }
    out
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), |x| x.to_string())
}

fn value_cell(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The verdict's word, as the JSON spells it.
pub fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Inconclusive => "inconclusive",
    }
}

fn row(cells: &[String]) -> String {
    let mut line = cells
        .iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    line.push_str("\r\n");
    line
}

/// Runs a whole sweep on one thread (tests; the CLI runs points on threads and shards).
pub fn run_serial(space: &Space, replications: u32) -> SweepDocument {
    let points = points(space)
        .into_iter()
        .map(|k| {
            let outcomes = scenario(space, k).map(|s| {
                jobs(k, replications)
                    .iter()
                    .map(|j| super::job::simulate(&s, j.replication))
                    .collect()
            });
            point(space, k, outcomes)
        })
        .collect();
    SweepDocument {
        header: header(space, replications),
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_what_needs_quoting() {
        assert_eq!(
            row(&["a".into(), "b,c".into(), "say \"hi\"".into()]),
            "a,\"b,c\",\"say \"\"hi\"\"\"\r\n"
        );
    }
}
