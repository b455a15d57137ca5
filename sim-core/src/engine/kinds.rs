//! What component kinds do beyond being a station, at run time: balancers and DNS (health checks,
//! rate limits, TTL-stale answers), caches (hit or miss, LRU with TTL, flushes), queues (messages,
//! visibility timeouts, redelivery, dead letters), databases (primary and replicas, replication
//! logs, failover, lost writes, backups) and functions (warm instances and cold starts).
//!
//! Each behaviour is a mechanism: a dead target gets traffic until the checks notice; a flushed
//! cache sends every lookup to its backing store until keys come back; an asynchronous replica that
//! has not applied a write when the primary dies loses it.

use super::event_queue::EventKind;
use super::run::{Job, NONE, Run};
use crate::dist::Dist;
use crate::rng::Stream;
use crate::scenario::topology::Place;
use crate::scenario::{
    Backup, Balancer, BalancerPolicy, Cache, CacheModel, ComponentKind, Failover, HealthCheck,
    ReadsFrom, Replication, Scenario,
};
use crate::stats::histogram::DurationHistogram;
use crate::time::SimTime;
use std::collections::VecDeque;

/// Marks the run-time call that a balancer or DNS forwards its requests on.
pub(super) const FORWARD: u32 = u32::MAX - 1;

pub(super) enum KindRt {
    Plain,
    Balancer(Box<BalancerRt>),
    Cache(Box<CacheRt>),
    Broker(Box<BrokerRt>),
    Database(Box<DbRt>),
    Function(Box<FunctionRt>),
}

