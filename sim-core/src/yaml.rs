//! The YAML reader: turns source text into a small tree in which every node knows its span.
//!
//! `saphyr-parser` does the YAML; this module keeps positions (which a serde deserializer loses for
//! semantic errors such as "unknown component" or "negative duration") and guards against hostile
//! input: it refuses non-UTF-8 and NUL bytes, oversized files, nesting deeper than [`MAX_DEPTH`],
//! alias expansion beyond [`MAX_NODES`] nodes (the "billion laughs" bomb), duplicate keys, and more
//! than one document. It builds the tree with an explicit stack, so no input can overflow ours.

use crate::diagnostic::{Diagnostic, Pos, Span};
use saphyr_parser::{Event, Parser, ScalarStyle};
use std::collections::HashMap;

/// Largest scenario file accepted.
pub const MAX_SOURCE_BYTES: usize = 8 * 1024 * 1024;
/// Deepest nesting of mappings and sequences accepted.
pub const MAX_DEPTH: usize = 64;
/// Most nodes a document may have once aliases are expanded.
pub const MAX_NODES: usize = 200_000;
/// Most bytes of scalar text a document may hold once aliases are expanded (a few aliases of a
/// long string would otherwise expand a small file to gigabytes within the node bound).
pub const MAX_EXPANDED_BYTES: usize = 16 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A scalar's text; `quoted` scalars are always strings, plain ones may be numbers or booleans.
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// What kind of YAML value this is, for "expected X, found Y" messages.
    pub fn kind_name(&self) -> &'static str {
        match &self.value {
            Value::Scalar {
                text,
                quoted: false,
            } if is_null(text) => "nothing (null)",
            Value::Scalar {
                quoted: false,
                text,
            } if text.parse::<f64>().is_ok() => "a number",
            Value::Scalar { .. } => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    pub fn as_scalar(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(&self.value, Value::Scalar { text, quoted: false } if is_null(text))
    }

    /// Nodes and bytes of scalar text in this subtree, as an alias to it would copy them.
    fn size(&self) -> (usize, usize) {
        let add = |(n, b): (usize, usize), x: &Node| {
            let (xn, xb) = x.size();
            (n + xn, b + xb)
        };
        match &self.value {
            Value::Scalar { text, .. } => (1, text.len()),
            Value::Seq(v) => v.iter().fold((1, 0), add),
            Value::Map(v) => v.iter().fold((1, 0), |acc, (k, x)| add(add(acc, k), x)),
        }
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

/// Maps the parser's markers to lines, columns and byte offsets.
///
/// The byte offset is derived from the marker's line and column, never from its character index:
/// saphyr's index drifts from its line and column in a few error paths (a `%` directive line with
/// non-ASCII text), and at the end of input its line may be one past the last. Deriving everything
/// from (line, column) and clamping to the text keeps the printed `line:col`, the byte offset and
/// the underlined snippet in agreement.
struct Positions<'a> {
    text: &'a str,
    /// Character index of the first character of each line (lines end at `\n`).
    line_starts: Vec<usize>,
    /// Characters in `text`.
    chars: usize,
    /// Byte offset of each character, for non-ASCII text only (for ASCII they are equal).
    char_bytes: Option<Vec<u32>>,
    /// The position just past the last character.
    end: Pos,
}

impl<'a> Positions<'a> {
    fn new(text: &'a str) -> Positions<'a> {
        let mut line_starts = vec![0];
        let mut chars = 0;
        for (i, c) in text.chars().enumerate() {
            if c == '\n' {
                line_starts.push(i + 1);
            }
            chars = i + 1;
        }
        Positions {
            text,
            line_starts,
            chars,
            char_bytes: (!text.is_ascii())
                .then(|| text.char_indices().map(|(b, _)| b as u32).collect()),
            end: pos_of_byte(text.as_bytes(), text.len()),
        }
    }

    fn pos(&self, m: &saphyr_parser::Marker) -> Pos {
        let line = m.line().max(1);
        let Some(&first) = self.line_starts.get(line - 1) else {
            return self.end;
        };
        // The last character index on this line: its `\n`, or the end of the text.
        let last = self
            .line_starts
            .get(line)
            .map_or(self.chars, |&next| next - 1);
        let idx = (first + m.col()).min(last);
        let byte = match &self.char_bytes {
            None => idx,
            Some(t) => t.get(idx).map_or(self.text.len(), |&b| b as usize),
        };
        Pos {
            line: line as u32,
            col: (idx - first + 1) as u32,
            byte: byte as u32,
        }
    }
}

/// The position of byte offset `byte` in `text` (which need not be valid UTF-8 past it).
pub fn pos_of_byte(text: &[u8], byte: usize) -> Pos {
    let before = &text[..byte.min(text.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Pos {
        line: line as u32,
        col: col as u32,
        byte: byte as u32,
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: Pos,
        anchor: usize,
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        /// The keys seen so far and the line of each, so that duplicates are found in linear time.
        seen: HashMap<String, u32>,
        start: Pos,
        anchor: usize,
    },
}

/// Reads one YAML document from raw bytes.
pub fn parse(bytes: &[u8]) -> Result<Node, Diagnostic> {
    let text = source_text(bytes)?;
    let positions = Positions::new(text);
    refuse_empty(text)?;
    let mut parser = Parser::new_from_str(text);
    let mut tree = Tree::default();
    while let Some(ev) = parser.next_event() {
        let (event, span) = ev.map_err(|e| syntax_error(&positions, &e))?;
        let span = Span {
            start: positions.pos(&span.start),
            end: positions.pos(&span.end),
        };
        if let Some((node, anchor)) = tree.event(event, span)? {
            tree.attach(node, anchor)?;
        }
    }
    tree.root.ok_or_else(|| {
        Diagnostic::error(
            Span::point(Pos {
                line: 1,
                col: 1,
                byte: 0,
            }),
            "the file is empty: expected a scenario mapping",
        )
    })
}

/// The bytes as text, refused if too large, UTF-16, not UTF-8, or holding a NUL byte.
fn source_text(bytes: &[u8]) -> Result<&str, Diagnostic> {
    if bytes.len() > MAX_SOURCE_BYTES {
        return Err(Diagnostic::error(
            Span::point(pos_of_byte(bytes, 0)),
            format!(
                "file is {} bytes; expected a scenario of at most {} bytes",
                bytes.len(),
                MAX_SOURCE_BYTES
            ),
        ));
    }
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Diagnostic::error(
            Span::point(pos_of_byte(bytes, 0)),
            "this file is UTF-16 text: expected UTF-8 YAML",
        )
        .with_help("save the file as UTF-8"));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            return Err(Diagnostic::error(
                Span::point(pos_of_byte(bytes, e.valid_up_to())),
                "this is not a text file: expected UTF-8 YAML, found a byte that is not UTF-8",
            ));
        }
    };
    if let Some(i) = text.find('\0') {
        return Err(Diagnostic::error(
            Span::point(pos_of_byte(bytes, i)),
            "this is not a text file: expected YAML, found a NUL byte",
        ));
    }
    Ok(text)
}

/// Refuses a text of nothing but blank lines and comments.
fn refuse_empty(text: &str) -> Result<(), Diagnostic> {
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(Diagnostic::error(
            Span::point(Pos {
                line: 1,
                col: 1,
                byte: 0,
            }),
            "the file is empty: expected a scenario mapping with `version`, `name`, `duration`, `components` and `workloads`",
        ));
    }
    Ok(())
}

