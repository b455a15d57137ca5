//! What the graph editor and the inspector do to a scenario, as edits of its text
//! ([`crate::yaml_edit`]): add a component from the palette, connect one to another, disconnect,
//! delete, rename, move on the sketch (`layout:`), and add or remove workloads, faults and SLOs.
//!
//! "Connect" means what an arrow of the sketch means for the caller's kind: a call for a service
//! or function (`calls: - to: x`), a target for a load balancer or DNS (`targets`), the consumer of
//! a queue (`consumers`), what a cache calls on a miss (`on_miss`). Deleting a component removes
//! the arrows into it and its place in `layout`; workloads, faults and SLOs naming it are left for
//! the validator to point at, since what should replace them is the user's choice.

use crate::yaml_edit::{self, Doc, Seg, path, remove, set};
use sim_core::yaml::{Node, Value};

/// The kinds offered by the palette (every declared kind, in the declarations' order).
pub use sim_core::scenario::decl::ALL as PALETTE;

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

fn comp(name: &str) -> Vec<Seg> {
    vec![key("components"), key(name)]
}

fn comp_field(name: &str, field: &str) -> Vec<Seg> {
    vec![key("components"), key(name), key(field)]
}

/// The components' names, in file order.
pub fn component_names(text: &str) -> Vec<String> {
    Doc::parse(text).map_or_else(|_| Vec::new(), |d| names_in(&d))
}

/// The components' names in a parsed text, in file order.
pub fn names_in(d: &Doc<'_>) -> Vec<String> {
    match d.get(&path("components")).map(|n| &n.value) {
        Some(Value::Map(e)) => e
            .iter()
            .filter_map(|(k, _)| k.as_scalar().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

/// A component's `kind`, as written.
pub fn kind_of(text: &str, name: &str) -> Option<String> {
    kind_in(&Doc::parse(text).ok()?, name)
}

/// A component's `kind` in a parsed text.
pub fn kind_in(d: &Doc<'_>, name: &str) -> Option<String> {
    d.get(&comp_field(name, "kind"))?
        .as_scalar()
        .map(str::to_string)
}

/// How many items the top-level list `key` has (`workloads`, `faults`, `slo`).
fn list_len(d: &Doc<'_>, key: &str) -> usize {
    match d.get(&path(key)).map(|n| &n.value) {
        Some(Value::Seq(v)) => v.len(),
        _ => 0,
    }
}

/// A name for a new component: `base`, else `base2`, `base3`, ...
pub fn free_name(text: &str, base: &str) -> String {
    let taken = component_names(text);
    std::iter::once(base.to_string())
        .chain((2..).map(|i| format!("{base}{i}")))
        .find(|n| !taken.contains(n))
        .expect("an unbounded sequence")
}

/// A valid name: letters, digits, `_` and `-`, starting with a letter.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a usable name: expected letters, digits, `_` or `-`, starting with a letter"
        ))
    }
}

/// Adds a component of `kind` from the palette; returns the text and the new name. `near` (the
/// selected component, if any) is what a load balancer, DNS, cache or queue sends to; without
/// it, the first service.
pub fn add_component(
    text: &str,
    kind: &str,
    near: Option<&str>,
) -> Result<(String, String), String> {
    let decl = sim_core::scenario::decl::of(kind).ok_or_else(|| format!("no kind `{kind}`"))?;
    let base = decl.look.base_name;
    let d = Doc::parse(text)?;
    let names = names_in(&d);
    let target = near
        .filter(|n| names.iter().any(|x| x == n))
        .map(str::to_string)
        .or_else(|| {
            names
                .iter()
                .find(|n| kind_in(&d, n).as_deref() == Some("service"))
                .cloned()
        })
        .or_else(|| names.first().cloned())
        .unwrap_or_default();
    let name = free_name(text, base);
    // The body of a new component: its declaration's template, sending to `target` where its
    // kind must send somewhere (a load balancer's targets, a queue's consumers, a cache's misses).
    let body = decl.template(&target);
    let out = set(text, &comp(&name), &body)?;
    Ok((out, name))
}

