// The CSV/TSV core: one pass over UTF-8 bytes straight into typed columns, with readCsv's exact semantics
// (readCsv in testing/referenceCsvReader.ts documents them; csvReader.test.ts checks equality on many inputs).
//
// How it stays fast:
// - Bytes, not text. Numbers, booleans and dates are read from the bytes (scalarBytes.ts); a bare number is
//   parsed while the field is scanned. Strings are copied into a per-column UTF-8 pool (stringStore.ts):
//   low-cardinality ones through a dictionary, the others decoded slice by slice only when materialised.
// - Types are inferred on the fly. Number, boolean and ISO date literals are disjoint sets, so after a column's
//   first non-empty value only one typed candidate remains; a value that breaks it turns the column into a
//   string column from that row on, and the rows before it are re-read once, after the main pass ("backfill").
// - No line counting, no per-field objects: positions of errors are computed from byte offsets when one occurs.
// - UTF-8 is checked per value, and only for values with a byte >= 0x80 (stringStore.ts; the slow paths decode
//   strictly). Invalid UTF-8 anywhere in the input takes precedence over any other error, as if the input had
//   been decoded first: every error is checked against a full scan before it is thrown (errors are rare).
// - Resumable: `step(limit)` reads whole records up to a byte limit, so callers can report progress and yield.
// - NA strings (`naValues`, pandas' read_csv set for pandas tables) cost nothing on the fast paths: typed fields
//   are checked only when the byte scanners reject them, string columns once after the pass (naMatcher.ts).

import type { ColumnType } from "../model/columnTable";
import { ParseError } from "../model/errors";
import { exact, growFloat64 } from "./growable";
import { INPUT_TEXT_MAX, InputText } from "./inputText";
import { NaMatcher } from "./naMatcher";
import type { PackedColumn, PackedTable } from "./packedTable";
import { encodingError, parseErrorAt, positionAt } from "./position";
import { scanBoolean, scanDate, scanDateAt, scanNumber } from "./scalarBytes";
import { BOOLEAN, INTEGER, parseIsoDate, parseNumber, typeOfDtype } from "./scalarText";
import { Slab } from "./slab";
import { InvalidUtf8Value, StringStore } from "./stringStore";

export interface CsvReaderOptions {
  /** Field separator byte: 44 (`,`) for CSV, 9 (tab) for TSV. */
  delimiter?: number;
  /** Whether the first non-blank record names the columns (default true). */
  header?: boolean;
  /** Whether the first column is the pandas index (default false). */
  index?: boolean;
  /** pandas dtypes, one per column in file order. */
  schema?: readonly string[];
  /** Dictionary-encode string columns with few distinct values (default true). */
  dictionary?: boolean;
  /** Field texts that are missing in every column, quoted or not (readCsv's `naValues`). */
  naValues?: readonly string[];
  /**
   * A chunk of a larger input (chunks.ts): the column names are given and `bytes` holds whole records only (no
   * header, no BOM). String columns then mark their NA values 3 in `nulls` (a value that was stored, then found
   * missing), which the merge needs to replay the dictionary's decisions in row order.
   */
  names?: readonly string[];
  /**
   * Plain string columns come back as `string[]` rather than packed bytes (default false): for the thread that
   * keeps the table, where the strings are made as the input is read instead of from a packed copy afterwards.
   */
  materialise?: boolean;
  /** The string the input's bytes were encoded from, if any: a materialising reader slices from it if ASCII. */
  text?: string;
}

/** How one pass over the whole input stores a chunk's rows of a string column (readChunkAs). */
export interface StoredAs {
  unknownBefore: number;
  backfillBefore: number;
}

/** How one column of a chunk was read, for the merge (chunks.ts). */
export interface ChunkColumnInfo {
  /** Kind the column took at its first non-empty value (the schema's, for a dtype'd column). */
  firstKind: number;
  /** Row of that value (-1: none, or a dtype'd column). */
  firstRow: number;
  /** Row at which a typed column turned into a string column (-1: never). */
  switchRow: number;
  naSeen: boolean;
}

// Column kinds. UNKNOWN: only empty values so far (inference). SKIP: values are not kept (errors pending).
export const UNKNOWN = 0;
export const NUMBER = 1;
export const BOOLEAN_KIND = 2;
export const DATE = 3;
export const STRING = 4;
const SKIP = 5;

const KIND_OF_TYPE: Record<ColumnType, number> = { number: NUMBER, boolean: BOOLEAN_KIND, date: DATE, string: STRING };
const TYPE_OF_KIND: ColumnType[] = ["string", "number", "boolean", "date", "string", "string"];

const QUOTE = 34;
const LF = 10;
const CR = 13;

/** Bytes sampled for the first row estimate. */
const SAMPLE_BYTES = 262_144;

const EMPTY_F64 = new Float64Array(0);
const EMPTY_U8 = new Uint8Array(0);

class ColumnState {
  kind: number;
  f64: Float64Array = EMPTY_F64;
  u8: Uint8Array = EMPTY_U8;
  /** 1 = missing, 2 = an empty quoted field (missing unless the column ends up holding strings). */
  nulls: Uint8Array | undefined;
  strings: StringStore | undefined;
  /** Rows [0, backfillTo) are re-read as strings after the main pass (the column stopped being typed). */
  backfillTo = 0;
  firstKind: number;
  firstRow = -1;
  switchRow = -1;
  /**
   * An NA text, or an empty quoted field that `""` makes missing, was read while the column was not a string
   * column: where such fields are stored depends on the type history (chunks.ts needs to know).
   */
  naSeen = false;
  /** First value a schema'd column could not hold: reported after the pass, as readCsv does. */
  errorOffset = -1;
  errorText = "";
  errorWhat = "";

