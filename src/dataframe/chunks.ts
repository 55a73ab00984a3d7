// Parsing one CSV in pieces (one per worker) and merging the pieces into the table one pass over the whole input
// gives, exactly: same types, same values, same dictionaries in the same order.
//
// - Splitting: the header is read first; the data is cut after a line feed near each equal share. A cut is a
//   guess (the line feed may sit inside a quoted field): it holds when the piece before it reads to its end
//   without error, since that piece starts where a record starts (the first one does, and by induction the
//   others), so its reader knows the quote state at the cut. A piece that fails (an unclosed quote at a wrong
//   cut, or any real error) makes the caller parse the whole input in one piece, which also reports real errors
//   exactly as a one-piece parse does.
// - Types: each piece infers its own; the merge takes a piece's kind where all pieces with values agree, strings
//   otherwise, and the pieces then finish with those kinds (a typed piece whose column must hold strings re-reads
//   its own bytes as strings, as one pass does with the rows before a column's first string).
// - Strings: one pass keeps a column as a dictionary until its distinct values outgrow it (stringStore.ts); that
//   decision depends on the order values arrive in. The merge replays it over the pieces' codes in the order one
//   pass would have stored them, building the merged dictionary in first-occurrence order as it goes.
// - Copies: typed columns are copied once, into the merged arrays; strings are materialised once, from the
//   pieces' dictionaries or bytes.

import type { Column, ColumnTable } from "../model/columnTable";
import { AbortError } from "../model/errors";
import {
  BOOLEAN_KIND,
  type ChunkColumnInfo,
  CsvReader,
  DATE,
  NUMBER,
  STRING,
  type StoredAs,
  UNKNOWN,
} from "./csvReader";
import { isPackedStrings, type PackedColumn, type PackedTable, yieldToEventLoop } from "./packedTable";
import { csvReaderOptions, type TableParseOptions } from "./parseTable";
import { dictionaryOutgrown, fillStrings, type PackedStrings } from "./stringStore";

const LF = 10;
/** Rows handled between checks of the pacer. */
const WINDOW = 8192;

/** Where the pieces of an input are: piece k is `bytes[bounds[k], bounds[k + 1])`. */
export interface ChunkPlan {
  names: string[];
  bounds: number[];
}

/** What a piece reports after its pass. */
export interface ChunkSummary {
  rowCount: number;
  kinds: number[];
  info: ChunkColumnInfo[];
}

/** A finished piece. */
export interface ChunkTable {
  table: PackedTable;
  info: ChunkColumnInfo[];
  /** Per column: the piece gave up its dictionary part way (StringStore.gaveUp). */
  gaveUp: boolean[];
}

/**
 * Cuts a CSV/TSV into at most `count` pieces of at least `minBytes` each; undefined when it should be parsed in
 * one piece (JSON, too small, no header record, a header that does not read, a schema of the wrong length).
 */
export function planChunks(
  bytes: Uint8Array,
  options: TableParseOptions,
  count: number,
  minBytes: number,
): ChunkPlan | undefined {
  if (options.format === "json" || count < 2) return undefined;
  let header: { names: string[]; dataStart: number } | undefined;
  try {
    header = new CsvReader(bytes, csvReaderOptions(options)).readHeader();
  } catch {
    return undefined;
  }
  if (header === undefined) return undefined;
  if (options.schema !== undefined && options.schema.length !== header.names.length) return undefined;
  const { dataStart } = header;
  const n = bytes.length;
  const pieces = Math.min(count, Math.floor((n - dataStart) / Math.max(1, minBytes)));
  if (pieces < 2) return undefined;
  const bounds = [dataStart];
  for (let k = 1; k < pieces; k++) {
    const guess = dataStart + Math.round((k * (n - dataStart)) / pieces);
    const lf = bytes.indexOf(LF, Math.max(guess, (bounds.at(-1) as number) + 1) - 1);
    if (lf < 0 || lf + 1 >= n) break;
    bounds.push(lf + 1);
  }
  bounds.push(n);
  return bounds.length > 2 ? { names: header.names, bounds } : undefined;
}

/** A piece's reader: `bytes` is the piece alone. */
export function chunkReader(bytes: Uint8Array, options: TableParseOptions, names: readonly string[]): CsvReader {
  return new CsvReader(bytes, { ...csvReaderOptions(options), header: false, names });
}

