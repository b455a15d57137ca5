//! The page's WebAssembly program (`app_bg.wasm`, loaded by `index.html`): mounts the yew app
//! (`web::app::App`) on `#app`. It holds the editor, sketch, inspector, charts and the planner's
//! results, but not the engine: every simulation runs in the workers' program
//! (`src/bin/worker.rs`), so the module every visitor waits for stays small (docs/web.md, "Size
//! and speed"). Natively it only says what it is for.

fn main() {
    #[cfg(target_arch = "wasm32")]
    web::app::mount();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the archsim app runs in a browser: build it with scripts/build-web");
}
