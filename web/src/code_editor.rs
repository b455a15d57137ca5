//! What the YAML editor (CodeMirror 6, `web/editor/editor.js`) is given by the app, as JSON (pure,
//! tested natively): the loader's findings placed at their spans in the editor's UTF-16 offsets
//! (the word at each finding's `line:col`, as the findings list's jump selects it), and the words
//! completion offers: the format's keys (a component's by its kind) and the file's component names.
//! The browser glue is `editor_view.rs`.

use crate::protocol::Finding;
use crate::scenario_edit::PALETTE;
use serde_json::{Value, json};
use sim_core::scenario::load;

/// The findings as the editor's diagnostics: `[{from, to, error, message}]`, `message` with its
/// help after it.
pub fn diagnostics(text: &str, findings: &[Finding]) -> Value {
    Value::Array(
        findings
            .iter()
            .map(|f| {
                let (from, to) = crate::jump::selection(text, f.line, f.col);
                let message = match &f.help {
                    Some(h) => format!("{} ({h})", f.message),
                    None => f.message.clone(),
                };
                json!({"from": from, "to": to, "error": f.error, "message": message})
            })
            .collect(),
    )
}

/// The words of completion: `{keys, kinds: {kind: keys}, names}`; `keys` are every key the format
/// has (for a place whose kind is not known), `names` the file's components in file order.
pub fn words(names: &[String]) -> Value {
    let mut keys: Vec<&str> = load::TOP_KEYS
        .iter()
        .chain(load::WORKLOAD_KEYS)
        .chain(load::LIMIT_KEYS)
        .copied()
        .collect();
    let mut kinds = serde_json::Map::new();
    for k in PALETTE {
        let ks = crate::vocabulary::component_keys(k.name);
        keys.extend(ks.iter().copied());
        kinds.insert(k.name.to_string(), json!(ks));
    }
    keys.sort_unstable();
    keys.dedup();
    json!({"keys": keys, "kinds": kinds, "names": names})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_marks_the_word_at_its_line_and_column() {
        let text = "version: 1\nname: é x\ncomponents:\n  api: { kind: servce }\n";
        let f = |line, col, error| Finding {
            error,
            line,
            col,
            message: "unknown kind".into(),
            help: Some("expected service".into()),
        };
        let d = diagnostics(text, &[f(4, 16, true), f(2, 9, false)]);
        let units: Vec<u16> = text.encode_utf16().collect();
        let at = |i: usize| {
            let (a, b) = (
                d[i]["from"].as_u64().unwrap() as usize,
                d[i]["to"].as_u64().unwrap() as usize,
            );
            String::from_utf16(&units[a..b]).unwrap()
        };
        assert_eq!(at(0), "servce");
        assert_eq!(at(1), "x", "after a two-byte character, in UTF-16 units");
        assert_eq!(d[0]["error"], true);
        assert_eq!(d[1]["error"], false);
        assert_eq!(d[0]["message"], "unknown kind (expected service)");
    }

    #[test]
    fn completion_knows_each_kind_s_keys_and_the_file_s_names() {
        let w = words(&["api".into(), "db".into()]);
        assert_eq!(w["names"], json!(["api", "db"]));
        let service = w["kinds"]["service"].as_array().unwrap();
        assert!(service.contains(&json!("concurrency")));
        assert!(
            w["kinds"]["cache"]
                .as_array()
                .unwrap()
                .contains(&json!("capacity"))
        );
        let keys = w["keys"].as_array().unwrap();
        for k in [
            "components",
            "workloads",
            "arrivals",
            "max_events",
            "replicas",
        ] {
            assert!(keys.contains(&json!(k)), "{k}");
        }
        let mut sorted = keys.clone();
        sorted.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        sorted.dedup();
        assert_eq!(&sorted, keys, "sorted, once each");
    }
}
