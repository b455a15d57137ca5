//! Edits of YAML *text* at the places its tree says, so that everything not edited (comments,
//! blank lines, key order, flow or block style) stays as the user wrote it.
//!
//! The scenario is always its text: the graph editor and the inspector turn each action into one
//! of these edits, and the result is parsed and validated like typed text. Undo is a stack of
//! texts (the web app's `history`). The CLI's `--set`, `plan --write` and the planner's candidates use the
//! same edits. A serde round trip would lose the comments that open every example.
//!
//! Positions come from [`crate::yaml::parse`]. Its spans of collections run on to the next
//! token (past comments and blank lines), so the extent of a value is computed here: a scalar's
//! span trimmed of trailing blanks, a flow collection up to its closing bracket (found by matching
//! brackets outside quotes and comments), a block collection up to the end of its last child.

use crate::yaml::{self, Node, Value};

/// One step of a path from the root: a mapping's key or a list's index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A path such as `components.api.replicas` or `workloads.0.entry` (numbers are indices).
pub fn path(dotted: &str) -> Vec<Seg> {
    dotted
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| match s.parse() {
            Ok(i) => Seg::Index(i),
            Err(_) => Seg::Key(s.to_string()),
        })
        .collect()
}

/// The parsed text, ready to be looked into.
pub struct Doc<'a> {
    pub text: &'a str,
    pub root: Node,
}

impl<'a> Doc<'a> {
    pub fn parse(text: &'a str) -> Result<Doc<'a>, String> {
        let root = yaml::parse(text.as_bytes())
            .map_err(|d| format!("{}:{}: {}", d.span.start.line, d.span.start.col, d.message))?;
        Ok(Doc { text, root })
    }

    /// The node at `path`.
    pub fn get(&self, path: &[Seg]) -> Option<&Node> {
        let mut n = &self.root;
        for s in path {
            n = child(n, s)?;
        }
        Some(n)
    }

    /// The key node of the entry at `path` (which must end in a key).
    pub fn key(&self, path: &[Seg]) -> Option<&Node> {
        let (last, parent) = path.split_last()?;
        let Seg::Key(k) = last else { return None };
        match &self.get(parent)?.value {
            Value::Map(e) => e
                .iter()
                .find(|(kn, _)| kn.as_scalar() == Some(k))
                .map(|(kn, _)| kn),
            _ => None,
        }
    }

    /// Where a node's content starts: past an anchor (`&name`) or tag (`!tag`) written before it.
    pub fn start(&self, n: &Node) -> usize {
        let b = self.text.as_bytes();
        let mut i = n.span.start.byte as usize;
        while matches!(b.get(i), Some(b'&' | b'!')) {
            while i < b.len() && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
        }
        i
    }

    /// An alias (`*name`): the tree holds a copy of the anchored node, whose children keep the
    /// anchor's places in the text; the alias itself is only its token.
    pub fn is_alias(&self, n: &Node) -> bool {
        self.text.as_bytes().get(n.span.start.byte as usize) == Some(&b'*')
    }

    /// Byte range of a node's own text (see the module's note on extents).
    pub fn extent(&self, n: &Node) -> (usize, usize) {
        if self.is_alias(n) {
            let start = n.span.start.byte as usize;
            let len = self.text[start..]
                .find(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']'))
                .unwrap_or(self.text.len() - start);
            return (start, start + len);
        }
        let start = self.start(n);
        match &n.value {
            Value::Scalar { .. } => {
                let end = n.span.end.byte as usize;
                let trimmed = self.text[start..end.max(start)].trim_end().len();
                (start, start + trimmed)
            }
            _ if self.is_flow(n) => (start, flow_end(self.text, start)),
            Value::Seq(items) => (start, items.last().map_or(start, |i| self.extent(i).1)),
            Value::Map(entries) => (
                start,
                entries.last().map_or(start, |(k, v)| self.entry_end(k, v)),
            ),
        }
    }

