// naValues: the byte reader must read NA strings exactly as readCsv does (the reference), in every column kind,
// on its fast and slow paths, with and without a schema, dictionary-encoded or not, and read in small steps.
import { describe, expect, it } from "vitest";
import { type ColumnTable, tableToRows } from "../model/columnTable";
import { ParseError } from "../model/errors";
import { PANDAS_1_NA_VALUES, PANDAS_NA_VALUES } from "./pandasNa";
import { parseTableSync, type TableParseOptions } from "./parseTable";
import { type CheckResult, caseSeed, checkCase, fuzzSettings } from "./testing/fuzzCheck";
import { readCsv } from "./testing/referenceCsvReader";
import { normalize, seededRandom } from "./testing/tables";

const pandas = { naValues: PANDAS_NA_VALUES };

function same(text: string, options: TableParseOptions): ColumnTable {
  const table = parseTableSync(text, options);
  const { header, index, schema, naValues } = options;
  const reference = readCsv(text, {
    ...(header === undefined ? {} : { header }),
    ...(index ? { index } : {}),
    ...(schema ? { schema } : {}),
    ...(naValues ? { naValues } : {}),
  });
  expect(normalize(table)).toEqual(normalize(reference));
  return table;
}

describe("naValues", () => {
  it("makes every pandas NA string missing in every column type, quoted or not", () => {
    for (const na of PANDAS_NA_VALUES) {
      for (const field of [na, `"${na}"`]) {
        if (field === "") continue; // a bare empty field is missing anyway
        const text = `x,n,b,d,s\n1.5,2,True,2020-01-02,a\n${field},${field},${field},${field},${field}\n`;
        const schema = ["float64", "Int64", "boolean", "datetime64[ns]", "object"];
        for (const options of [{ schema }, {}, { dictionary: false }]) {
          const table = same(text, { ...pandas, ...options });
          expect(table.columns.map((c) => c.type)).toEqual(["number", "number", "boolean", "date", "string"]);
          expect(tableToRows(table)[1]).toEqual({ x: null, n: null, b: null, d: null, s: null });
        }
      }
    }
  });

  it("keeps near misses: other cases, surrounding spaces, None before pandas 2.0", () => {
    const text = 's\n"na"\n" NA"\nNA \nNone\nNULL\n"N/a"\nNaN\n';
    const rows = (na: readonly string[]) => tableToRows(same(text, { naValues: na })).map((r) => r.s);
    expect(rows(PANDAS_NA_VALUES)).toEqual(["na", " NA", "NA ", null, null, "N/a", null]);
    expect(rows(PANDAS_1_NA_VALUES)).toEqual(["na", " NA", "NA ", "None", null, "N/a", null]);
  });

  it("does not let NA strings turn an inferred number, boolean or date column into strings", () => {
    const table = same('x,b,d\nNA,n/a,NULL\n"1.5","True",2020-01-02\nN/A,"",#N/A\n-1.#IND,FALSE,nan\n', pandas);
    expect(table.columns.map((c) => c.type)).toEqual(["number", "boolean", "date"]);
    expect(tableToRows(table)).toEqual([
      { x: null, b: null, d: null },
      { x: 1.5, b: true, d: new Date(Date.UTC(2020, 0, 2)) },
      { x: null, b: null, d: null },
      { x: null, b: false, d: null },
    ]);
  });

  it("marks NA strings of a column that turned into strings late (the rows before are re-read)", () => {
    const text = `v,w\n${["1", "NA", '""', "", "2"].map((v) => `${v},x`).join("\n")}\nword,x\nNA,x\n"null",x\n`;
    const table = same(text, pandas);
    expect(tableToRows(table).map((r) => r.v)).toEqual(["1", null, null, null, "2", "word", null, null]);
  });

  it("marks dictionary entries and packed rows alike", () => {
    const values = Array.from({ length: 40 }, (_, i) => (i % 4 === 0 ? "NA" : i % 4 === 1 ? '""' : `v${i % 3}`));
    const text = `s\n${values.join("\n")}\n`;
    const dictionary = same(text, pandas);
    expect(dictionary.columns[0]?.dictionary).toBeDefined();
    const packed = same(text, { ...pandas, dictionary: false });
    expect(packed.columns[0]?.dictionary).toBeUndefined();
    expect(tableToRows(dictionary)).toEqual(tableToRows(packed));
    expect(tableToRows(packed).filter((r) => r.s === null)).toHaveLength(20);
  });

  it("leaves the default rules alone without naValues", () => {
    const table = same('s,x\n"",1\nNA,2\n,nan\n', {});
    expect(tableToRows(table)).toEqual([
      { s: "", x: 1 },
      { s: "NA", x: 2 },
      { s: null, x: null },
    ]);
  });

  it("accepts NA values that are numbers, booleans or dates (checked before the fast scanners)", () => {
    const naValues = ["-999", "TRUE", "1970-01-01", "x"];
    const table = same("n,b,d,s\n1,False,2020-01-02,y\n-999,TRUE,1970-01-01,x\n-999.0,true,1970-01-02,-999\n", {
      naValues,
      schema: ["float64", "bool", "datetime64[ns]", "object"],
    });
    expect(tableToRows(table)).toEqual([
      { n: 1, b: false, d: new Date(Date.UTC(2020, 0, 2)), s: "y" },
      { n: null, b: null, d: null, s: null },
      { n: -999, b: true, d: new Date(Date.UTC(1970, 0, 2)), s: null },
    ]);
  });

  it("still rejects what a schema'd column cannot hold", () => {
    expect(() => parseTableSync("n\nNA\nnope\n", { ...pandas, schema: ["Int64"] })).toThrow(ParseError);
    expect(() => parseTableSync("n\n1.5\n", { ...pandas, schema: ["Int64"] })).toThrow(/not an integer/);
  });

  it("refuses naValues that are not a list of strings", () => {
    expect(() => parseTableSync("a\n1\n", { naValues: "NA" as unknown as string[] })).toThrow(/naValues/);
    expect(() => parseTableSync("a\n1\n", { naValues: [1] as unknown as string[] })).toThrow(/naValues/);
  });
});

