//! Loading the component kinds beyond `service` and `external`: `load_balancer`, `dns`, `cache`,
//! `queue`, `database`, `function`, and a service's `autoscale`.

use super::load::{Fields, Loader};
use super::*;
use crate::diagnostic::Diagnostic;
use crate::units;
use crate::yaml::{Node, Value};

pub const BALANCER_KEYS: &[&str] = decl::LOAD_BALANCER.keys;
pub const DNS_KEYS: &[&str] = decl::DNS.keys;
pub const CACHE_KEYS: &[&str] = decl::CACHE.keys;
pub const QUEUE_KEYS: &[&str] = decl::QUEUE.keys;
pub const DATABASE_KEYS: &[&str] = decl::DATABASE.keys;
pub const FUNCTION_KEYS: &[&str] = decl::FUNCTION.keys;
pub const AUTOSCALE_KEYS: &[&str] = &[
    "min",
    "max",
    "target",
    "interval",
    "delay",
    "startup",
    "scale_in_cooldown",
];

/// Largest key space of an emergent cache (its state is kept per key).
const MAX_CACHE_KEYS: u64 = super::ranges::CACHE_KEYS.max;

fn station(service_time: Dist) -> Service {
    Service {
        replicas: 1,
        concurrency: None,
        service_time,
        steps: Vec::new(),
        io_async: false,
        error_rate: 0.0,
        queue_limit: None,
        balance: Balance::RoundRobin,
        routing: Routing::Any,
    }
}

fn component(
    kind: ComponentKind,
    station: Service,
    region: Option<usize>,
    zones: Vec<usize>,
    failures: Option<Failures>,
) -> Component {
    Component {
        name: String::new(),
        span: Span::default(),
        kind,
        station,
        autoscale: None,
        billing: None,
        region,
        zones,
        failures,
    }
}

impl Loader {
    fn optional_duration(&mut self, f: &Fields, key: &str, default: SimTime) -> Option<SimTime> {
        match f.get(key) {
            None => Some(default),
            Some(v) => self.duration(v),
        }
    }

    fn optional_dist(&mut self, f: &Fields, key: &str, default: Dist) -> Option<Dist> {
        match f.get(key) {
            None => Some(default),
            Some(v) => self.dist(v),
        }
    }

    fn component_ref(&mut self, n: &Node, names: &[&str]) -> Option<ComponentId> {
        let name = self.scalar(n, "a component name")?;
        let id = names.iter().position(|&c| c == name);
        if id.is_none() {
            let mut d = Diagnostic::error(
                n.span,
                format!(
                    "unknown component `{name}`; expected one of: {}",
                    names.join(", ")
                ),
            );
            if let Some(s) = super::load::closest(name, names) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            self.diags.push(d);
        }
        id
    }

    /// `load_balancer` and `dns`.
    pub(super) fn balancer(
        &mut self,
        name: &str,
        n: &Node,
        names: &[&str],
        dns: bool,
    ) -> Option<Component> {
        let what = format!("{} `{name}`", if dns { "dns" } else { "load balancer" });
        let f = self.fields(n, &what, if dns { DNS_KEYS } else { BALANCER_KEYS })?;
        let targets_node = self.required(
            &f,
            "targets",
            &what,
            "a list of components, such as `[api_east, api_west]`",
        )?;
        let targets = self.targets(targets_node, names)?;
        let policy = self.balancer_policy(&f, dns)?;
        if policy == BalancerPolicy::Weighted && targets.iter().all(|t| t.weight == 0.0) {
            self.err(
                targets_node.span,
                "every weight is 0; expected at least one positive weight",
            );
            return None;
        }
        let health_check = match f.get("health_check") {
            None => None,
            Some(v) => Some(self.health_check(v)?),
        };
        let (rate_limit, usage_plans) = match f.get("rate_limit") {
            None => (None, Vec::new()),
            Some(v) => self.rate_limits(v)?,
        };
        let ttl = self.optional_duration(&f, "ttl", 60 * crate::time::NANOS_PER_SEC)?;
        let timeout = match f.get("timeout") {
            None => None,
            Some(v) => Some(self.duration(v)?),
        };
        let service_time = self.optional_dist(&f, "service_time", Dist::Constant(0))?;
        let (region, zones) = if dns {
            (None, Vec::new())
        } else {
            self.placement(&f)?
        };
        let failures = self.failures(&f)?;
        let b = Balancer {
            targets,
            policy,
            health_check,
            rate_limit,
            usage_plans,
            ttl,
            timeout,
        };
        let kind = if dns {
            ComponentKind::Dns(b)
        } else {
            ComponentKind::LoadBalancer(b)
        };
        Some(component(
            kind,
            station(service_time),
            region,
            zones,
            failures,
        ))
    }

