//! One replication: the modelled system's state, the event loop, and the life of a request.
//!
//! A *request* is sent by a workload's user to the entry component; at each component it becomes a
//! *job* (a visit). A job at a service waits for a concurrency slot at the instance the balancer
//! picked, holds the slot while it does its local work, then works through its steps: each step is
//! one call or a parallel group of calls (see [`super::calls`]); the slot is released when the last
//! step ends (or right after the local work with `io: async`). A rejected job (its instance's queue
//! is full, or the instance is down) fails; a failed call fails its step unless retried.
//!
//! Hot-path rules: events carry indices with generation counters; jobs and call links live in slabs
//! reused through free lists; queues keep their capacity; distributions, events and policies are
//! enums, not trait objects. Nothing allocates per event once the run has reached its steady state.

use super::SimError;
use super::calls::{CallRt, Link, StepRt};
use super::event_queue::{EventKind, EventQueue};
use crate::dist::Dist;
use crate::rng::Stream;
use crate::scenario::topology::Place;
use crate::scenario::{Arrivals, Balance, Failures, RateProfile, Scenario, WorkloadKind};
use crate::stats::histogram::DurationHistogram;
use crate::stats::timeseries::{self, ComponentPoint, TimeSeries, WorkloadPoint};
use crate::time::{SimTime, to_secs};
use std::collections::VecDeque;

pub(super) const NONE: u32 = u32::MAX;
/// The operation of a request from a workload without an `ops` mix.
pub(super) const NO_OP: u32 = u32::MAX;

/// A visit of a request to one component.
#[derive(Clone, Copy, Debug)]
pub(super) struct Job {
    /// Arrival at the component (for a root job: when the user sent the request).
    pub arrived: SimTime,
    /// The call link this job answers, or [`NONE`] for a root request.
    pub link: u32,
    pub link_gen: u32,
    pub component: u32,
    pub instance: u32,
    pub workload: u32,
    pub op: u32,
    /// A cache job's missed key, to store when the miss is answered (NONE otherwise).
    pub key: u32,
    /// The step being worked on, and its calls not yet resolved.
    pub step: u32,
    pub pending: u32,
    /// Position in the instance's `active` list while the job holds a slot.
    pub active_pos: u32,
    /// Bumped when the job ends, so stale events and links recognise it.
    pub generation: u32,
    /// For a queue delivery: the queue it came from.
    pub origin: u32,
    pub step_failed: bool,
    pub holds_slot: bool,
    pub queued: bool,
    /// The job has arrived at its instance (counted in `in_system`).
    pub present: bool,
    /// Calls of the current step are being sent; resolutions must not advance the step yet.
    pub sending: bool,
    pub measured: bool,
    pub live: bool,
    /// The job is a queue message handed to a consumer (`link` is the delivery).
    pub delivery: bool,
}

impl Job {
    /// A new visit of `component` at `instance`: no link (a root request), nothing done yet.
    pub fn visit(
        component: u32,
        instance: u32,
        workload: u32,
        op: u32,
        arrived: SimTime,
        measured: bool,
    ) -> Job {
        Job {
            arrived,
            link: NONE,
            link_gen: 0,
            component,
            instance,
            workload,
            op,
            key: NONE,
            step: 0,
            pending: 0,
            active_pos: 0,
            generation: 0,
            origin: NONE,
            step_failed: false,
            holds_slot: false,
            queued: false,
            present: false,
            sending: false,
            measured,
            live: true,
            delivery: false,
        }
    }
}

/// One instance of a component.
#[derive(Debug, Default)]
pub(super) struct Instance {
    pub component: u32,
    pub place: Place,
    pub busy: u32,
    pub queue: VecDeque<u32>,
    /// Jobs holding a slot here.
    pub active: Vec<u32>,
    /// Overlapping zone or region outages covering this instance.
    pub outages: u32,
    /// Overlapping crashes (faults, random failures, spot reclaims).
    pub crashed: u32,
    /// A spot instance under its reclaim warning takes no new work.
    pub draining: bool,
    /// An instance the autoscaler is scaling in takes no new work and leaves once idle.
    pub retiring: bool,
    /// Provisioned and started (autoscaling adds and removes instances).
    pub ready: bool,
    /// Provisioned and starting up.
    pub starting: bool,
}

impl Instance {
    pub fn up(&self) -> bool {
        self.ready && self.outages == 0 && self.crashed == 0
    }

    pub fn routable(&self) -> bool {
        self.up() && !self.draining && !self.retiring
    }

    pub fn outstanding(&self) -> usize {
        self.busy as usize + self.queue.len()
    }
}

