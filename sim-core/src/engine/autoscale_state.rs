//! An autoscaler's state: its settings, the busy time since it last looked, and what it has
//! decided but not yet done. What it does is in `autoscale.rs`.

use crate::scenario::Autoscale;
use crate::time::SimTime;

#[derive(Clone, Debug)]
pub struct AutoscaleRt {
    pub cfg: Autoscale,
    /// The service's busy slot-nanoseconds (its integral's reading) at the last evaluation.
    pub busy_from: u128,
    /// Instances decided on but not yet started provisioning (waiting out `delay`).
    pub(super) pending: u32,
    pub(super) last_scale_out: Option<SimTime>,
}

impl AutoscaleRt {
    pub fn new(cfg: Autoscale, _initial: u32) -> AutoscaleRt {
        AutoscaleRt {
            cfg,
            busy_from: 0,
            pending: 0,
            last_scale_out: None,
        }
    }
}
