// Parsing in pieces (what the worker pool does on large inputs) gives exactly the one-pass table: on generated
// inputs cut at every line feed (inside quoted fields too, where the piece before the cut must fail and the
// parse fall back to one piece), on columns whose types differ between pieces, on dictionaries that one pass
// gives up part way, and on the fuzz inputs with tiny pieces.
import { describe, expect, it } from "vitest";
import { type ChunkPlan, parseInChunks, parsePlanned, planChunks } from "./chunks";
import { parseTableSync, type TableParseOptions } from "./parseTable";
import { fuzzCase } from "./testing/fuzzInputs";
import { mixedCsvBytes } from "./testing/mixedCsv";
import { seededRandom } from "./testing/tables";

const encode = (text: string) => new TextEncoder().encode(text);
const now = async () => {};

/** The input cut after the line feed at each of `cuts` (byte offsets of line feeds). */
function cutAt(bytes: Uint8Array, options: TableParseOptions, cuts: number[]): ChunkPlan {
  const plan = planChunks(bytes, options, 2, 1) as ChunkPlan;
  const start = plan.bounds[0] as number;
  return { names: plan.names, bounds: [start, ...cuts.map((c) => c + 1), bytes.length] };
}

function lineFeeds(bytes: Uint8Array, from: number): number[] {
  const out: number[] = [];
  for (let i = bytes.indexOf(10, from); i >= 0 && i + 1 < bytes.length; i = bytes.indexOf(10, i + 1)) out.push(i);
  return out;
}

/** Parses `bytes` cut after each list of rows (line numbers of the data) and expects `expected` every time. */
async function expectCutsAfterRows(bytes: Uint8Array, expected: unknown, rowLists: number[][]) {
  const cuts = lineFeeds(bytes, 0);
  for (const rows of rowLists) {
    const plan = cutAt(
      bytes,
      {},
      rows.map((row) => cuts[row] as number),
    );
    expect(await parsePlanned(bytes, {}, plan, { yieldTask: now, sliceRows: 1000 }), `cut after rows ${rows}`).toEqual(
      expected,
    );
  }
}

/** Cuts the input at every line feed, one cut at a time; returns how many cuts held and how many fell back. */
async function everyCut(text: string, options: TableParseOptions = {}) {
  const bytes = encode(text);
  const expected = parseTableSync(bytes, options);
  const start = (planChunks(bytes, options, 2, 1) as ChunkPlan).bounds[0] as number;
  let held = 0;
  let fellBack = 0;
  for (const cut of lineFeeds(bytes, start)) {
    const table = await parsePlanned(bytes, options, cutAt(bytes, options, [cut]), { yieldTask: now });
    if (table === undefined) fellBack++;
    else {
      held++;
      expect(table, `cut after byte ${cut}`).toEqual(expected);
    }
  }
  return { held, fellBack };
}

