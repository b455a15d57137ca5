//! Sweeps, shards and merges as a user runs them, through the built binary: a sweep's bytes do
//! not depend on `--jobs`; shards by hand (`--shard I/N`) or from a batch engine's variables
//! (`--shard auto`) merged in any order give exactly the unsharded bytes, for `sweep` (JSON, CSV)
//! and `run` (the report); the merge refuses parts that do not belong together, naming the
//! files; `plan --from` reads a sweep; `--jobs` leaves `run` and `check` unchanged.

mod common;
use common::{archsim, temp_dir, write};
use std::path::Path;
use std::process::Command;

const SWEPT: &str = "# a chain to sweep
version: 1
name: chain
seed: 5
duration: 6s
warmup: 1s
components:
  api:
    kind: service
    instance: m5.large
    replicas: 2
    concurrency: 4
    service_time: { exponential: 8ms }
    calls: [ { to: db } ]
  db:
    kind: service
    instance: r5.large
    concurrency: 2
    service_time: { exponential: 4ms }
workloads:
  - { name: web, entry: api, arrivals: { poisson: 250/s } }
slo:
  - p99(web) < 120ms
  - availability(web) >= 99%
plan:
  vary:
    api.replicas: 1..3
    db.replicas: [1, 2]
  loads: [1x, 2x]
";

fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("UTF-8 path")
}

/// Runs archsim with extra environment variables (and none of the batch engines' inherited).
fn archsim_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_archsim"));
    c.args(args);
    for v in [
        "SLURM_ARRAY_TASK_ID",
        "SLURM_ARRAY_TASK_MIN",
        "SLURM_ARRAY_TASK_COUNT",
        "SLURM_ARRAY_TASK_STEP",
        "JOB_COMPLETION_INDEX",
        "AWS_BATCH_JOB_ARRAY_INDEX",
        "ARCHSIM_SHARD_COUNT",
    ] {
        c.env_remove(v);
    }
    c.envs(env.iter().copied());
    let out = c.output().expect("run archsim");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code().expect("exited"), err)
}

