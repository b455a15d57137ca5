//! Recovery figures of a run: RTO and RPO per fault, and error budgets.
//!
//! **RTO criterion.** Only the workloads a fault can reach count for it (those whose requests reach
//! a component it changes, or whose users it cuts off). A workload is *within its SLO* in a time-series window when the window's
//! availability (completed / (completed + failed)) meets the workload's availability target and,
//! where the scenario has a `p99(...)` or `p50(...)` target for it, the window's p99 / p50 meets it.
//! The availability target is the workload's `availability(...)` SLO, or 99.9 % without one. A
//! window with no finished request is within its SLO only if requests were not expected (none was
//! sent in it). A fault's RTO is the time from its start to the end of the last window, at or after
//! the start, in which some workload was out of its SLO, provided every workload stays within its
//! SLO from then to the end of the run; otherwise the run did not recover (`rto_s: null`). The
//! resolution is the time-series window (`timeseries.window_s`).
//!
//! **RPO.** The failovers, while the fault was active, of the databases the fault can reach (the
//! crashed component; the nodes in the dark region or zone; any, for other faults): the
//! acknowledged writes the new primary never had (their count) and the age of the oldest (`rpo_s`).
//!
//! **Error budget.** For a workload with an availability target A, the budget is the share 1 - A
//! of its requests that may fail; `consumed` is failed / (budget x requests); the burn rate of a
//! window is its failure share over 1 - A (1 burns the budget exactly over the run).

use crate::engine::run::{KindResult, ReplicationResult};
use crate::scenario::Scenario;
use crate::slo::{LatencyStat, Metric, Op};
use crate::time::to_secs;
use serde::{Deserialize, Serialize};

/// Availability target of workloads without an `availability` SLO.
pub const DEFAULT_AVAILABILITY_TARGET: f64 = 0.999;

/// How one timed fault was recovered from: RTO, RPO, lost writes, the workloads it hurt.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RecoveryReport {
    /// The fault, as `faults[].fault` describes it.
    pub fault: String,
    /// When it started, seconds from the start of the run.
    pub start_s: f64,
    /// Time from the fault's start until every workload was back within its SLO for good (mean over
    /// replications); `null` if some replication did not recover within the run.
    pub rto_s: Option<f64>,
    /// Age of the oldest acknowledged write lost in a failover during the fault (0 if none).
    pub rpo_s: f64,
    /// Acknowledged writes lost in failovers during the fault (totals over replications).
    pub lost_writes: u64,
    /// Workloads that went out of their SLO after the fault started.
    pub affected: Vec<String>,
}

/// Per-workload targets used by the RTO criterion.
struct Targets {
    availability: f64,
    p99_ms: Option<(Op, f64)>,
    p50_ms: Option<(Op, f64)>,
}

fn targets(s: &Scenario) -> Vec<Targets> {
    s.workloads
        .iter()
        .map(|w| {
            let mut t = Targets {
                availability: DEFAULT_AVAILABILITY_TARGET,
                p99_ms: None,
                p50_ms: None,
            };
            for slo in &s.slos {
                match &slo.metric {
                    Metric::Availability(n) if *n == w.name => t.availability = slo.threshold,
                    Metric::Latency(LatencyStat::P99, n) if *n == w.name => {
                        t.p99_ms = Some((slo.op, slo.threshold))
                    }
                    Metric::Latency(LatencyStat::P50, n) if *n == w.name => {
                        t.p50_ms = Some((slo.op, slo.threshold))
                    }
                    _ => {}
                }
            }
            t
        })
        .collect()
}

/// Availability target of each workload (for error budgets).
pub fn availability_targets(s: &Scenario) -> Vec<f64> {
    targets(s).into_iter().map(|t| t.availability).collect()
}

/// Whether workload `w` is within its SLO in window `i` of replication `r`.
fn within(t: &Targets, r: &ReplicationResult, i: usize, w: usize) -> bool {
    let p = r.timeseries.workloads[i][w];
    let finished = p.completed + p.failed;
    if finished == 0 {
        return true;
    }
    let availability = p.completed as f64 / finished as f64;
    let mut ok = availability >= t.availability;
    if p.completed > 0 {
        if let Some((op, x)) = t.p99_ms {
            ok &= op.holds(p.p99_ns / 1e6, x);
        }
        if let Some((op, x)) = t.p50_ms {
            ok &= op.holds(p.p50_ns / 1e6, x);
        }
    }
    ok
}

