// End-to-end test of the graph editor and the inspector in real headless Chromium: a user picks
// `checkout`, runs it, selects `db` on the sketch, raises its replicas in the inspector, runs
// again and sees the utilisation fall in the table and the chart change; types a bad value and
// sees the message under the field; adds a cache from the palette, connects `api` to it by
// dragging from the handle, deletes the arrow, undoes and redoes; drags a box and moves it with
// the keyboard (both written to `layout:`); renames a component (references follow); adds and
// removes a workload, a fault and an SLO; and saves docs/screenshots/web-editor.png.
//
// Needs dist/ (scripts/build-web) and Chromium (scripts/setup). Run: cd web && node --test e2e/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openApp, root, start, yamlOf } from "./harness.mjs";

let h;
before(async () => { h = await start(); });
after(async () => { await h?.close(); });

const yaml = (page) => yamlOf(page);

/** The `db` row's utilisation in the components table, as a number. */
async function utilisation(page, name) {
  const row = await page.$$eval("#components tbody tr", (trs, n) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent)).find((cells) => cells[0] === n), name);
  const head = await page.$$eval("#components thead th", (ths) => ths.map((t) => t.textContent));
  const i = head.findIndex((t) => /utili[sz]ation/i.test(t));
  assert.ok(i > 0, `a utilisation column in ${head}`);
  return parseFloat(row[i]);
}

async function run(page) {
  await page.click("#run");
  await page.waitForSelector("#run-time", { timeout: 60_000 });
  await page.waitForSelector("#chart-utilisation svg");
}

/** Drags with the mouse from one element's point to another's. */
async function drag(page, from, to, dx = 0, dy = 0) {
  const a = await (await page.$(from)).boundingBox();
  const b = to ? await (await page.$(to)).boundingBox() : { x: a.x + dx, y: a.y + dy, width: a.width, height: a.height };
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 8 });
  await page.mouse.up();
}

