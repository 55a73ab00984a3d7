// The parser of the working tree against the parser of an earlier commit, and uDSV, interleaved in one Node
// process (the fairest before/after on a machine whose speed drifts from minute to minute):
//   node node_modules/tsx/dist/cli.mjs bench/dataframe/ab.ts <commit> [file,file,...] [rounds=30]
// Files are vega-datasets CSV names without ".csv" (default: every one over 100 KB). The commit's src/ is
// extracted with `git archive` into the system's temporary directory, outside the project (so that neither tsc
// nor Vitest sees it), with a link to this project's node_modules. Each round runs the three in a rotating order,
// each as a burst of three parses of which the last is timed; medians are printed with uDSV's time over each.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { bundledParseTableSync } from "./bundled";
import { udsv } from "./contenders";

const [commit, fileList, roundsArg] = process.argv.slice(2);
if (!commit) throw new Error("usage: ab.ts <commit> [file,file,...] [rounds]");
const rev = execFileSync("git", ["rev-parse", "--short", commit], { encoding: "utf8" }).trim();
const dir = join(tmpdir(), `dstack-kit-ab-${rev}`);
if (!existsSync(join(dir, "src"))) {
  mkdirSync(dir, { recursive: true });
  execFileSync("sh", ["-c", `git archive ${rev} src | tar -x -C "${dir}"`]);
  symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
}
// Both bundled alike, as the package ships the parser: tsx would transform the extracted copy, which has no
// tsconfig.json, differently from the working tree.
const parseTableSync = await bundledParseTableSync();
const beforeParse = await bundledParseTableSync(dir);

const vega = join(dirname(createRequire(import.meta.url).resolve("vega-datasets")), "..", "data");
const files = (
  fileList ?? "airports,birdstrikes,seattle-weather-hourly-normals,sp500-2000,species,weather,windvectors,zipcodes"
).split(",");
const rounds = Number(roundsArg ?? 30);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const runs: Array<[string, (bytes: Uint8Array) => unknown]> = [
  ["now", (bytes) => parseTableSync(bytes)],
  [rev, (bytes) => beforeParse(bytes)],
  ["uDSV", (bytes) => udsv.parse(bytes)],
];

console.log(`Node ${process.version}; the working tree against ${rev} and uDSV, medians of ${rounds} rounds`);
console.log(`| file | now ms | ${rev} ms | uDSV ms | uDSV ÷ now | uDSV ÷ ${rev} |`);
console.log("|---|--:|--:|--:|--:|--:|");
for (const file of files) {
  const buffer = readFileSync(join(vega, `${file}.csv`));
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  const times = runs.map(() => [] as number[]);
  for (let warm = 0; warm < 3; warm++) for (const [, parse] of runs) parse(bytes);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < runs.length; k++) {
      const which = (round + k) % runs.length;
      const parse = (runs[which] as (typeof runs)[number])[1];
      let ms = 0;
      for (let burst = 0; burst < 3; burst++) {
        const start = performance.now();
        parse(bytes);
        ms = performance.now() - start;
      }
      (times[which] as number[]).push(ms);
    }
  }
  const [now, old, peer] = times.map(median) as [number, number, number];
  console.log(
    `| ${file} | ${now.toFixed(2)} | ${old.toFixed(2)} | ${peer.toFixed(2)} | ${(peer / now).toFixed(2)}× | ${(peer / old).toFixed(2)}× |`,
  );
}
