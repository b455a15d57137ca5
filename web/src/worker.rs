//! The workers' glue (wasm32 only): takes a JSON [`Request`] from `postMessage`, runs it with
//! [`job::run`] (or a plan's or sweep's message with [`plan_job`]), and posts every [`Response`]
//! back as JSON text. One handler serves every worker: the page's simulation worker and the Plan
//! tab's coordinator and job workers. Each is a dedicated Web Worker started from `worker-boot.js`, which holds messages that arrive before the
//! WebAssembly is ready and hands them over once [`start`] has installed the handler.

use crate::job;
use crate::plan_job;
use crate::protocol::{Request, Response};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    /// This worker's part in plans (the worker is single-threaded; the handler is its only user).
    static PLAN_STATE: std::cell::RefCell<plan_job::WorkerState> = Default::default();
}

fn post(scope: &DedicatedWorkerGlobalScope, r: &Response) {
    let text = serde_json::to_string(r).expect("responses serialise");
    // Posting fails only for values that cannot be cloned; a string always can.
    let _ = scope.post_message(&JsValue::from_str(&text));
}

/// Installs the message handler on the worker's global scope: runs, plans and sweeps
/// (`worker_bg.wasm`, the simulation worker and the planning workers alike).
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let out = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
        let text = e.data().as_string().unwrap_or_default();
        // A plan's message (a coordinator's or a job worker's, `plan_job`), else a run.
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            // A large text to check for the page (`check_job`).
            if let Some(a) = crate::check_job::answer(&v) {
                let _ = out.post_message(&JsValue::from_str(&a));
                return;
            }
            let answers = PLAN_STATE.with(|p| p.borrow_mut().handle(&v));
            if let Some(answers) = answers {
                for a in answers {
                    let _ = out.post_message(&JsValue::from_str(&a));
                }
                return;
            }
        }
        let answer = match serde_json::from_str::<Request>(&text) {
            Ok(req) => job::run(&req, |p| post(&out, &p)),
            Err(e) => Response::Failed {
                id: 0,
                message: format!("the worker got a malformed request: {e}"),
            },
        };
        post(&out, &answer);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Before the first request is handled (worker-boot.js hands over early ones after this
    // returns): the engine's code optimised by the browser before the user's first Run.
    job::warm_up();
}
