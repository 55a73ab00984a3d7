import { UnsupportedObjectError } from "./errors";

/** What a column holds; `date` values are epoch milliseconds (UTC). */
export type ColumnType = "number" | "boolean" | "date" | "string";

/**
 * One column of a {@link ColumnTable}.
 *
 * Storage by `type`: `number` and `date` → `Float64Array` (dates as epoch ms); `boolean` → `Uint8Array` (0/1);
 * `string` → `string[]`, or `Uint32Array` codes into `dictionary` when dictionary-encoded.
 * Where `nulls[row]` is 1 the value is missing, whatever `values[row]` holds (by convention NaN, 0 or "").
 */
export interface Column {
  name: string;
  type: ColumnType;
  /** pandas dtype for round trips (`int64`, `float64`, `bool`, `object`, `datetime64[ns]`...). */
  dtype?: string;
  values: Float64Array | Uint8Array | string[] | Uint32Array;
  /** Present when a string column is dictionary-encoded: `values` are then `Uint32Array` codes into it. */
  dictionary?: string[];
  /** 1 where the value is missing. */
  nulls?: Uint8Array;
}

/** Plain columnar data, transferable between threads: the one dataframe shape of the kit. */
export interface ColumnTable {
  rowCount: number;
  columns: Column[];
  /** Name of the column that is the pandas index, if any. */
  index?: string;
}

/** One cell as JavaScript sees it: dates as `Date`, missing values as `null`. */
export type CellValue = number | boolean | Date | string | null;

/** A row object: column name → cell. */
export type TableRow = Record<string, CellValue>;

const COLUMN_TYPES: ReadonlySet<string> = new Set(["number", "boolean", "date", "string"]);

/** Why `x` is not a well-formed ColumnTable, or undefined when it is. */
export function columnTableProblem(x: unknown): string | undefined {
  if (typeof x !== "object" || x === null) return "not an object";
  const t = x as Partial<ColumnTable>;
  if (typeof t.rowCount !== "number" || !Number.isInteger(t.rowCount) || t.rowCount < 0) {
    return "rowCount must be a non-negative integer";
  }
  if (!Array.isArray(t.columns)) return "columns must be an array";
  const names = new Set<string>();
  for (const [i, c] of t.columns.entries()) {
    const col = c as Partial<Column> | null;
    if (typeof col !== "object" || col === null) return `column ${i} is not an object`;
    if (typeof col.name !== "string") return `column ${i} has no string name`;
    if (names.has(col.name)) return `duplicate column name ${JSON.stringify(col.name)}`;
    names.add(col.name);
    const where = `column ${JSON.stringify(col.name)}`;
    if (typeof col.type !== "string" || !COLUMN_TYPES.has(col.type)) {
      return `${where} has type ${String(col.type)}; expected number, boolean, date or string`;
    }
    if (col.dtype !== undefined && typeof col.dtype !== "string") return `${where} has a non-string dtype`;
    const v = col.values;
    let ok: boolean;
    switch (col.type) {
      case "number":
      case "date":
        ok = v instanceof Float64Array;
        break;
      case "boolean":
        ok = v instanceof Uint8Array;
        break;
      default:
        if (col.dictionary !== undefined) {
          ok = v instanceof Uint32Array && Array.isArray(col.dictionary);
          if (ok && (v as Uint32Array).some((code) => code >= (col.dictionary as string[]).length)) {
            return `${where} has a code outside its dictionary`;
          }
        } else ok = Array.isArray(v);
    }
    if (!ok) return `${where} of type ${col.type} has the wrong kind of values array`;
    if ((v as ArrayLike<unknown>).length !== t.rowCount) {
      return `${where} has ${(v as ArrayLike<unknown>).length} values for ${t.rowCount} rows`;
    }
    if (col.nulls !== undefined && (!(col.nulls instanceof Uint8Array) || col.nulls.length !== t.rowCount)) {
      return `${where} has a nulls mask that is not a Uint8Array of rowCount bytes`;
    }
  }
  if (t.index !== undefined && (typeof t.index !== "string" || !names.has(t.index))) {
    return `index ${JSON.stringify(t.index)} names no column`;
  }
  return undefined;
}

/**
 * Whether `x` is a well-formed ColumnTable (arrays of the right kinds and lengths, index naming a column).
 * @example isColumnTable(rowsToTable([{ a: 1 }])) // true
 */
export function isColumnTable(x: unknown): x is ColumnTable {
  return columnTableProblem(x) === undefined;
}

/** Whether the value at `row` is missing: marked in `nulls`, or NaN in a number or date column (as in pandas). */
export function isNullAt(column: Column, row: number): boolean {
  if (column.nulls?.[row]) return true;
  return (column.type === "number" || column.type === "date") && Number.isNaN((column.values as Float64Array)[row]);
}

/**
 * The value of one cell: number, boolean, Date, string, or null when missing (NaN counts as missing;
 * dictionary codes resolved).
 * @example columnValue(table.columns[0], 2) // 3.5
 */