impl KindRt {
    pub fn new(
        s: &Scenario,
        component: usize,
        first_instance: u32,
        calls: &mut Vec<super::calls::CallRt>,
        rng: Stream,
    ) -> KindRt {
        let c = &s.components[component];
        match &c.kind {
            ComponentKind::Service | ComponentKind::External => KindRt::Plain,
            ComponentKind::LoadBalancer(b) | ComponentKind::Dns(b) => {
                let dns = matches!(c.kind, ComponentKind::Dns(_));
                calls.push(super::calls::CallRt {
                    to: FORWARD,
                    timeout: b.timeout,
                    retry: None,
                    probability: 1.0,
                    ops: Box::new([]),
                    breaker: None,
                    request_size: None,
                    response_size: None,
                    same_zone: false,
                });
                KindRt::Balancer(Box::new(BalancerRt::new(
                    s,
                    b,
                    dns,
                    (calls.len() - 1) as u32,
                    rng,
                )))
            }
            ComponentKind::Cache(cache) => KindRt::Cache(Box::new(CacheRt::new(cache, rng))),
            ComponentKind::Queue(q) => KindRt::Broker(Box::new(BrokerRt {
                consumers: q.consumers as u32,
                max_depth: q.max_depth.unwrap_or(u64::MAX),
                visibility_timeout: q.visibility_timeout,
                max_receives: q.max_receives,
                messages: VecDeque::new(),
                deliveries: Vec::new(),
                free: Vec::new(),
                stats: BrokerStats::default(),
            })),
            ComponentKind::Database(d) => {
                let replicas = d.nodes.len() - 1;
                KindRt::Database(Box::new(DbRt {
                    write_ops: d.write_ops.iter().map(|&o| o as u32).collect(),
                    replication: d.replication,
                    lag: d.lag.clone(),
                    apply_time: d.apply_time.clone(),
                    read_time: d.read_time.clone(),
                    write_time: d.write_time.clone(),
                    reads: d.reads,
                    failover: d.failover,
                    backup: d.backup,
                    extra_lag: 0,
                    rng,
                    first_instance,
                    primary: 0,
                    pending: None,
                    promotion_gen: 0,
                    awaiting_majority: false,
                    scratch: Vec::with_capacity(replicas + 1),
                    applied: vec![0; replicas + 1],
                    logs: vec![VecDeque::new(); replicas + 1],
                    writes_since_backup: 0,
                    last_backup: 0,
                    rr: 0,
                    stats: DbStats::default(),
                }))
            }
            ComponentKind::Function(f) => KindRt::Function(Box::new(FunctionRt {
                cold_start: f.cold_start.clone(),
                keep_warm: f.keep_warm,
                warm: Vec::new(),
                rng,
                cold_starts: 0,
                warm_starts: 0,
            })),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Balancers and DNS

/// What a balancer knows of one target (an instance for a load balancer, a component for DNS).
#[derive(Clone, Copy, Debug)]
pub(super) struct TargetHealth {
    pub healthy: bool,
    fails: u32,
    oks: u32,
}

pub(super) struct BalancerRt {
    pub dns: bool,
    pub policy: BalancerPolicy,
    pub check: Option<HealthCheck>,
    pub ttl: SimTime,
    pub forward_call: u32,
    /// Target components with their weights.
    pub components: Vec<(u32, f64)>,
    /// Load balancer: every instance of every target component, with the target's index.
    pub instances: Vec<(u32, u32)>,
    /// One per entry of `instances` (load balancer) or of `components` (DNS).
    pub health: Vec<TargetHealth>,
    pub rr: u32,
    /// The bucket for all requests (`rate_limit`).
    global: Option<super::usage_plans::Bucket>,
    /// Per workload: its usage plan's bucket, if it has one.
    plans: Vec<Option<super::usage_plans::Bucket>>,
    /// DNS: when the healthy set last changed, and the set clients may still have cached.
    changed_at: Option<SimTime>,
    previous: Vec<bool>,
    rng: Stream,
    pub throttled: u64,
    /// Per workload: requests answered 429 (by its plan or the global bucket).
    pub throttled_by: Vec<u64>,
}

impl BalancerRt {
    fn new(s: &Scenario, b: &Balancer, dns: bool, forward_call: u32, rng: Stream) -> BalancerRt {
        let components: Vec<(u32, f64)> = b
            .targets
            .iter()
            .map(|t| (t.component as u32, t.weight))
            .collect();
        let mut first = Vec::new();
        let mut at = 0u32;
        for c in &s.components {
            first.push(at);
            at += c
                .autoscale
                .map_or(c.station.replicas, |a| a.max.max(c.station.replicas));
        }
        let mut instances = Vec::new();
        if !dns {
            for (ti, t) in b.targets.iter().enumerate() {
                let c = &s.components[t.component];
                let n = c
                    .autoscale
                    .map_or(c.station.replicas, |a| a.max.max(c.station.replicas));
                instances.extend((0..n).map(|i| (first[t.component] + i, ti as u32)));
            }
        }
        let n = if dns {
            components.len()
        } else {
            instances.len()
        };
        BalancerRt {
            dns,
            policy: b.policy,
            check: b.health_check,
            ttl: b.ttl,
            forward_call,
            components,
            instances,
            health: vec![
                TargetHealth {
                    healthy: true,
                    fails: 0,
                    oks: 0
                };
                n
            ],
            rr: 0,
            global: b.rate_limit.map(super::usage_plans::Bucket::new),
            plans: super::usage_plans::buckets(&b.usage_plans, s.workloads.len()),
            changed_at: None,
            previous: vec![true; n],
            rng,
            throttled: 0,
            throttled_by: vec![0; s.workloads.len()],
        }
    }

    /// Takes a token from the workload's plan, then from the bucket for all; `false` means
    /// answer 429.
    pub fn admit(&mut self, now: SimTime, workload: u32) -> bool {
        let w = workload as usize;
        let plan_ok = self
            .plans
            .get_mut(w)
            .and_then(Option::as_mut)
            .is_none_or(|b| b.take(now));
        let ok = plan_ok && self.global.as_mut().is_none_or(|b| b.take(now));
        if !ok {
            self.throttled += 1;
            if let Some(t) = self.throttled_by.get_mut(w) {
                *t += 1;
            }
        }
        ok
    }

    /// The healthy set this request sees: for DNS, a client may still hold the answer from
    /// before the last change, with a probability falling linearly over the TTL.
    fn view(&mut self, now: SimTime) -> Vec<bool> {
        let current: Vec<bool> = self.health.iter().map(|h| h.healthy).collect();
        if self.dns
            && let Some(t) = self.changed_at
            && now < t + self.ttl
        {
            let fresh = (now - t) as f64 / self.ttl.max(1) as f64;
            if self.rng.uniform() >= fresh {
                return self.previous.clone();
            }
        }
        current
    }

    /// Records a probe's outcome; returns whether the target's health changed.
    pub fn record(&mut self, target: usize, ok: bool, now: SimTime) -> bool {
        let Some(check) = self.check else {
            return false;
        };
        let before: Vec<bool> = if self.dns {
            self.health.iter().map(|h| h.healthy).collect()
        } else {
            Vec::new()
        };
        let h = &mut self.health[target];
        let mut changed = false;
        if ok {
            h.fails = 0;
            h.oks += 1;
            if !h.healthy && h.oks >= check.healthy_after {
                h.healthy = true;
                changed = true;
            }
        } else {
            h.oks = 0;
            h.fails += 1;
            if h.healthy && h.fails >= check.unhealthy_after {
                h.healthy = false;
                changed = true;
            }
        }
        if changed && self.dns {
            self.previous = before;
            self.changed_at = Some(now);
        }
        changed
    }
}

// ---------------------------------------------------------------------------------------------
// Caches

pub(super) struct CacheRt {
    model: CacheModel,
    rng: Stream,
    /// Zipf CDF over key ranks (key model only).
    cdf: Vec<f64>,
    /// When each key was stored (`u64::MAX`: absent).
    stored: Vec<SimTime>,
    prev: Vec<u32>,
    next: Vec<u32>,
    head: u32,
    tail: u32,
    size: u32,
    pub hits: u64,
    pub misses: u64,
    pub window_hits: u64,
    pub window_misses: u64,
}

impl CacheRt {
    fn new(c: &Cache, rng: Stream) -> CacheRt {
        let (cdf, n) = match c.model {
            CacheModel::Keys { keys, zipf, .. } => {
                let mut acc = 0.0;
                let mut cdf: Vec<f64> = (1..=keys)
                    .map(|k| {
                        acc += libm::pow(k as f64, -zipf);
                        acc
                    })
                    .collect();
                for x in &mut cdf {
                    *x /= acc;
                }
                (cdf, keys as usize)
            }
            CacheModel::Ratio(_) => (Vec::new(), 0),
        };
        CacheRt {
            model: c.model,
            rng,
            cdf,
            stored: vec![u64::MAX; n],
            prev: vec![NONE; n],
            next: vec![NONE; n],
            head: NONE,
            tail: NONE,
            size: 0,
            hits: 0,
            misses: 0,
            window_hits: 0,
            window_misses: 0,
        }
    }

    /// Looks a request up: `Ok(())` for a hit, `Err(key)` for a miss (key NONE under a ratio model).
    pub fn lookup(&mut self, now: SimTime, measured: bool) -> Result<(), u32> {
        let result = match self.model {
            CacheModel::Ratio(r) => {
                if self.rng.uniform() < r {
                    Ok(())
                } else {
                    Err(NONE)
                }
            }
            CacheModel::Keys { ttl, .. } => {
                let u = self.rng.uniform();
                let key = self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1) as u32;
                let at = self.stored[key as usize];
                if at != u64::MAX && ttl.is_none_or(|t| now < at.saturating_add(t)) {
                    self.unlink(key);
                    self.push_front(key);
                    Ok(())
                } else {
                    Err(key)
                }
            }
        };
        if result.is_ok() {
            self.window_hits += 1;
            self.hits += u64::from(measured);
        } else {
            self.window_misses += 1;
            self.misses += u64::from(measured);
        }
        result
    }

    /// Stores a key fetched on a miss, evicting the least recently used entry if full.
    pub fn fill(&mut self, key: u32, now: SimTime) {
        let CacheModel::Keys { capacity, .. } = self.model else {
            return;
        };
        if key == NONE {
            return;
        }
        if self.stored[key as usize] != u64::MAX {
            self.unlink(key);
        } else if self.size == capacity {
            let victim = self.tail;
            self.unlink(victim);
            self.stored[victim as usize] = u64::MAX;
            self.size -= 1;
        }
        if self.stored[key as usize] == u64::MAX {
            self.size += 1;
        }
        self.stored[key as usize] = now;
        self.push_front(key);
    }

    pub fn flush(&mut self) {
        self.stored.fill(u64::MAX);
        self.prev.fill(NONE);
        self.next.fill(NONE);
        self.head = NONE;
        self.tail = NONE;
        self.size = 0;
    }

    fn unlink(&mut self, k: u32) {
        let (p, n) = (self.prev[k as usize], self.next[k as usize]);
        if p != NONE {
            self.next[p as usize] = n;
        } else if self.head == k {
            self.head = n;
        }
        if n != NONE {
            self.prev[n as usize] = p;
        } else if self.tail == k {
            self.tail = p;
        }
        self.prev[k as usize] = NONE;
        self.next[k as usize] = NONE;
    }

    fn push_front(&mut self, k: u32) {
        self.prev[k as usize] = NONE;
        self.next[k as usize] = self.head;
        if self.head != NONE {
            self.prev[self.head as usize] = k;
        }
        self.head = k;
        if self.tail == NONE {
            self.tail = k;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Queues

#[derive(Clone, Copy, Debug)]
pub(super) struct Message {
    enqueued: SimTime,
    receives: u32,
    op: u32,
    workload: u32,
    measured: bool,
}

#[derive(Clone, Copy, Debug, Default)]
struct Delivery {
    message: Option<Message>,
    generation: u32,
}

#[derive(Debug, Default)]
pub(super) struct BrokerStats {
    pub enqueued: u64,
    pub refused: u64,
    pub acked: u64,
    pub redelivered: u64,
    pub dead_lettered: u64,
    pub duplicates: u64,
    pub processing: DurationHistogram,
}

pub(super) struct BrokerRt {
    pub consumers: u32,
    max_depth: u64,
    visibility_timeout: SimTime,
    max_receives: u32,
    messages: VecDeque<Message>,
    deliveries: Vec<Delivery>,
    free: Vec<u32>,
    pub stats: BrokerStats,
}

impl BrokerRt {
    pub fn depth(&self) -> usize {
        self.messages.len()
    }

    /// Age of the oldest waiting message: how far consumers lag behind.
    pub fn lag(&self, now: SimTime) -> SimTime {
        self.messages.front().map_or(0, |m| now - m.enqueued)
    }
}

// ---------------------------------------------------------------------------------------------
// Databases

#[derive(Debug, Default)]
pub(super) struct DbStats {
    pub reads: u64,
    pub writes: u64,
    pub stale_reads: u64,
    pub failovers: Vec<FailoverRecord>,
}

/// One loss of the primary and how the database came back.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FailoverRecord {
    pub at: SimTime,
    /// Acknowledged writes the new primary never had.
    pub lost_writes: u64,
    /// Age of the oldest lost write at the failure (0 if none was lost).
    pub rpo: SimTime,
    /// When writes were accepted again (`None`: not within the run).
    pub restored_at: Option<SimTime>,
    /// `promotion`, `restore` (from backup), or `manual` (the old primary came back).
    pub how: FailoverHow,
}

/// How a database came back after losing its primary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailoverHow {
    /// A replica was promoted.
    Promotion,
    /// Restored from backup.
    Restore,
    /// The old primary came back.
    Manual,
}

impl FailoverHow {
    /// The word the report writes.
    pub fn as_str(self) -> &'static str {
        match self {
            FailoverHow::Promotion => "promotion",
            FailoverHow::Restore => "restore",
            FailoverHow::Manual => "manual",
        }
    }
}

/// What was known when the primary died, for the recovery decided later.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pending {
    pub failed_at: SimTime,
    /// Writes since the last backup, and the backup's age, at the failure (for a restore).
    since_backup: u64,
    backup_age: SimTime,
    /// No replica could be promoted: the primary is being restored from the backup.
    restoring: bool,
}

pub(super) struct DbRt {
    pub write_ops: Box<[u32]>,
    pub replication: Replication,
    lag: Dist,
    apply_time: Dist,
    pub read_time: Dist,
    write_time: Dist,
    reads: ReadsFrom,
    failover: Option<Failover>,
    backup: Option<Backup>,
    pub extra_lag: SimTime,
    pub rng: Stream,
    pub first_instance: u32,
    /// Index (within the database's nodes) of the current primary.
    pub primary: u32,
    /// The primary is lost and recovery is under way.
    pub pending: Option<Pending>,
    pub promotion_gen: u32,
    /// Quorum: detection and promotion are over but no majority was up to elect a new primary.
    pub awaiting_majority: bool,
    /// Per node: when it will have applied every write so far.
    pub applied: Vec<SimTime>,
    /// Per replica (async and quorum): writes acknowledged before the replica applies them, as
    /// (acknowledged, applied). Entries applied before the primary died are not lost if that
    /// replica is promoted.
    pub logs: Vec<VecDeque<(SimTime, SimTime)>>,
    /// When each live node applies the write at hand (kept to allocate nothing per write).
    pub scratch: Vec<SimTime>,
    writes_since_backup: u64,
    last_backup: SimTime,
    rr: u32,
    pub stats: DbStats,
}

impl DbRt {
    /// The replica to promote when detection and promotion are over: the first up in promotion
    /// order (with automatic failover), or for a quorum the most up to date of those up. `None`:
    /// a quorum without a majority up, which elects no one until one is back.
    fn candidate(&mut self, up: &[bool], failed_at: SimTime) -> Option<Option<usize>> {
        let n = self.applied.len();
        let promotable = self.failover.is_some_and(|f| f.automatic);
        match self.replication {
            Replication::Quorum { .. } => {
                let live = up.iter().filter(|&&u| u).count() as u32;
                self.awaiting_majority = live < Replication::majority(n as u32);
                (!self.awaiting_majority)
                    .then(|| super::quorum::most_up_to_date(self, up, failed_at))
            }
            Replication::Sync | Replication::Async => Some(
                (1..n)
                    .map(|k| (self.primary as usize + k) % n)
                    .find(|&r| promotable && up[r]),
            ),
        }
    }

