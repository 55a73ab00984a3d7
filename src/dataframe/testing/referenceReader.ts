// The reference the byte-level parser is checked against, for any bytes: decode the whole input strictly, then
// read the text with the kit's plain readers (readCsv for CSV, JSON.parse + rowsToTable's rules for JSON). Test
// code only: slow, simple, and independent of the parser's own UTF-8 and position code.

import { type Column, type ColumnTable, columnFromValues, rowsToTable } from "../../model/columnTable";
import { ParseError } from "../../model/errors";
import type { TableParseOptions } from "../parseTable";
import { readCsv } from "./referenceCsvReader";

/** What reading an input gives: a table, or an error described as plain data. */
export type ReferenceOutcome =
  | { table: ColumnTable }
  /** Invalid UTF-8: where its first invalid byte is. */
  | { encoding: { line: number; column: number; offset: number } }
  /** Any other ParseError; `exact` when message, line and column are the reference's (CSV), not just the class. */
  | { parse: { message: string; line: number; column: number }; exact: boolean };

const REPLACEMENT = 0xfffd;

/** UTF-8 length of the code point `cp`. */
const utf8Length = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

/**
 * Where the first invalid byte of `bytes` is, found by walking the lenient decoding: the first U+FFFD that the
 * bytes do not spell (EF BF BD) is where the decoder met invalid input. Undefined for valid UTF-8.
 */
export function firstInvalidByte(bytes: Uint8Array): { offset: number; textIndex: number } | undefined {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  let offset = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i) as number;
    if (cp === REPLACEMENT && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) {
      return { offset, textIndex: i };
    }
    offset += utf8Length(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return undefined;
}

/** 1-based line and UTF-16 column after `prefix` (line breaks: CRLF, LF or a lone CR; a leading BOM not counted). */
function positionAfter(prefix: string): { line: number; column: number } {
  const text = prefix.charCodeAt(0) === 0xfeff ? prefix.slice(1) : prefix;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    // A CR at the very end is followed by the invalid byte, not by LF: it ends a line on its own.
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: text.length - lineStart + 1 };
}

function readJsonReference(text: string, options: TableParseOptions): ColumnTable {
  if (text.trim() === "") return { rowCount: 0, columns: [] };
  const data: unknown = JSON.parse(text);
  let table: ColumnTable;
  if (Array.isArray(data)) {
    if (!data.every((row) => typeof row === "object" && row !== null && !Array.isArray(row))) {
      throw new ParseError("a row is not an object", 1, 1);
    }
    table = data.length === 0 ? { rowCount: 0, columns: [] } : rowsToTable(data as Record<string, unknown>[]);
  } else if (typeof data === "object" && data !== null && Object.values(data).every(Array.isArray)) {
    const entries = Object.entries(data as Record<string, unknown[]>);
    const rowCount = entries[0]?.[1].length ?? 0;
    if (entries.some(([, values]) => values.length !== rowCount)) throw new ParseError("unequal columns", 1, 1);
    const columns: Column[] = entries.map(([name, values]) => columnFromValues(name, values));
    table = { rowCount, columns };
  } else throw new ParseError("not a table", 1, 1);
  if (options.index && table.columns[0]) table.index = table.columns[0].name;
  return table;
}

/** What the parser must give for `bytes` with `options` (TSV is not covered: callers convert it to CSV). */
export function referenceRead(bytes: Uint8Array, options: TableParseOptions = {}): ReferenceOutcome {
  const bad = firstInvalidByte(bytes);
  if (bad) {
    const prefix = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(0, bad.offset));
    return { encoding: { ...positionAfter(prefix), offset: bad.offset } };
  }
  // ignoreBOM keeps a BOM in the text: readCsv drops one, and a second one is data.
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  const json = options.format === "json";
  try {
    if (json) {
      if (options.schema !== undefined) throw new Error("the JSON reference does not apply schemas");
      return { table: readJsonReference(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, options) };
    }
    const { header, index, schema, naValues } = options;
    return {
      table: readCsv(text, {
        ...(header === undefined ? {} : { header }),
        ...(index ? { index } : {}),
        ...(schema ? { schema } : {}),
        ...(naValues ? { naValues } : {}),
      }),
    };
  } catch (error) {
    if (error instanceof SyntaxError && json)
      return { parse: { message: error.message, line: 0, column: 0 }, exact: false };
    if (!(error instanceof ParseError)) throw error;
    const parse = { message: error.message, line: error.line, column: error.column };
    return { parse, exact: !json };
  }
}