  constructor(
    readonly name: string,
    readonly dtype: string | undefined,
    readonly fixed: boolean,
    readonly integerOnly: boolean,
  ) {
    this.kind = dtype === undefined ? UNKNOWN : (KIND_OF_TYPE[typeOfDtype(dtype)] as number);
    this.firstKind = this.kind;
  }
}

let fatalDecoder: TextDecoder | undefined;
/** Strict UTF-8 (throws on invalid bytes) that keeps a BOM inside a field, as readCsv does. */
function decodeFatal(bytes: Uint8Array): string {
  fatalDecoder ??= new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  return fatalDecoder.decode(bytes);
}

/** Reads one CSV/TSV input; create one per input. */
export class CsvReader {
  private readonly bytes: Uint8Array;
  private readonly n: number;
  private readonly delimiter: number;
  private readonly header: boolean;
  private readonly index: boolean;
  private readonly schema: readonly string[] | undefined;
  private readonly dictionary: boolean;
  private readonly materialise: boolean;
  /** A small input's text, which materialised string columns slice (decoded when the first one needs it). */
  private readonly inputText: InputText | undefined;
  private readonly na: NaMatcher | undefined;
  /** `""` is an NA value: an empty quoted field is missing in every column. */
  private readonly naEmpty: boolean;
  /** An NA value is a literal the fast paths take: every typed field is checked first. */
  private readonly naTyped: boolean;
  private readonly bom: number;
  private readonly names: readonly string[] | undefined;
  private pos: number;
  private started = false;
  private finished = false;
  private columns: ColumnState[] = [];
  private rowCount = 0;
  private capacity = 0;
  /** An upper bound on the rows when the first estimate counted every line (small inputs), else Infinity. */
  private rowBound = Number.POSITIVE_INFINITY;
  /** Byte offset of the first record (the header, if any) and of the first data record. */
  private firstRecord = -1;
  private dataStart = 0;
  private schemaMismatch = false;
  private needsBackfill = false;
  // The field just read by `field()`: bytes `src[fieldStart, fieldEnd)` (src is the input or `scratch`).
  private src: Uint8Array;
  private fieldStart = 0;
  private fieldEnd = 0;
  private scratch: Uint8Array = new Uint8Array(256);
  private readonly one = new Float64Array(1);
  /** Small column buffers, shared chunks (wide tables have many columns of few rows); dictionary indexes apart. */
  private readonly slab = new Slab();
  private readonly hashSlab = new Slab();

  constructor(bytes: Uint8Array, options: CsvReaderOptions = {}) {
    this.bytes = bytes;
    this.n = bytes.length;
    this.src = bytes;
    this.delimiter = options.delimiter ?? 44;
    this.header = options.header ?? true;
    this.index = options.index ?? false;
    this.schema = options.schema;
    this.dictionary = options.dictionary ?? true;
    // A chunk is merged with others from its packed form (chunks.ts).
    this.materialise = (options.materialise ?? false) && options.names === undefined;
    if (this.materialise && bytes.length <= INPUT_TEXT_MAX) this.inputText = new InputText(bytes, options.text);
    this.na = options.naValues === undefined ? undefined : new NaMatcher(options.naValues);
    this.naEmpty = this.na?.empty ?? false;
    this.naTyped = this.na?.typed ?? false;
    this.names = options.names;
    this.bom =
      this.names === undefined && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
        ? 3
        : 0;
    this.pos = this.bom;
  }

  /** Bytes consumed so far (for progress) and the total. */
  get progress(): { done: number; total: number } {
    return { done: this.finished ? this.n : this.pos, total: this.n };
  }

  get done(): boolean {
    return this.finished;
  }

  /** Reads whole records until at least `limit` bytes are consumed or the input ends. */
  step(limit = Number.POSITIVE_INFINITY): void {
    if (this.finished) return;
    try {
      if (!this.started) {
        this.started = true;
        if (this.names !== undefined) this.setColumns(this.names);
        else if (!this.readFirstRecord()) {
          this.finished = true;
          return;
        }
      }
      this.readRecords(limit);
    } catch (error) {
      throw this.reported(error);
    }
    if (this.pos >= this.n) this.finished = true;
  }

