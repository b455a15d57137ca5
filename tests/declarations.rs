//! The kinds' declarations (`sim_core::scenario::decl`) against the loader: what a declaration
//! says of a field (its default, range and words) and of a kind (its template, the faults that
//! may name it) is what the loader does. The schema, the format reference's tables and the editors
//! are generated from the declarations, so this is what keeps them all true.

use sim_core::scenario::decl::{ALL, Field, KindDecl, Type};
use sim_core::scenario::load::keys::FAULT_TYPES;

/// A scenario whose component `x` has `body` (YAML lines of a mapping), next to a service `t` for
/// it to send to, in a region with two zones.
fn scenario(body: &str) -> String {
    let body: String = body.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "version: 1\nname: decl\nduration: 1s\nregions: {{ r1: {{ zones: [a, b] }} }}\ncomponents:\n  t: {{ kind: service, service_time: 1ms, region: r1 }}\n  x:\n{body}workloads:\n  - {{ name: w, entry: x, arrivals: {{ poisson: 1/s }} }}\n"
    )
}

/// The bodies a kind's fields are tried in: its template; with an instance type (which `pricing`
/// needs); for a cache the key model (where `capacity`, `ttl` and `zipf` belong); for a database
/// quorum replication (which `write_quorum` and `read_quorum` need).
fn bases(k: &KindDecl) -> Vec<String> {
    let t = k.template("t");
    let mut b = vec![t.clone()];
    if k.field("instance").is_some() {
        b.push(with(&t, "instance", "m5.large"));
    }
    match k.name {
        "cache" => b.push("kind: cache\nkeys: 1000\non_miss: t".into()),
        "database" => b.push(with(&with(&t, "replicas", "2"), "replication", "quorum")),
        _ => {}
    }
    b
}

/// `base` without `key`, and with `key: value` (replacing it if present).
fn without(base: &str, key: &str) -> String {
    base.lines()
        .filter(|l| !l.starts_with(&format!("{key}:")))
        .collect::<Vec<_>>()
        .join("\n")
}

fn with(base: &str, key: &str, value: &str) -> String {
    format!("{}\n{key}: {value}", without(base, key))
}

/// The loaded component `x`, spans removed (adding a line moves them), or the errors.
fn component(body: &str) -> Result<String, String> {
    match sim_core::load(scenario(body).as_bytes()) {
        Ok(l) => {
            let c = l
                .scenario
                .components
                .iter()
                .find(|c| c.name == "x")
                .expect("x is loaded");
            Ok(strip_spans(&format!("{c:?}")))
        }
        Err(d) => Err(d
            .iter()
            .map(|d| d.message.clone())
            .collect::<Vec<_>>()
            .join("; ")),
    }
}

