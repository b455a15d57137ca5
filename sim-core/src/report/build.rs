//! Building the report from the replications' results: means and intervals over replications,
//! totals of counts, each kind's figures, the time series, the SLO verdicts, and the warnings of
//! the saturation and rare-event checks (which read the report's types, not this file).

use super::*;
use crate::engine::result::{
    ComponentResult, FailoverRecord, KindResult, ReplicationResult, WorkloadResult,
};
use crate::scenario::Scenario;
use crate::slo::Metric;
use crate::stats::estimate::Estimate;
use crate::stats::histogram::DurationHistogram;
use std::collections::BTreeMap;

fn est(xs: impl Iterator<Item = f64>) -> Estimate {
    let v: Vec<f64> = xs.collect();
    Estimate::from_samples(&v)
}

/// Builds the report from the replications' results (in replication order).
pub fn build(s: &Scenario, reps: &[ReplicationResult]) -> Report {
    let targets = crate::recovery::availability_targets(s);
    let n = reps.len().max(1) as u32;
    let multi = reps.len() > 1;
    let measured_s = reps.first().map_or(0.0, |r| r.measured_s);
    let mut workloads = BTreeMap::new();
    for (i, w) in s.workloads.iter().enumerate() {
        let rs: Vec<&WorkloadResult> = reps.iter().map(|r| &r.workloads[i]).collect();
        workloads.insert(
            w.name.clone(),
            workload_report(&rs, targets[i], measured_s, multi),
        );
    }
    let mut components = BTreeMap::new();
    for (i, c) in s.components.iter().enumerate() {
        let rs: Vec<&ComponentResult> = reps.iter().map(|r| &r.components[i]).collect();
        let mut figures = component_report(c, &rs, measured_s, multi);
        kind_figures(s, i, &mut figures, &rs);
        components.insert(c.name.clone(), figures);
    }
    let mut report = Report {
        format_version: FORMAT_VERSION,
        scenario: s.name.clone(),
        seed: s.seed,
        simulated_s: measured_s,
        warmup_s: crate::time::to_secs(s.warmup),
        replications: n,
        workloads,
        components,
        cost: crate::cost::report(s, reps),
        recovery: crate::recovery::report(s, reps),
        slo: Vec::new(),
        warnings: Vec::new(),
        faults: faults(s),
        timeseries: timeseries(s, reps),
        network: network(s, reps),
        engine: EngineReport {
            events: reps.iter().map(|r| r.events).sum(),
        },
    };
    judge(s, reps, measured_s, &mut report);
    report
}

/// The SLO verdicts and the warnings: rare events make availability inconclusive; saturation,
/// judged last, makes SLOs fail; the analytic model's disagreements come after.
fn judge(s: &Scenario, reps: &[ReplicationResult], measured_s: f64, report: &mut Report) {
    report.slo = s.slos.iter().map(|slo| evaluate(slo, report)).collect();
    let rare = crate::rare::detect(s, report);
    crate::rare::apply(s, &rare, &mut report.slo);
    let saturated = crate::saturation::detect(s, reps);
    crate::saturation::apply(s, &saturated, &mut report.slo);
    report.warnings = saturated
        .iter()
        .map(|x| crate::saturation::warning(s, x, measured_s))
        .chain(rare.iter().map(|x| crate::rare::warning(s, x)))
        .collect();
    let analysis = crate::analytic::analyse(s);
    let disagreements = crate::analytic::compare::annotate(s, &analysis, report);
    report.warnings.extend(disagreements);
}

