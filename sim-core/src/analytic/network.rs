//! Where instances are, for the model: the mean one-way delay between a caller's instances and the
//! instances a call reaches, and the shares of bytes that cross zones and region links (for egress
//! cost). Instances are placed as the engine places them (a database's nodes where they are; other
//! components' instances over their zones in turn) and calls spread evenly over the callee's
//! instances (a database's writes go to the primary, its reads as `reads:` says).

pub use crate::scenario::topology::Place;
use crate::scenario::{ComponentId, ComponentKind, ReadsFrom, Scenario};

/// Places of a component's instances, in instance order.
pub fn places(s: &Scenario, c: ComponentId) -> Vec<Place> {
    let comp = &s.components[c];
    if let ComponentKind::Database(d) = &comp.kind {
        return d
            .nodes
            .iter()
            .map(|n| Place {
                region: n.region.map(|r| r as u16),
                zone: n.zone.map(|z| z as u16),
            })
            .collect();
    }
    (0..comp.station.replicas.max(1) as usize)
        .map(|i| Place {
            region: comp.region.map(|r| r as u16),
            zone: if comp.zones.is_empty() {
                None
            } else {
                Some(comp.zones[i % comp.zones.len()] as u16)
            },
        })
        .collect()
}

/// The instances of `callee` a request of operation `op` (None: no named op) from `from` reaches,
/// with their shares.
pub fn targets(
    s: &Scenario,
    callee: ComponentId,
    op: Option<usize>,
    from: Place,
) -> Vec<(Place, f64)> {
    let ps = places(s, callee);
    let even = |v: Vec<Place>| {
        let n = v.len().max(1) as f64;
        v.into_iter().map(|p| (p, 1.0 / n)).collect::<Vec<_>>()
    };
    let ComponentKind::Database(d) = &s.components[callee].kind else {
        return even(ps);
    };
    let primary = vec![ps[0]];
    if op.is_some_and(|o| d.write_ops.contains(&o)) {
        return even(primary);
    }
    match d.reads {
        ReadsFrom::Primary => even(primary),
        ReadsFrom::Replicas if ps.len() > 1 => even(ps[1..].to_vec()),
        ReadsFrom::Replicas => even(primary),
        ReadsFrom::Nearest => {
            let best = ps
                .iter()
                .copied()
                .min_by_key(|&p| s.network.delay(from, p).unwrap_or(u64::MAX))
                .unwrap_or(ps[0]);
            even(vec![best])
        }
    }
}

/// Mean one-way delay in seconds from places `from` (evenly) to what `targets` gives.
pub fn mean_delay_s(s: &Scenario, from: &[Place], callee: ComponentId, op: Option<usize>) -> f64 {
    let n = from.len().max(1) as f64;
    from.iter()
        .map(|&f| {
            targets(s, callee, op, f)
                .iter()
                .map(|&(t, w)| w * s.network.delay(f, t).unwrap_or(0) as f64)
                .sum::<f64>()
        })
        .sum::<f64>()
        / n
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

/// Shares of the pairs (caller place, target place) by crossing: (inter-zone, per link), and the
/// share of targets that are placed (a call to a placed `external` goes through NAT).
pub fn crossings(
    s: &Scenario,
    from: &[Place],
    callee: ComponentId,
    op: Option<usize>,
) -> (f64, Vec<f64>) {
    let n = from.len().max(1) as f64;
    let mut zone = 0.0;
    let mut links = vec![0.0; s.network.links.len()];
    for &f in from {
        for (t, w) in targets(s, callee, op, f) {
            match crossing(s, f, t) {
                Crossing::Local => {}
                Crossing::InterZone => zone += w / n,
                Crossing::Link(i) => links[i] += w / n,
            }
        }
    }
    (zone, links)
}
