import { describe, expect, it } from "vitest";
import { tableToRows } from "../../model/columnTable";
import { ParseError } from "../../model/errors";
import { readCsv } from "./referenceCsvReader";

function parseErrorOf(fn: () => unknown): ParseError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ParseError);
    return error as ParseError;
  }
  throw new Error("expected a ParseError");
}

// What pandas writes for
//   df = pd.DataFrame({"x": [1.5, np.nan, -2.0], "s": ["a,b", 'say "hi"\nbye', None], "flag": [True, False, True],
//                      "when": pd.to_datetime(["2020-01-02 03:04:05", "2020-06-30", None])})
//   df.to_csv(quoting=csv.QUOTE_ALL)
const PANDAS_QUOTE_ALL = [
  '"","x","s","flag","when"',
  '"0","1.5","a,b","True","2020-01-02 03:04:05"',
  '"1","","say ""hi""',
  'bye","False","2020-06-30 00:00:00"',
  '"2","-2.0","","True",""',
  "",
].join("\n");
const PANDAS_SETTINGS = {
  header: true,
  index: true,
  schema: ["int64", "float64", "object", "bool", "datetime64[ns]"],
};

describe("readCsv", () => {
  it("reads pandas QUOTE_ALL output with an empty-header index and a schema", () => {
    const table = readCsv(PANDAS_QUOTE_ALL, PANDAS_SETTINGS);
    expect(table.index).toBe("");
    expect(table.rowCount).toBe(3);
    expect(table.columns.map((c) => [c.name, c.type, c.dtype])).toEqual([
      ["", "number", "int64"],
      ["x", "number", "float64"],
      ["s", "string", "object"],
      ["flag", "boolean", "bool"],
      ["when", "date", "datetime64[ns]"],
    ]);
    expect(tableToRows(table)).toEqual([
      { "": 0, x: 1.5, s: "a,b", flag: true, when: new Date(Date.UTC(2020, 0, 2, 3, 4, 5)) },
      { "": 1, x: null, s: 'say "hi"\nbye', flag: false, when: new Date(Date.UTC(2020, 5, 30)) },
      // QUOTE_ALL writes a missing object as "": without naValues it is the empty string (pandas' read_csv, and
      // pull for pandas attachments, read NaN: see pandasNa.test.ts).
      { "": 2, x: -2, s: "", flag: true, when: null },
    ]);
  });

  it("infers types per column without a schema", () => {
    const table = readCsv("n,b,d,s,e\n1,true,2020-01-02,x,\n2.5e3,FALSE,2020-01-02T10:00:00Z,7,\n-inf,True,,,\n");
    expect(table.columns.map((c) => c.type)).toEqual(["number", "boolean", "date", "string", "string"]);
    expect(tableToRows(table)).toEqual([
      { n: 1, b: true, d: new Date(Date.UTC(2020, 0, 2)), s: "x", e: null },
      { n: 2500, b: false, d: new Date(Date.UTC(2020, 0, 2, 10)), s: "7", e: null },
      { n: Number.NEGATIVE_INFINITY, b: true, d: null, s: null, e: null },
    ]);
  });

  it("treats quoting as irrelevant to inference and reads nan/inf spellings", () => {
    const table = readCsv('"a","b"\n"1","inf"\n"NaN","Infinity"\n"nan","-Infinity"\n');
    expect(table.columns.map((c) => c.type)).toEqual(["number", "number"]);
    expect(tableToRows(table)).toEqual([
      { a: 1, b: Number.POSITIVE_INFINITY },
      { a: null, b: Number.POSITIVE_INFINITY },
      { a: null, b: Number.NEGATIVE_INFINITY },
    ]);
  });

  it("handles CRLF, lone CR, BOM, blank lines and newlines inside quotes", () => {
    const table = readCsv('\uFEFFa,b\r\n\r\n1,"x\r\ny"\r2,z\n\n');
    expect(table.columns.map((c) => c.name)).toEqual(["a", "b"]);
    expect(tableToRows(table)).toEqual([
      { a: 1, b: "x\r\ny" },
      { a: 2, b: "z" },
    ]);
  });

  it("keeps a stray quote inside a bare field", () => {
    expect(tableToRows(readCsv('a\nsay "hi"\n'))).toEqual([{ a: 'say "hi"' }]);
  });

  it("distinguishes empty bare fields (null) from quoted empty strings", () => {
    const table = readCsv('s,n\n"",""\n,\nx,1\n');
    expect(tableToRows(table)).toEqual([
      { s: "", n: null },
      { s: null, n: null },
      { s: "x", n: 1 },
    ]);
  });

  it("names columns 0, 1, ... without a header and takes the first column as index on request", () => {
    const table = readCsv("a,1\nb,2\n", { header: false, index: true });
    expect(table.index).toBe("0");
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ["0", "string"],
      ["1", "number"],
    ]);
  });

  it("fills missing trailing fields of short rows with nulls", () => {
    const table = readCsv("a,b,c\n1,2,3\n4\n", { schema: ["int64", "int64", "object"] });
    expect(tableToRows(table)).toEqual([
      { a: 1, b: 2, c: "3" },
      { a: 4, b: null, c: null },
    ]);
  });

  it("reads a header-only file as zero rows and empty input as an empty table", () => {
    const table = readCsv("a,b\n", { schema: ["int64", "bool"] });
    expect(table.rowCount).toBe(0);
    expect(table.columns.map((c) => c.type)).toEqual(["number", "boolean"]);
    expect(readCsv("")).toEqual({ rowCount: 0, columns: [] });
    expect(readCsv("\n\n")).toEqual({ rowCount: 0, columns: [] });
  });

  it("maps pandas dtypes to column types", () => {
    const table = readCsv("a,b,c,d,e,f\n1,2,True,2020-01-01 00:00:00+02:00,x,y\n", {
      schema: ["uint8", "Float32", "boolean", "datetime64[ns, UTC]", "category", "string"],
    });
    expect(table.columns.map((c) => c.type)).toEqual(["number", "number", "boolean", "date", "string", "string"]);
    expect(tableToRows(table)[0]?.d).toEqual(new Date(Date.UTC(2019, 11, 31, 22)));
  });

  describe("errors", () => {
    it("reports an unclosed quote at its opening quote", () => {
      const error = parseErrorOf(() => readCsv('a,b\n1,2\n3,"oops\n4,5\n'));
      expect([error.line, error.column]).toEqual([3, 3]);
      expect(error.message).toMatch(/unclosed quoted field/);
    });

    it("reports text after a closing quote", () => {
      const error = parseErrorOf(() => readCsv('a,b\n1,"x"y\n'));
      expect([error.line, error.column]).toEqual([2, 6]);
    });

    it("reports a row with too many fields at the first extra field, counting lines inside quotes", () => {
      const error = parseErrorOf(() => readCsv('a,b\n"multi\nline",2\n3,4,5\n'));
      expect([error.line, error.column]).toEqual([4, 5]);
      expect(error.message).toMatch(/3 fields but there are 2 columns/);
      // Columns restart after a line break inside quotes.
      const sameLine = parseErrorOf(() => readCsv('a,b,c\n"x\r\ny",1,2,3\n'));
      expect([sameLine.line, sameLine.column]).toEqual([3, 8]);
      const afterQuote = parseErrorOf(() => readCsv('a\n"x\ry"z\n'));
      expect([afterQuote.line, afterQuote.column]).toEqual([3, 3]);
    });

    it("reports a value that disagrees with the schema", () => {
      const error = parseErrorOf(() => readCsv("id,n\n1,2\n2,abc\n", { schema: ["int64", "int64"] }));
      expect([error.line, error.column]).toEqual([3, 3]);
      expect(error.message).toMatch(/"abc" is not an integer \(column "n" is int64\)/);
      expect(parseErrorOf(() => readCsv("a\n1.5\n", { schema: ["int64"] })).line).toBe(2);
      expect(parseErrorOf(() => readCsv("a\nyes\n", { schema: ["bool"] })).message).toMatch(/boolean/);
      expect(parseErrorOf(() => readCsv("a\n2020-13-01\n", { schema: ["datetime64[ns]"] })).message).toMatch(/date/);
      expect(parseErrorOf(() => readCsv("a\n1x\n", { schema: ["float64"] })).column).toBe(1);
    });

    it("reports a duplicate column name at the second occurrence", () => {
      const error = parseErrorOf(() => readCsv("a,b,a\n1,2,3\n"));
      expect([error.line, error.column]).toEqual([1, 5]);
    });

    it("reports a schema of the wrong length", () => {
      const error = parseErrorOf(() => readCsv("a,b\n1,2\n", { schema: ["int64"] }));
      expect([error.line, error.column]).toEqual([1, 1]);
    });
  });
});