  /** Runs to the end and returns the table. Throws ParseError (EncodingError for invalid UTF-8). */
  read(): PackedTable {
    while (!this.finished) this.step();
    try {
      return this.result();
    } catch (error) {
      throw this.reported(error);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Header
  // -------------------------------------------------------------------------------------------------------------

  /** Sets up the columns from the first non-blank record; false when there is none (empty input). */
  private readFirstRecord(): boolean {
    const { bytes, n } = this;
    let pos = this.skipBlankLines(this.pos);
    if (pos >= n) return false;
    this.firstRecord = pos;
    const names: string[] = [];
    const starts: number[] = [];
    for (;;) {
      starts.push(pos);
      pos = this.field(pos);
      names.push(this.decode(this.src, this.fieldStart, this.fieldEnd));
      if (pos < n && bytes[pos] === this.delimiter) {
        pos++;
        continue;
      }
      break;
    }
    if (this.header) {
      const seen = new Set<string>();
      for (let i = 0; i < names.length; i++) {
        const name = names[i] as string;
        if (seen.has(name)) {
          throw this.errorAt(`duplicate column name ${JSON.stringify(name)}`, starts[i] as number);
        }
        seen.add(name);
      }
      this.pos = this.dataStart = this.lineEnd(pos);
    } else {
      for (let i = 0; i < names.length; i++) names[i] = String(i);
      this.pos = this.dataStart = this.firstRecord;
    }
    this.setColumns(names);
    return true;
  }

  /** The first record's column names and where the data starts (errors as `read` reports them). */
  readHeader(): { names: string[]; dataStart: number } | undefined {
    if (this.names !== undefined) throw new Error("readHeader() reads a whole input, not a chunk");
    try {
      if (!this.started) {
        this.started = true;
        if (!this.readFirstRecord()) this.finished = true;
      }
    } catch (error) {
      throw this.reported(error);
    }
    if (this.firstRecord < 0) return undefined;
    return { names: this.columns.map((c) => c.name), dataStart: this.dataStart };
  }

  private setColumns(names: readonly string[]): void {
    const schema = this.schema;
    if (schema !== undefined && schema.length !== names.length) this.schemaMismatch = true;
    this.columns = names.map((name, c) => {
      const dtype = this.schemaMismatch ? undefined : schema?.[c];
      const column = new ColumnState(name, dtype, dtype !== undefined, isIntegerDtype(dtype));
      if (this.schemaMismatch) column.kind = SKIP;
      return column;
    });
    if (this.names !== undefined) this.firstRecord = this.dataStart = this.pos;
    this.allocate(this.estimateRows());
  }

  /**
   * Rows to allocate first: the line breaks in the first 256 KiB of data (plus one for a last record without
   * one), an upper bound on the records there. For a small input that is the whole input; for a large one,
   * `grow` re-estimates from the records read. No fixed slack per column: a table of 100,000 columns and one row
   * must not cost 100,000 columns of spare rows.
   */
  private estimateRows(): number {
    const { bytes, n } = this;
    const sampleEnd = Math.min(n, this.dataStart + SAMPLE_BYTES);
    const { lf: lines, cr: crs } = countLineBreaks(bytes, this.dataStart, sampleEnd);
    // Every record but the last ends with a LF, a CR or both: a bound on the records of the whole input.
    // Not in a chunk: its early give-up would not be one pass's (chunks.ts relies on the first chunk's).
    if (sampleEnd === n && this.names === undefined) this.rowBound = lines + crs + 1;
    return Math.max(1, sampleEnd === n && bytes[n - 1] === LF ? lines : lines + 1);
  }

  /**
   * More rows are needed at `pos`: the total estimated from the mean record length so far (plus 1%), at least
   * a sixteenth more than now, so columns are allocated about once and end up nearly exact. Not more: `exact`
   * hands out a column with up to a sixteenth spare as a view, and copies it beyond that (an eighth made
   * zipcodes.csv, whose estimate fell 0.5% short, grow twice and then copy every column).
   */
  private grow(pos: number): void {
    const read = Math.max(1, pos - this.dataStart);
    const estimate = Math.ceil((this.rowCount / read) * (this.n - this.dataStart) * 1.01) + 1;
    this.allocate(Math.max(estimate, Math.ceil(this.capacity * 1.0625) + 1));
  }

  /** Bytes of the column buffers held now: memory that must follow the input's size, not its shape. */
  columnBufferBytes(): number {
    let bytes = 0;
    for (const column of this.columns) {
      bytes += column.f64.byteLength + column.u8.byteLength + (column.nulls?.byteLength ?? 0);
      bytes += column.strings?.allocatedBytes() ?? 0;
    }
    return bytes;
  }

  private stringStore(): StringStore {
    const { capacity, dictionary, slab, hashSlab, rowBound, materialise, inputText } = this;
    return new StringStore(capacity, dictionary, slab, hashSlab, rowBound, materialise, inputText);
  }

  private allocate(capacity: number): void {
    this.capacity = capacity;
    const slab = this.slab;
    for (const column of this.columns) {
      if (column.kind === NUMBER || column.kind === DATE) {
        column.f64 = column.f64.length === 0 ? slab.f64(capacity) : growFloat64(column.f64, capacity);
      } else if (column.kind === BOOLEAN_KIND) {
        column.u8 = column.u8.length === 0 ? slab.u8(capacity) : growU8(column.u8, capacity);
      } else if (column.kind === STRING) {
        if (column.strings) column.strings.grow(capacity);
        else column.strings = this.stringStore();
      }
      if (column.nulls) column.nulls = growU8(column.nulls, capacity);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // The main loop
  // -------------------------------------------------------------------------------------------------------------

  private readRecords(limit: number): void {
    const { bytes, n, delimiter } = this;
    const columns = this.columns;
    const count = columns.length;
    // In a local: Chromium reloaded the field after every call in the loop (zipcodes 23-24 -> 19 ms).
    const naTyped = this.naTyped;
    let pos = this.pos;
    while (pos < n && pos < limit) {
      let b = bytes[pos] as number;
      if (b === LF || b === CR) {
        // A blank line (one empty bare field): skipped, as pandas does.
        pos += b === CR && bytes[pos + 1] === LF ? 2 : 1;
        continue;
      }
      const row = this.rowCount;
      if (row === this.capacity) this.grow(pos);
      let c = 0;
      for (;;) {
        const column = columns[c] as ColumnState;
        b = pos < n ? (bytes[pos] as number) : LF;
        if (b === QUOTE) {
          const start = pos;
          pos = this.quotedField(pos);
          this.value(column, row, this.src, this.fieldStart, this.fieldEnd, true, start);
        } else if (b === delimiter || b === LF || b === CR) {
          this.missing(column, row, 1);
        } else if ((column.kind === NUMBER || column.kind === DATE) && !naTyped) {
          // The hot path: a bare number or date parsed while scanning, its end found as it is read.
          const end =
            column.kind === NUMBER
              ? scanNumber(bytes, pos, n, column.f64, row, column.integerOnly)
              : scanDateAt(bytes, pos, n, column.f64, row);
          const t = end >= 0 && end < n ? (bytes[end] as number) : LF;
          if (end >= 0 && (t === delimiter || t === LF || t === CR)) {
            pos = end;
          } else {
            const start = pos;
            pos = this.bareEnd(pos);
            this.value(column, row, bytes, start, pos, false, start);
          }
        } else if (column.kind === STRING) {
          pos = (column.strings as StringStore).addBare(row, bytes, pos, n, delimiter);
        } else {
          const start = pos;
          pos = this.bareEnd(pos);
          this.value(column, row, bytes, start, pos, false, start);
        }
        if (pos < n && bytes[pos] === delimiter) {
          pos++;
          if (++c === count) throw this.tooManyFields(pos);
          continue;
        }
        break;
      }
      for (c++; c < count; c++) this.missing(columns[c] as ColumnState, row, 1);
      if (pos < n) pos += bytes[pos] === CR && bytes[pos + 1] === LF ? 2 : 1;
      this.rowCount = row + 1;
    }
    this.pos = pos;
  }

  /** End of a bare field starting at `pos`: the next delimiter, CR, LF or the end of input. */
  private bareEnd(pos: number): number {
    const { bytes, n, delimiter } = this;
    while (pos < n) {
      const b = bytes[pos];
      if (b === delimiter || b === LF || b === CR) break;
      pos++;
    }
    return pos;
  }

  /**
   * Reads the quoted field whose opening quote is at `pos`; sets src/fieldStart/fieldEnd to its content (doubled
   * quotes undone in `scratch`) and returns the index after the closing quote.
   */
  private quotedField(pos: number): number {
    const { bytes, n } = this;
    let q = pos + 1;
    while (q < n && bytes[q] !== QUOTE) q++;
    if (q >= n) throw this.errorAt("unclosed quoted field", pos);
    if (q + 1 < n && bytes[q + 1] === QUOTE) return this.escapedField(pos);
    this.src = bytes;
    this.fieldStart = pos + 1;
    this.fieldEnd = q;
    return this.afterClosingQuote(q + 1);
  }

  /** Slow path of quotedField for content with doubled quotes: copies it into `scratch` without them. */
  private escapedField(pos: number): number {
    const { bytes, n } = this;
    let length = 0;
    let segment = pos + 1;
    for (;;) {
      let q = segment;
      while (q < n && bytes[q] !== QUOTE) q++;
      if (q >= n) throw this.errorAt("unclosed quoted field", pos);
      const doubled = q + 1 < n && bytes[q + 1] === QUOTE;
      const copyEnd = doubled ? q + 1 : q;
      if (length + copyEnd - segment > this.scratch.length) {
        const bigger = new Uint8Array(Math.max(this.scratch.length * 2, length + copyEnd - segment));
        bigger.set(this.scratch.subarray(0, length));
        this.scratch = bigger;
      }
      const scratch = this.scratch;
      for (let i = segment; i < copyEnd; i++) scratch[length++] = bytes[i] as number;
      if (!doubled) {
        this.src = this.scratch;
        this.fieldStart = 0;
        this.fieldEnd = length;
        return this.afterClosingQuote(q + 1);
      }
      segment = q + 2;
    }
  }

  /** After a closing quote only a delimiter, a line break or the end may follow. */
  private afterClosingQuote(pos: number): number {
    if (pos < this.n) {
      const b = this.bytes[pos];
      if (b !== this.delimiter && b !== LF && b !== CR) {
        throw this.errorAt("unexpected character after a closing quote", pos);
      }
    }
    return pos;
  }

  /** Reads any field at `pos` (bare or quoted) into src/fieldStart/fieldEnd; returns the index after it. */
  private field(pos: number): number {
    if (pos < this.n && this.bytes[pos] === QUOTE) return this.quotedField(pos);
    this.src = this.bytes;
    this.fieldStart = pos;
    this.fieldEnd = this.bareEnd(pos);
    return this.fieldEnd;
  }

  private skipBlankLines(pos: number): number {
    const { bytes, n } = this;
    while (pos < n && (bytes[pos] === LF || bytes[pos] === CR)) pos++;
    return pos;
  }

  /** Index after the line break at `pos` (or `pos` at the end of input). */
  private lineEnd(pos: number): number {
    if (pos >= this.n) return pos;
    return pos + (this.bytes[pos] === CR && this.bytes[pos + 1] === LF ? 2 : 1);
  }

  // -------------------------------------------------------------------------------------------------------------
  // Values
  // -------------------------------------------------------------------------------------------------------------

  /** Stores the field `src[s, e)` of `column` at `row`; `at` is where the field starts in the input. */
  private value(column: ColumnState, row: number, src: Uint8Array, s: number, e: number, quoted: boolean, at: number) {
    if (s === e) {
      if (this.naEmpty) {
        if (quoted && column.kind !== STRING) column.naSeen = true;
        this.missing(column, row, 1);
      } else if (quoted && column.kind === STRING) (column.strings as StringStore).add(row, src, s, e);
      else this.missing(column, row, quoted ? 2 : 1);
      return;
    }
    if (this.naTyped && column.kind !== STRING && (this.na as NaMatcher).matches(src, s, e)) {
      column.naSeen = true;
      this.missing(column, row, 1);
      return;
    }
    switch (column.kind) {
      case NUMBER:
        if (scanNumber(src, s, e, column.f64, row, column.integerOnly) === e) return;
        this.slowNumber(column, row, src, s, e, at);
        return;
      case BOOLEAN_KIND: {
        const v = scanBoolean(src, s, e);
        if (v >= 0) column.u8[row] = v;
        else this.slowBoolean(column, row, src, s, e, at);
        return;
      }
      case DATE:
        if (!scanDate(src, s, e, column.f64, row)) this.slowDate(column, row, src, s, e, at);
        return;
      case STRING:
        (column.strings as StringStore).add(row, src, s, e);
        return;
      case UNKNOWN:
        this.classify(column, row, src, s, e);
        return;
      default:
    }
  }

  /** Marks `row` missing (1) or an empty quoted field (2). */
  private missing(column: ColumnState, row: number, mark: number): void {
    if (column.kind === SKIP) return;
    if (column.nulls === undefined) column.nulls = this.slab.u8(this.capacity);
    column.nulls[row] = mark;
    if (column.kind === NUMBER || column.kind === DATE) column.f64[row] = Number.NaN;
  }

  private decode(src: Uint8Array, s: number, e: number): string {
    try {
      return decodeFatal(src.subarray(s, e));
    } catch {
      throw new InvalidUtf8Value();
    }
  }

  /** First non-empty value of an inferred column: it picks the column's type. */
  private classify(column: ColumnState, row: number, src: Uint8Array, s: number, e: number): void {
    if (this.isNa(column, row, src, s, e)) return;
    const one = this.one;
    if (scanNumber(src, s, e, one, 0) === e) {
      this.become(column, NUMBER, row);
      column.f64[row] = one[0] as number;
      return;
    }
    const b = scanBoolean(src, s, e);
    if (b >= 0) {
      this.become(column, BOOLEAN_KIND, row);
      column.u8[row] = b;
      return;
    }
    if (scanDate(src, s, e, one, 0)) {
      this.become(column, DATE, row);
      column.f64[row] = one[0] as number;
      return;
    }
    const text = this.decode(src, s, e);
    const v = parseNumber(text);
    if (v !== undefined) {
      this.become(column, NUMBER, row);
      column.f64[row] = v;
      if (Number.isNaN(v)) this.missing(column, row, 1);
      return;
    }
    const t = text.trim();
    if (BOOLEAN.test(t)) {
      this.become(column, BOOLEAN_KIND, row);
      column.u8[row] = t.toLowerCase() === "true" ? 1 : 0;
      return;
    }
    const d = parseIsoDate(text);
    if (d !== undefined) {
      this.become(column, DATE, row);
      column.f64[row] = d;
      return;
    }
    this.become(column, STRING, row);
    (column.strings as StringStore).add(row, src, s, e);
  }

  /**
   * A typed (or not yet typed) column's field that is an NA value: marked missing, so it neither breaks the
   * column's type nor fails its dtype. String columns are checked after the pass instead (finishColumn).
   */
  private isNa(column: ColumnState, row: number, src: Uint8Array, s: number, e: number): boolean {
    if (this.na === undefined || !this.na.matches(src, s, e)) return false;
    column.naSeen = true;
    this.missing(column, row, 1);
    return true;
  }

  /** An inferred column leaves UNKNOWN (rows before `row` were all empty) or stops being typed. */
  private become(column: ColumnState, kind: number, row: number): void {
    const from = column.kind;
    column.kind = kind;
    if (from === UNKNOWN) {
      column.firstKind = kind;
      column.firstRow = row;
    } else if (kind === STRING) column.switchRow = row;
    if (kind === NUMBER || kind === DATE) {
      column.f64 = this.slab.f64(this.capacity);
      column.f64.fill(Number.NaN, 0, row);
    } else if (kind === BOOLEAN_KIND) column.u8 = this.slab.u8(this.capacity);
    else {
      const strings = this.stringStore();
      column.strings = strings;
      column.f64 = EMPTY_F64;
      column.u8 = EMPTY_U8;
      if (from === UNKNOWN) {
        // Rows before were empty: bare ones stay missing, quoted ones become "".
        const nulls = column.nulls;
        if (nulls) {
          for (let r = 0; r < row; r++) {
            if (nulls[r] === 2) {
              nulls[r] = 0;
              strings.add(r, this.bytes, 0, 0);
            }
          }
        }
      } else {
        column.backfillTo = row;
        this.needsBackfill = true;
      }
    }
  }

  private fail(column: ColumnState, at: number, text: string, what: string): void {
    if (column.errorOffset < 0) {
      column.errorOffset = at;
      column.errorText = text;
      column.errorWhat = what;
    }
    column.kind = SKIP;
  }

  private slowNumber(column: ColumnState, row: number, src: Uint8Array, s: number, e: number, at: number): void {
    if (this.isNa(column, row, src, s, e)) return;
    const text = this.decode(src, s, e);
    if (column.integerOnly) {
      const t = text.trim();
      if (INTEGER.test(t)) column.f64[row] = Number(t);
      else this.fail(column, at, text, "an integer");
      return;
    }
    const v = parseNumber(text);
    if (v === undefined) {
      if (column.fixed) this.fail(column, at, text, "a number");
      else {
        this.become(column, STRING, row);
        (column.strings as StringStore).add(row, src, s, e);
      }
      return;
    }
    column.f64[row] = v;
    if (Number.isNaN(v)) this.missing(column, row, 1);
  }

  private slowBoolean(column: ColumnState, row: number, src: Uint8Array, s: number, e: number, at: number): void {
    if (this.isNa(column, row, src, s, e)) return;
    const text = this.decode(src, s, e);
    const t = text.trim();
    if (BOOLEAN.test(t)) column.u8[row] = t.toLowerCase() === "true" ? 1 : 0;
    else if (column.fixed) this.fail(column, at, text, "a boolean (True or False)");
    else {
      this.become(column, STRING, row);
      (column.strings as StringStore).add(row, src, s, e);
    }
  }

  private slowDate(column: ColumnState, row: number, src: Uint8Array, s: number, e: number, at: number): void {
    if (this.isNa(column, row, src, s, e)) return;
    const text = this.decode(src, s, e);
    const v = parseIsoDate(text);
    if (v !== undefined) column.f64[row] = v;
    else if (column.fixed) this.fail(column, at, text, "an ISO 8601 date");
    else {
      this.become(column, STRING, row);
      (column.strings as StringStore).add(row, src, s, e);
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // After the pass
  // -------------------------------------------------------------------------------------------------------------

  /** Re-reads, as strings, the rows that columns read as typed values before they turned out to be strings. */
  private backfill(): void {
    const { bytes, n, delimiter } = this;
    const columns = this.columns;
    let rows = 0;
    for (const column of columns) rows = Math.max(rows, column.backfillTo);
    let pos = this.dataStart;
    for (let row = 0; row < rows && pos < n; ) {
      const b = bytes[pos];
      if (b === LF || b === CR) {
        pos += b === CR && bytes[pos + 1] === LF ? 2 : 1;
        continue;
      }
      let c = 0;
      for (;;) {
        const column = columns[c] as ColumnState;
        const quoted = pos < n && bytes[pos] === QUOTE;
        pos = this.field(pos);
        if (row < column.backfillTo) this.backfillValue(column, row, quoted);
        if (pos < n && bytes[pos] === delimiter) {
          pos++;
          c++;
          continue;
        }
        break;
      }
      for (c++; c < columns.length; c++) {
        const column = columns[c] as ColumnState;
        if (row < column.backfillTo) (column.nulls as Uint8Array)[row] = 1;
      }
      pos = this.lineEnd(pos);
      row++;
    }
  }

  private backfillValue(column: ColumnState, row: number, quoted: boolean): void {
    const { src, fieldStart, fieldEnd } = this;
    if (column.nulls === undefined) column.nulls = this.slab.u8(this.capacity);
    if (fieldStart === fieldEnd && !quoted) {
      column.nulls[row] = 1;
      return;
    }
    column.nulls[row] = 0;
    (column.strings as StringStore).add(row, src, fieldStart, fieldEnd);
  }

  /**
   * A chunk after its pass (the input read to the end): each column's kind. Throws what `read` would throw for
   * an error found in the pass (a dtype'd column's bad value, a schema of the wrong length).
   */
  chunkKinds(): { rowCount: number; kinds: number[]; info: ChunkColumnInfo[] } {
    while (!this.finished) this.step();
    if (this.schemaMismatch || this.columns.some((c) => c.errorOffset >= 0)) this.read();
    return {
      rowCount: this.rowCount,
      kinds: this.columns.map((c) => c.kind),
      info: this.columns.map((c) => ({
        firstKind: c.firstKind,
        firstRow: c.firstRow,
        switchRow: c.switchRow,
        naSeen: c.naSeen,
      })),
    };
  }

  /**
   * A chunk's table with each column read as `kinds[c]` says (the kinds every chunk agreed on): a column still
   * without a value takes the kind, a typed column that must hold strings is re-read as strings.
   *
   * `stored[c]`, for a string column, says how one pass over the whole input would have stored this chunk's
   * rows: as a column without a value yet before row `unknownBefore`, re-read after the pass (as a column that
   * was typed first) before `backfillBefore`, as strings after. Where that differs from this chunk's own history
   * and it matters (NA fields were read before the column held strings), the column is read again that way.
   */
  readChunkAs(kinds: readonly number[], stored: ReadonlyArray<StoredAs | undefined> = []): PackedTable {
    const rows = this.rowCount;
    const again = new Map<number, StoredAs>();
    this.columns.forEach((column, c) => {
      const kind = kinds[c] as number;
      const want = stored[c];
      if (kind === STRING && want && column.naSeen) {
        // This chunk's own prefix: before its first value (no value yet), or before its switch (typed first).
        let own: StoredAs;
        if (column.kind === UNKNOWN) own = { unknownBefore: rows, backfillBefore: 0 };
        else if (column.firstKind === STRING) own = { unknownBefore: Math.max(0, column.firstRow), backfillBefore: 0 };
        else own = { unknownBefore: 0, backfillBefore: column.kind === STRING ? column.backfillTo : rows };
        if (own.unknownBefore !== want.unknownBefore || own.backfillBefore !== want.backfillBefore) {
          again.set(c, want);
          return;
        }
      }
      if (column.kind === kind) return;
      if (column.kind === UNKNOWN && kind !== STRING) {
        column.kind = kind;
        if (kind === BOOLEAN_KIND) column.u8 = this.slab.u8(this.capacity);
        else {
          column.f64 = this.slab.f64(this.capacity);
          column.f64.fill(Number.NaN);
        }
      } else if (kind === STRING) this.become(column, STRING, rows);
      else throw new Error(`a chunk's column cannot turn from kind ${column.kind} into ${kind}`);
    });
    if (again.size > 0) this.storeAgain(again);
    return this.read();
  }

  /** Reads the given columns of this chunk again as strings, each row stored as `StoredAs` says. */
  private storeAgain(columns: Map<number, StoredAs>): void {
    const { bytes, n, delimiter } = this;
    const naEmpty = this.naEmpty;
    for (const c of columns.keys()) {
      const column = this.columns[c] as ColumnState;
      column.kind = STRING;
      column.backfillTo = 0;
      column.f64 = EMPTY_F64;
      column.u8 = EMPTY_U8;
      column.strings = this.stringStore();
      column.nulls = this.slab.u8(this.capacity);
    }
    let pos = this.dataStart;
    for (let row = 0; row < this.rowCount && pos < n; ) {
      const b = bytes[pos];
      if (b === LF || b === CR) {
        pos += b === CR && bytes[pos + 1] === LF ? 2 : 1;
        continue;
      }
      let c = 0;
      for (; ; c++) {
        const quoted = pos < n && bytes[pos] === QUOTE;
        pos = this.field(pos);
        const want = columns.get(c);
        if (want !== undefined) this.storeAs(this.columns[c] as ColumnState, row, quoted, want, naEmpty);
        if (pos < n && bytes[pos] === delimiter) {
          pos++;
          continue;
        }
        break;
      }
      for (c++; c < this.columns.length; c++) {
        if (columns.has(c)) (this.columns[c] as ColumnState).nulls![row] = 1;
      }
      pos = this.lineEnd(pos);
      row++;
    }
  }

  private storeAs(column: ColumnState, row: number, quoted: boolean, want: StoredAs, naEmpty: boolean): void {
    const { src, fieldStart, fieldEnd } = this;
    const nulls = column.nulls as Uint8Array;
    const strings = column.strings as StringStore;
    if (fieldStart === fieldEnd) {
      // Empty: bare ones are missing; quoted ones are "" unless `""` is an NA value (then stored only by a re-read).
      if (quoted && (row < want.backfillBefore || !naEmpty)) strings.add(row, src, fieldStart, fieldStart);
      else nulls[row] = 1;
      return;
    }
    // Before the column's first value every non-empty field is an NA value, and none is stored.
    if (row < want.unknownBefore) nulls[row] = 1;
    else strings.add(row, src, fieldStart, fieldEnd);
  }

  /** Per column: a string column that gave up its dictionary part way through (chunks.ts). */
  dictionariesGivenUp(): boolean[] {
    return this.columns.map((c) => c.strings?.gaveUp ?? false);
  }

  private result(): PackedTable {
    if (this.firstRecord < 0) return { rowCount: 0, columns: [] };
    const columns = this.columns;
    if (this.schemaMismatch) {
      const { line } = positionAt(this.bytes, this.firstRecord, this.bom);
      throw new ParseError(
        `the schema has ${(this.schema as readonly string[]).length} dtypes but the CSV has ${columns.length} columns`,
        line,
        1,
      );
    }
    for (const column of columns) {
      if (column.errorOffset >= 0) {
        throw this.errorAt(
          `${JSON.stringify(column.errorText)} is not ${column.errorWhat} (column ${JSON.stringify(column.name)} is ${column.dtype})`,
          column.errorOffset,
        );
      }
    }
    if (this.needsBackfill) this.backfill();
    const rowCount = this.rowCount;
    const out: PackedColumn[] = columns.map((column) => this.finishColumn(column, rowCount));
    const table: PackedTable = { rowCount, columns: out };
    if (this.index && out[0]) table.index = out[0].name;
    return table;
  }

  private finishColumn(column: ColumnState, rowCount: number): PackedColumn {
    const kind = column.kind;
    const type = TYPE_OF_KIND[kind] as ColumnType;
    let nulls = column.nulls;
    let out: PackedColumn;
    if (kind === NUMBER || kind === DATE) out = { name: column.name, type, values: exact(column.f64, rowCount) };
    else if (kind === BOOLEAN_KIND) out = { name: column.name, type, values: exact(column.u8, rowCount) };
    else if (kind === STRING) {
      const values = (column.strings as StringStore).finish(rowCount);
      if (this.na) {
        nulls = this.na.markStrings(values, nulls && exact(nulls, rowCount), rowCount, this.names ? 3 : 1);
      }
      if (values.kind === "dictionary") {
        out = { name: column.name, type, values: values.codes, dictionary: values.dictionary };
      } else out = { name: column.name, type, values: values.kind === "packed" ? values.packed : values.strings };
    } else {
      // No value at all (UNKNOWN): a string column of missing values, "" for empty quoted fields.
      if (nulls) for (let r = 0; r < rowCount; r++) if (nulls[r] === 2) nulls[r] = 0;
      out = { name: column.name, type, values: { text: "", ends: this.slab.u32(rowCount) } };
    }
    if (nulls) {
      nulls = exact(nulls, rowCount);
      let any = false;
      for (let r = 0; r < rowCount; r++) {
        const m = nulls[r];
        if (m === 2) nulls[r] = 1;
        if (m) any = true;
      }
      if (any) out.nulls = nulls;
    }
    if (column.dtype !== undefined) out.dtype = column.dtype;
    return out;
  }

  // -------------------------------------------------------------------------------------------------------------
  // Errors
  // -------------------------------------------------------------------------------------------------------------

  /**
   * The error to throw for `error`: an EncodingError at the first invalid byte when the input is not valid UTF-8
   * (the same answer as decoding first, whichever problem the pass met first), otherwise `error` itself.
   */
  private reported(error: unknown): unknown {
    if (!(error instanceof ParseError || error instanceof InvalidUtf8Value)) return error;
    return encodingError(this.bytes, this.bom) ?? error;
  }

  private errorAt(message: string, offset: number): ParseError {
    return parseErrorAt(message, this.bytes, offset, this.bom);
  }

  /** A record has a field beyond the last column (at `extra`): count its fields as readCsv reports them. */
  private tooManyFields(extra: number): ParseError {
    const { bytes, n, delimiter } = this;
    let fields = this.columns.length + 1;
    let pos = this.field(extra);
    while (pos < n && bytes[pos] === delimiter) {
      pos = this.field(pos + 1);
      fields++;
    }
    return this.errorAt(`row has ${fields} fields but there are ${this.columns.length} columns`, extra);
  }
}

/**
 * Line feeds and carriage returns in `bytes[start, end)`, four bytes at a time (SWAR: an exact zero-byte mask
 * per 32-bit word, then a multiply sums its bits), in one pass: a byte loop cost 16% of reading a 200 KB file,
 * and looking for a CR with indexOf another 6% in Chromium.
 */
export function countLineBreaks(bytes: Uint8Array, start: number, end: number): { lf: number; cr: number } {
  // Bytes before the first 4-byte aligned address, then whole words, then the tail.
  const head = Math.min(end, start + ((4 - ((bytes.byteOffset + start) & 3)) & 3));
  const words = (end - head) >> 2;
  const tail = head + (words << 2);
  // (No view at an unaligned offset, which throws even for no words: `head` is clamped to `end`.)
  const view = words > 0 ? new Int32Array(bytes.buffer, bytes.byteOffset + head, words) : NO_WORDS;
  const both = countInWords(view);
  return {
    lf: countByte(bytes, start, head, LF) + (both % WORD_COUNTS) + countByte(bytes, tail, end, LF),
    cr: countByte(bytes, start, head, CR) + Math.floor(both / WORD_COUNTS) + countByte(bytes, tail, end, CR),
  };
}

const NO_WORDS = new Int32Array(0);
/** countInWords returns LFs + CRs * WORD_COUNTS: exact while each count stays below it (inputs under 64 MiB). */
const WORD_COUNTS = 2 ** 26;
/** Words per block: a byte lane of a block's sums counts at most this many, so no sum leaves the int32 range. */
const BLOCK = 127;

/**
 * The LFs and CRs in `words`, as LFs + CRs * WORD_COUNTS. Per word, the high bit of each byte of x ^ 0x0a0a0a0a
 * (or 0x0d..) that is zero, exact (no borrow crosses a byte), shifted to a 1 in its lane and added to the block's
 * lane sums, which are added up once per block: a multiply per word to add them cost 30% more. Nothing follows
 * the outer loop but the return: V8 compiles a loop while it runs (on-stack replacement) and keeps that code for
 * later calls, and an operation after the loop, with no type feedback when it was compiled, deoptimized it at the
 * end of every call (Node: 69 times in 200 parses; Chromium: 47 in 39).
 */
function countInWords(words: Int32Array): number {
  let both = 0;
  for (let block = 0; block < words.length; block += BLOCK) {
    const stop = Math.min(words.length, block + BLOCK);
    let lf = 0;
    let cr = 0;
    for (let k = block; k < stop; k++) {
      const x = words[k] as number;
      const l = x ^ 0x0a0a0a0a;
      const c = x ^ 0x0d0d0d0d;
      lf += ~(((l & 0x7f7f7f7f) + 0x7f7f7f7f) | l | 0x7f7f7f7f) >>> 7;
      cr += ~(((c & 0x7f7f7f7f) + 0x7f7f7f7f) | c | 0x7f7f7f7f) >>> 7;
    }
    both +=
      (lf & 0xff) +
      ((lf >>> 8) & 0xff) +
      ((lf >>> 16) & 0xff) +
      (lf >>> 24) +
      ((cr & 0xff) + ((cr >>> 8) & 0xff) + ((cr >>> 16) & 0xff) + (cr >>> 24)) * WORD_COUNTS;
  }
  return both;
}

/** How many of `bytes[from, to)` are `byte`. */
function countByte(bytes: Uint8Array, from: number, to: number, byte: number): number {
  let count = 0;
  for (let i = from; i < to; i++) if (bytes[i] === byte) count++;
  return count;
}

function isIntegerDtype(dtype: string | undefined): boolean {
  return dtype !== undefined && typeOfDtype(dtype) === "number" && /^u?int/i.test(dtype.trim());
}

function growU8(array: Uint8Array, needed: number): Uint8Array {
  if (array.length >= needed) return array;
  const out = new Uint8Array(needed);
  out.set(array);
  return out;
}
