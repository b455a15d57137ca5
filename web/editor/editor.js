// The scenario editor: CodeMirror 6 with YAML highlighting, line numbers, the loader's findings
// inline at their place (message on hover), and completion of the format's keys and the file's
// component names. Bundled by scripts/build-web with esbuild (from web/node_modules, no network)
// into dist/editor.js, loaded by index.html before the app; the app (web/src/editor.rs) drives it
// through `window.ArchsimEditor.mount`, and the mounted editor is `window.archsimEditor` (for the
// browser tests and a user's console).
//
// The app stays the owner of the text: every change the user makes is reported to it (at once for
// a small file, after a pause in typing for a large one, so a 12,000-component file does not
// re-check on every key), and the app's own changes (an example, the sketch's edits, Apply plan)
// come back through `set`.

import { EditorState } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
  highlightActiveLine, rectangularSelection, crosshairCursor,
} from "@codemirror/view";
import { defaultKeymap } from "@codemirror/commands";
import { indentOnInput, syntaxHighlighting, defaultHighlightStyle, bracketMatching, foldGutter, foldKeymap } from "@codemirror/language";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { yaml } from "@codemirror/lang-yaml";
import { linter, setDiagnostics, lintGutter, lintKeymap } from "@codemirror/lint";
import { autocompletion, completionKeymap, closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";

/** CodeMirror's basic set-up without its undo history: undo and redo are the app's (one history
 * for typing, the sketch's and inspector's edits and Apply plan; Ctrl+Z reaches the app). */
const setup = [
  lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), foldGutter(), drawSelection(),
  EditorState.allowMultipleSelections.of(true), indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }), bracketMatching(), closeBrackets(),
  rectangularSelection(), crosshairCursor(), highlightActiveLine(), highlightSelectionMatches(),
  keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...foldKeymap, ...completionKeymap, ...lintKeymap]),
];

/** Above this many characters, changes reach the app after a pause in typing. */
const LARGE = 100_000;
const PAUSE_MS = 250;

/** The words completion offers: `{ keys: [...], kinds: {kind: [keys]}, names: [...] }`. */
let words = { keys: [], kinds: {}, names: [] };

/** The kind of the component whose block holds `pos` (`components:` > name > `kind: x`). */
function kindAt(state, pos) {
  const doc = state.doc;
  let line = doc.lineAt(pos);
  const indent = (l) => l.text.length - l.text.trimStart().length;
  const here = indent(line);
  // Walk up to the component's own line (indented 2 under `components:`), then down to `kind:`.
  for (let n = line.number; n >= 1; n--) {
    const l = doc.line(n);
    if (l.text.trim() === "" || l.text.trimStart().startsWith("#")) continue;
    if (indent(l) === 2 && n < line.number && here > 2) {
      for (let m = n + 1; m <= doc.lines; m++) {
        const k = doc.line(m);
        if (k.text.trim() !== "" && indent(k) <= 2) break;
        const hit = /^\s+kind:\s*([a-z_]+)/.exec(k.text);
        if (hit) return hit[1];
      }
      return null;
    }
    if (indent(l) === 0) return null;
  }
  return null;
}

function complete(context) {
  const word = context.matchBefore(/[A-Za-z_][\w.-]*/);
  if (!word && !context.explicit) return null;
  const from = word ? word.from : context.pos;
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, from - line.from);
  const options = [];
  // A key: at the start of a line (after its indentation or a `- `).
  if (/^\s*(- )?$/.test(before)) {
    const kind = kindAt(context.state, context.pos);
    const keys = (kind && words.kinds[kind]) || words.keys;
    for (const k of keys) options.push({ label: k, type: "property", apply: `${k}: `, detail: kind ?? "" });
  }
  // A component's name: as a value, or inside an SLO's parentheses.
  for (const n of words.names) options.push({ label: n, type: "variable", detail: "component" });
  return { from, options, validFor: /^[\w.-]*$/ };
}

/** The one change from `a` to `b`: what lies between their common start and common end, so the
 * cursor and the scroll stay where they were outside it (an undo, an inspector edit). */
function change(a, b) {
  let start = 0;
  const n = Math.min(a.length, b.length);
  while (start < n && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let end = 0;
  while (end < n - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++;
  return { from: start, to: a.length - end, insert: b.slice(start, b.length - end) };
}

/** Mounts the editor in `parent` with `text`; `onChange(text)` hears the user's changes. */
function mount(parent, text, onChange) {
  let timer = 0;
  let quiet = false;
  const report = (view) => {
    clearTimeout(timer);
    const send = () => onChange(view.state.doc.toString());
    if (view.state.doc.length > LARGE) timer = setTimeout(send, PAUSE_MS);
    else send();
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        // Ctrl+Enter runs the scenario (the app's key, not a new line). Tab leaves the editor, as in a
        // text area (keyboard users are not trapped); indent with spaces.
        keymap.of([{ key: "Mod-Enter", run: () => true }]),
        setup,
        yaml(),
        lintGutter(),
        // Diagnostics come from the app (the loader's findings); this linter only keeps the
        // lint machinery (tooltips, markers) in place.
        linter(null),
        autocompletion({ override: [complete] }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged && !quiet) report(u.view);
        }),
        // A file dropped on the editor opens it (the app's handler on #yaml), not pasted into it.
        EditorView.domEventHandlers({ drop: (e) => Boolean(e.dataTransfer && e.dataTransfer.files.length > 0) }),
        EditorView.contentAttributes.of({ "aria-label": "scenario YAML", spellcheck: "false" }),
      ],
    }),
  });
  const handle = {
    view,
    /** The text as it is now. */
    get: () => view.state.doc.toString(),
    /** Replaces the text (the app's own change: not reported back). */
    load(next) {
      const now = view.state.doc.toString();
      if (next === now) return;
      quiet = true;
      try {
        view.dispatch({ changes: change(now, next) });
      } finally {
        quiet = false;
      }
    },
    /** Replaces the text as a user would (reported to the app at once): for tests and the console. */
    set(next) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } });
      clearTimeout(timer);
      onChange(view.state.doc.toString());
    },
    /** The loader's findings: `[{ from, to, error, message }]`, offsets in UTF-16 units. */
    findings(list) {
      const len = view.state.doc.length;
      const diagnostics = list.map((f) => ({
        from: Math.min(f.from, len),
        to: Math.min(Math.max(f.to, f.from), len),
        severity: f.error ? "error" : "warning",
        message: f.message,
      }));
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    /** What completion offers (see `words`). */
    words(w) {
      words = w;
    },
    /** Selects `start..end` (UTF-16 offsets), focuses the editor and centres the line. */
    select(start, end) {
      const len = view.state.doc.length;
      const a = Math.min(start, len);
      const b = Math.min(end, len);
      view.dispatch({
        selection: { anchor: a, head: b },
        effects: EditorView.scrollIntoView(a, { y: "center" }),
      });
      view.focus();
    },
    /** The selection and whether the editor has the focus (for tests). */
    selection() {
      const s = view.state.selection.main;
      return {
        start: s.from,
        end: s.to,
        selected: view.state.sliceDoc(s.from, s.to),
        focused: view.hasFocus,
        top: view.scrollDOM.scrollTop,
      };
    },
    focus: () => view.focus(),
  };
  window.archsimEditor = handle;
  return handle;
}

window.ArchsimEditor = { mount };
