// Writes the benchmark's mixed CSV (deterministic, see src/dataframe/testing/mixedCsv.ts) under bench/data/,
// which git ignores:
//   node node_modules/tsx/dist/cli.mjs bench/dataframe/generate.ts [MiB=100] [out=bench/data/mixed-100mb.csv]
import { closeSync, existsSync, mkdirSync, openSync, statSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { mixedCsvChunks } from "../../src/dataframe/testing/mixedCsv";

/** Writes about `mib` MiB of the mixed CSV to `path`; returns its size in bytes. */
export function generateMixedCsv(path: string, mib: number): number {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  try {
    for (const chunk of mixedCsvChunks(mib * 1024 * 1024)) writeSync(fd, chunk);
  } finally {
    closeSync(fd);
  }
  return statSync(path).size;
}

/** The mixed CSV at `path`, generated unless a file of about that size is already there. */
export function ensureMixedCsv(path: string, mib: number): string {
  if (!existsSync(path) || Math.abs(statSync(path).size / (mib * 1024 * 1024) - 1) > 0.02) generateMixedCsv(path, mib);
  return path;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const mib = Number(process.argv[2] ?? 100);
  const out = process.argv[3] ?? "bench/data/mixed-100mb.csv";
  console.log(`wrote ${out}: ${(generateMixedCsv(out, mib) / 1048576).toFixed(1)} MiB`);
}