/// One workload's figures over its replications `rs`, against its availability `target`.
fn workload_report(
    rs: &[&WorkloadResult],
    target: f64,
    measured_s: f64,
    multi: bool,
) -> WorkloadReport {
    let avail = est(rs.iter().map(|r| availability(r.completed, r.failed)));
    let thr = est(rs.iter().map(|r| r.completed as f64 / measured_s));
    // Percentiles and the maximum count unfinished requests at their age (censored); the
    // mean is of completed requests (exact, for Little's law).
    let q = |qq: f64| est(rs.iter().map(|r| r.censored.quantile_ns(qq) / 1e6));
    let (mean, p50, p90, p95, p99, p999) = (
        est(rs.iter().map(|r| r.latency.mean_ns() / 1e6)),
        q(0.5),
        q(0.9),
        q(0.95),
        q(0.99),
        q(0.999),
    );
    let max = rs.iter().map(|r| r.censored.max_ns()).max().unwrap_or(0) as f64 / 1e6;
    WorkloadReport {
        requests: rs.iter().map(|r| r.requests).sum(),
        completed: rs.iter().map(|r| r.completed).sum(),
        failed: rs.iter().map(|r| r.failed).sum(),
        availability: avail.mean,
        throughput_rps: thr.mean,
        latency_ms: Latency {
            mean: mean.mean,
            p50: p50.mean,
            p90: p90.mean,
            p95: p95.mean,
            p99: p99.mean,
            p999: p999.mean,
            max,
        },
        unfinished: rs.iter().map(|r| r.unfinished).sum(),
        unfinished_failed: rs.iter().map(|r| r.unfinished_failed).sum(),
        error_budget: error_budget(rs, target),
        ci95: multi.then(|| WorkloadCi {
            availability: avail.interval_in(0.0, 1.0),
            throughput_rps: thr.interval_in(0.0, f64::INFINITY),
            latency_ms: LatencyCi {
                mean: mean.interval_in(0.0, f64::INFINITY),
                p50: p50.interval_in(0.0, f64::INFINITY),
                p90: p90.interval_in(0.0, f64::INFINITY),
                p95: p95.interval_in(0.0, f64::INFINITY),
                p99: p99.interval_in(0.0, f64::INFINITY),
                p999: p999.interval_in(0.0, f64::INFINITY),
            },
        }),
        analytic: None,
    }
}

/// The failures a workload's availability `target` allows over all replications, and how much
/// of that budget its failures consumed.
fn error_budget(rs: &[&WorkloadResult], target: f64) -> ErrorBudget {
    let completed: u64 = rs.iter().map(|r| r.completed).sum();
    let failures: u64 = rs.iter().map(|r| r.failed).sum();
    let allowed = (1.0 - target) * (completed + failures) as f64;
    ErrorBudget {
        target,
        allowed_failures: allowed,
        failures,
        consumed: if allowed > 0.0 {
            failures as f64 / allowed
        } else if failures > 0 {
            f64::MAX
        } else {
            0.0
        },
    }
}

/// One component's figures over its replications `rs`, but for its kind's own (see
/// [`kind_figures`]).
fn component_report(
    c: &crate::scenario::Component,
    rs: &[&ComponentResult],
    measured_s: f64,
    multi: bool,
) -> ComponentReport {
    // Busy slots over the slots serving on average (instances come and go with autoscaling,
    // failures and spot reclaims).
    let util = est(rs.iter().map(|r| {
        r.slots_mean.map_or(0.0, |slots| {
            if slots > 0.0 {
                r.busy_mean / slots
            } else {
                0.0
            }
        })
    }));
    let wait = est(rs.iter().map(|r| r.queue_wait.mean_ns() / 1e6));
    let q = |qq: f64| est(rs.iter().map(|r| r.queue_wait.quantile_ns(qq) / 1e6)).mean;
    let in_sys = est(rs.iter().map(|r| r.in_system_mean));
    let soj = est(rs.iter().map(|r| r.sojourn_mean_ns / 1e6));
    let thr = est(rs.iter().map(|r| r.completed as f64 / measured_s));
    ComponentReport {
        utilization: util.mean,
        queue_wait_ms: QueueWait {
            mean: wait.mean,
            p50: q(0.5),
            p90: q(0.9),
            p99: q(0.99),
            max: rs.iter().map(|r| r.queue_wait.max_ns()).max().unwrap_or(0) as f64 / 1e6,
        },
        arrivals: rs.iter().map(|r| r.arrivals).sum(),
        completed: rs.iter().map(|r| r.completed).sum(),
        rejected: rs.iter().map(|r| r.rejected).sum(),
        throughput_rps: thr.mean,
        failed: rs.iter().map(|r| r.failed).sum(),
        timeouts: rs.iter().map(|r| r.timeouts).sum(),
        retries: rs.iter().map(|r| r.retries).sum(),
        short_circuited: rs.iter().map(|r| r.short_circuited).sum(),
        busy_mean: est(rs.iter().map(|r| r.busy_mean)).mean,
        in_system_mean: in_sys.mean,
        sojourn_ms: Sojourn { mean: soj.mean },
        ci95: multi.then(|| ComponentCi {
            utilization: util.interval_in(0.0, 1.0),
            queue_wait_ms_mean: wait.interval_in(0.0, f64::INFINITY),
            in_system_mean: in_sys.interval_in(0.0, f64::INFINITY),
            sojourn_ms_mean: soj.interval_in(0.0, f64::INFINITY),
            throughput_rps: thr.interval_in(0.0, f64::INFINITY),
        }),
        failures: failure_figures(rs),
        kind: c.kind.name().to_string(),
        balancer: None,
        cache: None,
        queue: None,
        database: None,
        function: None,
        object_store: None,
        analytic: None,
    }
}

