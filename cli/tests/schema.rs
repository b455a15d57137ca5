//! The JSON Schema in `docs/scenario.schema.json` (for editors) must accept exactly the keys the
//! loader accepts; this test fails when one changes without the other.

use sim_core::scenario::load::{LIMIT_KEYS, SERVICE_KEYS, TOP_KEYS, WORKLOAD_KEYS};
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
    assert_eq!(keys(&s), set(TOP_KEYS), "top level");
    assert_eq!(keys(&s["properties"]["limits"]), set(LIMIT_KEYS), "limits");
    assert_eq!(keys(&s["$defs"]["service"]), set(SERVICE_KEYS), "service");
    assert_eq!(
        keys(&s["$defs"]["workload"]),
        set(WORKLOAD_KEYS),
        "workload"
    );
}
