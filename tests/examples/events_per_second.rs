//! The native side of the browser's speed measurement (web/e2e/speed.test.mjs, docs/web.md):
//! simulates a scenario as `archsim run --json` does (load, every replication, the report's JSON)
//! and prints one JSON line with the events simulated, the wall time and events per second.
//!
//! ```text
//! cargo run -p archsim-tests --release --example events_per_second -- scenarios/mm4-load-0.9.yaml [RUNS]
//! ```
//!
//! With RUNS (default 1) it repeats the whole run and prints a line per run. The browser's bench
//! page (web/static/bench.html) measures the same span in the simulation worker: from the request
//! to the report, events summed over the replications.

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: events_per_second FILE [RUNS]");
        std::process::exit(2);
    };
    let runs: u32 = args
        .next()
        .map_or(1, |r| r.parse().expect("RUNS is a whole number"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    for _ in 0..runs {
        let start = Instant::now();
        let loaded = sim_core::load(&bytes).expect("a valid scenario");
        let s = &loaded.scenario;
        let reps: Vec<_> = (0..s.replications)
            .map(|r| {
                sim_core::Run::new(s, r)
                    .run_to_end()
                    .expect("within limits")
            })
            .collect();
        let json = sim_core::report_json(&sim_core::report::build(s, &reps));
        let seconds = start.elapsed().as_secs_f64();
        let events: u64 = reps.iter().map(|r| r.events).sum();
        println!(
            "{{\"events\":{events},\"seconds\":{seconds:.4},\"events_per_s\":{:.0},\"report_bytes\":{}}}",
            events as f64 / seconds,
            json.len()
        );
    }
}
