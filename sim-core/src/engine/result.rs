//! What one replication measured: the figures a finished run hands to the report, the cost and
//! recovery models and the shard files (all serialisable, so `archsim merge` can rebuild a report
//! from replications run elsewhere). Types only: the run assembles them in `assemble.rs`.

use crate::stats::histogram::DurationHistogram;
use crate::stats::timeseries::TimeSeries;
use crate::time::SimTime;

/// How far a run has got.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub now: SimTime,
    pub end: SimTime,
    pub events: u64,
    pub done: bool,
}

/// The figures of one finished replication. Serialisable, so a shard of replications run on
/// another machine can be merged into the report one process would build (`archsim merge`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReplicationResult {
    pub events: u64,
    pub measured_s: f64,
    /// In scenario order.
    pub workloads: Vec<WorkloadResult>,
    pub components: Vec<ComponentResult>,
    pub timeseries: TimeSeries,
    pub traffic: Traffic,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WorkloadResult {
    pub requests: u64,
    pub completed: u64,
    /// Failed requests, and unfinished ones older than the workload's largest latency SLO target.
    pub failed: u64,
    /// Sent after the warm-up but neither completed nor failed when the run ended.
    pub unfinished: u64,
    /// The part of `unfinished` counted in `failed` (older than the latency bound).
    pub unfinished_failed: u64,
    /// Latencies of completed requests.
    pub latency: DurationHistogram,
    /// The same and each unfinished request's age at the end: a censored observation, a lower
    /// bound of its latency, so that a growing queue shows in the percentiles.
    pub censored: DurationHistogram,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ComponentResult {
    pub arrivals: u64,
    pub rejected: u64,
    pub completed: u64,
    /// Jobs that ended in failure here (after arriving: errors, failed calls, lost instances).
    pub failed: u64,
    /// Calls to this component whose caller gave up (timeout, or dropped by the network).
    pub timeouts: u64,
    /// Retried calls sent to this component.
    pub retries: u64,
    /// Calls to this component refused by an open circuit breaker.
    pub short_circuited: u64,
    /// Mean time from arrival to completion of completed visits, ns.
    pub sojourn_mean_ns: f64,
    pub queue_wait: DurationHistogram,
    /// Mean busy slots over the measured time.
    pub busy_mean: f64,
    /// Mean jobs present (waiting, working or waiting on calls) over the measured time.
    pub in_system_mean: f64,
    /// Mean slots of serving instances over the measured time; `None` for unlimited concurrency.
    /// Utilisation is `busy_mean` over this.
    pub slots_mean: Option<f64>,
    /// Mean number of provisioned (billed) instances over the measured time.
    pub instances_mean: f64,
    /// Requests arriving per second over the measured time.
    pub arrivals_per_sec: f64,
    /// Requests (for a queue: messages) waiting when the warm-up ended and when the run ended:
    /// the queue's growth over the measured time, for the saturation check.
    pub queued_at_start: u64,
    pub queued_at_end: u64,
    /// What random failures did; `None` without `mtbf`/`mttr`.
    pub failures: Option<FailureCounts>,
    /// What the component's kind measured.
    pub kind: KindResult,
}

/// Figures particular to a component's kind.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum KindResult {
    #[default]
    None,
    Balancer {
        throttled: u64,
        /// Per workload (index), of `throttled`.
        by_workload: Vec<u64>,
    },
    Cache {
        hits: u64,
        misses: u64,
    },
    Queue {
        enqueued: u64,
        refused: u64,
        acked: u64,
        redelivered: u64,
        dead_lettered: u64,
        duplicates: u64,
        processing: DurationHistogram,
        depth_at_end: u64,
    },
    Database {
        reads: u64,
        writes: u64,
        stale_reads: u64,
        failovers: Vec<FailoverRecord>,
    },
    Function {
        cold_starts: u64,
        warm_starts: u64,
    },
    ObjectStore {
        reads: u64,
        writes: u64,
    },
}

