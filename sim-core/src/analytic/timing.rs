//! Times and stations, callees first: a request's slot is held for its local work and, unless the
//! component is `io: async`, for its calls (each call's round trip over the network and the
//! callee's response time, its retries and their backoff); a parallel step lasts at least as long
//! as its slowest call (the model takes the largest mean, a lower bound). Each component's
//! instances are M/M/c stations: per instance for `round_robin` and `random` balancing (arrivals
//! split evenly), pooled for `least_outstanding` and `power_of_two` (joining the shortest queue is
//! close to one shared queue), per node for a database (writes at the primary, reads as `reads:`
//! says). A `queue_limit` makes an instance M/M/c/K. Closed workloads get their throughput from
//! mean value analysis over the components' local work, with the open load's utilisation taken
//! out of each station's capacity.

use super::flows::{self, Model, step_calls, steps};
use super::queueing::positive;
use super::queueing::{self, MvaStation, StationFigures};
use super::{ComponentModel, WorkloadModel};
use crate::scenario::{
    Balance, Call, ComponentId, ComponentKind, Jitter, Replication, WorkloadKind,
};

/// Slots beyond which a station is treated as a fluid (waits and losses negligible below full
/// load): Erlang's recursions cost one step per slot.
const FLUID_SLOTS: u64 = 200_000;

/// Mean local work of a request of `slot` at `c`, seconds (infinite where the law's mean is).
pub fn local_s(m: &Model, c: ComponentId, slot: usize) -> f64 {
    let comp = &m.s.components[c];
    let mean = |d: &crate::dist::Dist| d.mean_ns().map_or(f64::INFINITY, |n| n / 1e9);
    match &comp.kind {
        ComponentKind::Database(d) => {
            if m.op(slot).is_some_and(|o| d.write_ops.contains(&o)) {
                let sync = d.replication == Replication::Sync && d.nodes.len() > 1;
                mean(&d.write_time)
                    + if sync {
                        mean(&d.lag) + mean(&d.apply_time)
                    } else {
                        0.0
                    }
            } else {
                mean(&d.read_time)
            }
        }
        ComponentKind::ObjectStore(o) => {
            if m.op(slot).is_some_and(|op| o.write_ops.contains(&op)) {
                mean(&o.write_time)
            } else {
                mean(&o.read_time)
            }
        }
        ComponentKind::Service
        | ComponentKind::External
        | ComponentKind::LoadBalancer(_)
        | ComponentKind::Dns(_)
        | ComponentKind::Cache(_)
        | ComponentKind::Queue(_)
        | ComponentKind::Function(_) => mean(&comp.station.service_time),
    }
}

fn capped(timeout: Option<u64>, t: f64) -> f64 {
    timeout.map_or(t, |to| t.min(to as f64 / 1e9))
}

/// Expected backoff waited over a call's retries when each attempt fails with probability `q`.
fn backoff_s(call: &Call, q: f64) -> f64 {
    let Some(r) = call.retry else { return 0.0 };
    let factor = match r.jitter {
        Jitter::None => 1.0,
        Jitter::Full => 0.5,
        Jitter::Equal => 0.75,
    };
    let mut total = 0.0;
    let mut qk = q;
    for k in 0..r.attempts.saturating_sub(1).min(64) {
        let b = (r.backoff as f64 * libm::pow(r.multiplier, k as f64)).min(r.max_backoff as f64);
        total += qk * b * factor / 1e9;
        qk *= q;
    }
    total
}

/// Mean time a made call keeps its caller waiting, all attempts included.
fn call_s(m: &Model, c: ComponentId, call: &Call, slot: usize, zero: bool) -> f64 {
    let q = 1.0 - m.ok[slot][call.to];
    let rtt = 2.0 * super::network::mean_delay_s(m.s, &m.from[c], call.to, m.op(slot));
    let callee = if zero {
        m.resp_zero[call.to][slot]
    } else {
        m.resp[call.to][slot]
    };
    flows::attempts(call, q) * capped(call.timeout, rtt + callee) + backoff_s(call, q)
}

