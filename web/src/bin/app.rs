//! The one WebAssembly program of the browser app, loaded twice: by `index.html` on the page,
//! where it mounts the yew app (`web::app::App`) on `#app`, and by `worker-boot.js` in the
//! simulation's Web Worker, where it answers run requests (`web::worker`). One module rather than
//! two: the scenario loader, JSON, number formatting and the allocator are shared, which makes the
//! download about a quarter smaller (docs/web.md); the page hands its compiled module to the
//! worker, so it is fetched and compiled once. Natively it only says what it is for.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        // A page has a `document`; a worker does not.
        let in_page = js_sys::Reflect::get(&js_sys::global(), &"document".into())
            .is_ok_and(|d| !d.is_undefined());
        if in_page {
            web::app::mount();
        } else {
            web::worker::start();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the archsim app runs in a browser: build it with scripts/build-web");
}
