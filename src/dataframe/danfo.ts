import { type CellValue, type Column, type ColumnTable, columnFromValues, columnValue } from "../model/columnTable";
import { DstackError, UnsupportedObjectError } from "../model/errors";

/**
 * What the kit reads of a danfojs DataFrame or Series: a structural type, so the kit's types never need danfojs
 * installed (and danfojs is never imported to recognise one). danfojs' own DataFrame and Series satisfy it.
 */
export interface DanfoFrameLike {
  columns: string[];
  dtypes: string[];
  values: unknown[];
  index?: unknown[];
  $isSeries?: boolean;
}

/** The part of the danfojs module the kit calls: the DataFrame constructor. */
export interface DanfoModuleLike {
  DataFrame: new (
    data: Record<string, unknown[]> | unknown[],
    options?: { columns?: string[]; index?: Array<string | number> },
  ) => DanfoFrameLike;
}

function looksLikeDanfo(x: unknown): x is DanfoFrameLike {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) return false;
  const d = x as Partial<DanfoFrameLike> & { toJSON?: unknown; $data?: unknown };
  return (
    Array.isArray(d.columns) &&
    d.columns.every((c) => typeof c === "string") &&
    Array.isArray(d.dtypes) &&
    Array.isArray(d.values) &&
    (typeof d.toJSON === "function" || "$data" in d)
  );
}

/** Whether `x` looks like a danfojs Series: a danfojs object flagged `$isSeries`, or one column of 1-D values. */
export function isDanfoSeries(x: unknown): x is DanfoFrameLike {
  return looksLikeDanfo(x) && seriesShaped(x);
}

function seriesShaped(x: DanfoFrameLike): boolean {
  if (x.$isSeries !== undefined) return x.$isSeries === true;
  return x.columns.length === 1 && !x.values.some(Array.isArray);
}

/** Whether `x` looks like a danfojs DataFrame: `columns`, `dtypes`, 2-D `values` and `toJSON`/`$data`. */
export function isDanfoDataFrame(x: unknown): x is DanfoFrameLike {
  return looksLikeDanfo(x) && !seriesShaped(x) && x.values.every(Array.isArray);
}

function isDefaultIndex(index: unknown[] | undefined, rows: number): boolean {
  if (index === undefined) return true;
  if (index.length !== rows) return false;
  return index.every((label, i) => label === i);
}

/**
 * A ColumnTable from a danfojs DataFrame or Series (no import of danfojs). Column types are inferred from the
 * values (danfojs keeps Dates and booleans with missing values as `float32`); a non-default index (anything but
 * 0, 1, 2, ...) becomes an index column named "" (or "index" if a column already has the empty name).
 * @example fromDataFrame(new dfd.DataFrame({ a: [1, 2] })).columns[0].type // "number"
 */
export function fromDataFrame(df: DanfoFrameLike): ColumnTable {
  if (!looksLikeDanfo(df)) throw new UnsupportedObjectError("fromDataFrame needs a danfojs DataFrame or Series");
  const series = seriesShaped(df);
  const rows = df.values.length;
  const columns: Column[] = df.columns.map((name, c) =>
    columnFromValues(name, series ? df.values : df.values.map((row) => (row as unknown[])[c])),
  );
  if (isDefaultIndex(df.index, rows)) return { rowCount: rows, columns };
  const indexName = df.columns.includes("") ? "index" : "";
  const index = columnFromValues(indexName, df.index as unknown[]);
  return { rowCount: rows, columns: [index, ...columns], index: indexName };
}

let danfo: Promise<DanfoModuleLike> | undefined;

/** Loads danfojs on first use; a clear DstackError when it is not installed. */
export function loadDanfo(): Promise<DanfoModuleLike> {
  danfo ??= import("danfojs").then(
    (module): DanfoModuleLike => module,
    (cause: unknown) => {
      danfo = undefined;
      throw new DstackError(
        "danfojs is not installed: run `npm install danfojs` to pull tables as DataFrames, " +
          "or pull them as a ColumnTable (the default) or as rows ({ as: 'rows' })",
        "missing_dependency",
        500,
        { cause },
      );
    },
  );
  return danfo;
}

function forDanfo(value: CellValue): string | number | boolean | Date | null {
  return value;
}

/**
 * A danfojs DataFrame of the table (danfojs is imported on first use). Missing values are null, dates are Dates,
 * dictionary codes are resolved; the index column, if any, becomes the DataFrame's index (dates as ISO strings).
 * Typed structurally, so these types need no danfojs; name danfojs' type to get its methods.
 * @example const df = await toDataFrame<DataFrame>(table); df.describe().print(); // import type { DataFrame } from "danfojs"
 */
export async function toDataFrame<Frame extends DanfoFrameLike = DanfoFrameLike>(table: ColumnTable): Promise<Frame> {
  const { DataFrame } = await loadDanfo();
  const data: Record<string, Array<string | number | boolean | Date | null>> = {};
  const names: string[] = [];
  let index: Array<string | number> | undefined;
  for (const column of table.columns) {
    const values = Array.from({ length: table.rowCount }, (_, r) => forDanfo(columnValue(column, r)));
    if (column.name === table.index) {
      index = values.map((v, r) =>
        v === null ? r : v instanceof Date ? v.toISOString() : typeof v === "boolean" ? String(v) : v,
      );
    } else {
      data[column.name] = values;
      names.push(column.name);
    }
  }
  // The object is danfojs' own DataFrame; the caller's danfojs supplies its full type.
  if (table.rowCount === 0) return new DataFrame([], { columns: names }) as Frame;
  return (
    index === undefined ? new DataFrame(data, { columns: names }) : new DataFrame(data, { columns: names, index })
  ) as Frame;
}