/// The scanner's error, at its place.
fn syntax_error(positions: &Positions, e: &saphyr_parser::ScanError) -> Diagnostic {
    let at = positions.pos(e.marker());
    // The scanner counts flow nesting (`[[[...`) in a byte and gives up past 255 levels,
    // before our own depth check sees the events: report it as the nesting it is.
    if e.info() == "recursion limit exceeded" {
        return too_deep(at);
    }
    Diagnostic::error(Span::point(at), format!("YAML syntax error: {}", e.info()))
        .with_help("expected well-formed YAML (`key: value` lines, `- item` lists, `{ ... }` and `[ ... ]`); check the indentation, brackets and quotes here and just before")
}

/// The tree as it is built from the parser's events: the mappings and sequences still open, the
/// anchors met so far, and the counts the bounds are checked against.
#[derive(Default)]
struct Tree {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    /// Nodes so far, aliases expanded.
    nodes: usize,
    /// Bytes of scalar text that aliases copied so far.
    expanded_bytes: usize,
    root: Option<Node>,
    documents: usize,
    /// Whether an alias was met (a node count past the bound is then called a bomb).
    aliases: bool,
}

impl Tree {
    /// Takes one event; returns the node it completes, if any, with its anchor (0 for none).
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<Option<(Node, usize)>, Diagnostic> {
        let Span { start, end } = span;
        Ok(match event {
            Event::StreamStart | Event::StreamEnd | Event::Nothing | Event::DocumentEnd => None,
            Event::DocumentStart(_) => {
                self.document(start)?;
                None
            }
            Event::Scalar(text, style, anchor, _tag) => {
                self.count_node(start)?;
                let quoted = !matches!(style, ScalarStyle::Plain);
                Some((
                    Node {
                        value: Value::Scalar {
                            text: text.into_owned(),
                            quoted,
                        },
                        span,
                    },
                    anchor,
                ))
            }
            Event::Alias(id) => Some((self.alias(id, span)?, 0)),
            Event::SequenceStart(anchor, _) => {
                self.open(
                    Frame::Seq {
                        items: Vec::new(),
                        start,
                        anchor,
                    },
                    start,
                )?;
                None
            }
            Event::MappingStart(anchor, _) => {
                self.open(
                    Frame::Map {
                        entries: Vec::new(),
                        key: None,
                        seen: HashMap::new(),
                        start,
                        anchor,
                    },
                    start,
                )?;
                None
            }
            Event::SequenceEnd => Some(self.close_seq(end)),
            Event::MappingEnd => Some(self.close_map(end)),
        })
    }

