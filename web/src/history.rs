//! Undo and redo for the editor: a stack of the scenario's texts before each change.
//!
//! Every change goes through [`History::record`]: a graph or inspector action is one step; typing
//! is grouped, so that one undo takes back a burst of keystrokes rather than one character
//! (a new step starts when the kind of change differs from the last one or after a pause of
//! [`TYPING_PAUSE_MS`]). Depth is bounded ([`MAX_STEPS`]) so a long session cannot grow it forever.

/// Steps kept; older ones are forgotten.
pub const MAX_STEPS: usize = 200;
/// A pause in typing longer than this starts a new undo step.
pub const TYPING_PAUSE_MS: f64 = 1000.0;

/// What made a change (typing is grouped; everything else is a step of its own).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Typing,
    Action,
}

#[derive(Default)]
pub struct History {
    undo: Vec<String>,
    redo: Vec<String>,
    last: Option<(Change, f64)>,
}

impl History {
    /// Notes that the text `before` is about to become another, by `change` at `now_ms`.
    pub fn record(&mut self, before: &str, change: Change, now_ms: f64) {
        let grouped = change == Change::Typing
            && matches!(self.last, Some((Change::Typing, t)) if now_ms - t <= TYPING_PAUSE_MS);
        if !grouped && self.undo.last().map(String::as_str) != Some(before) {
            self.undo.push(before.to_string());
            if self.undo.len() > MAX_STEPS {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.last = Some((change, now_ms));
    }

    /// The text to go back to from `current`, if any.
    pub fn undo(&mut self, current: &str) -> Option<String> {
        let t = self.undo.pop()?;
        self.redo.push(current.to_string());
        self.last = None;
        Some(t)
    }

    /// The text undone last, if nothing changed since.
    pub fn redo(&mut self, current: &str) -> Option<String> {
        let t = self.redo.pop()?;
        self.undo.push(current.to_string());
        self.last = None;
        Some(t)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_undo_and_redo_one_at_a_time() {
        let mut h = History::default();
        h.record("a", Change::Action, 0.0);
        h.record("b", Change::Action, 10.0);
        assert_eq!(h.undo("c").as_deref(), Some("b"));
        assert_eq!(h.undo("b").as_deref(), Some("a"));
        assert_eq!(h.undo("a"), None);
        assert_eq!(h.redo("a").as_deref(), Some("b"));
        assert_eq!(h.redo("b").as_deref(), Some("c"));
        assert_eq!(h.redo("c"), None);
    }

    #[test]
    fn typing_is_grouped_until_a_pause_and_a_change_clears_redo() {
        let mut h = History::default();
        h.record("", Change::Typing, 0.0);
        h.record("x", Change::Typing, 300.0);
        h.record("xy", Change::Typing, 600.0);
        h.record("xyz", Change::Typing, 600.0 + TYPING_PAUSE_MS + 1.0);
        assert_eq!(h.undo("xyzw").as_deref(), Some("xyz"));
        assert_eq!(h.undo("xyz").as_deref(), Some(""));
        assert!(h.can_redo());
        h.record("", Change::Action, 5000.0);
        assert!(!h.can_redo());
    }

    #[test]
    fn depth_is_bounded() {
        let mut h = History::default();
        for i in 0..MAX_STEPS + 50 {
            h.record(&i.to_string(), Change::Action, i as f64);
        }
        let mut n = 0;
        let mut cur = String::from("end");
        while let Some(t) = h.undo(&cur) {
            cur = t;
            n += 1;
        }
        assert_eq!(n, MAX_STEPS);
        assert_eq!(cur, "50");
    }
}
