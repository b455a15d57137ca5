//! Calls between components. A caller works through its service's steps; each call of a step goes
//! over a *link*, a small record that is resolved exactly once: by the callee's response, by the
//! caller's timeout, or by the network giving up (partition, dark region). Whichever comes first
//! wins and bumps the link's generation, so the loser finds a stale link and does nothing. A
//! timed-out callee is not told: its work goes on and keeps using capacity, as in real systems.
//!
//! A failed attempt is retried after an exponential backoff with optional jitter while attempts
//! remain; a circuit breaker per call site counts outcomes and, when open, fails calls at once.

use super::call_state::{Callee, Link};
use super::event_queue::EventKind;
use super::ids::{CallId, JobId, LinkId};
use super::run::{Caller, Job, Run, ServiceState};
use crate::scenario::topology::Place;
use crate::scenario::{Jitter, Retry};
use crate::time::SimTime;

impl Run<'_> {
    /// Works through the job's steps from `job.step` until one must wait for calls, or all are done.
    pub(super) fn run_steps(&mut self, job: JobId) {
        loop {
            let j = self.jobs[job];
            let s = &mut self.services[j.component];
            let Some(&step) = s.steps.get(j.step as usize) else {
                self.finish(job, true);
                return;
            };
            self.scratch.clear();
            for c in step.calls() {
                let call = &self.calls[c];
                let op_ok = call.ops.is_empty() || j.op.is_some_and(|o| call.ops.contains(&o));
                if op_ok && (call.probability >= 1.0 || s.call_rng.uniform() < call.probability) {
                    self.scratch.push(c);
                }
            }
            if self.scratch.is_empty() {
                self.jobs[job].step += 1;
                continue;
            }
            let jm = &mut self.jobs[job];
            jm.pending = self.scratch.len() as u32;
            jm.step_failed = false;
            jm.sending = true;
            for i in 0..self.scratch.len() {
                let c = self.scratch[i];
                let link = self.new_link(job, c, 0);
                self.send(link);
            }
            let jm = &mut self.jobs[job];
            jm.sending = false;
            if jm.pending > 0 {
                return;
            }
            if jm.step_failed {
                self.finish(job, false);
                return;
            }
            jm.step += 1;
        }
    }

    /// A balancer or DNS job forwards its request to a target over the forwarding call.
    pub(super) fn forward(&mut self, job: JobId, call: CallId) {
        let j = &mut self.jobs[job];
        j.pending = 1;
        j.step_failed = false;
        j.step = Job::FORWARDING;
        let link = self.new_link(job, call, 0);
        self.send(link);
    }

    fn new_link(&mut self, parent: JobId, call: CallId, attempt: u32) -> LinkId {
        let parent_gen = self.jobs[parent].generation;
        let link = Link {
            parent,
            parent_gen,
            call,
            attempt,
            generation: 0,
            live: true,
        };
        match self.free_links.pop() {
            Some(i) => {
                let generation = self.links[i].generation;
                self.links[i] = Link { generation, ..link };
                i
            }
            None => {
                self.links.push(link);
                LinkId::new(self.links.len() - 1)
            }
        }
    }

    /// Sends the call of `link`: through the breaker, to an instance, over the network.
    fn send(&mut self, link: LinkId) {
        let l = self.links[link];
        let now = self.now;
        if self.short_circuited(l) {
            self.resolve(link, false, false);
            return;
        }
        let (to, timeout) = (self.calls[l.call].to, self.calls[l.call].timeout);
        if l.attempt > 0
            && self.jobs[l.parent].measured
            && let Callee::Component(to) = to
        {
            self.services[to].stats.retries += 1;
        }
        let parent = self.jobs[l.parent];
        let from = self.place_of(l.parent);
        let same_zone = self.calls[l.call].same_zone;
        let (to, instance) = match to {
            Callee::Forward => self.balancer_pick(parent.component, l.parent),
            Callee::Component(to) if same_zone => (to, self.pick_instance_near(to, Some(from))),
            Callee::Component(to) => (to, self.choose_instance(to, parent.op, from)),
        };
        let generation = self.links[link].generation;
        // A call out to an external dependency needs its NAT gateway.
        let blocked = self.services[to].external && self.nat_blocked(from);
        let path = self
            .path(from, self.instances[instance].place)
            .filter(|_| !blocked);
        let Some(delay) = path else {
            // Nothing gets through: the caller hears nothing until its timeout or the connect timeout.
            let wait = timeout.unwrap_or(self.scenario.network.connect_timeout);
            self.queue
                .schedule(now + wait, EventKind::CallTimeout { link, generation });
            return;
        };
        let child = self.new_job(Job {
            caller: Caller::Call { link, generation },
            ..Job::visit(
                to,
                instance,
                parent.workload,
                parent.op,
                now + delay,
                self.measuring,
            )
        });
        if let Some(t) = timeout {
            self.queue
                .schedule(now + t, EventKind::CallTimeout { link, generation });
        }
        let bytes = self.calls[l.call]
            .request_size
            .unwrap_or(self.workloads[parent.workload].request_size);
        let to_place = self.instances[instance].place;
        self.count_bytes(from, to_place, bytes);
        if self.services[to].external {
            self.nat_bytes(from, bytes);
        }
        if delay == 0 {
            self.arrive(child);
        } else {
            let child_generation = self.jobs[child].generation;
            self.queue.schedule(
                now + delay,
                EventKind::Deliver {
                    job: child,
                    generation: child_generation,
                },
            );
        }
    }

    /// Whether the breaker of the link's call site refuses it now (counted at the callee).
    #[inline]
    fn short_circuited(&mut self, l: Link) -> bool {
        let now = self.now;
        let call = &mut self.calls[l.call];
        let Some(b) = &mut call.breaker else {
            return false;
        };
        if b.allow(now) {
            return false;
        }
        if self.jobs[l.parent].measured
            && let Callee::Component(to) = call.to
        {
            self.services[to].stats.short_circuited += 1;
        }
        true
    }

    /// A callee at `from` answers its link: at once when the caller is next to it, else after the delay.
    pub(super) fn respond(&mut self, link: LinkId, generation: u32, from: Place, ok: bool) {
        let l = self.links[link];
        if l.generation != generation || !l.live {
            return;
        }
        let caller = self.jobs[l.parent];
        if caller.generation != l.parent_gen {
            // The caller is gone (its instance died); nobody is waiting for this answer.
            self.free_link(link);
            return;
        }
        let to_place = self.place_of(l.parent);
        let callee = self.calls[l.call].to;
        let bytes = self.calls[l.call]
            .response_size
            .unwrap_or(self.workloads[caller.workload].response_size);
        self.count_bytes(from, to_place, bytes);
        if let Callee::Component(callee) = callee
            && self.services[callee].external
        {
            self.nat_bytes(to_place, bytes);
        }
        match self.path(from, to_place) {
            Some(0) => self.resolve(link, ok, true),
            Some(d) => self.queue.schedule(
                self.now + d,
                EventKind::Response {
                    link,
                    generation,
                    ok,
                },
            ),
            // The answer is lost on the way back; the caller's timeout (if any) will fire.
            None => {
                if self.calls[l.call].timeout.is_none() {
                    let t = self.now + self.scenario.network.connect_timeout;
                    self.queue
                        .schedule(t, EventKind::CallTimeout { link, generation });
                }
            }
        }
    }

    /// A response or a timeout for `link` (generation `generation`) arrives.
    pub(super) fn resolve_link(
        &mut self,
        link: LinkId,
        generation: u32,
        ok: bool,
        timed_out: bool,
    ) {
        let l = self.links[link];
        if l.generation != generation || !l.live {
            return;
        }
        if timed_out {
            let to = match self.calls[l.call].to {
                Callee::Component(to) => to,
                // A balancer's forwarded request: count the timeout at the balancer.
                Callee::Forward => self.jobs[l.parent].component,
            };
            if self.jobs[l.parent].measured {
                self.services[to].stats.timeouts += 1;
            }
        }
        self.resolve(link, ok, true);
    }

    fn free_link(&mut self, link: LinkId) {
        let l = &mut self.links[link];
        l.generation = l.generation.wrapping_add(1);
        l.live = false;
        self.free_links.push(link);
    }

    /// The outcome of one attempt is known: record it, retry, or tell the caller.
    fn resolve(&mut self, link: LinkId, ok: bool, retryable: bool) {
        let l = self.links[link];
        self.free_link(link);
        let parent = l.parent;
        if self.jobs[parent].generation != l.parent_gen {
            return;
        }
        let now = self.now;
        let call = &mut self.calls[l.call];
        if let Some(b) = &mut call.breaker
            && retryable
        {
            b.record(now, !ok);
        }
        if !ok
            && retryable
            && let Some(r) = call.retry.filter(|r| l.attempt + 1 < r.attempts)
        {
            let wait = {
                let s = &mut self.services[self.jobs[parent].component];
                backoff(&r, l.attempt, s)
            };
            let next = self.new_link(parent, l.call, l.attempt + 1);
            let generation = self.links[next].generation;
            self.queue.schedule(
                now + wait,
                EventKind::Retry {
                    link: next,
                    generation,
                },
            );
            return;
        }
        let j = &mut self.jobs[parent];
        j.pending -= 1;
        if !ok {
            j.step_failed = true;
        }
        if j.sending || j.pending > 0 {
            return;
        }
        if j.step_failed {
            self.finish(parent, false);
        } else if j.step == Job::FORWARDING {
            // A balancer's forwarded request came back.
            self.finish(parent, true);
        } else {
            j.step += 1;
            self.run_steps(parent);
        }
    }

    /// A retry's backoff is over.
    pub(super) fn send_retry(&mut self, link: LinkId, generation: u32) {
        let l = self.links[link];
        if l.generation != generation || !l.live {
            return;
        }
        if self.jobs[l.parent].generation != l.parent_gen {
            self.free_link(link);
            return;
        }
        self.send(link);
    }
}

