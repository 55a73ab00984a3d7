// CSV as the kit pushes tables: RFC 4180 text plus a pandas schema, which dstack-py reads with `read_csv` and
// `astype`.
import { type Column, type ColumnTable, columnTableProblem, isNullAt } from "../model/columnTable";
import { UnsupportedObjectError } from "../model/errors";

const NEEDS_QUOTES = /[",\r\n]/;

function quote(text: string): string {
  if (text === "") return '""';
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The columns in file order: the index column (when `table.index` is set) first, then the others in order. */
export function csvColumnOrder(table: ColumnTable): Column[] {
  if (table.index === undefined) return table.columns;
  const index = table.columns.find((c) => c.name === table.index);
  return index ? [index, ...table.columns.filter((c) => c !== index)] : table.columns;
}

function cellToCsv(column: Column, row: number): string {
  if (isNullAt(column, row)) return "";
  switch (column.type) {
    case "number": {
      const n = (column.values as Float64Array)[row] as number;
      if (Number.isNaN(n)) return "";
      if (n === Number.POSITIVE_INFINITY) return "inf";
      if (n === Number.NEGATIVE_INFINITY) return "-inf";
      return String(n);
    }
    case "boolean":
      return (column.values as Uint8Array)[row] ? "True" : "False";
    case "date":
      return new Date((column.values as Float64Array)[row] as number).toISOString();
    default: {
      const text = column.dictionary
        ? (column.dictionary[(column.values as Uint32Array)[row] as number] as string)
        : ((column.values as string[])[row] as string);
      return quote(text);
    }
  }
}

function checkTable(table: ColumnTable): void {
  const problem = columnTableProblem(table);
  if (problem !== undefined) throw new UnsupportedObjectError(`not a valid ColumnTable: ${problem}`);
}

/**
 * RFC 4180 CSV of the table, header row first, the index column (if `table.index` is set) first: what
 * `parseTableSync` reads back to the same table.
 *
 * - Fields containing a comma, a double quote, CR or LF are quoted, quotes doubled; other fields are bare.
 * - Missing values are empty bare fields; empty strings are `""`, so the two stay distinct for a reader that
 *   keeps quoted empty fields (`readCsv` and the table parser without `naValues`). pandas' `read_csv` does not:
 *   it reads both, and any string spelled like one of its NA markers (`NA`, `null`, `nan`...; see
 *   `PANDAS_NA_VALUES`), as missing, and so does `pull` for a pushed table (a `pandas/dataframe`), so the kit
 *   and pandas agree on what a push holds. No quoting can keep such strings apart from missing for pandas.
 * - Numbers as `String(n)`, NaN as missing, ±Infinity as `inf`/`-inf`; booleans as `True`/`False` (as pandas);
 *   dates as ISO 8601 UTC (`toISOString()`).
 * - Lines end with LF (`\n`), the last one included.
 * @example toCSV(rowsToTable([{ a: 1, b: "x,y" }])) // 'a,b\n1,"x,y"\n'
 */
export function toCSV(table: ColumnTable): string {
  checkTable(table);
  const columns = csvColumnOrder(table);
  const lines: string[] = [columns.map((c) => quote(c.name)).join(",")];
  const cells: string[] = new Array(columns.length);
  for (let r = 0; r < table.rowCount; r++) {
    for (let c = 0; c < columns.length; c++) cells[c] = cellToCsv(columns[c] as Column, r);
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

function anyNull(column: Column, rowCount: number): boolean {
  for (let r = 0; r < rowCount; r++) if (isNullAt(column, r)) return true;
  return false;
}

/** numpy integer dtypes, which cannot hold a missing value: `int64` → pandas' nullable `Int64`, `uint8` → `UInt8`. */
const NUMPY_INT = /^(u?)int(8|16|32|64)$/;

/**
 * A dtype that can hold the column's missing values. dstack-py reads with `read_csv` then `astype(schema)`:
 * `astype("int64")` fails on NaN and `astype("bool")` turns NaN into True, so a column with nulls is declared
 * with pandas' nullable counterpart instead.
 */
function nullableDtype(dtype: string, column: Column, rowCount: number): string {
  const d = dtype.trim();
  const int = NUMPY_INT.exec(d);
  if (int === null && d !== "bool") return dtype;
  if (!anyNull(column, rowCount)) return dtype;
  return int ? `${int[1] ? "UInt" : "Int"}${int[2]}` : "boolean";
}

function pandasDtype(column: Column, rowCount: number): string {
  if (column.dtype !== undefined) return nullableDtype(column.dtype, column, rowCount);
  switch (column.type) {
    case "number": {
      const values = column.values as Float64Array;
      for (let r = 0; r < rowCount; r++) {
        const v = values[r] as number;
        if (column.nulls?.[r] || !Number.isSafeInteger(v)) return "float64";
      }
      return "int64";
    }
    case "boolean":
      // pandas' nullable boolean dtype keeps True/False/missing apart; `object` would read back as strings.
      return anyNull(column, rowCount) ? "boolean" : "bool";
    case "date":
      return "datetime64[ns]";
    default:
      return "object";
  }
}

/**
 * The pandas dtypes of the table's columns in CSV file order (index first): `column.dtype` when set, else
 * `int64` for number columns of safe integers without missing values, `float64` for other numbers,
 * `bool` (`boolean`, pandas' nullable boolean, when values are missing), `datetime64[ns]` and `object`.
 * A set `column.dtype` that cannot hold the column's missing values (`int64`, `uint8`, `bool`...) becomes its
 * pandas nullable counterpart (`Int64`, `UInt8`, `boolean`).
 * @example pandasSchema(rowsToTable([{ a: 1, b: 0.5 }])) // ["int64", "float64"]
 */
export function pandasSchema(table: ColumnTable): string[] {
  checkTable(table);
  return csvColumnOrder(table).map((c) => pandasDtype(c, table.rowCount));
}
