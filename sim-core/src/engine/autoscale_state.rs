//! An autoscaler's state: its settings, the busy time since it last looked, and what it has
//! decided but not yet done. What it does is in `autoscale.rs`.

use crate::scenario::Autoscale;
use crate::time::SimTime;

#[derive(Clone, Debug)]
pub struct AutoscaleRt {
    pub cfg: Autoscale,
    /// Busy slot-nanoseconds since the last evaluation.
    pub busy_area: u128,
    /// Instances decided on but not yet started provisioning (waiting out `delay`).
    pub(super) pending: u32,
    pub(super) last_scale_out: Option<SimTime>,
}

impl AutoscaleRt {
    pub fn new(cfg: Autoscale, _initial: u32) -> AutoscaleRt {
        AutoscaleRt {
            cfg,
            busy_area: 0,
            pending: 0,
            last_scale_out: None,
        }
    }
}
