//! The report: what a scenario's simulation says, as the JSON contract of the format defines it.
//! Named maps are `BTreeMap`s so keys come out sorted; floats are printed by `serde_json` (ryu), which
//! gives the same text for the same bits on every target. With several replications every rate,
//! share and latency is the mean over replications with a Student-t 95 % interval under `ci95`;
//! counts are totals over all replications.

use crate::engine::result::{ComponentResult, KindResult, ReplicationResult, WorkloadResult};
use crate::scenario::Scenario;
use crate::slo::{LatencyStat, Metric};
pub use crate::slo_unit::SloUnit;
use crate::stats::estimate::Estimate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod read;
pub use read::{ReadError, read};

/// The version of the report's JSON shape, its first key. It changes only when a key changes
/// meaning or goes away; new keys keep the version (readers ignore keys they do not know).
pub const FORMAT_VERSION: u32 = 1;

/// What a scenario's simulation says: the JSON report of `archsim run --json`, and what every
/// renderer (summary, check, diff, HTML, the browser app) reads, typed. [`read`] parses one back.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Report {
    /// [`FORMAT_VERSION`] of the archsim that wrote the report.
    pub format_version: u32,
    /// The scenario's `name`.
    pub scenario: String,
    /// The seed the run used (the file's, or `--seed`).
    pub seed: u64,
    /// Measured simulated time per replication (after the warm-up), seconds.
    pub simulated_s: f64,
    /// Simulated time before statistics started, seconds.
    pub warmup_s: f64,
    /// Independent replications the figures are over.
    pub replications: u32,
    /// Per workload, by name.
    pub workloads: BTreeMap<String, WorkloadReport>,
    /// Per component, by name.
    pub components: BTreeMap<String, ComponentReport>,
    /// Monthly cost from what the run used.
    pub cost: crate::cost::CostReport,
    /// RTO and RPO of every timed fault (see [`crate::recovery`] for the criterion).
    pub recovery: Vec<crate::recovery::RecoveryReport>,
    /// The verdict on each of the scenario's `slo:` targets, in file order.
    pub slo: Vec<SloReport>,
    /// What the figures cannot be trusted for, or where the design is outside what they describe.
    pub warnings: Vec<Warning>,
    /// The timed faults, for shading charts.
    pub faults: Vec<FaultReport>,
    /// Per-window figures over the whole run.
    pub timeseries: TimeSeriesReport,
    /// Bytes moved after the warm-up (means over replications), in GB: the base of egress cost.
    pub network: NetworkReport,
    /// What the engine did.
    pub engine: EngineReport,
}

/// A finding about the run as a whole: the design is saturated, a figure rests on too few events...
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Warning {
    /// Stable, snake_case: `saturated`, `rare_events`, `analytic_disagreement`, ...
    pub code: String,
    /// What was found, in a sentence.
    pub message: String,
    /// The component it concerns, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub component: Option<String>,
    /// The workload it concerns, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
}

/// Bytes moved after the warm-up, in GB (means over replications): the base of egress cost.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NetworkReport {
    /// Requests from users to entries.
    pub internet_in_gb: f64,
    /// Responses from entries to users.
    pub internet_out_gb: f64,
    /// Between zones of a region.
    pub inter_zone_gb: f64,
    /// Between placed components and `external` ones: through a NAT gateway.
    #[serde(default)]
    pub nat_gb: f64,
    /// Along each link between regions, keyed `a|b` as written in `network.links`.
    pub inter_region_gb: BTreeMap<String, f64>,
}

/// A timed fault, for shading charts.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FaultReport {
    /// The fault, described as in the file (`region_outage us-east`).
    pub fault: String,
    /// When it starts, seconds from the start of the run (warm-up included).
    pub start_s: f64,
    /// `null` when the fault lasts to the end of the run.
    pub end_s: Option<f64>,
}

/// Per-window figures over the whole run, warm-up included (means over replications).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TimeSeriesReport {
    /// Length of a window, seconds (at most 150 windows in a run).
    pub window_s: f64,
    /// Start of each window, seconds from the start of the run.
    pub start_s: Vec<f64>,
    /// Per workload, by name.
    pub workloads: BTreeMap<String, WorkloadSeries>,
    /// Per component, by name.
    pub components: BTreeMap<String, ComponentSeries>,
}