// Generated inputs: columns that mostly hold one kind of value, with NA strings, near misses and empty fields
// mixed in, quoted or bare, with or without a schema; compared with the reference, also read in small steps.
const NA_TOKENS = [...PANDAS_NA_VALUES, "na", " NA", "NAN", "Null", "none", "#N/A ", "-1.#INF", "1.#IND0"];
const KINDS: readonly (readonly string[])[] = [
  ["1", "-2", "3.5", "1e3", "inf", "-nan", "007"],
  ["True", "False", "true", "FALSE"],
  ["2020-01-02", "2021-03-04 05:06:07", "2020-02-30"],
  ["a", "b", "hello, world", "é", "x y", "1", "True"],
];
const DTYPES = ["float64", "int64", "Int64", "bool", "boolean", "datetime64[ns]", "object", "string"];
const NA_SETS: readonly (readonly string[])[] = [PANDAS_NA_VALUES, PANDAS_1_NA_VALUES, ["NA", "-999", "true"], []];

function generated(random: () => number): { text: string; options: TableParseOptions } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const columns = 1 + Math.floor(random() * 4);
  const rows = Math.floor(random() * 12);
  const kinds = Array.from({ length: columns }, () => pick(KINDS));
  const quoteAll = random() < 0.4;
  const lines = [Array.from({ length: columns }, (_, c) => `c${c}`).join(",")];
  for (let r = 0; r < rows; r++) {
    const cells = kinds.map((kind) => {
      const p = random();
      const token = p < 0.3 ? pick(NA_TOKENS) : p < 0.9 ? pick(kind) : pick(pick(KINDS));
      const quoted = quoteAll || token.includes(",") || random() < 0.2;
      return quoted ? `"${token}"` : token;
    });
    lines.push(cells.join(","));
  }
  const options: TableParseOptions = { naValues: pick(NA_SETS) };
  if (random() < 0.4) options.schema = Array.from({ length: columns }, () => pick(DTYPES));
  if (random() < 0.3) options.dictionary = false;
  if (random() < 0.2) options.index = true;
  return { text: `${lines.join(random() < 0.2 ? "\r\n" : "\n")}\n`, options };
}

describe("naValues on generated inputs", () => {
  const { seed, count } = fuzzSettings({ seed: 20_260_101, count: 3000 });
  it(`${count} inputs (FUZZ_SEED=${seed}): the same table or error as the reference`, { timeout: 60_000 }, () => {
    const counts: Record<CheckResult, number> = { "same table": 0, "same error": 0, "parse error": 0 };
    const encoder = new TextEncoder();
    for (let i = 0; i < count; i++) {
      const s = caseSeed(seed, i);
      const { text, options } = generated(seededRandom(s));
      counts[checkCase({ kind: "naValues", bytes: encoder.encode(text), options }, s)]++;
    }
    expect(counts["same table"]).toBeGreaterThan(count * 0.5);
    expect(counts["same error"]).toBeGreaterThan(count * 0.05);
  });
});
