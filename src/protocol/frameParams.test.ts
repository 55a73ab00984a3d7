import { describe, expect, it } from "vitest";
import { lenientFrameParams } from "./frameParams";

describe("lenientFrameParams", () => {
  it("keeps the values a param can hold and drops the rest", () => {
    const raw = JSON.parse(
      '{"message": null, "s": "x", "n": -1.5, "b": false, "t": {"type": "tab"}, "tt": {"type": "tab", "title": "T"},' +
        ' "l": [1], "o": {"a": 1}, "badTab": {"type": "tab", "title": 3}, "": "empty key"}',
    );
    expect(lenientFrameParams(raw)).toEqual({
      s: "x",
      n: -1.5,
      b: false,
      t: { type: "tab" },
      tt: { type: "tab", title: "T" },
    });
  });

  it("takes params that are not an object as none", () => {
    for (const raw of [null, undefined, "x", 1, true, [1, 2]]) expect(lenientFrameParams(raw)).toEqual({});
  });

  it("drops a __proto__ key without touching any prototype", () => {
    const out = lenientFrameParams(JSON.parse('{"__proto__": {"type": "tab"}, "k": "v"}'));
    expect(out).toEqual({ k: "v" });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });
});
