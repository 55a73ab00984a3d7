// String columns: bytes pooled per column, a dictionary while it pays, UTF-16 ranges right for any text.
import { describe, expect, it } from "vitest";
import { StringStore, type StringValues } from "./stringStore";

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
  const { text, starts, ends } = result.packed;
  return Array.from(starts, (s, r) => text.slice(s, ends[r]));
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

  it("maps byte offsets to UTF-16 offsets for multi-byte and astral characters", () => {
    const values = Array.from({ length: 300 }, (_, i) => ["é", "北京", "🙂x", "", `a${i}`][i % 5] as string);
    expect(strings(fill(values, false))).toEqual(values);
    expect(strings(fill(values, true))).toEqual(values);
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
