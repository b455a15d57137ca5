//! What component kinds do beyond being a station, at run time: balancers and DNS (health checks,
//! rate limits, TTL-stale answers), caches (hit or miss, LRU with TTL, flushes), queues (messages,
//! visibility timeouts, redelivery, dead letters), databases (primary and replicas, replication
//! logs, failover, lost writes, backups) and functions (warm instances and cold starts).
//!
//! Each behaviour is a mechanism: a dead target gets traffic until the checks notice; a flushed
//! cache sends every lookup to its backing store until keys come back; an asynchronous replica that
//! has not applied a write when the primary dies loses it.
//!
//! The kinds' state is in `kind_state.rs`; this file is what they do to the run.

use super::event_queue::EventKind;
use super::ids::{ComponentId, DeliveryId, InstanceId, JobId, KeyId, OpId};
use super::kind_state::{BalancerRt, DbRt};
use super::kind_state::{Delivery, KindRt, Message, Pending, kth_smallest};
use super::result::{FailoverHow, FailoverRecord};
use super::run::{Caller, Instance, Job, Provision, Run};
use crate::rng::Stream;
use crate::scenario::topology::Place;
use crate::scenario::{BalancerPolicy, ReadsFrom, Replication, Scenario};
use crate::time::SimTime;

impl Run<'_> {
    /// The place a job's messages leave from. A DNS adds no hop: its jobs act from their client's place.
    #[inline]
    pub(super) fn place_of(&self, job: JobId) -> Place {
        if self.scenario.regions.is_empty() {
            // Nothing is placed (zones belong to regions): every place is the same nowhere.
            return Place::default();
        }
        self.placed_place_of(job)
    }

    /// [`Run::place_of`] in a scenario with regions.
    #[inline(never)]
    fn placed_place_of(&self, job: JobId) -> Place {
        let j = &self.jobs[job];
        if let KindRt::Balancer(b) = &self.services[j.component].kind
            && b.dns
        {
            match j.caller {
                Caller::User => return self.workloads[j.workload].place,
                Caller::Call { link, generation } => {
                    if self.links[link].generation == generation {
                        return self.place_of(self.links[link].parent);
                    }
                }
                Caller::Delivery { .. } => {}
            }
        }
        self.instances[j.instance].place
    }

    /// The instance of `component` a request of operation `op` from `from` goes to.
    #[inline]
    pub(super) fn choose_instance(
        &mut self,
        component: ComponentId,
        op: Option<OpId>,
        from: Place,
    ) -> InstanceId {
        if let KindRt::Database(_) = &self.services[component].kind {
            return self.choose_db_instance(component, op, from);
        }
        self.pick_instance(component)
    }

    /// [`Run::choose_instance`] for a database: writes to the primary, reads as it is set to.
    #[inline(never)]
    fn choose_db_instance(
        &mut self,
        component: ComponentId,
        op: Option<OpId>,
        from: Place,
    ) -> InstanceId {
        let KindRt::Database(db) = &mut self.services[component].kind else {
            unreachable!("chosen for a database only")
        };
        let n = db.applied.len() as u32;
        let first = db.first_instance;
        let primary = first.plus(db.primary);
        if db.writes(op) {
            return primary;
        }
        match db.reads {
            ReadsFrom::Primary => primary,
            ReadsFrom::Replicas => {
                for k in 0..n {
                    let i = (db.rr + k) % n;
                    if i != db.primary && self.instances[first.plus(i)].routable() {
                        db.rr = (i + 1) % n;
                        return first.plus(i);
                    }
                }
                primary
            }
            ReadsFrom::Nearest => {
                let mut best = primary;
                let mut best_d = u64::MAX;
                for i in 0..n {
                    let inst = &self.instances[first.plus(i)];
                    if !inst.routable() {
                        continue;
                    }
                    let d = self
                        .scenario
                        .network
                        .delay(from, inst.place)
                        .unwrap_or(u64::MAX);
                    if d < best_d {
                        best_d = d;
                        best = first.plus(i);
                    }
                }
                best
            }
        }
    }

    /// Where a balancer or DNS (component `lb`) sends this job: (target component, instance).
    pub(super) fn balancer_pick(
        &mut self,
        lb: ComponentId,
        job: JobId,
    ) -> (ComponentId, InstanceId) {
        let from = self.place_of(job);
        let now = self.now;
        let KindRt::Balancer(b) = &mut self.services[lb].kind else {
            unreachable!("forward from a balancer")
        };
        let view = b.view(now);
        if b.dns {
            let t = dns_target(b, &view, from, self.scenario);
            let component = b.components[t].0;
            let op = self.jobs[job].op;
            let instance = self.choose_instance(component, op, from);
            return (component, instance);
        }
        let pick = lb_target(b, &view, from, &self.instances, self.scenario);
        let (instance, t) = b.instances[pick];
        (b.components[t as usize].0, instance)
    }

    /// Probes every target of balancer `lb` and schedules the next round.
    pub(super) fn health_check(&mut self, lb: ComponentId) {
        let KindRt::Balancer(b) = &self.services[lb].kind else {
            return;
        };
        let Some(check) = b.check else { return };
        let from = self.instances[self.services[lb].first_instance].place;
        let results: Vec<bool> = if b.dns {
            b.components
                .iter()
                .map(|&(c, _)| {
                    let s = &self.services[c];
                    s.pool(&self.instances).iter().any(|inst| {
                        inst.routable()
                            && self
                                .path(
                                    Place {
                                        region: inst.place.region,
                                        zone: None,
                                    },
                                    inst.place,
                                )
                                .is_some()
                    })
                })
                .collect()
        } else {
            b.instances
                .iter()
                .map(|&(i, _)| {
                    let inst = &self.instances[i];
                    inst.up() && self.path(from, inst.place).is_some()
                })
                .collect()
        };
        for (t, ok) in results.into_iter().enumerate() {
            let event = EventKind::HealthResult {
                component: lb,
                target: t as u32,
                ok,
            };
            // A failed probe is known only when its timeout runs out.
            let at = if ok {
                self.now
            } else {
                self.now + check.timeout
            };
            self.queue.schedule(at, event);
        }
        self.queue.schedule(
            self.now + check.interval,
            EventKind::HealthCheck { component: lb },
        );
    }

    pub(super) fn health_result(&mut self, lb: ComponentId, target: u32, ok: bool) {
        let now = self.now;
        if let KindRt::Balancer(b) = &mut self.services[lb].kind {
            b.record(target as usize, ok, now);
        }
    }

    /// A cache job's lookup, after its local work: a hit ends it; a miss goes on to `on_miss`.
    pub(super) fn cache_lookup(&mut self, job: JobId) -> bool {
        let j = self.jobs[job];
        let now = self.now;
        let KindRt::Cache(c) = &mut self.services[j.component].kind else {
            return false;
        };
        match c.lookup(now, j.measured) {
            Ok(()) => true,
            Err(key) => {
                self.jobs[job].key = key;
                false
            }
        }
    }

    pub(super) fn cache_fill(&mut self, job: JobId, key: KeyId) {
        let j = self.jobs[job];
        let now = self.now;
        if let KindRt::Cache(c) = &mut self.services[j.component].kind {
            c.fill(key, now);
        }
    }

    /// A producer's message reaches a queue; `false` if the queue is full.
    pub(super) fn enqueue(&mut self, job: JobId) -> bool {
        let j = self.jobs[job];
        let now = self.now;
        let KindRt::Broker(q) = &mut self.services[j.component].kind else {
            return false;
        };
        if q.messages.len() as u64 >= q.max_depth {
            q.stats.refused += u64::from(j.measured);
            return false;
        }
        q.stats.enqueued += u64::from(j.measured);
        q.messages.push_back(Message {
            enqueued: now,
            receives: 0,
            op: j.op,
            workload: j.workload,
            measured: self.measuring,
        });
        true
    }

    /// Hands waiting messages of queue `broker` to consumers with free slots.
    pub(super) fn dispatch(&mut self, broker: ComponentId) {
        loop {
            let KindRt::Broker(q) = &self.services[broker].kind else {
                return;
            };
            let broker_first = self.services[broker].first_instance;
            // A broker that is down hands out nothing; it keeps its messages.
            if q.messages.is_empty() || !self.instances[broker_first].up() {
                return;
            }
            let consumers = q.consumers;
            let s = &self.services[consumers];
            let free = s
                .instance_ids()
                .find(|&i| self.instances[i].routable() && self.instances[i].busy < s.capacity);
            let Some(instance) = free else { return };
            let now = self.now;
            let KindRt::Broker(q) = &mut self.services[broker].kind else {
                return;
            };
            let mut m = q.messages.pop_front().expect("not empty");
            m.receives += 1;
            let d = match q.free.pop() {
                Some(d) => d,
                None => {
                    q.deliveries.push(Delivery::default());
                    DeliveryId::new(q.deliveries.len() - 1)
                }
            };
            q.deliveries[d].message = Some(m);
            let generation = q.deliveries[d].generation;
            let vt = q.visibility_timeout;
            self.queue.schedule(
                now + vt,
                EventKind::VisibilityTimeout {
                    component: broker,
                    delivery: d,
                    generation,
                },
            );
            let job = self.new_job(Job {
                caller: Caller::Delivery {
                    broker,
                    delivery: d,
                    generation,
                },
                ..Job::visit(consumers, instance, m.workload, m.op, now, self.measuring)
            });
            self.arrive(job);
        }
    }

    /// A consumer finished a message: acknowledge it (or leave it to its visibility timeout).
    pub(super) fn consumed(
        &mut self,
        broker: ComponentId,
        delivery: DeliveryId,
        generation: u32,
        ok: bool,
    ) {
        let now = self.now;
        let measuring = self.measuring;
        if let KindRt::Broker(q) = &mut self.services[broker].kind {
            let d = &mut q.deliveries[delivery];
            if d.generation != generation || d.message.is_none() {
                // It came back after its visibility timeout: it was (or will be) processed again.
                q.stats.duplicates += u64::from(measuring && ok);
            } else if ok {
                let m = d.message.take().expect("live delivery");
                d.generation = d.generation.wrapping_add(1);
                q.free.push(delivery);
                if m.measured {
                    q.stats.acked += 1;
                    q.stats.processing.record(now - m.enqueued);
                }
            }
        }
        self.dispatch(broker);
    }

    /// A delivery was not acknowledged in time: the message is visible again, or dead-lettered.
    pub(super) fn visibility_timeout(
        &mut self,
        broker: ComponentId,
        delivery: DeliveryId,
        generation: u32,
    ) {
        if let KindRt::Broker(q) = &mut self.services[broker].kind {
            let d = &mut q.deliveries[delivery];
            if d.generation != generation {
                return;
            }
            let Some(m) = d.message.take() else { return };
            d.generation = d.generation.wrapping_add(1);
            q.free.push(delivery);
            if m.receives >= q.max_receives {
                q.stats.dead_lettered += u64::from(m.measured);
            } else {
                q.stats.redelivered += u64::from(m.measured);
                q.messages.push_back(m);
            }
        }
        self.dispatch(broker);
    }

    /// The local work of a database job: a read, or a write with its replication.
    pub(super) fn db_work(&mut self, job: JobId) -> SimTime {
        let j = self.jobs[job];
        let now = self.now;
        let KindRt::Database(db) = &mut self.services[j.component].kind else {
            return 0;
        };
        let node = j.instance.since(db.first_instance);
        if !db.writes(j.op) {
            db.stats.reads += u64::from(j.measured);
            let stale = match db.replication {
                // Stale: the replica has not applied every acknowledged write.
                Replication::Async => node != db.primary && db.applied[node as usize] > now,
                // Never under sync replication: a write is acknowledged once every replica has it.
                Replication::Sync => false,
                Replication::Quorum { read, .. } => {
                    return self.quorum_read(job, read);
                }
            };
            db.stats.stale_reads += u64::from(j.measured && stale);
            return db.read_time.sample(&mut db.rng);
        }
        db.stats.writes += u64::from(j.measured);
        let write = db.write_time.sample(&mut db.rng);
        let done = now + write;
        // When each live node will have applied this write, the primary's own first.
        db.scratch.clear();
        db.scratch.push(done);
        for r in 0..db.applied.len() {
            if r == db.primary as usize || !self.instances[db.first_instance.plus(r as u32)].up() {
                continue;
            }
            // Replicas apply writes in order: lag grows when writes come faster than they apply.
            let ship = db.lag.sample(&mut db.rng) + db.extra_lag;
            let apply = db.apply_time.sample(&mut db.rng);
            db.applied[r] = db.applied[r].max(done + ship) + apply;
            db.scratch.push(db.applied[r]);
        }
        let acked = match db.replication {
            Replication::Sync => db.scratch.iter().copied().max().unwrap_or(done),
            Replication::Async => done,
            Replication::Quorum { write, .. } => kth_smallest(&mut db.scratch, write as usize),
        };
        if db.replication != Replication::Sync {
            // The live replicas that will apply this write only after it was acknowledged log it.
            for r in 0..db.applied.len() {
                if r == db.primary as usize
                    || !self.instances[db.first_instance.plus(r as u32)].up()
                {
                    continue;
                }
                while db.logs[r]
                    .front()
                    .is_some_and(|&(_, applied)| applied <= now)
                {
                    db.logs[r].pop_front();
                }
                if db.applied[r] > acked {
                    db.logs[r].push_back((acked, db.applied[r]));
                }
            }
        }
        db.writes_since_backup += 1;
        acked - now
    }

    /// A database node went down. If it was the primary, recovery starts: with automatic
    /// failover, a replica is promoted after detection + promotion (the first replica, in order,
    /// that is up *then*); with no replica up by then, or none at all, a backup is restored; without
    /// either, the database waits for the old primary (`manual`).
    pub(super) fn db_node_down(&mut self, component: ComponentId, instance: InstanceId) {
        let now = self.now;
        let KindRt::Database(db) = &mut self.services[component].kind else {
            return;
        };
        if instance.since(db.first_instance) != db.primary || db.pending.is_some() {
            return;
        }
        db.pending = Some(Pending {
            failed_at: now,
            since_backup: db.writes_since_backup,
            backup_age: now - db.last_backup,
            restoring: false,
        });
        db.stats.failovers.push(FailoverRecord {
            at: now,
            lost_writes: 0,
            rpo: 0,
            restored_at: None,
            how: FailoverHow::Manual,
        });
        let has_replicas = db.applied.len() > 1;
        let wait = match (db.failover, db.backup) {
            (Some(f), _) if f.automatic && has_replicas => Some(f.detection + f.promotion),
            (f, Some(b)) if f.is_none_or(|f| f.automatic) => {
                Some(f.map_or(0, |f| f.detection) + b.restore_time)
            }
            _ => None,
        };
        if let Some(wait) = wait {
            db.promotion_gen = db.promotion_gen.wrapping_add(1);
            let generation = db.promotion_gen;
            self.queue.schedule(
                now + wait,
                EventKind::Promote {
                    component,
                    generation,
                },
            );
        }
    }

    /// A database node came back up: if it is the primary the database waited for, writes resume.
    pub(super) fn db_node_up(&mut self, component: ComponentId, instance: InstanceId) {
        let now = self.now;
        let KindRt::Database(db) = &mut self.services[component].kind else {
            return;
        };
        let Some(p) = db.pending else { return };
        if let Replication::Quorum { .. } = db.replication {
            self.quorum_node_up(component, instance);
            return;
        }
        if instance.since(db.first_instance) != db.primary {
            return;
        }
        // The old primary is back (after a manual wait, or a restore that waited for its region).
        db.pending = None;
        if let Some(f) = db.stats.failovers.last_mut() {
            if !p.restoring {
                f.how = FailoverHow::Manual;
            }
            f.restored_at = Some(now);
        }
    }

    /// Detection and promotion (or the restore) are over: act on what is true now.
    pub(super) fn promote(&mut self, component: ComponentId, generation: u32) {
        let now = self.now;
        let up: Vec<bool> = {
            let s = &self.services[component];
            s.pool(&self.instances).iter().map(|i| i.up()).collect()
        };
        let restore_instance;
        {
            let KindRt::Database(db) = &mut self.services[component].kind else {
                return;
            };
            if db.promotion_gen != generation {
                return;
            }
            let Some(mut p) = db.pending else { return };
            // A quorum without a majority up elects no one: wait for nodes to come back.
            let Some(replica) = db.candidate(&up, p.failed_at) else {
                return;
            };
            match (p.restoring, replica) {
                (false, Some(r)) => {
                    promote_replica(db, r, p.failed_at, now);
                    restore_instance = None;
                }
                (false, None) if db.backup.is_some() && db.failover.is_none_or(|f| f.automatic) => {
                    // No replica to promote: restore the last backup (what it lacks is lost).
                    let b = db.backup.expect("checked");
                    let record = db.stats.failovers.last_mut().expect("a record per failure");
                    record.how = FailoverHow::Restore;
                    record.lost_writes = p.since_backup;
                    record.rpo = p.backup_age;
                    p.restoring = true;
                    db.pending = Some(p);
                    // The restore was already under way if there were no replicas at all.
                    if db.applied.len() > 1 {
                        db.promotion_gen = db.promotion_gen.wrapping_add(1);
                        let generation = db.promotion_gen;
                        self.queue.schedule(
                            now + b.restore_time,
                            EventKind::Promote {
                                component,
                                generation,
                            },
                        );
                        return;
                    }
                    restore_instance = Some(db.first_instance.plus(db.primary));
                }
                (true, _) => restore_instance = Some(db.first_instance.plus(db.primary)),
                (false, None) => return,
            }
        }
        if let Some(i) = restore_instance {
            self.restored(component, i);
        }
    }

    /// A restore brings the primary (instance `i`) back on new hardware, whatever crashed the old
    /// one; it needs its region to be reachable: in a dark region it waits for the region.
    fn restored(&mut self, component: ComponentId, i: InstanceId) {
        let now = self.now;
        let region_dark = self.instances[i]
            .place
            .region
            .is_some_and(|r| self.region_down[r as usize] > 0);
        if region_dark {
            return;
        }
        let inst = &mut self.instances[i];
        inst.crashed = 0;
        inst.outages = 0;
        self.recount(component);
        let KindRt::Database(db) = &mut self.services[component].kind else {
            return;
        };
        db.pending = None;
        db.writes_since_backup = 0;
        if let Some(f) = db.stats.failovers.last_mut() {
            f.restored_at = Some(now);
        }
    }

    pub(super) fn take_backup(&mut self, component: ComponentId) {
        let now = self.now;
        let KindRt::Database(db) = &mut self.services[component].kind else {
            return;
        };
        let Some(b) = db.backup else { return };
        db.last_backup = now;
        db.writes_since_backup = 0;
        self.queue
            .schedule(now + b.interval, EventKind::Backup { component });
    }
}

