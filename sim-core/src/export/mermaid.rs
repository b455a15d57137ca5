//! The [`Diagram`] as a Mermaid `flowchart` (left to right): regions and zones as nested
//! `subgraph`s, each node declared inside its innermost box (Mermaid places a node where it is
//! first named), then every arrow. Labels are quoted, with every character that Mermaid could read
//! as syntax written as an entity code (`#34;` for `"`), so any name is safe.

use super::{Diagram, Line, Shape};
use std::fmt::Write;

/// The diagram as Mermaid text, ending with a newline.
pub fn render(d: &Diagram) -> String {
    let mut out = String::from("flowchart LR\n");
    for (g, group) in d.groups.iter().enumerate() {
        if group.parent.is_none() {
            write_group(&mut out, d, g, 1);
        }
    }
    for node in d.nodes.iter().filter(|n| n.group.is_none()) {
        write_node(&mut out, node, 1);
    }
    for e in &d.edges {
        let arrow = match e.line {
            Line::Solid => "-->",
            Line::Dashed => "-.->",
        };
        let label = e
            .label
            .map(|l| format!("|\"{}\"|", escape(l)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "    {} {arrow}{label} {}",
            d.nodes[e.from].id, d.nodes[e.to].id
        );
    }
    out
}

fn write_group(out: &mut String, d: &Diagram, g: usize, depth: usize) {
    let pad = "    ".repeat(depth);
    let group = &d.groups[g];
    let _ = writeln!(
        out,
        "{pad}subgraph {} [\"{}\"]",
        group.id,
        escape(&group.label)
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
    let _ = writeln!(out, "{pad}end");
}

fn write_node(out: &mut String, node: &super::Node, depth: usize) {
    let (open, close) = match node.shape {
        Shape::Users => ("([", "])"),
        Shape::Service => ("[", "]"),
        Shape::External => ("[[", "]]"),
        Shape::LoadBalancer => ("{{", "}}"),
        Shape::Dns => ("((", "))"),
        Shape::Cache => ("[/", "\\]"),
        Shape::Queue => (">", "]"),
        Shape::Database => ("[(", ")]"),
        Shape::Function => ("[/", "/]"),
        Shape::ObjectStore => ("[\\", "\\]"),
    };
    let pad = "    ".repeat(depth);
    let label = format!("{}<br/>{}", escape(&node.name), node.kind);
    let _ = writeln!(out, "{pad}{}{open}\"{label}\"{close}", node.id);
}

/// A label's text inside double quotes: letters, digits, space and `_-.:,/+` as they are,
/// everything else (quotes, brackets, `#`, `;`, `<`, `&`, `|`, non-ASCII, ...) as `#<code>;`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() || " _-.:,/+".contains(ch) {
            out.push(ch);
        } else {
            let _ = write!(out, "#{};", ch as u32);
        }
    }
    out
}