    /// A balancer's `targets`: a non-empty list of component names or `{ to: name, weight: 3 }`.
    fn targets(&mut self, targets_node: &Node, names: &[&str]) -> Option<Vec<Target>> {
        let Value::Seq(items) = &targets_node.value else {
            self.err(
                targets_node.span,
                "expected `targets` to be a list of component names or `{ to: name, weight: 3 }`",
            );
            return None;
        };
        if items.is_empty() {
            self.err(
                targets_node.span,
                "`targets` is empty; expected at least one component",
            );
            return None;
        }
        let mut targets = Vec::new();
        for item in items {
            targets.push(self.target(item, names)?);
        }
        Some(targets)
    }

    /// One target: a component name (weight 1), or `{ to: name, weight: 3 }`.
    fn target(&mut self, item: &Node, names: &[&str]) -> Option<Target> {
        let (node, weight) = match &item.value {
            Value::Scalar { .. } => (item, 1.0),
            _ => {
                let tf = self.fields(item, "a target", &["to", "weight"])?;
                let to = self.required(&tf, "to", "the target", "a component name")?;
                let w = match tf.get("weight") {
                    None => 1.0,
                    Some(w) => self.unit(w, "a weight such as `3`", units::parse_number)?,
                };
                if w < 0.0 {
                    self.err(item.span, "a negative weight; expected zero or more");
                    return None;
                }
                (to, w)
            }
        };
        let component = self.component_ref(node, names)?;
        Some(Target {
            component,
            weight,
            span: node.span,
        })
    }

    /// A balancer's `policy`: failover by default for DNS, round robin for a load balancer (the
    /// only one that may balance by least outstanding requests).
    fn balancer_policy(&mut self, f: &Fields, dns: bool) -> Option<BalancerPolicy> {
        let Some(v) = f.get("policy") else {
            return Some(if dns {
                BalancerPolicy::Failover
            } else {
                BalancerPolicy::RoundRobin
            });
        };
        Some(match self.scalar(v, "a policy")? {
            "round_robin" => BalancerPolicy::RoundRobin,
            "least_outstanding" if !dns => BalancerPolicy::LeastOutstanding,
            "weighted" => BalancerPolicy::Weighted,
            "latency" => BalancerPolicy::Latency,
            "failover" => BalancerPolicy::Failover,
            other => {
                let list = if dns {
                    "round_robin, weighted, latency, failover"
                } else {
                    "round_robin, least_outstanding, weighted, latency, failover"
                };
                self.err(
                    v.span,
                    format!("unknown policy `{other}`; expected one of: {list}"),
                );
                return None;
            }
        })
    }

    fn health_check(&mut self, n: &Node) -> Option<HealthCheck> {
        let f = self.fields(
            n,
            "a health check",
            &["interval", "timeout", "unhealthy_after", "healthy_after"],
        )?;
        let interval = self.optional_duration(&f, "interval", 30 * crate::time::NANOS_PER_SEC)?;
        let timeout = self.optional_duration(&f, "timeout", 5 * crate::time::NANOS_PER_SEC)?;
        let unhealthy_after = match f.get("unhealthy_after") {
            None => 3,
            Some(v) => self.integer(v, "`unhealthy_after`", 1, 100)? as u32,
        };
        let healthy_after = match f.get("healthy_after") {
            None => 2,
            Some(v) => self.integer(v, "`healthy_after`", 1, 100)? as u32,
        };
        if let Some(why) = super::ranges::HEALTH_CHECK_INTERVAL.refuse(interval) {
            self.err(f.get("interval").map_or(n.span, |v| v.span), why);
            return None;
        }
        Some(HealthCheck {
            interval,
            timeout,
            unhealthy_after,
            healthy_after,
        })
    }

