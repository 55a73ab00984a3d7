// The parser's output before strings are materialised: a ColumnTable whose plain string columns are UTF-8 bytes
// (or one text) plus ranges. It crosses threads cheaply (typed arrays transferred) and turns into the
// ColumnTable (src/model/columnTable.ts) in bounded slices, so the receiving thread never runs one long task.
// Read on the thread that keeps the table, its plain string columns are strings already.

import type { Column, ColumnTable, ColumnType } from "../model/columnTable";
import { AbortError } from "../model/errors";
import { fillStrings, type PackedStrings } from "./stringStore";

export interface PackedColumn {
  name: string;
  type: ColumnType;
  dtype?: string;
  /**
   * As in Column, except that a plain string column holds PackedStrings, or (read on the thread that keeps the
   * table) its strings, where missing rows may hold anything until the table is unpacked.
   */
  values: Float64Array | Uint8Array | Uint32Array | PackedStrings | string[];
  dictionary?: string[];
  nulls?: Uint8Array;
}

export interface PackedTable {
  rowCount: number;
  columns: PackedColumn[];
  index?: string;
}

export function isPackedStrings(values: PackedColumn["values"]): values is PackedStrings {
  return !ArrayBuffer.isView(values) && !Array.isArray(values);
}

/** A column's values as the ColumnTable has them: strings already made get "" in missing rows. */
function readyValues(column: PackedColumn): Column["values"] | undefined {
  const { values, nulls } = column;
  if (!Array.isArray(values)) return isPackedStrings(values) ? undefined : values;
  if (nulls) for (let r = 0; r < values.length; r++) if (nulls[r]) values[r] = "";
  return values;
}

/** The ArrayBuffers of a packed table, to transfer rather than copy. */
export function transferables(table: PackedTable): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (view: ArrayBufferView) => {
    if (view.buffer instanceof ArrayBuffer) out.add(view.buffer);
  };
  for (const column of table.columns) {
    const { values } = column;
    if (Array.isArray(values)) continue;
    if (isPackedStrings(values)) {
      if ("bytes" in values) add(values.bytes);
      add(values.ends);
    } else add(values);
    if (column.nulls) add(column.nulls);
  }
  return [...out];
}

function finishColumn(column: PackedColumn, values: Column["values"]): Column {
  const out: Column = { name: column.name, type: column.type, values };
  if (column.dtype !== undefined) out.dtype = column.dtype;
  if (column.dictionary !== undefined) out.dictionary = column.dictionary;
  if (column.nulls !== undefined) out.nulls = column.nulls;
  return out;
}

function finishTable(table: PackedTable, columns: Column[]): ColumnTable {
  const out: ColumnTable = { rowCount: table.rowCount, columns };
  if (table.index !== undefined) out.index = table.index;
  return out;
}

/** Strings materialised per slice; a few ms of work. */
export const SLICE_ROWS = 50_000;

/** The ColumnTable of a packed table, all at once (in a worker, or in-thread for small inputs). */
export function unpackTable(table: PackedTable): ColumnTable {
  const columns = table.columns.map((column) => {
    const ready = readyValues(column);
    if (ready !== undefined) return finishColumn(column, ready);
    const values = column.values as PackedStrings;
    const strings: string[] = new Array(table.rowCount);
    for (let from = 0; from < table.rowCount; from += SLICE_ROWS) {
      fillStrings(values, column.nulls, strings, from, Math.min(table.rowCount, from + SLICE_ROWS));
    }
    return finishColumn(column, strings);
  });
  return finishTable(table, columns);
}

/**
 * The ColumnTable of a packed table, yielding to the event loop between slices of rows so the thread stays
 * responsive (what the main thread does with a worker's result). Rejects with AbortError if `signal` aborts.
 * `yieldTask` is how it yields (tests count the calls).
 */
export async function unpackTableInSlices(
  table: PackedTable,
  signal?: AbortSignal,
  yieldTask: () => Promise<void> = yieldToEventLoop,
): Promise<ColumnTable> {
  const columns: Column[] = [];
  let budget = SLICE_ROWS;
  for (const column of table.columns) {
    const ready = readyValues(column);
    if (ready !== undefined) {
      columns.push(finishColumn(column, ready));
      continue;
    }
    const values = column.values as PackedStrings;
    const strings: string[] = new Array(table.rowCount);
    for (let from = 0; from < table.rowCount; ) {
      const to = Math.min(table.rowCount, from + budget);
      fillStrings(values, column.nulls, strings, from, to);
      budget -= to - from;
      from = to;
      if (budget <= 0) {
        await yieldTask();
        if (signal?.aborted) throw new AbortError();
        budget = SLICE_ROWS;
      }
    }
    columns.push(finishColumn(column, strings));
  }
  return finishTable(table, columns);
}

/**
 * The packed form of a ColumnTable column: a plain string column becomes a dictionary when at most half as many
 * distinct values as rows (and `dictionary` allows it), else one text plus ranges. Other columns are unchanged.
 */
export function packColumn(column: Column, dictionary: boolean): PackedColumn {
  const { values, ...rest } = column;
  if (column.type !== "string" || column.dictionary !== undefined || !Array.isArray(values)) {
    return column as PackedColumn;
  }
  const strings = values as string[];
  const n = strings.length;
  const nulls = column.nulls;
  if (dictionary) {
    const codes = new Uint32Array(n);
    const index = new Map<string, number>();
    const distinct: string[] = [];
    let ok = true;
    for (let r = 0; r < n; r++) {
      if (nulls?.[r]) continue;
      const v = strings[r] as string;
      let code = index.get(v);
      if (code === undefined) {
        code = distinct.length;
        distinct.push(v);
        index.set(v, code);
        if (distinct.length * 2 > n) {
          ok = false;
          break;
        }
      }
      codes[r] = code;
    }
    if (ok && distinct.length > 0) return { ...rest, values: codes, dictionary: distinct };
  }
  const ends = new Uint32Array(n);
  let at = 0;
  for (let r = 0; r < n; r++) {
    at += (strings[r] as string).length;
    ends[r] = at;
  }
  return { ...rest, values: { text: strings.join(""), ends } };
}

interface Scheduler {
  yield?: () => Promise<void>;
}

/**
 * Resolves on a later task, letting input, rendering and abort events through. Not setTimeout(0): browsers
 * clamp nested timers to 4 ms, which made unpacking 100 MB take 100 ms longer while doing nothing.
 */
export function yieldToEventLoop(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Scheduler }).scheduler;
  if (typeof scheduler?.yield === "function") return scheduler.yield();
  if (typeof setImmediate === "function") return new Promise((resolve) => setImmediate(resolve));
  if (typeof MessageChannel === "function") {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
