// createTableParser: a lazily started pool of module Web Workers (comlink) that parse tables off the main thread.
// Where there is no Worker (Node, SSR) or `workers: 0` is asked for, the same parser runs in-thread.
//
// Cancellation terminates the worker running the job: a parse is one long synchronous loop, so nothing short of
// terminating it stops it promptly. The pool replaces that worker on demand and carries on with the queue.
// A worker that fails (cannot load, crashes) rejects its job instead of leaving it pending.
//
// By size: a small input is parsed on the calling thread in slices of a few milliseconds (a worker's start-up
// and the messages cost more than the parse); a large CSV/TSV is split into one piece per worker, read on all of
// them at once and merged (chunks.ts); the rest goes to one worker. A split job takes its workers together
// (first come, first served), so two split jobs never wait for each other's workers.

import { proxy, type Remote, releaseProxy, transfer, wrap } from "comlink";
import type { ColumnTable } from "../model/columnTable";
import { AbortError, DstackError } from "../model/errors";
import { agreedKinds, type ChunkPlan, type ChunkTable, mergeChunks, planChunks, readAgain, storedAs } from "./chunks";
import type { StoredAs } from "./csvReader";
import { unpackTable, unpackTableInSlices } from "./packedTable";
import {
  checkOptions,
  inputBytes,
  type ParseOptions,
  parsePackedInSlices,
  readInput,
  type TableInput,
} from "./parseTable";
import { deserializeError, type ParserWorkerApi, type PieceForward } from "./workerProtocol";

