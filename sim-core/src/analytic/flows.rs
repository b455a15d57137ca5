//! Visit ratios: how many times a request of each workload and operation reaches each component.
//! A request walks the call graph as the engine walks it: a call is made with its probability and
//! only for the operations it names; the steps after a failed step are not made; a parallel step
//! sends all its calls; a balancer or DNS forwards to one target by its policy's shares; a cache
//! goes on to its calls only on a miss; a queue hands each stored message to its consumers, again
//! after each failed delivery up to `max_receives`. A retried call is sent again while it fails,
//! so with nothing failing a call is sent once; with a failure probability q (error rates, refusals
//! by full rooms) and n attempts it is sent 1 + q + ... + q^(n-1) times.

use super::network::{self, Place};
use crate::scenario::{BalancerPolicy, Call, ComponentId, ComponentKind, Scenario, Step};

/// The model's state: inputs derived once from the scenario, and the figures the rounds of
/// [`super::analyse`] refine (arrivals from losses, losses from arrivals).
pub struct Model<'a> {
    pub s: &'a Scenario,
    /// Components, callers before callees (topological over every edge; components on a cycle
    /// through a queue follow in scenario order).
    pub order: Vec<ComponentId>,
    /// Operation slots: `0..ops.len()` the named operations, `ops.len()` none.
    pub slots: usize,
    /// Requests per second of each workload.
    pub rate: Vec<f64>,
    /// Share of a component's arrivals refused (rate limit, full room).
    pub loss: Vec<f64>,
    /// Rate-limited share alone (a balancer's 429s, before the room).
    pub throttle: Vec<f64>,
    /// A cache's hit ratio (0 for other kinds).
    pub hit: Vec<f64>,
    /// The lookups per second `hit` was estimated for.
    pub hit_lookups: Vec<Option<f64>>,
    /// `[slot][c]`: probability a request reaching `c` is answered well.
    pub ok: Vec<Vec<f64>>,
    /// `[w][slot][c]`: arrivals at `c` per request of `w` with that operation.
    pub visits: Vec<Vec<Vec<f64>>>,
    /// `[c][slot]`: offered arrivals per second.
    pub lam: Vec<Vec<f64>>,
    /// Calls sent, per second, over every edge (for bytes and egress).
    pub calls: Vec<CallFlow>,
    /// Timing, filled by [`super::timing::solve`]: `[c][slot]` seconds.
    pub hold: Vec<Vec<f64>>,
    pub resp: Vec<Vec<f64>>,
    /// `[c][slot]`: response with no waiting anywhere (a lower bound).
    pub resp_zero: Vec<Vec<f64>>,
    /// `[c][slot]`: slot holding time with no waiting anywhere downstream (a lower bound).
    pub hold_zero: Vec<Vec<f64>>,
    pub wait: Vec<Option<f64>>,
    /// The component itself or one it waits on is overloaded.
    pub path_overloaded: Vec<bool>,
    /// Waits for a slot from MVA at components only a closed workload visits, seconds.
    pub closed_wait: Vec<Option<f64>>,
    /// Where each component's outgoing calls leave from (see [`Model::departures`]).
    pub from: Vec<network::Spread>,
    /// Where each component's first caller is (a database's `nearest` reads come from there).
    pub caller: Vec<Place>,
    /// Closed workloads: the MVA cycle's response time, seconds.
    pub closed_latency: Vec<Option<f64>>,
}

/// Calls per second from one component to another.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CallFlow {
    pub caller: ComponentId,
    pub callee: ComponentId,
    pub slot: usize,
    pub per_sec: f64,
    pub request_bytes: f64,
    pub response_bytes: f64,
    /// Calls leave from the client's place, not the caller's (a DNS adds no hop).
    pub from_client: Option<Place>,
}

