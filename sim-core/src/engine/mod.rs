//! The discrete-event engine: one replication of a scenario, event by event.
//!
//! Split by concern, with imports running one way. At the very bottom, `ids`: the typed indices
//! of the run's tables (`JobId`, `LinkId`, `InstanceId`, `ComponentId`, ...; `Option<JobId>` is
//! as small as `JobId`), imported by everything above. Then state with no other engine imports:
//! - [`event_queue`]: the future event list, ordered by (time, sequence);
//! - [`result`]: what a finished replication hands on;
//! - `call_state`, `kind_state`, `autoscale_state`, `usage_plans`: what calls (steps, links,
//!   breakers), each kind, an autoscaler and a usage plan remember.
//!
//! Then [`run`], the run's state (`Run`: per job, instance, component and workload). Then the
//! mechanisms, each an `impl Run` block importing only the state below it:
//! - `build`: a run from a scenario; `event_loop`: events dispatched, limits, requests sent;
//! - `station`: a job's life at its instance (slot, queue, work, answer); `direct`: the same for
//!   a user's request to a plain station without regions, the hot path, in two steps;
//! - `window`: time-series rows; `assemble`: the figures at the end;
//! - [`calls`]: calls between components: links, timeouts, retries, circuit breakers;
//! - [`instances`]: instances going down and up, balancing over the routable ones;
//! - [`faults`]: timed faults and random failures applied to the running system;
//! - [`kinds`]: what balancers, DNS, caches, queues, databases and functions do;
//! - `nat`: NAT gateways on calls to `external` components (`network.nat`);
//! - `quorum`: quorum replication (write and read quorums, elections by majority);
//! - [`autoscale`]: target-tracking autoscaling of services.
//!
//! A run can be advanced in slices ([`run::Run::advance`]) so a browser worker can report progress and
//! honour a cancel between slices; the CLI runs it to the end in one call.

mod assemble;
pub mod autoscale;
mod autoscale_state;
mod build;
mod call_state;
pub mod calls;
mod direct;
mod event_loop;
pub mod event_queue;
pub mod faults;
mod ids;
pub mod instances;
mod kind_state;
pub mod kinds;
mod nat;
mod object_store;
mod quorum;
pub mod result;
pub mod run;
mod station;
mod usage_plans;
mod window;

use std::fmt;

/// A guard of the scenario's `limits` that a run can exceed while it runs (the simulated-time
/// limit is checked when the scenario is loaded).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    /// `limits.max_events`: events processed.
    Events,
    /// `limits.max_in_flight`: requests sent and not yet answered.
    InFlight,
}

impl Limit {
    /// The key under `limits:` that sets it.
    pub fn key(self) -> &'static str {
        match self {
            Limit::Events => "max_events",
            Limit::InFlight => "max_in_flight",
        }
    }

    /// What it counts, in words.
    pub fn counts(self) -> &'static str {
        match self {
            Limit::Events => "events",
            Limit::InFlight => "requests in flight",
        }
    }

    /// What a user can do about it.
    pub fn hint(self) -> &'static str {
        match self {
            Limit::Events => {
                "shorten `duration`, lower the load, or raise `limits: { max_events: ... }`"
            }
            Limit::InFlight => {
                "the system is overloaded (arrivals outpace service); add capacity, set a `queue_limit`, or raise `limits: { max_in_flight: ... }`"
            }
        }
    }
}

/// Why a replication stopped early.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// A guard from the scenario's `limits` was exceeded.
    Limit {
        /// Which guard.
        limit: Limit,
        /// Its value in the scenario.
        value: u64,
        /// Simulated seconds when it was exceeded.
        at_s: f64,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Limit { limit, value, at_s } => write!(
                f,
                "simulation stopped at {at_s:.3}s of simulated time: more than {value} {} (limits.{}); {}",
                limit.counts(),
                limit.key(),
                limit.hint()
            ),
        }
    }
}

impl std::error::Error for SimError {}
