//! The future event list: a binary min-heap of small, plain events ordered by (time, sequence).
//! The sequence number breaks ties in scheduling order, so simultaneous events run first-scheduled
//! first on every platform. The heap's storage is reused, so steady state allocates nothing.

use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// What happens at an event. Payloads are indices, so an event is 24 bytes with its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The next request of an open workload arrives.
    Arrival { workload: u32 },
    /// A user of a closed workload finishes thinking and sends a request.
    ThinkDone { workload: u32 },
    /// A job finishes its local work at its instance.
    WorkDone { job: u32 },
    /// Statistics start.
    WarmupEnd,
    /// The run ends.
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Event {
    pub time: SimTime,
    pub seq: u64,
    pub kind: EventKind,
}

impl Ord for Event {
    fn cmp(&self, other: &Self) -> Ordering {
        // Reversed: BinaryHeap is a max-heap and we want the earliest (time, seq) on top.
        (other.time, other.seq).cmp(&(self.time, self.seq))
    }
}

impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Default, Debug)]
pub struct EventQueue {
    heap: BinaryHeap<Event>,
    next_seq: u64,
}

impl EventQueue {
    pub fn with_capacity(n: usize) -> EventQueue {
        EventQueue {
            heap: BinaryHeap::with_capacity(n),
            next_seq: 0,
        }
    }

    #[inline]
    pub fn schedule(&mut self, time: SimTime, kind: EventKind) {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.heap.push(Event { time, seq, kind });
    }

    #[inline]
    pub fn pop(&mut self) -> Option<Event> {
        self.heap.pop()
    }

    pub fn len(&self) -> usize {
        self.heap.len()
    }

    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_by_time_then_scheduling_order() {
        let mut q = EventQueue::default();
        q.schedule(5, EventKind::End);
        q.schedule(1, EventKind::WorkDone { job: 1 });
        q.schedule(5, EventKind::WorkDone { job: 2 });
        q.schedule(1, EventKind::WorkDone { job: 3 });
        let order: Vec<_> = std::iter::from_fn(|| q.pop())
            .map(|e| (e.time, e.kind))
            .collect();
        assert_eq!(
            order,
            vec![
                (1, EventKind::WorkDone { job: 1 }),
                (1, EventKind::WorkDone { job: 3 }),
                (5, EventKind::End),
                (5, EventKind::WorkDone { job: 2 }),
            ]
        );
        assert_eq!(std::mem::size_of::<Event>(), 24);
    }
}