describe("parsing in pieces", () => {
  it("cuts after line feeds, inside quoted fields too, and a wrong cut falls back", async () => {
    const text = 'id,note,n\n1,"a\nb",2\n2,"x\n\ny",3\n3,plain,4\n\n4,"""q""\n",5\r\n5,"\n",6\n6,"end\n"\n7,last,8\n';
    const { held, fellBack } = await everyCut(text);
    // Cuts between records hold; those inside the quoted line breaks (6 of them) fall back.
    expect(fellBack).toBe(6);
    expect(held).toBeGreaterThan(5);
  });

  it("reconciles types that differ between pieces, as one pass does", async () => {
    const rows: string[] = ["num,mixed,date,late,empty,flag,na"];
    for (let i = 0; i < 40; i++) {
      const mixed = i === 25 ? "oops" : String(i);
      const date = i === 33 ? "7" : `2020-01-${String((i % 28) + 1).padStart(2, "0")}`;
      const late = i < 30 ? (i % 3 === 0 ? '""' : "") : `v${i % 4}`;
      const flag = i < 12 ? "" : i % 2 ? "true" : "False";
      const na = i % 5 === 0 ? "NA" : i < 20 ? String(i) : "text";
      rows.push(`${i},${mixed},${date},${late},${i % 7 === 0 ? '""' : ""},${flag},${na}`);
    }
    const text = `${rows.join("\n")}\n`;
    for (const options of [
      {},
      { dictionary: false },
      { index: true },
      { schema: ["int64", "object", "object", "object", "object", "object", "object"] },
    ]) {
      const { held } = await everyCut(text, options);
      expect(held).toBe(39);
    }
    // NA values: where one pass stores them depends on where each column's type settled, in any piece.
    for (const naValues of [["NA"], ["NA", ""], ["", "7", "text", "2020-01-05"]]) {
      const { held } = await everyCut(text, { naValues });
      expect(held).toBe(39);
    }
  });

  it("replays a dictionary that one pass gives up part way, in the order one pass stores the values", async () => {
    const random = seededRandom(7);
    const rows = ["few,many,later"];
    for (let i = 0; i < 12_000; i++) {
      const many = i < 5000 ? `u${Math.floor(random() * 1e9)}` : `k${i % 50}`;
      // A number column until row 9000, strings after: one pass stores rows 9000.. first, then 0..8999.
      const later = i < 9000 ? String(i % 6000) : `s${i}`;
      rows.push(`c${i % 9},${many},${later}`);
    }
    const bytes = encode(`${rows.join("\n")}\n`);
    const expected = parseTableSync(bytes);
    expect(expected.columns[1]?.dictionary).toBeUndefined();
    await expectCutsAfterRows(bytes, expected, [[100], [3000], [6000], [9500], [2000, 7000, 11000]]);
  });

  it("replays both give-up rules: nearly unique values at 512, over half of the rows at 4096", async () => {
    const rows = ["unique,repetitive,half"];
    for (let i = 0; i < 12_000; i++) {
      // 600 new values, then those again: one pass gives it up at 513 (over 90% of the rows are new).
      const unique = i < 600 ? `u${i}` : `u${i % 100}`;
      // Each value twice at first (1,000 values, half of the rows): kept, and a dictionary at the end.
      const repetitive = i < 2000 ? `r${i >> 1}` : `r${i % 50}`;
      // Two thirds of the rows new until past 4,096 values (row 6,146): given up by the 4,096 rule, although
      // its 5,334 values would be under half of the rows at the end.
      const half = i < 8000 ? `h${Math.floor(i / 1.5)}` : `h${i % 10}`;
      rows.push(`${unique},${repetitive},${half}`);
    }
    const bytes = encode(`${rows.join("\n")}\n`);
    const expected = parseTableSync(bytes);
    expect(expected.columns.map((c) => c.dictionary !== undefined)).toEqual([false, true, false]);
    await expectCutsAfterRows(bytes, expected, [[300], [550], [800], [6100], [200, 700, 6200]]);
  });

  it("gives the one-pass table on the benchmark's mixed CSV in 2, 3 and 4 pieces", async () => {
    const bytes = mixedCsvBytes(512 * 1024);
    const expected = parseTableSync(bytes);
    for (const count of [2, 3, 4]) {
      const table = await parseInChunks(bytes, {}, count, 1024, { yieldTask: now });
      expect(table).toEqual(expected);
    }
  });

  it("gives the one-pass table or falls back on 1,000 fuzz inputs cut into pieces of a few bytes", async () => {
    let split = 0;
    for (let i = 0; i < 1000; i++) {
      const c = fuzzCase(seededRandom(1_000_003 * (i + 1)));
      // Every other case with NA values of every kind (empty, text, a number, a boolean).
      if (i % 2 && c.options.format !== "json") c.options = { ...c.options, naValues: ["", "NA", "x", "1", "true"] };
      let expected: ReturnType<typeof parseTableSync> | undefined;
      try {
        expected = parseTableSync(c.bytes, c.options);
      } catch {
        expected = undefined;
      }
      const count = 2 + (i % 4);
      const table = await parseInChunks(c.bytes, c.options, count, 1 + (i % 50), { yieldTask: now });
      if (table === undefined) continue;
      split++;
      // A piece may read an input the one pass rejects only if the error is elsewhere: never here.
      expect(expected, `fuzz case ${i} (${c.kind}) read in pieces but not in one`).toBeDefined();
      expect(table, `fuzz case ${i} (${c.kind})`).toEqual(expected);
    }
    expect(split).toBeGreaterThan(100);
  });

  it("takes piece 0's dictionary as it is, yielding while it learns its entries", async () => {
    // 60,000 rows, each value three times in a row: a dictionary of 20,000 entries, 10,000 of them in piece 0.
    const rows = Array.from({ length: 60_000 }, (_, r) => `${r},v${Math.floor(r / 3)}`);
    const bytes = encode(`n,s\n${rows.join("\n")}\n`);
    const expected = parseTableSync(bytes);
    expect(expected.columns[1]?.dictionary).toHaveLength(20_000);
    let yields = 0;
    const counted = async () => void yields++;
    const table = await parseInChunks(bytes, {}, 2, 1024, { yieldTask: counted, sliceRows: 10_000 });
    expect(table).toEqual(expected);
    // Piece 0's 10,000 entries alone are worth ten rows each: at least ten yields, not one long task.
    expect(yields).toBeGreaterThanOrEqual(10);
  });
});
