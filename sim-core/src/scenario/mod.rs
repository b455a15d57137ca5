//! The scenario model: what a scenario file means once it has been read and checked. The engine only
//! ever sees this model, never YAML, so every check happens once, here, with a span to point at.
//!
//! - [`load`] turns the YAML tree into this model, collecting every error with its place;
//! - [`graph`] checks the call graph (unknown names, cycles, unreachable components).

pub mod decl;
pub mod faults;
pub mod graph;
pub mod kinds;
pub mod load;
mod load_calls;
mod load_faults;
mod load_kinds;
mod load_nat;
mod load_object_store;
mod load_pricing;
mod load_quorum;
mod load_routing;
mod load_slo;
mod load_topology;
mod load_usage_plans;
pub mod name;
pub mod ranges;
pub mod topology;

pub use faults::{Fault, FaultKind};
pub use kinds::*;
pub use topology::{Network, Region};

use crate::diagnostic::Span;
use crate::dist::Dist;
use crate::slo::Slo;
use crate::time::{NANOS_PER_SEC, SimTime};

/// Index of a component in [`Scenario::components`].
pub type ComponentId = usize;
/// Index of a workload in [`Scenario::workloads`].
pub type WorkloadId = usize;

/// A checked scenario, ready to simulate.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub seed: u64,
    /// Simulated time measured after the warm-up.
    pub duration: SimTime,
    pub warmup: SimTime,
    pub replications: u32,
    /// In file order; names are unique.
    pub components: Vec<Component>,
    pub workloads: Vec<Workload>,
    pub slos: Vec<Slo>,
    pub limits: Limits,
    /// Regions and their zones (empty: no placement, no network delay).
    pub regions: Vec<Region>,
    pub network: Network,
    pub faults: Vec<Fault>,
    /// The built-in price book with the scenario's `pricing:` overrides.
    pub prices: crate::cost::price_book::PriceBook,
    /// Operation names used by workload mixes and call filters, in first-seen order.
    pub ops: Vec<String>,
    /// Where the browser's Sketch draws components (`layout:`): name to (x, y) pixels. The
    /// simulation never reads it.
    pub layout: std::collections::BTreeMap<String, (f64, f64)>,
}

impl Scenario {
    pub fn component_id(&self, name: &str) -> Option<ComponentId> {
        self.components.iter().position(|c| c.name == name)
    }

    /// The names faults are described with in reports.
    pub fn fault_names(&self) -> faults::FaultNames<'_> {
        faults::FaultNames {
            regions: self.regions.iter().map(|r| r.name.as_str()).collect(),
            zones: self
                .regions
                .iter()
                .map(|r| r.zones.iter().map(String::as_str).collect())
                .collect(),
            components: self.components.iter().map(|c| c.name.as_str()).collect(),
            workloads: self.workloads.iter().map(|w| w.name.as_str()).collect(),
        }
    }

    pub fn workload_id(&self, name: &str) -> Option<WorkloadId> {
        self.workloads.iter().position(|w| w.name == name)
    }
}

/// A component: a *station* (instances with concurrency slots, a queue, local work, calls) and a
/// kind that says what the component does besides (balance, cache, broker, store, cold-start).
#[derive(Clone, Debug)]
pub struct Component {
    pub name: String,
    pub span: Span,
    pub kind: ComponentKind,
    pub station: Service,
    pub autoscale: Option<Autoscale>,
    /// What each instance is, for the cost model (`instance`, `pricing`).
    pub billing: Option<Billing>,
    /// Index into [`Scenario::regions`].
    pub region: Option<usize>,
    /// Zones (indices into the region's zones) the instances are spread over, in turn.
    pub zones: Vec<usize>,
    /// Random instance failures: mean time between failures and mean time to repair.
    pub failures: Option<Failures>,
}