/**
 * Whether a piece finished with its own kinds (`summary.kinds`) must be read again and finished with the agreed
 * `kinds`: where they differ, or where `stored` says one pass would have stored its NA values otherwise.
 */
export function readAgain(
  summary: ChunkSummary,
  kinds: readonly number[],
  stored: ReadonlyArray<StoredAs | undefined> = [],
): boolean {
  return stored.some((s) => s !== undefined) || summary.kinds.some((kind, c) => kind !== kinds[c]);
}

/** The kinds the pieces agree on, column by column: a kind where all pieces with values have it, else strings. */
export function agreedKinds(summaries: readonly ChunkSummary[]): number[] {
  const first = summaries[0] as ChunkSummary;
  return first.kinds.map((_, c) => {
    let kind = UNKNOWN;
    for (const s of summaries) {
      const k = s.kinds[c] as number;
      if (k === UNKNOWN || k === kind) continue;
      kind = kind === UNKNOWN ? k : STRING;
    }
    return kind;
  });
}

/**
 * For each piece, how one pass over the whole input stores its rows of each string column (see
 * CsvReader.readChunkAs): only where NA fields make it matter, undefined elsewhere.
 */
export function storedAs(
  summaries: readonly ChunkSummary[],
  kinds: readonly number[],
): Array<Array<StoredAs | undefined>> {
  const offsets: number[] = [];
  let rows = 0;
  for (const s of summaries) {
    offsets.push(rows);
    rows += s.rowCount;
  }
  const out = summaries.map(() => new Array<StoredAs | undefined>(kinds.length).fill(undefined));
  kinds.forEach((kind, c) => {
    const info = summaries.map((s) => s.info[c] as ChunkColumnInfo);
    if (kind !== STRING || !info.some((i) => i.naSeen)) return;
    let unknownBefore = 0;
    let backfillBefore = 0;
    const k = info.findIndex((i) => i.firstKind !== UNKNOWN);
    const first = info[k];
    if (first?.firstKind === STRING) unknownBefore = (offsets[k] as number) + Math.max(0, first.firstRow);
    else if (first) backfillBefore = Math.max(0, switchRow(info, offsets));
    summaries.forEach((s, p) => {
      const local = (at: number) => Math.min(s.rowCount, Math.max(0, at - (offsets[p] as number)));
      (out[p] as Array<StoredAs | undefined>)[c] = {
        unknownBefore: local(unknownBefore),
        backfillBefore: local(backfillBefore),
      };
    });
  });
  return out;
}

/** Yields to the event loop every `rows` rows of work, so the merge never runs one long task. */
class Pacer {
  private budget: number;
  constructor(
    /** Rows of work between yields. */
    readonly rows: number,
    private readonly signal: AbortSignal | undefined,
    private readonly yieldTask: () => Promise<void>,
  ) {
    this.budget = rows;
  }

  async spend(rows: number): Promise<void> {
    this.budget -= rows;
    if (this.budget > 0) return;
    this.budget = this.rows;
    await this.yieldTask();
    if (this.signal?.aborted) throw new AbortError();
  }
}

export interface MergeOptions {
  index?: boolean;
  dictionary?: boolean;
  signal?: AbortSignal;
  /** How the merge yields between slices (default: to the event loop). */
  yieldTask?: () => Promise<void>;
  /** Rows of work between yields. */
  sliceRows?: number;
}

const TYPE_OF_KIND = ["string", "number", "boolean", "date", "string"] as const;

