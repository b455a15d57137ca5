//! Recovery figures of a run: RTO and RPO per fault, and error budgets.
//!
//! **RTO criterion.** Only the workloads a fault can reach count for it (those whose requests reach
//! a component it changes, or whose users it cuts off). A workload is *within its SLO* in a time-series window when the window's
//! availability (completed / (completed + failed)) meets the workload's availability target and,
//! where the scenario has a `p99(...)` or `p50(...)` target for it, the window's p99 / p50 meets it.
//! The availability target is the workload's `availability(...)` SLO, or 99.9 % without one. A
//! window with no finished request is within its SLO only if requests were not expected (none was
//! sent in it). A workload's RTO for a fault is the time from the fault's start to the end of the
//! last window, at or after the start, in which the workload was out of its SLO, looking only
//! until the next fault reaching that workload starts (a later fault gets its own figures, from its
//! own start). If the workload is still out of its SLO in the window before that next fault
//! starts, the two cannot be told apart and it must be back within its SLO for good, to the end of
//! the run. Out of its SLO in the run's last window, it did not recover (`rto_s: null`). The
//! fault's RTO is its slowest workload's (per replication, then the mean). The resolution is the
//! time-series window (`timeseries.window_s`).
//!
//! **RPO.** The failovers, while the fault was active, of the databases the fault can reach (the
//! crashed component; the nodes in the dark region or zone; any, for other faults): the
//! acknowledged writes the new primary never had (their count) and the age of the oldest (`rpo_s`);
//! per workload, those of the databases its requests reach.
//!
//! **Error budget.** For a workload with an availability target A, the budget is the share 1 - A
//! of its requests that may fail; `consumed` is failed / (budget x requests); the burn rate of a
//! window is its failure share over 1 - A (1 burns the budget exactly over the run).

use crate::engine::result::{KindResult, ReplicationResult};
use crate::scenario::Scenario;
use crate::slo::{LatencyStat, Metric, Op};
use crate::time::to_secs;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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
    /// Each workload the fault can reach, with its own figures (RTO 0: it stayed within its SLO).
    #[serde(default)]
    pub workloads: BTreeMap<String, WorkloadRecovery>,
}

/// One workload's recovery from one fault.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkloadRecovery {
    /// From the fault's start until this workload was back within its SLO (before the next fault
    /// reaching it, or for good), mean over replications; `null` if some replication did not recover.
    pub rto_s: Option<f64>,
    /// Where a database it reaches lost acknowledged writes in a failover during the fault: the
    /// age of the oldest, and their count (mean over replications).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpo_s: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// How many acknowledged writes were lost (with `rpo_s`).
    pub lost_writes: Option<u64>,
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

/// RTO and RPO of every timed fault, overall and per affected workload.
pub fn report(s: &Scenario, reps: &[ReplicationResult]) -> Vec<RecoveryReport> {
    let targets = targets(s);
    let names = s.fault_names();
    let exposed: Vec<Vec<bool>> = s
        .faults
        .iter()
        .map(|f| exposed_workloads(s, &f.kind))
        .collect();
    let reach: Vec<Vec<bool>> = (0..s.workloads.len()).map(|w| reaches(s, w)).collect();
    s.faults
        .iter()
        .enumerate()
        .map(|(fi, f)| {
            // Per replication, per workload: (affected, RTO in seconds or not recovered).
            let per_rep: Vec<Vec<(bool, Option<f64>)>> = reps
                .iter()
                .map(|r| {
                    (0..s.workloads.len())
                        .map(|w| match exposed[fi][w] {
                            false => (false, Some(0.0)),
                            true => {
                                let next = next_fault(s, &exposed, fi, w);
                                workload_rto(&targets[w], r, f.at, next, w)
                            }
                        })
                        .collect()
                })
                .collect();
            let affected: Vec<bool> = (0..s.workloads.len())
                .map(|w| per_rep.iter().any(|ws| ws[w].0))
                .collect();
            // The fault's RTO in a replication is its slowest workload's.
            let rto_s = mean_rto(per_rep.iter().map(|ws| {
                ws.iter()
                    .map(|x| x.1)
                    .try_fold(0.0f64, |acc, x| x.map(|x| acc.max(x)))
            }));
            let (lost, rpo) = lost_writes(s, reps, f, &|_| true);
            let mut workloads = BTreeMap::new();
            for (w, wl) in s
                .workloads
                .iter()
                .enumerate()
                .filter(|&(w, _)| exposed[fi][w])
            {
                let (lost, rpo) = lost_writes(s, reps, f, &|c| reach[w][c]);
                workloads.insert(
                    wl.name.clone(),
                    WorkloadRecovery {
                        rto_s: mean_rto(per_rep.iter().map(|ws| ws[w].1)),
                        rpo_s: (lost > 0).then_some(rpo),
                        lost_writes: (lost > 0).then_some(lost),
                    },
                );
            }
            RecoveryReport {
                fault: f.kind.describe(&names),
                start_s: to_secs(f.at),
                rto_s,
                rpo_s: rpo,
                lost_writes: lost,
                affected: s
                    .workloads
                    .iter()
                    .zip(&affected)
                    .filter(|(_, a)| **a)
                    .map(|(w, _)| w.name.clone())
                    .collect(),
                workloads,
            }
        })
        .collect()
}

