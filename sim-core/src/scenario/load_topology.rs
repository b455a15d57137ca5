//! Loading `regions:`, `network:` and each component's placement (`region`, `zone`/`zones`) and
//! random failures (`mtbf`, `mttr`).

use super::load::{Fields, Loader, closest};
use super::{Failures, Network, Region};
use crate::diagnostic::Diagnostic;
use crate::time::SimTime;
use crate::yaml::{Node, Value};

impl Loader {
    /// Parses `regions` into `self.regions` and returns the network.
    pub(super) fn topology(
        &mut self,
        regions: Option<&Node>,
        network: Option<&Node>,
    ) -> Option<Network> {
        if let Some(n) = regions.filter(|n| !n.is_null()) {
            let Value::Map(entries) = &n.value else {
                self.err(n.span, format!("expected `regions` to be a mapping such as `us-east: {{ zones: [a, b, c] }}`, found {}", n.kind_name()));
                return None;
            };
            for (k, v) in entries {
                let region = self.region(k, v)?;
                self.regions.push(region);
            }
        }
        match network.filter(|n| !n.is_null()) {
            None => Some(Network::default()),
            Some(n) => self.network(n),
        }
    }

    /// One region of `regions:`, its name `k` and its `zones` (each listed once) in `v`.
    fn region(&mut self, k: &Node, v: &Node) -> Option<Region> {
        let name = k.as_scalar().unwrap_or("").to_string();
        self.check_name(k.span, "region", &name);
        let mut zones = Vec::new();
        if !v.is_null() {
            let f = self.fields(v, &format!("region `{name}`"), &["zones"])?;
            if let Some(z) = f.get("zones") {
                let Value::Seq(items) = &z.value else {
                    self.err(
                        z.span,
                        "expected `zones` to be a list of zone names such as `[a, b, c]`",
                    );
                    return None;
                };
                for item in items {
                    let zn = self.scalar(item, "a zone name")?.to_string();
                    self.check_name(item.span, "zone", &zn);
                    if zones.contains(&zn) {
                        self.err(
                            item.span,
                            format!("zone `{zn}` is listed twice; expected each zone once"),
                        );
                        return None;
                    }
                    zones.push(zn);
                }
            }
        }
        Some(Region { name, zones })
    }

    /// `network:`, the delays within and between zones, the links between regions, and NAT.
    fn network(&mut self, n: &Node) -> Option<Network> {
        let mut net = Network::default();
        let f = self.fields(
            n,
            "`network`",
            &[
                "intra_zone",
                "inter_zone",
                "links",
                "connect_timeout",
                "nat",
            ],
        )?;
        if let Some(v) = f.get("nat") {
            net.nat = Some(self.nat(v)?);
        }
        if let Some(v) = f.get("intra_zone") {
            net.intra_zone = self.duration(v)?;
        }
        if let Some(v) = f.get("inter_zone") {
            net.inter_zone = self.duration(v)?;
        }
        if let Some(v) = f.get("connect_timeout") {
            net.connect_timeout = self.duration(v)?;
        }
        if let Some(v) = f.get("links") {
            let Value::Seq(items) = &v.value else {
                self.err(v.span, "expected `links` to be a list such as `- { between: [us-east, eu-west], one_way: 40ms }`");
                return None;
            };
            for item in items {
                net.links.push(self.link(item)?);
            }
        }
        Some(net)
    }

    /// One network link: `between` two different regions, its `one_way` delay and its
    /// `egress_per_gb` price.
    fn link(&mut self, item: &Node) -> Option<(usize, usize, SimTime, f64)> {
        let lf = self.fields(
            item,
            "a network link",
            &["between", "one_way", "egress_per_gb"],
        )?;
        let between = self.required(
            &lf,
            "between",
            "the link",
            "two region names, `[us-east, eu-west]`",
        )?;
        let pair = match &between.value {
            Value::Seq(rs) if rs.len() == 2 => rs,
            _ => {
                self.err(
                    between.span,
                    "expected `between: [region, region]` with two region names",
                );
                return None;
            }
        };
        let a = self.region_ref(&pair[0])?;
        let b = self.region_ref(&pair[1])?;
        if a == b {
            self.err(
                between.span,
                "a link joins two different regions; expected two names",
            );
            return None;
        }
        let one_way = self
            .required(
                &lf,
                "one_way",
                "the link",
                "the one-way delay, such as `40ms`",
            )
            .and_then(|x| self.duration(x))?;
        let egress = match lf.get("egress_per_gb") {
            None => 0.0,
            Some(x) => self.unit(x, "USD per GB, such as `0.02`", crate::units::parse_number)?,
        };
        Some((a, b, one_way, egress))
    }

