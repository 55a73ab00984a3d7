// The dataframe parser end to end through its Web Worker, in Chromium, against the same contenders as the Node
// bench running in the page, on the same files:
//   node bench/browser/run.mjs bench/dataframe/browser.bench.ts     (npm run bench -- dataframe-browser)
// Files come from the runner's /files/ route; bench/data/mixed-100mb.csv must exist (the Node bench makes it).
// "ours, worker end to end" is parser.parse(ArrayBuffer) until the ColumnTable is ready on the main thread:
// transfer in, parse, transfer back, strings materialised in slices. The copy that is transferred is made
// before the clock starts. Also reported: the longest main-thread task during one parse (longtask observer).
import { createTableParser } from "../../src/dataframe/tableParser";
import type { BenchRatio, BenchResult, BrowserBench } from "../browser/harness";
import { type Contender, d3, danfoReadCsv, ours, papa, udsv } from "./contenders";

const FILES = [
  { name: "zipcodes.csv", url: "/files/node_modules/vega-datasets/data/zipcodes.csv", rounds: 10, burst: 3 },
  { name: "birdstrikes.csv", url: "/files/node_modules/vega-datasets/data/birdstrikes.csv", rounds: 10, burst: 3 },
  { name: "mixed-100mb.csv", url: "/files/bench/data/mixed-100mb.csv", rounds: 3, burst: 1 },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/** Milliseconds of `work`, and the longest main-thread task (longtask entries) while it ran. */
async function measure(work: () => Promise<unknown>): Promise<{ ms: number; longest: number }> {
  let longest = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
  });
  observer.observe({ type: "longtask" });
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (const entry of observer.takeRecords()) longest = Math.max(longest, entry.duration);
  observer.disconnect();
  return { ms, longest };
}

const run: BrowserBench = async ({ log }) => {
  const parser = createTableParser({ workers: 1, workerUrl: new URL("/esm/src/dataframe/worker.ts", location.href) });
  const dfd = await import("danfojs");
  const results: BenchResult[] = [];
  const ratios: BenchRatio[] = [];
  const notes: string[] = [];
  try {
    for (const file of FILES) {
      const response = await fetch(file.url);
      if (!response.ok) throw new Error(`${file.url}: ${response.status}; run the Node bench first to generate it`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      log(`${file.name}: ${(bytes.length / 1048576).toFixed(1)} MiB`);
      const worker: Contender = {
        name: "ours, worker end to end",
        // Not used: the worker contender is timed below with a fresh transferable copy per run.
        parse: () => 0,
      };
      const contenders: Contender[] = [worker, ours, udsv, papa, d3, danfoReadCsv(dfd, file.name)];
      const samples = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
      const longest = new Map<Contender, number>();
      const once = async (contender: Contender) => {
        if (contender === worker) {
          const copy = bytes.slice();
          // Copying 100 MB is a long task of its own: let it end before the clock and the observer start.
          await new Promise((resolve) => setTimeout(resolve, 0));
          return measure(() => parser.parse(copy.buffer));
        }
        return measure(async () => contender.parse(bytes));
      };
      for (const contender of contenders) await once(contender); // warm-up
      for (let round = 0; round < file.rounds; round++) {
        for (let k = 0; k < contenders.length; k++) {
          const contender = contenders[(round + k) % contenders.length] as Contender;
          let last = { ms: 0, longest: 0 };
          for (let b = 0; b < file.burst; b++) last = await once(contender);
          (samples.get(contender) as number[]).push(last.ms);
          longest.set(contender, Math.max(longest.get(contender) ?? 0, last.longest));
        }
        log(`  round ${round + 1}/${file.rounds}`);
      }
      const label = (c: Contender) => `${file.name} · ${c.name}`;
      for (const contender of contenders) {
        results.push({ name: label(contender), samples: samples.get(contender) as number[], bytes: bytes.length });
      }
      for (const other of contenders.slice(2)) {
        ratios.push({
          name: `${file.name}: ${other.name} time ÷ ours end to end (worker)`,
          numerator: label(other),
          denominator: label(worker),
        });
      }
      ratios.push({
        name: `${file.name}: uDSV typed time ÷ ours in-thread core`,
        numerator: label(udsv),
        denominator: label(ours),
      });
      const block = (c: Contender) => `${c.name} ${(longest.get(c) ?? 0).toFixed(0)} ms`;
      notes.push(`${file.name}: longest main-thread task during a parse: ${contenders.map(block).join(", ")}`);
      const workerMs = median(samples.get(worker) as number[]);
      const inThreadMs = median(samples.get(ours) as number[]);
      notes.push(
        `${file.name}: ours end to end ${workerMs.toFixed(0)} ms vs in-thread ${inThreadMs.toFixed(0)} ms: ` +
          `the worker costs ${(workerMs - inThreadMs).toFixed(0)} ms of transfer and string materialisation`,
      );
    }
  } finally {
    await parser.close();
  }
  return {
    title:
      "dataframe: ours through the worker (end to end) and in-thread vs uDSV, PapaParse, d3-dsv, danfojs in Chromium",
    results,
    ratios,
    notes: [
      ...notes,
      "Every contender starts from the file's bytes; all but ours decode them to a string first (included).",
      "danfojs readCSV is the real one, on a File; the rest run in the page (main thread).",
      `${navigator.hardwareConcurrency} logical cores; a 'longtask' is any main-thread task over 50 ms.`,
    ],
  };
};

export default run;
