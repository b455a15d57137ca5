//! What component kinds do beyond being a station, at run time: balancers and DNS (health checks,
//! rate limits, TTL-stale answers), caches (hit or miss, LRU with TTL, flushes), queues (messages,
//! visibility timeouts, redelivery, dead letters), databases (primary and replicas, replication
//! logs, failover, lost writes, backups) and functions (warm instances and cold starts).
//!
//! Each behaviour is a mechanism: a dead target gets traffic until the checks notice; a flushed
//! cache sends every lookup to its backing store until keys come back; an asynchronous replica that
//! has not applied a write when the primary dies loses it.
//!
//! This file holds what each kind remembers at run time (its state and the small operations on it
//! alone); what it does to the run is in `kinds.rs`.

use super::call_state::{CallRt, Callee};
use super::ids::{CallId, ComponentId, DeliveryId, InstanceId, KeyId, OpId, WorkloadId};
use crate::dist::Dist;
use crate::rng::Stream;
use crate::scenario::{
    Backup, Balancer, BalancerPolicy, Cache, CacheModel, ComponentKind, Failover, HealthCheck,
    ReadsFrom, Replication, Scenario,
};

use super::object_store::ObjectStoreRt;
use super::result::FailoverRecord;
use crate::stats::histogram::DurationHistogram;
use crate::time::SimTime;
use std::collections::VecDeque;

pub(super) enum KindRt {
    Plain,
    Balancer(Box<BalancerRt>),
    Cache(Box<CacheRt>),
    Broker(Box<BrokerRt>),
    Database(Box<DbRt>),
    Function(Box<FunctionRt>),
    ObjectStore(Box<ObjectStoreRt>),
}

impl KindRt {
    pub fn new(
        s: &Scenario,
        component: usize,
        first_instance: InstanceId,
        calls: &mut Vec<CallRt>,
        rng: Stream,
    ) -> KindRt {
        let c = &s.components[component];
        match &c.kind {
            ComponentKind::Service | ComponentKind::External => KindRt::Plain,
            ComponentKind::LoadBalancer(b) | ComponentKind::Dns(b) => {
                let dns = matches!(c.kind, ComponentKind::Dns(_));
                calls.push(CallRt {
                    to: Callee::Forward,
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
                    CallId::new(calls.len() - 1),
                    rng,
                )))
            }
            ComponentKind::Cache(cache) => KindRt::Cache(Box::new(CacheRt::new(cache, rng))),
            ComponentKind::Queue(q) => KindRt::Broker(Box::new(BrokerRt {
                consumers: ComponentId::new(q.consumers),
                max_depth: q.max_depth.unwrap_or(u64::MAX),
                visibility_timeout: q.visibility_timeout,
                max_receives: q.max_receives,
                messages: VecDeque::new(),
                deliveries: Vec::new(),
                free: Vec::new(),
                stats: BrokerStats::default(),
            })),
            ComponentKind::Database(d) => {
                KindRt::Database(Box::new(DbRt::new(d, first_instance, rng)))
            }
            ComponentKind::Function(f) => KindRt::Function(Box::new(FunctionRt {
                cold_start: f.cold_start.clone(),
                keep_warm: f.keep_warm,
                warm: Vec::new(),
                rng,
                cold_starts: 0,
                warm_starts: 0,
            })),
            ComponentKind::ObjectStore(o) => {
                KindRt::ObjectStore(Box::new(ObjectStoreRt::new(o, rng)))
            }
        }
    }
}

