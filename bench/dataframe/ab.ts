// The parser of the working tree against the parser of an earlier commit, and uDSV, interleaved (the fairest
// before/after on a machine whose speed drifts from minute to minute):
//   node node_modules/tsx/dist/cli.mjs bench/dataframe/ab.ts <commit> [file,file,...] [rounds=30] [processes=6]
// Files are vega-datasets CSV names without ".csv" (default: every one over 100 KB). The commit's src/ is
// extracted with `git archive` into the system's temporary directory, outside the project (so that neither tsc
// nor Vitest sees it), with a link to this project's node_modules. Each round runs the three in a rotating order,
// each as a burst of three parses of which the last is timed.
//
// One process is not enough: two copies of the same code in one process ran up to 22% apart on one file
// (zipcodes), and by a different amount in the next process. So the rounds run in several processes, half of
// them loading and starting with the commit's parser instead of the working tree's. The table gives the median
// over processes of each process's medians, and the commit's time over the working tree's: its median over the
// processes, then in each process.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { bundledParseTableSync } from "./bundled";
import { udsv } from "./contenders";

interface FileResult {
  file: string;
  now: number;
  before: number;
  peer: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
const child = process.argv[2] === "--child";
const [commit, fileList, roundsArg, processesArg] = process.argv.slice(child ? 3 : 2);
if (!commit) throw new Error("usage: ab.ts <commit> [file,file,...] [rounds] [processes]");
const rev = execFileSync("git", ["rev-parse", "--short", commit], { encoding: "utf8" }).trim();
const files = (
  fileList ?? "airports,birdstrikes,seattle-weather-hourly-normals,sp500-2000,species,weather,windvectors,zipcodes"
).split(",");
const rounds = Number(roundsArg ?? 30);

const dir = join(tmpdir(), `dstack-kit-ab-${rev}`);

/** One process's rounds (in a child): the commit's parser loaded and run first when `commitFirst`. */
async function measure(commitFirst: boolean): Promise<FileResult[]> {
  // Both bundled alike, as the package ships the parser: tsx would transform the extracted copy, which has no
  // tsconfig.json, differently from the working tree.
  const [first, second] = commitFirst
    ? [await bundledParseTableSync(dir), await bundledParseTableSync()]
    : [await bundledParseTableSync(), await bundledParseTableSync(dir)];
  const [nowParse, beforeParse] = commitFirst ? [second, first] : [first, second];
  const runs: Array<(bytes: Uint8Array) => unknown> = [
    (bytes) => nowParse(bytes),
    (bytes) => beforeParse(bytes),
    (bytes) => udsv.parse(bytes),
  ];
  const start = commitFirst ? 1 : 0;
  const vega = join(dirname(createRequire(import.meta.url).resolve("vega-datasets")), "..", "data");
  const results: FileResult[] = [];
  for (const file of files) {
    const buffer = readFileSync(join(vega, `${file}.csv`));
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    const times = runs.map(() => [] as number[]);
    // Three untimed rounds first, then the timed ones.
    for (let round = -3; round < rounds; round++) {
      for (let k = 0; k < runs.length; k++) {
        const which = (start + round + 3 + k) % runs.length;
        const parse = runs[which] as (bytes: Uint8Array) => unknown;
        if (round < 0) {
          parse(bytes);
          continue;
        }
        let ms = 0;
        for (let burst = 0; burst < 3; burst++) {
          const began = performance.now();
          parse(bytes);
          ms = performance.now() - began;
        }
        (times[which] as number[]).push(ms);
      }
    }
    const [now, before, peer] = times.map(median) as [number, number, number];
    results.push({ file, now, before, peer });
  }
  return results;
}

if (child) {
  process.stdout.write(JSON.stringify(await measure(process.env.AB_COMMIT_FIRST === "1")));
} else {
  // The commit's src/, extracted once for every child.
  if (!existsSync(join(dir, "src"))) {
    mkdirSync(dir, { recursive: true });
    execFileSync("sh", ["-c", `git archive ${rev} src | tar -x -C "${dir}"`]);
    symlinkSync(resolve("node_modules"), join(dir, "node_modules"));
  }
  const processes = Math.max(1, Number(processesArg ?? 6));
  const runs: FileResult[][] = [];
  for (let p = 0; p < processes; p++) {
    const out = execFileSync(
      process.execPath,
      [...process.execArgv, process.argv[1] as string, "--child", rev, files.join(","), String(rounds)],
      { encoding: "utf8", env: { ...process.env, AB_COMMIT_FIRST: p % 2 === 1 ? "1" : "0" }, stdio: "pipe" },
    );
    runs.push(JSON.parse(out) as FileResult[]);
    process.stderr.write(`process ${p + 1}/${processes} done\n`);
  }
  console.log(
    `Node ${process.version}; the working tree against ${rev} and uDSV: medians of ${rounds} rounds in each of ` +
      `${processes} processes (half of them load and start with ${rev}), then the median over processes`,
  );
  console.log(`| file | now ms | ${rev} ms | uDSV ms | uDSV ÷ now | uDSV ÷ ${rev} | ${rev} ÷ now | by process |`);
  console.log("|---|--:|--:|--:|--:|--:|--:|---|");
  files.forEach((file, f) => {
    const of = (key: keyof Omit<FileResult, "file">) => median(runs.map((r) => (r[f] as FileResult)[key]));
    const [now, before, peer] = [of("now"), of("before"), of("peer")];
    const byProcess = runs.map((r) => (r[f] as FileResult).before / (r[f] as FileResult).now);
    console.log(
      `| ${file} | ${now.toFixed(2)} | ${before.toFixed(2)} | ${peer.toFixed(2)} | ${(peer / now).toFixed(2)}× | ` +
        `${(peer / before).toFixed(2)}× | ${median(byProcess).toFixed(2)}× | ` +
        `${byProcess.map((r) => r.toFixed(2)).join(" ")} |`,
    );
  });
}
