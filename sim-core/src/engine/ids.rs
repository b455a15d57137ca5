//! The engine's ids: a job, link, call, instance, component, workload, queue delivery, operation
//! or cache key is an index into one of the run's tables (or, for an operation, the scenario's
//! list), each with a type of its own so that one kind cannot be passed for another.
//!
//! An id holds its index + 1 in a [`NonZeroU32`], so `Option<JobId>` is 4 bytes like `JobId`:
//! "no link" or "no key" is `None` at no cost in size, and events stay 32 bytes. A table is
//! indexed by its id directly (`self.jobs[job]`: `Vec<T>` implements `Index<JobId>`).
//!
//! This file imports nothing from the rest of the engine: everything else builds on it.

use std::num::NonZeroU32;
use std::ops::{Index, IndexMut};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(NonZeroU32);

        impl $name {
            /// The id of entry `index` (below `u32::MAX`).
            #[inline]
            pub(crate) const fn new(index: usize) -> $name {
                debug_assert!(index < u32::MAX as usize);
                // Saturating rather than checked: no branch, and no `unwrap`, on the hot path.
                $name(NonZeroU32::MIN.saturating_add(index as u32))
            }

            /// The position of its entry in its table.
            #[inline]
            pub(crate) const fn index(self) -> usize {
                (self.0.get() - 1) as usize
            }

            /// The id `k` entries further on (the ids of a component's instances follow its first).
            #[inline]
            #[allow(dead_code)] // Not every kind of id has runs of consecutive entries.
            pub(crate) const fn plus(self, k: u32) -> $name {
                $name(self.0.saturating_add(k))
            }

            /// How many entries `self` lies past `first`.
            #[inline]
            #[allow(dead_code)]
            pub(crate) const fn since(self, first: $name) -> u32 {
                self.0.get() - first.0.get()
            }
        }

        impl<T> Index<$name> for Vec<T> {
            type Output = T;
            #[inline]
            fn index(&self, id: $name) -> &T {
                &self[id.index()]
            }
        }

        impl<T> IndexMut<$name> for Vec<T> {
            #[inline]
            fn index_mut(&mut self, id: $name) -> &mut T {
                &mut self[id.index()]
            }
        }
    )*};
}

ids! {
    /// A job (one visit of a request to a component): an entry of the run's job slab.
    JobId;
    /// A call link (one attempt of a call in flight): an entry of the run's link slab.
    LinkId;
    /// A call site: an entry of the run's call table (steps' calls and balancers' forwarding calls).
    CallId;
    /// An instance: an entry of the run's instance table (a component's instances are contiguous).
    InstanceId;
    /// A component: an entry of the run's service table, in the scenario's order.
    ComponentId;
    /// A workload: an entry of the run's workload table, in the scenario's order.
    WorkloadId;
    /// A queue's message handed to a consumer: an entry of the broker's delivery slab.
    DeliveryId;
    /// An operation of the scenario's `ops` list.
    OpId;
    /// A cache key (its rank in the key model's popularity order).
    KeyId;
}

/// The ids of `count` consecutive entries from `first` (a component's instances).
#[inline]
pub(crate) fn span(first: InstanceId, count: u32) -> impl DoubleEndedIterator<Item = InstanceId> {
    (0..count).map(move |k| first.plus(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_and_its_none_are_four_bytes_and_index_round_trips() {
        assert_eq!(size_of::<JobId>(), 4);
        assert_eq!(size_of::<Option<JobId>>(), 4);
        assert_eq!(size_of::<Option<KeyId>>(), 4);
        for i in [0usize, 1, 7, 1 << 20, u32::MAX as usize - 1] {
            assert_eq!(JobId::new(i).index(), i);
        }
        let first = InstanceId::new(3);
        assert_eq!(first.plus(2), InstanceId::new(5));
        assert_eq!(InstanceId::new(5).since(first), 2);
        let v: Vec<u32> = (10..13).collect();
        assert_eq!(v[LinkId::new(2)], 12);
        assert_eq!(
            span(first, 3).collect::<Vec<_>>(),
            [3, 4, 5].map(InstanceId::new)
        );
    }
}
