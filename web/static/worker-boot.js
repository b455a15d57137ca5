// Starts archsim's simulation worker (a module Web Worker created by the page, see web/src/app.rs).
// The worker runs the same WebAssembly as the page (app.js + app_bg.wasm; its main sees no
// `document` and starts web::worker). The page's first message is its compiled module
// (`{ archsimModule }`), so nothing is fetched or compiled twice; without it (an older page),
// app.js fetches app_bg.wasm itself. Requests that arrive while the WebAssembly is instantiated are
// kept, then handed to the handler that web::worker::start installs on `self.onmessage`.
import init from "./app.js";

const early = [];
let gotModule;
const moduleReady = new Promise((ok) => (gotModule = ok));
self.onmessage = (event) => {
  const d = event.data;
  if (d && typeof d === "object" && d.archsimModule instanceof WebAssembly.Module) gotModule(d.archsimModule);
  else early.push(event);
};
const module = await Promise.race([moduleReady, new Promise((ok) => setTimeout(() => ok(undefined), 2000))]);
await init(module ? { module_or_path: module } : undefined);
for (const event of early) self.onmessage(event);
