//! Calls at run time, as state: each service's steps compiled into a table of calls, the links
//! that carry one attempt of a call, and each call site's circuit breaker. What calls do to the
//! run (sending, timeouts, retries, responses) is in `calls.rs`.

use super::ids::{CallId, ComponentId, JobId, OpId};
use crate::scenario::{CircuitBreaker, Retry, Step};

use crate::time::SimTime;

/// One step of a service, compiled: the calls `first..first + count` of the run's call table.
#[derive(Clone, Copy, Debug)]
pub struct StepRt {
    pub first: CallId,
    pub count: u32,
}

impl StepRt {
    /// The ids of the step's calls.
    #[inline]
    pub fn calls(self) -> impl Iterator<Item = CallId> {
        (0..self.count).map(move |k| self.first.plus(k))
    }
}

/// Where a call goes: a component named in the model, or (a balancer's or DNS's forwarding
/// call) the target the balancer picks for each request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Callee {
    Component(ComponentId),
    Forward,
}

/// A call site at run time: the model's call plus its breaker's state.
#[derive(Clone, Debug)]
pub struct CallRt {
    pub to: Callee,
    pub timeout: Option<SimTime>,
    pub retry: Option<Retry>,
    pub probability: f64,
    pub ops: Box<[OpId]>,
    pub breaker: Option<Breaker>,
    pub request_size: Option<f64>,
    pub response_size: Option<f64>,
    /// `routing: same_zone`: the caller prefers the callee's instances in its own zone.
    pub same_zone: bool,
}

/// A call in flight (or waiting to be retried).
#[derive(Clone, Copy, Debug)]
pub struct Link {
    pub parent: JobId,
    pub parent_gen: u32,
    pub call: CallId,
    /// 0 for the first attempt.
    pub attempt: u32,
    pub generation: u32,
    pub live: bool,
}

/// Flattens a service's steps into the run's call table.
pub fn compile_steps(
    s: &crate::scenario::Scenario,
    steps: &[Step],
    calls: &mut Vec<CallRt>,
) -> Box<[StepRt]> {
    steps
        .iter()
        .map(|step| {
            let group = match step {
                Step::Call(c) => std::slice::from_ref(c),
                Step::Parallel(cs) => cs.as_slice(),
            };
            let first = CallId::new(calls.len());
            for c in group {
                calls.push(CallRt {
                    to: Callee::Component(ComponentId::new(c.to)),
                    timeout: c.timeout,
                    retry: c.retry,
                    probability: c.probability,
                    ops: c.ops.iter().map(|&o| OpId::new(o)).collect(),
                    breaker: c.circuit_breaker.map(Breaker::new),
                    request_size: c.request_size,
                    response_size: c.response_size,
                    same_zone: c.routing.unwrap_or(s.components[c.to].station.routing)
                        == crate::scenario::Routing::SameZone,
                });
            }
            StepRt {
                first,
                count: group.len() as u32,
            }
        })
        .collect()
}

/// A circuit breaker's state: the outcomes of the last `window` calls, and whether it is open.
#[derive(Clone, Debug)]
pub struct Breaker {
    pub(super) cfg: CircuitBreaker,
    /// Ring of recent outcomes, `true` for a failure.
    pub(super) ring: Vec<bool>,
    pub(super) pos: usize,
    pub(super) filled: u32,
    pub(super) failures: u32,
    pub(super) state: BreakerState,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum BreakerState {
    Closed,
    Open {
        until: SimTime,
    },
    /// One probe is let through; its outcome closes or reopens the breaker.
    HalfOpen {
        probing: bool,
    },
}

impl Breaker {
    pub(super) fn new(cfg: CircuitBreaker) -> Breaker {
        Breaker {
            cfg,
            ring: vec![false; cfg.window as usize],
            pos: 0,
            filled: 0,
            failures: 0,
            state: BreakerState::Closed,
        }
    }

    /// Whether a call may go through now.
    pub(super) fn allow(&mut self, now: SimTime) -> bool {
        match self.state {
            BreakerState::Closed => true,
            BreakerState::Open { until } if now >= until => {
                self.state = BreakerState::HalfOpen { probing: true };
                true
            }
            BreakerState::Open { .. } => false,
            BreakerState::HalfOpen { probing: true } => false,
            BreakerState::HalfOpen { probing: false } => {
                self.state = BreakerState::HalfOpen { probing: true };
                true
            }
        }
    }

    pub(super) fn record(&mut self, now: SimTime, failed: bool) {
        match self.state {
            BreakerState::HalfOpen { .. } => {
                if failed {
                    self.state = BreakerState::Open {
                        until: now + self.cfg.open_for,
                    };
                } else {
                    self.state = BreakerState::Closed;
                }
                self.clear();
            }
            BreakerState::Closed => {
                if self.filled == self.cfg.window {
                    self.failures -= u32::from(self.ring[self.pos]);
                } else {
                    self.filled += 1;
                }
                self.ring[self.pos] = failed;
                self.failures += u32::from(failed);
                self.pos = (self.pos + 1) % self.ring.len();
                if self.filled >= self.cfg.min_calls
                    && self.failures as f64 >= self.cfg.failure_ratio * self.filled as f64
                {
                    self.state = BreakerState::Open {
                        until: now + self.cfg.open_for,
                    };
                    self.clear();
                }
            }
            // Late outcomes of calls sent before the breaker opened.
            BreakerState::Open { .. } => {}
        }
    }

    pub(super) fn clear(&mut self) {
        self.ring.fill(false);
        self.pos = 0;
        self.filled = 0;
        self.failures = 0;
    }
}