impl DbRt {
    /// A database's state at the start: node 0 is the primary, no node has applied a write yet.
    fn new(d: &crate::scenario::Database, first_instance: InstanceId, rng: Stream) -> DbRt {
        let replicas = d.nodes.len() - 1;
        DbRt {
            write_ops: d.write_ops.iter().map(|&o| OpId::new(o)).collect(),
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
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Balancers and DNS

/// What a balancer knows of one target (an instance for a load balancer, a component for DNS).
#[derive(Clone, Copy, Debug)]
pub(super) struct TargetHealth {
    pub healthy: bool,
    pub(super) fails: u32,
    pub(super) oks: u32,
}

pub(super) struct BalancerRt {
    pub dns: bool,
    pub policy: BalancerPolicy,
    pub check: Option<HealthCheck>,
    pub ttl: SimTime,
    pub forward_call: CallId,
    /// Target components with their weights.
    pub components: Vec<(ComponentId, f64)>,
    /// Load balancer: every instance of every target component, with the target's index.
    pub instances: Vec<(InstanceId, u32)>,
    /// One per entry of `instances` (load balancer) or of `components` (DNS).
    pub health: Vec<TargetHealth>,
    pub rr: u32,
    /// The bucket for all requests (`rate_limit`).
    pub(super) global: Option<super::usage_plans::Bucket>,
    /// Per workload: its usage plan's bucket, if it has one.
    pub(super) plans: Vec<Option<super::usage_plans::Bucket>>,
    /// DNS: when the healthy set last changed, and the set clients may still have cached.
    pub(super) changed_at: Option<SimTime>,
    pub(super) previous: Vec<bool>,
    pub(super) rng: Stream,
    pub throttled: u64,
    /// Per workload: requests answered 429 (by its plan or the global bucket).
    pub throttled_by: Vec<u64>,
}

impl BalancerRt {
    pub(super) fn new(
        s: &Scenario,
        b: &Balancer,
        dns: bool,
        forward_call: CallId,
        rng: Stream,
    ) -> BalancerRt {
        let components: Vec<(ComponentId, f64)> = b
            .targets
            .iter()
            .map(|t| (ComponentId::new(t.component), t.weight))
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
                instances.extend(
                    super::ids::span(InstanceId::new(first[t.component] as usize), n)
                        .map(|i| (i, ti as u32)),
                );
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
    pub fn admit(&mut self, now: SimTime, workload: WorkloadId) -> bool {
        let w = workload.index();
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
    pub(super) fn view(&mut self, now: SimTime) -> Vec<bool> {
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
    pub(super) model: CacheModel,
    pub(super) rng: Stream,
    /// Zipf CDF over key ranks (key model only).
    pub(super) cdf: Vec<f64>,
    /// When each key was stored (`u64::MAX`: absent).
    pub(super) stored: Vec<SimTime>,
    /// The LRU list, most recent first: each key's neighbours, and its ends.
    pub(super) prev: Vec<Option<KeyId>>,
    pub(super) next: Vec<Option<KeyId>>,
    pub(super) head: Option<KeyId>,
    pub(super) tail: Option<KeyId>,
    pub(super) size: u32,
    pub hits: u64,
    pub misses: u64,
    pub window_hits: u64,
    pub window_misses: u64,
}

impl CacheRt {
    pub(super) fn new(c: &Cache, rng: Stream) -> CacheRt {
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
            prev: vec![None; n],
            next: vec![None; n],
            head: None,
            tail: None,
            size: 0,
            hits: 0,
            misses: 0,
            window_hits: 0,
            window_misses: 0,
        }
    }

    /// Looks a request up: `Ok(())` for a hit, `Err(key)` for a miss (no key under a ratio model).
    pub fn lookup(&mut self, now: SimTime, measured: bool) -> Result<(), Option<KeyId>> {
        let result = match self.model {
            CacheModel::Ratio(r) => {
                if self.rng.uniform() < r {
                    Ok(())
                } else {
                    Err(None)
                }
            }
            CacheModel::Keys { ttl, .. } => {
                let u = self.rng.uniform();
                let key = KeyId::new(self.cdf.partition_point(|&c| c < u).min(self.cdf.len() - 1));
                let at = self.stored[key];
                if at != u64::MAX && ttl.is_none_or(|t| now < at.saturating_add(t)) {
                    self.unlink(key);
                    self.push_front(key);
                    Ok(())
                } else {
                    Err(Some(key))
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
    pub fn fill(&mut self, key: KeyId, now: SimTime) {
        let CacheModel::Keys { capacity, .. } = self.model else {
            return;
        };
        if self.stored[key] != u64::MAX {
            self.unlink(key);
        } else if self.size == capacity {
            let victim = self
                .tail
                .expect("a full cache has a least recently used key");
            self.unlink(victim);
            self.stored[victim] = u64::MAX;
            self.size -= 1;
        }
        if self.stored[key] == u64::MAX {
            self.size += 1;
        }
        self.stored[key] = now;
        self.push_front(key);
    }

    pub fn flush(&mut self) {
        self.stored.fill(u64::MAX);
        self.prev.fill(None);
        self.next.fill(None);
        self.head = None;
        self.tail = None;
        self.size = 0;
    }

    pub(super) fn unlink(&mut self, k: KeyId) {
        let (p, n) = (self.prev[k], self.next[k]);
        match p {
            Some(p) => self.next[p] = n,
            None if self.head == Some(k) => self.head = n,
            None => {}
        }
        match n {
            Some(n) => self.prev[n] = p,
            None if self.tail == Some(k) => self.tail = p,
            None => {}
        }
        self.prev[k] = None;
        self.next[k] = None;
    }

    pub(super) fn push_front(&mut self, k: KeyId) {
        self.prev[k] = None;
        self.next[k] = self.head;
        if let Some(h) = self.head {
            self.prev[h] = Some(k);
        }
        self.head = Some(k);
        if self.tail.is_none() {
            self.tail = Some(k);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Queues

#[derive(Clone, Copy, Debug)]
pub(super) struct Message {
    pub(super) enqueued: SimTime,
    pub(super) receives: u32,
    pub(super) op: Option<OpId>,
    pub(super) workload: WorkloadId,
    pub(super) measured: bool,
}

#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Delivery {
    pub(super) message: Option<Message>,
    pub(super) generation: u32,
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
    pub consumers: ComponentId,
    pub(super) max_depth: u64,
    pub(super) visibility_timeout: SimTime,
    pub(super) max_receives: u32,
    pub(super) messages: VecDeque<Message>,
    pub(super) deliveries: Vec<Delivery>,
    pub(super) free: Vec<DeliveryId>,
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

/// What was known when the primary died, for the recovery decided later.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pending {
    pub failed_at: SimTime,
    /// Writes since the last backup, and the backup's age, at the failure (for a restore).
    pub(super) since_backup: u64,
    pub(super) backup_age: SimTime,
    /// No replica could be promoted: the primary is being restored from the backup.
    pub(super) restoring: bool,
}

pub(super) struct DbRt {
    pub write_ops: Box<[OpId]>,
    pub replication: Replication,
    pub(super) lag: Dist,
    pub(super) apply_time: Dist,
    pub read_time: Dist,
    pub(super) write_time: Dist,
    pub(super) reads: ReadsFrom,
    pub(super) failover: Option<Failover>,
    pub(super) backup: Option<Backup>,
    pub extra_lag: SimTime,
    pub rng: Stream,
    pub first_instance: InstanceId,
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
    pub(super) writes_since_backup: u64,
    pub(super) last_backup: SimTime,
    pub(super) rr: u32,
    pub stats: DbStats,
}

impl DbRt {
    /// Whether a request of operation `op` writes.
    #[inline]
    pub fn writes(&self, op: Option<OpId>) -> bool {
        op.is_some_and(|o| self.write_ops.contains(&o))
    }

    /// The replica to promote when detection and promotion are over: the first up in promotion
    /// order (with automatic failover), or for a quorum the most up to date of those up. `None`:
    /// a quorum without a majority up, which elects no one until one is back.
    pub(super) fn candidate(&mut self, up: &[bool], failed_at: SimTime) -> Option<Option<usize>> {
        let n = self.applied.len();
        let promotable = self.failover.is_some_and(|f| f.automatic);
        match self.replication {
            Replication::Quorum { .. } => {
                let live = up.iter().filter(|&&u| u).count() as u32;
                self.awaiting_majority = live < Replication::majority(n as u32);
                (!self.awaiting_majority).then(|| most_up_to_date(self, up, failed_at))
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
    pub(super) cold_start: Dist,
    pub(super) keep_warm: SimTime,
    /// Idle warm instances: when each became idle (most recent last).
    pub(super) warm: Vec<SimTime>,
    pub(super) rng: Stream,
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

/// The `k`-th smallest of `values` (1-based; the largest when there are fewer than `k`).
pub(super) fn kth_smallest(values: &mut [SimTime], k: usize) -> SimTime {
    let k = k.clamp(1, values.len().max(1));
    if values.is_empty() {
        return 0;
    }
    *values.select_nth_unstable(k - 1).1
}

/// Whether node `node` has applied every write acknowledged by `now`.
pub(super) fn current(db: &DbRt, node: usize, now: SimTime) -> bool {
    node == db.primary as usize
        || !db.logs[node]
            .iter()
            .any(|&(acked, applied)| acked <= now && applied > now)
}

/// The live replica to elect: the one missing the fewest writes acknowledged before `failed_at`
/// (with a write quorum that meets every majority, one missing none), the first in promotion
/// order among equals.
pub(super) fn most_up_to_date(db: &DbRt, up: &[bool], failed_at: SimTime) -> Option<usize> {
    let n = db.applied.len();
    (1..n)
        .map(|k| (db.primary as usize + k) % n)
        .filter(|&r| up[r])
        .min_by_key(|&r| {
            db.logs[r]
                .iter()
                .filter(|&&(acked, applied)| acked <= failed_at && applied > failed_at)
                .count()
        })
}
