// One fuzz check: parse an input and compare with the reference reader. Shared by fuzz.test.ts (a CI-sized run)
// and bench/dataframe/fuzz.ts (a long run).

import type { ColumnTable } from "../../model/columnTable";
import { ParseError } from "../../model/errors";
import { CsvReader } from "../csvReader";
import { unpackTable } from "../packedTable";
import { parseTableSync } from "../parseTable";
import { EncodingError } from "../position";
import type { FuzzCase } from "./fuzzInputs";
import { type ReferenceOutcome, referenceRead } from "./referenceReader";
import { normalize, seededRandom } from "./tables";

/** What a check established: equal tables, the same error, or only that the error was a ParseError. */
export type CheckResult = "same table" | "same error" | "parse error";

export class FuzzMismatch extends Error {}

/** The input, printable: its kind, options and bytes (as a JSON string where they are UTF-8, else hex). */
export function describeCase(c: FuzzCase): string {
  let text: string;
  try {
    text = JSON.stringify(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(c.bytes));
  } catch {
    text = `hex ${Buffer.from(c.bytes).toString("hex")}`;
  }
  const shown = text.length > 2000 ? `${text.slice(0, 2000)}... (${c.bytes.length} bytes)` : text;
  return `${c.kind}, options ${JSON.stringify(c.options)}, input ${shown}`;
}

/** The reference for `c`: TSV without commas or quotes reads as the same CSV with tabs turned into commas. */
function reference(c: FuzzCase): ReferenceOutcome | undefined {
  if (c.options.format !== "tsv") return referenceRead(c.bytes, c.options);
  if (c.bytes.includes(0x2c) || c.bytes.includes(0x22)) return undefined;
  return referenceRead(
    c.bytes.map((b) => (b === 0x09 ? 0x2c : b)),
    { ...c.options, format: "csv" },
  );
}

type Outcome = { table: ColumnTable } | { error: unknown };

function parse(c: FuzzCase): Outcome {
  try {
    return { table: parseTableSync(c.bytes, c.options) };
  } catch (error) {
    return { error };
  }
}

/** The same CSV read in small steps (as the worker reads it between progress reports): must not differ. */
function parseInSteps(c: FuzzCase, seed: number): Outcome {
  const random = seededRandom(seed);
  const { options } = c;
  const reader = new CsvReader(c.bytes, {
    delimiter: options.format === "tsv" ? 9 : 44,
    ...(options.header === undefined ? {} : { header: options.header }),
    ...(options.index === undefined ? {} : { index: options.index }),
    ...(options.dictionary === undefined ? {} : { dictionary: options.dictionary }),
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.naValues ? { naValues: options.naValues } : {}),
  });
  try {
    while (!reader.done) reader.step(reader.progress.done + 1 + Math.floor(random() * 64));
    return { table: unpackTable(reader.read()) };
  } catch (error) {
    return { error };
  }
}

const fail = (c: FuzzCase, what: string): never => {
  throw new FuzzMismatch(`${what}\n  ${describeCase(c)}`);
};

function errorText(error: unknown): string {
  if (error instanceof ParseError) return `${error.constructor.name}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error);
}

/** Deep equality of plain data, numbers by Object.is (NaN equals NaN, -0 differs from 0). */
function same(a: unknown, b: unknown): boolean {
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every(
    (k) => Object.hasOwn(b, k) && same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

/** Parses `c`, compares with the reference, and throws FuzzMismatch on any difference. */
export function checkCase(c: FuzzCase, seed = 0): CheckResult {
  const actual = parse(c);
  if ("error" in actual && !(actual.error instanceof ParseError)) {
    fail(c, `threw something other than a ParseError: ${errorText(actual.error)}`);
  }
  if (c.options.format !== "json" && seed % 5 === 0) {
    const stepped = parseInSteps(c, seed);
    const a = "table" in actual ? normalize(actual.table) : errorText(actual.error);
    const b = "table" in stepped ? normalize(stepped.table) : errorText(stepped.error);
    if (!same(a, b)) fail(c, `reading in small steps differs: ${JSON.stringify(b)} vs ${JSON.stringify(a)}`);
  }
  const expected = reference(c);
  if (expected === undefined) return "parse error";
  if ("table" in expected) {
    if (!("table" in actual))
      return fail(c, `the reference reads a table, the parser threw ${errorText(actual.error)}`);
    const a = normalize(actual.table);
    const b = normalize(expected.table);
    if (!same(a, b)) fail(c, `tables differ:\n  parser    ${JSON.stringify(a)}\n  reference ${JSON.stringify(b)}`);
    return "same table";
  }
  if (!("error" in actual)) {
    return fail(c, `the parser read a table where the reference fails with ${JSON.stringify(expected)}`);
  }
  const error = actual.error as ParseError;
  if ("encoding" in expected) {
    const got =
      error instanceof EncodingError ? { line: error.line, column: error.column, offset: error.offset } : undefined;
    if (!same(got, expected.encoding)) {
      fail(c, `expected EncodingError at ${JSON.stringify(expected.encoding)}, got ${errorText(error)}`);
    }
    return "same error";
  }
  if (error instanceof EncodingError) fail(c, `EncodingError on valid UTF-8: ${errorText(error)}`);
  if (!expected.exact) return "parse error";
  const got = { message: error.message, line: error.line, column: error.column };
  if (!same(got, expected.parse)) fail(c, `errors differ: ${JSON.stringify(got)} vs ${JSON.stringify(expected.parse)}`);
  return "same error";
}

/** Options of a fuzz run from the environment: FUZZ_SEED and FUZZ_COUNT override the defaults. */
export function fuzzSettings(defaults: { seed: number; count: number }): { seed: number; count: number } {
  const seed = process.env.FUZZ_SEED === undefined ? defaults.seed : Number(process.env.FUZZ_SEED);
  const count = process.env.FUZZ_COUNT === undefined ? defaults.count : Number(process.env.FUZZ_COUNT);
  if (!Number.isInteger(seed) || !Number.isInteger(count) || count < 0) {
    throw new Error("FUZZ_SEED and FUZZ_COUNT must be integers");
  }
  return { seed, count };
}

/** The seed of case `i` of a run: each case can be replayed on its own. */
export function caseSeed(seed: number, i: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + i) >>> 0;
}
