// Same numbers as the CLI, for every example, from the built app as a user runs it: picks each
// scenario in the gallery, sets the seed to 2024, presses Run, and compares the report under
// "Report JSON" byte for byte with `archsim run scenarios/FILE --seed 2024 --json` (read from
// $ARCHSIM_GOLDEN_DIR when scripts/test has written them there, else run now). This is the check
// on the release build in dist/ (the component tests run a debug build of the same code): the page
// and the worker run one WebAssembly module, built with LTO and wasm-opt, and it must still give
// the native core's bytes.
//
// Needs dist/ (scripts/build-web) and Chromium (scripts/setup). Run: cd web && node --test e2e/

import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { openApp, root, start } from "./harness.mjs";

const SEED = 2024;
let h;
before(async () => { h = await start(); });
after(async () => { await h?.close(); });

function nativeReport(file) {
  const golden = process.env.ARCHSIM_GOLDEN_DIR && join(process.env.ARCHSIM_GOLDEN_DIR, file.replace(/\.yaml$/, ".json"));
  if (golden && existsSync(golden)) return readFileSync(golden, "utf8");
  const args = ["run", join(root, "scenarios", file), "--seed", String(SEED), "--json", "-"];
  const opts = { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 };
  if (process.env.ARCHSIM_BIN) return execFileSync(process.env.ARCHSIM_BIN, args, opts);
  return execFileSync("cargo", ["run", "--quiet", "--locked", "-p", "archsim-cli", "--", ...args], opts);
}

test("every example's report in the browser equals the CLI's, byte for byte", { timeout: 900_000 }, async () => {
  const files = readdirSync(join(root, "scenarios")).filter((f) => f.endsWith(".yaml")).sort();
  assert.ok(files.length >= 20);
  const { page, errors } = await openApp(h.browser, h.base);
  await page.fill("#seed", String(SEED));
  const started = Date.now();
  for (const file of files) {
    const text = readFileSync(join(root, "scenarios", file), "utf8");
    await page.click(`button[data-file="${file}"]`);
    await page.waitForFunction(
      (t) => (window.archsimEditor?.get() ?? "") === t && !document.querySelector("#run-time"),
      text,
    );
    await page.click("#run");
    await page.waitForSelector("#run-time", { timeout: 300_000 });
    const app = await page.textContent("#report-json");
    const cli = nativeReport(file);
    assert.ok(app === cli, `${file}: the app's report differs from the CLI's (${app.length} and ${cli.length} bytes)`);
  }
  console.log(`${files.length} examples, seed ${SEED}: the app's reports equal the CLI's byte for byte (${((Date.now() - started) / 1000).toFixed(0)} s in the browser)`);
  assert.deepEqual(errors, []);
  await page.close();
});
