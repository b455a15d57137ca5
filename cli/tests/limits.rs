//! Runaway scenarios through the binary: each guard of the scenario's `limits:` block stops the run
//! (or refuses the file) with exit code 2 and a message that names the limit and how to get past it.
//! docs/limits.md documents each limit; this file checks that what it says is what happens.

mod common;

use common::{archsim, each_command, refused, refused_at, write};

/// An open workload at 5000/s on a service that completes 100/s (10 ms, one slot) with no
/// `queue_limit`: the backlog grows by ~4900 requests a simulated second without bound.
const OVERLOADED: &str = "version: 1
name: overloaded
seed: 1
duration: 1h
components:
  api: { kind: service, service_time: 10ms }
workloads:
  - { name: web, entry: api, arrivals: { poisson: 5000/s } }
";

#[test]
fn an_overloaded_open_workload_hits_the_default_in_flight_limit() {
    let path = write("overload_default", "overloaded.yaml", OVERLOADED);
    let p = path.to_str().unwrap();
    for cmd in ["run", "check"] {
        let r = archsim(&[cmd, p]);
        assert_eq!(r.code, 2, "archsim {cmd}: {}", r.stderr);
        let line = r
            .stderr
            .lines()
            .find(|l| l.starts_with(&format!("{p}: error: simulation stopped at ")))
            .unwrap_or_else(|| panic!("archsim {cmd}: no limit message:\n{}", r.stderr));
        for s in [
            "more than 1000000 requests in flight",
            "limits.max_in_flight",
            "overloaded",
            "set a `queue_limit`",
        ] {
            assert!(
                line.contains(s),
                "archsim {cmd}: `{line}` should contain `{s}`"
            );
        }
    }
    // `--json -` prints no partial report on stdout.
    let r = archsim(&["run", p, "--json", "-"]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    // The limit is a property of the run, not of the file: validation accepts it.
    assert_eq!(archsim(&["validate", p]).code, 0);
}

#[test]
fn a_lower_in_flight_limit_stops_sooner() {
    let text = OVERLOADED.replace("seed: 1\n", "seed: 1\nlimits: { max_in_flight: 500 }\n");
    let path = write("overload_500", "overloaded.yaml", text);
    let r = archsim(&["run", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("more than 500 requests in flight (limits.max_in_flight)"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_queue_limit_keeps_the_overload_within_limits() {
    // The remedy the message suggests: beyond the queue limit requests are rejected, not queued.
    let text = OVERLOADED.replace("duration: 1h", "duration: 1m").replace(
        "service_time: 10ms }",
        "service_time: 10ms, queue_limit: 100 }",
    );
    let path = write("overload_queue_limit", "bounded.yaml", text);
    let r = archsim(&["run", path.to_str().unwrap(), "--json", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v["workloads"]["web"]["failed"].as_u64().unwrap() > 0);
}

#[test]
fn the_event_limit_stops_a_long_run() {
    let text = "version: 1
name: long
seed: 1
duration: 1h
limits: { max_events: 10000 }
components:
  api: { kind: service, service_time: { exponential: 1ms } }
workloads:
  - { name: web, entry: api, arrivals: { poisson: 100/s } }
";
    let path = write("events", "long.yaml", text);
    let p = path.to_str().unwrap();
    for cmd in ["run", "check"] {
        let r = archsim(&[cmd, p]);
        assert_eq!(r.code, 2, "archsim {cmd}: {}", r.stderr);
        let line = r
            .stderr
            .lines()
            .find(|l| l.starts_with(&format!("{p}: error: simulation stopped at ")))
            .unwrap_or_else(|| panic!("archsim {cmd}: no limit message:\n{}", r.stderr));
        for s in [
            "more than 10000 events",
            "limits.max_events",
            "shorten `duration`",
        ] {
            assert!(
                line.contains(s),
                "archsim {cmd}: `{line}` should contain `{s}`"
            );
        }
    }
}

#[test]
fn warmup_plus_duration_beyond_the_simulated_time_limit_is_refused_at_validation() {
    let text = "version: 1
name: too-long
duration: 50m
warmup: 20m
limits: { max_simulated_time: 1h }
components:
  api: { kind: service, service_time: 1ms }
workloads:
  - { name: web, entry: api, arrivals: { poisson: 1/s } }
";
    refused(
        "simulated_time",
        text,
        3,
        11,
        &[
            "warm-up plus duration is 1.167h, beyond the limit of 1h simulated time per replication",
            "expected less, or a higher `limits: { max_simulated_time: ... }`",
        ],
    );
}

#[test]
fn the_default_simulated_time_limit_is_31_days() {
    let text = "version: 1
name: too-long
duration: 40d
components:
  api: { kind: service, service_time: 1ms }
workloads:
  - { name: web, entry: api, arrivals: { poisson: 1/s } }
";
    refused(
        "simulated_time_default",
        text,
        3,
        11,
        &["warm-up plus duration is 40d, beyond the limit of 31d"],
    );
}

#[test]
fn a_closed_loop_that_never_advances_time_is_refused_at_validation() {
    // Zero think time and zero service time: every event happens at t = 0 and the run would spin
    // until `max_events` (a billion events by default) stopped it.
    let text = "version: 1
name: zeno
duration: 10s
components:
  api: { kind: service, concurrency: unlimited, service_time: 0s }
workloads:
  - { name: web, entry: api, users: 10, think_time: 0s }
";
    refused(
        "zero_time_loop",
        text,
        7,
        13,
        &[
            "workload `web` would never let simulated time advance",
            "expected a positive `think_time` or `service_time`",
        ],
    );
}

#[test]
fn bad_limits_are_refused_with_their_place() {
    let base = "version: 1
name: limits
duration: 10s
limits: { max_events: 1000 }
components:
  api: { kind: service, service_time: 1ms }
workloads:
  - { name: web, entry: api, arrivals: { poisson: 1/s } }
";
    let cases: &[(&str, &str, u32, &[&str])] = &[
        (
            "max_events: 1000",
            "max_events: 0",
            23,
            &["`max_events` is 0; expected a whole number from 1 to 1000000000000"],
        ),
        (
            "max_events: 1000",
            "max_evnts: 1000",
            11,
            &[
                "unknown key `max_evnts` in `limits`",
                "did you mean `max_events`?",
            ],
        ),
        (
            "max_events: 1000",
            "max_in_flight: -5",
            26,
            &["`max_in_flight` is negative (`-5`)"],
        ),
        (
            "max_events: 1000",
            "max_simulated_time: 10",
            31,
            &["a bare number `10`", "expected a duration with a unit"],
        ),
    ];
    for (i, (from, to, col, says)) in cases.iter().enumerate() {
        let path = write(
            "bad_limits",
            &format!("case{i}.yaml"),
            base.replace(from, to),
        );
        refused_at(&path, 4, *col, says);
    }
    // And the base itself is fine.
    let path = write("bad_limits", "base.yaml", base);
    for (cmd, r) in each_command(&path) {
        assert_ne!(r.code, 2, "archsim {cmd}: {}", r.stderr);
    }
}

/// Line and column (1-based, in characters) of the first `needle` in `text`.
fn place_of(text: &str, needle: &str) -> (u32, u32) {
    let at = text.find(needle).expect("needle in text");
    let line = text[..at].matches('\n').count() as u32 + 1;
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..at].chars().count() as u32 + 1)
}

/// Input is read only up to its bound: a device that never ends is refused at once, with the
/// bound in the message, as is a file one byte too large.
#[test]
fn endless_and_oversized_input_is_refused_after_the_bound() {
    let started = std::time::Instant::now();
    let r = archsim(&["validate", "/dev/zero"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("/dev/zero is larger than 8388608 bytes (reading stopped there)"),
        "{}",
        r.stderr
    );
    // Reading 8 MiB takes milliseconds; reading /dev/zero to the end would never finish.
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let mut big = String::from("version: 1\n");
    big.push_str(&"#".repeat(8 * 1024 * 1024 - big.len()));
    let exact = write("oversized", "exact.yaml", &big);
    big.push('\n');
    let over = write("oversized", "over.yaml", &big);
    let r = archsim(&["validate", over.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("is larger than 8388608 bytes"),
        "{}",
        r.stderr
    );
    // At the bound exactly, the file is read and judged as YAML (here: nothing but a comment).
    let r = archsim(&["validate", exact.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("larger than"), "{}", r.stderr);
}

/// The alias case: a 20 KB string aliased 150,000 times (a 600 KB file) would expand to
/// 3 GB; it is refused by the bound on the bytes aliases copy, at the alias that crosses it.
#[test]
fn aliases_of_a_long_string_are_bounded_by_bytes() {
    let mut text = format!(
        "version: 1\nname: bomb\nduration: 1s\ndescription: &s \"{}\"\nlist: [",
        "x".repeat(20_000)
    );
    text.push_str(&vec!["*s"; 150_000].join(", "));
    text.push_str("]\n");
    let path = write("alias_bytes", "bomb.yaml", &text);
    let r = archsim(&["validate", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("aliases expand to more than 16777216 bytes of text"),
        "{}",
        r.stderr
    );
}

/// Every value a memory or time budget follows from has a ceiling (or floor), refused with its
/// range and place: `max_in_flight` (memory), `autoscale.interval: 0s` (a decision every
/// nanosecond), health-check and backup intervals.
#[test]
fn budget_values_outside_their_range_are_refused_with_the_range() {
    let base = "version: 1
name: ranges
duration: 10m
limits: { max_in_flight: 1000 }
components:
  lb: { kind: load_balancer, targets: [api], health_check: { interval: 10s } }
  api: { kind: service, replicas: 2, service_time: 1ms, autoscale: { min: 2, max: 4, interval: 15s } }
  db: { kind: database, replicas: 1, backup: { interval: 24h, restore_time: 1h } }
workloads:
  - { name: web, entry: lb, arrivals: { poisson: 10/s } }
";
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "max_in_flight: 1000",
            "max_in_flight: 2147483647",
            &["`max_in_flight` is 2147483647; expected a whole number from 1 to 10000000"],
        ),
        (
            "interval: 15s",
            "interval: 0s",
            &["`autoscale.interval` is 0s; expected a duration from 1s to 1d"],
        ),
        (
            "interval: 10s",
            "interval: 1ms",
            &["`health_check.interval` is 1ms; expected a duration from 100ms to 1d"],
        ),
        (
            "interval: 24h",
            "interval: 1s",
            &["`backup.interval` is 1s; expected a duration from 1m to 366d"],
        ),
    ];
    for (i, (from, to, says)) in cases.iter().enumerate() {
        let text = base.replacen(from, to, 1);
        let (line, col) = place_of(&text, to);
        let col = col + to.find(':').unwrap() as u32 + 2;
        let path = write("ranges", &format!("case{i}.yaml"), &text);
        refused_at(&path, line, col, says);
    }
    let path = write("ranges", "base.yaml", base);
    let r = archsim(&["validate", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// Closed users are requests that may all be in flight at once: more than `max_in_flight` of
/// them is refused when the file is loaded, at the workload that crosses the limit.
#[test]
fn more_users_than_requests_in_flight_are_refused() {
    let text = "version: 1
name: crowd
duration: 1m
limits: { max_in_flight: 1000 }
components:
  api: { kind: service, service_time: 1ms }
workloads:
  - { name: a, entry: api, users: 600, think_time: 1s }
  - { name: b, entry: api, users: 600, think_time: 1s }
";
    refused(
        "users_in_flight",
        text,
        9,
        13,
        &["closed workloads have 1200 users up to `b`, more than `limits.max_in_flight` (1000)"],
    );
    let ok = text.replace("max_in_flight: 1000", "max_in_flight: 1200");
    let path = write("users_in_flight", "ok.yaml", ok);
    assert_eq!(archsim(&["validate", path.to_str().unwrap()]).code, 0);
}