/// Mean time after the local work until the request is answered (its calls, its forwarding).
fn after_local_s(m: &Model, c: ComponentId, slot: usize, zero: bool) -> f64 {
    let s = m.s;
    let resp = |t: ComponentId| {
        if zero {
            m.resp_zero[t][slot]
        } else {
            m.resp[t][slot]
        }
    };
    match &s.components[c].kind {
        ComponentKind::LoadBalancer(b) | ComponentKind::Dns(b) => flows::shares(m, c)
            .iter()
            .map(|&(t, share)| {
                let rtt = 2.0 * super::network::mean_delay_s(s, &m.from[c], t, m.op(slot));
                share * capped(b.timeout, rtt + resp(t))
            })
            .sum(),
        ComponentKind::Queue(_) => 0.0,
        ComponentKind::Service
        | ComponentKind::External
        | ComponentKind::Cache(_)
        | ComponentKind::Database(_)
        | ComponentKind::Function(_)
        | ComponentKind::ObjectStore(_) => {
            let mut reach = 1.0 - m.hit[c];
            let mut total = 0.0;
            for step in steps(s, c) {
                let longest = step_calls(step)
                    .iter()
                    .map(|call| m.made(call, slot) * call_s(m, c, call, slot, zero))
                    .fold(0.0, f64::max);
                total += reach * longest;
                reach *= flows::step_ok(m, step, slot);
            }
            total
        }
    }
}

/// Waits and losses of one group of identical slots. Without a room limit the M/M/c wait is
/// scaled by Allen and Cunneen's (ca^2 + cs^2) / 2 for the squared coefficients of variation of
/// the gaps between arrivals and of the holding times (exact for M/M/c, and for M/G/1 where it is
/// Pollaczek-Khinchine); with a room, M/M/c/K as it stands.
fn group(
    servers: u64,
    room: Option<u64>,
    lambda: f64,
    es: f64,
    variability: f64,
) -> Option<StationFigures> {
    if servers > FLUID_SLOTS {
        let a = lambda * es;
        return if a < servers as f64 {
            Some(StationFigures {
                wait_s: 0.0,
                loss: 0.0,
            })
        } else if room.is_some() {
            Some(StationFigures {
                wait_s: 0.0,
                loss: 1.0 - servers as f64 / a,
            })
        } else {
            None
        };
    }
    let c = servers as u32;
    match room {
        None => queueing::mmc(c, lambda, es).map(|f| StationFigures {
            wait_s: f.wait_s * variability,
            ..f
        }),
        Some(q) => {
            let k = (servers + q).min(u32::MAX as u64) as u32;
            Some(queueing::mmck(c, k, lambda, es))
        }
    }
}

/// Servers that take arrivals alike: (arrivals per second, mean holding time, servers, room,
/// variability, identical groups).
type Group = (f64, f64, u64, Option<u64>, f64, f64);

/// The component's waits and refusals from its arrivals and holding times: (mean wait of the
/// admitted or `None` when overloaded, share refused by the room).
fn station(m: &Model, c: ComponentId) -> (Option<f64>, f64) {
    let comp = &m.s.components[c];
    let Some(k) = comp.station.concurrency else {
        return (Some(0.0), 0.0);
    };
    let groups = match &comp.kind {
        ComponentKind::Database(_) => node_groups(m, c, k),
        ComponentKind::Service
        | ComponentKind::External
        | ComponentKind::LoadBalancer(_)
        | ComponentKind::Dns(_)
        | ComponentKind::Cache(_)
        | ComponentKind::Queue(_)
        | ComponentKind::Function(_)
        | ComponentKind::ObjectStore(_) => replica_groups(m, c, k),
    };
    combine(&groups)
}

/// Component `c`'s arrivals per second past its rate limit, with `shares(slot)` of each slot's,
/// and their mean holding time.
fn offered(m: &Model, c: ComponentId, shares: &dyn Fn(usize) -> f64) -> (f64, f64) {
    let past_limit = 1.0 - m.throttle[c];
    let mut lam = 0.0;
    let mut work = 0.0;
    for slot in 0..m.slots {
        let l = m.lam[c][slot] * past_limit * shares(slot);
        lam += l;
        work += l * m.hold[c][slot];
    }
    (lam, if lam > 0.0 { work / lam } else { 0.0 })
}