    pub(super) fn cache(&mut self, name: &str, n: &Node, names: &[&str]) -> Option<Component> {
        let what = format!("cache `{name}`");
        let f = self.fields(n, &what, CACHE_KEYS)?;
        let model = self.cache_model(&f, &what)?;
        let on_miss = match f.get("on_miss") {
            None => None,
            Some(v) => Some(self.component_ref(v, names)?),
        };
        let mut st = station(self.optional_dist(
            &f,
            "service_time",
            Dist::Constant(crate::time::NANOS_PER_MILLI / 2),
        )?);
        if let Some(v) = f.get("replicas") {
            st.replicas = self.integer(v, "`replicas`", 1, 10_000)? as u32;
        }
        if let Some(v) = f.get("concurrency") {
            st.concurrency = if v.as_scalar() == Some("unlimited") {
                None
            } else {
                Some(self.integer(v, "`concurrency`", 1, 1_000_000)? as u32)
            };
        }
        if let Some(m) = on_miss {
            st.steps = vec![Step::Call(Call {
                to: m,
                span: f.get("on_miss").map_or(f.span, |n| n.span),
                timeout: None,
                retry: None,
                circuit_breaker: None,
                probability: 1.0,
                ops: Vec::new(),
                request_size: None,
                response_size: None,
                routing: None,
            })];
        }
        let (region, zones) = self.placement(&f)?;
        let failures = self.failures(&f)?;
        let mut c = component(
            ComponentKind::Cache(Cache { model, on_miss }),
            st,
            region,
            zones,
            failures,
        );
        c.billing = self.billing(&f)?;
        Some(c)
    }

    /// A cache's model: a fixed `hit_ratio`, or `keys` with `capacity`, `ttl` and `zipf`.
    fn cache_model(&mut self, f: &Fields, what: &str) -> Option<CacheModel> {
        match (f.get("hit_ratio"), f.get("keys")) {
            (Some(h), None) => {
                for k in ["capacity", "ttl", "zipf"] {
                    if let Some(x) = f.get(k) {
                        self.err(x.span, format!("`{k}` belongs to the key model (with `keys`); {what} has a fixed `hit_ratio`"));
                        return None;
                    }
                }
                Some(CacheModel::Ratio(self.unit(
                    h,
                    "a share such as `90%`",
                    units::parse_fraction,
                )?))
            }
            (None, Some(k)) => self.key_model(f, k),
            (Some(_), Some(k)) => {
                self.err(k.span, format!("{what} has both `hit_ratio` and `keys`; expected one: a fixed ratio, or a key model"));
                None
            }
            (None, None) => {
                self.err(f.span, format!("{what} has neither `hit_ratio` nor `keys`; expected `hit_ratio: 90%`, or `keys` with `capacity`, `ttl` and `zipf`"));
                None
            }
        }
    }

    /// The key model: `keys` (the node `k`), `capacity` (at most the keys), `ttl` and `zipf`.
    fn key_model(&mut self, f: &Fields, k: &Node) -> Option<CacheModel> {
        let keys = self.integer(k, "`keys`", 1, MAX_CACHE_KEYS)? as u32;
        let capacity = match f.get("capacity") {
            None => keys,
            Some(c) => self
                .integer(c, "`capacity` (entries)", 1, MAX_CACHE_KEYS)?
                .min(keys as u64) as u32,
        };
        let ttl = match f.get("ttl") {
            None => None,
            Some(t) => Some(self.duration(t)?),
        };
        let zipf = match f.get("zipf") {
            None => 1.0,
            Some(z) => {
                let x = self.unit(z, "a Zipf exponent such as `1.0`", units::parse_number)?;
                if !(0.0..=5.0).contains(&x) {
                    self.err(
                        z.span,
                        format!("Zipf exponent {x}; expected a number from 0 (uniform) to 5"),
                    );
                    return None;
                }
                x
            }
        };
        Some(CacheModel::Keys {
            keys,
            capacity,
            ttl,
            zipf,
        })
    }

