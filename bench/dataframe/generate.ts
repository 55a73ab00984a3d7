// Writes the benchmark's mixed CSV (deterministic: a seeded PRNG) under bench/data/, which git ignores.
//   node node_modules/tsx/dist/cli.mjs bench/dataframe/generate.ts [MiB=100] [out=bench/data/mixed-100mb.csv]
// Columns: int id, two floats (one with missing values), a bool (pandas' True/False), an ISO date-time, a
// 12-value category, a high-cardinality name, and a free-text column where a quarter of the values need quotes
// (commas, doubled quotes, line breaks).
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";

/** mulberry32: small, fast, reproducible. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CATEGORIES = [
  "north",
  "south",
  "east",
  "west",
  "central",
  "harbour",
  "airport",
  "old town",
  "uptown",
  "riverside",
  "hills",
  "industrial",
];
const WORDS = [
  "alpha",
  "bravo",
  "charlie",
  "delta",
  "echo",
  "foxtrot",
  "golf",
  "hotel",
  "india",
  "juliet",
  "kilo",
  "lima",
];

/** Writes about `mib` MiB of CSV to `path`; returns the byte size and row count. */
export function generateMixedCsv(path: string, mib: number, seed = 42): { bytes: number; rows: number } {
  mkdirSync(dirname(path), { recursive: true });
  const rand = random(seed);
  const target = mib * 1024 * 1024;
  const fd = openSync(path, "w");
  let written = 0;
  let rows = 0;
  const start = Date.UTC(2015, 0, 1);
  try {
    let chunk = "id,price,score,active,when,region,name,comment\n";
    while (written + chunk.length < target) {
      for (let k = 0; k < 2000; k++) {
        const id = rows + 1;
        const price = (rand() * 10_000).toFixed(2);
        const score = rand() < 0.1 ? "" : ((rand() - 0.5) * 2e6).toPrecision(7);
        const active = rand() < 0.5 ? "True" : "False";
        const when = new Date(start + Math.floor(rand() * 3e11)).toISOString().slice(0, 19);
        const region = CATEGORIES[Math.floor(rand() * CATEGORIES.length)];
        const name = `user_${Math.floor(rand() * 1e8).toString(36)}`;
        const words = Array.from(
          { length: 1 + Math.floor(rand() * 4) },
          () => WORDS[Math.floor(rand() * WORDS.length)],
        );
        let comment = words.join(" ");
        const r = rand();
        if (r < 0.1) comment = `"${comment}, ${words[0]}"`;
        else if (r < 0.2) comment = `"say ""${comment}"""`;
        else if (r < 0.25) comment = `"${comment}\n${words[0]}"`;
        chunk += `${id},${price},${score},${active},${when},${region},${name},${comment}\n`;
        rows++;
      }
      written += writeSync(fd, chunk);
      chunk = "";
    }
  } finally {
    closeSync(fd);
  }
  return { bytes: statSync(path).size, rows };
}

/** The mixed CSV at `path`, generated on first use. */
export function ensureMixedCsv(path: string, mib: number): string {
  if (!existsSync(path) || statSync(path).size < mib * 1024 * 1024 * 0.95) generateMixedCsv(path, mib);
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mib = Number(process.argv[2] ?? 100);
  const out = process.argv[3] ?? "bench/data/mixed-100mb.csv";
  const { bytes, rows } = generateMixedCsv(out, mib);
  console.log(`wrote ${out}: ${(bytes / 1048576).toFixed(1)} MiB, ${rows.toLocaleString("en")} rows`);
}
