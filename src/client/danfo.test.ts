import { describe, expect, it } from "vitest";
import { fromDataFrame, isDanfoDataFrame, isDanfoSeries, toDataFrame } from "../dataframe/danfo";
import { type ColumnTable, rowsToTable, tableToRows } from "../model/columnTable";
import { createMemoryStore } from "../storage/memoryStore";
import { encodeAttachment } from "./encode";
import { pushFrame } from "./frame";
import { pull } from "./pull";

// danfojs pulls in tfjs: the first import can take a while.
const SLOW = 60_000;

describe("danfojs bridge (node)", () => {
  it(
    "turns a table into a DataFrame with its index, and back",
    async () => {
      const table: ColumnTable = {
        ...rowsToTable([
          { k: "a", n: 1.5, b: true, d: new Date(Date.UTC(2020, 0, 1)), s: "x" },
          { k: "b", n: null, b: false, d: null, s: null },
        ]),
        index: "k",
      };
      const df = await toDataFrame(table);
      expect(df.columns).toEqual(["n", "b", "d", "s"]);
      expect(df.index).toEqual(["a", "b"]);
      expect(df.values).toEqual([
        [1.5, true, new Date(Date.UTC(2020, 0, 1)), "x"],
        [null, false, null, null],
      ]);
      expect(isDanfoDataFrame(df)).toBe(true);
      expect(isDanfoSeries(df)).toBe(false);
      const back = fromDataFrame(df);
      expect(back.index).toBe("");
      expect(tableToRows(back)).toEqual(tableToRows(table).map(({ k, ...rest }) => ({ "": k, ...rest })));
    },
    SLOW,
  );

  it(
    "encodes DataFrames and Series as pandas CSV",
    async () => {
      const { DataFrame, Series } = await import("danfojs");
      const df = new DataFrame({ a: [1, 2], b: ["x", "y"] });
      const encoded = encodeAttachment(df);
      expect(encoded).toMatchObject({
        contentType: "text/csv",
        application: "pandas/dataframe",
        settings: { index: false, schema: ["int64", "object"] },
      });
      const series = new Series([0.5, 1], { columns: ["v"] });
      expect(isDanfoSeries(series)).toBe(true);
      expect(encodeAttachment(series)).toMatchObject({
        application: "pandas/series",
        settings: { schema: ["float64"] },
      });
    },
    SLOW,
  );

  it(
    "pulls a table as a DataFrame",
    async () => {
      const store = createMemoryStore();
      await pushFrame({
        stack: "frames",
        data: [
          { a: 1, b: "x" },
          { a: 2, b: "y" },
        ],
        store,
      });
      const df = (await pull("frames", undefined, { store, as: "dataframe" })) as {
        columns: string[];
        values: unknown[][];
      };
      expect(df.columns).toEqual(["a", "b"]);
      expect(df.values).toEqual([
        [1, "x"],
        [2, "y"],
      ]);
      const empty = await toDataFrame({
        rowCount: 0,
        columns: [{ name: "a", type: "number", values: new Float64Array() }],
      });
      expect(empty.columns).toEqual(["a"]);
    },
    SLOW,
  );
});