/// RTO and RPO of every timed fault.
pub fn report(s: &Scenario, reps: &[ReplicationResult]) -> Vec<RecoveryReport> {
    let targets = targets(s);
    let names = s.fault_names();
    s.faults
        .iter()
        .map(|f| {
            let mut rtos = Vec::new();
            let mut affected = vec![false; s.workloads.len()];
            let exposed = exposed_workloads(s, &f.kind);
            for r in reps {
                let window = r.timeseries.window;
                let windows = r.timeseries.workloads.len();
                let first = (f.at / window) as usize;
                let mut last_bad: Option<usize> = None;
                for i in first..windows {
                    for (w, t) in targets.iter().enumerate() {
                        if exposed[w] && !within(t, r, i, w) {
                            last_bad = Some(i);
                            affected[w] = true;
                        }
                    }
                }
                rtos.push(match last_bad {
                    None => Some(0.0),
                    // Out of SLO in the last window: not recovered within the run.
                    Some(i) if i + 1 == windows => None,
                    Some(i) => Some((to_secs((i as u64 + 1) * window) - to_secs(f.at)).max(0.0)),
                });
            }
            let rto_s = rtos
                .iter()
                .copied()
                .collect::<Option<Vec<f64>>>()
                .map(|v| v.iter().sum::<f64>() / v.len().max(1) as f64);
            // RPO: failovers during the fault, in every replication (means of the counts, worst age).
            let end = f.end().unwrap_or(u64::MAX);
            let mut lost = 0u64;
            let mut rpo = 0.0f64;
            for r in reps {
                for (ci, c) in r.components.iter().enumerate() {
                    if !touches(s, &f.kind, ci) {
                        continue;
                    }
                    if let KindResult::Database { failovers, .. } = &c.kind {
                        for fo in failovers.iter().filter(|fo| fo.at >= f.at && fo.at <= end) {
                            lost += fo.lost_writes;
                            rpo = rpo.max(to_secs(fo.rpo));
                        }
                    }
                }
            }
            RecoveryReport {
                fault: f.kind.describe(&names),
                start_s: to_secs(f.at),
                rto_s,
                rpo_s: rpo,
                lost_writes: lost / reps.len().max(1) as u64,
                affected: s
                    .workloads
                    .iter()
                    .zip(affected)
                    .filter(|(_, a)| *a)
                    .map(|(w, _)| w.name.clone())
                    .collect(),
            }
        })
        .collect()
}

/// Whether a fault can take down component `c`'s nodes (so its failovers count for that fault).
fn touches(s: &Scenario, fault: &crate::scenario::FaultKind, c: usize) -> bool {
    use crate::scenario::{ComponentKind, FaultKind};
    let comp = &s.components[c];
    let nodes: Vec<(Option<usize>, Option<usize>)> = match &comp.kind {
        ComponentKind::Database(d) => d.nodes.iter().map(|n| (n.region, n.zone)).collect(),
        // Instances are spread over the component's zones in turn (none: in no zone).
        _ if comp.zones.is_empty() => vec![(comp.region, None)],
        _ => comp.zones.iter().map(|&z| (comp.region, Some(z))).collect(),
    };
    match *fault {
        FaultKind::InstanceCrash { component, .. } | FaultKind::SpotReclaim { component, .. } => {
            component == c
        }
        FaultKind::RegionOutage { region } => nodes.iter().any(|n| n.0 == Some(region)),
        FaultKind::ZoneOutage { region, zone } => nodes
            .iter()
            .any(|n| n.0 == Some(region) && n.1 == Some(zone)),
        _ => true,
    }
}

/// Workloads whose requests can reach something the fault changes (through calls, balancers,
/// caches and queues): only they count for the fault's RTO, so simultaneous faults on separate
/// systems get separate RTOs.
fn exposed_workloads(s: &Scenario, fault: &crate::scenario::FaultKind) -> Vec<bool> {
    use crate::scenario::FaultKind;
    s.workloads
        .iter()
        .enumerate()
        .map(|(wi, w)| {
            if let FaultKind::LoadSpike { workload, .. } = *fault {
                return workload == wi;
            }
            // Components this workload's requests can reach.
            let mut seen = vec![false; s.components.len()];
            let mut stack = vec![w.entry];
            while let Some(c) = stack.pop() {
                if std::mem::replace(&mut seen[c], true) {
                    continue;
                }
                stack.extend(s.components[c].edges().into_iter().map(|e| e.0));
            }
            let reaches = |c: usize| seen[c];
            match *fault {
                FaultKind::InstanceCrash { component, .. }
                | FaultKind::SpotReclaim { component, .. }
                | FaultKind::Latency { component, .. }
                | FaultKind::Errors { component, .. }
                | FaultKind::BadDeploy { component, .. }
                | FaultKind::CacheFlush { component }
                | FaultKind::ReplicationLag { component, .. } => reaches(component),
                FaultKind::LoadSpike { .. } => unreachable!("handled above"),
                // Region and zone faults reach the components placed there; partitions, the
                // components in either region, and the users of either.
                _ => {
                    let users_hit = match *fault {
                        FaultKind::RegionOutage { region } => w.region == Some(region),
                        FaultKind::Partition { a, b } => w.region == Some(a) || w.region == Some(b),
                        _ => false,
                    };
                    users_hit
                        || (0..s.components.len()).any(|c| reaches(c) && touches_place(s, fault, c))
                }
            }
        })
        .collect()
}

/// Whether a region, zone or partition fault covers where component `c` (or one of its nodes) runs.
fn touches_place(s: &Scenario, fault: &crate::scenario::FaultKind, c: usize) -> bool {
    use crate::scenario::FaultKind;
    match *fault {
        FaultKind::Partition { a, b } => {
            let comp = &s.components[c];
            comp.region == Some(a)
                || comp.region == Some(b)
                || touches(s, &FaultKind::RegionOutage { region: a }, c)
                || touches(s, &FaultKind::RegionOutage { region: b }, c)
        }
        _ => touches(s, fault, c),
    }
}
