//! The analytic model in the report: the `analytic` section beside each component's and each
//! workload's simulated figures (types only, held by the report's; comparing them with the
//! simulated figures is `compare.rs`).

use super::{ComponentModel, WorkloadModel};
use serde::{Deserialize, Serialize};

/// A component's `analytic` section (see [`ComponentModel`] for each figure).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentAnalytic {
    pub arrival_rps: f64,
    /// Slots in all; `null` for unlimited concurrency.
    pub servers: Option<u32>,
    /// Offered work over slots (>= 1: overloaded).
    pub utilization: f64,
    /// Admitted work over slots: what the simulation's `utilization` measures.
    pub carried_utilization: f64,
    pub busy_mean: f64,
    /// Mean time a request holds a slot.
    pub service_ms: f64,
    /// `null` when overloaded.
    pub wait_ms: Option<f64>,
    /// Mean time at the component, calls included (the simulation's `sojourn_ms.mean`); `null`
    /// when it or a component it waits on is overloaded.
    pub response_ms: Option<f64>,
    pub loss: f64,
    pub availability: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hit_ratio: Option<f64>,
    /// What the component has that the model does not capture.
    pub mechanisms: Vec<String>,
}

/// A workload's `analytic` section.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorkloadAnalytic {
    /// Mean end-to-end latency; `null` when a component on the path is overloaded.
    pub latency_ms: Option<f64>,
    pub availability: f64,
    pub throughput_rps: f64,
}

/// Finite for JSON (an infinite mean, as of a Pareto law with shape <= 1, shows as the largest
/// float; NaN cannot arise from a loaded scenario but would show as 0).
fn finite(x: f64) -> f64 {
    if x.is_nan() {
        0.0
    } else if x.is_infinite() {
        f64::MAX.copysign(x)
    } else {
        x
    }
}

impl ComponentAnalytic {
    pub fn of(m: &ComponentModel) -> ComponentAnalytic {
        ComponentAnalytic {
            arrival_rps: finite(m.arrival_rps),
            servers: m.servers,
            utilization: finite(m.utilization),
            carried_utilization: finite(m.carried_utilization),
            busy_mean: finite(m.busy_mean),
            service_ms: finite(m.service_ms),
            wait_ms: m.wait_ms.map(finite),
            response_ms: m.response_ms.map(finite),
            loss: finite(m.loss),
            availability: finite(m.availability),
            hit_ratio: m.hit_ratio.map(finite),
            mechanisms: m.mechanisms.clone(),
        }
    }
}

impl WorkloadAnalytic {
    pub fn of(m: &WorkloadModel) -> WorkloadAnalytic {
        WorkloadAnalytic {
            latency_ms: m.latency_ms.map(finite),
            availability: finite(m.availability),
            throughput_rps: finite(m.throughput_rps),
        }
    }
}
