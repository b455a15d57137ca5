//! Quick what-ifs: `--set component.field=value` (repeatable) on `run`, `check`, `report` and
//! `diff`. The edits are made to the file's *text* by [`sim_core::substitute`] (the planner's
//! substitutions use the same code), and the edited text goes through the same loader as a typed
//! file, so a value is judged exactly as it would be in the file. A malformed argument or a path
//! that names no component is an error naming the argument; a value the loader refuses gets the
//! loader's message, placed in the edited text and marked "after --set ...". Exit 2 in all cases.

use sim_core::substitute::{self, Substitution};
use std::path::Path;
use std::process::ExitCode;

/// The `--set` arguments, flattened into each command that simulates a scenario.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct WhatIf {
    /// Change one field of a component before simulating: COMPONENT.FIELD=VALUE, such as
    /// `--set api.replicas=6` or `--set db.service_time="{ exponential: 4ms }"` (repeatable;
    /// applied in order to the file's text, then checked like the file).
    #[arg(long = "set", value_name = "COMPONENT.FIELD=VALUE")]
    pub set: Vec<String>,
}

impl WhatIf {
    /// `after --set a=1 --set b=2`, for messages about the edited text.
    pub fn describe(&self) -> String {
        let args: Vec<String> = self.set.iter().map(|s| format!("--set {s}")).collect();
        format!("after {}", args.join(" "))
    }

    /// The text with every substitution applied, or the message naming the argument at fault.
    pub fn apply(&self, text: &str) -> Result<String, String> {
        let mut out = text.to_string();
        for arg in &self.set {
            let s = Substitution::parse(arg).map_err(|e| format!("--set {arg}: {e}"))?;
            out = substitute::apply(&out, &s).map_err(|e| format!("--set {arg}: {e}"))?;
        }
        Ok(out)
    }
}

/// The scenario's text as simulated (with every `--set` applied), and the file's name for
/// messages; problems reported, exit 2.
pub fn text(path: &Path, what_if: &WhatIf) -> Result<(String, String), ExitCode> {
    let name = path.display().to_string();
    let bytes = crate::read::scenario(path).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let Ok(text) = String::from_utf8(bytes) else {
        return crate::load(path).and(Err(ExitCode::from(2)));
    };
    if what_if.set.is_empty() {
        return Ok((text, name));
    }
    let edited = what_if.apply(&text).map_err(|e| {
        eprintln!("{name}: error: {e}");
        ExitCode::from(2)
    })?;
    Ok((edited, format!("{name} ({})", what_if.describe())))
}

/// Reads, edits and loads a scenario; with no `--set`, exactly [`crate::load`].
pub fn load(path: &Path, what_if: &WhatIf) -> Result<sim_core::Loaded, ExitCode> {
    if what_if.set.is_empty() {
        return crate::load(path);
    }
    let name = path.display().to_string();
    let bytes = crate::read::scenario(path).map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let Ok(text) = std::str::from_utf8(&bytes) else {
        // Not text: the loader says why, with its place in the file as it is.
        return crate::load(path);
    };
    let edited = what_if.apply(text).map_err(|e| {
        eprintln!("{name}: error: {e}");
        ExitCode::from(2)
    })?;
    crate::load_bytes(
        &format!("{name} ({})", what_if.describe()),
        edited.as_bytes(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "version: 1\nname: x\nduration: 1s\ncomponents:\n  api: { kind: service, service_time: 1ms }\nworkloads:\n  - { name: w, entry: api, arrivals: { poisson: 1/s } }\n";

    fn sets(a: &[&str]) -> WhatIf {
        WhatIf {
            set: a.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn applies_in_order_and_names_the_bad_argument() {
        let t = sets(&["api.replicas=3", "api.replicas=5"])
            .apply(T)
            .unwrap();
        assert!(
            t.contains("replicas: 5") && !t.contains("replicas: 3"),
            "{t}"
        );
        let e = sets(&["api.replicas=3", "web.replicas=2"])
            .apply(T)
            .unwrap_err();
        assert!(
            e.starts_with("--set web.replicas=2: no component `web`"),
            "{e}"
        );
        let e = sets(&["api.replicas"]).apply(T).unwrap_err();
        assert!(e.starts_with("--set api.replicas: "), "{e}");
        assert_eq!(
            sets(&["a.b=1", "c.d=2"]).describe(),
            "after --set a.b=1 --set c.d=2"
        );
    }
}
