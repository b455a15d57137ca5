//! The inspector panel (wasm32 only): the HTML of [`crate::inspector::html`] with its events
//! handled by delegation on the panel (one `change` and one `click` listener reading the `id`s and
//! `data-` attributes), sent to the page as [`Edit`]s or selections. A change (Enter or leaving a
//! field) is written into the scenario and validated; the new form replaces the old, and the focus
//! goes back to the element that had it (by `id`), so Tab moves through the fields as usual.
//!
//! Text rather than `html!`: yew's macros cost WebAssembly per element, and the app has a size
//! budget (docs/web.md).

use crate::inspector::{self, Selection, parse_path_attr};
use crate::sketch::Edit;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub yaml: AttrValue,
    pub findings: std::rc::Rc<Vec<crate::protocol::Finding>>,
    pub selection: Option<Selection>,
    /// Why the last action could not be done.
    pub error: Option<AttrValue>,
    /// The last run's figures of the selected component beside the analytic model's (HTML text,
    /// [`crate::detail::inspector_model`]).
    pub model: Option<AttrValue>,
    pub on_edit: Callback<Edit>,
    pub on_select: Callback<Option<Selection>>,
}

/// An element's `value` (inputs, text areas and lists alike).
fn value(el: &Element) -> String {
    js_sys::Reflect::get(el, &"value".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

/// The `id` of the focused element, when it is inside the inspector.
fn focused_id() -> Option<String> {
    let el = web_sys::window()?.document()?.active_element()?;
    el.closest("#inspector").ok()??;
    Some(el.id()).filter(|i| !i.is_empty())
}

#[function_component(Inspector)]
pub fn inspector(p: &Props) -> Html {
    let sel = p.selection.clone().unwrap_or(Selection::Scenario);
    let body = inspector::html(&p.yaml, &sel, &p.findings, p.error.as_deref());
    // The form is replaced when its text changes: give the focus back afterwards.
    let refocus = focused_id();
    use_effect(move || {
        if let Some(id) = refocus
            && let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(&id))
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
            && web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.active_element())
                .is_none_or(|a| a.id() != id)
        {
            let _ = el.focus();
        }
    });
    let on_change = {
        let (on_edit, on_select, yaml) = (p.on_edit.clone(), p.on_select.clone(), p.yaml.clone());
        move |e: Event| {
            let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
                return;
            };
            let v = value(&el);
            let edit = match el.id().as_str() {
                "inspect" => {
                    let items = inspector::items(&yaml);
                    if let Some((s, _)) = v.parse::<usize>().ok().and_then(|i| items.get(i)) {
                        on_select.emit(Some(s.clone()));
                    }
                    return;
                }
                "component-name" => Edit::Rename(attr(&el, "data-old"), v.trim().to_string()),
                "connect-to" if !v.is_empty() => Edit::Connect(attr(&el, "data-from"), v),
                "add-field" if !v.is_empty() => match parse_path_attr(&attr(&el, "data-at")) {
                    Some(at) => Edit::AddField {
                        at,
                        key: v,
                        shorthand: attr(&el, "data-shorthand") == "true",
                    },
                    None => return,
                },
                _ => match parse_path_attr(&attr(&el, "data-path")) {
                    Some(path) => Edit::Set(path, v),
                    None => return,
                },
            };
            on_edit.emit(edit);
        }
    };
    let on_click = {
        let on_edit = p.on_edit.clone();
        move |e: MouseEvent| {
            let Some(b) = e
                .target()
                .and_then(|t| t.dyn_into::<Element>().ok())
                .and_then(|t| t.closest("button").ok().flatten())
            else {
                return;
            };
            let edit = match b.id().as_str() {
                "add-workload" => Edit::AddWorkload,
                "add-fault" => Edit::AddFault,
                "add-slo" => Edit::AddSlo,
                _ if b.has_attribute("data-vary") => {
                    Edit::Vary(attr(&b, "data-vary"), attr(&b, "data-field"))
                }
                _ if b.has_attribute("data-delete") => Edit::Delete(attr(&b, "data-delete")),
                _ if b.has_attribute("data-from") => {
                    Edit::Disconnect(attr(&b, "data-from"), attr(&b, "data-to"))
                }
                _ => match parse_path_attr(&attr(&b, "data-remove")) {
                    Some(path) => Edit::Remove(path),
                    None => return,
                },
            };
            on_edit.emit(edit);
        }
    };
    html! {
        <section id="inspector" class="inspector" aria-label="Inspector"
            onchange={on_change} onclick={on_click}
            onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            <h2>{"Inspector"}</h2>
            { Html::from_html_unchecked(AttrValue::from(body)) }
            if let Some(m) = &p.model { { Html::from_html_unchecked(m.clone()) } }
        </section>
    }
}
