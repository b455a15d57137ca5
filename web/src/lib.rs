//! # web: the archsim browser app
//!
//! The same `sim-core` as the command line, compiled to WebAssembly. Two programs come out of this
//! crate: the page's (`src/bin/app.rs`), which mounts the yew front end and holds no engine, and
//! the workers' (`src/bin/worker.rs`, booted by `web/static/worker-boot.js`), which simulate,
//! plan and sweep so the page keeps responding. Each is built with its own profile (the engine at
//! full speed, the page small). The two talk through JSON messages defined in
//! [`protocol`]. The worker's report text is `sim_core::report_json`, the
//! very bytes `archsim run --json` prints for the same file and seed.
//!
//! Everything that is not browser glue lives in plain modules that build and test natively too:
//! the example gallery ([`examples`]), the worker's job ([`job`]), the report view model
//! ([`view`]), the charts ([`chart`]), a component's detail ([`detail`]), and the sketch's graph ([`graph`]) and its replay
//! ([`replay`]). The browser glue ([`app`], [`worker`], the sketch panel `sketch`) exists only for
//! `wasm32`.

pub mod chart;
pub mod check_job;
pub mod code_editor;
pub mod detail;
pub mod diagram;
pub mod examples;
pub mod files;
pub mod graph;
pub mod history;
pub mod inspector;
pub mod job;
pub mod jump;
pub mod plan_edit;
pub mod plan_job;
pub mod plan_results;
pub mod protocol;
pub mod replay;
pub mod scenario_edit;
pub mod share;
pub mod view;
pub mod vocabulary;
pub use sim_core::yaml_edit;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod editor_view;
#[cfg(target_arch = "wasm32")]
pub mod inspector_view;
#[cfg(target_arch = "wasm32")]
pub mod plan_view;
#[cfg(target_arch = "wasm32")]
pub mod sketch;
#[cfg(target_arch = "wasm32")]
pub mod worker;
