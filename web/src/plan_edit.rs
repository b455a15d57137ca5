//! The `plan:` block built from the app instead of typed (pure, as edits of the text through
//! [`crate::yaml_edit`], so comments and the rest of the file stay as written): "vary this" on a
//! component's field in the inspector adds `component.field` to `plan.vary` with a first domain
//! to edit (a range around an integer, the next sizes of an instance type), and the Plan tab's
//! load factors and growth write `plan.loads` and `plan.growth`. What the planner accepts is
//! decided by the planner (docs/planner.md): these edits only write text; the loader checks it.

use crate::yaml_edit::{Doc, Seg, set};
use sim_core::cost::price_book::{Plan, PriceBook};
use sim_core::yaml::{Node, Value};

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

/// The path of variable `name` (`component.field`) in `plan.vary`.
pub fn var_path(name: &str) -> Vec<Seg> {
    vec![key("plan"), key("vary"), key(name)]
}

/// Whether the inspector offers "vary this" on `field` with value `source`: an integer (replicas,
/// concurrency, queue limits, pools, capacities, memory) or an instance type.
pub fn variable(field: &str, source: &str) -> bool {
    field == "instance" || source.trim().parse::<u64>().is_ok()
}

/// A first domain for a field whose value is `source`, to be edited: an integer `n` gives
/// `n/2..2n` (at least `1..2`; `0..2` from 0); an instance type gives a list of it and the next
/// two larger sizes of its family in the price book (`m5.large` -> `[m5.large, m5.xlarge,
/// m5.2xlarge]`); anything else the value alone, as a one-item list.
pub fn first_domain(field: &str, source: &str) -> String {
    let v = source.trim();
    if let Ok(n) = v.parse::<u64>() {
        let lo = if n == 0 { 0 } else { (n / 2).max(1) };
        let hi = (n * 2).max(lo + 1).max(2);
        return format!("{lo}..{hi}");
    }
    if field == "instance" {
        let book = PriceBook::default();
        if let Some((family, _)) = v.rsplit_once('.') {
            let mut sizes: Vec<(&str, f64)> = book
                .types()
                .into_iter()
                .filter(|t| t.rsplit_once('.').is_some_and(|(f, _)| f == family))
                .map(|t| (t, book.hourly(t, Plan::OnDemand)))
                .collect();
            sizes.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(b.0)));
            if let Some(at) = sizes.iter().position(|(t, _)| *t == v) {
                let names: Vec<&str> = sizes[at..].iter().take(3).map(|(t, _)| *t).collect();
                return format!("[{}]", names.join(", "));
            }
        }
    }
    format!("[{v}]")
}

/// The domain written for variable `name` in `plan.vary`, if it is there.
pub fn domain_in(doc: &Doc<'_>, name: &str) -> Option<String> {
    doc.get(&var_path(name)).map(|n| doc.source(n))
}

/// The variables of `plan.vary`, in file order, with their domains as written.
pub fn vars_in(doc: &Doc<'_>) -> Vec<(String, String)> {
    match doc.get(&[key("plan"), key("vary")]).map(|n| &n.value) {
        Some(Value::Map(entries)) => entries
            .iter()
            .filter_map(|(k, v)| Some((k.as_scalar()?.to_string(), doc.source(v))))
            .collect(),
        _ => Vec::new(),
    }
}

/// "Vary this": adds `component.field` to `plan.vary` with its [`first_domain`], creating
/// `plan:` (with `loads: [1x]`) or `vary:` when the file has none. A field already varied is an
/// error that says so (its domain is edited where it is).
pub fn vary(text: &str, component: &str, field: &str) -> Result<String, String> {
    let doc = Doc::parse(text)?;
    let current = doc
        .get(&[key("components"), key(component), key(field)])
        .ok_or_else(|| format!("`{component}` has no `{field}` to vary"))?;
    let name = format!("{component}.{field}");
    if domain_in(&doc, &name).is_some() {
        return Err(format!(
            "`{name}` is already varied: edit its values under plan.vary"
        ));
    }
    let domain = first_domain(field, &doc.source(current));
    match doc.get(&[key("plan")]) {
        None => set(
            text,
            &[key("plan")],
            &format!("vary:\n  {name}: {domain}\nloads: [1x]"),
        ),
        Some(Node {
            value: Value::Map(_),
            ..
        }) if doc.get(&[key("plan"), key("vary")]).is_none() => set(
            text,
            &[key("plan"), key("vary")],
            &format!("{name}: {domain}"),
        ),
        Some(_) => set(text, &var_path(&name), &domain),
    }
}

/// The Plan tab's view of the block: its load factors and growth as written (`None` when absent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Settings {
    pub has_plan: bool,
    pub has_sweep: bool,
    pub loads: Option<String>,
    pub growth_rate: Option<String>,
    pub growth_horizon: Option<String>,
    pub vars: Vec<(String, String)>,
}

/// Reads [`Settings`] from the text (a text that does not parse has none).
pub fn settings(text: &str) -> Settings {
    let Ok(doc) = Doc::parse(text) else {
        return Settings::default();
    };
    let at = |p: &[&str]| {
        let p: Vec<Seg> = p.iter().map(|k| key(k)).collect();
        doc.get(&p).map(|n| doc.source(n))
    };
    Settings {
        has_plan: doc.get(&[key("plan")]).is_some(),
        has_sweep: doc.get(&[key("sweep")]).is_some(),
        loads: at(&["plan", "loads"]),
        growth_rate: at(&["plan", "growth", "rate"]),
        growth_horizon: at(&["plan", "growth", "horizon"]),
        vars: vars_in(&doc),
    }
}