/** Options of {@link createTableParser}. */
export interface TableParserOptions {
  /**
   * Number of workers; default one per core (`navigator.hardwareConcurrency`), at least 1 and at most 4. `0`
   * parses in-thread (what happens anyway where `Worker` does not exist, e.g. Node).
   */
  workers?: number;
  /** Where the worker script is, if not next to this module (`./worker.js`): e.g. a URL your bundler emitted. */
  workerUrl?: string | URL;
  /**
   * Inputs under this many bytes are parsed on the calling thread, in slices of a few milliseconds with a yield
   * between them, rather than sent to a worker (default 2 MiB; 0 sends everything to a worker).
   */
  inThreadBelow?: number;
  /**
   * CSV/TSV inputs of at least this many bytes are split into one piece per worker, read in parallel and merged
   * into the same table one worker gives (default 16 MiB). Pieces are at least a quarter of it.
   */
  splitFrom?: number;
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
const IN_THREAD_BELOW = 2 * 1024 * 1024;
const SPLIT_FROM = 16 * 1024 * 1024;
/** Bytes parsed per slice on the calling thread: a few ms, far below a 50 ms long task. */
const IN_THREAD_SLICE = 256 * 1024;

/** One worker per core (the calling thread waits while they parse), at most 4. */
function defaultWorkerCount(): number {
  const cores = typeof navigator !== "undefined" ? navigator.hardwareConcurrency : undefined;
  return Math.max(1, Math.min(MAX_DEFAULT_WORKERS, cores ?? 2));
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
  for (const key of ["inThreadBelow", "splitFrom"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new DstackError(`${key} must be a non-negative number of bytes, got ${value}`, "invalid_option", 400);
    }
  }
  return new WorkerPool(size, options);
}

/** Byte length of an input known without reading it (strings count their UTF-16 units: close enough). */
function inputSize(input: TableInput): number {
  if (typeof input === "string") return input.length;
  if (typeof Blob !== "undefined" && input instanceof Blob) return input.size;
  return (input as ArrayBuffer | ArrayBufferView).byteLength;
}

/**
 * The bytes of an input, owned by the parser: a transferable buffer is moved (the caller's is detached, as when
 * it goes to a worker), a view of part of a buffer copied (the rest of that buffer is the caller's, and a split
 * moves these bytes' whole buffer to a worker), anything else read as the in-thread parser reads it.
 */
async function ownBytes(input: TableInput, signal?: AbortSignal): Promise<Uint8Array> {
  const buffer = transferableBuffer(input);
  if (buffer && typeof structuredClone === "function") {
    return new Uint8Array(structuredClone(buffer, { transfer: [buffer] }));
  }
  if (ArrayBuffer.isView(input) && !buffer) return inputBytes(input).slice();
  return readInput(input, signal);
}

function inThreadParser(): TableParser {
  let closed = false;
  return {
    mode: "in-thread",
    async parse(input, parseOptions = {}) {
      if (closed) throw new AbortError("the table parser is closed");
      const bytes = await readInput(input, parseOptions.signal);
      const text = typeof input === "string" ? input : undefined;
      return unpackTable(await parsePackedInSlices(bytes, parseOptions, undefined, true, text));
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
  /** The workers running it (one, or one per piece). */
  slots: Slot[];
  settled: boolean;
  /** A split job: the bytes and where the pieces are. */
  split?: { bytes: Uint8Array; plan: ChunkPlan };
  /** The input is bytes of the parser's own (ownBytes): their whole buffer is moved to the worker. */
  owned: boolean;
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
  private readonly url: string | URL | undefined;
  private readonly inThreadBelow: number;
  private readonly splitFrom: number;

  constructor(size: number, options: TableParserOptions) {
    this.slots = new Array(size).fill(undefined);
    this.url = options.workerUrl;
    this.inThreadBelow = options.inThreadBelow ?? IN_THREAD_BELOW;
    this.splitFrom = options.splitFrom ?? SPLIT_FROM;
  }

  async parse(input: TableInput, options: ParseOptions = {}): Promise<ColumnTable> {
    if (this.closed) throw new AbortError("the table parser is closed");
    if (options.signal?.aborted) throw new AbortError();
    const size = inputSize(input);
    if (size < this.inThreadBelow) return this.parseInThread(input, options);
    const split = size >= this.splitFrom && this.slots.length > 1 && options.format !== "json";
    // Anything but a string or a split input goes to the worker as it is (a Blob is read there).
    if (!split && typeof input !== "string") return this.enqueue(input, options);
    if (split) checkOptions(options);
    // Bytes of the parser's own, moved to the worker(s): a string is encoded here a piece per task, as posting it
    // would copy it in one task (100 ms for 100 MiB in Chromium).
    const bytes = await ownBytes(input, options.signal);
    if (this.closed) throw new AbortError("the table parser is closed");
    if (options.signal?.aborted) throw new AbortError();
    const plan = split ? planChunks(bytes, options, this.slots.length, Math.max(1, this.splitFrom / 4)) : undefined;
    return this.enqueue(bytes, options, plan && { bytes, plan }, true);
  }

  /** A small input on the calling thread, yielding between slices so that no task runs long. */
  private async parseInThread(input: TableInput, options: ParseOptions): Promise<ColumnTable> {
    const bytes = await ownBytes(input, options.signal);
    if (this.closed) throw new AbortError("the table parser is closed");
    if (options.signal?.aborted) throw new AbortError();
    const text = typeof input === "string" ? input : undefined;
    const packed = await parsePackedInSlices(bytes, options, { bytes: IN_THREAD_SLICE, yield: true }, true, text);
    return unpackTableInSlices(packed, options.signal);
  }

  /** `owned`: the input is bytes of the parser's own, moved to the worker whatever part of its buffer they span. */
  private enqueue(input: TableInput, options: ParseOptions, split?: Job["split"], owned = false): Promise<ColumnTable> {
    return new Promise<ColumnTable>((resolve, reject) => {
      if (this.closed) throw new AbortError("the table parser is closed");
      const { signal } = options;
      if (signal?.aborted) throw new AbortError();
      const job: Job = { input, options, resolve, reject, settled: false, slots: [], owned };
      if (split) job.split = split;
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

  /** Starts queued jobs in order while there are enough idle workers for the next one. */
  private dispatch(): void {
    while (this.queue.length > 0) {
      const job = this.queue[0] as Job;
      const need = job.split ? job.split.plan.bounds.length - 1 : 1;
      const idle: number[] = [];
      for (let i = 0; i < this.slots.length; i++) if (!this.slots[i]?.job) idle.push(i);
      if (idle.length < need) return;
      this.queue.shift();
      const ready: Slot[] = [];
      try {
        for (const i of idle.slice(0, need)) ready.push(this.slots[i] ?? this.spawn(i));
      } catch (cause) {
        job.reject(
          new DstackError(`could not start a parser worker: ${String(cause)}`, "worker_failed", 500, { cause }),
        );
        continue;
      }
      for (const slot of ready) slot.job = job;
      job.slots = ready;
      void (job.split ? this.runSplit(ready, job, job.split) : this.run(ready[0] as Slot, job));
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
    else {
      for (const slot of job.slots) {
        const i = this.slots.indexOf(slot);
        if (i >= 0 && this.slots[i]?.job === job) this.discard(i);
      }
    }
    job.reject(new AbortError());
    this.dispatch();
  }

  private async run(slot: Slot, job: Job): Promise<void> {
    const { signal, onProgress, ...options } = job.options;
    const progress = onProgress ? proxy(onProgress) : undefined;
    try {
      const failure = new Promise<never>((_, reject) => {
        slot.fail = reject;
      });
      const buffer = job.owned ? (job.input as Uint8Array).buffer : transferableBuffer(job.input);
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

  /** Rejects when the slot's worker fails. */
  private failure(slot: Slot): Promise<never> {
    return new Promise<never>((_, reject) => {
      slot.fail = reject;
    });
  }

  /**
   * A split job: every piece read at once, then finished with the agreed kinds and merged here in slices. A
   * piece that fails (a cut inside a quoted field, or any error) sends the whole input to one worker instead,
   * which also reports errors exactly as a one-worker parse does.
   */
  private async runSplit(slots: Slot[], job: Job, split: NonNullable<Job["split"]>): Promise<void> {
    const { signal, onProgress, ...options } = job.options;
    const { bytes, plan } = split;
    const failed = Promise.race(slots.map((slot) => this.failure(slot)));
    // Raced below; a worker can fail before the others answer.
    failed.catch(() => {});
    const total = bytes.length;
    const done = new Array<number>(slots.length).fill(0);
    const progress = onProgress
      ? slots.map((_, k) =>
          proxy((bytesDone: number) => {
            done[k] = bytesDone;
            if (!job.settled)
              onProgress(
                Math.min(
                  total,
                  done.reduce((a, b) => a + b, 0),
                ),
                total,
              );
          }),
        )
      : undefined;
    try {
      // The first worker gets the whole input (moved, not copied) and keeps it for a fall-back to one worker. It
      // copies each later piece and sends it straight to that piece's worker, so the page's thread neither copies
      // nor allocates anything the size of the input.
      const channels = slots.slice(1).map(() => new MessageChannel());
      const forward: PieceForward[] = channels.map((channel, i) => ({
        port: channel.port1,
        start: plan.bounds[i + 1] as number,
        end: plan.bounds[i + 2] as number,
      }));
      const readings = [
        (slots[0] as Slot).api.readPiece(
          transfer(bytes, [bytes.buffer, ...forward.map((f) => f.port)]),
          plan.bounds[0] as number,
          plan.bounds[1] as number,
          options,
          plan.names,
          progress?.[0],
          forward,
        ),
        ...channels.map(({ port2 }, i) =>
          (slots[i + 1] as Slot).api.readPieceFrom(transfer(port2, [port2]), options, plan.names, progress?.[i + 1]),
        ),
      ];
      const reads = await Promise.race([Promise.all(readings), failed]);
      if (job.settled) return;
      if (reads.every((r) => r.ok)) {
        const summaries = reads.map((r) => r.summary);
        const kinds = agreedKinds(summaries);
        const stored = storedAs(summaries, kinds);
        // Each piece came finished with its own kinds; only one whose kinds differ from the agreed ones, or whose
        // NA values one pass would have stored otherwise, is read again with them.
        const finished = await Promise.race([
          Promise.all(
            slots.map((slot, k) => {
              const read = reads[k] as (typeof reads)[number] & { ok: true };
              const piece = stored[k] as Array<StoredAs | undefined>;
              if (readAgain(read.summary, kinds, piece)) return slot.api.finishPiece(kinds, piece);
              void slot.api.dropPiece();
              return { ok: true as const, piece: read.piece };
            }),
          ),
          failed,
        ]);
        if (job.settled) return;
        if (finished.every((f) => f.ok)) {
          for (const slot of slots) this.release(slot);
          const pieces: ChunkTable[] = finished.map((f) => f.piece);
          const table = await mergeChunks(pieces, kinds, {
            index: options.index,
            dictionary: options.dictionary,
            ...(signal ? { signal } : {}),
          });
          onProgress?.(total, total);
          job.resolve(table);
          return;
        }
      }
      // One piece failed: the whole input in one worker (its result or its error is the answer). The others
      // forget their pieces now rather than at their next job.
      for (const slot of slots.slice(1)) {
        void slot.api.dropPiece();
        this.release(slot);
      }
      delete job.split;
      job.input = await Promise.race([(slots[0] as Slot).api.giveBack(), failed]);
      if (job.settled) return;
      job.slots = [slots[0] as Slot];
      await this.run(slots[0] as Slot, job);
    } catch (error) {
      if (!job.settled) job.reject(error);
    } finally {
      for (const slot of slots) if (slot.job === job) this.release(slot);
    }
  }

  private release(slot: Slot): void {
    if (slot.job === undefined) return;
    slot.job = undefined;
    slot.fail = undefined;
    this.dispatch();
  }
}
