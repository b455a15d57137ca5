//! Target-tracking autoscaling. Every `interval` the autoscaler reads the service's utilisation over
//! that interval and wants `ceil(up x utilisation / target)` instances, within `min..=max`. A
//! scale-out is decided, takes effect after `delay`, and each new instance serves only after its
//! `startup`: the lag a flash sale sees. Scale-in drains the newest instances, and waits
//! `scale_in_cooldown` after the last scale-out.

use super::event_queue::EventKind;
use super::ids::{ComponentId, InstanceId};
use super::run::{Provision, Run};

impl Run<'_> {
    pub(super) fn autoscale(&mut self, component: ComponentId) {
        let now = self.now;
        let s = &mut self.services[component];
        let busy_now = s.busy.at(now);
        let first = s.first_instance.index();
        let pool = s.pool(&self.instances);
        let serving = pool.iter().filter(|i| i.routable()).count() as u32;
        let starting = pool
            .iter()
            .filter(|i| i.provision == Provision::Starting)
            .count() as u32;
        let capacity = s.capacity;
        let Some(a) = &mut s.autoscale else { return };
        let cfg = a.cfg;
        let area = busy_now - std::mem::replace(&mut a.busy_from, busy_now);
        let utilisation = if serving == 0 || capacity == u32::MAX {
            0.0
        } else {
            area as f64 / (cfg.interval as f64 * serving as f64 * capacity as f64)
        };
        let wanted =
            ((serving as f64 * utilisation / cfg.target).ceil() as u32).clamp(cfg.min, cfg.max);
        let committed = serving + starting + a.pending;
        if wanted > committed {
            let count = wanted - committed;
            a.pending += count;
            a.last_scale_out = Some(now);
            self.queue
                .schedule(now + cfg.delay, EventKind::ScaleOut { component, count });
        } else if wanted < serving
            && starting == 0
            && a.pending == 0
            && a.last_scale_out
                .is_none_or(|t| now >= t + cfg.scale_in_cooldown)
        {
            // Drain the newest serving instances; they leave once idle (checked at each evaluation).
            let mut remove = serving - wanted;
            for i in (first..first + s.instances as usize).rev() {
                if remove == 0 {
                    break;
                }
                let inst = &mut self.instances[i];
                if inst.routable() {
                    inst.provision = Provision::Retiring;
                    remove -= 1;
                }
            }
        }
        // Drained instances with nothing left in flight are released.
        for i in first..first + self.services[component].instances as usize {
            let inst = &mut self.instances[i];
            if inst.provision == Provision::Retiring
                && inst.outstanding() == 0
                && inst.crashed == 0
                && inst.outages == 0
            {
                inst.provision = Provision::Off;
            }
        }
        self.recount(component);
        self.queue
            .schedule(now + cfg.interval, EventKind::Autoscale { component });
    }

    /// Updates the counts of provisioned (billed) and serving instances after a change.
    pub(super) fn recount(&mut self, component: ComponentId) {
        let now = self.now;
        let s = &mut self.services[component];
        let pool = s.pool(&self.instances);
        let provisioned = pool
            .iter()
            .filter(|i| i.provision != Provision::Off)
            .count() as u64;
        let serving = pool.iter().filter(|i| i.routable()).count() as u64;
        s.provisioned.set(provisioned, now);
        s.serving.set(serving, now);
    }

    /// A scale-out takes effect: unprovisioned instances start up.
    pub(super) fn scale_out(&mut self, component: ComponentId, count: u32) {
        let now = self.now;
        let s = &mut self.services[component];
        let Some(a) = &mut s.autoscale else { return };
        a.pending = a.pending.saturating_sub(count);
        let startup = a.cfg.startup;
        let mut left = count;
        for i in s.instance_ids() {
            if left == 0 {
                break;
            }
            let inst = &mut self.instances[i];
            if inst.provision == Provision::Off {
                inst.provision = Provision::Starting;
                left -= 1;
                self.queue
                    .schedule(now + startup, EventKind::InstanceReady { instance: i });
            }
        }
        self.recount(component);
    }

    pub(super) fn instance_ready(&mut self, instance: InstanceId) {
        let inst = &mut self.instances[instance];
        inst.provision = Provision::Ready;
        let component = inst.component;
        self.recount(component);
        if let Some(q) = self.services[component].consumer_of {
            self.dispatch(q);
        }
    }
}