fn pick_weighted(
    components: &[(ComponentId, f64)],
    ok: &dyn Fn(usize) -> bool,
    rng: &mut Stream,
) -> usize {
    let total: f64 = (0..components.len())
        .filter(|&i| ok(i))
        .map(|i| components[i].1)
        .sum();
    if total <= 0.0 {
        return (0..components.len()).find(|&i| ok(i)).unwrap_or(0);
    }
    let mut u = rng.uniform() * total;
    for (i, c) in components.iter().enumerate() {
        if !ok(i) {
            continue;
        }
        if u < c.1 {
            return i;
        }
        u -= c.1;
    }
    components.len() - 1
}

/// A DNS answer: the target component (index) by the policy, among the healthy ones in the DNS's
/// view (all, if none is healthy: clients try anyway).
fn dns_target(b: &mut BalancerRt, view: &[bool], from: Place, s: &Scenario) -> usize {
    let any = view.iter().any(|&h| h);
    let ok = |i: usize| !any || view[i];
    match b.policy {
        BalancerPolicy::Failover => (0..b.components.len()).find(|&i| ok(i)).unwrap_or(0),
        BalancerPolicy::Weighted => pick_weighted(&b.components, &ok, &mut b.rng),
        BalancerPolicy::Latency => nearest(&b.components, &ok, from, s),
        BalancerPolicy::RoundRobin | BalancerPolicy::LeastOutstanding => {
            let n = b.components.len() as u32;
            let start = b.rr;
            let i = (0..n)
                .map(|k| (start + k) % n)
                .find(|&i| ok(i as usize))
                .unwrap_or(start);
            b.rr = (i + 1) % n;
            i as usize
        }
    }
}

