//! Component tests in real headless Chromium (wasm-bindgen-test; run by scripts/test with
//! `cargo test -p web --target wasm32-unknown-unknown`, the runner and browser set in
//! .cargo/config.toml and web/webdriver.json). They check, inside the browser:
//! - every example loads, and the worker's job gives, for each native report that scripts/test
//!   wrote with the CLI (`GOLDEN`), the same JSON byte for byte (the examples' texts and those
//!   reports are compiled into this test only, from build.rs's `example_texts.rs`);
//! - the charts over time (report-charts) draw with the browser's text measuring (plotters' web
//!   font path), with the fault shaded;
//! - the page component mounts: gallery, editor, and findings with line:column as the text changes,
//!   and the sketch's graph follows the text (the last valid graph kept while it has errors);
//!   picking an example fetches it (`window.fetch` stubbed here: this test server has no
//!   `examples/`), says so while it loads, and says why when it cannot be fetched.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web::examples::EXAMPLES;

mod texts {
    include!(concat!(env!("OUT_DIR"), "/example_texts.rs"));
}
use texts::{EXAMPLE_TEXTS, GOLDEN};

/// An example's text.
fn example_text(file: &str) -> &'static str {
    EXAMPLE_TEXTS.iter().find(|(f, _)| *f == file).unwrap().1
}

/// Replaces `window.fetch` for the page: `body` is the JavaScript of an arrow function from the
/// URL to a promise of a `Response`, which may use `text`. The URLs asked for are kept in
/// `window.__fetched`. The first stub keeps the real fetch in `window.__realFetch`.
fn stub_fetch(body: &str, text: &str) {
    js_sys::Function::new_with_args(
        "text",
        &format!(
            "window.__realFetch = window.__realFetch || window.fetch; window.__fetched = []; \
             window.fetch = (url) => {{ window.__fetched.push(String(url)); return ({body})(url); }};"
        ),
    )
    .call1(&wasm_bindgen::JsValue::NULL, &text.into())
    .unwrap();
}

fn fetched() -> Vec<String> {
    let v = js_sys::Reflect::get(&web_sys::window().unwrap(), &"__fetched".into()).unwrap();
    js_sys::Array::from(&v)
        .iter()
        .map(|u| u.as_string().unwrap())
        .collect()
}
use web::protocol::{Request, Response};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::{settle, settle_until};

#[wasm_bindgen_test]
fn every_example_loads_in_the_browser() {
    let files: Vec<&str> = EXAMPLES.iter().map(|e| e.file).collect();
    let texts: Vec<&str> = EXAMPLE_TEXTS.iter().map(|(f, _)| *f).collect();
    assert_eq!(files, texts, "the gallery lists every example, in order");
    assert_eq!(web::examples::DEFAULT_YAML, example_text(EXAMPLES[0].file));
    for (file, yaml) in EXAMPLE_TEXTS {
        assert!(sim_core::load(yaml.as_bytes()).is_ok(), "{file}");
    }
}

/// Async, and it yields to the browser between examples: run as one synchronous block, the
/// 40 examples kept the renderer busy past chromedriver's 30 s limit on CI's slower machine
/// ("Timed out receiving message from renderer"), which killed the whole run.
#[wasm_bindgen_test]
async fn reports_in_wasm_equal_the_native_cli_byte_for_byte() {
    if GOLDEN.is_empty() {
        web_sys::console::log_1(&"no native reports given (ARCHSIM_GOLDEN_DIR): skipped".into());
        return;
    }
    assert_eq!(
        GOLDEN.len(),
        EXAMPLES.len(),
        "a native report for every example"
    );
    for (file, seed, native) in GOLDEN {
        settle().await;
        let req = Request {
            id: 1,
            yaml: example_text(file).into(),
            seed: *seed,
        };
        match web::job::run(&req, |_| {}) {
            Response::Done { report_json, .. } => {
                assert!(
                    report_json == *native,
                    "{file}: wasm and native reports differ"
                );
            }
            other => panic!("{file}: {other:?}"),
        }
    }
}

