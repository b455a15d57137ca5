//! The report as the page shows it: the parts of the JSON report (the format's contract, see
//! docs/format.md) that the results panel reads, and the formatting of its numbers. The page reads
//! the worker's JSON text rather than sharing Rust types with it, so it sees exactly what a user of
//! `archsim run --json` sees.

use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Report {
    pub scenario: String,
    pub seed: u64,
    pub simulated_s: f64,
    pub warmup_s: f64,
    pub replications: u32,
    pub workloads: BTreeMap<String, Workload>,
    pub components: BTreeMap<String, Component>,
    pub slo: Vec<Slo>,
    pub engine: Engine,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Workload {
    pub requests: u64,
    pub completed: u64,
    pub failed: u64,
    pub availability: f64,
    pub throughput_rps: f64,
    pub latency_ms: Latency,
}

#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct Latency {
    pub mean: f64,
    pub p50: f64,
    pub p90: f64,
    pub p95: f64,
    pub p99: f64,
    pub p999: f64,
    pub max: f64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Component {
    pub utilization: f64,
    pub queue_wait_ms: QueueWait,
    pub arrivals: u64,
    pub completed: u64,
    pub rejected: u64,
    pub throughput_rps: f64,
    pub busy_mean: f64,
    pub in_system_mean: f64,
    pub sojourn_ms: Sojourn,
}

#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct QueueWait {
    pub mean: f64,
    pub p99: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct Sojourn {
    pub mean: f64,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Slo {
    pub expr: String,
    pub value: Option<f64>,
    pub pass: Option<bool>,
    pub note: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Deserialize)]
pub struct Engine {
    pub events: u64,
}

impl Report {
    pub fn parse(json: &str) -> Result<Report, String> {
        serde_json::from_str(json).map_err(|e| format!("unreadable report: {e}"))
    }
}

/// A duration in milliseconds, with precision that suits its size.
pub fn ms(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0} ms")
    } else if v >= 10.0 {
        format!("{v:.1} ms")
    } else {
        format!("{v:.2} ms")
    }
}

/// A share as a percentage; close to 100 % it keeps the digits that matter for availability.
pub fn percent(v: f64) -> String {
    let p = v * 100.0;
    if (99.0..100.0).contains(&p) {
        format!("{p:.3} %")
    } else {
        format!("{p:.1} %")
    }
}

/// A rate per second.
pub fn rate(v: f64) -> String {
    format!("{v:.1}/s")
}

/// An SLO's measured value: SLOs on availability and utilisation are shares, the rest as reported.
pub fn slo_value(s: &Slo) -> String {
    match s.value {
        None => "not measured".into(),
        Some(v) if s.expr.starts_with("availability") => percent(v),
        Some(v) if s.expr.starts_with("utilization") => format!("{v:.3}"),
        Some(v) if s.expr.starts_with('p') || s.expr.starts_with("mean") => ms(v),
        Some(v) => format!("{v}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_report_of_every_example() {
        for e in crate::examples::EXAMPLES {
            let mut l = sim_core::load(e.yaml.as_bytes()).unwrap();
            l.scenario.duration = l.scenario.duration.min(5_000_000_000);
            l.scenario.replications = l.scenario.replications.min(2);
            let json = sim_core::report_json(&sim_core::simulate(&l.scenario).unwrap());
            let r = Report::parse(&json).unwrap();
            assert_eq!(r.workloads.len(), l.scenario.workloads.len(), "{}", e.file);
            assert_eq!(r.components.len(), l.scenario.components.len());
        }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(ms(0.1234), "0.12 ms");
        assert_eq!(ms(90.96), "91.0 ms");
        assert_eq!(ms(292.9), "293 ms");
        assert_eq!(percent(0.99912), "99.912 %");
        assert_eq!(percent(1.0), "100.0 %");
        assert_eq!(rate(402.126), "402.1/s");
    }
}
