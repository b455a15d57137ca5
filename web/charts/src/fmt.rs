//! Formats the charts' captions and labels use, public so the pages around the charts write
//! the same figures the same way.

/// A length of time for prose: `45 s`, `25 min`, `2.5 h`.
pub fn fmt_span(s: f64) -> String {
    let short = |v: f64| {
        let t = format!("{v:.1}");
        t.strip_suffix(".0").map(str::to_string).unwrap_or(t)
    };
    if s < 120.0 {
        format!("{} s", short(s))
    } else if s < 7200.0 {
        format!("{} min", short(s / 60.0))
    } else {
        format!("{} h", short(s / 3600.0))
    }
}

/// A point in the run as a clock: `6:00`, `1:02:30`; fractions of a second are kept when present.
pub fn fmt_clock(s: f64) -> String {
    let whole = s.floor();
    let frac = s - whole;
    let t = whole as u64;
    let base = if t >= 3600 {
        format!("{}:{:02}:{:02}", t / 3600, t / 60 % 60, t % 60)
    } else {
        format!("{}:{:02}", t / 60, t % 60)
    };
    if frac > 1e-9 {
        format!("{base}{}", &format!("{frac:.3}")[1..])
    } else {
        base
    }
}

/// An availability as a percentage with enough digits to show how far it is from 100 %: at least
/// three decimals, and two significant digits of the unavailability (`99.99922 %` for 0.9999922,
/// not `100.000 %`); at most seven. Without the space and sign: `99.99922`.
pub fn fmt_availability(a: f64) -> String {
    // The smallest d (3 to 7) with missing * 10^(d-1) >= 1: two significant digits of it.
    let missing = (1.0 - a) * 100.0;
    let mut decimals = 3;
    while decimals < 7 && missing > 0.0 && missing * 10f64.powi(decimals as i32 - 1) < 1.0 {
        decimals += 1;
    }
    format!("{:.decimals$}", a * 100.0)
}

/// US dollars: cents below $100, whole dollars with thousands separators from there: `$12.50`,
/// `$1,235`.
pub fn fmt_usd(v: f64) -> String {
    if v >= 100.0 {
        let whole = format!("{v:.0}");
        let mut o = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                o.push(',');
            }
            o.push(c);
        }
        format!("${o}")
    } else {
        format!("${v:.2}")
    }
}

/// Text escaped for HTML and inline SVG (text and attribute values), for the pages that show the
/// charts: `archsim report --html` and the browser app.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '&' => o.push_str("&amp;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clocks_spans_and_dollars() {
        assert_eq!(fmt_clock(360.0), "6:00");
        assert_eq!(fmt_clock(3725.0), "1:02:05");
        assert_eq!(fmt_clock(1.5), "0:01.500");
        assert_eq!(fmt_span(45.0), "45 s");
        assert_eq!(fmt_span(1500.0), "25 min");
        assert_eq!(fmt_span(90.0 * 60.0), "90 min");
        assert_eq!(fmt_span(9000.0), "2.5 h");
        assert_eq!(fmt_usd(1234.6), "$1,235");
        assert_eq!(fmt_usd(123_456_789.0), "$123,456,789");
        assert_eq!(fmt_usd(12.5), "$12.50");
    }
}

#[cfg(test)]
mod availability_tests {
    use super::fmt_availability;

    #[test]
    fn availability_keeps_the_digits_that_matter() {
        assert_eq!(fmt_availability(0.9999922), "99.99922");
        assert_eq!(fmt_availability(0.999), "99.900");
        assert_eq!(fmt_availability(0.9), "90.000");
        assert_eq!(fmt_availability(1.0), "100.000");
        assert_eq!(fmt_availability(0.9999985), "99.99985");
        // Seven decimals at most.
        assert_eq!(fmt_availability(0.99999999999), "100.0000000");
    }
}
