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
