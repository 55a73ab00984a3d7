// Parsing on the calling thread: the same code the workers run. Synchronous for bytes and strings; the async form
// reads Blobs, reports progress and checks an AbortSignal between slices of the input.

import type { ColumnTable } from "../model/columnTable";
import { AbortError, DstackError } from "../model/errors";
import { CsvReader, type CsvReaderOptions } from "./csvReader";
import { readJson } from "./jsonReader";
import { type PackedTable, unpackTable, yieldToEventLoop } from "./packedTable";
import { encodeUtf8, encodeUtf8InPieces } from "./utf8";

/** What the parser reads: UTF-8 bytes (an ArrayBuffer or a view of one), a Blob, or a string. */
export type TableInput = ArrayBuffer | ArrayBufferView | Blob | string;

/** `csv` (RFC 4180), `tsv` (the same with tabs) or `json` (row objects or column arrays). */
export type TableFormat = "csv" | "tsv" | "json";

/** Options of a parse, as dstack's `settings` of a dataframe attachment spell them. */
export interface TableParseOptions {
  /** Default `csv`. */
  format?: TableFormat;
  /** pandas dtypes, one per column in file order (the index's first): the column types. Inferred without it. */
  schema?: readonly string[];
  /** CSV/TSV: whether the first non-blank line names the columns (default true). */
  header?: boolean;
  /** Whether the first column is the pandas index (default false): `table.index` names it. */
  index?: boolean;
  /** Dictionary-encode string columns with at most half as many distinct values as rows (default true). */
  dictionary?: boolean;
  /**
   * CSV/TSV: field texts that are missing values in every column, quoted or not, e.g. `PANDAS_NA_VALUES` to read
   * as pandas' `read_csv` does (`""` among them makes an empty quoted field missing in string columns too).
   */
  naValues?: readonly string[];
}

/** {@link TableParseOptions} plus cancellation and progress. */
export interface ParseOptions extends TableParseOptions {
  /** Aborting it rejects the parse with AbortError. */
  signal?: AbortSignal;
  /** Called as the input is read (every few MiB) and once at the end. */
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
}

const FORMATS: ReadonlySet<string> = new Set(["csv", "tsv", "json"]);

/** Bytes read between progress reports and abort checks. */
const SLICE_BYTES = 4 * 1024 * 1024;

/**
 * Parsing between two yields, at most (plus one slice): far below a 50 ms long task. Yielding after every
 * 256 KiB slice instead made a 1.9 MB parse on the page's thread 30% slower than the parse itself in Chromium.
 */
const YIELD_AFTER_MS = 10;

export function checkOptions(options: TableParseOptions): void {
  if (options.format !== undefined && !FORMATS.has(options.format)) {
    throw new DstackError(
      `unknown table format ${JSON.stringify(options.format)}; use "csv", "tsv" or "json"`,
      "invalid_option",
      400,
    );
  }
  const { schema } = options;
  if (schema !== undefined && !(Array.isArray(schema) && schema.every((s) => typeof s === "string"))) {
    throw new DstackError("schema must be a list of pandas dtype names", "invalid_option", 400);
  }
  const { naValues } = options;
  if (naValues !== undefined && !(Array.isArray(naValues) && naValues.every((s) => typeof s === "string"))) {
    throw new DstackError("naValues must be a list of strings", "invalid_option", 400);
  }
}

/** UTF-8 bytes of a synchronous input (strings are encoded; buffers and views are used as they are). */
export function inputBytes(input: ArrayBuffer | ArrayBufferView | string): Uint8Array {
  if (typeof input === "string") return encodeUtf8(input);
  if (input instanceof Uint8Array) return input;
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (input instanceof ArrayBuffer || Object.prototype.toString.call(input) === "[object ArrayBuffer]") {
    return new Uint8Array(input);
  }
  throw new DstackError("the parser reads an ArrayBuffer, a typed array, a Blob or a string", "invalid_input", 400);
}

/** The CSV reader's options for a parse's options. */
export function csvReaderOptions(options: TableParseOptions): CsvReaderOptions {
  return {
    delimiter: options.format === "tsv" ? 9 : 44,
    header: options.header ?? true,
    index: options.index ?? false,
    dictionary: options.dictionary ?? true,
    ...(options.schema ? { schema: options.schema } : {}),
    ...(options.naValues ? { naValues: options.naValues } : {}),
  };
}

