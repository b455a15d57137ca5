//! Instances as the balancer and the network see them: which instance of a component gets a
//! request, and whether and how fast a message gets from one place to another.
//!
//! A service's own balancer knows at once which instances are up (like client-side balancing with
//! a live registry); when none is routable it still picks one, and the request is refused there.

use super::ids::{ComponentId, InstanceId};
use super::run::Run;
use crate::scenario::Balance;
use crate::scenario::topology::Place;
use crate::time::SimTime;

impl Run<'_> {
    /// The instance (global index) of `component` that gets the next request.
    #[inline]
    pub(super) fn pick_instance(&mut self, component: ComponentId) -> InstanceId {
        self.pick_instance_near(component, None)
    }

    /// Like [`Run::pick_instance`], but with `near` (`routing: same_zone`) only among the routable
    /// instances in `near`'s zone while there is one; otherwise among all.
    #[inline]
    pub(super) fn pick_instance_near(
        &mut self,
        component: ComponentId,
        near: Option<Place>,
    ) -> InstanceId {
        // The common case inline, the choice among several out of line.
        let s = &self.services[component];
        if s.instances == 1 {
            return s.first_instance;
        }
        self.pick_among(component, near)
    }

    /// [`Run::pick_instance_near`] for a component with more than one instance.
    #[inline(never)]
    fn pick_among(&mut self, component: ComponentId, near: Option<Place>) -> InstanceId {
        let s = &mut self.services[component];
        let n = s.instances;
        let first = s.first_instance;
        let pool = s.pool(&self.instances);
        let local = |i: &super::run::Instance| {
            near.is_some_and(|p| p.zone.is_some() && i.place == p) && i.routable()
        };
        // Only a place with a zone can prefer its zone: without one, no scan of the pool.
        let zoned = near.is_some_and(|p| p.zone.is_some()) && pool.iter().any(local);
        let routable = |i: u32| {
            let inst = &pool[i as usize];
            if zoned { local(inst) } else { inst.routable() }
        };
        let pick = match s.balance {
            Balance::RoundRobin => {
                // `wrap` rather than `% n`: a division is the slowest step of a pick.
                let wrap = |i: u32| if i + 1 >= n { 0 } else { i + 1 };
                let mut i = s.rr_next;
                for _ in 0..n {
                    if routable(i) {
                        break;
                    }
                    i = wrap(i);
                }
                s.rr_next = wrap(i);
                i
            }
            Balance::Random => {
                let i = s.balance_rng.below(n);
                if routable(i) {
                    i
                } else {
                    next_routable(n, i, routable).unwrap_or(i)
                }
            }
            Balance::LeastOutstanding => {
                // Ties go to the next instance in round-robin order, so equal instances share the load.
                let start = s.rr_next;
                s.rr_next = (start + 1) % n;
                let mut best: Option<u32> = None;
                for k in 0..n {
                    let i = (start + k) % n;
                    if routable(i)
                        && best.is_none_or(|b| {
                            pool[i as usize].outstanding() < pool[b as usize].outstanding()
                        })
                    {
                        best = Some(i);
                    }
                }
                best.unwrap_or(start)
            }
            Balance::PowerOfTwo => {
                let a = s.balance_rng.below(n);
                let mut b = s.balance_rng.below(n - 1);
                if b >= a {
                    b += 1;
                }
                match (routable(a), routable(b)) {
                    (true, true) => {
                        if pool[b as usize].outstanding() < pool[a as usize].outstanding() {
                            b
                        } else {
                            a
                        }
                    }
                    (true, false) => a,
                    (false, true) => b,
                    (false, false) => next_routable(n, a, routable).unwrap_or(a),
                }
            }
        };
        first.plus(pick)
    }

    /// Adds `bytes` sent from `a` to `b` to the traffic figures (after the warm-up only): between
    /// zones of a region, or along a link between regions. Within a zone is free of charge.
    pub(super) fn count_bytes(&mut self, a: Place, b: Place, bytes: f64) {
        if !self.measuring || bytes <= 0.0 {
            return;
        }
        match (a.region, b.region) {
            (Some(ra), Some(rb)) if ra != rb => {
                if let Some(i) = self.scenario.network.links.iter().position(|l| {
                    (l.0 == ra as usize && l.1 == rb as usize)
                        || (l.0 == rb as usize && l.1 == ra as usize)
                }) {
                    self.traffic.inter_region[i] += bytes;
                }
            }
            (Some(_), Some(_)) if a.zone.is_some() && b.zone.is_some() && a.zone != b.zone => {
                self.traffic.inter_zone += bytes;
            }
            _ => {}
        }
    }

    /// One-way delay from `a` to `b`, or `None` when nothing gets through (a partition between
    /// their regions, or either region dark).
    #[inline(always)]
    pub(super) fn path(&self, a: Place, b: Place) -> Option<SimTime> {
        let (Some(ra), Some(rb)) = (a.region, b.region) else {
            // Outside regions nothing is far, and nothing is cut off.
            return Some(0);
        };
        self.path_between_regions(a, b, ra, rb)
    }

    /// [`Run::path`] between places `a` and `b` in regions `ra` and `rb`.
    #[inline(never)]
    fn path_between_regions(&self, a: Place, b: Place, ra: u16, rb: u16) -> Option<SimTime> {
        let n = self.region_down.len();
        if self.region_down[ra as usize] > 0 || self.region_down[rb as usize] > 0 {
            return None;
        }
        if ra != rb && self.partitions[ra as usize * n + rb as usize] > 0 {
            return None;
        }
        Some(self.scenario.network.delay(a, b).unwrap_or(0))
    }
}

fn next_routable(n: u32, from: u32, routable: impl Fn(u32) -> bool) -> Option<u32> {
    (1..n).map(|k| (from + k) % n).find(|&i| routable(i))
}
