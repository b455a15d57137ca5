// The Plan tab as a user drives it, in Debian's Chromium on the built dist/: plan an example on
// several Web Workers and get `archsim plan --json`'s bytes, apply the plan (the editor's text
// takes the chosen values), sweep and get `archsim sweep --json`'s bytes and a chart, a bad
// `plan:` block answered with its line while the app stays usable, and Cancel. And the issue's
// user: vary two fields from the inspector, set loads and growth in the tab, plan (the CLI's bytes,
// on 2 and on 5 job workers alike), read why cheaper candidates failed, apply, share the link
// (it opens the applied file) and run the result in the CLI; saves docs/screenshots/web-plan.png. While the plan
// runs, no main-thread task may take over 100 ms (PerformanceObserver "longtask").
//
// Needs dist/ (scripts/build-web) and Chromium (scripts/setup). Run: cd web && node --test e2e/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openApp, root, start, yamlOf, setYaml } from "./harness.mjs";

let h;
before(async () => { h = await start(); });
after(async () => { await h?.close(); });

function cli(...args) {
  const opts = { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 };
  if (process.env.ARCHSIM_BIN) return execFileSync(process.env.ARCHSIM_BIN, args, opts);
  return execFileSync("cargo", ["run", "--quiet", "--locked", "-p", "archsim-cli", "--", ...args], opts);
}

function cliOrExit(...args) {
  try { return cli(...args); } catch (e) { return e.stdout; }
}

test("a plan in the browser equals archsim plan's, applies, and never blocks the page", { timeout: 600_000 }, async () => {
  const file = "plan-functions-vs-containers.yaml";
  const { page, errors } = await openApp(h.browser, h.base);
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); })
      .observe({ type: "longtask", buffered: false });
  });
  await page.click(`button[data-file="${file}"]`);
  await page.waitForFunction((f) => (window.archsimEditor?.get() ?? "").includes("plan:"), file);
  const before = await yamlOf(page);
  await page.click("#tab-plan");
  await page.click("#plan-run");
  await page.waitForSelector("#plan-json", { state: "attached", timeout: 300_000 });
  const longest = await page.evaluate(() => Math.max(0, ...window.longTasks));
  const json = await page.textContent("#plan-json");
  assert.equal(json, cliOrExit("plan", join(root, "scenarios", file), "--json", "-"));
  assert.ok(longest < 100, `a main-thread task took ${longest} ms during the plan`);
  assert.ok((await page.locator("#plan-candidates tbody tr").count()) >= 2);
  assert.match(await page.textContent("#plan-headline"), /Plan found/);
  assert.ok(await page.locator("#plan-frontier svg").count());
  await page.click("#plan-apply");
  const after_ = await yamlOf(page);
  assert.notEqual(after_, before, "Apply plan writes the chosen values");
  assert.deepEqual(errors, []);
});

