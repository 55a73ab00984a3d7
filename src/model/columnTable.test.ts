import { describe, expect, it } from "vitest";
import { type ColumnTable, columnValue, isColumnTable, isRowArray, rowsToTable, tableToRows } from "./columnTable";
import { UnsupportedObjectError } from "./errors";

describe("columnValue / tableToRows", () => {
  const table: ColumnTable = {
    rowCount: 3,
    index: "",
    columns: [
      { name: "", type: "number", values: Float64Array.of(0, 1, 2) },
      { name: "n", type: "number", values: Float64Array.of(1.5, Number.NaN, 3), nulls: Uint8Array.of(0, 1, 0) },
      { name: "b", type: "boolean", values: Uint8Array.of(1, 0, 0), nulls: Uint8Array.of(0, 0, 1) },
      { name: "d", type: "date", values: Float64Array.of(0, Number.NaN, 86_400_000) },
      {
        name: "c",
        type: "string",
        values: Uint32Array.of(1, 1, 0),
        dictionary: ["x", "y"],
        nulls: Uint8Array.of(0, 0, 1),
      },
      { name: "s", type: "string", values: ["a", "", "c"] },
    ],
  };

  it("resolves nulls, dates and dictionary codes", () => {
    expect(isColumnTable(table)).toBe(true);
    expect(columnValue(table.columns[4]!, 0)).toBe("y");
    expect(columnValue(table.columns[3]!, 2)).toEqual(new Date(86_400_000));
    expect(tableToRows(table)).toEqual([
      { "": 0, n: 1.5, b: true, d: new Date(0), c: "y", s: "a" },
      { "": 1, n: null, b: false, d: null, c: "y", s: "" },
      { "": 2, n: 3, b: null, d: new Date(86_400_000), c: null, s: "c" },
    ]);
  });

  it("rejects malformed tables", () => {
    expect(isColumnTable({ rowCount: 1, columns: [{ name: "a", type: "number", values: [1] }] })).toBe(false);
    expect(isColumnTable({ rowCount: 2, columns: [{ name: "a", type: "number", values: Float64Array.of(1) }] })).toBe(
      false,
    );
    expect(isColumnTable({ rowCount: 0, columns: [], index: "nope" })).toBe(false);
    expect(
      isColumnTable({
        rowCount: 1,
        columns: [{ name: "a", type: "string", values: Uint32Array.of(2), dictionary: ["x"] }],
      }),
    ).toBe(false);
    expect(isColumnTable([{ a: 1 }])).toBe(false);
  });
});

describe("rowsToTable", () => {
  it("unions keys in first-seen order and infers types", () => {
    const when = new Date(Date.UTC(2020, 0, 1));
    const table = rowsToTable([
      { a: 1, b: true, c: when, d: "x" },
      { a: null, e: { nested: [1] }, d: 2 },
      { a: Number.NaN, b: false, c: undefined, e: "text" },
    ]);
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ["a", "number"],
      ["b", "boolean"],
      ["c", "date"],
      ["d", "string"],
      ["e", "string"],
    ]);
    expect(tableToRows(table)).toEqual([
      { a: 1, b: true, c: when, d: "x", e: null },
      { a: null, b: null, c: null, d: "2", e: '{"nested":[1]}' },
      { a: null, b: false, c: null, d: null, e: "text" },
    ]);
  });

  it("refuses an empty array with a clear message", () => {
    expect(() => rowsToTable([])).toThrow(UnsupportedObjectError);
    expect(() => rowsToTable([])).toThrow(/empty array/);
  });

  it("refuses circular cells", () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => rowsToTable([{ a: loop }])).toThrow(UnsupportedObjectError);
  });

  it("refuses cells JSON would silently empty", () => {
    expect(() => rowsToTable([{ a: new Map([[1, 2]]) }])).toThrow(/column "a" holds a Map/);
  });

  it("recognises arrays of plain row objects", () => {
    expect(isRowArray([{ a: 1 }, Object.create(null)])).toBe(true);
    expect(isRowArray([])).toBe(false);
    expect(isRowArray([{ a: 1 }, [1]])).toBe(false);
    expect(isRowArray([new Map()])).toBe(false);
  });
});

describe("column names from Object.prototype", () => {
  it("round-trip through rows as own keys, never as a prototype", () => {
    const table: ColumnTable = {
      rowCount: 1,
      columns: [
        { name: "__proto__", type: "string", values: ["polluted"] },
        { name: "constructor", type: "number", values: new Float64Array([1]) },
      ],
    };
    const [row] = tableToRows(table);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row as object)).toEqual(["__proto__", "constructor"]);
    expect(JSON.stringify(row)).toBe('{"__proto__":"polluted","constructor":1}');
    expect(rowsToTable([row as Record<string, unknown>]).columns.map((c) => c.name)).toEqual([
      "__proto__",
      "constructor",
    ]);
  });
});
