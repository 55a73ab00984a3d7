// The values of one string column while a CSV is being read: UTF-8 bytes copied into a pool, never a string per
// field. Low-cardinality columns keep only distinct values (a byte-keyed hash table gives each row a code); when
// a column turns out to have too many distinct values it switches to "packed" mode, where the pool holds every
// row's bytes in row order and one end offset per row is enough. A dictionary is decoded at the end; packed
// bytes are handed over as they are (to another thread) and decoded slice by slice when the strings are
// materialised, or, in a store that materialises (the thread that keeps the table), decoded window by window as
// they come in, so that the pool stays small.
//
// Every value is checked for UTF-8 on its own, as it comes in (only values with a byte >= 0x80, and in a
// dictionary only new distinct values): checking the pool as a whole would glue a lead byte ending one value
// to continuation bytes starting the next into a valid character.

import { exact, growUint32, nextCapacity } from "./growable";
import type { InputText } from "./inputText";
import { Slab } from "./slab";
import { firstInvalidUtf8 } from "./utf8";

/** A value is not valid UTF-8; the reader turns this into an EncodingError at the input's first invalid byte. */
export class InvalidUtf8Value extends Error {
  constructor() {
    super("invalid UTF-8 in a value");
  }
}

function checkUtf8(bytes: Uint8Array, start: number, end: number): void {
  if (firstInvalidUtf8(bytes, start, end) >= 0) throw new InvalidUtf8Value();
}

/** Keep hashing while the distinct values are at most this many, or at most half of the rows seen. */
export const DICTIONARY_FLOOR = 4096;
/** ...and while they are at most this many, or at most 90% of the rows seen (a column of ids or names is not). */
export const UNIQUE_FLOOR = 512;

/**
 * Whether a dictionary of `entries` distinct values after `rows` rows is given up for plain strings: one pass
 * (StringStore) and the merge of pieces (chunks.ts) decide with this same rule. A column of nearly unique values
 * stops hashing at 512 values rather than 4096 (airports.csv: 3.1 -> 2.2 ms), while a repetitive one keeps its
 * dictionary whatever order its values come in.
 */
export function dictionaryOutgrown(entries: number, rows: number): boolean {
  return (entries > DICTIONARY_FLOOR && entries * 2 > rows) || (entries > UNIQUE_FLOOR && entries * 10 > rows * 9);
}

/**
 * Strings of one column, one after the other: row r ends at `ends[r]` and starts where row r - 1 ends (0 for the
 * first row). Either valid UTF-8 `bytes` (offsets in bytes; `ascii` when every byte is below 0x80) or a `text`
 * (offsets in UTF-16 code units).
 */
export type PackedStrings =
  | { bytes: Uint8Array; ascii: boolean; ends: Uint32Array }
  | { text: string; ends: Uint32Array };

let utf8Decoder: TextDecoder | undefined;

/** Start of row `r` in a PackedStrings. */
export function packedStart(packed: PackedStrings, r: number): number {
  return r === 0 ? 0 : (packed.ends[r - 1] as number);
}

/**
 * Plain strings of a packed column, rows `[from, to)` into `out` (row r at `out[r + at]`); missing values are "".
 * Bytes are decoded for just these rows, so no text of the whole column is ever made.
 */
export function fillStrings(
  packed: PackedStrings,
  nulls: Uint8Array | undefined,
  out: string[],
  from: number,
  to: number,
  at = 0,
) {
  if (from >= to) return;
  const { ends } = packed;
  const base = packedStart(packed, from);
  let text: string;
  let ascii: boolean;
  if ("text" in packed) {
    text = packed.text;
    ascii = true; // offsets are already UTF-16 units
  } else {
    utf8Decoder ??= new TextDecoder("utf-8", { ignoreBOM: true });
    text = utf8Decoder.decode(packed.bytes.subarray(base, ends[to - 1]));
    ascii = packed.ascii;
  }
  const shift = "text" in packed ? 0 : base;
  if (ascii) {
    let start = base - shift;
    for (let r = from; r < to; r++) {
      const end = (ends[r] as number) - shift;
      out[r + at] = nulls?.[r] ? "" : text.slice(start, end);
      start = end;
    }
    return;
  }
  // Multi-byte text: count each row's UTF-16 units from its bytes (4-byte sequences are two units).
  const bytes = (packed as { bytes: Uint8Array }).bytes;
  let byte = base;
  let unit = 0;
  for (let r = from; r < to; r++) {
    const end = ends[r] as number;
    let units = 0;
    for (; byte < end; byte++) {
      const b = bytes[byte] as number;
      if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
    }
    out[r + at] = nulls?.[r] ? "" : text.slice(unit, unit + units);
    unit += units;
  }
}