/// One workload's figures per window.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkloadSeries {
    /// Completed requests per second.
    pub throughput_rps: Vec<f64>,
    /// Failed requests per second.
    pub errors_rps: Vec<f64>,
    /// Latency percentiles of the requests completed in the window (0 where none completed).
    pub p50_ms: Vec<f64>,
    /// 99th percentile latency of the requests completed in the window (0 where none completed).
    pub p99_ms: Vec<f64>,
    /// Completed / finished in the window (1 where nothing finished).
    pub availability: Vec<f64>,
    /// The window's failure share over the error budget's (1 - target): 1 spends the budget
    /// exactly at the pace of the run; 10 would spend a month's budget in three days.
    pub burn_rate: Vec<f64>,
}

/// One component's figures per window.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ComponentSeries {
    /// Busy slots over slots up (0 for unlimited concurrency).
    pub utilization: Vec<f64>,
    /// Mean requests present.
    pub in_system: Vec<f64>,
    /// Requests waiting for a slot at the window's end.
    pub queued: Vec<f64>,
    /// Instances up at the window's end.
    pub instances: Vec<f64>,
    /// Rejected and failed requests per second.
    pub rejected_rps: Vec<f64>,
    /// Requests that failed at the component per second, the rejected included.
    pub failed_rps: Vec<f64>,
    /// Caches: share of lookups that hit (0 where none was made).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_ratio: Option<Vec<f64>>,
    /// Queues: age of the oldest waiting message; databases: replication lag (ms, window's end).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lag_ms: Option<Vec<f64>>,
}

/// One workload's figures after the warm-up (totals of counts, means of rates over replications).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkloadReport {
    /// Requests sent after the warm-up.
    pub requests: u64,
    /// Of those, completed by the end of the run.
    pub completed: u64,
    /// Failed requests, and those of `unfinished_failed`.
    pub failed: u64,
    /// completed / (completed + failed); 1 when nothing finished.
    pub availability: f64,
    /// Completed requests per second.
    pub throughput_rps: f64,
    /// `mean`: of completed requests; percentiles and `max` also count each unfinished request at
    /// its age when the run ended (censored: a lower bound of its latency), so a growing queue
    /// shows in the tail.
    pub latency_ms: Latency,
    /// Requests sent after the warm-up that were still in the system when the run ended.
    pub unfinished: u64,
    /// Of those, the ones older than the workload's largest latency SLO target: they have missed
    /// it whatever happens next, and count as failed.
    pub unfinished_failed: u64,
    /// The availability target (the workload's SLO, or 99.9 %) as an error budget.
    pub error_budget: ErrorBudget,
    /// 95 % intervals of the means, with several replications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci95: Option<WorkloadCi>,
    /// What the analytic model says (see [`crate::analytic`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytic: Option<crate::analytic::report::WorkloadAnalytic>,
}

/// How much of its error budget a workload used: the budget is the share `1 - target` of requests.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct ErrorBudget {
    /// The availability target (a fraction).
    pub target: f64,
    /// Failures the budget allows for the requests that finished.
    pub allowed_failures: f64,
    /// Failed requests.
    pub failures: u64,
    /// failures / allowed failures: above 1, the budget is spent.
    pub consumed: f64,
}

/// Latency statistics in milliseconds.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub struct Latency {
    /// The mean (exact).
    pub mean: f64,
    /// The median.
    pub p50: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The 95th percentile.
    pub p95: f64,
    /// The 99th percentile.
    pub p99: f64,
    /// The 99.9th percentile.
    pub p999: f64,
    /// The largest seen (exact).
    pub max: f64,
}

impl Latency {
    /// The statistic an SLO names.
    pub fn get(&self, stat: LatencyStat) -> f64 {
        match stat {
            LatencyStat::Mean => self.mean,
            LatencyStat::P50 => self.p50,
            LatencyStat::P90 => self.p90,
            LatencyStat::P95 => self.p95,
            LatencyStat::P99 => self.p99,
            LatencyStat::P999 => self.p999,
            LatencyStat::Max => self.max,
        }
    }
}

