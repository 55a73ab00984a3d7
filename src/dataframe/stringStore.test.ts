// String columns: bytes pooled per column, a dictionary while it pays, UTF-16 ranges right for any text.
import { describe, expect, it } from "vitest";
import { Slab } from "./slab";
import { InvalidUtf8Value, packedStart, StringStore, type StringValues } from "./stringStore";

const encoder = new TextEncoder();

function fill(values: string[], dictionary: boolean): StringValues {
  const store = new StringStore(values.length, dictionary);
  values.forEach((v, r) => {
    const bytes = encoder.encode(v);
    store.add(r, bytes, 0, bytes.length);
  });
  return store.finish(values.length);
}

/** Stores `values` as bare fields of a one-column CSV body, as the reader does (addBare). */
function fillBare(values: string[]): StringValues {
  const bytes = encoder.encode(`${values.join("\n")}\n`);
  const store = new StringStore(values.length, true);
  let pos = 0;
  values.forEach((_, r) => {
    pos = store.addBare(r, bytes, pos, bytes.length, 44) + 1;
  });
  return store.finish(values.length);
}

function strings(result: StringValues): string[] {
  if (result.kind === "dictionary") return Array.from(result.codes, (c) => result.dictionary[c] as string);
  if (result.kind === "strings") return result.strings;
  const { packed } = result;
  const decoder = new TextDecoder();
  return Array.from(packed.ends, (end, r) =>
    "text" in packed
      ? packed.text.slice(packedStart(packed, r), end)
      : decoder.decode(packed.bytes.subarray(packedStart(packed, r), end)),
  );
}

