//! Loading `network.nat`: NAT gateways for outbound calls to `external` components, one per zone
//! (`placement: per_zone`) or one per region in a named zone (`placement: shared, zone: a`).

use super::load::Loader;
use super::topology::Nat;
use crate::yaml::Node;

impl Loader {
    pub(super) fn nat(&mut self, n: &Node) -> Option<Nat> {
        let f = self.fields(n, "`network.nat`", &["placement", "zone"])?;
        let placement =
            self.required(&f, "placement", "`network.nat`", "`per_zone` or `shared`")?;
        match self.scalar(placement, "`per_zone` or `shared`")? {
            "per_zone" => {
                if let Some(z) = f.get("zone") {
                    self.err(
                        z.span,
                        "`zone` places a shared NAT gateway; with `placement: per_zone` every zone has its own",
                    );
                    return None;
                }
                Some(Nat::PerZone)
            }
            "shared" => {
                let z = self.required(
                    &f,
                    "zone",
                    "a shared NAT gateway",
                    "the zone it runs in, such as `a`",
                )?;
                let name = self.scalar(z, "a zone name")?.to_string();
                let mut zone = Vec::new();
                for r in &self.regions {
                    if r.zones.is_empty() {
                        zone.push(None);
                        continue;
                    }
                    match r.zones.iter().position(|x| *x == name) {
                        Some(i) => zone.push(Some(i as u16)),
                        None => {
                            let msg = format!(
                                "region `{}` has no zone `{name}` for the shared NAT gateway; expected one of: {}",
                                r.name,
                                r.zones.join(", ")
                            );
                            self.err(z.span, msg);
                            return None;
                        }
                    }
                }
                Some(Nat::Shared { zone })
            }
            other => {
                self.err(
                    placement.span,
                    format!("unknown NAT placement `{other}`; expected `per_zone` or `shared`"),
                );
                None
            }
        }
    }
}
