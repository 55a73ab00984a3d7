// pandas' missing values: the kit reads pandas attachments as pandas' read_csv does (fixtures: bytes pandas 1.5
// writes through dstack-py, testing/pandasCsv.ts), keeps plain CSV as it was, and reads its own pushes as pandas
// reads them.
import { describe, expect, it } from "vitest";
import { decodeAttachment } from "../client/decode";
import { encodeAttachment } from "../client/encode";
import { type ColumnTable, tableToRows } from "../model/columnTable";
import type { AttachmentInfo } from "../model/types";
import { isPandasTable, PANDAS_1_NA_VALUES, PANDAS_NA_VALUES, pandasNaValues } from "./pandasNa";
import { createTableParser } from "./tableParser";
import {
  PANDAS_CODES_CSV,
  PANDAS_FRAME_CSV,
  PANDAS_FRAME_INFO,
  PANDAS_FRAME_ROWS,
  PANDAS_NA_REP_CSV,
  PANDAS_NA_REP_INFO,
  PANDAS_NA_REP_ROWS,
  PANDAS_SERIES_CSV,
  PANDAS_SERIES_INFO,
  PANDAS_SERIES_ROWS,
  pandasCodesInfo,
} from "./testing/pandasCsv";
import { normalize } from "./testing/tables";

const blob = (text: string) => new Blob([text]);

async function rows(info: AttachmentInfo, text: string) {
  return tableToRows((await decodeAttachment(info, blob(text))) as ColumnTable);
}

describe("pandas' NA strings", () => {
  it("are read_csv's defaults: 18 in pandas 1.x, and None from pandas 2.0 on", () => {
    expect(PANDAS_1_NA_VALUES).toHaveLength(18);
    expect(new Set(PANDAS_1_NA_VALUES).size).toBe(18);
    expect(PANDAS_NA_VALUES).toEqual([...PANDAS_1_NA_VALUES, "None"]);
    expect(pandasNaValues("1.5.3")).toBe(PANDAS_1_NA_VALUES);
    expect(pandasNaValues("0.25.1")).toBe(PANDAS_1_NA_VALUES);
    expect(pandasNaValues("2.2.2")).toBe(PANDAS_NA_VALUES);
    expect(pandasNaValues(undefined)).toBe(PANDAS_NA_VALUES);
    expect(pandasNaValues("dev")).toBe(PANDAS_NA_VALUES);
  });

  it("apply to pandas/dataframe, pandas/series and CSV with a pandas schema", () => {
    expect(isPandasTable({ application: "pandas/dataframe" })).toBe(true);
    expect(isPandasTable({ application: "pandas/series" })).toBe(true);
    expect(isPandasTable({ settings: { schema: ["float64"] } })).toBe(true);
    expect(isPandasTable({})).toBe(false);
    expect(isPandasTable({ application: "csv", settings: { filename: "a.csv" } })).toBe(false);
  });
});

describe("decoding what pandas wrote", () => {
  it("a DataFrame with None, NaN and pd.NA in object, string, Int64 and boolean columns, NaN and NaT", async () => {
    const table = (await decodeAttachment(PANDAS_FRAME_INFO, blob(PANDAS_FRAME_CSV))) as ColumnTable;
    expect(table.columns.map((c) => [c.name, c.type])).toEqual([
      ["", "number"],
      ["obj", "string"],
      ["str", "string"],
      ["n", "number"],
      ["flag", "boolean"],
      ["x", "number"],
      ["when", "date"],
    ]);
    expect(tableToRows(table)).toEqual(PANDAS_FRAME_ROWS);
  });

  it("the same through a table parser, and as rows", async () => {
    const parser = createTableParser({ workers: 0 });
    const viaParser = (await decodeAttachment(PANDAS_FRAME_INFO, blob(PANDAS_FRAME_CSV), { parser })) as ColumnTable;
    const inThread = (await decodeAttachment(PANDAS_FRAME_INFO, blob(PANDAS_FRAME_CSV))) as ColumnTable;
    expect(normalize(viaParser)).toEqual(normalize(inThread));
    expect(await decodeAttachment(PANDAS_FRAME_INFO, blob(PANDAS_FRAME_CSV), { as: "rows" })).toEqual(
      PANDAS_FRAME_ROWS,
    );
  });

  it("a Series with None and NaN", async () => {
    expect(await rows(PANDAS_SERIES_INFO, PANDAS_SERIES_CSV)).toEqual(PANDAS_SERIES_ROWS);
  });

  it("strings pandas takes for NA markers, by the pandas version that wrote them", async () => {
    const codes = (r: Record<string, unknown>[]) => r.map((row) => row.code);
    const markers = [null, null, null, null, null, null, null, null, null];
    expect(codes(await rows(pandasCodesInfo("1.5.3"), PANDAS_CODES_CSV))).toEqual([...markers, "None", "ok"]);
    expect(codes(await rows(pandasCodesInfo("2.1.0"), PANDAS_CODES_CSV))).toEqual([...markers, null, "ok"]);
  });

  it("NA markers in float64, Int64, boolean and datetime64 columns of a pandas schema", async () => {
    expect(await rows(PANDAS_NA_REP_INFO, PANDAS_NA_REP_CSV)).toEqual(PANDAS_NA_REP_ROWS);
    const settings = { schema: ["float64", "Int64", "boolean", "datetime64[ns]", "object"] };
    const text = 'x,n,b,d,s\nNaN,nan,N/A,NULL,#N/A\n-1.#IND,<NA>,NA,#NA,n/a\n"",-nan,null,1.#QNAN,"-NaN"\n';
    expect(await rows({ ...PANDAS_NA_REP_INFO, settings }, text)).toEqual([
      { x: null, n: null, b: null, d: null, s: null },
      { x: null, n: null, b: null, d: null, s: null },
      { x: null, n: null, b: null, d: null, s: null },
    ]);
  });

  it("a pandas table without a schema: NA markers do not turn a number column into strings", async () => {
    const info: AttachmentInfo = { ...PANDAS_FRAME_INFO, settings: { index: false } };
    const table = (await decodeAttachment(info, blob('x,s\n"NaN","a"\n"1.5","NA"\n"","b"\n"N/A",""\n'))) as ColumnTable;
    expect(table.columns.map((c) => c.type)).toEqual(["number", "string"]);
    expect(tableToRows(table)).toEqual([
      { x: null, s: "a" },
      { x: 1.5, s: null },
      { x: null, s: "b" },
      { x: null, s: null },
    ]);
  });

  it("plain text/csv keeps its rules: a quoted empty field is the empty string, NA a string", async () => {
    const info: AttachmentInfo = { index: 0, contentType: "text/csv", params: {}, length: 0 };
    expect(await rows(info, 's,t\n"",NA\n,x\n')).toEqual([
      { s: "", t: "NA" },
      { s: null, t: "x" },
    ]);
  });
});

