//! The [`Diagram`] as Graphviz DOT (`digraph`, left to right): regions and zones as nested
//! `cluster` subgraphs, nodes with a shape per kind, then every arrow (dashed for a queue's
//! hand-off). Every identifier and label is a quoted string with `"` and `\` escaped, so any name
//! is safe; `dot -Tsvg` renders it.

use super::{Diagram, Line, Shape};
use std::fmt::Write;

/// The diagram as DOT text, ending with a newline.
pub fn render(d: &Diagram) -> String {
    let mut out = format!("digraph \"{}\" {{\n", quote(&d.name));
    out.push_str("    rankdir=LR;\n    node [fontname=\"Helvetica\", fontsize=11];\n");
    out.push_str("    edge [fontname=\"Helvetica\", fontsize=9];\n");
    for (g, group) in d.groups.iter().enumerate() {
        if group.parent.is_none() {
            write_group(&mut out, d, g, 1);
        }
    }
    for node in d.nodes.iter().filter(|n| n.group.is_none()) {
        write_node(&mut out, node, 1);
    }
    for e in &d.edges {
        let mut attrs = Vec::new();
        if e.line == Line::Dashed {
            attrs.push("style=dashed".to_string());
        }
        if let Some(l) = e.label {
            attrs.push(format!("label=\"{}\"", quote(l)));
        }
        let attrs = if attrs.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attrs.join(", "))
        };
        let _ = writeln!(
            out,
            "    \"{}\" -> \"{}\"{attrs};",
            d.nodes[e.from].id, d.nodes[e.to].id
        );
    }
    out.push_str("}\n");
    out
}

fn write_group(out: &mut String, d: &Diagram, g: usize, depth: usize) {
    let pad = "    ".repeat(depth);
    let group = &d.groups[g];
    let _ = writeln!(out, "{pad}subgraph \"cluster_{}\" {{", group.id);
    let _ = writeln!(
        out,
        "{pad}    label=\"{}\"; style=rounded;",
        quote(&group.label)
    );
    for (inner, _) in d
        .groups
        .iter()
        .enumerate()
        .filter(|(_, x)| x.parent == Some(g))
    {
        write_group(out, d, inner, depth + 1);
    }
    for node in d.nodes.iter().filter(|n| n.group == Some(g)) {
        write_node(out, node, depth + 1);
    }
    let _ = writeln!(out, "{pad}}}");
}

fn write_node(out: &mut String, node: &super::Node, depth: usize) {
    let shape = match node.shape {
        Shape::Users => "oval",
        Shape::Service => "box",
        Shape::External => "box3d",
        Shape::LoadBalancer => "hexagon",
        Shape::Dns => "circle",
        Shape::Cache => "trapezium",
        Shape::Queue => "cds",
        Shape::Database => "cylinder",
        Shape::Function => "parallelogram",
        Shape::ObjectStore => "folder",
    };
    let pad = "    ".repeat(depth);
    let label = format!("{}\\n{}", quote(&node.name), node.kind);
    let _ = writeln!(
        out,
        "{pad}\"{}\" [label=\"{label}\", shape={shape}];",
        node.id
    );
}

/// Text for inside a DOT double-quoted string: `\` and `"` escaped, line breaks and other control
/// characters as spaces (a backslash sequence such as `\N` would otherwise be read as a macro).
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
