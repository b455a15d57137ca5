//! The Plan tab (wasm32 only): runs the editor's `plan:` (or `sweep:`) block on several Web
//! Workers and shows the answer. One worker coordinates (it holds the planner,
//! [`crate::plan_job`]); the others simulate the jobs of each batch, which the page deals out a
//! few at a time as workers come free and hands back to the coordinator in the batch's order, so
//! the plan's JSON is `archsim plan --json`'s whatever the number of workers. The page only routes
//! messages and draws: no simulation or planning runs on its thread. Cancel terminates every
//! worker.

use crate::plan_job::{Mode, Progress};
use crate::plan_results::{self, Axis, Column, Row};
use crate::protocol::Finding;
use serde_json::{Value, json};
use sim_core::plan::output::{PlanDocument, PlanReport, PlanStatus};
use sim_core::plan::sweep::SweepDocument;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

/// Where the page finds the planning workers' start script (relative to the page).
pub const PLANNER_URL: &str = crate::protocol::WORKER_URL;

/// Most workers a plan uses (besides the coordinator).
pub const MAX_WORKERS: usize = 8;

/// Job workers for this machine: every core, at least two, at most [`MAX_WORKERS`].
pub fn worker_count() -> usize {
    let cores = web_sys::window().map_or(2.0, |w| w.navigator().hardware_concurrency());
    (cores as usize).clamp(2, MAX_WORKERS)
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub yaml: AttrValue,
    pub seed: Option<u64>,
    /// "Apply plan": the file with the chosen values written in.
    pub on_apply: Callback<String>,
    /// The block's load factors and growth edited in the tab: written into the editor's text.
    pub on_edit: Callback<crate::sketch::Edit>,
    /// A finding was clicked: jump to its line and column in the editor.
    pub on_jump: Callback<(u32, u32)>,
}

pub enum Msg {
    Start(Mode),
    Cancel,
    /// A worker's answer: `None` the coordinator, `Some(i)` job worker `i`.
    Answer(Option<usize>, String),
    Sort(Column),
    Apply,
    ChartSlo(usize),
    ChartX(String),
    ChartSeries(String),
}

struct Handle {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl Handle {
    fn spawn(link: &yew::html::Scope<PlanTab>, who: Option<usize>) -> Result<Handle, String> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        opts.set_name(if who.is_none() {
            "archsim-plan"
        } else {
            "archsim-jobs"
        });
        let worker = Worker::new_with_options(PLANNER_URL, &opts)
            .map_err(|e| format!("cannot start a planning worker: {e:?}"))?;
        let link = link.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            link.send_message(Msg::Answer(who, e.data().as_string().unwrap_or_default()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(Handle {
            worker,
            _on_message: on_message,
        })
    }

    fn post(&self, v: &Value) {
        let _ = self.worker.post_message(&JsValue::from_str(&v.to_string()));
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.terminate();
    }
}

/// A plan or sweep under way.
struct Running {
    id: u64,
    mode: Mode,
    coordinator: Handle,
    workers: Vec<Handle>,
    idle: Vec<usize>,
    /// The current batch, the next job to deal, and each job's outcome once back.
    jobs: Vec<Value>,
    next: usize,
    outcomes: Vec<Option<Value>>,
    back: usize,
    progress: Progress,
    batches: u32,
    started_ms: f64,
}

/// A finished plan's or sweep's document, read from its JSON as the typed one.
enum Doc {
    Plan(Box<PlanDocument>),
    Sweep(Box<SweepDocument>),
}

/// A finished plan or sweep.
struct Done {
    json: Rc<str>,
    csv: Option<Rc<str>>,
    applied: Option<Rc<str>>,
    doc: Doc,
    rows: Vec<Row>,
    frontier: Option<Rc<str>>,
    growth: Option<Rc<str>>,
    elapsed_ms: f64,
    workers: usize,
}

enum Status {
    Idle,
    Running(Box<Running>),
    Done(Box<Done>),
    Invalid(Vec<Finding>),
    Failed(String),
    Cancelled,
}

pub struct PlanTab {
    status: Status,
    next_id: u64,
    sort: (Column, bool),
    chart_slo: usize,
    chart_x: Axis,
    chart_series: Option<Axis>,
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

impl PlanTab {
    fn start(&mut self, ctx: &Context<Self>, mode: Mode) {
        self.status = Status::Idle;
        self.next_id += 1;
        let id = self.next_id;
        let link = ctx.link();
        let spawned = (|| -> Result<(Handle, Vec<Handle>), String> {
            let c = Handle::spawn(link, None)?;
            let w = (0..worker_count())
                .map(|i| Handle::spawn(link, Some(i)))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((c, w))
        })();
        let (coordinator, workers) = match spawned {
            Ok(x) => x,
            Err(e) => {
                self.status = Status::Failed(e);
                return;
            }
        };
        let yaml = ctx.props().yaml.to_string();
        let seed = ctx.props().seed;
        for w in &workers {
            w.post(&json!({"kind": "plan_open", "id": id, "yaml": yaml, "seed": seed}));
        }
        coordinator.post(&json!({"kind": "plan_start", "id": id, "mode": mode.word(), "yaml": yaml, "seed": seed}));
        self.status = Status::Running(Box::new(Running {
            id,
            mode,
            coordinator,
            idle: (0..workers.len()).collect(),
            workers,
            jobs: Vec::new(),
            next: 0,
            outcomes: Vec::new(),
            back: 0,
            progress: Progress::default(),
            batches: 0,
            started_ms: now_ms(),
        }));
    }

