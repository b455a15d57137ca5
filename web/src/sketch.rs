//! The "Sketch" panel (wasm32 only): the graph editor and the replay.
//!
//! Editing: a palette adds components; a box is selected by a click (or Enter/Space when focused;
//! Tab reaches every box), dragged to move it (written to `layout:`; arrow keys move the focused
//! box by 10 px, 50 with Shift), and connected by dragging from its handle (the circle on its
//! right edge) onto another box; an arrow is selected by a click. Delete removes the selection;
//! Undo/Redo (Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y) step through the history. The panel never edits the
//! text itself: it sends an [`Edit`] to the page, which applies it to the YAML
//! ([`crate::scenario_edit`]), records it for undo and validates the result. The graph shown is of
//! the editor's current text (the last valid one while the text has errors).
//!
//! Replay, after a run: a time slider over the report's windows (arrow keys move it; Space on it
//! plays or pauses), a Play/Pause button, the graph coloured by each component's state in the
//! window, and a banner naming the faults active in it.

use crate::graph::{Graph, Look};
use crate::inspector::Selection;
use crate::replay::{self, Replay};
use crate::scenario_edit::PALETTE;
use crate::yaml_edit::Seg;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlInputElement, KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// Milliseconds between windows while playing.
pub const STEP_MS: i32 = 250;
/// Moves snap to this grid (pixels).
pub const GRID: f64 = 10.0;

/// What the user asked to change; the page applies it to the text.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    Add {
        kind: &'static str,
        near: Option<String>,
    },
    Connect(String, String),
    Disconnect(String, String),
    Delete(String),
    Move(String, f64, f64),
    Rename(String, String),
    Set(Vec<Seg>, String),
    AddField {
        at: Vec<Seg>,
        key: String,
        shorthand: bool,
    },
    Remove(Vec<Seg>),
    /// "Vary this": `component`, `field` into `plan.vary`.
    Vary(String, String),
    /// The Plan tab's load factors (`1x, 3x`).
    SetLoads(String),
    /// The Plan tab's growth: `rate` or `horizon`, and its text.
    SetGrowth(&'static str, String),
    AddWorkload,
    AddFault,
    AddSlo,
    Undo,
    Redo,
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The graph of the editor's text; `None` while the text does not load.
    pub graph: Option<Rc<Graph>>,
    /// The last run's time series, read from its report, if any.
    pub replay: Option<Rc<Replay>>,
    pub selection: Option<Selection>,
    pub can_undo: bool,
    pub can_redo: bool,
    pub on_edit: Callback<Edit>,
    pub on_select: Callback<Option<Selection>>,
    /// The replay's window (start and end, seconds) when the slider moves or plays.
    #[prop_or_default]
    pub on_time: Callback<Option<(f64, f64)>>,
}

pub enum Msg {
    Seek(usize),
    Toggle,
    Tick,
    Down(PointerEvent),
    MoveTo(PointerEvent),
    Up(PointerEvent),
    Key(KeyboardEvent),
}

struct Timer {
    id: i32,
    _tick: Closure<dyn FnMut()>,
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_interval_with_handle(self.id);
        }
    }
}

/// A drag in progress.
enum Drag {
    /// Moving a box: the pointer's start, the box's start, and whether it moved yet.
    Box {
        name: String,
        start: (f64, f64),
        from: (f64, f64),
        moved: bool,
    },
    /// Drawing a connection from a box's handle to the pointer (drawing coordinates).
    Connect {
        from: String,
        start: (f64, f64),
        to: (f64, f64),
    },
}

pub struct Sketch {
    /// The graph shown: of the text, or of the last text that loaded.
    graph: Option<Rc<Graph>>,
    /// The text has errors: the graph shown is of the last valid text.
    stale: bool,
    replay: Option<Rc<Replay>>,
    window: usize,
    timer: Option<Timer>,
    drag: Option<Drag>,
    /// While dragging a box: the graph with the box where the pointer is.
    preview: Option<Graph>,
    graph_ref: NodeRef,
    /// A box to give the focus back to after a redraw (keyboard moves).
    refocus: Option<String>,
}

/// The closest element to the event's target matching `selector`.
fn closest(target: Option<web_sys::EventTarget>, selector: &str) -> Option<Element> {
    target?.dyn_into::<Element>().ok()?.closest(selector).ok()?
}

fn snap(v: f64) -> f64 {
    (v / GRID).round() * GRID
}

impl Sketch {
    fn play(&mut self, ctx: &Context<Self>) {
        let Some(r) = &self.replay else { return };
        if self.window + 1 >= r.windows() {
            self.window = 0;
        }
        let link = ctx.link().clone();
        let tick = Closure::<dyn FnMut()>::new(move || link.send_message(Msg::Tick));
        let id = web_sys::window().and_then(|w| {
            w.set_interval_with_callback_and_timeout_and_arguments_0(
                tick.as_ref().unchecked_ref(),
                STEP_MS,
            )
            .ok()
        });
        if let Some(id) = id {
            self.timer = Some(Timer { id, _tick: tick });
        }
    }

