//! The future event list: a binary min-heap of small, plain events ordered by (time, sequence).
//! The sequence number breaks ties in scheduling order, so simultaneous events run first-scheduled
//! first on every platform. The heap's storage is reused, so steady state allocates nothing.

use super::ids::{ComponentId, DeliveryId, InstanceId, JobId, LinkId, WorkloadId};
use crate::time::SimTime;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// What happens at an event. Payloads are slab indices with generation counters (a stale event,
/// whose job or call has since ended, is recognised and ignored), so an event is 32 bytes in all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventKind {
    /// The next request of an open workload arrives (`generation` changes when the rate does).
    Arrival {
        workload: WorkloadId,
        generation: u32,
    },
    /// A user of a closed workload finishes thinking and sends a request.
    ThinkDone {
        workload: WorkloadId,
    },
    /// A job reaches its callee's instance after the network delay.
    Deliver {
        job: JobId,
        generation: u32,
    },
    /// A job finishes its local work at its instance.
    WorkDone {
        job: JobId,
        generation: u32,
    },
    /// A call's response reaches its caller.
    Response {
        link: LinkId,
        generation: u32,
        ok: bool,
    },
    /// A call's timeout (or, for a dropped call, the connect timeout) expires.
    CallTimeout {
        link: LinkId,
        generation: u32,
    },
    /// A retry's backoff has passed: send the call again.
    Retry {
        link: LinkId,
        generation: u32,
    },
    /// A root request's response reaches its user.
    RequestDone {
        job: JobId,
        generation: u32,
        ok: bool,
    },
    /// A timed fault starts or ends.
    Fault {
        index: u32,
        start: bool,
    },
    /// Spot instances' warning has run out: reclaim them.
    SpotReclaim {
        index: u32,
    },
    /// An instance fails or is repaired (random failures from `mtbf`/`mttr`).
    InstanceFail {
        instance: InstanceId,
    },
    InstanceRepair {
        instance: InstanceId,
    },
    /// A balancer probes its targets.
    HealthCheck {
        component: ComponentId,
    },
    /// A probe's outcome is known (a failed probe waits for the check's timeout).
    HealthResult {
        component: ComponentId,
        target: u32,
        ok: bool,
    },
    /// A queue message taken by a consumer has not been acknowledged in time.
    VisibilityTimeout {
        component: ComponentId,
        delivery: DeliveryId,
        generation: u32,
    },
    /// A database's failover (or restore from backup) completes.
    Promote {
        component: ComponentId,
        generation: u32,
    },
    /// A database takes a backup.
    Backup {
        component: ComponentId,
    },
    /// An autoscaler evaluates its service.
    Autoscale {
        component: ComponentId,
    },
    /// A scale-out decision takes effect after its delay.
    ScaleOut {
        component: ComponentId,
        count: u32,
    },
    /// A new instance has started and serves.
    InstanceReady {
        instance: InstanceId,
    },
    /// A time-series window closes.
    Window,
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
        // Reversed: BinaryHeap is a max-heap and we want the earliest (time, seq) on top. One u128
        // comparison orders the same as the tuple and is measurably cheaper in the hot loop.
        other.key().cmp(&self.key())
    }
}

impl Event {
    #[inline]
    fn key(&self) -> u128 {
        ((self.time as u128) << 64) | self.seq as u128
    }
}

impl PartialOrd for Event {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

// Small events keep the heap's sifting cheap: the ids are 4 bytes, so every payload fits in 16.
const _: () = assert!(size_of::<Event>() == 32);

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
        q.schedule(
            1,
            EventKind::WorkDone {
                job: JobId::new(1),
                generation: 0,
            },
        );
        q.schedule(
            5,
            EventKind::WorkDone {
                job: JobId::new(2),
                generation: 0,
            },
        );
        q.schedule(
            1,
            EventKind::WorkDone {
                job: JobId::new(3),
                generation: 0,
            },
        );
        let order: Vec<_> = std::iter::from_fn(|| q.pop())
            .map(|e| (e.time, e.kind))
            .collect();
        assert_eq!(
            order,
            vec![
                (
                    1,
                    EventKind::WorkDone {
                        job: JobId::new(1),
                        generation: 0
                    }
                ),
                (
                    1,
                    EventKind::WorkDone {
                        job: JobId::new(3),
                        generation: 0
                    }
                ),
                (5, EventKind::End),
                (
                    5,
                    EventKind::WorkDone {
                        job: JobId::new(2),
                        generation: 0
                    }
                ),
            ]
        );
    }

    /// Against a sorted list, through interleaved schedules and pops with many equal times: events
    /// come out by time, and equal times in scheduling order.
    #[test]
    fn matches_a_sorted_list_under_interleaving() {
        let mut rng = crate::rng::Stream::new(3, 0, "queue", "test");
        let mut q = EventQueue::default();
        let mut model: Vec<(SimTime, u32)> = Vec::new();
        let mut now = 0;
        for n in 0..20_000u32 {
            if rng.below(3) > 0 || model.is_empty() {
                let t = now + rng.below(8) as SimTime;
                q.schedule(
                    t,
                    EventKind::ThinkDone {
                        workload: WorkloadId::new(n as usize),
                    },
                );
                model.push((t, n));
            } else {
                let e = q.pop().expect("not empty");
                // The model's earliest (time, then scheduling order); ids grow with scheduling.
                let at = (0..model.len()).min_by_key(|&i| model[i]).unwrap();
                let (t, id) = model.remove(at);
                assert_eq!(
                    (e.time, e.kind),
                    (
                        t,
                        EventKind::ThinkDone {
                            workload: WorkloadId::new(id as usize)
                        }
                    )
                );
                now = t;
            }
            assert_eq!(q.len(), model.len());
        }
    }
}
