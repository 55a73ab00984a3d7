// Error positions, computed only when something goes wrong: the hot loop never counts lines. Positions follow
// readCsv: 1-based physical lines (CRLF, LF or a lone CR end one, inside quotes too) and 1-based columns in UTF-16
// code units, a leading BOM not counted.

import { ParseError } from "../model/errors";
import { firstInvalidUtf8 } from "./utf8";

/**
 * Invalid UTF-8 in the input (a binary file, or text in another encoding). Still a {@link ParseError}: `line`
 * and `column` say where the first invalid byte is, `offset` is its index in the input (a BOM counted).
 */
export class EncodingError extends ParseError {
  readonly offset: number;
  constructor(message: string, line: number, column: number, offset: number) {
    super(message, line, column);
    this.offset = offset;
  }
}

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

/** The EncodingError at the first invalid sequence of `bytes`, or undefined when they are valid UTF-8. */
export function encodingError(bytes: Uint8Array, bomLength: number): EncodingError | undefined {
  const at = firstInvalidUtf8(bytes, bomLength);
  if (at < 0) return undefined;
  const { line, column } = positionAt(bytes, at, bomLength);
  const hex = (bytes[at] as number).toString(16).padStart(2, "0");
  return new EncodingError(
    `invalid UTF-8 (byte 0x${hex} at offset ${at}); is this a binary file or text in another encoding?`,
    line,
    column,
    at,
  );
}
