//! The one table of ranges for the values a memory or time budget follows from: counts that size
//! the state (instances, slots, users, keys, requests in flight), rates that size the event rate,
//! and intervals that set how often a periodic event fires over a run of up to 366 days. The loader
//! refuses a value outside its range with the range in the message (`autoscale.interval is 0s;
//! expected a duration from 1s to 1d`); docs/limits.md lists the same table, and a test checks
//! that every entry is listed there.

use crate::time::{NANOS_PER_SEC, SimTime};

/// A whole number's accepted range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Count {
    /// Where the value is written, for the message and the docs (`replicas`, `limits.max_in_flight`).
    pub key: &'static str,
    pub min: u64,
    pub max: u64,
    /// What the ceiling protects, for the docs.
    pub why: &'static str,
}

/// A periodic interval's accepted range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Interval {
    pub key: &'static str,
    pub min: SimTime,
    pub max: SimTime,
    pub why: &'static str,
}

const S: SimTime = NANOS_PER_SEC;
const DAY: SimTime = 86_400 * S;

pub const REPLICAS: Count = Count {
    key: "replicas",
    min: 1,
    max: 10_000,
    why: "instances are simulated one by one",
};
pub const CONCURRENCY: Count = Count {
    key: "concurrency",
    min: 1,
    max: 1_000_000,
    why: "slots per instance",
};
pub const USERS: Count = Count {
    key: "users",
    min: 1,
    max: 10_000_000,
    why: "each user is a request in flight",
};
pub const REPLICATIONS: Count = Count {
    key: "replications",
    min: 1,
    max: 1_000,
    why: "running time grows with each",
};
pub const CACHE_KEYS: Count = Count {
    key: "cache keys, capacity",
    min: 1,
    max: 2_000_000,
    why: "the cache keeps one entry per key",
};
pub const MAX_IN_FLIGHT: Count = Count {
    key: "limits.max_in_flight",
    min: 1,
    max: 10_000_000,
    why: "memory: about 100 bytes per request in flight, 1 GB at the ceiling",
};
pub const MAX_EVENTS: Count = Count {
    key: "limits.max_events",
    min: 1,
    max: 1_000_000_000_000,
    why: "running time: hours of wall-clock time at the ceiling",
};

/// Arrival rates, per second: the event rate follows (10 million a second is already minutes of
/// wall-clock time per simulated second).
pub const MAX_RATE_PER_SEC: f64 = 10_000_000.0;

pub const HEALTH_CHECK_INTERVAL: Interval = Interval {
    key: "health_check.interval",
    min: S / 10,
    max: DAY,
    why: "one check per target per interval",
};
pub const AUTOSCALE_INTERVAL: Interval = Interval {
    key: "autoscale.interval",
    min: S,
    max: DAY,
    why: "one decision per interval",
};
pub const BACKUP_INTERVAL: Interval = Interval {
    key: "backup.interval",
    min: 60 * S,
    max: 366 * DAY,
    why: "one backup per interval",
};

/// Every count, for the docs and their test.
pub const COUNTS: &[Count] = &[
    REPLICAS,
    CONCURRENCY,
    USERS,
    REPLICATIONS,
    CACHE_KEYS,
    MAX_IN_FLIGHT,
    MAX_EVENTS,
];
/// Every interval, for the docs and their test.
pub const INTERVALS: &[Interval] = &[HEALTH_CHECK_INTERVAL, AUTOSCALE_INTERVAL, BACKUP_INTERVAL];

impl Interval {
    /// `None` when `t` is within the range, else the message (`autoscale.interval is 0s; ...`).
    pub fn refuse(&self, t: SimTime) -> Option<String> {
        let f = |t: SimTime| match t {
            0 => "0s".to_string(),
            t => crate::time::format_duration(t),
        };
        (!(self.min..=self.max).contains(&t)).then(|| {
            format!(
                "`{}` is {}; expected a duration from {} to {} ({})",
                self.key,
                f(t),
                f(self.min),
                f(self.max),
                self.why
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS_MD: &str = include_str!("../../../docs/limits.md");

    /// `10000` as docs/limits.md writes it: `10 000`.
    fn spaced(n: u64) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(' ');
            }
            out.push(c);
        }
        out
    }

    #[test]
    fn docs_list_every_range() {
        for c in COUNTS {
            let range = format!("{} to {}", spaced(c.min), spaced(c.max));
            assert!(
                LIMITS_MD.contains(&range),
                "docs/limits.md lacks `{range}` ({})",
                c.key
            );
        }
        for i in INTERVALS {
            let f = crate::time::format_duration;
            let row = format!("| `{}` | `{}` to `{}` |", i.key, f(i.min), f(i.max));
            assert!(LIMITS_MD.contains(&row), "docs/limits.md lacks `{row}`");
        }
    }

    #[test]
    fn intervals_refuse_outside_their_range_only() {
        let r = AUTOSCALE_INTERVAL;
        assert_eq!(
            r.refuse(0).as_deref(),
            Some(
                "`autoscale.interval` is 0s; expected a duration from 1s to 1d (one decision per interval)"
            )
        );
        assert!(r.refuse(r.min).is_none() && r.refuse(r.max).is_none());
        assert!(r.refuse(r.min - 1).is_some() && r.refuse(r.max + 1).is_some());
    }
}
