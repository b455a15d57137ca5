//! The inspector panel (wasm32 only): draws [`crate::inspector::Form`] for the selection. Each
//! field is an input holding its YAML text; a change (Enter or leaving the field) is sent as an
//! [`Edit`] to the page, which writes it into the scenario and validates it, and the validator's
//! messages for that field appear under it. Also: the list of everything selectable, the
//! component's name (renaming follows every reference), "sends to" for keyboard users, adding and
//! removing fields, workloads, faults and SLOs.

use crate::inspector::{self, Form, Selection};
use crate::sketch::Edit;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub yaml: AttrValue,
    pub findings: std::rc::Rc<Vec<crate::protocol::Finding>>,
    pub selection: Option<Selection>,
    /// Why the last action could not be done.
    pub error: Option<AttrValue>,
    pub on_edit: Callback<Edit>,
    pub on_select: Callback<Option<Selection>>,
}

fn id_of(path: &[crate::yaml_edit::Seg]) -> String {
    format!("field-{}", inspector::place(path).replace('.', "-"))
}

#[function_component(Inspector)]
pub fn inspector(p: &Props) -> Html {
    let items = inspector::items(&p.yaml);
    let sel = p.selection.clone().unwrap_or(Selection::Scenario);
    let form = inspector::form(&p.yaml, &sel, &p.findings);
    let pick = {
        let on_select = p.on_select.clone();
        let items = items.clone();
        move |e: Event| {
            let i: usize = e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0);
            on_select.emit(items.get(i).map(|(s, _)| s.clone()));
        }
    };
    let selected_index = items.iter().position(|(s, _)| *s == sel);
    html! {
        <section id="inspector" class="inspector" aria-label="Inspector">
            <h2>{"Inspector"}</h2>
            <div class="pick">
                <label for="inspect">{"inspect"}</label>
                <select id="inspect" onchange={pick}>
                    if selected_index.is_none() {
                        <option selected=true value="">{"(select)"}</option>
                    }
                    { for items.iter().enumerate().map(|(i, (s, label))| html! {
                        <option value={i.to_string()} selected={*s == sel}>{ label }</option>
                    }) }
                </select>
            </div>
            <div class="adders">
                <button id="add-workload" onclick={p.on_edit.reform(|_| Edit::AddWorkload)}>{"+ workload"}</button>
                <button id="add-fault" onclick={p.on_edit.reform(|_| Edit::AddFault)}>{"+ fault"}</button>
                <button id="add-slo" onclick={p.on_edit.reform(|_| Edit::AddSlo)}>{"+ SLO"}</button>
            </div>
            if let Some(e) = &p.error {
                <p id="edit-error" class="error" role="alert">{ e.clone() }</p>
            }
            { match form {
                Some(f) => view_form(p, &sel, &f),
                None => html! { <p class="note">{"Nothing selected: click a box or an arrow of the sketch, or pick from the list."}</p> },
            } }
        </section>
    }
}

