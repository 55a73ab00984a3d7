// Small arrays share chunks; big ones stand alone; every array is zeroed and its own memory.
import { describe, expect, it } from "vitest";
import { Slab } from "./slab";

describe("Slab", () => {
  it("carves small zeroed arrays of every type out of shared chunks, aligned and not overlapping", () => {
    const slab = new Slab();
    const arrays = Array.from({ length: 300 }, (_, i) =>
      i % 4 === 0
        ? slab.u8(1 + (i % 7))
        : i % 4 === 1
          ? slab.u32(1 + (i % 5))
          : i % 4 === 2
            ? slab.i32(1 + (i % 3))
            : slab.f64(1 + (i % 4)),
    );
    expect(new Set(arrays.map((a) => a.buffer)).size).toBeLessThan(20);
    for (const [i, a] of arrays.entries()) {
      expect(a.byteOffset % 8).toBe(0);
      expect(Array.from(a).every((v) => v === 0)).toBe(true);
      a.fill((i % 200) + 1);
    }
    for (const [i, a] of arrays.entries()) expect(Array.from(a).every((v) => v === (i % 200) + 1)).toBe(true);
  });

  it("gives big arrays their own buffer", () => {
    const slab = new Slab();
    const big = slab.u32(10_000);
    expect(big.buffer.byteLength).toBe(40_000);
    expect(slab.f64(1000).byteOffset).toBe(0);
  });
});
