//! Where instances are, for the model: the mean one-way delay between a caller's instances and the
//! instances a call reaches, and the shares of bytes that cross zones and region links (for egress
//! cost). Instances are placed as the engine places them (a database's nodes where they are; other
//! components' instances over their zones in turn) and calls spread evenly over the callee's
//! instances (a database's writes go to the primary, its reads as `reads:` says).

pub use crate::scenario::topology::Place;
use crate::scenario::{ComponentId, ComponentKind, ReadsFrom, Scenario};

/// Distinct places with the share of instances (or of requests) at each, in first-seen order.
pub type Spread = Vec<(Place, f64)>;

/// Adds `weight` at place `p`.
fn add(v: &mut Spread, p: Place, weight: f64) {
    match v.iter_mut().find(|(q, _)| *q == p) {
        Some(x) => x.1 += weight,
        None => v.push((p, weight)),
    }
}

/// Places of a database's nodes, node by node.
pub fn node_places(s: &Scenario, c: ComponentId) -> Vec<Place> {
    match &s.components[c].kind {
        ComponentKind::Database(d) => d
            .nodes
            .iter()
            .map(|n| Place {
                region: n.region.map(|r| r as u16),
                zone: n.zone.map(|z| z as u16),
            })
            .collect(),
        ComponentKind::Service
        | ComponentKind::External
        | ComponentKind::LoadBalancer(_)
        | ComponentKind::Dns(_)
        | ComponentKind::Cache(_)
        | ComponentKind::Queue(_)
        | ComponentKind::Function(_)
        | ComponentKind::ObjectStore(_) => Vec::new(),
    }
}

/// Where a component's instances are (counted without listing them: replicas may be many).
pub fn spread(s: &Scenario, c: ComponentId) -> Spread {
    let comp = &s.components[c];
    let nodes = node_places(s, c);
    let mut v = Spread::new();
    if !nodes.is_empty() {
        let n = nodes.len() as f64;
        for p in nodes {
            add(&mut v, p, 1.0 / n);
        }
        return v;
    }
    let r = comp.station.replicas.max(1) as usize;
    let region = comp.region.map(|x| x as u16);
    if comp.zones.is_empty() {
        return vec![(Place { region, zone: None }, 1.0)];
    }
    let z = comp.zones.len();
    for (k, &zone) in comp.zones.iter().enumerate().take(r) {
        let count = r / z + usize::from(k < r % z);
        add(
            &mut v,
            Place {
                region,
                zone: Some(zone as u16),
            },
            count as f64 / r as f64,
        );
    }
    v
}

/// Instances in all (a database's nodes).
pub fn instances(s: &Scenario, c: ComponentId) -> usize {
    let nodes = node_places(s, c).len();
    if nodes > 0 {
        nodes
    } else {
        s.components[c].station.replicas.max(1) as usize
    }
}

/// Where requests of operation `op` (None: no named op) from `from` go among `callee`'s instances.
pub fn targets(s: &Scenario, callee: ComponentId, op: Option<usize>, from: Place) -> Spread {
    let ComponentKind::Database(d) = &s.components[callee].kind else {
        return spread(s, callee);
    };
    let ps = node_places(s, callee);
    let even = |v: &[Place]| {
        let mut out = Spread::new();
        for &p in v {
            add(&mut out, p, 1.0 / v.len().max(1) as f64);
        }
        out
    };
    if op.is_some_and(|o| d.write_ops.contains(&o)) {
        return even(&ps[..1]);
    }
    match d.reads {
        ReadsFrom::Primary => even(&ps[..1]),
        ReadsFrom::Replicas if ps.len() > 1 => even(&ps[1..]),
        ReadsFrom::Replicas => even(&ps[..1]),
        ReadsFrom::Nearest => {
            let best = ps
                .iter()
                .copied()
                .min_by_key(|&p| s.network.delay(from, p).unwrap_or(u64::MAX))
                .unwrap_or(ps[0]);
            even(&[best])
        }
    }
}

/// Mean one-way delay in seconds from `from` to where `targets` sends the requests.
pub fn mean_delay_s(
    s: &Scenario,
    from: &[(Place, f64)],
    callee: ComponentId,
    op: Option<usize>,
) -> f64 {
    from.iter()
        .map(|&(f, wf)| {
            wf * targets(s, callee, op, f)
                .iter()
                .map(|&(t, w)| w * s.network.delay(f, t).unwrap_or(0) as f64)
                .sum::<f64>()
        })
        .sum::<f64>()
        / 1e9
}

/// Where bytes between two places are counted, as the engine counts them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Crossing {
    Local,
    InterZone,
    /// Index into `network.links`.
    Link(usize),
}

pub fn crossing(s: &Scenario, a: Place, b: Place) -> Crossing {
    match (a.region, b.region) {
        (Some(ra), Some(rb)) if ra != rb => s
            .network
            .links
            .iter()
            .position(|l| {
                (l.0 == ra as usize && l.1 == rb as usize)
                    || (l.0 == rb as usize && l.1 == ra as usize)
            })
            .map_or(Crossing::Local, Crossing::Link),
        (Some(_), Some(_)) if a.zone.is_some() && b.zone.is_some() && a.zone != b.zone => {
            Crossing::InterZone
        }
        _ => Crossing::Local,
    }
}

/// Shares of the calls by crossing: (between zones, along each link).
pub fn crossings(
    s: &Scenario,
    from: &[(Place, f64)],
    callee: ComponentId,
    op: Option<usize>,
) -> (f64, Vec<f64>) {
    let mut zone = 0.0;
    let mut links = vec![0.0; s.network.links.len()];
    for &(f, wf) in from {
        for (t, w) in targets(s, callee, op, f) {
            match crossing(s, f, t) {
                Crossing::Local => {}
                Crossing::InterZone => zone += wf * w,
                Crossing::Link(i) => links[i] += wf * w,
            }
        }
    }
    (zone, links)
}
