import { describe, expect, it } from "vitest";
import type { Column } from "../../../model/columnTable";
import { columnWidth, formatCell } from "./formatCell";

const dates = (...ms: number[]): Column => ({ name: "when", type: "date", values: Float64Array.from(ms) });

describe("formatCell", () => {
  it("shows dates as dates, or date and time", () => {
    const column = dates(Date.UTC(2021, 4, 6), Date.UTC(2021, 4, 6, 13, 45, 10, 500));
    expect(formatCell(column, 0)).toBe("2021-05-06");
    expect(formatCell(column, 1)).toBe("2021-05-06 13:45:10");
  });

  it("shows a date no Date can hold as its number instead of throwing; NaN is missing", () => {
    const column = dates(1e16, -1e16, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN);
    expect([0, 1, 2, 3, 4].map((row) => formatCell(column, row))).toEqual([
      "10000000000000000",
      "-10000000000000000",
      "Infinity",
      "-Infinity",
      null,
    ]);
    expect(columnWidth(column, 5)).toBeGreaterThan(0);
  });
});
