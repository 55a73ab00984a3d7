import { describe, expect, it } from "vitest";
import { rowsToTable } from "../../../model/columnTable";
import { nextSort, sortOrder } from "./tableSort";

const table = rowsToTable([
  { n: 3, s: "b", when: new Date("2020-01-03"), ok: true },
  { n: null, s: "a", when: null, ok: false },
  { n: 1, s: null, when: new Date("2020-01-01"), ok: true },
  { n: 2, s: "c", when: new Date("2020-01-02"), ok: null },
  { n: 1, s: "a", when: new Date("2020-01-01"), ok: false },
]);
const col = (name: string) => table.columns.findIndex((c) => c.name === name);

describe("sortOrder", () => {
  it("sorts numbers both ways, missing last, ties in original order", () => {
    expect([...sortOrder(table, { column: col("n"), direction: "ascending" })]).toEqual([2, 4, 3, 0, 1]);
    expect([...sortOrder(table, { column: col("n"), direction: "descending" })]).toEqual([0, 3, 2, 4, 1]);
  });

  it("sorts strings, dates and booleans", () => {
    expect([...sortOrder(table, { column: col("s"), direction: "ascending" })]).toEqual([1, 4, 0, 3, 2]);
    expect([...sortOrder(table, { column: col("when"), direction: "descending" })]).toEqual([0, 3, 2, 4, 1]);
    expect([...sortOrder(table, { column: col("ok"), direction: "ascending" })]).toEqual([1, 4, 0, 2, 3]);
  });

  it("sorts dictionary-encoded strings by their text", () => {
    const dict = {
      rowCount: 4,
      columns: [
        {
          name: "city",
          type: "string" as const,
          dictionary: ["Rome", "Austin", "Oslo"],
          values: new Uint32Array([0, 1, 2, 1]),
        },
      ],
    };
    expect([...sortOrder(dict, { column: 0, direction: "ascending" })]).toEqual([1, 3, 2, 0]);
  });

  it("cycles ascending → descending → off, and restarts on another column", () => {
    expect(nextSort(null, 1)).toEqual({ column: 1, direction: "ascending" });
    expect(nextSort({ column: 1, direction: "ascending" }, 1)).toEqual({ column: 1, direction: "descending" });
    expect(nextSort({ column: 1, direction: "descending" }, 1)).toBeNull();
    expect(nextSort({ column: 1, direction: "descending" }, 2)).toEqual({ column: 2, direction: "ascending" });
  });
});
