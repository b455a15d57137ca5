// Starts one of archsim's workers (module Web Workers): the simulation worker the page starts
// when it opens (web/src/app.rs), or one of the Plan tab's planning workers (web/src/plan_view.rs).
// All run worker.js + worker_bg.wasm (web/src/bin/worker.rs: the engine, plans and sweeps), a
// program apart from the page's; the browser's cache serves every worker after the first.
// Messages that arrive while the WebAssembly is instantiated are kept, then handed to the handler
// that web::worker::start installs on `self.onmessage`.
import init from "./worker.js";

const early = [];
self.onmessage = (event) => early.push(event);
await init();
for (const event of early) self.onmessage(event);
