//! Bad input through the built binary: for every class of malformed scenario, `archsim run`,
//! `validate` and `check` exit with code 2, never panic, and print `path:LINE:COL: error: ...` at
//! the exact place with a message that says what was expected. Fixtures are derived from one valid
//! scenario (`common::VALID`, whose lines are numbered in its documentation) by replacing one
//! piece, and written to a private temporary directory.

mod common;

use common::{VALID, archsim, each_command, refused, refused_at, valid_with, write};

#[test]
fn the_base_scenario_is_valid() {
    let path = write("base", "base.yaml", VALID);
    for (cmd, r) in each_command(&path) {
        assert_eq!(r.code, 0, "archsim {cmd}: {}", r.stderr);
        assert!(r.stderr.is_empty(), "archsim {cmd} warned: {}", r.stderr);
    }
}

// ---- YAML syntax ----

#[test]
fn yaml_syntax_error_unclosed_quote() {
    refused(
        "syntax_quote",
        valid_with("name: shop", "name: \"shop"),
        2,
        7,
        &[
            "YAML syntax error",
            "quoted scalar",
            "expected well-formed YAML",
        ],
    );
}

#[test]
fn yaml_syntax_error_bad_indentation() {
    // `replicas` indented deeper than `kind` reads as a continuation of the scalar `service`, and
    // its `:` is then illegal: the parser points at that `:`.
    refused(
        "syntax_indent",
        valid_with("    replicas: 2", "      replicas: 2"),
        8,
        15,
        &[
            "YAML syntax error",
            "mapping values are not allowed",
            "expected well-formed YAML",
        ],
    );
}

#[test]
fn yaml_syntax_error_unclosed_flow_mapping() {
    refused(
        "syntax_flow",
        // The mapping runs on into `slo:` on the next line; the parser stops at its `:`.
        valid_with("{ poisson: 50/s }", "{ poisson: 50/s"),
        20,
        4,
        &["YAML syntax error", "expected well-formed YAML"],
    );
}

// ---- unknown keys, with a did-you-mean hint ----

#[test]
fn unknown_top_level_key() {
    refused(
        "unknown_top",
        valid_with("seed: 42", "sede: 42"),
        3,
        1,
        &[
            "unknown key `sede` in the scenario",
            "expected one of:",
            "did you mean `seed`?",
        ],
    );
}

#[test]
fn unknown_key_in_a_service() {
    refused(
        "unknown_service",
        valid_with("replicas: 2", "replica: 2"),
        8,
        5,
        &[
            "unknown key `replica` in service `api`",
            "expected one of:",
            "did you mean `replicas`?",
        ],
    );
}

#[test]
fn unknown_key_in_a_workload() {
    refused(
        "unknown_workload",
        valid_with("arrivals: {", "arival: {"),
        19,
        5,
        &[
            "unknown key `arival` in a workload",
            "expected one of:",
            "did you mean `arrivals`?",
        ],
    );
}

// ---- wrong types ----

#[test]
fn a_list_where_a_mapping_is_needed() {
    refused(
        "list_for_mapping",
        valid_with("{ poisson: 50/s }", "[ poisson, 50/s ]"),
        19,
        15,
        &["expected arrivals such as `{ poisson: 100/s }`, found a list"],
    );
}

#[test]
fn a_list_where_the_components_mapping_is_needed() {
    let text = "version: 1\nname: x\nduration: 1s\ncomponents:\n  - api\nworkloads: []\n";
    refused(
        "components_list",
        text,
        5,
        3,
        &["expected `components` to be a mapping from names to components, found a list"],
    );
}

#[test]
fn a_string_where_a_number_is_needed() {
    refused(
        "string_for_number",
        valid_with("concurrency: 4", "concurrency: four"),
        9,
        18,
        &[
            "expected `concurrency` (or `unlimited`) as a whole number from 1 to 1000000, found `four`",
        ],
    );
}

#[test]
fn a_quoted_number_for_replicas() {
    refused(
        "quoted_replicas",
        valid_with("replicas: 2", "replicas: \"2\""),
        8,
        15,
        &[
            "`replicas` is the quoted string `\"2\"`",
            "expected a whole number from 1 to 10000, without quotes",
        ],
    );
}

