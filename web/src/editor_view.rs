//! The YAML editor on the page (wasm32 only): CodeMirror 6 (`web/editor/editor.js`, bundled into
//! `dist/editor.js` and loaded before the app) mounted in `#yaml`, given the text, the loader's
//! findings and completion's words ([`crate::code_editor`]), and reporting the user's changes.
//! Where the bundle is not loaded (the component tests of `web/tests/`, which mount the app
//! alone) it is the plain text area the app had before, with the same id and events.

use crate::protocol::Finding;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DragEvent, HtmlTextAreaElement, InputEvent};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub text: AttrValue,
    pub findings: Rc<Vec<Finding>>,
    pub on_change: Callback<String>,
    pub on_dragover: Callback<DragEvent>,
    pub on_drop: Callback<DragEvent>,
}

/// `window.ArchsimEditor`, when the bundle is loaded.
fn bundle() -> Option<JsValue> {
    let w = web_sys::window()?;
    js_sys::Reflect::get(&w, &"ArchsimEditor".into())
        .ok()
        .filter(|v| v.is_object())
}

/// `window.archsimEditor`: the mounted editor.
fn mounted() -> Option<JsValue> {
    let w = web_sys::window()?;
    js_sys::Reflect::get(&w, &"archsimEditor".into())
        .ok()
        .filter(|v| v.is_object())
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> Option<JsValue> {
    let f: js_sys::Function = js_sys::Reflect::get(target, &method.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let a = js_sys::Array::new();
    for x in args {
        a.push(x);
    }
    f.apply(target, &a).ok()
}

fn json(v: &serde_json::Value) -> JsValue {
    js_sys::JSON::parse(&v.to_string()).unwrap_or(JsValue::NULL)
}

/// Selects UTF-16 `start..end` in the editor, focuses it and centres the line; `false` when the
/// page has no CodeMirror editor (the caller then uses the text area).
pub fn select(start: u32, end: u32) -> bool {
    match mounted() {
        Some(h) => call(&h, "select", &[start.into(), end.into()]).is_some(),
        None => false,
    }
}

#[function_component(Editor)]
pub fn editor(p: &Props) -> Html {
    let host = use_node_ref();
    let code = use_state(|| bundle().is_some());
    {
        let (host, text, on_change) = (host.clone(), p.text.clone(), p.on_change.clone());
        use_effect_with(*code, move |code| {
            if *code && let (Some(b), Some(el)) = (bundle(), host.cast::<web_sys::Element>()) {
                // The editor lives as long as the page: its listener is never freed.
                let listener =
                    Closure::<dyn FnMut(String)>::new(move |t: String| on_change.emit(t))
                        .into_js_value();
                call(&b, "mount", &[el.into(), text.to_string().into(), listener]);
                if let Some(h) = mounted() {
                    call(&h, "words", &[json(&crate::code_editor::words(&[]))]);
                }
            }
        });
    }
    {
        let code = *code;
        use_effect_with(
            (p.text.clone(), p.findings.clone()),
            move |(text, findings)| {
                if code && let Some(h) = mounted() {
                    call(&h, "load", &[text.to_string().into()]);
                    call(
                        &h,
                        "findings",
                        &[json(&crate::code_editor::diagnostics(text, findings))],
                    );
                    // While the text does not parse (mid-edit), completion keeps the last names.
                    if let Ok(d) = crate::yaml_edit::Doc::parse(text) {
                        let names = crate::scenario_edit::names_in(&d);
                        call(&h, "words", &[json(&crate::code_editor::words(&names))]);
                    }
                }
            },
        );
    }
    if *code {
        return html! {
            <div id="yaml" ref={host} class="code" role="group" aria-describedby="findings"
                title="YAML; drop a .yaml file here to open it"
                ondragover={p.on_dragover.clone()} ondrop={p.on_drop.clone()} />
        };
    }
    let on_change = p.on_change.clone();
    html! {
        <textarea id="yaml" spellcheck="false" wrap="off" value={p.text.clone()}
            aria-describedby="findings" title="YAML; drop a .yaml file here to open it"
            ondragover={p.on_dragover.clone()} ondrop={p.on_drop.clone()}
            oninput={Callback::from(move |e: InputEvent| on_change.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value()))} />
    }
}
