//! The scenario model: what a scenario file means once it has been read and checked. The engine only
//! ever sees this model, never YAML, so every check happens once, here, with a span to point at.
//!
//! - [`load`] turns the YAML tree into this model, collecting every error with its place;
//! - [`graph`] checks the call graph (unknown names, cycles, unreachable components).

pub mod graph;
pub mod load;

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
}

impl Scenario {
    pub fn component_id(&self, name: &str) -> Option<ComponentId> {
        self.components.iter().position(|c| c.name == name)
    }

    pub fn workload_id(&self, name: &str) -> Option<WorkloadId> {
        self.workloads.iter().position(|w| w.name == name)
    }
}

#[derive(Clone, Debug)]
pub struct Component {
    pub name: String,
    pub span: Span,
    pub kind: ComponentKind,
}

#[derive(Clone, Debug)]
pub enum ComponentKind {
    Service(Service),
}

/// A pool of identical instances doing local work and then making synchronous calls.
#[derive(Clone, Debug)]
pub struct Service {
    pub replicas: u32,
    /// Requests one instance serves at once; `None` is `unlimited` (an infinite-server station).
    pub concurrency: Option<u32>,
    pub service_time: Dist,
    /// Synchronous calls made in order after the local work, holding the caller's slot.
    pub calls: Vec<Call>,
    /// Requests that may wait for a slot at one instance; beyond it they are rejected. `None`: no limit.
    pub queue_limit: Option<u32>,
    pub balance: Balance,
}

#[derive(Clone, Debug)]
pub struct Call {
    pub to: ComponentId,
    pub span: Span,
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