/// A database's groups: one per node, of `k` connections, taking the traffic meant for its place.
fn node_groups(m: &Model, c: ComponentId, k: u32) -> Vec<Group> {
    let room = m.s.components[c].station.queue_limit.map(u64::from);
    let cs2 = holding_scv(m, c);
    let places = super::network::node_places(m.s, c);
    let from = m.caller[c];
    let mut groups = Vec::new();
    for node in 0..places.len() {
        let share = |slot: usize| {
            super::network::targets(m.s, c, m.op(slot), from)
                .iter()
                .filter(|(p, _)| *p == places[node])
                .map(|(_, w)| w)
                .sum::<f64>()
                .min(1.0)
        };
        let (lam, es) = offered(m, c, &share);
        // Nodes at the same place share the traffic meant for that place.
        let same = places.iter().filter(|p| **p == places[node]).count().max(1) as f64;
        groups.push((lam / same, es, k as u64, room, (1.0 + cs2) / 2.0, 1.0));
    }
    groups
}

/// The groups of a component's replicas of `k` slots each, by how it balances over them: one
/// pool, or each replica alone.
fn replica_groups(m: &Model, c: ComponentId, k: u32) -> Vec<Group> {
    let comp = &m.s.components[c];
    let r = comp.station.replicas.max(1) as u64;
    let room = comp.station.queue_limit.map(u64::from);
    let cs2 = holding_scv(m, c);
    let (lam, es) = offered(m, c, &|_| 1.0);
    vec![match comp.station.balance {
        Balance::LeastOutstanding | Balance::PowerOfTwo => (
            lam,
            es,
            r * k as u64,
            room.map(|q| q * r),
            (1.0 + cs2) / 2.0,
            1.0,
        ),
        // Every r-th arrival of a Poisson stream: Erlang-r gaps, ca^2 = 1/r.
        Balance::RoundRobin => (
            lam / r as f64,
            es,
            k as u64,
            room,
            (1.0 / r as f64 + cs2) / 2.0,
            r as f64,
        ),
        Balance::Random => (
            lam / r as f64,
            es,
            k as u64,
            room,
            (1.0 + cs2) / 2.0,
            r as f64,
        ),
    }]
}

/// The groups' mean wait of the admitted (`None` if one is overloaded) and share refused.
fn combine(groups: &[Group]) -> (Option<f64>, f64) {
    let (mut lam, mut lost, mut waited, mut admitted) = (0.0, 0.0, 0.0, 0.0);
    let mut overloaded = false;
    for &(l, es, servers, room, variability, count) in groups {
        lam += l * count;
        match group(servers, room, l, es, variability) {
            Some(f) => {
                lost += count * l * f.loss;
                waited += count * l * (1.0 - f.loss) * f.wait_s;
                admitted += count * l * (1.0 - f.loss);
            }
            None => overloaded = true,
        }
    }
    let loss = if lam > 0.0 { lost / lam } else { 0.0 };
    let wait = if overloaded {
        None
    } else {
        Some(if admitted > 0.0 {
            waited / admitted
        } else {
            0.0
        })
    };
    (wait, loss)
}

/// Squared coefficient of variation of a component's holding times: its service law's where the
/// slot is held for the local work alone (no calls, or `io: async`), 1 (exponential) otherwise.
fn holding_scv(m: &Model, c: ComponentId) -> f64 {
    let comp = &m.s.components[c];
    let local_only = comp.station.io_async || steps(m.s, c).is_empty();
    let law = match &comp.kind {
        ComponentKind::Service | ComponentKind::External | ComponentKind::Cache(_) => {
            Some(&comp.station.service_time)
        }
        ComponentKind::LoadBalancer(_)
        | ComponentKind::Dns(_)
        | ComponentKind::Queue(_)
        | ComponentKind::Database(_)
        | ComponentKind::Function(_)
        | ComponentKind::ObjectStore(_) => None,
    };
    match law {
        Some(d) if local_only => match (d.mean_ns(), d.second_moment_ns2()) {
            (Some(mean), Some(m2)) if mean > 0.0 => (m2 / (mean * mean) - 1.0).max(0.0),
            _ => 1.0,
        },
        _ => 1.0,
    }
}