/// The wait before retry number `attempt + 1`: backoff x multiplier^attempt, capped, with jitter.
fn backoff(r: &Retry, attempt: u32, s: &mut ServiceState) -> SimTime {
    let base =
        (r.backoff as f64 * libm::pow(r.multiplier, attempt as f64)).min(r.max_backoff as f64);
    let wait = match r.jitter {
        Jitter::None => base,
        Jitter::Full => base * s.retry_rng.uniform(),
        Jitter::Equal => base * (0.5 + 0.5 * s.retry_rng.uniform()),
    };
    crate::time::from_nanos_f64(wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::call_state::Breaker;
    use crate::engine::kind_state::KindRt;
    use crate::scenario::CircuitBreaker;

    #[test]
    fn breaker_opens_on_failure_ratio_and_probes_after_open_for() {
        let mut b = Breaker::new(CircuitBreaker {
            failure_ratio: 0.5,
            window: 4,
            min_calls: 4,
            open_for: 100,
        });
        for t in 0..3 {
            assert!(b.allow(t));
            b.record(t, true);
        }
        assert!(b.allow(3), "three calls are below min_calls");
        b.record(3, false);
        assert!(!b.allow(4), "3 of 4 failed: open");
        assert!(!b.allow(102));
        assert!(b.allow(103), "open_for over: one probe");
        assert!(!b.allow(103), "only one probe at a time");
        b.record(104, false);
        assert!(b.allow(105), "a good probe closes it");
    }

    #[test]
    fn backoff_grows_and_caps() {
        let r = Retry {
            attempts: 5,
            backoff: 100,
            multiplier: 2.0,
            max_backoff: 500,
            jitter: Jitter::None,
        };
        let mut s = test_service();
        let waits: Vec<SimTime> = (0..4).map(|a| backoff(&r, a, &mut s)).collect();
        assert_eq!(waits, vec![100, 200, 400, 500]);
        let r = Retry {
            jitter: Jitter::Equal,
            ..r
        };
        for a in 0..4 {
            let w = backoff(&r, a, &mut s);
            assert!(w >= waits[a as usize] / 2 && w <= waits[a as usize]);
        }
    }

    fn test_service() -> super::ServiceState {
        use crate::rng::Stream;
        let st = |p: &str| Stream::new(1, 0, "t", p);
        super::ServiceState {
            first_instance: crate::engine::ids::InstanceId::new(0),
            instances: 1,
            capacity: 1,
            queue_limit: usize::MAX,
            service_time: crate::dist::Dist::Constant(0),
            steps: Box::new([]),
            balance: crate::scenario::Balance::RoundRobin,
            io_async: false,
            direct: false,
            error_rate: 0.0,
            fault_error_rate: 0.0,
            extra_latency: 0,
            failures: None,
            rr_next: 0,
            work_rng: st("a"),
            balance_rng: st("b"),
            error_rng: st("c"),
            call_rng: st("d"),
            retry_rng: st("e"),
            failure_rng: st("f"),
            busy: Default::default(),
            in_system: Default::default(),
            window_from: Default::default(),
            measured_from: Default::default(),
            stats: Default::default(),
            window: Default::default(),
            kind: KindRt::Plain,
            external: false,
            provisioned: crate::stats::integral::Integral::starting_at(1),
            serving: crate::stats::integral::Integral::starting_at(1),
            consumer_of: None,
            autoscale: None,
        }
    }
}
