//! The floor: minimal discrete-event loops for the bench's two models, written the way one would
//! write them by hand with nothing but the essentials, to measure how far archsim's general engine
//! is from the fastest simple program on the same model.
//!
//! Each loop is a binary heap of `(time, seq, kind)` in integer nanoseconds, FCFS `VecDeque`
//! queues, exponential draws by inversion with `libm::log` on xoshiro256++, and an HdrHistogram of
//! sojourn times with the bounds archsim uses. The random streams are archsim's named streams
//! (xoshiro256++ seeded from seed, replication, owner and purpose by `sim_core::rng::key`), drawn
//! in the order archsim draws them, so a loop follows the same sample path as archsim on the same
//! seed: the bench prints both results side by side as a check that they simulate the same thing.
//! The loop calls the generator and `libm::log` once per draw, as the issue defines the floor; it
//! does not use `sim_core::rng::Stream`, which draws ahead in blocks (docs/benchmarks.md).

use hdrhistogram::Histogram;
use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// What a finished loop measured (the histogram is kept, as a real program would, though only its
/// count is printed).
pub struct FloorRun {
    pub customers: u64,
    pub events: u64,
    pub mean_sojourn_s: f64,
}

/// One of archsim's named streams, drawn one output at a time.
pub struct Stream(Xoshiro256PlusPlus);

impl Stream {
    fn new(seed: u64, replication: u32, owner: &str, purpose: &str) -> Stream {
        let key = sim_core::rng::key(seed, replication, owner, purpose);
        Stream(Xoshiro256PlusPlus::seed_from_u64(key))
    }

    /// A uniform draw in `(0, 1]`, as `sim_core::rng::Stream::uniform_open0`.
    #[inline]
    fn uniform_open0(&mut self) -> f64 {
        sim_core::rng::open0(self.0.next_u64())
    }
}

/// An exponential draw with mean `mean_ns`, rounded to the nearest nanosecond (as archsim does).
#[inline]
fn exp_ns(mean_ns: f64, s: &mut Stream) -> u64 {
    (-mean_ns * libm::log(s.uniform_open0()) + 0.5) as u64
}

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 1 << 55, 2).expect("valid bounds")
}

