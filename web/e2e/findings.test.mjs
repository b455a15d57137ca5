// End-to-end test of the findings list's jump in real headless Chromium: a click on a finding (or
// Enter on it, it is a button) selects the word at its line:column in the editor, focuses the
// editor and scrolls the line into view, in a short file and in a long one.
//
// Needs dist/ (scripts/build-web) and Chromium (scripts/setup). Run: cd web && node --test e2e/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { openApp, start } from "./harness.mjs";

let h;
before(async () => { h = await start(); });
after(async () => { await h?.close(); });

const state = (page) => page.$eval("#yaml", (t) => ({
  focused: document.activeElement === t,
  selected: t.value.slice(t.selectionStart, t.selectionEnd),
  start: t.selectionStart,
  top: t.scrollTop,
  height: t.clientHeight,
  lineHeight: t.scrollHeight / t.value.split("\n").length,
}));

test("a click on a finding selects its place in the editor", async () => {
  const { page, errors } = await openApp(h.browser, h.base);
  const text = await page.inputValue("#yaml");
  const bad = text.replace(/^duration: .*$/m, "duration: ten minutes");
  await page.fill("#yaml", bad);
  const finding = page.locator("#findings li.error button.jump").first();
  const label = await finding.textContent();
  const [, line, col] = label.match(/^(\d+):(\d+): error: /).map(Number);
  assert.equal(bad.split("\n")[line - 1].slice(col - 1, col + 2), "ten", `${label} points at the value`);
  await finding.click();
  let s = await state(page);
  assert.ok(s.focused, "the editor has the focus");
  assert.equal(s.selected, "ten");

  // By keyboard: the finding focused, Enter.
  await page.$eval("#yaml", (t) => t.setSelectionRange(0, 0));
  await finding.focus();
  assert.equal((await state(page)).focused, false);
  await page.keyboard.press("Enter");
  s = await state(page);
  assert.ok(s.focused && s.selected === "ten", JSON.stringify(s));

  // A long file: 400 comment lines first; the line comes into view.
  const long = "# filler\n".repeat(400) + bad;
  await page.fill("#yaml", long);
  await page.evaluate(() => { document.querySelector("#yaml").scrollTop = 0; });
  await page.locator("#findings li.error button.jump").first().click();
  s = await state(page);
  assert.equal(s.selected, "ten");
  const at = (line + 400 - 1) * s.lineHeight;
  assert.ok(s.top <= at && at <= s.top + s.height, `line at ${at} px in view ${s.top}..${s.top + s.height}`);
  assert.deepEqual(errors, []);
});