/// Totals over replications of a component's random failures, if it has them.
fn failure_figures(rs: &[&ComponentResult]) -> Option<FailureFigures> {
    rs.first().and_then(|r| r.failures).map(|_| {
        let f = |g: fn(&crate::engine::result::FailureCounts) -> u64| {
            rs.iter().filter_map(|r| r.failures.as_ref()).map(g).sum()
        };
        FailureFigures {
            random: f(|x| x.random),
            overlapping: f(|x| x.overlapping),
            all_down: f(|x| x.all_down),
            downtime_s: rs
                .iter()
                .filter_map(|r| r.failures.as_ref())
                .map(|x| x.downtime_ns as f64 / 1e9)
                .sum(),
        }
    })
}

/// A load balancer's 429s per workload: every workload with a usage plan there, and any other
/// it throttled.
fn throttled_by_workload(s: &Scenario, component: usize, counts: &[u64]) -> BTreeMap<String, u64> {
    let planned: Vec<usize> = match &s.components[component].kind {
        crate::scenario::ComponentKind::LoadBalancer(b) => {
            b.usage_plans.iter().map(|p| p.workload).collect()
        }
        _ => Vec::new(),
    };
    s.workloads
        .iter()
        .enumerate()
        .filter(|&(w, _)| planned.contains(&w) || counts.get(w).is_some_and(|&n| n > 0))
        .map(|(w, wl)| (wl.name.clone(), counts.get(w).copied().unwrap_or(0)))
        .collect()
}

/// Totals over replications of what each kind measured (the queue processing histogram and the
/// failover list are replication 0's).
fn kind_figures(
    s: &Scenario,
    component: usize,
    out: &mut ComponentReport,
    rs: &[&ComponentResult],
) {
    let Some((first, rest)) = rs.split_first() else {
        return;
    };
    let mut total = first.kind.clone();
    for r in rest {
        total.add(&r.kind);
    }
    match total {
        KindResult::None => {}
        KindResult::Balancer {
            throttled,
            by_workload,
        } => {
            out.balancer = Some(BalancerFigures {
                throttled,
                throttled_by_workload: throttled_by_workload(s, component, &by_workload),
            })
        }
        KindResult::Cache { hits, misses } => {
            let n = hits + misses;
            out.cache = Some(CacheFigures {
                hits,
                misses,
                hit_ratio: if n == 0 { 0.0 } else { hits as f64 / n as f64 },
            });
        }
        KindResult::Queue {
            enqueued,
            refused,
            acked,
            redelivered,
            dead_lettered,
            duplicates,
            processing,
            depth_at_end,
        } => {
            out.queue = Some(QueueFigures {
                enqueued,
                refused,
                acked,
                redelivered,
                dead_lettered,
                duplicates,
                depth_at_end,
                processing_ms: latency_ms(&processing),
            });
        }
        KindResult::Database {
            reads,
            writes,
            stale_reads,
            failovers,
        } => {
            out.database = Some(DatabaseFigures {
                reads,
                writes,
                stale_reads,
                failovers: failovers.iter().map(failover_figures).collect(),
            });
        }
        KindResult::Function {
            cold_starts,
            warm_starts,
        } => {
            out.function = Some(FunctionFigures {
                cold_starts,
                warm_starts,
            })
        }
        KindResult::ObjectStore { reads, writes } => {
            out.object_store = Some(ObjectStoreFigures { reads, writes })
        }
    }
}

/// A histogram's mean, percentiles and maximum, in milliseconds.
fn latency_ms(h: &DurationHistogram) -> Latency {
    let ms = |v: f64| v / 1e6;
    Latency {
        mean: ms(h.mean_ns()),
        p50: ms(h.quantile_ns(0.5)),
        p90: ms(h.quantile_ns(0.9)),
        p95: ms(h.quantile_ns(0.95)),
        p99: ms(h.quantile_ns(0.99)),
        p999: ms(h.quantile_ns(0.999)),
        max: ms(h.max_ns() as f64),
    }
}

