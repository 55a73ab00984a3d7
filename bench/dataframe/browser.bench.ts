// The dataframe parser end to end through createTableParser, in Chromium, against the same contenders as the Node
// bench running in the page, on the same files:
//   node bench/browser/run.mjs bench/dataframe/browser.bench.ts     (npm run bench -- dataframe-browser)
//   npm run bench -- dataframe-browser --file=birdstrikes --contender=uDSV      (one file, one contender)
//   npm run bench -- dataframe-browser --input=string     (parser.parse(text), each contender given the text)
// --file= and --contender= take comma-separated substrings of the names; ours (end to end) always runs.
// Files come from the runner's /files/ route; bench/data/mixed-100mb.csv must exist (the Node bench makes it).
// "ours, end to end" is parser.parse(ArrayBuffer) until the ColumnTable is ready on the main thread, with the
// parser a user gets (createTableParser() with its defaults: small inputs in-thread in slices, large ones split
// across every worker). The copy that is transferred is made before the clock starts. Also reported: the
// longest main-thread task during one parse (longtask observer), and on the 100 MiB file the same parse with
// 1, 2 and 4 workers in rounds of their own (more workers than cores simulates a larger machine only in that the
// input is cut in more pieces: the cores do not multiply), with the 1-worker time over the others round by round.
import { createTableParser, type TableParser } from "../../src/dataframe/tableParser";
import type { BenchRatio, BenchResult, BrowserBench } from "../browser/harness";
import { type Contender, d3, danfoReadCsv, ours, papa, udsv } from "./contenders";
import { selection } from "./selection";

const VEGA = [
  "airports.csv",
  "birdstrikes.csv",
  "seattle-weather-hourly-normals.csv",
  "sp500-2000.csv",
  "species.csv",
  "weather.csv",
  "windvectors.csv",
  "zipcodes.csv",
];
const FILES = [
  ...VEGA.map((name) => ({ name, url: `/files/node_modules/vega-datasets/data/${name}`, rounds: 10, burst: 3 })),
  { name: "mixed-100mb.csv", url: "/files/bench/data/mixed-100mb.csv", rounds: 3, burst: 1 },
];
const WORKER_COUNTS = [1, 2, 4];
/** Rounds of the worker-count comparison on the large file. */
const WORKER_ROUNDS = 7;
const workerUrl = () => new URL("/esm/src/dataframe/worker.ts", location.href);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * Milliseconds of `work`, and the longest main-thread task (longtask entries) while it ran. A task that ended
 * before the clock started is not counted: Chromium can deliver the entry of the 100 MB copy made just before
 * (57-79 ms) to an observer created after it ended.
 */
async function measure(work: () => Promise<unknown>): Promise<{ ms: number; longest: number }> {
  let longest = 0;
  let start = Number.POSITIVE_INFINITY;
  const count = (entries: PerformanceEntryList) => {
    for (const entry of entries) {
      if (entry.startTime + entry.duration > start) longest = Math.max(longest, entry.duration);
    }
  };
  const observer = new PerformanceObserver((list) => count(list.getEntries()));
  observer.observe({ type: "longtask" });
  start = performance.now();
  await work();
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 0));
  count(observer.takeRecords());
  observer.disconnect();
  return { ms, longest };
}

/** A contender that parses a fresh transferable copy of the input with `parser` (the copy is not timed). */
function endToEnd(name: string, parser: TableParser): Contender & { parser: TableParser } {
  return { name, parser, parse: () => 0 };
}

