//! Memory stays flat as simulated time grows: a long run of a five-service chain must not use more
//! heap than a short one, give or take what its size cannot depend on.
//!
//! A counting `#[global_allocator]` tracks live heap bytes and their peak. The chain
//! api -> auth -> catalog -> pricing -> db (exponential service times, thread-per-request, two
//! replicas each, every service at about 60-70 % of its slots) runs at 1,000 rps for 1 minute and
//! for 30 minutes through `sim_core::load` and `sim_core::simulate`; the peak heap of the long run
//! must be within [`SLACK`] of the short one's. This file holds a single test so that no other test
//! thread allocates while it measures. The bench (tests/benches/mm4_vs_simpy.rs) checks the same
//! thing at full scale (5,000 rps, 1 minute vs 1 hour) by peak RSS.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting live bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
}

#[allow(unsafe_code)] // The one `unsafe` of the workspace: a counting allocator over `System`.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            // Counted as the new block arriving before the old one leaves, as a moving realloc does.
            grew(new_size);
            LIVE.fetch_sub(layout.size(), Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Requests per second of the chain.
const RATE: u64 = 1_000;

/// The chain at [`RATE`] for `duration_s` simulated seconds. A caller keeps its slot while its call
/// runs, so holding times nest (db 4 ms, pricing ~6, catalog ~9, auth ~10, api ~12 ms) and the
/// slots per replica grow up the chain to keep every service at about 60-70 % busy.
fn chain_yaml(duration_s: u64) -> String {
    // (name, mean local work in ms, concurrency per replica, callee)
    let chain = [
        ("api", 2, 10, Some("auth")),
        ("auth", 1, 9, Some("catalog")),
        ("catalog", 3, 8, Some("pricing")),
        ("pricing", 2, 5, Some("db")),
        ("db", 4, 3, None),
    ];
    let mut y = format!("version: 1\nname: chain-memory\nseed: 11\nduration: {duration_s}s\n");
    y += "components:\n";
    for (name, ms, conc, callee) in chain {
        y += &format!(
            "  {name}:\n    kind: service\n    replicas: 2\n    concurrency: {conc}\n    \
             service_time: {{ exponential: {ms}ms }}\n"
        );
        if let Some(to) = callee {
            y += &format!("    calls: [ {{ to: {to} }} ]\n");
        }
    }
    y += &format!(
        "workloads:\n  - {{ name: web, entry: api, arrivals: {{ poisson: {RATE}/s }} }}\n"
    );
    y
}

struct Measured {
    /// Peak live heap above what was live before the run, bytes.
    peak: usize,
    completed: u64,
    events: u64,
    utilization: Vec<(String, f64)>,
}

/// Loads and simulates the chain (report included) and returns its peak heap.
fn measure(duration_s: u64) -> Measured {
    let text = chain_yaml(duration_s);
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let loaded = sim_core::load(text.as_bytes()).expect("the chain scenario is valid");
    let report = sim_core::simulate(&loaded.scenario).expect("within limits");
    let peak = PEAK.load(Relaxed) - base;
    Measured {
        peak,
        completed: report.workloads["web"].completed,
        events: report.engine.events,
        utilization: report
            .components
            .iter()
            .map(|(k, c)| (k.clone(), c.utilization))
            .collect(),
    }
}

/// How much more the long run may use. The run's memory is (a) fixed-size: six HdrHistograms
/// (one per service's queue wait, one for the workload's latency) whose bucket arrays are set by
/// the value range, not the sample count, plus the scenario, the report and per-service state;
/// and (b) bounded by load: the job slab, the event heap and the instance queues hold only what is
/// in the system at once (about 40 jobs here, peaking in the low hundreds), and they start with
/// room for 1,024 jobs and events. A longer run can only meet a rarer, higher peak of jobs in the
/// system, which at worst doubles the slab (1,024 x 32 B) and the event heap (1,024 x 24 B) once:
/// 56 KiB. 64 KiB covers that.
///
/// The check can fail: anything kept per request would grow by (30 - 1) min x 60 x 1,000 rps =
/// 1.74 M entries, so even one byte per request (1.7 MB) is 27 times the slack, and keeping every
/// latency sample as a u64 (13.9 MB) would exceed it 200 times over. The test asserts the first
/// half of that arithmetic from the requests it actually simulated. Checked by hand: keeping one
/// u64 per completed request during the run makes this test fail (14.4 MB against 0.49 MB).
const SLACK: usize = 64 * 1024;

#[test]
fn peak_heap_does_not_grow_with_simulated_time() {
    let short = measure(60);
    let long = measure(30 * 60);

    for (name, u) in &long.utilization {
        assert!(
            (0.45..=0.75).contains(u),
            "{name} at {:.0} % of its slots: the chain should run at load 0.5-0.7",
            u * 100.0
        );
    }
    println!(
        "1 min: {} requests, {} events, peak heap {} B\n30 min: {} requests, {} events, peak heap {} B\nutilisation: {:?}",
        short.completed,
        short.events,
        short.peak,
        long.completed,
        long.events,
        long.peak,
        long.utilization
    );
    assert!(
        long.completed > 25 * short.completed,
        "the long run should simulate ~30 times as many requests ({} vs {})",
        long.completed,
        short.completed
    );
    // The slack is small enough that per-request storage could not hide in it.
    let extra_requests = (long.completed - short.completed) as usize;
    assert!(
        SLACK < extra_requests,
        "slack {SLACK} B would hide one byte per request"
    );
    assert!(
        long.peak <= short.peak + SLACK,
        "peak heap grew with simulated time: {} B for 30 min vs {} B for 1 min (slack {SLACK} B)",
        long.peak,
        short.peak
    );
}
