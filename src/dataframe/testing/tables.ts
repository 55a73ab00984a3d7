// Helpers shared by the dataframe tests.

import { type Column, type ColumnTable, columnValue } from "../../model/columnTable";
import { ParseError } from "../../model/errors";

/** A plain-data view of a table in which dictionary encoding does not show: what "the same table" means. */
export function normalize(table: ColumnTable) {
  return {
    rowCount: table.rowCount,
    index: table.index,
    columns: table.columns.map((c: Column) => ({
      name: c.name,
      type: c.type,
      dtype: c.dtype,
      values: Array.from({ length: table.rowCount }, (_, r) =>
        c.nulls?.[r] ? "<null>" : c.type === "date" ? (columnValue(c, r) as Date).getTime() : columnValue(c, r),
      ),
      // Stored values at missing positions too (NaN, 0, ""), as readCsv defines them; dictionaries expanded.
      raw: c.dictionary
        ? Array.from(c.values as Uint32Array, (code, r) => (c.nulls?.[r] ? "" : c.dictionary?.[code]))
        : Array.from(c.values as ArrayLike<unknown>),
      nulls: c.nulls ? Array.from(c.nulls) : undefined,
    })),
  };
}

/** What calling `fn` gives: its value, or the ParseError it throws as plain data. */
export function outcome<T>(fn: () => T): { value: T } | { error: { message: string; line: number; column: number } } {
  try {
    return { value: fn() };
  } catch (error) {
    if (!(error instanceof ParseError)) throw error;
    return { error: { message: error.message, line: error.line, column: error.column } };
  }
}

/** mulberry32: a small seeded PRNG for reproducible generated inputs. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
