//! From the YAML tree to the [`Scenario`] model. Every check that can be made without simulating is
//! made here, and every problem becomes a [`Diagnostic`] that names the place and what was expected.
//! The loader keeps going after an error so that one run reports as many problems as it can.

use super::*;
use crate::diagnostic::Diagnostic;
use crate::dist::Z_99;
use crate::units;
use crate::yaml::{Node, Value};

/// Every component kind.
pub const KINDS: &[&str] = &decl::names::<{ decl::ALL.len() }>(decl::ALL);

/// Keys of the top level, for the JSON Schema test.
pub const TOP_KEYS: &[&str] = &[
    "version",
    "name",
    "description",
    "seed",
    "duration",
    "warmup",
    "replications",
    "regions",
    "network",
    "components",
    "workloads",
    "faults",
    "slo",
    "pricing",
    "limits",
    "layout",
    "plan",
    "sweep",
];

/// Largest coordinate accepted in `layout:` (pixels of the Sketch).
pub const MAX_LAYOUT_COORD: f64 = 100_000.0;
/// Keys of a `service`.
pub const SERVICE_KEYS: &[&str] = decl::SERVICE.keys;
/// Keys of an `external` dependency.
pub const EXTERNAL_KEYS: &[&str] = decl::EXTERNAL.keys;
/// Keys of a workload.
pub const WORKLOAD_KEYS: &[&str] = &[
    "name",
    "entry",
    "arrivals",
    "users",
    "think_time",
    "ops",
    "profile",
    "region",
    "request_size",
    "response_size",
    "description",
];
/// Keys of `limits`.
pub const LIMIT_KEYS: &[&str] = &["max_events", "max_in_flight", "max_simulated_time"];

/// Largest values accepted for counts, so that a typo cannot ask for a machine-sized simulation
/// (from the one table of ranges, [`super::ranges`]).
const MAX_REPLICAS: u64 = super::ranges::REPLICAS.max;
const MAX_CONCURRENCY: u64 = super::ranges::CONCURRENCY.max;
const MAX_USERS: u64 = super::ranges::USERS.max;
const MAX_REPLICATIONS: u64 = super::ranges::REPLICATIONS.max;
const MAX_RATE_PER_SEC: f64 = super::ranges::MAX_RATE_PER_SEC;

/// Loads a scenario from its tree. On success also returns the warnings.
pub fn load(root: &Node) -> Result<(Scenario, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut l = Loader {
        diags: Vec::new(),
        regions: Vec::new(),
        ops: Vec::new(),
    };
    let scenario = l.scenario(root);
    match scenario {
        Some(s) if !l.diags.iter().any(Diagnostic::is_error) => {
            let mut diags = l.diags;
            match graph::check(&s) {
                Ok(warnings) => {
                    diags.extend(warnings);
                    Ok((s, diags))
                }
                Err(errors) => {
                    diags.extend(errors);
                    Err(diags)
                }
            }
        }
        _ => {
            if !l.diags.iter().any(Diagnostic::is_error) {
                l.diags
                    .push(Diagnostic::error(root.span, "expected a scenario"));
            }
            Err(l.diags)
        }
    }
}

pub(super) struct Loader {
    pub(super) diags: Vec<Diagnostic>,
    /// Regions, parsed first so components can be placed in them.
    pub(super) regions: Vec<Region>,
    /// Operation names, interned as they are met.
    pub(super) ops: Vec<String>,
}

/// The entries of a mapping whose keys have been checked against a list.
pub(super) struct Fields<'a> {
    pub(super) entries: &'a [(Node, Node)],
    pub(super) span: Span,
}

impl<'a> Fields<'a> {
    pub(super) fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.as_scalar() == Some(key))
            .map(|(_, v)| v)
    }
}

impl Loader {
    pub(super) fn err(&mut self, span: Span, msg: impl Into<String>) {
        self.diags.push(Diagnostic::error(span, msg));
    }

    /// Refuses, where it is defined, a `what` name (component, workload, region, zone) that breaks
    /// the one rule for names ([`super::name`]).
    pub(super) fn check_name(&mut self, span: Span, what: &str, name: &str) {
        if let Err(why) = super::name::check(name) {
            self.err(span, format!("invalid {what} name: {why}"));
        }
    }

