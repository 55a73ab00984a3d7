// `npm run bench [-- name...]`: every benchmark in bench/, peers in the same run. Node benches run with tsx,
// browser benches in headless Chromium through bench/browser/run.mjs.
import { spawnSync } from "node:child_process";
import { findChromium } from "./findChromium.mjs";

const BENCHES = [
  { name: "paramSpace", node: "bench/paramSpace.bench.ts" },
  { name: "indexeddb", browser: "bench/indexeddb.bench.ts" },
  // Push and head read at 100, 10,000 and 100,000 frames of history.
  { name: "history", node: "bench/history.bench.ts" },
  { name: "history-indexeddb", browser: "bench/historyIndexedDB.bench.ts" },
  { name: "react", browser: "bench/react/stackView.bench.tsx" },
  { name: "dashboard", browser: "bench/react/dashboard.bench.tsx" },
  // The server runs in a child process; autocannon loads it from the bench process.
  { name: "server", node: "bench/server/server.bench.ts" },
  // The server on PostgreSQL (a throwaway cluster, durable settings) next to the file store, one and two instances.
  { name: "postgres", node: "bench/server/postgres.bench.ts" },
  // The Node run generates bench/data/mixed-100mb.csv, which the Chromium run then reads: keep this order.
  { name: "dataframe", node: "bench/dataframe/node.bench.ts" },
  { name: "dataframe-browser", browser: "bench/dataframe/browser.bench.ts" },
];

// Arguments starting with "--" go to every selected bench (e.g. the dataframe bench's --file= and --contender=).
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const passed = process.argv.slice(2).filter((a) => a.startsWith("--"));
const selected = BENCHES.filter((b) => wanted.length === 0 || wanted.includes(b.name));
if (selected.length === 0) {
  console.error(`unknown bench; choose from: ${BENCHES.map((b) => b.name).join(", ")}`);
  process.exit(1);
}
const env = { ...process.env };
if (selected.some((b) => b.browser)) env.CHROMIUM_PATH = findChromium();
const tsx = new URL("../node_modules/tsx/dist/cli.mjs", import.meta.url).pathname;

let failed = false;
for (const bench of selected) {
  console.log(`\n== ${bench.name} ==`);
  const args = bench.node ? [tsx, bench.node, ...passed] : ["bench/browser/run.mjs", bench.browser, ...passed];
  const result = spawnSync(process.execPath, args, { stdio: "inherit", env });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
