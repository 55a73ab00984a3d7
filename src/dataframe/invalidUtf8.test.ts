// Invalid UTF-8 is judged per value, and reported at the input's first invalid byte (line, column and byte
// offset) whatever else is wrong after it or was found before it in the pass.
import { describe, expect, it } from "vitest";
import { ParseError } from "../model/errors";
import { parseTableSync, type TableParseOptions } from "./parseTable";
import { EncodingError } from "./position";
import { seededRandom } from "./testing/tables";
import { firstInvalidUtf8 } from "./utf8";
import { deserializeError, serializeError } from "./workerProtocol";

/** Bytes from text pieces and single bytes. */
function bytes(...parts: Array<string | number>): Uint8Array {
  const encoder = new TextEncoder();
  return Uint8Array.from(parts.flatMap((p) => (typeof p === "number" ? [p] : [...encoder.encode(p)])));
}

function encodingError(input: Uint8Array, options: TableParseOptions = {}) {
  let error: unknown;
  try {
    parseTableSync(input, options);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(EncodingError);
  const { line, column, offset } = error as EncodingError;
  return { line, column, offset };
}

describe("invalid UTF-8", () => {
  it("is not glued across cells: the halves of one character in two rows are two invalid values", () => {
    // Read as ["x", "é", ""] when the column's bytes were validated as a whole.
    expect(encodingError(bytes("a\nx\n", 0xc3, "\n", 0xa9, "\n"))).toEqual({ line: 3, column: 1, offset: 4 });
    // Packed (no dictionary), a dictionary that is kept, quoted fields, two columns of one row.
    expect(encodingError(bytes("a\nx\n", 0xc3, "\n", 0xa9, "\n"), { dictionary: false })).toMatchObject({ line: 3 });
    expect(encodingError(bytes("a\nx\nx\nx\nx\n", 0xc3, "\n", 0xa9, "\n"))).toMatchObject({ line: 6, offset: 10 });
    expect(encodingError(bytes('a\n"x"\n"', 0xc3, '"\n"', 0xa9, '"\n'))).toEqual({ line: 3, column: 2, offset: 7 });
    expect(encodingError(bytes("a,b\nx,y\n", 0xe2, 0x82, ",", 0xac, "\n"))).toEqual({ line: 3, column: 1, offset: 8 });
    // A string column whose earlier rows were typed (re-read after the pass).
    expect(encodingError(bytes("a\n1\n2\nx\n", 0xc3, "\n", 0xa9, "\n"))).toEqual({ line: 5, column: 1, offset: 8 });
  });

  it("is reported at the bad byte itself, not as a syntax or schema error found elsewhere", () => {
    // A syntax error after the bad byte (was: "unexpected character after a closing quote" on line 4).
    expect(encodingError(bytes("a\nx\n", 0xff, '\n"x"y\n'))).toEqual({ line: 3, column: 1, offset: 4 });
    // A syntax error before it: decoding first would have failed, so the answer is the same.
    expect(encodingError(bytes('a\n"x"y\n', 0xff, "\n"))).toEqual({ line: 3, column: 1, offset: 7 });
    // A value the schema rejects before it, and extra fields before it.
    expect(encodingError(bytes("a\nx\n", 0xff, "\n"), { schema: ["int64"] })).toEqual({
      line: 3,
      column: 1,
      offset: 4,
    });
    expect(encodingError(bytes("a\n1,2\n", 0xff, "\n"))).toEqual({ line: 3, column: 1, offset: 6 });
    expect(encodingError(bytes("a\n1\n", 0xff, "\n"), { schema: ["int64", "int64"] })).toMatchObject({ line: 3 });
    // Columns and offsets count a BOM and multi-byte characters as the reference does.
    expect(encodingError(bytes("\uFEFFé,b\r\n🙂x", 0xc0, 0xaf, ",1\n"))).toEqual({ line: 2, column: 4, offset: 14 });
    expect(encodingError(bytes('[{"a": "é', 0xff, '"}]'), { format: "json" })).toEqual({
      line: 1,
      column: 10,
      offset: 10,
    });
  });

  it("keeps its class, position and offset across the worker boundary", () => {
    let error: unknown;
    try {
      parseTableSync(bytes("a\nx\n", 0xff, "\n"));
    } catch (e) {
      error = e;
    }
    const back = deserializeError(serializeError(error));
    expect(back).toBeInstanceOf(EncodingError);
    expect(back).toMatchObject({ line: 3, column: 1, offset: 4, message: (error as Error).message });
    expect(deserializeError(serializeError(new ParseError("x", 1, 2)))).not.toBeInstanceOf(EncodingError);
  });

  it("does not reject valid multi-byte text in any kind of column", () => {
    const text = "s,late,u\né,1,🙂a\nü,2,北\né,zürich,𝄞\n";
    const table = parseTableSync(text);
    expect(table.columns.map((c) => c.type)).toEqual(["string", "string", "string"]);
    expect(parseTableSync(text, { dictionary: false }).rowCount).toBe(3);
  });

  it("firstInvalidUtf8 agrees with a strict TextDecoder on any byte range", () => {
    const random = seededRandom(7);
    const alphabet = [0x61, 0x80, 0xa9, 0xbf, 0xc0, 0xc3, 0xe0, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0x90];
    // Whole characters at the edges of each length (U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000,
    // U+10FFFF) and in between: ranges of random bytes alone are almost never valid beyond "a".
    const characters: number[][] = [
      [0x61],
      [0xc2, 0x80],
      [0xdf, 0xbf],
      [0xc3, 0xa9],
      [0xe0, 0xa0, 0x80],
      [0xed, 0x9f, 0xbf],
      [0xee, 0x80, 0x80],
      [0xef, 0xbf, 0xbf],
      [0xe2, 0x82, 0xac],
      [0xf0, 0x90, 0x80, 0x80],
      [0xf4, 0x8f, 0xbf, 0xbf],
      [0xf0, 0x9f, 0x99, 0x82],
    ];
    const strict = new TextDecoder("utf-8", { fatal: true });
    const count = 20_000;
    const seen = { multiByte: 0, invalid: 0 };
    for (let i = 0; i < count; i++) {
      const input = Uint8Array.from(
        Array.from({ length: Math.floor(random() * 6) }, () =>
          random() < 0.15
            ? [alphabet[Math.floor(random() * alphabet.length)] as number]
            : (characters[Math.floor(random() * characters.length)] as number[]),
        ).flat(),
      );
      // A third of the ranges are the whole input; the others start and end anywhere, mid-character too.
      const whole = random() < 0.3;
      const from = whole ? 0 : Math.floor(random() * (input.length + 1));
      const to = whole ? input.length : from + Math.floor(random() * (input.length - from + 1));
      let valid = true;
      try {
        strict.decode(input.subarray(from, to));
      } catch {
        valid = false;
      }
      expect(firstInvalidUtf8(input, from, to) < 0, Array.from(input.subarray(from, to)).join(" ")).toBe(valid);
      if (!valid) seen.invalid++;
      else if (input.subarray(from, to).some((b) => b >= 0x80)) seen.multiByte++;
    }
    // Both answers were checked: invalid ranges, and valid ones holding multi-byte characters (not only "a" or "").
    expect(seen.multiByte).toBeGreaterThan(count * 0.15);
    expect(seen.invalid).toBeGreaterThan(count * 0.3);
  });
});
