//! The simulation worker program: WebAssembly started in a Web Worker by `worker-boot.js`.
//! See `web::worker`. Natively it only says what it is for.

fn main() {
    #[cfg(target_arch = "wasm32")]
    web::worker::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("the archsim worker runs in a browser: build it with scripts/build-web");
}
