//! Fuzz-style robustness test of the scenario loader, through the library (no process per case, so
//! thousands of cases run in seconds). Valid scenario texts are mutated at random (lines deleted,
//! duplicated, swapped, re-indented; bytes deleted, replaced, inserted; text truncated; numbers
//! replaced by extreme or malformed ones; long scalars aliased many times), with a fixed seed so a
//! failure is reproducible, and every mutant is handed to `sim_core::load`. The mutants that load
//! are also simulated under a small budget of events and requests in flight: whatever a mutant
//! asks for, the run ends (done, or stopped at a limit) without a panic, an abort or a long wait.
//!
//! The invariants: loading never panics; a refusal carries at least one error; every diagnostic's
//! position lies inside the file and its line and column agree with its byte offset. A smaller
//! sample of mutants also goes through `archsim validate`, since rendering the diagnostics (source
//! snippets sliced by byte offsets) happens in the binary, not in the library.

mod common;

use sim_core::diagnostic::Pos;
use sim_core::rng::Stream;
use sim_core::yaml::pos_of_byte;

const SEEDS: &[&str] = &[
    "version: 1
name: shop
seed: 42
duration: 10s
warmup: 1s
replications: 2
limits: { max_events: 1000000, max_in_flight: 1000, max_simulated_time: 1h }
components:
  api:
    kind: service
    replicas: 2
    concurrency: 4
    queue_limit: 100
    balance: least_outstanding
    service_time: { exponential: 20ms }
    calls:
      - to: cache
      - db
  cache:
    kind: service
    concurrency: unlimited
    service_time: { uniform: [1ms, 2ms] }
  db:
    kind: service
    service_time: { lognormal: { median: 5ms, p99: 40ms } }
workloads:
  - name: web
    entry: api
    arrivals: { poisson: 50/s }
  - name: batch
    entry: db
    users: 10
    think_time: { erlang: { k: 3, mean: 1s } }
slo:
  - p99(web) < 250ms
  - availability(web) >= 99.9%
  - utilization(db) < 0.8
  - throughput(batch) >= 1/s
  - cost <= 12000/month
",
    "# comment: é ü
version: 1
name: \"qüoted\"
duration: 1m
components:
  front: { kind: service, service_time: { pareto: { scale: 5ms, shape: 2.5 } }, calls: [ { to: back } ] }
  back: { kind: service, service_time: { empirical: [ [p50, 12ms], [p90, 30ms], [p100, 90ms] ] } }
  idle: &svc { kind: service, service_time: 1ms }
  idle2: *svc
workloads: [ { name: w, entry: front, arrivals: { constant: 3.6/s } } ]
slo: [ 'p999(w) < 2s', \"mean(w) < 1s\" ]
",
    r#"{"version": 1, "name": "json", "seed": 7, "duration": "30s",
 "components": {"api": {"kind": "service", "replicas": 3, "service_time": {"exponential": "10ms"}}},
 "workloads": [{"name": "w", "entry": "api", "arrivals": {"poisson": "100/s"}}],
 "slo": ["p99(w) < 100ms"]}
"#,
];

/// Bytes that matter to YAML, plus a few that must be refused.
const ALPHABET: &[u8] = b":-[]{},&*!|>'\"#%@`? \n\t\r0123456789.smhd/_~\xff\x00\xc3";

struct Mutator {
    rng: Stream,
}

