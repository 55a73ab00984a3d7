// The dataframe parser against uDSV, PapaParse, d3-dsv and danfojs in Node, on the same bytes in the same run:
//   npm run bench -- dataframe        (or: node --import tsx bench/dataframe/node.bench.ts)
//   npm run bench -- dataframe --file=birdstrikes --contender=uDSV     (one file, one contender besides ours)
//   npm run bench -- dataframe --input=string       (every contender given the file's text, decoded before the clock)
// --file= and --contender= take comma-separated substrings of the names (case-insensitive); ours always runs, as
// the ratios are to it. Files: every vega-datasets CSV over 100 KB, and a generated ~100 MiB mixed CSV
// (bench/data/, made on first run). Every contender starts from the file's bytes in memory, so decoding to a string is part of
// their time (ours reads the bytes). Ours is src/ bundled by esbuild, as dist/ is (bundled.ts). Times are medians of rounds that rotate the order of the contenders; on the
// small files each sample is the last of a burst of three runs. Each ratio is also given paired: the median over
// rounds of the peer's time ÷ ours in the same round, which the machine's drift between rounds does not move.
// Peak memory: each contender parses the 100 MiB file once in a fresh process (bench/dataframe/memory.ts);
// peak RSS above the pre-read baseline, over the input size (so the input itself counts for 1.0x).
// BENCH_ROUNDS overrides the number of timed rounds.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { cpus } from "node:os";
import { dirname, join } from "node:path";
import { bundledParseTableSync } from "./bundled";
import { type Contender, d3, danfoCodePath, oursWith, papa, udsv } from "./contenders";
import { ensureMixedCsv } from "./generate";
import { selection } from "./selection";

// Ours as the package ships it (bundled.ts), not through tsx.
const ours = oursWith(await bundledParseTableSync());
const vega = join(dirname(createRequire(import.meta.url).resolve("vega-datasets")), "..", "data");
const picked = selection(process.argv);

const vegaCsvs = readdirSync(vega)
  .filter((f) => f.endsWith(".csv") && statSync(join(vega, f)).size > 100 * 1024)
  .sort();
const files = [
  ...vegaCsvs.map((name) => ({ name, path: join(vega, name), rounds: 15, burst: 3, memory: false })),
  { name: "mixed-100mb.csv", path: "bench/data/mixed-100mb.csv", rounds: 3, burst: 1, memory: true },
].filter((f) => picked.file(f.name));
for (const file of files) if (file.memory) ensureMixedCsv(file.path, 100);
const MEMORY_NAMES: Record<string, string> = {
  [ours.name]: "ours",
  [udsv.name]: "udsv",
  [papa.name]: "papa",
  [d3.name]: "d3",
  "danfojs readCSV": "danfo",
};

const danfo = danfoCodePath(await import("danfojs"));
const contenders: Contender[] = [ours, udsv, papa, d3, danfo].filter((c) => c === ours || picked.contender(c.name));

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

// No forced GC between runs: V8 drops type feedback on a full GC, so every run would start half cold
// (6 ms becomes 20 ms for ours on birdstrikes.csv). Rotating the order spreads the cost of others' garbage.
async function timeOnce(contender: Contender, bytes: Uint8Array, text?: string): Promise<{ ms: number; rows: number }> {
  const start = performance.now();
  const rows = await (text !== undefined && contender.parseText ? contender.parseText(text) : contender.parse(bytes));
  return { ms: performance.now() - start, rows };
}

function peakMemory(contender: Contender, path: string): number | undefined {
  const name = MEMORY_NAMES[contender.name];
  if (!name) return undefined;
  const child = spawnSync(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=8192", "--import", "tsx", "bench/dataframe/memory.ts", name, path],
    { encoding: "utf8" },
  );
  const line = child.stdout.trim().split("\n").at(-1);
  if (child.status !== 0 || !line) {
    console.error(`  memory probe of ${contender.name} failed: ${child.stderr.slice(-400)}`);
    return undefined;
  }
  const { input, baseline, peak } = JSON.parse(line) as { input: number; baseline: number; peak: number };
  return (peak - baseline) / input;
}

