// matchAttachment on a frame of 10,000 attachments: the index against a linear scan (what dstack-py's pull does).
import { Bench } from "tinybench";
import { buildParamSpace, matchAttachment } from "../src/model/paramSpace";
import type { Params } from "../src/model/params";

const models = ["linear", "ridge", "lasso", "tree", "forest"];
const attachments: { params: Params }[] = [];
for (let i = 0; attachments.length < 10_000; i++) {
  attachments.push({
    params: { Model: models[i % 5] as string, Coefficient: Math.floor(i / 5) / 10, Log: i % 3 === 0 },
  });
}
// Look up a spread of real combinations, the last one included (the scan's worst case).
const queries = Array.from({ length: 100 }, (_, k) => attachments[Math.floor((k * 9_999) / 99)]?.params as Params);

// A tight scan: key count plus strict equality per key, no allocation (fairer than comparing signatures).
function sameParams(a: Params, b: Params): boolean {
  let n = 0;
  for (const key in a) {
    if (a[key] !== b[key]) return false;
    n++;
  }
  return n === Object.keys(b).length;
}
function linearScan(values: Params): number {
  return attachments.findIndex((a) => sameParams(a.params, values));
}

const space = buildParamSpace(attachments);
for (const q of queries) {
  if (matchAttachment(space, q) !== linearScan(q)) throw new Error("index and scan disagree");
}

const bench = new Bench({ time: 1500, warmupTime: 300 });
let sink = 0;
bench
  .add("matchAttachment (index), 100 lookups", () => {
    for (const q of queries) sink += matchAttachment(space, q);
  })
  .add("linear scan baseline, 100 lookups", () => {
    for (const q of queries) sink += linearScan(q);
  })
  .add("buildParamSpace (10,000 attachments)", () => {
    sink += buildParamSpace(attachments).size;
  });
await bench.run();

const rows = bench.tasks.map((t) => {
  const r = t.result as unknown as { latency?: { mean: number; p50?: number }; mean?: number };
  const mean = r.latency?.mean ?? r.mean ?? Number.NaN;
  return {
    task: t.name,
    "mean (ms)": Number(mean.toFixed(4)),
    "per lookup (µs)": t.name.includes("100") ? Number(((mean * 1000) / 100).toFixed(3)) : "",
  };
});
console.table(rows);
const [indexed, scan] = rows;
if (indexed && scan)
  console.log(`index is ${(scan["mean (ms)"] / indexed["mean (ms)"]).toFixed(0)}x faster than the linear scan`);
if (sink === 42) console.log("");
