// End-to-end test of the diagram export in real headless Chromium: the Mermaid and DOT buttons
// above the editor copy the graph's text to the clipboard and show it, byte for byte what
// `archsim export FILE --mermaid|--dot` prints for the same file; an edit drops the old text; a
// text with errors says where the first one is instead.
//
// Needs dist/ (scripts/build-web) and Chromium (scripts/setup). Run: cd web && node --test e2e/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { cli, openApp, root, start, yamlOf, setYaml } from "./harness.mjs";

let h;
before(async () => { h = await start(); });
after(async () => { await h?.close(); });

async function pick(page, file) {
  await page.click(`button[data-file="${file}"]`);
  const want = cli(["export", join(root, "scenarios", file), "--mermaid"]);
  await page.waitForFunction((f) => document.querySelector(`button[data-file="${f}"]`).getAttribute("aria-pressed") === "true"
    && !document.querySelector("#example-loading"), file);
  return want;
}

test("the Mermaid and DOT buttons copy what archsim export prints", async () => {
  await h.browser.grantPermissions(["clipboard-read", "clipboard-write"], { origin: h.base });
  const { page, errors } = await openApp(h.browser, h.base);
  for (const file of ["checkout.yaml", "zone-spread.yaml", "queue-backlog-dlq.yaml"]) {
    const mermaid = await pick(page, file);
    await page.click("#export-mermaid");
    await page.waitForSelector("#diagram-status:has-text('Mermaid copied to the clipboard')");
    assert.equal(await page.inputValue("#diagram-text"), mermaid, `${file}: the field holds the CLI's Mermaid`);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), mermaid, `${file}: the clipboard too`);
    await page.click("#export-dot");
    await page.waitForSelector("#diagram-status:has-text('DOT copied to the clipboard')");
    const dot = cli(["export", join(root, "scenarios", file), "--dot"]);
    assert.equal(await page.inputValue("#diagram-text"), dot, `${file}: the field holds the CLI's DOT`);
  }
  assert.match(await page.inputValue("#diagram-text"), /style=dashed/, "the queue's hand-off is dashed");

  // An edit drops the old diagram; with an error, the button says where it is.
  const text = await yamlOf(page);
  await setYaml(page, text.replace("kind: queue", "kind: qeueu"));
  assert.equal(await page.$("#diagram-text"), null, "an edit drops the old diagram");
  await page.click("#export-mermaid");
  const line = text.split("\n").findIndex((l) => l.includes("kind: queue")) + 1;
  assert.match(await page.textContent("#diagram-error"),
    new RegExp(`^The scenario has errors \\(the first at line ${line}, column \\d+\\); fix them to export its diagram as Mermaid\\.$`));
  assert.deepEqual(errors, []);
});
