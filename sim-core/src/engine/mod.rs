//! The discrete-event engine: one replication of a scenario, event by event.
//!
//! - [`event_queue`]: the future event list, ordered by (time, sequence);
//! - [`run`]: the state of the modelled system, the event loop and the request life cycle;
//! - [`calls`]: calls between components: links, timeouts, retries, circuit breakers;
//! - [`instances`]: instances going down and up, balancing over the routable ones;
//! - [`faults`]: timed faults and random failures applied to the running system;
//! - [`kinds`]: what balancers, DNS, caches, queues, databases and functions do;
//! - `nat`: NAT gateways on calls to `external` components (`network.nat`);
//! - `quorum`: quorum replication (write and read quorums, elections by majority);
//! - `usage_plans`: token buckets at a load balancer, for all requests and per workload;
//! - [`autoscale`]: target-tracking autoscaling of services.
//!
//! A run can be advanced in slices ([`run::Run::advance`]) so a browser worker can report progress and
//! honour a cancel between slices; the CLI runs it to the end in one call.

pub mod autoscale;
pub mod calls;
pub mod event_queue;
pub mod faults;
pub mod instances;
pub mod kinds;
mod nat;
mod quorum;
pub mod run;
mod usage_plans;

use std::fmt;

/// Why a replication stopped early.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// A guard from the scenario's `limits` was exceeded.
    Limit {
        limit: &'static str,
        value: u64,
        at_s: f64,
        hint: &'static str,
    },
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::Limit {
                limit,
                value,
                at_s,
                hint,
            } => write!(
                f,
                "simulation stopped at {at_s:.3}s of simulated time: more than {value} {limit} (limits.{}); {hint}",
                match *limit {
                    "events" => "max_events",
                    _ => "max_in_flight",
                }
            ),
        }
    }
}

impl std::error::Error for SimError {}