/// Per-component statistics since the warm-up.
#[derive(Debug, Default)]
pub(super) struct ComponentStats {
    pub arrivals: u64,
    pub rejected: u64,
    pub completed: u64,
    pub failed: u64,
    pub timeouts: u64,
    pub retries: u64,
    pub short_circuited: u64,
    pub sojourn_sum_ns: u128,
    pub queue_wait: DurationHistogram,
    /// Time integrals (slot-nanoseconds, job-nanoseconds) since the warm-up.
    pub busy_area: u128,
    pub in_system_area: u128,
    /// Instance-nanoseconds of provisioned (billed) instances since the warm-up.
    pub provisioned_area: u128,
    /// Instance-nanoseconds of serving instances since the warm-up (utilisation's denominator).
    pub serving_area: u128,
    /// Requests waiting when statistics started (see [`ComponentResult::queued_at_start`]).
    pub queued_at_start: u64,
    /// Random failures (`mtbf`/`mttr`) since the warm-up: see [`FailureCounts`].
    pub failures: FailureCounts,
    /// Instances down from a random failure now, and since when that number holds (state).
    pub failed_now: u32,
    pub failed_since: SimTime,
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

/// Per-component figures of the current time-series window.
#[derive(Debug, Default)]
pub(super) struct WindowStats {
    pub busy_area: u128,
    pub in_system_area: u128,
    /// Instance-nanoseconds of serving (routable) instances: the denominator of utilisation.
    pub serving_area: u128,
    pub rejected: u64,
    pub failed: u64,
}

/// A component's run-time state.
pub(super) struct ServiceState {
    pub first_instance: u32,
    pub instances: u32,
    /// Slots per instance; `u32::MAX` for `unlimited`.
    pub capacity: u32,
    pub queue_limit: usize,
    pub service_time: Dist,
    pub steps: Box<[StepRt]>,
    pub balance: Balance,
    pub io_async: bool,
    pub error_rate: f64,
    /// Added by active `errors`/`bad_deploy` faults.
    pub fault_error_rate: f64,
    /// Added by active `latency` faults.
    pub extra_latency: SimTime,
    pub failures: Option<Failures>,
    pub rr_next: u32,
    pub work_rng: Stream,
    pub balance_rng: Stream,
    pub error_rng: Stream,
    pub call_rng: Stream,
    pub retry_rng: Stream,
    pub failure_rng: Stream,
    pub busy: u64,
    pub in_system: u64,
    /// Instances provisioned (started or starting): what is billed.
    pub provisioned: u64,
    /// Instances serving (up, and neither draining nor retiring).
    pub serving: u64,
    pub last_change: SimTime,
    pub stats: ComponentStats,
    pub window: WindowStats,
    pub kind: super::kinds::KindRt,
    /// The queue whose messages this component consumes.
    pub consumer_of: Option<u32>,
    /// An `external` dependency: traffic to it from placed components crosses a NAT gateway.
    pub external: bool,
    pub autoscale: Option<super::autoscale::AutoscaleRt>,
}

impl ServiceState {
    /// Adds the time since the last change to the time integrals.
    #[inline]
    pub fn advance(&mut self, now: SimTime, measuring: bool) {
        let dt = (now - self.last_change) as u128;
        if dt > 0 {
            let busy = self.busy as u128 * dt;
            let present = self.in_system as u128 * dt;
            let serving = self.serving as u128 * dt;
            self.window.busy_area += busy;
            self.window.in_system_area += present;
            self.window.serving_area += serving;
            if let Some(a) = &mut self.autoscale {
                a.busy_area += busy;
            }
            if measuring {
                self.stats.busy_area += busy;
                self.stats.in_system_area += present;
                self.stats.provisioned_area += self.provisioned as u128 * dt;
                self.stats.serving_area += serving;
            }
        }
        self.last_change = now;
    }
}

pub(super) struct WorkloadState {
    pub entry: u32,
    pub request_size: f64,
    pub response_size: f64,
    pub place: Place,
    pub arrivals: Option<Arrivals>,
    pub profile: RateProfile,
    /// Product of active load-spike factors.
    pub spike: f64,
    /// The rate the pending arrival was drawn with, per second.
    pub rate: f64,
    /// The mean gap between arrivals at that rate, ns (`1e9 / rate`: computed once per rate
    /// rather than at every arrival).
    pub gap_ns: f64,
    pub arrival_gen: u32,
    pub think_time: Option<Dist>,
    pub users: u32,
    pub ops: Box<[(u32, f64)]>,
    pub arrival_rng: Stream,
    pub think_rng: Stream,
    pub op_rng: Stream,
    pub requests: u64,
    pub completed: u64,
    pub failed: u64,
    pub latency: DurationHistogram,
    pub window_completed: u64,
    pub window_failed: u64,
    pub window_latency: DurationHistogram,
}

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
    pub traffic: super::instances::Traffic,
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
        failovers: Vec<super::kinds::FailoverRecord>,
    },
    Function {
        cold_starts: u64,
        warm_starts: u64,
    },
}

impl KindResult {
    /// Adds another replication's counts to these; the processing histogram and the failover list
    /// stay this one's (replication 0's, when folding replications in order).
    pub fn add(&mut self, other: &KindResult) {
        use KindResult::*;
        match (self, other) {
            (
                Balancer {
                    throttled,
                    by_workload,
                },
                Balancer {
                    throttled: t,
                    by_workload: b,
                },
            ) => {
                *throttled += t;
                for (x, y) in by_workload.iter_mut().zip(b) {
                    *x += y;
                }
            }
            (Cache { hits, misses }, Cache { hits: h, misses: m }) => {
                *hits += h;
                *misses += m;
            }
            (
                Queue {
                    enqueued,
                    refused,
                    acked,
                    redelivered,
                    dead_lettered,
                    duplicates,
                    depth_at_end,
                    ..
                },
                Queue {
                    enqueued: e,
                    refused: r,
                    acked: a,
                    redelivered: re,
                    dead_lettered: d,
                    duplicates: du,
                    depth_at_end: de,
                    ..
                },
            ) => {
                *enqueued += e;
                *refused += r;
                *acked += a;
                *redelivered += re;
                *dead_lettered += d;
                *duplicates += du;
                *depth_at_end += de;
            }
            (
                Database {
                    reads,
                    writes,
                    stale_reads,
                    ..
                },
                Database {
                    reads: r,
                    writes: w,
                    stale_reads: st,
                    ..
                },
            ) => {
                *reads += r;
                *writes += w;
                *stale_reads += st;
            }
            (
                Function {
                    cold_starts,
                    warm_starts,
                },
                Function {
                    cold_starts: c,
                    warm_starts: w,
                },
            ) => {
                *cold_starts += c;
                *warm_starts += w;
            }
            _ => {}
        }
    }
}

