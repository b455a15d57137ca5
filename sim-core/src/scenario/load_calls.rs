//! Loading a service's `calls:`: plain calls, `parallel` groups, and each call's `timeout`, `retry`,
//! `circuit_breaker`, `probability` and `op` filter.

use super::load::{Fields, Loader, closest};
use super::{Call, CircuitBreaker, Jitter, Retry, Step};
use crate::diagnostic::Diagnostic;
use crate::units;
use crate::yaml::{Node, Value};

/// Keys of one call.
pub const CALL_KEYS: &[&str] = &[
    "to",
    "timeout",
    "retry",
    "circuit_breaker",
    "probability",
    "op",
    "request_size",
    "response_size",
    "routing",
];

impl Loader {
    pub(super) fn steps(&mut self, n: &Node, names: &[&str]) -> Option<Vec<Step>> {
        let Value::Seq(items) = &n.value else {
            if n.is_null() {
                return Some(Vec::new());
            }
            self.err(
                n.span,
                format!(
                    "expected `calls` to be a list such as `- to: db`, found {}",
                    n.kind_name()
                ),
            );
            return None;
        };
        let mut out = Vec::new();
        let mut ok = true;
        for item in items {
            let group = match &item.value {
                Value::Map(e) if e.len() == 1 && e[0].0.as_scalar() == Some("parallel") => {
                    Some(&e[0].1)
                }
                _ => None,
            };
            let step = match group {
                Some(g) => match &g.value {
                    Value::Seq(calls) if !calls.is_empty() => {
                        let cs: Vec<Option<Call>> =
                            calls.iter().map(|c| self.call(c, names)).collect();
                        cs.into_iter()
                            .collect::<Option<Vec<_>>>()
                            .map(Step::Parallel)
                    }
                    _ => {
                        self.err(
                            g.span,
                            "expected `parallel:` to be a non-empty list of calls",
                        );
                        None
                    }
                },
                None => self.call(item, names).map(Step::Call),
            };
            match step {
                Some(s) => out.push(s),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn call(&mut self, item: &Node, names: &[&str]) -> Option<Call> {
        let (target, f) = match &item.value {
            Value::Scalar { .. } => (item, None),
            _ => {
                let f = self.fields(item, "a call", CALL_KEYS)?;
                (
                    self.required(&f, "to", "the call", "the name of the component called")?,
                    Some(f),
                )
            }
        };
        let to = self.callee(target, names)?;
        let mut call = Call {
            to,
            span: target.span,
            timeout: None,
            retry: None,
            circuit_breaker: None,
            probability: 1.0,
            ops: Vec::new(),
            request_size: None,
            response_size: None,
            routing: None,
        };
        if let Some(f) = f {
            self.call_options(&f, &mut call)?;
        }
        Some(call)
    }

    /// The component a call's `target` names, as an index.
    fn callee(&mut self, target: &Node, names: &[&str]) -> Option<usize> {
        let to_name = self.scalar(target, "a component name")?;
        let Some(to) = names.iter().position(|&c| c == to_name) else {
            let mut d = Diagnostic::error(
                target.span,
                format!(
                    "call to unknown component `{to_name}`; expected one of: {}",
                    names.join(", ")
                ),
            );
            if let Some(s) = closest(to_name, names) {
                d = d.with_help(format!("did you mean `{s}`?"));
            }
            self.diags.push(d);
            return None;
        };
        Some(to)
    }

    /// A call's options beside `to`, into `call`.
    fn call_options(&mut self, f: &Fields, call: &mut Call) -> Option<()> {
        if let Some(v) = f.get("routing") {
            call.routing = Some(self.routing(v)?);
        }
        if let Some(v) = f.get("timeout") {
            let t = self.duration(v)?;
            if t == 0 {
                self.err(
                    v.span,
                    "`timeout` is zero; expected a positive duration such as `2s`",
                );
                return None;
            }
            call.timeout = Some(t);
        }
        if let Some(v) = f.get("probability") {
            call.probability = self.unit(
                v,
                "a probability such as `0.3` or `30%`",
                units::parse_fraction,
            )?;
        }
        if let Some(v) = f.get("op") {
            let list: Vec<&Node> = match &v.value {
                Value::Seq(items) => items.iter().collect(),
                _ => vec![v],
            };
            for o in list {
                let name = self
                    .scalar(o, "an operation name such as `write`")?
                    .to_string();
                let id = self.op(&name);
                call.ops.push(id);
            }
        }
        if let Some(v) = f.get("request_size") {
            call.request_size = Some(self.unit(v, "a size such as `2KB`", units::parse_size)?);
        }
        if let Some(v) = f.get("response_size") {
            call.response_size = Some(self.unit(v, "a size such as `20KB`", units::parse_size)?);
        }
        if let Some(v) = f.get("retry") {
            call.retry = Some(self.retry(v)?);
        }
        if let Some(v) = f.get("circuit_breaker") {
            call.circuit_breaker = Some(self.breaker(v)?);
        }
        Some(())
    }

    /// `retry: { attempts: 3, backoff: 500ms, multiplier: 2, max_backoff: 2s, jitter: full }`.
    fn retry(&mut self, n: &Node) -> Option<Retry> {
        let f = self.fields(
            n,
            "a retry policy",
            &["attempts", "backoff", "multiplier", "max_backoff", "jitter"],
        )?;
        let attempts = self.required(
            &f,
            "attempts",
            "the retry policy",
            "the total number of attempts, such as `3`",
        )?;
        let attempts = self.integer(attempts, "`attempts`", 1, 100)? as u32;
        let backoff = match f.get("backoff") {
            None => 0,
            Some(v) => self.duration(v)?,
        };
        let multiplier = match f.get("multiplier") {
            None => 2.0,
            Some(v) => {
                let m = self.unit(v, "a number such as `2`", units::parse_number)?;
                if !(1.0..=100.0).contains(&m) {
                    self.err(
                        v.span,
                        format!("multiplier {m}; expected a number from 1 to 100"),
                    );
                    return None;
                }
                m
            }
        };
        let max_backoff = match f.get("max_backoff") {
            None => crate::units::MAX_DURATION_NS,
            Some(v) => self.duration(v)?,
        };
        let jitter = match f.get("jitter") {
            None => Jitter::None,
            Some(v) => match self.scalar(v, "`none`, `full` or `equal`")? {
                "none" => Jitter::None,
                "full" => Jitter::Full,
                "equal" => Jitter::Equal,
                other => {
                    self.err(v.span, format!("unknown jitter `{other}`; expected `none`, `full` (uniform in [0, backoff]) or `equal` (uniform in [backoff/2, backoff])"));
                    return None;
                }
            },
        };
        Some(Retry {
            attempts,
            backoff,
            multiplier,
            max_backoff,
            jitter,
        })
    }

    /// `circuit_breaker: { failure_ratio: 50%, window: 20, min_calls: 10, open_for: 30s }`.
    fn breaker(&mut self, n: &Node) -> Option<CircuitBreaker> {
        let f = self.fields(
            n,
            "a circuit breaker",
            &["failure_ratio", "window", "min_calls", "open_for"],
        )?;
        let failure_ratio = match f.get("failure_ratio") {
            None => 0.5,
            Some(v) => self.unit(v, "a percentage such as `50%`", units::parse_fraction)?,
        };
        let window = match f.get("window") {
            None => 20,
            Some(v) => self.integer(v, "`window` (calls)", 1, 10_000)? as u32,
        };
        let min_calls = match f.get("min_calls") {
            None => window.min(10),
            Some(v) => self.integer(v, "`min_calls`", 1, window as u64)? as u32,
        };
        let open_for = match f.get("open_for") {
            None => 30 * crate::time::NANOS_PER_SEC,
            Some(v) => self.duration(v)?,
        };
        Some(CircuitBreaker {
            failure_ratio,
            window,
            min_calls,
            open_for,
        })
    }
}