test("a user varies two fields from the inspector, plans, reads why, applies and shares the plan", { timeout: 600_000 }, async () => {
  const file = "plan-from-the-inspector.yaml";
  const { page, errors } = await openApp(h.browser, h.base, { cores: 2 });
  await page.click(`button[data-file="${file}"]`);
  await page.waitForFunction(() => (window.archsimEditor?.get() ?? "").includes("plan-from-the-inspector"));
  const yaml = () => yamlOf(page);
  assert.ok(!(await yaml()).includes("\nplan:"), "the example starts without a plan");

  // "vary" beside api's replicas, then db's: the plan: block is written into the text.
  await page.click('#graph .node[data-name="api"] rect');
  await page.click("#field-components-api-replicas-vary");
  await page.waitForSelector("#field-components-api-replicas-vary[data-path]");
  await page.click('#graph .node[data-name="db"] rect');
  await page.click("#field-components-db-replicas-vary");
  await page.waitForSelector("#field-components-db-replicas-vary[data-path]");
  assert.equal(await page.inputValue("#field-components-db-replicas-vary"), "1..4");
  assert.match(await yaml(), /\nplan:\n  vary:\n    api\.replicas: 1\.\.4\n    db\.replicas: 1\.\.4\n  loads: \[1x\]\n/);
  assert.match(await yaml(), /^# Plan from the inspector/, "the comments stay");

  // Load factors and growth in the tab.
  await page.click("#tab-plan");
  assert.match(await page.textContent("#plan-settings"), /api\.replicas over 1\.\.4; db\.replicas over 1\.\.4/);
  await page.fill("#plan-loads", "1x, 2x");
  await page.press("#plan-loads", "Tab");
  await page.waitForFunction(() => (window.archsimEditor?.get() ?? "").includes("loads: [1x, 2x]"));
  await page.fill("#plan-growth-rate", "10%/month");
  await page.press("#plan-growth-rate", "Tab");
  await page.waitForFunction(() => (window.archsimEditor?.get() ?? "").includes("growth: { rate: 10%/month, horizon: 24 }"));
  const planned = await yaml();

  await page.click("#plan-run");
  await page.waitForSelector("#plan-json", { state: "attached", timeout: 300_000 });
  const path = join(h.profile, file);
  writeFileSync(path, planned);
  assert.equal(await page.textContent("#plan-json"), cliOrExit("plan", path, "--json", "-"), "the CLI's bytes for the same file");
  assert.match(await page.textContent("#plan-headline"), /Plan found: api\.replicas=\d+, db\.replicas=\d+/);
  assert.match(await page.textContent("#plan-headline"), /Headroom [\d.]+x the largest load; runway \d+ months/);
  // Why the cheaper candidates failed: each rejected row says so.
  const why = await page.locator("#plan-candidates tbody tr:not(.best) td.why").allTextContents();
  assert.ok(why.some((w) => /utilisation of db at 2x/.test(w)), why.join(" | "));
  assert.ok(await page.locator("#plan-growth svg").count(), "the load-growth chart");
  mkdirSync(join(root, "docs/screenshots"), { recursive: true });
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.locator("#plan").screenshot({ path: join(root, "docs/screenshots/web-plan.png") });

  // Apply: the chosen replicas go into the text; the share link carries the file, plan and all.
  // The same bytes on another number of workers (the page on a 5-core machine starts 5).
  const five = await openApp(h.browser, h.base, { cores: 5 });
  await setYaml(five.page, planned);
  await five.page.click("#tab-plan");
  await five.page.click("#plan-run");
  await five.page.waitForSelector("#plan-json", { state: "attached", timeout: 300_000 });
  assert.match(await five.page.textContent("#plan-result"), /on 5 workers/);
  assert.match(await page.textContent("#plan-result"), /on 2 workers/);
  assert.equal(await five.page.textContent("#plan-json"), await page.textContent("#plan-json"), "2 or 5 workers, the same plan");
  assert.deepEqual(five.errors, []);
  await five.page.close();

  await page.click("#plan-apply");
  const applied = await yaml();
  assert.notEqual(applied, planned);
  assert.ok(applied.includes("plan:\n  vary:"), "the plan block stays");
  await page.click("#share");
  await page.waitForSelector("#share-link");
  const other = await h.browser.newPage();
  await other.goto(await page.inputValue("#share-link"));
  await other.waitForFunction(() => (window.archsimEditor?.get() ?? "").includes("plan-from-the-inspector"));
  assert.equal(await yamlOf(other), applied, "the share link opens the applied plan");
  await other.close();
  // The applied file meets its SLOs when run as written (exit 0).
  writeFileSync(path, applied);
  assert.match(cli("run", path), /PASS/);
  assert.deepEqual(errors, []);
});

test("a sweep in the browser equals archsim sweep's and draws its chart", { timeout: 600_000 }, async () => {
  const yaml = "version: 1\nname: tiny-sweep\nseed: 5\nduration: 60s\nreplications: 3\n" +
    "components:\n  api: { kind: service, replicas: 1, concurrency: 2, instance: m5.large, service_time: { exponential: 20ms } }\n" +
    "workloads: [ { name: web, entry: api, arrivals: { poisson: 60/s } } ]\n" +
    "slo: [ 'p99(web) < 200ms' ]\n" +
    "sweep:\n  vary:\n    api.replicas: [1, 2]\n    api.concurrency: [1, 4]\n  loads: [1x, 2x]\n";
  const { page, errors } = await openApp(h.browser, h.base);
  await setYaml(page, yaml);
  await page.click("#tab-plan");
  await page.click("#sweep-run");
  await page.waitForSelector("#sweep-json", { state: "attached", timeout: 300_000 });
  const path = join(h.profile, "tiny-sweep.yaml");
  (await import("node:fs")).writeFileSync(path, yaml);
  assert.equal(await page.textContent("#sweep-json"), cli("sweep", path, "--json", "-"));
  assert.ok(await page.locator("#sweep-chart svg").count());
  await page.selectOption("#sweep-series", "1");
  assert.equal(await page.locator("#sweep-chart .legend li").count(), 2, "a line per concurrency");
  assert.deepEqual(errors, []);
});

test("a bad plan block is answered with its line, and Cancel stops a plan", { timeout: 600_000 }, async () => {
  const text = readFileSync(join(root, "scenarios", "plan-chain-replicas.yaml"), "utf8");
  const bad = text.replace("vary:", "vary:\n    nothing.here: 1..3");
  const { page, errors } = await openApp(h.browser, h.base);
  await setYaml(page, bad);
  await page.click("#tab-plan");
  await page.click("#plan-run");
  await page.waitForSelector("#plan-findings li");
  const line = bad.split("\n").findIndex((l) => l.includes("nothing.here")) + 1;
  assert.match(await page.textContent("#plan-findings"), new RegExp(`^${line}:`));
  await setYaml(page, text);
  await page.click("#plan-run");
  await page.waitForSelector("#plan-progress");
  await page.click("#plan-cancel");
  assert.match(await page.textContent("#plan-status"), /Cancelled/);
  await page.click("#tab-run");
  assert.ok(await page.locator("#run").isEnabled(), "the app stays usable");
  assert.deepEqual(errors, []);
});