fn result(h: &Histogram<u64>, sum_ns: u128, events: u64) -> FloorRun {
    let n = h.len();
    FloorRun {
        customers: n,
        events,
        mean_sojourn_s: if n == 0 {
            0.0
        } else {
            sum_ns as f64 / n as f64 / 1e9
        },
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mmc {
    Arrival,
    Departure { arrived: u64 },
}

/// M/M/c: Poisson arrivals at `lambda` per second, exponential service with rate `mu` per server,
/// `c` servers sharing one FCFS queue, from empty until `end_ns`. Streams named like the bench's
/// scenario (`customers` arrivals, `server` service times).
pub fn mmc(seed: u64, end_ns: u64, lambda: f64, mu: f64, c: u32) -> FloorRun {
    let mut arrivals = Stream::new(seed, 0, "customers", "arrivals");
    let mut service = Stream::new(seed, 0, "server", "service_time");
    let (gap_ns, work_ns) = (1e9 / lambda, 1e9 / mu);
    let mut heap = BinaryHeap::with_capacity(64);
    let mut seq = 0u64;
    let mut push = |heap: &mut BinaryHeap<_>, t: u64, k: Mmc| {
        heap.push(Reverse((t, seq, k)));
        seq += 1;
    };
    let mut queue: VecDeque<u64> = VecDeque::with_capacity(64);
    let mut hist = histogram();
    let (mut busy, mut events, mut sum_ns) = (0u32, 0u64, 0u128);
    push(&mut heap, exp_ns(gap_ns, &mut arrivals), Mmc::Arrival);
    while let Some(Reverse((now, _, kind))) = heap.pop() {
        if now >= end_ns {
            break;
        }
        events += 1;
        match kind {
            Mmc::Arrival => {
                push(&mut heap, now + exp_ns(gap_ns, &mut arrivals), Mmc::Arrival);
                if busy < c {
                    busy += 1;
                    let t = now + exp_ns(work_ns, &mut service);
                    push(&mut heap, t, Mmc::Departure { arrived: now });
                } else {
                    queue.push_back(now);
                }
            }
            Mmc::Departure { arrived } => {
                hist.saturating_record(now - arrived);
                sum_ns += (now - arrived) as u128;
                match queue.pop_front() {
                    Some(a) => {
                        let t = now + exp_ns(work_ns, &mut service);
                        push(&mut heap, t, Mmc::Departure { arrived: a });
                    }
                    None => busy -= 1,
                }
            }
        }
    }
    result(&hist, sum_ns, events)
}

/// One service of a chain: `replicas` instances of `concurrency` slots, round-robin, exponential
/// local work with mean `work_ms`; a request holds its slot while the rest of the chain runs.
pub struct Stage {
    pub name: &'static str,
    pub work_ms: f64,
    pub concurrency: u32,
    pub replicas: u32,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Chain {
    Arrival,
    WorkDone { request: u32 },
}

/// A request in the chain: when it was sent, the stage it is at, the replica it holds at each stage.
#[derive(Clone, Copy)]
struct Request {
    sent: u64,
    stage: u32,
    replica: [u32; 8],
}

struct Replica {
    busy: u32,
    queue: VecDeque<u32>,
}

struct StageRt {
    work_ns: f64,
    concurrency: u32,
    rng: Stream,
    next: u32,
    replicas: Vec<Replica>,
}

struct ChainLoop {
    heap: BinaryHeap<Reverse<(u64, u64, Chain)>>,
    seq: u64,
    stages: Vec<StageRt>,
    requests: Vec<Request>,
    free: Vec<u32>,
}

impl ChainLoop {
    fn push(&mut self, t: u64, k: Chain) {
        self.heap.push(Reverse((t, self.seq, k)));
        self.seq += 1;
    }

    /// The request reaches stage `k`: the next replica in turn; a slot, or its queue.
    fn enter(&mut self, now: u64, request: u32, k: usize) {
        let st = &mut self.stages[k];
        let r = st.next;
        st.next = (r + 1) % st.replicas.len() as u32;
        self.requests[request as usize].replica[k] = r;
        self.requests[request as usize].stage = k as u32;
        let rep = &mut st.replicas[r as usize];
        if rep.busy < st.concurrency {
            rep.busy += 1;
            self.start(now, request, k);
        } else {
            rep.queue.push_back(request);
        }
    }

    fn start(&mut self, now: u64, request: u32, k: usize) {
        let st = &mut self.stages[k];
        let t = now + exp_ns(st.work_ns, &mut st.rng);
        self.push(t, Chain::WorkDone { request });
    }

    /// The slot at stage `k` held by `request` is free: the next waiting request there takes it.
    fn release(&mut self, now: u64, request: u32, k: usize) {
        let r = self.requests[request as usize].replica[k];
        let rep = &mut self.stages[k].replicas[r as usize];
        match rep.queue.pop_front() {
            Some(next) => self.start(now, next, k),
            None => rep.busy -= 1,
        }
    }
}

/// A chain of synchronous calls: requests arrive at `rate` per second at the first stage; each stage
/// does its work, then calls the next while keeping its slot; the last stage's answer releases every
/// slot on the way back. From empty until `end_ns`. Streams named like `chain_yaml`'s components.
pub fn chain(seed: u64, end_ns: u64, rate: f64, stages: &[Stage], workload: &str) -> FloorRun {
    assert!(stages.len() <= 8, "the floor's chain has room for 8 stages");
    let mut arrivals = Stream::new(seed, 0, workload, "arrivals");
    let gap_ns = 1e9 / rate;
    let mut l = ChainLoop {
        heap: BinaryHeap::with_capacity(1024),
        seq: 0,
        stages: stages
            .iter()
            .map(|s| StageRt {
                work_ns: s.work_ms * 1e6,
                concurrency: s.concurrency,
                rng: Stream::new(seed, 0, s.name, "service_time"),
                next: 0,
                replicas: (0..s.replicas)
                    .map(|_| Replica {
                        busy: 0,
                        queue: VecDeque::with_capacity(64),
                    })
                    .collect(),
            })
            .collect(),
        requests: Vec::with_capacity(1024),
        free: Vec::with_capacity(1024),
    };
    let last = stages.len() - 1;
    let mut hist = histogram();
    let (mut events, mut sum_ns) = (0u64, 0u128);
    l.push(exp_ns(gap_ns, &mut arrivals), Chain::Arrival);
    while let Some(Reverse((now, _, kind))) = l.heap.pop() {
        if now >= end_ns {
            break;
        }
        events += 1;
        match kind {
            Chain::Arrival => {
                l.push(now + exp_ns(gap_ns, &mut arrivals), Chain::Arrival);
                let req = Request {
                    sent: now,
                    stage: 0,
                    replica: [0; 8],
                };
                let id = match l.free.pop() {
                    Some(i) => {
                        l.requests[i as usize] = req;
                        i
                    }
                    None => {
                        l.requests.push(req);
                        (l.requests.len() - 1) as u32
                    }
                };
                l.enter(now, id, 0);
            }
            Chain::WorkDone { request } => {
                let k = l.requests[request as usize].stage as usize;
                if k < last {
                    l.enter(now, request, k + 1);
                    continue;
                }
                for k in (0..=last).rev() {
                    l.release(now, request, k);
                }
                let sojourn = now - l.requests[request as usize].sent;
                hist.saturating_record(sojourn);
                sum_ns += sojourn as u128;
                l.free.push(request);
            }
        }
    }
    result(&hist, sum_ns, events)
}