impl Mutator {
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            self.rng.below(n as u32) as usize
        }
    }

    fn mutate(&mut self, text: &mut Vec<u8>) {
        let mut lines: Vec<Vec<u8>> = text.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        let n = lines.len();
        match self.below(12) {
            0 => {
                lines.remove(self.below(n));
            }
            1 => {
                let i = self.below(n);
                let l = lines[i].clone();
                lines.insert(self.below(n), l);
            }
            2 => {
                let (i, j) = (self.below(n), self.below(n));
                lines.swap(i, j);
            }
            3 => {
                let i = self.below(n);
                let indent = b"  ".repeat(self.below(3));
                if self.below(2) == 0 {
                    lines[i].splice(0..0, indent);
                } else {
                    let strip = lines[i].iter().take_while(|&&b| b == b' ').count().min(2);
                    lines[i].drain(..strip);
                }
            }
            4 if !text.is_empty() => {
                text.remove(self.below(text.len()));
                return;
            }
            5 if !text.is_empty() => {
                let i = self.below(text.len());
                text[i] = ALPHABET[self.below(ALPHABET.len())];
                return;
            }
            6 => {
                let i = self.below(text.len() + 1);
                text.insert(i, ALPHABET[self.below(ALPHABET.len())]);
                return;
            }
            7 => {
                text.truncate(self.below(text.len() + 1));
                return;
            }
            8 if !text.is_empty() => {
                // Duplicate a run of bytes (a pasted fragment).
                let a = self.below(text.len());
                let b = (a + 1 + self.below(40)).min(text.len());
                let frag = text[a..b].to_vec();
                let at = self.below(text.len() + 1);
                text.splice(at..at, frag);
                return;
            }
            9 => {
                // A long scalar aliased many times: at most 200 KB of text copied up to 5,000
                // times (up to 1 GB expanded), to be refused by the loader's bound on bytes.
                let long = "x".repeat(1 + self.below(200_000));
                let aliases = vec!["*long"; 1 + self.below(5_000)].join(", ");
                let block = format!("\nzz_long: &long \"{long}\"\nzz_copies: [{aliases}]\n");
                let at = self.below(text.len() + 1);
                // At the end as a top-level key, or anywhere (mostly a syntax error).
                let at = if self.below(2) == 0 { text.len() } else { at };
                text.splice(at..at, block.bytes());
                return;
            }
            _ => {
                // Replace a number or unit with another token.
                const TOKENS: &[&[u8]] = &[
                    b"-1",
                    b"0",
                    b"1e9",
                    b"10000000",
                    b"1000d",
                    b"\"4\"",
                    b"[]",
                    b"{}",
                    b"~",
                    b"unlimited",
                    b"1e400s",
                    b"0s",
                    b"NaN",
                    b"-0.0ms",
                    b"18446744073709551616",
                    // Valid but costly values: the ranges and the run's budget must hold them.
                    b"10000",
                    b"1000000",
                    b"9999999",
                    b"10000000/s",
                    b"366d",
                    b"1ns",
                    b"1e-9s",
                    b"2147483647",
                ];
                if let Some(i) = text.iter().position(|b| b.is_ascii_digit()) {
                    let j = i + self.below(text.len() - i);
                    if let Some(k) = text[j..].iter().position(|b| b.is_ascii_digit()) {
                        let start = j + k;
                        let end = start
                            + text[start..]
                                .iter()
                                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'.')
                                .count();
                        let tok = TOKENS[self.below(TOKENS.len())];
                        text.splice(start..end, tok.iter().copied());
                    }
                }
                return;
            }
        }
        *text = lines.join(&b'\n');
    }
}

fn check_pos(text: &[u8], p: Pos, what: &str) {
    assert!(
        p.line >= 1 && p.col >= 1,
        "{what}: position {p:?} is not 1-based"
    );
    assert!(
        p.byte as usize <= text.len(),
        "{what}: byte {} beyond the file's {} bytes",
        p.byte,
        text.len()
    );
    // Line and column must describe the byte offset (lone `\r` line breaks aside).
    if !text.contains(&b'\r') {
        let q = pos_of_byte(text, p.byte as usize);
        assert_eq!(
            (p.line, p.col),
            (q.line, q.col),
            "{what}: line/column disagree with byte offset {}",
            p.byte
        );
    }
}