/// Connects `from` to `to` as `from`'s kind sends requests.
pub fn connect(text: &str, from: &str, to: &str) -> Result<String, String> {
    if from == to {
        return Err(format!("`{from}` cannot send to itself"));
    }
    if !component_names(text).iter().any(|n| n == to) {
        return Err(format!("there is no component `{to}`"));
    }
    let kind = kind_of(text, from).ok_or_else(|| format!("`{from}` has no kind"))?;
    if !edges_to(text, from, to).is_empty() {
        return Err(format!("`{from}` already sends to `{to}`"));
    }
    match kind.as_str() {
        "service" | "function" => {
            yaml_edit::push(text, &comp_field(from, "calls"), &format!("to: {to}"))
        }
        "load_balancer" | "dns" => yaml_edit::push(text, &comp_field(from, "targets"), to),
        "queue" => set(text, &comp_field(from, "consumers"), to),
        "cache" => set(text, &comp_field(from, "on_miss"), to),
        "database" => Err("a database makes no calls: connect its callers to it".into()),
        "external" => Err("an external dependency makes no calls into the system".into()),
        k => Err(format!("a `{k}` makes no calls")),
    }
}

/// The paths in `from`'s definition that send to `to` (calls, parallel calls, targets,
/// consumers, on_miss), last first so that removing them in order keeps the others valid.
pub fn edges_to(text: &str, from: &str, to: &str) -> Vec<Vec<Seg>> {
    Doc::parse(text).map_or_else(|_| Vec::new(), |d| edges_in(&d, from, to))
}

/// [`edges_to`] in a parsed text.
pub fn edges_in(d: &Doc<'_>, from: &str, to: &str) -> Vec<Vec<Seg>> {
    let Some(c) = d.get(&comp(from)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let names = |n: &Node| -> bool {
        match &n.value {
            Value::Scalar { text, .. } => text == to,
            Value::Map(e) => e
                .iter()
                .any(|(k, v)| k.as_scalar() == Some("to") && v.as_scalar() == Some(to)),
            _ => false,
        }
    };
    let list = |field: &str, out: &mut Vec<Vec<Seg>>| {
        if let Some(Node {
            value: Value::Seq(items),
            ..
        }) = child(c, field)
        {
            for (i, it) in items.iter().enumerate() {
                if names(it) {
                    out.push(vec![
                        key("components"),
                        key(from),
                        key(field),
                        Seg::Index(i),
                    ]);
                } else if let Some(Node {
                    value: Value::Seq(group),
                    ..
                }) = child(it, "parallel")
                {
                    for (j, g) in group.iter().enumerate() {
                        if names(g) {
                            out.push(vec![
                                key("components"),
                                key(from),
                                key(field),
                                Seg::Index(i),
                                key("parallel"),
                                Seg::Index(j),
                            ]);
                        }
                    }
                }
            }
        }
    };
    list("calls", &mut out);
    list("targets", &mut out);
    for field in ["consumers", "on_miss"] {
        if child(c, field).and_then(Node::as_scalar) == Some(to) {
            out.push(comp_field(from, field));
        }
    }
    out.reverse();
    out
}

fn child<'n>(n: &'n Node, k: &str) -> Option<&'n Node> {
    yaml_edit::child(n, &key(k))
}

/// Removes every arrow from `from` to `to`.
pub fn disconnect(text: &str, from: &str, to: &str) -> Result<String, String> {
    let edges = edges_to(text, from, to);
    if edges.is_empty() {
        return Err(format!("`{from}` does not send to `{to}`"));
    }
    let mut t = text.to_string();
    for e in edges {
        t = remove(&t, &e)?;
    }
    Ok(t)
}

/// Deletes a component, the arrows into it and its place in `layout`.
pub fn delete_component(text: &str, name: &str) -> Result<String, String> {
    let mut t = text.to_string();
    for other in component_names(text) {
        if other != name && !edges_to(&t, &other, name).is_empty() {
            t = disconnect(&t, &other, name)?;
        }
    }
    if Doc::parse(&t)?.get(&[key("layout"), key(name)]).is_some() {
        t = remove(&t, &[key("layout"), key(name)])?;
    }
    remove(&t, &comp(name))
}

/// Places a component on the sketch at (x, y) pixels (`layout:`).
pub fn move_component(text: &str, name: &str, x: f64, y: f64) -> Result<String, String> {
    let (x, y) = (x.round().max(0.0), y.round().max(0.0));
    let d = Doc::parse(text)?;
    match d.get(&path("layout")) {
        Some(l) if !l.is_null() => set(text, &[key("layout"), key(name)], &format!("[{x}, {y}]")),
        _ => set(text, &path("layout"), &format!("{name}: [{x}, {y}]")),
    }
}