    pub(super) fn broker(&mut self, name: &str, n: &Node, names: &[&str]) -> Option<Component> {
        let what = format!("queue `{name}`");
        let f = self.fields(n, &what, QUEUE_KEYS)?;
        let c = self.required(
            &f,
            "consumers",
            &what,
            "the service that processes its messages",
        )?;
        let consumers = self.component_ref(c, names)?;
        let max_depth = match f.get("max_depth") {
            None => None,
            Some(v) => Some(self.integer(v, "`max_depth`", 1, 1_000_000_000)?),
        };
        let visibility_timeout =
            self.optional_duration(&f, "visibility_timeout", 30 * crate::time::NANOS_PER_SEC)?;
        let max_receives = match f.get("max_receives") {
            None => 3,
            Some(v) => self.integer(v, "`max_receives`", 1, 1000)? as u32,
        };
        let st = station(self.optional_dist(
            &f,
            "service_time",
            Dist::Constant(crate::time::NANOS_PER_MILLI),
        )?);
        let (region, zones) = self.placement(&f)?;
        let failures = self.failures(&f)?;
        Some(component(
            ComponentKind::Queue(Broker {
                consumers,
                consumers_span: c.span,
                max_depth,
                visibility_timeout,
                max_receives,
            }),
            st,
            region,
            zones,
            failures,
        ))
    }

    fn node(&mut self, n: &Node) -> Option<super::Node> {
        let f = self.fields(n, "a database node", &["region", "zone"])?;
        let (region, zones) = self.placement(&f)?;
        Some(super::Node {
            region,
            zone: zones.first().copied(),
        })
    }

    pub(super) fn database(&mut self, name: &str, n: &Node) -> Option<Component> {
        let what = format!("database `{name}`");
        let f = self.fields(n, &what, DATABASE_KEYS)?;
        let nodes = self.database_nodes(&f)?;
        let replication = self.replication(&f, nodes.len() as u32)?;
        let ms = crate::time::NANOS_PER_MILLI;
        let lag = self.optional_dist(
            &f,
            "lag",
            Dist::Exponential {
                mean_ns: 10.0 * ms as f64,
            },
        )?;
        let read_time = self.optional_dist(
            &f,
            "read_time",
            Dist::Exponential {
                mean_ns: 2.0 * ms as f64,
            },
        )?;
        let write_time = self.optional_dist(
            &f,
            "write_time",
            Dist::Exponential {
                mean_ns: 5.0 * ms as f64,
            },
        )?;
        let apply_time = self.optional_dist(&f, "apply_time", write_time.clone())?;
        let reads = self.read_routing(&f)?;
        let write_ops = self.write_ops(&f)?;
        let failover = match f.get("failover") {
            None => None,
            Some(v) => Some(self.failover(v)?),
        };
        // A quorum elects its next primary by itself: automatically, by default.
        let failover = match (failover, replication) {
            (None, Replication::Quorum { .. }) => Some(Failover {
                detection: 30 * crate::time::NANOS_PER_SEC,
                promotion: 60 * crate::time::NANOS_PER_SEC,
                automatic: true,
            }),
            (f, _) => f,
        };
        let backup = match f.get("backup") {
            None => None,
            Some(v) => Some(self.backup(v)?),
        };
        let st = self.database_station(&f, read_time.clone(), nodes.len() as u32)?;
        let db = Database {
            nodes,
            replication,
            lag,
            apply_time,
            read_time,
            write_time,
            reads,
            write_ops,
            failover,
            backup,
            storage_gb: match f.get("storage") {
                None => 0.0,
                Some(v) => self.unit(v, "a size such as `500GB`", units::parse_size)? / 1e9,
            },
        };
        // Placement is per node; the component's own region is the primary's.
        let region = db.nodes[0].region;
        let failures = self.failures(&f)?;
        let mut c = component(
            ComponentKind::Database(db),
            st,
            region,
            Vec::new(),
            failures,
        );
        c.billing = self.billing(&f)?;
        Some(c)
    }

    /// A database's nodes: the `primary`, then its `replicas`, a list of places or a count of
    /// replicas placed like the primary.
    fn database_nodes(&mut self, f: &Fields) -> Option<Vec<super::Node>> {
        let mut nodes = vec![match f.get("primary") {
            None => super::Node {
                region: None,
                zone: None,
            },
            Some(p) => self.node(p)?,
        }];
        if let Some(r) = f.get("replicas") {
            match &r.value {
                Value::Seq(items) => {
                    for item in items {
                        nodes.push(self.node(item)?);
                    }
                }
                _ => {
                    // `replicas: 2` replicas placed like the primary.
                    let count = self.integer(
                        r,
                        "`replicas` (a count, or a list of `{ region, zone }`)",
                        0,
                        100,
                    )?;
                    for _ in 0..count {
                        nodes.push(nodes[0]);
                    }
                }
            }
        }
        Some(nodes)
    }

