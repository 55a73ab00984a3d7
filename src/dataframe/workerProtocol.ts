// What crosses between the pool and a parser worker. Errors travel as data (comlink would flatten them to plain
// Errors and lose ParseError's class, line and column) and are rebuilt on the calling side.

import { AbortError, DstackError, ParseError } from "../model/errors";
import type { PackedTable } from "./packedTable";
import type { TableInput, TableParseOptions } from "./parseTable";
import { EncodingError } from "./position";

export type WireError =
  | { kind: "parse"; message: string; line: number; column: number; encodingOffset?: number }
  | { kind: "dstack"; message: string; code: string; status: number }
  | { kind: "other"; name: string; message: string };

export type WorkerResult = { ok: true; table: PackedTable } | { ok: false; error: WireError };

/** The worker's API, as comlink exposes it. */
export interface ParserWorkerApi {
  parse(
    input: TableInput,
    options: TableParseOptions,
    onProgress?: (bytesDone: number, bytesTotal: number) => void,
  ): Promise<WorkerResult>;
}

/** ParseError's constructor appends the position to the message; the wire carries the message without it. */
const POSITION_SUFFIX = / \(line \d+, column \d+\)$/;

export function toWireError(error: unknown): WireError {
  if (error instanceof ParseError) {
    const wire: WireError = {
      kind: "parse",
      message: error.message.replace(POSITION_SUFFIX, ""),
      line: error.line,
      column: error.column,
    };
    if (error instanceof EncodingError) wire.encodingOffset = error.offset;
    return wire;
  }
  if (error instanceof DstackError) {
    return { kind: "dstack", message: error.message, code: error.code, status: error.status };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: "other", name: e.name, message: e.message };
}

export function fromWireError(error: WireError): Error {
  switch (error.kind) {
    case "parse":
      return error.encodingOffset !== undefined
        ? new EncodingError(error.message, error.line, error.column, error.encodingOffset)
        : new ParseError(error.message, error.line, error.column);
    case "dstack":
      return error.code === "aborted"
        ? new AbortError(error.message)
        : new DstackError(error.message, error.code, error.status);
    default: {
      const out = new Error(error.message);
      out.name = error.name;
      return out;
    }
  }
}
