//! The space of candidates a plan or sweep spans: every combination of its variables' values, in
//! grid order (the first variable in `vary` varies slowest). A candidate is the scenario's *text*
//! with its values substituted ([`crate::substitute`]), checked by the same loader as a typed file,
//! so a candidate is exactly what a user would get by writing those values into the file.

use super::spec::{PlanSpec, Var, VarValue};
use crate::diagnostic::Diagnostic;
use crate::scenario::{Arrivals, Scenario, WorkloadKind};
use crate::substitute::{self, Substitution};
use std::collections::BTreeMap;

/// The scenario's text, its plan, and the base scenario as written.
#[derive(Clone, Debug)]
pub struct Space {
    pub text: String,
    pub spec: PlanSpec,
    pub base: Scenario,
    /// `--seed`: replaces the file's seed in every candidate (the text keeps the file's).
    pub seed: Option<u64>,
}

/// A candidate's value of each variable, by the variable's name as written in `vary`.
pub type Assignment = BTreeMap<String, serde_json::Value>;

impl Space {
    /// Candidates in the space.
    pub fn len(&self) -> usize {
        self.spec.size() as usize
    }

    /// Whether the space is empty (never, for a checked spec).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value index of each variable for candidate `i` (grid order: the first variable slowest).
    pub fn digits(&self, mut i: usize) -> Vec<usize> {
        let mut d = vec![0; self.spec.vars.len()];
        for (k, v) in self.spec.vars.iter().enumerate().rev() {
            let n = v.values.len();
            d[k] = i % n;
            i /= n;
        }
        d
    }

    fn values(&self, i: usize) -> impl Iterator<Item = (&Var, &VarValue)> {
        self.spec
            .vars
            .iter()
            .zip(self.digits(i))
            .map(|(v, d)| (v, &v.values[d]))
    }

    /// Candidate `i`'s values, for reports.
    pub fn assignment(&self, i: usize) -> Assignment {
        self.values(i)
            .map(|(v, x)| (v.name.clone(), x.json.clone()))
            .collect()
    }

    /// The substitutions that make candidate `i`, in `vary` order.
    pub fn substitutions(&self, i: usize) -> Vec<Substitution> {
        self.values(i)
            .flat_map(|(_, x)| value_substitutions(x))
            .collect()
    }

    /// Candidate `i` as text: the file with its values written in.
    pub fn text_of(&self, i: usize) -> Result<String, String> {
        substitute::apply_all(&self.text, &self.substitutions(i))
    }

    /// Candidate `i`, loaded and checked as a file would be. An error names the candidate's first
    /// problem as the loader words it.
    pub fn scenario(&self, i: usize) -> Result<Scenario, String> {
        let text = self.text_of(i)?;
        let mut s = load_text(&text)?;
        if let Some(seed) = self.seed {
            s.seed = seed;
        }
        Ok(s)
    }

    /// Replaces the seed of the file in every candidate.
    pub fn with_seed(mut self, seed: Option<u64>) -> Space {
        if let Some(x) = seed {
            self.base.seed = x;
        }
        self.seed = seed;
        self
    }

    /// Checks each value of each variable on its own (the others as written in the file), so a
    /// value the loader refuses (replicas 0, an unknown instance type) is reported at its place in
    /// the `plan:` block before anything is simulated.
    pub fn check_values(&self) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for var in &self.spec.vars {
            for value in &var.values {
                let subs = value_substitutions(value);
                let shown = value
                    .sets
                    .iter()
                    .map(|(t, v)| format!("{t}={v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                let result = substitute::apply_all(&self.text, &subs).and_then(|t| load_text(&t));
                if let Err(e) = result {
                    out.push(Diagnostic::error(
                        value.span,
                        format!("with `{shown}` the scenario is not valid: {e}"),
                    ));
                }
            }
        }
        out
    }
}

/// Loads a candidate's text (its `plan:` is the file's and was checked already).
/// What one value of a variable writes into the text: its removals (a bundle switching kind),
/// then its fields.
fn value_substitutions(x: &VarValue) -> Vec<Substitution> {
    let removes = x.removes.iter().map(|t| Substitution {
        target: t.clone(),
        value: None,
    });
    let sets = x.sets.iter().map(|(t, v)| Substitution {
        target: t.clone(),
        value: Some(v.clone()),
    });
    removes.chain(sets).collect()
}

fn load_text(text: &str) -> Result<Scenario, String> {
    let tree = crate::yaml::parse(text.as_bytes()).map_err(|d| describe(text, &d))?;
    match crate::scenario::load::load(&tree) {
        Ok((s, _)) => Ok(s),
        Err(diags) => {
            let first = diags
                .iter()
                .find(|d| d.is_error())
                .or(diags.first())
                .map(|d| describe(text, d))
                .unwrap_or_else(|| "not a valid scenario".into());
            Err(first)
        }
    }
}

fn describe(text: &str, d: &Diagnostic) -> String {
    let line = text
        .lines()
        .nth(d.span.start.line.saturating_sub(1) as usize)
        .unwrap_or("")
        .trim();
    format!("{} (at `{line}`)", d.message)
}

/// The scenario with every open workload's rate multiplied by `factor` (closed workloads keep
/// their population: their load follows from the system's speed).
pub fn at_load(s: &Scenario, factor: f64) -> Scenario {
    let mut s = s.clone();
    for w in &mut s.workloads {
        if let WorkloadKind::Open(a) = &mut w.kind {
            *a = match *a {
                Arrivals::Poisson { per_sec } => Arrivals::Poisson {
                    per_sec: per_sec * factor,
                },
                Arrivals::Constant { per_sec } => Arrivals::Constant {
                    per_sec: per_sec * factor,
                },
            };
        }
    }
    s
}
