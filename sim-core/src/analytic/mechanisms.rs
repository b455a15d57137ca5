//! The mechanisms a component has that the analytic model does not capture (or captures only in
//! the mean), named in the report's `analytic` section and in `analytic_disagreement` warnings:
//! where the simulation and the model disagree, these are the usual reasons.

use crate::dist::Dist;
use crate::scenario::{BalancerPolicy, CacheModel, ComponentKind, FaultKind, Scenario};

/// The names, sorted and unique.
pub fn of(s: &Scenario, c: usize) -> Vec<String> {
    let comp = &s.components[c];
    let mut v: Vec<&str> = Vec::new();
    // Calls made by the component, and calls made to it (retried calls land on the callee).
    let incoming = s
        .components
        .iter()
        .flat_map(|x| x.station.calls())
        .filter(|call| call.to == c);
    for call in comp.station.calls().chain(incoming) {
        if call.retry.is_some() {
            v.push("retries");
        }
        if call.timeout.is_some() {
            v.push("timeouts");
        }
        if call.circuit_breaker.is_some() {
            v.push("circuit_breaker");
        }
    }
    if comp
        .station
        .steps
        .iter()
        .any(|st| matches!(st, crate::scenario::Step::Parallel(cs) if cs.len() > 1))
    {
        v.push("parallel_fan_out");
    }
    if comp.autoscale.is_some() {
        v.push("autoscaling");
    }
    if comp.failures.is_some() {
        v.push("random_failures");
    }
    if !matches!(comp.station.service_time, Dist::Exponential { .. })
        && comp.station.concurrency.is_some()
    {
        v.push("general_service_times");
    }
    match &comp.kind {
        ComponentKind::Function(_) => v.push("cold_starts"),
        ComponentKind::Database(d) => {
            if d.failover.is_some() {
                v.push("failover");
            }
            if d.nodes.len() > 1 {
                v.push("replication");
            }
        }
        ComponentKind::LoadBalancer(b) | ComponentKind::Dns(b) => {
            if b.health_check.is_some() {
                v.push("health_checks");
            }
            if b.rate_limit.is_some() {
                v.push("rate_limit");
            }
            if b.policy == BalancerPolicy::Failover {
                v.push("failover");
            }
            if b.timeout.is_some() {
                v.push("timeouts");
            }
        }
        ComponentKind::Cache(cache) => {
            if matches!(cache.model, CacheModel::Keys { .. }) {
                v.push("cache_warmup");
            }
        }
        ComponentKind::Queue(_) => v.push("redelivery"),
        ComponentKind::Service | ComponentKind::External | ComponentKind::ObjectStore(_) => {}
    }
    if s.faults.iter().any(|f| touches(&f.kind, c)) {
        v.push("faults");
    }
    v.sort_unstable();
    v.dedup();
    v.into_iter().map(str::to_string).collect()
}

fn touches(kind: &FaultKind, c: usize) -> bool {
    match *kind {
        FaultKind::InstanceCrash { component, .. }
        | FaultKind::Latency { component, .. }
        | FaultKind::Errors { component, .. }
        | FaultKind::BadDeploy { component, .. }
        | FaultKind::SpotReclaim { component, .. }
        | FaultKind::CacheFlush { component }
        | FaultKind::ReplicationLag { component, .. } => component == c,
        // Outages, partitions and spikes touch what runs or calls there: every component may see them.
        FaultKind::RegionOutage { .. }
        | FaultKind::ZoneOutage { .. }
        | FaultKind::Partition { .. }
        | FaultKind::LoadSpike { .. } => true,
    }
}
