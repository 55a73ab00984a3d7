// What crosses between the pool and a parser worker. Errors travel as data (comlink would flatten them to plain
// Errors and lose ParseError's class, line and column) and are rebuilt on the calling side.

import { AbortError, DstackError, ParseError } from "../model/errors";
import type { ChunkSummary, ChunkTable } from "./chunks";
import type { StoredAs } from "./csvReader";
import type { PackedTable } from "./packedTable";
import type { TableInput, TableParseOptions } from "./parseTable";
import { EncodingError } from "./position";

/** An error as data: what a worker can post back without losing its class and fields. */
export type SerializedError =
  | { kind: "parse"; message: string; line: number; column: number; encodingOffset?: number }
  | { kind: "dstack"; message: string; code: string; status: number }
  | { kind: "other"; name: string; message: string };

export type WorkerResult = { ok: true; table: PackedTable } | { ok: false; error: SerializedError };

/** A piece read, and finished with its own kinds (what the merge takes when every piece agrees). */
export type PieceRead = { ok: true; summary: ChunkSummary; piece: ChunkTable } | { ok: false; error: SerializedError };

/** A piece that the worker holding the input copies and sends to another worker. */
export interface PieceForward {
  port: MessagePort;
  start: number;
  end: number;
}

/** The worker's API, as comlink exposes it. */
export interface ParserWorkerApi {
  parse(
    input: TableInput,
    options: TableParseOptions,
    onProgress?: (bytesDone: number, bytesTotal: number) => void,
  ): Promise<WorkerResult>;
  /**
   * Reads one piece of a split input (chunks.ts), `bytes[start, end)`, and keeps it until finishPiece. A worker
   * given more than its piece (the whole input) keeps that until finishPiece too, for giveBack. Before its own
   * piece it sends each `forward` piece, a copy of `bytes[start, end)`, through its port (to readPieceFrom in
   * another worker): the copies are made here rather than on the page's thread.
   */
  readPiece(
    bytes: Uint8Array,
    start: number,
    end: number,
    options: TableParseOptions,
    names: readonly string[],
    onProgress?: (bytesDone: number) => void,
    forward?: readonly PieceForward[],
  ): Promise<PieceRead>;
  /** readPiece of the whole bytes that arrive on `port` (sent by the worker that holds the input). */
  readPieceFrom(
    port: MessagePort,
    options: TableParseOptions,
    names: readonly string[],
    onProgress?: (bytesDone: number) => void,
  ): Promise<PieceRead>;
  /** The whole input readPiece was given (transferred back), for a fall-back to one worker. */
  giveBack(): Promise<Uint8Array>;
  /**
   * Reads the piece read last again and finishes it with the kinds every piece agreed on, when they are not its
   * own (a column typed in one piece and strings in another, NA values placed by another piece's history).
   */
  finishPiece(
    kinds: number[],
    stored: Array<StoredAs | undefined>,
  ): Promise<{ ok: true; piece: ChunkTable } | { ok: false; error: SerializedError }>;
  /** Forgets the piece read last and the whole input (the merge took the piece as it was). */
  dropPiece(): Promise<void>;
}

/** ParseError's constructor appends the position to the message; the serialized error carries it without. */
const POSITION_SUFFIX = / \(line \d+, column \d+\)$/;

/** The error as data, for the worker's reply. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof ParseError) {
    const out: SerializedError = {
      kind: "parse",
      message: error.message.replace(POSITION_SUFFIX, ""),
      line: error.line,
      column: error.column,
    };
    if (error instanceof EncodingError) out.encodingOffset = error.offset;
    return out;
  }
  if (error instanceof DstackError) {
    return { kind: "dstack", message: error.message, code: error.code, status: error.status };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return { kind: "other", name: e.name, message: e.message };
}

/** The error a worker serialized, rebuilt with its class. */
export function deserializeError(error: SerializedError): Error {
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