    /// `reads:` from the `primary` (the default), the `replicas` or the `nearest` node.
    fn read_routing(&mut self, f: &Fields) -> Option<ReadsFrom> {
        let Some(v) = f.get("reads") else {
            return Some(ReadsFrom::Primary);
        };
        match self.scalar(v, "`primary`, `replicas` or `nearest`")? {
            "primary" => Some(ReadsFrom::Primary),
            "replicas" => Some(ReadsFrom::Replicas),
            "nearest" => Some(ReadsFrom::Nearest),
            other => {
                self.err(v.span, format!("unknown read routing `{other}`; expected `primary`, `replicas` or `nearest`"));
                None
            }
        }
    }

    /// `write_ops:`, the operations that write (`[write]` by default), interned.
    pub(super) fn write_ops(&mut self, f: &Fields) -> Option<Vec<usize>> {
        let Some(v) = f.get("write_ops") else {
            return Some(vec![self.op("write")]);
        };
        let Value::Seq(items) = &v.value else {
            self.err(
                v.span,
                "expected `write_ops` to be a list of operation names, such as `[write, update]`",
            );
            return None;
        };
        let mut ops = Vec::new();
        for i in items {
            let name = self.scalar(i, "an operation name")?.to_string();
            ops.push(self.op(&name));
        }
        Some(ops)
    }

    /// `failover: { detection, promotion, automatic }`.
    fn failover(&mut self, v: &Node) -> Option<Failover> {
        let ff = self.fields(
            v,
            "a failover policy",
            &["detection", "promotion", "automatic"],
        )?;
        let detection =
            self.optional_duration(&ff, "detection", 30 * crate::time::NANOS_PER_SEC)?;
        let promotion =
            self.optional_duration(&ff, "promotion", 60 * crate::time::NANOS_PER_SEC)?;
        let automatic = match ff.get("automatic") {
            None => true,
            Some(a) => match self.scalar(a, "`true` or `false`")? {
                "true" | "yes" => true,
                "false" | "no" => false,
                other => {
                    self.err(
                        a.span,
                        format!("expected `true` or `false`, found `{other}`"),
                    );
                    return None;
                }
            },
        };
        Some(Failover {
            detection,
            promotion,
            automatic,
        })
    }

    /// `backup: { interval, restore_time }`.
    fn backup(&mut self, v: &Node) -> Option<Backup> {
        let bf = self.fields(v, "a backup policy", &["interval", "restore_time"])?;
        let interval = self
            .required(
                &bf,
                "interval",
                "the backup policy",
                "a duration such as `24h`",
            )
            .and_then(|x| self.duration(x))?;
        let restore_time = self
            .required(
                &bf,
                "restore_time",
                "the backup policy",
                "a duration such as `2h`",
            )
            .and_then(|x| self.duration(x))?;
        if let Some(why) = super::ranges::BACKUP_INTERVAL.refuse(interval) {
            self.err(bf.get("interval").map_or(v.span, |x| x.span), why);
            return None;
        }
        Some(Backup {
            interval,
            restore_time,
        })
    }

    /// A database's station: one replica per node, each with a `pool` of connections, and an
    /// optional `queue_limit`.
    fn database_station(&mut self, f: &Fields, read_time: Dist, nodes: u32) -> Option<Service> {
        let mut st = station(read_time);
        st.replicas = nodes;
        st.concurrency = Some(match f.get("pool") {
            None => 100,
            Some(v) => self.integer(v, "`pool` (connections per node)", 1, 100_000)? as u32,
        });
        if let Some(v) = f.get("queue_limit") {
            st.queue_limit = Some(self.integer(v, "`queue_limit`", 0, 1_000_000_000)? as u32);
        }
        Some(st)
    }

