// End-to-end test of the archsim browser app in real headless Chromium (Debian's, driven by
// playwright-core): serves the built dist/ on 127.0.0.1 (a free port), opens the app, picks an
// example, runs it, checks the SLO badges, the summary tables and the charts, compares the app's
// report JSON byte for byte with `archsim run FILE --json -` for the same file and seed, checks the
// charts over time of a run with a fault (shaded on each) and its cost bars, a component's detail
// panel (opened by keyboard and mouse, its figures, its charts, closed by Escape and its button), checks the page keeps
// responding while a long simulation runs in the worker and that Cancel stops it, and saves
// screenshots to docs/screenshots/. Prints the time from clicking Run to results.
//
// Needs dist/ (scripts/build-web) and Chromium (scripts/setup). Environment: CHROMIUM (the browser,
// default /usr/bin/chromium), ARCHSIM_BIN (the CLI; default `cargo run -p archsim-cli`).
// Run: cd web && node --test e2e/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openApp as openPage, root, start, yamlOf, setYaml } from "./harness.mjs";

/** The CLI's JSON report for a scenario file, as a user would get it. */
function cliReport(file, seed) {
  const args = ["run", join(root, file), "--json", "-"];
  if (seed !== undefined) args.push("--seed", String(seed));
  const opts = { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 };
  if (process.env.ARCHSIM_BIN) return execFileSync(process.env.ARCHSIM_BIN, args, opts);
  return execFileSync("cargo", ["run", "--quiet", "--locked", "-p", "archsim-cli", "--", ...args], opts);
}

let h, browser, base, profile;

before(async () => {
  h = await start();
  ({ browser, base, profile } = h);
});

after(async () => {
  await h?.close();
});

/**
 * Picks an example in the gallery and waits for its text, the file's bytes, in the editor: the
 * default example's is compiled into the app, the others are fetched from dist/examples/.
 */
async function pick(page, file) {
  const text = readFileSync(join(root, "scenarios", file), "utf8");
  await page.click(`button[data-file="${file}"]`);
  await page.waitForFunction(
    ([f, t]) =>
      !document.querySelector("#example-loading") &&
      document.querySelector(".editor h2")?.textContent === f &&
      (window.archsimEditor?.get() ?? "") === t,
    [file, text],
  );
}

/** A fresh page with the app loaded, failing the test on any page error. */
function openApp() {
  return openPage(browser, base);
}

