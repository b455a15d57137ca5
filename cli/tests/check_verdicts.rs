//! `archsim check` as CI uses it: each exit code (0 pass, 1 fail, 3 inconclusive, 2 invalid), the
//! JUnit XML and the Markdown summary.

use std::path::PathBuf;
use std::process::Command;

fn write(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("archsim-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn scenario(slo: &str) -> String {
    format!(
        "version: 1\nname: v\nseed: 5\nduration: 2m\nreplications: 5\n\
         components:\n  api: {{ kind: service, concurrency: 1, service_time: {{ exponential: 10ms }} }}\n\
         workloads: [ {{ name: web, entry: api, arrivals: {{ poisson: 80/s }} }} ]\nslo: [ \"{slo}\" ]\n"
    )
}

fn check(files: &[&PathBuf], extra: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_archsim"))
        .arg("check")
        .args(files)
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// The mean latency of this M/M/1 (rho 0.8) is about 50 ms: far thresholds pass or fail for sure;
/// one inside the 95 % interval is inconclusive (exit 3); an invalid file wins (exit 2).
#[test]
fn exit_codes() {
    let pass = write("pass.yaml", &scenario("mean(web) < 80ms"));
    let fail = write("fail.yaml", &scenario("mean(web) < 30ms"));
    let json = Command::new(env!("CARGO_BIN_EXE_archsim"))
        .args(["run", "--json", "-"])
        .arg(&pass)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let ci = &report["workloads"]["web"]["ci95"]["latency_ms"]["mean"];
    let mid = (ci[0].as_f64().unwrap() + ci[1].as_f64().unwrap()) / 2.0;
    let unsure = write("unsure.yaml", &scenario(&format!("mean(web) < {mid}ms")));
    let invalid = write("invalid.yaml", "version: 1\nname: x\n");
    assert_eq!(check(&[&pass], &[]).0, 0);
    assert_eq!(check(&[&fail], &[]).0, 1);
    let (code, out) = check(&[&unsure], &[]);
    assert_eq!(code, 3, "{out}");
    assert!(out.contains("INCONCLUSIVE"), "{out}");
    assert_eq!(check(&[&pass, &unsure], &[]).0, 3);
    assert_eq!(
        check(&[&fail, &unsure], &[]).0,
        1,
        "a failure outranks an inconclusive verdict"
    );
    assert_eq!(
        check(&[&pass, &invalid], &[]).0,
        2,
        "an invalid file outranks everything"
    );
}

/// JUnit: one test case per SLO, failures and inconclusive (skipped) marked; Markdown: a table.
#[test]
fn junit_and_markdown() {
    let fail = write("f.yaml", &scenario("mean(web) < 30ms"));
    let pass = write("p.yaml", &scenario("mean(web) < 80ms"));
    let junit = std::env::temp_dir().join(format!("archsim-junit-{}.xml", std::process::id()));
    let (code, out) = check(
        &[&fail, &pass],
        &["--junit", junit.to_str().unwrap(), "--markdown", "-"],
    );
    assert_eq!(code, 1);
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert_eq!(xml.matches("<testcase ").count(), 2);
    assert_eq!(xml.matches("<failure ").count(), 1);
    assert!(xml.contains("mean(web) &lt; 30ms"));
    assert!(
        out.contains("| scenario | SLO | measured | verdict |"),
        "{out}"
    );
    assert!(
        out.contains(":x: fail") && out.contains(":white_check_mark: pass"),
        "{out}"
    );
}

/// The overloaded pool: 400/s offered to 4 replicas x 4 slots at 50 ms (320/s). An
/// availability SLO alone (no latency target, so no unfinished request counts as failed) still
/// fails, through the saturated component; the summary names it and counts the unfinished.
#[test]
fn an_overloaded_design_never_passes() {
    let over = write(
        "over.yaml",
        "version: 1\nname: over\nseed: 1\nduration: 10m\nwarmup: 30s\n\
         components:\n  api: { kind: service, replicas: 4, concurrency: 4, service_time: 50ms }\n\
         workloads: [ { name: web, entry: api, arrivals: { poisson: 400/s } } ]\n\
         slo: [ \"availability(web) >= 99.9%\" ]\n",
    );
    let (code, out) = check(&[&over], &[]);
    assert_eq!(code, 1, "{out}");
    let run = Command::new(env!("CARGO_BIN_EXE_archsim"))
        .arg("run")
        .arg(&over)
        .output()
        .unwrap();
    let summary = String::from_utf8_lossy(&run.stdout);
    assert!(summary.contains("unfinished"), "{summary}");
    assert!(
        summary.contains("saturated: `api` is saturated: offered"),
        "{summary}"
    );
    assert!(summary.contains("passes through") || summary.contains("pass through"));
    // The HTML page shows the warning too.
    let page = Command::new(env!("CARGO_BIN_EXE_archsim"))
        .arg("report")
        .arg(&over)
        .args(["--html", "-"])
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&page.stdout);
    let section = page
        .split("<section id=\"warnings\">")
        .nth(1)
        .expect("a warnings section");
    assert!(
        section.contains("saturated</span> `api` is saturated"),
        "{section}"
    );
}
