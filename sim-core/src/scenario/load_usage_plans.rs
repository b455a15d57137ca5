//! Loading a load balancer's `rate_limit:`: a token bucket for all requests (`rate`, `burst`) and
//! usage plans (`per_workload:`), one bucket per named workload. Workloads are loaded after
//! components, so plans name their workload here and are resolved once workloads are known.

use super::load::Loader;
use super::{Component, ComponentKind, RateLimit, UsagePlan, Workload};
use crate::diagnostic::Diagnostic;
use crate::units;
use crate::yaml::{Node, Value};

/// The global bucket (if `rate` is given) and the usage plans of a `rate_limit:` block.
pub(super) type RateLimits = (Option<RateLimit>, Vec<UsagePlan>);

impl Loader {
    pub(super) fn rate_limits(&mut self, v: &Node) -> Option<RateLimits> {
        let rf = self.fields(v, "a rate limit", &["rate", "burst", "per_workload"])?;
        let plans = match rf.get("per_workload") {
            None => Vec::new(),
            Some(p) => self.usage_plans(p)?,
        };
        let global = match rf.get("rate") {
            None if !plans.is_empty() => None,
            None => {
                self.required(&rf, "rate", "the rate limit", "a rate such as `1000/s`")?;
                return None;
            }
            Some(r) => Some(self.bucket(r, rf.get("burst"))?),
        };
        Some((global, plans))
    }

    /// `rate` and `burst` (default: one second's worth of `rate`, at least 1).
    fn bucket(&mut self, rate: &Node, burst: Option<&Node>) -> Option<RateLimit> {
        let per_sec = self.unit(rate, "a rate", units::parse_rate)?;
        let burst = match burst {
            None => per_sec.max(1.0),
            Some(x) => self.integer(x, "`burst`", 1, 100_000_000)? as f64,
        };
        Some(RateLimit { per_sec, burst })
    }

    fn usage_plans(&mut self, n: &Node) -> Option<Vec<UsagePlan>> {
        let Value::Map(entries) = &n.value else {
            self.err(
                n.span,
                "expected `per_workload` to map workload names to `{ rate, burst }`, such as `{ noisy: { rate: 50/s } }`",
            );
            return None;
        };
        let mut plans = Vec::new();
        for (k, v) in entries {
            let name = self.scalar(k, "a workload name")?.to_string();
            let f = self.fields(v, "a usage plan", &["rate", "burst"])?;
            let rate = self.required(&f, "rate", "the usage plan", "a rate such as `50/s`")?;
            let limit = self.bucket(rate, f.get("burst"))?;
            plans.push(UsagePlan {
                name,
                span: k.span,
                workload: 0,
                limit,
            });
        }
        Some(plans)
    }

    /// Points every usage plan at its workload; an unknown name is an error at the plan.
    pub(super) fn resolve_usage_plans(
        &mut self,
        components: &mut [Component],
        workloads: &[Workload],
    ) {
        let names: Vec<&str> = workloads.iter().map(|w| w.name.as_str()).collect();
        for c in components.iter_mut() {
            let ComponentKind::LoadBalancer(b) = &mut c.kind else {
                continue;
            };
            for p in &mut b.usage_plans {
                match names.iter().position(|&n| n == p.name) {
                    Some(w) => p.workload = w,
                    None => {
                        let mut d = Diagnostic::error(
                            p.span,
                            format!(
                                "usage plan for unknown workload `{}`; expected one of: {}",
                                p.name,
                                names.join(", ")
                            ),
                        );
                        if let Some(s) = super::load::closest(&p.name, &names) {
                            d = d.with_help(format!("did you mean `{s}`?"));
                        }
                        self.diags.push(d);
                    }
                }
            }
        }
    }
}
