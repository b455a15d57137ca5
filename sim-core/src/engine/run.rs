//! One replication: the modelled system's state and the event handlers that move it on.
//!
//! A *request* enters a workload's entry component; at each component it becomes a *job* (a visit).
//! A job at a service waits for a concurrency slot at the instance the balancer picked, holds the
//! slot while it does its local work and then makes its synchronous calls in order (each call is a
//! child job at the callee), and releases the slot when the last call returns. A rejection (the
//! instance's queue is full) fails the job, and a failed call fails its caller, up to the request.
//!
//! Hot-path rules: events carry indices only; jobs live in a slab reused through a free list; queues
//! are `VecDeque`s that keep their capacity; distributions are an enum, not trait objects. Nothing
//! allocates per event once the run has reached its steady state.

use super::SimError;
use super::event_queue::{EventKind, EventQueue};
use crate::dist::Dist;
use crate::rng::Stream;
use crate::scenario::{Arrivals, Balance, ComponentKind, Scenario, WorkloadKind};
use crate::stats::histogram::DurationHistogram;
use crate::time::{SimTime, to_secs};
use std::collections::VecDeque;

const NONE: u32 = u32::MAX;

/// A visit of a request to one component.
#[derive(Clone, Copy, Debug)]
struct Job {
    /// When the job arrived at its component (for a root job: when the request was sent).
    arrived: SimTime,
    parent: u32,
    component: u32,
    instance: u32,
    workload: u32,
    /// Index of the next call to make once local work is done.
    next_call: u32,
    /// Arrived after the warm-up: counts in the statistics.
    measured: bool,
}

/// One instance of a service: its busy slots and its FCFS queue of job indices.
#[derive(Debug, Default)]
struct Instance {
    busy: u32,
    queue: VecDeque<u32>,
}

impl Instance {
    fn outstanding(&self) -> usize {
        self.busy as usize + self.queue.len()
    }
}

/// Per-component statistics since the warm-up.
#[derive(Debug, Default)]
struct ComponentStats {
    arrivals: u64,
    rejected: u64,
    completed: u64,
    sojourn_sum_ns: u128,
    queue_wait: DurationHistogram,
    /// Time integrals (slot-nanoseconds, job-nanoseconds) since the warm-up.
    busy_area: u128,
    in_system_area: u128,
}

/// A service's run-time state.
struct ServiceState {
    first_instance: u32,
    instances: u32,
    /// Slots per instance; `u32::MAX` for `unlimited`.
    capacity: u32,
    queue_limit: usize,
    service_time: Dist,
    calls: Box<[u32]>,
    balance: Balance,
    rr_next: u32,
    work_rng: Stream,
    balance_rng: Stream,
    busy: u64,
    in_system: u64,
    last_change: SimTime,
    stats: ComponentStats,
}

impl ServiceState {
    /// Adds the time since the last change to the time integrals.
    #[inline]
    fn advance(&mut self, now: SimTime, measuring: bool) {
        if measuring {
            let dt = (now - self.last_change) as u128;
            self.stats.busy_area += self.busy as u128 * dt;
            self.stats.in_system_area += self.in_system as u128 * dt;
        }
        self.last_change = now;
    }
}

struct WorkloadState {
    entry: u32,
    arrivals: Option<Arrivals>,
    think_time: Option<Dist>,
    users: u32,
    arrival_rng: Stream,
    think_rng: Stream,
    requests: u64,
    completed: u64,
    failed: u64,
    latency: DurationHistogram,
}

/// How far a run has got.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub now: SimTime,
    pub end: SimTime,
    pub events: u64,
    pub done: bool,
}

/// The figures of one finished replication.
#[derive(Clone, Debug)]
pub struct ReplicationResult {
    pub events: u64,
    pub measured_s: f64,
    /// In scenario order.
    pub workloads: Vec<WorkloadResult>,
    pub components: Vec<ComponentResult>,
}

