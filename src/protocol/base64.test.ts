import { describe, expect, it } from "vitest";
import { base64Length, decodeBase64, decodeBase64Portable, encodeBase64, encodeBase64Portable } from "./base64";

const samples = [0, 1, 2, 3, 4, 5, 255, 256, 70_000].map((n) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 131 + 7) % 256),
);

describe("wire base64", () => {
  it("round-trips bytes on the Buffer path and the portable path alike", () => {
    for (const bytes of samples) {
      const text = encodeBase64(bytes);
      expect(encodeBase64Portable(bytes)).toBe(text);
      expect(text.length).toBe(base64Length(bytes.length));
      expect(decodeBase64(text)).toEqual(bytes);
      expect(decodeBase64Portable(text)).toEqual(bytes);
    }
  });

  it("encodes a view into a larger buffer without the bytes around it", () => {
    const big = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    expect(encodeBase64(big.subarray(2, 4))).toBe(encodeBase64(Uint8Array.from([3, 4])));
  });

  it("accepts unpadded input, as some clients send it", () => {
    expect(decodeBase64("YQ")).toEqual(new TextEncoder().encode("a"));
    expect(decodeBase64Portable("YWI")).toEqual(new TextEncoder().encode("ab"));
  });

  it("rejects what is not base64 instead of dropping characters", () => {
    for (const bad of ["a", "YQ=", "Y===", "YQ==YQ==", "Y Q==", "YQ\n==", "Y-_a", "é", "YQ%3D"]) {
      expect(decodeBase64(bad), bad).toBeUndefined();
      expect(decodeBase64Portable(bad), bad).toBeUndefined();
    }
  });
});
