//! The scenario as a graph (the "Sketch"): each component a box (name, kind, replicas), arrows for
//! calls, load balancer and DNS targets and queue consumers (dashed: the sender does not wait),
//! each region a labelled box around its components and each zone a box inside its region around
//! the components pinned to it. Drawn as inline SVG text, natively testable; the editor
//! (`sketch.rs`) finds what was clicked by the `data-` attributes of the SVG's elements.
//!
//! Layout: a component placed in the file's `layout:` is drawn where it says. The others are laid
//! out automatically: a component's column is its shortest call distance from any workload's
//! entry (components no workload reaches go in column 0); components are grouped in horizontal
//! bands, one per region (those without a region first, with no box), and within a region in
//! sub-bands per zone, so region and zone boxes never overlap; within a band and column they stack
//! in file order. Region and zone boxes are then drawn around wherever their components are.
//!
//! For replay, [`Graph::svg`] takes each component's state in a window ([`State`]): the box is
//! filled by utilisation (green, amber, red), outlined red with a badge when requests failed or
//! were rejected, and shows the instances up when fewer than its replicas.

use report_charts::esc;
use sim_core::scenario::Scenario;
use std::collections::VecDeque;
use std::fmt::Write;

pub const BOX_W: f64 = 150.0;
pub const BOX_H: f64 = 54.0;
const COL_GAP: f64 = 60.0;
const ROW_GAP: f64 = 14.0;
const BAND_PAD: f64 = 12.0;
const BAND_LABEL: f64 = 18.0;
const ZONE_PAD: f64 = 6.0;
const ZONE_LABEL: f64 = 14.0;
const MARGIN: f64 = 8.0;
/// The selection's colour (the page's accent).
pub const SELECTED: &str = "#0072b2";

/// A component's box.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Node {
    pub name: String,
    pub kind: &'static str,
    pub replicas: u32,
    pub column: usize,
    pub x: f64,
    pub y: f64,
    /// The region's name, if placed in one.
    pub region: Option<String>,
    /// The zone's name when pinned to exactly one zone.
    pub zone: Option<String>,
    /// The zones it is spread over, when more than one.
    pub spread: Vec<String>,
}

/// A call (or target, or consumer) edge between two components' boxes, by index.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Arrow {
    pub from: usize,
    pub to: usize,
    /// False for a queue handing messages to its consumers.
    pub waits: bool,
}

/// A region's or a zone's box.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Group {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// A zone's box (drawn inside its region's).
    pub zone: bool,
}

#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub arrows: Vec<Arrow>,
    pub groups: Vec<Group>,
    /// The top left of the drawing (negative when a box was placed near the edge).
    pub origin: (f64, f64),
    pub width: f64,
    pub height: f64,
}

/// [`Graph`] as JSON carries it (a graph made in the checking worker): kinds as owned names.
#[derive(serde::Deserialize)]
struct GraphWire {
    nodes: Vec<NodeWire>,
    arrows: Vec<Arrow>,
    groups: Vec<Group>,
    origin: (f64, f64),
    width: f64,
    height: f64,
}

#[derive(serde::Deserialize)]
struct NodeWire {
    name: String,
    kind: String,
    replicas: u32,
    column: usize,
    x: f64,
    y: f64,
    region: Option<String>,
    zone: Option<String>,
    spread: Vec<String>,
}

impl Graph {
    /// A graph from its JSON (`serde_json::to_value(&graph)`); a kind the page does not know is
    /// drawn as a service.
    pub fn from_json(v: &serde_json::Value) -> Option<Graph> {
        let w: GraphWire = serde_json::from_value(v.clone()).ok()?;
        let kind = |k: &str| {
            crate::scenario_edit::PALETTE
                .iter()
                .map(|k| k.name)
                .find(|n| *n == k)
                .unwrap_or("service")
        };
        Some(Graph {
            nodes: w
                .nodes
                .into_iter()
                .map(|n| Node {
                    kind: kind(&n.kind),
                    name: n.name,
                    replicas: n.replicas,
                    column: n.column,
                    x: n.x,
                    y: n.y,
                    region: n.region,
                    zone: n.zone,
                    spread: n.spread,
                })
                .collect(),
            arrows: w.arrows,
            groups: w.groups,
            origin: w.origin,
            width: w.width,
            height: w.height,
        })
    }
}

