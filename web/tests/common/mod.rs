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
