// The parser fuzz at full length: the generated inputs of src/dataframe/fuzz.test.ts, a million by default,
// each checked against the reference reader (src/dataframe/testing/fuzzCheck.ts).
//   node node_modules/tsx/dist/cli.mjs bench/dataframe/fuzz.ts
//   FUZZ_SEED=7 FUZZ_COUNT=200000 FUZZ_SECONDS=600 node node_modules/tsx/dist/cli.mjs bench/dataframe/fuzz.ts
// FUZZ_SECONDS stops early after that long (default: no limit). Exits 1 on the first mismatch, printing the seed
// and the input; FUZZ_SEED=<seed> FUZZ_FROM=<case> FUZZ_COUNT=1 replays just that case.
import { type CheckResult, caseSeed, checkCase, fuzzSettings } from "../../src/dataframe/testing/fuzzCheck";
import { fuzzCase, invalidUtf8Everywhere } from "../../src/dataframe/testing/fuzzInputs";
import { seededRandom } from "../../src/dataframe/testing/tables";

const { seed, count } = fuzzSettings({ seed: Date.now() % 1_000_000_000, count: 1_000_000 });
const from = Number(process.env.FUZZ_FROM ?? 0);
const seconds = Number(process.env.FUZZ_SECONDS ?? Number.POSITIVE_INFINITY);

const counts: Record<CheckResult, number> = { "same table": 0, "same error": 0, "parse error": 0 };
const started = performance.now();
let slowest = { ms: 0, kind: "", i: -1 };
let done = 0;
console.log(
  `fuzz FUZZ_SEED=${seed}: ${count} cases from ${from}${Number.isFinite(seconds) ? `, at most ${seconds} s` : ""}`,
);
if (from === 0) for (const c of invalidUtf8Everywhere()) counts[checkCase(c)]++;
for (let i = from; i < from + count; i++) {
  const s = caseSeed(seed, i);
  const c = fuzzCase(seededRandom(s));
  const t = performance.now();
  try {
    counts[checkCase(c, s)]++;
  } catch (error) {
    console.error(
      `\nFAILED: case ${i} (replay: FUZZ_SEED=${seed} FUZZ_FROM=${i} FUZZ_COUNT=1)\n${(error as Error).message}`,
    );
    process.exit(1);
  }
  const ms = performance.now() - t;
  if (ms > slowest.ms) slowest = { ms, kind: c.kind, i };
  done++;
  if (done % 50_000 === 0) {
    const elapsed = (performance.now() - started) / 1000;
    console.log(`  ${done} cases, ${elapsed.toFixed(0)} s, ${JSON.stringify(counts)}`);
    if (elapsed > seconds) break;
  }
}
const elapsed = (performance.now() - started) / 1000;
console.log(`ok: ${done} cases in ${elapsed.toFixed(1)} s, ${JSON.stringify(counts)}`);
console.log(`slowest case: ${slowest.ms.toFixed(1)} ms (${slowest.kind}, case ${slowest.i})`);
