//! What-if substitutions: `component.field=value` written into a scenario's *text*.
//!
//! The CLI's `--set`, the planner's candidates and `archsim plan --write` all change a scenario the
//! same way: they edit the YAML text at `components.<component>.<field>` through
//! [`crate::yaml_edit`] (so comments, order and layout stay) and hand the result to the same
//! loader as a typed file. A value that the loader would refuse in a file is refused here too, by
//! the loader, with its usual message.

use crate::yaml_edit::{self, Seg};

/// One substitution: a dotted target (`api.replicas`, `api.autoscale.max`, `api.calls.0.timeout`)
/// and the YAML text of its new value (`6`, `m5.large`, `{ exponential: 2ms }`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Substitution {
    /// As written: the component's name, then the field's path inside the component.
    pub target: String,
    /// One line of YAML; `None` removes the field (a plan's bundle that switches a service to a
    /// function drops the fields a function does not take).
    pub value: Option<String>,
}

impl Substitution {
    /// Reads `component.field=value` (the value may itself contain `=` and `.`).
    pub fn parse(arg: &str) -> Result<Substitution, String> {
        let Some((target, value)) = arg.split_once('=') else {
            return Err(format!(
                "`{arg}` is not a substitution; expected `component.field=value`, such as `api.replicas=6`"
            ));
        };
        let (target, value) = (target.trim(), value.trim());
        let mut parts = target.split('.');
        let component = parts.next().unwrap_or("");
        if component.is_empty() || parts.next().is_none_or(str::is_empty) {
            return Err(format!(
                "`{target}` does not name a field; expected `component.field`, such as `api.replicas`"
            ));
        }
        if value.is_empty() {
            return Err(format!(
                "`{target}=` has no value; expected `{target}=VALUE`"
            ));
        }
        if value.contains('\n') {
            return Err(format!("the value of `{target}` must be one line of YAML"));
        }
        Ok(Substitution {
            target: target.to_string(),
            value: Some(value.to_string()),
        })
    }

    /// The component the substitution changes.
    pub fn component(&self) -> &str {
        self.target.split('.').next().unwrap_or("")
    }
}

/// The path in the file of a dotted target: `api.replicas` is `components.api.replicas`.
pub fn file_path(target: &str) -> Vec<Seg> {
    let mut p = vec![Seg::Key("components".into())];
    p.extend(yaml_edit::path(target));
    p
}

/// Applies one substitution to the text. Fails, saying why, when the text is not YAML, the
/// component does not exist, or the field's parent is missing; the *value* is checked later by
/// the loader.
pub fn apply(text: &str, s: &Substitution) -> Result<String, String> {
    let doc = yaml_edit::Doc::parse(text)?;
    let components = doc
        .get(&[Seg::Key("components".into())])
        .ok_or("the file has no `components`")?;
    let name = s.component();
    if yaml_edit::child(components, &Seg::Key(name.to_string())).is_none() {
        let names: Vec<String> = match &components.value {
            crate::yaml::Value::Map(entries) => entries
                .iter()
                .filter_map(|(k, _)| k.as_scalar().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        };
        return Err(format!(
            "no component `{name}` in the file; expected one of: {}",
            names.join(", ")
        ));
    }
    match &s.value {
        Some(v) => yaml_edit::set(text, &file_path(&s.target), v)
            .map_err(|e| format!("cannot set `{}`: {e}", s.target)),
        None => yaml_edit::remove(text, &file_path(&s.target))
            .map_err(|e| format!("cannot remove `{}`: {e}", s.target)),
    }
}

/// Applies substitutions in order.
pub fn apply_all(text: &str, subs: &[Substitution]) -> Result<String, String> {
    let mut t = text.to_string();
    for s in subs {
        t = apply(&t, s)?;
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "version: 1\nname: x\nduration: 1s\ncomponents:\n  # the front\n  api:\n    kind: service\n    service_time: 1ms\n    replicas: 2   # two to start\n  db: { kind: service, service_time: 1ms }\nworkloads:\n  - { name: w, entry: api, arrivals: { poisson: 1/s } }\n";

    fn sub(a: &str) -> Substitution {
        Substitution::parse(a).unwrap()
    }

    #[test]
    fn replaces_a_value_and_keeps_comments() {
        let t = apply(T, &sub("api.replicas=6")).unwrap();
        assert!(t.contains("    replicas: 6   # two to start\n"), "{t}");
        assert!(t.contains("# the front"));
        let loaded = crate::load(t.as_bytes()).unwrap();
        assert_eq!(loaded.scenario.components[0].station.replicas, 6);
    }

    #[test]
    fn adds_a_missing_field_in_block_and_flow_styles() {
        let t = apply(T, &sub("api.concurrency=4")).unwrap();
        let t = apply(&t, &sub("db.replicas=3")).unwrap();
        let s = crate::load(t.as_bytes()).unwrap().scenario;
        assert_eq!(s.components[0].station.concurrency, Some(4));
        assert_eq!(s.components[1].station.replicas, 3);
        assert!(
            t.contains("db: { kind: service, service_time: 1ms, replicas: 3 }"),
            "{t}"
        );
    }

    #[test]
    fn names_what_is_wrong() {
        assert!(
            Substitution::parse("api.replicas")
                .unwrap_err()
                .contains("component.field=value")
        );
        assert!(
            Substitution::parse("api=3")
                .unwrap_err()
                .contains("does not name a field")
        );
        assert!(
            Substitution::parse("api.replicas=")
                .unwrap_err()
                .contains("has no value")
        );
        let e = apply(T, &sub("web.replicas=2")).unwrap_err();
        assert!(
            e.contains("no component `web`") && e.contains("api, db"),
            "{e}"
        );
        // The loader, not the substitution, judges values.
        let t = apply(T, &sub("api.replicas=0")).unwrap();
        assert!(crate::load(t.as_bytes()).is_err());
    }

    #[test]
    fn values_may_hold_dots_and_equals() {
        let s = sub("api.instance=m5.large");
        assert_eq!(
            (s.component(), s.value.as_deref().unwrap_or("")),
            ("api", "m5.large")
        );
        assert_eq!(sub("a.b=x=y").value.as_deref(), Some("x=y"));
    }
}
