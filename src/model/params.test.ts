import { describe, expect, it } from "vitest";
import { InvalidRequestError } from "./errors";
import { encodeParamValue, paramsEqual, paramsSignature, validateParams } from "./params";

describe("params", () => {
  it("accepts strings, finite numbers, booleans and tabs", () => {
    const params = { a: "x", b: 0.5, c: false, T: { type: "tab" as const, title: "Tab" } };
    expect(validateParams(params)).toEqual(params);
    expect(validateParams(undefined)).toEqual({});
  });

  it.each([
    [{ a: null }, /a must be .* got null/],
    [{ a: [1] }, /got an array/],
    [{ a: { b: 1 } }, /got object/],
    [{ a: Number.NaN }, /finite number/],
    [{ a: undefined }, /got undefined/],
    [{ T: { type: "tab", title: 3 } }, /title must be a string/],
    [[1, 2], /must be an object/],
    ["str", /must be an object/],
  ])("rejects %j with a message naming the key", (params, message) => {
    expect(() => validateParams(params)).toThrow(InvalidRequestError);
    expect(() => validateParams(params)).toThrow(message);
  });

  it("keeps 1, '1' and true apart and ignores key order", () => {
    expect(new Set([encodeParamValue(1), encodeParamValue("1"), encodeParamValue(true)]).size).toBe(3);
    expect(paramsSignature({ a: 1, b: "x" })).toBe(paramsSignature({ b: "x", a: 1 }));
    expect(paramsEqual({ a: 1 }, { a: "1" })).toBe(false);
    expect(paramsEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(paramsEqual({ a: -0 }, { a: 0 })).toBe(true);
  });
});

describe("keys that name Object.prototype members", () => {
  it("refuses __proto__ (as JSON.parse makes it) and keeps constructor/toString as plain own keys", () => {
    const hostile = JSON.parse('{"__proto__": {"type": "tab"}, "x": 1}');
    expect(() => validateParams(hostile)).toThrow(/cannot have a key named "__proto__"/);
    const named = validateParams(JSON.parse('{"constructor": 1, "toString": "a"}'));
    expect(Object.getPrototypeOf(named)).toBe(Object.prototype);
    expect(named).toEqual({ constructor: 1, toString: "a" });
  });
});
