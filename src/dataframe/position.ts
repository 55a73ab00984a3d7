// Error positions, computed only when something goes wrong: the hot loop never counts lines. Positions follow
// readCsv: 1-based physical lines (CRLF, LF or a lone CR end one, inside quotes too) and 1-based columns in UTF-16
// code units, a leading BOM not counted.

import { ParseError } from "../model/errors";

/** Invalid UTF-8 in the input (a binary file, or text in another encoding). Still a {@link ParseError}. */
export class EncodingError extends ParseError {}

/** 1-based line and column of byte `offset` in `bytes`, whose first `bomLength` bytes are a BOM. */
export function positionAt(bytes: Uint8Array, offset: number, bomLength: number): { line: number; column: number } {
  let line = 1;
  let lineStart = bomLength;
  const end = Math.min(offset, bytes.length);
  for (let i = bomLength; i < end; i++) {
    const b = bytes[i];
    if (b === 10) {
      line++;
      lineStart = i + 1;
    } else if (b === 13) {
      if (i + 1 < bytes.length && bytes[i + 1] === 10) {
        // CRLF: the LF ends the line. If the offset points at that LF, it is still on this line.
        if (i + 1 >= end) break;
        i++;
      }
      line++;
      lineStart = i + 1;
    }
  }
  const prefix = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(lineStart, end));
  return { line, column: prefix.length + 1 };
}

/** A ParseError at byte `offset`. */
export function parseErrorAt(message: string, bytes: Uint8Array, offset: number, bomLength: number): ParseError {
  const { line, column } = positionAt(bytes, offset, bomLength);
  return new ParseError(message, line, column);
}

/** Byte offset of the first invalid UTF-8 sequence (as the WHATWG decoder sees it), or -1 if there is none. */
export function firstInvalidUtf8(bytes: Uint8Array, from = 0): number {
  const n = bytes.length;
  let i = from;
  while (i < n) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f; // no UTF-16 surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < lower || c > upper) return i;
      lower = 0x80;
      upper = 0xbf;
    }
    i += need + 1;
  }
  return -1;
}

/** The EncodingError for `bytes`, at their first invalid sequence (or at the start if none is found). */
export function encodingError(bytes: Uint8Array, bomLength: number): EncodingError {
  const at = Math.max(0, firstInvalidUtf8(bytes, bomLength));
  const { line, column } = positionAt(bytes, at, bomLength);
  const hex = (bytes[at] ?? 0).toString(16).padStart(2, "0");
  return new EncodingError(
    `invalid UTF-8 (byte 0x${hex}); is this a binary file or text in another encoding?`,
    line,
    column,
  );
}
