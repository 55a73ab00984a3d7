// The reference CSV reader: plain, strict and in-thread, over a whole string. Test code only: the byte-level
// reader (csvReader.ts) must give exactly what it gives, on every input the tests and the fuzzer try.
import type { Column, ColumnTable, ColumnType } from "../../model/columnTable";
import { ParseError } from "../../model/errors";
import { BOOLEAN, INTEGER, parseIsoDate, parseNumber, typeOfDtype } from "../scalarText";

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
