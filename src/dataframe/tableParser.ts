// createTableParser: a lazily started pool of module Web Workers (comlink) that parse tables off the main thread.
// Where there is no Worker (Node, SSR) or `workers: 0` is asked for, the same parser runs in-thread.
//
// Cancellation terminates the worker running the job: a parse is one long synchronous loop, so nothing short of
// terminating it stops it promptly. The pool replaces that worker on demand and carries on with the queue.
// A worker that fails (cannot load, crashes) rejects its job instead of leaving it pending.

import { proxy, type Remote, releaseProxy, transfer, wrap } from "comlink";
import type { ColumnTable } from "../model/columnTable";
import { AbortError, DstackError } from "../model/errors";
import { unpackTable, unpackTableInSlices } from "./packedTable";
import { type ParseOptions, parsePackedInSlices, readInput, type TableInput } from "./parseTable";
import { deserializeError, type ParserWorkerApi } from "./workerProtocol";

/** Options of {@link createTableParser}. */
export interface TableParserOptions {
  /**
   * Number of workers; default `navigator.hardwareConcurrency - 1`, at least 1 and at most 4. `0` parses in-thread
   * (what happens anyway where `Worker` does not exist, e.g. Node).
   */
  workers?: number;
  /** Where the worker script is, if not next to this module (`./worker.js`): e.g. a URL your bundler emitted. */
  workerUrl?: string | URL;
}

/** Parses tables into {@link ColumnTable}s off the main thread. */
export interface TableParser {
  /**
   * Parses CSV, TSV or JSON. An ArrayBuffer (or a typed array spanning its whole buffer) is transferred to the
   * worker, so it is detached afterwards; pass a copy (`buffer.slice(0)`) to keep using it. Rejects with
   * ParseError (line and column), AbortError when `signal` aborts, or DstackError if a worker fails.
   */
  parse(input: TableInput, options?: ParseOptions): Promise<ColumnTable>;
  /** Stops the workers; pending and later parses reject with AbortError. */
  close(): Promise<void>;
  /** `worker` when parses run in Web Workers, `in-thread` otherwise. */
  readonly mode: "worker" | "in-thread";
}

const MAX_DEFAULT_WORKERS = 4;

function defaultWorkerCount(): number {
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency : undefined;
  return Math.max(1, Math.min(MAX_DEFAULT_WORKERS, (cores ?? 2) - 1));
}

/**
 * A table parser backed by a pool of module workers (none started until the first parse).
 * @example
 * const parser = createTableParser();
 * const table = await parser.parse(await file.arrayBuffer(), { format: "csv", onProgress: (d, t) => bar(d / t) });
 */
export function createTableParser(options: TableParserOptions = {}): TableParser {
  const size = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(size) || size < 0) {
    throw new DstackError(`workers must be a non-negative integer, got ${size}`, "invalid_option", 400);
  }
  if (size === 0 || typeof Worker === "undefined") return inThreadParser();
  return new WorkerPool(size, options.workerUrl);
}

function inThreadParser(): TableParser {
  let closed = false;
  return {
    mode: "in-thread",
    async parse(input, parseOptions = {}) {
      if (closed) throw new AbortError("the table parser is closed");
      const bytes = await readInput(input);
      return unpackTable(await parsePackedInSlices(bytes, parseOptions));
    },
    async close() {
      closed = true;
    },
  };
}

interface Job {
  input: TableInput;
  options: ParseOptions;
  resolve: (table: ColumnTable) => void;
  reject: (error: unknown) => void;
  slot?: Slot;
  settled: boolean;
}

interface Slot {
  worker: Worker;
  api: Remote<ParserWorkerApi>;
  job?: Job;
  /** Rejects the running job when the worker fails. */
  fail?: (error: Error) => void;
}

function startWorker(url: string | URL | undefined): Worker {
  // Written out literally so that Vite (and other bundlers) see the worker and bundle it.
  if (url === undefined) return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  return new Worker(url, { type: "module" });
}

