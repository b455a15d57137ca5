//! The example scenarios in `scenarios/`, checked as a user runs them: each opens with a comment
//! saying what it shows, validates, and runs to completion through the built `archsim` binary.

use std::path::PathBuf;
use std::process::Command;

fn scenarios() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "expected the example library in {}",
        dir.display()
    );
    files
}

#[test]
fn every_example_opens_with_a_comment_on_what_it_shows_and_what_to_notice() {
    for f in scenarios() {
        let text = std::fs::read_to_string(&f).unwrap();
        let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
        assert!(
            header.len() >= 4,
            "{} must open with a comment of several lines",
            f.display()
        );
        let header = header.join("\n").to_lowercase();
        assert!(
            header.contains("what it shows"),
            "{}: say what it shows",
            f.display()
        );
        assert!(
            header.contains("what to notice"),
            "{}: say what to notice",
            f.display()
        );
    }
}

#[test]
fn every_example_validates_and_runs() {
    let exe = env!("CARGO_BIN_EXE_archsim");
    for f in scenarios() {
        let out = Command::new(exe).arg("validate").arg(&f).output().unwrap();
        assert!(
            out.status.success(),
            "{} does not validate: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let out = Command::new(exe)
            .args(["run", "--json", "-"])
            .arg(&f)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{} does not run: {}",
            f.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
        let workloads = report["workloads"].as_object().expect("workloads");
        assert!(!workloads.is_empty());
        for (name, w) in workloads {
            assert!(
                w["completed"].as_u64().unwrap() > 0,
                "{}: workload {name} completed nothing",
                f.display()
            );
        }
    }
}

/// `zone-spread.yaml` says what its results show: the stack pinned to the dark zone is down for
/// the whole outage (availability ~50 % over the run, RTO the outage's 600 s), the spread one keeps
/// serving (its own RTO 0) with its utilisation doubled. Checked here so the comment cannot drift from the figures.
#[test]
fn the_zone_spread_example_shows_what_its_comment_says() {
    let exe = env!("CARGO_BIN_EXE_archsim");
    let f = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios/zone-spread.yaml");
    let out = Command::new(exe)
        .args(["run", "--json", "-"])
        .arg(&f)
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let avail = |w: &str| r["workloads"][w]["availability"].as_f64().unwrap();
    assert!(
        (0.49..0.51).contains(&avail("one_zone")),
        "{}",
        avail("one_zone")
    );
    assert!(avail("spread") > 0.9999, "{}", avail("spread"));
    let rec = &r["recovery"][0];
    assert_eq!(rec["fault"], "zone_outage eu-central/a");
    assert_eq!(rec["rto_s"].as_f64(), Some(600.0));
    assert_eq!(rec["affected"], serde_json::json!(["one_zone"]));
    // Each design's own RTO: the pinned stack's is the outage, the spread one's 0.
    assert_eq!(rec["workloads"]["one_zone"]["rto_s"].as_f64(), Some(600.0));
    assert_eq!(rec["workloads"]["spread"]["rto_s"].as_f64(), Some(0.0));
    // api_spread's utilisation over the outage's windows is about twice that before it.
    let ts = &r["timeseries"];
    let start: Vec<f64> = serde_json::from_value(ts["start_s"].clone()).unwrap();
    let util: Vec<f64> =
        serde_json::from_value(ts["components"]["api_spread"]["utilization"].clone()).unwrap();
    let mean = |a: f64, b: f64| {
        let v: Vec<f64> = start
            .iter()
            .zip(&util)
            .filter(|(t, _)| (a..b).contains(*t))
            .map(|(_, u)| *u)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let (before, during) = (mean(60.0, 290.0), mean(310.0, 890.0));
    assert!((0.28..0.38).contains(&before), "{before}");
    assert!(
        (1.8..2.2).contains(&(during / before)),
        "{before} -> {during}"
    );
}

/// `quorum-database.yaml` says what its results show: one replica lost slows quorum writes and
/// speeds sync ones, two lost refuse quorum writes only, and losing the primaries loses writes
/// under async only. Checked here so the comment cannot drift from the figures.
#[test]
fn the_quorum_example_shows_what_its_comment_says() {
    let exe = env!("CARGO_BIN_EXE_archsim");
    let f = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios/quorum-database.yaml");
    let out = Command::new(exe)
        .args(["run", "--json", "-"])
        .arg(&f)
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let ts = &r["timeseries"];
    let start: Vec<f64> = serde_json::from_value(ts["start_s"].clone()).unwrap();
    // The mean of a workload's series over windows starting in [a, b).
    let mean = |w: &str, key: &str, a: f64, b: f64| {
        let v: Vec<f64> = serde_json::from_value(ts["workloads"][w][key].clone()).unwrap();
        let v: Vec<f64> = start
            .iter()
            .zip(&v)
            .filter(|(t, _)| (a..b).contains(*t))
            .map(|(_, x)| *x)
            .collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    let p50 = |w: &str, a: f64, b: f64| mean(w, "p50_ms", a, b);
    // Before 4:00: sync slowest, async fastest.
    assert!(p50("writes_sync", 0.0, 240.0) > p50("writes_quorum", 0.0, 240.0) + 5.0);
    assert!(p50("writes_quorum", 0.0, 240.0) > p50("writes_async", 0.0, 240.0) + 5.0);
    // One replica lost: quorum slower, sync faster.
    assert!(p50("writes_quorum", 250.0, 480.0) > p50("writes_quorum", 0.0, 240.0) + 2.0);
    assert!(p50("writes_sync", 250.0, 480.0) < p50("writes_sync", 0.0, 240.0) - 2.0);
    // Two lost: quorum refuses everything, the others serve.
    assert_eq!(mean("writes_quorum", "availability", 490.0, 720.0), 0.0);
    assert_eq!(mean("writes_sync", "availability", 480.0, 720.0), 1.0);
    let rec = r["recovery"].as_array().unwrap();
    let last = &rec[2];
    assert_eq!(last["fault"], "zone_outage dc/a");
    assert!(last["workloads"]["writes_async"]["lost_writes"].as_u64() > Some(0));
    assert!(last["workloads"]["writes_quorum"].get("rpo_s").is_none());
    assert!(last["workloads"]["writes_sync"].get("rpo_s").is_none());
    // The zone c outage is the quorum's alone: 4 minutes of refused writes.
    assert_eq!(
        rec[1]["workloads"]["writes_quorum"]["rto_s"].as_f64(),
        Some(240.0)
    );
    assert_eq!(
        rec[1]["workloads"]["writes_sync"]["rto_s"].as_f64(),
        Some(0.0)
    );
}
