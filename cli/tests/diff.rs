//! `archsim diff` through the built binary: common random numbers make unchanged figures exactly
//! equal, the paired test finds real changes and not tiny ones, the Markdown and JSON outputs, two
//! JSON reports, and refusals (invalid files with file:line:col, a scenario against a report).

mod common;

use common::{archsim, write};
use serde_json::Value;

/// Two workloads on disjoint paths: `web` -> `api` -> `db` (the bottleneck, 80 % busy), and
/// `batch` -> `worker`. The file says one replication, so `diff` runs 10.
const BASE: &str = "version: 1
name: shop
seed: 42
duration: 20s
components:
  api:
    kind: service
    replicas: 2
    concurrency: 4
    service_time: { exponential: 20ms }
    calls:
      - to: db
  db:
    kind: service
    concurrency: 1
    service_time: { exponential: 4ms }
  worker:
    kind: service
    service_time: { exponential: 50ms }
workloads:
  - name: web
    entry: api
    arrivals: { poisson: 200/s }
  - name: batch
    entry: worker
    arrivals: { poisson: 10/s }
";

fn with(from: &str, to: &str) -> String {
    assert_eq!(BASE.matches(from).count(), 1, "`{from}` must occur once");
    BASE.replacen(from, to, 1)
}

/// Runs `archsim diff BASE HEAD --json - <extra>` on the two texts and returns the parsed JSON.
fn diff_json(test: &str, base: &str, head: &str, extra: &[&str]) -> Value {
    let b = write(test, "base.yaml", base);
    let h = write(test, "head.yaml", head);
    let mut args = vec![
        "diff",
        b.to_str().unwrap(),
        h.to_str().unwrap(),
        "--json",
        "-",
    ];
    args.extend(extra);
    let r = archsim(&args);
    assert_eq!(r.code, 0, "stderr:\n{}", r.stderr);
    serde_json::from_str(&r.stdout).expect("diff --json - prints JSON")
}

fn row<'a>(v: &'a Value, metric: &str) -> &'a Value {
    v["metrics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["metric"] == metric)
        .unwrap_or_else(|| panic!("no row `{metric}` in {v:#}"))
}

fn status(v: &Value, metric: &str) -> String {
    row(v, metric)["status"].as_str().unwrap().to_string()
}

const WEB: [&str; 7] = [
    "mean(web)",
    "p50(web)",
    "p90(web)",
    "p99(web)",
    "p999(web)",
    "availability(web)",
    "throughput(web)",
];

#[test]
fn identical_scenarios_differ_in_nothing() {
    let v = diff_json("identical", BASE, BASE, &[]);
    assert_eq!(v["inputs"], "scenarios");
    assert_eq!(
        v["replications"], 10,
        "one replication in the file means 10"
    );
    for m in v["metrics"].as_array().unwrap() {
        if m["status"] == "not_measured" {
            continue; // RTO/RPO: no timed faults
        }
        assert_eq!(m["status"], "identical", "{m:#}");
        assert_eq!(m["significant"], false, "{m:#}");
        assert_eq!(m["base"], m["head"], "{m:#}");
        assert_eq!(m["change"].as_f64(), Some(0.0), "{m:#}");
    }
    let summary = v["summary"].as_str().unwrap();
    assert!(summary.contains("no significant change"), "{summary}");
    assert!(summary.contains("availability unchanged"), "{summary}");
    assert_eq!(status(&v, "rto, rpo"), "not_measured");
}

#[test]
fn doubling_the_bottleneck_cuts_p99_and_mean_significantly() {
    let v = diff_json(
        "double_db",
        BASE,
        &with("    concurrency: 1\n", "    concurrency: 2\n"),
        &[],
    );
    for m in ["p99(web)", "mean(web)", "utilization(db)"] {
        let r = row(&v, m);
        assert_eq!(r["status"], "significant", "{r:#}");
        assert!(r["change"].as_f64().unwrap() < 0.0, "{r:#}");
        let ci = r["change_ci95"].as_array().unwrap();
        assert!(ci[1].as_f64().unwrap() < 0.0, "interval excludes 0: {r:#}");
    }
    assert!(row(&v, "p99(web)")["relative"].as_f64().unwrap() < -0.2);
    let summary = v["summary"].as_str().unwrap();
    assert!(
        summary.starts_with("p99(web) -"),
        "p99 comes first: {summary}"
    );
}

#[test]
fn a_change_a_workload_cannot_reach_leaves_its_figures_identical() {
    let v = diff_json(
        "crn",
        BASE,
        &with("{ exponential: 50ms }", "{ exponential: 30ms }"),
        &["--replications", "12"],
    );
    assert_eq!(v["replications"], 12);
    for m in WEB
        .iter()
        .copied()
        .chain(["utilization(api)", "utilization(db)"])
    {
        let r = row(&v, m);
        assert_eq!(r["status"], "identical", "{r:#}");
        assert_eq!(r["base"], r["head"], "{r:#}");
    }
    assert_eq!(status(&v, "mean(batch)"), "significant");
    assert_eq!(status(&v, "utilization(worker)"), "significant");
}

