// Starts archsim's simulation worker (a module Web Worker created by the page, see web/src/app.rs).
// Messages that arrive while the WebAssembly is still loading are kept, then handed to the handler
// that web::worker::start (the worker program's main) installs on `self.onmessage`.
import init from "./worker.js";

const early = [];
self.onmessage = (event) => early.push(event);
await init();
for (const event of early) self.onmessage(event);