    /// Replication lag of the first replica in promotion order, now.
    pub fn lag_now(&self, now: SimTime) -> SimTime {
        let n = self.applied.len();
        if n < 2 {
            return 0;
        }
        self.applied[(self.primary as usize + 1) % n].saturating_sub(now)
    }
}

// ---------------------------------------------------------------------------------------------
// Functions

pub(super) struct FunctionRt {
    cold_start: Dist,
    keep_warm: SimTime,
    /// Idle warm instances: when each became idle (most recent last).
    warm: Vec<SimTime>,
    rng: Stream,
    pub cold_starts: u64,
    pub warm_starts: u64,
}

impl FunctionRt {
    /// Extra start-up time for a request starting now: 0 on a warm instance, a cold start otherwise.
    pub fn start(&mut self, now: SimTime, measured: bool) -> SimTime {
        self.expire(now);
        if self.warm.pop().is_some() {
            self.warm_starts += u64::from(measured);
            0
        } else {
            self.cold_starts += u64::from(measured);
            self.cold_start.sample(&mut self.rng)
        }
    }

    pub fn release(&mut self, now: SimTime) {
        self.warm.push(now);
    }

    /// Drops instances idle longer than `keep_warm`; returns how many are warm.
    pub fn expire(&mut self, now: SimTime) -> usize {
        let keep = self.keep_warm;
        self.warm.retain(|&t| now < t.saturating_add(keep));
        self.warm.len()
    }
}

// ---------------------------------------------------------------------------------------------
// Engine hooks

impl Run<'_> {
    /// The place a job's messages leave from. A DNS adds no hop: its jobs act from their client's place.
    pub(super) fn place_of(&self, job: u32) -> Place {
        if self.scenario.regions.is_empty() {
            // Nothing is placed (zones belong to regions): every place is the same nowhere.
            return Place::default();
        }
        let j = &self.jobs[job as usize];
        if let super::kinds::KindRt::Balancer(b) = &self.services[j.component as usize].kind
            && b.dns
        {
            if j.link == NONE {
                return self.workloads[j.workload as usize].place;
            }
            let parent = self.links[j.link as usize].parent;
            if self.links[j.link as usize].generation == j.link_gen {
                return self.place_of(parent);
            }
        }
        self.instances[j.instance as usize].place
    }