/// A load balancer's pick: the target instance (index into `b.instances`) by the policy, among
/// those registered with it (provisioned, not draining or retiring) and healthy in its view (all
/// registered ones, if none is healthy).
fn lb_target(
    b: &mut BalancerRt,
    view: &[bool],
    from: Place,
    instances: &[Instance],
    s: &Scenario,
) -> usize {
    let registered: Vec<bool> = b
        .instances
        .iter()
        .map(|&(i, _)| {
            let inst = &instances[i.index()];
            inst.provision == Provision::Ready && !inst.draining
        })
        .collect();
    let any = (0..view.len()).any(|i| view[i] && registered[i]);
    let n = b.instances.len();
    let ok = |i: usize| registered[i] && (!any || view[i]);
    let start = b.rr as usize;
    let (pick, next) = match b.policy {
        BalancerPolicy::RoundRobin => {
            let i = (0..n)
                .map(|k| (start + k) % n)
                .find(|&i| ok(i))
                .unwrap_or(start % n);
            (i, i + 1)
        }
        BalancerPolicy::LeastOutstanding => {
            let outstanding = |i: usize| instances[b.instances[i].0.index()].outstanding();
            let mut best: Option<usize> = None;
            for k in 0..n {
                let i = (start + k) % n;
                if ok(i) && best.is_none_or(|bi| outstanding(i) < outstanding(bi)) {
                    best = Some(i);
                }
            }
            (best.unwrap_or(start % n), start + 1)
        }
        BalancerPolicy::Weighted | BalancerPolicy::Latency | BalancerPolicy::Failover => {
            // Choose the target component first, then an instance of it in turn.
            let comp_ok = |t: usize| {
                b.instances
                    .iter()
                    .enumerate()
                    .any(|(i, x)| x.1 as usize == t && ok(i))
            };
            let t = match b.policy {
                BalancerPolicy::Weighted => pick_weighted(&b.components, &comp_ok, &mut b.rng),
                BalancerPolicy::Latency => nearest(&b.components, &comp_ok, from, s),
                BalancerPolicy::Failover
                | BalancerPolicy::RoundRobin
                | BalancerPolicy::LeastOutstanding => {
                    (0..b.components.len()).find(|&t| comp_ok(t)).unwrap_or(0)
                }
            };
            let i = (0..n)
                .map(|k| (start + k) % n)
                .find(|&i| b.instances[i].1 as usize == t && ok(i))
                .unwrap_or(start % n);
            (i, i + 1)
        }
    };
    b.rr = (next % n) as u32;
    pick
}

