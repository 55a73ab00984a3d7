// The bad inputs of issue 4, one test each: a ParseError with line and column, or the documented recovery.
// The same parser keeps working after every failure (in-thread here; tableParser.browser.test.ts checks that
// these errors cross real workers with their class and position).
import { afterAll, describe, expect, it } from "vitest";
import { tableToRows } from "../model/columnTable";
import { ParseError } from "../model/errors";
import type { ParseOptions, TableInput } from "./parseTable";
import { EncodingError } from "./position";
import { createTableParser } from "./tableParser";
import { seededRandom } from "./testing/tables";

const parser = createTableParser({ workers: 0 });
afterAll(() => parser.close());

async function parseError(input: TableInput, options: ParseOptions = {}): Promise<ParseError> {
  const error = await parser.parse(input, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ParseError);
  // Still usable afterwards.
  expect((await parser.parse("a\n1\n")).rowCount).toBe(1);
  return error as ParseError;
}

const at = (e: ParseError) => [e.line, e.column];

// The first bytes of a PNG (signature and IHDR) and of a gzip stream.
const PNG = Uint8Array.of(
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  0,
  0,
  0,
  0x0d,
  0x49,
  0x48,
  0x44,
  0x52,
  0,
  0,
  1,
  0,
);
const GZIP = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x4b, 0x4c, 0x4a, 0x06, 0x00);