    /// Where a mapping entry ends: its value's end, or just past the `:` for a value written as
    /// nothing (null).
    pub fn entry_end(&self, k: &Node, v: &Node) -> usize {
        if v.is_null() {
            after_colon(self.text, k)
        } else {
            self.extent(v).1
        }
    }

    /// A flow collection (`{ ... }` or `[ ... ]`) rather than a block one.
    pub fn is_flow(&self, n: &Node) -> bool {
        !self.is_alias(n) && matches!(self.text.as_bytes().get(self.start(n)), Some(b'{' | b'['))
    }

    /// The node's text; a block collection's lines with their common indentation removed.
    pub fn source(&self, n: &Node) -> String {
        if n.is_null() {
            return String::new();
        }
        let (s, e) = self.extent(n);
        if matches!(n.value, Value::Scalar { .. }) || self.is_flow(n) {
            let t = &self.text[s..e];
            // A block scalar (`|` or `>`) starts on the line after its key: show its lines.
            return if t.contains('\n') {
                dedent(&self.text[line_start(self.text, s)..e])
            } else {
                t.to_string()
            };
        }
        dedent(&self.text[line_start(self.text, s)..e])
    }
}

/// The child of a mapping (by key) or of a list (by index).
pub fn child<'n>(n: &'n Node, s: &Seg) -> Option<&'n Node> {
    match (&n.value, s) {
        (Value::Map(e), Seg::Key(k)) => e
            .iter()
            .find(|(kn, _)| kn.as_scalar() == Some(k))
            .map(|(_, v)| v),
        (Value::Seq(items), Seg::Index(i)) => items.get(*i),
        _ => None,
    }
}