/// The `rto` SLO's value: the worst fault's RTO, or workload `w`'s worst; a fault not recovered
/// from makes it infinite.
pub fn worst_rto(recovery: &[RecoveryReport], w: Option<&str>) -> f64 {
    recovery
        .iter()
        .filter_map(|x| match w {
            None => Some(x.rto_s),
            Some(w) => x.workloads.get(w).map(|wr| wr.rto_s),
        })
        .map(|rto| rto.unwrap_or(f64::INFINITY))
        .fold(0.0, f64::max)
}

/// The `rpo` SLO's value: the worst fault's RPO, or the worst among workload `w`'s databases.
pub fn worst_rpo(recovery: &[RecoveryReport], w: Option<&str>) -> f64 {
    recovery
        .iter()
        .filter_map(|x| match w {
            None => Some(x.rpo_s),
            Some(w) => x.workloads.get(w).map(|wr| wr.rpo_s.unwrap_or(0.0)),
        })
        .fold(0.0, f64::max)
}

/// The mean over replications, or `None` if one did not recover.
fn mean_rto(rtos: impl Iterator<Item = Option<f64>>) -> Option<f64> {
    let v: Vec<f64> = rtos.collect::<Option<Vec<f64>>>()?;
    Some(v.iter().sum::<f64>() / v.len().max(1) as f64)
}

/// The start of the first fault after fault `fi` (starting strictly later) that reaches workload
/// `w`: where `fi`'s own figures for `w` stop, unless `w` is still out of its SLO by then.
fn next_fault(s: &Scenario, exposed: &[Vec<bool>], fi: usize, w: usize) -> Option<u64> {
    let at = s.faults[fi].at;
    s.faults
        .iter()
        .enumerate()
        .filter(|&(g, f)| f.at > at && exposed[g][w])
        .map(|(_, f)| f.at)
        .min()
}

/// Workload `w`'s recovery from a fault starting at `at`, in one replication: whether it went out
/// of its SLO, and the time from `at` to the end of its last window out of SLO before the next
/// fault reaching it (`next`). If it is still out of its SLO in the window before that fault
/// starts, the two cannot be told apart: it must be back for good, to the end of the run.
fn workload_rto(
    t: &Targets,
    r: &ReplicationResult,
    at: u64,
    next: Option<u64>,
    w: usize,
) -> (bool, Option<f64>) {
    let window = r.timeseries.window;
    let windows = r.timeseries.workloads.len();
    let first = (at / window) as usize;
    let last_bad = |to: usize| {
        (first..to.min(windows))
            .rev()
            .find(|&i| !within(t, r, i, w))
    };
    let stop = next.map_or(windows, |n| ((n / window) as usize).min(windows));
    let bad = match last_bad(stop) {
        Some(i) if i + 1 == stop && stop < windows => last_bad(windows),
        None if stop <= first => last_bad(windows),
        other => other,
    };
    match bad {
        None => (false, Some(0.0)),
        // Out of SLO in the last window: not recovered within the run.
        Some(i) if i + 1 == windows => (true, None),
        Some(i) => (
            true,
            Some((to_secs((i as u64 + 1) * window) - to_secs(at)).max(0.0)),
        ),
    }
}

