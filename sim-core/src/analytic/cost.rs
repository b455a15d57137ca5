//! The model's monthly cost: the usage the model predicts (instances as provisioned, arrivals,
//! busy slots, messages stored, bytes across zones, links, NAT and to users) priced by the same
//! function as a run's usage ([`crate::cost::price`]).

use super::ComponentModel;
use super::flows::Model;
use super::network;
use crate::cost::price_book::Plan;
use crate::cost::{ComponentUsage, Usage, price};
use crate::scenario::ComponentKind;
use std::collections::BTreeMap;

/// The model's monthly cost.
pub struct Monthly {
    pub usd_per_month: f64,
    /// Exactly what a run without failures costs (see [`super::Analysis::cost_exact`]).
    pub exact: bool,
    pub by_category: BTreeMap<String, f64>,
    pub by_component: BTreeMap<String, f64>,
}

pub fn monthly(m: &Model, components: &[ComponentModel]) -> Monthly {
    let u = usage(m, components);
    let (by_component, by_category) = price(m.s, &u);
    let total = by_category.values().fold(0.0, |a, b| a + b);
    let usage_priced = ["functions", "queues", "object_storage", "egress", "nat"]
        .iter()
        .any(|k| by_category.get(*k).is_some_and(|v| *v > 0.0));
    let churn =
        m.s.components.iter().any(|c| {
            c.autoscale.is_some() || c.billing.as_ref().is_some_and(|b| b.plan == Plan::Spot)
        });
    Monthly {
        usd_per_month: total,
        exact: !usage_priced && !churn,
        by_category,
        by_component,
    }
}

/// An object store's reads (`write` false) or writes per second served, from the arrivals of each
/// operation; 0 for other kinds.
fn object_store_rate(m: &Model, c: usize, write: bool) -> f64 {
    let ComponentKind::ObjectStore(o) = &m.s.components[c].kind else {
        return 0.0;
    };
    let rate: f64 = (0..m.slots)
        .filter(|&slot| m.op(slot).is_some_and(|op| o.write_ops.contains(&op)) == write)
        .map(|slot| m.lam[c][slot])
        .sum();
    rate * m.admitted(c)
}

/// The usage the model predicts, in the cost model's terms.
pub fn usage(m: &Model, components: &[ComponentModel]) -> Usage {
    let s = m.s;
    let comps = s
        .components
        .iter()
        .zip(components)
        .enumerate()
        .map(|(c, (comp, cm))| {
            let provisioned = comp.station.replicas as f64;
            ComponentUsage {
                instances_mean: match comp.autoscale {
                    Some(a) => provisioned.clamp(a.min as f64, a.max.max(a.min) as f64),
                    None => provisioned,
                },
                arrivals_per_sec: cm.arrival_rps,
                busy_mean: cm.busy_mean,
                enqueued_per_sec: match comp.kind {
                    ComponentKind::Queue(_) => cm.arrival_rps * m.admitted(c),
                    ComponentKind::Service
                    | ComponentKind::External
                    | ComponentKind::LoadBalancer(_)
                    | ComponentKind::Dns(_)
                    | ComponentKind::Cache(_)
                    | ComponentKind::Database(_)
                    | ComponentKind::Function(_)
                    | ComponentKind::ObjectStore(_) => 0.0,
                },
                reads_per_sec: object_store_rate(m, c, false),
                writes_per_sec: object_store_rate(m, c, true),
            }
        })
        .collect();
    let mut u = Usage {
        components: comps,
        inter_region_bps: vec![0.0; s.network.links.len()],
        ..Usage::default()
    };
    for f in &m.calls {
        let from = match f.from_client {
            Some(p) => vec![(p, 1.0)],
            None => m.from[f.caller].clone(),
        };
        let bytes = f.per_sec * (f.request_bytes + f.response_bytes);
        let (zone, links) = network::crossings(s, &from, f.callee, m.op(f.slot));
        u.inter_zone_bps += bytes * zone;
        for (i, share) in links.iter().enumerate() {
            u.inter_region_bps[i] += bytes * share;
        }
        let external = matches!(s.components[f.callee].kind, ComponentKind::External);
        if external {
            let placed: f64 = from
                .iter()
                .filter(|p| p.0.region.is_some())
                .map(|p| p.1)
                .sum();
            u.nat_bps += bytes * placed;
        }
    }
    u.internet_out_bps = s
        .workloads
        .iter()
        .enumerate()
        .map(|(w, wl)| m.rate[w] * wl.response_size)
        .sum();
    u
}
