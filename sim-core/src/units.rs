//! Units of the scenario format (contract): durations `250us 20ms 1.5s 10m 2h 1d 5y`, rates `3.6/s
//! 40/h 1000/m`, sizes `512B 4KB 2MB 1GB` (decimal, as cloud bills count them), percentages `99.9%`
//! or fractions `0.999`. A bare number where a unit is needed is an error, never a guess.

use crate::time::{NANOS_PER_MICRO, NANOS_PER_MILLI, NANOS_PER_SEC, SimTime};

/// Longest duration any field accepts: a quarter of what the 64-bit nanosecond clock holds, about
/// 146 years (`u64::MAX` is 584 years). The headroom is what keeps the clock from overflowing: a
/// run ends by then, and the engine adds at most a few such durations (or samples, which
/// `time::from_nanos_f64` caps at 9e18 ns) to the current time, so every `now + d` fits in a `u64`.
pub const MAX_DURATION_NS: u64 = u64::MAX / 4;

/// A year in durations (`y`): 365 days.
pub const YEAR_NS: u64 = 365 * 86_400 * NANOS_PER_SEC;

/// Splits `"1.5ms"` into `(1.5, "ms")`. The number must be a plain finite decimal.
fn split_number(text: &str) -> Option<(f64, &str)> {
    let t = text.trim();
    let end = t
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit() || c == '.' || ((c == '-' || c == '+') && i == 0) || c == '_')
                && !((c == 'e' || c == 'E')
                    && t[i + 1..].starts_with(|d: char| d.is_ascii_digit() || d == '-' || d == '+')
                    && i > 0)
        })
        .map_or(t.len(), |(i, _)| i);
    let (num, unit) = t.split_at(end);
    let num: String = num.chars().filter(|&c| c != '_').collect();
    let v: f64 = num.parse().ok()?;
    v.is_finite().then_some((v, unit.trim()))
}

/// A duration in nanoseconds.
pub fn parse_duration(text: &str) -> Result<SimTime, String> {
    const EXPECT: &str = "expected a duration with a unit, such as `250us`, `20ms`, `1.5s`, `10m`, `2h`, `1d` or `5y`";
    let Some((v, unit)) = split_number(text) else {
        return Err(format!("{EXPECT}, found `{text}`"));
    };
    let scale = match unit {
        "ns" => 1,
        "us" | "µs" => NANOS_PER_MICRO,
        "ms" => NANOS_PER_MILLI,
        "s" => NANOS_PER_SEC,
        "m" | "min" => 60 * NANOS_PER_SEC,
        "h" => 3_600 * NANOS_PER_SEC,
        "d" => 86_400 * NANOS_PER_SEC,
        "y" => YEAR_NS,
        "" => return Err(format!("a bare number `{text}`: {EXPECT}")),
        _ => return Err(format!("unknown unit `{unit}`: {EXPECT}")),
    };
    if v < 0.0 {
        return Err(format!("negative duration `{text}`: expected zero or more"));
    }
    let ns = v * scale as f64;
    if ns > MAX_DURATION_NS as f64 {
        return Err(format!(
            "duration `{text}` is longer than the simulator's clock allows; expected at most {} ({} years)",
            crate::time::format_duration(MAX_DURATION_NS),
            MAX_DURATION_NS / YEAR_NS
        ));
    }
    Ok((ns + 0.5) as u64)
}

/// A rate in events per second.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    const EXPECT: &str = "expected a rate such as `3.6/s`, `1000/m` or `40/h`";
    let Some((count, per)) = text.split_once('/') else {
        return Err(match split_number(text) {
            Some((_, "")) => format!("a bare number `{text}`: {EXPECT}"),
            _ => format!("{EXPECT}, found `{text}`"),
        });
    };
    let Some((v, "")) = split_number(count) else {
        return Err(format!("{EXPECT}, found `{text}`"));
    };
    let secs = match per.trim() {
        "ms" => 1e-3,
        "s" | "sec" => 1.0,
        "m" | "min" => 60.0,
        "h" => 3_600.0,
        "d" => 86_400.0,
        "month" => 730.0 * 3_600.0,
        other => return Err(format!("unknown time unit `/{other}`: {EXPECT}")),
    };
    if v < 0.0 {
        return Err(format!("negative rate `{text}`: expected zero or more"));
    }
    Ok(v / secs)
}