/// The state of one replication.
pub struct Run<'s> {
    pub(super) scenario: &'s Scenario,
    pub(super) now: SimTime,
    pub(super) end: SimTime,
    pub(super) measuring: bool,
    pub(super) queue: EventQueue,
    pub(super) jobs: Vec<Job>,
    pub(super) free_jobs: Vec<u32>,
    pub(super) links: Vec<Link>,
    pub(super) free_links: Vec<u32>,
    pub(super) calls: Vec<CallRt>,
    pub(super) services: Vec<ServiceState>,
    pub(super) instances: Vec<Instance>,
    pub(super) workloads: Vec<WorkloadState>,
    /// `[region a * regions + region b]`: active partitions between them.
    pub(super) partitions: Vec<u32>,
    /// Active outages per region (calls into a dark region are dropped).
    pub(super) region_down: Vec<u32>,
    /// Per region: outages of its shared NAT gateway's zone under way.
    pub(super) nat_down: Vec<u32>,
    /// Instances each timed fault took down, to bring back at its end.
    pub(super) fault_instances: Vec<Vec<u32>>,
    /// Reusable buffer for the calls of a step.
    pub(super) scratch: Vec<u32>,
    pub(super) series: TimeSeries,
    pub(super) traffic: super::instances::Traffic,
    pub(super) events: u64,
    pub(super) in_flight: u64,
    finished: bool,
}

