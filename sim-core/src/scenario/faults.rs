//! Timed faults: what goes wrong, where, from when and for how long. The engine applies each at its
//! start and undoes it at its end; every consequence (failed requests, retries, queue growth) comes
//! from the mechanisms, never from the fault itself.

use crate::diagnostic::Span;
use crate::time::SimTime;

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub span: Span,
    pub at: SimTime,
    /// `None`: lasts until the end of the run.
    pub duration: Option<SimTime>,
    pub kind: FaultKind,
}

impl Fault {
    pub fn end(&self) -> Option<SimTime> {
        self.duration.map(|d| self.at.saturating_add(d))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// Every instance in the region is down.
    RegionOutage { region: usize },
    /// Every instance in the zone is down.
    ZoneOutage { region: usize, zone: usize },
    /// `count` instances of a component crash (in-flight work is lost); replaced after `duration`.
    InstanceCrash { component: usize, count: u32 },
    /// Calls between the two regions are dropped.
    Partition { a: usize, b: usize },
    /// Every request served by the component takes this much longer.
    Latency { component: usize, add: SimTime },
    /// This share of the component's requests fail after their local work.
    Errors { component: usize, rate: f64 },
    /// A bad release: like `Errors`, named for what causes it.
    BadDeploy { component: usize, error_rate: f64 },
    /// The workload's arrival rate is multiplied by `factor`.
    LoadSpike { workload: usize, factor: f64 },
    /// `count` spot instances get a `warning`, then are reclaimed (down) until the fault ends.
    SpotReclaim {
        component: usize,
        count: u32,
        warning: SimTime,
    },
    /// A cache loses every entry at `at` (it refills as keys are asked for again).
    CacheFlush { component: usize },
    /// Replicas of a database apply each write this much later.
    ReplicationLag { component: usize, add: SimTime },
}

impl FaultKind {
    /// A short description for reports, e.g. `zone_outage us-east/a`.
    pub fn describe(&self, names: &FaultNames<'_>) -> String {
        match self {
            FaultKind::RegionOutage { region } => {
                format!("region_outage {}", names.regions[*region])
            }
            FaultKind::ZoneOutage { region, zone } => {
                format!(
                    "zone_outage {}/{}",
                    names.regions[*region], names.zones[*region][*zone]
                )
            }
            FaultKind::InstanceCrash { component, count } => {
                format!("instance_crash {} x{count}", names.components[*component])
            }
            FaultKind::Partition { a, b } => {
                format!("partition {} | {}", names.regions[*a], names.regions[*b])
            }
            FaultKind::Latency { component, add } => {
                format!(
                    "latency {} +{}",
                    names.components[*component],
                    crate::time::format_duration(*add)
                )
            }
            FaultKind::Errors { component, rate } => {
                format!("errors {} {}%", names.components[*component], rate * 100.0)
            }
            FaultKind::BadDeploy {
                component,
                error_rate,
            } => {
                format!(
                    "bad_deploy {} {}%",
                    names.components[*component],
                    error_rate * 100.0
                )
            }
            FaultKind::LoadSpike { workload, factor } => {
                format!("load_spike {} x{factor}", names.workloads[*workload])
            }
            FaultKind::SpotReclaim {
                component, count, ..
            } => format!("spot_reclaim {} x{count}", names.components[*component]),
            FaultKind::CacheFlush { component } => {
                format!("cache_flush {}", names.components[*component])
            }
            FaultKind::ReplicationLag { component, add } => {
                format!(
                    "replication_lag {} +{}",
                    names.components[*component],
                    crate::time::format_duration(*add)
                )
            }
        }
    }
}

/// Names to describe faults with.
pub struct FaultNames<'a> {
    pub regions: Vec<&'a str>,
    pub zones: Vec<Vec<&'a str>>,
    pub components: Vec<&'a str>,
    pub workloads: Vec<&'a str>,
}