/// One failover of a database, its times in seconds.
fn failover_figures(f: &FailoverRecord) -> FailoverFigures {
    FailoverFigures {
        at_s: crate::time::to_secs(f.at),
        how: f.how.as_str().to_string(),
        lost_writes: f.lost_writes,
        rpo_s: crate::time::to_secs(f.rpo),
        restored_at_s: f.restored_at.map(crate::time::to_secs),
    }
}

fn network(s: &Scenario, reps: &[ReplicationResult]) -> NetworkReport {
    let n = reps.len().max(1) as f64;
    let gb = |f: &dyn Fn(&ReplicationResult) -> f64| reps.iter().map(f).sum::<f64>() / n / 1e9;
    NetworkReport {
        internet_in_gb: gb(&|r| r.traffic.internet_in),
        internet_out_gb: gb(&|r| r.traffic.internet_out),
        inter_zone_gb: gb(&|r| r.traffic.inter_zone),
        nat_gb: gb(&|r| r.traffic.nat),
        inter_region_gb: s
            .network
            .links
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    format!("{}|{}", s.regions[l.0].name, s.regions[l.1].name),
                    gb(&|r| r.traffic.inter_region[i]),
                )
            })
            .collect(),
    }
}

fn faults(s: &Scenario) -> Vec<FaultReport> {
    let names = s.fault_names();
    s.faults
        .iter()
        .map(|f| FaultReport {
            fault: f.kind.describe(&names),
            start_s: crate::time::to_secs(f.at),
            end_s: f.end().map(crate::time::to_secs),
        })
        .collect()
}

/// Means over replications of each window's figures.
fn timeseries(s: &Scenario, reps: &[ReplicationResult]) -> TimeSeriesReport {
    let targets = crate::recovery::availability_targets(s);
    let window = reps.first().map_or(1, |r| r.timeseries.window);
    let count = reps
        .iter()
        .map(|r| r.timeseries.workloads.len())
        .min()
        .unwrap_or(0);
    let n = reps.len().max(1) as f64;
    let starts: Vec<f64> = (0..count)
        .map(|i| crate::time::to_secs(i as u64 * window))
        .collect();
    let end = reps.first().map_or(0.0, |r| r.measured_s) + crate::time::to_secs(s.warmup);
    // The last window may be shorter than the others.
    let len_s: Vec<f64> = starts
        .iter()
        .map(|&t| (end - t).min(crate::time::to_secs(window)).max(1e-9))
        .collect();
    let windows = Windows {
        reps,
        count,
        n,
        len_s,
    };
    let mut workloads = BTreeMap::new();
    for (wi, w) in s.workloads.iter().enumerate() {
        workloads.insert(w.name.clone(), workload_series(&windows, wi, targets[wi]));
    }
    let mut components = BTreeMap::new();
    for (ci, c) in s.components.iter().enumerate() {
        components.insert(c.name.clone(), component_series(&windows, ci, c));
    }
    TimeSeriesReport {
        window_s: crate::time::to_secs(window),
        start_s: starts,
        workloads,
        components,
    }
}

/// The windows the replications' time series share.
struct Windows<'a> {
    reps: &'a [ReplicationResult],
    /// Windows in every replication.
    count: usize,
    /// Replications, at least 1.
    n: f64,
    /// Each window's length in seconds.
    len_s: Vec<f64>,
}

impl Windows<'_> {
    /// The mean over replications of `f(replication, window)`, for each window.
    fn mean(&self, f: &dyn Fn(&ReplicationResult, usize) -> f64) -> Vec<f64> {
        (0..self.count)
            .map(|i| self.reps.iter().map(|r| f(r, i)).sum::<f64>() / self.n)
            .collect()
    }
}

/// Workload `wi`'s series; its burn rate against its availability `target`.
fn workload_series(windows: &Windows, wi: usize, target: f64) -> WorkloadSeries {
    let p = |r: &ReplicationResult, i: usize| r.timeseries.workloads[i][wi];
    WorkloadSeries {
        throughput_rps: windows.mean(&|r, i| p(r, i).completed as f64 / windows.len_s[i]),
        errors_rps: windows.mean(&|r, i| p(r, i).failed as f64 / windows.len_s[i]),
        p50_ms: windows.mean(&|r, i| p(r, i).p50_ns / 1e6),
        p99_ms: windows.mean(&|r, i| p(r, i).p99_ns / 1e6),
        availability: windows.mean(&|r, i| {
            let x = p(r, i);
            let n = x.completed + x.failed;
            if n == 0 {
                1.0
            } else {
                x.completed as f64 / n as f64
            }
        }),
        burn_rate: windows.mean(&|r, i| {
            let x = p(r, i);
            let n = x.completed + x.failed;
            let budget = 1.0 - target;
            if n == 0 || budget <= 0.0 {
                0.0
            } else {
                x.failed as f64 / n as f64 / budget
            }
        }),
    }
}

