import { runInNewContext } from "node:vm";
import { describe, expect, it, vi } from "vitest";
import { InvalidRequestError } from "./errors";
import { MAX_TIMESTAMP_MS, normalizePush } from "./normalizePush";

const part = { data: new Uint8Array([1]), contentType: "x/y" };
const at = (timestamp: unknown) =>
  normalizePush({ stack: "times", attachments: [part], timestamp: timestamp as number }, "u").timestamp;

describe("normalizePush", () => {
  it("accepts bytes from another realm and refuses other typed arrays", async () => {
    const foreign = runInNewContext("new Uint8Array([1, 2, 3])") as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    const push = normalizePush({ stack: "realm", attachments: [{ data: foreign, contentType: "x/y" }] }, "u");
    expect(new Uint8Array(await push.attachments[0]!.blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(() =>
      normalizePush(
        { stack: "realm", attachments: [{ data: new Float64Array(1) as unknown as Uint8Array, contentType: "x/y" }] },
        "u",
      ),
    ).toThrow(InvalidRequestError);
  });

  it("keeps timestamps a Date can hold, down to the last millisecond of its range", () => {
    expect(MAX_TIMESTAMP_MS).toBe(8.64e15);
    for (const t of [0, 1, -1, 1_600_000_000_000, 1.5, 8.64e15, -8.64e15]) expect(at(t)).toBe(t);
    // The bounds are the Date range itself: one millisecond further is an Invalid Date.
    expect(new Date(8.64e15).getTime()).toBe(8.64e15);
    expect(new Date(8.64e15 + 1).getTime()).toBeNaN();
  });

  it("refuses timestamps a Date cannot hold, naming the field", () => {
    const bad = [1e16, -1e16, 8.64e15 + 1, -8.64e15 - 1, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.NaN];
    for (const t of [...bad, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, "1000", 10n, {}]) {
      let error: unknown;
      try {
        at(t);
      } catch (e) {
        error = e;
      }
      expect(error, String(t)).toBeInstanceOf(InvalidRequestError);
      expect((error as Error).message, String(t)).toMatch(/^timestamp must be /);
    }
    expect(() => at(1e16)).toThrow(
      "timestamp must be epoch milliseconds within ±8640000000000000 (what a Date can hold), got 10000000000000000",
    );
    expect(() => at(Number.NaN)).toThrow("timestamp must be a finite number of epoch milliseconds, got NaN");
    expect(() => at("1000")).toThrow('got "1000"');
  });

  it("stamps a push without a timestamp with the current time", () => {
    const now = vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_123);
    try {
      expect(at(undefined)).toBe(1_700_000_000_123);
    } finally {
      now.mockRestore();
    }
  });
});
