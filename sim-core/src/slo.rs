//! Service-level objectives: the `slo:` expressions of a scenario (contract forms such as
//! `p99(checkout) < 250ms`, `availability(checkout) >= 99.9%`), as the loader parses them once
//! against the scenario's names (`scenario/load_slo.rs`) and the report evaluates them later.

use crate::diagnostic::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LatencyStat {
    Mean,
    P50,
    P90,
    P95,
    P99,
    P999,
    Max,
}

impl LatencyStat {
    pub const ALL: [(&'static str, LatencyStat); 7] = [
        ("mean", LatencyStat::Mean),
        ("p50", LatencyStat::P50),
        ("p90", LatencyStat::P90),
        ("p95", LatencyStat::P95),
        ("p99", LatencyStat::P99),
        ("p999", LatencyStat::P999),
        ("max", LatencyStat::Max),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(n, _)| *n)
            .unwrap_or("?")
    }
}

/// What an SLO measures. Workload and component names are kept for lookup in a report.
#[derive(Clone, Debug, PartialEq)]
pub enum Metric {
    /// End-to-end latency of a workload, in milliseconds.
    Latency(LatencyStat, String),
    /// Completed / (completed + failed), a fraction.
    Availability(String),
    /// Completed requests per second.
    Throughput(String),
    /// Mean share of a component's concurrency slots busy, a fraction.
    Utilization(String),
    /// USD per month.
    Cost,
    /// Recovery time objective, in seconds: the worst fault's, or one workload's.
    Rto(Option<String>),
    /// Recovery point objective, in seconds: the worst fault's, or one workload's.
    Rpo(Option<String>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Op::Lt => value < threshold,
            Op::Le => value <= threshold,
            Op::Gt => value > threshold,
            Op::Ge => value >= threshold,
        }
    }
}

/// One target, with its threshold in the report's units (ms, fraction, rps, USD/month, s).
#[derive(Clone, Debug, PartialEq)]
pub struct Slo {
    pub expr: String,
    pub span: Span,
    pub metric: Metric,
    pub op: Op,
    pub threshold: f64,
}

/// The largest latency target (an upper bound: `<` or `<=`) any SLO sets for `workload`, in
/// nanoseconds: a request still unfinished when it is older than this has missed every latency
/// target of its workload, and counts as failed for availability.
pub fn latency_bound(slos: &[Slo], workload: &str) -> Option<crate::time::SimTime> {
    slos.iter()
        .filter_map(|s| match &s.metric {
            Metric::Latency(_, w) if w == workload && matches!(s.op, Op::Lt | Op::Le) => {
                Some(crate::time::from_nanos_f64(s.threshold * 1e6))
            }
            Metric::Latency(..)
            | Metric::Availability(_)
            | Metric::Throughput(_)
            | Metric::Utilization(_)
            | Metric::Cost
            | Metric::Rto(_)
            | Metric::Rpo(_) => None,
        })
        .max()
}
