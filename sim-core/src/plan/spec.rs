//! The `plan:` block (and `sweep:`, its twin without an objective): what the planner may change,
//! under which loads, for how long, at what confidence. Parsed from the spanned tree so that every
//! mistake points at its place; the values themselves are judged later by the scenario loader, one
//! candidate at a time ([`super::space`]).

use crate::diagnostic::{Diagnostic, Span};
use crate::scenario::Scenario;
use crate::scenario::load::keys;
use crate::yaml::{Node, Value};
use crate::yaml_edit::Doc;

/// Most candidates a space may hold (the product of the variables' value counts).
pub const MAX_CANDIDATES: u64 = 100_000;
/// Most values one variable may take.
pub const MAX_VALUES: u64 = 10_000;
/// Largest load factor in `loads`.
pub const MAX_LOAD_FACTOR: f64 = 1000.0;
/// Longest growth horizon, in months.
pub const MAX_HORIZON_MONTHS: u64 = 120;

/// Keys of `plan:` and `sweep:`.
pub const PLAN_KEYS: &[&str] = &["vary", "loads", "growth", "confidence"];
/// Keys of `growth:`.
pub const GROWTH_KEYS: &[&str] = &["rate", "horizon"];
/// Fields that change the shape of the graph rather than its size: a plan may not vary them.
const STRUCTURAL: &[&str] = &[
    "kind",
    "calls",
    "targets",
    "consumers",
    "on_miss",
    "description",
    "primary",
];

/// Kinds a bundle may switch between with a `kind` field.
const SWITCHABLE: &[&str] = &["service", "function"];

/// Which block a spec came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Block {
    /// `plan:`: find the cheapest feasible candidate.
    Plan,
    /// `sweep:`: evaluate every point, no objective.
    Sweep,
}

/// A checked `plan:` or `sweep:` block.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanSpec {
    pub block: Block,
    pub span: Span,
    /// Decision variables, in `vary` order (the first varies slowest in grid order).
    pub vars: Vec<Var>,
    /// Load factors on every open workload's rate (default `[1x]`).
    pub loads: Vec<f64>,
    pub growth: Option<Growth>,
    /// Confidence of pass/fail verdicts, in (0.5, 0.999].
    pub confidence: f64,
}

/// One decision variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Var {
    /// As written in `vary` (`api.replicas`, or `api` for bundles).
    pub name: String,
    pub span: Span,
    /// The component it changes.
    pub component: String,
    /// Its values, in the order written (ranges ascending).
    pub values: Vec<VarValue>,
}

/// One value of a variable: the substitutions it makes, and how the report shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct VarValue {
    pub span: Span,
    /// `(target, YAML text)`: `("api.replicas", "4")`, or one per field of a bundle.
    pub sets: Vec<(String, String)>,
    /// Fields the value removes (`api.replicas`): those a bundle's new `kind` does not take.
    pub removes: Vec<String>,
    /// The value as JSON, for `assignment` maps.
    pub json: serde_json::Value,
}

/// Traffic growth for the runway.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Growth {
    /// Relative growth per month (0.1 = 10 %/month).
    pub rate: f64,
    /// Months looked ahead.
    pub horizon: u32,
}

impl PlanSpec {
    /// Candidates in the space.
    pub fn size(&self) -> u64 {
        self.vars
            .iter()
            .fold(1u64, |n, v| n.saturating_mul(v.values.len() as u64))
    }
}

/// Parses the scenario's `plan:` and `sweep:` blocks (each optional; at most one may be given).
pub fn parse(text: &str, root: &Node, s: &Scenario) -> Result<Option<PlanSpec>, Vec<Diagnostic>> {
    let Value::Map(entries) = &root.value else {
        return Ok(None);
    };
    let blocks: Vec<(Block, &Node, &Node)> = entries
        .iter()
        .filter_map(|(k, v)| match k.as_scalar() {
            Some("plan") => Some((Block::Plan, k, v)),
            Some("sweep") => Some((Block::Sweep, k, v)),
            _ => None,
        })
        .collect();
    let mut p = Parser {
        doc: Doc {
            text,
            root: Node {
                value: Value::Seq(Vec::new()),
                span: root.span,
            },
        },
        root,
        s,
        diags: Vec::new(),
    };
    let spec = match blocks.as_slice() {
        [] => return Ok(None),
        [(block, _, v)] => p.spec(*block, v),
        [_, (_, k, _), ..] => {
            p.err(
                k.span,
                "a scenario has either `plan:` or `sweep:`, not both; expected one of them",
            );
            None
        }
    };
    match spec {
        Some(spec) if p.diags.is_empty() => Ok(Some(spec)),
        _ => Err(p.diags),
    }
}

