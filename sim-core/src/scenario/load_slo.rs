//! Loading `slo:` expressions: each parsed against the scenario's workload and component names,
//! errors pointing at the offending part of the expression.

use super::{Component, Workload};
use crate::diagnostic::{Diagnostic, Pos, Span};
use crate::slo::{LatencyStat, Metric, Op, Slo};
use crate::units;

const EXPECT: &str = "expected an SLO such as `p99(checkout) < 250ms`, `availability(checkout) >= 99.9%`, `throughput(checkout) >= 100/s`, `utilization(api) < 0.8`, `cost <= 12000/month`, `rto <= 5m`, `rto(checkout) <= 5m` or `rpo <= 1s`";

/// Parses one SLO expression; errors point at the offending part of `text`, which sits at `span`.
pub fn parse(
    text: &str,
    span: Span,
    workloads: &[Workload],
    components: &[Component],
) -> Result<Slo, Diagnostic> {
    let e = Expr {
        text,
        span,
        workloads,
        components,
    };
    let parts = e.parts()?;
    let (metric, threshold) = e.metric(&parts)?;
    Ok(Slo {
        expr: text.to_string(),
        span,
        metric,
        op: parts.op,
        threshold,
    })
}

/// An SLO expression: its text, where the text sits, and the names it may refer to.
struct Expr<'a> {
    text: &'a str,
    span: Span,
    workloads: &'a [Workload],
    components: &'a [Component],
}

/// The parts of `func(arg) op rhs`, each with its byte offset in the text.
struct Parts<'a> {
    func: &'a str,
    arg: Option<&'a str>,
    op: Op,
    rhs: &'a str,
    lhs_col: usize,
    arg_col: usize,
    rhs_col: usize,
}

impl<'a> Expr<'a> {
    /// The place of byte `offset` of the text.
    fn at(&self, offset: usize) -> Span {
        let (text, span) = (self.text, self.span);
        // A one-line scalar whose source is its text (plain), or its text between two quote marks
        // (quoted, no escapes), maps offsets to places directly; otherwise point at the scalar.
        // Columns count characters, offsets bytes.
        let source_len = span.end.byte.saturating_sub(span.start.byte) as usize;
        let open = match source_len.checked_sub(text.len()) {
            Some(0) => 0,
            Some(2) => 1,
            _ => return span,
        };
        match text.get(..offset) {
            Some(before) if span.start.line == span.end.line => Span::point(Pos {
                line: span.start.line,
                col: span.start.col + open + before.chars().count() as u32,
                byte: span.start.byte + open + offset as u32,
            }),
            _ => span,
        }
    }

    fn err(&self, offset: usize, msg: String) -> Diagnostic {
        Diagnostic::error(self.at(offset), msg)
    }

    /// Splits the text at its comparison, and its left side into the metric and its argument
    /// (which must be a name).
    fn parts(&self) -> Result<Parts<'a>, Diagnostic> {
        let text = self.text;
        let op_pos = text.find(['<', '>']).ok_or_else(|| {
            self.err(0, format!("no comparison (`<`, `<=`, `>`, `>=`): {EXPECT}"))
        })?;
        let (lhs, rest) = text.split_at(op_pos);
        let (op, rhs_off) = match rest.as_bytes() {
            [b'<', b'=', ..] => (Op::Le, 2),
            [b'>', b'=', ..] => (Op::Ge, 2),
            [b'<', ..] => (Op::Lt, 1),
            _ => (Op::Gt, 1),
        };
        let rhs = rest[rhs_off..].trim();
        let rhs_col =
            op_pos + rhs_off + (rest[rhs_off..].len() - rest[rhs_off..].trim_start().len());
        let lhs_t = lhs.trim();
        let lhs_col = lhs.len() - lhs.trim_start().len();