/// A component's state in one replay window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct State {
    pub utilization: f64,
    /// Failed plus rejected requests per second.
    pub errors_rps: f64,
    pub instances: f64,
}

/// How to draw the graph: the replay's states, the selection, a connection being drawn.
#[derive(Clone, Copy, Debug, Default)]
pub struct Look<'a> {
    /// One per component in file order (`None` for a component the run did not have).
    pub states: Option<&'a [Option<State>]>,
    /// The selected component.
    pub selected: Option<&'a str>,
    /// The selected arrow (from, to), by component index.
    pub selected_arrow: Option<(usize, usize)>,
    /// Editing: draw the handles that start a connection.
    pub editable: bool,
    /// A connection being drawn: from (x, y) to (x, y).
    pub rubber: Option<(f64, f64, f64, f64)>,
}

/// The fill of a box for a utilisation: green up to 0.6, amber up to 0.85, red above.
pub fn fill(utilization: f64) -> &'static str {
    if utilization > 0.85 {
        "#f4a3a3"
    } else if utilization > 0.6 {
        "#f7d58b"
    } else {
        "#b9e4c1"
    }
}

/// The outline of a box: red when requests failed or were rejected in the window.
pub fn outline(errors_rps: f64) -> &'static str {
    if errors_rps > 0.0 { "#c0392b" } else { "#555" }
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

impl Group {
    /// A region's or zone's box around a rectangle (x0, y0, x1, y1): padded, the label on top.
    fn around(label: String, (x0, y0, x1, y1): (f64, f64, f64, f64), zone: bool) -> Group {
        let (pad, top) = if zone {
            (ZONE_PAD, ZONE_LABEL)
        } else {
            (BAND_PAD, BAND_LABEL)
        };
        Group {
            label,
            x: x0 - pad,
            y: y0 - pad - top,
            w: x1 - x0 + 2.0 * pad,
            h: y1 - y0 + 2.0 * pad + top,
            zone,
        }
    }
}

/// The smallest rectangle (x0, y0, x1, y1) around some.
fn bbox(rects: impl Iterator<Item = (f64, f64, f64, f64)>) -> Option<(f64, f64, f64, f64)> {
    rects.fold(None, |acc, (x0, y0, x1, y1)| {
        Some(match acc {
            None => (x0, y0, x1, y1),
            Some((a, b, c, d)) => (a.min(x0), b.min(y0), c.max(x1), d.max(y1)),
        })
    })
}

