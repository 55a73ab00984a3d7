// The parser worker: dist/dataframe/worker.js, started by createTableParser as a module worker. It reads the
// input (transferred bytes, a Blob or a string), parses it and transfers the result's buffers back.

import { expose, releaseProxy, transfer } from "comlink";
import { transferables } from "./packedTable";
import { parsePackedInSlices, readInput } from "./parseTable";
import { type ParserWorkerApi, serializeError, type WorkerResult } from "./workerProtocol";

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
};

expose(api);
