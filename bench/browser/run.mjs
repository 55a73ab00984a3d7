// Runs browser benchmarks in headless Chromium:
//   node bench/browser/run.mjs bench/indexeddb.bench.ts [more.bench.ts ...] [--json results.json]
// Each bench file default-exports a BrowserBench (see harness.ts). It is bundled with esbuild, served from
// 127.0.0.1 on a random port, and run in a fresh page; results come back through page.exposeFunction.
// Chromium: CHROMIUM_PATH or /usr/bin/chromium (never downloaded). BENCH_TIMEOUT_MS bounds each bench (default 10 min).
// Bundles are production builds (process.env.NODE_ENV = "production"); BENCH_NODE_ENV=development measures dev builds.
// Exits non-zero if a bench throws, a page error occurs, or a bench times out.
import { writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright";
import { CHROMIUM_ARGS } from "../../scripts/findChromium.mjs";

const args = process.argv.slice(2);
const jsonAt = args.indexOf("--json");
const jsonPath = jsonAt >= 0 ? args[jsonAt + 1] : undefined;
const entries = args.filter((a, i) => !a.startsWith("--") && (jsonAt < 0 || i !== jsonAt + 1));
// Other "--name=value" arguments reach the bench as `context.args` (e.g. the dataframe bench's --file=).
const benchArgs = args.filter((a) => a.startsWith("--") && a !== "--json");
if (entries.length === 0) {
  console.error("usage: node bench/browser/run.mjs <bench.ts> [...] [--json out.json]");
  process.exit(2);
}
const timeoutMs = Number(process.env.BENCH_TIMEOUT_MS ?? 600_000);

async function bundle(entry) {
  const path = resolve(entry);
  const wrapper = `
    import run from ${JSON.stringify(path)};
    const log = (message) => window.__benchLog(String(message));
    run({ log, args: ${JSON.stringify(benchArgs)} }).then(
      (report) => window.__benchDone(JSON.stringify(report)),
      (error) => window.__benchFail(String((error && error.stack) || error)),
    );`;
  const result = await build({
    stdin: { contents: wrapper, resolveDir: process.cwd(), sourcefile: "bench-entry.js", loader: "js" },
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    sourcemap: "inline",
    logLevel: "silent",
    // Benchmarks measure production builds: React and others drop their development checks under this define.
    define: { "process.env.NODE_ENV": JSON.stringify(process.env.BENCH_NODE_ENV ?? "production") },
  });
  return result.outputFiles[0].text;
}

// Extra routes for benches that need more than one script:
//   /files/<path>  a file of the working tree, as bytes (e.g. a dataset under node_modules or bench/data);
//   /esm/<path>    <path> (.ts or .js) bundled on first request as an ES module, e.g. a module Worker's script.
// Paths are relative to the working directory and may not leave it.
const esmCache = new Map();

function localPath(prefix, url) {
  const relative = decodeURIComponent(url.slice(prefix.length).split("?")[0]);
  const path = resolve(relative);
  return path.startsWith(`${process.cwd()}/`) ? path : undefined;
}

async function bundleModule(path) {
  if (!esmCache.has(path)) {
    const result = await build({
      entryPoints: [path],
      bundle: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      sourcemap: "inline",
      logLevel: "silent",
    });
    esmCache.set(path, result.outputFiles[0].text);
  }
  return esmCache.get(path);
}

async function serveExtra(req, res) {
  if (req.url.startsWith("/files/")) {
    const path = localPath("/files/", req.url);
    if (!path) return res.writeHead(403).end();
    try {
      const bytes = await readFile(path);
      res.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes.length }).end(bytes);
    } catch {
      res.writeHead(404).end();
    }
  } else if (req.url.startsWith("/esm/")) {
    const path = localPath("/esm/", req.url);
    if (!path) return res.writeHead(403).end();
    try {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(await bundleModule(path));
    } catch (error) {
      res.writeHead(500, { "content-type": "text/plain" }).end(String(error));
    }
  } else {
    res.writeHead(404).end();
  }
}

