// `naValues`: field texts that are missing values in every column (pandas' read_csv defaults for pandas tables).
// Typed columns check a field only on their slow path (a value the fast byte scanners did not take); string
// columns are checked once, after the pass: a dictionary's distinct values, or packed rows no longer than the
// longest NA string, so the hot loops stay as they are.

import { BOOLEAN, parseIsoDate, parseNumber } from "./scalarText";
import type { StringValues } from "./stringStore";

const encoder = new TextEncoder();

export class NaMatcher {
  /** `""` is one of them: an empty quoted field is missing in string columns too. */
  readonly empty: boolean;
  /**
   * Some value is a literal the fast scanners accept (a number other than NaN, a boolean, a date): typed fields
   * must then be checked before they are scanned. pandas' defaults are not.
   */
  readonly typed: boolean;
  private readonly texts: ReadonlySet<string>;
  /** UTF-8 bytes of the values by byte length. */
  private readonly byLength: Uint8Array[][] = [];
  private readonly maxBytes: number;

  constructor(values: readonly string[]) {
    this.texts = new Set(values);
    this.empty = this.texts.has("");
    let maxBytes = 0;
    let typed = false;
    for (const value of this.texts) {
      const bytes = encoder.encode(value);
      const bucket = this.byLength[bytes.length] ?? [];
      bucket.push(bytes);
      this.byLength[bytes.length] = bucket;
      maxBytes = Math.max(maxBytes, bytes.length);
      const n = parseNumber(value);
      if ((n !== undefined && !Number.isNaN(n)) || BOOLEAN.test(value.trim()) || parseIsoDate(value) !== undefined) {
        typed = true;
      }
    }
    this.maxBytes = maxBytes;
    this.typed = typed;
  }

  /** Whether the field `src[s, e)` is one of the values. */
  matches(src: Uint8Array, s: number, e: number): boolean {
    const length = e - s;
    if (length > this.maxBytes) return false;
    const bucket = this.byLength[length];
    if (bucket === undefined) return false;
    next: for (const value of bucket) {
      for (let i = 0; i < length; i++) if (value[i] !== src[s + i]) continue next;
      return true;
    }
    return false;
  }

  /**
   * Marks missing (1 in `nulls`) the rows of a finished string column whose value is one of the values; returns
   * the mask, allocated with `rowCount` entries when there was none and something matched. A chunk's reader
   * marks them `value` 3 instead (stored, then found missing: chunks.ts).
   */
  markStrings(
    values: StringValues,
    nulls: Uint8Array | undefined,
    rowCount: number,
    value = 1,
  ): Uint8Array | undefined {
    let out = nulls;
    const mark = (r: number) => {
      out ??= new Uint8Array(rowCount);
      out[r] = value;
    };
    if (values.kind === "dictionary") {
      const { dictionary, codes } = values;
      let hit: Uint8Array | undefined;
      for (let e = 0; e < dictionary.length; e++) {
        if (!this.texts.has(dictionary[e] as string)) continue;
        hit ??= new Uint8Array(dictionary.length);
        hit[e] = 1;
      }
      if (hit === undefined) return out;
      for (let r = 0; r < rowCount; r++) if (hit[codes[r] as number] && !out?.[r]) mark(r);
      return out;
    }
    if (values.kind === "strings") {
      const { strings } = values;
      for (let r = 0; r < rowCount; r++) {
        // A string has at most as many UTF-16 units as UTF-8 bytes.
        const value = strings[r] as string;
        if (value.length <= this.maxBytes && !out?.[r] && this.texts.has(value)) mark(r);
      }
      return out;
    }
    const { packed } = values;
    const { ends } = packed;
    let start = 0;
    if ("bytes" in packed) {
      const { bytes } = packed;
      for (let r = 0; r < rowCount; r++) {
        const end = ends[r] as number;
        if (end - start <= this.maxBytes && !out?.[r] && this.matches(bytes, start, end)) mark(r);
        start = end;
      }
    } else {
      for (let r = 0; r < rowCount; r++) {
        const end = ends[r] as number;
        if (!out?.[r] && this.texts.has(packed.text.slice(start, end))) mark(r);
        start = end;
      }
    }
    return out;
  }
}
