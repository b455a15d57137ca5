//! What an `object_store` does at run time: each request is a read or a write by its operation, and
//! takes that operation's latency; nothing waits (the provider scales the endpoint). It counts the
//! measured reads and writes, which the cost model bills at their own prices.

use super::ids::OpId;
use crate::dist::Dist;
use crate::rng::Stream;
use crate::scenario::ObjectStore;
use crate::time::SimTime;

/// An object store's run-time state.
pub(super) struct ObjectStoreRt {
    write_ops: Box<[OpId]>,
    read_time: Dist,
    write_time: Dist,
    rng: Stream,
    /// Measured reads and writes.
    pub reads: u64,
    pub writes: u64,
}

impl ObjectStoreRt {
    pub fn new(o: &ObjectStore, rng: Stream) -> ObjectStoreRt {
        ObjectStoreRt {
            write_ops: o.write_ops.iter().map(|&op| OpId::new(op)).collect(),
            read_time: o.read_time.clone(),
            write_time: o.write_time.clone(),
            rng,
            reads: 0,
            writes: 0,
        }
    }

    /// The local work of a request of operation `op` (none: a workload without an `ops` mix,
    /// which reads): a write's latency or a read's.
    pub fn work(&mut self, op: Option<OpId>, measured: bool) -> SimTime {
        if op.is_some_and(|o| self.write_ops.contains(&o)) {
            self.writes += u64::from(measured);
            self.write_time.sample(&mut self.rng)
        } else {
            self.reads += u64::from(measured);
            self.read_time.sample(&mut self.rng)
        }
    }
}
