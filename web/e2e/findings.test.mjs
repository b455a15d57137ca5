// End-to-end test of the findings list's jump in real headless Chromium: a click on a finding (or
// Enter on it, it is a button) selects the word at its line:column in the editor, focuses the
// editor and scrolls the line into view, in a short file and in a long one. And the editor itself
// (CodeMirror 6): line numbers, YAML highlighting, each finding marked at its place with its
// message on hover, completion of a component's keys by its kind and of the file's names; and a
// file over 100,000 bytes checked in a worker (its findings and its sketch arrive from there).
//
// Needs dist/ (scripts/build-web) and Chromium (scripts/setup). Run: cd web && node --test e2e/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openApp, root, start, yamlOf, setYaml } from "./harness.mjs";

let h;
before(async () => { h = await start(); });
after(async () => { await h?.close(); });

// The editor's selection, focus and scroll (CodeMirror: `window.archsimEditor`, its scroller).
const state = (page) => page.evaluate(() => {
  const s = window.archsimEditor.selection();
  const view = window.archsimEditor.view;
  return { ...s, height: view.scrollDOM.clientHeight, lineHeight: view.defaultLineHeight };
});

test("a click on a finding selects its place in the editor", async () => {
  const { page, errors } = await openApp(h.browser, h.base);
  const text = await yamlOf(page);
  const bad = text.replace(/^duration: .*$/m, "duration: ten minutes");
  await setYaml(page, bad);
  const finding = page.locator("#findings li.error button.jump").first();
  const label = await finding.textContent();
  const [, line, col] = label.match(/^(\d+):(\d+): error: /).map(Number);
  assert.equal(bad.split("\n")[line - 1].slice(col - 1, col + 2), "ten", `${label} points at the value`);
  await finding.click();
  let s = await state(page);
  assert.ok(s.focused, "the editor has the focus");
  assert.equal(s.selected, "ten");

  // By keyboard: the finding focused, Enter.
  await page.evaluate(() => window.archsimEditor.view.dispatch({ selection: { anchor: 0 } }));
  await finding.focus();
  assert.equal((await state(page)).focused, false);
  await page.keyboard.press("Enter");
  s = await state(page);
  assert.ok(s.focused && s.selected === "ten", JSON.stringify(s));

  // A long file: 400 comment lines first; the line comes into view.
  const long = "# filler\n".repeat(400) + bad;
  await setYaml(page, long);
  await page.evaluate(() => { window.archsimEditor.view.scrollDOM.scrollTop = 0; });
  await page.locator("#findings li.error button.jump").first().click();
  s = await state(page);
  assert.equal(s.selected, "ten");
  const at = (line + 400 - 1) * s.lineHeight;
  assert.ok(s.top <= at && at <= s.top + s.height, `line at ${at} px in view ${s.top}..${s.top + s.height}`);
  assert.deepEqual(errors, []);
});

test("the editor numbers lines, marks each finding at its place with its message, and completes", async () => {
  const { page, errors } = await openApp(h.browser, h.base);
  // checkout as the example has it (the autosave may hold the last test's text).
  const text = readFileSync(join(root, "scenarios", "checkout.yaml"), "utf8");
  await setYaml(page, text);
  assert.ok(await page.locator("#yaml .cm-lineNumbers .cm-gutterElement").count() > 10, "line numbers");
  assert.ok(await page.locator("#yaml .cm-line .tok-keyword, #yaml .cm-line span[class^=ͼ]").count() > 0, "YAML highlighted");
  const bad = text.replace(/^duration: .*$/m, "duration: ten minutes");
  await setYaml(page, bad);
  // The finding's word is marked in the text, and its message shows on hover.
  const mark = page.locator("#yaml .cm-lintRange-error").first();
  await mark.waitFor();
  assert.match(await mark.textContent(), /^ten/);
  await mark.hover();
  const tip = page.locator(".cm-tooltip-lint .cm-diagnostic-error").first();
  await tip.waitFor();
  const listed = (await page.locator("#findings li.error button.jump").first().textContent()).replace(/^\d+:\d+: error: /, "");
  assert.ok((await tip.textContent()).startsWith(listed.split(" (")[0]), `${await tip.textContent()} | ${listed}`);
  await setYaml(page, text);
  await page.locator("#yaml .cm-lintRange-error").waitFor({ state: "detached" });

  // Completion: a component's keys by its kind, and the file's component names.
  const at = text.indexOf("    replicas:");
  await page.evaluate((pos) => {
    const v = window.archsimEditor.view;
    v.dispatch({ changes: { from: pos, insert: "    concu\n" }, selection: { anchor: pos + 9 } });
    v.focus();
  }, at);
  await page.keyboard.press("Control+Space");
  const option = page.locator(".cm-tooltip-autocomplete li", { hasText: "concurrency" }).first();
  await option.waitFor();
  const names = await page.locator(".cm-tooltip-autocomplete li").allTextContents();
  assert.ok(!names.some((n) => n.startsWith("capacity")), `a service's keys, not a cache's: ${names.join(", ")}`);
  await page.keyboard.press("Escape");
  await page.evaluate((pos) => {
    const v = window.archsimEditor.view;
    v.dispatch({ changes: { from: pos, to: pos + 10, insert: "      - to: ca\n" }, selection: { anchor: pos + 14 } });
  }, at);
  await page.keyboard.press("Control+Space");
  await page.locator(".cm-tooltip-autocomplete li", { hasText: "catalog" }).first().waitFor();
  assert.deepEqual(errors, []);
});

test("a large file is checked in a worker: its findings arrive without the page checking it", async () => {
  const { page, errors } = await openApp(h.browser, h.base);
  // 1,500 services in chains of 100, about 150 KB: over the 100,000 bytes checked off the page.
  let yaml = "version: 1\nname: big\nduration: 10s\ncomponents:\n";
  for (let i = 0; i < 1500; i++) {
    yaml += `  s${i}:\n    kind: service\n    replicas: 2\n    service_time: { exponential: 2ms }\n`;
    if (i % 100 !== 99) yaml += `    calls: [s${i + 1}]\n`;
  }
  yaml += "workloads:\n  - name: w\n    entry: s0\n    arrivals: { poisson: 10/s }\n";
  assert.ok(yaml.length > 100_000, `${yaml.length} bytes`);
  const bad = yaml.replace("  s1234:\n    kind: service", "  s1234:\n    kind: servise");
  const line = bad.split("\n").findIndex((l) => l.includes("servise")) + 1;
  // Whether "checking … in a worker" was ever shown (the page did not check it itself).
  await page.evaluate(() => {
    window.sawChecking = false;
    new MutationObserver(() => { if (document.querySelector("#checking")) window.sawChecking = true; })
      .observe(document.body, { childList: true, subtree: true });
  });
  await setYaml(page, bad);
  await page.waitForFunction((l) => (document.querySelector("#findings")?.textContent ?? "").includes(`${l}:11: error`), line);
  assert.equal(await page.locator("#checking").count(), 0, "the check has answered");
  assert.ok(await page.evaluate(() => window.sawChecking), "checked in the worker, not on the page");
  // The sketch is the checked file's: 1,500 boxes.
  await setYaml(page, yaml);
  await page.waitForFunction(() => document.querySelectorAll("#graph g.node").length === 1500 && !document.querySelector("#checking"));
  assert.doesNotMatch(await page.textContent("#findings"), /error/);
  assert.deepEqual(errors, []);
});
