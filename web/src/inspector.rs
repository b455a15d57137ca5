//! The inspector's model: for what is selected (a component, a call, a workload, a fault, an SLO,
//! or the scenario's own settings), every field as written, the fields it could add, and the
//! validator's messages placed next to the field they point into.
//!
//! A field's value is edited as YAML text (`4`, `{ exponential: 2ms }`, several lines for a block),
//! so every field the format has is editable without a form per field; the validator says what
//! is wrong, next to the field. The page (`inspector_view.rs`) only draws this model.

use crate::protocol::Finding;
use crate::scenario_edit::{edges_in, kind_in, names_in};
use crate::vocabulary::component_keys;
use crate::yaml_edit::{Doc, Seg, dotted, path};
use report_charts::esc;
use sim_core::scenario::load::keys;
use sim_core::yaml::{Node, Value, pos_of_byte};

/// What the inspector shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Scenario,
    Component(String),
    /// A call (or target, consumer, miss) from one component to another.
    Arrow(String, String),
    Workload(usize),
    Fault(usize),
    Slo(usize),
}

/// One field: its key, where it is, its text, and what the validator says about it.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub key: String,
    pub path: Vec<Seg>,
    pub source: String,
    /// Written over several lines (a block): edited in a text area.
    pub multiline: bool,
    pub messages: Vec<Finding>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    pub title: String,
    /// Where the selected item is in the file.
    pub path: Vec<Seg>,
    pub fields: Vec<Field>,
    /// Keys the item may have that it does not have yet.
    pub addable: Vec<&'static str>,
    /// Messages about the item that point at no one field (e.g. a missing key).
    pub messages: Vec<Finding>,
    /// The item is a shorthand call (`- db`): adding a field first writes it as `{ to: db }`.
    pub shorthand: bool,
}

/// The (line, column) range a node's text covers, to place messages.
fn range(doc: &Doc<'_>, from: usize, to: usize) -> ((u32, u32), (u32, u32)) {
    let a = pos_of_byte(doc.text.as_bytes(), from);
    let b = pos_of_byte(doc.text.as_bytes(), to);
    ((a.line, a.col), (b.line, b.col))
}

fn within(f: &Finding, r: ((u32, u32), (u32, u32))) -> bool {
    let p = (f.line, f.col);
    p >= r.0 && p <= r.1
}

fn map_fields(
    doc: &Doc<'_>,
    at: &[Seg],
    n: &Node,
    findings: &[Finding],
    taken: &mut [bool],
) -> Vec<Field> {
    let Value::Map(entries) = &n.value else {
        return Vec::new();
    };
    entries
        .iter()
        .filter_map(|(k, v)| {
            let key = k.as_scalar()?.to_string();
            let end = doc.entry_end(k, v);
            let r = range(doc, k.span.start.byte as usize, end);
            let mut messages = Vec::new();
            for (i, f) in findings.iter().enumerate() {
                if !taken[i] && within(f, r) {
                    taken[i] = true;
                    messages.push(f.clone());
                }
            }
            let source = doc.source(v);
            let mut p = at.to_vec();
            p.push(Seg::Key(key.clone()));
            Some(Field {
                multiline: source.contains('\n'),
                key,
                path: p,
                source,
                messages,
            })
        })
        .collect()
}