    /// Tells the page the replay's window, for the cursor on its charts.
    fn tell_time(&self, ctx: &Context<Self>) {
        if let Some(r) = &self.replay {
            let t0 = r.start_s.get(self.window).copied().unwrap_or(0.0);
            ctx.props().on_time.emit(Some((t0, t0 + r.window_s)));
        }
    }

    /// The pointer's place in the drawing's coordinates.
    fn at(&self, e: &PointerEvent) -> Option<(f64, f64)> {
        let g = self.graph.as_ref()?;
        let svg = self
            .graph_ref
            .cast::<Element>()?
            .query_selector("svg")
            .ok()??;
        let r = svg.get_bounding_client_rect();
        Some((
            f64::from(e.client_x()) - r.left() + g.origin.0,
            f64::from(e.client_y()) - r.top() + g.origin.1,
        ))
    }

    fn down(&mut self, ctx: &Context<Self>, e: PointerEvent) -> bool {
        if e.button() != 0 {
            return false;
        }
        let Some(g) = &self.graph else { return false };
        let p = ctx.props();
        let target = e.target();
        if let Some(h) = closest(target.clone(), ".handle") {
            let from = h.get_attribute("data-name").unwrap_or_default();
            let Some(nd) = g.nodes.iter().find(|n| n.name == from) else {
                return false;
            };
            let start = (nd.x + crate::graph::BOX_W, nd.y + crate::graph::BOX_H / 2.0);
            self.drag = Some(Drag::Connect {
                from,
                start,
                to: start,
            });
        } else if let Some(n) = closest(target.clone(), ".node") {
            let name = n.get_attribute("data-name").unwrap_or_default();
            let Some(nd) = g.nodes.iter().find(|x| x.name == name) else {
                return false;
            };
            self.drag = Some(Drag::Box {
                start: (f64::from(e.client_x()), f64::from(e.client_y())),
                from: (nd.x, nd.y),
                name,
                moved: false,
            });
        } else if let Some(a) = closest(target, ".edge") {
            let from = a.get_attribute("data-from").unwrap_or_default();
            let to = a.get_attribute("data-to").unwrap_or_default();
            p.on_select.emit(Some(Selection::Arrow(from, to)));
            return false;
        } else {
            p.on_select.emit(None);
            return false;
        }
        if let Some(el) = self.graph_ref.cast::<Element>() {
            let _ = el.set_pointer_capture(e.pointer_id());
        }
        e.prevent_default();
        true
    }

    fn moved(&mut self, e: PointerEvent) -> bool {
        let here = self.at(&e);
        match &mut self.drag {
            Some(Drag::Box {
                name,
                start,
                from,
                moved,
            }) => {
                let (dx, dy) = (
                    f64::from(e.client_x()) - start.0,
                    f64::from(e.client_y()) - start.1,
                );
                if !*moved && dx.abs() + dy.abs() < 4.0 {
                    return false;
                }
                *moved = true;
                // The drag's own copy of the graph, made at its first move.
                let base = self.graph.as_deref().expect("dragging a box of the graph");
                self.preview.get_or_insert_with(|| base.clone()).place(
                    name,
                    snap(from.0 + dx),
                    snap(from.1 + dy),
                );
                true
            }
            Some(Drag::Connect { to, .. }) => {
                if let Some(h) = here {
                    *to = h;
                }
                true
            }
            None => false,
        }
    }

