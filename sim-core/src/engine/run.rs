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

//!
//! This file is the run's state (the `Run` and what it holds per job, instance, component and
//! workload). Building it is `build.rs`, the event loop `event_loop.rs`, a job's life at a
//! station `station.rs`, the time-series windows `window.rs`, the figures at the end `assemble.rs`.

use super::autoscale_state::AutoscaleRt;
use super::call_state::{CallRt, Link, StepRt};
use super::event_queue::EventQueue;
use super::ids::{
    CallId, ComponentId, DeliveryId, InstanceId, JobId, KeyId, LinkId, OpId, WorkloadId,
};
use super::kind_state::KindRt;
use super::result::{FailureCounts, Traffic};
use crate::dist::Dist;
use crate::rng::Stream;
use crate::scenario::topology::Place;
use crate::scenario::{Arrivals, Balance, Failures, RateProfile, Scenario};
use crate::stats::histogram::DurationHistogram;
use crate::stats::integral::Integral;
use crate::stats::timeseries::TimeSeries;
use crate::time::SimTime;
use std::collections::VecDeque;

/// A visit of a request to one component.
#[derive(Clone, Copy, Debug)]
pub(super) struct Job {
    /// Arrival at the component (for a root job: when the user sent the request).
    pub arrived: SimTime,
    /// Who is waiting for this job's answer.
    pub caller: Caller,
    pub component: ComponentId,
    pub instance: InstanceId,
    pub workload: WorkloadId,
    /// The request's operation (`None` from a workload without an `ops` mix).
    pub op: Option<OpId>,
    /// A cache job's missed key, to store when the miss is answered.
    pub key: Option<KeyId>,
    /// The step being worked on, and its calls not yet resolved.
    pub step: u32,
    pub pending: u32,
    /// Position in the instance's `active` list while the job holds a slot.
    pub active_pos: u32,
    /// Bumped when the job ends, so stale events and links recognise it.
    pub generation: u32,
    /// Where the job is in its visit, from arriving to its slab entry being free again.
    pub stage: Stage,
    pub step_failed: bool,
    /// Calls of the current step are being sent; resolutions must not advance the step yet.
    pub sending: bool,
    pub measured: bool,
}

/// Who waits for a job's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Caller {
    /// A workload's user: the job is a root request.
    User,
    /// A caller's job, over a call link (while the link has generation `generation`).
    Call { link: LinkId, generation: u32 },
    /// A queue: the job is a message handed to a consumer, as a delivery (with its generation).
    Delivery {
        broker: ComponentId,
        delivery: DeliveryId,
        generation: u32,
    },
}

/// Where a job is in its visit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stage {
    /// On its way to its instance, or refused there: not counted in `in_system`.
    Arriving,
    /// Waiting in its instance's queue.
    Queued,
    /// Holding a slot at its instance (at `active_pos` in the instance's `active` list).
    InService,
    /// At its instance without a slot: given back after the local work (`io: async`), or ending.
    Released,
    /// Answered: for a root request, the answer is on its way back to the user.
    Answered,
    /// Ended: its slab entry is free for the next job.
    Free,
}

impl Stage {
    /// Whether the job is at its instance (counted in `in_system`).
    #[inline]
    pub fn present(self) -> bool {
        matches!(self, Stage::Queued | Stage::InService | Stage::Released)
    }
}

// A job is copied out of its slab on most events: it stays within one cache line.
const _: () = assert!(size_of::<Job>() <= 64);

impl Job {
    /// The `step` of a balancer's or DNS's job while its forwarded request is out (past any step).
    pub const FORWARDING: u32 = u32::MAX - 1;

    /// A new visit of `component` at `instance`: no link (a root request), nothing done yet.
    pub fn visit(
        component: ComponentId,
        instance: InstanceId,
        workload: WorkloadId,
        op: Option<OpId>,
        arrived: SimTime,
        measured: bool,
    ) -> Job {
        Job {
            arrived,
            caller: Caller::User,
            component,
            instance,
            workload,
            op,
            key: None,
            step: 0,
            pending: 0,
            active_pos: 0,
            generation: 0,
            stage: Stage::Arriving,
            step_failed: false,
            sending: false,
            measured,
        }
    }
}

/// Whether an instance is provisioned, and serving: autoscaling starts and retires instances.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Provision {
    /// Not provisioned (an autoscaled service's room to grow).
    Off,
    /// Provisioned and starting up.
    Starting,
    /// Provisioned and started.
    Ready,
    /// Started, and being scaled in: it takes no new work and leaves once idle.
    Retiring,
}

/// One instance of a component.
#[derive(Debug)]
pub(super) struct Instance {
    pub component: ComponentId,
    pub place: Place,
    pub busy: u32,
    pub queue: VecDeque<JobId>,
    /// Jobs holding a slot here.
    pub active: Vec<JobId>,
    /// Overlapping zone or region outages covering this instance.
    pub outages: u32,
    /// Overlapping crashes (faults, random failures, spot reclaims).
    pub crashed: u32,
    /// A spot instance under its reclaim warning takes no new work.
    pub draining: bool,
    pub provision: Provision,
}