    pub(super) fn fields<'a>(
        &mut self,
        node: &'a Node,
        what: &str,
        allowed: &[&str],
    ) -> Option<Fields<'a>> {
        let Value::Map(entries) = &node.value else {
            self.err(
                node.span,
                format!(
                    "expected {what} (a mapping of keys to values), found {}",
                    node.kind_name()
                ),
            );
            return None;
        };
        for (k, _) in entries {
            let key = k.as_scalar().unwrap_or("");
            if !allowed.contains(&key) {
                let mut d = Diagnostic::error(
                    k.span,
                    format!(
                        "unknown key `{key}` in {what}; expected one of: {}",
                        allowed.join(", ")
                    ),
                );
                if let Some(s) = closest(key, allowed) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.diags.push(d);
            }
        }
        Some(Fields {
            entries,
            span: node.span,
        })
    }

    pub(super) fn required<'a>(
        &mut self,
        f: &Fields<'a>,
        key: &str,
        what: &str,
        expected: &str,
    ) -> Option<&'a Node> {
        let v = f.get(key);
        if v.is_none() {
            self.err(
                f.span,
                format!("{what} has no `{key}`; expected `{key}:` with {expected}"),
            );
        }
        v
    }

    /// A scalar's text, refusing mappings, lists and null.
    pub(super) fn scalar<'a>(&mut self, n: &'a Node, expected: &str) -> Option<&'a str> {
        match &n.value {
            Value::Scalar { text, .. } if !n.is_null() => Some(text),
            _ => {
                self.err(
                    n.span,
                    format!("expected {expected}, found {}", n.kind_name()),
                );
                None
            }
        }
    }

    /// Parses a scalar with a unit parser; errors point at the scalar.
    pub(super) fn unit<T>(
        &mut self,
        n: &Node,
        expected: &str,
        parse: fn(&str) -> Result<T, String>,
    ) -> Option<T> {
        let text = self.scalar(n, expected)?;
        match parse(text) {
            Ok(v) => Some(v),
            Err(e) => {
                self.err(n.span, e);
                None
            }
        }
    }

    pub(super) fn duration(&mut self, n: &Node) -> Option<SimTime> {
        self.unit(n, "a duration such as `20ms`", units::parse_duration)
    }

    pub(super) fn integer(&mut self, n: &Node, what: &str, min: u64, max: u64) -> Option<u64> {
        let quoted = matches!(n.value, Value::Scalar { quoted: true, .. });
        let text = self.scalar(n, &format!("{what} (a whole number)"))?;
        let v = if quoted {
            None
        } else {
            text.replace('_', "").parse::<u64>().ok()
        };
        let range = if max == u64::MAX {
            format!("a whole number of at least {min}")
        } else {
            format!("a whole number from {min} to {max}")
        };
        match v {
            Some(v) if (min..=max).contains(&v) => Some(v),
            Some(v) => {
                self.err(n.span, format!("{what} is {v}; expected {range}"));
                None
            }
            // `replicas: "4"` is a string in YAML; say so rather than "expected a number, found 4".
            None if quoted && units::parse_number(text).is_ok() => {
                self.diags.push(
                    Diagnostic::error(
                        n.span,
                        format!("{what} is the quoted string `\"{text}\"`; expected {range}, without quotes"),
                    )
                    .with_help(format!("write `{text}` instead of `\"{text}\"`")),
                );
                None
            }
            None if text.trim_start().starts_with('-') => {
                self.err(
                    n.span,
                    format!("{what} is negative (`{text}`); expected {range}"),
                );
                None
            }
            None => {
                self.err(
                    n.span,
                    format!("expected {what} as {range}, found `{text}`"),
                );
                None
            }
        }
    }

    fn scenario(&mut self, root: &Node) -> Option<Scenario> {
        let f = self.fields(root, "the scenario", TOP_KEYS)?;
        let prices = match f.get("pricing") {
            None => Some(crate::cost::price_book::PriceBook::default()),
            Some(n) => self.pricing(n),
        };
        self.version(&f);
        let name = self
            .required(&f, "name", "the scenario", "a name")
            .and_then(|n| self.scalar(n, "a name"))
            .map(str::to_string);
        let seed = f
            .get("seed")
            .map_or(Some(0), |n| self.integer(n, "`seed`", 0, u64::MAX));
        let duration = self.run_duration(&f);
        let warmup = f.get("warmup").map_or(Some(0), |n| self.duration(n));
        let replications = f.get("replications").map_or(Some(1), |n| {
            self.integer(n, "`replications`", 1, MAX_REPLICATIONS)
        });
        let limits = match f.get("limits") {
            Some(n) => self.limits(n),
            None => Some(Limits::default()),
        };

        let network = self.topology(f.get("regions"), f.get("network"));
        let (components, workloads) = self.system(&f);
        let (mut components, workloads) = (components?, workloads?);
        self.resolve_usage_plans(&mut components, &workloads);
        self.check_routing(&components);
        if let Some(prices) = &prices {
            self.check_instances_priced(prices, &components);
        }
        let faults = match f.get("faults") {
            Some(n) => self.faults(n, &components, &workloads),
            None => Some(Vec::new()),
        };
        let layout = match f.get("layout") {
            Some(n) => self.layout(n, &components),
            None => Some(std::collections::BTreeMap::new()),
        };
        let slos = match f.get("slo") {
            Some(n) => self.slos(n, &workloads, &components),
            None => Vec::new(),
        };
        let (duration, warmup, limits) = (duration?, warmup?, limits?);
        self.simulated_time_within_limit(
            f.get("duration").unwrap_or(root),
            warmup,
            duration,
            &limits,
        );
        self.users_within_in_flight(&workloads, &limits);
        Some(Scenario {
            name: name?,
            seed: seed?,
            duration,
            warmup,
            replications: replications? as u32,
            components,
            workloads,
            slos,
            limits,
            prices: prices?,
            regions: std::mem::take(&mut self.regions),
            network: network?,
            faults: faults?,
            ops: std::mem::take(&mut self.ops),
            layout: layout?,
        })
    }

    /// The `components`, and the `workloads` that send them requests (read only if the
    /// components could be).
    fn system(&mut self, f: &Fields) -> (Option<Vec<Component>>, Option<Vec<Workload>>) {
        let components = self
            .required(
                f,
                "components",
                "the scenario",
                "a mapping from component names to components",
            )
            .and_then(|n| self.components(n));
        let workloads = match (f.get("workloads"), &components) {
            (Some(n), Some(c)) => self.workloads(n, c),
            (None, _) => {
                self.err(f.span, "the scenario has no `workloads`; expected a list of workloads, such as `- { name: web, entry: api, arrivals: { poisson: 100/s } }`");
                None
            }
            _ => None,
        };
        (components, workloads)
    }

    /// `version:`, which must be 1.
    fn version(&mut self, f: &Fields) {
        if let Some(v) = self.required(f, "version", "the scenario", "the format version `1`")
            && let Some(x) = self.integer(v, "`version`", 0, u64::MAX)
            && x != 1
        {
            self.err(
                v.span,
                format!("format version {x} is not known; expected `version: 1`"),
            );
        }
    }

    /// `duration:`, the simulated time measured (after the warm-up); not zero.
    fn run_duration(&mut self, f: &Fields) -> Option<SimTime> {
        let n = self.required(
            f,
            "duration",
            "the scenario",
            "the simulated time, such as `10m`",
        )?;
        let d = self.duration(n)?;
        if d == 0 {
            self.err(
                n.span,
                "`duration` is zero; expected a positive duration such as `10m`",
            );
            return None;
        }
        Some(d)
    }

    /// Every component's `instance` type must be in the price book.
    fn check_instances_priced(
        &mut self,
        prices: &crate::cost::price_book::PriceBook,
        components: &[Component],
    ) {
        for c in components {
            if let Some(b) = &c.billing
                && !prices.knows(&b.instance)
            {
                let types = prices.types().join(", ");
                self.err(c.span, format!("component `{}` has instance type `{}`, which the price book does not know; expected one of: {types}", c.name, b.instance));
            }
        }
    }

    /// `slo:`, a list of targets; an expression that does not parse is reported and left out.
    fn slos(
        &mut self,
        n: &Node,
        workloads: &[Workload],
        components: &[Component],
    ) -> Vec<crate::slo::Slo> {
        let mut slos = Vec::new();
        match &n.value {
            Value::Seq(items) => {
                for item in items {
                    let Some(text) = self.scalar(item, "an SLO such as `p99(checkout) < 250ms`")
                    else {
                        continue;
                    };
                    match super::load_slo::parse(text, item.span, workloads, components) {
                        Ok(s) => slos.push(s),
                        Err(d) => self.diags.push(d),
                    }
                }
            }
            _ if n.is_null() => {}
            _ => self.err(
                n.span,
                format!(
                    "expected `slo` to be a list of targets, found {}",
                    n.kind_name()
                ),
            ),
        }
        slos
    }

    /// Warm-up plus duration must fit within `limits.max_simulated_time`; an error at `at`.
    fn simulated_time_within_limit(
        &mut self,
        at: &Node,
        warmup: SimTime,
        duration: SimTime,
        limits: &Limits,
    ) {
        if warmup.saturating_add(duration) > limits.max_simulated_time {
            self.err(
                at.span,
                format!(
                    "warm-up plus duration is {}, beyond the limit of {} simulated time per replication; expected less, or a higher `limits: {{ max_simulated_time: ... }}`",
                    crate::time::format_duration(warmup + duration),
                    crate::time::format_duration(limits.max_simulated_time)
                ),
            );
        }
    }

    /// `layout:`, where the browser's Sketch draws each component: a mapping from component names
    /// to `[x, y]`, pixels from the top left. The simulation ignores it.
    fn layout(
        &mut self,
        n: &Node,
        components: &[Component],
    ) -> Option<std::collections::BTreeMap<String, (f64, f64)>> {
        let mut out = std::collections::BTreeMap::new();
        let entries = match &n.value {
            Value::Map(e) => e,
            _ if n.is_null() => return Some(out),
            _ => {
                self.err(
                    n.span,
                    format!(
                        "expected `layout` to be a mapping from component names to `[x, y]`, found {}",
                        n.kind_name()
                    ),
                );
                return None;
            }
        };
        let names: Vec<&str> = components.iter().map(|c| c.name.as_str()).collect();
        let mut ok = true;
        for (k, v) in entries {
            let name = k.as_scalar().unwrap_or("");
            if !names.contains(&name) {
                let mut d = Diagnostic::error(
                    k.span,
                    format!(
                        "`layout` places `{name}`, which is not a component; expected one of: {}",
                        names.join(", ")
                    ),
                );
                if let Some(s) = closest(name, &names) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.diags.push(d);
                ok = false;
                continue;
            }
            let xy: Vec<Option<f64>> = match &v.value {
                Value::Seq(items) if items.len() == 2 => items
                    .iter()
                    .map(|i| match &i.value {
                        Value::Scalar {
                            text,
                            quoted: false,
                        } => text
                            .parse::<f64>()
                            .ok()
                            .filter(|x| (0.0..=MAX_LAYOUT_COORD).contains(x)),
                        _ => None,
                    })
                    .collect(),
                _ => vec![None],
            };
            match xy[..] {
                [Some(x), Some(y)] => {
                    out.insert(name.to_string(), (x, y));
                }
                _ => {
                    self.err(
                        v.span,
                        format!("the place of `{name}` in `layout` is not `[x, y]`; expected two numbers from 0 to {MAX_LAYOUT_COORD}, such as `[120, 40]`"),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }

    /// Every user of a closed workload may be in flight at once (and each gets its first event
    /// when the run starts): their total must fit within `limits.max_in_flight`, or the memory
    /// they cost is beyond the budget the limit sets.
    fn users_within_in_flight(&mut self, workloads: &[Workload], limits: &Limits) {
        let mut total = 0u64;
        for w in workloads {
            if let WorkloadKind::Closed { users, .. } = &w.kind {
                total += *users as u64;
                if total > limits.max_in_flight {
                    self.err(
                        w.span,
                        format!(
                            "closed workloads have {total} users up to `{}`, more than `limits.max_in_flight` ({}) allows in flight at once; expected at most {} users in all, or a higher `limits: {{ max_in_flight: ... }}`",
                            w.name, limits.max_in_flight, limits.max_in_flight
                        ),
                    );
                    return;
                }
            }
        }
    }

    fn limits(&mut self, n: &Node) -> Option<Limits> {
        let f = self.fields(n, "`limits`", LIMIT_KEYS)?;
        let mut l = Limits::default();
        let (events, in_flight) = (super::ranges::MAX_EVENTS, super::ranges::MAX_IN_FLIGHT);
        if let Some(v) = f.get("max_events") {
            l.max_events = self.integer(v, "`max_events`", events.min, events.max)?;
        }
        if let Some(v) = f.get("max_in_flight") {
            l.max_in_flight = self.integer(v, "`max_in_flight`", in_flight.min, in_flight.max)?;
        }
        if let Some(v) = f.get("max_simulated_time") {
            l.max_simulated_time = self.duration(v)?;
        }
        Some(l)
    }

    fn components(&mut self, n: &Node) -> Option<Vec<Component>> {
        let Value::Map(entries) = &n.value else {
            self.err(
                n.span,
                format!(
                    "expected `components` to be a mapping from names to components, found {}",
                    n.kind_name()
                ),
            );
            return None;
        };
        if entries.is_empty() {
            self.err(
                n.span,
                "`components` is empty; expected at least one component",
            );
            return None;
        }
        let names: Vec<&str> = entries
            .iter()
            .map(|(k, _)| k.as_scalar().unwrap_or(""))
            .collect();
        let mut out = Vec::new();
        let mut ok = true;
        for (k, v) in entries {
            let name = k.as_scalar().unwrap_or("").to_string();
            self.check_name(k.span, "component", &name);
            match self.component(&name, v, &names) {
                Some(mut c) => {
                    c.name = name;
                    c.span = k.span;
                    out.push(c);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn component(&mut self, name: &str, n: &Node, names: &[&str]) -> Option<Component> {
        let Value::Map(entries) = &n.value else {
            self.err(
                n.span,
                format!(
                    "expected component `{name}` to be a mapping with `kind`, found {}",
                    n.kind_name()
                ),
            );
            return None;
        };
        let kind_node = entries
            .iter()
            .find(|(k, _)| k.as_scalar() == Some("kind"))
            .map(|(_, v)| v);
        let Some(kind_node) = kind_node else {
            self.err(
                n.span,
                format!("component `{name}` has no `kind`; expected `kind: service`"),
            );
            return None;
        };
        let kind = self.scalar(kind_node, "a component kind such as `service`")?;
        match kind {
            "service" => self.service(name, n, names),
            "external" => self.external(name, n),
            "load_balancer" => self.balancer(name, n, names, false),
            "dns" => self.balancer(name, n, names, true),
            "cache" => self.cache(name, n, names),
            "queue" => self.broker(name, n, names),
            "database" => self.database(name, n),
            "function" => self.function(name, n, names),
            "object_store" => self.object_store(name, n),
            k => {
                let mut d = Diagnostic::error(
                    kind_node.span,
                    format!(
                        "unknown component kind `{k}`; expected one of: {}",
                        KINDS.join(", ")
                    ),
                );
                if let Some(s) = closest(k, KINDS) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                self.diags.push(d);
                None
            }
        }
    }

    fn service(&mut self, name: &str, n: &Node, names: &[&str]) -> Option<Component> {
        let what = format!("service `{name}`");
        let f = self.fields(n, &what, SERVICE_KEYS)?;
        let replicas = f
            .get("replicas")
            .map_or(Some(1), |v| self.integer(v, "`replicas`", 1, MAX_REPLICAS));
        let concurrency = self.count_or_unlimited(&f, "concurrency", Some(1), 1, MAX_CONCURRENCY);
        let queue_limit = self.count_or_unlimited(&f, "queue_limit", None, 0, u32::MAX as u64 / 2);
        let service_time = self
            .required(
                &f,
                "service_time",
                &what,
                "a duration or a distribution, such as `{ exponential: 20ms }`",
            )
            .and_then(|v| self.dist(v));
        let routing = match f.get("routing") {
            None => Some(Routing::Any),
            Some(v) => self.routing(v),
        };
        let balance = match f.get("balance") {
            None => Some(Balance::RoundRobin),
            Some(v) => {
                let word = self.scalar(v, "a balancing policy")?;
                self.balance(v, word)
            }
        };
        let steps = match f.get("calls") {
            None => Some(Vec::new()),
            Some(v) => self.steps(v, names),
        };
        let io_async = match f.get("io") {
            None => Some(false),
            Some(v) => {
                let word = self.scalar(v, "`sync` or `async`")?;
                self.io_async(v, word)
            }
        };
        let autoscale = match f.get("autoscale") {
            None => Some(None),
            Some(v) => self.autoscale(v).map(Some),
        };
        let billing = self.billing(&f);
        let placement = self.placement(&f);
        let failures = self.failures(&f);
        let (region, zones) = placement?;
        let autoscale = autoscale?;
        let replicas = replicas? as u32;
        if let (Some(a), Some(v)) = (autoscale, f.get("replicas"))
            && !(a.min..=a.max).contains(&replicas)
        {
            self.err(v.span, format!("{replicas} replicas to start with, outside autoscale's {}..={}; expected a count in that range", a.min, a.max));
            return None;
        }
        Some(Component {
            name: String::new(),
            span: f.span,
            kind: ComponentKind::Service,
            autoscale,
            billing: billing?,
            station: Service {
                replicas,
                concurrency: concurrency?,
                service_time: service_time?,
                steps: steps?,
                io_async: io_async?,
                error_rate: 0.0,
                queue_limit: queue_limit?,
                balance: balance?,
                routing: routing?,
            },
            region,
            zones,
            failures: failures?,
        })
    }

    /// The count under `key`, which may be `unlimited` (`None`); `default` when absent. The outer
    /// `None` is an error.
    fn count_or_unlimited(
        &mut self,
        f: &Fields,
        key: &str,
        default: Option<u32>,
        min: u64,
        max: u64,
    ) -> Option<Option<u32>> {
        match f.get(key) {
            None => Some(default),
            Some(v) if v.as_scalar() == Some("unlimited") => Some(None),
            Some(v) => self
                .integer(v, &format!("`{key}` (or `unlimited`)"), min, max)
                .map(|c| Some(c as u32)),
        }
    }

    /// A service's `balance:` policy over its replicas, from the `word` of its node `v`.
    fn balance(&mut self, v: &Node, word: &str) -> Option<Balance> {
        match word {
            "round_robin" => Some(Balance::RoundRobin),
            "random" => Some(Balance::Random),
            "least_outstanding" => Some(Balance::LeastOutstanding),
            "power_of_two" => Some(Balance::PowerOfTwo),
            other => {
                self.err(v.span, format!("unknown balancing policy `{other}`; expected one of: round_robin, random, least_outstanding, power_of_two"));
                None
            }
        }
    }

    /// A service's `io:` model, from the `word` of its node `v`: whether it is `async`.
    fn io_async(&mut self, v: &Node, word: &str) -> Option<bool> {
        match word {
            "sync" => Some(false),
            "async" => Some(true),
            other => {
                self.err(v.span, format!("unknown io model `{other}`; expected `sync` (the slot is held during calls) or `async` (released after local work)"));
                None
            }
        }
    }

    /// `external`: a third-party dependency, modelled as an infinite-server station whose requests
    /// take `latency` and fail with probability `error_rate`.
    fn external(&mut self, name: &str, n: &Node) -> Option<Component> {
        let what = format!("external `{name}`");
        let f = self.fields(n, &what, EXTERNAL_KEYS)?;
        let latency = self
            .required(&f, "latency", &what, "a duration or a distribution, such as `{ lognormal: { median: 80ms, p99: 400ms } }`")
            .and_then(|v| self.dist(v));
        let error_rate = match f.get("error_rate") {
            None => Some(0.0),
            Some(v) => self.unit(v, "a percentage such as `1%`", units::parse_fraction),
        };
        let placement = self.placement(&f);
        let failures = self.failures(&f);
        let (region, zones) = placement?;
        Some(Component {
            name: String::new(),
            span: f.span,
            kind: ComponentKind::External,
            autoscale: None,
            billing: None,
            station: Service {
                replicas: 1,
                concurrency: None,
                service_time: latency?,
                steps: Vec::new(),
                io_async: false,
                error_rate: error_rate?,
                queue_limit: None,
                balance: Balance::RoundRobin,
                routing: Routing::Any,
            },
            region,
            zones,
            failures: failures?,
        })
    }

    fn workloads(&mut self, n: &Node, components: &[Component]) -> Option<Vec<Workload>> {
        let Value::Seq(items) = &n.value else {
            self.err(
                n.span,
                format!("expected `workloads` to be a list, found {}", n.kind_name()),
            );
            return None;
        };
        if items.is_empty() {
            self.err(
                n.span,
                "`workloads` is empty; expected at least one workload",
            );
            return None;
        }
        let mut out: Vec<Workload> = Vec::new();
        let mut ok = true;
        for item in items {
            match self.workload(item, components) {
                Some(w) => {
                    if let Some(prev) = out.iter().find(|p| p.name == w.name) {
                        self.err(w.span, format!("a second workload named `{}` (first at line {}); expected unique names", w.name, prev.span.start.line));
                        ok = false;
                    }
                    out.push(w);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn workload(&mut self, n: &Node, components: &[Component]) -> Option<Workload> {
        let f = self.fields(n, "a workload", WORKLOAD_KEYS)?;
        let name_node = self.required(&f, "name", "the workload", "a name");
        let name = name_node
            .and_then(|v| self.scalar(v, "a workload name"))
            .map(str::to_string);
        if let (Some(n), Some(node)) = (&name, name_node) {
            self.check_name(node.span, "workload", n);
        }
        let what = format!("workload `{}`", name.as_deref().unwrap_or("?"));
        let entry = self
            .required(
                &f,
                "entry",
                &what,
                "the component that receives its requests",
            )
            .and_then(|v| self.entry(v, components));
        let kind = match (f.get("arrivals"), f.get("users")) {
            (Some(_), Some(u)) => {
                self.err(u.span, format!("{what} has both `arrivals` and `users`; expected one: `arrivals` for an open workload, `users` with `think_time` for a closed one"));
                None
            }
            (Some(a), None) => {
                if let Some(t) = f.get("think_time") {
                    self.err(t.span, format!("`think_time` belongs to closed workloads (with `users`); {what} is open"));
                }
                self.arrivals(a).map(WorkloadKind::Open)
            }
            (None, Some(u)) => Some(self.closed(&f, u, &what)?),
            (None, None) => {
                self.err(f.span, format!("{what} has neither `arrivals` nor `users`; expected `arrivals: {{ poisson: 100/s }}` or `users: 50` with `think_time`"));
                None
            }
        };
        let ops = match f.get("ops") {
            None => Some(Vec::new()),
            Some(v) => self.op_mix(v),
        };
        let profile = match f.get("profile") {
            None => Some(RateProfile::Constant),
            Some(v) => self.workload_profile(v, kind.as_ref(), &what),
        };
        let region = match f.get("region") {
            None => Some(None),
            Some(v) => self.region_ref(v).map(Some),
        };
        let size = |l: &mut Loader, key: &str| match f.get(key) {
            None => Some(0.0),
            Some(v) => l.unit(v, "a size such as `2KB`", units::parse_size),
        };
        let request_size = size(self, "request_size");
        let response_size = size(self, "response_size");
        Some(Workload {
            request_size: request_size?,
            response_size: response_size?,
            name: name?,
            span: name_node.map_or(f.span, |n| n.span),
            entry: entry?,
            kind: kind?,
            ops: ops?,
            profile: profile?,
            region: region?,
        })
    }

    /// A workload's `entry`, the component that receives its requests, as an index.
    fn entry(&mut self, v: &Node, components: &[Component]) -> Option<usize> {
        let e = self.scalar(v, "a component name")?;
        let id = components.iter().position(|c| c.name == e);
        if id.is_none() {
            let names: Vec<&str> = components.iter().map(|c| c.name.as_str()).collect();
            let mut d = Diagnostic::error(
                v.span,
                format!(
                    "entry is unknown component `{e}`; expected one of: {}",
                    names.join(", ")
                ),
            );
            if let Some(s) = closest(e, &names) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            self.diags.push(d);
        }
        id
    }

    /// A closed workload: `users` (the node `u`) who each wait a `think_time` between requests.
    fn closed(&mut self, f: &Fields, u: &Node, what: &str) -> Option<WorkloadKind> {
        let users = self.integer(u, "`users`", 1, MAX_USERS);
        let think = self
            .required(
                f,
                "think_time",
                what,
                "a duration or distribution (`0s` allowed)",
            )
            .and_then(|t| self.dist(t));
        Some(WorkloadKind::Closed {
            users: users? as u32,
            think_time: think?,
        })
    }

    /// A workload's `profile:`, which only an open workload may have (`kind` is what the workload
    /// was found to be, if that could be read).
    fn workload_profile(
        &mut self,
        v: &Node,
        kind: Option<&WorkloadKind>,
        what: &str,
    ) -> Option<RateProfile> {
        if matches!(kind, Some(WorkloadKind::Closed { .. })) {
            self.err(
                v.span,
                format!("`profile` shapes an open workload's arrival rate; {what} is closed"),
            );
        }
        self.profile(v)
    }

    /// Interns an operation name.
    pub(super) fn op(&mut self, name: &str) -> usize {
        match self.ops.iter().position(|o| o == name) {
            Some(i) => i,
            None => {
                self.ops.push(name.to_string());
                self.ops.len() - 1
            }
        }
    }

    /// `ops: { read: 0.9, write: 0.1 }`: shares that sum to 1.
    fn op_mix(&mut self, n: &Node) -> Option<Vec<(usize, f64)>> {
        let Value::Map(entries) = &n.value else {
            self.err(n.span, format!("expected `ops` to be a mapping from operation names to shares, such as `{{ read: 0.9, write: 0.1 }}`, found {}", n.kind_name()));
            return None;
        };
        let mut mix = Vec::new();
        for (k, v) in entries {
            let share = self.unit(v, "a share such as `0.9` or `90%`", units::parse_fraction)?;
            let op = self.op(k.as_scalar().unwrap_or(""));
            mix.push((op, share));
        }
        let total: f64 = mix.iter().map(|m| m.1).sum();
        if mix.is_empty() || (total - 1.0).abs() > 1e-6 {
            self.err(
                n.span,
                format!("operation shares sum to {total}; expected them to sum to 1 (100%)"),
            );
            return None;
        }
        Some(mix)
    }

    /// `profile: { diurnal: { peak_factor: 3, period: 24h } }`, `{ ramp: { from: 1, to: 5, start: 1m, over: 10m } }`,
    /// `{ step: { at: 5m, factor: 3 } }` or `constant`.
    fn profile(&mut self, n: &Node) -> Option<RateProfile> {
        if n.as_scalar() == Some("constant") {
            return Some(RateProfile::Constant);
        }
        const EXPECT: &str = "a rate profile: `constant`, `{ diurnal: { peak_factor: 3, period: 24h } }`, `{ ramp: { from: 1, to: 5, start: 1m, over: 10m } }` or `{ step: { at: 5m, factor: 3 } }`";
        let (key, v) = self.single_key(n, EXPECT)?;
        let factor = |l: &mut Loader, f: &Fields, key: &str| -> Option<f64> {
            let node = l.required(f, key, "the profile", "a factor such as `3`")?;
            let x = l.unit(node, "a number", units::parse_number)?;
            if !(0.0..=1000.0).contains(&x) {
                l.err(
                    node.span,
                    format!("factor {x}; expected a number from 0 to 1000"),
                );
                return None;
            }
            Some(x)
        };
        match key {
            "diurnal" => {
                let f = self.fields(v, "a diurnal profile", &["peak_factor", "period"])?;
                let peak = factor(self, &f, "peak_factor")?;
                let period = match f.get("period") {
                    None => 86_400 * crate::time::NANOS_PER_SEC,
                    Some(p) => self.duration(p)?,
                };
                if peak < 1.0 || period == 0 {
                    self.err(
                        v.span,
                        "expected `peak_factor` of at least 1 and a positive `period`",
                    );
                    return None;
                }
                Some(RateProfile::Diurnal {
                    peak_factor: peak,
                    period,
                })
            }
            "ramp" => {
                let f = self.fields(v, "a ramp profile", &["from", "to", "start", "over"])?;
                let from = factor(self, &f, "from")?;
                let to = factor(self, &f, "to")?;
                let start = match f.get("start") {
                    None => 0,
                    Some(x) => self.duration(x)?,
                };
                let over = self
                    .required(&f, "over", "the ramp", "a duration")
                    .and_then(|x| self.duration(x))?;
                Some(RateProfile::Ramp {
                    from,
                    to,
                    start,
                    over,
                })
            }
            "step" => {
                let f = self.fields(v, "a step profile", &["at", "factor"])?;
                let at = self
                    .required(&f, "at", "the step", "a time")
                    .and_then(|x| self.duration(x))?;
                let factor = factor(self, &f, "factor")?;
                Some(RateProfile::Step { at, factor })
            }
            other => {
                self.err(
                    n.span,
                    format!("unknown profile `{other}`; expected {EXPECT}"),
                );
                None
            }
        }
    }

    fn arrivals(&mut self, n: &Node) -> Option<Arrivals> {
        let (key, v) = self.single_key(n, "arrivals such as `{ poisson: 100/s }`")?;
        let rate = self.unit(v, "a rate such as `100/s`", units::parse_rate)?;
        if rate <= 0.0 || rate > MAX_RATE_PER_SEC {
            self.err(
                v.span,
                format!(
                    "arrival rate {rate}/s; expected more than 0 and at most {MAX_RATE_PER_SEC}/s"
                ),
            );
            return None;
        }
        match key {
            "poisson" => Some(Arrivals::Poisson { per_sec: rate }),
            "constant" => Some(Arrivals::Constant { per_sec: rate }),
            other => {
                self.err(
                    n.span,
                    format!("unknown arrival process `{other}`; expected `poisson` or `constant`"),
                );
                None
            }
        }
    }

    /// A one-key mapping such as `{ exponential: 20ms }`.
    pub(super) fn single_key<'a>(
        &mut self,
        n: &'a Node,
        expected: &str,
    ) -> Option<(&'a str, &'a Node)> {
        match &n.value {
            Value::Map(entries) if entries.len() == 1 => {
                Some((entries[0].0.as_scalar().unwrap_or(""), &entries[0].1))
            }
            _ => {
                self.err(
                    n.span,
                    format!("expected {expected}, found {}", n.kind_name()),
                );
                None
            }
        }
    }

    /// A duration distribution (contract: a constant duration, `exponential`, `lognormal`).
    pub(super) fn dist(&mut self, n: &Node) -> Option<Dist> {
        const EXPECT: &str = "a duration such as `20ms` or a distribution such as `{ exponential: 20ms }`, `{ lognormal: { median: 20ms, p99: 120ms } }`, `{ uniform: [5ms, 15ms] }`, `{ erlang: { k: 4, mean: 20ms } }`, `{ pareto: { scale: 5ms, shape: 2.5 } }` or `{ empirical: [[p50, 12ms], [p99, 90ms]] }`";
        if let Value::Scalar { .. } = n.value {
            return self.duration(n).map(Dist::Constant);
        }
        let (key, v) = self.single_key(n, EXPECT)?;
        match key {
            "constant" => self.duration(v).map(Dist::Constant),
            "exponential" => {
                let mean = self.duration(v)?;
                if mean == 0 {
                    return Some(Dist::Constant(0));
                }
                Some(Dist::Exponential {
                    mean_ns: mean as f64,
                })
            }
            "lognormal" => self.lognormal(v),
            "uniform" => self.uniform(v),
            "erlang" => self.erlang(v),
            "pareto" => self.pareto(v),
            "empirical" => self.empirical(v),
            other => {
                self.unknown_dist(n, other, EXPECT);
                None
            }
        }
    }

    /// Reports an unknown distribution name, with the nearest known one.
    fn unknown_dist(&mut self, n: &Node, other: &str, expected: &str) {
        let mut d = Diagnostic::error(
            n.span,
            format!("unknown distribution `{other}`; expected {expected}"),
        );
        if let Some(s) = closest(
            other,
            &[
                "constant",
                "exponential",
                "lognormal",
                "uniform",
                "erlang",
                "pareto",
                "empirical",
            ],
        ) {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        self.diags.push(d);
    }

    /// `lognormal: { median, p99 }`, the p99 at least the median.
    fn lognormal(&mut self, v: &Node) -> Option<Dist> {
        let f = self.fields(v, "a lognormal distribution", &["median", "p99"])?;
        let med = self
            .required(&f, "median", "the lognormal", "a duration")
            .and_then(|x| self.duration(x));
        let p99n = self.required(&f, "p99", "the lognormal", "a duration");
        let p99 = p99n.and_then(|x| self.duration(x));
        let (med, p99) = (med?, p99?);
        if med == 0 || p99 < med {
            self.err(
                p99n?.span,
                "expected a positive median and a p99 at least as large as the median",
            );
            return None;
        }
        let mu = libm::log(med as f64);
        Some(Dist::Lognormal {
            mu,
            sigma: (libm::log(p99 as f64) - mu) / Z_99,
        })
    }

    /// `uniform: [low, high]`.
    fn uniform(&mut self, v: &Node) -> Option<Dist> {
        let Value::Seq(items) = &v.value else {
            self.err(v.span, "expected `uniform: [low, high]` with two durations");
            return None;
        };
        if items.len() != 2 {
            self.err(
                v.span,
                format!(
                    "expected `uniform: [low, high]` with two durations, found {} items",
                    items.len()
                ),
            );
            return None;
        }
        let (lo, hi) = (self.duration(&items[0]), self.duration(&items[1]));
        let (lo, hi) = (lo?, hi?);
        if hi < lo {
            self.err(v.span, "expected `uniform: [low, high]` with low <= high");
            return None;
        }
        Some(Dist::Uniform {
            lo_ns: lo as f64,
            hi_ns: hi as f64,
        })
    }

    /// `erlang: { k, mean }`.
    fn erlang(&mut self, v: &Node) -> Option<Dist> {
        let f = self.fields(v, "an Erlang distribution", &["k", "mean"])?;
        let k = self
            .required(&f, "k", "the erlang distribution", "the number of phases")
            .and_then(|x| self.integer(x, "`k`", 1, 1000));
        let mean = self
            .required(&f, "mean", "the erlang distribution", "a duration")
            .and_then(|x| self.duration(x));
        Some(Dist::Erlang {
            k: k? as u32,
            mean_ns: mean? as f64,
        })
    }

    /// `pareto: { scale, shape }`, the shape above 0 and at most 100.
    fn pareto(&mut self, v: &Node) -> Option<Dist> {
        let f = self.fields(v, "a Pareto distribution", &["scale", "shape"])?;
        let scale = self
            .required(&f, "scale", "the pareto distribution", "a duration")
            .and_then(|x| self.duration(x));
        let shape_n = self.required(&f, "shape", "the pareto distribution", "a number above 0");
        let shape = shape_n.and_then(|x| self.unit(x, "a number", units::parse_number));
        let (scale, shape) = (scale?, shape?);
        if !(shape > 0.0 && shape <= 100.0) {
            self.err(
                shape_n?.span,
                format!("Pareto shape {shape}; expected a number above 0 and at most 100"),
            );
            return None;
        }
        Some(Dist::Pareto {
            scale_ns: scale as f64,
            shape,
        })
    }

    /// `[[p50, 12ms], [p90, 30ms], ...]`: the inverse CDF, linear between the points and from 0 at p0.
    fn empirical(&mut self, v: &Node) -> Option<Dist> {
        const EXPECT: &str = "a list of `[pNN, duration]` pairs with rising percentiles and durations, such as `[[p50, 12ms], [p99, 90ms], [p100, 400ms]]`";
        let Value::Seq(items) = &v.value else {
            self.err(v.span, format!("expected {EXPECT}"));
            return None;
        };
        let mut points = vec![(0.0, 0.0)];
        for item in items {
            let pair = match &item.value {
                Value::Seq(p) if p.len() == 2 => p,
                _ => {
                    self.err(item.span, format!("expected {EXPECT}"));
                    return None;
                }
            };
            let pct = pair[0]
                .as_scalar()
                .and_then(|s| s.strip_prefix('p'))
                .and_then(|s| {
                    // p50 = 0.50, p999 = 0.999, p100 = 1.0
                    let digits: String = s.chars().collect();
                    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                        return None;
                    }
                    if digits == "100" {
                        return Some(1.0);
                    }
                    let v: f64 = digits.parse().ok()?;
                    Some(v / 10f64.powi(digits.len() as i32))
                });
            let Some(p) = pct else {
                self.err(
                    pair[0].span,
                    format!("expected a percentile such as `p50`, `p99` or `p100`; {EXPECT}"),
                );
                return None;
            };
            let d = self.duration(&pair[1])? as f64;
            let last = *points.last().unwrap_or(&(0.0, 0.0));
            if p == 0.0 {
                points[0] = (0.0, d);
                continue;
            }
            if p <= last.0 || d < last.1 {
                self.err(
                    item.span,
                    format!("percentiles and durations must rise; expected {EXPECT}"),
                );
                return None;
            }
            points.push((p, d));
        }
        if points.len() < 2 {
            self.err(v.span, format!("expected at least one point; {EXPECT}"));
            return None;
        }
        Some(Dist::Empirical { points })
    }
}

/// The allowed word nearest to `word`, if it is near enough to be a likely typo.
pub(super) fn closest<'a>(word: &str, options: &[&'a str]) -> Option<&'a str> {
    options
        .iter()
        .map(|o| (edit_distance(word, o), *o))
        .filter(|&(d, o)| d <= 2.max(o.len() / 4) && d < o.len())
        .min()
        .map(|(_, o)| o)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != b[j]))
                .min(row[j] + 1)
                .min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<Diagnostic> {
        crate::load(text.as_bytes()).unwrap_err()
    }

    #[test]
    fn quoted_numbers_are_named_as_strings() {
        let e = errors(
            "version: '1'\nname: q\nduration: 1s\ncomponents: { api: { kind: service, replicas: \"4\", service_time: 1ms } }\nworkloads: [ { name: w, entry: api, arrivals: { poisson: 1/s } } ]\n",
        );
        assert_eq!(e.len(), 2, "{e:?}");
        assert_eq!((e[0].span.start.line, e[0].span.start.col), (1, 10));
        assert_eq!(
            e[0].message,
            "`version` is the quoted string `\"1\"`; expected a whole number of at least 0, without quotes"
        );
        assert_eq!((e[1].span.start.line, e[1].span.start.col), (4, 47));
        assert!(
            e[1].message.starts_with(
                "`replicas` is the quoted string `\"4\"`; expected a whole number from 1 to 10000"
            ),
            "{}",
            e[1].message
        );
        assert_eq!(e[1].help.as_deref(), Some("write `4` instead of `\"4\"`"));
    }

    const TWO: &str = "version: 1\nname: l\nduration: 1s\ncomponents: { api: { kind: service, service_time: 1ms }, db: { kind: service, service_time: 1ms } }\nworkloads: [ { name: w, entry: api, arrivals: { poisson: 1/s } } ]\n";

    #[test]
    fn layout_places_components_and_refuses_what_is_not_a_place() {
        let s = crate::load(format!("{TWO}layout: {{ db: [10, 20.5] }}\n").as_bytes())
            .unwrap()
            .scenario;
        assert_eq!(s.layout.get("db"), Some(&(10.0, 20.5)));
        assert_eq!(s.layout.get("api"), None);
        let e = errors(&format!(
            "{TWO}layout:\n  dbb: [1, 2]\n  api: [1, -2]\n  db: [1]\n"
        ));
        assert_eq!(e.len(), 3, "{e:?}");
        assert!(
            e[0].message
                .starts_with("`layout` places `dbb`, which is not a component")
        );
        assert_eq!(e[0].help.as_deref(), Some("did you mean `db`?"));
        assert_eq!((e[1].span.start.line, e[1].span.start.col), (8, 8));
        assert!(e[1].message.contains("is not `[x, y]`"), "{}", e[1].message);
        assert!(
            e[2].message.starts_with("the place of `db`"),
            "{}",
            e[2].message
        );
    }

    #[test]
    fn suggests_near_keys() {
        assert_eq!(closest("replica", SERVICE_KEYS), Some("replicas"));
        assert_eq!(closest("servce_time", SERVICE_KEYS), Some("service_time"));
        assert_eq!(closest("zzzzzz", SERVICE_KEYS), None);
    }
}

/// Keys of every part of the format, for the JSON Schema test.
pub mod keys {
    pub use super::super::load_calls::CALL_KEYS;
    pub use super::super::load_faults::FAULT_TYPES;
    pub use super::super::load_kinds::{
        AUTOSCALE_KEYS, BALANCER_KEYS, CACHE_KEYS, DATABASE_KEYS, DNS_KEYS, FUNCTION_KEYS,
        QUEUE_KEYS,
    };
    pub use super::super::load_pricing::PRICING_KEYS;
    pub use super::{EXTERNAL_KEYS, KINDS, LIMIT_KEYS, SERVICE_KEYS, TOP_KEYS, WORKLOAD_KEYS};

    /// The keys a component of `kind` accepts (its declaration's fields, in order); `None` for a
    /// kind the format does not have.
    pub fn of_kind(kind: &str) -> Option<&'static [&'static str]> {
        super::decl::of(kind).map(|k| k.keys)
    }
}
