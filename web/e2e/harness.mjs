// What the end-to-end tests share: a static server for the built dist/ on a free 127.0.0.1 port,
// Debian's Chromium at 1280x800 driven by playwright-core, and a fresh page of the app that fails
// the test on any page error. Not a test file itself (node --test runs *.test.mjs).

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const root = resolve(fileURLToPath(import.meta.url), "../../..");
export const dist = join(root, "dist");
const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".yaml": "text/yaml; charset=utf-8",
};

/** Starts the server and the browser; returns { base, browser, profile, close }. */
export async function start() {
  statSync(join(dist, "index.html")); // fails clearly when the app is not built
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = normalize(join(dist, path === "/" ? "index.html" : path));
    if (!file.startsWith(dist)) return res.writeHead(403).end();
    try {
      const body = readFileSync(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const profile = mkdtempSync(join(tmpdir(), "archsim-e2e-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    args: [
      "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  return {
    base,
    browser,
    /** A temporary folder (the browser's profile), for files a test writes. */
    profile,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** A fresh page with the app loaded; `errors` collects page errors and console errors; `cores`
 * overrides the core count the page sees. */
export async function openApp(browser, base, { cores } = {}) {
  const page = await browser.newPage();
  // `cores`: what navigator.hardwareConcurrency says, so the Plan tab starts that many job workers.
  if (cores) await page.addInitScript((n) => Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => n }), cores);
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(base);
  await page.waitForSelector('button[data-file="checkout.yaml"]');
  return { page, errors };
}

/** The editor's text (CodeMirror's, through `window.archsimEditor`). */
export function yamlOf(page) {
  return page.evaluate(() => window.archsimEditor.get());
}

/** Replaces the editor's text as a user would (the app hears the change at once). */
export async function setYaml(page, text) {
  await page.waitForFunction(() => window.archsimEditor);
  await page.evaluate((t) => window.archsimEditor.set(t), text);
}

/** Waits until the editor's text satisfies `test(text, arg)` (a function run in the page). */
export function waitForYaml(page, test, arg) {
  return page.waitForFunction(
    ([src, a]) => window.archsimEditor && new Function("t", "a", `return (${src})(t, a)`)(window.archsimEditor.get(), a),
    [test.toString(), arg],
  );
}

/** What the CLI prints for `archsim ARGS...` (run from the repository's root), as a user would get
 * it: ARCHSIM_BIN when set, else `cargo run -p archsim-cli`. */
export function cli(args) {
  const opts = { cwd: root, encoding: "utf8", maxBuffer: 64 << 20 };
  if (process.env.ARCHSIM_BIN) return execFileSync(process.env.ARCHSIM_BIN, args, opts);
  return execFileSync("cargo", ["run", "--quiet", "--locked", "-p", "archsim-cli", "--", ...args], opts);
}
