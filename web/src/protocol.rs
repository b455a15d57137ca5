//! The messages between the page and the simulation worker, sent as JSON text through
//! `postMessage`. The page sends one [`Request`]; the worker answers with any number of
//! [`Response::Progress`] and then exactly one of the other variants. Cancelling is terminating
//! the worker.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Where the page finds the workers' start script (relative to the page): the simulation worker,
/// the checking worker and the Plan tab's workers all run the workers' program.
pub const WORKER_URL: &str = "./worker-boot.js";

/// Simulate this scenario text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Echoed in every answer, so answers to an earlier run can be told apart.
    pub id: u32,
    /// The scenario file's text (YAML or JSON).
    pub yaml: String,
    /// Use this seed instead of the file's `seed` (as `archsim run --seed`).
    pub seed: Option<u64>,
}

/// One finding of `sim_core::load`, with its place in the text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub error: bool,
    pub line: u32,
    pub col: u32,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    pub fn from_diagnostic(d: &sim_core::Diagnostic) -> Finding {
        Finding {
            error: d.is_error(),
            line: d.span.start.line,
            col: d.span.start.col,
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }
}

impl std::fmt::Display for Finding {
    /// `line:col: error: message (help: ...)`, as the command line prints it less the file name.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = if self.error { "error" } else { "warning" };
        write!(f, "{}:{}: {sev}: {}", self.line, self.col, self.message)?;
        if let Some(h) = &self.help {
            write!(f, " (help: {h})")?;
        }
        Ok(())
    }
}

/// What the worker says back.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// How far the run has got: `fraction` (0 to 1) of the simulated time of all replications.
    Progress {
        id: u32,
        /// 0-based replication being simulated.
        replication: u32,
        replications: u32,
        fraction: f64,
        events: u64,
    },
    /// The run finished: the report as `archsim run --json` prints it.
    Done { id: u32, report_json: String },
    /// The scenario is not valid; nothing was simulated.
    Invalid { id: u32, findings: Vec<Finding> },
    /// The run stopped (a limit of the scenario, or a malformed request).
    Failed { id: u32, message: String },
}

impl Response {
    pub fn id(&self) -> u32 {
        match self {
            Response::Progress { id, .. }
            | Response::Done { id, .. }
            | Response::Invalid { id, .. }
            | Response::Failed { id, .. } => *id,
        }
    }
}

impl Response {
    /// Reads an answer of the worker (the page's side). The same JSON as serde's derive reads,
    /// read by hand from a `serde_json::Value` (which the page parses anyway, for the charts):
    /// that keeps serde's buffering of internally tagged enums out of the app's WebAssembly.
    pub fn from_json(text: &str) -> Option<Response> {
        let v: Value = serde_json::from_str(text).ok()?;
        let id = u32::try_from(v.get("id")?.as_u64()?).ok()?;
        let u32_at = |key| u32::try_from(v.get(key)?.as_u64()?).ok();
        let str_at = |key| Some(String::from(v.get(key)?.as_str()?));
        Some(match v.get("kind")?.as_str()? {
            "progress" => Response::Progress {
                id,
                replication: u32_at("replication")?,
                replications: u32_at("replications")?,
                fraction: v.get("fraction")?.as_f64()?,
                events: v.get("events")?.as_u64()?,
            },
            "done" => Response::Done {
                id,
                report_json: str_at("report_json")?,
            },
            "invalid" => Response::Invalid {
                id,
                findings: v
                    .get("findings")?
                    .as_array()?
                    .iter()
                    .map(Finding::from_value)
                    .collect::<Option<_>>()?,
            },
            "failed" => Response::Failed {
                id,
                message: str_at("message")?,
            },
            _ => return None,
        })
    }
}

impl Finding {
    /// Reads a finding from JSON by hand (as [`Response::from_json`]).
    pub fn from_value(v: &Value) -> Option<Finding> {
        let u32_at = |key| u32::try_from(v.get(key)?.as_u64()?).ok();
        Some(Finding {
            error: v.get("error")?.as_bool()?,
            line: u32_at("line")?,
            col: u32_at("col")?,
            message: v.get("message")?.as_str()?.into(),
            help: match v.get("help") {
                None | Some(Value::Null) => None,
                Some(h) => Some(h.as_str()?.into()),
            },
        })
    }
}

/// Checks scenario text as `archsim validate` does, returning every finding (errors and warnings).
pub fn check(yaml: &str) -> Vec<Finding> {
    findings(&sim_core::load(yaml.as_bytes()))
}

/// The findings of a load: its warnings, or its errors.
pub fn findings(loaded: &Result<sim_core::Loaded, Vec<sim_core::Diagnostic>>) -> Vec<Finding> {
    match loaded {
        Ok(l) => l.warnings.iter().map(Finding::from_diagnostic).collect(),
        Err(ds) => ds.iter().map(Finding::from_diagnostic).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_as_json() {
        let r = Response::Progress {
            id: 3,
            replication: 0,
            replications: 2,
            fraction: 0.25,
            events: 10,
        };
        let text = serde_json::to_string(&r).unwrap();
        assert!(text.contains(r#""kind":"progress""#));
        assert_eq!(serde_json::from_str::<Response>(&text).unwrap(), r);
    }

    #[test]
    fn the_page_reads_every_answer_as_serde_does() {
        let findings = check("version: 1\nname: x\nduration: ten minutes\n");
        assert!(!findings.is_empty());
        let mut with_help = findings[0].clone();
        with_help.help = Some("try `10m`".into());
        let answers = [
            Response::Progress {
                id: 3,
                replication: 1,
                replications: 2,
                fraction: 0.1 + 0.2,
                events: u64::from(u32::MAX) + 7,
            },
            Response::Done {
                id: 4,
                report_json: "{\n  \"scenario\": \"a \\\"b\\\"\"\n}\n".into(),
            },
            Response::Invalid { id: 5, findings },
            Response::Invalid {
                id: 6,
                findings: vec![with_help],
            },
            Response::Failed {
                id: u32::MAX,
                message: "the run hit `limits.max_events` ✘".into(),
            },
        ];
        for r in answers {
            let text = serde_json::to_string(&r).unwrap();
            assert_eq!(Response::from_json(&text), Some(r), "{text}");
        }
        for bad in [
            "",
            "{}",
            r#"{"kind":"done","id":1}"#,
            r#"{"kind":"progress","id":1,"replication":0,"replications":1,"fraction":"x","events":1}"#,
            r#"{"kind":"later","id":1}"#,
            r#"{"kind":"failed","id":-1,"message":"m"}"#,
        ] {
            assert_eq!(Response::from_json(bad), None, "{bad}");
            assert!(serde_json::from_str::<Response>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn findings_carry_line_and_column() {
        let f = check("version: 1\nname: x\nduration: ten minutes\n");
        assert!(f.iter().any(|f| f.error && f.line == 3), "{f:?}");
        assert!(
            f[0].to_string()
                .starts_with(&format!("{}:{}: error: ", f[0].line, f[0].col))
        );
    }
}