describe("bad input", () => {
  it("unclosed quote: ParseError at the opening quote", async () => {
    const error = await parseError('a,b\n1,2\n3,"never closed\n4,5\n');
    expect(at(error)).toEqual([3, 3]);
    expect(error.message).toMatch(/unclosed quoted field/);
  });

  it("text after a closing quote: ParseError at that text", async () => {
    expect(at(await parseError('a,b\n1,"x"y\n'))).toEqual([2, 6]);
  });

  it("a row with more fields than the header: ParseError at the first extra field", async () => {
    const error = await parseError("a,b\n1,2\n3,4,5,6\n");
    expect(at(error)).toEqual([3, 5]);
    expect(error.message).toMatch(/row has 4 fields but there are 2 columns/);
  });

  it("a row with fewer fields than the header: the missing fields are null (recovery)", async () => {
    const table = await parser.parse("a,b,c\n1,x,true\n2\n3,y\n");
    expect(tableToRows(table)).toEqual([
      { a: 1, b: "x", c: true },
      { a: 2, b: null, c: null },
      { a: 3, b: "y", c: null },
    ]);
  });

  it("invalid UTF-8: EncodingError (a ParseError) at the first bad byte", async () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode("name,n\nJosé,1\nab"),
      0xc3,
      0x28,
      ...new TextEncoder().encode(",2\n"),
    ]);
    const error = await parseError(bytes);
    expect(error).toBeInstanceOf(EncodingError);
    expect(at(error)).toEqual([3, 3]);
    // In a header and in what would be a number column too.
    expect(at(await parseError(Uint8Array.of(0x61, 0xff, 0x0a, 0x31, 0x0a)))).toEqual([1, 2]);
    expect(at(await parseError(Uint8Array.of(0x61, 0x0a, 0x31, 0x0a, 0x32, 0xe2, 0x82, 0x0a)))).toEqual([3, 2]);
    // Overlong encodings and surrogates are invalid too, as TextDecoder says.
    await parseError(Uint8Array.of(0x61, 0x0a, 0xc0, 0xaf, 0x0a));
    await parseError(Uint8Array.of(0x61, 0x0a, 0xed, 0xa0, 0x80, 0x0a));
    await parseError(new Uint8Array([0x5b, 0x22, 0xff, 0x22, 0x5d]), { format: "json" });
  });

  it("a binary file: EncodingError, not a table of garbage", async () => {
    for (const bytes of [PNG, GZIP]) {
      const error = await parseError(bytes);
      expect(error).toBeInstanceOf(EncodingError);
      expect(error.message).toMatch(/binary file/);
    }
    const random = seededRandom(1);
    const noise = Uint8Array.from({ length: 4096 }, () => Math.floor(random() * 256));
    expect(await parseError(noise)).toBeInstanceOf(EncodingError);
    expect(await parseError(PNG, { format: "json" })).toBeInstanceOf(EncodingError);
  });

  it("an empty file: an empty table (no columns, no rows), whatever the format", async () => {
    for (const input of ["", "\n\r\n", new ArrayBuffer(0), Uint8Array.of(0xef, 0xbb, 0xbf)]) {
      expect(await parser.parse(input)).toEqual({ rowCount: 0, columns: [] });
    }
    expect(await parser.parse("", { format: "json" })).toEqual({ rowCount: 0, columns: [] });
    expect(await parser.parse("", { format: "tsv", schema: ["int64"] })).toEqual({ rowCount: 0, columns: [] });
  });

  it("a 1-line file: the header gives typed, empty columns; without a header it is one row", async () => {
    const table = await parser.parse("a,b,c", { schema: ["int64", "bool", "datetime64[ns]"] });
    expect(table.rowCount).toBe(0);
    expect(table.columns.map((c) => [c.name, c.type, c.values.length])).toEqual([
      ["a", "number", 0],
      ["b", "boolean", 0],
      ["c", "date", 0],
    ]);
    expect((await parser.parse("a,b\n")).columns.map((c) => c.type)).toEqual(["string", "string"]);
    expect(tableToRows(await parser.parse("1,x,true", { header: false }))).toEqual([{ 0: 1, 1: "x", 2: true }]);
  });

  it("duplicate column names: ParseError at the second one", async () => {
    const error = await parseError("id,name,id\n1,x,2\n");
    expect(at(error)).toEqual([1, 9]);
    expect(error.message).toMatch(/duplicate column name "id"/);
    expect(at(await parseError('"",x,""\n1,2,3\n'))).toEqual([1, 6]);
    expect(at(await parseError('[{"a": 1}]', { format: "json", schema: ["int64", "int64"] }))).toEqual([1, 1]);
  });

  it("an empty column name is allowed: pandas writes the index header empty", async () => {
    const table = await parser.parse(",x\n0,a\n1,b\n", { index: true, schema: ["int64", "object"] });
    expect(table.index).toBe("");
    expect(tableToRows(table)).toEqual([
      { "": 0, x: "a" },
      { "": 1, x: "b" },
    ]);
  });

  it("a schema of the wrong length: ParseError at the header's line", async () => {
    const error = await parseError("\n\na,b\n1,2\n", { schema: ["int64"] });
    expect(at(error)).toEqual([3, 1]);
    expect(error.message).toMatch(/schema has 1 dtypes but the CSV has 2 columns/);
  });

  it("a value the schema's dtype cannot hold: ParseError at that value", async () => {
    const integer = await parseError("a,b\n1,2\n3,4.5\n", { schema: ["int64", "int64"] });
    expect(at(integer)).toEqual([3, 3]);
    expect(integer.message).toMatch(/"4.5" is not an integer \(column "b" is int64\)/);
    expect(at(await parseError("a\nTrue\nyes\n", { schema: ["bool"] }))).toEqual([3, 1]);
    expect(at(await parseError("a\n2020-01-01\nsoon\n", { schema: ["datetime64[ns]"] }))).toEqual([3, 1]);
    expect(at(await parseError('x\t"p"\nn\t"q"\n', { format: "tsv", schema: ["float64", "object"] }))).toEqual([2, 1]);
    const json = await parseError('[{"a": 1},\n {"a": "two"}]', { format: "json", schema: ["int64"] });
    expect(at(json)).toEqual([2, 8]);
  });

  it("malformed JSON: ParseError at the syntax error, or naming what is not a table", async () => {
    expect(at(await parseError('[{"a": 1},\n {"a": }]', { format: "json" }))).toEqual([2, 8]);
    expect(at(await parseError('[{"a": 1}', { format: "json" }))).toEqual([1, 10]);
    expect((await parseError('{"a": 1}', { format: "json" })).message).toMatch(/array of row objects/);
    expect(at(await parseError('[{"a": 1}, 2]', { format: "json" }))).toEqual([1, 12]);
    expect(at(await parseError('{"a": [1, 2],\n "b": [1]}', { format: "json" }))).toEqual([2, 7]);
  });
});
