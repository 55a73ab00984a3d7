// String columns: bytes pooled per column, a dictionary while it pays, UTF-16 ranges right for any text.
import { describe, expect, it } from "vitest";
import { packedStart, StringStore, type StringValues } from "./stringStore";

const encoder = new TextEncoder();

function fill(values: string[], dictionary: boolean): StringValues {
  const store = new StringStore(values.length, dictionary);
  values.forEach((v, r) => {
    const bytes = encoder.encode(v);
    store.add(r, bytes, 0, bytes.length);
  });
  return store.finish(values.length);
}

function strings(result: StringValues): string[] {
  if (result.kind === "dictionary") return Array.from(result.codes, (c) => result.dictionary[c] as string);
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

  it("throws on invalid UTF-8 when decoding", () => {
    const store = new StringStore(1, true);
    store.add(0, Uint8Array.of(0xff), 0, 1);
    expect(() => store.finish(1)).toThrow(TypeError);
  });
});