    fn up(&mut self, ctx: &Context<Self>, e: PointerEvent) -> bool {
        let p = ctx.props();
        let drag = self.drag.take();
        let preview = self.preview.take();
        match drag {
            Some(Drag::Box {
                name, moved: false, ..
            }) => {
                p.on_select.emit(Some(Selection::Component(name)));
            }
            Some(Drag::Box { name, .. }) => {
                if let Some(nd) = preview
                    .as_ref()
                    .and_then(|g| g.nodes.iter().find(|n| n.name == name))
                {
                    p.on_edit.emit(Edit::Move(name.clone(), nd.x, nd.y));
                }
            }
            Some(Drag::Connect { from, .. }) => {
                let over = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.element_from_point(e.client_x() as f32, e.client_y() as f32))
                    .and_then(|el| el.closest(".node").ok().flatten())
                    .and_then(|n| n.get_attribute("data-name"));
                if let Some(to) = over.filter(|t| *t != from) {
                    p.on_edit.emit(Edit::Connect(from, to));
                }
            }
            None => return false,
        }
        true
    }

    fn key(&mut self, ctx: &Context<Self>, e: KeyboardEvent) -> bool {
        let p = ctx.props();
        let Some(g) = &self.graph else { return false };
        let focused = closest(e.target(), ".node").and_then(|n| n.get_attribute("data-name"));
        match e.key().as_str() {
            "Enter" | " " => {
                if let Some(name) = focused {
                    e.prevent_default();
                    p.on_select.emit(Some(Selection::Component(name)));
                }
            }
            "Delete" | "Backspace" => match &p.selection {
                Some(Selection::Component(n)) => {
                    e.prevent_default();
                    p.on_edit.emit(Edit::Delete(n.clone()));
                }
                Some(Selection::Arrow(f, t)) => {
                    e.prevent_default();
                    p.on_edit.emit(Edit::Disconnect(f.clone(), t.clone()));
                }
                _ => {}
            },
            "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" => {
                let Some(name) = focused else { return false };
                let Some(nd) = g.nodes.iter().find(|n| n.name == name) else {
                    return false;
                };
                e.prevent_default();
                let step = if e.shift_key() { 5.0 * GRID } else { GRID };
                let (dx, dy) = match e.key().as_str() {
                    "ArrowLeft" => (-step, 0.0),
                    "ArrowRight" => (step, 0.0),
                    "ArrowUp" => (0.0, -step),
                    _ => (0.0, step),
                };
                let (x, y) = (snap(nd.x + dx).max(0.0), snap(nd.y + dy).max(0.0));
                self.refocus = Some(name.clone());
                p.on_edit.emit(Edit::Move(name, x, y));
            }
            _ => {}
        }
        false
    }

    fn view_palette(&self, ctx: &Context<Self>) -> Html {
        let p = ctx.props();
        let near = match &p.selection {
            Some(Selection::Component(n)) => Some(n.clone()),
            _ => None,
        };
        let delete = match &p.selection {
            Some(Selection::Component(n)) => Some(Edit::Delete(n.clone())),
            Some(Selection::Arrow(f, t)) => Some(Edit::Disconnect(f.clone(), t.clone())),
            _ => None,
        };
        html! {
            <div class="palette" role="toolbar" aria-label="Add components and edit the sketch">
                { for PALETTE.iter().map(|k| {
                    let near = near.clone();
                    let on_edit = p.on_edit.clone();
                    let kind = k.name;
                    html! {
                        <button class="add" data-kind={kind} title={format!("add a {}: {}", kind.replace('_', " "), k.summary)}
                            onclick={move |_| on_edit.emit(Edit::Add { kind, near: near.clone() })}>
                            <span class="icon" aria-hidden="true">{ k.look.icon }</span>
                            { format!(" {}", kind.replace('_', " ")) }
                        </button>
                    }
                }) }
                <span class="sep" />
                <button id="undo" disabled={!p.can_undo} title="Undo (Ctrl+Z)"
                    onclick={p.on_edit.reform(|_| Edit::Undo)}>{"Undo"}</button>
                <button id="redo" disabled={!p.can_redo} title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
                    onclick={p.on_edit.reform(|_| Edit::Redo)}>{"Redo"}</button>
                <button id="delete" disabled={delete.is_none()} title="Delete the selected component or call (Delete)"
                    onclick={{
                        let on_edit = p.on_edit.clone();
                        move |_| if let Some(d) = delete.clone() { on_edit.emit(d) }
                    }}>{"Delete"}</button>
            </div>
        }
    }
}