function serve(script) {
  const html = `<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/bench.js"></script>`;
  const server = createServer((req, res) => {
    if (req.url === "/" || req.url === "/index.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html);
    } else if (req.url === "/bench.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    } else if (req.url === "/favicon.ico") {
      res.writeHead(204).end();
    } else {
      serveExtra(req, res);
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => ok(server));
  });
}

const stats = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return { n: samples.length, median, min: sorted[0], max: sorted.at(-1), mean };
};

function printReport(entry, report) {
  console.log(`\n${report.title ?? entry}`);
  const rows = report.results.map((r) => ({ name: r.name, bytes: r.bytes, samples: r.samples, ...stats(r.samples) }));
  const ms = (x) => x.toFixed(1);
  // Results that say how many bytes they read also get a throughput column (from the median).
  const withBytes = rows.some((r) => r.bytes !== undefined);
  const mibs = (r) => (r.bytes === undefined ? "" : (r.bytes / 1048576 / (r.median / 1000)).toFixed(1));
  const header = ["", "n", "median ms", "min ms", "max ms", "mean ms", ...(withBytes ? ["MiB/s"] : [])];
  const lines = rows.map((r) => [
    r.name,
    String(r.n),
    ms(r.median),
    ms(r.min),
    ms(r.max),
    ms(r.mean),
    ...(withBytes ? [mibs(r)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(fmt(header));
  for (const l of lines) console.log(fmt(l));
  const byName = new Map(rows.map((r) => [r.name, r]));
  const ratios = [];
  for (const ratio of report.ratios ?? []) {
    const a = byName.get(ratio.numerator);
    const b = byName.get(ratio.denominator);
    if (!a || !b) throw new Error(`ratio "${ratio.name}" names an unknown result`);
    const out = { name: ratio.name, median: a.median / b.median, min: a.min / b.min };
    if (ratio.paired && a.samples.length === b.samples.length) {
      out.paired = stats(a.samples.map((x, i) => x / b.samples[i])).median;
    }
    ratios.push(out);
    const paired = out.paired === undefined ? "" : `, ${out.paired.toFixed(2)}x (paired, round by round)`;
    console.log(`${ratio.name}: ${out.median.toFixed(2)}x (median), ${out.min.toFixed(2)}x (min)${paired}`);
  }
  for (const note of report.notes ?? []) console.log(`  ${note}`);
  return { entry, title: report.title, rows, ratios, notes: report.notes ?? [] };
}

async function runOne(browser, entry) {
  const server = await serve(await bundle(entry));
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    let settle;
    const outcome = new Promise((ok, fail) => {
      settle = { ok, fail };
    });
    page.on("pageerror", (error) => settle.fail(new Error(`page error: ${error.stack ?? error.message}`)));
    page.on("console", (msg) => {
      if (msg.type() === "error" || msg.type() === "warning") console.error(`  [${msg.type()}] ${msg.text()}`);
    });
    await page.exposeFunction("__benchLog", (message) => console.log(`  ${message}`));
    await page.exposeFunction("__benchDone", (json) => settle.ok(JSON.parse(json)));
    await page.exposeFunction("__benchFail", (stack) => settle.fail(new Error(`bench threw: ${stack}`)));
    const timer = setTimeout(() => settle.fail(new Error(`bench timed out after ${timeoutMs} ms`)), timeoutMs);
    outcome.finally(() => clearTimeout(timer)).catch(() => {});
    const { port } = server.address();
    await page.goto(`http://127.0.0.1:${port}/`);
    return printReport(entry, await outcome);
  } finally {
    await context.close();
    server.close();
  }
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: CHROMIUM_ARGS,
});
const chromiumVersion = browser.version();
console.log(`Chromium ${chromiumVersion}, Node ${process.version}, ${cpus().length} CPU cores`);
let failed = false;
const reports = [];
try {
  for (const entry of entries) {
    try {
      reports.push(await runOne(browser, entry));
    } catch (error) {
      failed = true;
      console.error(`\n${entry} FAILED: ${error.message}`);
    }
  }
} finally {
  await browser.close();
}
if (jsonPath)
  writeFileSync(jsonPath, `${JSON.stringify({ chromium: chromiumVersion, cores: cpus().length, reports }, null, 2)}\n`);
process.exit(failed ? 1 : 0);
