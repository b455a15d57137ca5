//! Diagram export: boxes, nodes and arrows from a scenario, and both renderers' text.

use super::*;

/// Two regions (one with zones), a DNS in front of two balancers, a cache with `on_miss`, a queue
/// and its consumer, a call made twice, and a component spread over two zones.
const FILE: &str = "version: 1
name: shop
seed: 1
duration: 10s
regions:
  east: { zones: [a, b] }
  west: {}
  empty: { zones: [x] }
network:
  links: [ { between: [east, west], one_way: 30ms } ]
components:
  dns:
    kind: dns
    targets: [lb_east, lb_west]
  lb_east:
    kind: load_balancer
    region: east
    zones: [a, b]
    targets: [api]
  lb_west:
    kind: load_balancer
    region: west
    targets: [api]
  api:
    kind: service
    region: east
    zone: a
    service_time: 1ms
    calls: [cache, jobs, cache]
  cache:
    kind: cache
    region: east
    zone: b
    keys: 100
    capacity: 10
    service_time: 100us
    on_miss: db
  db:
    kind: database
    primary: { region: east, zone: b }
    replicas: [ { region: west } ]
  jobs:
    kind: queue
    consumers: worker
  worker:
    kind: service
    service_time: 1ms
workloads:
  - { name: web, entry: dns, arrivals: { poisson: 10/s } }
";

fn diagram() -> Diagram {
    let loaded = crate::load(FILE.as_bytes()).expect("the test scenario loads");
    Diagram::of(&loaded.scenario)
}

#[test]
fn boxes_hold_what_is_placed_there_and_empty_ones_are_left_out() {
    let d = diagram();
    let ids: Vec<(&str, &str, Option<usize>)> = d
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.label.as_str(), g.parent))
        .collect();
    // `east`'s zone `a` holds api, `b` holds cache and db; `west` holds lb_west; `empty` nothing.
    assert_eq!(
        ids,
        [
            ("r0", "east", None),
            ("r0z0", "zone a", Some(0)),
            ("r0z1", "zone b", Some(0)),
            ("r1", "west", None)
        ]
    );
    let group = |name: &str| {
        let n = d.nodes.iter().find(|n| n.name == name).unwrap();
        n.group.map(|g| d.groups[g].id.as_str())
    };
    assert_eq!(
        group("lb_east"),
        Some("r0"),
        "spread over two zones: in the region's box"
    );
    assert_eq!(group("api"), Some("r0z0"));
    assert_eq!(group("db"), Some("r0z1"));
    assert_eq!(group("lb_west"), Some("r1"));
    assert_eq!(group("dns"), None);
    assert_eq!(group("web"), None);
}

#[test]
fn every_arrow_once_dashed_only_for_the_queue_hand_off() {
    let d = diagram();
    let edges: Vec<(&str, &str, Line, Option<&str>)> = d
        .edges
        .iter()
        .map(|e| {
            (
                d.nodes[e.from].name.as_str(),
                d.nodes[e.to].name.as_str(),
                e.line,
                e.label,
            )
        })
        .collect();
    use Line::*;
    assert_eq!(
        edges,
        [
            ("web", "dns", Solid, None),
            ("dns", "lb_east", Solid, None),
            ("dns", "lb_west", Solid, None),
            ("lb_east", "api", Solid, None),
            ("lb_west", "api", Solid, None),
            ("api", "cache", Solid, None),
            ("api", "jobs", Solid, None),
            ("cache", "db", Solid, Some("on miss")),
            ("jobs", "worker", Dashed, None),
        ]
    );
}

#[test]
fn mermaid_text_nests_zones_in_regions_and_declares_nodes_in_their_boxes() {
    let text = mermaid::render(&diagram());
    let expected = r#"flowchart LR
    subgraph r0 ["east"]
        subgraph r0z0 ["zone a"]
            c3["api<br/>service"]
        end
        subgraph r0z1 ["zone b"]
            c4[/"cache<br/>cache"\]
            c5[("db<br/>database")]
        end
        c1{{"lb_east<br/>load_balancer"}}
    end
    subgraph r1 ["west"]
        c2{{"lb_west<br/>load_balancer"}}
    end
    w0(["web<br/>users"])
    c0(("dns<br/>dns"))
    c6>"jobs<br/>queue"]
    c7["worker<br/>service"]
    w0 --> c0
    c0 --> c1
    c0 --> c2
    c1 --> c3
    c2 --> c3
    c3 --> c4
    c3 --> c6
    c4 -->|"on miss"| c5
    c6 -.-> c7
"#;
    assert_eq!(text, expected);
}

#[test]
fn dot_text_has_clusters_shapes_and_a_dashed_hand_off() {
    let text = dot::render(&diagram());
    assert!(
        text.starts_with("digraph \"shop\" {\n    rankdir=LR;\n"),
        "{text}"
    );
    assert!(text.ends_with("}\n"));
    assert_eq!(text.matches('{').count(), text.matches('}').count());
    let cluster = text.find("subgraph \"cluster_r0\" {").unwrap();
    let zone = text.find("subgraph \"cluster_r0z0\" {").unwrap();
    let api = text
        .find("\"c3\" [label=\"api\\nservice\", shape=box];")
        .unwrap();
    assert!(cluster < zone && zone < api, "{text}");
    assert!(text.contains("\"c5\" [label=\"db\\ndatabase\", shape=cylinder];"));
    assert!(text.contains("    \"c6\" -> \"c7\" [style=dashed];\n"));
    assert!(text.contains("    \"c4\" -> \"c5\" [label=\"on miss\"];\n"));
    assert_eq!(text.matches(" -> ").count(), 9);
}

#[test]
fn names_cannot_break_out_of_their_labels() {
    let mut d = diagram();
    d.name = "a\"b\\N".into();
    d.nodes[0].name = "x\"] --> evil[\"<b>#1;|end\n".into();
    d.groups[0].label = "\\\"}".into();
    let m = mermaid::render(&d);
    let first = m
        .lines()
        .find(|l| l.trim_start().starts_with("w0"))
        .unwrap();
    assert_eq!(
        first.trim(),
        "w0([\"x#34;#93; #45;#45;#62; evil#91;#34;#60;b#62;#35;1#59;#124;end#10;<br/>users\"])"
            .replace("#45;", "-")
    );
    assert!(m.contains("subgraph r0 [\"#92;#34;#125;\"]"));
    let d2 = dot::render(&d);
    assert!(d2.starts_with("digraph \"a\\\"b\\\\N\" {"), "{d2}");
    assert!(
        d2.contains("\"w0\" [label=\"x\\\"] --> evil[\\\"<b>#1;|end \\nusers\", shape=oval];"),
        "{d2}"
    );
    assert!(d2.contains("label=\"\\\\\\\"}\"; style=rounded;"), "{d2}");
}

#[test]
fn the_same_scenario_gives_the_same_text() {
    assert_eq!(mermaid::render(&diagram()), mermaid::render(&diagram()));
    assert_eq!(dot::render(&diagram()), dot::render(&diagram()));
}
