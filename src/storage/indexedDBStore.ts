import type { IDBPDatabase, IDBPTransaction, StoreNames } from "idb";
import { newDashboard } from "../model/dashboard";
import { dashboardChanges } from "../model/dashboardChanges";
import {
  DashboardNotFoundError,
  DstackError,
  FrameNotFoundError,
  InvalidRequestError,
  StackNotFoundError,
  throwIfAborted,
} from "../model/errors";
import {
  attachmentNotFoundError,
  frameCountOption,
  frameExistsError,
  frameInfoOf,
  framePageOptions,
  frameSummary,
  newestHeadFirst,
  pushedFrame,
  stackInfoOf,
  stackSummaryOf,
} from "../model/frameRecords";
import { normalizePush } from "../model/normalizePush";
import { checkStackPatch } from "../model/stackPatch";
import { parseStackPath, validateUser } from "../model/stackPath";
import type { FramePageOptions, ReadOptions, StackReadOptions, StackStore } from "../model/stackStore";
import type {
  Dashboard,
  DashboardPatch,
  FramePage,
  FramePush,
  PushOptions,
  PushResult,
  StackPatch,
  StoreEvent,
} from "../model/types";
import { abortable } from "./abortable";
import { createEmitter, isStoreEvent } from "./emitter";
import {
  type DashboardRow,
  type FrameRow,
  keyPrefix,
  openStackDB,
  type StackDB,
  type StackRow,
} from "./indexedDBSchema";

export interface IndexedDBStoreOptions {
  /** IndexedDB database name; "dstack" when omitted. Stores with the same name share data (and events). */
  dbName?: string;
  /** Default user for relative stack names; "dstack" when omitted. */
  user?: string;
}

/** Name of the BroadcastChannel on which stores of database `dbName` announce their changes. */
export function storeChannelName(dbName: string): string {
  return `dstack-kit:${dbName}`;
}

type Names = StoreNames<StackDB>;

const noop = () => {};

function dashboardOf(row: DashboardRow): Dashboard {
  const { seq: _, ...dashboard } = row;
  return dashboard;
}

interface AttachmentRead {
  path: string;
  frameId: string;
  index: number;
  resolve(blob: Blob): void;
  reject(error: unknown): void;
}

/**
 * A store in the browser's IndexedDB: survives reloads, and tabs of the same origin see each other's
 * changes (BroadcastChannel). Nothing is opened until the first call, so creating one is SSR-safe.
 * Layout and upgrade rules: `indexedDBSchema.ts`.
 * @example const store = createIndexedDBStore(); await pushFrame({ stack: "notes", data: "# Hello", store });
 */