fn strip_spans(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("Span {") {
        out += &rest[..at];
        let mut depth = 0;
        let mut end = at;
        for (i, ch) in rest[at..].char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out + rest
}

/// The first base in which `f(base)` holds, for a field's checks.
fn each_field(mut check: impl FnMut(&KindDecl, &Field, &[String])) {
    for k in ALL {
        let bases = bases(k);
        for f in k.fields {
            check(k, f, &bases);
        }
    }
}

#[test]
fn every_template_loads() {
    for k in ALL {
        for b in bases(k) {
            component(&b).unwrap_or_else(|e| panic!("{}: {e}\n{b}", k.name));
        }
    }
}

#[test]
fn omitting_a_field_is_writing_its_declared_default() {
    let mut checked = 0;
    each_field(|k, f, bases| {
        let Some(default) = f.default else { return };
        let same = bases.iter().any(|b| {
            let (Ok(absent), Ok(written)) = (
                component(&without(b, f.key)),
                component(&with(b, f.key, default)),
            ) else {
                return false;
            };
            assert_eq!(
                absent, written,
                "{}.{}: declared default `{default}` is not what the loader uses",
                k.name, f.key
            );
            true
        });
        assert!(same, "{}.{}: no base loads with `{default}`", k.name, f.key);
        checked += 1;
    });
    assert!(checked > 30, "only {checked} defaults checked");
}

#[test]
fn a_count_is_accepted_at_its_bounds_and_refused_beyond() {
    let mut checked = 0;
    each_field(|k, f, bases| {
        let (min, max) = match f.ty {
            Type::Count { min, max } | Type::CountOrUnlimited { min, max } => (min, max),
            _ => return,
        };
        let loads = |v: &str| bases.iter().any(|b| component(&with(b, f.key, v)).is_ok());
        let mut fine = vec![min];
        let mut refused = Vec::new();
        if let Some(max) = max {
            fine.push(max);
            refused.push(max + 1);
        }
        if min > 0 {
            refused.push(min - 1);
        }
        for v in fine {
            assert!(loads(&v.to_string()), "{}.{}: {v} refused", k.name, f.key);
        }
        for v in refused {
            for b in bases {
                let e = component(&with(b, f.key, &v.to_string()))
                    .expect_err(&format!("{}.{}: {v} accepted", k.name, f.key));
                assert!(e.contains(f.key), "{}.{}: message `{e}`", k.name, f.key);
            }
        }
        if matches!(f.ty, Type::CountOrUnlimited { .. }) {
            assert!(
                loads("unlimited"),
                "{}.{}: `unlimited` refused",
                k.name,
                f.key
            );
        }
        checked += 1;
    });
    assert!(checked >= 10, "only {checked} counts checked");
}

#[test]
fn a_number_is_accepted_within_its_range_only() {
    each_field(|k, f, bases| {
        let Type::Number { min, max } = f.ty else {
            return;
        };
        let loads = |v: f64| {
            bases
                .iter()
                .any(|b| component(&with(b, f.key, &v.to_string())).is_ok())
        };
        assert!(
            loads(min) && loads(max),
            "{}.{}: a bound refused",
            k.name,
            f.key
        );
        assert!(
            !loads(max + 0.5) && !loads(min - 0.5),
            "{}.{}: accepted beyond",
            k.name,
            f.key
        );
    });
}

#[test]
fn every_declared_word_is_accepted_and_no_other() {
    let mut checked = 0;
    each_field(|k, f, bases| {
        let Type::Choice(words) = f.ty else { return };
        for w in words {
            let ok = bases.iter().any(|b| component(&with(b, f.key, w)).is_ok());
            assert!(ok, "{}.{}: `{w}` refused", k.name, f.key);
        }
        for b in bases {
            assert!(
                component(&with(b, f.key, "no_such_word")).is_err(),
                "{}.{}: any word accepted",
                k.name,
                f.key
            );
        }
        checked += 1;
    });
    assert!(checked >= 8, "only {checked} choices checked");
}

#[test]
fn a_required_field_is_required() {
    each_field(|k, f, bases| {
        if !f.required || f.key == "kind" {
            return;
        }
        for b in bases {
            let e = component(&without(b, f.key))
                .expect_err(&format!("{}: loads without `{}`", k.name, f.key));
            assert!(e.contains(f.key), "{}.{}: message `{e}`", k.name, f.key);
        }
    });
}

/// A fault of `ty` naming `x`, as the format writes it.
fn fault(ty: &str) -> Option<String> {
    let body = match ty {
        "instance_crash" | "spot_reclaim" | "cache_flush" => "{ component: x }",
        "latency" | "replication_lag" => "{ component: x, add: 10ms }",
        "errors" => "{ component: x, rate: 10% }",
        "bad_deploy" => "{ component: x, error_rate: 10% }",
        _ => return None,
    };
    Some(format!("faults:\n  - {{ at: 100ms, {ty}: {body} }}\n"))
}

#[test]
fn a_fault_may_name_a_component_exactly_when_its_kind_declares_it() {
    let mut pairs = 0;
    for k in ALL {
        for ty in FAULT_TYPES {
            let Some(f) = fault(ty) else { continue };
            let loads = bases(k)
                .iter()
                .any(|b| sim_core::load(format!("{}{f}", scenario(b)).as_bytes()).is_ok());
            assert_eq!(
                loads,
                k.takes_fault(ty),
                "{}: `{ty}` {} but the declaration says {}",
                k.name,
                if loads { "loads" } else { "is refused" },
                k.takes_fault(ty)
            );
            pairs += 1;
        }
    }
    assert_eq!(
        pairs,
        ALL.len() * 7,
        "every component fault tried on every kind"
    );
}

#[test]
fn declared_faults_are_fault_types() {
    for k in ALL {
        for f in k.faults {
            assert!(
                FAULT_TYPES.contains(f),
                "{}: `{f}` is no fault type",
                k.name
            );
        }
    }
}
