// Lighthouse on every page kind of a built site: `node .ci/lighthouse.mjs PUBLIC_DIR`, or
// on some: `node .ci/lighthouse.mjs PUBLIC_DIR certificate print`.
//
// Serves PUBLIC_DIR on loopback (a missing path gets 404.html with status 404), starts
// Debian's headless Chromium once, and audits each page of tests/page-kinds.txt with
// Lighthouse's default (mobile) settings and simulated throttling. Fails unless Accessibility,
// Best Practices and SEO are 100 and the deterministic budgets hold: CSS and JS bytes loaded
// by each page, and a cumulative layout shift under MAX_SHIFT. Performance is a timing: printed, not
// asserted. .ci/test runs it after cargo test; the npm packages come from .ci/package.json.
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

// Bytes as the browser decodes them (no compression on this server), per page. CSS on the
// example site (`python3 .ci/css-bytes.py PUBLIC`): 61.9 KiB at most (print page and
// instructor view: trailmark.css, the handouts sheet and the code colours), 59.0 KiB on
// lists and course pages, 40.3 KiB on lessons, posts and pages (minified theme, code colours
// only where code may show, the handouts and embed sheets only where used).
const CSS_BUDGET = 64 * 1024;
const JS_BUDGET = 48 * 1024;
// The search page loads Pagefind's script for its results.
const JS_BUDGET_SEARCH = 128 * 1024;
// Pages that ask not to be indexed, on purpose (duplicates of other pages, or no content):
// their SEO score leaves out `is-crawlable`.
const NOINDEX = new Set(["print", "certificate", "instructor", "404"]);
// Layout shift is not exactly repeatable between runs (the print page measured 0 and
// 0.0086, testimonials 0 and 0.0007), so each page must stay under MAX_SHIFT, a tenth of
// Web Vitals' "good" line, rather than at exactly 0.
const MAX_SHIFT = 0.01;
const ASSERTED = ["accessibility", "best-practices", "seo"];

const root = path.resolve(process.argv[2] ?? "");
if (!process.argv[2] || !fs.existsSync(path.join(root, "index.html"))) {
  console.error("usage: node .ci/lighthouse.mjs PUBLIC_DIR (a built site)");
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const kinds = fs
  .readFileSync(path.join(here, "../tests/page-kinds.txt"), "utf8")
  .split("\n")
  .filter((l) => l.trim() && !l.startsWith("#"))
  .map((l) => l.trim().split(/\s+/))
  .filter(([name]) => process.argv.length <= 3 || process.argv.slice(3).includes(name));
// axe-core violations not fixed yet (tests/axe-known-violations.txt): Lighthouse's
// accessibility audits are axe's, so the same entries are left out of its score.
const known = fs
  .readFileSync(path.join(here, "../tests/axe-known-violations.txt"), "utf8")
  .split("\n")
  .filter((l) => l.trim() && !l.startsWith("#"))
  .map((l) => l.trim().split(/\s+/));

const types = {
  ".html": "text/html; charset=utf-8", ".css": "text/css", ".js": "text/javascript",
  ".json": "application/json", ".svg": "image/svg+xml", ".wasm": "application/wasm",
  ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp", ".xml": "application/xml",
  ".txt": "text/plain",
};
const server = http.createServer((req, res) => {
  let file = path.join(root, decodeURIComponent(new URL(req.url, "http://x").pathname));
  if (!file.startsWith(root)) file = root;
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
  let status = 200;
  if (!fs.existsSync(file)) {
    status = 404;
    file = path.join(root, "404.html");
  }
  res.writeHead(status, { "Content-Type": types[path.extname(file)] ?? "application/octet-stream" });
  res.end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH ?? "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run", "--disable-quic",
  ],
});
const failures = [];
let version = "";
console.log("page kind        perf  a11y  b.p.  seo   CSS KiB  JS KiB  CLS");
try {
  for (const [name, pagePath] of kinds) {
    // Lighthouse will not audit a page answered with status 404: the 404 page is opened
    // by its own address.
    const url = name === "404" ? `${base}/404.html` : `${base}${pagePath}`;
    const skipAudits = known.filter(([kind]) => kind === name).map(([, rule]) => rule);
    if (NOINDEX.has(name)) skipAudits.push("is-crawlable");
    const result = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance", ...ASSERTED],
      skipAudits,
    });
    const lhr = result.lhr;
    version = lhr.lighthouseVersion;
    const score = (id) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
    let css = 0;
    let js = 0;
    for (const item of lhr.audits["network-requests"]?.details?.items ?? []) {
      if (item.resourceType === "Stylesheet") css += item.resourceSize ?? 0;
      if (item.resourceType === "Script") js += item.resourceSize ?? 0;
    }
    const cls = lhr.audits["cumulative-layout-shift"]?.numericValue ?? NaN;
    console.log(
      `${name.padEnd(16)} ${String(score("performance")).padStart(4)}  ` +
        ASSERTED.map((id) => String(score(id)).padStart(4)).join("  ") +
        `  ${(css / 1024).toFixed(1).padStart(7)}  ${(js / 1024).toFixed(1).padStart(6)}  ${cls}`,
    );
    for (const id of ASSERTED) {
      if (score(id) !== 100) {
        const failed = lhr.categories[id].auditRefs
          .map((ref) => lhr.audits[ref.id])
          .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative")
          .map((a) => `${a.id} (${a.title})`);
        failures.push(`${name} ${pagePath}: ${id} ${score(id)}: ${failed.join(", ")}`);
      }
    }
    if (css > CSS_BUDGET) failures.push(`${name}: ${css} bytes of CSS, over the budget of ${CSS_BUDGET}`);
    const jsBudget = name === "search" ? JS_BUDGET_SEARCH : JS_BUDGET;
    if (js > jsBudget) failures.push(`${name}: ${js} bytes of JavaScript, over the budget of ${jsBudget}`);
    if (!(cls < MAX_SHIFT)) failures.push(`${name}: cumulative layout shift ${cls}, not under ${MAX_SHIFT}`);
  }
} finally {
  await chrome.kill();
  server.close();
}
console.log(`Lighthouse ${version}`);
if (failures.length) {
  console.error(`Lighthouse found problems:\n${failures.join("\n")}`);
  process.exit(1);
}
console.log(`Lighthouse: ${kinds.length} page kinds, every assertion holds`);