/// The acceptable target component nearest `from` by the network's delay (the first of equals).
fn nearest(
    components: &[(ComponentId, f64)],
    ok: &dyn Fn(usize) -> bool,
    from: Place,
    s: &Scenario,
) -> usize {
    (0..components.len())
        .filter(|&i| ok(i))
        .min_by_key(|&i| {
            let c = &s.components[components[i].0.index()];
            let to = Place {
                region: c.region.map(|r| r as u16),
                zone: None,
            };
            s.network.delay(from, to).unwrap_or(u64::MAX)
        })
        .unwrap_or(0)
}

/// Replica `r` of `db` becomes the primary at `now`; the acknowledged writes it had not applied
/// when the primary died (at `failed_at`) are lost, and the failure's record says so.
fn promote_replica(db: &mut DbRt, r: usize, failed_at: SimTime, now: SimTime) {
    let lost: Vec<&(SimTime, SimTime)> = db.logs[r]
        .iter()
        .filter(|&&(acked, applied)| acked <= failed_at && applied > failed_at)
        .collect();
    let record = db.stats.failovers.last_mut().expect("a record per failure");
    record.how = FailoverHow::Promotion;
    record.lost_writes = lost.len() as u64;
    record.rpo = lost.first().map_or(0, |&&(acked, _)| failed_at - acked);
    record.restored_at = Some(now);
    db.primary = r as u32;
    for l in &mut db.logs {
        l.clear();
    }
    let primary_applied = db.applied[r];
    for a in &mut db.applied {
        *a = (*a).max(primary_applied).min(now);
    }
    db.pending = None;
}
