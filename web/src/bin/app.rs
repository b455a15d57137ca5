//! The page program: WebAssembly loaded by `index.html`; mounts the yew app (`web::app::App`) on
//! the page's `#app` element. Natively it only says what it is for.

fn main() {
    #[cfg(target_arch = "wasm32")]
    web::app::mount();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the archsim app runs in a browser: build it with scripts/build-web");
}
