//! Component tests of the graph editor and the inspector in real headless Chromium
//! (wasm-bindgen-test, run by scripts/test with `cargo test -p web --target wasm32-unknown-unknown`).
//! The page is mounted and driven by DOM events, as a user's clicks and keys arrive: the palette
//! adds a box, Undo and Redo take it back and forth, the inspector writes a field into the text,
//! and the validator's message appears under that field and nowhere else.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

mod common;
use common::settle;

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
}

/// A `change` event as a browser sends it (it bubbles, so the inspector's delegation sees it).
fn change(el: &Element) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let e = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    el.dispatch_event(&e).unwrap();
}

fn boxes(root: &Element) -> Vec<String> {
    let list = root.query_selector_all("#graph g.node").unwrap();
    (0..list.length())
        .map(|i| {
            list.item(i)
                .unwrap()
                .unchecked_into::<Element>()
                .get_attribute("data-name")
                .unwrap()
        })
        .collect()
}

#[wasm_bindgen_test]
async fn palette_undo_redo_and_the_inspectors_messages() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<web::app::App>::with_root(root.clone()).render();
    settle().await;
    click(&root, "button[data-file=\"checkout.yaml\"]");
    settle().await;
    let yaml: HtmlTextAreaElement = find(&root, "#yaml").unchecked_into();
    let original = yaml.value();
    assert_eq!(boxes(&root), ["api", "auth", "catalog", "db"]);

    // The palette adds a queue (consumed by the first service) and selects it.
    click(&root, "button.add[data-kind=\"queue\"]");
    settle().await;
    assert_eq!(boxes(&root), ["api", "auth", "catalog", "db", "queue"]);
    assert!(
        yaml.value()
            .contains("  queue:\n    kind: queue\n    consumers: api\nworkloads:"),
        "{}",
        yaml.value()
    );
    assert_eq!(
        find(&root, "#form-title").text_content().unwrap(),
        "queue (queue)"
    );
    let dashed = root
        .query_selector("#graph .edge[data-from=\"queue\"][data-to=\"api\"] line.call")
        .unwrap()
        .expect("the queue hands messages to api");
    assert!(dashed.get_attribute("stroke-dasharray").is_some());

    // Undo takes it back to the example's text exactly; Redo brings it again.
    click(&root, "#undo");
    settle().await;
    assert_eq!(yaml.value(), original);
    assert_eq!(boxes(&root).len(), 4);
    click(&root, "#redo");
    settle().await;
    assert_eq!(boxes(&root).len(), 5);

    // The inspector: a bad `max_depth` shows its message under the field, not elsewhere.
    let field = root
        .query_selector("#field-components-queue-consumers")
        .unwrap();
    assert!(field.is_some(), "the queue's consumers field");
    let add: web_sys::HtmlSelectElement = find(&root, "#add-field").unchecked_into();
    add.set_value("max_depth");
    change(&add);
    settle().await;
    assert!(
        yaml.value().contains("    max_depth: 100000\n"),
        "{}",
        yaml.value()
    );
    let input: HtmlInputElement = find(&root, "#field-components-queue-max_depth").unchecked_into();
    input.set_value("lots");
    change(&input);
    settle().await;
    assert!(yaml.value().contains("    max_depth: lots\n"));
    let msgs = find(&root, ".field[data-key=\"max_depth\"] .field-messages");
    let text = msgs.text_content().unwrap();
    assert!(
        text.contains(": expected") && text.contains("lots"),
        "{text}"
    );
    let others = root
        .query_selector_all(".field:not([data-key=\"max_depth\"]) .field-messages p")
        .unwrap();
    assert_eq!(others.length(), 0);
    assert!(
        find(&root, "#findings")
            .text_content()
            .unwrap()
            .contains("lots")
    );

    // Delete removes the selected component, and Undo brings back the bad value.
    click(&root, "#delete");
    settle().await;
    assert_eq!(boxes(&root).len(), 4);
    assert!(!yaml.value().contains("  queue:"));
    click(&root, "#undo");
    settle().await;
    assert!(yaml.value().contains("max_depth: lots"));
    root.remove();
}