#[wasm_bindgen_test]
fn charts_draw_with_the_browsers_fonts() {
    let text = "version: 1\nname: t\nseed: 1\nduration: 10s\nwarmup: 2s\n\
        components: { front_end: { kind: service, concurrency: 2, service_time: { exponential: 5ms } } }\n\
        workloads: [ { name: web, entry: front_end, arrivals: { poisson: 20/s } } ]\n\
        faults: [ { at: 4s, duration: 2s, latency: { component: front_end, add: 50ms } } ]\n";
    let l = sim_core::load(text.as_bytes()).unwrap();
    let charts = web::chart::Charts::of(&sim_core::simulate(&l.scenario).unwrap());
    let ids: Vec<&str> = charts.figures().map(|f| f.id).collect();
    assert_eq!(ids, ["latency", "throughput", "utilisation"]);
    let latency = charts.figures().next().unwrap();
    assert!(latency.svg.contains("\nlatency (ms)\n"), "{}", latency.svg);
    assert!(
        latency.svg.contains(r##"opacity="0.13" fill="#D55E00""##),
        "the fault shaded"
    );
    assert!(latency.svg.contains("\nF1\n"), "and labelled");
    let labels: Vec<&str> = latency.legend.iter().map(|k| k.label.as_str()).collect();
    assert_eq!(labels, ["web p99", "web p50", "warm-up", "fault F1"]);
}

#[wasm_bindgen_test]
async fn the_page_shows_the_gallery_and_findings_with_line_and_column() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<web::app::App>::with_root(root.clone()).render();
    settle().await;

    let buttons = root.query_selector_all("button.example").unwrap();
    assert_eq!(buttons.length() as usize, EXAMPLES.len());
    let yaml: web_sys::HtmlTextAreaElement = root
        .query_selector("#yaml")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(yaml.value().contains("\nname: checkout\n"));
    let findings = root.query_selector("#findings").unwrap().unwrap();
    assert_eq!(findings.text_content().unwrap(), "valid scenario");
    // The sketch: one box per component of checkout (api, auth, catalog, db), arrows between.
    let nodes =
        |root: &web_sys::Element| root.query_selector_all("#graph g.node").unwrap().length();
    assert_eq!(nodes(&root), 4);
    assert!(
        root.query_selector_all("#graph line.call")
            .unwrap()
            .length()
            >= 3
    );

    // An edit with a bad duration: the finding names its line and column, and Run is disabled.
    yaml.set_value("version: 1\nname: x\nduration: soon\n");
    let input = web_sys::InputEvent::new("input").unwrap();
    yaml.dispatch_event(&input).unwrap();
    settle().await;
    let text = findings.text_content().unwrap();
    assert!(text.starts_with("3:11: error: "), "{text}");
    let run: web_sys::HtmlButtonElement = root
        .query_selector("#run")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert!(run.disabled());
    // The text has errors: the sketch keeps the last valid graph and says so.
    assert_eq!(nodes(&root), 4);
    let sketch = root.query_selector("#sketch").unwrap().unwrap();
    assert!(sketch.text_content().unwrap().contains("last valid text"));

    // Picking another example fetches its text from examples/ next to the page, then shows it.
    let button = |file: &str| -> web_sys::HtmlElement {
        root.query_selector(&format!("button[data-file=\"{file}\"]"))
            .unwrap()
            .unwrap()
            .unchecked_into()
    };
    stub_fetch(
        "() => Promise.resolve(new Response(text))",
        example_text("closed-terminals.yaml"),
    );
    button("closed-terminals.yaml").click();
    settle_until(
        || yaml.value().contains("\nname: closed-terminals\n"),
        2_000,
    )
    .await;
    assert_eq!(fetched(), ["./examples/closed-terminals.yaml"]);
    assert!(yaml.value().contains("\nname: closed-terminals\n"));
    assert!(root.query_selector("#example-loading").unwrap().is_none());
    assert!(!run.disabled());
    let components = sim_core::load(example_text("closed-terminals.yaml").as_bytes())
        .unwrap()
        .scenario
        .components
        .len();
    assert_eq!(nodes(&root) as usize, components);

    // While an example loads, the page says so; the default example needs no fetch, and picking
    // it drops the pending one.
    stub_fetch("() => new Promise(() => {})", "");
    button("backpressure.yaml").click();
    settle().await;
    let loading = root.query_selector("#example-loading").unwrap().unwrap();
    assert_eq!(
        loading.text_content().unwrap(),
        "Loading backpressure.yaml …"
    );
    assert_eq!(
        button("backpressure.yaml")
            .get_attribute("aria-busy")
            .as_deref(),
        Some("true")
    );
    button("checkout.yaml").click();
    settle().await;
    assert_eq!(fetched(), ["./examples/backpressure.yaml"]);
    assert!(root.query_selector("#example-loading").unwrap().is_none());
    assert!(yaml.value() == web::examples::DEFAULT_YAML);

    // Run while an example loads runs that example once it is there.
    stub_fetch(
        "() => new Promise((ok) => { window.__answer = () => ok(new Response(text)); })",
        example_text("backpressure.yaml"),
    );
    button("backpressure.yaml").click();
    settle().await;
    run.click();
    settle().await;
    assert!(
        root.query_selector("#progress").unwrap().is_none(),
        "not yet"
    );
    js_sys::eval("window.__answer()").unwrap();
    settle().await;
    assert!(yaml.value() == example_text("backpressure.yaml"));
    assert!(
        root.query_selector("#progress").unwrap().is_some(),
        "running"
    );
    let cancel: web_sys::HtmlElement = root
        .query_selector("#cancel")
        .unwrap()
        .unwrap()
        .unchecked_into();
    cancel.click();
    settle().await;
    assert!(root.query_selector(".cancelled").unwrap().is_some());
    button("checkout.yaml").click();
    settle().await;

    // An example that cannot be fetched: the text stays, and the page says why.
    stub_fetch(
        "() => Promise.resolve(new Response('not here', { status: 404 }))",
        "",
    );
    button("backpressure.yaml").click();
    settle().await;
    let notice = root.query_selector("#file-notice").unwrap().unwrap();
    assert_eq!(
        notice.text_content().unwrap(),
        "Could not load the example backpressure.yaml (HTTP 404). Pick it again to retry."
    );
    assert!(yaml.value() == web::examples::DEFAULT_YAML);
    assert!(root.query_selector("#example-loading").unwrap().is_none());
    stub_fetch("() => Promise.reject(new TypeError('Failed to fetch'))", "");
    button("backpressure.yaml").click();
    settle().await;
    let notice = root.query_selector("#file-notice").unwrap().unwrap();
    assert!(
        notice.text_content().unwrap().contains("(Failed to fetch)"),
        "{:?}",
        notice.text_content()
    );
    js_sys::eval("window.fetch = window.__realFetch").unwrap();
}