/** One value's string (a quoted field's unescaped copy, in a store that slices the rest from the input). */
function decodeValue(bytes: Uint8Array, start: number, end: number): string {
  checkUtf8(bytes, start, end);
  utf8Decoder ??= new TextDecoder("utf-8", { ignoreBOM: true });
  return utf8Decoder.decode(bytes.subarray(start, end));
}

/**
 * What a finished string column holds: a dictionary with codes, packed per-row strings, or (a store that
 * materialises, see StringStore) each row's string.
 */
export type StringValues =
  | { kind: "dictionary"; dictionary: string[]; codes: Uint32Array }
  | { kind: "packed"; packed: PackedStrings }
  | { kind: "strings"; strings: string[] };

/**
 * A materialising store turns its pool into strings once it holds this many bytes or WINDOW_ROWS rows: the pool
 * stays small and cache-warm, and no packed copy of the column is ever held next to its strings.
 */
const WINDOW_BYTES = 64 * 1024;
const WINDOW_ROWS = 8192;

// A table of 150,000 columns has 150,000 stores, so a store starts with nothing: the pool, the entries and the
// hash table are allocated when values arrive and grow geometrically (memory follows the data, not the column
// count), and every typed array costs ~200 bytes of objects however small it is, so there are few of them.

/** The pool, the entries and the hash table before the first value, shared by every store. */
const NO_BYTES = new Uint8Array(0);
const NO_INTS = new Int32Array(0);
const NO_VIEW = new DataView(new ArrayBuffer(0));
/** Hash slots of a new dictionary (kept at most half full). */
const FIRST_SLOTS = 4;
/** Values, all new, after which a column is taken for one of unique values (see grownSlots). */
const UNIQUE_SOON = 16;
/** Per entry in `entryData`: pool start, pool end, hash (pools stay far below 2 GiB: the input is one buffer). */
const ENTRY = 3;

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/**
 * A value's hash from its length and at most its first and last 8 bytes: distinct values of one column mostly
 * differ there, and hashing every byte cost as much as finding the value's end. Values that collide fall back
 * to {@link fullHash} (intern), so that no input makes lookups slow.
 */
function quickHash(src: Uint8Array, start: number, end: number): number {
  const length = end - start;
  if (length <= 16) return fullHash(src, start, end);
  let hash = Math.imul(FNV_OFFSET ^ length, FNV_PRIME);
  for (let i = start; i < start + 8; i++) hash = Math.imul(hash ^ (src[i] as number), FNV_PRIME);
  for (let i = end - 8; i < end; i++) hash = Math.imul(hash ^ (src[i] as number), FNV_PRIME);
  return hash;
}

/** FNV-1a over every byte. */
function fullHash(src: Uint8Array, start: number, end: number): number {
  let hash = FNV_OFFSET;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ (src[i] as number), FNV_PRIME);
  return hash;
}

/** Equal hashes of different values met in one lookup before quickHash is given up for fullHash. */
const MAX_COLLISIONS = 8;

/** A DataView of `bytes`. */
function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Whether `a[as, as + length)` holds the bytes of `b[bs, bs + length)`: four at a time (a DataView reads
 * unaligned words), 2.7x faster than a byte loop on 20-byte values.
 */
function sameBytes(a: Uint8Array, av: DataView, as: number, b: Uint8Array, bv: DataView, bs: number, length: number) {
  let k = 0;
  for (const words = length - 3; k < words; k += 4) if (av.getInt32(as + k) !== bv.getInt32(bs + k)) return false;
  for (; k < length; k++) if (a[as + k] !== b[bs + k]) return false;
  return true;
}

const PREDICT_FROM = 1024;
const PREDICT_SLOTS = 256;

/** Slot of the value at `bytes[pos]` in `predicted`: its first three bytes (a field is never empty here). */
function predictKey(bytes: Uint8Array, pos: number, n: number): number {
  const second = pos + 1 < n ? (bytes[pos + 1] as number) : 0;
  const third = pos + 2 < n ? (bytes[pos + 2] as number) : 0;
  return (Math.imul(Math.imul(bytes[pos] as number, 31) + second, 31) + third) & (PREDICT_SLOTS - 1);
}

/** Whether `codes[r] === r` for every row. */
function isIdentity(codes: Uint32Array): boolean {
  for (let r = 0; r < codes.length; r++) if (codes[r] !== r) return false;
  return true;
}

