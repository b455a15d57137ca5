//! Checking a large scenario text off the page's thread (pure; the worker glue posts what
//! [`answer`] returns, the page reads it with [`read`]). The page checks a text itself while it
//! is small; above [`LARGE`] bytes it sends `{kind: "check", id, yaml}` to a checking worker,
//! which loads the text as the page would (`sim_core::load`) and answers `{kind: "checked", id,
//! findings, graph}`: the findings list and the sketch's graph, so typing in a file of thousands
//! of components never waits for the loader.

use crate::graph::Graph;
use crate::protocol::{self, Finding};
use serde_json::{Value, json};

/// Texts longer than this (in bytes) are checked in the worker.
pub const LARGE: usize = 100_000;

/// The findings and the graph of `text`, as the page computes them for a small text.
pub fn check(text: &str) -> (Vec<Finding>, Option<Graph>) {
    let loaded = sim_core::load(text.as_bytes());
    let graph = loaded.as_ref().ok().map(|l| Graph::of(&l.scenario));
    (protocol::findings(&loaded), graph)
}

/// The worker's answer to a `check` message, as JSON text; `None` for any other message.
pub fn answer(msg: &Value) -> Option<String> {
    if msg.get("kind")?.as_str()? != "check" {
        return None;
    }
    let id = msg.get("id").and_then(Value::as_u64).unwrap_or(0);
    let text = msg.get("yaml").and_then(Value::as_str).unwrap_or("");
    let (findings, graph) = check(text);
    Some(json!({"kind": "checked", "id": id, "findings": findings, "graph": graph}).to_string())
}

/// The page's reading of a `checked` answer: its id, findings and graph.
pub fn read(text: &str) -> Option<(u64, Vec<Finding>, Option<Graph>)> {
    let v: Value = serde_json::from_str(text).ok()?;
    if v.get("kind")?.as_str()? != "checked" {
        return None;
    }
    let findings = serde_json::from_value(v.get("findings")?.clone()).ok()?;
    let graph = match v.get("graph")? {
        Value::Null => None,
        g => Some(Graph::from_json(g)?),
    };
    Some((v.get("id")?.as_u64()?, findings, graph))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    #[test]
    fn the_worker_s_answer_is_what_the_page_would_have_computed() {
        for file in [
            "zone-spread.yaml",
            "checkout.yaml",
            "queue-backlog-dlq.yaml",
        ] {
            let t = examples::find(file).unwrap().yaml;
            let bad = t.replacen("kind: service", "kind: servise", 1);
            for text in [t.to_string(), bad] {
                let msg = json!({"kind": "check", "id": 7, "yaml": text});
                let (id, findings, graph) = read(&answer(&msg).unwrap()).unwrap();
                assert_eq!(id, 7);
                let (f, g) = check(&text);
                assert_eq!(findings, f, "{file}");
                assert_eq!(graph, g, "{file}: the graph survives the trip");
            }
        }
        assert!(
            check(&examples::find("checkout.yaml").unwrap().yaml.replacen(
                "kind: service",
                "kind: servise",
                1
            ))
            .0
            .iter()
            .any(|f| f.error)
        );
        assert_eq!(answer(&json!({"kind": "plan_start"})), None);
        assert_eq!(read(r#"{"kind": "done"}"#), None);
    }
}