#[test]
fn a_tiny_change_is_not_significant_or_correctly_small() {
    // The bottleneck's service time +0.1 %.
    let v = diff_json(
        "tiny",
        BASE,
        &with("{ exponential: 4ms }", "{ exponential: 4.004ms }"),
        &[],
    );
    for m in WEB {
        let r = row(&v, m);
        let rel = r["relative"].as_f64().unwrap();
        match r["status"].as_str().unwrap() {
            "significant" => assert!(
                rel.abs() < 0.01 && (m == "throughput(web)" || rel > 0.0),
                "a significant change must be small and upwards: {r:#}"
            ),
            "not_significant" | "identical" => {}
            other => panic!("unexpected status {other}: {r:#}"),
        }
    }
    // The other workload's path did not change at all.
    assert_eq!(status(&v, "p99(batch)"), "identical");
}

#[test]
fn markdown_has_the_summary_line_and_a_table() {
    let b = write("markdown", "base.yaml", BASE);
    let h = write(
        "markdown",
        "head.yaml",
        with("    concurrency: 1\n", "    concurrency: 2\n"),
    );
    let md = b.with_file_name("diff.md");
    let r = archsim(&[
        "diff",
        b.to_str().unwrap(),
        h.to_str().unwrap(),
        "--markdown",
        md.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // With a path, the readable table still goes to standard output.
    assert!(r.stdout.contains("summary: p99(web) -"), "{}", r.stdout);
    assert!(r.stdout.contains("significant?"), "{}", r.stdout);
    let text = std::fs::read_to_string(&md).unwrap();
    let summary = text.lines().nth(2).unwrap();
    assert!(
        summary.starts_with("**p99(web) -") && summary.contains("% (significant)"),
        "{text}"
    );
    assert!(summary.contains("availability unchanged"), "{text}");
    assert!(
        text.contains("| metric | base | head | change | significant? |\n|---|---|---|---|---|\n"),
        "{text}"
    );
    assert!(text.contains("| **`p99(web)`** |"), "{text}");
    // batch's figures are identical, folded under the table.
    assert!(text.contains("<details><summary>"), "{text}");
    assert!(text.contains("| `p99(batch)` |"), "{text}");
}

#[test]
fn two_json_reports_are_compared_by_their_intervals() {
    let dir = "reports";
    let b = write(dir, "base.yaml", BASE);
    let h = write(
        dir,
        "head.yaml",
        with("    concurrency: 1\n", "    concurrency: 2\n"),
    );
    let mut json = Vec::new();
    for (yaml, reps) in [(&b, "1"), (&h, "1"), (&b, "8"), (&h, "8")] {
        let out = yaml.with_file_name(format!(
            "{}-{reps}.json",
            yaml.file_stem().unwrap().to_str().unwrap()
        ));
        let r = archsim(&[
            "run",
            yaml.to_str().unwrap(),
            "--replications",
            reps,
            "--json",
            out.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        json.push(out);
    }
    let diff = |a: &std::path::Path, b: &std::path::Path| -> Value {
        let r = archsim(&[
            "diff",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--json",
            "-",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        serde_json::from_str(&r.stdout).unwrap()
    };
    // One replication: means compared, no interval.
    let v = diff(&json[0], &json[1]);
    assert_eq!(v["inputs"], "reports");
    assert_eq!(status(&v, "p99(web)"), "no_interval");
    assert!(row(&v, "p99(web)")["change"].as_f64().unwrap() < 0.0);
    assert_eq!(status(&v, "p99(batch)"), "identical");
    // Eight replications: the intervals do not overlap for the large change.
    let v = diff(&json[2], &json[3]);
    assert_eq!(status(&v, "mean(web)"), "significant");
    assert_eq!(status(&v, "utilization(db)"), "significant");
    assert!(row(&v, "mean(web)")["base_ci95"].is_array());
    // A report against itself.
    let v = diff(&json[2], &json[2]);
    assert!(
        v["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["status"] == "identical" || m["status"] == "not_measured")
    );
}

#[test]
fn one_replication_gives_no_interval() {
    let v = diff_json(
        "one_rep",
        BASE,
        &with("    concurrency: 1\n", "    concurrency: 2\n"),
        &["--replications", "1"],
    );
    assert_eq!(status(&v, "p99(web)"), "no_interval");
    assert_eq!(status(&v, "p99(batch)"), "identical");
}

#[test]
fn an_invalid_file_exits_2_with_file_line_col() {
    let b = write("invalid", "base.yaml", BASE);
    let h = write(
        "invalid",
        "head.yaml",
        with("    replicas: 2\n", "    replicas: two\n"),
    );
    let r = archsim(&["diff", b.to_str().unwrap(), h.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let head = format!("{}:8:15: error: ", h.display());
    assert!(
        r.stderr.lines().any(|l| l.starts_with(&head)),
        "no `{head}` in:\n{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "nothing compared: {}", r.stdout);

    // The base broken instead.
    let r = archsim(&["diff", h.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.lines().any(|l| l.starts_with(&head)));
}

#[test]
fn a_scenario_and_a_report_are_not_compared() {
    let b = write("mixed", "base.yaml", BASE);
    let j = b.with_file_name("base.json");
    assert_eq!(
        archsim(&["run", b.to_str().unwrap(), "--json", j.to_str().unwrap()]).code,
        0
    );
    let r = archsim(&["diff", b.to_str().unwrap(), j.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("give two scenarios or two reports"),
        "{}",
        r.stderr
    );
}

#[test]
fn different_seeds_run_with_the_base_seed() {
    let v = diff_json("seeds", BASE, &with("seed: 42", "seed: 7"), &[]);
    assert_eq!(v["seed"], 42);
    assert_eq!(status(&v, "p99(web)"), "identical");
    let v = diff_json("seeds_flag", BASE, BASE, &["--seed", "9"]);
    assert_eq!(v["seed"], 9);
}