fn present(fields: &[Field], allowed: &[&'static str]) -> Vec<&'static str> {
    allowed
        .iter()
        .copied()
        .filter(|k| !fields.iter().any(|f| f.key == *k))
        .collect()
}

/// The form for `sel` in `text` with the validator's `findings`, or `None` when the selection is
/// no longer in the file (it was deleted or renamed in the text).
pub fn form(text: &str, sel: &Selection, findings: &[Finding]) -> Option<Form> {
    form_in(&Doc::parse(text).ok()?, sel, findings)
}

/// [`form`] of a parsed text.
pub fn form_in(doc: &Doc<'_>, sel: &Selection, findings: &[Finding]) -> Option<Form> {
    let mut taken = vec![false; findings.len()];
    let (title, at, allowed, shorthand): (String, Vec<Seg>, &[&'static str], bool) = match sel {
        Selection::Scenario => ("scenario".into(), Vec::new(), keys::TOP_KEYS, false),
        Selection::Component(name) => {
            let kind = kind_in(doc, name).unwrap_or_default();
            (
                format!("{name} ({kind})"),
                vec![Seg::Key("components".into()), Seg::Key(name.clone())],
                component_keys(&kind),
                false,
            )
        }
        Selection::Arrow(from, to) => {
            let p = edges_in(doc, from, to).pop()?;
            let is_scalar = matches!(doc.get(&p)?.value, Value::Scalar { .. });
            let in_list = matches!(p.last(), Some(Seg::Index(_)));
            let allowed: &[&str] = if in_list && !p.iter().any(|s| *s == Seg::Key("targets".into()))
            {
                keys::CALL_KEYS
            } else {
                &[]
            };
            (format!("{from} → {to}"), p, allowed, is_scalar && in_list)
        }
        Selection::Workload(i) => (
            format!("workload {}", i + 1),
            path(&format!("workloads.{i}")),
            keys::WORKLOAD_KEYS,
            false,
        ),
        Selection::Fault(i) => (
            format!("fault F{}", i + 1),
            path(&format!("faults.{i}")),
            &[],
            false,
        ),
        Selection::Slo(i) => (
            format!("SLO {}", i + 1),
            path(&format!("slo.{i}")),
            &[],
            false,
        ),
    };
    let node = doc.get(&at)?;
    // A message at the very start of a mapping is about the whole item (a missing key), unless
    // it names the first key (an unknown key written first).
    if let Value::Map(entries) = &node.value
        && let Some(first) = entries.first().and_then(|(k, _)| k.as_scalar())
    {
        let p = (node.span.start.line, node.span.start.col);
        for (i, f) in findings.iter().enumerate() {
            if (f.line, f.col) == p && !f.message.contains(&format!("`{first}`")) {
                taken[i] = true;
            }
        }
    }
    let item_level: Vec<bool> = taken.clone();
    let fields = match (&node.value, sel) {
        (Value::Map(_), Selection::Scenario) => map_fields(doc, &at, node, findings, &mut taken)
            .into_iter()
            .filter(|f| {
                !matches!(
                    f.key.as_str(),
                    "components" | "workloads" | "faults" | "slo" | "layout"
                )
            })
            .collect(),
        (Value::Map(_), _) => map_fields(doc, &at, node, findings, &mut taken),
        (Value::Scalar { .. }, _) => {
            let (s, e) = doc.extent(node);
            let r = range(doc, s, e);
            let mut messages = Vec::new();
            for (i, f) in findings.iter().enumerate() {
                if !taken[i] && within(f, r) {
                    taken[i] = true;
                    messages.push(f.clone());
                }
            }
            vec![Field {
                key: if matches!(sel, Selection::Slo(_)) {
                    "target".into()
                } else {
                    "to".into()
                },
                path: at.clone(),
                source: doc.source(node),
                multiline: false,
                messages,
            }]
        }
        _ => Vec::new(),
    };
    // Fault types: one per fault; offer the others only while it has none.
    let mut addable = present(&fields, allowed);
    if let Selection::Fault(_) = sel {
        let has_type = fields
            .iter()
            .any(|f| keys::FAULT_TYPES.contains(&f.key.as_str()));
        addable = present(&fields, &["at", "duration", "description"]);
        if !has_type {
            addable.extend(keys::FAULT_TYPES.iter().copied());
        }
    }
    if matches!(sel, Selection::Scenario) {
        addable.retain(|k| !matches!(*k, "components" | "workloads" | "faults" | "slo" | "layout"));
    }
    if shorthand {
        addable.retain(|k| *k != "to");
    }
    // Messages inside the item but in no field (a missing key points at the item itself). For
    // the scenario: those in none of its sections.
    let (s, e) = doc.extent(node);
    let start = doc.key(&at).map_or(s, |k| k.span.start.byte as usize);
    let r = range(doc, start, e);
    let sections: Vec<_> = ["components", "workloads", "faults", "slo", "layout"]
        .iter()
        .filter_map(|k| {
            let key = doc.key(&path(k))?;
            let v = doc.get(&path(k))?;
            Some(range(doc, key.span.start.byte as usize, doc.extent(v).1))
        })
        .collect();
    let messages = findings
        .iter()
        .enumerate()
        .filter(|(i, f)| {
            item_level[*i]
                || !taken[*i]
                    && if at.is_empty() {
                        !sections.iter().any(|r| within(f, *r))
                    } else {
                        within(f, r)
                    }
        })
        .map(|(_, f)| f.clone())
        .collect();
    Some(Form {
        title,
        path: at,
        fields,
        addable,
        messages,
        shorthand,
    })
}

/// Everything the inspector can list: components, workloads, faults and SLOs, as selections with
/// a label each.
pub fn items(text: &str) -> Vec<(Selection, String)> {
    Doc::parse(text).map_or_else(|_| Vec::new(), |d| items_in(&d))
}

/// [`items`] of a parsed text.
pub fn items_in(doc: &Doc<'_>) -> Vec<(Selection, String)> {
    let mut out = vec![(Selection::Scenario, "scenario".to_string())];
    for n in names_in(doc) {
        out.push((Selection::Component(n.clone()), n));
    }
    let list = |key: &str| match doc.get(&path(key)).map(|n| &n.value) {
        Some(Value::Seq(items)) => items.clone(),
        _ => Vec::new(),
    };
    for (i, w) in list("workloads").iter().enumerate() {
        let name = match &w.value {
            Value::Map(e) => e
                .iter()
                .find(|(k, _)| k.as_scalar() == Some("name"))
                .and_then(|(_, v)| v.as_scalar())
                .map(str::to_string),
            _ => None,
        };
        out.push((
            Selection::Workload(i),
            format!("workload {}", name.unwrap_or_else(|| (i + 1).to_string())),
        ));
    }
    for (i, f) in list("faults").iter().enumerate() {
        let kind = match &f.value {
            Value::Map(e) => e
                .iter()
                .filter_map(|(k, _)| k.as_scalar())
                .find(|k| keys::FAULT_TYPES.contains(k))
                .map(str::to_string),
            _ => None,
        };
        out.push((
            Selection::Fault(i),
            format!("F{} {}", i + 1, kind.unwrap_or_default()),
        ));
    }
    for (i, s) in list("slo").iter().enumerate() {
        out.push((
            Selection::Slo(i),
            format!("SLO {}", s.as_scalar().unwrap_or("?")),
        ));
    }
    out
}

/// The path of the item a selection names, for removing it.
pub fn item_path(sel: &Selection) -> Option<Vec<Seg>> {
    match sel {
        Selection::Workload(i) => Some(path(&format!("workloads.{i}"))),
        Selection::Fault(i) => Some(path(&format!("faults.{i}"))),
        Selection::Slo(i) => Some(path(&format!("slo.{i}"))),
        _ => None,
    }
}

/// A path as the `data-` attributes of the inspector's HTML carry it: segments joined by `/`,
/// an index as `#3`, a key with `%`, `/` and `#` percent-encoded, so any name survives.
pub fn path_attr(p: &[Seg]) -> String {
    p.iter()
        .map(|s| match s {
            Seg::Key(k) => k
                .replace('%', "%25")
                .replace('/', "%2F")
                .replace('#', "%23"),
            Seg::Index(i) => format!("#{i}"),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The path [`path_attr`] wrote.
pub fn parse_path_attr(a: &str) -> Option<Vec<Seg>> {
    if a.is_empty() {
        return Some(Vec::new());
    }
    a.split('/')
        .map(|s| match s.strip_prefix('#') {
            Some(i) => i.parse().ok().map(Seg::Index),
            None => Some(Seg::Key(
                s.replace("%2F", "/")
                    .replace("%23", "#")
                    .replace("%25", "%"),
            )),
        })
        .collect()
}

fn field_id(p: &[Seg]) -> String {
    let d: String = dotted(p)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("field-{d}")
}

fn message_html(o: &mut String, m: &Finding, tag: &str) {
    use std::fmt::Write;
    let class = if m.error { "error" } else { "warning" };
    let _ = write!(
        o,
        r#"<{tag} class="{class}">{}:{}: {}"#,
        m.line,
        m.col,
        esc(&m.message)
    );
    if let Some(h) = &m.help {
        let _ = write!(o, r#"<span class="help"> ({})</span>"#, esc(h));
    }
    let _ = write!(o, "</{tag}>");
}

/// "Vary this" under a component's integer or instance field: a button that adds it to
/// `plan.vary` ([`crate::plan_edit::vary`]), or, once varied, its domain as written there, edited
/// in place (a range `1..8`, `a..b step s`, or a list), and a button to stop varying it.
fn vary_html(o: &mut String, doc: &Doc<'_>, component: &str, field: &Field) {
    use crate::plan_edit::{domain_in, var_path, variable};
    use std::fmt::Write;
    if field.path.len() != 3 || !variable(&field.key, &field.source) {
        return;
    }
    let var = format!("{component}.{}", field.key);
    let id = format!("{}-vary", field_id(&field.path));
    match domain_in(doc, &var) {
        None => {
            let _ = write!(
                o,
                r#"<button type="button" class="vary" id="{id}" data-vary="{c}" data-field="{k}" title="Let the planner choose {v}: adds it to plan.vary">vary</button>"#,
                c = esc(component),
                k = esc(&field.key),
                v = esc(&var)
            );
        }
        Some(domain) => {
            let path = esc(&path_attr(&var_path(&var)));
            let _ = write!(
                o,
                r#"<div class="varied"><label for="{id}">varied over</label><input type="text" id="{id}" spellcheck="false" data-path="{path}" value="{d}" title="plan.vary: {v} (a range 1..8, 10..100 step 10, or a list [a, b])"><button type="button" class="remove" title="stop varying {v}" aria-label="stop varying {v}" data-remove="{path}">×</button></div>"#,
                d = esc(&domain),
                v = esc(&var)
            );
        }
    }
}

/// The inspector's body as HTML text: the list of what can be inspected, the adders, the last
/// action's error, and the selection's form. Written as text rather than with yew's `html!`
/// (which costs WebAssembly per element); `inspector_view.rs` handles its events by delegation,
/// reading the `id`s and `data-` attributes written here.
pub fn html(text: &str, sel: &Selection, findings: &[Finding], error: Option<&str>) -> String {
    use std::fmt::Write;
    let mut o = String::new();
    // One parse for the list, the form and the names under "sends to"; text that does not parse
    // still gets the list (empty) and the adders.
    let doc = Doc::parse(text).ok();
    let items = doc.as_ref().map_or_else(Vec::new, items_in);
    let known = items.iter().any(|(s, _)| s == sel);
    o.push_str(r#"<div class="pick"><label for="inspect">inspect</label><select id="inspect">"#);
    if !known {
        o.push_str(r#"<option value="" selected>(select)</option>"#);
    }
    for (i, (s, label)) in items.iter().enumerate() {
        let selected = if s == sel { " selected" } else { "" };
        let _ = write!(
            o,
            r#"<option value="{i}"{selected}>{}</option>"#,
            esc(label)
        );
    }
    o.push_str(r#"</select></div><div class="adders"><button type="button" id="add-workload">+ workload</button><button type="button" id="add-fault">+ fault</button><button type="button" id="add-slo">+ SLO</button></div>"#);
    if let Some(e) = error {
        let _ = write!(
            o,
            r#"<p id="edit-error" class="error" role="alert">{}</p>"#,
            esc(e)
        );
    }
    let Some((doc, f)) = doc
        .as_ref()
        .and_then(|d| Some((d, form_in(d, sel, findings)?)))
    else {
        o.push_str(r#"<p class="note">Nothing selected: click a box or an arrow of the sketch, or pick from the list.</p>"#);
        return o;
    };
    let _ = write!(
        o,
        r#"<form class="form" aria-label="fields of {t}"><h3 id="form-title">{t}</h3>"#,
        t = esc(&f.title)
    );
    if !f.messages.is_empty() {
        o.push_str(r#"<ul class="form-messages">"#);
        for m in &f.messages {
            message_html(&mut o, m, "li");
        }
        o.push_str("</ul>");
    }
    if let Selection::Component(name) = sel {
        let n = esc(name);
        let _ = write!(
            o,
            r#"<div class="field"><label for="component-name">name</label><input id="component-name" type="text" spellcheck="false" value="{n}" data-old="{n}" title="Renaming updates every call, target, workload, fault and SLO naming it"></div><div class="field"><label for="connect-to">sends to</label><select id="connect-to" data-from="{n}"><option value="" selected>connect to…</option>"#
        );
        for other in names_in(doc).iter().filter(|x| *x != name) {
            let _ = write!(o, r#"<option value="{v}">{v}</option>"#, v = esc(other));
        }
        o.push_str("</select></div>");
    }
    // A component's fields say what they mean (their kind's declaration) on hover.
    let declared = match sel {
        Selection::Component(name) => kind_in(doc, name).and_then(|k| crate::vocabulary::kind(&k)),
        _ => None,
    };
    let about = |key: &str| {
        declared
            .and_then(|k| k.field(key))
            .map_or_else(String::new, |f| {
                let default = f
                    .default
                    .map_or_else(String::new, |d| format!(" Default {d}."));
                format!(r#" title="{}""#, esc(&format!("{}{default}", f.doc)))
            })
    };
    for field in &f.fields {
        let id = field_id(&field.path);
        let bad = field.messages.iter().any(|m| m.error);
        let path = esc(&path_attr(&field.path));
        let _ = write!(
            o,
            r#"<div class="field{inv}" data-key="{k}"><label for="{id}"{about}>{k}</label>"#,
            inv = if bad { " invalid" } else { "" },
            about = about(&field.key),
            k = esc(&field.key)
        );
        let common = format!(
            r#"id="{id}" spellcheck="false" data-path="{path}" aria-invalid="{bad}" aria-describedby="{id}-msg""#
        );
        if field.multiline {
            let _ = write!(
                o,
                r#"<textarea {common} rows="{}">{}</textarea>"#,
                field.source.lines().count().min(12),
                esc(&field.source)
            );
        } else {
            let _ = write!(
                o,
                r#"<input type="text" {common} value="{}">"#,
                esc(&field.source)
            );
        }
        // An SLO is its one field, and a call's `to` is the arrow itself.
        let removable = !(matches!(sel, Selection::Slo(_))
            || matches!(sel, Selection::Arrow(..)) && field.key == "to");
        if removable {
            let _ = write!(
                o,
                r#"<button type="button" class="remove" title="remove {k}" aria-label="remove {k}" data-remove="{path}">×</button>"#,
                k = esc(&field.key)
            );
        }
        let _ = write!(
            o,
            r#"<div id="{id}-msg" class="field-messages" aria-live="polite">"#
        );
        for m in &field.messages {
            message_html(&mut o, m, "p");
        }
        o.push_str("</div>");
        if let Selection::Component(name) = sel {
            vary_html(&mut o, doc, name, field);
        }
        o.push_str("</div>");
    }
    if !f.addable.is_empty() {
        let _ = write!(
            o,
            r#"<div class="field"><label for="add-field">add</label><select id="add-field" data-at="{}" data-shorthand="{}"><option value="" selected>a field…</option>"#,
            esc(&path_attr(&f.path)),
            f.shorthand
        );
        for k in &f.addable {
            let _ = write!(o, r#"<option value="{k}"{}>{k}</option>"#, about(k));
        }
        o.push_str("</select></div>");
    }
    match sel {
        Selection::Component(n) => {
            let _ = write!(
                o,
                r#"<button type="button" id="remove-item" data-delete="{}">Delete component</button>"#,
                esc(n)
            );
        }
        Selection::Arrow(a, b) => {
            let _ = write!(
                o,
                r#"<button type="button" id="remove-item" data-from="{}" data-to="{}">Remove this arrow</button>"#,
                esc(a),
                esc(b)
            );
        }
        s => {
            if let Some(p) = item_path(s) {
                let _ = write!(
                    o,
                    r#"<button type="button" id="remove-item" data-remove="{}">Remove</button>"#,
                    esc(&path_attr(&p))
                );
            }
        }
    }
    o.push_str("</form>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;
    use crate::protocol::check;
    use crate::yaml_edit::set;

    fn checkout() -> String {
        examples::find("checkout.yaml").unwrap().yaml.to_string()
    }

    #[test]
    fn vary_this_offers_integer_and_instance_fields_and_edits_the_domain_in_place() {
        let t = examples::find("plan-from-the-inspector.yaml")
            .unwrap()
            .yaml
            .to_string();
        let api = Selection::Component("api".into());
        let h = html(&t, &api, &[], None);
        for k in ["replicas", "concurrency", "instance"] {
            assert!(
                h.contains(&format!(r#"data-vary="api" data-field="{k}""#)),
                "{k}: {h}"
            );
        }
        assert!(!h.contains(r#"data-field="service_time""#));
        // Pressed: the field shows its domain, edited at its place in plan.vary.
        let t2 = crate::plan_edit::vary(&t, "api", "replicas").unwrap();
        let h2 = html(&t2, &api, &[], None);
        assert!(!h2.contains(r#"data-field="replicas""#));
        let at = path_attr(&crate::plan_edit::var_path("api.replicas"));
        assert_eq!(at, "plan/vary/api.replicas");
        assert!(
            h2.contains(&format!(r#"data-path="{at}" value="1..4""#)),
            "{h2}"
        );
        assert!(h2.contains(&format!(r#"data-remove="{at}""#)));
        // What the input's change does (inspector_view: `Edit::Set` at its data-path).
        let t3 = set(&t2, &parse_path_attr(&at).unwrap(), "2..6").unwrap();
        assert_eq!(
            crate::plan_edit::settings(&t3).vars,
            [("api.replicas".to_string(), "2..6".to_string())]
        );
        // db's form is not touched by api's variable.
        let hdb = html(&t2, &Selection::Component("db".into()), &[], None);
        assert!(hdb.contains(r#"data-vary="db" data-field="replicas""#));
    }

    #[test]
    fn a_component_shows_every_field_and_what_it_could_add() {
        let t = checkout();
        let f = form(&t, &Selection::Component("api".into()), &[]).unwrap();
        let keys: Vec<&str> = f.fields.iter().map(|x| x.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "kind",
                "replicas",
                "concurrency",
                "service_time",
                "balance",
                "calls"
            ]
        );
        let calls = &f.fields[5];
        assert!(calls.multiline);
        assert_eq!(calls.source, "- to: auth\n- to: catalog\n- to: db");
        assert_eq!(f.fields[3].source, "{ exponential: 2ms }");
        assert!(f.addable.contains(&"autoscale") && !f.addable.contains(&"replicas"));
        // Every key a service may have is either shown or offered.
        for k in keys::SERVICE_KEYS {
            assert!(keys.contains(k) || f.addable.contains(k), "{k}");
        }
    }

    #[test]
    fn messages_sit_next_to_their_field() {
        let t = set(&checkout(), &path("components.db.replicas"), "-2").unwrap();
        let t = set(&t, &path("components.db.balanse"), "random").unwrap();
        let findings = check(&t);
        assert!(findings.len() >= 2, "{findings:?}");
        let f = form(&t, &Selection::Component("db".into()), &findings).unwrap();
        let field = |k: &str| f.fields.iter().find(|x| x.key == k).unwrap();
        assert!(
            field("replicas")
                .messages
                .iter()
                .any(|m| m.message.contains("negative")),
            "{:?}",
            f
        );
        assert!(
            field("balanse")
                .messages
                .iter()
                .any(|m| m.help.as_deref() == Some("did you mean `balance`?"))
        );
        assert!(field("concurrency").messages.is_empty());
        // Another component's form shows none of them.
        let other = form(&t, &Selection::Component("api".into()), &findings).unwrap();
        assert!(other.fields.iter().all(|x| x.messages.is_empty()) && other.messages.is_empty());
    }

    #[test]
    fn a_missing_key_is_said_at_the_top_of_the_form() {
        let t =
            crate::yaml_edit::remove(&checkout(), &path("components.auth.service_time")).unwrap();
        let findings = check(&t);
        let f = form(&t, &Selection::Component("auth".into()), &findings).unwrap();
        assert!(
            f.messages
                .iter()
                .any(|m| m.message.contains("service_time")),
            "{f:?}"
        );
    }

    #[test]
    fn calls_workloads_faults_slos_and_the_scenario_have_forms() {
        let t = checkout();
        let call = form(&t, &Selection::Arrow("api".into(), "db".into()), &[]).unwrap();
        assert_eq!(call.path, path("components.api.calls.2"));
        assert_eq!(call.fields[0].key, "to");
        assert!(call.addable.contains(&"timeout") && call.addable.contains(&"retry"));
        let w = form(&t, &Selection::Workload(0), &[]).unwrap();
        assert_eq!(
            w.fields.iter().map(|x| x.key.as_str()).collect::<Vec<_>>(),
            ["name", "entry", "arrivals"]
        );
        let slo = form(&t, &Selection::Slo(2), &[]).unwrap();
        assert_eq!(slo.fields[0].source, "utilization(db) < 0.85");
        let sc = form(&t, &Selection::Scenario, &[]).unwrap();
        assert!(sc.fields.iter().all(|x| x.key != "components"));
        assert!(sc.addable.contains(&"replications") && !sc.addable.contains(&"components"));
        let t = crate::scenario_edit::add_fault(&t, Some("db")).unwrap().0;
        let f = form(&t, &Selection::Fault(0), &[]).unwrap();
        assert!(f.fields.iter().any(|x| x.key == "instance_crash"));
        assert!(!f.addable.contains(&"latency"), "one fault type per fault");
        assert_eq!(form(&t, &Selection::Component("gone".into()), &[]), None);
    }

    #[test]
    fn a_shorthand_call_is_marked() {
        let t = "version: 1\nname: s\nduration: 1m\ncomponents:\n  a: { kind: service, service_time: 1ms, calls: [b] }\n  b: { kind: service, service_time: 1ms }\nworkloads: [ { name: w, entry: a, arrivals: { poisson: 1/s } } ]\n";
        let f = form(t, &Selection::Arrow("a".into(), "b".into()), &[]).unwrap();
        assert!(f.shorthand);
        assert_eq!(f.fields[0].source, "b");
        assert!(!f.addable.contains(&"to") && f.addable.contains(&"timeout"));
    }

    #[test]
    fn the_html_carries_fields_messages_and_paths() {
        let t = set(&checkout(), &path("components.db.replicas"), "-2").unwrap();
        let findings = check(&t);
        let h = html(
            &t,
            &Selection::Component("db".into()),
            &findings,
            Some("a <bad> action"),
        );
        assert!(h.contains(r#"<h3 id="form-title">db (service)</h3>"#));
        assert!(h.contains(r#"<div class="field invalid" data-key="replicas"><label for="field-components-db-replicas" title="Instances. Default 1.">replicas</label>"#), "{h}");
        // What an addable field means comes from the kind's declaration too.
        let doc = sim_core::scenario::decl::SERVICE
            .field("balance")
            .unwrap()
            .doc;
        assert!(
            h.contains(&format!(
                r#"<option value="balance" title="{doc} Default round_robin.">"#
            )),
            "{h}"
        );
        assert!(
            h.contains(r#"data-path="components/db/replicas" aria-invalid="true""#),
            "{h}"
        );
        assert!(h.contains(r#"value="-2">"#));
        assert!(h.contains("negative"), "the message is under the field");
        assert!(
            h.contains(r#"<p id="edit-error" class="error" role="alert">a &lt;bad&gt; action</p>"#)
        );
        assert!(
            h.contains(r#"<option value="4" selected>db</option>"#),
            "{h}"
        );
        assert!(h.contains(r#"data-delete="db">Delete component"#));
        assert!(h.contains(r#"<input type="text" id="field-components-db-service_time""#));
        // Attributes give their paths back.
        assert_eq!(
            parse_path_attr(&path_attr(&path("components.db.calls.2"))),
            Some(path("components.db.calls.2"))
        );
        let odd = vec![
            Seg::Key("a.b/c#%2F".into()),
            Seg::Index(3),
            Seg::Key("x".into()),
        ];
        assert_eq!(parse_path_attr(&path_attr(&odd)), Some(odd));
        assert_eq!(parse_path_attr("a/#x"), None);
        // A block field is a text area with its lines.
        let h = html(&checkout(), &Selection::Component("api".into()), &[], None);
        assert!(
            h.contains("<textarea id=\"field-components-api-calls\""),
            "{h}"
        );
        assert!(h.contains(">- to: auth\n- to: catalog\n- to: db</textarea>"));
        let h = html(&checkout(), &Selection::Component("gone".into()), &[], None);
        assert!(
            h.contains("Nothing selected")
                && h.contains(r#"<option value="" selected>(select)</option>"#)
        );
    }

    #[test]
    fn items_list_everything_selectable() {
        let t = crate::scenario_edit::add_fault(&checkout(), Some("db"))
            .unwrap()
            .0;
        let labels: Vec<String> = items(&t).into_iter().map(|(_, l)| l).collect();
        assert_eq!(labels[..5], ["scenario", "api", "auth", "catalog", "db"]);
        assert!(labels.contains(&"workload checkout".to_string()));
        assert!(labels.contains(&"F1 instance_crash".to_string()));
        assert!(labels.contains(&"SLO p99(checkout) < 250ms".to_string()));
    }
}
