//! The JSON Schema in `docs/scenario.schema.json` (for editors) must accept exactly the keys the
//! loader accepts; this test fails when one changes without the other.

use sim_core::scenario::load::keys::*;
use std::collections::BTreeSet;

fn schema() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/scenario.schema.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema file"))
        .expect("schema is JSON")
}

fn keys(v: &serde_json::Value) -> BTreeSet<String> {
    v["properties"]
        .as_object()
        .expect("properties")
        .keys()
        .cloned()
        .collect()
}

fn set(k: &[&str]) -> BTreeSet<String> {
    k.iter().map(|s| s.to_string()).collect()
}

#[test]
fn schema_keys_match_the_loader() {
    let s = schema();
    let d = &s["$defs"];
    assert_eq!(keys(&s), set(TOP_KEYS), "top level");
    assert_eq!(keys(&s["properties"]["limits"]), set(LIMIT_KEYS), "limits");
    assert_eq!(
        keys(&d["plan"]),
        set(sim_core::plan::spec::PLAN_KEYS),
        "plan"
    );
    assert_eq!(
        keys(&d["plan"]["properties"]["growth"]),
        set(sim_core::plan::spec::GROWTH_KEYS),
        "plan.growth"
    );
    assert_eq!(keys(&d["service"]), set(SERVICE_KEYS), "service");
    assert_eq!(keys(&d["external"]), set(EXTERNAL_KEYS), "external");
    assert_eq!(
        keys(&d["load_balancer"]),
        set(BALANCER_KEYS),
        "load_balancer"
    );
    assert_eq!(keys(&d["dns"]), set(DNS_KEYS), "dns");
    assert_eq!(keys(&d["cache"]), set(CACHE_KEYS), "cache");
    assert_eq!(keys(&d["queue"]), set(QUEUE_KEYS), "queue");
    assert_eq!(keys(&d["database"]), set(DATABASE_KEYS), "database");
    assert_eq!(keys(&d["function"]), set(FUNCTION_KEYS), "function");
    assert_eq!(keys(&d["autoscale"]), set(AUTOSCALE_KEYS), "autoscale");
    assert_eq!(keys(&d["workload"]), set(WORKLOAD_KEYS), "workload");
    assert_eq!(
        keys(&s["properties"]["pricing"]),
        set(PRICING_KEYS),
        "pricing"
    );
    assert_eq!(keys(&d["call"]["oneOf"][1]), set(CALL_KEYS), "call");
    let mut fault = set(FAULT_TYPES);
    fault.extend(["at", "duration", "description"].map(String::from));
    assert_eq!(keys(&d["fault"]), fault, "fault");
    let kinds: BTreeSet<String> = d["component"]["properties"]["kind"]["enum"]
        .as_array()
        .expect("kind enum")
        .iter()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    assert_eq!(kinds, set(KINDS), "component kinds");
}

/// `ARCHSIM_BLESS=1 cargo test -p archsim-cli --test schema` rewrites a generated file instead of
/// failing on it.
fn current(path: &str, generated: &str) {
    let path = format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"));
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        if std::env::var_os("ARCHSIM_BLESS").is_some() {
            std::fs::write(&path, generated).expect("write the generated file");
        } else {
            panic!(
                "{path} is not what the kinds' declarations give; run \
                 `ARCHSIM_BLESS=1 cargo test -p archsim-cli --test schema` and commit it"
            );
        }
    }
}

#[test]
fn the_committed_schema_is_generated_from_the_declarations() {
    current(
        "docs/scenario.schema.json",
        &sim_core::scenario::decl::schema::text(),
    );
}

#[test]
fn the_format_reference_tables_are_generated_from_the_declarations() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/format.md");
    let doc = std::fs::read_to_string(path).expect("docs/format.md");
    for k in sim_core::scenario::decl::ALL {
        assert!(
            doc.contains(&format!("<!-- fields: {} -->", k.name)),
            "docs/format.md has no field table for `{}`",
            k.name
        );
    }
    let spliced = sim_core::scenario::decl::markdown::splice(&doc).expect("markers well formed");
    current("docs/format.md", &spliced);
}

#[test]
fn archsim_schema_prints_the_schema() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_archsim"))
        .arg("schema")
        .output()
        .expect("run archsim");
    assert!(out.status.success());
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(printed, schema());
}
