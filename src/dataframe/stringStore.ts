// The values of one string column while a CSV is being read: UTF-8 bytes copied into a pool, never a string per
// field. Low-cardinality columns keep only distinct values (a byte-keyed hash table gives each row a code); when
// a column turns out to have too many distinct values it switches to one pool range per row. Either way the
// pool is decoded with a single TextDecoder call at the end.

import { growBytes, growUint32 } from "./growable";

/** Keep hashing while the distinct values are at most this many, or at most half of the rows seen. */
const DICTIONARY_FLOOR = 4096;

/** Strings of one column, as UTF-16 ranges into one text: row r is `text.slice(starts[r], ends[r])`. */
export interface PackedStrings {
  text: string;
  starts: Uint32Array;
  ends: Uint32Array;
}

/** What a finished string column holds: a dictionary with codes, or packed per-row strings. */
export type StringValues =
  | { kind: "dictionary"; dictionary: string[]; codes: Uint32Array }
  | { kind: "packed"; packed: PackedStrings };

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

const decoder = () => new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export class StringStore {
  /** UTF-8 bytes of the distinct values (dictionary mode) or of every row's value (packed mode). */
  private pool: Uint8Array = new Uint8Array(1024);
  private poolLength = 0;
  /** Dictionary mode: code per row. Packed mode: undefined. */
  private codes: Uint32Array | undefined;
  /** Packed mode: byte range per row. */
  private starts: Uint32Array | undefined;
  private ends: Uint32Array | undefined;
  // Dictionary: entries are pool ranges; `slots` is an open-addressing table of entry index + 1 (0 = empty).
  private entryStart: Uint32Array = new Uint32Array(64);
  private entryEnd: Uint32Array = new Uint32Array(64);
  private entryHash: Int32Array = new Int32Array(64);
  private entries = 0;
  private slots: Int32Array = new Int32Array(128);
  private mask = 127;
  /** Highest row written + 1: how many rows the distinct count is judged against. */
  private rowsSeen = 0;

  constructor(capacity: number, useDictionary: boolean) {
    if (useDictionary) this.codes = new Uint32Array(capacity);
    else {
      this.starts = new Uint32Array(capacity);
      this.ends = new Uint32Array(capacity);
    }
  }

  /** Grows the per-row arrays to `capacity` rows. */
  grow(capacity: number): void {
    if (this.codes) this.codes = growUint32(this.codes, capacity);
    else {
      this.starts = growUint32(this.starts as Uint32Array, capacity);
      this.ends = growUint32(this.ends as Uint32Array, capacity);
    }
  }

  /** Stores the UTF-8 bytes `src[start, end)` as the value of `row`. */
  add(row: number, src: Uint8Array, start: number, end: number): void {
    if (row >= this.rowsSeen) this.rowsSeen = row + 1;
    const codes = this.codes;
    if (codes !== undefined) {
      let hash = FNV_OFFSET;
      for (let i = start; i < end; i++) hash = Math.imul(hash ^ (src[i] as number), FNV_PRIME);
      codes[row] = this.intern(src, start, end, hash);
      if (this.entries > DICTIONARY_FLOOR && this.entries * 2 > this.rowsSeen) this.toPacked();
      return;
    }
    const length = end - start;
    if (this.poolLength + length > this.pool.length) this.pool = growBytes(this.pool, this.poolLength + length);
    const pool = this.pool;
    let at = this.poolLength;
    (this.starts as Uint32Array)[row] = at;
    if (length > 32) pool.set(src.subarray(start, end), at);
    else for (let i = start; i < end; i++) pool[at++] = src[i] as number;
    this.poolLength += length;
    (this.ends as Uint32Array)[row] = this.poolLength;
  }

  /**
   * Reads a bare field from `pos` to the next delimiter, CR, LF or `n`, stores it as the value of `row` and
   * returns where it ends: the scan hashes (dictionary mode) or copies (packed mode) as it goes.
   */
  addBare(row: number, bytes: Uint8Array, pos: number, n: number, delimiter: number): number {
    if (row >= this.rowsSeen) this.rowsSeen = row + 1;
    let p = pos;
    if (this.codes !== undefined) {
      let hash = FNV_OFFSET;
      while (p < n) {
        const b = bytes[p] as number;
        if (b === delimiter || b === 10 || b === 13) break;
        hash = Math.imul(hash ^ b, FNV_PRIME);
        p++;
      }
      this.codes[row] = this.intern(bytes, pos, p, hash);
      if (this.entries > DICTIONARY_FLOOR && this.entries * 2 > this.rowsSeen) this.toPacked();
      return p;
    }
    let pool = this.pool;
    let at = this.poolLength;
    (this.starts as Uint32Array)[row] = at;
    while (p < n) {
      const b = bytes[p] as number;
      if (b === delimiter || b === 10 || b === 13) break;
      if (at === pool.length) pool = this.pool = growBytes(pool, at + 1);
      pool[at++] = b;
      p++;
    }
    this.poolLength = at;
    (this.ends as Uint32Array)[row] = at;
    return p;
  }

  /** The code of `src[start, end)` whose FNV-1a hash is `hash`, adding it to the dictionary if new. */
  private intern(src: Uint8Array, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const pool = this.pool;
    const length = end - start;
    let slot = hash & mask;
    for (;;) {
      const entry = slots[slot] as number;
      if (entry === 0) break;
      const e = entry - 1;
      if (this.entryHash[e] === hash) {
        const s = this.entryStart[e] as number;
        if ((this.entryEnd[e] as number) - s === length) {
          let same = true;
          for (let k = 0; k < length; k++) {
            if (pool[s + k] !== src[start + k]) {
              same = false;
              break;
            }
          }
          if (same) return e;
        }
      }
      slot = (slot + 1) & mask;
    }
    // A new distinct value.
    const e = this.entries++;
    if (e >= this.entryStart.length) {
      this.entryStart = growUint32(this.entryStart, e + 1);
      this.entryEnd = growUint32(this.entryEnd, e + 1);
      const hashes = new Int32Array(this.entryStart.length);
      hashes.set(this.entryHash);
      this.entryHash = hashes;
    }
    if (this.poolLength + length > this.pool.length) this.pool = growBytes(this.pool, this.poolLength + length);
    const target = this.pool;
    let at = this.poolLength;
    for (let i = start; i < end; i++) target[at++] = src[i] as number;
    this.entryStart[e] = this.poolLength;
    this.poolLength += length;
    this.entryEnd[e] = this.poolLength;
    this.entryHash[e] = hash;
    slots[slot] = e + 1;
    if (this.entries * 2 > this.slots.length) this.rehash();
    return e;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.entries; e++) {
      let slot = (this.entryHash[e] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Too many distinct values: every row written so far points at its entry's bytes; new rows append. */
  private toPacked(): void {
    const codes = this.codes as Uint32Array;
    const starts = new Uint32Array(codes.length);
    const ends = new Uint32Array(codes.length);
    for (let r = 0; r < codes.length; r++) {
      const e = codes[r] as number;
      starts[r] = this.entryStart[e] as number;
      ends[r] = this.entryEnd[e] as number;
    }
    this.starts = starts;
    this.ends = ends;
    this.codes = undefined;
    // Room for the remaining rows at the mean length seen so far, so the pool rarely grows again.
    const expected = Math.ceil((this.poolLength / Math.max(1, this.entries)) * codes.length * 1.1);
    if (expected > this.pool.length) this.pool = growBytes(this.pool, expected);
    this.slots = new Int32Array(0);
    this.entryStart = new Uint32Array(0);
    this.entryEnd = new Uint32Array(0);
    this.entryHash = new Int32Array(0);
  }

  /**
   * The column's strings for `rowCount` rows. Throws the TextDecoder's TypeError on invalid UTF-8.
   * A dictionary is kept only when it pays: at most half as many distinct values as rows.
   */
  finish(rowCount: number): StringValues {
    const text = decoder().decode(this.pool.subarray(0, this.poolLength));
    const ascii = text.length === this.poolLength;
    const toUnits = ascii ? undefined : utf16Offsets(this.pool, this.poolLength);
    if (this.codes !== undefined) {
      const dictionary: string[] = new Array(this.entries);
      for (let e = 0; e < this.entries; e++) {
        const s = this.entryStart[e] as number;
        const t = this.entryEnd[e] as number;
        dictionary[e] = toUnits ? text.slice(toUnits(s), toUnits(t)) : text.slice(s, t);
      }
      const codes = this.codes.length === rowCount ? this.codes : this.codes.slice(0, rowCount);
      if (this.entries > 0 && this.entries * 2 <= rowCount) return { kind: "dictionary", dictionary, codes };
      // Not worth a dictionary: pack the rows against a text made of the distinct values.
      const starts = new Uint32Array(rowCount);
      const ends = new Uint32Array(rowCount);
      for (let r = 0; r < rowCount; r++) {
        const e = codes[r] as number;
        const s = this.entryStart[e] as number;
        const t = this.entryEnd[e] as number;
        starts[r] = toUnits ? toUnits(s) : s;
        ends[r] = toUnits ? toUnits(t) : t;
      }
      return { kind: "packed", packed: { text, starts, ends } };
    }
    let starts = this.starts as Uint32Array;
    let ends = this.ends as Uint32Array;
    if (starts.length !== rowCount) {
      starts = starts.slice(0, rowCount);
      ends = ends.slice(0, rowCount);
    }
    if (toUnits) {
      for (let r = 0; r < rowCount; r++) {
        starts[r] = toUnits(starts[r] as number);
        ends[r] = toUnits(ends[r] as number);
      }
    }
    return { kind: "packed", packed: { text, starts, ends } };
  }
}

/**
 * Maps byte offsets of valid UTF-8 (at character boundaries) to UTF-16 offsets, from a checkpoint every 64 bytes:
 * each lookup counts at most 63 bytes.
 */
function utf16Offsets(bytes: Uint8Array, length: number): (byteOffset: number) => number {
  const checkpoints = new Uint32Array((length >>> 6) + 1);
  let units = 0;
  for (let i = 0; i < length; i++) {
    if ((i & 63) === 0) checkpoints[i >>> 6] = units;
    const b = bytes[i] as number;
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  if ((length & 63) === 0) checkpoints[length >>> 6] = units;
  return (offset) => {
    let u = checkpoints[offset >>> 6] as number;
    for (let i = offset & ~63; i < offset; i++) {
      const b = bytes[i] as number;
      if ((b & 0xc0) !== 0x80) u += b >= 0xf0 ? 2 : 1;
    }
    return u;
  };
}
