//! Loading `faults:`: each item has `at`, an optional `duration`, and exactly one key naming the
//! fault, such as `zone_outage: { region: us-east, zone: a }`.

use super::load::Loader;
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
        let (ty, v) = types[0];
        let component = |l: &mut Loader, f: &super::load::Fields| -> Option<usize> {
            let c = l.required(f, "component", ty, "a component name")?;
            let name = l.scalar(c, "a component name")?;
            let id = components.iter().position(|x| x.name == name);
            if id.is_none() {
                let names: Vec<&str> = components.iter().map(|c| c.name.as_str()).collect();
                l.err(
                    c.span,
                    format!(
                        "unknown component `{name}`; expected one of: {}",
                        names.join(", ")
                    ),
                );
            }
            id
        };
        let kind = match ty {
            "region_outage" => FaultKind::RegionOutage {
                region: self.region_ref(v)?,
            },
            "zone_outage" => {
                let zf = self.fields(v, "a zone outage", &["region", "zone"])?;
                let r = self.required(&zf, "region", "the zone outage", "a region name")?;
                let region = self.region_ref(r)?;
                let z = self.required(&zf, "zone", "the zone outage", "a zone name")?;
                FaultKind::ZoneOutage {
                    region,
                    zone: self.zone_ref(region, z)?,
                }
            }
            "instance_crash" | "spot_reclaim" => {
                let cf = self.fields(v, ty, &["component", "count", "warning"])?;
                let c = component(self, &cf)?;
                let count = match cf.get("count") {
                    None => 1,
                    Some(x) => self.integer(x, "`count`", 1, 100_000)? as u32,
                };
                if ty == "spot_reclaim" {
                    let warning = match cf.get("warning") {
                        None => 120 * crate::time::NANOS_PER_SEC,
                        Some(x) => self.duration(x)?,
                    };
                    FaultKind::SpotReclaim {
                        component: c,
                        count,
                        warning,
                    }
                } else {
                    if let Some(x) = cf.get("warning") {
                        self.err(x.span, "`warning` belongs to `spot_reclaim`; an instance crash comes without one");
                        return None;
                    }
                    FaultKind::InstanceCrash {
                        component: c,
                        count,
                    }
                }
            }
            "partition" => {
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
                FaultKind::Partition { a, b }
            }
            "latency" => {
                let lf = self.fields(v, "a latency fault", &["component", "add"])?;
                let c = component(self, &lf)?;
                let add = self
                    .required(
                        &lf,
                        "add",
                        "the latency fault",
                        "the added time, such as `200ms`",
                    )
                    .and_then(|x| self.duration(x))?;
                FaultKind::Latency { component: c, add }
            }
            "errors" | "bad_deploy" => {
                let key = if ty == "errors" { "rate" } else { "error_rate" };
                let ef = self.fields(v, ty, &["component", key])?;
                let c = component(self, &ef)?;
                let rate = self
                    .required(&ef, key, ty, "a share such as `20%`")
                    .and_then(|x| self.unit(x, "a percentage", units::parse_fraction))?;
                if ty == "errors" {
                    FaultKind::Errors { component: c, rate }
                } else {
                    FaultKind::BadDeploy {
                        component: c,
                        error_rate: rate,
                    }
                }
            }
            "load_spike" => {
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
                let fnode =
                    self.required(&lf, "factor", "the load spike", "a multiplier such as `50`")?;
                let factor = self.unit(fnode, "a number", units::parse_number)?;
                if !(0.0..=10_000.0).contains(&factor) {
                    self.err(
                        fnode.span,
                        format!("factor {factor}; expected a number from 0 to 10000"),
                    );
                    return None;
                }
                FaultKind::LoadSpike { workload, factor }
            }
            "cache_flush" => {
                let cf = self.fields(v, "a cache flush", &["component"])?;
                let c = component(self, &cf)?;
                match &components[c].kind {
                    super::ComponentKind::Cache(super::Cache {
                        model: super::CacheModel::Keys { .. },
                        ..
                    }) => {}
                    super::ComponentKind::Cache(_) => {
                        self.err(v.span, format!("cache `{}` has a fixed `hit_ratio` and no contents to flush; expected a cache with a key model (`keys`, `capacity`)", components[c].name));
                        return None;
                    }
                    _ => {
                        self.err(
                            v.span,
                            format!(
                                "`{}` is not a cache; expected a component of kind `cache`",
                                components[c].name
                            ),
                        );
                        return None;
                    }
                }
                FaultKind::CacheFlush { component: c }
            }
            "replication_lag" => {
                let lf = self.fields(v, "a replication-lag spike", &["component", "add"])?;
                let c = component(self, &lf)?;
                if !matches!(components[c].kind, super::ComponentKind::Database(_)) {
                    self.err(
                        v.span,
                        format!(
                            "`{}` is not a database; expected a component of kind `database`",
                            components[c].name
                        ),
                    );
                    return None;
                }
                let add = self
                    .required(
                        &lf,
                        "add",
                        "the replication-lag spike",
                        "the added lag, such as `30s`",
                    )
                    .and_then(|x| self.duration(x))?;
                FaultKind::ReplicationLag { component: c, add }
            }
            _ => unreachable!("fault types are listed in FAULT_TYPES"),
        };
        Some(Fault {
            span: f.span,
            at: at?,
            duration: duration?,
            kind,
        })
    }
}