describe("what the kit pushes reads back as pandas reads it", () => {
  const table: ColumnTable = {
    rowCount: 5,
    columns: [
      {
        name: "s",
        type: "string",
        values: ["a", "", "", "NA", "None"],
        nulls: Uint8Array.of(0, 1, 0, 0, 0),
      },
      {
        name: "x",
        type: "number",
        values: Float64Array.of(1.5, Number.NaN, 2, 0, 3),
        nulls: Uint8Array.of(0, 0, 0, 1, 0),
      },
      {
        name: "n",
        type: "number",
        dtype: "int64",
        values: Float64Array.of(1, 2, 0, 4, 5),
        nulls: Uint8Array.of(0, 0, 1, 0, 0),
      },
      {
        name: "b",
        type: "boolean",
        dtype: "bool",
        values: Uint8Array.of(1, 0, 0, 1, 1),
        nulls: Uint8Array.of(1, 0, 0, 0, 0),
      },
      { name: "d", type: "date", values: Float64Array.of(0, Number.NaN, 86_400_000, 0, 0) },
    ],
  };

  it("writes null and NaN as empty fields, and declares nullable dtypes for columns with nulls", () => {
    const push = encodeAttachment(table);
    expect(push.application).toBe("pandas/dataframe");
    // int64 and bool cannot hold a missing value in pandas: astype("int64") fails on NaN, astype(bool) makes True.
    expect(push.settings?.schema).toEqual(["object", "float64", "Int64", "boolean", "datetime64[ns]"]);
    expect(new TextDecoder().decode(push.data as Uint8Array)).toBe(
      [
        "s,x,n,b,d",
        "a,1.5,1,,1970-01-01T00:00:00.000Z",
        ",,2,False,",
        '"",2,,False,1970-01-02T00:00:00.000Z',
        "NA,,4,True,1970-01-01T00:00:00.000Z",
        "None,3,5,True,1970-01-01T00:00:00.000Z",
        "",
      ].join("\n"),
    );
  });

  it("reads back null, the empty string and NA markers as missing, as pandas' read_csv does", async () => {
    const push = encodeAttachment(table);
    const info: AttachmentInfo = {
      index: 0,
      contentType: push.contentType,
      ...(push.application ? { application: push.application } : {}),
      params: {},
      ...(push.settings ? { settings: push.settings } : {}),
      length: 0,
    };
    const back = (await decodeAttachment(info, new Blob([push.data as Uint8Array<ArrayBuffer>]))) as ColumnTable;
    // No pandas version in the kit's settings: pandas 2's set, where "None" is missing too.
    expect(tableToRows(back)).toEqual([
      { s: "a", x: 1.5, n: 1, b: null, d: new Date(0) },
      { s: null, x: null, n: 2, b: false, d: null },
      { s: null, x: 2, n: null, b: false, d: new Date(86_400_000) },
      { s: null, x: null, n: 4, b: true, d: new Date(0) },
      { s: null, x: 3, n: 5, b: true, d: new Date(0) },
    ]);
    expect(back.columns.map((c) => c.dtype)).toEqual(["object", "float64", "Int64", "boolean", "datetime64[ns]"]);
  });
});