    fn answer(&mut self, who: Option<usize>, text: &str) -> bool {
        let Status::Running(r) = &mut self.status else {
            return false;
        };
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            return false;
        };
        if v["id"].as_u64() != Some(r.id) {
            return false;
        }
        match (who, v["kind"].as_str().unwrap_or("")) {
            (None, "plan_batch") => {
                r.jobs = v["jobs"].as_array().cloned().unwrap_or_default();
                r.outcomes = vec![None; r.jobs.len()];
                r.next = 0;
                r.back = 0;
                r.batches += 1;
                r.progress = serde_json::from_value(v["progress"].clone()).unwrap_or_default();
                deal(r);
                true
            }
            (None, "plan_done") => {
                let json: Rc<str> = v["json"].as_str().unwrap_or("").into();
                // Through a `Value`, as the report is read (`sim_core::report::read`): one
                // deserialiser's code in the page rather than two (smaller WebAssembly).
                let doc = serde_json::from_str::<Value>(&json).and_then(|v| match r.mode {
                    Mode::Plan => serde_json::from_value(v).map(|d| Doc::Plan(Box::new(d))),
                    Mode::Sweep => serde_json::from_value(v).map(|d| Doc::Sweep(Box::new(d))),
                });
                let doc = match doc {
                    Ok(d) => d,
                    Err(e) => {
                        let what = r.mode.word();
                        self.status = Status::Failed(format!("unreadable {what} JSON: {e}"));
                        return true;
                    }
                };
                let (rows, frontier, growth) = match &doc {
                    Doc::Plan(p) => (
                        plan_results::rows(p),
                        plan_results::frontier_svg(p).map(Rc::from),
                        plan_results::growth_svg(p).map(Rc::from),
                    ),
                    Doc::Sweep(_) => (Vec::new(), None, None),
                };
                let done = Done {
                    growth,
                    csv: v["csv"].as_str().map(Rc::from),
                    applied: v["applied"].as_str().map(Rc::from),
                    json,
                    doc,
                    rows,
                    frontier,
                    elapsed_ms: now_ms() - r.started_ms,
                    workers: r.workers.len(),
                };
                self.chart_slo = 0;
                self.chart_x = Axis::Var(0);
                self.chart_series = None;
                self.status = Status::Done(Box::new(done));
                true
            }
            (None, "plan_invalid") => {
                let findings = v["findings"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Finding::from_value).collect())
                    .unwrap_or_default();
                self.status = Status::Invalid(findings);
                true
            }
            (_, "plan_failed") => {
                self.status = Status::Failed(
                    v["message"]
                        .as_str()
                        .unwrap_or("a worker failed")
                        .to_string(),
                );
                true
            }
            (Some(w), "plan_ran") => {
                let first = v["first"].as_u64().unwrap_or(0) as usize;
                for (k, o) in v["outcomes"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                {
                    if let Some(slot) = r.outcomes.get_mut(first + k)
                        && slot.is_none()
                    {
                        *slot = Some(o.clone());
                        r.back += 1;
                    }
                }
                r.idle.push(w);
                if r.back == r.jobs.len() {
                    let outcomes: Vec<Value> = r
                        .outcomes
                        .drain(..)
                        .map(Option::unwrap_or_default)
                        .collect();
                    r.coordinator
                        .post(&json!({"kind": "plan_outcomes", "id": r.id, "outcomes": outcomes}));
                } else {
                    deal(r);
                }
                true
            }
            _ => false,
        }
    }
}

/// Deals the batch's next jobs to the idle workers, a few at a time (fewer near the end, so the
/// workers finish together).
fn deal(r: &mut Running) {
    while r.next < r.jobs.len() {
        let Some(w) = r.idle.pop() else { break };
        let left = r.jobs.len() - r.next;
        let n = (left / (r.workers.len() * 3)).clamp(1, 8);
        let group = &r.jobs[r.next..r.next + n];
        r.workers[w]
            .post(&json!({"kind": "plan_jobs", "id": r.id, "first": r.next, "jobs": group}));
        r.next += n;
    }
}

/// A download link for text (a data URL: nothing leaves the page).
fn download(name: &str, mime: &str, text: &str, id: &str, label: &str) -> Html {
    let href = format!(
        "data:{mime};charset=utf-8,{}",
        String::from(js_sys::encode_uri_component(text))
    );
    html! { <a id={id.to_string()} class="download" download={name.to_string()} href={href}>{label}</a> }
}

fn usd(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), report_charts::fmt_usd)
}