#[test]
fn mutated_scenarios_never_panic_and_always_say_where() {
    let mut m = Mutator {
        rng: Stream::new(0x5eed, 0, "fuzz", "mutations"),
    };
    let mut cases = 0;
    for seed in SEEDS {
        assert!(
            sim_core::load(seed.as_bytes()).is_ok(),
            "seed scenario must be valid:\n{seed}"
        );
        for _ in 0..1500 {
            let mut text = seed.as_bytes().to_vec();
            for _ in 0..1 + m.below(3) {
                m.mutate(&mut text);
            }
            cases += 1;
            let result = std::panic::catch_unwind(|| sim_core::load(&text));
            let shown = String::from_utf8_lossy(&text);
            let Ok(result) = result else {
                panic!("sim_core::load panicked on case {cases}:\n{shown}");
            };
            let diags = match &result {
                Ok(l) => l.warnings.clone(),
                Err(d) => {
                    assert!(
                        d.iter().any(|d| d.is_error()),
                        "refused without an error on case {cases}:\n{shown}\n{d:?}"
                    );
                    d.clone()
                }
            };
            for d in &diags {
                let what = format!("case {cases} `{}`\n{shown}", d.message);
                check_pos(&text, d.span.start, &what);
                check_pos(&text, d.span.end, &what);
                assert!(
                    d.span.start.byte <= d.span.end.byte,
                    "{what}: span ends before it starts"
                );
                assert!(!d.message.is_empty(), "{what}: empty message");
            }
        }
    }
    assert_eq!(cases, 1500 * SEEDS.len());
}

#[test]
fn mutated_scenarios_never_crash_the_binary() {
    let mut m = Mutator {
        rng: Stream::new(0x5eed, 1, "fuzz", "binary"),
    };
    for (k, seed) in SEEDS.iter().enumerate() {
        for _ in 0..100 {
            let mut text = seed.as_bytes().to_vec();
            for _ in 0..1 + m.below(3) {
                m.mutate(&mut text);
            }
            let path = common::write("fuzz_binary", &format!("mutant{k}.yaml"), &text);
            // `archsim` asserts that nothing panicked.
            let r = common::archsim(&["validate", path.to_str().unwrap()]);
            assert!(
                r.code == 0 || r.code == 2,
                "exit {} on {}:\n{}",
                r.code,
                path.display(),
                r.stderr
            );
            if r.code == 2 {
                assert!(
                    r.stderr.contains(&format!("{}:", path.display())),
                    "{}",
                    r.stderr
                );
            }
        }
    }
}

/// Mutants that load are simulated with at most 20,000 events and 2,000 requests in flight per
/// replication, and at most 2 replications: each run ends, done or stopped at a limit, without a
/// panic; none takes long (the set-up a file asks for is bounded by the loader's ranges).
#[test]
fn mutated_scenarios_run_within_a_small_budget() {
    let mut m = Mutator {
        rng: Stream::new(0x5eed, 2, "fuzz", "budget"),
    };
    let (mut ran, mut stopped) = (0, 0);
    for seed in SEEDS {
        for case in 0..400 {
            // One mutation, so that a good share of mutants still loads and runs.
            let mut text = seed.as_bytes().to_vec();
            m.mutate(&mut text);
            let Ok(mut loaded) = sim_core::load(&text) else {
                continue;
            };
            let l = &mut loaded.scenario.limits;
            l.max_events = l.max_events.min(20_000);
            l.max_in_flight = l.max_in_flight.min(2_000);
            loaded.scenario.replications = loaded.scenario.replications.min(2);
            let started = std::time::Instant::now();
            let result = std::panic::catch_unwind(|| sim_core::simulate(&loaded.scenario));
            let shown = String::from_utf8_lossy(&text);
            match result {
                Err(_) => panic!("simulate panicked on budget case {case}:\n{shown}"),
                Ok(Ok(_)) => ran += 1,
                Ok(Err(sim_core::SimError::Limit { .. })) => stopped += 1,
            }
            assert!(
                started.elapsed() < std::time::Duration::from_secs(30),
                "budget case {case} took {:?}:\n{shown}",
                started.elapsed()
            );
        }
    }
    // Both outcomes occur (so the budget is exercised, and the mutants are not all refused).
    assert!(ran > 0 && stopped > 0, "{ran} ran, {stopped} stopped");
    eprintln!("{ran} mutants ran to the end, {stopped} stopped at a limit");
}
