//! The workers' WebAssembly program (`worker_bg.wasm`, booted by `worker-boot.js`): the engine
//! and everything that simulates. The simulation worker the page starts when it opens runs it
//! (`web::job`), and so do the Plan tab's workers, coordinator and job workers alike
//! (`web::plan_job`). A program of its own, built with the engine at full optimisation (the
//! `wasm-worker` profile), while the page's module stays small (the `wasm-release` profile,
//! without the engine). Natively it only says what it is for.

fn main() {
    #[cfg(target_arch = "wasm32")]
    web::worker::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("archsim's worker runs in a browser: build it with scripts/build-web");
}
