//! The figures of a finished run: requests still in flight censored at the end, then every
//! workload's and component's result, and what each kind measured.

use super::ids::ComponentId;
use super::kind_state::KindRt;
use super::result::{ComponentResult, KindResult, ReplicationResult, WorkloadResult};
use super::run::{Caller, Run, ServiceState, Stage};
use crate::stats::histogram::DurationHistogram;
use crate::time::{SimTime, to_secs};

impl Run<'_> {
    /// Counts the measured requests still in flight per workload and records each one's age in
    /// a copy of its latency histogram (censored); those older than the workload's latency bound
    /// fail. Returns (unfinished, of them failed, the censored histogram) per workload.
    pub(super) fn censor_unfinished(&self) -> Vec<(u64, u64, DurationHistogram)> {
        let bounds: Vec<Option<SimTime>> = self
            .scenario
            .workloads
            .iter()
            .map(|w| crate::slo::latency_bound(&self.scenario.slos, &w.name))
            .collect();
        let mut counts: Vec<_> = self
            .workloads
            .iter()
            .map(|w| (0u64, 0u64, w.latency.clone()))
            .collect();
        for j in &self.jobs {
            if j.stage != Stage::Free && j.caller == Caller::User && j.measured {
                let (w, age) = (j.workload.index(), self.end - j.arrived);
                counts[w].2.record(age);
                counts[w].0 += 1;
                if bounds[w].is_some_and(|b| age > b) {
                    counts[w].1 += 1;
                }
            }
        }
        counts
    }

    /// The figures of the finished run.
    pub fn result(mut self) -> ReplicationResult {
        let measured_ns = (self.end - self.scenario.warmup).max(1) as f64;
        let unfinished = self.censor_unfinished();
        let n = self.services.len();
        let components = move || (0..n).map(ComponentId::new);
        for c in components() {
            self.integrate_failures(c);
        }
        let queued_at_end: Vec<u64> = components().map(|c| self.queued(c)).collect();
        let workloads = self
            .workloads
            .into_iter()
            .zip(unfinished)
            .map(|(w, (unfinished, overdue, censored))| WorkloadResult {
                requests: w.requests,
                completed: w.completed,
                failed: w.failed + overdue,
                unfinished,
                unfinished_failed: overdue,
                latency: w.latency,
                censored,
            })
            .collect();
        let components = self
            .services
            .into_iter()
            .zip(queued_at_end)
            .map(|(s, queued_at_end)| component_result(s, queued_at_end, measured_ns))
            .collect();
        ReplicationResult {
            events: self.events,
            measured_s: to_secs(self.end - self.scenario.warmup),
            workloads,
            components,
            timeseries: self.series,
            traffic: self.traffic,
        }
    }
}

/// A component's figures over the measured time (`measured_ns` long).
fn component_result(s: ServiceState, queued_at_end: u64, measured_ns: f64) -> ComponentResult {
    let st = s.stats;
    ComponentResult {
        arrivals: st.arrivals,
        rejected: st.rejected,
        completed: st.completed,
        failed: st.failed,
        timeouts: st.timeouts,
        retries: st.retries,
        short_circuited: st.short_circuited,
        sojourn_mean_ns: if st.completed == 0 {
            0.0
        } else {
            st.sojourn_sum_ns as f64 / st.completed as f64
        },
        queue_wait: st.queue_wait,
        busy_mean: st.areas.busy as f64 / measured_ns,
        in_system_mean: st.areas.in_system as f64 / measured_ns,
        instances_mean: st.areas.provisioned as f64 / measured_ns,
        slots_mean: (s.capacity != u32::MAX)
            .then(|| st.areas.serving as f64 / measured_ns * s.capacity as f64),
        arrivals_per_sec: st.arrivals as f64 / (measured_ns / 1e9),
        queued_at_start: st.queued_at_start,
        queued_at_end,
        failures: s.failures.map(|_| st.failures),
        kind: kind_result(s.kind),
    }
}

/// What a component's kind measured.
fn kind_result(kind: KindRt) -> KindResult {
    match kind {
        KindRt::Plain => KindResult::None,
        KindRt::Balancer(b) => KindResult::Balancer {
            throttled: b.throttled,
            by_workload: b.throttled_by.clone(),
        },
        KindRt::Cache(c) => KindResult::Cache {
            hits: c.hits,
            misses: c.misses,
        },
        KindRt::Broker(q) => KindResult::Queue {
            depth_at_end: q.depth() as u64,
            enqueued: q.stats.enqueued,
            refused: q.stats.refused,
            acked: q.stats.acked,
            redelivered: q.stats.redelivered,
            dead_lettered: q.stats.dead_lettered,
            duplicates: q.stats.duplicates,
            processing: q.stats.processing,
        },
        KindRt::Database(db) => KindResult::Database {
            reads: db.stats.reads,
            writes: db.stats.writes,
            stale_reads: db.stats.stale_reads,
            failovers: db.stats.failovers,
        },
        KindRt::Function(f) => KindResult::Function {
            cold_starts: f.cold_starts,
            warm_starts: f.warm_starts,
        },
        KindRt::ObjectStore(o) => KindResult::ObjectStore {
            reads: o.reads,
            writes: o.writes,
        },
    }
}