    /// Refuses a second document.
    fn document(&mut self, start: Pos) -> Result<(), Diagnostic> {
        self.documents += 1;
        if self.documents > 1 {
            return Err(Diagnostic::error(
                Span::point(start),
                "a second YAML document: expected exactly one scenario per file",
            ));
        }
        Ok(())
    }

    /// Counts one node against [`MAX_NODES`].
    fn count_node(&mut self, at: Pos) -> Result<(), Diagnostic> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(too_many_nodes(at, self.aliases));
        }
        Ok(())
    }

    /// A copy of the anchored node, at the alias's place, once its size is within the bounds.
    fn alias(&mut self, id: usize, span: Span) -> Result<Node, Diagnostic> {
        let Some(target) = self.anchors.get(&id) else {
            return Err(Diagnostic::error(span, "alias to an unknown anchor"));
        };
        self.aliases = true;
        // Counted before copying, so a bomb is refused before it costs.
        let (n_nodes, n_bytes) = target.size();
        self.nodes += n_nodes;
        self.expanded_bytes += n_bytes;
        if self.nodes > MAX_NODES {
            return Err(too_many_nodes(span.start, true));
        }
        if self.expanded_bytes > MAX_EXPANDED_BYTES {
            return Err(Diagnostic::error(
                span,
                format!("the document's aliases expand to more than {MAX_EXPANDED_BYTES} bytes of text (an alias bomb?); expected a scenario"),
            )
            .with_help("anchors and aliases are allowed, but their expansion is bounded"));
        }
        let mut n = target.clone();
        n.span = span;
        Ok(n)
    }

    /// Opens a mapping or sequence, within [`MAX_DEPTH`] and [`MAX_NODES`].
    fn open(&mut self, frame: Frame, start: Pos) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(too_deep(start));
        }
        self.count_node(start)?;
        self.stack.push(frame);
        Ok(())
    }

    fn close_seq(&mut self, end: Pos) -> (Node, usize) {
        match self.stack.pop() {
            Some(Frame::Seq {
                items,
                start,
                anchor,
            }) => (
                Node {
                    value: Value::Seq(items),
                    span: Span { start, end },
                },
                anchor,
            ),
            _ => unreachable!("the YAML parser balances sequence events"),
        }
    }

    fn close_map(&mut self, end: Pos) -> (Node, usize) {
        match self.stack.pop() {
            Some(Frame::Map {
                entries,
                start,
                anchor,
                ..
            }) => (
                Node {
                    value: Value::Map(entries),
                    span: Span { start, end },
                },
                anchor,
            ),
            _ => unreachable!("the YAML parser balances mapping events"),
        }
    }

    /// Puts a completed node in its place: the root, a sequence's next item, or a mapping's key
    /// or value; remembers it under its anchor.
    fn attach(&mut self, node: Node, anchor: usize) -> Result<(), Diagnostic> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries, key, seen, ..
            }) => match key.take() {
                None => *key = Some(new_key(seen, node)?),
                Some(k) => entries.push((k, node)),
            },
        }
        Ok(())
    }
}

