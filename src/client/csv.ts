import { type Column, type ColumnTable, type ColumnType, columnTableProblem, isNullAt } from "../model/columnTable";
import { ParseError, UnsupportedObjectError } from "../model/errors";

// ---------------------------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------------------------

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
 * Writes a table as RFC 4180 CSV with a header row, the index column (if `table.index` is set) first.
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
 * @example writeCsv(rowsToTable([{ a: 1, b: "x,y" }])) // 'a,b\n1,"x,y"\n'
 */
export function writeCsv(table: ColumnTable): string {
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

// ---------------------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------------------

/** Options of {@link readCsv}. */
export interface ReadCsvOptions {
  /** pandas dtypes, one per column in file order (the index column's first): types the columns. */
  schema?: readonly string[];
  /** Whether the first non-empty line names the columns (default true). Without it columns are `0`, `1`, ... */
  header?: boolean;
  /** Whether the first column is the pandas index (default false): `table.index` is set to its name. */
  index?: boolean;
  /**
   * Field texts that are missing values in every column, quoted or not (e.g. `PANDAS_NA_VALUES`, pandas'
   * `read_csv` defaults). An empty bare field is missing whatever this holds.
   */
  naValues?: readonly string[];
}

interface Field {
  text: string;
  quoted: boolean;
  line: number;
  column: number;
}

/**
 * Splits RFC 4180 text into records of fields, calling `onRecord` for every non-blank record.
 * Line breaks are CRLF, LF or a lone CR, inside quotes too. A leading BOM is skipped (positions do not count it).
 */
function tokenize(text: string, onRecord: (fields: Field[]) => void): void {
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = i;
  for (;;) {
    const fields: Field[] = [];
    for (;;) {
      const fieldLine = line;
      const fieldColumn = i - lineStart + 1;
      if (text.charCodeAt(i) === 34 /* " */) {
        const parts: string[] = [];
        let segment = i + 1;
        let j = segment;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) throw new ParseError("unclosed quoted field", fieldLine, fieldColumn);
          if (text.charCodeAt(q + 1) === 34) {
            parts.push(text.slice(segment, q + 1));
            j = q + 2;
            segment = j;
          } else {
            parts.push(text.slice(segment, q));
            j = q + 1;
            break;
          }
        }
        // Line breaks inside the quotes move the position.
        for (let k = i + 1; k < j; k++) {
          const ch = text.charCodeAt(k);
          if (ch === 10 || (ch === 13 && text.charCodeAt(k + 1) !== 10)) {
            line++;
            lineStart = k + 1;
          }
        }
        i = j;
        const next = text.charCodeAt(i);
        if (i < n && next !== 44 && next !== 10 && next !== 13) {
          throw new ParseError("unexpected character after a closing quote", line, i - lineStart + 1);
        }
        fields.push({
          text: parts.length === 1 ? (parts[0] as string) : parts.join(""),
          quoted: true,
          line: fieldLine,
          column: fieldColumn,
        });
      } else {
        let j = i;
        while (j < n) {
          const ch = text.charCodeAt(j);
          if (ch === 44 || ch === 10 || ch === 13) break;
          j++;
        }
        fields.push({ text: text.slice(i, j), quoted: false, line: fieldLine, column: fieldColumn });
        i = j;
      }
      if (i < n && text.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      break;
    }
    const blank = fields.length === 1 && !(fields[0] as Field).quoted && (fields[0] as Field).text === "";
    if (i >= n) {
      if (!blank) onRecord(fields);
      return;
    }
    i += text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    line++;
    lineStart = i;
    if (!blank) onRecord(fields);
  }
}

