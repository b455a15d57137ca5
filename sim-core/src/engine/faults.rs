//! Faults applied to the running system. A timed fault changes the state of instances, regions,
//! links, components or workloads at its start and undoes the change at its end; random failures
//! (`mtbf`/`mttr`) crash and repair single instances. What follows (lost in-flight work, refused
//! or timed-out calls, retries, queues) is left to the mechanisms.

use super::event_queue::EventKind;
use super::ids::{ComponentId, InstanceId, WorkloadId};
use super::kind_state::KindRt;
use super::run::Run;
use crate::scenario::FaultKind;
use crate::time::SimTime;

impl Run<'_> {
    /// Takes an instance down (an outage if `outage`, else a crash); its in-flight work is lost.
    fn take_down(&mut self, instance: InstanceId, outage: bool) {
        let inst = &mut self.instances[instance];
        let was_up = inst.up();
        if outage {
            inst.outages += 1;
        } else {
            inst.crashed += 1;
        }
        let component = self.instances[instance].component;
        self.recount(component);
        if was_up {
            self.lose_jobs(instance);
            let component = self.instances[instance].component;
            if matches!(self.services[component].kind, KindRt::Database(_)) {
                self.db_node_down(component, instance);
            }
        }
    }

    fn bring_up(&mut self, instance: InstanceId, outage: bool) {
        let inst = &mut self.instances[instance];
        let was_up = inst.up();
        // Saturating: a restore from backup may have brought the instance back already.
        if outage {
            inst.outages = inst.outages.saturating_sub(1);
        } else {
            inst.crashed = inst.crashed.saturating_sub(1);
        }
        let component = inst.component;
        let came_up = !was_up && inst.up();
        self.recount(component);
        if came_up {
            if matches!(self.services[component].kind, KindRt::Database(_)) {
                self.db_node_up(component, instance);
            }
            if let Some(q) = self.services[component].consumer_of {
                self.dispatch(q);
            }
            if matches!(self.services[component].kind, KindRt::Broker(_)) {
                self.dispatch(component);
            }
        }
    }

    /// Instances of `component` that are up, lowest index first, at most `count`.
    fn up_instances(&self, component: usize, count: u32) -> Vec<InstanceId> {
        let s = &self.services[component];
        s.instance_ids()
            .filter(|&i| self.instances[i].routable())
            .take(count as usize)
            .collect()
    }

    pub(super) fn apply_fault(&mut self, index: usize, start: bool) {
        let fault = &self.scenario.faults[index];
        let regions = self.region_down.len();
        match fault.kind {
            FaultKind::RegionOutage { region } => self.region_outage(region, start),
            FaultKind::ZoneOutage { region, zone } => self.zone_outage(region, zone, start),
            FaultKind::InstanceCrash { component, count } => {
                self.instance_crash(index, component, count, start)
            }
            FaultKind::SpotReclaim {
                component,
                count,
                warning,
            } => self.spot_warning(index, component, count, warning, start),
            FaultKind::Partition { a, b } => {
                let d: i64 = if start { 1 } else { -1 };
                for (x, y) in [(a, b), (b, a)] {
                    let cell = &mut self.partitions[x * regions + y];
                    *cell = (*cell as i64 + d) as u32;
                }
            }
            FaultKind::Latency { component, add } => {
                let s = &mut self.services[component];
                s.extra_latency = if start {
                    s.extra_latency + add
                } else {
                    s.extra_latency - add
                };
            }
            FaultKind::Errors { component, rate }
            | FaultKind::BadDeploy {
                component,
                error_rate: rate,
            } => {
                let s = &mut self.services[component];
                s.fault_error_rate = if start {
                    s.fault_error_rate + rate
                } else {
                    (s.fault_error_rate - rate).max(0.0)
                };
            }
            FaultKind::CacheFlush { component } => {
                if start && let KindRt::Cache(c) = &mut self.services[component].kind {
                    c.flush();
                }
            }
            FaultKind::ReplicationLag { component, add } => {
                if let KindRt::Database(db) = &mut self.services[component].kind {
                    db.extra_lag = if start {
                        db.extra_lag + add
                    } else {
                        db.extra_lag.saturating_sub(add)
                    };
                }
            }
            FaultKind::LoadSpike { workload, factor } => {
                let w = &mut self.workloads[workload];
                w.spike = if start {
                    w.spike * factor
                } else if factor > 0.0 {
                    w.spike / factor
                } else {
                    1.0
                };
                self.reschedule_arrival(WorkloadId::new(workload));
            }
        }
    }

    /// A region goes dark (or comes back): every instance in it.
    fn region_outage(&mut self, region: usize, start: bool) {
        let hit: Vec<InstanceId> = (0..self.instances.len())
            .map(InstanceId::new)
            .filter(|&i| self.instances[i].place.region == Some(region as u16))
            .collect();
        if start {
            self.region_down[region] += 1;
            for i in hit {
                self.take_down(i, true);
            }
        } else {
            self.region_down[region] -= 1;
            for i in hit {
                self.bring_up(i, true);
            }
        }
    }

    /// A zone goes dark (or comes back): its instances and its NAT gateway.
    fn zone_outage(&mut self, region: usize, zone: usize, start: bool) {
        let place = crate::scenario::topology::Place {
            region: Some(region as u16),
            zone: Some(zone as u16),
        };
        let hit: Vec<InstanceId> = (0..self.instances.len())
            .map(InstanceId::new)
            .filter(|&i| self.instances[i].place == place)
            .collect();
        self.nat_zone(region, zone, start);
        for i in hit {
            if start {
                self.take_down(i, true);
            } else {
                self.bring_up(i, true);
            }
        }
    }

    /// `count` up instances of `component` crash at the fault's start and restart at its end.
    fn instance_crash(&mut self, index: usize, component: usize, count: u32, start: bool) {
        if start {
            let hit = self.up_instances(component, count);
            for &i in &hit {
                self.take_down(i, false);
            }
            self.fault_instances[index] = hit;
        } else {
            for i in std::mem::take(&mut self.fault_instances[index]) {
                self.bring_up(i, false);
            }
        }
    }

    /// Spot instances get their reclaim warning (they drain, then go down), or come back.
    fn spot_warning(
        &mut self,
        index: usize,
        component: usize,
        count: u32,
        warning: SimTime,
        start: bool,
    ) {
        if start {
            let hit = self.up_instances(component, count);
            for &i in &hit {
                self.instances[i].draining = true;
            }
            self.recount(ComponentId::new(component));
            self.fault_instances[index] = hit;
            self.queue.schedule(
                self.now + warning,
                EventKind::SpotReclaim {
                    index: index as u32,
                },
            );
        } else {
            for i in std::mem::take(&mut self.fault_instances[index]) {
                let inst = &mut self.instances[i];
                if inst.draining {
                    inst.draining = false;
                    if inst.crashed > 0 {
                        self.bring_up(i, false);
                    }
                }
            }
        }
    }

    /// A spot reclaim's warning is over: its instances go down until the fault ends.
    pub(super) fn reclaim_spot(&mut self, index: usize) {
        let hit = self.fault_instances[index].clone();
        for i in hit {
            if self.instances[i].draining {
                self.take_down(i, false);
            }
        }
    }

    /// Schedules every instance's first random failure.
    pub(super) fn schedule_random_failures(&mut self) {
        for c in 0..self.services.len() {
            let s = &mut self.services[c];
            let Some(f) = s.failures else { continue };
            for i in s.instance_ids() {
                let t = exp_sample(f.mtbf, &mut s.failure_rng);
                self.queue
                    .schedule(t, EventKind::InstanceFail { instance: i });
            }
        }
    }

    /// Adds the time since the last change of the number of instances down from random failures
    /// (counted after the warm-up) to the component's downtime.
    pub(super) fn integrate_failures(&mut self, c: ComponentId) {
        let (now, warmup) = (self.now, self.scenario.warmup);
        let st = &mut self.services[c].stats;
        let from = st.failed_since.max(warmup);
        if now > from {
            st.failures.downtime_ns += st.failed_now as u128 * (now - from) as u128;
        }
        st.failed_since = now;
    }

    pub(super) fn random_failure(&mut self, instance: InstanceId) {
        let c = self.instances[instance].component;
        self.integrate_failures(c);
        let serving_before = self.services[c].serving.level();
        self.take_down(instance, false);
        let (measuring, s) = (self.measuring, &mut self.services[c]);
        if measuring {
            let f = &mut s.stats.failures;
            f.random += 1;
            f.overlapping += u64::from(s.stats.failed_now > 0);
            f.all_down += u64::from(serving_before > 0 && s.serving.level() == 0);
        }
        s.stats.failed_now += 1;
        let s = &mut self.services[self.instances[instance].component];
        let f = s
            .failures
            .expect("random failures are scheduled only with mtbf/mttr");
        let t = exp_sample(f.mttr, &mut s.failure_rng);
        self.queue
            .schedule(self.now + t, EventKind::InstanceRepair { instance });
    }

    pub(super) fn random_repair(&mut self, instance: InstanceId) {
        let c = self.instances[instance].component;
        self.integrate_failures(c);
        self.services[c].stats.failed_now -= 1;
        self.bring_up(instance, false);
        let s = &mut self.services[self.instances[instance].component];
        let f = s
            .failures
            .expect("random failures are scheduled only with mtbf/mttr");
        let t = exp_sample(f.mtbf, &mut s.failure_rng);
        self.queue
            .schedule(self.now + t, EventKind::InstanceFail { instance });
    }
}

fn exp_sample(mean: crate::time::SimTime, rng: &mut crate::rng::Stream) -> crate::time::SimTime {
    crate::time::from_nanos_f64(crate::dist::exponential_ns(mean as f64, rng))
}
