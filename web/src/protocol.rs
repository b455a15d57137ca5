//! The messages between the page and the simulation worker, sent as JSON text through
//! `postMessage`. The page sends one [`Request`]; the worker answers with any number of
//! [`Response::Progress`] and then exactly one of the other variants. Cancelling is terminating
//! the worker.

use serde::{Deserialize, Serialize};

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

/// Checks scenario text as `archsim validate` does, returning every finding (errors and warnings).
pub fn check(yaml: &str) -> Vec<Finding> {
    match sim_core::load(yaml.as_bytes()) {
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
    fn findings_carry_line_and_column() {
        let f = check("version: 1\nname: x\nduration: ten minutes\n");
        assert!(f.iter().any(|f| f.error && f.line == 3), "{f:?}");
        assert!(
            f[0].to_string()
                .starts_with(&format!("{}:{}: error: ", f[0].line, f[0].col))
        );
    }
}
