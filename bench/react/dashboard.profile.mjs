// Where the dashboard bench's time goes: runs bench/react/dashboard.bench.tsx in headless Chromium with the V8
// sampling profiler on during its shared widget changes, and prints the functions with the most self time.
//   node bench/react/dashboard.profile.mjs [--changes=30] [--top=40] [--noop | --mount] [--under=name]
// --noop profiles the series with plotly replaced by the no-op renderer (the default profiles real Plotly);
// --mount profiles mounts instead (no-op plotly, 5 after a warm-up).
// Production React, minified names kept (esbuild keepNames) so the table names components and functions.
import { createServer } from "node:http";
import { resolve } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright";
import { CHROMIUM_ARGS } from "../../scripts/findChromium.mjs";

const args = process.argv.slice(2);
const arg = (name, fallback) => {
  const given = args.find((a) => a.startsWith(`--${name}=`));
  return given ? given.slice(name.length + 3) : fallback;
};
const changes = Number(arg("changes", "30"));
const top = Number(arg("top", "40"));
const series = args.includes("--mount") ? "mount" : args.includes("--noop") ? "noop" : "plotly";
// --under=setControl: count only samples with that function on the stack (e.g. the change's synchronous render).
const under = arg("under", "");

const entry = resolve("bench/react/dashboard.bench.tsx");
const wrapper = `
  import run from ${JSON.stringify(entry)};
  run({ log: (m) => window.__benchLog(String(m)), args: ["--changes=${changes}", "--mounts=${series === "mount" ? 5 : 1}", "--profile-series=${series}"] })
    .then((r) => window.__benchDone(JSON.stringify(r)), (e) => window.__benchFail(String((e && e.stack) || e)));`;
const bundle = await build({
  stdin: { contents: wrapper, resolveDir: process.cwd(), sourcefile: "profile-entry.js", loader: "js" },
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  write: false,
  keepNames: true,
  logLevel: "silent",
  define: { "process.env.NODE_ENV": '"production"' },
});
const script = bundle.outputFiles[0].text;
const server = createServer((req, res) => {
  if (req.url === "/bench.js") res.writeHead(200, { "content-type": "text/javascript" }).end(script);
  else if (req.url === "/") {
    res
      .writeHead(200, { "content-type": "text/html" })
      .end('<!doctype html><meta charset="utf-8"><script type="module" src="/bench.js"></script>');
  } else res.writeHead(404).end();
});
await new Promise((ok) => server.listen(0, "127.0.0.1", ok));

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: CHROMIUM_ARGS,
});
const page = await browser.newPage();
const cdp = await page.context().newCDPSession(page);
await cdp.send("Profiler.enable");
await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
let profile;
const done = new Promise((ok, fail) => {
  page.exposeFunction("__benchLog", (m) => console.log(`  ${m}`));
  page.exposeFunction("__benchDone", () => ok());
  page.exposeFunction("__benchFail", (stack) => fail(new Error(stack)));
  page.on("pageerror", fail);
});
// The bench calls these around the profiled series.
await page.exposeFunction("__benchProfile", async (what) => {
  if (what === "start") await cdp.send("Profiler.start");
  else profile = (await cdp.send("Profiler.stop")).profile;
});
await page.goto(`http://127.0.0.1:${server.address().port}/`);
try {
  await done;
} finally {
  await browser.close();
  server.close();
}

// Self and total (inclusive) time per function (name + where), from the samples.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const keyOf = (node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url ? `${url.split("/").pop()}:${lineNumber + 1}` : "";
  return `${functionName || "(anonymous)"} ${where}`;
};
const self = new Map();
const inclusive = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = (profile.timeDeltas[i] ?? 0) / 1000;
  let id = profile.samples[i];
  if (under) {
    let up = id;
    while (up !== undefined && byId.get(up).callFrame.functionName !== under) up = parent.get(up);
    if (up === undefined) continue;
  }
  total += dt;
  const key = keyOf(byId.get(id));
  self.set(key, (self.get(key) ?? 0) + dt);
  const seen = new Set();
  while (id !== undefined) {
    const k = keyOf(byId.get(id));
    if (!seen.has(k)) {
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
    id = parent.get(id);
  }
}
const print = (title, map) => {
  const scope = under ? ` under ${under}` : "";
  console.log(`\n${title}${scope} during ${changes} changes (${series}), ${total.toFixed(0)} ms sampled:`);
  for (const [key, ms] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${ms.toFixed(1).padStart(9)} ms  ${((ms / total) * 100).toFixed(1).padStart(5)}%  ${key}`);
  }
};
print("self time", self);
print("total time", inclusive);
