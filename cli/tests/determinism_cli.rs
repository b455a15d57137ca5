//! Determinism through the binary: two separate processes running `archsim run FILE --json -` print
//! byte-identical reports (nothing depends on the clock, the process, hash-map order or the
//! environment), `--seed` overrides the file's seed exactly as if the file said it, and `--json PATH`
//! writes the same bytes as `--json -`. The library-level determinism tests are in
//! tests/determinism.rs.

mod common;

use common::{archsim, temp_dir, valid_with, write};

/// The common scenario with a second, closed workload, a warm-up and two replications.
fn scenario() -> String {
    valid_with(
        "slo:\n",
        "  - name: users\n    entry: db\n    users: 20\n    think_time: { exponential: 100ms }\nwarmup: 1s\nreplications: 2\nslo:\n",
    )
}

fn json_report(path: &str, extra: &[&str]) -> String {
    let mut args = vec!["run", path, "--json", "-"];
    args.extend_from_slice(extra);
    let r = archsim(&args);
    assert_eq!(r.code, 0, "archsim {args:?}: {}", r.stderr);
    assert!(
        r.stdout.starts_with('{') && r.stdout.ends_with("}\n"),
        "{}",
        r.stdout
    );
    r.stdout
}

#[test]
fn two_runs_of_the_binary_print_byte_identical_reports() {
    let path = write("det_two_runs", "scenario.yaml", scenario());
    let p = path.to_str().unwrap();
    let first = json_report(p, &[]);
    let second = json_report(p, &[]);
    assert_eq!(first, second);
    let v: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(v["seed"], 42);
    assert!(v["workloads"]["web"]["completed"].as_u64().unwrap() > 0);
    assert!(v["workloads"]["users"]["completed"].as_u64().unwrap() > 0);
}

#[test]
fn the_same_file_under_another_name_gives_the_same_report() {
    // The report does not depend on the path it was read from.
    let a = write("det_rename", "a.yaml", scenario());
    let b = write("det_rename", "another-name.yml", scenario());
    assert_eq!(
        json_report(a.to_str().unwrap(), &[]),
        json_report(b.to_str().unwrap(), &[])
    );
}

#[test]
fn seed_flag_overrides_the_files_seed() {
    let path = write("det_seed", "scenario.yaml", scenario());
    let p = path.to_str().unwrap();
    let seven = write(
        "det_seed",
        "seven.yaml",
        scenario().replace("seed: 42", "seed: 7"),
    );
    let by_flag = json_report(p, &["--seed", "7"]);
    assert_eq!(by_flag, json_report(seven.to_str().unwrap(), &[]));
    assert_eq!(by_flag, json_report(p, &["--seed", "7"]));
    let from_file = json_report(p, &[]);
    assert_ne!(by_flag, from_file);
    let v: serde_json::Value = serde_json::from_str(&by_flag).unwrap();
    assert_eq!(v["seed"], 7);
    // `--seed 42` is the file's own seed: the same report as no flag.
    assert_eq!(json_report(p, &["--seed", "42"]), from_file);
}

#[test]
fn json_to_a_file_is_the_same_as_json_to_stdout() {
    let path = write("det_json_file", "scenario.yaml", scenario());
    let p = path.to_str().unwrap();
    let out = temp_dir("det_json_file").join("report.json");
    let r = archsim(&["run", p, "--json", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written, json_report(p, &[]));
}
