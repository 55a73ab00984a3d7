// The parser worker: dist/dataframe/worker.js, started by createTableParser as a module worker. It reads the
// input (transferred bytes, a Blob or a string), parses it and transfers the result's buffers back. For a large
// input split across the pool it reads one piece (chunks.ts) in two calls: the pass, then the finish with the
// kinds every piece agreed on; the piece's reader stays here in between.

import { expose, releaseProxy, transfer } from "comlink";
import { ChunkJob } from "./chunks";
import { transferables } from "./packedTable";
import type { TableParseOptions } from "./parseTable";
import { parsePackedInSlices, readInput } from "./parseTable";
import { type ParserWorkerApi, type PieceRead, serializeError, type WorkerResult } from "./workerProtocol";

/** Slices of a piece between progress messages. */
const CHUNK_SLICE = 4 * 1024 * 1024;

/** The piece read last, to read again if the pieces did not agree on its kinds (finishPiece). */
let piece: { bytes: Uint8Array; options: TableParseOptions; names: readonly string[] } | undefined;
/** The whole input, when this worker was given it with its piece. */
let whole: Uint8Array | undefined;

/**
 * Reads this worker's own piece, `bytes[start, end)` (readPiece's arguments, less the pieces it forwards), and
 * finishes it at once with its own kinds: when every piece agrees, as they nearly always do, that is the piece
 * the merge needs, and no second round trip is made.
 */
async function readPiece(
  ...[bytes, start, end, options, names, onProgress]: Parameters<ParserWorkerApi["readPiece"]>
): Promise<PieceRead> {
  whole = start > 0 || end < bytes.length ? bytes : undefined;
  const own = bytes.subarray(start, end);
  piece = { bytes: own, options, names };
  try {
    const job = new ChunkJob(own, options, names);
    for (let done = 0; !job.step(done + CHUNK_SLICE); done += CHUNK_SLICE) {
      void onProgress?.(job.progress.done);
    }
    const summary = job.summary();
    const finished = job.finish(summary.kinds);
    return transfer({ ok: true, summary, piece: finished }, transferables(finished.table));
  } catch (error) {
    piece = undefined;
    return { ok: false, error: serializeError(error) };
  } finally {
    (onProgress as { [releaseProxy]?: () => void } | undefined)?.[releaseProxy]?.();
  }
}

const api: ParserWorkerApi = {
  async parse(input, options, onProgress): Promise<WorkerResult> {
    try {
      const bytes = await readInput(input);
      const table = await parsePackedInSlices(bytes, {
        ...options,
        // Fire and forget: each call posts a message; awaiting it would stall the parse.
        ...(onProgress ? { onProgress: (done: number, total: number) => void onProgress(done, total) } : {}),
      });
      const result: WorkerResult = { ok: true, table };
      return transfer(result, transferables(table));
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    } finally {
      // Closes the callback's message port (comlink passes a proxy; a plain function has no releaseProxy).
      (onProgress as { [releaseProxy]?: () => void } | undefined)?.[releaseProxy]?.();
    }
  },

  readPiece(bytes, start, end, options, names, onProgress, forward = []) {
    for (const { port, start: from, end: to } of forward) {
      const copy = bytes.slice(from, to);
      port.postMessage(copy, [copy.buffer]);
      port.close();
    }
    return readPiece(bytes, start, end, options, names, onProgress);
  },

  async readPieceFrom(port, options, names, onProgress) {
    const bytes = await new Promise<Uint8Array>((resolve) => {
      port.onmessage = (event: MessageEvent<Uint8Array>) => {
        port.close();
        resolve(event.data);
      };
    });
    return readPiece(bytes, 0, bytes.length, options, names, onProgress);
  },

  async giveBack() {
    const bytes = whole;
    whole = undefined;
    if (bytes === undefined) throw new Error("this worker holds no whole input");
    piece = undefined;
    return transfer(bytes, [bytes.buffer]);
  },

  async finishPiece(kinds, stored) {
    const read = piece;
    piece = undefined;
    whole = undefined;
    try {
      if (!read) throw new Error("no piece was read");
      // Read again: the first reading was finished with this piece's own kinds and sent.
      const job = new ChunkJob(read.bytes, read.options, read.names);
      while (!job.step()) {}
      const finished = job.finish(kinds, stored);
      return transfer({ ok: true, piece: finished }, transferables(finished.table));
    } catch (error) {
      return { ok: false, error: serializeError(error) };
    }
  },

  async dropPiece() {
    piece = undefined;
    whole = undefined;
  },
};

expose(api);