/// Holding and response times, waits and losses, callees first.
pub fn solve(m: &mut Model, _zero_only: bool) {
    let order: Vec<ComponentId> = m.order.iter().rev().copied().collect();
    for c in order {
        let comp = &m.s.components[c];
        let err = comp.station.error_rate.clamp(0.0, 1.0);
        for slot in 0..m.slots {
            let local = local_s(m, c, slot);
            let after = (1.0 - err) * after_local_s(m, c, slot, false);
            let after_zero = (1.0 - err) * after_local_s(m, c, slot, true);
            m.hold[c][slot] = local + if comp.station.io_async { 0.0 } else { after };
            m.resp[c][slot] = local + after;
            m.resp_zero[c][slot] = local + after_zero;
            m.hold_zero[c][slot] = local
                + if comp.station.io_async {
                    0.0
                } else {
                    after_zero
                };
        }
        m.throttle[c] = throttle(m, c);
        let (wait, room_loss) = station(m, c);
        let wait = m.closed_wait[c].or(wait);
        m.loss[c] = 1.0 - (1.0 - m.throttle[c]) * (1.0 - room_loss);
        m.wait[c] = wait;
        let w = wait.unwrap_or(0.0);
        for slot in 0..m.slots {
            m.resp[c][slot] += w;
        }
        m.path_overloaded[c] = wait.is_none() || waits_on(m, c).any(|d| m.path_overloaded[d]);
    }
}

/// A balancer's rate limit as a fluid: the share of arrivals beyond `per_sec` is refused.
fn throttle(m: &Model, c: ComponentId) -> f64 {
    let ComponentKind::LoadBalancer(b) = &m.s.components[c].kind else {
        return 0.0;
    };
    let lam: f64 = m.lam[c].iter().sum();
    match b.rate_limit {
        Some(rl) if lam > rl.per_sec => 1.0 - rl.per_sec / lam,
        _ => 0.0,
    }
}

/// The components whose answers `c` waits for (its calls, a balancer's targets).
fn waits_on<'m>(m: &'m Model, c: ComponentId) -> impl Iterator<Item = ComponentId> + 'm {
    m.s.components[c]
        .edges()
        .into_iter()
        .filter(|e| e.2)
        .map(|e| e.0)
}

/// Exact MVA needs one pass per user; beyond this many users Schweitzer's approximation is used.
pub const EXACT_MVA_USERS: u32 = 5_000;

/// Throughput of each closed workload by MVA (see the module docs).
pub fn closed_rates(m: &mut Model) {
    for w in 0..m.s.workloads.len() {
        let WorkloadKind::Closed { users, think_time } = &m.s.workloads[w].kind else {
            continue;
        };
        let think = think_time.mean_ns().map_or(f64::INFINITY, |n| n / 1e9);
        if !think.is_finite() {
            m.rate[w] = 0.0;
            continue;
        }
        let mix = m.mix(w);
        let mut stations = Vec::new();
        let mut at = Vec::new();
        let mut demand_total = 0.0;
        for c in 0..m.s.components.len() {
            let comp = &m.s.components[c];
            let mut demand = 0.0;
            let mut own_busy = 0.0;
            let mut busy = 0.0;
            for slot in 0..m.slots {
                busy += m.lam[c][slot] * (1.0 - m.loss[c]) * m.hold[c][slot];
            }
            for &(slot, p) in &mix {
                let v = p * m.visits[w][slot][c] * (1.0 - m.loss[c]);
                demand += v * local_s(m, c, slot);
                own_busy += m.rate[w] * v * m.hold[c][slot];
            }
            if !positive(demand) {
                continue;
            }
            demand_total += demand;
            let visits: f64 = mix.iter().map(|&(slot, p)| p * m.visits[w][slot][c]).sum();
            at.push((c, demand, visits, busy - own_busy));
            let servers = comp.station.concurrency.map(|k| {
                (k as u64 * comp.station.replicas.max(1) as u64).min(u32::MAX as u64) as u32
            });
            let other = servers.map_or(0.0, |n| ((busy - own_busy) / n as f64).clamp(0.0, 0.999));
            stations.push(MvaStation {
                demand: demand / (1.0 - other),
                servers,
            });
        }
        let zero_latency: f64 = mix
            .iter()
            .map(|&(slot, p)| {
                p * (user_rtt_s(m, w, slot) + m.resp_zero[m.s.workloads[w].entry][slot])
            })
            .sum();
        let delay = (zero_latency - demand_total).max(0.0);
        let r = queueing::mva(*users, think + delay, &stations, EXACT_MVA_USERS);
        m.rate[w] = r.throughput;
        // Components only this workload visits wait as MVA says, not as an open stream would.
        for (k, &(c, demand, visits, other)) in at.iter().enumerate() {
            let alone = other.abs() <= 1e-12 * demand.max(1e-300)
                && (0..m.s.workloads.len())
                    .all(|x| x == w || m.visits[x].iter().all(|v| v[c] == 0.0));
            if alone && visits > 0.0 {
                m.closed_wait[c] = Some(((r.residence[k] - demand) / visits).max(0.0));
            }
        }
        m.closed_latency[w] = (r.throughput > 0.0).then(|| *users as f64 / r.throughput - think);
    }
}