impl Component for Sketch {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        let p = ctx.props();
        let graph = p.graph.clone();
        Sketch {
            stale: graph.is_none(),
            graph,
            replay: p.replay.clone(),
            window: 0,
            timer: None,
            drag: None,
            preview: None,
            graph_ref: NodeRef::default(),
            refocus: None,
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Props) -> bool {
        let p = ctx.props();
        if p.graph != old.graph {
            match &p.graph {
                Some(g) => {
                    self.graph = Some(g.clone());
                    self.stale = false;
                }
                None => self.stale = true,
            }
            self.drag = None;
            self.preview = None;
        }
        if p.replay != old.replay {
            self.replay = p.replay.clone();
            self.window = 0;
            self.timer = None;
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let windows = self.replay.as_ref().map_or(0, |r| r.windows());
        match msg {
            Msg::Seek(w) => {
                self.window = w.min(windows.saturating_sub(1));
                self.tell_time(ctx);
            }
            Msg::Toggle => {
                if self.timer.is_some() {
                    self.timer = None;
                } else {
                    self.play(ctx);
                }
            }
            Msg::Tick => {
                if self.window + 1 < windows {
                    self.window += 1;
                }
                self.tell_time(ctx);
                if self.window + 1 >= windows {
                    self.timer = None;
                }
            }
            Msg::Down(e) => return self.down(ctx, e),
            Msg::MoveTo(e) => return self.moved(e),
            Msg::Up(e) => return self.up(ctx, e),
            Msg::Key(e) => return self.key(ctx, e),
        }
        true
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        // Keyboard moves redraw the SVG: give the focus back to the box that moved.
        let Some(name) = self.refocus.take() else {
            return;
        };
        let Some(el) = self.graph_ref.cast::<Element>() else {
            return;
        };
        let Ok(nodes) = el.query_selector_all(".node") else {
            return;
        };
        for i in 0..nodes.length() {
            let Some(n) = nodes.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            if n.get_attribute("data-name").as_deref() == Some(name.as_str())
                && let Ok(f) = js_sys::Reflect::get(&n, &"focus".into())
                && let Ok(f) = f.dyn_into::<js_sys::Function>()
            {
                let _ = f.call0(&n);
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let p = ctx.props();
        let Some(base) = &self.graph else {
            return html! {
                <section id="sketch" class="sketch" aria-label="Sketch">
                    <h2>{"Sketch"}</h2>
                    <p class="note">{"The graph appears when the scenario is valid."}</p>
                </section>
            };
        };
        let g = self.preview.as_ref().unwrap_or(base.as_ref());
        let replay = self.replay.as_ref();
        let states = replay.map(|r| r.at(self.window, g.nodes.iter().map(|n| n.name.as_str())));
        let selected_arrow = match &p.selection {
            Some(Selection::Arrow(f, t)) => g.index(f).zip(g.index(t)),
            _ => None,
        };
        let rubber = match &self.drag {
            Some(Drag::Connect { start, to, .. }) => Some((start.0, start.1, to.0, to.1)),
            _ => None,
        };
        let svg = g.svg(&Look {
            states: states.as_deref(),
            selected: match &p.selection {
                Some(Selection::Component(n)) => Some(n.as_str()),
                _ => None,
            },
            selected_arrow,
            editable: !self.stale,
            rubber,
        });
        let controls = replay.map(|r| {
            let t0 = r.start_s.get(self.window).copied().unwrap_or(0.0);
            let end = r.start_s.last().copied().unwrap_or(0.0) + r.window_s;
            let faults = r.faults_at(self.window);
            let playing = self.timer.is_some();
            html! {
                <div class="replay">
                    <button id="play" aria-pressed={playing.to_string()}
                        title="Play or pause the replay (Space on the slider)"
                        onclick={link.callback(|_| Msg::Toggle)}>
                        { if playing { "Pause" } else { "Play" } }
                    </button>
                    <input id="replay-slider" type="range" min="0" max={(r.windows() - 1).to_string()}
                        step="1" value={self.window.to_string()}
                        aria-label="replay time" aria-valuetext={replay::clock(t0)}
                        oninput={link.callback(|e: InputEvent| {
                            Msg::Seek(e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(0))
                        })}
                        onkeydown={link.batch_callback(|e: KeyboardEvent| {
                            (e.key() == " ").then(|| { e.prevent_default(); Msg::Toggle })
                        })} />
                    <output id="replay-time" for="replay-slider">
                        { format!("{} – {} of {}", replay::clock(t0), replay::clock(t0 + r.window_s), replay::clock(end)) }
                    </output>
                    if !faults.is_empty() {
                        <p id="fault-banner" class="fault-banner" role="status">
                            { format!("fault: {}", faults.join(", ")) }
                        </p>
                    }
                </div>
            }
        });
        html! {
            <section id="sketch" class="sketch" aria-label="Sketch">
                <h2>{"Sketch"}</h2>
                { self.view_palette(ctx) }
                if self.stale {
                    <p class="note">{"The text has errors: the graph is of the last valid text."}</p>
                }
                { for controls }
                <div class="graph" id="graph" ref={self.graph_ref.clone()}
                    onpointerdown={link.callback(Msg::Down)}
                    onpointermove={link.batch_callback(|e: PointerEvent| Some(Msg::MoveTo(e)))}
                    onpointerup={link.callback(Msg::Up)}
                    onkeydown={link.callback(Msg::Key)}>
                    { Html::from_html_unchecked(AttrValue::from(svg)) }
                </div>
                <p class="legend">
                    {"Click a box to inspect it, drag it to move it, drag from its handle (○) onto another box to connect them; Tab reaches the boxes, arrow keys move the focused one, Delete removes the selection."}
                    if replay.is_some() {
                        {" Replay: fill by utilisation (green under 60 %, amber to 85 %, red above); red outline and badge: failed or rejected requests; n/m up: instances up of the replicas."}
                    }
                </p>
            </section>
        }
    }
}