impl<'a> Model<'a> {
    pub fn new(s: &'a Scenario) -> Model<'a> {
        let n = s.components.len();
        let slots = s.ops.len() + 1;
        let mut m = Model {
            s,
            order: order(s),
            slots,
            rate: vec![0.0; s.workloads.len()],
            loss: vec![0.0; n],
            throttle: vec![0.0; n],
            hit: vec![0.0; n],
            hit_lookups: vec![None; n],
            ok: vec![vec![1.0; n]; slots],
            visits: vec![vec![vec![0.0; n]; slots]; s.workloads.len()],
            lam: vec![vec![0.0; slots]; n],
            calls: Vec::new(),
            hold: vec![vec![0.0; slots]; n],
            resp: vec![vec![0.0; slots]; n],
            resp_zero: vec![vec![0.0; slots]; n],
            hold_zero: vec![vec![0.0; slots]; n],
            wait: vec![Some(0.0); n],
            path_overloaded: vec![false; n],
            closed_wait: vec![None; n],
            closed_latency: vec![None; s.workloads.len()],
            from: Vec::new(),
            caller: Vec::new(),
        };
        m.from = (0..n).map(|c| m.departures(c)).collect();
        let mut caller: Vec<Option<Place>> = vec![None; n];
        for (x, comp) in s.components.iter().enumerate() {
            for e in comp.edges() {
                if e.0 < n && caller[e.0].is_none() {
                    caller[e.0] = m.from[x].first().map(|p| p.0);
                }
            }
        }
        m.caller = (0..n)
            .map(|c| caller[c].or_else(|| m.client_place(c)).unwrap_or_default())
            .collect();
        m
    }

    /// The operation of a slot (`None`: no named operation).
    pub fn op(&self, slot: usize) -> Option<usize> {
        (slot < self.s.ops.len()).then_some(slot)
    }

    /// A workload's operation mix as (slot, probability).
    pub fn mix(&self, w: usize) -> Vec<(usize, f64)> {
        let ops = &self.s.workloads[w].ops;
        if ops.len() < 2 {
            vec![(ops.first().map_or(self.s.ops.len(), |o| o.0), 1.0)]
        } else {
            ops.clone()
        }
    }

    /// Offered arrivals per second at each component, all operations.
    pub fn lam_total(&self) -> Vec<f64> {
        self.lam.iter().map(|l| l.iter().sum()).collect()
    }

    /// Whether a call is made for requests of `slot`, and with what probability.
    pub fn made(&self, call: &Call, slot: usize) -> f64 {
        let op_ok = call.ops.is_empty() || self.op(slot).is_some_and(|o| call.ops.contains(&o));
        if op_ok {
            call.probability.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// Probability that a request reaching `c` is admitted and its local work does not fail.
    pub fn admitted(&self, c: ComponentId) -> f64 {
        (1.0 - self.loss[c]) * (1.0 - self.s.components[c].station.error_rate.clamp(0.0, 1.0))
    }

    /// Where a component's outgoing calls leave from: its instances, or for a DNS its clients
    /// (the first workload entering it; its own place otherwise).
    fn departures(&self, c: ComponentId) -> network::Spread {
        if matches!(self.s.components[c].kind, ComponentKind::Dns(_))
            && let Some(p) = self.client_place(c)
        {
            return vec![(p, 1.0)];
        }
        network::spread(self.s, c)
    }

    pub fn client_place(&self, c: ComponentId) -> Option<Place> {
        self.s
            .workloads
            .iter()
            .find(|w| w.entry == c)
            .map(|w| Place {
                region: w.region.map(|r| r as u16),
                zone: None,
            })
    }
}

/// Expected sends of a call that fails with probability `q` per attempt, with `n` attempts.
pub fn attempts(call: &Call, q: f64) -> f64 {
    let n = call.retry.map_or(1, |r| r.attempts.max(1));
    let q = q.clamp(0.0, 1.0);
    (0..n).fold((0.0, 1.0), |(sum, qk), _| (sum + qk, qk * q)).0
}

/// Probability a call (made) fails on every attempt.
pub fn call_fails(call: &Call, q: f64) -> f64 {
    let n = call.retry.map_or(1, |r| r.attempts.max(1));
    libm::pow(q.clamp(0.0, 1.0), n as f64)
}

/// Topological order over every edge (Kahn); what a cycle leaves out follows in scenario order.
pub fn order(s: &Scenario) -> Vec<ComponentId> {
    let n = s.components.len();
    let edges: Vec<Vec<ComponentId>> = s
        .components
        .iter()
        .map(|c| {
            c.edges()
                .into_iter()
                .map(|e| e.0)
                .filter(|&d| d < n)
                .collect()
        })
        .collect();
    let mut indegree = vec![0usize; n];
    for e in &edges {
        for &d in e {
            indegree[d] += 1;
        }
    }
    let mut ready: std::collections::VecDeque<ComponentId> =
        (0..n).filter(|&c| indegree[c] == 0).collect();
    let mut out = Vec::with_capacity(n);
    let mut placed = vec![false; n];
    while let Some(c) = ready.pop_front() {
        out.push(c);
        placed[c] = true;
        for &d in &edges[c] {
            indegree[d] -= 1;
            if indegree[d] == 0 {
                ready.push_back(d);
            }
        }
    }
    out.extend((0..n).filter(|&c| !placed[c]));
    out
}

/// Target components of a balancer or DNS and their shares of its forwarded requests.
pub fn shares(m: &Model, c: ComponentId) -> Vec<(ComponentId, f64)> {
    let s = m.s;
    let (b, dns) = match &s.components[c].kind {
        ComponentKind::LoadBalancer(b) => (b, false),
        ComponentKind::Dns(b) => (b, true),
        ComponentKind::Service
        | ComponentKind::External
        | ComponentKind::Cache(_)
        | ComponentKind::Queue(_)
        | ComponentKind::Database(_)
        | ComponentKind::Function(_)
        | ComponentKind::ObjectStore(_) => return Vec::new(),
    };
    if b.targets.is_empty() {
        return Vec::new();
    }
    let normalise = |w: Vec<f64>| {
        let total: f64 = w.iter().sum();
        b.targets
            .iter()
            .zip(w)
            .map(|(t, x)| (t.component, if total > 0.0 { x / total } else { 0.0 }))
            .collect::<Vec<_>>()
    };
    let one = |i: usize| normalise((0..b.targets.len()).map(|k| f64::from(k == i)).collect());
    match b.policy {
        // A balancer turns over its targets' instances, a DNS over the target components.
        BalancerPolicy::RoundRobin | BalancerPolicy::LeastOutstanding => normalise(
            b.targets
                .iter()
                .map(|t| {
                    if dns {
                        1.0
                    } else {
                        network::instances(s, t.component) as f64
                    }
                })
                .collect(),
        ),
        BalancerPolicy::Weighted => {
            normalise(b.targets.iter().map(|t| t.weight.max(0.0)).collect())
        }
        BalancerPolicy::Failover => one(0),
        BalancerPolicy::Latency => {
            let from = m.from[c].first().map(|p| p.0).unwrap_or_default();
            let nearest = (0..b.targets.len())
                .min_by_key(|&i| {
                    let to = Place {
                        region: s.components[b.targets[i].component]
                            .region
                            .map(|r| r as u16),
                        zone: None,
                    };
                    s.network.delay(from, to).unwrap_or(u64::MAX)
                })
                .unwrap_or(0);
            one(nearest)
        }
    }
}

/// The steps a component makes after its local work (none for balancers, DNS and queues, whose
/// onward traffic is their kind's).
pub fn steps(s: &Scenario, c: ComponentId) -> &[Step] {
    match s.components[c].kind {
        ComponentKind::LoadBalancer(_) | ComponentKind::Dns(_) | ComponentKind::Queue(_) => &[],
        ComponentKind::Service
        | ComponentKind::External
        | ComponentKind::Cache(_)
        | ComponentKind::Database(_)
        | ComponentKind::Function(_)
        | ComponentKind::ObjectStore(_) => &s.components[c].station.steps,
    }
}

pub fn step_calls(step: &Step) -> &[Call] {
    match step {
        Step::Call(c) => std::slice::from_ref(c),
        Step::Parallel(cs) => cs,
    }
}

/// Probability that one step of `c` succeeds for requests of `slot`.
pub fn step_ok(m: &Model, step: &Step, slot: usize) -> f64 {
    step_calls(step)
        .iter()
        .map(|call| 1.0 - m.made(call, slot) * call_fails(call, 1.0 - m.ok[slot][call.to]))
        .product()
}

/// The deliveries of one message to a queue's consumers (again after each failed one).
pub fn receives(m: &Model, c: ComponentId, slot: usize) -> f64 {
    let ComponentKind::Queue(q) = &m.s.components[c].kind else {
        return 0.0;
    };
    let f = (1.0 - m.ok[slot][q.consumers]).clamp(0.0, 1.0);
    (0..q.max_receives.max(1))
        .fold((0.0, 1.0), |(sum, fk), _| (sum + fk, fk * f))
        .0
}

/// Probabilities of a good answer, callees first.
fn answer_ok(m: &mut Model) {
    for slot in 0..m.slots {
        for &c in m.order.iter().rev() {
            let comp = &m.s.components[c];
            let after: f64 = match &comp.kind {
                ComponentKind::LoadBalancer(_) | ComponentKind::Dns(_) => shares(m, c)
                    .iter()
                    .map(|&(t, share)| share * m.ok[slot][t])
                    .sum(),
                ComponentKind::Queue(_) => 1.0,
                ComponentKind::Cache(_) => {
                    let all: f64 = steps(m.s, c)
                        .iter()
                        .map(|st| step_ok(m, st, slot))
                        .product();
                    m.hit[c] + (1.0 - m.hit[c]) * all
                }
                ComponentKind::Service
                | ComponentKind::External
                | ComponentKind::Database(_)
                | ComponentKind::Function(_)
                | ComponentKind::ObjectStore(_) => steps(m.s, c)
                    .iter()
                    .map(|st| step_ok(m, st, slot))
                    .product(),
            };
            m.ok[slot][c] = m.admitted(c) * after;
        }
    }
}

/// Visits of one request of workload `w` with operation `slot`; records its calls (per request).
fn walk(m: &Model, w: usize, slot: usize, calls: &mut Vec<CallFlow>) -> Vec<f64> {
    let s = m.s;
    let wl = &s.workloads[w];
    let mut v = vec![0.0; s.components.len()];
    if wl.entry < v.len() {
        v[wl.entry] = 1.0;
    }
    let mut flow = |caller, callee, per_req: f64, req: Option<f64>, resp: Option<f64>, client| {
        if per_req > 0.0 {
            calls.push(CallFlow {
                caller,
                callee,
                slot,
                per_sec: per_req,
                request_bytes: req.unwrap_or(wl.request_size),
                response_bytes: resp.unwrap_or(wl.response_size),
                from_client: client,
            });
        }
    };
    for &c in &m.order {
        if v[c] <= 0.0 {
            continue;
        }
        let reach = v[c] * m.admitted(c);
        match &s.components[c].kind {
            ComponentKind::LoadBalancer(_) | ComponentKind::Dns(_) => {
                let client = matches!(s.components[c].kind, ComponentKind::Dns(_))
                    .then(|| m.client_place(c))
                    .flatten();
                for (t, share) in shares(m, c) {
                    v[t] += reach * share;
                    flow(c, t, reach * share, None, None, client);
                }
            }
            ComponentKind::Queue(q) => v[q.consumers] += reach * receives(m, c, slot),
            ComponentKind::Service
            | ComponentKind::External
            | ComponentKind::Cache(_)
            | ComponentKind::Database(_)
            | ComponentKind::Function(_)
            | ComponentKind::ObjectStore(_) => {
                let mut r = reach * (1.0 - m.hit[c]);
                for step in steps(s, c) {
                    for call in step_calls(step) {
                        let sends = m.made(call, slot) * attempts(call, 1.0 - m.ok[slot][call.to]);
                        v[call.to] += r * sends;
                        flow(
                            c,
                            call.to,
                            r * sends,
                            call.request_size,
                            call.response_size,
                            None,
                        );
                    }
                    r *= step_ok(m, step, slot);
                }
            }
        }
    }
    v
}

/// One round: answer probabilities, visits, arrivals per second, cache hit ratios.
pub fn propagate(m: &mut Model) {
    answer_ok(m);
    let mut calls = Vec::new();
    let n = m.s.components.len();
    let mut lam = vec![vec![0.0; m.slots]; n];
    for w in 0..m.s.workloads.len() {
        for (slot, p) in m.mix(w) {
            let mut per_request = Vec::new();
            let v = walk(m, w, slot, &mut per_request);
            let rate = m.rate[w] * p;
            for (c, x) in v.iter().enumerate() {
                lam[c][slot] += rate * x;
            }
            calls.extend(per_request.into_iter().map(|f| CallFlow {
                per_sec: f.per_sec * rate,
                ..f
            }));
            m.visits[w][slot] = v;
        }
    }
    for (c, comp) in m.s.components.iter().enumerate() {
        if let ComponentKind::Cache(cache) = &comp.kind {
            let lookups: f64 = lam[c].iter().sum::<f64>() * m.admitted(c);
            // A key model's estimate costs a pass over its keys per step: only when lookups moved.
            if m.hit_lookups[c] != Some(lookups) {
                m.hit[c] = super::cache::hit_ratio(&cache.model, lookups).clamp(0.0, 1.0);
                m.hit_lookups[c] = Some(lookups);
            }
        }
    }
    m.lam = lam;
    m.calls = calls;
}