export class StringStore {
  /** UTF-8 bytes of the distinct values (dictionary mode) or of every row's value (packed mode). */
  private pool: Uint8Array = NO_BYTES;
  /** The pool, read four bytes at a time when values are compared. */
  private poolView: DataView = NO_VIEW;
  private poolLength = 0;
  /** OR of every byte put in the pool: below 0x80 means ASCII, which needs neither validation nor mapping. */
  private high = 0;
  /** Dictionary mode: code per row. Packed mode: undefined. */
  private codes: Uint32Array | undefined;
  /**
   * Packed mode: end offset per row, row r at `ends[r - base]`; rows before `next` are all set (null rows as empty
   * ranges).
   */
  private ends: Uint32Array | undefined;
  private next = 0;
  /**
   * Materialised packed mode: each row's string. The pool and `ends` then hold only the window of rows
   * [base, next), which `flush` turns into strings; `base` is 0 otherwise.
   */
  private strings: string[] | undefined;
  private base = 0;
  /** Materialised: rows before this were written (or taken as empty); a backfill must not blank them. */
  private written = 0;
  /** Materialised: rows of the window a backfill skipped over that were written before (keepSome: any). */
  private kept: Uint8Array | undefined;
  private keepSome = false;
  /** Packed mode, once a row was written out of order (a backfill): start offset per row. */
  private starts: Uint32Array | undefined;
  // Dictionary: entries are pool ranges with their hash; `slots` is an open-addressing table of entry index + 1
  // (0 = empty), allocated with the first entry (mask 0 until then).
  private entryData: Int32Array = NO_INTS;
  private entries = 0;
  private slots: Int32Array = NO_INTS;
  private mask = 0;
  /** Highest row written + 1: how many rows the distinct count is judged against. */
  private rowsSeen = 0;
  /** Give up the dictionary once it has more distinct values than this (and more than half the rows seen). */
  private readonly packAbove: number;
  private readonly rowBound: number;
  /** The dictionary was given up part way (too many distinct values), rather than at the end. */
  gaveUp = false;
  /** Entry of the value stored last (-1: none): grouped or sorted data repeats it, compared without hashing. */
  private last = -1;
  /**
   * Once there is a table (see below): per slot of a value's first three bytes, entry + 1 of the two values
   * that last began so (0: none), most recent first. A value is compared with those before it is hashed;
   * low-cardinality columns mostly hit (birdstrikes.csv: 91%, against 78% with one value per first two bytes),
   * and a hit reads the value's bytes once instead of three times. The 2 KiB table waits for 1,024 rows, or for
   * the first miss in a column planned for as many that repeats its values, so that it never costs more than the
   * column's own bytes (a wide table of short columns never has one).
   */
  private predicted: Int32Array = NO_INTS;
  /**
   * The two arrays values came from last (the input, the reader's scratch copy of a quoted field) and their views:
   * a column of quoted fields alternates between the two, and one cached view made a DataView per value.
   */
  private viewed: Uint8Array = NO_BYTES;
  private viewedAs: DataView = NO_VIEW;
  private viewedBefore: Uint8Array = NO_BYTES;
  private viewedBeforeAs: DataView = NO_VIEW;
  /** Hash every byte of a value rather than its length and ends (quickHash), after too many collisions. */
  private fullHash = false;
  /**
   * Materialised packed mode over an ASCII input: the input as a string, which values of the input are sliced
   * from (no copy into the pool, no window); values from elsewhere (a quoted field's unescaped copy) are decoded
   * one by one. Undefined otherwise.
   */
  private text: string | undefined;

  /**
   * `slab` gives the small arrays that can end up in the result (codes, ends, the pool), `hashSlab` those of the
   * dictionary's index, so that a result never keeps index memory alive. A reader shares them between columns.
   *
   * `rowBound`, when the reader knows it, is an upper bound on the rows: a dictionary with more than half as many
   * values can no longer pay, so it is given up at once rather than at DICTIONARY_FLOOR values (the result is the
   * same: `finish` would not keep it either).
   *
   * `materialise`: finish with each row's string rather than packed bytes (on the thread that keeps the table:
   * the bytes of a column of unique values are then never held next to its strings, 0.17x of a 100 MiB input).
   * With `input` too, plain values of a small ASCII input are sliced from its text instead.
   */
  constructor(
    capacity: number,
    useDictionary: boolean,
    private readonly slab: Slab = new Slab(),
    private readonly hashSlab: Slab = new Slab(),
    rowBound = Number.POSITIVE_INFINITY,
    private readonly materialise = false,
    private readonly input?: InputText,
  ) {
    if (useDictionary) this.codes = slab.u32(capacity);
    else if (materialise) this.startWindows(capacity, 0);
    else this.ends = slab.u32(capacity);
    this.rowBound = rowBound;
    this.packAbove = Math.min(UNIQUE_FLOOR, Math.floor(rowBound / 2));
  }

