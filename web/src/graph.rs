//! The scenario as a graph ("Sketch", read-only): each component a box (name, kind, replicas),
//! laid out left to right by call depth from the workloads' entries, arrows for calls, load
//! balancer and DNS targets and queue consumers (dashed: the sender does not wait), and each
//! region a labelled box around its components. Drawn as inline SVG text, natively testable.
//!
//! Layout: a component's column is its shortest call distance from any workload's entry
//! (components no workload reaches go in column 0). Components are grouped into horizontal bands,
//! one per region (those without a region first, with no box), so region boxes never overlap;
//! within a band and column the components stack in file order.
//!
//! For replay, [`Graph::svg`] takes each component's state in a window ([`State`]): the box is
//! filled by utilisation (green, amber, red), outlined red with a badge when requests failed or
//! were rejected, and shows the instances up when fewer than its replicas.

use sim_core::scenario::Scenario;
use std::collections::VecDeque;
use std::fmt::Write;

pub const BOX_W: f64 = 150.0;
pub const BOX_H: f64 = 54.0;
const COL_GAP: f64 = 60.0;
const ROW_GAP: f64 = 14.0;
const BAND_PAD: f64 = 12.0;
const BAND_LABEL: f64 = 18.0;
const MARGIN: f64 = 8.0;

/// A component's box.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub name: String,
    pub kind: &'static str,
    pub replicas: u32,
    pub column: usize,
    pub x: f64,
    pub y: f64,
}

/// A call (or target, or consumer) edge between two components' boxes, by index.
#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub from: usize,
    pub to: usize,
    /// False for a queue handing messages to its consumers.
    pub waits: bool,
}

/// A region's box.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Graph {
    pub nodes: Vec<Node>,
    pub arrows: Vec<Arrow>,
    pub groups: Vec<Group>,
    pub width: f64,
    pub height: f64,
}

/// A component's state in one replay window.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct State {
    pub utilization: f64,
    /// Failed plus rejected requests per second.
    pub errors_rps: f64,
    pub instances: f64,
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

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
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
        // Bands: no region first, then the regions in file order.
        let bands: Vec<Option<usize>> = std::iter::once(None)
            .chain((0..s.regions.len()).map(Some))
            .filter(|b| s.components.iter().any(|c| c.region == *b))
            .collect();
        let mut nodes: Vec<Option<Node>> = vec![None; n];
        let mut groups = Vec::new();
        let mut y = MARGIN;
        for band in bands {
            let boxed = band.is_some();
            let top = y;
            if boxed {
                y += BAND_LABEL + BAND_PAD;
            }
            let mut rows = 0usize;
            for col in 0..columns {
                let mut row = 0usize;
                for (i, c) in s.components.iter().enumerate() {
                    if c.region == band && column[i] == col {
                        nodes[i] = Some(Node {
                            name: c.name.clone(),
                            kind: c.kind.name(),
                            replicas: c.station.replicas,
                            column: col,
                            x: MARGIN + BAND_PAD + col as f64 * (BOX_W + COL_GAP),
                            y: y + row as f64 * (BOX_H + ROW_GAP),
                        });
                        row += 1;
                    }
                }
                rows = rows.max(row);
            }
            y += rows as f64 * (BOX_H + ROW_GAP) - ROW_GAP;
            if let Some(r) = band {
                let members = nodes.iter().flatten().filter(|nd| {
                    s.components
                        .iter()
                        .any(|c| c.name == nd.name && c.region == Some(r))
                });
                let (mut x0, mut x1) = (f64::MAX, f64::MIN);
                for nd in members {
                    x0 = x0.min(nd.x);
                    x1 = x1.max(nd.x + BOX_W);
                }
                y += BAND_PAD;
                groups.push(Group {
                    label: format!("region {}", s.regions[r].name),
                    x: x0 - BAND_PAD,
                    y: top,
                    w: x1 - x0 + 2.0 * BAND_PAD,
                    h: y - top,
                });
            }
            y += ROW_GAP + 4.0;
        }
        let nodes: Vec<Node> = nodes.into_iter().map(|nd| nd.expect("placed")).collect();
        let width = nodes
            .iter()
            .map(|nd| nd.x + BOX_W)
            .chain(groups.iter().map(|g| g.x + g.w))
            .fold(0.0, f64::max)
            + MARGIN
            + BAND_PAD;
        Graph {
            nodes,
            arrows,
            groups,
            width,
            height: y,
        }
    }

    /// The graph as one `<svg>` element; with `states` (one per component, in file order; `None`
    /// for a component the run did not have) the boxes show the replay window's state.
    pub fn svg(&self, states: Option<&[Option<State>]>) -> String {
        let mut o = String::new();
        let _ = write!(
            o,
            r##"<svg id="graph-svg" xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" role="img" aria-label="the scenario's components and calls" font-family="system-ui, sans-serif" font-size="12"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" fill="#444"/></marker></defs>"##,
            w = self.width,
            h = self.height
        );
        for g in &self.groups {
            let _ = write!(
                o,
                r##"<g class="region"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="8" fill="#f3f6fb" stroke="#8aa0c0" stroke-dasharray="5 3"/><text x="{:.1}" y="{:.1}" fill="#3b5578" font-weight="600">{}</text></g>"##,
                g.x,
                g.y,
                g.w,
                g.h,
                g.x + 8.0,
                g.y + 15.0,
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
            let _ = write!(
                o,
                r##"<line class="call" data-from="{}" data-to="{}" x1="{x1:.1}" y1="{y1:.1}" x2="{x2:.1}" y2="{y2:.1}" stroke="#444" stroke-width="1.3"{dash} marker-end="url(#arrow)"/>"##,
                esc(&f.name),
                esc(&t.name)
            );
        }
        for (i, nd) in self.nodes.iter().enumerate() {
            let st = states.and_then(|s| s.get(i).copied().flatten());
            let (fill, stroke, width) = match st {
                Some(s) => (
                    fill(s.utilization),
                    outline(s.errors_rps),
                    if s.errors_rps > 0.0 { 3 } else { 1 },
                ),
                None => ("#fff", "#555", 1),
            };
            let _ = write!(
                o,
                r##"<g class="node" data-name="{name}" data-fill="{fill}" data-errors="{err}"><title>{name} ({kind})</title><rect x="{x:.1}" y="{y:.1}" width="{BOX_W}" height="{BOX_H}" rx="5" fill="{fill}" stroke="{stroke}" stroke-width="{width}"/><text x="{tx:.1}" y="{ty1:.1}" font-weight="600">{label}</text><text x="{tx:.1}" y="{ty2:.1}" fill="#444">{kind}</text>"##,
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
                None => format!("× {}", nd.replicas),
            };
            let _ = write!(
                o,
                r##"<text class="line3" x="{:.1}" y="{:.1}" fill="#222">{}</text>"##,
                nd.x + 8.0,
                nd.y + 48.0,
                esc(&line3)
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
            o.push_str("</g>");
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
                for b in &g.groups[i + 1..] {
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
            let svg = g.svg(None);
            assert_eq!(svg.matches("<g class=\"node\"").count(), s.components.len());
        }
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
        let svg = g.svg(Some(&states));
        assert!(svg.contains(r##"fill="#f4a3a3" stroke="#c0392b""##));
        assert!(svg.contains("2 err/s"));
        assert!(svg.contains(&format!("0/{} up", g.nodes[0].replicas)));
    }
}