    /// A region name, as an index.
    pub(super) fn region_ref(&mut self, n: &Node) -> Option<usize> {
        let name = self.scalar(n, "a region name")?;
        match self.regions.iter().position(|r| r.name == name) {
            Some(i) => Some(i),
            None => {
                let names: Vec<&str> = self.regions.iter().map(|r| r.name.as_str()).collect();
                let mut d = if names.is_empty() {
                    Diagnostic::error(
                        n.span,
                        format!(
                            "unknown region `{name}`: the scenario has no `regions:`; expected regions to be declared first"
                        ),
                    )
                } else {
                    Diagnostic::error(
                        n.span,
                        format!(
                            "unknown region `{name}`; expected one of: {}",
                            names.join(", ")
                        ),
                    )
                };
                if let Some(s) = closest(name, &names) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.diags.push(d);
                None
            }
        }
    }

    /// A zone name of `region`, as an index.
    pub(super) fn zone_ref(&mut self, region: usize, n: &Node) -> Option<usize> {
        let name = self.scalar(n, "a zone name")?;
        let r = &self.regions[region];
        match r.zones.iter().position(|z| z == name) {
            Some(i) => Some(i),
            None => {
                let msg = format!(
                    "unknown zone `{name}` in region `{}`; expected one of: {}",
                    r.name,
                    r.zones.join(", ")
                );
                self.err(n.span, msg);
                None
            }
        }
    }

    /// `region`, and `zone` or `zones` (instances are spread over the zones in turn).
    pub(super) fn placement(&mut self, f: &Fields) -> Option<(Option<usize>, Vec<usize>)> {
        let region = match f.get("region") {
            None => None,
            Some(v) => Some(self.region_ref(v)?),
        };
        let zone_nodes: Vec<&Node> = match (f.get("zone"), f.get("zones")) {
            (Some(z), Some(zs)) => {
                self.err(zs.span, "both `zone` and `zones`; expected one of them");
                let _ = z;
                return None;
            }
            (Some(z), None) => vec![z],
            (None, Some(zs)) => match &zs.value {
                Value::Seq(items) if !items.is_empty() => items.iter().collect(),
                _ => {
                    self.err(
                        zs.span,
                        "expected `zones` to be a non-empty list of zone names",
                    );
                    return None;
                }
            },
            (None, None) => Vec::new(),
        };
        if zone_nodes.is_empty() {
            return Some((region, Vec::new()));
        }
        let Some(r) = region else {
            self.err(
                zone_nodes[0].span,
                "a zone needs a `region`; expected `region:` beside it",
            );
            return None;
        };
        let mut zones = Vec::new();
        for z in zone_nodes {
            zones.push(self.zone_ref(r, z)?);
        }
        Some((region, zones))
    }

    /// `mtbf` and `mttr`, both or neither.
    pub(super) fn failures(&mut self, f: &Fields) -> Option<Option<Failures>> {
        match (f.get("mtbf"), f.get("mttr")) {
            (None, None) => Some(None),
            (Some(b), Some(r)) => {
                let mtbf = self.duration(b)?;
                let mttr = self.duration(r)?;
                if mtbf == 0 {
                    self.err(
                        b.span,
                        "`mtbf` is zero; expected the mean time between failures, such as `30d`",
                    );
                    return None;
                }
                Some(Some(Failures { mtbf, mttr }))
            }
            (Some(b), None) => {
                self.err(
                    b.span,
                    "`mtbf` without `mttr`; expected both, such as `mtbf: 30d` and `mttr: 10m`",
                );
                None
            }
            (None, Some(r)) => {
                self.err(
                    r.span,
                    "`mttr` without `mtbf`; expected both, such as `mtbf: 30d` and `mttr: 10m`",
                );
                None
            }
        }
    }
}
