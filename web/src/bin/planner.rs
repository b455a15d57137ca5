//! The planning workers' WebAssembly program (`planner_bg.wasm`, booted by
//! `planner-boot.js`): the simulation worker's runs plus plans and sweeps
//! (`web::plan_job`), coordinator and job workers alike. A program of its own so the planner,
//! sweeps and their JSON stay out of the page's module, which every visitor downloads; it is
//! fetched only when the Plan tab starts its workers. Natively it only says what it is for.

fn main() {
    #[cfg(target_arch = "wasm32")]
    web::worker::start_planner();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("archsim's planning worker runs in a browser: build it with scripts/build-web");
}
