//! The page (wasm32 only): a yew component with the example gallery, a YAML editor with the
//! loader's findings (line:column), Run and Cancel, a progress bar, and the results: SLO badges,
//! the workloads table and charts over time (latency, throughput and errors) with the faults
//! listed, the components table and charts (utilisation and queues, instances), the cost bars, and
//! the raw report JSON (`#report-json`, the exact bytes of `archsim run --json`). The charts are
//! those of `archsim report --html` ([`crate::chart`]), drawn here on the page, not in the worker.
//!
//! Simulation never runs on the page's thread: each Run sends a [`Request`] to a Web Worker
//! (`worker-boot.js`, module type, running the worker's own program `worker_bg.wasm`: the engine is
//! not in the page's) and the page only renders the answers. Cancel terminates the
//! worker; a fresh one is started for the next run. Keys: Ctrl+Enter (or Cmd+Enter) runs, Escape
//! cancels.

use crate::chart::{Charts, Figure, Shown};
use crate::diagram::Format;
use crate::examples::{self, EXAMPLES};
use crate::files;
use crate::graph::Graph;
use crate::history::{Change, History};
use crate::inspector::Selection;
use crate::protocol::{self, Finding, Request, Response};
use crate::replay::Replay;
use crate::scenario_edit as se;
use crate::sketch::Edit;
use crate::view::{self, Report};
use crate::yaml_edit::{self, Seg};
use report_charts::Mark;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{
    HtmlTextAreaElement, KeyboardEvent, MessageEvent, Worker, WorkerOptions, WorkerType,
};
use yew::prelude::*;

use crate::protocol::WORKER_URL;

/// Mounts the app on `#app` (emptied first: it holds a loading note), or on `<body>`.
pub fn mount() {
    let document = web_sys::window().and_then(|w| w.document());
    match document.and_then(|d| d.get_element_by_id("app")) {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

/// The loader's findings on a text and, when it loads, its sketch's graph: one load for both.
fn validate(text: &str) -> (Rc<Vec<Finding>>, Option<Rc<Graph>>) {
    let loaded = sim_core::load(text.as_bytes());
    let graph = loaded
        .as_ref()
        .ok()
        .map(|l| Rc::new(Graph::of(&l.scenario)));
    (Rc::new(protocol::findings(&loaded)), graph)
}

/// Whether the focus is in a one-line input or a list (where Ctrl+Z is the browser's own).
fn in_form_field() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|e| {
            matches!(e.tag_name().as_str(), "INPUT" | "SELECT")
                || (e.tag_name() == "TEXTAREA" && e.id() != "yaml")
        })
}