    /// The instance of `component` a request of operation `op` from `from` goes to.
    pub(super) fn choose_instance(&mut self, component: u32, op: u32, from: Place) -> u32 {
        if let KindRt::Database(db) = &mut self.services[component as usize].kind {
            let n = db.applied.len() as u32;
            let first = db.first_instance;
            let primary = first + db.primary;
            if db.write_ops.contains(&op) {
                return primary;
            }
            return match db.reads {
                ReadsFrom::Primary => primary,
                ReadsFrom::Replicas => {
                    for k in 0..n {
                        let i = (db.rr + k) % n;
                        if i != db.primary && self.instances[(first + i) as usize].routable() {
                            db.rr = (i + 1) % n;
                            return first + i;
                        }
                    }
                    primary
                }
                ReadsFrom::Nearest => {
                    let mut best = primary;
                    let mut best_d = u64::MAX;
                    for i in 0..n {
                        let inst = &self.instances[(first + i) as usize];
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
                            best = first + i;
                        }
                    }
                    best
                }
            };
        }
        self.pick_instance(component)
    }

    /// Where a balancer or DNS (component `lb`) sends this job: (target component, instance).
    pub(super) fn balancer_pick(&mut self, lb: u32, job: u32) -> (u32, u32) {
        let from = self.place_of(job);
        let now = self.now;
        let KindRt::Balancer(b) = &mut self.services[lb as usize].kind else {
            unreachable!("forward from a balancer")
        };
        let view = b.view(now);
        if b.dns {
            // Healthy target components (all, if none is healthy: clients try anyway).
            let any = view.iter().any(|&h| h);
            let ok = |i: usize| !any || view[i];
            let t = match b.policy {
                BalancerPolicy::Failover => (0..b.components.len()).find(|&i| ok(i)).unwrap_or(0),
                BalancerPolicy::Weighted => pick_weighted(&b.components, &ok, &mut b.rng),
                BalancerPolicy::Latency => {
                    let comps: Vec<u32> = b.components.iter().map(|c| c.0).collect();
                    (0..comps.len())
                        .filter(|&i| ok(i))
                        .min_by_key(|&i| {
                            let c = &self.scenario.components[comps[i] as usize];
                            let to = Place {
                                region: c.region.map(|r| r as u16),
                                zone: None,
                            };
                            self.scenario.network.delay(from, to).unwrap_or(u64::MAX)
                        })
                        .unwrap_or(0)
                }
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
            };
            let component = b.components[t].0;
            let op = self.jobs[job as usize].op;
            let instance = self.choose_instance(component, op, from);
            return (component, instance);
        }
        // Load balancer over target instances registered with it (provisioned, not draining or
        // retiring), healthy in its view (all registered ones, if none is healthy).
        let registered: Vec<bool> = b
            .instances
            .iter()
            .map(|&(i, _)| {
                let inst = &self.instances[i as usize];
                inst.ready && !inst.draining && !inst.retiring
            })
            .collect();
        let any = (0..view.len()).any(|i| view[i] && registered[i]);
        let n = b.instances.len();
        let ok = |i: usize| registered[i] && (!any || view[i]);
        let pick = match b.policy {
            BalancerPolicy::RoundRobin => {
                let start = b.rr as usize;
                let i = (0..n)
                    .map(|k| (start + k) % n)
                    .find(|&i| ok(i))
                    .unwrap_or(start % n);
                b.rr = ((i + 1) % n) as u32;
                i
            }
            BalancerPolicy::LeastOutstanding => {
                let start = b.rr as usize;
                b.rr = ((start + 1) % n) as u32;
                let mut best: Option<usize> = None;
                for k in 0..n {
                    let i = (start + k) % n;
                    if ok(i)
                        && best.is_none_or(|bi| {
                            self.instances[b.instances[i].0 as usize].outstanding()
                                < self.instances[b.instances[bi].0 as usize].outstanding()
                        })
                    {
                        best = Some(i);
                    }
                }
                best.unwrap_or(start % n)
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
                    BalancerPolicy::Failover => {
                        (0..b.components.len()).find(|&t| comp_ok(t)).unwrap_or(0)
                    }
                    _ => (0..b.components.len())
                        .filter(|&t| comp_ok(t))
                        .min_by_key(|&t| {
                            let c = &self.scenario.components[b.components[t].0 as usize];
                            let to = Place {
                                region: c.region.map(|r| r as u16),
                                zone: None,
                            };
                            self.scenario.network.delay(from, to).unwrap_or(u64::MAX)
                        })
                        .unwrap_or(0),
                };
                let start = b.rr as usize;
                let i = (0..n)
                    .map(|k| (start + k) % n)
                    .find(|&i| b.instances[i].1 as usize == t && ok(i))
                    .unwrap_or(start % n);
                b.rr = ((i + 1) % n) as u32;
                i
            }
        };
        let (instance, t) = b.instances[pick];
        (b.components[t as usize].0, instance)
    }

    /// Probes every target of balancer `lb` and schedules the next round.
    pub(super) fn health_check(&mut self, lb: u32) {
        let KindRt::Balancer(b) = &self.services[lb as usize].kind else {
            return;
        };
        let Some(check) = b.check else { return };
        let from = self.instances[self.services[lb as usize].first_instance as usize].place;
        let results: Vec<bool> = if b.dns {
            b.components
                .iter()
                .map(|&(c, _)| {
                    let s = &self.services[c as usize];
                    (s.first_instance..s.first_instance + s.instances).any(|i| {
                        let inst = &self.instances[i as usize];
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
                    let inst = &self.instances[i as usize];
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

    pub(super) fn health_result(&mut self, lb: u32, target: u32, ok: bool) {
        let now = self.now;
        if let KindRt::Balancer(b) = &mut self.services[lb as usize].kind {
            b.record(target as usize, ok, now);
        }
    }

    /// A cache job's lookup, after its local work: a hit ends it; a miss goes on to `on_miss`.
    pub(super) fn cache_lookup(&mut self, job: u32) -> bool {
        let j = self.jobs[job as usize];
        let now = self.now;
        let KindRt::Cache(c) = &mut self.services[j.component as usize].kind else {
            return false;
        };
        match c.lookup(now, j.measured) {
            Ok(()) => true,
            Err(key) => {
                self.jobs[job as usize].key = key;
                false
            }
        }
    }

    pub(super) fn cache_fill(&mut self, job: u32) {
        let j = self.jobs[job as usize];
        let now = self.now;
        if let KindRt::Cache(c) = &mut self.services[j.component as usize].kind {
            c.fill(j.key, now);
        }
    }

    /// A producer's message reaches a queue; `false` if the queue is full.
    pub(super) fn enqueue(&mut self, job: u32) -> bool {
        let j = self.jobs[job as usize];
        let now = self.now;
        let KindRt::Broker(q) = &mut self.services[j.component as usize].kind else {
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
    pub(super) fn dispatch(&mut self, broker: u32) {
        loop {
            let KindRt::Broker(q) = &self.services[broker as usize].kind else {
                return;
            };
            let broker_first = self.services[broker as usize].first_instance;
            // A broker that is down hands out nothing; it keeps its messages.
            if q.messages.is_empty() || !self.instances[broker_first as usize].up() {
                return;
            }
            let consumers = q.consumers;
            let s = &self.services[consumers as usize];
            let free = (s.first_instance..s.first_instance + s.instances).find(|&i| {
                self.instances[i as usize].routable()
                    && self.instances[i as usize].busy < s.capacity
            });
            let Some(instance) = free else { return };
            let now = self.now;
            let KindRt::Broker(q) = &mut self.services[broker as usize].kind else {
                return;
            };
            let mut m = q.messages.pop_front().expect("not empty");
            m.receives += 1;
            let d = match q.free.pop() {
                Some(d) => d,
                None => {
                    q.deliveries.push(Delivery::default());
                    (q.deliveries.len() - 1) as u32
                }
            };
            q.deliveries[d as usize].message = Some(m);
            let generation = q.deliveries[d as usize].generation;
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
                link: d,
                link_gen: generation,
                origin: broker,
                delivery: true,
                ..Job::visit(consumers, instance, m.workload, m.op, now, self.measuring)
            });
            self.arrive(job);
        }
    }

    /// A consumer finished a message: acknowledge it (or leave it to its visibility timeout).
    pub(super) fn consumed(&mut self, broker: u32, delivery: u32, generation: u32, ok: bool) {
        let now = self.now;
        let measuring = self.measuring;
        if let KindRt::Broker(q) = &mut self.services[broker as usize].kind {
            let d = &mut q.deliveries[delivery as usize];
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
    pub(super) fn visibility_timeout(&mut self, broker: u32, delivery: u32, generation: u32) {
        if let KindRt::Broker(q) = &mut self.services[broker as usize].kind {
            let d = &mut q.deliveries[delivery as usize];
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
    pub(super) fn db_work(&mut self, job: u32) -> SimTime {
        let j = self.jobs[job as usize];
        let now = self.now;
        let KindRt::Database(db) = &mut self.services[j.component as usize].kind else {
            return 0;
        };
        let node = j.instance - db.first_instance;
        if !db.write_ops.contains(&j.op) {
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
            if r == db.primary as usize
                || !self.instances[(db.first_instance + r as u32) as usize].up()
            {
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
            Replication::Quorum { write, .. } => {
                super::quorum::kth_smallest(&mut db.scratch, write as usize)
            }
        };
        if db.replication != Replication::Sync {
            // The live replicas that will apply this write only after it was acknowledged log it.
            for r in 0..db.applied.len() {
                if r == db.primary as usize
                    || !self.instances[(db.first_instance + r as u32) as usize].up()
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
    pub(super) fn db_node_down(&mut self, component: u32, instance: u32) {
        let now = self.now;
        let KindRt::Database(db) = &mut self.services[component as usize].kind else {
            return;
        };
        if instance - db.first_instance != db.primary || db.pending.is_some() {
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
    pub(super) fn db_node_up(&mut self, component: u32, instance: u32) {
        let now = self.now;
        let KindRt::Database(db) = &mut self.services[component as usize].kind else {
            return;
        };
        let Some(p) = db.pending else { return };
        if let Replication::Quorum { .. } = db.replication {
            self.quorum_node_up(component, instance);
            return;
        }
        if instance - db.first_instance != db.primary {
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
    pub(super) fn promote(&mut self, component: u32, generation: u32) {
        let now = self.now;
        let up: Vec<bool> = {
            let s = &self.services[component as usize];
            (s.first_instance..s.first_instance + s.instances)
                .map(|i| self.instances[i as usize].up())
                .collect()
        };
        let restore_instance;
        {
            let KindRt::Database(db) = &mut self.services[component as usize].kind else {
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
                    // The acknowledged writes this replica had not applied when the primary died
                    // are lost.
                    let lost: Vec<&(SimTime, SimTime)> = db.logs[r]
                        .iter()
                        .filter(|&&(acked, applied)| acked <= p.failed_at && applied > p.failed_at)
                        .collect();
                    let record = db.stats.failovers.last_mut().expect("a record per failure");
                    record.how = FailoverHow::Promotion;
                    record.lost_writes = lost.len() as u64;
                    record.rpo = lost.first().map_or(0, |&&(acked, _)| p.failed_at - acked);
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
                    restore_instance = Some(db.first_instance + db.primary);
                }
                (true, _) => restore_instance = Some(db.first_instance + db.primary),
                _ => return,
            }
        }
        // A restore brings the primary back on new hardware, whatever crashed the old one; it
        // needs its region to be reachable: in a dark region it waits for the region.
        if let Some(i) = restore_instance {
            let region_dark = self.instances[i as usize]
                .place
                .region
                .is_some_and(|r| self.region_down[r as usize] > 0);
            if region_dark {
                return;
            }
            let inst = &mut self.instances[i as usize];
            inst.crashed = 0;
            inst.outages = 0;
            self.recount(component);
            let KindRt::Database(db) = &mut self.services[component as usize].kind else {
                return;
            };
            db.pending = None;
            db.writes_since_backup = 0;
            if let Some(f) = db.stats.failovers.last_mut() {
                f.restored_at = Some(now);
            }
        }
    }

    pub(super) fn take_backup(&mut self, component: u32) {
        let now = self.now;
        let KindRt::Database(db) = &mut self.services[component as usize].kind else {
            return;
        };
        let Some(b) = db.backup else { return };
        db.last_backup = now;
        db.writes_since_backup = 0;
        self.queue
            .schedule(now + b.interval, EventKind::Backup { component });
    }
}

fn pick_weighted(components: &[(u32, f64)], ok: &dyn Fn(usize) -> bool, rng: &mut Stream) -> usize {
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
