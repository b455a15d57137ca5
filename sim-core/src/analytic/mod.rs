//! TEMPORARY STUB (not committed): the analytic branch provides the real module.
use crate::scenario::{ComponentId, Scenario};
pub struct Analysis {
    pub components: Vec<ComponentModel>,
    pub workloads: Vec<WorkloadModel>,
    pub usd_per_month: f64,
    pub cost_exact: bool,
}
pub struct ComponentModel {
    pub arrival_rps: f64,
    pub servers: Option<u32>,
    pub utilization: f64,
    pub wait_ms: Option<f64>,
    pub response_ms: Option<f64>,
    pub loss: f64,
    pub availability: f64,
    pub mechanisms: Vec<String>,
}
pub struct WorkloadModel {
    pub latency_ms: Option<f64>,
    pub availability: f64,
}
impl Analysis {
    pub fn bottleneck(&self) -> Option<(ComponentId, f64)> {
        self.components
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.utilization))
            .fold(None, |b: Option<(usize, f64)>, (i, u)| match b {
                Some((_, bu)) if bu >= u => b,
                _ => Some((i, u)),
            })
    }
}
pub fn analyse(s: &Scenario) -> Analysis {
    let p = &s.prices;
    let rate: f64 = s
        .workloads
        .iter()
        .map(|w| match &w.kind {
            crate::scenario::WorkloadKind::Open(a) => a.per_sec(),
            _ => 0.0,
        })
        .sum();
    let comps = s
        .components
        .iter()
        .map(|c| {
            let servers = c.station.concurrency.map(|k| k * c.station.replicas);
            let util = servers.map_or(0.0, |n| {
                rate * c.station.service_time.mean_ns().unwrap_or(0.0) / 1e9 / n as f64
            });
            ComponentModel {
                arrival_rps: rate,
                servers,
                utilization: util,
                wait_ms: None,
                response_ms: None,
                loss: 0.0,
                availability: 1.0,
                mechanisms: vec![],
            }
        })
        .collect();
    let cost = s
        .components
        .iter()
        .filter_map(|c| {
            c.billing
                .as_ref()
                .map(|b| p.hourly(&b.instance, b.plan) * c.station.replicas as f64 * p.month_hours)
        })
        .sum();
    Analysis {
        components: comps,
        workloads: vec![],
        usd_per_month: cost,
        cost_exact: true,
    }
}