impl Component for PlanTab {
    type Message = Msg;
    type Properties = Props;

    fn create(_: &Context<Self>) -> Self {
        PlanTab {
            status: Status::Idle,
            next_id: 0,
            sort: (Column::Cost, true),
            chart_slo: 0,
            chart_x: Axis::Var(0),
            chart_series: None,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Start(mode) => {
                self.start(ctx, mode);
                true
            }
            Msg::Cancel => {
                if matches!(self.status, Status::Running(_)) {
                    self.status = Status::Cancelled;
                }
                true
            }
            Msg::Answer(who, text) => self.answer(who, &text),
            Msg::Sort(c) => {
                self.sort = if self.sort.0 == c {
                    (c, !self.sort.1)
                } else {
                    (c, true)
                };
                if let Status::Done(d) = &mut self.status {
                    plan_results::sort(&mut d.rows, self.sort.0, self.sort.1);
                }
                true
            }
            Msg::Apply => {
                if let Status::Done(d) = &self.status
                    && let Some(t) = &d.applied
                {
                    ctx.props().on_apply.emit(t.to_string());
                }
                false
            }
            Msg::ChartSlo(i) => {
                self.chart_slo = i;
                true
            }
            Msg::ChartX(a) => {
                self.chart_x = parse_axis(&a).unwrap_or(Axis::Load);
                true
            }
            Msg::ChartSeries(a) => {
                self.chart_series = parse_axis(&a);
                true
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        let running = matches!(self.status, Status::Running(_));
        html! {
            <section id="plan" class="plan" aria-label="Plan">
                <p class="note">{format!(
                    "Runs the file's plan: or sweep: block on {} Web Workers and a coordinator, with the planner of `archsim plan` (the same JSON for the same file and seed).",
                    worker_count())}</p>
                <div class="controls">
                    <button id="plan-run" disabled={running} onclick={link.callback(|_| Msg::Start(Mode::Plan))}>{"Plan"}</button>
                    <button id="sweep-run" disabled={running} onclick={link.callback(|_| Msg::Start(Mode::Sweep))}>{"Sweep"}</button>
                    <button id="plan-cancel" disabled={!running} onclick={link.callback(|_| Msg::Cancel)}>{"Cancel"}</button>
                </div>
                { self.view_settings(ctx) }
                { self.view_status(ctx) }
            </section>
        }
    }
}

fn parse_axis(a: &str) -> Option<Axis> {
    match a {
        "load" => Some(Axis::Load),
        "" => None,
        v => v.parse().ok().map(Axis::Var),
    }
}

fn axis_value(a: Option<Axis>) -> String {
    match a {
        None => String::new(),
        Some(Axis::Load) => "load".into(),
        Some(Axis::Var(i)) => i.to_string(),
    }
}

impl PlanTab {
    /// What the block varies, its load factors and growth, edited here as text of the file.
    fn view_settings(&self, ctx: &Context<Self>) -> Html {
        use crate::sketch::Edit;
        let st = crate::plan_edit::settings(&ctx.props().yaml);
        if !st.has_plan && st.has_sweep {
            return html! {
                <p id="plan-settings" class="note">{"This file has a sweep: block (edited in the text): press Sweep."}</p>
            };
        }
        if !st.has_plan {
            return html! {
                <p id="plan-settings" class="note">{"This file has no plan: block yet. Select a component in the inspector and press \u{201c}vary\u{201d} beside a field (replicas, concurrency, instance, ...): the planner will choose its value."}</p>
            };
        }
        let on_edit = ctx.props().on_edit.clone();
        let input_value = |e: Event| {
            e.target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .map(|i| i.value())
                .unwrap_or_default()
        };
        let loads = {
            let on = on_edit.clone();
            Callback::from(move |e: Event| on.emit(Edit::SetLoads(input_value(e))))
        };
        let rate = {
            let on = on_edit.clone();
            Callback::from(move |e: Event| on.emit(Edit::SetGrowth("rate", input_value(e))))
        };
        let horizon = {
            let on = on_edit;
            Callback::from(move |e: Event| on.emit(Edit::SetGrowth("horizon", input_value(e))))
        };
        let unbracket = |s: &str| {
            s.trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string()
        };
        html! {
            <div id="plan-settings" class="plan-settings">
                <p class="note">{"Varied: "}{ if st.vars.is_empty() { "nothing yet (press \u{201c}vary\u{201d} in the inspector)".to_string() } else {
                    st.vars.iter().map(|(n, d)| format!("{n} over {d}")).collect::<Vec<_>>().join("; ")
                } }</p>
                <label>{"load factors "}<input id="plan-loads" type="text" spellcheck="false" size="14"
                    value={st.loads.as_deref().map_or_else(|| "1x".to_string(), unbracket)} onchange={loads}
                    title="every open workload's rate times each factor; every SLO must hold at each (plan.loads)" /></label>
                <label>{" growth "}<input id="plan-growth-rate" type="text" spellcheck="false" size="10"
                    placeholder="none" value={st.growth_rate.clone().unwrap_or_default()} onchange={rate}
                    title="a rate such as 10%/month; empty for none (plan.growth.rate)" /></label>
                <label>{" over "}<input id="plan-growth-horizon" type="text" spellcheck="false" size="4"
                    value={st.growth_horizon.clone().unwrap_or_else(|| "24".into())} onchange={horizon}
                    disabled={st.growth_rate.is_none()} title="months (plan.growth.horizon)" />{" months"}</label>
            </div>
        }
    }

    fn view_status(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        match &self.status {
            Status::Idle => {
                html! { <p id="plan-status" class="note">{"Nothing planned yet: press Plan (the cheapest design meeting every SLO at every load) or Sweep (every point of the grid)."}</p> }
            }
            Status::Cancelled => {
                html! { <p id="plan-status" class="note">{"Cancelled: the workers were stopped."}</p> }
            }
            Status::Failed(m) => {
                html! { <p id="plan-status" class="error" role="alert">{format!("The plan stopped: {m}")}</p> }
            }
            Status::Invalid(fs) => html! {
                <div id="plan-status" class="error" role="alert">
                    <p>{"The plan cannot start: the file has errors (nothing was simulated)."}</p>
                    <ul id="plan-findings">{ for fs.iter().map(|f| {
                        let (l, c) = (f.line, f.col);
                        let on = ctx.props().on_jump.clone();
                        html! { <li><button class="finding" onclick={move |_| on.emit((l, c))}>{f.to_string()}</button></li> }
                    }) }</ul>
                </div>
            },
            Status::Running(r) => {
                let p = &r.progress;
                let frac = if r.jobs.is_empty() {
                    0.0
                } else {
                    r.back as f64 / r.jobs.len() as f64
                };
                let best = match &p.best {
                    Some((a, cost)) => format!(
                        "; best so far {} at {}",
                        plan_results::values_text(a),
                        usd(Some(*cost))
                    ),
                    None => String::new(),
                };
                html! {
                    <div id="plan-status" class="running" aria-live="polite">
                        <progress max="1" value={frac.to_string()} />
                        <span id="plan-progress">{format!(
                            "{} round {}: {} of {} candidates decided, {} replications ({}){best}",
                            r.mode.word(), r.batches,
                            p.decided, p.candidates,
                            p.replications + r.back as u64,
                            if p.phase.is_empty() { "starting" } else { &p.phase },
                        )}</span>
                    </div>
                }
            }
            Status::Done(d) => match &d.doc {
                Doc::Plan(p) => self.view_plan(link, d, &p.plan),
                Doc::Sweep(s) => self.view_sweep(link, d, s),
            },
        }
    }

    fn view_plan(&self, link: &yew::html::Scope<Self>, d: &Done, plan: &PlanReport) -> Html {
        let status = match plan.status {
            PlanStatus::Found => "found",
            PlanStatus::None => "none",
            PlanStatus::Undecided => "undecided",
        };
        let headline = match (plan.status, &plan.best) {
            (PlanStatus::Found, Some(best)) => format!(
                "Plan found: {} at {} per month.",
                plan_results::values_text(&best.assignment),
                usd(Some(best.cost_usd_per_month))
            ),
            (PlanStatus::Found, None) => "Plan found.".into(),
            (PlanStatus::Undecided, _) => "Undecided: cheaper candidates could not be decided within the budget (see their reasons).".into(),
            (PlanStatus::None, _) => "No candidate meets every SLO at every load.".into(),
        };
        let growth = match (plan.headroom, plan.runway_months) {
            (Some(h), Some(m)) => {
                format!(" Headroom {h:.2}x the largest load; runway {m} months of growth.")
            }
            (Some(h), None) => format!(" Headroom {h:.2}x the largest load."),
            _ => String::new(),
        };
        let ev = &plan.evaluations;
        let (col, asc) = self.sort;
        html! {
            <div id="plan-result" data-status={status.to_string()}>
                <p id="plan-headline" class={if status == "found" { "pass" } else { "fail" }}>{headline}{growth}</p>
                <p class="note">{format!(
                    "{} of {} candidates simulated, {} replications, in {:.1} s on {} workers.",
                    ev.candidates_simulated, ev.candidates, ev.replications, d.elapsed_ms / 1000.0, d.workers)}</p>
                <div class="controls">
                    <button id="plan-apply" disabled={d.applied.is_none()} onclick={link.callback(|_| Msg::Apply)}
                        title="Write the chosen values into the editor's text (undo takes them back)">{"Apply plan"}</button>
                    { download("plan.json", "application/json", &d.json, "plan-json-download", "plan JSON") }
                </div>
                if let Some(svg) = &d.frontier {
                    <figure id="plan-frontier" class="chart">
                        <figcaption>{"Cost against SLO margin: the plan (ringed, with its 95 % interval) and the cheaper candidates that failed"}</figcaption>
                        { Html::from_html_unchecked(AttrValue::from(svg.to_string())) }
                    </figure>
                }
                if let Some(svg) = &d.growth {
                    <figure id="plan-growth" class="chart">
                        <figcaption>{"Load over the growth horizon against what the plan holds (dashed: headroom times the largest load; ringed: the runway's last month)"}</figcaption>
                        { Html::from_html_unchecked(AttrValue::from(svg.to_string())) }
                    </figure>
                }
                <table id="plan-candidates" class="table">
                    <thead><tr>{ for Column::ALL.iter().map(|&c| {
                        let mark = if c == col { if asc { " ▲" } else { " ▼" } } else { "" };
                        html! { <th><button class="sort" onclick={link.callback(move |_| Msg::Sort(c))}>{c.title()}{mark}</button></th> }
                    }) }<th>{"why"}</th></tr></thead>
                    <tbody>{ for d.rows.iter().map(|r| html! {
                        <tr class={classes!(r.status.replace(' ', "-"), r.best.then_some("best"))}>
                            <td>{&r.values}</td>
                            <td class="num">{usd(r.cost)}</td>
                            <td>{&r.status}</td>
                            <td>{r.binding.as_ref().map(|b| format!("{b} at {}x", r.load.map_or("?".into(), sim_core::plan::format_factor))).unwrap_or_default()}</td>
                            <td class="num">{r.margin.map(|m| format!("{:+.1} %", m * 100.0)).unwrap_or_default()}</td>
                            <td>{r.bottleneck.as_ref().map(|(n, u)| format!("{n} {:.0} %", u * 100.0)).unwrap_or_default()}</td>
                            <td class="num">{r.replications}</td>
                            <td class="why">{r.reason.clone().unwrap_or_default()}</td>
                        </tr>
                    }) }</tbody>
                </table>
                <details><summary>{"plan JSON (the bytes of archsim plan --json)"}</summary><pre id="plan-json">{d.json.to_string()}</pre></details>
            </div>
        }
    }

    fn view_sweep(&self, link: &yew::html::Scope<Self>, d: &Done, doc: &SweepDocument) -> Html {
        let vars = &doc.header.variables;
        let slos = &doc.header.slo;
        let x = if vars.is_empty() {
            Axis::Load
        } else {
            self.chart_x
        };
        let chart = plan_results::sweep_svg(
            doc,
            self.chart_slo,
            x,
            self.chart_series.filter(|s| *s != x),
        );
        let axes: Vec<(String, String)> = vars
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v.clone()))
            .chain([("load".to_string(), "load".to_string())])
            .collect();
        let select = |id: &str, cur: String, none: bool, cb: Callback<Event>| {
            html! {
                <select id={id.to_string()} onchange={cb}>
                    if none { <option value="" selected={cur.is_empty()}>{"(one line)"}</option> }
                    { for axes.iter().map(|(v, n)| html! { <option value={v.clone()} selected={*v == cur}>{n}</option> }) }
                </select>
            }
        };
        let value_of = |e: Event| {
            e.target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|s| s.value())
                .unwrap_or_default()
        };
        let n = doc.points.len();
        html! {
            <div id="sweep-result">
                <p class="note">{format!("{n} points, {} replications each, in {:.1} s on {} workers.", doc.header.replications, d.elapsed_ms / 1000.0, d.workers)}</p>
                <div class="controls">
                    <label>{"figure "}<select id="sweep-slo" onchange={link.callback(move |e: Event| Msg::ChartSlo(value_of(e).parse().unwrap_or(0)))}>
                        { for slos.iter().enumerate().map(|(i, s)| html! { <option value={i.to_string()} selected={i == self.chart_slo}>{s}</option> }) }
                    </select></label>
                    <label>{" against "}{ select("sweep-x", axis_value(Some(x)), false, link.callback(move |e: Event| Msg::ChartX(value_of(e)))) }</label>
                    <label>{" a line per "}{ select("sweep-series", axis_value(self.chart_series), true, link.callback(move |e: Event| Msg::ChartSeries(value_of(e)))) }</label>
                    { download("sweep.json", "application/json", &d.json, "sweep-json-download", "JSON") }
                    if let Some(csv) = &d.csv { { download("sweep.csv", "text/csv", csv, "sweep-csv-download", "CSV") } }
                </div>
                if let Some((svg, names, sub)) = chart {
                    <figure id="sweep-chart" class="chart">
                        <figcaption>{sub}</figcaption>
                        <ul class="legend">{ for names.iter().enumerate().map(|(i, n)| html! {
                            <li><span class="key" style={format!("background:{}", report_charts::css_color(i))}></span>{n}</li>
                        }) }</ul>
                        { Html::from_html_unchecked(AttrValue::from(svg)) }
                    </figure>
                } else {
                    <p class="note">{"Nothing to draw: no point measured this figure."}</p>
                }
                <details><summary>{"sweep JSON (the bytes of archsim sweep --json)"}</summary><pre id="sweep-json">{d.json.to_string()}</pre></details>
            </div>
        }
    }
}
