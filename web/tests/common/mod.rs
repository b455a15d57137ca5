//! What the component tests in the browser share.
#![cfg(target_arch = "wasm32")]

/// Lets yew's scheduler render (it runs on the microtask queue and timers).
pub async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 20)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Settles until `done` holds, for at most `bound_ms` of settling: for what arrives through a
/// promise chain (a fetched example's text), whose length in the browser's turns varies with the
/// machine's load. One [`settle`] was a race: CI's loaded runner once checked before the text
/// was in. The caller asserts the same condition after, so a bound exceeded still fails.
#[allow(dead_code)] // compiled into every test binary; only browser.rs waits on a condition
pub async fn settle_until(mut done: impl FnMut() -> bool, bound_ms: u32) {
    let mut waited = 0;
    while !done() && waited < bound_ms {
        settle().await;
        waited += 20;
    }
}