impl Graph {
    pub fn of(s: &Scenario) -> Graph {
        let n = s.components.len();
        // Shortest call depth from the entries (breadth first).
        let mut depth = vec![usize::MAX; n];
        let mut queue = VecDeque::new();
        for w in &s.workloads {
            if w.entry < n && depth[w.entry] == usize::MAX {
                depth[w.entry] = 0;
                queue.push_back(w.entry);
            }
        }
        let mut arrows = Vec::new();
        for (i, c) in s.components.iter().enumerate() {
            for (to, _, waits) in c.edges() {
                if to < n && !arrows.iter().any(|a: &Arrow| a.from == i && a.to == to) {
                    arrows.push(Arrow { from: i, to, waits });
                }
            }
        }
        while let Some(i) = queue.pop_front() {
            for a in arrows.iter().filter(|a| a.from == i) {
                if depth[a.to] == usize::MAX {
                    depth[a.to] = depth[i] + 1;
                    queue.push_back(a.to);
                }
            }
        }
        let column: Vec<usize> = depth
            .iter()
            .map(|&d| if d == usize::MAX { 0 } else { d })
            .collect();
        let columns = column.iter().max().map_or(0, |m| m + 1);
        // A component's zone, when pinned to exactly one.
        let zone_of = |c: &sim_core::scenario::Component| -> Option<usize> {
            (c.region.is_some() && c.zones.len() == 1).then(|| c.zones[0])
        };
        // Bands: no region first, then the regions in file order; within a region, the
        // components in no single zone first, then one sub-band per zone.
        let bands: Vec<Option<usize>> = std::iter::once(None)
            .chain((0..s.regions.len()).map(Some))
            .filter(|b| s.components.iter().any(|c| c.region == *b))
            .collect();
        let mut nodes: Vec<Option<Node>> = vec![None; n];
        let mut y = MARGIN;
        for band in bands {
            let boxed = band.is_some();
            if boxed {
                y += BAND_LABEL + BAND_PAD;
            }
            let zones = band.map_or(0, |r| s.regions[r].zones.len());
            let subs: Vec<Option<usize>> = std::iter::once(None)
                .chain((0..zones).map(Some))
                .filter(|z| {
                    s.components
                        .iter()
                        .any(|c| c.region == band && zone_of(c) == *z)
                })
                .collect();
            for (k, sub) in subs.iter().enumerate() {
                if sub.is_some() {
                    y += ZONE_LABEL + ZONE_PAD;
                }
                let mut rows = 0usize;
                for col in 0..columns {
                    let mut row = 0usize;
                    for (i, c) in s.components.iter().enumerate() {
                        if c.region == band && zone_of(c) == *sub && column[i] == col {
                            let region = c.region.map(|r| &s.regions[r]);
                            nodes[i] = Some(Node {
                                name: c.name.clone(),
                                kind: c.kind.name(),
                                replicas: c.station.replicas,
                                column: col,
                                x: MARGIN + BAND_PAD + col as f64 * (BOX_W + COL_GAP),
                                y: y + row as f64 * (BOX_H + ROW_GAP),
                                region: region.map(|r| r.name.clone()),
                                zone: zone_of(c)
                                    .and_then(|z| region.and_then(|r| r.zones.get(z)).cloned()),
                                spread: if c.zones.len() > 1 {
                                    c.zones
                                        .iter()
                                        .filter_map(|&z| {
                                            region.and_then(|r| r.zones.get(z)).cloned()
                                        })
                                        .collect()
                                } else {
                                    Vec::new()
                                },
                            });
                            row += 1;
                        }
                    }
                    rows = rows.max(row);
                }
                y += rows as f64 * (BOX_H + ROW_GAP) - ROW_GAP;
                if sub.is_some() {
                    y += ZONE_PAD;
                }
                if k + 1 < subs.len() {
                    y += ROW_GAP;
                }
            }
            if boxed {
                y += BAND_PAD;
            }
            y += ROW_GAP + 4.0;
        }
        let mut g = Graph {
            nodes: nodes.into_iter().map(|nd| nd.expect("placed")).collect(),
            arrows,
            groups: Vec::new(),
            origin: (0.0, 0.0),
            width: 0.0,
            height: 0.0,
        };
        for nd in &mut g.nodes {
            if let Some(&(x, y)) = s.layout.get(&nd.name) {
                nd.x = x;
                nd.y = y;
            }
        }
        g.frame();
        g
    }

    /// Moves a component's box to (x, y) and redraws the boxes around it (a drag in progress).
    pub fn place(&mut self, name: &str, x: f64, y: f64) {
        if let Some(nd) = self.nodes.iter_mut().find(|nd| nd.name == name) {
            nd.x = x;
            nd.y = y;
            self.frame();
        }
    }

    /// The index of the component named `name`.
    pub fn index(&self, name: &str) -> Option<usize> {
        self.nodes.iter().position(|nd| nd.name == name)
    }