/// 95 % Student-t intervals `[lo, hi]` of a workload's means over replications.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct WorkloadCi {
    /// Of `availability`.
    pub availability: [f64; 2],
    /// Of `throughput_rps`.
    pub throughput_rps: [f64; 2],
    /// Of each latency statistic but `max`.
    pub latency_ms: LatencyCi,
}

/// 95 % intervals `[lo, hi]` of latency statistics over replications, in milliseconds.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LatencyCi {
    /// Of the mean.
    pub mean: [f64; 2],
    /// Of the median.
    pub p50: [f64; 2],
    /// Of the 90th percentile.
    pub p90: [f64; 2],
    /// Of the 95th percentile.
    pub p95: [f64; 2],
    /// Of the 99th percentile.
    pub p99: [f64; 2],
    /// Of the 99.9th percentile.
    pub p999: [f64; 2],
}

impl LatencyCi {
    /// The interval of the statistic an SLO names (`None` for `max`, which has none).
    pub fn get(&self, stat: LatencyStat) -> Option<[f64; 2]> {
        Some(match stat {
            LatencyStat::Mean => self.mean,
            LatencyStat::P50 => self.p50,
            LatencyStat::P90 => self.p90,
            LatencyStat::P95 => self.p95,
            LatencyStat::P99 => self.p99,
            LatencyStat::P999 => self.p999,
            LatencyStat::Max => return None,
        })
    }
}

/// One component's figures after the warm-up (totals of counts, means of rates over replications).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ComponentReport {
    /// Mean share of concurrency slots busy (0 for `unlimited` concurrency; see `busy_mean`).
    pub utilization: f64,
    /// Time requests waited for a slot, in milliseconds.
    pub queue_wait_ms: QueueWait,
    /// Requests that arrived.
    pub arrivals: u64,
    /// Requests that completed here.
    pub completed: u64,
    /// Requests refused at the door (full queue, no instance up, rate limit).
    pub rejected: u64,
    /// Completed requests per second.
    pub throughput_rps: f64,
    /// Jobs that ended in failure here (errors, failed calls, work lost with an instance).
    pub failed: u64,
    /// Calls to this component whose caller gave up waiting (timeout or dropped by the network).
    pub timeouts: u64,
    /// Retried calls sent to this component.
    pub retries: u64,
    /// Calls to this component refused at once by an open circuit breaker.
    pub short_circuited: u64,
    /// Mean number of busy slots.
    pub busy_mean: f64,
    /// Mean number of requests present (waiting, working, or waiting on calls): L of Little's law.
    pub in_system_mean: f64,
    /// Mean time from arrival to completion: W of Little's law.
    pub sojourn_ms: Sojourn,
    /// 95 % intervals of the means, with several replications.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci95: Option<ComponentCi>,
    /// What random failures (`mtbf`/`mttr`) did, totals over replications; absent without them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failures: Option<FailureFigures>,
    /// The component's kind, and what it measured beyond the station's figures.
    pub kind: String,
    /// Load balancers and DNS.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub balancer: Option<BalancerFigures>,
    /// Caches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheFigures>,
    /// Queues.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<QueueFigures>,
    /// Databases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<DatabaseFigures>,
    /// Functions.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionFigures>,
    /// What the analytic model says (see [`crate::analytic`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analytic: Option<crate::analytic::report::ComponentAnalytic>,
}

/// Random failures of a component after the warm-up, totals over replications.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct FailureFigures {
    /// Instance failures.
    pub random: u64,
    /// Failures while another instance of the component was already down from one (for two
    /// replicas: double failures).
    pub overlapping: u64,
    /// Failures that left no instance serving: the events an availability figure rests on.
    pub all_down: u64,
    /// Instance-seconds down from random failures.
    pub downtime_s: f64,
}

/// What a load balancer measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BalancerFigures {
    /// Requests answered 429 by the rate limit.
    pub throttled: u64,
    /// Of those, per workload with a usage plan or a 429 (`rate_limit.per_workload`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub throttled_by_workload: BTreeMap<String, u64>,
}

/// What a cache measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CacheFigures {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups sent on to `on_miss`.
    pub misses: u64,
    /// hits / (hits + misses); 0 when none was made.
    pub hit_ratio: f64,
}