#[derive(Clone, Debug)]
pub struct WorkloadResult {
    pub requests: u64,
    pub completed: u64,
    pub failed: u64,
    /// Sent after the warm-up but neither completed nor failed when the run ended.
    pub in_flight_at_end: u64,
    pub latency: DurationHistogram,
}

#[derive(Clone, Debug)]
pub struct ComponentResult {
    pub arrivals: u64,
    pub rejected: u64,
    pub completed: u64,
    /// Mean time from arrival to completion of completed visits, ns.
    pub sojourn_mean_ns: f64,
    pub queue_wait: DurationHistogram,
    /// Mean busy slots over the measured time.
    pub busy_mean: f64,
    /// Mean jobs present (waiting, working or waiting on calls) over the measured time.
    pub in_system_mean: f64,
    /// Slots across all instances; `None` for unlimited concurrency.
    pub capacity: Option<u64>,
}

/// The state of one replication.
pub struct Run<'s> {
    scenario: &'s Scenario,
    now: SimTime,
    end: SimTime,
    measuring: bool,
    queue: EventQueue,
    jobs: Vec<Job>,
    free_jobs: Vec<u32>,
    services: Vec<ServiceState>,
    instances: Vec<Instance>,
    workloads: Vec<WorkloadState>,
    events: u64,
    in_flight: u64,
    finished: bool,
}