  /** A pool with room for `needed` bytes, its first `used` bytes copied from the current one. */
  private growPool(needed: number, used: number, size = nextCapacity(this.pool.length, needed)): Uint8Array {
    const pool = this.slab.u8(size);
    pool.set(this.pool.subarray(0, used));
    this.pool = pool;
    this.poolView = viewOf(pool);
    return pool;
  }

  /** Bytes of the buffers held now (what a column costs while the input is read). */
  allocatedBytes(): number {
    let bytes = this.pool.byteLength + this.entryData.byteLength + this.slots.byteLength;
    for (const array of [this.codes, this.ends, this.starts]) bytes += array?.byteLength ?? 0;
    return bytes;
  }

  /** A view of `bytes`, made once per array rather than once per value. */
  private inputView(bytes: Uint8Array): DataView {
    if (bytes !== this.viewed) {
      const before = this.viewed;
      const beforeAs = this.viewedAs;
      if (bytes === this.viewedBefore) this.viewedAs = this.viewedBeforeAs;
      else this.viewedAs = viewOf(bytes);
      this.viewed = bytes;
      this.viewedBefore = before;
      this.viewedBeforeAs = beforeAs;
    }
    return this.viewedAs;
  }

  /** Grows the per-row arrays to `capacity` rows. */
  grow(capacity: number): void {
    if (this.codes) this.codes = growUint32(this.codes, capacity);
    if (this.strings !== undefined) {
      // Grown here, exactly: left to grow as rows are written, V8 grows it by half again each time, and a
      // 100 MiB parse kept 26 MB of outgrown arrays. The window's arrays keep their size.
      const old = this.strings;
      if (capacity > old.length) {
        const strings = new Array<string>(capacity);
        for (let r = 0, written = Math.min(old.length, this.rowsSeen); r < written; r++) strings[r] = old[r] as string;
        this.strings = strings;
      }
      return;
    }
    if (this.ends) this.ends = growUint32(this.ends, capacity);
    if (this.starts) this.starts = growUint32(this.starts, capacity);
    if (this.ends && this.next > 0) {
      // Packed bytes for the new capacity at the mean length so far: the pool then grows about once, with the
      // rows, rather than by half again and again (a 100 MiB parse kept ~30 MB of outgrown pools at its peak).
      const size = Math.ceil((this.poolLength / this.next) * capacity * 1.02) + 64;
      if (size > this.pool.length) this.growPool(size, this.poolLength, size);
    }
  }

  /** Stores the UTF-8 bytes `src[start, end)` as the value of `row`; throws InvalidUtf8Value if they are not. */
  add(row: number, src: Uint8Array, start: number, end: number): void {
    if (row >= this.rowsSeen) this.rowsSeen = row + 1;
    const codes = this.codes;
    if (codes !== undefined) {
      codes[row] = this.intern(src, start, end);
      if (this.entries > this.packAbove && this.outgrown()) this.toPacked();
      return;
    }
    if (this.text !== undefined) {
      this.setString(row, src === this.input?.bytes ? this.text.slice(start, end) : decodeValue(src, start, end));
      return;
    }
    const at = this.beginRow(row);
    const length = end - start;
    if (at + length > this.pool.length) this.growPool(at + length, at);
    const pool = this.pool;
    let high = 0;
    for (let i = start, j = at; i < end; i++, j++) {
      const b = src[i] as number;
      high |= b;
      pool[j] = b;
    }
    if (high >= 0x80) checkUtf8(pool, at, at + length);
    this.high |= high;
    this.poolLength = at + length;
    (this.ends as Uint32Array)[row - this.base] = this.poolLength;
  }

  /**
   * Reads a bare field from `pos` to the next delimiter, CR, LF or `n`, stores it as the value of `row` and
   * returns where it ends: the scan hashes (dictionary mode) or copies (packed mode) as it goes.
   */
  addBare(row: number, bytes: Uint8Array, pos: number, n: number, delimiter: number): number {
    if (row >= this.rowsSeen) this.rowsSeen = row + 1;
    // Two smaller functions rather than one: each stays small enough for V8 to inline into the reader's loop.
    return this.codes !== undefined
      ? this.addBareCoded(row, bytes, pos, n, delimiter)
      : this.addBarePacked(row, bytes, pos, n, delimiter);
  }