        let (func, arg) = match lhs_t.split_once('(') {
            Some((f, a)) => {
                let a = a
                    .strip_suffix(')')
                    .ok_or_else(|| self.err(lhs_col, format!("unclosed `(`: {EXPECT}")))?;
                (f.trim(), Some(a.trim()))
            }
            None => (lhs_t, None),
        };
        let arg_col = lhs_col + func.len() + 1;
        // The argument is a name by the one rule for names (`scenario::name`).
        if let Some(a) = arg
            && let Err(why) = super::name::check(a)
        {
            return Err(self.err(arg_col, format!("the SLO's argument is not a name: {why}")));
        }
        Ok(Parts {
            func,
            arg,
            op,
            rhs,
            lhs_col,
            arg_col,
            rhs_col,
        })
    }

    /// The metric the parts name, and the threshold in the metric's unit.
    fn metric(&self, p: &Parts) -> Result<(Metric, f64), Diagnostic> {
        let value = |parse: fn(&str) -> Result<f64, String>| {
            parse(p.rhs).map_err(|e| self.err(p.rhs_col, e))
        };
        let duration = || units::parse_duration(p.rhs).map_err(|e| self.err(p.rhs_col, e));
        if let Some((_, stat)) = LatencyStat::ALL.iter().find(|(n, _)| *n == p.func) {
            let ms = duration()? as f64 / 1e6;
            return Ok((Metric::Latency(*stat, self.workload(p)?), ms));
        }
        Ok(match p.func {
            "availability" => (
                Metric::Availability(self.workload(p)?),
                value(units::parse_fraction)?,
            ),
            "throughput" => (
                Metric::Throughput(self.workload(p)?),
                value(units::parse_rate)?,
            ),
            "utilization" | "utilisation" => (
                Metric::Utilization(self.component(p)?),
                value(units::parse_fraction)?,
            ),
            "cost" => (Metric::Cost, self.cost(p)?),
            "rto" => (
                Metric::Rto(p.arg.map(|_| self.workload(p)).transpose()?),
                duration()? as f64 / 1e9,
            ),
            "rpo" => (
                Metric::Rpo(p.arg.map(|_| self.workload(p)).transpose()?),
                duration()? as f64 / 1e9,
            ),
            "" => {
                return Err(self.err(
                    p.lhs_col,
                    format!("no metric before the comparison: {EXPECT}"),
                ));
            }
            other => {
                return Err(self.err(p.lhs_col, format!("unknown metric `{other}`: {EXPECT}")));
            }
        })
    }

    /// The argument as a workload of the scenario.
    fn workload(&self, p: &Parts) -> Result<String, Diagnostic> {
        let func = p.func;
        let a = p.arg.ok_or_else(|| {
            self.err(
                p.lhs_col,
                format!("`{func}` needs a workload, as in `{func}(checkout)`"),
            )
        })?;
        if self.workloads.iter().any(|w| w.name == a) {
            Ok(a.to_string())
        } else {
            let names: Vec<&str> = self.workloads.iter().map(|w| w.name.as_str()).collect();
            Err(self.err(
                p.arg_col,
                format!(
                    "unknown workload `{a}` in SLO; expected one of: {}",
                    names.join(", ")
                ),
            ))
        }
    }

    /// The argument as a component of the scenario (for `utilization`).
    fn component(&self, p: &Parts) -> Result<String, Diagnostic> {
        let a = p.arg.ok_or_else(|| {
            self.err(
                p.lhs_col,
                "`utilization` needs a component, as in `utilization(api)`".into(),
            )
        })?;
        if !self.components.iter().any(|c| c.name == a) {
            let names: Vec<&str> = self.components.iter().map(|c| c.name.as_str()).collect();
            return Err(self.err(
                p.arg_col,
                format!(
                    "unknown component `{a}` in SLO; expected one of: {}",
                    names.join(", ")
                ),
            ));
        }
        Ok(a.to_string())
    }

    /// A cost threshold: USD per month, zero or more.
    fn cost(&self, p: &Parts) -> Result<f64, Diagnostic> {
        let rhs = p.rhs;
        let usd = rhs.strip_suffix("/month").unwrap_or(rhs);
        let v = units::parse_number(usd.trim()).map_err(|e| {
            self.err(
                p.rhs_col,
                format!("{e}; expected USD per month such as `12000/month`"),
            )
        })?;
        if v < 0.0 {
            return Err(self.err(
                p.rhs_col,
                format!(
                    "negative cost `{rhs}`; expected USD per month of zero or more, such as `12000/month`"
                ),
            ));
        }
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    /// The (line, column) and message of the single error in a scenario whose SLO list is `slo`.
    fn slo_error(slo: &str) -> (u32, u32, String) {
        let text = format!(
            "version: 1\nname: s\nduration: 1s\ncomponents: {{ api: {{ kind: service, service_time: 1ms }} }}\nworkloads: [ {{ name: wé, entry: api, arrivals: {{ poisson: 1/s }} }} ]\nslo:\n{slo}"
        );
        let e = crate::load(text.as_bytes()).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        let p = e[0].span.start;
        assert_eq!(
            p,
            crate::yaml::pos_of_byte(text.as_bytes(), p.byte as usize)
        );
        (p.line, p.col, e[0].message.clone())
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let (line, col, msg) = slo_error("  - p99(wé) < 250\n");
        assert_eq!((line, col), (7, 15));
        assert!(msg.starts_with("a bare number `250`"), "{msg}");
    }

    #[test]
    fn quoted_expressions_point_inside_the_quotes() {
        let (line, col, msg) = slo_error("  - \"p99(zz) < 1s\"\n");
        assert_eq!((line, col), (7, 10), "{msg}");
        let (_, col, msg) = slo_error("  - 'p99(wé) < 250'\n");
        assert_eq!(col, 16, "{msg}");
        // With an escape the text no longer lines up with the source: point at the scalar.
        let (_, col, _) = slo_error("  - \"p99(\\x7a) < 1s\"\n");
        assert_eq!(col, 5);
    }

    #[test]
    fn cost_must_not_be_negative() {
        let (_, col, msg) = slo_error("  - cost <= -5/month\n");
        assert_eq!(col, 13);
        assert!(msg.starts_with("negative cost"), "{msg}");
    }

    #[test]
    fn an_argument_that_is_no_name_says_what_a_name_may_hold() {
        let (_, col, msg) = slo_error("  - p99(my web) < 1s\n");
        assert_eq!(col, 9);
        assert!(
            msg.contains("not a name: `my web` holds white space"),
            "{msg}"
        );
        let (_, _, msg) = slo_error("  - p99() < 1s\n");
        assert!(msg.contains("an empty name"), "{msg}");
    }

    #[test]
    fn a_missing_metric_is_named() {
        let (_, col, msg) = slo_error("  - < 2s\n");
        assert_eq!(col, 5);
        assert!(msg.starts_with("no metric before the comparison"), "{msg}");
    }
}
