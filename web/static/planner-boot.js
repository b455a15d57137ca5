// Starts one of archsim's planning workers (a module Web Worker created by the Plan tab, see
// web/src/plan_view.rs): the coordinator holding the planner, or a job worker. It runs
// planner.js + planner_bg.wasm (web/src/bin/planner.rs), a program of its own so the page's
// WebAssembly stays small; the browser's cache serves the second worker's fetch. Messages that
// arrive while the WebAssembly is instantiated are kept, then handed to the handler that
// web::worker::start_planner installs on `self.onmessage`.
import init from "./planner.js";

const early = [];
self.onmessage = (event) => early.push(event);
await init();
for (const event of early) self.onmessage(event);
