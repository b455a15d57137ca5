// The bench page's program (bench.html): starts the simulation worker as the app does when it opens
// (worker-boot.js, which loads worker_bg.wasm, the engine's own program). `compile_ms` is the time to
// compile worker_bg.wasm once on this page (the browser does the same in each worker, cached). Each run is timed from the request to the `done` answer (the report's JSON), and its
// events are the last progress count of each replication, summed: the same span and count as
// tests/examples/events_per_second.rs natively.
// - `cold`: a worker is started and the example posted at once, as if Run were pressed the moment
//   the page appeared: it includes starting the worker and its warm-up (web/src/job.rs).
// - `runs`: another worker is started; once it answers a trivial request (it is ready, as it is when
//   a user presses Run on a loaded page), the example is posted RUNS times: the first is the user's
//   first Run, the others show the steady speed.
// The result is shown as JSON in #bench and kept in `window.benchResult`.
const params = new URLSearchParams(location.search);
const file = params.get("file") ?? "mm4-load-0.9.yaml";
const runs = Number(params.get("runs") ?? 2);

function simulate(worker, id, yaml) {
  return new Promise((resolve, reject) => {
    const events = new Map();
    const started = performance.now();
    worker.onmessage = (e) => {
      const m = JSON.parse(e.data);
      if (m.id !== id) return;
      if (m.kind === "progress") events.set(m.replication, m.events);
      else if (m.kind === "done") {
        const ms = performance.now() - started;
        const n = [...events.values()].reduce((a, b) => a + b, 0);
        resolve({ events: n, ms, events_per_s: Math.round(n / (ms / 1000)), report_bytes: m.report_json.length });
      } else reject(new Error(`${m.kind}: ${JSON.stringify(m.findings ?? m.message)}`));
    };
    worker.postMessage(JSON.stringify({ id, yaml, seed: null }));
  });
}

async function main() {
  const t0 = performance.now();
  await WebAssembly.compileStreaming(fetch("./worker_bg.wasm"));
  const compile_ms = performance.now() - t0;
  const yaml = await (await fetch(`./examples/${file}`)).text();
  const spawn = () => {
    return new Worker("./worker-boot.js", { type: "module", name: "archsim-sim" });
  };
  const coldWorker = spawn();
  const cold = await simulate(coldWorker, 1, yaml);
  coldWorker.terminate();
  const worker = spawn();
  const t1 = performance.now();
  await simulate(worker, 1, "version: 1\n").catch(() => {}); // `invalid`: the worker is ready
  const ready_ms = performance.now() - t1;
  const results = [];
  for (let i = 2; i <= runs + 1; i++) results.push(await simulate(worker, i, yaml));
  worker.terminate();
  return { file, compile_ms, ready_ms, cold, runs: results };
}

main().then(
  (r) => { window.benchResult = r; document.getElementById("bench").textContent = JSON.stringify(r, null, 2); },
  (e) => { window.benchResult = { error: String(e) }; document.getElementById("bench").textContent = String(e); },
);