/// Renames a component and every reference to it: calls, targets, consumers, `on_miss`,
/// workload entries, faults' `component`, `layout`, SLOs such as `utilization(old)` and the
/// variables of a `plan:` or `sweep:` block (`old.replicas`).
pub fn rename_component(text: &str, old: &str, new: &str) -> Result<String, String> {
    check_name(new)?;
    if component_names(text).iter().any(|n| n == new) {
        return Err(format!("there is already a component `{new}`"));
    }
    let d = Doc::parse(text)?;
    let mut edits: Vec<(usize, usize, String)> = Vec::new();
    let mut refs = Vec::new();
    walk(&d, &d.root, None, false, old, &mut refs);
    for n in refs {
        let (s, e) = d.extent(n);
        edits.push((s, e, new.to_string()));
    }
    for k in [d.key(&comp(old)), d.key(&[key("layout"), key(old)])]
        .into_iter()
        .flatten()
    {
        let (s, e) = d.extent(k);
        edits.push((s, e, new.to_string()));
    }
    if let Some(Node {
        value: Value::Seq(slos),
        ..
    }) = d.get(&path("slo"))
    {
        for s in slos {
            if let Some(t) = s.as_scalar()
                && t.contains(&format!("({old})"))
            {
                let (a, b) = d.extent(s);
                let src = &text[a..b];
                edits.push((a, b, src.replace(&format!("({old})"), &format!("({new})"))));
            }
        }
    }
    // The variables of a `plan:` or `sweep:` block: `old.field` and bundles named `old`.
    for block in ["plan", "sweep"] {
        if let Some(Node {
            value: Value::Map(vars),
            ..
        }) = d.get(&[key(block), key("vary")])
        {
            for (k, _) in vars {
                let Some(name) = k.as_scalar() else { continue };
                let field = match name.split_once('.') {
                    Some((c, f)) if c == old => format!("{new}.{f}"),
                    None if name == old => new.to_string(),
                    _ => continue,
                };
                let (a, b) = d.extent(k);
                edits.push((a, b, field));
            }
        }
    }
    Ok(yaml_edit::apply(text, edits))
}

/// Scalars naming `old` where a component is meant: the value of `to`, `entry`, `component`,
/// `consumers`, `on_miss`, and the plain items of `calls`, `targets` and `parallel` lists.
fn walk<'n>(
    d: &Doc<'_>,
    n: &'n Node,
    under: Option<&str>,
    in_list: bool,
    old: &str,
    out: &mut Vec<&'n Node>,
) {
    // An alias's copy points at its anchor's text, which the walk reaches once, there.
    if d.is_alias(n) {
        return;
    }
    match &n.value {
        Value::Scalar { text, .. } if text == old => {
            let refs = match under {
                Some("to" | "entry" | "component" | "consumers" | "on_miss") => !in_list,
                Some("calls" | "targets" | "parallel") => in_list,
                _ => false,
            };
            if refs {
                out.push(n);
            }
        }
        Value::Scalar { .. } => {}
        Value::Seq(items) => {
            for i in items {
                walk(d, i, under, true, old, out);
            }
        }
        Value::Map(e) => {
            for (k, v) in e {
                walk(d, v, k.as_scalar(), false, old, out);
            }
        }
    }
}

/// Adds a workload entering at the first component; returns the text and the workload's index.
pub fn add_workload(text: &str) -> Result<(String, usize), String> {
    let d = Doc::parse(text)?;
    let n = list_len(&d, "workloads");
    let entry = names_in(&d).into_iter().next().unwrap_or_default();
    let item = format!(
        "{{ name: load{}, entry: {entry}, arrivals: {{ poisson: 100/s }} }}",
        n + 1
    );
    Ok((yaml_edit::push(text, &path("workloads"), &item)?, n))
}

/// Adds a fault: an instance crash of `component` (else the first component) a minute in, for
/// two minutes; returns the text and the fault's index.
pub fn add_fault(text: &str, component: Option<&str>) -> Result<(String, usize), String> {
    let d = Doc::parse(text)?;
    let n = list_len(&d, "faults");
    let target = component.map_or_else(
        || names_in(&d).into_iter().next().unwrap_or_default(),
        str::to_string,
    );
    let item =
        format!("{{ at: 1m, duration: 2m, instance_crash: {{ component: {target}, count: 1 }} }}");
    Ok((yaml_edit::push(text, &path("faults"), &item)?, n))
}