/// An instance type from the price book and how it is paid for.
#[derive(Clone, Debug, PartialEq)]
pub struct Billing {
    pub instance: String,
    pub plan: crate::cost::price_book::Plan,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Failures {
    pub mtbf: SimTime,
    pub mttr: SimTime,
}

impl Component {
    /// Components this one sends requests to, with the place in the file that says so, and
    /// whether the caller waits for the answer (false for a queue handing messages to consumers).
    pub fn edges(&self) -> Vec<(ComponentId, Span, bool)> {
        let mut e: Vec<(ComponentId, Span, bool)> =
            self.station.calls().map(|c| (c.to, c.span, true)).collect();
        match &self.kind {
            ComponentKind::LoadBalancer(b) | ComponentKind::Dns(b) => {
                e.extend(b.targets.iter().map(|t| (t.component, t.span, true)))
            }
            ComponentKind::Queue(q) => e.push((q.consumers, q.consumers_span, false)),
            _ => {}
        }
        e
    }
}

/// What a component does besides being a station.
#[derive(Clone, Debug)]
pub enum ComponentKind {
    Service,
    /// A third-party dependency: latency and an error rate, unlimited concurrency.
    External,
    LoadBalancer(Balancer),
    /// Like a load balancer, but clients cache its answer for `ttl` and it adds no hop of its own.
    Dns(Balancer),
    Cache(Cache),
    Queue(Broker),
    Database(Database),
    Function(Function),
    /// Blob storage: a latency per read and per write, unlimited concurrency.
    ObjectStore(ObjectStore),
}

impl ComponentKind {
    /// The kind's declaration: its fields, faults, cost and presentation.
    pub fn decl(&self) -> &'static decl::KindDecl {
        match self {
            ComponentKind::Service => &decl::SERVICE,
            ComponentKind::External => &decl::EXTERNAL,
            ComponentKind::LoadBalancer(_) => &decl::LOAD_BALANCER,
            ComponentKind::Dns(_) => &decl::DNS,
            ComponentKind::Cache(_) => &decl::CACHE,
            ComponentKind::Queue(_) => &decl::QUEUE,
            ComponentKind::Database(_) => &decl::DATABASE,
            ComponentKind::Function(_) => &decl::FUNCTION,
            ComponentKind::ObjectStore(_) => &decl::OBJECT_STORE,
        }
    }

    /// What `kind:` says.
    pub fn name(&self) -> &'static str {
        self.decl().name
    }
}

/// A pool of identical instances doing local work and then making synchronous calls.
#[derive(Clone, Debug)]
pub struct Service {
    pub replicas: u32,
    /// Requests one instance serves at once; `None` is `unlimited` (an infinite-server station).
    pub concurrency: Option<u32>,
    pub service_time: Dist,
    /// Calls made in order after the local work; each step is one call or a parallel group.
    pub steps: Vec<Step>,
    /// `io: async`: the slot is released after local work instead of when the calls return.
    pub io_async: bool,
    /// Share of requests that fail after their local work (an `external`'s `error_rate`).
    pub error_rate: f64,
    /// Requests that may wait for a slot at one instance; beyond it they are rejected. `None`: no limit.
    pub queue_limit: Option<u32>,
    pub balance: Balance,
    /// How callers choose among its instances unless a call says otherwise.
    pub routing: Routing,
}

impl Service {
    /// Every call of every step, in order.
    pub fn calls(&self) -> impl Iterator<Item = &Call> {
        self.steps.iter().flat_map(|s| match s {
            Step::Call(c) => std::slice::from_ref(c),
            Step::Parallel(cs) => cs.as_slice(),
        })
    }
}

/// One step of a service's work after its local work.
#[derive(Clone, Debug)]
pub enum Step {
    Call(Call),
    /// Calls sent at once; the step ends when all have returned, and fails if one failed.
    Parallel(Vec<Call>),
}

/// A call to another component and how the caller makes it.
#[derive(Clone, Debug)]
pub struct Call {
    pub to: ComponentId,
    pub span: Span,
    /// The caller gives up after this long; the callee's work goes on.
    pub timeout: Option<SimTime>,
    pub retry: Option<Retry>,
    pub circuit_breaker: Option<CircuitBreaker>,
    /// The call is made with this probability (1 = always).
    pub probability: f64,
    /// Only requests of these operations make the call (empty = all).
    pub ops: Vec<usize>,
    /// Bytes sent and answered on this call (default: the workload's sizes).
    pub request_size: Option<f64>,
    pub response_size: Option<f64>,
    /// The call's own `routing` (`None`: the callee's).
    pub routing: Option<Routing>,
}

/// Which of the callee's instances a caller prefers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    /// Any, by the callee's `balance`.
    Any,
    /// Those in the caller's zone while one is up there (by the callee's `balance`), else any.
    SameZone,
}