const run: BrowserBench = async ({ log, args }) => {
  const picked = selection(args);

  const user = endToEnd("ours, end to end", createTableParser({ workerUrl: workerUrl() }));
  const dfd = await import("danfojs");
  const results: BenchResult[] = [];
  const ratios: BenchRatio[] = [];
  const notes: string[] = [];
  const parsers: TableParser[] = [user.parser];
  try {
    for (const file of FILES.filter((f) => picked.file(f.name))) {
      const response = await fetch(file.url);
      if (!response.ok) throw new Error(`${file.url}: ${response.status}; run the Node bench first to generate it`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      // A string is not transferred, so it needs no fresh copy per parse.
      const text = picked.input === "string" ? new TextDecoder().decode(bytes) : undefined;
      log(`${file.name}: ${(bytes.length / 1048576).toFixed(1)} MiB, ${picked.input} input`);
      const big = bytes.length > 32 * 1024 * 1024;
      const pools = big
        ? WORKER_COUNTS.map((n) =>
            endToEnd(`ours, ${n} worker${n > 1 ? "s" : ""}`, createTableParser({ workers: n, workerUrl: workerUrl() })),
          )
        : [];
      parsers.push(...pools.map((p) => p.parser));
      const others = [ours, udsv, papa, d3, danfoReadCsv(dfd, file.name)].filter((c) => picked.contender(c.name));
      const contenders: Contender[] = [user, ...others];
      const samples = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
      const longest = new Map<Contender, number>();
      const once = async (contender: Contender) => {
        if ("parser" in contender) {
          const { parser } = contender as Contender & { parser: TableParser };
          if (text !== undefined) return measure(() => parser.parse(text));
          const copy = bytes.slice();
          // Copying 100 MB is a long task of its own: let it end before the clock and the observer start.
          await new Promise((resolve) => setTimeout(resolve, 0));
          return measure(() => parser.parse(copy.buffer));
        }
        const { parseText } = contender;
        return measure(async () => (text !== undefined && parseText ? parseText(text) : contender.parse(bytes)));
      };
      for (const contender of contenders) await once(contender); // warm-up (and worker start-up)
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
      // The worker counts in their own rounds, alternating 1, 2 and 4 workers within each round: a median of 3
      // rounds swung by 40% between idle runs, and pairing the rounds shows how much of that is the machine.
      if (pools.length > 0) {
        for (const pool of pools) await once(pool); // warm-up (and worker start-up)
        for (const pool of pools) samples.set(pool, []);
        for (let round = 0; round < WORKER_ROUNDS; round++) {
          for (let k = 0; k < pools.length; k++) {
            const pool = pools[(round + k) % pools.length] as Contender;
            const last = await once(pool);
            (samples.get(pool) as number[]).push(last.ms);
            longest.set(pool, Math.max(longest.get(pool) ?? 0, last.longest));
          }
          log(`  workers round ${round + 1}/${WORKER_ROUNDS}`);
        }
        const one = samples.get(pools[0] as Contender) as number[];
        for (const pool of pools.slice(1)) {
          const other = samples.get(pool) as number[];
          const paired = one.map((ms, i) => ms / (other[i] as number)).sort((a, b) => a - b);
          notes.push(
            `${file.name}: 1 worker ÷ ${pool.name}, round by round: ${paired.map((r) => r.toFixed(2)).join(" ")} ` +
              `(median ${median(paired).toFixed(2)})`,
          );
        }
      }
      const label = (c: Contender) => `${file.name} · ${c.name}`;
      for (const contender of [...contenders, ...pools]) {
        results.push({ name: label(contender), samples: samples.get(contender) as number[], bytes: bytes.length });
      }
      for (const other of others) {
        ratios.push({
          name: `${file.name}: ${other.name} time ÷ ours end to end`,
          numerator: label(other),
          denominator: label(user),
          paired: true,
        });
      }
      if (others.includes(udsv) && others.includes(ours)) {
        ratios.push({
          name: `${file.name}: uDSV typed time ÷ ours in-thread core`,
          numerator: label(udsv),
          denominator: label(ours),
          paired: true,
        });
      }
      for (const pool of pools.slice(1)) {
        ratios.push({
          name: `${file.name}: 1 worker time ÷ ${pool.name}`,
          numerator: label(pools[0] as Contender),
          denominator: label(pool),
          paired: true,
        });
      }
      const block = (c: Contender) => `${c.name} ${(longest.get(c) ?? 0).toFixed(0)} ms`;
      notes.push(
        `${file.name}: longest main-thread task during a parse: ${[...contenders, ...pools].map(block).join(", ")}`,
      );
      if (others.includes(ours)) {
        const userMs = median(samples.get(user) as number[]);
        const inThreadMs = median(samples.get(ours) as number[]);
        notes.push(
          `${file.name}: ours end to end ${userMs.toFixed(1)} ms vs in-thread core ${inThreadMs.toFixed(1)} ms ` +
            `(${user.parser.mode} parser, ${navigator.hardwareConcurrency} cores)`,
        );
      }
    }
  } finally {
    for (const parser of parsers) await parser.close();
  }
  return {
    title:
      "dataframe: ours end to end (createTableParser) and in-thread vs uDSV, PapaParse, d3-dsv, danfojs in Chromium",
    results,
    ratios,
    notes: [
      ...notes,
      picked.input === "string"
        ? "Every contender starts from the file's text (danfojs readCSV from a File of its bytes); ours encodes it."
        : "Every contender starts from the file's bytes; all but ours decode them to a string first (included).",
      "danfojs readCSV is the real one, on a File; the rest run in the page (main thread).",
      `${navigator.hardwareConcurrency} logical cores; a 'longtask' is any main-thread task over 50 ms.`,
    ],
  };
};

export default run;
