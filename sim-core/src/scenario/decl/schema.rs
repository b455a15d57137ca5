//! The JSON Schema of scenario files (`docs/scenario.schema.json`, what editors validate and
//! complete with): the component kinds generated from their declarations, the rest (top level,
//! workloads, calls, faults, SLOs, plans and the composite blocks kinds refer to) from
//! `schema_base.json` beside this file. `archsim schema` prints it; a test checks that the
//! committed file is what this gives.

use super::{ALL, Field, KindDecl, Type};
use serde_json::{Map, Value, json};

/// The hand-written part: everything but the component kinds.
const BASE: &str = include_str!("schema_base.json");

/// The whole schema: the base with the `component` definition and one definition per kind.
pub fn schema() -> Value {
    let mut s: Value = serde_json::from_str(BASE).expect("schema_base.json is JSON");
    let defs = s["$defs"]
        .as_object_mut()
        .expect("schema_base.json has $defs");
    defs.insert("component".into(), component());
    for k in ALL {
        defs.insert(k.name.into(), kind(k));
    }
    s
}

/// The schema as the committed file holds it: two-space indents and a final newline.
pub fn text() -> String {
    let mut t = serde_json::to_string_pretty(&schema()).expect("a Value serialises");
    t.push('\n');
    t
}

/// `component`: a mapping with a `kind`, checked against that kind's definition.
fn component() -> Value {
    let names: Vec<&str> = ALL.iter().map(|k| k.name).collect();
    let branches: Vec<Value> = ALL
        .iter()
        .map(|k| {
            json!({
                "if": { "properties": { "kind": { "const": k.name } } },
                "then": { "$ref": format!("#/$defs/{}", k.name) }
            })
        })
        .collect();
    json!({
        "description": "A component; `kind` says which.",
        "type": "object",
        "required": ["kind"],
        "properties": { "kind": { "enum": names } },
        "allOf": branches
    })
}

/// One kind's definition: exactly its declared keys.
fn kind(k: &KindDecl) -> Value {
    let required: Vec<&str> = k
        .fields
        .iter()
        .filter(|f| f.required)
        .map(|f| f.key)
        .collect();
    let properties: Map<String, Value> = k
        .fields
        .iter()
        .map(|f| (f.key.to_string(), field(k, f)))
        .collect();
    json!({
        "description": format!("`{}`: {}.", k.name, k.summary),
        "type": "object",
        "additionalProperties": false,
        "required": required,
        "properties": properties
    })
}

fn field(k: &KindDecl, f: &Field) -> Value {
    let mut v = value(k, &f.ty);
    if let Value::Object(m) = &mut v {
        let doc = match f.default {
            Some(d) => format!("{} Default `{d}`.", f.doc),
            None => f.doc.to_string(),
        };
        m.insert("description".into(), doc.into());
    }
    v
}

fn integer(min: u64, max: Option<u64>) -> Value {
    let mut v = json!({ "type": "integer", "minimum": min });
    if let Some(max) = max {
        v["maximum"] = max.into();
    }
    v
}

fn def(name: &str) -> Value {
    json!({ "$ref": format!("#/$defs/{name}") })
}

fn value(k: &KindDecl, t: &Type) -> Value {
    match t {
        Type::Kind => json!({ "const": k.name }),
        Type::Count { min, max } => integer(*min, *max),
        Type::CountOrUnlimited { min, max } => {
            json!({ "oneOf": [integer(*min, *max), { "const": "unlimited" }] })
        }
        Type::Number { min, max } => json!({ "type": "number", "minimum": min, "maximum": max }),
        Type::Duration => def("duration"),
        Type::Distribution => def("distribution"),
        Type::Fraction => def("fraction"),
        Type::Size => def("size"),
        Type::Choice(words) => json!({ "enum": words }),
        Type::Text | Type::Component | Type::Place => json!({ "type": "string" }),
        Type::Zones => json!({ "type": "array", "items": { "type": "string" }, "minItems": 1 }),
        Type::Words => json!({ "type": "array", "items": { "type": "string" } }),
        Type::Block(name) => def(name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_resolves() {
        let s = schema();
        let text = s.to_string();
        let defs = s["$defs"].as_object().unwrap();
        for r in text.split("\"#/$defs/").skip(1) {
            let name = &r[..r.find('"').unwrap()];
            assert!(defs.contains_key(name), "unresolved $ref to `{name}`");
        }
    }

    #[test]
    fn a_kind_accepts_exactly_its_declared_keys() {
        let s = schema();
        for k in ALL {
            let props = s["$defs"][k.name]["properties"].as_object().unwrap();
            let keys: Vec<&str> = props.keys().map(String::as_str).collect();
            let mut declared: Vec<&str> = k.fields.iter().map(|f| f.key).collect();
            declared.sort_unstable();
            assert_eq!(keys, declared, "{}", k.name);
            assert_eq!(s["$defs"][k.name]["additionalProperties"], false);
        }
    }
}