test("runs the default example: badges, tables, charts, the CLI's report byte for byte", async () => {
  const { page, errors } = await openApp();
  // Another example first (fetched from dist/examples/), then the default (compiled in).
  await pick(page, "backpressure.yaml");
  await pick(page, "checkout.yaml");
  assert.match(await yamlOf(page), /^name: checkout$/m);

  // Run-to-results, measured in the page: from the click on Run (a capturing listener) to the
  // moment the summary table is in the document (a mutation observer), so the test driver's own
  // round trips are not counted.
  await page.evaluate(() => {
    window.__timing = {};
    document.addEventListener("click", (e) => {
      if (e.target.id === "run") window.__timing.click = performance.now();
    }, true);
    new MutationObserver(() => {
      if (!window.__timing.shown && document.querySelector("#workloads tbody tr")) window.__timing.shown = performance.now();
    }).observe(document.body, { subtree: true, childList: true });
  });
  await page.click("#run");
  await page.waitForSelector("#workloads tbody tr", { timeout: 60_000 });
  await page.waitForSelector("#chart-latency svg");
  const timing = await page.evaluate(() => window.__timing);
  const runToResults = timing.shown - timing.click;
  const inApp = Number(await page.getAttribute("#run-time", "data-ms"));
  console.log(`run-to-results scenarios/checkout.yaml: ${runToResults.toFixed(0)} ms (click on Run to the summary shown; the worker's report arrived after ${inApp} ms)`);
  assert.ok(runToResults < 5000, "results within 5 s (the aim is 2 s)");

  const rows = await page.$$eval("#workloads tbody tr", (trs) => trs.map((tr) => tr.innerText));
  assert.equal(rows.length, 1);
  assert.match(rows[0], /^checkout\b/);
  const components = await page.$$eval("#components tbody th", (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(components, ["api", "auth", "catalog", "db"]);
  const badges = await page.$$eval("#slos .badge", (bs) => bs.map((b) => b.className));
  assert.equal(badges.length, 3);
  assert.ok(badges.every((c) => c.includes("pass")), badges.join());
  // The charts over time of `archsim report --html`: latency, throughput, utilisation and queues;
  // nobody scaled and nothing failed, so no instances chart (a note says so) and no fault shade.
  const charts = await page.$$eval("figure.chart", (fs) => fs.map((f) => f.id));
  assert.deepEqual(charts, ["chart-latency", "chart-throughput", "chart-utilisation"]);
  const latency = await page.textContent("#chart-latency");
  for (const label of ["Latency over time", "checkout p99", "checkout p50", "warm-up", "latency (ms)"]) {
    assert.ok(latency.includes(label), label);
  }
  const utilisation = await page.$$eval("#chart-utilisation .legend .key", (ks) => ks.map((k) => k.textContent));
  assert.deepEqual(utilisation, ["api", "auth", "catalog", "db", "warm-up"]);
  assert.match(await page.textContent(".results"), /no instances chart/);
  assert.equal(await page.$('figure.chart rect[fill="#D55E00"]'), null);

  const appJson = await page.textContent("#report-json");
  const cliJson = cliReport("scenarios/checkout.yaml");
  assert.ok(appJson === cliJson, "the app's report equals `archsim run --json` byte for byte");
  console.log(`same report as the CLI: ${appJson.length} bytes, byte for byte`);

  mkdirSync(join(root, "docs/screenshots"), { recursive: true });
  await page.screenshot({ path: join(root, "docs/screenshots/web-checkout.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a run with a fault shows every chart over time with the fault shaded, the faults and the cost", async () => {
  const { page, errors } = await openApp();
  await pick(page, "dns-ttl-region-failover.yaml");
  await page.click("#run");
  await page.waitForSelector("#chart-latency svg", { timeout: 60_000 });
  const inApp = Number(await page.getAttribute("#run-time", "data-ms"));
  console.log(`scenarios/dns-ttl-region-failover.yaml: the worker's report after ${inApp} ms`);
  const charts = await page.$$eval("figure.chart", (fs) => fs.map((f) => f.id));
  assert.deepEqual(charts, [
    "chart-latency", "chart-throughput", "chart-utilisation", "chart-instances",
    "chart-cost-by-component", "chart-cost-by-category",
  ]);
  // Each chart over time shades the fault (Okabe-Ito vermillion, faint), labels it F1 and says so
  // in its legend; the fault is listed under the charts with its period.
  for (const id of charts.slice(0, 4)) {
    const shades = await page.$$(`#${id} svg rect[fill="#D55E00"][opacity="0.13"]`);
    assert.ok(shades.length >= 1, `${id}: the fault shaded`);
    const svgText = await page.textContent(`#${id} svg`);
    assert.ok(svgText.includes("F1"), `${id}: the shade labelled`);
    const legend = await page.$$eval(`#${id} .legend .key`, (ks) => ks.map((k) => k.textContent));
    assert.ok(legend.includes("fault F1"), `${id}: ${legend}`);
  }
  const throughput = await page.$$eval("#chart-throughput .legend .key", (ks) => ks.map((k) => k.textContent));
  assert.deepEqual(throughput, ["clients_ttl5", "clients_ttl60", "fault F1"]);
  assert.match(await page.textContent("#chart-throughput svg"), /failed \(req\/s\)/, "an errors panel");
  const faults = await page.$$eval("#faults li", (ls) => ls.map((l) => l.textContent));
  assert.equal(faults.length, 1);
  assert.match(faults[0], /^F1 .+: \d+:\d\d to \d+:\d\d$/);
  assert.match(await page.textContent("#cost-total"), /^About \$[\d,.]+ per month/);
  assert.ok((await page.$$("#chart-cost-by-component svg rect")).length >= 3, "cost bars");

  // The screenshot of the results with their charts, at 1280x800, scrolled to the charts.
  await page.$eval("#workloads", (t) => t.scrollIntoView({ block: "start" }));
  mkdirSync(join(root, "docs/screenshots"), { recursive: true });
  await page.screenshot({ path: join(root, "docs/screenshots/web-results.png") });

  // A component's detail, by keyboard: the row's name is a button reachable by Tab; Enter opens
  // the panel under the components table with the report's figures and the component's charts
  // over time, the outage shaded; Escape closes it.
  const report = JSON.parse(await page.textContent("#report-json"));
  const east = report.components.api_east;
  const percent = (v) => {
    const p = v * 100;
    return p >= 99 && p < 100 ? `${p.toFixed(3)} %` : `${p.toFixed(1)} %`;
  };
  await page.focus("#component-row-api_east");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "component-row-api_west", "Tab reaches the next row");
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await page.waitForSelector("section#component-detail");
  assert.equal(await page.getAttribute("#component-detail", "data-component"), "api_east");
  assert.match(await page.textContent("#detail-title"), /^api_east\s*service$/);
  const selected = await page.$$eval("#components tr.selected th", (ths) => ths.map((t) => t.textContent));
  assert.deepEqual(selected, ["api_east"], "the row highlighted");
  assert.equal(await page.getAttribute("#component-row-api_east", "aria-expanded"), "true");
  // Right after the components table.
  assert.ok(await page.$eval("#component-detail", (d) => d.previousElementSibling.querySelector("#components") !== null));
  const cell = (key) => page.textContent(`#component-detail tr[data-key="${key}"] td`);
  assert.equal(await cell("utilization"), percent(east.utilization));
  assert.equal(await cell("arrivals"), east.arrivals.toLocaleString("en-US"));
  assert.match(await cell("throughput_rps"), /\/s$/);
  const detailCharts = await page.$$eval("#component-detail figure.chart", (fs) => fs.map((f) => f.id));
  for (const id of ["detail-chart-utilization", "detail-chart-instances", "detail-chart-failed_rps"]) {
    assert.ok(detailCharts.includes(id), `${id} in ${detailCharts}`);
    assert.ok((await page.$$(`#${id} svg rect[fill="#D55E00"][opacity="0.13"]`)).length >= 1, `${id}: the outage shaded`);
  }
  const legend = await page.$$eval("#detail-chart-utilization .legend .key", (ks) => ks.map((k) => k.textContent));
  assert.deepEqual(legend, ["utilisation", "fault F1"]);
  await page.$eval("#component-detail", (d) => d.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: join(root, "docs/screenshots/web-detail.png") });
  await page.keyboard.press("Escape");
  await page.waitForSelector("section#component-detail", { state: "detached" });
  assert.equal(await page.$("#components tr.selected"), null);

  // By mouse: a click anywhere on a row opens it; the close button closes it and gives the focus
  // back to the row's button; clicking the selected row again closes it too.
  await page.click('#components tr:has(#component-row-lb_east) td >> nth=0');
  await page.waitForSelector('#component-detail[data-component="lb_east"]');
  assert.match(await page.textContent("#component-detail"), /Load balancer/);
  await page.click("#detail-close");
  await page.waitForSelector("section#component-detail", { state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement.id), "component-row-lb_east");
  await page.click("#component-row-dns_ttl5");
  await page.waitForSelector('#component-detail[data-component="dns_ttl5"]');
  await page.click("#component-row-dns_ttl5");
  await page.waitForSelector("section#component-detail", { state: "detached" });
  assert.deepEqual(errors, []);
  await page.close();
});

test("the sketch shows every component, and the replay colours them by window with the fault named", async () => {
  const { page, errors } = await openApp();
  await pick(page, "dns-ttl-region-failover.yaml");
  await page.waitForSelector("#graph svg g.node");
  const before = await page.$$eval("#graph g.node", (ns) => ns.map((n) => n.dataset.name));
  assert.ok(before.includes("api_east") && before.includes("dns_ttl60"), before.join());
  const regions = await page.$$eval("#graph g.region text", (ts) => ts.map((t) => t.textContent));
  assert.ok(regions.includes("region us-east") && regions.includes("region us-west"), regions.join());
  assert.ok((await page.$$("#graph line.call")).length >= before.length - 2, "calls drawn");
  assert.equal(await page.$("#replay-slider"), null, "no replay before a run");

  await page.click("#run");
  await page.waitForSelector("#replay-slider", { timeout: 60_000 });
  // Every component of the report is a box of the graph.
  const components = await page.$$eval("#components tbody th", (ths) => ths.map((t) => t.textContent));
  assert.deepEqual([...before].sort(), [...components].sort());

  const east = 'g.node[data-name="api_east"]';
  await page.fill("#replay-slider", "10"); // 1:40, before the outage at 5:00
  assert.match(await page.textContent("#replay-time"), /^01:40 /);
  assert.equal(await page.$("#fault-banner"), null);
  const upBefore = await page.textContent(`${east} .line3`);
  assert.match(upBefore, /^4 up/);
  await page.fill("#replay-slider", "40"); // 6:40, us-east dark
  assert.match(await page.textContent("#replay-time"), /^06:40 /);
  assert.match(await page.textContent("#fault-banner"), /region_outage us-east/);
  assert.match(await page.textContent(`${east} .line3`), /^0\/4 up/);
  // The charts over time mark the replay's window: inside the outage's shade, at 400 s of 1200 s.
  const marks = await page.$$eval("figure.chart .cursor", (cs) =>
    cs.map((c) => {
      const fig = c.closest("figure");
      const svg = fig.querySelector("svg").getBoundingClientRect();
      const shade = fig.querySelector('svg rect[fill="#D55E00"]').getBoundingClientRect();
      const mark = c.getBoundingClientRect();
      return { id: fig.id, at: mark.left - svg.left, shade: [shade.left - svg.left, shade.right - svg.left] };
    }));
  assert.deepEqual(marks.map((m) => m.id).sort(), ["chart-instances", "chart-latency", "chart-throughput", "chart-utilisation"]);
  for (const m of marks) assert.ok(m.shade[0] < m.at && m.at < m.shade[1], `${m.id}: ${JSON.stringify(m)}`);
  // The arrow keys move the slider.
  await page.focus("#replay-slider");
  await page.keyboard.press("ArrowRight");
  assert.equal(await page.inputValue("#replay-slider"), "41");
  // The first windows of the outage: requests to the dark region fail somewhere (red outline, badge).
  await page.fill("#replay-slider", "30");
  assert.ok((await page.$$('#graph g.node[data-errors="true"] .badge')).length >= 1, "an error badge");

  // Space on the slider plays; the slider advances; Space pauses.
  await page.focus("#replay-slider");
  await page.keyboard.press("Space");
  assert.equal(await page.getAttribute("#play", "aria-pressed"), "true");
  await page.waitForFunction(() => Number(document.querySelector("#replay-slider").value) >= 33, null, { timeout: 5000 });
  await page.keyboard.press("Space");
  assert.equal(await page.getAttribute("#play", "aria-pressed"), "false");
  const paused = await page.inputValue("#replay-slider");
  await page.waitForTimeout(600);
  assert.equal(await page.inputValue("#replay-slider"), paused, "paused");
  // The Play button too.
  await page.click("#play");
  await page.waitForFunction((v) => Number(document.querySelector("#replay-slider").value) > v, Number(paused), { timeout: 5000 });
  await page.click("#play");

  await page.fill("#replay-slider", "31");
  await page.$eval("#sketch", (s) => s.scrollIntoView({ block: "start" }));
  mkdirSync(join(root, "docs/screenshots"), { recursive: true });
  await page.screenshot({ path: join(root, "docs/screenshots/web-replay.png") });
  assert.deepEqual(errors, []);
  await page.close();
});

test("a seed override and replications give the CLI's report for the same seed", async () => {
  const { page, errors } = await openApp();
  await pick(page, "mm4-load-0.9.yaml");
  await page.fill("#seed", "7");
  await page.click("#run");
  await page.waitForSelector("#report-json", { state: "attached", timeout: 60_000 });
  const appJson = await page.textContent("#report-json");
  assert.match(appJson, /"seed": 7,/);
  assert.ok(appJson === cliReport("scenarios/mm4-load-0.9.yaml", 7), "same bytes as archsim run --seed 7 --json -");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the page keeps responding while a long simulation runs, and Cancel stops it", async () => {
  const { page, errors } = await openApp();
  const long = readFileSync(join(root, "scenarios/checkout.yaml"), "utf8").replace(/^duration: .*$/m, "duration: 4h");
  await setYaml(page, long);
  await page.click("#run");
  await page.waitForSelector("#progress");
  // Timers on the page's thread keep firing on time while the worker simulates.
  const timers = await page.evaluate(
    () =>
      new Promise((done) => {
        const t0 = performance.now();
        let ticks = 0;
        let worst = 0;
        let last = t0;
        const tick = () => {
          const now = performance.now();
          worst = Math.max(worst, now - last);
          last = now;
          ticks += 1;
          if (now - t0 < 1000) setTimeout(tick, 10);
          else done({ ticks, worst });
        };
        setTimeout(tick, 10);
      }),
  );
  assert.ok(timers.ticks >= 40 && timers.worst < 250, `timers kept firing: ${JSON.stringify(timers)}`);
  // Typing still works, and the progress moves.
  const p1 = Number(await page.getAttribute("#progress", "value"));
  await page.fill("#seed", "123");
  assert.equal(await page.inputValue("#seed"), "123");
  await page.waitForFunction((p) => Number(document.querySelector("#progress")?.value) > p, p1, { timeout: 30_000 });
  assert.ok(await page.isDisabled("#run"));
  console.log(`during a long run: ${timers.ticks} timer ticks in 1 s, worst gap ${timers.worst.toFixed(0)} ms`);
  // Escape cancels (the keyboard route to the Cancel button).
  await page.keyboard.press("Escape");
  await page.waitForSelector(".cancelled");
  assert.equal(await page.$("#progress"), null);
  assert.ok(await page.isEnabled("#run"));
  // A fresh worker runs the next job.
  await pick(page, "closed-terminals.yaml");
  await page.fill("#seed", "");
  await page.keyboard.press("Control+Enter");
  await page.waitForSelector("#workloads tbody tr", { timeout: 60_000 });
  assert.ok((await page.textContent("#report-json")) === cliReport("scenarios/closed-terminals.yaml"));
  assert.deepEqual(errors, []);
  await page.close();
});

test("an invalid scenario shows its errors with line and column and cannot run", async () => {
  const { page } = await openApp();
  const text = readFileSync(join(root, "scenarios/checkout.yaml"), "utf8").replace(/^duration: .*$/m, "duration: ten minutes");
  await setYaml(page, text);
  const line = text.split("\n").findIndex((l) => l.startsWith("duration:")) + 1;
  const findings = await page.textContent("#findings");
  assert.match(findings, new RegExp(`^${line}:\\d+: error: `));
  assert.ok(await page.isDisabled("#run"));
  await page.close();
});

test("files: edit an example, run it, save it, open it again, share it, and autosave across a reload", async () => {
  const { page, errors } = await openApp();
  await pick(page, "checkout.yaml");
  // Change a replica count (api: 4 replicas to 5) and run.
  const edited = (await yamlOf(page)).replace(/replicas: 4/, "replicas: 5");
  assert.notEqual(edited, await yamlOf(page));
  await setYaml(page, edited);
  await page.click("#run");
  await page.waitForSelector("#workloads tbody tr", { timeout: 60_000 });
  assert.match(await page.textContent("#report-json"), /"scenario": "checkout"/);

  // Save: a download named after the scenario holding the editor's text. Ctrl+S does the same.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#save")]);
  assert.equal(download.suggestedFilename(), "checkout.yaml");
  const saved = readFileSync(await download.path(), "utf8");
  assert.ok(saved === edited, "the saved file is the editor's text");
  await page.focus("#yaml .cm-content");
  const [byKey] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Control+s")]);
  assert.ok(readFileSync(await byKey.path(), "utf8") === edited, "Ctrl+S saves too");

  // Open: another example first, then the saved file through the file input.
  await pick(page, "mm4-load-0.9.yaml");
  assert.doesNotMatch(await yamlOf(page), /^name: checkout$/m);
  const file = join(profile, "my-checkout.yaml");
  writeFileSync(file, saved);
  await page.setInputFiles("#open-file", file);
  await page.waitForFunction((t) => (window.archsimEditor?.get() ?? "") === t, edited);
  assert.match(await page.textContent(".editor h2"), /my-checkout\.yaml/);
  assert.match(await page.textContent("#findings"), /valid scenario/);

  // Open by dropping a file onto the editor.
  const dropped = edited.replace(/replicas: 5/, "replicas: 6");
  const transfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], "dropped.yaml", { type: "application/yaml" }));
    return dt;
  }, dropped);
  await page.dispatchEvent("#yaml", "dragover", { dataTransfer: transfer });
  await page.dispatchEvent("#yaml", "drop", { dataTransfer: transfer });
  await page.waitForFunction((t) => (window.archsimEditor?.get() ?? "") === t, dropped);
  assert.match(await page.textContent(".editor h2"), /dropped\.yaml/);
  await setYaml(page, edited);

  // The buttons are reachable with Tab and labelled.
  for (const id of ["open", "save", "share"]) {
    assert.ok((await page.getAttribute(`#${id}`, "aria-label")).length > 4, id);
  }
  await page.focus("#open");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "save");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "share");

  // Share: a link with the scenario in its fragment, shown in a read-only field; opening it in a
  // new page loads the same scenario.
  await page.keyboard.press("Enter");
  await page.waitForSelector("#share-link");
  const link = await page.inputValue("#share-link");
  assert.ok(link.startsWith(`${base}#s=`), link);
  assert.ok(await page.$eval("#share-link", (i) => i.readOnly));
  console.log(`share link of the edited checkout: ${link.length} characters for ${edited.length} bytes of YAML`);
  const other = await browser.newPage();
  await other.goto(link);
  await other.waitForSelector('button[data-file="checkout.yaml"]');
  assert.ok((await yamlOf(other)) === edited, "the share link opens the same scenario");
  assert.equal(await other.$("#file-notice"), null);
  await other.close();

  // A broken link says so and falls back to the default example.
  const broken = await browser.newPage();
  await broken.goto(`${base}#s=${link.split("#s=")[1].slice(0, 40)}`);
  await broken.waitForSelector("#file-notice");
  assert.match(await broken.textContent("#file-notice"), /share link cannot be opened: .*default example/);
  assert.match(await yamlOf(broken), /^name: /m);
  await broken.close();

  // Autosave: the edited text comes back after a reload.
  await setYaml(page, `${edited}# a last edit\n`);
  await page.reload();
  await page.waitForSelector('button[data-file="checkout.yaml"]');
  assert.equal(await yamlOf(page), `${edited}# a last edit\n`);
  assert.deepEqual(errors, []);
  await page.close();
});