// ---- a bare number where a unit is needed ----

#[test]
fn a_bare_number_for_a_duration() {
    refused(
        "bare_duration",
        valid_with("duration: 10s", "duration: 10"),
        4,
        11,
        &[
            "a bare number `10`",
            "expected a duration with a unit, such as `250us`, `20ms`",
        ],
    );
}

#[test]
fn a_bare_number_for_a_service_time() {
    refused(
        "bare_service_time",
        valid_with("service_time: 5ms", "service_time: 5"),
        15,
        19,
        &["a bare number `5`", "expected a duration with a unit"],
    );
}

#[test]
fn a_bare_number_for_a_rate() {
    refused(
        "bare_rate",
        valid_with("poisson: 50/s", "poisson: 50"),
        19,
        26,
        &["a bare number `50`", "expected a rate such as `3.6/s`"],
    );
}

// ---- negative values ----

#[test]
fn a_negative_duration() {
    refused(
        "negative_duration",
        valid_with("duration: 10s", "duration: -10s"),
        4,
        11,
        &["negative duration `-10s`", "expected zero or more"],
    );
}

#[test]
fn a_negative_service_time() {
    refused(
        "negative_service_time",
        valid_with("exponential: 20ms", "exponential: -20ms"),
        10,
        34,
        &["negative duration `-20ms`", "expected zero or more"],
    );
}

#[test]
fn negative_replicas() {
    refused(
        "negative_replicas",
        valid_with("replicas: 2", "replicas: -2"),
        8,
        15,
        &[
            "`replicas` is negative (`-2`)",
            "expected a whole number from 1 to 10000",
        ],
    );
}

#[test]
fn a_negative_rate() {
    refused(
        "negative_rate",
        valid_with("poisson: 50/s", "poisson: -50/s"),
        19,
        26,
        &["negative rate `-50/s`", "expected zero or more"],
    );
}

// ---- absurd values ----

#[test]
fn absurd_replicas() {
    refused(
        "absurd_replicas",
        valid_with("replicas: 2", "replicas: 10000000"),
        8,
        15,
        &[
            "`replicas` is 10000000",
            "expected a whole number from 1 to 10000",
        ],
    );
}

#[test]
fn absurd_rate() {
    refused(
        "absurd_rate",
        valid_with("poisson: 50/s", "poisson: 1e9/s"),
        19,
        26,
        &[
            "arrival rate 1000000000/s",
            "expected more than 0 and at most 10000000/s",
        ],
    );
}

#[test]
fn absurd_duration() {
    refused(
        "absurd_duration",
        valid_with("duration: 10s", "duration: 1000y"),
        4,
        11,
        &[
            "duration `1000y` is longer than the simulator's clock allows",
            "(146 years)",
        ],
    );
    // Years are a unit; a long run needs `max_simulated_time` raised in the file, and says so.
    refused(
        "years_need_a_limit",
        valid_with("duration: 10s", "duration: 2y"),
        4,
        11,
        &["beyond the limit of 31d", "max_simulated_time"],
    );
}

