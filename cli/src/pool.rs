//! Runs independent pieces of work on `--jobs` threads and returns their results in input order,
//! so what the caller does with them cannot depend on how many threads ran them or which finished
//! first. Plain `std::thread::scope`: the work items are coarse (whole replications), so a work
//! queue of one atomic counter is all the scheduling needed; a crate such as rayon would add a
//! global pool and nothing the results could show.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads to use by default: every core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// `f` applied to every item on up to `jobs` threads; results in the items' order.
pub fn map<T: Sync, R: Send>(items: &[T], jobs: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let jobs = jobs.clamp(1, items.len().max(1));
    if jobs == 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, R)>> = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(item);
                    done.lock()
                        .expect("no thread panics holding it")
                        .push((i, r));
                }
            });
        }
    });
    let mut done = done.into_inner().expect("threads joined");
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_whatever_the_threads() {
        let xs: Vec<u64> = (0..500).collect();
        let slow =
            |x: &u64| (0..(x % 7) * 1000).fold(*x, |a, b| a.wrapping_mul(31).wrapping_add(b));
        let one = super::map(&xs, 1, slow);
        for jobs in [2, 3, 8] {
            assert_eq!(super::map(&xs, jobs, slow), one);
        }
        assert!(super::map(&[] as &[u64], 4, slow).is_empty());
    }
}