/// A mapping's next key, refused if it is not a scalar or was given before.
fn new_key(seen: &mut HashMap<String, u32>, node: Node) -> Result<Node, Diagnostic> {
    let Value::Scalar { text: k, .. } = &node.value else {
        return Err(Diagnostic::error(
            node.span,
            "expected a plain key, found a complex key",
        ));
    };
    if let Some(&line) = seen.get(k) {
        return Err(Diagnostic::error(
            node.span,
            format!("duplicate key `{k}` (first given at line {line}); expected each key once"),
        ));
    }
    seen.insert(k.clone(), node.span.start.line);
    Ok(node)
}

fn too_deep(at: Pos) -> Diagnostic {
    Diagnostic::error(
        Span::point(at),
        format!("nesting deeper than {MAX_DEPTH} levels; expected a scenario"),
    )
}

fn too_many_nodes(at: Pos, aliases: bool) -> Diagnostic {
    if aliases {
        Diagnostic::error(
            Span::point(at),
            format!("the document expands to more than {MAX_NODES} values (an alias bomb?); expected a scenario"),
        )
        .with_help("anchors and aliases are allowed, but their expansion is bounded")
    } else {
        Diagnostic::error(
            Span::point(at),
            format!("the document has more than {MAX_NODES} values; expected a scenario"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions() {
        let n = parse(b"a: 1\nb:\n  - x\n  - 'y'\n").unwrap();
        let Value::Map(entries) = &n.value else {
            panic!()
        };
        assert_eq!(entries[1].0.span.start.line, 2);
        let Value::Seq(items) = &entries[1].1.value else {
            panic!()
        };
        assert_eq!(
            items[1].span.start,
            Pos {
                line: 4,
                col: 5,
                byte: 18
            }
        );
        assert_eq!(
            items[1].value,
            Value::Scalar {
                text: "y".into(),
                quoted: true
            }
        );
    }

    /// The case: a 20 KB string aliased 150,000 times stays under the node bound but would
    /// expand to 3 GB; it is refused by bytes, before the copies are made.
    #[test]
    fn refuses_aliases_that_expand_to_too_many_bytes() {
        let mut s = format!("s: &s \"{}\"\nl: [", "x".repeat(20_000));
        s.push_str(&vec!["*s"; 150_000].join(","));
        s.push_str("]\n");
        let e = parse(s.as_bytes()).unwrap_err();
        assert!(e.message.contains("bytes of text"), "{}", e.message);
        assert!(e.message.contains(&MAX_EXPANDED_BYTES.to_string()));
        // The same aliases of a short string are fine.
        let ok = format!("s: &s x\nl: [{}]\n", vec!["*s"; 150_000].join(","));
        assert!(parse(ok.as_bytes()).is_ok());
    }

    #[test]
    fn refuses_alias_bombs() {
        let mut s = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..9 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("l{}", i - 1)
            };
            s.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let e = parse(s.as_bytes()).unwrap_err();
        assert!(e.message.contains("alias bomb"), "{}", e.message);
    }

    #[test]
    fn refuses_binary_and_duplicates() {
        assert!(
            parse(b"a: 1\n\xff\xfe")
                .unwrap_err()
                .message
                .contains("UTF-8")
        );
        assert!(parse(b"a: 1\0").unwrap_err().message.contains("NUL"));
        let e = parse(b"a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.span.start.line, 2);
        assert!(parse(b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]").is_err());
    }

    #[test]
    fn end_of_input_is_on_the_last_line() {
        // The scanner reports errors at the end of input on a line past the last; we must not.
        let text = b"a: 1\nb: [x, y";
        let e = parse(text).unwrap_err();
        assert_eq!(e.span.start, pos_of_byte(text, text.len()));
        assert_eq!((e.span.start.line, e.span.start.col), (2, 9));
        let text = "é: 1\nb: [x".as_bytes();
        let e = parse(text).unwrap_err();
        assert_eq!(e.span.start, pos_of_byte(text, text.len()));
        assert_eq!((e.span.start.line, e.span.start.col), (2, 6));
    }

    #[test]
    fn directive_lines_with_non_ascii_keep_columns_and_bytes_together() {
        // saphyr's character index drifts on such a line; line, column and byte must still agree.
        let text = "%# é ü\nversion: 1\n".as_bytes();
        let e = parse(text).unwrap_err();
        assert_eq!(e.span.start, pos_of_byte(text, e.span.start.byte as usize));
        assert_eq!((e.span.start.line, e.span.start.col), (2, 1));
    }

    #[test]
    fn deep_flow_nesting_is_reported_as_nesting() {
        // saphyr's scanner stops at 255 flow levels with "recursion limit exceeded".
        let text = format!("a: {}{}", "[".repeat(300), "]".repeat(300));
        let e = parse(text.as_bytes()).unwrap_err();
        assert!(
            e.message.starts_with("nesting deeper than 64"),
            "{}",
            e.message
        );
        assert_eq!(e.span.start.line, 1);
    }

    #[test]
    fn duplicate_keys_found_among_many() {
        let mut text: String = (0..50_000).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k17: again\n");
        let e = parse(text.as_bytes()).unwrap_err();
        assert_eq!(e.span.start.line, 50_001);
        assert!(
            e.message.contains("first given at line 18"),
            "{}",
            e.message
        );
        let ok: String = (0..50_000).map(|i| format!("k{i}: {i}\n")).collect();
        assert!(parse(ok.as_bytes()).is_ok());
    }

    #[test]
    fn too_many_values_without_aliases_is_not_called_a_bomb() {
        let text: String = (0..120_000).map(|i| format!("k{i}: {i}\n")).collect();
        let e = parse(text.as_bytes()).unwrap_err();
        assert!(!e.message.contains("alias"), "{}", e.message);
        assert!(
            e.message.contains("more than 200000 values"),
            "{}",
            e.message
        );
        // Points at the value that crossed the bound, not at the start of the file.
        assert_eq!(e.span.start.line, 100_000);
    }

    #[test]
    fn refuses_utf16() {
        let e = parse(b"\xff\xfev\x00:\x00").unwrap_err();
        assert!(e.message.contains("UTF-16"), "{}", e.message);
        assert_eq!((e.span.start.line, e.span.start.col), (1, 1));
    }

    #[test]
    fn maps_non_ascii_columns_to_bytes() {
        let n = parse("é: ü\nb: c\n".as_bytes()).unwrap();
        let Value::Map(entries) = &n.value else {
            panic!()
        };
        assert_eq!(
            entries[0].1.span.start,
            Pos {
                line: 1,
                col: 4,
                byte: 4
            }
        );
        assert_eq!(
            entries[1].0.span.start,
            Pos {
                line: 2,
                col: 1,
                byte: 7
            }
        );
    }
}