/// The page's report as the detail takes it (props compare it by pointer, as the page keeps one).
struct Shared(std::rc::Rc<sim_core::Report>);

impl PartialEq for Shared {
    fn eq(&self, other: &Shared) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(yew::Properties, PartialEq)]
struct DetailHost {
    report: Shared,
    closed: std::rc::Rc<std::cell::Cell<bool>>,
}

#[yew::function_component]
fn DetailPage(p: &DetailHost) -> yew::Html {
    let closed = p.closed.clone();
    web::detail::view(
        &p.report.0,
        Some("front_end"),
        yew::Callback::from(move |()| closed.set(true)),
    )
}

#[wasm_bindgen_test]
async fn a_components_detail_renders_its_figures_and_charts_in_the_browser() {
    let text = "version: 1\nname: t\nseed: 1\nduration: 10s\nwarmup: 2s\n\
        components: { front_end: { kind: service, concurrency: 2, service_time: { exponential: 5ms } } }\n\
        workloads: [ { name: web, entry: front_end, arrivals: { poisson: 20/s } } ]\n\
        faults: [ { at: 4s, duration: 2s, latency: { component: front_end, add: 50ms } } ]\n";
    let l = sim_core::load(text.as_bytes()).unwrap();
    let json = sim_core::report_json(&sim_core::simulate(&l.scenario).unwrap());
    // As the page reads the worker's text.
    let report = std::rc::Rc::new(web::view::read(&json).unwrap());
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let closed = std::rc::Rc::new(std::cell::Cell::new(false));
    yew::Renderer::<DetailPage>::with_root_and_props(
        root.clone(),
        DetailHost {
            report: Shared(report.clone()),
            closed: closed.clone(),
        },
    )
    .render();
    settle().await;

    let panel = root
        .query_selector("section#component-detail")
        .unwrap()
        .unwrap();
    assert_eq!(panel.get_attribute("data-component").unwrap(), "front_end");
    let cell = |key: &str| {
        root.query_selector(&format!("tr[data-key=\"{key}\"] td"))
            .unwrap()
            .unwrap_or_else(|| panic!("a row for {key}"))
            .text_content()
            .unwrap()
    };
    let c = &report.components["front_end"];
    assert_eq!(cell("utilization"), web::view::percent(c.utilization));
    assert_eq!(
        cell("queue_wait_ms.p99"),
        web::view::ms(c.queue_wait_ms.p99)
    );
    assert_eq!(cell("arrivals"), web::detail::count(c.arrivals as f64));
    // The utilisation over time, drawn with the browser's text measuring, the fault shaded.
    let chart = root
        .query_selector("#detail-chart-utilization svg")
        .unwrap()
        .expect("a utilisation chart");
    assert!(
        chart.inner_html().contains(r##"fill="#D55E00""##),
        "the fault shaded"
    );
    let close: web_sys::HtmlElement = root
        .query_selector("#detail-close")
        .unwrap()
        .unwrap()
        .unchecked_into();
    close.click();
    assert!(
        closed.get(),
        "the close button asks the page to close the panel"
    );
}