test("a user edits checkout on the sketch and in the inspector, and the results follow", async () => {
  const { page, errors } = await openApp(h.browser, h.base);
  await page.click('button[data-file="checkout.yaml"]');
  await run(page);
  const before = await utilisation(page, "db");
  const chartBefore = await page.innerHTML("#chart-utilisation svg");

  // Select db on the sketch; the inspector shows its fields; raise the replicas from 2 to 3.
  await page.click('#graph .node[data-name="db"] rect');
  assert.equal(await page.textContent("#form-title"), "db (service)");
  assert.equal(await page.getAttribute('#graph .node[data-name="db"]', "data-selected"), "true");
  assert.equal(await page.inputValue("#field-components-db-replicas"), "2");
  // The last run's figures beside the analytic model's, under the fields.
  assert.match(await page.textContent("#inspector-model-table"), /simulated.*model/s);
  assert.ok((await page.locator("#inspector-model-table tbody tr").count()) >= 2);
  await page.fill("#field-components-db-replicas", "3");
  await page.press("#field-components-db-replicas", "Enter");
  assert.match(await yaml(page), /  db:\n    kind: service\n    replicas: 3\n/);
  assert.match(await yaml(page), /^# Checkout:/, "the comments stay");
  assert.match(await page.textContent('#graph .node[data-name="db"] .line3'), /\/3 up/, "the box shows 3 replicas");
  await run(page);
  const after = await utilisation(page, "db");
  console.log(`db utilisation: ${before} with 2 replicas, ${after} with 3`);
  assert.ok(after < before * 0.8, `utilisation falls with a third replica (${before} -> ${after})`);
  assert.notEqual(await page.innerHTML("#chart-utilisation svg"), chartBefore, "the chart changed");

  // A bad value: the message sits under the field, and Run is disabled until it is undone.
  await page.fill("#field-components-db-concurrency", "-1");
  await page.press("#field-components-db-concurrency", "Enter");
  await page.waitForSelector('.field.invalid[data-key="concurrency"]');
  assert.match(await page.textContent('.field[data-key="concurrency"] .field-messages'), /^\d+:\d+: .*negative/);
  assert.equal(await page.getAttribute("#field-components-db-concurrency", "aria-invalid"), "true");
  assert.ok(await page.isDisabled("#run"));
  await page.click("#undo");
  assert.match(await yaml(page), /    concurrency: 2\n/);
  assert.equal(await page.$(".field.invalid"), null);
  assert.ok(!(await page.isDisabled("#run")));

  // The palette adds a cache next to the selected db (its misses go to db).
  await page.click('button.add[data-kind="cache"]');
  assert.equal(await page.textContent("#form-title"), "cache (cache)");
  assert.match(await yaml(page), /  cache:\n    kind: cache\n    hit_ratio: 80%\n    on_miss: db\n/);
  await page.waitForSelector('#graph .node[data-name="cache"]');

  // Connect api to the cache by dragging from api's handle onto the cache's box.
  await drag(page, '#graph .handle[data-name="api"]', '#graph .node[data-name="cache"] rect');
  assert.match(await yaml(page), /      - to: db\n      - to: cache\n/);
  assert.equal(await page.textContent("#form-title"), "api → cache");
  await page.waitForSelector('#graph .edge[data-from="api"][data-to="cache"]');

  // Select the arrow with a click and delete it with the Delete key; undo, redo.
  await page.click('button.add[data-kind="service"]'); // select something else first
  await page.click("#undo");
  await page.dispatchEvent('#graph .edge[data-from="api"][data-to="cache"] line.hit', "pointerdown", { button: 0 });
  assert.equal(await page.textContent("#form-title"), "api → cache");
  await page.focus('#graph .node[data-name="api"]');
  await page.keyboard.press("Delete");
  assert.doesNotMatch(await yaml(page), /to: cache/);
  assert.equal(await page.$('#graph .edge[data-from="api"][data-to="cache"]'), null);
  await page.keyboard.press("Control+z");
  assert.match(await yaml(page), /- to: cache\n/);
  await page.keyboard.press("Control+Shift+z");
  assert.doesNotMatch(await yaml(page), /to: cache/);
  await page.keyboard.press("Control+z");

  // Drag db's box down: its place is written to `layout:`; arrow keys move the focused box.
  await drag(page, '#graph .node[data-name="db"] rect', null, 0, 130);
  const placed = (await yaml(page)).match(/\nlayout:\n  db: \[(\d+), (\d+)\]\n$/);
  assert.ok(placed, "db placed in layout:");
  await page.focus('#graph .node[data-name="db"]');
  await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Shift+ArrowDown");
  assert.ok((await yaml(page)).endsWith(`  db: [${+placed[1] + 10}, ${+placed[2] + 50}]\n`));
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("data-name")), "db", "the focus stays on the box");

  // Rename db: the calls, the cache's misses and the SLO follow.
  await page.click('#graph .node[data-name="db"] rect');
  await page.fill("#component-name", "orders");
  await page.press("#component-name", "Enter");
  const renamed = await yaml(page);
  assert.match(renamed, /  orders:\n    kind: service\n/);
  assert.match(renamed, /- to: orders\n/);
  assert.match(renamed, /on_miss: orders\n/);
  assert.match(renamed, /utilization\(orders\) < 0\.85/);
  assert.match(renamed, /\n  orders: \[\d+, \d+\]\n$/);
  assert.equal(await page.textContent("#findings"), "valid scenario");

  // Connect by keyboard: "sends to" in the inspector.
  await page.selectOption("#connect-to", "auth");
  assert.match(await yaml(page), /  orders:\n(    .*\n)*    calls:\n      - to: auth\n/);

  // Workloads, faults and SLOs: added, shown, removed. A fault starts as a crash of the
  // selected component.
  await page.click('#graph .node[data-name="orders"] rect');
  await page.click("#add-fault");
  assert.match(await page.textContent("#form-title"), /^fault F1$/);
  assert.match(await yaml(page), /faults:\n  - \{ at: 1m, duration: 2m, instance_crash: \{ component: orders, count: 1 \} \}\n/);
  await page.click("#add-slo");
  assert.match(await yaml(page), /  - p99\(checkout\) < 500ms\n/);
  await page.click("#add-workload");
  assert.equal(await page.inputValue("#field-workloads-1-entry"), "api");
  await page.selectOption("#add-field", "users");
  assert.match(await yaml(page), /entry: api, arrivals: \{ poisson: 100\/s \}, users: 100 \}/);
  assert.match(await page.textContent(".inspector"), /arrivals|users/); // open and closed at once: the validator says so
  await page.click("#remove-item");
  assert.doesNotMatch(await yaml(page), /load2/);
  assert.equal(await page.textContent("#findings"), "valid scenario");

  await page.click('#graph .node[data-name="api"] rect');
  await page.screenshot({ path: join(root, "docs/screenshots/web-editor.png") });
  assert.deepEqual(errors, []);
  await page.close();
});