fn view_form(p: &Props, sel: &Selection, f: &Form) -> Html {
    let on_edit = p.on_edit.clone();
    let names = crate::scenario_edit::component_names(&p.yaml);
    let header = match sel {
        Selection::Component(name) => {
            let old = name.clone();
            let rename = on_edit.reform(move |e: Event| {
                Edit::Rename(
                    old.clone(),
                    e.target_unchecked_into::<HtmlInputElement>().value(),
                )
            });
            let from = name.clone();
            let connect = on_edit.reform(move |e: Event| {
                let s = e.target_unchecked_into::<HtmlSelectElement>();
                let to = s.value();
                s.set_value("");
                Edit::Connect(from.clone(), to)
            });
            html! {
                <>
                    <div class="field">
                        <label for="component-name">{"name"}</label>
                        <input id="component-name" type="text" value={name.clone()} onchange={rename}
                            spellcheck="false" title="Renaming updates every call, target, workload, fault and SLO naming it" />
                    </div>
                    <div class="field">
                        <label for="connect-to">{"sends to"}</label>
                        <select id="connect-to" onchange={connect}>
                            <option value="" selected=true>{"connect to…"}</option>
                            { for names.iter().filter(|n| *n != name).map(|n| html! { <option value={n.clone()}>{ n }</option> }) }
                        </select>
                    </div>
                </>
            }
        }
        _ => Html::default(),
    };
    let remove_item = match sel {
        Selection::Component(n) => Some(("Delete component", Edit::Delete(n.clone()))),
        Selection::Arrow(a, b) => {
            Some(("Remove this arrow", Edit::Disconnect(a.clone(), b.clone())))
        }
        s => inspector::item_path(s).map(|path| ("Remove", Edit::Remove(path))),
    };
    let at = f.path.clone();
    let shorthand = f.shorthand;
    let add = on_edit.reform(move |e: Event| {
        let s = e.target_unchecked_into::<HtmlSelectElement>();
        let key = s.value();
        s.set_value("");
        Edit::AddField {
            at: at.clone(),
            key,
            shorthand,
        }
    });
    html! {
        <form class="form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}
            aria-label={format!("fields of {}", f.title)}>
            <h3 id="form-title">{ &f.title }</h3>
            if !f.messages.is_empty() {
                <ul class="form-messages">
                    { for f.messages.iter().map(|m| html! {
                        <li class={if m.error { "error" } else { "warning" }}>{ m.to_string() }</li>
                    }) }
                </ul>
            }
            { header }
            { for f.fields.iter().map(|field| {
                let id = id_of(&field.path);
                let path = field.path.clone();
                let set = on_edit.reform(move |e: Event| {
                    let t = e.target().expect("an input");
                    let v = if let Ok(a) = wasm_bindgen::JsCast::dyn_into::<HtmlTextAreaElement>(t.clone()) {
                        a.value()
                    } else {
                        wasm_bindgen::JsCast::unchecked_into::<HtmlInputElement>(t).value()
                    };
                    Edit::Set(path.clone(), v)
                });
                let path = field.path.clone();
                let remove = on_edit.reform(move |_| Edit::Remove(path.clone()));
                let msg_id = format!("{id}-msg");
                let bad = field.messages.iter().any(|m| m.error);
                // An SLO is its one field, and a call's `to` is the arrow itself.
                let removable = !(matches!(sel, Selection::Slo(_))
                    || matches!(sel, Selection::Arrow(..)) && field.key == "to");
                html! {
                    <div class={classes!("field", bad.then_some("invalid"))} data-key={field.key.clone()}>
                        <label for={id.clone()}>{ &field.key }</label>
                        if field.multiline {
                            <textarea id={id.clone()} rows={(field.source.lines().count().min(12)).to_string()}
                                spellcheck="false" value={field.source.clone()} onchange={set}
                                aria-invalid={bad.to_string()} aria-describedby={msg_id.clone()} />
                        } else {
                            <input id={id.clone()} type="text" spellcheck="false" value={field.source.clone()}
                                onchange={set} aria-invalid={bad.to_string()} aria-describedby={msg_id.clone()} />
                        }
                        if removable {
                            <button type="button" class="remove" title={format!("remove {}", field.key)}
                                aria-label={format!("remove {}", field.key)} onclick={remove}>{"×"}</button>
                        }
                        <div id={msg_id} class="field-messages" aria-live="polite">
                            { for field.messages.iter().map(|m| html! {
                                <p class={if m.error { "error" } else { "warning" }}>
                                    { format!("{}:{}: {}", m.line, m.col, m.message) }
                                    if let Some(h) = &m.help { <span class="help">{ format!(" ({h})") }</span> }
                                </p>
                            }) }
                        </div>
                    </div>
                }
            }) }
            if !f.addable.is_empty() {
                <div class="field">
                    <label for="add-field">{"add"}</label>
                    <select id="add-field" onchange={add}>
                        <option value="" selected=true>{"a field…"}</option>
                        { for f.addable.iter().map(|k| html! { <option value={*k}>{ *k }</option> }) }
                    </select>
                </div>
            }
            if let Some((label, edit)) = remove_item {
                <button type="button" id="remove-item" onclick={on_edit.reform(move |_| edit.clone())}>{ label }</button>
            }
        </form>
    }
}
