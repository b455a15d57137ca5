//! Where components run and what the network between them costs: regions with zones, one-way
//! delays within a zone, between zones and along named links between regions.

use crate::time::SimTime;

#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    pub name: String,
    pub zones: Vec<String>,
}

/// One-way network delays (contract: `intra_zone`, `inter_zone`, `links` with `between`/`one_way`).
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    pub intra_zone: SimTime,
    pub inter_zone: SimTime,
    /// (region a, region b, one-way delay, egress USD per GB).
    pub links: Vec<(usize, usize, SimTime, f64)>,
    /// How long a caller waits for a call that cannot get through (partition, region down) when
    /// the call has no `timeout` of its own.
    pub connect_timeout: SimTime,
    /// NAT gateways for calls from placed components to `external` ones (`network.nat`).
    pub nat: Option<Nat>,
}

/// Where the NAT gateways are.
#[derive(Clone, Debug, PartialEq)]
pub enum Nat {
    /// One in every zone (or region without zones) that has callers of `external`s.
    PerZone,
    /// One per region, in the zone given per region (index into [`Region::zones`]; `None` in a
    /// region without zones).
    Shared { zone: Vec<Option<u16>> },
}

impl Default for Network {
    fn default() -> Network {
        Network {
            intra_zone: 0,
            inter_zone: 0,
            links: Vec::new(),
            connect_timeout: 10 * crate::time::NANOS_PER_SEC,
            nat: None,
        }
    }
}

/// Where one instance (or a workload's users) is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Place {
    pub region: Option<u16>,
    pub zone: Option<u16>,
}

impl Network {
    /// One-way delay from `a` to `b`; `None` when the regions have no link between them.
    pub fn delay(&self, a: Place, b: Place) -> Option<SimTime> {
        match (a.region, b.region) {
            (Some(ra), Some(rb)) if ra != rb => self
                .links
                .iter()
                .find(|l| {
                    (l.0 == ra as usize && l.1 == rb as usize)
                        || (l.0 == rb as usize && l.1 == ra as usize)
                })
                .map(|l| l.2),
            (Some(_), Some(_)) => Some(match (a.zone, b.zone) {
                (Some(za), Some(zb)) if za != zb => self.inter_zone,
                _ => self.intra_zone,
            }),
            _ => Some(0),
        }
    }
}
