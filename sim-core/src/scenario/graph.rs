//! Structural checks on the call graph (with `petgraph`): call cycles are errors (a synchronous cycle
//! would recurse without end), a closed workload whose users never wait (zero think time, and zero
//! service time everywhere it reaches) is an error (simulated time would never advance, and the run
//! would spin until `max_events`), components no workload reaches are warnings (they cost but never
//! run). Unknown names are caught while loading, where the offending text is at hand.

use super::{Scenario, WorkloadKind};
use crate::diagnostic::Diagnostic;
use petgraph::algo::kosaraju_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::Dfs;

/// Errors (cycles) or warnings (unreachable components).
pub fn check(s: &Scenario) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let (g, all, nodes) = call_graphs(s);
    let errors = call_cycles(s, &g);
    if !errors.is_empty() {
        return Err(errors);
    }
    let errors = missing_links(s);
    if !errors.is_empty() {
        return Err(errors);
    }
    let (reached, errors) = reach(s, &all, &nodes);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(s.components
        .iter()
        .zip(reached)
        .filter(|(_, r)| !r)
        .map(|(c, _)| {
            Diagnostic::warning(
                c.span,
                format!(
                    "component `{}` is not reached by any workload; it will sit idle",
                    c.name
                ),
            )
        })
        .collect())
}

/// The call graphs, one node per component: the synchronous edges (the caller waits: cycles there
/// never complete), and all edges, adding queues handing messages to their consumers, for
/// reachability.
fn call_graphs(s: &Scenario) -> (DiGraph<usize, usize>, DiGraph<usize, usize>, Vec<NodeIndex>) {
    let mut g: DiGraph<usize, usize> = DiGraph::new();
    let nodes: Vec<NodeIndex> = (0..s.components.len()).map(|i| g.add_node(i)).collect();
    let mut all = g.clone();
    for (i, c) in s.components.iter().enumerate() {
        for (k, (to, _, waits)) in c.edges().into_iter().enumerate() {
            if waits {
                g.add_edge(nodes[i], nodes[to], k);
            }
            all.add_edge(nodes[i], nodes[to], k);
        }
    }
    (g, all, nodes)
}

/// An error for each cycle of synchronous calls `g`.
fn call_cycles(s: &Scenario, g: &DiGraph<usize, usize>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for scc in kosaraju_scc(g) {
        let self_loop = scc.len() == 1 && g.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        let mut members: Vec<usize> = scc.iter().map(|n| g[*n]).collect();
        members.sort_unstable();
        // Point at the first call (in file order) that stays inside the cycle.
        let first = members[0];
        let (_, span, _) = s.components[first]
            .edges()
            .into_iter()
            .find(|e| e.2 && members.contains(&e.0))
            .expect("a cycle member calls into the cycle");
        let path = cycle_path(s, first, &members);
        errors.push(
            Diagnostic::error(span, format!("call cycle: {path}; expected calls to form no cycle (a synchronous cycle never completes)"))
                .with_help("break the cycle, or make one side asynchronous through a queue"),
        );
    }
    errors
}

/// Calls and users across regions need a network link between the regions: an error for each
/// that has none.
fn missing_links(s: &Scenario) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let place = |region: Option<usize>| super::topology::Place {
        region: region.map(|r| r as u16),
        zone: None,
    };
    for c in &s.components {
        // A DNS adds no hop: its clients reach the targets directly, so it has no place of its own.
        if matches!(c.kind, super::ComponentKind::Dns(_)) {
            continue;
        }
        for (to, span, _) in c.edges() {
            let callee = &s.components[to];
            if s.network
                .delay(place(c.region), place(callee.region))
                .is_none()
            {
                errors.push(no_link(s, span, c.region, callee.region));
            }
        }
    }
    for w in &s.workloads {
        if s.network
            .delay(place(w.region), place(s.components[w.entry].region))
            .is_none()
        {
            errors.push(no_link(s, w.span, w.region, s.components[w.entry].region));
        }
    }
    errors
}

/// The components some workload reaches through `all` calls, and an error for each closed
/// workload that would never let simulated time advance.
fn reach(
    s: &Scenario,
    all: &DiGraph<usize, usize>,
    nodes: &[NodeIndex],
) -> (Vec<bool>, Vec<Diagnostic>) {
    let mut errors = Vec::new();
    let mut reached = vec![false; s.components.len()];
    for w in &s.workloads {
        let mut dfs = Dfs::new(all, nodes[w.entry]);
        let mut all_instant = true;
        while let Some(n) = dfs.next(all) {
            reached[all[n]] = true;
            all_instant &= s.components[all[n]].station.service_time.mean_ns() == Some(0.0);
        }
        // Durations are never negative, so a mean of zero means every draw is zero.
        if let WorkloadKind::Closed { think_time, .. } = &w.kind
            && all_instant
            && think_time.mean_ns() == Some(0.0)
        {
            errors.push(
                Diagnostic::error(
                    w.span,
                    format!(
                        "workload `{}` would never let simulated time advance: its think time is 0 and every service it reaches takes 0 time; expected a positive `think_time` or `service_time`",
                        w.name
                    ),
                )
                .with_help("a closed loop with no delay anywhere spins at one instant until `max_events` stops it"),
            );
        }
    }
    (reached, errors)
}

/// `a -> b -> a`, following the first in-cycle call of each member.
fn cycle_path(s: &Scenario, start: usize, members: &[usize]) -> String {
    let mut path = vec![s.components[start].name.clone()];
    let mut at = start;
    for _ in 0..=members.len() {
        let Some(next) = s.components[at]
            .edges()
            .into_iter()
            .filter(|e| e.2)
            .map(|e| e.0)
            .find(|t| members.contains(t))
        else {
            break;
        };
        path.push(s.components[next].name.clone());
        if next == start {
            break;
        }
        at = next;
    }
    path.join(" -> ")
}

fn no_link(
    s: &Scenario,
    span: crate::diagnostic::Span,
    a: Option<usize>,
    b: Option<usize>,
) -> Diagnostic {
    let name = |r: Option<usize>| r.map_or("?", |r| s.regions[r].name.as_str());
    Diagnostic::error(
        span,
        format!(
            "no network link between regions `{}` and `{}`; expected one under `network: links:`",
            name(a),
            name(b)
        ),
    )
    .with_help(format!(
        "add `- {{ between: [{}, {}], one_way: 40ms }}` to `network.links`",
        name(a),
        name(b)
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn closed_loop_without_any_delay_is_refused() {
        let text = b"version: 1\nname: z\nduration: 10s\ncomponents:\n  api: { kind: service, service_time: 0s, calls: [db] }\n  db: { kind: service, service_time: { exponential: 0ms } }\nworkloads:\n  - { name: web, entry: api, users: 10, think_time: 0s }\n";
        let e = crate::load(text).unwrap_err();
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].message.contains("never let simulated time advance"),
            "{}",
            e[0].message
        );
        assert_eq!((e[0].span.start.line, e[0].span.start.col), (8, 13));
        // Any delay on the path lets time move on.
        let ok = std::str::from_utf8(text)
            .unwrap()
            .replace("exponential: 0ms", "exponential: 1ms");
        assert!(crate::load(ok.as_bytes()).is_ok());
        let ok = std::str::from_utf8(text)
            .unwrap()
            .replace("think_time: 0s", "think_time: 1ms");
        assert!(crate::load(ok.as_bytes()).is_ok());
    }
}