/** The whole-buffer ArrayBuffer behind `input`, which can be transferred; undefined to copy instead. */
function transferableBuffer(input: TableInput): ArrayBuffer | undefined {
  if (input instanceof ArrayBuffer) return input;
  if (ArrayBuffer.isView(input) && input.buffer instanceof ArrayBuffer) {
    if (input.byteOffset === 0 && input.byteLength === input.buffer.byteLength) return input.buffer;
  }
  return undefined;
}

class WorkerPool implements TableParser {
  readonly mode = "worker" as const;
  private readonly slots: Array<Slot | undefined>;
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(
    size: number,
    private readonly url: string | URL | undefined,
  ) {
    this.slots = new Array(size).fill(undefined);
  }

  parse(input: TableInput, options: ParseOptions = {}): Promise<ColumnTable> {
    return new Promise<ColumnTable>((resolve, reject) => {
      if (this.closed) throw new AbortError("the table parser is closed");
      const { signal } = options;
      if (signal?.aborted) throw new AbortError();
      const job: Job = { input, options, resolve, reject, settled: false };
      const onAbort = () => this.abort(job);
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => signal?.removeEventListener("abort", onAbort);
      job.resolve = (table) => {
        done();
        job.settled = true;
        resolve(table);
      };
      job.reject = (error) => {
        done();
        job.settled = true;
        reject(error);
      };
      this.queue.push(job);
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new AbortError("the table parser is closed"));
    this.slots.forEach((slot, i) => {
      if (!slot) return;
      slot.job?.reject(new AbortError("the table parser is closed"));
      this.discard(i);
    });
  }

  private dispatch(): void {
    for (let i = 0; i < this.slots.length && this.queue.length > 0; i++) {
      const slot = this.slots[i];
      if (slot?.job) continue;
      const job = this.queue.shift() as Job;
      let ready: Slot;
      try {
        ready = slot ?? this.spawn(i);
      } catch (cause) {
        job.reject(
          new DstackError(`could not start a parser worker: ${String(cause)}`, "worker_failed", 500, { cause }),
        );
        continue;
      }
      void this.run(ready, job);
    }
  }

  private spawn(i: number): Slot {
    const worker = startWorker(this.url);
    const slot: Slot = { worker, api: wrap<ParserWorkerApi>(worker) };
    const failed = (message: string) => {
      if (this.slots[i] !== slot) return;
      this.discard(i, new DstackError(`the parser worker failed: ${message}`, "worker_failed", 500));
      this.dispatch();
    };
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      failed(event.message || "it could not be loaded or threw");
    });
    worker.addEventListener("messageerror", () => failed("a message could not be deserialized"));
    this.slots[i] = slot;
    return slot;
  }

  /** Terminates slot `i`'s worker, failing its job with `reason`; the next job there starts a fresh worker. */
  private discard(i: number, reason: Error = new AbortError()): void {
    const slot = this.slots[i];
    if (!slot) return;
    this.slots[i] = undefined;
    slot.worker.terminate();
    slot.api[releaseProxy]();
    slot.fail?.(reason);
  }

  private abort(job: Job): void {
    if (job.settled) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    else if (job.slot) {
      const i = this.slots.indexOf(job.slot);
      if (i >= 0 && this.slots[i]?.job === job) this.discard(i);
    }
    job.reject(new AbortError());
    this.dispatch();
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    slot.job = job;
    job.slot = slot;
    const { signal, onProgress, ...options } = job.options;
    const progress = onProgress ? proxy(onProgress) : undefined;
    try {
      const failure = new Promise<never>((_, reject) => {
        slot.fail = reject;
      });
      const buffer = transferableBuffer(job.input);
      const input = buffer ? transfer(job.input, [buffer]) : job.input;
      const result = await Promise.race([slot.api.parse(input, options, progress), failure]);
      if (job.settled) return;
      // The worker is free as soon as its answer is in: the next job need not wait for the strings below.
      this.release(slot);
      if (!result.ok) {
        job.reject(deserializeError(result.error));
        return;
      }
      job.resolve(await unpackTableInSlices(result.table, signal));
    } catch (error) {
      if (!job.settled) job.reject(error);
    } finally {
      if (slot.job === job) this.release(slot);
    }
  }

  private release(slot: Slot): void {
    if (slot.job === undefined) return;
    slot.job = undefined;
    slot.fail = undefined;
    this.dispatch();
  }
}
