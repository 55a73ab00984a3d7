// Fuzz: thousands of generated and mutated inputs (testing/fuzzInputs.ts). Every one must give a table or a
// ParseError (EncodingError for invalid UTF-8), never another exception and never a hang (inputs are bounded,
// the parser is synchronous: a hang is this test's timeout), and the same outcome as the reference reader
// (decode strictly, then readCsv; testing/referenceReader.ts).
//   FUZZ_SEED=123 FUZZ_COUNT=50000 node node_modules/vitest/vitest.mjs run --project node src/dataframe/fuzz.test.ts
// bench/dataframe/fuzz.ts runs a million.
import { describe, expect, it } from "vitest";
import { type CheckResult, caseSeed, checkCase, fuzzSettings } from "./testing/fuzzCheck";
import { fuzzCase, invalidUtf8Everywhere } from "./testing/fuzzInputs";
import { seededRandom } from "./testing/tables";

const { seed, count } = fuzzSettings({ seed: 20_261_130, count: 10_000 });

function tally(results: CheckResult[]) {
  const counts: Record<CheckResult, number> = { "same table": 0, "same error": 0, "parse error": 0 };
  for (const r of results) counts[r]++;
  return counts;
}

describe("fuzz", () => {
  it(`${count} generated inputs (FUZZ_SEED=${seed}): a table or a ParseError, as the reference reads them`, {
    timeout: 120_000,
  }, () => {
    const results: CheckResult[] = [];
    const kinds = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      const s = caseSeed(seed, i);
      const c = fuzzCase(seededRandom(s));
      kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1);
      try {
        results.push(checkCase(c, s));
      } catch (error) {
        // Enough to replay this one case: the run's seed and the case's index.
        const replay = `FUZZ_SEED=${seed} FUZZ_FROM=${i} FUZZ_COUNT=1 npx tsx bench/dataframe/fuzz.ts`;
        throw new Error(`fuzz case ${i} failed (replay: ${replay}): ${(error as Error).message}`);
      }
    }
    const counts = tally(results);
    console.log(
      `fuzz FUZZ_SEED=${seed}: ${JSON.stringify(counts)} by kind ${JSON.stringify(Object.fromEntries(kinds))}`,
    );
    // The run must have compared real tables and real errors, not only seen ParseErrors.
    expect(counts["same table"]).toBeGreaterThan(count * 0.25);
    expect(counts["same error"]).toBeGreaterThan(count * 0.25);
    expect(kinds.size).toBe(7);
  });

  it("invalid UTF-8 at every position of an input, and characters split across cells", () => {
    const results: CheckResult[] = [];
    for (const c of invalidUtf8Everywhere()) results.push(checkCase(c));
    expect(results.length).toBeGreaterThan(600);
    // Every one of them is invalid UTF-8, reported at the reference's position.
    expect(tally(results)).toEqual({ "same table": 0, "same error": results.length, "parse error": 0 });
  });
});
