//! NAT gateways at run time (`network.nat`): a call from a placed component to an `external` one
//! leaves through its region's NAT gateway. Per zone, that is in the caller's own zone; shared,
//! in one zone, so callers in other zones send their bytes across zones (priced) and cannot get
//! out while that zone is dark. Every byte through a gateway is counted for its per-GB price.
//!
//! What it leaves out: the hop to a shared gateway's zone adds bytes but no delay, and calls
//! already under way when its zone goes dark are still answered.

use super::run::Run;
use crate::scenario::topology::{Nat, Place};

impl Run<'_> {
    /// Where the NAT gateway for a caller at `from` is (`None`: no gateway, or an unplaced caller).
    fn nat_place(&self, from: Place) -> Option<Place> {
        let region = from.region?;
        match self.scenario.network.nat.as_ref()? {
            Nat::PerZone => Some(from),
            Nat::Shared { zone } => Some(Place {
                region: Some(region),
                zone: zone[region as usize],
            }),
        }
    }

    /// Whether a call from `from` to an external component cannot get out: its shared NAT
    /// gateway's zone is dark.
    pub(super) fn nat_blocked(&self, from: Place) -> bool {
        matches!(self.scenario.network.nat, Some(Nat::Shared { .. }))
            && from.region.is_some_and(|r| self.nat_down[r as usize] > 0)
    }

    /// Bytes of a call between a caller at `at` and an external component: through the gateway
    /// (priced per GB), and between the caller's zone and the gateway's.
    pub(super) fn nat_bytes(&mut self, at: Place, bytes: f64) {
        if at.region.is_none() || !self.measuring {
            return;
        }
        self.traffic.nat += bytes;
        if let Some(gateway) = self.nat_place(at)
            && gateway != at
        {
            self.count_bytes(at, gateway, bytes);
        }
    }

    /// A zone outage starts (`start`) or ends: a shared gateway there goes dark or comes back.
    pub(super) fn nat_zone(&mut self, region: usize, zone: usize, start: bool) {
        let Some(Nat::Shared { zone: z }) = &self.scenario.network.nat else {
            return;
        };
        if z.get(region).copied().flatten() == Some(zone as u16) {
            let d = &mut self.nat_down[region];
            *d = if start { *d + 1 } else { d.saturating_sub(1) };
        }
    }
}
