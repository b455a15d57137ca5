//! Token buckets at a load balancer: the `rate_limit` for all requests and each workload's usage
//! plan. A request takes a token from its workload's plan first, then from the bucket for all; an
//! empty bucket answers 429. A request its plan admits but the bucket for all refuses has used its
//! plan's token.

use crate::scenario::{RateLimit, UsagePlan};
use crate::time::SimTime;

/// A token bucket: `per_sec` tokens a second, at most `burst`, full at the start.
#[derive(Clone, Copy, Debug)]
pub(super) struct Bucket {
    limit: RateLimit,
    tokens: f64,
    last_refill: SimTime,
}

impl Bucket {
    pub fn new(limit: RateLimit) -> Bucket {
        Bucket {
            limit,
            tokens: limit.burst,
            last_refill: 0,
        }
    }

    /// Refills for the time since the last request, then takes a token if there is one.
    pub fn take(&mut self, now: SimTime) -> bool {
        let dt = (now - self.last_refill) as f64 / 1e9;
        self.tokens = (self.tokens + dt * self.limit.per_sec).min(self.limit.burst);
        self.last_refill = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// One entry per workload: its plan's bucket, if it has one.
pub(super) fn buckets(plans: &[UsagePlan], workloads: usize) -> Vec<Option<Bucket>> {
    let mut out = vec![None; workloads];
    for p in plans {
        if let Some(slot) = out.get_mut(p.workload) {
            *slot = Some(Bucket::new(p.limit));
        }
    }
    out
}