/// A size in bytes (decimal units: 1KB = 1000B).
pub fn parse_size(text: &str) -> Result<f64, String> {
    const EXPECT: &str = "expected a size such as `512B`, `4KB`, `2MB` or `1GB`";
    let Some((v, unit)) = split_number(text) else {
        return Err(format!("{EXPECT}, found `{text}`"));
    };
    let scale = match unit {
        "B" => 1.0,
        "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        "GiB" => 1024.0 * 1024.0 * 1024.0,
        "" => return Err(format!("a bare number `{text}`: {EXPECT}")),
        _ => return Err(format!("unknown unit `{unit}`: {EXPECT}")),
    };
    if v < 0.0 {
        return Err(format!("negative size `{text}`: expected zero or more"));
    }
    Ok(v * scale)
}

/// A fraction in `[0, 1]`, written `99.9%` or `0.999`.
pub fn parse_fraction(text: &str) -> Result<f64, String> {
    const EXPECT: &str = "expected a percentage such as `99.9%` or a fraction such as `0.999`";
    let (v, unit) = split_number(text).ok_or_else(|| format!("{EXPECT}, found `{text}`"))?;
    let f = match unit {
        // `99.9%` must be exactly the double nearest 0.999, so shift the decimal text, not divide.
        "%" => {
            let num = text.trim().trim_end_matches('%').trim().replace('_', "");
            format!("{num}e-2").parse::<f64>().unwrap_or(v / 100.0)
        }
        "" => v,
        _ => return Err(format!("{EXPECT}, found `{text}`")),
    };
    if !(0.0..=1.0).contains(&f) {
        return Err(format!("`{text}` is outside 0..100%: {EXPECT}"));
    }
    Ok(f)
}

/// A plain number (no unit).
pub fn parse_number(text: &str) -> Result<f64, String> {
    match split_number(text) {
        Some((v, "")) => Ok(v),
        _ => Err(format!("expected a number, found `{text}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("250us"), Ok(250_000));
        assert_eq!(parse_duration("20ms"), Ok(20_000_000));
        assert_eq!(parse_duration("1.5s"), Ok(1_500_000_000));
        assert_eq!(parse_duration("10m"), Ok(600 * NANOS_PER_SEC));
        assert_eq!(parse_duration("2h"), Ok(7_200 * NANOS_PER_SEC));
        assert_eq!(parse_duration("1d"), Ok(86_400 * NANOS_PER_SEC));
        assert_eq!(parse_duration("0s"), Ok(0));
        assert_eq!(parse_duration("0.1ms"), Ok(100_000));
        assert!(parse_duration("20").unwrap_err().contains("bare number"));
        assert!(parse_duration("-1s").unwrap_err().contains("negative"));
        assert!(
            parse_duration("5 parsecs")
                .unwrap_err()
                .contains("unknown unit")
        );
        assert_eq!(parse_duration("400d"), Ok(400 * 86_400 * NANOS_PER_SEC));
        assert_eq!(parse_duration("5y"), Ok(5 * YEAR_NS));
        assert_eq!(parse_duration("146y"), Ok(146 * YEAR_NS));
        // Beyond the clock's range: an error saying the bound, never an overflow.
        for too_long in ["147y", "584y", "1e6y", "1e12d"] {
            let e = parse_duration(too_long).unwrap_err();
            assert!(
                e.contains("longer than the simulator's clock allows"),
                "{e}"
            );
            assert!(e.contains("(146 years)"), "{e}");
        }
        assert!(parse_duration("1e400s").is_err());
        assert!(parse_duration("ms").is_err());
    }

    #[test]
    fn rates_sizes_fractions() {
        assert_eq!(parse_rate("3.6/s"), Ok(3.6));
        assert_eq!(parse_rate("40/h"), Ok(40.0 / 3600.0));
        assert_eq!(parse_rate("1000/m"), Ok(1000.0 / 60.0));
        assert!(parse_rate("10").unwrap_err().contains("bare number"));
        assert!(parse_rate("10/fortnight").is_err());
        assert_eq!(parse_size("4KB"), Ok(4000.0));
        assert_eq!(parse_size("1GB"), Ok(1e9));
        assert!(parse_size("4").unwrap_err().contains("bare number"));
        assert_eq!(parse_fraction("99.9%"), Ok(0.999));
        assert_eq!(parse_fraction("0.999"), Ok(0.999));
        assert!(parse_fraction("120%").is_err());
    }
}
