//! Which work items fall to which shard. Deterministic (the same items and count always give the
//! same assignment, on every machine), and balanced by each item's expected cost, not only by
//! count: a sweep's points at 3x load or with a cache of many keys cost more than others.
//! Longest processing time first: items in decreasing cost (ties by index) each go to the shard
//! with the least cost so far (ties to the lowest shard); its makespan is within 4/3 of the best.

use super::spec::Shard;

/// The 0-based shard of every item.
pub fn by_cost(costs: &[f64], count: u32) -> Vec<u32> {
    let count = count.max(1) as usize;
    let mut order: Vec<usize> = (0..costs.len()).collect();
    let cost = |i: usize| {
        if costs[i].is_finite() {
            costs[i].max(0.0)
        } else {
            0.0
        }
    };
    order.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)).then(a.cmp(&b)));
    let mut load = vec![0.0_f64; count];
    let mut held = vec![0_usize; count];
    let mut out = vec![0; costs.len()];
    for i in order {
        let s = (0..count)
            .min_by(|&a, &b| {
                load[a]
                    .total_cmp(&load[b])
                    .then(held[a].cmp(&held[b]))
                    .then(a.cmp(&b))
            })
            .expect("at least one shard");
        load[s] += cost(i);
        held[s] += 1;
        out[i] = s as u32;
    }
    out
}

/// The items of `shard`, in index order.
pub fn items_of(costs: &[f64], shard: Shard) -> Vec<usize> {
    by_cost(costs, shard.count)
        .into_iter()
        .enumerate()
        .filter(|(_, s)| *s + 1 == shard.index)
        .map(|(i, _)| i)
        .collect()
}

/// The replications of `shard` out of `total`: a contiguous block, sizes differing by at most
/// one (replications of one scenario all cost the same).
pub fn replications_of(total: u32, shard: Shard) -> std::ops::Range<u32> {
    let n = shard.count as u64;
    let k = shard.index as u64 - 1;
    let t = total as u64;
    let start = (t * k / n) as u32;
    let end = (t * (k + 1) / n) as u32;
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_once_and_balanced_by_cost() {
        // One expensive item and many cheap ones: by count, shard 1 would hold the big one and
        // half the rest; by cost, the big one is alone.
        let mut costs = vec![100.0];
        costs.extend(std::iter::repeat_n(1.0, 100));
        let a = by_cost(&costs, 2);
        let load = |s: u32| -> f64 {
            (0..costs.len())
                .filter(|&i| a[i] == s)
                .map(|i| costs[i])
                .sum()
        };
        assert_eq!((load(0), load(1)), (100.0, 100.0));
        let mut seen: Vec<usize> = (1..=2)
            .flat_map(|i| items_of(&costs, Shard { index: i, count: 2 }))
            .collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..costs.len()).collect::<Vec<_>>());
        // More shards than items: the rest are empty, nothing fails.
        assert_eq!(by_cost(&[1.0, 1.0], 5), vec![0, 1]);
        // Equal costs spread by count.
        let even = by_cost(&[1.0; 10], 3);
        for s in 0..3 {
            let n = even.iter().filter(|&&x| x == s).count();
            assert!((3..=4).contains(&n));
        }
    }

    #[test]
    fn replications_cover_the_range_once() {
        for total in [1, 7, 10, 1000] {
            for count in [1, 2, 3, 8, 13] {
                let mut next = 0;
                for index in 1..=count {
                    let r = replications_of(total, Shard { index, count });
                    assert_eq!(r.start, next);
                    assert!(r.len() as u32 <= total.div_ceil(count));
                    next = r.end;
                }
                assert_eq!(next, total);
            }
        }
    }
}