/// Just past the bracket closing the flow collection opened at `start`.
fn flow_end(text: &str, start: usize) -> usize {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\'' => {
                i += 1;
                while i < b.len() && b[i] != b'\'' {
                    i += 1;
                }
            }
            b'#' if i == 0 || b[i - 1].is_ascii_whitespace() => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    b.len()
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// Just past the end of the line holding `at` (past its `\n`, or the end of the text).
fn line_end(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

fn indent_of(text: &str, at: usize) -> usize {
    at - line_start(text, at)
}

/// Lines with their common leading spaces removed (blank lines ignored for the measure).
pub fn dedent(s: &str) -> String {
    let n = s
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    s.lines()
        .map(|l| {
            if l.len() >= n {
                &l[n..]
            } else {
                l.trim_start()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn indented(s: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    s.lines()
        .map(|l| {
            if l.trim().is_empty() {
                String::new()
            } else {
                format!("{pad}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A value written by the user: several lines (or a `- ` list) are a block, else one line.
fn is_block(src: &str) -> bool {
    let t = src.trim();
    let one_line_mapping = !t.starts_with(['{', '[', '"', '\'']) && t.contains(": ");
    t.contains('\n') || t.starts_with("- ") || t == "-" || one_line_mapping
}

fn splice(text: &str, from: usize, to: usize, with: &str) -> String {
    let mut s = String::with_capacity(text.len() + with.len());
    s.push_str(&text[..from]);
    s.push_str(with);
    s.push_str(&text[to..]);
    s
}

/// Just past the `:` that follows a key.
fn after_colon(text: &str, key: &Node) -> usize {
    let k = key.span.end.byte as usize;
    let rest = &text[k..];
    let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    if rest[skip..].starts_with(':') {
        k + skip + 1
    } else {
        k
    }
}

/// Anchors and aliases (`&shard` ... `*shard`): an edit must not reach through an alias into the
/// anchor's text (it would change every copy), nor remove an anchor that aliases still use. So
/// before an edit at `path`, an alias on the way is written out as a copy of what it stands for,
/// and the aliases of any anchor in the edited node are too. Then the edit is plain.
fn prepare(text: &str, path: &[Seg]) -> Result<String, String> {
    // Without an anchor there is no alias: nothing to do (the common case).
    if !text.contains('&') {
        return Ok(text.to_string());
    }
    let mut t = text.to_string();
    // Write out the first alias along the path, then look again from past it (one parse when
    // there is none).
    let mut from = 1;
    while from <= path.len() {
        let doc = Doc::parse(&t)?;
        let alias = (from..=path.len())
            .take_while(|&n| doc.get(&path[..n]).is_some())
            .find(|&n| doc.get(&path[..n]).is_some_and(|node| doc.is_alias(node)));
        let Some(n) = alias else { break };
        t = materialize(&doc, &path[..n])?;
        from = n + 1;
    }
    let names = {
        let doc = Doc::parse(&t)?;
        match doc.get(path) {
            Some(node) if !doc.is_alias(node) => {
                let from = doc.key(path).map_or(node.span.start.byte as usize, |k| {
                    k.span.start.byte as usize
                });
                anchors_in(&t[from..doc.extent(node).1])
            }
            _ => Vec::new(),
        }
    };
    for name in names {
        loop {
            let doc = Doc::parse(&t)?;
            let mut found = None;
            find_alias(&doc, &doc.root, &mut Vec::new(), &name, &mut found);
            let Some(p) = found else { break };
            t = materialize(&doc, &p)?;
        }
    }
    Ok(t)
}

/// Anchor names defined in some YAML text (`&name`, after a space, `:`, `-` or a bracket).
fn anchors_in(t: &str) -> Vec<String> {
    let b = t.as_bytes();
    let mut out = Vec::new();
    for (i, _) in t.match_indices('&') {
        if i > 0
            && !matches!(
                b[i - 1],
                b' ' | b'\t' | b'\n' | b':' | b'-' | b'[' | b'{' | b','
            )
        {
            continue;
        }
        let name: String = t[i + 1..]
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
            .collect();
        if !name.is_empty() && !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn find_alias(
    doc: &Doc<'_>,
    n: &Node,
    at: &mut Vec<Seg>,
    name: &str,
    found: &mut Option<Vec<Seg>>,
) {
    if found.is_some() {
        return;
    }
    if doc.is_alias(n) {
        if doc.text[doc.extent(n).0..doc.extent(n).1] == format!("*{name}") {
            *found = Some(at.clone());
        }
        return;
    }
    match &n.value {
        Value::Map(e) => {
            for (k, v) in e {
                at.push(Seg::Key(k.as_scalar().unwrap_or_default().to_string()));
                find_alias(doc, v, at, name, found);
                at.pop();
            }
        }
        Value::Seq(items) => {
            for (i, v) in items.iter().enumerate() {
                at.push(Seg::Index(i));
                find_alias(doc, v, at, name, found);
                at.pop();
            }
        }
        Value::Scalar { .. } => {}
    }
}

/// The text an anchor stands for (without the anchor), as [`Doc::source`] gives it.
fn anchored_source(doc: &Doc<'_>, n: &Node, name: &str) -> Option<String> {
    let s = n.span.start.byte as usize;
    if doc.text[s..].starts_with(&format!("&{name}"))
        && doc.text[s + 1 + name.len()..].starts_with(|c: char| c.is_whitespace())
    {
        return Some(doc.source(n));
    }
    match &n.value {
        Value::Map(e) => e.iter().find_map(|(_, v)| anchored_source(doc, v, name)),
        Value::Seq(items) => items.iter().find_map(|v| anchored_source(doc, v, name)),
        Value::Scalar { .. } => None,
    }
}

/// Writes out the alias at `path` as a copy of its anchor's text.
fn materialize(doc: &Doc<'_>, path: &[Seg]) -> Result<String, String> {
    let text = doc.text;
    let node = doc.get(path).ok_or("no alias here")?;
    let (s, e) = doc.extent(node);
    let name = &text[s + 1..e];
    let copy = anchored_source(doc, &doc.root, name)
        .ok_or_else(|| format!("the anchor `&{name}` is not in the file"))?;
    if !copy.contains('\n') {
        return Ok(splice(text, s, e, copy.trim()));
    }
    match doc.key(path) {
        Some(k) => {
            let col = indent_of(text, k.span.start.byte as usize);
            Ok(splice(
                text,
                after_colon(text, k),
                e,
                &format!("\n{}", indented(&copy, col + 2)),
            ))
        }
        None => {
            // A list item (`- *name`): the first line after the dash, the others under it.
            let col = indent_of(text, s);
            let mut lines = copy.lines();
            let first = lines.next().unwrap_or_default().to_string();
            let rest: Vec<String> = lines.map(|l| format!("{}{l}", " ".repeat(col))).collect();
            Ok(splice(
                text,
                s,
                e,
                &std::iter::once(first)
                    .chain(rest)
                    .collect::<Vec<_>>()
                    .join("\n"),
            ))
        }
    }
}

/// Sets the value at `path` to `src` (YAML text: `4`, `{ exponential: 2ms }`, or several lines
/// for a block). A missing last key is added to its mapping, after its last entry.
pub fn set(text: &str, path: &[Seg], src: &str) -> Result<String, String> {
    let prepared = prepare(text, path)?;
    let text = prepared.as_str();
    let doc = Doc::parse(text)?;
    let src = src.trim_end();
    let (last, parent_path) = path.split_last().ok_or("nothing to set")?;
    let parent = doc
        .get(parent_path)
        .ok_or_else(|| format!("`{}` is not in the file", dotted(parent_path)))?;
    let block = is_block(src);
    match (last, &parent.value) {
        (Seg::Key(k), Value::Map(entries)) => {
            if let Some((kn, v)) = entries.iter().find(|(kn, _)| kn.as_scalar() == Some(k)) {
                let (from, to) = (after_colon(text, kn), doc.entry_end(kn, v));
                if doc.is_flow(parent) {
                    if block {
                        return Err(format!(
                            "`{k}` is in a one-line `{{ ... }}` mapping: write its value on one line, such as `[a, b]` or `{{ x: 1 }}`"
                        ));
                    }
                    return Ok(splice(text, from, to, &format!(" {}", src.trim())));
                }
                let key_col = indent_of(text, kn.span.start.byte as usize);
                let with = if block {
                    format!("\n{}", indented(&dedent(src), key_col + 2))
                } else if src.trim().is_empty() {
                    String::new()
                } else {
                    format!(" {}", src.trim())
                };
                Ok(splice(text, from, to, &with))
            } else {
                insert_entry(&doc, parent, k, src)
            }
        }
        (Seg::Index(i), Value::Seq(items)) => {
            let item = items
                .get(*i)
                .ok_or_else(|| format!("`{}` is not in the file", dotted(path)))?;
            if block {
                return Err("a list item is edited on one line".into());
            }
            let (s, e) = doc.extent(item);
            Ok(splice(text, s, e, src.trim()))
        }
        (Seg::Key(k), _) if parent.is_null() && !parent_path.is_empty() => {
            // `regions:` with nothing yet: give it a mapping.
            let inner = if block {
                return Err(format!("`{k}` needs its parent written first"));
            } else {
                format!("{{ {k}: {} }}", src.trim())
            };
            set(text, parent_path, &inner)
        }
        _ => Err(format!(
            "`{}` is not a mapping or list",
            dotted(parent_path)
        )),
    }
}

fn insert_entry(doc: &Doc<'_>, map: &Node, key: &str, src: &str) -> Result<String, String> {
    let text = doc.text;
    let Value::Map(entries) = &map.value else {
        unreachable!()
    };
    let block = is_block(src);
    if doc.is_flow(map) {
        if block {
            return Err(format!(
                "the mapping is written on one line: write `{key}` on one line too"
            ));
        }
        let close = doc.extent(map).1 - 1;
        return Ok(match entries.last() {
            Some((_, v)) => {
                let at = if v.is_null() { close } else { doc.extent(v).1 };
                splice(text, at, at, &format!(", {key}: {}", src.trim()))
            }
            None => splice(
                text,
                doc.start(map) + 1,
                close,
                &format!(" {key}: {} ", src.trim()),
            ),
        });
    }
    let Some((first, _)) = entries.first() else {
        return Err("an empty mapping".into());
    };
    let col = indent_of(text, first.span.start.byte as usize);
    let (last_k, last_v) = entries.last().expect("not empty");
    let at = line_end(text, doc.entry_end(last_k, last_v));
    let mut entry = if block {
        format!(
            "{}{key}:\n{}\n",
            " ".repeat(col),
            indented(&dedent(src), col + 2)
        )
    } else {
        format!("{}{key}: {}\n", " ".repeat(col), src.trim())
    };
    if !text[..at].ends_with('\n') {
        entry.insert(0, '\n');
    }
    Ok(splice(text, at, at, &entry))
}

/// Adds `item` (one line of YAML) at the end of the list at `path`; a missing list is created.
pub fn push(text: &str, path: &[Seg], item: &str) -> Result<String, String> {
    let prepared = prepare(text, path)?;
    let text = prepared.as_str();
    let doc = Doc::parse(text)?;
    let item = item.trim();
    let Some(list) = doc.get(path) else {
        return set(text, path, &format!("- {item}"));
    };
    if list.is_null() {
        return set(text, path, &format!("- {item}"));
    }
    let Value::Seq(items) = &list.value else {
        return Err(format!("`{}` is not a list", dotted(path)));
    };
    if doc.is_flow(list) {
        let close = doc.extent(list).1 - 1;
        return Ok(match items.last() {
            Some(last) => {
                let at = doc.extent(last).1;
                splice(text, at, at, &format!(", {item}"))
            }
            None => splice(text, doc.start(list) + 1, close, item),
        });
    }
    let first = items.first().ok_or("an empty list")?;
    let dash = dash_before(text, first.span.start.byte as usize);
    let col = indent_of(text, dash);
    let at = line_end(text, doc.extent(items.last().unwrap()).1);
    let mut line = format!("{}- {item}\n", " ".repeat(col));
    if !text[..at].ends_with('\n') {
        line.insert(0, '\n');
    }
    Ok(splice(text, at, at, &line))
}

/// The `-` that opens the block list item starting at `at`.
fn dash_before(text: &str, at: usize) -> usize {
    text[..at].rfind('-').unwrap_or(at)
}

/// Removes the entry or list item at `path`. A list left empty becomes `[]`.
pub fn remove(text: &str, path: &[Seg]) -> Result<String, String> {
    let prepared = prepare(text, path)?;
    let text = prepared.as_str();
    let doc = Doc::parse(text)?;
    let (last, parent_path) = path.split_last().ok_or("nothing to remove")?;
    let parent = doc
        .get(parent_path)
        .ok_or_else(|| format!("`{}` is not in the file", dotted(parent_path)))?;
    let flow = doc.is_flow(parent);
    match (last, &parent.value) {
        (Seg::Key(k), Value::Map(entries)) => {
            let i = entries
                .iter()
                .position(|(kn, _)| kn.as_scalar() == Some(k))
                .ok_or_else(|| format!("`{}` is not in the file", dotted(path)))?;
            let (kn, v) = &entries[i];
            let start = kn.span.start.byte as usize;
            let end = doc.entry_end(kn, v);
            if flow {
                return Ok(remove_flow_item(text, &doc, parent, start, end));
            }
            let ls = line_start(text, start);
            if text[ls..start].trim().is_empty() {
                if entries.len() == 1 && !parent_path.is_empty() {
                    // The only entry of a nested mapping: leave the mapping empty.
                    let pk = doc
                        .key(parent_path)
                        .ok_or("cannot remove the only entry here")?;
                    return Ok(splice(
                        text,
                        after_colon(text, pk),
                        line_end(text, end).saturating_sub(usize::from(
                            text[..line_end(text, end)].ends_with('\n'),
                        )),
                        " {}",
                    ));
                }
                Ok(splice(text, ls, line_end(text, end), ""))
            } else {
                // The first key of a list item (`- to: x`): the next key moves up.
                match entries.get(i + 1) {
                    Some((next, _)) => Ok(splice(text, start, next.span.start.byte as usize, "")),
                    None => Ok(splice(text, start, end, "{}")),
                }
            }
        }
        (Seg::Index(i), Value::Seq(items)) => {
            let item = items
                .get(*i)
                .ok_or_else(|| format!("`{}` is not in the file", dotted(path)))?;
            let (s, e) = doc.extent(item);
            if flow {
                return Ok(remove_flow_item(text, &doc, parent, s, e));
            }
            if items.len() == 1 {
                let pk = doc
                    .key(parent_path)
                    .ok_or("cannot remove the only item here")?;
                let from = after_colon(text, pk);
                let to = line_end(text, e);
                let keep_nl = usize::from(text[..to].ends_with('\n'));
                return Ok(splice(text, from, to - keep_nl, " []"));
            }
            let dash = dash_before(text, s);
            Ok(splice(text, line_start(text, dash), line_end(text, e), ""))
        }
        _ => Err(format!("`{}` is not in the file", dotted(path))),
    }
}

/// Removes `text[s..e]` from a flow collection with the comma on one side.
fn remove_flow_item(text: &str, doc: &Doc<'_>, coll: &Node, s: usize, e: usize) -> String {
    let open = doc.start(coll);
    let close = doc.extent(coll).1 - 1;
    let after = &text[e..close];
    if let Some(c) = after.find(',') {
        // `a, b` -> `b`: up to the next item.
        let rest = &text[e + c + 1..close];
        let next = e + c + 1 + (rest.len() - rest.trim_start().len());
        return splice(text, s, next, "");
    }
    let before = &text[open + 1..s];
    if let Some(c) = before.rfind(',') {
        return splice(text, open + 1 + c, e, "");
    }
    splice(text, open + 1, close, " ")
}

/// Applies replacements of byte ranges of `text` at once (each range replaced once, however
/// many times it is listed), from the end so that earlier offsets stay valid.
pub fn apply(text: &str, mut edits: Vec<(usize, usize, String)>) -> String {
    edits.sort_by_key(|e| (e.0, e.1));
    edits.dedup_by_key(|e| (e.0, e.1));
    let mut out = text.to_string();
    for (s, e, with) in edits.into_iter().rev() {
        out.replace_range(s..e, &with);
    }
    out
}

pub fn dotted(path: &[Seg]) -> String {
    path.iter()
        .map(|s| match s {
            Seg::Key(k) => k.clone(),
            Seg::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "# top\nname: x\ncomponents:\n  api:\n    kind: service   # the front\n    replicas: 4\n    calls:\n      - to: auth\n        timeout: 1s\n      - db\n  db: { kind: service, service_time: 1ms, calls: [a, b] }\n  # a comment\nslo:\n  - p99(w) < 1s\n";

    fn p(s: &str) -> Vec<Seg> {
        path(s)
    }

    #[test]
    fn paths_mix_keys_and_indices() {
        assert_eq!(
            p("workloads.0.entry"),
            vec![
                Seg::Key("workloads".into()),
                Seg::Index(0),
                Seg::Key("entry".into())
            ]
        );
    }

    #[test]
    fn sets_an_existing_scalar_keeping_comments() {
        let t = set(T, &p("components.api.replicas"), "6").unwrap();
        assert_eq!(t, T.replace("replicas: 4", "replicas: 6"));
        let t = set(T, &p("components.api.kind"), "external").unwrap();
        assert_eq!(
            t,
            T.replace(
                "kind: service   # the front",
                "kind: external   # the front"
            )
        );
    }

    #[test]
    fn sets_values_in_flow_mappings_and_list_items() {
        let t = set(T, &p("components.db.service_time"), "{ exponential: 2ms }").unwrap();
        assert!(
            t.contains("db: { kind: service, service_time: { exponential: 2ms }, calls: [a, b] }"),
            "{t}"
        );
        let t = set(T, &p("slo.0"), "p99(w) < 2s").unwrap();
        assert!(t.ends_with("slo:\n  - p99(w) < 2s\n"), "{t}");
        assert!(set(T, &p("components.db.calls"), "- a\n- b").is_err());
    }

    #[test]
    fn replaces_a_block_value_with_a_block_or_a_line() {
        let t = set(T, &p("components.api.calls"), "- to: db\n  timeout: 2s").unwrap();
        assert!(
            t.contains("    calls:\n      - to: db\n        timeout: 2s\n  db: {"),
            "{t}"
        );
        let t = set(T, &p("components.api.calls"), "[db]").unwrap();
        assert!(t.contains("    calls: [db]\n  db: {"), "{t}");
        Doc::parse(&t).unwrap();
    }

    #[test]
    fn adds_missing_keys_after_the_last_entry() {
        let t = set(T, &p("components.api.concurrency"), "8").unwrap();
        assert!(t.contains("      - db\n    concurrency: 8\n  db:"), "{t}");
        let t = set(T, &p("components.db.replicas"), "3").unwrap();
        assert!(t.contains("calls: [a, b], replicas: 3 }"), "{t}");
        let t = set(T, &p("layout"), "api: [1, 2]").unwrap();
        assert!(
            t.ends_with("  - p99(w) < 1s\nlayout:\n  api: [1, 2]\n"),
            "{t}"
        );
        let t = set(T, &p("layout"), "{ api: [1, 2] }").unwrap();
        assert!(
            t.ends_with("  - p99(w) < 1s\nlayout: { api: [1, 2] }\n"),
            "{t}"
        );
        let t = set(&t, &p("layout.db"), "[3, 4]").unwrap();
        assert!(t.ends_with("layout: { api: [1, 2], db: [3, 4] }\n"), "{t}");
        // No newline at the end of the file.
        let t = set("a: 1", &p("b"), "2").unwrap();
        assert_eq!(t, "a: 1\nb: 2\n");
        let t = set("a:\n  x: 1\n", &p("a.y"), "- 1\n- 2").unwrap();
        assert_eq!(t, "a:\n  x: 1\n  y:\n    - 1\n    - 2\n");
    }

    #[test]
    fn pushes_onto_block_flow_and_missing_lists() {
        let t = push(T, &p("components.api.calls"), "to: cache").unwrap();
        assert!(t.contains("      - db\n      - to: cache\n  db:"), "{t}");
        let t = push(T, &p("components.db.calls"), "c").unwrap();
        assert!(t.contains("calls: [a, b, c] }"), "{t}");
        let t = push(T, &p("components.api.targets"), "x").unwrap();
        assert!(
            t.contains("      - db\n    targets:\n      - x\n  db:"),
            "{t}"
        );
        let t = push(T, &p("slo"), "p50(w) < 1s").unwrap();
        assert!(t.ends_with("  - p99(w) < 1s\n  - p50(w) < 1s\n"), "{t}");
        let t = push("a: []\n", &p("a"), "1").unwrap();
        assert_eq!(t, "a: [1]\n");
    }

    #[test]
    fn removes_entries_and_items_with_their_lines() {
        let t = remove(T, &p("components.api.replicas")).unwrap();
        assert_eq!(t, T.replace("    replicas: 4\n", ""));
        let t = remove(T, &p("components.api.calls.0")).unwrap();
        assert_eq!(t, T.replace("      - to: auth\n        timeout: 1s\n", ""));
        let t = remove(T, &p("components.db.calls.0")).unwrap();
        assert!(t.contains("calls: [b] }"), "{t}");
        let t = remove(&t, &p("components.db.calls.0")).unwrap();
        assert!(t.contains("calls: [ ] }"), "{t}");
        let t = remove(T, &p("components.db.service_time")).unwrap();
        assert!(t.contains("db: { kind: service, calls: [a, b] }"), "{t}");
        let t = remove(T, &p("components.db.calls")).unwrap();
        assert!(
            t.contains("db: { kind: service, service_time: 1ms }"),
            "{t}"
        );
        let t = remove(T, &p("components.db")).unwrap();
        assert!(!t.contains("db: {") && t.contains("  # a comment\n"), "{t}");
        let t = remove(T, &p("slo.0")).unwrap();
        assert!(t.ends_with("slo: []\n"), "{t}");
        let t = remove(T, &p("components.api.calls.0.to")).unwrap();
        assert!(t.contains("      - timeout: 1s\n"), "{t}");
        Doc::parse(&t).unwrap();
    }

    #[test]
    fn shows_sources_dedented() {
        let d = Doc::parse(T).unwrap();
        assert_eq!(
            d.source(d.get(&p("components.api.calls")).unwrap()),
            "- to: auth\n  timeout: 1s\n- db"
        );
        assert_eq!(
            d.source(d.get(&p("components.db.calls")).unwrap()),
            "[a, b]"
        );
        assert_eq!(
            d.source(d.get(&p("components.api.kind")).unwrap()),
            "service"
        );
    }

    #[test]
    fn applies_edits_once_each_from_the_end() {
        let d = Doc::parse(T).unwrap();
        let (s, e) = d.extent(d.key(&p("components.db")).unwrap());
        let (s2, e2) = d.extent(d.get(&p("components.api.calls.1")).unwrap());
        let edits = vec![
            (s2, e2, "store".to_string()),
            (s, e, "store".into()),
            (s, e, "store".into()),
        ];
        let t = apply(T, edits);
        assert_eq!(
            t,
            T.replace("  db: {", "  store: {")
                .replace("      - db\n", "      - store\n")
        );
    }

    const ANCHORED: &str =
        "c:\n  a: &s\n    kind: x\n    r: 1\n  b: *s\n  d: &f { k: 1 }\n  e: *f\nl:\n  - *f\n";

    #[test]
    fn edits_through_an_alias_write_it_out_first() {
        // Editing b (an alias of a's mapping) changes b only.
        let t = set(ANCHORED, &p("c.b.r"), "2").unwrap();
        assert_eq!(
            t,
            "c:\n  a: &s\n    kind: x\n    r: 1\n  b:\n    kind: x\n    r: 2\n  d: &f { k: 1 }\n  e: *f\nl:\n  - *f\n"
        );
        let t = set(ANCHORED, &p("c.e.k"), "3").unwrap();
        assert!(t.contains("  d: &f { k: 1 }\n  e: { k: 3 }\n"), "{t}");
        // Anchored flow mappings end at their bracket.
        let d = Doc::parse(ANCHORED).unwrap();
        assert_eq!(d.source(d.get(&p("c.d")).unwrap()), "{ k: 1 }");
        let t = set(ANCHORED, &p("c.d.z"), "2").unwrap();
        assert!(t.contains("  d: &f { k: 1, z: 2 }\n  e: *f\n"), "{t}");
    }

    #[test]
    fn removing_an_anchor_writes_out_its_aliases() {
        let t = remove(ANCHORED, &p("c.a")).unwrap();
        assert_eq!(
            t,
            "c:\n  b:\n    kind: x\n    r: 1\n  d: &f { k: 1 }\n  e: *f\nl:\n  - *f\n"
        );
        let t = remove(ANCHORED, &p("c.d")).unwrap();
        assert_eq!(
            t,
            "c:\n  a: &s\n    kind: x\n    r: 1\n  b: *s\n  e: { k: 1 }\nl:\n  - { k: 1 }\n"
        );
    }

    #[test]
    fn flow_ends_skip_quotes_and_comments() {
        let s = "{ a: \"}\", b: '[', c: [1, 2] } # }";
        assert_eq!(flow_end(s, 0), s.find(" #").unwrap());
    }
}