impl Instance {
    pub fn up(&self) -> bool {
        matches!(self.provision, Provision::Ready | Provision::Retiring)
            && self.outages == 0
            && self.crashed == 0
    }

    pub fn routable(&self) -> bool {
        self.provision == Provision::Ready
            && self.outages == 0
            && self.crashed == 0
            && !self.draining
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
    /// The time integrals over the measured time (set when the run finishes).
    pub areas: Readings,
    /// Requests waiting when statistics started (see [`ComponentResult::queued_at_start`]).
    pub queued_at_start: u64,
    /// Random failures (`mtbf`/`mttr`) since the warm-up: see [`FailureCounts`].
    pub failures: FailureCounts,
    /// Instances down from a random failure now, and since when that number holds (state).
    pub failed_now: u32,
    pub failed_since: SimTime,
}

/// Per-component figures of the current time-series window.
#[derive(Debug, Default)]
pub(super) struct WindowStats {
    pub rejected: u64,
    pub failed: u64,
}

/// A component's run-time state.
pub(super) struct ServiceState {
    pub first_instance: InstanceId,
    pub instances: u32,
    /// Slots per instance; `u32::MAX` for `unlimited`.
    pub capacity: u32,
    pub queue_limit: usize,
    pub service_time: Dist,
    pub steps: Box<[StepRt]>,
    pub balance: Balance,
    pub io_async: bool,
    /// A plain station (a service or external with no steps, holding its slot to the end) in a
    /// scenario without regions: a user's visit here takes the direct path (`direct.rs`).
    pub direct: bool,
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
    /// Slots taken, and their time integral.
    pub busy: Integral,
    /// Jobs present (waiting or at work), and their time integral.
    pub in_system: Integral,
    /// Instances provisioned (started or starting): what is billed.
    pub provisioned: Integral,
    /// Instances serving (up, and neither draining nor retiring).
    pub serving: Integral,
    /// The integrals when the current time-series window opened.
    pub window_from: Readings,
    /// The integrals when statistics started (the warm-up's end).
    pub measured_from: Readings,
    pub stats: ComponentStats,
    pub window: WindowStats,
    pub kind: KindRt,
    /// The queue whose messages this component consumes.
    pub consumer_of: Option<ComponentId>,
    /// An `external` dependency: traffic to it from placed components crosses a NAT gateway.
    pub external: bool,
    pub autoscale: Option<AutoscaleRt>,
}

impl ServiceState {
    /// The ids of this component's instances (they follow its first).
    #[inline]
    pub fn instance_ids(&self) -> impl DoubleEndedIterator<Item = InstanceId> + use<> {
        super::ids::span(self.first_instance, self.instances)
    }

    /// This component's instances, out of the run's instance table.
    #[inline]
    pub fn pool<'a>(&self, all: &'a [Instance]) -> &'a [Instance] {
        let first = self.first_instance.index();
        &all[first..first + self.instances as usize]
    }

    /// The time integrals from time 0 to `now`.
    #[inline]
    pub fn readings(&self, now: SimTime) -> Readings {
        Readings {
            busy: self.busy.at(now),
            in_system: self.in_system.at(now),
            provisioned: self.provisioned.at(now),
            serving: self.serving.at(now),
        }
    }
}

/// A component's time integrals at an instant, or over a span (the difference of two readings).
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Readings {
    /// Slot-nanoseconds.
    pub busy: u128,
    /// Job-nanoseconds.
    pub in_system: u128,
    /// Instance-nanoseconds of provisioned (billed) instances.
    pub provisioned: u128,
    /// Instance-nanoseconds of serving instances (utilisation's denominator).
    pub serving: u128,
}

impl Readings {
    /// The integrals over the span from `from` to these readings.
    pub fn since(self, from: Readings) -> Readings {
        Readings {
            busy: self.busy - from.busy,
            in_system: self.in_system - from.in_system,
            provisioned: self.provisioned - from.provisioned,
            serving: self.serving - from.serving,
        }
    }
}

pub(super) struct WorkloadState {
    pub entry: ComponentId,
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
    pub ops: Box<[(OpId, f64)]>,
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

impl WorkloadState {
    /// Draws a request's operation from the workload's mix (`None` when it has none).
    #[inline]
    pub fn pick_op(&mut self) -> Option<OpId> {
        if self.ops.len() < 2 {
            // Without a mix, requests have no named operation: they match no `op` filter and read.
            return self.ops.first().map(|o| o.0);
        }
        let mut u = self.op_rng.uniform();
        for &(op, p) in &self.ops {
            if u < p {
                return Some(op);
            }
            u -= p;
        }
        Some(self.ops[self.ops.len() - 1].0)
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
    pub(super) free_jobs: Vec<JobId>,
    pub(super) links: Vec<Link>,
    pub(super) free_links: Vec<LinkId>,
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
    pub(super) fault_instances: Vec<Vec<InstanceId>>,
    /// Reusable buffer for the calls of a step.
    pub(super) scratch: Vec<CallId>,
    pub(super) series: TimeSeries,
    pub(super) traffic: Traffic,
    pub(super) events: u64,
    pub(super) in_flight: u64,
    pub(super) finished: bool,
}
