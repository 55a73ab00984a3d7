// Packed tables turn into ColumnTables at once or in slices (same result), and list their buffers to transfer.
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import type { Column } from "../model/columnTable";
import { AbortError } from "../model/errors";
import { SLICE_ROWS, transferables, unpackTable, unpackTableInSlices } from "./packedTable";
import { parsePacked } from "./parseTable";

const csv = Array.from({ length: 120_001 }, (_, i) =>
  i === 0 ? "n,s,c,e" : `${i},s${i},${i % 3 ? "x" : "y"},${i % 2 ? "" : '""'}`,
).join("\n");

describe("packed tables", () => {
  it("unpack in slices to the same table, missing strings as empty", async () => {
    const packed = parsePacked(new TextEncoder().encode(csv));
    const whole = unpackTable(packed);
    const sliced = await unpackTableInSlices(packed);
    // node's deep equality first: vitest's toEqual on 4 x 120,000 cells took 3-6 s on a busy machine (a timeout);
    // it only runs to show the difference.
    if (!isDeepStrictEqual(sliced, whole)) expect(sliced).toEqual(whole);
    const [, s, c, e] = whole.columns as [Column, Column, Column, Column];
    expect((s.values as string[]).slice(0, 2)).toEqual(["s1", "s2"]);
    expect(c.dictionary).toEqual(["x", "y"]);
    expect(Array.from((e.nulls as Uint8Array).subarray(0, 3))).toEqual([1, 0, 1]);
    expect((e.values as string[]).slice(0, 3)).toEqual(["", "", ""]);
  });

  it("materialise at most SLICE_ROWS strings between two yields (no clock: the yields are counted)", async () => {
    const packed = parsePacked(new TextEncoder().encode(csv));
    const strings = packed.columns.filter((c) => !ArrayBuffer.isView(c.values)).length;
    expect(strings).toBe(2); // s (packed bytes) and e (no text); c is a dictionary, n numbers
    let yields = 0;
    const table = await unpackTableInSlices(packed, undefined, async () => {
      yields++;
    });
    expect(table.rowCount).toBe(120_000);
    expect(yields).toBe(Math.floor((strings * 120_000) / SLICE_ROWS));
  });

  it("stop between slices when the signal aborts", async () => {
    const packed = parsePacked(new TextEncoder().encode(csv));
    const controller = new AbortController();
    const pending = unpackTableInSlices(packed, controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it("list each buffer once", () => {
    const packed = parsePacked(new TextEncoder().encode(csv));
    const buffers = transferables(packed);
    // n (values), s (UTF-8 bytes, ends), c (codes), e (ends, nulls; no bytes: its text is "").
    expect(buffers).toHaveLength(6);
    expect(new Set(buffers).size).toBe(buffers.length);
  });
});
