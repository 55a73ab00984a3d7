import { describe, expect, it } from "vitest";
import { type ColumnTable, rowsToTable, tableToRows } from "../model/columnTable";
import { pandasSchema, toCSV } from "./csvWriter";
import { readCsv } from "./testing/referenceCsvReader";

describe("toCSV", () => {
  const table: ColumnTable = {
    rowCount: 4,
    index: "i",
    columns: [
      { name: "s", type: "string", values: ["plain", 'a "q", b', "line\nbreak", ""], nulls: Uint8Array.of(0, 0, 0, 0) },
      { name: "i", type: "number", values: Float64Array.of(0, 1, 2, 3) },
      { name: "x", type: "number", values: Float64Array.of(0.5, Number.NaN, Number.POSITIVE_INFINITY, -1e21) },
      { name: "b", type: "boolean", values: Uint8Array.of(1, 0, 0, 1), nulls: Uint8Array.of(0, 0, 1, 0) },
      { name: "d", type: "date", values: Float64Array.of(0, Date.UTC(2020, 0, 2, 3, 4, 5, 6), Number.NaN, 1) },
      {
        name: "c",
        type: "string",
        values: Uint32Array.of(1, 0, 1, 1),
        dictionary: ["u", "v,w"],
        nulls: Uint8Array.of(0, 0, 0, 1),
      },
    ],
  };

  it("writes RFC 4180 with the index first, pandas booleans, ISO dates and LF line ends", () => {
    expect(toCSV(table)).toBe(
      [
        "i,s,x,b,d,c",
        '0,plain,0.5,True,1970-01-01T00:00:00.000Z,"v,w"',
        '1,"a ""q"", b",,False,2020-01-02T03:04:05.006Z,u',
        '2,"line\nbreak",inf,,,"v,w"',
        '3,"",-1e+21,True,1970-01-01T00:00:00.001Z,',
        "",
      ].join("\n"),
    );
  });

  it("gives the pandas schema in file order", () => {
    expect(pandasSchema(table)).toEqual(["int64", "object", "float64", "boolean", "datetime64[ns]", "object"]);
    expect(pandasSchema(rowsToTable([{ a: 1, b: true, c: 2 ** 60 }]))).toEqual(["int64", "bool", "float64"]);
    expect(
      pandasSchema({
        rowCount: 1,
        columns: [{ name: "a", type: "number", dtype: "int32", values: Float64Array.of(1) }],
      }),
    ).toEqual(["int32"]);
  });

  it("declares pandas' nullable dtype for an int or bool dtype whose column has nulls", () => {
    const column = (dtype: string, nulls?: Uint8Array) => ({
      name: dtype,
      type: dtype === "bool" ? ("boolean" as const) : ("number" as const),
      dtype,
      values: dtype === "bool" ? Uint8Array.of(1, 0) : Float64Array.of(1, 2),
      ...(nulls ? { nulls } : {}),
    });
    const withNull = Uint8Array.of(0, 1);
    const dtypes = ["int64", "int8", "uint8", "uint64", "bool", "float32", "Int64", "object"];
    const table: ColumnTable = { rowCount: 2, columns: dtypes.map((d) => column(d, withNull)) };
    expect(pandasSchema(table)).toEqual(["Int64", "Int8", "UInt8", "UInt64", "boolean", "float32", "Int64", "object"]);
    const full: ColumnTable = { rowCount: 2, columns: dtypes.map((d) => column(d)) };
    expect(pandasSchema(full)).toEqual(dtypes);
  });

  it("round-trips through readCsv with its own schema", () => {
    const text = toCSV(table);
    const back = readCsv(text, { schema: pandasSchema(table), index: true });
    expect(back.index).toBe("i");
    const expected = tableToRows(table);
    expect(tableToRows(back)).toEqual(expected);
  });

  it("quotes header names that need it", () => {
    const t = rowsToTable([{ "a,b": 1, "": 2 }]);
    expect(toCSV(t)).toBe('"a,b",""\n1,2\n');
    expect(readCsv(toCSV(t)).columns.map((c) => c.name)).toEqual(["a,b", ""]);
  });
});