  /** addBare in dictionary mode. */
  private addBareCoded(row: number, bytes: Uint8Array, pos: number, n: number, delimiter: number): number {
    const codes = this.codes as Uint32Array;
    let p = pos;
    // The two values that last began with the same three bytes (the previous row's, until there is a table).
    const predicted = this.predicted;
    const key = predicted.length === 0 ? 0 : predictKey(bytes, pos, n) * 2;
    for (let way = 0; way < 2; way++) {
      const guess = predicted.length === 0 ? (way === 0 ? this.last : -1) : (predicted[key + way] as number) - 1;
      if (guess < 0) break;
      const data = this.entryData;
      const s = data[guess * ENTRY] as number;
      const length = (data[guess * ENTRY + 1] as number) - s;
      const end = pos + length;
      if (end <= n) {
        const b = end < n ? (bytes[end] as number) : 10;
        if (
          (b === delimiter || b === 10 || b === 13) &&
          sameBytes(this.pool, this.poolView, s, bytes, this.inputView(bytes), pos, length)
        ) {
          if (way === 1) {
            // Most recently used first.
            predicted[key + 1] = predicted[key] as number;
            predicted[key] = guess + 1;
          }
          codes[row] = guess;
          return end;
        }
      }
    }
    while (p < n) {
      const b = bytes[p] as number;
      if (b === delimiter || b === 10 || b === 13) break;
      p++;
    }
    const code = this.intern(bytes, pos, p);
    codes[row] = code;
    if (predicted.length !== 0) {
      predicted[key + 1] = predicted[key] as number;
      predicted[key] = code + 1;
    } else {
      this.last = code;
      // Or sooner in a column that will have that many rows and repeats its values (at most one new value in two
      // rows so far): birdstrikes.csv then missed 7,013 predictions rather than 12,459.
      const planned = this.codes === undefined ? 0 : this.codes.length;
      const repeats = planned >= PREDICT_FROM && this.entries * 2 <= row + 1;
      if (row >= PREDICT_FROM || repeats) this.predicted = this.hashSlab.i32(PREDICT_SLOTS * 2);
    }
    if (this.entries > this.packAbove && this.outgrown()) this.toPacked();
    return p;
  }

  /** addBare in packed mode. */
  private addBarePacked(row: number, bytes: Uint8Array, pos: number, n: number, delimiter: number): number {
    let p = pos;
    const text = this.text;
    if (text !== undefined && bytes === this.input?.bytes) {
      while (p < n) {
        const b = bytes[p] as number;
        if (b === delimiter || b === 10 || b === 13) break;
        p++;
      }
      this.setString(row, text.slice(pos, p));
      return p;
    }
    const first = this.beginRow(row);
    let at = first;
    let pool = this.pool;
    let high = 0;
    while (p < n) {
      const b = bytes[p] as number;
      if (b === delimiter || b === 10 || b === 13) break;
      if (at === pool.length) pool = this.growPool(at + 1, at);
      high |= b;
      pool[at++] = b;
      p++;
    }
    if (high >= 0x80) checkUtf8(pool, first, at);
    this.high |= high;
    this.poolLength = at;
    (this.ends as Uint32Array)[row - this.base] = at;
    return p;
  }

  /** The dictionary cannot pay: by the shared rule, or because it has more than half as many values as rows. */
  private outgrown(): boolean {
    return this.entries * 2 > this.rowBound || dictionaryOutgrown(this.entries, this.rowsSeen);
  }

  /** Packed mode: where `row`'s bytes go (the pool's end), setting its start; rows skipped in order are empty. */
  private beginRow(row: number): number {
    if (this.strings !== undefined) return this.beginWindowRow(row);
    const at = this.poolLength;
    if (this.starts === undefined) {
      if (row >= this.next) {
        const ends = this.ends as Uint32Array;
        for (let r = this.next; r < row; r++) ends[r] = at;
        this.next = row + 1;
        return at;
      }
      // Out of order: from now on every row keeps its start.
      const ends = this.ends as Uint32Array;
      const starts = new Uint32Array(ends.length);
      for (let r = 1; r < this.next; r++) starts[r] = ends[r - 1] as number;
      this.starts = starts;
    }
    this.starts[row] = at;
    if (row >= this.next) {
      const ends = this.ends as Uint32Array;
      for (let r = this.next; r < row; r++) ends[r] = this.starts[r] = at;
      this.next = row + 1;
    }
    return at;
  }

  /** Materialised packed mode over the input's text: `row`'s string; rows skipped, not written before, are "". */
  private setString(row: number, value: string): void {
    const strings = this.strings as string[];
    if (row >= this.written) {
      for (let r = this.written; r < row; r++) strings[r] = "";
      this.written = row + 1;
    }
    strings[row] = value;
  }

  /**
   * Materialised packed mode from row `row` on: an array for every row's string, and an empty window there
   * unless values are sliced from the input's text.
   */
  private startWindows(capacity: number, row: number): void {
    this.strings = new Array<string>(capacity);
    this.written = row;
    const text = this.input?.get();
    if (text != null) {
      this.text = text;
      return;
    }
    this.ends = this.slab.u32(Math.min(Math.max(capacity, 1), WINDOW_ROWS));
    this.poolLength = 0;
    this.base = row;
    this.next = row;
  }

