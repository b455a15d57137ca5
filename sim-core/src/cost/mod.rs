//! Cost from simulated usage, in USD per month. Every figure is the run-rate of the measured window
//! (after the warm-up) extended to a month of `month_hours` (730 by convention): instance-hours as
//! autoscaling ran them, function requests and GB-seconds, bytes moved, load-balancer hours, stored
//! data, queue requests. Four `m5.xlarge` on demand all month cost 4 x 0.192 x 730.
//!
//! - [`price_book`]: the built-in prices, their sources, and the scenario's overrides.

#[allow(missing_docs)] // See lib.rs.
pub mod price_book;

use crate::engine::result::{KindResult, ReplicationResult};
use crate::scenario::{Component, ComponentKind, Scenario};
use price_book::PriceBook;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Cost in USD per month, in total, per component and per category (means over replications).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CostReport {
    /// The total: the run-rate of the measured window extended to a month.
    pub usd_per_month: f64,
    /// Components that cost something: instances, load-balancer hours, function and queue usage,
    /// storage.
    pub by_component: BTreeMap<String, f64>,
    /// `compute`, `database`, `cache`, `functions`, `load_balancers`, `queues`, `object_storage`,
    /// `storage`, `egress`, `nat`.
    pub by_category: BTreeMap<String, f64>,
    /// Hours in the month the run-rate is extended to (730 by convention).
    pub month_hours: f64,
}

/// What the cost model prices: the usage of one replication, or the analytic model's offered
/// usage. Rates are per measured second; one function ([`price`]) turns them into USD per month,
/// so the run's cost and the model's cannot drift apart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Usage {
    /// Index = component (scenario order).
    pub components: Vec<ComponentUsage>,
    /// Bytes per second between zones of one region.
    pub inter_zone_bps: f64,
    /// Bytes per second along each network link (in `network.links` order).
    pub inter_region_bps: Vec<f64>,
    /// Bytes per second from entries to users.
    pub internet_out_bps: f64,
    /// Bytes per second through a NAT gateway (placed components to `external` ones).
    pub nat_bps: f64,
}

/// One component's usage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ComponentUsage {
    /// Mean instances provisioned.
    pub instances_mean: f64,
    /// Requests arriving per second.
    pub arrivals_per_sec: f64,
    /// Mean busy slots (a function's GB-seconds are these times its memory).
    pub busy_mean: f64,
    /// Messages stored per second (a queue).
    pub enqueued_per_sec: f64,
    /// Reads served per second (an object store).
    pub reads_per_sec: f64,
    /// Writes served per second (an object store).
    pub writes_per_sec: f64,
}

impl Usage {
    /// What one replication used.
    pub fn of_run(r: &ReplicationResult) -> Usage {
        let measured = r.measured_s.max(1e-9);
        Usage {
            components: r
                .components
                .iter()
                .map(|res| {
                    let (reads, writes) =
                        if let KindResult::ObjectStore { reads, writes } = res.kind {
                            (reads, writes)
                        } else {
                            (0, 0)
                        };
                    ComponentUsage {
                        instances_mean: res.instances_mean,
                        arrivals_per_sec: res.arrivals_per_sec,
                        busy_mean: res.busy_mean,
                        enqueued_per_sec: if let KindResult::Queue { enqueued, .. } = res.kind {
                            enqueued as f64 / measured
                        } else {
                            0.0
                        },
                        reads_per_sec: reads as f64 / measured,
                        writes_per_sec: writes as f64 / measured,
                    }
                })
                .collect(),
            inter_zone_bps: r.traffic.inter_zone / measured,
            inter_region_bps: r
                .traffic
                .inter_region
                .iter()
                .map(|b| b / measured)
                .collect(),
            internet_out_bps: r.traffic.internet_out / measured,
            nat_bps: r.traffic.nat / measured,
        }
    }
}

/// Cost per component and per category of some usage (see the module docs).
pub type Priced = (BTreeMap<String, f64>, BTreeMap<String, f64>);

/// The monthly cost of `u`: by component and by category.
pub fn price(s: &Scenario, u: &Usage) -> Priced {
    let mut bill = Bill {
        month_s: s.prices.month_hours * 3600.0,
        by_component: BTreeMap::new(),
        by_category: BTreeMap::new(),
    };
    let none = ComponentUsage::default();
    for (i, c) in s.components.iter().enumerate() {
        bill.component(&s.prices, c, u.components.get(i).unwrap_or(&none));
    }
    bill.network(s, u);
    (bill.by_component, bill.by_category)
}

/// Monthly costs as they are added up, by component and by category.
struct Bill {
    /// Seconds in a month of the price book.
    month_s: f64,
    by_component: BTreeMap<String, f64>,
    by_category: BTreeMap<String, f64>,
}

impl Bill {
    /// A rate per measured second, per month.
    fn per_month(&self, per_measured_s: f64) -> f64 {
        per_measured_s * self.month_s
    }

    /// Adds `usd` (if positive) to `category`, and to `component` if the cost is one's.
    fn add(&mut self, component: Option<&str>, category: &str, usd: f64) {
        if usd > 0.0 {
            if let Some(c) = component {
                *self.by_component.entry(c.to_string()).or_default() += usd;
            }
            *self.by_category.entry(category.to_string()).or_default() += usd;
        }
    }

