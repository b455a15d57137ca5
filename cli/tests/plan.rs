//! `archsim plan` as a user runs it: exit codes, the same bytes whatever `--jobs`, `--write`
//! keeping the file's comments, Markdown, and every class of bad `plan:` block refused at its
//! place with exit 2.

mod common;
use common::{archsim, write};

/// A priced two-hop chain with a plan. Bad plans are made from it by replacing one piece.
const PLANNED: &str = "# a shop to size
version: 1
name: shop
seed: 42
duration: 20s
warmup: 2s
components:
  api:
    kind: service
    instance: m5.large   # the front
    replicas: 2
    concurrency: 8
    service_time: { exponential: 4ms }
    calls:
      - to: db
  db:
    kind: service
    instance: r5.large
    replicas: 1
    concurrency: 2
    service_time: { exponential: 8ms }
workloads:
  - name: web
    entry: api
    arrivals: { poisson: 150/s }
slo:
  - p99(web) < 100ms
plan:
  vary:
    db.replicas: 1..4
    api.replicas: [1, 2, 3]
  loads: [1x, 2x]
  growth: { rate: 10%/month, horizon: 12 }
  confidence: 95%
";

/// `PLANNED` with `from` (occurring once) replaced by `to`.
fn planned_with(from: &str, to: &str) -> String {
    assert_eq!(PLANNED.matches(from).count(), 1, "`{from}` must occur once");
    PLANNED.replacen(from, to, 1)
}

