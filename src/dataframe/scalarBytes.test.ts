// The byte fast paths agree with the string functions they shortcut: Number() for decimal literals,
// parseIsoDate for dates, /true|false/i for booleans. When they do not handle a literal they say so (-1/false).
import { describe, expect, it } from "vitest";
import { scanBoolean, scanDate, scanNumber } from "./scalarBytes";
import { parseIsoDate } from "./scalarText";
import { seededRandom } from "./testing/tables";

const bytes = (text: string) => new TextEncoder().encode(text);

function readNumber(text: string): number | undefined {
  const b = bytes(text);
  const out = new Float64Array(1);
  return scanNumber(b, 0, b.length, out, 0) === b.length ? (out[0] as number) : undefined;
}

describe("scanNumber", () => {
  it("reads decimal literals exactly as Number() does", () => {
    const random = seededRandom(3);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
    const count = 20_000;
    let fast = 0;
    for (let i = 0; i < count; i++) {
      const sign = ["", "-", "+"][Math.floor(random() * 3)];
      const int = digits(Math.floor(random() * 9));
      const frac = random() < 0.6 ? `.${digits(Math.floor(random() * 9))}` : "";
      const exp = random() < 0.3 ? `e${["", "-", "+"][Math.floor(random() * 3)]}${Math.floor(random() * 30)}` : "";
      const text = `${sign}${int}${frac}${exp}`;
      const value = readNumber(text);
      if (value === undefined) continue;
      fast++;
      expect(Object.is(value, Number(text)), text).toBe(true);
    }
    // The comparison above only runs where the fast path took the literal: it must have taken most of them
    // (the rest are "", ".", "+", over 15 digits, exponents past 22: the slow path's).
    expect(fast).toBeGreaterThan(count * 0.8);
  });

  it("handles the common shapes and leaves the rest to the slow path", () => {
    expect(readNumber("-0")).toBe(-0);
    expect(readNumber("5.")).toBe(5);
    expect(readNumber(".5")).toBe(0.5);
    expect(readNumber("0.1")).toBe(0.1);
    expect(readNumber("1e22")).toBe(1e22);
    expect(readNumber("123456789012345")).toBe(123456789012345);
    for (const slow of ["1234567890123456", "1e23", "1e-23", ".", "-", "+.", "1e", "1e+", "e5", "nan", " 1", "0x1"]) {
      expect(readNumber(slow), slow).toBeUndefined();
    }
  });

  it("leaves fractions and exponents to the slow path when only integers are wanted (int* schema columns)", () => {
    const out = new Float64Array(1);
    const integer = (text: string) => {
      const b = bytes(text);
      return scanNumber(b, 0, b.length, out, 0, true) === b.length ? (out[0] as number) : undefined;
    };
    expect(integer("42")).toBe(42);
    expect(integer("-7")).toBe(-7);
    expect(integer("42.0")).toBeUndefined();
    expect(integer("4e2")).toBeUndefined();
    expect(readNumber("42.0")).toBe(42);
  });

  it("stops at the first byte that cannot continue the literal", () => {
    const b = bytes("12.5,x");
    const out = new Float64Array(1);
    expect(scanNumber(b, 0, b.length, out, 0)).toBe(4);
    expect(out[0]).toBe(12.5);
  });
});

describe("scanDate", () => {
  const readDate = (text: string) => {
    const b = bytes(text);
    const out = new Float64Array(1);
    return scanDate(b, 0, b.length, out, 0) ? out[0] : undefined;
  };

  it("gives Date's day for the first and last days of every month of years 0000-9999", () => {
    const two = (n: number) => String(n).padStart(2, "0");
    const day = new Date(0);
    const wrong: string[] = [];
    let checked = 0;
    for (let year = 0; year <= 9999; year++) {
      for (let month = 1; month <= 12; month++) {
        for (const d of [1, 28, 29, 30, 31]) {
          day.setUTCFullYear(year, month - 1, d);
          const real = day.getUTCDate() === d;
          const text = `${String(year).padStart(4, "0")}-${two(month)}-${two(d)}`;
          if (readDate(text) !== (real ? day.getTime() : undefined)) wrong.push(text);
          checked++;
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
    expect(checked).toBe(600_000);
  }, 30_000);

  it("agrees with parseIsoDate on the forms it handles", () => {
    const random = seededRandom(5);
    const two = (n: number) => String(n).padStart(2, "0");
    const count = 5000;
    let dates = 0;
    for (let i = 0; i < count; i++) {
      const y = String(Math.floor(random() * 10_000)).padStart(4, "0");
      let text = `${y}-${two(Math.floor(random() * 14))}-${two(Math.floor(random() * 32))}`;
      if (random() < 0.7) {
        text += `${["T", " ", "t"][Math.floor(random() * 3)]}${two(Math.floor(random() * 25))}:${two(Math.floor(random() * 61))}`;
        if (random() < 0.7) text += `:${two(Math.floor(random() * 61))}`;
        if (random() < 0.4) text += `.${String(Math.floor(random() * 1e9)).slice(0, 1 + Math.floor(random() * 9))}`;
      }
      if (random() < 0.3) text += random() < 0.5 ? "Z" : "z";
      const value = readDate(text);
      // These forms are all the fast path's: it must give parseIsoDate's answer, "not a date" included.
      expect(value, text).toBe(parseIsoDate(text));
      if (value !== undefined) dates++;
    }
    // Both answers must have been checked: real dates read by the fast path, and impossible ones refused.
    expect(dates).toBeGreaterThan(count * 0.4);
    expect(dates).toBeLessThan(count * 0.9);
  });

  it("leaves offsets and spaces to parseIsoDate", () => {
    expect(readDate("2020-01-01T00:00:00+02:00")).toBeUndefined();
    expect(readDate(" 2020-01-01")).toBeUndefined();
    expect(readDate("2020-01-01")).toBe(Date.UTC(2020, 0, 1));
    expect(readDate("0001-02-03T04:05:06.7")).toBe(parseIsoDate("0001-02-03T04:05:06.7"));
    expect(readDate("2020-02-30")).toBeUndefined();
  });
});

describe("scanBoolean", () => {
  it("reads true and false in any case, nothing else", () => {
    const read = (t: string) => scanBoolean(bytes(t), 0, bytes(t).length);
    expect(["true", "TRUE", "True", "tRuE"].map(read)).toEqual([1, 1, 1, 1]);
    expect(["false", "FALSE", "False"].map(read)).toEqual([0, 0, 0]);
    expect(["t", "yes", "1", "truex", " true", "fals"].map(read)).toEqual([-1, -1, -1, -1, -1, -1]);
  });
});
