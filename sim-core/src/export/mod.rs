//! Diagram export: the scenario's graph as text for other tools, [`mermaid`] (a `flowchart`) and
//! [`dot`] (Graphviz). Both render one [`Diagram`] built here from the checked [`Scenario`], so
//! they always show the same nodes, boxes and arrows:
//!
//! - a node per workload (its users) and per component, in file order;
//! - a box per region and, inside it, per zone, holding the components placed there (a component
//!   spread over several zones sits in its region's box, a database where its primary is); boxes
//!   that would be empty are left out;
//! - an arrow per call, per balancer or DNS target, per cache's `on_miss`, per workload's entry,
//!   and a dashed one for a queue handing its messages to its consumers (no one waits for them).
//!
//! Node and box identifiers are positional (`w0`, `c3`, `r1`, `r1z0`), so no name can clash with
//! the target language's syntax; names appear only in labels, escaped by each renderer. The same
//! scenario always gives the same text.

pub mod dot;
pub mod mermaid;

use crate::scenario::{Component, ComponentKind, Scenario};

/// What a node stands for, which decides its shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// A workload's users.
    Users,
    /// A `service`.
    Service,
    /// An `external` dependency.
    External,
    /// A `load_balancer`.
    LoadBalancer,
    /// A `dns` entry point.
    Dns,
    /// A `cache`.
    Cache,
    /// A `queue`.
    Queue,
    /// A `database`.
    Database,
    /// A `function`.
    Function,
    /// An `object_store`.
    ObjectStore,
}

impl Shape {
    fn of(kind: &ComponentKind) -> Shape {
        match kind {
            ComponentKind::Service => Shape::Service,
            ComponentKind::External => Shape::External,
            ComponentKind::LoadBalancer(_) => Shape::LoadBalancer,
            ComponentKind::Dns(_) => Shape::Dns,
            ComponentKind::Cache(_) => Shape::Cache,
            ComponentKind::Queue(_) => Shape::Queue,
            ComponentKind::Database(_) => Shape::Database,
            ComponentKind::Function(_) => Shape::Function,
            ComponentKind::ObjectStore(_) => Shape::ObjectStore,
        }
    }
}

/// A box: a region, or a zone inside one.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Positional identifier (`r1`, `r1z0`).
    pub id: String,
    /// The region's or zone's name.
    pub label: String,
    /// The enclosing box (a zone's region), as an index into [`Diagram::groups`].
    pub parent: Option<usize>,
}

/// A workload's users or a component.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// Positional identifier (`w0`, `c3`).
    pub id: String,
    /// The workload's or component's name.
    pub name: String,
    /// The component's kind (`service`, `cache`, ...) or `users`.
    pub kind: &'static str,
    /// How it is drawn.
    pub shape: Shape,
    /// The innermost box holding the node, as an index into [`Diagram::groups`].
    pub group: Option<usize>,
}

/// How an arrow is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Line {
    /// The sender waits for the answer (calls, balancing, a cache's miss, users).
    Solid,
    /// A hand-off: a queue delivering messages to its consumers.
    Dashed,
}

/// An arrow between two nodes.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    /// The sender, an index into [`Diagram::nodes`].
    pub from: usize,
    /// The receiver, an index into [`Diagram::nodes`].
    pub to: usize,
    /// Solid or dashed.
    pub line: Line,
    /// What the arrow is (`miss`, ...), if not a plain call.
    pub label: Option<&'static str>,
}

/// The scenario's graph, ready to render.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    /// The scenario's name.
    pub name: String,
    /// Regions first, each followed by its zones, in file order; only non-empty ones.
    pub groups: Vec<Group>,
    /// Workloads, then components, in file order.
    pub nodes: Vec<Node>,
    /// In the order of their senders, each sender's arrows in the file's order; no duplicates.
    pub edges: Vec<Edge>,
}

impl Diagram {
    /// The diagram of a checked scenario.
    pub fn of(s: &Scenario) -> Diagram {
        let groups = groups(s);
        let group_of = |region: usize, zone: Option<usize>| {
            let id = match zone {
                Some(z) => format!("r{region}z{z}"),
                None => format!("r{region}"),
            };
            groups.iter().position(|g| g.id == id)
        };
        let w = s.workloads.len();
        let mut nodes: Vec<Node> = s
            .workloads
            .iter()
            .enumerate()
            .map(|(i, wl)| Node {
                id: format!("w{i}"),
                name: wl.name.clone(),
                kind: "users",
                shape: Shape::Users,
                group: None,
            })
            .collect();
        nodes.extend(s.components.iter().enumerate().map(|(i, c)| Node {
            id: format!("c{i}"),
            name: c.name.clone(),
            kind: c.kind.name(),
            shape: Shape::of(&c.kind),
            group: place(c).and_then(|(r, z)| group_of(r, z)),
        }));
        let mut edges: Vec<Edge> = Vec::new();
        let mut add = |e: Edge| {
            if !edges.contains(&e) {
                edges.push(e);
            }
        };
        for (i, wl) in s.workloads.iter().enumerate() {
            add(Edge {
                from: i,
                to: w + wl.entry,
                line: Line::Solid,
                label: None,
            });
        }
        for (i, c) in s.components.iter().enumerate() {
            // A cache's miss is one of its calls (the loader makes it one); it gets its label.
            let on_miss = match &c.kind {
                ComponentKind::Cache(cache) => cache.on_miss,
                _ => None,
            };
            let mut edges = c.edges();
            if let Some(m) = on_miss
                && !edges.iter().any(|e| e.0 == m)
            {
                edges.push((m, c.span, true));
            }
            for (to, _, waits) in edges {
                let line = if waits { Line::Solid } else { Line::Dashed };
                let label = (on_miss == Some(to)).then_some("on miss");
                add(Edge {
                    from: w + i,
                    to: w + to,
                    line,
                    label,
                });
            }
        }
        Diagram {
            name: s.name.clone(),
            groups,
            nodes,
            edges,
        }
    }
}

/// The region of a component and its zone when it has exactly one. A database is drawn where its
/// primary is (its replicas may be elsewhere).
fn place(c: &Component) -> Option<(usize, Option<usize>)> {
    match &c.kind {
        ComponentKind::Database(db) => db.nodes.first().and_then(|n| Some((n.region?, n.zone))),
        ComponentKind::Service
        | ComponentKind::External
        | ComponentKind::LoadBalancer(_)
        | ComponentKind::Dns(_)
        | ComponentKind::Cache(_)
        | ComponentKind::Queue(_)
        | ComponentKind::Function(_)
        | ComponentKind::ObjectStore(_) => c.region.map(|r| {
            let zone = match c.zones.as_slice() {
                [z] => Some(*z),
                _ => None,
            };
            (r, zone)
        }),
    }
}

/// The boxes that hold at least one component: a region holding one directly or in a zone.
fn groups(s: &Scenario) -> Vec<Group> {
    let mut out = Vec::new();
    for (r, region) in s.regions.iter().enumerate() {
        let here: Vec<Option<usize>> = s
            .components
            .iter()
            .filter_map(place)
            .filter(|p| p.0 == r)
            .map(|p| p.1)
            .collect();
        if here.is_empty() {
            continue;
        }
        let parent = out.len();
        out.push(Group {
            id: format!("r{r}"),
            label: region.name.clone(),
            parent: None,
        });
        for (z, zone) in region.zones.iter().enumerate() {
            if here.contains(&Some(z)) {
                out.push(Group {
                    id: format!("r{r}z{z}"),
                    label: format!("zone {zone}"),
                    parent: Some(parent),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
