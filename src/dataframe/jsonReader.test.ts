// JSON tables: row objects or column arrays, typed by inference (as rowsToTable) or by a pandas schema.
import { describe, expect, it } from "vitest";
import { tableToRows } from "../model/columnTable";
import { parseTableSync } from "./parseTable";

const json = (value: unknown, options = {}) => parseTableSync(JSON.stringify(value), { format: "json", ...options });

describe("JSON tables", () => {
  it("reads row objects: keys in first-seen order, absent keys missing, types inferred", () => {
    const table = json([
      { a: 1, b: "x" },
      { b: "y", c: true },
      { a: null, c: false, d: { nested: [1] } },
    ]);
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ["a", "number"],
      ["b", "string"],
      ["c", "boolean"],
      ["d", "string"],
    ]);
    expect(tableToRows(table)).toEqual([
      { a: 1, b: "x", c: null, d: null },
      { a: null, b: "y", c: true, d: null },
      { a: null, b: null, c: false, d: '{"nested":[1]}' },
    ]);
  });

  it("reads column arrays the same way", () => {
    const rows = tableToRows(json({ a: [1, 2], s: ["x", null] }));
    expect(rows).toEqual([
      { a: 1, s: "x" },
      { a: 2, s: null },
    ]);
  });

  it("types columns from a schema: pandas to_json dates as epoch ms or ISO, an index first", () => {
    const table = json(
      [
        { i: 0, when: 1577836800000, flag: true, n: 2 },
        { i: 1, when: "2020-01-02T00:00:00Z", flag: null, n: 2.5 },
      ],
      { schema: ["int64", "datetime64[ns]", "bool", "float64"], index: true },
    );
    expect(table.index).toBe("i");
    expect(table.columns.map((c) => [c.type, c.dtype])).toEqual([
      ["number", "int64"],
      ["date", "datetime64[ns]"],
      ["boolean", "bool"],
      ["number", "float64"],
    ]);
    expect(tableToRows(table)[1]).toEqual({ i: 1, when: new Date(Date.UTC(2020, 0, 2)), flag: null, n: 2.5 });
  });

  it("dictionary-encodes repetitive string columns", () => {
    const table = json({ s: ["a", "b", "a", "a", "b", "a"], u: ["1", "2", "3", "4", "5", "6"] });
    expect(table.columns[0]?.dictionary).toEqual(["a", "b"]);
    expect(table.columns[1]?.dictionary).toBeUndefined();
    expect(tableToRows(table).map((r) => r.s)).toEqual(["a", "b", "a", "a", "b", "a"]);
  });

  it("reads an empty array as an empty table and skips a BOM", () => {
    expect(json([])).toEqual({ rowCount: 0, columns: [] });
    expect(parseTableSync('\uFEFF[{"a":1}]', { format: "json" }).rowCount).toBe(1);
  });
});