interface Row {
  file: string;
  contender: string;
  runs: number;
  medianMs: number;
  mibs: number;
  speedup: number;
  /** The median over rounds of the peer's time ÷ ours in the same round: the machine's drift cancels out. */
  paired: number;
  memory?: number;
}

const envRounds = Number(process.env.BENCH_ROUNDS) || undefined;
console.log(`Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), input: ${picked.input}`);
const table: Row[] = [];
for (const file of files) {
  const buffer = readFileSync(file.path);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  const text = picked.input === "string" ? new TextDecoder().decode(bytes) : undefined;
  const mib = bytes.length / 1048576;
  console.log(`\n${file.name}: ${mib.toFixed(1)} MiB`);
  const rounds = envRounds ?? file.rounds;
  const samples = new Map<Contender, number[]>(contenders.map((c) => [c, []]));
  const rows = new Map<Contender, number>();
  // Warm-up: one run each (JIT, lazy modules), not counted.
  for (const contender of contenders) rows.set(contender, (await timeOnce(contender, bytes, text)).rows);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const contender = contenders[(round + k) % contenders.length] as Contender;
      // A burst of runs, only the last one kept: the first ones absorb the previous contender's garbage.
      let last = 0;
      for (let b = 0; b < file.burst; b++) last = (await timeOnce(contender, bytes, text)).ms;
      (samples.get(contender) as number[]).push(last);
    }
  }
  const oursSamples = samples.get(ours) as number[];
  const oursMs = median(oursSamples);
  for (const contender of contenders) {
    const mine = samples.get(contender) as number[];
    const ms = median(mine);
    const row: Row = {
      file: file.name,
      contender: contender.name,
      runs: rounds,
      medianMs: ms,
      mibs: mib / (ms / 1000),
      speedup: ms / oursMs,
      paired: median(mine.map((t, r) => t / (oursSamples[r] as number))),
    };
    if (file.memory) {
      const memory = peakMemory(contender, file.path);
      if (memory !== undefined) row.memory = memory;
    }
    table.push(row);
    const rowsNote =
      rows.get(contender) === rows.get(ours) ? "" : `  (rows: ${rows.get(contender)} vs ${rows.get(ours)})`;
    console.log(
      `  ${contender.name.padEnd(26)} ${ms.toFixed(1).padStart(9)} ms  ${row.mibs.toFixed(1).padStart(7)} MiB/s  ` +
        `ours is ${row.speedup.toFixed(2)}x (paired ${row.paired.toFixed(2)}x)` +
        `${row.memory === undefined ? "" : `  peak ${row.memory.toFixed(2)}x input`}${rowsNote}`,
    );
  }
}

// The targets (issue 14), per file, for the contenders that ran.
console.log("\nTargets: >= 1.5x uDSV typed, >= 3x PapaParse, >= 5x danfojs, peak < 2.5x input");
for (const file of files) {
  const get = (name: string) => table.find((r) => r.file === file.name && r.contender === name);
  const check = (ok: boolean) => (ok ? "ok" : "MISSED");
  const parts: string[] = [];
  const target = (name: string, label: string, min: number) => {
    const row = get(name);
    if (row) {
      parts.push(
        `vs ${label} ${row.speedup.toFixed(2)}x (paired ${row.paired.toFixed(2)}x) ${check(row.speedup >= min)}`,
      );
    }
  };
  target(udsv.name, "uDSV", 1.5);
  target(papa.name, "PapaParse", 3);
  target(danfo.name, "danfojs", 5);
  const m = get(ours.name)?.memory;
  if (m !== undefined) parts.push(`peak ${m.toFixed(2)}x ${check(m < 2.5)}`);
  console.log(`  ${file.name.padEnd(36)} ${parts.join(", ")}`);
}

console.log("\nMarkdown:\n");
console.log("| file | parser | median ms | MiB/s | ours is N× faster | paired, round by round | peak memory ÷ input |");
console.log("|---|---|--:|--:|--:|--:|--:|");
for (const r of table) {
  console.log(
    `| ${r.file} | ${r.contender} | ${r.medianMs.toFixed(1)} | ${r.mibs.toFixed(1)} | ${r.speedup.toFixed(2)} | ${r.paired.toFixed(2)} | ${r.memory === undefined ? "" : `${r.memory.toFixed(2)}×`} |`,
  );
}
