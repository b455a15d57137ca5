//! What an `object_store` does at run time: each request is a read or a write by its operation, and
//! takes that operation's latency; nothing waits (the provider scales the endpoint). It counts the
//! measured reads and writes, which the cost model bills at their own prices.

use crate::dist::Dist;
use crate::rng::Stream;
use crate::scenario::ObjectStore;
use crate::time::SimTime;

/// An object store's run-time state.
pub(super) struct ObjectStoreRt {
    write_ops: Box<[u32]>,
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
            write_ops: o.write_ops.iter().map(|&op| op as u32).collect(),
            read_time: o.read_time.clone(),
            write_time: o.write_time.clone(),
            rng,
            reads: 0,
            writes: 0,
        }
    }

    /// The local work of a request of operation `op`: a write's latency or a read's.
    pub fn work(&mut self, op: u32, measured: bool) -> SimTime {
        if self.write_ops.contains(&op) {
            self.writes += u64::from(measured);
            self.write_time.sample(&mut self.rng)
        } else {
            self.reads += u64::from(measured);
            self.read_time.sample(&mut self.rng)
        }
    }
}
