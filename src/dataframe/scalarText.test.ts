import { describe, expect, it } from "vitest";
import { parseIsoDate } from "./scalarText";

describe("parseIsoDate", () => {
  it("reads naive times as UTC and honours offsets", () => {
    expect(parseIsoDate("2020-01-02 03:04:05")).toBe(Date.UTC(2020, 0, 2, 3, 4, 5));
    expect(parseIsoDate("2020-01-02T03:04:05.123456789")).toBe(Date.UTC(2020, 0, 2, 3, 4, 5, 123));
    expect(parseIsoDate("2020-01-02T03:04+0130")).toBe(Date.UTC(2020, 0, 2, 1, 34));
    expect(parseIsoDate("2020-01-02T03:04:05-05")).toBe(Date.UTC(2020, 0, 2, 8, 4, 5));
    expect(parseIsoDate("0050-03-01")).toBe(new Date("0050-03-01T00:00:00Z").getTime());
  });

  it("rejects impossible dates and other text", () => {
    for (const text of ["2021-02-29", "2020-04-31", "2020-01-01 24:00", "20200101", "2020-1-1", "yesterday"]) {
      expect(parseIsoDate(text)).toBeUndefined();
    }
    expect(parseIsoDate("2020-02-29")).toBe(Date.UTC(2020, 1, 29));
  });
});