/// Writes lost in failovers while fault `f` was active, of the databases it can reach for which
/// `counts` holds: the mean count over replications and the worst age.
fn lost_writes(
    s: &Scenario,
    reps: &[ReplicationResult],
    f: &crate::scenario::Fault,
    counts: &dyn Fn(usize) -> bool,
) -> (u64, f64) {
    let end = f.end().unwrap_or(u64::MAX);
    let mut lost = 0u64;
    let mut rpo = 0.0f64;
    for r in reps {
        for (ci, c) in r.components.iter().enumerate() {
            if !touches(s, &f.kind, ci) || !counts(ci) {
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
    (lost / reps.len().max(1) as u64, rpo)
}

/// Components workload `w`'s requests can reach (through calls, balancers, caches and queues).
fn reaches(s: &Scenario, w: usize) -> Vec<bool> {
    let mut seen = vec![false; s.components.len()];
    let mut stack = vec![s.workloads[w].entry];
    while let Some(c) = stack.pop() {
        if std::mem::replace(&mut seen[c], true) {
            continue;
        }
        stack.extend(s.components[c].edges().into_iter().map(|e| e.0));
    }
    seen
}

/// Whether a fault can take down component `c`'s nodes (so its failovers count for that fault).
fn touches(s: &Scenario, fault: &crate::scenario::FaultKind, c: usize) -> bool {
    use crate::scenario::{ComponentKind, FaultKind};
    let comp = &s.components[c];
    let nodes: Vec<(Option<usize>, Option<usize>)> = match &comp.kind {
        ComponentKind::Database(d) => d.nodes.iter().map(|n| (n.region, n.zone)).collect(),
        // Instances are spread over the component's zones in turn (none: in no zone).
        ComponentKind::Service
        | ComponentKind::External
        | ComponentKind::LoadBalancer(_)
        | ComponentKind::Dns(_)
        | ComponentKind::Cache(_)
        | ComponentKind::Queue(_)
        | ComponentKind::Function(_)
        | ComponentKind::ObjectStore(_) => {
            if comp.zones.is_empty() {
                vec![(comp.region, None)]
            } else {
                comp.zones.iter().map(|&z| (comp.region, Some(z))).collect()
            }
        }
    };
    match *fault {
        FaultKind::InstanceCrash { component, .. } | FaultKind::SpotReclaim { component, .. } => {
            component == c
        }
        FaultKind::RegionOutage { region } => nodes.iter().any(|n| n.0 == Some(region)),
        FaultKind::ZoneOutage { region, zone } => nodes
            .iter()
            .any(|n| n.0 == Some(region) && n.1 == Some(zone)),
        // The others act on the component everywhere it runs, or not on its nodes at all.
        FaultKind::Partition { .. }
        | FaultKind::Latency { .. }
        | FaultKind::Errors { .. }
        | FaultKind::BadDeploy { .. }
        | FaultKind::LoadSpike { .. }
        | FaultKind::CacheFlush { .. }
        | FaultKind::ReplicationLag { .. } => true,
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
            let seen = reaches(s, wi);
            let reaches = |c: usize| seen[c];
            let placed =
                || (0..s.components.len()).any(|c| reaches(c) && touches_place(s, fault, c));
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
                FaultKind::RegionOutage { region } => w.region == Some(region) || placed(),
                FaultKind::Partition { a, b } => {
                    w.region == Some(a) || w.region == Some(b) || placed()
                }
                FaultKind::ZoneOutage { .. } => placed(),
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
        FaultKind::RegionOutage { .. }
        | FaultKind::ZoneOutage { .. }
        | FaultKind::InstanceCrash { .. }
        | FaultKind::SpotReclaim { .. }
        | FaultKind::Latency { .. }
        | FaultKind::Errors { .. }
        | FaultKind::BadDeploy { .. }
        | FaultKind::LoadSpike { .. }
        | FaultKind::CacheFlush { .. }
        | FaultKind::ReplicationLag { .. } => touches(s, fault, c),
    }
}