  /**
   * beginRow of a materialising store. The window is flushed when full; a row before the window (a backfill)
   * flushes it and starts the next one there. Rows skipped are empty, as in packed mode, unless written before.
   */
  private beginWindowRow(row: number): number {
    const strings = this.strings as string[];
    if (row < this.next) {
      this.flush();
      this.base = this.next = row;
    } else if (this.poolLength >= WINDOW_BYTES || row - this.base >= (this.ends as Uint32Array).length) {
      this.flush();
      for (let r = Math.max(this.next, this.written); r < row; r++) strings[r] = "";
      this.base = this.next = row;
    }
    const at = this.poolLength;
    const ends = this.ends as Uint32Array;
    for (let r = this.next; r < row; r++) {
      ends[r - this.base] = at;
      if (r < this.written) {
        // A backfill skipping a row written before: the flush leaves it as it is.
        this.kept ??= new Uint8Array(ends.length);
        this.kept[r - this.base] = 1;
        this.keepSome = true;
      }
    }
    this.next = row + 1;
    if (this.next > this.written) this.written = this.next;
    return at;
  }

  /** Materialised packed mode: the window's rows [base, next) become strings; the pool and window start empty. */
  private flush(): void {
    const base = this.base;
    const rows = this.next - base;
    if (rows > 0) {
      const strings = this.strings as string[];
      if (this.keepSome) {
        // Rows a backfill skipped over keep the strings they had (a rare path: made, then put back).
        const before = strings.slice(base, base + rows);
        this.makeStrings(strings, base, rows);
        const kept = this.kept as Uint8Array;
        for (let k = 0; k < rows; k++) {
          if (kept[k] === 1) {
            strings[base + k] = before[k] as string;
            kept[k] = 0;
          }
        }
        this.keepSome = false;
      } else this.makeStrings(strings, base, rows);
    }
    this.poolLength = 0;
    this.base = this.next;
  }

  /** Strings of the window's `rows` rows into `strings` from `base`: one decoding of the pool, a slice per row. */
  private makeStrings(strings: string[], base: number, rows: number): void {
    const window = { bytes: this.pool, ascii: this.high < 0x80, ends: this.ends as Uint32Array };
    fillStrings(window, undefined, strings, 0, rows, base);
  }

  /** The code of `src[start, end)`, adding it to the dictionary if new. */
  private intern(src: Uint8Array, start: number, end: number): number {
    if (this.mask === 0) {
      this.slots = this.hashSlab.i32(FIRST_SLOTS);
      this.mask = FIRST_SLOTS - 1;
    }
    const slots = this.slots;
    const mask = this.mask;
    const data = this.entryData;
    const length = end - start;
    const hash = this.fullHash ? fullHash(src, start, end) : quickHash(src, start, end);
    let slot = hash & mask;
    let collisions = 0;
    for (;;) {
      const entry = slots[slot] as number;
      if (entry === 0) break;
      const e = entry - 1;
      if (data[e * ENTRY + 2] === hash) {
        if (this.equals(e, src, start, length)) return e;
        if (++collisions > MAX_COLLISIONS && !this.fullHash) {
          // Values that differ only in the middle (or made to collide): hash every byte from now on.
          this.hashEveryByte();
          return this.intern(src, start, end);
        }
      }
      slot = (slot + 1) & mask;
    }
    // A new distinct value.
    const e = this.entries++;
    if ((e + 1) * ENTRY > data.length) {
      const bigger = this.hashSlab.i32(Math.max(ENTRY, 2 * data.length));
      bigger.set(data);
      this.entryData = bigger;
    }
    if (this.poolLength + length > this.pool.length) this.growPool(this.poolLength + length, this.poolLength);
    const target = this.pool;
    let at = this.poolLength;
    let high = 0;
    for (let i = start; i < end; i++) {
      const b = src[i] as number;
      high |= b;
      target[at++] = b;
    }
    if (high >= 0x80) checkUtf8(target, this.poolLength, at);
    this.high |= high;
    const entry = this.entryData;
    entry[e * ENTRY] = this.poolLength;
    entry[e * ENTRY + 1] = at;
    entry[e * ENTRY + 2] = hash;
    this.poolLength = at;
    slots[slot] = e + 1;
    // Not for a value that gives the dictionary up (the caller drops it next): a column of ids grew its index
    // at the 513th value only to throw it away.
    if (this.entries * 2 > slots.length && !(this.entries > this.packAbove && this.outgrown())) {
      this.rehash(this.grownSlots(slots.length));
    }
    return e;
  }

