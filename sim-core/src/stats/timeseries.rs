//! Per-window figures over the whole run (warm-up included), for the charts of the browser and of
//! reports: throughput, errors and latency percentiles per workload; utilisation, requests present,
//! instances up and rejections per component. The window is chosen from the run's length so a run
//! has at most [`MAX_WINDOWS`] windows; memory is fixed when the run starts.

use crate::time::{NANOS_PER_SEC, SimTime};

pub const MAX_WINDOWS: u64 = 150;

/// A "nice" window length giving at most [`MAX_WINDOWS`] windows over `total`.
pub fn window_for(total: SimTime) -> SimTime {
    const NICE_S: [u64; 16] = [
        1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21_600, 86_400,
    ];
    for s in NICE_S {
        let w = s * NANOS_PER_SEC;
        if total.div_ceil(w) <= MAX_WINDOWS {
            return w;
        }
    }
    total.div_ceil(MAX_WINDOWS).max(1)
}

/// One workload's figures in one window.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WorkloadPoint {
    pub completed: u64,
    pub failed: u64,
    pub p50_ns: f64,
    pub p99_ns: f64,
}

/// One component's figures in one window.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ComponentPoint {
    /// Mean busy slots over the window.
    pub busy_mean: f64,
    /// Mean requests present over the window.
    pub in_system_mean: f64,
    /// Slots available at the window's end (instances up x concurrency; 0 for unlimited).
    pub capacity: f64,
    /// Instances up at the window's end.
    pub instances: u32,
    pub rejected: u64,
    pub failed: u64,
    /// Requests waiting for a slot at the window's end (messages waiting, for a queue).
    pub queued: u64,
    /// Cache: share of lookups in the window that hit (`NaN` where none was made).
    #[serde(with = "crate::stats::nan_as_null")]
    pub hit_ratio: f64,
    /// Queue: age of the oldest waiting message; database: replication lag; at the window's end.
    #[serde(with = "crate::stats::nan_as_null")]
    pub lag_ns: f64,
}

/// The series of one replication.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TimeSeries {
    pub window: SimTime,
    /// `[window][workload]`.
    pub workloads: Vec<Vec<WorkloadPoint>>,
    /// `[window][component]`.
    pub components: Vec<Vec<ComponentPoint>>,
}