/** Maps a pandas dtype to a column type; unknown dtypes read as strings. */
export function typeOfDtype(dtype: string): ColumnType {
  const d = dtype.trim().toLowerCase();
  if (/^(u?int|float)(8|16|32|64)?$/.test(d)) return "number";
  if (d === "bool" || d === "boolean") return "boolean";
  if (d.startsWith("datetime64")) return "date";
  return "string";
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** An integer literal as `int*` schema columns accept it (after trimming). */
export const INTEGER = /^[+-]?\d+$/;
const SPECIAL_NUMBER = /^[+-]?(?:inf|infinity|nan)$/i;
/** A boolean literal (after trimming). */
export const BOOLEAN = /^(?:true|false)$/i;
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(?:\s*(Z|[+-]\d{2}(?::?\d{2})?))?$/i;

/** A number, NaN for nan (a missing value), or undefined when `text` is not a number. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim();
  if (NUMBER.test(t)) return Number(t);
  if (!SPECIAL_NUMBER.test(t)) return undefined;
  const lower = t.toLowerCase();
  if (lower.endsWith("nan")) return Number.NaN;
  return lower.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
}

/**
 * Epoch ms of an ISO 8601 date or date-time (`T` or space separated, optional seconds, fraction, `Z` or
 * `±HH[:MM]` offset), or undefined. Times without an offset are UTC; the fraction is cut to milliseconds.
 */
export function parseIsoDate(text: string): number | undefined {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  let time = date.getTime();
  const zone = m[8];
  if (zone !== undefined && zone.toUpperCase() !== "Z") {
    const digits = zone.slice(1).replace(":", "");
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMinutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (offsetHours > 23 || offsetMinutes > 59) return undefined;
    const sign = zone.startsWith("-") ? -1 : 1;
    time -= sign * (offsetHours * 60 + offsetMinutes) * 60_000;
  }
  return time;
}

interface RawColumn {
  name: string;
  texts: string[];
  quoted: boolean[];
  lines: number[];
  columns: number[];
  /** 1 where the row had no field for this column. */
  absent: boolean[];
}

/** Field texts that are missing in every column (`naValues`), if any. */
type NaSet = ReadonlySet<string> | undefined;

/** A field that reads as missing in a non-string column: empty (quoted or not), or one of `na`. */
const isEmpty = (raw: RawColumn, r: number, na: NaSet) =>
  raw.absent[r] === true || raw.texts[r] === "" || na?.has(raw.texts[r] as string) === true;

function inferType(raw: RawColumn, na: NaSet): ColumnType {
  let number = true;
  let boolean = true;
  let date = true;
  let any = false;
  for (let r = 0; r < raw.texts.length; r++) {
    if (isEmpty(raw, r, na)) continue;
    any = true;
    const t = raw.texts[r] as string;
    if (number && parseNumber(t) === undefined) number = false;
    if (boolean && !BOOLEAN.test(t.trim())) boolean = false;
    if (date && parseIsoDate(t) === undefined) date = false;
    if (!number && !boolean && !date) return "string";
  }
  if (!any) return "string";
  return number ? "number" : boolean ? "boolean" : date ? "date" : "string";
}

function buildColumn(raw: RawColumn, type: ColumnType, dtype: string | undefined, na: NaSet): Column {
  const n = raw.texts.length;
  const nulls = new Uint8Array(n);
  let anyNull = false;
  const fail = (r: number, what: string): never => {
    const shown = dtype ?? type;
    throw new ParseError(
      `${JSON.stringify(raw.texts[r])} is not ${what} (column ${JSON.stringify(raw.name)} is ${shown})`,
      raw.lines[r] as number,
      raw.columns[r] as number,
    );
  };
  let column: Column;
  if (type === "string") {
    const values: string[] = new Array(n);
    for (let r = 0; r < n; r++) {
      if (raw.absent[r] || (raw.texts[r] === "" && !raw.quoted[r]) || na?.has(raw.texts[r] as string)) {
        nulls[r] = 1;
        anyNull = true;
        values[r] = "";
      } else values[r] = raw.texts[r] as string;
    }
    column = { name: raw.name, type, values };
  } else if (type === "boolean") {
    const values = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      if (isEmpty(raw, r, na)) {
        nulls[r] = 1;
        anyNull = true;
        continue;
      }
      const t = (raw.texts[r] as string).trim();
      if (!BOOLEAN.test(t)) fail(r, "a boolean (True or False)");
      values[r] = t.toLowerCase() === "true" ? 1 : 0;
    }
    column = { name: raw.name, type, values };
  } else {
    const values = new Float64Array(n);
    const integer = type === "number" && dtype !== undefined && /^u?int/i.test(dtype.trim());
    for (let r = 0; r < n; r++) {
      let v: number | undefined = Number.NaN;
      if (!isEmpty(raw, r, na)) {
        const t = raw.texts[r] as string;
        if (type === "date") {
          v = parseIsoDate(t);
          if (v === undefined) fail(r, "an ISO 8601 date");
        } else if (integer) {
          v = INTEGER.test(t.trim()) ? Number(t.trim()) : fail(r, "an integer");
        } else {
          v = parseNumber(t);
          if (v === undefined) fail(r, "a number");
        }
      }
      if (Number.isNaN(v)) {
        nulls[r] = 1;
        anyNull = true;
      }
      values[r] = v as number;
    }
    column = { name: raw.name, type, values };
  }
  if (dtype !== undefined) column.dtype = dtype;
  if (anyNull) column.nulls = nulls;
  return column;
}