export function createIndexedDBStore(options: IndexedDBStoreOptions = {}): StackStore {
  const user = validateUser(options.user ?? "dstack");
  const dbName = options.dbName ?? "dstack";
  if (typeof dbName !== "string" || dbName.length === 0)
    throw new InvalidRequestError("dbName must be a non-empty string");
  const emitter = createEmitter();
  let db: IDBPDatabase<StackDB> | undefined;
  let opening: Promise<IDBPDatabase<StackDB>> | undefined;
  // undefined: not created yet; null: this environment has no BroadcastChannel.
  let channel: BroadcastChannel | null | undefined;
  let closed = false;

  const closedError = () => new DstackError(`the IndexedDB store "${dbName}" is closed`, "store_closed");

  /** Drops the connection; the next call opens a new one (unless the store was closed). */
  function disconnect() {
    db?.close();
    db = undefined;
  }

  function connect(): Promise<IDBPDatabase<StackDB>> {
    if (closed) return Promise.reject(closedError());
    if (db) return Promise.resolve(db);
    opening ??= openStackDB(dbName, {
      // Another tab upgrades or deletes the database: let it, and reopen on our next call.
      versionChange: disconnect,
      terminated: () => {
        db = undefined;
      },
    }).then(
      (opened) => {
        opening = undefined;
        if (closed) {
          opened.close();
          throw closedError();
        }
        db = opened;
        return opened;
      },
      (error: unknown) => {
        opening = undefined;
        throw error;
      },
    );
    return opening;
  }

  function getChannel(): BroadcastChannel | null {
    if (channel !== undefined) return channel;
    if (closed || typeof BroadcastChannel !== "function") return null;
    const created = new BroadcastChannel(storeChannelName(dbName));
    created.onmessage = (message: MessageEvent<unknown>) => {
      if (isStoreEvent(message.data)) emitter.emit({ type: message.data.type, path: message.data.path });
    };
    // Node keeps the process alive for an open channel; a store should not.
    if ("unref" in created && typeof created.unref === "function") created.unref();
    channel = created;
    return created;
  }

  /** Tells this store's subscribers, then every other store on the same database. */
  function notify(event: StoreEvent) {
    emitter.emit(event);
    if (!closed) getChannel()?.postMessage(event);
  }

  /**
   * Runs `body` in one transaction and resolves once it has committed. If `body` throws, the transaction
   * is aborted, so nothing it wrote is kept. `body` may await only IndexedDB requests of `tx`.
   */
  async function transact<const N extends Names[], M extends "readonly" | "readwrite", T>(
    names: N,
    mode: M,
    body: (tx: IDBPTransaction<StackDB, N, M>) => Promise<T>,
  ): Promise<T> {
    const tx = (await connect()).transaction(names, mode);
    tx.done.catch(noop);
    try {
      const result = await body(tx);
      await tx.done;
      return result;
    } catch (error) {
      try {
        tx.abort();
      } catch {
        // Already committed or aborted.
      }
      throw error;
    }
  }

  const resolve = (stack: string) => parseStackPath(stack, user).path;

  /**
   * Up to `count` frames of `path` older than `before` (all when undefined), newest first. A key cursor walks
   * `by-order` backwards to the oldest frame of the page in one `advance`, then one `getAll` reads the page: a
   * few requests whatever the page's length, and nothing of the history beyond it.
   */
  async function newestFrames(
    tx: IDBPTransaction<StackDB, ["stacks", "frames"], "readonly">,
    path: string,
    before: FrameRow | undefined,
    count: number,
    total = Number.POSITIVE_INFINITY,
  ): Promise<FramePage> {
    if (count === 0) return { frames: [], more: false };
    const index = tx.objectStore("frames").index("by-order");
    // [path] sorts before every [path, timestamp, seq]; [path, []] after every one (an array sorts after numbers).
    const upper: IDBValidKey = before ? [path, before.timestamp, before.seq] : [path, []];
    const range = IDBKeyRange.bound([path], upper, false, before !== undefined);
    // `total`: the stack's frame count, when known; a short stack is one getAll.
    let cursor = count >= total || count === Number.POSITIVE_INFINITY ? null : await index.openKeyCursor(range, "prev");
    if (cursor && count > 1) cursor = await cursor.advance(count - 1);
    if (!cursor) {
      // The whole range fits in the page.
      const rows = await index.getAll(range);
      return { frames: rows.reverse().map(frameSummary), more: false };
    }
    const [rows, older] = await Promise.all([
      index.getAll(IDBKeyRange.bound(cursor.key, upper, false, before !== undefined)),
      cursor.continue(),
    ]);
    return { frames: rows.reverse().map(frameSummary), more: older !== null };
  }

  type AttachmentTx = IDBPTransaction<StackDB, ["stacks", "frames", "attachments"], "readonly">;

  async function readAttachment(tx: AttachmentTx, read: AttachmentRead): Promise<Blob> {
    const { path, frameId, index } = read;
    const valid = typeof frameId === "string" && Number.isInteger(index) && index >= 0;
    const row = valid ? await tx.objectStore("attachments").get([path, frameId, index]) : undefined;
    if (row) return row.blob;
    // Not there: find out what is missing, the way the memory store reports it.
    const frame = typeof frameId === "string" ? await tx.objectStore("frames").get([path, frameId]) : undefined;
    if (!frame) {
      if (!(await tx.objectStore("stacks").getKey(path))) throw new StackNotFoundError(path);
      throw new FrameNotFoundError(path, String(frameId));
    }
    throw attachmentNotFoundError(path, frameId, index, frame.attachments.length);
  }

  // getAttachment calls made in the same tick share one readonly transaction (a frame's attachments are
  // usually fetched together): a transaction costs more than a get, roughly halving the time to read a frame.
  let pendingReads: AttachmentRead[] | undefined;
  function flushReads() {
    const batch = pendingReads ?? [];
    pendingReads = undefined;
    transact(["stacks", "frames", "attachments"], "readonly", (tx) =>
      Promise.all(batch.map((read) => readAttachment(tx, read).then(read.resolve, read.reject))),
    ).catch((error: unknown) => {
      // The transaction itself failed (closed store, no IndexedDB): settle whatever is still waiting.
      for (const read of batch) read.reject(error);
    });
  }

  function getDashboardRow(
    tx: IDBPTransaction<StackDB, ["dashboards"], "readonly" | "readwrite">,
    owner: string,
    id: string,
  ): Promise<DashboardRow> {
    if (typeof owner !== "string" || typeof id !== "string")
      throw new DashboardNotFoundError(String(owner), String(id));
    return tx
      .objectStore("dashboards")
      .get([owner, id])
      .then((row) => {
        if (!row) throw new DashboardNotFoundError(owner, id);
        return row;
      });
  }

  // Each change reads the dashboard, applies the model's rule and writes the result in one transaction.
  const changes = dashboardChanges(user, async (owner, id, apply) => {
    const saved = await transact(["dashboards"], "readwrite", async (tx) => {
      const row = await getDashboardRow(tx, owner, id);
      const next: DashboardRow = { ...apply(dashboardOf(row)), seq: row.seq };
      await tx.objectStore("dashboards").put(next);
      return dashboardOf(next);
    });
    notify({ type: "dashboard", path: `${saved.user}/${saved.id}` });
    return saved;
  });

  return {
    user,

    // Reads cannot stop a transaction half-way; they check the signal before it starts and drop its result if the
    // signal aborted meanwhile (see abortable).
    async listStacks(owner = user, read?: ReadOptions) {
      validateUser(owner);
      const rows = await abortable(read?.signal, () =>
        transact(["stacks"], "readonly", (tx) => tx.objectStore("stacks").index("by-user").getAll(owner)),
      );
      rows.sort((a, b) => newestHeadFirst(a.head, b.head));
      return rows.map((row) => stackSummaryOf(row, row.path, row.head));
    },

    async getStack(stack, read?: StackReadOptions) {
      const path = resolve(stack);
      return abortable(read?.signal, async () => {
        const count = frameCountOption(read?.frames);
        return transact(["stacks", "frames"], "readonly", async (tx) => {
          const row = await tx.objectStore("stacks").get(path);
          if (!row) throw new StackNotFoundError(path);
          const [head, newest] = await Promise.all([
            tx.objectStore("frames").get([path, row.head.id]),
            newestFrames(tx, path, undefined, count, row.count),
          ]);
          return stackInfoOf(row, path, head && frameInfoOf(head), newest.frames, row.count);
        });
      });
    },

    async listFrames(stack, page?: FramePageOptions) {
      const path = resolve(stack);
      return abortable(page?.signal, async () => {
        const { before, limit } = framePageOptions(page);
        return transact(["stacks", "frames"], "readonly", async (tx) => {
          if (!(await tx.objectStore("stacks").getKey(path))) throw new StackNotFoundError(path);
          const from = before === undefined ? undefined : await tx.objectStore("frames").get([path, before]);
          if (before !== undefined && !from) throw new FrameNotFoundError(path, before);
          return newestFrames(tx, path, from, limit);
        });
      });
    },

    async getFrame(stack, frameId, read?: ReadOptions) {
      const path = resolve(stack);
      return abortable(read?.signal, () =>
        transact(["stacks", "frames"], "readonly", async (tx) => {
          // A frame implies its stack: deleteStack removes both in one transaction.
          const row = typeof frameId === "string" ? await tx.objectStore("frames").get([path, frameId]) : undefined;
          if (row) return frameInfoOf(row);
          if (!(await tx.objectStore("stacks").getKey(path))) throw new StackNotFoundError(path);
          throw new FrameNotFoundError(path, String(frameId));
        }),
      );
    },

    async getAttachment(stack, frameId, index, read?: ReadOptions) {
      const path = resolve(stack);
      return abortable(
        read?.signal,
        () =>
          new Promise<Blob>((done, fail) => {
            if (!pendingReads) {
              pendingReads = [];
              queueMicrotask(flushReads);
            }
            pendingReads.push({ path, frameId, index, resolve: done, reject: fail });
          }),
      );
    },

    async push(frame: FramePush, pushOptions?: PushOptions): Promise<PushResult> {
      const push = normalizePush(frame, user, pushOptions);
      const { path } = push.stack;
      const signal = pushOptions?.signal;
      const onProgress = pushOptions?.onProgress;
      await transact(["stacks", "frames", "attachments", "meta"], "readwrite", async (tx) => {
        if ((await tx.objectStore("frames").getKey([path, push.id])) !== undefined)
          throw frameExistsError(path, push.id);
        // All puts are queued at once (IndexedDB runs them in order, without a round trip each); we await
        // them in order so that progress, abort checks and failures happen attachment by attachment.
        const attachments = tx.objectStore("attachments");
        const puts = push.attachments.map((a) => {
          const put = attachments.put({ path, frameId: push.id, index: a.info.index, blob: a.blob });
          // Requests still queued when we abort reject too; the first failure is the one we report.
          put.catch(noop);
          return put;
        });
        const total = puts.length;
        for (let done = 1; done <= total; done++) {
          await puts[done - 1];
          onProgress?.(done, total);
          throwIfAborted(signal);
        }
        const [last, existing] = await Promise.all([
          tx.objectStore("meta").get("seq"),
          tx.objectStore("stacks").get(path),
        ]);
        const seq = (last ?? 0) + 1;
        const row: FrameRow = { path, ...pushedFrame(push), seq };
        const stackRow: StackRow = existing ?? {
          path,
          user: push.stack.user,
          name: push.stack.name,
          private: false,
          head: { id: push.id, timestamp: push.timestamp, seq },
          count: 0,
        };
        stackRow.head = { ...frameSummary(row), seq };
        stackRow.count += 1;
        // The access the push names lands in this transaction, with the frame.
        if (push.private !== undefined) stackRow.private = push.private;
        await Promise.all([
          tx.objectStore("meta").put(seq, "seq"),
          tx.objectStore("frames").put(row),
          tx.objectStore("stacks").put(stackRow),
        ]);
      });
      notify({ type: "stack", path });
      return { url: `indexeddb:${dbName}/${path}`, stack: path, frameId: push.id };
    },

    async updateStack(stack, patch: StackPatch) {
      const fields = checkStackPatch(patch);
      const path = resolve(stack);
      await transact(["stacks", "frames"], "readwrite", async (tx) => {
        const row = await tx.objectStore("stacks").get(path);
        if (!row) throw new StackNotFoundError(path);
        if (fields.head !== undefined) {
          const head = await tx.objectStore("frames").get([path, fields.head]);
          if (!head) throw new FrameNotFoundError(path, fields.head);
          row.head = { ...frameSummary(head), seq: head.seq };
        }
        if (fields.private !== undefined) row.private = fields.private;
        if (fields.readme !== undefined) row.readme = fields.readme;
        await tx.objectStore("stacks").put(row);
      });
      notify({ type: "stack", path });
    },

    async deleteStack(stack) {
      const path = resolve(stack);
      await transact(["stacks", "frames", "attachments"], "readwrite", async (tx) => {
        if (!(await tx.objectStore("stacks").getKey(path))) throw new StackNotFoundError(path);
        await Promise.all([
          tx.objectStore("stacks").delete(path),
          tx.objectStore("frames").delete(keyPrefix(path)),
          tx.objectStore("attachments").delete(keyPrefix(path)),
        ]);
      });
      notify({ type: "stack", path });
    },

    async listDashboards(owner = user, read?: ReadOptions) {
      validateUser(owner);
      const rows = await abortable(read?.signal, () =>
        transact(["dashboards"], "readonly", (tx) =>
          tx.objectStore("dashboards").index("by-user-seq").getAll(keyPrefix(owner)),
        ),
      );
      return rows.reverse().map(dashboardOf);
    },

    async getDashboard(owner, id, read?: ReadOptions) {
      return dashboardOf(
        await abortable(read?.signal, () =>
          transact(["dashboards"], "readonly", (tx) => getDashboardRow(tx, owner, id)),
        ),
      );
    },

    async createDashboard(init: DashboardPatch = {}) {
      const dashboard = newDashboard(user, init);
      await transact(["dashboards", "meta"], "readwrite", async (tx) => {
        const seq = ((await tx.objectStore("meta").get("seq")) ?? 0) + 1;
        await Promise.all([
          tx.objectStore("meta").put(seq, "seq"),
          tx.objectStore("dashboards").add({ ...dashboard, seq }),
        ]);
      });
      notify({ type: "dashboard", path: `${user}/${dashboard.id}` });
      return dashboard;
    },

    async deleteDashboard(owner, id) {
      await transact(["dashboards"], "readwrite", async (tx) => {
        await getDashboardRow(tx, owner, id);
        await tx.objectStore("dashboards").delete([owner, id]);
      });
      notify({ type: "dashboard", path: `${owner}/${id}` });
    },

    ...changes,

    subscribe(listener) {
      getChannel();
      return emitter.subscribe(listener);
    },

    close() {
      if (closed) return;
      closed = true;
      disconnect();
      channel?.close();
      channel = null;
    },
  };
}
