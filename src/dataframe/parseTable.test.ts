// parsePackedInSlices: when it yields (by the time the slices took, on an injected clock) and when it sees an
// abort (after every slice, yield or not).
import { describe, expect, it } from "vitest";
import { AbortError } from "../model/errors";
import { unpackTable } from "./packedTable";
import { parsePackedInSlices, parseTableSync } from "./parseTable";

const bytes = new TextEncoder().encode(`a,b\n${"12,xy\n".repeat(20_000)}`); // 120 KB: 30 slices of 4 KiB
const SLICE = 4096;

describe("parsePackedInSlices", () => {
  it("yields once 10 ms of slices have run, not after every slice", async () => {
    let clock = 0;
    const yieldsAt: number[] = [];
    let slices = 0;
    const table = await parsePackedInSlices(
      bytes,
      {
        onProgress: () => {
          slices++;
          clock += 4; // every slice takes 4 ms
        },
      },
      { bytes: SLICE, yield: true, now: () => clock, yieldTask: async () => void yieldsAt.push(clock) },
    );
    expect(unpackTable(table)).toEqual(parseTableSync(bytes));
    expect(slices).toBeGreaterThan(25);
    // Every third slice (12 ms): never more than 10 ms plus one slice between yields, and not every slice.
    expect(yieldsAt.length).toBe(Math.floor((slices - 1) / 3));
    let last = 0;
    for (const at of yieldsAt) {
      expect(at - last).toBeGreaterThanOrEqual(10);
      expect(at - last).toBeLessThan(10 + 4);
      last = at;
    }
  });

  it("does not yield while slices are quick, and still sees an abort after the first slice", async () => {
    let yields = 0;
    const quick = { bytes: SLICE, yield: true, now: () => 0, yieldTask: async () => void yields++ };
    await parsePackedInSlices(bytes, {}, quick);
    expect(yields).toBe(0);

    const controller = new AbortController();
    let slices = 0;
    const parse = parsePackedInSlices(
      bytes,
      {
        signal: controller.signal,
        onProgress: () => {
          slices++;
          controller.abort();
        },
      },
      quick,
    );
    await expect(parse).rejects.toBeInstanceOf(AbortError);
    expect(slices).toBe(1);
    expect(yields).toBe(0);
  });
});
