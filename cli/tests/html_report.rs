//! `archsim report FILE --html OUT` through the built binary: the page is one self-contained HTML
//! file (no `http://` or `https://` anywhere, so nothing is fetched), has an inline SVG chart for
//! each figure over time with the faults shaded, renders the same bytes from a scenario and from
//! that scenario's `run --json` report, copes with a report missing keys, and refuses an invalid
//! scenario with exit code 2 and a `file:line:col` message.

mod common;

use common::{archsim, temp_dir, valid_with, write};
use std::path::{Path, PathBuf};

/// `scenarios/hpa-flash-sale.yaml`: two autoscaled fleets, a warm-up, and two load-spike faults.
fn flash_sale() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/hpa-flash-sale.yaml")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// Runs `archsim report ARGS...` expecting success, and returns the page it wrote to `out`.
fn report(args: &[&str], out: &Path) -> String {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--html", s(out)]);
    let r = archsim(&all);
    assert_eq!(r.code, 0, "archsim {all:?}: {}", r.stderr);
    std::fs::read_to_string(out).expect("the page was written")
}

#[test]
fn a_scenario_with_faults_and_autoscaling_gives_a_self_contained_page_with_charts() {
    let out = temp_dir("html_flash_sale").join("report.html");
    let page = report(&[s(&flash_sale())], &out);
    assert!(page.starts_with("<!DOCTYPE html>"), "{}", &page[..80]);
    assert!(page.trim_end().ends_with("</html>"));
    assert!(page.contains("<title>hpa-flash-sale · archsim report</title>"));
    assert!(page.contains("<h1>hpa-flash-sale</h1>"));
    // Self-contained: no URL at all (the SVGs' namespace attribute is dropped too), no scripts.
    assert!(!page.contains("http://") && !page.contains("https://"));
    assert!(!page.contains("<script") && !page.contains("<link"));
    // Four charts over time (1080 pixels wide): latency; throughput and errors; utilisation and
    // queues; instances (the fleets scale). The cost bars come on top.
    assert_eq!(
        page.matches("<svg width=\"1080\"").count(),
        4,
        "charts over time"
    );
    assert!(page.matches("<svg").count() >= 4);
    assert_eq!(page.matches("<svg").count(), page.matches("</svg>").count());
    // The two load spikes share a period: shaded once per panel in vermillion, labelled together;
    // the warm-up in grey.
    assert!(
        page.contains(r##"opacity="0.13" fill="#D55E00""##),
        "a shaded fault"
    );
    assert!(
        page.contains(r##"opacity="0.12" fill="#787878""##),
        "a shaded warm-up"
    );
    assert!(page.contains(">\nF1 F2\n</text>") || page.contains(">F1 F2</text>"));
    // Tables and sections.
    for needle in [
        "Service-level objectives",
        "availability(shoppers_pods) &gt;= 99%",
        "FAIL",
        "shoppers_vms",
        "Latency over time",
        "Throughput and errors over time",
        "Utilisation and queues over time",
        "Instances over time",
        "load_spike shoppers_pods x5",
        "<td>6:00</td><td>16:00</td>",
        "seed <b>11</b>",
    ] {
        assert!(page.contains(needle), "the page should contain `{needle}`");
    }
    // The legend names every workload's p50 and p99.
    assert!(page.contains("shoppers_pods p99") && page.contains("shoppers_vms p50"));
}

#[test]
fn a_scenario_and_its_json_report_give_the_same_page() {
    let dir = temp_dir("html_same");
    let json = dir.join("report.json");
    let r = archsim(&["run", s(&flash_sale()), "--seed", "5", "--json", s(&json)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let from_json = report(&[s(&json)], &dir.join("from-json.html"));
    let from_scenario = report(
        &[s(&flash_sale()), "--seed", "5"],
        &dir.join("from-scenario.html"),
    );
    assert!(from_json == from_scenario, "the two pages differ");
    assert!(from_json.contains("seed <b>5</b>"));
    // To standard output with `-`, the same bytes again.
    let r = archsim(&["report", s(&json), "--html", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout == from_json, "the page on standard output differs");
    // --seed means nothing for a report: said, not silently ignored.
    let r = archsim(&["report", s(&json), "--seed", "9", "--html", "-"]);
    assert_eq!(r.code, 0);
    assert!(
        r.stderr
            .contains("--seed, --replications and --set are ignored")
    );
    assert!(r.stdout == from_json);
}

#[test]
fn a_report_missing_keys_still_renders() {
    let dir = temp_dir("html_sparse");
    let json = dir.join("sparse.json");
    // A report from some other version: no time series, no cost model, no faults, no SLOs.
    std::fs::write(
        &json,
        r#"{ "scenario": "sparse", "seed": 1, "simulated_s": 60.0, "warmup_s": 0.0,
             "replications": 1, "workloads": { "web": { "requests": 10, "completed": 10 } },
             "components": {}, "cost": { "usd_per_month": null } }"#,
    )
    .unwrap();
    let page = report(&[s(&json)], &dir.join("sparse.html"));
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<h1>sparse</h1>"));
    assert!(page.contains("cost not computed for this scenario"));
    assert!(page.contains("no time series in this report"));
    assert!(!page.contains("<svg"));
}

#[test]
fn a_small_scenario_without_faults_renders() {
    let dir = temp_dir("html_small");
    let path = write("html_small", "shop.yaml", valid_with("seed: 42", "seed: 3"));
    let page = report(&[s(&path)], &dir.join("shop.html"));
    assert!(page.contains("<h1>shop</h1>"));
    assert!(page.contains("p99(web) &lt; 250ms"));
    assert!(
        !page.contains(r##"fill="#D55E00""##),
        "no fault, no shading"
    );
    // Latency, throughput, utilisation; nobody scaled.
    assert_eq!(page.matches("<svg width=\"1080\"").count(), 3);
    assert!(page.contains("no instances chart"));
}

#[test]
fn an_invalid_scenario_exits_2_with_file_line_col_and_writes_nothing() {
    let dir = temp_dir("html_invalid");
    let path = write(
        "html_invalid",
        "bad.yaml",
        valid_with("replicas: 2", "replicas: two"),
    );
    let out = dir.join("bad.html");
    let r = archsim(&["report", s(&path), "--html", s(&out)]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let head = format!("{}:8:15: error: ", path.display());
    assert!(
        r.stderr.lines().any(|l| l.starts_with(&head)),
        "no `{head}` in:\n{}",
        r.stderr
    );
    assert!(!out.exists(), "nothing should be written");
    // An unreadable file, too.
    let r = archsim(&["report", s(&dir.join("missing.yaml")), "--html", s(&out)]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read"));
}