impl<'s> Run<'s> {
    /// Sets up replication `replication` (0-based) of `scenario`.
    pub fn new(scenario: &'s Scenario, replication: u32) -> Run<'s> {
        let seed = scenario.seed;
        let stream = |owner: &str, purpose: &str| Stream::new(seed, replication, owner, purpose);
        let mut instances = Vec::new();
        let mut calls = Vec::new();
        let mut services = Vec::new();
        for (ci, c) in scenario.components.iter().enumerate() {
            let s = &c.station;
            let first = instances.len() as u32;
            // Autoscaled services get room for `max` instances; those past `replicas` start unprovisioned.
            let slots = c.autoscale.map_or(s.replicas, |a| a.max.max(s.replicas));
            for i in 0..slots as usize {
                let place = match &c.kind {
                    crate::scenario::ComponentKind::Database(db) => Place {
                        region: db.nodes[i].region.map(|r| r as u16),
                        zone: db.nodes[i].zone.map(|z| z as u16),
                    },
                    _ => Place {
                        region: c.region.map(|r| r as u16),
                        zone: (!c.zones.is_empty()).then(|| c.zones[i % c.zones.len()] as u16),
                    },
                };
                instances.push(Instance {
                    component: ci as u32,
                    place,
                    ready: i < s.replicas as usize,
                    ..Instance::default()
                });
            }
            let steps = super::calls::compile_steps(scenario, &s.steps, &mut calls);
            let kind =
                super::kinds::KindRt::new(scenario, ci, first, &mut calls, stream(&c.name, "kind"));
            services.push(ServiceState {
                first_instance: first,
                instances: slots,
                capacity: s.concurrency.unwrap_or(u32::MAX),
                queue_limit: s.queue_limit.map_or(usize::MAX, |q| q as usize),
                service_time: s.service_time.clone(),
                steps,
                balance: s.balance,
                io_async: s.io_async,
                error_rate: s.error_rate,
                fault_error_rate: 0.0,
                extra_latency: 0,
                failures: c.failures,
                rr_next: 0,
                work_rng: stream(&c.name, "service_time"),
                balance_rng: stream(&c.name, "balance"),
                error_rng: stream(&c.name, "errors"),
                call_rng: stream(&c.name, "calls"),
                retry_rng: stream(&c.name, "retry"),
                failure_rng: stream(&c.name, "failures"),
                busy: 0,
                in_system: 0,
                provisioned: s.replicas as u64,
                serving: s.replicas as u64,
                last_change: 0,
                stats: ComponentStats::default(),
                window: WindowStats::default(),
                kind,
                external: matches!(c.kind, crate::scenario::ComponentKind::External),
                consumer_of: None,
                autoscale: c
                    .autoscale
                    .map(|a| super::autoscale::AutoscaleRt::new(a, s.replicas)),
            });
        }
        for (ci, c) in scenario.components.iter().enumerate() {
            if let crate::scenario::ComponentKind::Queue(q) = &c.kind {
                services[q.consumers].consumer_of = Some(ci as u32);
            }
        }
        let workloads = scenario
            .workloads
            .iter()
            .map(|w| {
                let (arrivals, think_time, users) = match &w.kind {
                    WorkloadKind::Open(a) => (Some(*a), None, 0),
                    WorkloadKind::Closed { users, think_time } => {
                        (None, Some(think_time.clone()), *users)
                    }
                };
                WorkloadState {
                    entry: w.entry as u32,
                    request_size: w.request_size,
                    response_size: w.response_size,
                    place: Place {
                        region: w.region.map(|r| r as u16),
                        zone: None,
                    },
                    arrivals,
                    profile: w.profile,
                    spike: 1.0,
                    rate: 0.0,
                    gap_ns: 0.0,
                    arrival_gen: 0,
                    think_time,
                    users,
                    ops: w.ops.iter().map(|&(o, p)| (o as u32, p)).collect(),
                    arrival_rng: stream(&w.name, "arrivals"),
                    think_rng: stream(&w.name, "think_time"),
                    op_rng: stream(&w.name, "ops"),
                    requests: 0,
                    completed: 0,
                    failed: 0,
                    latency: DurationHistogram::default(),
                    window_completed: 0,
                    window_failed: 0,
                    window_latency: DurationHistogram::default(),
                }
            })
            .collect();
        let end = scenario.warmup + scenario.duration;
        let regions = scenario.regions.len();
        let window = timeseries::window_for(end);
        let windows = end.div_ceil(window) as usize;
        let mut run = Run {
            scenario,
            now: 0,
            end,
            measuring: scenario.warmup == 0,
            queue: EventQueue::with_capacity(1024),
            jobs: Vec::with_capacity(1024),
            free_jobs: Vec::with_capacity(1024),
            links: Vec::with_capacity(1024),
            free_links: Vec::with_capacity(1024),
            calls,
            services,
            instances,
            workloads,
            partitions: vec![0; regions * regions],
            region_down: vec![0; regions],
            nat_down: vec![0; regions],
            fault_instances: vec![Vec::new(); scenario.faults.len()],
            scratch: Vec::with_capacity(16),
            series: TimeSeries {
                window,
                workloads: Vec::with_capacity(windows),
                components: Vec::with_capacity(windows),
            },
            traffic: super::instances::Traffic {
                inter_region: vec![0.0; scenario.network.links.len()],
                ..Default::default()
            },
            events: 0,
            in_flight: 0,
            finished: false,
        };
        run.start();
        run
    }

    fn start(&mut self) {
        if self.scenario.warmup > 0 {
            self.queue
                .schedule(self.scenario.warmup, EventKind::WarmupEnd);
        }
        self.queue.schedule(self.end, EventKind::End);
        if self.series.window < self.end {
            self.queue.schedule(self.series.window, EventKind::Window);
        }
        for (i, f) in self.scenario.faults.iter().enumerate() {
            if f.at < self.end {
                self.queue.schedule(
                    f.at,
                    EventKind::Fault {
                        index: i as u32,
                        start: true,
                    },
                );
            }
            if let Some(e) = f.end().filter(|&e| e < self.end) {
                self.queue.schedule(
                    e,
                    EventKind::Fault {
                        index: i as u32,
                        start: false,
                    },
                );
            }
        }
        self.schedule_random_failures();
        for c in 0..self.services.len() as u32 {
            match &self.services[c as usize].kind {
                super::kinds::KindRt::Balancer(b) if b.check.is_some() => {
                    self.queue
                        .schedule(0, EventKind::HealthCheck { component: c });
                }
                super::kinds::KindRt::Database(_) => self.take_backup(c),
                _ => {}
            }
            if let Some(a) = &self.services[c as usize].autoscale {
                self.queue
                    .schedule(a.cfg.interval, EventKind::Autoscale { component: c });
            }
        }
        for w in 0..self.workloads.len() {
            if self.workloads[w].arrivals.is_some() {
                self.reschedule_arrival(w);
            } else {
                let wl = &mut self.workloads[w];
                if let Some(think) = &wl.think_time {
                    // Every user starts with a think, so users do not all fire at time zero.
                    for _ in 0..wl.users {
                        let t = think.sample(&mut wl.think_rng);
                        self.queue
                            .schedule(t, EventKind::ThinkDone { workload: w as u32 });
                    }
                }
            }
        }
    }

    /// Draws the next arrival of an open workload at its current rate, replacing any pending one
    /// (exact for a piecewise-constant rate: exponential gaps are memoryless).
    pub(super) fn reschedule_arrival(&mut self, w: usize) {
        let now = self.now;
        let wl = &mut self.workloads[w];
        let Some(a) = wl.arrivals else { return };
        wl.rate = a.per_sec() * wl.profile.factor(now) * wl.spike;
        wl.arrival_gen = wl.arrival_gen.wrapping_add(1);
        if wl.rate > 0.0 {
            wl.gap_ns = 1e9 / wl.rate;
            let gap = interarrival(a, wl.gap_ns, &mut wl.arrival_rng);
            self.queue.schedule(
                now + gap,
                EventKind::Arrival {
                    workload: w as u32,
                    generation: wl.arrival_gen,
                },
            );
        }
    }

    /// Processes events until the run ends or `budget` events have been processed.
    pub fn advance(&mut self, budget: u64) -> Result<Progress, SimError> {
        let limits = self.scenario.limits;
        let stop_at = self.events.saturating_add(budget);
        while !self.finished && self.events < stop_at {
            let Some(ev) = self.queue.pop() else {
                self.finish_at(self.end);
                break;
            };
            self.now = ev.time;
            self.events += 1;
            if self.events > limits.max_events {
                return Err(SimError::Limit {
                    limit: "events",
                    value: limits.max_events,
                    at_s: to_secs(self.now),
                    hint: "shorten `duration`, lower the load, or raise `limits: { max_events: ... }`",
                });
            }
            match ev.kind {
                EventKind::Arrival {
                    workload,
                    generation,
                } => {
                    let w = &mut self.workloads[workload as usize];
                    if generation != w.arrival_gen {
                        continue;
                    }
                    let a = w.arrivals.expect("open workload");
                    let gap = interarrival(a, w.gap_ns, &mut w.arrival_rng);
                    self.queue.schedule(self.now + gap, ev.kind);
                    self.send_request(workload)?;
                }
                EventKind::ThinkDone { workload } => self.send_request(workload)?,
                EventKind::Deliver { job, generation } => {
                    if self.jobs[job as usize].generation == generation {
                        self.arrive(job);
                    }
                }
                EventKind::WorkDone { job, generation } => {
                    if self.jobs[job as usize].generation == generation {
                        self.work_done(job);
                    }
                }
                EventKind::Response {
                    link,
                    generation,
                    ok,
                } => self.resolve_link(link, generation, ok, false),
                EventKind::CallTimeout { link, generation } => {
                    self.resolve_link(link, generation, false, true)
                }
                EventKind::Retry { link, generation } => self.send_retry(link, generation),
                EventKind::RequestDone {
                    job,
                    generation,
                    ok,
                } => {
                    if self.jobs[job as usize].generation == generation {
                        self.request_done(job, ok);
                    }
                }
                EventKind::Fault { index, start } => self.apply_fault(index as usize, start),
                EventKind::SpotReclaim { index } => self.reclaim_spot(index as usize),
                EventKind::InstanceFail { instance } => self.random_failure(instance),
                EventKind::InstanceRepair { instance } => self.random_repair(instance),
                EventKind::HealthCheck { component } => self.health_check(component),
                EventKind::HealthResult {
                    component,
                    target,
                    ok,
                } => self.health_result(component, target, ok),
                EventKind::VisibilityTimeout {
                    component,
                    delivery,
                    generation,
                } => self.visibility_timeout(component, delivery, generation),
                EventKind::Promote {
                    component,
                    generation,
                } => self.promote(component, generation),
                EventKind::Backup { component } => self.take_backup(component),
                EventKind::Autoscale { component } => self.autoscale(component),
                EventKind::ScaleOut { component, count } => self.scale_out(component, count),
                EventKind::InstanceReady { instance } => self.instance_ready(instance),
                EventKind::Window => self.close_window(),
                EventKind::WarmupEnd => {
                    for c in 0..self.services.len() {
                        self.services[c].stats.queued_at_start = self.queued(c);
                        self.services[c].advance(self.now, false);
                    }
                    self.measuring = true;
                }
                EventKind::End => self.finish_at(self.now),
            }
        }
        Ok(Progress {
            now: self.now,
            end: self.end,
            events: self.events,
            done: self.finished,
        })
    }

    fn finish_at(&mut self, t: SimTime) {
        self.now = t;
        for s in &mut self.services {
            s.advance(t, self.measuring);
        }
        if (self.series.workloads.len() as u64) * self.series.window < self.end {
            self.close_window();
        }
        self.finished = true;
    }

    /// Runs to the end.
    pub fn run_to_end(mut self) -> Result<ReplicationResult, SimError> {
        while !self.advance(u64::MAX)?.done {}
        Ok(self.result())
    }

    /// Closes the current time-series window and, on its boundary, updates rate profiles.
    fn close_window(&mut self) {
        let now = self.now;
        let window_len =
            (now - self.series.workloads.len() as u64 * self.series.window).max(1) as f64;
        let mut ws = Vec::with_capacity(self.workloads.len());
        for w in &mut self.workloads {
            ws.push(WorkloadPoint {
                completed: w.window_completed,
                failed: w.window_failed,
                p50_ns: w.window_latency.quantile_ns(0.5),
                p99_ns: w.window_latency.quantile_ns(0.99),
            });
            w.window_completed = 0;
            w.window_failed = 0;
            w.window_latency.reset();
        }
        let mut cs = Vec::with_capacity(self.services.len());
        for s in &mut self.services {
            s.advance(now, self.measuring);
            let pool = &self.instances
                [s.first_instance as usize..(s.first_instance + s.instances) as usize];
            let up = pool.iter().filter(|i| i.up()).count() as u32;
            let mut point = ComponentPoint {
                busy_mean: s.window.busy_area as f64 / window_len,
                in_system_mean: s.window.in_system_area as f64 / window_len,
                // Mean slots serving over the window, so utilisation follows instances as they
                // come and go within it.
                capacity: if s.capacity == u32::MAX {
                    0.0
                } else {
                    s.window.serving_area as f64 / window_len * s.capacity as f64
                },
                instances: up,
                rejected: s.window.rejected,
                failed: s.window.failed,
                queued: pool.iter().map(|i| i.queue.len() as u64).sum(),
                hit_ratio: f64::NAN,
                lag_ns: 0.0,
            };
            match &mut s.kind {
                super::kinds::KindRt::Cache(c) => {
                    let n = c.window_hits + c.window_misses;
                    point.hit_ratio = if n == 0 {
                        f64::NAN
                    } else {
                        c.window_hits as f64 / n as f64
                    };
                    c.window_hits = 0;
                    c.window_misses = 0;
                }
                super::kinds::KindRt::Broker(q) => {
                    point.queued = q.depth() as u64;
                    point.lag_ns = q.lag(now) as f64;
                }
                super::kinds::KindRt::Database(db) => point.lag_ns = db.lag_now(now) as f64,
                super::kinds::KindRt::Function(f) => {
                    // Instances alive: busy ones plus those kept warm.
                    point.instances = s.busy as u32 + f.expire(now) as u32;
                    point.capacity = 0.0;
                }
                _ => {}
            }
            cs.push(point);
            s.window = WindowStats::default();
        }
        self.series.workloads.push(ws);
        self.series.components.push(cs);
        let next = now + self.series.window;
        if next < self.end && !self.finished {
            self.queue.schedule(next, EventKind::Window);
        }
        for w in 0..self.workloads.len() {
            if !matches!(self.workloads[w].profile, RateProfile::Constant) {
                self.reschedule_arrival(w);
            }
        }
    }

    fn send_request(&mut self, workload: u32) -> Result<(), SimError> {
        if self.in_flight >= self.scenario.limits.max_in_flight {
            return Err(SimError::Limit {
                limit: "requests in flight",
                value: self.scenario.limits.max_in_flight,
                at_s: to_secs(self.now),
                hint: "the system is overloaded (arrivals outpace service); add capacity, set a `queue_limit`, or raise `limits: { max_in_flight: ... }`",
            });
        }
        self.in_flight += 1;
        let w = &mut self.workloads[workload as usize];
        if self.measuring {
            w.requests += 1;
        }
        let op = pick_op(&w.ops, &mut w.op_rng);
        if self.measuring {
            self.traffic.internet_in += w.request_size;
        }
        let (entry, place) = (w.entry, w.place);
        let instance = self.choose_instance(entry, op, place);
        let job = self.new_job(Job::visit(
            entry,
            instance,
            workload,
            op,
            self.now,
            self.measuring,
        ));
        let generation = self.jobs[job as usize].generation;
        match self.path(place, self.instances[instance as usize].place) {
            None => {
                let t = self.now + self.scenario.network.connect_timeout;
                self.queue.schedule(
                    t,
                    EventKind::RequestDone {
                        job,
                        generation,
                        ok: false,
                    },
                );
            }
            Some(0) => self.arrive(job),
            Some(d) => self
                .queue
                .schedule(self.now + d, EventKind::Deliver { job, generation }),
        }
        Ok(())
    }

    pub(super) fn new_job(&mut self, mut job: Job) -> u32 {
        match self.free_jobs.pop() {
            Some(i) => {
                job.generation = self.jobs[i as usize].generation;
                self.jobs[i as usize] = job;
                i
            }
            None => {
                self.jobs.push(job);
                (self.jobs.len() - 1) as u32
            }
        }
    }

    fn free_job(&mut self, job: u32) {
        let j = &mut self.jobs[job as usize];
        j.generation = j.generation.wrapping_add(1);
        j.live = false;
        self.free_jobs.push(job);
    }

    /// A job reaches its instance: take a slot, wait in the instance's queue, or be rejected.
    pub(super) fn arrive(&mut self, job: u32) {
        let j = self.jobs[job as usize];
        let s = &mut self.services[j.component as usize];
        s.advance(self.now, self.measuring);
        if j.measured {
            s.stats.arrivals += 1;
        }
        self.jobs[job as usize].arrived = if j.link == NONE { j.arrived } else { self.now };
        let refused = self.quorum_refuses(job);
        let s = &mut self.services[j.component as usize];
        let instance = &mut self.instances[j.instance as usize];
        let throttled = refused
            || match &mut s.kind {
                super::kinds::KindRt::Balancer(b) => !b.admit(self.now, j.workload),
                _ => false,
            };
        if !instance.up() || throttled {
            // Connection refused (or 429): the request fails at once, without being counted as present.
            if j.measured {
                s.stats.rejected += 1;
            }
            s.window.rejected += 1;
            self.finish(job, false);
            return;
        }
        if instance.busy < s.capacity {
            s.in_system += 1;
            self.jobs[job as usize].present = true;
            self.start_work(job);
        } else if instance.queue.len() < s.queue_limit {
            s.in_system += 1;
            instance.queue.push_back(job);
            let jm = &mut self.jobs[job as usize];
            jm.present = true;
            jm.queued = true;
        } else {
            if j.measured {
                s.stats.rejected += 1;
            }
            s.window.rejected += 1;
            self.finish(job, false);
        }
    }

    /// The job takes a slot at its instance and starts its local work.
    fn start_work(&mut self, job: u32) {
        let j = self.jobs[job as usize];
        let s = &mut self.services[j.component as usize];
        s.advance(self.now, self.measuring);
        s.busy += 1;
        let instance = &mut self.instances[j.instance as usize];
        instance.busy += 1;
        let pos = instance.active.len() as u32;
        instance.active.push(job);
        if j.measured {
            s.stats
                .queue_wait
                .record(self.now - self.jobs[job as usize].arrived);
        }
        let measured = j.measured;
        let work = match &mut s.kind {
            super::kinds::KindRt::Function(f) => {
                f.start(self.now, measured) + s.service_time.sample(&mut s.work_rng)
            }
            super::kinds::KindRt::Database(_) => self.db_work(job),
            _ => s.service_time.sample(&mut s.work_rng),
        } + self.services[j.component as usize].extra_latency;
        let jm = &mut self.jobs[job as usize];
        jm.holds_slot = true;
        jm.queued = false;
        jm.active_pos = pos;
        self.queue.schedule(
            self.now + work,
            EventKind::WorkDone {
                job,
                generation: jm.generation,
            },
        );
    }

    /// Local work is done: fail by the component's error rate, or go on with the steps.
    fn work_done(&mut self, job: u32) {
        let j = self.jobs[job as usize];
        let s = &mut self.services[j.component as usize];
        let rate = s.error_rate + s.fault_error_rate;
        if rate > 0.0 && s.error_rng.uniform() < rate {
            self.finish(job, false);
            return;
        }
        if s.io_async {
            self.release_slot(job);
        }
        self.jobs[job as usize].step = 0;
        match &self.services[j.component as usize].kind {
            super::kinds::KindRt::Balancer(b) => {
                let call = b.forward_call;
                self.forward(job, call);
            }
            super::kinds::KindRt::Cache(_) => {
                if self.cache_lookup(job) {
                    self.finish(job, true);
                } else {
                    self.run_steps(job);
                }
            }
            super::kinds::KindRt::Broker(_) => {
                let ok = self.enqueue(job);
                self.finish(job, ok);
                if ok {
                    self.dispatch(j.component);
                }
            }
            _ => self.run_steps(job),
        }
    }

    /// Gives the job's slot back and starts the next waiting job of that instance.
    fn release_slot(&mut self, job: u32) {
        let j = self.jobs[job as usize];
        if !j.holds_slot {
            return;
        }
        let s = &mut self.services[j.component as usize];
        s.advance(self.now, self.measuring);
        s.busy -= 1;
        let instance = &mut self.instances[j.instance as usize];
        instance.busy -= 1;
        let pos = j.active_pos as usize;
        instance.active.swap_remove(pos);
        if let Some(&moved) = instance.active.get(pos) {
            self.jobs[moved as usize].active_pos = pos as u32;
        }
        self.jobs[job as usize].holds_slot = false;
        if let super::kinds::KindRt::Function(f) = &mut s.kind {
            f.release(self.now);
        }
        if let Some(next) = instance.queue.pop_front() {
            self.start_work(next);
        }
    }

    /// The job ends, well or not: its slot is released and its caller (or user) is answered.
    pub(super) fn finish(&mut self, job: u32, ok: bool) {
        self.release_slot(job);
        if ok && self.jobs[job as usize].key != NONE {
            self.cache_fill(job);
        }
        let j = self.jobs[job as usize];
        let s = &mut self.services[j.component as usize];
        if j.present {
            s.advance(self.now, self.measuring);
            s.in_system -= 1;
            if j.measured {
                if ok {
                    s.stats.completed += 1;
                    s.stats.sojourn_sum_ns += (self.now - j.arrived) as u128;
                } else {
                    s.stats.failed += 1;
                }
            }
        }
        if !ok {
            s.window.failed += 1;
        }
        self.answer(job, ok);
    }

    /// Sends the job's outcome back over the network and frees the job.
    fn answer(&mut self, job: u32, ok: bool) {
        let j = self.jobs[job as usize];
        if j.delivery {
            self.free_job(job);
            self.consumed(j.origin, j.link, j.link_gen, ok);
            return;
        }
        let from = self.place_of(job);
        if j.link == NONE {
            let to = self.workloads[j.workload as usize].place;
            match self.path(from, to) {
                Some(0) => self.request_done(job, ok),
                Some(d) => self.queue.schedule(
                    self.now + d,
                    EventKind::RequestDone {
                        job,
                        generation: j.generation,
                        ok,
                    },
                ),
                // The answer cannot get back: the user gives up at the connect timeout.
                None => {
                    let t = self.now + self.scenario.network.connect_timeout;
                    self.queue.schedule(
                        t,
                        EventKind::RequestDone {
                            job,
                            generation: j.generation,
                            ok: false,
                        },
                    )
                }
            }
            self.jobs[job as usize].present = false;
            return;
        }
        self.free_job(job);
        self.respond(j.link, j.link_gen, from, ok);
    }

    /// A root request's answer reaches its user.
    fn request_done(&mut self, job: u32, ok: bool) {
        let j = self.jobs[job as usize];
        self.free_job(job);
        self.in_flight -= 1;
        let w = &mut self.workloads[j.workload as usize];
        if j.measured {
            self.traffic.internet_out += w.response_size;
        }
        if ok {
            let latency = self.now - j.arrived;
            w.window_completed += 1;
            w.window_latency.record(latency);
            if j.measured {
                w.completed += 1;
                w.latency.record(latency);
            }
        } else {
            w.window_failed += 1;
            if j.measured {
                w.failed += 1;
            }
        }
        if let Some(think) = &w.think_time {
            let t = think.sample(&mut w.think_rng);
            self.queue.schedule(
                self.now + t,
                EventKind::ThinkDone {
                    workload: j.workload,
                },
            );
        }
    }

    /// Ends every job at an instance that just went down: each fails, and callers are told.
    pub(super) fn lose_jobs(&mut self, instance: u32) {
        let inst = &mut self.instances[instance as usize];
        let mut lost: Vec<u32> = inst.active.drain(..).collect();
        lost.extend(inst.queue.drain(..));
        let s = &mut self.services[inst.component as usize];
        s.advance(self.now, self.measuring);
        s.busy -= inst.busy as u64;
        inst.busy = 0;
        for &job in &lost {
            let j = &mut self.jobs[job as usize];
            j.holds_slot = false;
            j.queued = false;
            j.present = false;
            s.in_system -= 1;
            if j.measured {
                s.stats.failed += 1;
            }
            s.window.failed += 1;
        }
        for job in lost {
            self.answer(job, false);
        }
    }

    /// Requests waiting for a slot at component `c` (for a queue: messages waiting).
    fn queued(&self, c: usize) -> u64 {
        let s = &self.services[c];
        match &s.kind {
            super::kinds::KindRt::Broker(q) => q.depth() as u64,
            _ => self.instances
                [s.first_instance as usize..(s.first_instance + s.instances) as usize]
                .iter()
                .map(|i| i.queue.len() as u64)
                .sum(),
        }
    }

    /// Counts the measured requests still in flight per workload and records each one's age in
    /// a copy of its latency histogram (censored); those older than the workload's latency bound
    /// fail. Returns (unfinished, of them failed, the censored histogram) per workload.
    fn censor_unfinished(&self) -> Vec<(u64, u64, DurationHistogram)> {
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
            if j.live && j.link == NONE && j.measured {
                let (w, age) = (j.workload as usize, self.end - j.arrived);
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
        for c in 0..self.services.len() {
            self.integrate_failures(c);
        }
        let queued_at_end: Vec<u64> = (0..self.services.len()).map(|c| self.queued(c)).collect();
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
            .map(|(s, queued_at_end)| {
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
                    busy_mean: st.busy_area as f64 / measured_ns,
                    in_system_mean: st.in_system_area as f64 / measured_ns,
                    instances_mean: st.provisioned_area as f64 / measured_ns,
                    slots_mean: (s.capacity != u32::MAX)
                        .then(|| st.serving_area as f64 / measured_ns * s.capacity as f64),
                    arrivals_per_sec: st.arrivals as f64 / (measured_ns / 1e9),
                    queued_at_start: st.queued_at_start,
                    queued_at_end,
                    failures: s.failures.map(|_| st.failures),
                    kind: match s.kind {
                        super::kinds::KindRt::Plain => KindResult::None,
                        super::kinds::KindRt::Balancer(b) => KindResult::Balancer {
                            throttled: b.throttled,
                            by_workload: b.throttled_by.clone(),
                        },
                        super::kinds::KindRt::Cache(c) => KindResult::Cache {
                            hits: c.hits,
                            misses: c.misses,
                        },
                        super::kinds::KindRt::Broker(q) => KindResult::Queue {
                            depth_at_end: q.depth() as u64,
                            enqueued: q.stats.enqueued,
                            refused: q.stats.refused,
                            acked: q.stats.acked,
                            redelivered: q.stats.redelivered,
                            dead_lettered: q.stats.dead_lettered,
                            duplicates: q.stats.duplicates,
                            processing: q.stats.processing,
                        },
                        super::kinds::KindRt::Database(db) => KindResult::Database {
                            reads: db.stats.reads,
                            writes: db.stats.writes,
                            stale_reads: db.stats.stale_reads,
                            failovers: db.stats.failovers,
                        },
                        super::kinds::KindRt::Function(f) => KindResult::Function {
                            cold_starts: f.cold_starts,
                            warm_starts: f.warm_starts,
                        },
                    },
                }
            })
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

/// The gap to the next arrival, given the mean gap in ns.
#[inline]
fn interarrival(a: Arrivals, gap_ns: f64, rng: &mut Stream) -> SimTime {
    match a {
        Arrivals::Poisson { .. } => {
            // -(1e9 / rate) is (-1e9) / rate exactly: the same bits as dividing at every arrival.
            crate::time::from_nanos_f64(-gap_ns * libm::log(rng.uniform_open0()))
        }
        Arrivals::Constant { .. } => crate::time::from_nanos_f64(gap_ns),
    }
}

/// Draws a request's operation from the workload's mix (0 when it has none).
#[inline]
fn pick_op(ops: &[(u32, f64)], rng: &mut Stream) -> u32 {
    if ops.len() < 2 {
        // Without a mix, requests have no named operation: they match no `op` filter and read.
        return ops.first().map_or(NO_OP, |o| o.0);
    }
    let mut u = rng.uniform();
    for &(op, p) in ops {
        if u < p {
            return op;
        }
        u -= p;
    }
    ops[ops.len() - 1].0
}