/// Every duration at the longest the clock allows loads, and its run's arithmetic on times does
/// not overflow (debug builds check every `+`): the run is cut by `max_events` instead.
#[test]
fn the_longest_durations_load_and_run_to_a_limit_without_overflow() {
    let text = valid_with("duration: 10s", "duration: 73y\nwarmup: 73y")
        .replace("- to: db", "- to: db\n        timeout: 146y")
        + "limits: { max_simulated_time: 146y, max_events: 10000 }\n";
    let path = write("longest", "longest.yaml", &text);
    let r = archsim(&["validate", path.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = archsim(&["run", path.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("event"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("overflow") && !r.stderr.contains("panicked"),
        "{}",
        r.stderr
    );
}

// ---- unknown names ----

#[test]
fn a_call_to_an_unknown_component() {
    refused(
        "unknown_call",
        valid_with("- to: db", "- to: dbb"),
        12,
        13,
        &[
            "call to unknown component `dbb`",
            "expected one of: api, db",
            "did you mean `db`?",
        ],
    );
}

#[test]
fn a_workload_entry_that_is_an_unknown_component() {
    refused(
        "unknown_entry",
        valid_with("entry: api", "entry: apj"),
        18,
        12,
        &[
            "entry is unknown component `apj`",
            "expected one of: api, db",
            "did you mean `api`?",
        ],
    );
}

#[test]
fn an_slo_on_an_unknown_workload() {
    refused(
        "slo_unknown_workload",
        valid_with("p99(web)", "p99(wbe)"),
        21,
        9,
        &["unknown workload `wbe` in SLO", "expected one of: web"],
    );
}

#[test]
fn an_slo_on_an_unknown_component() {
    refused(
        "slo_unknown_component",
        valid_with("  - p99(web) < 250ms", "  - utilization(cache) < 0.8"),
        21,
        17,
        &[
            "unknown component `cache` in SLO",
            "expected one of: api, db",
        ],
    );
}

// ---- malformed SLOs ----

#[test]
fn an_slo_without_a_comparison() {
    refused(
        "slo_no_comparison",
        valid_with("p99(web) < 250ms", "p99(web) 250ms"),
        21,
        5,
        &[
            "no comparison",
            "expected an SLO such as `p99(checkout) < 250ms`",
        ],
    );
}

#[test]
fn an_slo_with_a_bare_threshold() {
    refused(
        "slo_bare_threshold",
        valid_with("p99(web) < 250ms", "p99(web) < 250"),
        21,
        16,
        &["a bare number `250`", "expected a duration with a unit"],
    );
}

#[test]
fn an_slo_with_an_unknown_metric() {
    refused(
        "slo_unknown_metric",
        valid_with("p99(web) < 250ms", "p98(web) < 250ms"),
        21,
        5,
        &["unknown metric `p98`", "expected an SLO such as"],
    );
}

#[test]
fn an_slo_that_is_not_a_string() {
    refused(
        "slo_mapping",
        valid_with("  - p99(web) < 250ms", "  - { p99: 250ms }"),
        21,
        5,
        &["expected an SLO such as `p99(checkout) < 250ms`, found a mapping"],
    );
}

// ---- call cycles ----

#[test]
fn a_call_cycle() {
    refused(
        "cycle",
        valid_with(
            "    service_time: 5ms\n",
            "    service_time: 5ms\n    calls: [api]\n",
        ),
        12,
        13,
        &[
            "call cycle: api -> db -> api",
            "expected calls to form no cycle",
        ],
    );
}

#[test]
fn a_self_call() {
    refused(
        "self_call",
        valid_with("- to: db", "- to: api"),
        12,
        13,
        &["call cycle: api -> api", "expected calls to form no cycle"],
    );
}

// ---- missing required keys ----

#[test]
fn missing_name() {
    refused(
        "missing_name",
        valid_with("name: shop\n", ""),
        1,
        1,
        &["the scenario has no `name`", "expected `name:`"],
    );
}

#[test]
fn missing_duration() {
    refused(
        "missing_duration",
        valid_with("duration: 10s\n", ""),
        1,
        1,
        &[
            "the scenario has no `duration`",
            "expected `duration:` with the simulated time",
        ],
    );
}

#[test]
fn missing_components() {
    let text = "version: 1\nname: x\nduration: 1s\nworkloads:\n  - { name: w, entry: api, arrivals: { poisson: 1/s } }\n";
    refused(
        "missing_components",
        text,
        1,
        1,
        &[
            "the scenario has no `components`",
            "expected `components:` with a mapping",
        ],
    );
}

#[test]
fn missing_workloads() {
    let text = VALID.split("workloads:").next().unwrap();
    refused(
        "missing_workloads",
        text,
        1,
        1,
        &[
            "the scenario has no `workloads`",
            "expected a list of workloads",
        ],
    );
}

#[test]
fn missing_service_time() {
    // `db`'s mapping starts at its `kind:` line.
    refused(
        "missing_service_time",
        valid_with("    service_time: 5ms\n", ""),
        14,
        5,
        &[
            "service `db` has no `service_time`",
            "expected `service_time:` with a duration or a distribution",
        ],
    );
}

#[test]
fn missing_entry() {
    refused(
        "missing_entry",
        valid_with("    entry: api\n", ""),
        17,
        5,
        &[
            "workload `web` has no `entry`",
            "expected `entry:` with the component",
        ],
    );
}

// ---- files that are not scenarios at all ----

#[test]
fn an_empty_file() {
    refused(
        "empty",
        "",
        1,
        1,
        &["the file is empty", "expected a scenario mapping"],
    );
}

#[test]
fn a_whitespace_and_comment_only_file() {
    refused(
        "comments_only",
        "\n   \n# a comment\n\t\n    # another\n",
        1,
        1,
        &["the file is empty", "expected a scenario mapping"],
    );
}

#[test]
fn random_bytes() {
    // Fixed "random" bytes: two ASCII bytes, then 0xd3 (a lead byte) followed by a non-continuation.
    let bytes: &[u8] = &[
        0x4b, 0x1f, 0xd3, 0x28, 0x9c, 0xe1, 0x07, 0xfa, 0x33, 0x81, 0x5e, 0xc0, 0x0d, 0xb7, 0x62,
        0x19, 0xee, 0x8f, 0x40, 0xa5, 0x00, 0x71, 0xf3, 0xd8, 0x2a, 0x96, 0x0b, 0xcc, 0x55, 0x13,
    ];
    refused(
        "random_bytes",
        bytes,
        1,
        3,
        &["not a text file", "expected UTF-8 YAML"],
    );
}

#[test]
fn a_png_file() {
    let png: &[u8] =
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00";
    refused(
        "png",
        png,
        1,
        1,
        &["not a text file", "expected UTF-8 YAML"],
    );
}

#[test]
fn a_file_with_nul_bytes() {
    refused(
        "nul",
        valid_with("name: shop", "name: sh\0op"),
        2,
        9,
        &["not a text file", "expected YAML, found a NUL byte"],
    );
}

#[test]
fn invalid_utf8() {
    // Latin-1 `é` (0xe9) in a name.
    let mut bytes = valid_with("name: shop", "name: caf_").into_bytes();
    let i = bytes.iter().position(|&b| b == b'_').unwrap();
    bytes[i] = 0xe9;
    refused(
        "latin1",
        bytes,
        2,
        10,
        &["not a text file", "expected UTF-8 YAML"],
    );
}

#[test]
fn utf16_text() {
    let bytes: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(VALID.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    refused("utf16", bytes, 1, 1, &["UTF-16", "expected UTF-8 YAML"]);
}

// ---- hostile YAML ----

#[test]
fn an_alias_bomb() {
    // "Billion laughs": each line has nine aliases of the previous; it would expand to 10^10 values.
    let mut text = String::from(
        "version: 1\nname: lol\nlol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    let mut prev = "a".to_string();
    for i in 0..9 {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("l{i}: &l{i} [{refs}]\n"));
        prev = format!("l{i}");
    }
    // Line 8 is `l4: &l4 [*l3,*l3,...]`: the values so far pass 200 000 at its second alias.
    refused(
        "alias_bomb",
        text,
        8,
        14,
        &[
            "more than 200000 values (an alias bomb?)",
            "expected a scenario",
        ],
    );
}

#[test]
fn very_deep_flow_nesting() {
    // The 64th `[` would be the 65th level (the top mapping is the first).
    let text = format!(
        "version: 1\nname: deep\nduration: {}{}\n",
        "[".repeat(100),
        "]".repeat(100)
    );
    refused(
        "deep_flow",
        &text,
        3,
        74,
        &["nesting deeper than 64 levels", "expected a scenario"],
    );
    // Far deeper: the YAML scanner itself stops at 255 flow levels; still reported as nesting.
    let text = format!(
        "version: 1\nname: deep\nduration: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    refused(
        "deep_flow_huge",
        &text,
        3,
        266,
        &["nesting deeper than 64 levels", "expected a scenario"],
    );
}

#[test]
fn very_deep_block_nesting() {
    let mut text = String::from("version: 1\nname: deep\ndescription:\n");
    for i in 1..200 {
        text.push_str(&format!("{}k{i}:\n", "  ".repeat(i)));
    }
    // `k{i}` is on line i + 3. The top mapping is level 1 and the mapping holding `k1` level 2, so
    // the mapping holding `k64` (line 67, column 2 * 64 + 1) would be level 65.
    refused(
        "deep_block",
        &text,
        67,
        129,
        &["nesting deeper than 64 levels", "expected a scenario"],
    );
}

#[test]
fn a_duplicate_top_level_key() {
    refused(
        "duplicate_top",
        format!("{VALID}name: again\n"),
        22,
        1,
        &[
            "duplicate key `name` (first given at line 2)",
            "expected each key once",
        ],
    );
}

#[test]
fn a_duplicate_key_in_a_service() {
    refused(
        "duplicate_service",
        valid_with(
            "    service_time: 5ms\n",
            "    service_time: 5ms\n    kind: service\n",
        ),
        16,
        5,
        &[
            "duplicate key `kind` (first given at line 14)",
            "expected each key once",
        ],
    );
}

#[test]
fn two_yaml_documents() {
    refused(
        "two_documents",
        format!("{VALID}---\nname: second\n"),
        22,
        1,
        &[
            "a second YAML document",
            "expected exactly one scenario per file",
        ],
    );
}

// ---- JSON (which is YAML) ----

const JSON: &str = r#"{
  "version": 1,
  "name": "json",
  "seed": 3,
  "duration": "10s",
  "components": {
    "api": { "kind": "service", "service_time": { "exponential": "10ms" } }
  },
  "workloads": [
    { "name": "w", "entry": "api", "arrivals": { "poisson": "20/s" } }
  ]
}
"#;

#[test]
fn a_valid_json_scenario() {
    let path = write("json_valid", "scenario.json", JSON);
    for (cmd, r) in each_command(&path) {
        assert_eq!(r.code, 0, "archsim {cmd}: {}", r.stderr);
    }
    let p = path.to_str().unwrap();
    let r = archsim(&["run", p, "--json", "-"]);
    assert_eq!(r.code, 0);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("the report is JSON");
    assert_eq!(v["scenario"], "json");
    assert!(v["workloads"]["w"]["completed"].as_u64().unwrap() > 0);
}

#[test]
fn an_invalid_json_scenario() {
    // A bare number for the duration: JSON has no units, so it must be a string such as "10s".
    let path = write(
        "json_invalid",
        "scenario.json",
        JSON.replace("\"10s\"", "10"),
    );
    refused_at(
        &path,
        5,
        15,
        &["a bare number `10`", "expected a duration with a unit"],
    );
    // A JSON syntax error: a missing comma after `"seed": 3` (line 4). The parser notices at the
    // `:` after the next key, where `3 "duration"` cannot be a key.
    let path = write(
        "json_syntax",
        "scenario.json",
        JSON.replace("\"seed\": 3,", "\"seed\": 3"),
    );
    refused_at(
        &path,
        5,
        13,
        &[
            "YAML syntax error",
            "did not find expected ',' or '}'",
            "expected well-formed YAML",
        ],
    );
}

// ---- no file ----

#[test]
fn a_nonexistent_file() {
    let path = common::temp_dir("nonexistent").join("no-such-scenario.yaml");
    let p = path.to_str().unwrap();
    for (cmd, r) in each_command(&path) {
        assert_eq!(r.code, 2, "archsim {cmd}");
        // There is no line or column to give; the message names the file and the reason.
        assert!(
            r.stderr.contains(&format!("error: cannot read {p}: ")),
            "archsim {cmd}: {}",
            r.stderr
        );
    }
}

// ---- warnings are not errors ----

#[test]
fn an_unreachable_component_is_a_warning() {
    let text = valid_with(
        "workloads:\n",
        "  audit:\n    kind: service\n    service_time: 1ms\nworkloads:\n",
    );
    let path = write("unreachable", "unreachable.yaml", text);
    let head = format!(
        "{}:16:3: warning: component `audit` is not reached by any workload",
        path.display()
    );
    for (cmd, r) in each_command(&path) {
        assert_eq!(r.code, 0, "archsim {cmd} should succeed: {}", r.stderr);
        assert!(
            r.stderr.lines().any(|l| l.starts_with(&head)),
            "archsim {cmd}: no `{head}` in stderr:\n{}",
            r.stderr
        );
    }
}

// ---- many errors at once ----

#[test]
fn every_error_is_reported_but_the_flood_is_capped() {
    let mut text = VALID.to_string();
    for i in 0..500 {
        text.push_str(&format!("extra{i}: 1\n"));
    }
    let path = write("flood", "flood.yaml", text);
    let r = archsim(&["validate", path.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    let shown = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: unknown key"))
        .count();
    assert_eq!(shown, 50);
    assert!(
        r.stderr.contains("450 more diagnostics not shown"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("500 errors found"), "{}", r.stderr);
}

/// `--replications` is checked once, by the options every simulating command shares.
#[test]
fn replications_out_of_range_are_refused_by_every_simulating_command() {
    let path = write("reps_range", "shop.yaml", VALID);
    let p = path.to_str().unwrap();
    for args in [
        vec!["run", p],
        vec!["check", p],
        vec!["report", p, "--html", "-"],
        vec!["diff", p, p],
    ] {
        for bad in ["0", "1001"] {
            let mut a = args.clone();
            a.extend(["--replications", bad]);
            let r = archsim(&a);
            assert_eq!(r.code, 2, "{a:?}: {}", r.stderr);
            assert!(r.stderr.contains("1..=1000"), "{a:?}: {}", r.stderr);
        }
    }
}

// ---- the one rule for names ----

/// Component, workload, region and zone names are refused where they are defined when they hold a
/// character with a meaning around names, white space, or nothing; the message says what a name
/// may hold.
#[test]
fn names_breaking_the_rule_are_refused_where_defined() {
    const RULE: &str = "a name is one or more characters other than spaces and `.`";
    // A component named `a<b`: before, any SLO naming it failed with a misleading "unclosed `(`".
    let text = valid_with("  db:\n", "  \"a<b\":\n").replace("to: db", "to: \"a<b\"");
    refused(
        "name_lt",
        text,
        13,
        3,
        &["invalid component name: `a<b` holds `<`", RULE],
    );
    let text = valid_with("  db:\n", "  \"\":\n").replace("to: db", "to: \"\"");
    refused(
        "name_empty",
        text,
        13,
        3,
        &["invalid component name: an empty name", RULE],
    );
    let text = valid_with("name: web", "name: web.v2").replace("p99(web)", "p99(api)");
    refused(
        "name_dot",
        text,
        17,
        11,
        &["invalid workload name: `web.v2` holds `.`"],
    );
    let text = format!("{VALID}regions:\n  us east: {{ zones: [a, \"b)\"] }}\n");
    let path = write("name_region", "name_region.yaml", &text);
    refused_at(
        &path,
        23,
        3,
        &["invalid region name: `us east` holds white space"],
    );
    refused_at(&path, 23, 25, &["invalid zone name: `b)` holds `)`"]);
}

/// A fault names a component of a kind it does not apply to (the kinds' declarations say which):
/// the message names the kind it needs, at the fault's body.
#[test]
fn a_fault_on_a_kind_it_does_not_apply_to() {
    refused(
        "replication_lag_on_a_service",
        valid_with(
            "slo:\n",
            "faults:\n  - { at: 1s, replication_lag: { component: db, add: 1s } }\nslo:\n",
        ),
        21,
        32,
        &["`db` is not a database; expected a component of kind `database`"],
    );
    refused(
        "cache_flush_on_a_service",
        valid_with(
            "slo:\n",
            "faults:\n  - { at: 1s, cache_flush: { component: api } }\nslo:\n",
        ),
        21,
        28,
        &["`api` is not a cache; expected a component of kind `cache`"],
    );
}
