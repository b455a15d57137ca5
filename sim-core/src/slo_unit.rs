//! The unit of an SLO's measured value (`slo[].unit` in the report) and the one function that
//! writes such a value for people: the run summary, `archsim check`'s Markdown and JUnit, the HTML
//! page and the browser app all print SLO values through [`SloUnit::format`], so `91.0 ms`,
//! `99.99922%`, `16 min` and `$2,250/month` read the same everywhere.

use crate::slo::Metric;
use serde::{Deserialize, Serialize};

/// What `slo[].value` (and its `ci95`) is measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SloUnit {
    /// Milliseconds: latency percentiles and means.
    Ms,
    /// Seconds: RTO and RPO.
    S,
    /// A fraction from 0 to 1: availability and utilisation.
    Ratio,
    /// Requests per second: throughput.
    Rps,
    /// US dollars per month: cost.
    UsdPerMonth,
}

impl SloUnit {
    /// The unit of what `metric` measures.
    pub fn of(metric: &Metric) -> SloUnit {
        match metric {
            Metric::Latency(..) => SloUnit::Ms,
            Metric::Availability(_) | Metric::Utilization(_) => SloUnit::Ratio,
            Metric::Throughput(_) => SloUnit::Rps,
            Metric::Cost => SloUnit::UsdPerMonth,
            Metric::Rto(_) | Metric::Rpo(_) => SloUnit::S,
        }
    }

    /// `value` (in this unit) for people: `91.0 ms`, `100.000%` (with as many decimals as it takes
    /// to show two significant digits of what is missing to 100 %, up to 9: `99.99922%`),
    /// `412.5/s`, `$2,250/month`, and durations in seconds by their size (`850 ms`, `1.5 s`,
    /// `16 min`, `26.0 h`, `3.2 d`). Non-finite values print as `infinite`.
    pub fn format(self, value: f64) -> String {
        if !value.is_finite() {
            return "infinite".into();
        }
        match self {
            SloUnit::Ms => format!("{} ms", grouped(value, 1)),
            SloUnit::S => duration(value),
            SloUnit::Ratio => percent(value),
            SloUnit::Rps => format!("{}/s", grouped(value, 1)),
            SloUnit::UsdPerMonth if value.abs() >= 100.0 => format!("${}/month", grouped(value, 0)),
            SloUnit::UsdPerMonth => format!("${}/month", grouped(value, 2)),
        }
    }
}

/// Seconds as a duration in the unit that fits its size.
fn duration(s: f64) -> String {
    let a = s.abs();
    if a < 1.0 {
        format!("{:.0} ms", s * 1e3)
    } else if a < 100.0 {
        format!("{s:.1} s")
    } else if a < 6000.0 {
        format!("{:.0} min", s / 60.0)
    } else if a < 48.0 * 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{} d", grouped(s / 86400.0, 1))
    }
}

/// A fraction as a percentage with at least three decimals, more while fewer than two significant
/// digits of the shortfall to 100 % would show.
fn percent(x: f64) -> String {
    let shortfall = (1.0 - x) * 100.0;
    let mut decimals = 3;
    // 10^(1 - decimals): the shortfall needs two digits at that resolution.
    let mut resolution = 0.01;
    while shortfall > 0.0 && shortfall < resolution && decimals < 9 {
        decimals += 1;
        resolution /= 10.0;
    }
    format!("{:.*}%", decimals, x * 100.0)
}

/// `x` with `decimals` decimals and a comma between groups of three integer digits.
fn grouped(x: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text
        .split_once('.')
        .map_or((&text[..], ""), |(i, f)| (i, f));
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    if x < 0.0 && text.bytes().any(|b| b.is_ascii_digit() && b != b'0') {
        out.push('-');
    }
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::SloUnit::*;

    #[test]
    fn each_unit_reads_as_people_write_it() {
        assert_eq!(Ms.format(90.964), "91.0 ms");
        assert_eq!(Ms.format(12_345.67), "12,345.7 ms");
        assert_eq!(Rps.format(399.96), "400.0/s");
        assert_eq!(UsdPerMonth.format(2250.4), "$2,250/month");
        assert_eq!(UsdPerMonth.format(1_234_567.0), "$1,234,567/month");
        assert_eq!(UsdPerMonth.format(12.345), "$12.35/month");
        assert_eq!(S.format(960.0), "16 min");
        assert_eq!(S.format(90.0), "90.0 s");
        assert_eq!(S.format(1.46), "1.5 s");
        assert_eq!(S.format(0.25), "250 ms");
        assert_eq!(S.format(26.0 * 3600.0), "26.0 h");
        assert_eq!(S.format(5.0 * 86400.0), "5.0 d");
        assert_eq!(S.format(f64::INFINITY), "infinite");
    }

    #[test]
    fn availability_shows_what_is_missing_to_one_hundred_percent() {
        assert_eq!(Ratio.format(1.0), "100.000%");
        assert_eq!(Ratio.format(0.999), "99.900%");
        assert_eq!(Ratio.format(0.9999922), "99.99922%");
        assert_eq!(Ratio.format(0.5), "50.000%");
        // Never rounds a shortfall away: 1 - 1e-9 is not 100 %.
        assert_ne!(Ratio.format(1.0 - 1e-9), Ratio.format(1.0));
    }

    #[test]
    fn negative_values_keep_their_sign_and_zero_has_none() {
        assert_eq!(Ms.format(-1234.5), "-1,234.5 ms");
        assert_eq!(Ms.format(-0.01), "0.0 ms");
    }
}