/// Retries of a failed or timed-out call, with exponential backoff.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Retry {
    /// Total attempts, the first included.
    pub attempts: u32,
    /// Wait before the first retry; multiplied by `multiplier` before each further one.
    pub backoff: SimTime,
    pub multiplier: f64,
    pub max_backoff: SimTime,
    pub jitter: Jitter,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Jitter {
    /// Exactly the backoff.
    None,
    /// Uniform in [0, backoff].
    Full,
    /// Uniform in [backoff/2, backoff].
    Equal,
}

/// Stops calling a failing callee for a while: opens when at least `failure_ratio` of the last
/// `window` calls failed (and at least `min_calls` were made), stays open `open_for`, then lets one
/// probe through (half-open): success closes it, failure opens it again.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CircuitBreaker {
    pub failure_ratio: f64,
    pub window: u32,
    pub min_calls: u32,
    pub open_for: SimTime,
}

/// How a service spreads requests over its replicas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Balance {
    RoundRobin,
    Random,
    LeastOutstanding,
    PowerOfTwo,
}

#[derive(Clone, Debug)]
pub struct Workload {
    pub name: String,
    pub span: Span,
    pub entry: ComponentId,
    pub kind: WorkloadKind,
    /// Operation mix: (op index, probability), summing to 1; empty = one unnamed operation.
    pub ops: Vec<(usize, f64)>,
    /// How an open workload's rate changes over time.
    pub profile: RateProfile,
    /// Where the users are (adds the network delay to and from the entry).
    pub region: Option<usize>,
    /// Bytes of each request and response, between users and the entry and, unless a call says
    /// otherwise, on every call the request makes.
    pub request_size: f64,
    pub response_size: f64,
}

/// A multiplier on an open workload's base rate as a function of time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RateProfile {
    Constant,
    /// A sine over `period` between `1/peak_factor`-ish trough and `peak_factor` x base at the peak
    /// (mean 1): factor(t) = 1 + (peak_factor - 1) * sin(2 pi (t - offset) / period), floored at 0.05.
    Diurnal {
        peak_factor: f64,
        period: SimTime,
    },
    /// From `from` x base to `to` x base, linearly over `over` starting at time `start`.
    Ramp {
        from: f64,
        to: f64,
        start: SimTime,
        over: SimTime,
    },
    /// `factor` x base from time `at` on.
    Step {
        at: SimTime,
        factor: f64,
    },
}

impl RateProfile {
    /// The multiplier at time `t`.
    pub fn factor(&self, t: SimTime) -> f64 {
        match *self {
            RateProfile::Constant => 1.0,
            RateProfile::Diurnal {
                peak_factor,
                period,
            } => {
                let phase = (t % period.max(1)) as f64 / period.max(1) as f64;
                (1.0 + (peak_factor - 1.0) * libm::sin(2.0 * core::f64::consts::PI * phase))
                    .max(0.05)
            }
            RateProfile::Ramp {
                from,
                to,
                start,
                over,
            } => {
                if t <= start {
                    from
                } else if t >= start + over {
                    to
                } else {
                    from + (to - from) * (t - start) as f64 / over.max(1) as f64
                }
            }
            RateProfile::Step { at, factor } => {
                if t >= at {
                    factor
                } else {
                    1.0
                }
            }
        }
    }
}

#[derive(Clone, Debug)]
pub enum WorkloadKind {
    /// Requests arrive on their own (open workload).
    Open(Arrivals),
    /// A fixed population of users, each sending its next request a think time after the last response.
    Closed { users: u32, think_time: Dist },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Arrivals {
    /// A Poisson process: exponential gaps with mean `1 / rate`.
    Poisson { per_sec: f64 },
    /// Evenly spaced arrivals.
    Constant { per_sec: f64 },
}

impl Arrivals {
    pub fn per_sec(&self) -> f64 {
        match *self {
            Arrivals::Poisson { per_sec } | Arrivals::Constant { per_sec } => per_sec,
        }
    }
}

/// Guards against runaway scenarios; each can be raised in the file's `limits:` block.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Events one replication may process.
    pub max_events: u64,
    /// Requests in the system at once (an overloaded open workload grows without bound).
    pub max_in_flight: u64,
    /// Warm-up plus duration of one replication.
    pub max_simulated_time: SimTime,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_events: 1_000_000_000,
            max_in_flight: 1_000_000,
            max_simulated_time: 31 * 86_400 * NANOS_PER_SEC,
        }
    }
}