/// Line and column (1-based) of the first `needle` in `text`.
fn at(text: &str, needle: &str) -> (u32, u32) {
    let i = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` in the text"));
    let line = text[..i].matches('\n').count() as u32 + 1;
    let col = (i - text[..i].rfind('\n').map_or(0, |j| j + 1)) as u32 + 1;
    (line, col)
}

/// `archsim plan` refuses the file with exit 2 and `file:line:col: error: ...` at `needle`.
fn refused(test: &str, text: &str, needle: &str, says: &[&str]) {
    let path = write(test, "plan.yaml", text);
    let p = path.to_str().unwrap();
    let (line, col) = at(text, needle);
    let head = format!("{p}:{line}:{col}: error: ");
    let r = archsim(&["plan", p]);
    assert_eq!(r.code, 2, "{test}: {}", r.stderr);
    let msg = r
        .stderr
        .lines()
        .find(|l| l.starts_with(&head))
        .unwrap_or_else(|| panic!("{test}: no `{head}` in:\n{}", r.stderr));
    for s in says {
        assert!(msg.contains(s), "{test}: `{msg}` should say `{s}`");
    }
    assert!(r.stdout.is_empty(), "nothing simulated, nothing printed");
}

#[test]
fn finds_a_plan_and_explains_it() {
    let path = write("plan_found", "plan.yaml", PLANNED);
    let r = archsim(&["plan", path.to_str().unwrap(), "--jobs", "2"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    for s in [
        "chosen: ",
        "at 1x (",
        "at 2x (",
        "headroom: ",
        "runway: ",
        "cheaper candidate",
        "evaluations: ",
    ] {
        assert!(r.stdout.contains(s), "`{s}` in:\n{}", r.stdout);
    }
}

#[test]
fn the_same_bytes_whatever_the_number_of_threads() {
    let path = write("plan_jobs", "plan.yaml", PLANNED);
    let p = path.to_str().unwrap();
    let one = archsim(&["plan", p, "--json", "-", "--jobs", "1"]);
    let four = archsim(&["plan", p, "--json", "-", "--jobs", "4"]);
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, four.stdout);
    let v: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    let plan = &v["plan"];
    // Every key of the contract.
    assert_eq!(plan["status"], "found");
    for k in ["assignment", "cost_usd_per_month", "loads"] {
        assert!(!plan["best"][k].is_null(), "best.{k}");
    }
    let slo = &plan["best"]["loads"][1]["slo"][0];
    for k in ["value", "ci95", "verdict"] {
        assert!(!slo[k].is_null(), "best.loads[].slo[].{k}");
    }
    let cands = plan["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 12);
    let costs: Vec<f64> = cands
        .iter()
        .filter_map(|c| c["cost_usd_per_month"].as_f64())
        .collect();
    assert!(
        costs.windows(2).all(|w| w[0] <= w[1]),
        "cheapest first: {costs:?}"
    );
    for c in cands {
        assert!(matches!(
            c["status"].as_str().unwrap(),
            "feasible" | "infeasible" | "pruned" | "undecided" | "not_needed"
        ));
        if c["status"] == "pruned" {
            assert!(c["reason"].as_str().unwrap().starts_with("utilisation of "));
        }
    }
    assert!(plan["headroom"].as_f64().unwrap() > 1.0);
    assert!(plan.get("runway_months").is_some());
    for k in [
        "simulations",
        "replications",
        "candidates",
        "candidates_simulated",
    ] {
        assert!(plan["evaluations"][k].as_u64().is_some(), "evaluations.{k}");
    }
    // The seed changes the sample path, not the shape.
    let other = archsim(&["plan", p, "--json", "-", "--seed", "9"]);
    assert_ne!(other.stdout, one.stdout);
}

#[test]
fn exit_codes_say_found_none_and_undecided() {
    let none = write(
        "plan_none",
        "plan.yaml",
        planned_with("p99(web) < 100ms", "p99(web) < 5ms"),
    );
    let r = archsim(&["plan", none.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("no candidate is feasible"),
        "{}",
        r.stdout
    );
    let path = write("plan_budget", "plan.yaml", PLANNED);
    let r = archsim(&["plan", path.to_str().unwrap(), "--budget", "1"]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(r.stdout.contains("undecided"));
}

#[test]
fn write_keeps_the_file_and_writes_the_chosen_values() {
    let path = write("plan_write", "plan.yaml", PLANNED);
    let out = path.with_file_name("planned.yaml");
    let r = archsim(&[
        "plan",
        path.to_str().unwrap(),
        "--json",
        "-",
        "--write",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let a = &v["plan"]["best"]["assignment"];
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("# a shop to size\n"));
    assert!(written.contains("    instance: m5.large   # the front\n"));
    assert!(written.contains(&format!(
        "    replicas: {}\n    concurrency: 8",
        a["api.replicas"]
    )));
    assert!(written.contains(&format!(
        "    replicas: {}\n    concurrency: 2",
        a["db.replicas"]
    )));
    // The plan block is left as it was, and the file is valid.
    assert!(written.ends_with(&PLANNED[PLANNED.find("plan:\n").unwrap()..]));
    let r = archsim(&["validate", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

/// A bundle switching a service to a function: the candidate drops the fields a function does not
/// take, and `--write` writes it so, comments kept, into a file that validates as a function.
#[test]
fn a_bundle_switches_a_service_to_a_function() {
    // At 20 requests/s one r5.large ($92/month) costs far more than the function's requests and
    // GB-seconds (about $14): the function is the plan.
    let text = planned_with(
        "db.replicas: 1..4\n    api.replicas: [1, 2, 3]\n  loads: [1x, 2x]",
        "db:\n      - { kind: function, memory: 512MB, cold_start: 5ms }\n      - { kind: service, instance: r5.large, replicas: 1, concurrency: 2 }\n  loads: [1x]",
    )
    .replace("150/s", "20/s");
    let path = write("plan_switch", "plan.yaml", &text);
    let out = path.with_file_name("planned.yaml");
    let r = archsim(&[
        "plan",
        path.to_str().unwrap(),
        "--json",
        "-",
        "--write",
        out.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["plan"]["best"]["assignment"]["db"]["kind"], "function",
        "{}",
        r.stdout
    );
    let written = std::fs::read_to_string(&out).unwrap();
    let db = &written[written.find("  db:\n").unwrap()..written.find("workloads:").unwrap()];
    assert!(db.contains("kind: function"), "{db}");
    assert!(db.contains("memory: 512MB"), "{db}");
    for gone in ["instance:", "replicas:", "concurrency:"] {
        assert!(!db.contains(gone), "`{gone}` should be dropped:\n{db}");
    }
    assert!(written.starts_with("# a shop to size\n"));
    let r = archsim(&["validate", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn markdown_for_a_pull_request() {
    let path = write("plan_md", "plan.yaml", PLANNED);
    let r = archsim(&["plan", path.to_str().unwrap(), "--markdown", "-"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("### archsim plan: shop\n"));
    assert!(
        r.stdout
            .contains("| load | SLO | verdict | value | 95 % CI |")
    );
    assert!(
        r.stdout.contains("| 2x | `p99(web) < 100ms` | pass |"),
        "{}",
        r.stdout
    );
}

#[test]
fn bad_plans_are_refused_at_their_place() {
    // (test, replaced, replacement, where the error points, what it says)
    let cases: &[(&str, &str, &str, &str, &[&str])] = &[
        (
            "unknown_component",
            "db.replicas: 1..4",
            "web.replicas: 1..4",
            "web.replicas",
            &["no component `web`", "api, db"],
        ),
        (
            "cannot_vary",
            "db.replicas: 1..4",
            "db.calls: 1..4",
            "db.calls",
            &["cannot vary `calls`", "replicas"],
        ),
        (
            "reversed",
            "db.replicas: 1..4",
            "db.replicas: 4..1",
            "4..1",
            &["runs backwards", "`1..4`"],
        ),
        (
            "step_zero",
            "db.replicas: 1..4",
            "db.replicas: 1..4 step 0",
            "1..4 step 0",
            &["step must be a whole number above 0"],
        ),
        (
            "empty_list",
            "api.replicas: [1, 2, 3]",
            "api.replicas: []",
            "[]",
            &["empty list"],
        ),
        (
            "replicas_zero",
            "api.replicas: [1, 2, 3]",
            "api.replicas: [0, 2, 3]",
            "0, 2, 3]",
            &["api.replicas=0", "not valid"],
        ),
        (
            "unknown_instance",
            "api.replicas: [1, 2, 3]",
            "api.instance: [m5.large, z9.huge]",
            "z9.huge",
            &["z9.huge", "price book"],
        ),
        (
            "load_zero",
            "loads: [1x, 2x]",
            "loads: [0x, 2x]",
            "0x",
            &["out of range", "above 0x"],
        ),
        (
            "load_word",
            "loads: [1x, 2x]",
            "loads: [1x, lots]",
            "lots",
            &["expected a load factor"],
        ),
        (
            "growth_rate",
            "rate: 10%/month",
            "rate: 150%/month",
            "150%/month",
            &["growth rate"],
        ),
        (
            "growth_horizon",
            "horizon: 12",
            "horizon: 500",
            "500",
            &["horizon of 1 to 120 months"],
        ),
        (
            "confidence_low",
            "confidence: 95%",
            "confidence: 50%",
            "50%",
            &["above 50 %"],
        ),
        (
            "confidence_high",
            "confidence: 95%",
            "confidence: 99.99%",
            "99.99%",
            &["at most 99.9 %"],
        ),
        (
            "unknown_key",
            "confidence: 95%",
            "confidense: 95%",
            "confidense",
            &["unknown key `confidense`"],
        ),
        (
            "switch_not_a_service",
            "db.replicas: 1..4",
            "db:\n      - { kind: database }",
            "kind: database",
            &[
                "switch only a service to a function or back",
                "`database` was asked",
            ],
        ),
        (
            "switched_field_of_the_old_kind",
            "db.replicas: 1..4",
            "db:\n      - { kind: function, replicas: 2 }",
            "replicas: 2 }",
            &["a bundle cannot set `replicas` of a function"],
        ),
        (
            "too_large",
            "db.replicas: 1..4",
            "db.replicas: 1..5000\n    db.concurrency: 1..100",
            "vary:",
            &["beyond the limit of 100000"],
        ),
    ];
    for (test, from, to, needle, says) in cases {
        refused(test, &planned_with(from, to), needle, says);
    }
}

#[test]
fn a_plan_needs_a_price_and_validate_checks_the_block() {
    let unpriced = PLANNED
        .replace("    instance: m5.large   # the front\n", "")
        .replace("    instance: r5.large\n", "");
    refused(
        "unpriced",
        &unpriced,
        "vary:",
        &["no component has a price"],
    );
    // `validate` and `run` check the block's shape too (a `run` ignores the plan otherwise).
    let bad = write(
        "plan_validate",
        "plan.yaml",
        planned_with("loads: [1x, 2x]", "loads: [-1x]"),
    );
    for cmd in ["validate", "run"] {
        let r = archsim(&[cmd, bad.to_str().unwrap()]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        assert!(r.stderr.contains("out of range"), "{}", r.stderr);
    }
    let ok = write("plan_run", "plan.yaml", PLANNED);
    let r = archsim(&["run", ok.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
