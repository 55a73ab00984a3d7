// The byte-level reader must give exactly what readCsv (the reference, testing/referenceCsvReader.ts) gives: the same
// table on every input readCsv accepts, the same ParseError (message, line, column) on every input it rejects.
import { describe, expect, it } from "vitest";
import { countLineBreaks } from "./csvReader";
import { parseTableSync, type TableParseOptions } from "./parseTable";
import { readCsv } from "./testing/referenceCsvReader";
import { normalize, outcome, seededRandom } from "./testing/tables";

function same(text: string, options: TableParseOptions = {}) {
  const expected = outcome(() => normalize(readCsv(text, options)));
  const actual = outcome(() => normalize(parseTableSync(text, { ...options, format: "csv" })));
  expect(actual, JSON.stringify(text.slice(0, 300))).toEqual(expected);
  return actual;
}

describe("CsvReader matches readCsv", () => {
  it.each([
    ["plain numbers and strings", "a,b\n1,x\n2,y\n"],
    ["inference of every type", "n,b,d,s,e\n1,true,2020-01-02,x,\n2.5e3,FALSE,2020-01-02T10:00:00Z,7,\n-inf,True,,,\n"],
    ["quoted numbers (pandas QUOTE_ALL)", '"a","b"\n"1","inf"\n"NaN","Infinity"\n"nan","-Infinity"\n'],
    ["CRLF, lone CR, BOM, blank lines, breaks in quotes", '\uFEFFa,b\r\n\r\n1,"x\r\ny"\r2,z\n\n'],
    ["a stray quote inside a bare field", 'a\nsay "hi"\n'],
    ["empty bare vs empty quoted", 's,n\n"",""\n,\nx,1\n'],
    ["short rows", "a,b,c\n1,2,3\n4\n"],
    ["header only", "a,b\n"],
    ["empty input", ""],
    ["blank lines only", "\n\r\n\r\n"],
    ["no final newline", "a,b\n1,2"],
    ["a trailing delimiter", "a,b\n1,\n"],
    ["numbers with spaces and signs", "a\n 1 \n+2\n-0\n.5\n5.\n1e-7\n-1.5E+3\n"],
    ["long mantissas and big exponents", "a\n12345678901234567890\n1e300\n1e-300\n0.1234567890123456789\n2e400\n"],
    ["a column turning into strings late", "a,b\n1,x\n2,y\n3,z\nfour,w\n5,v\n"],
    ["a boolean column turning into strings", "a\ntrue\nFalse\nmaybe\n"],
    ["a date column turning into strings", "a\n2020-01-01\n2020-02-30\n"],
    [
      "dates with offsets, fractions and spaces",
      "a\n2020-01-01T10:00:00+02:00\n2020-01-01 10:00:00.123456789\n 2020-01-01 \n2020-01-01t10:00z\n",
    ],
    ["only empty values, some quoted", 'a,b\n,""\n"",\n'],
    ["empty quoted then strings", 'a\n""\n\nx\n'],
    ["escaped quotes and commas", 'a,b\n1,"ha ""ha"" ha"\n2,"x,y"\n'],
    ["non-ASCII strings", "name,city\nJosé,Zürich\n李,北京\n🙂,x\n"],
    ["non-ASCII around numbers", "a\n1\n١\n"],
    ["a BOM inside a field", "a\n\uFEFFx\n"],
    ["unicode spaces around a number", "a\n\u00a01\u00a0\n"],
    ["header false", "1,x\n2,y\n"],
    ["duplicate names without header are fine", "a,a\n1,2\n"],
  ])("%s", (_, text) => {
    same(text);
    same(text, { header: false });
  });

  it("applies schemas as readCsv does, errors included", () => {
    const pandas =
      '"","x","s","flag","when"\n"0","1.5","a,b","True","2020-01-02 03:04:05"\n"1","","say ""hi""\nbye","False","2020-06-30 00:00:00"\n"2","-2.0","","True",""\n';
    same(pandas, { index: true, schema: ["int64", "float64", "object", "bool", "datetime64[ns]"] });
    same("a,b,c,d,e,f\n1,2,True,2020-01-01 00:00:00+02:00,x,y\n", {
      schema: ["uint8", "Float32", "boolean", "datetime64[ns, UTC]", "category", "string"],
    });
    same("a\n1\n1.5\n", { schema: ["int64"] });
    same("a\n1\nnan\n", { schema: ["int64"] });
    same("a,b\n1,x\n2,y\n", { schema: ["float64", "bool"] });
    same("a,b\nx,1\n", { schema: ["float64", "bool", "object"] });
    same("a,b\nx,1\n1,2,3\n", { schema: ["float64"] });
    same("a,b\n1,2020-13-01\n", { schema: ["int64", "datetime64[ns]"] });
    same("a,b\n1,true\n2,x\n", { schema: ["int64", "bool"] });
    same("a\n 7 \n", { schema: ["int32"] });
  });

  it("reports syntax errors at readCsv's positions", () => {
    expect(same('a,b\n1,2\n3,"oops\n4,5\n')).toMatchObject({ error: { line: 3, column: 3 } });
    expect(same('a,b\n1,"x"y\n')).toMatchObject({ error: { line: 2, column: 6 } });
    expect(same('a,b\n"multi\nline",2\n3,4,5\n')).toMatchObject({ error: { line: 4, column: 5 } });
    same('a,b,c\n"x\r\ny",1,2,3\n');
    same('a\n"x\ry"z\n');
    same("a,b,a\n1,2,3\n");
    same('é,b\nx,1,"é\n');
    same('a\n1,"x"y\n');
    same("a,b\n1,2,3,4\n");
  });

  it("agrees on thousands of generated inputs, valid and not", () => {
    const random = seededRandom(2020);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T;
    const tokens = [
      "1",
      "0",
      "-3",
      "2.5",
      ".5",
      "1e5",
      "1e",
      "-",
      "+",
      "007",
      "12345678901234567",
      "nan",
      "Inf",
      "-infinity",
      "true",
      "FALSE",
      "True",
      "x",
      "hello",
      "é",
      "𝄞",
      " ",
      "2020-01-02",
      "2020-02-30",
      "2021-03-04T05:06:07Z",
      "2021-03-04 05:06",
      "2021-03-04T05:06:07.1234+01:00",
      '"',
      '""',
      '"a,b"',
      '"x""y"',
      '"\n"',
      "\t",
      // Bytes one away from a terminator (the four-byte scan's trap), and fields longer than a word.
      "-",
      "a-",
      "\u000b",
      "\u000c",
      "x\u000b\u000cy",
      "abcdefghijklm",
      "éèêë",
      "+-,-",
    ];
    const bare = tokens.filter((t) => !t.includes('"'));
    const typed = [
      ["1", "0", "-3", "2.5", ".5", "1e5", "007", "12345678901234567", "nan", "Inf", "-infinity"],
      ["true", "FALSE", "True"],
      ["2020-01-02", "2021-03-04T05:06:07Z", "2021-03-04 05:06", "2021-03-04T05:06:07.1234+01:00"],
    ];
    const separators = [",", ",", ",", "\n", "\r\n", "\r", "\n\n"];
    const dtypes = ["int64", "float64", "bool", "object", "datetime64[ns]", "string"];
    const count = 3000;
    const seen = { tables: 0, rows: 0, errors: 0, typed: 0 };
    for (let i = 0; i < count; i++) {
      let text = random() < 0.1 ? "\uFEFF" : "";
      const length = Math.floor(random() * 30);
      for (let k = 0; k < length; k++) text += random() < 0.6 ? pick(tokens) : pick(separators);
      // Mostly well-formed tables, so that the typed paths run, not just the error paths.
      if (random() < 0.5) {
        const cols = 1 + Math.floor(random() * 4);
        // Half the columns draw from one type's tokens (an occasional odd one turns them into strings late).
        const pools = Array.from({ length: cols }, () => (random() < 0.5 ? pick(typed) : bare));
        const rows = Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
          pools.map((pool) => (random() < 0.15 ? "" : random() < 0.05 ? pick(bare) : pick(pool))).join(","),
        );
        text = ["h1,h2,h3,h4".split(",").slice(0, cols).join(","), ...rows].join(pick(["\n", "\r\n"]));
      }
      const options: TableParseOptions = {};
      if (random() < 0.3) options.header = false;
      if (random() < 0.2) options.index = true;
      if (random() < 0.3) options.schema = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(dtypes));
      const result = same(text, options);
      if ("value" in result) {
        seen.tables++;
        if (result.value.rowCount > 0) seen.rows++;
        if (result.value.columns.some((c) => c.type !== "string")) seen.typed++;
      } else seen.errors++;
    }
    // Both readers' tables and both readers' errors were compared, and tables with rows and typed columns too.
    expect(seen.tables).toBeGreaterThan(count * 0.3);
    expect(seen.errors).toBeGreaterThan(count * 0.3);
    expect(seen.rows).toBeGreaterThan(count * 0.3);
    expect(seen.typed).toBeGreaterThan(count * 0.1);
  });

  it("agrees on large inputs: dictionaries given up, capacity grown, late type changes, non-ASCII pools", () => {
    const random = seededRandom(4);
    const lines = ["id,city,code,note,late,mixed"];
    for (let i = 0; i < 30_000; i++) {
      // Long rows first (the row estimate comes from the first 256 KiB), short ones after: capacity must grow.
      const note = i < 3000 ? "x".repeat(200) : i % 7 === 0 ? "" : `n${i % 5}`;
      const city = ["Zürich", "Genève", "北京", "München", "São Paulo"][i % 5];
      const code = `ü${Math.floor(random() * 1e9).toString(36)}`;
      const late = i === 29_999 ? "not a number" : String(i / 4);
      const mixed = i % 3 === 0 ? `"q${i % 11}"` : String(i % 11);
      lines.push(`${i},${city},${code},${note},${late},${mixed}`);
    }
    const text = lines.join("\n");
    const result = same(text);
    if (!("value" in result)) throw new Error("expected a table");
    const types = result.value.columns.map((c) => c.type);
    expect(types).toEqual(["number", "string", "string", "string", "string", "string"]);
    const table = parseTableSync(text);
    // Low cardinality keeps a dictionary; unique codes do not.
    expect(table.columns[1]?.dictionary).toEqual(["Zürich", "Genève", "北京", "München", "São Paulo"]);
    expect(table.columns[2]?.dictionary).toBeUndefined();
    expect(parseTableSync(text, { dictionary: false }).columns[1]?.dictionary).toBeUndefined();
  });
});

describe("countLineBreaks", () => {
  it("counts line feeds and carriage returns at any alignment, as a plain loop does", () => {
    const random = seededRandom(7);
    const buffer = new Uint8Array(1000).map(() => [10, 13, 44, 97, 0, 255][Math.floor(random() * 6)] as number);
    for (let offset = 0; offset < 5; offset++) {
      const bytes = buffer.subarray(offset);
      for (const [start, end] of [
        [0, bytes.length],
        [1, 2],
        [3, 9],
        [2, 500],
        [5, 5],
        [7, 998 - offset],
      ] as const) {
        let lf = 0;
        let cr = 0;
        for (let i = start; i < end; i++) {
          if (bytes[i] === 10) lf++;
          if (bytes[i] === 13) cr++;
        }
        expect(countLineBreaks(bytes, start, end), `offset ${offset} [${start}, ${end})`).toEqual({ lf, cr });
      }
    }
  });
});
