// Wide tables: time and memory of the in-thread parser on inputs with many columns and few rows, next to a
// narrow input of similar size, so fixed costs per column show up as a ratio to the input's size.
//   node node_modules/tsx/dist/cli.mjs bench/dataframe/wide.ts
// Each case is written to bench/data/ (git ignores it). Time: median of 5 parses (`parseTableSync`, strings
// materialised), a GC before each. Peak: bench/dataframe/memory.ts in a fresh process (peak RSS above the
// pre-read baseline, input included). Column buffers: the typed arrays the reader holds at the end of its pass.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { CsvReader } from "../../src/dataframe/csvReader";
import { parseTableSync } from "../../src/dataframe/parseTable";
import { mixedCsvBytes } from "../../src/dataframe/testing/mixedCsv";

interface Case {
  name: string;
  file: string;
  make: () => string | Uint8Array;
}

const row = (cols: number, cell: (c: number) => string) => Array.from({ length: cols }, (_, c) => cell(c)).join(",");
const header = (cols: number) => row(cols, (c) => c.toString(36));

const cases: Case[] = [
  {
    name: "150,000 string columns x 1 row",
    file: "bench/data/wide-strings.csv",
    make: () => `${header(150_000)}\n${row(150_000, () => "x")}\n`,
  },
  {
    name: "150,000 number columns x 1 row",
    file: "bench/data/wide-numbers.csv",
    make: () => `${header(150_000)}\n${row(150_000, (c) => String(c % 10))}\n`,
  },
  {
    name: "20,000 mixed columns x 50 rows",
    file: "bench/data/wide-mixed.csv",
    make: () => {
      const cell = (r: number) => (c: number) => (c % 3 === 0 ? String(r + c) : c % 3 === 1 ? `s${(r * c) % 7}` : "");
      return [header(20_000), ...Array.from({ length: 50 }, (_, r) => row(20_000, cell(r)))].join("\n");
    },
  },
  { name: "narrow: mixed CSV, 8 columns", file: "bench/data/narrow-mixed.csv", make: () => mixedCsvBytes(4 << 20) },
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (bytes: number) => (bytes / 1e6).toFixed(2);

mkdirSync("bench/data", { recursive: true });
console.log("| input | size MB | median ms | MB/s | peak RSS MB (÷ input) | column buffers MB (÷ input) |");
console.log("|---|--:|--:|--:|--:|--:|");
for (const c of cases) {
  writeFileSync(c.file, c.make());
  const buffer = readFileSync(c.file);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  const times: number[] = [];
  for (let k = 0; k < 5; k++) {
    gc?.();
    const start = performance.now();
    parseTableSync(bytes);
    times.push(performance.now() - start);
  }
  const reader = new CsvReader(bytes);
  while (!reader.done) reader.step();
  const buffers = reader.columnBufferBytes();
  const probe = spawnSync(
    process.execPath,
    ["--expose-gc", "--max-old-space-size=8192", "--import", "tsx", "bench/dataframe/memory.ts", "ours", c.file],
    { encoding: "utf8" },
  );
  const last = probe.stdout.trim().split("\n").at(-1) ?? "";
  const peak = probe.status === 0 ? (JSON.parse(last) as { baseline: number; peak: number }) : undefined;
  const peakText = peak
    ? `${mb(peak.peak - peak.baseline)} (${((peak.peak - peak.baseline) / bytes.length).toFixed(1)}x)`
    : "failed";
  const ms = median(times);
  console.log(
    `| ${c.name} | ${mb(bytes.length)} | ${ms.toFixed(0)} | ${(bytes.length / 1e3 / ms).toFixed(1)} | ${peakText} | ${mb(buffers)} (${(buffers / bytes.length).toFixed(2)}x) |`,
  );
}