/** The table one pass over the whole input gives, from its pieces finished with `kinds` (agreedKinds). */
export async function mergeChunks(
  pieces: readonly ChunkTable[],
  kinds: readonly number[],
  options: MergeOptions = {},
): Promise<ColumnTable> {
  const pacer = new Pacer(options.sliceRows ?? 50_000, options.signal, options.yieldTask ?? yieldToEventLoop);
  const offsets: number[] = [];
  let rowCount = 0;
  for (const piece of pieces) {
    offsets.push(rowCount);
    rowCount += piece.table.rowCount;
  }
  const columns: Column[] = [];
  for (let c = 0; c < kinds.length; c++) {
    const parts = pieces.map((p) => p.table.columns[c] as PackedColumn);
    const first = parts[0] as PackedColumn;
    const kind = kinds[c] as number;
    let nulls: Uint8Array | undefined;
    if (parts.some((p) => p.nulls)) {
      nulls = new Uint8Array(rowCount);
      parts.forEach((p, k) => {
        if (p.nulls) nulls?.set(p.nulls, offsets[k]);
      });
    }
    let values: Column["values"];
    let dictionary: string[] | undefined;
    if (kind === NUMBER || kind === DATE || kind === BOOLEAN_KIND) {
      const out = kind === BOOLEAN_KIND ? new Uint8Array(rowCount) : new Float64Array(rowCount);
      parts.forEach((p, k) => {
        out.set(p.values as Float64Array & Uint8Array, offsets[k]);
      });
      values = out;
      await pacer.spend(rowCount >> 3);
    } else if (kind === UNKNOWN) {
      values = new Array<string>(rowCount).fill("");
    } else {
      const info = pieces.map((p) => p.info[c] as ChunkColumnInfo);
      const gaveUp = (pieces[0] as ChunkTable).gaveUp[c] as boolean;
      const merged = await mergeStrings(
        parts,
        offsets,
        rowCount,
        nulls,
        info,
        gaveUp,
        options.dictionary ?? true,
        pacer,
      );
      values = merged.values;
      dictionary = merged.dictionary;
      // NA values were stored (3) and are missing all the same.
      if (nulls) for (let r = 0; r < rowCount; r++) if (nulls[r] === 3) nulls[r] = 1;
    }
    const column: Column = { name: first.name, type: TYPE_OF_KIND[kind] as Column["type"], values };
    if (first.dtype !== undefined) column.dtype = first.dtype;
    if (dictionary !== undefined) column.dictionary = dictionary;
    if (nulls !== undefined) column.nulls = nulls;
    columns.push(column);
  }
  const table: ColumnTable = { rowCount, columns };
  if (options.index && columns[0]) table.index = columns[0].name;
  return table;
}

/**
 * Where one pass starts storing a string column's values out of row order: the row at which a column typed
 * from its first value turned into strings (rows before it are stored after the pass), or -1.
 */
function switchRow(info: readonly ChunkColumnInfo[], offsets: readonly number[]): number {
  let kind = UNKNOWN;
  for (let k = 0; k < info.length; k++) {
    const { firstKind, firstRow, switchRow: at } = info[k] as ChunkColumnInfo;
    if (firstKind === UNKNOWN) continue;
    const offset = offsets[k] as number;
    if (kind === UNKNOWN) {
      kind = firstKind;
      if (kind === STRING) return -1;
    } else if (firstKind !== kind) return offset + firstRow;
    if (at >= 0) return offset + at;
  }
  return -1;
}

/**
 * One pass's dictionary, rebuilt over a string column's rows in the order one pass stores them (window by
 * window: a synchronous method per window, which V8 optimizes as a plain loop rather than inside an async one).
 */
class DictionaryReplay {
  readonly merged: Uint32Array;
  readonly distinct: string[] = [];
  private readonly index = new Map<string, number>();
  private rowsSeen = 0;
  outgrown = false;

  constructor(
    rowCount: number,
    private readonly nulls: Uint8Array | undefined,
  ) {
    this.merged = new Uint32Array(rowCount);
  }

  /**
   * The first `rows` rows, before anything else is replayed, from a piece that kept its dictionary: one pass
   * met the same values in the same order and gave the same codes (0 where nothing was stored), so they are taken
   * as they are; its entries follow with adoptEntries. (Every later row stored is beyond them, so `rowsSeen`
   * needs no null counting.)
   */
  adoptCodes(piece: PackedColumn, rows: number): void {
    this.merged.set((piece.values as Uint32Array).subarray(0, rows));
    this.rowsSeen = rows;
  }

  /** Entries `[from, to)` of the adopted piece's dictionary, which keep their codes. */
  adoptEntries(names: readonly string[], from: number, to: number): void {
    for (let e = from; e < to; e++) {
      const value = names[e] as string;
      this.distinct.push(value);
      this.index.set(value, e);
    }
  }

