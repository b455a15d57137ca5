//! `archsim export` through the built binary, on every example: the Mermaid text's shape (boxes
//! balanced, every workload and component a node declared once, inside its region's and zone's
//! boxes, every arrow of the scenario present and no other, dashed exactly for queue hand-offs),
//! the DOT rendered by Graphviz's `dot -Tsvg` where it is installed, `-o`, and refused input.

mod common;

use common::{VALID, archsim, valid_with, write};
use sim_core::scenario::{ComponentKind, Scenario};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn examples() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "expected the examples in {}",
        dir.display()
    );
    files
}

fn scenario(path: &PathBuf) -> Scenario {
    sim_core::load(&std::fs::read(path).unwrap())
        .expect("examples load")
        .scenario
}

/// (sender, receiver, dashed) by name: what the scenario says, read from the model directly.
fn expected_arrows(s: &Scenario) -> BTreeSet<(String, String, bool)> {
    let name = |i: usize| s.components[i].name.clone();
    let mut out = BTreeSet::new();
    for w in &s.workloads {
        out.insert((w.name.clone(), name(w.entry), false));
    }
    for c in &s.components {
        for call in c.station.calls() {
            out.insert((c.name.clone(), name(call.to), false));
        }
        match &c.kind {
            ComponentKind::LoadBalancer(b) | ComponentKind::Dns(b) => {
                for t in &b.targets {
                    out.insert((c.name.clone(), name(t.component), false));
                }
            }
            ComponentKind::Queue(q) => {
                out.insert((c.name.clone(), name(q.consumers), true));
            }
            ComponentKind::Cache(cache) => {
                if let Some(m) = cache.on_miss {
                    out.insert((c.name.clone(), name(m), false));
                }
            }
            ComponentKind::Service
            | ComponentKind::External
            | ComponentKind::Database(_)
            | ComponentKind::Function(_)
            | ComponentKind::ObjectStore(_) => {}
        }
    }
    out
}

/// What a Mermaid flowchart declares: node id to (name, the labels of its enclosing boxes), and
/// its arrows by name. Panics with the line on anything it does not recognise.
struct Parsed {
    nodes: BTreeMap<String, (String, Vec<String>)>,
    arrows: Vec<(String, String, bool)>,
}

fn parse_mermaid(text: &str) -> Parsed {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    let (mut boxes, mut nodes, mut raw) = (Vec::<String>::new(), BTreeMap::new(), Vec::new());
    for line in lines {
        let l = line.trim();
        let quoted = |s: &str| s[s.find('"').unwrap() + 1..s.rfind('"').unwrap()].to_string();
        if let Some(rest) = l.strip_prefix("subgraph ") {
            boxes.push(quoted(rest));
        } else if l == "end" {
            assert!(boxes.pop().is_some(), "`end` without a subgraph:\n{text}");
        } else if l.contains(" --> ") || l.contains(" -.-> ") || l.contains(" -->|") {
            let parts: Vec<&str> = l.split_whitespace().collect();
            let dashed = parts[1] == "-.->";
            raw.push((
                parts[0].to_string(),
                parts[parts.len() - 1].to_string(),
                dashed,
            ));
        } else {
            let id: String = l.chars().take_while(char::is_ascii_alphanumeric).collect();
            assert!(
                !id.is_empty() && l.contains("<br/>"),
                "unrecognised line `{l}`"
            );
            let label = quoted(l);
            let name = label.split("<br/>").next().unwrap().to_string();
            let old = nodes.insert(id.clone(), (name, boxes.clone()));
            assert!(old.is_none(), "node {id} declared twice:\n{text}");
        }
    }
    assert!(boxes.is_empty(), "unclosed subgraphs {boxes:?}:\n{text}");
    let name = |id: &String| {
        nodes
            .get(id)
            .unwrap_or_else(|| panic!("arrow to undeclared {id}"))
            .0
            .clone()
    };
    let arrows = raw.iter().map(|(a, b, d)| (name(a), name(b), *d)).collect();
    Parsed { nodes, arrows }
}