describe("StringStore", () => {
  it("keeps a dictionary for repeated values", () => {
    const values = ["a", "b", "a", "", "b", "a"];
    const result = fill(values, true);
    expect(result.kind).toBe("dictionary");
    expect(strings(result)).toEqual(values);
  });

  it("packs when distinct values are more than half the rows, or when asked to", () => {
    expect(fill(["a", "b", "c"], true).kind).toBe("packed");
    expect(fill(["a", "a", "a", "a"], false).kind).toBe("packed");
    expect(strings(fill(["a", "b", "c"], true))).toEqual(["a", "b", "c"]);
  });

  it("gives up the dictionary part way through and keeps every row right", () => {
    const values = Array.from({ length: 20_000 }, (_, i) => (i < 100 ? "same" : `v${i}`));
    const result = fill(values, true);
    expect(result.kind).toBe("packed");
    expect(strings(result)).toEqual(values);
  });

  it("gives up the dictionary while earlier rows are still being filled in (a backfill)", () => {
    const store = new StringStore(10_000, true);
    const put = (row: number, text: string) => store.add(row, encoder.encode(text), 0, encoder.encode(text).length);
    put(9999, "a longer last value");
    for (let r = 0; r < 9999; r++) put(r, `v${r}`);
    const values = strings(store.finish(10_000));
    expect(values[9999]).toBe("a longer last value");
    expect(values.slice(0, 3)).toEqual(["v0", "v1", "v2"]);
    expect(values[9998]).toBe("v9998");
  });

  it("maps byte offsets to UTF-16 offsets for multi-byte and astral characters", () => {
    const values = Array.from({ length: 300 }, (_, i) => ["é", "北京", "🙂x", "", `a${i}`][i % 5] as string);
    expect(strings(fill(values, false))).toEqual(values);
    expect(strings(fill(values, true))).toEqual(values);
  });

  it("hands over rows in order, skipped rows empty, even when some were written out of order", () => {
    const store = new StringStore(6, false);
    const put = (row: number, text: string) => store.add(row, encoder.encode(text), 0, encoder.encode(text).length);
    put(0, "a");
    put(2, "cc"); // row 1 missing
    put(3, "ddd");
    let result = store.finish(4);
    expect(strings(result)).toEqual(["a", "", "cc", "ddd"]);
    expect(result.kind === "packed" && "bytes" in result.packed && result.packed.ascii).toBe(true);
    put(1, "bé"); // a backfill: out of order
    put(5, "f");
    result = store.finish(6);
    expect(strings(result)).toEqual(["a", "bé", "cc", "ddd", "", "f"]);
    expect(result.kind === "packed" && "bytes" in result.packed && new TextDecoder().decode(result.packed.bytes)).toBe(
      "abéccdddf",
    );
  });

  it("reads a bare field as it scans, up to the delimiter", () => {
    const store = new StringStore(2, false);
    const bytes = encoder.encode("ab,cd\nef");
    expect(store.addBare(0, bytes, 0, bytes.length, 44)).toBe(2);
    expect(store.addBare(1, bytes, 3, bytes.length, 44)).toBe(5);
    expect(strings(store.finish(2))).toEqual(["ab", "cd"]);
  });

  it("checks each value for UTF-8 on its own, as it comes in", () => {
    for (const dictionary of [true, false]) {
      const store = new StringStore(2, dictionary);
      expect(() => store.add(0, Uint8Array.of(0xff), 0, 1)).toThrow(InvalidUtf8Value);
      // The two halves of "é" in two rows: valid together, invalid each.
      const split = new StringStore(2, dictionary);
      expect(() => split.add(0, Uint8Array.of(0xc3), 0, 1)).toThrow(InvalidUtf8Value);
      const bare = new StringStore(2, dictionary);
      expect(() => bare.addBare(0, Uint8Array.of(0x61, 0xc3, 0x2c, 0xa9), 0, 4, 44)).toThrow(InvalidUtf8Value);
      const valid = new StringStore(2, dictionary);
      valid.add(0, encoder.encode("é"), 0, 2);
      valid.addBare(1, encoder.encode("🙂,"), 0, 5, 44);
      expect(strings(valid.finish(2))).toEqual(["é", "🙂"]);
    }
  });

  it("costs nothing per column until values arrive, and little for one value", () => {
    const empty = new StringStore(1, true);
    expect(empty.allocatedBytes()).toBe(4); // the one row's code
    empty.add(0, encoder.encode("x"), 0, 1);
    expect(empty.allocatedBytes()).toBeLessThan(100);
    const packed = new StringStore(1, false);
    packed.add(0, encoder.encode("x"), 0, 1);
    expect(packed.allocatedBytes()).toBeLessThan(40);
  });

  it("sizes its index for 512 values at once when every value so far was new, and stays small otherwise", () => {
    const rows = 10_000;
    const unique = new StringStore(rows, true);
    const repeating = new StringStore(rows, true);
    const codes = rows * 4;
    for (let r = 0; r < 40; r++) {
      const id = encoder.encode(`id-${r}`);
      unique.add(r, id, 0, id.length);
      const kind = encoder.encode(`kind-${r % 10}`);
      repeating.add(r, kind, 0, kind.length);
    }
    // 1,024 slots and 512 entries of 3 ints: no rehash before the dictionary is given up at 513 values.
    expect(unique.allocatedBytes() - codes).toBeGreaterThan(1024 * 4 + 512 * 12);
    expect(repeating.allocatedBytes() - codes).toBeLessThan(600);
    const values = Array.from({ length: rows }, (_, r) => `id-${r}`);
    for (let r = 40; r < rows; r++) {
      const id = encoder.encode(values[r] as string);
      unique.add(r, id, 0, id.length);
    }
    expect(unique.gaveUp).toBe(true);
    expect(strings(unique.finish(rows))).toEqual(values);
  });

  it("gives up a column of unique values without growing its index again, its pool grown once for them", () => {
    class Recording extends Slab {
      sizes: number[] = [];
      override u8(length: number): Uint8Array {
        this.sizes.push(length);
        return super.u8(length);
      }
      override i32(length: number): Int32Array {
        this.sizes.push(length);
        return super.i32(length);
      }
    }
    const rows = 10_000;
    const slab = new Recording();
    const hashSlab = new Recording();
    const store = new StringStore(rows, true, slab, hashSlab);
    const add = (r: number) => {
      const id = encoder.encode(`id-${r}`);
      store.add(r, id, 0, id.length);
    };
    for (let r = 0; r < 512; r++) add(r);
    const pools = slab.sizes.length;
    // Doubled while the values might repeat (16, 40, 76 bytes), then sized for the 513 values at once.
    expect(pools).toBeLessThanOrEqual(5);
    const before = hashSlab.sizes.length;
    add(512);
    expect(store.gaveUp).toBe(true);
    expect(hashSlab.sizes.length).toBe(before);
    expect(Math.max(...hashSlab.sizes)).toBeLessThanOrEqual(513 * 3);
  });

  it("finds values that share their first bytes, their ends or the previous row's prefix", () => {
    // Past the row (1,024) from which values are first compared with the two that last began alike: prefixes
    // shared by more than two values, prefixes of each other, one-byte values, values differing in the middle.
    const pool = [
      "ab",
      "abc",
      "abd",
      "a",
      "b",
      "ba",
      "abcdefghij-1-klmnopqrstu",
      "abcdefghij-2-klmnopqrstu",
      "é",
      "éa",
    ];
    const values = Array.from({ length: 3000 }, (_, r) => pool[(r * 7 + (r >> 3)) % pool.length] as string);
    const result = fillBare(values);
    expect(result.kind).toBe("dictionary");
    expect(strings(result)).toEqual(values);
  });

  it("stays right and keeps its dictionary when many values differ only between their first and last 8 bytes", () => {
    // Equal lengths and ends: the quick hash collides on every value until the store hashes every byte.
    const distinct = Array.from({ length: 300 }, (_, i) => `AAAAAAAA${String(i).padStart(6, "0")}ZZZZZZZZ`);
    const values = [...distinct, ...distinct, ...distinct.slice(0, 50)];
    for (const result of [fillBare(values), fill(values, true)]) {
      expect(result.kind).toBe("dictionary");
      expect(strings(result)).toEqual(values);
      if (result.kind === "dictionary") expect(result.dictionary).toEqual(distinct);
    }
  });
});