function csvReader(bytes: Uint8Array, options: TableParseOptions, materialise: boolean, text?: string): CsvReader {
  return new CsvReader(bytes, { ...csvReaderOptions(options), materialise, ...(text === undefined ? {} : { text }) });
}

function jsonOptions(options: TableParseOptions) {
  return {
    index: options.index ?? false,
    dictionary: options.dictionary ?? true,
    ...(options.schema ? { schema: options.schema } : {}),
  };
}

/**
 * Parses bytes to the packed form (strings not yet materialised): what a worker sends back. With `materialise`
 * (the thread that keeps the table), a CSV's plain string columns are made as strings while the input is read;
 * `text`, the string the bytes were encoded from, if any, saves decoding them again for that.
 */
export function parsePacked(
  bytes: Uint8Array,
  options: TableParseOptions = {},
  materialise = false,
  text?: string,
): PackedTable {
  checkOptions(options);
  if (options.format === "json") return readJson(bytes, jsonOptions(options));
  return csvReader(bytes, options, materialise, text).read();
}

/** How parsePackedInSlices cuts its work; `now` and `yieldTask` are for tests. */
export interface Slicing {
  bytes: number;
  /** Yield to the event loop now and then even without a signal (a thread that must stay responsive). */
  yield: boolean;
  now?: () => number;
  yieldTask?: () => Promise<void>;
}

/**
 * Parses bytes to the packed form in slices of `slice.bytes`: reports progress and checks the signal after each,
 * and, when a signal is given (or `slice.yield`), yields to the event loop once the slices since the last yield
 * took YIELD_AFTER_MS, so that an abort can land and no task runs long.
 */
export async function parsePackedInSlices(
  bytes: Uint8Array,
  options: ParseOptions = {},
  slice: Slicing = { bytes: SLICE_BYTES, yield: false },
  materialise = false,
  text?: string,
): Promise<PackedTable> {
  checkOptions(options);
  const { signal, onProgress } = options;
  if (signal?.aborted) throw new AbortError();
  if (options.format === "json") {
    const table = readJson(bytes, jsonOptions(options));
    onProgress?.(bytes.length, bytes.length);
    return table;
  }
  const reader = csvReader(bytes, options, materialise, text);
  const yields = signal !== undefined || slice.yield;
  const now = slice.now ?? (() => performance.now());
  const yieldTask = slice.yieldTask ?? yieldToEventLoop;
  let since = now();
  while (!reader.done) {
    reader.step(reader.progress.done + slice.bytes);
    const { done, total } = reader.progress;
    onProgress?.(done, total);
    if (reader.done) break;
    if (signal?.aborted) throw new AbortError();
    if (yields && now() - since >= YIELD_AFTER_MS) {
      await yieldTask();
      if (signal?.aborted) throw new AbortError();
      since = now();
    }
  }
  return reader.read();
}

/**
 * Parses a table on the calling thread, synchronously: CSV, TSV or JSON from UTF-8 bytes or a string.
 * Throws ParseError (with line and column) on input it cannot read.
 * @example parseTableSync("a,b\n1,x\n").columns[0].values // Float64Array [1]
 */
export function parseTableSync(
  input: ArrayBuffer | ArrayBufferView | string,
  options: TableParseOptions = {},
): ColumnTable {
  return unpackTable(parsePacked(inputBytes(input), options, true, typeof input === "string" ? input : undefined));
}

/** Strings longer than this are encoded a piece (of as many UTF-16 units) per task: ~4 ms each in Chromium. */
const ENCODE_PIECE = 4 * 1024 * 1024;

/**
 * Bytes of any input, Blobs read asynchronously, long strings encoded a piece per task (an abort of `signal` is
 * seen between pieces).
 */
export async function readInput(input: TableInput, signal?: AbortSignal): Promise<Uint8Array> {
  if (typeof Blob !== "undefined" && input instanceof Blob) return new Uint8Array(await input.arrayBuffer());
  if (typeof input === "string" && input.length > ENCODE_PIECE) {
    return encodeUtf8InPieces(input, ENCODE_PIECE, async () => {
      await yieldToEventLoop();
      if (signal?.aborted) throw new AbortError();
    });
  }
  return inputBytes(input as ArrayBuffer | ArrayBufferView | string);
}