#[test]
fn every_example_as_mermaid_has_every_node_box_and_arrow() {
    for path in examples() {
        let s = scenario(&path);
        let r = archsim(&["export", path.to_str().unwrap(), "--mermaid"]);
        assert_eq!(r.code, 0, "{}: {}", path.display(), r.stderr);
        let p = parse_mermaid(&r.stdout);
        let mut names: Vec<&str> = p.nodes.values().map(|(n, _)| n.as_str()).collect();
        names.sort();
        let mut want: Vec<&str> = s
            .workloads
            .iter()
            .map(|w| w.name.as_str())
            .chain(s.components.iter().map(|c| c.name.as_str()))
            .collect();
        want.sort();
        assert_eq!(names, want, "{}: nodes", path.display());
        let arrows: BTreeSet<_> = p.arrows.iter().cloned().collect();
        assert_eq!(
            arrows.len(),
            p.arrows.len(),
            "{}: an arrow twice",
            path.display()
        );
        assert_eq!(arrows, expected_arrows(&s), "{}: arrows", path.display());
        for c in &s.components {
            let (_, boxes) = p.nodes.values().find(|(n, _)| *n == c.name).unwrap();
            let region = c.region.map(|r| &s.regions[r]);
            let want: Vec<String> = match (&c.kind, region, c.zones.as_slice()) {
                (ComponentKind::Database(_), _, _) => continue, // drawn at its primary
                (_, None, _) => vec![],
                (_, Some(r), [z]) => vec![r.name.clone(), format!("zone {}", r.zones[*z])],
                (_, Some(r), _) => vec![r.name.clone()],
            };
            assert_eq!(
                boxes,
                &want,
                "{}: the boxes around {}",
                path.display(),
                c.name
            );
        }
    }
}

fn graphviz() -> bool {
    let ok = Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("skipped: Graphviz `dot` is not installed (scripts/setup installs it)");
    }
    ok
}

#[test]
fn every_example_as_dot_renders_with_graphviz() {
    let have_dot = graphviz();
    for path in examples() {
        let s = scenario(&path);
        let r = archsim(&["export", path.to_str().unwrap(), "--dot"]);
        assert_eq!(r.code, 0, "{}: {}", path.display(), r.stderr);
        let clusters = r.stdout.matches("subgraph \"cluster_").count();
        let arrows = r.stdout.matches(" -> ").count();
        assert_eq!(arrows, expected_arrows(&s).len(), "{}", path.display());
        if !have_dot {
            continue;
        }
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dot");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(r.stdout.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success() && stderr.is_empty(),
            "{}: dot says {stderr}",
            path.display()
        );
        let svg = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            svg.matches("class=\"cluster\"").count(),
            clusters,
            "{}",
            path.display()
        );
        assert_eq!(
            svg.matches("class=\"edge\"").count(),
            arrows,
            "{}",
            path.display()
        );
        for (i, c) in s.components.iter().enumerate() {
            assert!(
                svg.contains(&format!("<title>c{i}</title>")),
                "{}: node {}",
                path.display(),
                c.name
            );
            assert!(
                svg.contains(&format!(">{}</text>", c.name)),
                "{}: label {}",
                path.display(),
                c.name
            );
        }
    }
}

#[test]
fn output_goes_to_the_named_file_and_equals_standard_output() {
    let file = write("export_o", "shop.yaml", VALID);
    let out = file.with_extension("mmd");
    let (f, o) = (file.to_str().unwrap(), out.to_str().unwrap());
    let r = archsim(&["export", f, "--mermaid", "-o", o]);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    let stdout = archsim(&["export", f, "--mermaid"]).stdout;
    assert_eq!(std::fs::read_to_string(&out).unwrap(), stdout);
    assert!(stdout.contains("    c0 --> c1\n"), "{stdout}");
}

#[test]
fn an_invalid_file_or_no_format_is_refused_with_exit_2() {
    let bad = write("export_bad", "bad.yaml", valid_with("to: db", "to: dbx"));
    let r = archsim(&["export", bad.to_str().unwrap(), "--dot"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(&format!("{}:12:", bad.display())),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    let ok = write("export_fmt", "shop.yaml", VALID);
    for args in [
        vec!["export", ok.to_str().unwrap()],
        vec!["export", ok.to_str().unwrap(), "--dot", "--mermaid"],
    ] {
        let r = archsim(&args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stdout.is_empty());
    }
}
