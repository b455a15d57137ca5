//! The report: what a scenario's simulation says, as the JSON contract of the format defines it.
//! Named maps are `BTreeMap`s so keys come out sorted; floats are printed by `serde_json` (ryu), which
//! gives the same text for the same bits on every target. With several replications every rate,
//! share and latency is the mean over replications with a Student-t 95 % interval under `ci95`, cut
//! to the figure's range (shares within [0, 1], the rest at 0 or more);
//! counts are totals over all replications.

use crate::slo::LatencyStat;
pub use crate::slo_unit::SloUnit;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod build;
mod read;
pub use build::build;
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
    /// Object stores.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_store: Option<ObjectStoreFigures>,
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

/// What an object store measured (totals over replications): the requests it bills.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ObjectStoreFigures {
    /// Reads (GETs).
    pub reads: u64,
    /// Writes (PUTs): requests of its `write_ops`.
    pub writes: u64,
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