/// What a queue measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct QueueFigures {
    /// Messages accepted from producers.
    pub enqueued: u64,
    /// Producers' messages refused because the queue was at `max_depth`.
    pub refused: u64,
    /// Messages processed and acknowledged.
    pub acked: u64,
    /// Deliveries not acknowledged within the visibility timeout and made visible again.
    pub redelivered: u64,
    /// Messages moved to the dead-letter queue after `max_receives` deliveries.
    pub dead_lettered: u64,
    /// Messages processed successfully after their visibility timeout had already expired.
    pub duplicates: u64,
    /// Messages waiting when the run ended (summed over replications).
    pub depth_at_end: u64,
    /// From enqueue to acknowledgement, of acknowledged messages (replication 0 only, with
    /// several replications).
    pub processing_ms: Latency,
}

/// What a database measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DatabaseFigures {
    /// Reads served.
    pub reads: u64,
    /// Writes acknowledged.
    pub writes: u64,
    /// Reads served by a replica that had not yet applied every acknowledged write.
    pub stale_reads: u64,
    /// Every loss of the primary (replication 0 only, with several replications).
    pub failovers: Vec<FailoverFigures>,
}

/// One loss of a database's primary.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FailoverFigures {
    /// When the primary was lost, seconds from the start of the run.
    pub at_s: f64,
    /// `promotion`, `restore` (from backup) or `manual` (waited for the old primary).
    pub how: String,
    /// Acknowledged writes the new primary never had.
    pub lost_writes: u64,
    /// Age of the oldest lost write when the primary died (data loss window).
    pub rpo_s: f64,
    /// When writes were accepted again (`null`: not within the run).
    pub restored_at_s: Option<f64>,
}

/// What a function measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FunctionFigures {
    /// Invocations that paid a cold start.
    pub cold_starts: u64,
    /// Invocations served by a warm instance.
    pub warm_starts: u64,
}

/// Time waited for a slot, in milliseconds.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct QueueWait {
    /// The mean (exact).
    pub mean: f64,
    /// The median.
    pub p50: f64,
    /// The 90th percentile.
    pub p90: f64,
    /// The 99th percentile.
    pub p99: f64,
    /// The largest seen.
    pub max: f64,
}

/// Time from arrival to completion, in milliseconds.
#[derive(Clone, Copy, Debug, Serialize, Deserialize)]
pub struct Sojourn {
    /// The mean: W of Little's law.
    pub mean: f64,
}

/// 95 % intervals `[lo, hi]` of a component's means over replications.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ComponentCi {
    /// Of `utilization`.
    pub utilization: [f64; 2],
    /// Of `queue_wait_ms.mean`.
    pub queue_wait_ms_mean: [f64; 2],
    /// Of `in_system_mean`.
    pub in_system_mean: [f64; 2],
    /// Of `sojourn_ms.mean`.
    pub sojourn_ms_mean: [f64; 2],
    /// Of `throughput_rps`.
    pub throughput_rps: [f64; 2],
}

/// The verdict on one SLO.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SloReport {
    /// The SLO as written in the file.
    pub expr: String,
    /// The measured value in `unit`; `null` if not measured.
    pub value: Option<f64>,
    /// The unit of `value` (and of `ci95`): see [`SloUnit`] and [`SloUnit::format`].
    pub unit: SloUnit,
    /// Whether the measured value (the mean, with replications) meets the target; `null` when the
    /// metric could not be measured (see `note`).
    pub pass: Option<bool>,
    /// Accounting for confidence: `pass` if the whole 95 % interval meets the target, `fail` if the
    /// whole interval misses it, `inconclusive` if the interval straddles it (more replications or a
    /// longer run would tell). Without an interval (one replication, or cost, RTO and RPO), the
    /// verdict of the value.
    pub verdict: Verdict,
    /// The 95 % interval of `value`, with several replications (latency, availability, throughput, utilisation).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ci95: Option<[f64; 2]>,
    /// Why nothing was measured, when nothing was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl SloReport {
    /// The measured value for people, in its unit ([`SloUnit::format`]); `infinite` when the
    /// value is not finite (a fault never recovered from), `not measured` when nothing measured it.
    pub fn measured(&self) -> String {
        match (self.value, self.pass) {
            (Some(v), _) => self.unit.format(v),
            (None, Some(_)) => self.unit.format(f64::INFINITY),
            (None, None) => "not measured".into(),
        }
    }

    /// The measurement in a sentence, as the summary, `check`'s Markdown and JUnit and the app
    /// write it: `measured 91.0 ms (95% CI 88.2 ms..93.9 ms)`, `measured 16 min`, `never met
    /// within the run` (an RTO of a fault never recovered from), or the note of an SLO that
    /// measured nothing.
    pub fn describe(&self) -> String {
        match (self.value, self.ci95) {
            (Some(_), Some([lo, hi])) => format!(
                "measured {} (95% CI {}..{})",
                self.measured(),
                self.unit.format(lo),
                self.unit.format(hi)
            ),
            (Some(_), None) => format!("measured {}", self.measured()),
            (None, _) if self.pass == Some(false) => "never met within the run".into(),
            (None, _) => self.note.clone().unwrap_or_else(|| self.measured()),
        }
    }
}