/// Round trip between a workload's users and its entry, seconds.
fn user_rtt_s(m: &Model, w: usize, slot: usize) -> f64 {
    let wl = &m.s.workloads[w];
    let from = super::network::Place {
        region: wl.region.map(|r| r as u16),
        zone: None,
    };
    2.0 * super::network::mean_delay_s(m.s, &[(from, 1.0)], wl.entry, m.op(slot))
}

/// Per-component figures from a solved model.
pub fn component_models(m: &Model) -> Vec<ComponentModel> {
    (0..m.s.components.len())
        .map(|c| {
            let comp = &m.s.components[c];
            let lam: f64 = m.lam[c].iter().sum();
            let past_limit = lam * (1.0 - m.throttle[c]);
            let work: f64 = (0..m.slots)
                .map(|slot| m.lam[c][slot] * (1.0 - m.throttle[c]) * m.hold[c][slot])
                .sum();
            let es = if past_limit > 0.0 {
                work / past_limit
            } else {
                m.hold[c][m.slots - 1]
            };
            let room_loss = 1.0 - (1.0 - m.loss[c]) / (1.0 - m.throttle[c]).max(1e-300);
            let servers = comp.station.concurrency.map(|k| {
                (k as u64 * comp.station.replicas.max(1) as u64).min(u32::MAX as u64) as u32
            });
            let busy = match servers {
                // An overloaded station without a room keeps every slot busy.
                Some(n) => (work * (1.0 - room_loss)).min(n as f64),
                None => work * (1.0 - room_loss),
            };
            let per_slot = |x: f64| servers.map_or(0.0, |n| x / n as f64);
            let resp: f64 = if lam > 0.0 {
                (0..m.slots)
                    .map(|slot| m.lam[c][slot] * m.resp[c][slot])
                    .sum::<f64>()
                    / lam
            } else {
                m.resp[c][m.slots - 1]
            };
            let work_floor: f64 = (0..m.slots)
                .map(|slot| m.lam[c][slot] * (1.0 - m.throttle[c]) * m.hold_zero[c][slot])
                .sum();
            ComponentModel {
                utilization_floor: per_slot(work_floor),
                arrival_rps: lam,
                servers,
                utilization: per_slot(work),
                wait_ms: m.wait[c].map(|w| w * 1e3).filter(|w| w.is_finite()),
                response_ms: (!m.path_overloaded[c] && resp.is_finite()).then_some(resp * 1e3),
                loss: m.loss[c],
                availability: super::availability::component(m.s, c),
                mechanisms: super::mechanisms::of(m.s, c),
                busy_mean: busy,
                carried_utilization: per_slot(busy),
                service_ms: es * 1e3,
                hit_ratio: matches!(comp.kind, ComponentKind::Cache(_)).then_some(m.hit[c]),
            }
        })
        .collect()
}

/// Per-workload figures from a solved model.
pub fn workload_models(m: &Model, components: &[ComponentModel]) -> Vec<WorkloadModel> {
    (0..m.s.workloads.len())
        .map(|w| {
            let wl = &m.s.workloads[w];
            let mix = m.mix(w);
            let latency = match wl.kind {
                WorkloadKind::Closed { .. } => m.closed_latency[w],
                WorkloadKind::Open(_) => (!m.path_overloaded[wl.entry]).then(|| {
                    mix.iter()
                        .map(|&(slot, p)| p * (user_rtt_s(m, w, slot) + m.resp[wl.entry][slot]))
                        .sum::<f64>()
                }),
            };
            WorkloadModel {
                latency_ms: latency.map(|l| l * 1e3).filter(|l| l.is_finite()),
                availability: super::availability::workload(m, w, components),
                throughput_rps: m.rate[w],
                visited: (0..m.s.components.len())
                    .filter(|&c| mix.iter().any(|&(slot, _)| m.visits[w][slot][c] > 0.0))
                    .collect(),
            }
        })
        .collect()
}