    /// Region and zone boxes around their components, and the drawing's extent.
    fn frame(&mut self) {
        let mut groups = Vec::new();
        let mut regions: Vec<&str> = Vec::new();
        for nd in &self.nodes {
            if let Some(r) = nd.region.as_deref()
                && !regions.contains(&r)
            {
                regions.push(r);
            }
        }
        for r in regions {
            let members = || {
                self.nodes
                    .iter()
                    .filter(move |nd| nd.region.as_deref() == Some(r))
            };
            let mut zones: Vec<&str> = Vec::new();
            for nd in members() {
                if let Some(z) = nd.zone.as_deref()
                    && !zones.contains(&z)
                {
                    zones.push(z);
                }
            }
            let mut zone_boxes = Vec::new();
            for z in zones {
                if let Some((x0, y0, x1, y1)) = bbox(
                    members()
                        .filter(|nd| nd.zone.as_deref() == Some(z))
                        .map(|nd| (nd.x, nd.y, nd.x + BOX_W, nd.y + BOX_H)),
                ) {
                    zone_boxes.push(Group::around(format!("zone {z}"), (x0, y0, x1, y1), true));
                }
            }
            let all = members()
                .map(|nd| (nd.x, nd.y, nd.x + BOX_W, nd.y + BOX_H))
                .chain(zone_boxes.iter().map(|z| (z.x, z.y, z.x + z.w, z.y + z.h)));
            if let Some(b) = bbox(all) {
                groups.push(Group::around(format!("region {r}"), b, false));
            }
            groups.extend(zone_boxes);
        }
        let (x0, y0, x1, y1) = bbox(
            self.nodes
                .iter()
                .map(|nd| (nd.x, nd.y, nd.x + BOX_W, nd.y + BOX_H))
                .chain(groups.iter().map(|g| (g.x, g.y, g.x + g.w, g.y + g.h))),
        )
        .unwrap_or((0.0, 0.0, 0.0, 0.0));
        self.origin = ((x0 - MARGIN).min(0.0), (y0 - MARGIN).min(0.0));
        self.width = x1 + MARGIN + BAND_PAD - self.origin.0;
        self.height = y1 + MARGIN + 4.0 - self.origin.1;
        self.groups = groups;
    }