impl<'s> Run<'s> {
    /// Sets up replication `replication` (0-based) of `scenario`.
    pub fn new(scenario: &'s Scenario, replication: u32) -> Run<'s> {
        let seed = scenario.seed;
        let mut instances = Vec::new();
        let services = scenario
            .components
            .iter()
            .map(|c| {
                let ComponentKind::Service(s) = &c.kind;
                let first = instances.len() as u32;
                instances.extend((0..s.replicas).map(|_| Instance::default()));
                ServiceState {
                    first_instance: first,
                    instances: s.replicas,
                    capacity: s.concurrency.unwrap_or(u32::MAX),
                    queue_limit: s.queue_limit.map_or(usize::MAX, |q| q as usize),
                    service_time: s.service_time.clone(),
                    calls: s.calls.iter().map(|c| c.to as u32).collect(),
                    balance: s.balance,
                    rr_next: 0,
                    work_rng: Stream::new(seed, replication, &c.name, "service_time"),
                    balance_rng: Stream::new(seed, replication, &c.name, "balance"),
                    busy: 0,
                    in_system: 0,
                    last_change: 0,
                    stats: ComponentStats::default(),
                }
            })
            .collect();
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
                    arrivals,
                    think_time,
                    users,
                    arrival_rng: Stream::new(seed, replication, &w.name, "arrivals"),
                    think_rng: Stream::new(seed, replication, &w.name, "think_time"),
                    requests: 0,
                    completed: 0,
                    failed: 0,
                    latency: DurationHistogram::default(),
                }
            })
            .collect();
        let mut run = Run {
            scenario,
            now: 0,
            end: scenario.warmup + scenario.duration,
            measuring: scenario.warmup == 0,
            queue: EventQueue::with_capacity(1024),
            jobs: Vec::with_capacity(1024),
            free_jobs: Vec::with_capacity(1024),
            services,
            instances,
            workloads,
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
        for w in 0..self.workloads.len() {
            let wl = &mut self.workloads[w];
            if let Some(a) = wl.arrivals {
                let gap = interarrival(a, &mut wl.arrival_rng);
                self.queue
                    .schedule(gap, EventKind::Arrival { workload: w as u32 });
            } else if let Some(think) = &wl.think_time {
                // Every user starts with a think, so users do not all fire at time zero.
                for _ in 0..wl.users {
                    let t = think.sample(&mut wl.think_rng);
                    self.queue
                        .schedule(t, EventKind::ThinkDone { workload: w as u32 });
                }
            }
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
                EventKind::Arrival { workload } => {
                    let w = &mut self.workloads[workload as usize];
                    let a = w.arrivals.expect("open workload");
                    let gap = interarrival(a, &mut w.arrival_rng);
                    self.queue.schedule(self.now + gap, ev.kind);
                    self.send_request(workload)?;
                }
                EventKind::ThinkDone { workload } => self.send_request(workload)?,
                EventKind::WorkDone { job } => self.continue_calls(job),
                EventKind::WarmupEnd => {
                    for s in &mut self.services {
                        s.advance(self.now, false);
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
        self.finished = true;
    }

    /// Runs to the end.
    pub fn run_to_end(mut self) -> Result<ReplicationResult, SimError> {
        while !self.advance(u64::MAX)?.done {}
        Ok(self.result())
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
        let entry = w.entry;
        let job = self.new_job(Job {
            arrived: self.now,
            parent: NONE,
            component: entry,
            instance: 0,
            workload,
            next_call: 0,
            measured: self.measuring,
        });
        self.arrive(job);
        Ok(())
    }

    #[inline]
    fn new_job(&mut self, job: Job) -> u32 {
        match self.free_jobs.pop() {
            Some(i) => {
                self.jobs[i as usize] = job;
                i
            }
            None => {
                self.jobs.push(job);
                (self.jobs.len() - 1) as u32
            }
        }
    }

    /// A job reaches its component: take a slot, wait in the instance's queue, or be rejected.
    fn arrive(&mut self, job: u32) {
        let j = self.jobs[job as usize];
        let s = &mut self.services[j.component as usize];
        s.advance(self.now, self.measuring);
        if j.measured {
            s.stats.arrivals += 1;
        }
        let inst = s.first_instance + pick_instance(s, &self.instances);
        let instance = &mut self.instances[inst as usize];
        self.jobs[job as usize].instance = inst;
        if instance.busy < s.capacity {
            s.in_system += 1;
            self.start_work(job);
        } else if instance.queue.len() < s.queue_limit {
            s.in_system += 1;
            instance.queue.push_back(job);
        } else {
            if j.measured {
                s.stats.rejected += 1;
            }
            self.end_job(job, false);
        }
    }

    /// The job takes a slot at its instance and starts its local work.
    fn start_work(&mut self, job: u32) {
        let j = self.jobs[job as usize];
        let s = &mut self.services[j.component as usize];
        s.advance(self.now, self.measuring);
        s.busy += 1;
        self.instances[j.instance as usize].busy += 1;
        if j.measured {
            s.stats.queue_wait.record(self.now - j.arrived);
        }
        let work = s.service_time.sample(&mut s.work_rng);
        self.queue
            .schedule(self.now + work, EventKind::WorkDone { job });
    }

    /// Local work is done or a call returned: make the next call, or complete.
    fn continue_calls(&mut self, job: u32) {
        let j = self.jobs[job as usize];
        let s = &self.services[j.component as usize];
        match s.calls.get(j.next_call as usize) {
            Some(&callee) => {
                let child = self.new_job(Job {
                    arrived: self.now,
                    parent: job,
                    component: callee,
                    instance: 0,
                    workload: j.workload,
                    next_call: 0,
                    measured: self.measuring,
                });
                self.arrive(child);
            }
            None => self.complete(job, true),
        }
    }

    /// The job leaves its slot (successfully or because a call failed).
    fn complete(&mut self, job: u32, ok: bool) {
        let j = self.jobs[job as usize];
        let s = &mut self.services[j.component as usize];
        s.advance(self.now, self.measuring);
        s.busy -= 1;
        s.in_system -= 1;
        if j.measured {
            s.stats.completed += 1;
            s.stats.sojourn_sum_ns += (self.now - j.arrived) as u128;
        }
        let instance = &mut self.instances[j.instance as usize];
        instance.busy -= 1;
        if let Some(next) = instance.queue.pop_front() {
            self.start_work(next);
        }
        self.end_job(job, ok);
    }

    /// Frees the job and tells its caller (or, for a root job, its workload) how it went.
    fn end_job(&mut self, job: u32, ok: bool) {
        let j = self.jobs[job as usize];
        self.free_jobs.push(job);
        if j.parent != NONE {
            if ok {
                self.jobs[j.parent as usize].next_call += 1;
                self.continue_calls(j.parent);
            } else {
                self.complete(j.parent, false);
            }
            return;
        }
        self.in_flight -= 1;
        let w = &mut self.workloads[j.workload as usize];
        if j.measured {
            if ok {
                w.completed += 1;
                w.latency.record(self.now - j.arrived);
            } else {
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

    /// The figures of the finished run.
    pub fn result(self) -> ReplicationResult {
        let measured_ns = (self.end - self.scenario.warmup).max(1) as f64;
        let mut in_flight_measured = vec![0u64; self.workloads.len()];
        let mut is_free = vec![false; self.jobs.len()];
        for &f in &self.free_jobs {
            is_free[f as usize] = true;
        }
        for (i, j) in self.jobs.iter().enumerate() {
            if !is_free[i] && j.parent == NONE && j.measured {
                in_flight_measured[j.workload as usize] += 1;
            }
        }
        let workloads = self
            .workloads
            .into_iter()
            .zip(in_flight_measured)
            .map(|(w, in_flight_at_end)| WorkloadResult {
                requests: w.requests,
                completed: w.completed,
                failed: w.failed,
                in_flight_at_end,
                latency: w.latency,
            })
            .collect();
        let components = self
            .services
            .into_iter()
            .map(|s| {
                let st = s.stats;
                ComponentResult {
                    arrivals: st.arrivals,
                    rejected: st.rejected,
                    completed: st.completed,
                    sojourn_mean_ns: if st.completed == 0 {
                        0.0
                    } else {
                        st.sojourn_sum_ns as f64 / st.completed as f64
                    },
                    queue_wait: st.queue_wait,
                    busy_mean: st.busy_area as f64 / measured_ns,
                    in_system_mean: st.in_system_area as f64 / measured_ns,
                    capacity: (s.capacity != u32::MAX)
                        .then(|| s.capacity as u64 * s.instances as u64),
                }
            })
            .collect();
        ReplicationResult {
            events: self.events,
            measured_s: to_secs(self.end - self.scenario.warmup),
            workloads,
            components,
        }
    }
}

#[inline]
fn interarrival(a: Arrivals, rng: &mut Stream) -> SimTime {
    match a {
        Arrivals::Poisson { per_sec } => {
            crate::time::from_nanos_f64(-1e9 / per_sec * libm::log(rng.uniform_open0()))
        }
        Arrivals::Constant { per_sec } => crate::time::from_nanos_f64(1e9 / per_sec),
    }
}

/// The balancer's choice, as an index within the service's instances.
#[inline]
fn pick_instance(s: &mut ServiceState, instances: &[Instance]) -> u32 {
    let n = s.instances;
    if n == 1 {
        return 0;
    }
    let pool = &instances[s.first_instance as usize..(s.first_instance + n) as usize];
    match s.balance {
        Balance::RoundRobin => {
            let i = s.rr_next;
            s.rr_next = if i + 1 == n { 0 } else { i + 1 };
            i
        }
        Balance::Random => s.balance_rng.below(n),
        Balance::LeastOutstanding => {
            // Ties go to the next instance in round-robin order, so equal instances share the load.
            let start = s.rr_next;
            s.rr_next = if start + 1 == n { 0 } else { start + 1 };
            let mut best = start;
            for k in 1..n {
                let i = (start + k) % n;
                if pool[i as usize].outstanding() < pool[best as usize].outstanding() {
                    best = i;
                }
            }
            best
        }
        Balance::PowerOfTwo => {
            let a = s.balance_rng.below(n);
            let mut b = s.balance_rng.below(n - 1);
            if b >= a {
                b += 1;
            }
            if pool[b as usize].outstanding() < pool[a as usize].outstanding() {
                b
            } else {
                a
            }
        }
    }
}