/// Writes the load factors (`[1x, 3x]`, as the block has them) into `plan.loads`.
pub fn set_loads(text: &str, loads: &str) -> Result<String, String> {
    let l = loads.trim();
    let l = if l.starts_with('[') {
        l.to_string()
    } else {
        format!("[{l}]")
    };
    set(text, &[key("plan"), key("loads")], &l)
}

/// Writes the growth rate (`10%/month`) or the horizon in months into `plan.growth`, creating
/// `growth:` with the other part at its usual value (`10%/month`, 24 months) when absent; an
/// empty rate removes `growth:`.
pub fn set_growth(text: &str, part: &str, value: &str) -> Result<String, String> {
    let v = value.trim();
    let doc = Doc::parse(text)?;
    let growth = [key("plan"), key("growth")];
    if part == "rate" && v.is_empty() {
        return match doc.get(&growth) {
            Some(_) => crate::yaml_edit::remove(text, &growth),
            None => Ok(text.to_string()),
        };
    }
    match doc.get(&growth) {
        Some(Node {
            value: Value::Map(_),
            ..
        }) => {
            let mut p = growth.to_vec();
            p.push(key(part));
            set(text, &p, v)
        }
        _ => {
            let (rate, horizon) = if part == "rate" {
                (v, "24")
            } else {
                ("10%/month", v)
            };
            set(
                text,
                &growth,
                &format!("{{ rate: {rate}, horizon: {horizon} }}"),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    /// The planner's own reading of the text's `plan:` block.
    fn spec(text: &str) -> sim_core::plan::spec::PlanSpec {
        sim_core::load(text.as_bytes())
            .unwrap_or_else(|d| panic!("{d:?}\n{text}"))
            .plan
            .expect("a plan block")
    }

    #[test]
    fn first_domains_are_ranges_around_integers_and_the_next_instance_sizes() {
        assert_eq!(first_domain("replicas", "3"), "1..6");
        assert_eq!(first_domain("replicas", "1"), "1..2");
        assert_eq!(first_domain("concurrency", "16"), "8..32");
        assert_eq!(first_domain("queue_limit", "0"), "0..2");
        assert_eq!(
            first_domain("instance", "m5.large"),
            "[m5.large, m5.xlarge, m5.2xlarge]"
        );
        assert_eq!(first_domain("instance", "nope.large"), "[nope.large]");
        assert!(variable("replicas", " 4 "));
        assert!(variable("instance", "m5.large"));
        assert!(!variable("service_time", "{ exponential: 2ms }"));
    }

    #[test]
    fn varying_two_fields_of_a_file_without_a_plan_gives_a_block_the_planner_reads() {
        let t = examples::find("plan-from-the-inspector.yaml")
            .unwrap()
            .yaml
            .to_string();
        assert!(!t.contains("\nplan:"));
        let t1 = vary(&t, "api", "replicas").unwrap();
        let t2 = vary(&t1, "db", "replicas").unwrap();
        // The rest of the file is kept as written (comments included).
        assert!(t2.starts_with(&t[..t.find("components:").unwrap()]));
        let s = spec(&t2);
        let names: Vec<&str> = s.vars.iter().map(|v| v.name.as_str()).collect();
        assert_eq!(names, ["api.replicas", "db.replicas"]);
        assert_eq!(settings(&t2).loads.as_deref(), Some("[1x]"));
        // Varying it again says so and changes nothing.
        let e = vary(&t2, "api", "replicas").unwrap_err();
        assert!(e.contains("already varied"), "{e}");
        assert!(vary(&t2, "api", "nope").unwrap_err().contains("no `nope`"));
    }

    #[test]
    fn varying_adds_to_an_existing_plan_and_keeps_its_comments() {
        let t = examples::find("plan-chain-replicas.yaml")
            .unwrap()
            .yaml
            .to_string();
        let t2 = vary(&t, "api", "concurrency").unwrap();
        let st = settings(&t2);
        assert_eq!(
            st.vars.iter().map(|v| v.0.as_str()).collect::<Vec<_>>(),
            ["api.replicas", "db.replicas", "api.concurrency"]
        );
        assert_eq!(st.vars[2].1, "4..16");
        let comments = |x: &str| {
            x.lines()
                .filter(|l| l.trim_start().starts_with('#'))
                .count()
        };
        assert_eq!(comments(&t2), comments(&t));
        assert_eq!(spec(&t2).vars.len(), 3);
    }

    #[test]
    fn loads_and_growth_are_written_where_the_planner_reads_them() {
        let t = examples::find("plan-from-the-inspector.yaml")
            .unwrap()
            .yaml
            .to_string();
        let t = vary(&t, "api", "replicas").unwrap();
        let t = set_loads(&t, "1x, 2.5x").unwrap();
        assert_eq!(settings(&t).loads.as_deref(), Some("[1x, 2.5x]"));
        let t = set_growth(&t, "rate", "5%/month").unwrap();
        let st = settings(&t);
        assert_eq!(st.growth_rate.as_deref(), Some("5%/month"));
        assert_eq!(st.growth_horizon.as_deref(), Some("24"));
        let t = set_growth(&t, "horizon", "36").unwrap();
        assert_eq!(settings(&t).growth_horizon.as_deref(), Some("36"));
        let s = spec(&t);
        assert_eq!(s.loads.len(), 2);
        assert!(s.growth.is_some());
        let t = set_growth(&t, "rate", "").unwrap();
        assert_eq!(settings(&t).growth_rate, None);
        assert!(spec(&t).growth.is_none());
    }
}