    /// Component `c`'s costs, from its usage `res`: its instances, then what its kind costs.
    fn component(&mut self, p: &PriceBook, c: &Component, res: &ComponentUsage) {
        let name = Some(c.name.as_str());
        if let Some(b) = &c.billing {
            self.add(
                name,
                c.kind.decl().cost.category,
                p.hourly(&b.instance, b.plan) * res.instances_mean * p.month_hours,
            );
        }
        match &c.kind {
            ComponentKind::LoadBalancer(_) => self.add(
                name,
                "load_balancers",
                p.load_balancer_per_hour * p.month_hours,
            ),
            ComponentKind::Database(d) => {
                let nodes = c.station.replicas as f64;
                self.add(
                    name,
                    "storage",
                    d.storage_gb * nodes * p.storage_per_gb_month,
                );
                if d.backup.is_some() {
                    self.add(name, "storage", d.storage_gb * p.backup_per_gb_month);
                }
            }
            ComponentKind::Function(f) => {
                let requests = self.per_month(res.arrivals_per_sec);
                let gb_seconds = self.per_month(res.busy_mean * f.memory_mb / 1024.0);
                self.add(
                    name,
                    "functions",
                    requests / 1e6 * p.function_per_million_requests
                        + gb_seconds * p.function_per_gb_second,
                );
            }
            ComponentKind::Queue(_) => {
                // Send, receive and delete: three requests per message.
                let requests = self.per_month(res.enqueued_per_sec * 3.0);
                self.add(
                    name,
                    "queues",
                    requests / 1e6 * p.queue_per_million_requests,
                );
            }
            ComponentKind::ObjectStore(o) => {
                let reads = self.per_month(res.reads_per_sec) / 1e6;
                let writes = self.per_month(res.writes_per_sec) / 1e6;
                self.add(
                    name,
                    "object_storage",
                    reads * p.object_store_per_million_reads
                        + writes * p.object_store_per_million_writes,
                );
                self.add(name, "storage", o.storage_gb * p.object_store_per_gb_month);
            }
            ComponentKind::Service
            | ComponentKind::External
            | ComponentKind::Dns(_)
            | ComponentKind::Cache(_) => {}
        }
    }

    /// The network's costs: egress between zones, regions and to the internet, and NAT.
    fn network(&mut self, s: &Scenario, u: &Usage) {
        let p = &s.prices;
        let gb = |bill: &Bill, bytes_per_s: f64| bill.per_month(bytes_per_s) / 1e9;
        self.add(
            None,
            "egress",
            gb(self, u.inter_zone_bps) * p.inter_zone_per_gb,
        );
        for (i, link) in s.network.links.iter().enumerate() {
            let price = if link.3 > 0.0 {
                link.3
            } else {
                p.inter_region_per_gb
            };
            let bps = u.inter_region_bps.get(i).copied().unwrap_or(0.0);
            self.add(None, "egress", gb(self, bps) * price);
        }
        self.add(
            None,
            "egress",
            gb(self, u.internet_out_bps) * p.internet_out_per_gb,
        );
        self.add(None, "nat", gb(self, u.nat_bps) * p.nat_per_gb);
        self.add(
            None,
            "nat",
            nat_gateways(s) as f64 * p.nat_per_hour * p.month_hours,
        );
    }
}

/// The monthly cost of what one replication did.
fn one(s: &Scenario, r: &ReplicationResult) -> Priced {
    price(s, &Usage::of_run(r))
}

/// The cost report: means over replications.
pub fn report(s: &Scenario, reps: &[ReplicationResult]) -> CostReport {
    let n = reps.len().max(1) as f64;
    let mut by_component = BTreeMap::new();
    let mut by_category = BTreeMap::new();
    for r in reps {
        let (c, k) = one(s, r);
        for (name, usd) in c {
            *by_component.entry(name).or_insert(0.0) += usd / n;
        }
        for (name, usd) in k {
            *by_category.entry(name).or_insert(0.0) += usd / n;
        }
    }
    CostReport {
        // A fold from +0.0: an empty `Sum` of floats is -0.0.
        usd_per_month: by_category.values().fold(0.0, |a, b| a + b),
        by_component,
        by_category,
        month_hours: s.prices.month_hours,
    }
}

/// NAT gateways `network.nat` runs all month: one per zone (or zoneless region) where a component
/// calling an `external` one is placed, or one per such region when shared.
fn nat_gateways(s: &Scenario) -> usize {
    use crate::scenario::topology::Nat;
    let Some(nat) = &s.network.nat else {
        return 0;
    };
    let mut places = std::collections::BTreeSet::new();
    for c in &s.components {
        let calls_out = c
            .station
            .calls()
            .any(|call| matches!(s.components[call.to].kind, ComponentKind::External));
        let Some(region) = c.region.filter(|_| calls_out) else {
            continue;
        };
        match nat {
            Nat::Shared { .. } => {
                places.insert((region, None));
            }
            Nat::PerZone if c.zones.is_empty() => {
                places.insert((region, None));
            }
            Nat::PerZone => places.extend(c.zones.iter().map(|&z| (region, Some(z)))),
        }
    }
    places.len()
}