    pub(super) fn function(&mut self, name: &str, n: &Node, names: &[&str]) -> Option<Component> {
        let what = format!("function `{name}`");
        let f = self.fields(n, &what, FUNCTION_KEYS)?;
        let service_time = self
            .required(&f, "service_time", &what, "a duration or distribution")
            .and_then(|v| self.dist(v))?;
        let limit = match f.get("concurrency_limit") {
            None => 1000,
            Some(v) => self.integer(v, "`concurrency_limit`", 1, 1_000_000)? as u32,
        };
        let cold_start = self.optional_dist(
            &f,
            "cold_start",
            Dist::Constant(300 * crate::time::NANOS_PER_MILLI),
        )?;
        let keep_warm =
            self.optional_duration(&f, "keep_warm", 600 * crate::time::NANOS_PER_SEC)?;
        let memory_mb = match f.get("memory") {
            None => 512.0,
            Some(v) => self.unit(v, "a size such as `512MB`", units::parse_size)? / 1e6,
        };
        let steps = match f.get("calls") {
            None => Vec::new(),
            Some(v) => self.steps(v, names)?,
        };
        let mut st = station(service_time);
        st.concurrency = Some(limit);
        st.queue_limit = Some(0);
        st.steps = steps;
        let (region, zones) = self.placement(&f)?;
        let failures = self.failures(&f)?;
        Some(component(
            ComponentKind::Function(Function {
                cold_start,
                keep_warm,
                memory_mb,
            }),
            st,
            region,
            zones,
            failures,
        ))
    }

    pub(super) fn autoscale(&mut self, n: &Node) -> Option<Autoscale> {
        let f = self.fields(n, "an autoscaling policy", AUTOSCALE_KEYS)?;
        let min = self
            .required(&f, "min", "autoscale", "the fewest instances")
            .and_then(|v| self.integer(v, "`min`", 1, 10_000))? as u32;
        let maxn = self.required(&f, "max", "autoscale", "the most instances")?;
        let max = self.integer(maxn, "`max`", 1, 10_000)? as u32;
        if max < min {
            self.err(
                maxn.span,
                format!("`max` {max} is below `min` {min}; expected max >= min"),
            );
            return None;
        }
        let target = match f.get("target") {
            None => 0.7,
            Some(v) => {
                let t = self.unit(v, "a utilisation such as `70%`", units::parse_fraction)?;
                if t <= 0.0 {
                    self.err(
                        v.span,
                        "a target utilisation of 0; expected more, such as `70%`",
                    );
                    return None;
                }
                t
            }
        };
        let s = crate::time::NANOS_PER_SEC;
        let interval = self.optional_duration(&f, "interval", 15 * s)?;
        if let Some(why) = super::ranges::AUTOSCALE_INTERVAL.refuse(interval) {
            let at = f.get("interval").map_or(n.span, |v| v.span);
            self.err(at, why);
            return None;
        }
        let delay = self.optional_duration(&f, "delay", 60 * s)?;
        let startup = self.optional_duration(&f, "startup", 90 * s)?;
        let scale_in_cooldown = self.optional_duration(&f, "scale_in_cooldown", 300 * s)?;
        Some(Autoscale {
            min,
            max,
            target,
            interval,
            delay,
            startup,
            scale_in_cooldown,
        })
    }
}

impl Loader {
    /// `instance: m5.xlarge` and `pricing: on_demand|reserved_1y|reserved_3y|spot`.
    pub(super) fn billing(&mut self, f: &Fields) -> Option<Option<Billing>> {
        use crate::cost::price_book::Plan;
        let plan = match f.get("pricing") {
            None => Plan::OnDemand,
            Some(v) => {
                let name = self.scalar(v, "a pricing plan")?;
                match Plan::ALL.iter().find(|(n, _)| *n == name) {
                    Some((_, p)) => *p,
                    None => {
                        self.err(v.span, format!("unknown pricing plan `{name}`; expected one of: on_demand, reserved_1y, reserved_3y, spot"));
                        return None;
                    }
                }
            }
        };
        let Some(i) = f.get("instance") else {
            if let Some(v) = f.get("pricing") {
                self.err(
                    v.span,
                    "`pricing` needs an `instance` type beside it, such as `instance: m5.xlarge`",
                );
                return None;
            }
            return Some(None);
        };
        let instance = self
            .scalar(i, "an instance type such as `m5.xlarge`")?
            .to_string();
        Some(Some(Billing { instance, plan }))
    }
}