/// An SLO's verdict, accounting for confidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The whole interval (or the value) meets the target.
    Pass,
    /// The whole interval (or the value) misses it.
    Fail,
    /// The interval straddles the target.
    Inconclusive,
}

/// What the engine did, for the curious and for benchmarks.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct EngineReport {
    /// Events processed, over all replications.
    pub events: u64,
}

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
        workloads.insert(
            w.name.clone(),
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
                error_budget: {
                    let completed: u64 = rs.iter().map(|r| r.completed).sum();
                    let failures: u64 = rs.iter().map(|r| r.failed).sum();
                    let allowed = (1.0 - targets[i]) * (completed + failures) as f64;
                    ErrorBudget {
                        target: targets[i],
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
                },
                ci95: multi.then(|| WorkloadCi {
                    availability: avail.interval(),
                    throughput_rps: thr.interval(),
                    latency_ms: LatencyCi {
                        mean: mean.interval(),
                        p50: p50.interval(),
                        p90: p90.interval(),
                        p95: p95.interval(),
                        p99: p99.interval(),
                        p999: p999.interval(),
                    },
                }),
                analytic: None,
            },
        );
    }
    let mut components = BTreeMap::new();
    for (i, c) in s.components.iter().enumerate() {
        let rs: Vec<&ComponentResult> = reps.iter().map(|r| &r.components[i]).collect();
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
        components.insert(
            c.name.clone(),
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
                    utilization: util.interval(),
                    queue_wait_ms_mean: wait.interval(),
                    in_system_mean: in_sys.interval(),
                    sojourn_ms_mean: soj.interval(),
                    throughput_rps: thr.interval(),
                }),
                failures: rs.first().and_then(|r| r.failures).map(|_| {
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
                }),
                kind: c.kind.name().to_string(),
                balancer: None,
                cache: None,
                queue: None,
                database: None,
                function: None,
                analytic: None,
            },
        );
        kind_figures(
            s,
            i,
            components.get_mut(&c.name).expect("just inserted"),
            &rs,
        );
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
    report.slo = s.slos.iter().map(|slo| evaluate(slo, &report)).collect();
    // Rare events make availability inconclusive; saturation, judged last, makes SLOs fail.
    let rare = crate::rare::detect(s, &report);
    crate::rare::apply(s, &rare, &mut report.slo);
    let saturated = crate::saturation::detect(s, reps);
    crate::saturation::apply(s, &saturated, &mut report.slo);
    report.warnings = saturated
        .iter()
        .map(|x| crate::saturation::warning(s, x, measured_s))
        .chain(rare.iter().map(|x| crate::rare::warning(s, x)))
        .collect();
    let analysis = crate::analytic::analyse(s);
    let disagreements = crate::analytic::report::annotate(s, &analysis, &mut report);
    report.warnings.extend(disagreements);
    report
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
            let ms = |v: f64| v / 1e6;
            out.queue = Some(QueueFigures {
                enqueued,
                refused,
                acked,
                redelivered,
                dead_lettered,
                duplicates,
                depth_at_end,
                processing_ms: Latency {
                    mean: ms(processing.mean_ns()),
                    p50: ms(processing.quantile_ns(0.5)),
                    p90: ms(processing.quantile_ns(0.9)),
                    p95: ms(processing.quantile_ns(0.95)),
                    p99: ms(processing.quantile_ns(0.99)),
                    p999: ms(processing.quantile_ns(0.999)),
                    max: ms(processing.max_ns() as f64),
                },
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
                failovers: failovers
                    .iter()
                    .map(|f| FailoverFigures {
                        at_s: crate::time::to_secs(f.at),
                        how: f.how.as_str().to_string(),
                        lost_writes: f.lost_writes,
                        rpo_s: crate::time::to_secs(f.rpo),
                        restored_at_s: f.restored_at.map(crate::time::to_secs),
                    })
                    .collect(),
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
    let windows = reps
        .iter()
        .map(|r| r.timeseries.workloads.len())
        .min()
        .unwrap_or(0);
    let n = reps.len().max(1) as f64;
    let starts: Vec<f64> = (0..windows)
        .map(|i| crate::time::to_secs(i as u64 * window))
        .collect();
    let end = reps.first().map_or(0.0, |r| r.measured_s) + crate::time::to_secs(s.warmup);
    // The last window may be shorter than the others.
    let len_s: Vec<f64> = starts
        .iter()
        .map(|&t| (end - t).min(crate::time::to_secs(window)).max(1e-9))
        .collect();
    let mean = |f: &dyn Fn(&ReplicationResult, usize) -> f64| -> Vec<f64> {
        (0..windows)
            .map(|i| reps.iter().map(|r| f(r, i)).sum::<f64>() / n)
            .collect()
    };
    let mut workloads = BTreeMap::new();
    for (wi, w) in s.workloads.iter().enumerate() {
        let p = |r: &ReplicationResult, i: usize| r.timeseries.workloads[i][wi];
        workloads.insert(
            w.name.clone(),
            WorkloadSeries {
                throughput_rps: mean(&|r, i| p(r, i).completed as f64 / len_s[i]),
                errors_rps: mean(&|r, i| p(r, i).failed as f64 / len_s[i]),
                p50_ms: mean(&|r, i| p(r, i).p50_ns / 1e6),
                p99_ms: mean(&|r, i| p(r, i).p99_ns / 1e6),
                availability: mean(&|r, i| {
                    let x = p(r, i);
                    let n = x.completed + x.failed;
                    if n == 0 {
                        1.0
                    } else {
                        x.completed as f64 / n as f64
                    }
                }),
                burn_rate: mean(&|r, i| {
                    let x = p(r, i);
                    let n = x.completed + x.failed;
                    let budget = 1.0 - targets[wi];
                    if n == 0 || budget <= 0.0 {
                        0.0
                    } else {
                        x.failed as f64 / n as f64 / budget
                    }
                }),
            },
        );
    }
    let mut components = BTreeMap::new();
    for (ci, c) in s.components.iter().enumerate() {
        let p = |r: &ReplicationResult, i: usize| r.timeseries.components[i][ci];
        components.insert(
            c.name.clone(),
            ComponentSeries {
                utilization: mean(&|r, i| {
                    let x = p(r, i);
                    if x.capacity > 0.0 {
                        (x.busy_mean / x.capacity).min(1.0)
                    } else {
                        0.0
                    }
                }),
                in_system: mean(&|r, i| p(r, i).in_system_mean),
                queued: mean(&|r, i| p(r, i).queued as f64),
                instances: mean(&|r, i| p(r, i).instances as f64),
                rejected_rps: mean(&|r, i| p(r, i).rejected as f64 / len_s[i]),
                failed_rps: mean(&|r, i| p(r, i).failed as f64 / len_s[i]),
                hit_ratio: matches!(c.kind, crate::scenario::ComponentKind::Cache(_)).then(|| {
                    mean(&|r, i| {
                        let h = p(r, i).hit_ratio;
                        if h.is_nan() { 0.0 } else { h }
                    })
                }),
                lag_ms: matches!(
                    c.kind,
                    crate::scenario::ComponentKind::Queue(_)
                        | crate::scenario::ComponentKind::Database(_)
                )
                .then(|| mean(&|r, i| p(r, i).lag_ns / 1e6)),
            },
        );
    }
    TimeSeriesReport {
        window_s: crate::time::to_secs(window),
        start_s: starts,
        workloads,
        components,
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
