// Peak memory of one parse, in its own process (node.bench.ts runs it once per contender and file):
//   node --expose-gc --import tsx bench/dataframe/memory.ts <contender> <file>
// A worker thread samples the process RSS every millisecond while the main thread reads the file and parses it
// synchronously; prints {input, baseline, peak} in bytes as JSON. Baseline is the RSS after a GC, before the
// file is read: `peak - baseline` counts the input bytes, the parser's working memory and its result.
import { readFileSync } from "node:fs";
import { Worker } from "node:worker_threads";
import { bundledParseTableSync } from "./bundled";
import { type Contender, d3, danfoCodePath, oursWith, papa, udsv } from "./contenders";

const [name, file] = process.argv.slice(2);
if (!name || !file) throw new Error("usage: memory.ts <ours|udsv|papa|d3|danfo> <file>");
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with --expose-gc");

const contenders: Record<string, () => Promise<Contender>> = {
  ours: async () => oursWith(await bundledParseTableSync()),
  udsv: async () => udsv,
  papa: async () => papa,
  d3: async () => d3,
  danfo: async () => danfoCodePath(await import("danfojs")),
};
const load = contenders[name];
if (!load) throw new Error(`unknown contender ${name}`);
const contender = await load();

// Peak RSS in KiB, written by the sampler thread.
const shared = new Int32Array(new SharedArrayBuffer(8));
const sampler = new Worker(
  `const { workerData } = require("node:worker_threads");
   const peak = new Int32Array(workerData);
   const sample = () => {
     const kib = Math.round(process.memoryUsage.rss() / 1024);
     if (kib > Atomics.load(peak, 0)) Atomics.store(peak, 0, kib);
   };
   setInterval(sample, 1);`,
  { eval: true, workerData: shared.buffer },
);
await new Promise((resolve) => setTimeout(resolve, 100));

gc();
await new Promise((resolve) => setTimeout(resolve, 50));
const baseline = process.memoryUsage.rss();
Atomics.store(shared, 0, 0);
const buffer = readFileSync(file);
// A view, not a copy: the input is counted once.
const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
const rows = await contender.parse(bytes);
// Let the sampler see the end state too.
await new Promise((resolve) => setTimeout(resolve, 20));
const peak = Atomics.load(shared, 0) * 1024;
await sampler.terminate();
console.log(JSON.stringify({ contender: contender.name, rows, input: bytes.length, baseline, peak }));
