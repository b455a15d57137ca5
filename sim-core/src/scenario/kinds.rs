//! The parameters of each component kind beyond its station (see [`super::Component`]).

use super::ComponentId;
use crate::diagnostic::Span;
use crate::dist::Dist;
use crate::time::SimTime;

/// A `load_balancer` or `dns`: where it sends requests and how it learns that a target is dead.
#[derive(Clone, Debug)]
pub struct Balancer {
    pub targets: Vec<Target>,
    pub policy: BalancerPolicy,
    pub health_check: Option<HealthCheck>,
    pub rate_limit: Option<RateLimit>,
    /// Load balancer only: a token bucket of its own for each of these workloads.
    pub usage_plans: Vec<UsagePlan>,
    /// DNS only: how long clients keep an answer.
    pub ttl: SimTime,
    /// How long the balancer waits for a target before answering 504.
    pub timeout: Option<SimTime>,
}

#[derive(Clone, Copy, Debug)]
pub struct Target {
    pub component: ComponentId,
    pub weight: f64,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BalancerPolicy {
    RoundRobin,
    LeastOutstanding,
    /// Targets in proportion to their weights.
    Weighted,
    /// The target nearest (least network delay) to the client.
    Latency,
    /// The first healthy target in the list takes all traffic.
    Failover,
}

/// Active health checks: a probe every `interval`; a probe of a dead target fails after `timeout`;
/// a target is taken out after `unhealthy_after` failures in a row and back after `healthy_after`
/// successes. Until then, a dead target keeps receiving traffic.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HealthCheck {
    pub interval: SimTime,
    pub timeout: SimTime,
    pub unhealthy_after: u32,
    pub healthy_after: u32,
}

/// A token bucket: `per_sec` tokens a second up to `burst`; a request finding none is answered 429.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    pub per_sec: f64,
    pub burst: f64,
}

/// A usage plan: one workload's own token bucket at a load balancer, checked before the balancer's
/// `rate_limit` for all requests; its rejections are that workload's.
#[derive(Clone, Debug)]
pub struct UsagePlan {
    pub name: String,
    pub span: Span,
    pub workload: super::WorkloadId,
    pub limit: RateLimit,
}

/// A `cache`: hits are answered after the lookup; misses go to `on_miss`, and the answer is stored.
#[derive(Clone, Debug)]
pub struct Cache {
    pub model: CacheModel,
    /// Where misses go (none: a miss is answered like a hit, only slower by nothing).
    pub on_miss: Option<ComponentId>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CacheModel {
    /// A fixed share of lookups hit. There are no contents: nothing to flush.
    Ratio(f64),
    /// Requests ask for keys drawn from a Zipf law over `keys` keys; the cache keeps at most
    /// `capacity` entries (least recently used out first), each for `ttl`. The hit ratio emerges.
    Keys {
        keys: u32,
        capacity: u32,
        ttl: Option<SimTime>,
        zipf: f64,
    },
}

/// A `queue` (message broker): producers' calls return once the message is stored; the
/// `consumers` service takes messages as it has free slots.
#[derive(Clone, Debug)]
pub struct Broker {
    pub consumers: ComponentId,
    pub consumers_span: Span,
    /// Messages beyond this are refused (the producer's call fails).
    pub max_depth: Option<u64>,
    /// A message taken but not acknowledged within this time is delivered again.
    pub visibility_timeout: SimTime,
    /// After this many deliveries a message goes to the dead-letter queue.
    pub max_receives: u32,
}

/// A `database`: a primary and replicas, replication, failover and backups.
#[derive(Clone, Debug)]
pub struct Database {
    /// Node 0 is the primary; the others are replicas, in order of promotion.
    pub nodes: Vec<Node>,
    pub replication: Replication,
    /// Network and shipping delay of one replicated write.
    pub lag: Dist,
    /// Time a replica takes to apply one write (replicas apply in order, so lag grows under load).
    pub apply_time: Dist,
    pub read_time: Dist,
    pub write_time: Dist,
    pub reads: ReadsFrom,
    /// Operations that write (others read).
    pub write_ops: Vec<usize>,
    pub failover: Option<Failover>,
    pub backup: Option<Backup>,
    /// Data stored on each node, GB (for storage and backup cost).
    pub storage_gb: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Node {
    pub region: Option<usize>,
    pub zone: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Replication {
    /// A write is acknowledged once every live replica has applied it.
    Sync,
    /// A write is acknowledged at once; replicas apply it later.
    Async,
    /// A write is acknowledged once `write` nodes (the primary included) have applied it; a read
    /// waits for `read` nodes. Writes are refused while fewer than `write` nodes are up, reads
    /// while fewer than `read` are, and a new primary is elected only while a majority is up.
    Quorum { write: u32, read: u32 },
}

impl Replication {
    /// Nodes that make a majority of `nodes`.
    pub fn majority(nodes: u32) -> u32 {
        nodes / 2 + 1
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadsFrom {
    Primary,
    /// Replicas in turn (the primary if none is up).
    Replicas,
    /// The node nearest the caller.
    Nearest,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Failover {
    /// Time to notice the primary is gone.
    pub detection: SimTime,
    /// Time to promote a replica once noticed.
    pub promotion: SimTime,
    /// Without automatic failover the database waits for the primary to come back.
    pub automatic: bool,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backup {
    pub interval: SimTime,
    pub restore_time: SimTime,
}

/// A `function` (serverless): instances start on demand (cold start) and stay warm while used.
#[derive(Clone, Debug)]
pub struct Function {
    pub cold_start: Dist,
    pub keep_warm: SimTime,
    pub memory_mb: f64,
}

/// An `object_store` (blob storage): a read or a write by the request's operation, each with its
/// own latency; unlimited concurrency, billed per request and per GB stored.
#[derive(Clone, Debug)]
pub struct ObjectStore {
    pub read_time: Dist,
    pub write_time: Dist,
    /// Operations that write (others read).
    pub write_ops: Vec<usize>,
    /// Data stored, GB.
    pub storage_gb: f64,
}

/// Target tracking on utilisation: every `interval` the wanted instance count is
/// `ceil(up x utilisation / target)`, within `min..=max`; a scale-out takes effect after `delay` and
/// new instances serve after `startup`; scale-in waits `scale_in_cooldown` after the last scale-out.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Autoscale {
    pub min: u32,
    pub max: u32,
    pub target: f64,
    pub interval: SimTime,
    pub delay: SimTime,
    pub startup: SimTime,
    pub scale_in_cooldown: SimTime,
}