/**
 * Reads CSV text (RFC 4180) into a ColumnTable. The exact semantics, which any other parser of the kit must
 * reproduce:
 *
 * - **Syntax.** Fields are separated by `,`; records end with CRLF, LF or a lone CR. A field that starts with `"`
 *   is quoted: `""` inside it is one `"`, and it may hold commas and line breaks; after its closing quote only a
 *   comma, a line break or the end may follow. A `"` inside a bare field is kept as is. A leading BOM is dropped.
 *   Empty lines (a record that is one empty bare field) are skipped everywhere, like pandas' `skip_blank_lines`.
 * - **Header.** With `header` (default) the first record names the columns; names are taken verbatim (an empty
 *   name is allowed: pandas writes the index header empty). Without it columns are named `0`, `1`, ... and the
 *   first record sets the column count. Empty input gives `{ rowCount: 0, columns: [] }`.
 * - **Index.** With `index` the first column is the index: `table.index` is its name.
 * - **Ragged rows.** A row with fewer fields than columns has missing values (null) in the rest; a row with
 *   more is an error.
 * - **Types.** With `schema` (one pandas dtype per column, the index's first) `int*`/`uint*`/`float*` are numbers
 *   (`int*` columns accept only integer literals), `bool`/`boolean` booleans, `datetime64*` dates, anything else
 *   (`object`, `string`, `category`...) strings; each column keeps its dtype in `column.dtype`. Without a schema
 *   each column is inferred from its non-empty fields: all numbers → number; else all `true`/`false` (any case) →
 *   boolean; else all ISO 8601 dates → date; else (or if it has no non-empty field) string. Quoting plays no part:
 *   `"1"` is a number (pandas' QUOTE_ALL output).
 * - **Values.** Numbers: decimal and exponent notation, `inf`/`infinity`/`nan` in any case with an optional sign;
 *   `nan` is a missing value. Booleans: `true`/`false` in any case. Dates: `YYYY-MM-DD`, optionally followed by
 *   `T` or a space and `HH:MM[:SS[.fraction]]`, optionally `Z` or `±HH[:MM]`; a time without an offset is UTC;
 *   stored as epoch ms. Surrounding spaces are ignored in numbers, booleans and dates, kept in strings.
 * - **Missing values.** An empty bare field is missing (null) in every column; an empty quoted field `""` is
 *   the empty string in a string column and missing in any other. With `naValues`, a field whose text (quotes
 *   removed) is one of them is missing in every column, before any typing: it takes no part in inference and a
 *   schema'd column never rejects it (pandas' `read_csv` rule; `""` among them makes `""` missing in string
 *   columns too). Missing positions hold NaN (numbers, dates), 0 (booleans) or "" (strings) and are marked in
 *   `nulls`, which is present only when something is missing.
 * - **Errors** are {@link ParseError}s whose `line` and `column` are 1-based: the physical line (line breaks
 *   inside quotes count) and the character (UTF-16 code unit) in it where the offending field starts: an unclosed
 *   quote (at its opening quote), text after a closing quote (at that text), a row with more fields than columns
 *   (at the first extra field), a duplicate column name (at the second one), a value a schema'd column cannot
 *   hold (at that value), and a schema whose length differs from the column count (line 1, column 1).
 * @example readCsv('"","a"\n"0","1.5"\n', { index: true, schema: ["int64", "float64"] }).index // ""
 */
export function readCsv(text: string, options: ReadCsvOptions = {}): ColumnTable {
  const header = options.header ?? true;
  const { schema } = options;
  let raws: RawColumn[] | undefined;
  let rowCount = 0;
  const newRaw = (name: string): RawColumn => ({ name, texts: [], quoted: [], lines: [], columns: [], absent: [] });
  let headerLine = 1;

  tokenize(text, (fields) => {
    if (raws === undefined) {
      headerLine = (fields[0] as Field).line;
      if (header) {
        const seen = new Set<string>();
        for (const field of fields) {
          if (seen.has(field.text)) {
            throw new ParseError(`duplicate column name ${JSON.stringify(field.text)}`, field.line, field.column);
          }
          seen.add(field.text);
        }
        raws = fields.map((f) => newRaw(f.text));
        return;
      }
      raws = fields.map((_, i) => newRaw(String(i)));
    }
    const columns = raws;
    if (fields.length > columns.length) {
      const extra = fields[columns.length] as Field;
      throw new ParseError(
        `row has ${fields.length} fields but there are ${columns.length} columns`,
        extra.line,
        extra.column,
      );
    }
    for (let c = 0; c < columns.length; c++) {
      const raw = columns[c] as RawColumn;
      const field = fields[c];
      if (field) {
        raw.texts.push(field.text);
        raw.quoted.push(field.quoted);
        raw.lines.push(field.line);
        raw.columns.push(field.column);
        raw.absent.push(false);
      } else {
        const last = fields[fields.length - 1] as Field;
        raw.texts.push("");
        raw.quoted.push(false);
        raw.lines.push(last.line);
        raw.columns.push(last.column);
        raw.absent.push(true);
      }
    }
    rowCount++;
  });

  if (raws === undefined) return { rowCount: 0, columns: [] };
  const found = raws as RawColumn[];
  if (schema !== undefined && schema.length !== found.length) {
    throw new ParseError(
      `the schema has ${schema.length} dtypes but the CSV has ${found.length} columns`,
      headerLine,
      1,
    );
  }
  const na: NaSet = options.naValues ? new Set(options.naValues) : undefined;
  const columns = found.map((raw, c) => {
    const dtype = schema?.[c];
    return buildColumn(raw, dtype === undefined ? inferType(raw, na) : typeOfDtype(dtype), dtype, na);
  });
  const table: ColumnTable = { rowCount, columns };
  if (options.index && columns[0]) table.index = columns[0].name;
  return table;
}