export function columnValue(column: Column, row: number): CellValue {
  if (isNullAt(column, row)) return null;
  switch (column.type) {
    case "number":
      return (column.values as Float64Array)[row] as number;
    case "boolean":
      return (column.values as Uint8Array)[row] !== 0;
    case "date":
      return new Date((column.values as Float64Array)[row] as number);
    default:
      if (column.dictionary) return column.dictionary[(column.values as Uint32Array)[row] as number] as string;
      return (column.values as string[])[row] as string;
  }
}

/**
 * The table as row objects, keyed by column name (the index column included under its name).
 * @example tableToRows(table) // [{ "": 0, a: 1, when: new Date(...) }, ...]
 */
export function tableToRows(table: ColumnTable): TableRow[] {
  const rows: TableRow[] = new Array(table.rowCount);
  for (let r = 0; r < table.rowCount; r++) {
    const row: TableRow = {};
    for (const column of table.columns) {
      // Column names are data: "__proto__" must become an own key, not the row's prototype.
      if (column.name === "__proto__") {
        Object.defineProperty(row, column.name, {
          value: columnValue(column, r),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else row[column.name] = columnValue(column, r);
    }
    rows[r] = row;
  }
  return rows;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function isMissing(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === "number" && Number.isNaN(value)) ||
    (value instanceof Date && Number.isNaN(value.getTime()))
  );
}

function cellText(value: unknown, name: string): string {
  if (typeof value === "string") return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "object") {
    if (!isPlainObject(value) && !Array.isArray(value)) {
      const kind = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)?.constructor?.name;
      throw new UnsupportedObjectError(
        `column ${JSON.stringify(name)} holds ${kind ? `a ${kind}` : "an object"}; cells hold numbers, booleans, ` +
          "Dates, strings, null, or plain objects and arrays (written as JSON)",
      );
    }
    try {
      return JSON.stringify(value);
    } catch (cause) {
      throw new UnsupportedObjectError(
        `column ${JSON.stringify(name)} holds an object that cannot be written as JSON (${(cause as Error).message})`,
      );
    }
  }
  if (typeof value === "function" || typeof value === "symbol") {
    throw new UnsupportedObjectError(
      `column ${JSON.stringify(name)} holds a ${typeof value}, which a table cannot hold`,
    );
  }
  return String(value);
}

/**
 * Builds one column from JavaScript values, inferring its type: all numbers → number, all booleans → boolean,
 * all Dates → date, anything else → string (objects and arrays as JSON). null, undefined, NaN and invalid
 * Dates are missing values and do not take part in the inference; a column with no values is a string column.
 */
export function columnFromValues(name: string, values: ArrayLike<unknown>): Column {
  const n = values.length;
  let kind: ColumnType | "none" = "none";
  let anyNull = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissing(v)) {
      anyNull = true;
      continue;
    }
    const k: ColumnType =
      typeof v === "number" ? "number" : typeof v === "boolean" ? "boolean" : v instanceof Date ? "date" : "string";
    if (kind === "none") kind = k;
    else if (kind !== k) kind = "string";
  }
  const nulls = anyNull ? new Uint8Array(n) : undefined;
  if (nulls) for (let i = 0; i < n; i++) if (isMissing(values[i])) nulls[i] = 1;
  let column: Column;
  switch (kind) {
    case "number":
    case "date": {
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i];
        out[i] = nulls?.[i] ? Number.NaN : kind === "date" ? (v as Date).getTime() : (v as number);
      }
      column = { name, type: kind, values: out };
      break;
    }
    case "boolean": {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = values[i] === true ? 1 : 0;
      column = { name, type: "boolean", values: out };
      break;
    }
    default: {
      const out: string[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = nulls?.[i] ? "" : cellText(values[i], name);
      column = { name, type: "string", values: out };
    }
  }
  if (nulls) column.nulls = nulls;
  return column;
}

/**
 * Builds a table from row objects: columns are the union of the rows' keys in first-seen order, a key a row
 * lacks is a missing value, and each column's type is inferred as {@link columnFromValues} does.
 * @example rowsToTable([{ x: 1, y: "a" }, { x: 2 }]).columns.map((c) => c.type) // ["number", "string"]
 */
export function rowsToTable(rows: ReadonlyArray<Record<string, unknown>>): ColumnTable {
  if (!Array.isArray(rows)) throw new UnsupportedObjectError("rowsToTable needs an array of row objects");
  if (rows.length === 0) {
    throw new UnsupportedObjectError(
      "cannot build a table from an empty array of rows: there are no columns to infer; pass a ColumnTable instead",
    );
  }
  const names: string[] = [];
  const seen = new Set<string>();
  for (const [i, row] of rows.entries()) {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new UnsupportedObjectError(`row ${i} is not an object; rowsToTable needs an array of row objects`);
    }
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        names.push(key);
      }
    }
  }
  const columns = names.map((name) =>
    columnFromValues(
      name,
      rows.map((row) => (Object.hasOwn(row, name) ? row[name] : undefined)),
    ),
  );
  return { rowCount: rows.length, columns };
}

/** Whether `x` is a non-empty array whose every element is a plain object: what {@link rowsToTable} accepts. */
export function isRowArray(x: unknown): x is Record<string, unknown>[] {
  return Array.isArray(x) && x.length > 0 && x.every(isPlainObject);
}