  /** Whether entry `e` holds the `length` bytes at `src[start]`. */
  private equals(e: number, src: Uint8Array, start: number, length: number): boolean {
    const data = this.entryData;
    const s = data[e * ENTRY] as number;
    if ((data[e * ENTRY + 1] as number) - s !== length) return false;
    return sameBytes(this.pool, this.poolView, s, src, this.inputView(src), start, length);
  }

  /** Switches to hashing every byte of a value, for the entries so far and every value after. */
  private hashEveryByte(): void {
    this.fullHash = true;
    const data = this.entryData;
    for (let e = 0; e < this.entries; e++) {
      data[e * ENTRY + 2] = fullHash(this.pool, data[e * ENTRY] as number, data[e * ENTRY + 1] as number);
    }
    this.rehash(this.slots.length);
  }

  /**
   * The hash table's next size: twice this one, or, when every value so far was new (16 or more: a column of
   * ids or names, most likely), room for UNIQUE_FLOOR values at once, where such a column gives up its
   * dictionary (or for half the rows, if fewer): no rehash and no growth of the entries or the pool at each
   * doubling before that. Node A/B: airports 2.23 -> 1.87 ms; the pool and the 513th entry: airports 3.7% fewer
   * instructions (valgrind), 1.00-1.10x in Chromium.
   */
  private grownSlots(size: number): number {
    let grown = size * 2;
    if (this.entries === this.rowsSeen && this.entries >= UNIQUE_SOON) {
      const rows = (this.codes as Uint32Array).length;
      while (grown < 2 * UNIQUE_FLOOR && grown < rows) grown *= 2;
      // One more entry than the slots hold: the value that gives the dictionary up.
      const entries = grown / 2 + 1;
      if (this.entryData.length < entries * ENTRY) {
        const bigger = this.hashSlab.i32(entries * ENTRY);
        bigger.set(this.entryData);
        this.entryData = bigger;
      }
      // The pool too, at the values' mean length so far.
      const bytes = Math.ceil((this.poolLength / this.entries) * entries * 1.25);
      if (this.pool.length < bytes) this.growPool(bytes, this.poolLength, bytes);
    }
    return grown;
  }

