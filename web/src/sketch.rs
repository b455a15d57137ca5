//! The "Sketch" panel (wasm32 only): the scenario's graph ([`crate::graph`]) for the editor's
//! current text (the last valid one while the text has errors), and after a run the replay: a
//! time slider over the report's windows (arrow keys move it; Space on it plays or pauses), a
//! Play/Pause button, the graph coloured by each component's state in the window, and a banner
//! naming the faults active in it.

use crate::graph::Graph;
use crate::replay::{self, Replay};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{HtmlInputElement, KeyboardEvent};
use yew::prelude::*;

/// Milliseconds between windows while playing.
pub const STEP_MS: i32 = 250;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The editor's text.
    pub yaml: AttrValue,
    /// The last run's report (JSON text), if any.
    pub report: Option<AttrValue>,
}

pub enum Msg {
    Seek(usize),
    Toggle,
    Tick,
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

pub struct Sketch {
    graph: Option<Graph>,
    /// The text has errors: the graph shown is of the last valid text.
    stale: bool,
    replay: Option<Replay>,
    window: usize,
    timer: Option<Timer>,
}

fn graph_of(yaml: &str) -> Option<Graph> {
    sim_core::load(yaml.as_bytes())
        .ok()
        .map(|l| Graph::of(&l.scenario))
}

fn replay_of(report: Option<&AttrValue>) -> Option<Replay> {
    let v: serde_json::Value = serde_json::from_str(report?).ok()?;
    Replay::of(&v)
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
}

impl Component for Sketch {
    type Message = Msg;
    type Properties = Props;

    fn create(ctx: &Context<Self>) -> Self {
        let p = ctx.props();
        let graph = graph_of(&p.yaml);
        Sketch {
            stale: graph.is_none(),
            graph,
            replay: replay_of(p.report.as_ref()),
            window: 0,
            timer: None,
        }
    }

    fn changed(&mut self, ctx: &Context<Self>, old: &Props) -> bool {
        let p = ctx.props();
        if p.yaml != old.yaml {
            match graph_of(&p.yaml) {
                Some(g) => {
                    self.graph = Some(g);
                    self.stale = false;
                }
                None => self.stale = true,
            }
        }
        if p.report != old.report {
            self.replay = replay_of(p.report.as_ref());
            self.window = 0;
            self.timer = None;
        }
        true
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let windows = self.replay.as_ref().map_or(0, Replay::windows);
        match msg {
            Msg::Seek(w) => self.window = w.min(windows.saturating_sub(1)),
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
                if self.window + 1 >= windows {
                    self.timer = None;
                }
            }
        }
        true
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let Some(g) = &self.graph else {
            return html! {
                <section id="sketch" class="sketch" aria-label="Sketch">
                    <h2>{"Sketch"}</h2>
                    <p class="note">{"The graph appears when the scenario is valid."}</p>
                </section>
            };
        };
        let replay = self.replay.as_ref();
        let states = replay.map(|r| r.at(self.window, g.nodes.iter().map(|n| n.name.as_str())));
        let svg = g.svg(&crate::graph::Look {
            states: states.as_deref(),
            ..Default::default()
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
                if self.stale {
                    <p class="note">{"The text has errors: the graph is of the last valid text."}</p>
                }
                { for controls }
                <div class="graph" id="graph">{ Html::from_html_unchecked(AttrValue::from(svg)) }</div>
                if replay.is_some() {
                    <p class="legend">{"fill: utilisation (green under 60 %, amber to 85 %, red above); red outline and badge: failed or rejected requests; n/m up: instances up of the replicas"}</p>
                }
            </section>
        }
    }
}