describe("StringStore that materialises (the thread that keeps the table)", () => {
  const store = (capacity: number, dictionary: boolean) =>
    new StringStore(capacity, dictionary, undefined, undefined, Number.POSITIVE_INFINITY, true);
  const put = (s: StringStore, row: number, text: string) => {
    const bytes = encoder.encode(text);
    s.add(row, bytes, 0, bytes.length);
  };

  it("makes every row's string across many windows: non-ASCII, astral, empty and a value larger than a window", () => {
    // 20,000 rows of ~10 bytes pass both window limits (8,192 rows, 64 KiB) several times.
    const values = Array.from({ length: 20_000 }, (_, i) =>
      i === 9_000 ? "x".repeat(70_000) : i % 7 === 0 ? `é北${i}🙂` : i % 11 === 0 ? "" : `name_${i}`,
    );
    for (const dictionary of [false, true]) {
      const result = fillWith(store(values.length, dictionary), values);
      expect(result.kind).toBe("strings");
      expect(strings(result)).toEqual(values);
    }
  });

  it("keeps a dictionary that pays, and shares one string per distinct value when it does not", () => {
    const repeated = Array.from({ length: 1000 }, (_, i) => `v${i % 10}`);
    expect(fillWith(store(1000, true), repeated).kind).toBe("dictionary");
    // 600 distinct values of 1,000 rows: no dictionary, but rows with one value share its string.
    const values = Array.from({ length: 1000 }, (_, i) => `w${i % 600}`);
    const result = fillWith(store(1000, true), values);
    expect(result.kind).toBe("strings");
    expect(strings(result)).toEqual(values);
  });

  it("gives up a dictionary part way and goes on in windows", () => {
    const values = Array.from({ length: 30_000 }, (_, i) => (i < 100 ? "same" : `v${i}`));
    const result = fillWith(store(30_000, true), values);
    expect(result.kind).toBe("strings");
    expect(strings(result)).toEqual(values);
  });

  it("takes rows skipped in order as empty, also over a whole window, and rows after the last one", () => {
    const s = store(40_000, false);
    put(s, 0, "first");
    put(s, 10_000, "a");
    put(s, 10_001, "b");
    put(s, 30_000, "c");
    const values = strings(s.finish(40_000));
    expect(values).toHaveLength(40_000);
    expect([values[0], values[10_000], values[10_001], values[30_000]]).toEqual(["first", "a", "b", "c"]);
    expect(values.filter((v) => v === "")).toHaveLength(40_000 - 4);
  });

  it("fills rows before a column turned to strings by a backfill in order, skipping missing rows", () => {
    // As the reader does: the main pass from row 20,000, then rows before it, every third one missing.
    const s = store(30_000, false);
    for (let r = 20_000; r < 30_000; r++) put(s, r, `main${r}`);
    for (let r = 0; r < 20_000; r++) if (r % 3 !== 0) put(s, r, `back${r}é`);
    const values = strings(s.finish(30_000));
    const expected = Array.from({ length: 30_000 }, (_, r) =>
      r >= 20_000 ? `main${r}` : r % 3 === 0 ? "" : `back${r}é`,
    );
    expect(values).toEqual(expected);
  });

  it("never blanks a row written before when a later backfill skips over it", () => {
    const s = store(6, false);
    put(s, 0, "a");
    put(s, 2, "cc");
    put(s, 3, "ddd");
    put(s, 1, "bé"); // out of order
    put(s, 4, "e"); // skips over rows 2 and 3, written before
    expect(strings(s.finish(6))).toEqual(["a", "bé", "cc", "ddd", "e", ""]);
  });

  it("grows past its first capacity", () => {
    const s = store(10, false);
    const values = Array.from({ length: 50_000 }, (_, i) => `r${i}`);
    values.forEach((v, r) => {
      if (r === 20_000) s.grow(50_000); // after two windows were made into strings
      put(s, r, v);
    });
    expect(strings(s.finish(50_000))).toEqual(values);
  });
});

function fillWith(store: StringStore, values: string[]): StringValues {
  values.forEach((v, r) => {
    const bytes = encoder.encode(v);
    store.add(r, bytes, 0, bytes.length);
  });
  return store.finish(values.length);
}
