// dstack-kit/dataframe's danfojs bridge and CSV writer on parsed tables (dictionary columns, nulls, an index).
import { describe, expect, it } from "vitest";
import { tableToRows } from "../model/columnTable";
import { fromDataFrame, parseTableSync, toCSV, toDataFrame } from "./index";

// danfojs pulls in tfjs: the first import can take a while.
const SLOW = 60_000;

const CSV =
  ",city,n,ok,when\n0,Zürich,1.5,True,2020-01-01\n1,Zürich,,False,\n2,Genève,3,True,2020-01-03\n3,Zürich,4,True,2020-01-04\n";

describe("toDataFrame / fromDataFrame / toCSV", () => {
  it(
    "round-trips a parsed table through danfojs and CSV",
    async () => {
      const table = parseTableSync(CSV, {
        index: true,
        schema: ["int64", "object", "float64", "bool", "datetime64[ns]"],
      });
      expect(table.columns[1]?.dictionary).toEqual(["Zürich", "Genève"]);
      const df = await toDataFrame(table);
      expect(df.columns).toEqual(["city", "n", "ok", "when"]);
      expect(df.index).toEqual([0, 1, 2, 3]);
      expect(df.values[1]).toEqual(["Zürich", null, false, null]);
      // The default 0..n-1 index is not kept as a column: fromDataFrame drops it, as pandas' index=False.
      const back = fromDataFrame(df);
      expect(tableToRows(back)).toEqual(tableToRows(table).map(({ "": _, ...rest }) => rest));
      expect(tableToRows(parseTableSync(toCSV(back)))).toEqual(tableToRows(back));
    },
    SLOW,
  );

  it("writes CSV that reads back to the same table", () => {
    const table = parseTableSync(CSV, {
      index: true,
      schema: ["int64", "object", "float64", "bool", "datetime64[ns]"],
    });
    const again = parseTableSync(toCSV(table), {
      index: true,
      schema: ["int64", "object", "float64", "bool", "datetime64[ns]"],
    });
    expect(tableToRows(again)).toEqual(tableToRows(table));
  });
});