/// Component `ci`'s series; a hit ratio for a cache, a lag for a queue or database.
fn component_series(
    windows: &Windows,
    ci: usize,
    c: &crate::scenario::Component,
) -> ComponentSeries {
    let p = |r: &ReplicationResult, i: usize| r.timeseries.components[i][ci];
    ComponentSeries {
        utilization: windows.mean(&|r, i| {
            let x = p(r, i);
            if x.capacity > 0.0 {
                (x.busy_mean / x.capacity).min(1.0)
            } else {
                0.0
            }
        }),
        in_system: windows.mean(&|r, i| p(r, i).in_system_mean),
        queued: windows.mean(&|r, i| p(r, i).queued as f64),
        instances: windows.mean(&|r, i| p(r, i).instances as f64),
        rejected_rps: windows.mean(&|r, i| p(r, i).rejected as f64 / windows.len_s[i]),
        failed_rps: windows.mean(&|r, i| p(r, i).failed as f64 / windows.len_s[i]),
        hit_ratio: matches!(c.kind, crate::scenario::ComponentKind::Cache(_)).then(|| {
            windows.mean(&|r, i| {
                let h = p(r, i).hit_ratio;
                if h.is_nan() { 0.0 } else { h }
            })
        }),
        lag_ms: matches!(
            c.kind,
            crate::scenario::ComponentKind::Queue(_) | crate::scenario::ComponentKind::Database(_)
        )
        .then(|| windows.mean(&|r, i| p(r, i).lag_ns / 1e6)),
    }
}

fn availability(completed: u64, failed: u64) -> f64 {
    if completed + failed == 0 {
        1.0
    } else {
        completed as f64 / (completed + failed) as f64
    }
}

fn evaluate(slo: &crate::slo::Slo, r: &Report) -> SloReport {
    let measured: Option<(f64, Option<[f64; 2]>)> = match &slo.metric {
        Metric::Latency(stat, w) => r.workloads.get(w).map(|w| {
            (
                w.latency_ms.get(*stat),
                w.ci95.as_ref().and_then(|c| c.latency_ms.get(*stat)),
            )
        }),
        Metric::Availability(w) => r
            .workloads
            .get(w)
            .map(|w| (w.availability, w.ci95.as_ref().map(|c| c.availability))),
        Metric::Throughput(w) => r
            .workloads
            .get(w)
            .map(|w| (w.throughput_rps, w.ci95.as_ref().map(|c| c.throughput_rps))),
        Metric::Utilization(c) => r
            .components
            .get(c)
            .map(|c| (c.utilization, c.ci95.as_ref().map(|x| x.utilization))),
        Metric::Cost => Some((r.cost.usd_per_month, None)),
        Metric::Rto(w) => Some((crate::recovery::worst_rto(&r.recovery, w.as_deref()), None)),
        Metric::Rpo(w) => Some((crate::recovery::worst_rpo(&r.recovery, w.as_deref()), None)),
    };
    match measured {
        Some((value, ci95)) => {
            let pass = slo.op.holds(value, slo.threshold);
            let verdict = match ci95 {
                Some([lo, hi]) => match (
                    slo.op.holds(lo, slo.threshold),
                    slo.op.holds(hi, slo.threshold),
                ) {
                    (true, true) => Verdict::Pass,
                    (false, false) => Verdict::Fail,
                    _ => Verdict::Inconclusive,
                },
                None if pass => Verdict::Pass,
                None => Verdict::Fail,
            };
            SloReport {
                expr: slo.expr.clone(),
                value: value.is_finite().then_some(value),
                unit: SloUnit::of(&slo.metric),
                pass: Some(pass),
                verdict,
                ci95,
                note: None,
            }
        }
        None => SloReport {
            expr: slo.expr.clone(),
            value: None,
            unit: SloUnit::of(&slo.metric),
            pass: None,
            verdict: Verdict::Inconclusive,
            ci95: None,
            note: Some("not measured: the SLO names nothing this run measured".into()),
        },
    }
}