    /// The graph as one `<svg>` element, drawn as `look` says.
    pub fn svg(&self, look: &Look<'_>) -> String {
        let mut o = String::new();
        let _ = write!(
            o,
            r##"<svg id="graph-svg" xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="{ox:.0} {oy:.0} {w:.0} {h:.0}" role="group" aria-label="the scenario's components and calls" font-family="system-ui, sans-serif" font-size="12"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#444"/></marker><marker id="arrow-sel" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="{SELECTED}"/></marker></defs>"##,
            w = self.width,
            h = self.height,
            ox = self.origin.0,
            oy = self.origin.1,
        );
        for g in &self.groups {
            let (class, fill, stroke, text, dash) = if g.zone {
                ("zone", "#eef2f8", "#a9b8cc", "#5b6f8a", "3 3")
            } else {
                ("region", "#f3f6fb", "#8aa0c0", "#3b5578", "5 3")
            };
            let _ = write!(
                o,
                r##"<g class="{class}"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="8" fill="{fill}" stroke="{stroke}" stroke-dasharray="{dash}"/><text x="{:.1}" y="{:.1}" fill="{text}" font-weight="600"{}>{}</text></g>"##,
                g.x,
                g.y,
                g.w,
                g.h,
                g.x + 8.0,
                g.y + if g.zone { 13.0 } else { 15.0 },
                if g.zone { r#" font-size="11""# } else { "" },
                esc(&g.label)
            );
        }
        for a in &self.arrows {
            let (f, t) = (&self.nodes[a.from], &self.nodes[a.to]);
            let (x1, y1, x2, y2) = arrow_ends(f, t);
            let dash = if a.waits {
                ""
            } else {
                r#" stroke-dasharray="4 3""#
            };
            let sel = look.selected_arrow == Some((a.from, a.to));
            let (stroke, width, marker) = if sel {
                (SELECTED, "2.5", "arrow-sel")
            } else {
                ("#444", "1.3", "arrow")
            };
            let _ = write!(
                o,
                r##"<g class="edge" data-from="{from}" data-to="{to}"><line class="call" data-from="{from}" data-to="{to}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{stroke}" stroke-width="{width}"{dash} marker-end="url(#{marker})"/>"##,
                from = esc(&f.name),
                to = esc(&t.name)
            );
            if look.editable {
                let _ = write!(
                    o,
                    r##"<line class="hit" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="transparent" stroke-width="12"><title>{} → {} (click to select, Delete to remove)</title></line>"##,
                    esc(&f.name),
                    esc(&t.name)
                );
            }
            o.push_str("</g>");
        }
        for (i, nd) in self.nodes.iter().enumerate() {
            let st = look.states.and_then(|s| s.get(i).copied().flatten());
            let sel = look.selected == Some(nd.name.as_str());
            let (fill, mut stroke, mut width) = match st {
                Some(s) => (
                    fill(s.utilization),
                    outline(s.errors_rps),
                    if s.errors_rps > 0.0 { 3 } else { 1 },
                ),
                None => ("#fff", "#555", 1),
            };
            if sel {
                stroke = SELECTED;
                width = 3;
            }
            let _ = write!(
                o,
                r##"<g class="node" data-name="{name}" data-fill="{fill}" data-errors="{err}" data-selected="{sel}" tabindex="0" role="button" aria-label="{name}, {kind}"><title>{name} ({kind})</title><rect x="{x:.1}" y="{y:.1}" width="{BOX_W}" height="{BOX_H}" rx="5" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/><text x="{tx:.1}" y="{ty1:.1}" font-weight="600">{label}</text><text x="{tx:.1}" y="{ty2:.1}" fill="#444">{kind}</text><text class="icon" x="{ix:.1}" y="{ty1:.1}" text-anchor="end" fill="#666" aria-hidden="true">{icon}</text>"##,
                icon = sim_core::scenario::decl::of(nd.kind).map_or("", |k| k.look.icon),
                ix = nd.x + BOX_W - 8.0,
                name = esc(&nd.name),
                err = st.is_some_and(|s| s.errors_rps > 0.0),
                kind = nd.kind,
                x = nd.x,
                y = nd.y,
                tx = nd.x + 8.0,
                ty1 = nd.y + 18.0,
                ty2 = nd.y + 33.0,
                label = esc(&short(&nd.name, 20)),
            );
            let line3 = match st {
                Some(s) => {
                    let up = s.instances.round() as u64;
                    let inst = if (up as f64) < f64::from(nd.replicas) {
                        format!("{up}/{} up", nd.replicas)
                    } else {
                        format!("{up} up")
                    };
                    format!("{inst} · {:.0} % busy", s.utilization * 100.0)
                }
                None if !nd.spread.is_empty() => {
                    format!("× {} · zones {}", nd.replicas, nd.spread.join(","))
                }
                None => format!("× {}", nd.replicas),
            };
            let _ = write!(
                o,
                r##"<text class="line3" x="{:.1}" y="{:.1}" fill="#222">{}</text>"##,
                nd.x + 8.0,
                nd.y + 48.0,
                esc(&short(&line3, 24))
            );
            if let Some(s) = st.filter(|s| s.errors_rps > 0.0) {
                let _ = write!(
                    o,
                    r##"<g class="badge"><rect x="{:.1}" y="{:.1}" width="58" height="16" rx="8" fill="#c0392b"/><text x="{:.1}" y="{:.1}" fill="#fff" font-size="11" text-anchor="middle">{} err/s</text></g>"##,
                    nd.x + BOX_W - 62.0,
                    nd.y + 4.0,
                    nd.x + BOX_W - 33.0,
                    nd.y + 16.0,
                    short(&format!("{:.0}", s.errors_rps), 4)
                );
            }
            if look.editable {
                let _ = write!(
                    o,
                    r##"<circle class="handle" data-name="{}" cx="{:.1}" cy="{:.1}" r="6" fill="#fff" stroke="{SELECTED}" stroke-width="1.5"><title>drag to another component to connect</title></circle>"##,
                    esc(&nd.name),
                    nd.x + BOX_W,
                    nd.y + BOX_H / 2.0
                );
            }
            o.push_str("</g>");
        }
        if let Some((x1, y1, x2, y2)) = look.rubber {
            let _ = write!(
                o,
                r##"<line class="rubber" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="{SELECTED}" stroke-width="2" stroke-dasharray="5 4" marker-end="url(#arrow-sel)" pointer-events="none"/>"##
            );
        }
        o.push_str("</svg>");
        o
    }
}

/// Where an arrow from one box to another starts and ends: right edge to left edge going right,
/// otherwise between the boxes' bottom and top (or sides) so it never hides inside a box.
pub fn arrow_ends(f: &Node, t: &Node) -> (f64, f64, f64, f64) {
    if t.x > f.x {
        (f.x + BOX_W, f.y + BOX_H / 2.0, t.x, t.y + BOX_H / 2.0)
    } else if t.x < f.x {
        (f.x, f.y + BOX_H / 2.0, t.x + BOX_W, t.y + BOX_H / 2.0)
    } else if t.y > f.y {
        (f.x + BOX_W / 2.0, f.y + BOX_H, t.x + BOX_W / 2.0, t.y)
    } else {
        (f.x + BOX_W / 2.0, f.y, t.x + BOX_W / 2.0, t.y + BOX_H)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(file: &str) -> (Scenario, Graph) {
        let e = crate::examples::find(file).unwrap();
        let s = sim_core::load(e.yaml.as_bytes()).unwrap().scenario;
        let g = Graph::of(&s);
        (s, g)
    }

    fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
        a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
    }

    #[test]
    fn every_example_is_laid_out_without_overlaps() {
        for e in crate::examples::EXAMPLES {
            let (s, g) = graph(e.file);
            assert_eq!(g.nodes.len(), s.components.len(), "{}", e.file);
            for (c, nd) in s.components.iter().zip(&g.nodes) {
                assert_eq!(c.name, nd.name);
                assert!(nd.x >= 0.0 && nd.x + BOX_W <= g.width, "{}", e.file);
                assert!(nd.y >= 0.0 && nd.y + BOX_H <= g.height, "{}", e.file);
            }
            for (i, a) in g.nodes.iter().enumerate() {
                for b in &g.nodes[i + 1..] {
                    assert!(
                        !overlap((a.x, a.y, BOX_W, BOX_H), (b.x, b.y, BOX_W, BOX_H)),
                        "{}: {} and {}",
                        e.file,
                        a.name,
                        b.name
                    );
                }
            }
            for (i, a) in g.groups.iter().enumerate() {
                for b in g.groups[i + 1..].iter().filter(|b| b.zone == a.zone) {
                    assert!(
                        !overlap((a.x, a.y, a.w, a.h), (b.x, b.y, b.w, b.h)),
                        "{}",
                        e.file
                    );
                }
            }
            // Every box sits inside its region's box.
            for (c, nd) in s.components.iter().zip(&g.nodes) {
                if let Some(r) = c.region {
                    let label = format!("region {}", s.regions[r].name);
                    let gr = g.groups.iter().find(|gr| gr.label == label).unwrap();
                    assert!(nd.x >= gr.x && nd.x + BOX_W <= gr.x + gr.w, "{}", c.name);
                    assert!(nd.y >= gr.y && nd.y + BOX_H <= gr.y + gr.h, "{}", c.name);
                }
            }
            let svg = g.svg(&Look::default());
            assert_eq!(svg.matches("<g class=\"node\"").count(), s.components.len());
        }
    }

    const ZONED: &str = "version: 1\nname: z\nduration: 1m\nregions: { r1: { zones: [a, b] }, r2: {} }\ncomponents:\n  lb: { kind: load_balancer, targets: [a1, b1], region: r1 }\n  a1: { kind: service, service_time: 1ms, region: r1, zone: a, calls: [db] }\n  a2: { kind: service, service_time: 1ms, region: r1, zone: a }\n  b1: { kind: service, service_time: 1ms, region: r1, zone: b, calls: [db] }\n  db: { kind: service, service_time: 1ms, region: r1, zones: [a, b] }\n  far: { kind: service, service_time: 1ms, region: r2 }\nworkloads: [ { name: w, entry: lb, arrivals: { poisson: 1/s } } ]\n";

    fn inside(nd: &Node, g: &Group) -> bool {
        nd.x >= g.x && nd.x + BOX_W <= g.x + g.w && nd.y >= g.y && nd.y + BOX_H <= g.y + g.h
    }

    #[test]
    fn zones_are_boxes_inside_their_regions() {
        let s = sim_core::load(ZONED.as_bytes()).unwrap().scenario;
        let g = Graph::of(&s);
        let group = |l: &str| g.groups.iter().find(|gr| gr.label == l).unwrap();
        let (r1, za, zb) = (group("region r1"), group("zone a"), group("zone b"));
        assert!(za.zone && zb.zone && !r1.zone);
        for z in [za, zb] {
            assert!(
                z.x >= r1.x && z.y >= r1.y && z.x + z.w <= r1.x + r1.w && z.y + z.h <= r1.y + r1.h
            );
        }
        assert!(!overlap((za.x, za.y, za.w, za.h), (zb.x, zb.y, zb.w, zb.h)));
        let node = |n: &str| &g.nodes[g.index(n).unwrap()];
        assert!(inside(node("a1"), za) && inside(node("a2"), za) && inside(node("b1"), zb));
        // Spread over both zones: in the region, in no zone box, and says so.
        assert!(inside(node("db"), r1) && !inside(node("db"), za) && !inside(node("db"), zb));
        assert!(g.svg(&Look::default()).contains("zones a,b"));
        for (i, a) in g.nodes.iter().enumerate() {
            for b in &g.nodes[i + 1..] {
                assert!(
                    !overlap((a.x, a.y, BOX_W, BOX_H), (b.x, b.y, BOX_W, BOX_H)),
                    "{} {}",
                    a.name,
                    b.name
                );
            }
        }
    }

    #[test]
    fn layout_places_boxes_and_the_boxes_around_them_follow() {
        let text = format!("{ZONED}layout: {{ a2: [600, 500] }}\n");
        let s = sim_core::load(text.as_bytes()).unwrap().scenario;
        let mut g = Graph::of(&s);
        let a2 = &g.nodes[g.index("a2").unwrap()];
        assert_eq!((a2.x, a2.y), (600.0, 500.0));
        let za = g
            .groups
            .iter()
            .find(|gr| gr.label == "zone a")
            .unwrap()
            .clone();
        assert!(inside(a2, &za) && inside(&g.nodes[g.index("a1").unwrap()], &za));
        assert!(g.width >= 600.0 + BOX_W && g.height >= 500.0 + BOX_H);
        // A drag to the top left corner: the drawing grows to the left and up.
        g.place("far", 0.0, 0.0);
        assert_eq!(g.nodes[g.index("far").unwrap()].x, 0.0);
        assert!(g.origin.0 < 0.0 && g.origin.1 < 0.0);
        let r2 = g.groups.iter().find(|gr| gr.label == "region r2").unwrap();
        assert!(inside(&g.nodes[g.index("far").unwrap()], r2));
        assert!(
            g.svg(&Look::default())
                .contains(&format!("viewBox=\"{:.0} {:.0}", g.origin.0, g.origin.1))
        );
    }

    #[test]
    fn the_editor_sees_selection_handles_and_a_connection_being_drawn() {
        let (s, g) = graph("checkout.yaml");
        let plain = g.svg(&Look::default());
        assert!(!plain.contains("class=\"handle\"") && !plain.contains("class=\"hit\""));
        let svg = g.svg(&Look {
            selected: Some("db"),
            selected_arrow: Some((
                s.component_id("api").unwrap(),
                s.component_id("auth").unwrap(),
            )),
            editable: true,
            rubber: Some((1.0, 2.0, 3.0, 4.0)),
            ..Look::default()
        });
        assert_eq!(svg.matches("class=\"handle\"").count(), s.components.len());
        assert_eq!(svg.matches("class=\"hit\"").count(), g.arrows.len());
        assert_eq!(svg.matches("data-selected=\"true\"").count(), 1);
        assert!(svg.contains(
            "data-name=\"db\" data-fill=\"#fff\" data-errors=\"false\" data-selected=\"true\""
        ));
        assert_eq!(
            svg.matches("url(#arrow-sel)").count(),
            2,
            "the selected arrow and the rubber band"
        );
        assert!(svg.contains("class=\"rubber\" x1=\"1.0\""));
    }

    #[test]
    fn arrows_point_from_caller_to_callee_left_to_right() {
        let (s, g) = graph("dns-ttl-region-failover.yaml");
        let id = |n: &str| s.component_id(n).unwrap();
        let a = g
            .arrows
            .iter()
            .find(|a| a.from == id("lb_east") && a.to == id("api_east"))
            .expect("lb_east targets api_east");
        assert!(a.waits);
        let (f, t) = (&g.nodes[a.from], &g.nodes[a.to]);
        assert!(t.column > f.column);
        let (x1, _, x2, _) = arrow_ends(f, t);
        assert_eq!(x1, f.x + BOX_W);
        assert_eq!(x2, t.x);
        // The entries are in column 0, and every edge of the file is drawn.
        for w in &s.workloads {
            assert_eq!(g.nodes[w.entry].column, 0);
        }
        let edges: usize = s.components.iter().map(|c| c.edges().len()).sum();
        assert!(g.arrows.len() <= edges && !g.arrows.is_empty());
        // Regions: us-east and us-west boxed.
        let labels: Vec<&str> = g.groups.iter().map(|gr| gr.label.as_str()).collect();
        assert!(labels.contains(&"region us-east") && labels.contains(&"region us-west"));
    }

    #[test]
    fn a_queue_hands_messages_on_dashed() {
        for e in crate::examples::EXAMPLES {
            let (s, g) = graph(e.file);
            for a in g.arrows.iter().filter(|a| !a.waits) {
                assert_eq!(s.components[a.from].kind.name(), "queue");
            }
        }
    }

    #[test]
    fn colours_follow_utilisation_and_errors() {
        assert_eq!(fill(0.2), "#b9e4c1");
        assert_eq!(fill(0.7), "#f7d58b");
        assert_eq!(fill(0.95), "#f4a3a3");
        assert_eq!(outline(0.0), "#555");
        assert_eq!(outline(3.0), "#c0392b");
        let (_, g) = graph("checkout.yaml");
        let states: Vec<Option<State>> = g
            .nodes
            .iter()
            .map(|_| {
                Some(State {
                    utilization: 0.9,
                    errors_rps: 2.0,
                    instances: 0.0,
                })
            })
            .collect();
        let svg = g.svg(&Look {
            states: Some(&states),
            ..Look::default()
        });
        assert!(svg.contains(r##"fill="#f4a3a3" stroke="#c0392b""##));
        assert!(svg.contains("2 err/s"));
        assert!(svg.contains(&format!("0/{} up", g.nodes[0].replicas)));
    }
}
