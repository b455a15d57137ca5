//! Loading `faults:`: each item has `at`, an optional `duration`, and exactly one key naming the
//! fault, such as `zone_outage: { region: us-east, zone: a }`.

use super::load::{Fields, Loader};
use super::{Component, Fault, FaultKind, Workload};
use crate::units;
use crate::yaml::{Node, Value};

/// The fault types, for messages and the schema.
pub const FAULT_TYPES: &[&str] = &[
    "region_outage",
    "zone_outage",
    "instance_crash",
    "partition",
    "latency",
    "errors",
    "bad_deploy",
    "load_spike",
    "spot_reclaim",
    "cache_flush",
    "replication_lag",
];

impl Loader {
    pub(super) fn faults(
        &mut self,
        n: &Node,
        components: &[Component],
        workloads: &[Workload],
    ) -> Option<Vec<Fault>> {
        let Value::Seq(items) = &n.value else {
            if n.is_null() {
                return Some(Vec::new());
            }
            self.err(n.span, format!("expected `faults` to be a list such as `- {{ at: 5m, duration: 10m, zone_outage: {{ region: us-east, zone: a }} }}`, found {}", n.kind_name()));
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            match self.fault(item, components, workloads) {
                Some(f) => out.push(f),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn fault(
        &mut self,
        n: &Node,
        components: &[Component],
        workloads: &[Workload],
    ) -> Option<Fault> {
        let mut allowed = vec!["at", "duration", "description"];
        allowed.extend_from_slice(FAULT_TYPES);
        let f = self.fields(n, "a fault", &allowed)?;
        let at = self
            .required(&f, "at", "the fault", "when it starts, such as `5m`")
            .and_then(|v| self.duration(v));
        let duration = match f.get("duration") {
            None => Some(None),
            Some(v) => self.duration(v).map(Some),
        };
        let (ty, v) = self.fault_type(&f)?;
        let kind = self.fault_kind(ty, v, components, workloads)?;
        Some(Fault {
            span: f.span,
            at: at?,
            duration: duration?,
            kind,
        })
    }

    /// The one key of a fault that names its type, with its value.
    fn fault_type<'a>(&mut self, f: &Fields<'a>) -> Option<(&'a str, &'a Node)> {
        let types: Vec<(&str, &Node)> = f
            .entries
            .iter()
            .filter_map(|(k, v)| {
                k.as_scalar()
                    .filter(|k| FAULT_TYPES.contains(k))
                    .map(|k| (k, v))
            })
            .collect();
        if types.len() != 1 {
            self.err(
                f.span,
                format!(
                    "a fault names exactly one of: {}; found {}",
                    FAULT_TYPES.join(", "),
                    types.len()
                ),
            );
            return None;
        }
        Some(types[0])
    }

    /// What a fault of type `ty` does, from its value `v`.
    fn fault_kind(
        &mut self,
        ty: &str,
        v: &Node,
        components: &[Component],
        workloads: &[Workload],
    ) -> Option<FaultKind> {
        match ty {
            "region_outage" => Some(FaultKind::RegionOutage {
                region: self.region_ref(v)?,
            }),
            "zone_outage" => self.zone_outage(v),
            "instance_crash" | "spot_reclaim" => self.instance_loss(ty, v, components),
            "partition" => self.partition(v),
            "latency" => self.latency_fault(v, components),
            "errors" | "bad_deploy" => self.error_fault(ty, v, components),
            "load_spike" => self.load_spike(v, workloads),
            "cache_flush" => self.cache_flush(v, components),
            "replication_lag" => self.replication_lag(v, components),
            _ => unreachable!("fault types are listed in FAULT_TYPES"),
        }
    }

    /// The `component` a fault of type `ty` strikes, as an index.
    fn fault_component(&mut self, f: &Fields, ty: &str, components: &[Component]) -> Option<usize> {
        let c = self.required(f, "component", ty, "a component name")?;
        let name = self.scalar(c, "a component name")?;
        let id = components.iter().position(|x| x.name == name);
        if id.is_none() {
            let names: Vec<&str> = components.iter().map(|c| c.name.as_str()).collect();
            self.err(
                c.span,
                format!(
                    "unknown component `{name}`; expected one of: {}",
                    names.join(", ")
                ),
            );
        }
        let id = id?;
        // Which kinds a fault may name is their declarations' word (`decl`, `faults:`).
        let kind = components[id].kind.decl();
        if !kind.takes_fault(ty) {
            let takers: Vec<&str> = super::decl::ALL
                .iter()
                .filter(|k| k.takes_fault(ty))
                .map(|k| k.name)
                .collect();
            let message = match takers.as_slice() {
                [one] => format!(
                    "`{name}` is not a {}; expected a component of kind `{one}`",
                    one.replace('_', " ")
                ),
                many => format!(
                    "`{name}` is a {}, which `{ty}` does not apply to; expected a component of kind {}",
                    kind.name,
                    many.iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            self.err(f.span, message);
            return None;
        }
        Some(id)
    }

    /// `zone_outage: { region, zone }`.
    fn zone_outage(&mut self, v: &Node) -> Option<FaultKind> {
        let zf = self.fields(v, "a zone outage", &["region", "zone"])?;
        let r = self.required(&zf, "region", "the zone outage", "a region name")?;
        let region = self.region_ref(r)?;
        let z = self.required(&zf, "zone", "the zone outage", "a zone name")?;
        Some(FaultKind::ZoneOutage {
            region,
            zone: self.zone_ref(region, z)?,
        })
    }

    /// `instance_crash` and `spot_reclaim`: `count` instances of a component lost, a spot
    /// reclaim after a `warning`.
    fn instance_loss(&mut self, ty: &str, v: &Node, components: &[Component]) -> Option<FaultKind> {
        let cf = self.fields(v, ty, &["component", "count", "warning"])?;
        let c = self.fault_component(&cf, ty, components)?;
        let count = match cf.get("count") {
            None => 1,
            Some(x) => self.integer(x, "`count`", 1, 100_000)? as u32,
        };
        if ty == "spot_reclaim" {
            let warning = match cf.get("warning") {
                None => 120 * crate::time::NANOS_PER_SEC,
                Some(x) => self.duration(x)?,
            };
            Some(FaultKind::SpotReclaim {
                component: c,
                count,
                warning,
            })
        } else {
            if let Some(x) = cf.get("warning") {
                self.err(
                    x.span,
                    "`warning` belongs to `spot_reclaim`; an instance crash comes without one",
                );
                return None;
            }
            Some(FaultKind::InstanceCrash {
                component: c,
                count,
            })
        }
    }

    /// `partition: [region, region]`.
    fn partition(&mut self, v: &Node) -> Option<FaultKind> {
        let Value::Seq(rs) = &v.value else {
            self.err(v.span, "expected `partition: [region, region]`");
            return None;
        };
        if rs.len() != 2 {
            self.err(
                v.span,
                "expected `partition: [region, region]` with two regions",
            );
            return None;
        }
        let a = self.region_ref(&rs[0])?;
        let b = self.region_ref(&rs[1])?;
        Some(FaultKind::Partition { a, b })
    }

    /// `latency: { component, add }`.
    fn latency_fault(&mut self, v: &Node, components: &[Component]) -> Option<FaultKind> {
        let lf = self.fields(v, "a latency fault", &["component", "add"])?;
        let c = self.fault_component(&lf, "latency", components)?;
        let add = self
            .required(
                &lf,
                "add",
                "the latency fault",
                "the added time, such as `200ms`",
            )
            .and_then(|x| self.duration(x))?;
        Some(FaultKind::Latency { component: c, add })
    }

    /// `errors: { component, rate }` and `bad_deploy: { component, error_rate }`.
    fn error_fault(&mut self, ty: &str, v: &Node, components: &[Component]) -> Option<FaultKind> {
        let key = if ty == "errors" { "rate" } else { "error_rate" };
        let ef = self.fields(v, ty, &["component", key])?;
        let c = self.fault_component(&ef, ty, components)?;
        let rate = self
            .required(&ef, key, ty, "a share such as `20%`")
            .and_then(|x| self.unit(x, "a percentage", units::parse_fraction))?;
        Some(if ty == "errors" {
            FaultKind::Errors { component: c, rate }
        } else {
            FaultKind::BadDeploy {
                component: c,
                error_rate: rate,
            }
        })
    }

    /// `load_spike: { workload, factor }`, on an open workload.
    fn load_spike(&mut self, v: &Node, workloads: &[Workload]) -> Option<FaultKind> {
        let lf = self.fields(v, "a load spike", &["workload", "factor"])?;
        let w = self.required(&lf, "workload", "the load spike", "a workload name")?;
        let name = self.scalar(w, "a workload name")?;
        let Some(workload) = workloads.iter().position(|x| x.name == name) else {
            let names: Vec<&str> = workloads.iter().map(|w| w.name.as_str()).collect();
            self.err(
                w.span,
                format!(
                    "unknown workload `{name}`; expected one of: {}",
                    names.join(", ")
                ),
            );
            return None;
        };
        if !matches!(workloads[workload].kind, super::WorkloadKind::Open(_)) {
            self.err(w.span, format!("workload `{name}` is closed (a fixed number of users); a load spike multiplies an open workload's arrival rate"));
            return None;
        }
        let fnode = self.required(&lf, "factor", "the load spike", "a multiplier such as `50`")?;
        let factor = self.unit(fnode, "a number", units::parse_number)?;
        if !(0.0..=10_000.0).contains(&factor) {
            self.err(
                fnode.span,
                format!("factor {factor}; expected a number from 0 to 10000"),
            );
            return None;
        }
        Some(FaultKind::LoadSpike { workload, factor })
    }

    /// `cache_flush: { component }`, of a cache with a key model.
    fn cache_flush(&mut self, v: &Node, components: &[Component]) -> Option<FaultKind> {
        let cf = self.fields(v, "a cache flush", &["component"])?;
        let c = self.fault_component(&cf, "cache_flush", components)?;
        match &components[c].kind {
            super::ComponentKind::Cache(super::Cache {
                model: super::CacheModel::Keys { .. },
                ..
            }) => {}
            super::ComponentKind::Cache(_) => {
                self.err(v.span, format!("cache `{}` has a fixed `hit_ratio` and no contents to flush; expected a cache with a key model (`keys`, `capacity`)", components[c].name));
                return None;
            }
            // `fault_component` has refused every other kind (the declarations say so).
            _ => return None,
        }
        Some(FaultKind::CacheFlush { component: c })
    }

    /// `replication_lag: { component, add }`, of a database.
    fn replication_lag(&mut self, v: &Node, components: &[Component]) -> Option<FaultKind> {
        let lf = self.fields(v, "a replication-lag spike", &["component", "add"])?;
        let c = self.fault_component(&lf, "replication_lag", components)?;
        let add = self
            .required(
                &lf,
                "add",
                "the replication-lag spike",
                "the added lag, such as `30s`",
            )
            .and_then(|x| self.duration(x))?;
        Some(FaultKind::ReplicationLag { component: c, add })
    }
}