  private rehash(size: number): void {
    const slots = this.hashSlab.i32(size);
    const mask = size - 1;
    const data = this.entryData;
    for (let e = 0; e < this.entries; e++) {
      let slot = (data[e * ENTRY + 2] as number) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** Too many distinct values: the rows so far are copied into a new pool in row order; new rows append. */
  private toPacked(): void {
    const codes = this.codes as Uint32Array;
    const rows = this.rowsSeen;
    if (this.materialise) {
      // The rows so far share the dictionary's strings; new rows go through windows, in a pool sized for one
      // window (or the rest of the rows, at the values' mean length) rather than grown from the dictionary's.
      const dictionary = this.decodeEntries(this.high < 0x80);
      const mean = this.poolLength / Math.max(1, this.entries);
      this.startWindows(codes.length, rows);
      if (this.text === undefined) {
        const size = Math.min(WINDOW_BYTES, Math.ceil(mean * (codes.length - rows) * 1.05)) + 1024;
        this.pool = this.slab.u8(size);
        this.poolView = viewOf(this.pool);
      } else {
        this.pool = NO_BYTES;
        this.poolView = NO_VIEW;
        this.poolLength = 0;
      }
      const strings = this.strings as string[];
      for (let r = 0; r < rows; r++) strings[r] = dictionary[codes[r] as number] as string;
      this.dropDictionary();
      return;
    }
    const old = this.pool;
    const data = this.entryData;
    let needed = 0;
    for (let r = 0; r < rows; r++) {
      const e = codes[r] as number;
      needed += (data[e * ENTRY + 1] as number) - (data[e * ENTRY] as number);
    }
    // Room for the rows so far, and for the rest at the mean length of the distinct values (so the pool
    // rarely grows again). Rows not written yet (a backfill under way) hold code 0 for now.
    const mean = this.poolLength / Math.max(1, this.entries);
    const pool = new Uint8Array(needed + Math.ceil(mean * (codes.length - rows) * 1.05) + 1024);
    const ends = new Uint32Array(codes.length);
    let at = 0;
    for (let r = 0; r < rows; r++) {
      const e = codes[r] as number;
      const s = data[e * ENTRY] as number;
      const t = data[e * ENTRY + 1] as number;
      for (let i = s; i < t; i++) pool[at++] = old[i] as number;
      ends[r] = at;
    }
    this.pool = pool;
    this.poolView = viewOf(pool);
    this.poolLength = at;
    this.ends = ends;
    this.next = rows;
    this.dropDictionary();
  }

  private dropDictionary(): void {
    this.codes = undefined;
    this.gaveUp = true;
    this.predicted = NO_INTS;
    this.slots = NO_INTS;
    this.mask = 0;
    this.entryData = NO_INTS;
  }

  /**
   * The column's strings for `rowCount` rows. A dictionary is kept only when it pays (at most half as many
   * distinct values as rows); otherwise the rows are packed in order.
   */
  finish(rowCount: number): StringValues {
    const ascii = this.high < 0x80;
    if (this.codes !== undefined) {
      const codes = exact(this.codes, rowCount);
      if (this.entries > 0 && this.entries * 2 <= rowCount) {
        return { kind: "dictionary", dictionary: this.decodeEntries(ascii), codes };
      }
      if (this.materialise) {
        // Rows that share a value share its string.
        const dictionary = this.decodeEntries(ascii);
        const strings = new Array<string>(rowCount);
        for (let r = 0; r < rowCount; r++) strings[r] = (dictionary[codes[r] as number] as string | undefined) ?? "";
        return { kind: "strings", strings };
      }
      if (this.entries === rowCount && isIdentity(codes)) {
        // Every row a new value, in row order: the pool is already the packed bytes, and the codes array can
        // hold the ends (no copy; a wide table of one row has 100,000s of such columns).
        const data = this.entryData;
        for (let r = 0; r < rowCount; r++) codes[r] = data[r * ENTRY + 1] as number;
        return { kind: "packed", packed: { bytes: this.pool.subarray(0, this.poolLength), ascii, ends: codes } };
      }
      // Not worth a dictionary: each row's bytes copied out of the distinct values, in row order.
      const ranges = (r: number): [number, number] => {
        const e = codes[r] as number;
        return [this.entryData[e * ENTRY] as number, this.entryData[e * ENTRY + 1] as number];
      };
      return { kind: "packed", packed: this.inOrder(rowCount, ranges, ascii) };
    }
    if (this.strings !== undefined) {
      const strings = this.strings;
      this.flush();
      // Rows after the last one written (missing values) are empty.
      for (let r = this.rowsSeen; r < rowCount; r++) strings[r] = "";
      strings.length = rowCount;
      return { kind: "strings", strings };
    }
    const ends = exact(this.ends as Uint32Array, rowCount);
    // Rows after the last one written (missing values) are empty.
    for (let r = this.next; r < rowCount; r++) ends[r] = this.poolLength;
    const starts = this.starts;
    if (starts !== undefined) {
      // Rows were written out of order (a backfill): put them in order.
      for (let r = this.next; r < rowCount; r++) starts[r] = this.poolLength;
      const ranges = (r: number): [number, number] => [starts[r] as number, ends[r] as number];
      return { kind: "packed", packed: this.inOrder(rowCount, ranges, ascii) };
    }
    // A view, never a copy: the pool's spare room was never written, so it costs address space, not memory.
    return { kind: "packed", packed: { bytes: this.pool.subarray(0, this.poolLength), ascii, ends } };
  }

  /**
   * The distinct values as strings: one TextDecoder call for the whole pool (entries are stored one after the
   * other), then a slice per entry; a call per entry cost ~4% of parsing a string-heavy file.
   */
  private decodeEntries(ascii: boolean): string[] {
    utf8Decoder ??= new TextDecoder("utf-8", { ignoreBOM: true });
    const text = utf8Decoder.decode(this.pool.subarray(0, this.poolLength));
    const pool = this.pool;
    const dictionary: string[] = new Array(this.entries);
    let unit = 0;
    for (let e = 0; e < this.entries; e++) {
      const s = this.entryData[e * ENTRY] as number;
      const t = this.entryData[e * ENTRY + 1] as number;
      if (ascii) {
        dictionary[e] = text.slice(s, t);
        continue;
      }
      // UTF-16 length of the entry's bytes: one unit per character, two for 4-byte sequences.
      let units = 0;
      for (let i = s; i < t; i++) {
        const b = pool[i] as number;
        if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
      }
      dictionary[e] = text.slice(unit, unit + units);
      unit += units;
    }
    return dictionary;
  }

  /** Packed strings whose row r is `pool[ranges(r)]`, copied in row order. */
  private inOrder(rowCount: number, ranges: (r: number) => [number, number], ascii: boolean): PackedStrings {
    let total = 0;
    for (let r = 0; r < rowCount; r++) {
      const [s, t] = ranges(r);
      total += t - s;
    }
    const bytes = this.slab.u8(total);
    const ends = this.slab.u32(rowCount);
    const pool = this.pool;
    let at = 0;
    for (let r = 0; r < rowCount; r++) {
      const [s, t] = ranges(r);
      for (let i = s; i < t; i++) bytes[at++] = pool[i] as number;
      ends[r] = at;
    }
    return { bytes, ascii, ends };
  }
}