  /** Rows `[row, end)` of a piece that kept its dictionary: its codes (`local`, from row `offset`) remapped. */
  codes(local: Uint32Array, names: readonly string[], remap: Int32Array, offset: number, row: number, end: number) {
    // Only locals in the loop, and the first sight of a value in a function of its own: with the miss path
    // inline, V8 deoptimized this loop on a path it had not seen yet and ran it unoptimized from then on.
    const { nulls, merged } = this;
    let seen = this.rowsSeen;
    for (; row < end; row++) {
      if (nulls !== undefined && nulls[row] === 1) continue;
      // The highest row stored + 1, as one pass counts it (nulls are not stored).
      if (row >= seen) seen = row + 1;
      const e = local[row - offset] as number;
      let code = remap[e] as number;
      if (code < 0) {
        this.rowsSeen = seen;
        code = this.learn(names[e] as string);
        if (code < 0) return;
        remap[e] = code;
      }
      merged[row] = code;
    }
    this.rowsSeen = seen;
  }

  /** Rows `[row, end)` as strings (`window[r - row]`), of a piece that gave up its own dictionary. */
  strings(window: readonly string[], row: number, end: number) {
    const { nulls, merged } = this;
    for (let r = row; r < end; r++) {
      if (nulls !== undefined && nulls[r] === 1) continue;
      if (r >= this.rowsSeen) this.rowsSeen = r + 1;
      const code = this.learn(window[r - row] as string);
      if (code < 0) return;
      merged[r] = code;
    }
  }

  /** The merged code of `value`, added if new; -1 once the dictionary is outgrown. */
  private learn(value: string): number {
    const code = this.index.get(value) ?? this.add(value);
    return this.outgrown ? -1 : code;
  }

  private add(value: string): number {
    const code = this.distinct.length;
    this.distinct.push(value);
    this.index.set(value, code);
    if (dictionaryOutgrown(this.distinct.length, this.rowsSeen)) this.outgrown = true;
    return code;
  }
}

async function mergeStrings(
  parts: readonly PackedColumn[],
  offsets: readonly number[],
  rowCount: number,
  nulls: Uint8Array | undefined,
  info: readonly ChunkColumnInfo[],
  firstGaveUp: boolean,
  useDictionary: boolean,
  pacer: Pacer,
): Promise<{ values: string[] | Uint32Array; dictionary?: string[] }> {
  const rowsOf = (k: number) =>
    (k + 1 < offsets.length ? (offsets[k + 1] as number) : rowCount) - (offsets[k] as number);
  const pieceOf = (row: number) => {
    let k = 0;
    while (k + 1 < offsets.length && (offsets[k + 1] as number) <= row) k++;
    return k;
  };
  if (useDictionary) {
    // Replay one pass's dictionary over the rows in the order it stores them.
    const at = switchRow(info, offsets);
    const order: Array<[number, number]> =
      at >= 0
        ? [
            [at, rowCount],
            [0, at],
          ]
        : [[0, rowCount]];
    const replay = new DictionaryReplay(rowCount, nulls);
    const remaps: Array<Int32Array | undefined> = parts.map((p) =>
      p.dictionary ? new Int32Array(p.dictionary.length).fill(-1) : undefined,
    );
    // Piece 0 gave up its dictionary while storing in row order: its rows are one pass's first rows, stored the
    // same way, so one pass gave it up too.
    replay.outgrown = at < 0 && firstGaveUp;
    const window: string[] = [];
    const first = parts[0] as PackedColumn;
    let start = 0;
    if (at < 0 && first.dictionary) {
      // Piece 0 kept its dictionary and comes first: it is one pass's dictionary of those rows, codes and all.
      start = rowsOf(0);
      replay.adoptCodes(first, start);
      await pacer.spend(start >> 3);
      const names = first.dictionary;
      // A map entry costs about as much as ten rows of codes.
      const step = Math.max(1, Math.floor(pacer.rows / 10));
      for (let e = 0; e < names.length; e += step) {
        const to = Math.min(names.length, e + step);
        replay.adoptEntries(names, e, to);
        await pacer.spend((to - e) * 10);
      }
    }
    for (const [from, to] of order) {
      for (let row = Math.max(from, start); row < to && !replay.outgrown; ) {
        const k = pieceOf(row);
        const offset = offsets[k] as number;
        const end = Math.min(to, k + 1 < offsets.length ? (offsets[k + 1] as number) : rowCount, row + WINDOW);
        const part = parts[k] as PackedColumn;
        const remap = remaps[k];
        if (remap === undefined) {
          // A piece that gave up its own dictionary: this window of its strings, to look up in the merged one.
          fillStrings(part.values as PackedStrings, undefined, window, row - offset, end - offset, offset - row);
          replay.strings(window, row, end);
        } else replay.codes(part.values as Uint32Array, part.dictionary as string[], remap, offset, row, end);
        await pacer.spend(end - row);
        row = end;
      }
    }
    const { distinct } = replay;
    if (!replay.outgrown && distinct.length > 0 && distinct.length * 2 <= rowCount) {
      return { values: replay.merged, dictionary: distinct };
    }
  }
  // Plain strings, missing values "".
  const out = new Array<string>(rowCount);
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k] as PackedColumn;
    const offset = offsets[k] as number;
    const rows = rowsOf(k);
    const local = part.nulls;
    if (isPackedStrings(part.values)) {
      for (let from = 0; from < rows; from += 50_000) {
        const to = Math.min(rows, from + 50_000);
        fillStrings(part.values, local, out, from, to, offset);
        await pacer.spend(to - from);
      }
    } else {
      const codes = part.values as Uint32Array;
      const names = part.dictionary as string[];
      for (let from = 0; from < rows; from += WINDOW) {
        const to = Math.min(rows, from + WINDOW);
        for (let r = from; r < to; r++) out[offset + r] = local?.[r] ? "" : (names[codes[r] as number] as string);
        await pacer.spend(to - from);
      }
    }
  }
  return { values: out };
}

