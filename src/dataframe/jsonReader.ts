// JSON tables: an array of row objects (`[{"a": 1}, ...]`, pandas `orient="records"`) or an object of equal-length
// column arrays (`{"a": [1, 2]}`). JSON.parse does the parsing; this file types the columns and says where a
// problem is. Keys are data: only own properties are read (`Object.hasOwn`), so a column named `constructor` or
// `__proto__` never reaches Object.prototype.

import { type Column, type ColumnType, columnFromValues } from "../model/columnTable";
import { ParseError } from "../model/errors";
import { jsonOffsetOf, jsonSyntaxErrorOffset } from "./jsonLocate";
import { type PackedTable, packColumn } from "./packedTable";
import { encodingError } from "./position";
import { parseIsoDate, typeOfDtype } from "./scalarText";

export interface JsonReaderOptions {
  /** pandas dtypes, one per column (the index's first). */
  schema?: readonly string[];
  /** Whether the first column is the pandas index. */
  index?: boolean;
  /** Dictionary-encode string columns with few distinct values (default true). */
  dictionary?: boolean;
}

/** 1-based line and UTF-16 column of `offset` in `text`. */
function textPosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function errorAt(message: string, text: string, offset: number): ParseError {
  const { line, column } = textPosition(text, offset);
  return new ParseError(message, line, column);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A column of `values` typed by `dtype`; `where(k)` is the JSON path of value k, for errors. */
function typedColumn(
  name: string,
  values: readonly unknown[],
  dtype: string,
  fail: (k: number, message: string) => never,
): Column {
  const type: ColumnType = typeOfDtype(dtype);
  const n = values.length;
  const nulls = new Uint8Array(n);
  let anyNull = false;
  const what = (k: number, expected: string) =>
    fail(k, `${JSON.stringify(values[k])} is not ${expected} (column ${JSON.stringify(name)} is ${dtype})`);
  let column: Column;
  if (type === "number" || type === "date") {
    const out = new Float64Array(n);
    const integer = type === "number" && /^u?int/i.test(dtype.trim());
    for (let k = 0; k < n; k++) {
      const v = values[k];
      if (v === null || v === undefined) {
        out[k] = Number.NaN;
        nulls[k] = 1;
        anyNull = true;
      } else if (type === "date") {
        // pandas' to_json writes dates as epoch milliseconds by default, ISO strings with date_format="iso".
        const ms = typeof v === "number" ? v : typeof v === "string" ? parseIsoDate(v) : undefined;
        out[k] = ms ?? what(k, "an ISO 8601 date or epoch milliseconds");
      } else if (typeof v !== "number" || (integer && !Number.isInteger(v))) {
        what(k, integer ? "an integer" : "a number");
      } else out[k] = v;
    }
    column = { name, type, values: out };
  } else if (type === "boolean") {
    const out = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const v = values[k];
      if (v === null || v === undefined) {
        nulls[k] = 1;
        anyNull = true;
      } else if (typeof v === "boolean") out[k] = v ? 1 : 0;
      else what(k, "a boolean");
    }
    column = { name, type, values: out };
  } else {
    const out: string[] = new Array(n);
    for (let k = 0; k < n; k++) {
      const v = values[k];
      if (v === null || v === undefined) {
        out[k] = "";
        nulls[k] = 1;
        anyNull = true;
      } else out[k] = typeof v === "string" ? v : typeof v === "object" ? JSON.stringify(v) : String(v);
    }
    column = { name, type, values: out };
  }
  column.dtype = dtype;
  if (anyNull) column.nulls = nulls;
  return column;
}

/** Reads a JSON table from UTF-8 bytes (a BOM is skipped). Throws ParseError with line and column. */
export function readJson(bytes: Uint8Array, options: JsonReaderOptions = {}): PackedTable {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (cause) {
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    throw encodingError(bytes, bom) ?? cause;
  }
  if (text.trim() === "") return { rowCount: 0, columns: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    const offset = jsonSyntaxErrorOffset(text);
    throw errorAt(`invalid JSON: ${(cause as Error).message}`, text, Math.max(0, offset));
  }

  let names: string[];
  let columnValues: (name: string, c: number) => unknown[];
  let pathOf: (name: string, k: number) => Array<string | number>;
  let rowCount: number;
  if (Array.isArray(data)) {
    const rows = data as unknown[];
    const seen = new Set<string>();
    names = [];
    rows.forEach((row, k) => {
      if (!isPlainObject(row)) throw errorAt(`row ${k} is not an object`, text, jsonOffsetOf(text, [k]));
      for (const key of Object.keys(row)) {
        if (!seen.has(key)) {
          seen.add(key);
          names.push(key);
        }
      }
    });
    rowCount = rows.length;
    // A row without the key has a missing value there, whatever Object.prototype holds under that name.
    columnValues = (name) =>
      rows.map((row) => (Object.hasOwn(row as object, name) ? (row as Record<string, unknown>)[name] : undefined));
    pathOf = (name, k) => [k, name];
  } else if (isPlainObject(data) && Object.values(data).every(Array.isArray)) {
    const columns = data as Record<string, unknown[]>;
    names = Object.keys(columns);
    rowCount = names.length > 0 ? (columns[names[0] as string] as unknown[]).length : 0;
    for (const name of names) {
      const length = (columns[name] as unknown[]).length;
      if (length !== rowCount) {
        throw errorAt(
          `column ${JSON.stringify(name)} has ${length} values but column ${JSON.stringify(names[0])} has ${rowCount}`,
          text,
          jsonOffsetOf(text, [name]),
        );
      }
    }
    columnValues = (name) => columns[name] as unknown[];
    pathOf = (name, k) => [name, k];
  } else {
    throw errorAt("a JSON table is an array of row objects or an object of equal-length column arrays", text, 0);
  }

  const { schema } = options;
  if (schema !== undefined && schema.length !== names.length) {
    throw new ParseError(`the schema has ${schema.length} dtypes but the JSON has ${names.length} columns`, 1, 1);
  }
  const columns = names.map((name, c) => {
    const values = columnValues(name, c);
    const dtype = schema?.[c];
    const column =
      dtype === undefined
        ? columnFromValues(name, values)
        : typedColumn(name, values, dtype, (k, message) => {
            throw errorAt(message, text, jsonOffsetOf(text, pathOf(name, k)));
          });
    return packColumn(column, options.dictionary ?? true);
  });
  const table: PackedTable = { rowCount, columns };
  if (options.index && columns[0]) table.index = columns[0].name;
  return table;
}