impl KindResult {
    /// Adds another replication's counts to these; the processing histogram and the failover list
    /// stay this one's (replication 0's, when folding replications in order). Results of two
    /// different kinds (never folded together) are left as they are.
    pub fn add(&mut self, other: &KindResult) {
        if std::mem::discriminant(self) != std::mem::discriminant(other) {
            return;
        }
        for (a, b) in self.counters_mut().into_iter().zip(other.counters()) {
            *a += b;
        }
    }

    /// The counts that add up over replications, in the order of [`Self::counters`].
    fn counters_mut(&mut self) -> Vec<&mut u64> {
        use KindResult::*;
        match self {
            None => Vec::new(),
            Balancer {
                throttled,
                by_workload,
            } => std::iter::once(throttled)
                .chain(by_workload.iter_mut())
                .collect(),
            Cache { hits, misses } => vec![hits, misses],
            Queue {
                enqueued,
                refused,
                acked,
                redelivered,
                dead_lettered,
                duplicates,
                depth_at_end,
                processing: _,
            } => vec![
                enqueued,
                refused,
                acked,
                redelivered,
                dead_lettered,
                duplicates,
                depth_at_end,
            ],
            Database {
                reads,
                writes,
                stale_reads,
                failovers: _,
            } => vec![reads, writes, stale_reads],
            Function {
                cold_starts,
                warm_starts,
            } => vec![cold_starts, warm_starts],
            ObjectStore { reads, writes } => vec![reads, writes],
        }
    }

    /// The counts that add up over replications, in the order of [`Self::counters_mut`].
    fn counters(&self) -> Vec<u64> {
        let mut copy = match self {
            // Only the counters are read: the histogram and the failover list are not copied.
            KindResult::Queue {
                enqueued,
                refused,
                acked,
                redelivered,
                dead_lettered,
                duplicates,
                depth_at_end,
                ..
            } => {
                return vec![
                    *enqueued,
                    *refused,
                    *acked,
                    *redelivered,
                    *dead_lettered,
                    *duplicates,
                    *depth_at_end,
                ];
            }
            KindResult::Database {
                reads,
                writes,
                stale_reads,
                ..
            } => return vec![*reads, *writes, *stale_reads],
            other => other.clone(),
        };
        copy.counters_mut().into_iter().map(|c| *c).collect()
    }
}

/// What the random failures (`mtbf`/`mttr`) of one component did after the warm-up.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FailureCounts {
    /// Instance failures.
    pub random: u64,
    /// Failures while another instance of the component was already down from one.
    pub overlapping: u64,
    /// Failures that left the component with no instance serving.
    pub all_down: u64,
    /// Instance-nanoseconds down from random failures.
    pub downtime_ns: u128,
}

/// Bytes moved after the warm-up, by where they went.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Traffic {
    /// From users to entries (requests).
    pub internet_in: f64,
    /// From entries to users (responses): egress to the internet.
    pub internet_out: f64,
    /// Between zones of one region.
    pub inter_zone: f64,
    /// Along each network link between regions (in `network.links` order), both ways.
    pub inter_region: Vec<f64>,
    /// Between placed components and `external` dependencies: through a NAT gateway.
    pub nat: f64,
}

/// One loss of the primary and how the database came back.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FailoverRecord {
    pub at: SimTime,
    /// Acknowledged writes the new primary never had.
    pub lost_writes: u64,
    /// Age of the oldest lost write at the failure (0 if none was lost).
    pub rpo: SimTime,
    /// When writes were accepted again (`None`: not within the run).
    pub restored_at: Option<SimTime>,
    /// `promotion`, `restore` (from backup), or `manual` (the old primary came back).
    pub how: FailoverHow,
}

/// How a database came back after losing its primary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailoverHow {
    /// A replica was promoted.
    Promotion,
    /// Restored from backup.
    Restore,
    /// The old primary came back.
    Manual,
}

impl FailoverHow {
    /// The word the report writes.
    pub fn as_str(self) -> &'static str {
        match self {
            FailoverHow::Promotion => "promotion",
            FailoverHow::Restore => "restore",
            FailoverHow::Manual => "manual",
        }
    }
}