/** One piece's work, as a worker does it: the pass, then (given the agreed kinds) the finished piece. */
export class ChunkJob {
  private readonly reader: CsvReader;

  constructor(bytes: Uint8Array, options: TableParseOptions, names: readonly string[]) {
    this.reader = chunkReader(bytes, options, names);
  }

  /** Reads the piece up to `limit` bytes (resumable); whether it is done. */
  step(limit?: number): boolean {
    this.reader.step(limit);
    return this.reader.done;
  }

  get progress(): { done: number; total: number } {
    return this.reader.progress;
  }

  summary(): ChunkSummary {
    return this.reader.chunkKinds();
  }

  finish(kinds: readonly number[], stored: ReadonlyArray<StoredAs | undefined> = []): ChunkTable {
    const info = this.reader.chunkKinds().info;
    const table = this.reader.readChunkAs(kinds, stored);
    return { table, info, gaveUp: this.reader.dictionariesGivenUp() };
  }
}

/**
 * Parses in pieces on the calling thread, as the worker pool does across workers (tests compare it with a
 * one-pass parse). Undefined when the input is not split, or a piece fails: the caller then parses it in one piece.
 */
export async function parseInChunks(
  bytes: Uint8Array,
  options: TableParseOptions,
  count: number,
  minBytes: number,
  merge: MergeOptions = {},
): Promise<ColumnTable | undefined> {
  const plan = planChunks(bytes, options, count, minBytes);
  return plan && parsePlanned(bytes, options, plan, merge);
}

/** Parses the pieces of `plan` on the calling thread; undefined when a piece fails. */
export async function parsePlanned(
  bytes: Uint8Array,
  options: TableParseOptions,
  plan: ChunkPlan,
  merge: MergeOptions = {},
): Promise<ColumnTable | undefined> {
  // As a worker does it: each piece read and finished with its own kinds, read again where they do not agree.
  const summaries: ChunkSummary[] = [];
  const own: ChunkTable[] = [];
  const pieces: Array<Uint8Array> = [];
  try {
    for (let k = 0; k + 1 < plan.bounds.length; k++) {
      const piece = bytes.slice(plan.bounds[k], plan.bounds[k + 1]);
      const job = new ChunkJob(piece, options, plan.names);
      const summary = job.summary();
      summaries.push(summary);
      own.push(job.finish(summary.kinds));
      pieces.push(piece);
    }
  } catch {
    return undefined;
  }
  const kinds = agreedKinds(summaries);
  const stored = storedAs(summaries, kinds);
  const finished = own.map((table, k) =>
    readAgain(summaries[k] as ChunkSummary, kinds, stored[k] as Array<StoredAs | undefined>)
      ? new ChunkJob(pieces[k] as Uint8Array, options, plan.names).finish(kinds, stored[k])
      : table,
  );
  return mergeChunks(finished, kinds, { index: options.index, dictionary: options.dictionary, ...merge });
}
