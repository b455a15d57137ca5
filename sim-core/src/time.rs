//! Virtual time. The engine counts integer nanoseconds from the start of a replication, so event order
//! and every report figure are exact and identical on every platform (no floating-point clock drift).

/// A point in simulated time or a simulated duration, in nanoseconds.
pub type SimTime = u64;

/// Nanoseconds in a microsecond.
pub const NANOS_PER_MICRO: u64 = 1_000;
/// Nanoseconds in a millisecond.
pub const NANOS_PER_MILLI: u64 = 1_000_000;
/// Nanoseconds in a second.
pub const NANOS_PER_SEC: u64 = 1_000_000_000;

/// Seconds as `f64`, for reports.
pub fn to_secs(t: SimTime) -> f64 {
    t as f64 / NANOS_PER_SEC as f64
}

/// Milliseconds as `f64`, for reports.
pub fn to_millis(t: SimTime) -> f64 {
    t as f64 / NANOS_PER_MILLI as f64
}

/// A sampled duration in nanoseconds (possibly fractional, never negative) rounded to the clock's grain.
#[inline]
pub fn from_nanos_f64(ns: f64) -> SimTime {
    if ns.is_nan() || ns <= 0.0 {
        0
    } else if ns >= 9.0e18 {
        9_000_000_000_000_000_000
    } else {
        // `as` rounds toward zero; add one half for round-to-nearest. Exact on every target. Through
        // i64 (below 9.0e18 + 0.5 < 2^63, so the same integer): one instruction on x86_64, where a
        // conversion to u64 takes a compare and two.
        (ns + 0.5) as i64 as u64
    }
}

/// Formats a duration the way a scenario file writes it (`250us`, `20ms`, `1.5s`), for messages.
pub fn format_duration(t: SimTime) -> String {
    const UNITS: [(u64, &str); 7] = [
        (365 * 86_400 * NANOS_PER_SEC, "y"),
        (86_400 * NANOS_PER_SEC, "d"),
        (3_600 * NANOS_PER_SEC, "h"),
        (60 * NANOS_PER_SEC, "m"),
        (NANOS_PER_SEC, "s"),
        (NANOS_PER_MILLI, "ms"),
        (NANOS_PER_MICRO, "us"),
    ];
    const YEAR: u64 = 365 * 86_400 * NANOS_PER_SEC;
    for (unit, name) in UNITS {
        // Years only for whole years or two and more: `366d` stays in days.
        if unit == YEAR && !t.is_multiple_of(YEAR) && t < 2 * YEAR {
            continue;
        }
        if t >= unit {
            let v = t as f64 / unit as f64;
            return format!("{}{}", trim_float(v), name);
        }
    }
    format!("{t}ns")
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_nearest_nanosecond() {
        assert_eq!(from_nanos_f64(0.49), 0);
        assert_eq!(from_nanos_f64(0.5), 1);
        assert_eq!(from_nanos_f64(-3.0), 0);
        assert_eq!(from_nanos_f64(f64::NAN), 0);
        assert_eq!(from_nanos_f64(1.5e9), 1_500_000_000);
    }

    #[test]
    fn formats_like_scenario_files() {
        assert_eq!(format_duration(250 * NANOS_PER_MICRO), "250us");
        assert_eq!(format_duration(1_500 * NANOS_PER_MILLI), "1.5s");
        assert_eq!(format_duration(600 * NANOS_PER_SEC), "10m");
        assert_eq!(format_duration(7), "7ns");
        assert_eq!(format_duration(2 * 86_400 * NANOS_PER_SEC), "2d");
        assert_eq!(format_duration(5 * 365 * 86_400 * NANOS_PER_SEC), "5y");
        assert_eq!(format_duration(366 * 86_400 * NANOS_PER_SEC), "366d");
    }
}