/// Adds an SLO: `slo`, else a p99 target for the first workload; returns the text and the SLO's
/// index.
pub fn add_slo(text: &str, slo: Option<&str>) -> Result<(String, usize), String> {
    let d = Doc::parse(text)?;
    let n = list_len(&d, "slo");
    let slo = slo.map_or_else(
        || {
            let first = d
                .get(&path("workloads.0.name"))
                .and_then(Node::as_scalar)
                .unwrap_or("web");
            format!("p99({first}) < 500ms")
        },
        str::to_string,
    );
    Ok((yaml_edit::push(text, &path("slo"), &slo)?, n))
}

/// Adds the field `key` with its typical value ([`crate::vocabulary::first_value`], the kind's
/// declared example for a component's field) to the mapping at `at`; a shorthand call (`- db`) is
/// first written as `{ to: db }`.
pub fn add_field(text: &str, at: &[Seg], key: &str, shorthand: bool) -> Result<String, String> {
    let kind = match at {
        [Seg::Key(c), Seg::Key(name)] if c == "components" => kind_of(text, name),
        _ => None,
    };
    let default = crate::vocabulary::first_value(kind.as_deref(), key);
    if shorthand {
        let d = Doc::parse(text)?;
        let to = d.get(at).and_then(Node::as_scalar).unwrap_or_default();
        return set(text, at, &format!("{{ to: {to}, {key}: {default} }}"));
    }
    let mut p = at.to_vec();
    p.push(Seg::Key(key.to_string()));
    set(text, &p, default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    fn checkout() -> String {
        examples::find("checkout.yaml").unwrap().yaml.to_string()
    }

    fn loads(t: &str) -> sim_core::scenario::Scenario {
        match sim_core::load(t.as_bytes()) {
            Ok(l) => l.scenario,
            Err(e) => panic!(
                "{t}\n{:?}",
                e.iter().map(|d| &d.message).collect::<Vec<_>>()
            ),
        }
    }

    fn sends(s: &sim_core::scenario::Scenario, from: &str, to: &str) -> bool {
        let (f, t) = (s.component_id(from).unwrap(), s.component_id(to).unwrap());
        s.components[f].edges().iter().any(|e| e.0 == t)
    }

    #[test]
    fn every_palette_kind_adds_a_valid_component() {
        for k in PALETTE {
            let (kind, base) = (k.name, k.look.base_name);
            let (t, name) = add_component(&checkout(), kind, Some("db")).unwrap();
            assert!(name.starts_with(base), "{name}");
            let s = loads(&t);
            let c = &s.components[s.component_id(&name).unwrap()];
            assert_eq!(c.kind.name(), kind);
            if matches!(kind, "load_balancer" | "dns" | "cache" | "queue") {
                assert!(
                    sends(&s, &name, "db"),
                    "{kind} sends to the selected component"
                );
            }
            assert!(t.starts_with("# Checkout"), "the comments stay");
        }
        let (t, _) = add_component(&checkout(), "service", None).unwrap();
        let (t, second) = add_component(&t, "service", None).unwrap();
        assert_eq!(second, "svc2");
        assert_eq!(loads(&t).components.len(), 6);
    }

    #[test]
    fn connect_follows_the_callers_kind() {
        let (t, lb) = add_component(&checkout(), "load_balancer", Some("api")).unwrap();
        let t = connect(&t, &lb, "auth").unwrap();
        let t = connect(&t, "auth", "catalog").unwrap();
        let (t, q) = add_component(&t, "queue", Some("api")).unwrap();
        let t = connect(&t, "api", &q).unwrap();
        let s = loads(&t);
        assert!(sends(&s, &lb, "auth") && sends(&s, &lb, "api"));
        assert!(sends(&s, "auth", "catalog") && sends(&s, "api", &q));
        assert!(connect(&t, "api", "db").unwrap_err().contains("already"));
        assert!(connect(&t, "api", "api").is_err());
        assert!(connect(&t, "api", "nowhere").is_err());
        let (t, ext) = add_component(&t, "external", None).unwrap();
        assert!(connect(&t, &ext, "api").is_err());
    }

    #[test]
    fn disconnect_and_delete_remove_the_arrows() {
        let t = disconnect(&checkout(), "api", "catalog").unwrap();
        let s = loads(&t);
        assert!(!sends(&s, "api", "catalog") && sends(&s, "api", "db"));
        let t = delete_component(&checkout(), "db").unwrap();
        // The SLO `utilization(db)` is left for the validator to point at; without it, it loads.
        let e = sim_core::load(t.as_bytes()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(e[0].message.contains("db"), "{e:?}");
        let t = yaml_edit::remove(&t, &path("slo.2")).unwrap();
        let s = loads(&t);
        assert_eq!(s.components.len(), 3);
        assert_eq!(
            s.components[0].edges().len(),
            2,
            "api calls auth and catalog only"
        );
        // A parallel group and a layout entry go too.
        let t = "version: 1\nname: p\nduration: 1m\ncomponents:\n  a: { kind: service, service_time: 1ms, calls: [ { parallel: [ b, { to: c } ] } ] }\n  b: { kind: service, service_time: 1ms }\n  c: { kind: service, service_time: 1ms }\nworkloads: [ { name: w, entry: a, arrivals: { poisson: 1/s } } ]\nlayout:\n  c: [10, 10]\n  b: [1, 1]\n";
        let t2 = delete_component(t, "c").unwrap();
        let s = loads(&t2);
        assert_eq!(s.components.len(), 2);
        assert!(sends(&s, "a", "b"));
        assert!(!t2.contains("c: [10"), "{t2}");
    }

    #[test]
    fn delete_leaves_dangling_workloads_for_the_validator() {
        let t = delete_component(&checkout(), "api").unwrap();
        let e = sim_core::load(t.as_bytes()).unwrap_err();
        assert!(e.iter().any(|d| d.message.contains("api")), "{e:?}");
    }

    #[test]
    fn rename_follows_every_reference() {
        let t = rename_component(&checkout(), "db", "orders_db").unwrap();
        let s = loads(&t);
        assert!(sends(&s, "api", "orders_db"));
        assert!(t.contains("utilization(orders_db) < 0.85"), "{t}");
        let t = rename_component(&checkout(), "api", "front").unwrap();
        assert_eq!(
            loads(&t).workloads[0].entry,
            loads(&t).component_id("front").unwrap()
        );
        assert!(rename_component(&checkout(), "api", "db").is_err());
        assert!(rename_component(&checkout(), "api", "9x").is_err());
        let f = examples::find("dns-ttl-region-failover.yaml").unwrap().yaml;
        for old in component_names(f) {
            let t = rename_component(f, &old, "renamed_one").unwrap();
            let s = loads(&t);
            assert_eq!(s.components.len(), component_names(f).len(), "{old}");
        }
    }

    #[test]
    fn moves_write_the_layout() {
        let t = move_component(&checkout(), "db", 400.4, 20.0).unwrap();
        assert!(t.ends_with("layout:\n  db: [400, 20]\n"), "{t}");
        let t = move_component(&t, "api", 10.0, 10.0).unwrap();
        let t = move_component(&t, "db", 500.0, 30.0).unwrap();
        let s = loads(&t);
        assert_eq!(s.layout.get("db"), Some(&(500.0, 30.0)));
        assert_eq!(s.layout.get("api"), Some(&(10.0, 10.0)));
    }

    /// Every edit on every component of every example keeps the text valid YAML, and what the
    /// loader then says is only about what the edit meant: deleting a component leaves errors
    /// that name it and nothing else; disconnecting each arrow and connecting it again, and
    /// moving each box, keep the scenario loading with the same number of components.
    #[test]
    fn edits_on_every_example_keep_the_text_sound() {
        for e in examples::EXAMPLES {
            let t = e.yaml;
            let names = component_names(t);
            let s = loads(t);
            for (i, name) in names.iter().enumerate() {
                let d = delete_component(t, name).unwrap();
                match sim_core::load(d.as_bytes()) {
                    Ok(l) => assert_eq!(l.scenario.components.len(), names.len() - 1),
                    Err(errs) => {
                        // Only what the deletion meant: the deleted name where it is still
                        // named, or a list or key it leaves empty (a balancer's last target).
                        for err in errs {
                            let m = &err.message;
                            assert!(
                                m.contains(name.as_str())
                                    || m.contains("empty")
                                    || m.contains("has no"),
                                "{} delete {name}: {m}",
                                e.file
                            );
                        }
                    }
                }
                assert!(
                    d.starts_with(&t[..t.find("\nversion:").unwrap_or(0)]),
                    "{}: the opening comment stays",
                    e.file
                );
                let r = rename_component(t, name, "renamed_x").unwrap();
                let l = loads(&r);
                assert_eq!(l.components[i].name, "renamed_x", "{}", e.file);
                assert_eq!(
                    l.components.iter().map(|c| c.edges().len()).sum::<usize>(),
                    s.components.iter().map(|c| c.edges().len()).sum::<usize>(),
                    "{} rename {name}",
                    e.file
                );
                let m = move_component(t, name, 10.0 * i as f64, 20.0).unwrap();
                assert_eq!(
                    loads(&m).layout.get(name.as_str()),
                    Some(&(10.0 * i as f64, 20.0))
                );
                for (to, _, _) in s.components[i].edges() {
                    let to = &s.components[to].name;
                    let cut = disconnect(t, name, to)
                        .unwrap_or_else(|err| panic!("{} {name}->{to}: {err}", e.file));
                    Doc::parse(&cut).unwrap();
                    // A queue without consumers, or a balancer without targets, is invalid; the
                    // others load with the arrow gone.
                    if let Ok(l) = sim_core::load(cut.as_bytes()) {
                        let (f, t2) = (
                            l.scenario.component_id(name).unwrap(),
                            l.scenario.component_id(to).unwrap(),
                        );
                        assert!(
                            !l.scenario.components[f].edges().iter().any(|x| x.0 == t2),
                            "{} {name}->{to}",
                            e.file
                        );
                        let back = connect(&cut, name, to).unwrap();
                        let l = sim_core::load(back.as_bytes()).unwrap_or_else(|err| {
                            panic!("{} {name}->{to}: {err:?}\n{back}", e.file)
                        });
                        assert!(l.scenario.components[f].edges().iter().any(|x| x.0 == t2));
                    }
                }
            }
        }
    }

    #[test]
    fn workloads_faults_and_slos_are_added() {
        let (t, w) = add_workload(&checkout()).unwrap();
        let (t, f) = add_fault(&t, Some("db")).unwrap();
        let (t, f2) = add_fault(&t, None).unwrap();
        let (t, o) = add_slo(&t, Some("p99(load2) < 1s")).unwrap();
        let (t, o2) = add_slo(&t, None).unwrap();
        assert_eq!((w, f, f2, o, o2), (1, 0, 1, 3, 4));
        let s = loads(&t);
        assert_eq!(s.workloads.len(), 2);
        assert_eq!(s.workloads[1].entry, s.component_id("api").unwrap());
        assert_eq!(s.faults.len(), 2);
        assert_eq!(s.slos.len(), 5);
        assert!(t.contains("component: db, count: 1") && t.contains("component: api, count: 1"));
        assert!(
            t.contains("  - p99(load2) < 1s\n  - p99(checkout) < 500ms\nfaults:\n"),
            "{t}"
        );
        // A field added to a shorthand call writes the call out first.
        let short = "version: 1\nname: s\nduration: 1m\ncomponents:\n  a: { kind: service, service_time: 1ms, calls: [b] }\n  b: { kind: service, service_time: 1ms }\nworkloads: [ { name: w, entry: a, arrivals: { poisson: 1/s } } ]\n";
        let t = add_field(short, &path("components.a.calls.0"), "timeout", true).unwrap();
        assert!(t.contains("calls: [{ to: b, timeout: 1s }]"), "{t}");
        let t = add_field(&t, &path("components.b"), "replicas", false).unwrap();
        assert_eq!(loads(&t).components[1].station.replicas, 2);
        // A component's new field starts as its kind's declared example, for every kind and field.
        for k in PALETTE {
            let (base, name) = add_component(short, k.name, Some("b")).unwrap();
            let at = path(&format!("components.{name}"));
            let d = Doc::parse(&base).unwrap();
            for f in k
                .fields
                .iter()
                .filter(|f| d.get(&comp_field(&name, f.key)).is_none())
            {
                let t = add_field(&base, &at, f.key, false).unwrap();
                let d = Doc::parse(&t).unwrap();
                let written = d.get(&comp_field(&name, f.key)).map(|n| d.source(n));
                assert_eq!(written.as_deref(), Some(f.example), "{}.{}", k.name, f.key);
            }
        }
    }
}