#[test]
fn sweep_sharded_and_merged_gives_the_same_bytes() {
    let t = "sweep_sharded";
    let f = write(t, "chain.yaml", SWEPT);
    let d = temp_dir(t);
    let (whole, csv, one) = (
        d.join("whole.json"),
        d.join("whole.csv"),
        d.join("one.json"),
    );
    let r = archsim(&[
        "sweep",
        s(&f),
        "--json",
        s(&whole),
        "--csv",
        s(&csv),
        "--jobs",
        "2",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = archsim(&["sweep", s(&f), "--json", s(&one), "--jobs", "1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        read(&whole) == read(&one),
        "--jobs changed the sweep's bytes"
    );

    let doc: serde_json::Value = serde_json::from_slice(&read(&whole)).unwrap();
    let points = doc["points"].as_array().expect("top-level points");
    assert_eq!(points.len(), 12, "3 x 2 candidates at 2 loads");
    for (i, p) in points.iter().enumerate() {
        assert_eq!(p["point"], i);
        assert_eq!(
            p["runs"].as_array().unwrap().len(),
            3,
            "at least 3 replications"
        );
        for k in [
            "assignment",
            "load",
            "cost_usd_per_month",
            "verdict",
            "slo",
            "bottleneck",
        ] {
            assert!(p.get(k).is_some(), "point {i} has no {k}");
        }
    }
    // Grid order: the first variable slowest, the load fastest.
    assert_eq!(points[0]["assignment"]["api.replicas"], 1);
    assert_eq!(points[1]["load"], 2.0);
    assert_eq!(points[2]["assignment"]["db.replicas"], 2);
    assert_eq!(points[4]["assignment"]["api.replicas"], 2);
    let csv_text = String::from_utf8(read(&csv)).unwrap();
    let mut lines = csv_text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "point,api.replicas,db.replicas,load,cost_usd_per_month,verdict,bottleneck,bottleneck_utilization,\
p99(web) < 120ms,p99(web) < 120ms ci95_low,p99(web) < 120ms ci95_high,p99(web) < 120ms verdict,\
availability(web) >= 99%,availability(web) >= 99% ci95_low,availability(web) >= 99% ci95_high,availability(web) >= 99% verdict"
    );
    assert_eq!(lines.count(), 12);

    // By hand, and from each batch engine's variables, in any order.
    let mut by_hand = Vec::new();
    for i in 1..=3 {
        let p = d.join(format!("hand-{i}.json"));
        let r = archsim(&[
            "sweep",
            s(&f),
            "--shard",
            &format!("{i}/3"),
            "--json",
            s(&p),
            "--jobs",
            "1",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        by_hand.push(p);
    }
    let mut slurm = Vec::new();
    for id in [10, 11, 12] {
        let p = d.join(format!("slurm-{id}.json"));
        let id = id.to_string();
        let (code, err) = archsim_env(
            &["sweep", s(&f), "--shard", "auto", "--json", s(&p)],
            &[
                ("SLURM_ARRAY_TASK_ID", &id),
                ("SLURM_ARRAY_TASK_MIN", "10"),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
            ],
        );
        assert_eq!(code, 0, "{err}");
        slurm.push(p);
    }
    let mut k8s = Vec::new();
    for idx in ["0", "1", "2"] {
        let p = d.join(format!("k8s-{idx}.json"));
        let (code, err) = archsim_env(
            &["sweep", s(&f), "--shard", "auto", "--json", s(&p)],
            &[("JOB_COMPLETION_INDEX", idx), ("ARCHSIM_SHARD_COUNT", "3")],
        );
        assert_eq!(code, 0, "{err}");
        k8s.push(p);
    }
    for (i, p) in by_hand.iter().enumerate() {
        assert!(
            read(p) == read(&slurm[i]) && read(p) == read(&k8s[i]),
            "shard {} differs",
            i + 1
        );
    }
    let (mj, mc) = (d.join("merged.json"), d.join("merged.csv"));
    let r = archsim(&[
        "merge",
        s(&by_hand[2]),
        s(&by_hand[0]),
        s(&by_hand[1]),
        "--json",
        s(&mj),
        "--csv",
        s(&mc),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        read(&mj) == read(&whole),
        "merged JSON differs from the unsharded sweep"
    );
    assert!(
        read(&mc) == read(&csv),
        "merged CSV differs from the unsharded sweep"
    );

    // The plan from the sweep is the planner's choice, with nothing simulated.
    let from = archsim(&["plan", s(&f), "--from", s(&whole), "--json", "-"]);
    assert_eq!(from.code, 0, "{}", from.stderr);
    let planned = archsim(&["plan", s(&f), "--json", "-"]);
    let a: serde_json::Value = serde_json::from_str(&from.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_str(&planned.stdout).unwrap();
    assert_eq!(
        a["plan"]["best"]["assignment"],
        b["plan"]["best"]["assignment"]
    );
    assert_eq!(a["plan"]["from_sweep"], s(&whole));
    assert!(a["plan"]["headroom"].is_null());

    refusals(&f, &d, &by_hand);
}

fn refusals(f: &Path, d: &Path, parts: &[std::path::PathBuf]) {
    let out = d.join("refused.json");
    let merge = |ps: &[&Path]| {
        let mut args = vec!["merge"];
        args.extend(ps.iter().map(|p| s(p)));
        args.extend(["--json", s(&out)]);
        archsim(&args)
    };
    let r = merge(&[&parts[0], &parts[1]]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("missing point") && r.stderr.contains("3/3"),
        "{}",
        r.stderr
    );
    let r = merge(&[&parts[0], &parts[1], &parts[2], &parts[1]]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!("in both {}", s(&parts[1]))),
        "{}",
        r.stderr
    );
    // Another seed, another scenario, another version.
    let other = d.join("seed.json");
    archsim(&[
        "sweep",
        s(f),
        "--shard",
        "3/3",
        "--seed",
        "6",
        "--json",
        s(&other),
    ]);
    let r = merge(&[&parts[0], &parts[1], &other]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("seed 6 against 5") && r.stderr.contains(s(&other)),
        "{}",
        r.stderr
    );
    let g = write(
        "sweep_sharded",
        "other.yaml",
        SWEPT.replace("250/s", "260/s"),
    );
    let foreign = d.join("foreign.json");
    archsim(&["sweep", s(&g), "--shard", "3/3", "--json", s(&foreign)]);
    let r = merge(&[&parts[0], &parts[1], &foreign]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("scenario (SHA-256)"), "{}", r.stderr);
    let old = d.join("old.json");
    let text = String::from_utf8(read(&parts[2])).unwrap();
    std::fs::write(
        &old,
        text.replacen(
            &format!("\"archsim\":\"{}\"", env!("CARGO_PKG_VERSION")),
            "\"archsim\":\"0.0.1\"",
            1,
        ),
    )
    .unwrap();
    let r = merge(&[&parts[0], &parts[1], &old]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("archsim version 0.0.1"), "{}", r.stderr);
    let r = merge(&[f]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("is not JSON"), "{}", r.stderr);
    assert!(!out.exists(), "a refused merge writes nothing");
    // A sweep of another file is not a plan's.
    let r = archsim(&["plan", s(&g), "--from", s(&d.join("whole.json"))]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("another scenario text"), "{}", r.stderr);
}

#[test]
fn run_replications_sharded_and_merged_give_the_report() {
    let t = "run_sharded";
    let f = write(t, "chain.yaml", SWEPT);
    let d = temp_dir(t);
    let whole = d.join("whole.json");
    let base = [
        "--replications",
        "5",
        "--seed",
        "9",
        "--set",
        "api.replicas=3",
    ];
    let mut args = vec!["run", s(&f), "--json", s(&whole), "--jobs", "1"];
    args.extend(base);
    assert_eq!(archsim(&args).code, 0);
    let jobs = d.join("jobs.json");
    let mut args = vec!["run", s(&f), "--json", s(&jobs), "--jobs", "3"];
    args.extend(base);
    assert_eq!(archsim(&args).code, 0);
    assert!(read(&whole) == read(&jobs), "--jobs changed the report");
    let mut parts = Vec::new();
    for i in (1..=4).rev() {
        let p = d.join(format!("part-{i}.json"));
        let shard = format!("{i}/4");
        let mut args = vec!["run", s(&f), "--shard", &shard, "--json", s(&p)];
        args.extend(base);
        let r = archsim(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        parts.push(p);
    }
    let merged = d.join("merged.json");
    let mut args = vec!["merge"];
    args.extend(parts.iter().map(|p| s(p)));
    args.extend(["--json", s(&merged)]);
    let r = archsim(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        read(&merged) == read(&whole),
        "the merged report differs from one process's"
    );
    assert!(
        r.stdout.contains("chain"),
        "the merge prints the summary: {}",
        r.stdout
    );
    // A part of the run without the --set is another scenario.
    let plain = d.join("plain.json");
    archsim(&[
        "run",
        s(&f),
        "--shard",
        "1/4",
        "--replications",
        "5",
        "--seed",
        "9",
        "--json",
        s(&plain),
    ]);
    let r = archsim(&["merge", s(&plain), s(&parts[0]), s(&parts[1]), s(&parts[2])]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not parts of one run"), "{}", r.stderr);
}

#[test]
fn shard_options_are_checked() {
    let t = "shard_options";
    let f = write(t, "chain.yaml", SWEPT);
    let p = temp_dir(t).join("p.json");
    for (args, env, says) in [
        (vec!["--shard", "0/3"], vec![], "numbered 1 to 3"),
        (vec!["--shard", "4/3"], vec![], "does not exist"),
        (vec!["--shard", "two"], vec![], "expected I/N"),
        (vec!["--shard", "auto"], vec![], "no batch engine"),
        (
            vec!["--shard", "auto"],
            vec![("AWS_BATCH_JOB_ARRAY_INDEX", "1")],
            "--shard-count",
        ),
        (
            vec!["--shard", "auto", "--shard-count", "2"],
            vec![("AWS_BATCH_JOB_ARRAY_INDEX", "2")],
            "does not exist",
        ),
        (
            vec!["--shard", "auto"],
            vec![
                ("SLURM_ARRAY_TASK_ID", "3"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_ARRAY_TASK_COUNT", "2"),
            ],
            "does not exist",
        ),
        (
            vec!["--shard", "1/2", "--shard-count", "2"],
            vec![],
            "goes with --shard auto",
        ),
    ] {
        for cmd in ["sweep", "run"] {
            let mut a = vec![cmd, s(&f), "--json", s(&p)];
            a.extend(args.iter().copied());
            let (code, err) = archsim_env(&a, &env);
            assert_eq!(code, 2, "{a:?}: {err}");
            assert!(err.contains(says), "{a:?} should say {says:?}: {err}");
        }
    }
    let r = archsim(&["sweep", s(&f), "--shard", "1/2"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--json"), "{}", r.stderr);
    let r = archsim(&["run", s(&f), "--shard", "1/2"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--json"), "{}", r.stderr);
}

#[test]
fn check_gives_the_same_verdicts_whatever_the_jobs() {
    let f = write("check_jobs", "chain.yaml", SWEPT);
    let a = archsim(&["check", s(&f), "--replications", "4", "--jobs", "1"]);
    let b = archsim(&["check", s(&f), "--replications", "4", "--jobs", "4"]);
    assert_eq!((a.code, &a.stdout), (b.code, &b.stdout));
}