/// Selects `line:col` in the editor, focuses it and scrolls the line into the middle of its view.
fn jump_to(text: &str, line: u32, col: u32) {
    let (start, end) = crate::jump::selection(text, line, col);
    if crate::editor_view::select(start, end) {
        return;
    }
    let Some(area) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("yaml"))
        .and_then(|e| e.dyn_into::<HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let _ = area.focus();
    let _ = area.set_selection_range(start, end);
    let lines = text.split('\n').count().max(1) as f64;
    let per_line = f64::from(area.scroll_height()) / lines;
    let top = (f64::from(line) - 1.0) * per_line - f64::from(area.client_height()) / 2.0;
    area.set_scroll_top(top.max(0.0) as i32);
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// A running worker and its message handler (kept alive as long as the worker).
struct WorkerHandle {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
}

impl WorkerHandle {
    fn spawn(link: &yew::html::Scope<App>) -> Result<WorkerHandle, String> {
        WorkerHandle::spawn_as(link, "archsim-sim", Msg::Worker)
    }

    /// A worker named `name` whose answers reach the app as `to_msg(text)`.
    fn spawn_as(
        link: &yew::html::Scope<App>,
        name: &str,
        to_msg: fn(String) -> Msg,
    ) -> Result<WorkerHandle, String> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        opts.set_name(name);
        let worker = Worker::new_with_options(WORKER_URL, &opts)
            .map_err(|e| format!("cannot start the {name} worker: {e:?}"))?;
        let link = link.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            link.send_message(to_msg(e.data().as_string().unwrap_or_default()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Ok(WorkerHandle {
            worker,
            _on_message: on_message,
        })
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.terminate();
    }
}

/// A finished run, ready to show.
pub struct Finished {
    /// The worker's text, shown and downloaded as it is.
    pub report_json: String,
    /// The report, read once from the text as the typed `sim_core::Report`, with what is drawn
    /// from it; or why the text is not a report.
    pub report: Result<Loaded, String>,
    /// From the click on Run to the worker's last answer.
    pub elapsed_ms: f64,
    /// The example's file name, for the download's name.
    pub file: String,
}

/// A report and what the page draws from it once, when it arrives.
pub struct Loaded {
    /// Shared with the detail panel and the inspector (which keep their last panel by it).
    pub report: Rc<Report>,
    pub charts: Charts,
    /// The time series per component, for the sketch's replay (`None`: no windows).
    pub replay: Option<Rc<Replay>>,
}

impl Finished {
    fn new(report_json: String, elapsed_ms: f64, file: String) -> Finished {
        let report = view::read(&report_json).map(|r| Loaded {
            charts: Charts::of(&r),
            replay: Replay::of(&r).map(Rc::new),
            report: Rc::new(r),
        });
        Finished {
            report_json,
            report,
            elapsed_ms,
            file,
        }
    }
}

/// What the run panel shows.
pub enum Status {
    Idle,
    Running {
        id: u32,
        fraction: f64,
        replication: u32,
        replications: u32,
        started_ms: f64,
    },
    Done,
    Cancelled,
    Invalid(Vec<Finding>),
    Failed(String),
}

pub enum Msg {
    /// A gallery button: the default example at once, another fetched (then `Loaded`).
    Select(&'static str),
    Loaded(&'static str, Result<String, String>),
    Edit(String),
    Seed(String),
    Run,
    Cancel,
    Worker(String),
    /// The checking worker's answer (`check_job`).
    Checked(String),
    /// Open, Save, Share (the buttons above the editor; drag and drop; Ctrl+S saves).
    Open,
    Opened(Result<(String, String), String>),
    Save,
    Share,
    Copied(bool),
    /// The graph as a diagram's text (copied to the clipboard and shown), and whether it was copied.
    Diagram(crate::diagram::Format),
    DiagramCopied(bool),
    /// A finding was clicked: select its `line:col` in the editor and scroll to it.
    Jump(u32, u32),
    /// An action of the graph editor or the inspector.
    Act(Edit),
    /// The replay's window (start and end, seconds), marked on the charts over time.
    ReplayAt(Option<(f64, f64)>),
    /// What the inspector shows (and the sketch highlights).
    Pick(Option<Selection>),
    /// Show a component's detail under the components table (its name), or close it.
    Detail(Option<String>),
    /// The Run or the Plan tab.
    Tab(bool),
    /// "Apply plan": the file with the plan's values written in (one undoable change).
    ApplyPlan(String),
}

pub struct App {
    file: String,
    yaml: String,
    seed: String,
    findings: Rc<Vec<Finding>>,
    /// The sketch's graph of the text, when it loads (one load gives this and the findings).
    graph: Option<Rc<Graph>>,
    /// Undo and redo of the text.
    history: History,
    selection: Option<Selection>,
    /// Why the last editor action could not be done.
    edit_error: Option<String>,
    /// The replay's window, once the slider was moved or played.
    replay_window: Option<(f64, f64)>,
    status: Status,
    results: Option<Finished>,
    worker: Option<WorkerHandle>,
    next_id: u32,
    /// The checking worker for large texts (`check_job`), started at the first one.
    checker: Option<WorkerHandle>,
    /// The id of the last check sent to it; its answer is the one shown.
    check_id: u64,
    /// A check of the current text is on its way (the findings shown are the last text's).
    checking: bool,
    link: yew::html::Scope<App>,
    _keys: Option<Closure<dyn FnMut(KeyboardEvent)>>,
    /// Said above the editor: a broken share link, a file that could not be opened or saved.
    notice: Option<String>,
    /// The last share link, and whether it reached the clipboard (None: not known yet).
    share: Option<(String, Option<bool>)>,
    /// The last diagram text (or why there is none), and whether it reached the clipboard.
    diagram: Option<(crate::diagram::Format, Result<String, String>, Option<bool>)>,
    open_input: NodeRef,
    /// The component whose detail is shown (a row of the components table was picked).
    detail: Option<String>,
    /// The example being fetched, and whether Run was asked for meanwhile (it runs once loaded).
    loading: Option<(&'static str, bool)>,
    /// The Plan tab is shown (else the Run tab).
    plan_tab: bool,
}

impl App {
    fn seed(&self) -> Result<Option<u64>, String> {
        let s = self.seed.trim();
        if s.is_empty() {
            Ok(None)
        } else {
            s.parse()
                .map(Some)
                .map_err(|_| format!("the seed must be a whole number from 0 to {}", u64::MAX))
        }
    }

    /// After the editor's text changed: autosave it; an old share link or notice no longer applies.
    fn edited(&mut self) {
        files::autosave(&self.file, &self.yaml);
        files::forget_share_fragment();
        self.share = None;
        self.diagram = None;
        self.notice = None;
    }

    /// Replaces the text (an action, an example, an opened file, typing), for undo.
    fn change(&mut self, text: String, change: Change) {
        if text == self.yaml {
            return;
        }
        self.history.record(&self.yaml, change, now_ms());
        self.set_text(text);
    }

    fn set_text(&mut self, text: String) {
        if text.len() > crate::check_job::LARGE && self.check_off_thread(&text) {
            // The findings and the sketch stay those of the last text until the answer comes.
            self.checking = true;
        } else {
            self.checking = false;
            (self.findings, self.graph) = validate(&text);
        }
        self.yaml = text;
        self.edit_error = None;
        self.edited();
    }

    /// Sends a large text to the checking worker (started the first time); `false` when there is
    /// no worker to send it to (the page checks it itself then).
    fn check_off_thread(&mut self, text: &str) -> bool {
        if self.checker.is_none() {
            self.checker = WorkerHandle::spawn_as(&self.link, "archsim-check", Msg::Checked).ok();
        }
        let Some(c) = &self.checker else {
            return false;
        };
        self.check_id += 1;
        let msg = serde_json::json!({"kind": "check", "id": self.check_id, "yaml": text});
        c.worker
            .post_message(&JsValue::from_str(&msg.to_string()))
            .is_ok()
    }

    /// Applies an editor action to the text.
    fn act(&mut self, edit: Edit) {
        let t = self.yaml.as_str();
        let mut next = self.selection.clone();
        let result = match edit {
            Edit::Undo | Edit::Redo => {
                let back = if edit == Edit::Undo {
                    self.history.undo(t)
                } else {
                    self.history.redo(t)
                };
                if let Some(text) = back {
                    self.set_text(text);
                }
                return;
            }
            Edit::Add { kind, near } => {
                se::add_component(t, kind, near.as_deref()).map(|(text, name)| {
                    next = Some(Selection::Component(name));
                    text
                })
            }
            Edit::Connect(a, b) => {
                next = Some(Selection::Arrow(a.clone(), b.clone()));
                se::connect(t, &a, &b)
            }
            Edit::Disconnect(a, b) => {
                next = Some(Selection::Component(a.clone()));
                se::disconnect(t, &a, &b)
            }
            Edit::Delete(name) => {
                next = None;
                se::delete_component(t, &name)
            }
            Edit::Move(name, x, y) => se::move_component(t, &name, x, y),
            Edit::Rename(old, new) => {
                if old == new {
                    return;
                }
                next = Some(Selection::Component(new.clone()));
                se::rename_component(t, &old, &new)
            }
            Edit::Set(path, value) => yaml_edit::set(t, &path, &value),
            Edit::AddField { at, key, shorthand } => {
                if key.is_empty() {
                    return;
                }
                se::add_field(t, &at, &key, shorthand)
            }
            Edit::Remove(path) => {
                if matches!(path.last(), Some(Seg::Index(_))) && path.len() == 2 {
                    next = None;
                }
                yaml_edit::remove(t, &path)
            }
            Edit::Vary(component, field) => crate::plan_edit::vary(t, &component, &field),
            Edit::SetLoads(loads) => crate::plan_edit::set_loads(t, &loads),
            Edit::SetGrowth(part, value) => crate::plan_edit::set_growth(t, part, &value),
            Edit::AddWorkload => se::add_workload(t).map(|(text, i)| {
                next = Some(Selection::Workload(i));
                text
            }),
            Edit::AddFault => {
                let target = match &self.selection {
                    Some(Selection::Component(n)) => Some(n.as_str()),
                    _ => None,
                };
                se::add_fault(t, target).map(|(text, i)| {
                    next = Some(Selection::Fault(i));
                    text
                })
            }
            Edit::AddSlo => se::add_slo(t, None).map(|(text, i)| {
                next = Some(Selection::Slo(i));
                text
            }),
        };
        match result {
            Ok(text) => {
                self.change(text, Change::Action);
                self.selection = next;
            }
            Err(e) => self.edit_error = Some(e),
        }
    }

    /// Shows an example's text in the editor.
    fn show_example(&mut self, file: &str, yaml: String) {
        self.file = file.to_string();
        if yaml == self.yaml {
            self.edited();
        } else {
            self.change(yaml, Change::Action);
        }
        self.selection = None;
        self.results = None;
        self.status = Status::Idle;
    }

    /// The selected component's last-run figures beside the analytic model's, for the inspector.
    fn inspector_model(&self) -> Option<AttrValue> {
        let (Some(Selection::Component(name)), Some(done)) = (&self.selection, &self.results)
        else {
            return None;
        };
        let shown = done.report.as_ref().ok()?;
        crate::detail::inspector_model_of(&shown.report, name).map(AttrValue::Rc)
    }

    fn running(&self) -> bool {
        matches!(self.status, Status::Running { .. })
    }

    fn start_run(&mut self, ctx: &Context<Self>) {
        if self.running() {
            return;
        }
        let seed = match self.seed() {
            Ok(s) => s,
            Err(e) => {
                self.status = Status::Failed(e);
                return;
            }
        };
        if self.worker.is_none() {
            match WorkerHandle::spawn(ctx.link()) {
                Ok(w) => self.worker = Some(w),
                Err(e) => {
                    self.status = Status::Failed(e);
                    return;
                }
            }
        }
        self.next_id += 1;
        let req = Request {
            id: self.next_id,
            yaml: self.yaml.clone(),
            seed,
        };
        let text = serde_json::to_string(&req).expect("requests serialise");
        let worker = &self.worker.as_ref().expect("started above").worker;
        if let Err(e) = worker.post_message(&JsValue::from_str(&text)) {
            self.status = Status::Failed(format!("cannot reach the worker: {e:?}"));
            return;
        }
        self.status = Status::Running {
            id: req.id,
            fraction: 0.0,
            replication: 0,
            replications: 1,
            started_ms: now_ms(),
        };
    }

    fn on_worker(&mut self, text: &str) -> bool {
        let Some(resp) = Response::from_json(text) else {
            self.status = Status::Failed(format!("unreadable answer from the worker: {text}"));
            return true;
        };
        let Status::Running { id, started_ms, .. } = self.status else {
            return false;
        };
        if resp.id() != id && resp.id() != 0 {
            return false;
        }
        match resp {
            Response::Progress {
                replication,
                replications,
                fraction,
                ..
            } => {
                self.status = Status::Running {
                    id,
                    fraction,
                    replication,
                    replications,
                    started_ms,
                };
            }
            Response::Done { report_json, .. } => {
                self.replay_window = None;
                self.results = Some(Finished::new(
                    report_json,
                    now_ms() - started_ms,
                    self.file.clone(),
                ));
                self.status = Status::Done;
            }
            Response::Invalid { findings, .. } => self.status = Status::Invalid(findings),
            Response::Failed { message, .. } => self.status = Status::Failed(message),
        }
        true
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = ();

    fn create(ctx: &Context<Self>) -> Self {
        let first = files::start();
        // Start the worker now, so its WebAssembly is compiled before the first Run.
        let worker = WorkerHandle::spawn(ctx.link()).ok();
        let link = ctx.link().clone();
        let keys = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                link.send_message(Msg::Run);
            } else if e.key() == "Escape" {
                link.send_message(Msg::Cancel);
                link.send_message(Msg::Detail(None));
            } else if e.key().eq_ignore_ascii_case("s") && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                link.send_message(Msg::Save);
            } else if (e.ctrl_key() || e.meta_key())
                && (e.key().eq_ignore_ascii_case("z") || e.key().eq_ignore_ascii_case("y"))
                && !in_form_field()
            {
                // The app's undo, also in the YAML text area (its own would not know the
                // editor's actions); the inspector's inputs keep the browser's.
                e.prevent_default();
                let redo = e.key().eq_ignore_ascii_case("y") || e.shift_key();
                link.send_message(Msg::Act(if redo { Edit::Redo } else { Edit::Undo }));
            }
        });
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            let _ = doc.add_event_listener_with_callback("keydown", keys.as_ref().unchecked_ref());
        }
        let (findings, graph) = validate(&first.yaml);
        App {
            findings,
            graph,
            history: History::default(),
            selection: None,
            edit_error: None,
            replay_window: None,
            file: first.file,
            yaml: first.yaml,
            seed: String::new(),
            status: Status::Idle,
            results: None,
            worker,
            checker: None,
            check_id: 0,
            checking: false,
            link: ctx.link().clone(),
            next_id: 0,
            _keys: Some(keys),
            notice: first.notice,
            share: None,
            diagram: None,
            open_input: NodeRef::default(),
            detail: None,
            loading: None,
            plan_tab: false,
        }
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        match msg {
            Msg::Select(file) => {
                if self.running() {
                    return false;
                }
                self.loading = None;
                if file == examples::default_example().file {
                    self.show_example(file, examples::DEFAULT_YAML.into());
                } else if examples::find(file).is_some() {
                    self.loading = Some((file, false));
                    let loaded = ctx.link().callback(move |r| Msg::Loaded(file, r));
                    wasm_bindgen_futures::spawn_local(async move {
                        loaded.emit(examples::fetch(file).await);
                    });
                }
                true
            }
            Msg::Loaded(file, loaded) => {
                // Another pick, an edit or an opened file since: this answer no longer applies.
                let Some((pending, run)) = self.loading.take_if(|(f, _)| *f == file) else {
                    return false;
                };
                match loaded {
                    Ok(yaml) => {
                        self.show_example(pending, yaml);
                        if run {
                            self.start_run(ctx);
                        }
                    }
                    Err(e) => {
                        self.notice = Some(format!(
                            "Could not load the example {file} ({e}). Pick it again to retry."
                        ))
                    }
                }
                true
            }
            Msg::Edit(text) => {
                self.loading = None;
                self.change(text, Change::Typing);
                true
            }
            Msg::Tab(plan) => {
                self.plan_tab = plan;
                true
            }
            Msg::ApplyPlan(text) => {
                self.change(text, Change::Action);
                true
            }
            Msg::Jump(line, col) => {
                jump_to(&self.yaml, line, col);
                false
            }
            Msg::Act(edit) => {
                self.loading = None;
                self.act(edit);
                true
            }
            Msg::ReplayAt(w) => {
                let changed = self.replay_window != w;
                self.replay_window = w;
                changed
            }
            Msg::Pick(sel) => {
                self.selection = sel;
                self.edit_error = None;
                true
            }
            Msg::Open => {
                if let Some(input) = self.open_input.cast::<web_sys::HtmlInputElement>() {
                    input.click();
                }
                false
            }
            Msg::Opened(Err(e)) => {
                self.notice = Some(e);
                true
            }
            Msg::Opened(Ok((name, text))) => {
                self.loading = None;
                self.file = name;
                self.change(text, Change::Action);
                self.selection = None;
                if !self.running() {
                    self.results = None;
                    self.status = Status::Idle;
                }
                true
            }
            Msg::Save => {
                let name = files::save_name(&self.yaml, &self.file);
                self.notice = files::download(&name, &self.yaml).err();
                true
            }
            Msg::Share => {
                let link = files::share_link(&self.yaml);
                let done = ctx.link().callback(Msg::Copied);
                files::copy_to_clipboard(&link, move |ok| done.emit(ok));
                self.share = Some((link, None));
                true
            }
            Msg::Diagram(format) => {
                let text = crate::diagram::text(&self.yaml, format);
                if let Ok(t) = &text {
                    let done = ctx.link().callback(Msg::DiagramCopied);
                    files::copy_to_clipboard(t, move |ok| done.emit(ok));
                }
                self.diagram = Some((format, text, None));
                true
            }
            Msg::DiagramCopied(ok) => {
                if let Some((_, _, copied)) = &mut self.diagram {
                    *copied = Some(ok);
                }
                true
            }
            Msg::Copied(ok) => {
                if let Some((_, copied)) = &mut self.share {
                    *copied = Some(ok);
                }
                true
            }
            Msg::Seed(s) => {
                self.seed = s;
                true
            }
            Msg::Run => {
                match &mut self.loading {
                    Some((_, run)) => *run = true,
                    None => self.start_run(ctx),
                }
                true
            }
            Msg::Cancel => {
                if let Some((_, run)) = &mut self.loading {
                    *run = false;
                }
                if !self.running() {
                    return false;
                }
                // Terminating is the only way to stop a worker busy in a synchronous loop.
                self.worker = None;
                self.status = Status::Cancelled;
                // A fresh worker, warm for the next run.
                self.worker = WorkerHandle::spawn(ctx.link()).ok();
                true
            }
            Msg::Worker(text) => self.on_worker(&text),
            Msg::Checked(text) => match crate::check_job::read(&text) {
                Some((id, findings, graph)) if id == self.check_id && self.checking => {
                    self.checking = false;
                    self.findings = Rc::new(findings);
                    self.graph = graph.map(Rc::new);
                    true
                }
                _ => false,
            },
            Msg::Detail(name) => {
                let changed = self.detail != name;
                self.detail = name;
                changed
            }
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let link = ctx.link();
        html! {
            <div class="layout">
                <header class="top">
                    <h1>{"archsim"}</h1>
                    <span class="tagline">{"simulate an architecture in your browser, with the same core and the same numbers as the command line"}</span>
                </header>
                <section class="left" aria-label="Scenario">
                    { self.view_gallery(link) }
                    { self.view_editor(link) }
                </section>
                <section class="right" aria-label="Run and results">
                    <div class="workbench">
                        <crate::sketch::Sketch graph={self.graph.clone()}
                            replay={self.results.as_ref().and_then(|r| r.report.as_ref().ok()?.replay.clone())}
                            selection={self.selection.clone()}
                            can_undo={self.history.can_undo()} can_redo={self.history.can_redo()}
                            on_edit={link.callback(Msg::Act)} on_select={link.callback(Msg::Pick)}
                            on_time={link.callback(Msg::ReplayAt)} />
                        <crate::inspector_view::Inspector yaml={AttrValue::from(self.yaml.clone())}
                            findings={self.findings.clone()} selection={self.selection.clone()}
                            error={self.edit_error.clone().map(AttrValue::from)}
                            model={self.inspector_model()}
                            on_edit={link.callback(Msg::Act)} on_select={link.callback(Msg::Pick)} />
                    </div>
                    <div class="tabs" role="tablist">
                        <button id="tab-run" role="tab" aria-selected={(!self.plan_tab).to_string()}
                            onclick={link.callback(|_| Msg::Tab(false))}>{"Run"}</button>
                        <button id="tab-plan" role="tab" aria-selected={self.plan_tab.to_string()}
                            onclick={link.callback(|_| Msg::Tab(true))}>{"Plan"}</button>
                    </div>
                    <div hidden={self.plan_tab}>
                        { self.view_run(link) }
                        { self.view_results(link) }
                    </div>
                    <div hidden={!self.plan_tab}>
                        <crate::plan_view::PlanTab yaml={AttrValue::from(self.yaml.clone())}
                            seed={self.seed().ok().flatten()}
                            on_apply={link.callback(Msg::ApplyPlan)}
                            on_edit={link.callback(Msg::Act)}
                            on_jump={link.callback(|(l, c)| Msg::Jump(l, c))} />
                    </div>
                </section>
            </div>
        }
    }
}

impl App {
    fn view_gallery(&self, link: &yew::html::Scope<App>) -> Html {
        let running = self.running();
        html! {
            <nav class="gallery" aria-label="Examples">
                <h2>{"Examples"}</h2>
                <ul>
                { for EXAMPLES.iter().map(|e| {
                    let selected = e.file == self.file;
                    let file = e.file;
                    let loading = self.loading.is_some_and(|(f, _)| f == file);
                    html! {
                        <li>
                            <button class={classes!("example", selected.then_some("selected"))}
                                    title={e.title} aria-pressed={selected.to_string()}
                                    aria-busy={loading.then_some("true")}
                                    disabled={running} data-file={file}
                                    onclick={link.callback(move |_| Msg::Select(file))}>
                                { file.trim_end_matches(".yaml") }
                            </button>
                        </li>
                    }
                }) }
                </ul>
            </nav>
        }
    }

    fn view_editor(&self, link: &yew::html::Scope<App>) -> Html {
        let title = examples::find(&self.file).map_or("", |e| e.title);
        let errors = self.findings.iter().filter(|f| f.error).count();
        html! {
            <div class="editor">
                <label for="yaml"><h2>{ &self.file }</h2></label>
                if let Some((file, _)) = self.loading {
                    <p id="example-loading" class="title" role="status">{ format!("Loading {file} …") }</p>
                } else {
                    <p class="title">{ title }</p>
                }
                { self.view_files(link) }
                <crate::editor_view::Editor text={AttrValue::from(self.yaml.clone())}
                    findings={self.findings.clone()}
                    on_change={link.callback(Msg::Edit)}
                    on_dragover={Callback::from(|e: DragEvent| if files::drags_files(&e) { e.prevent_default() })}
                    on_drop={{
                        let opened = link.callback(Msg::Opened);
                        Callback::from(move |e: DragEvent| {
                            if let Some(f) = files::first_file(e.data_transfer().and_then(|d| d.files())) {
                                e.prevent_default();
                                let opened = opened.clone();
                                files::read(f, move |r| opened.emit(r));
                            }
                        })
                    }} />
                <div id="findings" class={classes!("findings", (errors > 0).then_some("has-errors"))} aria-live="polite">
                    if self.checking {
                        <p id="checking" class="note" role="status">{"checking this large file in a worker…"}</p>
                    }
                    if self.findings.is_empty() {
                        <p class="ok">{"valid scenario"}</p>
                    } else {
                        <ul>
                        { for self.findings.iter().map(|f| {
                            let (line, col) = (f.line, f.col);
                            html! {
                                <li class={if f.error { "error" } else { "warning" }}>
                                    <button class="jump" title={format!("Go to line {line}, column {col}")}
                                        onclick={link.callback(move |_| Msg::Jump(line, col))}>{ f.to_string() }</button>
                                </li>
                            }
                        }) }
                        </ul>
                    }
                </div>
            </div>
        }
    }

    /// Open (a hidden file input behind a button), Save (Ctrl+S), Share and its link.
    fn view_files(&self, link: &yew::html::Scope<App>) -> Html {
        let opened = link.callback(Msg::Opened);
        let on_pick = move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            if let Some(f) = files::first_file(input.files()) {
                let opened = opened.clone();
                files::read(f, move |r| opened.emit(r));
            }
            // Picking the same file again opens it again.
            input.set_value("");
        };
        html! {
            <div class="files">
                <div class="controls">
                    <button id="open" title="Open a scenario file (or drop one onto the editor)"
                        aria-label="Open a scenario file" onclick={link.callback(|_| Msg::Open)}>{"Open"}</button>
                    <input id="open-file" type="file" accept=".yaml,.yml,application/yaml,text/yaml" hidden=true
                        tabindex="-1" ref={self.open_input.clone()} onchange={on_pick} />
                    <button id="save" title="Download the scenario as a .yaml file (Ctrl+S)"
                        aria-label="Save the scenario as a file" onclick={link.callback(|_| Msg::Save)}>{"Save"}</button>
                    <button id="share" title="A link with the scenario in it (nothing is uploaded)"
                        aria-label="Share the scenario as a link" onclick={link.callback(|_| Msg::Share)}>{"Share"}</button>
                    <button id="export-mermaid" title="Copy the graph as a Mermaid flowchart (as archsim export --mermaid)"
                        aria-label="Copy the graph as Mermaid" onclick={link.callback(|_| Msg::Diagram(Format::Mermaid))}>{"Mermaid"}</button>
                    <button id="export-dot" title="Copy the graph as Graphviz DOT (as archsim export --dot)"
                        aria-label="Copy the graph as Graphviz DOT" onclick={link.callback(|_| Msg::Diagram(Format::Dot))}>{"DOT"}</button>
                </div>
                if let Some(n) = &self.notice {
                    <p id="file-notice" class="error" role="alert">{ n }</p>
                }
                if let Some((url, copied)) = &self.share {
                    <div class="share">
                        <input id="share-link" type="text" readonly=true value={url.clone()}
                            aria-label="Share link" onfocus={Callback::from(|e: FocusEvent| {
                                e.target_unchecked_into::<web_sys::HtmlInputElement>().select()
                            })} />
                        <span id="share-status" role="status">{ match copied {
                            Some(true) => "copied to the clipboard",
                            Some(false) => "copy it from the field",
                            None => "",
                        } }</span>
                    </div>
                }
                { self.view_diagram() }
            </div>
        }
    }

    /// The last diagram's text in a read-only field, or why there is none.
    fn view_diagram(&self) -> Html {
        match &self.diagram {
            None => html! {},
            Some((_, Err(why), _)) => {
                html! { <p id="diagram-error" class="error" role="alert">{ why }</p> }
            }
            Some((format, Ok(text), copied)) => html! {
                <div class="diagram">
                    <textarea id="diagram-text" readonly=true rows="6" spellcheck="false" wrap="off"
                        aria-label={format!("The graph as {}", format.name())} value={text.clone()} />
                    <span id="diagram-status" role="status">{ match copied {
                        Some(true) => format!("{} copied to the clipboard", format.name()),
                        Some(false) => "copy it from the field".to_string(),
                        None => String::new(),
                    } }</span>
                </div>
            },
        }
    }

    fn view_run(&self, link: &yew::html::Scope<App>) -> Html {
        let running = self.running();
        let invalid = self.findings.iter().any(|f| f.error);
        let status = match &self.status {
            Status::Idle => html! { <span>{"Ready. Ctrl+Enter runs, Escape cancels."}</span> },
            Status::Running {
                fraction,
                replication,
                replications,
                ..
            } => html! {
                <>
                    <progress id="progress" max="1" value={fraction.to_string()} aria-label="simulation progress" />
                    <span>{ format!(" {:.0} %", fraction * 100.0) }
                        if *replications > 1 { { format!(" (replication {} of {replications})", replication + 1) } }
                    </span>
                </>
            },
            Status::Done => {
                let ms = self.results.as_ref().map_or(0.0, |r| r.elapsed_ms);
                html! { <span id="run-time" data-ms={format!("{ms:.0}")}>{ format!("Results in {ms:.0} ms.") }</span> }
            }
            Status::Cancelled => html! { <span class="cancelled">{"Cancelled."}</span> },
            Status::Invalid(findings) => html! {
                <ul class="run-errors">
                    { for findings.iter().map(|f| html! { <li class="error">{ f.to_string() }</li> }) }
                </ul>
            },
            Status::Failed(message) => html! { <span class="error">{ message }</span> },
        };
        html! {
            <div class="run">
                <div class="controls">
                    <button id="run" class="primary" disabled={running || invalid}
                        title="Run the scenario (Ctrl+Enter)" onclick={link.callback(|_| Msg::Run)}>{"Run"}</button>
                    <button id="cancel" disabled={!running} title="Stop the simulation (Escape)"
                        onclick={link.callback(|_| Msg::Cancel)}>{"Cancel"}</button>
                    <label for="seed">{"seed"}</label>
                    <input id="seed" type="text" inputmode="numeric" placeholder="from the file" size="12"
                        value={self.seed.clone()}
                        oninput={link.callback(|e: InputEvent| Msg::Seed(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))} />
                </div>
                <div id="status" class="status" role="status">{ status }</div>
            </div>
        }
    }

    fn view_results(&self, link: &yew::html::Scope<App>) -> Html {
        let Some(done) = &self.results else {
            return html! { <p class="hint">{"Pick an example, edit it if you like, and press Run."}</p> };
        };
        let (report, charts) = match &done.report {
            Ok(s) => (&s.report, &s.charts),
            Err(e) => return html! { <p class="error">{ e }</p> },
        };
        let download = format!(
            "data:application/json;charset=utf-8,{}",
            js_sys::encode_uri_component(&done.report_json)
        );
        let name = format!("{}.report.json", done.file.trim_end_matches(".yaml"));
        let detail = crate::detail::view(
            report,
            self.detail.as_deref(),
            link.callback(|()| Msg::Detail(None)),
        );
        html! {
            <div id="results" class="results">
                <p class="meta">
                    { format!("{}: seed {}, {} s simulated after {} s warm-up, {} replication{}, {} events",
                        report.scenario, report.seed, report.simulated_s, report.warmup_s,
                        report.replications, if report.replications == 1 { "" } else { "s" },
                        report.engine.events) }
                </p>
                { view_slos(report) }
                { view_warnings(report) }
                { view_workloads(report) }
                { view_shown(&charts.workloads, self.replay_window) }
                { view_faults(charts) }
                { view_components(report, link, self.detail.as_deref()) }
                { detail }
                { view_shown(&charts.components, self.replay_window) }
                { view_cost(charts) }
                <details class="raw">
                    <summary>{"Report JSON (as "}<code>{"archsim run --json"}</code>{" prints it) "}
                        <a href={download} download={name}>{"download"}</a></summary>
                    <pre id="report-json">{ &done.report_json }</pre>
                </details>
            </div>
        }
    }
}

/// A chart: title, explanation, legend, then the SVG inline.
fn view_figure(f: &Figure, replay: Option<(f64, f64)>) -> Html {
    let cursor = f
        .time_axis
        .zip(replay)
        .map(|(a, w)| crate::chart::cursor(&a, w));
    html! {
        <figure id={format!("chart-{}", f.id)} class="chart">
            <figcaption>
                <h3>{ &f.title }</h3>
                <p class="sub">{ &f.sub }</p>
                if !f.legend.is_empty() {
                    <div class="legend">
                    { for f.legend.iter().map(|k| {
                        let (class, style) = match k.mark {
                            Mark::Line => ("line", format!("border-color:{}", k.color)),
                            Mark::Dashed => ("dash", format!("border-color:{}", k.color)),
                            Mark::Warmup | Mark::Faults => ("band", format!("background:{}", k.color)),
                        };
                        html! { <span class="key"><i class={class} {style}></i>{ &k.label }</span> }
                    }) }
                    </div>
                }
            </figcaption>
            <div class="plot">
                { Html::from_html_unchecked(AttrValue::from(f.svg.clone())) }
                if let Some((left, width)) = cursor {
                    <div class="cursor" aria-hidden="true" title="the replay's time"
                        style={format!("left:{left:.3}%;width:{width:.3}%")} />
                }
            </div>
        </figure>
    }
}

/// Charts over time, or the notes saying why one is missing.
fn view_shown(items: &[Shown], replay: Option<(f64, f64)>) -> Html {
    html! {
        { for items.iter().map(|s| match s {
            Shown::Figure(f) => view_figure(f, replay),
            Shown::Note(n) => html! { <p class="note">{ n }</p> },
        }) }
    }
}

/// The fault periods the charts shade, `F1`, `F2`, ...
fn view_faults(c: &Charts) -> Html {
    if c.faults.is_empty() {
        return Html::default();
    }
    html! {
        <div class="faults">
            <h3>{"Faults"}</h3>
            <ul id="faults">
            { for c.faults.iter().map(|f| html! {
                <li><b>{ &f.label }</b>{" "}<code>{ &f.what }</code>{ format!(": {}", f.when) }</li>
            }) }
            </ul>
        </div>
    }
}

/// The cost per month and its bars, when the report computed a cost.
fn view_cost(c: &Charts) -> Html {
    if c.cost.is_empty() && c.cost_usd.is_none() {
        return Html::default();
    }
    html! {
        <div class="cost">
            <h3>{"Cost"}</h3>
            if let Some(usd) = c.cost_usd {
                <p id="cost-total">{"About "}<b>{ format!("{} per month", report_charts::fmt_usd(usd)) }</b>
                    {": the run-rate of the measured window extended to a month, at list prices."}</p>
            }
            <div class="bars">{ for c.cost.iter().map(|f| view_figure(f, None)) }</div>
        </div>
    }
}

/// The report's warnings (a saturated component, figures resting on rare events, ...).
fn view_warnings(r: &Report) -> Html {
    if r.warnings.is_empty() {
        return Html::default();
    }
    html! {
        <ul id="warnings" class="warnings" aria-label="Warnings">
        { for r.warnings.iter().map(|w| html! {
            <li><b>{ &w.code }</b>{": "}{ &w.message }</li>
        }) }
        </ul>
    }
}

fn view_slos(r: &Report) -> Html {
    if r.slo.is_empty() {
        return html! { <p class="slos none">{"No SLOs in this scenario."}</p> };
    }
    html! {
        <ul id="slos" class="slos" aria-label="SLOs">
        { for r.slo.iter().map(|s| {
            let (class, mark) = match s.pass {
                Some(true) => ("pass", "✔ pass"),
                Some(false) => ("fail", "✘ fail"),
                None => ("unknown", "? not evaluated"),
            };
            html! {
                <li class={classes!("badge", class)} title={s.note.clone().unwrap_or_default()}>
                    <span class="mark">{ mark }</span>
                    <code>{ &s.expr }</code>
                    <span class="value">{ view::slo_value(s) }</span>
                </li>
            }
        }) }
        </ul>
    }
}

fn view_workloads(r: &Report) -> Html {
    html! {
        <div class="table-wrap">
        <table id="workloads" class="numbers">
            <caption>{"Workloads (end-to-end)"}</caption>
            <thead><tr>
                <th scope="col">{"workload"}</th><th>{"requests"}</th><th>{"failed"}</th>
                <th>{"availability"}</th><th>{"throughput"}</th><th>{"mean"}</th><th>{"p50"}</th>
                <th>{"p90"}</th><th>{"p99"}</th><th>{"p99.9"}</th><th>{"max"}</th>
            </tr></thead>
            <tbody>
            { for r.workloads.iter().map(|(name, w)| html! {
                <tr>
                    <th scope="row">{ name }</th>
                    <td>{ w.requests }</td>
                    <td>{ w.failed }</td>
                    <td>{ format!("{} %", report_charts::fmt_availability(w.availability)) }</td>
                    <td>{ view::rate(w.throughput_rps) }</td>
                    <td>{ view::ms(w.latency_ms.mean) }</td>
                    <td>{ view::ms(w.latency_ms.p50) }</td>
                    <td>{ view::ms(w.latency_ms.p90) }</td>
                    <td>{ view::ms(w.latency_ms.p99) }</td>
                    <td>{ view::ms(w.latency_ms.p999) }</td>
                    <td>{ view::ms(w.latency_ms.max) }</td>
                </tr>
            }) }
            </tbody>
        </table>
        </div>
    }
}

/// The components table; a row (or its name's button, by keyboard) opens the component's detail,
/// the selected row again closes it.
fn view_components(r: &Report, link: &yew::html::Scope<App>, selected: Option<&str>) -> Html {
    html! {
        <div class="table-wrap">
        <table id="components" class="numbers">
            <caption>{"Components"}</caption>
            <thead><tr>
                <th scope="col">{"component"}</th><th>{"utilisation"}</th><th>{"busy slots"}</th>
                <th>{"L (in system)"}</th><th>{"throughput"}</th><th>{"wait mean"}</th>
                <th>{"wait p99"}</th><th>{"W (sojourn)"}</th><th>{"rejected"}</th>
            </tr></thead>
            <tbody>
            { for r.components.iter().map(|(name, c)| {
                let open = selected == Some(name.as_str());
                let next = (!open).then(|| name.clone());
                html! {
                <tr class={classes!("pick", open.then_some("selected"))}
                    onclick={link.callback(move |_| Msg::Detail(next.clone()))}>
                    <th scope="row"><button id={format!("component-row-{name}")} class="row-name"
                        aria-expanded={open.to_string()} aria-controls="component-detail"
                        title="Show everything the report says about this component">{ name }</button></th>
                    <td>{ view::percent(c.utilization) }</td>
                    <td>{ format!("{:.2}", c.busy_mean) }</td>
                    <td>{ format!("{:.2}", c.in_system_mean) }</td>
                    <td>{ view::rate(c.throughput_rps) }</td>
                    <td>{ view::ms(c.queue_wait_ms.mean) }</td>
                    <td>{ view::ms(c.queue_wait_ms.p99) }</td>
                    <td>{ view::ms(c.sojourn_ms.mean) }</td>
                    <td>{ c.rejected }</td>
                </tr>
                }
            }) }
            </tbody>
        </table>
        </div>
    }
}