struct Parser<'a> {
    doc: Doc<'a>,
    /// The whole file's tree.
    root: &'a Node,
    s: &'a Scenario,
    diags: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn err(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, msg));
    }

    fn map<'n>(&mut self, n: &'n Node, what: &str, allowed: &[&str]) -> Option<&'n [(Node, Node)]> {
        let Value::Map(entries) = &n.value else {
            self.err(
                n.span,
                format!("expected {what} (a mapping), found {}", n.kind_name()),
            );
            return None;
        };
        for (k, _) in entries {
            let key = k.as_scalar().unwrap_or("");
            if !allowed.contains(&key) {
                self.err(
                    k.span,
                    format!(
                        "unknown key `{key}` in {what}; expected one of: {}",
                        allowed.join(", ")
                    ),
                );
            }
        }
        Some(entries)
    }

    fn spec(&mut self, block: Block, n: &Node) -> Option<PlanSpec> {
        let what = match block {
            Block::Plan => "`plan`",
            Block::Sweep => "`sweep`",
        };
        let entries = self.map(n, what, PLAN_KEYS)?;
        let get = |k: &str| {
            entries
                .iter()
                .find(|(kn, _)| kn.as_scalar() == Some(k))
                .map(|(_, v)| v)
        };
        let vars = match get("vary") {
            Some(v) => self.vary(v),
            None => {
                self.err(n.span, format!("{what} has no `vary`; expected `vary:` with the fields it may change, such as `api.replicas: 2..20`"));
                None
            }
        };
        let loads = get("loads").map_or(Some(vec![1.0]), |v| self.loads(v));
        let growth = get("growth").map_or(Some(None), |v| self.growth(v).map(Some));
        let confidence = get("confidence").map_or(Some(0.95), |v| self.confidence(v));
        let spec = PlanSpec {
            block,
            span: n.span,
            vars: vars?,
            loads: loads?,
            growth: growth?,
            confidence: confidence?,
        };
        if spec.size() > MAX_CANDIDATES {
            self.err(
                n.span,
                format!(
                    "the space holds {} candidates, beyond the limit of {MAX_CANDIDATES}; expected fewer values (a coarser `step`, shorter lists)",
                    spec.size()
                ),
            );
            return None;
        }
        if block == Block::Plan && !self.s.components.iter().any(is_priced) {
            self.err(n.span, "a plan looks for the cheapest design, but no component has a price; expected an `instance:` (or `pricing:`) on the components the plan sizes");
            return None;
        }
        Some(spec)
    }

    fn vary(&mut self, n: &Node) -> Option<Vec<Var>> {
        let Value::Map(entries) = &n.value else {
            self.err(n.span, format!("expected `vary` to map fields to their values, such as `api.replicas: 2..20`, found {}", n.kind_name()));
            return None;
        };
        if entries.is_empty() {
            self.err(
                n.span,
                "`vary` is empty; expected at least one field, such as `api.replicas: 2..20`",
            );
            return None;
        }
        let before = self.diags.len();
        let vars: Vec<Var> = entries.iter().filter_map(|(k, v)| self.var(k, v)).collect();
        (self.diags.len() == before).then_some(vars)
    }

    fn var(&mut self, k: &Node, v: &Node) -> Option<Var> {
        let name = k.as_scalar().unwrap_or("").to_string();
        let (component, field) = match name.split_once('.') {
            Some((c, f)) => (c.to_string(), Some(f.to_string())),
            None => (name.clone(), None),
        };
        let Some(c) = self.s.components.iter().find(|c| c.name == component) else {
            let names: Vec<&str> = self.s.components.iter().map(|c| c.name.as_str()).collect();
            self.err(
                k.span,
                format!(
                    "`{name}`: no component `{component}`; expected one of: {}",
                    names.join(", ")
                ),
            );
            return None;
        };
        let kind = c.kind.name();
        let values = match &field {
            Some(f) => {
                let first = f.split('.').next().unwrap_or("");
                let allowed = kind_keys(kind);
                if STRUCTURAL.contains(&first) || !allowed.contains(&first) {
                    let variable: Vec<&str> = allowed
                        .iter()
                        .copied()
                        .filter(|k| !STRUCTURAL.contains(k))
                        .collect();
                    self.err(k.span, format!("`{name}`: a plan cannot vary `{first}` of a {kind}; expected one of: {}", variable.join(", ")));
                    return None;
                }
                self.field_values(&name, v)?
            }
            None => self.bundles(&name, kind, v)?,
        };
        if values.len() as u64 > MAX_VALUES {
            self.err(
                v.span,
                format!(
                    "`{name}` takes {} values, beyond the limit of {MAX_VALUES}",
                    values.len()
                ),
            );
            return None;
        }
        Some(Var {
            name,
            span: k.span,
            component,
            values,
        })
    }

    /// `2..20`, `10000..200000 step 10000`, `[1, 2, 3]`, or one value.
    fn field_values(&mut self, name: &str, v: &Node) -> Option<Vec<VarValue>> {
        match &v.value {
            Value::Seq(items) => {
                if items.is_empty() {
                    self.err(
                        v.span,
                        format!("`{name}` has an empty list; expected at least one value"),
                    );
                    return None;
                }
                Some(items.iter().map(|i| self.value(name, i)).collect())
            }
            Value::Scalar {
                text,
                quoted: false,
            } if text.contains("..") => self.range(name, v, text),
            Value::Scalar { .. } if !v.is_null() => Some(vec![self.value(name, v)]),
            _ => {
                self.err(v.span, format!("expected the values of `{name}`: a range such as `2..20` (or `2..20 step 2`) or a list such as `[1, 2, 3]`, found {}", v.kind_name()));
                None
            }
        }
    }

    fn value(&self, name: &str, n: &Node) -> VarValue {
        let text = self.source(n);
        VarValue {
            span: n.span,
            sets: vec![(name.to_string(), text)],
            removes: Vec::new(),
            json: to_json(n),
        }
    }

    fn source(&self, n: &Node) -> String {
        let d = Doc {
            text: self.doc.text,
            root: Node {
                value: Value::Seq(Vec::new()),
                span: n.span,
            },
        };
        d.source(n)
    }

    fn range(&mut self, name: &str, v: &Node, text: &str) -> Option<Vec<VarValue>> {
        let expect = "a range of whole numbers such as `2..20` or `10000..200000 step 10000`";
        let (bounds, step) = match text.split_once(" step ") {
            Some((b, s)) => (b.trim(), Some(s.trim())),
            None => (text.trim(), None),
        };
        let num = |t: &str| t.trim().replace('_', "").parse::<i64>().ok();
        let parsed = bounds
            .split_once("..")
            .and_then(|(a, b)| Some((num(a)?, num(b)?)));
        let Some((lo, hi)) = parsed else {
            self.err(
                v.span,
                format!("`{name}`: expected {expect}, found `{text}`"),
            );
            return None;
        };
        let step = match step.map(num) {
            None => 1,
            Some(Some(s)) if s > 0 => s,
            Some(_) => {
                self.err(
                    v.span,
                    format!("`{name}`: the step must be a whole number above 0, found `{text}`"),
                );
                return None;
            }
        };
        if lo > hi {
            self.err(v.span, format!("`{name}`: the range `{text}` runs backwards; expected the smaller end first, such as `{hi}..{lo}`"));
            return None;
        }
        let count = ((hi - lo) / step) as u64 + 1;
        if count > MAX_VALUES {
            self.err(v.span, format!("`{name}`: `{text}` holds {count} values, beyond the limit of {MAX_VALUES}; expected a larger `step`"));
            return None;
        }
        Some(
            (0..count as i64)
                .map(|i| {
                    let x = lo + i * step;
                    VarValue {
                        span: v.span,
                        sets: vec![(name.to_string(), x.to_string())],
                        removes: Vec::new(),
                        json: x.into(),
                    }
                })
                .collect(),
        )
    }

    /// A list of partial components: `- { instance: m5.large, concurrency: 8 }`.
    fn bundles(&mut self, name: &str, kind: &'static str, v: &Node) -> Option<Vec<VarValue>> {
        let Value::Seq(items) = &v.value else {
            self.err(v.span, format!("`{name}` names a whole component, so expected a list of alternative bundles such as `- {{ instance: m5.large, concurrency: 8 }}`, found {}; to vary one field write `{name}.FIELD`", v.kind_name()));
            return None;
        };
        if items.is_empty() {
            self.err(
                v.span,
                format!("`{name}` has an empty list; expected at least one bundle"),
            );
            return None;
        }
        let mut out = Vec::new();
        for item in items {
            let Value::Map(fields) = &item.value else {
                self.err(item.span, format!("expected a bundle of fields of `{name}` such as `{{ instance: m5.large, concurrency: 8 }}`, found {}", item.kind_name()));
                continue;
            };
            if fields.is_empty() {
                self.err(item.span, "an empty bundle; expected at least one field");
                continue;
            }
            let Some(to_kind) = self.bundle_kind(name, kind, fields) else {
                continue;
            };
            let allowed = kind_keys(to_kind);
            let mut sets = Vec::new();
            for (fk, fv) in fields {
                let f = fk.as_scalar().unwrap_or("");
                if f == "kind" {
                    if to_kind != kind {
                        sets.push((format!("{name}.kind"), to_kind.to_string()));
                    }
                    continue;
                }
                if STRUCTURAL.contains(&f) || !allowed.contains(&f) {
                    self.err(fk.span, format!("a bundle cannot set `{f}` of a {to_kind}"));
                    continue;
                }
                sets.push((format!("{name}.{f}"), self.source(fv)));
            }
            // Switching kind: the file's fields the new kind does not take go.
            let removes = self
                .component_keys(name)
                .into_iter()
                .filter(|k| !allowed.contains(&k.as_str()))
                .map(|k| format!("{name}.{k}"))
                .collect();
            out.push(VarValue {
                span: item.span,
                sets,
                removes,
                json: to_json(item),
            });
        }
        Some(out)
    }

    /// The kind a bundle gives its component: its own, or the one its `kind` field switches to.
    /// Only a `service` may become a `function` and back (the serverless-or-containers question);
    /// every other kind keeps its shape.
    fn bundle_kind(
        &mut self,
        name: &str,
        kind: &'static str,
        fields: &[(Node, Node)],
    ) -> Option<&'static str> {
        let Some((k, v)) = fields.iter().find(|(k, _)| k.as_scalar() == Some("kind")) else {
            return Some(kind);
        };
        let to = v.as_scalar().unwrap_or("");
        match SWITCHABLE.iter().find(|s| **s == to) {
            Some(t) if SWITCHABLE.contains(&kind) => Some(t),
            _ => {
                self.err(
                    k.span,
                    format!("`{name}`: a bundle can switch only a service to a function or back (`kind: function` or `kind: service`); `{name}` is a {kind}, and `{to}` was asked"),
                );
                None
            }
        }
    }

    /// The fields written for a component in the file, in file order (empty if not found).
    fn component_keys(&self, name: &str) -> Vec<String> {
        use crate::yaml_edit::{Seg, child};
        let component = child(self.root, &Seg::Key("components".into()))
            .and_then(|c| child(c, &Seg::Key(name.into())));
        match component.map(|n| &n.value) {
            Some(Value::Map(entries)) => entries
                .iter()
                .filter_map(|(k, _)| k.as_scalar().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    }

    fn loads(&mut self, n: &Node) -> Option<Vec<f64>> {
        let Value::Seq(items) = &n.value else {
            self.err(
                n.span,
                format!(
                    "expected `loads` to be a list of load factors such as `[1x, 3x]`, found {}",
                    n.kind_name()
                ),
            );
            return None;
        };
        if items.is_empty() {
            self.err(
                n.span,
                "`loads` is empty; expected at least one factor, such as `[1x]`",
            );
            return None;
        }
        let mut out = Vec::new();
        for i in items {
            let t = i.as_scalar().unwrap_or("");
            match parse_factor(t) {
                Some(f) if f > 0.0 && f <= MAX_LOAD_FACTOR => out.push(f),
                Some(_) => self.err(i.span, format!("load factor `{t}` is out of range; expected above 0x and at most {MAX_LOAD_FACTOR}x")),
                None => self.err(i.span, format!("expected a load factor such as `3x` or `0.5x`, found `{t}`")),
            }
        }
        (out.len() == items.len()).then_some(out)
    }

    fn growth(&mut self, n: &Node) -> Option<Growth> {
        let entries = self.map(n, "`growth`", GROWTH_KEYS)?;
        let get = |k: &str| {
            entries
                .iter()
                .find(|(kn, _)| kn.as_scalar() == Some(k))
                .map(|(_, v)| v)
        };
        let rate = match get("rate") {
            Some(r) => {
                let t = r.as_scalar().unwrap_or("");
                let body = t.trim().trim_end_matches("/month").trim_end_matches("/mo");
                match crate::units::parse_fraction(body) {
                    // `10%/month`, `10%` or `0.1`: a share of a month's traffic.
                    Ok(x) if x > 0.0 && x <= 1.0 => Some(x),
                    Ok(_) | Err(_) => {
                        self.err(r.span, format!("expected a growth rate above 0 and at most 100 % a month, such as `10%/month`, found `{t}`"));
                        None
                    }
                }
            }
            None => {
                self.err(
                    n.span,
                    "`growth` has no `rate`; expected such as `rate: 10%/month`",
                );
                None
            }
        };
        let horizon = match get("horizon") {
            Some(h) => {
                let t = h.as_scalar().unwrap_or("");
                match t.trim().trim_end_matches("months").trim().parse::<u64>() {
                    Ok(m) if (1..=MAX_HORIZON_MONTHS).contains(&m) => Some(m as u32),
                    _ => {
                        self.err(h.span, format!("expected a horizon of 1 to {MAX_HORIZON_MONTHS} months, such as `24`, found `{t}`"));
                        None
                    }
                }
            }
            None => Some(24),
        };
        Some(Growth {
            rate: rate?,
            horizon: horizon?,
        })
    }

    fn confidence(&mut self, n: &Node) -> Option<f64> {
        let t = n.as_scalar().unwrap_or("");
        match crate::units::parse_fraction(t) {
            Ok(c) if c > 0.5 && c <= 0.999 => Some(c),
            _ => {
                self.err(n.span, format!("expected a confidence above 50 % and at most 99.9 %, such as `95%`, found `{t}`"));
                None
            }
        }
    }
}

/// `3x`, `0.5x` or a plain number.
fn parse_factor(t: &str) -> Option<f64> {
    let t = t.trim();
    let body = t
        .strip_suffix('x')
        .or_else(|| t.strip_suffix('X'))
        .unwrap_or(t)
        .trim();
    body.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Whether the cost model prices anything about the component (the planner's objective).
fn is_priced(c: &crate::scenario::Component) -> bool {
    use crate::scenario::ComponentKind as K;
    c.billing.is_some()
        || match &c.kind {
            K::LoadBalancer(_)
            | K::Function(_)
            | K::Database(_)
            | K::Queue(_)
            | K::ObjectStore(_) => true,
            K::Service | K::External | K::Dns(_) | K::Cache(_) => false,
        }
}

/// The keys a kind accepts (a plan's variable must name one of them).
fn kind_keys(kind: &str) -> &'static [&'static str] {
    keys::of_kind(kind).unwrap_or(&[])
}

/// A YAML node as JSON: plain scalars that read as numbers or booleans become those.
fn to_json(n: &Node) -> serde_json::Value {
    match &n.value {
        Value::Scalar { text, quoted: true } => text.clone().into(),
        Value::Scalar {
            text,
            quoted: false,
        } => {
            if let Ok(i) = text.replace('_', "").parse::<i64>() {
                i.into()
            } else if let Some(f) = text.parse::<f64>().ok().filter(|f| f.is_finite()) {
                f.into()
            } else {
                match text.as_str() {
                    "true" => true.into(),
                    "false" => false.into(),
                    _ => text.clone().into(),
                }
            }
        }
        Value::Seq(items) => items.iter().map(to_json).collect(),
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| (k.as_scalar().unwrap_or("").to_string(), to_json(v)))
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}
